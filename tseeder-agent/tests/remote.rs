//! The remote agent process (feature `agent-server`): its heartbeats are signed so the API's
//! `agent_auth::verify` accepts them, and its signed endpoint refuses unsigned, forged, expired
//! and replayed requests.

#![cfg(feature = "agent-server")]
#![allow(clippy::unwrap_used, reason = "test helpers: a panic is a test failure")]

use std::sync::{Arc, Mutex};
use std::time::Duration;

use chrono::Utc;
use poem::http::StatusCode;
use poem::listener::TcpAcceptor;
use poem::test::TestClient;
use poem::web::Data;
use poem::{Body, EndpointExt, Request, Response, Route, Server, handler, post};
use tokio_util::sync::CancellationToken;
use tseeder_agent::remote::{
    AgentConfig, AgentState, HEARTBEAT_PATH, Secret, Stats, StatsSource, app, build_heartbeat, signed_heartbeat,
    spawn_heartbeats,
};
use tseeder_core::domain::Heartbeat;
use tseeder_core::error::AgentAuthError;
use tseeder_core::services::agent_auth::{
    AGENT_HEADER, DEFAULT_WINDOW, SIGNATURE_HEADER, TIMESTAMP_HEADER, sign, verify,
};

const SECRET: &str = "agent unit-test secret, 32+ bytes long";

fn config(api_url: &str) -> AgentConfig {
    let scratch = std::env::temp_dir();
    AgentConfig {
        worker_id: "agent-t1".into(),
        region: "eu-west".parse().unwrap(),
        public_url: "http://127.0.0.1:8787/".parse().unwrap(),
        api_url: api_url.parse().unwrap(),
        secret: Secret::new(SECRET),
        max_jobs: 3,
        heartbeat_interval_secs: 1,
        engine: tseeder_agent::EngineConfig { scratch_dir: scratch, peer_discovery: false, ..Default::default() },
        ..AgentConfig::default()
    }
}

fn stats() -> Arc<dyn StatsSource> {
    Arc::new(Stats { active_jobs: 1, bandwidth_bps: 1234, cpu_pct: 0.0 })
}

