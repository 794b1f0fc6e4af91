//! The BitTorrent engine as a port.

use std::fmt::Debug;

use async_trait::async_trait;
use tokio::io::AsyncRead;

use crate::domain::{JobId, JobSource, TorrentFile};
use crate::error::BoxError;

/// What to download.
#[derive(Debug, Clone)]
pub struct EngineTask {
    /// The job (for naming the run and its scratch space).
    pub job_id: JobId,
    /// Magnet or `.torrent` bytes.
    pub source: JobSource,
    /// Only these file indexes (in the torrent's order); `None` for all.
    pub only_files: Option<Vec<usize>>,
    /// The region the job prefers (a remote engine routes by it); `None` for any.
    pub region_hint: Option<crate::domain::RegionCode>,
}

/// A progress snapshot.
#[derive(Debug, Clone, Copy, PartialEq, Default, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct EngineProgress {
    /// Bytes of the selected files downloaded and verified.
    pub done_bytes: u64,
    /// Bytes of the selected files in total.
    pub total_bytes: u64,
    /// Download speed, bytes per second.
    pub download_bps: u64,
    /// Upload speed, bytes per second.
    pub upload_bps: u64,
    /// Connected peers.
    pub peers: u32,
    /// Estimated seconds to completion.
    pub eta_secs: Option<u64>,
}

/// Something an engine run reports.
#[derive(Debug, Clone, PartialEq)]
pub enum EngineEvent {
    /// The torrent's metadata is known (at once for `.torrent` files, from peers for magnets).
    Metadata {
        /// The torrent's name.
        name: String,
        /// Every file of the torrent, in order, with safe relative paths.
        files: Vec<TorrentFile>,
    },
    /// Download progress.
    Progress(EngineProgress),
    /// A selected file is complete and verified and can be read with
    /// [`EngineRun::open_file`] (lets storage start while other files download).
    FileReady {
        /// The file's index.
        index: usize,
    },
    /// A selected file is complete and verified, and the engine has already put it in the shared
    /// object store under `blob_key` (a remote agent uploads its own files). The dispatcher
    /// records the file without reading it; `size` must match the file's size in `Metadata`.
    FileStored {
        /// The file's index.
        index: usize,
        /// Where the file is in the object store
        /// ([`blob_key`](crate::domain::blob_key)`(infohash, path)`).
        blob_key: String,
        /// Bytes stored.
        size: u64,
    },
    /// Every selected piece is downloaded; files may still be on their way to the object store
    /// (`FileStored` events follow, then `Finished`). Sent by a run wrapped in
    /// [`StoringEngine`](crate::services::StoringEngine); optional for other runs.
    Downloaded,
    /// Every selected file is complete (and, for a run that stores its files, stored).
    Finished,
    /// The download failed; another attempt may succeed.
    Failed(String),
    /// The torrent cannot be downloaded as asked, however often it is tried: unsafe paths, too
    /// many files, a file selection out of range.
    Rejected(String),
}

/// Errors from the engine.
#[derive(Debug, thiserror::Error)]
pub enum ComputeError {
    /// The task is unusable (bad source, bad file selection).
    #[error("invalid task: {0}")]
    Invalid(String),
    /// The engine cannot take this work now; the text says why (no agent is available, every
    /// agent is full, the same torrent is already running here).
    #[error("{0}")]
    Busy(String),
    /// Anything else.
    #[error("engine error")]
    Backend(#[source] BoxError),
}

/// One running download.
///
/// # Contract
/// - Events arrive in order: zero-progress `Progress` while a magnet's metadata is still being
///   fetched, `Metadata` once, then `Progress` and, once per selected file, either `FileReady`
///   or `FileStored`, in any interleaving (`Downloaded` at most once among them, after which only
///   `FileStored` comes), then `Finished`, `Failed` or `Rejected`; after that `next_event` returns
///   `None`.
/// - `next_event` is cancel-safe (callers `select!` on it).
/// - `open_file` works for a file after its `FileReady`; so does `local_file`, which names the
///   finished file on this machine when the engine keeps it in a local file that nothing writes
///   to any more (the storage layer may then link it into a local store instead of copying it).
/// - `open_growing_file` may be called for a selected file after `Metadata` and before its
///   `FileReady`. It returns a reader of the whole file from its first byte that yields bytes
///   only once they are downloaded and verified, and waits for the rest: reading it to its end
///   (the file's size from `Metadata`) takes as long as the download of the file. The reader
///   fails if the run stops or fails before that. `Ok(None)` when the engine cannot give one
///   (it does not stream, the file is already complete, or too many files are streamed at once);
///   the file is then read after its `FileReady`.
/// - `FileStored` means the engine itself wrote the file to the shared object store; the
///   dispatcher only checks its size against `Metadata` and records it.
/// - `worker_id` names the machine running the download (a remote agent); the dispatcher records
///   it as the job's worker instead of its own id. In-process engines keep the default `None`.
/// - `stop` ends the run and removes its local data.
#[async_trait]
pub trait EngineRun: Send + Sync + Debug {
    /// The next event, or `None` once the run has ended.
    async fn next_event(&mut self) -> Option<EngineEvent>;
    /// Reads a completed file.
    async fn open_file(&self, index: usize) -> Result<Box<dyn AsyncRead + Send + Unpin>, ComputeError>;
    /// A reader of a file still downloading that yields its verified bytes as they come, when
    /// the engine can give one. Default `None`.
    async fn open_growing_file(&self, index: usize) -> Result<Option<Box<dyn AsyncRead + Send + Unpin>>, ComputeError> {
        let _ = index;
        Ok(None)
    }
    /// The path of a completed file on this machine, if the engine keeps one that nothing
    /// writes to any more. Default `None`.
    async fn local_file(&self, index: usize) -> Result<Option<std::path::PathBuf>, ComputeError> {
        let _ = index;
        Ok(None)
    }
    /// Stops the run and deletes its local data.
    async fn stop(self: Box<Self>) -> Result<(), ComputeError>;
    /// The worker running this download, when it is not the dispatcher's own process (a remote
    /// agent's id). Default `None`.
    fn worker_id(&self) -> Option<String> {
        None
    }
}

/// A BitTorrent engine (in-process librqbit, or a remote agent).
#[async_trait]
pub trait ComputeEngine: Send + Sync + Debug {
    /// Starts downloading.
    async fn start(&self, task: EngineTask) -> Result<Box<dyn EngineRun>, ComputeError>;
}
