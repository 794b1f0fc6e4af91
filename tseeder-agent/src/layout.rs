//! What a torrent's metainfo becomes on disk and in [`EngineEvent::Metadata`].
//!
//! Paths are built once, here, as [`RelPath`]s, with the same rule as
//! [`TorrentMeta::parse`](tseeder_core::domain::TorrentMeta::parse): a single-file torrent is its
//! name, a multi-file torrent is `name/<path>`. The engine then points librqbit's output folder at
//! `<job dir>` (single file) or `<job dir>/<name>` (multi-file), so the file librqbit writes is
//! exactly `<job dir>/<RelPath>`. A torrent whose name or paths are not safe relative paths is
//! refused here, before librqbit creates a single file.
//!
//! [`EngineEvent::Metadata`]: tseeder_core::ports::EngineEvent::Metadata

use librqbit_core::Id20;
use librqbit_core::torrent_metainfo::{ValidatedTorrentMetaV1Info, torrent_from_bytes};
use tseeder_core::domain::torrent::InvalidTorrent;
use tseeder_core::domain::{RelPath, TorrentFile, TorrentMeta};

/// A torrent's files as tseeder names them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Layout {
    /// The infohash of the metainfo.
    pub(crate) info_hash: Id20,
    /// The torrent's name.
    pub(crate) name: String,
    /// The directory under the job dir that librqbit writes into: `None` for a single-file
    /// torrent, `Some(name)` for a multi-file one.
    pub(crate) root: Option<RelPath>,
    /// Every file, in torrent order.
    pub(crate) files: Vec<TorrentFile>,
    /// BEP 47 padding files (librqbit never writes them, so they are never reported ready).
    pub(crate) padding: Vec<bool>,
}

impl Layout {
    /// Parses `.torrent` bytes and checks them.
    ///
    /// # Errors
    /// A human-readable reason: malformed metainfo, more than `max_files` files, or an unsafe
    /// name or path.
    pub(crate) fn from_torrent_bytes(bytes: &[u8], max_files: usize) -> Result<Self, String> {
        // Core's checks first, with its non-recursive reader: nesting depth, safe and distinct
        // paths. Whatever passes them, librqbit lays out exactly as the paths below say.
        let meta = TorrentMeta::parse(bytes).map_err(|e| match e {
            InvalidTorrent::UnsafePath(e) => format!("unsafe path in the torrent: {e}"),
            other => other.to_string(),
        })?;
        let parsed = torrent_from_bytes(bytes).map_err(|e| format!("not a valid torrent: {e}"))?;
        if parsed.info_hash.0 != *meta.infohash.as_bytes() {
            return Err("not a valid torrent: its infohash is ambiguous".into());
        }
        let info_hash = parsed.info_hash;
        let info = parsed.info.data.validate().map_err(|e| format!("not a valid torrent: {e}"))?;
        Self::from_info(info_hash, &info, max_files)
    }

    fn from_info<B: AsRef<[u8]>>(
        info_hash: Id20,
        info: &ValidatedTorrentMetaV1Info<B>,
        max_files: usize,
    ) -> Result<Self, String> {
        let count = info.iter_file_details().count();
        if count > max_files {
            return Err(format!("the torrent lists {count} files, more than the limit of {max_files}"));
        }
        let unsafe_path = |e| format!("unsafe path in the torrent: {e}");
        // librqbit writes each file at `<output folder>/<filename.to_pathbuf()>`; the same path is
        // used here, so what is reported is what is on disk.
        let own_path = |fd: &librqbit_core::torrent_metainfo::FileDetails<'_, B>| {
            RelPath::from_path(&fd.filename.to_pathbuf()).map_err(unsafe_path)
        };
        let padding = info.iter_file_details().map(|fd| fd.attrs().padding).collect();
        if info.info().files.is_none() {
            let fd = info.iter_file_details().next().ok_or("the torrent lists no file")?;
            let path = own_path(&fd)?;
            let name = info.name().map_or_else(|| path.to_string(), |n| n.into_owned());
            let files = vec![TorrentFile { path, size: fd.len }];
            return Ok(Self { info_hash, name, root: None, files, padding });
        }
        let name = info.name().ok_or("a multi-file torrent needs a name")?.into_owned();
        let root = RelPath::parse(&name).map_err(unsafe_path)?;
        let files = info
            .iter_file_details()
            .map(|fd| Ok(TorrentFile { path: root.join(&own_path(&fd)?), size: fd.len }))
            .collect::<Result<Vec<_>, String>>()?;
        Ok(Self { info_hash, name, root: Some(root), files, padding })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Bencodes a torrent by hand, so tests can build hostile ones. `files` empty paths mean a
    /// single-file torrent.
    fn torrent(name: &str, files: &[(&[&str], u64)]) -> Vec<u8> {
        let s = |x: &str| format!("{}:{}", x.len(), x);
        let total: u64 = files.iter().map(|f| f.1).sum();
        let pieces = total.div_ceil(16384).max(1) as usize;
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
        info += &format!("4:name{}12:piece lengthi16384e6:pieces{}:", s(name), pieces * 20);
        let mut out = format!("d4:info{info}").into_bytes();
        out.extend(std::iter::repeat_n(0xab, pieces * 20));
        out.extend_from_slice(b"ee");
        out
    }

