//! Errors of the plugin host.

use tseeder_core::error::PolicyError;

/// Why the plugin host could not do something. Loading errors become
/// [`PolicyError::Refused`] at the port boundary.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PluginError {
    /// The wasmtime engine could not be set up.
    #[error("plugin engine: {0}")]
    Engine(String),
    /// A plugin was refused at load; the text says why and is safe to show to operators.
    #[error("{0}")]
    Refused(String),
}

impl From<PluginError> for PolicyError {
    fn from(e: PluginError) -> Self {
        match e {
            PluginError::Engine(message) | PluginError::Refused(message) => PolicyError::Refused(message),
        }
    }
}
