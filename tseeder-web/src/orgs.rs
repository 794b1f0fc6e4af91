//! Organizations: the viewer's own with a form to create one, an organization's page (plan and
//! usage, members and their roles, invites, the name, ownership, deletion, leaving), the page of
//! an invitation link, and the header's switcher of the organization the pages act in. Every
//! rule is the core's `OrgService`, as for the API: the pages only offer what the viewer's role
//! allows, and the service refuses the rest anyway.

use askama::Template;
use chrono::Utc;
use poem::http::StatusCode;
use poem::web::Path;
use poem::{Body, Request, Response, handler};
use tseeder_core::domain::{InviteId, Member, OrgId, OrgRole, Usage, UserId};
use tseeder_core::ports::Mailer;
use tseeder_core::services::org::{InvitePreview, OrgDetail, SentInvite};
use tseeder_http::console::{Console, PublicError, request_meta};

use crate::auth::safe_next;
use crate::page::{
    Chrome, FormData, Viewer, add_cookie, ago, clear_org_cookie, csrf_refused, encode, error_page, exact, human_size,
    org_cookie, query_param, redirect_notice, render, service_error, to_login, viewer,
};
use crate::settings::UsageSummary;

/// One of the viewer's organizations, as listed.
#[derive(Debug, Clone)]
struct OrgRow {
    name: String,
    slug: String,
    role: &'static str,
    personal: bool,
    joined: String,
    joined_exact: String,
    /// Whether the pages act in it now.
    current: bool,
}

#[derive(Template)]
#[template(path = "orgs.html")]
struct OrgsPage {
    chrome: Chrome,
    orgs: Vec<OrgRow>,
    /// What the creation form had, to fill it again after a refusal.
    name: String,
    slug: String,
    error: String,
}

async fn orgs_view(
    console: &Console,
    viewer: &Viewer,
    req: &Request,
    (name, slug): (String, String),
    error: String,
    status: StatusCode,
) -> Response {
    let chrome = Chrome::new(console, Some(viewer), "Organizations", "orgs").with_notice(req);
    let mine = match console.core().orgs.list_mine(&viewer.principal).await {
        Ok(mine) => mine,
        Err(e) => return service_error(chrome, PublicError::from(e)),
    };
    let now = Utc::now();
    let orgs = mine
        .into_iter()
        .map(|m| OrgRow {
            name: m.org.name,
            slug: m.org.slug.to_string(),
            role: m.role.as_str(),
            personal: m.org.personal,
            joined: ago(m.joined_at, now),
            joined_exact: exact(m.joined_at),
            current: m.org.id == viewer.principal.org.id,
        })
        .collect();
    render(status, &OrgsPage { chrome, orgs, name, slug, error })
}

/// `GET /orgs`: the viewer's organizations and the form to create one.
#[handler]
pub(crate) async fn list_page(console: Console, req: &Request) -> Response {
    let Some(viewer) = viewer(&console, req).await else { return to_login(&console, req) };
    orgs_view(&console, &viewer, req, (String::new(), String::new()), String::new(), StatusCode::OK).await
}

/// `POST /orgs`: creates an organization (fields `name`, `slug` optional) with the viewer as its
/// owner, then opens it.
#[handler]
pub(crate) async fn create(console: Console, req: &Request, body: Body) -> Response {
    let Some(viewer) = viewer(&console, req).await else { return to_login(&console, req) };
    let form = FormData::parse(&body.into_vec().await.unwrap_or_default());
    if !form.csrf_ok(&viewer) {
        return csrf_refused(Chrome::new(&console, Some(&viewer), "Form expired", "orgs"));
    }
    let name = form.get("name").unwrap_or_default().trim().to_owned();
    let slug = form.get("slug").unwrap_or_default().trim().to_owned();
    let given = Some(slug.as_str()).filter(|s| !s.is_empty());
    match console.core().orgs.create(&viewer.principal, &name, given, &request_meta(req)).await {
        Ok(created) => redirect_notice(
            &format!("{}/orgs/{}", console.config().base_path(), created.org.slug),
            &format!("Organization \u{201c}{}\u{201d} created. Invite people to it below.", created.org.name),
        ),
        Err(e) => {
            let error = PublicError::from(e);
            if error.status.is_server_error() {
                let chrome = Chrome::new(&console, Some(&viewer), "Organizations", "orgs");
                return service_error(chrome, error);
            }
            orgs_view(&console, &viewer, req, (name, slug), error.message, error.status).await
        }
    }
}

