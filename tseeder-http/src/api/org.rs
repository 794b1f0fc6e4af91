//! `/api/v1/orgs`: organizations, their members and roles, and invitations by email;
//! `/api/v1/admin/orgs`: the operators' list.
//!
//! An organization is named by its slug. Someone who is not a member gets 404 `org_not_found`,
//! exactly as for a slug that does not exist (a malformed slug too). Invite tokens only travel in
//! request bodies (`POST /orgs/invites/preview` and `/accept`), never in paths or queries, so
//! they stay out of access logs. The rules themselves are the core's ([`OrgService`]).
//!
//! Which organization a request acts in (for jobs, files, usage and new API keys) is not a path
//! segment: the `X-Org-Slug` header names it ([`crate::auth`]), and `GET /orgs/current` shows
//! it. `current` and `invites` are never slugs, so the static paths cannot hide an organization.
//!
//! [`OrgService`]: tseeder_core::services::OrgService

use std::sync::Arc;

use poem::web::Data;
use poem_openapi::param::{Path, Query};
use poem_openapi::payload::Json;
use poem_openapi::{ApiResponse, OpenApi};
use tseeder_core::domain::{InviteId, OrgId, OrgRole, PageRequest, UserId};
use uuid::Uuid;

use super::{ApiTag, NoContent, default_limit, default_page};
use crate::auth::Auth;
use crate::dto::org::{
    AcceptInviteRequest, AdminOrgView, CreateOrgInviteRequest, CreateOrgRequest, CurrentOrgView, DeleteOrgRequest,
    InvitePreviewView, InviteSentView, InviteTokenRequest, OrgDetailView, OrgInviteList, OrgInviteView, OrgMemberList,
    OrgMemberView, OrgMembershipList, OrgMembershipView, OrgView, RenameOrgRequest, SetOrgMemberRoleRequest,
    TransferOrgRequest,
};
use crate::dto::page::Page;
use crate::error::ApiResult;
use crate::request::Meta;
use crate::state::Shared;

/// A new organization.
#[derive(Debug, ApiResponse)]
pub(crate) enum OrgCreated {
    /// The organization, with the caller as its owner.
    #[oai(status = 201)]
    Created(Json<OrgMembershipView>),
}

/// A new invitation.
#[derive(Debug, ApiResponse)]
pub(crate) enum InviteCreated {
    /// The invite is stored and its email sent (see `emailSent`).
    #[oai(status = 201)]
    Created(Json<InviteSentView>),
}

/// Organizations, members and invites.
#[derive(Debug)]
pub(crate) struct OrgApi;

#[OpenApi(prefix_path = "/api/v1/orgs", tag = "ApiTag::Orgs")]
impl OrgApi {
    /// List the caller's organizations
    ///
    /// Every organization the caller belongs to, with their role: the personal one first, then
    /// by name. API keys need `account:read`.
    #[oai(path = "/", method = "get", operation_id = "listMyOrgs")]
    async fn list_mine(&self, auth: Auth, app: Data<&Arc<Shared>>) -> ApiResult<Json<OrgMembershipList>> {
        let orgs = app.core.orgs.list_mine(&auth.principal).await?;
        Ok(Json(OrgMembershipList { orgs: orgs.into_iter().map(OrgMembershipView::from).collect() }))
    }

    /// Create an organization
    ///
    /// The caller becomes its owner. Without a `slug`, one is made from the name (400
    /// `invalid_slug` when the name gives none, or for a malformed slug, one starting with `u-`,
    /// or `current` or `invites`); 400 `invalid_name`; 409 `slug_taken`; 409 `too_many_orgs`
    /// when the caller already belongs to `orgs.max_orgs_per_user` organizations. Sessions only
    /// (403 `session_required`). Audited as `org.created`.
    #[oai(path = "/", method = "post", operation_id = "createOrg")]
    async fn create(
        &self,
        auth: Auth,
        app: Data<&Arc<Shared>>,
        meta: Meta,
        body: Json<CreateOrgRequest>,
    ) -> ApiResult<OrgCreated> {
        let membership = app.core.orgs.create(&auth.principal, &body.name, body.slug.as_deref(), &meta.0).await?;
        Ok(OrgCreated::Created(Json(membership.into())))
    }

