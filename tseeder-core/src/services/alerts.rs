//! Alerts for operators, computed from the live system each time they are asked for (never
//! stored, never made up): failing plugins, agents that stopped heartbeating, regions left with
//! no healthy agent, dead letters piling up, jobs waiting too long in the queue, object storage
//! near its capacity, and scheduled tasks that missed their run.
//!
//! [`AlertService::alerts`] reads the system into a [`HealthReading`]; [`evaluate`] turns a
//! reading into alerts. The rules live in `evaluate` alone, so they are unit-tested on hand-made
//! readings.

use std::collections::BTreeMap;

use chrono::{DateTime, Duration, Utc};
use serde::Deserialize;

use super::Ports;
use super::fleet::{FleetService, FleetWorker};
use super::policy::{PolicyService, plugin_alerts};
use super::scheduler::Schedule;
use crate::auth::Principal;
use crate::domain::{JobId, PageRequest, RegionCode, Role, WorkerStatus};
use crate::error::ServiceError;
use crate::ports::{DeadLetterFilter, PolicyStatus, TaskState};

/// How urgent an [`Alert`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum AlertSeverity {
    /// Worth a look.
    Warning,
    /// Something is broken or degraded now.
    Critical,
}

/// The part of the system an alert is about, which is also the admin page that explains it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum AlertSection {
    /// Policy plugins.
    Plugins,
    /// Remote agents and regions.
    Workers,
    /// The job queue.
    Queue,
    /// The dead-letter queue.
    DeadLetters,
    /// Object storage.
    Storage,
    /// Scheduled tasks (the retention sweep).
    Scheduler,
}

/// Something an operator should look at, computed from the system's state when asked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Alert {
    /// How urgent.
    pub severity: AlertSeverity,
    /// A stable identifier of the condition (`plugin.router.failing`, `workers.stale`,
    /// `region.eu.no_healthy_agent`, `queue.oldest_job`, `dead_letters.growing`,
    /// `storage.capacity`, `scheduler.retention.sweep.missed`).
    pub code: String,
    /// Where to look.
    pub section: AlertSection,
    /// What is wrong, for people.
    pub message: String,
    /// Since when the condition holds (for a plugin, its latest failure or refusal).
    pub since: DateTime<Utc>,
}

/// Thresholds of the alerts (`[alerts]` in the configuration).
#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
#[serde(default, deny_unknown_fields)]
pub struct AlertConfig {
    /// A queued job waiting longer than this many seconds raises `queue.oldest_job`.
    pub queued_job_max_age_secs: u64,
    /// This many dead letters or more within the last hour raise `dead_letters.growing`.
    pub dead_letters_per_hour: u64,
    /// The object store's capacity in bytes; `None` (the default) turns the storage alert off.
    pub storage_capacity_bytes: Option<u64>,
    /// Percentage of `storage_capacity_bytes` in use that raises `storage.capacity` (critical
    /// from 95 %).
    pub storage_warn_pct: u8,
    /// How late a scheduled run may be, in seconds, before it counts as missed.
    pub scheduler_grace_secs: u64,
}

impl Default for AlertConfig {
    fn default() -> Self {
        Self {
            queued_job_max_age_secs: 900,
            dead_letters_per_hour: 1,
            storage_capacity_bytes: None,
            storage_warn_pct: 85,
            scheduler_grace_secs: 900,
        }
    }
}

/// A scheduled task as the alerts see it: its schedule and its row, if it ever ran.
#[derive(Debug, Clone)]
pub struct TaskReading {
    /// The task's name (`retention.sweep`).
    pub name: String,
    /// When it should run.
    pub schedule: Schedule,
    /// Its scheduler row (`None`: it never ran anywhere).
    pub state: Option<TaskState>,
}

/// Everything the alerts are computed from, read at one moment.
#[derive(Debug, Clone)]
pub struct HealthReading {
    /// When it was read.
    pub now: DateTime<Utc>,
    /// How long a heartbeat stays fresh.
    pub stale_after: Duration,
    /// Every known agent.
    pub workers: Vec<FleetWorker>,
    /// Both policies.
    pub plugins: Vec<PolicyStatus>,
    /// The queued job waiting longest, with when it was submitted.
    pub oldest_queued: Option<(JobId, DateTime<Utc>)>,
    /// Messages dead-lettered within the hour before `now`.
    pub dead_letters_last_hour: u64,
    /// Bytes of stored files.
    pub stored_bytes: u64,
    /// The scheduled tasks.
    pub tasks: Vec<TaskReading>,
}

fn human_duration(d: Duration) -> String {
    let secs = d.num_seconds().max(0);
    match secs {
        0..120 => format!("{secs} s"),
        120..7200 => format!("{} min", secs / 60),
        7200..172_800 => format!("{} h", secs / 3600),
        _ => format!("{} days", secs / 86_400),
    }
}

