//! The dispatcher: leases job messages from the durable queue and runs them on a compute engine,
//! moving each job through the state machine.
//!
//! One attempt, in order:
//! 1. Load the job. Paused, cancelled, finished or deleted jobs: ack the message and stop. A job
//!    still marked running was abandoned by a crashed attempt: requeue it first.
//! 2. Dedup: when the torrent is already stored (any user, within the plan's retention), share
//!    its blobs and complete at once.
//! 3. Start the engine; keep the lease alive while it runs.
//! 4. Record each file the run reports stored (the [`StoringEngine`] under every run uploads
//!    each file as soon as it is ready, while the rest downloads); record progress; watch for
//!    stalls and for the user pausing or cancelling.
//! 5. Complete (ack), or fail the attempt: retry with backoff, then dead-letter.
//!
//! Nothing is lost when the process dies: the message's lease expires and another dispatcher
//! (or this one after a restart) picks the job up again. Status writes are compare-and-set, so
//! a stale attempt can never complete a job twice or move it backwards.

use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Utc};
use serde_json::json;
use tokio::task::{JoinHandle, JoinSet};
use tokio::time::Instant;
use tokio_util::sync::CancellationToken;
use tracing::Instrument as _;

use super::StoringEngine;
use super::events::JobNotice;
use super::retry::{FailOutcome, fail_delivery};
use super::{JobService, Ports};
use crate::config::DispatchConfig;
use crate::domain::file::guess_mime;
use crate::domain::{
    FileId, Job, JobEventKind, JobSource, JobStatus, JobTransition, Lease, NewStoredFile, QuotaError, QuotaRequest,
    StoredFile, TorrentFile, TorrentMeta, TransferKind, Usage, blob_key,
};
use crate::error::{QueueError, RepoError};
use crate::ports::{ComputeEngine, ComputeError, EngineEvent, EngineRun, EngineTask, JobChange};

/// Runs queued jobs on a compute engine.
#[derive(Debug, Clone)]
pub struct Dispatcher {
    ports: Ports,
    jobs: JobService,
    engine: Arc<dyn ComputeEngine>,
    config: Arc<DispatchConfig>,
}

/// Why an attempt ended without completing.
#[derive(Debug)]
enum Outcome {
    /// Done: the job completed, or needs no work.
    Done,
    /// The user paused or cancelled (or deleted) the job meanwhile.
    Stopped,
    /// Worth retrying.
    Retry(String),
    /// Retrying cannot help (bad file selection, over quota): dead-letter at once.
    Permanent(String),
    /// Another dispatcher owns the message now.
    LeaseLost,
    /// No engine can take the job now (no agent, every agent full): not a failed attempt. The
    /// job stays queued and is tried again after a capped backoff; the text says why.
    Wait(String),
}

/// The longest wait between two tries of a job that is waiting for capacity.
const WAIT_CAP: Duration = Duration::from_secs(60);

/// Writes a job's changes with compare-and-set, tracking the job locally. Every status change
/// goes through [`JobChange::transition`]; a change the state machine refuses (the user cancelled
/// or paused meanwhile) ends the attempt as [`Outcome::Stopped`].
struct Tracker<'a> {
    dispatcher: &'a Dispatcher,
    job: Job,
}

impl Tracker<'_> {
    fn now(&self) -> DateTime<Utc> {
        self.dispatcher.ports.clock.now()
    }

    /// Moves the job by `t`, with its `status_changed` history entry.
    async fn transition(&mut self, t: JobTransition, build: impl FnOnce(&mut JobChange)) -> Result<(), Outcome> {
        let change = JobChange::transition(&self.job, t, self.now()).map_err(|_| Outcome::Stopped)?;
        self.write(change, build).await
    }

    /// Moves the job by `t`, recording the history entry as `kind` with `details`.
    async fn transition_noted(
        &mut self,
        t: JobTransition,
        kind: JobEventKind,
        details: serde_json::Value,
        build: impl FnOnce(&mut JobChange),
    ) -> Result<(), Outcome> {
        let change = JobChange::transition(&self.job, t, self.now()).map_err(|_| Outcome::Stopped)?;
        self.write(change.noted(kind, details), build).await
    }

    /// Changes fields but not the status (progress bytes, the remote worker).
    async fn edit(&mut self, build: impl FnOnce(&mut JobChange)) -> Result<(), Outcome> {
        let change = JobChange::edit(&self.job, self.now());
        self.write(change, build).await
    }

    async fn write(&mut self, mut change: JobChange, build: impl FnOnce(&mut JobChange)) -> Result<(), Outcome> {
        build(&mut change);
        match self.dispatcher.jobs.ports_update(self.job.id, &change).await {
            Ok(job) => {
                self.job = job;
                Ok(())
            }
            Err(RepoError::Conflict(_)) | Err(RepoError::NotFound) => Err(Outcome::Stopped),
            Err(e) => Err(Outcome::Retry(format!("database error: {e}"))),
        }
    }
}

