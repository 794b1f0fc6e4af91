//! Administration: `audit_logs`, `security_events`, `blocklist`, `feature_flags` (seeded) and
//! `config_changes`.

use sea_orm_migration::{prelude::*, schema::*};

/// Creates the administration tables and seeds the default feature flags.
#[derive(DeriveMigrationName)]
pub(crate) struct Migration;

/// Allowed `security_events.severity` values (mirror of the core `Severity` enum).
const SEVERITIES: [&str; 3] = ["info", "warn", "critical"];

/// Seeded feature flags: key, enabled, description.
const FEATURE_FLAGS: [(&str, bool, &str); 3] = [
    ("registration_open", true, "New accounts can sign up without an invitation."),
    ("magnet_links", true, "Jobs can be created from magnet links."),
    ("torrent_upload", true, "Jobs can be created by uploading a .torrent file."),
];

/// Audit history outlives users, so `actor_id` has no foreign key.
#[derive(DeriveIden)]
enum AuditLogs {
    Table,
    Id,
    ActorId,
    Action,
    TargetType,
    TargetId,
    Metadata,
    Ip,
    CreatedAt,
}

#[derive(DeriveIden)]
enum SecurityEvents {
    Table,
    Id,
    Kind,
    Severity,
    ActorId,
    Ip,
    Payload,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Blocklist {
    Table,
    Infohash,
    Reason,
    AddedBy,
    CreatedAt,
}

#[derive(DeriveIden)]
enum FeatureFlags {
    Table,
    Key,
    Enabled,
    Description,
    UpdatedBy,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum ConfigChanges {
    Table,
    Id,
    Key,
    OldValue,
    NewValue,
    ChangedBy,
    Reason,
    CreatedAt,
}

// `MigrationTrait` elides `SchemaManager`'s lifetime; spelling it `<'_>` here makes it
// early-bound under `async_trait` and fails with E0195 (sea-orm-migration 2.0).
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
                    .table(AuditLogs::Table)
                    .col(string_len(AuditLogs::Id, 36).primary_key())
                    .col(text_null(AuditLogs::ActorId))
                    .col(text(AuditLogs::Action))
                    .col(text(AuditLogs::TargetType))
                    .col(text_null(AuditLogs::TargetId))
                    .col(text(AuditLogs::Metadata))
                    .col(text_null(AuditLogs::Ip))
                    .col(timestamp_with_time_zone(AuditLogs::CreatedAt))
                    .to_owned(),
            )
            .await?;
        for (name, cols) in [
            ("audit_logs_actor_id_idx", vec![AuditLogs::ActorId]),
            ("audit_logs_action_idx", vec![AuditLogs::Action]),
            ("audit_logs_target_idx", vec![AuditLogs::TargetType, AuditLogs::TargetId]),
            ("audit_logs_created_at_idx", vec![AuditLogs::CreatedAt]),
        ] {
            let mut index = Index::create();
            index.name(name).table(AuditLogs::Table);
            for col in cols {
                index.col(col);
            }
            manager.create_index(index).await?;
        }

        manager
            .create_table(
                Table::create()
                    .table(SecurityEvents::Table)
                    .col(string_len(SecurityEvents::Id, 36).primary_key())
                    .col(text(SecurityEvents::Kind))
                    .col(text(SecurityEvents::Severity).check((
                        "security_events_severity_check",
                        Expr::col(SecurityEvents::Severity).is_in(SEVERITIES),
                    )))
                    .col(text_null(SecurityEvents::ActorId))
                    .col(text_null(SecurityEvents::Ip))
                    .col(text(SecurityEvents::Payload))
                    .col(timestamp_with_time_zone(SecurityEvents::CreatedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("security_events_kind_idx")
                    .table(SecurityEvents::Table)
                    .col(SecurityEvents::Kind)
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("security_events_created_at_idx")
                    .table(SecurityEvents::Table)
                    .col(SecurityEvents::CreatedAt)
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Blocklist::Table)
                    .col(string_len(Blocklist::Infohash, 40).primary_key())
                    .col(text(Blocklist::Reason))
                    .col(text_null(Blocklist::AddedBy))
                    .col(timestamp_with_time_zone(Blocklist::CreatedAt))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(FeatureFlags::Table)
                    .col(text(FeatureFlags::Key).primary_key())
                    .col(boolean(FeatureFlags::Enabled))
                    .col(text(FeatureFlags::Description))
                    .col(text_null(FeatureFlags::UpdatedBy))
                    .col(timestamp_with_time_zone(FeatureFlags::UpdatedAt))
                    .to_owned(),
            )
            .await?;
        let now = chrono::Utc::now();
        let mut seed = Query::insert();
        seed.into_table(FeatureFlags::Table).columns([
            FeatureFlags::Key,
            FeatureFlags::Enabled,
            FeatureFlags::Description,
            FeatureFlags::UpdatedAt,
        ]);
        for (key, enabled, description) in FEATURE_FLAGS {
            seed.values([key.into(), enabled.into(), description.into(), now.into()])
                .map_err(|e| DbErr::Migration(format!("seeding feature_flags: {e}")))?;
        }
        manager.execute(seed).await?;

        manager
            .create_table(
                Table::create()
                    .table(ConfigChanges::Table)
                    .col(string_len(ConfigChanges::Id, 36).primary_key())
                    .col(text(ConfigChanges::Key))
                    .col(text_null(ConfigChanges::OldValue))
                    .col(text(ConfigChanges::NewValue))
                    .col(text_null(ConfigChanges::ChangedBy))
                    .col(text(ConfigChanges::Reason))
                    .col(timestamp_with_time_zone(ConfigChanges::CreatedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("config_changes_key_idx")
                    .table(ConfigChanges::Table)
                    .col(ConfigChanges::Key)
                    .to_owned(),
            )
            .await?;

        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            ConfigChanges::Table.into_iden(),
            FeatureFlags::Table.into_iden(),
            Blocklist::Table.into_iden(),
            SecurityEvents::Table.into_iden(),
            AuditLogs::Table.into_iden(),
        ] {
            manager.drop_table(Table::drop().table(table).to_owned()).await?;
        }
        Ok(())
    }
}
