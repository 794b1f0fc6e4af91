#![doc = include_str!("../README.md")]

pub mod config;

use std::future::Future;
use std::sync::Arc;

pub use tseeder_core as core;
pub use tseeder_http as http;
pub use tseeder_storage as storage;

use tseeder_core::ports::{Clock, SystemClock};
use tseeder_core::services::Tseeder;

pub use config::{DatabaseConfig, TseederConfig};

/// Any error while starting the service.
pub type Error = Box<dyn std::error::Error + Send + Sync + 'static>;

/// The composition root: opens the database named in `config`, applies migrations when
/// `database.auto_migrate` is on, and builds the core services over the SeaORM adapters.
pub async fn build_core(config: &TseederConfig) -> Result<Tseeder, Error> {
    build_core_with_clock(config, Arc::new(SystemClock)).await
}

/// [`build_core`] with an explicit clock (tests use a manual one).
pub async fn build_core_with_clock(config: &TseederConfig, clock: Arc<dyn Clock>) -> Result<Tseeder, Error> {
    let url = config.database.url(&config.data_dir);
    if url.starts_with("sqlite:") && !config.data_dir.as_os_str().is_empty() {
        std::fs::create_dir_all(&config.data_dir)
            .map_err(|e| format!("cannot create data directory {}: {e}", config.data_dir.display()))?;
    }
    let db = tseeder_storage::connect(&url)
        .await
        .map_err(|e| format!("cannot open database {}: {e}", config::redact_url(&url)))?;
    if config.database.auto_migrate {
        tseeder_storage::migrate(&db).await.map_err(|e| format!("database migration failed: {e}"))?;
    }
    Ok(Tseeder::new(tseeder_storage::ports(db, clock), config.core()))
}

/// Builds everything and serves HTTP on `listener` until `shutdown` resolves.
pub async fn run(
    config: TseederConfig,
    listener: tokio::net::TcpListener,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> Result<(), Error> {
    let core = build_core(&config).await?;
    let state = tseeder_http::AppState::new(core, config.http.clone());
    tseeder_http::serve(listener, state, shutdown).await?;
    Ok(())
}
