//! The one error shape of the API.
//!
//! Every failure, whether a handler's [`ServiceError`], a malformed request rejected by
//! poem-openapi, an unknown route or a rate limit, leaves as
//! `{"error": {"code", "message", "requestId"}}`. Clients branch on `code`, a stable snake_case
//! string; `message` is for humans and never carries internal error text (5xx bodies always say
//! "internal error"; the real cause is logged with the request id).

use std::error::Error as StdError;
use std::fmt;

use poem::http::{HeaderName, HeaderValue, StatusCode, header};
use poem::{IntoResponse, Response};
use poem_openapi::payload::Json;
use poem_openapi::registry::{MetaMediaType, MetaResponse, MetaResponses, Registry};
use poem_openapi::types::Type;
use poem_openapi::{ApiResponse, Object};
use tseeder_core::error::{ErrorCode, ServiceError};
use uuid::Uuid;

use crate::request::current_request_id;

/// The body of every error response.
#[derive(Debug, Clone, Object)]
pub(crate) struct ErrorBody {
    /// What went wrong.
    pub(crate) error: ErrorDetail,
}

/// The details of an error.
#[derive(Debug, Clone, Object)]
#[oai(rename_all = "camelCase")]
pub(crate) struct ErrorDetail {
    /// Stable machine-readable code, e.g. `job_not_found`, `quota_jobs`, `csrf_failed`.
    pub(crate) code: String,
    /// Human-readable explanation, safe to show.
    pub(crate) message: String,
    /// The request's id, also sent as the `X-Request-Id` header; quote it when reporting a
    /// problem.
    pub(crate) request_id: String,
}

/// An error response: a status, a stable code and a safe message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ApiError {
    status: StatusCode,
    code: ErrorCode,
    message: String,
    /// One extra response header: `Retry-After` on 429, `Content-Range` on 416.
    header: Option<(HeaderName, String)>,
}

/// Shorthand for handler results.
pub(crate) type ApiResult<T> = Result<T, ApiError>;

