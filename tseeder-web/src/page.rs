//! What every page shares: the layout's data ([`Chrome`]), the signed-in viewer and the
//! organization they act in (the switcher's cookie), the CSRF check of form posts, form bodies,
//! responses (pages, redirects, error pages), and human sizes and times.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use askama::Template;
use chrono::{DateTime, Utc};
use poem::http::{Method, StatusCode, header};
use poem::{Endpoint, FromRequest, IntoResponse, Request, Response};
use tseeder_core::auth::Principal;
use tseeder_core::domain::{Membership, Role, User};
use tseeder_core::error::ServiceError;
use tseeder_core::services::account::{csrf_token_for, verify_csrf};
use tseeder_http::console::{Console, PublicError, SESSION_COOKIE, cookie};

use crate::assets;

/// The content security policy of every page: nothing from elsewhere, no inline script or style.
const CSP: &str = "default-src 'self'; img-src 'self' data:; media-src 'self'; style-src 'self'; \
                   script-src 'self'; connect-src 'self'; frame-ancestors 'none'; form-action 'self'; \
                   base-uri 'none'; object-src 'none'";

/// [`CSP`] for a page whose forms redirect to the payment provider (its checkout and customer
/// portal, on their own HTTPS sites): browsers hold the redirects of a form post to
/// `form-action` too.
const CSP_TO_PROVIDER: &str = "default-src 'self'; img-src 'self' data:; media-src 'self'; style-src 'self'; \
                               script-src 'self'; connect-src 'self'; frame-ancestors 'none'; \
                               form-action 'self' https:; base-uri 'none'; object-src 'none'";

pub(crate) use tseeder_http::console::ORG_COOKIE;

/// How long the browser keeps the switcher's choice: a year (every login starts in the personal
/// organization again anyway).
const ORG_COOKIE_SECS: u64 = 365 * 86_400;

/// The signed-in user of a request: their principal (a cookie session, acting in the
/// organization the switcher chose), session token, account and organizations.
#[derive(Debug, Clone)]
pub(crate) struct Viewer {
    pub(crate) principal: Principal,
    pub(crate) token: String,
    pub(crate) user: User,
    /// Every organization the viewer belongs to, the personal one first (the switcher's list).
    pub(crate) orgs: Vec<Membership>,
    /// This page (base path included) when switching organizations may come back to it, else
    /// the dashboard.
    pub(crate) here: String,
}

impl Viewer {
    /// The CSRF token forms of this session carry.
    pub(crate) fn csrf(&self) -> String {
        csrf_token_for(&self.token)
    }

    /// Support and above.
    pub(crate) fn is_staff(&self) -> bool {
        self.user.role >= Role::Support
    }

    /// The organization the viewer acts in, as listed among theirs.
    pub(crate) fn current_org(&self) -> Option<&Membership> {
        self.orgs.iter().find(|m| m.org.id == self.principal.org.id)
    }

    /// The organization the viewer acts in, in words: its name, or "your personal organization".
    pub(crate) fn org_name(&self) -> String {
        match self.current_org() {
            Some(m) if !m.org.personal => m.org.name.clone(),
            _ => "your personal organization".to_owned(),
        }
    }

    /// The name of one of the viewer's organizations, by id (`None` when they left it).
    pub(crate) fn org_named(&self, id: tseeder_core::domain::OrgId) -> Option<&str> {
        self.orgs.iter().find(|m| m.org.id == id).map(|m| m.org.name.as_str())
    }
}

/// Set on a request whose organization cookie no longer works (the viewer left or was removed,
/// or the organization is gone): [`around`] then clears the cookie on the way out.
#[derive(Debug, Clone, Default)]
struct StaleOrgCookie(Arc<AtomicBool>);

impl StaleOrgCookie {
    fn mark(&self) {
        self.0.store(true, Ordering::Relaxed);
    }

    fn is_marked(&self) -> bool {
        self.0.load(Ordering::Relaxed)
    }
}

