//! `.torrent` metainfo parsing (BitTorrent v1), with the checks tseeder needs before it accepts one:
//! the infohash, a safe name, safe file paths and sane sizes.

use sha1::{Digest, Sha1};

use super::bencode::{self, BencodeError, DuplicateKey, Value};
use super::{Infohash, RelPath};

/// A file listed in a torrent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TorrentFile {
    /// Path relative to the torrent's root (the name of a single-file torrent).
    pub path: RelPath,
    /// Declared length in bytes.
    pub size: u64,
}

/// What tseeder reads from a `.torrent` file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TorrentMeta {
    /// The torrent's infohash (SHA-1 of the `info` dictionary).
    pub infohash: Infohash,
    /// The torrent's name (its root directory or single file name).
    pub name: String,
    /// The files, with paths relative to the job's directory (`name/...` for multi-file torrents).
    pub files: Vec<TorrentFile>,
    /// The sum of the file sizes.
    pub total_size: u64,
}

/// Why a `.torrent` was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum InvalidTorrent {
    /// Not bencode, or required fields missing or of the wrong type.
    #[error("not a valid .torrent file: {0}")]
    Malformed(String),
    /// Lists and dictionaries nested deeper than [`bencode::MAX_DEPTH`]: no real torrent does.
    #[error("not a valid .torrent file: it nests deeper than {} levels", bencode::MAX_DEPTH)]
    TooDeep,
    /// Larger than [`TorrentMeta::MAX_BYTES`].
    #[error("the .torrent file is larger than {} bytes", TorrentMeta::MAX_BYTES)]
    TooLarge,
    /// More files than [`TorrentMeta::MAX_FILES`].
    #[error("the torrent lists more than {} files", TorrentMeta::MAX_FILES)]
    TooManyFiles,
    /// A file path or the name would escape the job's directory.
    #[error(transparent)]
    UnsafePath(#[from] super::rel_path::UnsafePath),
    /// Two files with the same path, or a file whose path is another file's directory.
    #[error("the torrent lists the path {0:?} twice")]
    DuplicatePath(String),
    /// A negative size, or sizes whose sum overflows.
    #[error("the torrent declares an impossible size")]
    BadSize,
}

impl From<BencodeError> for InvalidTorrent {
    fn from(e: BencodeError) -> Self {
        match e {
            BencodeError::TooDeep => Self::TooDeep,
            other => Self::Malformed(other.to_string()),
        }
    }
}

impl From<DuplicateKey> for InvalidTorrent {
    fn from(e: DuplicateKey) -> Self {
        Self::Malformed(e.to_string())
    }
}

impl TorrentMeta {
    /// Largest `.torrent` file accepted (metainfo, not payload).
    pub const MAX_BYTES: usize = 10 * 1024 * 1024;
    /// Most files accepted in one torrent.
    pub const MAX_FILES: usize = 10_000;

    /// Parses and checks `.torrent` bytes (BitTorrent v1 metainfo, or the v1 part of a hybrid).
    ///
    /// The bytes are checked by [`bencode::Value::parse`] first (syntax and nesting depth,
    /// without recursion), so no input can exhaust the stack.
    pub fn parse(bytes: &[u8]) -> Result<Self, InvalidTorrent> {
        if bytes.len() > Self::MAX_BYTES {
            return Err(InvalidTorrent::TooLarge);
        }
        let malformed = |what: &str| InvalidTorrent::Malformed(what.to_owned());
        let top = Value::parse(bytes)?.as_dict().ok_or_else(|| malformed("not a dictionary"))?;
        let info = top.get("info")?.ok_or_else(|| malformed("no `info` dictionary"))?;
        Self::from_info(info)
    }

    /// Checks the bencoded `info` dictionary of a torrent (what a magnet link's peers send).
    pub fn parse_info(bytes: &[u8]) -> Result<Self, InvalidTorrent> {
        if bytes.len() > Self::MAX_BYTES {
            return Err(InvalidTorrent::TooLarge);
        }
        Self::from_info(Value::parse(bytes)?)
    }

