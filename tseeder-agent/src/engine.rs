//! [`LibrqbitEngine`]: core's [`ComputeEngine`] port on one in-process librqbit [`Session`].
//!
//! Why a run is *pulled* rather than pushed: [`EngineRun::next_event`] computes the next event
//! when it is asked for, from librqbit's live stats, instead of a background task filling a
//! channel. So a slow consumer never reads stale progress, nothing runs once the run is gone, and
//! the only background work is the task that prepares the torrent (resolving a magnet can take
//! forever). `next_event` is cancel-safe, because the dispatcher `select!`s on it: every await
//! is on a stored deadline or on that task's `JoinHandle`, and state changes only after the await.
//!
//! How a torrent is added: the metainfo is checked ([`Layout`]) **before** librqbit sees it, since
//! librqbit creates every file when a torrent is added. A magnet is therefore first resolved
//! with `list_only` (librqbit fetches the metainfo from peers and returns it without adding), then
//! added from the resolved bytes with the peers it already met.
//!
//! One session holds one torrent per infohash, so the engine refuses a second concurrent run of
//! the same torrent with [`ComputeError::Busy`] (the dispatcher retries later).
//!
//! A file still downloading can be read as it grows ([`EngineRun::open_growing_file`]) through
//! librqbit's file streams, which wait for each piece to be verified and ask peers for the pieces
//! just ahead of the reader first. At most [`MAX_GROWING_FILES`] are open at once per engine.

use std::collections::{HashSet, VecDeque};
use std::fmt;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use async_trait::async_trait;
use librqbit::api::TorrentIdOrHash;
use librqbit::{AddTorrent, AddTorrentOptions, AddTorrentResponse, ManagedTorrent, Session, TorrentStatsState};
use librqbit_core::Id20;
use librqbit_core::torrent_metainfo::torrent_from_bytes;
use tokio::io::{AsyncRead, AsyncReadExt};
use tokio::sync::{OwnedSemaphorePermit, Semaphore};
use tokio::task::JoinHandle;
use tokio::time::Instant;
use tseeder_core::domain::{JobId, JobSource, MagnetLink, TorrentFile};
use tseeder_core::ports::{
    ComputeEngine, ComputeError, EngineEvent, EngineProgress, EngineRun, EngineTask, MetadataSource,
};

use crate::config::{EngineConfig, session_options};
use crate::layout::Layout;

/// How long adding resolved metainfo may take (librqbit creates and opens every file).
const ADD_TIMEOUT: Duration = Duration::from_secs(120);
/// How long `stop` waits for librqbit to drop a torrent, and for an aborted preparation.
const STOP_TIMEOUT: Duration = Duration::from_secs(10);
/// Magnet resolution retries: the first wait, doubling up to the cap.
const RESOLVE_RETRY_FIRST: Duration = Duration::from_secs(1);
const RESOLVE_RETRY_CAP: Duration = Duration::from_secs(30);
/// Files read while they download, at once, in one engine. Each librqbit file stream holds one
/// of the session's eight blocking-I/O permits for as long as it is open, and the peers' disk
/// writes need the others.
pub const MAX_GROWING_FILES: usize = 2;

/// The in-process BitTorrent engine: one librqbit session shared by every run (and by clones).
///
/// `start` fails with [`ComputeError::Invalid`] for `.torrent` bytes that do not parse, or for a
/// magnet link when peer discovery is off and no extra peer is configured; with
/// [`ComputeError::Busy`] while the same torrent has a run in this engine. Everything that goes
/// wrong later (bad paths, a selection out of range, librqbit errors) arrives as
/// [`EngineEvent::Failed`].
///
/// The session shuts down (its tasks are cancelled) once the engine, its clones and its runs are
/// all dropped.
#[derive(Clone)]
pub struct LibrqbitEngine {
    inner: Arc<Inner>,
}

struct Inner {
    session: Arc<Session>,
    config: EngineConfig,
    /// The canonical scratch directory; job directories are created under it.
    scratch_dir: PathBuf,
    /// Infohashes with a run in this engine.
    active: Arc<Mutex<HashSet<Id20>>>,
    /// Permits for files read while they download ([`MAX_GROWING_FILES`]).
    growing: Arc<Semaphore>,
}

