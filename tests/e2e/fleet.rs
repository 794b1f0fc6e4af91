//! Remote compute agents over the real API: signed heartbeats register workers, forged, expired,
//! future-dated, tampered and replayed heartbeats are refused and recorded, and staff see and
//! control the fleet.

use std::time::{Duration, Instant};

use serde_json::{Value, json};
use tseeder::core::domain::Role;
use tseeder::core::services::agent_auth::{SIGNATURE_HEADER, TIMESTAMP_HEADER, sign};

use crate::common::{AGENT_SECRET, TestApp, expect_error, on_every_backend};

on_every_backend!(
    signed_heartbeats_register_workers_that_staff_can_inspect,
    forged_expired_future_tampered_and_replayed_heartbeats_are_refused_and_recorded,
    only_admins_cordon_drain_and_uncordon_and_the_audit_log_keeps_the_reason,
);

/// Tests that need a short staleness threshold.
mod stale {
    use super::*;

    on_every_backend!(configured(|config| config.agents.stale_after_secs = 1): workers_become_stale_when_heartbeats_stop);

    pub(super) async fn workers_become_stale_when_heartbeats_stop(app: &TestApp) {
        let support = app.staff("stale-support@example.com", Role::Support).await;
        // The server stamps the heartbeat after `before`, so it cannot be stale until a second
        // after `before`.
        let before = Instant::now();
        let res = heartbeat(app, &report("agent-quiet", 0, 4, 1)).await;
        assert_eq!(res.status(), 200);
        let body: Value = res.json().await.unwrap();
        assert_eq!(body["worker"]["stale"], false, "{body}");

        let stale_after = loop {
            let list: Value = support.get("/admin/workers").send().await.unwrap().json().await.unwrap();
            if list["workers"][0]["stale"] == true {
                break before.elapsed();
            }
            assert!(before.elapsed() < Duration::from_secs(5), "never became stale: {list}");
            tokio::time::sleep(Duration::from_millis(150)).await;
        };
        assert!(stale_after >= Duration::from_millis(950), "stale too early: {stale_after:?}");
        // The alerts say so, and name the region left without a healthy agent.
        let codes = |alerts: &Value| -> Vec<String> {
            alerts["alerts"].as_array().unwrap().iter().map(|a| a["code"].as_str().unwrap().to_owned()).collect()
        };
        let alerts: Value = support.get("/admin/alerts").send().await.unwrap().json().await.unwrap();
        assert_eq!(codes(&alerts), ["region.eu-west.no_healthy_agent", "workers.stale"], "{alerts}");
        assert_eq!(alerts["alerts"][0]["severity"], "critical");
        assert_eq!(alerts["alerts"][1]["section"], "workers");
        assert!(alerts["alerts"][1]["message"].as_str().unwrap().contains("agent-quiet"), "{alerts}");
        // Past the threshold it is shown offline, in the list and in its detail.
        let list: Value = support.get("/admin/workers").send().await.unwrap().json().await.unwrap();
        assert_eq!(list["workers"][0]["status"], "offline", "{list}");
        let detail: Value = support.get("/admin/workers/agent-quiet").send().await.unwrap().json().await.unwrap();
        assert_eq!(detail["worker"]["status"], "offline", "{detail}");
        // Its history says when it went quiet: an offline record above the last heartbeat.
        let statuses = |detail: &Value| -> Vec<String> {
            detail["history"].as_array().unwrap().iter().map(|h| h["status"].as_str().unwrap().to_owned()).collect()
        };
        assert_eq!(statuses(&detail), ["offline", "healthy"], "{detail}");

        // A new heartbeat makes it fresh and healthy again; the silence stays in its history.
        let res = heartbeat(app, &report("agent-quiet", 0, 4, 2)).await;
        let body: Value = res.json().await.unwrap();
        assert_eq!(
            (body["worker"]["stale"].as_bool(), body["worker"]["status"].as_str()),
            (Some(false), Some("healthy")),
            "{body}"
        );
        let detail: Value = support.get("/admin/workers/agent-quiet").send().await.unwrap().json().await.unwrap();
        assert_eq!(statuses(&detail), ["healthy", "offline", "healthy"], "{detail}");
        // And the alerts are gone: they are computed from the fleet as it is now.
        let alerts: Value = support.get("/admin/alerts").send().await.unwrap().json().await.unwrap();
        assert_eq!(alerts["alerts"], json!([]), "{alerts}");
    }
}

