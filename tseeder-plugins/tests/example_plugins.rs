//! The example plugins of `plugins/` (C and JavaScript), built by `plugins/build.sh` into the
//! directory named by `TSEEDER_EXAMPLE_PLUGINS_DIR` (`.ci/run` builds them and sets it), loaded
//! through the real host and compared with the native policies on random inputs. A plugin whose
//! toolchain was missing has a `<name>.skipped` marker with the reason, which the test prints;
//! a plugin that is neither built nor skipped fails the test.

#![allow(clippy::unwrap_used, reason = "test scenarios: a panic is a test failure")]

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, TimeDelta, TimeZone, Utc};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use tseeder_core::config::PluginConfig;
use tseeder_core::domain::{FileId, JobId, RegionCode, Worker, WorkerStatus};
use tseeder_core::ports::{Clock, RetentionCandidate, RetentionPolicy, RoutingPolicy, RoutingRequest};
use tseeder_core::services::{NativeRetentionPolicy, NativeRoutingPolicy};
use tseeder_core::testing::ManualClock;
use tseeder_plugins::{PluginEngine, WasmRetentionPolicy, WasmRoutingPolicy, sha256_hex};

const STALE_AFTER: Duration = Duration::from_secs(30);
const REGIONS: [&str; 3] = ["eu-west", "us-east", "ap-south"];

fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 12, 1, 12, 0, 0).unwrap()
}

fn clock() -> Arc<dyn Clock> {
    Arc::new(ManualClock::new(t0()))
}

/// The built plugin `name`, or `None` (with the reason printed) when it was skipped or the
/// plugins were not built at all.
fn example(name: &str, grants: &[&str], max_memory_bytes: u64, timeout_ms: u64) -> Option<PluginConfig> {
    let Some(dir) = std::env::var_os("TSEEDER_EXAMPLE_PLUGINS_DIR").map(PathBuf::from) else {
        eprintln!("TSEEDER_EXAMPLE_PLUGINS_DIR is not set (bash plugins/build.sh builds them): {name} not tested");
        return None;
    };
    let skipped = dir.join(format!("{name}.skipped"));
    if let Ok(reason) = std::fs::read_to_string(&skipped) {
        eprintln!("SKIPPED {name}: {}", reason.trim());
        return None;
    }
    let path = dir.join(format!("{name}.wasm"));
    let bytes =
        std::fs::read(&path).unwrap_or_else(|e| panic!("{} was neither built nor skipped: {e}", path.display()));
    Some(PluginConfig {
        path: path.display().to_string(),
        sha256: sha256_hex(&bytes),
        max_memory_bytes,
        timeout_ms,
        grants: grants.iter().map(|g| (*g).to_owned()).collect(),
    })
}

fn random_fleet(rng: &mut StdRng) -> Vec<Worker> {
    let n = rng.random_range(0..12);
    let mut ids: Vec<usize> = (0..n).collect();
    for i in (1..ids.len()).rev() {
        ids.swap(i, rng.random_range(0..=i));
    }
    ids.into_iter()
        .map(|i| {
            let status = match rng.random_range(0..10) {
                0 => WorkerStatus::Cordoned,
                1 => WorkerStatus::Draining,
                2 => WorkerStatus::Offline,
                _ => WorkerStatus::Healthy,
            };
            let age_ms = [0, 999, 1000, 29_999, 30_000, 30_001, 45_000][rng.random_range(0..7)];
            Worker {
                id: format!("w{i}"),
                region: RegionCode::parse(REGIONS[rng.random_range(0..3)]).unwrap(),
                base_url: format!("http://w{i}.example:8787/").parse().unwrap(),
                version: "1".into(),
                status,
                active_jobs: rng.random_range(0..5),
                max_jobs: rng.random_range(0..4),
                disk_free_bytes: 0,
                disk_total_bytes: 0,
                cpu_pct: 0.0,
                bandwidth_bps: 0,
                last_heartbeat_at: t0() - TimeDelta::milliseconds(age_ms),
                registered_at: t0() - TimeDelta::days(1),
            }
        })
        .collect()
}

fn router_agrees_with_native(config: PluginConfig, cases: u32) {
    let engine = PluginEngine::new(None).unwrap();
    let wasm = WasmRoutingPolicy::new(&engine, config, STALE_AFTER, None, clock());
    assert!(wasm.is_loaded(), "{:?}", wasm.status().last_refusal);
    let native = NativeRoutingPolicy::new(STALE_AFTER);
    let mut rng = StdRng::seed_from_u64(0xc0de);
    let mut ranked = 0;
    for case in 0..cases {
        let workers = random_fleet(&mut rng);
        let hint = match rng.random_range(0..4) {
            0 => None,
            i => Some(RegionCode::parse(["eu-west", "us-east", "nowhere"][i - 1]).unwrap()),
        };
        let job = RoutingRequest { job_id: JobId::new(), region_hint: hint.clone(), size_estimate: None };
        let expected = native.rank(&job, &workers, t0()).unwrap();
        ranked += expected.len();
        assert_eq!(wasm.rank(&job, &workers, t0()).unwrap(), expected, "case {case}: {workers:#?} hint {hint:?}");
    }
    assert!(ranked > 0, "the inputs never had an eligible worker");
    let status = wasm.status();
    assert_eq!((status.counters.decisions, status.counters.failures), (u64::from(cases), 0), "{status:?}");
}

#[test]
fn the_c_router_agrees_with_the_native_policy() {
    if let Some(config) = example("router-c", &[], 16 << 20, 100) {
        router_agrees_with_native(config, 300);
    }
}

#[test]
fn the_javascript_router_agrees_with_the_native_policy() {
    // SpiderMonkey needs more memory than the default limit, imports the log function, and
    // takes about a millisecond per decision in a debug build.
    if let Some(config) = example("router-js", &["log"], 64 << 20, 2_000) {
        router_agrees_with_native(config, 40);
    }
}

#[test]
fn the_c_retention_policy_agrees_with_the_native_rule() {
    let Some(config) = example("retention-c", &[], 16 << 20, 100) else { return };
    let engine = PluginEngine::new(None).unwrap();
    let wasm = WasmRetentionPolicy::new(&engine, config, None, clock());
    assert!(wasm.is_loaded(), "{:?}", wasm.status().last_refusal);
    let mut rng = StdRng::seed_from_u64(7);
    let mut selected = 0;
    for case in 0..200 {
        let files: Vec<RetentionCandidate> = (0..rng.random_range(0..40))
            .map(|_| {
                let days = [None, Some(0), Some(1), Some(7), Some(30)][rng.random_range(0..5)];
                let age = [0, 86_400, 86_401, 7 * 86_400 + 1, 40 * 86_400, -3600][rng.random_range(0..6)];
                RetentionCandidate {
                    file_id: FileId::new(),
                    size: rng.random_range(0..1 << 40),
                    completed_at: rng.random_bool(0.9).then(|| t0() - TimeDelta::seconds(age)),
                    retention_days: days,
                    plan: ["free", "pro"][rng.random_range(0..2)].into(),
                }
            })
            .collect();
        let expected = NativeRetentionPolicy.select_expired(&files, t0()).unwrap();
        selected += expected.len();
        assert_eq!(wasm.select_expired(&files, t0()).unwrap(), expected, "case {case}: {files:#?}");
    }
    assert!(selected > 0, "the inputs never had an expired file");
}
