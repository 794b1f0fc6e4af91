//! Observability: the request metrics each API host flushes every minute, and the minute
//! snapshots of the queue and the fleet.
//!
//! Latencies travel between hosts as [`LatencyBuckets`]: counts in logarithmic buckets that add
//! up exactly, so the dashboard's percentiles over several hosts and minutes come from one
//! merged distribution rather than from averaging percentiles (which has no meaning).

use std::collections::BTreeMap;
use std::fmt;

use chrono::{DateTime, Utc};

/// Buckets per doubling of latency: each bucket's upper bound is 2^(1/8) ≈ 1.09 times its lower
/// bound, so a percentile read off the buckets is within 9 % of the true one.
pub const BUCKETS_PER_OCTAVE: u32 = 8;

/// The largest bucket index: latencies are counted up to 2^40 µs (about 12 days).
const MAX_BUCKET: u16 = 40 * BUCKETS_PER_OCTAVE as u16;

/// Request latencies, in microseconds, counted in logarithmic buckets (see
/// [`BUCKETS_PER_OCTAVE`]). Buckets add up across hosts and minutes with [`merge`](Self::merge).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LatencyBuckets {
    /// Bucket index to count; only non-empty buckets are kept.
    counts: BTreeMap<u16, u64>,
}

/// A stored bucket list that does not parse.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid latency buckets: {0}")]
pub struct InvalidBuckets(pub String);

impl LatencyBuckets {
    /// The bucket of a latency of `micros` microseconds (0 counts as 1).
    pub fn index_of(micros: u64) -> u16 {
        let micros = micros.max(1) as f64;
        let index = (micros.log2() * f64::from(BUCKETS_PER_OCTAVE)).floor();
        (index as u16).min(MAX_BUCKET)
    }

    /// The lower bound of bucket `index`, in microseconds.
    pub fn lower_bound(index: u16) -> f64 {
        (f64::from(index) / f64::from(BUCKETS_PER_OCTAVE)).exp2()
    }

    /// Counts `n` requests that took `micros` microseconds.
    pub fn record_n(&mut self, micros: u64, n: u64) {
        if n > 0 {
            *self.counts.entry(Self::index_of(micros)).or_default() += n;
        }
    }

    /// Counts one request that took `micros` microseconds.
    pub fn record(&mut self, micros: u64) {
        self.record_n(micros, 1);
    }

    /// Adds `other`'s counts to these.
    pub fn merge(&mut self, other: &LatencyBuckets) {
        for (&index, &n) in &other.counts {
            *self.counts.entry(index).or_default() += n;
        }
    }

    /// How many latencies were counted.
    pub fn count(&self) -> u64 {
        self.counts.values().sum()
    }

    /// Whether nothing was counted.
    pub fn is_empty(&self) -> bool {
        self.counts.is_empty()
    }

    /// The latency at quantile `q` (0 to 1), in microseconds: the bucket holding the
    /// `ceil(q × count)`-th latency, interpolated geometrically by the rank's position in it.
    /// `None` when nothing was counted.
    pub fn quantile(&self, q: f64) -> Option<u64> {
        let total = self.count();
        if total == 0 {
            return None;
        }
        let rank = ((q.clamp(0.0, 1.0) * total as f64).ceil() as u64).max(1);
        let mut before = 0;
        for (&index, &n) in &self.counts {
            if before + n >= rank {
                let position = (rank - before) as f64 / n as f64;
                let (lower, upper) = (Self::lower_bound(index), Self::lower_bound(index + 1));
                return Some((lower * (upper / lower).powf(position)).round() as u64);
            }
            before += n;
        }
        None
    }

