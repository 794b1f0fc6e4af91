//! The one wasmtime [`Engine`] every plugin runs on, with the epoch ticker that enforces
//! deadlines, the on-disk cache of compiled components, and the pool every decision's instance
//! is allocated from.

use std::path::Path;
use std::sync::{Arc, Weak};
use std::time::Duration;

use wasmtime::{Cache, CacheConfig, Config, Engine, InstanceAllocationStrategy, PoolingAllocationConfig};

use crate::error::PluginError;
use crate::sandbox::{MAX_INSTANCES, MAX_MEMORIES, MAX_TABLE_ELEMENTS, MAX_TABLES};

/// How often the engine's epoch advances. A decision's deadline is rounded up to whole ticks,
/// so a 50 ms timeout interrupts a guest between 50 and 55 ms after it started.
pub const EPOCH_TICK: Duration = Duration::from_millis(5);

/// Decisions that may hold an instance at once, across both policies: the size of the pool.
///
/// A decision is synchronous and runs start to finish on the thread that asked for it, so no
/// more run at once than threads are inside one: routing decides once per job start, at most
/// `dispatch.concurrency` at once (2 by default, never more than the runtime's worker
/// threads); retention decides one batch at a time per sweep or admin dry run (usually one);
/// loading a plugin (at start, by the file watcher, by an admin swap) runs one smoke decision;
/// `tseeder plugins check` one at a time. That is about 5 with the defaults; 10 leaves room for
/// a raised `dispatch.concurrency` and keeps the address space the pool reserves to about
/// 40 GiB (see [`MEMORY_RESERVATION`]).
///
/// A decision that finds the pool full fails to instantiate, and is handled as any other
/// plugin failure: counted, logged, reported, and answered natively (routing) or with nothing
/// deleted (retention).
const POOLED_DECISIONS: u32 = 10;

/// Tables in the pool. A component built by `wit-component` typically has one or two (its
/// module's and the shim's that lowers host imports), so 64 covers every decision at once; it
/// is also above [`MAX_TABLES`], so a plugin the per-store limiter accepts always fits. Each
/// table reserves `MAX_TABLE_ELEMENTS` x 8 bytes (1.6 MB): 102 MB of address space, mapped
/// without reserving swap and untouched until used.
const POOLED_TABLES: u32 = 64;

/// Address space reserved for each linear memory, and the most bytes one may grow to in the
/// pool: 4 GiB, wasmtime's default on 64-bit hosts, pinned here because the pool's size follows
/// from it.
///
/// 4 GiB is also everything a 32-bit memory can address, so the pool never caps a memory below
/// the limit its plugin is configured with (`max_memory_bytes`, 16 MiB by default, not bounded
/// by the configuration): the per-plugin [`ResourceLimiter`](wasmtime::ResourceLimiter) is what
/// stops growth, as before. A smaller reservation would make room for more slots, but would
/// also make wasmtime compile an explicit bounds check into every load and store (and change
/// every compiled artifact in the cache); at 4 GiB plus the guard the checks are elided.
///
/// The pool reserves one slot of `MEMORY_RESERVATION + MEMORY_GUARD` (4 GiB + 32 MiB) per
/// [`POOLED_DECISIONS`], plus one leading guard: 10 x 4128 MiB + 32 MiB = 40.3 GiB of address
/// space, and the tables 0.1 GiB more. It is reserved inaccessible (`PROT_NONE`, no swap
/// reserved), so it costs no memory until a decision touches its pages, and reset (`madvise`)
/// when the decision ends; 40 GiB is 0.03% of the 128 TiB address space of a 64-bit Linux
/// process, and well under the 64 GiB we allow it even on a 24 GiB machine. The on-demand
/// allocator reserved the same 4 GiB per memory, for each decision, with an `mmap` and an
/// `munmap` every time.
const MEMORY_RESERVATION: u64 = 4 << 30;

/// The guard region after each memory: wasmtime's 64-bit default, pinned with the reservation
/// (a load or store whose static offset is below it needs no bounds check).
const MEMORY_GUARD: u64 = 32 << 20;

/// Bytes of each memory slot (and of each table slot) kept mapped between decisions: when a
/// decision ends, the pages it touched up to this size are reset to the plugin's initial image
/// in place (found with the kernel's `PAGEMAP_SCAN` where it has one, Linux 6.7 and later, and
/// written back with `memset`) instead of being unmapped with `madvise`, so the next decision
/// in the slot takes no page faults on them. The reset is complete either way: a decision never
/// sees what an earlier one wrote. Pages beyond it are still returned to the kernel.
const KEEP_RESIDENT: usize = 2 << 20;

/// The most metadata (wasmtime's `VMContext`, which grows with a module's functions, globals
/// and tables) one core instance, or one component instance with all of its core instances,
/// may need. It is allocated per instance on instantiation, nothing is reserved for it: the
/// pool only refuses, at load, a component above it. Generous on purpose, since the on-demand
/// allocator had no such limit; wasmtime's default (1 MiB) could refuse a large JavaScript
/// component (about 12 MB) that loaded before.
const INSTANCE_METADATA_BYTES: usize = 64 << 20;

