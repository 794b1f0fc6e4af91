//! Remote compute agents ("workers"): their operator-set status, the state they report in
//! heartbeats, and the region they run in.
//!
//! An agent identifies itself with its own id (not a UUID: the operator names it, e.g.
//! `eu-west-1a`), and reports its region, public base URL, version and load every few seconds.
//! The registry keeps the latest report ([`Worker`]) and a history ([`HeartbeatRecord`]).

use std::fmt;
use std::str::FromStr;
use std::time::Duration;

use chrono::{DateTime, TimeDelta, Utc};
use serde::{Deserialize, Serialize};
use url::Url;

/// A worker's status. `healthy` and `offline` follow heartbeats; `draining` and `cordoned` are
/// set by an operator and only an operator clears them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum WorkerStatus {
    /// Takes new work (when its heartbeat is fresh and it has spare capacity).
    Healthy,
    /// Finishes the jobs it runs but takes no new ones (before maintenance).
    Draining,
    /// Takes no new work; set by an operator, for example on a misbehaving machine.
    Cordoned,
    /// Stopped heartbeating and was marked offline; its next heartbeat makes it healthy again.
    Offline,
}

impl WorkerStatus {
    /// Every status, for round-trip tests and CHECK lists.
    pub const ALL: [WorkerStatus; 4] = [Self::Healthy, Self::Draining, Self::Cordoned, Self::Offline];

    /// The stable snake_case name used in storage and the API.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Healthy => "healthy",
            Self::Draining => "draining",
            Self::Cordoned => "cordoned",
            Self::Offline => "offline",
        }
    }

    /// Whether an operator set this status (a heartbeat never changes it).
    pub fn is_operator_set(self) -> bool {
        matches!(self, Self::Draining | Self::Cordoned)
    }

    /// The status after a heartbeat: an `offline` worker that heartbeats is `healthy` again;
    /// every other status (including the operator-set ones) stays.
    pub fn after_heartbeat(self) -> WorkerStatus {
        match self {
            Self::Offline => Self::Healthy,
            other => other,
        }
    }
}

impl fmt::Display for WorkerStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for WorkerStatus {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::ALL.into_iter().find(|v| v.as_str() == s).ok_or_else(|| format!("unknown worker status {s:?}"))
    }
}

/// A region name such as `eu-west` or `us1`: 1 to 32 characters of lowercase ASCII letters,
/// digits and `-`. Regions are free-form labels chosen by the operator; tseeder only compares
/// them for equality.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct RegionCode(String);

/// Why a string is not a [`RegionCode`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("a region is 1 to 32 characters of lowercase letters, digits and `-`")]
pub struct InvalidRegionCode;

impl RegionCode {
    /// Longest accepted region, in characters.
    pub const MAX_LEN: usize = 32;

    /// Parses a region. Uppercase is refused rather than folded, so a region has exactly one
    /// spelling everywhere.
    pub fn parse(s: &str) -> Result<Self, InvalidRegionCode> {
        let valid = !s.is_empty()
            && s.len() <= Self::MAX_LEN
            && s.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
        if valid { Ok(Self(s.to_owned())) } else { Err(InvalidRegionCode) }
    }

    /// The region's text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for RegionCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl FromStr for RegionCode {
    type Err = InvalidRegionCode;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

impl TryFrom<String> for RegionCode {
    type Error = InvalidRegionCode;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        Self::parse(&s)
    }
}

impl From<RegionCode> for String {
    fn from(r: RegionCode) -> Self {
        r.0
    }
}

/// What an agent reports in a heartbeat. The receiving host stamps it with its own clock (agents'
/// clocks are not trusted for freshness), so there is no timestamp here.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Heartbeat {
    /// The agent's id (see [`Heartbeat::validate`] for the allowed form).
    pub worker_id: String,
    /// Where the agent runs.
    pub region: RegionCode,
    /// The agent's public base URL, where the API reaches its own API.
    pub base_url: Url,
    /// The agent's software version.
    pub version: String,
    /// Jobs it runs now.
    pub active_jobs: u32,
    /// Jobs it runs at most (its capacity); 0 means it takes no work.
    pub max_jobs: u32,
    /// Free bytes on its download disk.
    pub disk_free_bytes: u64,
    /// Size of its download disk, in bytes.
    pub disk_total_bytes: u64,
    /// CPU use of the whole machine, 0 to 100.
    pub cpu_pct: f64,
    /// Current transfer rate, bytes per second (download and upload together).
    pub bandwidth_bps: u64,
}

