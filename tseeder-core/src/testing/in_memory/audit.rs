//! [`InMemoryAuditLog`] and [`InMemoryBlocklistRepository`].

use async_trait::async_trait;

use super::{handle, micros, page};
use crate::domain::{AuditEntry, Infohash, Page, PageRequest, SecurityEvent};
use crate::error::RepoError;
use crate::ports::{AuditFilter, AuditLog, AuditRecord, BlocklistEntry, BlocklistRepository, SecurityEventFilter};

handle!(
    /// An [`AuditLog`] over an [`InMemoryDb`](crate::testing::InMemoryDb), which also holds the
    /// entries job changes commit.
    InMemoryAuditLog
);

handle!(
    /// A [`BlocklistRepository`] over an [`InMemoryDb`](crate::testing::InMemoryDb).
    InMemoryBlocklistRepository
);

#[async_trait]
impl AuditLog for InMemoryAuditLog {
    async fn record(&self, entry: &AuditEntry) -> Result<(), RepoError> {
        self.state().push_audit(entry);
        Ok(())
    }

    async fn list_audit(&self, filter: &AuditFilter, request: PageRequest) -> Result<Page<AuditRecord>, RepoError> {
        let state = self.state();
        let mut records: Vec<AuditRecord> = state
            .audit
            .iter()
            .rev()
            .filter(|r| filter.actor_id.is_none_or(|a| r.entry.actor_id == Some(a)))
            .filter(|r| filter.action.as_ref().is_none_or(|a| &r.entry.action == a))
            .filter(|r| filter.target_type.as_ref().is_none_or(|t| &r.entry.target_type == t))
            .filter(|r| filter.target_id.as_ref().is_none_or(|t| r.entry.target_id.as_ref() == Some(t)))
            .cloned()
            .collect();
        // Newest first; among equal times, the later entry first (the iteration is reversed and
        // the sort is stable).
        records.sort_by_key(|r| std::cmp::Reverse(r.entry.created_at));
        Ok(page(records, request))
    }

    async fn record_security_event(&self, event: &SecurityEvent) -> Result<(), RepoError> {
        let mut event = event.clone();
        event.created_at = micros(event.created_at);
        self.state().security_events.push(event);
        Ok(())
    }

    async fn list_security_events(
        &self,
        filter: &SecurityEventFilter,
        request: PageRequest,
    ) -> Result<Page<SecurityEvent>, RepoError> {
        let state = self.state();
        let mut events: Vec<SecurityEvent> = state
            .security_events
            .iter()
            .rev()
            .filter(|e| filter.kind.as_ref().is_none_or(|k| &e.kind == k))
            .filter(|e| filter.severity.is_none_or(|s| e.severity == s))
            .cloned()
            .collect();
        events.sort_by_key(|e| std::cmp::Reverse(e.created_at));
        Ok(page(events, request))
    }
}

#[async_trait]
impl BlocklistRepository for InMemoryBlocklistRepository {
    async fn is_blocked(&self, infohash: Infohash) -> Result<bool, RepoError> {
        Ok(self.state().blocklist.iter().any(|e| e.infohash == infohash))
    }

    async fn add(&self, entry: &BlocklistEntry) -> Result<(), RepoError> {
        let mut state = self.state();
        if state.blocklist.iter().any(|e| e.infohash == entry.infohash) {
            return Err(RepoError::Conflict("blocklist.infohash".into()));
        }
        state.blocklist.push(BlocklistEntry { created_at: micros(entry.created_at), ..entry.clone() });
        Ok(())
    }

    async fn remove(&self, infohash: Infohash) -> Result<(), RepoError> {
        let mut state = self.state();
        let index = state.blocklist.iter().position(|e| e.infohash == infohash).ok_or(RepoError::NotFound)?;
        state.blocklist.remove(index);
        Ok(())
    }

    async fn list(&self, request: PageRequest) -> Result<Page<BlocklistEntry>, RepoError> {
        let mut entries = self.state().blocklist.clone();
        entries.sort_by(|a, b| b.created_at.cmp(&a.created_at).then_with(|| b.infohash.cmp(&a.infohash)));
        Ok(page(entries, request))
    }
}
