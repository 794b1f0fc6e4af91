//! Organizations: creating them, their members and roles, and invitations by email.
//!
//! Every rule about who may do what to an organization lives here, so the API, the pages and
//! embedders get the same answers:
//!
//! - An organization is named by its slug. A caller who is not a member gets
//!   `org_not_found`, exactly as for a slug that does not exist (staff may read any).
//! - Members read; admins rename, invite and manage members; owners also delete, transfer
//!   ownership and make or unmake owners. An admin never creates, promotes, demotes or removes an
//!   owner.
//! - An organization always keeps an owner: the last one cannot be demoted, removed or leave
//!   (the repository checks it in the same transaction as the change).
//! - Personal organizations (one per account) take no invites and cannot be deleted or left.
//! - Invites carry a 256-bit random token, stored only as its SHA-256 and shown once, in the
//!   email's link. They expire after `orgs.invite_days`, work once, can be revoked, and a resend
//!   replaces the token. Only a signed-in account whose verified email is the invited one may
//!   accept, and it joins exactly the organization the invite names.
//! - Every change is audited.

use std::sync::Arc;

use chrono::{DateTime, Duration, Utc};
use serde_json::json;

use super::account::{check_display_name, hash_token, normalize_email, password_matches, random_token};
use super::mail;
use super::{Ports, RequestMeta, audit_entry};
use crate::auth::{Credential, OrgContext, Principal};
use crate::config::OrgConfig;
use crate::domain::{
    Invite, InviteId, Member, Membership, NewOrganization, OrgId, OrgRole, OrgSlug, OrgSummary, Organization, Page,
    PageRequest, Plan, Role, Scope, SecurityEvent, Severity, Usage, UserId,
};
use crate::error::{ErrorCode, Missing, RepoError, ServiceError};
use crate::ports::UsageOf;

/// Slugs no organization may take: the API's static paths beside `/orgs/{slug}`
/// (`GET /orgs/current`, `/orgs/invites/...`) and the pages' `/orgs/switch`, which would win
/// over the organization's.
const RESERVED_SLUGS: [&str; 3] = ["current", "invites", "switch"];

/// An organization as its member sees it: their role, everyone in it, its plan and what it
/// uses.
#[derive(Debug, Clone, PartialEq)]
pub struct OrgDetail {
    /// The organization.
    pub org: Organization,
    /// The caller's role (`None` for staff reading an organization they are not in).
    pub role: Option<OrgRole>,
    /// Its members, owners first.
    pub members: Vec<Member>,
    /// The plan it runs on (its plan holder's), if that owner has one.
    pub plan: Option<Plan>,
    /// What the whole organization uses against the plan.
    pub usage: Usage,
    /// What each member's jobs use: every member's for owners, admins and staff, only the
    /// caller's own for members.
    pub member_usage: Vec<(UserId, Usage)>,
}

/// An organization in the operators' list: its size, owner, plan and consumption.
#[derive(Debug, Clone, PartialEq)]
pub struct AdminOrg {
    /// The organization, member count and owner.
    pub summary: OrgSummary,
    /// The plan it runs on, if its owner has one.
    pub plan: Option<Plan>,
    /// What it uses.
    pub usage: Usage,
}

/// An invite just sent (or resent).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SentInvite {
    /// The stored invite.
    pub invite: Invite,
    /// Whether the email went to a mail server; `false` when none is configured (the link is
    /// then in the server's log for the operator).
    pub emailed: bool,
}

/// What an invite link offers, shown before it is accepted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvitePreview {
    /// The invite.
    pub invite: Invite,
    /// The organization it joins.
    pub org: Organization,
    /// Who sent it.
    pub inviter_email: String,
}

/// Organization operations.
#[derive(Debug, Clone)]
pub struct OrgService {
    ports: Ports,
    config: Arc<OrgConfig>,
    public_url: Arc<str>,
}

