//! Admin › Jobs: every user's jobs (status tabs; filters by owner, agent, region and age; sort
//! and paging, all kept in the URL), each linking to its page (staff may read anyone's job
//! there), the queue's counts, and termination of a live job through the confirmation (admins),
//! audited as `job.terminated` and shown to the owner in the job's history.

use std::collections::HashMap;

use askama::Template;
use chrono::TimeDelta;
use poem::http::StatusCode;
use poem::web::Path;
use poem::{Body, Request, Response, handler};
use tseeder_core::domain::{JobId, JobStatus, PageRequest, RegionCode, UserId};
use tseeder_core::ports::JobSort;
use tseeder_core::services::Justification as Why;
use tseeder_core::services::job::ListJobs;
use tseeder_http::console::{Console, PublicError, request_meta};

use super::act::{Action, Justification, confirm_page, refused};
use super::{AdminChrome, guard};
use crate::jobs::{JobRow, status_label};
use crate::page::{
    Chrome, FormData, Viewer, csrf_refused, encode, error_page, query_param, redirect_notice, render, service_error,
};

/// The age choices of the filter: the value kept in the URL, its label, and its seconds.
pub(crate) const AGES: [(&str, &str, i64); 4] = [
    ("1h", "older than an hour", 3600),
    ("1d", "older than a day", 86_400),
    ("7d", "older than a week", 604_800),
    ("new", "added in the last hour", -3600),
];

/// Jobs per page.
const PER_PAGE: u64 = 50;

/// A job as a row, with its owner.
#[derive(Debug, Clone)]
struct AdminJobRow {
    job: JobRow,
    owner: String,
    worker: String,
    /// Whether an admin may terminate it (it is not finished).
    live: bool,
}

/// A status tab.
#[derive(Debug, Clone)]
struct Tab {
    href: String,
    label: &'static str,
    current: bool,
}

/// A sortable column header.
#[derive(Debug, Clone)]
struct SortLink {
    href: String,
    /// `ascending`, `descending` or empty.
    aria: &'static str,
}

#[derive(Template)]
#[template(path = "admin/jobs.html")]
struct JobsPage {
    chrome: Chrome,
    admin: AdminChrome,
    tabs: Vec<Tab>,
    jobs: Vec<AdminJobRow>,
    status: String,
    status_name: String,
    total: u64,
    by_name: SortLink,
    by_created: SortLink,
    by_updated: SortLink,
    prev: String,
    next: String,
    page_no: u64,
    pages: u64,
    ready: u64,
    delayed: u64,
    dead: u64,
    /// The filters as typed, for the form.
    user: String,
    worker: String,
    region: String,
    age: String,
    ages: Vec<(&'static str, &'static str)>,
    /// Whether any filter besides the status is on.
    filtered: bool,
    /// A filter that could not be used, shown above the list.
    filter_error: String,
}

/// The list's filters and order, as kept in the URL.
#[derive(Debug, Clone)]
struct Query {
    status: Option<JobStatus>,
    sort: &'static str,
    desc: bool,
    page: u64,
    /// An owner's email or id.
    user: String,
    worker: String,
    region: String,
    /// One of [`AGES`]' values, or empty.
    age: String,
}

impl Query {
    fn from_request(req: &Request) -> Self {
        let status = query_param(req, "status").and_then(|s| s.parse::<JobStatus>().ok());
        let sort = match query_param(req, "sort").as_deref() {
            Some("name") => "name",
            Some("updated") => "updated",
            _ => "created",
        };
        let desc = query_param(req, "dir").as_deref() != Some("asc");
        let page = query_param(req, "page").and_then(|p| p.parse().ok()).unwrap_or(1).clamp(1, 1_000_000);
        let text = |name| query_param(req, name).map(|v| v.trim().to_owned()).unwrap_or_default();
        let age = text("age");
        let age = if AGES.iter().any(|(v, _, _)| *v == age) { age } else { String::new() };
        Self { status, sort, desc, page, user: text("user"), worker: text("worker"), region: text("region"), age }
    }

    fn href(&self, base: &str) -> String {
        let status = self.status.map_or("", JobStatus::as_str);
        let dir = if self.desc { "desc" } else { "asc" };
        format!(
            "{base}/admin/jobs?status={status}&sort={}&dir={dir}&page={}&user={}&worker={}&region={}&age={}",
            self.sort,
            self.page,
            encode(&self.user),
            encode(&self.worker),
            encode(&self.region),
            self.age
        )
    }

