//! Test guests: WAT fixtures turned into components in-process (feature `test-util`), so the
//! host's tests need no guest toolchain. Each fixture is the body of a core module; the shared
//! [`PRELUDE`] (memory, bump allocator, `cabi_realloc`) is appended, the world's metadata is
//! embedded and the module is encoded as a component with `wit-component`.

use chrono::{DateTime, Utc};
use tseeder_core::domain::Worker;
use tseeder_core::ports::{RoutingRequest, check_ranking};
use wit_component::{ComponentEncoder, StringEncoding, embed_component_metadata};
use wit_parser::Resolve;

/// Memory, a bump allocator and `cabi_realloc`, shared by every fixture.
pub const PRELUDE: &str = include_str!("../tests/fixtures/prelude.wat");

/// WAT bodies of the test guests, one per behaviour.
pub mod fixtures {
    /// The native routing rule (with `{FORCED}`/`{FORCED_LEN}` placeholders: see
    /// [`router_reference`](super::router_reference) and
    /// [`prefer_region_router`](super::prefer_region_router)).
    pub const ROUTER_REFERENCE: &str = include_str!("../tests/fixtures/router_reference.wat");
    /// The native retention rule.
    pub const RETENTION_REFERENCE: &str = include_str!("../tests/fixtures/retention_reference.wat");
    /// A router that loops forever.
    pub const SPIN_FOREVER: &str = include_str!("../tests/fixtures/spin_forever.wat");
    /// A router that grows memory without end.
    pub const GROW_MEMORY: &str = include_str!("../tests/fixtures/grow_memory.wat");
    /// A router that recurses without end.
    pub const DEEP_RECURSION: &str = include_str!("../tests/fixtures/deep_recursion.wat");
    /// A router that traps at once.
    pub const TRAP: &str = include_str!("../tests/fixtures/trap.wat");
    /// A router that traps when a decision finds what an earlier one wrote to its memory.
    pub const REMEMBERS: &str = include_str!("../tests/fixtures/remembers.wat");
    /// A router that names an unknown worker.
    pub const BAD_OUTPUT: &str = include_str!("../tests/fixtures/bad_output.wat");
    /// A retention policy that names an unknown file.
    pub const BAD_RETENTION: &str = include_str!("../tests/fixtures/bad_retention.wat");
    /// A retention policy that loops forever.
    pub const SPIN_RETENTION: &str = include_str!("../tests/fixtures/spin_retention.wat");
    /// A router importing WASI (`wasi:cli/environment`); world [`TEST_WORLD_WASI`](super::TEST_WORLD_WASI).
    pub const IMPORTS_WASI: &str = include_str!("../tests/fixtures/imports_wasi.wat");
    /// A router importing an unknown host interface; world [`TEST_WORLD_SPY`](super::TEST_WORLD_SPY).
    pub const IMPORTS_UNKNOWN: &str = include_str!("../tests/fixtures/imports_unknown.wat");
    /// A router that calls the `log` host function.
    pub const IMPORTS_LOG: &str = include_str!("../tests/fixtures/imports_log.wat");
}

/// A world of the test WIT that imports WASI's environment besides exporting `rank`.
pub const TEST_WORLD_WASI: &str = "router-importing-wasi";
/// A world of the test WIT that imports an interface the host does not offer.
pub const TEST_WORLD_SPY: &str = "router-importing-spy";

/// Worlds only tests use: the real package plus two worlds with imports the host refuses.
const TEST_WORLDS: &str = r#"
interface spy {
  steal: func() -> string;
}

world router-importing-spy {
  use types.{job, worker};
  import spy;
  export rank: func(job: job, workers: list<worker>, stale-after-ms: u64) -> list<string>;
}

world router-importing-wasi {
  use types.{job, worker};
  import wasi:cli/environment@0.2.0;
  export rank: func(job: job, workers: list<worker>, stale-after-ms: u64) -> list<string>;
}
"#;

const WASI_ENVIRONMENT: &str = r#"
package wasi:cli@0.2.0;

interface environment {
  get-environment: func() -> list<tuple<string, string>>;
}
"#;

/// Builds the component of `world` (`router`, `retention`, or a test world) from a fixture
/// `body`.
pub fn component(world: &str, body: &str) -> Result<Vec<u8>, String> {
    let mut resolve = Resolve::default();
    resolve.push_str("wasi-environment.wit", WASI_ENVIRONMENT).map_err(|e| format!("{e:#}"))?;
    let package =
        resolve.push_str("policy.wit", &format!("{}\n{TEST_WORLDS}", crate::WIT)).map_err(|e| format!("{e:#}"))?;
    let world = resolve.select_world(&[package], Some(world)).map_err(|e| format!("{e:#}"))?;
    let text = format!("(module\n{body}\n{PRELUDE})");
    let mut module = wat::parse_str(&text).map_err(|e| format!("{e:#}"))?;
    embed_component_metadata(&mut module, &resolve, world, StringEncoding::UTF8).map_err(|e| format!("{e:#}"))?;
    ComponentEncoder::default()
        .module(&module)
        .and_then(|encoder| encoder.validate(true).encode())
        .map_err(|e| format!("{e:#}"))
}

/// The reference router: the native rule.
pub fn router_reference() -> Vec<u8> {
    prefer_region_router("")
}

