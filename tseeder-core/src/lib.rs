#![doc = include_str!("../README.md")]
#![warn(missing_docs)]

pub mod auth;
pub mod config;
pub mod domain;
pub mod error;
pub mod ports;
pub mod read_cache;
pub mod services;
#[cfg(feature = "test-util")]
pub mod testing;

pub use services::Tseeder;