impl fmt::Debug for LibrqbitEngine {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("LibrqbitEngine")
            .field("scratch_dir", &self.inner.scratch_dir)
            .field("peer_discovery", &self.inner.config.peer_discovery)
            .field("listen_addr", &self.inner.session.listen_addr())
            .finish_non_exhaustive()
    }
}

impl LibrqbitEngine {
    /// Creates the scratch directory and starts the librqbit session (binding
    /// [`EngineConfig::listen_addr`]; with peer discovery on, also the DHT, LSD and UPnP).
    ///
    /// # Errors
    /// [`ComputeError::Invalid`] for a bad configuration, [`ComputeError::Backend`] when the
    /// directory cannot be created or the session cannot start (for example the port is taken).
    pub async fn new(config: EngineConfig) -> Result<Self, ComputeError> {
        config.validate()?;
        let scratch_dir = std::path::absolute(&config.scratch_dir).map_err(backend)?;
        tokio::fs::create_dir_all(&scratch_dir).await.map_err(backend)?;
        let scratch_dir = tokio::fs::canonicalize(&scratch_dir).await.map_err(backend)?;
        let session = Session::new_with_opts(scratch_dir.clone(), session_options(&config)?)
            .await
            .map_err(|e| ComputeError::Backend(e.into()))?;
        tracing::info!(
            listen_addr = ?session.listen_addr(),
            peer_discovery = config.peer_discovery,
            scratch_dir = %scratch_dir.display(),
            "torrent engine started"
        );
        let growing = Arc::new(Semaphore::new(MAX_GROWING_FILES));
        Ok(Self { inner: Arc::new(Inner { session, config, scratch_dir, active: Arc::default(), growing }) })
    }

    /// Where the session accepts peer connections (with the real port when configured with 0).
    pub fn listen_addr(&self) -> Option<SocketAddr> {
        self.inner.session.listen_addr()
    }

    /// The configuration in use.
    pub fn config(&self) -> &EngineConfig {
        &self.inner.config
    }

    /// How many runs the engine has now (started and not yet stopped or dropped).
    pub fn active_runs(&self) -> usize {
        self.inner.active.lock().unwrap_or_else(std::sync::PoisonError::into_inner).len()
    }

    /// The session's current transfer rate, download and upload together, in bytes per second
    /// (librqbit's moving estimate).
    pub fn transfer_rate_bps(&self) -> u64 {
        let stats = self.inner.session.stats_snapshot();
        let mib_per_sec = stats.download_speed.mbps + stats.upload_speed.mbps;
        // `as` saturates: a negative or NaN estimate is 0.
        (mib_per_sec * 1024.0 * 1024.0) as u64
    }
}

#[async_trait]
impl ComputeEngine for LibrqbitEngine {
    async fn start(&self, task: EngineTask) -> Result<Box<dyn EngineRun>, ComputeError> {
        let config = &self.inner.config;
        let (info_hash, source, emit_early_progress) = match task.source {
            JobSource::Torrent(bytes) => {
                let parsed = torrent_from_bytes(&bytes)
                    .map_err(|e| ComputeError::Invalid(format!("not a valid torrent: {e}")))?;
                (parsed.info_hash, Source::Torrent(bytes.to_vec()), false)
            }
            JobSource::Magnet(link) => {
                if !config.peer_discovery && config.extra_peers.is_empty() {
                    return Err(ComputeError::Invalid(
                        "a magnet link needs peer discovery or engine.extra_peers to find its metadata".into(),
                    ));
                }
                (Id20::new(*link.infohash().as_bytes()), Source::Magnet(librqbit_magnet(&link)), true)
            }
        };
        let reservation = Reservation::take(&self.inner.active, info_hash)?;
        let job_dir = self.inner.scratch_dir.join(task.job_id.to_string());
        tokio::fs::create_dir_all(&job_dir).await.map_err(backend)?;

        let prepare = tokio::spawn(prepare(
            Arc::clone(&self.inner.session),
            source,
            job_dir.clone(),
            task.only_files,
            config.extra_peers.clone(),
            config.max_files,
        ));
        tracing::debug!(job_id = %task.job_id, info_hash = %info_hash.as_string(), "engine run started");
        let interval = config.progress_interval();
        Ok(Box::new(LibrqbitRun {
            session: Arc::clone(&self.inner.session),
            growing: Arc::clone(&self.inner.growing),
            job_id: task.job_id,
            job_dir,
            info_hash,
            interval,
            emit_early_progress,
            phase: Phase::Preparing(prepare),
            awaiting_completion: true,
            next_tick: Instant::now() + interval,
            pending: VecDeque::new(),
            files: Vec::new(),
            selected: Vec::new(),
            ready: HashSet::new(),
            reservation: Some(reservation),
        }))
    }
}

