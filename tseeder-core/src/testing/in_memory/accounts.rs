//! [`InMemoryAccountRepository`] and [`InMemoryPlanRepository`].

use async_trait::async_trait;
use chrono::{DateTime, Utc};

use super::{Assignment, MemberRow, ResetRow, UserRow, VerificationRow, handle, micros, page};
use crate::domain::{
    ApiKey, ApiKeyId, EmailVerification, NewUser, OrgRole, OrgSlug, Organization, PERSONAL_ORG_NAME, Page, PageRequest,
    PasswordReset, Plan, RegionCode, Role, Session, SessionId, User, UserId,
};
use crate::error::RepoError;
use crate::ports::{AccountRepository, PlanRepository};

handle!(
    /// An [`AccountRepository`] over an [`InMemoryDb`](crate::testing::InMemoryDb). Users get
    /// their first plan assignment there, so [`InMemoryPlanRepository`] sees it, and their
    /// personal organization, which [`InMemoryOrgRepository`](crate::testing::InMemoryOrgRepository)
    /// sees.
    InMemoryAccountRepository
);

handle!(
    /// A [`PlanRepository`] over an [`InMemoryDb`](crate::testing::InMemoryDb), which starts with
    /// the built-in plans.
    InMemoryPlanRepository
);

fn session(s: &Session) -> Session {
    Session { created_at: micros(s.created_at), expires_at: micros(s.expires_at), ..s.clone() }
}

fn api_key(k: &ApiKey) -> ApiKey {
    ApiKey {
        created_at: micros(k.created_at),
        last_used_at: k.last_used_at.map(micros),
        expires_at: k.expires_at.map(micros),
        revoked_at: k.revoked_at.map(micros),
        ..k.clone()
    }
}

#[async_trait]
impl AccountRepository for InMemoryAccountRepository {
    async fn insert_user(&self, user: &NewUser) -> Result<User, RepoError> {
        let mut state = self.state();
        if state.users.iter().any(|row| row.user.email == user.email) {
            return Err(RepoError::Conflict("users.email".into()));
        }
        if state.user(user.id).is_some() {
            return Err(RepoError::Conflict("users.id".into()));
        }
        if !state.plans.contains_key(&user.plan_id) {
            return Err(RepoError::Backend(format!("no plan {:?}", user.plan_id).into()));
        }
        let created_at = micros(user.created_at);
        let personal = Organization {
            id: Organization::personal_id(user.id),
            name: PERSONAL_ORG_NAME.to_owned(),
            slug: OrgSlug::personal(user.id),
            personal: true,
            created_at,
        };
        if state.orgs.iter().any(|o| o.id == personal.id || o.slug == personal.slug) {
            return Err(RepoError::Conflict("organizations.slug".into()));
        }
        let stored = User {
            id: user.id,
            email: user.email.clone(),
            role: user.role,
            suspended: false,
            default_region: None,
            email_verified_at: user.email_verified.then_some(created_at),
            created_at,
        };
        state.users.push(UserRow { user: stored.clone(), password_hash: user.password_hash.clone() });
        state.assignments.push(Assignment {
            user_id: user.id,
            plan_id: user.plan_id.clone(),
            started_at: stored.created_at,
            expires_at: None,
        });
        let owner = MemberRow { org_id: personal.id, user_id: user.id, role: OrgRole::Owner, joined_at: created_at };
        state.members.push(owner);
        state.orgs.push(personal);
        Ok(stored)
    }

    async fn get_user(&self, id: UserId) -> Result<User, RepoError> {
        self.state().user(id).cloned().ok_or(RepoError::NotFound)
    }

    async fn find_user_by_email(&self, email: &str) -> Result<Option<(User, String)>, RepoError> {
        let state = self.state();
        let row = state.users.iter().find(|row| row.user.email == email);
        Ok(row.map(|row| (row.user.clone(), row.password_hash.clone())))
    }

    async fn list_users(&self, email_contains: Option<&str>, request: PageRequest) -> Result<Page<User>, RepoError> {
        let needle = email_contains.filter(|s| !s.is_empty()).map(str::to_lowercase);
        let state = self.state();
        let mut users: Vec<User> = state
            .users
            .iter()
            .filter(|row| needle.as_deref().is_none_or(|n| row.user.email.to_lowercase().contains(n)))
            .map(|row| row.user.clone())
            .collect();
        users.sort_by_key(|u| (u.created_at, u.id));
        Ok(page(users, request))
    }

    async fn set_user_role(&self, id: UserId, role: Role) -> Result<(), RepoError> {
        let mut state = self.state();
        let row = state.users.iter_mut().find(|row| row.user.id == id).ok_or(RepoError::NotFound)?;
        row.user.role = role;
        Ok(())
    }

    async fn set_user_default_region(&self, id: UserId, region: Option<&RegionCode>) -> Result<(), RepoError> {
        let mut state = self.state();
        let row = state.users.iter_mut().find(|row| row.user.id == id).ok_or(RepoError::NotFound)?;
        row.user.default_region = region.cloned();
        Ok(())
    }

