//! `/api/v1/admin`: operator endpoints, including the fleet of remote compute agents. The services enforce the roles (support and above may
//! read, admin and above may change) and the API-key `admin` scope; every change needs a reason
//! and is audited.

use std::sync::Arc;

use poem::web::Data;
use poem_openapi::param::{Path, Query};
use poem_openapi::payload::Json;
use poem_openapi::{ApiResponse, OpenApi};
use tseeder_core::domain::{Infohash, PageRequest, QueueMessageId, RegionCode, UserId, WorkerStatus};
use tseeder_core::ports::{AuditFilter, SecurityEventFilter};
use tseeder_core::services::job::ListJobs;
use uuid::Uuid;

use super::{ApiTag, NoContent, default_limit, default_page};
use crate::auth::Auth;
use crate::dto::account::{SetRoleRequest, UserEnvelope, UserView};
use crate::dto::admin::{
    AuditEntryView, BlockRequest, BlockResponse, BlocklistEntryView, QueueMessageView, QueueStatsView, ReasonRequest,
    SecurityEventView, SeverityDto,
};
use crate::dto::admin_users::AdminActionRequest;
use crate::dto::job::{JobSortBy, JobStatusDto, JobView, SortDir};
use crate::dto::page::Page;
use crate::dto::search::SearchView;
use crate::dto::worker::{WorkerDetailView, WorkerEnvelope, WorkerList, WorkerView};
use crate::error::{ApiError, ApiResult};
use crate::request::Meta;
use crate::state::Shared;
use tseeder_core::error::{ErrorCode, ServiceError};

/// An infohash was blocked.
fn default_search_limit() -> u64 {
    10
}

#[derive(Debug, ApiResponse)]
pub(crate) enum Blocked {
    /// Blocked; live jobs for it were cancelled.
    #[oai(status = 201)]
    Created(Json<BlockResponse>),
}

fn parse_infohash(text: &str) -> ApiResult<Infohash> {
    text.trim().parse().map_err(|e: tseeder_core::domain::infohash::InvalidInfohash| {
        ApiError::new(ErrorCode::InvalidInfohash, e.to_string())
    })
}

fn default_sort_by() -> JobSortBy {
    JobSortBy::CreatedAt
}

fn default_sort_dir() -> SortDir {
    SortDir::Desc
}

/// Operator endpoints.
#[derive(Debug)]
pub(crate) struct AdminApi;

#[OpenApi(prefix_path = "/api/v1/admin", tag = "ApiTag::Admin")]
impl AdminApi {
    /// List users
    ///
    /// Support role and above.
    #[oai(path = "/users", method = "get", operation_id = "adminListUsers")]
    async fn users(
        &self,
        auth: Auth,
        app: Data<&Arc<Shared>>,
        /// Only emails containing this text.
        q: Query<Option<String>>,
        /// Page number, from 1.
        #[oai(default = "default_page", validator(minimum(value = "1"), maximum(value = "1000000")))]
        page: Query<u64>,
        /// Page size, 1 to 100.
        #[oai(default = "default_limit", validator(minimum(value = "1"), maximum(value = "100")))]
        limit: Query<u64>,
    ) -> ApiResult<Json<Page<UserView>>> {
        let q = q.0.as_deref().map(str::trim).filter(|q| !q.is_empty());
        let users = app.core.accounts.list_users(&auth.principal, q, PageRequest::new(page.0, limit.0)).await?;
        Ok(Json(users.into()))
    }

    /// Change a user's role
    ///
    /// Admins may grant up to admin on non-superadmin accounts; only a superadmin may grant or
    /// change superadmin. Nobody changes their own role.
    #[oai(path = "/users/:id/role", method = "patch", operation_id = "adminSetRole")]
    async fn set_role(
        &self,
        auth: Auth,
        app: Data<&Arc<Shared>>,
        meta: Meta,
        id: Path<Uuid>,
        body: Json<SetRoleRequest>,
    ) -> ApiResult<Json<UserEnvelope>> {
        let user = app
            .core
            .accounts
            .set_role(&auth.principal, UserId(id.0), body.role.into(), &body.reason, body.ticket_id.as_deref(), &meta.0)
            .await?;
        Ok(Json(user.into()))
    }

