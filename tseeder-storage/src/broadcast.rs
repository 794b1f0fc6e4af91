//! The [`Broadcast`] port on PostgreSQL's `LISTEN`/`NOTIFY`: every process of an installation
//! listens on one channel of the shared database, and a message is one `NOTIFY`.
//!
//! PostgreSQL delivers a notification to every session listening on the channel when the
//! sending transaction commits (here at once: `pg_notify` runs on its own), in the order each
//! sender sent them, and keeps nothing for sessions that are not listening, which is the port's
//! contract. A subscription holds a connection of its own, outside the pool the queries share,
//! for as long as it lives; when that connection drops, it reconnects, listens again and yields
//! [`Broadcasted::Gap`](tseeder_core::ports::Broadcasted::Gap).

use std::sync::Arc;

use async_trait::async_trait;
use sea_orm::{ConnectionTrait, DatabaseConnection, DbBackend, Statement};
use tseeder_core::ports::{Broadcast, BroadcastError, BroadcastStream, MAX_BROADCAST_BYTES};

/// The [`Broadcast`] for `db`'s processes: [`PgBroadcast`] on PostgreSQL, on the core's events
/// channel; `None` on SQLite, whose database belongs to one process.
pub fn for_database(db: &DatabaseConnection) -> Option<Arc<dyn Broadcast>> {
    match db.get_database_backend() {
        DbBackend::Postgres => {
            Some(Arc::new(PgBroadcast::new(db.clone(), tseeder_core::services::relay::EVENTS_CHANNEL)))
        }
        _ => None,
    }
}

/// How long a subscription waits before trying again after its connection failed to come back.
#[cfg(feature = "postgres")]
const RECONNECT_PAUSE: std::time::Duration = std::time::Duration::from_secs(1);

/// A [`Broadcast`] over one PostgreSQL `NOTIFY` channel.
#[derive(Debug, Clone)]
pub struct PgBroadcast {
    db: DatabaseConnection,
    channel: String,
}

impl PgBroadcast {
    /// A broadcast on `channel` of the PostgreSQL database `db` (a pool opened with
    /// [`connect`](crate::connect) on a `postgres:` URL).
    pub fn new(db: DatabaseConnection, channel: &str) -> Self {
        Self { db, channel: channel.to_owned() }
    }
}

fn unavailable(e: impl std::fmt::Display) -> BroadcastError {
    BroadcastError::Unavailable(e.to_string())
}

#[async_trait]
impl Broadcast for PgBroadcast {
    async fn publish(&self, message: &str) -> Result<(), BroadcastError> {
        if message.len() > MAX_BROADCAST_BYTES {
            return Err(BroadcastError::TooLarge { len: message.len(), max: MAX_BROADCAST_BYTES });
        }
        let notify = Statement::from_sql_and_values(
            DbBackend::Postgres,
            "SELECT pg_notify($1, $2)",
            [self.channel.as_str().into(), message.into()],
        );
        self.db.execute_raw(notify).await.map_err(unavailable)?;
        Ok(())
    }

    #[cfg(feature = "postgres")]
    async fn subscribe(&self) -> Result<BroadcastStream, BroadcastError> {
        use futures::StreamExt as _;
        use sea_orm::sqlx::postgres::{PgListener, PgPoolOptions};
        use tseeder_core::ports::Broadcasted;

        if self.db.get_database_backend() != DbBackend::Postgres {
            return Err(unavailable("LISTEN/NOTIFY needs a PostgreSQL database"));
        }
        let options = self.db.get_postgres_connection_pool().connect_options();
        // The listener's own one-connection pool, which it also uses to reconnect.
        let own = PgPoolOptions::new()
            .max_connections(1)
            .max_lifetime(None)
            .idle_timeout(None)
            .connect_with((*options).clone())
            .await
            .map_err(unavailable)?;
        let mut listener = PgListener::connect_with(&own).await.map_err(unavailable)?;
        listener.listen(&self.channel).await.map_err(unavailable)?;
        let stream = futures::stream::unfold(listener, |mut listener| async move {
            let item = match listener.try_recv().await {
                Ok(Some(notification)) => Broadcasted::Message(notification.payload().to_owned()),
                // The connection dropped; it is back (listening again) or is retried next call.
                Ok(None) => Broadcasted::Gap,
                Err(e) => {
                    tracing::warn!(error = %e, "the PostgreSQL notification connection is down; retrying");
                    tokio::time::sleep(RECONNECT_PAUSE).await;
                    Broadcasted::Gap
                }
            };
            Some((item, listener))
        });
        Ok(stream.boxed())
    }

    #[cfg(not(feature = "postgres"))]
    async fn subscribe(&self) -> Result<BroadcastStream, BroadcastError> {
        Err(unavailable("built without PostgreSQL support"))
    }
}
