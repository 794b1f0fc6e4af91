#![doc = include_str!("../README.md")]
#![warn(missing_docs)]

pub mod broadcast;
mod convert;
pub mod db;
mod entity;
mod error;
pub mod object_store;
mod queue;
mod repo;
#[cfg(feature = "test-util")]
pub mod testing;

use std::sync::Arc;

use sea_orm::DatabaseConnection;
use tseeder_core::ports::{Clock, FileStore};
use tseeder_core::services::Ports;

pub use self::object_store::{
    FileStoreBackend, FileStoreConfig, FileStoreSetupError, ObjectStoreFileStore, file_store,
};
pub use broadcast::PgBroadcast;
pub use db::{connect, migrate};
pub use queue::SeaOrmJobQueue;
pub use repo::{
    SeaOrmAccountRepository, SeaOrmAdminSearch, SeaOrmAuditLog, SeaOrmBandwidthMeter, SeaOrmBillingRepository,
    SeaOrmBlocklistRepository, SeaOrmConfigRepository, SeaOrmFileRepository, SeaOrmJobRepository,
    SeaOrmLabelRepository, SeaOrmMaintenanceRepository, SeaOrmMetricsRepository, SeaOrmOrgRepository,
    SeaOrmPlanRepository, SeaOrmStatusRepository, SeaOrmWorkerRegistry,
};

/// Every core port: the SeaORM adapters sharing `db` (a pool; clones are cheap), the file blob
/// `store` (see [`file_store`]), `clock`, and on PostgreSQL the [`PgBroadcast`] between the
/// processes on `db`. This is what the composition root hands to
/// `tseeder_core::Tseeder::new`.
pub fn ports(db: DatabaseConnection, store: Arc<dyn FileStore>, clock: Arc<dyn Clock>) -> Ports {
    Ports {
        accounts: Arc::new(SeaOrmAccountRepository::new(db.clone())),
        orgs: Arc::new(SeaOrmOrgRepository::new(db.clone())),
        billing: Arc::new(SeaOrmBillingRepository::new(db.clone())),
        payments: Arc::new(tseeder_core::ports::NoBilling),
        plans: Arc::new(SeaOrmPlanRepository::new(db.clone())),
        meter: Arc::new(SeaOrmBandwidthMeter::new(db.clone())),
        jobs: Arc::new(SeaOrmJobRepository::new(db.clone())),
        labels: Arc::new(SeaOrmLabelRepository::new(db.clone())),
        queue: Arc::new(SeaOrmJobQueue::new(db.clone())),
        audit: Arc::new(SeaOrmAuditLog::new(db.clone())),
        blocklist: Arc::new(SeaOrmBlocklistRepository::new(db.clone())),
        config: Arc::new(SeaOrmConfigRepository::new(db.clone())),
        files: Arc::new(SeaOrmFileRepository::new(db.clone())),
        maintenance: Arc::new(SeaOrmMaintenanceRepository::new(db.clone())),
        search: Arc::new(SeaOrmAdminSearch::new(db.clone())),
        status: Arc::new(SeaOrmStatusRepository::new(db.clone())),
        metrics: Arc::new(SeaOrmMetricsRepository::new(db.clone())),
        mailer: Arc::new(tseeder_core::ports::LogMailer),
        broadcast: broadcast::for_database(&db),
        workers: Arc::new(SeaOrmWorkerRegistry::new(db)),
        store,
        clock,
    }
}
