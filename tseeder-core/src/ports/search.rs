//! The operators' global search over users, jobs and the audit log.

use std::fmt::Debug;

use async_trait::async_trait;

use crate::domain::{Job, User};
use crate::error::RepoError;
use crate::ports::AuditRecord;

/// The first matches of one group and how many there are in all.
#[derive(Debug, Clone, PartialEq)]
pub struct SearchHits<T> {
    /// Every match, not only those returned.
    pub total: u64,
    /// The newest matches, at most the limit asked for.
    pub items: Vec<T>,
}

impl<T> Default for SearchHits<T> {
    fn default() -> Self {
        Self { total: 0, items: Vec::new() }
    }
}

/// What one search found, grouped.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SearchResults {
    /// Users whose email contains the text, or whose id it is.
    pub users: SearchHits<User>,
    /// Jobs whose name contains the text, whose infohash starts with it (six or more
    /// hexadecimal characters), or whose id it is.
    pub jobs: SearchHits<Job>,
    /// Audit entries whose action or target id contains the text, whose actor's id it is, or
    /// whose actor's email contains it.
    pub audit: SearchHits<AuditRecord>,
}

/// Search across users, jobs and audit entries, for the admin console.
///
/// # Contract
/// - `text` is matched as typed, ignoring case; `%`, `_`, `*`, `?` and quotes in it are plain
///   characters. It is never empty (the service checks).
/// - Users match when their email contains `text` or their id equals it; jobs when their name
///   contains it, their infohash starts with it (six or more hexadecimal characters, any case)
///   or their id equals it; audit
///   entries when their action or target id contains it, their actor id equals it, or their
///   actor's email contains it.
/// - Each group's `total` counts every match; `items` holds the newest `limit` (by creation
///   time, newest first).
/// - Rows written before the call are found (an index is kept up to date with every write, in
///   the same transaction).
#[async_trait]
pub trait AdminSearch: Send + Sync + Debug {
    /// Searches every group for `text`, returning at most `limit` items per group.
    async fn search(&self, text: &str, limit: u64) -> Result<SearchResults, RepoError>;
}