const HEARTBEAT: &str = "/api/v1/agent/heartbeat";

/// A heartbeat body. `nonce` goes into `bandwidthBps` so that two reports sent within the same
/// second differ (identical signed requests are replays).
fn report(worker: &str, active: u32, max: u32, nonce: u64) -> Vec<u8> {
    serde_json::to_vec(&json!({
        "workerId": worker,
        "region": "eu-west",
        "baseUrl": format!("http://{worker}.agents.internal:8787/"),
        "version": "0.1.0 (e2e)",
        "activeJobs": active,
        "maxJobs": max,
        "diskFreeBytes": 50_000_000_000u64,
        "diskTotalBytes": 100_000_000_000u64,
        "cpuPct": 37.5,
        "bandwidthBps": 1_000_000 + nonce,
    }))
    .unwrap()
}

fn now_secs() -> i64 {
    chrono::Utc::now().timestamp()
}

/// Posts `body` to the heartbeat endpoint with these header values (None leaves a header out).
async fn post_heartbeat(
    app: &TestApp,
    body: &[u8],
    timestamp: Option<i64>,
    signature: Option<&str>,
) -> reqwest::Response {
    let mut req = reqwest::Client::new()
        .post(app.url("/agent/heartbeat"))
        .header("content-type", "application/json")
        .body(body.to_vec());
    if let Some(ts) = timestamp {
        req = req.header(TIMESTAMP_HEADER, ts.to_string());
    }
    if let Some(signature) = signature {
        req = req.header(SIGNATURE_HEADER, signature);
    }
    req.send().await.unwrap()
}

/// Signs `body` with `secret` as of `timestamp`.
fn signature(secret: &str, timestamp: i64, body: &[u8]) -> String {
    sign(secret.as_bytes(), "POST", HEARTBEAT, timestamp, body)
}

/// Sends a heartbeat signed as an agent does.
async fn heartbeat(app: &TestApp, body: &[u8]) -> reqwest::Response {
    let ts = now_secs();
    post_heartbeat(app, body, Some(ts), Some(&signature(AGENT_SECRET, ts, body))).await
}

async fn signed_heartbeats_register_workers_that_staff_can_inspect(app: &TestApp) {
    let res = heartbeat(app, &report("agent-eu-1", 1, 4, 1)).await;
    assert_eq!(res.status(), 200);
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["worker"]["id"], "agent-eu-1", "{body}");
    assert_eq!(body["worker"]["status"], "healthy", "{body}");
    assert!(body["serverTime"].is_string(), "{body}");

    let support = app.staff("fleet-support@example.com", Role::Support).await;
    let list: Value = support.get("/admin/workers").send().await.unwrap().json().await.unwrap();
    let workers = list["workers"].as_array().expect("workers");
    assert_eq!(workers.len(), 1, "{list}");
    let worker = &workers[0];
    assert_eq!(worker["id"], "agent-eu-1");
    assert_eq!(worker["region"], "eu-west");
    assert_eq!(worker["baseUrl"], "http://agent-eu-1.agents.internal:8787/");
    assert_eq!(worker["version"], "0.1.0 (e2e)");
    assert_eq!(worker["status"], "healthy");
    assert_eq!(worker["stale"], false);
    assert_eq!((worker["activeJobs"].as_u64(), worker["maxJobs"].as_u64()), (Some(1), Some(4)));
    assert_eq!(worker["loadFactor"], 0.25);
    assert_eq!(worker["diskFreeBytes"], 50_000_000_000u64);
    assert_eq!(worker["diskTotalBytes"], 100_000_000_000u64);
    assert_eq!(worker["cpuPct"], 37.5);
    assert_eq!(worker["bandwidthBps"], 1_000_001);
    let registered_at = worker["registeredAt"].as_str().expect("registeredAt").to_owned();
    assert!(worker["lastHeartbeatAt"].is_string(), "{worker}");

    // A second report updates the worker and adds to its history.
    assert_eq!(heartbeat(app, &report("agent-eu-1", 3, 4, 2)).await.status(), 200);
    let detail: Value = support.get("/admin/workers/agent-eu-1").send().await.unwrap().json().await.unwrap();
    assert_eq!(detail["worker"]["activeJobs"], 3, "{detail}");
    assert_eq!(detail["worker"]["loadFactor"], 0.75, "{detail}");
    assert_eq!(detail["worker"]["registeredAt"], registered_at.as_str(), "{detail}");
    let history = detail["history"].as_array().expect("history");
    assert_eq!(history.len(), 2, "{detail}");
    assert_eq!(history[0]["activeJobs"], 3, "newest first: {detail}");
    assert_eq!(history[1]["activeJobs"], 1, "{detail}");
    assert!(history.iter().all(|h| h["status"] == "healthy" && h["receivedAt"].is_string()), "{detail}");

    expect_error(support.get("/admin/workers/agent-nope").send().await.unwrap(), 404, "worker_not_found").await;
    expect_error(support.get("/admin/workers/not%20an%20id").send().await.unwrap(), 404, "worker_not_found").await;
}

