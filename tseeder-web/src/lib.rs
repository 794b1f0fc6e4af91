#![doc = include_str!("../README.md")]
#![warn(missing_docs)]

mod add;
mod admin;
mod assets;
mod auth;
mod billing;
mod chart;
mod jobs;
mod orgs;
mod page;
mod settings;
mod status;

use poem::{Endpoint, EndpointExt, Response, Route, get, post};

/// The console's routes, relative to the site's root (the HTTP host takes `http.base_path` off
/// before they are matched; every link the pages make starts with it again). Mount it with
/// [`tseeder_http::app_with`], or use [`app`] / [`serve`].
pub fn console() -> impl Endpoint<Output = Response> {
    Route::new()
        .at("/", get(jobs::dashboard))
        .at("/login", get(auth::login_page).post(auth::login))
        .at("/register", get(auth::register_page).post(auth::register))
        .at("/forgot", get(auth::forgot_page).post(auth::forgot))
        .at("/reset", get(auth::reset_page).post(auth::reset))
        .at("/verify", get(auth::verify_page).post(auth::verify))
        .at("/logout", post(auth::logout))
        .at("/add", get(add::add_page))
        .at("/add/preview", post(add::show_preview))
        .at("/add/submit", post(add::submit))
        .at("/jobs/bulk", post(jobs::bulk))
        .at("/jobs/:id", get(jobs::job_page))
        .at("/jobs/:id/action", post(jobs::job_action))
        .at("/jobs/:id/rename", post(jobs::rename))
        .at("/jobs/:id/playlist.m3u", get(jobs::playlist))
        .at("/files/:id/link", post(jobs::signed_link))
        .at("/usage", get(settings::usage_page))
        .at("/billing", get(billing::billing_page))
        .at("/billing/checkout", post(billing::checkout))
        .at("/billing/portal", post(billing::portal))
        .at("/settings", get(settings::settings_page))
        .at("/settings/keys", post(settings::create_key))
        .at("/settings/keys/:id/revoke", post(settings::revoke_key))
        .at("/settings/region", post(settings::set_region))
        .at("/settings/password", post(settings::change_password))
        .at("/settings/sessions/:id/revoke", post(settings::revoke_session))
        .at("/settings/verify-email", post(settings::resend_verification))
        .at("/orgs", get(orgs::list_page).post(orgs::create))
        .at("/orgs/switch", get(orgs::switch_page).post(orgs::switch))
        .at("/orgs/:slug", get(orgs::org_page))
        .at("/orgs/:slug/:action", post(orgs::act))
        .at("/orgs/:slug/members/:user/:action", post(orgs::member_act))
        .at("/orgs/:slug/invites/:id/:action", post(orgs::invite_act))
        .at("/invite", get(orgs::invite_page).post(orgs::accept))
        .at("/status", get(status::page))
        .at("/status/badge/:file", get(status::badge_svg))
        .at("/status/incidents.atom", get(status::feed))
        .nest("/admin", admin::routes())
        .at("/static/:name", get(assets::serve))
        .around(page::around)
}

/// The whole site: the API of [`tseeder_http::app`] under `/api/` and this console everywhere
/// else, sharing one state.
pub fn app(state: tseeder_http::AppState) -> impl Endpoint<Output = Response> {
    tseeder_http::app_with(state, console())
}

/// Serves [`app`] on `listener` until `shutdown` completes (see [`tseeder_http::serve`]).
///
/// # Errors
/// Fails when the listener cannot be used or the server stops with an I/O error.
pub async fn serve(
    listener: tokio::net::TcpListener,
    state: tseeder_http::AppState,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    tseeder_http::serve_with(listener, state, console(), shutdown).await
}
