//! Categories and tags: `labels`, each user's catalogue of them, and `job_labels`, which of a
//! user's labels each job carries.
//!
//! Both are per user: a job of an organization can carry labels of several of its members, each
//! seeing only their own. `kind` is `category` or `tag`; names are compared exactly. A job has at
//! most one category per user, which the partial unique index `job_labels_one_category` backs.
//! Rows go with their user and their job (`ON DELETE CASCADE`); the repositories also delete
//! them explicitly, so nothing depends on `PRAGMA foreign_keys`.

use sea_orm_migration::{prelude::*, schema::*};

/// Creates the label tables.
#[derive(DeriveMigrationName)]
pub(crate) struct Migration;

/// Allowed `kind` values (mirror of the core `LabelKind`).
const LABEL_KINDS: [&str; 2] = ["category", "tag"];

/// The kind a job has at most one of (per user).
const CATEGORY: [&str; 1] = ["category"];

#[derive(DeriveIden)]
enum Users {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Jobs {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Labels {
    Table,
    UserId,
    Kind,
    Name,
    CreatedAt,
}

#[derive(DeriveIden)]
enum JobLabels {
    Table,
    JobId,
    UserId,
    Kind,
    Name,
    CreatedAt,
}

// See m20261125_000002_create_jobs.rs for why the lifetime stays elided.
#[expect(elided_lifetimes_in_paths, reason = "must match MigrationTrait's signature")]
#[async_trait::async_trait]
impl MigrationTrait for Migration {
    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }

    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Labels::Table)
                    .col(string_len(Labels::UserId, 36))
                    .col(text(Labels::Kind).check(("labels_kind_check", Expr::col(Labels::Kind).is_in(LABEL_KINDS))))
                    .col(text(Labels::Name))
                    .col(timestamp_with_time_zone(Labels::CreatedAt))
                    .primary_key(Index::create().col(Labels::UserId).col(Labels::Kind).col(Labels::Name))
                    .foreign_key(
                        ForeignKey::create()
                            .name("labels_user_id_fkey")
                            .from(Labels::Table, Labels::UserId)
                            .to(Users::Table, Users::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(JobLabels::Table)
                    .col(string_len(JobLabels::JobId, 36))
                    .col(string_len(JobLabels::UserId, 36))
                    .col(
                        text(JobLabels::Kind)
                            .check(("job_labels_kind_check", Expr::col(JobLabels::Kind).is_in(LABEL_KINDS))),
                    )
                    .col(text(JobLabels::Name))
                    .col(timestamp_with_time_zone(JobLabels::CreatedAt))
                    .primary_key(
                        Index::create()
                            .col(JobLabels::JobId)
                            .col(JobLabels::UserId)
                            .col(JobLabels::Kind)
                            .col(JobLabels::Name),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("job_labels_job_id_fkey")
                            .from(JobLabels::Table, JobLabels::JobId)
                            .to(Jobs::Table, Jobs::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("job_labels_user_id_fkey")
                            .from(JobLabels::Table, JobLabels::UserId)
                            .to(Users::Table, Users::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        // The job list's label filter: `job_id IN (SELECT job_id … WHERE user_id, kind, name)`.
        manager
            .create_index(
                Index::create()
                    .name("job_labels_user_id_kind_name_idx")
                    .table(JobLabels::Table)
                    .col(JobLabels::UserId)
                    .col(JobLabels::Kind)
                    .col(JobLabels::Name)
                    .to_owned(),
            )
            .await?;
        // At most one category per job and user. The predicate is constant, so it is a valid
        // partial index on both backends (see `jobs_user_infohash_live`).
        manager
            .create_index(
                Index::create()
                    .name("job_labels_one_category")
                    .table(JobLabels::Table)
                    .col(JobLabels::JobId)
                    .col(JobLabels::UserId)
                    .unique()
                    .and_where(Expr::col(JobLabels::Kind).is_in(CATEGORY))
                    .to_owned(),
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // Dropping a table drops its indexes on both backends.
        for table in [JobLabels::Table.into_iden(), Labels::Table.into_iden()] {
            manager.drop_table(Table::drop().table(table).to_owned()).await?;
        }
        Ok(())
    }
}