    /// The organization the request acts in
    ///
    /// The one `X-Org-Slug` names, or the API key's, or else the caller's personal one, with the
    /// caller's `role` there: owners and admins see and change every job of it, members their
    /// own. With `X-Org-Slug`, 404 `org_not_found` unless the caller is a member, 403
    /// `org_mismatch` for an API key of another organization.
    #[oai(path = "/current", method = "get", operation_id = "getCurrentOrg")]
    async fn current(&self, auth: Auth, app: Data<&Arc<Shared>>) -> ApiResult<Json<CurrentOrgView>> {
        let current = app.core.orgs.current(&auth.principal).await?;
        Ok(Json(current.into()))
    }

    /// Get an organization
    ///
    /// The organization, its members and the caller's `role` (absent for staff, who may read any
    /// organization), the `plan` it runs on (its longest-standing owner's; absent when there is
    /// none), what it uses (`usage`) and what each member's jobs use (`memberUsage`: everyone's
    /// for owners, admins and staff, only the caller's own for members). 404 `org_not_found` for
    /// anyone else. API keys need `account:read`.
    #[oai(path = "/:slug", method = "get", operation_id = "getOrg")]
    async fn get(
        &self,
        auth: Auth,
        app: Data<&Arc<Shared>>,
        /// The organization's slug.
        slug: Path<String>,
    ) -> ApiResult<Json<OrgDetailView>> {
        let detail = app.core.orgs.get(&auth.principal, &slug.0).await?;
        Ok(Json(detail.into()))
    }

    /// Rename an organization
    ///
    /// The slug stays. Admins and owners (403 `insufficient_role` for members); 400
    /// `invalid_name`; 404 `org_not_found`. Sessions only. Audited as `org.renamed`.
    #[oai(path = "/:slug", method = "patch", operation_id = "renameOrg")]
    async fn rename(
        &self,
        auth: Auth,
        app: Data<&Arc<Shared>>,
        meta: Meta,
        /// The organization's slug.
        slug: Path<String>,
        body: Json<RenameOrgRequest>,
    ) -> ApiResult<Json<OrgView>> {
        let org = app.core.orgs.rename(&auth.principal, &slug.0, &body.name, &meta.0).await?;
        Ok(Json(org.into()))
    }

    /// Delete an organization
    ///
    /// With its memberships and invites. Owners only (403 `insufficient_role`), with the slug
    /// typed again as `confirm` (400 `confirmation_mismatch`); a personal organization goes only
    /// with its account (409 `personal_org`); an organization that still has jobs stays (409
    /// `org_has_jobs`); 404 `org_not_found`. Sessions only. Audited as `org.deleted`.
    #[oai(path = "/:slug", method = "delete", operation_id = "deleteOrg")]
    async fn delete(
        &self,
        auth: Auth,
        app: Data<&Arc<Shared>>,
        meta: Meta,
        /// The organization's slug.
        slug: Path<String>,
        body: Json<DeleteOrgRequest>,
    ) -> ApiResult<NoContent> {
        app.core.orgs.delete(&auth.principal, &slug.0, &body.confirm, &meta.0).await?;
        Ok(NoContent::Done)
    }

    /// List an organization's members
    ///
    /// Owners first, then by join time. Any member, and staff; 404 `org_not_found` for anyone
    /// else. API keys need `account:read`.
    #[oai(path = "/:slug/members", method = "get", operation_id = "listOrgMembers")]
    async fn members(
        &self,
        auth: Auth,
        app: Data<&Arc<Shared>>,
        /// The organization's slug.
        slug: Path<String>,
    ) -> ApiResult<Json<OrgMemberList>> {
        let members = app.core.orgs.members(&auth.principal, &slug.0).await?;
        Ok(Json(OrgMemberList { members: members.into_iter().map(OrgMemberView::from).collect() }))
    }

