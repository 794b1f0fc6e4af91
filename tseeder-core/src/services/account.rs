//! Accounts: registration, login, sessions, CSRF tokens, API keys and roles.
//!
//! Secrets are never stored: session tokens and API key secrets are 256-bit random values kept as
//! SHA-256 hashes (enough for high-entropy secrets), passwords are argon2id. The CSRF token is an
//! HMAC of a fixed label keyed by the session token, so it needs no storage and no server secret,
//! and cannot be computed by anyone who cannot read the HttpOnly cookie.

use std::sync::{Arc, OnceLock};

use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use chrono::{DateTime, Duration, Utc};
use serde_json::json;
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

use super::config::require_flag;
use super::mail;
use super::{Ports, RequestMeta, audit_entry};
use crate::auth::{Credential, OrgContext, Principal, hmac_sha256};
use crate::config::AuthConfig;
use crate::domain::{
    ApiKey, ApiKeyId, EmailVerification, FeatureFlag, NewUser, Page, PageRequest, PasswordReset, RegionCode, Role,
    Scope, SecurityEvent, Session, SessionId, Severity, User, UserId,
};
use crate::error::{ErrorCode, Missing, RepoError, ServiceError};

/// Prefix of every API key secret, so leaked keys are easy to recognise and scan for.
pub const API_KEY_PREFIX: &str = "tsk_";

/// The result of a successful login.
#[derive(Debug, Clone)]
pub struct LoginOutcome {
    /// Who logged in.
    pub user: User,
    /// The session token for the cookie (shown once, stored hashed).
    pub session_token: String,
    /// The CSRF token to send back in `X-CSRF-Token` on state-changing cookie requests.
    pub csrf_token: String,
    /// When the session expires.
    pub expires_at: DateTime<Utc>,
}

/// A new API key and its secret (the only time the secret is available).
#[derive(Debug, Clone)]
pub struct CreatedApiKey {
    /// The stored key.
    pub key: ApiKey,
    /// The secret, `tsk_...`.
    pub secret: String,
}

/// How stale an API key's stored `last_used_at` may be. A use within this long of the stored
/// time is kept in memory and written by [`AccountService::flush_key_uses`], which the HTTP
/// layer runs at least this often and at shutdown; a read request then writes nothing (on SQLite,
/// a write would make every reader wait for the one writer).
pub const LAST_USE_PRECISION: Duration = Duration::seconds(60);

/// Account operations.
#[derive(Debug, Clone)]
pub struct AccountService {
    ports: Ports,
    config: Arc<AuthConfig>,
    /// Uses of API keys not written yet: the latest per key.
    key_uses: Arc<std::sync::Mutex<std::collections::HashMap<ApiKeyId, DateTime<Utc>>>>,
}

/// Hex SHA-256, the stored form of tokens and key secrets.
pub fn hash_token(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// A 256-bit random token, hex: session tokens, key secrets and the tokens in emailed links.
pub(crate) fn random_token() -> String {
    hex::encode(rand::random::<[u8; 32]>())
}

/// A hash to verify against when the email is unknown, so response time does not reveal which
/// emails are registered.
fn dummy_hash() -> &'static str {
    static DUMMY: OnceLock<String> = OnceLock::new();
    DUMMY.get_or_init(|| hash_password_blocking("not a real password").unwrap_or_default())
}

fn hash_password_blocking(password: &str) -> Result<String, argon2::password_hash::Error> {
    let salt = SaltString::encode_b64(&rand::random::<[u8; 16]>())?;
    Ok(Argon2::default().hash_password(password.as_bytes(), &salt)?.to_string())
}

fn verify_password_blocking(password: &str, hash: &str) -> bool {
    PasswordHash::new(hash).is_ok_and(|parsed| Argon2::default().verify_password(password.as_bytes(), &parsed).is_ok())
}

async fn hash_password(password: String) -> Result<String, ServiceError> {
    tokio::task::spawn_blocking(move || hash_password_blocking(&password))
        .await
        .map_err(|e| ServiceError::Internal(e.into()))?
        .map_err(|e| ServiceError::Internal(e.to_string().into()))
}

async fn verify_password(password: String, hash: String) -> Result<bool, ServiceError> {
    tokio::task::spawn_blocking(move || verify_password_blocking(&password, &hash))
        .await
        .map_err(|e| ServiceError::Internal(e.into()))
}

