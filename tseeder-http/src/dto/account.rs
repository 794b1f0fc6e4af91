//! Accounts, sessions and API keys.

use chrono::{DateTime, Utc};
use poem_openapi::types::MaybeUndefined;
use poem_openapi::{Enum, Object};
use tseeder_core::domain::{ApiKey, Role, Scope, Session, User};
use tseeder_core::services::account::CreatedApiKey;
use uuid::Uuid;

use crate::dto::text::Text;

/// A user's role, lowest first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Enum)]
#[oai(rename = "Role", rename_all = "snake_case")]
pub(crate) enum RoleDto {
    /// A customer.
    User,
    /// Support staff: read access to admin views.
    Support,
    /// Operator.
    Admin,
    /// Full control, including granting admin roles.
    Superadmin,
}

impl From<Role> for RoleDto {
    fn from(role: Role) -> Self {
        match role {
            Role::User => Self::User,
            Role::Support => Self::Support,
            Role::Admin => Self::Admin,
            Role::Superadmin => Self::Superadmin,
        }
    }
}

impl From<RoleDto> for Role {
    fn from(role: RoleDto) -> Self {
        match role {
            RoleDto::User => Self::User,
            RoleDto::Support => Self::Support,
            RoleDto::Admin => Self::Admin,
            RoleDto::Superadmin => Self::Superadmin,
        }
    }
}

/// What an API key may do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Enum)]
#[oai(rename = "Scope")]
pub(crate) enum ScopeDto {
    /// Read jobs, plans and usage.
    #[oai(rename = "jobs:read")]
    JobsRead,
    /// Submit and control jobs.
    #[oai(rename = "jobs:write")]
    JobsWrite,
    /// Read the account (`/auth/me`, the key list).
    #[oai(rename = "account:read")]
    AccountRead,
    /// Use admin endpoints, within the owner's role.
    #[oai(rename = "admin")]
    Admin,
}

impl From<Scope> for ScopeDto {
    fn from(scope: Scope) -> Self {
        match scope {
            Scope::JobsRead => Self::JobsRead,
            Scope::JobsWrite => Self::JobsWrite,
            Scope::AccountRead => Self::AccountRead,
            Scope::Admin => Self::Admin,
        }
    }
}

impl From<ScopeDto> for Scope {
    fn from(scope: ScopeDto) -> Self {
        match scope {
            ScopeDto::JobsRead => Self::JobsRead,
            ScopeDto::JobsWrite => Self::JobsWrite,
            ScopeDto::AccountRead => Self::AccountRead,
            ScopeDto::Admin => Self::Admin,
        }
    }
}

/// A user account.
#[derive(Debug, Clone, Object)]
#[oai(rename = "User", rename_all = "camelCase", skip_serializing_if_is_none)]
pub(crate) struct UserView {
    /// The id.
    pub(crate) id: Uuid,
    /// Email address, lowercased.
    pub(crate) email: String,
    /// Role.
    pub(crate) role: RoleDto,
    /// Suspended accounts cannot log in or use keys.
    pub(crate) suspended: bool,
    /// Whether the email address is confirmed (by the link emailed at registration, or by the
    /// operator who created the account). Accepting an organization's invite needs it.
    pub(crate) email_verified: bool,
    /// The region this user's jobs prefer when a submission has no `regionHint`; absent for any
    /// region.
    pub(crate) default_region: Option<String>,
    /// Registration time.
    pub(crate) created_at: DateTime<Utc>,
}

impl From<User> for UserView {
    fn from(user: User) -> Self {
        Self {
            id: user.id.0,
            email: user.email,
            role: user.role.into(),
            suspended: user.suspended,
            email_verified: user.email_verified_at.is_some(),
            default_region: user.default_region.map(String::from),
            created_at: user.created_at,
        }
    }
}

/// `{user}`.
#[derive(Debug, Clone, Object)]
pub(crate) struct UserEnvelope {
    /// The user.
    pub(crate) user: UserView,
}

impl From<User> for UserEnvelope {
    fn from(user: User) -> Self {
        Self { user: user.into() }
    }
}

/// Registration form.
#[derive(Debug, Clone, Object)]
pub(crate) struct RegisterRequest {
    /// Email address: printable ASCII, one `@`, a dot inside the domain; at most 254
    /// characters. Stored lowercased.
    #[oai(validator(max_length = 254, pattern = r#"^[!-?A-~]+@[!-\-/-?A-~][!-?A-~]*\.[!-?A-~]*[!-\-/-?A-~]$"#))]
    pub(crate) email: Text,
    /// 8 to 128 characters with at least one ASCII letter and one digit.
    #[oai(
        validator(
            min_length = 8,
            max_length = 128,
            pattern = r#"[A-Za-z](?:[^0-9]|[0-9])*[0-9]|[0-9](?:[^0-9]|[0-9])*[A-Za-z]"#
        ),
        write_only
    )]
    pub(crate) password: Text,
}

