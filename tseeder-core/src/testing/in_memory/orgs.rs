//! [`InMemoryOrgRepository`].

use async_trait::async_trait;
use chrono::{DateTime, Utc};

use super::jobs::is_live;
use super::{MemberRow, State, handle, micros, page};
use crate::domain::{
    Invite, InviteId, Member, Membership, NewOrganization, OrgId, OrgRole, OrgSlug, OrgSummary, Organization, Page,
    PageRequest, UserId,
};
use crate::error::RepoError;
use crate::ports::OrgRepository;

handle!(
    /// An [`OrgRepository`] over an [`InMemoryDb`](crate::testing::InMemoryDb). Personal
    /// organizations appear there when [`InMemoryAccountRepository`](crate::testing::InMemoryAccountRepository)
    /// creates their users.
    InMemoryOrgRepository
);

/// What the last-owner rule refuses with.
const LAST_OWNER: &str = "last_owner";
/// What deleting an organization that still has jobs refuses with.
const HAS_JOBS: &str = "org_has_jobs";
/// What handing a removed member's jobs to a non-member refuses with.
const NOT_A_MEMBER: &str = "not_a_member";

/// An invite as the databases keep it (its times in whole microseconds).
fn stored_invite(i: &Invite) -> Invite {
    Invite {
        created_at: micros(i.created_at),
        sent_at: micros(i.sent_at),
        expires_at: micros(i.expires_at),
        accepted_at: i.accepted_at.map(micros),
        revoked_at: i.revoked_at.map(micros),
        ..i.clone()
    }
}

/// Neither accepted nor revoked (expired ones included).
fn is_open(i: &Invite) -> bool {
    i.accepted_at.is_none() && i.revoked_at.is_none()
}

impl State {
    fn org(&self, id: OrgId) -> Option<&Organization> {
        self.orgs.iter().find(|o| o.id == id)
    }

    fn member_role(&self, org: OrgId, user: UserId) -> Option<OrgRole> {
        self.members.iter().find(|m| m.org_id == org && m.user_id == user).map(|m| m.role)
    }

    /// Replaces the memberships with `members` (the old ones changed) unless `org` would be left
    /// with no owner; then nothing changes.
    fn commit_members(&mut self, org: OrgId, members: Vec<MemberRow>) -> Result<(), RepoError> {
        require_owner(org, &members)?;
        self.members = members;
        Ok(())
    }

    /// The organization's longest-standing owner (ties by user id).
    fn plan_holder(&self, org: OrgId) -> Option<&MemberRow> {
        self.members
            .iter()
            .filter(|m| m.org_id == org && m.role == OrgRole::Owner)
            .min_by_key(|m| (m.joined_at, m.user_id))
    }
}

/// Refuses (`Conflict("last_owner")`) when `members` leave `org` with no owner.
fn require_owner(org: OrgId, members: &[MemberRow]) -> Result<(), RepoError> {
    if !members.iter().any(|m| m.org_id == org && m.role == OrgRole::Owner) {
        return Err(RepoError::Conflict(LAST_OWNER.into()));
    }
    Ok(())
}

/// Sets a member's role in `members`; `NotFound` when the user is not a member.
fn set_role(members: &mut [MemberRow], org: OrgId, user: UserId, role: OrgRole) -> Result<(), RepoError> {
    let member = members.iter_mut().find(|m| m.org_id == org && m.user_id == user).ok_or(RepoError::NotFound)?;
    member.role = role;
    Ok(())
}

#[async_trait]
impl OrgRepository for InMemoryOrgRepository {
    async fn create_org(&self, new: &NewOrganization) -> Result<Organization, RepoError> {
        let mut state = self.state();
        if state.orgs.iter().any(|o| o.slug == new.slug) {
            return Err(RepoError::Conflict("organizations.slug".into()));
        }
        if state.org(new.id).is_some() {
            return Err(RepoError::Conflict("organizations.id".into()));
        }
        let org = Organization {
            id: new.id,
            name: new.name.clone(),
            slug: new.slug.clone(),
            personal: false,
            created_at: micros(new.created_at),
        };
        state.orgs.push(org.clone());
        state.members.push(MemberRow {
            org_id: org.id,
            user_id: new.owner,
            role: OrgRole::Owner,
            joined_at: org.created_at,
        });
        Ok(org)
    }

