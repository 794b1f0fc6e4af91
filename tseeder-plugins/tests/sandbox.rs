//! The plugin host against WAT guests built in the test: reference policies that agree with the
//! native ones, one guest per limit (deadline, memory, stack, trap, invalid answer), a full
//! instance pool, refused imports and hashes, and hot swaps. The host survives every one and
//! takes the fallback.

#![allow(clippy::unwrap_used, reason = "test scenarios: a panic is a test failure")]

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use async_trait::async_trait;
use chrono::{DateTime, TimeDelta, TimeZone, Utc};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use tseeder_core::config::{PluginConfig, PluginsConfig};
use tseeder_core::domain::{
    AuditEntry, FileId, JobId, Page, PageRequest, RegionCode, SecurityEvent, Worker, WorkerStatus,
};
use tseeder_core::error::{PolicyError, RepoError};
use tseeder_core::ports::{
    AuditFilter, AuditLog, AuditRecord, Clock, PolicyHost, PolicyImplementation, PolicyKind, RetentionCandidate,
    RetentionPolicy, RoutingPolicy, RoutingRequest,
};
use tseeder_core::services::{NativeRetentionPolicy, NativeRoutingPolicy};
use tseeder_core::testing::ManualClock;
use tseeder_plugins::testing::{self, fixtures};
use tseeder_plugins::{PluginEngine, PluginHost, WasmRetentionPolicy, WasmRoutingPolicy, sha256_hex};

const STALE_AFTER: Duration = Duration::from_secs(30);
const TIMEOUT_MS: u64 = 100;

fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 12, 1, 12, 0, 0).unwrap()
}

/// Security events written by the host.
#[derive(Debug, Default)]
struct Events(Mutex<Vec<SecurityEvent>>);

impl Events {
    fn kinds(&self) -> Vec<String> {
        self.0.lock().unwrap().iter().map(|e| e.kind.clone()).collect()
    }
}

#[async_trait]
impl AuditLog for Events {
    async fn record(&self, _entry: &AuditEntry) -> Result<(), RepoError> {
        Ok(())
    }
    async fn list_audit(&self, _f: &AuditFilter, _p: PageRequest) -> Result<Page<AuditRecord>, RepoError> {
        Err(RepoError::NotFound)
    }
    async fn record_security_event(&self, event: &SecurityEvent) -> Result<(), RepoError> {
        self.0.lock().unwrap().push(event.clone());
        Ok(())
    }
    async fn list_security_events(
        &self,
        _f: &tseeder_core::ports::SecurityEventFilter,
        _p: PageRequest,
    ) -> Result<Page<SecurityEvent>, RepoError> {
        Err(RepoError::NotFound)
    }
}

/// A plugin file in a temporary directory, with its configuration pinned to its hash.
struct PluginFile {
    _dir: tempfile::TempDir,
    config: PluginConfig,
}

fn plugin_file(bytes: &[u8]) -> PluginFile {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("plugin.wasm");
    std::fs::write(&path, bytes).unwrap();
    let config = PluginConfig {
        path: path.display().to_string(),
        sha256: sha256_hex(bytes),
        timeout_ms: TIMEOUT_MS,
        max_memory_bytes: 4 * 1024 * 1024,
        grants: Vec::new(),
    };
    PluginFile { _dir: dir, config }
}

fn engine() -> PluginEngine {
    PluginEngine::new(None).unwrap()
}

fn clock() -> Arc<dyn Clock> {
    Arc::new(ManualClock::new(t0()))
}

fn router(engine: &PluginEngine, file: &PluginFile, events: Option<Arc<Events>>) -> WasmRoutingPolicy {
    let audit = events.map(|e| e as Arc<dyn AuditLog>);
    WasmRoutingPolicy::new(engine, file.config.clone(), STALE_AFTER, audit, clock())
}

fn worker(id: &str, region: &str, status: WorkerStatus, active: u32, max: u32, age_ms: i64) -> Worker {
    Worker {
        id: id.into(),
        region: RegionCode::parse(region).unwrap(),
        base_url: format!("http://{id}.example:8787/").parse().unwrap(),
        version: "1".into(),
        status,
        active_jobs: active,
        max_jobs: max,
        disk_free_bytes: 0,
        disk_total_bytes: 0,
        cpu_pct: 0.0,
        bandwidth_bps: 0,
        last_heartbeat_at: t0() - TimeDelta::milliseconds(age_ms),
        registered_at: t0() - TimeDelta::days(1),
    }
}