impl OrgService {
    /// Builds the service; `public_url` is where the links in invite emails point
    /// (`auth.public_url`).
    pub fn new(ports: Ports, config: OrgConfig, public_url: String) -> Self {
        Self { ports, config: Arc::new(config), public_url: public_url.into() }
    }

    fn now(&self) -> DateTime<Utc> {
        self.ports.clock.now()
    }

    /// The caller's organizations with their role, the personal one first. API keys need
    /// `account:read`.
    pub async fn list_mine(&self, principal: &Principal) -> Result<Vec<Membership>, ServiceError> {
        principal.require_scope(Scope::AccountRead)?;
        Ok(self.ports.orgs.memberships(principal.user_id).await?)
    }

    /// Creates an organization with the caller as its owner. The slug is the one given or, when
    /// none is, one made from the name; slugs starting with `u-` are kept for personal
    /// organizations, and `current`, `invites` and `switch` name paths. Sessions only.
    pub async fn create(
        &self,
        principal: &Principal,
        name: &str,
        slug: Option<&str>,
        meta: &RequestMeta,
    ) -> Result<Membership, ServiceError> {
        principal.require_session()?;
        let name = check_display_name(name, "an organization name")?;
        let slug = match slug.map(str::trim).filter(|s| !s.is_empty()) {
            Some(slug) => {
                OrgSlug::parse(slug).map_err(|e| ServiceError::invalid(ErrorCode::InvalidSlug, e.to_string()))?
            }
            None => OrgSlug::from_name(name).ok_or_else(|| {
                ServiceError::invalid(ErrorCode::InvalidSlug, "the name gives no usable slug: choose one")
            })?,
        };
        if slug.as_str().starts_with("u-") {
            return Err(ServiceError::invalid(ErrorCode::InvalidSlug, "slugs starting with `u-` are reserved"));
        }
        if RESERVED_SLUGS.contains(&slug.as_str()) {
            return Err(ServiceError::invalid(
                ErrorCode::InvalidSlug,
                format!("`{slug}` is reserved: it names a path of the API"),
            ));
        }
        self.require_room(principal.user_id).await?;
        let new = NewOrganization {
            id: OrgId::new(),
            name: name.to_owned(),
            slug,
            owner: principal.user_id,
            created_at: self.now(),
        };
        let org = match self.ports.orgs.create_org(&new).await {
            Err(RepoError::Conflict(_)) => {
                return Err(ServiceError::conflict(ErrorCode::SlugTaken, "an organization already has this slug"));
            }
            other => other?,
        };
        self.audit(principal.user_id, "org.created", &org, json!({ "name": org.name }), meta).await?;
        Ok(Membership { joined_at: org.created_at, org, role: OrgRole::Owner })
    }

    /// The same caller acting in the organization named `slug` (the `X-Org-Slug` header, the
    /// pages' organization switcher): they must be a member (`org_not_found` otherwise, as for
    /// an unknown slug), and an API key works only in the organization it was made in
    /// (`org_mismatch`).
    pub async fn enter(&self, principal: &Principal, slug: &str) -> Result<Principal, ServiceError> {
        let org = self.find(slug).await?;
        if matches!(principal.credential, Credential::ApiKey { .. }) {
            if org.id != principal.org.id {
                return Err(ServiceError::forbidden(
                    ErrorCode::OrgMismatch,
                    "this API key belongs to another organization: make a key in this one",
                ));
            }
            return Ok(principal.clone());
        }
        let role = self
            .ports
            .orgs
            .membership(org.id, principal.user_id)
            .await?
            .ok_or(ServiceError::NotFound { what: Missing::Org })?;
        Ok(Principal { org: OrgContext { id: org.id, role }, ..principal.clone() })
    }

    /// The organization the caller acts in, with their role there.
    pub async fn current(&self, principal: &Principal) -> Result<Membership, ServiceError> {
        let org = self.ports.orgs.get_org(principal.org.id).await?;
        Ok(Membership { joined_at: org.created_at, org, role: principal.org.role })
    }