    async fn set_user_suspended(&self, id: UserId, suspended: bool) -> Result<u64, RepoError> {
        let mut state = self.state();
        let row = state.users.iter_mut().find(|row| row.user.id == id).ok_or(RepoError::NotFound)?;
        row.user.suspended = suspended;
        if !suspended {
            return Ok(0);
        }
        let before = state.sessions.len();
        state.sessions.retain(|s| s.user_id != id);
        Ok((before - state.sessions.len()) as u64)
    }

    async fn delete_user_sessions(&self, id: UserId) -> Result<u64, RepoError> {
        let mut state = self.state();
        let before = state.sessions.len();
        state.sessions.retain(|s| s.user_id != id);
        Ok((before - state.sessions.len()) as u64)
    }

    async fn list_sessions(&self, user: UserId, now: DateTime<Utc>) -> Result<Vec<Session>, RepoError> {
        let state = self.state();
        let mut sessions: Vec<Session> =
            state.sessions.iter().filter(|s| s.user_id == user && s.expires_at > micros(now)).cloned().collect();
        sessions.sort_by(|a, b| b.created_at.cmp(&a.created_at).then(b.id.cmp(&a.id)));
        Ok(sessions)
    }

    async fn delete_user_session(&self, user: UserId, id: SessionId) -> Result<(), RepoError> {
        let mut state = self.state();
        let before = state.sessions.len();
        state.sessions.retain(|s| !(s.id == id && s.user_id == user));
        if state.sessions.len() == before {
            return Err(RepoError::NotFound);
        }
        Ok(())
    }

    async fn set_password_hash(
        &self,
        id: UserId,
        password_hash: &str,
        keep: Option<SessionId>,
    ) -> Result<u64, RepoError> {
        let mut state = self.state();
        let row = state.users.iter_mut().find(|row| row.user.id == id).ok_or(RepoError::NotFound)?;
        password_hash.clone_into(&mut row.password_hash);
        let before = state.sessions.len();
        state.sessions.retain(|s| s.user_id != id || Some(s.id) == keep);
        Ok((before - state.sessions.len()) as u64)
    }

    async fn insert_password_reset(&self, reset: &PasswordReset) -> Result<(), RepoError> {
        let mut state = self.state();
        if state.password_resets.iter().any(|r| r.reset.token_hash == reset.token_hash) {
            return Err(RepoError::Conflict("password_resets.token_hash".into()));
        }
        let reset = PasswordReset {
            created_at: micros(reset.created_at),
            expires_at: micros(reset.expires_at),
            ..reset.clone()
        };
        state.password_resets.push(ResetRow { reset, used_at: None });
        Ok(())
    }

    async fn reset_password(
        &self,
        token_hash: &str,
        password_hash: &str,
        now: DateTime<Utc>,
    ) -> Result<(UserId, u64), RepoError> {
        let now = micros(now);
        let mut state = self.state();
        // Everything is checked before anything is written, so a refused reset changes nothing.
        let user = state
            .password_resets
            .iter()
            .find(|r| r.reset.token_hash == token_hash && r.used_at.is_none() && r.reset.expires_at > now)
            .map(|r| r.reset.user_id)
            .ok_or(RepoError::NotFound)?;
        let row = state
            .users
            .iter_mut()
            .find(|row| row.user.id == user)
            .ok_or_else(|| RepoError::Backend("the reset's user is gone".into()))?;
        password_hash.clone_into(&mut row.password_hash);
        for reset in state.password_resets.iter_mut().filter(|r| r.reset.user_id == user && r.used_at.is_none()) {
            reset.used_at = Some(now);
        }
        let before = state.sessions.len();
        state.sessions.retain(|s| s.user_id != user);
        Ok((user, (before - state.sessions.len()) as u64))
    }

    async fn insert_email_verification(&self, verification: &EmailVerification) -> Result<(), RepoError> {
        let mut state = self.state();
        if state.email_verifications.iter().any(|v| v.verification.token_hash == verification.token_hash) {
            return Err(RepoError::Conflict("email_verifications.token_hash".into()));
        }
        let verification = EmailVerification {
            created_at: micros(verification.created_at),
            expires_at: micros(verification.expires_at),
            ..verification.clone()
        };
        state.email_verifications.push(VerificationRow { verification, used_at: None });
        Ok(())
    }

    async fn verify_email(&self, token_hash: &str, now: DateTime<Utc>) -> Result<UserId, RepoError> {
        let now = micros(now);
        let mut state = self.state();
        // Everything is checked before anything is written, so a refused verification changes
        // nothing.
        let verification = state
            .email_verifications
            .iter()
            .find(|v| v.verification.token_hash == token_hash && v.used_at.is_none() && v.verification.expires_at > now)
            .map(|v| v.verification.clone())
            .ok_or(RepoError::NotFound)?;
        let user = verification.user_id;
        let row = state
            .users
            .iter_mut()
            .find(|row| row.user.id == user && row.user.email == verification.email)
            .ok_or(RepoError::NotFound)?;
        if row.user.email_verified_at.is_none() {
            row.user.email_verified_at = Some(now);
        }
        let unused = |v: &&mut VerificationRow| v.verification.user_id == user && v.used_at.is_none();
        for v in state.email_verifications.iter_mut().filter(unused) {
            v.used_at = Some(now);
        }
        Ok(user)
    }

