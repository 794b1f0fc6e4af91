//! `/api/v1/status`: the public status page's data (no authentication, cacheable, nothing
//! internal), in tseeder's shape and in Statuspage's (`summary.json`, `status.json`) for the
//! widgets and monitors that read those; and `/api/v1/admin/incidents` and
//! `/api/v1/admin/maintenances` for the operators.

use std::sync::Arc;

use poem::web::Data;
use poem_openapi::param::{Path, Query};
use poem_openapi::payload::Json;
use poem_openapi::{ApiResponse, OpenApi};
use tseeder_core::services::status::{NewIncident, NewMaintenance};
use uuid::Uuid;

use super::{ApiTag, NoContent};
use crate::auth::Auth;
use crate::dto::status::{
    IncidentList, IncidentUpdateRequest, IncidentView, MaintenanceList, MaintenanceView, NewIncidentRequest,
    NewMaintenanceRequest, SpStatusDocument, SpSummaryDocument, StatusHistoryView, StatusNowView,
};
use crate::error::ApiResult;
use crate::request::Meta;
use crate::state::Shared;

/// How long clients and proxies may keep a public status answer.
const CACHE: &str = "public, max-age=30";

/// A public, cacheable answer.
#[derive(Debug, ApiResponse)]
pub(crate) enum Cached<T: poem_openapi::types::ToJSON + Send + Sync> {
    /// The answer.
    #[oai(status = 200)]
    Ok(
        Json<T>,
        /// `public, max-age=30`.
        #[oai(header = "Cache-Control")]
        String,
    ),
}

fn cached<T: poem_openapi::types::ToJSON + Send + Sync>(body: T) -> Cached<T> {
    Cached::Ok(Json(body), CACHE.to_owned())
}

/// A new incident or maintenance window.
#[derive(Debug, ApiResponse)]
pub(crate) enum Created<T: poem_openapi::types::ToJSON + Send + Sync> {
    /// Created.
    #[oai(status = 201)]
    Created(Json<T>),
}

fn default_days() -> u32 {
    90
}

/// The public status page's data.
#[derive(Debug)]
pub(crate) struct StatusApi;

#[OpenApi(prefix_path = "/api/v1/status", tag = "ApiTag::Status")]
impl StatusApi {
    /// The service's state now
    ///
    /// Every component's state and its reason, the overall indicator, open incidents and
    /// maintenance in progress or to come. No authentication; cacheable for 30 seconds.
    #[oai(path = "/", method = "get", operation_id = "getStatus")]
    async fn status(&self, app: Data<&Arc<Shared>>) -> ApiResult<Cached<StatusNowView>> {
        let overview = app.core.status.overview(1).await?;
        Ok(cached(overview.into()))
    }

    /// Daily history
    ///
    /// Per component and per UTC day (oldest first): minutes in each state, minutes with no
    /// data, the day's uptime, and the incidents and maintenance of the day; uptime over 24
    /// hours and 7, 30 and 90 days per component and overall. No authentication; cacheable for
    /// 30 seconds.
    #[oai(path = "/history", method = "get", operation_id = "getStatusHistory")]
    async fn history(
        &self,
        app: Data<&Arc<Shared>>,
        /// Days to return, 1 to 90.
        #[oai(default = "default_days", validator(minimum(value = "1"), maximum(value = "90")))]
        days: Query<u32>,
    ) -> ApiResult<Cached<StatusHistoryView>> {
        let overview = app.core.status.overview(days.0).await?;
        Ok(cached(overview.into()))
    }

    /// Statuspage summary
    ///
    /// The page, its indicator, components, open incidents and scheduled maintenance in the
    /// shape Statuspage publishes as `/api/v2/summary.json`, for the widgets and monitors that
    /// read it. No authentication; cacheable for 30 seconds.
    #[oai(path = "/summary.json", method = "get", operation_id = "getStatusSummary")]
    async fn summary(&self, app: Data<&Arc<Shared>>) -> ApiResult<Cached<SpSummaryDocument>> {
        let overview = app.core.status.overview(1).await?;
        let url = format!("{}/status", app.config.base_path());
        Ok(cached(SpSummaryDocument::new(overview, url)))
    }

    /// Statuspage indicator
    ///
    /// The page and its indicator in the shape of Statuspage's `/api/v2/status.json`. No
    /// authentication; cacheable for 30 seconds.
    #[oai(path = "/status.json", method = "get", operation_id = "getStatusIndicator")]
    async fn indicator(&self, app: Data<&Arc<Shared>>) -> ApiResult<Cached<SpStatusDocument>> {
        let overview = app.core.status.overview(1).await?;
        let url = format!("{}/status", app.config.base_path());
        let summary = SpSummaryDocument::new(overview, url);
        Ok(cached(SpStatusDocument { page: summary.page, status: summary.status }))
    }
}