/// Normalises and checks an email address.
pub fn normalize_email(email: &str) -> Result<String, ServiceError> {
    let email = email.trim().to_lowercase();
    let valid = email.len() <= 254
        && email.split_once('@').is_some_and(|(local, domain)| {
            !local.is_empty() && domain.contains('.') && !domain.starts_with('.') && !domain.ends_with('.')
        })
        && !email.chars().any(|c| c.is_whitespace() || c.is_control());
    if valid {
        Ok(email)
    } else {
        Err(ServiceError::invalid(ErrorCode::InvalidEmail, "that is not a valid email address"))
    }
}

/// Checks a display name (of an API key, an organization): 1 to 100 printable characters once
/// trimmed; `what` names it in the message. Returns it trimmed.
pub(crate) fn check_display_name<'a>(name: &'a str, what: &str) -> Result<&'a str, ServiceError> {
    let name = name.trim();
    if name.is_empty() || name.chars().count() > 100 || name.chars().any(char::is_control) {
        return Err(ServiceError::invalid(
            ErrorCode::InvalidName,
            format!("{what} must be 1 to 100 printable characters"),
        ));
    }
    Ok(name)
}

/// Whether `password` is the user's current password (re-authentication for sensitive
/// changes). Unknown users never match.
pub(crate) async fn password_matches(ports: &Ports, user: UserId, password: &str) -> Result<bool, ServiceError> {
    let email = match ports.accounts.get_user(user).await {
        Ok(user) => user.email,
        Err(RepoError::NotFound) => return Ok(false),
        Err(e) => return Err(e.into()),
    };
    let Some((_, hash)) = ports.accounts.find_user_by_email(&email).await? else {
        return Ok(false);
    };
    verify_password(password.to_owned(), hash).await
}

/// Checks the password policy: 8 to 128 characters with at least one letter and one digit.
pub fn check_password(password: &str) -> Result<(), ServiceError> {
    let len = password.chars().count();
    if !(8..=128).contains(&len) {
        return Err(ServiceError::invalid(ErrorCode::WeakPassword, "the password must be 8 to 128 characters long"));
    }
    if !password.chars().any(char::is_alphabetic) || !password.chars().any(|c| c.is_ascii_digit()) {
        return Err(ServiceError::invalid(
            ErrorCode::WeakPassword,
            "the password needs at least one letter and one digit",
        ));
    }
    Ok(())
}

/// The CSRF token that belongs to a session token.
pub fn csrf_token_for(session_token: &str) -> String {
    hex::encode(hmac_sha256(session_token.as_bytes(), b"tseeder csrf v1"))
}

/// Whether `presented` is the CSRF token of `session_token` (constant-time).
pub fn verify_csrf(session_token: &str, presented: &str) -> bool {
    csrf_token_for(session_token).as_bytes().ct_eq(presented.as_bytes()).into()
}

impl AccountService {
    /// Builds the service.
    pub fn new(ports: Ports, config: AuthConfig) -> Self {
        Self { ports, config: Arc::new(config), key_uses: Arc::default() }
    }

    fn pending_uses(&self) -> std::sync::MutexGuard<'_, std::collections::HashMap<ApiKeyId, DateTime<Utc>>> {
        self.key_uses.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Records that `key` was used at `now`: written at once when the stored time is older than
    /// [`LAST_USE_PRECISION`] (or absent, or in the future), else kept for the next
    /// [`AccountService::flush_key_uses`].
    async fn note_key_use(&self, key: &ApiKey, now: DateTime<Utc>) -> Result<(), RepoError> {
        let recent = key.last_used_at.is_some_and(|at| at <= now && now - at < LAST_USE_PRECISION);
        if recent {
            self.pending_uses().insert(key.id, now);
            Ok(())
        } else {
            self.pending_uses().remove(&key.id);
            self.ports.accounts.touch_api_key(key.id, now).await
        }
    }

