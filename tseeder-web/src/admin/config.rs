//! Admin › Settings & flags: the runtime settings in force (feature flags and every plan's
//! limits), changed live by a superadmin through the confirmation (a reason and an optional
//! ticket), and their full history, filtered by key, with the old and new values side by side.
//! Same service as `/api/v1/admin/config`.

use askama::Template;
use chrono::Utc;
use poem::http::StatusCode;
use poem::web::Path;
use poem::{Body, Request, Response, handler};
use serde_json::Value;
use tseeder_core::domain::{PageRequest, Role, SettingKey, SettingValue};
use tseeder_core::services::SettingUpdate;
use tseeder_http::console::{Console, PublicError, request_meta};

use super::act::{Action, Justification, confirm_page, refused};
use super::{AdminChrome, guard};
use crate::page::{
    Chrome, FormData, ago, csrf_refused, encode, error_page, exact, human_size, query_param, redirect_notice, render,
    service_error,
};

/// History entries per page.
const PER_PAGE: u64 = 20;

/// A feature flag as a row.
#[derive(Debug, Clone)]
struct FlagRow {
    key: String,
    on: bool,
    default_on: bool,
    description: String,
    changed: String,
}

/// One plan's limits.
#[derive(Debug, Clone)]
struct PlanBlock {
    plan: String,
    limits: Vec<LimitRow>,
}

/// A plan limit as a row.
#[derive(Debug, Clone)]
struct LimitRow {
    key: String,
    field: &'static str,
    /// As people read it (`5 GiB`, `unlimited`).
    shown: String,
    /// As the form takes it (a number, or empty for unlimited).
    raw: String,
}

/// One line of a side-by-side diff.
#[derive(Debug, Clone)]
struct DiffLine {
    old: String,
    new: String,
    changed: bool,
}

/// A change as the history lists it.
#[derive(Debug, Clone)]
struct ChangeRow {
    key: String,
    by: String,
    reason: String,
    ticket: String,
    when: String,
    exact: String,
    diff: Vec<DiffLine>,
}

#[derive(Template)]
#[template(path = "admin/config.html")]
struct ConfigPage {
    chrome: Chrome,
    admin: AdminChrome,
    can_edit: bool,
    flags: Vec<FlagRow>,
    plans: Vec<PlanBlock>,
    keys: Vec<String>,
    key: String,
    changes: Vec<ChangeRow>,
    total: u64,
    prev: String,
    next: String,
    page_no: u64,
    pages: u64,
}

/// `value` pretty-printed as JSON, one string per line.
fn pretty_lines(value: &Value) -> Vec<String> {
    serde_json::to_string_pretty(value).unwrap_or_else(|_| value.to_string()).lines().map(str::to_owned).collect()
}

/// The old and new values side by side, line by line, each pair marked when it differs.
fn side_by_side(old: &Value, new: &Value) -> Vec<DiffLine> {
    let (old, new) = (pretty_lines(old), pretty_lines(new));
    (0..old.len().max(new.len()))
        .map(|i| {
            let (o, n) = (old.get(i).cloned().unwrap_or_default(), new.get(i).cloned().unwrap_or_default());
            DiffLine { changed: o != n, old: o, new: n }
        })
        .collect()
}

/// A limit for people: bytes in units, days and jobs as counts.
fn shown(field: &str, value: &SettingValue) -> (String, String) {
    match value.to_json() {
        Value::Number(n) => {
            let v = n.as_u64().unwrap_or_default();
            let text = if field.ends_with("_bytes") {
                human_size(v)
            } else if field == "retention_days" && v == 0 {
                "forever".into()
            } else {
                v.to_string()
            };
            (text, v.to_string())
        }
        _ => ("unlimited".into(), String::new()),
    }
}

