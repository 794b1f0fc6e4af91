//! Admin › Audit log: the newest operator and user actions.

use askama::Template;
use chrono::Utc;
use poem::http::StatusCode;
use poem::{Request, Response, handler};
use tseeder_core::domain::PageRequest;
use tseeder_core::ports::AuditFilter;
use tseeder_http::console::{Console, PublicError};

use super::{AdminChrome, guard};
use crate::page::{Chrome, ago, exact, query_param, render, service_error};

/// An audit entry as a row.
#[derive(Debug, Clone)]
struct EntryRow {
    when: String,
    exact: String,
    actor: String,
    action: String,
    target: String,
    reason: String,
    details: String,
}

#[derive(Template)]
#[template(path = "admin/audit.html")]
struct AuditPage {
    chrome: Chrome,
    admin: AdminChrome,
    entries: Vec<EntryRow>,
    action: String,
    next: String,
}

/// `GET /admin/audit?action=&page=`.
#[handler]
pub(crate) async fn list(console: Console, req: &Request) -> Response {
    let (viewer, chrome, admin) = match guard(&console, req, "audit").await {
        Ok(ok) => ok,
        Err(resp) => return resp,
    };
    let action = query_param(req, "action").map(|a| a.trim().to_owned()).unwrap_or_default();
    let page_no: u64 = query_param(req, "page").and_then(|p| p.parse().ok()).unwrap_or(1).max(1);
    let filter = AuditFilter { action: (!action.is_empty()).then(|| action.clone()), ..AuditFilter::default() };
    let page = match console.core().admin.audit_log(&viewer.principal, &filter, PageRequest::new(page_no, 50)).await {
        Ok(page) => page,
        Err(e) => return service_error(chrome, PublicError::from(e)),
    };
    let now = Utc::now();
    let next = if page.page * page.limit < page.total {
        format!("{}/admin/audit?action={}&page={}", chrome.base, crate::page::encode(&action), page_no + 1)
    } else {
        String::new()
    };
    let entries = page
        .items
        .into_iter()
        .map(|r| {
            let mut details = r.entry.metadata.clone();
            let reason = details["reason"].as_str().unwrap_or_default().to_owned();
            if let Some(map) = details.as_object_mut() {
                map.remove("reason");
            }
            EntryRow {
                when: ago(r.entry.created_at, now),
                exact: exact(r.entry.created_at),
                actor: r.entry.actor_id.map(|a| a.to_string()).unwrap_or_else(|| "system".into()),
                action: r.entry.action,
                target: format!("{} {}", r.entry.target_type, r.entry.target_id.unwrap_or_default()),
                reason,
                details: if details.as_object().is_some_and(|m| m.is_empty()) {
                    String::new()
                } else {
                    details.to_string()
                },
            }
        })
        .collect();
    render(StatusCode::OK, &AuditPage { chrome, admin, entries, action, next })
}
