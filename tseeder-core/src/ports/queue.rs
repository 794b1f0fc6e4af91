//! The durable queue.

use std::fmt::Debug;
use std::time::Duration;

use async_trait::async_trait;
use chrono::{DateTime, Utc};

use crate::domain::{JobId, Lease, NewQueueMessage, Page, PageRequest, QueueMessage, QueueMessageId, UserId};
use crate::error::QueueError;

/// Which dead letters to list (every condition optional, combined with AND).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DeadLetterFilter {
    /// Only messages whose latest error contains this text, ignoring ASCII case (an error code
    /// such as `quota_storage`, or words such as `lease expired`).
    pub error_contains: Option<String>,
    /// Only messages about jobs of this user.
    pub user_id: Option<UserId>,
    /// Only messages dead-lettered at or before this time (older ones).
    pub dead_before: Option<DateTime<Utc>>,
    /// Only messages dead-lettered at or after this time (newer ones).
    pub dead_after: Option<DateTime<Utc>>,
}

/// Message counts of one queue.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct QueueStats {
    /// Deliverable now.
    pub ready: u64,
    /// Leased and not yet expired, or waiting for a retry.
    pub delayed: u64,
    /// Dead-lettered.
    pub dead: u64,
}

/// A durable, at-least-once message queue with leases (visibility timeouts).
///
/// # Contract
/// - `lease` hands out the oldest message of `queue` that is `ready` and visible at `now`,
///   increments its `attempts`, makes it invisible until `now + visibility` and returns a fresh
///   lease token. Concurrent `lease` calls never return the same message while a lease is live.
/// - A message whose lease expired is delivered again (nothing is lost when a holder crashes).
///   If its attempts are already at `max_attempts`, it is never delivered again: `lease`
///   dead-letters it instead, recording the error "lease expired" (an adapter may leave that to
///   a `lease` call up to a second later, by `now`, so that leasing does not look for expired
///   leases every time).
/// - `ack`, `extend`, `retry`, `postpone` and `dead_letter` fail with [`QueueError::LeaseLost`] when the
///   token no longer matches (the lease expired and someone else took the message, or it was
///   acked).
/// - `ack` deletes the message. `retry` records the error and makes the message visible at
///   `visible_at`. `dead_letter` records the error and moves it to the dead state. `postpone`
///   makes it visible at `visible_at` with the attempt uncounted and nothing recorded.
/// - `replay` moves a dead message back to ready with `attempts` 0, keeping its error history;
///   `NotFound` if it is not dead.
/// - `find_for_job` returns the newest message about the job, in any state.
/// - `list_dead_matching` is `list_dead` narrowed by a [`DeadLetterFilter`]: every given
///   condition holds (AND); `total` counts every match.
///
/// # Cancel safety
/// Every call is a single statement or transaction: dropping the future leaves the queue in
/// the state before or after the call.
#[async_trait]
pub trait JobQueue: Send + Sync + Debug {
    /// Adds a message.
    async fn enqueue(&self, message: &NewQueueMessage) -> Result<(), QueueError>;
    /// Leases the next deliverable message, if any.
    async fn lease(
        &self,
        queue: &str,
        owner: &str,
        visibility: Duration,
        now: DateTime<Utc>,
    ) -> Result<Option<Lease>, QueueError>;
    /// Pushes a live lease's end to `now + visibility`.
    async fn extend(&self, lease: &Lease, visibility: Duration, now: DateTime<Utc>) -> Result<(), QueueError>;
    /// Completes a message: it is removed.
    async fn ack(&self, lease: &Lease) -> Result<(), QueueError>;
    /// Records a failed attempt and schedules the next one.
    async fn retry(
        &self,
        lease: &Lease,
        error: &str,
        now: DateTime<Utc>,
        visible_at: DateTime<Utc>,
    ) -> Result<(), QueueError>;
    /// Gives a delivery back without counting it (the work could not start, through no fault
    /// of the message: no capacity anywhere): `attempts` goes back down by one, no error is
    /// recorded, the lease ends and the message is visible again at `visible_at`.
    async fn postpone(&self, lease: &Lease, visible_at: DateTime<Utc>) -> Result<(), QueueError>;
    /// Records a failed attempt and dead-letters the message.
    async fn dead_letter(&self, lease: &Lease, error: &str, now: DateTime<Utc>) -> Result<(), QueueError>;
    /// Loads a message.
    async fn get(&self, id: QueueMessageId) -> Result<QueueMessage, QueueError>;
    /// The newest message about a job, in any state.
    async fn find_for_job(&self, job: JobId) -> Result<Option<QueueMessage>, QueueError>;
    /// Dead-lettered messages of a queue, newest first.
    async fn list_dead(&self, queue: &str, page: PageRequest) -> Result<Page<QueueMessage>, QueueError>;
    /// Dead-lettered messages of a queue that match `filter`, newest first.
    async fn list_dead_matching(
        &self,
        queue: &str,
        filter: &DeadLetterFilter,
        page: PageRequest,
    ) -> Result<Page<QueueMessage>, QueueError>;
    /// Brings a dead message back.
    async fn replay(&self, id: QueueMessageId, now: DateTime<Utc>) -> Result<QueueMessage, QueueError>;
    /// Counts by state.
    async fn stats(&self, queue: &str, now: DateTime<Utc>) -> Result<QueueStats, QueueError>;
}