#[async_trait]
impl MetadataSource for LibrqbitEngine {
    /// Asks the peers this engine can reach (peer discovery, `extra_peers`) for the magnet's
    /// metadata with librqbit's list-only mode: nothing is downloaded or added to the session.
    async fn fetch_metadata(&self, magnet: &MagnetLink, timeout: Duration) -> Result<Vec<u8>, ComputeError> {
        let config = &self.inner.config;
        if !config.peer_discovery && config.extra_peers.is_empty() {
            return Err(ComputeError::Invalid(
                "a magnet link needs peer discovery or engine.extra_peers to find its metadata".into(),
            ));
        }
        let uri = librqbit_magnet(magnet);
        match tokio::time::timeout(timeout, resolve_magnet(&self.inner.session, &uri, &config.extra_peers)).await {
            Ok(Ok((bytes, _peers))) => Ok(bytes.to_vec()),
            Ok(Err(reason)) => Err(ComputeError::Backend(reason.into())),
            Err(_) => {
                Err(ComputeError::Busy(format!("no peer sent the torrent's metadata within {}s", timeout.as_secs())))
            }
        }
    }
}

/// What to add, as given to the preparation task.
enum Source {
    Torrent(Vec<u8>),
    /// A magnet link in the form librqbit parses (see [`librqbit_magnet`]).
    Magnet(String),
}

/// Why preparing a run failed.
#[derive(Debug)]
enum PrepareError {
    /// The torrent can never be downloaded as asked (reported as [`EngineEvent::Rejected`]).
    Rejected(String),
    /// Something that may work on another attempt.
    Failed(String),
}

impl From<String> for PrepareError {
    fn from(reason: String) -> Self {
        Self::Failed(reason)
    }
}

impl From<&str> for PrepareError {
    fn from(reason: &str) -> Self {
        Self::Failed(reason.to_owned())
    }
}

/// A torrent added to the session, with its checked layout.
struct Prepared {
    handle: Arc<ManagedTorrent>,
    layout: Layout,
    /// Selected, non-padding file indexes.
    selected: Vec<usize>,
}

/// Resolves (magnets), checks and adds the torrent. Runs as a task; `stop` aborts it.
async fn prepare(
    session: Arc<Session>,
    source: Source,
    job_dir: PathBuf,
    only_files: Option<Vec<usize>>,
    extra_peers: Vec<SocketAddr>,
    max_files: usize,
) -> Result<Prepared, PrepareError> {
    let (bytes, mut peers) = match source {
        Source::Torrent(bytes) => (bytes::Bytes::from(bytes), Vec::new()),
        Source::Magnet(uri) => resolve_magnet(&session, &uri, &extra_peers).await?,
    };
    let layout = Layout::from_torrent_bytes(&bytes, max_files).map_err(PrepareError::Rejected)?;
    let selected: Vec<usize> = match &only_files {
        None => (0..layout.files.len()).collect(),
        Some(indexes) => {
            if let Some(bad) = indexes.iter().find(|&&i| i >= layout.files.len()) {
                return Err(PrepareError::Rejected(format!(
                    "file index {bad} is out of range: the torrent has {} files",
                    layout.files.len()
                )));
            }
            let mut indexes = indexes.clone();
            indexes.sort_unstable();
            indexes.dedup();
            indexes
        }
    };
    let selected = selected.into_iter().filter(|&i| !layout.padding[i]).collect();
    let output_folder = match &layout.root {
        Some(root) => job_dir.join(root.as_str()),
        None => job_dir,
    };
    let output_folder = output_folder.to_str().ok_or("the job directory is not valid UTF-8")?.to_owned();
    for peer in extra_peers {
        if !peers.contains(&peer) {
            peers.push(peer);
        }
    }
    let opts = AddTorrentOptions {
        only_files,
        // A retried job finds its earlier partial download and resumes it after a hash check.
        overwrite: true,
        output_folder: Some(output_folder),
        initial_peers: (!peers.is_empty()).then_some(peers),
        ..Default::default()
    };
    let added = tokio::time::timeout(ADD_TIMEOUT, session.add_torrent(AddTorrent::from_bytes(bytes), Some(opts)))
        .await
        .map_err(|_| format!("adding the torrent took longer than {}s", ADD_TIMEOUT.as_secs()))?
        .map_err(|e| format!("could not add the torrent: {e:#}"))?;
    match added {
        AddTorrentResponse::Added(_, handle) => Ok(Prepared { handle, layout, selected }),
        AddTorrentResponse::AlreadyManaged(..) => Err("the torrent is already running in this engine".into()),
        AddTorrentResponse::ListOnly(_) => Err("librqbit listed the torrent instead of adding it".into()),
    }
}

