//! What every handler can reach: the core services, the HTTP settings and the rate limiters.

use tseeder_core::Tseeder;

use crate::config::HttpConfig;
use crate::rate_limit::RateLimits;

/// Everything the HTTP host needs: the core services (built by the caller over whatever adapters
/// it chose) and the HTTP settings.
#[derive(Debug, Clone)]
pub struct AppState {
    /// The core services.
    pub core: Tseeder,
    /// HTTP settings.
    pub config: HttpConfig,
}

impl AppState {
    /// The state for these services and settings.
    pub fn new(core: Tseeder, config: HttpConfig) -> Self {
        Self { core, config }
    }
}

/// The state shared by one [`app`](crate::app): the caller's [`AppState`] plus the in-memory
/// rate limiters, which live as long as the endpoint.
#[derive(Debug)]
pub(crate) struct Shared {
    /// The core services.
    pub(crate) core: Tseeder,
    /// HTTP settings.
    pub(crate) config: HttpConfig,
    /// Per-address and per-user limiters.
    pub(crate) limits: RateLimits,
    /// This host's request metrics.
    pub(crate) metrics: std::sync::Arc<crate::metrics::RequestMetrics>,
    /// Dropped with the app, which tells the metrics flusher to flush a last time and stop.
    pub(crate) _flush_stop: Option<tokio::sync::oneshot::Sender<()>>,
}

impl Shared {
    pub(crate) fn new(
        state: AppState,
        metrics: std::sync::Arc<crate::metrics::RequestMetrics>,
        flush_stop: Option<tokio::sync::oneshot::Sender<()>>,
    ) -> Self {
        let limits = RateLimits::new(&state.config);
        Self { core: state.core, config: state.config, limits, metrics, _flush_stop: flush_stop }
    }
}
