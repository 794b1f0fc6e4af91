//! The dashboard (the jobs list), a job's page, and what can be done to jobs from them: pause,
//! resume, cancel, delete, rename (one or several), signed links and an M3U playlist.

use askama::Template;
use chrono::Utc;
use poem::http::{StatusCode, header};
use poem::web::Path;
use poem::{Body, Request, Response, handler};
use tseeder_core::domain::{
    FileId, Job, JobEvent, JobId, JobStatus, LabelKind, OrgRole, PageRequest, StoredFile, UserId, check_label,
};
use tseeder_core::ports::JobSort;
use tseeder_core::services::job::ListJobs;
use tseeder_http::console::{Console, PublicError, request_meta};
use uuid::Uuid;

use crate::page::{
    Chrome, FormData, Viewer, ago, csrf_refused, encode, exact, human_size, query_param, redirect_notice, render,
    service_error, to_login, viewer,
};

/// Jobs per page of the dashboard.
const PAGE_SIZE: u64 = 25;
/// How many of the newest matching jobs a text search looks through.
const SEARCH_WINDOW: u64 = 100;
/// Lifetime of the links in playlists and of copied links: one day.
const LINK_SECS: u64 = 86_400;

/// A job as a row of the list or the head of its page.
#[derive(Debug, Clone)]
pub(crate) struct JobRow {
    pub(crate) id: String,
    pub(crate) name: String,
    pub(crate) status: &'static str,
    pub(crate) status_label: String,
    /// 0 to 100, as text for the `<progress>` element; empty while the size is unknown.
    pub(crate) pct: String,
    pub(crate) pct_label: String,
    pub(crate) done: String,
    pub(crate) total: String,
    pub(crate) done_bytes: u64,
    pub(crate) created: String,
    pub(crate) created_exact: String,
    pub(crate) updated: String,
    pub(crate) error: String,
    pub(crate) can_pause: bool,
    pub(crate) can_resume: bool,
    pub(crate) can_cancel: bool,
    pub(crate) can_delete: bool,
    pub(crate) live: bool,
    /// Who submitted it, on the dashboard of an organization's owner or admin (`you`, an email,
    /// or `a former member`); empty elsewhere.
    pub(crate) by: String,
    /// The viewer's category then tags on it, on the dashboard; empty elsewhere.
    pub(crate) labels: Vec<LabelBadge>,
}

/// A category or tag on a row of the list: a badge that links to the list filtered by it.
#[derive(Debug, Clone)]
pub(crate) struct LabelBadge {
    /// `category` or `tag` (the badge's class, and the words read out before the name).
    pub(crate) kind: &'static str,
    pub(crate) name: String,
    pub(crate) href: String,
}

/// How a status reads.
pub(crate) fn status_label(status: JobStatus) -> &'static str {
    match status {
        JobStatus::Queued => "Queued",
        JobStatus::FetchingMetadata => "Finding peers",
        JobStatus::Downloading => "Downloading",
        JobStatus::Uploading => "Storing",
        JobStatus::Completed => "Completed",
        JobStatus::Paused => "Paused",
        JobStatus::Failed => "Failed",
        JobStatus::Cancelled => "Cancelled",
    }
}

impl JobRow {
    pub(crate) fn new(job: &Job) -> Self {
        let now = Utc::now();
        let status = job.status;
        let pct = match (status, job.total_bytes) {
            (JobStatus::Completed, _) => Some(100.0),
            (_, Some(0)) => Some(0.0),
            (_, Some(total)) => Some(job.done_bytes.min(total) as f64 * 100.0 / total as f64),
            (_, None) => None,
        };
        Self {
            id: job.id.to_string(),
            name: job.name.clone(),
            status: status.as_str(),
            status_label: status_label(status).into(),
            pct: pct.map(|p| format!("{p:.1}")).unwrap_or_default(),
            pct_label: pct.map(|p| format!("{p:.0}%")).unwrap_or_else(|| "—".into()),
            done: human_size(job.done_bytes),
            total: job.total_bytes.map(human_size).unwrap_or_else(|| "size unknown".into()),
            done_bytes: job.done_bytes,
            created: ago(job.created_at, now),
            created_exact: exact(job.created_at),
            updated: ago(job.updated_at, now),
            error: job.error.clone().unwrap_or_default(),
            can_pause: status == JobStatus::Queued || status.is_running(),
            can_resume: status == JobStatus::Paused,
            can_cancel: !status.is_terminal(),
            can_delete: status.is_terminal(),
            live: !status.is_terminal() && status != JobStatus::Paused,
            by: String::new(),
            labels: Vec::new(),
        }
    }
}