    fn filtered(&self) -> bool {
        !(self.user.is_empty() && self.worker.is_empty() && self.region.is_empty() && self.age.is_empty())
    }
}

/// The owner a filter names, if any.
async fn owner_filter(console: &Console, viewer: &Viewer, user: &str) -> Result<Option<UserId>, String> {
    if user.is_empty() { Ok(None) } else { super::account_named(console, viewer, user).await.map(Some) }
}

impl Query {
    /// The header link of column `sort`: first click sorts it (names A→Z, times newest
    /// first), the next reverses it.
    fn sort_link(&self, base: &str, sort: &'static str) -> SortLink {
        let current = self.sort == sort;
        let desc = if current { !self.desc } else { sort != "name" };
        let aria = match (current, self.desc) {
            (false, _) => "",
            (true, true) => "descending",
            (true, false) => "ascending",
        };
        SortLink { href: Self { sort, desc, page: 1, ..self.clone() }.href(base), aria }
    }
}

/// The owners' emails of `user_ids`, as far as they can be read.
async fn owners(console: &Console, viewer: &Viewer, user_ids: impl Iterator<Item = UserId>) -> HashMap<UserId, String> {
    let mut emails = HashMap::new();
    for id in user_ids {
        if emails.contains_key(&id) {
            continue;
        }
        let email = match console.core().accounts.user(&viewer.principal, id).await {
            Ok(user) => user.email,
            Err(_) => "deleted account".into(),
        };
        emails.insert(id, email);
    }
    emails
}

/// `GET /admin/jobs?status=&sort=&dir=&page=`.
#[handler]
pub(crate) async fn list(console: Console, req: &Request) -> Response {
    let (viewer, chrome, admin) = match guard(&console, req, "jobs").await {
        Ok(ok) => ok,
        Err(resp) => return resp,
    };
    let query = Query::from_request(req);
    let core = console.core();
    let mut filter_error = String::new();
    let user_id = owner_filter(&console, &viewer, &query.user).await.unwrap_or_else(|e| {
        filter_error = e;
        // No account: nobody's jobs.
        Some(UserId(uuid::Uuid::nil()))
    });
    let region = if query.region.is_empty() {
        None
    } else {
        match RegionCode::parse(&query.region) {
            Ok(region) => Some(region),
            Err(e) => {
                filter_error = format!("The region {}: {e}.", query.region);
                None
            }
        }
    };
    let now = core.ports.clock.now();
    let (created_before, created_after) = match AGES.iter().find(|(v, _, _)| *v == query.age) {
        Some((_, _, secs)) if *secs > 0 => (Some(now - TimeDelta::seconds(*secs)), None),
        Some((_, _, secs)) => (None, Some(now + TimeDelta::seconds(*secs))),
        None => (None, None),
    };
    let list = ListJobs {
        user_id,
        worker_id: Some(query.worker.clone()).filter(|w| !w.is_empty()),
        region,
        created_before,
        created_after,
        status: query.status,
        sort: match query.sort {
            "name" => JobSort::Name,
            "updated" => JobSort::UpdatedAt,
            _ => JobSort::CreatedAt,
        },
        descending: query.desc,
        all_users: true,
        label: None,
    };
    let page = match core.jobs.list(&viewer.principal, list, PageRequest::new(query.page, PER_PAGE)).await {
        Ok(page) => page,
        Err(e) => return service_error(chrome, PublicError::from(e)),
    };
    let stats = match core.admin.queue_stats(&viewer.principal).await {
        Ok(stats) => stats,
        Err(e) => return service_error(chrome, PublicError::from(e)),
    };
    let emails = owners(&console, &viewer, page.items.iter().map(|j| j.user_id)).await;
    let base = chrome.base.clone();
    let jobs = page
        .items
        .iter()
        .map(|j| AdminJobRow {
            job: JobRow::new(j),
            owner: emails.get(&j.user_id).cloned().unwrap_or_default(),
            worker: j.worker_id.clone().unwrap_or_default(),
            live: !j.status.is_terminal(),
        })
        .collect();
    let pages = page.total.div_ceil(PER_PAGE).max(1);
    let at = |n: u64| Query { page: n, ..query.clone() }.href(&base);
    let tab = |status: Option<JobStatus>, label: &'static str| Tab {
        href: Query { status, page: 1, ..query.clone() }.href(&base),
        label,
        current: status == query.status,
    };
    let mut tabs = vec![tab(None, "All")];
    tabs.extend(JobStatus::ALL.into_iter().map(|s| tab(Some(s), status_label(s))));
    let status_name = query.status.map(|s| status_label(s).to_lowercase()).unwrap_or_default();
    render(
        StatusCode::OK,
        &JobsPage {
            tabs,
            jobs,
            status: query.status.map_or("", JobStatus::as_str).to_owned(),
            status_name,
            total: page.total,
            by_name: query.sort_link(&base, "name"),
            by_created: query.sort_link(&base, "created"),
            by_updated: query.sort_link(&base, "updated"),
            prev: if query.page > 1 { at(query.page - 1) } else { String::new() },
            next: if query.page < pages { at(query.page + 1) } else { String::new() },
            page_no: query.page,
            pages,
            ready: stats.ready,
            delayed: stats.delayed,
            dead: stats.dead,
            filtered: query.filtered(),
            user: query.user.clone(),
            worker: query.worker.clone(),
            region: query.region.clone(),
            age: query.age.clone(),
            ages: AGES.iter().map(|(v, l, _)| (*v, *l)).collect(),
            filter_error,
            chrome,
            admin,
        },
    )
}