    /// Writes the key uses kept in memory (each key's latest) and returns how many. A write that
    /// fails is kept for the next flush unless a newer use replaced it meanwhile.
    pub async fn flush_key_uses(&self) -> usize {
        let pending: Vec<(ApiKeyId, DateTime<Utc>)> = self.pending_uses().drain().collect();
        let mut written = 0;
        for (id, at) in pending {
            match self.ports.accounts.touch_api_key(id, at).await {
                Ok(()) => written += 1,
                // A key deleted meanwhile has nothing to record.
                Err(RepoError::NotFound) => {}
                Err(e) => {
                    tracing::warn!(key = %id, error = %e, "could not record an API key's last use; kept for the next flush");
                    self.pending_uses().entry(id).or_insert(at);
                }
            }
        }
        written
    }

    fn now(&self) -> DateTime<Utc> {
        self.ports.clock.now()
    }

    /// Registers a user on the free plan. Refused (403) when registration is closed, by the
    /// `auth.registration_open` setting or the `registration_open` flag
    /// (`registration_closed`), or when the `free_plan_active` flag is off
    /// (`free_plan_inactive`).
    pub async fn register(&self, email: &str, password: &str, meta: &RequestMeta) -> Result<User, ServiceError> {
        if !self.config.registration_open {
            return Err(ServiceError::forbidden(
                ErrorCode::RegistrationClosed,
                "registration is closed on this server",
            ));
        }
        require_flag(
            &self.ports,
            FeatureFlag::RegistrationOpen,
            ErrorCode::RegistrationClosed,
            "registration is closed on this server",
        )
        .await?;
        require_flag(
            &self.ports,
            FeatureFlag::FreePlanActive,
            ErrorCode::FreePlanInactive,
            "the free plan takes no new accounts at the moment",
        )
        .await?;
        let user = self.insert_user(email, password, Role::User, false).await?;
        self.ports
            .audit
            .record(&audit_entry(
                &self.ports,
                Some(user.id),
                "user.created",
                "user",
                Some(user.id.to_string()),
                json!({}),
                meta,
            ))
            .await?;
        self.send_verification(&user).await?;
        Ok(user)
    }

    /// Creates a user with any role, without a principal: for the operator CLI and embedders.
    /// The operator vouches for the address, so it counts as verified.
    pub async fn create_user(&self, email: &str, password: &str, role: Role) -> Result<User, ServiceError> {
        self.insert_user(email, password, role, true).await
    }

    async fn insert_user(
        &self,
        email: &str,
        password: &str,
        role: Role,
        email_verified: bool,
    ) -> Result<User, ServiceError> {
        let email = normalize_email(email)?;
        check_password(password)?;
        let password_hash = hash_password(password.to_owned()).await?;
        let new = NewUser {
            id: UserId::new(),
            email,
            password_hash,
            role,
            plan_id: "free".into(),
            email_verified,
            created_at: self.now(),
        };
        match self.ports.accounts.insert_user(&new).await {
            Err(RepoError::Conflict(_)) => {
                Err(ServiceError::conflict(ErrorCode::EmailTaken, "an account with this email already exists"))
            }
            other => Ok(other?),
        }
    }

    /// Checks a password and opens a session.
    pub async fn login(&self, email: &str, password: &str, meta: &RequestMeta) -> Result<LoginOutcome, ServiceError> {
        let email = email.trim().to_lowercase();
        let found = self.ports.accounts.find_user_by_email(&email).await?;
        let hash = found.as_ref().map_or_else(|| dummy_hash().to_owned(), |(_, h)| h.clone());
        let ok = verify_password(password.to_owned(), hash).await?;
        let user = match found {
            Some((user, _)) if ok => user,
            _ => {
                self.security_event("auth.login_failed", Severity::Info, None, meta, json!({ "email": email })).await?;
                return Err(ServiceError::BadCredentials);
            }
        };
        if user.suspended {
            return Err(ServiceError::forbidden(ErrorCode::AccountSuspended, "this account is suspended"));
        }
        let token = random_token();
        let now = self.now();
        let expires_at = now + Duration::days(i64::from(self.config.session_days));
        let session = Session {
            id: SessionId::new(),
            user_id: user.id,
            token_hash: hash_token(&token),
            ip: meta.ip.clone(),
            user_agent: meta.user_agent.clone(),
            created_at: now,
            expires_at,
        };
        self.ports.accounts.insert_session(&session).await?;
        self.ports
            .audit
            .record(&audit_entry(
                &self.ports,
                Some(user.id),
                "user.login",
                "user",
                Some(user.id.to_string()),
                json!({}),
                meta,
            ))
            .await?;
        Ok(LoginOutcome { csrf_token: csrf_token_for(&token), session_token: token, user, expires_at })
    }

