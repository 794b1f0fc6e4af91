//! The whole service's configuration: one struct per crate, gathered here. The binaries fill it
//! from defaults, then `tseeder.toml`, then `TSEEDER_*` environment variables
//! (`TSEEDER_DATABASE__URL`, `TSEEDER_HTTP__LISTEN`, ...), then command-line flags.

use std::path::{Path, PathBuf};

use serde::Deserialize;
use tseeder_core::services::CoreConfig;
use tseeder_http::HttpConfig;

/// Where the database is.
#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
#[serde(default, deny_unknown_fields)]
pub struct DatabaseConfig {
    /// `sqlite://path?mode=rwc` or `postgres://user@host/db`. Empty means a SQLite file
    /// `tseeder.db` inside the data directory.
    pub url: String,
    /// Apply pending migrations at start-up.
    pub auto_migrate: bool,
}

impl Default for DatabaseConfig {
    fn default() -> Self {
        Self { url: String::new(), auto_migrate: true }
    }
}

impl DatabaseConfig {
    /// The effective URL: the configured one, or the SQLite file in `data_dir` (see
    /// [`TseederConfig::resolved`], which applies it with the other `data_dir` defaults).
    pub fn url(&self, data_dir: &Path) -> String {
        if self.url.is_empty() {
            format!("sqlite://{}?mode=rwc", data_dir.join("tseeder.db").display())
        } else {
            self.url.clone()
        }
    }
}

/// Everything tseeder can be configured with.
#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
#[serde(default, deny_unknown_fields)]
pub struct TseederConfig {
    /// Directory for the embedded database and stored files.
    pub data_dir: PathBuf,
    /// The database.
    pub database: DatabaseConfig,
    /// The HTTP host.
    pub http: HttpConfig,
    /// Accounts and sessions.
    pub auth: tseeder_core::config::AuthConfig,
    /// Organizations: how long invites work, how many an organization sends, how many one
    /// account joins.
    pub orgs: tseeder_core::config::OrgConfig,
    /// Jobs and the queue.
    pub jobs: tseeder_core::config::JobConfig,
    /// Where file blobs are stored.
    pub store: tseeder_storage::FileStoreConfig,
    /// The in-process BitTorrent engine.
    pub engine: tseeder_agent::EngineConfig,
    /// Signed download links, and the completed-files location.
    pub files: tseeder_core::config::FileConfig,
    /// Running queued jobs.
    pub dispatch: tseeder_core::config::DispatchConfig,
    /// Remote compute agents: the shared secret and the heartbeat and signature time limits.
    pub agents: tseeder_core::config::AgentConfig,
    /// Policy plugins (WebAssembly) replacing the native routing and retention policies.
    pub plugins: tseeder_core::config::PluginsConfig,
    /// The retention sweep: schedule, batch size, orphan grace period.
    pub retention: tseeder_core::config::RetentionConfig,
    /// Periodic tasks, run once per cluster.
    pub scheduler: tseeder_core::config::SchedulerConfig,
    /// Alert thresholds: queue age, dead-letter growth, storage capacity, missed runs.
    pub alerts: tseeder_core::services::AlertConfig,
    /// The public status page: sampling schedule, thresholds, the uptime formula's weight.
    pub status: tseeder_core::services::StatusConfig,
    /// Request metrics and the observability dashboard: on or off, flush interval, snapshots,
    /// how long they are kept.
    pub observability: tseeder_core::services::ObservabilityConfig,
    /// Email out: the SMTP server and the sender (none: messages go to the log).
    pub mail: tseeder_mail::MailConfig,
    /// Billing rules that hold whatever the payment provider: the grace period after a failed
    /// payment.
    pub billing: tseeder_core::config::BillingConfig,
    /// Payments through Stripe: the keys, the prices of the plans for sale (no secret key:
    /// billing is off).
    pub stripe: tseeder_stripe::StripeConfig,
    /// The read cache of credentials and job lists: how long a cached read is used at most.
    pub cache: tseeder_core::config::CacheConfig,
}

impl Default for TseederConfig {
    fn default() -> Self {
        Self {
            data_dir: PathBuf::from("data"),
            database: DatabaseConfig::default(),
            http: HttpConfig::default(),
            auth: Default::default(),
            orgs: Default::default(),
            jobs: Default::default(),
            store: Default::default(),
            engine: Default::default(),
            files: Default::default(),
            dispatch: Default::default(),
            agents: Default::default(),
            plugins: Default::default(),
            retention: Default::default(),
            scheduler: Default::default(),
            alerts: Default::default(),
            status: Default::default(),
            observability: Default::default(),
            mail: Default::default(),
            billing: Default::default(),
            stripe: Default::default(),
            cache: Default::default(),
        }
    }
}

impl TseederConfig {
    /// Top-level sections, for telling configuration variables from other `TSEEDER_*` ones.
    pub const SECTIONS: [&'static str; 21] = [
        "data_dir",
        "database",
        "http",
        "auth",
        "orgs",
        "jobs",
        "store",
        "engine",
        "files",
        "dispatch",
        "agents",
        "plugins",
        "retention",
        "scheduler",
        "alerts",
        "status",
        "observability",
        "mail",
        "billing",
        "stripe",
        "cache",
    ];

