//! The core's conformance suites against the SeaORM adapters, on SQLite always and on
//! PostgreSQL when `TSEEDER_TEST_DATABASE_URL` is set, each suite in a fresh database; and
//! against the object-store file store in memory, in a local directory, and on an S3-compatible
//! server when `TSEEDER_TEST_S3_ENDPOINT` is set.

use std::sync::Arc;

use tseeder_core::testing::conformance;
use tseeder_storage::testing::TestDb;
use tseeder_storage::{
    SeaOrmAccountRepository, SeaOrmAdminSearch, SeaOrmAuditLog, SeaOrmBandwidthMeter, SeaOrmBillingRepository,
    SeaOrmBlocklistRepository, SeaOrmConfigRepository, SeaOrmFileRepository, SeaOrmJobQueue, SeaOrmJobRepository,
    SeaOrmLabelRepository, SeaOrmMaintenanceRepository, SeaOrmMetricsRepository, SeaOrmOrgRepository,
    SeaOrmPlanRepository, SeaOrmStatusRepository, SeaOrmWorkerRegistry,
};

// Multi-threaded, so the suite's concurrent leasers really race each other.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn job_queue_passes_the_conformance_suite() {
    for test_db in TestDb::all().await {
        eprintln!("job_queue suite on {}", test_db.backend_name);
        conformance::job_queue(Arc::new(SeaOrmJobQueue::new(test_db.db.clone()))).await;
        test_db.cleanup().await;
    }
}

#[tokio::test]
async fn repositories_pass_the_conformance_suite() {
    for test_db in TestDb::all().await {
        eprintln!("repositories suite on {}", test_db.backend_name);
        let db = &test_db.db;
        conformance::repositories(
            &SeaOrmAccountRepository::new(db.clone()),
            &SeaOrmJobRepository::new(db.clone()),
            &SeaOrmJobQueue::new(db.clone()),
            &SeaOrmAuditLog::new(db.clone()),
        )
        .await;
        test_db.cleanup().await;
    }
}

#[tokio::test]
async fn file_repository_passes_the_conformance_suite() {
    for test_db in TestDb::all().await {
        eprintln!("file_repository suite on {}", test_db.backend_name);
        let db = &test_db.db;
        conformance::file_repository(
            &SeaOrmAccountRepository::new(db.clone()),
            &SeaOrmJobRepository::new(db.clone()),
            &SeaOrmFileRepository::new(db.clone()),
        )
        .await;
        test_db.cleanup().await;
    }
}

#[tokio::test]
async fn maintenance_repository_passes_the_conformance_suite() {
    for test_db in TestDb::all().await {
        eprintln!("maintenance suite on {}", test_db.backend_name);
        let db = &test_db.db;
        conformance::maintenance(
            &SeaOrmAccountRepository::new(db.clone()),
            &SeaOrmJobRepository::new(db.clone()),
            &SeaOrmFileRepository::new(db.clone()),
            &SeaOrmMaintenanceRepository::new(db.clone()),
        )
        .await;
        test_db.cleanup().await;
    }
}

#[tokio::test]
async fn plans_and_the_blocklist_pass_the_conformance_suites() {
    for test_db in TestDb::all().await {
        eprintln!("plans and blocklist suites on {}", test_db.backend_name);
        let db = &test_db.db;
        conformance::plans(&SeaOrmAccountRepository::new(db.clone()), &SeaOrmPlanRepository::new(db.clone())).await;
        conformance::blocklist(&SeaOrmBlocklistRepository::new(db.clone())).await;
        test_db.cleanup().await;
    }
}

#[tokio::test]
async fn settings_and_account_administration_pass_their_conformance_suites() {
    for test_db in TestDb::all().await {
        eprintln!("config and account_admin suites on {}", test_db.backend_name);
        let db = &test_db.db;
        conformance::config(
            &SeaOrmAccountRepository::new(db.clone()),
            &SeaOrmConfigRepository::new(db.clone()),
            &SeaOrmPlanRepository::new(db.clone()),
            &SeaOrmAuditLog::new(db.clone()),
        )
        .await;
        conformance::account_admin(&SeaOrmAccountRepository::new(db.clone())).await;
        conformance::dead_letters(
            &SeaOrmAccountRepository::new(db.clone()),
            &SeaOrmJobRepository::new(db.clone()),
            &SeaOrmJobQueue::new(db.clone()),
        )
        .await;
        test_db.cleanup().await;
    }
}

#[tokio::test]
async fn the_admin_search_and_job_filters_pass_their_conformance_suites() {
    for test_db in TestDb::all().await {
        eprintln!("admin_search and job_filters suites on {}", test_db.backend_name);
        let db = &test_db.db;
        let (accounts, jobs) = (SeaOrmAccountRepository::new(db.clone()), SeaOrmJobRepository::new(db.clone()));
        conformance::admin_search(
            &accounts,
            &jobs,
            &SeaOrmAuditLog::new(db.clone()),
            &SeaOrmAdminSearch::new(db.clone()),
        )
        .await;
        conformance::job_filters(&accounts, &jobs).await;
        test_db.cleanup().await;
    }
}

#[tokio::test]
async fn worker_registry_passes_the_conformance_suite() {
    for test_db in TestDb::all().await {
        eprintln!("worker_registry suite on {}", test_db.backend_name);
        conformance::worker_registry(&SeaOrmWorkerRegistry::new(test_db.db.clone())).await;
        test_db.cleanup().await;
    }
}

#[tokio::test]
async fn status_repository_passes_the_conformance_suite() {
    for test_db in TestDb::all().await {
        eprintln!("status suite on {}", test_db.backend_name);
        let db = &test_db.db;
        conformance::status_repository(&SeaOrmStatusRepository::new(db.clone()), &SeaOrmAuditLog::new(db.clone()))
            .await;
        test_db.cleanup().await;
    }
}

