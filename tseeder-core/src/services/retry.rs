//! The retry policy of the durable queue, kept in core so every queue adapter behaves the same.

use chrono::{DateTime, Utc};

use crate::config::RetryConfig;
use crate::domain::Lease;
use crate::error::QueueError;
use crate::ports::JobQueue;

/// What happened to a failed delivery.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FailOutcome {
    /// It will be delivered again at this time.
    Retry(DateTime<Utc>),
    /// It was the last attempt: the message is dead-lettered.
    DeadLettered,
}

/// Records a failed delivery: retries with exponential backoff while attempts remain, then
/// dead-letters the message.
pub async fn fail_delivery(
    queue: &dyn JobQueue,
    retry: &RetryConfig,
    lease: &Lease,
    error: &str,
    now: DateTime<Utc>,
) -> Result<FailOutcome, QueueError> {
    if lease.message.attempts >= lease.message.max_attempts {
        queue.dead_letter(lease, error, now).await?;
        return Ok(FailOutcome::DeadLettered);
    }
    let delay = chrono::Duration::from_std(retry.delay_after(lease.message.attempts))
        .unwrap_or_else(|_| chrono::Duration::seconds(600));
    let at = now + delay;
    queue.retry(lease, error, now, at).await?;
    Ok(FailOutcome::Retry(at))
}
