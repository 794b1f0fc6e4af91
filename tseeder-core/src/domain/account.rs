//! Users, roles, sessions and API keys.

use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::{ApiKeyId, OrgId, RegionCode, SessionId, UserId};

/// A user's role. Ordered: `User < Support < Admin < Superadmin`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// A customer.
    User,
    /// Support staff: read access to admin views.
    Support,
    /// Operator: manages users, jobs and the fleet.
    Admin,
    /// Full control, including granting admin roles.
    Superadmin,
}

impl Role {
    /// Every role, lowest first.
    pub const ALL: [Role; 4] = [Self::User, Self::Support, Self::Admin, Self::Superadmin];

    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::User => "user",
            Self::Support => "support",
            Self::Admin => "admin",
            Self::Superadmin => "superadmin",
        }
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Role {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::ALL.into_iter().find(|r| r.as_str() == s).ok_or_else(|| format!("unknown role {s:?}"))
    }
}

/// A user account (never carries the password hash).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct User {
    /// The id.
    pub id: UserId,
    /// Lowercased email address.
    pub email: String,
    /// Role.
    pub role: Role,
    /// Suspended users cannot log in or use keys.
    pub suspended: bool,
    /// The region the user's jobs prefer when a submission names none (`None`: any region).
    pub default_region: Option<RegionCode>,
    /// When the user proved they read mail at `email` (`None`: not yet). Accepting an
    /// organization's invite needs it.
    pub email_verified_at: Option<DateTime<Utc>>,
    /// Registration time.
    pub created_at: DateTime<Utc>,
}

/// A user to create.
#[derive(Debug, Clone)]
pub struct NewUser {
    /// The id.
    pub id: UserId,
    /// Lowercased email.
    pub email: String,
    /// argon2id PHC string.
    pub password_hash: String,
    /// Role.
    pub role: Role,
    /// The plan assigned at registration.
    pub plan_id: String,
    /// Whether the email counts as verified from the start (accounts an operator creates);
    /// `email_verified_at` is then `created_at`.
    pub email_verified: bool,
    /// Creation time.
    pub created_at: DateTime<Utc>,
}

/// A password reset asked for by email. The token itself is only in the email's link; the
/// database keeps its SHA-256.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PasswordReset {
    /// Hex SHA-256 of the token.
    pub token_hash: String,
    /// Whose password it resets.
    pub user_id: UserId,
    /// When it was asked for.
    pub created_at: DateTime<Utc>,
    /// When it stops working.
    pub expires_at: DateTime<Utc>,
}

/// A login session. The token itself is never stored, only its SHA-256.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Session {
    /// The id.
    pub id: SessionId,
    /// Whose session.
    pub user_id: UserId,
    /// Hex SHA-256 of the token.
    pub token_hash: String,
    /// Client IP at login.
    pub ip: Option<String>,
    /// Client user agent at login.
    pub user_agent: Option<String>,
    /// Creation time.
    pub created_at: DateTime<Utc>,
    /// Expiry.
    pub expires_at: DateTime<Utc>,
}

/// What an API key may do. Sessions may do everything their role allows; keys only what their
/// scopes name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Scope {
    /// Read jobs, files, plans and usage.
    #[serde(rename = "jobs:read")]
    JobsRead,
    /// Submit and control jobs.
    #[serde(rename = "jobs:write")]
    JobsWrite,
    /// Read the account (`/auth/me`).
    #[serde(rename = "account:read")]
    AccountRead,
    /// Use admin endpoints, within the owner's role.
    #[serde(rename = "admin")]
    Admin,
}

impl Scope {
    /// Every scope.
    pub const ALL: [Scope; 4] = [Self::JobsRead, Self::JobsWrite, Self::AccountRead, Self::Admin];

    /// The stored and API name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::JobsRead => "jobs:read",
            Self::JobsWrite => "jobs:write",
            Self::AccountRead => "account:read",
            Self::Admin => "admin",
        }
    }
}

impl fmt::Display for Scope {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Scope {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::ALL.into_iter().find(|x| x.as_str() == s).ok_or_else(|| format!("unknown scope {s:?}"))
    }
}

/// An API key. The secret is shown once at creation; only its SHA-256 is stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiKey {
    /// The id.
    pub id: ApiKeyId,
    /// Owner.
    pub user_id: UserId,
    /// The one organization the key acts in (its owner's personal one for keys made before
    /// organizations).
    pub org_id: OrgId,
    /// Label.
    pub name: String,
    /// The first characters of the secret, for recognising it in lists.
    pub prefix: String,
    /// Hex SHA-256 of the secret.
    pub key_hash: String,
    /// What it may do.
    pub scopes: Vec<Scope>,
    /// Creation time.
    pub created_at: DateTime<Utc>,
    /// Last successful authentication.
    pub last_used_at: Option<DateTime<Utc>>,
    /// Expiry, if any.
    pub expires_at: Option<DateTime<Utc>>,
    /// Revocation time, if revoked.
    pub revoked_at: Option<DateTime<Utc>>,
}
