//! The BitTorrent v1 infohash: the SHA-1 of a torrent's bencoded `info` dictionary.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// A 20-byte torrent infohash. Parsed from 40 hex characters or 32 base32 characters (both
/// appear in magnet links); displayed as 40 lowercase hex characters.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Infohash([u8; 20]);

/// Why a string is not an infohash.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("an infohash is 40 hex or 32 base32 characters")]
pub struct InvalidInfohash;

impl Infohash {
    /// Wraps raw hash bytes.
    pub fn from_bytes(bytes: [u8; 20]) -> Self {
        Self(bytes)
    }

    /// The raw 20 bytes.
    pub fn as_bytes(&self) -> &[u8; 20] {
        &self.0
    }

    /// Lowercase hex form, the canonical text form used in storage and the API.
    pub fn to_hex(&self) -> String {
        // Straight into one string rather than through `hex::encode`'s char iterator: every job
        // listed shows its infohash.
        const DIGITS: &[u8; 16] = b"0123456789abcdef";
        let mut hex = String::with_capacity(40);
        for byte in self.0 {
            hex.push(char::from(DIGITS[usize::from(byte >> 4)]));
            hex.push(char::from(DIGITS[usize::from(byte & 0x0f)]));
        }
        hex
    }
}

impl FromStr for Infohash {
    type Err = InvalidInfohash;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let mut out = [0u8; 20];
        match s.len() {
            40 => hex::decode_to_slice(s, &mut out).map_err(|_| InvalidInfohash)?,
            32 => {
                let upper = s.to_ascii_uppercase();
                let bytes = data_encoding::BASE32_NOPAD.decode(upper.as_bytes()).map_err(|_| InvalidInfohash)?;
                out.copy_from_slice(bytes.get(..20).ok_or(InvalidInfohash)?);
            }
            _ => return Err(InvalidInfohash),
        }
        Ok(Self(out))
    }
}

impl fmt::Display for Infohash {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_hex())
    }
}

impl fmt::Debug for Infohash {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Infohash({})", self.to_hex())
    }
}

impl Serialize for Infohash {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.to_hex())
    }
}

impl<'de> Deserialize<'de> for Infohash {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hex_and_base32_forms_parse_to_the_same_hash() {
        let hex: Infohash = "c12fe1c06bba254a9dc9f519b335aa7c1367a88a".parse().unwrap();
        let b32: Infohash = data_encoding::BASE32_NOPAD.encode(hex.as_bytes()).parse().unwrap();
        assert_eq!(hex, b32);
        assert_eq!(hex.to_string(), "c12fe1c06bba254a9dc9f519b335aa7c1367a88a");
    }

    #[test]
    fn uppercase_hex_is_accepted_and_normalised() {
        let h: Infohash = "C12FE1C06BBA254A9DC9F519B335AA7C1367A88A".parse().unwrap();
        assert_eq!(h.to_hex(), "c12fe1c06bba254a9dc9f519b335aa7c1367a88a");
    }

    #[test]
    fn wrong_lengths_and_characters_are_rejected() {
        for bad in ["", "abc", "zz2fe1c06bba254a9dc9f519b335aa7c1367a88a", "c12fe1c06bba254a9dc9f519b335aa7c1367a88"] {
            assert!(bad.parse::<Infohash>().is_err(), "{bad}");
        }
    }
}