/// The viewer of `req`, when its session cookie names a live session, acting in the
/// organization of the switcher's cookie (their personal one when it names none, or one they no
/// longer belong to).
pub(crate) async fn viewer(console: &Console, req: &Request) -> Option<Viewer> {
    let stale = req.extensions().get::<StaleOrgCookie>();
    let mut viewer = viewer_of_token(console, cookie(req, SESSION_COOKIE), cookie(req, ORG_COOKIE), stale).await?;
    viewer.here = page_to_come_back_to(&console.config().base_path(), req);
    Some(viewer)
}

async fn viewer_of_token(
    console: &Console,
    token: Option<String>,
    org: Option<String>,
    stale: Option<&StaleOrgCookie>,
) -> Option<Viewer> {
    let token = token.filter(|t| !t.is_empty())?;
    let core = console.core();
    let principal = core.accounts.authenticate_session(&token).await.ok()?;
    let user = core.accounts.me(&principal).await.ok()?;
    let principal = match org.filter(|slug| !slug.is_empty()) {
        None => principal,
        Some(slug) => match core.orgs.enter(&principal, &slug).await {
            Ok(entered) => entered,
            // Not a member any more, or the organization is gone: their access ended, so the
            // pages fall back to the personal organization, and the cookie goes.
            Err(ServiceError::NotFound { .. }) => {
                if let Some(stale) = stale {
                    stale.mark();
                }
                principal
            }
            Err(e) => {
                tracing::warn!(error = %e, "the organization of the switcher could not be entered");
                principal
            }
        },
    };
    let orgs = core.orgs.list_mine(&principal).await.unwrap_or_else(|e| {
        tracing::warn!(error = %e, "the viewer's organizations could not be listed");
        Vec::new()
    });
    Some(Viewer { principal, token, user, orgs, here: String::new() })
}

/// Where switching organizations on this page comes back to (see [`come_back_to`]). The request's
/// original address is read: nested routes (`/admin`) see theirs without their prefix.
fn page_to_come_back_to(base: &str, req: &Request) -> String {
    let uri = req.original_uri();
    come_back_to(base, req.method() == Method::GET, uri.path(), uri.query())
}

/// Where switching organizations comes back to from `path` (with the base path) and `query`:
/// the page itself when it was a `GET` (without its notice and page number), else the dashboard,
/// as from a job's page (the job belongs to the organization left).
fn come_back_to(base: &str, get: bool, path: &str, query: Option<&str>) -> String {
    let Some(page) = path.strip_prefix(base).filter(|p| p.starts_with('/')) else { return format!("{base}/") };
    if !get || page.starts_with("/jobs/") || page.starts_with("/files/") {
        return format!("{base}/");
    }
    let kept: Vec<(String, String)> = query
        .map(|q| {
            url::form_urlencoded::parse(q.as_bytes())
                .into_owned()
                .filter(|(k, _)| k != "notice" && k != "page")
                .collect::<Vec<_>>()
        })
        .unwrap_or_default();
    if kept.is_empty() {
        return path.to_owned();
    }
    let query = url::form_urlencoded::Serializer::new(String::new()).extend_pairs(kept).finish();
    format!("{path}?{query}")
}

/// The `Set-Cookie` value that makes the pages act in the organization `slug` (HttpOnly,
/// SameSite=Lax, Secure like the session cookie, for every page of the site).
pub(crate) fn org_cookie(console: &Console, slug: &str) -> String {
    org_cookie_line(console, slug, ORG_COOKIE_SECS)
}

/// The `Set-Cookie` value that deletes the organization cookie: back to the personal one.
pub(crate) fn clear_org_cookie(console: &Console) -> String {
    org_cookie_line(console, "", 0)
}

fn org_cookie_line(console: &Console, value: &str, max_age: u64) -> String {
    let base = console.config().base_path();
    let path = if base.is_empty() { "/" } else { base.as_str() };
    let secure = if console.config().secure_cookies { "; Secure" } else { "" };
    format!("{ORG_COOKIE}={value}; Path={path}; Max-Age={max_age}; HttpOnly; SameSite=Lax{secure}")
}

/// Adds a `Set-Cookie` header to `resp` (beside any it has).
pub(crate) fn add_cookie(resp: &mut Response, value: &str) {
    if let Ok(value) = value.parse() {
        resp.headers_mut().append(header::SET_COOKIE, value);
    }
}

