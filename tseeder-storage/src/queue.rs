//! [`SeaOrmJobQueue`]: the durable queue in the `queue_messages` table.
//!
//! A message is `ready` or `dead`. Leasing does not add a state: a leased message stays `ready`
//! with `visible_at` pushed to the end of its lease and a random `lease_token`, so a holder that
//! crashes simply lets the message become visible again. Every call that acts on a lease
//! (`ack`, `extend`, `retry`, `dead_letter`) is guarded by that token in its `WHERE` clause: once
//! someone else leased the message (new token), or it was acked, retried or dead-lettered (token
//! cleared), the old holder's calls match no row and fail with `LeaseLost`. A lease whose time
//! ran out but that nobody took over still holds the token, so a slow holder may still finish.
//!
//! **Leasing** is one `UPDATE … WHERE id = (SELECT id … ORDER BY visible_at, created_at, id
//! LIMIT 1) RETURNING *`:
//!
//! - on PostgreSQL the subquery takes `FOR UPDATE SKIP LOCKED`, so concurrent leasers (on any
//!   number of hosts) lock different rows instead of queueing behind one another, and a row
//!   that another leaser changed meanwhile is re-checked against the `WHERE` before it is taken;
//! - on SQLite the whole statement runs under the database's single write lock, so it is atomic
//!   as it stands (sea-query renders no lock clause for SQLite).
//!
//! Before leasing, expired leases that used their last attempt are dead-lettered with the error
//! "lease expired", one guarded `UPDATE` per message (guarded by token and `visible_at`, so a
//! message that changed in between is left alone); the lease statement itself also refuses them,
//! so a lost race there can never hand out an attempt too many.
//!
//! Times are BIGINT unix milliseconds: they compare and order identically on both backends.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Expr, ExprTrait, Func, LikeExpr, LockBehavior, LockType, Order, Query};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, DbErr, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, UpdateMany,
};
use tseeder_core::domain::{JobId, Lease, NewQueueMessage, Page, PageRequest, QueueMessage, QueueMessageId};
use tseeder_core::error::QueueError;
use tseeder_core::ports::{DeadLetterFilter, JobQueue, QueueStats};

use crate::convert::{self, duration_millis, millis};
use crate::entity::jobs;
use crate::entity::queue_messages::{self, Column};
use crate::error::queue_err;
use crate::repo::{fetch_page, try_map_page};

/// The error recorded when a lease runs out on the last attempt.
const LEASE_EXPIRED: &str = "lease expired";
/// How many expired leases one `lease` call dead-letters at most (the rest wait for the next).
const EXPIRED_BATCH: u64 = 100;

/// `queue_messages.state` of a deliverable (or leased) message.
const READY: &str = "ready";
/// `queue_messages.state` of a dead-lettered message.
const DEAD: &str = "dead";

/// What becomes of a message after a failed delivery.
#[derive(Debug, Clone, Copy)]
enum AfterFailure {
    /// Ready again at this time.
    RetryAt(DateTime<Utc>),
    /// Dead-lettered.
    Dead,
}

/// [`JobQueue`] over sea-orm: an at-least-once queue with visibility timeouts in the database
/// (SQLite or PostgreSQL), so messages commit atomically with the job rows they are about.
///
/// Expired leases on their last attempt are dead-lettered by `lease`, at most once a second per
/// queue (by the `now` it is given): finding them walks the deliverable messages, which a burst
/// of 100,000 queued jobs made cost more than the lease itself. Such a message is never
/// redelivered meanwhile (the lease's own query skips it), only dead-lettered up to a second
/// later.
#[derive(Debug, Clone)]
pub struct SeaOrmJobQueue {
    db: DatabaseConnection,
    /// Per queue, the `now` (Unix milliseconds) of the last look for expired leases.
    swept_at: Arc<Mutex<HashMap<String, i64>>>,
}

/// How often, in the lease's `now`, expired leases are looked for.
const SWEEP_EVERY_MS: i64 = 1_000;

impl SeaOrmJobQueue {
    /// An adapter over a migrated database.
    pub fn new(db: DatabaseConnection) -> Self {
        Self { db, swept_at: Arc::default() }
    }

