//! Storage as a layer under the engine: [`StoringEngine`] wraps any compute engine so that each of
//! its runs puts every finished file into the object store as soon as the engine says it is ready
//! (while the rest downloads), and reports it as [`EngineEvent::FileStored`]. This is the one
//! place a finished file is uploaded: the dispatcher and the agent process only record what a
//! run reports stored.
//!
//! A wrapped run turns the inner run's events into:
//! - `FileReady { index }` → an upload starts (concurrently with the download and other uploads);
//!   `FileStored { index, blob_key, size }` when it is done. When the engine keeps the finished
//!   file locally and the store can take it without a copy (a local store on the same
//!   filesystem links it), that is the upload, so a finished file is downloadable at once;
//! - `Finished` → [`EngineEvent::Downloaded`] at once (unless the inner run said it already),
//!   then `Finished` after the last upload;
//! - `Progress`, once the files are known, when the store takes large files while they
//!   download ([`FileStore::streams_while_downloading`], an S3 bucket): each selected file of at
//!   least [`STREAM_MIN_BYTES`] not yet finished is opened as a growing file
//!   ([`EngineRun::open_growing_file`]) and its upload starts at once, reading verified bytes as
//!   the engine gets them, so only the last part is left to send when the download ends. Its
//!   `FileReady` then starts nothing more. A file the engine cannot stream (it streams a few at
//!   a time) is tried again at the next `Progress`, and goes up once finished if it never can;
//! - an upload that fails, or stores fewer bytes than the file has → `Failed`, and the run ends;
//! - every other event, including `FileStored` from an engine that stores its own files (a remote
//!   agent), passes through.

use std::collections::{HashSet, VecDeque};
use std::fmt;
use std::sync::Arc;

use async_trait::async_trait;
use tokio::io::AsyncReadExt as _;
use tokio::task::JoinSet;

use crate::domain::{Infohash, JobSource, TorrentFile, TorrentMeta, blob_key};
use crate::ports::{ComputeEngine, ComputeError, EngineEvent, EngineRun, EngineTask, FileStore, UploadReader};

/// Files smaller than this go up once finished even when the store takes files while they
/// download: they fit in a request or two, so there is little to overlap with the download.
pub const STREAM_MIN_BYTES: u64 = 16 * 1024 * 1024;

/// A compute engine whose runs store their files; see the module docs.
#[derive(Clone)]
pub struct StoringEngine {
    inner: Arc<dyn ComputeEngine>,
    store: Arc<dyn FileStore>,
}

impl fmt::Debug for StoringEngine {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("StoringEngine").field("inner", &self.inner).field("store", &self.store).finish()
    }
}

impl StoringEngine {
    /// Wraps `inner`; finished files go to `store`.
    pub fn new(inner: Arc<dyn ComputeEngine>, store: Arc<dyn FileStore>) -> Self {
        Self { inner, store }
    }
}

/// The infohash a task's files are stored under.
fn infohash(source: &JobSource) -> Result<Infohash, ComputeError> {
    match source {
        JobSource::Magnet(magnet) => Ok(magnet.infohash()),
        JobSource::Torrent(bytes) => {
            TorrentMeta::parse(bytes).map(|m| m.infohash).map_err(|e| ComputeError::Invalid(e.to_string()))
        }
    }
}

#[async_trait]
impl ComputeEngine for StoringEngine {
    async fn start(&self, task: EngineTask) -> Result<Box<dyn EngineRun>, ComputeError> {
        let infohash = infohash(&task.source)?;
        let selected = task.only_files.clone();
        let inner = self.inner.start(task).await?;
        Ok(Box::new(StoringRun {
            inner,
            stream_early: self.store.streams_while_downloading(),
            store: Arc::clone(&self.store),
            infohash,
            files: Vec::new(),
            selected,
            started: HashSet::new(),
            unstreamable: HashSet::new(),
            try_streams: false,
            to_open: VecDeque::new(),
            uploads: JoinSet::new(),
            downloaded: false,
            said_downloaded: false,
            ended: false,
        }))
    }
}

