//! The API's side of remote dispatch: [`RemoteAgentEngine`], a compute engine that runs each job
//! on an agent of the fleet.

use std::collections::VecDeque;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::Duration;

use async_trait::async_trait;
use serde_json::json;
use tokio::io::AsyncRead;
use tseeder_core::domain::{JobSource, SecurityEvent, Severity, TorrentMeta, Worker};
use tseeder_core::ports::{
    AuditLog, Clock, ComputeEngine, ComputeError, EngineEvent, EngineRun, EngineTask, RoutingPolicy, RoutingRequest,
    WorkerRegistry,
};
use tseeder_core::services::agent_auth::{SIGNATURE_HEADER, TIMESTAMP_HEADER, sign};
use url::Url;

use super::Secret;
use super::wire::{EventsPage, JOBS_PATH, StartJob, WireSource};

/// Kind of the security event written when no agent can take a job (once per episode).
pub const NO_WORKER_EVENT: &str = "compute.no_worker_available";

/// How long a start request may take.
const START_TIMEOUT: Duration = Duration::from_secs(10);
/// How long an events request may take (the agent holds it up to its long poll, 10 s).
const POLL_TIMEOUT: Duration = Duration::from_secs(20);
/// Consecutive failures to reach an agent after which its run fails (failover).
const MAX_POLL_FAILURES: u32 = 3;
/// Wait between failed polls: three failures take about ten seconds.
const POLL_RETRY: Duration = Duration::from_secs(3);

/// Runs jobs on remote agents: the registry's workers, ranked by the routing policy; the first
/// candidate that accepts the job runs it. No candidate -> [`ComputeError::Busy`] saying why (the
/// dispatcher retries with backoff) and one [`NO_WORKER_EVENT`] security event per episode (an
/// episode ends when a dispatch succeeds). A run whose agent cannot be reached three times in a
/// row fails, and the dispatcher's retry runs the job elsewhere.
#[derive(Debug)]
pub struct RemoteAgentEngine {
    workers: Arc<dyn WorkerRegistry>,
    policy: Arc<dyn RoutingPolicy>,
    secret: Secret,
    audit: Arc<dyn AuditLog>,
    clock: Arc<dyn Clock>,
    client: reqwest::Client,
    starved: AtomicBool,
}

impl RemoteAgentEngine {
    /// An engine over `workers`, choosing with `policy`, signing with `secret`, recording
    /// security events in `audit`.
    ///
    /// # Errors
    /// When the HTTP client cannot be built.
    pub fn new(
        workers: Arc<dyn WorkerRegistry>,
        policy: Arc<dyn RoutingPolicy>,
        secret: Secret,
        audit: Arc<dyn AuditLog>,
        clock: Arc<dyn Clock>,
    ) -> Result<Self, ComputeError> {
        let client = reqwest::Client::builder().build().map_err(|e| ComputeError::Backend(Box::new(e)))?;
        Ok(Self { workers, policy, secret, audit, clock, client, starved: AtomicBool::new(false) })
    }

    async fn no_worker(&self, job: &EngineTask, reason: &str) -> ComputeError {
        if !self.starved.swap(true, Ordering::SeqCst) {
            let event = SecurityEvent {
                kind: NO_WORKER_EVENT.into(),
                severity: Severity::Warn,
                actor_id: None,
                ip: None,
                payload: json!({ "jobId": job.job_id, "reason": reason }),
                created_at: self.clock.now(),
            };
            if let Err(e) = self.audit.record_security_event(&event).await {
                tracing::error!(error = %e, "cannot record that no worker is available");
            }
        }
        tracing::warn!(reason, "no agent can take the job");
        ComputeError::Busy(reason.to_owned())
    }

    /// Tries to start the job on `worker`; `Ok(true)` when it accepted.
    async fn try_start(&self, worker: &Worker, body: &[u8]) -> Result<bool, String> {
        let url = join(&worker.base_url, JOBS_PATH)?;
        let response = signed(&self.client, &self.secret, &*self.clock, reqwest::Method::POST, &url, body.to_vec())
            .timeout(START_TIMEOUT)
            .send()
            .await
            .map_err(|e| format!("unreachable: {e}"))?;
        let status = response.status();
        if status == reqwest::StatusCode::ACCEPTED || status.is_success() {
            return Ok(true);
        }
        Err(format!("answered {status}"))
    }
}

/// `base` joined with `path`, keeping a path prefix of `base`.
fn join(base: &Url, path: &str) -> Result<Url, String> {
    let mut base = base.clone();
    if !base.path().ends_with('/') {
        let with_slash = format!("{}/", base.path());
        base.set_path(&with_slash);
    }
    base.join(path).map_err(|e| format!("bad agent URL: {e}"))
}