    /// The core services' part of the configuration.
    pub fn core(&self) -> CoreConfig {
        CoreConfig {
            auth: self.auth.clone(),
            orgs: self.orgs.clone(),
            billing: self.billing.clone(),
            jobs: self.jobs.clone(),
            files: self.files.clone(),
            dispatch: self.dispatch.clone(),
            agents: self.agents.clone(),
            retention: self.retention.clone(),
            scheduler: self.scheduler.clone(),
            alerts: self.alerts.clone(),
            status: self.status.clone(),
            observability: self.observability.clone(),
            cache: self.cache.clone(),
        }
    }

    /// The configuration with every default that follows `data_dir` filled in: the one place
    /// they are applied.
    ///
    /// | Setting | When | Becomes |
    /// |---|---|---|
    /// | `database.url` | empty | the SQLite file `<data_dir>/tseeder.db` |
    /// | `store.url` | empty | `<data_dir>/files` |
    /// | `plugins.cache_dir` | empty, and `data_dir` set | `<data_dir>/plugin-cache` |
    /// | `engine.scratch_dir` | its default | `<data_dir>/scratch` |
    /// | `files.completed_dir` | empty, and `data_dir` set | `<data_dir>/completed` |
    /// | `auth.public_url` | empty | `http://<http.listen><http.base_path>` |
    /// | `http.qbittorrent.peer_discovery` | always | `engine.peer_discovery` |
    ///
    /// (The signed-link secret, kept in `<data_dir>/link-secret`, is read or created when the
    /// service is built.)
    pub fn resolved(&self) -> Self {
        let mut config = self.clone();
        let dir = &self.data_dir;
        config.database.url = self.database.url(dir);
        if config.store.url.is_empty() {
            config.store.url = dir.join("files").display().to_string();
        }
        if config.plugins.cache_dir.is_empty() && !dir.as_os_str().is_empty() {
            config.plugins.cache_dir = dir.join("plugin-cache").display().to_string();
        }
        if config.files.completed_dir.is_empty() && !dir.as_os_str().is_empty() {
            config.files.completed_dir = dir.join("completed").display().to_string();
        }
        if config.engine.scratch_dir == tseeder_agent::EngineConfig::default().scratch_dir {
            config.engine.scratch_dir = dir.join("scratch");
        }
        config.http.qbittorrent.peer_discovery = config.engine.peer_discovery;
        if config.auth.public_url.is_empty() {
            config.auth.public_url = format!("http://{}{}", self.http.listen, self.http.base_path());
        }
        config
    }

    /// The plugin settings, with the `data_dir` defaults of [`resolved`](Self::resolved).
    pub fn plugins_config(&self) -> tseeder_core::config::PluginsConfig {
        self.resolved().plugins
    }

    /// The object store settings, with the `data_dir` defaults of [`resolved`](Self::resolved).
    pub fn store_config(&self) -> tseeder_storage::FileStoreConfig {
        self.resolved().store
    }

    /// The engine settings, with the `data_dir` defaults of [`resolved`](Self::resolved).
    pub fn engine_config(&self) -> tseeder_agent::EngineConfig {
        self.resolved().engine
    }
}

/// A database URL with any password replaced by `***`, for logs and errors.
pub fn redact_url(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme_end), Some(at)) if at > scheme_end => {
            let userinfo = &url[scheme_end + 3..at];
            match userinfo.split_once(':') {
                Some((user, _)) => format!("{}{user}:***{}", &url[..scheme_end + 3], &url[at..]),
                None => url.to_owned(),
            }
        }
        _ => url.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_in_database_urls_are_redacted() {
        assert_eq!(redact_url("postgres://bob:secret@db:5432/x"), "postgres://bob:***@db:5432/x");
        assert_eq!(redact_url("postgres://bob@db/x"), "postgres://bob@db/x");
        assert_eq!(redact_url("sqlite://data/t.db"), "sqlite://data/t.db");
    }

    #[test]
    fn default_database_is_a_sqlite_file_in_the_data_dir() {
        let c = TseederConfig::default();
        assert_eq!(c.database.url(&c.data_dir), "sqlite://data/tseeder.db?mode=rwc");
    }

    #[test]
    fn data_dir_defaults_follow_the_data_dir_and_explicit_settings_stay() {
        let c = TseederConfig { data_dir: PathBuf::from("/srv/t"), ..TseederConfig::default() }.resolved();
        assert_eq!(c.database.url, "sqlite:///srv/t/tseeder.db?mode=rwc");
        assert_eq!(c.store.url, "/srv/t/files");
        assert_eq!(c.plugins.cache_dir, "/srv/t/plugin-cache");
        assert_eq!(c.engine.scratch_dir, PathBuf::from("/srv/t/scratch"));
        assert_eq!(c.files.completed_dir, "/srv/t/completed");
        assert_eq!(c.auth.public_url, "http://127.0.0.1:8080", "links in emails follow http.listen");
        assert_eq!(c.resolved(), c, "applying the defaults twice changes nothing");
        assert_eq!(c.store_config(), c.store);

        let mut explicit = TseederConfig { data_dir: PathBuf::from("/srv/t"), ..TseederConfig::default() };
        explicit.database.url = "postgres://db/x".into();
        explicit.store.url = "/elsewhere".into();
        explicit.plugins.cache_dir = "/cache".into();
        explicit.engine.scratch_dir = PathBuf::from("/tmp/s");
        explicit.files.completed_dir = "/srv/media/downloads".into();
        explicit.auth.public_url = "https://tseeder.example.com".into();
        assert_eq!(explicit.resolved(), explicit);

        let no_dir = TseederConfig { data_dir: PathBuf::new(), ..TseederConfig::default() }.resolved();
        assert_eq!(no_dir.plugins.cache_dir, "", "no data directory: no plugin cache");
    }
}
