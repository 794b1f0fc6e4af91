//! Two API hosts of one installation on one database. Host A runs the jobs (its dispatcher and
//! engine); host B only serves the API. On PostgreSQL, job notices travel between them
//! (`LISTEN/NOTIFY`): a job submitted on B wakes A's dispatcher at once although it polls only
//! every ten minutes, and a listener on B gets the progress of a job running on A. On SQLite
//! (one process per database in practice) A finds B's jobs by polling, and B's live listeners
//! re-read the history every few seconds. Cached credentials and job lists follow writes made on
//! the same host at once, and on PostgreSQL writes made on the other host too.

use std::time::Duration;

use futures::StreamExt as _;
use serde_json::Value;
use tseeder::core::domain::JobId;
use tseeder::core::ports::EngineProgress;
use tseeder::core::services::events::JobNotice;

use crate::common::{Backend, TestApp};
use crate::downloads::{files_of, follow_events, sha256, torrent_form, wait_for_status};

const MIB: u64 = 1024 * 1024;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_hosts_share_the_queue_and_live_progress() {
    let Some(a) = TestApp::start_configured(Backend::Postgres, true, None, |c| {
        // Only a notice from B can start B's job within the test's deadline.
        c.dispatch.poll_interval_ms = 600_000;
    })
    .await
    else {
        eprintln!("TSEEDER_TEST_DATABASE_URL is not set: PostgreSQL variant not run");
        return;
    };
    hosts_share_the_queue_and_live_progress(a, true).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_hosts_share_the_queue_by_polling() {
    let a = TestApp::start_configured(Backend::Sqlite, true, None, |c| c.dispatch.poll_interval_ms = 200)
        .await
        .expect("sqlite");
    hosts_share_the_queue_and_live_progress(a, false).await;
}

async fn hosts_share_the_queue_and_live_progress(a: TestApp, relayed: bool) {
    let b = a.another_host(|c| c.dispatch.enabled = false).await;
    let user = b.register_and_login("hosts@example.com").await;

    // Submitted on B, run on A, followed live on B to the end.
    let source = a.payload("hosts.bin", 2 * MIB + 5, 7);
    let seeded = a.seeder().seed(&source).await.unwrap();
    let res = user.post("/jobs").multipart(torrent_form(seeded.torrent_bytes)).send().await.unwrap();
    assert_eq!(res.status(), 201);
    let job: Value = res.json().await.unwrap();
    let id = job["id"].as_str().unwrap().to_owned();
    let events = follow_events(&user, &id, None).await;
    let kinds: Vec<&str> = events.iter().map(|e| e.event.as_str()).collect();
    assert_eq!(kinds.last(), Some(&"end"), "{kinds:?}");
    assert_eq!(events.last().unwrap().data["status"], "completed", "{kinds:?}");
    wait_for_status(&user, &id, "completed").await;
    let files = files_of(&user, &id).await;
    let file_id = files[0]["id"].as_str().unwrap();
    let body = user.get(&format!("/files/{file_id}/download")).send().await.unwrap().bytes().await.unwrap();
    assert_eq!(sha256(&body), sha256(&std::fs::read(&source).unwrap()), "B serves the file A stored");

    if relayed {
        // A job on A that stays running (no peer has this torrent); its progress reaches B.
        let magnet = format!("magnet:?xt=urn:btih:{}&dn=nobody-seeds-this", "ab".repeat(20));
        let res = user.post("/jobs").json(&serde_json::json!({ "magnetUri": magnet })).send().await.unwrap();
        assert_eq!(res.status(), 201);
        let id: Value = res.json().await.unwrap();
        let id = id["id"].as_str().unwrap().to_owned();
        wait_for_status(&user, &id, "fetching_metadata").await;
        let res = user.get(&format!("/jobs/{id}/events")).send().await.unwrap();
        assert_eq!(res.status(), 200, "B follows the job (and is subscribed once it answers)");
        let progress = EngineProgress {
            done_bytes: 4_242,
            total_bytes: 10_000,
            download_bps: 1_234,
            upload_bps: 0,
            peers: 2,
            eta_secs: Some(5),
        };
        let job_id = JobId(id.parse().unwrap());
        let mut stream = res.bytes_stream();
        let mut seen = String::new();
        let deadline = tokio::time::Instant::now() + Duration::from_secs(30);
        // Published on A (as A's engine reports it) until B's stream carries it.
        while !seen.contains("\"downloadBps\":1234") {
            a.core.events.publish(job_id, JobNotice::Progress(progress));
            let chunk = tokio::time::timeout(Duration::from_millis(500), stream.next()).await;
            if let Ok(Some(chunk)) = chunk {
                seen.push_str(&String::from_utf8_lossy(&chunk.unwrap()));
            }
            assert!(tokio::time::Instant::now() < deadline, "A's progress never reached B: {seen}");
        }
        assert!(seen.contains("event: progress") || seen.contains("event:progress"), "{seen}");
        assert!(seen.contains("\"doneBytes\":4242"), "{seen}");
        // B runs no engine: what it knows of the job's speed came from A (this snapshot, or one
        // of A's engine, which reports the job every second).
        assert!(b.core.events.progress(job_id).is_some(), "B knows the speed and time left");
    }
    b.stop().await;
    a.stop().await;
}

/// Cached credentials and job lists, kept for ten minutes here so that only a write can make
/// them stale: on one host a write is seen by the very next request; on PostgreSQL, the other
/// host drops its entries when it hears of the write.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cached_reads_never_outlive_a_write_on_any_host() {
    let cached = |c: &mut tseeder::TseederConfig| c.cache.max_age_ms = 600_000;
    let sqlite = TestApp::start_configured(Backend::Sqlite, false, None, cached).await.expect("sqlite");
    cached_reads_follow_writes(&sqlite, &sqlite, false).await;
    sqlite.stop().await;

    let Some(a) = TestApp::start_configured(Backend::Postgres, false, None, cached).await else {
        eprintln!("TSEEDER_TEST_DATABASE_URL is not set: PostgreSQL variant not run");
        return;
    };
    let b = a.another_host(|_| {}).await;
    cached_reads_follow_writes(&a, &b, true).await;
    b.stop().await;
    a.stop().await;
}

