//! Log in, register, log out: the same account service and rate limits as `/api/v1/auth`, with
//! errors shown on the form.

use askama::Template;
use poem::http::{StatusCode, header};
use poem::{Body, IntoResponse, Request, Response, handler};
use tseeder_core::error::ServiceError;
use tseeder_http::console::{Console, PublicError, request_meta};

use crate::page::{
    Chrome, FormData, Viewer, add_cookie, clear_org_cookie, csrf_refused, encode, query_param, redirect,
    redirect_notice, render, service_error, viewer,
};

#[derive(Template)]
#[template(path = "login.html")]
struct LoginPage {
    chrome: Chrome,
    email: String,
    next: String,
    /// `?next=…` for the link to the registration page (empty without `next`).
    next_query: String,
    error: String,
}

#[derive(Template)]
#[template(path = "register.html")]
struct RegisterPage {
    chrome: Chrome,
    email: String,
    /// Where to go once registered and logged in (an invitation link, say).
    next: String,
    /// `?next=…` for the link back to the login page (empty without `next`).
    next_query: String,
    error: String,
}

/// `?next=…` carrying `next` to the login or registration page; empty when there is none.
fn next_query(next: &str) -> String {
    if next.is_empty() { String::new() } else { format!("?next={}", encode(next)) }
}

/// Where to go after logging in: `next` when it is a path of this site (its query string
/// included), else the dashboard.
pub(crate) fn safe_next(base: &str, next: Option<&str>) -> String {
    match next {
        Some(next) if next.starts_with('/') && !next.starts_with("//") && !next.contains('\\') => next.to_owned(),
        _ => format!("{base}/"),
    }
}

/// `GET /login`.
#[handler]
pub(crate) async fn login_page(console: Console, req: &Request) -> Response {
    if viewer(&console, req).await.is_some() {
        return redirect(&format!("{}/", console.config().base_path()));
    }
    let chrome = Chrome::new(&console, None, "Log in", "login").with_notice(req);
    let next = query_param(req, "next").unwrap_or_default();
    let page = LoginPage { chrome, email: String::new(), next_query: next_query(&next), next, error: String::new() };
    render(StatusCode::OK, &page)
}

/// `POST /login`: opens a session and sets the API's session cookie (and clears the
/// organization switcher's).
#[handler]
pub(crate) async fn login(console: Console, req: &Request, body: Body) -> Response {
    let form = FormData::parse(&body.into_vec().await.unwrap_or_default());
    let email = form.get("email").unwrap_or_default().trim().to_owned();
    let next = form.get("next").unwrap_or_default().to_owned();
    let meta = request_meta(req);
    let fail = |status: StatusCode, error: String| {
        let chrome = Chrome::new(&console, None, "Log in", "login");
        let page = LoginPage { chrome, email: email.clone(), next: next.clone(), next_query: next_query(&next), error };
        render(status, &page)
    };
    if let Err(limited) = console.limit_login(meta.ip.as_deref()) {
        return fail(
            StatusCode::TOO_MANY_REQUESTS,
            format!("Too many login attempts from your address. Try again in {} s.", limited.retry_after_secs),
        );
    }
    let password = form.get("password").unwrap_or_default();
    match console.core().accounts.login(&email, password, &meta).await {
        Ok(outcome) => {
            let cookie = console.session_cookie(&outcome.session_token, outcome.expires_at);
            let to =
                safe_next(&console.config().base_path(), Some(&next).filter(|n| !n.is_empty()).map(String::as_str));
            let mut resp = redirect(&to);
            if let Ok(value) = cookie.parse() {
                resp.headers_mut().insert(header::SET_COOKIE, value);
            }
            // Every login starts in the personal organization (a browser someone else used
            // does not keep their choice).
            add_cookie(&mut resp, &clear_org_cookie(&console));
            resp
        }
        Err(ServiceError::BadCredentials) => fail(StatusCode::UNAUTHORIZED, "Wrong email or password.".into()),
        Err(e) => {
            let error = PublicError::from(e);
            fail(error.status, error.message)
        }
    }
}

/// `GET /register` (with `next`: where to go once registered and logged in).
#[handler]
pub(crate) async fn register_page(console: Console, req: &Request) -> Response {
    let chrome = Chrome::new(&console, None, "Register", "register").with_notice(req);
    let next = query_param(req, "next").unwrap_or_default();
    let page = RegisterPage { chrome, email: String::new(), next_query: next_query(&next), next, error: String::new() };
    render(StatusCode::OK, &page)
}

