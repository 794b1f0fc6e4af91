//! Admin › Storage & retention: what is stored, each plan's retention window, the sweep's
//! schedule and its last runs, a dry run (what a sweep would delete now, deleting nothing) and
//! "sweep now" through the confirmation, audited as `retention.sweep` with the reason and
//! ticket. Support reads; the dry run and the sweep are for admins.

use askama::Template;
use chrono::Utc;
use poem::http::StatusCode;
use poem::{Body, Request, Response, handler};
use tseeder_core::services::retention::Selection;
use tseeder_http::console::{Console, PublicError, request_meta};

use super::act::{Action, Justification, confirm_page, refused};
use super::{AdminChrome, guard};
use crate::page::{Chrome, FormData, ago, csrf_refused, exact, human_size, redirect_notice, render, service_error};

/// Files of a dry run listed on the page.
const DRY_RUN_SHOWN: usize = 50;

/// A plan's window as a row.
#[derive(Debug, Clone)]
struct PlanRow {
    plan: String,
    window: String,
}

/// A sweep as a row.
#[derive(Debug, Clone)]
struct SweepRow {
    when: String,
    exact: String,
    trigger: String,
    files: u64,
    bytes: String,
    orphans: u64,
    kept: u64,
    took: String,
    error: String,
}

/// A file a dry run would delete.
#[derive(Debug, Clone)]
struct ExpiredRow {
    job_id: String,
    plan: String,
    size: String,
    completed: String,
}

/// A dry run's outcome.
#[derive(Debug, Clone)]
struct DryRun {
    count: usize,
    bytes: String,
    examined: u64,
    kept_on_error: u64,
    error: String,
    files: Vec<ExpiredRow>,
}

#[derive(Template)]
#[template(path = "admin/storage.html")]
struct StoragePage {
    chrome: Chrome,
    admin: AdminChrome,
    stored_files: u64,
    stored_bytes: String,
    snapshot: String,
    schedule: String,
    enabled: bool,
    next_run: String,
    policy: String,
    last_outcome: String,
    plans: Vec<PlanRow>,
    sweeps: Vec<SweepRow>,
    total_sweeps: u64,
    total_files: u64,
    total_bytes: String,
    dry: Option<DryRun>,
}

fn duration(secs: i64) -> String {
    match secs {
        ..1 => "under 1 s".into(),
        1..60 => format!("{secs} s"),
        _ => format!("{} min {} s", secs / 60, secs % 60),
    }
}

fn dry_run_view(selection: Selection) -> DryRun {
    let now = Utc::now();
    DryRun {
        count: selection.files.len(),
        bytes: human_size(selection.bytes),
        examined: selection.examined,
        kept_on_error: selection.kept_on_error,
        error: selection.error.unwrap_or_default(),
        files: selection
            .files
            .iter()
            .take(DRY_RUN_SHOWN)
            .map(|f| ExpiredRow {
                job_id: f.job_id.to_string(),
                plan: f.plan.clone(),
                size: human_size(f.size),
                completed: f.completed_at.map(|t| ago(t, now)).unwrap_or_else(|| "—".into()),
            })
            .collect(),
    }
}

