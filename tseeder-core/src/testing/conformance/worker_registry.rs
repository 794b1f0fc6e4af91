//! The suite of the [`WorkerRegistry`]: registration, heartbeats, statuses, history, offline
//! marking, pruning and concurrent first heartbeats.

use chrono::{DateTime, Utc};
use url::Url;

use super::{secs, t0};
use crate::domain::{Heartbeat, HeartbeatRecord, RegionCode, Worker, WorkerStatus};
use crate::error::RepoError;
use crate::ports::WorkerRegistry;

/// `t0() + s` seconds, with microseconds (which every backend must keep).
fn at(s: i64) -> DateTime<Utc> {
    t0() + secs(s) + chrono::Duration::microseconds(123_456)
}

fn heartbeat(id: &str, region: &str, active: u32, max: u32) -> Heartbeat {
    Heartbeat {
        worker_id: id.to_owned(),
        region: RegionCode::parse(region).unwrap(),
        base_url: Url::parse(&format!("https://{id}.agents.example.com:8787/")).unwrap(),
        version: "0.1.0".into(),
        active_jobs: active,
        max_jobs: max,
        disk_free_bytes: 1 << 40,
        disk_total_bytes: 4 << 40,
        cpu_pct: 12.5,
        bandwidth_bps: 125_000_000,
    }
}

fn expected(hb: &Heartbeat, status: WorkerStatus, last: DateTime<Utc>, registered: DateTime<Utc>) -> Worker {
    Worker {
        id: hb.worker_id.clone(),
        region: hb.region.clone(),
        base_url: hb.base_url.clone(),
        version: hb.version.clone(),
        status,
        active_jobs: hb.active_jobs,
        max_jobs: hb.max_jobs,
        disk_free_bytes: hb.disk_free_bytes,
        disk_total_bytes: hb.disk_total_bytes,
        cpu_pct: hb.cpu_pct,
        bandwidth_bps: hb.bandwidth_bps,
        last_heartbeat_at: last,
        registered_at: registered,
    }
}

fn record(hb: &Heartbeat, status: WorkerStatus, received_at: DateTime<Utc>) -> HeartbeatRecord {
    HeartbeatRecord {
        worker_id: hb.worker_id.clone(),
        status,
        active_jobs: hb.active_jobs,
        max_jobs: hb.max_jobs,
        disk_free_bytes: hb.disk_free_bytes,
        disk_total_bytes: hb.disk_total_bytes,
        cpu_pct: hb.cpu_pct,
        bandwidth_bps: hb.bandwidth_bps,
        received_at,
    }
}

async fn ids(r: &dyn WorkerRegistry) -> Vec<String> {
    r.list_workers().await.unwrap().into_iter().map(|w| w.id).collect()
}

async fn status(r: &dyn WorkerRegistry, id: &str) -> WorkerStatus {
    r.get_worker(id).await.unwrap().status
}

