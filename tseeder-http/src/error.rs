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
use tseeder_core::error::{QuotaKind, ServiceError};
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
    code: &'static str,
    message: String,
    /// One extra response header: `Retry-After` on 429, `Content-Range` on 416.
    header: Option<(HeaderName, String)>,
}

/// Shorthand for handler results.
pub(crate) type ApiResult<T> = Result<T, ApiError>;

impl ApiError {
    /// An error with this status, code and message.
    pub(crate) fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> Self {
        Self { status, code, message: message.into(), header: None }
    }

    /// The same error with one more response header.
    pub(crate) fn with_header(self, name: HeaderName, value: impl Into<String>) -> Self {
        Self { header: Some((name, value.into())), ..self }
    }

    /// 401: no usable credentials.
    pub(crate) fn unauthenticated() -> Self {
        Self::new(StatusCode::UNAUTHORIZED, "unauthenticated", "authentication required")
    }

    /// 403: a cookie-authenticated request without the right `X-CSRF-Token`.
    pub(crate) fn csrf_failed() -> Self {
        Self::new(StatusCode::FORBIDDEN, "csrf_failed", "missing or invalid X-CSRF-Token header")
    }

    /// 429 with `Retry-After`.
    pub(crate) fn rate_limited(retry_after_secs: u64) -> Self {
        Self::new(StatusCode::TOO_MANY_REQUESTS, "rate_limited", "too many requests; try again later")
            .with_header(header::RETRY_AFTER, retry_after_secs.to_string())
    }

    /// 416 with `Content-Range: bytes */<size>`: no byte the `Range` header asked for exists.
    pub(crate) fn range_not_satisfiable(size: u64) -> Self {
        Self::new(
            StatusCode::RANGE_NOT_SATISFIABLE,
            "range_not_satisfiable",
            format!("the requested range is outside the file's {size} bytes"),
        )
        .with_header(header::CONTENT_RANGE, format!("bytes */{size}"))
    }

