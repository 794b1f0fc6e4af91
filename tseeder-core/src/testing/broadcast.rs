//! [`InMemoryBroadcast`]: a [`Broadcast`] within one process, for tests that run several
//! "hosts" (several [`Tseeder`](crate::Tseeder) instances) side by side.

use async_trait::async_trait;
use futures::StreamExt as _;
use tokio::sync::broadcast::{self, error::RecvError};

use crate::ports::{Broadcast, BroadcastError, BroadcastStream, Broadcasted, MAX_BROADCAST_BYTES};

/// How many messages a slow subscription may fall behind before it gets a
/// [`Broadcasted::Gap`] instead of the oldest ones.
const BUFFER: usize = 1024;

/// One channel; clones share it, as the processes of an installation share a database.
#[derive(Debug, Clone)]
pub struct InMemoryBroadcast {
    sender: broadcast::Sender<String>,
}

impl Default for InMemoryBroadcast {
    fn default() -> Self {
        Self { sender: broadcast::channel(BUFFER).0 }
    }
}

#[async_trait]
impl Broadcast for InMemoryBroadcast {
    async fn publish(&self, message: &str) -> Result<(), BroadcastError> {
        if message.len() > MAX_BROADCAST_BYTES {
            return Err(BroadcastError::TooLarge { len: message.len(), max: MAX_BROADCAST_BYTES });
        }
        // No subscription anywhere is not an error: the message is simply not delivered.
        let _ = self.sender.send(message.to_owned());
        Ok(())
    }

    async fn subscribe(&self) -> Result<BroadcastStream, BroadcastError> {
        let stream = futures::stream::unfold(self.sender.subscribe(), |mut receiver| async move {
            let item = match receiver.recv().await {
                Ok(message) => Broadcasted::Message(message),
                Err(RecvError::Lagged(_)) => Broadcasted::Gap,
                Err(RecvError::Closed) => return None,
            };
            Some((item, receiver))
        });
        Ok(stream.boxed())
    }
}
