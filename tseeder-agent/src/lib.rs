#![doc = include_str!("../README.md")]
#![warn(missing_docs)]

mod config;
mod engine;
mod layout;
#[cfg(feature = "agent-server")]
pub mod remote;
#[cfg(feature = "test-util")]
pub mod testing;

pub use config::EngineConfig;
pub use engine::{LibrqbitEngine, MAX_GROWING_FILES};