impl ApiError {
    /// An error with this code and message, and the code's [status](status_of).
    pub(crate) fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        Self { status: status_of(code), code, message: message.into(), header: None }
    }

    /// The same error with one more response header.
    pub(crate) fn with_header(self, name: HeaderName, value: impl Into<String>) -> Self {
        Self { header: Some((name, value.into())), ..self }
    }

    /// 401: no usable credentials.
    pub(crate) fn unauthenticated() -> Self {
        Self::new(ErrorCode::Unauthenticated, "authentication required")
    }

    /// 403: a cookie-authenticated request without the right `X-CSRF-Token`.
    pub(crate) fn csrf_failed() -> Self {
        Self::new(ErrorCode::CsrfFailed, "missing or invalid X-CSRF-Token header")
    }

    /// 429 with `Retry-After`.
    pub(crate) fn rate_limited(retry_after_secs: u64) -> Self {
        Self::new(ErrorCode::RateLimited, "too many requests; try again later")
            .with_header(header::RETRY_AFTER, retry_after_secs.to_string())
    }

    /// 416 with `Content-Range: bytes */<size>`: no byte the `Range` header asked for exists.
    pub(crate) fn range_not_satisfiable(size: u64) -> Self {
        Self::new(ErrorCode::RangeNotSatisfiable, format!("the requested range is outside the file's {size} bytes"))
            .with_header(header::CONTENT_RANGE, format!("bytes */{size}"))
    }

    /// The status, for callers outside the API (the console).
    pub(crate) fn status_code(&self) -> StatusCode {
        self.status
    }

    /// The stable code as a string.
    pub(crate) fn code_str(&self) -> &'static str {
        self.code.as_str()
    }

    /// The message.
    pub(crate) fn message(&self) -> &str {
        &self.message
    }

    /// The `Retry-After` of a rate-limit refusal.
    pub(crate) fn retry_after_secs(&self) -> Option<u64> {
        match &self.header {
            Some((name, value)) if name == header::RETRY_AFTER => value.parse().ok(),
            _ => None,
        }
    }

    /// The stable code.
    #[cfg(test)]
    pub(crate) fn code(&self) -> ErrorCode {
        self.code
    }

    /// 413: the request body (or the uploaded file) is too large.
    pub(crate) fn payload_too_large(message: impl Into<String>) -> Self {
        Self::new(ErrorCode::PayloadTooLarge, message)
    }

    /// 500. The caller logs the cause; the client only learns that something failed.
    pub(crate) fn internal() -> Self {
        Self::new(ErrorCode::Internal, "internal error")
    }

    /// The generic error for a bare status (unknown route, wrong method...), used when a lower
    /// layer produced an error status without one of our bodies.
    pub(crate) fn for_status(status: StatusCode) -> Self {
        let (code, message) = match status {
            StatusCode::BAD_REQUEST => (ErrorCode::InvalidRequest, "the request is malformed"),
            StatusCode::UNAUTHORIZED => (ErrorCode::Unauthenticated, "authentication required"),
            StatusCode::FORBIDDEN => (ErrorCode::Forbidden, "not allowed"),
            StatusCode::NOT_FOUND => (ErrorCode::NotFound, "no such resource"),
            StatusCode::METHOD_NOT_ALLOWED => {
                (ErrorCode::MethodNotAllowed, "this method is not allowed on this resource")
            }
            StatusCode::PAYLOAD_TOO_LARGE => (ErrorCode::PayloadTooLarge, "the request body is too large"),
            StatusCode::UNSUPPORTED_MEDIA_TYPE => (ErrorCode::UnsupportedMediaType, "unsupported Content-Type"),
            StatusCode::RANGE_NOT_SATISFIABLE => {
                (ErrorCode::RangeNotSatisfiable, "the requested range is not satisfiable")
            }
            StatusCode::TOO_MANY_REQUESTS => (ErrorCode::RateLimited, "too many requests; try again later"),
            s if s.is_server_error() => return Self { status: s, ..Self::internal() },
            _ => (ErrorCode::InvalidRequest, "the request cannot be handled"),
        };
        // The status stays the one the lower layer chose.
        Self { status, ..Self::new(code, message) }
    }

    /// Converts any error that reached the outermost layer. Our own errors pass through; errors
    /// of poem and poem-openapi (parse failures, missing credentials, unknown routes) get a code
    /// from their status, and keep their message when it only describes the request.
    pub(crate) fn from_poem(err: &poem::Error) -> Self {
        if let Some(api) = err.downcast_ref::<ApiError>() {
            return api.clone();
        }
        let status = err.status();
        let generic = Self::for_status(status);
        match status {
            // Parse errors name the offending parameter or field: useful and safe to echo.
            StatusCode::BAD_REQUEST | StatusCode::UNSUPPORTED_MEDIA_TYPE | StatusCode::PAYLOAD_TOO_LARGE => {
                let message = err.to_string();
                let code = if status == StatusCode::BAD_REQUEST { invalid_field_code(&message) } else { None };
                Self { message, code: code.unwrap_or(generic.code), ..generic }
            }
            s if s.is_server_error() => {
                tracing::error!(error = %error_chain(err), status = %s, "request failed");
                generic
            }
            _ => generic,
        }
    }

    /// The status.
    #[cfg(test)]
    pub(crate) fn status(&self) -> StatusCode {
        self.status
    }

    /// The response, with `id` in the body.
    pub(crate) fn to_response(&self, id: Uuid) -> Response {
        let body = ErrorBody {
            error: ErrorDetail {
                code: self.code.as_str().to_owned(),
                message: self.message.clone(),
                request_id: id.to_string(),
            },
        };
        let mut resp = Json(body).into_response();
        resp.set_status(self.status);
        if let Some((name, value)) = &self.header
            && let Ok(value) = HeaderValue::from_str(value)
        {
            resp.headers_mut().insert(name.clone(), value);
        }
        resp
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.code, self.message)
    }
}

impl StdError for ApiError {}

/// `error: cause: cause...`, for logs only.
fn error_chain(err: &dyn StdError) -> String {
    let mut text = err.to_string();
    let mut source = err.source();
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}