/// The alerts a reading raises, most urgent first (then newest). The one place the alert rules
/// live.
pub fn evaluate(reading: &HealthReading, config: &AlertConfig) -> Vec<Alert> {
    let now = reading.now;
    let mut alerts: Vec<Alert> = plugin_alerts(&reading.plugins, now);

    // Agents that stopped heartbeating: since their heartbeat went stale.
    let stale: Vec<&FleetWorker> = reading.workers.iter().filter(|w| w.stale).collect();
    if !stale.is_empty() {
        let names: Vec<&str> = stale.iter().map(|w| w.worker.id.as_str()).collect();
        let since = stale.iter().map(|w| w.worker.last_heartbeat_at).min().unwrap_or(now) + reading.stale_after;
        alerts.push(Alert {
            severity: AlertSeverity::Warning,
            code: "workers.stale".into(),
            section: AlertSection::Workers,
            message: format!("{} agent(s) stopped heartbeating: {}", names.len(), names.join(", ")),
            since,
        });
    }

    // A region whose agents are all stale, offline, cordoned or draining takes no work.
    let mut regions: BTreeMap<&RegionCode, Vec<&FleetWorker>> = BTreeMap::new();
    for w in &reading.workers {
        regions.entry(&w.worker.region).or_default().push(w);
    }
    for (region, workers) in regions {
        let healthy = workers.iter().any(|w| !w.stale && w.worker.status == WorkerStatus::Healthy);
        if !healthy {
            let since = workers.iter().map(|w| w.worker.last_heartbeat_at).max().unwrap_or(now);
            let since = if workers.iter().all(|w| w.stale) { since + reading.stale_after } else { since };
            alerts.push(Alert {
                severity: AlertSeverity::Critical,
                code: format!("region.{region}.no_healthy_agent"),
                section: AlertSection::Workers,
                message: format!(
                    "region {region} has no healthy agent ({} known, none fresh and taking work): its jobs run \
                     elsewhere or wait",
                    workers.len()
                ),
                since: since.min(now),
            });
        }
    }

    if let Some((job, submitted)) = reading.oldest_queued {
        let age = now - submitted;
        if age > Duration::seconds(config.queued_job_max_age_secs as i64) {
            alerts.push(Alert {
                severity: AlertSeverity::Warning,
                code: "queue.oldest_job".into(),
                section: AlertSection::Queue,
                message: format!("job {job} has waited in the queue for {}", human_duration(age)),
                since: submitted + Duration::seconds(config.queued_job_max_age_secs as i64),
            });
        }
    }

    if config.dead_letters_per_hour > 0 && reading.dead_letters_last_hour >= config.dead_letters_per_hour {
        alerts.push(Alert {
            severity: AlertSeverity::Warning,
            code: "dead_letters.growing".into(),
            section: AlertSection::DeadLetters,
            message: format!("{} job(s) were dead-lettered in the last hour", reading.dead_letters_last_hour),
            since: now - Duration::hours(1),
        });
    }

    if let Some(capacity) = config.storage_capacity_bytes.filter(|&c| c > 0) {
        let pct = reading.stored_bytes as f64 * 100.0 / capacity as f64;
        if pct >= f64::from(config.storage_warn_pct) {
            alerts.push(Alert {
                severity: if pct >= 95.0 { AlertSeverity::Critical } else { AlertSeverity::Warning },
                code: "storage.capacity".into(),
                section: AlertSection::Storage,
                message: format!("object storage is {pct:.0}% full ({} of {capacity} bytes)", reading.stored_bytes),
                since: now,
            });
        }
    }

    let grace = Duration::seconds(config.scheduler_grace_secs as i64);
    for task in &reading.tasks {
        let Some(state) = &task.state else { continue };
        let Some(last) = state.last_slot else { continue };
        let running = state.lease_until.is_some_and(|until| until > now);
        if let Some(due) = task.schedule.next_after(last)
            && due + grace < now
            && !running
        {
            alerts.push(Alert {
                severity: AlertSeverity::Warning,
                code: format!("scheduler.{}.missed", task.name),
                section: AlertSection::Scheduler,
                message: format!(
                    "the scheduled task {} missed its run at {} (is a process with the scheduler running?)",
                    task.name,
                    due.format("%Y-%m-%d %H:%M UTC")
                ),
                since: due,
            });
        }
    }

    alerts.sort_by(|a, b| b.severity.cmp(&a.severity).then_with(|| b.since.cmp(&a.since)));
    alerts
}

