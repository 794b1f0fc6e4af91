//! Admin › Users › one user: the account, its plan and usage, its jobs, API keys, sessions and
//! audit trail, and the actions on it (admins): suspend or reinstate, log out everywhere, change
//! the plan. Each goes through the confirmation (a reason of at least 10 characters and an
//! optional ticket, both audited) and the same core service as `/api/v1/admin/users/{id}`.

use askama::Template;
use chrono::Utc;
use poem::http::StatusCode;
use poem::web::Path;
use poem::{Body, Request, Response, handler};
use tseeder_core::domain::{Role, User, UserId};
use tseeder_core::services::{Justification as Why, UserDetail};
use tseeder_http::console::{Console, PublicError, request_meta};
use uuid::Uuid;

use super::act::{Action, Justification, confirm_page, refused};
use super::{AdminChrome, guard};
use crate::jobs::JobRow;
use crate::page::{
    Chrome, FormData, Viewer, ago, csrf_refused, device_label, error_page, exact, human_size, query_param,
    redirect_notice, render, service_error,
};

/// An API key as the detail lists it.
#[derive(Debug, Clone)]
struct KeyRow {
    name: String,
    prefix: String,
    scopes: String,
    last_used: String,
}

/// A session as the detail lists it.
#[derive(Debug, Clone)]
struct SessionRow {
    device: String,
    ip: String,
    since: String,
    since_exact: String,
}

/// An audit entry as the detail lists it.
#[derive(Debug, Clone)]
struct AuditRow {
    action: String,
    by: String,
    when: String,
    exact: String,
    details: String,
}

#[derive(Template)]
#[template(path = "admin/user.html")]
struct UserPage {
    chrome: Chrome,
    admin: AdminChrome,
    id: String,
    email: String,
    role: &'static str,
    suspended: bool,
    joined: String,
    plan: String,
    plans: Vec<String>,
    storage: String,
    active_jobs: u64,
    total_jobs: u64,
    jobs: Vec<JobRow>,
    jobs_total: u64,
    keys: Vec<KeyRow>,
    sessions: Vec<SessionRow>,
    audit: Vec<AuditRow>,
    audit_total: u64,
    /// Whether actions are offered (admins, and never on one's own account).
    can_act: bool,
}

/// An action of the detail page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Act {
    Suspend,
    Unsuspend,
    ForceLogout,
    Plan,
}

impl Act {
    fn parse(slug: &str) -> Option<Self> {
        Some(match slug {
            "suspend" => Self::Suspend,
            "unsuspend" => Self::Unsuspend,
            "force-logout" => Self::ForceLogout,
            "plan" => Self::Plan,
            _ => return None,
        })
    }

    fn slug(self) -> &'static str {
        match self {
            Self::Suspend => "suspend",
            Self::Unsuspend => "unsuspend",
            Self::ForceLogout => "force-logout",
            Self::Plan => "plan",
        }
    }

    /// The confirmation of this action on `user` (`plan`: the plan to assign).
    fn action(self, base: &str, user: &User, plan: &str) -> Action {
        let (title, text, verb) = match self {
            Self::Suspend => (
                format!("Suspend {}?", user.email),
                "Their sessions end and their API keys stop working at once, and their running downloads are \
                 paused. Nothing is deleted."
                    .to_owned(),
                "Suspend",
            ),
            Self::Unsuspend => (
                format!("Reinstate {}?", user.email),
                "They can log in and use their API keys again. Paused downloads stay paused until resumed.".to_owned(),
                "Reinstate",
            ),
            Self::ForceLogout => (
                format!("Log {} out everywhere?", user.email),
                "Every session of theirs ends at once; their API keys keep working.".to_owned(),
                "Log out everywhere",
            ),
            Self::Plan => (
                format!("Put {} on the {plan} plan?", user.email),
                "The new plan's limits apply to their next submission; stored files are kept.".to_owned(),
                "Change plan",
            ),
        };
        let hidden = if self == Self::Plan { vec![("plan".into(), plan.to_owned())] } else { Vec::new() };
        Action {
            title,
            text,
            post_to: format!("{base}/admin/users/{}/{}", user.id, self.slug()),
            hidden,
            typed: "",
            verb,
            cancel: format!("{base}/admin/users/{}", user.id),
        }
    }
}

fn no_such_user(chrome: Chrome) -> Response {
    error_page(chrome, StatusCode::NOT_FOUND, "Not found", "There is no such user.")
}

async fn detail(console: &Console, viewer: &Viewer, id: UserId) -> Result<UserDetail, PublicError> {
    console.core().users.detail(&viewer.principal, id).await.map_err(PublicError::from)
}

