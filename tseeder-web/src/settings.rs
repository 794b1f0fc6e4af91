//! Settings (password, sessions, API keys, default region, how to set up a download manager)
//! and usage against the plan of the organization the viewer acts in.

use askama::Template;
use chrono::Utc;
use poem::http::StatusCode;
use poem::web::Path;
use poem::{Body, Request, Response, handler};
use tseeder_core::auth::Credential;
use tseeder_core::domain::{ApiKeyId, Plan, Scope, SessionId, Usage, UserId};
use tseeder_http::console::{Console, PublicError, request_meta};

use crate::auth::safe_next;
use crate::page::{
    Chrome, FormData, Viewer, add_cookie, ago, clear_org_cookie, csrf_refused, device_label, exact, human_size,
    redirect_notice, render, service_error, to_login, viewer,
};

/// The usage figures the dashboard, the usage page and an organization's page show.
#[derive(Debug, Clone, Default)]
pub(crate) struct UsageSummary {
    /// The plan's name; empty when there is none.
    pub(crate) plan: String,
    pub(crate) storage_used: String,
    pub(crate) storage_limit: String,
    /// 0 to 100, for a `<meter>`.
    pub(crate) storage_pct: String,
    pub(crate) storage_left: String,
    pub(crate) active_jobs: u64,
    pub(crate) max_jobs: String,
    /// Active downloads against the plan's limit, 0 to 100, for a `<meter>`.
    pub(crate) jobs_pct: String,
    pub(crate) total_jobs: u64,
    pub(crate) max_file: String,
    pub(crate) retention: String,
    /// This month's transfer (downloaded plus served), its limit and its share, 0 to 100.
    pub(crate) bandwidth_used: String,
    pub(crate) bandwidth_limit: String,
    pub(crate) bandwidth_pct: String,
    pub(crate) bandwidth_downloaded: String,
    pub(crate) bandwidth_served: String,
    /// The month counted ("December 2026") and the day it resets ("1 January 2027").
    pub(crate) bandwidth_month: String,
    pub(crate) bandwidth_resets: String,
    /// Whether the month's bandwidth is used up: new downloads wait for the reset.
    pub(crate) bandwidth_out: bool,
}

/// `part` of `limit` in percent, 0 to 100, for a `<meter>` (0 for unlimited).
fn percent(part: u64, limit: Option<u64>) -> String {
    let pct = limit.map_or(0.0, |l| if l == 0 { 100.0 } else { part as f64 * 100.0 / l as f64 });
    format!("{:.1}", pct.min(100.0))
}

impl UsageSummary {
    /// The plan and usage of the organization the viewer acts in (empty figures if they cannot
    /// be read).
    pub(crate) async fn load(console: &Console, viewer: &Viewer) -> Self {
        let Ok((plan, usage)) = console.core().jobs.usage(&viewer.principal).await else { return Self::default() };
        Self::new(Some(&plan), &usage)
    }

