//! Fan-out of job updates to live listeners (the SSE endpoint), and the wake-up of idle
//! dispatchers when a job is queued. Durable history lives in `job_events` and the queue in its
//! table; this bus only says "something new happened" and carries progress snapshots, which are
//! too frequent to store.
//!
//! Within a process the bus delivers at once. Between the processes of one installation (API
//! hosts and dispatchers on one PostgreSQL database), the [relay](super::relay) forwards what
//! this process publishes and delivers what the others publish, so a listener on one host
//! follows a job running on another, and a job queued on one host wakes the dispatchers of all.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use tokio::sync::{broadcast, mpsc, watch};

use super::relay::{Outbox, Outgoing, Relayed};
use crate::domain::JobId;
use crate::ports::EngineProgress;

/// A notice about one job.
#[derive(Debug, Clone, PartialEq)]
pub enum JobNotice {
    /// The job or its history changed: read history after your last seen `seq`.
    Changed,
    /// A progress snapshot.
    Progress(EngineProgress),
}

/// Per-job broadcast channels, created on first subscription and dropped with the last one, a
/// counter of jobs queued, and the way out to other processes once the
/// [relay](super::relay::relay) runs.
#[derive(Debug, Clone)]
pub struct EventBus {
    channels: Arc<Mutex<HashMap<JobId, broadcast::Sender<JobNotice>>>>,
    enqueued: Arc<watch::Sender<u64>>,
    /// The last progress snapshot of each job running in (or reported or relayed to) this
    /// process, and when.
    latest: Arc<Mutex<HashMap<JobId, (EngineProgress, Instant)>>>,
    /// Notices for other processes, drained by the relay's sending task.
    outbox: Arc<Outbox>,
}

/// How long a progress snapshot describes its job: engines report every second, so an older one
/// belongs to a job that stopped (or runs elsewhere).
const PROGRESS_FRESH: Duration = Duration::from_secs(10);

impl Default for EventBus {
    fn default() -> Self {
        Self {
            channels: Arc::default(),
            enqueued: Arc::new(watch::Sender::new(0)),
            latest: Arc::default(),
            outbox: Arc::default(),
        }
    }
}

impl EventBus {
    /// Says a job was put in the queue (after the write committed): dispatchers waiting for work
    /// lease it at once instead of at their next poll, those of this process and, through the
    /// relay, those of the others.
    pub fn job_enqueued(&self) {
        self.wake_dispatchers();
        self.forward(Relayed::Enqueued);
    }

    fn wake_dispatchers(&self) {
        self.enqueued.send_modify(|n| *n = n.wrapping_add(1));
    }

    /// Wakes when [`EventBus::job_enqueued`] is called after the last wake-up.
    pub fn watch_enqueued(&self) -> watch::Receiver<u64> {
        self.enqueued.subscribe()
    }

    /// Subscribes to a job's notices.
    pub fn subscribe(&self, job: JobId) -> broadcast::Receiver<JobNotice> {
        let mut channels = self.channels.lock().unwrap_or_else(PoisonError::into_inner);
        // Channels whose listeners all left are dropped here as well as on publish, so jobs
        // that never change again do not keep theirs.
        channels.retain(|_, sender| sender.receiver_count() > 0);
        channels.entry(job).or_insert_with(|| broadcast::channel(64).0).subscribe()
    }

    /// The job's last progress snapshot, when one arrived in this process in the last ten
    /// seconds (from its own engine, an agent's report, or another process through the relay):
    /// its speed, peers and time left. `None` for a job that is not downloading, or whose host
    /// this process does not hear from.
    pub fn progress(&self, job: JobId) -> Option<EngineProgress> {
        let latest = self.latest.lock().unwrap_or_else(PoisonError::into_inner);
        latest.get(&job).filter(|(_, at)| at.elapsed() < PROGRESS_FRESH).map(|(progress, _)| *progress)
    }

    /// Sends a notice to the job's subscribers, if any, in this process and (through the relay)
    /// in the others, and keeps the last progress snapshot.
    pub fn publish(&self, job: JobId, notice: JobNotice) {
        self.forward(match &notice {
            JobNotice::Changed => Relayed::Changed { job },
            JobNotice::Progress(progress) => Relayed::Progress { job, progress: *progress },
        });
        self.deliver(job, notice);
    }

    /// Sends a notice to this process's subscribers only.
    fn deliver(&self, job: JobId, notice: JobNotice) {
        if let JobNotice::Progress(progress) = &notice {
            let mut latest = self.latest.lock().unwrap_or_else(PoisonError::into_inner);
            latest.insert(job, (*progress, Instant::now()));
            // Stale snapshots go while the map is small enough to scan; bounded by the jobs
            // that reported in the last interval.
            if latest.len() > 64 {
                latest.retain(|_, (_, at)| at.elapsed() < PROGRESS_FRESH);
            }
        }
        let mut channels = self.channels.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(sender) = channels.get(&job) {
            if sender.receiver_count() == 0 {
                channels.remove(&job);
            } else {
                let _ = sender.send(notice);
            }
        }
    }

    /// Hands a notice to the relay, when one runs. Never waits: with the outbox full the notice
    /// is dropped, which only delays its readers.
    fn forward(&self, notice: Relayed) {
        if let Some(outbox) = self.outbox.get()
            && let Err(mpsc::error::TrySendError::Full(notice)) = outbox.try_send(Outgoing::Notice(notice))
        {
            tracing::debug!(?notice, "the relay is behind; a notice is left to polling");
        }
    }

    /// The way out to the relay, set when it runs.
    pub(crate) fn outbox(&self) -> &Outbox {
        &self.outbox
    }

    /// After a gap in what the relay heard: wakes the dispatchers and every live listener here,
    /// which re-read what they may have missed.
    pub(crate) fn gap(&self) {
        self.wake_dispatchers();
        let jobs: Vec<JobId> = self.channels.lock().unwrap_or_else(PoisonError::into_inner).keys().copied().collect();
        for job in jobs {
            self.deliver(job, JobNotice::Changed);
        }
    }

    /// Delivers a notice another process sent.
    pub(crate) fn receive(&self, notice: Relayed) {
        match notice {
            Relayed::Enqueued => self.wake_dispatchers(),
            Relayed::Changed { job } => self.deliver(job, JobNotice::Changed),
            Relayed::Progress { job, progress } => self.deliver(job, JobNotice::Progress(progress)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn subscribers_get_notices_for_their_job_only() {
        let bus = EventBus::default();
        let (a, b) = (JobId::new(), JobId::new());
        let mut rx = bus.subscribe(a);
        bus.publish(b, JobNotice::Changed);
        bus.publish(a, JobNotice::Changed);
        assert_eq!(rx.recv().await.unwrap(), JobNotice::Changed);
        assert!(rx.try_recv().is_err());
    }

    #[tokio::test]
    async fn a_queued_job_wakes_every_watcher_once() {
        let bus = EventBus::default();
        let (mut a, mut b) = (bus.watch_enqueued(), bus.clone().watch_enqueued());
        assert!(!a.has_changed().unwrap(), "nothing queued yet");
        bus.job_enqueued();
        bus.job_enqueued();
        a.changed().await.unwrap();
        b.changed().await.unwrap();
        assert!(!a.has_changed().unwrap() && !b.has_changed().unwrap(), "both seen in one wake-up");
    }

    #[test]
    fn channels_without_listeners_are_dropped() {
        let bus = EventBus::default();
        let job = JobId::new();
        drop(bus.subscribe(job));
        bus.publish(job, JobNotice::Changed);
        assert!(bus.channels.lock().unwrap().is_empty());
    }
}
