//! Who is calling, and what they may do.

use hmac::{Hmac, Mac};
use sha2::Sha256;

use crate::domain::{ApiKeyId, Job, OrgId, OrgRole, Role, Scope, SessionId, User, UserId};
use crate::error::{ErrorCode, ServiceError};

/// HMAC-SHA256 of `message` under `key`: the one MAC behind agent request signatures, signed
/// download links and CSRF tokens. Callers compare results in constant time.
pub fn hmac_sha256(key: &[u8], message: &[u8]) -> [u8; 32] {
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(key).expect("HMAC takes any key length");
    mac.update(message);
    mac.finalize().into_bytes().into()
}

/// How a principal authenticated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Credential {
    /// A browser or CLI session.
    Session(SessionId),
    /// An API key with these scopes.
    ApiKey {
        /// The key.
        id: ApiKeyId,
        /// What it may do.
        scopes: Vec<Scope>,
    },
    /// Trusted code in the same process (an embedder, the CLI): no scope limits.
    Internal,
}

/// The organization a caller acts in, and their role there. Jobs, files and quotas are the
/// organization's: see [`Principal::can_see_job`] and [`Principal::can_change_job`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OrgContext {
    /// The organization.
    pub id: OrgId,
    /// The caller's role in it.
    pub role: OrgRole,
}

impl OrgContext {
    /// The user's personal organization, which they own: the context when a request names
    /// none.
    pub fn personal(user: UserId) -> Self {
        Self { id: OrgId(user.0), role: OrgRole::Owner }
    }
}

/// An authenticated caller. Services take a `&Principal` and check roles and scopes themselves,
/// so every entry point (HTTP, CLI, embedding) gets the same rules.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Principal {
    /// The user.
    pub user_id: UserId,
    /// Their role.
    pub role: Role,
    /// How they authenticated.
    pub credential: Credential,
    /// The organization they act in (their personal one unless the request named another).
    pub org: OrgContext,
}

impl Principal {
    /// A principal for trusted in-process callers acting as `user`, in their personal
    /// organization.
    pub fn internal(user: &User) -> Self {
        Self::new(user, Credential::Internal)
    }

    /// `user` authenticated with `credential`, acting in their personal organization.
    pub fn new(user: &User, credential: Credential) -> Self {
        Self { user_id: user.id, role: user.role, credential, org: OrgContext::personal(user.id) }
    }

    /// Whether the caller sees `job`: staff see every job; everyone else only jobs of the
    /// organization they act in, all of them as its owner or admin, their own as a member.
    /// The one visibility rule of jobs and their files.
    pub fn can_see_job(&self, job: &Job) -> bool {
        self.can_read_others() || self.can_change_job(job)
    }

    /// Whether the caller may change `job` (rename, pause, cancel, delete, delete files): a job
    /// of the organization they act in, their own, or anyone's there as its owner or admin.
    /// Staff change other people's jobs through the admin actions, not this rule.
    pub fn can_change_job(&self, job: &Job) -> bool {
        job.org_id == self.org.id && (job.user_id == self.user_id || self.org.role >= OrgRole::Admin)
    }

    /// Fails unless the caller's role is at least `min`.
    pub fn require_role(&self, min: Role) -> Result<(), ServiceError> {
        if self.role >= min {
            Ok(())
        } else {
            Err(ServiceError::forbidden(ErrorCode::InsufficientRole, format!("this needs the {min} role or higher")))
        }
    }

    /// Fails if the caller is an API key without `scope`. Sessions and internal callers have
    /// every scope their role allows.
    pub fn require_scope(&self, scope: Scope) -> Result<(), ServiceError> {
        match &self.credential {
            Credential::ApiKey { scopes, .. } if !scopes.contains(&scope) => {
                Err(ServiceError::forbidden(ErrorCode::MissingScope, format!("this API key lacks the `{scope}` scope")))
            }
            _ => Ok(()),
        }
    }

    /// Fails unless the caller used a session (some actions, like minting API keys, are not
    /// open to API keys).
    pub fn require_session(&self) -> Result<SessionId, ServiceError> {
        match self.credential {
            Credential::Session(id) => Ok(id),
            _ => Err(ServiceError::forbidden(ErrorCode::SessionRequired, "this action needs a login session")),
        }
    }

    /// Whether the caller may read another user's jobs, files, links and zips: support and
    /// above, and for an API key only with the `admin` scope (a session has every scope of its
    /// role). The one rule for reading as staff; [`Principal::require_staff`] is the same rule
    /// with an error saying what is missing.
    pub fn can_read_others(&self) -> bool {
        self.require_staff(Role::Support).is_ok()
    }

    /// Fails unless the caller has at least the `min` staff role and, for an API key, the
    /// `admin` scope: the rule of every admin view and action.
    pub fn require_staff(&self, min: Role) -> Result<(), ServiceError> {
        self.require_role(min)?;
        self.require_scope(Scope::Admin)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn who(role: Role, credential: Credential) -> Principal {
        let user_id = UserId::new();
        Principal { user_id, role, credential, org: OrgContext::personal(user_id) }
    }

    #[test]
    fn roles_are_ordered() {
        let admin = who(Role::Admin, Credential::Internal);
        assert!(admin.require_role(Role::Support).is_ok());
        assert!(admin.require_role(Role::Superadmin).is_err());
    }

    #[test]
    fn api_keys_are_limited_to_their_scopes() {
        let key = who(Role::User, Credential::ApiKey { id: ApiKeyId::new(), scopes: vec![Scope::JobsRead] });
        assert!(key.require_scope(Scope::JobsRead).is_ok());
        assert_eq!(key.require_scope(Scope::JobsWrite).unwrap_err().code().as_str(), "missing_scope");
        assert_eq!(key.require_session().unwrap_err().code().as_str(), "session_required");
        let session = who(Role::User, Credential::Session(SessionId::new()));
        assert!(session.require_scope(Scope::JobsWrite).is_ok());
    }
}