/// Fetches a magnet's metainfo from peers without adding the torrent; returns the `.torrent`
/// bytes and the peers seen. Retries with backoff while no peer answers (a private seeder may come
/// up later; with DHT the peer stream never ends anyway). Stalls are the caller's business: it
/// sees progress events with no progress and stops the run.
async fn resolve_magnet(
    session: &Arc<Session>,
    uri: &str,
    extra_peers: &[SocketAddr],
) -> Result<(bytes::Bytes, Vec<SocketAddr>), String> {
    let mut wait = RESOLVE_RETRY_FIRST;
    loop {
        let opts = AddTorrentOptions {
            list_only: true,
            initial_peers: (!extra_peers.is_empty()).then(|| extra_peers.to_vec()),
            ..Default::default()
        };
        match session.add_torrent(AddTorrent::from_url(uri), Some(opts)).await {
            Ok(AddTorrentResponse::ListOnly(listed)) => return Ok((listed.torrent_bytes, listed.seen_peers)),
            Ok(_) => return Err("librqbit added the magnet instead of listing it".into()),
            Err(e) => {
                tracing::debug!(error = format!("{e:#}"), retry_in = ?wait, "magnet metadata not found yet");
                tokio::time::sleep(wait).await;
                wait = (wait * 2).min(RESOLVE_RETRY_CAP);
            }
        }
    }
}

/// The magnet text for librqbit: the infohash as hex (librqbit reads base32 only in upper case;
/// core accepts both cases), plus the `dn` and `tr` parameters. `so` is dropped: the task's
/// `only_files` is the selection.
fn librqbit_magnet(link: &MagnetLink) -> String {
    let mut out = format!("magnet:?xt=urn:btih:{}", link.infohash().to_hex());
    if let Ok(url) = url::Url::parse(link.as_str()) {
        for (key, value) in url.query_pairs() {
            if key == "dn" || key == "tr" {
                out.push('&');
                out.push_str(&key);
                out.push('=');
                out.extend(url::form_urlencoded::byte_serialize(value.as_bytes()));
            }
        }
    }
    out
}

/// An infohash claimed by a run; released when dropped (after the run's cleanup).
struct Reservation {
    active: Arc<Mutex<HashSet<Id20>>>,
    info_hash: Id20,
}

impl Reservation {
    fn take(active: &Arc<Mutex<HashSet<Id20>>>, info_hash: Id20) -> Result<Self, ComputeError> {
        let mut set = active.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        if !set.insert(info_hash) {
            return Err(ComputeError::Busy("the same torrent is already running in this engine".into()));
        }
        Ok(Self { active: Arc::clone(active), info_hash })
    }
}

impl Drop for Reservation {
    fn drop(&mut self) {
        let mut set = self.active.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        set.remove(&self.info_hash);
    }
}

enum Phase {
    /// The preparation task is resolving or adding the torrent.
    Preparing(JoinHandle<Result<Prepared, PrepareError>>),
    /// The torrent is in the session.
    Downloading(Arc<ManagedTorrent>),
    /// `Finished` or `Failed` has been queued; nothing more will be.
    Ended,
}