    /// Change a member's role
    ///
    /// Admins manage members and admins; only owners make, unmake or change owners (403
    /// `insufficient_role`). The last owner keeps their role (409 `last_owner`). 404
    /// `org_not_found`, `member_not_found`; 400 `invalid_request` for a malformed `userId`.
    /// Sessions only. Audited as `org.member_role_changed`.
    #[oai(path = "/:slug/members/:userId", method = "patch", operation_id = "setOrgMemberRole")]
    async fn set_role(
        &self,
        auth: Auth,
        app: Data<&Arc<Shared>>,
        meta: Meta,
        /// The organization's slug.
        slug: Path<String>,
        /// The member's user id.
        #[oai(name = "userId")]
        user_id: Path<Uuid>,
        body: Json<SetOrgMemberRoleRequest>,
    ) -> ApiResult<Json<OrgMemberView>> {
        let role: OrgRole = body.role.into();
        let member = app.core.orgs.set_role(&auth.principal, &slug.0, UserId(user_id.0), role, &meta.0).await?;
        Ok(Json(member.into()))
    }

    /// Remove a member
    ///
    /// Their access ends at once: their API keys made in the organization stop working (401).
    /// Their jobs there stay, with them as owner, or go to the member `reassignTo` names (409
    /// `duplicate_job`, and nobody removed, when that member already has a live job for one of
    /// the same torrents). Admins and owners; only owners remove owners (403
    /// `insufficient_role`); the last owner stays (409 `last_owner`). Naming oneself is leaving
    /// (`POST /orgs/{slug}/leave`). 404 `org_not_found`, `member_not_found` (also when
    /// `reassignTo` is not a member); 400 `invalid_request` for a malformed `userId` or
    /// `reassignTo`, or `reassignTo` naming the member removed. Sessions only. Audited as
    /// `org.member_removed`.
    #[oai(path = "/:slug/members/:userId", method = "delete", operation_id = "removeOrgMember")]
    async fn remove_member(
        &self,
        auth: Auth,
        app: Data<&Arc<Shared>>,
        meta: Meta,
        /// The organization's slug.
        slug: Path<String>,
        /// The member's user id.
        #[oai(name = "userId")]
        user_id: Path<Uuid>,
        /// Another member's user id: the removed member's jobs in the organization become theirs.
        #[oai(name = "reassignTo")]
        reassign_to: Query<Option<Uuid>>,
    ) -> ApiResult<NoContent> {
        let reassign_to = reassign_to.0.map(UserId);
        app.core.orgs.remove_member(&auth.principal, &slug.0, UserId(user_id.0), reassign_to, &meta.0).await?;
        Ok(NoContent::Done)
    }

    /// Leave an organization
    ///
    /// The last owner cannot (409 `last_owner`: make another member owner, or delete the
    /// organization), nor can anyone leave their personal organization (409 `personal_org`).
    /// 404 `org_not_found`. Sessions only. Audited as `org.member_left`.
    #[oai(path = "/:slug/leave", method = "post", operation_id = "leaveOrg")]
    async fn leave(
        &self,
        auth: Auth,
        app: Data<&Arc<Shared>>,
        meta: Meta,
        /// The organization's slug.
        slug: Path<String>,
    ) -> ApiResult<NoContent> {
        app.core.orgs.leave(&auth.principal, &slug.0, &meta.0).await?;
        Ok(NoContent::Done)
    }