fn job(hint: Option<&str>) -> RoutingRequest {
    RoutingRequest {
        job_id: JobId::new(),
        region_hint: hint.map(|h| RegionCode::parse(h).unwrap()),
        size_estimate: None,
    }
}

fn fleet() -> Vec<Worker> {
    vec![
        worker("eu-1", "eu-west", WorkerStatus::Healthy, 1, 4, 1000),
        worker("us-1", "us-east", WorkerStatus::Healthy, 0, 4, 1000),
        worker("eu-2", "eu-west", WorkerStatus::Healthy, 3, 4, 500),
    ]
}

#[test]
fn the_reference_router_agrees_with_the_native_policy_on_random_inputs() {
    let engine = engine();
    let file = plugin_file(&testing::router_reference());
    let wasm = router(&engine, &file, None);
    assert!(wasm.is_loaded(), "{:?}", wasm.status().last_refusal);
    let native = NativeRoutingPolicy::new(STALE_AFTER);
    let mut rng = StdRng::seed_from_u64(0x7ee_de4);
    for case in 0..300 {
        let workers = testing::random_fleet(&mut rng, t0());
        let hint = match rng.random_range(0..4) {
            0 => None,
            i => Some(["eu-west", "us-east", "nowhere"][i - 1]),
        };
        let job = job(hint);
        let expected = native.rank(&job, &workers, t0()).unwrap();
        assert_eq!(wasm.rank(&job, &workers, t0()).unwrap(), expected, "case {case}: {workers:#?} hint {hint:?}");
    }
    let status = wasm.status();
    assert_eq!((status.counters.decisions, status.counters.failures), (300, 0));
}

#[test]
fn the_reference_retention_policy_agrees_with_the_native_rule_on_random_inputs() {
    let engine = engine();
    let file = plugin_file(&testing::retention_reference());
    let wasm = WasmRetentionPolicy::new(&engine, file.config.clone(), None, clock());
    assert!(wasm.is_loaded(), "{:?}", wasm.status().last_refusal);
    let mut rng = StdRng::seed_from_u64(42);
    let mut selected = 0;
    for case in 0..200 {
        let files = testing::random_files(&mut rng, t0());
        let expected = NativeRetentionPolicy.select_expired(&files, t0()).unwrap();
        selected += expected.len();
        assert_eq!(wasm.select_expired(&files, t0()).unwrap(), expected, "case {case}: {files:#?}");
    }
    assert!(selected > 100, "the inputs exercise expiry ({selected} selected)");
}

/// The size estimate that makes the misbehaving fixtures misbehave (they pass the smoke
/// decision at load otherwise).
const TRIGGER: u64 = 0xBAD;

fn trigger_job() -> RoutingRequest {
    RoutingRequest { size_estimate: Some(TRIGGER), ..job(Some("eu-west")) }
}