/// The HTTP status of each error code: the one place a code gets its status. Exhaustive on
/// purpose: a new code does not compile until it has a status here.
pub(crate) fn status_of(code: ErrorCode) -> StatusCode {
    match code {
        ErrorCode::InvalidRequest
        | ErrorCode::InvalidMagnet
        | ErrorCode::InvalidTorrent
        | ErrorCode::InvalidSelection
        | ErrorCode::InvalidName
        | ErrorCode::InvalidLabel
        | ErrorCode::InvalidRegion
        | ErrorCode::InvalidIdempotencyKey
        | ErrorCode::InvalidExpiry
        | ErrorCode::InvalidEmail
        | ErrorCode::WeakPassword
        | ErrorCode::InvalidResetToken
        | ErrorCode::InvalidVerificationToken
        | ErrorCode::InvalidSlug
        | ErrorCode::InvalidInvite
        | ErrorCode::ConfirmationMismatch
        | ErrorCode::PlanNotForSale
        | ErrorCode::InvalidWebhook
        | ErrorCode::InvalidScopes
        | ErrorCode::InvalidSchedule
        | ErrorCode::InvalidHeartbeat
        | ErrorCode::InvalidInfohash
        | ErrorCode::InvalidSha256
        | ErrorCode::ReasonRequired
        | ErrorCode::InvalidTicket
        | ErrorCode::InvalidQuery
        | ErrorCode::InvalidIncident
        | ErrorCode::InvalidMaintenance
        | ErrorCode::InvalidSettingValue
        | ErrorCode::PluginRefused => StatusCode::BAD_REQUEST,
        ErrorCode::Unauthenticated
        | ErrorCode::BadCredentials
        | ErrorCode::AgentUnauthenticated
        | ErrorCode::AgentReplayed => StatusCode::UNAUTHORIZED,
        ErrorCode::Forbidden
        | ErrorCode::InsufficientRole
        | ErrorCode::EmailUnverified
        | ErrorCode::InviteEmailMismatch
        | ErrorCode::OrgMismatch
        | ErrorCode::MissingScope
        | ErrorCode::AccountSuspended
        | ErrorCode::WrongPassword
        | ErrorCode::SessionRequired
        | ErrorCode::CsrfFailed
        | ErrorCode::RegistrationClosed
        | ErrorCode::OwnRole
        | ErrorCode::OwnAccount
        | ErrorCode::TorrentUploadDisabled
        | ErrorCode::MagnetLinksDisabled
        | ErrorCode::FreePlanInactive
        | ErrorCode::AgentsDisabled
        | ErrorCode::InvalidLink
        | ErrorCode::LinkExpired
        | ErrorCode::Blocked => StatusCode::FORBIDDEN,
        ErrorCode::NotFound
        | ErrorCode::JobNotFound
        | ErrorCode::UserNotFound
        | ErrorCode::ApiKeyNotFound
        | ErrorCode::SessionNotFound
        | ErrorCode::IncidentNotFound
        | ErrorCode::MaintenanceNotFound
        | ErrorCode::OrgNotFound
        | ErrorCode::MemberNotFound
        | ErrorCode::InviteNotFound
        | ErrorCode::CategoryNotFound
        | ErrorCode::BillingDisabled
        | ErrorCode::MessageNotFound
        | ErrorCode::PlanNotFound
        | ErrorCode::FileNotFound
        | ErrorCode::SettingNotFound
        | ErrorCode::WorkerNotFound => StatusCode::NOT_FOUND,
        ErrorCode::MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
        ErrorCode::EmailTaken
        | ErrorCode::InvalidTransition
        | ErrorCode::DuplicateJob
        | ErrorCode::JobChanged
        | ErrorCode::JobNotTerminal
        | ErrorCode::JobNotFailed
        | ErrorCode::JobGone
        | ErrorCode::NotDeadLettered
        | ErrorCode::AlreadyBlocked
        | ErrorCode::AlreadySuspended
        | ErrorCode::NotSuspended
        | ErrorCode::TooManyApiKeys
        | ErrorCode::SlugTaken
        | ErrorCode::LastOwner
        | ErrorCode::PersonalOrg
        | ErrorCode::OrgHasJobs
        | ErrorCode::AlreadyMember
        | ErrorCode::InvitePending
        | ErrorCode::TooManyOrgs
        | ErrorCode::NoBillingCustomer
        | ErrorCode::WorkerNotCordoned
        | ErrorCode::PluginNotConfigured => StatusCode::CONFLICT,
        ErrorCode::PayloadTooLarge | ErrorCode::QuotaFileSize => StatusCode::PAYLOAD_TOO_LARGE,
        ErrorCode::UnsupportedMediaType => StatusCode::UNSUPPORTED_MEDIA_TYPE,
        ErrorCode::RangeNotSatisfiable => StatusCode::RANGE_NOT_SATISFIABLE,
        // 429 for quotas as in the original API, which clients already handle.
        ErrorCode::QuotaJobs | ErrorCode::QuotaStorage | ErrorCode::QuotaBandwidth | ErrorCode::RateLimited => {
            StatusCode::TOO_MANY_REQUESTS
        }
        ErrorCode::PreviewUnavailable | ErrorCode::BillingUnavailable => StatusCode::SERVICE_UNAVAILABLE,
        ErrorCode::MetadataTimeout => StatusCode::GATEWAY_TIMEOUT,
        ErrorCode::MaintenanceMode => StatusCode::SERVICE_UNAVAILABLE,
        ErrorCode::Internal => StatusCode::INTERNAL_SERVER_ERROR,
    }
}

