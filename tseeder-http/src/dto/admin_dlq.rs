//! Bulk replay of the dead-letter queue.

use poem_openapi::Object;
use tseeder_core::services::admin::BulkReplay;
use uuid::Uuid;

use super::text::Text;

/// Replay every dead letter matching a filter.
#[derive(Debug, Clone, Object)]
#[oai(rename = "BulkReplayRequest", rename_all = "camelCase")]
pub(crate) struct BulkReplayRequest {
    /// Only messages whose latest error contains this text (ignoring ASCII case), e.g. an error
    /// code.
    #[oai(nullable, skip_serializing_if_is_none, validator(max_length = 200))]
    pub(crate) error_contains: Option<Text>,
    /// Only messages about this user's jobs.
    #[oai(nullable, skip_serializing_if_is_none)]
    pub(crate) user_id: Option<Uuid>,
    /// Only messages dead-lettered at least this many seconds ago.
    #[oai(nullable, skip_serializing_if_is_none)]
    pub(crate) older_than_secs: Option<u32>,
    /// Only messages dead-lettered at most this many seconds ago.
    #[oai(nullable, skip_serializing_if_is_none)]
    pub(crate) newer_than_secs: Option<u32>,
    /// Count only; change nothing (default false).
    #[oai(nullable, skip_serializing_if_is_none)]
    pub(crate) dry_run: Option<bool>,
    /// Why, 10 to 1000 characters once surrounding blanks are trimmed (kept in the audit log).
    #[oai(validator(
        min_length = 10,
        max_length = 1000,
        pattern = r#"^[\t\n\x0b\x0c\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*[^\t\n\x0b\x0c\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000](?:[^\t\n\x0b\x0c\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]|[\t\n\x0b\x0c\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]){8,}[^\t\n\x0b\x0c\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000][\t\n\x0b\x0c\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*$"#
    ))]
    pub(crate) reason: Text,
    /// A support ticket id, up to 64 printable characters, kept in the audit log beside the
    /// reason.
    #[oai(nullable, validator(max_length = 64, pattern = r"^[^\u0000-\u001f\u007f-\u009f]*$"))]
    pub(crate) ticket_id: Option<Text>,
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
