//! `/api/v1/admin/plugins` and `/api/v1/admin/alerts`: the active routing and retention
//! policies (native or WebAssembly plugins), plugin swaps, and the alerts computed from system
//! health. Support and above read; admin and above swap, with a reason, audited.

use std::sync::Arc;

use poem::web::Data;
use poem_openapi::OpenApi;
use poem_openapi::param::Path;
use poem_openapi::payload::Json;

use super::ApiTag;
use crate::auth::Auth;
use crate::dto::policy::{
    AlertList, AlertView, PluginSwapRequest, PolicyEnvelope, PolicyKindDto, PolicyList, PolicyView,
};
use crate::error::ApiResult;
use crate::request::Meta;
use crate::state::Shared;

/// Policy and alert endpoints.
#[derive(Debug)]
pub(crate) struct PolicyApi;

#[OpenApi(prefix_path = "/api/v1/admin", tag = "ApiTag::Admin")]
impl PolicyApi {
    /// The routing and retention policies
    ///
    /// For each: native or plugin, the plugin's file and SHA-256, when it was loaded, swaps,
    /// decision and failure counters (by deadline, memory, trap, invalid answer), the last
    /// failure and the last refused version. Support role and above.
    #[oai(path = "/plugins", method = "get", operation_id = "adminListPolicies")]
    async fn policies(&self, auth: Auth, app: Data<&Arc<Shared>>) -> ApiResult<Json<PolicyList>> {
        let policies = app.core.policies.status(&auth.principal)?;
        Ok(Json(PolicyList { policies: policies.into_iter().map(PolicyView::from).collect() }))
    }

    /// Swap in a new plugin version
    ///
    /// Loads the component at `path` (default: the configured one), checks its SHA-256 against
    /// `sha256`, validates it (WIT world, imports against grants, a smoke decision) and swaps
    /// it in atomically; decisions in flight finish on the old version. A refused version
    /// (400 `plugin_refused`, with why) leaves the old one active. 409 `plugin_not_configured`
    /// when the policy has no plugin configuration. Audited as `plugin.swapped` or
    /// `plugin.swap_refused`. Admin role and above.
    #[oai(path = "/plugins/:kind/swap", method = "post", operation_id = "adminSwapPlugin")]
    async fn swap(
        &self,
        auth: Auth,
        app: Data<&Arc<Shared>>,
        meta: Meta,
        /// `router` or `retention`.
        kind: Path<PolicyKindDto>,
        body: Json<PluginSwapRequest>,
    ) -> ApiResult<Json<PolicyEnvelope>> {
        let status = app
            .core
            .policies
            .swap(
                &auth.principal,
                kind.0.into(),
                body.path.as_deref(),
                &body.sha256,
                &body.reason,
                body.ticket_id.as_deref(),
                &meta.0,
            )
            .await?;
        Ok(Json(PolicyEnvelope { policy: status.into() }))
    }

    /// Current alerts
    ///
    /// Computed when asked, never stored: plugins that failed or had a version refused in the
    /// last 24 hours, agents that stopped heartbeating, regions with no healthy agent, dead
    /// letters in the last hour, the oldest queued job past its threshold, object storage near
    /// its configured capacity, and scheduled tasks that missed their run. Thresholds are in the
    /// `[alerts]` configuration. Most urgent first. Support role and above.
    #[oai(path = "/alerts", method = "get", operation_id = "adminAlerts")]
    async fn alerts(&self, auth: Auth, app: Data<&Arc<Shared>>) -> ApiResult<Json<AlertList>> {
        let alerts = app.core.alerts.alerts(&auth.principal).await?;
        Ok(Json(AlertList { alerts: alerts.into_iter().map(AlertView::from).collect() }))
    }
}