    /// Hand ownership to another member
    ///
    /// In one step the member becomes an owner and the caller an admin. Owners only (403
    /// `insufficient_role`), with their password typed again (403 `wrong_password`, recorded as
    /// a security event); 404 `member_not_found` when `userId` is not a member; 400
    /// `invalid_request` for the caller themselves. 404 `org_not_found`. Sessions only. Audited
    /// as `org.ownership_transferred`.
    #[oai(path = "/:slug/transfer", method = "post", operation_id = "transferOrgOwnership")]
    async fn transfer(
        &self,
        auth: Auth,
        app: Data<&Arc<Shared>>,
        meta: Meta,
        /// The organization's slug.
        slug: Path<String>,
        body: Json<TransferOrgRequest>,
    ) -> ApiResult<NoContent> {
        app.core
            .orgs
            .transfer_ownership(&auth.principal, &slug.0, UserId(body.user_id), &body.password, &meta.0)
            .await?;
        Ok(NoContent::Done)
    }

    /// Invite someone by email
    ///
    /// Emails a link to `/invite?token=…` that works once, for `orgs.invite_days` days, for the
    /// account whose confirmed address is `email`. Admins and owners (403 `insufficient_role`,
    /// also for `role: owner`); never to a personal organization (409 `personal_org`); 409
    /// `already_member`; 409 `invite_pending` when one to this address is pending (resend it);
    /// 429 `rate_limited` beyond `orgs.invites_per_hour` sends an hour; 400 `invalid_email`. 404
    /// `org_not_found`. Sessions only. Audited as `org.invite_sent`.
    #[oai(path = "/:slug/invites", method = "post", operation_id = "createOrgInvite")]
    async fn invite(
        &self,
        auth: Auth,
        app: Data<&Arc<Shared>>,
        meta: Meta,
        /// The organization's slug.
        slug: Path<String>,
        body: Json<CreateOrgInviteRequest>,
    ) -> ApiResult<InviteCreated> {
        let role = body.role.map_or(OrgRole::Member, OrgRole::from);
        let sent = app.core.orgs.invite(&auth.principal, &slug.0, &body.email, role, &meta.0).await?;
        let now = app.core.ports.clock.now();
        Ok(InviteCreated::Created(Json(InviteSentView::new(sent, now))))
    }

    /// List an organization's invites
    ///
    /// Those neither accepted nor revoked, expired ones included (`expired`), newest first.
    /// Admins and owners (403 `insufficient_role`); 404 `org_not_found` for non-members. API
    /// keys need `account:read`.
    #[oai(path = "/:slug/invites", method = "get", operation_id = "listOrgInvites")]
    async fn invites(
        &self,
        auth: Auth,
        app: Data<&Arc<Shared>>,
        /// The organization's slug.
        slug: Path<String>,
    ) -> ApiResult<Json<OrgInviteList>> {
        let invites = app.core.orgs.invites(&auth.principal, &slug.0).await?;
        let now = app.core.ports.clock.now();
        Ok(Json(OrgInviteList { invites: invites.into_iter().map(|i| OrgInviteView::new(i, now)).collect() }))
    }

    /// Revoke an invite
    ///
    /// Its link stops working at once. Admins and owners (403 `insufficient_role`); 404
    /// `invite_not_found` (also for an accepted or revoked one), `org_not_found`; 400
    /// `invalid_request` for a malformed `inviteId`. Sessions only. Audited as
    /// `org.invite_revoked`.
    #[oai(path = "/:slug/invites/:inviteId", method = "delete", operation_id = "revokeOrgInvite")]
    async fn revoke_invite(
        &self,
        auth: Auth,
        app: Data<&Arc<Shared>>,
        meta: Meta,
        /// The organization's slug.
        slug: Path<String>,
        /// The invite's id.
        #[oai(name = "inviteId")]
        invite_id: Path<Uuid>,
    ) -> ApiResult<NoContent> {
        app.core.orgs.revoke_invite(&auth.principal, &slug.0, InviteId(invite_id.0), &meta.0).await?;
        Ok(NoContent::Done)
    }

