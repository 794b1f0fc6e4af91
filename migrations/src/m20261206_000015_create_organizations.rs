//! Organizations: `organizations`, `org_members` and `org_invites`, plus email verification
//! (`users.email_verified_at` and `email_verifications`, one row per link sent).
//!
//! Every user owns a personal organization whose id is the user's id. The accounts that exist
//! when this migration runs get theirs here, with the user as owner; later ones get it from the
//! account repository, in the same transaction as the user. Existing accounts start unverified.
//!
//! Only the SHA-256 of emailed tokens (invites, verifications) is stored.

use sea_orm_migration::sea_orm::ConnectionTrait;
use sea_orm_migration::{prelude::*, schema::*};

/// Creates the organization tables and wraps every existing user in a personal organization.
#[derive(DeriveMigrationName)]
pub(crate) struct Migration;

/// Allowed `org_members.role` and `org_invites.role` values (mirror of the core `OrgRole`).
const ORG_ROLES: [&str; 3] = ["member", "admin", "owner"];

/// One personal organization per existing user: id, creation time and the slug
/// `OrgSlug::personal` gives (`u-` and the first 12 hex digits of the id). `TRUE` is a keyword
/// on PostgreSQL and the integer 1 on SQLite (3.23+), which is how both backends store a bool.
const WRAP_USERS: &str = "INSERT INTO organizations (id, name, slug, personal, created_at) \
     SELECT id, 'Personal', 'u-' || substr(replace(id, '-', ''), 1, 12), TRUE, created_at FROM users";

/// Each existing user owns their personal organization since they registered.
const OWN_PERSONAL: &str = "INSERT INTO org_members (org_id, user_id, role, joined_at) \
     SELECT id, id, 'owner', created_at FROM users";

#[derive(DeriveIden)]
enum Users {
    Table,
    Id,
    EmailVerifiedAt,
}

#[derive(DeriveIden)]
enum Organizations {
    Table,
    Id,
    Name,
    Slug,
    Personal,
    CreatedAt,
}

#[derive(DeriveIden)]
enum OrgMembers {
    Table,
    OrgId,
    UserId,
    Role,
    JoinedAt,
}

#[derive(DeriveIden)]
enum OrgInvites {
    Table,
    Id,
    OrgId,
    Email,
    Role,
    TokenHash,
    InvitedBy,
    CreatedAt,
    SentAt,
    ExpiresAt,
    AcceptedAt,
    AcceptedBy,
    RevokedAt,
}

#[derive(DeriveIden)]
enum EmailVerifications {
    Table,
    TokenHash,
    UserId,
    Email,
    CreatedAt,
    ExpiresAt,
    UsedAt,
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
            .alter_table(
                Table::alter()
                    .table(Users::Table)
                    .add_column(timestamp_with_time_zone_null(Users::EmailVerifiedAt))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Organizations::Table)
                    .col(string_len(Organizations::Id, 36).primary_key())
                    .col(text(Organizations::Name))
                    .col(string_len_uniq(Organizations::Slug, 40))
                    .col(boolean(Organizations::Personal).default(false))
                    .col(timestamp_with_time_zone(Organizations::CreatedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("organizations_created_at_idx")
                    .table(Organizations::Table)
                    .col(Organizations::CreatedAt)
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(OrgMembers::Table)
                    .col(string_len(OrgMembers::OrgId, 36))
                    .col(string_len(OrgMembers::UserId, 36))
                    .col(
                        text(OrgMembers::Role)
                            .check(("org_members_role_check", Expr::col(OrgMembers::Role).is_in(ORG_ROLES))),
                    )
                    .col(timestamp_with_time_zone(OrgMembers::JoinedAt))
                    .primary_key(Index::create().col(OrgMembers::OrgId).col(OrgMembers::UserId))
                    .foreign_key(
                        ForeignKey::create()
                            .name("org_members_org_id_fkey")
                            .from(OrgMembers::Table, OrgMembers::OrgId)
                            .to(Organizations::Table, Organizations::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("org_members_user_id_fkey")
                            .from(OrgMembers::Table, OrgMembers::UserId)
                            .to(Users::Table, Users::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("org_members_user_id_idx")
                    .table(OrgMembers::Table)
                    .col(OrgMembers::UserId)
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(OrgInvites::Table)
                    .col(string_len(OrgInvites::Id, 36).primary_key())
                    .col(string_len(OrgInvites::OrgId, 36))
                    .col(text(OrgInvites::Email))
                    .col(
                        text(OrgInvites::Role)
                            .check(("org_invites_role_check", Expr::col(OrgInvites::Role).is_in(ORG_ROLES))),
                    )
                    .col(text_uniq(OrgInvites::TokenHash))
                    .col(string_len(OrgInvites::InvitedBy, 36))
                    .col(timestamp_with_time_zone(OrgInvites::CreatedAt))
                    .col(timestamp_with_time_zone(OrgInvites::SentAt))
                    .col(timestamp_with_time_zone(OrgInvites::ExpiresAt))
                    .col(timestamp_with_time_zone_null(OrgInvites::AcceptedAt))
                    .col(string_len_null(OrgInvites::AcceptedBy, 36))
                    .col(timestamp_with_time_zone_null(OrgInvites::RevokedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("org_invites_org_id_fkey")
                            .from(OrgInvites::Table, OrgInvites::OrgId)
                            .to(Organizations::Table, Organizations::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("org_invites_invited_by_fkey")
                            .from(OrgInvites::Table, OrgInvites::InvitedBy)
                            .to(Users::Table, Users::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("org_invites_accepted_by_fkey")
                            .from(OrgInvites::Table, OrgInvites::AcceptedBy)
                            .to(Users::Table, Users::Id)
                            .on_delete(ForeignKeyAction::SetNull),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("org_invites_org_id_email_idx")
                    .table(OrgInvites::Table)
                    .col(OrgInvites::OrgId)
                    .col(OrgInvites::Email)
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(EmailVerifications::Table)
                    .col(text(EmailVerifications::TokenHash).primary_key())
                    .col(string_len(EmailVerifications::UserId, 36))
                    .col(text(EmailVerifications::Email))
                    .col(timestamp_with_time_zone(EmailVerifications::CreatedAt))
                    .col(timestamp_with_time_zone(EmailVerifications::ExpiresAt))
                    .col(timestamp_with_time_zone_null(EmailVerifications::UsedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("email_verifications_user_id_fkey")
                            .from(EmailVerifications::Table, EmailVerifications::UserId)
                            .to(Users::Table, Users::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("email_verifications_user_id_idx")
                    .table(EmailVerifications::Table)
                    .col(EmailVerifications::UserId)
                    .to_owned(),
            )
            .await?;

        // The same SQL runs on both backends (see WRAP_USERS).
        let db = manager.get_connection();
        db.execute_unprepared(WRAP_USERS).await?;
        db.execute_unprepared(OWN_PERSONAL).await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // Children first; dropping a table drops its indexes on both backends.
        for table in [
            EmailVerifications::Table.into_iden(),
            OrgInvites::Table.into_iden(),
            OrgMembers::Table.into_iden(),
            Organizations::Table.into_iden(),
        ] {
            manager.drop_table(Table::drop().table(table).to_owned()).await?;
        }
        // SQLite has DROP COLUMN since 3.35, the version the storage crate already requires.
        manager.alter_table(Table::alter().table(Users::Table).drop_column(Users::EmailVerifiedAt).to_owned()).await
    }
}