impl Dispatcher {
    /// Builds a dispatcher.
    ///
    /// The engine's runs are wrapped in a [`StoringEngine`] over the ports' file store, so every
    /// finished file reaches the dispatcher as [`EngineEvent::FileStored`]; runs that store their
    /// own files (remote agents) pass through unchanged.
    pub fn new(ports: Ports, jobs: JobService, engine: Arc<dyn ComputeEngine>, config: DispatchConfig) -> Self {
        let engine = Arc::new(StoringEngine::new(engine, Arc::clone(&ports.store)));
        Self { ports, jobs, engine, config: Arc::new(config) }
    }

    /// Runs until `cancel` fires: leases messages while fewer than `concurrency` jobs run.
    /// Running attempts are stopped on cancellation and their messages retried promptly.
    pub fn spawn(self, cancel: CancellationToken) -> JoinHandle<()> {
        tokio::spawn(async move { self.run(cancel).await })
    }

    async fn run(self, cancel: CancellationToken) {
        let mut running = JoinSet::new();
        let poll = Duration::from_millis(self.config.poll_interval_ms.max(10));
        // A job queued in this process wakes the loop at once; polling finds the others (queued
        // by other processes, or due after a backoff).
        let mut enqueued = self.jobs.events_bus().watch_enqueued();
        loop {
            while running.try_join_next().is_some() {}
            if cancel.is_cancelled() {
                // Stopping: lease nothing more (not even a job just handed back).
                break;
            }
            if running.len() < self.config.concurrency.max(1) {
                match self.lease().await {
                    Ok(Some(lease)) => {
                        let this = self.clone();
                        let cancel = cancel.child_token();
                        let span = tracing::info_span!("job", job_id = ?lease.message.job_id, attempt = lease.message.attempts);
                        running.spawn(async move { this.attempt(lease, cancel).await }.instrument(span));
                        continue;
                    }
                    Ok(None) => {}
                    Err(e) => tracing::error!(error = %e, "cannot lease from the job queue"),
                }
            }
            tokio::select! {
                () = cancel.cancelled() => break,
                () = tokio::time::sleep(poll) => {}
                Ok(()) = enqueued.changed() => {}
                Some(_) = running.join_next(), if !running.is_empty() => {}
            }
        }
        while running.join_next().await.is_some() {}
    }

    async fn lease(&self) -> Result<Option<Lease>, QueueError> {
        let queue = &self.jobs.config().queue;
        let visibility = Duration::from_secs(self.config.lease_secs.max(1));
        self.ports.queue.lease(queue, &self.config.worker_id, visibility, self.ports.clock.now()).await
    }

