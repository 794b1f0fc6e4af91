//! Accounts: `plans` (seeded), `users`, `sessions`, `api_keys` and `plan_assignments`.

use sea_orm_migration::{prelude::*, schema::*};

/// Creates the account tables and seeds the four plans.
#[derive(DeriveMigrationName)]
pub(crate) struct Migration;

/// Allowed `users.role` values (mirror of the core `Role` enum).
const ROLES: [&str; 4] = ["user", "support", "admin", "superadmin"];

/// One seeded plan. `-1` means unlimited.
struct SeedPlan {
    id: &'static str,
    name: &'static str,
    max_jobs: i32,
    max_storage_bytes: i64,
    max_file_size_bytes: i64,
    bandwidth_bytes: i64,
    retention_days: i32,
    price_cents: i32,
}

/// The plans every installation starts with.
const PLANS: [SeedPlan; 4] = [
    SeedPlan {
        id: "free",
        name: "Free",
        max_jobs: 2,
        max_storage_bytes: 5_000_000_000,
        max_file_size_bytes: 500_000_000,
        bandwidth_bytes: 50_000_000_000,
        retention_days: 7,
        price_cents: 0,
    },
    SeedPlan {
        id: "pro",
        name: "Pro",
        max_jobs: 10,
        max_storage_bytes: 50_000_000_000,
        max_file_size_bytes: 5_120_000_000,
        bandwidth_bytes: 500_000_000_000,
        retention_days: 30,
        price_cents: 900,
    },
    SeedPlan {
        id: "business",
        name: "Business",
        max_jobs: 50,
        max_storage_bytes: 500_000_000_000,
        max_file_size_bytes: 25_600_000_000,
        bandwidth_bytes: 5_000_000_000_000,
        retention_days: 90,
        price_cents: 2900,
    },
    SeedPlan {
        id: "enterprise",
        name: "Enterprise",
        max_jobs: -1,
        max_storage_bytes: -1,
        max_file_size_bytes: -1,
        bandwidth_bytes: -1,
        retention_days: -1,
        price_cents: 0,
    },
];

#[derive(DeriveIden)]
enum Plans {
    Table,
    Id,
    Name,
    MaxJobs,
    MaxStorageBytes,
    MaxFileSizeBytes,
    BandwidthBytes,
    RetentionDays,
    PriceCents,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Users {
    Table,
    Id,
    Email,
    PasswordHash,
    Role,
    Suspended,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum Sessions {
    Table,
    Id,
    UserId,
    TokenHash,
    Ip,
    UserAgent,
    CreatedAt,
    ExpiresAt,
    LastSeenAt,
}

#[derive(DeriveIden)]
enum ApiKeys {
    Table,
    Id,
    UserId,
    Name,
    Prefix,
    KeyHash,
    Scopes,
    CreatedAt,
    LastUsedAt,
    ExpiresAt,
    RevokedAt,
}

#[derive(DeriveIden)]
enum PlanAssignments {
    Table,
    Id,
    UserId,
    PlanId,
    StartedAt,
    ExpiresAt,
}

// `MigrationTrait` elides `SchemaManager`'s lifetime; spelling it `<'_>` here makes it
// early-bound under `async_trait` and fails with E0195 (sea-orm-migration 2.0).
#[expect(elided_lifetimes_in_paths, reason = "must match MigrationTrait's signature")]
#[async_trait::async_trait]
impl MigrationTrait for Migration {
    fn use_transaction(&self) -> Option<bool> {
        // SQLite DDL is transactional too: a failed step must not leave half a schema behind.
        Some(true)
    }

    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Plans::Table)
                    .col(string_len(Plans::Id, 36).primary_key())
                    .col(text_uniq(Plans::Name))
                    .col(integer(Plans::MaxJobs))
                    .col(big_integer(Plans::MaxStorageBytes))
                    .col(big_integer(Plans::MaxFileSizeBytes))
                    .col(big_integer(Plans::BandwidthBytes))
                    .col(integer(Plans::RetentionDays))
                    .col(integer(Plans::PriceCents))
                    .col(timestamp_with_time_zone(Plans::CreatedAt))
                    .to_owned(),
            )
            .await?;

