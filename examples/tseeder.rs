//! The all-in-one self-hosting binary: `serve` runs the API on the embedded default (SQLite file
//! and local directory under `./data`), `admin create-user` bootstraps accounts, `migrate`
//! applies the schema, `plugins check` and `plugins dry-run` try a policy plugin before it is
//! installed.
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
    /// Try a policy plugin (a WebAssembly component) before installing it.
    Plugins {
        #[command(subcommand)]
        command: PluginsCommand,
    },
}

#[derive(Debug, Subcommand)]
enum PluginsCommand {
    /// Load and validate FILE (its WIT world, its imports, a smoke decision) and time its
    /// decisions. Touches no database.
    Check {
        /// The component (`.wasm`).
        file: PathBuf,
        #[command(flatten)]
        sandbox: SandboxArgs,
    },
    /// Run FILE against the live database and print what it would decide, acting on nothing:
    /// a router ranks the registered workers for the queued jobs (and a sample job); a
    /// retention policy lists the files and bytes a sweep would delete now.
    DryRun {
        /// The component (`.wasm`).
        file: PathBuf,
        #[command(flatten)]
        sandbox: SandboxArgs,
        /// Region hint of the sample job a router is asked about.
        #[arg(long)]
        region_hint: Option<String>,
        /// Files listed at most (the totals count every file).
        #[arg(long, default_value_t = 50)]
        limit: usize,
    },
}

/// The sandbox a plugin is tried in (the same limits as `[plugins.*]` in the configuration).
#[derive(Debug, clap::Args)]
struct SandboxArgs {
    /// Most bytes the plugin's memory may grow to.
    #[arg(long, default_value_t = tseeder::core::config::PluginConfig::default().max_memory_bytes)]
    max_memory_bytes: u64,
    /// Longest one decision may take, in milliseconds.
    #[arg(long, default_value_t = tseeder::core::config::PluginConfig::default().timeout_ms)]
    timeout_ms: u64,
    /// Host functions granted (`log`).
    #[arg(long = "grant")]
    grants: Vec<String>,
}

impl SandboxArgs {
    /// The plugin configuration for `file`, pinned to the file's own hash.
    fn plugin(&self, file: &std::path::Path) -> anyhow::Result<tseeder::core::config::PluginConfig> {
        let bytes = std::fs::read(file).with_context(|| format!("cannot read {}", file.display()))?;
        Ok(tseeder::core::config::PluginConfig {
            path: file.display().to_string(),
            sha256: tseeder::plugins::sha256_hex(&bytes),
            max_memory_bytes: self.max_memory_bytes,
            timeout_ms: self.timeout_ms,
            grants: self.grants.clone(),
        })
    }
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

/// `tseeder plugins ...`: trying a plugin from the command line. Reports go to stdout.
#[allow(clippy::print_stdout, reason = "operator commands that report to the terminal")]
mod plugins {
    use std::sync::Arc;
    use std::time::Duration;

    use anyhow::Context as _;
    use tseeder::core::config::PluginConfig;
    use tseeder::core::domain::{JobStatus, PageRequest, RegionCode};
    use tseeder::core::ports::{JobFilter, PolicyKind, RoutingPolicy, RoutingRequest};
    use tseeder::core::services::{NativeRoutingPolicy, Tseeder};
    use tseeder::plugins::{PluginEngine, WasmRetentionPolicy, WasmRoutingPolicy};

    fn engine() -> anyhow::Result<PluginEngine> {
        PluginEngine::new(None).map_err(|e| anyhow::anyhow!("cannot start the plugin engine: {e}"))
    }

    /// Prints what `tseeder plugins check` reports.
    pub(super) fn check(plugin: &PluginConfig) -> anyhow::Result<()> {
        let report = tseeder::plugins::check(&engine()?, plugin)
            .map_err(|e| anyhow::anyhow!("{}: refused: {e}", plugin.path))?;
        println!("file:       {}", plugin.path);
        println!("kind:       {} (tseeder:policy/{})", report.kind, report.kind);
        println!("sha256:     {}", report.sha256);
        println!("size:       {} bytes", report.bytes);
        let imports = if report.imports.is_empty() { "none".to_owned() } else { report.imports.join(", ") };
        println!("imports:    {imports}");
        println!("load:       {:.1} ms (compile, validate, smoke decision)", report.load_time.as_secs_f64() * 1e3);
        println!(
            "decision:   p50 {:.1} us, p99 {:.1} us ({} decisions)",
            report.decision_p50.as_secs_f64() * 1e6,
            report.decision_p99.as_secs_f64() * 1e6,
            tseeder::plugins::CHECK_DECISIONS
        );
        println!("ok: pin it with sha256 = \"{}\"", report.sha256);
        Ok(())
    }

