//! `/api/v1/admin/dlq/replay`: bulk replay of the dead-letter queue.

use std::sync::Arc;

use poem::web::Data;
use poem_openapi::OpenApi;
use poem_openapi::payload::Json;
use tseeder_core::domain::UserId;
use tseeder_core::ports::DeadLetterFilter;

use super::ApiTag;
use crate::auth::Auth;
use crate::dto::admin_dlq::{BulkReplayRequest, BulkReplayView};
use crate::error::ApiResult;
use crate::request::Meta;
use crate::state::Shared;

/// A filter of dead letters from ages in seconds, against the service's clock.
pub(crate) fn dead_letter_filter(
    app: &Shared,
    error_contains: Option<String>,
    user_id: Option<uuid::Uuid>,
    older_than_secs: Option<u32>,
    newer_than_secs: Option<u32>,
) -> DeadLetterFilter {
    let now = app.core.ports.clock.now();
    let ago = |secs: u32| now - chrono::TimeDelta::seconds(i64::from(secs));
    DeadLetterFilter {
        error_contains: error_contains.map(|e| e.trim().to_owned()).filter(|e| !e.is_empty()),
        user_id: user_id.map(UserId),
        dead_before: older_than_secs.map(ago),
        dead_after: newer_than_secs.map(ago),
    }
}

/// Bulk operations on the dead-letter queue.
#[derive(Debug)]
pub(crate) struct DlqAdminApi;

#[OpenApi(prefix_path = "/api/v1/admin", tag = "ApiTag::Admin")]
impl DlqAdminApi {
    /// Replay every matching dead letter
    ///
    /// The filter is the list's (`errorContains`, `userId`, `olderThanSecs`, `newerThanSecs`;
    /// none: every dead letter). `dryRun: true` only counts. Otherwise at most 100 are
    /// replayed per call, so a backlog of thousands does not flood the queue at once: repeat
    /// while `remaining` is not 0. One `dlq.bulk_replayed` audit entry records the filter,
    /// reason, ticket and counts. Admin role and above.
    #[oai(path = "/dlq/replay", method = "post", operation_id = "adminBulkReplay")]
    async fn bulk_replay(
        &self,
        auth: Auth,
        app: Data<&Arc<Shared>>,
        meta: Meta,
        body: Json<BulkReplayRequest>,
    ) -> ApiResult<Json<BulkReplayView>> {
        let body = body.0;
        let dry_run = body.dry_run.unwrap_or(false);
        let filter = dead_letter_filter(
            &app,
            body.error_contains.map(|t| t.0),
            body.user_id,
            body.older_than_secs,
            body.newer_than_secs,
        );
        let done = app
            .core
            .admin
            .replay_matching(&auth.principal, &filter, dry_run, &body.reason, body.ticket_id.as_deref(), &meta.0)
            .await?;
        Ok(Json(BulkReplayView::new(dry_run, done)))
    }
}