/// A member as a row of the organization's page.
#[derive(Debug, Clone)]
struct MemberRow {
    id: String,
    email: String,
    role: &'static str,
    joined: String,
    joined_exact: String,
    is_you: bool,
    /// The roles the viewer may give this member, other than theirs (empty: none offered).
    grantable: Vec<&'static str>,
    /// Whether the viewer may remove this member.
    removable: bool,
    /// What their downloads here use, when the viewer may see it (`has_usage`).
    has_usage: bool,
    active_jobs: u64,
    storage: String,
    /// The members their downloads can go to when they are removed (id and email); empty when
    /// they have none here, or are not removable.
    heirs: Vec<(String, String)>,
}

/// An open invite as a row.
#[derive(Debug, Clone)]
struct InviteRow {
    id: String,
    email: String,
    role: &'static str,
    /// Who sent it (empty when they are no longer a member).
    by: String,
    sent: String,
    sent_exact: String,
    expires: String,
    expired: bool,
}

/// What a form of the organization's page answered, shown on the page it redraws.
#[derive(Debug, Default)]
struct Outcome {
    /// The form that was refused: `invite`, `members`, `invites`, `rename`, `leave`, `transfer`
    /// or `delete` (empty: none).
    form: &'static str,
    error: String,
    /// What the invite form had, to fill it again.
    invite_email: String,
    invite_role: String,
}

impl Outcome {
    fn refused(form: &'static str, error: String) -> Self {
        Self { form, error, ..Self::default() }
    }
}

#[derive(Template)]
#[template(path = "org.html")]
struct OrgPage {
    chrome: Chrome,
    name: String,
    slug: String,
    personal: bool,
    created: String,
    created_exact: String,
    /// The viewer's role (empty: staff reading an organization they are not in).
    role: &'static str,
    /// Admins and owners: members, invites and the name.
    can_manage: bool,
    /// Owners: the danger zone.
    is_owner: bool,
    members: Vec<MemberRow>,
    invites: Vec<InviteRow>,
    /// The members ownership can go to: id and email.
    heirs: Vec<(String, String)>,
    invite_days: u32,
    /// Whether this server emails invites (else their links go to its log).
    delivers: bool,
    outcome: Outcome,
    /// The organization's plan and usage (an empty plan: it has none).
    usage: UsageSummary,
    /// Whether the members table shows each member's usage (owners, admins, staff).
    member_usage: bool,
    /// Whether the viewer's own downloads here are shown apart (members, who see only theirs):
    /// active ones and storage.
    my_usage: bool,
    my_active: u64,
    my_storage: String,
    /// Whether the pages act in this organization now (else the switcher's form is offered).
    current: bool,
}

/// The roles `mine` may give `member` (never one's own role: leaving is the way out), the rule of
/// [`OrgService::set_role`](tseeder_core::services::OrgService::set_role): admins manage members
/// and admins, only owners make, unmake or change owners.
fn grantable(mine: Option<OrgRole>, member: &Member, you: UserId) -> Vec<&'static str> {
    let Some(mine) = mine.filter(|r| *r >= OrgRole::Admin) else { return Vec::new() };
    if member.user_id == you || (member.role == OrgRole::Owner && mine < OrgRole::Owner) {
        return Vec::new();
    }
    OrgRole::ALL
        .into_iter()
        .filter(|r| *r != member.role && (*r < OrgRole::Owner || mine == OrgRole::Owner))
        .map(OrgRole::as_str)
        .collect()
}

