//! [`InMemoryJobQueue`].

use std::time::Duration;

use async_trait::async_trait;
use chrono::{DateTime, Utc};

use super::jobs::new_message;
use super::{Message, State, handle, millis, page};
use crate::domain::queue::DeliveryError;
use crate::domain::{JobId, Lease, NewQueueMessage, Page, PageRequest, QueueMessage, QueueMessageId, QueueState};
use crate::error::QueueError;
use crate::ports::{DeadLetterFilter, JobQueue, QueueStats};

handle!(
    /// A [`JobQueue`] over an [`InMemoryDb`](crate::testing::InMemoryDb), holding the messages
    /// [`InMemoryJobRepository`](crate::testing::InMemoryJobRepository) commits with job changes.
    /// Leases are taken under the database's lock, so concurrent leasers never share a message.
    InMemoryJobQueue
);

/// The error recorded when a lease runs out on the last attempt.
const LEASE_EXPIRED: &str = "lease expired";

/// A dead message made deliverable again at `now`, keeping its error history.
pub(super) fn revive(message: &mut QueueMessage, now: DateTime<Utc>) {
    message.state = QueueState::Ready;
    message.attempts = 0;
    message.visible_at = millis(now);
    message.dead_at = None;
    message.lease_owner = None;
}

/// `now + visibility`, in queue milliseconds.
fn lease_end(now: DateTime<Utc>, visibility: Duration) -> DateTime<Utc> {
    let ms = now.timestamp_millis().saturating_add(i64::try_from(visibility.as_millis()).unwrap_or(i64::MAX));
    DateTime::from_timestamp_millis(ms).unwrap_or(DateTime::<Utc>::MAX_UTC)
}

fn record_failure(m: &mut Message, error: &str, now: DateTime<Utc>) {
    let attempt = m.message.attempts;
    m.message.errors.push(DeliveryError { attempt, at: millis(now), error: error.to_owned() });
    m.message.last_error = Some(error.to_owned());
    m.message.lease_owner = None;
    m.token = None;
}

fn dead_letter(m: &mut Message, error: &str, now: DateTime<Utc>) {
    record_failure(m, error, now);
    m.message.state = QueueState::Dead;
    m.message.dead_at = Some(millis(now));
}

impl State {
    /// The message `lease` still holds.
    fn leased(&mut self, lease: &Lease) -> Result<&mut Message, QueueError> {
        self.messages
            .iter_mut()
            .find(|m| {
                m.message.id == lease.message.id
                    && m.message.state == QueueState::Ready
                    && m.token.as_deref() == Some(lease.token.as_str())
            })
            .ok_or(QueueError::LeaseLost)
    }
}

#[async_trait]
impl JobQueue for InMemoryJobQueue {
    async fn enqueue(&self, message: &NewQueueMessage) -> Result<(), QueueError> {
        let mut state = self.state();
        if state.messages.iter().any(|m| m.message.id == message.id) {
            return Err(QueueError::Backend(format!("queue message {} already exists", message.id).into()));
        }
        state.messages.push(new_message(message));
        Ok(())
    }

    async fn lease(
        &self,
        queue: &str,
        owner: &str,
        visibility: Duration,
        now: DateTime<Utc>,
    ) -> Result<Option<Lease>, QueueError> {
        let now = millis(now);
        let mut state = self.state();
        let in_queue = |m: &Message| m.message.queue == queue && m.message.state == QueueState::Ready;
        // A lease that ran out on the last attempt dead-letters its message.
        for m in state.messages.iter_mut().filter(|m| in_queue(m)) {
            if m.token.is_some() && m.message.visible_at <= now && m.message.attempts >= m.message.max_attempts {
                tracing::warn!(message_id = %m.message.id, queue, "lease expired on the last attempt; dead-lettered");
                dead_letter(m, LEASE_EXPIRED, now);
            }
        }
        let next = state
            .messages
            .iter_mut()
            .filter(|m| in_queue(m) && m.message.visible_at <= now)
            .min_by_key(|m| (m.message.visible_at, m.message.created_at, m.message.id));
        let Some(m) = next else { return Ok(None) };
        let token = uuid::Uuid::new_v4().to_string();
        m.message.attempts += 1;
        m.message.lease_owner = Some(owner.to_owned());
        m.message.visible_at = lease_end(now, visibility);
        m.token = Some(token.clone());
        Ok(Some(Lease { message: m.message.clone(), token }))
    }

    async fn extend(&self, lease: &Lease, visibility: Duration, now: DateTime<Utc>) -> Result<(), QueueError> {
        let mut state = self.state();
        state.leased(lease)?.message.visible_at = lease_end(millis(now), visibility);
        Ok(())
    }

