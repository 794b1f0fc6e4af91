//! Object storage for file blobs.

use std::fmt::Debug;
use std::ops::Range;
use std::pin::Pin;
use std::time::Duration;

use async_trait::async_trait;
use bytes::Bytes;
use futures::Stream;
use tokio::io::AsyncRead;

use crate::error::BoxError;

/// A stream of bytes read from the store.
pub type ByteStream = Pin<Box<dyn Stream<Item = Result<Bytes, FileStoreError>> + Send>>;

/// A stream of the objects in the store.
pub type ObjectStream = Pin<Box<dyn Stream<Item = Result<StoredObject, FileStoreError>> + Send>>;

/// One object in the store, as listed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredObject {
    /// Its key.
    pub key: String,
    /// Its size in bytes.
    pub size: u64,
    /// When it was last written.
    pub last_modified: chrono::DateTime<chrono::Utc>,
}

/// A reader to upload from.
pub type UploadReader = Box<dyn AsyncRead + Send + Unpin>;

/// Errors from the object store.
#[derive(Debug, thiserror::Error)]
pub enum FileStoreError {
    /// No object with that key.
    #[error("object not found")]
    NotFound,
    /// The requested range is outside the object.
    #[error("range not satisfiable")]
    InvalidRange,
    /// Anything else from the backend.
    #[error("object store error")]
    Backend(#[source] BoxError),
}

/// Where file bytes live: a local directory, S3, R2, MinIO...
///
/// # Contract
/// - `put` streams `data` to `key` without holding the whole object in memory (large objects go
///   up in multipart chunks), replaces any existing object, and returns the bytes written. An
///   object is visible to `get` only once `put` has returned.
/// - `get` streams the object, or the half-open byte `range` of it; a range that starts past the
///   end fails with [`FileStoreError::InvalidRange`]; a range that ends past the end is cut at the
///   end. Missing keys fail with `NotFound`.
/// - `delete` of a missing key succeeds.
/// - `list` streams every object in the store (in no particular order).
/// - `presigned_get` returns a URL that downloads the object without credentials until it
///   expires, or `None` when the backend cannot sign URLs (the API then signs its own link).
/// - `put_local` stores the local file at `path` under `key` without copying its bytes when the
///   backend can (a local directory on the same filesystem: a hard link), replacing any existing
///   object, and returns the bytes stored; `Ok(None)` when it cannot (the caller then uses
///   `put`). The object shares the file's bytes, so the caller must not write to `path` again;
///   removing `path` leaves the object.
/// - `link_out` makes the local file `path` a second name of the object's bytes when the backend
///   can (a local directory on the same filesystem: a hard link) and returns `true`; `false` when
///   it cannot (the caller then copies with `get`). `path` must not exist yet. The link shares
///   the object's bytes, so nobody may write to it; removing it leaves the object.
/// - `streams_while_downloading` says whether a large file should be `put` while it is still
///   downloading, from a reader that yields its bytes as they are verified, rather than once it
///   is finished. It changes no other behaviour: a `put` from a slow reader stores the same
///   object, visible only once `put` returns.
#[async_trait]
pub trait FileStore: Send + Sync + Debug {
    /// Uploads an object from a reader.
    async fn put(&self, key: &str, data: UploadReader) -> Result<u64, FileStoreError>;
    /// Reads an object, or a range of it.
    async fn get(&self, key: &str, range: Option<Range<u64>>) -> Result<ByteStream, FileStoreError>;
    /// The object's size.
    async fn size(&self, key: &str) -> Result<u64, FileStoreError>;
    /// Deletes an object.
    async fn delete(&self, key: &str) -> Result<(), FileStoreError>;
    /// Every object in the store, for the orphan cleanup.
    fn list(&self) -> ObjectStream;
    /// A time-limited download URL, when the backend can sign one.
    async fn presigned_get(&self, key: &str, expires_in: Duration) -> Result<Option<String>, FileStoreError>;
    /// Stores a finished local file without copying it, when the backend can. Default: it
    /// cannot (`Ok(None)`).
    async fn put_local(&self, key: &str, path: &std::path::Path) -> Result<Option<u64>, FileStoreError> {
        let _ = (key, path);
        Ok(None)
    }
    /// Whether large files go up while they download. Default: yes, so that only the last part
    /// is left when the download ends; a store that takes finished files without copying them
    /// (`put_local`) says no, as streaming would only write them twice.
    fn streams_while_downloading(&self) -> bool {
        true
    }
    /// Links an object out to a local path without copying it, when the backend can. Default:
    /// it cannot (`Ok(false)`).
    async fn link_out(&self, key: &str, path: &std::path::Path) -> Result<bool, FileStoreError> {
        let _ = (key, path);
        Ok(false)
    }
}