/// The list's filters and order, as kept in the URL.
#[derive(Debug, Clone, Default)]
struct ListQuery {
    status: String,
    /// The category filter, checked ([`check_label`]); empty for none.
    category: String,
    /// The tag filter, checked; empty for none, and always empty beside a category (which wins
    /// when both are asked for).
    tag: String,
    q: String,
    sort: String,
    dir: String,
    page: u64,
}

impl ListQuery {
    fn from_request(req: &Request) -> Self {
        let status = query_param(req, "status").filter(|s| s.parse::<JobStatus>().is_ok()).unwrap_or_default();
        let sort = query_param(req, "sort").filter(|s| ["created", "updated", "name"].contains(&s.as_str()));
        let dir = query_param(req, "dir").filter(|d| d == "asc" || d == "desc");
        // Like a bad status, a name that cannot be a label filters nothing.
        let label = |kind: LabelKind| {
            query_param(req, kind.as_str()).and_then(|name| check_label(kind, &name).ok()).unwrap_or_default()
        };
        let category = label(LabelKind::Category);
        let tag = if category.is_empty() { label(LabelKind::Tag) } else { String::new() };
        Self {
            status,
            category,
            tag,
            q: query_param(req, "q").map(|q| q.trim().to_owned()).unwrap_or_default(),
            sort: sort.unwrap_or_else(|| "created".into()),
            dir: dir.unwrap_or_else(|| "desc".into()),
            page: query_param(req, "page").and_then(|p| p.parse().ok()).unwrap_or(1).max(1),
        }
    }

    /// The category or tag the list is filtered by, if any.
    fn label(&self) -> Option<(LabelKind, String)> {
        if !self.category.is_empty() {
            Some((LabelKind::Category, self.category.clone()))
        } else if !self.tag.is_empty() {
            Some((LabelKind::Tag, self.tag.clone()))
        } else {
            None
        }
    }

    /// This query filtered by one category or tag instead of any other, from its first page.
    fn with_label(&self, kind: LabelKind, name: &str) -> Self {
        let mut query = self.clone();
        (query.category, query.tag) = match kind {
            LabelKind::Category => (name.to_owned(), String::new()),
            LabelKind::Tag => (String::new(), name.to_owned()),
        };
        query.page = 1;
        query
    }

    /// This query's URL with some parts changed.
    fn href(&self, base: &str, status: Option<&str>, sort: Option<(&str, &str)>, page: Option<u64>) -> String {
        let status = status.unwrap_or(&self.status);
        let (sort, dir) = sort.unwrap_or((&self.sort, &self.dir));
        let page = page.unwrap_or(self.page);
        let mut parts = Vec::new();
        if !status.is_empty() {
            parts.push(format!("status={}", encode(status)));
        }
        if !self.category.is_empty() {
            parts.push(format!("category={}", encode(&self.category)));
        }
        if !self.tag.is_empty() {
            parts.push(format!("tag={}", encode(&self.tag)));
        }
        if !self.q.is_empty() {
            parts.push(format!("q={}", encode(&self.q)));
        }
        if sort != "created" || dir != "desc" {
            parts.push(format!("sort={sort}&dir={dir}"));
        }
        if page > 1 {
            parts.push(format!("page={page}"));
        }
        if parts.is_empty() { format!("{base}/") } else { format!("{base}/?{}", parts.join("&")) }
    }
}

/// A link of the list's header: a status tab or a sortable column.
#[derive(Debug, Clone)]
struct Link {
    label: String,
    href: String,
    current: bool,
    /// `ascending`, `descending` or empty (for `aria-sort`).
    order: &'static str,
}

/// A choice of the list's category or tag filter.
#[derive(Debug, Clone)]
struct LabelChoice {
    name: String,
    selected: bool,
}

