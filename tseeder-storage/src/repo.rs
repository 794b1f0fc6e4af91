//! The sea-orm repositories: one adapter per core port, each a thin `{ db }` wrapper that turns
//! port calls into statements and rows into domain values (through `convert.rs`).
//!
//! Why the shapes below:
//!
//! 1. **Writes with several steps run in one transaction** (a job with its history, its queue
//!    message and its audit entry), so a crash or a dropped future never leaves half of them.
//! 2. **Write transactions on SQLite start `IMMEDIATE`.** A deferred transaction that reads and
//!    then writes fails with `SQLITE_BUSY` when another connection committed in between (the
//!    busy handler cannot help: its snapshot is stale). Taking the write lock at `BEGIN` makes
//!    writers queue on `busy_timeout` instead. PostgreSQL ignores the option.
//! 3. **Compare-and-set is a conditional `UPDATE`** (`WHERE status = expected`), never a read
//!    followed by a write, so two writers cannot both win.
//! 4. **Uniqueness is the database's job.** Conflicts are detected by the unique indexes and
//!    mapped to `RepoError::Conflict` (see `error.rs`); the failed transaction is rolled back, so
//!    a refused write leaves nothing behind.

mod account;
mod audit;
mod billing;
mod blocklist;
mod config;
mod file;
mod job;
mod label;
mod maintenance;
mod meter;
mod metrics;
mod org;
mod plan;
mod search;
mod status;
mod worker;

pub use account::SeaOrmAccountRepository;
pub use audit::SeaOrmAuditLog;
pub use billing::SeaOrmBillingRepository;
pub use blocklist::SeaOrmBlocklistRepository;
pub use config::SeaOrmConfigRepository;
pub use file::SeaOrmFileRepository;
pub use job::SeaOrmJobRepository;
pub use label::SeaOrmLabelRepository;
pub use maintenance::SeaOrmMaintenanceRepository;
pub use meter::SeaOrmBandwidthMeter;
pub use metrics::SeaOrmMetricsRepository;
pub use org::SeaOrmOrgRepository;
pub use plan::SeaOrmPlanRepository;
use sea_orm::{
    DatabaseConnection, DatabaseTransaction, DbErr, EntityTrait, PaginatorTrait, QuerySelect, Select,
    SqliteTransactionMode, TransactionOptions, TransactionTrait,
};
pub use search::SeaOrmAdminSearch;
pub use status::SeaOrmStatusRepository;
use tseeder_core::domain::{Page, PageRequest};
pub use worker::SeaOrmWorkerRegistry;

use crate::error::InvalidRow;

/// Starts a write transaction (`BEGIN IMMEDIATE` on SQLite, a plain `BEGIN` on PostgreSQL).
pub(crate) async fn begin_write(db: &DatabaseConnection) -> Result<DatabaseTransaction, DbErr> {
    db.begin_with_options(TransactionOptions {
        sqlite_transaction_mode: Some(SqliteTransactionMode::Immediate),
        ..TransactionOptions::default()
    })
    .await
}

/// One page of `select` (which must already be ordered) and the total row count.
///
/// The rows are only counted when the page does not tell: a page with fewer rows than its limit
/// is the last one, so the total is its offset plus its rows (unless it is empty past the first
/// page, which says nothing about the rows before it).
pub(crate) async fn fetch_page<E>(
    db: &DatabaseConnection,
    select: Select<E>,
    page: PageRequest,
) -> Result<Page<E::Model>, DbErr>
where
    E: EntityTrait,
    E::Model: Sync,
{
    let items = select.clone().offset(page.offset()).limit(page.limit).all(db).await?;
    let rows = items.len() as u64;
    let total = if rows < page.limit && (rows > 0 || page.offset() == 0) {
        page.offset() + rows
    } else {
        select.count(db).await?
    };
    Ok(Page { items, page: page.page, limit: page.limit, total })
}

/// Converts every row of a page into its domain type.
pub(crate) fn try_map_page<M, T, Er>(page: Page<M>) -> Result<Page<T>, Er>
where
    T: TryFrom<M, Error = InvalidRow>,
    Er: From<InvalidRow>,
{
    let items = page.items.into_iter().map(T::try_from).collect::<Result<Vec<_>, _>>()?;
    Ok(Page { items, page: page.page, limit: page.limit, total: page.total })
}

/// A `LIKE ... ESCAPE '\\'` pattern for the values that contain `needle`, lowercased: compare
/// it with `lower(column)` (SQLite's `LIKE` ignores ASCII case, PostgreSQL's does not). `%`, `_`
/// and `\\` in the needle match themselves.
pub(crate) fn contains_pattern(needle: &str) -> String {
    let mut pattern = String::with_capacity(needle.len() + 2);
    pattern.push('%');
    for c in needle.to_lowercase().chars() {
        if matches!(c, '%' | '_' | '\\') {
            pattern.push('\\');
        }
        pattern.push(c);
    }
    pattern.push('%');
    pattern
}

#[cfg(test)]
mod tests {
    use super::contains_pattern;

    #[test]
    fn patterns_escape_wildcards_and_the_escape_character() {
        assert_eq!(contains_pattern(r"A%b_c\d"), r"%a\%b\_c\\d%");
        assert_eq!(contains_pattern("plain@example.com"), "%plain@example.com%");
    }
}
