//! In-process fan-out of job updates to live listeners (the SSE endpoint). Durable history lives
//! in `job_events`; this bus only says "something new happened" and carries progress snapshots,
//! which are too frequent to store.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};

use tokio::sync::broadcast;

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

/// Per-job broadcast channels, created on first subscription and dropped with the last one.
#[derive(Debug, Clone, Default)]
pub struct EventBus {
    channels: Arc<Mutex<HashMap<JobId, broadcast::Sender<JobNotice>>>>,
}

impl EventBus {
    /// Subscribes to a job's notices.
    pub fn subscribe(&self, job: JobId) -> broadcast::Receiver<JobNotice> {
        let mut channels = self.channels.lock().unwrap_or_else(PoisonError::into_inner);
        // Channels whose listeners all left are dropped here as well as on publish, so jobs
        // that never change again do not keep theirs.
        channels.retain(|_, sender| sender.receiver_count() > 0);
        channels.entry(job).or_insert_with(|| broadcast::channel(64).0).subscribe()
    }

    /// Sends a notice to the job's subscribers, if any.
    pub fn publish(&self, job: JobId, notice: JobNotice) {
        let mut channels = self.channels.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(sender) = channels.get(&job) {
            if sender.receiver_count() == 0 {
                channels.remove(&job);
            } else {
                let _ = sender.send(notice);
            }
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

    #[test]
    fn channels_without_listeners_are_dropped() {
        let bus = EventBus::default();
        let job = JobId::new();
        drop(bus.subscribe(job));
        bus.publish(job, JobNotice::Changed);
        assert!(bus.channels.lock().unwrap().is_empty());
    }
}
