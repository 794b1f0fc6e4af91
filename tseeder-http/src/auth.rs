//! Authentication: who is calling, and the CSRF rule for browser sessions.
//!
//! Two credentials are accepted, documented in the spec as two security schemes:
//!
//! - `Authorization: Bearer <token>`, where the token is an API key (`tsk_...`) or a session
//!   token. Browsers never attach this header on their own, so these requests need no CSRF token.
//! - The `session` cookie set by login (HttpOnly, SameSite=Strict). Browsers attach cookies
//!   automatically, so every state-changing request (anything but GET, HEAD and OPTIONS) must
//!   also carry `X-CSRF-Token`, which only a page that saw the login response (or `/auth/me`) can
//!   know.
//!
//! When the `Authorization` header is present it alone decides: a bad bearer token is refused
//! even if a valid cookie came along, so a client never silently acts as someone else.
//!
//! Either way, the caller acts in their personal organization unless the request names another
//! with `X-Org-Slug` ([`ORG_HEADER`]): then in that one, as the core's `OrgService::enter` has
//! it (404 `org_not_found` for a non-member, as for an unknown or malformed slug; 403
//! `org_mismatch` for an API key of another organization). An API key always acts in the
//! organization it was made in, header or not.

use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Utc};
use poem::http::{Method, header};
use poem::web::cookie::{Cookie, SameSite};
use poem::{Request, RequestBody};
use poem_openapi::auth::{ApiKey, Bearer};
use poem_openapi::registry::Registry;
use poem_openapi::{ApiExtractor, ApiExtractorType, ExtractParamOptions, SecurityScheme};
use tseeder_core::auth::Principal;
use tseeder_core::error::{Missing, ServiceError};
use tseeder_core::services::account::{csrf_token_for, verify_csrf};

use crate::error::ApiError;
use crate::state::Shared;

/// Name of the session cookie.
pub const SESSION_COOKIE: &str = "session";

/// Header carrying the CSRF token, in login responses and on state-changing cookie requests.
pub const CSRF_HEADER: &str = "X-CSRF-Token";

/// Header naming the organization a request acts in, by slug.
pub const ORG_HEADER: &str = "X-Org-Slug";

/// The cookie holding the slug of the organization the web console acts in (its switcher sets
/// it). Requests authenticated by the session cookie act there too when they send no
/// [`ORG_HEADER`], so the pages' own API calls (live progress, downloads, zips) see the jobs
/// the pages show; when it no longer names one of the user's organizations it is ignored.
pub const ORG_COOKIE: &str = "tseeder_org";

/// The longest `X-Org-Slug` value looked up: no slug is longer.
const MAX_ORG_SLUG_LEN: usize = 40;

/// `Authorization: Bearer <token>` with an API key (`tsk_...`) or a session token. Requests
/// authenticated this way need no `X-CSRF-Token`.
#[derive(SecurityScheme)]
#[oai(rename = "bearerAuth", ty = "bearer", bearer_format = "tsk_... API key or session token")]
pub(crate) struct BearerScheme(Bearer);

/// The `session` cookie set by `POST /api/v1/auth/login`. With this cookie, every request other
/// than GET, HEAD and OPTIONS must also send the header `X-CSRF-Token` with the `csrfToken` from
/// the login response or from `GET /api/v1/auth/me`.
#[derive(SecurityScheme)]
#[oai(rename = "sessionCookie", ty = "api_key", key_name = "session", key_in = "cookie")]
pub(crate) struct CookieScheme(ApiKey);

/// How the caller authenticated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Via {
    /// `Authorization: Bearer`.
    Bearer,
    /// The session cookie, holding this session token.
    Cookie(String),
}

/// An authenticated caller: handlers take this as their first argument.
#[derive(Debug, Clone)]
pub(crate) struct Auth {
    /// Who is calling.
    pub(crate) principal: Principal,
    /// How.
    pub(crate) via: Via,
}

impl Auth {
    /// The CSRF token of the caller's cookie session (None for bearer callers, who need none).
    pub(crate) fn csrf_token(&self) -> Option<String> {
        match &self.via {
            Via::Cookie(token) => Some(csrf_token_for(token)),
            Via::Bearer => None,
        }
    }
}