    /// Whether `lease` at `now_ms` should look for expired leases of `queue` (and notes that it
    /// does): a second after the last look, or at once if time went back.
    fn sweep_due(&self, queue: &str, now_ms: i64) -> bool {
        let mut swept = self.swept_at.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        let due = swept.get(queue).is_none_or(|&last| now_ms < last || now_ms >= last.saturating_add(SWEEP_EVERY_MS));
        if due {
            swept.insert(queue.to_owned(), now_ms);
        }
        due
    }

    /// Dead-letters the expired leases of `queue` that have no attempt left.
    async fn dead_letter_expired(&self, queue: &str, now: DateTime<Utc>) -> Result<(), QueueError> {
        let now_ms = millis(now);
        let expired = queue_messages::Entity::find()
            .filter(Column::Queue.eq(queue))
            .filter(Column::State.eq(READY))
            .filter(Column::LeaseToken.is_not_null())
            .filter(Column::VisibleAt.lte(now_ms))
            .filter(Expr::col(Column::Attempts).gte(Expr::col(Column::MaxAttempts)))
            .limit(EXPIRED_BATCH)
            .all(&self.db)
            .await
            .map_err(queue_err)?;
        for message in expired {
            let errors = convert::append_delivery_error(&message.errors, message.attempts, now, LEASE_EXPIRED)?;
            let result = queue_messages::Entity::update_many()
                .col_expr(Column::State, Expr::val(DEAD))
                .col_expr(Column::DeadAt, Expr::val(now_ms))
                .col_expr(Column::LastError, Expr::val(LEASE_EXPIRED))
                .col_expr(Column::Errors, Expr::val(errors))
                .col_expr(Column::LeaseToken, Expr::val(Option::<String>::None))
                .col_expr(Column::LeaseOwner, Expr::val(Option::<String>::None))
                .filter(Column::Id.eq(message.id.as_str()))
                .filter(Column::State.eq(READY))
                .filter(Column::LeaseToken.eq(message.lease_token.clone()))
                .filter(Column::VisibleAt.eq(message.visible_at))
                .exec(&self.db)
                .await
                .map_err(queue_err)?;
            if result.rows_affected == 1 {
                tracing::warn!(
                    message_id = %message.id,
                    queue,
                    attempts = message.attempts,
                    "lease expired on the last attempt; dead-lettered"
                );
            }
        }
        Ok(())
    }

    /// Loads the row behind a lease if the lease still holds it (same token, still ready).
    async fn leased_row(&self, lease: &Lease) -> Result<queue_messages::Model, QueueError> {
        let row = queue_messages::Entity::find_by_id(lease.message.id.to_string())
            .filter(Column::LeaseToken.eq(lease.token.as_str()))
            .filter(Column::State.eq(READY))
            .one(&self.db)
            .await
            .map_err(queue_err)?;
        row.ok_or(QueueError::LeaseLost)
    }

    /// Records a failed attempt of a leased message and ends the lease as `next` says.
    async fn fail(&self, lease: &Lease, error: &str, now: DateTime<Utc>, next: AfterFailure) -> Result<(), QueueError> {
        let row = self.leased_row(lease).await?;
        let errors = convert::append_delivery_error(&row.errors, row.attempts, now, error)?;
        let mut update = queue_messages::Entity::update_many()
            .col_expr(Column::LastError, Expr::val(error))
            .col_expr(Column::Errors, Expr::val(errors))
            .col_expr(Column::LeaseToken, Expr::val(Option::<String>::None))
            .col_expr(Column::LeaseOwner, Expr::val(Option::<String>::None))
            .col_expr(Column::LeasedAt, Expr::val(Option::<i64>::None));
        update = match next {
            AfterFailure::RetryAt(at) => update.col_expr(Column::VisibleAt, Expr::val(millis(at))),
            AfterFailure::Dead => {
                update.col_expr(Column::State, Expr::val(DEAD)).col_expr(Column::DeadAt, Expr::val(millis(now)))
            }
        };
        // The token guard makes the read-modify-write of `errors` safe: nobody else writes a
        // row while it carries our token.
        let result = update
            .filter(Column::Id.eq(row.id.as_str()))
            .filter(Column::LeaseToken.eq(lease.token.as_str()))
            .filter(Column::State.eq(READY))
            .exec(&self.db)
            .await
            .map_err(queue_err)?;
        if result.rows_affected == 0 {
            return Err(QueueError::LeaseLost);
        }
        Ok(())
    }
}