/// The choices of the category or tag filter: the viewer's names of `kind`, and the one in
/// force (`active`, empty for none) when it is not among them, so the filter in force always
/// shows. Empty when there are neither (no control is shown then).
async fn label_choices(console: &Console, viewer: &Viewer, kind: LabelKind, active: &str) -> Vec<LabelChoice> {
    let mut names = console.core().labels.list(&viewer.principal, kind).await.unwrap_or_else(|e| {
        tracing::warn!(error = %e, %kind, "the viewer's labels could not be listed");
        Vec::new()
    });
    if !active.is_empty() && !names.iter().any(|n| n == active) {
        names.push(active.to_owned());
        names.sort();
    }
    names.into_iter().map(|name| LabelChoice { selected: name == active, name }).collect()
}

#[derive(Template)]
#[template(path = "dashboard.html")]
struct Dashboard {
    chrome: Chrome,
    jobs: Vec<JobRow>,
    tabs: Vec<Link>,
    columns: Vec<Link>,
    q: String,
    status: String,
    /// The category or tag filter in force (at most one of them; empty for none).
    category: String,
    tag: String,
    /// The viewer's categories and tags to filter by (empty: no control for that kind).
    categories: Vec<LabelChoice>,
    tags: Vec<LabelChoice>,
    sort: String,
    dir: String,
    /// The current URL, to come back to after a form post.
    back: String,
    prev: String,
    next: String,
    filtered: bool,
    searched_window: bool,
    usage: crate::settings::UsageSummary,
    /// Whose downloads the list holds: every member's (the viewer owns or runs a shared
    /// organization) or only the viewer's.
    everyone: bool,
}

/// Who submitted the jobs of a shared organization whose owner or admin the viewer is: its
/// members' emails by id (`None`: the list shows only the viewer's own jobs, or the members
/// could not be read).
async fn submitters(console: &Console, viewer: &Viewer) -> Option<Vec<(UserId, String)>> {
    let current = viewer.current_org()?;
    if current.org.personal || viewer.principal.org.role < OrgRole::Admin {
        return None;
    }
    let members = console.core().orgs.members(&viewer.principal, current.org.slug.as_str()).await.ok()?;
    Some(members.into_iter().map(|m| (m.user_id, m.email)).collect())
}