/// The organization a request names in `X-Org-Slug`: `None` without the header, `Some(None)`
/// when the value cannot be a slug (the header sent twice, bytes that are not visible ASCII, or
/// longer than any slug).
fn named_org(req: &Request) -> Option<Option<&str>> {
    let mut values = req.headers().get_all(ORG_HEADER).iter();
    let first = values.next()?;
    if values.next().is_some() {
        return Some(None);
    }
    Some(first.to_str().ok().filter(|slug| slug.len() <= MAX_ORG_SLUG_LEN))
}

/// `principal` acting in the organization the request names in `X-Org-Slug`, or as it is when
/// the request names none. A value that cannot be a slug names no organization: 404
/// `org_not_found`, as for an unknown slug.
async fn act_in_named_org(shared: &Shared, req: &Request, principal: Principal) -> Result<Principal, ApiError> {
    match named_org(req) {
        None => Ok(principal),
        Some(Some(slug)) => shared.core.orgs.enter(&principal, slug).await.map_err(ApiError::from),
        Some(None) => Err(ApiError::from(ServiceError::NotFound { what: Missing::Org })),
    }
}

/// Whether a request with this method changes state and so needs a CSRF token when it is
/// authenticated by cookie.
pub(crate) fn needs_csrf(method: &Method) -> bool {
    !matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS)
}

/// The CSRF rule for cookie-authenticated requests.
pub(crate) fn check_csrf(method: &Method, session_token: &str, presented: Option<&str>) -> Result<(), ApiError> {
    if !needs_csrf(method) {
        return Ok(());
    }
    match presented {
        Some(presented) if verify_csrf(session_token, presented) => Ok(()),
        _ => Err(ApiError::csrf_failed()),
    }
}

impl<'a> ApiExtractor<'a> for Auth {
    const TYPES: &'static [ApiExtractorType] = &[ApiExtractorType::SecurityScheme];

    type ParamType = ();
    type ParamRawType = ();

    fn register(registry: &mut Registry) {
        BearerScheme::register(registry);
        CookieScheme::register(registry);
    }

    fn security_schemes() -> Vec<&'static str> {
        let mut schemes = BearerScheme::security_schemes();
        schemes.extend(CookieScheme::security_schemes());
        schemes
    }

    async fn from_request(
        req: &'a Request,
        body: &mut RequestBody,
        _param_opts: ExtractParamOptions<Self::ParamType>,
    ) -> poem::Result<Self> {
        let Some(shared) = req.data::<Arc<Shared>>() else {
            tracing::error!("the application state is missing from the request");
            return Err(ApiError::internal().into());
        };
        let accounts = &shared.core.accounts;
        if req.headers().contains_key(header::AUTHORIZATION) {
            let BearerScheme(bearer) = BearerScheme::from_request(req, body, ExtractParamOptions::default())
                .await
                .map_err(|_| ApiError::unauthenticated())?;
            let principal = accounts.authenticate_bearer(&bearer.token).await.map_err(ApiError::from)?;
            let principal = act_in_named_org(shared, req, principal).await?;
            return Ok(Self { principal, via: Via::Bearer });
        }
        let CookieScheme(cookie) = CookieScheme::from_request(req, body, ExtractParamOptions::default())
            .await
            .map_err(|_| ApiError::unauthenticated())?;
        // The session is checked first so that an expired cookie says "log in again" (401)
        // rather than "CSRF failed" (403).
        let principal = accounts.authenticate_session(&cookie.key).await.map_err(ApiError::from)?;
        check_csrf(req.method(), &cookie.key, req.header(CSRF_HEADER))?;
        let principal = match (named_org(req), crate::console::cookie(req, ORG_COOKIE)) {
            (None, Some(slug)) if !slug.is_empty() => {
                shared.core.orgs.enter(&principal, &slug).await.unwrap_or(principal)
            }
            _ => act_in_named_org(shared, req, principal).await?,
        };
        Ok(Self { principal, via: Via::Cookie(cookie.key) })
    }
}

/// A session cookie named `name` (HttpOnly, SameSite=Strict, the whole site).
fn named_cookie(name: &str, value: &str, secure: bool) -> Cookie {
    let mut cookie = Cookie::new_with_str(name, value);
    cookie.set_http_only(true);
    cookie.set_same_site(SameSite::Strict);
    cookie.set_path("/");
    cookie.set_secure(secure);
    cookie
}

