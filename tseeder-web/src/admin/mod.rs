//! The admin console: a layout with the staff navigation, the guard (staff only; a 403 page for
//! everyone else), and one module per section. Add a section by writing its module and template
//! (`templates/admin/<section>.html`, extending `admin/layout.html`) and pointing its entry of
//! [`SECTIONS`] at it in [`routes`].

mod act;
mod alerts;
mod audit;
mod config;
mod dlq;
mod incidents;
mod jobs;
mod observability;
mod orgs;
mod plugins;
mod search;
mod security;
mod storage;
mod user;
mod users;
mod workers;

use poem::http::StatusCode;
use poem::{Request, Response, Route, get, handler, post};
use tseeder_core::domain::{PageRequest, Role, UserId};
use tseeder_http::console::Console;

use crate::page::{Chrome, Viewer, error_page, redirect, to_login, viewer};

/// One entry of the admin navigation.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Section {
    /// The path under `/admin/`.
    pub(crate) slug: &'static str,
    /// The label.
    pub(crate) label: &'static str,
    /// The least role that may open it.
    pub(crate) min_role: Role,
}

/// Every admin section, in navigation order.
pub(crate) const SECTIONS: [Section; 13] = [
    Section { slug: "search", label: "Search", min_role: Role::Support },
    Section { slug: "users", label: "Users", min_role: Role::Support },
    Section { slug: "orgs", label: "Organizations", min_role: Role::Support },
    Section { slug: "jobs", label: "Jobs", min_role: Role::Support },
    Section { slug: "workers", label: "Workers", min_role: Role::Support },
    Section { slug: "observability", label: "Observability", min_role: Role::Support },
    Section { slug: "storage", label: "Storage & retention", min_role: Role::Support },
    Section { slug: "plugins", label: "Plugins", min_role: Role::Support },
    Section { slug: "dlq", label: "Dead-letter queue", min_role: Role::Support },
    Section { slug: "incidents", label: "Incidents & maintenance", min_role: Role::Support },
    Section { slug: "config", label: "Settings & flags", min_role: Role::Support },
    Section { slug: "audit", label: "Audit log", min_role: Role::Support },
    Section { slug: "security", label: "Security events", min_role: Role::Admin },
];

/// A navigation link of the admin layout.
#[derive(Debug, Clone)]
pub(crate) struct NavLink {
    pub(crate) href: String,
    pub(crate) label: &'static str,
    pub(crate) current: bool,
}

/// What the admin layout needs besides [`Chrome`].
#[derive(Debug, Clone)]
pub(crate) struct AdminChrome {
    pub(crate) nav: Vec<NavLink>,
    /// Whether the viewer may act (admin and above), not only read (support).
    pub(crate) can_act: bool,
    /// The alerts of the moment, for the bell.
    pub(crate) alerts: Vec<alerts::AlertItem>,
    /// The admin pages' script's URL.
    pub(crate) js: String,
}

/// The routes under `/admin`.
pub(crate) fn routes() -> Route {
    Route::new()
        .at("/", get(index))
        .at("/workers", get(workers::list))
        .at("/workers/:id/confirm", get(workers::confirm))
        .at("/workers/:id/:action", post(workers::act))
        .at("/audit", get(audit::list))
        .at("/users", get(users::list))
        .at("/users/:id", get(user::show))
        .at("/users/:id/confirm", get(users::confirm))
        .at("/users/:id/role", post(users::set_role))
        .at("/users/:id/:action", get(user::confirm).post(user::perform))
        .at("/orgs", get(orgs::list))
        .at("/jobs", get(jobs::list))
        .at("/jobs/:id/terminate", get(jobs::confirm_terminate).post(jobs::terminate))
        .at("/observability", get(observability::page))
        .at("/storage", get(storage::overview))
        .at("/storage/dry-run", get(storage::dry_run))
        .at("/storage/confirm", get(storage::confirm))
        .at("/storage/sweep", post(storage::sweep))
        .at("/plugins", get(plugins::list))
        .at("/plugins/:kind/confirm", get(plugins::confirm))
        .at("/plugins/:kind/swap", post(plugins::swap))
        .at("/dlq", get(dlq::list))
        .at("/dlq/bulk", get(dlq::confirm_bulk).post(dlq::bulk))
        .at("/dlq/:id/confirm", get(dlq::confirm))
        .at("/dlq/:id/replay", post(dlq::replay))
        .at("/security", get(security::list))
        .at("/search", get(search::page))
        .at("/incidents", get(incidents::list).post(incidents::create))
        .at("/incidents/:id/update", post(incidents::update))
        .at("/maintenances", post(incidents::schedule))
        .at("/maintenances/:id/cancel", post(incidents::cancel))
        .at("/config", get(config::page))
        .at("/config/:key", get(config::confirm).post(config::set))
}

/// The staff viewer of an admin page and its layout, or the response that turns the visitor
/// away: the login page when signed out, a 403 page for users without the role.
pub(crate) async fn guard(
    console: &Console,
    req: &Request,
    slug: &'static str,
) -> Result<(Viewer, Chrome, AdminChrome), Response> {
    let Some(viewer) = viewer(console, req).await else { return Err(to_login(console, req)) };
    let section = SECTIONS.iter().find(|s| s.slug == slug).copied();
    let title = section.map_or("Admin", |s| s.label);
    let chrome = Chrome::new(console, Some(&viewer), title, "admin").with_notice(req);
    let min_role = section.map_or(Role::Support, |s| s.min_role);
    if viewer.user.role < min_role {
        let message = if viewer.is_staff() {
            "This part of the admin console is for administrators."
        } else {
            "The admin console is for the service's staff. Your account cannot open it."
        };
        return Err(error_page(chrome, StatusCode::FORBIDDEN, "Not allowed", message));
    }
    let nav = SECTIONS
        .iter()
        .filter(|s| viewer.user.role >= s.min_role)
        .map(|s| NavLink { href: format!("{}/admin/{}", chrome.base, s.slug), label: s.label, current: s.slug == slug })
        .collect();
    let alerts = alerts::current(console, &viewer).await;
    let js = format!("{}/static/{}", chrome.base, crate::assets::admin_js_name());
    let admin = AdminChrome { nav, can_act: viewer.user.role >= Role::Admin, alerts, js };
    Ok((viewer, chrome, admin))
}

/// The account a filter names: its id, or its exact email (any case). The error is a message
/// for the page.
pub(crate) async fn account_named(console: &Console, viewer: &Viewer, text: &str) -> Result<UserId, String> {
    if let Ok(id) = text.parse::<uuid::Uuid>() {
        return Ok(UserId(id));
    }
    let wanted = text.trim().to_lowercase();
    let found = console
        .core()
        .accounts
        .list_users(&viewer.principal, Some(&wanted), PageRequest::new(1, 100))
        .await
        .map_err(|e| tseeder_http::console::PublicError::from(e).message)?;
    found
        .items
        .into_iter()
        .find(|u| u.email == wanted)
        .map(|u| u.id)
        .ok_or_else(|| format!("No account has the email {text}."))
}

/// `GET /admin`: the first section.
#[handler]
async fn index(console: Console, req: &Request) -> Response {
    match guard(&console, req, "workers").await {
        Ok((_, chrome, _)) => redirect(&format!("{}/admin/workers", chrome.base)),
        Err(resp) => resp,
    }
}