/// The confirmation of terminating job `id` (named `name`).
fn terminate_action(base: &str, id: &str, name: &str) -> Action {
    Action {
        title: format!("Terminate “{name}”?"),
        text: "The download stops at once and the job ends as cancelled by an administrator; its owner sees \
               the reason in its history."
            .into(),
        post_to: format!("{base}/admin/jobs/{id}/terminate"),
        hidden: Vec::new(),
        typed: "",
        verb: "Terminate",
        cancel: format!("{base}/jobs/{id}"),
    }
}

/// `GET /admin/jobs/{id}/terminate`: the confirmation as a page.
#[handler]
pub(crate) async fn confirm_terminate(console: Console, req: &Request, Path(id): Path<String>) -> Response {
    let (viewer, chrome, admin) = match guard(&console, req, "jobs").await {
        Ok(ok) => ok,
        Err(resp) => return resp,
    };
    let Ok(job_id) = id.parse::<JobId>() else {
        return error_page(chrome, StatusCode::NOT_FOUND, "Not found", "There is no such job.");
    };
    let job = match console.core().jobs.get(&viewer.principal, job_id).await {
        Ok(job) => job,
        Err(e) => return service_error(chrome, PublicError::from(e)),
    };
    let act = terminate_action(&chrome.base, &id, &job.name);
    confirm_page(chrome, admin, act, Justification::default(), "", StatusCode::OK)
}

/// `POST /admin/jobs/{id}/terminate`: fields `reason` (at least 10 characters), `ticket`
/// (optional), `csrf`.
#[handler]
pub(crate) async fn terminate(console: Console, req: &Request, Path(id): Path<String>, body: Body) -> Response {
    let (viewer, chrome, admin) = match guard(&console, req, "jobs").await {
        Ok(ok) => ok,
        Err(resp) => return resp,
    };
    let form = FormData::parse(&body.into_vec().await.unwrap_or_default());
    if !form.csrf_ok(&viewer) {
        return csrf_refused(chrome);
    }
    let Ok(job_id) = id.parse::<JobId>() else {
        return error_page(chrome, StatusCode::NOT_FOUND, "Not found", "There is no such job.");
    };
    let given = Justification::from_form(&form);
    let name = console.core().jobs.get(&viewer.principal, job_id).await.map(|j| j.name).unwrap_or_default();
    let why = Why { reason: &given.reason, ticket: given.ticket() };
    match console.core().users.terminate_job(&viewer.principal, job_id, why, &request_meta(req)).await {
        Ok(job) => redirect_notice(
            &format!("{}/jobs/{}", chrome.base, job.id),
            "Terminated: the job is cancelled and its owner sees why.",
        ),
        Err(e) => {
            let action = terminate_action(&chrome.base, &id, &name);
            refused(chrome, admin, action, given, PublicError::from(e))
        }
    }
}
