//! Runtime settings: feature flags, plan limits, and the history of their changes.

use std::fmt::Debug;

use async_trait::async_trait;

use crate::domain::{AuditEntry, ConfigChange, ConfigWrite, FeatureFlag, FlagState, Page, PageRequest};
use crate::error::RepoError;

/// Persistent store of runtime settings and their change history.
///
/// # Contract
/// - `list_flags` returns the flags that were ever set, in [`FeatureFlag::ALL`] order; stored
///   keys that name no flag are skipped. `get_flag` is `None` for a flag never set.
/// - `apply_config` writes `write` (a flag's state, or a plan's limits in place of the plan of
///   the same id), appends `change` to the history and records `audit`, all in one
///   transaction: after a failure none of the three is stored. A plan that does not exist
///   fails with [`RepoError::NotFound`]; a `change.id` already used with `Conflict`.
/// - `config_history` lists changes newest first (ties in any order), only those
///   of `key` when given; `total` counts every match.
/// - Changes keep their values as JSON exactly (`old_value` and `new_value` round-trip).
#[async_trait]
pub trait ConfigRepository: Send + Sync + Debug {
    /// The flags that were ever set.
    async fn list_flags(&self) -> Result<Vec<FlagState>, RepoError>;
    /// One flag's stored state, if it was ever set.
    async fn get_flag(&self, flag: FeatureFlag) -> Result<Option<bool>, RepoError>;
    /// Applies a change with its history entry and audit entry.
    async fn apply_config(
        &self,
        write: &ConfigWrite,
        change: &ConfigChange,
        audit: &AuditEntry,
    ) -> Result<(), RepoError>;
    /// The change history, newest first.
    async fn config_history(&self, key: Option<&str>, page: PageRequest) -> Result<Page<ConfigChange>, RepoError>;
}
