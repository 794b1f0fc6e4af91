//! Relative file paths that cannot escape the directory (or object-store prefix) they are joined to.

use std::fmt;
use std::path::{Component, Path};

use serde::{Deserialize, Serialize};

/// A normalised relative path such as `Season 1/episode.mkv`: `/`-separated, no empty, `.` or
/// `..` components, not absolute, no backslashes or NUL bytes. Joining it under any prefix stays
/// under that prefix.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct RelPath(String);

/// Why a path was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unsafe file path {path:?}: {reason}")]
pub struct UnsafePath {
    /// The offending path (lossy).
    pub path: String,
    /// What is wrong with it.
    pub reason: &'static str,
}

impl RelPath {
    /// Longest accepted path, in bytes.
    pub const MAX_LEN: usize = 4096;

    /// Parses a `/`-separated relative path.
    pub fn parse(path: &str) -> Result<Self, UnsafePath> {
        let fail = |reason| UnsafePath { path: path.chars().take(200).collect(), reason };
        if path.is_empty() {
            return Err(fail("empty path"));
        }
        if path.len() > Self::MAX_LEN {
            return Err(fail("path too long"));
        }
        if path.starts_with('/') {
            return Err(fail("absolute path"));
        }
        if path.contains('\\') || path.chars().any(char::is_control) {
            return Err(fail("backslash or control character"));
        }
        for part in path.split('/') {
            match part {
                "" => return Err(fail("empty component")),
                "." | ".." => return Err(fail("`.` or `..` component")),
                _ if part.len() > 255 => return Err(fail("component longer than 255 bytes")),
                _ => {}
            }
        }
        // A Windows drive prefix such as `C:` is harmless on Unix but surprising elsewhere.
        if path.as_bytes().get(1) == Some(&b':') {
            return Err(fail("drive prefix"));
        }
        Ok(Self(path.to_owned()))
    }

    /// Builds a path from OS path components, refusing anything that is not a plain name.
    pub fn from_path(path: &Path) -> Result<Self, UnsafePath> {
        let mut parts = Vec::new();
        for component in path.components() {
            match component {
                Component::Normal(name) => match name.to_str() {
                    Some(name) => parts.push(name),
                    None => {
                        return Err(UnsafePath {
                            path: path.to_string_lossy().into_owned(),
                            reason: "not valid UTF-8",
                        });
                    }
                },
                _ => {
                    return Err(UnsafePath {
                        path: path.to_string_lossy().into_owned(),
                        reason: "absolute, `.` or `..` component",
                    });
                }
            }
        }
        Self::parse(&parts.join("/"))
    }

    /// Joins `self` under `prefix` (a relative path: `prefix/self`).
    pub fn join(&self, other: &RelPath) -> RelPath {
        RelPath(format!("{}/{}", self.0, other.0))
    }

    /// The path text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for RelPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl TryFrom<String> for RelPath {
    type Error = UnsafePath;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        Self::parse(&s)
    }
}

impl From<RelPath> for String {
    fn from(p: RelPath) -> String {
        p.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_relative_paths_are_accepted() {
        assert_eq!(RelPath::parse("a/b c/d.mkv").unwrap().as_str(), "a/b c/d.mkv");
        assert_eq!(RelPath::parse("..hidden").unwrap().as_str(), "..hidden");
    }

    #[test]
    fn escaping_paths_are_refused() {
        for bad in
            ["", "/etc/passwd", "../x", "a/../../x", "a//b", "a/./b", "a\\..\\b", "C:/x", "a/", "x\0y", "tab\there"]
        {
            assert!(RelPath::parse(bad).is_err(), "{bad:?} must be refused");
        }
    }

    #[test]
    fn os_paths_with_parent_or_root_components_are_refused() {
        assert!(RelPath::from_path(Path::new("/abs/x")).is_err());
        assert!(RelPath::from_path(Path::new("a/../b")).is_err());
        assert_eq!(RelPath::from_path(Path::new("a/b")).unwrap().as_str(), "a/b");
    }
}