impl From<ServiceError> for ApiError {
    /// The one mapping from service outcomes to responses: the status comes from the code
    /// ([`status_of`]). Exhaustive on purpose: a new variant does not compile until it is
    /// classified here, and internal failures never reach the client.
    fn from(e: ServiceError) -> Self {
        let code = e.code();
        match &e {
            ServiceError::Invalid { .. }
            | ServiceError::Unauthenticated
            | ServiceError::BadCredentials
            | ServiceError::AgentAuth(_)
            | ServiceError::Forbidden { .. }
            | ServiceError::Blocked
            | ServiceError::NotFound { .. }
            | ServiceError::Conflict { .. }
            | ServiceError::Unavailable { .. }
            | ServiceError::QuotaExceeded { resets_at: None, .. } => Self::new(code, e.to_string()),
            // A limit that lifts by itself says when, in seconds, as a rate limit does.
            ServiceError::QuotaExceeded { resets_at: Some(at), .. } => {
                let wait = (*at - chrono::Utc::now()).num_seconds().max(1);
                Self::new(code, e.to_string()).with_header(header::RETRY_AFTER, wait.to_string())
            }
            ServiceError::Repo(_) | ServiceError::Queue(_) | ServiceError::Internal(_) => {
                tracing::error!(error = %error_chain(&e), code = code.as_str(), "service failed");
                Self::internal()
            }
        }
    }
}

impl poem::error::ResponseError for ApiError {
    fn status(&self) -> StatusCode {
        self.status
    }

    fn as_response(&self) -> Response {
        self.to_response(current_request_id().unwrap_or_else(Uuid::nil))
    }
}

/// The specific code for a value the schema refused, named in poem-openapi's parse error as
/// ``field `name` `` or ``parameter `name` ``: the code the service would have given the same
/// value, so a client sees one code whichever layer refused it.
fn invalid_field_code(message: &str) -> Option<ErrorCode> {
    let name = ["field `", "parameter `"].iter().find_map(|prefix| {
        let rest = &message[message.find(prefix)? + prefix.len()..];
        rest.split('`').next()
    })?;
    Some(match name {
        "email" => ErrorCode::InvalidEmail,
        "password" | "newPassword" => ErrorCode::WeakPassword,
        "reason" => ErrorCode::ReasonRequired,
        "defaultRegion" | "regionHint" | "region" => ErrorCode::InvalidRegion,
        "magnetUri" => ErrorCode::InvalidMagnet,
        "infohash" => ErrorCode::InvalidInfohash,
        "name" => ErrorCode::InvalidName,
        "expiresInDays" | "expiresIn" => ErrorCode::InvalidExpiry,
        "scopes" => ErrorCode::InvalidScopes,
        "files" => ErrorCode::InvalidSelection,
        "Idempotency-Key" => ErrorCode::InvalidIdempotencyKey,
        "ticketId" => ErrorCode::InvalidTicket,
        "q" => ErrorCode::InvalidQuery,
        "slug" => ErrorCode::InvalidSlug,
        "confirm" => ErrorCode::ConfirmationMismatch,
        _ => return None,
    })
}

