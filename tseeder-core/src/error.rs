//! Errors: one enum per port family and one for the services. Clients branch on
//! [`ServiceError::code`], one of the stable codes of [`ErrorCode`].

use std::error::Error as StdError;

use chrono::{DateTime, Utc};

use crate::domain::QuotaError;
use crate::domain::job_status::InvalidTransition;

/// A boxed error cause from an adapter.
pub type BoxError = Box<dyn StdError + Send + Sync + 'static>;

/// Declares [`ErrorCode`] from one table: each variant with its doc and its stable string.
macro_rules! error_codes {
    ($($(#[doc = $doc:literal])+ $variant:ident = $code:literal,)+) => {
        /// Every stable error code of the API, in one table. Clients branch on
        /// [`as_str`](Self::as_str); the HTTP layer gives each code its one status.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum ErrorCode {
            $($(#[doc = $doc])+ $variant,)+
        }

        impl ErrorCode {
            /// Every code, in declaration order.
            pub const ALL: &'static [ErrorCode] = &[$(Self::$variant),+];

            /// The code as clients see it, e.g. `job_not_found`.
            pub const fn as_str(self) -> &'static str {
                match self {
                    $(Self::$variant => $code,)+
                }
            }
        }
    };
}

error_codes! {
    /// The request is malformed (an unparsable parameter or body).
    InvalidRequest = "invalid_request",
    /// The magnet link cannot be used.
    InvalidMagnet = "invalid_magnet",
    /// The `.torrent` file cannot be used.
    InvalidTorrent = "invalid_torrent",
    /// The file selection names no file or a file the torrent lacks.
    InvalidSelection = "invalid_selection",
    /// A job or key name is empty, too long or has control characters.
    InvalidName = "invalid_name",
    /// A category or tag name cannot be used (see `check_label`).
    InvalidLabel = "invalid_label",
    /// A region code is not a region code.
    InvalidRegion = "invalid_region",
    /// The `Idempotency-Key` header is unusable.
    InvalidIdempotencyKey = "invalid_idempotency_key",
    /// An expiry is out of range.
    InvalidExpiry = "invalid_expiry",
    /// The email address is not one.
    InvalidEmail = "invalid_email",
    /// The password is too weak.
    WeakPassword = "weak_password",
    /// A password reset link is unknown, already used or expired.
    InvalidResetToken = "invalid_reset_token",
    /// An email verification link is unknown, already used, expired or for an old address.
    InvalidVerificationToken = "invalid_verification_token",
    /// An organization slug is not 3 to 40 characters of `a-z`, `0-9` and `-`.
    InvalidSlug = "invalid_slug",
    /// An invite link is unknown, already used, revoked, expired, or for another organization.
    InvalidInvite = "invalid_invite",
    /// The typed confirmation does not match what it confirms.
    ConfirmationMismatch = "confirmation_mismatch",
    /// The plan cannot be bought (it has no price at the payment provider).
    PlanNotForSale = "plan_not_for_sale",
    /// A payment provider webhook was refused: bad or missing signature, stale timestamp, or an
    /// unreadable event.
    InvalidWebhook = "invalid_webhook",
    /// Unknown or disallowed API key scopes.
    InvalidScopes = "invalid_scopes",
    /// A cron expression does not parse.
    InvalidSchedule = "invalid_schedule",
    /// An agent's heartbeat is malformed.
    InvalidHeartbeat = "invalid_heartbeat",
    /// An infohash is not 40 hex characters.
    InvalidInfohash = "invalid_infohash",
    /// An audited admin action needs a reason.
    ReasonRequired = "reason_required",
    /// A ticket id is empty, too long or has control characters.
    InvalidTicket = "invalid_ticket",
    /// A search text is empty or longer than 200 characters.
    InvalidQuery = "invalid_query",
    /// An incident's title, text, status or components cannot be used.
    InvalidIncident = "invalid_incident",
    /// A maintenance window's title, components or times cannot be used.
    InvalidMaintenance = "invalid_maintenance",
    /// A value does not suit its runtime setting.
    InvalidSettingValue = "invalid_setting_value",
    /// A plugin hash is not 64 hexadecimal characters.
    InvalidSha256 = "invalid_sha256",
    /// A policy plugin was refused.
    PluginRefused = "plugin_refused",
    /// No credentials, or unusable ones.
    Unauthenticated = "unauthenticated",
    /// Wrong email or password.
    BadCredentials = "bad_credentials",
    /// The current password given to change it is wrong.
    WrongPassword = "wrong_password",
    /// A signed agent request was refused.
    AgentUnauthenticated = "agent_unauthenticated",
    /// A signed agent request was already accepted once.
    AgentReplayed = "agent_replayed",
    /// Not allowed (a generic refusal from a lower layer).
    Forbidden = "forbidden",
    /// The caller's role is too low.
    InsufficientRole = "insufficient_role",
    /// The caller's email address is not verified yet.
    EmailUnverified = "email_unverified",
    /// The invite was sent to another email address than the caller's.
    InviteEmailMismatch = "invite_email_mismatch",
    /// The API key belongs to another organization than the one the request names.
    OrgMismatch = "org_mismatch",
    /// The API key lacks the scope.
    MissingScope = "missing_scope",
    /// The account is suspended.
    AccountSuspended = "account_suspended",
    /// Only a session (not an API key) may do this.
    SessionRequired = "session_required",
    /// A cookie-authenticated request without the right `X-CSRF-Token`.
    CsrfFailed = "csrf_failed",
    /// Registration is closed.
    RegistrationClosed = "registration_closed",
    /// Uploading `.torrent` files is switched off.
    TorrentUploadDisabled = "torrent_upload_disabled",
    /// Magnet links are switched off.
    MagnetLinksDisabled = "magnet_links_disabled",
    /// The free plan takes no new accounts.
    FreePlanInactive = "free_plan_inactive",
    /// Staff cannot do this to their own account.
    OwnAccount = "own_account",
    /// Staff cannot change their own role.
    OwnRole = "own_role",
    /// Remote agents are not enabled.
    AgentsDisabled = "agents_disabled",
    /// A signed download link is not valid.
    InvalidLink = "invalid_link",
    /// A signed download link has expired.
    LinkExpired = "link_expired",
    /// The torrent is on the blocklist.
    Blocked = "blocked",
    /// No such resource.
    NotFound = "not_found",
    /// No such job (or not visible to the caller).
    JobNotFound = "job_not_found",
    /// No such user.
    UserNotFound = "user_not_found",
    /// No such API key.
    ApiKeyNotFound = "api_key_not_found",
    /// No such session (or not the caller's).
    SessionNotFound = "session_not_found",
    /// No such incident.
    IncidentNotFound = "incident_not_found",
    /// No such maintenance window.
    MaintenanceNotFound = "maintenance_not_found",
    /// No such organization (or the caller is not a member).
    OrgNotFound = "org_not_found",
    /// No such member of the organization.
    MemberNotFound = "member_not_found",
    /// No such invite in the organization.
    InviteNotFound = "invite_not_found",
    /// No category of the caller's has this name.
    CategoryNotFound = "category_not_found",
    /// This server takes no payments.
    BillingDisabled = "billing_disabled",
    /// No such queue message.
    MessageNotFound = "message_not_found",
    /// No such plan.
    PlanNotFound = "plan_not_found",
    /// No such runtime setting.
    SettingNotFound = "setting_not_found",
    /// No such file.
    FileNotFound = "file_not_found",
    /// No such worker.
    WorkerNotFound = "worker_not_found",
    /// This method is not allowed on this resource.
    MethodNotAllowed = "method_not_allowed",
    /// The email address is already registered.
    EmailTaken = "email_taken",
    /// The job's status does not allow this change.
    InvalidTransition = "invalid_transition",
    /// An identical job was submitted at the same time.
    DuplicateJob = "duplicate_job",
    /// The job changed meanwhile; try again.
    JobChanged = "job_changed",
    /// The job is not finished.
    JobNotTerminal = "job_not_terminal",
    /// The job is not failed.
    JobNotFailed = "job_not_failed",
    /// The job was deleted.
    JobGone = "job_gone",
    /// The queue message is not dead-lettered.
    NotDeadLettered = "not_dead_lettered",
    /// The account is already suspended.
    AlreadySuspended = "already_suspended",
    /// The account is not suspended.
    NotSuspended = "not_suspended",
    /// The infohash is already on the blocklist.
    AlreadyBlocked = "already_blocked",
    /// The user has as many API keys as allowed.
    TooManyApiKeys = "too_many_api_keys",
    /// The organization slug is taken.
    SlugTaken = "slug_taken",
    /// The change would leave the organization without an owner.
    LastOwner = "last_owner",
    /// Personal organizations take no other members and go only with their account.
    PersonalOrg = "personal_org",
    /// The organization still has jobs: delete them, or move them, before deleting it.
    OrgHasJobs = "org_has_jobs",
    /// The user is already a member of the organization.
    AlreadyMember = "already_member",
    /// An invite to this email is already pending; resend it instead.
    InvitePending = "invite_pending",
    /// The user belongs to as many organizations as allowed.
    TooManyOrgs = "too_many_orgs",
    /// The organization has no customer at the payment provider yet.
    NoBillingCustomer = "no_billing_customer",
    /// The worker must be cordoned first.
    WorkerNotCordoned = "worker_not_cordoned",
    /// No plugin is configured for this policy.
    PluginNotConfigured = "plugin_not_configured",
    /// The request body (or uploaded file) is too large.
    PayloadTooLarge = "payload_too_large",
    /// A file is larger than the plan allows.
    QuotaFileSize = "quota_file_size",
    /// Unsupported `Content-Type`.
    UnsupportedMediaType = "unsupported_media_type",
    /// No byte of the requested range exists.
    RangeNotSatisfiable = "range_not_satisfiable",
    /// The plan's active-job limit is reached.
    QuotaJobs = "quota_jobs",
    /// The plan's storage would be exceeded.
    QuotaStorage = "quota_storage",
    /// The plan's monthly bandwidth is used up (until the next month; `Retry-After` says when).
    QuotaBandwidth = "quota_bandwidth",
    /// The service is in maintenance and accepts no new jobs.
    MaintenanceMode = "maintenance_mode",
    /// Too many requests; try again later.
    RateLimited = "rate_limited",
    /// The server cannot do this in its current set-up (a magnet preview without an engine that
    /// can fetch metadata, such as remote-agent dispatch).
    PreviewUnavailable = "preview_unavailable",
    /// No peer sent the torrent's metadata in time.
    MetadataTimeout = "metadata_timeout",
    /// The payment provider did not answer.
    BillingUnavailable = "billing_unavailable",
    /// Something failed inside; the body carries only the request id.
    Internal = "internal",
}

impl std::fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What a [`ServiceError::NotFound`] did not find.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Missing {
    /// A job.
    Job,
    /// A user.
    User,
    /// An API key.
    ApiKey,
    /// A login session.
    Session,
    /// An incident.
    Incident,
    /// A maintenance window.
    Maintenance,
    /// A queue message.
    QueueMessage,
    /// A plan.
    Plan,
    /// A stored file.
    File,
    /// A worker.
    Worker,
    /// A blocklist entry.
    BlocklistEntry,
    /// A runtime setting.
    Setting,
    /// An organization.
    Org,
    /// A member of an organization.
    Member,
    /// An invite to an organization.
    Invite,
    /// A category of the caller's.
    Category,
}

impl Missing {
    /// The noun in messages, e.g. `api key`.
    pub fn noun(self) -> &'static str {
        match self {
            Self::Job => "job",
            Self::User => "user",
            Self::ApiKey => "api key",
            Self::Session => "session",
            Self::Incident => "incident",
            Self::Maintenance => "maintenance window",
            Self::QueueMessage => "queue message",
            Self::Plan => "plan",
            Self::File => "file",
            Self::Worker => "worker",
            Self::BlocklistEntry => "blocklist entry",
            Self::Setting => "setting",
            Self::Org => "organization",
            Self::Member => "member",
            Self::Invite => "invite",
            Self::Category => "category",
        }
    }

    /// The code of not finding it.
    pub fn code(self) -> ErrorCode {
        match self {
            Self::Job => ErrorCode::JobNotFound,
            Self::User => ErrorCode::UserNotFound,
            Self::ApiKey => ErrorCode::ApiKeyNotFound,
            Self::Session => ErrorCode::SessionNotFound,
            Self::Incident => ErrorCode::IncidentNotFound,
            Self::Maintenance => ErrorCode::MaintenanceNotFound,
            Self::QueueMessage => ErrorCode::MessageNotFound,
            Self::Plan => ErrorCode::PlanNotFound,
            Self::File => ErrorCode::FileNotFound,
            Self::Worker => ErrorCode::WorkerNotFound,
            Self::BlocklistEntry => ErrorCode::NotFound,
            Self::Setting => ErrorCode::SettingNotFound,
            Self::Org => ErrorCode::OrgNotFound,
            Self::Member => ErrorCode::MemberNotFound,
            Self::Invite => ErrorCode::InviteNotFound,
            Self::Category => ErrorCode::CategoryNotFound,
        }
    }
}

/// Errors from repositories.
#[derive(Debug, thiserror::Error)]
pub enum RepoError {
    /// The row does not exist.
    #[error("not found")]
    NotFound,
    /// A uniqueness or compare-and-set conflict; the text names the constraint or the reason.
    #[error("conflict: {0}")]
    Conflict(String),
    /// Anything else from the backend.
    #[error("storage backend error")]
    Backend(#[source] BoxError),
}

/// Errors from the durable queue.
#[derive(Debug, thiserror::Error)]
pub enum QueueError {
    /// No such message (or not in the state the call needs).
    #[error("queue message not found")]
    NotFound,
    /// The lease expired and the message was leased again (or acked) by someone else.
    #[error("queue lease lost")]
    LeaseLost,
    /// Anything else from the backend.
    #[error("queue backend error")]
    Backend(#[source] BoxError),
}

/// Errors from a [`RoutingPolicy`](crate::ports::RoutingPolicy) or
/// [`RetentionPolicy`](crate::ports::RetentionPolicy), and from loading policy plugins. None of
/// them stops the service: routing falls back to the native policy, retention deletes nothing.
#[derive(Debug, thiserror::Error)]
pub enum PolicyError {
    /// The policy did not answer within its deadline.
    #[error("policy timed out")]
    Timeout,
    /// The policy answered something unusable (an unknown or repeated worker id); the text says
    /// what.
    #[error("invalid policy output: {0}")]
    InvalidOutput(String),
    /// The policy crashed (a plugin trapped or ran out of memory); the text says how.
    #[error("policy trapped: {0}")]
    Trap(String),
    /// A plugin was refused when loading or swapping it (unreadable file, hash not pinned,
    /// wrong world, an import it was not granted, a failed smoke decision); the text says why
    /// and is safe to show to the operator.
    #[error("plugin refused: {0}")]
    Refused(String),
    /// No plugin is configured for that policy (it runs natively).
    #[error("no plugin is configured for this policy")]
    NotConfigured,
    /// Anything else.
    #[error("policy failed")]
    Backend(#[source] BoxError),
}

/// Why a signed agent request (either direction) was refused. Callers answer every variant with
/// the same 401 and log the variant; the distinction is for logs and tests, not for clients.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum AgentAuthError {
    /// A header is missing or not in the expected form (timestamp not decimal digits, signature
    /// not 64 hex characters).
    #[error("malformed agent request signature or timestamp")]
    Malformed,
    /// The timestamp is older than the window allows.
    #[error("agent request expired")]
    Expired,
    /// The timestamp is further in the future than the window allows.
    #[error("agent request dated in the future")]
    FutureDated,
    /// The signature does not match the request under the shared secret.
    #[error("bad agent request signature")]
    BadSignature,
    /// This exact signed request was already accepted within the window.
    #[error("replayed agent request")]
    Replayed,
    /// The replay guard is full of unexpired signatures; the request is refused rather than
    /// forgetting one (which would let it be replayed).
    #[error("replay guard full")]
    ReplayGuardFull,
}

/// Which quota a request ran into.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QuotaKind {
    /// Concurrent active jobs.
    Jobs,
    /// Total storage.
    Storage,
    /// Largest single file.
    FileSize,
    /// Monthly bandwidth (downloaded plus served).
    Bandwidth,
}

impl QuotaKind {
    /// The stable code of a refusal for this limit: `quota_jobs`, `quota_storage`,
    /// `quota_file_size` or `quota_bandwidth`.
    pub fn code(self) -> ErrorCode {
        match self {
            Self::Jobs => ErrorCode::QuotaJobs,
            Self::Storage => ErrorCode::QuotaStorage,
            Self::FileSize => ErrorCode::QuotaFileSize,
            Self::Bandwidth => ErrorCode::QuotaBandwidth,
        }
    }
}

/// Outcomes of service calls that are not success. Each maps to one HTTP status and code.
#[derive(Debug, thiserror::Error)]
pub enum ServiceError {
    /// Bad input; `code` says which (e.g. `invalid_magnet`, `weak_password`).
    #[error("{message}")]
    Invalid {
        /// Stable code.
        code: ErrorCode,
        /// Human-readable message, safe to show.
        message: String,
    },
    /// No valid credentials.
    #[error("authentication required")]
    Unauthenticated,
    /// Wrong email or password.
    #[error("invalid email or password")]
    BadCredentials,
    /// Authenticated but not allowed; `code` says why (`insufficient_role`, `missing_scope`,
    /// `account_suspended`, `session_required`).
    #[error("{message}")]
    Forbidden {
        /// Stable code.
        code: ErrorCode,
        /// Human-readable message.
        message: String,
    },
    /// The object does not exist or is not visible to the caller.
    #[error("{} not found", what.noun())]
    NotFound {
        /// What was looked up.
        what: Missing,
    },
    /// The request conflicts with current state (`email_taken`, `invalid_transition`...).
    #[error("{message}")]
    Conflict {
        /// Stable code.
        code: ErrorCode,
        /// Human-readable message.
        message: String,
    },
    /// A plan limit would be exceeded.
    #[error("{message}")]
    QuotaExceeded {
        /// Which limit.
        kind: QuotaKind,
        /// Human-readable message.
        message: String,
        /// When the limit lifts by itself (bandwidth: the next month's start).
        resets_at: Option<DateTime<Utc>>,
    },
    /// The infohash is on the blocklist.
    #[error("this torrent is blocked")]
    Blocked,
    /// The service cannot do this now or in this set-up; `code` says why
    /// (`preview_unavailable`, `metadata_timeout`).
    #[error("{message}")]
    Unavailable {
        /// Stable code.
        code: ErrorCode,
        /// Human-readable message, safe to show.
        message: String,
    },
    /// A signed agent request was refused (bad or missing signature, outside the time window, or
    /// replayed). The message says which; the code is `agent_replayed` for a replay and
    /// `agent_unauthenticated` otherwise.
    #[error(transparent)]
    AgentAuth(#[from] AgentAuthError),
    /// A repository failed.
    #[error("storage error")]
    Repo(#[from] RepoError),
    /// The queue failed.
    #[error("queue error")]
    Queue(#[from] QueueError),
    /// Something else failed inside.
    #[error("internal error")]
    Internal(#[source] BoxError),
}

impl ServiceError {
    /// Shorthand for [`ServiceError::Invalid`].
    pub fn invalid(code: ErrorCode, message: impl Into<String>) -> Self {
        Self::Invalid { code, message: message.into() }
    }

    /// Shorthand for [`ServiceError::Forbidden`].
    pub fn forbidden(code: ErrorCode, message: impl Into<String>) -> Self {
        Self::Forbidden { code, message: message.into() }
    }

    /// Shorthand for [`ServiceError::Conflict`].
    pub fn conflict(code: ErrorCode, message: impl Into<String>) -> Self {
        Self::Conflict { code, message: message.into() }
    }

    /// The stable machine-readable code clients branch on.
    pub fn code(&self) -> ErrorCode {
        match self {
            Self::Invalid { code, .. }
            | Self::Forbidden { code, .. }
            | Self::Conflict { code, .. }
            | Self::Unavailable { code, .. } => *code,
            Self::Unauthenticated => ErrorCode::Unauthenticated,
            Self::BadCredentials => ErrorCode::BadCredentials,
            Self::NotFound { what } => what.code(),
            Self::QuotaExceeded { kind, .. } => kind.code(),
            Self::Blocked => ErrorCode::Blocked,
            Self::AgentAuth(AgentAuthError::Replayed) => ErrorCode::AgentReplayed,
            Self::AgentAuth(_) => ErrorCode::AgentUnauthenticated,
            Self::Repo(_) | Self::Queue(_) | Self::Internal(_) => ErrorCode::Internal,
        }
    }
}

impl From<QuotaError> for ServiceError {
    fn from(e: QuotaError) -> Self {
        Self::QuotaExceeded { kind: e.kind, message: e.message, resets_at: e.resets_at }
    }
}

impl From<InvalidTransition> for ServiceError {
    fn from(e: InvalidTransition) -> Self {
        Self::conflict(ErrorCode::InvalidTransition, e.to_string())
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use super::*;

    #[test]
    fn codes_are_unique_snake_case_strings() {
        let mut seen = HashSet::new();
        for code in ErrorCode::ALL {
            let text = code.as_str();
            assert!(seen.insert(text), "{text} twice");
            assert!(
                !text.is_empty() && text.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_'),
                "{text}"
            );
            assert_eq!(code.to_string(), text);
        }
    }
}