/// Whether `resp` already sets the organization cookie.
fn sets_org_cookie(resp: &Response) -> bool {
    let prefix = format!("{ORG_COOKIE}=");
    resp.headers().get_all(header::SET_COOKIE).iter().any(|v| v.to_str().is_ok_and(|v| v.starts_with(&prefix)))
}

/// One of the viewer's organizations in the header's switcher.
#[derive(Debug, Clone)]
pub(crate) struct OrgChoice {
    /// What the switcher posts: the slug, empty for the personal organization.
    pub(crate) value: String,
    pub(crate) name: String,
    pub(crate) current: bool,
}

/// The data the layout needs on every page.
#[derive(Debug, Clone)]
pub(crate) struct Chrome {
    /// The base path, prefixed to every link (empty at the root).
    pub(crate) base: String,
    /// The page title.
    pub(crate) title: String,
    /// The stylesheet's URL.
    pub(crate) css: String,
    /// The script's URL.
    pub(crate) js: String,
    /// The signed-in user's email; empty when anonymous.
    pub(crate) email: String,
    /// The signed-in user's role, as shown.
    pub(crate) role: String,
    /// Whether the admin navigation is shown.
    pub(crate) staff: bool,
    /// Whether this server takes payments: the billing page and its links are shown.
    pub(crate) billing: bool,
    /// The CSRF token forms carry (empty when anonymous).
    pub(crate) csrf: String,
    /// Which navigation entry is current.
    pub(crate) nav: &'static str,
    /// A one-line message at the top of the page (after a redirect).
    pub(crate) notice: String,
    /// The organization the pages act in: its name (empty when anonymous), its slug (empty for
    /// the personal one, as the API's `X-Org-Slug` header is then left out) and whether it is
    /// the personal one.
    pub(crate) org_name: String,
    pub(crate) org_slug: String,
    pub(crate) org_personal: bool,
    /// The viewer's organizations for the header's switcher (empty: no switcher).
    pub(crate) orgs: Vec<OrgChoice>,
    /// Where the switcher comes back to.
    pub(crate) here: String,
}

impl Chrome {
    /// The layout for `viewer` (or an anonymous visitor).
    pub(crate) fn new(console: &Console, viewer: Option<&Viewer>, title: impl Into<String>, nav: &'static str) -> Self {
        let base = console.config().base_path();
        let current = viewer.and_then(Viewer::current_org);
        // The switcher shows once there is something to switch to.
        let orgs = match viewer {
            Some(viewer) if viewer.orgs.len() > 1 => viewer
                .orgs
                .iter()
                .map(|m| OrgChoice {
                    value: if m.org.personal { String::new() } else { m.org.slug.to_string() },
                    name: m.org.name.clone(),
                    current: m.org.id == viewer.principal.org.id,
                })
                .collect(),
            _ => Vec::new(),
        };
        let here = viewer.map_or_else(|| format!("{base}/"), |v| v.here.clone());
        Self {
            css: format!("{base}/static/{}", assets::css_name()),
            js: format!("{base}/static/{}", assets::js_name()),
            base,
            title: title.into(),
            email: viewer.map(|v| v.user.email.clone()).unwrap_or_default(),
            role: viewer.map(|v| v.user.role.to_string()).unwrap_or_default(),
            staff: viewer.is_some_and(Viewer::is_staff),
            billing: viewer.is_some() && console.core().ports.payments.enabled(),
            csrf: viewer.map(Viewer::csrf).unwrap_or_default(),
            nav,
            notice: String::new(),
            org_name: current.map(|m| m.org.name.clone()).unwrap_or_default(),
            org_slug: current.filter(|m| !m.org.personal).map(|m| m.org.slug.to_string()).unwrap_or_default(),
            org_personal: current.is_none_or(|m| m.org.personal),
            here,
            orgs,
        }
    }

    /// The same layout with a notice taken from the `notice` query parameter (set by redirects
    /// after a form post).
    pub(crate) fn with_notice(mut self, req: &Request) -> Self {
        self.notice = query_param(req, "notice").unwrap_or_default();
        self
    }

    /// Whether someone is signed in.
    pub(crate) fn signed_in(&self) -> bool {
        !self.email.is_empty()
    }
}

