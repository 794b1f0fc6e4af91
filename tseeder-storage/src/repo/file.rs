//! [`SeaOrmFileRepository`]: the `files` rows of jobs, and the reference counting of the blobs
//! they point at.

use std::collections::BTreeSet;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Expr, ExprTrait, Query};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, Order, QueryFilter, QueryOrder,
    QuerySelect,
};
use tseeder_core::domain::{FileId, Infohash, JobId, JobStatus, NewStoredFile, StoredFile};
use tseeder_core::error::RepoError;
use tseeder_core::ports::FileRepository;

use super::begin_write;
use crate::convert::{self, db_time};
use crate::entity::{files, jobs};
use crate::error::repo_err;

/// [`FileRepository`] over sea-orm (SQLite or PostgreSQL).
///
/// A blob (`files.storage_key`) is shared by every row that names it, across jobs. A delete
/// finds which of its keys nothing references any more inside its write transaction, after
/// deleting. Two deletes of different rows with the same key must not both see the other's row
/// and both conclude the blob is still used (write skew), so before deleting, a delete locks
/// every row that references its keys (`SELECT … FOR UPDATE`, in id order so that two deletes
/// cannot deadlock): on PostgreSQL the second delete then waits for the first to commit and
/// counts what is left after it. On SQLite `BEGIN IMMEDIATE` already serialises writers (and
/// the query builder renders no lock clause).
#[derive(Debug, Clone)]
pub struct SeaOrmFileRepository {
    db: DatabaseConnection,
}

impl SeaOrmFileRepository {
    /// An adapter over a migrated database.
    pub fn new(db: DatabaseConnection) -> Self {
        Self { db }
    }
}

/// Locks every row that references one of `keys` until the transaction ends (PostgreSQL).
async fn lock_references(conn: &impl ConnectionTrait, keys: &BTreeSet<String>) -> Result<(), RepoError> {
    let _locked: Vec<String> = files::Entity::find()
        .select_only()
        .column(files::Column::Id)
        .filter(files::Column::StorageKey.is_in(keys.iter().map(String::as_str)))
        .order_by_asc(files::Column::Id)
        .lock_exclusive()
        .into_tuple()
        .all(conn)
        .await
        .map_err(repo_err)?;
    Ok(())
}

/// Of `keys`, those that no `files` row references.
async fn unreferenced(conn: &impl ConnectionTrait, keys: BTreeSet<String>) -> Result<Vec<String>, RepoError> {
    if keys.is_empty() {
        return Ok(Vec::new());
    }
    let still_used: Vec<String> = files::Entity::find()
        .select_only()
        .column(files::Column::StorageKey)
        .distinct()
        .filter(files::Column::StorageKey.is_in(keys.iter().map(String::as_str)))
        .into_tuple()
        .all(conn)
        .await
        .map_err(repo_err)?;
    let still_used: BTreeSet<String> = still_used.into_iter().collect();
    Ok(keys.into_iter().filter(|k| !still_used.contains(k)).collect())
}

/// Rows as files, ordered by path byte-wise. Sorted here rather than with `ORDER BY` because
/// PostgreSQL orders text by the database's collation (`"B" < "a"` in `C`, not in `en_US`), and
/// both backends must list the same order.
fn by_path(rows: Vec<files::Model>) -> Result<Vec<StoredFile>, RepoError> {
    let mut files = rows.into_iter().map(StoredFile::try_from).collect::<Result<Vec<_>, _>>()?;
    files.sort_by(|a, b| a.path.as_str().cmp(b.path.as_str()));
    Ok(files)
}

#[async_trait]
impl FileRepository for SeaOrmFileRepository {
    async fn add_file(&self, file: &NewStoredFile) -> Result<StoredFile, RepoError> {
        // The unique index `files_job_id_path_key` turns a second row for a path into a Conflict;
        // the foreign key refuses a file of an unknown job (a backend error, not a Conflict).
        let row = convert::new_file_model(file).insert(&self.db).await.map_err(repo_err)?;
        Ok(StoredFile::try_from(row)?)
    }

    async fn list_files(&self, job: JobId) -> Result<Vec<StoredFile>, RepoError> {
        let rows = files::Entity::find()
            .filter(files::Column::JobId.eq(job.to_string()))
            .all(&self.db)
            .await
            .map_err(repo_err)?;
        by_path(rows)
    }

