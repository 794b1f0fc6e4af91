//! [`SeaOrmLabelRepository`]: each user's categories and tags, and which of them their jobs
//! carry.

use std::collections::{BTreeSet, HashMap};

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter, QuerySelect, Set, TryInsertResult,
};
use tseeder_core::domain::{JobId, JobLabels, LabelKind, UserId};
use tseeder_core::error::RepoError;
use tseeder_core::ports::LabelRepository;

use super::begin_write;
use crate::convert::{self, db_time};
use crate::entity::{job_labels, jobs, labels};
use crate::error::repo_err;

/// [`LabelRepository`] over sea-orm (SQLite or PostgreSQL).
///
/// The catalogue is `labels`, keyed by `(user_id, kind, name)`; a job's labels are `job_labels`,
/// keyed by `(job_id, user_id, kind, name)`, so adding a name twice is `ON CONFLICT DO NOTHING`.
/// Setting a category is one write transaction that locks the job's row (`SELECT … FOR UPDATE`
/// on PostgreSQL, `BEGIN IMMEDIATE` on SQLite) and the catalogue row it names (`FOR SHARE`), so
/// concurrent callers take turns and a category deleted meanwhile is either refused or deleted
/// from the job too; the partial unique index `job_labels_one_category` backs up the "at most
/// one category" rule. Names are sorted here rather than by SQL `ORDER BY`, so both backends
/// sort by bytes whatever the database's collation.
#[derive(Debug, Clone)]
pub struct SeaOrmLabelRepository {
    db: DatabaseConnection,
}

impl SeaOrmLabelRepository {
    /// An adapter over a migrated database.
    pub fn new(db: DatabaseConnection) -> Self {
        Self { db }
    }
}

/// Locks the job's row until the transaction ends (PostgreSQL); [`RepoError::NotFound`] when
/// there is no such job.
async fn lock_job(conn: &impl ConnectionTrait, job: JobId) -> Result<(), RepoError> {
    let found: Option<String> = jobs::Entity::find_by_id(job.to_string())
        .select_only()
        .column(jobs::Column::Id)
        .lock_exclusive()
        .into_tuple()
        .one(conn)
        .await
        .map_err(repo_err)?;
    found.ok_or(RepoError::NotFound)?;
    Ok(())
}

/// A catalogue row.
fn label_model(user: UserId, kind: LabelKind, name: &str, now: DateTime<Utc>) -> labels::ActiveModel {
    labels::ActiveModel {
        user_id: Set(user.to_string()),
        kind: Set(kind.as_str().to_owned()),
        name: Set(name.to_owned()),
        created_at: Set(db_time(now)),
    }
}

/// A job's label row.
fn job_label_model(
    job: JobId,
    user: UserId,
    kind: LabelKind,
    name: &str,
    now: DateTime<Utc>,
) -> job_labels::ActiveModel {
    job_labels::ActiveModel {
        job_id: Set(job.to_string()),
        user_id: Set(user.to_string()),
        kind: Set(kind.as_str().to_owned()),
        name: Set(name.to_owned()),
        created_at: Set(db_time(now)),
    }
}

#[async_trait]
impl LabelRepository for SeaOrmLabelRepository {
    async fn create_label(
        &self,
        user: UserId,
        kind: LabelKind,
        name: &str,
        now: DateTime<Utc>,
    ) -> Result<bool, RepoError> {
        use labels::Column as C;
        let inserted = labels::Entity::insert(label_model(user, kind, name, now))
            .on_conflict_do_nothing_on([C::UserId, C::Kind, C::Name])
            .exec_without_returning(&self.db)
            .await
            .map_err(repo_err)?;
        Ok(matches!(inserted, TryInsertResult::Inserted(rows) if rows > 0))
    }

    async fn list_labels(&self, user: UserId, kind: LabelKind) -> Result<Vec<String>, RepoError> {
        let mut names: Vec<String> = labels::Entity::find()
            .select_only()
            .column(labels::Column::Name)
            .filter(labels::Column::UserId.eq(user.to_string()))
            .filter(labels::Column::Kind.eq(kind.as_str()))
            .into_tuple()
            .all(&self.db)
            .await
            .map_err(repo_err)?;
        names.sort();
        Ok(names)
    }

    async fn delete_labels(&self, user: UserId, kind: LabelKind, names: &[String]) -> Result<(), RepoError> {
        if names.is_empty() {
            return Ok(());
        }
        let user = user.to_string();
        let tx = begin_write(&self.db).await.map_err(repo_err)?;
        // The catalogue first: its row locks make a concurrent `set_job_category` of one of these
        // names wait, then find the name gone (PostgreSQL).
        labels::Entity::delete_many()
            .filter(labels::Column::UserId.eq(user.as_str()))
            .filter(labels::Column::Kind.eq(kind.as_str()))
            .filter(labels::Column::Name.is_in(names.iter().map(String::as_str)))
            .exec(&tx)
            .await
            .map_err(repo_err)?;
        job_labels::Entity::delete_many()
            .filter(job_labels::Column::UserId.eq(user.as_str()))
            .filter(job_labels::Column::Kind.eq(kind.as_str()))
            .filter(job_labels::Column::Name.is_in(names.iter().map(String::as_str)))
            .exec(&tx)
            .await
            .map_err(repo_err)?;
        tx.commit().await.map_err(repo_err)
    }