async fn forged_expired_future_tampered_and_replayed_heartbeats_are_refused_and_recorded(app: &TestApp) {
    let admin = app.staff("fleet-sec@example.com", Role::Admin).await;
    let body = report("mallory", 0, 8, 1);
    let now = now_secs();

    let forged = "ab".repeat(32);
    let res = post_heartbeat(app, &body, Some(now), Some(&forged)).await;
    let error = expect_error(res, 401, "agent_unauthenticated").await;
    assert!(error["error"]["message"].as_str().unwrap().contains("signature"), "{error}");

    let wrong_secret = signature("not the secret, though just as long!!", now, &body);
    expect_error(post_heartbeat(app, &body, Some(now), Some(&wrong_secret)).await, 401, "agent_unauthenticated").await;

    let old = now - 300;
    let res = post_heartbeat(app, &body, Some(old), Some(&signature(AGENT_SECRET, old, &body))).await;
    let expired = expect_error(res, 401, "agent_unauthenticated").await;
    let future = now + 300;
    let res = post_heartbeat(app, &body, Some(future), Some(&signature(AGENT_SECRET, future, &body))).await;
    let future_dated = expect_error(res, 401, "agent_unauthenticated").await;
    assert_ne!(expired["error"]["message"], future_dated["error"]["message"], "the messages tell them apart");

    let tampered = report("mallory", 0, 800, 1);
    let res = post_heartbeat(app, &tampered, Some(now), Some(&signature(AGENT_SECRET, now, &body))).await;
    expect_error(res, 401, "agent_unauthenticated").await;

    expect_error(post_heartbeat(app, &body, None, None).await, 401, "agent_unauthenticated").await;

    // A session or API key is no substitute for a signature.
    let res = admin.post("/agent/heartbeat").header("content-type", "application/json").body(body.clone()).send().await;
    expect_error(res.unwrap(), 401, "agent_unauthenticated").await;

    // None of that registered anything.
    let list: Value = admin.get("/admin/workers").send().await.unwrap().json().await.unwrap();
    assert_eq!(list["workers"], json!([]), "{list}");

    // A genuine request is accepted once; the same request again is a replay.
    let genuine = report("agent-honest", 0, 2, 1);
    let ts = now_secs();
    let signed = signature(AGENT_SECRET, ts, &genuine);
    assert_eq!(post_heartbeat(app, &genuine, Some(ts), Some(&signed)).await.status(), 200);
    expect_error(post_heartbeat(app, &genuine, Some(ts), Some(&signed)).await, 401, "agent_replayed").await;

    let events: Value = admin
        .get("/admin/security-events?kind=agent.auth_failed&limit=100")
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let events = events["data"].as_array().expect("events");
    let mut reasons: Vec<&str> = events.iter().map(|e| e["payload"]["reason"].as_str().unwrap()).collect();
    reasons.sort_unstable();
    assert_eq!(
        reasons,
        [
            "bad_signature",
            "bad_signature",
            "bad_signature",
            "expired",
            "future_dated",
            "missing_headers",
            "missing_headers",
            "replayed"
        ],
        "{events:?}"
    );
    for event in events {
        assert_eq!(event["kind"], "agent.auth_failed");
        assert_eq!(event["severity"], "warn");
        assert_eq!(event["ip"], "127.0.0.1", "{event}");
        assert_eq!(event["payload"]["path"], HEARTBEAT, "{event}");
    }
}

