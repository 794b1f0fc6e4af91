//! `/api/v1/admin/users/{id}` and `/api/v1/admin/jobs/{id}`: the operator's view of one user
//! and the actions on users and jobs. Support and above read; admin and above act, each with a
//! reason and an optional ticket, audited.

use std::sync::Arc;

use poem::web::Data;
use poem_openapi::OpenApi;
use poem_openapi::param::Path;
use poem_openapi::payload::Json;
use tseeder_core::domain::{JobId, UserId};
use tseeder_core::services::Justification;
use uuid::Uuid;

use super::ApiTag;
use crate::auth::Auth;
use crate::dto::account::UserEnvelope;
use crate::dto::admin_users::{
    AdminActionRequest, AssignPlanRequest, ForceLogoutView, PlanEnvelope, SuspensionView, UserDetailView,
};
use crate::dto::job::JobView;
use crate::error::ApiResult;
use crate::request::Meta;
use crate::state::Shared;

fn why(body: &AdminActionRequest) -> Justification<'_> {
    Justification { reason: &body.reason, ticket: body.ticket_id.as_deref() }
}

/// Operator actions on users and jobs.
#[derive(Debug)]
pub(crate) struct UserAdminApi;

#[OpenApi(prefix_path = "/api/v1/admin", tag = "ApiTag::Admin")]
impl UserAdminApi {
    /// A user in full
    ///
    /// The account, plan in force, usage, API keys, live sessions, latest 20 jobs and latest 50
    /// audit entries about the user (each list with its total). 404 `user_not_found`. Support
    /// role and above.
    #[oai(path = "/users/:id", method = "get", operation_id = "adminGetUser")]
    async fn user(&self, auth: Auth, app: Data<&Arc<Shared>>, id: Path<Uuid>) -> ApiResult<Json<UserDetailView>> {
        let detail = app.core.users.detail(&auth.principal, UserId(id.0)).await?;
        Ok(Json(detail.into()))
    }

    /// Suspend a user
    ///
    /// Their sessions are revoked and their API keys refused (403 `account_suspended`) from the
    /// next request; their queued and running jobs are paused. Not oneself (403
    /// `own_account`); a superadmin only by a superadmin; 409 `already_suspended`. Audited as
    /// `user.suspended`. Admin role and above.
    #[oai(path = "/users/:id/suspend", method = "post", operation_id = "adminSuspendUser")]
    async fn suspend(
        &self,
        auth: Auth,
        app: Data<&Arc<Shared>>,
        meta: Meta,
        id: Path<Uuid>,
        body: Json<AdminActionRequest>,
    ) -> ApiResult<Json<SuspensionView>> {
        let done = app.core.users.suspend(&auth.principal, UserId(id.0), why(&body), &meta.0).await?;
        Ok(Json(done.into()))
    }

    /// Lift a suspension
    ///
    /// The user may log in again; paused jobs stay paused for them to resume. 409
    /// `not_suspended`. Audited as `user.unsuspended`. Admin role and above.
    #[oai(path = "/users/:id/unsuspend", method = "post", operation_id = "adminUnsuspendUser")]
    async fn unsuspend(
        &self,
        auth: Auth,
        app: Data<&Arc<Shared>>,
        meta: Meta,
        id: Path<Uuid>,
        body: Json<AdminActionRequest>,
    ) -> ApiResult<Json<UserEnvelope>> {
        let user = app.core.users.unsuspend(&auth.principal, UserId(id.0), why(&body), &meta.0).await?;
        Ok(Json(user.into()))
    }

    /// Log a user out everywhere
    ///
    /// Every session of the user is revoked (their API keys keep working). Audited as
    /// `user.force_logout`. Admin role and above.
    #[oai(path = "/users/:id/force-logout", method = "post", operation_id = "adminForceLogout")]
    async fn force_logout(
        &self,
        auth: Auth,
        app: Data<&Arc<Shared>>,
        meta: Meta,
        id: Path<Uuid>,
        body: Json<AdminActionRequest>,
    ) -> ApiResult<Json<ForceLogoutView>> {
        let sessions_revoked = app.core.users.force_logout(&auth.principal, UserId(id.0), why(&body), &meta.0).await?;
        Ok(Json(ForceLogoutView { sessions_revoked }))
    }

    /// Put a user on a plan
    ///
    /// From now on; the next submission is checked against the new plan's limits. 404
    /// `plan_not_found`. Audited as `user.plan_changed` with the old and new plan. Admin role
    /// and above.
    #[oai(path = "/users/:id/plan", method = "patch", operation_id = "adminAssignPlan")]
    async fn assign_plan(
        &self,
        auth: Auth,
        app: Data<&Arc<Shared>>,
        meta: Meta,
        id: Path<Uuid>,
        body: Json<AssignPlanRequest>,
    ) -> ApiResult<Json<PlanEnvelope>> {
        let justification = Justification { reason: &body.reason, ticket: body.ticket_id.as_deref() };
        let plan =
            app.core.users.assign_plan(&auth.principal, UserId(id.0), &body.plan_id, justification, &meta.0).await?;
        Ok(Json(PlanEnvelope { plan: plan.into() }))
    }

    /// Terminate a job
    ///
    /// The job ends as cancelled and the engine stops it; its history (which its owner sees)
    /// records that an admin did it and why. 409 `invalid_transition` for a finished job.
    /// Audited as `job.terminated`. Admin role and above.
    #[oai(path = "/jobs/:id/terminate", method = "post", operation_id = "adminTerminateJob")]
    async fn terminate(
        &self,
        auth: Auth,
        app: Data<&Arc<Shared>>,
        meta: Meta,
        id: Path<Uuid>,
        body: Json<AdminActionRequest>,
    ) -> ApiResult<Json<JobView>> {
        let job = app.core.users.terminate_job(&auth.principal, JobId(id.0), why(&body), &meta.0).await?;
        Ok(Json(job.into()))
    }
}