    async fn set_job_category(
        &self,
        user: UserId,
        job: JobId,
        category: Option<&str>,
        now: DateTime<Utc>,
    ) -> Result<(), RepoError> {
        let kind = LabelKind::Category.as_str();
        let tx = begin_write(&self.db).await.map_err(repo_err)?;
        // Every early return drops `tx`, which rolls it back: a refused call changes nothing.
        if let Some(name) = category {
            let known: Option<String> = labels::Entity::find()
                .select_only()
                .column(labels::Column::Name)
                .filter(labels::Column::UserId.eq(user.to_string()))
                .filter(labels::Column::Kind.eq(kind))
                .filter(labels::Column::Name.eq(name))
                .lock_shared()
                .into_tuple()
                .one(&tx)
                .await
                .map_err(repo_err)?;
            if known.is_none() {
                return Err(RepoError::NotFound);
            }
        }
        // Concurrent callers on this job wait here for each other's commit.
        lock_job(&tx, job).await?;
        job_labels::Entity::delete_many()
            .filter(job_labels::Column::JobId.eq(job.to_string()))
            .filter(job_labels::Column::UserId.eq(user.to_string()))
            .filter(job_labels::Column::Kind.eq(kind))
            .exec(&tx)
            .await
            .map_err(repo_err)?;
        if let Some(name) = category {
            job_labels::Entity::insert(job_label_model(job, user, LabelKind::Category, name, now))
                .exec_without_returning(&tx)
                .await
                .map_err(repo_err)?;
        }
        tx.commit().await.map_err(repo_err)
    }

    async fn add_job_tags(
        &self,
        user: UserId,
        job: JobId,
        tags: &[String],
        now: DateTime<Utc>,
    ) -> Result<(), RepoError> {
        if tags.is_empty() {
            return Ok(());
        }
        let tags: BTreeSet<&str> = tags.iter().map(String::as_str).collect();
        let tx = begin_write(&self.db).await.map_err(repo_err)?;
        lock_job(&tx, job).await?;
        for tag in tags {
            labels::Entity::insert(label_model(user, LabelKind::Tag, tag, now))
                .on_conflict_do_nothing_on([labels::Column::UserId, labels::Column::Kind, labels::Column::Name])
                .exec_without_returning(&tx)
                .await
                .map_err(repo_err)?;
            job_labels::Entity::insert(job_label_model(job, user, LabelKind::Tag, tag, now))
                .on_conflict_do_nothing_on([
                    job_labels::Column::JobId,
                    job_labels::Column::UserId,
                    job_labels::Column::Kind,
                    job_labels::Column::Name,
                ])
                .exec_without_returning(&tx)
                .await
                .map_err(repo_err)?;
        }
        tx.commit().await.map_err(repo_err)
    }

    async fn remove_job_tags(&self, user: UserId, job: JobId, tags: &[String]) -> Result<(), RepoError> {
        let mut delete = job_labels::Entity::delete_many()
            .filter(job_labels::Column::JobId.eq(job.to_string()))
            .filter(job_labels::Column::UserId.eq(user.to_string()))
            .filter(job_labels::Column::Kind.eq(LabelKind::Tag.as_str()));
        // An empty list removes every tag of the job's.
        if !tags.is_empty() {
            delete = delete.filter(job_labels::Column::Name.is_in(tags.iter().map(String::as_str)));
        }
        delete.exec(&self.db).await.map_err(repo_err)?;
        Ok(())
    }

    async fn job_labels(&self, user: UserId, jobs: &[JobId]) -> Result<HashMap<JobId, JobLabels>, RepoError> {
        if jobs.is_empty() {
            return Ok(HashMap::new());
        }
        let rows = job_labels::Entity::find()
            .filter(job_labels::Column::UserId.eq(user.to_string()))
            .filter(job_labels::Column::JobId.is_in(jobs.iter().map(ToString::to_string)))
            .all(&self.db)
            .await
            .map_err(repo_err)?;
        let mut found: HashMap<JobId, JobLabels> = HashMap::new();
        for row in rows {
            let job: JobId = convert::parse("job_labels", "job_id", &row.job_id)?;
            let entry = found.entry(job).or_default();
            match convert::parse::<LabelKind>("job_labels", "kind", &row.kind)? {
                LabelKind::Category => entry.category = Some(row.name),
                LabelKind::Tag => entry.tags.push(row.name),
            }
        }
        for entry in found.values_mut() {
            entry.tags.sort();
        }
        Ok(found)
    }
}