    /// Ends the caller's session. API keys are revoked separately.
    pub async fn logout(&self, principal: &Principal) -> Result<(), ServiceError> {
        let id = principal.require_session()?;
        self.ports.accounts.delete_session(id).await?;
        Ok(())
    }

    /// Resolves a session token (from the cookie or a bearer header) to a principal.
    pub async fn authenticate_session(&self, token: &str) -> Result<Principal, ServiceError> {
        let (session, user) = self
            .ports
            .accounts
            .find_session(&hash_token(token), self.now())
            .await?
            .ok_or(ServiceError::Unauthenticated)?;
        if user.suspended {
            return Err(ServiceError::forbidden(ErrorCode::AccountSuspended, "this account is suspended"));
        }
        Ok(Principal::new(&user, Credential::Session(session.id)))
    }

    /// Resolves an API key secret to a principal with the key's scopes.
    pub async fn authenticate_api_key(&self, secret: &str) -> Result<Principal, ServiceError> {
        let now = self.now();
        let (key, user) =
            self.ports.accounts.find_api_key(&hash_token(secret)).await?.ok_or(ServiceError::Unauthenticated)?;
        let expired = key.expires_at.is_some_and(|at| at <= now);
        if key.revoked_at.is_some() || expired {
            return Err(ServiceError::Unauthenticated);
        }
        if user.suspended {
            return Err(ServiceError::forbidden(ErrorCode::AccountSuspended, "this account is suspended"));
        }
        // A key works in the one organization it was made in, while its owner belongs there.
        let org = if key.org_id == OrgContext::personal(user.id).id {
            OrgContext::personal(user.id)
        } else {
            let role = self.ports.orgs.membership(key.org_id, user.id).await?.ok_or(ServiceError::Unauthenticated)?;
            OrgContext { id: key.org_id, role }
        };
        self.note_key_use(&key, now).await?;
        Ok(Principal { org, ..Principal::new(&user, Credential::ApiKey { id: key.id, scopes: key.scopes }) })
    }

    /// Authenticates a bearer credential: an API key (`tsk_...`) or a session token.
    pub async fn authenticate_bearer(&self, token: &str) -> Result<Principal, ServiceError> {
        if token.starts_with(API_KEY_PREFIX) {
            self.authenticate_api_key(token).await
        } else {
            self.authenticate_session(token).await
        }
    }

    /// The caller's account.
    pub async fn me(&self, principal: &Principal) -> Result<User, ServiceError> {
        principal.require_scope(Scope::AccountRead)?;
        Ok(self.ports.accounts.get_user(principal.user_id).await?)
    }

    /// Sets (`Some`) or clears (`None`) the caller's default region: the region hint their jobs
    /// get when a submission names none. Only ever changes the caller's own account. An API key
    /// needs `account:read` (it gets the profile back) and `jobs:write` (the setting only steers
    /// job submissions, which that scope controls). A malformed region is `invalid_region`.
    pub async fn set_default_region(
        &self,
        principal: &Principal,
        region: Option<&str>,
        meta: &RequestMeta,
    ) -> Result<User, ServiceError> {
        principal.require_scope(Scope::AccountRead)?;
        principal.require_scope(Scope::JobsWrite)?;
        let region = region
            .map(|r| {
                RegionCode::parse(r)
                    .map_err(|e| ServiceError::invalid(ErrorCode::InvalidRegion, format!("defaultRegion: {e}")))
            })
            .transpose()?;
        self.ports.accounts.set_user_default_region(principal.user_id, region.as_ref()).await?;
        self.ports
            .audit
            .record(&audit_entry(
                &self.ports,
                Some(principal.user_id),
                "user.default_region_changed",
                "user",
                Some(principal.user_id.to_string()),
                json!({ "to": region }),
                meta,
            ))
            .await?;
        Ok(self.ports.accounts.get_user(principal.user_id).await?)
    }