    /// `usage` against `plan` (no plan: the figures without limits).
    pub(crate) fn new(plan: Option<&Plan>, usage: &Usage) -> Self {
        let none = || "no plan".to_owned();
        let limit = plan.and_then(|p| p.max_storage_bytes.as_option());
        let unlimited = |bytes: Option<u64>, say: &str| match (plan, bytes) {
            (None, _) => none(),
            (Some(_), None) => say.to_owned(),
            (Some(_), Some(b)) => human_size(b),
        };
        let max_jobs = plan.and_then(|p| p.max_jobs.as_option());
        let bandwidth = &usage.bandwidth;
        let bandwidth_limit = plan.and_then(|p| p.bandwidth_bytes.as_option());
        Self {
            bandwidth_used: human_size(bandwidth.used()),
            bandwidth_limit: unlimited(bandwidth_limit, "unlimited"),
            bandwidth_pct: percent(bandwidth.used(), bandwidth_limit),
            bandwidth_downloaded: human_size(bandwidth.downloaded_bytes),
            bandwidth_served: human_size(bandwidth.served_bytes),
            bandwidth_month: bandwidth.month.start().format("%B %Y").to_string(),
            bandwidth_resets: bandwidth.month.resets_at().format("%-d %B %Y").to_string(),
            bandwidth_out: plan.is_some_and(|p| p.check_download(&usage.bandwidth).is_err()),
            plan: plan.map(|p| p.id.clone()).unwrap_or_default(),
            storage_used: human_size(usage.storage_bytes),
            storage_limit: unlimited(limit, "unlimited"),
            storage_pct: percent(usage.storage_bytes, limit),
            storage_left: unlimited(limit.map(|l| l.saturating_sub(usage.storage_bytes)), "unlimited"),
            active_jobs: usage.active_jobs,
            max_jobs: match (plan, max_jobs) {
                (None, _) => none(),
                (Some(_), None) => "unlimited".into(),
                (Some(_), Some(n)) => n.to_string(),
            },
            jobs_pct: percent(usage.active_jobs, max_jobs),
            total_jobs: usage.total_jobs,
            max_file: unlimited(plan.and_then(|p| p.max_file_size_bytes.as_option()), "no limit"),
            retention: match plan.map(Plan::retention_window) {
                None => none(),
                Some(Some(window)) => format!("{} days after completion", window.num_days()),
                Some(None) => "forever".into(),
            },
        }
    }
}

#[derive(Template)]
#[template(path = "usage.html")]
struct UsagePage {
    chrome: Chrome,
    usage: UsageSummary,
}

/// `GET /usage`: the plan and usage of the organization the viewer acts in.
#[handler]
pub(crate) async fn usage_page(console: Console, req: &Request) -> Response {
    let Some(viewer) = viewer(&console, req).await else { return to_login(&console, req) };
    let chrome = Chrome::new(&console, Some(&viewer), "Usage", "usage").with_notice(req);
    let usage = UsageSummary::load(&console, &viewer).await;
    render(StatusCode::OK, &UsagePage { chrome, usage })
}

/// An API key as listed.
#[derive(Debug, Clone)]
struct KeyRow {
    id: String,
    name: String,
    /// The organization it works in; empty when the viewer no longer belongs to it.
    org: String,
    prefix: String,
    scopes: String,
    created: String,
    last_used: String,
    expires: String,
}

/// A logged-in device as listed.
#[derive(Debug, Clone)]
struct SessionRow {
    id: String,
    device: String,
    ip: String,
    signed_in: String,
    signed_in_exact: String,
    expires: String,
    current: bool,
}

/// The path download managers add to the URL Base for every call to the qBittorrent API.
const QBITTORRENT_API: &str = "/api/v2";

/// The settings' "Download managers" section: what to enter in a download manager's qBittorrent
/// download-client form (Sonarr, Radarr) and where finished downloads appear, from the server's
/// settings.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct DownloadManagerSetup {
    /// The host to enter; empty when the public address cannot be read (`address` is shown).
    host: String,
    /// The port to enter (the scheme's default when the address names none); empty with `host`.
    port: String,
    /// Whether "Use SSL" is ticked: the public address is `https`.
    ssl: bool,
    /// The site's public address (`auth.public_url`), as configured.
    address: String,
    /// The URL Base to enter; empty for none.
    url_base: String,
    /// Where the qBittorrent API answers when the apps cannot find it under the URL Base (its
    /// path does not end in `/api/v2`); empty when they can.
    api_elsewhere: String,
    /// The user's folder in the completed-files location; empty when the server has none.
    save_path: String,
}

impl DownloadManagerSetup {
    /// The section for `user`, or `None` when the qBittorrent-compatible API is off.
    fn new(console: &Console, user: UserId) -> Option<Self> {
        let api_path = console.config().qbittorrent.path()?;
        let base = console.config().base_path();
        let (url_base, api_elsewhere) = match api_path.strip_suffix(QBITTORRENT_API) {
            Some(prefix) => (format!("{base}{prefix}"), String::new()),
            None => {
                let elsewhere = format!("{base}{api_path}");
                (base, elsewhere)
            }
        };
        let core = console.core();
        let save_path = core.completed.save_path(user, None).map(|p| p.display().to_string()).unwrap_or_default();
        Some(Self { url_base, api_elsewhere, save_path, ..Self::address(&core.config.auth.public_url) })
    }

