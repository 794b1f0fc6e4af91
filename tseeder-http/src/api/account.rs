//! `/api/v1/auth`: registration, login, logout, the caller's account and API keys.

use std::sync::Arc;

use poem::web::Data;
use poem_openapi::param::Path;
use poem_openapi::payload::Json;
use poem_openapi::types::MaybeUndefined;
use poem_openapi::{ApiResponse, OpenApi};
use tseeder_core::auth::Credential;
use tseeder_core::domain::{ApiKeyId, Scope, SessionId};
use uuid::Uuid;

use super::{ApiTag, NoContent};
use crate::auth::{Auth, clear_session_cookie, session_cookie};
use crate::dto::account::{
    ApiKeyList, ApiKeyView, ChangePasswordRequest, CreateApiKeyRequest, CreatedApiKeyView, LoginRequest, LoginResponse,
    MeResponse, PasswordChanged, PasswordResetConfirm, PasswordResetRequest, PasswordResetRequested, RegisterRequest,
    SessionList, SessionView, UpdateMeRequest, UserEnvelope, VerificationEmailRequested, VerifyEmailRequest,
};
use crate::error::ApiResult;
use crate::request::Meta;
use crate::state::Shared;

/// A new account.
#[derive(Debug, ApiResponse)]
pub(crate) enum Registered {
    /// The account was created; log in next.
    #[oai(status = 201)]
    Created(Json<UserEnvelope>),
}

/// A new session.
#[derive(Debug, ApiResponse)]
pub(crate) enum LoggedIn {
    /// Logged in. The `session` cookie holds the session; `X-CSRF-Token` repeats the body's
    /// `csrfToken`.
    #[oai(status = 200)]
    Ok(
        Json<LoginResponse>,
        /// `session=<token>; HttpOnly; SameSite=Strict; Path=/; Max-Age=...` (plus `Secure` when
        /// configured).
        #[oai(header = "Set-Cookie")]
        String,
        /// The CSRF token to send back on state-changing requests.
        #[oai(header = "X-CSRF-Token")]
        String,
    ),
}

/// A closed session.
#[derive(Debug, ApiResponse)]
pub(crate) enum LoggedOut {
    /// The session is revoked and the cookie cleared.
    #[oai(status = 204)]
    Done(
        /// Expires the `session` cookie.
        #[oai(header = "Set-Cookie")]
        String,
    ),
}

/// A new API key.
#[derive(Debug, ApiResponse)]
pub(crate) enum ApiKeyCreated {
    /// The key and its secret, shown this once.
    #[oai(status = 201)]
    Created(Json<CreatedApiKeyView>),
}

/// Accounts and credentials.
#[derive(Debug)]
pub(crate) struct AccountApi;

#[OpenApi(prefix_path = "/api/v1/auth", tag = "ApiTag::Auth")]
impl AccountApi {
    /// Register
    ///
    /// Creates an account on the free plan. Rate-limited per client address.
    #[oai(path = "/register", method = "post", operation_id = "register")]
    async fn register(
        &self,
        app: Data<&Arc<Shared>>,
        meta: Meta,
        body: Json<RegisterRequest>,
    ) -> ApiResult<Registered> {
        app.limits.register(meta.0.ip.as_deref())?;
        let user = app.core.accounts.register(&body.email, &body.password, &meta.0).await?;
        Ok(Registered::Created(Json(user.into())))
    }

    /// Log in
    ///
    /// Opens a session: sets the `session` cookie and returns the CSRF token that state-changing
    /// cookie requests must send in `X-CSRF-Token`. Rate-limited per client address.
    #[oai(path = "/login", method = "post", operation_id = "login")]
    async fn login(&self, app: Data<&Arc<Shared>>, meta: Meta, body: Json<LoginRequest>) -> ApiResult<LoggedIn> {
        app.limits.login(meta.0.ip.as_deref())?;
        let outcome = app.core.accounts.login(&body.email, &body.password, &meta.0).await?;
        let now = app.core.ports.clock.now();
        let cookie = session_cookie(&outcome.session_token, now, outcome.expires_at, app.config.secure_cookies);
        let csrf = outcome.csrf_token.clone();
        let body =
            LoginResponse { user: outcome.user.into(), csrf_token: outcome.csrf_token, expires_at: outcome.expires_at };
        Ok(LoggedIn::Ok(Json(body), cookie, csrf))
    }

    /// Log out
    ///
    /// Revokes the caller's session, whether it came as the cookie or as a bearer token, and
    /// clears the cookie. API keys are revoked with `DELETE /auth/api-keys/{id}` instead.
    #[oai(path = "/logout", method = "post", operation_id = "logout")]
    async fn logout(&self, auth: Auth, app: Data<&Arc<Shared>>) -> ApiResult<LoggedOut> {
        app.core.accounts.logout(&auth.principal).await?;
        Ok(LoggedOut::Done(clear_session_cookie(app.config.secure_cookies)))
    }

