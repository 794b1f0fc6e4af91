//! The sandbox each decision runs in: a fresh [`Store`] with a memory limit and an epoch
//! deadline, and the classification of what went wrong when a call fails.

use std::sync::Arc;
use std::time::Duration;

use wasmtime::{ResourceLimiter, Store, Trap};

use crate::bindings::HostImports;
use crate::engine::PluginEngine;

/// Most core instances one decision may create. Components built by C, JavaScript and WAT
/// toolchains need a handful; this and the two limits below stop a guest from exhausting the
/// host by instantiating in a loop. The engine's instance pool allows one component as many
/// instances, tables, memories and table elements, so every plugin these limits accept fits
/// the pool.
pub(crate) const MAX_INSTANCES: usize = 50;
/// Most tables one decision may create.
pub(crate) const MAX_TABLES: usize = 50;
/// Most linear memories one decision may create.
pub(crate) const MAX_MEMORIES: usize = 10;
/// Most elements of one table.
pub(crate) const MAX_TABLE_ELEMENTS: usize = 200_000;

/// The limits of one plugin's decisions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Limits {
    /// Most bytes one linear memory may grow to.
    pub(crate) max_memory_bytes: usize,
    /// Longest one decision may run.
    pub(crate) timeout: Duration,
    /// `timeout` in epoch ticks, worked out once at load rather than for every decision.
    deadline_ticks: u64,
}

impl Limits {
    /// Limits of `max_memory_bytes` per linear memory and `timeout` per decision.
    pub(crate) fn new(max_memory_bytes: usize, timeout: Duration) -> Self {
        Self { max_memory_bytes, timeout, deadline_ticks: PluginEngine::deadline_ticks(timeout) }
    }
}

/// The data of a decision's store: its limits, whether a limit was hit, and the plugin's name
/// for the `log` import.
#[derive(Debug)]
pub(crate) struct StoreState {
    limits: Limits,
    memory_exceeded: bool,
    name: Arc<str>,
}

impl ResourceLimiter for StoreState {
    fn memory_growing(&mut self, _current: usize, desired: usize, _maximum: Option<usize>) -> wasmtime::Result<bool> {
        if desired > self.limits.max_memory_bytes {
            self.memory_exceeded = true;
            // An error (rather than `Ok(false)`) traps the guest at once, so a memory bomb
            // cannot go on after a failed `memory.grow`.
            return Err(wasmtime::format_err!("memory limit of {} bytes exceeded", self.limits.max_memory_bytes));
        }
        Ok(true)
    }

    fn table_growing(&mut self, _current: usize, desired: usize, _maximum: Option<usize>) -> wasmtime::Result<bool> {
        Ok(desired <= MAX_TABLE_ELEMENTS)
    }

    fn instances(&self) -> usize {
        MAX_INSTANCES
    }

    fn tables(&self) -> usize {
        MAX_TABLES
    }

    fn memories(&self) -> usize {
        MAX_MEMORIES
    }
}

impl HostImports for StoreState {
    fn log(&mut self, message: String) {
        // Bounded, so a plugin cannot flood the log with one call.
        let message: String = message.chars().take(1000).collect();
        tracing::debug!(plugin = %self.name, "{message}");
    }
}

/// A fresh store for one decision, with `limits` and the deadline armed.
///
/// Its instance comes from the engine's pool; when the pool is full, instantiating in this
/// store fails, and [`Failure::of_call`] classifies that as a trap like any other failure.
pub(crate) fn store(engine: &PluginEngine, limits: Limits, name: Arc<str>) -> Store<StoreState> {
    let mut store = Store::new(engine.engine(), StoreState { limits, memory_exceeded: false, name });
    store.limiter(|state| state);
    store.set_epoch_deadline(limits.deadline_ticks);
    store.epoch_deadline_trap();
    store
}

/// Arms `store`'s deadline again, `limits.timeout` from now (for a store that makes more than
/// one call, which only benchmarks do).
#[cfg(feature = "test-util")]
pub(crate) fn rearm(store: &mut Store<StoreState>) {
    let ticks = store.data().limits.deadline_ticks;
    store.set_epoch_deadline(ticks);
}

/// How a decision failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Failure {
    /// It ran past its deadline.
    Timeout,
    /// It grew a memory past the limit.
    Memory(usize),
    /// It trapped some other way (unreachable, stack overflow, out-of-bounds access...).
    Trap(String),
    /// It answered something unusable.
    Invalid(String),
}

impl Failure {
    /// Classifies the error of a call made in `store`.
    pub(crate) fn of_call(error: &wasmtime::Error, store: &Store<StoreState>) -> Self {
        if store.data().memory_exceeded {
            return Self::Memory(store.data().limits.max_memory_bytes);
        }
        match error.downcast_ref::<Trap>() {
            Some(Trap::Interrupt) => Self::Timeout,
            Some(trap) => Self::Trap(trap.to_string()),
            None => Self::Trap(format!("{error:#}")),
        }
    }

    /// What happened, for operators.
    pub(crate) fn describe(&self, timeout: Duration) -> String {
        match self {
            Self::Timeout => format!("timed out after {} ms", timeout.as_millis()),
            Self::Memory(limit) => format!("exceeded its memory limit of {limit} bytes"),
            Self::Trap(message) => format!("trapped: {message}"),
            Self::Invalid(message) => format!("invalid answer: {message}"),
        }
    }
}
