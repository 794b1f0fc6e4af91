//! Categories and tags: names a user gives their jobs to group them, as download clients such as
//! qBittorrent have them (and as the apps that drive those clients expect).
//!
//! A job has at most one category and any number of tags. Both are per user: each user has a
//! catalogue of categories and tags, and labels only the jobs they may change.

use std::fmt;
use std::str::FromStr;

/// The longest label, in characters.
pub const MAX_LABEL_CHARS: usize = 64;

/// A category or a tag.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum LabelKind {
    /// At most one per job; a category also names a folder of the completed-files location.
    Category,
    /// Any number per job.
    Tag,
}

impl LabelKind {
    /// `category` or `tag`, as stored.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Category => "category",
            Self::Tag => "tag",
        }
    }
}

impl fmt::Display for LabelKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for LabelKind {
    type Err = InvalidLabel;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "category" => Ok(Self::Category),
            "tag" => Ok(Self::Tag),
            _ => Err(InvalidLabel { kind: Self::Tag, reason: "unknown label kind" }),
        }
    }
}

/// Why a label name was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvalidLabel {
    /// What was being named.
    pub kind: LabelKind,
    /// What is wrong with it.
    pub reason: &'static str,
}

impl fmt::Display for InvalidLabel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "invalid {} name: {}", self.kind, self.reason)
    }
}

impl std::error::Error for InvalidLabel {}

/// Checks a category or tag name and returns it trimmed.
///
/// Both kinds: 1 to [`MAX_LABEL_CHARS`] characters after trimming, no control characters.
/// Tags: no comma (lists of tags are comma-separated). Categories are also folder names (`tv`,
/// `movies/4k`): `/`-separated parts that are neither empty, `.` nor `..`, and no `\`, so a
/// category can never name a folder outside the user's completed-files location.
pub fn check_label(kind: LabelKind, name: &str) -> Result<String, InvalidLabel> {
    let refuse = |reason| Err(InvalidLabel { kind, reason });
    let name = name.trim();
    if name.is_empty() {
        return refuse("it is empty");
    }
    if name.chars().count() > MAX_LABEL_CHARS {
        return refuse("it is longer than 64 characters");
    }
    if name.chars().any(char::is_control) {
        return refuse("it has control characters");
    }
    match kind {
        LabelKind::Tag if name.contains(',') => refuse("it has a comma"),
        LabelKind::Category if name.contains('\\') => refuse("it has a backslash"),
        LabelKind::Category if name.split('/').any(|part| part.trim().is_empty() || part == "." || part == "..") => {
            refuse("each part between slashes must be a folder name")
        }
        _ => Ok(name.to_owned()),
    }
}

/// A job's labels.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct JobLabels {
    /// Its category, if it has one.
    pub category: Option<String>,
    /// Its tags, sorted.
    pub tags: Vec<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_trimmed_and_bounded() {
        assert_eq!(check_label(LabelKind::Tag, "  hd  ").as_deref(), Ok("hd"));
        assert!(check_label(LabelKind::Tag, "   ").is_err());
        assert!(check_label(LabelKind::Tag, &"x".repeat(65)).is_err());
        assert!(check_label(LabelKind::Tag, &"é".repeat(64)).is_ok(), "characters, not bytes");
        assert!(check_label(LabelKind::Category, "tv\n").is_ok(), "trimmed first");
        assert!(check_label(LabelKind::Category, "t\tv").is_err());
    }

    #[test]
    fn tags_have_no_comma() {
        assert!(check_label(LabelKind::Tag, "a,b").is_err());
        assert!(check_label(LabelKind::Category, "a,b").is_ok());
    }

    #[test]
    fn categories_stay_inside_their_folder() {
        for ok in ["tv", "movies/4k", "radarr-1080p", "a b"] {
            assert_eq!(check_label(LabelKind::Category, ok).as_deref(), Ok(ok));
        }
        for bad in ["..", "../x", "a/../b", "/abs", "a/", "a//b", "./a", "a\\b", "a/ /b"] {
            assert!(check_label(LabelKind::Category, bad).is_err(), "{bad}");
        }
        assert!(check_label(LabelKind::Tag, "a/../b").is_ok(), "tags are no folders");
    }

    #[test]
    fn kinds_round_trip() {
        for kind in [LabelKind::Category, LabelKind::Tag] {
            assert_eq!(kind.as_str().parse::<LabelKind>(), Ok(kind));
        }
        assert!("tags".parse::<LabelKind>().is_err());
    }
}