    /// List every user's jobs
    ///
    /// Every filter given must hold. `region` matches the jobs run by the agents the fleet
    /// registry places in that region; ages are from submission. Support role and above.
    #[oai(path = "/jobs", method = "get", operation_id = "adminListJobs")]
    #[expect(clippy::too_many_arguments, reason = "one argument per query parameter")]
    async fn jobs(
        &self,
        auth: Auth,
        app: Data<&Arc<Shared>>,
        /// Only jobs in this status.
        status: Query<Option<JobStatusDto>>,
        /// Only this user's jobs.
        #[oai(name = "userId")]
        user_id: Query<Option<Uuid>>,
        /// Only jobs run by this agent (its `workerId`).
        #[oai(name = "workerId", validator(min_length = 1, max_length = 64))]
        worker_id: Query<Option<String>>,
        /// Only jobs run by an agent of this region.
        #[oai(validator(min_length = 1, max_length = 32, pattern = r#"^[a-z0-9-]{1,32}$"#))]
        region: Query<Option<String>>,
        /// Only jobs submitted at least this many seconds ago.
        #[oai(name = "olderThanSecs", validator(maximum(value = "315360000")))]
        older_than_secs: Query<Option<u32>>,
        /// Only jobs submitted at most this many seconds ago.
        #[oai(name = "newerThanSecs", validator(maximum(value = "315360000")))]
        newer_than_secs: Query<Option<u32>>,
        /// Page number, from 1.
        #[oai(default = "default_page", validator(minimum(value = "1"), maximum(value = "1000000")))]
        page: Query<u64>,
        /// Page size, 1 to 100.
        #[oai(default = "default_limit", validator(minimum(value = "1"), maximum(value = "100")))]
        limit: Query<u64>,
        /// Sort key.
        #[oai(name = "sortBy", default = "default_sort_by")]
        sort_by: Query<JobSortBy>,
        /// Sort direction.
        #[oai(name = "sortDir", default = "default_sort_dir")]
        sort_dir: Query<SortDir>,
    ) -> ApiResult<Json<Page<JobView>>> {
        let now = app.core.ports.clock.now();
        let ago = |secs: u32| now - chrono::TimeDelta::seconds(i64::from(secs));
        let region = region
            .0
            .map(|r| {
                RegionCode::parse(&r)
                    .map_err(|e| ServiceError::invalid(ErrorCode::InvalidRegion, format!("region: {e}")))
            })
            .transpose()?;
        let query = ListJobs {
            status: status.0.map(Into::into),
            sort: sort_by.0.into(),
            descending: sort_dir.0 == SortDir::Desc,
            all_users: true,
            user_id: user_id.0.map(UserId),
            worker_id: worker_id.0,
            region,
            created_before: older_than_secs.0.map(ago),
            created_after: newer_than_secs.0.map(ago),
            label: None,
        };
        let jobs = app.core.jobs.list(&auth.principal, query, PageRequest::new(page.0, limit.0)).await?;
        Ok(Json(jobs.into()))
    }

    /// List blocked infohashes
    ///
    /// Support role and above.
    #[oai(path = "/blocklist", method = "get", operation_id = "adminListBlocklist")]
    async fn blocklist(
        &self,
        auth: Auth,
        app: Data<&Arc<Shared>>,
        /// Page number, from 1.
        #[oai(default = "default_page", validator(minimum(value = "1"), maximum(value = "1000000")))]
        page: Query<u64>,
        /// Page size, 1 to 100.
        #[oai(default = "default_limit", validator(minimum(value = "1"), maximum(value = "100")))]
        limit: Query<u64>,
    ) -> ApiResult<Json<Page<BlocklistEntryView>>> {
        let entries = app.core.admin.blocklist(&auth.principal, PageRequest::new(page.0, limit.0)).await?;
        Ok(Json(entries.into()))
    }

    /// Block an infohash
    ///
    /// New submissions of the torrent are refused (403 `blocked`) and every live job for it is
    /// cancelled. Admin role and above.
    #[oai(path = "/blocklist", method = "post", operation_id = "adminBlock")]
    async fn block(
        &self,
        auth: Auth,
        app: Data<&Arc<Shared>>,
        meta: Meta,
        body: Json<BlockRequest>,
    ) -> ApiResult<Blocked> {
        let infohash = parse_infohash(&body.infohash)?;
        let cancelled_jobs = app.core.admin.block(&auth.principal, infohash, &body.reason, &meta.0).await?;
        Ok(Blocked::Created(Json(BlockResponse { cancelled_jobs })))
    }

