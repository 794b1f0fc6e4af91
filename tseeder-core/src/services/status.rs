//! The public status page: a sampler that probes every component once a minute (once per
//! cluster, through the [`Scheduler`](super::Scheduler)) and records its state, the views the
//! page and the public API read (current states, 90 daily bars, uptime over 24 hours to 90
//! days), and the operators' incidents and maintenance windows.
//!
//! Nothing internal is published: reasons are fixed sentences, never addresses or error texts.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::{Duration as StdDuration, Instant};

use chrono::{DateTime, Duration, NaiveDate, Utc};
use serde::Deserialize;
use serde_json::json;

use super::fleet::FleetService;
use super::scheduler::{Schedule, ScheduledTask};
use super::{Ports, RequestMeta, audit_entry};
use crate::auth::Principal;
use crate::domain::{
    ComponentState, ComponentStatus, Incident, IncidentImpact, IncidentStatus, IncidentUpdate, Maintenance, RegionCode,
    Role, RollupPeriod, StateMinutes, StatusIndicator, UptimeSnapshot, WorkerStatus, uptime_pct,
};
use crate::error::{ErrorCode, Missing, RepoError, ServiceError};

/// The name of the sampler's scheduled task.
pub const SAMPLE_TASK: &str = "status.sample";

/// Settings of the status page (`[status]`).
#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
#[serde(default, deny_unknown_fields)]
pub struct StatusConfig {
    /// Whether the scheduler samples the components.
    pub enabled: bool,
    /// When it samples: a cron expression in UTC; each sample counts as one minute. Default
    /// `* * * * *`, every minute.
    pub schedule: String,
    /// The weight of a partial-outage minute in the uptime formula, in percent (default 30).
    pub partial_outage_weight_pct: u8,
    /// A queued job older than this many seconds makes the queue degraded (default 900).
    pub queue_degraded_secs: u64,
    /// ...and older than this many seconds, a partial outage (default 3600).
    pub queue_outage_secs: u64,
    /// A store probe slower than this many milliseconds makes the store degraded (default 2000).
    pub store_slow_ms: u64,
    /// The page's title (default `tseeder`).
    pub page_name: String,
}

impl Default for StatusConfig {
    fn default() -> Self {
        Self {
            enabled: true,
            schedule: "* * * * *".into(),
            partial_outage_weight_pct: 30,
            queue_degraded_secs: 900,
            queue_outage_secs: 3600,
            store_slow_ms: 2000,
            page_name: "tseeder".into(),
        }
    }
}

impl StatusConfig {
    /// The partial-outage weight as a fraction.
    pub fn partial_weight(&self) -> f64 {
        f64::from(self.partial_outage_weight_pct.min(100)) / 100.0
    }
}

/// The components every installation has, in page order, with their public names.
pub const FIXED_COMPONENTS: [(&str, &str); 4] =
    [("api", "API"), ("database", "Database"), ("object_store", "File storage"), ("queue", "Download queue")];

/// The public name of component `id` (`agents.eu` is "Agents (eu)").
pub fn component_name(id: &str) -> String {
    if let Some((_, name)) = FIXED_COMPONENTS.iter().find(|(c, _)| *c == id) {
        return (*name).to_owned();
    }
    match id.strip_prefix("agents.") {
        Some(region) => format!("Agents ({region})"),
        None => id.to_owned(),
    }
}

/// Uptime over the four windows the page shows, in percent (`None`: no data).
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct UptimeFigures {
    /// The last 24 hours (hourly roll-ups).
    pub h24: Option<f64>,
    /// The last 7 days, today included (daily roll-ups).
    pub d7: Option<f64>,
    /// The last 30 days.
    pub d30: Option<f64>,
    /// The last 90 days.
    pub d90: Option<f64>,
}

/// One day of one component.
#[derive(Debug, Clone, PartialEq)]
pub struct DayBar {
    /// The UTC day.
    pub date: NaiveDate,
    /// Minutes per state that day.
    pub minutes: StateMinutes,
    /// Minutes of the day (so far, for today) with no sample.
    pub no_data: u32,
    /// Its uptime (`None`: no data).
    pub uptime: Option<f64>,
    /// The incidents affecting the component that day.
    pub incidents: Vec<uuid::Uuid>,
    /// The maintenance windows of the component that day.
    pub maintenances: Vec<uuid::Uuid>,
}