/// What an upload task returns: the file's index, its key and the bytes stored, or why it failed.
type UploadResult = Result<(usize, String, u64), String>;

/// A run of a [`StoringEngine`].
struct StoringRun {
    inner: Box<dyn EngineRun>,
    store: Arc<dyn FileStore>,
    infohash: Infohash,
    /// The files from `Metadata`.
    files: Vec<TorrentFile>,
    /// The task's file selection (`None`: every file).
    selected: Option<Vec<usize>>,
    /// Whether the store takes large files while they download.
    stream_early: bool,
    /// Files whose upload has started (from a growing file) or whose `FileReady` came.
    started: HashSet<usize>,
    /// Files the engine failed to open as growing files: they go up once finished.
    unstreamable: HashSet<usize>,
    /// A `Progress` came since growing files were last opened.
    try_streams: bool,
    /// Files reported ready whose reader is not open yet. Kept here, not in a local, so that
    /// `next_event` stays cancel-safe while it awaits `open_file`.
    to_open: VecDeque<usize>,
    uploads: JoinSet<UploadResult>,
    /// The inner run finished: no more inner events; `Finished` follows the last upload.
    downloaded: bool,
    /// `Downloaded` was returned (it is returned once, whether this run or the inner one said it).
    said_downloaded: bool,
    /// `Finished`, `Failed` or `Rejected` was returned.
    ended: bool,
}

impl fmt::Debug for StoringRun {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("StoringRun")
            .field("inner", &self.inner)
            .field("infohash", &self.infohash)
            .field("uploads", &self.uploads.len())
            .field("downloaded", &self.downloaded)
            .finish_non_exhaustive()
    }
}

impl StoringRun {
    /// Ends the run with `event` (a failure), abandoning the uploads in flight.
    fn end(&mut self, event: EngineEvent) -> Option<EngineEvent> {
        self.ended = true;
        self.uploads.abort_all();
        Some(event)
    }

    /// The next selected file worth opening as a growing file, if any.
    fn next_stream_candidate(&self) -> Option<usize> {
        let worth = |index: &usize| {
            self.files.get(*index).is_some_and(|f| f.size >= STREAM_MIN_BYTES)
                && !self.started.contains(index)
                && !self.unstreamable.contains(index)
        };
        match &self.selected {
            Some(selected) => selected.iter().copied().find(worth),
            None => (0..self.files.len()).find(worth),
        }
    }

    /// Starts the uploads of the files the engine can give as growing files now. Cancel-safe:
    /// a file whose opening is interrupted is tried again at the next `Progress`.
    async fn start_streams(&mut self) -> Result<(), String> {
        if !std::mem::take(&mut self.try_streams) {
            return Ok(());
        }
        while let Some(index) = self.next_stream_candidate() {
            match self.inner.open_growing_file(index).await {
                Ok(Some(reader)) => {
                    self.started.insert(index);
                    self.spawn_upload(index, Source::Reader(reader))?;
                }
                // The engine streams no more files now; later, perhaps.
                Ok(None) => break,
                Err(e) => {
                    tracing::debug!(error = %e, index, "cannot stream a file while it downloads; it goes up once finished");
                    self.unstreamable.insert(index);
                }
            }
        }
        Ok(())
    }

    fn spawn_upload(&mut self, index: usize, source: Source) -> Result<(), String> {
        let file = self.files.get(index).ok_or_else(|| format!("the engine reported unknown file {index}"))?.clone();
        let key = blob_key(self.infohash, &file.path);
        let store = Arc::clone(&self.store);
        self.uploads.spawn(async move {
            let failed = |e: &dyn fmt::Display| format!("storing {}: {e}", file.path);
            let reader: UploadReader = match source {
                Source::Reader(reader) => reader,
                Source::Local(path) => match store.put_local(&key, &path).await.map_err(|e| failed(&e))? {
                    Some(written) => return checked(index, key, written, &file),
                    None => Box::new(tokio::fs::File::open(&path).await.map_err(|e| failed(&e))?.take(file.size)),
                },
            };
            let written = store.put(&key, reader).await.map_err(|e| failed(&e))?;
            checked(index, key, written, &file)
        });
        Ok(())
    }
}

