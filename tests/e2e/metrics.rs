//! `GET /metrics`: the request series by route template (two ids make one series), the queue,
//! the fleet and the policies, in the text exposition format as Prometheus reads it; answered on
//! loopback without a token, and only with the token once one is configured.

use prometheus_parse::{Scrape, Value};
use tseeder::core::domain::Role;

use crate::common::{TestApp, on_every_backend};

on_every_backend!(the_metrics_name_their_series_by_route_template_and_parse);

/// Flushing every second, so the dashboard sees the requests at once.
mod dashboard {
    use super::*;

    on_every_backend!(configured(|config| config.observability.flush_secs = 1): the_dashboard_combines_the_hosts_flushes);

    pub(super) async fn the_dashboard_combines_the_hosts_flushes(app: &TestApp) {
        let admin = app.staff("obs-admin@example.com", Role::Support).await;
        let user = app.register_and_login("obs-user@example.com").await;
        for _ in 0..3 {
            let missing = format!("/jobs/{}", uuid::Uuid::new_v4());
            assert_eq!(user.get(&missing).send().await.unwrap().status(), 404);
        }
        for _ in 0..2 {
            assert_eq!(user.get("/jobs").send().await.unwrap().status(), 200);
        }
        // Another API host's flush of the same minute: 5 requests of the list, one a 5xx.
        let now = app.core.ports.clock.now();
        let mut latency = tseeder::core::domain::LatencyBuckets::default();
        latency.record_n(40_000, 5);
        let other = tseeder::core::domain::ApiMetrics {
            minute: tseeder::core::services::observability::minute_of(now),
            host: "api-2:99".into(),
            route: "/api/v1/jobs".into(),
            method: "GET".into(),
            requests: 5,
            client_errors: 0,
            server_errors: 1,
            p50_us: 40_000,
            p95_us: 40_000,
            p99_us: 40_000,
            total_us: 200_000,
            latency,
        };
        app.core.observability.store_requests(&[other]).await.unwrap();
        app.core.observability.snapshot(now).await.unwrap();

        // Only staff may read it, and the window is one of three.
        assert_eq!(user.get("/admin/observability").send().await.unwrap().status(), 403);
        let anonymous = reqwest::get(app.url("/admin/observability")).await.unwrap();
        assert_eq!(anonymous.status(), 401);
        assert_eq!(admin.get("/admin/observability?window=2h").send().await.unwrap().status(), 400);

        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(15);
        let body = loop {
            let res = admin.get("/admin/observability?window=1h").send().await.unwrap();
            assert_eq!(res.status(), 200);
            let body: serde_json::Value = res.json().await.unwrap();
            let route = |r: &str| body["routes"].as_array().unwrap().iter().find(|x| x["route"] == r).cloned();
            let done = route("/api/v1/jobs").is_some_and(|r| r["stats"]["requests"] == 7)
                && route("/api/v1/jobs/:id").is_some_and(|r| r["stats"]["requests"] == 3);
            if done {
                break body;
            }
            assert!(std::time::Instant::now() < deadline, "the flushes did not arrive: {body}");
            tokio::time::sleep(std::time::Duration::from_millis(200)).await;
        };
        assert_eq!(body["window"], "1h");
        assert_eq!(body["stepSecs"], 60);
        assert_eq!(body["requests"].as_array().unwrap().len(), 60);
        let hosts = body["hosts"].as_array().unwrap();
        assert!(hosts.len() == 2 && hosts.contains(&"api-2:99".into()), "{hosts:?}");
        let list = body["routes"].as_array().unwrap().iter().find(|r| r["route"] == "/api/v1/jobs").unwrap();
        assert_eq!(list["method"], "GET");
        assert_eq!(list["stats"]["serverErrors"], 1);
        assert!((list["stats"]["errorRate"].as_f64().unwrap() - 1.0 / 7.0).abs() < 1e-9);
        // 5 of the 7 took 40 ms on the other host: the merged median is theirs.
        let p50 = list["stats"]["p50Ms"].as_f64().unwrap();
        assert!((p50 / 40.0 - 1.0).abs() < 0.09, "{p50}");
        let by_id = body["routes"].as_array().unwrap().iter().find(|r| r["route"] == "/api/v1/jobs/:id").unwrap();
        assert_eq!(by_id["stats"]["clientErrors"], 3);
        assert_eq!(body["queue"].as_array().unwrap().len(), 1, "this minute's snapshot");
        assert_eq!(body["deadLetters"]["now"], 0);
        assert!(body["policies"].as_array().unwrap().len() == 2);
    }
}

