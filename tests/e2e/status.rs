//! The status page's API over the real server: public routes without credentials, in tseeder's
//! and Statuspage's shapes, nothing internal in them; incidents and maintenance windows by
//! admins, refused to others and for bad input; and real state changes seen by the sampler: the
//! only agent dies, its region goes down in `/api/v1/status` and in the day's bar, then comes
//! back.

use std::time::{Duration, Instant};

use serde_json::{Value, json};
use tseeder::core::domain::Role;

use crate::common::{Backend, TestApp, expect_error, on_every_backend};

on_every_backend!(
    the_public_routes_need_no_credentials_and_publish_nothing_internal,
    admins_run_an_incident_from_opening_to_resolution,
    others_are_refused_and_bad_input_is_a_clear_400,
);

async fn public(app: &TestApp, path: &str) -> reqwest::Response {
    reqwest::Client::new().get(app.url(path)).send().await.unwrap()
}

async fn the_public_routes_need_no_credentials_and_publish_nothing_internal(app: &TestApp) {
    app.core.status.sample(app.core.ports.clock.now()).await.unwrap();
    let res = public(app, "/status").await;
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["cache-control"], "public, max-age=30");
    let now: Value = res.json().await.unwrap();
    let ids: Vec<&str> = now["components"].as_array().unwrap().iter().map(|c| c["id"].as_str().unwrap()).collect();
    assert_eq!(ids, ["api", "database", "object_store", "queue"], "{now}");
    assert_eq!(now["status"]["indicator"], "none", "{now}");
    assert_eq!(now["status"]["description"], "All Systems Operational");
    for c in now["components"].as_array().unwrap() {
        assert_eq!(c["state"], "operational", "{c}");
    }
    let text = now.to_string();
    assert!(!text.contains("127.0.0.1") && !text.contains("sqlite") && !text.contains("/tmp"), "{text}");

    let history: Value = public(app, "/status/history?days=90").await.json().await.unwrap();
    let api = &history["components"][0];
    assert_eq!(api["days"].as_array().unwrap().len(), 90);
    let today = api["days"].as_array().unwrap().last().unwrap();
    assert_eq!(today["operational"], 1, "one sample, one minute: {today}");
    assert_eq!(api["uptime"]["h24"], 100.0, "a percentage, once: {api}");
    assert_eq!(history["partialOutageWeight"], 0.3);
    assert!(api["days"][0].get("uptime").is_none(), "no data is not 100%: {}", api["days"][0]);
    let days: Value = public(app, "/status/history?days=7").await.json().await.unwrap();
    assert_eq!(days["components"][0]["days"].as_array().unwrap().len(), 7);

    let summary: Value = public(app, "/status/summary.json").await.json().await.unwrap();
    assert_eq!(summary["status"]["indicator"], "none");
    assert_eq!(summary["components"][2]["status"], "operational");
    assert_eq!(summary["components"][2]["name"], "File storage");
    assert_eq!(summary["components"][0]["position"], 1);
    assert_eq!(summary["page"]["url"], "/status");
    assert!(summary["incidents"].as_array().unwrap().is_empty());
    let status: Value = public(app, "/status/status.json").await.json().await.unwrap();
    assert_eq!((&status["status"]["indicator"], &status["page"]["name"]), (&json!("none"), &json!("tseeder")));
}