/// A component as the page shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct ComponentOverview {
    /// Its id.
    pub id: String,
    /// Its public name.
    pub name: String,
    /// Its latest state (`None`: never sampled).
    pub status: Option<ComponentStatus>,
    /// Uptime over the four windows.
    pub uptime: UptimeFigures,
    /// One bar per day, oldest first.
    pub days: Vec<DayBar>,
}

/// Everything the status page shows.
#[derive(Debug, Clone, PartialEq)]
pub struct StatusOverview {
    /// The page's name.
    pub page_name: String,
    /// When this was computed.
    pub at: DateTime<Utc>,
    /// The overall indicator.
    pub indicator: StatusIndicator,
    /// The components, in page order.
    pub components: Vec<ComponentOverview>,
    /// Uptime of every component together.
    pub overall: UptimeFigures,
    /// Incidents open, or resolved within the days shown, newest first.
    pub incidents: Vec<Incident>,
    /// Maintenance windows in progress or to come, or within the days shown, by start.
    pub maintenances: Vec<Maintenance>,
    /// The partial-outage weight of the formula, as a fraction.
    pub partial_weight: f64,
}

/// What opens an incident.
#[derive(Debug, Clone)]
pub struct NewIncident<'a> {
    /// A short title, 1 to 200 characters.
    pub title: &'a str,
    /// How much it affects users.
    pub impact: IncidentImpact,
    /// The components it affects (known ids).
    pub components: &'a [String],
    /// Its first status (not `resolved`).
    pub status: IncidentStatus,
    /// The first update's text, 1 to 5000 characters.
    pub body: &'a str,
}

/// What schedules a maintenance window.
#[derive(Debug, Clone)]
pub struct NewMaintenance<'a> {
    /// A short title, 1 to 200 characters.
    pub title: &'a str,
    /// What is done, up to 5000 characters.
    pub body: &'a str,
    /// The components under maintenance (known ids, at least one).
    pub components: &'a [String],
    /// When it starts.
    pub starts_at: DateTime<Utc>,
    /// When it ends: after the start and in the future, at most 7 days after the start.
    pub ends_at: DateTime<Utc>,
}

/// The status page's service.
#[derive(Debug, Clone)]
pub struct StatusService {
    ports: Ports,
    fleet: FleetService,
    config: Arc<StatusConfig>,
}

fn invalid(code: ErrorCode, message: impl Into<String>) -> ServiceError {
    ServiceError::invalid(code, message)
}

/// A title or text of `min..=max` characters without control characters (newlines allowed in
/// texts).
fn check_text(value: &str, what: &str, max: usize, multiline: bool, code: ErrorCode) -> Result<String, ServiceError> {
    let value = value.trim();
    let bad = value.chars().any(|c| c.is_control() && !(multiline && matches!(c, '\n' | '\r' | '\t')));
    if value.is_empty() || value.chars().count() > max || bad {
        return Err(invalid(code, format!("{what}: 1 to {max} characters without control characters")));
    }
    Ok(value.to_owned())
}

impl StatusService {
    /// Builds the service.
    pub fn new(ports: Ports, fleet: FleetService, config: StatusConfig) -> Self {
        Self { ports, fleet, config: Arc::new(config) }
    }

    /// The settings in force.
    pub fn config(&self) -> &StatusConfig {
        &self.config
    }

    fn now(&self) -> DateTime<Utc> {
        self.ports.clock.now()
    }

    /// The components of this installation, in page order: the fixed ones, then one per region
    /// with agents.
    pub async fn component_ids(&self) -> Result<Vec<String>, ServiceError> {
        let mut ids: Vec<String> = FIXED_COMPONENTS.iter().map(|(id, _)| (*id).to_owned()).collect();
        let mut regions: Vec<String> =
            self.ports.workers.list_workers().await?.into_iter().map(|w| format!("agents.{}", w.region)).collect();
        regions.sort();
        regions.dedup();
        ids.extend(regions);
        Ok(ids)
    }