    /// Host, port and "Use SSL" from the public address (`http://localhost` when it is empty, as
    /// for the links in emails); only the address when it is not an `http` or `https` URL with
    /// a host.
    fn address(public_url: &str) -> Self {
        let address = match public_url.trim() {
            "" => "http://localhost",
            given => given,
        };
        let url = url::Url::parse(address).ok().filter(|u| matches!(u.scheme(), "http" | "https"));
        match url.as_ref().map(|u| (u.host_str(), u.port_or_known_default(), u.scheme() == "https")) {
            Some((Some(host), Some(port), ssl)) => Self {
                host: host.to_owned(),
                port: port.to_string(),
                ssl,
                address: address.to_owned(),
                ..Self::default()
            },
            _ => Self {
                ssl: address.get(..6).is_some_and(|scheme| scheme.eq_ignore_ascii_case("https:")),
                address: address.to_owned(),
                ..Self::default()
            },
        }
    }
}

#[derive(Template)]
#[template(path = "settings.html")]
struct SettingsPage {
    chrome: Chrome,
    email: String,
    /// Whether the address is confirmed, and since when.
    verified: bool,
    verified_at: String,
    role: String,
    region: String,
    sessions: Vec<SessionRow>,
    /// A refusal of the password form, shown beside it.
    password_error: String,
    keys: Vec<KeyRow>,
    /// A key created just now: its name and secret, shown this once.
    new_key_name: String,
    new_secret: String,
    error: String,
    scopes: Vec<(&'static str, &'static str, bool)>,
    /// The organization new keys are made in (the one the viewer acts in).
    key_org: String,
    /// How to set up Sonarr or Radarr; `None` when the qBittorrent-compatible API is off.
    download_managers: Option<DownloadManagerSetup>,
}

/// What a settings form answered, shown on the page it redraws.
#[derive(Debug, Default)]
struct Outcome {
    /// A key created just now: its name and secret.
    new_key: Option<(String, String)>,
    /// A refusal of the key or region forms.
    error: String,
    /// A refusal of the password form.
    password_error: String,
}

async fn settings_view(console: &Console, viewer: &Viewer, req: &Request, outcome: Outcome) -> Response {
    let Outcome { new_key, error, password_error } = outcome;
    let chrome = Chrome::new(console, Some(viewer), "Settings", "settings").with_notice(req);
    let accounts = &console.core().accounts;
    let keys = match accounts.list_api_keys(&viewer.principal).await {
        Ok(keys) => keys,
        Err(e) => return service_error(chrome, PublicError::from(e)),
    };
    let sessions = match accounts.list_sessions(&viewer.principal).await {
        Ok(sessions) => sessions,
        Err(e) => return service_error(chrome, PublicError::from(e)),
    };
    let now = Utc::now();
    let current = match viewer.principal.credential {
        Credential::Session(id) => Some(id),
        _ => None,
    };
    let sessions = sessions
        .into_iter()
        .map(|s| SessionRow {
            id: s.id.to_string(),
            device: device_label(s.user_agent.as_deref()),
            ip: s.ip.unwrap_or_else(|| "unknown address".into()),
            signed_in: ago(s.created_at, now),
            signed_in_exact: exact(s.created_at),
            expires: exact(s.expires_at),
            current: Some(s.id) == current,
        })
        .collect();
    let keys = keys
        .into_iter()
        .map(|k| KeyRow {
            id: k.id.to_string(),
            name: k.name,
            org: viewer.org_named(k.org_id).unwrap_or_default().to_owned(),
            prefix: k.prefix,
            scopes: k.scopes.iter().map(|s| s.as_str()).collect::<Vec<_>>().join(", "),
            created: ago(k.created_at, now),
            last_used: k.last_used_at.map_or_else(|| "never".into(), |t| ago(t, now)),
            expires: k.expires_at.map_or_else(|| "never".into(), exact),
        })
        .collect();
    let (new_key_name, new_secret) = new_key.unwrap_or_default();
    let mut scopes = vec![
        ("jobs:read", "read jobs and files", true),
        ("jobs:write", "submit and control jobs", false),
        ("account:read", "read the account and usage", true),
    ];
    if viewer.is_staff() {
        scopes.push(("admin", "admin views and actions (staff only)", false));
    }
    let page = SettingsPage {
        email: viewer.user.email.clone(),
        verified: viewer.user.email_verified_at.is_some(),
        verified_at: viewer.user.email_verified_at.map(exact).unwrap_or_default(),
        role: viewer.user.role.to_string(),
        region: viewer.user.default_region.clone().map(String::from).unwrap_or_default(),
        chrome,
        sessions,
        password_error: password_error.clone(),
        keys,
        new_key_name,
        new_secret,
        error: error.clone(),
        scopes,
        key_org: viewer.org_name(),
        download_managers: DownloadManagerSetup::new(console, viewer.user.id),
    };
    let status = if error.is_empty() && password_error.is_empty() { StatusCode::OK } else { StatusCode::BAD_REQUEST };
    render(status, &page)
}

