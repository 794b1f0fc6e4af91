//! The agent's own HTTP API: `GET /v1/health` (unauthenticated), and, signed by the API with the
//! shared secret, `GET /v1/status` and the jobs API (`POST /v1/jobs`,
//! `GET /v1/jobs/{id}/events?after=N`, `DELETE /v1/jobs/{id}`).

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use chrono::Utc;
use poem::http::StatusCode;
use poem::listener::TcpAcceptor;
use poem::web::{Data, Json, Path, Query};
use poem::{Body, EndpointExt, IntoResponse, Request, Response, Route, Server, get, handler, post};
use serde_json::json;
use tseeder_core::services::agent_auth::{
    DEFAULT_WINDOW, ReplayGuard, SIGNATURE_HEADER, TIMESTAMP_HEADER, parse_timestamp, verify,
};

use super::jobs::{AgentJobs, StartError};
use super::wire::StartJob;
use super::{AgentConfig, StatsSource, VERSION, build_heartbeat};

/// Longest wait of `GET /v1/jobs/{id}/events` when no event is there yet.
pub const LONG_POLL: Duration = Duration::from_secs(10);

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
    jobs: Option<Arc<AgentJobs>>,
}

impl AgentState {
    /// State for `config`, reporting the figures of `stats`, with a fresh replay guard over
    /// [`DEFAULT_WINDOW`] (the API's default signature window).
    pub fn new(config: AgentConfig, stats: Arc<dyn StatsSource>) -> Self {
        let replay = Arc::new(ReplayGuard::new(DEFAULT_WINDOW, ReplayGuard::DEFAULT_CAPACITY));
        Self { config: Arc::new(config), stats, replay, jobs: None }
    }

    /// This state, also serving the jobs API over `jobs` (without it, `/v1/jobs` answers 503).
    #[must_use]
    pub fn with_jobs(mut self, jobs: Arc<AgentJobs>) -> Self {
        self.jobs = Some(jobs);
        self
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

/// Reads the body and checks the signature; the body's bytes, or the error response.
async fn signed(req: &Request, body: Body, state: &AgentState) -> Result<bytes::Bytes, Response> {
    let body = body
        .into_bytes_limit(MAX_BODY_BYTES)
        .await
        .map_err(|_| error(StatusCode::PAYLOAD_TOO_LARGE, "body_too_large", "request body too large"))?;
    if let Err(reason) = state.check(req, &body) {
        tracing::warn!(reason, "signed request refused");
        return Err(error(StatusCode::UNAUTHORIZED, "unauthorized", "a valid signature is required"));
    }
    Ok(body)
}

fn jobs_disabled() -> Response {
    error(StatusCode::SERVICE_UNAVAILABLE, "jobs_disabled", "this agent does not run jobs")
}

/// `POST /v1/jobs`: starts a job; 202, or 503 `at_capacity`.
#[handler]
async fn start_job(req: &Request, body: Body, Data(state): Data<&AgentState>) -> Response {
    let body = match signed(req, body, state).await {
        Ok(body) => body,
        Err(response) => return response,
    };
    let Some(jobs) = state.jobs.as_ref() else { return jobs_disabled() };
    let request: StartJob = match serde_json::from_slice(&body) {
        Ok(request) => request,
        Err(e) => return error(StatusCode::BAD_REQUEST, "invalid_request", &e.to_string()),
    };
    let job_id = request.job_id;
    match jobs.start(request).await {
        Ok(()) => {
            (StatusCode::ACCEPTED, Json(json!({ "jobId": job_id, "workerId": state.config.worker_id }))).into_response()
        }
        Err(StartError::AtCapacity) => {
            error(StatusCode::SERVICE_UNAVAILABLE, "at_capacity", "the agent runs as many jobs as it can")
        }
        Err(StartError::Invalid(m)) => error(StatusCode::BAD_REQUEST, "invalid_job", &m),
        Err(e @ StartError::Engine(_)) => {
            tracing::warn!(error = %e, "cannot start a job");
            error(StatusCode::INTERNAL_SERVER_ERROR, "engine_error", "the engine could not start the job")
        }
    }
}

#[derive(Debug, serde::Deserialize)]
struct AfterQuery {
    #[serde(default)]
    after: u64,
}

/// `GET /v1/jobs/{id}/events?after=N`: the job's events after `N`, waiting up to
/// [`LONG_POLL`] for one.
#[handler]
async fn job_events(
    req: &Request,
    body: Body,
    Path(id): Path<String>,
    Query(query): Query<AfterQuery>,
    Data(state): Data<&AgentState>,
) -> Response {
    if let Err(response) = signed(req, body, state).await {
        return response;
    }
    let Some(jobs) = state.jobs.as_ref() else { return jobs_disabled() };
    match jobs.events(&id, query.after, LONG_POLL).await {
        Some(page) => Json(page).into_response(),
        None => error(StatusCode::NOT_FOUND, "not_found", "no such job on this agent"),
    }
}

/// `DELETE /v1/jobs/{id}`: stops the job and deletes its local data.
#[handler]
async fn delete_job(req: &Request, body: Body, Path(id): Path<String>, Data(state): Data<&AgentState>) -> Response {
    if let Err(response) = signed(req, body, state).await {
        return response;
    }
    let Some(jobs) = state.jobs.as_ref() else { return jobs_disabled() };
    if jobs.stop(&id).await {
        StatusCode::NO_CONTENT.into_response()
    } else {
        error(StatusCode::NOT_FOUND, "not_found", "no such job on this agent")
    }
}

/// `GET /v1/status`: the agent's full report (what its heartbeat carries), for the API only.
#[handler]
async fn status(req: &Request, body: Body, Data(state): Data<&AgentState>) -> Response {
    if let Err(response) = signed(req, body, state).await {
        return response;
    }
    let heartbeat = build_heartbeat(&state.config, state.stats.as_ref());
    Json(json!({ "status": "ok", "worker": heartbeat })).into_response()
}

/// The agent's routes over `state`.
pub fn app(state: AgentState) -> impl poem::Endpoint {
    Route::new()
        .at("/v1/health", get(health))
        .at("/v1/status", get(status))
        .at("/v1/jobs", post(start_job))
        .at("/v1/jobs/:id/events", get(job_events))
        .at("/v1/jobs/:id", poem::delete(delete_job))
        .data(state)
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