async fn page(console: &Console, req: &Request, with_dry_run: bool) -> Response {
    let (viewer, chrome, admin) = match guard(console, req, "storage").await {
        Ok(ok) => ok,
        Err(resp) => return resp,
    };
    let retention = &console.core().retention;
    let o = match retention.overview(&viewer.principal).await {
        Ok(o) => o,
        Err(e) => return service_error(chrome, PublicError::from(e)),
    };
    let dry = if with_dry_run {
        match retention.dry_run(&viewer.principal).await {
            Ok(selection) => Some(dry_run_view(selection)),
            Err(e) => return service_error(chrome, PublicError::from(e)),
        }
    } else {
        None
    };
    let now = Utc::now();
    let plans = o
        .plans
        .iter()
        .map(|p| PlanRow {
            plan: p.plan.clone(),
            window: match p.retention_days {
                None => "kept until deleted".into(),
                Some(1) => "1 day after completion".into(),
                Some(d) => format!("{d} days after completion"),
            },
        })
        .collect();
    let sweeps = o
        .recent
        .iter()
        .map(|s| SweepRow {
            when: ago(s.started_at, now),
            exact: exact(s.started_at),
            trigger: s.trigger.clone(),
            files: s.files_deleted,
            bytes: human_size(s.bytes_deleted),
            orphans: s.orphan_blobs + s.orphan_rows,
            kept: s.kept_on_error,
            took: duration((s.finished_at - s.started_at).num_seconds()),
            error: s.error.clone().unwrap_or_default(),
        })
        .collect();
    let snapshot = o.snapshot.as_ref().map_or_else(String::new, |s| {
        format!("{} in {} files {}", human_size(s.total_bytes), s.total_files, ago(s.captured_at, now))
    });
    let page = StoragePage {
        stored_files: o.stored.files,
        stored_bytes: human_size(o.stored.bytes),
        snapshot,
        schedule: o.schedule.clone(),
        enabled: o.enabled,
        next_run: o.next_run.map(exact).unwrap_or_default(),
        policy: o.policy.clone(),
        last_outcome: o.task.as_ref().and_then(|t| t.last_outcome.clone()).unwrap_or_default(),
        plans,
        sweeps,
        total_sweeps: o.totals.sweeps,
        total_files: o.totals.files_deleted,
        total_bytes: human_size(o.totals.bytes_deleted),
        dry,
        chrome,
        admin,
    };
    render(StatusCode::OK, &page)
}

/// `GET /admin/storage`.
#[handler]
pub(crate) async fn overview(console: Console, req: &Request) -> Response {
    page(&console, req, false).await
}

/// `GET /admin/storage/dry-run`: the same page with what a sweep would delete now (admin and
/// above; it deletes nothing).
#[handler]
pub(crate) async fn dry_run(console: Console, req: &Request) -> Response {
    page(&console, req, true).await
}

fn action(base: &str) -> Action {
    Action {
        title: "Sweep now?".into(),
        text: "The retention policy deletes every expired file now, then orphaned objects are cleaned up. \
               Deleted files cannot be brought back; run a dry run first to see what goes."
            .into(),
        post_to: format!("{base}/admin/storage/sweep"),
        hidden: Vec::new(),
        typed: "",
        verb: "Sweep now",
        cancel: format!("{base}/admin/storage"),
    }
}

/// `GET /admin/storage/confirm`: the sweep's confirmation as a page.
#[handler]
pub(crate) async fn confirm(console: Console, req: &Request) -> Response {
    let (_, chrome, admin) = match guard(&console, req, "storage").await {
        Ok(ok) => ok,
        Err(resp) => return resp,
    };
    let act = action(&chrome.base);
    confirm_page(chrome, admin, act, Justification::default(), "", StatusCode::OK)
}

/// `POST /admin/storage/sweep`: fields `reason` (at least 10 characters), `ticket`
/// (optional), `csrf`.
#[handler]
pub(crate) async fn sweep(console: Console, req: &Request, body: Body) -> Response {
    let (viewer, chrome, admin) = match guard(&console, req, "storage").await {
        Ok(ok) => ok,
        Err(resp) => return resp,
    };
    let form = FormData::parse(&body.into_vec().await.unwrap_or_default());
    if !form.csrf_ok(&viewer) {
        return csrf_refused(chrome);
    }
    let given = Justification::from_form(&form);
    let retention = &console.core().retention;
    match retention.sweep_now(&viewer.principal, &given.reason, given.ticket(), &request_meta(req)).await {
        Ok(s) => redirect_notice(
            &format!("{}/admin/storage", chrome.base),
            &format!("Swept: {} files deleted, {} reclaimed.", s.files_deleted, human_size(s.bytes_deleted)),
        ),
        Err(e) => {
            let act = action(&chrome.base);
            refused(chrome, admin, act, given, PublicError::from(e))
        }
    }
}
