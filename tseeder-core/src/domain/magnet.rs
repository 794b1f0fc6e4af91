//! Magnet links (BEP 9): `magnet:?xt=urn:btih:<infohash>&dn=<name>&tr=<tracker>...`.

use std::fmt;

use super::Infohash;

/// A parsed magnet link. Keeps the original text (the engine needs it) but never prints the
/// tracker parameters in `Debug`, since private trackers put passkeys there.
#[derive(Clone, PartialEq, Eq)]
pub struct MagnetLink {
    uri: String,
    infohash: Infohash,
    display_name: Option<String>,
}

/// Why a string is not an acceptable magnet link.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum InvalidMagnet {
    /// Not a `magnet:?` URI.
    #[error("not a magnet link (expected `magnet:?xt=urn:btih:...`)")]
    NotMagnet,
    /// No `xt=urn:btih:` parameter.
    #[error("the magnet link has no `xt=urn:btih:` infohash")]
    MissingInfohash,
    /// The infohash is malformed.
    #[error("the magnet link's infohash is not 40 hex or 32 base32 characters")]
    BadInfohash,
    /// Longer than [`MagnetLink::MAX_LEN`].
    #[error("the magnet link is longer than {} characters", MagnetLink::MAX_LEN)]
    TooLong,
}

impl MagnetLink {
    /// Longest magnet link accepted.
    pub const MAX_LEN: usize = 8192;

    /// Parses a magnet link, accepting hex and base32 infohashes.
    pub fn parse(input: &str) -> Result<Self, InvalidMagnet> {
        let input = input.trim();
        if input.len() > Self::MAX_LEN {
            return Err(InvalidMagnet::TooLong);
        }
        let url = url::Url::parse(input).map_err(|_| InvalidMagnet::NotMagnet)?;
        if url.scheme() != "magnet" {
            return Err(InvalidMagnet::NotMagnet);
        }
        let mut infohash = None;
        let mut display_name = None;
        for (key, value) in url.query_pairs() {
            match key.as_ref() {
                "xt" => {
                    if let Some(hash) = value.strip_prefix("urn:btih:") {
                        infohash = Some(hash.parse().map_err(|_| InvalidMagnet::BadInfohash)?);
                    }
                }
                "dn" if !value.trim().is_empty() => display_name = Some(value.trim().to_owned()),
                _ => {}
            }
        }
        Ok(Self { uri: input.to_owned(), infohash: infohash.ok_or(InvalidMagnet::MissingInfohash)?, display_name })
    }

    /// The infohash the link names.
    pub fn infohash(&self) -> Infohash {
        self.infohash
    }

    /// The `dn=` display name, if any.
    pub fn display_name(&self) -> Option<&str> {
        self.display_name.as_deref()
    }

    /// The link as given (including tracker parameters).
    pub fn as_str(&self) -> &str {
        &self.uri
    }
}

impl fmt::Debug for MagnetLink {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MagnetLink")
            .field("infohash", &self.infohash)
            .field("display_name", &self.display_name)
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn magnet_with_hex_hash_and_name_parses() {
        let m = MagnetLink::parse(
            "magnet:?xt=urn:btih:c12fe1c06bba254a9dc9f519b335aa7c1367a88a&dn=Some%20Name&tr=udp%3A%2F%2Ft",
        )
        .unwrap();
        assert_eq!(m.infohash().to_hex(), "c12fe1c06bba254a9dc9f519b335aa7c1367a88a");
        assert_eq!(m.display_name(), Some("Some Name"));
        assert!(!format!("{m:?}").contains("udp"), "Debug must not print trackers");
    }

    #[test]
    fn magnet_with_base32_hash_parses() {
        let m = MagnetLink::parse("magnet:?xt=urn:btih:YEX6DQDLXISUVHOJ6UM3GNNKPQJWPKEK").unwrap();
        assert_eq!(m.infohash().to_hex(), "c12fe1c06bba254a9dc9f519b335aa7c1367a88a");
    }

    #[test]
    fn bad_magnets_are_rejected_with_a_reason() {
        assert_eq!(MagnetLink::parse("http://x"), Err(InvalidMagnet::NotMagnet));
        assert_eq!(MagnetLink::parse("not a url"), Err(InvalidMagnet::NotMagnet));
        assert_eq!(MagnetLink::parse("magnet:?dn=x"), Err(InvalidMagnet::MissingInfohash));
        assert_eq!(MagnetLink::parse("magnet:?xt=urn:btih:1234"), Err(InvalidMagnet::BadInfohash));
        let long = format!("magnet:?xt=urn:btih:{}&dn={}", "a".repeat(40), "x".repeat(9000));
        assert_eq!(MagnetLink::parse(&long), Err(InvalidMagnet::TooLong));
    }
}
