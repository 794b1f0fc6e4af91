//! A bencode reader for input from outside (`.torrent` uploads, metadata fetched from peers) that
//! cannot be made to overflow the stack or allocate in proportion to hostile nesting.
//!
//! [`Value::parse`] checks a whole value first with one iterative pass (no recursion, no
//! allocation): the syntax, and a nesting depth of at most [`MAX_DEPTH`]. Only then are its parts
//! read, lazily: a [`Value`] is a view of the bytes of one well-formed value, and reading a list
//! or a dictionary walks those bytes again. A real `.torrent` nests five levels (the file, `info`,
//! `files`, a file, its `path`); anything much deeper is an attack, and is refused before any
//! code looks inside it.

use std::fmt;

/// The deepest nesting [`Value::parse`] accepts: a top-level list or dictionary is depth 1.
pub const MAX_DEPTH: usize = 32;

/// Why bytes are not acceptable bencode.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BencodeError {
    /// Lists and dictionaries nest deeper than [`MAX_DEPTH`].
    #[error("bencode nests deeper than {MAX_DEPTH} levels")]
    TooDeep,
    /// The bytes end before the value does.
    #[error("bencode ends early")]
    Truncated,
    /// Something other than bencode at byte `at`; `what` says what was expected.
    #[error("invalid bencode at byte {at}: {what}")]
    Syntax {
        /// Offset of the offending byte.
        at: usize,
        /// What was wrong there.
        what: &'static str,
    },
}

/// One well-formed bencode value: a view of its bytes (`raw`), read on demand.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct Value<'a> {
    raw: &'a [u8],
}

impl fmt::Debug for Value<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Value({})", String::from_utf8_lossy(&self.raw[..self.raw.len().min(64)]))
    }
}

impl<'a> Value<'a> {
    /// Checks that `bytes` start with one well-formed value nested at most [`MAX_DEPTH`] deep and
    /// returns it. Bytes after the value are ignored, as other BitTorrent clients do.
    pub fn parse(bytes: &'a [u8]) -> Result<Self, BencodeError> {
        let end = scan(bytes, 0)?;
        Ok(Self { raw: &bytes[..end] })
    }

    /// The exact bytes of this value (for a dictionary, what an infohash is computed over).
    pub fn raw(&self) -> &'a [u8] {
        self.raw
    }

    /// The integer, if this is one.
    pub fn as_int(&self) -> Option<i64> {
        let digits = self.raw.strip_prefix(b"i")?.strip_suffix(b"e")?;
        std::str::from_utf8(digits).ok()?.parse().ok()
    }

    /// The byte string, if this is one.
    pub fn as_bytes(&self) -> Option<&'a [u8]> {
        if !self.raw.first().is_some_and(u8::is_ascii_digit) {
            return None;
        }
        let colon = self.raw.iter().position(|&b| b == b':')?;
        Some(&self.raw[colon + 1..])
    }

    /// The byte string as UTF-8 text, if this is one and it is valid UTF-8.
    pub fn as_str(&self) -> Option<&'a str> {
        std::str::from_utf8(self.as_bytes()?).ok()
    }

    /// The items, if this is a list.
    pub fn as_list(&self) -> Option<Items<'a>> {
        (self.raw.first() == Some(&b'l')).then_some(Items { raw: self.raw, pos: 1 })
    }

    /// The entries, if this is a dictionary.
    pub fn as_dict(&self) -> Option<Dict<'a>> {
        (self.raw.first() == Some(&b'd')).then_some(Dict { raw: self.raw })
    }
}

/// The items of a list, in order.
#[derive(Debug, Clone)]
pub struct Items<'a> {
    raw: &'a [u8],
    pos: usize,
}

impl<'a> Iterator for Items<'a> {
    type Item = Value<'a>;

    fn next(&mut self) -> Option<Value<'a>> {
        if self.raw.get(self.pos) == Some(&b'e') {
            return None;
        }
        // The whole list was checked by `Value::parse`, so every item scans.
        let end = scan(self.raw, self.pos).ok()?;
        let item = Value { raw: &self.raw[self.pos..end] };
        self.pos = end;
        Some(item)
    }
}

/// A dictionary's entries.
#[derive(Debug, Clone, Copy)]
pub struct Dict<'a> {
    raw: &'a [u8],
}

