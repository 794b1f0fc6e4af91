//! [`Scheduler`]: periodic tasks on cron schedules, each scheduled run executed once across a
//! cluster of processes sharing one database.
//!
//! Every process may run a scheduler. When a task's time comes, each one computes the same slot
//! (the scheduled time) and asks the maintenance repository for that slot's lease; the lease is
//! a conditional update of the task's row, so exactly one process wins and runs it, and the
//! others skip. A process that dies mid-run leaves a lease that expires after
//! `scheduler.lease_secs`. Runs missed while no process was up are not caught up: the next
//! scheduled time runs as usual.

use std::collections::HashMap;
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, TimeDelta, Utc};
use tokio_util::sync::CancellationToken;

use super::Ports;
use crate::config::SchedulerConfig;

/// A cron schedule in UTC: five fields (minute, hour, day of month, month, day of week), or
/// six with seconds first. Parsed by the `croner` crate (POSIX/Vixie semantics).
#[derive(Clone)]
pub struct Schedule {
    cron: croner::Cron,
    expression: String,
}

impl fmt::Debug for Schedule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("Schedule").field(&self.expression).finish()
    }
}

impl Schedule {
    /// Parses `expression`; the error says what is wrong with it.
    pub fn parse(expression: &str) -> Result<Self, String> {
        let cron = croner::parser::CronParser::new()
            .parse(expression.trim())
            .map_err(|e| format!("invalid cron expression {expression:?}: {e}"))?;
        Ok(Self { cron, expression: expression.trim().to_owned() })
    }

    /// The expression as written.
    pub fn expression(&self) -> &str {
        &self.expression
    }

    /// The first scheduled time strictly after `after`.
    pub fn next_after(&self, after: DateTime<Utc>) -> Option<DateTime<Utc>> {
        self.cron.find_next_occurrence(&after, false).ok()
    }
}

/// The future a task run returns: `Ok(summary)` or `Err(reason)`, both recorded on the task's
/// row.
pub type TaskRun = Pin<Box<dyn Future<Output = Result<String, String>> + Send>>;

/// One periodic task.
#[derive(Clone)]
pub struct ScheduledTask {
    /// A stable name, the key of its lease row (`retention.sweep`).
    pub name: String,
    /// When it runs.
    pub schedule: Schedule,
    /// Starts one run, given its slot (the scheduled time).
    pub run: Arc<dyn Fn(DateTime<Utc>) -> TaskRun + Send + Sync>,
}

impl fmt::Debug for ScheduledTask {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ScheduledTask").field("name", &self.name).field("schedule", &self.schedule).finish()
    }
}

/// Runs [`ScheduledTask`]s on their schedules, once per slot across every process sharing the
/// database.
#[derive(Debug)]
pub struct Scheduler {
    ports: Ports,
    config: SchedulerConfig,
    owner: String,
    tasks: Vec<ScheduledTask>,
}

impl Scheduler {
    /// A scheduler with no tasks yet. Its lease owner name is unique to this instance.
    pub fn new(ports: Ports, config: SchedulerConfig) -> Self {
        let owner = format!("pid-{}-{}", std::process::id(), &uuid::Uuid::new_v4().simple().to_string()[..8]);
        Self { ports, config, owner, tasks: Vec::new() }
    }

    /// Adds a task.
    pub fn add(&mut self, task: ScheduledTask) {
        self.tasks.push(task);
    }

    /// The tasks, for listing.
    pub fn tasks(&self) -> &[ScheduledTask] {
        &self.tasks
    }

    /// The name this instance takes leases under.
    pub fn owner(&self) -> &str {
        &self.owner
    }

    /// Runs due tasks every `scheduler.poll_interval_ms` until `stop` is cancelled. A run in
    /// progress when `stop` fires finishes first.
    pub fn spawn(self, stop: CancellationToken) -> tokio::task::JoinHandle<()> {
        tokio::spawn(async move {
            let mut next: HashMap<String, DateTime<Utc>> = HashMap::new();
            let now = self.ports.clock.now();
            for task in &self.tasks {
                if let Some(at) = task.schedule.next_after(now) {
                    next.insert(task.name.clone(), at);
                }
            }
            let mut ticker = tokio::time::interval(Duration::from_millis(self.config.poll_interval_ms.max(10)));
            ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            loop {
                tokio::select! {
                    () = stop.cancelled() => break,
                    _ = ticker.tick() => {}
                }
                self.run_due(&mut next).await;
            }
        })
    }

    /// Runs every task whose next time has come (its latest due slot only), then schedules its
    /// next time.
    async fn run_due(&self, next: &mut HashMap<String, DateTime<Utc>>) {
        let now = self.ports.clock.now();
        for task in &self.tasks {
            let Some(&due) = next.get(&task.name) else { continue };
            if due > now {
                continue;
            }
            // The latest slot at or before now: a slow run or a suspended process skips the
            // slots it missed rather than running them back to back.
            let mut slot = due;
            while let Some(later) = task.schedule.next_after(slot).filter(|t| *t <= now) {
                slot = later;
            }
            self.run_slot(task, slot).await;
            match task.schedule.next_after(self.ports.clock.now().max(slot)) {
                Some(at) => next.insert(task.name.clone(), at),
                None => next.remove(&task.name),
            };
        }
    }

    /// Runs `task`'s `slot` if this instance wins its lease; returns whether it ran.
    pub async fn run_slot(&self, task: &ScheduledTask, slot: DateTime<Utc>) -> bool {
        let now = self.ports.clock.now();
        let lease = TimeDelta::seconds(i64::try_from(self.config.lease_secs).unwrap_or(i64::MAX / 1000));
        match self.ports.maintenance.try_lease(&task.name, slot, &self.owner, now, now + lease).await {
            Ok(true) => {}
            Ok(false) => {
                tracing::debug!(task = %task.name, %slot, "another process has this run");
                return false;
            }
            Err(e) => {
                tracing::warn!(task = %task.name, error = %e, "cannot take the task's lease; skipping this run");
                return false;
            }
        }
        tracing::info!(task = %task.name, %slot, "scheduled task starting");
        let outcome = match (task.run)(slot).await {
            Ok(summary) => {
                tracing::info!(task = %task.name, %summary, "scheduled task finished");
                format!("ok: {summary}")
            }
            Err(reason) => {
                tracing::error!(task = %task.name, %reason, "scheduled task failed");
                format!("error: {reason}")
            }
        };
        let finished = self.ports.clock.now();
        if let Err(e) = self.ports.maintenance.finish_task(&task.name, slot, &self.owner, finished, &outcome).await {
            tracing::error!(task = %task.name, error = %e, "cannot record the task's run");
        }
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
    }

    #[test]
    fn five_field_expressions_run_on_the_minute_and_six_fields_on_the_second() {
        let daily = Schedule::parse("0 3 * * *").unwrap();
        assert_eq!(daily.next_after(at("2026-12-05T02:59:59Z")), Some(at("2026-12-05T03:00:00Z")));
        assert_eq!(daily.next_after(at("2026-12-05T03:00:00Z")), Some(at("2026-12-06T03:00:00Z")));
        let every_2s = Schedule::parse("*/2 * * * * *").unwrap();
        assert_eq!(every_2s.next_after(at("2026-12-05T10:00:01Z")), Some(at("2026-12-05T10:00:02Z")));
    }

    #[test]
    fn bad_expressions_are_refused_with_the_expression_named() {
        for bad in ["", "61 * * * *", "every day", "* * *"] {
            let error = Schedule::parse(bad).unwrap_err();
            assert!(error.contains("invalid cron expression"), "{bad:?}: {error}");
        }
    }
}
