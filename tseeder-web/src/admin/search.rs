//! Admin › Search: one box over users (email, id), jobs (name, infohash, id) and audit entries
//! (action, target, actor), grouped with their true totals, each result linking to its page. The
//! form works without scripts; with them, results follow the typing (300 ms after the last key)
//! and the arrow keys move through them. Same service as `GET /api/v1/admin/search`.

use askama::Template;
use chrono::Utc;
use poem::http::StatusCode;
use poem::{Request, Response, handler};
use tseeder_core::services::AdminService;
use tseeder_http::console::{Console, PublicError};

use super::{AdminChrome, guard};
use crate::jobs::JobRow;
use crate::page::{Chrome, ago, encode, exact, query_param, render, service_error};

/// Results shown per group.
const PER_GROUP: u64 = 10;

/// A user found.
#[derive(Debug, Clone)]
struct UserHit {
    id: String,
    email: String,
    role: &'static str,
    suspended: bool,
}

/// An audit entry found.
#[derive(Debug, Clone)]
struct AuditHit {
    action: String,
    href: String,
    target: String,
    when: String,
    exact: String,
}

#[derive(Template)]
#[template(path = "admin/search.html")]
struct SearchPage {
    chrome: Chrome,
    admin: AdminChrome,
    q: String,
    q_encoded: String,
    /// Whether a search ran (a text was given).
    searched: bool,
    error: String,
    users: Vec<UserHit>,
    users_total: u64,
    jobs: Vec<JobRow>,
    jobs_total: u64,
    audit: Vec<AuditHit>,
    audit_total: u64,
    max_chars: usize,
}

/// `GET /admin/search?q=`.
#[handler]
pub(crate) async fn page(console: Console, req: &Request) -> Response {
    let (viewer, chrome, admin) = match guard(&console, req, "search").await {
        Ok(ok) => ok,
        Err(resp) => return resp,
    };
    let q = query_param(req, "q").unwrap_or_default();
    let mut page = SearchPage {
        q: q.trim().to_owned(),
        q_encoded: encode(q.trim()),
        searched: false,
        error: String::new(),
        users: Vec::new(),
        users_total: 0,
        jobs: Vec::new(),
        jobs_total: 0,
        audit: Vec::new(),
        audit_total: 0,
        max_chars: AdminService::SEARCH_MAX_CHARS,
        chrome,
        admin,
    };
    if page.q.is_empty() {
        return render(StatusCode::OK, &page);
    }
    let found = match console.core().admin.search(&viewer.principal, &q, PER_GROUP).await {
        Ok(found) => found,
        Err(e) => {
            let e = PublicError::from(e);
            if e.status == StatusCode::BAD_REQUEST {
                page.error = e.message;
                return render(StatusCode::BAD_REQUEST, &page);
            }
            return service_error(page.chrome, e);
        }
    };
    let now = Utc::now();
    let base = page.chrome.base.clone();
    page.searched = true;
    page.users_total = found.users.total;
    page.users = found
        .users
        .items
        .iter()
        .map(|u| UserHit {
            id: u.id.to_string(),
            email: u.email.clone(),
            role: u.role.as_str(),
            suspended: u.suspended,
        })
        .collect();
    page.jobs_total = found.jobs.total;
    page.jobs = found.jobs.items.iter().map(JobRow::new).collect();
    page.audit_total = found.audit.total;
    page.audit = found
        .audit
        .items
        .iter()
        .map(|r| AuditHit {
            action: r.entry.action.clone(),
            href: format!("{base}/admin/audit?action={}", encode(&r.entry.action)),
            target: match &r.entry.target_id {
                Some(id) => format!("{} {id}", r.entry.target_type),
                None => r.entry.target_type.clone(),
            },
            when: ago(r.entry.created_at, now),
            exact: exact(r.entry.created_at),
        })
        .collect();
    render(StatusCode::OK, &page)
}