        let now = chrono::Utc::now();
        let mut seed = Query::insert();
        seed.into_table(Plans::Table).columns([
            Plans::Id,
            Plans::Name,
            Plans::MaxJobs,
            Plans::MaxStorageBytes,
            Plans::MaxFileSizeBytes,
            Plans::BandwidthBytes,
            Plans::RetentionDays,
            Plans::PriceCents,
            Plans::CreatedAt,
        ]);
        for plan in PLANS {
            seed.values([
                plan.id.into(),
                plan.name.into(),
                plan.max_jobs.into(),
                plan.max_storage_bytes.into(),
                plan.max_file_size_bytes.into(),
                plan.bandwidth_bytes.into(),
                plan.retention_days.into(),
                plan.price_cents.into(),
                now.into(),
            ])
            .map_err(|e| DbErr::Migration(format!("seeding plans: {e}")))?;
        }
        manager.execute(seed).await?;

        manager
            .create_table(
                Table::create()
                    .table(Users::Table)
                    .col(string_len(Users::Id, 36).primary_key())
                    .col(text_uniq(Users::Email))
                    .col(text(Users::PasswordHash))
                    .col(
                        text(Users::Role)
                            .default("user")
                            .check(("users_role_check", Expr::col(Users::Role).is_in(ROLES))),
                    )
                    .col(boolean(Users::Suspended).default(false))
                    .col(timestamp_with_time_zone(Users::CreatedAt))
                    .col(timestamp_with_time_zone(Users::UpdatedAt))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Sessions::Table)
                    .col(string_len(Sessions::Id, 36).primary_key())
                    .col(string_len(Sessions::UserId, 36))
                    .col(text_uniq(Sessions::TokenHash))
                    .col(text_null(Sessions::Ip))
                    .col(text_null(Sessions::UserAgent))
                    .col(timestamp_with_time_zone(Sessions::CreatedAt))
                    .col(timestamp_with_time_zone(Sessions::ExpiresAt))
                    .col(timestamp_with_time_zone(Sessions::LastSeenAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("sessions_user_id_fkey")
                            .from(Sessions::Table, Sessions::UserId)
                            .to(Users::Table, Users::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create().name("sessions_user_id_idx").table(Sessions::Table).col(Sessions::UserId).to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("sessions_expires_at_idx")
                    .table(Sessions::Table)
                    .col(Sessions::ExpiresAt)
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(ApiKeys::Table)
                    .col(string_len(ApiKeys::Id, 36).primary_key())
                    .col(string_len(ApiKeys::UserId, 36))
                    .col(text(ApiKeys::Name))
                    .col(text(ApiKeys::Prefix))
                    .col(text_uniq(ApiKeys::KeyHash))
                    .col(text(ApiKeys::Scopes))
                    .col(timestamp_with_time_zone(ApiKeys::CreatedAt))
                    .col(timestamp_with_time_zone_null(ApiKeys::LastUsedAt))
                    .col(timestamp_with_time_zone_null(ApiKeys::ExpiresAt))
                    .col(timestamp_with_time_zone_null(ApiKeys::RevokedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("api_keys_user_id_fkey")
                            .from(ApiKeys::Table, ApiKeys::UserId)
                            .to(Users::Table, Users::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create().name("api_keys_user_id_idx").table(ApiKeys::Table).col(ApiKeys::UserId).to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(PlanAssignments::Table)
                    .col(string_len(PlanAssignments::Id, 36).primary_key())
                    .col(string_len(PlanAssignments::UserId, 36))
                    .col(string_len(PlanAssignments::PlanId, 36))
                    .col(timestamp_with_time_zone(PlanAssignments::StartedAt))
                    .col(timestamp_with_time_zone_null(PlanAssignments::ExpiresAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("plan_assignments_user_id_fkey")
                            .from(PlanAssignments::Table, PlanAssignments::UserId)
                            .to(Users::Table, Users::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("plan_assignments_plan_id_fkey")
                            .from(PlanAssignments::Table, PlanAssignments::PlanId)
                            .to(Plans::Table, Plans::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("plan_assignments_user_id_started_at_idx")
                    .table(PlanAssignments::Table)
                    .col(PlanAssignments::UserId)
                    .col(PlanAssignments::StartedAt)
                    .to_owned(),
            )
            .await?;

        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // Children first; dropping a table drops its indexes on both backends.
        for table in [
            PlanAssignments::Table.into_iden(),
            ApiKeys::Table.into_iden(),
            Sessions::Table.into_iden(),
            Users::Table.into_iden(),
            Plans::Table.into_iden(),
        ] {
            manager.drop_table(Table::drop().table(table).to_owned()).await?;
        }
        Ok(())
    }
}
