//! Admin › Security events: refused logins and agent requests, blocked submissions, plugin
//! failures and refusals, filtered by kind and severity, newest first (admin and above).

use askama::Template;
use chrono::Utc;
use poem::http::StatusCode;
use poem::{Request, Response, handler};
use tseeder_core::domain::{PageRequest, Severity};
use tseeder_core::ports::SecurityEventFilter;
use tseeder_core::services::fleet::AUTH_FAILED_EVENT;
use tseeder_http::console::{Console, PublicError};

use super::{AdminChrome, guard};
use crate::page::{Chrome, ago, encode, exact, query_param, render, service_error};

/// Events per page.
const PER_PAGE: u64 = 50;

/// The kinds the service writes, offered as suggestions in the filter.
const KNOWN_KINDS: [&str; 6] = [
    "auth.login_failed",
    AUTH_FAILED_EVENT,
    "job.blocked_submission",
    "plugin.failed",
    "plugin.refused",
    "retention.policy_failed",
];

/// An event as a row.
#[derive(Debug, Clone)]
struct EventRow {
    when: String,
    exact: String,
    kind: String,
    severity: &'static str,
    actor: String,
    ip: String,
    details: String,
}

/// A severity choice of the filter.
#[derive(Debug, Clone)]
struct Choice {
    value: &'static str,
    selected: bool,
}

#[derive(Template)]
#[template(path = "admin/security.html")]
struct SecurityPage {
    chrome: Chrome,
    admin: AdminChrome,
    events: Vec<EventRow>,
    kind: String,
    severity: String,
    severities: Vec<Choice>,
    kinds: Vec<&'static str>,
    total: u64,
    prev: String,
    next: String,
    page_no: u64,
    pages: u64,
}

/// `GET /admin/security?kind=&severity=&page=`.
#[handler]
pub(crate) async fn list(console: Console, req: &Request) -> Response {
    let (viewer, chrome, admin) = match guard(&console, req, "security").await {
        Ok(ok) => ok,
        Err(resp) => return resp,
    };
    let kind = query_param(req, "kind").map(|k| k.trim().to_owned()).unwrap_or_default();
    let severity = query_param(req, "severity").and_then(|s| Severity::ALL.into_iter().find(|v| v.as_str() == s));
    let page_no: u64 = query_param(req, "page").and_then(|p| p.parse().ok()).unwrap_or(1).clamp(1, 1_000_000);
    let filter = SecurityEventFilter { kind: (!kind.is_empty()).then(|| kind.clone()), severity };
    let admin_service = &console.core().admin;
    let page =
        match admin_service.security_events(&viewer.principal, &filter, PageRequest::new(page_no, PER_PAGE)).await {
            Ok(page) => page,
            Err(e) => return service_error(chrome, PublicError::from(e)),
        };
    let now = Utc::now();
    let severity_text = severity.map_or("", Severity::as_str);
    let at =
        |n: u64| format!("{}/admin/security?kind={}&severity={severity_text}&page={n}", chrome.base, encode(&kind));
    let pages = page.total.div_ceil(PER_PAGE).max(1);
    let prev = if page_no > 1 { at(page_no - 1) } else { String::new() };
    let next = if page_no < pages { at(page_no + 1) } else { String::new() };
    let mut emails = std::collections::HashMap::new();
    for id in page.items.iter().filter_map(|e| e.actor_id) {
        if let std::collections::hash_map::Entry::Vacant(slot) = emails.entry(id) {
            let email = console.core().accounts.user(&viewer.principal, id).await.map(|u| u.email);
            slot.insert(email.unwrap_or_else(|_| id.to_string()));
        }
    }
    let events = page
        .items
        .into_iter()
        .map(|e| EventRow {
            when: ago(e.created_at, now),
            exact: exact(e.created_at),
            kind: e.kind,
            severity: e.severity.as_str(),
            actor: e.actor_id.and_then(|a| emails.get(&a).cloned()).unwrap_or_default(),
            ip: e.ip.unwrap_or_default(),
            details: if e.payload.as_object().is_some_and(|m| m.is_empty()) || e.payload.is_null() {
                String::new()
            } else {
                e.payload.to_string()
            },
        })
        .collect();
    let severities =
        Severity::ALL.into_iter().map(|s| Choice { value: s.as_str(), selected: Some(s) == severity }).collect();
    render(
        StatusCode::OK,
        &SecurityPage {
            chrome,
            admin,
            events,
            kind,
            severity: severity_text.to_owned(),
            severities,
            kinds: KNOWN_KINDS.to_vec(),
            total: page.total,
            prev,
            next,
            page_no,
            pages,
        },
    )
}