    /// Runs one delivery of a message to the end, recording its outcome in the queue.
    pub async fn attempt(&self, lease: Lease, cancel: CancellationToken) {
        if lease.message.job_id.is_none() {
            let _ = self.ports.queue.ack(&lease).await;
            return;
        }
        // `run` stops the attempt on shutdown or when the lease is lost; `lost` tells which. The
        // lease is renewed inside this future (not a detached task), so if the attempt dies, the
        // renewals die with it and the lease expires for another dispatcher to take over.
        let run = cancel.child_token();
        let lost = CancellationToken::new();
        let exec = self.execute(&lease, &run);
        let keep = self.keep_lease(lease.clone(), run.clone(), lost.clone());
        tokio::pin!(exec, keep);
        let mut keeping = true;
        let (outcome, tracker) = loop {
            tokio::select! {
                result = &mut exec => break result,
                () = &mut keep, if keeping => keeping = false,
            }
        };
        let outcome = if lost.is_cancelled() { Outcome::LeaseLost } else { outcome };
        let now = self.ports.clock.now();
        match outcome {
            Outcome::Done | Outcome::Stopped => {
                if let Err(e) = self.ports.queue.ack(&lease).await {
                    tracing::warn!(error = %e, "could not ack a finished job message");
                }
            }
            Outcome::LeaseLost => tracing::warn!("lease lost; another dispatcher has the job"),
            Outcome::Wait(reason) => self.wait(&lease, tracker, &reason).await,
            Outcome::Retry(_) if cancel.is_cancelled() => {
                // Shutting down: hand the job back at once instead of waiting for the lease, and
                // uncounted: stopping a process is not the job's failure.
                let _ = self.ports.queue.postpone(&lease, now).await;
                if let Some(mut t) = tracker {
                    let _ = t.transition(JobTransition::Requeue, |c| c.worker_id = Some(None)).await;
                }
            }
            Outcome::Retry(error) => {
                tracing::warn!(%error, "attempt failed");
                let retry = &self.jobs.config().retry;
                match fail_delivery(&*self.ports.queue, retry, &lease, &error, now).await {
                    Ok(FailOutcome::Retry(at)) => {
                        self.record_failure(tracker, &error, Some(at), lease.message.attempts).await
                    }
                    Ok(FailOutcome::DeadLettered) => {
                        self.record_failure(tracker, &error, None, lease.message.attempts).await
                    }
                    Err(e) => tracing::warn!(error = %e, "could not record the failed attempt"),
                }
            }
            Outcome::Permanent(error) => {
                tracing::warn!(%error, "job cannot succeed");
                if self.ports.queue.dead_letter(&lease, &error, now).await.is_ok() {
                    self.record_failure(tracker, &error, None, lease.message.attempts).await;
                }
            }
        }
    }

    async fn record_failure(
        &self,
        tracker: Option<Tracker<'_>>,
        error: &str,
        retry_at: Option<DateTime<Utc>>,
        attempt: u32,
    ) {
        let Some(mut t) = tracker else { return };
        let (transition, kind) = match retry_at {
            Some(_) => (JobTransition::Requeue, JobEventKind::AttemptFailed),
            None => (JobTransition::Fail, JobEventKind::JobFailed),
        };
        let details = json!({ "attempt": attempt, "error": error, "retryAt": retry_at });
        let error = error.to_owned();
        let _ = t
            .transition_noted(transition, kind, details, |c| {
                c.error = Some(Some(error));
                c.worker_id = Some(None);
            })
            .await;
    }

    /// Renews the lease until `run` is cancelled; on a lost lease, cancels `run` and sets `lost`.
    async fn keep_lease(&self, lease: Lease, run: CancellationToken, lost: CancellationToken) {
        let queue = Arc::clone(&self.ports.queue);
        let clock = Arc::clone(&self.ports.clock);
        let secs = self.config.lease_secs.max(1);
        {
            let every = Duration::from_millis(secs * 1000 / 3).max(Duration::from_millis(100));
            loop {
                tokio::select! {
                    () = run.cancelled() => return,
                    () = tokio::time::sleep(every) => {}
                }
                if let Err(e) = queue.extend(&lease, Duration::from_secs(secs), clock.now()).await {
                    tracing::warn!(error = %e, "could not renew the job lease");
                    if matches!(e, QueueError::LeaseLost) {
                        lost.cancel();
                        run.cancel();
                        return;
                    }
                }
            }
        }
    }

    async fn execute(&self, lease: &Lease, cancel: &CancellationToken) -> (Outcome, Option<Tracker<'_>>) {
        let Some(job_id) = lease.message.job_id else { return (Outcome::Done, None) };
        let job = match self.ports.jobs.get_job(job_id).await {
            Ok(job) => job,
            Err(RepoError::NotFound) => return (Outcome::Done, None),
            Err(e) => return (Outcome::Retry(format!("database error: {e}")), None),
        };
        let mut t = Tracker { dispatcher: self, job };
        if t.job.status.is_running() {
            // A previous attempt died mid-way (its lease expired): start over.
            let previous = json!({ "previousWorker": t.job.worker_id });
            if let Err(o) = t
                .transition_noted(JobTransition::Requeue, JobEventKind::AttemptAbandoned, previous, |c| {
                    c.worker_id = Some(None);
                })
                .await
            {
                return (o, Some(t));
            }
        }
        if t.job.status != JobStatus::Queued {
            return (Outcome::Done, Some(t));
        }
        let outcome = match self.try_dedup(&mut t).await {
            Ok(true) => Outcome::Done,
            Ok(false) => match self.download(&mut t, cancel).await {
                Ok(()) => Outcome::Done,
                Err(o) => o,
            },
            Err(o) => o,
        };
        (outcome, Some(t))
    }

