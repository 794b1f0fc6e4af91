//! Remote dispatch end to end: the API runs jobs on in-process agents (each its own loopback
//! librqbit engine, signed heartbeats and signed jobs API) that upload finished files to the
//! shared object store; no agent, or every agent full -> retries and one security event; a dead
//! agent -> failover; three agents in two regions -> spread by load, region hints, fallback
//! across regions; a job without a hint runs in its user's default region.

use std::sync::Arc;
use std::time::{Duration, Instant};

use serde_json::Value;
use sha2::{Digest, Sha256};
use tokio::task::JoinHandle;
use tokio_util::sync::CancellationToken;
use tseeder::TseederConfig;
use tseeder::agent::LibrqbitEngine;
use tseeder::agent::remote::{
    AgentConfig, AgentJobs, AgentState, AgentStats, Secret, StatsSource, serve, spawn_heartbeats,
};
use tseeder::agent::testing::loopback_config;
use tseeder::core::config::DispatchEngine;
use tseeder::core::domain::Role;
use tseeder::core::ports::ComputeEngine;

use crate::common::{AGENT_SECRET, Backend, Session, TestApp};

const MIB: u64 = 1024 * 1024;

fn configure(config: &mut TseederConfig) {
    config.dispatch.engine = DispatchEngine::Agents;
    config.agents.stale_after_secs = 3;
    config.jobs.retry.base_secs = 1;
    config.jobs.retry.cap_secs = 2;
    // Few attempts: waiting for an agent must not spend them.
    config.jobs.retry.max_attempts = 3;
}

