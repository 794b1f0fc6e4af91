//! [`InMemoryStatusRepository`].

use async_trait::async_trait;
use chrono::{DateTime, Utc};

use super::{handle, limit, micros};
use crate::domain::{
    AuditEntry, ComponentState, ComponentStatus, Incident, IncidentStatus, IncidentUpdate, Maintenance, RollupPeriod,
    StateMinutes, UptimeSnapshot,
};
use crate::error::RepoError;
use crate::ports::StatusRepository;

handle!(
    /// A [`StatusRepository`] over an [`InMemoryDb`](crate::testing::InMemoryDb): its audit
    /// entries land in the log the audit handle reads.
    InMemoryStatusRepository
);

/// An update as the databases keep it (its time in whole microseconds).
fn stored_update(update: &IncidentUpdate) -> IncidentUpdate {
    IncidentUpdate { created_at: micros(update.created_at), ..update.clone() }
}

#[async_trait]
impl StatusRepository for InMemoryStatusRepository {
    async fn record_sample(
        &self,
        component: &str,
        state: ComponentState,
        reason: &str,
        at: DateTime<Utc>,
    ) -> Result<(), RepoError> {
        let at = micros(at);
        let mut db = self.state();
        let since = match db.components.get(component) {
            Some(current) if current.state == state => current.since,
            _ => at,
        };
        let status = ComponentStatus {
            component: component.to_owned(),
            state,
            reason: reason.to_owned(),
            since,
            checked_at: at,
        };
        db.components.insert(component.to_owned(), status);
        for period in [RollupPeriod::Hour, RollupPeriod::Day] {
            let start = period.start_of(at);
            let found =
                db.uptime.iter().position(|s| s.component == component && s.period == period && s.start == start);
            match found {
                Some(i) => db.uptime[i].minutes.add(state, 1),
                None => db.uptime.push(UptimeSnapshot {
                    component: component.to_owned(),
                    period,
                    start,
                    minutes: StateMinutes::one(state),
                }),
            }
        }
        Ok(())
    }

    async fn statuses(&self) -> Result<Vec<ComponentStatus>, RepoError> {
        Ok(self.state().components.values().cloned().collect())
    }

    async fn snapshots(&self, period: RollupPeriod, from: DateTime<Utc>) -> Result<Vec<UptimeSnapshot>, RepoError> {
        let from = micros(from);
        let mut rows: Vec<UptimeSnapshot> =
            self.state().uptime.iter().filter(|s| s.period == period && s.start >= from).cloned().collect();
        rows.sort_by(|a, b| (&a.component, a.start).cmp(&(&b.component, b.start)));
        Ok(rows)
    }

    async fn create_incident(&self, incident: &Incident, audit: &AuditEntry) -> Result<(), RepoError> {
        let mut db = self.state();
        if db.incidents.iter().any(|i| i.id == incident.id) {
            return Err(RepoError::Conflict("incidents_pkey".into()));
        }
        let taken = |u: &IncidentUpdate| db.incidents.iter().flat_map(|i| &i.updates).any(|other| other.id == u.id);
        if incident.updates.iter().any(taken) {
            return Err(RepoError::Conflict("incident_updates_pkey".into()));
        }
        let stored = Incident {
            created_at: micros(incident.created_at),
            resolved_at: incident.resolved_at.map(micros),
            updates: incident.updates.iter().map(stored_update).collect(),
            ..incident.clone()
        };
        db.incidents.push(stored);
        db.push_audit(audit);
        Ok(())
    }

    async fn add_incident_update(
        &self,
        id: uuid::Uuid,
        update: &IncidentUpdate,
        audit: &AuditEntry,
    ) -> Result<Incident, RepoError> {
        let mut db = self.state();
        let index = db.incidents.iter().position(|i| i.id == id).ok_or(RepoError::NotFound)?;
        if db.incidents.iter().flat_map(|i| &i.updates).any(|u| u.id == update.id) {
            return Err(RepoError::Conflict("incident_updates_pkey".into()));
        }
        let update = stored_update(update);
        let incident = &mut db.incidents[index];
        incident.status = update.status;
        incident.resolved_at = (update.status == IncidentStatus::Resolved).then_some(update.created_at);
        incident.updates.push(update);
        let stored = incident.clone();
        db.push_audit(audit);
        Ok(stored)
    }

    async fn incident(&self, id: uuid::Uuid) -> Result<Incident, RepoError> {
        self.state().incidents.iter().find(|i| i.id == id).cloned().ok_or(RepoError::NotFound)
    }

    async fn incidents(&self, from: DateTime<Utc>, max: u64) -> Result<Vec<Incident>, RepoError> {
        let from = micros(from);
        let db = self.state();
        let mut incidents: Vec<Incident> =
            db.incidents.iter().rev().filter(|i| i.resolved_at.is_none_or(|r| r >= from)).cloned().collect();
        // Newest first; among equal times, the later incident first (the iteration is reversed
        // and the sort is stable).
        incidents.sort_by_key(|i| std::cmp::Reverse(i.created_at));
        incidents.truncate(limit(max));
        Ok(incidents)
    }

    async fn create_maintenance(&self, maintenance: &Maintenance, audit: &AuditEntry) -> Result<(), RepoError> {
        let mut db = self.state();
        if db.maintenances.iter().any(|m| m.id == maintenance.id) {
            return Err(RepoError::Conflict("maintenances_pkey".into()));
        }
        let stored = Maintenance {
            starts_at: micros(maintenance.starts_at),
            ends_at: micros(maintenance.ends_at),
            created_at: micros(maintenance.created_at),
            ..maintenance.clone()
        };
        db.maintenances.push(stored);
        db.push_audit(audit);
        Ok(())
    }

    async fn delete_maintenance(&self, id: uuid::Uuid, audit: &AuditEntry) -> Result<(), RepoError> {
        let mut db = self.state();
        let index = db.maintenances.iter().position(|m| m.id == id).ok_or(RepoError::NotFound)?;
        db.maintenances.remove(index);
        db.push_audit(audit);
        Ok(())
    }

    async fn maintenances(&self, from: DateTime<Utc>) -> Result<Vec<Maintenance>, RepoError> {
        let from = micros(from);
        let mut windows: Vec<Maintenance> =
            self.state().maintenances.iter().filter(|m| m.ends_at > from).cloned().collect();
        windows.sort_by_key(|m| m.starts_at);
        Ok(windows)
    }
}
