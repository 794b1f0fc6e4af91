//! The agent's jobs: runs started by the API (`POST /v1/jobs`), their events kept in memory for
//! the API to long-poll, and every finished file uploaded to the agent's object store.

use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use tokio::sync::Notify;
use tokio_util::sync::CancellationToken;
use tseeder_core::domain::{Infohash, JobSource, MagnetLink, TorrentMeta};
use tseeder_core::ports::{ComputeEngine, ComputeError, EngineRun, EngineTask, FileStore};
use tseeder_core::services::StoringEngine;

use super::wire::{EventsPage, SeqEvent, StartJob, WireEvent, WireSource};

/// Events kept per job; older ones are dropped (progress mostly: the API polls far more often).
pub const MAX_EVENTS_PER_JOB: usize = 1024;

/// Ended jobs kept for the API to read their last events, before the oldest are forgotten.
const MAX_ENDED_JOBS: usize = 256;

/// Why a job was not started.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    /// The agent runs `max_jobs` jobs already.
    #[error("the agent is at capacity")]
    AtCapacity,
    /// The request is unusable.
    #[error("invalid job: {0}")]
    Invalid(String),
    /// The engine failed.
    #[error("the engine could not start the job: {0}")]
    Engine(String),
}

#[derive(Debug, Default)]
struct Events {
    list: VecDeque<SeqEvent>,
    next_seq: u64,
    ended: bool,
}

#[derive(Debug)]
struct Entry {
    events: Mutex<Events>,
    changed: Notify,
    cancel: CancellationToken,
    done: Notify,
    finished: std::sync::atomic::AtomicBool,
}

impl Entry {
    fn push(&self, event: WireEvent) {
        let mut events = self.events.lock().unwrap_or_else(PoisonError::into_inner);
        let terminal = event.is_terminal();
        events.next_seq += 1;
        let seq = events.next_seq;
        events.list.push_back(SeqEvent { seq, event });
        while events.list.len() > MAX_EVENTS_PER_JOB {
            events.list.pop_front();
        }
        if terminal {
            events.ended = true;
        }
        drop(events);
        self.changed.notify_waiters();
    }

    fn end(&self) {
        self.events.lock().unwrap_or_else(PoisonError::into_inner).ended = true;
        self.changed.notify_waiters();
    }

    fn page(&self, after: u64) -> EventsPage {
        let events = self.events.lock().unwrap_or_else(PoisonError::into_inner);
        EventsPage { events: events.list.iter().filter(|e| e.seq > after).cloned().collect(), ended: events.ended }
    }
}

/// The jobs of one agent. Cheap to share (`Arc`).
#[derive(Debug)]
pub struct AgentJobs {
    /// The engine, wrapped so that its runs store their files.
    engine: StoringEngine,
    max_jobs: u32,
    jobs: Mutex<HashMap<String, Arc<Entry>>>,
    ended_order: Mutex<VecDeque<String>>,
    closed: std::sync::atomic::AtomicBool,
}

impl AgentJobs {
    /// Jobs run on `engine`, files uploaded to `store` (through a [`StoringEngine`]), at most
    /// `max_jobs` at once.
    pub fn new(engine: Arc<dyn ComputeEngine>, store: Arc<dyn FileStore>, max_jobs: u32) -> Self {
        Self {
            engine: StoringEngine::new(engine, store),
            max_jobs,
            jobs: Mutex::default(),
            ended_order: Mutex::default(),
            closed: std::sync::atomic::AtomicBool::new(false),
        }
    }

    /// Stops every job and refuses new ones (answered as at capacity): the agent is going away.
    pub async fn shutdown(&self) {
        self.closed.store(true, std::sync::atomic::Ordering::SeqCst);
        let ids: Vec<String> = self.jobs.lock().unwrap_or_else(PoisonError::into_inner).keys().cloned().collect();
        for id in ids {
            self.stop(&id).await;
        }
    }

    /// Jobs running now.
    pub fn active(&self) -> usize {
        self.jobs
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .values()
            .filter(|e| !e.finished.load(std::sync::atomic::Ordering::SeqCst))
            .count()
    }