/// Why a heartbeat was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid heartbeat {field}: {reason}")]
pub struct InvalidHeartbeat {
    /// The offending field (camelCase, as on the wire).
    pub field: &'static str,
    /// What is wrong with it.
    pub reason: &'static str,
}

impl Heartbeat {
    /// Longest worker id, in characters.
    pub const MAX_ID_LEN: usize = 64;
    /// Longest version string, in characters.
    pub const MAX_VERSION_LEN: usize = 64;
    /// Largest accepted `activeJobs` and `maxJobs`.
    pub const MAX_JOBS: u32 = 100_000;

    /// Checks what the types cannot: the worker id is 1 to 64 characters of ASCII letters,
    /// digits, `.`, `_` and `-`; the version is 1 to 64 printable ASCII characters; the base URL
    /// is `http` or `https` with a host and no credentials, query or fragment; job counts are at
    /// most [`Heartbeat::MAX_JOBS`]; the CPU figure is a number from 0 to 100. The API calls this
    /// before recording a heartbeat.
    pub fn validate(&self) -> Result<(), InvalidHeartbeat> {
        let fail = |field, reason| Err(InvalidHeartbeat { field, reason });
        if !is_valid_worker_id(&self.worker_id) {
            return fail("workerId", "1 to 64 characters of ASCII letters, digits, `.`, `_` and `-`");
        }
        let version_ok = !self.version.is_empty()
            && self.version.len() <= Self::MAX_VERSION_LEN
            && self.version.bytes().all(|b| b.is_ascii_graphic() || b == b' ');
        if !version_ok {
            return fail("version", "1 to 64 printable ASCII characters");
        }
        let url = &self.base_url;
        if !matches!(url.scheme(), "http" | "https") || url.host_str().is_none_or(str::is_empty) {
            return fail("baseUrl", "an http or https URL with a host");
        }
        if !url.username().is_empty() || url.password().is_some() || url.query().is_some() || url.fragment().is_some() {
            return fail("baseUrl", "no credentials, query or fragment");
        }
        if self.active_jobs > Self::MAX_JOBS {
            return fail("activeJobs", "at most 100000");
        }
        if self.max_jobs > Self::MAX_JOBS {
            return fail("maxJobs", "at most 100000");
        }
        if !(0.0..=100.0).contains(&self.cpu_pct) {
            return fail("cpuPct", "a number from 0 to 100");
        }
        Ok(())
    }
}

/// Whether `id` is a valid worker id: 1 to 64 characters of ASCII letters, digits, `.`, `_` and
/// `-`.
pub fn is_valid_worker_id(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= Heartbeat::MAX_ID_LEN
        && id.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-'))
}

/// A registered worker: its latest heartbeat and its status.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Worker {
    /// The agent's own id.
    pub id: String,
    /// Where it runs.
    pub region: RegionCode,
    /// Its public base URL.
    pub base_url: Url,
    /// Its software version.
    pub version: String,
    /// Operator-set or heartbeat-driven status.
    pub status: WorkerStatus,
    /// Jobs it runs now.
    pub active_jobs: u32,
    /// Jobs it runs at most.
    pub max_jobs: u32,
    /// Free bytes on its download disk.
    pub disk_free_bytes: u64,
    /// Size of its download disk, in bytes.
    pub disk_total_bytes: u64,
    /// CPU use, 0 to 100.
    pub cpu_pct: f64,
    /// Current transfer rate, bytes per second.
    pub bandwidth_bps: u64,
    /// When the registry received its latest heartbeat (the receiving host's clock).
    pub last_heartbeat_at: DateTime<Utc>,
    /// When the registry received its first heartbeat.
    pub registered_at: DateTime<Utc>,
}

