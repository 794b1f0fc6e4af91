//! Short messages between the processes that share one database: the API hosts and dispatchers
//! of one installation tell each other that a job was queued, that a job changed, and how a
//! running job progresses, so a host wakes its dispatchers and feeds its live listeners without
//! waiting for its next poll.
//!
//! Nothing durable travels here. Every message announces something a reader can find in the
//! database (or a progress snapshot, which is replaced a second later), so a lost message costs
//! latency, never data: dispatchers still poll and live listeners still re-read.

use std::fmt::Debug;

use async_trait::async_trait;
use futures::stream::BoxStream;

/// The most bytes one message may hold: PostgreSQL's `NOTIFY` takes payloads shorter than
/// 8,000 bytes, and this leaves room for its framing.
pub const MAX_BROADCAST_BYTES: usize = 7_900;

/// What a subscription yields.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Broadcasted {
    /// A message a process published.
    Message(String),
    /// Messages may have been lost here (the connection dropped and was re-established): the
    /// subscriber re-reads whatever they would have announced.
    Gap,
}

/// A subscription: messages in the order each publisher published them.
pub type BroadcastStream = BoxStream<'static, Broadcasted>;

/// Why a broadcast call failed.
#[derive(Debug, thiserror::Error)]
pub enum BroadcastError {
    /// The message is longer than [`MAX_BROADCAST_BYTES`]; nothing was sent.
    #[error("a broadcast message holds at most {max} bytes, this one {len}")]
    TooLarge {
        /// The message's length in bytes.
        len: usize,
        /// [`MAX_BROADCAST_BYTES`].
        max: usize,
    },
    /// The transport (the database connection) failed.
    #[error("broadcast unavailable: {0}")]
    Unavailable(String),
}

/// A publish/subscribe channel shared by every process of one installation.
///
/// # Contract
/// - `subscribe()` returns once the subscription is in place: every message published after it
///   returns, by any process including this one, is delivered to it as
///   [`Broadcasted::Message`], unless a [`Broadcasted::Gap`] is delivered in its place.
///   Messages published before are not delivered.
/// - Messages from one publisher arrive in the order it published them.
/// - `publish(m)` sends `m` to every subscription of every process and returns once it is sent
///   (not once it is received). A message longer than [`MAX_BROADCAST_BYTES`] is refused with
///   [`BroadcastError::TooLarge`] and nothing is sent; any text up to that length arrives intact.
/// - Nothing is stored: a subscription that is gone (dropped, or its process stopped) misses
///   what is published meanwhile. A subscription whose connection drops and comes back yields
///   one `Gap` for the messages it may have missed, then carries on.
/// - A stream ends only when the channel is closed for good, never for a transient failure.
/// - Dropping one subscription does not affect the others.
#[async_trait]
pub trait Broadcast: Send + Sync + Debug {
    /// Sends `message` to every subscription.
    async fn publish(&self, message: &str) -> Result<(), BroadcastError>;
    /// Subscribes to the messages published from now on.
    async fn subscribe(&self) -> Result<BroadcastStream, BroadcastError>;
}
