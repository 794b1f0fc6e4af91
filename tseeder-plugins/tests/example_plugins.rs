//! The example plugins of `plugins/` (C and JavaScript), built by `plugins/build.sh` into the
//! directory named by `TSEEDER_EXAMPLE_PLUGINS_DIR` (`.ci/run` builds them and sets it), loaded
//! through the real host and compared with the native policies on random inputs. A plugin whose
//! toolchain was missing has a `<name>.skipped` marker with the reason, which the test prints;
//! a plugin that is neither built nor skipped fails the test.

#![allow(clippy::unwrap_used, reason = "test scenarios: a panic is a test failure")]

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, TimeZone, Utc};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use tseeder_core::config::PluginConfig;
use tseeder_core::domain::{JobId, RegionCode};
use tseeder_core::ports::{Clock, RetentionPolicy, RoutingPolicy, RoutingRequest};
use tseeder_core::services::{NativeRetentionPolicy, NativeRoutingPolicy};
use tseeder_core::testing::ManualClock;
use tseeder_plugins::{PluginEngine, WasmRetentionPolicy, WasmRoutingPolicy, sha256_hex, testing};

const STALE_AFTER: Duration = Duration::from_secs(30);

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

fn router_agrees_with_native(config: PluginConfig, cases: u32) {
    let engine = PluginEngine::new(None).unwrap();
    let wasm = WasmRoutingPolicy::new(&engine, config, STALE_AFTER, None, clock());
    assert!(wasm.is_loaded(), "{:?}", wasm.status().last_refusal);
    let native = NativeRoutingPolicy::new(STALE_AFTER);
    let mut rng = StdRng::seed_from_u64(0xc0de);
    let mut ranked = 0;
    for case in 0..cases {
        let workers = testing::random_fleet(&mut rng, t0());
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
        let files = testing::random_files(&mut rng, t0());
        let expected = NativeRetentionPolicy.select_expired(&files, t0()).unwrap();
        selected += expected.len();
        assert_eq!(wasm.select_expired(&files, t0()).unwrap(), expected, "case {case}: {files:#?}");
    }
    assert!(selected > 0, "the inputs never had an expired file");
}