    fn from_info(info: Value<'_>) -> Result<Self, InvalidTorrent> {
        let malformed = |what: &str| InvalidTorrent::Malformed(what.to_owned());
        let infohash = Infohash::from_bytes(Sha1::digest(info.raw()).into());
        let info = info.as_dict().ok_or_else(|| malformed("`info` is not a dictionary"))?;
        let name = info.get("name")?.and_then(|v| v.as_str()).ok_or_else(|| malformed("no UTF-8 `name`"))?;
        let piece_length = info.get("piece length")?.and_then(|v| v.as_int());
        if piece_length.is_none_or(|n| n <= 0) {
            return Err(malformed("no positive `piece length`"));
        }
        let pieces = info.get("pieces")?.and_then(|v| v.as_bytes()).ok_or_else(|| malformed("no `pieces`"))?;
        if pieces.len() % 20 != 0 {
            return Err(malformed("`pieces` is not a list of SHA-1 hashes"));
        }
        let root = RelPath::parse(name)?;
        let size = |v: Option<Value<'_>>| {
            let n = v.and_then(|v| v.as_int()).ok_or_else(|| malformed("a file without an integer `length`"))?;
            u64::try_from(n).map_err(|_| InvalidTorrent::BadSize)
        };
        let files = match (info.get("length")?, info.get("files")?) {
            (Some(length), None) => vec![TorrentFile { path: root.clone(), size: size(Some(length))? }],
            (None, Some(files)) => {
                let files = files.as_list().ok_or_else(|| malformed("`files` is not a list"))?;
                let mut out = Vec::new();
                for file in files {
                    if out.len() == Self::MAX_FILES {
                        return Err(InvalidTorrent::TooManyFiles);
                    }
                    let file = file.as_dict().ok_or_else(|| malformed("a file that is not a dictionary"))?;
                    let path = file_path(file.get("path")?)?;
                    out.push(TorrentFile { path: root.join(&path), size: size(file.get("length")?)? });
                }
                if out.is_empty() {
                    return Err(malformed("`files` is empty"));
                }
                out
            }
            _ => return Err(malformed("exactly one of `length` and `files` is needed")),
        };
        check_distinct(&files)?;
        let total_size =
            files.iter().try_fold(0u64, |acc, f| acc.checked_add(f.size)).ok_or(InvalidTorrent::BadSize)?;
        Ok(Self { infohash, name: name.to_owned(), files, total_size })
    }
}

/// A multi-file torrent's `path` list as one relative path. Every component must be a plain name:
/// an empty one (`["", "x"]`) is refused like `..`, since engines differ in how they lay it out.
fn file_path(path: Option<Value<'_>>) -> Result<RelPath, InvalidTorrent> {
    let malformed = |what: &str| InvalidTorrent::Malformed(what.to_owned());
    let parts = path.and_then(|v| v.as_list()).ok_or_else(|| malformed("a file without a `path` list"))?;
    let mut joined = Vec::new();
    for part in parts {
        let part = part.as_str().ok_or_else(|| malformed("a path component that is not UTF-8 text"))?;
        let reason = if part.is_empty() {
            "empty component"
        } else if part.contains('/') {
            "`/` inside a component"
        } else {
            joined.push(part);
            continue;
        };
        return Err(super::rel_path::UnsafePath { path: part.chars().take(200).collect(), reason }.into());
    }
    let joined = joined.join("/");
    Ok(RelPath::parse(&joined)?)
}

