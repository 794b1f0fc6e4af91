//! A real agent process (in-process here: its heartbeat loop and its HTTP API, over a loopback
//! librqbit engine) registers with the API through signed heartbeats, shows up for admins, and
//! answers the API's signed requests while refusing unsigned, forged and replayed ones.

use std::net::{Ipv4Addr, SocketAddr};
use std::sync::Arc;
use std::time::{Duration, Instant};

use serde_json::Value;
use tokio_util::sync::CancellationToken;
use tseeder::agent::remote::{AgentConfig, AgentState, Secret, StatsSource, serve, spawn_heartbeats};
use tseeder::agent::{EngineConfig, LibrqbitEngine};
use tseeder::core::domain::Role;
use tseeder::core::services::agent_auth::{SIGNATURE_HEADER, TIMESTAMP_HEADER, sign};

use crate::common::{AGENT_SECRET, TestApp, on_every_backend};

on_every_backend!(an_agent_registers_by_heartbeat_and_answers_only_signed_status_requests);

async fn an_agent_registers_by_heartbeat_and_answers_only_signed_status_requests(app: &TestApp) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let agent_base = format!("http://{addr}");
    let config = AgentConfig {
        worker_id: "agent-e2e-1".into(),
        region: "ap-south".parse().unwrap(),
        public_url: format!("{agent_base}/").parse().unwrap(),
        api_url: app.base.parse().unwrap(),
        secret: Secret::new(AGENT_SECRET),
        max_jobs: 2,
        heartbeat_interval_secs: 1,
        listen: addr,
        engine: EngineConfig {
            scratch_dir: app.dir.path().join("agent-scratch"),
            peer_discovery: false,
            listen_addr: Some(SocketAddr::from((Ipv4Addr::LOCALHOST, 0))),
            ..EngineConfig::default()
        },
        store: None,
    };
    config.validate().unwrap();
    let engine = LibrqbitEngine::new(config.engine.clone()).await.unwrap();
    let stats: Arc<dyn StatsSource> = Arc::new(engine.clone());
    let cancel = CancellationToken::new();
    let heartbeats = spawn_heartbeats(config.clone(), Arc::clone(&stats), cancel.clone());
    let server_cancel = cancel.clone();
    let server = tokio::spawn(serve(listener, AgentState::new(config, stats), async move {
        server_cancel.cancelled().await;
    }));

    // The agent registers itself: admins see it, fresh, with what it reported.
    let admin = app.staff("agents-admin@example.com", Role::Admin).await;
    let started = Instant::now();
    let worker = loop {
        let list: Value = admin.get("/admin/workers").send().await.unwrap().json().await.unwrap();
        let found = list["workers"].as_array().and_then(|w| w.iter().find(|w| w["id"] == "agent-e2e-1").cloned());
        if let Some(worker) = found.filter(|w| w["stale"] == false) {
            break worker;
        }
        assert!(started.elapsed() < Duration::from_secs(15), "the agent never registered: {list}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    assert_eq!(worker["region"], "ap-south", "{worker}");
    assert_eq!(worker["status"], "healthy", "{worker}");
    assert_eq!(worker["baseUrl"], format!("{agent_base}/"), "{worker}");
    assert_eq!((worker["activeJobs"].as_u64(), worker["maxJobs"].as_u64()), (Some(0), Some(2)), "{worker}");
    assert_eq!(worker["version"], tseeder::agent::remote::VERSION, "{worker}");

    // It keeps heartbeating: the history grows.
    let started = Instant::now();
    loop {
        let detail: Value = admin.get("/admin/workers/agent-e2e-1").send().await.unwrap().json().await.unwrap();
        if detail["history"].as_array().is_some_and(|h| h.len() >= 2) {
            break;
        }
        assert!(started.elapsed() < Duration::from_secs(15), "no second heartbeat: {detail}");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }

    // The API -> agent direction: a request signed with the shared secret is answered once.
    let client = reqwest::Client::new();
    let status_url = format!("{agent_base}/v1/status");
    let ts = chrono::Utc::now().timestamp();
    let signature = sign(AGENT_SECRET.as_bytes(), "GET", "/v1/status", ts, b"");
    let signed =
        || client.get(&status_url).header(TIMESTAMP_HEADER, ts.to_string()).header(SIGNATURE_HEADER, &signature);
    let res = signed().send().await.unwrap();
    assert_eq!(res.status(), 200);
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["worker"]["workerId"], "agent-e2e-1", "{body}");
    assert_eq!(body["worker"]["region"], "ap-south", "{body}");
    assert_eq!(signed().send().await.unwrap().status(), 401, "a replay is refused");
    assert_eq!(client.get(&status_url).send().await.unwrap().status(), 401, "unsigned");
    let forged = sign(b"not the shared secret, 32 bytes long!", "GET", "/v1/status", ts, b"");
    let res = client
        .get(&status_url)
        .header(TIMESTAMP_HEADER, ts.to_string())
        .header(SIGNATURE_HEADER, forged)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 401, "forged");
    let health: Value = client.get(format!("{agent_base}/v1/health")).send().await.unwrap().json().await.unwrap();
    assert_eq!(health["workerId"], "agent-e2e-1", "{health}");

    cancel.cancel();
    tokio::time::timeout(Duration::from_secs(10), heartbeats).await.unwrap().unwrap();
    tokio::time::timeout(Duration::from_secs(15), server).await.unwrap().unwrap().unwrap();
}