/// The operators' incidents and maintenance windows.
#[derive(Debug)]
pub(crate) struct StatusAdminApi;

#[OpenApi(prefix_path = "/api/v1/admin", tag = "ApiTag::Admin")]
impl StatusAdminApi {
    /// List incidents
    ///
    /// Every open incident and those of the last `days` days, newest first, with their
    /// updates. Support role and above.
    #[oai(path = "/incidents", method = "get", operation_id = "adminListIncidents")]
    async fn incidents(
        &self,
        auth: Auth,
        app: Data<&Arc<Shared>>,
        /// Days back, 1 to 365.
        #[oai(default = "default_days", validator(minimum(value = "1"), maximum(value = "365")))]
        days: Query<u32>,
    ) -> ApiResult<Json<IncidentList>> {
        let incidents = app.core.status.incidents(&auth.principal, days.0).await?;
        Ok(Json(IncidentList { incidents: incidents.into_iter().map(Into::into).collect() }))
    }

    /// Open an incident
    ///
    /// Published at once on the status page with its first update. Audited as
    /// `incident.created`. Admin role and above.
    #[oai(path = "/incidents", method = "post", operation_id = "adminCreateIncident")]
    async fn create_incident(
        &self,
        auth: Auth,
        app: Data<&Arc<Shared>>,
        meta: Meta,
        body: Json<NewIncidentRequest>,
    ) -> ApiResult<Created<IncidentView>> {
        let components: Vec<String> = body.0.components.into_iter().map(|c| c.0).collect();
        let new = NewIncident {
            title: &body.0.title,
            impact: body.0.impact.into(),
            components: &components,
            status: body.0.status.into(),
            body: &body.0.body,
        };
        let incident = app.core.status.open_incident(&auth.principal, new, &meta.0).await?;
        Ok(Created::Created(Json(incident.into())))
    }

    /// Post an incident update
    ///
    /// The incident takes the update's status; `resolved` closes it. Audited as
    /// `incident.updated`. Admin role and above.
    #[oai(path = "/incidents/:id/updates", method = "post", operation_id = "adminUpdateIncident")]
    async fn update_incident(
        &self,
        auth: Auth,
        app: Data<&Arc<Shared>>,
        meta: Meta,
        id: Path<Uuid>,
        body: Json<IncidentUpdateRequest>,
    ) -> ApiResult<Json<IncidentView>> {
        let incident =
            app.core.status.update_incident(&auth.principal, id.0, body.0.status.into(), &body.0.body, &meta.0).await?;
        Ok(Json(incident.into()))
    }

    /// List maintenance windows
    ///
    /// Windows in progress or to come, by start time. Support role and above.
    #[oai(path = "/maintenances", method = "get", operation_id = "adminListMaintenances")]
    async fn maintenances(&self, auth: Auth, app: Data<&Arc<Shared>>) -> ApiResult<Json<MaintenanceList>> {
        let windows = app.core.status.upcoming_maintenances(&auth.principal).await?;
        Ok(Json(MaintenanceList { maintenances: windows.into_iter().map(Into::into).collect() }))
    }

    /// Schedule maintenance
    ///
    /// While the window lasts, its components show as under maintenance and those minutes are
    /// left out of their uptime. Audited as `maintenance.scheduled`. Admin role and above.
    #[oai(path = "/maintenances", method = "post", operation_id = "adminScheduleMaintenance")]
    async fn schedule(
        &self,
        auth: Auth,
        app: Data<&Arc<Shared>>,
        meta: Meta,
        body: Json<NewMaintenanceRequest>,
    ) -> ApiResult<Created<MaintenanceView>> {
        let components: Vec<String> = body.0.components.into_iter().map(|c| c.0).collect();
        let text = body.0.body.map(|b| b.0).unwrap_or_default();
        let new = NewMaintenance {
            title: &body.0.title,
            body: &text,
            components: &components,
            starts_at: body.0.starts_at,
            ends_at: body.0.ends_at,
        };
        let window = app.core.status.schedule_maintenance(&auth.principal, new, &meta.0).await?;
        Ok(Created::Created(Json(window.into())))
    }

    /// Cancel maintenance
    ///
    /// Audited as `maintenance.cancelled`. Admin role and above.
    #[oai(path = "/maintenances/:id", method = "delete", operation_id = "adminCancelMaintenance")]
    async fn cancel(&self, auth: Auth, app: Data<&Arc<Shared>>, meta: Meta, id: Path<Uuid>) -> ApiResult<NoContent> {
        app.core.status.cancel_maintenance(&auth.principal, id.0, &meta.0).await?;
        Ok(NoContent::Done)
    }
}