/// Refuses two files at one path, and a file whose path is also another file's directory: either
/// would make two files share bytes on disk.
fn check_distinct(files: &[TorrentFile]) -> Result<(), InvalidTorrent> {
    let mut paths = std::collections::HashSet::with_capacity(files.len());
    for file in files {
        if !paths.insert(file.path.as_str()) {
            return Err(InvalidTorrent::DuplicatePath(file.path.to_string()));
        }
    }
    for path in &paths {
        for (slash, _) in path.match_indices('/') {
            if paths.contains(&path[..slash]) {
                return Err(InvalidTorrent::DuplicatePath(path[..slash].to_owned()));
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Bencodes a minimal torrent by hand, so tests can build hostile ones.
    fn torrent(name: &str, files: &[(&[&str], i64)]) -> Vec<u8> {
        let s = |x: &str| format!("{}:{}", x.len(), x);
        let mut info = String::from("d");
        if files.len() == 1 && files[0].0.is_empty() {
            info += &format!("6:lengthi{}e", files[0].1);
        } else {
            info += "5:filesl";
            for (path, len) in files {
                info += &format!("d6:lengthi{len}e4:pathl");
                for p in *path {
                    info += &s(p);
                }
                info += "ee";
            }
            info += "e";
        }
        info += &format!("4:name{}12:piece lengthi16384e6:pieces20:", s(name));
        // Piece hashes are binary; non-UTF-8 bytes keep the parser from reading them as text.
        let mut out = format!("d8:announce{}4:info{}", s("http://127.0.0.1/a"), info).into_bytes();
        out.extend_from_slice(&[0xff; 20]);
        out.extend_from_slice(b"ee");
        out
    }

    #[test]
    fn single_file_torrent_parses_with_name_and_size() {
        let meta = TorrentMeta::parse(&torrent("movie.mkv", &[(&[], 1234)])).unwrap();
        assert_eq!(meta.name, "movie.mkv");
        assert_eq!(meta.files, vec![TorrentFile { path: RelPath::parse("movie.mkv").unwrap(), size: 1234 }]);
        assert_eq!(meta.total_size, 1234);
        assert_eq!(meta.infohash.to_hex().len(), 40);
    }

    #[test]
    fn multi_file_torrent_paths_live_under_the_name() {
        let meta = TorrentMeta::parse(&torrent("show", &[(&["s1", "e1.mkv"], 10), (&["e2.mkv"], 20)])).unwrap();
        let paths: Vec<_> = meta.files.iter().map(|f| f.path.as_str()).collect();
        assert_eq!(paths, ["show/s1/e1.mkv", "show/e2.mkv"]);
        assert_eq!(meta.total_size, 30);
    }

    #[test]
    fn traversal_and_absolute_paths_are_refused() {
        assert!(TorrentMeta::parse(&torrent("show", &[(&["..", "x"], 1)])).is_err());
        assert!(TorrentMeta::parse(&torrent("show", &[(&["/etc", "passwd"], 1)])).is_err());
        assert!(TorrentMeta::parse(&torrent("..", &[(&[], 1)])).is_err());
        assert!(TorrentMeta::parse(&torrent("a/../../b", &[(&[], 1)])).is_err());
    }

    #[test]
    fn negative_sizes_and_garbage_are_refused() {
        assert!(TorrentMeta::parse(&torrent("x", &[(&[], -5)])).is_err());
        assert!(matches!(TorrentMeta::parse(b"not bencode"), Err(InvalidTorrent::Malformed(_))));
    }

    #[test]
    fn the_infohash_is_the_sha1_of_the_info_dictionary() {
        let bytes = torrent("movie.mkv", &[(&[], 1234)]);
        let start = bytes.windows(6).position(|w| w == b"4:info").unwrap() + 6;
        let info = &bytes[start..bytes.len() - 1];
        let meta = TorrentMeta::parse(&bytes).unwrap();
        assert_eq!(meta.infohash.to_hex(), hex::encode(Sha1::digest(info)));
        assert_eq!(TorrentMeta::parse_info(info).unwrap(), meta);
    }

    #[test]
    fn deep_nesting_is_refused_before_anything_reads_it() {
        // 100,000 nested lists under `info`: a recursive parser overflows its stack on this.
        let mut deep = b"d4:info".to_vec();
        deep.extend(std::iter::repeat_n(b'l', 100_000));
        deep.extend(std::iter::repeat_n(b'e', 100_000));
        deep.push(b'e');
        assert_eq!(TorrentMeta::parse(&deep), Err(InvalidTorrent::TooDeep));
        // The same with dictionaries, inside an otherwise valid torrent.
        let mut bytes = torrent("x", &[(&[], 1)]);
        bytes.pop();
        bytes.extend(b"5:extra");
        bytes.extend(b"d1:a".repeat(50_000));
        bytes.extend(b"i0e");
        bytes.extend(std::iter::repeat_n(b'e', 50_000 + 1));
        let err = TorrentMeta::parse(&bytes).unwrap_err();
        assert_eq!(err, InvalidTorrent::TooDeep);
        assert!(err.to_string().contains("nests deeper than"), "{err}");
    }

    #[test]
    fn empty_and_slashed_components_are_refused() {
        for path in [&["", "x"][..], &["x", ""], &[""], &[], &["a/b"]] {
            let err = TorrentMeta::parse(&torrent("show", &[(path, 1), (&["y"], 1)])).unwrap_err();
            assert!(matches!(err, InvalidTorrent::UnsafePath(_)), "{path:?}: {err}");
        }
    }

    #[test]
    fn two_files_at_one_path_are_refused() {
        let twice = torrent("show", &[(&["a", "b"], 1), (&["a", "b"], 2)]);
        assert_eq!(TorrentMeta::parse(&twice), Err(InvalidTorrent::DuplicatePath("show/a/b".into())));
        // A file that is also a directory, with a name sorting between them.
        let dir = torrent("show", &[(&["a"], 1), (&["a b"], 1), (&["a", "c"], 1)]);
        assert_eq!(TorrentMeta::parse(&dir), Err(InvalidTorrent::DuplicatePath("show/a".into())));
    }

    #[test]
    fn missing_or_mistyped_fields_are_refused() {
        for bad in [
            &b"le"[..],
            b"d4:infoi1ee",
            b"d8:announce0:e",
            b"d4:infod4:name1:x12:piece lengthi0e6:pieces0:6:lengthi1eee",
            b"d4:infod4:name1:x12:piece lengthi1e6:pieces3:abc6:lengthi1eee",
            b"d4:infod4:name1:x12:piece lengthi1e6:pieces0:ee",
            b"d4:infod4:name1:x12:piece lengthi1e6:pieces0:6:lengthi1e5:filesleee",
            b"d4:infod4:name1:x12:piece lengthi1e6:pieces0:5:filesleee",
            b"d4:infod4:name1:x4:name1:y12:piece lengthi1e6:pieces0:6:lengthi1eee",
        ] {
            assert!(
                matches!(TorrentMeta::parse(bad), Err(InvalidTorrent::Malformed(_))),
                "{:?}",
                String::from_utf8_lossy(bad)
            );
        }
    }

    #[test]
    fn too_many_files_are_refused() {
        let names: Vec<String> = (0..=TorrentMeta::MAX_FILES).map(|i| format!("f{i}")).collect();
        let files: Vec<([&str; 1], i64)> = names.iter().map(|n| ([n.as_str()], 1)).collect();
        let files: Vec<(&[&str], i64)> = files.iter().map(|(p, l)| (&p[..], *l)).collect();
        assert_eq!(TorrentMeta::parse(&torrent("many", &files)), Err(InvalidTorrent::TooManyFiles));
    }
}
