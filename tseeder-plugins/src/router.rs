//! [`WasmRoutingPolicy`]: core's [`RoutingPolicy`] decided by a `router` plugin, falling back to
//! the native policy whenever the plugin fails.

use std::sync::{Arc, LazyLock};
use std::time::Duration;

use chrono::{DateTime, Utc};
use tseeder_core::config::PluginConfig;
use tseeder_core::domain::{Worker, WorkerStatus};
use tseeder_core::error::PolicyError;
use tseeder_core::ports::{Clock, PolicyKind, PolicyStatus, RoutingPolicy, RoutingRequest, check_ranking};
use tseeder_core::services::NativeRoutingPolicy;
use wasmtime::component::InstancePre;

use crate::bindings::router::{Router, RouterPre};
use crate::bindings::{self, Job};
use crate::engine::PluginEngine;
use crate::error::PluginError;
use crate::plugin::{Events, Loaded, Slot, World};
use crate::sandbox::{self, Failure, StoreState};

/// The `router` world.
#[derive(Debug)]
pub(crate) struct RouterWorld;

impl World for RouterWorld {
    const KIND: PolicyKind = PolicyKind::Router;
    const WORLD: &'static str = "router";
    type Pre = RouterPre<StoreState>;

    fn pre(pre: InstancePre<StoreState>) -> wasmtime::Result<Self::Pre> {
        RouterPre::new(pre)
    }

    fn smoke(plugin: &Loaded<Self>) -> Result<(), Failure> {
        let smoke = &*SMOKE;
        rank_on(plugin, &smoke.job, &smoke.workers, smoke.now, smoke.stale_after_ms).map(|_| ())
    }
}

/// The synthetic decision every router plugin answers at load (and `tseeder plugins check`
/// times): three fresh workers in two regions and a job with a region hint.
struct Smoke {
    job: RoutingRequest,
    workers: Vec<Worker>,
    now: DateTime<Utc>,
    stale_after_ms: u64,
}

/// Built once: a plugin sees a fresh instance every time, so the same input serves every smoke
/// decision, and `check` times the decision rather than the building of its input.
static SMOKE: LazyLock<Smoke> = LazyLock::new(|| {
    let now = Utc::now();
    Smoke {
        job: RoutingRequest {
            job_id: tseeder_core::domain::JobId::new(),
            region_hint: tseeder_core::domain::RegionCode::parse("smoke-a").ok(),
            size_estimate: Some(1024),
        },
        workers: ["smoke-1", "smoke-2", "smoke-3"]
            .iter()
            .zip(["smoke-a", "smoke-b", "smoke-a"])
            .map(|(id, region)| smoke_worker(id, region, now))
            .collect(),
        now,
        stale_after_ms: millis(NativeRoutingPolicy::DEFAULT_STALE_AFTER),
    }
});

/// `duration` in whole milliseconds, as the WIT interface takes it.
fn millis(duration: Duration) -> u64 {
    u64::try_from(duration.as_millis()).unwrap_or(u64::MAX)
}

fn smoke_worker(id: &str, region: &str, now: DateTime<Utc>) -> Worker {
    #[allow(clippy::unwrap_used, reason = "constant, valid inputs")]
    Worker {
        id: id.to_owned(),
        region: tseeder_core::domain::RegionCode::parse(region).unwrap(),
        base_url: "http://127.0.0.1:1/".parse().unwrap(),
        version: "smoke".into(),
        status: WorkerStatus::Healthy,
        active_jobs: 1,
        max_jobs: 4,
        disk_free_bytes: 0,
        disk_total_bytes: 0,
        cpu_pct: 0.0,
        bandwidth_bps: 0,
        last_heartbeat_at: now,
        registered_at: now,
    }
}

/// The WIT form of a worker as seen at `now`.
pub(crate) fn wit_worker(worker: &Worker, now: DateTime<Utc>) -> bindings::Worker {
    bindings::Worker {
        id: worker.id.clone(),
        region: worker.region.as_str().to_owned(),
        healthy: worker.status == WorkerStatus::Healthy,
        active_jobs: worker.active_jobs,
        max_jobs: worker.max_jobs,
        heartbeat_age_ms: u64::try_from(now.signed_duration_since(worker.last_heartbeat_at).num_milliseconds())
            .unwrap_or(0),
    }
}

/// The WIT form of a job.
pub(crate) fn wit_job(job: &RoutingRequest) -> Job {
    Job {
        id: job.job_id.to_string(),
        region_hint: job.region_hint.as_ref().map(|r| r.as_str().to_owned()),
        size_estimate: job.size_estimate.unwrap_or(0),
    }
}