#[tokio::test]
async fn org_repository_passes_the_conformance_suite() {
    for test_db in TestDb::all().await {
        eprintln!("org_repository suite on {}", test_db.backend_name);
        let db = &test_db.db;
        conformance::org_repository(
            &SeaOrmAccountRepository::new(db.clone()),
            &SeaOrmOrgRepository::new(db.clone()),
            &SeaOrmJobRepository::new(db.clone()),
        )
        .await;
        test_db.cleanup().await;
    }
}

#[tokio::test]
async fn billing_repository_passes_the_conformance_suite() {
    for test_db in TestDb::all().await {
        eprintln!("billing_repository suite on {}", test_db.backend_name);
        let db = &test_db.db;
        conformance::billing_repository(
            &SeaOrmAccountRepository::new(db.clone()),
            &SeaOrmBillingRepository::new(db.clone()),
        )
        .await;
        test_db.cleanup().await;
    }
}

#[tokio::test]
async fn bandwidth_meter_passes_the_conformance_suite() {
    for test_db in TestDb::all().await {
        eprintln!("bandwidth_meter suite on {}", test_db.backend_name);
        let db = &test_db.db;
        conformance::bandwidth_meter(&SeaOrmAccountRepository::new(db.clone()), &SeaOrmBandwidthMeter::new(db.clone()))
            .await;
        test_db.cleanup().await;
    }
}

#[tokio::test]
async fn label_repository_passes_the_conformance_suite() {
    for test_db in TestDb::all().await {
        eprintln!("label_repository suite on {}", test_db.backend_name);
        let db = &test_db.db;
        conformance::label_repository(
            &SeaOrmAccountRepository::new(db.clone()),
            &SeaOrmJobRepository::new(db.clone()),
            &SeaOrmLabelRepository::new(db.clone()),
        )
        .await;
        test_db.cleanup().await;
    }
}

#[tokio::test]
async fn metrics_repository_passes_the_conformance_suite() {
    for test_db in TestDb::all().await {
        eprintln!("metrics suite on {}", test_db.backend_name);
        conformance::metrics_repository(&SeaOrmMetricsRepository::new(test_db.db.clone())).await;
        test_db.cleanup().await;
    }
}

/// Two processes on one PostgreSQL database, each with its own pool, as two API hosts are.
#[cfg(feature = "postgres")]
#[tokio::test]
async fn the_postgres_broadcast_passes_the_conformance_suite() {
    let Some(test_db) = TestDb::postgres().await else {
        eprintln!("skipped: {} is not set", tseeder_storage::testing::TEST_DATABASE_URL_ENV);
        return;
    };
    let other = tseeder_storage::connect(&test_db.url).await.expect("a second pool");
    let channel = "tseeder_conformance";
    conformance::broadcast(
        &tseeder_storage::PgBroadcast::new(test_db.db.clone(), channel),
        &tseeder_storage::PgBroadcast::new(other.clone(), channel),
    )
    .await;
    assert!(tseeder_storage::broadcast::for_database(&test_db.db).is_some(), "ports(...) includes it");

    // A subscription whose connection is cut says so with a gap, reconnects and carries on.
    use futures::StreamExt as _;
    use sea_orm::ConnectionTrait as _;
    use tseeder_core::ports::{Broadcast as _, Broadcasted};
    let cut = "tseeder_conformance_cut";
    let broadcast = tseeder_storage::PgBroadcast::new(test_db.db.clone(), cut);
    let mut subscription = broadcast.subscribe().await.expect("subscribe");
    let killed = other
        .execute_unprepared(&format!(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE query = 'LISTEN \"{cut}\"'"
        ))
        .await
        .expect("terminate the listening session");
    assert_eq!(killed.rows_affected(), 1, "one session listens on {cut}");
    let within = std::time::Duration::from_secs(10);
    let first = tokio::time::timeout(within, subscription.next()).await.expect("a gap").expect("open");
    assert_eq!(first, Broadcasted::Gap);
    // Listening again may take a moment after the gap: publish until a message gets through.
    let got = tokio::time::timeout(within, async {
        loop {
            broadcast.publish("after the cut").await.expect("publish");
            let next = tokio::time::timeout(std::time::Duration::from_millis(200), subscription.next()).await;
            if let Ok(Some(Broadcasted::Message(message))) = next {
                return message;
            }
        }
    })
    .await
    .expect("messages arrive again");
    assert_eq!(got, "after the cut");

    other.close().await.expect("close the second pool");
    test_db.cleanup().await;
}

#[cfg(feature = "sqlite")]
#[tokio::test]
async fn sqlite_has_no_broadcast() {
    let test_db = TestDb::sqlite().await;
    assert!(tseeder_storage::broadcast::for_database(&test_db.db).is_none());
    test_db.cleanup().await;
}

/// The object-store file store on each backend.
mod file_store {
    use std::path::Path;
    use std::time::Duration;

    use tseeder_core::ports::FileStore;
    use tseeder_storage::testing::{TEST_S3_ENDPOINT_ENV, http_request, s3_file_store_config};
    use tseeder_storage::{FileStoreConfig, ObjectStoreFileStore, file_store};

    use super::*;

    /// Every regular file under `dir`.
    fn files_under(dir: &Path) -> Vec<String> {
        let mut found = Vec::new();
        let mut stack = vec![dir.to_path_buf()];
        while let Some(dir) = stack.pop() {
            for entry in std::fs::read_dir(&dir).expect("read dir") {
                let path = entry.expect("dir entry").path();
                if path.is_dir() {
                    stack.push(path);
                } else {
                    found.push(path.display().to_string());
                }
            }
        }
        found
    }

    #[tokio::test]
    async fn in_memory_store_passes_the_conformance_suite() {
        let store = file_store(&FileStoreConfig::in_memory()).await.expect("in-memory store");
        conformance::file_store(Arc::clone(&store)).await;
        assert_eq!(store.presigned_get("k", Duration::from_secs(60)).await.unwrap(), None, "memory cannot presign");
    }