/// One download in a [`LibrqbitEngine`].
struct LibrqbitRun {
    session: Arc<Session>,
    /// The engine's permits for growing files.
    growing: Arc<Semaphore>,
    job_id: JobId,
    /// `<scratch_dir>/<job_id>`, canonical (the scratch dir is).
    job_dir: PathBuf,
    info_hash: Id20,
    interval: Duration,
    /// Report progress while a magnet resolves (a `.torrent` is added at once).
    emit_early_progress: bool,
    phase: Phase,
    /// Whether librqbit has not yet said the torrent is complete: until it does, a step also
    /// wakes on that, so the last file is reported when its last piece is verified rather than
    /// at the next tick. Once said, ticks alone pace the steps.
    awaiting_completion: bool,
    next_tick: Instant,
    pending: VecDeque<EngineEvent>,
    files: Vec<TorrentFile>,
    selected: Vec<usize>,
    /// Files reported with `FileReady`.
    ready: HashSet<usize>,
    /// `None` once cleaned up.
    reservation: Option<Reservation>,
}

impl fmt::Debug for LibrqbitRun {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let phase = match self.phase {
            Phase::Preparing(_) => "preparing",
            Phase::Downloading(_) => "downloading",
            Phase::Ended => "ended",
        };
        f.debug_struct("LibrqbitRun")
            .field("job_id", &self.job_id)
            .field("info_hash", &self.info_hash.as_string())
            .field("phase", &phase)
            .field("ready", &self.ready.len())
            .finish_non_exhaustive()
    }
}

impl LibrqbitRun {
    /// The canonical path of ready file `index`; refused when it is not ready, or resolves
    /// outside the job directory.
    async fn ready_path(&self, index: usize) -> Result<PathBuf, ComputeError> {
        if !self.ready.contains(&index) {
            return Err(ComputeError::Invalid(format!("file {index} is not ready")));
        }
        let path = self.job_dir.join(self.files[index].path.as_str());
        // The path is built from a checked `RelPath`; canonicalizing also catches symlinks.
        let path = tokio::fs::canonicalize(&path).await.map_err(backend)?;
        if !path.starts_with(&self.job_dir) {
            return Err(ComputeError::Invalid(format!("file {index} resolves outside the job directory")));
        }
        Ok(path)
    }

    /// Waits for something to happen and queues the resulting events. Cancel-safe.
    async fn step(&mut self) {
        match &mut self.phase {
            Phase::Preparing(task) => {
                let early = self.emit_early_progress;
                let joined = tokio::select! {
                    joined = task => joined,
                    () = tokio::time::sleep_until(self.next_tick), if early => {
                        self.next_tick = Instant::now() + self.interval;
                        self.pending.push_back(EngineEvent::Progress(EngineProgress::default()));
                        return;
                    }
                };
                match joined {
                    Ok(Ok(prepared)) => self.on_prepared(prepared),
                    Ok(Err(PrepareError::Failed(reason))) => self.fail(reason),
                    Ok(Err(PrepareError::Rejected(reason))) => self.reject(reason),
                    Err(e) => self.fail(format!("the engine task ended unexpectedly: {e}")),
                }
            }
            Phase::Downloading(handle) => {
                let handle = Arc::clone(handle);
                if self.awaiting_completion {
                    tokio::select! {
                        () = tokio::time::sleep_until(self.next_tick) => {}
                        // Errors (the torrent failed) show in the stats the poll reads.
                        _ = handle.wait_until_completed() => self.awaiting_completion = false,
                    }
                } else {
                    tokio::time::sleep_until(self.next_tick).await;
                }
                self.next_tick = Instant::now() + self.interval;
                self.poll(&handle);
            }
            Phase::Ended => {}
        }
    }

    fn on_prepared(&mut self, prepared: Prepared) {
        let Prepared { handle, layout, selected } = prepared;
        tracing::debug!(job_id = %self.job_id, files = layout.files.len(), selected = selected.len(), "torrent added");
        self.pending.push_back(EngineEvent::Metadata { name: layout.name, files: layout.files.clone() });
        self.files = layout.files;
        self.selected = selected;
        self.phase = Phase::Downloading(handle);
        // The first progress report follows the metadata at once.
        self.next_tick = Instant::now();
    }

