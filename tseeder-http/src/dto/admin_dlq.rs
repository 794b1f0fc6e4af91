//! Bulk replay of the dead-letter queue.

use poem_openapi::Object;
use tseeder_core::services::admin::BulkReplay;
use uuid::Uuid;

/// Replay every dead letter matching a filter.
#[derive(Debug, Clone, Object)]
#[oai(rename = "BulkReplayRequest", rename_all = "camelCase")]
pub(crate) struct BulkReplayRequest {
    /// Only messages whose latest error contains this text (ignoring ASCII case), e.g. an error
    /// code.
    #[oai(skip_serializing_if_is_none)]
    pub(crate) error_contains: Option<String>,
    /// Only messages about this user's jobs.
    #[oai(skip_serializing_if_is_none)]
    pub(crate) user_id: Option<Uuid>,
    /// Only messages dead-lettered at least this many seconds ago.
    #[oai(skip_serializing_if_is_none)]
    pub(crate) older_than_secs: Option<u32>,
    /// Only messages dead-lettered at most this many seconds ago.
    #[oai(skip_serializing_if_is_none)]
    pub(crate) newer_than_secs: Option<u32>,
    /// Count only; change nothing.
    #[oai(default)]
    pub(crate) dry_run: bool,
    /// Why, 10 to 1000 characters.
    pub(crate) reason: String,
    /// The ticket, 1 to 100 characters.
    #[oai(skip_serializing_if_is_none)]
    pub(crate) ticket_id: Option<String>,
}

/// What a bulk replay did.
#[derive(Debug, Clone, Object)]
#[oai(rename = "BulkReplayResult", rename_all = "camelCase")]
pub(crate) struct BulkReplayView {
    /// Whether this was a dry run.
    pub(crate) dry_run: bool,
    /// Dead letters matching before the call.
    pub(crate) matched: u64,
    /// Replayed by this call (at most 100).
    pub(crate) replayed: u64,
    /// Skipped: their job changed meanwhile.
    pub(crate) skipped: u64,
    /// Still matching after the call; call again to continue.
    pub(crate) remaining: u64,
}

impl BulkReplayView {
    pub(crate) fn new(dry_run: bool, r: BulkReplay) -> Self {
        Self { dry_run, matched: r.matched, replayed: r.replayed, skipped: r.skipped, remaining: r.remaining }
    }
}