    /// An organization with its members, plan and usage, and the caller's role: for its
    /// members, and for staff.
    pub async fn get(&self, principal: &Principal, slug: &str) -> Result<OrgDetail, ServiceError> {
        principal.require_scope(Scope::AccountRead)?;
        let (org, role) = self.readable(principal, slug).await?;
        let members = self.ports.orgs.list_members(org.id).await?;
        let plan = match super::job::org_plan(&self.ports, org.id).await {
            Err(RepoError::NotFound) => None,
            other => Some(other?),
        };
        let usage = super::job::org_usage(&self.ports, org.id).await?;
        let sees_all = role.is_none_or(|r| r >= OrgRole::Admin);
        let mut member_usage = Vec::new();
        for member in members.iter().filter(|m| sees_all || m.user_id == principal.user_id) {
            member_usage.push((member.user_id, self.ports.jobs.usage(UsageOf::member(org.id, member.user_id)).await?));
        }
        Ok(OrgDetail { org, role, members, plan, usage, member_usage })
    }

    /// The organization's members (any member may list them; staff too).
    pub async fn members(&self, principal: &Principal, slug: &str) -> Result<Vec<Member>, ServiceError> {
        principal.require_scope(Scope::AccountRead)?;
        let (org, _) = self.readable(principal, slug).await?;
        Ok(self.ports.orgs.list_members(org.id).await?)
    }

    /// Renames an organization (admins and owners).
    pub async fn rename(
        &self,
        principal: &Principal,
        slug: &str,
        name: &str,
        meta: &RequestMeta,
    ) -> Result<Organization, ServiceError> {
        principal.require_session()?;
        let name = check_display_name(name, "an organization name")?;
        let (org, _) = self.member_of(principal, slug, OrgRole::Admin).await?;
        self.ports.orgs.rename_org(org.id, name).await?;
        self.audit(principal.user_id, "org.renamed", &org, json!({ "from": org.name, "to": name }), meta).await?;
        Ok(Organization { name: name.to_owned(), ..org })
    }

    /// Deletes an organization, its memberships and invites. Owners only, with the slug typed
    /// again as `confirm`; personal organizations go only with their account; an organization
    /// that still has jobs stays (`org_has_jobs`).
    pub async fn delete(
        &self,
        principal: &Principal,
        slug: &str,
        confirm: &str,
        meta: &RequestMeta,
    ) -> Result<(), ServiceError> {
        principal.require_session()?;
        let (org, _) = self.member_of(principal, slug, OrgRole::Owner).await?;
        if org.personal {
            return Err(personal("a personal organization goes only with its account"));
        }
        if confirm.trim() != org.slug.as_str() {
            return Err(ServiceError::invalid(
                ErrorCode::ConfirmationMismatch,
                "type the organization's slug to confirm the deletion",
            ));
        }
        match self.ports.orgs.delete_org(org.id).await {
            Err(RepoError::Conflict(_)) => {
                return Err(ServiceError::conflict(
                    ErrorCode::OrgHasJobs,
                    "this organization still has jobs: delete them first",
                ));
            }
            other => other?,
        }
        self.audit(principal.user_id, "org.deleted", &org, json!({ "name": org.name }), meta).await
    }

    /// Changes a member's role. Admins manage members and admins; only owners make, unmake or
    /// change owners. The last owner keeps their role (`last_owner`).
    pub async fn set_role(
        &self,
        principal: &Principal,
        slug: &str,
        user: UserId,
        role: OrgRole,
        meta: &RequestMeta,
    ) -> Result<Member, ServiceError> {
        principal.require_session()?;
        let (org, mine) = self.member_of(principal, slug, OrgRole::Admin).await?;
        let target = self.member(org.id, user).await?;
        if (role == OrgRole::Owner || target.role == OrgRole::Owner) && mine < OrgRole::Owner {
            return Err(ServiceError::forbidden(
                ErrorCode::InsufficientRole,
                "only an owner can make, unmake or change owners",
            ));
        }
        last_owner(self.ports.orgs.set_member_role(org.id, user, role).await)?;
        self.audit(
            principal.user_id,
            "org.member_role_changed",
            &org,
            json!({ "userId": user, "from": target.role, "to": role }),
            meta,
        )
        .await?;
        Ok(Member { role, ..target })
    }