/// `POST /register`: creates the account (which emails a link to confirm the address), then
/// sends the visitor to log in, and from there to `next` when the form carries one.
#[handler]
pub(crate) async fn register(console: Console, req: &Request, body: Body) -> Response {
    let form = FormData::parse(&body.into_vec().await.unwrap_or_default());
    let email = form.get("email").unwrap_or_default().trim().to_owned();
    let next = form.get("next").unwrap_or_default().to_owned();
    let meta = request_meta(req);
    let fail = |status: StatusCode, error: String| {
        let chrome = Chrome::new(&console, None, "Register", "register");
        let page =
            RegisterPage { chrome, email: email.clone(), next: next.clone(), next_query: next_query(&next), error };
        render(status, &page)
    };
    if let Err(limited) = console.limit_register(meta.ip.as_deref()) {
        return fail(
            StatusCode::TOO_MANY_REQUESTS,
            format!("Too many registrations from your address. Try again in {} s.", limited.retry_after_secs),
        );
    }
    match console.core().accounts.register(&email, form.get("password").unwrap_or_default(), &meta).await {
        Ok(user) => {
            let base = console.config().base_path();
            let to = if next.is_empty() {
                format!("{base}/login")
            } else {
                format!("{base}/login{}", next_query(&safe_next(&base, Some(next.as_str()))))
            };
            redirect_notice(
                &to,
                &format!(
                    "Account created for {}. We emailed you a link to confirm the address. Log in to start.",
                    user.email
                ),
            )
        }
        Err(e) => {
            let error = PublicError::from(e);
            fail(error.status, error.message)
        }
    }
}

/// `POST /logout`: revokes the session and clears the cookies. Needs the form's CSRF token.
#[handler]
pub(crate) async fn logout(console: Console, req: &Request, body: Body) -> Response {
    let base = console.config().base_path();
    let Some(viewer) = viewer(&console, req).await else { return redirect(&format!("{base}/login")) };
    let form = FormData::parse(&body.into_vec().await.unwrap_or_default());
    if !form.csrf_ok(&viewer) {
        return csrf_refused(Chrome::new(&console, Some(&viewer), "Form expired", ""));
    }
    if let Err(e) = console.core().accounts.logout(&viewer.principal).await {
        tracing::warn!(error = %e, "logout failed");
    }
    let mut resp = redirect_notice(&format!("{base}/login"), "You are logged out.");
    if let Ok(value) = console.clear_session_cookie().parse() {
        resp.headers_mut().insert(header::SET_COOKIE, value);
    }
    add_cookie(&mut resp, &clear_org_cookie(&console));
    resp.into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn next_only_goes_to_paths_of_this_site() {
        assert_eq!(safe_next("", Some("/jobs/1")), "/jobs/1");
        assert_eq!(safe_next("/ts", Some("//evil.example")), "/ts/");
        assert_eq!(safe_next("", Some("https://evil.example")), "/");
        assert_eq!(safe_next("", None), "/");
    }

    #[test]
    fn next_keeps_the_query_string_of_an_invitation_link() {
        assert_eq!(safe_next("", Some("/invite?token=abc_DEF-123")), "/invite?token=abc_DEF-123");
        assert_eq!(safe_next("/ts", Some("/ts/invite?token=x&notice=hi")), "/ts/invite?token=x&notice=hi");
        assert_eq!(next_query("/invite?token=a"), "?next=%2Finvite%3Ftoken%3Da");
        assert_eq!(next_query(""), "");
    }
}

#[derive(Template)]
#[template(path = "forgot.html")]
struct ForgotPage {
    chrome: Chrome,
    email: String,
    error: String,
    /// The request was taken: say what happens next.
    sent: bool,
    /// Whether this server sends email.
    delivers: bool,
    minutes: u32,
}

#[derive(Template)]
#[template(path = "reset.html")]
struct ResetPage {
    chrome: Chrome,
    token: String,
    error: String,
}

/// `GET /forgot`: the form asking for a reset email.
#[handler]
pub(crate) async fn forgot_page(console: Console) -> Response {
    let chrome = Chrome::new(&console, None, "Forgot your password?", "login");
    let minutes = console.core().config.auth.password_reset_minutes;
    let page = ForgotPage { chrome, email: String::new(), error: String::new(), sent: false, delivers: true, minutes };
    render(StatusCode::OK, &page)
}

/// `POST /forgot`: the same service and limits as `POST /api/v1/auth/password-reset`; the page
/// says the same whether or not an account uses the address.
#[handler]
pub(crate) async fn forgot(console: Console, req: &Request, body: Body) -> Response {
    let form = FormData::parse(&body.into_vec().await.unwrap_or_default());
    let email = form.get("email").unwrap_or_default().trim().to_owned();
    let meta = request_meta(req);
    let chrome = Chrome::new(&console, None, "Forgot your password?", "login");
    let minutes = console.core().config.auth.password_reset_minutes;
    let page = |status: StatusCode, error: String, sent: bool, delivers: bool| {
        let page = ForgotPage { chrome: chrome.clone(), email: email.clone(), error, sent, delivers, minutes };
        render(status, &page)
    };
    if let Err(limited) = console.limit_password_reset(meta.ip.as_deref(), &email) {
        let error = format!("Too many reset requests. Try again in {} min.", limited.retry_after_secs.div_ceil(60));
        return page(StatusCode::TOO_MANY_REQUESTS, error, false, true);
    }
    match console.core().accounts.request_password_reset(&email, &meta).await {
        Ok(delivers) => page(StatusCode::OK, String::new(), true, delivers),
        Err(ServiceError::Invalid { .. }) => {
            page(StatusCode::BAD_REQUEST, "That is not a valid email address.".into(), false, true)
        }
        Err(e) => service_error(chrome.clone(), PublicError::from(e)),
    }
}

