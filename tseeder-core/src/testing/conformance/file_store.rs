//! The suite of the [`FileStore`]: streamed uploads, whole and ranged reads, sizes, overwrites,
//! failed uploads and deletes.

use std::io;
use std::ops::Range;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;

use futures::StreamExt;
use tokio::io::{AsyncRead, ReadBuf};

use crate::ports::{FileStore, FileStoreError};

const MIB: u64 = 1024 * 1024;

/// Byte `i` of the test pattern: consecutive little-endian `u32` counters, so no two 4-byte
/// words of the first 16 GiB are equal and a misplaced chunk is always noticed.
fn pattern(i: u64) -> u8 {
    ((i / 4) >> (8 * (i % 4))) as u8
}

/// Yields `len` bytes of [`pattern`] in odd-sized reads, or fails once `fail_at` bytes are
/// read. Nothing is held in memory.
struct PatternReader {
    pos: u64,
    len: u64,
    fail_at: Option<u64>,
}

impl PatternReader {
    fn new(len: u64) -> Box<Self> {
        Box::new(Self { pos: 0, len, fail_at: None })
    }

    fn failing_at(len: u64, fail_at: u64) -> Box<Self> {
        Box::new(Self { pos: 0, len, fail_at: Some(fail_at) })
    }
}

impl AsyncRead for PatternReader {
    fn poll_read(mut self: Pin<&mut Self>, _cx: &mut Context<'_>, buf: &mut ReadBuf<'_>) -> Poll<io::Result<()>> {
        let end = self.len.min(self.fail_at.unwrap_or(u64::MAX));
        if self.pos >= end && self.fail_at.is_some_and(|f| self.pos >= f) {
            return Poll::Ready(Err(io::Error::other("the upload source failed")));
        }
        let n = (end - self.pos).min(buf.remaining() as u64).min(7919);
        let chunk: Vec<u8> = (self.pos..self.pos + n).map(pattern).collect();
        buf.put_slice(&chunk);
        self.pos += n;
        Poll::Ready(Ok(()))
    }
}

async fn read(store: &dyn FileStore, key: &str, range: Option<Range<u64>>) -> Result<Vec<u8>, FileStoreError> {
    let mut stream = store.get(key, range).await?;
    let mut out = Vec::new();
    while let Some(chunk) = stream.next().await {
        out.extend_from_slice(&chunk?);
    }
    Ok(out)
}

/// Asserts that `bytes` are the pattern's bytes from `start`, without printing megabytes.
fn assert_pattern(bytes: &[u8], start: u64, len: u64, what: &str) {
    assert_eq!(bytes.len() as u64, len, "{what}: length");
    if let Some(i) = (0..bytes.len()).find(|&i| bytes[i] != pattern(start + i as u64)) {
        panic!("{what}: byte {} differs from the uploaded one", start + i as u64);
    }
}

async fn put_bytes(store: &dyn FileStore, key: &str, bytes: &'static [u8]) -> u64 {
    store.put(key, Box::new(bytes)).await.unwrap()
}

