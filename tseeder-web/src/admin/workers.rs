//! Admin › Workers: the fleet of remote agents, with cordon, drain and uncordon behind a
//! confirmation that asks for a reason (and optionally a ticket id), both kept in the audit log.

use askama::Template;
use chrono::Utc;
use poem::http::StatusCode;
use poem::web::Path;
use poem::{Body, Request, Response, handler};
use tseeder_core::domain::PageRequest;
use tseeder_core::domain::WorkerStatus;
use tseeder_core::ports::AuditFilter;
use tseeder_http::console::{Console, PublicError, request_meta};

use super::{AdminChrome, guard};
use crate::page::{Chrome, FormData, ago, csrf_refused, exact, human_size, redirect_notice, render, service_error};

/// A worker as a row.
#[derive(Debug, Clone)]
struct WorkerRow {
    id: String,
    region: String,
    status: String,
    stale: bool,
    load_pct: String,
    active: u32,
    max: u32,
    heartbeat: String,
    heartbeat_exact: String,
    version: String,
    cpu: String,
    disk_free: String,
    can_cordon: bool,
    can_drain: bool,
    can_uncordon: bool,
}

/// A recent fleet action from the audit log.
#[derive(Debug, Clone)]
struct ActionRow {
    when: String,
    action: String,
    worker: String,
    reason: String,
    ticket: String,
}

#[derive(Template)]
#[template(path = "admin/workers.html")]
struct WorkersPage {
    chrome: Chrome,
    admin: AdminChrome,
    workers: Vec<WorkerRow>,
    actions: Vec<ActionRow>,
    stale_after: String,
}

/// `GET /admin/workers`.
#[handler]
pub(crate) async fn list(console: Console, req: &Request) -> Response {
    let (viewer, chrome, admin) = match guard(&console, req, "workers").await {
        Ok(ok) => ok,
        Err(resp) => return resp,
    };
    let core = console.core();
    let fleet = match core.fleet.list_workers(&viewer.principal).await {
        Ok(fleet) => fleet,
        Err(e) => return service_error(chrome, PublicError::from(e)),
    };
    let now = Utc::now();
    let workers = fleet
        .into_iter()
        .map(|f| {
            let w = &f.worker;
            let status = if f.stale { WorkerStatus::Offline } else { w.status };
            WorkerRow {
                id: w.id.clone(),
                region: w.region.to_string(),
                status: status.to_string(),
                stale: f.stale,
                load_pct: format!("{:.0}", (f.load_factor * 100.0).clamp(0.0, 100.0)),
                active: w.active_jobs,
                max: w.max_jobs,
                heartbeat: ago(w.last_heartbeat_at, now),
                heartbeat_exact: exact(w.last_heartbeat_at),
                version: w.version.clone(),
                cpu: format!("{:.0}%", w.cpu_pct),
                disk_free: human_size(w.disk_free_bytes),
                can_cordon: admin.can_act && w.status != WorkerStatus::Cordoned,
                can_drain: admin.can_act && w.status == WorkerStatus::Healthy,
                can_uncordon: admin.can_act && w.status.is_operator_set(),
            }
        })
        .collect();
    let filter = AuditFilter { target_type: Some("worker".into()), ..AuditFilter::default() };
    let actions = core
        .admin
        .audit_log(&viewer.principal, &filter, PageRequest::new(1, 10))
        .await
        .map(|page| page.items)
        .unwrap_or_default()
        .into_iter()
        .map(|r| ActionRow {
            when: ago(r.entry.created_at, now),
            action: r.entry.action.trim_start_matches("worker.").to_owned(),
            worker: r.entry.target_id.clone().unwrap_or_default(),
            reason: r.entry.metadata["reason"].as_str().unwrap_or_default().to_owned(),
            ticket: r.entry.metadata["ticketId"].as_str().unwrap_or_default().to_owned(),
        })
        .collect();
    let stale_after = format!("{} s", core.fleet.stale_after().as_secs());
    render(StatusCode::OK, &WorkersPage { chrome, admin, workers, actions, stale_after })
}

fn parse_action(action: &str) -> Option<(WorkerStatus, &'static str)> {
    match action {
        "cordon" => Some((WorkerStatus::Cordoned, "Cordon")),
        "drain" => Some((WorkerStatus::Draining, "Drain")),
        "uncordon" => Some((WorkerStatus::Healthy, "Uncordon")),
        _ => None,
    }
}

#[derive(Template)]
#[template(path = "admin/confirm.html")]
struct ConfirmPage {
    chrome: Chrome,
    admin: AdminChrome,
    worker: String,
    action: String,
    verb: &'static str,
    reason: String,
    ticket: String,
    error: String,
}

/// `GET /admin/workers/{id}/confirm?action=cordon`: the confirmation as a page (what the dialog
/// shows when scripts run).
#[handler]
pub(crate) async fn confirm(console: Console, req: &Request, Path(id): Path<String>) -> Response {
    let (_, chrome, admin) = match guard(&console, req, "workers").await {
        Ok(ok) => ok,
        Err(resp) => return resp,
    };
    let action = crate::page::query_param(req, "action").unwrap_or_default();
    let Some((_, verb)) = parse_action(&action) else {
        return crate::page::error_page(chrome, StatusCode::NOT_FOUND, "Page not found", "No such action.");
    };
    let page = ConfirmPage {
        chrome,
        admin,
        worker: id,
        action,
        verb,
        reason: String::new(),
        ticket: String::new(),
        error: String::new(),
    };
    render(StatusCode::OK, &page)
}

/// `POST /admin/workers/{id}/{cordon|drain|uncordon}`: fields `reason` (at least 10
/// characters), `ticket` (optional), `csrf`.
#[handler]
pub(crate) async fn act(
    console: Console,
    req: &Request,
    Path((id, action)): Path<(String, String)>,
    body: Body,
) -> Response {
    let (viewer, chrome, admin) = match guard(&console, req, "workers").await {
        Ok(ok) => ok,
        Err(resp) => return resp,
    };
    let form = FormData::parse(&body.into_vec().await.unwrap_or_default());
    if !form.csrf_ok(&viewer) {
        return csrf_refused(chrome);
    }
    let Some((status, verb)) = parse_action(&action) else {
        return crate::page::error_page(chrome, StatusCode::NOT_FOUND, "Page not found", "No such action.");
    };
    let reason = form.get("reason").unwrap_or_default().to_owned();
    let ticket = form.get("ticket").unwrap_or_default().to_owned();
    let fleet = &console.core().fleet;
    match fleet.set_operator_status(&viewer.principal, &id, status, &reason, Some(&ticket), &request_meta(req)).await {
        Ok(_) => redirect_notice(&format!("{}/admin/workers", chrome.base), &format!("{verb}: {id} done.")),
        Err(e) => {
            let error = PublicError::from(e);
            let page = ConfirmPage { chrome, admin, worker: id, action, verb, reason, ticket, error: error.message };
            render(error.status, &page)
        }
    }
}