/// The members `removed`'s downloads can be handed to (id and email): everyone else.
fn heirs_of(members: &[Member], removed: UserId, you: UserId) -> Vec<(String, String)> {
    members
        .iter()
        .filter(|h| h.user_id != removed)
        .map(|h| {
            let email = if h.user_id == you { format!("{} (you)", h.email) } else { h.email.clone() };
            (h.user_id.to_string(), email)
        })
        .collect()
}

/// Whether `mine` may remove `member` (admins remove members and admins, owners anyone; oneself
/// leaves instead).
fn removable(mine: Option<OrgRole>, member: &Member, you: UserId) -> bool {
    mine.is_some_and(|mine| {
        mine >= OrgRole::Admin && member.user_id != you && (member.role != OrgRole::Owner || mine == OrgRole::Owner)
    })
}

async fn org_view(
    console: &Console,
    viewer: &Viewer,
    req: &Request,
    slug: &str,
    outcome: Outcome,
    status: StatusCode,
) -> Response {
    let chrome = Chrome::new(console, Some(viewer), "Organization", "orgs").with_notice(req);
    let orgs = &console.core().orgs;
    let detail = match orgs.get(&viewer.principal, slug).await {
        Ok(detail) => detail,
        Err(e) => return org_error(chrome, PublicError::from(e)),
    };
    let OrgDetail { org, role, members, plan, usage, member_usage } = detail;
    let can_manage = role.is_some_and(|r| r >= OrgRole::Admin);
    let invites = if can_manage && !org.personal {
        match orgs.invites(&viewer.principal, slug).await {
            Ok(invites) => invites,
            Err(e) => return service_error(chrome, PublicError::from(e)),
        }
    } else {
        Vec::new()
    };
    let now = Utc::now();
    let you = viewer.user.id;
    let invites = invites
        .into_iter()
        .map(|i| InviteRow {
            id: i.id.to_string(),
            by: members.iter().find(|m| m.user_id == i.invited_by).map(|m| m.email.clone()).unwrap_or_default(),
            email: i.email,
            role: i.role.as_str(),
            sent: ago(i.sent_at, now),
            sent_exact: exact(i.sent_at),
            expires: exact(i.expires_at),
            expired: i.expires_at <= now,
        })
        .collect();
    let heirs = members.iter().filter(|m| m.user_id != you).map(|m| (m.user_id.to_string(), m.email.clone())).collect();
    let usage_of = |user: UserId| member_usage.iter().find(|(id, _)| *id == user).map(|(_, u)| *u);
    let sees_all = role.is_none_or(|r| r >= OrgRole::Admin);
    let rows = members
        .iter()
        .map(|m| {
            let used = usage_of(m.user_id);
            let removable = removable(role, m, you);
            let has_jobs = used.is_some_and(|u: Usage| u.total_jobs > 0);
            MemberRow {
                id: m.user_id.to_string(),
                email: m.email.clone(),
                role: m.role.as_str(),
                joined: ago(m.joined_at, now),
                joined_exact: exact(m.joined_at),
                is_you: m.user_id == you,
                grantable: grantable(role, m, you),
                removable,
                has_usage: used.is_some(),
                active_jobs: used.map_or(0, |u| u.active_jobs),
                storage: used.map(|u| human_size(u.storage_bytes)).unwrap_or_default(),
                heirs: if removable && has_jobs { heirs_of(&members, m.user_id, you) } else { Vec::new() },
            }
        })
        .collect();
    let mine = if sees_all { None } else { usage_of(you) };
    let chrome = Chrome { title: org.name.clone(), ..chrome };
    let page = OrgPage {
        chrome,
        name: org.name,
        slug: org.slug.to_string(),
        personal: org.personal,
        created: ago(org.created_at, now),
        created_exact: exact(org.created_at),
        role: role.map_or("", OrgRole::as_str),
        can_manage,
        is_owner: role == Some(OrgRole::Owner),
        members: rows,
        invites,
        heirs,
        invite_days: console.core().config.orgs.invite_days.max(1),
        delivers: Mailer::delivers(&*console.core().ports.mailer),
        outcome,
        usage: UsageSummary::new(plan.as_ref(), &usage),
        member_usage: sees_all,
        my_usage: mine.is_some(),
        my_active: mine.map_or(0, |u| u.active_jobs),
        my_storage: mine.map(|u| human_size(u.storage_bytes)).unwrap_or_default(),
        current: org.id == viewer.principal.org.id,
    };
    render(status, &page)
}