/// A request signed with `secret` over its method, path and query (with a fresh `n` nonce
/// added), timestamp and body.
fn signed(
    client: &reqwest::Client,
    secret: &Secret,
    clock: &dyn Clock,
    method: reqwest::Method,
    url: &Url,
    body: Vec<u8>,
) -> reqwest::RequestBuilder {
    // A nonce keeps two otherwise identical requests in the same second (a poll asked again
    // right after a cancelled one) from looking like a replay to the agent.
    static NONCE: AtomicU64 = AtomicU64::new(0);
    let now = clock.now();
    let nonce = format!("{:x}{:x}", now.timestamp_subsec_nanos(), NONCE.fetch_add(1, Ordering::Relaxed));
    let mut url = url.clone();
    url.query_pairs_mut().append_pair("n", &nonce);
    let path = match url.query() {
        Some(q) => format!("{}?{q}", url.path()),
        None => url.path().to_owned(),
    };
    let timestamp = now.timestamp();
    let signature = sign(secret.expose(), method.as_str(), &path, timestamp, &body);
    let mut request =
        client.request(method, url).header(TIMESTAMP_HEADER, timestamp.to_string()).header(SIGNATURE_HEADER, signature);
    if !body.is_empty() {
        request = request.header(reqwest::header::CONTENT_TYPE, "application/json").body(body);
    }
    request
}

#[async_trait]
impl ComputeEngine for RemoteAgentEngine {
    async fn start(&self, task: EngineTask) -> Result<Box<dyn EngineRun>, ComputeError> {
        let (infohash, source) = match &task.source {
            JobSource::Magnet(m) => (m.infohash(), WireSource::Magnet { magnet_uri: m.as_str().to_owned() }),
            JobSource::Torrent(bytes) => {
                let meta = TorrentMeta::parse(bytes).map_err(|e| ComputeError::Invalid(e.to_string()))?;
                (meta.infohash, WireSource::Torrent { torrent_base64: data_encoding::BASE64.encode(bytes) })
            }
        };
        let body = serde_json::to_vec(&StartJob {
            job_id: task.job_id,
            infohash: infohash.to_hex(),
            source,
            only_files: task.only_files.clone(),
        })
        .map_err(|e| ComputeError::Backend(Box::new(e)))?;
        let workers = self.workers.list_workers().await.map_err(|e| ComputeError::Backend(Box::new(e)))?;
        let request =
            RoutingRequest { job_id: task.job_id, region_hint: task.region_hint.clone(), size_estimate: None };
        let ranked =
            self.policy.rank(&request, &workers, self.clock.now()).map_err(|e| ComputeError::Backend(Box::new(e)))?;
        if ranked.is_empty() {
            let reason = if workers.is_empty() {
                "no agent available"
            } else {
                "every agent is full, stale, cordoned or draining"
            };
            return Err(self.no_worker(&task, reason).await);
        }
        for id in &ranked {
            let Some(worker) = workers.iter().find(|w| &w.id == id) else { continue };
            match self.try_start(worker, &body).await {
                Ok(_) => {
                    self.starved.store(false, Ordering::SeqCst);
                    tracing::info!(worker = %worker.id, "job dispatched to an agent");
                    let events = join(&worker.base_url, &format!("{JOBS_PATH}/{}/events", task.job_id))
                        .map_err(|e| ComputeError::Backend(e.into()))?;
                    let job = join(&worker.base_url, &format!("{JOBS_PATH}/{}", task.job_id))
                        .map_err(|e| ComputeError::Backend(e.into()))?;
                    return Ok(Box::new(RemoteRun {
                        client: self.client.clone(),
                        secret: self.secret.clone(),
                        clock: Arc::clone(&self.clock),
                        worker_id: worker.id.clone(),
                        events_url: events,
                        job_url: job,
                        after: 0,
                        pending: VecDeque::new(),
                        failures: 0,
                        ended: false,
                        terminal: false,
                    }));
                }
                Err(reason) => tracing::warn!(worker = %worker.id, %reason, "agent did not take the job"),
            }
        }
        Err(self.no_worker(&task, "every agent that could take the job refused it or was unreachable").await)
    }
}

/// A job running on an agent, followed by long-polling its events.
#[derive(Debug)]
struct RemoteRun {
    client: reqwest::Client,
    secret: Secret,
    clock: Arc<dyn Clock>,
    worker_id: String,
    events_url: Url,
    job_url: Url,
    after: u64,
    pending: VecDeque<EngineEvent>,
    failures: u32,
    ended: bool,
    /// Whether a `Finished`, `Failed` or `Rejected` was received.
    terminal: bool,
}