impl<'a> Dict<'a> {
    /// Every `(key, value)` entry, in the order written.
    pub fn entries(&self) -> impl Iterator<Item = (&'a [u8], Value<'a>)> + use<'a> {
        let mut items = Items { raw: self.raw, pos: 1 };
        std::iter::from_fn(move || {
            let key = items.next()?.as_bytes()?;
            Some((key, items.next()?))
        })
    }

    /// The value of `key`: `Ok(None)` when absent, an error when the key appears twice (two
    /// readers could otherwise disagree about which one counts).
    pub fn get(&self, key: &str) -> Result<Option<Value<'a>>, DuplicateKey> {
        let mut found = None;
        for (k, v) in self.entries() {
            if k == key.as_bytes() {
                if found.is_some() {
                    return Err(DuplicateKey(key.to_owned()));
                }
                found = Some(v);
            }
        }
        Ok(found)
    }
}

/// A dictionary names the same key twice.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("the key {0:?} appears twice")]
pub struct DuplicateKey(pub String);

/// Where the scanner is inside a container.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Frame {
    List,
    /// A dictionary; `true` when the next item is a key.
    Dict(bool),
}

/// Checks the value starting at `start` and returns the offset just past it. Iterative: the
/// open containers are a small stack of [`Frame`]s bounded by [`MAX_DEPTH`].
fn scan(buf: &[u8], start: usize) -> Result<usize, BencodeError> {
    let mut stack: Vec<Frame> = Vec::new();
    let mut pos = start;
    loop {
        let byte = *buf.get(pos).ok_or(BencodeError::Truncated)?;
        // Is this item a dictionary key? Keys must be byte strings.
        let key = match stack.last_mut() {
            Some(Frame::Dict(expect_key)) => {
                let key = *expect_key;
                if byte != b'e' {
                    *expect_key = !key;
                }
                key
            }
            _ => false,
        };
        match byte {
            b'e' if !stack.is_empty() => {
                if stack.last() == Some(&Frame::Dict(false)) {
                    return Err(BencodeError::Syntax { at: pos, what: "a dictionary key without a value" });
                }
                stack.pop();
                pos += 1;
            }
            b'l' | b'd' if !key => {
                if stack.len() >= MAX_DEPTH {
                    return Err(BencodeError::TooDeep);
                }
                stack.push(if byte == b'l' { Frame::List } else { Frame::Dict(true) });
                pos += 1;
                continue;
            }
            b'i' if !key => pos = scan_int(buf, pos)?,
            b'0'..=b'9' => pos = scan_bytes(buf, pos)?,
            _ if key => return Err(BencodeError::Syntax { at: pos, what: "a dictionary key that is not a string" }),
            _ => return Err(BencodeError::Syntax { at: pos, what: "an unknown type" }),
        }
        if stack.is_empty() {
            return Ok(pos);
        }
    }
}

/// `i<digits>e` at `pos`: an optional minus, no leading zeros, no `-0`, fits an `i64`.
fn scan_int(buf: &[u8], pos: usize) -> Result<usize, BencodeError> {
    let body_start = pos + 1;
    let len = buf[body_start.min(buf.len())..].iter().position(|&b| b == b'e').ok_or(BencodeError::Truncated)?;
    let body = &buf[body_start..body_start + len];
    let bad = |what| BencodeError::Syntax { at: pos, what };
    let digits = body.strip_prefix(b"-").unwrap_or(body);
    if digits.is_empty() || !digits.iter().all(u8::is_ascii_digit) {
        return Err(bad("an integer that is not decimal digits"));
    }
    if (digits[0] == b'0' && digits.len() > 1) || body == b"-0" {
        return Err(bad("an integer with a leading zero"));
    }
    // Checked above to be ASCII digits.
    let text = std::str::from_utf8(body).map_err(|_| bad("an integer that is not decimal digits"))?;
    text.parse::<i64>().map_err(|_| bad("an integer out of range"))?;
    Ok(body_start + len + 1)
}