/// With a token configured.
mod token {
    use super::*;

    on_every_backend!(configured(|config| config.http.metrics_token = "scrape-secret-123".into()): the_metrics_ask_for_the_token);

    pub(super) async fn the_metrics_ask_for_the_token(app: &TestApp) {
        let url = format!("{}/metrics", app.base);
        let http = reqwest::Client::new();
        assert_eq!(http.get(&url).send().await.unwrap().status(), 401, "loopback is not enough then");
        let wrong = http.get(&url).bearer_auth("scrape-secret-124").send().await.unwrap();
        assert_eq!(wrong.status(), 401);
        let res = http.get(&url).bearer_auth("scrape-secret-123").send().await.unwrap();
        assert_eq!(res.status(), 200);
    }
}

async fn the_metrics_name_their_series_by_route_template_and_parse(app: &TestApp) {
    let admin = app.staff("metrics-admin@example.com", Role::Admin).await;
    let user = app.register_and_login("metrics-user@example.com").await;
    for _ in 0..2 {
        let missing = format!("/jobs/{}", uuid::Uuid::new_v4());
        assert_eq!(user.get(&missing).send().await.unwrap().status(), 404);
    }
    assert_eq!(admin.get("/admin/workers").send().await.unwrap().status(), 200);

    let res = reqwest::get(format!("{}/metrics", app.base)).await.unwrap();
    assert_eq!(res.status(), 200);
    assert!(res.headers()["content-type"].to_str().unwrap().starts_with("text/plain; version=0.0.4"));
    let text = res.text().await.unwrap();
    let scrape = Scrape::parse(text.lines().map(|l| Ok(l.to_owned()))).expect("the exposition format parses");
    let sample = |name: &str, labels: &[(&str, &str)]| {
        scrape.samples.iter().find(|s| s.metric == name && labels.iter().all(|(k, v)| s.labels.get(k) == Some(*v)))
    };
    let jobs =
        sample("tseeder_http_requests_total", &[("route", "/api/v1/jobs/:id"), ("method", "GET"), ("status", "4xx")])
            .unwrap_or_else(|| panic!("the job route's series: {text}"));
    assert!(matches!(jobs.value, Value::Counter(n) if n >= 2.0), "two ids, one series: {:?}", jobs.value);
    assert!(!text.contains("/api/v1/jobs/0") && !text.contains("/api/v1/jobs/1"), "no raw ids as labels");
    assert!(sample("tseeder_http_request_duration_seconds", &[("route", "/api/v1/admin/workers")]).is_some(), "{text}");
    for state in ["ready", "delayed", "dead"] {
        assert!(sample("tseeder_queue_messages", &[("state", state)]).is_some(), "{text}");
    }
    assert!(sample("tseeder_queue_oldest_job_age_seconds", &[]).is_some());
    assert!(sample("tseeder_policy_decisions_total", &[("policy", "router")]).is_some(), "{text}");
    // Metrics are not in the API's contract, and not behind its authentication: nothing there.
    let spec: serde_json::Value = reqwest::get(app.url("/openapi.json")).await.unwrap().json().await.unwrap();
    assert!(spec["paths"].get("/metrics").is_none());
}

/// Behind a proxy, without a token: clients elsewhere are told nothing is there.
mod proxied {
    use super::*;

    on_every_backend!(configured(|config| config.http.trust_proxy_headers = true): the_metrics_hide_from_remote_clients);

    pub(super) async fn the_metrics_hide_from_remote_clients(app: &TestApp) {
        let url = format!("{}/metrics", app.base);
        let http = reqwest::Client::new();
        let remote = http.get(&url).header("x-forwarded-for", "203.0.113.9").send().await.unwrap();
        assert_eq!(remote.status(), 404);
        let local = http.get(&url).header("x-forwarded-for", "127.0.0.1").send().await.unwrap();
        assert_eq!(local.status(), 200);
    }
}
