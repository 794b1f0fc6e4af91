//! [`SeaOrmBillingRepository`]: organizations' customers and subscriptions at the payment
//! provider, and the provider events already processed.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use sea_orm::sea_query::OnConflict;
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter, QuerySelect, TryInsertResult,
};
use tseeder_core::domain::{OrgId, Subscription};
use tseeder_core::error::RepoError;
use tseeder_core::ports::BillingRepository;

use super::begin_write;
use crate::convert::{self, db_time};
use crate::entity::{billing_customers, billing_events, subscriptions};
use crate::error::repo_err;

/// [`BillingRepository`] over sea-orm (SQLite or PostgreSQL).
///
/// A customer is `INSERT … ON CONFLICT (org_id) DO UPDATE` of its id; a customer id belongs to
/// one organization (a unique index), so giving another organization's customer is a conflict.
/// An event is `INSERT … ON CONFLICT (id) DO NOTHING`, so recording it twice is harmless.
///
/// Applying a subscription compares event times in one write transaction: the stored row is
/// read and locked (`SELECT … FOR UPDATE`), and replaced only when its `event_at` is not newer.
/// On PostgreSQL a second writer of the same organization waits for the lock and compares
/// against what the first one stored; when there is no row to lock yet, the first insert wins
/// and the other one finds its row (`ON CONFLICT DO NOTHING` waits for it), locks it and
/// compares. On SQLite `BEGIN IMMEDIATE` already serialises writers (and the query builder
/// renders no lock clause). Times are compared here, not in SQL, so both backends agree.
#[derive(Debug, Clone)]
pub struct SeaOrmBillingRepository {
    db: DatabaseConnection,
}

impl SeaOrmBillingRepository {
    /// An adapter over a migrated database.
    pub fn new(db: DatabaseConnection) -> Self {
        Self { db }
    }
}

/// The organization's subscription row, locked until the transaction ends (PostgreSQL).
async fn lock_subscription(conn: &impl ConnectionTrait, org: OrgId) -> Result<Option<subscriptions::Model>, RepoError> {
    subscriptions::Entity::find_by_id(org.to_string()).lock_exclusive().one(conn).await.map_err(repo_err)
}

#[async_trait]
impl BillingRepository for SeaOrmBillingRepository {
    async fn set_customer(&self, org: OrgId, customer_id: &str) -> Result<(), RepoError> {
        use billing_customers::Column as C;
        // `created_at` is when the organization first got a customer: a replacement keeps it.
        let mut on_conflict = OnConflict::column(C::OrgId);
        on_conflict.update_columns([C::CustomerId]);
        billing_customers::Entity::insert(convert::billing_customer_model(org, customer_id, Utc::now()))
            .on_conflict(on_conflict)
            .exec_without_returning(&self.db)
            .await
            .map_err(repo_err)?;
        Ok(())
    }

    async fn customer_of(&self, org: OrgId) -> Result<Option<String>, RepoError> {
        let customer: Option<String> = billing_customers::Entity::find_by_id(org.to_string())
            .select_only()
            .column(billing_customers::Column::CustomerId)
            .into_tuple()
            .one(&self.db)
            .await
            .map_err(repo_err)?;
        Ok(customer)
    }

    async fn org_of_customer(&self, customer_id: &str) -> Result<Option<OrgId>, RepoError> {
        let org: Option<String> = billing_customers::Entity::find()
            .select_only()
            .column(billing_customers::Column::OrgId)
            .filter(billing_customers::Column::CustomerId.eq(customer_id))
            .into_tuple()
            .one(&self.db)
            .await
            .map_err(repo_err)?;
        Ok(org.map(|org| convert::parse("billing_customers", "org_id", &org)).transpose()?)
    }

    async fn subscription(&self, org: OrgId) -> Result<Option<Subscription>, RepoError> {
        let row = subscriptions::Entity::find_by_id(org.to_string()).one(&self.db).await.map_err(repo_err)?;
        Ok(row.map(Subscription::try_from).transpose()?)
    }

    async fn apply_subscription(&self, subscription: &Subscription) -> Result<bool, RepoError> {
        let model = convert::subscription_model(subscription, Utc::now());
        let event_at = db_time(subscription.event_at);
        let org = subscription.org_id;
        let tx = begin_write(&self.db).await.map_err(repo_err)?;
        // Every early return drops `tx`, which rolls it back.
        let stored = match lock_subscription(&tx, org).await? {
            Some(stored) => stored,
            None => {
                let inserted = subscriptions::Entity::insert(model.clone())
                    .on_conflict_do_nothing_on([subscriptions::Column::OrgId])
                    .exec_without_returning(&tx)
                    .await
                    .map_err(repo_err)?;
                if matches!(inserted, TryInsertResult::Inserted(rows) if rows > 0) {
                    tx.commit().await.map_err(repo_err)?;
                    return Ok(true);
                }
                // Another writer stored the first row since the read (PostgreSQL): compare with
                // it, locked now.
                lock_subscription(&tx, org).await?.ok_or(RepoError::NotFound)?
            }
        };
        if stored.event_at > event_at {
            return Ok(false);
        }
        subscriptions::Entity::update_many()
            .set(model)
            .filter(subscriptions::Column::OrgId.eq(org.to_string()))
            .exec(&tx)
            .await
            .map_err(repo_err)?;
        tx.commit().await.map_err(repo_err)?;
        Ok(true)
    }

    async fn event_seen(&self, id: &str) -> Result<bool, RepoError> {
        let seen: Option<String> = billing_events::Entity::find_by_id(id)
            .select_only()
            .column(billing_events::Column::Id)
            .into_tuple()
            .one(&self.db)
            .await
            .map_err(repo_err)?;
        Ok(seen.is_some())
    }

    async fn record_event(&self, id: &str, kind: &str, at: DateTime<Utc>) -> Result<(), RepoError> {
        // A second record of the id changes nothing (the first `kind` and time stay).
        billing_events::Entity::insert(convert::billing_event_model(id, kind, at))
            .on_conflict_do_nothing_on([billing_events::Column::Id])
            .exec_without_returning(&self.db)
            .await
            .map_err(repo_err)?;
        Ok(())
    }
}