    /// Prints what `tseeder plugins dry-run` reports.
    pub(super) async fn dry_run(
        core: &Tseeder,
        plugin: &PluginConfig,
        stale_after: Duration,
        region_hint: Option<&str>,
        limit: usize,
    ) -> anyhow::Result<()> {
        let engine = engine()?;
        let bytes = std::fs::read(&plugin.path).with_context(|| format!("cannot read {}", plugin.path))?;
        let kind = tseeder::plugins::detect_kind(&engine, &bytes).map_err(|e| anyhow::anyhow!("refused: {e}"))?;
        let clock = Arc::clone(&core.ports.clock);
        match kind {
            PolicyKind::Router => {
                let wasm = WasmRoutingPolicy::new(&engine, plugin.clone(), stale_after, None, clock);
                anyhow::ensure!(wasm.is_loaded(), "refused: {}", refusal(wasm.status()));
                let native = NativeRoutingPolicy::new(stale_after);
                let hint = region_hint
                    .map(RegionCode::parse)
                    .transpose()
                    .map_err(|e| anyhow::anyhow!("--region-hint: {e}"))?;
                let workers = core.ports.workers.list_workers().await.context("cannot list workers")?;
                println!("{} registered worker(s); rankings best first, plugin vs native:", workers.len());
                let mut jobs = vec![(
                    "sample job".to_owned(),
                    RoutingRequest {
                        job_id: tseeder::core::domain::JobId::new(),
                        region_hint: hint,
                        size_estimate: None,
                    },
                )];
                let filter = JobFilter { status: Some(JobStatus::Queued), ..JobFilter::default() };
                let queued =
                    core.ports.jobs.list_jobs(&filter, PageRequest { page: 1, limit: limit.clamp(1, 100) as u64 });
                for job in queued.await.context("cannot list queued jobs")?.items {
                    let label = format!("queued {} ({})", job.id, job.name);
                    jobs.push((
                        label,
                        RoutingRequest { job_id: job.id, region_hint: job.region_hint, size_estimate: job.total_bytes },
                    ));
                }
                let now = core.ports.clock.now();
                for (label, request) in &jobs {
                    let hint = request.region_hint.as_ref().map_or("none", |r| r.as_str());
                    let ours = wasm.rank(request, &workers, now).map_err(|e| anyhow::anyhow!("{e}"))?;
                    let theirs = native.rank(request, &workers, now).map_err(|e| anyhow::anyhow!("{e}"))?;
                    println!("{label} [hint {hint}]");
                    println!("  plugin: {}", show(&ours));
                    println!("  native: {}", show(&theirs));
                }
                let status = wasm.status();
                anyhow::ensure!(status.counters.failures == 0, "the plugin failed: {}", failure(status));
            }
            PolicyKind::Retention => {
                let wasm = WasmRetentionPolicy::new(&engine, plugin.clone(), None, clock);
                anyhow::ensure!(wasm.is_loaded(), "refused: {}", refusal(wasm.status()));
                let selection = core.retention.dry_run_with(&wasm).await.map_err(|e| anyhow::anyhow!("{e}"))?;
                println!("{} file(s) examined; a sweep now would delete:", selection.examined);
                for file in selection.files.iter().take(limit) {
                    let completed = file.completed_at.map_or_else(|| "-".to_owned(), |t| t.to_rfc3339());
                    println!(
                        "  {}  job {}  plan {}  {} bytes  completed {completed}",
                        file.file_id, file.job_id, file.plan, file.size
                    );
                }
                if selection.files.len() > limit {
                    println!("  ... and {} more", selection.files.len() - limit);
                }
                println!("total: {} file(s), {} bytes", selection.files.len(), selection.bytes);
                if let Some(error) = &selection.error {
                    println!(
                        "the plugin failed on {} file(s), which a sweep would keep: {error}",
                        selection.kept_on_error
                    );
                }
            }
        }
        println!("(dry run: nothing was changed)");
        Ok(())
    }

    fn show(ranking: &[String]) -> String {
        if ranking.is_empty() { "no eligible worker".into() } else { ranking.join(" > ") }
    }

    fn refusal(status: tseeder::core::ports::PolicyStatus) -> String {
        status.last_refusal.map_or_else(|| "not loaded".into(), |r| r.reason)
    }

    fn failure(status: tseeder::core::ports::PolicyStatus) -> String {
        status.last_failure.map_or_else(|| "unknown".into(), |r| r.reason)
    }
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

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    tseeder::init_tracing("info,sqlx=warn,sea_orm=warn");
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
            tseeder::run(config, listener, tseeder::shutdown_signal()).await.map_err(|e| anyhow::anyhow!(e))?;
        }
        Command::Migrate => {
            config.database.auto_migrate = true;
            tseeder::build_core(&config).await.map_err(|e| anyhow::anyhow!(e))?;
            tracing::info!("database is up to date");
        }
        Command::Plugins { command: PluginsCommand::Check { file, sandbox } } => {
            plugins::check(&sandbox.plugin(&file)?)?;
        }
        Command::Plugins { command: PluginsCommand::DryRun { file, sandbox, region_hint, limit } } => {
            let core = tseeder::build_core(&config).await.map_err(|e| anyhow::anyhow!(e))?;
            let stale_after = std::time::Duration::from_secs(config.agents.stale_after_secs);
            plugins::dry_run(&core, &sandbox.plugin(&file)?, stale_after, region_hint.as_deref(), limit).await?;
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