    /// The sampler as a scheduled task, when sampling is on. A bad schedule is an error at
    /// start.
    pub fn scheduled_task(&self) -> Result<Option<ScheduledTask>, ServiceError> {
        if !self.config.enabled {
            return Ok(None);
        }
        let schedule = Schedule::parse(&self.config.schedule).map_err(|message| {
            ServiceError::invalid(ErrorCode::InvalidSchedule, format!("status.schedule: {message}"))
        })?;
        let service = self.clone();
        Ok(Some(ScheduledTask {
            name: SAMPLE_TASK.into(),
            schedule,
            run: Arc::new(move |slot| {
                let service = service.clone();
                Box::pin(async move {
                    match service.sample(slot).await {
                        Ok(n) => Ok(format!("{n} components sampled")),
                        Err(e) => Err(e.to_string()),
                    }
                })
            }),
        }))
    }

    /// Probes every component and records one minute of each at `at`. Returns how many were
    /// recorded.
    pub async fn sample(&self, at: DateTime<Utc>) -> Result<usize, ServiceError> {
        let maintenances = self.ports.status.maintenances(at).await?;
        let mut probes: Vec<(String, ComponentState, String)> = vec![
            ("api".into(), ComponentState::Operational, "Answering requests.".into()),
            self.probe_database().await,
            self.probe_store().await,
            self.probe_queue(at).await,
        ];
        probes.extend(self.probe_agents(at).await?);
        let mut recorded = 0;
        for (component, mut state, mut reason) in probes {
            if let Some(window) = maintenances.iter().find(|m| m.covers(at) && m.components.contains(&component)) {
                state = ComponentState::Maintenance;
                reason = format!("Scheduled maintenance: {}.", window.title);
            }
            self.ports.status.record_sample(&component, state, &reason, at).await?;
            recorded += 1;
        }
        Ok(recorded)
    }

    async fn probe_database(&self) -> (String, ComponentState, String) {
        let started = Instant::now();
        let (state, reason) = match self.ports.status.statuses().await {
            Ok(_) if started.elapsed() > StdDuration::from_secs(1) => (ComponentState::Degraded, "Answering slowly."),
            Ok(_) => (ComponentState::Operational, "Answering queries."),
            Err(_) => (ComponentState::MajorOutage, "Not answering."),
        };
        ("database".into(), state, reason.into())
    }

    /// Writes, reads back and deletes a small object.
    async fn probe_store(&self) -> (String, ComponentState, String) {
        let key = format!("status-probe/{}", uuid::Uuid::new_v4());
        let payload = b"tseeder status probe".to_vec();
        let store = Arc::clone(&self.ports.store);
        let started = Instant::now();
        let round_trip = async {
            store.put(&key, Box::new(std::io::Cursor::new(payload.clone()))).await?;
            let size = store.size(&key).await?;
            store.delete(&key).await?;
            Ok::<_, crate::ports::FileStoreError>(size == payload.len() as u64)
        };
        let outcome = tokio::time::timeout(StdDuration::from_secs(10), round_trip).await;
        let (state, reason) = match outcome {
            Ok(Ok(true)) if started.elapsed() > StdDuration::from_millis(self.config.store_slow_ms) => {
                (ComponentState::Degraded, "Storing and serving files slowly.")
            }
            Ok(Ok(true)) => (ComponentState::Operational, "Storing and serving files."),
            Ok(Ok(false)) => (ComponentState::MajorOutage, "Files cannot be stored or read."),
            Ok(Err(_)) | Err(_) => {
                let _ = self.ports.store.delete(&key).await;
                (ComponentState::MajorOutage, "Files cannot be stored or read.")
            }
        };
        ("object_store".into(), state, reason.into())
    }