/// `GET /reset?token=…`: the new-password form of a reset email's link.
#[handler]
pub(crate) async fn reset_page(console: Console, req: &Request) -> Response {
    let chrome = Chrome::new(&console, None, "Choose a new password", "login");
    let token = query_param(req, "token").unwrap_or_default();
    render(StatusCode::OK, &ResetPage { chrome, token, error: String::new() })
}

/// `POST /reset`: sets the new password (every session ends), then the login page.
#[handler]
pub(crate) async fn reset(console: Console, req: &Request, body: Body) -> Response {
    let form = FormData::parse(&body.into_vec().await.unwrap_or_default());
    let token = form.get("token").unwrap_or_default().to_owned();
    let password = form.get("password").unwrap_or_default();
    let meta = request_meta(req);
    let chrome = Chrome::new(&console, None, "Choose a new password", "login");
    let fail = |status: StatusCode, error: String| {
        render(status, &ResetPage { chrome: chrome.clone(), token: token.clone(), error })
    };
    if password != form.get("confirm").unwrap_or_default() {
        return fail(StatusCode::BAD_REQUEST, "The two passwords differ.".into());
    }
    if let Err(limited) = console.limit_login(meta.ip.as_deref()) {
        return fail(
            StatusCode::TOO_MANY_REQUESTS,
            format!("Too many attempts. Try again in {} s.", limited.retry_after_secs),
        );
    }
    match console.core().accounts.reset_password(&token, password, &meta).await {
        Ok(()) => redirect_notice(
            &format!("{}/login", console.config().base_path()),
            "Your password is changed, and every device was logged out. Log in with the new password.",
        ),
        Err(e @ ServiceError::Invalid { .. }) => fail(StatusCode::BAD_REQUEST, PublicError::from(e).message),
        Err(e) => service_error(chrome.clone(), PublicError::from(e)),
    }
}

#[derive(Template)]
#[template(path = "verify.html")]
struct VerifyPage {
    chrome: Chrome,
    token: String,
    /// The address just confirmed (empty until it is).
    verified: String,
    error: String,
    /// The signed-in viewer's address is already confirmed.
    already: bool,
    /// The login page, coming back to the settings (where a new link is asked for).
    login_href: String,
}

impl VerifyPage {
    fn new(console: &Console, viewer: Option<&Viewer>, token: String) -> Self {
        let chrome = Chrome::new(console, viewer, "Confirm your email address", "");
        let login_href = format!("{}/login?next={}", chrome.base, encode(&format!("{}/settings", chrome.base)));
        Self {
            chrome,
            token,
            verified: String::new(),
            error: String::new(),
            already: viewer.is_some_and(|v| v.user.email_verified_at.is_some()),
            login_href,
        }
    }
}

/// `GET /verify?token=…`: the link of a confirmation email. It only shows a button: mail
/// scanners that open links do not use the token up; the button's post does.
#[handler]
pub(crate) async fn verify_page(console: Console, req: &Request) -> Response {
    let viewer = viewer(&console, req).await;
    let token = query_param(req, "token").unwrap_or_default().trim().to_owned();
    let mut page = VerifyPage::new(&console, viewer.as_ref(), token);
    if page.token.is_empty() {
        page.error = "This page needs the link from the confirmation email.".into();
        return render(StatusCode::BAD_REQUEST, &page);
    }
    render(StatusCode::OK, &page)
}

/// `POST /verify`: confirms the address the token was sent to (signed in or not: the token is
/// the proof), with the account service's `verify_email`, as the API.
#[handler]
pub(crate) async fn verify(console: Console, req: &Request, body: Body) -> Response {
    let form = FormData::parse(&body.into_vec().await.unwrap_or_default());
    let token = form.get("token").unwrap_or_default().trim().to_owned();
    let viewer = viewer(&console, req).await;
    let mut page = VerifyPage::new(&console, viewer.as_ref(), token);
    match console.core().accounts.verify_email(&page.token, &request_meta(req)).await {
        Ok(user) => {
            page.verified = user.email;
            page.already = false;
            render(StatusCode::OK, &page)
        }
        Err(e) => {
            let error = PublicError::from(e);
            if error.status.is_server_error() {
                return service_error(page.chrome, error);
            }
            page.error = error.message;
            render(error.status, &page)
        }
    }
}