/// Inserts a new message (used by [`SeaOrmJobQueue::enqueue`] and inside job transactions).
pub(crate) async fn insert_message(conn: &impl ConnectionTrait, message: &NewQueueMessage) -> Result<(), DbErr> {
    convert::new_queue_message_model(message).insert(conn).await.map(drop)
}

/// Moves a dead message back to ready (attempts 0, visible at `now`, error history kept).
/// `None` when there is no such dead message.
pub(crate) async fn replay_message(
    conn: &impl ConnectionTrait,
    id: QueueMessageId,
    now: DateTime<Utc>,
) -> Result<Option<queue_messages::Model>, DbErr> {
    let rows = queue_messages::Entity::update_many()
        .col_expr(Column::State, Expr::val(READY))
        .col_expr(Column::Attempts, Expr::val(0))
        .col_expr(Column::VisibleAt, Expr::val(millis(now)))
        .col_expr(Column::DeadAt, Expr::val(Option::<i64>::None))
        .col_expr(Column::LeaseToken, Expr::val(Option::<String>::None))
        .col_expr(Column::LeaseOwner, Expr::val(Option::<String>::None))
        .col_expr(Column::LeasedAt, Expr::val(Option::<i64>::None))
        .filter(Column::Id.eq(id.to_string()))
        .filter(Column::State.eq(DEAD))
        .exec_with_returning(conn)
        .await?;
    Ok(rows.into_iter().next())
}

/// The lease statement: takes the oldest deliverable message of `queue` (see the module docs).
fn lease_update(
    queue: &str,
    owner: &str,
    token: &str,
    visibility: Duration,
    now: DateTime<Utc>,
) -> UpdateMany<queue_messages::Entity> {
    let now_ms = millis(now);
    let deliverable = || {
        Expr::col(Column::Queue)
            .eq(queue)
            .and(Expr::col(Column::State).eq(READY))
            .and(Expr::col(Column::VisibleAt).lte(now_ms))
            // An expired lease on its last attempt is dead-lettered, never redelivered.
            .and(
                Expr::col(Column::LeaseToken)
                    .is_null()
                    .or(Expr::col(Column::Attempts).lt(Expr::col(Column::MaxAttempts))),
            )
    };
    let mut next = Query::select();
    next.column(Column::Id)
        .from(queue_messages::Entity)
        .and_where(deliverable())
        .order_by(Column::VisibleAt, Order::Asc)
        .order_by(Column::CreatedAt, Order::Asc)
        .order_by(Column::Id, Order::Asc)
        .limit(1)
        // PostgreSQL only; the SQLite query builder renders no lock clause.
        .lock_with_behavior(LockType::Update, LockBehavior::SkipLocked);
    queue_messages::Entity::update_many()
        .col_expr(Column::Attempts, Expr::col(Column::Attempts).add(1))
        .col_expr(Column::LeaseToken, Expr::val(token))
        .col_expr(Column::LeaseOwner, Expr::val(owner))
        .col_expr(Column::LeasedAt, Expr::val(now_ms))
        .col_expr(Column::VisibleAt, Expr::val(now_ms.saturating_add(duration_millis(visibility))))
        .filter(Expr::col(Column::Id).eq(Expr::SubQuery(None, Box::new(next.into()))))
        // Checked again on the row actually updated: on PostgreSQL a row changed by a concurrent
        // transaction is re-evaluated against this `WHERE` before it is written.
        .filter(deliverable())
}

#[async_trait]
impl JobQueue for SeaOrmJobQueue {
    async fn enqueue(&self, message: &NewQueueMessage) -> Result<(), QueueError> {
        insert_message(&self.db, message).await.map_err(queue_err)
    }

