//! [`SeaOrmBlocklistRepository`]: the infohash blocklist.

use async_trait::async_trait;
use sea_orm::{DatabaseConnection, EntityTrait, QueryOrder};
use tseeder_core::domain::{Infohash, Page, PageRequest};
use tseeder_core::error::RepoError;
use tseeder_core::ports::{BlocklistEntry, BlocklistRepository};

use super::{fetch_page, try_map_page};
use crate::convert;
use crate::entity::blocklist;
use crate::error::repo_err;

/// [`BlocklistRepository`] over sea-orm (SQLite or PostgreSQL). The infohash (lowercase hex) is
/// the primary key, so a second `add` is a unique violation, reported as `Conflict`.
#[derive(Debug, Clone)]
pub struct SeaOrmBlocklistRepository {
    db: DatabaseConnection,
}

impl SeaOrmBlocklistRepository {
    /// An adapter over a migrated database.
    pub fn new(db: DatabaseConnection) -> Self {
        Self { db }
    }
}

#[async_trait]
impl BlocklistRepository for SeaOrmBlocklistRepository {
    async fn is_blocked(&self, infohash: Infohash) -> Result<bool, RepoError> {
        let row = blocklist::Entity::find_by_id(infohash.to_hex()).one(&self.db).await.map_err(repo_err)?;
        Ok(row.is_some())
    }

    async fn add(&self, entry: &BlocklistEntry) -> Result<(), RepoError> {
        blocklist::Entity::insert(convert::blocklist_model(entry))
            .exec_without_returning(&self.db)
            .await
            .map_err(repo_err)?;
        Ok(())
    }

    async fn remove(&self, infohash: Infohash) -> Result<(), RepoError> {
        let result = blocklist::Entity::delete_by_id(infohash.to_hex()).exec(&self.db).await.map_err(repo_err)?;
        if result.rows_affected == 0 {
            return Err(RepoError::NotFound);
        }
        Ok(())
    }

    async fn list(&self, page: PageRequest) -> Result<Page<BlocklistEntry>, RepoError> {
        let select = blocklist::Entity::find()
            .order_by_desc(blocklist::Column::CreatedAt)
            .order_by_desc(blocklist::Column::Infohash);
        try_map_page(fetch_page(&self.db, select, page).await.map_err(repo_err)?)
    }
}
