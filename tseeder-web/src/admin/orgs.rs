//! Admin › Organizations: every organization that is not personal (search by name or slug,
//! paging), with its size, plan, storage, its longest-standing owner and its age. Reading only: an
//! organization's page opens read-only for staff who are not among its members.

use askama::Template;
use chrono::Utc;
use poem::http::StatusCode;
use poem::{Request, Response, handler};
use tseeder_core::domain::PageRequest;
use tseeder_http::console::{Console, PublicError};

use super::{AdminChrome, guard};
use crate::page::{Chrome, ago, encode, exact, human_size, query_param, render, service_error};

/// Organizations per page.
const PER_PAGE: u64 = 25;

/// An organization as a row.
#[derive(Debug, Clone)]
struct OrgRow {
    name: String,
    slug: String,
    members: u64,
    /// The plan it runs on (its owner's); empty when there is none.
    plan: String,
    /// Stored bytes, as shown, and the plan's limit (empty: none or unlimited).
    storage: String,
    storage_limit: String,
    owner: String,
    created: String,
    created_exact: String,
}

#[derive(Template)]
#[template(path = "admin/orgs.html")]
struct OrgsPage {
    chrome: Chrome,
    admin: AdminChrome,
    orgs: Vec<OrgRow>,
    q: String,
    total: u64,
    prev: String,
    next: String,
    page_no: u64,
    pages: u64,
}

/// `GET /admin/orgs?q=&page=`.
#[handler]
pub(crate) async fn list(console: Console, req: &Request) -> Response {
    let (viewer, chrome, admin) = match guard(&console, req, "orgs").await {
        Ok(ok) => ok,
        Err(resp) => return resp,
    };
    let q = query_param(req, "q").map(|q| q.trim().to_owned()).unwrap_or_default();
    let page_no: u64 = query_param(req, "page").and_then(|p| p.parse().ok()).unwrap_or(1).clamp(1, 1_000_000);
    let filter = (!q.is_empty()).then_some(q.as_str());
    let page = match console.core().orgs.list_all(&viewer.principal, filter, PageRequest::new(page_no, PER_PAGE)).await
    {
        Ok(page) => page,
        Err(e) => return service_error(chrome, PublicError::from(e)),
    };
    let now = Utc::now();
    let link = |n: u64| format!("{}/admin/orgs?q={}&page={n}", chrome.base, encode(&q));
    let pages = page.total.div_ceil(PER_PAGE).max(1);
    let prev = if page_no > 1 { link(page_no - 1) } else { String::new() };
    let next = if page_no < pages { link(page_no + 1) } else { String::new() };
    let orgs = page
        .items
        .into_iter()
        .map(|o| {
            let s = o.summary;
            OrgRow {
                name: s.org.name,
                slug: s.org.slug.to_string(),
                members: s.members,
                storage: human_size(o.usage.storage_bytes),
                storage_limit: o
                    .plan
                    .as_ref()
                    .and_then(|p| p.max_storage_bytes.as_option())
                    .map(human_size)
                    .unwrap_or_default(),
                plan: o.plan.map(|p| p.id).unwrap_or_default(),
                owner: s.owner_email,
                created: ago(s.org.created_at, now),
                created_exact: exact(s.org.created_at),
            }
        })
        .collect();
    render(StatusCode::OK, &OrgsPage { chrome, admin, orgs, q, total: page.total, prev, next, page_no, pages })
}