    /// Creates an API key for the caller (sessions only: a key cannot mint keys), bound to the
    /// organization the caller acts in: the key works there only, and stops working when its
    /// owner leaves or is removed.
    pub async fn create_api_key(
        &self,
        principal: &Principal,
        name: &str,
        scopes: Vec<Scope>,
        expires_in_days: Option<u32>,
        meta: &RequestMeta,
    ) -> Result<CreatedApiKey, ServiceError> {
        principal.require_session()?;
        let name = check_display_name(name, "the key name")?;
        if scopes.is_empty() {
            return Err(ServiceError::invalid(ErrorCode::InvalidScopes, "give the key at least one scope"));
        }
        if scopes.contains(&Scope::Admin) && principal.role < Role::Support {
            return Err(ServiceError::forbidden(
                ErrorCode::InsufficientRole,
                "only staff can create keys with the admin scope",
            ));
        }
        if let Some(days) = expires_in_days
            && !(1..=365).contains(&days)
        {
            return Err(ServiceError::invalid(ErrorCode::InvalidExpiry, "expiresInDays must be between 1 and 365"));
        }
        let existing = self.ports.accounts.list_api_keys(principal.user_id).await?;
        if existing.len() >= self.config.max_api_keys as usize {
            return Err(ServiceError::conflict(
                ErrorCode::TooManyApiKeys,
                format!("at most {} active API keys; revoke one first", self.config.max_api_keys),
            ));
        }
        let now = self.now();
        let secret = format!("{API_KEY_PREFIX}{}", random_token());
        let mut scopes = scopes;
        scopes.sort();
        scopes.dedup();
        let key = ApiKey {
            id: ApiKeyId::new(),
            user_id: principal.user_id,
            org_id: principal.org.id,
            name: name.to_owned(),
            prefix: secret.chars().take(12).collect(),
            key_hash: hash_token(&secret),
            scopes,
            created_at: now,
            last_used_at: None,
            expires_at: expires_in_days.map(|d| now + Duration::days(i64::from(d))),
            revoked_at: None,
        };
        self.ports.accounts.insert_api_key(&key).await?;
        self.ports
            .audit
            .record(&audit_entry(
                &self.ports,
                Some(principal.user_id),
                "api_key.created",
                "api_key",
                Some(key.id.to_string()),
                json!({ "name": key.name, "scopes": key.scopes }),
                meta,
            ))
            .await?;
        Ok(CreatedApiKey { key, secret })
    }

    /// The caller's active keys.
    pub async fn list_api_keys(&self, principal: &Principal) -> Result<Vec<ApiKey>, ServiceError> {
        principal.require_scope(Scope::AccountRead)?;
        Ok(self.ports.accounts.list_api_keys(principal.user_id).await?)
    }

    /// Revokes one of the caller's keys.
    pub async fn revoke_api_key(
        &self,
        principal: &Principal,
        id: ApiKeyId,
        meta: &RequestMeta,
    ) -> Result<(), ServiceError> {
        principal.require_session()?;
        match self.ports.accounts.revoke_api_key(principal.user_id, id, self.now()).await {
            Err(RepoError::NotFound) => return Err(ServiceError::NotFound { what: Missing::ApiKey }),
            other => other?,
        }
        self.ports
            .audit
            .record(&audit_entry(
                &self.ports,
                Some(principal.user_id),
                "api_key.revoked",
                "api_key",
                Some(id.to_string()),
                json!({}),
                meta,
            ))
            .await?;
        Ok(())
    }

    /// The caller's live sessions (every device logged in), newest first. API keys need
    /// `account:read`.
    pub async fn list_sessions(&self, principal: &Principal) -> Result<Vec<Session>, ServiceError> {
        principal.require_scope(Scope::AccountRead)?;
        Ok(self.ports.accounts.list_sessions(principal.user_id, self.now()).await?)
    }

    /// Ends one of the caller's sessions (log a device out); the caller's own session may be
    /// named too, which is a logout. Sessions only: a key cannot end sessions. Another user's
    /// session is `session_not_found`, as is an unknown one.
    pub async fn revoke_session(
        &self,
        principal: &Principal,
        id: SessionId,
        meta: &RequestMeta,
    ) -> Result<(), ServiceError> {
        principal.require_session()?;
        match self.ports.accounts.delete_user_session(principal.user_id, id).await {
            Err(RepoError::NotFound) => return Err(ServiceError::NotFound { what: Missing::Session }),
            other => other?,
        }
        self.ports
            .audit
            .record(&audit_entry(
                &self.ports,
                Some(principal.user_id),
                "session.revoked",
                "session",
                Some(id.to_string()),
                json!({}),
                meta,
            ))
            .await?;
        Ok(())
    }