/// `GET /settings`.
#[handler]
pub(crate) async fn settings_page(console: Console, req: &Request) -> Response {
    let Some(viewer) = viewer(&console, req).await else { return to_login(&console, req) };
    settings_view(&console, &viewer, req, Outcome::default()).await
}

/// `POST /settings/keys`: creates an API key (fields `name`, `scopes`, `expires_days`) and shows
/// its secret once.
#[handler]
pub(crate) async fn create_key(console: Console, req: &Request, body: Body) -> Response {
    let Some(viewer) = viewer(&console, req).await else { return to_login(&console, req) };
    let form = FormData::parse(&body.into_vec().await.unwrap_or_default());
    if !form.csrf_ok(&viewer) {
        return csrf_refused(Chrome::new(&console, Some(&viewer), "Form expired", "settings"));
    }
    let scopes: Result<Vec<Scope>, _> = form.all("scopes").into_iter().map(str::parse::<Scope>).collect();
    let Ok(scopes) = scopes else {
        return settings_view(&console, &viewer, req, Outcome { error: "Unknown scope.".into(), ..Outcome::default() })
            .await;
    };
    if scopes.is_empty() {
        return settings_view(
            &console,
            &viewer,
            req,
            Outcome { error: "Choose at least one scope.".into(), ..Outcome::default() },
        )
        .await;
    }
    let expires = match form.get("expires_days").map(str::trim).filter(|d| !d.is_empty()) {
        None => None,
        Some(days) => match days.parse::<u32>() {
            Ok(days) => Some(days),
            Err(_) => {
                return settings_view(
                    &console,
                    &viewer,
                    req,
                    Outcome { error: "The expiry is a number of days.".into(), ..Outcome::default() },
                )
                .await;
            }
        },
    };
    let name = form.get("name").unwrap_or_default();
    let accounts = &console.core().accounts;
    match accounts.create_api_key(&viewer.principal, name, scopes, expires, &request_meta(req)).await {
        Ok(created) => {
            let new_key = Some((created.key.name, created.secret));
            settings_view(&console, &viewer, req, Outcome { new_key, ..Outcome::default() }).await
        }
        Err(e) => {
            settings_view(&console, &viewer, req, Outcome { error: PublicError::from(e).message, ..Outcome::default() })
                .await
        }
    }
}

