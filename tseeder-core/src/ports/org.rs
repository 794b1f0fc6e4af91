//! Organizations, their members and their invitations.

use std::fmt::Debug;

use async_trait::async_trait;
use chrono::{DateTime, Utc};

use crate::domain::{
    Invite, InviteId, Member, Membership, NewOrganization, OrgId, OrgRole, OrgSlug, OrgSummary, Organization, Page,
    PageRequest, UserId,
};
use crate::error::RepoError;

/// Persistent store of organizations, memberships and invites.
///
/// Personal organizations are created by
/// [`AccountRepository::insert_user`](crate::ports::AccountRepository::insert_user), in the same
/// transaction as their user, with the user's id as their id, the name
/// [`PERSONAL_ORG_NAME`](crate::domain::PERSONAL_ORG_NAME), the slug
/// [`OrgSlug::personal`] and the user as owner.
///
/// # Contract
/// - `create_org` stores the organization (not personal) and its owner's membership in one
///   transaction; a taken slug fails with `Conflict` and writes nothing.
/// - `get_org` and `find_org_by_slug` return organizations whatever their kind; unknown ones
///   are `NotFound` and `None`.
/// - `memberships(user)` lists the user's organizations with their role, the personal one
///   first, then by name.
/// - `membership(org, user)` is the user's role there, `None` when not a member (or no such
///   organization).
/// - `list_members(org)` lists members with their emails, owners first, then by join time.
/// - `rename_org` changes the name only; `NotFound` for unknown ids.
/// - `delete_org` deletes the organization with its memberships, invites and API keys; `NotFound`
///   for unknown ids, `Conflict("org_has_jobs")` (nothing deleted) while it still has jobs.
/// - `add_member` fails with `Conflict` when the user is already a member.
/// - The last-owner rule is enforced atomically: `set_member_role` and `remove_member` fail with
///   `Conflict("last_owner")` and change nothing when they would leave the organization with no
///   owner. Both are `NotFound` when the user is not a member.
/// - `remove_member(org, user, Some(to))` also hands the removed member's jobs in that
///   organization to `to` (who must be another member: `Conflict` otherwise, nothing changed),
///   in the same transaction; with `None` the jobs stay where they are, with their submitter.
///   Handed-over jobs lose their idempotency keys (a key is its submitter's), and a handover
///   that would give `to` two live jobs for one infohash is a `Conflict` that changes nothing.
/// - `plan_holder(org)` is the organization's longest-standing owner (ties broken by user id),
///   whose plan the organization runs on; `NotFound` for unknown organizations.
/// - `transfer_ownership(org, from, to)` in one transaction makes `to` (who must be a member;
///   `NotFound` otherwise) an owner and `from` (who must be an owner; `Conflict` otherwise) an
///   admin.
/// - `insert_invite` stores an invite; `get_invite(org, id)` finds it only within that
///   organization (`NotFound` otherwise).
/// - `find_invite(token_hash)` finds an invite by its current token's hash, whatever its state,
///   with its organization.
/// - `list_invites(org)` lists invites neither accepted nor revoked (expired ones included),
///   newest first.
/// - `pending_invite_for(org, email, now)` is the invite to that email that is still pending
///   at `now`, if any.
/// - `invites_sent_since(org, since)` counts the organization's invites whose `sent_at` is
///   after `since`.
/// - `revoke_invite(org, id, now)` marks a pending invite revoked; `NotFound` when it is not
///   the organization's or not pending (accepted or revoked; expired ones may be revoked).
/// - `rotate_invite(org, id, token_hash, sent_at, expires_at)` replaces the token of an invite
///   neither accepted nor revoked (the old token stops working at once); `NotFound` otherwise.
/// - `accept_invite(token_hash, user, now)` in one transaction: takes the invite with that
///   token that is pending at `now`, adds `user` with the invite's role and marks the invite
///   accepted. `NotFound` (and nothing changes) when no pending invite has that token;
///   `Conflict` when the user is already a member (the invite stays pending).
/// - `list_orgs` lists organizations that are not personal, with their member count and
///   first owner (as `plan_holder` picks it), oldest first, optionally filtered by a
///   case-insensitive substring of the name or slug.
#[async_trait]
pub trait OrgRepository: Send + Sync + Debug {
    /// Creates an organization with its owner.
    async fn create_org(&self, org: &NewOrganization) -> Result<Organization, RepoError>;
    /// Loads an organization.
    async fn get_org(&self, id: OrgId) -> Result<Organization, RepoError>;
    /// Finds an organization by slug.
    async fn find_org_by_slug(&self, slug: &OrgSlug) -> Result<Option<Organization>, RepoError>;
    /// The user's organizations with their role.
    async fn memberships(&self, user: UserId) -> Result<Vec<Membership>, RepoError>;
    /// The user's role in an organization.
    async fn membership(&self, org: OrgId, user: UserId) -> Result<Option<OrgRole>, RepoError>;
    /// The organization's members.
    async fn list_members(&self, org: OrgId) -> Result<Vec<Member>, RepoError>;
    /// Renames an organization.
    async fn rename_org(&self, id: OrgId, name: &str) -> Result<(), RepoError>;
    /// Deletes an organization with its members and invites.
    async fn delete_org(&self, id: OrgId) -> Result<(), RepoError>;
    /// Adds a member.
    async fn add_member(&self, org: OrgId, user: UserId, role: OrgRole, at: DateTime<Utc>) -> Result<(), RepoError>;
    /// Changes a member's role, keeping at least one owner.
    async fn set_member_role(&self, org: OrgId, user: UserId, role: OrgRole) -> Result<(), RepoError>;
    /// Removes a member, keeping at least one owner, optionally handing their jobs to another.
    async fn remove_member(&self, org: OrgId, user: UserId, reassign_to: Option<UserId>) -> Result<(), RepoError>;
    /// The owner whose plan the organization runs on.
    async fn plan_holder(&self, org: OrgId) -> Result<UserId, RepoError>;
    /// Hands ownership from one member to another.
    async fn transfer_ownership(&self, org: OrgId, from: UserId, to: UserId) -> Result<(), RepoError>;
    /// Stores an invite.
    async fn insert_invite(&self, invite: &Invite) -> Result<(), RepoError>;
    /// Loads one of the organization's invites.
    async fn get_invite(&self, org: OrgId, id: InviteId) -> Result<Invite, RepoError>;
    /// Finds an invite by its token's hash, with its organization.
    async fn find_invite(&self, token_hash: &str) -> Result<Option<(Invite, Organization)>, RepoError>;
    /// The organization's open invites.
    async fn list_invites(&self, org: OrgId) -> Result<Vec<Invite>, RepoError>;
    /// The pending invite to an email, if any.
    async fn pending_invite_for(
        &self,
        org: OrgId,
        email: &str,
        now: DateTime<Utc>,
    ) -> Result<Option<Invite>, RepoError>;
    /// How many invites the organization sent after `since`.
    async fn invites_sent_since(&self, org: OrgId, since: DateTime<Utc>) -> Result<u64, RepoError>;
    /// Revokes a pending invite.
    async fn revoke_invite(&self, org: OrgId, id: InviteId, now: DateTime<Utc>) -> Result<(), RepoError>;
    /// Gives an open invite a new token and expiry.
    async fn rotate_invite(
        &self,
        org: OrgId,
        id: InviteId,
        token_hash: &str,
        sent_at: DateTime<Utc>,
        expires_at: DateTime<Utc>,
    ) -> Result<(), RepoError>;
    /// Accepts an invite: the membership and the invite's state in one transaction.
    async fn accept_invite(&self, token_hash: &str, user: UserId, now: DateTime<Utc>) -> Result<Invite, RepoError>;
    /// The organizations that are not personal, for operators.
    async fn list_orgs(&self, contains: Option<&str>, page: PageRequest) -> Result<Page<OrgSummary>, RepoError>;
}
