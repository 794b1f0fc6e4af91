//! The agent's own HTTP API: `GET /v1/health` (unauthenticated) and `GET /v1/status` (signed by
//! the API with the shared secret).

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use chrono::Utc;
use poem::http::StatusCode;
use poem::listener::TcpAcceptor;
use poem::web::{Data, Json};
use poem::{Body, EndpointExt, IntoResponse, Request, Response, Route, Server, get, handler};
use serde_json::json;
use tseeder_core::services::agent_auth::{
    DEFAULT_WINDOW, ReplayGuard, SIGNATURE_HEADER, TIMESTAMP_HEADER, parse_timestamp, verify,
};

use super::{AgentConfig, StatsSource, VERSION, build_heartbeat};

/// Largest accepted request body on a signed endpoint.
const MAX_BODY_BYTES: usize = 64 * 1024;

/// How long requests in flight may take to finish after shutdown is asked for.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(10);

/// What the agent's handlers share: its configuration, where its figures come from, and the
/// replay guard for signed requests. Cheap to clone.
#[derive(Debug, Clone)]
pub struct AgentState {
    config: Arc<AgentConfig>,
    stats: Arc<dyn StatsSource>,
    replay: Arc<ReplayGuard>,
}

impl AgentState {
    /// State for `config`, reporting the figures of `stats`, with a fresh replay guard over
    /// [`DEFAULT_WINDOW`] (the API's default signature window).
    pub fn new(config: AgentConfig, stats: Arc<dyn StatsSource>) -> Self {
        let replay = Arc::new(ReplayGuard::new(DEFAULT_WINDOW, ReplayGuard::DEFAULT_CAPACITY));
        Self { config: Arc::new(config), stats, replay }
    }

    /// The configuration.
    pub fn config(&self) -> &AgentConfig {
        &self.config
    }

    /// Checks the API's signature on a request: headers present and well formed, signature
    /// valid for this method, path and body, timestamp in the window, and not seen before.
    fn check(&self, req: &Request, body: &[u8]) -> Result<(), &'static str> {
        let header = |name: &str| req.headers().get(name).and_then(|v| v.to_str().ok());
        let (Some(timestamp), Some(signature)) = (header(TIMESTAMP_HEADER), header(SIGNATURE_HEADER)) else {
            return Err("missing signature headers");
        };
        let timestamp = parse_timestamp(timestamp).map_err(|_| "malformed timestamp")?;
        let path = req.uri().path_and_query().map_or_else(|| req.uri().path(), |p| p.as_str());
        let now = Utc::now();
        let secret = self.config.secret.expose();
        verify(secret, req.method().as_str(), path, timestamp, body, signature, now, DEFAULT_WINDOW)
            .map_err(|_| "invalid signature")?;
        self.replay.check(signature, timestamp, now).map_err(|_| "invalid signature")
    }
}

fn error(http_status: StatusCode, code: &str, message: &str) -> Response {
    (http_status, Json(json!({ "error": { "code": code, "message": message } }))).into_response()
}

/// `GET /v1/health`: unauthenticated liveness and capacity.
#[handler]
fn health(Data(state): Data<&AgentState>) -> Json<serde_json::Value> {
    let stats = state.stats.stats();
    Json(json!({
        "status": "ok",
        "workerId": state.config.worker_id,
        "region": state.config.region,
        "activeJobs": stats.active_jobs,
        "maxJobs": state.config.max_jobs,
        "version": VERSION,
    }))
}

/// `GET /v1/status`: the agent's full report (what its heartbeat carries), for the API only.
#[handler]
async fn status(req: &Request, body: Body, Data(state): Data<&AgentState>) -> Response {
    let body = match body.into_bytes_limit(MAX_BODY_BYTES).await {
        Ok(body) => body,
        Err(_) => return error(StatusCode::PAYLOAD_TOO_LARGE, "body_too_large", "request body too large"),
    };
    if let Err(reason) = state.check(req, &body) {
        tracing::warn!(reason, "signed request refused");
        return error(StatusCode::UNAUTHORIZED, "unauthorized", "a valid signature is required");
    }
    let heartbeat = build_heartbeat(&state.config, state.stats.as_ref());
    Json(json!({ "status": "ok", "worker": heartbeat })).into_response()
}

/// The agent's routes over `state`.
pub fn app(state: AgentState) -> impl poem::Endpoint {
    Route::new().at("/v1/health", get(health)).at("/v1/status", get(status)).data(state)
}

/// Serves the agent's API on `listener` until `shutdown` completes; requests in flight then get
/// a few seconds to finish.
///
/// # Errors
/// When the listener cannot be used or the server fails.
pub async fn serve(
    listener: tokio::net::TcpListener,
    state: AgentState,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    Server::new_with_acceptor(TcpAcceptor::from_tokio(listener)?)
        .run_with_graceful_shutdown(app(state), shutdown, Some(SHUTDOWN_GRACE))
        .await
}
