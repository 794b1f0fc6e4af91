//! [`SeaOrmStatusRepository`]: the status page's latest samples, hourly and daily roll-ups,
//! incidents with their updates, and maintenance windows.

use std::collections::HashMap;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Expr, ExprTrait, OnConflict};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
};
use tseeder_core::domain::{
    AuditEntry, ComponentState, ComponentStatus, Incident, IncidentStatus, IncidentUpdate, Maintenance, RollupPeriod,
    UptimeSnapshot,
};
use tseeder_core::error::RepoError;
use tseeder_core::ports::StatusRepository;

use super::begin_write;
use crate::convert::{self, db_time};
use crate::entity::{audit_logs, incident_updates, incidents, maintenances, status_components, uptime_snapshots};
use crate::error::repo_err;

/// [`StatusRepository`] over sea-orm (SQLite or PostgreSQL).
///
/// A sample is three upserts in one transaction: `INSERT … ON CONFLICT (component) DO UPDATE` on
/// `status_components`, whose `since` is a `CASE` on the stored state (kept while the state is
/// unchanged), and `INSERT … ON CONFLICT (component, period, start) DO UPDATE SET <state> =
/// <state> + 1` on `uptime_snapshots` for the hour and for the day. Each is evaluated by the
/// database against the row as it is at that moment, so concurrent samples cannot conflict or
/// lose a minute. Incident and maintenance writes run with their audit entry in one
/// transaction.
#[derive(Debug, Clone)]
pub struct SeaOrmStatusRepository {
    db: DatabaseConnection,
}

impl SeaOrmStatusRepository {
    /// An adapter over a migrated database.
    pub fn new(db: DatabaseConnection) -> Self {
        Self { db }
    }
}

/// The `uptime_snapshots` column counting the minutes in `state`.
fn minutes_column(state: ComponentState) -> uptime_snapshots::Column {
    use uptime_snapshots::Column as C;
    match state {
        ComponentState::Operational => C::Operational,
        ComponentState::Degraded => C::Degraded,
        ComponentState::PartialOutage => C::PartialOutage,
        ComponentState::MajorOutage => C::MajorOutage,
        ComponentState::Maintenance => C::Maintenance,
    }
}

/// `status_components.since` on conflict: the stored value while the stored state is `state`,
/// else `at`. The columns are qualified because PostgreSQL finds a bare name ambiguous between
/// the stored row and `excluded`.
fn since_after_sample(state: ComponentState, at: DateTime<Utc>) -> Expr {
    let stored_state = Expr::col((status_components::Entity, status_components::Column::State));
    let stored_since = Expr::col((status_components::Entity, status_components::Column::Since));
    Expr::case(ExprTrait::eq(stored_state, state.as_str()), stored_since).finally(Expr::val(db_time(at))).into()
}

async fn insert_audit(conn: &impl ConnectionTrait, entry: &AuditEntry) -> Result<(), RepoError> {
    audit_logs::Entity::insert(convert::audit_model(entry)).exec_without_returning(conn).await.map_err(repo_err)?;
    Ok(())
}

/// Adds one minute in `state` to the roll-up of `period` holding `at`, creating the row at one
/// minute when it is the first.
async fn add_minute(
    conn: &impl ConnectionTrait,
    component: &str,
    period: RollupPeriod,
    state: ComponentState,
    at: DateTime<Utc>,
) -> Result<(), RepoError> {
    use uptime_snapshots::Column as C;
    let column = minutes_column(state);
    let mut on_conflict = OnConflict::columns([C::Component, C::Period, C::Start]);
    on_conflict.value(column, Expr::col((uptime_snapshots::Entity, column)).add(1));
    uptime_snapshots::Entity::insert(convert::uptime_snapshot_model(component, period, period.start_of(at), state))
        .on_conflict(on_conflict)
        .exec_without_returning(conn)
        .await
        .map_err(repo_err)?;
    Ok(())
}

/// One incident with its updates, oldest first; `NotFound` when there is no such incident.
async fn load_incident(conn: &impl ConnectionTrait, id: uuid::Uuid) -> Result<Incident, RepoError> {
    let row =
        incidents::Entity::find_by_id(id.to_string()).one(conn).await.map_err(repo_err)?.ok_or(RepoError::NotFound)?;
    let updates = incident_updates::Entity::find()
        .filter(incident_updates::Column::IncidentId.eq(id.to_string()))
        .order_by_asc(incident_updates::Column::CreatedAt)
        .order_by_asc(incident_updates::Column::Id)
        .all(conn)
        .await
        .map_err(repo_err)?;
    Ok(convert::incident_from(row, updates)?)
}

#[async_trait]
impl StatusRepository for SeaOrmStatusRepository {
    async fn record_sample(
        &self,
        component: &str,
        state: ComponentState,
        reason: &str,
        at: DateTime<Utc>,
    ) -> Result<(), RepoError> {
        use status_components::Column as C;
        let mut on_conflict = OnConflict::column(C::Component);
        on_conflict.update_columns([C::State, C::Reason, C::CheckedAt]).value(C::Since, since_after_sample(state, at));
        let tx = begin_write(&self.db).await.map_err(repo_err)?;
        status_components::Entity::insert(convert::status_component_model(component, state, reason, at))
            .on_conflict(on_conflict)
            .exec_without_returning(&tx)
            .await
            .map_err(repo_err)?;
        for period in [RollupPeriod::Hour, RollupPeriod::Day] {
            add_minute(&tx, component, period, state, at).await?;
        }
        tx.commit().await.map_err(repo_err)?;
        Ok(())
    }

    async fn statuses(&self) -> Result<Vec<ComponentStatus>, RepoError> {
        let rows = status_components::Entity::find()
            .order_by_asc(status_components::Column::Component)
            .all(&self.db)
            .await
            .map_err(repo_err)?;
        Ok(rows.into_iter().map(ComponentStatus::try_from).collect::<Result<_, _>>()?)
    }