    /// Removes a member (admins and owners; only owners remove owners). Their access ends at
    /// once: their API keys made in the organization stop working and their sessions fall back
    /// to their personal organization. Their jobs there stay, or go to `reassign_to` (another
    /// member). Removing oneself is leaving.
    pub async fn remove_member(
        &self,
        principal: &Principal,
        slug: &str,
        user: UserId,
        reassign_to: Option<UserId>,
        meta: &RequestMeta,
    ) -> Result<(), ServiceError> {
        if user == principal.user_id {
            return self.leave(principal, slug, meta).await;
        }
        principal.require_session()?;
        let (org, mine) = self.member_of(principal, slug, OrgRole::Admin).await?;
        let target = self.member(org.id, user).await?;
        if target.role == OrgRole::Owner && mine < OrgRole::Owner {
            return Err(ServiceError::forbidden(ErrorCode::InsufficientRole, "only an owner can remove an owner"));
        }
        if let Some(to) = reassign_to {
            if to == user {
                return Err(ServiceError::invalid(
                    ErrorCode::InvalidRequest,
                    "hand the jobs to another member than the one removed",
                ));
            }
            self.member(org.id, to).await?;
        }
        last_owner(self.ports.orgs.remove_member(org.id, user, reassign_to).await)?;
        self.audit(
            principal.user_id,
            "org.member_removed",
            &org,
            json!({ "userId": user, "email": target.email, "role": target.role, "jobsTo": reassign_to }),
            meta,
        )
        .await
    }

    /// Leaves an organization. The last owner cannot (`last_owner`: hand ownership over or
    /// delete it first), nor can anyone leave their personal organization.
    pub async fn leave(&self, principal: &Principal, slug: &str, meta: &RequestMeta) -> Result<(), ServiceError> {
        principal.require_session()?;
        let (org, role) = self.member_of(principal, slug, OrgRole::Member).await?;
        if org.personal {
            return Err(personal("nobody leaves their personal organization"));
        }
        last_owner(self.ports.orgs.remove_member(org.id, principal.user_id, None).await)?;
        self.audit(principal.user_id, "org.member_left", &org, json!({ "role": role }), meta).await
    }

    /// Hands ownership to another member: they become an owner and the caller an admin, in one
    /// transaction. Owners only, with their password typed again (`wrong_password`, and a
    /// security event, otherwise).
    pub async fn transfer_ownership(
        &self,
        principal: &Principal,
        slug: &str,
        to: UserId,
        password: &str,
        meta: &RequestMeta,
    ) -> Result<(), ServiceError> {
        principal.require_session()?;
        let (org, _) = self.member_of(principal, slug, OrgRole::Owner).await?;
        if !password_matches(&self.ports, principal.user_id, password).await? {
            self.security_event("org.transfer_password_failed", principal.user_id, meta, json!({ "orgId": org.id }))
                .await?;
            return Err(ServiceError::forbidden(ErrorCode::WrongPassword, "the password is wrong"));
        }
        if to == principal.user_id {
            return Err(ServiceError::invalid(ErrorCode::InvalidRequest, "you already own this organization"));
        }
        match self.ports.orgs.transfer_ownership(org.id, principal.user_id, to).await {
            Err(RepoError::NotFound) => return Err(ServiceError::NotFound { what: Missing::Member }),
            other => other?,
        }
        self.audit(principal.user_id, "org.ownership_transferred", &org, json!({ "to": to }), meta).await
    }

