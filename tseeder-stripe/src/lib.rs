#![doc = include_str!("../README.md")]
#![warn(missing_docs)]

mod client;
mod config;
mod event;
mod signature;
#[cfg(any(test, feature = "test-util"))]
pub mod testing;

use std::sync::Arc;

use tseeder_core::ports::{BillingProvider, NoBilling};

pub use client::{STRIPE_VERSION, StripeBilling};
pub use config::{DEFAULT_API_BASE, StripeConfig, StripeSetupError};
pub use signature::verify_signature;

/// The payment provider `config` asks for: a [`StripeBilling`] when `secret_key` is set,
/// otherwise the core's [`NoBilling`], with which every organization keeps the plan an operator
/// gives it.
///
/// # Errors
/// [`StripeSetupError`] when `secret_key` is set but the other settings are unusable (see
/// [`StripeConfig::validate`]), or when the HTTP client cannot be built.
pub fn provider(config: &StripeConfig) -> Result<Arc<dyn BillingProvider>, StripeSetupError> {
    if !config.enabled() {
        return Ok(Arc::new(NoBilling));
    }
    Ok(Arc::new(StripeBilling::new(config)?))
}
