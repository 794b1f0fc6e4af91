//! Users, sessions and API keys.

use std::fmt::Debug;

use async_trait::async_trait;
use chrono::{DateTime, Utc};

use crate::domain::{
    ApiKey, ApiKeyId, EmailVerification, NewUser, Page, PageRequest, PasswordReset, RegionCode, Role, Session,
    SessionId, User, UserId,
};
use crate::error::RepoError;

/// Persistent store of accounts.
///
/// # Contract
/// - `insert_user` stores the user, assigns `NewUser::plan_id` (starting at `created_at`) and
///   creates the user's personal organization (see [`OrgRepository`](crate::ports::OrgRepository))
///   in one transaction; a duplicate email (case-insensitive; emails arrive lowercased) fails
///   with [`RepoError::Conflict`]. `email_verified_at` is `created_at` when
///   `NewUser::email_verified`, else `None`.
/// - `get_user` fails with [`RepoError::NotFound`] for unknown ids, as do `set_user_role` and
///   `set_user_default_region`.
/// - New users have no default region; `set_user_default_region(id, None)` clears it.
/// - `find_session` returns only sessions whose `expires_at` is after `now`.
/// - `find_api_key` returns the key whatever its state (revoked, expired): the caller decides.
/// - `revoke_api_key` fails with `NotFound` when the key is not the user's or already revoked.
/// - `list_api_keys` returns the user's keys that are not revoked, newest first.
/// - `set_user_suspended(id, true)` marks the user suspended and deletes every session of theirs
///   in one transaction, returning how many were deleted; `false` lifts it and deletes nothing.
///   Unknown users fail with `NotFound`.
/// - `delete_user_sessions` deletes every session of the user and returns how many (0 for an
///   unknown user).
/// - `list_sessions` returns the user's sessions that expire after `now`, newest first.
/// - `delete_user_session(user, id)` deletes the session only when it is the user's, and fails
///   with `NotFound` otherwise (another user's session is never touched).
/// - `set_password_hash(id, hash, keep)` stores the new hash and deletes every session of the
///   user except `keep` in one transaction, returning how many were deleted; afterwards
///   `find_user_by_email` returns the new hash. Unknown users fail with `NotFound`.
/// - `insert_password_reset` stores a reset (only the token's hash); a user may hold several.
/// - `reset_password(token_hash, hash, now)` in one transaction: takes the reset with that hash
///   when it is unused and expires after `now`, marks it and every other unused reset of its user
///   used, stores the new password hash and deletes every session of the user; returns the user
///   and how many sessions ended. `NotFound` (and nothing changes) when no such reset exists:
///   unknown, already used, or expired.
/// - `insert_email_verification` stores a verification (only the token's hash).
/// - `verify_email(token_hash, now)` in one transaction: takes the unused verification with that
///   hash that expires after `now` and whose email is still the user's, sets the user's
///   `email_verified_at` to `now` (unless already set), and marks it and every other unused
///   verification of the user used; returns the user. `NotFound` (and nothing changes)
///   otherwise.
#[async_trait]
pub trait AccountRepository: Send + Sync + Debug {
    /// Creates a user and their first plan assignment.
    async fn insert_user(&self, user: &NewUser) -> Result<User, RepoError>;
    /// Loads a user.
    async fn get_user(&self, id: UserId) -> Result<User, RepoError>;
    /// Finds a user and their password hash by (lowercased) email.
    async fn find_user_by_email(&self, email: &str) -> Result<Option<(User, String)>, RepoError>;
    /// Lists users, optionally filtered by an email substring, oldest first.
    async fn list_users(&self, email_contains: Option<&str>, page: PageRequest) -> Result<Page<User>, RepoError>;
    /// Changes a user's role.
    async fn set_user_role(&self, id: UserId, role: Role) -> Result<(), RepoError>;
    /// Sets (or, with `None`, clears) the region the user's jobs prefer by default.
    async fn set_user_default_region(&self, id: UserId, region: Option<&RegionCode>) -> Result<(), RepoError>;
    /// Suspends (deleting every session) or reinstates a user; returns the sessions deleted.
    async fn set_user_suspended(&self, id: UserId, suspended: bool) -> Result<u64, RepoError>;
    /// Deletes every session of the user; returns how many.
    async fn delete_user_sessions(&self, id: UserId) -> Result<u64, RepoError>;
    /// The user's live sessions, newest first.
    async fn list_sessions(&self, user: UserId, now: DateTime<Utc>) -> Result<Vec<Session>, RepoError>;
    /// Deletes one of the user's sessions (revoking a device).
    async fn delete_user_session(&self, user: UserId, id: SessionId) -> Result<(), RepoError>;
    /// Replaces the user's password hash and ends their other sessions; returns how many ended.
    async fn set_password_hash(
        &self,
        id: UserId,
        password_hash: &str,
        keep: Option<SessionId>,
    ) -> Result<u64, RepoError>;
    /// Stores a password reset.
    async fn insert_password_reset(&self, reset: &PasswordReset) -> Result<(), RepoError>;
    /// Uses a password reset: the new hash, every session ended, the user's resets spent.
    async fn reset_password(
        &self,
        token_hash: &str,
        password_hash: &str,
        now: DateTime<Utc>,
    ) -> Result<(UserId, u64), RepoError>;
    /// Stores an email verification.
    async fn insert_email_verification(&self, verification: &EmailVerification) -> Result<(), RepoError>;
    /// Uses an email verification: the user's address becomes verified.
    async fn verify_email(&self, token_hash: &str, now: DateTime<Utc>) -> Result<UserId, RepoError>;
    /// Stores a new session.
    async fn insert_session(&self, session: &Session) -> Result<(), RepoError>;
    /// Finds a live session by token hash, with its user.
    async fn find_session(&self, token_hash: &str, now: DateTime<Utc>) -> Result<Option<(Session, User)>, RepoError>;
    /// Deletes one session (logout). Deleting a missing session is not an error.
    async fn delete_session(&self, id: SessionId) -> Result<(), RepoError>;
    /// Stores a new API key.
    async fn insert_api_key(&self, key: &ApiKey) -> Result<(), RepoError>;
    /// The user's keys that are not revoked.
    async fn list_api_keys(&self, user: UserId) -> Result<Vec<ApiKey>, RepoError>;
    /// Revokes one of the user's keys.
    async fn revoke_api_key(&self, user: UserId, id: ApiKeyId, now: DateTime<Utc>) -> Result<(), RepoError>;
    /// Finds a key by the hash of its secret, with its owner.
    async fn find_api_key(&self, key_hash: &str) -> Result<Option<(ApiKey, User)>, RepoError>;
    /// Records a successful use of a key at `now`, unless a later use is stored already (the
    /// stored time never moves back, so a late write of an older use changes nothing);
    /// `NotFound` for an unknown key.
    async fn touch_api_key(&self, id: ApiKeyId, now: DateTime<Utc>) -> Result<(), RepoError>;
}