    /// The stored form: `index:count` pairs, comma-separated, by index (`"80:3,88:1"`).
    pub fn encode(&self) -> String {
        let mut out = String::with_capacity(self.counts.len() * 8);
        for (i, (index, n)) in self.counts.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            out.push_str(&format!("{index}:{n}"));
        }
        out
    }

    /// Parses [`encode`](Self::encode)'s form.
    pub fn decode(text: &str) -> Result<Self, InvalidBuckets> {
        let mut counts = BTreeMap::new();
        for pair in text.split(',').filter(|p| !p.is_empty()) {
            let parsed = pair.split_once(':').and_then(|(i, n)| Some((i.parse::<u16>().ok()?, n.parse::<u64>().ok()?)));
            match parsed {
                Some((index, n)) if index <= MAX_BUCKET => *counts.entry(index).or_default() += n,
                _ => return Err(InvalidBuckets(pair.to_owned())),
            }
        }
        counts.retain(|_, n| *n > 0);
        Ok(Self { counts })
    }
}

impl fmt::Display for LatencyBuckets {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.encode())
    }
}

/// One API host's requests of one route and method over one flush interval (a minute by
/// default): a row of `api_metrics`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiMetrics {
    /// The start of the minute the interval began in.
    pub minute: DateTime<Utc>,
    /// The API host that answered (host name and process id).
    pub host: String,
    /// The route template (`/api/v1/jobs/:id`), or `console` for web pages.
    pub route: String,
    /// The HTTP method.
    pub method: String,
    /// Requests answered.
    pub requests: u64,
    /// Of those, answered 4xx.
    pub client_errors: u64,
    /// Of those, answered 5xx.
    pub server_errors: u64,
    /// Median latency, microseconds (from the host's HDR histogram).
    pub p50_us: u64,
    /// 95th percentile latency, microseconds.
    pub p95_us: u64,
    /// 99th percentile latency, microseconds.
    pub p99_us: u64,
    /// The sum of the latencies, microseconds.
    pub total_us: u64,
    /// The latencies, for merging with other rows.
    pub latency: LatencyBuckets,
}

/// The queue and the fleet at one minute: a row of `system_snapshots`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SystemSnapshot {
    /// The minute.
    pub at: DateTime<Utc>,
    /// Job messages ready to run.
    pub queue_ready: u64,
    /// Job messages waiting for a retry delay.
    pub queue_delayed: u64,
    /// Messages in the dead-letter queue.
    pub dead_letters: u64,
    /// How long the oldest queued job had waited, seconds.
    pub oldest_queued_secs: u64,
    /// Jobs the agents ran, from their heartbeats.
    pub active_jobs: u64,
    /// The agents' summed transfer rate, bytes per second, from their heartbeats.
    pub throughput_bps: u64,
    /// Agents healthy with a fresh heartbeat.
    pub agents_up: u32,
    /// Agents known.
    pub agents: u32,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn buckets_round_trip_and_merge() {
        let mut a = LatencyBuckets::default();
        for micros in [1, 1_000, 1_000, 250_000] {
            a.record(micros);
        }
        let decoded = LatencyBuckets::decode(&a.encode()).unwrap();
        assert_eq!(decoded, a);
        let mut b = LatencyBuckets::default();
        b.record_n(1_000, 2);
        b.merge(&a);
        assert_eq!(b.count(), 6);
        assert!(LatencyBuckets::decode("3").is_err());
        assert!(LatencyBuckets::decode("9999:1").is_err());
        assert_eq!(LatencyBuckets::decode("").unwrap(), LatencyBuckets::default());
    }

    #[test]
    fn quantiles_are_within_a_bucket_of_the_truth() {
        let mut buckets = LatencyBuckets::default();
        for ms in 1..=100u64 {
            buckets.record(ms * 1_000);
        }
        for (q, truth) in [(0.5, 50_000.0), (0.95, 95_000.0), (0.99, 99_000.0)] {
            let got = buckets.quantile(q).unwrap() as f64;
            assert!((got / truth - 1.0).abs() < 0.09, "q{q}: {got} vs {truth}");
        }
        assert_eq!(LatencyBuckets::default().quantile(0.5), None);
        // A bucket's values are between its bounds.
        let i = LatencyBuckets::index_of(1_000);
        assert!(LatencyBuckets::lower_bound(i) <= 1_000.0 && 1_000.0 < LatencyBuckets::lower_bound(i + 1));
    }
}