impl RemoteRun {
    /// One long poll; `Err` when the agent could not be reached or answered badly.
    async fn poll(&self) -> Result<Option<EventsPage>, String> {
        let mut url = self.events_url.clone();
        url.set_query(Some(&format!("after={}", self.after)));
        let response = signed(&self.client, &self.secret, &*self.clock, reqwest::Method::GET, &url, Vec::new())
            .timeout(POLL_TIMEOUT)
            .send()
            .await
            .map_err(|e| format!("request failed: {e}"))?;
        match response.status() {
            s if s.is_success() => {
                response.json::<EventsPage>().await.map(Some).map_err(|e| format!("bad events page: {e}"))
            }
            reqwest::StatusCode::NOT_FOUND => Ok(None),
            s => Err(format!("answered {s}")),
        }
    }
}

#[async_trait]
impl EngineRun for RemoteRun {
    // Cancel-safe: state changes only after a poll's answer is in hand; a dropped poll is
    // simply asked again.
    async fn next_event(&mut self) -> Option<EngineEvent> {
        loop {
            if let Some(event) = self.pending.pop_front() {
                return Some(event);
            }
            if self.ended {
                return None;
            }
            match self.poll().await {
                Ok(Some(page)) => {
                    self.failures = 0;
                    for e in page.events {
                        if e.seq > self.after {
                            self.after = e.seq;
                            self.terminal |= e.event.is_terminal();
                            let event = match e.event.into_engine() {
                                EngineEvent::Failed(m) => EngineEvent::Failed(format!("agent {}: {m}", self.worker_id)),
                                other => other,
                            };
                            self.pending.push_back(event);
                        }
                    }
                    if page.ended {
                        self.ended = true;
                        if !self.terminal {
                            self.terminal = true;
                            self.pending.push_back(EngineEvent::Failed(format!(
                                "agent {} ended the run without finishing",
                                self.worker_id
                            )));
                        }
                    }
                }
                Ok(None) => {
                    self.ended = true;
                    return Some(EngineEvent::Failed(format!("agent {} no longer has the job", self.worker_id)));
                }
                Err(e) => {
                    self.failures += 1;
                    tracing::warn!(worker = %self.worker_id, error = %e, failures = self.failures, "cannot reach the agent");
                    if self.failures >= MAX_POLL_FAILURES {
                        self.ended = true;
                        return Some(EngineEvent::Failed(format!("agent {} unreachable", self.worker_id)));
                    }
                    tokio::time::sleep(POLL_RETRY).await;
                }
            }
        }
    }

    async fn open_file(&self, _index: usize) -> Result<Box<dyn AsyncRead + Send + Unpin>, ComputeError> {
        Err(ComputeError::Invalid("a remote agent stores its files itself (FileStored)".into()))
    }

    async fn stop(self: Box<Self>) -> Result<(), ComputeError> {
        let request =
            signed(&self.client, &self.secret, &*self.clock, reqwest::Method::DELETE, &self.job_url, Vec::new())
                .timeout(Duration::from_secs(5));
        if let Err(e) = request.send().await {
            tracing::debug!(worker = %self.worker_id, error = %e, "could not tell the agent to stop the job");
        }
        Ok(())
    }

    fn worker_id(&self) -> Option<String> {
        Some(self.worker_id.clone())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tseeder_core::ports::SystemClock;

    fn run_at(base: &str) -> RemoteRun {
        let base = Url::parse(base).unwrap();
        RemoteRun {
            client: reqwest::Client::new(),
            secret: Secret::new("a test secret of at least 32 bytes!!"),
            clock: Arc::new(SystemClock),
            worker_id: "gone-1".into(),
            events_url: join(&base, "v1/jobs/x/events").unwrap(),
            job_url: join(&base, "v1/jobs/x").unwrap(),
            after: 0,
            pending: VecDeque::new(),
            failures: 0,
            ended: false,
            terminal: false,
        }
    }

    #[tokio::test]
    async fn an_unreachable_agent_fails_the_run_after_three_tries() {
        // A port nothing listens on.
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = listener.local_addr().unwrap();
        drop(listener);
        let mut run = run_at(&format!("http://{addr}/"));
        let started = std::time::Instant::now();
        let event = run.next_event().await;
        assert_eq!(event, Some(EngineEvent::Failed("agent gone-1 unreachable".into())));
        assert!(started.elapsed() >= POLL_RETRY * (MAX_POLL_FAILURES - 1));
        assert_eq!(run.next_event().await, None);
        assert_eq!(run.worker_id(), Some("gone-1".into()));
        // Stopping an unreachable run is best effort and does not fail.
        Box::new(run).stop().await.unwrap();
    }

    #[test]
    fn agent_urls_keep_a_path_prefix() {
        let base = Url::parse("https://h/agent").unwrap();
        assert_eq!(join(&base, JOBS_PATH).unwrap().as_str(), "https://h/agent/v1/jobs");
    }
}
