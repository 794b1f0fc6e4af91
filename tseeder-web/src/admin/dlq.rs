//! Admin › Dead-letter queue: job messages that failed every attempt, each with its full error
//! history, filtered by error text, owner and age; replay of one through the confirmation (the
//! reason, an optional ticket, and the word `replay` typed), audited as `dlq.replayed`; and
//! replay of every match, whose confirmation shows the dry run's count first and which runs in
//! batches of 100 (one `dlq.bulk_replayed` audit entry each). A replayed job is queued again.

use askama::Template;
use chrono::TimeDelta;
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
    Chrome, FormData, Viewer, ago, csrf_refused, encode, error_page, exact, query_param, redirect_notice, render,
    service_error,
};

/// The age choices of the filter: the value kept in the URL, its label, and seconds (negative:
/// newer than).
const AGES: [(&str, &str, i64); 4] = [
    ("new", "dead in the last hour", -3600),
    ("day", "dead in the last day", -86_400),
    ("1d", "dead over a day ago", 86_400),
    ("7d", "dead over a week ago", 604_800),
];

/// The filters of the list, as kept in the URL and carried by the bulk replay.
#[derive(Debug, Clone, Default)]
struct Filters {
    /// Text the latest error contains (an error code, say).
    error: String,
    /// The owner's email or id.
    user: String,
    /// One of [`AGES`]' values, or empty.
    age: String,
}

impl Filters {
    fn from_pairs(get: impl Fn(&str) -> Option<String>) -> Self {
        let text = |name: &str| get(name).map(|v| v.trim().to_owned()).unwrap_or_default();
        let age = text("age");
        let age = if AGES.iter().any(|(v, _, _)| *v == age) { age } else { String::new() };
        Self { error: text("error"), user: text("user"), age }
    }

    fn query(&self) -> String {
        format!("error={}&user={}&age={}", encode(&self.error), encode(&self.user), self.age)
    }

    fn is_empty(&self) -> bool {
        self.error.is_empty() && self.user.is_empty() && self.age.is_empty()
    }

    /// `count` dead letters with these filters, in words: `3 dead letters of a@b.c, dead in the
    /// last hour`.
    fn describe(&self, count: u64) -> String {
        let mut parts = Vec::new();
        if !self.error.is_empty() {
            parts.push(format!("whose error contains “{}”", self.error));
        }
        if !self.user.is_empty() {
            parts.push(format!("of {}", self.user));
        }
        if let Some((_, label, _)) = AGES.iter().find(|(v, _, _)| *v == self.age) {
            parts.push((*label).to_owned());
        }
        let noun = if count == 1 { "dead letter" } else { "dead letters" };
        if parts.is_empty() { format!("{count} {noun}") } else { format!("{count} {noun} {}", parts.join(", ")) }
    }

    /// The queue's filter, or why these filters cannot be used.
    async fn resolve(&self, console: &Console, viewer: &Viewer) -> Result<DeadLetterFilter, String> {
        let user_id =
            if self.user.is_empty() { None } else { Some(super::account_named(console, viewer, &self.user).await?) };
        let now = console.core().ports.clock.now();
        let (mut dead_before, mut dead_after) = (None, None);
        if let Some((_, _, secs)) = AGES.iter().find(|(v, _, _)| *v == self.age) {
            if *secs > 0 {
                dead_before = Some(now - TimeDelta::seconds(*secs));
            } else {
                dead_after = Some(now + TimeDelta::seconds(*secs));
            }
        }
        Ok(DeadLetterFilter {
            error_contains: Some(self.error.clone()).filter(|e| !e.is_empty()),
            user_id,
            dead_before,
            dead_after,
        })
    }
}

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
    filters: Filters,
    ages: Vec<(&'static str, &'static str)>,
    filter_error: String,
    /// The bulk replay's dry-run count and what it covers (admins only).
    bulk_count: u64,
    bulk_what: String,
    bulk_query: String,
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
    let filters = Filters::from_pairs(|name| query_param(req, name));
    let (filter, filter_error) = match filters.resolve(&console, &viewer).await {
        Ok(filter) => (Some(filter), String::new()),
        Err(e) => (None, e),
    };
    let page = match &filter {
        Some(filter) => {
            match console
                .core()
                .admin
                .dead_letters(&viewer.principal, filter, PageRequest::new(page_no, PER_PAGE))
                .await
            {
                Ok(page) => page,
                Err(e) => return service_error(chrome, PublicError::from(e)),
            }
        }
        None => tseeder_core::domain::Page { items: Vec::new(), page: 1, limit: PER_PAGE, total: 0 },
    };
    // The dry run of a bulk replay of this filter: what the button would replay.
    let bulk_count = match (&filter, admin.can_act) {
        (Some(filter), true) => console
            .core()
            .admin
            .replay_matching(&viewer.principal, filter, true, "", None, &request_meta(req))
            .await
            .map_or(0, |dry| dry.matched),
        _ => 0,
    };
    let mut rows = Vec::with_capacity(page.items.len());
    for m in page.items {
        rows.push(row(&console, &viewer, m).await);
    }
    let pages = page.total.div_ceil(PER_PAGE).max(1);
    let at = |n: u64| format!("{}/admin/dlq?{}&page={n}", chrome.base, filters.query());
    let prev = if page_no > 1 { at(page_no - 1) } else { String::new() };
    let next = if page_no < pages { at(page_no + 1) } else { String::new() };
    let page = DlqPage {
        chrome,
        admin,
        rows,
        total: page.total,
        prev,
        next,
        page_no,
        pages,
        bulk_what: filters.describe(bulk_count),
        bulk_query: filters.query(),
        filters,
        ages: AGES.iter().map(|(v, l, _)| (*v, *l)).collect(),
        filter_error,
        bulk_count,
    };
    render(StatusCode::OK, &page)
}