    async fn get_org(&self, id: OrgId) -> Result<Organization, RepoError> {
        self.state().org(id).cloned().ok_or(RepoError::NotFound)
    }

    async fn find_org_by_slug(&self, slug: &OrgSlug) -> Result<Option<Organization>, RepoError> {
        Ok(self.state().orgs.iter().find(|o| &o.slug == slug).cloned())
    }

    async fn memberships(&self, user: UserId) -> Result<Vec<Membership>, RepoError> {
        let state = self.state();
        let mut memberships = state
            .members
            .iter()
            .filter(|m| m.user_id == user)
            .map(|m| {
                let org = state.org(m.org_id).ok_or_else(|| RepoError::Backend("the organization is gone".into()))?;
                Ok(Membership { org: org.clone(), role: m.role, joined_at: m.joined_at })
            })
            .collect::<Result<Vec<_>, RepoError>>()?;
        memberships.sort_by_cached_key(|m| (!m.org.personal, m.org.name.to_lowercase(), m.org.id));
        Ok(memberships)
    }

    async fn membership(&self, org: OrgId, user: UserId) -> Result<Option<OrgRole>, RepoError> {
        Ok(self.state().member_role(org, user))
    }

    async fn list_members(&self, org: OrgId) -> Result<Vec<Member>, RepoError> {
        let state = self.state();
        let mut members = state
            .members
            .iter()
            .filter(|m| m.org_id == org)
            .map(|m| {
                let user =
                    state.user(m.user_id).ok_or_else(|| RepoError::Backend("the member's user is gone".into()))?;
                Ok(Member { user_id: m.user_id, email: user.email.clone(), role: m.role, joined_at: m.joined_at })
            })
            .collect::<Result<Vec<_>, RepoError>>()?;
        members.sort_by_key(|m| (m.role != OrgRole::Owner, m.joined_at, m.user_id));
        Ok(members)
    }

    async fn rename_org(&self, id: OrgId, name: &str) -> Result<(), RepoError> {
        let mut state = self.state();
        let org = state.orgs.iter_mut().find(|o| o.id == id).ok_or(RepoError::NotFound)?;
        name.clone_into(&mut org.name);
        Ok(())
    }

    async fn delete_org(&self, id: OrgId) -> Result<(), RepoError> {
        let mut state = self.state();
        if state.org(id).is_none() {
            return Err(RepoError::NotFound);
        }
        if state.jobs.iter().any(|j| j.org_id == id) {
            return Err(RepoError::Conflict(HAS_JOBS.into()));
        }
        state.orgs.retain(|o| o.id != id);
        state.members.retain(|m| m.org_id != id);
        state.invites.retain(|i| i.org_id != id);
        state.api_keys.retain(|k| k.org_id != id);
        state.billing_customers.remove(&id);
        state.subscriptions.remove(&id);
        Ok(())
    }

    async fn add_member(&self, org: OrgId, user: UserId, role: OrgRole, at: DateTime<Utc>) -> Result<(), RepoError> {
        let mut state = self.state();
        if state.member_role(org, user).is_some() {
            return Err(RepoError::Conflict("org_members.org_id, org_members.user_id".into()));
        }
        state.members.push(MemberRow { org_id: org, user_id: user, role, joined_at: micros(at) });
        Ok(())
    }

    async fn set_member_role(&self, org: OrgId, user: UserId, role: OrgRole) -> Result<(), RepoError> {
        let mut state = self.state();
        if state.org(org).is_none() {
            return Err(RepoError::NotFound);
        }
        let mut members = state.members.clone();
        set_role(&mut members, org, user, role)?;
        state.commit_members(org, members)
    }

