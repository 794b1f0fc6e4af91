//! `/api/v1/admin/observability`: the observability dashboard's data (support and above).

use std::sync::Arc;

use poem::web::Data;
use poem_openapi::OpenApi;
use poem_openapi::param::Query;
use poem_openapi::payload::Json;

use super::ApiTag;
use crate::auth::Auth;
use crate::dto::observability::{ObservabilityView, WindowDto};
use crate::error::ApiResult;
use crate::state::Shared;

fn default_window() -> WindowDto {
    WindowDto::Day
}

/// The observability endpoint.
#[derive(Debug)]
pub(crate) struct ObservabilityApi;

#[OpenApi(prefix_path = "/api/v1/admin", tag = "ApiTag::Admin")]
impl ObservabilityApi {
    /// Request rates, latencies, the queue and the fleet
    ///
    /// Over the window: latency p50/p95/p99 and error counts in total, per route template and
    /// per step (merged over every API host, from the metrics each flushes every minute), the
    /// queue and dead-letter size per step (from the minute snapshots), the dead-letter growth
    /// over 24 hours and its trend, and the agents and policies as they are now. The current
    /// minute is not in it until the hosts flush it. Support role and above.
    #[oai(path = "/observability", method = "get", operation_id = "adminObservability")]
    async fn observability(
        &self,
        auth: Auth,
        app: Data<&Arc<Shared>>,
        /// The period: `1h` (by minute), `24h` (by 15 minutes, the default) or `7d` (by 2 hours).
        #[oai(default = "default_window")]
        window: Query<WindowDto>,
    ) -> ApiResult<Json<ObservabilityView>> {
        let overview = app.core.observability.overview(&auth.principal, window.0.into()).await?;
        Ok(Json(overview.into()))
    }
}
