//! The infohash blocklist.

use std::fmt::Debug;

use async_trait::async_trait;
use chrono::{DateTime, Utc};

use crate::domain::{Infohash, Page, PageRequest, UserId};
use crate::error::RepoError;

/// A blocked infohash.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BlocklistEntry {
    /// The blocked torrent.
    pub infohash: Infohash,
    /// Why.
    pub reason: String,
    /// Who added it.
    pub added_by: Option<UserId>,
    /// When.
    pub created_at: DateTime<Utc>,
}

/// Persistent blocklist.
///
/// # Contract
/// - `add` fails with `Conflict` when the infohash is already listed.
/// - `remove` fails with `NotFound` when it is not.
#[async_trait]
pub trait BlocklistRepository: Send + Sync + Debug {
    /// Whether the infohash is blocked.
    async fn is_blocked(&self, infohash: Infohash) -> Result<bool, RepoError>;
    /// Adds an entry.
    async fn add(&self, entry: &BlocklistEntry) -> Result<(), RepoError>;
    /// Removes an entry.
    async fn remove(&self, infohash: Infohash) -> Result<(), RepoError>;
    /// Lists entries, newest first.
    async fn list(&self, page: PageRequest) -> Result<Page<BlocklistEntry>, RepoError>;
}
