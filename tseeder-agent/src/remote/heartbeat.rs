//! The heartbeat loop: a signed `POST {api_url}/api/v1/agent/heartbeat` every interval.

use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use chrono::Utc;
use tokio::task::JoinHandle;
use tokio_util::sync::CancellationToken;
use tseeder_core::domain::Heartbeat;
use tseeder_core::services::agent_auth::{AGENT_HEADER, SIGNATURE_HEADER, TIMESTAMP_HEADER, sign};
use url::Url;

use super::{AgentConfig, StatsSource, VERSION};

/// The API's heartbeat endpoint, relative to `api_url`.
pub const HEARTBEAT_PATH: &str = "api/v1/agent/heartbeat";

/// First wait after a failed heartbeat; it doubles up to the heartbeat interval.
const FIRST_BACKOFF: Duration = Duration::from_millis(250);

/// How long one heartbeat request may take.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(10);

/// A signed request, ready to send.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignedRequest {
    /// The full URL.
    pub url: Url,
    /// The signed path and query, exactly as sent on the wire.
    pub path_and_query: String,
    /// The value of [`TIMESTAMP_HEADER`] (unix seconds).
    pub timestamp: i64,
    /// The value of [`SIGNATURE_HEADER`].
    pub signature: String,
    /// The exact body bytes (JSON).
    pub body: Vec<u8>,
}

/// Free and total bytes of the file system holding `path` (`statvfs`); `(0, 0)` when it cannot
/// be read, or on platforms without `statvfs`.
pub fn disk_usage(path: &Path) -> (u64, u64) {
    #[cfg(unix)]
    {
        match rustix::fs::statvfs(path) {
            Ok(s) => (s.f_bavail.saturating_mul(s.f_frsize), s.f_blocks.saturating_mul(s.f_frsize)),
            Err(e) => {
                tracing::debug!(error = %e, path = %path.display(), "cannot read disk usage");
                (0, 0)
            }
        }
    }
    #[cfg(not(unix))]
    {
        let _ = path;
        (0, 0)
    }
}

/// The heartbeat this agent reports now: its configuration, the disk of its scratch directory
/// and `stats`.
pub fn build_heartbeat(config: &AgentConfig, stats: &dyn StatsSource) -> Heartbeat {
    let stats = stats.stats();
    let (disk_free_bytes, disk_total_bytes) = disk_usage(&config.engine.scratch_dir);
    Heartbeat {
        worker_id: config.worker_id.clone(),
        region: config.region.clone(),
        base_url: config.public_url.clone(),
        version: VERSION.into(),
        active_jobs: stats.active_jobs,
        max_jobs: config.max_jobs,
        disk_free_bytes,
        disk_total_bytes,
        cpu_pct: stats.cpu_pct,
        bandwidth_bps: stats.bandwidth_bps,
    }
}

/// The heartbeat request for `heartbeat`, signed with the config's secret as of `timestamp`.
///
/// # Errors
/// When `api_url` cannot be joined with the heartbeat path.
pub fn signed_heartbeat(config: &AgentConfig, heartbeat: &Heartbeat, timestamp: i64) -> Result<SignedRequest, String> {
    let url = endpoint(&config.api_url, HEARTBEAT_PATH)?;
    let body = serde_json::to_vec(heartbeat).map_err(|e| format!("cannot encode a heartbeat: {e}"))?;
    let path_and_query = match url.query() {
        Some(q) => format!("{}?{q}", url.path()),
        None => url.path().to_owned(),
    };
    let signature = sign(config.secret.expose(), "POST", &path_and_query, timestamp, &body);
    Ok(SignedRequest { url, path_and_query, timestamp, signature, body })
}

/// `base` joined with `path`, keeping any path prefix of `base` (`http://h/tseeder` ->
/// `http://h/tseeder/api/v1/...`).
fn endpoint(base: &Url, path: &str) -> Result<Url, String> {
    let mut base = base.clone();
    if !base.path().ends_with('/') {
        let with_slash = format!("{}/", base.path());
        base.set_path(&with_slash);
    }
    base.join(path).map_err(|e| format!("api_url: {e}"))
}

/// Sends one heartbeat; `Err` describes why it was not accepted.
async fn send_once(client: &reqwest::Client, config: &AgentConfig, stats: &dyn StatsSource) -> Result<(), String> {
    let heartbeat = build_heartbeat(config, stats);
    let request = signed_heartbeat(config, &heartbeat, Utc::now().timestamp())?;
    let response = client
        .post(request.url)
        .header(reqwest::header::CONTENT_TYPE, "application/json")
        .header(TIMESTAMP_HEADER, request.timestamp.to_string())
        .header(SIGNATURE_HEADER, request.signature)
        .header(AGENT_HEADER, &config.worker_id)
        .body(request.body)
        .send()
        .await
        .map_err(|e| format!("request failed: {e}"))?;
    let status = response.status();
    if status.is_success() {
        return Ok(());
    }
    // The API's error body is `{"error": {"code", "message"}}`; its code is enough for a log.
    let code = response
        .json::<serde_json::Value>()
        .await
        .ok()
        .and_then(|v| v["error"]["code"].as_str().map(str::to_owned))
        .unwrap_or_default();
    Err(format!("the API answered {status} {code}"))
}

/// Starts the heartbeat loop: one signed heartbeat right away, then one every
/// `heartbeat_interval_secs`. A failed heartbeat is logged and retried after a backoff that
/// starts at 250 ms and doubles, capped at the interval. The loop ends when `cancel` is
/// cancelled.
pub fn spawn_heartbeats(config: AgentConfig, stats: Arc<dyn StatsSource>, cancel: CancellationToken) -> JoinHandle<()> {
    tokio::spawn(async move {
        let client = match reqwest::Client::builder().timeout(REQUEST_TIMEOUT).build() {
            Ok(client) => client,
            Err(e) => {
                tracing::error!(error = %e, "cannot build the heartbeat HTTP client");
                return;
            }
        };
        let interval = config.heartbeat_interval();
        let mut backoff = FIRST_BACKOFF.min(interval);
        let mut failing = false;
        loop {
            let result = tokio::select! {
                () = cancel.cancelled() => break,
                result = send_once(&client, &config, stats.as_ref()) => result,
            };
            let wait = match result {
                Ok(()) => {
                    if failing {
                        tracing::info!("heartbeats accepted again");
                    }
                    failing = false;
                    backoff = FIRST_BACKOFF.min(interval);
                    interval
                }
                Err(error) => {
                    tracing::warn!(%error, retry_in_ms = backoff.as_millis(), "heartbeat not accepted");
                    failing = true;
                    let wait = backoff;
                    backoff = (backoff * 2).min(interval);
                    wait
                }
            };
            tokio::select! {
                () = cancel.cancelled() => break,
                () = tokio::time::sleep(wait) => {}
            }
        }
        tracing::debug!("heartbeat loop stopped");
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn endpoint_keeps_a_path_prefix() {
        let join = |base: &str| endpoint(&Url::parse(base).unwrap(), HEARTBEAT_PATH).unwrap().to_string();
        assert_eq!(join("http://api:8080"), "http://api:8080/api/v1/agent/heartbeat");
        assert_eq!(join("http://api:8080/"), "http://api:8080/api/v1/agent/heartbeat");
        assert_eq!(join("https://h/tseeder"), "https://h/tseeder/api/v1/agent/heartbeat");
    }
}