/// `POST /settings/keys/{id}/revoke`.
#[handler]
pub(crate) async fn revoke_key(console: Console, req: &Request, Path(id): Path<String>, body: Body) -> Response {
    let Some(viewer) = viewer(&console, req).await else { return to_login(&console, req) };
    let form = FormData::parse(&body.into_vec().await.unwrap_or_default());
    let chrome = Chrome::new(&console, Some(&viewer), "Settings", "settings");
    if !form.csrf_ok(&viewer) {
        return csrf_refused(chrome);
    }
    let to = format!("{}/settings", chrome.base);
    let Ok(id) = id.parse::<ApiKeyId>() else { return redirect_notice(&to, "No such key.") };
    match console.core().accounts.revoke_api_key(&viewer.principal, id, &request_meta(req)).await {
        Ok(()) => redirect_notice(&to, "Key revoked. Programs using it can no longer sign in."),
        Err(e) => redirect_notice(&to, &format!("Could not revoke it: {}", PublicError::from(e).message)),
    }
}

/// `POST /settings/region`: sets (field `region`) or clears (empty) the default region.
#[handler]
pub(crate) async fn set_region(console: Console, req: &Request, body: Body) -> Response {
    let Some(viewer) = viewer(&console, req).await else { return to_login(&console, req) };
    let form = FormData::parse(&body.into_vec().await.unwrap_or_default());
    let chrome = Chrome::new(&console, Some(&viewer), "Settings", "settings");
    if !form.csrf_ok(&viewer) {
        return csrf_refused(chrome);
    }
    let region = form.get("region").map(str::trim).filter(|r| !r.is_empty());
    let to = format!("{}/settings", chrome.base);
    match console.core().accounts.set_default_region(&viewer.principal, region, &request_meta(req)).await {
        Ok(_) if region.is_some() => redirect_notice(&to, "Default region saved."),
        Ok(_) => redirect_notice(&to, "Default region cleared: new downloads run in any region."),
        Err(e) => {
            settings_view(&console, &viewer, req, Outcome { error: PublicError::from(e).message, ..Outcome::default() })
                .await
        }
    }
}

/// `POST /settings/password`: changes the password (fields `current`, `new`, `confirm`) and
/// logs every other device out. Attempts count against the login rate limit.
#[handler]
pub(crate) async fn change_password(console: Console, req: &Request, body: Body) -> Response {
    let Some(viewer) = viewer(&console, req).await else { return to_login(&console, req) };
    let form = FormData::parse(&body.into_vec().await.unwrap_or_default());
    let chrome = Chrome::new(&console, Some(&viewer), "Settings", "settings");
    if !form.csrf_ok(&viewer) {
        return csrf_refused(chrome);
    }
    let refuse = |message: String| {
        settings_view(&console, &viewer, req, Outcome { password_error: message, ..Outcome::default() })
    };
    let meta = request_meta(req);
    if let Err(limited) = console.limit_login(meta.ip.as_deref()) {
        return refuse(format!("Too many attempts from your address. Try again in {} s.", limited.retry_after_secs))
            .await;
    }
    let (current, new) = (form.get("current").unwrap_or_default(), form.get("new").unwrap_or_default());
    if form.get("confirm").unwrap_or_default() != new {
        return refuse("The new password and its confirmation differ.".into()).await;
    }
    let to = format!("{}/settings", chrome.base);
    match console.core().accounts.change_password(&viewer.principal, current, new, &meta).await {
        Ok(0) => redirect_notice(&to, "Password changed."),
        Ok(1) => redirect_notice(&to, "Password changed. Your other device was logged out."),
        Ok(n) => redirect_notice(&to, &format!("Password changed. Your {n} other devices were logged out.")),
        Err(e) => refuse(PublicError::from(e).message).await,
    }
}

