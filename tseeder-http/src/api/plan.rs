//! `/api/v1/plans` and `/api/v1/usage`.

use std::sync::Arc;

use poem::web::Data;
use poem_openapi::OpenApi;
use poem_openapi::payload::Json;

use super::ApiTag;
use crate::auth::Auth;
use crate::dto::plan::{PlanList, PlanView, UsageView};
use crate::error::ApiResult;
use crate::state::Shared;

/// Plans and consumption.
#[derive(Debug)]
pub(crate) struct PlanApi;

#[OpenApi(prefix_path = "/api/v1", tag = "ApiTag::Plans")]
impl PlanApi {
    /// List plans
    ///
    /// Every plan, cheapest first. Needs no credentials. Limits are absent when unlimited.
    #[oai(path = "/plans", method = "get", operation_id = "listPlans")]
    async fn plans(&self, app: Data<&Arc<Shared>>) -> ApiResult<Json<PlanList>> {
        let plans = app.core.jobs.plans().await?;
        Ok(Json(PlanList { plans: plans.into_iter().map(PlanView::from).collect() }))
    }

    /// The organization's usage
    ///
    /// The plan in force in the organization the request acts in (`X-Org-Slug`, the API key's,
    /// or the caller's personal one), which is its longest-standing owner's, or the plan its
    /// subscription pays for while that grants it (see `GET /billing`), and what all its jobs
    /// count against it.
    #[oai(path = "/usage", method = "get", operation_id = "getUsage")]
    async fn usage(&self, auth: Auth, app: Data<&Arc<Shared>>) -> ApiResult<Json<UsageView>> {
        let usage = app.core.jobs.usage(&auth.principal).await?;
        Ok(Json(usage.into()))
    }
}
