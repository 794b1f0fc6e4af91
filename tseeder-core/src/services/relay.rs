//! The one connection of a process to the other processes of its installation (API hosts and
//! dispatchers on one PostgreSQL database), over the [`Broadcast`] port: [`relay`] carries what
//! this process's [`EventBus`] publishes (a job queued, a job changed, a progress snapshot) and
//! what its [`ReadCache`] has written (so the others drop their cached reads), and delivers what
//! the others send. One subscription and one sending task serve both.
//!
//! Everything it carries can be re-read from the database, so it is best effort: a notice lost on
//! the way (a full outbox, a dropped connection) only delays its reader until the next poll or
//! re-read, and a cached read until the cache's max age. A dropped connection
//! ([`Broadcasted::Gap`]) wakes every dispatcher and listener of the process to re-read, and
//! makes every cached read stale.

use std::sync::Arc;

use futures::StreamExt as _;
use tokio::sync::mpsc;
use tokio::task::JoinHandle;
use tokio_util::sync::CancellationToken;

use super::EventBus;
use crate::domain::JobId;
use crate::ports::{Broadcast, BroadcastError, BroadcastStream, Broadcasted, EngineProgress, MAX_BROADCAST_BYTES};
use crate::read_cache::{Kind, ReadCache};

/// The broadcast channel's name for tseeder's messages (a PostgreSQL `NOTIFY` channel).
pub const EVENTS_CHANNEL: &str = "tseeder_events";

/// Items waiting for the sending task; beyond this, new notices are dropped (and their readers
/// find the news by polling).
const OUTBOX: usize = 4096;

/// A job notice as it travels between processes.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub(crate) enum Relayed {
    /// A job was queued.
    Enqueued,
    /// A job or its history changed.
    Changed { job: JobId },
    /// A progress snapshot.
    Progress { job: JobId, progress: EngineProgress },
}

/// What the event bus and the read cache hand to the sending task.
#[derive(Debug)]
pub(crate) enum Outgoing {
    /// A job notice.
    Notice(Relayed),
    /// The read cache wrote: the sending task collects what (the cache keeps it until sent, so
    /// a wake-up dropped on a full outbox loses nothing).
    CacheWritten,
}

/// The way into the sending task, set once [`relay`] runs.
pub(crate) type Outbox = std::sync::OnceLock<mpsc::Sender<Outgoing>>;

/// One broadcast message: what one process sent together. Both lists are always written, and
/// either may be missing when read.
#[derive(Debug, serde::Deserialize)]
struct Message {
    from: uuid::Uuid,
    #[serde(default)]
    notices: Vec<Relayed>,
    #[serde(default)]
    written: Vec<Kind>,
}

/// Connects `bus` and `cache` to the other processes over `channel`: what this process
/// publishes and writes from now on is sent to them, and what they send is delivered here.
/// Returns once this process is subscribed (so nothing sent after it returns is missed); the
/// returned task runs until `cancel` fires. A bus and a cache relay over one channel only:
/// later calls fail.
///
/// # Errors
/// When subscribing fails, or the bus or the cache already relays.
pub async fn relay(
    bus: &EventBus,
    cache: &ReadCache,
    channel: Arc<dyn Broadcast>,
    cancel: CancellationToken,
) -> Result<JoinHandle<()>, BroadcastError> {
    let (outbox, pending) = mpsc::channel(OUTBOX);
    let taken = || BroadcastError::Unavailable("this event bus or read cache already relays".into());
    if bus.outbox().get().is_some() || cache.outbox().get().is_some() {
        return Err(taken());
    }
    let incoming = channel.subscribe().await?;
    bus.outbox().set(outbox.clone()).map_err(|_| taken())?;
    cache.outbox().set(outbox).map_err(|_| taken())?;
    let relay = Relay { bus: bus.clone(), cache: cache.clone(), origin: uuid::Uuid::new_v4() };
    Ok(tokio::spawn(async move {
        tokio::select! {
            () = cancel.cancelled() => {}
            () = relay.send_loop(&*channel, pending) => {}
            () = relay.receive_loop(incoming) => {}
        }
    }))
}

