//! What a web console built on this host reuses, so its pages take the same paths as the API:
//! the shared state (core services, settings, rate limiters), the session cookie and CSRF rule,
//! the client's address, error codes and messages, and absolute links.
//!
//! The console is a separate endpoint handed to [`app_with`](crate::app_with); it runs inside
//! the same outer layer as the API (request ids, security headers, body limit) and reaches the
//! state through the [`Console`] extractor.

use std::sync::Arc;

use chrono::{DateTime, Utc};
use poem::http::StatusCode;
use poem::{FromRequest, Request, RequestBody};
use tseeder_core::Tseeder;
use tseeder_core::domain::UserId;
use tseeder_core::error::ServiceError;
use tseeder_core::services::RequestMeta;

use crate::config::HttpConfig;
use crate::error::ApiError;
use crate::request::RequestContext;
use crate::state::Shared;

pub use crate::auth::{CSRF_HEADER, ORG_COOKIE, ORG_HEADER, SESSION_COOKIE};

/// The state of the running host, as the API handlers see it. Extract it in a handler of the
/// console endpoint.
#[derive(Debug, Clone)]
pub struct Console(Arc<Shared>);

/// A request refused by a rate limit: try again after this many seconds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RateLimited {
    /// Seconds to wait.
    pub retry_after_secs: u64,
}

fn limited(e: ApiError) -> RateLimited {
    RateLimited { retry_after_secs: e.retry_after_secs().unwrap_or(60) }
}

impl Console {
    /// The core services.
    pub fn core(&self) -> &Tseeder {
        &self.0.core
    }

    /// The HTTP settings.
    pub fn config(&self) -> &HttpConfig {
        &self.0.config
    }

    /// Counts a login attempt from `ip` against the same limit as `POST /auth/login`.
    pub fn limit_login(&self, ip: Option<&str>) -> Result<(), RateLimited> {
        self.0.limits.login(ip).map_err(limited)
    }

    /// Counts a registration from `ip` against the same limit as `POST /auth/register`.
    pub fn limit_register(&self, ip: Option<&str>) -> Result<(), RateLimited> {
        self.0.limits.register(ip).map_err(limited)
    }

    /// Counts a password reset request from `ip` for `email` against the same limits as `POST
    /// /auth/password-reset`.
    pub fn limit_password_reset(&self, ip: Option<&str>, email: &str) -> Result<(), RateLimited> {
        self.0.limits.password_reset(ip, email).map_err(limited)
    }

    /// Counts a verification email asked for by `user` from `ip` against the same limits as `POST
    /// /auth/verify-email/resend`.
    pub fn limit_verification_email(&self, ip: Option<&str>, user: UserId) -> Result<(), RateLimited> {
        self.0.limits.verification_email(ip, user).map_err(limited)
    }

    /// Counts a submission (or preview) by `user` against the same limit as `POST /jobs`.
    pub fn limit_submission(&self, user: UserId) -> Result<(), RateLimited> {
        self.0.limits.submit_job(user).map_err(limited)
    }

    /// The `Set-Cookie` value that stores a session token until `expires_at` (the one login
    /// sets).
    pub fn session_cookie(&self, token: &str, expires_at: DateTime<Utc>) -> String {
        crate::auth::session_cookie(token, self.0.core.ports.clock.now(), expires_at, self.0.config.secure_cookies)
    }

    /// The `Set-Cookie` value that deletes the session cookie (the one logout sets).
    pub fn clear_session_cookie(&self) -> String {
        crate::auth::clear_session_cookie(self.0.config.secure_cookies)
    }

    /// An absolute URL for `path` (which already carries the base path) on the host the request
    /// came to, with the scheme the client used (`X-Forwarded-Proto` when proxy headers are
    /// trusted): what goes into playlists and copied links. Left relative when the request names
    /// no plausible host.
    pub fn absolute_url(&self, req: &Request, path: &str) -> String {
        let scheme = crate::download::request_scheme(req, self.0.config.trust_proxy_headers);
        match crate::download::request_host(req) {
            Some(host) if crate::download::plausible_host(&host) => format!("{scheme}://{host}{path}"),
            _ => path.to_owned(),
        }
    }
}

impl<'a> FromRequest<'a> for Console {
    async fn from_request(req: &'a Request, _body: &mut RequestBody) -> poem::Result<Self> {
        req.data::<Arc<Shared>>().cloned().map(Self).ok_or_else(|| {
            tracing::error!("the application state is missing from the request");
            poem::Error::from_status(StatusCode::INTERNAL_SERVER_ERROR)
        })
    }
}

/// The client's address and user agent, as audit entries and rate limits see them.
pub fn request_meta(req: &Request) -> RequestMeta {
    req.extensions().get::<RequestContext>().map(|c| c.meta.clone()).unwrap_or_default()
}

/// The id of the request, as sent back in `X-Request-Id`.
pub fn request_id(req: &Request) -> Option<uuid::Uuid> {
    req.extensions().get::<RequestContext>().map(|c| c.id)
}

/// How the API answers a service error: its status, stable code and a message safe to show
/// (internal failures say only "internal error" and are logged).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PublicError {
    /// The HTTP status the API would send.
    pub status: StatusCode,
    /// The stable code, such as `job_not_found`.
    pub code: &'static str,
    /// The message.
    pub message: String,
}

impl From<ServiceError> for PublicError {
    fn from(e: ServiceError) -> Self {
        let api = ApiError::from(e);
        Self { status: api.status_code(), code: api.code_str(), message: api.message().to_owned() }
    }
}

/// The value of cookie `name` in the request's `Cookie` headers.
pub fn cookie(req: &Request, name: &str) -> Option<String> {
    req.headers().get_all(poem::http::header::COOKIE).iter().filter_map(|v| v.to_str().ok()).find_map(|header| {
        header.split(';').find_map(|pair| {
            let (key, value) = pair.trim().split_once('=')?;
            (key == name).then(|| value.to_owned())
        })
    })
}