/// A page: `body` as HTML with `status`, never cached, with the content security policy.
pub(crate) fn html(status: StatusCode, body: String) -> Response {
    html_with(status, body, CSP)
}

fn html_with(status: StatusCode, body: String, csp: &'static str) -> Response {
    Response::builder()
        .status(status)
        .content_type("text/html; charset=utf-8")
        .header(header::CACHE_CONTROL, "no-store")
        .header("content-security-policy", csp)
        .body(body)
}

/// Renders a template into a page.
pub(crate) fn render(status: StatusCode, template: &impl Template) -> Response {
    render_with(status, template, CSP)
}

/// [`render`] for a page whose forms lead to the payment provider's site (see
/// [`CSP_TO_PROVIDER`]).
pub(crate) fn render_to_provider(status: StatusCode, template: &impl Template) -> Response {
    render_with(status, template, CSP_TO_PROVIDER)
}

fn render_with(status: StatusCode, template: &impl Template, csp: &'static str) -> Response {
    match template.render() {
        Ok(body) => html_with(status, body, csp),
        Err(e) => {
            tracing::error!(error = %e, "a page failed to render");
            html(StatusCode::INTERNAL_SERVER_ERROR, "<!doctype html><title>Error</title><p>internal error".into())
        }
    }
}

/// 303 to `to` (a path that already carries the base path): the redirect after a form post.
pub(crate) fn redirect(to: &str) -> Response {
    Response::builder().status(StatusCode::SEE_OTHER).header(header::LOCATION, to).finish()
}

/// 303 to `to` with a notice to show there.
pub(crate) fn redirect_notice(to: &str, notice: &str) -> Response {
    let sep = if to.contains('?') { '&' } else { '?' };
    redirect(&format!("{to}{sep}notice={}", encode(notice)))
}

/// Percent-encodes a query value.
pub(crate) fn encode(value: &str) -> String {
    url::form_urlencoded::byte_serialize(value.as_bytes()).collect()
}

/// The redirect to the login page, coming back to the request's page afterwards.
pub(crate) fn to_login(console: &Console, req: &Request) -> Response {
    let base = console.config().base_path();
    let here = req.uri().path_and_query().map_or("/", |pq| pq.as_str());
    redirect(&format!("{base}/login?next={}", encode(&format!("{base}{here}"))))
}

/// An error page.
#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage {
    chrome: Chrome,
    status: u16,
    heading: String,
    message: String,
}

/// An error page with `status`, a heading and a message.
pub(crate) fn error_page(chrome: Chrome, status: StatusCode, heading: &str, message: &str) -> Response {
    let page = ErrorPage { chrome, status: status.as_u16(), heading: heading.into(), message: message.into() };
    render(status, &page)
}

/// The page for a service error: 404, 403 and the rest each say what happened in words.
pub(crate) fn service_error(chrome: Chrome, error: PublicError) -> Response {
    let heading = match error.status {
        StatusCode::NOT_FOUND => "Not found",
        StatusCode::FORBIDDEN => "Not allowed",
        StatusCode::TOO_MANY_REQUESTS => "Slow down",
        s if s.is_server_error() => "Something went wrong",
        _ => "That did not work",
    };
    error_page(chrome, error.status, heading, &error.message)
}

/// The 403 page of a form post without the session's CSRF token.
pub(crate) fn csrf_refused(chrome: Chrome) -> Response {
    error_page(
        chrome,
        StatusCode::FORBIDDEN,
        "Form expired",
        "This form was not sent by a page of this site for your session (the security token is missing or \
         wrong). Go back, reload the page and try again.",
    )
}