    #[tokio::test]
    async fn local_store_passes_the_conformance_suite_and_leaves_no_files_behind() {
        let dir = tempfile::tempdir().expect("temp dir");
        // A directory that does not exist yet, given as a file:// URL.
        let root = dir.path().join("nested/files");
        let url = url::Url::from_directory_path(&root).expect("absolute path").to_string();
        let store = file_store(&FileStoreConfig { url, ..FileStoreConfig::default() }).await.expect("local store");
        conformance::file_store(Arc::clone(&store)).await;
        assert_eq!(files_under(&root), Vec::<String>::new(), "deleted, failed and staged uploads leave nothing");
        assert_eq!(store.presigned_get("k", Duration::from_secs(60)).await.unwrap(), None, "files cannot presign");

        // Plain relative-or-absolute paths work too, and keys map to paths under the root.
        let store = file_store(&FileStoreConfig::local(dir.path().join("plain"))).await.expect("plain path");
        store.put("blobs/ab/Season 1/e.mkv", Box::new(&b"x"[..])).await.unwrap();
        assert!(dir.path().join("plain/blobs/ab/Season 1/e.mkv").is_file());

        // A finished file on the same filesystem is linked, not copied: one inode, two names.
        use std::os::unix::fs::MetadataExt as _;
        let finished = dir.path().join("scratch/e.mkv");
        std::fs::create_dir_all(finished.parent().unwrap()).unwrap();
        std::fs::write(&finished, vec![7u8; 4096]).unwrap();
        assert_eq!(store.put_local("blobs/cd/e.mkv", &finished).await.unwrap(), Some(4096));
        let stored = dir.path().join("plain/blobs/cd/e.mkv");
        assert_eq!(std::fs::metadata(&stored).unwrap().ino(), std::fs::metadata(&finished).unwrap().ino());
        assert_eq!(
            files_under(&dir.path().join("plain")).len(),
            2,
            "no staging name is left: {:?}",
            files_under(&dir.path().join("plain"))
        );
    }

    #[tokio::test]
    async fn s3_store_passes_the_conformance_suite_when_configured() {
        let Some(config) = s3_file_store_config().await else {
            eprintln!("{TEST_S3_ENDPOINT_ENV} is not set: skipping the S3 file store");
            return;
        };
        eprintln!("file_store suite on {} ({})", config.endpoint.as_deref().unwrap_or("?"), config.url);
        let store = ObjectStoreFileStore::from_config(&config).await.expect("S3 store");
        let store: Arc<dyn FileStore> = Arc::new(store);
        conformance::file_store(Arc::clone(&store)).await;

        // A presigned URL downloads the object without credentials.
        let key = "blobs/presigned/a b.txt";
        store.put(key, Box::new(&b"presigned bytes"[..])).await.unwrap();
        let url = store.presigned_get(key, Duration::from_secs(300)).await.unwrap().expect("S3 presigns");
        assert!(url.contains("X-Amz-Signature="), "{url}");
        let (status, body) = http_request("GET", &url).await.expect("fetch the presigned URL");
        assert_eq!((status, body.as_slice()), (200, &b"presigned bytes"[..]), "{url}");
        store.delete(key).await.unwrap();
    }
}

// ---------------------------------------------------------------------------------------------
// Adapter behaviour the suites do not pin down.

mod adapters {
    use std::time::Duration as StdDuration;

    use chrono::{DateTime, Duration, TimeZone, Utc};
    use sea_orm::sea_query::{Expr, ExprTrait, Query};
    use sea_orm::{ConnectionTrait, DatabaseConnection, Value};
    use serde_json::json;
    use tseeder_core::domain::{
        ApiKey, ApiKeyId, AuditEntry, JobId, JobSource, JobStatus, MagnetLink, NewJob, NewQueueMessage, NewUser,
        Organization, PageRequest, QueueMessageId, QueueState, Role, Scope, Session, SessionId, UserId,
    };
    use tseeder_core::error::RepoError;
    use tseeder_core::ports::{
        AuditFilter, BlocklistEntry, JobChange, JobFilter, JobQueue, JobSort, NewJobEvent, QueueOp, UsageOf,
    };
    use tseeder_core::services::Ports;
    use tseeder_core::testing::ManualClock;

    use super::*;