/// `GET /admin/users/{id}`.
#[handler]
pub(crate) async fn show(console: Console, req: &Request, Path(id): Path<String>) -> Response {
    let (viewer, chrome, admin) = match guard(&console, req, "users").await {
        Ok(ok) => ok,
        Err(resp) => return resp,
    };
    let Ok(id) = Uuid::parse_str(&id).map(UserId) else { return no_such_user(chrome) };
    let d = match detail(&console, &viewer, id).await {
        Ok(d) => d,
        Err(e) => return service_error(chrome, e),
    };
    let plans = console.core().jobs.plans().await.map(|p| p.into_iter().map(|p| p.id).collect()).unwrap_or_default();
    let now = Utc::now();
    let mut emails = std::collections::HashMap::new();
    emails.insert(d.user.id, d.user.email.clone());
    let mut audit = Vec::new();
    for r in &d.audit.items {
        let by = match r.entry.actor_id {
            None => "system".to_owned(),
            Some(actor) => match emails.get(&actor) {
                Some(email) => email.clone(),
                None => {
                    let email = console
                        .core()
                        .accounts
                        .user(&viewer.principal, actor)
                        .await
                        .map_or_else(|_| "deleted account".to_owned(), |u| u.email);
                    emails.insert(actor, email.clone());
                    email
                }
            },
        };
        let details = r.entry.metadata.as_object().filter(|m| !m.is_empty()).map_or(String::new(), |m| {
            m.iter()
                .map(|(k, v)| format!("{k}: {}", v.as_str().map_or_else(|| v.to_string(), str::to_owned)))
                .collect::<Vec<_>>()
                .join(" · ")
        });
        audit.push(AuditRow {
            action: r.entry.action.clone(),
            by,
            when: ago(r.entry.created_at, now),
            exact: exact(r.entry.created_at),
            details,
        });
    }
    let page = UserPage {
        id: d.user.id.to_string(),
        email: d.user.email.clone(),
        role: d.user.role.as_str(),
        suspended: d.user.suspended,
        joined: exact(d.user.created_at),
        plan: d.plan.as_ref().map(|p| p.id.clone()).unwrap_or_default(),
        plans,
        storage: human_size(d.usage.storage_bytes),
        active_jobs: d.usage.active_jobs,
        total_jobs: d.usage.total_jobs,
        jobs: d.jobs.items.iter().map(JobRow::new).collect(),
        jobs_total: d.jobs.total,
        keys: d
            .api_keys
            .iter()
            .map(|k| KeyRow {
                name: k.name.clone(),
                prefix: k.prefix.clone(),
                scopes: k.scopes.iter().map(|s| s.as_str()).collect::<Vec<_>>().join(", "),
                last_used: k.last_used_at.map_or_else(|| "never".into(), |t| ago(t, now)),
            })
            .collect(),
        sessions: d
            .sessions
            .iter()
            .map(|s| SessionRow {
                device: device_label(s.user_agent.as_deref()),
                ip: s.ip.clone().unwrap_or_else(|| "unknown address".into()),
                since: ago(s.created_at, now),
                since_exact: exact(s.created_at),
            })
            .collect(),
        audit,
        audit_total: d.audit.total,
        can_act: admin.can_act && viewer.user.id != d.user.id && viewer.user.role >= Role::Admin,
        chrome,
        admin,
    };
    render(StatusCode::OK, &page)
}

/// `GET /admin/users/{id}/{action}`: the confirmation as a page (`?plan=` for a plan change).
#[handler]
pub(crate) async fn confirm(console: Console, req: &Request, Path((id, slug)): Path<(String, String)>) -> Response {
    let (viewer, chrome, admin) = match guard(&console, req, "users").await {
        Ok(ok) => ok,
        Err(resp) => return resp,
    };
    let (Ok(id), Some(act)) = (Uuid::parse_str(&id).map(UserId), Act::parse(&slug)) else {
        return no_such_user(chrome);
    };
    let user = match console.core().accounts.user(&viewer.principal, id).await {
        Ok(user) => user,
        Err(e) => return service_error(chrome, PublicError::from(e)),
    };
    let plan = query_param(req, "plan").unwrap_or_default();
    let action = act.action(&chrome.base, &user, &plan);
    confirm_page(chrome, admin, action, Justification::default(), "", StatusCode::OK)
}

/// `POST /admin/users/{id}/{action}` (`suspend`, `unsuspend`, `force-logout`, `plan`): fields
/// `reason`, `ticket`, `plan` (for a plan change), `csrf`.
#[handler]
pub(crate) async fn perform(
    console: Console,
    req: &Request,
    Path((id, slug)): Path<(String, String)>,
    body: Body,
) -> Response {
    let (viewer, chrome, admin) = match guard(&console, req, "users").await {
        Ok(ok) => ok,
        Err(resp) => return resp,
    };
    let form = FormData::parse(&body.into_vec().await.unwrap_or_default());
    if !form.csrf_ok(&viewer) {
        return csrf_refused(chrome);
    }
    let (Ok(id), Some(act)) = (Uuid::parse_str(&id).map(UserId), Act::parse(&slug)) else {
        return no_such_user(chrome);
    };
    let user = match console.core().accounts.user(&viewer.principal, id).await {
        Ok(user) => user,
        Err(e) => return service_error(chrome, PublicError::from(e)),
    };
    let given = Justification::from_form(&form);
    let plan = form.get("plan").unwrap_or_default().to_owned();
    let why = Why { reason: &given.reason, ticket: given.ticket() };
    let meta = request_meta(req);
    let users = &console.core().users;
    let outcome = match act {
        Act::Suspend => users.suspend(&viewer.principal, id, why, &meta).await.map(|s| {
            format!(
                "{} is suspended: {} session(s) ended, {} download(s) paused.",
                user.email, s.sessions_revoked, s.jobs_paused
            )
        }),
        Act::Unsuspend => {
            users.unsuspend(&viewer.principal, id, why, &meta).await.map(|_| format!("{} is reinstated.", user.email))
        }
        Act::ForceLogout => users
            .force_logout(&viewer.principal, id, why, &meta)
            .await
            .map(|n| format!("{} is logged out everywhere ({n} session(s) ended).", user.email)),
        Act::Plan => users
            .assign_plan(&viewer.principal, id, &plan, why, &meta)
            .await
            .map(|p| format!("{} is on the {} plan.", user.email, p.id)),
    };
    match outcome {
        Ok(notice) => redirect_notice(&format!("{}/admin/users/{}", chrome.base, user.id), &notice),
        Err(e) => {
            let action = act.action(&chrome.base, &user, &plan);
            refused(chrome, admin, action, given, PublicError::from(e))
        }
    }
}