/// One decision of `plugin` in a fresh store, checked against the contract.
fn rank_on(
    plugin: &Loaded<RouterWorld>,
    job: &RoutingRequest,
    workers: &[Worker],
    now: DateTime<Utc>,
    stale_after_ms: u64,
) -> Result<Vec<String>, Failure> {
    let wit_workers: Vec<bindings::Worker> = workers.iter().map(|w| wit_worker(w, now)).collect();
    let mut store = sandbox::store(&plugin.engine, plugin.limits, Arc::clone(&plugin.name));
    let answer = plugin
        .pre
        .instantiate(&mut store)
        .and_then(|router: Router| router.call_rank(&mut store, &wit_job(job), &wit_workers, stale_after_ms));
    let ranking = answer.map_err(|e| Failure::of_call(&e, &store))?;
    check_ranking(&ranking, workers).map_err(|e| Failure::Invalid(e.to_string()))?;
    Ok(ranking)
}

/// A [`RoutingPolicy`] decided by a WebAssembly `router` plugin.
///
/// Each decision runs in a fresh store (memory limit, epoch deadline) from the plugin's cached
/// pre-instantiated component. When the plugin traps, times out, runs out of memory or answers
/// an unknown or repeated worker id, the decision is counted, logged, written as a
/// `plugin.failed` security event, and answered by the native policy instead: routing never
/// stops because of a plugin. A decision that cannot be instantiated because the engine's
/// instance pool is full (more decisions at once than [`PluginEngine`] holds) is such a failure
/// too, answered natively. With no plugin loaded (none configured, or the configured file
/// refused) the native policy decides.
#[derive(Debug)]
pub struct WasmRoutingPolicy {
    slot: Slot<RouterWorld>,
    fallback: NativeRoutingPolicy,
    /// The fallback's staleness threshold as the plugin gets it, worked out once.
    stale_after_ms: u64,
}

impl WasmRoutingPolicy {
    /// Loads the plugin `config` names; the native policy (stale after `stale_after`) is the
    /// fallback and tells the plugin the staleness threshold. Failures are written as security
    /// events to `audit` when one is given.
    pub fn new(
        engine: &PluginEngine,
        config: PluginConfig,
        stale_after: Duration,
        audit: Option<Arc<dyn tseeder_core::ports::AuditLog>>,
        clock: Arc<dyn Clock>,
    ) -> Self {
        let events = audit.map(|audit| Events { audit, clock: Arc::clone(&clock) });
        Self {
            slot: Slot::new(engine.clone(), config, events, clock),
            fallback: NativeRoutingPolicy::new(stale_after),
            stale_after_ms: millis(stale_after),
        }
    }

    /// Whether a plugin is active (otherwise the native policy decides).
    pub fn is_loaded(&self) -> bool {
        self.slot.current().is_some()
    }

    /// What operators see: the active plugin, its hash and counters.
    pub fn status(&self) -> PolicyStatus {
        self.slot.status()
    }

    /// Loads the plugin at `path` (default: the configured path) pinned to `sha256` and swaps
    /// it in; a refused version leaves the active one in place.
    pub fn swap(&self, path: Option<&str>, sha256: &str) -> Result<(), PluginError> {
        let path = path.unwrap_or(&self.slot.config().path).to_owned();
        self.slot.reload_file(Some((&path, sha256))).map(|_| ())
    }

    /// Reloads the configured file if its hash is pinned (a file watcher calls this).
    pub fn reload(&self) -> Result<(), PluginError> {
        self.slot.reload_file(None).map(|_| ())
    }

    pub(crate) fn slot(&self) -> &Slot<RouterWorld> {
        &self.slot
    }

    /// The staleness threshold the plugin is told, in milliseconds.
    #[cfg(feature = "test-util")]
    pub(crate) fn stale_after_ms(&self) -> u64 {
        self.stale_after_ms
    }
}

impl RoutingPolicy for WasmRoutingPolicy {
    fn rank(&self, job: &RoutingRequest, workers: &[Worker], now: DateTime<Utc>) -> Result<Vec<String>, PolicyError> {
        let Some(plugin) = self.slot.current() else { return self.fallback.rank(job, workers, now) };
        match rank_on(&plugin, job, workers, now, self.stale_after_ms) {
            Ok(ranking) => {
                self.slot.succeeded();
                Ok(ranking)
            }
            Err(failure) => {
                self.slot.failed(&plugin, &failure, "native routing");
                self.fallback.rank(job, workers, now)
            }
        }
    }
}