    fn t0() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 3, 1, 12, 0, 0).single().expect("valid time")
    }

    fn ports(db: &DatabaseConnection) -> Ports {
        let store = Arc::new(tseeder_storage::ObjectStoreFileStore::in_memory());
        tseeder_storage::ports(db.clone(), store, Arc::new(ManualClock::new(t0())))
    }

    async fn user(ports: &Ports, email: &str) -> UserId {
        let new = NewUser {
            id: UserId::new(),
            email: email.into(),
            password_hash: "$argon2id$fake".into(),
            role: Role::User,
            plan_id: "free".into(),
            email_verified: false,
            created_at: t0(),
        };
        ports.accounts.insert_user(&new).await.expect("insert user").id
    }

    /// A magnet job of `user` in their personal organization.
    fn new_job(user: UserId, hash_char: char) -> NewJob {
        let magnet = MagnetLink::parse(&format!("magnet:?xt=urn:btih:{}&dn=x", hash_char.to_string().repeat(40)))
            .expect("magnet");
        NewJob {
            id: JobId::new(),
            user_id: user,
            org_id: Organization::personal_id(user),
            name: format!("job {hash_char}"),
            infohash: magnet.infohash(),
            source: JobSource::Magnet(magnet),
            idempotency_key: None,
            selected_files: None,
            region_hint: None,
            total_bytes: None,
            created_at: t0(),
        }
    }

    fn message(job: Option<JobId>, max_attempts: u32) -> NewQueueMessage {
        NewQueueMessage {
            id: QueueMessageId::new(),
            queue: "jobs".into(),
            job_id: job,
            payload: json!({ "jobId": job }),
            max_attempts,
            visible_at: t0(),
            created_at: t0(),
        }
    }

    fn audit(action: &str) -> AuditEntry {
        AuditEntry {
            actor_id: None,
            action: action.into(),
            target_type: "job".into(),
            target_id: None,
            metadata: json!({ "k": 1 }),
            ip: Some("192.0.2.1".into()),
            created_at: t0(),
        }
    }

    async fn create(ports: &Ports, job: &NewJob) -> tseeder_core::domain::Job {
        ports.jobs.create_job(job, &message(Some(job.id), 5), &audit("job.created")).await.expect("create job")
    }

    async fn insert_file(db: &DatabaseConnection, job: JobId, path: &str, size: i64, complete: bool) {
        let row: Vec<(&str, Value)> = vec![
            ("id", uuid::Uuid::new_v4().to_string().into()),
            ("job_id", job.to_string().into()),
            ("path", path.into()),
            ("size_bytes", size.into()),
            ("storage_key", format!("jobs/{job}/{path}").into()),
            ("is_complete", complete.into()),
            ("created_at", t0().into()),
        ];
        let (columns, values): (Vec<_>, Vec<_>) = row.into_iter().unzip();
        let stmt = Query::insert()
            .into_table("files")
            .columns(columns)
            .values_panic(values.into_iter().map(Expr::val))
            .to_owned();
        db.execute(&stmt).await.expect("insert file");
    }

    async fn count(db: &DatabaseConnection, table: &str, job: JobId) -> i64 {
        let stmt = Query::select()
            .expr(Expr::cust("COUNT(*)"))
            .from(table.to_owned())
            .and_where(Expr::col("job_id").eq(job.to_string()))
            .to_owned();
        let row = db.query_one(&stmt).await.expect("count").expect("a row");
        row.try_get_by_index::<i64>(0).expect("count value")
    }

    #[tokio::test]
    async fn usage_counts_active_jobs_and_sums_only_complete_files() {
        for test_db in TestDb::all().await {
            let (db, backend) = (&test_db.db, test_db.backend_name);
            let ports = ports(db);
            let me = user(&ports, "me@example.com").await;
            let other = user(&ports, "other@example.com").await;
            let active = create(&ports, &new_job(me, 'a')).await;
            let done = create(&ports, &new_job(me, 'b')).await;
            let failed = create(&ports, &new_job(me, 'c')).await;
            let theirs = create(&ports, &new_job(other, 'a')).await;
            ports
                .jobs
                .update_job(failed.id, &JobChange::unchecked(JobStatus::Queued, JobStatus::Failed, t0()))
                .await
                .unwrap();
            let mut complete = JobChange::unchecked(JobStatus::Queued, JobStatus::Completed, t0());
            complete.completed_at = Some(t0());
            ports.jobs.update_job(done.id, &complete).await.unwrap();

            insert_file(db, done.id, "a.bin", 5_000_000_000, true).await;
            insert_file(db, done.id, "b.bin", 7, true).await;
            insert_file(db, active.id, "partial.bin", 1_000, false).await;
            insert_file(db, theirs.id, "x.bin", 99, true).await;

            let usage = ports.jobs.usage(UsageOf::user(me)).await.unwrap();
            assert_eq!(usage.active_jobs, 1, "{backend}: only the queued job is active");
            assert_eq!(usage.total_jobs, 3, "{backend}");
            assert_eq!(usage.storage_bytes, 5_000_000_007, "{backend}: complete files of my jobs only");
            // My jobs are all in my personal organization: the same figures by organization and
            // by member; theirs are in theirs.
            let mine = Organization::personal_id(me);
            assert_eq!(ports.jobs.usage(UsageOf::org(mine)).await.unwrap(), usage, "{backend}");
            assert_eq!(ports.jobs.usage(UsageOf::member(mine, me)).await.unwrap(), usage, "{backend}");
            assert_eq!(ports.jobs.usage(UsageOf::member(mine, other)).await.unwrap(), Default::default(), "{backend}");
            let their_usage = ports.jobs.usage(UsageOf::org(Organization::personal_id(other))).await.unwrap();
            let their_figures = (their_usage.active_jobs, their_usage.total_jobs, their_usage.storage_bytes);
            assert_eq!(their_figures, (1, 1, 99), "{backend}");
            let nobody = ports.jobs.usage(UsageOf::user(UserId::new())).await.unwrap();
            assert_eq!((nobody.active_jobs, nobody.total_jobs, nobody.storage_bytes), (0, 0, 0), "{backend}");
            test_db.cleanup().await;
        }
    }

    #[tokio::test]
    async fn find_session_returns_the_user_only_while_the_session_is_unexpired() {
        for test_db in TestDb::all().await {
            let backend = test_db.backend_name;
            let ports = ports(&test_db.db);
            let me = user(&ports, "s@example.com").await;
            let session = Session {
                id: SessionId::new(),
                user_id: me,
                token_hash: "hash-1".into(),
                ip: Some("192.0.2.7".into()),
                user_agent: Some("test".into()),
                created_at: t0(),
                expires_at: t0() + Duration::hours(1),
            };
            ports.accounts.insert_session(&session).await.unwrap();
            let (found, owner) =
                ports.accounts.find_session("hash-1", t0()).await.unwrap().expect("live session is found");
            assert_eq!((found, owner.id), (session.clone(), me), "{backend}");
            assert!(
                ports.accounts.find_session("hash-1", t0() + Duration::hours(1)).await.unwrap().is_none(),
                "{backend}: a session is dead at its expiry"
            );
            assert!(ports.accounts.find_session("other", t0()).await.unwrap().is_none(), "{backend}");
            assert!(
                matches!(ports.accounts.insert_session(&session).await, Err(RepoError::Conflict(_))),
                "{backend}: token hashes are unique"
            );
            ports.accounts.delete_session(session.id).await.unwrap();
            ports.accounts.delete_session(session.id).await.unwrap();
            assert!(ports.accounts.find_session("hash-1", t0()).await.unwrap().is_none(), "{backend}");
            test_db.cleanup().await;
        }
    }

    #[tokio::test]
    async fn current_plan_is_the_latest_started_assignment_that_has_not_expired() {
        for test_db in TestDb::all().await {
            let backend = test_db.backend_name;
            let ports = ports(&test_db.db);
            let me = user(&ports, "p@example.com").await; // free from t0
            let plan = |at| {
                let plans = Arc::clone(&ports.plans);
                async move { plans.current_plan(me, at).await.map(|p| p.id) }
            };
            assert_eq!(plan(t0()).await.unwrap(), "free", "{backend}");
            assert!(matches!(plan(t0() - Duration::seconds(1)).await, Err(RepoError::NotFound)), "{backend}");

            // A pro trial for a day, then business from day 10 onwards.
            ports.plans.assign_plan(me, "pro", t0() + Duration::days(1), Some(t0() + Duration::days(2))).await.unwrap();
            ports.plans.assign_plan(me, "business", t0() + Duration::days(10), None).await.unwrap();
            assert_eq!(plan(t0() + Duration::hours(36)).await.unwrap(), "pro", "{backend}: trial in force");
            assert_eq!(plan(t0() + Duration::days(3)).await.unwrap(), "free", "{backend}: trial over");
            assert_eq!(plan(t0() + Duration::days(11)).await.unwrap(), "business", "{backend}");
            assert!(
                matches!(ports.plans.assign_plan(me, "platinum", t0(), None).await, Err(RepoError::NotFound)),
                "{backend}: unknown plan"
            );

            let ids: Vec<_> = ports.plans.list_plans().await.unwrap().into_iter().map(|p| p.id).collect();
            assert_eq!(ids, ["enterprise", "free", "pro", "business"], "{backend}: by price, then id");
            let enterprise = ports.plans.get_plan("enterprise").await.unwrap();
            assert_eq!(enterprise.max_jobs, tseeder_core::domain::PlanLimit::Unlimited, "{backend}");
            assert!(matches!(ports.plans.get_plan("nope").await, Err(RepoError::NotFound)), "{backend}");
            test_db.cleanup().await;
        }
    }

    #[tokio::test]
    async fn api_keys_are_listed_newest_first_and_revoked_only_by_their_owner() {
        for test_db in TestDb::all().await {
            let backend = test_db.backend_name;
            let ports = ports(&test_db.db);
            let me = user(&ports, "k@example.com").await;
            let other = user(&ports, "k2@example.com").await;
            let key = |n: i64, scopes: Vec<Scope>| ApiKey {
                id: ApiKeyId::new(),
                user_id: me,
                org_id: Organization::personal_id(me),
                name: format!("key {n}"),
                prefix: format!("tsk_{n}"),
                key_hash: format!("hash-{n}"),
                scopes,
                created_at: t0() + Duration::seconds(n),
                last_used_at: None,
                expires_at: Some(t0() + Duration::days(30)),
                revoked_at: None,
            };
            let older = key(1, vec![Scope::JobsRead]);
            let newer = key(2, vec![Scope::JobsRead, Scope::JobsWrite, Scope::AccountRead, Scope::Admin]);
            let revoked = key(3, vec![]);
            for k in [&older, &newer, &revoked] {
                ports.accounts.insert_api_key(k).await.unwrap();
            }
            ports.accounts.revoke_api_key(me, revoked.id, t0()).await.unwrap();
            assert!(
                matches!(ports.accounts.revoke_api_key(me, revoked.id, t0()).await, Err(RepoError::NotFound)),
                "{backend}: already revoked"
            );
            assert!(
                matches!(ports.accounts.revoke_api_key(other, older.id, t0()).await, Err(RepoError::NotFound)),
                "{backend}: not theirs"
            );
            let listed = ports.accounts.list_api_keys(me).await.unwrap();
            assert_eq!(listed, vec![newer.clone(), older.clone()], "{backend}");

            ports.accounts.touch_api_key(older.id, t0() + Duration::minutes(5)).await.unwrap();
            let (found, owner) = ports.accounts.find_api_key("hash-3").await.unwrap().expect("revoked keys are found");
            assert_eq!((found.revoked_at, owner.id), (Some(t0()), me), "{backend}");
            let (found, _) = ports.accounts.find_api_key("hash-1").await.unwrap().unwrap();
            assert_eq!(found.last_used_at, Some(t0() + Duration::minutes(5)), "{backend}");
            assert!(ports.accounts.find_api_key("missing").await.unwrap().is_none(), "{backend}");
            test_db.cleanup().await;
        }
    }

    #[tokio::test]
    async fn list_users_matches_email_substrings_literally_oldest_first() {
        for test_db in TestDb::all().await {
            let backend = test_db.backend_name;
            let ports = ports(&test_db.db);
            let a = user(&ports, "ann_1@example.com").await;
            let b = user(&ports, "annx1@example.com").await;
            let c = user(&ports, "bob@example.org").await;
            let page = PageRequest::new(1, 10);
            let ids = |p: tseeder_core::domain::Page<tseeder_core::domain::User>| {
                (p.total, p.items.into_iter().map(|u| u.id).collect::<Vec<_>>())
            };
            let mut everyone = vec![a, b, c];
            everyone.sort(); // same created_at: ordered by id
            assert_eq!(ids(ports.accounts.list_users(None, page).await.unwrap()), (3, everyone), "{backend}");
            assert_eq!(
                ids(ports.accounts.list_users(Some("ANN_"), page).await.unwrap()),
                (1, vec![a]),
                "{backend}: `_` is not a wildcard, case is ignored"
            );
            assert_eq!(ids(ports.accounts.list_users(Some("%"), page).await.unwrap()).0, 0, "{backend}");
            let second = ports.accounts.list_users(Some("example"), PageRequest::new(2, 2)).await.unwrap();
            assert_eq!((second.total, second.items.len()), (3, 1), "{backend}");
            test_db.cleanup().await;
        }
    }

    #[tokio::test]
    async fn create_job_with_a_reused_idempotency_key_conflicts_and_writes_nothing() {
        for test_db in TestDb::all().await {
            let (db, backend) = (&test_db.db, test_db.backend_name);
            let ports = ports(db);
            let me = user(&ports, "i@example.com").await;
            let mut first = new_job(me, 'a');
            first.idempotency_key = Some("key-1".into());
            create(&ports, &first).await;
            let mut second = new_job(me, 'b');
            second.idempotency_key = Some("key-1".into());
            let msg = message(Some(second.id), 5);
            let refused = ports.jobs.create_job(&second, &msg, &audit("job.created")).await;
            assert!(matches!(refused, Err(RepoError::Conflict(_))), "{backend}: {refused:?}");
            assert!(matches!(ports.jobs.get_job(second.id).await, Err(RepoError::NotFound)), "{backend}");
            assert!(ports.queue.get(msg.id).await.is_err(), "{backend}: no queue message");
            assert_eq!(count(db, "job_events", second.id).await, 0, "{backend}: no history");
            let audits = ports.audit.list_audit(&AuditFilter::default(), PageRequest::default()).await.unwrap();
            assert_eq!(audits.total, 1, "{backend}: only the first job's audit entry");
            let found = ports.jobs.find_job_by_idempotency_key(me, "key-1").await.unwrap().map(|j| j.id);
            assert_eq!(found, Some(first.id), "{backend}");
            test_db.cleanup().await;
        }
    }

    #[tokio::test]
    async fn job_fields_round_trip_identically_on_every_backend() {
        for test_db in TestDb::all().await {
            let backend = test_db.backend_name;
            let ports = ports(&test_db.db);
            let me = user(&ports, "r@example.com").await;
            // Nanoseconds are truncated to microseconds on the way in, on both backends.
            let at = t0() + Duration::nanoseconds(123_456_789);
            let torrent = vec![0u8, 1, 2, 0xfe, 0xff];
            let mut job = new_job(me, 'd');
            job.source = JobSource::Torrent(torrent.clone().into());
            job.total_bytes = Some(10_000_000_000);
            job.created_at = at;
            let created = create(&ports, &job).await;
            assert_eq!(created.created_at, t0() + Duration::nanoseconds(123_456_000), "{backend}");
            assert_eq!(created.source, JobSource::Torrent(torrent.into()), "{backend}");
            assert_eq!(ports.jobs.get_job(job.id).await.unwrap(), created, "{backend}");

            let mut change = JobChange::unchecked(JobStatus::Queued, JobStatus::Downloading, at + Duration::seconds(1));
            change.name = Some("renamed".into());
            change.error = Some(Some("transient".into()));
            change.worker_id = Some(Some("agent-1".into()));
            change.done_bytes = Some(4_000_000_000);
            let updated = ports.jobs.update_job(job.id, &change).await.unwrap();
            assert_eq!(
                (updated.name.as_str(), updated.error.as_deref(), updated.worker_id.as_deref(), updated.done_bytes),
                ("renamed", Some("transient"), Some("agent-1"), 4_000_000_000),
                "{backend}"
            );
            assert_eq!(updated.total_bytes, Some(10_000_000_000), "{backend}: untouched fields are kept");
            let mut clear =
                JobChange::unchecked(JobStatus::Downloading, JobStatus::Downloading, at + Duration::seconds(2));
            clear.error = Some(None);
            clear.worker_id = Some(None);
            let cleared = ports.jobs.update_job(job.id, &clear).await.unwrap();
            assert_eq!((cleared.error.as_deref(), cleared.worker_id.as_deref()), (None, None), "{backend}");
            assert_eq!(cleared.updated_at, t0() + Duration::nanoseconds(2_123_456_000), "{backend}");
            assert_eq!(ports.jobs.get_job(job.id).await.unwrap(), cleared, "{backend}");
            assert!(matches!(ports.jobs.update_job(JobId::new(), &clear).await, Err(RepoError::NotFound)), "{backend}");

            let events = ports.jobs.list_job_events(job.id, 0, 10).await.unwrap();
            assert_eq!(events.len(), 1, "{backend}: changes without an event add no history");
            assert_eq!(events[0].payload, json!({ "source": "torrent" }), "{backend}");
            test_db.cleanup().await;
        }
    }

    #[tokio::test]
    async fn replay_with_a_job_change_revives_only_dead_messages() {
        for test_db in TestDb::all().await {
            let backend = test_db.backend_name;
            let ports = ports(&test_db.db);
            let me = user(&ports, "q@example.com").await;
            let job = new_job(me, 'e');
            let msg = message(Some(job.id), 1);
            ports.jobs.create_job(&job, &msg, &audit("job.created")).await.unwrap();

            let mut replay = JobChange::unchecked(JobStatus::Failed, JobStatus::Queued, t0() + Duration::minutes(1));
            replay.queue = Some(QueueOp::Replay(msg.id));
            replay.event =
                Some(NewJobEvent { kind: tseeder_core::domain::JobEventKind::StatusChanged, payload: json!({}) });
            replay.error = Some(None);
            ports
                .jobs
                .update_job(job.id, &JobChange::unchecked(JobStatus::Queued, JobStatus::Failed, t0()))
                .await
                .unwrap();
            let refused = ports.jobs.update_job(job.id, &replay).await;
            assert!(matches!(refused, Err(RepoError::Conflict(_))), "{backend}: the message is not dead: {refused:?}");
            assert_eq!(ports.jobs.get_job(job.id).await.unwrap().status, JobStatus::Failed, "{backend}: rolled back");
            assert_eq!(ports.jobs.list_job_events(job.id, 0, 10).await.unwrap().len(), 1, "{backend}");

            let lease = ports.queue.lease("jobs", "w", StdDuration::from_secs(30), t0()).await.unwrap().unwrap();
            ports.queue.dead_letter(&lease, "engine crashed", t0()).await.unwrap();
            let replayed = ports.jobs.update_job(job.id, &replay).await.unwrap();
            assert_eq!(replayed.status, JobStatus::Queued, "{backend}");
            let message = ports.queue.get(msg.id).await.unwrap();
            assert_eq!((message.state, message.attempts), (QueueState::Ready, 0), "{backend}");
            assert_eq!(message.visible_at, t0() + Duration::minutes(1), "{backend}");
            assert_eq!((message.errors.len(), message.dead_at), (1, None), "{backend}");
            let seqs: Vec<_> = ports.jobs.list_job_events(job.id, 0, 10).await.unwrap().iter().map(|e| e.seq).collect();
            assert_eq!(seqs, [1, 2], "{backend}");
            test_db.cleanup().await;
        }
    }

    #[tokio::test]
    async fn delete_job_removes_history_files_and_queue_messages_and_audits() {
        for test_db in TestDb::all().await {
            let (db, backend) = (&test_db.db, test_db.backend_name);
            let ports = ports(db);
            let me = user(&ports, "d@example.com").await;
            let job = new_job(me, 'f');
            let msg = message(Some(job.id), 5);
            ports.jobs.create_job(&job, &msg, &audit("job.created")).await.unwrap();
            insert_file(db, job.id, "a.bin", 10, true).await;
            let kept = create(&ports, &new_job(me, '1')).await;

            ports.jobs.delete_job(job.id, &audit("job.deleted")).await.unwrap();
            assert!(matches!(ports.jobs.get_job(job.id).await, Err(RepoError::NotFound)), "{backend}");
            for table in ["files", "job_events", "queue_messages"] {
                assert_eq!(count(db, table, job.id).await, 0, "{backend}: {table}");
            }
            assert_eq!(count(db, "job_events", kept.id).await, 1, "{backend}: other jobs are untouched");
            let filter = AuditFilter { action: Some("job.deleted".into()), ..AuditFilter::default() };
            assert_eq!(ports.audit.list_audit(&filter, PageRequest::default()).await.unwrap().total, 1, "{backend}");
            assert!(
                matches!(ports.jobs.delete_job(job.id, &audit("job.deleted")).await, Err(RepoError::NotFound)),
                "{backend}"
            );
            assert_eq!(
                ports.audit.list_audit(&filter, PageRequest::default()).await.unwrap().total,
                1,
                "{backend}: a refused delete is not audited"
            );
            test_db.cleanup().await;
        }
    }

    #[tokio::test]
    async fn list_jobs_filters_sorts_and_pages() {
        for test_db in TestDb::all().await {
            let backend = test_db.backend_name;
            let ports = ports(&test_db.db);
            let me = user(&ports, "l@example.com").await;
            let other = user(&ports, "l2@example.com").await;
            let mut ids = Vec::new();
            for (i, c) in ['1', '2', '3'].into_iter().enumerate() {
                let mut job = new_job(me, c);
                job.created_at = t0() + Duration::seconds(i as i64);
                job.name = format!("name {}", 3 - i);
                ids.push(create(&ports, &job).await.id);
            }
            create(&ports, &new_job(other, '4')).await;
            ports
                .jobs
                .update_job(ids[1], &JobChange::unchecked(JobStatus::Queued, JobStatus::Paused, t0()))
                .await
                .unwrap();

            let list = |filter: JobFilter, page: PageRequest| {
                let jobs = Arc::clone(&ports.jobs);
                async move {
                    let page = jobs.list_jobs(&filter, page).await.unwrap();
                    (page.total, page.items.into_iter().map(|j| j.id).collect::<Vec<_>>())
                }
            };
            let mine = JobFilter { user_id: Some(me), ..JobFilter::default() };
            assert_eq!(list(mine.clone(), PageRequest::default()).await, (3, ids.clone()), "{backend}");
            let newest = JobFilter { descending: true, ..mine.clone() };
            assert_eq!(list(newest, PageRequest::new(1, 2)).await, (3, vec![ids[2], ids[1]]), "{backend}");
            let by_name = JobFilter { sort: JobSort::Name, ..mine.clone() };
            assert_eq!(list(by_name, PageRequest::new(2, 2)).await, (3, vec![ids[0]]), "{backend}");
            let paused = JobFilter { status: Some(JobStatus::Paused), ..mine };
            assert_eq!(list(paused, PageRequest::default()).await, (1, vec![ids[1]]), "{backend}");
            assert_eq!(list(JobFilter::default(), PageRequest::default()).await.0, 4, "{backend}: everyone's");
            let my_org = JobFilter { org_id: Some(Organization::personal_id(me)), ..JobFilter::default() };
            assert_eq!(list(my_org, PageRequest::default()).await, (3, ids.clone()), "{backend}: by organization");
            test_db.cleanup().await;
        }
    }

    #[tokio::test]
    async fn blocklist_adds_once_removes_once_and_lists_newest_first() {
        for test_db in TestDb::all().await {
            let backend = test_db.backend_name;
            let ports = ports(&test_db.db);
            let me = user(&ports, "b@example.com").await;
            let entry = |c: char, secs: i64| BlocklistEntry {
                infohash: c.to_string().repeat(40).parse().expect("infohash"),
                reason: format!("reason {c}"),
                added_by: Some(me),
                created_at: t0() + Duration::seconds(secs),
            };
            let (older, newer) = (entry('a', 0), entry('b', 1));
            ports.blocklist.add(&older).await.unwrap();
            ports.blocklist.add(&newer).await.unwrap();
            assert!(matches!(ports.blocklist.add(&older).await, Err(RepoError::Conflict(_))), "{backend}");
            assert!(ports.blocklist.is_blocked(older.infohash).await.unwrap(), "{backend}");
            let listed = ports.blocklist.list(PageRequest::default()).await.unwrap();
            assert_eq!((listed.total, listed.items), (2, vec![newer.clone(), older.clone()]), "{backend}");
            ports.blocklist.remove(older.infohash).await.unwrap();
            assert!(!ports.blocklist.is_blocked(older.infohash).await.unwrap(), "{backend}");
            assert!(matches!(ports.blocklist.remove(older.infohash).await, Err(RepoError::NotFound)), "{backend}");
            test_db.cleanup().await;
        }
    }

    #[tokio::test]
    async fn audit_entries_are_filtered_and_listed_newest_first() {
        for test_db in TestDb::all().await {
            let backend = test_db.backend_name;
            let ports = ports(&test_db.db);
            let actor = UserId::new(); // audit history needs no user row
            for (i, action) in ["user.suspended", "user.role_changed", "user.suspended"].into_iter().enumerate() {
                let entry = AuditEntry {
                    actor_id: Some(actor),
                    action: action.into(),
                    target_type: "user".into(),
                    target_id: Some(format!("u{i}")),
                    metadata: json!({ "i": i }),
                    ip: None,
                    created_at: t0() + Duration::seconds(i as i64),
                };
                ports.audit.record(&entry).await.unwrap();
            }
            ports.audit.record(&audit("job.created")).await.unwrap();
            let filter = AuditFilter {
                actor_id: Some(actor),
                action: Some("user.suspended".into()),
                target_type: Some("user".into()),
                target_id: None,
            };
            let listed = ports.audit.list_audit(&filter, PageRequest::default()).await.unwrap();
            let got: Vec<_> = listed.items.iter().map(|r| r.entry.target_id.as_deref().unwrap_or("")).collect();
            assert_eq!((listed.total, got), (2, vec!["u2", "u0"]), "{backend}");
            assert_eq!(listed.items[0].entry.metadata, json!({ "i": 2 }), "{backend}");
            let one = AuditFilter { target_id: Some("u1".into()), ..AuditFilter::default() };
            assert_eq!(ports.audit.list_audit(&one, PageRequest::default()).await.unwrap().total, 1, "{backend}");
            let all = ports.audit.list_audit(&AuditFilter::default(), PageRequest::new(1, 1)).await.unwrap();
            assert_eq!((all.total, all.items.len()), (4, 1), "{backend}");
            test_db.cleanup().await;
        }
    }

    #[tokio::test]
    async fn queue_retry_clears_the_lease_and_stats_count_by_visibility() {
        for test_db in TestDb::all().await {
            let backend = test_db.backend_name;
            let queue = SeaOrmJobQueue::new(test_db.db.clone());
            let m = message(None, 5);
            queue.enqueue(&m).await.unwrap();
            let lease = queue.lease("jobs", "w", StdDuration::from_secs(30), t0()).await.unwrap().unwrap();
            queue.retry(&lease, "boom", t0(), t0() + Duration::seconds(15)).await.unwrap();
            assert!(
                matches!(queue.ack(&lease).await, Err(tseeder_core::error::QueueError::LeaseLost)),
                "{backend}: a retried lease is over"
            );
            let stored = queue.get(m.id).await.unwrap();
            assert_eq!((stored.lease_owner, stored.last_error.as_deref()), (None, Some("boom")), "{backend}");
            assert_eq!(stored.errors[0].at, t0(), "{backend}");
            let stats = queue.stats("jobs", t0()).await.unwrap();
            assert_eq!((stats.ready, stats.delayed, stats.dead), (0, 1, 0), "{backend}");
            let stats = queue.stats("jobs", t0() + Duration::seconds(15)).await.unwrap();
            assert_eq!((stats.ready, stats.delayed, stats.dead), (1, 0, 0), "{backend}");
            assert_eq!(queue.stats("elsewhere", t0()).await.unwrap(), Default::default(), "{backend}");
            test_db.cleanup().await;
        }
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
    async fn concurrent_deletes_of_a_shared_blob_orphan_it_exactly_once() {
        use tseeder_core::domain::{FileId, NewStoredFile, RelPath, blob_key};
        use tseeder_core::ports::FileRepository;
        use tseeder_storage::SeaOrmFileRepository;

        for test_db in TestDb::all().await {
            let backend = test_db.backend_name;
            let ports = ports(&test_db.db);
            let files = Arc::new(SeaOrmFileRepository::new(test_db.db.clone()));
            let (me, other) = (user(&ports, "c1@example.com").await, user(&ports, "c2@example.com").await);
            for round in 0..8 {
                let hash = char::from_digit(round, 16).expect("hex digit");
                let jobs =
                    [create(&ports, &new_job(me, hash)).await.id, create(&ports, &new_job(other, hash)).await.id];
                let path = RelPath::parse("shared.bin").expect("path");
                let key = blob_key(hash.to_string().repeat(40).parse().expect("infohash"), &path);
                for job in jobs {
                    let file = NewStoredFile {
                        id: FileId::new(),
                        job_id: job,
                        path: path.clone(),
                        size: 1,
                        blob_key: key.clone(),
                        mime_type: None,
                        created_at: t0(),
                    };
                    files.add_file(&file).await.expect("add file");
                }
                let tasks = jobs.map(|job| {
                    let files = Arc::clone(&files);
                    tokio::spawn(async move { files.delete_job_files(job).await })
                });
                let mut orphaned = Vec::new();
                for task in tasks {
                    orphaned.extend(task.await.expect("task").expect("delete_job_files"));
                }
                assert_eq!(orphaned, vec![key], "{backend}: round {round}");
            }
            test_db.cleanup().await;
        }
    }
}

