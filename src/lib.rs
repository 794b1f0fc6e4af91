#![doc = include_str!("../README.md")]

pub mod config;

use std::future::Future;
use std::path::Path;
use std::sync::Arc;

pub use tseeder_agent as agent;
pub use tseeder_core as core;
pub use tseeder_http as http;
pub use tseeder_mail as mail;
pub use tseeder_plugins as plugins;
pub use tseeder_storage as storage;
pub use tseeder_stripe as stripe;
pub use tseeder_web as web;

use tokio_util::sync::CancellationToken;
use tseeder_core::ports::{Clock, ComputeEngine, MetadataSource, SystemClock};
use tseeder_core::services::Tseeder;

pub use config::{DatabaseConfig, TseederConfig};

/// Completes on Ctrl-C or (on Unix) SIGTERM: what the service and the agent process stop on.
pub async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! { () = ctrl_c => {}, () = term => {} }
    tracing::info!("shutting down");
}

/// Logs to standard error, filtered by `RUST_LOG` when it is set and by `default_filter`
/// otherwise (such as `info,sqlx=warn`). Call once, first thing in `main`.
pub fn init_tracing(default_filter: &str) {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| default_filter.into());
    let builder = tracing_subscriber::fmt().with_env_filter(filter);
    if std::env::var(LOG_FORMAT_ENV).is_ok_and(|f| f.eq_ignore_ascii_case("json")) {
        builder.json().flatten_event(true).with_current_span(true).with_span_list(false).init();
    } else {
        builder.init();
    }
}

/// Set to `json` for one JSON object per log line (with the request's `request_id` from its
/// span); anything else, or unset, gives human-readable lines. Read before the configuration
/// file, so that its own messages follow it.
pub const LOG_FORMAT_ENV: &str = "TSEEDER_LOG_FORMAT";

/// Any error while starting the service.
pub type Error = Box<dyn std::error::Error + Send + Sync + 'static>;

/// The composition root: opens the database named in `config` (applying migrations when
/// `database.auto_migrate` is on) and the object store, and builds the core services over the
/// SeaORM and object_store adapters.
pub async fn build_core(config: &TseederConfig) -> Result<Tseeder, Error> {
    build_core_with_clock(config, Arc::new(SystemClock)).await
}

/// [`build_core`] with an explicit clock.
pub async fn build_core_with_clock(config: &TseederConfig, clock: Arc<dyn Clock>) -> Result<Tseeder, Error> {
    config.agents.validate()?;
    let config = &config.resolved();
    let url = config.database.url.clone();
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
    let store =
        tseeder_storage::file_store(&config.store).await.map_err(|e| format!("cannot open the object store: {e}"))?;
    let mut core_config = config.core();
    if core_config.files.link_secret.is_empty() && !config.data_dir.as_os_str().is_empty() {
        core_config.files.link_secret = link_secret(&config.data_dir)?;
    }
    let mut ports = tseeder_storage::ports(db, store, Arc::clone(&clock));
    ports.mailer = tseeder_mail::mailer(&config.mail).map_err(|e| format!("mail settings: {e}"))?;
    ports.payments = tseeder_stripe::provider(&config.stripe).map_err(|e| format!("stripe settings: {e}"))?;
    let core = Tseeder::new(ports, core_config);
    match plugin_host(config, &core)? {
        Some(host) => Ok(core.with_policy_host(host)),
        None => Ok(core),
    }
}

/// The WebAssembly plugin host for the plugins `config.plugins` names (`None` when it names
/// none). Compiled plugins are cached under `<data_dir>/plugin-cache`. When
/// `plugins.watch_interval_ms` is set and a Tokio runtime is running, a watcher swaps in
/// replaced plugin files whose hash is pinned; it stops when the host is dropped.
pub fn plugin_host(config: &TseederConfig, core: &Tseeder) -> Result<Option<Arc<tseeder_plugins::PluginHost>>, Error> {
    let plugins = config.plugins_config();
    if plugins.router.is_none() && plugins.retention.is_none() {
        return Ok(None);
    }
    let cache = (!plugins.cache_dir.is_empty()).then(|| std::path::PathBuf::from(&plugins.cache_dir));
    let engine = tseeder_plugins::PluginEngine::new(cache.as_deref())
        .map_err(|e| format!("cannot start the plugin engine: {e}"))?;
    let host = Arc::new(tseeder_plugins::PluginHost::new(
        &engine,
        &plugins,
        std::time::Duration::from_secs(config.agents.stale_after_secs),
        Some(Arc::clone(&core.ports.audit)),
        Arc::clone(&core.ports.clock),
    ));
    if plugins.watch_interval_ms > 0 && tokio::runtime::Handle::try_current().is_ok() {
        host.spawn_watcher(std::time::Duration::from_millis(plugins.watch_interval_ms), CancellationToken::new());
    }
    Ok(Some(host))
}

