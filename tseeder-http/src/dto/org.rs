//! Organizations, their members and invitations. Invite tokens travel in request bodies only
//! and are never shown again: responses carry neither tokens nor their hashes.

use chrono::{DateTime, Utc};
use poem_openapi::{Enum, Object};
use tseeder_core::domain::{Invite, Member, Membership, OrgRole, Organization, Usage, UserId};
use tseeder_core::services::org::{AdminOrg, InvitePreview, OrgDetail, SentInvite};
use uuid::Uuid;

use crate::dto::admin_users::AdminUsageView;
use crate::dto::plan::{BandwidthView, PlanView};
use crate::dto::text::Text;

/// A member's role in an organization, lowest first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Enum)]
#[oai(rename = "OrgRole", rename_all = "snake_case")]
pub(crate) enum OrgRoleDto {
    /// Submits jobs, and sees and changes their own.
    Member,
    /// Also sees and changes every job, and manages members and invites (never owners).
    Admin,
    /// Everything, including ownership and deletion.
    Owner,
}

impl From<OrgRole> for OrgRoleDto {
    fn from(role: OrgRole) -> Self {
        match role {
            OrgRole::Member => Self::Member,
            OrgRole::Admin => Self::Admin,
            OrgRole::Owner => Self::Owner,
        }
    }
}

impl From<OrgRoleDto> for OrgRole {
    fn from(role: OrgRoleDto) -> Self {
        match role {
            OrgRoleDto::Member => Self::Member,
            OrgRoleDto::Admin => Self::Admin,
            OrgRoleDto::Owner => Self::Owner,
        }
    }
}

/// An organization.
#[derive(Debug, Clone, Object)]
#[oai(rename = "Org", rename_all = "camelCase")]
pub(crate) struct OrgView {
    /// The id (a personal organization's is its owner's user id).
    pub(crate) id: Uuid,
    /// Display name.
    pub(crate) name: String,
    /// The unique, unchanging slug that names it in paths.
    pub(crate) slug: String,
    /// Whether this is a personal organization: one per account, no other members, deleted
    /// only with its account.
    pub(crate) personal: bool,
    /// Creation time.
    pub(crate) created_at: DateTime<Utc>,
}

impl From<Organization> for OrgView {
    fn from(org: Organization) -> Self {
        Self { id: org.id.0, name: org.name, slug: org.slug.into(), personal: org.personal, created_at: org.created_at }
    }
}

/// An organization the caller belongs to, with their role.
#[derive(Debug, Clone, Object)]
#[oai(rename = "OrgMembership", rename_all = "camelCase")]
pub(crate) struct OrgMembershipView {
    /// The organization.
    pub(crate) org: OrgView,
    /// The caller's role in it.
    pub(crate) role: OrgRoleDto,
    /// When the caller joined.
    pub(crate) joined_at: DateTime<Utc>,
}

impl From<Membership> for OrgMembershipView {
    fn from(m: Membership) -> Self {
        Self { org: m.org.into(), role: m.role.into(), joined_at: m.joined_at }
    }
}

/// `{orgs}`.
#[derive(Debug, Clone, Object)]
#[oai(rename = "OrgMembershipList")]
pub(crate) struct OrgMembershipList {
    /// The caller's organizations: the personal one first, then by name.
    pub(crate) orgs: Vec<OrgMembershipView>,
}

/// The organization a request acts in (`X-Org-Slug`, the API key's, or the caller's personal
/// one), with the caller's role there.
#[derive(Debug, Clone, Object)]
#[oai(rename = "CurrentOrg", rename_all = "camelCase")]
pub(crate) struct CurrentOrgView {
    /// The organization.
    pub(crate) org: OrgView,
    /// The caller's role in it: owners and admins see and change every job there, members
    /// their own.
    pub(crate) role: OrgRoleDto,
}

impl From<Membership> for CurrentOrgView {
    fn from(m: Membership) -> Self {
        Self { org: m.org.into(), role: m.role.into() }
    }
}

