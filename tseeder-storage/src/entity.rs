//! sea-orm entities, one module per table (module name = table name).
//!
//! Hand-written in the sea-orm 2.0 `DeriveEntityModel` format to match the migrations in
//! `tseeder-migrations`; they never leave this crate. Conventions: ids are `String` (UUID text,
//! except `workers.id`, `feature_flags.key`, `blocklist.infohash`, `plans.id`, `queue_messages.id`,
//! `status_components.component`, `password_resets.token_hash`,
//! `email_verifications.token_hash`, `billing_events.id` (the provider's event id);
//! `uptime_snapshots` is keyed by `(component, period, start)`, `org_members` by
//! `(org_id, user_id)`, `bandwidth_usage` by `(org_id, month)`, `labels` by `(user_id, kind, name)`,
//! `job_labels` by `(job_id, user_id, kind, name)`, `billing_customers` and `subscriptions` by
//! `org_id`, `api_metrics` by an
//! auto-increment `i64` and `system_snapshots` by its minute `at`),
//! timestamps are `DateTimeUtc` except in `queue_messages` (`i64` unix milliseconds), JSON
//! columns are `String` (parse them in `convert.rs`), enum-like columns are `String` guarded by
//! a CHECK constraint in the schema.

pub(crate) mod api_keys;
pub(crate) mod api_metrics;
pub(crate) mod audit_logs;
pub(crate) mod bandwidth_usage;
pub(crate) mod billing_customers;
pub(crate) mod billing_events;
pub(crate) mod blocklist;
pub(crate) mod config_changes;
pub(crate) mod email_verifications;
pub(crate) mod feature_flags;
pub(crate) mod files;
pub(crate) mod incident_updates;
pub(crate) mod incidents;
pub(crate) mod job_events;
pub(crate) mod job_labels;
pub(crate) mod jobs;
pub(crate) mod labels;
pub(crate) mod maintenances;
pub(crate) mod org_invites;
pub(crate) mod org_members;
pub(crate) mod organizations;
pub(crate) mod password_resets;
pub(crate) mod plan_assignments;
pub(crate) mod plans;
pub(crate) mod queue_messages;
pub(crate) mod retention_sweeps;
pub(crate) mod scheduled_tasks;
pub(crate) mod security_events;
pub(crate) mod sessions;
pub(crate) mod status_components;
pub(crate) mod storage_snapshots;
pub(crate) mod subscriptions;
pub(crate) mod system_snapshots;
pub(crate) mod uptime_snapshots;
pub(crate) mod users;
pub(crate) mod worker_heartbeats;
pub(crate) mod workers;

/// Every entity round-trips through the migrated schema on every configured backend, so the
/// hand-written models cannot drift from the migrations unnoticed.
#[cfg(all(test, feature = "test-util"))]
mod tests {
    use chrono::{DateTime, Utc};
    use sea_orm::{ActiveModelTrait, DatabaseConnection, EntityTrait, IntoActiveModel};

    use super::*;
    use crate::testing::TestDb;

    /// Whole microseconds: PostgreSQL keeps microseconds, SQLite keeps whatever it is given.
    fn at(offset_secs: i64) -> DateTime<Utc> {
        DateTime::from_timestamp_micros((1_795_000_000 + offset_secs) * 1_000_000 + 123_456).expect("valid timestamp")
    }

    /// Inserts `model` (through `RETURNING`) and checks both the returned row and a re-read.
    macro_rules! round_trip {
        ($db:expr, $backend:expr, $module:ident, $model:expr) => {{
            let model: $module::Model = $model;
            let inserted = model
                .clone()
                .into_active_model()
                .insert($db)
                .await
                .unwrap_or_else(|e| panic!("{}: insert {}: {e}", $backend, stringify!($module)));
            assert_eq!(inserted, model, "{}: {} insert", $backend, stringify!($module));
            let all = $module::Entity::find()
                .all($db)
                .await
                .unwrap_or_else(|e| panic!("{}: select {}: {e}", $backend, stringify!($module)));
            assert!(all.contains(&model), "{}: {} re-read: {all:?}", $backend, stringify!($module));
        }};
    }