    /// Completes the job from an already stored copy of the torrent, if there is one.
    async fn try_dedup(&self, t: &mut Tracker<'_>) -> Result<bool, Outcome> {
        let retry = |e: RepoError| Outcome::Retry(format!("database error: {e}"));
        let now = self.ports.clock.now();
        let plan = super::job::org_plan(&self.ports, t.job.org_id).await.map_err(retry)?;
        let since = plan.retention_cutoff(now);
        let Some(source) = self.ports.files.find_completed_source(t.job.infohash, since).await.map_err(retry)? else {
            return Ok(false);
        };
        // With a file selection, every selected file must be in the stored copy.
        let wanted: Option<Vec<crate::domain::RelPath>> = match (&t.job.selected_files, &t.job.source) {
            (None, _) => None,
            (Some(sel), JobSource::Torrent(bytes)) => match TorrentMeta::parse(bytes) {
                Ok(meta) => {
                    Some(sel.iter().filter_map(|&i| meta.files.get(i as usize).map(|f| f.path.clone())).collect())
                }
                Err(_) => return Ok(false),
            },
            // A magnet's file list is unknown until the engine fetches it.
            (Some(_), JobSource::Magnet(_)) => return Ok(false),
        };
        let chosen: Vec<&StoredFile> = match &wanted {
            None => source.iter().collect(),
            Some(paths) => {
                let picked: Vec<&StoredFile> = source.iter().filter(|f| paths.contains(&f.path)).collect();
                if picked.len() != paths.len() {
                    return Ok(false);
                }
                picked
            }
        };
        // Quota still applies to a shared copy: it counts against this user's storage.
        if let Some(refused) = self.over_quota(&t.job, chosen.iter().map(|f| f.size)).await.map_err(retry)? {
            return Err(Outcome::Permanent(refused.job_error()));
        }
        let now = self.ports.clock.now();
        for file in &chosen {
            let new = NewStoredFile {
                id: FileId::new(),
                job_id: t.job.id,
                path: file.path.clone(),
                size: file.size,
                blob_key: file.blob_key.clone(),
                mime_type: file.mime_type.clone(),
                created_at: now,
            };
            match self.ports.files.add_file(&new).await {
                Ok(_) | Err(RepoError::Conflict(_)) => {}
                Err(e) => return Err(retry(e)),
            }
        }
        let total: u64 = chosen.iter().map(|f| f.size).sum();
        t.transition(JobTransition::Deduplicated, |c| {
            c.total_bytes = Some(total);
            c.done_bytes = Some(total);
            c.completed_at = Some(now);
        })
        .await?;
        Ok(true)
    }

    /// The organization's plan's refusal when storing `sizes` would break it ([`Plan::check`] with
    /// the job's own files, stored by an earlier attempt, not counted twice).
    ///
    /// [`Plan::check`]: crate::domain::Plan::check
    async fn over_quota(
        &self,
        job: &Job,
        sizes: impl IntoIterator<Item = u64>,
    ) -> Result<Option<QuotaError>, RepoError> {
        let plan = super::job::org_plan(&self.ports, job.org_id).await?;
        let usage = self.ports.jobs.usage(crate::ports::UsageOf::org(job.org_id)).await?;
        let own: u64 = self.ports.files.list_files(job.id).await?.iter().map(|f| f.size).sum();
        let usage = Usage { storage_bytes: usage.storage_bytes.saturating_sub(own), ..usage };
        Ok(plan.check(&usage, &QuotaRequest::files(sizes)).err())
    }

    async fn download(&self, t: &mut Tracker<'_>, cancel: &CancellationToken) -> Result<(), Outcome> {
        let task = EngineTask {
            job_id: t.job.id,
            source: t.job.source.clone(),
            only_files: t.job.selected_files.as_ref().map(|s| s.iter().map(|&i| i as usize).collect()),
            region_hint: t.job.region_hint.clone(),
        };
        // The job stays queued until an engine has taken it: a wait for capacity changes nothing.
        let run = match self.engine.start(task).await {
            Ok(run) => run,
            Err(ComputeError::Busy(reason)) => return Err(Outcome::Wait(reason)),
            Err(e) => return Err(Outcome::Retry(format!("engine could not start: {e}"))),
        };
        // A remote agent runs the download: it is the job's worker.
        let worker = run.worker_id().unwrap_or_else(|| self.config.worker_id.clone());
        let mut run = RunGuard(Some(run));
        let result = match t
            .transition(JobTransition::Dispatch, |c| {
                c.worker_id = Some(Some(worker));
                c.error = Some(None);
            })
            .await
        {
            Ok(()) => self.follow(t, &mut run, cancel).await,
            Err(o) => Err(o),
        };
        if let Some(run) = run.0.take()
            && let Err(e) = run.stop().await
        {
            tracing::warn!(error = %e, "engine did not stop cleanly");
        }
        result
    }

