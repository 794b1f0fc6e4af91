//! Errors: one enum per port family and one for the services. Clients branch on
//! [`ServiceError::code`], a stable snake_case string.

use std::error::Error as StdError;

use crate::domain::QuotaError;
use crate::domain::job_status::InvalidTransition;

/// A boxed error cause from an adapter.
pub type BoxError = Box<dyn StdError + Send + Sync + 'static>;

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
}

impl QuotaKind {
    /// The stable code of a refusal for this limit: `quota_jobs`, `quota_storage` or
    /// `quota_file_size`.
    pub fn code(self) -> &'static str {
        match self {
            Self::Jobs => "quota_jobs",
            Self::Storage => "quota_storage",
            Self::FileSize => "quota_file_size",
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
        code: &'static str,
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
        code: &'static str,
        /// Human-readable message.
        message: String,
    },
    /// The object does not exist or is not visible to the caller.
    #[error("{what} not found")]
    NotFound {
        /// What was looked up, e.g. `job`.
        what: &'static str,
    },
    /// The request conflicts with current state (`email_taken`, `invalid_transition`...).
    #[error("{message}")]
    Conflict {
        /// Stable code.
        code: &'static str,
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
    },
    /// The infohash is on the blocklist.
    #[error("this torrent is blocked")]
    Blocked,
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
    pub fn invalid(code: &'static str, message: impl Into<String>) -> Self {
        Self::Invalid { code, message: message.into() }
    }

    /// Shorthand for [`ServiceError::Forbidden`].
    pub fn forbidden(code: &'static str, message: impl Into<String>) -> Self {
        Self::Forbidden { code, message: message.into() }
    }

    /// Shorthand for [`ServiceError::Conflict`].
    pub fn conflict(code: &'static str, message: impl Into<String>) -> Self {
        Self::Conflict { code, message: message.into() }
    }

    /// The stable machine-readable code clients branch on.
    pub fn code(&self) -> &'static str {
        match self {
            Self::Invalid { code, .. } | Self::Forbidden { code, .. } | Self::Conflict { code, .. } => code,
            Self::Unauthenticated => "unauthenticated",
            Self::BadCredentials => "bad_credentials",
            Self::NotFound { what } => match *what {
                "job" => "job_not_found",
                "user" => "user_not_found",
                "api key" => "api_key_not_found",
                "queue message" => "message_not_found",
                "plan" => "plan_not_found",
                "file" => "file_not_found",
                "worker" => "worker_not_found",
                _ => "not_found",
            },
            Self::QuotaExceeded { kind, .. } => kind.code(),
            Self::Blocked => "blocked",
            Self::AgentAuth(AgentAuthError::Replayed) => "agent_replayed",
            Self::AgentAuth(_) => "agent_unauthenticated",
            Self::Repo(_) | Self::Queue(_) | Self::Internal(_) => "internal",
        }
    }
}

impl From<QuotaError> for ServiceError {
    fn from(e: QuotaError) -> Self {
        Self::QuotaExceeded { kind: e.kind, message: e.message }
    }
}

impl From<InvalidTransition> for ServiceError {
    fn from(e: InvalidTransition) -> Self {
        Self::conflict("invalid_transition", e.to_string())
    }
}