/// Runs every [`FileStore`] behaviour test: streaming multipart uploads, whole and ranged
/// reads, sizes, overwrites, failed uploads, deletes. Uses keys under `conformance/`.
pub async fn file_store(store: Arc<dyn FileStore>) {
    let s = &*store;
    let big = "conformance/blobs/Season 1/big file \u{e4}.bin";
    // Larger than one multipart part of any reasonable adapter (S3's minimum is 5 MiB,
    // object_store's default 10 MiB), and not a multiple of anything.
    let len = 12 * MIB + 123;

    // Missing objects.
    assert!(matches!(s.get(big, None).await, Err(FileStoreError::NotFound)), "get of a missing key");
    assert!(matches!(s.get(big, Some(0..2)).await, Err(FileStoreError::NotFound)), "ranged get of a missing key");
    assert!(matches!(s.size(big).await, Err(FileStoreError::NotFound)), "size of a missing key");

    // A streamed upload, read back whole and by ranges.
    assert_eq!(s.put(big, PatternReader::new(len)).await.unwrap(), len, "put returns the bytes written");
    assert_eq!(s.size(big).await.unwrap(), len);
    assert_pattern(&read(s, big, None).await.unwrap(), 0, len, "whole object");
    assert_eq!(read(s, big, Some(0..2)).await.unwrap(), [pattern(0), pattern(1)], "range 0..2");
    for range in [10 * MIB - 3..10 * MIB + 5, 5 * MIB..5 * MIB + 1, 1..len - 1, len - 1..len] {
        let what = format!("range {range:?}");
        assert_pattern(&read(s, big, Some(range.clone())).await.unwrap(), range.start, range.end - range.start, &what);
    }
    assert_pattern(&read(s, big, Some(len - 10..len + 100)).await.unwrap(), len - 10, 10, "range ending past the end");
    for range in [len..len + 10, len + 1..len + 10, u64::MAX - 1..u64::MAX] {
        assert!(
            matches!(s.get(big, Some(range.clone())).await, Err(FileStoreError::InvalidRange)),
            "range {range:?} starts at or past the end"
        );
    }

    // A URL, if the backend signs them; it does not need the object to be read first.
    if let Some(url) = s.presigned_get(big, Duration::from_secs(60)).await.unwrap() {
        assert!(url.contains("://"), "a presigned URL is absolute: {url}");
    }

    // Overwrite replaces the object; a failed upload changes nothing and leaves nothing.
    assert_eq!(put_bytes(s, big, b"hello").await, 5);
    assert_eq!(s.size(big).await.unwrap(), 5);
    assert_eq!(read(s, big, None).await.unwrap(), b"hello");
    assert_eq!(read(s, big, Some(3..100)).await.unwrap(), b"lo");
    assert!(s.put(big, PatternReader::failing_at(len, 11 * MIB)).await.is_err(), "a failing reader fails put");
    assert_eq!(read(s, big, None).await.unwrap(), b"hello", "a failed overwrite keeps the old object");
    let failed = "conformance/failed.bin";
    assert!(s.put(failed, PatternReader::failing_at(len, 11 * MIB)).await.is_err());
    assert!(matches!(s.size(failed).await, Err(FileStoreError::NotFound)), "a failed upload leaves no object");
    assert!(s.put(failed, PatternReader::failing_at(len, 100)).await.is_err());
    assert!(matches!(s.size(failed).await, Err(FileStoreError::NotFound)), "nor does a small one");

    // Empty objects exist, and have no satisfiable range.
    let empty = "conformance/empty";
    assert_eq!(s.put(empty, PatternReader::new(0)).await.unwrap(), 0);
    assert_eq!(s.size(empty).await.unwrap(), 0);
    assert_eq!(read(s, empty, None).await.unwrap(), b"");
    assert!(matches!(s.get(empty, Some(0..1)).await, Err(FileStoreError::InvalidRange)));

    // Deletes, including of missing keys.
    s.delete(big).await.unwrap();
    assert!(matches!(s.size(big).await, Err(FileStoreError::NotFound)), "deleted");
    assert!(matches!(s.get(big, None).await, Err(FileStoreError::NotFound)), "deleted");
    s.delete(big).await.unwrap();
    s.delete("conformance/never/existed").await.unwrap();
    s.delete(empty).await.unwrap();
    assert!(matches!(s.size(empty).await, Err(FileStoreError::NotFound)));

    // A finished local file, taken without a copy when the backend can (else `put` is the way).
    let linked = "conformance/linked/a file.bin";
    let path = std::env::temp_dir().join(format!("tseeder-conformance-{}", uuid::Uuid::new_v4().simple()));
    std::fs::write(&path, b"linked bytes").unwrap();
    if let Some(stored) = s.put_local(linked, &path).await.unwrap() {
        assert_eq!(stored, 12, "put_local returns the bytes stored");
        assert_eq!(read(s, linked, None).await.unwrap(), b"linked bytes");
        std::fs::remove_file(&path).unwrap();
        assert_eq!(read(s, linked, None).await.unwrap(), b"linked bytes", "the object outlives the file");
        std::fs::write(&path, b"second").unwrap();
        assert_eq!(s.put_local(linked, &path).await.unwrap(), Some(6), "it replaces an existing object");
        assert_eq!(read(s, linked, None).await.unwrap(), b"second");
        s.delete(linked).await.unwrap();
        assert!(matches!(s.size(linked).await, Err(FileStoreError::NotFound)));
        assert_eq!(std::fs::read(&path).unwrap(), b"second", "deleting the object leaves the file");
    }
    let _ = std::fs::remove_file(&path);

    // link_out: the object as a local file, or `false` (the caller copies).
    let out_key = "conformance/linked/out.bin";
    s.put(out_key, Box::new(std::io::Cursor::new(b"linked out".to_vec()))).await.unwrap();
    let out = std::env::temp_dir().join(format!("tseeder-conformance-out-{}", uuid::Uuid::new_v4().simple()));
    if s.link_out(out_key, &out).await.unwrap() {
        assert_eq!(std::fs::read(&out).unwrap(), b"linked out");
        std::fs::remove_file(&out).unwrap();
        assert_eq!(read(s, out_key, None).await.unwrap(), b"linked out", "removing the link leaves the object");
        assert!(
            matches!(s.link_out("conformance/linked/missing.bin", &out).await, Err(FileStoreError::NotFound)),
            "a missing object is not found"
        );
    } else {
        assert!(!out.exists(), "a store that cannot link writes nothing");
    }
    s.delete(out_key).await.unwrap();
    let _ = std::fs::remove_file(&out);
}
