//! Admin › Incidents & maintenance: open an incident on the public status page, post its
//! updates until it is resolved, schedule and cancel maintenance windows (admins; support reads).
//! Every change is audited by the same core service as `/api/v1/admin/incidents`.

use askama::Template;
use chrono::{DateTime, Duration, NaiveDateTime, Utc};
use poem::http::StatusCode;
use poem::web::Path;
use poem::{Body, Request, Response, handler};
use tseeder_core::domain::{Incident, IncidentImpact, IncidentStatus};
use tseeder_core::services::status::{NewIncident, NewMaintenance, component_name};
use tseeder_http::console::{Console, PublicError, request_meta};

use super::{AdminChrome, guard};
use crate::page::{Chrome, FormData, Viewer, csrf_refused, exact, redirect_notice, render, service_error};

/// An incident as the page lists it.
#[derive(Debug, Clone)]
struct IncidentRow {
    id: String,
    title: String,
    impact: &'static str,
    status: &'static str,
    components: String,
    opened: String,
    updates: Vec<(String, &'static str, String)>,
}

/// A maintenance window as the page lists it.
#[derive(Debug, Clone)]
struct WindowRow {
    id: String,
    title: String,
    when: String,
    components: String,
}

#[derive(Template)]
#[template(path = "admin/incidents.html")]
struct IncidentsPage {
    chrome: Chrome,
    admin: AdminChrome,
    open: Vec<IncidentRow>,
    past: Vec<IncidentRow>,
    windows: Vec<WindowRow>,
    components: Vec<(String, String)>,
    impacts: Vec<&'static str>,
    statuses: Vec<(&'static str, &'static str)>,
    error: String,
}

fn row(i: &Incident) -> IncidentRow {
    IncidentRow {
        id: i.id.to_string(),
        title: i.title.clone(),
        impact: i.impact.as_str(),
        status: i.status.label(),
        components: i.components.iter().map(|c| component_name(c)).collect::<Vec<_>>().join(", "),
        opened: exact(i.created_at),
        updates: i.updates.iter().rev().map(|u| (exact(u.created_at), u.status.label(), u.body.clone())).collect(),
    }
}

async fn view(console: &Console, viewer: &Viewer, chrome: Chrome, admin: AdminChrome, error: String) -> Response {
    let status = &console.core().status;
    let incidents = match status.incidents(&viewer.principal, 30).await {
        Ok(found) => found,
        Err(e) => return service_error(chrome, PublicError::from(e)),
    };
    let windows = match status.upcoming_maintenances(&viewer.principal).await {
        Ok(found) => found,
        Err(e) => return service_error(chrome, PublicError::from(e)),
    };
    let components = status
        .component_ids()
        .await
        .unwrap_or_default()
        .into_iter()
        .map(|id| {
            let name = component_name(&id);
            (id, name)
        })
        .collect();
    let code = if error.is_empty() { StatusCode::OK } else { StatusCode::BAD_REQUEST };
    let page = IncidentsPage {
        open: incidents.iter().filter(|i| i.resolved_at.is_none()).map(row).collect(),
        past: incidents.iter().filter(|i| i.resolved_at.is_some()).map(row).collect(),
        windows: windows
            .iter()
            .map(|m| WindowRow {
                id: m.id.to_string(),
                title: m.title.clone(),
                when: format!("{} – {}", exact(m.starts_at), exact(m.ends_at)),
                components: m.components.iter().map(|c| component_name(c)).collect::<Vec<_>>().join(", "),
            })
            .collect(),
        components,
        impacts: IncidentImpact::ALL.iter().map(|i| i.as_str()).collect(),
        statuses: IncidentStatus::ALL.iter().map(|s| (s.as_str(), s.label())).collect(),
        error,
        chrome,
        admin,
    };
    render(code, &page)
}

/// `GET /admin/incidents`.
#[handler]
pub(crate) async fn list(console: Console, req: &Request) -> Response {
    match guard(&console, req, "incidents").await {
        Ok((viewer, chrome, admin)) => view(&console, &viewer, chrome, admin, String::new()).await,
        Err(resp) => resp,
    }
}

/// The form of a post, after the guard and the CSRF check.
async fn posted(
    console: &Console,
    req: &Request,
    body: Body,
) -> Result<(Viewer, Chrome, AdminChrome, FormData), Response> {
    let (viewer, chrome, admin) = guard(console, req, "incidents").await?;
    let form = FormData::parse(&body.into_vec().await.unwrap_or_default());
    if !form.csrf_ok(&viewer) {
        return Err(csrf_refused(chrome));
    }
    Ok((viewer, chrome, admin, form))
}

/// The answer to a refused change: the page again with the message, or the error page when it
/// is not allowed.
async fn refused(console: &Console, viewer: &Viewer, chrome: Chrome, admin: AdminChrome, e: PublicError) -> Response {
    if e.status == StatusCode::BAD_REQUEST || e.status == StatusCode::NOT_FOUND {
        return view(console, viewer, chrome, admin, e.message).await;
    }
    service_error(chrome, e)
}

/// `POST /admin/incidents`: fields `title`, `impact`, `components` (repeated), `status`, `body`.
#[handler]
pub(crate) async fn create(console: Console, req: &Request, body: Body) -> Response {
    let (viewer, chrome, admin, form) = match posted(&console, req, body).await {
        Ok(ok) => ok,
        Err(resp) => return resp,
    };
    let impact = form.get("impact").unwrap_or_default().parse::<IncidentImpact>();
    let status = form.get("status").unwrap_or_default().parse::<IncidentStatus>();
    let (Ok(impact), Ok(status)) = (impact, status) else {
        return view(&console, &viewer, chrome, admin, "Choose an impact and a status.".into()).await;
    };
    let components: Vec<String> = form.all("components").into_iter().map(str::to_owned).collect();
    let new = NewIncident {
        title: form.get("title").unwrap_or_default(),
        impact,
        components: &components,
        status,
        body: form.get("body").unwrap_or_default(),
    };
    match console.core().status.open_incident(&viewer.principal, new, &request_meta(req)).await {
        Ok(incident) => redirect_notice(
            &format!("{}/admin/incidents", chrome.base),
            &format!("“{}” is on the status page.", incident.title),
        ),
        Err(e) => refused(&console, &viewer, chrome, admin, PublicError::from(e)).await,
    }
}

/// `POST /admin/incidents/{id}/update`: fields `status`, `body`.
#[handler]
pub(crate) async fn update(console: Console, req: &Request, Path(id): Path<String>, body: Body) -> Response {
    let (viewer, chrome, admin, form) = match posted(&console, req, body).await {
        Ok(ok) => ok,
        Err(resp) => return resp,
    };
    let (Ok(id), Ok(status)) =
        (id.parse::<uuid::Uuid>(), form.get("status").unwrap_or_default().parse::<IncidentStatus>())
    else {
        return view(&console, &viewer, chrome, admin, "Choose the incident's status.".into()).await;
    };
    let text = form.get("body").unwrap_or_default();
    match console.core().status.update_incident(&viewer.principal, id, status, text, &request_meta(req)).await {
        Ok(incident) => redirect_notice(
            &format!("{}/admin/incidents", chrome.base),
            &format!("“{}” is now {}.", incident.title, incident.status.label().to_lowercase()),
        ),
        Err(e) => refused(&console, &viewer, chrome, admin, PublicError::from(e)).await,
    }
}

/// A `datetime-local` value, read as UTC.
fn utc(value: &str) -> Option<DateTime<Utc>> {
    let value = value.trim();
    ["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S"]
        .iter()
        .find_map(|f| NaiveDateTime::parse_from_str(value, f).ok())
        .map(|t| t.and_utc())
}

/// `POST /admin/maintenances`: fields `title`, `body`, `components` (repeated), `starts_at`
/// (UTC, `YYYY-MM-DDTHH:MM`), `hours`.
#[handler]
pub(crate) async fn schedule(console: Console, req: &Request, body: Body) -> Response {
    let (viewer, chrome, admin, form) = match posted(&console, req, body).await {
        Ok(ok) => ok,
        Err(resp) => return resp,
    };
    let starts = utc(form.get("starts_at").unwrap_or_default());
    let hours = form.get("hours").unwrap_or_default().trim().parse::<u32>().ok().filter(|h| (1..=168).contains(h));
    let (Some(starts_at), Some(hours)) = (starts, hours) else {
        let message = "Give the start (UTC) and a length of 1 to 168 hours.";
        return view(&console, &viewer, chrome, admin, message.into()).await;
    };
    let components: Vec<String> = form.all("components").into_iter().map(str::to_owned).collect();
    let new = NewMaintenance {
        title: form.get("title").unwrap_or_default(),
        body: form.get("body").unwrap_or_default(),
        components: &components,
        starts_at,
        ends_at: starts_at + Duration::hours(i64::from(hours)),
    };
    match console.core().status.schedule_maintenance(&viewer.principal, new, &request_meta(req)).await {
        Ok(m) => redirect_notice(&format!("{}/admin/incidents", chrome.base), &format!("“{}” is scheduled.", m.title)),
        Err(e) => refused(&console, &viewer, chrome, admin, PublicError::from(e)).await,
    }
}

/// `POST /admin/maintenances/{id}/cancel`.
#[handler]
pub(crate) async fn cancel(console: Console, req: &Request, Path(id): Path<String>, body: Body) -> Response {
    let (viewer, chrome, admin, _) = match posted(&console, req, body).await {
        Ok(ok) => ok,
        Err(resp) => return resp,
    };
    let Ok(id) = id.parse::<uuid::Uuid>() else {
        return view(&console, &viewer, chrome, admin, "There is no such maintenance window.".into()).await;
    };
    match console.core().status.cancel_maintenance(&viewer.principal, id, &request_meta(req)).await {
        Ok(()) => redirect_notice(&format!("{}/admin/incidents", chrome.base), "The maintenance window is cancelled."),
        Err(e) => refused(&console, &viewer, chrome, admin, PublicError::from(e)).await,
    }
}