    async fn lease(
        &self,
        queue: &str,
        owner: &str,
        visibility: Duration,
        now: DateTime<Utc>,
    ) -> Result<Option<Lease>, QueueError> {
        if self.sweep_due(queue, millis(now)) {
            self.dead_letter_expired(queue, now).await?;
        }
        let token = uuid::Uuid::new_v4().to_string();
        let leased = lease_update(queue, owner, &token, visibility, now)
            .exec_with_returning(&self.db)
            .await
            .map_err(queue_err)?;
        match leased.into_iter().next() {
            Some(row) => Ok(Some(Lease { message: QueueMessage::try_from(row)?, token })),
            None => Ok(None),
        }
    }

    async fn extend(&self, lease: &Lease, visibility: Duration, now: DateTime<Utc>) -> Result<(), QueueError> {
        let result = queue_messages::Entity::update_many()
            .col_expr(Column::VisibleAt, Expr::val(millis(now).saturating_add(duration_millis(visibility))))
            .filter(Column::Id.eq(lease.message.id.to_string()))
            .filter(Column::LeaseToken.eq(lease.token.as_str()))
            .filter(Column::State.eq(READY))
            .exec(&self.db)
            .await
            .map_err(queue_err)?;
        if result.rows_affected == 0 {
            return Err(QueueError::LeaseLost);
        }
        Ok(())
    }

    async fn ack(&self, lease: &Lease) -> Result<(), QueueError> {
        let result = queue_messages::Entity::delete_many()
            .filter(Column::Id.eq(lease.message.id.to_string()))
            .filter(Column::LeaseToken.eq(lease.token.as_str()))
            .exec(&self.db)
            .await
            .map_err(queue_err)?;
        if result.rows_affected == 0 {
            return Err(QueueError::LeaseLost);
        }
        Ok(())
    }

    async fn retry(
        &self,
        lease: &Lease,
        error: &str,
        now: DateTime<Utc>,
        visible_at: DateTime<Utc>,
    ) -> Result<(), QueueError> {
        self.fail(lease, error, now, AfterFailure::RetryAt(visible_at)).await
    }

    async fn postpone(&self, lease: &Lease, visible_at: DateTime<Utc>) -> Result<(), QueueError> {
        let result = queue_messages::Entity::update_many()
            .col_expr(Column::Attempts, Expr::col(Column::Attempts).sub(1))
            .col_expr(Column::VisibleAt, Expr::val(millis(visible_at)))
            .col_expr(Column::LeaseToken, Expr::val(Option::<String>::None))
            .col_expr(Column::LeaseOwner, Expr::val(Option::<String>::None))
            .col_expr(Column::LeasedAt, Expr::val(Option::<i64>::None))
            .filter(Column::Id.eq(lease.message.id.to_string()))
            .filter(Column::LeaseToken.eq(lease.token.as_str()))
            .filter(Column::State.eq(READY))
            .filter(Column::Attempts.gt(0))
            .exec(&self.db)
            .await
            .map_err(queue_err)?;
        if result.rows_affected == 0 {
            return Err(QueueError::LeaseLost);
        }
        Ok(())
    }

    async fn dead_letter(&self, lease: &Lease, error: &str, now: DateTime<Utc>) -> Result<(), QueueError> {
        self.fail(lease, error, now, AfterFailure::Dead).await
    }

    async fn get(&self, id: QueueMessageId) -> Result<QueueMessage, QueueError> {
        let row = queue_messages::Entity::find_by_id(id.to_string()).one(&self.db).await.map_err(queue_err)?;
        Ok(QueueMessage::try_from(row.ok_or(QueueError::NotFound)?)?)
    }

    async fn find_for_job(&self, job: JobId) -> Result<Option<QueueMessage>, QueueError> {
        let row = queue_messages::Entity::find()
            .filter(Column::JobId.eq(job.to_string()))
            .order_by_desc(Column::CreatedAt)
            .order_by_desc(Column::Id)
            .one(&self.db)
            .await
            .map_err(queue_err)?;
        Ok(row.map(QueueMessage::try_from).transpose()?)
    }

    async fn list_dead(&self, queue: &str, page: PageRequest) -> Result<Page<QueueMessage>, QueueError> {
        let select = queue_messages::Entity::find()
            .filter(Column::Queue.eq(queue))
            .filter(Column::State.eq(DEAD))
            .order_by_desc(Column::DeadAt)
            .order_by_desc(Column::CreatedAt)
            .order_by_desc(Column::Id);
        try_map_page(fetch_page(&self.db, select, page).await.map_err(queue_err)?)
    }

