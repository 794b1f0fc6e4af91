//! Loading a plugin (hash pin, compile, import check, world check, smoke decision) and the
//! slot that holds the active version of one policy, swaps it atomically and keeps its
//! counters.
//!
//! Loading is where every rule about what a plugin may be is enforced, once; a decision then
//! only instantiates the cached [`InstancePre`](wasmtime::component::InstancePre) in a fresh
//! store.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError, RwLock};
use std::time::Duration;

use chrono::{DateTime, Utc};
use sha2::{Digest, Sha256};
use tseeder_core::config::PluginConfig;
use tseeder_core::domain::{SecurityEvent, Severity};
use tseeder_core::ports::{
    AuditLog, Clock, PolicyCounters, PolicyFailure, PolicyImplementation, PolicyKind, PolicyStatus,
};
use wasmtime::component::types::ComponentItem;
use wasmtime::component::{Component, HasSelf, InstancePre, Linker};

use crate::bindings::{HOST_INTERFACE, TYPES_INTERFACE};
use crate::engine::PluginEngine;
use crate::error::PluginError;
use crate::sandbox::{Failure, Limits, StoreState};

/// The only grant there is: the `log` host function.
pub const GRANT_LOG: &str = "log";

/// Largest plugin file read, in bytes (a JavaScript component is about 12 MB).
const MAX_PLUGIN_BYTES: u64 = 64 * 1024 * 1024;

/// One of the two WIT worlds, as the host sees it.
pub(crate) trait World: Sized + Send + Sync + 'static {
    /// The policy it decides.
    const KIND: PolicyKind;
    /// The world's name in the WIT package.
    const WORLD: &'static str;
    /// bindgen's pre-instantiated form of the world.
    type Pre: Send + Sync;
    /// Checks that `pre` exports the world with the right types.
    fn pre(pre: InstancePre<StoreState>) -> wasmtime::Result<Self::Pre>;
    /// Runs one decision on a synthetic input and checks the answer.
    fn smoke(plugin: &Loaded<Self>) -> Result<(), Failure>;
}

/// A loaded, validated plugin version.
pub(crate) struct Loaded<W: World> {
    pub(crate) pre: W::Pre,
    pub(crate) engine: PluginEngine,
    pub(crate) path: String,
    pub(crate) sha256: String,
    pub(crate) loaded_at: DateTime<Utc>,
    pub(crate) limits: Limits,
    pub(crate) name: Arc<str>,
}

impl<W: World> std::fmt::Debug for Loaded<W> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Loaded")
            .field("world", &W::WORLD)
            .field("path", &self.path)
            .field("sha256", &self.sha256)
            .field("limits", &self.limits)
            .finish_non_exhaustive()
    }
}

/// Lowercase hex SHA-256 of `bytes`.
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

/// Reads the plugin file at `path`.
pub(crate) fn read_plugin(path: &str) -> Result<Vec<u8>, PluginError> {
    let refused = |e: std::io::Error| PluginError::Refused(format!("cannot read plugin {path}: {e}"));
    let size = std::fs::metadata(path).map_err(refused)?.len();
    if size > MAX_PLUGIN_BYTES {
        return Err(PluginError::Refused(format!("plugin {path} is {size} bytes; at most {MAX_PLUGIN_BYTES}")));
    }
    std::fs::read(path).map_err(refused)
}

/// Loads the plugin at `config.path` if its SHA-256 is one of `pins`, and validates it.
pub(crate) fn load<W: World>(
    engine: &PluginEngine,
    config: &PluginConfig,
    pins: &[String],
    now: DateTime<Utc>,
) -> Result<Loaded<W>, PluginError> {
    let bytes = read_plugin(&config.path)?;
    let sha256 = sha256_hex(&bytes);
    if !pins.iter().any(|pin| pin.eq_ignore_ascii_case(&sha256)) {
        return Err(PluginError::Refused(format!(
            "{} has SHA-256 {sha256}, which is not pinned (pinned: {})",
            config.path,
            if pins.is_empty() { "none".to_owned() } else { pins.join(", ") }
        )));
    }
    load_bytes(engine, config, &bytes, sha256, now)
}