    /// Send an invite again
    ///
    /// With a new link (the old one stops working) and a fresh expiry. It counts against the
    /// hourly budget (429 `rate_limited`). Admins and owners (403 `insufficient_role`); 404
    /// `invite_not_found` (also for an accepted or revoked one), `org_not_found`; 400
    /// `invalid_request` for a malformed `inviteId`. Sessions only. Audited as
    /// `org.invite_resent`.
    #[oai(path = "/:slug/invites/:inviteId/resend", method = "post", operation_id = "resendOrgInvite")]
    async fn resend_invite(
        &self,
        auth: Auth,
        app: Data<&Arc<Shared>>,
        meta: Meta,
        /// The organization's slug.
        slug: Path<String>,
        /// The invite's id.
        #[oai(name = "inviteId")]
        invite_id: Path<Uuid>,
    ) -> ApiResult<Json<InviteSentView>> {
        let sent = app.core.orgs.resend_invite(&auth.principal, &slug.0, InviteId(invite_id.0), &meta.0).await?;
        let now = app.core.ports.clock.now();
        Ok(Json(InviteSentView::new(sent, now)))
    }

    /// See what an invite link offers
    ///
    /// The organization, the role and who sent it, for the page that asks whether to accept.
    /// Any signed-in caller holding the link's token; 400 `invalid_invite` when it is unknown,
    /// used, revoked or expired. Changes nothing. API keys need `account:read`.
    #[oai(path = "/invites/preview", method = "post", operation_id = "previewOrgInvite")]
    async fn preview_invite(
        &self,
        auth: Auth,
        app: Data<&Arc<Shared>>,
        body: Json<InviteTokenRequest>,
    ) -> ApiResult<Json<InvitePreviewView>> {
        let preview = app.core.orgs.preview_invite(&auth.principal, &body.token).await?;
        Ok(Json(preview.into()))
    }

    /// Accept an invite
    ///
    /// Joins exactly the organization `orgId` (the one the preview showed) with the invite's
    /// role. The caller's email address must be confirmed (403 `email_unverified`) and be the
    /// invited one (403 `invite_email_mismatch`); 400 `invalid_invite` when the token is
    /// unknown, used, revoked or expired, or names another organization; 409 `already_member`;
    /// 409 `too_many_orgs`. Sessions only. Audited as `org.invite_accepted`.
    #[oai(path = "/invites/accept", method = "post", operation_id = "acceptOrgInvite")]
    async fn accept_invite(
        &self,
        auth: Auth,
        app: Data<&Arc<Shared>>,
        meta: Meta,
        body: Json<AcceptInviteRequest>,
    ) -> ApiResult<Json<OrgMembershipView>> {
        let membership = app.core.orgs.accept_invite(&auth.principal, &body.token, OrgId(body.org_id), &meta.0).await?;
        Ok(Json(membership.into()))
    }
}

/// The operators' view of organizations.
#[derive(Debug)]
pub(crate) struct OrgAdminApi;

#[OpenApi(prefix_path = "/api/v1/admin", tag = "ApiTag::Admin")]
impl OrgAdminApi {
    /// List organizations
    ///
    /// Every organization that is not personal, oldest first, with its member count,
    /// longest-standing owner, the plan it runs on (`planId`, absent when that owner has none)
    /// and what it uses (`activeJobs`, `storageBytes`). 400 `invalid_query` for a search over 200
    /// characters. Support role and above.
    #[oai(path = "/orgs", method = "get", operation_id = "adminListOrgs")]
    async fn orgs(
        &self,
        auth: Auth,
        app: Data<&Arc<Shared>>,
        /// Only organizations whose name or slug contains this text (any case).
        q: Query<Option<String>>,
        /// Page number, from 1.
        #[oai(default = "default_page", validator(minimum(value = "1"), maximum(value = "1000000")))]
        page: Query<u64>,
        /// Page size, 1 to 100.
        #[oai(default = "default_limit", validator(minimum(value = "1"), maximum(value = "100")))]
        limit: Query<u64>,
    ) -> ApiResult<Json<Page<AdminOrgView>>> {
        let orgs = app.core.orgs.list_all(&auth.principal, q.0.as_deref(), PageRequest::new(page.0, limit.0)).await?;
        Ok(Json(orgs.into()))
    }
}
