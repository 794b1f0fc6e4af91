//! [`SeaOrmBandwidthMeter`]: bytes each organization moved per calendar month.

use async_trait::async_trait;
use sea_orm::sea_query::{Expr, ExprTrait, OnConflict};
use sea_orm::{DatabaseConnection, EntityTrait, Set};
use tseeder_core::domain::{Bandwidth, Month, OrgId, TransferKind};
use tseeder_core::error::RepoError;
use tseeder_core::ports::BandwidthMeter;

use crate::entity::bandwidth_usage;
use crate::error::repo_err;

/// [`BandwidthMeter`] over sea-orm (SQLite or PostgreSQL).
///
/// A transfer is one statement, `INSERT … ON CONFLICT (org_id, month) DO UPDATE SET n = CASE
/// WHEN n > MAX - bytes THEN MAX ELSE n + bytes END`: the database adds under its row lock, so
/// concurrent transfers all count, and the sum saturates at `i64::MAX` instead of overflowing.
#[derive(Debug, Clone)]
pub struct SeaOrmBandwidthMeter {
    db: DatabaseConnection,
}

impl SeaOrmBandwidthMeter {
    /// An adapter over a migrated database.
    pub fn new(db: DatabaseConnection) -> Self {
        Self { db }
    }
}

/// A count as the `BIGINT` columns hold it.
fn stored(bytes: u64) -> i64 {
    i64::try_from(bytes).unwrap_or(i64::MAX)
}

#[async_trait]
impl BandwidthMeter for SeaOrmBandwidthMeter {
    async fn record(&self, org: OrgId, month: Month, kind: TransferKind, bytes: u64) -> Result<(), RepoError> {
        use bandwidth_usage::Column as C;
        if bytes == 0 {
            return Ok(());
        }
        let bytes = stored(bytes);
        let (column, downloaded, served) = match kind {
            TransferKind::Downloaded => (C::DownloadedBytes, bytes, 0),
            TransferKind::Served => (C::ServedBytes, 0, bytes),
        };
        let current = Expr::col((bandwidth_usage::Entity, column));
        let sum = Expr::case(current.clone().gt(i64::MAX - bytes), i64::MAX).finally(current.add(bytes));
        let mut on_conflict = OnConflict::columns([C::OrgId, C::Month]);
        on_conflict.value(column, sum);
        bandwidth_usage::Entity::insert(bandwidth_usage::ActiveModel {
            org_id: Set(org.to_string()),
            month: Set(month.to_string()),
            downloaded_bytes: Set(downloaded),
            served_bytes: Set(served),
        })
        .on_conflict(on_conflict)
        .exec_without_returning(&self.db)
        .await
        .map_err(repo_err)?;
        Ok(())
    }

    async fn bandwidth(&self, org: OrgId, month: Month) -> Result<Bandwidth, RepoError> {
        let row = bandwidth_usage::Entity::find_by_id((org.to_string(), month.to_string()))
            .one(&self.db)
            .await
            .map_err(repo_err)?;
        let count = |n: i64| u64::try_from(n).unwrap_or(0);
        Ok(row.map_or(Bandwidth { month, ..Bandwidth::default() }, |row| Bandwidth {
            month,
            downloaded_bytes: count(row.downloaded_bytes),
            served_bytes: count(row.served_bytes),
        }))
    }
}