/// A member of an organization.
#[derive(Debug, Clone, Object)]
#[oai(rename = "OrgMember", rename_all = "camelCase")]
pub(crate) struct OrgMemberView {
    /// The user's id.
    pub(crate) user_id: Uuid,
    /// Their email address.
    pub(crate) email: String,
    /// Their role here.
    pub(crate) role: OrgRoleDto,
    /// When they joined.
    pub(crate) joined_at: DateTime<Utc>,
}

impl From<Member> for OrgMemberView {
    fn from(m: Member) -> Self {
        Self { user_id: m.user_id.0, email: m.email, role: m.role.into(), joined_at: m.joined_at }
    }
}

/// `{members}`.
#[derive(Debug, Clone, Object)]
#[oai(rename = "OrgMemberList")]
pub(crate) struct OrgMemberList {
    /// Every member, owners first, then by join time.
    pub(crate) members: Vec<OrgMemberView>,
}

/// What one member's jobs in an organization use.
#[derive(Debug, Clone, Object)]
#[oai(rename = "OrgMemberUsage", rename_all = "camelCase")]
pub(crate) struct OrgMemberUsageView {
    /// The member's user id.
    pub(crate) user_id: Uuid,
    /// Their jobs there in an active status (queued, running or paused).
    pub(crate) active_jobs: u64,
    /// Their jobs there.
    pub(crate) total_jobs: u64,
    /// Bytes of their jobs' stored files there.
    pub(crate) storage_bytes: u64,
}

impl From<(UserId, Usage)> for OrgMemberUsageView {
    fn from((user, usage): (UserId, Usage)) -> Self {
        Self {
            user_id: user.0,
            active_jobs: usage.active_jobs,
            total_jobs: usage.total_jobs,
            storage_bytes: usage.storage_bytes,
        }
    }
}

/// An organization with its members, the caller's role, its plan and what it uses.
#[derive(Debug, Clone, Object)]
#[oai(rename = "OrgDetail", rename_all = "camelCase")]
pub(crate) struct OrgDetailView {
    /// The organization.
    pub(crate) org: OrgView,
    /// The caller's role; absent for staff reading an organization they are not in.
    #[oai(skip_serializing_if_is_none)]
    pub(crate) role: Option<OrgRoleDto>,
    /// Every member, owners first, then by join time.
    pub(crate) members: Vec<OrgMemberView>,
    /// The plan it runs on: its longest-standing owner's. Absent when that owner has none (then
    /// nobody can submit jobs in it).
    #[oai(skip_serializing_if_is_none)]
    pub(crate) plan: Option<PlanView>,
    /// What the whole organization uses against the plan.
    pub(crate) usage: AdminUsageView,
    /// The organization's transfer this month against the plan's `bandwidthBytes`.
    pub(crate) bandwidth: BandwidthView,
    /// What each member's jobs use: every member's for owners, admins and staff; only the
    /// caller's own for members.
    pub(crate) member_usage: Vec<OrgMemberUsageView>,
}

impl From<OrgDetail> for OrgDetailView {
    fn from(d: OrgDetail) -> Self {
        Self {
            org: d.org.into(),
            role: d.role.map(OrgRoleDto::from),
            members: d.members.into_iter().map(OrgMemberView::from).collect(),
            bandwidth: BandwidthView::new(d.plan.as_ref(), &d.usage.bandwidth),
            plan: d.plan.map(PlanView::from),
            usage: d.usage.into(),
            member_usage: d.member_usage.into_iter().map(OrgMemberUsageView::from).collect(),
        }
    }
}

/// An open invitation (never its token).
#[derive(Debug, Clone, Object)]
#[oai(rename = "OrgInvite", rename_all = "camelCase")]
pub(crate) struct OrgInviteView {
    /// The id.
    pub(crate) id: Uuid,
    /// The address it was sent to, lowercased.
    pub(crate) email: String,
    /// The role it grants.
    pub(crate) role: OrgRoleDto,
    /// When it was created.
    pub(crate) created_at: DateTime<Utc>,
    /// When it was last sent (created or resent).
    pub(crate) sent_at: DateTime<Utc>,
    /// When its link stops working.
    pub(crate) expires_at: DateTime<Utc>,
    /// Whether its link has stopped working (resend it for a new one).
    pub(crate) expired: bool,
}