/// The page of an organization that cannot be shown: not found (or not the viewer's) in words,
/// the rest as any service error.
fn org_error(chrome: Chrome, error: PublicError) -> Response {
    if error.status == StatusCode::NOT_FOUND {
        return error_page(
            chrome,
            StatusCode::NOT_FOUND,
            "Not found",
            "No organization of yours has this address. Check the link, or ask one of its admins to invite you.",
        );
    }
    service_error(chrome, error)
}

/// `GET /orgs/{slug}`: an organization's page, for its members (and, read only, for staff).
#[handler]
pub(crate) async fn org_page(console: Console, req: &Request, Path(slug): Path<String>) -> Response {
    let Some(viewer) = viewer(&console, req).await else { return to_login(&console, req) };
    org_view(&console, &viewer, req, &slug, Outcome::default(), StatusCode::OK).await
}

/// `GET /orgs/switch`: the page of an organization whose slug is `switch` (the switcher's
/// address is a `POST` of the same path).
#[handler]
pub(crate) async fn switch_page(console: Console, req: &Request) -> Response {
    let Some(viewer) = viewer(&console, req).await else { return to_login(&console, req) };
    org_view(&console, &viewer, req, "switch", Outcome::default(), StatusCode::OK).await
}

/// `POST /orgs/switch`: the header's organization switcher. Field `slug`: one of the viewer's
/// organizations (the core's `OrgService::enter` decides), empty for the personal one; kept in
/// the organization cookie, which every page then acts in. Then back to `next` (a path of this
/// site).
#[handler]
pub(crate) async fn switch(console: Console, req: &Request, body: Body) -> Response {
    let (viewer, form) = match posted(&console, req, body).await {
        Ok(ok) => ok,
        Err(resp) => return resp,
    };
    let base = console.config().base_path();
    let next = safe_next(&base, form.get("next").filter(|n| !n.is_empty()));
    let slug = form.get("slug").unwrap_or_default().trim();
    let personal = viewer.orgs.iter().find(|m| m.org.personal).map(|m| m.org.slug.to_string());
    if slug.is_empty() || personal.as_deref() == Some(slug) {
        let mut resp = redirect_notice(&next, "You are working in your personal organization.");
        add_cookie(&mut resp, &clear_org_cookie(&console));
        return resp;
    }
    match console.core().orgs.enter(&viewer.principal, slug).await {
        Ok(entered) => {
            let joined = viewer.orgs.iter().find(|m| m.org.id == entered.org.id);
            let name = joined.map_or(slug, |m| m.org.name.as_str());
            let mut resp = redirect_notice(&next, &format!("You are working in {name}."));
            add_cookie(&mut resp, &org_cookie(&console, joined.map_or(slug, |m| m.org.slug.as_str())));
            resp
        }
        Err(e) => {
            let error = PublicError::from(e);
            if error.status == StatusCode::NOT_FOUND {
                redirect_notice(&next, "No organization of yours has that address: you are where you were.")
            } else {
                service_error(Chrome::new(&console, Some(&viewer), "Organizations", "orgs"), error)
            }
        }
    }
}

/// What a send (or resend) of an invite says: whether the email went out, or where the link is.
fn sent_notice(sent: &SentInvite, again: bool, days: u32) -> String {
    let email = &sent.invite.email;
    let what = if again { "sent again" } else { "sent" };
    if sent.emailed {
        let old = if again { " The previous link no longer works." } else { "" };
        format!("Invite {what} to {email}: the email's link works for {days} days.{old}")
    } else {
        format!(
            "Invite {what} to {email}, but this server sends no email: the link is in the server's log, for its \
             operator to pass on."
        )
    }
}