    /// Unblock an infohash
    ///
    /// The reason comes in the body (`{"reason": "..."}`), as for every admin change. Admin role
    /// and above.
    #[oai(path = "/blocklist/:infohash", method = "delete", operation_id = "adminUnblock")]
    async fn unblock(
        &self,
        auth: Auth,
        app: Data<&Arc<Shared>>,
        meta: Meta,
        /// 40 hex or 32 base32 characters.
        #[oai(validator(pattern = r#"^(?:[0-9a-fA-F]{40}|[2-7A-Za-z]{32})$"#))]
        infohash: Path<String>,
        body: Json<ReasonRequest>,
    ) -> ApiResult<NoContent> {
        let infohash = parse_infohash(&infohash.0)?;
        app.core.admin.unblock(&auth.principal, infohash, &body.reason, &meta.0).await?;
        Ok(NoContent::Done)
    }

    /// List dead-lettered job messages
    ///
    /// Newest first, each with its full error history; filters combine with AND. Support role
    /// and above.
    #[oai(path = "/dlq", method = "get", operation_id = "adminListDeadLetters")]
    #[expect(clippy::too_many_arguments, reason = "one argument per query parameter")]
    async fn dead_letters(
        &self,
        auth: Auth,
        app: Data<&Arc<Shared>>,
        /// Only messages whose latest error contains this text (ignoring ASCII case), e.g. an
        /// error code such as `quota_storage`.
        #[oai(name = "errorContains")]
        error_contains: Query<Option<String>>,
        /// Only messages about this user's jobs.
        #[oai(name = "userId")]
        user_id: Query<Option<Uuid>>,
        /// Only messages dead-lettered at least this many seconds ago.
        #[oai(name = "olderThanSecs")]
        older_than_secs: Query<Option<u32>>,
        /// Only messages dead-lettered at most this many seconds ago.
        #[oai(name = "newerThanSecs")]
        newer_than_secs: Query<Option<u32>>,
        /// Page number, from 1.
        #[oai(default = "default_page", validator(minimum(value = "1"), maximum(value = "1000000")))]
        page: Query<u64>,
        /// Page size, 1 to 100.
        #[oai(default = "default_limit", validator(minimum(value = "1"), maximum(value = "100")))]
        limit: Query<u64>,
    ) -> ApiResult<Json<Page<QueueMessageView>>> {
        let filter = super::admin_dlq::dead_letter_filter(
            &app,
            error_contains.0,
            user_id.0,
            older_than_secs.0,
            newer_than_secs.0,
        );
        let messages = app.core.admin.dead_letters(&auth.principal, &filter, PageRequest::new(page.0, limit.0)).await?;
        Ok(Json(messages.into()))
    }

    /// Replay a dead-lettered message
    ///
    /// Its failed job goes back to the queue, with attempts reset and the error history kept.
    /// Takes a reason (10 to 1000 characters) and an optional `ticketId`, both audited in
    /// `dlq.replayed`. Admin role and above.
    #[oai(path = "/dlq/:id/replay", method = "post", operation_id = "adminReplay")]
    async fn replay(
        &self,
        auth: Auth,
        app: Data<&Arc<Shared>>,
        meta: Meta,
        id: Path<Uuid>,
        body: Json<AdminActionRequest>,
    ) -> ApiResult<Json<QueueMessageView>> {
        let message = app
            .core
            .admin
            .replay(&auth.principal, QueueMessageId(id.0), &body.reason, body.ticket_id.as_deref(), &meta.0)
            .await?;
        Ok(Json(message.into()))
    }

    /// Queue statistics
    ///
    /// Support role and above.
    #[oai(path = "/queue", method = "get", operation_id = "adminQueueStats")]
    async fn queue(&self, auth: Auth, app: Data<&Arc<Shared>>) -> ApiResult<Json<QueueStatsView>> {
        let stats = app.core.admin.queue_stats(&auth.principal).await?;
        Ok(Json(stats.into()))
    }