/// Wraps the console: routes that do not exist, or are asked with a method they do not answer,
/// get an HTML page instead of a bare status; an organization cookie found stale on the way
/// (see [`viewer`]) is cleared.
pub(crate) async fn around<E: Endpoint>(ep: Arc<E>, mut req: Request) -> poem::Result<Response> {
    let state = Console::from_request_without_body(&req).await.ok();
    let token = cookie(&req, SESSION_COOKIE);
    let org = cookie(&req, ORG_COOKIE);
    let stale = StaleOrgCookie::default();
    req.extensions_mut().insert(stale.clone());
    let mut resp = match ep.call(req).await {
        Ok(resp) => resp.into_response(),
        Err(err) => {
            let Some(state) = state.as_ref() else { return Err(err) };
            let mut viewer = viewer_of_token(state, token, org, Some(&stale)).await;
            if let Some(viewer) = viewer.as_mut() {
                viewer.here = format!("{}/", state.config().base_path());
            }
            let status = err.status();
            let chrome = Chrome::new(state, viewer.as_ref(), "Not found", "");
            match status {
                StatusCode::NOT_FOUND => error_page(
                    chrome,
                    status,
                    "Page not found",
                    "There is no page at this address. Check the link, or go back to your downloads.",
                ),
                StatusCode::METHOD_NOT_ALLOWED => {
                    error_page(chrome, status, "Not here", "This page cannot be used that way.")
                }
                s if s.is_server_error() => {
                    tracing::error!(error = %err, "a page failed");
                    error_page(chrome, s, "Something went wrong", "The server could not show this page.")
                }
                s => error_page(chrome, s, "That did not work", "The request could not be handled."),
            }
        }
    };
    if stale.is_marked()
        && let Some(state) = state.as_ref()
        && !sets_org_cookie(&resp)
    {
        add_cookie(&mut resp, &clear_org_cookie(state));
    }
    Ok(resp)
}

/// A decoded `application/x-www-form-urlencoded` body.
#[derive(Debug, Default)]
pub(crate) struct FormData(Vec<(String, String)>);

impl FormData {
    /// Parses a form body.
    pub(crate) fn parse(body: &[u8]) -> Self {
        Self(url::form_urlencoded::parse(body).into_owned().collect())
    }

    /// The first value of `name`.
    pub(crate) fn get(&self, name: &str) -> Option<&str> {
        self.0.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
    }

    /// Every value of `name`, in order.
    pub(crate) fn all(&self, name: &str) -> Vec<&str> {
        self.0.iter().filter(|(k, _)| k == name).map(|(_, v)| v.as_str()).collect()
    }

    /// Whether the form carries the session's CSRF token.
    pub(crate) fn csrf_ok(&self, viewer: &Viewer) -> bool {
        self.get("csrf").is_some_and(|token| verify_csrf(&viewer.token, token))
    }
}

/// The value of query parameter `name`.
pub(crate) fn query_param(req: &Request, name: &str) -> Option<String> {
    let query = req.uri().query()?;
    url::form_urlencoded::parse(query.as_bytes()).find(|(k, _)| k == name).map(|(_, v)| v.into_owned())
}