    /// Puts a job that is waiting for capacity back in the queue without spending an attempt.
    /// The wait doubles with the time the job has waited (from the retry policy's first delay,
    /// at most [`WAIT_CAP`]), and the job's error says why it waits.
    async fn wait(&self, lease: &Lease, tracker: Option<Tracker<'_>>, reason: &str) {
        let now = self.ports.clock.now();
        let first = Duration::from_secs(self.jobs.config().retry.base_secs.max(1));
        let waited = tracker
            .as_ref()
            .filter(|t| t.job.error.as_deref().is_some_and(|e| e.starts_with("waiting: ")))
            .and_then(|t| (now - t.job.updated_at).to_std().ok())
            .unwrap_or_default();
        let delay = waited.clamp(first, WAIT_CAP.max(first));
        let visible_at = now + chrono::TimeDelta::from_std(delay).unwrap_or(chrono::TimeDelta::seconds(60));
        if let Err(e) = self.ports.queue.postpone(lease, visible_at).await {
            tracing::warn!(error = %e, "could not postpone a job waiting for capacity");
            return;
        }
        tracing::info!(reason, retry_in = ?delay, "job waits for capacity");
        let error = format!("waiting: {reason}");
        if let Some(mut t) = tracker
            && t.job.error.as_deref() != Some(error.as_str())
        {
            let _ = t.edit(|c| c.error = Some(Some(error))).await;
        }
    }

    async fn follow(&self, t: &mut Tracker<'_>, run: &mut RunGuard, cancel: &CancellationToken) -> Result<(), Outcome> {
        let stall = Duration::from_secs(self.config.stall_timeout_secs.max(1));
        let write_every = Duration::from_millis(self.config.progress_write_interval_ms);
        let mut files: Vec<TorrentFile> = Vec::new();
        let mut last_advance = Instant::now();
        let mut last_write = Instant::now().checked_sub(write_every).unwrap_or_else(Instant::now);
        let mut best_done = 0u64;
        loop {
            // Once downloaded, only the object store is at work: its own timeouts bound it.
            let watching = t.job.status != JobStatus::Uploading;
            let event = tokio::select! {
                () = cancel.cancelled() => return Err(Outcome::Retry("dispatcher shutting down".into())),
                event = run.next() => event,
                () = tokio::time::sleep_until(last_advance + stall), if watching => {
                    return Err(Outcome::Retry(format!("stalled: no download progress for {}s", stall.as_secs())));
                }
            };
            match event {
                None => return Err(Outcome::Retry("the engine stopped without finishing".into())),
                Some(EngineEvent::Failed(e)) => return Err(Outcome::Retry(format!("download failed: {e}"))),
                Some(EngineEvent::Rejected(e)) => return Err(Outcome::Permanent(format!("torrent rejected: {e}"))),
                Some(EngineEvent::Metadata { name, files: listed }) => {
                    let selected = self.selected_sizes(&t.job, &listed)?;
                    if let Some(refused) = self
                        .over_quota(&t.job, selected.iter().copied())
                        .await
                        .map_err(|e| Outcome::Retry(e.to_string()))?
                    {
                        return Err(Outcome::Permanent(refused.job_error()));
                    }
                    let total: u64 = selected.iter().sum();
                    let rename = (t.job.name == t.job.infohash.to_hex()).then(|| name.clone());
                    t.transition(JobTransition::MetadataReady, |c| {
                        c.total_bytes = Some(total);
                        c.name = rename;
                    })
                    .await?;
                    files = listed;
                    last_advance = Instant::now();
                }
                Some(EngineEvent::Progress(p)) => {
                    self.jobs.events_bus().publish(t.job.id, JobNotice::Progress(p));
                    if p.done_bytes > best_done {
                        best_done = p.done_bytes;
                        last_advance = Instant::now();
                    }
                    if t.job.status == JobStatus::Downloading && last_write.elapsed() >= write_every {
                        last_write = Instant::now();
                        t.edit(|c| c.done_bytes = Some(p.done_bytes)).await?;
                    }
                }
                Some(EngineEvent::FileReady { index }) => {
                    // The StoringEngine under every run turns this into FileStored.
                    return Err(Outcome::Retry(format!("the engine reported file {index} ready but did not store it")));
                }
                Some(EngineEvent::FileStored { index, blob_key: key, size }) => {
                    let file = files
                        .get(index)
                        .cloned()
                        .ok_or_else(|| Outcome::Retry(format!("engine reported unknown file {index}")))?;
                    if size != file.size {
                        return Err(Outcome::Retry(format!("stored {size} bytes of {} for {}", file.size, file.path)));
                    }
                    let expected = blob_key(t.job.infohash, &file.path);
                    if key != expected {
                        return Err(Outcome::Retry(format!("engine stored {} under an unexpected key", file.path)));
                    }
                    self.record_file(&t.job, file, key).await.map_err(Outcome::Retry)?;
                    last_advance = Instant::now();
                }
                Some(EngineEvent::Downloaded) if t.job.status != JobStatus::Uploading => {
                    self.downloaded(t, best_done).await?;
                }
                Some(EngineEvent::Downloaded) => {}
                Some(EngineEvent::Finished) => break,
            }
        }
        if t.job.status == JobStatus::FetchingMetadata {
            return Err(Outcome::Retry("the engine finished before reporting metadata".into()));
        }
        if t.job.status == JobStatus::Downloading {
            self.downloaded(t, best_done).await?;
        }
        let expected = self.selected_sizes(&t.job, &files)?.len();
        let stored = self.ports.files.list_files(t.job.id).await.map_err(|e| Outcome::Retry(e.to_string()))?.len();
        if stored < expected {
            return Err(Outcome::Retry(format!("only {stored} of {expected} files were stored")));
        }
        let now = self.ports.clock.now();
        t.transition(JobTransition::Stored, |c| c.completed_at = Some(now)).await?;
        // The job downloaded its size from peers once (a shared copy moved nothing).
        let downloaded = t.job.total_bytes.unwrap_or(best_done);
        super::job::record_transfer(&self.ports, t.job.org_id, TransferKind::Downloaded, downloaded).await;
        Ok(())
    }