    async fn insert_session(&self, new: &Session) -> Result<(), RepoError> {
        let mut state = self.state();
        if state.sessions.iter().any(|s| s.id == new.id) {
            return Err(RepoError::Conflict("sessions.id".into()));
        }
        state.sessions.push(session(new));
        Ok(())
    }

    async fn find_session(&self, token_hash: &str, now: DateTime<Utc>) -> Result<Option<(Session, User)>, RepoError> {
        let state = self.state();
        let Some(session) = state.sessions.iter().find(|s| s.token_hash == token_hash && s.expires_at > micros(now))
        else {
            return Ok(None);
        };
        let user =
            state.user(session.user_id).ok_or_else(|| RepoError::Backend("the session's user is gone".into()))?;
        Ok(Some((session.clone(), user.clone())))
    }

    async fn delete_session(&self, id: SessionId) -> Result<(), RepoError> {
        self.state().sessions.retain(|s| s.id != id);
        Ok(())
    }

    async fn insert_api_key(&self, key: &ApiKey) -> Result<(), RepoError> {
        let mut state = self.state();
        if state.api_keys.iter().any(|k| k.id == key.id) {
            return Err(RepoError::Conflict("api_keys.id".into()));
        }
        state.api_keys.push(api_key(key));
        Ok(())
    }

    async fn list_api_keys(&self, user: UserId) -> Result<Vec<ApiKey>, RepoError> {
        let state = self.state();
        let mut keys: Vec<ApiKey> =
            state.api_keys.iter().filter(|k| k.user_id == user && k.revoked_at.is_none()).cloned().collect();
        keys.sort_by(|a, b| b.created_at.cmp(&a.created_at).then(b.id.cmp(&a.id)));
        Ok(keys)
    }

    async fn revoke_api_key(&self, user: UserId, id: ApiKeyId, now: DateTime<Utc>) -> Result<(), RepoError> {
        let mut state = self.state();
        let key = state
            .api_keys
            .iter_mut()
            .find(|k| k.id == id && k.user_id == user && k.revoked_at.is_none())
            .ok_or(RepoError::NotFound)?;
        key.revoked_at = Some(micros(now));
        Ok(())
    }

    async fn find_api_key(&self, key_hash: &str) -> Result<Option<(ApiKey, User)>, RepoError> {
        let state = self.state();
        let Some(key) = state.api_keys.iter().find(|k| k.key_hash == key_hash) else {
            return Ok(None);
        };
        let user = state.user(key.user_id).ok_or_else(|| RepoError::Backend("the key's user is gone".into()))?;
        Ok(Some((key.clone(), user.clone())))
    }

    async fn touch_api_key(&self, id: ApiKeyId, now: DateTime<Utc>) -> Result<(), RepoError> {
        let mut state = self.state();
        let key = state.api_keys.iter_mut().find(|k| k.id == id).ok_or(RepoError::NotFound)?;
        key.last_used_at = key.last_used_at.max(Some(micros(now)));
        Ok(())
    }
}

#[async_trait]
impl PlanRepository for InMemoryPlanRepository {
    async fn list_plans(&self) -> Result<Vec<Plan>, RepoError> {
        let mut plans: Vec<Plan> = self.state().plans.values().cloned().collect();
        plans.sort_by(|a, b| a.price_cents.cmp(&b.price_cents).then_with(|| a.id.cmp(&b.id)));
        Ok(plans)
    }

    async fn get_plan(&self, id: &str) -> Result<Plan, RepoError> {
        self.state().plans.get(id).cloned().ok_or(RepoError::NotFound)
    }

    async fn current_plan(&self, user: UserId, now: DateTime<Utc>) -> Result<Plan, RepoError> {
        let now = micros(now);
        let state = self.state();
        // The latest start wins; among equal starts, the later assignment.
        let assignment = state
            .assignments
            .iter()
            .enumerate()
            .filter(|(_, a)| a.user_id == user && a.started_at <= now && a.expires_at.is_none_or(|e| e > now))
            .max_by_key(|(i, a)| (a.started_at, *i))
            .map(|(_, a)| a)
            .ok_or(RepoError::NotFound)?;
        state
            .plans
            .get(&assignment.plan_id)
            .cloned()
            .ok_or_else(|| RepoError::Backend("the assigned plan does not exist".into()))
    }

    async fn assign_plan(
        &self,
        user: UserId,
        plan_id: &str,
        started_at: DateTime<Utc>,
        expires_at: Option<DateTime<Utc>>,
    ) -> Result<(), RepoError> {
        let mut state = self.state();
        if state.user(user).is_none() || !state.plans.contains_key(plan_id) {
            return Err(RepoError::NotFound);
        }
        state.assignments.push(Assignment {
            user_id: user,
            plan_id: plan_id.to_owned(),
            started_at: micros(started_at),
            expires_at: expires_at.map(micros),
        });
        Ok(())
    }
}