/// `GET /`: the jobs of the organization the viewer acts in (every member's for its owners and
/// admins, their own for members).
#[handler]
pub(crate) async fn dashboard(console: Console, req: &Request) -> Response {
    let Some(viewer) = viewer(&console, req).await else { return to_login(&console, req) };
    let chrome = Chrome::new(&console, Some(&viewer), "Downloads", "jobs").with_notice(req);
    let base = chrome.base.clone();
    let query = ListQuery::from_request(req);
    let list = ListJobs {
        status: query.status.parse().ok(),
        sort: match query.sort.as_str() {
            "updated" => JobSort::UpdatedAt,
            "name" => JobSort::Name,
            _ => JobSort::CreatedAt,
        },
        descending: query.dir == "desc",
        all_users: false,
        label: query.label(),
        ..ListJobs::default()
    };
    let jobs_service = &console.core().jobs;
    let searching = !query.q.is_empty();
    let page_request =
        if searching { PageRequest::new(1, SEARCH_WINDOW) } else { PageRequest::new(query.page, PAGE_SIZE) };
    let page = match jobs_service.list(&viewer.principal, list, page_request).await {
        Ok(page) => page,
        Err(e) => return service_error(chrome, PublicError::from(e)),
    };
    let needle = query.q.to_lowercase();
    let submitters = submitters(&console, &viewer).await;
    let shown: Vec<&Job> =
        page.items.iter().filter(|j| !searching || j.name.to_lowercase().contains(&needle)).collect();
    let ids: Vec<JobId> = shown.iter().map(|j| j.id).collect();
    let labels = console.core().labels.of_jobs(&viewer.principal, &ids).await.unwrap_or_else(|e| {
        tracing::warn!(error = %e, "the labels of the listed jobs could not be read");
        Default::default()
    });
    let jobs: Vec<JobRow> = shown
        .into_iter()
        .map(|j| {
            let mut row = JobRow::new(j);
            if let Some(on_job) = labels.get(&j.id) {
                let category = on_job.category.iter().map(|c| (LabelKind::Category, c));
                let tags = on_job.tags.iter().map(|t| (LabelKind::Tag, t));
                row.labels = category
                    .chain(tags)
                    .map(|(kind, name)| LabelBadge {
                        kind: kind.as_str(),
                        name: name.clone(),
                        href: query.with_label(kind, name).href(&base, None, None, None),
                    })
                    .collect();
            }
            if let Some(members) = &submitters {
                row.by = if j.user_id == viewer.user.id {
                    "you".into()
                } else {
                    members
                        .iter()
                        .find(|(id, _)| *id == j.user_id)
                        .map_or_else(|| "a former member".into(), |(_, email)| email.clone())
                };
            }
            row
        })
        .collect();
    let has_more = !searching && page.page * page.limit < page.total;
    let usage = crate::settings::UsageSummary::load(&console, &viewer).await;
    let categories = label_choices(&console, &viewer, LabelKind::Category, &query.category).await;
    let tags = label_choices(&console, &viewer, LabelKind::Tag, &query.tag).await;

    let mut tabs = vec![Link {
        label: "All".into(),
        href: query.href(&base, Some(""), None, Some(1)),
        current: query.status.is_empty(),
        order: "",
    }];
    for status in [
        JobStatus::Downloading,
        JobStatus::Queued,
        JobStatus::Paused,
        JobStatus::Completed,
        JobStatus::Failed,
        JobStatus::Cancelled,
    ] {
        tabs.push(Link {
            label: status_label(status).into(),
            href: query.href(&base, Some(status.as_str()), None, Some(1)),
            current: query.status == status.as_str(),
            order: "",
        });
    }
    let columns = [("name", "Name"), ("created", "Added"), ("updated", "Updated")]
        .into_iter()
        .map(|(key, label)| {
            let current = query.sort == key;
            let dir = if current && query.dir == "desc" {
                "asc"
            } else if current {
                "desc"
            } else if key == "name" {
                "asc"
            } else {
                "desc"
            };
            Link {
                label: label.into(),
                href: query.href(&base, None, Some((key, dir)), Some(1)),
                current,
                order: match (current, query.dir.as_str()) {
                    (true, "asc") => "ascending",
                    (true, _) => "descending",
                    _ => "",
                },
            }
        })
        .collect();
    let back = req.uri().path_and_query().map_or_else(|| "/".to_owned(), |pq| format!("{base}{}", pq.as_str()));
    let page_view = Dashboard {
        prev: if query.page > 1 && !searching {
            query.href(&base, None, None, Some(query.page - 1))
        } else {
            String::new()
        },
        next: if has_more { query.href(&base, None, None, Some(query.page + 1)) } else { String::new() },
        filtered: !query.status.is_empty() || searching || query.label().is_some(),
        searched_window: searching && page.total > SEARCH_WINDOW,
        chrome,
        jobs,
        tabs,
        columns,
        q: query.q.clone(),
        status: query.status.clone(),
        category: query.category.clone(),
        tag: query.tag.clone(),
        categories,
        tags,
        sort: query.sort.clone(),
        dir: query.dir.clone(),
        back,
        usage,
        everyone: submitters.is_some(),
    };
    render(StatusCode::OK, &page_view)
}

/// One line of a job's file tree: a folder or a file, at a depth.
#[derive(Debug, Clone)]
pub(crate) struct TreeRow {
    pub(crate) depth: usize,
    pub(crate) name: String,
    pub(crate) is_dir: bool,
    pub(crate) size: String,
    pub(crate) id: String,
    /// `video`, `audio` or empty.
    pub(crate) media: &'static str,
}

/// Whether a file plays in a browser, by its extension: `video`, `audio` or empty.
pub(crate) fn media_kind(path: &str) -> &'static str {
    let ext = path.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase()).unwrap_or_default();
    match ext.as_str() {
        "mp4" | "m4v" | "webm" | "mkv" | "mov" | "ogv" => "video",
        "mp3" | "m4a" | "aac" | "ogg" | "oga" | "opus" | "flac" | "wav" => "audio",
        _ => "",
    }
}