/// Where a finished file's bytes come from.
enum Source {
    /// A reader from the engine.
    Reader(UploadReader),
    /// A local file the engine no longer writes to.
    Local(std::path::PathBuf),
}

/// An upload's result, refused when it stored another size than the file's.
fn checked(index: usize, key: String, written: u64, file: &TorrentFile) -> UploadResult {
    if written != file.size {
        return Err(format!("stored {written} bytes of {} for {}", file.size, file.path));
    }
    Ok((index, key, written))
}

#[async_trait]
impl EngineRun for StoringRun {
    async fn next_event(&mut self) -> Option<EngineEvent> {
        loop {
            if self.ended {
                return None;
            }
            while let Some(&index) = self.to_open.front() {
                let source = match self.inner.local_file(index).await {
                    Ok(Some(path)) => Source::Local(path),
                    Ok(None) => match self.inner.open_file(index).await {
                        Ok(reader) => Source::Reader(reader),
                        Err(e) => {
                            return self.end(EngineEvent::Failed(format!("cannot read finished file {index}: {e}")));
                        }
                    },
                    Err(e) => return self.end(EngineEvent::Failed(format!("cannot read finished file {index}: {e}"))),
                };
                self.to_open.pop_front();
                if let Err(e) = self.spawn_upload(index, source) {
                    return self.end(EngineEvent::Failed(e));
                }
            }
            if let Err(e) = self.start_streams().await {
                return self.end(EngineEvent::Failed(e));
            }
            if self.downloaded && self.uploads.is_empty() {
                self.ended = true;
                return Some(EngineEvent::Finished);
            }
            tokio::select! {
                Some(done) = self.uploads.join_next(), if !self.uploads.is_empty() => match done {
                    Ok(Ok((index, blob_key, size))) => return Some(EngineEvent::FileStored { index, blob_key, size }),
                    Ok(Err(e)) => return self.end(EngineEvent::Failed(e)),
                    Err(e) => return self.end(EngineEvent::Failed(format!("upload task failed: {e}"))),
                },
                event = self.inner.next_event(), if !self.downloaded => match event {
                    None => return self.end(EngineEvent::Failed("the engine stopped without finishing".into())),
                    Some(EngineEvent::FileReady { index }) => {
                        // A file streamed while it downloaded is on its way already.
                        if self.started.insert(index) {
                            self.to_open.push_back(index);
                        }
                    }
                    Some(EngineEvent::Finished) => {
                        self.downloaded = true;
                        if !self.said_downloaded {
                            self.said_downloaded = true;
                            return Some(EngineEvent::Downloaded);
                        }
                    }
                    Some(EngineEvent::Downloaded) => {
                        // An inner run that stores its own files said it first; say it once.
                        if !self.said_downloaded {
                            self.said_downloaded = true;
                            return Some(EngineEvent::Downloaded);
                        }
                    }
                    Some(event @ (EngineEvent::Failed(_) | EngineEvent::Rejected(_))) => return self.end(event),
                    Some(event) => {
                        match &event {
                            EngineEvent::Metadata { files, .. } => self.files.clone_from(files),
                            EngineEvent::Progress(_) => self.try_streams = self.stream_early && !self.files.is_empty(),
                            _ => {}
                        }
                        return Some(event);
                    }
                },
            }
        }
    }

    async fn open_file(&self, index: usize) -> Result<Box<dyn tokio::io::AsyncRead + Send + Unpin>, ComputeError> {
        self.inner.open_file(index).await
    }

    async fn open_growing_file(&self, index: usize) -> Result<Option<UploadReader>, ComputeError> {
        self.inner.open_growing_file(index).await
    }

    async fn local_file(&self, index: usize) -> Result<Option<std::path::PathBuf>, ComputeError> {
        self.inner.local_file(index).await
    }

    async fn stop(mut self: Box<Self>) -> Result<(), ComputeError> {
        self.uploads.abort_all();
        self.inner.stop().await
    }

    fn worker_id(&self) -> Option<String> {
        self.inner.worker_id()
    }
}
