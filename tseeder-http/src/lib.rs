#![doc = include_str!("../README.md")]
#![recursion_limit = "256"] // the qBittorrent-compatible API's `json!` objects have 60 keys
#![warn(missing_docs)]

mod api;
mod archive;
mod auth;
mod config;
pub mod console;
mod download;
mod dto;
mod envelope;
mod error;
mod live;
mod metrics;
mod mount;
pub mod openapi;
mod qbittorrent;
mod rate_limit;
mod request;
mod state;

/// The time each fuzz target of this crate's tests runs: `TSEEDER_FUZZ_MS`, 2 s by default.
#[cfg(test)]
pub(crate) fn fuzz_budget_ms() -> u64 {
    std::env::var("TSEEDER_FUZZ_MS").ok().and_then(|v| v.parse().ok()).unwrap_or(2_000)
}

use std::sync::Arc;
use std::time::Duration;

use poem::listener::TcpAcceptor;
use poem::middleware::CatchPanic;
use poem::{Endpoint, EndpointExt, Response, Route, Server};

pub use crate::config::{HttpConfig, QbittorrentConfig};
use crate::envelope::Envelope;
pub use crate::state::AppState;
use crate::state::Shared;

/// The HTTP application: the `/api/v1` API, its OpenAPI document at `/api/v1/openapi.json` and
/// (with the `swagger-ui` feature) an API explorer at `/api/v1/docs`.
///
/// Every response, errors included, carries `X-Request-Id` and the security headers; every
/// error has the body `{"error": {"code", "message", "requestId"}}`. Mount it on a
/// [`poem::Server`], or call it directly with `poem::test::TestClient`. Rate limiters live as long
/// as the returned endpoint.
pub fn app(state: AppState) -> impl Endpoint<Output = Response> {
    app_with(state, mount::NoConsole)
}

/// [`app`] with a web console answering every path outside `/api/` (a tseeder-web endpoint).
///
/// The console runs inside the same outer layer as the API (request id, security headers, body
/// limit; its `text/html` error pages pass unchanged) and reaches the same state through
/// [`console::Console`]. Both answer under `http.base_path` as well as at the root, so a reverse
/// proxy may strip the prefix or pass it on.
pub fn app_with<C>(state: AppState, console: C) -> impl Endpoint<Output = Response>
where
    C: Endpoint + 'static,
{
    build(state, console).0
}

/// [`app_with`], and the task flushing its request metrics (when they are on) and the API keys'
/// last uses (inside a Tokio runtime); the task flushes a last time and ends once the app is
/// dropped.
fn build<C>(state: AppState, console: C) -> (impl Endpoint<Output = Response>, Option<tokio::task::JoinHandle<()>>)
where
    C: Endpoint + 'static,
{
    let observability = state.core.config.observability.clone();
    let trust_proxy_headers = state.config.trust_proxy_headers;
    let base_path = state.config.base_path();
    let state_qbittorrent_path = state.config.qbittorrent.path();
    let api = openapi::service();
    let raw = api.spec();
    let spec = openapi::finish(&raw);
    let methods = envelope::MethodTable::from_spec(&spec);
    let metrics = Arc::new(metrics::RequestMetrics::new(base_path.clone(), methods.clone()));
    let runtime = tokio::runtime::Handle::try_current().ok();
    let (flush_stop, flusher) = match runtime {
        Some(runtime) => {
            let (stop, stopped) = tokio::sync::oneshot::channel();
            let flusher = metrics::Flusher::new(Arc::clone(&metrics), state.core.clone());
            // At least once a minute: API keys' last uses wait for it (`LAST_USE_PRECISION`).
            let most = tseeder_core::services::account::LAST_USE_PRECISION.num_seconds().unsigned_abs();
            let every = Duration::from_secs(observability.flush_secs.clamp(1, most));
            (Some(stop), Some(runtime.spawn(flusher.run(every, stopped))))
        }
        None => (None, None),
    };
    let shared = Arc::new(Shared::new(state, Arc::clone(&metrics), flush_stop));
    #[cfg(feature = "swagger-ui")]
    let docs = {
        // The explorer embeds the document; give it the finished one.
        let html = api.swagger_ui_html().replacen(&raw, &spec, 1);
        poem::endpoint::make_sync(move |_| poem::web::Html(html.clone()))
    };
    let route = Route::new().at("/metrics", metrics::endpoint).at(
        "/api/v1/openapi.json",
        poem::endpoint::make_sync(move |_| Response::builder().content_type("application/json").body(spec.clone())),
    );
    #[cfg(feature = "swagger-ui")]
    let route = route.nest("/api/v1/docs", Route::new().at("/", docs));
    let qbittorrent_path = state_qbittorrent_path;
    let route = match &qbittorrent_path {
        Some(path) => route.nest(path.as_str(), qbittorrent::QbittorrentApi),
        None => route,
    };
    let route = route.nest("/", api);
    let mounted = mount::Mount::new(base_path, route, console).with_api_path(qbittorrent_path);
    let envelope = Envelope::new(mounted.with(CatchPanic::new()).data(shared), trust_proxy_headers, methods);
    let envelope = if observability.request_metrics { envelope.with_metrics(metrics) } else { envelope };
    (envelope, flusher)
}

/// Serves [`app`] on `listener` until `shutdown` completes, then gives in-flight requests
/// [`HttpConfig::shutdown_grace_secs`] to finish.
///
/// The caller binds the listener, so tests can bind `127.0.0.1:0` and learn the port before
/// serving.
///
/// # Errors
/// Fails when the listener cannot be used or the server stops with an I/O error.
pub async fn serve(
    listener: tokio::net::TcpListener,
    state: AppState,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    serve_with(listener, state, mount::NoConsole, shutdown).await
}

/// [`serve`] with a web console: serves [`app_with`]`(state, console)`.
///
/// # Errors
/// Fails when the listener cannot be used or the server stops with an I/O error.
pub async fn serve_with<C>(
    listener: tokio::net::TcpListener,
    state: AppState,
    console: C,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()>
where
    C: Endpoint + 'static,
{
    let grace = Duration::from_secs(state.config.shutdown_grace_secs);
    tracing::info!(addr = %listener.local_addr()?, "serving the HTTP API");
    let acceptor = TcpAcceptor::from_tokio(listener)?;
    let (app, flusher) = build(state, console);
    let served = Server::new_with_acceptor(acceptor).run_with_graceful_shutdown(app, shutdown, Some(grace)).await;
    // The app is dropped: its flusher writes the last interval's request metrics and ends.
    if let Some(flusher) = flusher
        && tokio::time::timeout(grace.max(Duration::from_secs(1)), flusher).await.is_err()
    {
        tracing::warn!("the last request metrics were not flushed in time");
    }
    served
}