    /// Invites `email` to join as `role` (`member` or `admin`): admins and owners, never to a
    /// personal organization, at most `orgs.invites_per_hour` sends an hour, not to a member or
    /// to an address with a pending invite (resend that one).
    pub async fn invite(
        &self,
        principal: &Principal,
        slug: &str,
        email: &str,
        role: OrgRole,
        meta: &RequestMeta,
    ) -> Result<SentInvite, ServiceError> {
        principal.require_session()?;
        let email = normalize_email(email)?;
        let (org, _) = self.member_of(principal, slug, OrgRole::Admin).await?;
        if org.personal {
            return Err(personal("a personal organization takes no other members: create an organization"));
        }
        if role == OrgRole::Owner {
            return Err(ServiceError::forbidden(
                ErrorCode::InsufficientRole,
                "invite as member or admin; an owner promotes members to owner",
            ));
        }
        if let Some((user, _)) = self.ports.accounts.find_user_by_email(&email).await?
            && self.ports.orgs.membership(org.id, user.id).await?.is_some()
        {
            return Err(ServiceError::conflict(ErrorCode::AlreadyMember, "this person is already a member"));
        }
        let now = self.now();
        if self.ports.orgs.pending_invite_for(org.id, &email, now).await?.is_some() {
            return Err(ServiceError::conflict(
                ErrorCode::InvitePending,
                "an invite to this address is pending: resend it instead",
            ));
        }
        self.require_send_budget(org.id, now).await?;
        let token = random_token();
        let invite = Invite {
            id: InviteId::new(),
            org_id: org.id,
            email,
            role,
            token_hash: hash_token(&token),
            invited_by: principal.user_id,
            created_at: now,
            sent_at: now,
            expires_at: self.invite_expiry(now),
            accepted_at: None,
            revoked_at: None,
        };
        self.ports.orgs.insert_invite(&invite).await?;
        self.audit(
            principal.user_id,
            "org.invite_sent",
            &org,
            json!({ "inviteId": invite.id, "email": invite.email, "role": role }),
            meta,
        )
        .await?;
        let emailed = self.send_invite(principal.user_id, &org, &invite, &token).await?;
        Ok(SentInvite { invite, emailed })
    }

    /// The organization's open invites (admins and owners).
    pub async fn invites(&self, principal: &Principal, slug: &str) -> Result<Vec<Invite>, ServiceError> {
        principal.require_scope(Scope::AccountRead)?;
        let (org, _) = self.member_of(principal, slug, OrgRole::Admin).await?;
        Ok(self.ports.orgs.list_invites(org.id).await?)
    }

    /// Revokes an invite: its link stops working at once (admins and owners).
    pub async fn revoke_invite(
        &self,
        principal: &Principal,
        slug: &str,
        id: InviteId,
        meta: &RequestMeta,
    ) -> Result<(), ServiceError> {
        principal.require_session()?;
        let (org, _) = self.member_of(principal, slug, OrgRole::Admin).await?;
        match self.ports.orgs.revoke_invite(org.id, id, self.now()).await {
            Err(RepoError::NotFound) => return Err(ServiceError::NotFound { what: Missing::Invite }),
            other => other?,
        }
        self.audit(principal.user_id, "org.invite_revoked", &org, json!({ "inviteId": id }), meta).await
    }

    /// Sends an open invite again with a new token (the old link stops working) and a fresh
    /// expiry; it counts against the hourly budget (admins and owners).
    pub async fn resend_invite(
        &self,
        principal: &Principal,
        slug: &str,
        id: InviteId,
        meta: &RequestMeta,
    ) -> Result<SentInvite, ServiceError> {
        principal.require_session()?;
        let (org, _) = self.member_of(principal, slug, OrgRole::Admin).await?;
        let invite = match self.ports.orgs.get_invite(org.id, id).await {
            Err(RepoError::NotFound) => return Err(ServiceError::NotFound { what: Missing::Invite }),
            other => other?,
        };
        if invite.accepted_at.is_some() || invite.revoked_at.is_some() {
            return Err(ServiceError::NotFound { what: Missing::Invite });
        }
        let now = self.now();
        self.require_send_budget(org.id, now).await?;
        let token = random_token();
        let expires_at = self.invite_expiry(now);
        let token_hash = hash_token(&token);
        match self.ports.orgs.rotate_invite(org.id, id, &token_hash, now, expires_at).await {
            Err(RepoError::NotFound) => return Err(ServiceError::NotFound { what: Missing::Invite }),
            other => other?,
        }
        let invite = Invite { token_hash, sent_at: now, expires_at, ..invite };
        self.audit(principal.user_id, "org.invite_resent", &org, json!({ "inviteId": id }), meta).await?;
        let emailed = self.send_invite(principal.user_id, &org, &invite, &token).await?;
        Ok(SentInvite { invite, emailed })
    }