/// The `Set-Cookie` value that stores a session token until `expires_at`.
pub(crate) fn session_cookie(token: &str, now: DateTime<Utc>, expires_at: DateTime<Utc>, secure: bool) -> String {
    session_cookie_named(SESSION_COOKIE, token, now, expires_at, secure)
}

/// [`session_cookie`] under another name (the qBittorrent-compatible API's `SID`).
pub(crate) fn session_cookie_named(
    name: &str,
    token: &str,
    now: DateTime<Utc>,
    expires_at: DateTime<Utc>,
    secure: bool,
) -> String {
    let mut cookie = named_cookie(name, token, secure);
    let secs = (expires_at - now).num_seconds().max(0);
    cookie.set_max_age(Duration::from_secs(secs.unsigned_abs()));
    cookie.to_string()
}

/// The `Set-Cookie` value that deletes the session cookie.
pub(crate) fn clear_session_cookie(secure: bool) -> String {
    clear_cookie_named(SESSION_COOKIE, secure)
}

/// [`clear_session_cookie`] for the cookie named `name`.
pub(crate) fn clear_cookie_named(name: &str, secure: bool) -> String {
    let mut cookie = named_cookie(name, "", secure);
    cookie.set_max_age(Duration::ZERO);
    cookie.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn safe_methods_need_no_csrf_token() {
        for method in [Method::GET, Method::HEAD, Method::OPTIONS] {
            assert!(check_csrf(&method, "session", None).is_ok(), "{method}");
        }
    }

    #[test]
    fn state_changing_cookie_requests_need_the_sessions_csrf_token() {
        let token = csrf_token_for("session-a");
        for method in [Method::POST, Method::PATCH, Method::PUT, Method::DELETE] {
            assert!(check_csrf(&method, "session-a", Some(&token)).is_ok(), "{method}");
            assert_eq!(check_csrf(&method, "session-a", None), Err(ApiError::csrf_failed()));
            assert_eq!(check_csrf(&method, "session-a", Some("nope")), Err(ApiError::csrf_failed()));
            assert_eq!(check_csrf(&method, "session-b", Some(&token)), Err(ApiError::csrf_failed()));
        }
    }

    /// A request with these `X-Org-Slug` values.
    fn naming(values: &[&[u8]]) -> Request {
        let mut req = Request::builder();
        for value in values {
            req = req.header(ORG_HEADER, poem::http::HeaderValue::from_bytes(value).expect("a header value"));
        }
        req.finish()
    }

    #[test]
    fn the_org_header_names_one_slug_or_nothing_usable() {
        assert_eq!(named_org(&naming(&[])), None);
        assert_eq!(named_org(&naming(&[b"acme".as_slice()])), Some(Some("acme")));
        let longest = "a".repeat(MAX_ORG_SLUG_LEN);
        assert_eq!(named_org(&naming(&[longest.as_bytes()])), Some(Some(longest.as_str())));
        let too_long = "a".repeat(MAX_ORG_SLUG_LEN + 1);
        assert_eq!(named_org(&naming(&[too_long.as_bytes()])), Some(None));
        assert_eq!(named_org(&naming(&[b"acme".as_slice(), b"bravo".as_slice()])), Some(None), "twice");
        assert_eq!(named_org(&naming(&[b"caf\xe9".as_slice()])), Some(None), "not visible ASCII");
    }

    #[test]
    fn session_cookies_are_http_only_and_strict() {
        let now = Utc::now();
        let cookie = session_cookie("abc", now, now + chrono::Duration::days(30), false);
        assert!(cookie.starts_with("session=abc"), "{cookie}");
        for part in ["HttpOnly", "SameSite=Strict", "Path=/", "Max-Age=2592000"] {
            assert!(cookie.contains(part), "{cookie} lacks {part}");
        }
        assert!(!cookie.contains("Secure"), "{cookie}");
        assert!(session_cookie("abc", now, now, true).contains("Secure"));
    }

    #[test]
    fn clearing_expires_the_cookie_at_once() {
        let cookie = clear_session_cookie(true);
        assert!(cookie.starts_with("session=;"), "{cookie}");
        assert!(cookie.contains("Max-Age=0") && cookie.contains("Secure"), "{cookie}");
    }
}