impl OrgInviteView {
    /// The invite as shown at `now`.
    pub(crate) fn new(invite: Invite, now: DateTime<Utc>) -> Self {
        Self {
            id: invite.id.0,
            expired: invite.expires_at <= now,
            email: invite.email,
            role: invite.role.into(),
            created_at: invite.created_at,
            sent_at: invite.sent_at,
            expires_at: invite.expires_at,
        }
    }
}

/// `{invites}`.
#[derive(Debug, Clone, Object)]
#[oai(rename = "OrgInviteList")]
pub(crate) struct OrgInviteList {
    /// Invites neither accepted nor revoked (expired ones included), newest first.
    pub(crate) invites: Vec<OrgInviteView>,
}

/// An invite just sent or resent.
#[derive(Debug, Clone, Object)]
#[oai(rename = "InviteSent", rename_all = "camelCase")]
pub(crate) struct InviteSentView {
    /// The invite.
    pub(crate) invite: OrgInviteView,
    /// Whether the email went to a mail server. `false`: this server sends no email (its
    /// operator finds the link in the server's log), or the mail server refused it (resend it).
    pub(crate) email_sent: bool,
}

impl InviteSentView {
    /// The sent invite as shown at `now`.
    pub(crate) fn new(sent: SentInvite, now: DateTime<Utc>) -> Self {
        Self { invite: OrgInviteView::new(sent.invite, now), email_sent: sent.emailed }
    }
}

/// What an invite link offers.
#[derive(Debug, Clone, Object)]
#[oai(rename = "InvitePreview", rename_all = "camelCase")]
pub(crate) struct InvitePreviewView {
    /// The organization it joins: send it back as `orgId` to accept.
    pub(crate) org_id: Uuid,
    /// The organization's name.
    pub(crate) org_name: String,
    /// The organization's slug.
    pub(crate) org_slug: String,
    /// The role it grants.
    pub(crate) role: OrgRoleDto,
    /// The address it was sent to: only the account with this confirmed address may accept.
    pub(crate) email: String,
    /// Who sent it; absent when that account is gone.
    #[oai(skip_serializing_if_is_none)]
    pub(crate) inviter_email: Option<String>,
    /// When the link stops working.
    pub(crate) expires_at: DateTime<Utc>,
}

impl From<InvitePreview> for InvitePreviewView {
    fn from(p: InvitePreview) -> Self {
        Self {
            org_id: p.org.id.0,
            org_name: p.org.name,
            org_slug: p.org.slug.into(),
            role: p.invite.role.into(),
            email: p.invite.email,
            inviter_email: Some(p.inviter_email).filter(|e| !e.is_empty()),
            expires_at: p.invite.expires_at,
        }
    }
}

/// An organization as operators list it.
#[derive(Debug, Clone, Object)]
#[oai(rename = "AdminOrg", rename_all = "camelCase")]
pub(crate) struct AdminOrgView {
    /// The organization.
    pub(crate) org: OrgView,
    /// How many members it has.
    pub(crate) members: u64,
    /// The email of its longest-standing owner, whose plan it runs on.
    pub(crate) owner_email: String,
    /// The id of that plan; absent when the owner has none.
    #[oai(skip_serializing_if_is_none)]
    pub(crate) plan_id: Option<String>,
    /// Its jobs in an active status (queued, running or paused).
    pub(crate) active_jobs: u64,
    /// Bytes of its jobs' stored files.
    pub(crate) storage_bytes: u64,
}

impl From<AdminOrg> for AdminOrgView {
    fn from(a: AdminOrg) -> Self {
        Self {
            org: a.summary.org.into(),
            members: a.summary.members,
            owner_email: a.summary.owner_email,
            plan_id: a.plan.map(|plan| plan.id),
            active_jobs: a.usage.active_jobs,
            storage_bytes: a.usage.storage_bytes,
        }
    }
}