/// The description of one class of error responses (`4XX`, or `5XX` when `server`): the body's
/// shape, then every code of that class with its status, from [`ErrorCode::ALL`] and
/// [`status_of`].
fn error_description(server: bool) -> &'static str {
    static CLIENT: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    static SERVER: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    let (text, lead) = if server { (&SERVER, "A server error") } else { (&CLIENT, "A client error") };
    text.get_or_init(|| {
        let mut codes: Vec<(u16, &str)> = ErrorCode::ALL
            .iter()
            .map(|&c| (status_of(c), c))
            .filter(|(status, _)| status.is_server_error() == server)
            .map(|(status, c)| (status.as_u16(), c.as_str()))
            .collect();
        codes.sort_unstable();
        let mut text =
            format!("{lead}: `{{\"error\": {{\"code\", \"message\", \"requestId\"}}}}`. Branch on `code`.\n\nCodes:");
        for (status, code) in codes {
            text.push_str(&format!("\n- `{code}` ({status})"));
        }
        text
    })
}

impl ApiResponse for ApiError {
    fn meta() -> MetaResponses {
        // The `4XX` and `5XX` ranges rather than `default`: `default` also covers any success an
        // operation does not list, so a client generated from the document could not tell an
        // error body from a success body by the status alone.
        let class = |range: &str, server: bool| MetaResponse {
            description: error_description(server),
            status: None,
            status_range: Some(range.to_owned()),
            content: vec![MetaMediaType {
                content_type: "application/json; charset=utf-8",
                schema: ErrorBody::schema_ref(),
            }],
            headers: vec![],
        };
        MetaResponses { responses: vec![class("4XX", false), class("5XX", true)] }
    }

    fn register(registry: &mut Registry) {
        ErrorBody::register(registry);
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        poem::error::ResponseError::as_response(&self)
    }
}

#[cfg(test)]
mod tests {
    use tseeder_core::error::{AgentAuthError, Missing, QueueError, QuotaKind, RepoError};

    #[test]
    fn schema_refusals_get_the_code_of_the_field() {
        let cases = [
            (
                "parse request payload error: failed to parse \"RegisterRequest\": field `email` verification failed. pattern(..)",
                Some(ErrorCode::InvalidEmail),
            ),
            (
                "failed to parse \"ReasonRequest\": field `reason` verification failed. minLength(10)",
                Some(ErrorCode::ReasonRequired),
            ),
            (
                "failed to parse parameter `Idempotency-Key`: verification failed",
                Some(ErrorCode::InvalidIdempotencyKey),
            ),
            (
                "parse request payload error: failed to parse \"CreateOrgRequest\": field `slug` verification failed. pattern(..)",
                Some(ErrorCode::InvalidSlug),
            ),
            ("failed to parse parameter `after`: invalid digit found in string", None),
            ("parse request payload error: expect a JSON object", None),
        ];
        for (message, code) in cases {
            assert_eq!(invalid_field_code(message), code, "{message}");
        }
    }

    use super::*;

    fn mapped(e: ServiceError) -> (u16, &'static str) {
        let api = ApiError::from(e);
        (api.status().as_u16(), api.code().as_str())
    }