/// The confirmation of replaying the `count` dead letters `filters` match.
fn bulk_action(base: &str, filters: &Filters, count: u64) -> Action {
    let what = filters.describe(count);
    Action {
        title: format!("Replay {count} dead letter{}?", if count == 1 { "" } else { "s" }),
        text: format!(
            "A dry run finds {what}. They go back to the queue {}, with their attempts reset; \
             each batch is one audit entry.",
            if count > BULK_BATCH { "100 at a time (confirm again for the next batch)" } else { "at once" }
        ),
        post_to: format!("{base}/admin/dlq/bulk"),
        hidden: vec![
            ("error".into(), filters.error.clone()),
            ("user".into(), filters.user.clone()),
            ("age".into(), filters.age.clone()),
        ],
        typed: WORD,
        verb: "Replay all",
        cancel: format!("{base}/admin/dlq?{}", filters.query()),
    }
}

/// Dead letters replayed per confirmation (the service's batch).
const BULK_BATCH: u64 = 100;

/// `GET /admin/dlq/bulk?error=&user=&age=`: the bulk replay's confirmation as a page, with the
/// dry run's count.
#[handler]
pub(crate) async fn confirm_bulk(console: Console, req: &Request) -> Response {
    let (viewer, chrome, admin) = match guard(&console, req, "dlq").await {
        Ok(ok) => ok,
        Err(resp) => return resp,
    };
    let filters = Filters::from_pairs(|name| query_param(req, name));
    let filter = match filters.resolve(&console, &viewer).await {
        Ok(filter) => filter,
        Err(e) => return error_page(chrome, StatusCode::BAD_REQUEST, "Check the filters", &e),
    };
    let admin_service = &console.core().admin;
    match admin_service.replay_matching(&viewer.principal, &filter, true, "", None, &request_meta(req)).await {
        Ok(dry) => {
            let act = bulk_action(&chrome.base, &filters, dry.matched);
            confirm_page(chrome, admin, act, Justification::default(), "", StatusCode::OK)
        }
        Err(e) => service_error(chrome, PublicError::from(e)),
    }
}

/// `POST /admin/dlq/bulk`: fields `error`, `user`, `age` (the filters), `reason`, `ticket`,
/// `confirm` (the word `replay`), `csrf`. Replays one batch; when more remain, the confirmation
/// comes back for the next one.
#[handler]
pub(crate) async fn bulk(console: Console, req: &Request, body: Body) -> Response {
    let (viewer, chrome, admin) = match guard(&console, req, "dlq").await {
        Ok(ok) => ok,
        Err(resp) => return resp,
    };
    let form = FormData::parse(&body.into_vec().await.unwrap_or_default());
    if !form.csrf_ok(&viewer) {
        return csrf_refused(chrome);
    }
    // The page's form carries the filters as fields; the dialog posts them in the query string.
    let filters = Filters::from_pairs(|name| form.get(name).map(str::to_owned).or_else(|| query_param(req, name)));
    let filter = match filters.resolve(&console, &viewer).await {
        Ok(filter) => filter,
        Err(e) => return error_page(chrome, StatusCode::BAD_REQUEST, "Check the filters", &e),
    };
    let given = Justification::from_form(&form);
    let admin_service = &console.core().admin;
    let meta = request_meta(req);
    let count =
        admin_service.replay_matching(&viewer.principal, &filter, true, "", None, &meta).await.map_or(0, |d| d.matched);
    let act = bulk_action(&chrome.base, &filters, count);
    if !given.typed(WORD) && admin.can_act {
        let error = format!("Type the word {WORD} to confirm.");
        return confirm_page(chrome, admin, act, given, &error, StatusCode::BAD_REQUEST);
    }
    match admin_service.replay_matching(&viewer.principal, &filter, false, &given.reason, given.ticket(), &meta).await {
        Ok(done) => {
            let mut notice =
                format!("Replayed {} dead letter{}", done.replayed, if done.replayed == 1 { "" } else { "s" });
            if done.skipped > 0 {
                notice.push_str(&format!("; {} skipped (their jobs are no longer failed)", done.skipped));
            }
            if done.remaining > 0 {
                notice.push_str(&format!("; {} still match: replay them as the next batch.", done.remaining));
            } else {
                notice.push('.');
            }
            redirect_notice(&format!("{}/admin/dlq?{}", chrome.base, filters.query()), &notice)
        }
        Err(e) => refused(chrome, admin, act, given, PublicError::from(e)),
    }
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
