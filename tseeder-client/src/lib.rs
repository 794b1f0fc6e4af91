#![doc = include_str!("../README.md")]
#![warn(missing_docs)]

use std::sync::Arc;
use std::time::Duration;

use reqwest::header::{AUTHORIZATION, HeaderMap, HeaderName, HeaderValue};

/// The client as progenitor generates it from `openapi/openapi.json` (see `build.rs`).
#[allow(
    clippy::all,
    clippy::allow_attributes_without_reason,
    clippy::unwrap_used,
    missing_debug_implementations,
    missing_docs,
    rust_2018_idioms,
    unreachable_pub,
    rustdoc::all,
    reason = "generated code: its shape is progenitor's, and it is regenerated on every change of the spec"
)]
mod generated {
    include!(concat!(env!("OUT_DIR"), "/tseeder_api.rs"));
}

pub use generated::*;
/// The reqwest the client is built on, to build a [`reqwest::Client`] for
/// [`Client::new_with_client`].
pub use reqwest;

/// The header carrying the CSRF token on state-changing requests of a cookie session.
const CSRF_HEADER: HeaderName = HeaderName::from_static("x-csrf-token");

/// How long connecting may take. There is no limit on a whole request: downloads and the live
/// event stream may rightly last long.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(15);

/// Why a [`Client`] could not be set up.
#[derive(Debug, thiserror::Error)]
pub enum ConnectError {
    /// The API key or the CSRF token cannot be sent as a header value.
    #[error("the credential is not a valid header value")]
    InvalidCredential(#[from] reqwest::header::InvalidHeaderValue),
    /// The HTTP client could not be built (no TLS backend, for one).
    #[error("the HTTP client could not be built")]
    Http(#[from] reqwest::Error),
    /// The server refused the login (`bad_credentials`, `account_suspended`, `rate_limited`...)
    /// or could not be reached. Boxed: the error holds the whole response.
    #[error("login failed")]
    Login(#[source] Box<Error<types::ErrorBody>>),
}

impl Client {
    /// A client that sends `Authorization: Bearer <api_key>` with every request. `base_url` is
    /// the server's root (`https://tseeder.example.com`), without `/api/v1`.
    ///
    /// # Errors
    /// [`ConnectError::InvalidCredential`] when the key holds characters a header cannot carry,
    /// [`ConnectError::Http`] when the HTTP client cannot be built.
    pub fn with_api_key(base_url: &str, api_key: &str) -> Result<Self, ConnectError> {
        let mut value = HeaderValue::from_str(&format!("Bearer {api_key}"))?;
        value.set_sensitive(true);
        let headers = HeaderMap::from_iter([(AUTHORIZATION, value)]);
        let http = reqwest::Client::builder().connect_timeout(CONNECT_TIMEOUT).default_headers(headers).build()?;
        Ok(Self::new_with_client(base_url, http))
    }

    /// Logs in with email and password and returns a client holding the session: its cookie,
    /// and the CSRF token in `X-CSRF-Token` on every request, as the server asks of cookie
    /// sessions. The login response comes along (the user, and when the session expires).
    ///
    /// # Errors
    /// [`ConnectError::Login`] when the server refuses the credentials or cannot be reached;
    /// [`ConnectError::Http`] and [`ConnectError::InvalidCredential`] as for
    /// [`Client::with_api_key`].
    pub async fn log_in(
        base_url: &str,
        email: &str,
        password: &str,
    ) -> Result<(Self, types::LoginResponse), ConnectError> {
        let jar = Arc::new(reqwest::cookie::Jar::default());
        let http = reqwest::Client::builder().connect_timeout(CONNECT_TIMEOUT).cookie_provider(Arc::clone(&jar));
        let anonymous = Self::new_with_client(base_url, http.build()?);
        let login = anonymous
            .login()
            .body_map(|login| login.email(email).password(password))
            .send()
            .await
            .map_err(|e| ConnectError::Login(Box::new(e)))?
            .into_inner();
        let mut csrf = HeaderValue::from_str(&login.csrf_token)?;
        csrf.set_sensitive(true);
        let http = reqwest::Client::builder()
            .connect_timeout(CONNECT_TIMEOUT)
            .cookie_provider(jar)
            .default_headers(HeaderMap::from_iter([(CSRF_HEADER, csrf)]))
            .build()?;
        Ok((Self::new_with_client(base_url, http), login))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_api_key_a_header_cannot_carry_is_refused() {
        let error = Client::with_api_key("http://127.0.0.1:1", "tsk_\nX-Injected: 1").unwrap_err();
        assert!(matches!(error, ConnectError::InvalidCredential(_)), "{error:?}");
    }

    #[test]
    fn the_base_url_is_kept_as_given() {
        let client = Client::with_api_key("http://127.0.0.1:8080", "tsk_abc").unwrap();
        assert_eq!(client.baseurl(), "http://127.0.0.1:8080");
    }
}
