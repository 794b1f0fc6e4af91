//! Operator actions on users and jobs: the user detail, suspension, forced logout, plan
//! changes and job termination.

use poem_openapi::Object;
use tseeder_core::domain::Usage;
use tseeder_core::services::{Suspension, UserDetail};

use super::account::{ApiKeyView, SessionView, UserView};
use super::admin::AuditEntryView;
use super::job::JobView;
use super::page::Page;
use super::plan::PlanView;
use super::text::Text;

/// Why an operator acts, and under which ticket.
#[derive(Debug, Clone, Object)]
#[oai(rename = "AdminActionRequest", rename_all = "camelCase")]
pub(crate) struct AdminActionRequest {
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

/// Put a user on a plan.
#[derive(Debug, Clone, Object)]
#[oai(rename = "AssignPlanRequest", rename_all = "camelCase")]
pub(crate) struct AssignPlanRequest {
    /// The plan id (`free`, `pro`, ...).
    pub(crate) plan_id: Text,
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

/// Consumption: a user's (in every organization), an organization's, or one member's within it.
#[derive(Debug, Clone, Object)]
#[oai(rename = "AdminUsage", rename_all = "camelCase")]
pub(crate) struct AdminUsageView {
    /// Jobs in an active status.
    pub(crate) active_jobs: u64,
    /// Jobs kept.
    pub(crate) total_jobs: u64,
    /// Bytes of stored files.
    pub(crate) storage_bytes: u64,
}

impl From<Usage> for AdminUsageView {
    fn from(usage: Usage) -> Self {
        Self { active_jobs: usage.active_jobs, total_jobs: usage.total_jobs, storage_bytes: usage.storage_bytes }
    }
}

/// Everything an operator sees of one user.
#[derive(Debug, Clone, Object)]
#[oai(rename = "AdminUserDetail", rename_all = "camelCase")]
pub(crate) struct UserDetailView {
    /// The account.
    pub(crate) user: UserView,
    /// The plan in force (absent: none).
    #[oai(skip_serializing_if_is_none)]
    pub(crate) plan: Option<PlanView>,
    /// Consumption.
    pub(crate) usage: AdminUsageView,
    /// API keys that are not revoked.
    pub(crate) api_keys: Vec<ApiKeyView>,
    /// Live sessions, newest first.
    pub(crate) sessions: Vec<SessionView>,
    /// The latest 20 jobs, newest first (`meta.total` counts them all).
    pub(crate) jobs: Page<JobView>,
    /// The latest 50 audit entries about the user, newest first (`meta.total` counts them all).
    pub(crate) audit: Page<AuditEntryView>,
}

impl From<UserDetail> for UserDetailView {
    fn from(d: UserDetail) -> Self {
        Self {
            user: d.user.into(),
            plan: d.plan.map(PlanView::from),
            usage: d.usage.into(),
            api_keys: d.api_keys.into_iter().map(ApiKeyView::from).collect(),
            sessions: d.sessions.into_iter().map(SessionView::from).collect(),
            jobs: d.jobs.into(),
            audit: d.audit.into(),
        }
    }
}

/// What a suspension did.
#[derive(Debug, Clone, Object)]
#[oai(rename = "SuspensionResult", rename_all = "camelCase")]
pub(crate) struct SuspensionView {
    /// The account after the change.
    pub(crate) user: UserView,
    /// Sessions revoked.
    pub(crate) sessions_revoked: u64,
    /// Jobs paused.
    pub(crate) jobs_paused: u64,
}

impl From<Suspension> for SuspensionView {
    fn from(s: Suspension) -> Self {
        Self { user: s.user.into(), sessions_revoked: s.sessions_revoked, jobs_paused: s.jobs_paused }
    }
}

/// What a forced logout did.
#[derive(Debug, Clone, Object)]
#[oai(rename = "ForceLogoutResult", rename_all = "camelCase")]
pub(crate) struct ForceLogoutView {
    /// Sessions revoked.
    pub(crate) sessions_revoked: u64,
}

/// `{plan}`: the plan the user is on now.
#[derive(Debug, Clone, Object)]
#[oai(rename = "PlanEnvelope")]
pub(crate) struct PlanEnvelope {
    /// The plan.
    pub(crate) plan: PlanView,
}