    /// Changes the caller's password after checking the current one, and ends every other
    /// session of theirs (the one making the change stays). Returns how many sessions ended.
    /// Sessions only. A wrong current password is `wrong_password` (and a security event); a
    /// weak new one is `weak_password`. API keys keep working: they are revoked on their own.
    pub async fn change_password(
        &self,
        principal: &Principal,
        current: &str,
        new: &str,
        meta: &RequestMeta,
    ) -> Result<u64, ServiceError> {
        let session = principal.require_session()?;
        let user = self.ports.accounts.get_user(principal.user_id).await?;
        let (_, hash) = self.ports.accounts.find_user_by_email(&user.email).await?.ok_or(RepoError::NotFound)?;
        if !verify_password(current.to_owned(), hash).await? {
            self.security_event("auth.password_change_failed", Severity::Warn, Some(user.id), meta, json!({})).await?;
            return Err(ServiceError::forbidden(ErrorCode::WrongPassword, "the current password is wrong"));
        }
        check_password(new)?;
        let hash = hash_password(new.to_owned()).await?;
        let ended = self.ports.accounts.set_password_hash(user.id, &hash, Some(session)).await?;
        self.ports
            .audit
            .record(&audit_entry(
                &self.ports,
                Some(user.id),
                "user.password_changed",
                "user",
                Some(user.id.to_string()),
                json!({ "sessionsEnded": ended }),
                meta,
            ))
            .await?;
        Ok(ended)
    }

    /// Starts a password reset for the account of `email`: when one exists and is not
    /// suspended, a single-use token valid for `auth.password_reset_minutes` is stored (its hash
    /// only) and emailed as a link to `<auth.public_url>/reset?token=…`, and the request is
    /// audited. The answer is the same whether or not the account exists (so it cannot be used
    /// to find accounts), and the email goes out in the background so the time taken does not
    /// tell either. Returns whether this installation sends email at all.
    pub async fn request_password_reset(&self, email: &str, meta: &RequestMeta) -> Result<bool, ServiceError> {
        let email = normalize_email(email)?;
        let delivers = self.ports.mailer.delivers();
        let Some((user, _)) = self.ports.accounts.find_user_by_email(&email).await? else {
            return Ok(delivers);
        };
        if user.suspended {
            return Ok(delivers);
        }
        let token = random_token();
        let now = self.ports.clock.now();
        let minutes = i64::from(self.config.password_reset_minutes.max(1));
        let reset = PasswordReset {
            token_hash: hash_token(&token),
            user_id: user.id,
            created_at: now,
            expires_at: now + Duration::minutes(minutes),
        };
        self.ports.accounts.insert_password_reset(&reset).await?;
        self.ports
            .audit
            .record(&audit_entry(
                &self.ports,
                Some(user.id),
                "user.password_reset_requested",
                "user",
                Some(user.id.to_string()),
                json!({}),
                meta,
            ))
            .await?;
        let link = mail::link(&self.config.public_url, "/reset", &token);
        let message = mail::password_reset(&user.email, &link, minutes);
        let mailer = Arc::clone(&self.ports.mailer);
        tokio::spawn(async move {
            if let Err(error) = mailer.send(&message).await {
                tracing::warn!(%error, "the password reset email was not sent");
            }
        });
        Ok(delivers)
    }

    /// Sets a new password with the token of a reset email: the token must be unused and
    /// unexpired (`invalid_reset_token` otherwise), the password must meet the policy
    /// (`weak_password`). Every session of the account ends and every other reset link of it
    /// stops working; audited as `user.password_reset`.
    pub async fn reset_password(&self, token: &str, new: &str, meta: &RequestMeta) -> Result<(), ServiceError> {
        check_password(new)?;
        let hash = hash_password(new.to_owned()).await?;
        let now = self.ports.clock.now();
        let (user, ended) = match self.ports.accounts.reset_password(&hash_token(token.trim()), &hash, now).await {
            Err(RepoError::NotFound) => {
                return Err(ServiceError::invalid(
                    ErrorCode::InvalidResetToken,
                    "this reset link is unknown, already used or expired: ask for a new one",
                ));
            }
            other => other?,
        };
        self.ports
            .audit
            .record(&audit_entry(
                &self.ports,
                Some(user),
                "user.password_reset",
                "user",
                Some(user.to_string()),
                json!({ "sessionsEnded": ended }),
                meta,
            ))
            .await?;
        Ok(())
    }