    /// The caller's account
    ///
    /// With a cookie session, also returns its CSRF token, so a reloaded page can recover it.
    #[oai(path = "/me", method = "get", operation_id = "me")]
    async fn me(&self, auth: Auth, app: Data<&Arc<Shared>>) -> ApiResult<Json<MeResponse>> {
        let user = app.core.accounts.me(&auth.principal).await?;
        Ok(Json(MeResponse { user: user.into(), csrf_token: auth.csrf_token() }))
    }

    /// Update the caller's account
    ///
    /// Sets the caller's `defaultRegion` (or clears it with null): jobs submitted without a
    /// `regionHint` prefer that region. Only the caller's own account changes. API keys need the
    /// `account:read` and `jobs:write` scopes. Returns the updated account, as `GET /auth/me`.
    #[oai(path = "/me", method = "patch", operation_id = "updateMe")]
    async fn update_me(
        &self,
        auth: Auth,
        app: Data<&Arc<Shared>>,
        meta: Meta,
        body: Json<UpdateMeRequest>,
    ) -> ApiResult<Json<MeResponse>> {
        let accounts = &app.core.accounts;
        let user = match body.0.default_region {
            MaybeUndefined::Undefined => accounts.me(&auth.principal).await?,
            MaybeUndefined::Null => accounts.set_default_region(&auth.principal, None, &meta.0).await?,
            MaybeUndefined::Value(region) => {
                accounts.set_default_region(&auth.principal, Some(&region), &meta.0).await?
            }
        };
        Ok(Json(MeResponse { user: user.into(), csrf_token: auth.csrf_token() }))
    }

    /// List API keys
    #[oai(path = "/api-keys", method = "get", operation_id = "listApiKeys")]
    async fn list_api_keys(&self, auth: Auth, app: Data<&Arc<Shared>>) -> ApiResult<Json<ApiKeyList>> {
        let keys = app.core.accounts.list_api_keys(&auth.principal).await?;
        Ok(Json(ApiKeyList { keys: keys.into_iter().map(ApiKeyView::from).collect() }))
    }

    /// Create an API key
    ///
    /// Only a login session can create keys. The secret (`tsk_...`) is returned once; use it as
    /// `Authorization: Bearer <secret>`.
    #[oai(path = "/api-keys", method = "post", operation_id = "createApiKey")]
    async fn create_api_key(
        &self,
        auth: Auth,
        app: Data<&Arc<Shared>>,
        meta: Meta,
        body: Json<CreateApiKeyRequest>,
    ) -> ApiResult<ApiKeyCreated> {
        let Json(body) = body;
        let scopes = body.scopes.into_iter().map(Scope::from).collect();
        let created = app
            .core
            .accounts
            .create_api_key(&auth.principal, &body.name, scopes, body.expires_in_days, &meta.0)
            .await?;
        Ok(ApiKeyCreated::Created(Json(created.into())))
    }

    /// Revoke an API key
    #[oai(path = "/api-keys/:id", method = "delete", operation_id = "revokeApiKey")]
    async fn revoke_api_key(
        &self,
        auth: Auth,
        app: Data<&Arc<Shared>>,
        meta: Meta,
        id: Path<Uuid>,
    ) -> ApiResult<NoContent> {
        app.core.accounts.revoke_api_key(&auth.principal, ApiKeyId(id.0), &meta.0).await?;
        Ok(NoContent::Done)
    }

    /// Change the password
    ///
    /// Checks the current password, stores the new one, and ends every other session of the
    /// account (the one making the change stays logged in). Sessions only: API keys get 403
    /// `session_required`, and keep working (revoke them on their own). A wrong current password
    /// is 403 `wrong_password`; attempts are rate-limited per client address like logins.
    #[oai(path = "/password", method = "post", operation_id = "changePassword")]
    async fn change_password(
        &self,
        auth: Auth,
        app: Data<&Arc<Shared>>,
        meta: Meta,
        body: Json<ChangePasswordRequest>,
    ) -> ApiResult<Json<PasswordChanged>> {
        app.limits.login(meta.0.ip.as_deref())?;
        let ended = app
            .core
            .accounts
            .change_password(&auth.principal, &body.current_password, &body.new_password, &meta.0)
            .await?;
        Ok(Json(PasswordChanged { sessions_ended: ended }))
    }

