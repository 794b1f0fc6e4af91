//! [`InMemoryFileStore`]: object bytes in a map.

use std::collections::BTreeMap;
use std::ops::Range;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use async_trait::async_trait;
use bytes::Bytes;
use chrono::{DateTime, Utc};
use tokio::io::AsyncReadExt;

use crate::ports::{
    ByteStream, Clock, FileStore, FileStoreError, ObjectStream, StoredObject, SystemClock, UploadReader,
};

/// A [`FileStore`] whose objects are byte buffers in memory. It passes the same conformance
/// suite as the object-store adapter. Reads come back in chunks of at most
/// [`chunk_size`](Self::with_chunk_size) bytes, so callers meet real streams of several chunks;
/// objects are dated by the store's clock (for the orphan cleanup's grace period); it cannot
/// presign URLs.
///
/// An upload is read whole before it replaces the object, so a failing reader changes nothing.
#[derive(Debug)]
pub struct InMemoryFileStore {
    objects: Mutex<BTreeMap<String, Object>>,
    clock: Arc<dyn Clock>,
    chunk_size: usize,
    streams_while_downloading: bool,
}

#[derive(Debug, Clone)]
struct Object {
    bytes: Bytes,
    last_modified: DateTime<Utc>,
}

impl Default for InMemoryFileStore {
    fn default() -> Self {
        Self::with_clock(Arc::new(SystemClock))
    }
}

impl InMemoryFileStore {
    /// An empty store whose objects are dated by the system clock.
    pub fn new() -> Self {
        Self::default()
    }

    /// An empty store whose objects are dated by `clock`.
    pub fn with_clock(clock: Arc<dyn Clock>) -> Self {
        Self { objects: Mutex::new(BTreeMap::new()), clock, chunk_size: 64 * 1024, streams_while_downloading: true }
    }

    /// The same store, reading objects back in chunks of at most `bytes` (at least 1).
    #[must_use]
    pub fn with_chunk_size(mut self, bytes: usize) -> Self {
        self.chunk_size = bytes.max(1);
        self
    }

    /// The same store, answering `streaming` to
    /// [`FileStore::streams_while_downloading`] (`true` by default, as a remote store would).
    #[must_use]
    pub fn with_streaming(mut self, streaming: bool) -> Self {
        self.streams_while_downloading = streaming;
        self
    }

    fn objects(&self) -> MutexGuard<'_, BTreeMap<String, Object>> {
        self.objects.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

#[async_trait]
impl FileStore for InMemoryFileStore {
    async fn put(&self, key: &str, mut data: UploadReader) -> Result<u64, FileStoreError> {
        let mut bytes = Vec::new();
        data.read_to_end(&mut bytes).await.map_err(|e| FileStoreError::Backend(e.into()))?;
        let len = bytes.len() as u64;
        let object = Object { bytes: bytes.into(), last_modified: self.clock.now() };
        self.objects().insert(key.to_owned(), object);
        Ok(len)
    }

    async fn get(&self, key: &str, range: Option<Range<u64>>) -> Result<ByteStream, FileStoreError> {
        let bytes = self.objects().get(key).map(|o| o.bytes.clone()).ok_or(FileStoreError::NotFound)?;
        let len = bytes.len() as u64;
        let bytes = match range {
            None => bytes,
            Some(range) if range.start >= len => return Err(FileStoreError::InvalidRange),
            Some(range) => {
                // `start < len`, so both ends fit in a usize.
                let (start, end) = (range.start as usize, range.end.min(len).max(range.start) as usize);
                bytes.slice(start..end)
            }
        };
        let chunks: Vec<Result<Bytes, FileStoreError>> = (0..bytes.len())
            .step_by(self.chunk_size)
            .map(|at| Ok(bytes.slice(at..(at + self.chunk_size).min(bytes.len()))))
            .collect();
        Ok(Box::pin(futures::stream::iter(chunks)))
    }

    async fn size(&self, key: &str) -> Result<u64, FileStoreError> {
        self.objects().get(key).map(|o| o.bytes.len() as u64).ok_or(FileStoreError::NotFound)
    }

    async fn delete(&self, key: &str) -> Result<(), FileStoreError> {
        self.objects().remove(key);
        Ok(())
    }

    fn list(&self) -> ObjectStream {
        let objects: Vec<Result<StoredObject, FileStoreError>> = self
            .objects()
            .iter()
            .map(|(key, o)| {
                Ok(StoredObject { key: key.clone(), size: o.bytes.len() as u64, last_modified: o.last_modified })
            })
            .collect();
        Box::pin(futures::stream::iter(objects))
    }

    async fn presigned_get(&self, _key: &str, _expires_in: Duration) -> Result<Option<String>, FileStoreError> {
        Ok(None)
    }

    fn streams_while_downloading(&self) -> bool {
        self.streams_while_downloading
    }
}