/// A form post of an organization's page: the viewer, the form and the organization's address,
/// or the response that turns it away (login, CSRF).
async fn posted(console: &Console, req: &Request, body: Body) -> Result<(Viewer, FormData), Response> {
    let Some(viewer) = viewer(console, req).await else { return Err(to_login(console, req)) };
    let form = FormData::parse(&body.into_vec().await.unwrap_or_default());
    if !form.csrf_ok(&viewer) {
        return Err(csrf_refused(Chrome::new(console, Some(&viewer), "Form expired", "orgs")));
    }
    Ok((viewer, form))
}

/// The page a refused form redraws, with the refusal beside the form (server failures get the
/// error page).
async fn refused(
    console: &Console,
    viewer: &Viewer,
    req: &Request,
    slug: &str,
    mut outcome: Outcome,
    error: PublicError,
) -> Response {
    if error.status.is_server_error() {
        return service_error(Chrome::new(console, Some(viewer), "Organization", "orgs"), error);
    }
    outcome.error = error.message;
    org_view(console, viewer, req, slug, outcome, error.status).await
}

/// A refusal made by the page itself (a field that does not parse), as a 400.
fn invalid(message: &str) -> PublicError {
    PublicError { status: StatusCode::BAD_REQUEST, code: "invalid_request", message: message.to_owned() }
}

/// `POST /orgs/{slug}/{action}`: `invite` (fields `email`, `role`), `rename` (`name`),
/// `transfer` (`to`, `password`), `delete` (`confirm`: the slug) and `leave`.
#[handler]
pub(crate) async fn act(
    console: Console,
    req: &Request,
    Path((slug, action)): Path<(String, String)>,
    body: Body,
) -> Response {
    let (viewer, form) = match posted(&console, req, body).await {
        Ok(ok) => ok,
        Err(resp) => return resp,
    };
    let slug = slug.trim().to_owned();
    let base = console.config().base_path();
    let orgs = &console.core().orgs;
    let meta = request_meta(req);
    let p = &viewer.principal;
    let field = |name| form.get(name).unwrap_or_default();
    let (form_name, result) = match action.as_str() {
        "invite" => {
            let email = field("email").trim().to_owned();
            let role = field("role").to_owned();
            let outcome = Outcome {
                form: "invite",
                invite_email: email.clone(),
                invite_role: role.clone(),
                ..Outcome::default()
            };
            let Ok(role) = role.parse::<OrgRole>() else {
                return refused(&console, &viewer, req, &slug, outcome, invalid("Choose member or admin.")).await;
            };
            return match orgs.invite(p, &slug, &email, role, &meta).await {
                Ok(sent) => {
                    let days = console.core().config.orgs.invite_days.max(1);
                    redirect_notice(&format!("{base}/orgs/{slug}"), &sent_notice(&sent, false, days))
                }
                Err(e) => refused(&console, &viewer, req, &slug, outcome, PublicError::from(e)).await,
            };
        }
        "rename" => {
            let renamed = orgs.rename(p, &slug, field("name"), &meta).await;
            ("rename", renamed.map(|org| format!("Renamed to \u{201c}{}\u{201d}.", org.name)))
        }
        "transfer" => {
            if let Err(limited) = console.limit_login(meta.ip.as_deref()) {
                let message =
                    format!("Too many attempts from your address. Try again in {} s.", limited.retry_after_secs);
                let error = PublicError { status: StatusCode::TOO_MANY_REQUESTS, code: "rate_limited", message };
                return refused(&console, &viewer, req, &slug, Outcome::refused("transfer", String::new()), error)
                    .await;
            }
            let Ok(to) = field("to").parse::<UserId>() else {
                let error = invalid("Choose the member who becomes the owner.");
                return refused(&console, &viewer, req, &slug, Outcome::refused("transfer", String::new()), error)
                    .await;
            };
            let transferred = orgs.transfer_ownership(p, &slug, to, field("password"), &meta).await;
            let notice = "Ownership handed over: the new owner can do everything, and you are now an admin.";
            ("transfer", transferred.map(|()| notice.to_owned()))
        }
        "delete" => {
            return match orgs.delete(p, &slug, field("confirm"), &meta).await {
                Ok(()) => redirect_notice(&format!("{base}/orgs"), &format!("Organization {slug} deleted.")),
                Err(e) => {
                    let outcome = Outcome::refused("delete", String::new());
                    refused(&console, &viewer, req, &slug, outcome, PublicError::from(e)).await
                }
            };
        }
        "leave" => {
            return match orgs.leave(p, &slug, &meta).await {
                Ok(()) => redirect_notice(&format!("{base}/orgs"), &format!("You left {slug}.")),
                Err(e) => {
                    let outcome = Outcome::refused("leave", String::new());
                    refused(&console, &viewer, req, &slug, outcome, PublicError::from(e)).await
                }
            };
        }
        _ => {
            let chrome = Chrome::new(&console, Some(&viewer), "Not found", "orgs");
            return error_page(chrome, StatusCode::NOT_FOUND, "Page not found", "There is no such action.");
        }
    };
    match result {
        Ok(notice) => redirect_notice(&format!("{base}/orgs/{slug}"), &notice),
        Err(e) => {
            refused(&console, &viewer, req, &slug, Outcome::refused(form_name, String::new()), PublicError::from(e))
                .await
        }
    }
}

