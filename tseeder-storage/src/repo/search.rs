//! [`SeaOrmAdminSearch`]: the operators' search, on the indexes of the `admin_search` migration
//! (FTS5 trigram tables on SQLite, `pg_trgm` GIN indexes on PostgreSQL).

use async_trait::async_trait;
use sea_orm::sea_query::{Alias, Expr, ExprTrait, Func, LikeExpr};
use sea_orm::{
    ColumnTrait, Condition, DatabaseConnection, DbBackend, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
    QuerySelect, Select,
};
use tseeder_core::error::RepoError;
use tseeder_core::ports::{AdminSearch, SearchHits, SearchResults};

use super::contains_pattern;
use crate::entity::{audit_logs, jobs, users};
use crate::error::repo_err;

/// The admin search over one database.
#[derive(Debug, Clone)]
pub struct SeaOrmAdminSearch {
    db: DatabaseConnection,
}

impl SeaOrmAdminSearch {
    /// The search over `db`.
    pub fn new(db: DatabaseConnection) -> Self {
        Self { db }
    }
}

/// Shortest text the trigram indexes can answer; shorter texts are matched by a scan.
const TRIGRAM: usize = 3;
/// Most actors whose email matches that the audit search looks for.
const MAX_ACTORS: u64 = 1000;
/// Shortest text tried as the start of an infohash.
const INFOHASH_PREFIX: usize = 6;

/// How one text is matched on this backend.
struct Matcher {
    backend: DbBackend,
    text: String,
}

impl Matcher {
    /// Rows of `table` where one of `columns` contains the text, ignoring case: through the
    /// table's FTS5 trigram index on SQLite (a quoted phrase, so nothing in the text is query
    /// syntax), `lower(column) LIKE` on PostgreSQL (which its `pg_trgm` index answers).
    fn contains(&self, table: &str, columns: &[&str]) -> Condition {
        let indexed = self.backend == DbBackend::Sqlite && self.text.chars().count() >= TRIGRAM;
        if indexed {
            let phrase = format!("\"{}\"", self.text.replace('"', "\"\""));
            let sql = format!("\"{table}\".rowid IN (SELECT rowid FROM {table}_search WHERE {table}_search MATCH ?)");
            return Condition::all().add(Expr::cust_with_values(sql, [phrase]));
        }
        let mut any = Condition::any();
        for column in columns {
            let lowered = Func::lower(Expr::col((Alias::new(table), Alias::new(*column))));
            any = any.add(Expr::expr(lowered).like(LikeExpr::new(contains_pattern(&self.text)).escape('\\')));
        }
        any
    }

    /// The text as the start of an infohash (six or more hexadecimal characters), lowercased.
    fn infohash_prefix(&self) -> Option<String> {
        let hex = self.text.to_ascii_lowercase();
        (hex.len() >= INFOHASH_PREFIX && hex.len() <= 40 && hex.bytes().all(|b| b.is_ascii_hexdigit())).then_some(hex)
    }
}

/// Every row of `found` counted, and its newest `limit` (by the `(created_at, id)` columns
/// `newest`) converted.
async fn hits<E, T>(
    db: &DatabaseConnection,
    found: Select<E>,
    newest: (E::Column, E::Column),
    limit: u64,
) -> Result<SearchHits<T>, RepoError>
where
    E: EntityTrait,
    E::Model: Sync,
    T: TryFrom<E::Model, Error = crate::error::InvalidRow>,
{
    let total = found.clone().count(db).await.map_err(repo_err)?;
    let rows = found.order_by_desc(newest.0).order_by_desc(newest.1).limit(limit).all(db).await.map_err(repo_err)?;
    let items = rows.into_iter().map(T::try_from).collect::<Result<_, _>>()?;
    Ok(SearchHits { total, items })
}

#[async_trait]
impl AdminSearch for SeaOrmAdminSearch {
    async fn search(&self, text: &str, limit: u64) -> Result<SearchResults, RepoError> {
        let m = Matcher { backend: self.db.get_database_backend(), text: text.to_owned() };

        let users_found = users::Entity::find()
            .filter(Condition::any().add(m.contains("users", &["email"])).add(users::Column::Id.eq(text)));
        let users = hits(&self.db, users_found, (users::Column::CreatedAt, users::Column::Id), limit).await?;

        let mut job_match = Condition::any().add(m.contains("jobs", &["name"])).add(jobs::Column::Id.eq(text));
        if let Some(prefix) = m.infohash_prefix() {
            // A range the `jobs_infohash_idx` index answers on both backends: infohashes are
            // lowercase hex, and `g` sorts after every hex digit.
            job_match = job_match.add(
                Condition::all()
                    .add(jobs::Column::Infohash.gte(prefix.as_str()))
                    .add(jobs::Column::Infohash.lt(format!("{prefix}g"))),
            );
        }
        let jobs_found = jobs::Entity::find().filter(job_match);
        let jobs = hits(&self.db, jobs_found, (jobs::Column::CreatedAt, jobs::Column::Id), limit).await?;

        // The actors whose email matches, as a list of ids: each arm of the audit condition then
        // has an index of its own (a subquery in an OR would make PostgreSQL scan the log).
        let actors: Vec<String> = users::Entity::find()
            .select_only()
            .column(users::Column::Id)
            .filter(m.contains("users", &["email"]))
            .limit(MAX_ACTORS)
            .into_tuple()
            .all(&self.db)
            .await
            .map_err(repo_err)?;
        let mut audit_match = Condition::any()
            .add(m.contains("audit_logs", &["action", "target_id"]))
            .add(audit_logs::Column::ActorId.eq(text));
        // An empty `IN ()` would be a constant that keeps SQLite from using an index per arm.
        if !actors.is_empty() {
            audit_match = audit_match.add(audit_logs::Column::ActorId.is_in(actors));
        }
        let audit_found = audit_logs::Entity::find().filter(audit_match);
        let audit = hits(&self.db, audit_found, (audit_logs::Column::CreatedAt, audit_logs::Column::Id), limit).await?;
        Ok(SearchResults { users, jobs, audit })
    }
}