/// `text` with `&`, `<`, `>` and `"` escaped, for markup written by hand (SVG, Atom) rather
/// than through a template.
pub(crate) fn escape_markup(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

/// A size for people: `0 B`, `512 B`, `1.5 KiB`, `3.2 MiB`, `1.1 GiB`.
pub(crate) fn human_size(bytes: u64) -> String {
    const UNITS: [&str; 5] = ["KiB", "MiB", "GiB", "TiB", "PiB"];
    if bytes < 1024 {
        return format!("{bytes} B");
    }
    let mut value = bytes as f64 / 1024.0;
    let mut unit = 0;
    while value >= 1024.0 && unit + 1 < UNITS.len() {
        value /= 1024.0;
        unit += 1;
    }
    if value >= 100.0 { format!("{value:.0} {}", UNITS[unit]) } else { format!("{value:.1} {}", UNITS[unit]) }
}

/// A past time for people, relative to `now`: `just now`, `5 min ago`, `3 h ago`, then the date.
pub(crate) fn ago(time: DateTime<Utc>, now: DateTime<Utc>) -> String {
    let secs = (now - time).num_seconds();
    match secs {
        ..10 => "just now".into(),
        10..3600 => format!("{} min ago", (secs / 60).max(1)),
        3600..86400 => format!("{} h ago", secs / 3600),
        _ => time.format("%Y-%m-%d").to_string(),
    }
}

/// A time as shown in tables' titles: `2026-01-02 15:04 UTC`.
pub(crate) fn exact(time: DateTime<Utc>) -> String {
    time.format("%Y-%m-%d %H:%M UTC").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn switching_organizations_comes_back_to_the_same_page_but_not_to_a_job() {
        assert_eq!(come_back_to("", true, "/usage", None), "/usage");
        assert_eq!(come_back_to("", true, "/", Some("status=queued&notice=Hi&page=3")), "/?status=queued");
        assert_eq!(come_back_to("/ts", true, "/ts/admin/users", Some("q=a+b")), "/ts/admin/users?q=a+b");
        assert_eq!(come_back_to("/ts", true, "/ts/jobs/0191", None), "/ts/");
        assert_eq!(come_back_to("", false, "/orgs/acme/invite", None), "/");
        assert_eq!(come_back_to("/ts", true, "/elsewhere", None), "/ts/");
    }

    #[test]
    fn sizes_read_like_people_write_them() {
        assert_eq!(human_size(0), "0 B");
        assert_eq!(human_size(1023), "1023 B");
        assert_eq!(human_size(1536), "1.5 KiB");
        assert_eq!(human_size(3 * 1024 * 1024 + 17), "3.0 MiB");
        assert_eq!(human_size(500 * 1024 * 1024 * 1024), "500 GiB");
    }

    #[test]
    fn times_read_like_people_say_them() {
        let now = Utc::now();
        assert_eq!(ago(now, now), "just now");
        assert_eq!(ago(now - chrono::Duration::minutes(5), now), "5 min ago");
    }

    #[test]
    fn forms_keep_repeated_fields() {
        let form = FormData::parse(b"id=a&id=b&action=pause&csrf=x%2By");
        assert_eq!(form.all("id"), ["a", "b"]);
        assert_eq!(form.get("csrf"), Some("x+y"));
        assert_eq!(form.get("missing"), None);
    }
}

/// A short name for the browser and system a user agent string names, e.g. "Firefox on
/// Linux"; the raw string when nothing is recognised.
pub(crate) fn device_label(user_agent: Option<&str>) -> String {
    let Some(ua) = user_agent.filter(|ua| !ua.trim().is_empty()) else { return "Unknown device".into() };
    let browser = [
        ("Edg/", "Edge"),
        ("OPR/", "Opera"),
        ("Firefox/", "Firefox"),
        ("Chromium/", "Chromium"),
        ("HeadlessChrome/", "Chrome (headless)"),
        ("Chrome/", "Chrome"),
        ("Safari/", "Safari"),
        ("curl/", "curl"),
        ("python-requests", "Python"),
        ("reqwest", "a Rust program"),
    ]
    .into_iter()
    .find(|(needle, _)| ua.contains(needle))
    .map(|(_, name)| name);
    let system = [
        ("Android", "Android"),
        ("iPhone", "iPhone"),
        ("iPad", "iPad"),
        ("Windows", "Windows"),
        ("Mac OS X", "macOS"),
        ("CrOS", "ChromeOS"),
        ("Linux", "Linux"),
    ]
    .into_iter()
    .find(|(needle, _)| ua.contains(needle))
    .map(|(_, name)| name);
    match (browser, system) {
        (Some(b), Some(s)) => format!("{b} on {s}"),
        (Some(b), None) => b.to_owned(),
        (None, Some(s)) => format!("A browser on {s}"),
        (None, None) => ua.chars().take(60).collect(),
    }
}

#[cfg(test)]
mod device_tests {
    use super::device_label;

    #[test]
    fn devices_are_named_from_their_user_agent() {
        let firefox = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0";
        assert_eq!(device_label(Some(firefox)), "Firefox on Linux");
        let chrome = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) \
                      Chrome/131.0 Safari/537.36";
        assert_eq!(device_label(Some(chrome)), "Chrome on Windows");
        let iphone = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 Safari/604.1";
        assert_eq!(device_label(Some(iphone)), "Safari on iPhone");
        assert_eq!(device_label(Some("curl/8.5.0")), "curl");
        assert_eq!(device_label(None), "Unknown device");
        assert_eq!(device_label(Some("   ")), "Unknown device");
        assert_eq!(device_label(Some("my-script/1")), "my-script/1");
    }
}