/// The running relay of one process.
struct Relay {
    bus: EventBus,
    cache: ReadCache,
    /// This process's name on the channel, so it skips its own messages.
    origin: uuid::Uuid,
}

impl Relay {
    async fn send_loop(&self, channel: &dyn Broadcast, mut pending: mpsc::Receiver<Outgoing>) {
        let mut batch = Vec::new();
        while pending.recv_many(&mut batch, 256).await > 0 {
            let notices: Vec<Relayed> = batch
                .drain(..)
                .filter_map(|item| match item {
                    Outgoing::Notice(notice) => Some(notice),
                    Outgoing::CacheWritten => None,
                })
                .collect();
            let written = self.cache.take_unsent();
            for message in self.encode(&notices, &written) {
                if let Err(e) = channel.publish(&message).await {
                    tracing::warn!(error = %e, "cannot relay notices to other processes");
                }
            }
        }
    }

    /// `notices` and `written` as messages of at most [`MAX_BROADCAST_BYTES`], in order
    /// (`written` in the first). None when both are empty.
    fn encode(&self, notices: &[Relayed], written: &[Kind]) -> Vec<String> {
        let head = |written: &[Kind]| {
            let written = serde_json::to_string(written).unwrap_or_else(|_| "[]".into());
            format!("{{\"from\":\"{}\",\"written\":{written},\"notices\":[", self.origin)
        };
        let (first, rest) = (head(written), head(&[]));
        let mut messages = Vec::new();
        let mut message = first.clone();
        let mut empty = true;
        for notice in notices {
            let Ok(json) = serde_json::to_string(notice) else { continue };
            if !empty && message.len() + 1 + json.len() + 2 > MAX_BROADCAST_BYTES {
                message.push_str("]}");
                messages.push(std::mem::replace(&mut message, rest.clone()));
                empty = true;
            }
            if !empty {
                message.push(',');
            }
            message.push_str(&json);
            empty = false;
        }
        if !empty || (!written.is_empty() && messages.is_empty()) {
            message.push_str("]}");
            messages.push(message);
        }
        messages
    }

    async fn receive_loop(&self, mut incoming: BroadcastStream) {
        while let Some(item) = incoming.next().await {
            match item {
                Broadcasted::Message(text) => match serde_json::from_str::<Message>(&text) {
                    Ok(message) if message.from == self.origin => {}
                    Ok(message) => {
                        message.written.into_iter().for_each(|kind| self.cache.stale(kind));
                        message.notices.into_iter().for_each(|notice| self.bus.receive(notice));
                    }
                    Err(e) => tracing::debug!(error = %e, "ignoring a broadcast message that is not tseeder's"),
                },
                Broadcasted::Gap => {
                    self.cache.stale_all();
                    self.bus.gap();
                }
            }
        }
        tracing::warn!(
            "the relay's subscription ended: other processes' jobs are found by polling, and their writes show \
             after the read cache's max age"
        );
        std::future::pending::<()>().await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn relay() -> Relay {
        Relay { bus: EventBus::default(), cache: ReadCache::new(std::time::Duration::ZERO), origin: uuid::Uuid::nil() }
    }

    #[test]
    fn messages_stay_within_the_limit_and_carry_the_writes_once() {
        let relay = relay();
        let notices: Vec<Relayed> = (0..500).map(|_| Relayed::Changed { job: JobId::new() }).collect();
        let messages = relay.encode(&notices, &[Kind::Jobs]);
        assert!(messages.len() > 1);
        let mut seen = 0;
        for (i, text) in messages.iter().enumerate() {
            assert!(text.len() <= MAX_BROADCAST_BYTES, "{}", text.len());
            let message: Message = serde_json::from_str(text).unwrap();
            assert_eq!(message.written.len(), usize::from(i == 0));
            seen += message.notices.len();
        }
        assert_eq!(seen, 500);
        assert!(relay.encode(&[], &[]).is_empty(), "nothing to send, nothing sent");
        let only_written = relay.encode(&[], &[Kind::Auth]);
        assert_eq!(only_written.len(), 1);
        assert_eq!(serde_json::from_str::<Message>(&only_written[0]).unwrap().written, [Kind::Auth]);
    }
}