    #[test]
    fn service_errors_map_to_statuses_and_codes() {
        let table = [
            (ServiceError::invalid(ErrorCode::InvalidMagnet, "bad"), 400, "invalid_magnet"),
            (ServiceError::Unauthenticated, 401, "unauthenticated"),
            (ServiceError::BadCredentials, 401, "bad_credentials"),
            (ServiceError::forbidden(ErrorCode::InsufficientRole, "no"), 403, "insufficient_role"),
            (ServiceError::NotFound { what: Missing::Job }, 404, "job_not_found"),
            (ServiceError::NotFound { what: Missing::File }, 404, "file_not_found"),
            (ServiceError::invalid(ErrorCode::RangeNotSatisfiable, "x"), 416, "range_not_satisfiable"),
            (ServiceError::invalid(ErrorCode::InvalidSelection, "x"), 400, "invalid_selection"),
            (ServiceError::invalid(ErrorCode::InvalidExpiry, "x"), 400, "invalid_expiry"),
            (ServiceError::forbidden(ErrorCode::InvalidLink, "x"), 403, "invalid_link"),
            (ServiceError::forbidden(ErrorCode::LinkExpired, "x"), 403, "link_expired"),
            (ServiceError::conflict(ErrorCode::InvalidTransition, "no"), 409, "invalid_transition"),
            (ServiceError::forbidden(ErrorCode::OrgMismatch, "x"), 403, "org_mismatch"),
            (ServiceError::conflict(ErrorCode::OrgHasJobs, "x"), 409, "org_has_jobs"),
            (
                ServiceError::QuotaExceeded { kind: QuotaKind::Jobs, message: "x".into(), resets_at: None },
                429,
                "quota_jobs",
            ),
            (
                ServiceError::QuotaExceeded { kind: QuotaKind::Storage, message: "x".into(), resets_at: None },
                429,
                "quota_storage",
            ),
            (
                ServiceError::QuotaExceeded { kind: QuotaKind::FileSize, message: "x".into(), resets_at: None },
                413,
                "quota_file_size",
            ),
            (
                ServiceError::QuotaExceeded {
                    kind: QuotaKind::Bandwidth,
                    message: "x".into(),
                    resets_at: Some(chrono::Utc::now() + chrono::TimeDelta::days(3)),
                },
                429,
                "quota_bandwidth",
            ),
            (ServiceError::Blocked, 403, "blocked"),
            (ServiceError::NotFound { what: Missing::Worker }, 404, "worker_not_found"),
            (ServiceError::NotFound { what: Missing::BlocklistEntry }, 404, "not_found"),
            (ServiceError::forbidden(ErrorCode::AgentsDisabled, "x"), 403, "agents_disabled"),
            (ServiceError::AgentAuth(AgentAuthError::BadSignature), 401, "agent_unauthenticated"),
            (ServiceError::AgentAuth(AgentAuthError::Expired), 401, "agent_unauthenticated"),
            (ServiceError::AgentAuth(AgentAuthError::Malformed), 401, "agent_unauthenticated"),
            (ServiceError::AgentAuth(AgentAuthError::Replayed), 401, "agent_replayed"),
            (ServiceError::Repo(RepoError::NotFound), 500, "internal"),
            (ServiceError::Queue(QueueError::LeaseLost), 500, "internal"),
            (ServiceError::Internal("boom".into()), 500, "internal"),
            (
                ServiceError::Unavailable { code: ErrorCode::PreviewUnavailable, message: "no engine".into() },
                503,
                "preview_unavailable",
            ),
            (
                ServiceError::Unavailable { code: ErrorCode::MetadataTimeout, message: "no peer".into() },
                504,
                "metadata_timeout",
            ),
        ];
        for (error, status, code) in table {
            let label = format!("{error:?}");
            assert_eq!(mapped(error), (status, code), "{label}");
        }
    }

    #[test]
    fn every_code_has_a_status_and_is_documented() {
        for &code in ErrorCode::ALL {
            let status = status_of(code);
            let text = error_description(status.is_server_error());
            // Server-side refusals: an internal failure, and "this server cannot do it now" (503
            // maintenance, no engine to preview with or no answer from the payment provider, 504
            // no metadata in time).
            let server_side = matches!(
                code,
                ErrorCode::Internal
                    | ErrorCode::MaintenanceMode
                    | ErrorCode::PreviewUnavailable
                    | ErrorCode::BillingUnavailable
                    | ErrorCode::MetadataTimeout
            );
            assert!(status.is_client_error() || server_side, "{code}: {status}");
            assert!(text.contains(&format!("`{code}` ({})", status.as_u16())), "{code} in {text}");
            assert_eq!(ApiError::new(code, "x").status(), status);
        }
        assert_eq!(status_of(ErrorCode::Internal), StatusCode::INTERNAL_SERVER_ERROR);
    }