    fn paths(layout: &Layout) -> Vec<&str> {
        layout.files.iter().map(|f| f.path.as_str()).collect()
    }

    #[test]
    fn single_file_torrent_is_its_name() {
        let layout = Layout::from_torrent_bytes(&torrent("movie.mkv", &[(&[], 1234)]), 10).unwrap();
        assert_eq!(layout.name, "movie.mkv");
        assert_eq!(layout.root, None);
        assert_eq!(paths(&layout), ["movie.mkv"]);
        assert_eq!(layout.files[0].size, 1234);
    }

    #[test]
    fn multi_file_paths_live_under_the_name() {
        let bytes = torrent("show", &[(&["s1", "e1.mkv"], 10), (&["e2.mkv"], 20)]);
        let layout = Layout::from_torrent_bytes(&bytes, 10).unwrap();
        assert_eq!(layout.root.as_ref().map(RelPath::as_str), Some("show"));
        assert_eq!(paths(&layout), ["show/s1/e1.mkv", "show/e2.mkv"]);
        assert_eq!(layout.padding, [false, false]);
    }

    #[test]
    fn layout_is_refused_when_a_name_or_path_would_escape() {
        // librqbit refuses `..` inside file paths itself, but not in a multi-file torrent's name.
        assert!(Layout::from_torrent_bytes(&torrent("..", &[(&["a"], 1), (&["b"], 1)]), 10).is_err());
        assert!(Layout::from_torrent_bytes(&torrent("a/../..", &[(&["a"], 1), (&["b"], 1)]), 10).is_err());
        assert!(Layout::from_torrent_bytes(&torrent("show", &[(&["..", "x"], 1)]), 10).is_err());
        assert!(Layout::from_torrent_bytes(&torrent("..", &[(&[], 1)]), 10).is_err());
        assert!(Layout::from_torrent_bytes(&torrent("", &[(&["a"], 1), (&["b"], 1)]), 10).is_err());
    }

    #[test]
    fn layout_is_refused_when_there_are_too_many_files() {
        let bytes = torrent("many", &[(&["a"], 1), (&["b"], 1), (&["c"], 1)]);
        let err = Layout::from_torrent_bytes(&bytes, 2).unwrap_err();
        assert!(err.contains("more than the limit of 2"), "{err}");
    }

    #[test]
    fn deep_nesting_and_empty_components_are_refused_before_librqbit_parses() {
        let mut deep = torrent("x", &[(&[], 1)]);
        deep.pop();
        deep.extend(b"5:extra");
        deep.extend(std::iter::repeat_n(b'l', 100_000));
        deep.extend(std::iter::repeat_n(b'e', 100_000 + 1));
        let err = Layout::from_torrent_bytes(&deep, 10).unwrap_err();
        assert!(err.contains("nests deeper than"), "{err}");
        let empty = Layout::from_torrent_bytes(&torrent("show", &[(&["", "x"], 1), (&["y"], 1)]), 10).unwrap_err();
        assert!(err.contains("nests") && empty.contains("empty component"), "{empty}");
    }

    #[test]
    fn garbage_is_not_a_torrent() {
        assert!(Layout::from_torrent_bytes(b"not bencode", 10).is_err());
    }
}
