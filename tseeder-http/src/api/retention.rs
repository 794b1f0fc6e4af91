//! `/api/v1/admin/retention`: the retention sweep's schedule and records, a dry run, and a
//! sweep on demand. Support and above read; admin and above dry-run and sweep (with a reason,
//! audited as `retention.sweep`).

use std::sync::Arc;

use poem::web::Data;
use poem_openapi::OpenApi;
use poem_openapi::payload::Json;

use super::ApiTag;
use crate::auth::Auth;
use crate::dto::admin::ReasonRequest;
use crate::dto::retention::{DryRunView, RetentionOverviewView, SweepEnvelope};
use crate::error::ApiResult;
use crate::request::Meta;
use crate::state::Shared;

/// Retention endpoints.
#[derive(Debug)]
pub(crate) struct RetentionApi;

#[OpenApi(prefix_path = "/api/v1/admin", tag = "ApiTag::Admin")]
impl RetentionApi {
    /// Retention at a glance
    ///
    /// The sweep's schedule and next run, the last sweeps (files and bytes deleted, orphans
    /// cleaned, files kept on policy errors), totals, each plan's retention window, the latest
    /// storage snapshot and the deciding policy. Support role and above.
    #[oai(path = "/retention", method = "get", operation_id = "adminRetention")]
    async fn overview(&self, auth: Auth, app: Data<&Arc<Shared>>) -> ApiResult<Json<RetentionOverviewView>> {
        Ok(Json(app.core.retention.overview(&auth.principal).await?.into()))
    }

    /// What a sweep would delete now
    ///
    /// Asks the active retention policy about every stored file and deletes nothing: the
    /// count and bytes it would delete, and the first files. Admin role and above.
    #[oai(path = "/retention/dry-run", method = "post", operation_id = "adminRetentionDryRun")]
    async fn dry_run(&self, auth: Auth, app: Data<&Arc<Shared>>) -> ApiResult<Json<DryRunView>> {
        Ok(Json(app.core.retention.dry_run(&auth.principal).await?.into()))
    }

    /// Sweep now
    ///
    /// Runs a sweep immediately (the policy's deletions, then the orphan cleanup) and returns
    /// its record. Audited as `retention.sweep` with the reason. Admin role and above.
    #[oai(path = "/retention/sweep", method = "post", operation_id = "adminRetentionSweep")]
    async fn sweep(
        &self,
        auth: Auth,
        app: Data<&Arc<Shared>>,
        meta: Meta,
        body: Json<ReasonRequest>,
    ) -> ApiResult<Json<SweepEnvelope>> {
        let sweep =
            app.core.retention.sweep_now(&auth.principal, &body.reason, body.ticket_id.as_deref(), &meta.0).await?;
        Ok(Json(SweepEnvelope { sweep: sweep.into() }))
    }
}
