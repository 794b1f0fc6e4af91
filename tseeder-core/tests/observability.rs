//! The observability overview over the in-memory ports: rows flushed by two API hosts merge
//! into one distribution per route and per step, snapshots give the queue series and the
//! dead-letter trend, retention prunes old rows, and only staff may read it.

#![allow(clippy::unwrap_used, reason = "tests: a panic is a test failure")]

use std::sync::Arc;

use chrono::{DateTime, Duration, Utc};
use tseeder_core::auth::Principal;
use tseeder_core::domain::{ApiMetrics, LatencyBuckets, NewUser, Role, SystemSnapshot, UserId};
use tseeder_core::error::ServiceError;
use tseeder_core::services::observability::Window;
use tseeder_core::services::{CoreConfig, Tseeder};
use tseeder_core::testing::{InMemoryDb, ManualClock};

fn now() -> DateTime<Utc> {
    "2026-12-06T12:30:20Z".parse().unwrap()
}

async fn principal(core: &Tseeder, email: &str, role: Role) -> Principal {
    let user = NewUser {
        id: UserId::new(),
        email: email.into(),
        password_hash: "$argon2id$unused".into(),
        role,
        plan_id: "free".into(),
        email_verified: false,
        created_at: now(),
    };
    Principal::internal(&core.ports.accounts.insert_user(&user).await.unwrap())
}

/// A row of `requests` requests, each taking `micros`.
fn row(minute: &str, host: &str, route: &str, requests: u64, server_errors: u64, micros: u64) -> ApiMetrics {
    let mut latency = LatencyBuckets::default();
    latency.record_n(micros, requests);
    ApiMetrics {
        minute: minute.parse().unwrap(),
        host: host.into(),
        route: route.into(),
        method: "GET".into(),
        requests,
        client_errors: 0,
        server_errors,
        p50_us: micros,
        p95_us: micros,
        p99_us: micros,
        total_us: micros * requests,
        latency,
    }
}

fn snapshot(minute: &str, dead_letters: u64, ready: u64) -> SystemSnapshot {
    SystemSnapshot {
        at: minute.parse().unwrap(),
        queue_ready: ready,
        queue_delayed: 0,
        dead_letters,
        oldest_queued_secs: 0,
        active_jobs: 0,
        throughput_bps: 0,
        agents_up: 0,
        agents: 0,
    }
}

#[tokio::test]
async fn the_overview_merges_hosts_and_minutes() {
    let core = Tseeder::new(InMemoryDb::new().ports(Arc::new(ManualClock::new(now()))), CoreConfig::default());
    let admin = principal(&core, "admin@example.com", Role::Support).await;
    core.observability
        .store_requests(&[
            // Two hosts in one minute: 90 fast requests and 10 slow ones make one distribution.
            row("2026-12-06T12:10:00Z", "api-a:1", "/api/v1/jobs", 90, 0, 1_000),
            row("2026-12-06T12:10:00Z", "api-b:7", "/api/v1/jobs", 10, 2, 100_000),
            row("2026-12-06T12:29:00Z", "api-a:1", "/api/v1/jobs/:id", 5, 0, 2_000),
            // Outside the hour: not shown.
            row("2026-12-06T11:20:00Z", "api-a:1", "/api/v1/jobs", 1_000, 0, 5_000),
        ])
        .await
        .unwrap();
    for (minute, dead) in [("2026-12-06T11:00:00Z", 1), ("2026-12-06T12:00:00Z", 2), ("2026-12-06T12:29:00Z", 8)] {
        core.ports.metrics.record_snapshot(&snapshot(minute, dead, 3)).await.unwrap();
    }

    let o = core.observability.overview(&admin, Window::Hour).await.unwrap();
    assert_eq!(o.from, "2026-12-06T11:31:00Z".parse::<DateTime<Utc>>().unwrap(), "an hour of whole minutes");
    assert_eq!(o.requests.len(), 60, "one point per minute, every minute present");
    assert_eq!((o.totals.requests, o.totals.server_errors), (105, 2));
    assert_eq!(o.hosts, ["api-a:1", "api-b:7"]);
    let jobs = &o.routes[0];
    assert_eq!((jobs.route.as_str(), jobs.stats.requests), ("/api/v1/jobs", 100), "the busiest route first");
    // The 50th of 100 is fast, the 95th slow: neither host's own p95 says so alone.
    let (p50, p95) = (jobs.stats.p50_us.unwrap() as f64, jobs.stats.p95_us.unwrap() as f64);
    assert!((p50 / 1_000.0 - 1.0).abs() < 0.09 && (p95 / 100_000.0 - 1.0).abs() < 0.09, "{p50} {p95}");
    let at_10 = o.requests.iter().find(|p| p.at == "2026-12-06T12:10:00Z".parse::<DateTime<Utc>>().unwrap());
    assert_eq!(at_10.unwrap().stats.requests, 100);
    assert_eq!(o.requests.iter().filter(|p| p.stats.requests == 0).count(), 58);
    // Snapshots: the queue series is the window's; the 24-hour change reaches further back.
    assert_eq!(o.queue.len(), 2);
    assert_eq!(o.dead_letters.change_24h, Some(0 - 1), "the live queue is empty; 1 a day ago (11:00)");
    let per_hour = o.dead_letters.per_hour.unwrap();
    assert!((per_hour - 6.0 / (29.0 / 60.0)).abs() < 1e-6, "{per_hour}");

    // The week reaches the 11:20 row; the day groups by 15 minutes.
    let week = core.observability.overview(&admin, Window::Week).await.unwrap();
    assert_eq!(week.totals.requests, 1_105);
    let day = core.observability.overview(&admin, Window::Day).await.unwrap();
    assert_eq!(day.requests.len(), 96);
    assert_eq!(day.requests.iter().map(|p| p.stats.requests).sum::<u64>(), 1_105, "every row in one step");
}

#[tokio::test]
async fn only_staff_read_it_and_old_rows_are_pruned() {
    let core = Tseeder::new(InMemoryDb::new().ports(Arc::new(ManualClock::new(now()))), CoreConfig::default());
    let user = principal(&core, "user@example.com", Role::User).await;
    assert!(matches!(core.observability.overview(&user, Window::Day).await, Err(ServiceError::Forbidden { .. })));

    let old = row("2026-11-27T12:00:00Z", "api-a:1", "/api/v1/jobs", 1, 0, 1_000);
    let kept = row("2026-11-29T12:00:00Z", "api-a:1", "/api/v1/jobs", 1, 0, 1_000);
    core.observability.store_requests(&[old, kept.clone()]).await.unwrap();
    // The snapshot task records this minute and prunes what is older than 8 days.
    let pruned = core.observability.snapshot(now()).await.unwrap();
    assert_eq!(pruned, 1);
    let since = now() - Duration::days(30);
    assert_eq!(core.ports.metrics.api_metrics(since).await.unwrap(), [kept]);
    let snapshots = core.ports.metrics.snapshots(since).await.unwrap();
    assert_eq!(snapshots.len(), 1);
    assert_eq!(snapshots[0].at, "2026-12-06T12:30:00Z".parse::<DateTime<Utc>>().unwrap());
}
