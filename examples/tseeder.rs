//! The all-in-one self-hosting binary: `serve` runs the API on the embedded default (SQLite file
//! and local directory under `./data`), `admin create-user` bootstraps accounts, `migrate`
//! applies the schema.
//!
//! Configuration: defaults, then `tseeder.toml` (or `--config FILE`), then `TSEEDER_*`
//! environment variables (`__` separates sections: `TSEEDER_DATABASE__URL`), then flags.

use std::path::PathBuf;

use anyhow::Context as _;
use clap::{Parser, Subcommand};
use figment::Figment;
use figment::providers::{Env, Format as _, Toml};
use tseeder::TseederConfig;
use tseeder::core::domain::Role;

#[derive(Debug, Parser)]
#[command(name = "tseeder", version, about = "Self-hostable remote torrent downloads")]
struct Cli {
    /// Configuration file (TOML). Defaults to ./tseeder.toml when it exists.
    #[arg(long, global = true)]
    config: Option<PathBuf>,
    /// Database URL (`sqlite://...` or `postgres://...`); overrides the file and environment.
    #[arg(long, global = true)]
    database_url: Option<String>,
    /// Data directory for the embedded database and files.
    #[arg(long, global = true)]
    data_dir: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Run the HTTP API.
    Serve {
        /// Address to listen on, e.g. 127.0.0.1:8080.
        #[arg(long)]
        listen: Option<String>,
    },
    /// Apply pending database migrations and exit.
    Migrate,
    /// Operator commands.
    Admin {
        #[command(subcommand)]
        command: AdminCommand,
    },
}

#[derive(Debug, Subcommand)]
enum AdminCommand {
    /// Create a user with a role (use this for the first admin).
    CreateUser {
        /// Email address.
        #[arg(long)]
        email: String,
        /// Password (8-128 characters, a letter and a digit). Prefer TSEEDER_ADMIN_PASSWORD.
        #[arg(long, env = "TSEEDER_ADMIN_PASSWORD", hide_env_values = true)]
        password: String,
        /// user, support, admin or superadmin.
        #[arg(long, default_value = "user")]
        role: String,
    },
}

fn load_config(cli: &Cli) -> anyhow::Result<TseederConfig> {
    let file = cli.config.clone().unwrap_or_else(|| PathBuf::from("tseeder.toml"));
    if cli.config.is_some() && !file.exists() {
        anyhow::bail!("configuration file {} does not exist", file.display());
    }
    let env = Env::prefixed("TSEEDER_").split("__").filter(|key| {
        let key = key.as_str().to_ascii_lowercase();
        TseederConfig::SECTIONS
            .iter()
            .any(|s| key == *s || key.starts_with(&format!("{s}.")) || key.starts_with(&format!("{s}__")))
    });
    let mut config: TseederConfig = Figment::new()
        .merge(Toml::file(&file))
        .merge(env)
        .extract()
        .context("invalid configuration (file or TSEEDER_* environment variables)")?;
    if let Some(url) = &cli.database_url {
        config.database.url = url.clone();
    }
    if let Some(dir) = &cli.data_dir {
        config.data_dir = dir.clone();
    }
    Ok(config)
}

async fn shutdown_signal() {
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

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| "info,sqlx=warn,sea_orm=warn".into()),
        )
        .init();
    let cli = Cli::parse();
    let mut config = load_config(&cli)?;
    match cli.command {
        Command::Serve { listen } => {
            if let Some(listen) = listen {
                config.http.listen = listen;
            }
            let listener = tokio::net::TcpListener::bind(&config.http.listen)
                .await
                .with_context(|| format!("cannot listen on {}", config.http.listen))?;
            tracing::info!(
                address = %listener.local_addr()?,
                database = %tseeder::config::redact_url(&config.database.url(&config.data_dir)),
                "tseeder is serving; API docs at /api/v1/docs"
            );
            tseeder::run(config, listener, shutdown_signal()).await.map_err(|e| anyhow::anyhow!(e))?;
        }
        Command::Migrate => {
            config.database.auto_migrate = true;
            tseeder::build_core(&config).await.map_err(|e| anyhow::anyhow!(e))?;
            tracing::info!("database is up to date");
        }
        Command::Admin { command: AdminCommand::CreateUser { email, password, role } } => {
            let role: Role = role.parse().map_err(|e: String| anyhow::anyhow!(e))?;
            let core = tseeder::build_core(&config).await.map_err(|e| anyhow::anyhow!(e))?;
            let user = core.accounts.create_user(&email, &password, role).await.map_err(|e| anyhow::anyhow!("{e}"))?;
            tracing::info!(user_id = %user.id, email = %user.email, role = %user.role, "user created");
        }
    }
    Ok(())
}