    /// How long the longest-waiting queued job has waited.
    async fn probe_queue(&self, at: DateTime<Utc>) -> (String, ComponentState, String) {
        let (state, reason) = match super::job::oldest_queued(&*self.ports.jobs).await {
            Err(_) => (ComponentState::MajorOutage, "Cannot be read.".to_owned()),
            Ok(oldest) => {
                let waited = oldest.map_or(0, |j| (at - j.created_at).num_seconds().max(0));
                let waited = u64::try_from(waited).unwrap_or_default();
                if waited > self.config.queue_outage_secs {
                    (ComponentState::PartialOutage, format!("Downloads wait over {} minutes to start.", waited / 60))
                } else if waited > self.config.queue_degraded_secs {
                    (ComponentState::Degraded, format!("Downloads wait {} minutes to start.", waited / 60))
                } else {
                    (ComponentState::Operational, "Downloads start promptly.".to_owned())
                }
            }
        };
        ("queue".into(), state, reason)
    }

    /// One component per region with agents: all healthy and fresh is operational, none is a
    /// major outage, fewer than half a partial outage, else degraded.
    async fn probe_agents(&self, at: DateTime<Utc>) -> Result<Vec<(String, ComponentState, String)>, ServiceError> {
        let stale_after = Duration::from_std(self.fleet.stale_after()).unwrap_or(Duration::seconds(30));
        let mut regions: BTreeMap<RegionCode, (u32, u32)> = BTreeMap::new();
        for worker in self.ports.workers.list_workers().await? {
            let fresh = at - worker.last_heartbeat_at <= stale_after;
            let entry = regions.entry(worker.region.clone()).or_default();
            entry.1 += 1;
            if fresh && worker.status == WorkerStatus::Healthy {
                entry.0 += 1;
            }
        }
        Ok(regions
            .into_iter()
            .map(|(region, (up, all))| {
                let state = if up == all {
                    ComponentState::Operational
                } else if up == 0 {
                    ComponentState::MajorOutage
                } else if up * 2 < all {
                    ComponentState::PartialOutage
                } else {
                    ComponentState::Degraded
                };
                (format!("agents.{region}"), state, format!("{up} of {all} agents available."))
            })
            .collect())
    }

    /// The page: current states, `days` daily bars per component (1 to 90), uptime figures,
    /// incidents and maintenance windows.
    pub async fn overview(&self, days: u32) -> Result<StatusOverview, ServiceError> {
        let days = days.clamp(1, 90);
        let now = self.now();
        let today = RollupPeriod::Day.start_of(now);
        let first_day = today - Duration::days(i64::from(days.max(90)) - 1);
        let shown_from = today - Duration::days(i64::from(days) - 1);
        let hour_from = RollupPeriod::Hour.start_of(now) - Duration::hours(23);
        // Independent reads, side by side.
        let status = &self.ports.status;
        let (day_rows, hour_rows, statuses, incidents, maintenances, mut ids) = tokio::try_join!(
            async { Ok::<_, ServiceError>(status.snapshots(RollupPeriod::Day, first_day).await?) },
            async { Ok(status.snapshots(RollupPeriod::Hour, hour_from).await?) },
            async { Ok(status.statuses().await?) },
            async { Ok(status.incidents(shown_from, 100).await?) },
            async { Ok(status.maintenances(shown_from).await?) },
            self.component_ids(),
        )?;
        for s in &statuses {
            if !ids.contains(&s.component) {
                ids.push(s.component.clone());
            }
        }
        let weight = self.config.partial_weight();
        let by_component = |rows: &[UptimeSnapshot], id: &str| -> BTreeMap<DateTime<Utc>, StateMinutes> {
            rows.iter().filter(|r| r.component == id).map(|r| (r.start, r.minutes)).collect()
        };
        let window = |rows: &BTreeMap<DateTime<Utc>, StateMinutes>, from: DateTime<Utc>| -> StateMinutes {
            rows.range(from..).fold(StateMinutes::default(), |acc, (_, m)| acc.plus(*m))
        };
        let mut overall = [StateMinutes::default(); 4];
        let mut components = Vec::new();
        for id in ids {
            let daily = by_component(&day_rows, &id);
            let hourly = by_component(&hour_rows, &id);
            let sums = [
                window(&hourly, hour_from),
                window(&daily, today - Duration::days(6)),
                window(&daily, today - Duration::days(29)),
                window(&daily, today - Duration::days(89)),
            ];
            for (total, sum) in overall.iter_mut().zip(sums) {
                *total = total.plus(sum);
            }
            let bars = (0..days)
                .map(|i| {
                    let start = shown_from + Duration::days(i64::from(i));
                    let minutes = daily.get(&start).copied().unwrap_or_default();
                    let elapsed = if start == today { (now - today).num_minutes() } else { 1440 };
                    let elapsed = u32::try_from(elapsed.clamp(0, 1440)).unwrap_or(1440);
                    DayBar {
                        date: start.date_naive(),
                        minutes,
                        no_data: elapsed.saturating_sub(minutes.sampled()),
                        uptime: uptime_pct(&minutes, weight),
                        incidents: incidents
                            .iter()
                            .filter(|inc| inc.components.contains(&id) && inc.touches_day(start))
                            .map(|inc| inc.id)
                            .collect(),
                        maintenances: maintenances
                            .iter()
                            .filter(|m| m.components.contains(&id) && m.touches_day(start))
                            .map(|m| m.id)
                            .collect(),
                    }
                })
                .collect();
            components.push(ComponentOverview {
                name: component_name(&id),
                status: statuses.iter().find(|s| s.component == id).cloned(),
                uptime: UptimeFigures {
                    h24: uptime_pct(&sums[0], weight),
                    d7: uptime_pct(&sums[1], weight),
                    d30: uptime_pct(&sums[2], weight),
                    d90: uptime_pct(&sums[3], weight),
                },
                days: bars,
                id,
            });
        }
        let indicator = StatusIndicator::of(components.iter().filter_map(|c| c.status.as_ref().map(|s| s.state)));
        Ok(StatusOverview {
            page_name: self.config.page_name.clone(),
            at: now,
            indicator,
            overall: UptimeFigures {
                h24: uptime_pct(&overall[0], weight),
                d7: uptime_pct(&overall[1], weight),
                d30: uptime_pct(&overall[2], weight),
                d90: uptime_pct(&overall[3], weight),
            },
            components,
            incidents,
            maintenances: maintenances.into_iter().filter(|m| m.ends_at > shown_from).collect(),
            partial_weight: weight,
        })
    }

