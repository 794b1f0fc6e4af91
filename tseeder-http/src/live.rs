//! Following one job live, for the Server-Sent Events of `GET /jobs/{id}/events`.
//!
//! The durable history (`job_events`) is the source of truth; the core's in-process
//! [`EventBus`](tseeder_core::services::EventBus) only says "something changed" or carries a
//! progress snapshot. So a follower:
//!
//! 1. subscribes to the bus **before** reading history, so nothing that happens while history is
//!    read is missed;
//! 2. replays history after the client's last seen `seq`, a page at a time (so a long history
//!    never sits in memory whole);
//! 3. on every `Changed` notice (or when it fell behind the bus and lost notices) reads history
//!    again after the last `seq` it sent, so each entry goes out once and in order however the
//!    notices and reads interleave;
//! 4. forwards progress snapshots as they come;
//! 5. stops with an `end` message once the job is terminal.
//!
//! A job running on another host reaches this host's bus through the relay between processes;
//! as its notices may be lost on the way, a follower also re-reads history when it has heard
//! nothing for a few seconds.
//!
//! The job is read *before* each history read: when it is terminal, every entry up to its last
//! transition is already in the history that follows, so `end` never overtakes an entry.

use std::collections::VecDeque;

use futures::Stream;
use tokio::sync::broadcast::{self, error::RecvError};
use tseeder_core::Tseeder;
use tseeder_core::auth::Principal;
use tseeder_core::domain::JobId;
use tseeder_core::error::ServiceError;
use tseeder_core::services::events::JobNotice;

use crate::dto::event::{JobStreamEnd, JobStreamEntry, JobStreamMessage};
use crate::dto::job::JobView;

/// History entries read per query; also the most a follower holds in memory.
const PAGE: u64 = 1000;

/// How long a follower waits for a notice before re-reading the history anyway. Notices from
/// other hosts travel best effort (see [`EventBus`](tseeder_core::services::EventBus)), so this
/// bounds how late a lost one makes an entry.
const RECHECK: std::time::Duration = std::time::Duration::from_secs(5);

/// The state of one live stream.
#[derive(Debug)]
pub(crate) struct Follower {
    core: Tseeder,
    principal: Principal,
    job: JobId,
    last_seq: u64,
    notices: broadcast::Receiver<JobNotice>,
    queue: VecDeque<JobStreamMessage>,
    /// The last history read filled a page: read on before waiting for notices.
    more: bool,
    finished: bool,
}

impl Follower {
    /// Subscribes to the job's notices and replays its history after `after`. Fails, before any
    /// byte of the stream is sent, when the caller may not see the job.
    pub(crate) async fn start(
        core: Tseeder,
        principal: Principal,
        job: JobId,
        after: u64,
    ) -> Result<Self, ServiceError> {
        // Checked first so that nobody can make the bus keep channels for jobs they cannot see.
        let current = core.jobs.get(&principal, job).await?;
        // A finished job gets its history and `end` only; the bus keeps a channel per job
        // subscribed to until that job's next notice, which a finished job may never have.
        let notices = if current.status.is_terminal() { broadcast::channel(1).1 } else { core.events.subscribe(job) };
        let mut follower = Self {
            core,
            principal,
            job,
            last_seq: after,
            notices,
            queue: VecDeque::new(),
            more: false,
            finished: false,
        };
        follower.catch_up().await?;
        Ok(follower)
    }

    /// The messages, until the job ends, the client goes away or reading fails (the client then
    /// reconnects with `Last-Event-ID` and resumes).
    pub(crate) fn into_stream(self) -> impl Stream<Item = JobStreamMessage> + Send + 'static {
        futures::stream::unfold(self, |mut follower| async move {
            let message = follower.next().await?;
            Some((message, follower))
        })
    }

    async fn next(&mut self) -> Option<JobStreamMessage> {
        loop {
            if let Some(message) = self.queue.pop_front() {
                return Some(message);
            }
            if self.finished {
                return None;
            }
            if self.more {
                if let Err(e) = self.catch_up().await {
                    self.log_failure(&e);
                    return None;
                }
                continue;
            }
            match tokio::time::timeout(RECHECK, self.notices.recv()).await {
                Ok(Ok(JobNotice::Progress(progress))) => return Some(JobStreamMessage::Progress(progress.into())),
                // Lagging lost some notices: the history has everything that mattered in them.
                // And a notice from another host may have been lost on the way: re-read now and
                // then.
                Ok(Ok(JobNotice::Changed) | Err(RecvError::Lagged(_))) | Err(_) => {
                    if let Err(e) = self.catch_up().await {
                        self.log_failure(&e);
                        return None;
                    }
                }
                Ok(Err(RecvError::Closed)) => return None,
            }
        }
    }

    /// Queues the next page of history after the last entry sent; once history is exhausted,
    /// `end` if the job is terminal.
    async fn catch_up(&mut self) -> Result<(), ServiceError> {
        let job = self.core.jobs.get(&self.principal, self.job).await?;
        let terminal = job.status.is_terminal().then(|| job.status.into());
        let view = JobView::from(job);
        let entries = self.core.jobs.events(&self.principal, self.job, self.last_seq, PAGE).await?;
        let full_page = entries.len() as u64 >= PAGE;
        let before = self.last_seq;
        for entry in entries {
            if entry.seq > self.last_seq {
                self.last_seq = entry.seq;
                self.queue.push_back(JobStreamMessage::Entry(JobStreamEntry::new(entry, view.clone())));
            }
        }
        self.more = full_page && self.last_seq > before;
        if !self.more
            && let Some(status) = terminal
        {
            self.queue.push_back(JobStreamMessage::End(JobStreamEnd { status }));
            self.finished = true;
        }
        Ok(())
    }

    fn log_failure(&self, e: &ServiceError) {
        match e {
            ServiceError::NotFound { .. } => tracing::debug!(job_id = %self.job, "the followed job is gone"),
            e => tracing::warn!(error = %e, job_id = %self.job, "reading a followed job's history failed"),
        }
    }
}