    async fn get_file(&self, id: FileId) -> Result<StoredFile, RepoError> {
        let row = files::Entity::find_by_id(id.to_string()).one(&self.db).await.map_err(repo_err)?;
        Ok(StoredFile::try_from(row.ok_or(RepoError::NotFound)?)?)
    }

    async fn delete_file(&self, id: FileId) -> Result<Option<String>, RepoError> {
        let id = id.to_string();
        let tx = begin_write(&self.db).await.map_err(repo_err)?;
        let key: Option<String> = files::Entity::find_by_id(id.as_str())
            .select_only()
            .column(files::Column::StorageKey)
            .into_tuple()
            .one(&tx)
            .await
            .map_err(repo_err)?;
        let key = key.ok_or(RepoError::NotFound)?;
        lock_references(&tx, &BTreeSet::from([key])).await?;
        // RETURNING: the row as deleted, in case it went (or changed) before the lock was taken.
        let deleted = files::Entity::delete_many()
            .filter(files::Column::Id.eq(id))
            .exec_with_returning(&tx)
            .await
            .map_err(repo_err)?;
        let Some(row) = deleted.into_iter().next() else {
            return Err(RepoError::NotFound);
        };
        let orphan = unreferenced(&tx, BTreeSet::from([row.storage_key])).await?.pop();
        tx.commit().await.map_err(repo_err)?;
        Ok(orphan)
    }

    async fn delete_job_files(&self, job: JobId) -> Result<Vec<String>, RepoError> {
        let job = job.to_string();
        let tx = begin_write(&self.db).await.map_err(repo_err)?;
        let keys: Vec<String> = files::Entity::find()
            .select_only()
            .column(files::Column::StorageKey)
            .distinct()
            .filter(files::Column::JobId.eq(job.as_str()))
            .into_tuple()
            .all(&tx)
            .await
            .map_err(repo_err)?;
        if keys.is_empty() {
            return Ok(Vec::new());
        }
        lock_references(&tx, &keys.into_iter().collect()).await?;
        let deleted = files::Entity::delete_many()
            .filter(files::Column::JobId.eq(job))
            .exec_with_returning(&tx)
            .await
            .map_err(repo_err)?;
        let keys: BTreeSet<String> = deleted.into_iter().map(|row| row.storage_key).collect();
        let orphans = unreferenced(&tx, keys).await?;
        tx.commit().await.map_err(repo_err)?;
        Ok(orphans)
    }

    async fn find_completed_source(
        &self,
        infohash: Infohash,
        since: Option<DateTime<Utc>>,
    ) -> Result<Option<Vec<StoredFile>>, RepoError> {
        // One statement, so the job is picked and its files are read from the same snapshot:
        //   SELECT * FROM files WHERE job_id IN (
        //     SELECT id FROM jobs WHERE infohash = ? AND status = 'completed'
        //       [AND completed_at >= ?, only with a cutoff]
        //       AND EXISTS (SELECT 1 FROM files WHERE files.job_id = jobs.id)
        //     ORDER BY completed_at DESC, id DESC LIMIT 1)
        // (`jobs_infohash_status_completed_at_idx` serves the inner query.)
        let has_files = Query::select()
            .expr(Expr::val(1))
            .from(files::Entity)
            .and_where(Expr::col((files::Entity, files::Column::JobId)).equals((jobs::Entity, jobs::Column::Id)))
            .to_owned();
        let source = Query::select()
            .column((jobs::Entity, jobs::Column::Id))
            .from(jobs::Entity)
            .and_where(jobs::Column::Infohash.eq(infohash.to_hex()))
            .and_where(jobs::Column::Status.eq(JobStatus::Completed.as_str()))
            .and_where_option(since.map(|since| jobs::Column::CompletedAt.gte(db_time(since))))
            .and_where(Expr::exists(has_files))
            .order_by((jobs::Entity, jobs::Column::CompletedAt), Order::Desc)
            .order_by((jobs::Entity, jobs::Column::Id), Order::Desc)
            .limit(1)
            .to_owned();
        let rows = files::Entity::find()
            .filter(files::Column::JobId.in_subquery(source))
            .all(&self.db)
            .await
            .map_err(repo_err)?;
        if rows.is_empty() {
            return Ok(None);
        }
        Ok(Some(by_path(rows)?))
    }
}
