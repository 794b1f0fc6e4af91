//! A remote compute agent: runs the librqbit engine, registers with the API through signed
//! heartbeats, and serves its own small API (`GET /v1/health`, signed `GET /v1/status` and the
//! signed jobs API the API dispatches to). Finished files go to the object store of the
//! `[store]` section (the API's store: the same directory, or the same S3 bucket).
//!
//! Configuration: defaults, then `tseeder-agent.toml` (or `--config FILE`), then
//! `TSEEDER_AGENT__*` environment variables (`__` separates sections:
//! `TSEEDER_AGENT__ENGINE__PEER_DISCOVERY=false`), then `TSEEDER_AGENT__SECRET_FILE` (a file
//! holding the secret), then flags.
//!
//! ```sh
//! TSEEDER_AGENT__SECRET='the API's agents.secret, 32+ characters' \
//!   cargo run --example agent -- --api-url http://127.0.0.1:8080 --worker-id eu-1 --region eu-west
//! ```

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;

use anyhow::Context as _;
use clap::Parser;
use figment::Figment;
use figment::providers::{Env, Format as _, Toml};
use tokio_util::sync::CancellationToken;
use tseeder::agent::LibrqbitEngine;
use tseeder::agent::remote::{
    AgentConfig, AgentJobs, AgentState, AgentStats, Secret, StatsSource, serve, spawn_heartbeats,
};
use tseeder::storage::FileStoreConfig;
use url::Url;

#[derive(Debug, Parser)]
#[command(name = "tseeder-agent", version, about = "tseeder remote compute agent")]
struct Cli {
    /// Configuration file (TOML). Defaults to ./tseeder-agent.toml when it exists.
    #[arg(long)]
    config: Option<PathBuf>,
    /// The API's base URL, e.g. http://127.0.0.1:8080.
    #[arg(long)]
    api_url: Option<Url>,
    /// This agent's id, unique in the fleet.
    #[arg(long)]
    worker_id: Option<String>,
    /// This agent's region, e.g. eu-west.
    #[arg(long)]
    region: Option<String>,
    /// Where the agent's API listens, e.g. 0.0.0.0:8090.
    #[arg(long)]
    listen: Option<SocketAddr>,
    /// The base URL the API reaches this agent at, e.g. http://10.0.0.7:8090.
    #[arg(long)]
    public_url: Option<Url>,
}

const ENV_PREFIX: &str = "TSEEDER_AGENT__";
const SECRET_FILE_ENV: &str = "TSEEDER_AGENT__SECRET_FILE";

fn load_config(cli: &Cli) -> anyhow::Result<(AgentConfig, FileStoreConfig)> {
    let file = cli.config.clone().unwrap_or_else(|| PathBuf::from("tseeder-agent.toml"));
    if cli.config.is_some() && !file.exists() {
        anyhow::bail!("configuration file {} does not exist", file.display());
    }
    let env = Env::prefixed(ENV_PREFIX).split("__").ignore(&["secret_file"]);
    let figment = Figment::new().merge(Toml::file(&file)).merge(env);
    let mut config: AgentConfig =
        figment.extract().context("invalid configuration (file or TSEEDER_AGENT__* environment variables)")?;
    let mut store: FileStoreConfig = if figment.find_value("store").is_ok() {
        figment.extract_inner("store").context("invalid [store] configuration")?
    } else {
        FileStoreConfig::default()
    };
    if store.url.is_empty() {
        store.url = "data/files".into();
    }
    if let Some(path) = std::env::var_os(SECRET_FILE_ENV) {
        let secret = std::fs::read_to_string(&path)
            .with_context(|| format!("{SECRET_FILE_ENV}: cannot read {}", PathBuf::from(&path).display()))?;
        config.secret = Secret::new(secret.trim());
    }
    if let Some(url) = &cli.api_url {
        config.api_url = url.clone();
    }
    if let Some(id) = &cli.worker_id {
        config.worker_id = id.clone();
    }
    if let Some(region) = &cli.region {
        config.region = region.parse().map_err(|e| anyhow::anyhow!("--region: {e}"))?;
    }
    if let Some(listen) = cli.listen {
        config.listen = listen;
    }
    if let Some(url) = &cli.public_url {
        config.public_url = url.clone();
    }
    config.validate().map_err(|e| anyhow::anyhow!("invalid configuration: {e}"))?;
    Ok((config, store))
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    tseeder::init_tracing("info,librqbit=warn");
    let cli = Cli::parse();
    let (config, store) = load_config(&cli)?;
    let store = tseeder::storage::file_store(&store).await.context("cannot open the object store ([store])")?;

    let engine = LibrqbitEngine::new(config.engine.clone()).await.context("cannot start the torrent engine")?;
    let jobs = Arc::new(AgentJobs::new(Arc::new(engine.clone()), store, config.max_jobs));
    // Heartbeats report the accepted remote jobs and the CPU usage, not only the engine's runs.
    let stats: Arc<dyn StatsSource> = Arc::new(AgentStats::new(Arc::new(engine.clone()), Arc::clone(&jobs)));
    let agent_jobs = Arc::clone(&jobs);
    let listener = tokio::net::TcpListener::bind(config.listen)
        .await
        .with_context(|| format!("cannot listen on {}", config.listen))?;
    tracing::info!(
        worker_id = %config.worker_id,
        region = %config.region,
        address = %listener.local_addr()?,
        public_url = %config.public_url,
        api_url = %config.api_url,
        "agent is serving; heartbeats start now"
    );

    let cancel = CancellationToken::new();
    let heartbeats = spawn_heartbeats(config.clone(), Arc::clone(&stats), cancel.clone());
    let server_cancel = cancel.clone();
    let server = tokio::spawn(serve(listener, AgentState::new(config, stats).with_jobs(jobs), async move {
        server_cancel.cancelled().await;
    }));
    tseeder::shutdown_signal().await;
    agent_jobs.shutdown().await;
    cancel.cancel();
    let _ = heartbeats.await;
    server.await.context("agent server task")?.context("agent server")?;
    drop(engine);
    Ok(())
}