/// Loads a router that misbehaves on [`TRIGGER`], asks it one decision with the trigger, checks
/// the answer is the native ranking, the failure counted by `counter` and reported as a
/// `plugin.failed` security event, and that the plugin keeps serving other decisions. Returns
/// how long the failed decision took.
async fn falls_back_to_native(body: &str, counter: fn(&tseeder_core::ports::PolicyCounters) -> u64) -> Duration {
    let engine = engine();
    let file = plugin_file(&testing::component("router", body).unwrap());
    let events = Arc::new(Events::default());
    let wasm = router(&engine, &file, Some(Arc::clone(&events)));
    assert!(wasm.is_loaded(), "{:?}", wasm.status().last_refusal);
    let native = NativeRoutingPolicy::new(STALE_AFTER).rank(&trigger_job(), &fleet(), t0()).unwrap();
    assert_eq!(native, ["eu-1", "eu-2", "us-1"]);

    let started = Instant::now();
    assert_eq!(wasm.rank(&trigger_job(), &fleet(), t0()).unwrap(), native);
    let took = started.elapsed();

    let status = wasm.status();
    assert_eq!((status.counters.decisions, status.counters.failures, counter(&status.counters)), (1, 1, 1));
    assert!(status.last_failure.is_some());
    for _ in 0..50 {
        if !events.kinds().is_empty() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    assert_eq!(events.kinds(), ["plugin.failed"]);
    // The host survived, and the plugin still decides other jobs (it answers no worker).
    assert_eq!(wasm.rank(&job(None), &fleet(), t0()).unwrap(), Vec::<String>::new());
    assert_eq!(wasm.status().counters.decisions, 2);
    took
}

#[tokio::test(flavor = "multi_thread")]
async fn an_infinite_loop_is_stopped_at_the_deadline_and_routing_falls_back() {
    let took = falls_back_to_native(fixtures::SPIN_FOREVER, |c| c.timeouts).await;
    let deadline = Duration::from_millis(TIMEOUT_MS);
    assert!(took >= deadline && took < deadline * 3, "stopped after {took:?}");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_memory_bomb_is_stopped_at_the_limit_and_routing_falls_back() {
    falls_back_to_native(fixtures::GROW_MEMORY, |c| c.memory_exceeded).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn deep_recursion_traps_and_routing_falls_back() {
    falls_back_to_native(fixtures::DEEP_RECURSION, |c| c.traps).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_trap_falls_back_to_native_routing() {
    falls_back_to_native(fixtures::TRAP, |c| c.traps).await;
}

/// Instances come from a pool whose memory slots stay mapped between decisions: each decision
/// still starts from the plugin's initial memory, in the first page and in pages it grew.
#[test]
fn no_decision_sees_what_an_earlier_one_wrote() {
    let engine = engine();
    let file = plugin_file(&testing::component("router", fixtures::REMEMBERS).unwrap());
    let wasm = router(&engine, &file, None);
    assert!(wasm.is_loaded(), "{:?}", wasm.status().last_refusal);
    for _ in 0..50 {
        assert_eq!(wasm.rank(&job(None), &fleet(), t0()).unwrap(), Vec::<String>::new());
    }
    let counters = wasm.status().counters;
    assert_eq!((counters.decisions, counters.failures), (50, 0), "a decision found an earlier one's mark");
}

#[tokio::test(flavor = "multi_thread")]
async fn an_unknown_worker_in_the_answer_falls_back_to_native_routing() {
    falls_back_to_native(fixtures::BAD_OUTPUT, |c| c.invalid_outputs).await;
}

#[test]
fn decisions_beyond_the_instance_pool_fall_back_to_native_routing() {
    /// More decisions at once than the engine's pool holds (10).
    const AT_ONCE: u64 = 16;
    let engine = engine();
    if !engine.is_pooled() {
        eprintln!("the instance pool could not be reserved on this host: nothing to exhaust");
        return;
    }
    let file = plugin_file(&testing::component("router", fixtures::SPIN_FOREVER).unwrap());
    let wasm = router(&engine, &file, None);
    assert!(wasm.is_loaded(), "{:?}", wasm.status().last_refusal);
    let native = NativeRoutingPolicy::new(STALE_AFTER).rank(&trigger_job(), &fleet(), t0()).unwrap();
    // Each decision spins until its deadline holding its instance, so those that come after
    // the pool is full fail to instantiate at once; every one is answered natively.
    let start = std::sync::Barrier::new(AT_ONCE as usize);
    std::thread::scope(|s| {
        for _ in 0..AT_ONCE {
            s.spawn(|| {
                start.wait();
                assert_eq!(wasm.rank(&trigger_job(), &fleet(), t0()).unwrap(), native);
            });
        }
    });
    let c = wasm.status().counters;
    assert_eq!((c.decisions, c.failures, c.timeouts + c.traps), (AT_ONCE, AT_ONCE, AT_ONCE), "{c:?}");
    assert!(c.timeouts > 0 && c.traps > 0, "the pool was never full: {c:?}");
    // The instances went back to the pool: the plugin decides again.
    assert_eq!(wasm.rank(&job(None), &fleet(), t0()).unwrap(), Vec::<String>::new());
    assert_eq!(wasm.status().counters.failures, AT_ONCE);
}

fn expired_file(size: u64) -> RetentionCandidate {
    RetentionCandidate {
        file_id: FileId::new(),
        size,
        completed_at: Some(t0() - TimeDelta::days(90)),
        retention_days: Some(7),
        plan: "free".into(),
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_failing_retention_plugin_deletes_nothing() {
    let engine = engine();
    for (body, counter) in [
        (fixtures::SPIN_RETENTION, (|c| c.timeouts) as fn(&tseeder_core::ports::PolicyCounters) -> u64),
        (fixtures::BAD_RETENTION, |c| c.invalid_outputs),
    ] {
        let file = plugin_file(&testing::component("retention", body).unwrap());
        let wasm = WasmRetentionPolicy::new(&engine, file.config.clone(), None, clock());
        assert!(wasm.is_loaded(), "{:?}", wasm.status().last_refusal);
        let files = vec![expired_file(TRIGGER), expired_file(10)];
        // The native rule would delete both; the failing plugin's answer is an error, on which
        // the sweeper deletes nothing.
        assert_eq!(NativeRetentionPolicy.select_expired(&files, t0()).unwrap().len(), 2);
        let answer = wasm.select_expired(&files, t0());
        assert!(matches!(answer, Err(PolicyError::Timeout | PolicyError::InvalidOutput(_))), "{answer:?}");
        let status = wasm.status();
        assert_eq!((status.counters.failures, counter(&status.counters)), (1, 1));
        // Other batches are still decided by the plugin (which selects nothing).
        assert_eq!(wasm.select_expired(&[expired_file(10)], t0()).unwrap(), Vec::<FileId>::new());
    }
}

#[test]
fn a_plugin_that_fails_its_smoke_decision_is_refused_at_load() {
    let engine = engine();
    let always_spins = "(func (export \"rank\") (param i32 i32 i32 i32 i32 i64 i32 i32 i64) (result i32)\n  (loop $l (br $l)) unreachable)";
    let file = plugin_file(&testing::component("router", always_spins).unwrap());
    let started = Instant::now();
    let wasm = router(&engine, &file, None);
    assert!(started.elapsed() < Duration::from_secs(5));
    assert!(!wasm.is_loaded());
    let refusal = wasm.status().last_refusal.unwrap().reason;
    assert!(refusal.contains("smoke decision") && refusal.contains("timed out"), "{refusal}");
    // The native policy decides meanwhile.
    let native = NativeRoutingPolicy::new(STALE_AFTER).rank(&job(None), &fleet(), t0()).unwrap();
    assert_eq!(wasm.rank(&job(None), &fleet(), t0()).unwrap(), native);
    assert_eq!(wasm.status().implementation, PolicyImplementation::Native);
}

fn refusal_of(bytes: &[u8], grants: &[&str]) -> Option<String> {
    let engine = engine();
    let mut file = plugin_file(bytes);
    file.config.grants = grants.iter().map(|g| (*g).to_owned()).collect();
    let wasm = router(&engine, &file, None);
    if wasm.is_loaded() { None } else { Some(wasm.status().last_refusal.unwrap().reason) }
}

#[test]
fn a_guest_importing_wasi_is_refused_at_load() {
    let bytes = testing::component(testing::TEST_WORLD_WASI, fixtures::IMPORTS_WASI).unwrap();
    let reason = refusal_of(&bytes, &["log"]).expect("refused");
    assert!(reason.contains("wasi:cli/environment") && reason.contains("no WASI"), "{reason}");
}

#[test]
fn a_guest_importing_an_unknown_host_function_is_refused_at_load() {
    let bytes = testing::component(testing::TEST_WORLD_SPY, fixtures::IMPORTS_UNKNOWN).unwrap();
    let reason = refusal_of(&bytes, &["log"]).expect("refused");
    assert!(reason.contains("tseeder:policy/spy"), "{reason}");
}

#[test]
fn the_log_import_needs_its_grant() {
    let bytes = testing::component("router", fixtures::IMPORTS_LOG).unwrap();
    let reason = refusal_of(&bytes, &[]).expect("refused without the grant");
    assert!(reason.contains("does not grant \"log\""), "{reason}");
    assert_eq!(refusal_of(&bytes, &["log"]), None, "loads with the grant");
    let reason = refusal_of(&bytes, &["log", "network"]).expect("unknown grant");
    assert!(reason.contains("unknown grant"), "{reason}");
}

#[test]
fn a_file_whose_hash_is_not_pinned_is_refused() {
    let engine = engine();
    let mut file = plugin_file(&testing::router_reference());
    file.config.sha256 = "0".repeat(64);
    let wasm = router(&engine, &file, None);
    assert!(!wasm.is_loaded());
    assert!(wasm.status().last_refusal.unwrap().reason.contains("not pinned"));
    let mut file = plugin_file(b"not wasm at all");
    file.config.sha256 = sha256_hex(b"not wasm at all");
    let wasm = router(&engine, &file, None);
    assert!(wasm.status().last_refusal.unwrap().reason.contains("not a valid WebAssembly component"));
}

fn host_with_router(engine: &PluginEngine, file: &PluginFile) -> Arc<PluginHost> {
    let config = PluginsConfig { router: Some(file.config.clone()), ..PluginsConfig::default() };
    Arc::new(PluginHost::new(engine, &config, STALE_AFTER, None, clock()))
}

#[tokio::test(flavor = "multi_thread")]
async fn an_admin_swap_replaces_the_router_and_a_bad_version_is_refused() {
    let engine = engine();
    let file = plugin_file(&testing::router_reference());
    let host = host_with_router(&engine, &file);
    let routing = host.routing_policy();
    assert_eq!(routing.rank(&job(None), &fleet(), t0()).unwrap(), ["us-1", "eu-1", "eu-2"]);

    // A new version that keeps work in eu-west whatever the job says.
    let prefer_eu = testing::prefer_region_router("eu-west");
    let dir = tempfile::tempdir().unwrap();
    let v2 = dir.path().join("v2.wasm");
    std::fs::write(&v2, &prefer_eu).unwrap();
    let status = host.swap(PolicyKind::Router, Some(&v2.display().to_string()), &sha256_hex(&prefer_eu)).await.unwrap();
    assert_eq!(status.sha256.as_deref(), Some(sha256_hex(&prefer_eu).as_str()));
    assert_eq!(status.swaps, 1);
    assert_eq!(routing.rank(&job(None), &fleet(), t0()).unwrap(), ["eu-1", "eu-2", "us-1"]);

    // A version that traps is refused; the eu-west router stays.
    let bad = testing::component(
        "router",
        "(func (export \"rank\") (param i32 i32 i32 i32 i32 i64 i32 i32 i64) (result i32) unreachable)",
    )
    .unwrap();
    let v3 = dir.path().join("v3.wasm");
    std::fs::write(&v3, &bad).unwrap();
    let refused = host.swap(PolicyKind::Router, Some(&v3.display().to_string()), &sha256_hex(&bad)).await;
    assert!(matches!(&refused, Err(PolicyError::Refused(m)) if m.contains("smoke decision")), "{refused:?}");
    // And so is a hash that does not match the file.
    let wrong = host.swap(PolicyKind::Router, Some(&v2.display().to_string()), &"1".repeat(64)).await;
    assert!(matches!(&wrong, Err(PolicyError::Refused(m)) if m.contains("not pinned")), "{wrong:?}");
    let status = &host.status()[0];
    assert_eq!(status.sha256.as_deref(), Some(sha256_hex(&prefer_eu).as_str()));
    assert!(status.last_refusal.is_some());
    assert_eq!(routing.rank(&job(None), &fleet(), t0()).unwrap(), ["eu-1", "eu-2", "us-1"]);
    // No retention plugin is configured: swapping one is refused as not configured.
    assert!(matches!(host.swap(PolicyKind::Retention, None, &"a".repeat(64)).await, Err(PolicyError::NotConfigured)));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_replaced_plugin_file_is_swapped_in_only_when_its_hash_is_pinned() {
    let engine = engine();
    let reference = testing::router_reference();
    let file = plugin_file(&reference);
    let host = host_with_router(&engine, &file);
    let routing = host.routing_policy();
    let stop = tokio_util::sync::CancellationToken::new();
    let watcher = host.spawn_watcher(Duration::from_millis(50), stop.clone());
    let reference_ranking = vec!["us-1", "eu-1", "eu-2"];
    let eu_ranking = vec!["eu-1", "eu-2", "us-1"];
    assert_eq!(routing.rank(&job(None), &fleet(), t0()).unwrap(), reference_ranking);

    // An unpinned replacement is refused; the active version stays.
    let prefer_eu = testing::prefer_region_router("eu-west");
    replace(&file.config.path, &prefer_eu);
    let refusal = wait_for(|| host.status()[0].last_refusal.clone()).await;
    assert!(refusal.reason.contains("not pinned"), "{}", refusal.reason);
    assert_eq!(routing.rank(&job(None), &fleet(), t0()).unwrap(), reference_ranking);

    // An admin approves the new hash: it is swapped in...
    host.swap(PolicyKind::Router, None, &sha256_hex(&prefer_eu)).await.unwrap();
    assert_eq!(routing.rank(&job(None), &fleet(), t0()).unwrap(), eu_ranking);
    // ...and rolling the file back to the pinned original swaps that in by itself.
    replace(&file.config.path, &reference);
    wait_for(|| (host.status()[0].sha256.as_deref() == Some(file.config.sha256.as_str())).then_some(())).await;
    assert_eq!(routing.rank(&job(None), &fleet(), t0()).unwrap(), reference_ranking);
    stop.cancel();
    watcher.await.unwrap();
}

fn replace(path: &str, bytes: &[u8]) {
    // Write beside and rename, as a deployment would, so the watcher never reads half a file.
    let tmp = format!("{path}.new");
    std::fs::write(&tmp, bytes).unwrap();
    std::fs::rename(&tmp, path).unwrap();
}

async fn wait_for<T>(mut probe: impl FnMut() -> Option<T>) -> T {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        if let Some(v) = probe() {
            return v;
        }
        assert!(Instant::now() < deadline, "timed out waiting");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

#[test]
fn compiled_plugins_are_cached_on_disk_by_content_hash() {
    let cache = tempfile::tempdir().unwrap();
    let engine = PluginEngine::new(Some(cache.path())).unwrap();
    let file = plugin_file(&testing::router_reference());
    assert!(router(&engine, &file, None).is_loaded());
    let artifacts = || {
        let mut found: Vec<_> = walk(cache.path()).into_iter().filter(|p| is_artifact(p)).collect();
        found.sort();
        found
    };
    let deadline = Instant::now() + Duration::from_secs(10);
    while artifacts().is_empty() {
        assert!(Instant::now() < deadline, "the compiled component was never written to the cache");
        std::thread::sleep(Duration::from_millis(20));
    }
    let cached = artifacts();
    // A second engine (a restart) loads the same plugin from the cache: no new artifact.
    let engine = PluginEngine::new(Some(cache.path())).unwrap();
    assert!(router(&engine, &file, None).is_loaded());
    std::thread::sleep(Duration::from_millis(100));
    assert_eq!(artifacts(), cached);
}

#[test]
fn a_relative_cache_directory_is_taken_from_the_working_directory() {
    // `data_dir = "data"` gives the relative cache `data/plugin-cache`, which wasmtime alone
    // refuses.
    let cache = tempfile::tempdir().unwrap();
    let cwd = std::env::current_dir().unwrap();
    let up = "../".repeat(cwd.components().count().saturating_sub(1));
    let relative = std::path::PathBuf::from(up).join(cache.path().strip_prefix("/").unwrap()).join("plugin-cache");
    assert!(relative.is_relative());
    let engine = PluginEngine::new(Some(&relative)).unwrap();
    assert!(router(&engine, &plugin_file(&testing::router_reference()), None).is_loaded());
    assert!(cache.path().join("plugin-cache").is_dir());
}

/// A compiled artifact, not one of the cache's own usage-statistics or temporary files.
fn is_artifact(path: &std::path::Path) -> bool {
    let name = path.to_string_lossy();
    !name.contains("stats") && !name.contains(".wip")
}

fn walk(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let path = entry.path();
        if path.is_dir() { out.extend(walk(&path)) } else { out.push(path) }
    }
    out
}

#[test]
fn check_reports_the_kind_hash_and_timing() {
    let engine = engine();
    let file = plugin_file(&testing::retention_reference());
    let report = tseeder_plugins::check(&engine, &file.config).unwrap();
    assert_eq!(report.kind, PolicyKind::Retention);
    assert_eq!(report.sha256, file.config.sha256);
    assert!(report.imports.is_empty());
    assert!(report.decision_p50 > Duration::ZERO && report.decision_p50 <= report.decision_p99);
    let junk = plugin_file(b"\0asm junk");
    assert!(tseeder_plugins::check(&engine, &junk.config).is_err());
}