/// Writes on `a`, reads with an API key on `b`; `eventually` when they are two processes.
async fn cached_reads_follow_writes(a: &TestApp, b: &TestApp, eventually: bool) {
    let owner = a.register_and_login("cached@example.com").await;
    let secret = owner.api_key(&["jobs:read"]).await;
    let script = b.key_client(&secret);
    let total = || async {
        let res = script.get("/jobs").send().await.unwrap();
        (res.status().as_u16(), res.json::<Value>().await.map(|v| v["meta"]["total"].clone()).unwrap_or_default())
    };
    assert_eq!(total().await, (200, Value::from(0)));
    assert_eq!(total().await, (200, Value::from(0)), "now cached");

    let magnet = format!("magnet:?xt=urn:btih:{}&dn=cached", "ef".repeat(20));
    let res = owner.post("/jobs").json(&serde_json::json!({ "magnetUri": magnet })).send().await.unwrap();
    assert_eq!(res.status(), 201);
    until(eventually, "the new job is listed", || async { total().await == (200, Value::from(1)) }).await;

    let keys: Value = owner.get("/auth/api-keys").send().await.unwrap().json().await.unwrap();
    let id = keys["keys"][0]["id"].as_str().expect("key id").to_owned();
    let res = owner.send(reqwest::Method::DELETE, &format!("/auth/api-keys/{id}")).send().await.unwrap();
    assert_eq!(res.status(), 204);
    until(eventually, "the revoked key is refused", || async { total().await.0 == 401 }).await;
}

/// Checks `done` once (`eventually` false: it must hold at once), or until it holds within a
/// liveness bound.
async fn until<F: Future<Output = bool>>(eventually: bool, what: &str, done: impl Fn() -> F) {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    while !done().await {
        assert!(eventually && tokio::time::Instant::now() < deadline, "{what}: not so");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}
