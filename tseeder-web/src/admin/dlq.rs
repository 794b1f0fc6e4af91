//! Admin › Dead-letter queue: job messages that failed every attempt, each with its full error
//! history, and replay through the confirmation (the reason, an optional ticket, and the word
//! `replay` typed), audited as `dlq.replayed`. A replayed job is queued again.

use askama::Template;
use chrono::Utc;
use poem::http::StatusCode;
use poem::web::Path;
use poem::{Body, Request, Response, handler};
use tseeder_core::domain::{JobStatus, PageRequest, QueueMessage, QueueMessageId};
use tseeder_core::ports::DeadLetterFilter;
use tseeder_http::console::{Console, PublicError, request_meta};
use uuid::Uuid;

use super::act::{Action, Justification, confirm_page, refused};
use super::{AdminChrome, guard};
use crate::page::{
    Chrome, FormData, Viewer, ago, csrf_refused, error_page, exact, query_param, redirect_notice, render, service_error,
};

/// Messages per page.
const PER_PAGE: u64 = 25;

/// The word typed to confirm a replay.
const WORD: &str = "replay";

/// One failed delivery.
#[derive(Debug, Clone)]
struct Attempt {
    attempt: u32,
    when: String,
    exact: String,
    error: String,
}

/// A dead letter as a row.
#[derive(Debug, Clone)]
struct DeadRow {
    id: String,
    job_id: String,
    job_name: String,
    job_status: String,
    owner: String,
    attempts: u32,
    max_attempts: u32,
    last_error: String,
    dead: String,
    dead_exact: String,
    history: Vec<Attempt>,
    /// Whether a replay can work now (the job exists and has failed).
    replayable: bool,
}

#[derive(Template)]
#[template(path = "admin/dlq.html")]
struct DlqPage {
    chrome: Chrome,
    admin: AdminChrome,
    rows: Vec<DeadRow>,
    total: u64,
    prev: String,
    next: String,
    page_no: u64,
    pages: u64,
}

/// The job's name, status and owner, as far as the viewer can read them.
async fn describe(console: &Console, viewer: &Viewer, message: &QueueMessage) -> (String, Option<JobStatus>, String) {
    let core = console.core();
    let Some(job_id) = message.job_id else { return ("(no job)".into(), None, String::new()) };
    match core.jobs.get(&viewer.principal, job_id).await {
        Ok(job) => {
            let owner = core.accounts.user(&viewer.principal, job.user_id).await.map(|u| u.email).unwrap_or_default();
            (job.name, Some(job.status), owner)
        }
        Err(_) => ("(job deleted)".into(), None, String::new()),
    }
}

async fn row(console: &Console, viewer: &Viewer, m: QueueMessage) -> DeadRow {
    let now = Utc::now();
    let (job_name, status, owner) = describe(console, viewer, &m).await;
    let dead_at = m.dead_at.unwrap_or(m.visible_at);
    DeadRow {
        id: m.id.to_string(),
        job_id: m.job_id.map(|j| j.to_string()).unwrap_or_default(),
        job_name,
        job_status: status.map(|s| s.as_str().to_owned()).unwrap_or_default(),
        owner,
        attempts: m.attempts,
        max_attempts: m.max_attempts,
        last_error: m.last_error.clone().or_else(|| m.errors.last().map(|e| e.error.clone())).unwrap_or_default(),
        dead: ago(dead_at, now),
        dead_exact: exact(dead_at),
        history: m
            .errors
            .iter()
            .rev()
            .map(|e| Attempt { attempt: e.attempt, when: ago(e.at, now), exact: exact(e.at), error: e.error.clone() })
            .collect(),
        replayable: m.job_id.is_none() || status == Some(JobStatus::Failed),
    }
}