    /// What an invite link offers: the organization, the role, who sent it. Any signed-in
    /// caller holding the link may look; `invalid_invite` when it is unknown, used, revoked or
    /// expired.
    pub async fn preview_invite(&self, principal: &Principal, token: &str) -> Result<InvitePreview, ServiceError> {
        principal.require_scope(Scope::AccountRead)?;
        let (invite, org) = self.pending(token).await?;
        let inviter_email = match self.ports.accounts.get_user(invite.invited_by).await {
            Ok(user) => user.email,
            Err(RepoError::NotFound) => String::new(),
            Err(e) => return Err(e.into()),
        };
        Ok(InvitePreview { invite, org, inviter_email })
    }

    /// Accepts an invite for the caller, joining exactly `org` (the organization the invite
    /// page showed): a session of an account whose verified email is the invited address
    /// (`email_unverified`, `invite_email_mismatch`), with an invite that is pending and names
    /// `org` (`invalid_invite`), by someone not yet a member (`already_member`) with room for
    /// another organization (`too_many_orgs`).
    pub async fn accept_invite(
        &self,
        principal: &Principal,
        token: &str,
        org: OrgId,
        meta: &RequestMeta,
    ) -> Result<Membership, ServiceError> {
        principal.require_session()?;
        let user = self.ports.accounts.get_user(principal.user_id).await?;
        let (invite, found) = self.pending(token).await?;
        if found.id != org {
            self.security_event("org.invite_wrong_org", user.id, meta, json!({ "inviteId": invite.id, "orgId": org }))
                .await?;
            return Err(invalid_invite());
        }
        if user.email_verified_at.is_none() {
            return Err(ServiceError::forbidden(
                ErrorCode::EmailUnverified,
                "confirm your email address first: follow the link we emailed you",
            ));
        }
        if invite.email != user.email {
            self.security_event("org.invite_email_mismatch", user.id, meta, json!({ "inviteId": invite.id })).await?;
            return Err(ServiceError::forbidden(
                ErrorCode::InviteEmailMismatch,
                "this invite was sent to another email address",
            ));
        }
        if self.ports.orgs.membership(found.id, user.id).await?.is_some() {
            return Err(already_member());
        }
        self.require_room(user.id).await?;
        let now = self.now();
        let accepted = match self.ports.orgs.accept_invite(&invite.token_hash, user.id, now).await {
            Err(RepoError::NotFound) => return Err(invalid_invite()),
            Err(RepoError::Conflict(_)) => return Err(already_member()),
            other => other?,
        };
        self.audit(
            user.id,
            "org.invite_accepted",
            &found,
            json!({ "inviteId": accepted.id, "role": accepted.role }),
            meta,
        )
        .await?;
        Ok(Membership { org: found, role: accepted.role, joined_at: now })
    }

