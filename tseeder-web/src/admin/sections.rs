//! The admin sections whose pages are not built yet: each is a real route behind the guard that
//! says where the same data is today (the admin API), so the navigation is complete.

use askama::Template;
use poem::http::StatusCode;
use poem::{Request, Response, handler};
use tseeder_http::console::Console;

use super::{AdminChrome, guard};
use crate::page::{Chrome, render};

#[derive(Template)]
#[template(path = "admin/section.html")]
struct SectionPage {
    chrome: Chrome,
    admin: AdminChrome,
    heading: &'static str,
    about: &'static str,
    endpoints: Vec<&'static str>,
}

async fn section(
    console: Console,
    req: &Request,
    slug: &'static str,
    about: &'static str,
    endpoints: Vec<&'static str>,
) -> Response {
    let (_, chrome, admin) = match guard(&console, req, slug).await {
        Ok(ok) => ok,
        Err(resp) => return resp,
    };
    let heading = super::SECTIONS.iter().find(|s| s.slug == slug).map_or("Admin", |s| s.label);
    render(StatusCode::OK, &SectionPage { chrome, admin, heading, about, endpoints })
}

/// `GET /admin/users`.
#[handler]
pub(crate) async fn users(console: Console, req: &Request) -> Response {
    section(
        console,
        req,
        "users",
        "Accounts, their roles and plans.",
        vec!["GET /api/v1/admin/users", "PATCH /api/v1/admin/users/{id}/role"],
    )
    .await
}

/// `GET /admin/jobs`.
#[handler]
pub(crate) async fn jobs(console: Console, req: &Request) -> Response {
    section(
        console,
        req,
        "jobs",
        "Every user's jobs, and the queue's state.",
        vec!["GET /api/v1/jobs?all=true", "GET /api/v1/admin/queue"],
    )
    .await
}

/// `GET /admin/storage`.
#[handler]
pub(crate) async fn storage(console: Console, req: &Request) -> Response {
    section(
        console,
        req,
        "storage",
        "Stored bytes, each plan's retention window and the sweeps.",
        vec![
            "GET /api/v1/admin/retention",
            "POST /api/v1/admin/retention/dry-run",
            "POST /api/v1/admin/retention/sweep",
        ],
    )
    .await
}

/// `GET /admin/plugins`.
#[handler]
pub(crate) async fn plugins(console: Console, req: &Request) -> Response {
    section(
        console,
        req,
        "plugins",
        "The routing and retention policies, native or WebAssembly, and their alerts.",
        vec!["GET /api/v1/admin/plugins", "POST /api/v1/admin/plugins/{kind}/swap", "GET /api/v1/admin/alerts"],
    )
    .await
}

/// `GET /admin/dlq`.
#[handler]
pub(crate) async fn dlq(console: Console, req: &Request) -> Response {
    section(
        console,
        req,
        "dlq",
        "Jobs that failed every attempt, with their errors, and replay.",
        vec!["GET /api/v1/admin/dlq", "POST /api/v1/admin/dlq/{id}/replay"],
    )
    .await
}

/// `GET /admin/security`.
#[handler]
pub(crate) async fn security(console: Console, req: &Request) -> Response {
    section(
        console,
        req,
        "security",
        "Refused agent requests, blocked submissions and plugin failures.",
        vec!["GET /api/v1/admin/security-events"],
    )
    .await
}