/// The files as a tree, folders first at each level, each folder with its total size.
pub(crate) fn file_tree(files: &[StoredFile]) -> Vec<TreeRow> {
    let mut sorted: Vec<&StoredFile> = files.iter().collect();
    sorted.sort_by(|a, b| a.path.as_str().cmp(b.path.as_str()));
    let mut rows = Vec::new();
    let mut open: Vec<String> = Vec::new();
    for file in sorted {
        let parts: Vec<&str> = file.path.as_str().split('/').collect();
        let (dirs, name) = parts.split_at(parts.len() - 1);
        let common = open.iter().zip(dirs).take_while(|(a, b)| a.as_str() == **b).count();
        open.truncate(common);
        for (depth, dir) in dirs.iter().enumerate().skip(common) {
            let prefix = format!("{}/", dirs[..=depth].join("/"));
            let size: u64 = files.iter().filter(|f| f.path.as_str().starts_with(&prefix)).map(|f| f.size).sum();
            rows.push(TreeRow {
                depth,
                name: (*dir).to_owned(),
                is_dir: true,
                size: human_size(size),
                id: String::new(),
                media: "",
            });
            open.push((*dir).to_owned());
        }
        rows.push(TreeRow {
            depth: dirs.len(),
            name: name.first().copied().unwrap_or_default().to_owned(),
            is_dir: false,
            size: human_size(file.size),
            id: file.id.0.to_string(),
            media: media_kind(file.path.as_str()),
        });
    }
    rows
}

/// A history entry as shown.
#[derive(Debug, Clone)]
struct HistoryRow {
    what: String,
    when: String,
    exact: String,
}

fn history_row(event: &JobEvent) -> HistoryRow {
    let payload = &event.payload;
    let kind = event.kind.as_str();
    let what = match kind {
        "status_changed" => format!(
            "{} → {}",
            payload["from"].as_str().and_then(|s| s.parse().ok()).map_or("?", status_label),
            payload["to"].as_str().and_then(|s| s.parse().ok()).map_or("?", status_label)
        ),
        other => other.replace('_', " "),
    };
    let detail = payload["reason"].as_str().or_else(|| payload["error"].as_str()).unwrap_or_default();
    let what = if detail.is_empty() { what } else { format!("{what}: {detail}") };
    HistoryRow { what, when: ago(event.created_at, Utc::now()), exact: exact(event.created_at) }
}

#[derive(Template)]
#[template(path = "job.html")]
struct JobPage {
    chrome: Chrome,
    job: JobRow,
    infohash: String,
    source: &'static str,
    region: String,
    tree: Vec<TreeRow>,
    file_count: usize,
    media_count: usize,
    history: Vec<HistoryRow>,
    last_seq: u64,
}

fn parse_id(id: &str) -> Option<Uuid> {
    Uuid::parse_str(id).ok()
}

fn not_found(chrome: Chrome) -> Response {
    crate::page::error_page(
        chrome,
        StatusCode::NOT_FOUND,
        "Download not found",
        "There is no download at this address in your account. It may have been deleted.",
    )
}

/// `GET /jobs/{id}`: progress, history and files of one job (the owner's, or any for staff).
#[handler]
pub(crate) async fn job_page(console: Console, req: &Request, Path(id): Path<String>) -> Response {
    let Some(viewer) = viewer(&console, req).await else { return to_login(&console, req) };
    let chrome = Chrome::new(&console, Some(&viewer), "Download", "jobs").with_notice(req);
    let Some(id) = parse_id(&id) else { return not_found(chrome) };
    let core = console.core();
    let job = match core.jobs.get(&viewer.principal, JobId(id)).await {
        Ok(job) => job,
        Err(e) => {
            let error = PublicError::from(e);
            return if error.status == StatusCode::NOT_FOUND {
                not_found(chrome)
            } else {
                service_error(chrome, error)
            };
        }
    };
    let files = match core.files.list(&viewer.principal, job.id).await {
        Ok((_, files)) => files,
        Err(e) => return service_error(chrome, PublicError::from(e)),
    };
    let events = core.jobs.events(&viewer.principal, job.id, 0, 1000).await.unwrap_or_default();
    let tree = file_tree(&files);
    let media_count = tree.iter().filter(|r| !r.media.is_empty()).count();
    let page = JobPage {
        chrome: Chrome { title: job.name.clone(), ..chrome },
        infohash: job.infohash.to_hex(),
        source: job.source.kind(),
        region: job.region_hint.clone().map(String::from).unwrap_or_default(),
        job: JobRow::new(&job),
        file_count: files.len(),
        media_count,
        tree,
        last_seq: events.last().map_or(0, |e| e.seq),
        history: events.iter().rev().map(history_row).collect(),
    };
    render(StatusCode::OK, &page)
}