    fn reject(&mut self, reason: String) {
        tracing::info!(job_id = %self.job_id, %reason, "torrent rejected");
        self.pending.push_back(EngineEvent::Rejected(reason));
        self.phase = Phase::Ended;
    }

    fn fail(&mut self, reason: String) {
        tracing::info!(job_id = %self.job_id, %reason, "download failed");
        self.pending.push_back(EngineEvent::Failed(reason));
        self.phase = Phase::Ended;
    }

    /// Reads librqbit's stats and queues `FileReady`s, a `Progress`, and `Finished` or `Failed`.
    fn poll(&mut self, handle: &ManagedTorrent) {
        let stats = handle.stats();
        if matches!(stats.state, TorrentStatsState::Error) {
            self.fail(stats.error.unwrap_or_else(|| "the torrent failed".into()));
            return;
        }
        let mut done = 0u64;
        let mut total = 0u64;
        for &index in &self.selected {
            let size = self.files[index].size;
            // `file_progress` counts verified pieces only; it is empty until the torrent is live.
            let have = stats.file_progress.get(index).copied().unwrap_or(0).min(size);
            done += have;
            total += size;
            if have == size && self.ready.insert(index) {
                self.pending.push_back(EngineEvent::FileReady { index });
            }
        }
        let live = stats.live.as_ref();
        let download_bps = live.map_or(0, |l| l.download_speed.as_bytes());
        let progress = EngineProgress {
            done_bytes: done,
            total_bytes: total,
            download_bps,
            upload_bps: live.map_or(0, |l| l.upload_speed.as_bytes()),
            peers: live.map_or(0, |l| l.snapshot.peer_stats.live),
            eta_secs: (download_bps > 0).then(|| (total - done).div_ceil(download_bps)),
        };
        self.pending.push_back(EngineEvent::Progress(progress));
        if self.ready.len() == self.selected.len() {
            self.pending.push_back(EngineEvent::Finished);
            self.phase = Phase::Ended;
        }
    }

    /// Takes what cleanup needs, leaving the run inert (so `Drop` does nothing more).
    fn take_cleanup(&mut self) -> Option<Cleanup> {
        let reservation = self.reservation.take()?;
        let task = match std::mem::replace(&mut self.phase, Phase::Ended) {
            Phase::Preparing(task) => {
                task.abort();
                Some(task)
            }
            Phase::Downloading(_) | Phase::Ended => None,
        };
        Some(Cleanup {
            session: Arc::clone(&self.session),
            task,
            info_hash: self.info_hash,
            job_dir: self.job_dir.clone(),
            reservation,
        })
    }
}

/// Removes a run's torrent from the session and deletes its job directory.
struct Cleanup {
    session: Arc<Session>,
    task: Option<JoinHandle<Result<Prepared, PrepareError>>>,
    info_hash: Id20,
    job_dir: PathBuf,
    reservation: Reservation,
}

impl Cleanup {
    async fn run(self) -> Result<(), ComputeError> {
        if let Some(task) = self.task {
            // The task was aborted; it ends at its next await. It may have added the torrent
            // already, so wait for it before removing the torrent by its infohash.
            if tokio::time::timeout(STOP_TIMEOUT, task).await.is_err() {
                tracing::warn!(info_hash = %self.info_hash.as_string(), "aborted engine task did not end in time");
            }
        }
        let deleted =
            tokio::time::timeout(STOP_TIMEOUT, self.session.delete(TorrentIdOrHash::Hash(self.info_hash), false)).await;
        match deleted {
            Ok(Ok(())) => {}
            // Never added (stopped while resolving, or failed before adding).
            Ok(Err(e)) => tracing::debug!(error = format!("{e:#}"), "torrent not removed from the session"),
            Err(_) => tracing::warn!(info_hash = %self.info_hash.as_string(), "removing the torrent timed out"),
        }
        remove_dir(&self.job_dir).await?;
        drop(self.reservation);
        Ok(())
    }
}

async fn remove_dir(dir: &Path) -> Result<(), ComputeError> {
    match tokio::fs::remove_dir_all(dir).await {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(backend(e)),
    }
}

#[async_trait]
impl EngineRun for LibrqbitRun {
    async fn next_event(&mut self) -> Option<EngineEvent> {
        loop {
            if let Some(event) = self.pending.pop_front() {
                return Some(event);
            }
            if matches!(self.phase, Phase::Ended) {
                return None;
            }
            self.step().await;
        }
    }