/// Validates and prepares a plugin from its bytes (already hash-checked by the caller).
pub(crate) fn load_bytes<W: World>(
    engine: &PluginEngine,
    config: &PluginConfig,
    bytes: &[u8],
    sha256: String,
    now: DateTime<Utc>,
) -> Result<Loaded<W>, PluginError> {
    let world = W::WORLD;
    for grant in &config.grants {
        if grant != GRANT_LOG {
            return Err(PluginError::Refused(format!("unknown grant {grant:?}; the only grant is \"{GRANT_LOG}\"")));
        }
    }
    let limits = Limits::new(
        usize::try_from(config.max_memory_bytes).unwrap_or(usize::MAX),
        Duration::from_millis(config.timeout_ms.max(1)),
    );
    let component = Component::new(engine.engine(), bytes)
        .map_err(|e| PluginError::Refused(format!("{} is not a valid WebAssembly component: {e}", config.path)))?;
    let granted_log = config.grants.iter().any(|g| g == GRANT_LOG);
    let component_type = component.component_type();
    for (name, item) in component_type.imports(engine.engine()) {
        let allowed = match &item.ty {
            // The records every world uses: types only, nothing to link.
            ComponentItem::ComponentInstance(instance) if name == TYPES_INTERFACE => {
                instance.exports(engine.engine()).all(|(_, export)| matches!(export.ty, ComponentItem::Type(_)))
            }
            ComponentItem::ComponentInstance(_) => name == HOST_INTERFACE && granted_log,
            _ => false,
        };
        if !allowed {
            let why = if name == HOST_INTERFACE {
                format!("it imports `{name}` but its configuration does not grant \"{GRANT_LOG}\"")
            } else {
                format!("it imports `{name}`; plugins get no WASI and no host functions besides `{HOST_INTERFACE}`")
            };
            return Err(PluginError::Refused(format!("{} refused: {why}", config.path)));
        }
    }
    let mut linker = Linker::<StoreState>::new(engine.engine());
    if granted_log {
        crate::bindings::router::tseeder::policy::host::add_to_linker::<StoreState, HasSelf<StoreState>>(
            &mut linker,
            |state| state,
        )
        .map_err(|e| PluginError::Engine(format!("cannot link the host functions: {e}")))?;
    }
    let pre = linker.instantiate_pre(&component).and_then(W::pre).map_err(|e| {
        PluginError::Refused(format!(
            "{} does not implement the `{world}` world of tseeder:policy@0.1.0: {e:#}",
            config.path
        ))
    })?;
    let name: Arc<str> = Arc::from(format!("{world}:{}", &sha256[..12.min(sha256.len())]));
    let loaded =
        Loaded { pre, engine: engine.clone(), path: config.path.clone(), sha256, loaded_at: now, limits, name };
    W::smoke(&loaded).map_err(|failure| {
        PluginError::Refused(format!("{} failed its smoke decision: {}", config.path, failure.describe(limits.timeout)))
    })?;
    Ok(loaded)
}

/// Writes security events for a policy's failures, when the host was given an audit log.
#[derive(Clone)]
pub(crate) struct Events {
    pub(crate) audit: Arc<dyn AuditLog>,
    pub(crate) clock: Arc<dyn Clock>,
}

/// The active version of one policy's plugin, its pins, counters and last failure.
pub(crate) struct Slot<W: World> {
    engine: PluginEngine,
    config: PluginConfig,
    current: RwLock<Option<Arc<Loaded<W>>>>,
    /// Hashes a file may have to be loaded: the configured pin and every hash an admin swapped
    /// in since start.
    pins: Mutex<Vec<String>>,
    swaps: AtomicU64,
    counters: Mutex<PolicyCounters>,
    last_failure: Mutex<Option<PolicyFailure>>,
    last_refusal: Mutex<Option<PolicyFailure>>,
    events: Option<Events>,
    clock: Arc<dyn Clock>,
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    // Counters stay usable even if a thread panicked while holding the lock.
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

impl<W: World> Slot<W> {
    /// A slot for `config`, loading its plugin now. A plugin that fails to load leaves the slot
    /// empty (the native policy decides) with the refusal recorded, so a bad file never stops
    /// the service from starting.
    pub(crate) fn new(
        engine: PluginEngine,
        config: PluginConfig,
        events: Option<Events>,
        clock: Arc<dyn Clock>,
    ) -> Self {
        let pins = if config.sha256.is_empty() { Vec::new() } else { vec![config.sha256.to_ascii_lowercase()] };
        let slot = Self {
            engine,
            config,
            current: RwLock::new(None),
            pins: Mutex::new(pins),
            swaps: AtomicU64::new(0),
            counters: Mutex::new(PolicyCounters::default()),
            last_failure: Mutex::new(None),
            last_refusal: Mutex::new(None),
            events,
            clock,
        };
        if let Err(e) = slot.reload_file(None) {
            tracing::error!(policy = %W::KIND, error = %e, "plugin not loaded; the native policy decides");
        }
        slot
    }

    /// The active version, if any.
    pub(crate) fn current(&self) -> Option<Arc<Loaded<W>>> {
        self.current.read().unwrap_or_else(PoisonError::into_inner).clone()
    }

    /// The configured plugin file.
    pub(crate) fn config(&self) -> &PluginConfig {
        &self.config
    }