/// Applies one action to one job of the viewer's.
async fn apply(console: &Console, viewer: &Viewer, req: &Request, id: JobId, action: &str) -> Result<(), String> {
    let jobs = &console.core().jobs;
    let meta = request_meta(req);
    let result = match action {
        "pause" => jobs.pause(&viewer.principal, id, &meta).await.map(|_| ()),
        "resume" => jobs.resume(&viewer.principal, id, &meta).await.map(|_| ()),
        "cancel" => jobs.cancel(&viewer.principal, id, &meta).await.map(|_| ()),
        "delete" => jobs.delete(&viewer.principal, id, &meta).await,
        _ => return Err("unknown action".into()),
    };
    result.map_err(|e| PublicError::from(e).message)
}

fn past_tense(action: &str) -> &'static str {
    match action {
        "pause" => "paused",
        "resume" => "resumed",
        "cancel" => "cancelled",
        "delete" => "deleted",
        _ => "changed",
    }
}

/// Where to go back to after a form: the form's `back` field when it is a path of this site.
fn back_to(form: &FormData, fallback: String) -> String {
    match form.get("back") {
        Some(back) if back.starts_with('/') && !back.starts_with("//") => back.to_owned(),
        _ => fallback,
    }
}

/// `POST /jobs/{id}/action`: pause, resume, cancel or delete (field `action`).
#[handler]
pub(crate) async fn job_action(console: Console, req: &Request, Path(id): Path<String>, body: Body) -> Response {
    let Some(viewer) = viewer(&console, req).await else { return to_login(&console, req) };
    let chrome = Chrome::new(&console, Some(&viewer), "Download", "jobs");
    let form = FormData::parse(&body.into_vec().await.unwrap_or_default());
    if !form.csrf_ok(&viewer) {
        return csrf_refused(chrome);
    }
    let Some(uuid) = parse_id(&id) else { return not_found(chrome) };
    let action = form.get("action").unwrap_or_default();
    let job_url = format!("{}/jobs/{id}", chrome.base);
    let fallback = if action == "delete" { format!("{}/", chrome.base) } else { job_url.clone() };
    let back = back_to(&form, fallback);
    let back = if action == "delete" && back.starts_with(&job_url) { format!("{}/", chrome.base) } else { back };
    match apply(&console, &viewer, req, JobId(uuid), action).await {
        Ok(()) => redirect_notice(&back, &format!("Download {}.", past_tense(action))),
        Err(message) => redirect_notice(&back, &format!("Could not {action} it: {message}")),
    }
}

/// `POST /jobs/bulk`: one action (field `action`) on every checked job (fields `ids`).
#[handler]
pub(crate) async fn bulk(console: Console, req: &Request, body: Body) -> Response {
    let Some(viewer) = viewer(&console, req).await else { return to_login(&console, req) };
    let chrome = Chrome::new(&console, Some(&viewer), "Downloads", "jobs");
    let form = FormData::parse(&body.into_vec().await.unwrap_or_default());
    if !form.csrf_ok(&viewer) {
        return csrf_refused(chrome);
    }
    let back = back_to(&form, format!("{}/", chrome.base));
    let action = form.get("action").unwrap_or_default().to_owned();
    let ids = form.all("ids");
    if ids.is_empty() {
        return redirect_notice(&back, "Select at least one download first.");
    }
    let (mut done, mut failed) = (0, Vec::new());
    for id in ids {
        let Some(uuid) = parse_id(id) else { continue };
        match apply(&console, &viewer, req, JobId(uuid), &action).await {
            Ok(()) => done += 1,
            Err(message) => failed.push(message),
        }
    }
    let mut notice = format!("{done} download{} {}.", if done == 1 { "" } else { "s" }, past_tense(&action));
    if !failed.is_empty() {
        notice.push_str(&format!(" {} could not be {}: {}", failed.len(), past_tense(&action), failed[0]));
    }
    redirect_notice(&back, &notice)
}

/// `POST /jobs/{id}/rename`: field `name`.
#[handler]
pub(crate) async fn rename(console: Console, req: &Request, Path(id): Path<String>, body: Body) -> Response {
    let Some(viewer) = viewer(&console, req).await else { return to_login(&console, req) };
    let chrome = Chrome::new(&console, Some(&viewer), "Download", "jobs");
    let form = FormData::parse(&body.into_vec().await.unwrap_or_default());
    if !form.csrf_ok(&viewer) {
        return csrf_refused(chrome);
    }
    let Some(uuid) = parse_id(&id) else { return not_found(chrome) };
    let job_url = format!("{}/jobs/{id}", chrome.base);
    let name = form.get("name").unwrap_or_default();
    match console.core().jobs.rename(&viewer.principal, JobId(uuid), name, &request_meta(req)).await {
        Ok(_) => redirect_notice(&job_url, "Renamed."),
        Err(e) => redirect_notice(&job_url, &format!("Could not rename it: {}", PublicError::from(e).message)),
    }
}