    /// Sends the caller a new link to verify their email address (sessions only); returns
    /// whether this installation sends email. Nothing is sent when the address is already
    /// verified.
    pub async fn request_email_verification(&self, principal: &Principal) -> Result<bool, ServiceError> {
        principal.require_session()?;
        let user = self.ports.accounts.get_user(principal.user_id).await?;
        if user.email_verified_at.is_none() {
            self.send_verification(&user).await?;
        }
        Ok(self.ports.mailer.delivers())
    }

    /// Verifies an email address with the token of a verification email: unused, unexpired,
    /// and for the address the account still has (`invalid_verification_token` otherwise).
    /// Audited as `user.email_verified`.
    pub async fn verify_email(&self, token: &str, meta: &RequestMeta) -> Result<User, ServiceError> {
        let user = match self.ports.accounts.verify_email(&hash_token(token.trim()), self.now()).await {
            Err(RepoError::NotFound) => {
                return Err(ServiceError::invalid(
                    ErrorCode::InvalidVerificationToken,
                    "this confirmation link is unknown, already used or expired: ask for a new one",
                ));
            }
            other => other?,
        };
        self.ports
            .audit
            .record(&audit_entry(
                &self.ports,
                Some(user),
                "user.email_verified",
                "user",
                Some(user.to_string()),
                json!({}),
                meta,
            ))
            .await?;
        Ok(self.ports.accounts.get_user(user).await?)
    }

    /// Stores a verification token for the user's current address and emails its link in the
    /// background.
    async fn send_verification(&self, user: &User) -> Result<(), ServiceError> {
        let token = random_token();
        let now = self.now();
        let hours = i64::from(self.config.email_verification_hours.max(1));
        let verification = EmailVerification {
            token_hash: hash_token(&token),
            user_id: user.id,
            email: user.email.clone(),
            created_at: now,
            expires_at: now + Duration::hours(hours),
        };
        self.ports.accounts.insert_email_verification(&verification).await?;
        let link = mail::link(&self.config.public_url, "/verify", &token);
        let message = mail::verify_email(&user.email, &link, hours);
        let mailer = Arc::clone(&self.ports.mailer);
        tokio::spawn(async move {
            if let Err(error) = mailer.send(&message).await {
                tracing::warn!(%error, "the verification email was not sent");
            }
        });
        Ok(())
    }

    /// Lists users (support and above).
    pub async fn list_users(
        &self,
        principal: &Principal,
        email_contains: Option<&str>,
        page: PageRequest,
    ) -> Result<Page<User>, ServiceError> {
        principal.require_staff(Role::Support)?;
        if !email_contains.is_none_or(super::can_match) {
            return Ok(Page { items: Vec::new(), page: page.page, limit: page.limit, total: 0 });
        }
        Ok(self.ports.accounts.list_users(email_contains, page).await?)
    }

    /// One user's account (support and above).
    pub async fn user(&self, principal: &Principal, id: UserId) -> Result<User, ServiceError> {
        principal.require_staff(Role::Support)?;
        match self.ports.accounts.get_user(id).await {
            Err(RepoError::NotFound) => Err(ServiceError::NotFound { what: Missing::User }),
            other => Ok(other?),
        }
    }