#[test]
fn config_defaults_parse_and_hide_the_secret() {
    let parsed: AgentConfig = serde_json::from_str(r#"{"worker_id": "a", "secret": "s"}"#).unwrap();
    assert_eq!(parsed.worker_id, "a");
    assert_eq!(parsed.heartbeat_interval_secs, 5);
    assert_eq!(parsed.listen.to_string(), "127.0.0.1:8090");
    assert!(serde_json::from_str::<AgentConfig>(r#"{"workerid": "a"}"#).is_err(), "unknown keys are refused");
    let debug = format!("{:?}", config("http://127.0.0.1:1/"));
    assert!(!debug.contains(SECRET) && debug.contains("***"), "{debug}");

    config("http://127.0.0.1:1/").validate().unwrap();
    let short = AgentConfig { secret: Secret::new("short"), ..config("http://127.0.0.1:1/") };
    assert!(short.validate().unwrap_err().starts_with("secret"));
    let bad_id = AgentConfig { worker_id: "a/b".into(), ..config("http://127.0.0.1:1/") };
    assert!(bad_id.validate().unwrap_err().starts_with("worker_id"));
    let bad_url = AgentConfig { public_url: "http://u:p@h/".parse().unwrap(), ..config("http://127.0.0.1:1/") };
    assert!(bad_url.validate().unwrap_err().starts_with("public_url"));
}

#[test]
fn heartbeat_requests_verify_with_the_shared_secret_only() {
    let config = config("http://api.internal:8080/prefix");
    let heartbeat = build_heartbeat(&config, &Stats { active_jobs: 2, bandwidth_bps: 9, cpu_pct: 0.0 });
    assert_eq!((heartbeat.worker_id.as_str(), heartbeat.region.as_str()), ("agent-t1", "eu-west"));
    assert_eq!((heartbeat.active_jobs, heartbeat.max_jobs, heartbeat.bandwidth_bps), (2, 3, 9));
    heartbeat.validate().unwrap();
    let now = Utc::now();
    let req = signed_heartbeat(&config, &heartbeat, now.timestamp()).unwrap();
    assert_eq!(req.url.as_str(), "http://api.internal:8080/prefix/api/v1/agent/heartbeat");
    assert_eq!(req.path_and_query, "/prefix/api/v1/agent/heartbeat");
    let check = |secret: &[u8], body: &[u8]| {
        verify(secret, "POST", &req.path_and_query, req.timestamp, body, &req.signature, now, DEFAULT_WINDOW)
    };
    assert_eq!(check(SECRET.as_bytes(), &req.body), Ok(()));
    assert_eq!(check(b"another secret, also 32 bytes long!!", &req.body), Err(AgentAuthError::BadSignature));
    let mut tampered = req.body.clone();
    tampered.push(b' ');
    assert_eq!(check(SECRET.as_bytes(), &tampered), Err(AgentAuthError::BadSignature));
    assert_eq!(serde_json::from_slice::<Heartbeat>(&req.body).unwrap(), heartbeat);
}

/// What the fake API received.
#[derive(Debug, Clone)]
struct Received {
    path: String,
    timestamp: String,
    signature: String,
    agent: String,
    body: Vec<u8>,
}

#[derive(Clone, Default)]
struct FakeApi {
    received: Arc<Mutex<Vec<Received>>>,
}

#[handler]
async fn fake_heartbeat(req: &Request, body: Body, Data(api): Data<&FakeApi>) -> Response {
    let header = |name: &str| req.headers().get(name).and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned();
    let received = Received {
        path: req.uri().path_and_query().unwrap().to_string(),
        timestamp: header(TIMESTAMP_HEADER),
        signature: header(SIGNATURE_HEADER),
        agent: header(AGENT_HEADER),
        body: body.into_vec().await.unwrap(),
    };
    let mut all = api.received.lock().unwrap();
    all.push(received);
    // The first heartbeat fails: the loop must retry.
    if all.len() == 1 { StatusCode::SERVICE_UNAVAILABLE.into() } else { StatusCode::OK.into() }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_loop_posts_signed_heartbeats_and_retries_after_a_failure() {
    let api = FakeApi::default();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}/", listener.local_addr().unwrap());
    let route = Route::new().at(format!("/{HEARTBEAT_PATH}"), post(fake_heartbeat)).data(api.clone());
    let stop = CancellationToken::new();
    let server_stop = stop.clone();
    let server = tokio::spawn(async move {
        Server::new_with_acceptor(TcpAcceptor::from_tokio(listener).unwrap())
            .run_with_graceful_shutdown(route, async move { server_stop.cancelled().await }, None)
            .await
    });

    let cancel = CancellationToken::new();
    let heartbeats = spawn_heartbeats(config(&base), stats(), cancel.clone());
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    while api.received.lock().unwrap().len() < 2 {
        assert!(tokio::time::Instant::now() < deadline, "no retry after a failed heartbeat");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    cancel.cancel();
    tokio::time::timeout(Duration::from_secs(5), heartbeats).await.unwrap().unwrap();
    stop.cancel();
    server.await.unwrap().unwrap();

    let received = api.received.lock().unwrap().clone();
    for r in &received {
        assert_eq!(r.path, "/api/v1/agent/heartbeat");
        assert_eq!(r.agent, "agent-t1");
        let timestamp: i64 = r.timestamp.parse().unwrap();
        verify(SECRET.as_bytes(), "POST", &r.path, timestamp, &r.body, &r.signature, Utc::now(), DEFAULT_WINDOW)
            .unwrap();
        let heartbeat: Heartbeat = serde_json::from_slice(&r.body).unwrap();
        assert_eq!((heartbeat.worker_id.as_str(), heartbeat.active_jobs, heartbeat.max_jobs), ("agent-t1", 1, 3));
        assert_eq!(heartbeat.bandwidth_bps, 1234);
        assert_eq!(heartbeat.base_url.as_str(), "http://127.0.0.1:8787/");
        #[cfg(unix)]
        assert!(heartbeat.disk_total_bytes > 0 && heartbeat.disk_free_bytes <= heartbeat.disk_total_bytes);
    }
}

fn signed(path: &str, secret: &str, timestamp: i64) -> (String, String) {
    (timestamp.to_string(), sign(secret.as_bytes(), "GET", path, timestamp, b""))
}

#[tokio::test]
async fn health_is_open_and_status_needs_a_fresh_valid_signature() {
    let cli = TestClient::new(app(AgentState::new(config("http://127.0.0.1:1/"), stats())));

    let res = cli.get("/v1/health").send().await;
    res.assert_status_is_ok();
    let json = res.json().await;
    let health = json.value().object();
    health.get("status").assert_string("ok");
    health.get("workerId").assert_string("agent-t1");
    health.get("region").assert_string("eu-west");
    health.get("activeJobs").assert_i64(1);
    health.get("maxJobs").assert_i64(3);
    health.get("version").assert_string(tseeder_agent::remote::VERSION);

    let now = Utc::now().timestamp();
    let get = |ts: &str, sig: &str| {
        cli.get("/v1/status").header(TIMESTAMP_HEADER, ts.to_owned()).header(SIGNATURE_HEADER, sig.to_owned())
    };

    // Unsigned, forged (another secret), signed for another path, expired, malformed.
    cli.get("/v1/status").send().await.assert_status(StatusCode::UNAUTHORIZED);
    let (ts, forged) = signed("/v1/status", "not the secret, but 32 bytes long!!", now);
    get(&ts, &forged).send().await.assert_status(StatusCode::UNAUTHORIZED);
    let (ts, other_path) = signed("/v1/health", SECRET, now);
    get(&ts, &other_path).send().await.assert_status(StatusCode::UNAUTHORIZED);
    let (ts, expired) = signed("/v1/status", SECRET, now - 120);
    get(&ts, &expired).send().await.assert_status(StatusCode::UNAUTHORIZED);
    get("soon", "zz").send().await.assert_status(StatusCode::UNAUTHORIZED);

    // Valid once; the same request again is a replay.
    let (ts, valid) = signed("/v1/status", SECRET, now);
    let res = get(&ts, &valid).send().await;
    res.assert_status_is_ok();
    let json = res.json().await;
    let worker = json.value().object().get("worker").object();
    worker.get("workerId").assert_string("agent-t1");
    worker.get("maxJobs").assert_i64(3);
    get(&ts, &valid).send().await.assert_status(StatusCode::UNAUTHORIZED);

    // A query string is part of what is signed.
    let (ts, with_query) = signed("/v1/status?n=1", SECRET, now);
    cli.get("/v1/status?n=1")
        .header(TIMESTAMP_HEADER, ts.clone())
        .header(SIGNATURE_HEADER, with_query.clone())
        .send()
        .await
        .assert_status_is_ok();
    cli.get("/v1/status?n=2")
        .header(TIMESTAMP_HEADER, ts)
        .header(SIGNATURE_HEADER, with_query)
        .send()
        .await
        .assert_status(StatusCode::UNAUTHORIZED);
}