    /// Every organization that is not personal, with its size, owner, plan and consumption
    /// (support and above).
    pub async fn list_all(
        &self,
        principal: &Principal,
        contains: Option<&str>,
        page: PageRequest,
    ) -> Result<Page<AdminOrg>, ServiceError> {
        principal.require_staff(Role::Support)?;
        let contains = contains.map(str::trim).filter(|s| !s.is_empty());
        if contains.is_some_and(|c| c.chars().count() > 200) {
            return Err(ServiceError::invalid(ErrorCode::InvalidQuery, "search for at most 200 characters"));
        }
        if !contains.is_none_or(super::can_match) {
            return Ok(Page { items: Vec::new(), page: page.page, limit: page.limit, total: 0 });
        }
        let found = self.ports.orgs.list_orgs(contains, page).await?;
        let now = self.now();
        let mut items = Vec::with_capacity(found.items.len());
        for summary in found.items {
            let plan = match self.ports.plans.current_plan(summary.owner_id, now).await {
                Err(RepoError::NotFound) => None,
                other => Some(other?),
            };
            let usage = super::job::org_usage(&self.ports, summary.org.id).await?;
            items.push(AdminOrg { summary, plan, usage });
        }
        Ok(Page { items, page: found.page, limit: found.limit, total: found.total })
    }

    /// The organization named `slug` if the caller may read it: members, and staff.
    async fn readable(
        &self,
        principal: &Principal,
        slug: &str,
    ) -> Result<(Organization, Option<OrgRole>), ServiceError> {
        let org = self.find(slug).await?;
        key_stays_home(principal, &org)?;
        match self.ports.orgs.membership(org.id, principal.user_id).await? {
            Some(role) => Ok((org, Some(role))),
            None if principal.can_read_others() => Ok((org, None)),
            None => Err(ServiceError::NotFound { what: Missing::Org }),
        }
    }

    /// The organization named `slug` and the caller's role in it, which must be at least
    /// `min`. Not a member: `org_not_found`, as for an unknown slug.
    async fn member_of(
        &self,
        principal: &Principal,
        slug: &str,
        min: OrgRole,
    ) -> Result<(Organization, OrgRole), ServiceError> {
        let org = self.find(slug).await?;
        key_stays_home(principal, &org)?;
        let role = self
            .ports
            .orgs
            .membership(org.id, principal.user_id)
            .await?
            .ok_or(ServiceError::NotFound { what: Missing::Org })?;
        if role < min {
            return Err(ServiceError::forbidden(
                ErrorCode::InsufficientRole,
                format!("this needs the {min} role in the organization"),
            ));
        }
        Ok((org, role))
    }

    async fn find(&self, slug: &str) -> Result<Organization, ServiceError> {
        let slug = OrgSlug::parse(slug.trim()).map_err(|_| ServiceError::NotFound { what: Missing::Org })?;
        self.ports.orgs.find_org_by_slug(&slug).await?.ok_or(ServiceError::NotFound { what: Missing::Org })
    }

    async fn member(&self, org: OrgId, user: UserId) -> Result<Member, ServiceError> {
        self.ports
            .orgs
            .list_members(org)
            .await?
            .into_iter()
            .find(|m| m.user_id == user)
            .ok_or(ServiceError::NotFound { what: Missing::Member })
    }

    /// The pending invite with this token, with its organization.
    async fn pending(&self, token: &str) -> Result<(Invite, Organization), ServiceError> {
        let found = self.ports.orgs.find_invite(&hash_token(token.trim())).await?;
        match found {
            Some((invite, org)) if invite.is_pending(self.now()) => Ok((invite, org)),
            _ => Err(invalid_invite()),
        }
    }

    async fn require_room(&self, user: UserId) -> Result<(), ServiceError> {
        let count = self.ports.orgs.memberships(user).await?.len();
        if count >= self.config.max_orgs_per_user as usize {
            return Err(ServiceError::conflict(
                ErrorCode::TooManyOrgs,
                format!("at most {} organizations per account; leave one first", self.config.max_orgs_per_user),
            ));
        }
        Ok(())
    }

    async fn require_send_budget(&self, org: OrgId, now: DateTime<Utc>) -> Result<(), ServiceError> {
        let sent = self.ports.orgs.invites_sent_since(org, now - Duration::hours(1)).await?;
        if sent >= u64::from(self.config.invites_per_hour) {
            return Err(ServiceError::Unavailable {
                code: ErrorCode::RateLimited,
                message: format!(
                    "this organization sent {} invites in the last hour; try again later",
                    self.config.invites_per_hour
                ),
            });
        }
        Ok(())
    }