/// `POST /orgs/{slug}/members/{user}/{action}`: `role` (field `role`) or `remove` (field
/// `reassign_to`: the member their downloads go to; empty: they stay, as theirs).
#[handler]
pub(crate) async fn member_act(
    console: Console,
    req: &Request,
    Path((slug, user, action)): Path<(String, String, String)>,
    body: Body,
) -> Response {
    let (viewer, form) = match posted(&console, req, body).await {
        Ok(ok) => ok,
        Err(resp) => return resp,
    };
    let slug = slug.trim().to_owned();
    let outcome = || Outcome::refused("members", String::new());
    let Ok(user) = user.parse::<UserId>() else {
        return refused(&console, &viewer, req, &slug, outcome(), invalid("There is no such member.")).await;
    };
    let orgs = &console.core().orgs;
    let meta = request_meta(req);
    let result = match action.as_str() {
        "role" => {
            let Ok(role) = form.get("role").unwrap_or_default().parse::<OrgRole>() else {
                let error = invalid("Choose the new role from the list.");
                return refused(&console, &viewer, req, &slug, outcome(), error).await;
            };
            orgs.set_role(&viewer.principal, &slug, user, role, &meta)
                .await
                .map(|member| format!("{} is now {}.", member.email, member.role))
        }
        "remove" => {
            let reassign_to = match form.get("reassign_to").map(str::trim).filter(|to| !to.is_empty()) {
                None => None,
                Some(to) => match to.parse::<UserId>() {
                    Ok(to) => Some(to),
                    Err(_) => {
                        let error = invalid("Choose who gets their downloads from the list.");
                        return refused(&console, &viewer, req, &slug, outcome(), error).await;
                    }
                },
            };
            orgs.remove_member(&viewer.principal, &slug, user, reassign_to, &meta).await.map(|()| {
                let handed = if reassign_to.is_some() { " Their downloads here were handed over." } else { "" };
                format!("Member removed: their access ended at once.{handed}")
            })
        }
        _ => {
            let chrome = Chrome::new(&console, Some(&viewer), "Not found", "orgs");
            return error_page(chrome, StatusCode::NOT_FOUND, "Page not found", "There is no such action.");
        }
    };
    match result {
        Ok(notice) => redirect_notice(&format!("{}/orgs/{slug}", console.config().base_path()), &notice),
        Err(e) => refused(&console, &viewer, req, &slug, outcome(), PublicError::from(e)).await,
    }
}