/// Reads the system and computes its alerts. Support role and above.
#[derive(Debug, Clone)]
pub struct AlertService {
    ports: Ports,
    policies: PolicyService,
    fleet: FleetService,
    tasks: Vec<(String, Schedule)>,
    queue: String,
    config: AlertConfig,
}

impl AlertService {
    /// Builds the service; `tasks` are the scheduled tasks (name and schedule) to watch.
    pub fn new(
        ports: Ports,
        policies: PolicyService,
        fleet: FleetService,
        tasks: Vec<(String, Schedule)>,
        queue: String,
        config: AlertConfig,
    ) -> Self {
        Self { ports, policies, fleet, tasks, queue, config }
    }

    /// The thresholds in force.
    pub fn config(&self) -> &AlertConfig {
        &self.config
    }

    /// The system as the alerts see it now.
    pub async fn reading(&self, principal: &Principal) -> Result<HealthReading, ServiceError> {
        principal.require_staff(Role::Support)?;
        let now = self.ports.clock.now();
        let workers = self.fleet.list_workers(principal).await?;
        let plugins = self.policies.status(principal)?;
        let oldest_queued = super::job::oldest_queued(&*self.ports.jobs).await?.map(|j| (j.id, j.created_at));
        let recent = DeadLetterFilter { dead_after: Some(now - Duration::hours(1)), ..DeadLetterFilter::default() };
        let dead = self.ports.queue.list_dead_matching(&self.queue, &recent, PageRequest { page: 1, limit: 1 }).await?;
        let stored_bytes = if self.config.storage_capacity_bytes.is_some() {
            self.ports.maintenance.storage_totals().await?.bytes
        } else {
            0
        };
        let states = self.ports.maintenance.task_states().await?;
        let tasks = self
            .tasks
            .iter()
            .map(|(name, schedule)| TaskReading {
                name: name.clone(),
                schedule: schedule.clone(),
                state: states.iter().find(|s| &s.name == name).cloned(),
            })
            .collect();
        Ok(HealthReading {
            now,
            stale_after: Duration::from_std(self.fleet.stale_after()).unwrap_or(Duration::seconds(30)),
            workers,
            plugins,
            oldest_queued,
            dead_letters_last_hour: dead.total,
            stored_bytes,
            tasks,
        })
    }