/// Login form.
#[derive(Debug, Clone, Object)]
pub(crate) struct LoginRequest {
    /// Email address.
    #[oai(validator(max_length = 254))]
    pub(crate) email: Text,
    /// Password.
    #[oai(validator(max_length = 1024), write_only)]
    pub(crate) password: Text,
}

/// A login session (never its token).
#[derive(Debug, Clone, Object)]
#[oai(rename = "SessionInfo", rename_all = "camelCase")]
pub(crate) struct SessionView {
    /// The id.
    pub(crate) id: Uuid,
    /// Client address at login.
    #[oai(skip_serializing_if_is_none)]
    pub(crate) ip: Option<String>,
    /// Client user agent at login.
    #[oai(skip_serializing_if_is_none)]
    pub(crate) user_agent: Option<String>,
    /// Login time.
    pub(crate) created_at: DateTime<Utc>,
    /// Expiry.
    pub(crate) expires_at: DateTime<Utc>,
}

impl From<Session> for SessionView {
    fn from(s: Session) -> Self {
        Self { id: s.id.0, ip: s.ip, user_agent: s.user_agent, created_at: s.created_at, expires_at: s.expires_at }
    }
}

/// A request for a password reset email.
#[derive(Debug, Clone, Object)]
pub(crate) struct PasswordResetRequest {
    /// The account's email address (any text of at most 254 characters is accepted and answered
    /// the same way, so the answer never tells whether an account exists).
    #[oai(validator(min_length = 1, max_length = 254))]
    pub(crate) email: Text,
}

/// What a password reset request did.
#[derive(Debug, Clone, Object)]
#[oai(rename_all = "camelCase")]
pub(crate) struct PasswordResetRequested {
    /// Whether this server sends email. `false`: no email goes out for anyone; the link of an
    /// existing account is in the server's log for its operator.
    pub(crate) email_sent: bool,
}

/// A new password, with the token of a reset email.
#[derive(Debug, Clone, Object)]
pub(crate) struct PasswordResetConfirm {
    /// The `token` of the emailed link.
    #[oai(validator(min_length = 1, max_length = 128), write_only)]
    pub(crate) token: Text,
    /// The new password: 8 to 128 characters with at least one ASCII letter and one digit.
    #[oai(
        validator(
            min_length = 8,
            max_length = 128,
            pattern = r#"[A-Za-z](?:[^0-9]|[0-9])*[0-9]|[0-9](?:[^0-9]|[0-9])*[A-Za-z]"#
        ),
        write_only
    )]
    pub(crate) password: Text,
}

/// The token of an email verification link.
#[derive(Debug, Clone, Object)]
#[oai(rename = "VerifyEmailRequest")]
pub(crate) struct VerifyEmailRequest {
    /// The `token` of the emailed link.
    #[oai(validator(min_length = 1, max_length = 128), write_only)]
    pub(crate) token: Text,
}

/// What asking for a verification email did.
#[derive(Debug, Clone, Object)]
#[oai(rename = "VerificationEmailRequested", rename_all = "camelCase")]
pub(crate) struct VerificationEmailRequested {
    /// Whether this server sends email. `false`: no email goes out; the link is in the server's
    /// log for its operator. An address already confirmed gets no new email either way.
    pub(crate) email_sent: bool,
}

/// A password change.
#[derive(Debug, Clone, Object)]
#[oai(rename_all = "camelCase")]
pub(crate) struct ChangePasswordRequest {
    /// The password in use now.
    #[oai(validator(max_length = 1024), write_only)]
    pub(crate) current_password: Text,
    /// The new password: 8 to 128 characters with at least one ASCII letter and one digit.
    #[oai(
        validator(
            min_length = 8,
            max_length = 128,
            pattern = r#"[A-Za-z](?:[^0-9]|[0-9])*[0-9]|[0-9](?:[^0-9]|[0-9])*[A-Za-z]"#
        ),
        write_only
    )]
    pub(crate) new_password: Text,
}

/// What a password change did.
#[derive(Debug, Clone, Object)]
#[oai(rename_all = "camelCase")]
pub(crate) struct PasswordChanged {
    /// How many other sessions were ended (every one but the caller's).
    pub(crate) sessions_ended: u64,
}

/// The caller's live sessions.
#[derive(Debug, Clone, Object)]
#[oai(rename_all = "camelCase", skip_serializing_if_is_none)]
pub(crate) struct SessionList {
    /// Every device logged in to the account, newest first.
    pub(crate) sessions: Vec<SessionView>,
    /// The id of the session making this request; absent when called with an API key.
    pub(crate) current_session_id: Option<Uuid>,
}

/// A successful login. The session token itself only travels in the `session` cookie.
#[derive(Debug, Clone, Object)]
#[oai(rename_all = "camelCase")]
pub(crate) struct LoginResponse {
    /// Who logged in.
    pub(crate) user: UserView,
    /// Send this back in the `X-CSRF-Token` header on every state-changing request made with
    /// the session cookie.
    pub(crate) csrf_token: String,
    /// When the session expires.
    pub(crate) expires_at: DateTime<Utc>,
}