    async fn remove_member(&self, org: OrgId, user: UserId, reassign_to: Option<UserId>) -> Result<(), RepoError> {
        let mut state = self.state();
        if state.org(org).is_none() || state.member_role(org, user).is_none() {
            return Err(RepoError::NotFound);
        }
        let mut members = state.members.clone();
        members.retain(|m| !(m.org_id == org && m.user_id == user));
        // Everything is checked before anything is written, in the database adapter's order.
        require_owner(org, &members)?;
        if let Some(to) = reassign_to {
            // Another member: the removed one no longer is, so `to == user` is refused too.
            if !members.iter().any(|m| m.org_id == org && m.user_id == to) {
                return Err(RepoError::Conflict(NOT_A_MEMBER.into()));
            }
            let live = |who: UserId| {
                state.jobs.iter().filter(move |j| j.org_id == org && j.user_id == who && is_live(j.status))
            };
            if live(user).any(|mine| live(to).any(|theirs| theirs.infohash == mine.infohash)) {
                return Err(RepoError::Conflict("one live job per organization, user and infohash".into()));
            }
        }
        state.members = members;
        if let Some(to) = reassign_to {
            for job in state.jobs.iter_mut().filter(|j| j.org_id == org && j.user_id == user) {
                job.user_id = to;
                job.idempotency_key = None;
            }
        }
        Ok(())
    }

    async fn plan_holder(&self, org: OrgId) -> Result<UserId, RepoError> {
        // Every organization has an owner (the last-owner rule), so none means no organization.
        self.state().plan_holder(org).map(|m| m.user_id).ok_or(RepoError::NotFound)
    }

    async fn transfer_ownership(&self, org: OrgId, from: UserId, to: UserId) -> Result<(), RepoError> {
        let mut state = self.state();
        if state.org(org).is_none() || state.member_role(org, to).is_none() {
            return Err(RepoError::NotFound);
        }
        if state.member_role(org, from) != Some(OrgRole::Owner) {
            return Err(RepoError::Conflict("not_owner".into()));
        }
        let mut members = state.members.clone();
        set_role(&mut members, org, to, OrgRole::Owner)?;
        set_role(&mut members, org, from, OrgRole::Admin)?;
        // Only `from == to` can leave no owner.
        state.commit_members(org, members)
    }

    async fn insert_invite(&self, invite: &Invite) -> Result<(), RepoError> {
        let mut state = self.state();
        if state.invites.iter().any(|i| i.id == invite.id || i.token_hash == invite.token_hash) {
            return Err(RepoError::Conflict("org_invites.token_hash".into()));
        }
        state.invites.push(stored_invite(invite));
        Ok(())
    }

    async fn get_invite(&self, org: OrgId, id: InviteId) -> Result<Invite, RepoError> {
        let state = self.state();
        state.invites.iter().find(|i| i.id == id && i.org_id == org).cloned().ok_or(RepoError::NotFound)
    }

    async fn find_invite(&self, token_hash: &str) -> Result<Option<(Invite, Organization)>, RepoError> {
        let state = self.state();
        let Some(invite) = state.invites.iter().find(|i| i.token_hash == token_hash) else {
            return Ok(None);
        };
        let org =
            state.org(invite.org_id).ok_or_else(|| RepoError::Backend("the invite's organization is gone".into()))?;
        Ok(Some((invite.clone(), org.clone())))
    }

    async fn list_invites(&self, org: OrgId) -> Result<Vec<Invite>, RepoError> {
        let state = self.state();
        let mut invites: Vec<Invite> =
            state.invites.iter().filter(|i| i.org_id == org && is_open(i)).cloned().collect();
        invites.sort_by(|a, b| b.created_at.cmp(&a.created_at).then(b.id.cmp(&a.id)));
        Ok(invites)
    }