async fn only_admins_cordon_drain_and_uncordon_and_the_audit_log_keeps_the_reason(app: &TestApp) {
    assert_eq!(heartbeat(app, &report("agent-ops", 1, 2, 1)).await.status(), 200);
    let reason = "replacing the disk on this host";
    let cordon = |who: &crate::common::Session, id: &str, reason: &str| {
        who.post(&format!("/admin/workers/{id}/cordon")).json(&json!({ "reason": reason })).send()
    };

    let user = app.register_and_login("fleet-user@example.com").await;
    expect_error(user.get("/admin/workers").send().await.unwrap(), 403, "insufficient_role").await;
    expect_error(cordon(&user, "agent-ops", reason).await.unwrap(), 403, "insufficient_role").await;
    let support = app.staff("fleet-support2@example.com", Role::Support).await;
    assert_eq!(support.get("/admin/workers").send().await.unwrap().status(), 200);
    expect_error(cordon(&support, "agent-ops", reason).await.unwrap(), 403, "insufficient_role").await;
    let admin = app.staff("fleet-admin@example.com", Role::Admin).await;
    let key = app.key_client(&admin.api_key(&["jobs:read"]).await);
    expect_error(key.get("/admin/workers").send().await.unwrap(), 403, "missing_scope").await;

    expect_error(cordon(&admin, "agent-ops", "short").await.unwrap(), 400, "reason_required").await;
    expect_error(cordon(&admin, "agent-none", reason).await.unwrap(), 404, "worker_not_found").await;

    let res = cordon(&admin, "agent-ops", reason).await.unwrap();
    assert_eq!(res.status(), 200);
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["worker"]["status"], "cordoned", "{body}");

    // Heartbeats never lift a cordon.
    let res = heartbeat(app, &report("agent-ops", 0, 2, 2)).await;
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["worker"]["status"], "cordoned", "{body}");
    let list: Value = admin.get("/admin/workers").send().await.unwrap().json().await.unwrap();
    assert_eq!(list["workers"][0]["status"], "cordoned", "{list}");
    assert_eq!(list["workers"][0]["activeJobs"], 0, "the report itself is still recorded: {list}");

    let uncordon_reason = "disk replaced and verified";
    let uncordon =
        || admin.post("/admin/workers/agent-ops/uncordon").json(&json!({ "reason": uncordon_reason })).send();
    let body: Value = uncordon().await.unwrap().json().await.unwrap();
    assert_eq!(body["worker"]["status"], "healthy", "{body}");
    expect_error(uncordon().await.unwrap(), 409, "worker_not_cordoned").await;

    let drain_reason = "moving this host to another rack";
    let res = admin.post("/admin/workers/agent-ops/drain").json(&json!({ "reason": drain_reason })).send().await;
    let body: Value = res.unwrap().json().await.unwrap();
    assert_eq!(body["worker"]["status"], "draining", "{body}");
    let res = heartbeat(app, &report("agent-ops", 0, 2, 3)).await;
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["worker"]["status"], "draining", "{body}");
    let body: Value = uncordon().await.unwrap().json().await.unwrap();
    assert_eq!(body["worker"]["status"], "healthy", "{body}");

    let audit: Value =
        support.get("/admin/audit?targetType=worker&targetId=agent-ops").send().await.unwrap().json().await.unwrap();
    let entries: Vec<(&str, &str)> = audit["data"]
        .as_array()
        .expect("audit entries")
        .iter()
        .map(|e| (e["action"].as_str().unwrap(), e["metadata"]["reason"].as_str().unwrap()))
        .collect();
    let mut entries = entries;
    // Entries written within the same instant have no defined order; compare as sets.
    entries.sort_unstable();
    let mut expected = vec![
        ("worker.cordoned", reason),
        ("worker.uncordoned", uncordon_reason),
        ("worker.draining", drain_reason),
        ("worker.uncordoned", uncordon_reason),
    ];
    expected.sort_unstable();
    assert_eq!(entries, expected, "{audit}");
    let admin_id = admin.get("/auth/me").send().await.unwrap().json::<Value>().await.unwrap()["user"]["id"].clone();
    assert!(audit["data"].as_array().unwrap().iter().all(|e| e["actorId"] == admin_id), "{audit}");
}