/// The read cache between the services and these adapters (as `Tseeder::new` puts it) answers
/// like the adapters alone: each suite through it, in a fresh database, with entries kept for an
/// hour so that only writes make them stale.
#[tokio::test]
async fn the_read_cache_over_the_adapters_passes_their_conformance_suites() {
    let store_config = tseeder_storage::FileStoreConfig { url: "memory://".into(), ..Default::default() };
    for suite in ["repositories", "org_repository", "label_repository", "job_filters"] {
        for test_db in TestDb::all().await {
            eprintln!("{suite} suite through the read cache on {}", test_db.backend_name);
            let store = tseeder_storage::file_store(&store_config).await.unwrap();
            let clock = Arc::new(tseeder_core::ports::SystemClock);
            let cache = tseeder_core::read_cache::ReadCache::new(std::time::Duration::from_secs(3_600));
            let p = cache.wrap(tseeder_storage::ports(test_db.db.clone(), store, clock));
            match suite {
                "repositories" => conformance::repositories(&*p.accounts, &*p.jobs, &*p.queue, &*p.audit).await,
                "org_repository" => conformance::org_repository(&*p.accounts, &*p.orgs, &*p.jobs).await,
                "label_repository" => conformance::label_repository(&*p.accounts, &*p.jobs, &*p.labels).await,
                _ => conformance::job_filters(&*p.accounts, &*p.jobs).await,
            }
            test_db.cleanup().await;
        }
    }
}