/// A new organization.
#[derive(Debug, Clone, Object)]
#[oai(rename = "CreateOrgRequest", rename_all = "camelCase")]
pub(crate) struct CreateOrgRequest {
    /// Display name, 1 to 100 characters, no control characters, not blank (surrounding blanks
    /// are trimmed).
    #[oai(validator(
        min_length = 1,
        max_length = 100,
        pattern = r#"^[^\x00-\x1f\x7f-\x9f]*[^\x00-\x1f\x7f-\x9f \u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000][^\x00-\x1f\x7f-\x9f]*$"#
    ))]
    pub(crate) name: Text,
    /// The slug: 3 to 40 characters of `a-z`, `0-9` and single `-`, starting and ending with a
    /// letter or digit, not starting with `u-` (kept for personal organizations). Made from the
    /// name when absent. It never changes.
    #[oai(nullable, validator(min_length = 3, max_length = 40, pattern = r#"^[a-z0-9]+(?:-[a-z0-9]+)*$"#))]
    pub(crate) slug: Option<Text>,
}

/// A new name for an organization.
#[derive(Debug, Clone, Object)]
#[oai(rename = "RenameOrgRequest")]
pub(crate) struct RenameOrgRequest {
    /// Display name, 1 to 100 characters, no control characters, not blank (surrounding blanks
    /// are trimmed).
    #[oai(validator(
        min_length = 1,
        max_length = 100,
        pattern = r#"^[^\x00-\x1f\x7f-\x9f]*[^\x00-\x1f\x7f-\x9f \u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000][^\x00-\x1f\x7f-\x9f]*$"#
    ))]
    pub(crate) name: Text,
}

/// The confirmation of a deletion.
#[derive(Debug, Clone, Object)]
#[oai(rename = "DeleteOrgRequest")]
pub(crate) struct DeleteOrgRequest {
    /// The organization's slug, typed again.
    #[oai(validator(max_length = 100))]
    pub(crate) confirm: Text,
}

/// A member's new role.
#[derive(Debug, Clone, Object)]
#[oai(rename = "SetOrgMemberRoleRequest")]
pub(crate) struct SetOrgMemberRoleRequest {
    /// The role.
    pub(crate) role: OrgRoleDto,
}

/// Hand ownership to another member.
#[derive(Debug, Clone, Object)]
#[oai(rename = "TransferOrgRequest", rename_all = "camelCase")]
pub(crate) struct TransferOrgRequest {
    /// The member who becomes an owner.
    pub(crate) user_id: Uuid,
    /// The caller's password, typed again.
    #[oai(validator(max_length = 1024), write_only)]
    pub(crate) password: Text,
}

/// An invitation to send.
#[derive(Debug, Clone, Object)]
#[oai(rename = "CreateOrgInviteRequest")]
pub(crate) struct CreateOrgInviteRequest {
    /// The address to invite: printable ASCII, one `@`, a dot inside the domain; at most 254
    /// characters. Only an account with this confirmed address can accept.
    #[oai(validator(max_length = 254, pattern = r#"^[!-?A-~]+@[!-\-/-?A-~][!-?A-~]*\.[!-?A-~]*[!-\-/-?A-~]$"#))]
    pub(crate) email: Text,
    /// The role it grants: `member` (when absent) or `admin`. Owners are made by promotion or
    /// transfer, never by invitation.
    pub(crate) role: Option<OrgRoleDto>,
}

/// The token of an invite link.
#[derive(Debug, Clone, Object)]
#[oai(rename = "InviteTokenRequest")]
pub(crate) struct InviteTokenRequest {
    /// The `token` of the emailed link.
    #[oai(validator(min_length = 1, max_length = 128), write_only)]
    pub(crate) token: Text,
}

/// Accept an invite.
#[derive(Debug, Clone, Object)]
#[oai(rename = "AcceptInviteRequest", rename_all = "camelCase")]
pub(crate) struct AcceptInviteRequest {
    /// The `token` of the emailed link.
    #[oai(validator(min_length = 1, max_length = 128), write_only)]
    pub(crate) token: Text,
    /// The organization the invite's preview showed (`orgId`): the invite must join exactly
    /// this one.
    pub(crate) org_id: Uuid,
}
