//! [`WasmRetentionPolicy`]: core's [`RetentionPolicy`] decided by a `retention` plugin, which
//! deletes nothing whenever the plugin fails.

use std::sync::{Arc, LazyLock};

use chrono::{DateTime, Utc};
use tseeder_core::config::PluginConfig;
use tseeder_core::domain::FileId;
use tseeder_core::error::PolicyError;
use tseeder_core::ports::{Clock, PolicyKind, PolicyStatus, RetentionCandidate, RetentionPolicy, check_selection};
use tseeder_core::services::NativeRetentionPolicy;
use wasmtime::component::InstancePre;

use crate::bindings::FileInfo;
use crate::bindings::retention::{Retention, RetentionPre};
use crate::engine::PluginEngine;
use crate::error::PluginError;
use crate::plugin::{Events, Loaded, Slot, World};
use crate::sandbox::{self, Failure, StoreState};

/// The `retention` world.
#[derive(Debug)]
pub(crate) struct RetentionWorld;

impl World for RetentionWorld {
    const KIND: PolicyKind = PolicyKind::Retention;
    const WORLD: &'static str = "retention";
    type Pre = RetentionPre<StoreState>;

    fn pre(pre: InstancePre<StoreState>) -> wasmtime::Result<Self::Pre> {
        RetentionPre::new(pre)
    }

    fn smoke(plugin: &Loaded<Self>) -> Result<(), Failure> {
        let (files, now) = &*SMOKE;
        select_on(plugin, files, *now).map(|_| ())
    }
}

/// The synthetic decision every retention plugin answers at load (and `tseeder plugins check`
/// times): a file long expired, a recent one and an incomplete one, on a 30-day plan. Built
/// once: a plugin sees a fresh instance every time, so the same input serves every smoke
/// decision, and `check` times the decision rather than the building of its input.
static SMOKE: LazyLock<(Vec<RetentionCandidate>, DateTime<Utc>)> = LazyLock::new(|| {
    let now = Utc::now();
    let files: Vec<RetentionCandidate> = [Some(400), Some(2), None]
        .into_iter()
        .map(|days_ago| RetentionCandidate {
            file_id: FileId::new(),
            size: 1024,
            completed_at: days_ago.map(|d| now - chrono::TimeDelta::days(d)),
            retention_days: Some(30),
            plan: "free".into(),
        })
        .collect();
    (files, now)
});

/// The WIT form of a candidate file.
pub(crate) fn wit_file(file: &RetentionCandidate) -> FileInfo {
    FileInfo {
        id: file.file_id.to_string(),
        size: file.size,
        completed_at: file.completed_at.map(|t| u64::try_from(t.timestamp()).unwrap_or(0)),
        retention_days: file.retention_days.unwrap_or(0),
        plan: file.plan.clone(),
    }
}

/// One decision of `plugin` in a fresh store, checked against the contract.
fn select_on(
    plugin: &Loaded<RetentionWorld>,
    files: &[RetentionCandidate],
    now: DateTime<Utc>,
) -> Result<Vec<FileId>, Failure> {
    let wit_files: Vec<FileInfo> = files.iter().map(wit_file).collect();
    let now_secs = u64::try_from(now.timestamp()).unwrap_or(0);
    let mut store = sandbox::store(&plugin.engine, plugin.limits, Arc::clone(&plugin.name));
    let answer = plugin
        .pre
        .instantiate(&mut store)
        .and_then(|retention: Retention| retention.call_select_expired(&mut store, &wit_files, now_secs));
    let ids = answer.map_err(|e| Failure::of_call(&e, &store))?;
    let selection = ids
        .iter()
        .map(|id| id.parse::<FileId>().map_err(|_| Failure::Invalid(format!("{id:?} is not a file id"))))
        .collect::<Result<Vec<_>, _>>()?;
    check_selection(&selection, files).map_err(|e| Failure::Invalid(e.to_string()))?;
    Ok(selection)
}

/// A [`RetentionPolicy`] decided by a WebAssembly `retention` plugin.
///
/// It fails safe: when the plugin traps, times out, runs out of memory or names a file that was
/// not offered, the decision is counted, logged and written as a `plugin.failed` security event,
/// and the answer is an error, on which the sweeper deletes **nothing** from that batch. A
/// decision that cannot be instantiated because the engine's instance pool is full (more
/// decisions at once than [`PluginEngine`] holds) is such a failure too. With no plugin loaded
/// (none configured, or the configured file refused) the native rule decides.
#[derive(Debug)]
pub struct WasmRetentionPolicy {
    slot: Slot<RetentionWorld>,
}

impl WasmRetentionPolicy {
    /// Loads the plugin `config` names. Failures are written as security events to `audit`
    /// when one is given.
    pub fn new(
        engine: &PluginEngine,
        config: PluginConfig,
        audit: Option<Arc<dyn tseeder_core::ports::AuditLog>>,
        clock: Arc<dyn Clock>,
    ) -> Self {
        let events = audit.map(|audit| Events { audit, clock: Arc::clone(&clock) });
        Self { slot: Slot::new(engine.clone(), config, events, clock) }
    }

    /// Whether a plugin is active (otherwise the native rule decides).
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

    pub(crate) fn slot(&self) -> &Slot<RetentionWorld> {
        &self.slot
    }
}

impl RetentionPolicy for WasmRetentionPolicy {
    fn select_expired(&self, files: &[RetentionCandidate], now: DateTime<Utc>) -> Result<Vec<FileId>, PolicyError> {
        let Some(plugin) = self.slot.current() else { return NativeRetentionPolicy.select_expired(files, now) };
        match select_on(&plugin, files, now) {
            Ok(selection) => {
                self.slot.succeeded();
                Ok(selection)
            }
            Err(failure) => {
                self.slot.failed(&plugin, &failure, "delete nothing");
                Err(match failure {
                    Failure::Timeout => PolicyError::Timeout,
                    Failure::Invalid(message) => PolicyError::InvalidOutput(message),
                    other => PolicyError::Trap(other.describe(plugin.limits.timeout)),
                })
            }
        }
    }
}