async fn admins_run_an_incident_from_opening_to_resolution(app: &TestApp) {
    let admin = app.staff("status-admin@example.com", Role::Admin).await;
    let opened = admin
        .post("/admin/incidents")
        .json(&json!({
            "title": "Slow downloads in the EU",
            "impact": "minor",
            "components": ["queue"],
            "status": "investigating",
            "body": "Downloads take longer to start than usual. We are looking into it."
        }))
        .send()
        .await
        .unwrap();
    assert_eq!(opened.status(), 201);
    let incident: Value = opened.json().await.unwrap();
    let id = incident["id"].as_str().unwrap().to_owned();
    assert!(incident.get("resolvedAt").is_none());

    let now: Value = public(app, "/status").await.json().await.unwrap();
    assert_eq!(now["incidents"][0]["title"], "Slow downloads in the EU", "open incidents are public: {now}");
    let history: Value = public(app, "/status/history").await.json().await.unwrap();
    let queue = history["components"].as_array().unwrap().iter().find(|c| c["id"] == "queue").unwrap().clone();
    let today = queue["days"].as_array().unwrap().last().unwrap().clone();
    assert_eq!(today["incidents"], json!([id]), "on today's bar of the queue: {today}");

    let path = format!("/admin/incidents/{id}/updates");
    for (status, body) in [("identified", "A slow disk on one agent."), ("resolved", "The disk was replaced.")] {
        let res = admin.post(&path).json(&json!({ "status": status, "body": body })).send().await.unwrap();
        assert_eq!(res.status(), 200);
    }
    let list: Value = admin.get("/admin/incidents").send().await.unwrap().json().await.unwrap();
    let stored = &list["incidents"][0];
    assert_eq!(stored["status"], "resolved");
    assert!(stored["resolvedAt"].is_string(), "{stored}");
    let updates: Vec<&str> =
        stored["updates"].as_array().unwrap().iter().map(|u| u["status"].as_str().unwrap()).collect();
    assert_eq!(updates, ["investigating", "identified", "resolved"]);
    let summary: Value = public(app, "/status/summary.json").await.json().await.unwrap();
    assert!(summary["incidents"].as_array().unwrap().is_empty(), "resolved: off the summary");
    let audit: Value = admin.get("/admin/audit?action=incident.updated").send().await.unwrap().json().await.unwrap();
    assert_eq!(audit["meta"]["total"], 2);

    // Maintenance: scheduled, listed, shown, cancelled.
    let start = chrono::Utc::now() + chrono::Duration::hours(1);
    let window = json!({
        "title": "Database upgrade",
        "components": ["database", "api"],
        "startsAt": start,
        "endsAt": start + chrono::Duration::hours(2),
    });
    let res = admin.post("/admin/maintenances").json(&window).send().await.unwrap();
    assert_eq!(res.status(), 201);
    let window: Value = res.json().await.unwrap();
    let summary: Value = public(app, "/status/summary.json").await.json().await.unwrap();
    assert_eq!(summary["scheduled_maintenances"][0]["status"], "scheduled", "{summary}");
    let id = window["id"].as_str().unwrap();
    let res = admin.send(reqwest::Method::DELETE, &format!("/admin/maintenances/{id}")).send().await.unwrap();
    assert_eq!(res.status(), 204);
    let res = admin.send(reqwest::Method::DELETE, &format!("/admin/maintenances/{id}")).send().await.unwrap();
    expect_error(res, 404, "maintenance_not_found").await;
}

async fn others_are_refused_and_bad_input_is_a_clear_400(app: &TestApp) {
    let admin = app.staff("status-bad-admin@example.com", Role::Admin).await;
    let support = app.staff("status-support@example.com", Role::Support).await;
    let user = app.register_and_login("status-user@example.com").await;
    let good = json!({
        "title": "Storage errors", "impact": "major", "components": ["object_store"],
        "status": "investigating", "body": "Some downloads cannot be stored."
    });
    expect_error(support.post("/admin/incidents").json(&good).send().await.unwrap(), 403, "insufficient_role").await;
    expect_error(user.post("/admin/incidents").json(&good).send().await.unwrap(), 403, "insufficient_role").await;
    expect_error(user.get("/admin/incidents").send().await.unwrap(), 403, "insufficient_role").await;
    let anonymous = reqwest::Client::new().post(app.url("/admin/incidents")).json(&good).send().await.unwrap();
    expect_error(anonymous, 401, "unauthenticated").await;
    assert_eq!(support.get("/admin/incidents").send().await.unwrap().status(), 200, "support reads");

    let with = |patch: Value| {
        let mut body = good.clone();
        body.as_object_mut().unwrap().extend(patch.as_object().unwrap().clone());
        admin.post("/admin/incidents").json(&body)
    };
    expect_error(with(json!({ "components": ["mars"] })).send().await.unwrap(), 400, "invalid_incident").await;
    expect_error(with(json!({ "status": "resolved" })).send().await.unwrap(), 400, "invalid_incident").await;
    expect_error(with(json!({ "title": "   " })).send().await.unwrap(), 400, "invalid_incident").await;
    expect_error(with(json!({ "impact": "apocalyptic" })).send().await.unwrap(), 400, "invalid_request").await;
    let missing = format!("/admin/incidents/{}/updates", uuid::Uuid::new_v4());
    let update = json!({ "status": "monitoring", "body": "Watching." });
    expect_error(admin.post(&missing).json(&update).send().await.unwrap(), 404, "incident_not_found").await;

    let past = chrono::Utc::now() - chrono::Duration::hours(3);
    let window = |starts: chrono::DateTime<chrono::Utc>, hours: i64| json!({ "title": "Upgrade", "components": ["api"], "startsAt": starts, "endsAt": starts + chrono::Duration::hours(hours) });
    for (body, why) in [(window(past, 1), "over already"), (window(chrono::Utc::now(), 200), "over 7 days")] {
        let res = admin.post("/admin/maintenances").json(&body).send().await.unwrap();
        assert_eq!(res.status(), 400, "{why}");
        assert_eq!(res.json::<Value>().await.unwrap()["error"]["code"], "invalid_maintenance", "{why}");
    }
    expect_error(public(app, "/status/history?days=91").await, 400, "invalid_request").await;
    expect_error(public(app, "/status/history?days=0").await, 400, "invalid_request").await;
}