    async fn round_trip_all(db: &DatabaseConnection, backend: &str) {
        let user_id = "00000000-0000-4000-8000-000000000001".to_owned();
        let job_id = "00000000-0000-4000-8000-000000000002".to_owned();
        let infohash = "0123456789abcdef0123456789abcdef01234567".to_owned();

        round_trip!(
            db,
            backend,
            users,
            users::Model {
                id: user_id.clone(),
                email: "ada@example.test".into(),
                password_hash: "$argon2id$stub".into(),
                role: "admin".into(),
                suspended: true,
                default_region: Some("eu-west".into()),
                email_verified_at: Some(at(44)),
                created_at: at(0),
                updated_at: at(1),
            }
        );
        round_trip!(
            db,
            backend,
            plans,
            plans::Model {
                id: "test".into(),
                name: "Test".into(),
                max_jobs: 3,
                max_storage_bytes: 6_000_000_000,
                max_file_size_bytes: -1,
                bandwidth_bytes: 7_000_000_000_000,
                retention_days: 14,
                price_cents: 100,
                created_at: at(2),
            }
        );
        round_trip!(
            db,
            backend,
            sessions,
            sessions::Model {
                id: "00000000-0000-4000-8000-000000000003".into(),
                user_id: user_id.clone(),
                token_hash: "token-hash".into(),
                ip: Some("192.0.2.1".into()),
                user_agent: Some("test".into()),
                created_at: at(3),
                expires_at: at(4),
                last_seen_at: at(5),
            }
        );
        round_trip!(
            db,
            backend,
            password_resets,
            password_resets::Model {
                token_hash: "reset-hash".into(),
                user_id: user_id.clone(),
                created_at: at(41),
                expires_at: at(42),
                used_at: Some(at(43)),
            }
        );
        round_trip!(
            db,
            backend,
            email_verifications,
            email_verifications::Model {
                token_hash: "verification-hash".into(),
                user_id: user_id.clone(),
                email: "ada@example.test".into(),
                created_at: at(45),
                expires_at: at(46),
                used_at: Some(at(47)),
            }
        );
        let org_id = "00000000-0000-4000-8000-000000000011".to_owned();
        round_trip!(
            db,
            backend,
            organizations,
            organizations::Model {
                id: org_id.clone(),
                name: "Acme".into(),
                slug: "acme".into(),
                personal: true,
                created_at: at(48),
            }
        );
        round_trip!(
            db,
            backend,
            org_members,
            org_members::Model {
                org_id: org_id.clone(),
                user_id: user_id.clone(),
                role: "admin".into(),
                joined_at: at(49),
            }
        );
        round_trip!(
            db,
            backend,
            org_invites,
            org_invites::Model {
                id: "00000000-0000-4000-8000-000000000012".into(),
                org_id: org_id.clone(),
                email: "grace@example.test".into(),
                role: "member".into(),
                token_hash: "invite-hash".into(),
                invited_by: user_id.clone(),
                created_at: at(50),
                sent_at: at(51),
                expires_at: at(52),
                accepted_at: Some(at(53)),
                accepted_by: Some(user_id.clone()),
                revoked_at: Some(at(54)),
            }
        );
        round_trip!(
            db,
            backend,
            billing_customers,
            billing_customers::Model { org_id: org_id.clone(), customer_id: "cus_test".into(), created_at: at(55) }
        );
        round_trip!(
            db,
            backend,
            subscriptions,
            subscriptions::Model {
                org_id: org_id.clone(),
                customer_id: "cus_test".into(),
                subscription_id: "sub_test".into(),
                plan_id: "pro".into(),
                status: "past_due".into(),
                current_period_end: Some(at(56)),
                grace_until: Some(at(57)),
                event_at: at(58),
                updated_at: at(59),
            }
        );
        round_trip!(
            db,
            backend,
            bandwidth_usage,
            bandwidth_usage::Model {
                org_id: org_id.clone(),
                month: "2026-12".into(),
                downloaded_bytes: i64::MAX,
                served_bytes: 7,
            }
        );
        round_trip!(
            db,
            backend,
            billing_events,
            billing_events::Model {
                id: "evt_test".into(),
                kind: "customer.subscription.updated".into(),
                received_at: at(60),
            }
        );
        round_trip!(
            db,
            backend,
            api_keys,
            api_keys::Model {
                id: "00000000-0000-4000-8000-000000000004".into(),
                user_id: user_id.clone(),
                org_id: Some(org_id.clone()),
                name: "ci".into(),
                prefix: "tsk_abcd".into(),
                key_hash: "key-hash".into(),
                scopes: "jobs:read jobs:write".into(),
                created_at: at(6),
                last_used_at: Some(at(7)),
                expires_at: Some(at(8)),
                revoked_at: Some(at(9)),
            }
        );
        round_trip!(
            db,
            backend,
            plan_assignments,
            plan_assignments::Model {
                id: "00000000-0000-4000-8000-000000000005".into(),
                user_id: user_id.clone(),
                plan_id: "pro".into(),
                started_at: at(10),
                expires_at: Some(at(11)),
            }
        );
        round_trip!(
            db,
            backend,
            jobs,
            jobs::Model {
                id: job_id.clone(),
                user_id: user_id.clone(),
                org_id: Some(org_id.clone()),
                name: "ubuntu.iso".into(),
                status: "downloading".into(),
                source_kind: "torrent".into(),
                magnet_uri: Some(format!("magnet:?xt=urn:btih:{infohash}")),
                torrent_bytes: Some(vec![0, 1, 2, 0xfe, 0xff]),
                infohash: infohash.clone(),
                idempotency_key: Some("idem-1".into()),
                selected_files: Some("[0,2]".into()),
                region_hint: Some("eu-west".into()),
                total_bytes: Some(4_000_000_000),
                done_bytes: 3_000_000_000,
                error: Some("none yet".into()),
                worker_id: Some("agent-1".into()),
                created_at: at(12),
                updated_at: at(13),
                completed_at: Some(at(14)),
            }
        );
        round_trip!(
            db,
            backend,
            job_events,
            job_events::Model {
                id: "00000000-0000-4000-8000-000000000006".into(),
                job_id: job_id.clone(),
                seq: 1,
                kind: "status_changed".into(),
                payload: r#"{"to":"downloading"}"#.into(),
                created_at: at(15),
            }
        );
        round_trip!(
            db,
            backend,
            labels,
            labels::Model {
                user_id: user_id.clone(),
                kind: "category".into(),
                name: "movies/4k".into(),
                created_at: at(61),
            }
        );
        round_trip!(
            db,
            backend,
            job_labels,
            job_labels::Model {
                job_id: job_id.clone(),
                user_id: user_id.clone(),
                kind: "tag".into(),
                name: "Remux".into(),
                created_at: at(62),
            }
        );
        round_trip!(
            db,
            backend,
            files,
            files::Model {
                id: "00000000-0000-4000-8000-000000000007".into(),
                job_id: job_id.clone(),
                path: "ubuntu/ubuntu.iso".into(),
                size_bytes: 4_000_000_000,
                mime_type: Some("application/x-iso9660-image".into()),
                storage_key: format!("blobs/{infohash}/ubuntu/ubuntu.iso"),
                is_complete: true,
                created_at: at(16),
            }
        );
        round_trip!(
            db,
            backend,
            audit_logs,
            audit_logs::Model {
                id: "00000000-0000-4000-8000-000000000008".into(),
                actor_id: Some(user_id.clone()),
                action: "user.suspend".into(),
                target_type: "user".into(),
                target_id: Some(user_id.clone()),
                metadata: "{}".into(),
                ip: Some("192.0.2.1".into()),
                created_at: at(17),
            }
        );
        round_trip!(
            db,
            backend,
            security_events,
            security_events::Model {
                id: "00000000-0000-4000-8000-000000000009".into(),
                kind: "login_failed".into(),
                severity: "critical".into(),
                actor_id: None,
                ip: Some("192.0.2.1".into()),
                payload: "{}".into(),
                created_at: at(18),
            }
        );
        round_trip!(
            db,
            backend,
            blocklist,
            blocklist::Model {
                infohash: infohash.clone(),
                reason: "dmca".into(),
                added_by: Some(user_id.clone()),
                created_at: at(19),
            }
        );
        round_trip!(
            db,
            backend,
            feature_flags,
            feature_flags::Model {
                key: "test_flag".into(),
                enabled: false,
                description: "A flag for tests.".into(),
                updated_by: Some(user_id.clone()),
                updated_at: at(20),
            }
        );
        round_trip!(
            db,
            backend,
            config_changes,
            config_changes::Model {
                id: "00000000-0000-4000-8000-00000000000a".into(),
                key: "test_flag".into(),
                old_value: Some("true".into()),
                new_value: "false".into(),
                changed_by: Some(user_id.clone()),
                reason: "testing".into(),
                ticket: Some("OPS-1".into()),
                created_at: at(21),
            }
        );
        round_trip!(
            db,
            backend,
            workers,
            workers::Model {
                id: "agent-1".into(),
                region: "eu-west".into(),
                base_url: "http://127.0.0.1:1".into(),
                version: "0.1.0".into(),
                status: "draining".into(),
                active_jobs: 1,
                max_jobs: 4,
                disk_free_bytes: 1_000_000_000_000,
                disk_total_bytes: 2_000_000_000_000,
                cpu_pct: 37.25,
                bandwidth_bps: 125_000_000,
                last_heartbeat_at: at(22),
                registered_at: at(23),
            }
        );
        round_trip!(
            db,
            backend,
            worker_heartbeats,
            worker_heartbeats::Model {
                id: "00000000-0000-4000-8000-00000000000b".into(),
                worker_id: "agent-1".into(),
                status: "healthy".into(),
                active_jobs: 1,
                max_jobs: 4,
                disk_free_bytes: 1_000_000_000_000,
                disk_total_bytes: 2_000_000_000_000,
                cpu_pct: 0.5,
                bandwidth_bps: 0,
                created_at: at(24),
            }
        );
        round_trip!(
            db,
            backend,
            storage_snapshots,
            storage_snapshots::Model {
                id: "00000000-0000-4000-8000-00000000000c".into(),
                total_files: 10,
                total_bytes: 40_000_000_000,
                orphan_files: 1,
                captured_at: at(25),
            }
        );
        round_trip!(
            db,
            backend,
            scheduled_tasks,
            scheduled_tasks::Model {
                name: "retention.sweep".into(),
                last_slot: Some(at(26)),
                lease_owner: Some("host-1/1234".into()),
                lease_until: Some(at(27)),
                last_started_at: Some(at(26)),
                last_finished_at: None,
                last_outcome: None,
            }
        );
        round_trip!(
            db,
            backend,
            retention_sweeps,
            retention_sweeps::Model {
                id: "00000000-0000-4000-8000-00000000000d".into(),
                started_at: at(28),
                finished_at: at(29),
                trigger: "schedule".into(),
                policy: "native".into(),
                files_deleted: 3,
                bytes_deleted: 3_000,
                blobs_deleted: 2,
                orphan_blobs: 1,
                orphan_rows: 0,
                kept_on_error: 0,
                error: Some("partial".into()),
            }
        );
        round_trip!(
            db,
            backend,
            status_components,
            status_components::Model {
                component: "agents.eu-west".into(),
                state: "partial_outage".into(),
                reason: "1 of 2 agents offline".into(),
                since: at(30),
                checked_at: at(31),
            }
        );
        round_trip!(
            db,
            backend,
            uptime_snapshots,
            uptime_snapshots::Model {
                component: "agents.eu-west".into(),
                period: "hour".into(),
                start: at(32),
                operational: 50,
                degraded: 4,
                partial_outage: 3,
                major_outage: 2,
                maintenance: 1,
            }
        );
        round_trip!(
            db,
            backend,
            incidents,
            incidents::Model {
                id: "00000000-0000-4000-8000-00000000000e".into(),
                title: "Slow downloads".into(),
                impact: "minor".into(),
                status: "resolved".into(),
                components: r#"["api","agents.eu-west"]"#.into(),
                created_at: at(33),
                resolved_at: Some(at(34)),
            }
        );
        round_trip!(
            db,
            backend,
            incident_updates,
            incident_updates::Model {
                id: "00000000-0000-4000-8000-00000000000f".into(),
                incident_id: "00000000-0000-4000-8000-00000000000e".into(),
                status: "investigating".into(),
                body: "We are looking into it.".into(),
                created_at: at(35),
            }
        );
        round_trip!(
            db,
            backend,
            maintenances,
            maintenances::Model {
                id: "00000000-0000-4000-8000-000000000010".into(),
                title: "Database upgrade".into(),
                body: "PostgreSQL 17.".into(),
                components: r#"["database"]"#.into(),
                starts_at: at(36),
                ends_at: at(37),
                created_at: at(38),
            }
        );
        round_trip!(
            db,
            backend,
            api_metrics,
            api_metrics::Model {
                id: 1,
                minute: at(39),
                host: "api-1/1234".into(),
                route: "/api/v1/jobs/:id".into(),
                method: "GET".into(),
                requests: 5_000_000_000,
                client_errors: 2,
                server_errors: 1,
                p50_us: 1_000,
                p95_us: 25_000,
                p99_us: 90_000,
                total_us: i64::MAX,
                latency: "80:3,88:1".into(),
            }
        );
        round_trip!(
            db,
            backend,
            system_snapshots,
            system_snapshots::Model {
                at: at(40),
                queue_ready: 3,
                queue_delayed: 2,
                dead_letters: 1,
                oldest_queued_secs: 90,
                active_jobs: 7,
                throughput_bps: 125_000_000_000,
                agents_up: 2,
                agents: 3,
            }
        );
        round_trip!(
            db,
            backend,
            queue_messages,
            queue_messages::Model {
                id: "00000000-0000-4000-8000-00000000000d".into(),
                queue: "jobs".into(),
                job_id: Some(job_id.clone()),
                payload: r#"{"kind":"start"}"#.into(),
                state: "ready".into(),
                attempts: 2,
                max_attempts: 5,
                visible_at: 1_795_000_000_123,
                lease_token: Some("lease".into()),
                lease_owner: Some("api-1".into()),
                leased_at: Some(1_795_000_000_456),
                last_error: Some("boom".into()),
                errors: r#"["boom"]"#.into(),
                created_at: 1_795_000_000_000,
                dead_at: None,
            }
        );
    }

    #[tokio::test]
    async fn every_entity_round_trips_when_schema_is_migrated() {
        for test_db in TestDb::all().await {
            round_trip_all(&test_db.db, test_db.backend_name).await;
            test_db.cleanup().await;
        }
    }
}
