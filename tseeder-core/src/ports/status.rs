//! The status page's store: components' latest samples, hourly and daily roll-ups, incidents
//! and maintenance windows.

use std::fmt::Debug;

use async_trait::async_trait;
use chrono::{DateTime, Utc};

use crate::domain::{
    AuditEntry, ComponentState, ComponentStatus, Incident, IncidentUpdate, Maintenance, RollupPeriod, UptimeSnapshot,
};
use crate::error::RepoError;

/// Persistent state of the status page.
///
/// # Contract
/// - `record_sample(component, state, reason, at)` in one transaction: sets the component's
///   latest status (its `since` stays when the state is unchanged and becomes `at` when it
///   changes; `checked_at` becomes `at`), and adds one minute in `state` to the component's hour
///   row starting at `RollupPeriod::Hour.start_of(at)` and to its day row starting at
///   `RollupPeriod::Day.start_of(at)`, creating them as needed (one row per component, period
///   and start).
/// - `statuses` lists every component's latest status, ordered by component id.
/// - `snapshots(period, from)` lists the rows of `period` whose start is at or after `from`,
///   ordered by component id, then start.
/// - `create_incident` stores the incident with its updates (at least the first) and the audit
///   entry together. `add_incident_update` appends the update, sets the incident's status (and
///   `resolved_at` = the update's time when it resolves, cleared otherwise) and writes the audit
///   entry together; `NotFound` for an unknown incident, and the incident comes back as
///   stored.
/// - `incidents(from, limit)` lists the incidents still open or resolved at or after `from`,
///   newest first, at most `limit`, each with its updates oldest first. `incident(id)` loads one
///   (`NotFound` when unknown).
/// - `create_maintenance` stores the window with its audit entry; `delete_maintenance` removes
///   it with its audit entry (`NotFound` when unknown); `maintenances(from)` lists the windows
///   ending after `from`, by start time.
#[async_trait]
pub trait StatusRepository: Send + Sync + Debug {
    /// Records one minute's sample of a component.
    async fn record_sample(
        &self,
        component: &str,
        state: ComponentState,
        reason: &str,
        at: DateTime<Utc>,
    ) -> Result<(), RepoError>;
    /// Every component's latest status.
    async fn statuses(&self) -> Result<Vec<ComponentStatus>, RepoError>;
    /// The roll-ups of `period` starting at or after `from`.
    async fn snapshots(&self, period: RollupPeriod, from: DateTime<Utc>) -> Result<Vec<UptimeSnapshot>, RepoError>;
    /// Opens an incident.
    async fn create_incident(&self, incident: &Incident, audit: &AuditEntry) -> Result<(), RepoError>;
    /// Posts an update on an incident; returns the incident after it.
    async fn add_incident_update(
        &self,
        id: uuid::Uuid,
        update: &IncidentUpdate,
        audit: &AuditEntry,
    ) -> Result<Incident, RepoError>;
    /// One incident.
    async fn incident(&self, id: uuid::Uuid) -> Result<Incident, RepoError>;
    /// Incidents open, or resolved since `from`, newest first.
    async fn incidents(&self, from: DateTime<Utc>, limit: u64) -> Result<Vec<Incident>, RepoError>;
    /// Schedules a maintenance window.
    async fn create_maintenance(&self, maintenance: &Maintenance, audit: &AuditEntry) -> Result<(), RepoError>;
    /// Cancels a maintenance window.
    async fn delete_maintenance(&self, id: uuid::Uuid, audit: &AuditEntry) -> Result<(), RepoError>;
    /// Maintenance windows ending after `from`, by start time.
    async fn maintenances(&self, from: DateTime<Utc>) -> Result<Vec<Maintenance>, RepoError>;
}