    async fn ack(&self, lease: &Lease) -> Result<(), QueueError> {
        let mut state = self.state();
        let index = state
            .messages
            .iter()
            .position(|m| m.message.id == lease.message.id && m.token.as_deref() == Some(lease.token.as_str()))
            .ok_or(QueueError::LeaseLost)?;
        state.messages.remove(index);
        Ok(())
    }

    async fn retry(
        &self,
        lease: &Lease,
        error: &str,
        now: DateTime<Utc>,
        visible_at: DateTime<Utc>,
    ) -> Result<(), QueueError> {
        let mut state = self.state();
        let m = state.leased(lease)?;
        record_failure(m, error, now);
        m.message.visible_at = millis(visible_at);
        Ok(())
    }

    async fn postpone(&self, lease: &Lease, visible_at: DateTime<Utc>) -> Result<(), QueueError> {
        let mut state = self.state();
        let m = state.leased(lease)?;
        m.message.attempts = m.message.attempts.saturating_sub(1);
        m.message.lease_owner = None;
        m.message.visible_at = millis(visible_at);
        m.token = None;
        Ok(())
    }

    async fn dead_letter(&self, lease: &Lease, error: &str, now: DateTime<Utc>) -> Result<(), QueueError> {
        let mut state = self.state();
        dead_letter(state.leased(lease)?, error, now);
        Ok(())
    }

    async fn get(&self, id: QueueMessageId) -> Result<QueueMessage, QueueError> {
        let state = self.state();
        state.messages.iter().find(|m| m.message.id == id).map(|m| m.message.clone()).ok_or(QueueError::NotFound)
    }

    async fn find_for_job(&self, job: JobId) -> Result<Option<QueueMessage>, QueueError> {
        let state = self.state();
        let newest = state
            .messages
            .iter()
            .filter(|m| m.message.job_id == Some(job))
            .max_by_key(|m| (m.message.created_at, m.message.id));
        Ok(newest.map(|m| m.message.clone()))
    }

    async fn list_dead(&self, queue: &str, request: PageRequest) -> Result<Page<QueueMessage>, QueueError> {
        let state = self.state();
        let mut dead: Vec<QueueMessage> = state
            .messages
            .iter()
            .filter(|m| m.message.queue == queue && m.message.state == QueueState::Dead)
            .map(|m| m.message.clone())
            .collect();
        dead.sort_by_key(|m| std::cmp::Reverse((m.dead_at, m.created_at, m.id)));
        Ok(page(dead, request))
    }

    async fn list_dead_matching(
        &self,
        queue: &str,
        filter: &DeadLetterFilter,
        request: PageRequest,
    ) -> Result<Page<QueueMessage>, QueueError> {
        let state = self.state();
        let needle = filter.error_contains.as_deref().map(str::to_ascii_lowercase);
        let owner =
            |m: &QueueMessage| m.job_id.and_then(|id| state.jobs.iter().find(|j| j.id == id)).map(|j| j.user_id);
        let mut dead: Vec<QueueMessage> = state
            .messages
            .iter()
            .map(|m| &m.message)
            .filter(|m| m.queue == queue && m.state == QueueState::Dead)
            .filter(|m| {
                needle
                    .as_deref()
                    .is_none_or(|n| m.last_error.as_deref().is_some_and(|e| e.to_ascii_lowercase().contains(n)))
            })
            .filter(|m| filter.user_id.is_none_or(|u| owner(m) == Some(u)))
            .filter(|m| filter.dead_before.is_none_or(|t| m.dead_at.is_some_and(|d| d <= millis(t))))
            .filter(|m| filter.dead_after.is_none_or(|t| m.dead_at.is_some_and(|d| d >= millis(t))))
            .cloned()
            .collect();
        dead.sort_by_key(|m| std::cmp::Reverse((m.dead_at, m.created_at, m.id)));
        Ok(page(dead, request))
    }

    async fn replay(&self, id: QueueMessageId, now: DateTime<Utc>) -> Result<QueueMessage, QueueError> {
        let mut state = self.state();
        let m = state
            .messages
            .iter_mut()
            .find(|m| m.message.id == id && m.message.state == QueueState::Dead)
            .ok_or(QueueError::NotFound)?;
        revive(&mut m.message, now);
        m.token = None;
        Ok(m.message.clone())
    }

    async fn stats(&self, queue: &str, now: DateTime<Utc>) -> Result<QueueStats, QueueError> {
        let now = millis(now);
        let state = self.state();
        let mut stats = QueueStats::default();
        for m in state.messages.iter().filter(|m| m.message.queue == queue) {
            match m.message.state {
                QueueState::Dead => stats.dead += 1,
                QueueState::Ready if m.message.visible_at <= now => stats.ready += 1,
                QueueState::Ready => stats.delayed += 1,
            }
        }
        Ok(stats)
    }
}
