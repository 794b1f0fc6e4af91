//! The agent's heartbeat figures: its accepted remote jobs and, on Linux, its CPU usage.

use std::sync::{Arc, Mutex, PoisonError};

use super::{AgentJobs, Stats, StatsSource};

/// Busy and total jiffies of the `cpu` line of `/proc/stat`; `None` when it is missing or
/// malformed. Idle time is `idle` plus `iowait`; the total sums the first eight fields.
pub fn parse_proc_stat(text: &str) -> Option<(u64, u64)> {
    let line = text.lines().find(|l| l.split_whitespace().next() == Some("cpu"))?;
    let fields: Vec<u64> = line.split_whitespace().skip(1).take(8).map(|f| f.parse().ok()).collect::<Option<_>>()?;
    if fields.len() < 4 {
        return None;
    }
    let total: u64 = fields.iter().sum();
    let idle = fields[3] + fields.get(4).copied().unwrap_or(0);
    Some((total.saturating_sub(idle), total))
}

/// CPU usage between two `/proc/stat` samples, in percent.
fn usage(before: (u64, u64), now: (u64, u64)) -> f64 {
    let busy = now.0.saturating_sub(before.0);
    let total = now.1.saturating_sub(before.1);
    if total == 0 {
        return 0.0;
    }
    #[allow(clippy::cast_precision_loss, reason = "jiffies fit an f64 well enough for a percentage")]
    let pct = busy as f64 * 100.0 / total as f64;
    pct.clamp(0.0, 100.0)
}

/// An agent's figures: the engine's bandwidth, the larger of the engine's runs and the agent's
/// accepted remote jobs, and CPU usage sampled from `/proc/stat` between two calls (0 on the
/// first call and on platforms without it).
#[derive(Debug)]
pub struct AgentStats {
    engine: Arc<dyn StatsSource>,
    jobs: Arc<AgentJobs>,
    last_cpu: Mutex<Option<(u64, u64)>>,
}

impl AgentStats {
    /// Figures over `engine` and `jobs`.
    pub fn new(engine: Arc<dyn StatsSource>, jobs: Arc<AgentJobs>) -> Self {
        Self { engine, jobs, last_cpu: Mutex::new(None) }
    }

    fn cpu_pct(&self) -> f64 {
        #[cfg(target_os = "linux")]
        {
            let Some(now) = std::fs::read_to_string("/proc/stat").ok().as_deref().and_then(parse_proc_stat) else {
                return 0.0;
            };
            let mut last = self.last_cpu.lock().unwrap_or_else(PoisonError::into_inner);
            let pct = last.map_or(0.0, |before| usage(before, now));
            *last = Some(now);
            pct
        }
        #[cfg(not(target_os = "linux"))]
        {
            let _ = &self.last_cpu;
            0.0
        }
    }
}

impl StatsSource for AgentStats {
    fn stats(&self) -> Stats {
        let engine = self.engine.stats();
        let accepted = u32::try_from(self.jobs.active()).unwrap_or(u32::MAX);
        Stats {
            active_jobs: engine.active_jobs.max(accepted),
            bandwidth_bps: engine.bandwidth_bps,
            cpu_pct: self.cpu_pct(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn proc_stat_is_parsed() {
        let text = "cpu  100 5 50 800 20 3 2 0 0 0\ncpu0 50 2 25 400 10 1 1 0 0 0\nintr 1 2 3\n";
        assert_eq!(parse_proc_stat(text), Some((160, 980)));
        assert_eq!(parse_proc_stat("intr 1 2\n"), None);
        assert_eq!(parse_proc_stat("cpu  1 x 3 4\n"), None);
        assert_eq!(parse_proc_stat("cpu  1 2\n"), None);
    }

    #[test]
    fn usage_is_the_busy_share_between_samples() {
        assert!((usage((160, 980), (210, 1080)) - 50.0).abs() < 1e-9);
        assert!(usage((160, 980), (160, 980)).abs() < 1e-9);
    }
}