    async fn check_components(&self, components: &[String], code: ErrorCode) -> Result<Vec<String>, ServiceError> {
        let known = self.component_ids().await?;
        let mut out = Vec::new();
        for c in components {
            let c = c.trim();
            if !known.iter().any(|k| k == c) {
                return Err(invalid(
                    code,
                    format!("components: {c:?} is not a component (known: {})", known.join(", ")),
                ));
            }
            if !out.iter().any(|o: &String| o == c) {
                out.push(c.to_owned());
            }
        }
        Ok(out)
    }

    /// Opens an incident with its first update (admin and above); audited as `incident.created`.
    pub async fn open_incident(
        &self,
        principal: &Principal,
        new: NewIncident<'_>,
        meta: &RequestMeta,
    ) -> Result<Incident, ServiceError> {
        principal.require_staff(Role::Admin)?;
        let code = ErrorCode::InvalidIncident;
        let title = check_text(new.title, "title", 200, false, code)?;
        let body = check_text(new.body, "body", 5000, true, code)?;
        if new.status == IncidentStatus::Resolved {
            return Err(invalid(code, "status: an incident opens as investigating, identified or monitoring"));
        }
        let components = self.check_components(new.components, code).await?;
        let now = self.now();
        let incident = Incident {
            id: uuid::Uuid::new_v4(),
            title,
            impact: new.impact,
            status: new.status,
            components,
            created_at: now,
            resolved_at: None,
            updates: vec![IncidentUpdate { id: uuid::Uuid::new_v4(), status: new.status, body, created_at: now }],
        };
        let audit = audit_entry(
            &self.ports,
            Some(principal.user_id),
            "incident.created",
            "incident",
            Some(incident.id.to_string()),
            json!({ "title": incident.title, "impact": incident.impact.as_str(), "components": incident.components }),
            meta,
        );
        self.ports.status.create_incident(&incident, &audit).await?;
        Ok(incident)
    }