    fn invite_expiry(&self, now: DateTime<Utc>) -> DateTime<Utc> {
        now + Duration::days(i64::from(self.config.invite_days.max(1)))
    }

    /// Emails the invite link; returns whether a mail server took it. A failed send is logged
    /// and reported as not emailed: the invite stays and can be resent.
    async fn send_invite(
        &self,
        inviter: UserId,
        org: &Organization,
        invite: &Invite,
        token: &str,
    ) -> Result<bool, ServiceError> {
        let inviter = self.ports.accounts.get_user(inviter).await?;
        let link = mail::link(&self.public_url, "/invite", token);
        let message = mail::invite(
            &invite.email,
            &org.name,
            &inviter.email,
            invite.role.as_str(),
            &link,
            i64::from(self.config.invite_days.max(1)),
        );
        if !self.ports.mailer.delivers() {
            // The log mailer prints the link for the operator.
            let _ = self.ports.mailer.send(&message).await;
            return Ok(false);
        }
        match self.ports.mailer.send(&message).await {
            Ok(()) => Ok(true),
            Err(error) => {
                tracing::warn!(%error, "the invite email was not sent");
                Ok(false)
            }
        }
    }

    async fn audit(
        &self,
        actor: UserId,
        action: &str,
        org: &Organization,
        details: serde_json::Value,
        meta: &RequestMeta,
    ) -> Result<(), ServiceError> {
        let mut metadata = json!({ "slug": org.slug });
        if let (Some(map), serde_json::Value::Object(details)) = (metadata.as_object_mut(), details) {
            map.extend(details);
        }
        let entry =
            audit_entry(&self.ports, Some(actor), action, "organization", Some(org.id.to_string()), metadata, meta);
        Ok(self.ports.audit.record(&entry).await?)
    }

    async fn security_event(
        &self,
        kind: &str,
        actor: UserId,
        meta: &RequestMeta,
        payload: serde_json::Value,
    ) -> Result<(), ServiceError> {
        let event = SecurityEvent {
            kind: kind.into(),
            severity: Severity::Warn,
            actor_id: Some(actor),
            ip: meta.ip.clone(),
            payload,
            created_at: self.now(),
        };
        Ok(self.ports.audit.record_security_event(&event).await?)
    }
}

/// An API key sees only the organization it was made in: any other looks missing.
fn key_stays_home(principal: &Principal, org: &Organization) -> Result<(), ServiceError> {
    match principal.credential {
        Credential::ApiKey { .. } if org.id != principal.org.id => Err(ServiceError::NotFound { what: Missing::Org }),
        _ => Ok(()),
    }
}

fn invalid_invite() -> ServiceError {
    ServiceError::invalid(
        ErrorCode::InvalidInvite,
        "this invite link is unknown, already used, revoked or expired: ask for a new one",
    )
}

fn already_member() -> ServiceError {
    ServiceError::conflict(ErrorCode::AlreadyMember, "you are already a member of this organization")
}

fn personal(message: &str) -> ServiceError {
    ServiceError::conflict(ErrorCode::PersonalOrg, message)
}

/// The repository's refusals of a membership change as the service's errors: the last-owner
/// rule, and a handover of jobs that would give the new owner a second live job for a torrent.
fn last_owner(result: Result<(), RepoError>) -> Result<(), ServiceError> {
    match result {
        Err(RepoError::Conflict(reason)) if reason == "last_owner" => Err(ServiceError::conflict(
            ErrorCode::LastOwner,
            "the organization needs an owner: make another member owner first, or delete it",
        )),
        Err(RepoError::Conflict(_)) => Err(ServiceError::conflict(
            ErrorCode::DuplicateJob,
            "the member taking over the jobs already has a live job for one of these torrents",
        )),
        Err(RepoError::NotFound) => Err(ServiceError::NotFound { what: Missing::Member }),
        other => Ok(other?),
    }
}
