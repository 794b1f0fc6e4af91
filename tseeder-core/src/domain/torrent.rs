//! `.torrent` metainfo parsing (BitTorrent v1), with the checks tseeder needs before it accepts one:
//! the infohash, a safe name, safe file paths and sane sizes.

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
    /// Not bencode, or required fields missing.
    #[error("not a valid .torrent file: {0}")]
    Malformed(String),
    /// Larger than [`TorrentMeta::MAX_BYTES`].
    #[error("the .torrent file is larger than {} bytes", TorrentMeta::MAX_BYTES)]
    TooLarge,
    /// More files than [`TorrentMeta::MAX_FILES`].
    #[error("the torrent lists more than {} files", TorrentMeta::MAX_FILES)]
    TooManyFiles,
    /// A file path or the name would escape the job's directory.
    #[error(transparent)]
    UnsafePath(#[from] super::rel_path::UnsafePath),
    /// A negative size, or sizes whose sum overflows.
    #[error("the torrent declares an impossible size")]
    BadSize,
}

impl TorrentMeta {
    /// Largest `.torrent` file accepted (metainfo, not payload).
    pub const MAX_BYTES: usize = 10 * 1024 * 1024;
    /// Most files accepted in one torrent.
    pub const MAX_FILES: usize = 10_000;

    /// Parses and checks `.torrent` bytes.
    pub fn parse(bytes: &[u8]) -> Result<Self, InvalidTorrent> {
        if bytes.len() > Self::MAX_BYTES {
            return Err(InvalidTorrent::TooLarge);
        }
        let torrent = lava_torrent::torrent::v1::Torrent::read_from_bytes(bytes)
            .map_err(|e| InvalidTorrent::Malformed(e.to_string()))?;
        let hash: [u8; 20] = torrent
            .info_hash_bytes()
            .try_into()
            .map_err(|_| InvalidTorrent::Malformed("infohash is not 20 bytes".into()))?;
        let root = RelPath::parse(&torrent.name)?;
        let size = |n: i64| u64::try_from(n).map_err(|_| InvalidTorrent::BadSize);
        let files = match &torrent.files {
            None => vec![TorrentFile { path: root.clone(), size: size(torrent.length)? }],
            Some(files) => {
                if files.len() > Self::MAX_FILES {
                    return Err(InvalidTorrent::TooManyFiles);
                }
                files
                    .iter()
                    .map(|f| Ok(TorrentFile { path: root.join(&RelPath::from_path(&f.path)?), size: size(f.length)? }))
                    .collect::<Result<Vec<_>, InvalidTorrent>>()?
            }
        };
        let total_size =
            files.iter().try_fold(0u64, |acc, f| acc.checked_add(f.size)).ok_or(InvalidTorrent::BadSize)?;
        Ok(Self { infohash: Infohash::from_bytes(hash), name: torrent.name, files, total_size })
    }
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
    fn too_many_files_are_refused() {
        let names: Vec<String> = (0..=TorrentMeta::MAX_FILES).map(|i| format!("f{i}")).collect();
        let files: Vec<([&str; 1], i64)> = names.iter().map(|n| ([n.as_str()], 1)).collect();
        let files: Vec<(&[&str], i64)> = files.iter().map(|(p, l)| (&p[..], *l)).collect();
        assert_eq!(TorrentMeta::parse(&torrent("many", &files)), Err(InvalidTorrent::TooManyFiles));
    }
}
