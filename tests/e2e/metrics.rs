//! `GET /metrics`: the request series by route template (two ids make one series), the queue,
//! the fleet and the policies, in the text exposition format as Prometheus reads it; answered on
//! loopback without a token, and only with the token once one is configured.

use prometheus_parse::{Scrape, Value};
use tseeder::core::domain::Role;

use crate::common::{TestApp, on_every_backend};

on_every_backend!(the_metrics_name_their_series_by_route_template_and_parse);

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
