//! The one wasmtime [`Engine`] every plugin runs on, with the epoch ticker that enforces
//! deadlines and the on-disk cache of compiled components.

use std::path::Path;
use std::sync::{Arc, Weak};
use std::time::Duration;

use wasmtime::{Cache, CacheConfig, Config, Engine};

use crate::error::PluginError;

/// How often the engine's epoch advances. A decision's deadline is rounded up to whole ticks,
/// so a 50 ms timeout interrupts a guest between 50 and 55 ms after it started.
pub const EPOCH_TICK: Duration = Duration::from_millis(5);

/// A wasmtime engine configured for policy plugins: the component model, epoch interruption
/// (deadlines are wall-clock, measured to cost nothing per call, unlike fuel), and an optional
/// compilation cache keyed by the component's content hash and the engine's settings.
///
/// Cloning is cheap; the epoch ticker thread stops when the last clone is dropped.
#[derive(Clone)]
pub struct PluginEngine {
    inner: Arc<Inner>,
}

struct Inner {
    engine: Engine,
}

impl std::fmt::Debug for PluginEngine {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PluginEngine").field("epoch_tick", &EPOCH_TICK).finish_non_exhaustive()
    }
}

impl PluginEngine {
    /// An engine; compiled components are cached in `cache_dir` when one is given (a restart
    /// then loads a large plugin in milliseconds instead of compiling it again).
    pub fn new(cache_dir: Option<&Path>) -> Result<Self, PluginError> {
        let mut config = Config::new();
        config.wasm_component_model(true).epoch_interruption(true);
        if let Some(dir) = cache_dir {
            std::fs::create_dir_all(dir)
                .map_err(|e| PluginError::Engine(format!("cannot create the plugin cache {}: {e}", dir.display())))?;
            // wasmtime wants an absolute directory; a relative one is relative to the
            // working directory, as everywhere else in the configuration.
            let dir = std::path::absolute(dir)
                .map_err(|e| PluginError::Engine(format!("plugin cache {}: {e}", dir.display())))?;
            let mut cache = CacheConfig::new();
            cache.with_directory(&dir);
            let cache = Cache::new(cache).map_err(|e| PluginError::Engine(format!("plugin cache: {e}")))?;
            config.cache(Some(cache));
        }
        let engine = Engine::new(&config).map_err(|e| PluginError::Engine(e.to_string()))?;
        let inner = Arc::new(Inner { engine });
        spawn_ticker(Arc::downgrade(&inner))?;
        Ok(Self { inner })
    }

    /// The wasmtime engine.
    pub(crate) fn engine(&self) -> &Engine {
        &self.inner.engine
    }

    /// Epoch ticks for a deadline of `timeout`: rounded up, plus one because the epoch may
    /// advance just after the deadline is set.
    pub(crate) fn deadline_ticks(timeout: Duration) -> u64 {
        let tick = EPOCH_TICK.as_nanos();
        u64::try_from(timeout.as_nanos().div_ceil(tick)).unwrap_or(u64::MAX).saturating_add(1)
    }
}

/// Advances the engine's epoch every [`EPOCH_TICK`] until the engine is gone. A plain thread,
/// not a tokio task: deadlines must hold even when every runtime worker is busy.
fn spawn_ticker(engine: Weak<Inner>) -> Result<(), PluginError> {
    std::thread::Builder::new()
        .name("tseeder-plugin-epoch".into())
        .spawn(move || {
            while let Some(inner) = engine.upgrade() {
                inner.engine.increment_epoch();
                drop(inner);
                std::thread::sleep(EPOCH_TICK);
            }
        })
        .map(|_| ())
        .map_err(|e| PluginError::Engine(format!("cannot start the epoch ticker: {e}")))
}