    /// Changes a user's role. Admins may grant up to admin on non-superadmin accounts; only a
    /// superadmin may grant superadmin or change a superadmin. Nobody changes their own role.
    /// The reason and the optional support ticket id go into the `user.role_changed` audit
    /// entry.
    pub async fn set_role(
        &self,
        principal: &Principal,
        target: UserId,
        role: Role,
        reason: &str,
        ticket: Option<&str>,
        meta: &RequestMeta,
    ) -> Result<User, ServiceError> {
        principal.require_staff(Role::Admin)?;
        let reason = require_reason(reason)?;
        let ticket = check_ticket(ticket)?;
        if target == principal.user_id {
            return Err(ServiceError::forbidden(ErrorCode::OwnRole, "you cannot change your own role"));
        }
        let user = match self.ports.accounts.get_user(target).await {
            Err(RepoError::NotFound) => return Err(ServiceError::NotFound { what: Missing::User }),
            other => other?,
        };
        if (role == Role::Superadmin || user.role == Role::Superadmin) && principal.role < Role::Superadmin {
            return Err(ServiceError::forbidden(
                ErrorCode::InsufficientRole,
                "only a superadmin can grant or change the superadmin role",
            ));
        }
        self.ports.accounts.set_user_role(target, role).await?;
        self.ports
            .audit
            .record(&audit_entry(
                &self.ports,
                Some(principal.user_id),
                "user.role_changed",
                "user",
                Some(target.to_string()),
                justified(json!({ "from": user.role, "to": role }), reason, ticket),
                meta,
            ))
            .await?;
        Ok(User { role, ..user })
    }

    async fn security_event(
        &self,
        kind: &str,
        severity: Severity,
        actor: Option<UserId>,
        meta: &RequestMeta,
        payload: serde_json::Value,
    ) -> Result<(), ServiceError> {
        let event = SecurityEvent {
            kind: kind.into(),
            severity,
            actor_id: actor,
            ip: meta.ip.clone(),
            payload,
            created_at: self.now(),
        };
        Ok(self.ports.audit.record_security_event(&event).await?)
    }
}

/// Admin mutations carry a reason of at least 10 characters, kept in the audit log.
pub(crate) fn require_reason(reason: &str) -> Result<&str, ServiceError> {
    let reason = reason.trim();
    if reason.chars().count() < 10 || reason.chars().count() > 1000 {
        return Err(ServiceError::invalid(ErrorCode::ReasonRequired, "give a reason of 10 to 1000 characters"));
    }
    Ok(reason)
}

/// An admin mutation may name a support ticket (up to 64 printable characters), kept in the
/// audit log beside the reason. Blank means none.
pub(crate) fn check_ticket(ticket: Option<&str>) -> Result<Option<&str>, ServiceError> {
    let ticket = ticket.map(str::trim).filter(|t| !t.is_empty());
    if let Some(ticket) = ticket
        && (ticket.chars().count() > 64 || ticket.chars().any(char::is_control))
    {
        return Err(ServiceError::invalid(ErrorCode::InvalidTicket, "a ticket id is at most 64 printable characters"));
    }
    Ok(ticket)
}

/// The audit metadata of an admin mutation: `fields`, plus `reason` and, when given,
/// `ticketId`.
pub(crate) fn justified(fields: serde_json::Value, reason: &str, ticket: Option<&str>) -> serde_json::Value {
    let mut map = match fields {
        serde_json::Value::Object(map) => map,
        serde_json::Value::Null => serde_json::Map::new(),
        other => serde_json::Map::from_iter([("details".to_owned(), other)]),
    };
    map.insert("reason".into(), reason.into());
    if let Some(ticket) = ticket {
        map.insert("ticketId".into(), ticket.into());
    }
    serde_json::Value::Object(map)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csrf_tokens_belong_to_one_session() {
        let t = csrf_token_for("session-a");
        assert!(verify_csrf("session-a", &t));
        assert!(!verify_csrf("session-b", &t));
        assert!(!verify_csrf("session-a", ""));
    }

    #[test]
    fn password_policy() {
        assert!(check_password("abcdefg1").is_ok());
        assert_eq!(check_password("short1").unwrap_err().code().as_str(), "weak_password");
        assert_eq!(check_password("nodigitshere").unwrap_err().code().as_str(), "weak_password");
        assert_eq!(check_password(&"a1".repeat(65)).unwrap_err().code().as_str(), "weak_password");
    }

    #[test]
    fn emails_are_lowercased_and_checked() {
        assert_eq!(normalize_email("  Bob@Example.COM ").unwrap(), "bob@example.com");
        for bad in ["", "bob", "bob@", "@x.com", "bob@localhost", "a b@x.com"] {
            assert!(normalize_email(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn passwords_hash_with_argon2id_and_verify() {
        let h = hash_password_blocking("abcdefg1").unwrap();
        assert!(h.starts_with("$argon2id$"));
        assert!(verify_password_blocking("abcdefg1", &h));
        assert!(!verify_password_blocking("abcdefg2", &h));
    }
}