/// Runs every [`WorkerRegistry`] behaviour test: registration and updates by heartbeat, the
/// history, every status round-tripping, operator statuses surviving heartbeats, offline
/// marking, pruning and concurrent first heartbeats. `registry` must be empty.
pub async fn worker_registry(r: &dyn WorkerRegistry) {
    let id = "conf-w1";
    assert!(r.list_workers().await.unwrap().is_empty(), "the registry starts empty");
    assert!(matches!(r.get_worker(id).await, Err(RepoError::NotFound)));
    assert!(matches!(r.set_status(id, WorkerStatus::Cordoned).await, Err(RepoError::NotFound)));
    assert!(r.heartbeat_history(id, 10).await.unwrap().is_empty(), "an unknown worker has no history");

    // A first heartbeat registers the worker as healthy; large values survive.
    let mut first = heartbeat(id, "eu-west", 1, 4);
    first.disk_free_bytes = i64::MAX as u64;
    first.disk_total_bytes = i64::MAX as u64;
    let registered = r.record_heartbeat(&first, at(0)).await.unwrap();
    assert_eq!(registered, expected(&first, WorkerStatus::Healthy, at(0), at(0)));
    assert_eq!(r.get_worker(id).await.unwrap(), registered);
    assert!(matches!(r.get_worker("conf-w1 ").await, Err(RepoError::NotFound)), "ids match exactly");

    // A later one replaces every reported field and keeps `registered_at`.
    let second = Heartbeat {
        worker_id: id.into(),
        region: RegionCode::parse("us-east-2").unwrap(),
        base_url: Url::parse("http://10.0.0.2:9000/agent/").unwrap(),
        version: "0.2.0 (abcdef)".into(),
        active_jobs: 3,
        max_jobs: 8,
        disk_free_bytes: 5,
        disk_total_bytes: 6,
        cpu_pct: 99.75,
        bandwidth_bps: 0,
    };
    let updated = r.record_heartbeat(&second, at(5)).await.unwrap();
    assert_eq!(updated, expected(&second, WorkerStatus::Healthy, at(5), at(0)));
    assert_eq!(r.get_worker(id).await.unwrap(), updated);

    // History: newest first, limited.
    let history = r.heartbeat_history(id, 10).await.unwrap();
    assert_eq!(history, [record(&second, WorkerStatus::Healthy, at(5)), record(&first, WorkerStatus::Healthy, at(0))]);
    assert_eq!(r.heartbeat_history(id, 1).await.unwrap(), [record(&second, WorkerStatus::Healthy, at(5))]);
    assert!(r.heartbeat_history(id, 0).await.unwrap().is_empty());

    // Every status round-trips, and setting one leaves the heartbeat time alone.
    for s in WorkerStatus::ALL {
        let w = r.set_status(id, s).await.unwrap();
        assert_eq!((w.status, w.last_heartbeat_at), (s, at(5)), "set_status({s}) returns the worker");
        assert_eq!(r.get_worker(id).await.unwrap(), w, "{s} round-trips");
    }
    assert_eq!(r.heartbeat_history(id, 10).await.unwrap().len(), 2, "set_status writes no history");

    // A heartbeat keeps operator statuses and revives an offline worker.
    let cases = [
        (WorkerStatus::Cordoned, WorkerStatus::Cordoned),
        (WorkerStatus::Draining, WorkerStatus::Draining),
        (WorkerStatus::Offline, WorkerStatus::Healthy),
        (WorkerStatus::Healthy, WorkerStatus::Healthy),
    ];
    for (i, (before, after)) in cases.into_iter().enumerate() {
        let when = at(10 + i as i64);
        r.set_status(id, before).await.unwrap();
        let w = r.record_heartbeat(&second, when).await.unwrap();
        assert_eq!(w.status, after, "a heartbeat of a {before} worker");
        assert_eq!(w.last_heartbeat_at, when);
        assert_eq!(status(r, id).await, after);
        let latest = r.heartbeat_history(id, 1).await.unwrap();
        assert_eq!(latest, [record(&second, after, when)], "history has the status after the heartbeat");
    }
    assert_eq!(r.heartbeat_history(id, 100).await.unwrap().len(), 6);

    // Workers are listed by id.
    r.record_heartbeat(&heartbeat("conf-w2", "eu-west", 0, 2), at(20)).await.unwrap();
    r.record_heartbeat(&heartbeat("conf-w0", "ap", 0, 2), at(21)).await.unwrap();
    assert_eq!(ids(r).await, ["conf-w0", "conf-w1", "conf-w2"]);

    // Offline marking: healthy workers strictly older than the cutoff, in one update.
    r.record_heartbeat(&heartbeat("conf-m-stale", "eu-west", 0, 2), at(50)).await.unwrap();
    r.record_heartbeat(&heartbeat("conf-m-cordoned", "eu-west", 0, 2), at(50)).await.unwrap();
    r.set_status("conf-m-cordoned", WorkerStatus::Cordoned).await.unwrap();
    r.record_heartbeat(&heartbeat("conf-m-edge", "eu-west", 0, 2), at(90)).await.unwrap();
    r.record_heartbeat(&heartbeat("conf-m-fresh", "eu-west", 0, 2), at(95)).await.unwrap();
    r.set_status("conf-w2", WorkerStatus::Draining).await.unwrap();
    let marked = r.mark_offline(at(90)).await.unwrap();
    assert_eq!(marked, ["conf-m-stale", "conf-w0", "conf-w1"]);
    for (worker, s) in [
        ("conf-m-stale", WorkerStatus::Offline),
        ("conf-w0", WorkerStatus::Offline),
        ("conf-w1", WorkerStatus::Offline),
        ("conf-m-cordoned", WorkerStatus::Cordoned),
        ("conf-w2", WorkerStatus::Draining),
        ("conf-m-edge", WorkerStatus::Healthy),
        ("conf-m-fresh", WorkerStatus::Healthy),
    ] {
        assert_eq!(status(r, worker).await, s, "{worker} after mark_offline");
    }
    assert_eq!(r.get_worker("conf-m-stale").await.unwrap().last_heartbeat_at, at(50), "no heartbeat is faked");
    assert!(r.mark_offline(at(90)).await.unwrap().is_empty(), "offline workers are not marked again");
    let revived = r.record_heartbeat(&heartbeat("conf-m-stale", "eu-west", 0, 2), at(100)).await.unwrap();
    assert_eq!(revived.status, WorkerStatus::Healthy);
    assert_eq!(revived.registered_at, at(50));

    // Pruning deletes history strictly before the cutoff, of every worker.
    assert_eq!(r.prune_history(at(10)).await.unwrap(), 2, "conf-w1's first two heartbeats");
    let left = r.heartbeat_history(id, 100).await.unwrap();
    assert_eq!(left.len(), 4);
    assert_eq!(left.last().map(|h| h.received_at), Some(at(10)), "the cutoff itself is kept");
    assert_eq!(r.prune_history(at(10)).await.unwrap(), 0);
    assert_eq!(r.get_worker(id).await.unwrap().registered_at, at(0), "pruning leaves the workers alone");

    // Concurrent first heartbeats of one worker all succeed: one registers, the rest update.
    let racers: Vec<Heartbeat> = (0..8).map(|i| heartbeat("conf-race", "eu-west", i, 8)).collect();
    let results = futures::future::join_all(racers.iter().map(|hb| r.record_heartbeat(hb, at(200)))).await;
    for result in results {
        assert_eq!(result.unwrap().registered_at, at(200));
    }
    let raced = r.get_worker("conf-race").await.unwrap();
    assert_eq!((raced.status, raced.max_jobs), (WorkerStatus::Healthy, 8));
    assert_eq!(r.heartbeat_history("conf-race", 100).await.unwrap().len(), 8, "one history row per heartbeat");
    assert_eq!(ids(r).await.len(), 8);
}