    /// The alerts of the moment, most urgent first.
    pub async fn alerts(&self, principal: &Principal) -> Result<Vec<Alert>, ServiceError> {
        let reading = self.reading(principal).await?;
        Ok(evaluate(&reading, &self.config))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Worker;
    use crate::ports::PolicyKind;

    fn at(s: &str) -> DateTime<Utc> {
        s.parse().unwrap()
    }

    fn worker(id: &str, region: &str, heartbeat: DateTime<Utc>, now: DateTime<Utc>) -> FleetWorker {
        let worker = Worker {
            id: id.into(),
            region: RegionCode::parse(region).unwrap(),
            base_url: "http://agent.internal:8787/".parse().unwrap(),
            version: "1".into(),
            status: WorkerStatus::Healthy,
            active_jobs: 0,
            max_jobs: 4,
            disk_free_bytes: 0,
            disk_total_bytes: 0,
            cpu_pct: 0.0,
            bandwidth_bps: 0,
            last_heartbeat_at: heartbeat,
            registered_at: heartbeat,
        };
        let stale = now - heartbeat > Duration::seconds(30);
        FleetWorker { load_factor: 0.0, stale, worker }
    }

    fn quiet(now: DateTime<Utc>) -> HealthReading {
        HealthReading {
            now,
            stale_after: Duration::seconds(30),
            workers: Vec::new(),
            plugins: PolicyKind::ALL.iter().map(|&k| PolicyStatus::native(k)).collect(),
            oldest_queued: None,
            dead_letters_last_hour: 0,
            stored_bytes: 0,
            tasks: Vec::new(),
        }
    }

    fn codes(alerts: &[Alert]) -> Vec<&str> {
        alerts.iter().map(|a| a.code.as_str()).collect()
    }

    #[test]
    fn a_healthy_system_raises_nothing() {
        let now = at("2026-12-06T10:00:00Z");
        let mut reading = quiet(now);
        reading.workers = vec![worker("eu-1", "eu", now - Duration::seconds(5), now)];
        reading.oldest_queued = Some((JobId::new(), now - Duration::seconds(899)));
        assert_eq!(evaluate(&reading, &AlertConfig::default()), []);
    }

    #[test]
    fn stale_agents_and_regions_without_a_healthy_one_are_raised_since_they_went_quiet() {
        let now = at("2026-12-06T10:00:00Z");
        let mut reading = quiet(now);
        let quiet_since = now - Duration::minutes(10);
        reading.workers = vec![
            worker("eu-1", "eu", quiet_since, now),
            worker("us-1", "us", now - Duration::seconds(2), now),
            worker("us-2", "us", now - Duration::minutes(3), now),
        ];
        let alerts = evaluate(&reading, &AlertConfig::default());
        assert_eq!(codes(&alerts), ["region.eu.no_healthy_agent", "workers.stale"]);
        assert_eq!(alerts[0].severity, AlertSeverity::Critical);
        assert_eq!(alerts[0].since, quiet_since + Duration::seconds(30));
        assert_eq!(alerts[1].since, quiet_since + Duration::seconds(30), "the oldest silence");
        assert!(alerts[1].message.contains("eu-1") && alerts[1].message.contains("us-2"), "{}", alerts[1].message);

        // A cordoned agent is fresh but takes no work: its region has no healthy agent.
        reading.workers = vec![worker("eu-1", "eu", now, now)];
        reading.workers[0].worker.status = WorkerStatus::Cordoned;
        assert_eq!(codes(&evaluate(&reading, &AlertConfig::default())), ["region.eu.no_healthy_agent"]);
    }

    #[test]
    fn the_queue_dead_letters_and_storage_raise_past_their_thresholds() {
        let now = at("2026-12-06T10:00:00Z");
        let config = AlertConfig { storage_capacity_bytes: Some(1000), ..AlertConfig::default() };
        let mut reading = quiet(now);
        let submitted = now - Duration::minutes(20);
        reading.oldest_queued = Some((JobId::new(), submitted));
        reading.dead_letters_last_hour = 3;
        reading.stored_bytes = 850;
        let alerts = evaluate(&reading, &config);
        // All warnings: newest condition first.
        assert_eq!(codes(&alerts), ["storage.capacity", "queue.oldest_job", "dead_letters.growing"]);
        assert_eq!(alerts[0].severity, AlertSeverity::Warning);
        assert!(alerts[0].message.contains("85%"), "{}", alerts[0].message);
        assert_eq!(alerts[1].since, submitted + Duration::seconds(900));
        assert!(alerts[1].message.contains("20 min"), "{}", alerts[1].message);
        assert!(alerts[2].message.starts_with("3 job(s)"), "{}", alerts[2].message);

        reading.stored_bytes = 960;
        reading.now = now + Duration::minutes(1);
        let alerts = evaluate(&reading, &config);
        assert_eq!((alerts[0].code.as_str(), alerts[0].severity), ("storage.capacity", AlertSeverity::Critical));
        reading.now = now;
        reading.stored_bytes = 849;
        reading.dead_letters_last_hour = 0;
        reading.oldest_queued = None;
        assert_eq!(evaluate(&reading, &config), []);
        reading.stored_bytes = 10_000;
        assert_eq!(evaluate(&reading, &AlertConfig::default()), [], "no capacity configured: no storage alert");
    }

    #[test]
    fn a_scheduled_task_that_missed_its_run_is_raised_unless_it_is_running() {
        let now = at("2026-12-06T10:00:00Z");
        let schedule = Schedule::parse("0 3 * * *").unwrap();
        let state = |last: &str, lease_until: Option<DateTime<Utc>>| TaskState {
            name: "retention.sweep".into(),
            last_slot: Some(at(last)),
            last_started_at: None,
            last_finished_at: None,
            last_outcome: None,
            lease_owner: None,
            lease_until,
        };
        let mut reading = quiet(now);
        let task = |state: Option<TaskState>| TaskReading {
            name: "retention.sweep".into(),
            schedule: schedule.clone(),
            state,
        };
        reading.tasks = vec![task(Some(state("2026-12-06T03:00:00Z", None)))];
        assert_eq!(evaluate(&reading, &AlertConfig::default()), [], "ran today");
        reading.tasks = vec![task(Some(state("2026-12-05T03:00:00Z", None)))];
        let alerts = evaluate(&reading, &AlertConfig::default());
        assert_eq!(codes(&alerts), ["scheduler.retention.sweep.missed"]);
        assert_eq!(alerts[0].since, at("2026-12-06T03:00:00Z"));
        reading.tasks = vec![task(Some(state("2026-12-05T03:00:00Z", Some(now + Duration::minutes(5)))))];
        assert_eq!(evaluate(&reading, &AlertConfig::default()), [], "running now");
        reading.tasks = vec![task(None)];
        assert_eq!(evaluate(&reading, &AlertConfig::default()), [], "never ran: nothing to compare with");
        // Within the grace period it is only late.
        reading.now = at("2026-12-06T03:10:00Z");
        reading.tasks = vec![task(Some(state("2026-12-05T03:00:00Z", None)))];
        assert_eq!(evaluate(&reading, &AlertConfig::default()), []);
    }
}