/// The sampler on a short schedule sees the only agent die and come back.
mod live {
    use super::*;
    use crate::remote::Agent;

    fn configure(config: &mut tseeder::TseederConfig) {
        config.dispatch.engine = tseeder::core::config::DispatchEngine::Agents;
        config.agents.stale_after_secs = 2;
        config.status.schedule = "* * * * * *".into();
        config.scheduler.poll_interval_ms = 100;
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
    async fn sqlite_the_sampler_sees_an_agent_go_down_and_come_back() {
        let app = TestApp::start_configured(Backend::Sqlite, true, None, configure).await.unwrap();
        the_sampler_sees_an_agent_go_down_and_come_back(&app).await;
        app.stop().await;
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
    async fn postgres_the_sampler_sees_an_agent_go_down_and_come_back() {
        let Some(app) = TestApp::start_configured(Backend::Postgres, true, None, configure).await else { return };
        the_sampler_sees_an_agent_go_down_and_come_back(&app).await;
        app.stop().await;
    }

    async fn region_state(app: &TestApp) -> Option<String> {
        let now: Value = public(app, "/status").await.json().await.unwrap();
        let region = now["components"].as_array().unwrap().iter().find(|c| c["id"] == "agents.ap-east")?.clone();
        region["state"].as_str().map(str::to_owned)
    }

    async fn wait_state(app: &TestApp, want: &str) {
        let started = Instant::now();
        loop {
            if region_state(app).await.as_deref() == Some(want) {
                return;
            }
            assert!(started.elapsed() < Duration::from_secs(20), "the region never became {want}");
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
    }

    async fn the_sampler_sees_an_agent_go_down_and_come_back(app: &TestApp) {
        let scheduler = app.core.scheduler().unwrap();
        let stop = tokio_util::sync::CancellationToken::new();
        let handle = scheduler.spawn(stop.clone());

        let agent = Agent::start(app, "only-1", "ap-east", None).await;
        wait_state(app, "operational").await;
        agent.kill().await;
        wait_state(app, "major_outage").await;
        let now: Value = public(app, "/status").await.json().await.unwrap();
        assert_eq!(now["status"]["indicator"], "critical", "{now}");
        let region = now["components"].as_array().unwrap().iter().find(|c| c["id"] == "agents.ap-east").unwrap();
        assert_eq!(region["reason"], "0 of 1 agents available.");
        let history: Value = public(app, "/status/history?days=1").await.json().await.unwrap();
        let bar =
            history["components"].as_array().unwrap().iter().find(|c| c["id"] == "agents.ap-east").unwrap()["days"][0]
                .clone();
        assert!(bar["majorOutage"].as_u64().unwrap() >= 1, "the day's bar shows the outage: {bar}");
        assert!(bar["uptime"].as_f64().unwrap() < 100.0, "{bar}");

        let back = Agent::start(app, "only-1", "ap-east", None).await;
        wait_state(app, "operational").await;
        back.stop().await;
        stop.cancel();
        let _ = handle.await;
    }
}
