//! The public status page (`/status`, no login): every component's state, 90 daily bars
//! coloured by downtime with a note per day, uptime over 24 hours and 7, 30 and 90 days, the
//! incident timeline and maintenance; SVG badges per component (`/status/badge/<id>.svg`) and an
//! Atom feed of incidents (`/status/incidents.atom`). Same service as `/api/v1/status`.

use askama::Template;
use chrono::{DateTime, Utc};
use poem::http::{StatusCode, header};
use poem::web::Path;
use poem::{IntoResponse, Request, Response, handler};
use tseeder_core::domain::{ComponentState, Incident, StatusIndicator};
use tseeder_core::services::status::{DayBar, StatusOverview};
use tseeder_http::console::Console;

use crate::page::{Chrome, escape_markup, exact, query_param, render, viewer};

/// How long the page and its documents may be cached.
const CACHE: &str = "public, max-age=30";

/// A day's bar.
#[derive(Debug, Clone)]
struct Bar {
    /// `ok`, `minor`, `major`, `critical`, `maint` or `nodata`.
    class: &'static str,
    /// The note shown on hover or focus.
    tip: String,
    /// Whether an incident touched the component that day.
    incident: bool,
}

/// A component's row.
#[derive(Debug, Clone)]
struct Row {
    id: String,
    name: String,
    state: String,
    state_class: &'static str,
    reason: String,
    bars: Vec<Bar>,
    uptime: [String; 4],
}

/// An incident in the timeline.
#[derive(Debug, Clone)]
struct IncidentItem {
    id: String,
    title: String,
    impact: &'static str,
    status: &'static str,
    open: bool,
    when: String,
    updates: Vec<(String, &'static str, String)>,
}

/// A maintenance window on the page.
#[derive(Debug, Clone)]
struct MaintenanceItem {
    title: String,
    body: String,
    when: String,
    components: String,
}

#[derive(Template)]
#[template(path = "status.html")]
struct StatusPage {
    chrome: Chrome,
    name: String,
    indicator: &'static str,
    headline: &'static str,
    rows: Vec<Row>,
    overall: [String; 4],
    incidents: Vec<IncidentItem>,
    maintenances: Vec<MaintenanceItem>,
    weight: String,
    first_day: String,
    updated: String,
}

fn pct(p: Option<f64>) -> String {
    p.map_or_else(|| "no data".into(), |p| if p >= 99.995 { "100%".into() } else { format!("{p:.2}%") })
}

fn state_class(state: Option<ComponentState>) -> &'static str {
    match state {
        None => "nodata",
        Some(ComponentState::Operational) => "ok",
        Some(ComponentState::Degraded) => "minor",
        Some(ComponentState::PartialOutage) => "major",
        Some(ComponentState::MajorOutage) => "critical",
        Some(ComponentState::Maintenance) => "maint",
    }
}

/// A day's colour: by its uptime, maintenance when that is all it saw, grey with no data.
fn bar_class(day: &DayBar) -> &'static str {
    match day.uptime {
        None if day.minutes.maintenance > 0 => "maint",
        None => "nodata",
        Some(u) if u >= 99.9 && day.minutes.degraded == 0 => "ok",
        Some(u) if u >= 99.0 => "minor",
        Some(u) if u >= 95.0 => "major",
        Some(_) => "critical",
    }
}

/// A day's note: the date, minutes down, its incidents and maintenance.
fn bar_tip(day: &DayBar, incidents: &[Incident], overview: &StatusOverview) -> String {
    let mut tip = day.date.format("%b %-d, %Y").to_string();
    let down = day.minutes.major_outage + day.minutes.partial_outage;
    if day.uptime.is_none() && day.minutes.maintenance == 0 {
        tip.push_str(": no data");
    } else if down == 0 && day.minutes.degraded == 0 {
        tip.push_str(": no downtime");
    } else {
        let mut parts = Vec::new();
        if day.minutes.major_outage > 0 {
            parts.push(format!("{} min major outage", day.minutes.major_outage));
        }
        if day.minutes.partial_outage > 0 {
            parts.push(format!("{} min partial outage", day.minutes.partial_outage));
        }
        if day.minutes.degraded > 0 {
            parts.push(format!("{} min degraded", day.minutes.degraded));
        }
        tip.push_str(&format!(": {}", parts.join(", ")));
    }
    if day.minutes.maintenance > 0 {
        tip.push_str(&format!(" · {} min maintenance", day.minutes.maintenance));
    }
    for id in &day.incidents {
        if let Some(i) = incidents.iter().find(|i| &i.id == id) {
            tip.push_str(&format!(" · Incident: {}", i.title));
        }
    }
    for id in &day.maintenances {
        if let Some(m) = overview.maintenances.iter().find(|m| &m.id == id) {
            tip.push_str(&format!(" · Maintenance: {}", m.title));
        }
    }
    tip
}

