//! Admin › Plugins: the routing and retention policies, native or WebAssembly plugin, with the
//! plugin's file, hash, counters (decisions, failures by cause, fallbacks) and last failure or
//! refused version; swapping in a new version (pinned to its SHA-256) through the
//! confirmation, audited as `plugin.swapped` or `plugin.swap_refused` with the reason and
//! ticket. Support reads; swaps are for admins.

use askama::Template;
use chrono::Utc;
use poem::http::StatusCode;
use poem::web::Path;
use poem::{Body, Request, Response, handler};
use tseeder_core::ports::{PolicyFailure, PolicyImplementation, PolicyKind, PolicyStatus};
use tseeder_http::console::{Console, PublicError, request_meta};

use super::act::{Action, Justification, confirm_page, refused};
use super::{AdminChrome, guard};
use crate::page::{
    Chrome, FormData, ago, csrf_refused, error_page, exact, query_param, redirect_notice, render, service_error,
};

/// A recorded failure or refusal.
#[derive(Debug, Clone)]
struct Incident {
    when: String,
    exact: String,
    reason: String,
}

/// A policy as a card.
#[derive(Debug, Clone)]
struct PolicyCard {
    kind: &'static str,
    title: &'static str,
    plugin: bool,
    path: String,
    sha256: String,
    loaded: String,
    swaps: u64,
    decisions: u64,
    failures: u64,
    timeouts: u64,
    memory: u64,
    traps: u64,
    invalid: u64,
    fallback: &'static str,
    last_failure: Option<Incident>,
    last_refusal: Option<Incident>,
}

#[derive(Template)]
#[template(path = "admin/plugins.html")]
struct PluginsPage {
    chrome: Chrome,
    admin: AdminChrome,
    policies: Vec<PolicyCard>,
}

fn incident(f: Option<&PolicyFailure>) -> Option<Incident> {
    let now = Utc::now();
    f.map(|f| Incident { when: ago(f.at, now), exact: exact(f.at), reason: f.reason.clone() })
}

fn title(kind: PolicyKind) -> &'static str {
    match kind {
        PolicyKind::Router => "Routing: which worker runs a job",
        PolicyKind::Retention => "Retention: which stored files expire",
    }
}

fn card(s: &PolicyStatus) -> PolicyCard {
    let now = Utc::now();
    PolicyCard {
        kind: s.kind.as_str(),
        title: title(s.kind),
        plugin: s.implementation == PolicyImplementation::Wasm,
        path: s.path.clone().unwrap_or_default(),
        sha256: s.sha256.clone().unwrap_or_default(),
        loaded: s.loaded_at.map(|t| ago(t, now)).unwrap_or_default(),
        swaps: s.swaps,
        decisions: s.counters.decisions,
        failures: s.counters.failures,
        timeouts: s.counters.timeouts,
        memory: s.counters.memory_exceeded,
        traps: s.counters.traps,
        invalid: s.counters.invalid_outputs,
        fallback: match s.kind {
            PolicyKind::Router => "each failed decision fell back to the native router",
            PolicyKind::Retention => "each failed batch kept its files",
        },
        last_failure: incident(s.last_failure.as_ref()),
        last_refusal: incident(s.last_refusal.as_ref()),
    }
}

/// `GET /admin/plugins`.
#[handler]
pub(crate) async fn list(console: Console, req: &Request) -> Response {
    let (viewer, chrome, admin) = match guard(&console, req, "plugins").await {
        Ok(ok) => ok,
        Err(resp) => return resp,
    };
    let policies = match console.core().policies.status(&viewer.principal) {
        Ok(statuses) => statuses.iter().map(card).collect(),
        Err(e) => return service_error(chrome, PublicError::from(e)),
    };
    render(StatusCode::OK, &PluginsPage { chrome, admin, policies })
}

fn action(base: &str, kind: PolicyKind, sha256: &str, path: &str) -> Action {
    let mut hidden = vec![("sha256".to_owned(), sha256.to_owned())];
    if !path.is_empty() {
        hidden.push(("path".into(), path.to_owned()));
    }
    Action {
        title: format!("Swap the {kind} plugin?"),
        text: format!(
            "The file {} is checked against SHA-256 {sha256}, validated and swapped in; a refused version leaves \
             the current one running.",
            if path.is_empty() { "configured" } else { path }
        ),
        post_to: format!("{base}/admin/plugins/{kind}/swap"),
        hidden,
        typed: "",
        verb: "Swap",
        cancel: format!("{base}/admin/plugins"),
    }
}

/// The 404 page of a policy kind that does not exist.
fn no_such_policy(chrome: Chrome) -> Response {
    error_page(chrome, StatusCode::NOT_FOUND, "Not found", "There is no such policy.")
}

/// `GET /admin/plugins/{kind}/confirm?sha256=&path=`: the swap's confirmation as a page.
#[handler]
pub(crate) async fn confirm(console: Console, req: &Request, Path(kind): Path<String>) -> Response {
    let (_, chrome, admin) = match guard(&console, req, "plugins").await {
        Ok(ok) => ok,
        Err(resp) => return resp,
    };
    let Ok(kind) = kind.parse::<PolicyKind>() else { return no_such_policy(chrome) };
    let sha256 = query_param(req, "sha256").map(|s| s.trim().to_owned()).unwrap_or_default();
    let path = query_param(req, "path").map(|s| s.trim().to_owned()).unwrap_or_default();
    let act = action(&chrome.base, kind, &sha256, &path);
    confirm_page(chrome, admin, act, Justification::default(), "", StatusCode::OK)
}

/// `POST /admin/plugins/{kind}/swap`: fields `sha256`, `path` (optional), `reason` (at least
/// 10 characters), `ticket` (optional), `csrf`.
#[handler]
pub(crate) async fn swap(console: Console, req: &Request, Path(kind): Path<String>, body: Body) -> Response {
    let (viewer, chrome, admin) = match guard(&console, req, "plugins").await {
        Ok(ok) => ok,
        Err(resp) => return resp,
    };
    let form = FormData::parse(&body.into_vec().await.unwrap_or_default());
    if !form.csrf_ok(&viewer) {
        return csrf_refused(chrome);
    }
    let Ok(kind) = kind.parse::<PolicyKind>() else { return no_such_policy(chrome) };
    let sha256 = form.get("sha256").unwrap_or_default().trim().to_owned();
    let path = form.get("path").unwrap_or_default().trim().to_owned();
    let given = Justification::from_form(&form);
    let policies = &console.core().policies;
    let file = (!path.is_empty()).then_some(path.as_str());
    match policies.swap(&viewer.principal, kind, file, &sha256, &given.reason, given.ticket(), &request_meta(req)).await
    {
        Ok(_) => redirect_notice(&format!("{}/admin/plugins", chrome.base), &format!("The {kind} plugin was swapped.")),
        Err(e) => {
            let act = action(&chrome.base, kind, &sha256, &path);
            refused(chrome, admin, act, given, PublicError::from(e))
        }
    }
}