async fn app(backend: Backend) -> Option<TestApp> {
    TestApp::start_configured(backend, true, None, configure).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn sqlite_a_job_runs_on_an_agent_and_its_files_are_stored() {
    let app = app(Backend::Sqlite).await.unwrap();
    a_job_runs_on_an_agent_and_its_files_are_stored(&app).await;
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn postgres_a_job_runs_on_an_agent_and_its_files_are_stored() {
    let Some(app) = app(Backend::Postgres).await else { return };
    a_job_runs_on_an_agent_and_its_files_are_stored(&app).await;
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn sqlite_without_agents_a_job_waits_with_one_security_event_then_runs() {
    let app = app(Backend::Sqlite).await.unwrap();
    without_agents_a_job_waits_with_one_security_event_then_runs(&app).await;
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn postgres_without_agents_a_job_waits_with_one_security_event_then_runs() {
    let Some(app) = app(Backend::Postgres).await else { return };
    without_agents_a_job_waits_with_one_security_event_then_runs(&app).await;
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn sqlite_with_every_agent_full_a_job_waits_with_one_security_event_then_runs() {
    let app = app(Backend::Sqlite).await.unwrap();
    with_every_agent_full_a_job_waits_with_one_security_event_then_runs(&app).await;
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn postgres_with_every_agent_full_a_job_waits_with_one_security_event_then_runs() {
    let Some(app) = app(Backend::Postgres).await else { return };
    with_every_agent_full_a_job_waits_with_one_security_event_then_runs(&app).await;
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn sqlite_a_dead_agents_job_fails_over_to_another_agent() {
    let app = app(Backend::Sqlite).await.unwrap();
    a_dead_agents_job_fails_over_to_another_agent(&app).await;
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn postgres_a_dead_agents_job_fails_over_to_another_agent() {
    let Some(app) = app(Backend::Postgres).await else { return };
    a_dead_agents_job_fails_over_to_another_agent(&app).await;
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn sqlite_jobs_spread_by_load_respect_the_region_hint_and_fall_back() {
    let app = app(Backend::Sqlite).await.unwrap();
    jobs_spread_by_load_respect_the_region_hint_and_fall_back(&app).await;
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn postgres_jobs_spread_by_load_respect_the_region_hint_and_fall_back() {
    let Some(app) = app(Backend::Postgres).await else { return };
    jobs_spread_by_load_respect_the_region_hint_and_fall_back(&app).await;
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn sqlite_a_job_without_a_hint_runs_in_the_users_default_region() {
    let app = app(Backend::Sqlite).await.unwrap();
    a_job_without_a_hint_runs_in_the_users_default_region(&app).await;
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn postgres_a_job_without_a_hint_runs_in_the_users_default_region() {
    let Some(app) = app(Backend::Postgres).await else { return };
    a_job_without_a_hint_runs_in_the_users_default_region(&app).await;
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn sqlite_an_alert_is_raised_while_an_agent_is_gone_and_cleared_when_it_returns() {
    let app = app(Backend::Sqlite).await.unwrap();
    an_alert_is_raised_while_an_agent_is_gone_and_cleared_when_it_returns(&app).await;
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn postgres_an_alert_is_raised_while_an_agent_is_gone_and_cleared_when_it_returns() {
    let Some(app) = app(Backend::Postgres).await else { return };
    an_alert_is_raised_while_an_agent_is_gone_and_cleared_when_it_returns(&app).await;
    app.stop().await;
}

/// The alert codes `support` sees now.
async fn alert_codes(support: &Session) -> Vec<String> {
    let alerts: Value = support.get("/admin/alerts").send().await.unwrap().json().await.unwrap();
    alerts["alerts"].as_array().unwrap().iter().map(|a| a["code"].as_str().unwrap().to_owned()).collect()
}

/// Waits until the alerts are exactly `expected`.
async fn wait_alerts(support: &Session, expected: &[&str], what: &str) {
    let started = Instant::now();
    loop {
        let codes = alert_codes(support).await;
        if codes == expected {
            return;
        }
        assert!(started.elapsed() < Duration::from_secs(20), "{what}: the alerts are {codes:?}");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

async fn an_alert_is_raised_while_an_agent_is_gone_and_cleared_when_it_returns(app: &TestApp) {
    let support = app.staff("alerts-support@example.com", Role::Support).await;
    let agent = Agent::start(app, "lone-1", "ap-south", None).await;
    wait_registered(&support, &["lone-1"]).await;
    wait_alerts(&support, &[], "with the agent up, nothing").await;

    // The agent dies: once its heartbeat is stale, the fleet and its region are alerted.
    agent.kill().await;
    wait_alerts(&support, &["region.ap-south.no_healthy_agent", "workers.stale"], "with the agent gone").await;
    let alerts: Value = support.get("/admin/alerts").send().await.unwrap().json().await.unwrap();
    assert_eq!(alerts["alerts"][0]["severity"], "critical", "{alerts}");
    assert!(alerts["alerts"][1]["message"].as_str().unwrap().contains("lone-1"), "{alerts}");

    // It comes back (a new process, the same worker id): the alerts clear.
    let back = Agent::start(app, "lone-1", "ap-south", None).await;
    wait_registered(&support, &["lone-1"]).await;
    wait_alerts(&support, &[], "with the agent back").await;
    back.stop().await;
}

/// An agent running in this process, as its binary would.
pub(crate) struct Agent {
    id: String,
    base: String,
    jobs: Arc<AgentJobs>,
    cancel: CancellationToken,
    heartbeats: JoinHandle<()>,
    server: JoinHandle<std::io::Result<()>>,
    _engine: LibrqbitEngine,
}

impl Agent {
    pub(crate) async fn start(app: &TestApp, id: &str, region: &str, download_bps: Option<u32>) -> Self {
        Self::start_with(app, id, region, download_bps, 2).await
    }

    async fn start_with(app: &TestApp, id: &str, region: &str, download_bps: Option<u32>, max_jobs: u32) -> Self {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let mut engine = loopback_config(app.dir.path().join(format!("scratch-{id}")), app.seeder().addr());
        engine.download_bps = download_bps;
        let config = AgentConfig {
            worker_id: id.into(),
            region: region.parse().unwrap(),
            public_url: format!("http://{addr}/").parse().unwrap(),
            api_url: app.base.parse().unwrap(),
            secret: Secret::new(AGENT_SECRET),
            max_jobs,
            heartbeat_interval_secs: 1,
            listen: addr,
            engine,
            store: None,
        };
        config.validate().unwrap();
        let engine = LibrqbitEngine::new(config.engine.clone()).await.unwrap();
        // The same object store as the API's (a shared directory here; S3 across machines).
        let store = Arc::clone(&app.core.ports.store);
        let compute: Arc<dyn ComputeEngine> = Arc::new(engine.clone());
        let jobs = Arc::new(AgentJobs::new(compute, store, config.max_jobs));
        let stats: Arc<dyn StatsSource> = Arc::new(AgentStats::new(Arc::new(engine.clone()), Arc::clone(&jobs)));
        let cancel = CancellationToken::new();
        let heartbeats = spawn_heartbeats(config.clone(), Arc::clone(&stats), cancel.clone());
        let server_cancel = cancel.clone();
        let state = AgentState::new(config, stats).with_jobs(Arc::clone(&jobs));
        let server = tokio::spawn(serve(listener, state, async move {
            server_cancel.cancelled().await;
        }));
        Self { id: id.into(), base: format!("http://{addr}"), jobs, cancel, heartbeats, server, _engine: engine }
    }

    /// The agent dies: no more heartbeats, no more answers, its downloads gone.
    pub(crate) async fn kill(self) {
        self.heartbeats.abort();
        self.server.abort();
        self.jobs.shutdown().await;
    }

    pub(crate) async fn stop(self) {
        self.jobs.shutdown().await;
        self.cancel.cancel();
        let _ = tokio::time::timeout(Duration::from_secs(10), self.heartbeats).await;
        let _ = tokio::time::timeout(Duration::from_secs(15), self.server).await;
    }
}

/// Waits until every agent in `ids` is registered and fresh.
async fn wait_registered(admin: &Session, ids: &[&str]) {
    let started = Instant::now();
    loop {
        let list: Value = admin.get("/admin/workers").send().await.unwrap().json().await.unwrap();
        let fresh = |id: &str| {
            list["workers"].as_array().is_some_and(|w| w.iter().any(|w| w["id"] == id && w["stale"] == false))
        };
        if ids.iter().all(|id| fresh(id)) {
            return;
        }
        assert!(started.elapsed() < Duration::from_secs(20), "agents never registered: {list}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

fn sha256(bytes: &[u8]) -> Vec<u8> {
    Sha256::digest(bytes).to_vec()
}

/// Submits a seeded payload of `size` bytes; its job id and bytes.
async fn submit(app: &TestApp, user: &Session, name: &str, size: u64, seed: u64) -> (String, Vec<u8>) {
    submit_hinted(app, user, name, size, seed, None).await
}

/// [`submit`] with an optional `regionHint` multipart field.
/// Seeds a payload and submits its `.torrent` (multipart, with `regionHint` when given);
/// returns the created job and the payload.
async fn submit_form(
    app: &TestApp,
    user: &Session,
    name: &str,
    size: u64,
    seed: u64,
    region_hint: Option<&str>,
) -> (Value, Vec<u8>) {
    let source = app.payload(name, size, seed);
    let bytes = std::fs::read(&source).unwrap();
    let seeded = app.seeder().seed(&source).await.unwrap();
    let mut form = reqwest::multipart::Form::new().part(
        "torrent",
        reqwest::multipart::Part::bytes(seeded.torrent_bytes.clone())
            .file_name("x.torrent")
            .mime_str("application/x-bittorrent")
            .unwrap(),
    );
    if let Some(region) = region_hint {
        form = form.text("regionHint", region.to_owned());
    }
    let res = user.post("/jobs").multipart(form).send().await.unwrap();
    assert_eq!(res.status(), 201, "job accepted");
    let job: Value = res.json().await.unwrap();
    (job, bytes)
}

/// [`submit_form`], checking the job keeps the hint; returns the job id and the payload.
async fn submit_hinted(
    app: &TestApp,
    user: &Session,
    name: &str,
    size: u64,
    seed: u64,
    region_hint: Option<&str>,
) -> (String, Vec<u8>) {
    let (job, bytes) = submit_form(app, user, name, size, seed, region_hint).await;
    assert_eq!(job["regionHint"].as_str(), region_hint, "the hint is kept: {job}");
    (job["id"].as_str().unwrap().to_owned(), bytes)
}

/// Waits until the registry shows `id` with at least `active` jobs (its heartbeat caught up).
async fn wait_active(admin: &Session, id: &str, active: u64) {
    let started = Instant::now();
    loop {
        let list: Value = admin.get("/admin/workers").send().await.unwrap().json().await.unwrap();
        let seen = list["workers"]
            .as_array()
            .and_then(|w| w.iter().find(|w| w["id"] == id))
            .and_then(|w| w["activeJobs"].as_u64())
            .unwrap_or(0);
        if seen >= active {
            return;
        }
        assert!(started.elapsed() < Duration::from_secs(20), "{id} never reported {active} jobs: {list}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

async fn job(user: &Session, id: &str) -> Value {
    user.get(&format!("/jobs/{id}")).send().await.unwrap().json().await.unwrap()
}

async fn wait_until(user: &Session, id: &str, what: &str, done: impl Fn(&Value) -> bool) -> Value {
    let started = Instant::now();
    loop {
        let now = job(user, id).await;
        if done(&now) {
            return now;
        }
        assert!(now["status"] != "failed", "job failed: {now}");
        assert!(started.elapsed() < Duration::from_secs(120), "job never {what}: {now}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// The job's one file is the payload (SHA-256), downloaded through the API.
async fn assert_file(user: &Session, id: &str, bytes: &[u8]) {
    let listed: Value = user.get(&format!("/jobs/{id}/files")).send().await.unwrap().json().await.unwrap();
    let files = listed["files"].as_array().unwrap();
    assert_eq!(files.len(), 1, "{listed}");
    assert_eq!(files[0]["sizeBytes"], bytes.len(), "{listed}");
    let url = user.url(&format!("/files/{}/download", files[0]["id"].as_str().unwrap()));
    let res = user.client.get(url).send().await.unwrap();
    assert_eq!(res.status(), 200);
    assert_eq!(sha256(&res.bytes().await.unwrap()), sha256(bytes), "the stored file is the payload");
}

async fn history(user: &Session, id: &str) -> Vec<Value> {
    let history: Value = user.get(&format!("/jobs/{id}/history")).send().await.unwrap().json().await.unwrap();
    history["events"].as_array().unwrap().clone()
}

async fn no_worker_events(admin: &Session) -> Value {
    let events: Value = admin
        .get("/admin/security-events?kind=compute.no_worker_available&limit=100")
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    events["meta"]["total"].clone()
}

async fn a_job_runs_on_an_agent_and_its_files_are_stored(app: &TestApp) {
    let admin = app.staff("remote-admin@example.com", Role::Admin).await;
    let eu = Agent::start(app, "eu-1", "eu-west", None).await;
    let us = Agent::start(app, "us-1", "us-east", None).await;
    wait_registered(&admin, &["eu-1", "us-1"]).await;

    let user = app.register_and_login("remote@example.com").await;
    let (id, bytes) = submit(app, &user, "remote.bin", 2 * MIB + 5, 11).await;
    let done = wait_until(&user, &id, "completed", |j| j["status"] == "completed").await;
    let worker = done["workerId"].as_str().unwrap_or_default().to_owned();
    assert!(worker == "eu-1" || worker == "us-1", "the job ran on an agent: {done}");
    assert_file(&user, &id, &bytes).await;
    assert_eq!(no_worker_events(&admin).await, 0);

    // The agent's jobs API only answers the API's signatures.
    let client = reqwest::Client::new();
    let body = serde_json::to_vec(&serde_json::json!({
        "jobId": "018f0000-0000-7000-8000-000000000001",
        "infohash": "0123456789abcdef0123456789abcdef01234567",
        "source": { "magnetUri": "magnet:?xt=urn:btih:0123456789abcdef0123456789abcdef01234567" },
    }))
    .unwrap();
    let res = client.post(format!("{}/v1/jobs", eu.base)).body(body.clone()).send().await.unwrap();
    assert_eq!(res.status(), 401, "unsigned");
    let res = signed(&client, reqwest::Method::GET, &eu.base, "/v1/jobs/nope/events?after=0", Vec::new()).await;
    assert_eq!(res.status(), 404, "unknown job");
    // An agent without spare capacity answers 503 at_capacity.
    let full = Agent::start_with(app, "full-1", "eu-west", None, 0).await;
    let res = signed(&client, reqwest::Method::POST, &full.base, "/v1/jobs", body).await;
    assert_eq!(res.status(), 503);
    let error: Value = res.json().await.unwrap();
    assert_eq!(error["error"]["code"], "at_capacity", "{error}");
    full.stop().await;
    eu.stop().await;
    us.stop().await;
}

async fn signed(
    client: &reqwest::Client,
    method: reqwest::Method,
    base: &str,
    path: &str,
    body: Vec<u8>,
) -> reqwest::Response {
    use tseeder::core::services::agent_auth::{SIGNATURE_HEADER, TIMESTAMP_HEADER, sign};
    let ts = chrono::Utc::now().timestamp();
    let signature = sign(AGENT_SECRET.as_bytes(), method.as_str(), path, ts, &body);
    client
        .request(method, format!("{base}{path}"))
        .header(TIMESTAMP_HEADER, ts.to_string())
        .header(SIGNATURE_HEADER, signature)
        .body(body)
        .send()
        .await
        .unwrap()
}

/// Watches job `id` wait for capacity for more than 5 s (several tries, with the retry policy's
/// 1 s first delay): it stays queued with `error`, no attempt is counted or failed.
async fn waits_without_spending_attempts(app: &TestApp, user: &Session, id: &str, error: &str) {
    let started = Instant::now();
    while started.elapsed() < Duration::from_secs(6) {
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    let now = job(user, id).await;
    assert_eq!((now["status"].as_str(), now["error"].as_str()), (Some("queued"), Some(error)), "{now}");
    let message = app.core.ports.queue.find_for_job(id.parse().unwrap()).await.unwrap().expect("the job's message");
    assert!(message.attempts <= 1, "waiting spent attempts: {message:?}");
    assert!(message.errors.is_empty(), "waiting recorded failures: {message:?}");
    let history = history(user, id).await;
    assert!(history.iter().all(|e| e["kind"] != "attempt_failed"), "{history:?}");
}

async fn without_agents_a_job_waits_with_one_security_event_then_runs(app: &TestApp) {
    let admin = app.staff("starved-admin@example.com", Role::Admin).await;
    let user = app.register_and_login("starved@example.com").await;
    let (id, bytes) = submit(app, &user, "starved.bin", MIB + 3, 12).await;

    // No agent: the job waits in the queue, tried again with backoff, spending no attempt.
    waits_without_spending_attempts(app, &user, &id, "waiting: no agent available").await;
    assert_eq!(no_worker_events(&admin).await, 1, "one security event for the episode, not one per retry");

    // An agent comes up: the job completes there.
    let agent = Agent::start(app, "late-1", "eu-west", None).await;
    let done = wait_until(&user, &id, "completed", |j| j["status"] == "completed").await;
    assert_eq!(done["workerId"], "late-1", "{done}");
    assert_file(&user, &id, &bytes).await;
    assert_eq!(no_worker_events(&admin).await, 1);
    agent.stop().await;
}

async fn with_every_agent_full_a_job_waits_with_one_security_event_then_runs(app: &TestApp) {
    let admin = app.staff("full-admin@example.com", Role::Admin).await;
    // One agent taking one job at a time, slow: 2 MiB at 128 KiB/s takes about 16 s.
    let agent = Agent::start_with(app, "busy-1", "eu-west", Some(128 * 1024), 1).await;
    wait_registered(&admin, &["busy-1"]).await;
    let user = app.register_and_login("full@example.com").await;
    let (first, first_bytes) = submit(app, &user, "full-first.bin", 2 * MIB + 1, 14).await;
    wait_until(&user, &first, "downloading on busy-1", |j| {
        j["workerId"] == "busy-1" && j["status"] == "downloading" && j["doneBytes"].as_u64().unwrap_or(0) > 0
    })
    .await;
    assert_eq!(no_worker_events(&admin).await, 0);

    // The agent exists but is full: a further job waits with backoff, spending no attempt, and
    // the episode writes one security event, not one per try.
    let (second, second_bytes) = submit(app, &user, "full-second.bin", 256 * 1024 + 7, 15).await;
    let full = "waiting: every agent is full, stale, cordoned or draining";
    waits_without_spending_attempts(app, &user, &second, full).await;
    assert_eq!(no_worker_events(&admin).await, 1, "one security event for the episode, not one per retry");

    // Capacity frees when the first job ends: the second completes on the same agent.
    let done = wait_until(&user, &first, "completed", |j| j["status"] == "completed").await;
    assert_eq!(done["workerId"], "busy-1", "{done}");
    assert_file(&user, &first, &first_bytes).await;
    let done = wait_until(&user, &second, "completed", |j| j["status"] == "completed").await;
    assert_eq!(done["workerId"], "busy-1", "{done}");
    assert_file(&user, &second, &second_bytes).await;
    assert_eq!(no_worker_events(&admin).await, 1, "the episode's one event");
    agent.stop().await;
}

async fn a_dead_agents_job_fails_over_to_another_agent(app: &TestApp) {
    let admin = app.staff("failover-admin@example.com", Role::Admin).await;
    // A slow agent: 2 MiB at 128 KiB/s takes about 16 s.
    let slow = Agent::start(app, "slow-1", "eu-west", Some(128 * 1024)).await;
    wait_registered(&admin, &["slow-1"]).await;
    let user = app.register_and_login("failover@example.com").await;
    let (id, bytes) = submit(app, &user, "failover.bin", 2 * MIB + 9, 13).await;
    wait_until(&user, &id, "downloading on slow-1", |j| {
        j["workerId"] == "slow-1" && j["status"] == "downloading" && j["doneBytes"].as_u64().unwrap_or(0) > 0
    })
    .await;

    // Another agent comes up, then the slow one dies mid-download.
    let spare = Agent::start(app, "spare-1", "us-east", None).await;
    wait_registered(&admin, &["spare-1"]).await;
    assert_eq!(slow.id, "slow-1");
    slow.kill().await;

    let done = wait_until(&user, &id, "completed", |j| j["status"] == "completed").await;
    assert_eq!(done["workerId"], "spare-1", "{done}");
    assert_file(&user, &id, &bytes).await;
    let events = history(&user, &id).await;
    let failed: Vec<&Value> = events.iter().filter(|e| e["kind"] == "attempt_failed").collect();
    assert!(!failed.is_empty(), "the history shows the failed attempt: {events:?}");
    assert!(
        failed.iter().any(|e| e["payload"]["error"].as_str().is_some_and(|m| m.contains("slow-1"))),
        "the failed attempt names the dead agent: {failed:?}"
    );
    spare.stop().await;
}

async fn jobs_spread_by_load_respect_the_region_hint_and_fall_back(app: &TestApp) {
    let admin = app.staff("regions-admin@example.com", Role::Admin).await;
    let user = app.register_and_login("regions@example.com").await;

    // A bad hint is refused, in either body.
    let res = user
        .post("/jobs")
        .json(&serde_json::json!({
            "magnetUri": format!("magnet:?xt=urn:btih:{}", "ab".repeat(20)),
            "regionHint": "EU West",
        }))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 400);
    let error: Value = res.json().await.unwrap();
    assert_eq!(error["error"]["code"], "invalid_region", "{error}");
    let form = reqwest::multipart::Form::new()
        .part("torrent", reqwest::multipart::Part::bytes(vec![b'd', b'e']).file_name("x.torrent"))
        .text("regionHint", "US");
    let res = user.post("/jobs").multipart(form).send().await.unwrap();
    assert_eq!(res.status(), 400);
    let error: Value = res.json().await.unwrap();
    assert_eq!(error["error"]["code"], "invalid_region", "{error}");

    // Slow agents (2 MiB at 128 KiB/s: about 16 s a job) so the jobs overlap.
    let slow = Some(128 * 1024);
    let a1 = Agent::start_with(app, "a1", "eu", slow, 2).await;
    let a2 = Agent::start_with(app, "a2", "eu", slow, 2).await;
    let b1 = Agent::start_with(app, "b1", "us", slow, 1).await;
    wait_registered(&admin, &["a1", "a2", "b1"]).await;
    let size = 2 * MIB + 17;
    // One user per job: a plan's active-job quota is small.
    let (user_b, user_c) =
        (app.register_and_login("regions-b@example.com").await, app.register_and_login("regions-c@example.com").await);
    let running = |worker: &'static [&'static str]| {
        move |j: &Value| {
            worker.iter().any(|w| j["workerId"] == *w)
                && j["status"] == "downloading"
                && j["doneBytes"].as_u64().unwrap_or(0) > 0
        }
    };

    // (b) A "us" job runs on b1, the only "us" agent, though eu has more room.
    let (us_1, us_1_bytes) = submit_hinted(app, &user, "us-1.bin", size, 21, Some("us")).await;
    wait_until(&user, &us_1, "running on b1", running(&["b1"])).await;
    wait_active(&admin, "b1", 1).await;

    // (c) b1 is full (max 1 job): the next "us" job falls back to an eu agent.
    let (us_2, us_2_bytes) = submit_hinted(app, &user_b, "us-2.bin", size, 22, Some("us")).await;
    let now = wait_until(&user_b, &us_2, "running in eu", running(&["a1", "a2"])).await;
    let first_eu = now["workerId"].as_str().unwrap().to_owned();
    wait_active(&admin, &first_eu, 1).await;

    // (a) Spread by load: with one eu agent busy, the next eu job goes to the idle one.
    let (eu_1, eu_1_bytes) = submit_hinted(app, &user_c, "eu-1.bin", size, 23, Some("eu")).await;
    let now = wait_until(&user_c, &eu_1, "running in eu", running(&["a1", "a2"])).await;
    let second_eu = now["workerId"].as_str().unwrap().to_owned();
    assert_ne!(first_eu, second_eu, "the less loaded eu agent got the job: {now}");
    assert_eq!(job(&user, &us_1).await["workerId"], "b1", "b1 still runs the first us job");

    for (owner, id, bytes) in
        [(&user, &us_1, &us_1_bytes), (&user_b, &us_2, &us_2_bytes), (&user_c, &eu_1, &eu_1_bytes)]
    {
        wait_until(owner, id, "completed", |j| j["status"] == "completed").await;
        assert_file(owner, id, bytes).await;
    }
    let done = job(&user, &us_1).await;
    assert_eq!((done["workerId"].as_str(), done["regionHint"].as_str()), (Some("b1"), Some("us")), "{done}");
    assert_eq!(job(&user_b, &us_2).await["workerId"], first_eu.as_str());
    assert_eq!(job(&user_c, &eu_1).await["workerId"], second_eu.as_str());
    assert_eq!(no_worker_events(&admin).await, 0, "capacity was always found");
    a1.stop().await;
    a2.stop().await;
    b1.stop().await;
}

/// Real jobs are routed by a wasm "prefer region" router (over the job's own hint), and a
/// plugin swap through the admin API sends the next job elsewhere.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn sqlite_a_wasm_router_places_jobs_and_a_hot_swap_changes_where_they_run() {
    let plugins = tempfile::tempdir().unwrap();
    let prefer_us = tseeder_plugins::testing::prefer_region_router("us");
    let prefer_eu = tseeder_plugins::testing::prefer_region_router("eu");
    let path = plugins.path().join("router.wasm");
    std::fs::write(&path, &prefer_us).unwrap();
    let router = tseeder::core::config::PluginConfig {
        path: path.display().to_string(),
        sha256: tseeder_plugins::sha256_hex(&prefer_us),
        ..Default::default()
    };
    let app = TestApp::start_configured(Backend::Sqlite, true, None, |config| {
        configure(config);
        config.plugins.router = Some(router);
        config.plugins.watch_interval_ms = 0;
    })
    .await
    .unwrap();
    let admin = app.staff("wasm-router-admin@example.com", Role::Admin).await;
    let user = app.register_and_login("wasm-router@example.com").await;
    let eu = Agent::start(&app, "eu-1", "eu", None).await;
    let us = Agent::start(&app, "us-1", "us", None).await;
    wait_registered(&admin, &["eu-1", "us-1"]).await;

    // The native policy would honour the "eu" hint; the plugin keeps work in "us".
    let (first, first_bytes) = submit_hinted(&app, &user, "first.bin", MIB + 1, 61, Some("eu")).await;
    let done = wait_until(&user, &first, "completed", |j| j["status"] == "completed").await;
    assert_eq!(done["workerId"], "us-1", "{done}");
    assert_file(&user, &first, &first_bytes).await;

    // Swap to "prefer eu" through the admin API: the next job, hinted "us", runs in eu.
    std::fs::write(&path, &prefer_eu).unwrap();
    let swap = serde_json::json!({
        "sha256": tseeder_plugins::sha256_hex(&prefer_eu),
        "reason": "moving new work to the eu region",
    });
    let res = admin.post("/admin/plugins/router/swap").json(&swap).send().await.unwrap();
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    let (second, second_bytes) = submit_hinted(&app, &user, "second.bin", MIB + 2, 62, Some("us")).await;
    let done = wait_until(&user, &second, "completed", |j| j["status"] == "completed").await;
    assert_eq!(done["workerId"], "eu-1", "{done}");
    assert_file(&user, &second, &second_bytes).await;

    let policies: Value = admin.get("/admin/plugins").send().await.unwrap().json().await.unwrap();
    let router = policies["policies"].as_array().unwrap().iter().find(|p| p["kind"] == "router").unwrap().clone();
    assert_eq!(router["implementation"], "wasm", "{router}");
    assert_eq!(router["sha256"], tseeder_plugins::sha256_hex(&prefer_eu), "{router}");
    assert_eq!(router["swaps"], 1, "{router}");
    assert!(router["decisions"].as_u64().unwrap() >= 2, "{router}");
    assert_eq!(router["failures"], 0, "{router}");
    let audit: Value = admin.get("/admin/audit?action=plugin.swapped").send().await.unwrap().json().await.unwrap();
    assert_eq!(audit["data"].as_array().map(Vec::len), Some(1), "{audit}");
    eu.stop().await;
    us.stop().await;
    app.stop().await;
}

async fn a_job_without_a_hint_runs_in_the_users_default_region(app: &TestApp) {
    let admin = app.staff("default-region-admin@example.com", Role::Admin).await;
    // The eu agent has more room, so only the region preference sends the job to us.
    let eu = Agent::start_with(app, "d-eu", "eu", None, 4).await;
    let us = Agent::start_with(app, "d-us", "us", None, 1).await;
    wait_registered(&admin, &["d-eu", "d-us"]).await;
    let user = app.register_and_login("default-region@example.com").await;
    let res =
        user.send(reqwest::Method::PATCH, "/auth/me").json(&serde_json::json!({ "defaultRegion": "us" })).send().await;
    assert_eq!(res.unwrap().status(), 200);

    let (job, bytes) = submit_form(app, &user, "default-us.bin", MIB + 3, 31, None).await;
    assert_eq!(job["regionHint"], "us", "the default region fills the hint: {job}");
    let id = job["id"].as_str().unwrap();
    let done = wait_until(&user, id, "completed", |j| j["status"] == "completed").await;
    assert_eq!(done["workerId"], "d-us", "{done}");
    assert_file(&user, id, &bytes).await;
    eu.stop().await;
    us.stop().await;
}