/// `POST /settings/sessions/{id}/revoke`: logs one device out (this one too: then to the login
/// page).
#[handler]
pub(crate) async fn revoke_session(console: Console, req: &Request, Path(id): Path<String>, body: Body) -> Response {
    let Some(viewer) = viewer(&console, req).await else { return to_login(&console, req) };
    let form = FormData::parse(&body.into_vec().await.unwrap_or_default());
    let chrome = Chrome::new(&console, Some(&viewer), "Settings", "settings");
    if !form.csrf_ok(&viewer) {
        return csrf_refused(chrome);
    }
    let to = format!("{}/settings", chrome.base);
    let Ok(id) = id.parse::<uuid::Uuid>().map(SessionId) else { return redirect_notice(&to, "No such session.") };
    match console.core().accounts.revoke_session(&viewer.principal, id, &request_meta(req)).await {
        Ok(()) if matches!(viewer.principal.credential, Credential::Session(own) if own == id) => {
            let mut resp = redirect_notice(&format!("{}/login", chrome.base), "You are logged out.");
            if let Ok(value) = console.clear_session_cookie().parse() {
                resp.headers_mut().insert(poem::http::header::SET_COOKIE, value);
            }
            add_cookie(&mut resp, &clear_org_cookie(&console));
            resp
        }
        Ok(()) => redirect_notice(&to, "That device is logged out."),
        Err(e) => redirect_notice(&to, &format!("Could not log it out: {}", PublicError::from(e).message)),
    }
}

/// `POST /settings/verify-email`: emails a new link to confirm the account's address (the
/// account service's `request_email_verification`, as the API), then goes back to `back` (a
/// path of this site, such as the invitation page the form was on) or to the settings.
#[handler]
pub(crate) async fn resend_verification(console: Console, req: &Request, body: Body) -> Response {
    let Some(viewer) = viewer(&console, req).await else { return to_login(&console, req) };
    let form = FormData::parse(&body.into_vec().await.unwrap_or_default());
    let chrome = Chrome::new(&console, Some(&viewer), "Settings", "settings");
    if !form.csrf_ok(&viewer) {
        return csrf_refused(chrome);
    }
    let to = match form.get("back").filter(|back| !back.is_empty()) {
        Some(back) => safe_next(&chrome.base, Some(back)),
        None => format!("{}/settings", chrome.base),
    };
    let email = &viewer.user.email;
    if viewer.user.email_verified_at.is_some() {
        return redirect_notice(&to, &format!("Your address {email} is already confirmed."));
    }
    let hours = console.core().config.auth.email_verification_hours.max(1);
    match console.core().accounts.request_email_verification(&viewer.principal).await {
        Ok(true) => redirect_notice(
            &to,
            &format!("A new confirmation link is on its way to {email}. It works once, for {hours} hours."),
        ),
        Ok(false) => redirect_notice(
            &to,
            "A new confirmation link was made, but this server sends no email: it is in the server's log, for \
             its operator to pass on.",
        ),
        Err(e) => redirect_notice(&to, &format!("Could not send a new link: {}", PublicError::from(e).message)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form(host: &str, port: &str, ssl: bool, address: &str) -> DownloadManagerSetup {
        DownloadManagerSetup {
            host: host.into(),
            port: port.into(),
            ssl,
            address: address.into(),
            ..DownloadManagerSetup::default()
        }
    }

    #[test]
    fn the_download_client_form_reads_host_port_and_ssl_from_the_public_address() {
        let address = DownloadManagerSetup::address;
        assert_eq!(address("http://127.0.0.1:8080"), form("127.0.0.1", "8080", false, "http://127.0.0.1:8080"));
        assert_eq!(
            address("https://tseeder.example.com/tseeder"),
            form("tseeder.example.com", "443", true, "https://tseeder.example.com/tseeder")
        );
        assert_eq!(address("http://tseeder.lan"), form("tseeder.lan", "80", false, "http://tseeder.lan"));
        assert_eq!(address("HTTPS://Box.lan:8443/"), form("box.lan", "8443", true, "HTTPS://Box.lan:8443/"));
        assert_eq!(address("http://[::1]:8080"), form("[::1]", "8080", false, "http://[::1]:8080"));
        assert_eq!(address(""), form("localhost", "80", false, "http://localhost"));
        // Not an http(s) URL with a host: shown as it is.
        assert_eq!(address("tseeder.lan:8080"), form("", "", false, "tseeder.lan:8080"));
        assert_eq!(address("https://"), form("", "", true, "https://"));
    }
}