/// Reads the signed-link secret kept in the data directory, creating it on first start, so
/// download links survive restarts.
fn link_secret(data_dir: &Path) -> Result<String, Error> {
    let path = data_dir.join("link-secret");
    match std::fs::read_to_string(&path) {
        Ok(secret) if secret.trim().len() >= 32 => return Ok(secret.trim().to_owned()),
        Ok(_) | Err(_) => {}
    }
    std::fs::create_dir_all(data_dir)?;
    let secret: String = (0..2).map(|_| uuid_hex()).collect();
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    std::io::Write::write_all(&mut options.open(&path)?, secret.as_bytes())
        .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    Ok(secret)
}

fn uuid_hex() -> String {
    tseeder_core::domain::JobId::new().0.simple().to_string()
}

/// Builds the compute engine `config.dispatch.engine` names: the in-process BitTorrent engine
/// from `config.engine` (`local`), or remote agents (`agents`): a
/// [`RemoteAgentEngine`](tseeder_agent::remote::RemoteAgentEngine) over `core`'s worker
/// registry, ranked by `core`'s routing policy (the router plugin when one is configured,
/// otherwise the native policy, stale after `agents.stale_after_secs`), signing with
/// `agents.secret`.
pub async fn build_engine(config: &TseederConfig, core: &Tseeder) -> Result<Arc<dyn ComputeEngine>, Error> {
    Ok(build_engine_parts(config, core).await?.0)
}

/// [`build_engine`], plus what previews magnet links with the same engine: the in-process
/// engine for `local`, nothing for `agents` (a magnet preview is then refused as unavailable).
/// Hand the second part to [`Tseeder::with_metadata_source`].
pub async fn build_engine_parts(
    config: &TseederConfig,
    core: &Tseeder,
) -> Result<(Arc<dyn ComputeEngine>, Option<Arc<dyn MetadataSource>>), Error> {
    if config.dispatch.engine == tseeder_core::config::DispatchEngine::Agents {
        if !config.agents.enabled() {
            return Err("dispatch.engine = \"agents\" needs agents.secret".into());
        }
        let engine = tseeder_agent::remote::RemoteAgentEngine::new(
            Arc::clone(&core.ports.workers),
            core.policies.host().routing_policy(),
            tseeder_agent::remote::Secret::new(config.agents.secret.clone()),
            Arc::clone(&core.ports.audit),
            Arc::clone(&core.ports.clock),
        )
        .map_err(|e| format!("cannot build the remote agent engine: {e}"))?;
        return Ok((Arc::new(engine), None));
    }
    let engine = Arc::new(
        tseeder_agent::LibrqbitEngine::new(config.engine_config())
            .await
            .map_err(|e| format!("cannot start the BitTorrent engine: {e}"))?,
    );
    Ok((Arc::clone(&engine) as Arc<dyn ComputeEngine>, Some(engine as Arc<dyn MetadataSource>)))
}

/// Builds everything and serves HTTP (the API under `/api/v1`, the web console at `/`, both
/// under `http.base_path`) on `listener` until `shutdown` resolves; runs queued jobs on
/// the engine `dispatch.engine` names when `dispatch.enabled`, and the periodic tasks (the
/// retention sweep) when `scheduler.enabled`. On PostgreSQL, job notices travel between this
/// process and the others on the database (see [`Tseeder::relay_events`]).
pub async fn run(
    config: TseederConfig,
    listener: tokio::net::TcpListener,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> Result<(), Error> {
    let mut core = build_core(&config).await?;
    let stop = CancellationToken::new();
    // Before anything can publish: job notices to and from the other processes on the database.
    let relay = core.relay_events(stop.clone()).await.map_err(|e| format!("cannot relay job events: {e}"))?;
    let dispatcher = if config.dispatch.enabled {
        let (engine, metadata) = build_engine_parts(&config, &core).await?;
        if let Some(metadata) = metadata {
            core = core.with_metadata_source(metadata);
        }
        Some(core.dispatcher(engine).spawn(stop.clone()))
    } else {
        None
    };
    let scheduler = if config.scheduler.enabled { Some(core.scheduler()?.spawn(stop.clone())) } else { None };
    let state = tseeder_http::AppState::new(core, config.resolved().http);
    let served = tseeder_web::serve(listener, state, shutdown).await;
    stop.cancel();
    for handle in [dispatcher, scheduler, relay].into_iter().flatten() {
        let _ = handle.await;
    }
    served?;
    Ok(())
}