/// `<length>:<bytes>` at `pos`.
fn scan_bytes(buf: &[u8], pos: usize) -> Result<usize, BencodeError> {
    let bad = |what| BencodeError::Syntax { at: pos, what };
    let len_digits = buf[pos..].iter().take_while(|b| b.is_ascii_digit()).count();
    if len_digits > 1 && buf[pos] == b'0' {
        return Err(bad("a string length with a leading zero"));
    }
    if len_digits > 18 {
        return Err(bad("a string length out of range"));
    }
    let colon = pos + len_digits;
    match buf.get(colon) {
        None => return Err(BencodeError::Truncated),
        Some(b':') => {}
        Some(_) => return Err(bad("a string length not followed by `:`")),
    }
    let len: usize = std::str::from_utf8(&buf[pos..colon])
        .ok()
        .and_then(|s| s.parse().ok())
        .ok_or(bad("a string length out of range"))?;
    let end = (colon + 1).checked_add(len).ok_or(BencodeError::Truncated)?;
    if end > buf.len() {
        return Err(BencodeError::Truncated);
    }
    Ok(end)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn nested(open: &str, depth: usize) -> Vec<u8> {
        let mut v = open.repeat(depth).into_bytes();
        v.extend(std::iter::repeat_n(b'e', depth));
        v
    }

    #[test]
    fn scalars_parse() {
        assert_eq!(Value::parse(b"i42e").unwrap().as_int(), Some(42));
        assert_eq!(Value::parse(b"i-7e").unwrap().as_int(), Some(-7));
        assert_eq!(Value::parse(b"i0e").unwrap().as_int(), Some(0));
        assert_eq!(Value::parse(b"4:spam").unwrap().as_bytes(), Some(&b"spam"[..]));
        assert_eq!(Value::parse(b"0:").unwrap().as_str(), Some(""));
        assert_eq!(Value::parse(b"i42e").unwrap().as_bytes(), None);
        assert_eq!(Value::parse(b"4:spam").unwrap().as_int(), None);
    }

    #[test]
    fn containers_are_read_lazily_and_keep_their_raw_bytes() {
        let v = Value::parse(b"d3:cow3:moo4:spaml1:a1:bi3eee").unwrap();
        let d = v.as_dict().unwrap();
        assert_eq!(d.get("cow").unwrap().unwrap().as_str(), Some("moo"));
        let items: Vec<_> = d.get("spam").unwrap().unwrap().as_list().unwrap().collect();
        assert_eq!(items.len(), 3);
        assert_eq!(items[2].as_int(), Some(3));
        assert_eq!(items[0].raw(), b"1:a");
        assert_eq!(d.get("none").unwrap(), None);
        assert_eq!(d.get("spam").unwrap().unwrap().raw(), b"l1:a1:bi3ee");
    }

    #[test]
    fn trailing_bytes_are_ignored() {
        assert_eq!(Value::parse(b"le\n").unwrap().raw(), b"le");
    }

    #[test]
    fn duplicate_keys_are_refused_on_read() {
        let v = Value::parse(b"d1:ai1e1:ai2ee").unwrap();
        assert_eq!(v.as_dict().unwrap().get("a"), Err(DuplicateKey("a".into())));
    }

    #[test]
    fn nesting_up_to_the_limit_parses_and_beyond_is_refused() {
        assert!(Value::parse(&nested("l", MAX_DEPTH)).is_ok());
        assert_eq!(Value::parse(&nested("l", MAX_DEPTH + 1)), Err(BencodeError::TooDeep));
        let mut dicts = b"d1:a".repeat(MAX_DEPTH + 1);
        dicts.extend(b"i0e");
        dicts.extend(std::iter::repeat_n(b'e', MAX_DEPTH + 1));
        assert_eq!(Value::parse(&dicts), Err(BencodeError::TooDeep));
    }

    #[test]
    fn a_million_levels_are_refused_without_recursion() {
        // Deep enough to overflow any recursive parser's stack.
        assert_eq!(Value::parse(&nested("l", 1_000_000)), Err(BencodeError::TooDeep));
        assert_eq!(Value::parse(&nested("l", 1_000_000)[..1_000_000]), Err(BencodeError::TooDeep));
    }

    #[test]
    fn malformed_input_is_refused() {
        for bad in [
            &b""[..],
            b"i",
            b"ie",
            b"i-e",
            b"i-0e",
            b"i03e",
            b"i1x2e",
            b"i99999999999999999999e",
            b"5:abc",
            b"05:abcde",
            b"3abc",
            b"l",
            b"d1:ae",
            b"di1ei2ee",
            b"dle1:ae",
            b"x",
            b"e",
            b"99999999999999999999:a",
        ] {
            assert!(Value::parse(bad).is_err(), "{:?} parsed", String::from_utf8_lossy(bad));
        }
    }

    #[test]
    fn random_bytes_never_panic() {
        use rand::{Rng, SeedableRng};
        let mut rng = rand::rngs::StdRng::seed_from_u64(0xbe);
        let alphabet = b"ilde0123456789:-x";
        for _ in 0..20_000 {
            let len = rng.random_range(0..40);
            let bytes: Vec<u8> = (0..len).map(|_| alphabet[rng.random_range(0..alphabet.len())]).collect();
            if let Ok(v) = Value::parse(&bytes) {
                // Whatever parsed can be walked completely.
                let mut stack = vec![v];
                while let Some(v) = stack.pop() {
                    if let Some(items) = v.as_list() {
                        stack.extend(items);
                    } else if let Some(d) = v.as_dict() {
                        stack.extend(d.entries().map(|(_, v)| v));
                    } else {
                        assert!(v.as_int().is_some() || v.as_bytes().is_some(), "{v:?}");
                    }
                }
            }
        }
    }
}
