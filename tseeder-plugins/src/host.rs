//! [`PluginHost`]: both policy slots together, behind core's [`PolicyHost`] port (status and
//! admin swaps), with the watcher that notices replaced plugin files.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use async_trait::async_trait;
use tokio_util::sync::CancellationToken;
use tseeder_core::config::PluginsConfig;
use tseeder_core::error::PolicyError;
use tseeder_core::ports::{AuditLog, Clock, PolicyHost, PolicyKind, PolicyStatus, RetentionPolicy, RoutingPolicy};
use tseeder_core::services::{NativeRetentionPolicy, NativeRoutingPolicy};

use crate::engine::PluginEngine;
use crate::plugin::{Slot, World, read_plugin, sha256_hex};
use crate::retention::WasmRetentionPolicy;
use crate::router::WasmRoutingPolicy;

/// The configured policy plugins. Policies without a plugin are decided natively.
#[derive(Debug)]
pub struct PluginHost {
    router: Option<Arc<WasmRoutingPolicy>>,
    retention: Option<Arc<WasmRetentionPolicy>>,
    stale_after: Duration,
}

impl PluginHost {
    /// Loads the plugins `config` names on `engine`. A plugin that fails to load is logged and
    /// recorded (its policy is decided natively until a good version is swapped in); the
    /// service still starts. Routing plugins learn the staleness threshold `stale_after`.
    pub fn new(
        engine: &PluginEngine,
        config: &PluginsConfig,
        stale_after: Duration,
        audit: Option<Arc<dyn AuditLog>>,
        clock: Arc<dyn Clock>,
    ) -> Self {
        let router = config
            .router
            .clone()
            .map(|c| Arc::new(WasmRoutingPolicy::new(engine, c, stale_after, audit.clone(), Arc::clone(&clock))));
        let retention =
            config.retention.clone().map(|c| Arc::new(WasmRetentionPolicy::new(engine, c, audit, Arc::clone(&clock))));
        Self { router, retention, stale_after }
    }

    /// Watches the configured plugin files every `interval` until `stop`: a replaced file whose
    /// hash is pinned (the configured pin, or one an admin swapped in before) is loaded,
    /// validated and swapped in; any other replacement is refused once per new hash (the
    /// active version stays, and the refusal raises an admin alert). The watcher also stops
    /// once the host itself is dropped.
    pub fn spawn_watcher(self: &Arc<Self>, interval: Duration, stop: CancellationToken) -> tokio::task::JoinHandle<()> {
        // A weak handle: the watcher also ends when the last user of the host drops it.
        let weak = Arc::downgrade(self);
        let (mut router, mut retention) = (
            Watched::new(self.router.as_ref().map(|r| r.slot())),
            Watched::new(self.retention.as_ref().map(|r| r.slot())),
        );
        tokio::spawn(async move {
            let mut ticker = tokio::time::interval(interval.max(Duration::from_millis(50)));
            ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            loop {
                tokio::select! {
                    () = stop.cancelled() => break,
                    _ = ticker.tick() => {}
                }
                let Some(host) = weak.upgrade() else { break };
                if let Some(r) = &host.router {
                    let policy = Arc::clone(r);
                    router.poll(r.slot(), move || policy.reload()).await;
                }
                if let Some(r) = &host.retention {
                    let policy = Arc::clone(r);
                    retention.poll(r.slot(), move || policy.reload()).await;
                }
            }
        })
    }
}

/// What the watcher last saw of one plugin file.
#[derive(Debug, Default)]
struct Watched {
    path: Option<PathBuf>,
    seen: Option<(SystemTime, u64)>,
    last_hash: Option<String>,
}

impl Watched {
    fn new<W: World>(slot: Option<&Slot<W>>) -> Self {
        let Some(slot) = slot else { return Self::default() };
        let path = PathBuf::from(&slot.config().path);
        let seen = stamp(&path);
        Self { path: Some(path), seen, last_hash: slot.current().map(|c| c.sha256.clone()) }
    }

    async fn poll<W: World>(
        &mut self,
        slot: &Slot<W>,
        reload: impl FnOnce() -> Result<(), crate::PluginError> + Send + 'static,
    ) {
        let Some(path) = &self.path else { return };
        let now = stamp(path);
        if now.is_none() || now == self.seen {
            return;
        }
        self.seen = now;
        let Ok(bytes) = read_plugin(&path.display().to_string()) else { return };
        let hash = sha256_hex(&bytes);
        let active = slot.current().map(|c| c.sha256.clone());
        if Some(&hash) == active.as_ref() || Some(&hash) == self.last_hash.as_ref() {
            return;
        }
        self.last_hash = Some(hash);
        // Compiling can take seconds for a large (JavaScript) plugin: off the async workers.
        match tokio::task::spawn_blocking(reload).await {
            Ok(Ok(())) => tracing::info!(policy = %W::KIND, path = %path.display(), "replaced plugin file swapped in"),
            Ok(Err(e)) => tracing::warn!(policy = %W::KIND, error = %e, "replaced plugin file refused"),
            Err(e) => tracing::error!(policy = %W::KIND, error = %e, "plugin reload panicked"),
        }
    }
}

/// A file's modification time and length, to notice replacements cheaply.
fn stamp(path: &std::path::Path) -> Option<(SystemTime, u64)> {
    let meta = std::fs::metadata(path).ok()?;
    Some((meta.modified().ok()?, meta.len()))
}

#[async_trait]
impl PolicyHost for PluginHost {
    fn status(&self) -> Vec<PolicyStatus> {
        vec![
            self.router.as_ref().map_or_else(|| PolicyStatus::native(PolicyKind::Router), |r| r.status()),
            self.retention.as_ref().map_or_else(|| PolicyStatus::native(PolicyKind::Retention), |r| r.status()),
        ]
    }

    /// The routing policy to dispatch with: the plugin (with its native fallback), or the
    /// native policy when no router plugin is configured.
    fn routing_policy(&self) -> Arc<dyn RoutingPolicy> {
        match &self.router {
            Some(router) => Arc::clone(router) as Arc<dyn RoutingPolicy>,
            None => Arc::new(NativeRoutingPolicy::new(self.stale_after)),
        }
    }

    /// The retention policy to sweep with: the plugin, or the native rule when no retention
    /// plugin is configured.
    fn retention_policy(&self) -> Arc<dyn RetentionPolicy> {
        match &self.retention {
            Some(retention) => Arc::clone(retention) as Arc<dyn RetentionPolicy>,
            None => Arc::new(NativeRetentionPolicy),
        }
    }

    async fn swap(&self, kind: PolicyKind, path: Option<&str>, sha256: &str) -> Result<PolicyStatus, PolicyError> {
        let path = path.map(str::to_owned);
        let sha256 = sha256.to_owned();
        let joined = match kind {
            PolicyKind::Router => {
                let policy = Arc::clone(self.router.as_ref().ok_or(PolicyError::NotConfigured)?);
                tokio::task::spawn_blocking(move || policy.swap(path.as_deref(), &sha256).map(|()| policy.status()))
                    .await
            }
            PolicyKind::Retention => {
                let policy = Arc::clone(self.retention.as_ref().ok_or(PolicyError::NotConfigured)?);
                tokio::task::spawn_blocking(move || policy.swap(path.as_deref(), &sha256).map(|()| policy.status()))
                    .await
            }
        };
        match joined {
            Ok(result) => result.map_err(PolicyError::from),
            Err(e) => Err(PolicyError::Backend(Box::new(e))),
        }
    }
}