#[derive(Template)]
#[template(path = "link.html")]
struct LinkPage {
    chrome: Chrome,
    filename: String,
    url: String,
    expires: String,
    job_url: String,
}

/// `POST /files/{id}/link`: a signed link to the file, valid for a day, to copy.
#[handler]
pub(crate) async fn signed_link(console: Console, req: &Request, Path(id): Path<String>, body: Body) -> Response {
    let Some(viewer) = viewer(&console, req).await else { return to_login(&console, req) };
    let chrome = Chrome::new(&console, Some(&viewer), "Link", "jobs");
    let form = FormData::parse(&body.into_vec().await.unwrap_or_default());
    if !form.csrf_ok(&viewer) {
        return csrf_refused(chrome);
    }
    let Some(uuid) = parse_id(&id) else { return not_found(chrome) };
    let files = &console.core().files;
    let (job, file) = match files.get(&viewer.principal, FileId(uuid)).await {
        Ok(found) => found,
        Err(e) => return service_error(chrome, PublicError::from(e)),
    };
    let link = match files.sign(&viewer.principal, FileId(uuid), LINK_SECS, &request_meta(req)).await {
        Ok(link) => link,
        Err(e) => return service_error(chrome, PublicError::from(e)),
    };
    let url = absolute(&console, req, &chrome.base, &link.url);
    let page = LinkPage {
        filename: file.path.as_str().rsplit('/').next().unwrap_or_default().to_owned(),
        url,
        expires: exact(link.expires_at),
        job_url: format!("{}/jobs/{}", chrome.base, job.id),
        chrome,
    };
    render(StatusCode::OK, &page)
}

/// An absolute URL for a link the core made (`/api/v1/...`, under the base path), or the link
/// itself when the store presigned it.
fn absolute(console: &Console, req: &Request, base: &str, link: &str) -> String {
    if link.starts_with('/') { console.absolute_url(req, &format!("{base}{link}")) } else { link.to_owned() }
}

/// `GET /jobs/{id}/playlist.m3u`: the job's video and audio files as an M3U playlist of signed
/// links (valid for a day), for a media player.
#[handler]
pub(crate) async fn playlist(console: Console, req: &Request, Path(id): Path<String>) -> Response {
    let Some(viewer) = viewer(&console, req).await else { return to_login(&console, req) };
    let chrome = Chrome::new(&console, Some(&viewer), "Playlist", "jobs");
    let Some(uuid) = parse_id(&id) else { return not_found(chrome) };
    let files = &console.core().files;
    let (job, mut listed) = match files.list(&viewer.principal, JobId(uuid)).await {
        Ok(found) => found,
        Err(e) => return service_error(chrome, PublicError::from(e)),
    };
    listed.sort_by(|a, b| a.path.as_str().cmp(b.path.as_str()));
    let meta = request_meta(req);
    let mut out = String::from("#EXTM3U\n");
    for file in listed.iter().filter(|f| !media_kind(f.path.as_str()).is_empty()) {
        let link = match files.sign(&viewer.principal, file.id, LINK_SECS, &meta).await {
            Ok(link) => link,
            Err(e) => return service_error(chrome, PublicError::from(e)),
        };
        let title: String = file.path.as_str().chars().filter(|c| !c.is_control()).collect();
        out.push_str(&format!("#EXTINF:-1,{title}\n{}\n", absolute(&console, req, &chrome.base, &link.url)));
    }
    let filename: String =
        job.name.chars().map(|c| if c.is_ascii_alphanumeric() || "-_. ".contains(c) { c } else { '_' }).collect();
    Response::builder()
        .content_type("audio/x-mpegurl")
        .header(header::CONTENT_DISPOSITION, format!("attachment; filename=\"{filename}.m3u\""))
        .header(header::CACHE_CONTROL, "no-store")
        .body(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn media_is_known_by_its_extension() {
        assert_eq!(media_kind("a/b/movie.MKV"), "video");
        assert_eq!(media_kind("song.flac"), "audio");
        assert_eq!(media_kind("notes.txt"), "");
        assert_eq!(media_kind("noext"), "");
    }
}
