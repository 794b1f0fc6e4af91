#![doc = include_str!("../README.md")]
#![warn(missing_docs)]

mod convert;
pub mod db;
mod entity;
mod error;
mod queue;
mod repo;
#[cfg(feature = "test-util")]
pub mod testing;

use std::sync::Arc;

use sea_orm::DatabaseConnection;
use tseeder_core::ports::Clock;
use tseeder_core::services::Ports;

pub use db::{connect, migrate};
pub use queue::SeaOrmJobQueue;
pub use repo::{
    SeaOrmAccountRepository, SeaOrmAuditLog, SeaOrmBlocklistRepository, SeaOrmJobRepository, SeaOrmPlanRepository,
};

/// Every core port over one database: the SeaORM adapters sharing `db` (a pool; clones are
/// cheap), plus `clock`. This is what the composition root hands to `tseeder_core::Tseeder::new`.
pub fn ports(db: DatabaseConnection, clock: Arc<dyn Clock>) -> Ports {
    Ports {
        accounts: Arc::new(SeaOrmAccountRepository::new(db.clone())),
        plans: Arc::new(SeaOrmPlanRepository::new(db.clone())),
        jobs: Arc::new(SeaOrmJobRepository::new(db.clone())),
        queue: Arc::new(SeaOrmJobQueue::new(db.clone())),
        audit: Arc::new(SeaOrmAuditLog::new(db.clone())),
        blocklist: Arc::new(SeaOrmBlocklistRepository::new(db)),
        clock,
    }
}
