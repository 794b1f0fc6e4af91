//! Fuzz targets for every parser that reads outside input in core: the magnet link, the bencode
//! reader, the `.torrent` parser, relative paths and the agent signature headers. Each feeds
//! arbitrary bytes (and mutations of valid input, so the search reaches deep paths) for a time
//! budget and checks that nothing panics and what parses is sound.
//!
//! The budget is `TSEEDER_FUZZ_MS` per target (2 s by default, the run in the test suite). A
//! long run: `TSEEDER_FUZZ_MS=600000 cargo test --release -p tseeder-core --features test-util
//! --test fuzz -- --test-threads 1` (ten minutes a target). A failure prints the seed that
//! reproduces it.

#![allow(clippy::unwrap_used, reason = "tests: a panic is a test failure")]

use std::path::{Component, Path};
use std::time::Duration;

use arbitrary::Unstructured;
use chrono::{TimeZone, Utc};
use tseeder_core::domain::bencode::Value;
use tseeder_core::domain::{MagnetLink, RelPath, TorrentMeta};
use tseeder_core::services::agent_auth;

fn budget() -> u64 {
    std::env::var("TSEEDER_FUZZ_MS").ok().and_then(|v| v.parse().ok()).unwrap_or(2_000)
}

/// Runs `property` on arbitrary input for the budget.
fn fuzz(property: impl FnMut(&mut Unstructured<'_>) -> arbitrary::Result<()>) {
    arbtest::arbtest(property).budget_ms(budget());
}

/// A valid two-file torrent to mutate.
fn seed_torrent() -> Vec<u8> {
    let mut out =
        b"d8:announce17:http://127.0.0.1/a4:infod5:filesld6:lengthi3e4:pathl1:a5:b.bineed6:lengthi5e4:pathl5:c.bineee"
            .to_vec();
    out.extend_from_slice(b"4:name4:pair12:piece lengthi16384e6:pieces20:");
    out.extend_from_slice(&[0xab; 20]);
    out.extend_from_slice(b"ee");
    out
}

/// `seed` with a few arbitrary edits: overwritten bytes, inserted bencode tokens, cuts.
fn mutate(u: &mut Unstructured<'_>, seed: &[u8]) -> arbitrary::Result<Vec<u8>> {
    let mut bytes = seed.to_vec();
    for _ in 0..u.int_in_range(0..=8)? {
        if bytes.is_empty() {
            break;
        }
        let at = u.int_in_range(0..=bytes.len() - 1)?;
        match u.int_in_range(0..=4)? {
            0 => bytes[at] = u.arbitrary()?,
            1 => {
                let token: &[u8] = u.choose(&[
                    &b"l"[..],
                    b"d",
                    b"e",
                    b"i-1e",
                    b"0:",
                    b"1:/",
                    b"2:..",
                    b"i99999999999999999999e",
                    b"le",
                    b"de",
                ])?;
                bytes.splice(at..at, token.iter().copied());
            }
            2 => bytes.truncate(at),
            3 => {
                let depth = u.int_in_range(0..=200)?;
                let nested: Vec<u8> =
                    std::iter::repeat_n(b'l', depth).chain(std::iter::repeat_n(b'e', depth)).collect();
                bytes.splice(at..at, nested);
            }
            _ => {
                bytes.remove(at);
            }
        }
    }
    Ok(bytes)
}

#[test]
fn magnet_links_never_panic_and_parse_soundly() {
    fuzz(|u| {
        let input: String = if u.arbitrary()? {
            u.arbitrary()?
        } else {
            let tail: String = u.arbitrary()?;
            let hash: &str =
                u.choose(&["0123456789abcdef0123456789abcdef01234567", "MFRGGZDFMZTWQ2LKNNWG23TPOBYXE43U", ""])?;
            format!("magnet:?xt=urn:btih:{hash}{tail}")
        };
        if let Ok(magnet) = MagnetLink::parse(&input) {
            assert_eq!(magnet.infohash().to_hex().len(), 40);
            assert_eq!(MagnetLink::parse(magnet.as_str()).unwrap().infohash(), magnet.infohash(), "{input:?}");
        }
        Ok(())
    });
}

#[test]
fn bencode_never_panics_and_whatever_parses_can_be_walked() {
    fuzz(|u| {
        let bytes = if u.arbitrary()? { u.arbitrary::<Vec<u8>>()? } else { mutate(u, &seed_torrent())? };
        if let Ok(value) = Value::parse(&bytes) {
            assert!(bytes.starts_with(value.raw()));
            let mut stack = vec![value];
            while let Some(v) = stack.pop() {
                if let Some(items) = v.as_list() {
                    stack.extend(items);
                } else if let Some(dict) = v.as_dict() {
                    stack.extend(dict.entries().map(|(_, v)| v));
                } else {
                    assert!(v.as_int().is_some() || v.as_bytes().is_some(), "{v:?}");
                }
            }
        }
        Ok(())
    });
}

#[test]
fn torrents_never_panic_and_what_parses_is_safe() {
    fuzz(|u| {
        let bytes = if u.ratio(1, 4)? { u.arbitrary::<Vec<u8>>()? } else { mutate(u, &seed_torrent())? };
        if let Ok(meta) = TorrentMeta::parse(&bytes) {
            assert_eq!(meta.total_size, meta.files.iter().map(|f| f.size).sum::<u64>());
            assert!(!meta.files.is_empty() && meta.files.len() <= TorrentMeta::MAX_FILES);
            let mut seen = std::collections::HashSet::new();
            for file in &meta.files {
                assert_eq!(RelPath::parse(file.path.as_str()).as_ref(), Ok(&file.path));
                assert!(seen.insert(file.path.as_str()), "two files at {}", file.path);
            }
        }
        Ok(())
    });
}

#[test]
fn relative_paths_never_escape_their_directory() {
    fuzz(|u| {
        let path: String = if u.arbitrary()? {
            u.arbitrary()?
        } else {
            let parts: Vec<&str> = (0..u.int_in_range(0..=6)?)
                .map(|_| u.choose(&["a", "..", ".", "", "b c", "/", "\\", "C:", "x\0y", "ä"]).copied())
                .collect::<arbitrary::Result<_>>()?;
            parts.join("/")
        };
        if let Ok(rel) = RelPath::parse(&path) {
            let root = Path::new("/srv/tseeder/job");
            let joined = root.join(rel.as_str());
            assert!(joined.starts_with(root), "{path:?}");
            assert!(Path::new(rel.as_str()).components().all(|c| matches!(c, Component::Normal(_))), "{path:?}");
        }
        Ok(())
    });
}

#[test]
fn agent_signature_headers_never_panic_and_only_the_right_signature_passes() {
    let now = Utc.with_ymd_and_hms(2026, 12, 1, 12, 0, 0).unwrap();
    let window = Duration::from_secs(300);
    fuzz(|u| {
        let timestamp: String = u.arbitrary()?;
        let _ = agent_auth::parse_timestamp(&timestamp);
        let body: Vec<u8> = u.arbitrary()?;
        let path: String = u.arbitrary()?;
        let secret = b"fuzzing secret of at least 32 bytes!";
        let ts = now.timestamp() + i64::from(u.int_in_range(-400..=400)?);
        let good = agent_auth::sign(secret, "POST", &path, ts, &body);
        let fresh = (ts - now.timestamp()).unsigned_abs() <= window.as_secs();
        assert_eq!(agent_auth::verify(secret, "POST", &path, ts, &body, &good, now, window).is_ok(), fresh);
        let forged: String = if u.arbitrary()? {
            u.arbitrary()?
        } else {
            let mut chars: Vec<char> = good.chars().collect();
            let at = u.int_in_range(0..=chars.len() - 1)?;
            chars[at] = if chars[at] == '0' { '1' } else { '0' };
            chars.into_iter().collect()
        };
        if forged != good {
            assert!(agent_auth::verify(secret, "POST", &path, ts, &body, &forged, now, window).is_err());
        }
        Ok(())
    });
}