    async fn snapshots(&self, period: RollupPeriod, from: DateTime<Utc>) -> Result<Vec<UptimeSnapshot>, RepoError> {
        use uptime_snapshots::Column as C;
        let rows = uptime_snapshots::Entity::find()
            .filter(C::Period.eq(period.as_str()))
            .filter(C::Start.gte(db_time(from)))
            .order_by_asc(C::Component)
            .order_by_asc(C::Start)
            .all(&self.db)
            .await
            .map_err(repo_err)?;
        Ok(rows.into_iter().map(UptimeSnapshot::try_from).collect::<Result<_, _>>()?)
    }

    async fn create_incident(&self, incident: &Incident, audit: &AuditEntry) -> Result<(), RepoError> {
        let tx = begin_write(&self.db).await.map_err(repo_err)?;
        // A unique violation here aborts the transaction; dropping `tx` rolls everything back.
        incidents::Entity::insert(convert::incident_model(incident))
            .exec_without_returning(&tx)
            .await
            .map_err(repo_err)?;
        for update in &incident.updates {
            incident_updates::Entity::insert(convert::incident_update_model(incident.id, update))
                .exec_without_returning(&tx)
                .await
                .map_err(repo_err)?;
        }
        insert_audit(&tx, audit).await?;
        tx.commit().await.map_err(repo_err)?;
        Ok(())
    }

    async fn add_incident_update(
        &self,
        id: uuid::Uuid,
        update: &IncidentUpdate,
        audit: &AuditEntry,
    ) -> Result<Incident, RepoError> {
        use incidents::Column as C;
        let resolved_at = (update.status == IncidentStatus::Resolved).then(|| db_time(update.created_at));
        let tx = begin_write(&self.db).await.map_err(repo_err)?;
        let changed = incidents::Entity::update_many()
            .col_expr(C::Status, Expr::val(update.status.as_str()))
            .col_expr(C::ResolvedAt, Expr::val(resolved_at))
            .filter(C::Id.eq(id.to_string()))
            .exec(&tx)
            .await
            .map_err(repo_err)?;
        if changed.rows_affected == 0 {
            return Err(RepoError::NotFound);
        }
        incident_updates::Entity::insert(convert::incident_update_model(id, update))
            .exec_without_returning(&tx)
            .await
            .map_err(repo_err)?;
        insert_audit(&tx, audit).await?;
        let incident = load_incident(&tx, id).await?;
        tx.commit().await.map_err(repo_err)?;
        Ok(incident)
    }

    async fn incident(&self, id: uuid::Uuid) -> Result<Incident, RepoError> {
        load_incident(&self.db, id).await
    }

    async fn incidents(&self, from: DateTime<Utc>, limit: u64) -> Result<Vec<Incident>, RepoError> {
        use incidents::Column as C;
        let rows = incidents::Entity::find()
            .filter(Condition::any().add(C::ResolvedAt.is_null()).add(C::ResolvedAt.gte(db_time(from))))
            .order_by_desc(C::CreatedAt)
            .order_by_desc(C::Id)
            .limit(limit)
            .all(&self.db)
            .await
            .map_err(repo_err)?;
        if rows.is_empty() {
            return Ok(Vec::new());
        }
        let ids: Vec<String> = rows.iter().map(|r| r.id.clone()).collect();
        let update_rows = incident_updates::Entity::find()
            .filter(incident_updates::Column::IncidentId.is_in(ids))
            .order_by_asc(incident_updates::Column::CreatedAt)
            .order_by_asc(incident_updates::Column::Id)
            .all(&self.db)
            .await
            .map_err(repo_err)?;
        let mut updates: HashMap<String, Vec<incident_updates::Model>> = HashMap::new();
        for row in update_rows {
            updates.entry(row.incident_id.clone()).or_default().push(row);
        }
        rows.into_iter()
            .map(|row| {
                let own = updates.remove(&row.id).unwrap_or_default();
                convert::incident_from(row, own).map_err(RepoError::from)
            })
            .collect()
    }

    async fn create_maintenance(&self, maintenance: &Maintenance, audit: &AuditEntry) -> Result<(), RepoError> {
        let tx = begin_write(&self.db).await.map_err(repo_err)?;
        maintenances::Entity::insert(convert::maintenance_model(maintenance))
            .exec_without_returning(&tx)
            .await
            .map_err(repo_err)?;
        insert_audit(&tx, audit).await?;
        tx.commit().await.map_err(repo_err)?;
        Ok(())
    }

    async fn delete_maintenance(&self, id: uuid::Uuid, audit: &AuditEntry) -> Result<(), RepoError> {
        let tx = begin_write(&self.db).await.map_err(repo_err)?;
        let deleted = maintenances::Entity::delete_many()
            .filter(maintenances::Column::Id.eq(id.to_string()))
            .exec(&tx)
            .await
            .map_err(repo_err)?;
        if deleted.rows_affected == 0 {
            return Err(RepoError::NotFound);
        }
        insert_audit(&tx, audit).await?;
        tx.commit().await.map_err(repo_err)?;
        Ok(())
    }

    async fn maintenances(&self, from: DateTime<Utc>) -> Result<Vec<Maintenance>, RepoError> {
        use maintenances::Column as C;
        let rows = maintenances::Entity::find()
            .filter(C::EndsAt.gt(db_time(from)))
            .order_by_asc(C::StartsAt)
            .order_by_asc(C::Id)
            .all(&self.db)
            .await
            .map_err(repo_err)?;
        Ok(rows.into_iter().map(Maintenance::try_from).collect::<Result<_, _>>()?)
    }
}
