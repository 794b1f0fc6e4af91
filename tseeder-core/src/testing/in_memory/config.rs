//! [`InMemoryConfigRepository`].

use async_trait::async_trait;

use super::{handle, micros, page};
use crate::domain::{AuditEntry, ConfigChange, ConfigWrite, FeatureFlag, FlagState, Page, PageRequest};
use crate::error::RepoError;
use crate::ports::ConfigRepository;

handle!(
    /// A [`ConfigRepository`] over an [`InMemoryDb`](crate::testing::InMemoryDb): plan limits it
    /// changes are the plans the plan repository reads.
    InMemoryConfigRepository
);

#[async_trait]
impl ConfigRepository for InMemoryConfigRepository {
    async fn list_flags(&self) -> Result<Vec<FlagState>, RepoError> {
        Ok(self.state().flags.values().cloned().collect())
    }

    async fn get_flag(&self, flag: FeatureFlag) -> Result<Option<bool>, RepoError> {
        Ok(self.state().flags.get(&flag).map(|f| f.enabled))
    }

    async fn apply_config(
        &self,
        write: &ConfigWrite,
        change: &ConfigChange,
        audit: &AuditEntry,
    ) -> Result<(), RepoError> {
        let mut state = self.state();
        if state.config_changes.iter().any(|c| c.id == change.id) {
            return Err(RepoError::Conflict("config_changes_pkey".into()));
        }
        match write {
            ConfigWrite::Flag { flag, enabled } => {
                let stored = FlagState {
                    flag: *flag,
                    enabled: *enabled,
                    updated_by: change.changed_by,
                    updated_at: micros(change.created_at),
                };
                state.flags.insert(*flag, stored);
            }
            ConfigWrite::Plan(plan) => {
                let slot = state.plans.get_mut(&plan.id).ok_or(RepoError::NotFound)?;
                *slot = plan.clone();
            }
        }
        let mut change = change.clone();
        change.created_at = micros(change.created_at);
        state.config_changes.push(change);
        state.push_audit(audit);
        Ok(())
    }

    async fn config_history(&self, key: Option<&str>, request: PageRequest) -> Result<Page<ConfigChange>, RepoError> {
        let state = self.state();
        let mut changes: Vec<ConfigChange> =
            state.config_changes.iter().rev().filter(|c| key.is_none_or(|k| c.key == k)).cloned().collect();
        changes.sort_by_key(|c| std::cmp::Reverse(c.created_at));
        Ok(page(changes, request))
    }
}