/// `GET /admin/config?key=&page=`.
#[handler]
pub(crate) async fn page(console: Console, req: &Request) -> Response {
    let (viewer, chrome, admin) = match guard(&console, req, "config").await {
        Ok(ok) => ok,
        Err(resp) => return resp,
    };
    let settings_service = &console.core().settings;
    let settings = match settings_service.settings(&viewer.principal).await {
        Ok(settings) => settings,
        Err(e) => return service_error(chrome, PublicError::from(e)),
    };
    let key = query_param(req, "key").map(|k| k.trim().to_owned()).unwrap_or_default();
    let page_no: u64 = query_param(req, "page").and_then(|p| p.parse().ok()).unwrap_or(1).clamp(1, 1_000_000);
    let filter = Some(key.as_str()).filter(|k| !k.is_empty());
    let history = match settings_service.history(&viewer.principal, filter, PageRequest::new(page_no, PER_PAGE)).await {
        Ok(history) => history,
        Err(e) => return service_error(chrome, PublicError::from(e)),
    };
    let now = Utc::now();
    let mut flags = Vec::new();
    let mut plans: Vec<PlanBlock> = Vec::new();
    for s in &settings {
        match &s.key {
            SettingKey::Flag(flag) => flags.push(FlagRow {
                key: flag.as_str().to_owned(),
                on: s.value == SettingValue::Flag(true),
                default_on: s.default == Some(SettingValue::Flag(true)),
                description: s.description.clone(),
                changed: s.updated_at.map_or_else(|| "never changed".into(), |t| format!("changed {}", ago(t, now))),
            }),
            SettingKey::PlanLimit { plan, field } => {
                let (text, raw) = shown(field.as_str(), &s.value);
                let row = LimitRow { key: s.key.to_string(), field: field.as_str(), shown: text, raw };
                match plans.iter_mut().find(|b| &b.plan == plan) {
                    Some(block) => block.limits.push(row),
                    None => plans.push(PlanBlock { plan: plan.clone(), limits: vec![row] }),
                }
            }
        }
    }
    let mut emails = std::collections::HashMap::new();
    let mut changes = Vec::new();
    for c in history.items {
        let by = match c.changed_by {
            None => "system".to_owned(),
            Some(id) => match emails.get(&id) {
                Some(email) => String::clone(email),
                None => {
                    let email = console
                        .core()
                        .accounts
                        .user(&viewer.principal, id)
                        .await
                        .map_or_else(|_| "deleted account".to_owned(), |u| u.email);
                    emails.insert(id, email.clone());
                    email
                }
            },
        };
        changes.push(ChangeRow {
            diff: side_by_side(&c.old_value, &c.new_value),
            key: c.key,
            by,
            reason: c.reason,
            ticket: c.ticket.unwrap_or_default(),
            when: ago(c.created_at, now),
            exact: exact(c.created_at),
        });
    }
    let pages = history.total.div_ceil(PER_PAGE).max(1);
    let at = |n: u64| format!("{}/admin/config?key={}&page={n}#history", chrome.base, encode(&key));
    let (prev, next) = (
        if page_no > 1 { at(page_no - 1) } else { String::new() },
        if page_no < pages { at(page_no + 1) } else { String::new() },
    );
    let page = ConfigPage {
        can_edit: viewer.user.role >= Role::Superadmin,
        keys: settings.iter().map(|s| s.key.to_string()).collect(),
        flags,
        plans,
        key,
        changes,
        total: history.total,
        prev,
        next,
        page_no,
        pages,
        chrome,
        admin,
    };
    render(StatusCode::OK, &page)
}

/// The value a form sent for `key`: `true`/`false` for a flag; a whole number, or blank for
/// unlimited, for a plan limit. Anything else goes to the service as text, which refuses it
/// with the message saying what the key takes.
fn form_value(key: &str, raw: &str) -> Value {
    let raw = raw.trim();
    match SettingKey::parse(key) {
        Some(SettingKey::Flag(_)) => match raw {
            "true" | "on" => Value::Bool(true),
            "false" | "off" => Value::Bool(false),
            other => Value::String(other.to_owned()),
        },
        Some(SettingKey::PlanLimit { .. }) if raw.is_empty() || raw.eq_ignore_ascii_case("unlimited") => Value::Null,
        _ => raw.parse::<u64>().map_or_else(|_| Value::String(raw.to_owned()), Value::from),
    }
}