/// `POST /orgs/{slug}/invites/{id}/{action}`: `resend` (a new link; the old one stops working)
/// or `revoke`.
#[handler]
pub(crate) async fn invite_act(
    console: Console,
    req: &Request,
    Path((slug, id, action)): Path<(String, String, String)>,
    body: Body,
) -> Response {
    let (viewer, _form) = match posted(&console, req, body).await {
        Ok(ok) => ok,
        Err(resp) => return resp,
    };
    let slug = slug.trim().to_owned();
    let outcome = || Outcome::refused("invites", String::new());
    let Ok(id) = id.parse::<InviteId>() else {
        return refused(&console, &viewer, req, &slug, outcome(), invalid("There is no such invite.")).await;
    };
    let orgs = &console.core().orgs;
    let meta = request_meta(req);
    let result = match action.as_str() {
        "resend" => {
            let days = console.core().config.orgs.invite_days.max(1);
            orgs.resend_invite(&viewer.principal, &slug, id, &meta).await.map(|sent| sent_notice(&sent, true, days))
        }
        "revoke" => orgs
            .revoke_invite(&viewer.principal, &slug, id, &meta)
            .await
            .map(|()| "Invite revoked: its link no longer works.".to_owned()),
        _ => {
            let chrome = Chrome::new(&console, Some(&viewer), "Not found", "orgs");
            return error_page(chrome, StatusCode::NOT_FOUND, "Page not found", "There is no such action.");
        }
    };
    match result {
        Ok(notice) => redirect_notice(&format!("{}/orgs/{slug}", console.config().base_path()), &notice),
        Err(e) => refused(&console, &viewer, req, &slug, outcome(), PublicError::from(e)).await,
    }
}

/// What an invitation offers, as its page shows it.
#[derive(Debug, Clone)]
struct InviteView {
    org_id: String,
    org_name: String,
    org_slug: String,
    role: &'static str,
    inviter: String,
    email: String,
    expires: String,
    /// The viewer's address is not confirmed yet.
    unverified: bool,
    /// The invite was sent to another address than the viewer's.
    other_address: bool,
    /// The viewer already belongs to the organization.
    member: bool,
    /// This page, for the form that asks for a new confirmation link to come back to.
    back: String,
}

#[derive(Template)]
#[template(path = "invite.html")]
struct InvitePage {
    chrome: Chrome,
    token: String,
    /// The invitation; `None` when the link cannot be used (`error` says why).
    invite: Option<InviteView>,
    error: String,
}

async fn invite_view(
    console: &Console,
    viewer: &Viewer,
    req: &Request,
    token: &str,
    error: String,
    status: StatusCode,
) -> Response {
    let chrome = Chrome::new(console, Some(viewer), "Invitation", "orgs").with_notice(req);
    let token = token.trim().to_owned();
    if token.is_empty() {
        let error = "This page needs the link from the invitation email.".to_owned();
        return render(StatusCode::BAD_REQUEST, &InvitePage { chrome, token, invite: None, error });
    }
    let orgs = &console.core().orgs;
    let InvitePreview { invite, org, inviter_email } = match orgs.preview_invite(&viewer.principal, &token).await {
        Ok(preview) => preview,
        Err(e) => {
            let error = PublicError::from(e);
            if error.status.is_server_error() {
                return service_error(chrome, error);
            }
            let page = InvitePage { chrome, token, invite: None, error: error.message };
            return render(error.status, &page);
        }
    };
    let member = match orgs.list_mine(&viewer.principal).await {
        Ok(mine) => mine.iter().any(|m| m.org.id == org.id),
        Err(_) => false,
    };
    let view = InviteView {
        org_id: org.id.to_string(),
        org_name: org.name.clone(),
        org_slug: org.slug.to_string(),
        role: invite.role.as_str(),
        inviter: inviter_email,
        unverified: viewer.user.email_verified_at.is_none(),
        other_address: invite.email != viewer.user.email,
        email: invite.email,
        expires: exact(invite.expires_at),
        member,
        back: format!("{}/invite?token={}", chrome.base, encode(&token)),
    };
    let chrome = Chrome { title: format!("Join {}", org.name), ..chrome };
    render(status, &InvitePage { chrome, token, invite: Some(view), error })
}