    /// Ask for a password reset email
    ///
    /// When an account with this address exists and is not suspended, emails it a link to
    /// `/reset?token=…` that sets a new password once, within `auth.password_reset_minutes`
    /// (an hour by default). The answer is the same for any address, so it never tells whether
    /// an account exists; `emailSent` only says whether this server sends email at all.
    /// Rate-limited per client address and per address asked for.
    #[oai(path = "/password-reset", method = "post", operation_id = "requestPasswordReset")]
    async fn request_password_reset(
        &self,
        app: Data<&Arc<Shared>>,
        meta: Meta,
        body: Json<PasswordResetRequest>,
    ) -> ApiResult<Json<PasswordResetRequested>> {
        app.limits.password_reset(meta.0.ip.as_deref(), &body.email)?;
        let email_sent = app.core.accounts.request_password_reset(&body.email, &meta.0).await?;
        Ok(Json(PasswordResetRequested { email_sent }))
    }

    /// Set a new password with a reset email's token
    ///
    /// Stores the new password and ends every session of the account; the token and every
    /// other reset link of the account stop working. An unknown, used or expired token is 400
    /// `invalid_reset_token`. Rate-limited per client address like logins.
    #[oai(path = "/password-reset/confirm", method = "post", operation_id = "resetPassword")]
    async fn reset_password(
        &self,
        app: Data<&Arc<Shared>>,
        meta: Meta,
        body: Json<PasswordResetConfirm>,
    ) -> ApiResult<NoContent> {
        app.limits.login(meta.0.ip.as_deref())?;
        app.core.accounts.reset_password(&body.token, &body.password, &meta.0).await?;
        Ok(NoContent::Done)
    }

    /// Confirm an email address with a verification email's token
    ///
    /// The link emailed at registration (or by `POST /auth/verify-email/resend`) goes to
    /// `/verify?token=…`; its token confirms the address once, within
    /// `auth.email_verification_hours`, and only while the account still has that address. An
    /// unknown, used or expired token is 400 `invalid_verification_token`. No credentials needed:
    /// the token is the proof. Returns the account, with `emailVerified`. Rate-limited per client
    /// address like logins. Audited as `user.email_verified`.
    #[oai(path = "/verify-email", method = "post", operation_id = "verifyEmail")]
    async fn verify_email(
        &self,
        app: Data<&Arc<Shared>>,
        meta: Meta,
        body: Json<VerifyEmailRequest>,
    ) -> ApiResult<Json<UserEnvelope>> {
        app.limits.login(meta.0.ip.as_deref())?;
        let user = app.core.accounts.verify_email(&body.token, &meta.0).await?;
        Ok(Json(user.into()))
    }

    /// Ask for another verification email
    ///
    /// Emails the caller a new link to confirm their address (earlier links keep working until
    /// one of them is used); an address already confirmed gets none. `emailSent` only says
    /// whether this server sends email at all. Sessions only (403 `session_required`).
    /// Rate-limited per client address and per account, with the same budget as password reset
    /// emails (429 `rate_limited`).
    #[oai(path = "/verify-email/resend", method = "post", operation_id = "resendVerificationEmail")]
    async fn resend_verification_email(
        &self,
        auth: Auth,
        app: Data<&Arc<Shared>>,
        meta: Meta,
    ) -> ApiResult<Json<VerificationEmailRequested>> {
        // API keys are refused before they spend anyone's budget.
        auth.principal.require_session()?;
        app.limits.verification_email(meta.0.ip.as_deref(), auth.principal.user_id)?;
        let email_sent = app.core.accounts.request_email_verification(&auth.principal).await?;
        Ok(Json(VerificationEmailRequested { email_sent }))
    }

    /// List sessions
    ///
    /// Every device logged in to the caller's account, newest first, with the address and user
    /// agent it logged in from. API keys need `account:read`.
    #[oai(path = "/sessions", method = "get", operation_id = "listSessions")]
    async fn list_sessions(&self, auth: Auth, app: Data<&Arc<Shared>>) -> ApiResult<Json<SessionList>> {
        let sessions = app.core.accounts.list_sessions(&auth.principal).await?;
        let current_session_id = match auth.principal.credential {
            Credential::Session(id) => Some(id.0),
            _ => None,
        };
        Ok(Json(SessionList { sessions: sessions.into_iter().map(SessionView::from).collect(), current_session_id }))
    }

    /// End a session
    ///
    /// Logs one device out of the caller's account at once. Naming the caller's own session is a
    /// logout. Sessions only; another user's session is 404 `session_not_found`.
    #[oai(path = "/sessions/:id", method = "delete", operation_id = "revokeSession")]
    async fn revoke_session(
        &self,
        auth: Auth,
        app: Data<&Arc<Shared>>,
        meta: Meta,
        id: Path<Uuid>,
    ) -> ApiResult<NoContent> {
        app.core.accounts.revoke_session(&auth.principal, SessionId(id.0), &meta.0).await?;
        Ok(NoContent::Done)
    }
}