    async fn pending_invite_for(
        &self,
        org: OrgId,
        email: &str,
        now: DateTime<Utc>,
    ) -> Result<Option<Invite>, RepoError> {
        let now = micros(now);
        let state = self.state();
        let newest = state
            .invites
            .iter()
            .filter(|i| i.org_id == org && i.email == email && i.is_pending(now))
            .max_by_key(|i| (i.created_at, i.id));
        Ok(newest.cloned())
    }

    async fn invites_sent_since(&self, org: OrgId, since: DateTime<Utc>) -> Result<u64, RepoError> {
        let since = micros(since);
        let state = self.state();
        Ok(state.invites.iter().filter(|i| i.org_id == org && i.sent_at > since).count() as u64)
    }

    async fn revoke_invite(&self, org: OrgId, id: InviteId, now: DateTime<Utc>) -> Result<(), RepoError> {
        let mut state = self.state();
        let invite = state
            .invites
            .iter_mut()
            .find(|i| i.id == id && i.org_id == org && is_open(i))
            .ok_or(RepoError::NotFound)?;
        invite.revoked_at = Some(micros(now));
        Ok(())
    }

    async fn rotate_invite(
        &self,
        org: OrgId,
        id: InviteId,
        token_hash: &str,
        sent_at: DateTime<Utc>,
        expires_at: DateTime<Utc>,
    ) -> Result<(), RepoError> {
        let mut state = self.state();
        if !state.invites.iter().any(|i| i.id == id && i.org_id == org && is_open(i)) {
            return Err(RepoError::NotFound);
        }
        if state.invites.iter().any(|i| i.id != id && i.token_hash == token_hash) {
            return Err(RepoError::Conflict("org_invites.token_hash".into()));
        }
        let invite = state.invites.iter_mut().find(|i| i.id == id).ok_or(RepoError::NotFound)?;
        token_hash.clone_into(&mut invite.token_hash);
        invite.sent_at = micros(sent_at);
        invite.expires_at = micros(expires_at);
        Ok(())
    }

    async fn accept_invite(&self, token_hash: &str, user: UserId, now: DateTime<Utc>) -> Result<Invite, RepoError> {
        let now = micros(now);
        let mut state = self.state();
        // Everything is checked before anything is written, so a refused accept changes nothing.
        let index = state
            .invites
            .iter()
            .position(|i| i.token_hash == token_hash && i.is_pending(now))
            .ok_or(RepoError::NotFound)?;
        let (org, role) = (state.invites[index].org_id, state.invites[index].role);
        if state.member_role(org, user).is_some() {
            return Err(RepoError::Conflict("already_member".into()));
        }
        state.invites[index].accepted_at = Some(now);
        state.members.push(MemberRow { org_id: org, user_id: user, role, joined_at: now });
        Ok(state.invites[index].clone())
    }

    async fn list_orgs(&self, contains: Option<&str>, request: PageRequest) -> Result<Page<OrgSummary>, RepoError> {
        let needle = contains.filter(|s| !s.is_empty()).map(str::to_lowercase);
        let state = self.state();
        let mut orgs: Vec<&Organization> = state
            .orgs
            .iter()
            .filter(|o| !o.personal)
            .filter(|o| {
                needle
                    .as_deref()
                    .is_none_or(|n| o.name.to_lowercase().contains(n) || o.slug.as_str().to_lowercase().contains(n))
            })
            .collect();
        orgs.sort_by_key(|o| (o.created_at, o.id));
        let summaries: Vec<OrgSummary> = orgs
            .into_iter()
            .map(|org| {
                let owner = state
                    .plan_holder(org.id)
                    .ok_or_else(|| RepoError::Backend("the organization has no owner".into()))?;
                let owner_email = state.user(owner.user_id).map(|u| u.email.clone()).unwrap_or_default();
                let members = state.members.iter().filter(|m| m.org_id == org.id).count() as u64;
                Ok(OrgSummary { org: org.clone(), members, owner_id: owner.user_id, owner_email })
            })
            .collect::<Result<Vec<_>, RepoError>>()?;
        Ok(page(summaries, request))
    }
}
