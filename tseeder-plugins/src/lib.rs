#![doc = include_str!("../README.md")]
#![warn(missing_docs)]

mod bindings;
mod check;
mod engine;
mod error;
mod host;
mod plugin;
mod retention;
mod router;
mod sandbox;

pub use check::{CHECK_DECISIONS, CheckReport, check, detect_kind, percentile};
pub use engine::{EPOCH_TICK, PluginEngine};
pub use error::PluginError;
pub use host::PluginHost;
pub use plugin::{GRANT_LOG, sha256_hex};
pub use retention::WasmRetentionPolicy;
pub use router::WasmRoutingPolicy;

/// The WIT package plugins implement (`wit/policy.wit`), for tools that build components.
pub const WIT: &str = include_str!("../wit/policy.wit");

#[cfg(feature = "test-util")]
pub mod testing;