    async fn list_dead_matching(
        &self,
        queue: &str,
        filter: &DeadLetterFilter,
        page: PageRequest,
    ) -> Result<Page<QueueMessage>, QueueError> {
        let mut select = queue_messages::Entity::find().filter(Column::Queue.eq(queue)).filter(Column::State.eq(DEAD));
        if let Some(needle) = filter.error_contains.as_deref() {
            // Lowercased on both sides: SQLite's LIKE ignores ASCII case, PostgreSQL's does not.
            let pattern = crate::repo::contains_pattern(needle);
            select = select.filter(
                Expr::expr(Func::lower(Expr::col(Column::LastError))).like(LikeExpr::new(pattern).escape('\\')),
            );
        }
        if let Some(user) = filter.user_id {
            let owned = Query::select()
                .column(jobs::Column::Id)
                .from(jobs::Entity)
                .and_where(Expr::col(jobs::Column::UserId).eq(user.to_string()))
                .to_owned();
            select = select.filter(Column::JobId.in_subquery(owned));
        }
        if let Some(before) = filter.dead_before {
            select = select.filter(Column::DeadAt.lte(millis(before)));
        }
        if let Some(after) = filter.dead_after {
            select = select.filter(Column::DeadAt.gte(millis(after)));
        }
        let select = select.order_by_desc(Column::DeadAt).order_by_desc(Column::CreatedAt).order_by_desc(Column::Id);
        try_map_page(fetch_page(&self.db, select, page).await.map_err(queue_err)?)
    }

    async fn replay(&self, id: QueueMessageId, now: DateTime<Utc>) -> Result<QueueMessage, QueueError> {
        let row = replay_message(&self.db, id, now).await.map_err(queue_err)?;
        Ok(QueueMessage::try_from(row.ok_or(QueueError::NotFound)?)?)
    }

    async fn stats(&self, queue: &str, now: DateTime<Utc>) -> Result<QueueStats, QueueError> {
        let now_ms = millis(now);
        let ready = Expr::col(Column::State).eq(READY);
        // COUNT(CASE WHEN … THEN 1 END) counts the rows matching each condition in one scan.
        let count_where = |cond: Expr| Func::count(Expr::case(cond, 1));
        let stmt = Query::select()
            .expr_as(count_where(ready.clone().and(Expr::col(Column::VisibleAt).lte(now_ms))), "ready")
            .expr_as(count_where(ready.and(Expr::col(Column::VisibleAt).gt(now_ms))), "delayed")
            .expr_as(count_where(Expr::col(Column::State).eq(DEAD)), "dead")
            .from(queue_messages::Entity)
            .and_where(Expr::col(Column::Queue).eq(queue))
            .to_owned();
        let row = self.db.query_one(&stmt).await.map_err(queue_err)?;
        let Some(row) = row else { return Ok(QueueStats::default()) };
        let count = |name: &str| -> Result<u64, QueueError> {
            let n: i64 = row.try_get("", name).map_err(queue_err)?;
            Ok(u64::try_from(n).unwrap_or(0))
        };
        Ok(QueueStats { ready: count("ready")?, delayed: count("delayed")?, dead: count("dead")? })
    }
}

#[cfg(test)]
mod tests {
    use sea_orm::{DbBackend, QueryTrait};
    use tseeder_core::domain::QueueState;

    use super::*;

    #[test]
    fn lease_locks_the_chosen_row_on_postgres_only() {
        let update = lease_update("jobs", "w", "token", Duration::from_secs(30), DateTime::UNIX_EPOCH);
        let postgres = update.clone().build(DbBackend::Postgres).to_string();
        assert!(postgres.contains("LIMIT 1 FOR UPDATE SKIP LOCKED)"), "{postgres}");
        let sqlite = update.build(DbBackend::Sqlite).to_string();
        assert!(sqlite.contains("LIMIT 1") && !sqlite.contains("FOR UPDATE"), "{sqlite}");
    }

    #[test]
    fn state_constants_match_the_core_names() {
        assert_eq!(READY, QueueState::Ready.as_str());
        assert_eq!(DEAD, QueueState::Dead.as_str());
    }
}