fn indicator_class(i: StatusIndicator) -> &'static str {
    match i {
        StatusIndicator::None => "ok",
        StatusIndicator::Minor => "minor",
        StatusIndicator::Major => "major",
        StatusIndicator::Critical => "critical",
    }
}

fn with_cache(mut resp: Response) -> Response {
    if let Ok(value) = CACHE.parse() {
        resp.headers_mut().insert(header::CACHE_CONTROL, value);
    }
    resp
}

/// `GET /status`.
#[handler]
pub(crate) async fn page(console: Console, req: &Request) -> Response {
    let viewer = viewer(&console, req).await;
    let chrome = Chrome::new(&console, viewer.as_ref(), "Status", "status");
    let overview = match console.core().status.overview(90).await {
        Ok(o) => o,
        Err(e) => return crate::page::service_error(chrome, tseeder_http::console::PublicError::from(e)),
    };
    let rows = overview
        .components
        .iter()
        .map(|c| {
            let state = c.status.as_ref().map(|s| s.state);
            Row {
                id: c.id.clone(),
                name: c.name.clone(),
                state: state.map_or("No data yet", ComponentState::label).to_owned(),
                state_class: state_class(state),
                reason: c.status.as_ref().map(|s| s.reason.clone()).unwrap_or_default(),
                bars: c
                    .days
                    .iter()
                    .map(|d| Bar {
                        class: bar_class(d),
                        tip: bar_tip(d, &overview.incidents, &overview),
                        incident: !d.incidents.is_empty(),
                    })
                    .collect(),
                uptime: [pct(c.uptime.h24), pct(c.uptime.d7), pct(c.uptime.d30), pct(c.uptime.d90)],
            }
        })
        .collect();
    let incidents = overview
        .incidents
        .iter()
        .map(|i| IncidentItem {
            id: i.id.to_string(),
            title: i.title.clone(),
            impact: i.impact.as_str(),
            status: i.status.label(),
            open: i.resolved_at.is_none(),
            when: match i.resolved_at {
                Some(r) => format!("{} – {}", exact(i.created_at), exact(r)),
                None => format!("since {}", exact(i.created_at)),
            },
            updates: i.updates.iter().rev().map(|u| (exact(u.created_at), u.status.label(), u.body.clone())).collect(),
        })
        .collect();
    let maintenances = overview
        .maintenances
        .iter()
        .filter(|m| m.ends_at > overview.at)
        .map(|m| MaintenanceItem {
            title: m.title.clone(),
            body: m.body.clone(),
            when: format!("{} – {}", exact(m.starts_at), exact(m.ends_at)),
            components: m
                .components
                .iter()
                .map(|c| tseeder_core::services::status::component_name(c))
                .collect::<Vec<_>>()
                .join(", "),
        })
        .collect();
    let page = StatusPage {
        name: overview.page_name.clone(),
        indicator: indicator_class(overview.indicator),
        headline: overview.indicator.description(),
        rows,
        overall: [
            pct(overview.overall.h24),
            pct(overview.overall.d7),
            pct(overview.overall.d30),
            pct(overview.overall.d90),
        ],
        incidents,
        maintenances,
        weight: format!("{:.0}%", overview.partial_weight * 100.0),
        first_day: overview
            .components
            .first()
            .and_then(|c| c.days.first())
            .map(|d| d.date.format("%b %-d").to_string())
            .unwrap_or_default(),
        updated: exact(overview.at),
        chrome,
    };
    with_cache(render(StatusCode::OK, &page))
}

/// The colour of a badge's right half.
fn badge_colour(class: &str) -> &'static str {
    match class {
        "ok" => "#2e9d5b",
        "minor" => "#c9a227",
        "major" => "#e07b24",
        "critical" => "#d0393e",
        "maint" => "#3b73d6",
        _ => "#8a8f98",
    }
}

/// A flat two-part badge, about 6.5 px per character.
fn badge(label: &str, value: &str, colour: &str) -> String {
    let width = |s: &str| 12 + (s.chars().count() as u32) * 7;
    let (lw, vw) = (width(label), width(value));
    let (label, value) = (escape_markup(label), escape_markup(value));
    format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{w}\" height=\"20\" role=\"img\" aria-label=\"{label}: {value}\">\
         <title>{label}: {value}</title>\
         <rect width=\"{lw}\" height=\"20\" fill=\"#555\"/><rect x=\"{lw}\" width=\"{vw}\" height=\"20\" fill=\"{colour}\"/>\
         <g fill=\"#fff\" font-family=\"Verdana,DejaVu Sans,sans-serif\" font-size=\"11\" text-anchor=\"middle\">\
         <text x=\"{lx}\" y=\"14\">{label}</text><text x=\"{vx}\" y=\"14\">{value}</text></g></svg>",
        w = lw + vw,
        lx = lw / 2,
        vx = lw + vw / 2,
    )
}