/// The native rule, except that `region` (when not empty) is preferred instead of the job's
/// hint: a router an operator might write to keep work in one region.
#[allow(clippy::expect_used, reason = "test helper: the fixture is known to build")]
pub fn prefer_region_router(region: &str) -> Vec<u8> {
    let body =
        fixtures::ROUTER_REFERENCE.replace("{FORCED_LEN}", &region.len().to_string()).replace("{FORCED}", region);
    component("router", &body).expect("the reference router builds")
}

/// The reference retention policy: the native rule.
#[allow(clippy::expect_used, reason = "test helper: the fixture is known to build")]
pub fn retention_reference() -> Vec<u8> {
    retention_with_day_length(86_400)
}

/// The native rule with days of `day_secs` seconds: with 0, every completed file of a plan
/// that does not keep files forever expires at once (a policy to test sweeps with).
#[allow(clippy::expect_used, reason = "test helper: the fixture is known to build")]
pub fn retention_with_day_length(day_secs: u64) -> Vec<u8> {
    let body = fixtures::RETENTION_REFERENCE.replace("{DAY_SECS}", &day_secs.to_string());
    component("retention", &body).expect("the retention policy builds")
}

/// Regions [`random_fleet`] draws from.
pub const REGIONS: [&str; 3] = ["eu-west", "us-east", "ap-south"];

/// Up to 11 workers with ids `w0`..., in random order, random statuses, loads and heartbeat
/// ages as of `now` drawn from few distinct values (so ties are common and the later sort keys
/// decide): inputs for comparing a router plugin with the native policy.
#[allow(clippy::expect_used, reason = "test helper: the values are known to be valid")]
pub fn random_fleet(rng: &mut impl rand::Rng, now: chrono::DateTime<chrono::Utc>) -> Vec<tseeder_core::domain::Worker> {
    use tseeder_core::domain::{RegionCode, Worker, WorkerStatus};
    let n = rng.random_range(0..12);
    let mut ids: Vec<usize> = (0..n).collect();
    // Shuffled, so the input order never decides ties.
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
                region: RegionCode::parse(REGIONS[rng.random_range(0..3)]).expect("valid region"),
                base_url: format!("http://w{i}.example:8787/").parse().expect("valid url"),
                version: "1".into(),
                status,
                active_jobs: rng.random_range(0..5),
                max_jobs: rng.random_range(0..4),
                disk_free_bytes: 0,
                disk_total_bytes: 0,
                cpu_pct: 0.0,
                bandwidth_bps: 0,
                last_heartbeat_at: now - chrono::TimeDelta::milliseconds(age_ms),
                registered_at: now - chrono::TimeDelta::days(1),
            }
        })
        .collect()
}

/// Up to 39 stored files with plan windows and completion times around the retention
/// boundaries as of `now`: inputs for comparing a retention plugin with the native rule.
pub fn random_files(
    rng: &mut impl rand::Rng,
    now: chrono::DateTime<chrono::Utc>,
) -> Vec<tseeder_core::ports::RetentionCandidate> {
    (0..rng.random_range(0..40))
        .map(|_| {
            let days = [None, Some(0), Some(1), Some(7), Some(30)][rng.random_range(0..5)];
            let age = [0, 86_400, 86_401, 7 * 86_400 + 1, 40 * 86_400, -3600][rng.random_range(0..6)];
            tseeder_core::ports::RetentionCandidate {
                file_id: tseeder_core::domain::FileId::new(),
                size: rng.random_range(0..1 << 40),
                completed_at: rng.random_bool(0.9).then(|| now - chrono::TimeDelta::seconds(age)),
                retention_days: days,
                plan: ["free", "pro"][rng.random_range(0..2)].into(),
            }
        })
        .collect()
}

/// For benchmarks: a `router` plugin as one instance kept in one store between calls.
/// Production makes a fresh instance in a fresh store for every decision; this measures the rest
/// of a decision (the inputs' conversion, the call through the component model, the answer's
/// check) without that.
pub struct ReusedRouter {
    store: wasmtime::Store<crate::sandbox::StoreState>,
    router: crate::bindings::router::Router,
    stale_after_ms: u64,
}

impl std::fmt::Debug for ReusedRouter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ReusedRouter").finish_non_exhaustive()
    }
}

impl ReusedRouter {
    /// One instance of `policy`'s loaded plugin; `None` when no plugin is loaded.
    ///
    /// # Errors
    /// When the plugin cannot be instantiated.
    pub fn new(policy: &crate::WasmRoutingPolicy) -> Result<Option<Self>, String> {
        let Some(plugin) = policy.slot().current() else { return Ok(None) };
        let mut store = crate::sandbox::store(&plugin.engine, plugin.limits, std::sync::Arc::clone(&plugin.name));
        let router = plugin.pre.instantiate(&mut store).map_err(|e| format!("{e:#}"))?;
        Ok(Some(Self { store, router, stale_after_ms: policy.stale_after_ms() }))
    }

    /// One decision on the kept instance, checked as production checks it.
    ///
    /// # Errors
    /// When the call fails or the answer is not a ranking of `workers`.
    pub fn rank(
        &mut self,
        job: &RoutingRequest,
        workers: &[Worker],
        now: DateTime<Utc>,
    ) -> Result<Vec<String>, String> {
        crate::sandbox::rearm(&mut self.store);
        let wit_workers: Vec<_> = workers.iter().map(|w| crate::router::wit_worker(w, now)).collect();
        let ranking = self
            .router
            .call_rank(&mut self.store, &crate::router::wit_job(job), &wit_workers, self.stale_after_ms)
            .map_err(|e| format!("{e:#}"))?;
        check_ranking(&ranking, workers).map_err(|e| e.to_string())?;
        Ok(ranking)
    }
}
