//! Messages of the durable queue.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::{JobId, QueueMessageId};

/// Whether a message can still be delivered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum QueueState {
    /// Deliverable once `visible_at` has passed (a leased message is `Ready` with `visible_at`
    /// at the end of its lease).
    Ready,
    /// Dead-lettered after its last attempt; only a replay brings it back.
    Dead,
}

impl QueueState {
    /// Every state.
    pub const ALL: [QueueState; 2] = [Self::Ready, Self::Dead];

    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Ready => "ready",
            Self::Dead => "dead",
        }
    }
}

/// A message to enqueue.
#[derive(Debug, Clone, PartialEq)]
pub struct NewQueueMessage {
    /// The id.
    pub id: QueueMessageId,
    /// Queue name, e.g. `jobs`.
    pub queue: String,
    /// The job the message is about, if any.
    pub job_id: Option<JobId>,
    /// Free-form JSON payload.
    pub payload: serde_json::Value,
    /// Deliveries before the message is dead-lettered.
    pub max_attempts: u32,
    /// First delivery time.
    pub visible_at: DateTime<Utc>,
    /// Creation time.
    pub created_at: DateTime<Utc>,
}

/// One failed delivery, kept with the message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeliveryError {
    /// Which attempt (from 1).
    pub attempt: u32,
    /// When it failed.
    pub at: DateTime<Utc>,
    /// Why.
    pub error: String,
}

/// A stored message.
#[derive(Debug, Clone, PartialEq)]
pub struct QueueMessage {
    /// The id.
    pub id: QueueMessageId,
    /// Queue name.
    pub queue: String,
    /// The job, if any.
    pub job_id: Option<JobId>,
    /// Payload.
    pub payload: serde_json::Value,
    /// Delivery state.
    pub state: QueueState,
    /// Deliveries so far (a lease counts as one).
    pub attempts: u32,
    /// Deliveries allowed.
    pub max_attempts: u32,
    /// Next possible delivery (or end of the current lease).
    pub visible_at: DateTime<Utc>,
    /// Who holds the lease, if leased.
    pub lease_owner: Option<String>,
    /// The latest error.
    pub last_error: Option<String>,
    /// Every failed delivery, oldest first.
    pub errors: Vec<DeliveryError>,
    /// Creation time.
    pub created_at: DateTime<Utc>,
    /// When it was dead-lettered.
    pub dead_at: Option<DateTime<Utc>>,
}

/// A leased message: proof that the holder may ack, retry or dead-letter it. A lease whose
/// visibility timeout passed may be taken by someone else; the old holder's token then stops
/// working.
#[derive(Debug, Clone, PartialEq)]
pub struct Lease {
    /// The message as leased (`attempts` includes this delivery).
    pub message: QueueMessage,
    /// The random lease token.
    pub token: String,
}