    /// The stable code.
    #[cfg(test)]
    pub(crate) fn code(&self) -> &'static str {
        self.code
    }

    /// 413: the request body (or the uploaded file) is too large.
    pub(crate) fn payload_too_large(message: impl Into<String>) -> Self {
        Self::new(StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large", message)
    }

    /// 500. The caller logs the cause; the client only learns that something failed.
    pub(crate) fn internal() -> Self {
        Self::new(StatusCode::INTERNAL_SERVER_ERROR, "internal", "internal error")
    }

    /// The generic error for a bare status (unknown route, wrong method...), used when a lower
    /// layer produced an error status without one of our bodies.
    pub(crate) fn for_status(status: StatusCode) -> Self {
        let (code, message) = match status {
            StatusCode::BAD_REQUEST => ("invalid_request", "the request is malformed"),
            StatusCode::UNAUTHORIZED => ("unauthenticated", "authentication required"),
            StatusCode::FORBIDDEN => ("forbidden", "not allowed"),
            StatusCode::NOT_FOUND => ("not_found", "no such resource"),
            StatusCode::METHOD_NOT_ALLOWED => ("method_not_allowed", "this method is not allowed on this resource"),
            StatusCode::PAYLOAD_TOO_LARGE => ("payload_too_large", "the request body is too large"),
            StatusCode::UNSUPPORTED_MEDIA_TYPE => ("unsupported_media_type", "unsupported Content-Type"),
            StatusCode::RANGE_NOT_SATISFIABLE => ("range_not_satisfiable", "the requested range is not satisfiable"),
            StatusCode::TOO_MANY_REQUESTS => ("rate_limited", "too many requests; try again later"),
            s if s.is_server_error() => return Self { status: s, ..Self::internal() },
            _ => ("invalid_request", "the request cannot be handled"),
        };
        Self::new(status, code, message)
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
                Self { message: err.to_string(), ..generic }
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
                code: self.code.to_owned(),
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

impl From<ServiceError> for ApiError {
    /// The one mapping from service outcomes to HTTP. Exhaustive on purpose: a new variant does
    /// not compile until it has a status here.
    fn from(e: ServiceError) -> Self {
        let code = e.code();
        let status = match &e {
            // The handlers answer unsatisfiable ranges themselves, with `Content-Range`; this
            // covers a file that shrank in between.
            ServiceError::Invalid { code: "range_not_satisfiable", .. } => StatusCode::RANGE_NOT_SATISFIABLE,
            ServiceError::Invalid { .. } => StatusCode::BAD_REQUEST,
            ServiceError::Unauthenticated | ServiceError::BadCredentials | ServiceError::AgentAuth(_) => {
                StatusCode::UNAUTHORIZED
            }
            ServiceError::Forbidden { .. } | ServiceError::Blocked => StatusCode::FORBIDDEN,
            ServiceError::NotFound { .. } => StatusCode::NOT_FOUND,
            ServiceError::Conflict { .. } => StatusCode::CONFLICT,
            ServiceError::QuotaExceeded { kind, .. } => match kind {
                // 429 as in the original API, which clients already handle.
                QuotaKind::Jobs | QuotaKind::Storage => StatusCode::TOO_MANY_REQUESTS,
                QuotaKind::FileSize => StatusCode::PAYLOAD_TOO_LARGE,
            },
            ServiceError::Repo(_) | ServiceError::Queue(_) | ServiceError::Internal(_) => {
                tracing::error!(error = %error_chain(&e), code, "service failed");
                return Self::internal();
            }
        };
        Self::new(status, code, e.to_string())
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

impl ApiResponse for ApiError {
    fn meta() -> MetaResponses {
        MetaResponses {
            responses: vec![MetaResponse {
                description: "An error: `{\"error\": {\"code\", \"message\", \"requestId\"}}`. Branch on `code`.",
                status: None,
                status_range: None,
                content: vec![MetaMediaType {
                    content_type: "application/json; charset=utf-8",
                    schema: ErrorBody::schema_ref(),
                }],
                headers: vec![],
            }],
        }
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
    use tseeder_core::error::{AgentAuthError, QueueError, RepoError};

    use super::*;

    fn mapped(e: ServiceError) -> (u16, &'static str) {
        let api = ApiError::from(e);
        (api.status().as_u16(), api.code())
    }

    #[test]
    fn service_errors_map_to_statuses_and_codes() {
        let table = [
            (ServiceError::invalid("invalid_magnet", "bad"), 400, "invalid_magnet"),
            (ServiceError::Unauthenticated, 401, "unauthenticated"),
            (ServiceError::BadCredentials, 401, "bad_credentials"),
            (ServiceError::forbidden("insufficient_role", "no"), 403, "insufficient_role"),
            (ServiceError::NotFound { what: "job" }, 404, "job_not_found"),
            (ServiceError::NotFound { what: "file" }, 404, "file_not_found"),
            (ServiceError::invalid("range_not_satisfiable", "x"), 416, "range_not_satisfiable"),
            (ServiceError::invalid("invalid_selection", "x"), 400, "invalid_selection"),
            (ServiceError::invalid("invalid_expiry", "x"), 400, "invalid_expiry"),
            (ServiceError::forbidden("invalid_link", "x"), 403, "invalid_link"),
            (ServiceError::forbidden("link_expired", "x"), 403, "link_expired"),
            (ServiceError::conflict("invalid_transition", "no"), 409, "invalid_transition"),
            (ServiceError::QuotaExceeded { kind: QuotaKind::Jobs, message: "x".into() }, 429, "quota_jobs"),
            (ServiceError::QuotaExceeded { kind: QuotaKind::Storage, message: "x".into() }, 429, "quota_storage"),
            (ServiceError::QuotaExceeded { kind: QuotaKind::FileSize, message: "x".into() }, 413, "quota_file_size"),
            (ServiceError::Blocked, 403, "blocked"),
            (ServiceError::NotFound { what: "worker" }, 404, "worker_not_found"),
            (ServiceError::forbidden("agents_disabled", "x"), 403, "agents_disabled"),
            (ServiceError::AgentAuth(AgentAuthError::BadSignature), 401, "agent_unauthenticated"),
            (ServiceError::AgentAuth(AgentAuthError::Expired), 401, "agent_unauthenticated"),
            (ServiceError::AgentAuth(AgentAuthError::Malformed), 401, "agent_unauthenticated"),
            (ServiceError::AgentAuth(AgentAuthError::Replayed), 401, "agent_replayed"),
            (ServiceError::Repo(RepoError::NotFound), 500, "internal"),
            (ServiceError::Queue(QueueError::LeaseLost), 500, "internal"),
            (ServiceError::Internal("boom".into()), 500, "internal"),
        ];
        for (error, status, code) in table {
            let label = format!("{error:?}");
            assert_eq!(mapped(error), (status, code), "{label}");
        }
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
    fn client_error_messages_are_kept() {
        let api = ApiError::from(ServiceError::invalid("weak_password", "the password is too short"));
        assert_eq!(api.message, "the password is too short");
    }

    #[test]
    fn bare_statuses_get_generic_codes() {
        assert_eq!(ApiError::for_status(StatusCode::NOT_FOUND).code(), "not_found");
        assert_eq!(ApiError::for_status(StatusCode::METHOD_NOT_ALLOWED).code(), "method_not_allowed");
        assert_eq!(ApiError::for_status(StatusCode::BAD_GATEWAY).code(), "internal");
        assert_eq!(ApiError::for_status(StatusCode::BAD_GATEWAY).status(), StatusCode::BAD_GATEWAY);
    }

    #[test]
    fn poem_errors_are_classified_by_status() {
        let parse = poem::Error::from(poem_openapi::error::ParseParamError { name: "limit", reason: "too big".into() });
        let api = ApiError::from_poem(&parse);
        assert_eq!((api.status(), api.code()), (StatusCode::BAD_REQUEST, "invalid_request"));
        assert!(api.message.contains("limit"));
        let auth = poem::Error::from(poem_openapi::error::AuthorizationError);
        assert_eq!(ApiError::from_poem(&auth).code(), "unauthenticated");
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
