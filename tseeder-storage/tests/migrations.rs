//! The schema on every configured backend: SQLite always, PostgreSQL when
//! `TSEEDER_TEST_DATABASE_URL` is set.
//!
//! Checks that the migrations round-trip (`up` → `down` → `up`), that the seeds are there, that
//! every CHECK list accepts exactly its values, that `jobs_org_user_infohash_live` lets a user
//! retry a torrent in an organization only after the previous job there failed or was cancelled,
//! that accounts made before organizations existed get their personal organization, and that
//! their jobs and API keys are then their personal organization's.

use chrono::Utc;
use sea_orm::sea_query::{Expr, ExprTrait, Query};
use sea_orm::{ConnectionTrait, DatabaseConnection, DbErr, ExecResult, SqlErr, Statement, Value};
use tseeder_core::domain::{OrgSlug, UserId};
use tseeder_migrations::{Migrator, MigratorTrait};
use tseeder_storage::testing::TestDb;

const USER_ID: &str = "00000000-0000-4000-8000-000000000001";
/// The personal organization of `USER_ID` (the same id), where `insert_job` puts jobs.
const ORG_ID: &str = USER_ID;
const INFOHASH: &str = "0123456789abcdef0123456789abcdef01234567";

/// Inserts one row built from `(column, value)` pairs; the builder picks the right placeholders
/// for the backend.
async fn insert(
    db: &DatabaseConnection,
    table: &'static str,
    row: Vec<(&'static str, Value)>,
) -> Result<ExecResult, DbErr> {
    let (columns, values): (Vec<_>, Vec<_>) = row.into_iter().unzip();
    let stmt =
        Query::insert().into_table(table).columns(columns).values_panic(values.into_iter().map(Expr::val)).to_owned();
    db.execute(&stmt).await
}

fn uuid() -> Value {
    uuid::Uuid::new_v4().to_string().into()
}

async fn insert_user(db: &DatabaseConnection, id: &str, role: &str) -> Result<ExecResult, DbErr> {
    insert(
        db,
        "users",
        vec![
            ("id", id.into()),
            ("email", format!("{id}@example.test").into()),
            ("password_hash", "$argon2id$stub".into()),
            ("role", role.into()),
            ("created_at", Utc::now().into()),
            ("updated_at", Utc::now().into()),
        ],
    )
    .await
}

/// An organization row (`organizations.personal` is left to its default), as the account
/// repository would make one.
async fn insert_org(db: &DatabaseConnection, id: &str, slug: &str) -> Result<ExecResult, DbErr> {
    insert(
        db,
        "organizations",
        vec![("id", id.into()), ("name", "Org".into()), ("slug", slug.into()), ("created_at", Utc::now().into())],
    )
    .await
}

/// `USER_ID` with their personal organization, the owner of the jobs `insert_job` makes.
async fn insert_owner(db: &DatabaseConnection) {
    insert_user(db, USER_ID, "user").await.expect("owner of the jobs");
    insert_org(db, ORG_ID, "owner").await.expect("their personal organization");
}

async fn insert_job(
    db: &DatabaseConnection,
    id: &str,
    infohash: &str,
    status: &str,
    source_kind: &str,
) -> Result<ExecResult, DbErr> {
    insert_job_in(db, ORG_ID, id, infohash, status, source_kind).await
}

/// A job of `USER_ID` in the organization `org`.
async fn insert_job_in(
    db: &DatabaseConnection,
    org: &str,
    id: &str,
    infohash: &str,
    status: &str,
    source_kind: &str,
) -> Result<ExecResult, DbErr> {
    insert(
        db,
        "jobs",
        vec![
            ("id", id.into()),
            ("user_id", USER_ID.into()),
            ("org_id", org.into()),
            ("name", "ubuntu.iso".into()),
            ("status", status.into()),
            ("source_kind", source_kind.into()),
            ("magnet_uri", format!("magnet:?xt=urn:btih:{infohash}").into()),
            ("infohash", infohash.into()),
            ("created_at", Utc::now().into()),
            ("updated_at", Utc::now().into()),
        ],
    )
    .await
}

fn heartbeat_row(status: &str) -> Vec<(&'static str, Value)> {
    vec![
        ("id", uuid()),
        ("worker_id", "agent-1".into()),
        ("status", status.into()),
        ("active_jobs", 0i32.into()),
        ("max_jobs", 4i32.into()),
        ("disk_free_bytes", 1i64.into()),
        ("disk_total_bytes", 2i64.into()),
        ("cpu_pct", 12.5f64.into()),
        ("bandwidth_bps", 0i64.into()),
        ("created_at", Utc::now().into()),
    ]
}

fn worker_row(id: &str, status: &str) -> Vec<(&'static str, Value)> {
    vec![
        ("id", id.into()),
        ("region", "eu".into()),
        ("base_url", "http://127.0.0.1:1".into()),
        ("version", "0.1.0".into()),
        ("status", status.into()),
        ("active_jobs", 0i32.into()),
        ("max_jobs", 4i32.into()),
        ("disk_free_bytes", 1i64.into()),
        ("disk_total_bytes", 2i64.into()),
        ("cpu_pct", 12.5f64.into()),
        ("bandwidth_bps", 0i64.into()),
        ("last_heartbeat_at", Utc::now().into()),
        ("registered_at", Utc::now().into()),
    ]
}

fn security_event_row(severity: &str) -> Vec<(&'static str, Value)> {
    vec![
        ("id", uuid()),
        ("kind", "login_failed".into()),
        ("severity", severity.into()),
        ("payload", "{}".into()),
        ("created_at", Utc::now().into()),
    ]
}

/// A subscription of the organization `org` to the seeded plan `pro`.
fn subscription_row(org: &str, status: &str) -> Vec<(&'static str, Value)> {
    vec![
        ("org_id", org.into()),
        ("customer_id", "cus_1".into()),
        ("subscription_id", "sub_1".into()),
        ("plan_id", "pro".into()),
        ("status", status.into()),
        ("event_at", Utc::now().into()),
        ("updated_at", Utc::now().into()),
    ]
}

fn queue_message_row(state: &str) -> Vec<(&'static str, Value)> {
    vec![
        ("id", uuid()),
        ("queue", "jobs".into()),
        ("payload", "{}".into()),
        ("state", state.into()),
        ("max_attempts", 5i32.into()),
        ("visible_at", 1_700_000_000_000i64.into()),
        ("created_at", 1_700_000_000_000i64.into()),
    ]
}

/// Asserts that `result` failed because of the CHECK constraint `constraint`. Both backends name
/// the violated constraint in the message.
fn assert_check_violation(result: Result<ExecResult, DbErr>, constraint: &str, backend: &str) {
    match result {
        Ok(_) => panic!("{backend}: {constraint} accepted an unknown value"),
        Err(e) => assert!(e.to_string().contains(constraint), "{backend}: expected a {constraint} violation, got: {e}"),
    }
}

fn assert_unique_violation(result: Result<ExecResult, DbErr>, backend: &str) {
    match result {
        Ok(_) => panic!("{backend}: duplicate live job accepted"),
        Err(e) => assert!(
            matches!(e.sql_err(), Some(SqlErr::UniqueConstraintViolation(_))),
            "{backend}: expected a unique violation, got: {e}"
        ),
    }
}

async fn count(db: &DatabaseConnection, sql: &str) -> i64 {
    let row = db
        .query_one_raw(Statement::from_string(db.get_database_backend(), sql))
        .await
        .expect("count query")
        .expect("count row");
    row.try_get_by_index::<i64>(0).expect("count value")
}

#[tokio::test]
async fn migrations_round_trip_when_reverted_and_reapplied() {
    for test_db in TestDb::all().await {
        let (db, backend) = (&test_db.db, test_db.backend_name);
        let migrations = Migrator::migrations().len();
        assert_eq!(
            Migrator::get_applied_migrations(db).await.expect("status").len(),
            migrations,
            "{backend}: all migrations applied"
        );

        Migrator::down(db, None).await.expect("down(all)");
        assert!(
            Migrator::get_applied_migrations(db).await.expect("status").is_empty(),
            "{backend}: nothing applied after down(all)"
        );
        for table in [
            "plans",
            "users",
            "jobs",
            "feature_flags",
            "workers",
            "queue_messages",
            "api_metrics",
            "system_snapshots",
            "password_resets",
            "organizations",
            "org_members",
            "org_invites",
            "email_verifications",
            "billing_customers",
            "subscriptions",
            "billing_events",
            "bandwidth_usage",
        ] {
            let probe = db
                .query_one_raw(Statement::from_string(db.get_database_backend(), format!("SELECT 1 FROM {table}")))
                .await;
            assert!(probe.is_err(), "{backend}: {table} survived down(all)");
        }

        Migrator::up(db, None).await.expect("up(all) again");
        assert!(
            Migrator::get_pending_migrations(db).await.expect("status").is_empty(),
            "{backend}: nothing pending after up(all)"
        );
        assert_eq!(count(db, "SELECT COUNT(*) FROM plans").await, 4, "{backend}");
        assert_eq!(count(db, "SELECT COUNT(*) FROM feature_flags").await, 3, "{backend}");
        test_db.cleanup().await;
    }
}

#[tokio::test]
async fn plans_are_seeded_with_their_limits_when_migrated() {
    // (id, jobs, storage, max file, bandwidth, retention days, price cents)
    let expected: [(&str, i32, i64, i64, i64, i32, i32); 4] = [
        ("business", 50, 500_000_000_000, 25_600_000_000, 5_000_000_000_000, 90, 2900),
        ("enterprise", -1, -1, -1, -1, -1, 0),
        ("free", 2, 5_000_000_000, 500_000_000, 50_000_000_000, 7, 0),
        ("pro", 10, 50_000_000_000, 5_120_000_000, 500_000_000_000, 30, 900),
    ];
    for test_db in TestDb::all().await {
        let (db, backend) = (&test_db.db, test_db.backend_name);
        let rows = db
            .query_all_raw(Statement::from_string(
                db.get_database_backend(),
                "SELECT id, max_jobs, max_storage_bytes, max_file_size_bytes, bandwidth_bytes, \
                 retention_days, price_cents FROM plans ORDER BY id",
            ))
            .await
            .expect("select plans");
        let actual: Vec<(String, i32, i64, i64, i64, i32, i32)> = rows
            .iter()
            .map(|row| {
                (
                    row.try_get("", "id").expect("id"),
                    row.try_get("", "max_jobs").expect("max_jobs"),
                    row.try_get("", "max_storage_bytes").expect("max_storage_bytes"),
                    row.try_get("", "max_file_size_bytes").expect("max_file_size_bytes"),
                    row.try_get("", "bandwidth_bytes").expect("bandwidth_bytes"),
                    row.try_get("", "retention_days").expect("retention_days"),
                    row.try_get("", "price_cents").expect("price_cents"),
                )
            })
            .collect();
        let expected: Vec<_> =
            expected.iter().map(|&(id, j, s, f, b, r, p)| (id.to_owned(), j, s, f, b, r, p)).collect();
        assert_eq!(actual, expected, "{backend}");

        let enabled = count(db, "SELECT COUNT(*) FROM feature_flags WHERE enabled = TRUE").await;
        assert_eq!(enabled, 3, "{backend}: seeded feature flags are enabled");
        test_db.cleanup().await;
    }
}

#[tokio::test]
async fn check_constraints_accept_listed_values_and_reject_unknown_ones() {
    for test_db in TestDb::all().await {
        let (db, backend) = (&test_db.db, test_db.backend_name);

        for role in ["user", "support", "admin", "superadmin"] {
            let id = uuid::Uuid::new_v4().to_string();
            insert_user(db, &id, role).await.expect(role);
        }
        let bad_user = insert_user(db, &uuid::Uuid::new_v4().to_string(), "root").await;
        assert_check_violation(bad_user, "users_role_check", backend);

        insert_owner(db).await;
        let statuses =
            ["queued", "fetching_metadata", "downloading", "uploading", "completed", "paused", "failed", "cancelled"];
        for (i, status) in statuses.into_iter().enumerate() {
            let infohash = format!("{i:040x}");
            let id = uuid::Uuid::new_v4().to_string();
            insert_job(db, &id, &infohash, status, "magnet").await.expect(status);
        }
        let id = uuid::Uuid::new_v4().to_string();
        insert_job(db, &id, &"f".repeat(40), "queued", "torrent").await.expect("torrent source");
        let id = uuid::Uuid::new_v4().to_string();
        let bad_status = insert_job(db, &id, &"e".repeat(40), "scanning", "magnet").await;
        assert_check_violation(bad_status, "jobs_status_check", backend);
        let bad_source = insert_job(db, &id, &"e".repeat(40), "queued", "ftp").await;
        assert_check_violation(bad_source, "jobs_source_kind_check", backend);

        for severity in ["info", "warn", "critical"] {
            insert(db, "security_events", security_event_row(severity)).await.expect(severity);
        }
        let bad = insert(db, "security_events", security_event_row("fatal")).await;
        assert_check_violation(bad, "security_events_severity_check", backend);

        for status in ["healthy", "draining", "cordoned", "offline"] {
            insert(db, "workers", worker_row(&format!("agent-{status}"), status)).await.expect(status);
            insert(db, "worker_heartbeats", heartbeat_row(status)).await.expect(status);
        }
        let bad = insert(db, "workers", worker_row("agent-sick", "sick")).await;
        assert_check_violation(bad, "workers_status_check", backend);
        let bad = insert(db, "worker_heartbeats", heartbeat_row("sick")).await;
        assert_check_violation(bad, "worker_heartbeats_status_check", backend);

        for state in ["ready", "dead"] {
            insert(db, "queue_messages", queue_message_row(state)).await.expect(state);
        }
        let bad = insert(db, "queue_messages", queue_message_row("leased")).await;
        assert_check_violation(bad, "queue_messages_state_check", backend);

        // One subscription per organization: an organization of its own for each status.
        let statuses =
            ["active", "trialing", "past_due", "unpaid", "canceled", "incomplete", "incomplete_expired", "paused"];
        for (i, status) in statuses.into_iter().enumerate() {
            let org = uuid::Uuid::new_v4().to_string();
            insert_org(db, &org, &format!("billing-{i}")).await.expect("an organization");
            insert(db, "subscriptions", subscription_row(&org, status)).await.expect(status);
        }
        let bad = insert(db, "subscriptions", subscription_row(ORG_ID, "expired")).await;
        assert_check_violation(bad, "subscriptions_status_check", backend);

        test_db.cleanup().await;
    }
}

#[tokio::test]
async fn live_job_index_rejects_second_job_when_first_is_queued() {
    for test_db in TestDb::all().await {
        let (db, backend) = (&test_db.db, test_db.backend_name);
        insert_owner(db).await;
        insert_job(db, "10000000-0000-4000-8000-000000000001", INFOHASH, "queued", "magnet").await.expect("first job");

        let second = insert_job(db, "10000000-0000-4000-8000-000000000002", INFOHASH, "queued", "magnet").await;
        assert_unique_violation(second, backend);

        // The same user's live job for the torrent in another organization is another slot.
        let other_org = "10000000-0000-4000-8000-0000000000ff";
        insert_org(db, other_org, "elsewhere").await.expect("another organization");
        insert_job_in(db, other_org, "10000000-0000-4000-8000-000000000003", INFOHASH, "queued", "magnet")
            .await
            .unwrap_or_else(|e| panic!("{backend}: a live job in another organization refused: {e}"));
        let third = insert_job_in(db, other_org, "10000000-0000-4000-8000-000000000004", INFOHASH, "queued", "magnet");
        assert_unique_violation(third.await, backend);
        test_db.cleanup().await;
    }
}

#[tokio::test]
async fn live_job_index_allows_second_job_when_first_failed_or_was_cancelled() {
    for test_db in TestDb::all().await {
        let (db, backend) = (&test_db.db, test_db.backend_name);
        insert_owner(db).await;
        let first = "20000000-0000-4000-8000-000000000001";
        insert_job(db, first, INFOHASH, "queued", "magnet").await.expect("first job");
        let released = db
            .execute(Query::update().table("jobs").value("status", "failed").and_where(Expr::col("id").eq(first)))
            .await
            .expect("fail the first job");
        assert_eq!(released.rows_affected(), 1, "{backend}");

        let second = "20000000-0000-4000-8000-000000000002";
        insert_job(db, second, INFOHASH, "queued", "magnet")
            .await
            .unwrap_or_else(|e| panic!("{backend}: retry after failure refused: {e}"));
        assert_unique_violation(
            insert_job(db, "20000000-0000-4000-8000-000000000003", INFOHASH, "queued", "magnet").await,
            backend,
        );

        db.execute(Query::update().table("jobs").value("status", "cancelled").and_where(Expr::col("id").eq(second)))
            .await
            .expect("cancel the second job");
        insert_job(db, "20000000-0000-4000-8000-000000000004", INFOHASH, "torrent", "torrent")
            .await
            .expect_err("status 'torrent' is not a status");
        insert_job(db, "20000000-0000-4000-8000-000000000004", INFOHASH, "downloading", "torrent")
            .await
            .unwrap_or_else(|e| panic!("{backend}: retry after cancel refused: {e}"));
        test_db.cleanup().await;
    }
}

#[tokio::test]
async fn deleting_a_user_cascades_to_jobs_and_sessions_when_foreign_keys_are_on() {
    for test_db in TestDb::all().await {
        let (db, backend) = (&test_db.db, test_db.backend_name);
        insert_owner(db).await;
        insert_job(db, "30000000-0000-4000-8000-000000000001", INFOHASH, "queued", "magnet").await.expect("job");
        insert(
            db,
            "sessions",
            vec![
                ("id", uuid()),
                ("user_id", USER_ID.into()),
                ("token_hash", "hash".into()),
                ("created_at", Utc::now().into()),
                ("expires_at", Utc::now().into()),
                ("last_seen_at", Utc::now().into()),
            ],
        )
        .await
        .expect("session");

        db.execute(Query::delete().from_table("users").and_where(Expr::col("id").eq(USER_ID)))
            .await
            .expect("delete user");
        assert_eq!(count(db, "SELECT COUNT(*) FROM jobs").await, 0, "{backend}: jobs");
        assert_eq!(count(db, "SELECT COUNT(*) FROM sessions").await, 0, "{backend}: sessions");

        let orphan = insert_job(db, "30000000-0000-4000-8000-000000000002", INFOHASH, "queued", "magnet").await;
        assert!(
            matches!(orphan.map_err(|e| e.sql_err()), Err(Some(SqlErr::ForeignKeyConstraintViolation(_)))),
            "{backend}: a job without a user is refused"
        );
        test_db.cleanup().await;
    }
}

/// The migration that creates the organizations and wraps the accounts already there.
const ORGS_MIGRATION: &str = "m20261206_000015_create_organizations";

#[tokio::test]
async fn existing_users_get_a_personal_organization_when_organizations_are_migrated() {
    for test_db in TestDb::all().await {
        let (db, backend) = (&test_db.db, test_db.backend_name);
        // Back to just before the organizations, with two accounts made then.
        let applied = Migrator::get_applied_migrations(db).await.expect("status");
        let position = applied.iter().position(|m| m.name() == ORGS_MIGRATION).expect("the migration is applied");
        let steps = u32::try_from(applied.len() - position).expect("a few steps");
        Migrator::down(db, Some(steps)).await.expect("down to before the organizations");
        let (first, second) = ("a1b2c3d4-e5f6-4000-8000-000000000001", "f6e5d4c3-b2a1-4000-8000-000000000002");
        insert_user(db, first, "user").await.expect("first user");
        insert_user(db, second, "admin").await.expect("second user");
        Migrator::up(db, None).await.expect("up again");

        let rows = db
            .query_all_raw(Statement::from_string(
                db.get_database_backend(),
                "SELECT o.id, o.name, o.slug, o.personal, m.user_id, m.role \
                 FROM organizations o JOIN org_members m ON m.org_id = o.id ORDER BY o.id",
            ))
            .await
            .expect("select organizations");
        let actual: Vec<(String, String, String, bool, String, String)> = rows
            .iter()
            .map(|row| {
                (
                    row.try_get("", "id").expect("id"),
                    row.try_get("", "name").expect("name"),
                    row.try_get("", "slug").expect("slug"),
                    row.try_get("", "personal").expect("personal"),
                    row.try_get("", "user_id").expect("user_id"),
                    row.try_get("", "role").expect("role"),
                )
            })
            .collect();
        let expected: Vec<_> = [first, second]
            .into_iter()
            .map(|id| {
                let slug = OrgSlug::personal(id.parse::<UserId>().expect("a user id"));
                let personal = "Personal".to_owned();
                (id.to_owned(), personal, slug.as_str().to_owned(), true, id.to_owned(), "owner".to_owned())
            })
            .collect();
        assert_eq!(actual, expected, "{backend}: one personal organization per user, owned by them");
        let created = "SELECT COUNT(*) FROM organizations o JOIN users u ON u.id = o.id \
                       WHERE o.created_at = u.created_at";
        assert_eq!(count(db, created).await, 2, "{backend}: created with the account");
        let owned = "SELECT COUNT(*) FROM org_members m JOIN users u ON u.id = m.user_id \
                     WHERE m.joined_at = u.created_at";
        assert_eq!(count(db, owned).await, 2, "{backend}: owned since the account was made");
        assert_eq!(
            count(db, "SELECT COUNT(*) FROM organizations WHERE personal = TRUE").await,
            2,
            "{backend}: stored as the backend stores a bool"
        );
        assert_eq!(count(db, "SELECT COUNT(*) FROM users WHERE email_verified_at IS NULL").await, 2, "{backend}");

        // Member roles are checked.
        let member = |role: &str| -> Vec<(&'static str, Value)> {
            vec![
                ("org_id", first.into()),
                ("user_id", second.into()),
                ("role", role.into()),
                ("joined_at", Utc::now().into()),
            ]
        };
        let bad = insert(db, "org_members", member("guest")).await;
        assert_check_violation(bad, "org_members_role_check", backend);
        insert(db, "org_members", member("admin")).await.expect("a listed role");
        test_db.cleanup().await;
    }
}

/// The migration that puts jobs and API keys in organizations.
const ORG_JOBS_MIGRATION: &str = "m20261206_000016_org_scoped_jobs";

#[tokio::test]
async fn existing_jobs_and_api_keys_go_to_the_personal_organization_when_org_scoped_jobs_are_migrated() {
    for test_db in TestDb::all().await {
        let (db, backend) = (&test_db.db, test_db.backend_name);
        let applied = Migrator::get_applied_migrations(db).await.expect("status");
        assert!(applied.iter().any(|m| m.name() == ORG_JOBS_MIGRATION), "{backend}: the migration is applied");
        // Back to before the organizations: the accounts, their jobs and keys are made then, and
        // get their personal organizations from migration 15.
        let position = applied.iter().position(|m| m.name() == ORGS_MIGRATION).expect("the migration is applied");
        let steps = u32::try_from(applied.len() - position).expect("a few steps");
        Migrator::down(db, Some(steps)).await.expect("down to before the organizations");
        let (first, second) = ("b1b2c3d4-e5f6-4000-8000-000000000001", "e6e5d4c3-b2a1-4000-8000-000000000002");
        insert_user(db, first, "user").await.expect("first user");
        insert_user(db, second, "user").await.expect("second user");
        // Jobs as they were: no organization.
        let other_torrent = "f".repeat(40);
        for (id, user, infohash) in [
            ("40000000-0000-4000-8000-000000000001", first, INFOHASH),
            ("40000000-0000-4000-8000-000000000002", first, other_torrent.as_str()),
            ("40000000-0000-4000-8000-000000000003", second, INFOHASH),
        ] {
            let row = vec![
                ("id", id.into()),
                ("user_id", user.into()),
                ("name", "ubuntu.iso".into()),
                ("status", "queued".into()),
                ("source_kind", "magnet".into()),
                ("magnet_uri", format!("magnet:?xt=urn:btih:{infohash}").into()),
                ("infohash", infohash.into()),
                ("created_at", Utc::now().into()),
                ("updated_at", Utc::now().into()),
            ];
            insert(db, "jobs", row).await.expect("a job made before organizations");
        }
        for (n, user) in [(1, first), (2, second), (3, second)] {
            let row = vec![
                ("id", uuid()),
                ("user_id", user.into()),
                ("name", format!("key {n}").into()),
                ("prefix", format!("tsk_{n}").into()),
                ("key_hash", format!("hash-{n}").into()),
                ("scopes", "jobs:read".into()),
                ("created_at", Utc::now().into()),
            ];
            insert(db, "api_keys", row).await.expect("a key made before organizations");
        }
        Migrator::up(db, None).await.expect("up again");

        // Every row is its user's personal organization's (its id is the user's).
        assert_eq!(count(db, "SELECT COUNT(*) FROM jobs WHERE org_id = user_id").await, 3, "{backend}: jobs");
        assert_eq!(count(db, "SELECT COUNT(*) FROM api_keys WHERE org_id = user_id").await, 3, "{backend}: keys");
        let owned = "SELECT COUNT(*) FROM jobs j JOIN organizations o ON o.id = j.org_id WHERE o.personal = TRUE";
        assert_eq!(count(db, owned).await, 3, "{backend}: an organization that exists, the personal one");
        let in_org = |user: &str| format!("SELECT COUNT(*) FROM api_keys WHERE org_id = '{user}'");
        assert_eq!((count(db, &in_org(first)).await, count(db, &in_org(second)).await), (1, 2), "{backend}");
        for table in ["jobs", "api_keys"] {
            let unowned = format!("SELECT COUNT(*) FROM {table} WHERE org_id IS NULL");
            assert_eq!(count(db, &unowned).await, 0, "{backend}: {table}");
        }

        // The live-job index is per organization now: the same user's live job for a torrent is
        // refused in the same organization, and accepted in another.
        let job = |id: &str, org: &str| -> Vec<(&'static str, Value)> {
            vec![
                ("id", id.into()),
                ("user_id", first.into()),
                ("org_id", org.into()),
                ("name", "again".into()),
                ("status", "downloading".into()),
                ("source_kind", "magnet".into()),
                ("magnet_uri", format!("magnet:?xt=urn:btih:{INFOHASH}").into()),
                ("infohash", INFOHASH.into()),
                ("created_at", Utc::now().into()),
                ("updated_at", Utc::now().into()),
            ]
        };
        assert_unique_violation(insert(db, "jobs", job("40000000-0000-4000-8000-000000000004", first)).await, backend);
        let team = "40000000-0000-4000-8000-0000000000aa";
        insert_org(db, team, "team").await.expect("an organization");
        insert(db, "jobs", job("40000000-0000-4000-8000-000000000005", team))
            .await
            .unwrap_or_else(|e| panic!("{backend}: a live job in another organization refused: {e}"));

        // PostgreSQL keeps every job and key in an organization that exists; SQLite cannot add
        // those constraints to existing columns, and relies on the repositories.
        if backend == "postgres" {
            let mut unowned = job("40000000-0000-4000-8000-000000000006", team);
            unowned.retain(|(column, _)| *column != "org_id");
            let refused = insert(db, "jobs", unowned).await;
            assert!(refused.is_err(), "{backend}: a job without an organization is refused");
            let nowhere = job("40000000-0000-4000-8000-000000000007", "40000000-0000-4000-8000-0000000000bb");
            let refused = insert(db, "jobs", nowhere).await;
            assert!(
                matches!(refused.map_err(|e| e.sql_err()), Err(Some(SqlErr::ForeignKeyConstraintViolation(_)))),
                "{backend}: a job in an unknown organization is refused"
            );
        }
        test_db.cleanup().await;
    }
}