/// `GET /admin/dlq?page=`.
#[handler]
pub(crate) async fn list(console: Console, req: &Request) -> Response {
    let (viewer, chrome, admin) = match guard(&console, req, "dlq").await {
        Ok(ok) => ok,
        Err(resp) => return resp,
    };
    let page_no: u64 = query_param(req, "page").and_then(|p| p.parse().ok()).unwrap_or(1).clamp(1, 1_000_000);
    let page = match console
        .core()
        .admin
        .dead_letters(&viewer.principal, &DeadLetterFilter::default(), PageRequest::new(page_no, PER_PAGE))
        .await
    {
        Ok(page) => page,
        Err(e) => return service_error(chrome, PublicError::from(e)),
    };
    let mut rows = Vec::with_capacity(page.items.len());
    for m in page.items {
        rows.push(row(&console, &viewer, m).await);
    }
    let pages = page.total.div_ceil(PER_PAGE).max(1);
    let at = |n: u64| format!("{}/admin/dlq?page={n}", chrome.base);
    let prev = if page_no > 1 { at(page_no - 1) } else { String::new() };
    let next = if page_no < pages { at(page_no + 1) } else { String::new() };
    render(StatusCode::OK, &DlqPage { chrome, admin, rows, total: page.total, prev, next, page_no, pages })
}

fn action(base: &str, id: &str, job_name: &str) -> Action {
    Action {
        title: format!("Replay “{job_name}”?"),
        text: "The job goes back to the queue with its attempts reset; its error history is kept.".into(),
        post_to: format!("{base}/admin/dlq/{id}/replay"),
        hidden: Vec::new(),
        typed: WORD,
        verb: "Replay",
        cancel: format!("{base}/admin/dlq"),
    }
}

/// The 404 page of a message id that names no message.
fn no_such_message(chrome: Chrome) -> Response {
    error_page(chrome, StatusCode::NOT_FOUND, "Not found", "There is no such dead-lettered message.")
}

/// The name the confirmation shows for message `id`'s job.
async fn job_name(console: &Console, viewer: &Viewer, id: QueueMessageId) -> String {
    let core = console.core();
    // The dead letters are few; a missing one is reported by the replay itself.
    let mut page_no = 1;
    loop {
        let Ok(page) = core
            .admin
            .dead_letters(&viewer.principal, &DeadLetterFilter::default(), PageRequest::new(page_no, 100))
            .await
        else {
            return "this job".into();
        };
        if let Some(m) = page.items.iter().find(|m| m.id == id) {
            return describe(console, viewer, m).await.0;
        }
        if page_no * 100 >= page.total {
            return "this job".into();
        }
        page_no += 1;
    }
}

/// `GET /admin/dlq/{id}/confirm`: the confirmation as a page.
#[handler]
pub(crate) async fn confirm(console: Console, req: &Request, Path(id): Path<String>) -> Response {
    let (viewer, chrome, admin) = match guard(&console, req, "dlq").await {
        Ok(ok) => ok,
        Err(resp) => return resp,
    };
    let Ok(message) = Uuid::parse_str(&id).map(QueueMessageId) else { return no_such_message(chrome) };
    let name = job_name(&console, &viewer, message).await;
    let act = action(&chrome.base, &id, &name);
    confirm_page(chrome, admin, act, Justification::default(), "", StatusCode::OK)
}

/// `POST /admin/dlq/{id}/replay`: fields `reason` (at least 10 characters), `ticket`
/// (optional), `confirm` (the word `replay`), `csrf`.
#[handler]
pub(crate) async fn replay(console: Console, req: &Request, Path(id): Path<String>, body: Body) -> Response {
    let (viewer, chrome, admin) = match guard(&console, req, "dlq").await {
        Ok(ok) => ok,
        Err(resp) => return resp,
    };
    let form = FormData::parse(&body.into_vec().await.unwrap_or_default());
    if !form.csrf_ok(&viewer) {
        return csrf_refused(chrome);
    }
    let Ok(message) = Uuid::parse_str(&id).map(QueueMessageId) else { return no_such_message(chrome) };
    let given = Justification::from_form(&form);
    let act = action(&chrome.base, &id, &job_name(&console, &viewer, message).await);
    if !given.typed(WORD) && admin.can_act {
        let error = format!("Type the word {WORD} to confirm.");
        return confirm_page(chrome, admin, act, given, &error, StatusCode::BAD_REQUEST);
    }
    let admin_service = &console.core().admin;
    match admin_service.replay(&viewer.principal, message, &given.reason, given.ticket(), &request_meta(req)).await {
        Ok(_) => redirect_notice(&format!("{}/admin/dlq", chrome.base), "Replayed: the job is queued again."),
        Err(e) => refused(chrome, admin, act, given, PublicError::from(e)),
    }
}