impl Worker {
    /// Whether its latest heartbeat is older than `threshold` at `now`. A heartbeat exactly
    /// `threshold` old is still fresh; one stamped after `now` (clock skew between API hosts)
    /// is fresh too.
    pub fn is_stale(&self, now: DateTime<Utc>, threshold: Duration) -> bool {
        let threshold = TimeDelta::from_std(threshold).unwrap_or(TimeDelta::MAX);
        now.signed_duration_since(self.last_heartbeat_at) > threshold
    }

    /// The status operators see at `now`: a healthy worker whose latest heartbeat is older than
    /// `threshold` is offline (it stopped heartbeating); an operator's cordon or drain stays.
    pub fn effective_status(&self, now: DateTime<Utc>, threshold: Duration) -> WorkerStatus {
        match self.status {
            WorkerStatus::Healthy if self.is_stale(now, threshold) => WorkerStatus::Offline,
            status => status,
        }
    }

    /// `active_jobs / max_jobs`, for display and metrics: 0 is idle, 1 is full (more than 1 if
    /// the agent overcommitted). A worker with no capacity (`max_jobs == 0`) counts as full.
    /// Routing compares loads exactly instead of through this float.
    pub fn load_factor(&self) -> f64 {
        if self.max_jobs == 0 { 1.0 } else { f64::from(self.active_jobs) / f64::from(self.max_jobs) }
    }

    /// Whether it can take one more job by its own report (`active_jobs < max_jobs`).
    pub fn has_capacity(&self) -> bool {
        self.active_jobs < self.max_jobs
    }
}

/// One heartbeat in a worker's history.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct HeartbeatRecord {
    /// Whose heartbeat.
    pub worker_id: String,
    /// The worker's status right after this heartbeat.
    pub status: WorkerStatus,
    /// Jobs it ran.
    pub active_jobs: u32,
    /// Its capacity.
    pub max_jobs: u32,
    /// Free bytes on its download disk.
    pub disk_free_bytes: u64,
    /// Size of its download disk, in bytes.
    pub disk_total_bytes: u64,
    /// CPU use, 0 to 100.
    pub cpu_pct: f64,
    /// Transfer rate, bytes per second.
    pub bandwidth_bps: u64,
    /// When it was received.
    pub received_at: DateTime<Utc>,
}

impl HeartbeatRecord {
    /// `history` (newest first, as the registry returns it) with the silences shown: wherever
    /// more than `threshold` passed after a heartbeat before the next one (or before `now`, for
    /// the latest), an `offline` record follows it, stamped `threshold` after it — the moment the
    /// worker was first shown offline — with no jobs, CPU or bandwidth. Statuses an operator set
    /// (cordoned, draining) stay as they are, as in [`Worker::effective_status`].
    pub fn with_silences(
        history: Vec<HeartbeatRecord>,
        now: DateTime<Utc>,
        threshold: Duration,
    ) -> Vec<HeartbeatRecord> {
        let threshold = TimeDelta::from_std(threshold).unwrap_or(TimeDelta::MAX);
        let mut shown = Vec::with_capacity(history.len() + 1);
        let mut next_at = now;
        for record in history {
            let silent = next_at.signed_duration_since(record.received_at) > threshold;
            if silent && !record.status.is_operator_set() {
                shown.push(HeartbeatRecord {
                    status: WorkerStatus::Offline,
                    active_jobs: 0,
                    cpu_pct: 0.0,
                    bandwidth_bps: 0,
                    received_at: record.received_at + threshold,
                    ..record.clone()
                });
            }
            next_at = record.received_at;
            shown.push(record);
        }
        shown
    }
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;