/// The confirmation of setting `key` to `raw`.
fn action(base: &str, key: &str, raw: &str) -> Action {
    let shown = match form_value(key, raw) {
        Value::Null => "unlimited".to_owned(),
        Value::Bool(true) => "on".to_owned(),
        Value::Bool(false) => "off".to_owned(),
        other => other.as_str().map_or_else(|| other.to_string(), str::to_owned),
    };
    Action {
        title: format!("Set {key} to {shown}?"),
        text: "The change takes effect at once, for every host, and is kept in the history with your reason.".into(),
        post_to: format!("{base}/admin/config/{key}"),
        hidden: vec![("value".into(), raw.to_owned())],
        typed: "",
        verb: "Change",
        cancel: format!("{base}/admin/config"),
    }
}

/// `GET /admin/config/{key}?value=`: the confirmation as a page.
#[handler]
pub(crate) async fn confirm(console: Console, req: &Request, Path(key): Path<String>) -> Response {
    let (_, chrome, admin) = match guard(&console, req, "config").await {
        Ok(ok) => ok,
        Err(resp) => return resp,
    };
    if SettingKey::parse(&key).is_none() {
        return error_page(chrome, StatusCode::NOT_FOUND, "Not found", "There is no such setting.");
    }
    let act = action(&chrome.base, &key, &query_param(req, "value").unwrap_or_default());
    confirm_page(chrome, admin, act, Justification::default(), "", StatusCode::OK)
}

/// `POST /admin/config/{key}`: fields `value`, `reason`, `ticket`, `csrf` (superadmins).
#[handler]
pub(crate) async fn set(console: Console, req: &Request, Path(key): Path<String>, body: Body) -> Response {
    let (viewer, chrome, admin) = match guard(&console, req, "config").await {
        Ok(ok) => ok,
        Err(resp) => return resp,
    };
    let form = FormData::parse(&body.into_vec().await.unwrap_or_default());
    if !form.csrf_ok(&viewer) {
        return csrf_refused(chrome);
    }
    let raw = form.get("value").unwrap_or_default().to_owned();
    let given = Justification::from_form(&form);
    let value = form_value(&key, &raw);
    let update = SettingUpdate { value: &value, reason: &given.reason, ticket: given.ticket() };
    match console.core().settings.set(&viewer.principal, &key, update, &request_meta(req)).await {
        Ok(setting) => redirect_notice(
            &format!("{}/admin/config?key={}", chrome.base, encode(&key)),
            &format!("{} is now {}.", setting.key, setting.value.to_json()),
        ),
        Err(e) => {
            let act = action(&chrome.base, &key, &raw);
            refused(chrome, admin, act, given, PublicError::from(e))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn form_values_take_the_type_of_their_key() {
        assert_eq!(form_value("maintenance_mode", "true"), Value::Bool(true));
        assert_eq!(form_value("maintenance_mode", "off"), Value::Bool(false));
        assert_eq!(form_value("plans.free.max_jobs", " 4 "), Value::from(4));
        assert_eq!(form_value("plans.free.max_jobs", ""), Value::Null);
        assert_eq!(form_value("plans.free.max_jobs", "many"), Value::String("many".into()));
    }

    #[test]
    fn the_diff_marks_the_lines_that_changed() {
        let diff = side_by_side(&Value::from(2), &Value::from(3));
        assert_eq!((diff.len(), diff[0].changed, diff[0].old.as_str(), diff[0].new.as_str()), (1, true, "2", "3"));
        let diff = side_by_side(&serde_json::json!({"a": 1, "b": 2}), &serde_json::json!({"a": 1, "b": 5}));
        assert_eq!(diff.iter().map(|l| l.changed).collect::<Vec<_>>(), [false, false, true, false]);
        let diff = side_by_side(&Value::Null, &Value::from(10));
        assert_eq!((diff[0].old.as_str(), diff[0].new.as_str()), ("null", "10"));
    }
}