    /// Search users, jobs and the audit log
    ///
    /// One text across users (email, id), jobs (name, infohash prefix, id) and audit entries
    /// (action, target id, actor id or email), ignoring case. Each group has its true total and
    /// its newest `limit` matches. Indexed on both databases (trigram indexes: FTS5 on SQLite,
    /// `pg_trgm` on PostgreSQL). Support role and above.
    #[oai(path = "/search", method = "get", operation_id = "adminSearch")]
    async fn search(
        &self,
        auth: Auth,
        app: Data<&Arc<Shared>>,
        /// The text: 1 to 200 characters, surrounding blanks ignored.
        #[oai(validator(min_length = 1, max_length = 200, pattern = r"\S"))]
        q: Query<String>,
        /// Matches listed per group, 1 to 50.
        #[oai(default = "default_search_limit", validator(minimum(value = "1"), maximum(value = "50")))]
        limit: Query<u64>,
    ) -> ApiResult<Json<SearchView>> {
        let found = app.core.admin.search(&auth.principal, &q.0, limit.0).await?;
        Ok(Json(SearchView::new(&q.0, found)))
    }

    /// The audit log
    ///
    /// Newest first; filters combine with AND. Support role and above.
    #[oai(path = "/audit", method = "get", operation_id = "adminAuditLog")]
    #[expect(clippy::too_many_arguments, reason = "one argument per query parameter")]
    async fn audit(
        &self,
        auth: Auth,
        app: Data<&Arc<Shared>>,
        /// Only this actor's entries.
        #[oai(name = "actorId")]
        actor_id: Query<Option<Uuid>>,
        /// Only this action, e.g. `job.created`.
        action: Query<Option<String>>,
        /// Only this kind of object, e.g. `job`.
        #[oai(name = "targetType")]
        target_type: Query<Option<String>>,
        /// Only this object.
        #[oai(name = "targetId")]
        target_id: Query<Option<String>>,
        /// Page number, from 1.
        #[oai(default = "default_page", validator(minimum(value = "1"), maximum(value = "1000000")))]
        page: Query<u64>,
        /// Page size, 1 to 100.
        #[oai(default = "default_limit", validator(minimum(value = "1"), maximum(value = "100")))]
        limit: Query<u64>,
    ) -> ApiResult<Json<Page<AuditEntryView>>> {
        let filter = AuditFilter {
            actor_id: actor_id.0.map(UserId),
            action: action.0,
            target_type: target_type.0,
            target_id: target_id.0,
        };
        let records = app.core.admin.audit_log(&auth.principal, &filter, PageRequest::new(page.0, limit.0)).await?;
        Ok(Json(records.into()))
    }

    /// Security events
    ///
    /// Failed logins, blocked submissions and the like, newest first. Admin role and above.
    #[oai(path = "/security-events", method = "get", operation_id = "adminSecurityEvents")]
    async fn security_events(
        &self,
        auth: Auth,
        app: Data<&Arc<Shared>>,
        /// Only events of this kind, e.g. `auth.login_failed`.
        kind: Query<Option<String>>,
        /// Only events of this severity.
        severity: Query<Option<SeverityDto>>,
        /// Page number, from 1.
        #[oai(default = "default_page", validator(minimum(value = "1"), maximum(value = "1000000")))]
        page: Query<u64>,
        /// Page size, 1 to 100.
        #[oai(default = "default_limit", validator(minimum(value = "1"), maximum(value = "100")))]
        limit: Query<u64>,
    ) -> ApiResult<Json<Page<SecurityEventView>>> {
        let kind = kind.0.map(|k| k.trim().to_owned()).filter(|k| !k.is_empty());
        let filter = SecurityEventFilter { kind, severity: severity.0.map(Into::into) };
        let events =
            app.core.admin.security_events(&auth.principal, &filter, PageRequest::new(page.0, limit.0)).await?;
        Ok(Json(events.into()))
    }