    #[test]
    fn internal_errors_never_reach_the_client() {
        let secret = "password=hunter2 at db.internal:5432";
        let api = ApiError::from(ServiceError::Internal(secret.into()));
        assert_eq!(api.message, "internal error");
        let api = ApiError::from(ServiceError::Repo(RepoError::Backend(secret.into())));
        assert_eq!(api.message, "internal error");
    }

    #[test]
    fn a_used_up_bandwidth_says_when_it_resets_in_retry_after() {
        let resets_at = chrono::Utc::now() + chrono::TimeDelta::hours(2);
        let api = ApiError::from(ServiceError::QuotaExceeded {
            kind: QuotaKind::Bandwidth,
            message: "used up; it resets at ...".into(),
            resets_at: Some(resets_at),
        });
        let wait = api.retry_after_secs().expect("a Retry-After");
        assert!((7_190..=7_200).contains(&wait), "{wait}");
        let past = ApiError::from(ServiceError::QuotaExceeded {
            kind: QuotaKind::Bandwidth,
            message: "x".into(),
            resets_at: Some(resets_at - chrono::TimeDelta::days(1)),
        });
        assert_eq!(past.retry_after_secs(), Some(1), "never zero or negative");
        let storage = ApiError::from(ServiceError::QuotaExceeded {
            kind: QuotaKind::Storage,
            message: "x".into(),
            resets_at: None,
        });
        assert_eq!(storage.retry_after_secs(), None, "a full storage does not lift by itself");
    }

    #[test]
    fn client_error_messages_are_kept() {
        let api = ApiError::from(ServiceError::invalid(ErrorCode::WeakPassword, "the password is too short"));
        assert_eq!(api.message, "the password is too short");
    }

    #[test]
    fn bare_statuses_get_generic_codes() {
        assert_eq!(ApiError::for_status(StatusCode::NOT_FOUND).code().as_str(), "not_found");
        assert_eq!(ApiError::for_status(StatusCode::METHOD_NOT_ALLOWED).code().as_str(), "method_not_allowed");
        assert_eq!(ApiError::for_status(StatusCode::BAD_GATEWAY).code().as_str(), "internal");
        assert_eq!(ApiError::for_status(StatusCode::BAD_GATEWAY).status(), StatusCode::BAD_GATEWAY);
    }

    #[test]
    fn poem_errors_are_classified_by_status() {
        let parse = poem::Error::from(poem_openapi::error::ParseParamError { name: "limit", reason: "too big".into() });
        let api = ApiError::from_poem(&parse);
        assert_eq!((api.status(), api.code().as_str()), (StatusCode::BAD_REQUEST, "invalid_request"));
        assert!(api.message.contains("limit"));
        let auth = poem::Error::from(poem_openapi::error::AuthorizationError);
        assert_eq!(ApiError::from_poem(&auth).code().as_str(), "unauthenticated");
        let ours = poem::Error::from(ApiError::csrf_failed());
        assert_eq!(ApiError::from_poem(&ours), ApiError::csrf_failed());
    }

    #[test]
    fn rate_limited_responses_say_when_to_retry() {
        let resp = ApiError::rate_limited(7).to_response(Uuid::nil());
        assert_eq!(resp.status(), StatusCode::TOO_MANY_REQUESTS);
        assert_eq!(resp.headers().get(header::RETRY_AFTER).unwrap(), "7");
    }

    #[test]
    fn unsatisfiable_ranges_say_how_big_the_file_is() {
        let resp = ApiError::range_not_satisfiable(42).to_response(Uuid::nil());
        assert_eq!(resp.status(), StatusCode::RANGE_NOT_SATISFIABLE);
        assert_eq!(resp.headers().get(header::CONTENT_RANGE).unwrap(), "bytes */42");
    }
}