/// `GET /invite?token=…`: the link of an invitation email: what it offers, and an Accept button
/// when the viewer can take it. Visitors who are not logged in log in (or register) first and
/// come back here.
#[handler]
pub(crate) async fn invite_page(console: Console, req: &Request) -> Response {
    let Some(viewer) = viewer(&console, req).await else {
        let base = console.config().base_path();
        let here = req.uri().path_and_query().map_or("/", |pq| pq.as_str());
        return redirect_notice(
            &format!("{base}/login?next={}", encode(&format!("{base}{here}"))),
            "Log in to see your invitation, or register with the address it was sent to.",
        );
    };
    let token = query_param(req, "token").unwrap_or_default();
    invite_view(&console, &viewer, req, &token, String::new(), StatusCode::OK).await
}

/// `POST /invite`: accepts the invitation (fields `token` and `org`, the organization its page
/// showed: the viewer joins exactly that one), then opens the organization.
#[handler]
pub(crate) async fn accept(console: Console, req: &Request, body: Body) -> Response {
    let Some(viewer) = viewer(&console, req).await else { return to_login(&console, req) };
    let form = FormData::parse(&body.into_vec().await.unwrap_or_default());
    if !form.csrf_ok(&viewer) {
        return csrf_refused(Chrome::new(&console, Some(&viewer), "Form expired", "orgs"));
    }
    let token = form.get("token").unwrap_or_default().trim().to_owned();
    let Ok(org) = form.get("org").unwrap_or_default().parse::<OrgId>() else {
        let error = "This form does not say which organization to join: open the invitation link again.".to_owned();
        return invite_view(&console, &viewer, req, &token, error, StatusCode::BAD_REQUEST).await;
    };
    match console.core().orgs.accept_invite(&viewer.principal, &token, org, &request_meta(req)).await {
        Ok(joined) => redirect_notice(
            &format!("{}/orgs/{}", console.config().base_path(), joined.org.slug),
            &format!("Welcome to {}: you joined as {}.", joined.org.name, joined.role),
        ),
        Err(e) => {
            let error = PublicError::from(e);
            if error.status.is_server_error() {
                return service_error(Chrome::new(&console, Some(&viewer), "Invitation", "orgs"), error);
            }
            invite_view(&console, &viewer, req, &token, error.message, error.status).await
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn member(role: OrgRole) -> Member {
        Member { user_id: UserId::new(), email: "m@example.com".into(), role, joined_at: Utc::now() }
    }

    #[test]
    fn only_the_roles_the_viewer_may_grant_are_offered() {
        let you = UserId::new();
        let owner = Some(OrgRole::Owner);
        let admin = Some(OrgRole::Admin);
        assert_eq!(grantable(owner, &member(OrgRole::Member), you), ["admin", "owner"]);
        assert_eq!(grantable(owner, &member(OrgRole::Owner), you), ["member", "admin"]);
        assert_eq!(grantable(admin, &member(OrgRole::Member), you), ["admin"]);
        assert_eq!(grantable(admin, &member(OrgRole::Admin), you), ["member"]);
        assert!(grantable(admin, &member(OrgRole::Owner), you).is_empty(), "admins leave owners alone");
        assert!(grantable(Some(OrgRole::Member), &member(OrgRole::Member), you).is_empty());
        assert!(grantable(None, &member(OrgRole::Member), you).is_empty(), "staff only read");
        let mut me = member(OrgRole::Owner);
        me.user_id = you;
        assert!(grantable(owner, &me, you).is_empty(), "not one's own role");
        assert!(!removable(owner, &me, you));
        assert!(removable(owner, &member(OrgRole::Owner), you));
        assert!(!removable(admin, &member(OrgRole::Owner), you));
        assert!(removable(admin, &member(OrgRole::Admin), you));
        assert!(!removable(Some(OrgRole::Member), &member(OrgRole::Member), you));
    }
}
