//! Admin › Jobs: every user's jobs (status filter, sort, paging, all kept in the URL), each
//! linking to its page (staff may read anyone's job there), and the queue's counts.

use std::collections::HashMap;

use askama::Template;
use poem::http::StatusCode;
use poem::{Request, Response, handler};
use tseeder_core::domain::{JobStatus, PageRequest, UserId};
use tseeder_core::ports::JobSort;
use tseeder_core::services::job::ListJobs;
use tseeder_http::console::{Console, PublicError};

use super::{AdminChrome, guard};
use crate::jobs::{JobRow, status_label};
use crate::page::{Chrome, Viewer, query_param, render, service_error};

/// Jobs per page.
const PER_PAGE: u64 = 50;

/// A job as a row, with its owner.
#[derive(Debug, Clone)]
struct AdminJobRow {
    job: JobRow,
    owner: String,
    worker: String,
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
}

/// The list's filters and order, as kept in the URL.
#[derive(Debug, Clone)]
struct Query {
    status: Option<JobStatus>,
    sort: &'static str,
    desc: bool,
    page: u64,
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
        Self { status, sort, desc, page }
    }

    fn href(&self, base: &str) -> String {
        let status = self.status.map_or("", JobStatus::as_str);
        let dir = if self.desc { "desc" } else { "asc" };
        format!("{base}/admin/jobs?status={status}&sort={}&dir={dir}&page={}", self.sort, self.page)
    }

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
    let list = ListJobs {
        status: query.status,
        sort: match query.sort {
            "name" => JobSort::Name,
            "updated" => JobSort::UpdatedAt,
            _ => JobSort::CreatedAt,
        },
        descending: query.desc,
        all_users: true,
        ..ListJobs::default()
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
            chrome,
            admin,
        },
    )
}