    /// Starts a job. Starting a job id that is already running is accepted and does nothing.
    ///
    /// # Errors
    /// At capacity, an unusable request, or an engine failure.
    pub async fn start(self: &Arc<Self>, request: StartJob) -> Result<(), StartError> {
        let key = request.job_id.to_string();
        let infohash: Infohash =
            request.infohash.parse().map_err(|_| StartError::Invalid("infohash: 40 hex characters".into()))?;
        let source = match &request.source {
            WireSource::Magnet { magnet_uri } => {
                JobSource::Magnet(MagnetLink::parse(magnet_uri).map_err(|e| StartError::Invalid(e.to_string()))?)
            }
            WireSource::Torrent { torrent_base64 } => JobSource::Torrent(
                data_encoding::BASE64
                    .decode(torrent_base64.as_bytes())
                    .map_err(|_| StartError::Invalid("torrentBase64: standard base64".into()))?
                    .into(),
            ),
        };
        let source_infohash = match &source {
            JobSource::Magnet(magnet) => magnet.infohash(),
            JobSource::Torrent(bytes) => {
                TorrentMeta::parse(bytes).map_err(|e| StartError::Invalid(e.to_string()))?.infohash
            }
        };
        if source_infohash != infohash {
            return Err(StartError::Invalid("infohash: not the source's".into()));
        }
        {
            let jobs = self.jobs.lock().unwrap_or_else(PoisonError::into_inner);
            if let Some(entry) = jobs.get(&key)
                && !entry.finished.load(std::sync::atomic::Ordering::SeqCst)
            {
                return Ok(());
            }
        }
        if self.closed.load(std::sync::atomic::Ordering::SeqCst) || self.active() >= self.max_jobs as usize {
            return Err(StartError::AtCapacity);
        }
        let task = EngineTask { job_id: request.job_id, source, only_files: request.only_files, region_hint: None };
        let run = self.engine.start(task).await.map_err(|e| match e {
            ComputeError::Busy(_) => StartError::AtCapacity,
            ComputeError::Invalid(m) => StartError::Invalid(m),
            ComputeError::Backend(e) => StartError::Engine(e.to_string()),
        })?;
        let entry = Arc::new(Entry {
            events: Mutex::default(),
            changed: Notify::new(),
            cancel: CancellationToken::new(),
            done: Notify::new(),
            finished: std::sync::atomic::AtomicBool::new(false),
        });
        self.jobs.lock().unwrap_or_else(PoisonError::into_inner).insert(key.clone(), Arc::clone(&entry));
        let this = Arc::clone(self);
        tokio::spawn(async move {
            this.drive(run, &entry).await;
            if !entry.events.lock().unwrap_or_else(PoisonError::into_inner).ended {
                // Stopped (DELETE or shutdown) before the engine finished.
                entry.push(WireEvent::Failed { message: "the job was stopped on the agent".into() });
            }
            entry.finished.store(true, std::sync::atomic::Ordering::SeqCst);
            entry.end();
            entry.done.notify_waiters();
            this.remember_ended(key);
        });
        Ok(())
    }

    fn remember_ended(&self, key: String) {
        let mut order = self.ended_order.lock().unwrap_or_else(PoisonError::into_inner);
        order.push_back(key);
        while order.len() > MAX_ENDED_JOBS {
            if let Some(old) = order.pop_front() {
                let mut jobs = self.jobs.lock().unwrap_or_else(PoisonError::into_inner);
                if jobs.get(&old).is_some_and(|e| e.finished.load(std::sync::atomic::Ordering::SeqCst)) {
                    jobs.remove(&old);
                }
            }
        }
    }

    /// Follows a run to its end (or cancellation), then stops it. The run stores its own files
    /// and reports them as `FileStored`.
    async fn drive(&self, mut run: Box<dyn EngineRun>, entry: &Entry) {
        loop {
            let event = tokio::select! {
                () = entry.cancel.cancelled() => break,
                event = run.next_event() => event,
            };
            let Some(event) = event else { break };
            let Some(wire) = WireEvent::from_engine(&event) else { continue };
            let terminal = wire.is_terminal();
            entry.push(wire);
            if terminal {
                break;
            }
        }
        if let Err(e) = run.stop().await {
            tracing::warn!(error = %e, "engine run did not stop cleanly");
        }
    }

    /// Events of job `id` after `after`, waiting up to `wait` for one when there are none yet;
    /// `None` for an unknown job.
    pub async fn events(&self, id: &str, after: u64, wait: Duration) -> Option<EventsPage> {
        let entry = Arc::clone(self.jobs.lock().unwrap_or_else(PoisonError::into_inner).get(id)?);
        let deadline = tokio::time::Instant::now() + wait;
        loop {
            let changed = entry.changed.notified();
            tokio::pin!(changed);
            changed.as_mut().enable();
            let page = entry.page(after);
            if !page.events.is_empty() || page.ended {
                return Some(page);
            }
            if tokio::time::timeout_at(deadline, changed).await.is_err() {
                return Some(entry.page(after));
            }
        }
    }

    /// Stops job `id` and deletes its local data (the engine run's); `false` for an unknown job.
    pub async fn stop(&self, id: &str) -> bool {
        let Some(entry) = self.jobs.lock().unwrap_or_else(PoisonError::into_inner).remove(id) else { return false };
        let done = entry.done.notified();
        tokio::pin!(done);
        done.as_mut().enable();
        entry.cancel.cancel();
        if !entry.finished.load(std::sync::atomic::Ordering::SeqCst) {
            let _ = tokio::time::timeout(Duration::from_secs(10), done).await;
        }
        true
    }
}
