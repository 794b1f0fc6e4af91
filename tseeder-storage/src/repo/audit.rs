//! [`SeaOrmAuditLog`]: the append-only audit log and security events.

use async_trait::async_trait;
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder};
use tseeder_core::domain::{AuditEntry, Page, PageRequest, SecurityEvent};
use tseeder_core::error::RepoError;
use tseeder_core::ports::{AuditFilter, AuditLog, AuditRecord, SecurityEventFilter};

use super::{fetch_page, try_map_page};
use crate::convert;
use crate::entity::{audit_logs, security_events};
use crate::error::repo_err;

/// [`AuditLog`] over sea-orm (SQLite or PostgreSQL). It only ever inserts and reads.
///
/// Entries written together with a job change go through
/// [`SeaOrmJobRepository`](crate::SeaOrmJobRepository) instead, inside that change's transaction;
/// they land in the same table.
#[derive(Debug, Clone)]
pub struct SeaOrmAuditLog {
    db: DatabaseConnection,
}

impl SeaOrmAuditLog {
    /// An adapter over a migrated database.
    pub fn new(db: DatabaseConnection) -> Self {
        Self { db }
    }
}

#[async_trait]
impl AuditLog for SeaOrmAuditLog {
    async fn record(&self, entry: &AuditEntry) -> Result<(), RepoError> {
        audit_logs::Entity::insert(convert::audit_model(entry))
            .exec_without_returning(&self.db)
            .await
            .map_err(repo_err)?;
        Ok(())
    }

    async fn list_audit(&self, filter: &AuditFilter, page: PageRequest) -> Result<Page<AuditRecord>, RepoError> {
        let mut select = audit_logs::Entity::find();
        if let Some(actor) = filter.actor_id {
            select = select.filter(audit_logs::Column::ActorId.eq(actor.to_string()));
        }
        if let Some(action) = &filter.action {
            select = select.filter(audit_logs::Column::Action.eq(action.as_str()));
        }
        if let Some(target_type) = &filter.target_type {
            select = select.filter(audit_logs::Column::TargetType.eq(target_type.as_str()));
        }
        if let Some(target_id) = &filter.target_id {
            select = select.filter(audit_logs::Column::TargetId.eq(target_id.as_str()));
        }
        let select = select.order_by_desc(audit_logs::Column::CreatedAt).order_by_desc(audit_logs::Column::Id);
        try_map_page(fetch_page(&self.db, select, page).await.map_err(repo_err)?)
    }

    async fn record_security_event(&self, event: &SecurityEvent) -> Result<(), RepoError> {
        security_events::Entity::insert(convert::security_event_model(event))
            .exec_without_returning(&self.db)
            .await
            .map_err(repo_err)?;
        Ok(())
    }

    async fn list_security_events(
        &self,
        filter: &SecurityEventFilter,
        page: PageRequest,
    ) -> Result<Page<SecurityEvent>, RepoError> {
        let mut select = security_events::Entity::find();
        if let Some(kind) = &filter.kind {
            select = select.filter(security_events::Column::Kind.eq(kind.as_str()));
        }
        if let Some(severity) = filter.severity {
            select = select.filter(security_events::Column::Severity.eq(severity.as_str()));
        }
        let select =
            select.order_by_desc(security_events::Column::CreatedAt).order_by_desc(security_events::Column::Id);
        try_map_page(fetch_page(&self.db, select, page).await.map_err(repo_err)?)
    }
}