    fn t0() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap()
    }

    fn heartbeat() -> Heartbeat {
        Heartbeat {
            worker_id: "agent-1.eu_a".into(),
            region: RegionCode::parse("eu-west").unwrap(),
            base_url: Url::parse("https://agent1.example.com:8787/tseeder/").unwrap(),
            version: "0.1.0 (abc123)".into(),
            active_jobs: 1,
            max_jobs: 4,
            disk_free_bytes: 10,
            disk_total_bytes: 100,
            cpu_pct: 12.5,
            bandwidth_bps: 1_000,
        }
    }

    fn worker(active: u32, max: u32, last: DateTime<Utc>) -> Worker {
        let hb = heartbeat();
        Worker {
            id: hb.worker_id,
            region: hb.region,
            base_url: hb.base_url,
            version: hb.version,
            status: WorkerStatus::Healthy,
            active_jobs: active,
            max_jobs: max,
            disk_free_bytes: 0,
            disk_total_bytes: 0,
            cpu_pct: 0.0,
            bandwidth_bps: 0,
            last_heartbeat_at: last,
            registered_at: last,
        }
    }

    #[test]
    fn history_shows_an_offline_record_after_each_silence_longer_than_the_threshold() {
        let record = |secs: i64, status: WorkerStatus| HeartbeatRecord {
            worker_id: "agent-1".into(),
            status,
            active_jobs: 2,
            max_jobs: 4,
            disk_free_bytes: 1,
            disk_total_bytes: 2,
            cpu_pct: 50.0,
            bandwidth_bps: 10,
            received_at: t0() + TimeDelta::seconds(secs),
        };
        let threshold = Duration::from_secs(60);
        // Newest first: a 90 s silence between 10 and 100, 60 s exactly between 100 and 160
        // (still fresh), and 100 s since the latest.
        let history = vec![
            record(160, WorkerStatus::Healthy),
            record(100, WorkerStatus::Healthy),
            record(10, WorkerStatus::Healthy),
        ];
        let shown = HeartbeatRecord::with_silences(history.clone(), t0() + TimeDelta::seconds(260), threshold);
        let summary: Vec<(i64, WorkerStatus)> =
            shown.iter().map(|r| ((r.received_at - t0()).num_seconds(), r.status)).collect();
        assert_eq!(
            summary,
            vec![
                (220, WorkerStatus::Offline),
                (160, WorkerStatus::Healthy),
                (100, WorkerStatus::Healthy),
                (70, WorkerStatus::Offline),
                (10, WorkerStatus::Healthy),
            ]
        );
        assert_eq!((shown[0].active_jobs, shown[0].bandwidth_bps, shown[0].max_jobs), (0, 0, 4));
        // Fresh at `now`: nothing added.
        let fresh = HeartbeatRecord::with_silences(history[..1].to_vec(), t0() + TimeDelta::seconds(200), threshold);
        assert_eq!(fresh, history[..1].to_vec());
        // A cordoned worker stays cordoned however long it is silent.
        let cordoned = vec![record(0, WorkerStatus::Cordoned)];
        assert_eq!(HeartbeatRecord::with_silences(cordoned.clone(), t0() + TimeDelta::days(1), threshold), cordoned);
    }

    #[test]
    fn worker_status_names_round_trip() {
        for status in WorkerStatus::ALL {
            assert_eq!(status.as_str().parse::<WorkerStatus>().unwrap(), status);
            assert_eq!(serde_json::to_value(status).unwrap(), status.as_str());
        }
        assert!("HEALTHY".parse::<WorkerStatus>().is_err());
    }

    #[test]
    fn heartbeat_revives_offline_worker_but_keeps_operator_statuses() {
        assert_eq!(WorkerStatus::Offline.after_heartbeat(), WorkerStatus::Healthy);
        assert_eq!(WorkerStatus::Healthy.after_heartbeat(), WorkerStatus::Healthy);
        assert_eq!(WorkerStatus::Cordoned.after_heartbeat(), WorkerStatus::Cordoned);
        assert_eq!(WorkerStatus::Draining.after_heartbeat(), WorkerStatus::Draining);
        assert!(WorkerStatus::Cordoned.is_operator_set() && WorkerStatus::Draining.is_operator_set());
    }

    #[test]
    fn region_code_accepts_lowercase_letters_digits_and_hyphens_only() {
        for ok in ["eu-west", "us1", "a", "-", &"x".repeat(32)] {
            assert_eq!(RegionCode::parse(ok).unwrap().as_str(), ok);
        }
        for bad in ["", "EU-west", "eu_west", "eu west", "é", &"x".repeat(33)] {
            assert_eq!(RegionCode::parse(bad), Err(InvalidRegionCode), "{bad:?}");
        }
        let parsed: RegionCode = serde_json::from_str("\"ap-2\"").unwrap();
        assert_eq!(parsed.to_string(), "ap-2");
        assert!(serde_json::from_str::<RegionCode>("\"AP\"").is_err());
    }

    #[test]
    fn heartbeat_validate_accepts_a_normal_report() {
        heartbeat().validate().unwrap();
        let mut hb = heartbeat();
        hb.base_url = Url::parse("http://10.0.0.7:8787").unwrap();
        hb.cpu_pct = 100.0;
        hb.max_jobs = 0;
        hb.validate().unwrap();
    }

    #[test]
    fn heartbeat_validate_rejects_bad_fields() {
        type Break = fn(&mut Heartbeat);
        let cases: [(&str, Break); 11] = [
            ("workerId", |h| h.worker_id = String::new()),
            ("workerId", |h| h.worker_id = "a/b".into()),
            ("workerId", |h| h.worker_id = "a".repeat(65)),
            ("version", |h| h.version = String::new()),
            ("version", |h| h.version = "1\n2".into()),
            ("baseUrl", |h| h.base_url = Url::parse("ftp://agent/").unwrap()),
            ("baseUrl", |h| h.base_url = Url::parse("https://user:pw@agent/").unwrap()),
            ("baseUrl", |h| h.base_url = Url::parse("https://agent/?token=x").unwrap()),
            ("activeJobs", |h| h.active_jobs = Heartbeat::MAX_JOBS + 1),
            ("maxJobs", |h| h.max_jobs = Heartbeat::MAX_JOBS + 1),
            ("cpuPct", |h| h.cpu_pct = f64::NAN),
        ];
        for (field, break_it) in cases {
            let mut hb = heartbeat();
            break_it(&mut hb);
            assert_eq!(hb.validate().unwrap_err().field, field, "{hb:?}");
        }
        let mut hb = heartbeat();
        hb.cpu_pct = -0.5;
        assert_eq!(hb.validate().unwrap_err().field, "cpuPct");
    }

    #[test]
    fn heartbeat_serializes_in_camel_case() {
        let value = serde_json::to_value(heartbeat()).unwrap();
        assert_eq!(value["workerId"], "agent-1.eu_a");
        assert_eq!(value["baseUrl"], "https://agent1.example.com:8787/tseeder/");
        assert_eq!(serde_json::from_value::<Heartbeat>(value).unwrap(), heartbeat());
    }

    #[test]
    fn worker_is_stale_only_when_older_than_the_threshold() {
        let w = worker(0, 1, t0());
        let threshold = Duration::from_secs(30);
        assert!(!w.is_stale(t0(), threshold));
        assert!(!w.is_stale(t0() + TimeDelta::seconds(30), threshold), "exactly the threshold is fresh");
        assert!(w.is_stale(t0() + TimeDelta::milliseconds(30_001), threshold));
        assert!(!w.is_stale(t0() - TimeDelta::seconds(100), threshold), "a heartbeat from the future is fresh");
        assert!(!w.is_stale(t0() + TimeDelta::days(10_000), Duration::MAX), "a huge threshold never expires");
    }

    #[test]
    fn load_factor_is_active_over_max_and_full_without_capacity() {
        assert_eq!(worker(0, 4, t0()).load_factor(), 0.0);
        assert_eq!(worker(1, 4, t0()).load_factor(), 0.25);
        assert_eq!(worker(5, 4, t0()).load_factor(), 1.25);
        assert_eq!(worker(0, 0, t0()).load_factor(), 1.0);
        assert!(worker(3, 4, t0()).has_capacity());
        assert!(!worker(4, 4, t0()).has_capacity());
        assert!(!worker(0, 0, t0()).has_capacity());
    }
}