    /// List remote compute agents
    ///
    /// Every registered worker, by id, with its status, whether it is stale (no heartbeat for
    /// `agents.stale_after_secs`), load and capacity. Support role and above.
    #[oai(path = "/workers", method = "get", operation_id = "adminListWorkers")]
    async fn workers(&self, auth: Auth, app: Data<&Arc<Shared>>) -> ApiResult<Json<WorkerList>> {
        let workers = app.core.fleet.list_workers(&auth.principal).await?;
        Ok(Json(WorkerList { workers: workers.into_iter().map(WorkerView::from).collect() }))
    }

    /// A remote compute agent and its recent heartbeats
    ///
    /// The worker and its latest 50 heartbeats, newest first; 404 `worker_not_found`. Support
    /// role and above.
    #[oai(path = "/workers/:id", method = "get", operation_id = "adminGetWorker")]
    async fn worker(&self, auth: Auth, app: Data<&Arc<Shared>>, id: Path<String>) -> ApiResult<Json<WorkerDetailView>> {
        let detail = app.core.fleet.get_worker(&auth.principal, &id.0).await?;
        Ok(Json(detail.into()))
    }

    /// Cordon a remote compute agent
    ///
    /// It gets no new work, and its heartbeats no longer change its status, until it is
    /// uncordoned. Audited as `worker.cordoned` with the reason and ticket. Admin role and above.
    #[oai(path = "/workers/:id/cordon", method = "post", operation_id = "adminCordonWorker")]
    async fn cordon(
        &self,
        auth: Auth,
        app: Data<&Arc<Shared>>,
        meta: Meta,
        id: Path<String>,
        body: Json<ReasonRequest>,
    ) -> ApiResult<Json<WorkerEnvelope>> {
        let worker = app
            .core
            .fleet
            .set_operator_status(
                &auth.principal,
                &id.0,
                WorkerStatus::Cordoned,
                &body.reason,
                body.ticket_id.as_deref(),
                &meta.0,
            )
            .await?;
        Ok(Json(worker.into()))
    }

    /// Drain a remote compute agent
    ///
    /// It finishes the jobs it runs but gets no new ones, until it is uncordoned. Audited as
    /// `worker.draining` with the reason and ticket. Admin role and above.
    #[oai(path = "/workers/:id/drain", method = "post", operation_id = "adminDrainWorker")]
    async fn drain(
        &self,
        auth: Auth,
        app: Data<&Arc<Shared>>,
        meta: Meta,
        id: Path<String>,
        body: Json<ReasonRequest>,
    ) -> ApiResult<Json<WorkerEnvelope>> {
        let worker = app
            .core
            .fleet
            .set_operator_status(
                &auth.principal,
                &id.0,
                WorkerStatus::Draining,
                &body.reason,
                body.ticket_id.as_deref(),
                &meta.0,
            )
            .await?;
        Ok(Json(worker.into()))
    }

    /// Uncordon a remote compute agent
    ///
    /// A cordoned or draining worker becomes healthy again (409 `worker_not_cordoned`
    /// otherwise). Audited as `worker.uncordoned` with the reason and ticket. Admin role and above.
    #[oai(path = "/workers/:id/uncordon", method = "post", operation_id = "adminUncordonWorker")]
    async fn uncordon(
        &self,
        auth: Auth,
        app: Data<&Arc<Shared>>,
        meta: Meta,
        id: Path<String>,
        body: Json<ReasonRequest>,
    ) -> ApiResult<Json<WorkerEnvelope>> {
        let worker = app
            .core
            .fleet
            .set_operator_status(
                &auth.principal,
                &id.0,
                WorkerStatus::Healthy,
                &body.reason,
                body.ticket_id.as_deref(),
                &meta.0,
            )
            .await?;
        Ok(Json(worker.into()))
    }
}

#[cfg(test)]
mod tests {
    use poem::http::StatusCode;

    use super::*;

    #[test]
    fn infohashes_parse_from_hex_or_base32() {
        let hex = "c12fe1c06bba254a9dc9f519b335aa7c1367a88a";
        assert_eq!(parse_infohash(hex).unwrap().to_hex(), hex);
        assert_eq!(parse_infohash(&hex.to_uppercase()).unwrap().to_hex(), hex);
        let err = parse_infohash("nope").unwrap_err();
        assert_eq!((err.status(), err.code().as_str()), (StatusCode::BAD_REQUEST, "invalid_infohash"));
    }
}