/// `GET /status/badge/{component}.svg?metric=state|uptime-24h|uptime-7d|uptime-30d`.
#[handler]
pub(crate) async fn badge_svg(console: Console, req: &Request, Path(file): Path<String>) -> Response {
    let Some(id) = file.strip_suffix(".svg") else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let Ok(overview) = console.core().status.overview(30).await else {
        return StatusCode::SERVICE_UNAVAILABLE.into_response();
    };
    let Some(c) = overview.components.iter().find(|c| c.id == id) else {
        return (StatusCode::NOT_FOUND, "no such component").into_response();
    };
    let metric = query_param(req, "metric").unwrap_or_else(|| "state".into());
    let (label, value, class) = match metric.as_str() {
        "state" => {
            let state = c.status.as_ref().map(|s| s.state);
            (c.name.to_lowercase(), state.map_or("no data", |s| s.label()).to_lowercase(), state_class(state))
        }
        "uptime-24h" | "uptime-7d" | "uptime-30d" => {
            let (window, figure) = match metric.as_str() {
                "uptime-24h" => ("24h", c.uptime.h24),
                "uptime-7d" => ("7d", c.uptime.d7),
                _ => ("30d", c.uptime.d30),
            };
            let class = match figure {
                None => "nodata",
                Some(u) if u >= 99.9 => "ok",
                Some(u) if u >= 99.0 => "minor",
                Some(u) if u >= 95.0 => "major",
                Some(_) => "critical",
            };
            (format!("{} uptime {window}", c.name.to_lowercase()), pct(figure), class)
        }
        _ => return (StatusCode::BAD_REQUEST, "metric is state, uptime-24h, uptime-7d or uptime-30d").into_response(),
    };
    let svg = badge(&label, &value, badge_colour(class));
    with_cache(Response::builder().content_type("image/svg+xml; charset=utf-8").body(svg))
}

fn rfc3339(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

/// `GET /status/incidents.atom`: the incidents of the last 90 days, newest first.
#[handler]
pub(crate) async fn feed(console: Console, req: &Request) -> Response {
    let Ok(overview) = console.core().status.overview(90).await else {
        return StatusCode::SERVICE_UNAVAILABLE.into_response();
    };
    let link = console.absolute_url(req, &format!("{}/status", console.config().base_path()));
    let updated = overview.incidents.iter().map(|i| i.updates.last().map_or(i.created_at, |u| u.created_at)).max();
    let mut xml =
        String::from("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\">\n");
    xml.push_str(&format!("<title>{} status: incidents</title>\n", escape_markup(&overview.page_name)));
    xml.push_str(&format!("<id>{}</id>\n<link href=\"{}\"/>\n", escape_markup(&link), escape_markup(&link)));
    xml.push_str(&format!("<updated>{}</updated>\n", rfc3339(updated.unwrap_or(overview.at))));
    for i in &overview.incidents {
        let last = i.updates.last().map_or(i.created_at, |u| u.created_at);
        let content: String = i
            .updates
            .iter()
            .rev()
            .map(|u| format!("{} ({}): {}\n", u.status.label(), rfc3339(u.created_at), u.body))
            .collect();
        xml.push_str(&format!(
            "<entry>\n<id>urn:uuid:{}</id>\n<title>{} [{}]</title>\n<updated>{}</updated>\n<published>{}</published>\n\
             <link href=\"{}#incident-{}\"/>\n<content type=\"text\">{}</content>\n</entry>\n",
            i.id,
            escape_markup(&i.title),
            i.status.label(),
            rfc3339(last),
            rfc3339(i.created_at),
            escape_markup(&link),
            i.id,
            escape_markup(&content),
        ));
    }
    xml.push_str("</feed>\n");
    with_cache(Response::builder().content_type("application/atom+xml; charset=utf-8").body(xml))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn badges_escape_their_text_and_grow_with_it() {
        let svg = badge("api", "<operational>", "#2e9d5b");
        assert!(svg.contains("&lt;operational&gt;") && !svg.contains("<operational>"), "{svg}");
        assert!(badge("api", "operational", "#000").len() > 100);
        let short = badge("a", "b", "#000");
        assert!(short.contains("width=\"38\""), "{short}");
    }

    #[test]
    fn percentages_read_like_status_pages_write_them() {
        assert_eq!(pct(Some(100.0)), "100%");
        assert_eq!(pct(Some(99.996)), "100%");
        assert_eq!(pct(Some(99.95)), "99.95%");
        assert_eq!(pct(None), "no data");
    }
}
