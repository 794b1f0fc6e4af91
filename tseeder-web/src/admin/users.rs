//! Admin › Users: every account (search by email, paging) and role changes through the
//! confirmation, audited as `user.role_changed` with the reason and ticket. The role rules are
//! the core's: admins grant up to admin on accounts that are not superadmin, only a superadmin
//! grants or changes superadmin, nobody changes their own role, support only reads. Only the
//! roles the viewer may grant are offered; the service refuses the rest anyway.

use askama::Template;
use chrono::Utc;
use poem::http::StatusCode;
use poem::web::Path;
use poem::{Body, Request, Response, handler};
use tseeder_core::domain::{PageRequest, Role, User, UserId};
use tseeder_http::console::{Console, PublicError, request_meta};
use uuid::Uuid;

use super::act::{Action, Justification, confirm_page, refused};
use super::{AdminChrome, guard};
use crate::page::{
    Chrome, FormData, Viewer, ago, csrf_refused, encode, error_page, exact, query_param, redirect_notice, render,
    service_error,
};

/// Users per page.
const PER_PAGE: u64 = 25;

/// An account as a row.
#[derive(Debug, Clone)]
struct UserRow {
    id: String,
    email: String,
    role: &'static str,
    suspended: bool,
    joined: String,
    joined_exact: String,
    /// The roles the viewer may give this account (empty: no action offered).
    grantable: Vec<&'static str>,
    is_you: bool,
}

#[derive(Template)]
#[template(path = "admin/users.html")]
struct UsersPage {
    chrome: Chrome,
    admin: AdminChrome,
    users: Vec<UserRow>,
    q: String,
    total: u64,
    prev: String,
    next: String,
    page_no: u64,
    pages: u64,
}

/// The roles `viewer` may give to `user`, other than the one it has.
fn grantable(viewer: &Viewer, user: &User) -> Vec<&'static str> {
    let me = viewer.user.role;
    if me < Role::Admin || user.id == viewer.user.id || (user.role == Role::Superadmin && me < Role::Superadmin) {
        return Vec::new();
    }
    Role::ALL
        .into_iter()
        .filter(|r| *r != user.role && (*r < Role::Superadmin || me == Role::Superadmin))
        .map(Role::as_str)
        .collect()
}

/// `GET /admin/users?q=&page=`.
#[handler]
pub(crate) async fn list(console: Console, req: &Request) -> Response {
    let (viewer, chrome, admin) = match guard(&console, req, "users").await {
        Ok(ok) => ok,
        Err(resp) => return resp,
    };
    let q = query_param(req, "q").map(|q| q.trim().to_owned()).unwrap_or_default();
    let page_no: u64 = query_param(req, "page").and_then(|p| p.parse().ok()).unwrap_or(1).clamp(1, 1_000_000);
    let filter = (!q.is_empty()).then_some(q.as_str());
    let page = match console
        .core()
        .accounts
        .list_users(&viewer.principal, filter, PageRequest::new(page_no, PER_PAGE))
        .await
    {
        Ok(page) => page,
        Err(e) => return service_error(chrome, PublicError::from(e)),
    };
    let now = Utc::now();
    let link = |n: u64| format!("{}/admin/users?q={}&page={n}", chrome.base, encode(&q));
    let pages = page.total.div_ceil(PER_PAGE).max(1);
    let prev = if page_no > 1 { link(page_no - 1) } else { String::new() };
    let next = if page_no < pages { link(page_no + 1) } else { String::new() };
    let users = page
        .items
        .iter()
        .map(|u| UserRow {
            id: u.id.to_string(),
            email: u.email.clone(),
            role: u.role.as_str(),
            suspended: u.suspended,
            joined: ago(u.created_at, now),
            joined_exact: exact(u.created_at),
            grantable: grantable(&viewer, u),
            is_you: u.id == viewer.user.id,
        })
        .collect();
    render(StatusCode::OK, &UsersPage { chrome, admin, users, q, total: page.total, prev, next, page_no, pages })
}

/// The confirmation of giving `user` the role `role`.
fn action(base: &str, user: &User, role: &str) -> Action {
    Action {
        title: format!("Make {} {role}?", user.email),
        text: format!("Their role changes from {} to {role} at their next request.", user.role),
        post_to: format!("{base}/admin/users/{}/role", user.id),
        hidden: vec![("role".into(), role.to_owned())],
        typed: "",
        verb: "Change role",
        cancel: format!("{base}/admin/users?q={}", encode(&user.email)),
    }
}

async fn load(console: &Console, viewer: &Viewer, chrome: &Chrome, id: &str) -> Result<User, Response> {
    let Ok(id) = Uuid::parse_str(id) else {
        return Err(error_page(chrome.clone(), StatusCode::NOT_FOUND, "Not found", "There is no such user."));
    };
    console
        .core()
        .accounts
        .user(&viewer.principal, UserId(id))
        .await
        .map_err(|e| service_error(chrome.clone(), PublicError::from(e)))
}

/// `GET /admin/users/{id}/confirm?role=admin`: the confirmation as a page.
#[handler]
pub(crate) async fn confirm(console: Console, req: &Request, Path(id): Path<String>) -> Response {
    let (viewer, chrome, admin) = match guard(&console, req, "users").await {
        Ok(ok) => ok,
        Err(resp) => return resp,
    };
    let user = match load(&console, &viewer, &chrome, &id).await {
        Ok(user) => user,
        Err(resp) => return resp,
    };
    let role = query_param(req, "role").unwrap_or_default();
    if role.parse::<Role>().is_err() {
        return error_page(chrome, StatusCode::BAD_REQUEST, "Pick a role", "Choose the new role from the list.");
    }
    let act = action(&chrome.base, &user, &role);
    confirm_page(chrome, admin, act, Justification::default(), "", StatusCode::OK)
}

/// `POST /admin/users/{id}/role`: fields `role`, `reason` (at least 10 characters), `ticket`
/// (optional), `csrf`.
#[handler]
pub(crate) async fn set_role(console: Console, req: &Request, Path(id): Path<String>, body: Body) -> Response {
    let (viewer, chrome, admin) = match guard(&console, req, "users").await {
        Ok(ok) => ok,
        Err(resp) => return resp,
    };
    let form = FormData::parse(&body.into_vec().await.unwrap_or_default());
    if !form.csrf_ok(&viewer) {
        return csrf_refused(chrome);
    }
    let user = match load(&console, &viewer, &chrome, &id).await {
        Ok(user) => user,
        Err(resp) => return resp,
    };
    let Ok(role) = form.get("role").unwrap_or_default().parse::<Role>() else {
        return error_page(chrome, StatusCode::BAD_REQUEST, "Pick a role", "Choose the new role from the list.");
    };
    let given = Justification::from_form(&form);
    let accounts = &console.core().accounts;
    match accounts.set_role(&viewer.principal, user.id, role, &given.reason, given.ticket(), &request_meta(req)).await {
        Ok(changed) => redirect_notice(
            &format!("{}/admin/users?q={}", chrome.base, encode(&changed.email)),
            &format!("{} is now {role}.", changed.email),
        ),
        Err(e) => {
            let act = action(&chrome.base, &user, role.as_str());
            refused(chrome, admin, act, given, PublicError::from(e))
        }
    }
}