    async fn open_file(&self, index: usize) -> Result<Box<dyn AsyncRead + Send + Unpin>, ComputeError> {
        let path = self.ready_path(index).await?;
        let reader = tokio::fs::File::open(&path).await.map_err(backend)?;
        Ok(Box::new(reader.take(self.files[index].size)))
    }

    async fn open_growing_file(&self, index: usize) -> Result<Option<Box<dyn AsyncRead + Send + Unpin>>, ComputeError> {
        let Phase::Downloading(handle) = &self.phase else { return Ok(None) };
        if !self.selected.contains(&index) || self.ready.contains(&index) {
            return Ok(None);
        }
        let Ok(permit) = Arc::clone(&self.growing).try_acquire_owned() else { return Ok(None) };
        // librqbit reads through the files it opened from the checked layout, by index.
        let stream = Arc::clone(handle).stream(index).await.map_err(|e| ComputeError::Backend(e.into()))?;
        Ok(Some(Box::new(GrowingFile { stream, _permit: permit })))
    }

    async fn local_file(&self, index: usize) -> Result<Option<PathBuf>, ComputeError> {
        // Every piece of a ready file is written and checked; librqbit writes to it no more.
        self.ready_path(index).await.map(Some)
    }

    async fn stop(mut self: Box<Self>) -> Result<(), ComputeError> {
        match self.take_cleanup() {
            Some(cleanup) => cleanup.run().await,
            None => Ok(()),
        }
    }
}

impl Drop for LibrqbitRun {
    /// A run dropped without `stop` still leaves the session and deletes its data: nothing can
    /// read that data once the run is gone.
    fn drop(&mut self) {
        let Some(cleanup) = self.take_cleanup() else { return };
        match tokio::runtime::Handle::try_current() {
            Ok(runtime) => {
                runtime.spawn(async move {
                    if let Err(e) = cleanup.run().await {
                        tracing::warn!(error = %e, "cleanup of a dropped engine run failed");
                    }
                });
            }
            Err(_) => tracing::warn!(job_dir = %cleanup.job_dir.display(), "engine run dropped outside a runtime"),
        }
    }
}

/// A librqbit file stream holding one of the engine's permits for growing files.
struct GrowingFile<S> {
    stream: S,
    _permit: OwnedSemaphorePermit,
}

impl<S: AsyncRead + Unpin> AsyncRead for GrowingFile<S> {
    fn poll_read(
        mut self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
        buf: &mut tokio::io::ReadBuf<'_>,
    ) -> std::task::Poll<std::io::Result<()>> {
        std::pin::Pin::new(&mut self.stream).poll_read(cx, buf)
    }
}

fn backend(e: impl std::error::Error + Send + Sync + 'static) -> ComputeError {
    ComputeError::Backend(Box::new(e))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn magnets_reach_librqbit_with_a_hex_infohash_and_without_a_selection() {
        let link = MagnetLink::parse(
            "magnet:?xt=urn:btih:yex6dqdlxisuvhoj6um3gnnkpqjwpkek&dn=A%20B&tr=udp%3A%2F%2Ft%3A1&so=0",
        )
        .unwrap();
        assert_eq!(
            librqbit_magnet(&link),
            "magnet:?xt=urn:btih:c12fe1c06bba254a9dc9f519b335aa7c1367a88a&dn=A+B&tr=udp%3A%2F%2Ft%3A1"
        );
        let parsed = librqbit_core::magnet::Magnet::parse(&librqbit_magnet(&link)).unwrap();
        assert_eq!(parsed.name.as_deref(), Some("A B"));
        assert_eq!(parsed.trackers, ["udp://t:1"]);
        assert_eq!(parsed.get_select_only(), None);
    }

    #[test]
    fn a_second_reservation_of_the_same_infohash_is_busy_until_the_first_is_dropped() {
        let active = Arc::default();
        let hash = Id20::new([7; 20]);
        let first = Reservation::take(&active, hash).unwrap();
        assert!(matches!(Reservation::take(&active, hash), Err(ComputeError::Busy(_))));
        drop(first);
        assert!(Reservation::take(&active, hash).is_ok());
    }
}