    /// Posts an update (admin and above): the incident takes its status; `resolved` closes it.
    /// Audited as `incident.updated`.
    pub async fn update_incident(
        &self,
        principal: &Principal,
        id: uuid::Uuid,
        status: IncidentStatus,
        body: &str,
        meta: &RequestMeta,
    ) -> Result<Incident, ServiceError> {
        principal.require_staff(Role::Admin)?;
        let body = check_text(body, "body", 5000, true, ErrorCode::InvalidIncident)?;
        let update = IncidentUpdate { id: uuid::Uuid::new_v4(), status, body, created_at: self.now() };
        let audit = audit_entry(
            &self.ports,
            Some(principal.user_id),
            "incident.updated",
            "incident",
            Some(id.to_string()),
            json!({ "status": status.as_str() }),
            meta,
        );
        match self.ports.status.add_incident_update(id, &update, &audit).await {
            Err(RepoError::NotFound) => Err(ServiceError::NotFound { what: Missing::Incident }),
            other => Ok(other?),
        }
    }

    /// Incidents of the last `days` days and every open one, newest first (support and above).
    pub async fn incidents(&self, principal: &Principal, days: u32) -> Result<Vec<Incident>, ServiceError> {
        principal.require_staff(Role::Support)?;
        let from = RollupPeriod::Day.start_of(self.now()) - Duration::days(i64::from(days.clamp(1, 365)) - 1);
        Ok(self.ports.status.incidents(from, 200).await?)
    }

    /// Maintenance windows in progress or to come (support and above).
    pub async fn upcoming_maintenances(&self, principal: &Principal) -> Result<Vec<Maintenance>, ServiceError> {
        principal.require_staff(Role::Support)?;
        Ok(self.ports.status.maintenances(self.now()).await?)
    }

    /// Schedules a maintenance window (admin and above); audited as `maintenance.scheduled`.
    /// While it lasts, its components are sampled as under maintenance, and those minutes are
    /// left out of their uptime.
    pub async fn schedule_maintenance(
        &self,
        principal: &Principal,
        new: NewMaintenance<'_>,
        meta: &RequestMeta,
    ) -> Result<Maintenance, ServiceError> {
        principal.require_staff(Role::Admin)?;
        let code = ErrorCode::InvalidMaintenance;
        let title = check_text(new.title, "title", 200, false, code)?;
        let body =
            if new.body.trim().is_empty() { String::new() } else { check_text(new.body, "body", 5000, true, code)? };
        let components = self.check_components(new.components, code).await?;
        if components.is_empty() {
            return Err(invalid(code, "components: name at least one"));
        }
        let now = self.now();
        if new.ends_at <= new.starts_at || new.ends_at <= now {
            return Err(invalid(code, "the window must end after it starts, in the future"));
        }
        if new.ends_at - new.starts_at > Duration::days(7) {
            return Err(invalid(code, "a maintenance window lasts at most 7 days"));
        }
        let maintenance = Maintenance {
            id: uuid::Uuid::new_v4(),
            title,
            body,
            components,
            starts_at: new.starts_at,
            ends_at: new.ends_at,
            created_at: now,
        };
        let audit = audit_entry(
            &self.ports,
            Some(principal.user_id),
            "maintenance.scheduled",
            "maintenance",
            Some(maintenance.id.to_string()),
            json!({
                "title": maintenance.title,
                "components": maintenance.components,
                "startsAt": maintenance.starts_at,
                "endsAt": maintenance.ends_at,
            }),
            meta,
        );
        self.ports.status.create_maintenance(&maintenance, &audit).await?;
        Ok(maintenance)
    }

    /// Cancels a maintenance window (admin and above); audited as `maintenance.cancelled`.
    pub async fn cancel_maintenance(
        &self,
        principal: &Principal,
        id: uuid::Uuid,
        meta: &RequestMeta,
    ) -> Result<(), ServiceError> {
        principal.require_staff(Role::Admin)?;
        let audit = audit_entry(
            &self.ports,
            Some(principal.user_id),
            "maintenance.cancelled",
            "maintenance",
            Some(id.to_string()),
            json!({}),
            meta,
        );
        match self.ports.status.delete_maintenance(id, &audit).await {
            Err(RepoError::NotFound) => Err(ServiceError::NotFound { what: Missing::Maintenance }),
            other => Ok(other?),
        }
    }
}