/// A wasmtime engine configured for policy plugins: the component model, epoch interruption
/// (deadlines are wall-clock, measured to cost nothing per call, unlike fuel), an optional
/// compilation cache keyed by the component's content hash and the engine's settings, and the
/// pooling instance allocator.
///
/// Every decision still gets a fresh instance in a fresh store; the pool only makes that cheap.
/// Its memory slots are reserved once, and a slot that served a plugin keeps that plugin's
/// initial memory mapped copy-on-write, so instantiating it again is a reset (`madvise`) and a
/// resize, instead of reserving a fresh region, mapping the image into it and unmapping it all
/// after the decision (an `munmap`, with its TLB shootdown across the process's CPUs). The pool's
/// limits are only the outer bound: each decision's memory limit is still its plugin's
/// configured one, enforced by the store's limiter. The pool holds 10 decisions at once; a
/// decision beyond that fails to instantiate and is handled as any other plugin failure (the
/// native routing policy decides; a retention batch deletes nothing). Where the pool's address
/// space cannot be reserved (a tight `ulimit -v`, a 32-bit host), the engine falls back, with
/// a warning, to allocating each instance on demand.
///
/// Cloning is cheap; the epoch ticker thread stops when the last clone is dropped.
#[derive(Clone)]
pub struct PluginEngine {
    inner: Arc<Inner>,
}

struct Inner {
    engine: Engine,
    /// Whether instances come from the pool (otherwise they are allocated on demand).
    pooled: bool,
}

impl std::fmt::Debug for PluginEngine {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PluginEngine")
            .field("epoch_tick", &EPOCH_TICK)
            .field("allocator", &if self.inner.pooled { "pooling" } else { "on-demand" })
            .finish_non_exhaustive()
    }
}

impl PluginEngine {
    /// An engine; compiled components are cached in `cache_dir` when one is given (a restart
    /// then loads a large plugin in milliseconds instead of compiling it again). Instances come
    /// from a pool sized for 10 decisions at once, or are allocated on demand (with a warning)
    /// where the pool cannot be reserved.
    pub fn new(cache_dir: Option<&Path>) -> Result<Self, PluginError> {
        let mut config = Config::new();
        // Copy-on-write initial memories are wasmtime's default; explicit, since the pool's
        // cheap instantiation relies on them.
        config.wasm_component_model(true).epoch_interruption(true).memory_init_cow(true);
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
        let pooled = pooling_config(&config).and_then(|c| Engine::new(&c).map_err(|e| format!("{e:#}")));
        let (engine, pooled) = match pooled {
            Ok(engine) => (engine, true),
            Err(reason) => {
                // Slower instantiation, the same isolation and limits: better than no plugins.
                tracing::warn!(
                    %reason,
                    "cannot reserve the plugin instance pool; plugin instances are allocated on demand"
                );
                (Engine::new(&config).map_err(|e| PluginError::Engine(e.to_string()))?, false)
            }
        };
        let inner = Arc::new(Inner { engine, pooled });
        spawn_ticker(Arc::downgrade(&inner))?;
        Ok(Self { inner })
    }

    /// Whether decisions' instances come from the pool; false where it could not be reserved
    /// and instances are allocated on demand.
    pub fn is_pooled(&self) -> bool {
        self.inner.pooled
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

/// `base` with the pooling allocator. The per-component limits are the per-store limits of
/// [`sandbox`](crate::sandbox), so every plugin that could run on demand fits the pool (the
/// pool checks them when a component is compiled, the limiter when it is instantiated).
fn pooling_config(base: &Config) -> Result<Config, String> {
    let count = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
    let max_memory_size = usize::try_from(MEMORY_RESERVATION)
        .map_err(|_| format!("a {MEMORY_RESERVATION}-byte memory does not fit this host's address space"))?;
    let mut pool = PoolingAllocationConfig::new();
    pool.total_component_instances(POOLED_DECISIONS)
        .total_memories(POOLED_DECISIONS)
        .total_tables(POOLED_TABLES)
        // Core instances only cost what they use (a counter, no reservation): as many as the
        // decisions may hold if each made as many as its store allows.
        .total_core_instances(POOLED_DECISIONS.saturating_mul(count(MAX_INSTANCES)))
        .max_core_instances_per_component(count(MAX_INSTANCES))
        .max_memories_per_component(count(MAX_MEMORIES))
        .max_memories_per_module(count(MAX_MEMORIES))
        .max_tables_per_component(count(MAX_TABLES))
        .max_tables_per_module(count(MAX_TABLES))
        .table_elements(MAX_TABLE_ELEMENTS)
        .max_memory_size(max_memory_size)
        .max_core_instance_size(INSTANCE_METADATA_BYTES)
        .max_component_instance_size(INSTANCE_METADATA_BYTES)
        .linear_memory_keep_resident(KEEP_RESIDENT)
        .table_keep_resident(KEEP_RESIDENT)
        .pagemap_scan(wasmtime::Enabled::Auto);
    let mut config = base.clone();
    config
        .memory_reservation(MEMORY_RESERVATION)
        .memory_guard_size(MEMORY_GUARD)
        .allocation_strategy(InstanceAllocationStrategy::Pooling(pool));
    Ok(config)
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