/// Changes to the caller's own account. Fields left out stay as they are.
#[derive(Debug, Clone, Object)]
#[oai(rename_all = "camelCase")]
pub(crate) struct UpdateMeRequest {
    /// The region the caller's jobs prefer when a submission has no `regionHint` (1 to 32
    /// lowercase letters, digits and `-`, e.g. `eu`); null clears it.
    #[oai(nullable, validator(min_length = 1, max_length = 32, pattern = r#"^[a-z0-9-]{1,32}$"#))]
    pub(crate) default_region: MaybeUndefined<Text>,
}

/// The caller's account.
#[derive(Debug, Clone, Object)]
#[oai(rename_all = "camelCase", skip_serializing_if_is_none)]
pub(crate) struct MeResponse {
    /// The caller.
    pub(crate) user: UserView,
    /// The session's CSRF token when authenticated by cookie (so a reloaded page can recover
    /// it); absent for bearer callers, who need none.
    pub(crate) csrf_token: Option<String>,
}

/// An API key (never its secret).
#[derive(Debug, Clone, Object)]
#[oai(rename = "ApiKey", rename_all = "camelCase", skip_serializing_if_is_none)]
pub(crate) struct ApiKeyView {
    /// The id.
    pub(crate) id: Uuid,
    /// Label.
    pub(crate) name: String,
    /// The first characters of the secret, to recognise it.
    pub(crate) prefix: String,
    /// What it may do.
    pub(crate) scopes: Vec<ScopeDto>,
    /// The one organization it acts in: the one the caller acted in when making it (a personal
    /// organization's id is its owner's user id). It stops working when its owner leaves that
    /// organization or is removed from it.
    pub(crate) org_id: Uuid,
    /// Creation time.
    pub(crate) created_at: DateTime<Utc>,
    /// Last successful use.
    pub(crate) last_used_at: Option<DateTime<Utc>>,
    /// Expiry, if any.
    pub(crate) expires_at: Option<DateTime<Utc>>,
}

impl From<ApiKey> for ApiKeyView {
    fn from(key: ApiKey) -> Self {
        Self {
            id: key.id.0,
            name: key.name,
            prefix: key.prefix,
            scopes: key.scopes.into_iter().map(ScopeDto::from).collect(),
            org_id: key.org_id.0,
            created_at: key.created_at,
            last_used_at: key.last_used_at,
            expires_at: key.expires_at,
        }
    }
}

/// `{keys}`.
#[derive(Debug, Clone, Object)]
pub(crate) struct ApiKeyList {
    /// The caller's active keys.
    pub(crate) keys: Vec<ApiKeyView>,
}

/// A new API key.
#[derive(Debug, Clone, Object)]
#[oai(rename_all = "camelCase", skip_serializing_if_is_none)]
pub(crate) struct CreateApiKeyRequest {
    /// Label, 1 to 100 characters, no control characters, not blank (surrounding blanks are
    /// trimmed).
    #[oai(validator(
        min_length = 1,
        max_length = 100,
        pattern = r#"^[^\x00-\x1f\x7f-\x9f]*[^\x00-\x1f\x7f-\x9f \u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000][^\x00-\x1f\x7f-\x9f]*$"#
    ))]
    pub(crate) name: Text,
    /// What the key may do (at least one).
    #[oai(validator(min_items = 1))]
    pub(crate) scopes: Vec<ScopeDto>,
    /// Lifetime in days (1 to 365); no expiry when absent.
    #[oai(nullable, validator(minimum(value = "1"), maximum(value = "365")))]
    pub(crate) expires_in_days: Option<u32>,
}

/// A created key and its secret, shown this once.
#[derive(Debug, Clone, Object)]
pub(crate) struct CreatedApiKeyView {
    /// The key.
    pub(crate) key: ApiKeyView,
    /// The secret (`tsk_...`), for `Authorization: Bearer`. It cannot be shown again.
    pub(crate) secret: String,
}

impl From<CreatedApiKey> for CreatedApiKeyView {
    fn from(created: CreatedApiKey) -> Self {
        Self { key: created.key.into(), secret: created.secret }
    }
}

/// A role change.
#[derive(Debug, Clone, Object)]
pub(crate) struct SetRoleRequest {
    /// The new role.
    pub(crate) role: RoleDto,
    /// Why, 10 to 1000 characters once surrounding blanks are trimmed (kept in the audit log).
    #[oai(validator(
        min_length = 10,
        max_length = 1000,
        pattern = r#"^[\t\n\x0b\x0c\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*[^\t\n\x0b\x0c\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000](?:[^\t\n\x0b\x0c\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]|[\t\n\x0b\x0c\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]){8,}[^\t\n\x0b\x0c\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000][\t\n\x0b\x0c\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*$"#
    ))]
    pub(crate) reason: Text,
    /// A support ticket id, up to 64 printable characters, kept in the audit log beside the
    /// reason.
    #[oai(rename = "ticketId", nullable, validator(max_length = 64, pattern = r"^[^\u0000-\u001f\u007f-\u009f]*$"))]
    pub(crate) ticket_id: Option<Text>,
}