    /// Every piece is downloaded: the job moves to `uploading` with its full size done.
    async fn downloaded(&self, t: &mut Tracker<'_>, best_done: u64) -> Result<(), Outcome> {
        if t.job.status == JobStatus::FetchingMetadata {
            return Err(Outcome::Retry("the engine finished before reporting metadata".into()));
        }
        let total = t.job.total_bytes.unwrap_or(best_done);
        t.transition(JobTransition::DownloadFinished, |c| c.done_bytes = Some(total)).await
    }

    /// Sizes of the files the job downloads; a selection out of range can never succeed.
    fn selected_sizes(&self, job: &Job, files: &[TorrentFile]) -> Result<Vec<u64>, Outcome> {
        match &job.selected_files {
            None => Ok(files.iter().map(|f| f.size).collect()),
            Some(sel) => sel
                .iter()
                .map(|&i| {
                    files.get(i as usize).map(|f| f.size).ok_or_else(|| {
                        Outcome::Permanent(format!(
                            "invalid_selection: the torrent has {} files, index {i} does not exist",
                            files.len()
                        ))
                    })
                })
                .collect(),
        }
    }

    /// Records a file the engine already stored.
    async fn record_file(&self, job: &Job, file: TorrentFile, key: String) -> Result<(), String> {
        add_file_row(&*self.ports.files, &*self.ports.clock, job, file, key).await
    }
}

/// Records a stored file's row; an existing row (a retried attempt) is fine.
async fn add_file_row(
    files: &dyn crate::ports::FileRepository,
    clock: &dyn crate::ports::Clock,
    job: &Job,
    file: TorrentFile,
    key: String,
) -> Result<(), String> {
    let new = NewStoredFile {
        id: FileId::new(),
        job_id: job.id,
        mime_type: guess_mime(&file.path).map(str::to_owned),
        path: file.path,
        size: file.size,
        blob_key: key,
        created_at: clock.now(),
    };
    match files.add_file(&new).await {
        // A retried attempt re-uploads over the same blob; the row already exists.
        Ok(_) | Err(RepoError::Conflict(_)) => Ok(()),
        Err(e) => Err(format!("recording {}: {e}", new.path)),
    }
}

/// Owns an engine run so every exit path can stop it.
struct RunGuard(Option<Box<dyn EngineRun>>);

impl RunGuard {
    async fn next(&mut self) -> Option<EngineEvent> {
        match self.0.as_mut() {
            Some(run) => run.next_event().await,
            None => None,
        }
    }
}