    /// Loads `path` (default: the configured one), accepted if its hash is pinned or is
    /// `approve` (which then joins the pins), and swaps it in. On refusal the old version stays
    /// and the refusal is recorded.
    pub(crate) fn reload_file(&self, approve: Option<(&str, &str)>) -> Result<Arc<Loaded<W>>, PluginError> {
        let mut config = self.config.clone();
        let mut pins = lock(&self.pins).clone();
        if let Some((path, sha256)) = approve {
            config.path = path.to_owned();
            pins = vec![sha256.to_ascii_lowercase()];
        }
        match load::<W>(&self.engine, &config, &pins, self.clock.now()) {
            Ok(loaded) => {
                let loaded = Arc::new(loaded);
                if let Some((_, sha256)) = approve {
                    let mut pins = lock(&self.pins);
                    let sha256 = sha256.to_ascii_lowercase();
                    if !pins.contains(&sha256) {
                        pins.push(sha256);
                    }
                }
                // Decisions in flight hold their own `Arc` of the old version and finish on it.
                let old = self.current.write().unwrap_or_else(PoisonError::into_inner).replace(Arc::clone(&loaded));
                if old.is_some() {
                    self.swaps.fetch_add(1, Ordering::Relaxed);
                }
                tracing::info!(policy = %W::KIND, path = %loaded.path, sha256 = %loaded.sha256, "plugin loaded");
                Ok(loaded)
            }
            Err(e) => {
                self.refused(&e.to_string());
                Err(e)
            }
        }
    }

    /// Records a refused load.
    pub(crate) fn refused(&self, reason: &str) {
        let at = self.clock.now();
        *lock(&self.last_refusal) = Some(PolicyFailure { at, reason: reason.to_owned() });
        tracing::warn!(policy = %W::KIND, reason, "plugin refused; the active version stays");
        self.security_event("plugin.refused", Severity::Warn, reason, None);
    }

    /// Counts a successful decision.
    pub(crate) fn succeeded(&self) {
        lock(&self.counters).decisions += 1;
    }

    /// Counts, logs and reports a failed decision of `plugin`, answered with `fallback`.
    pub(crate) fn failed(&self, plugin: &Loaded<W>, failure: &Failure, fallback: &str) {
        let reason = failure.describe(plugin.limits.timeout);
        {
            let mut c = lock(&self.counters);
            c.decisions += 1;
            c.failures += 1;
            match failure {
                Failure::Timeout => c.timeouts += 1,
                Failure::Memory(_) => c.memory_exceeded += 1,
                Failure::Trap(_) => c.traps += 1,
                Failure::Invalid(_) => c.invalid_outputs += 1,
            }
        }
        *lock(&self.last_failure) = Some(PolicyFailure { at: self.clock.now(), reason: reason.clone() });
        tracing::warn!(policy = %W::KIND, sha256 = %plugin.sha256, %reason, fallback, "plugin decision failed");
        self.security_event("plugin.failed", Severity::Warn, &reason, Some((&plugin.sha256, fallback)));
    }

    fn security_event(&self, kind: &str, severity: Severity, reason: &str, plugin: Option<(&str, &str)>) {
        let Some(events) = self.events.clone() else { return };
        let event = SecurityEvent {
            kind: kind.to_owned(),
            severity,
            actor_id: None,
            ip: None,
            payload: serde_json::json!({
                "policy": W::KIND.as_str(),
                "reason": reason,
                "sha256": plugin.map(|p| p.0),
                "fallback": plugin.map(|p| p.1),
            }),
            created_at: events.clock.now(),
        };
        // Decisions are synchronous; the event is written in the background when a runtime is
        // there (always, in the service) and only logged otherwise.
        match tokio::runtime::Handle::try_current() {
            Ok(handle) => {
                handle.spawn(async move {
                    if let Err(e) = events.audit.record_security_event(&event).await {
                        tracing::warn!(error = %e, "cannot record a plugin security event");
                    }
                });
            }
            Err(_) => tracing::debug!(kind, "no runtime: plugin security event only logged"),
        }
    }

    /// What operators see.
    pub(crate) fn status(&self) -> PolicyStatus {
        let current = self.current();
        PolicyStatus {
            kind: W::KIND,
            implementation: if current.is_some() { PolicyImplementation::Wasm } else { PolicyImplementation::Native },
            path: current.as_ref().map(|c| c.path.clone()).or_else(|| Some(self.config.path.clone())),
            sha256: current.as_ref().map(|c| c.sha256.clone()),
            loaded_at: current.as_ref().map(|c| c.loaded_at),
            swaps: self.swaps.load(Ordering::Relaxed),
            counters: *lock(&self.counters),
            last_failure: lock(&self.last_failure).clone(),
            last_refusal: lock(&self.last_refusal).clone(),
        }
    }
}

impl<W: World> std::fmt::Debug for Slot<W> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Slot").field("world", &W::WORLD).field("current", &self.current()).finish_non_exhaustive()
    }
}
