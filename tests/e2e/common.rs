//! `TestApp`: a running tseeder on 127.0.0.1:0 with a fresh database.

use std::sync::Arc;

use reqwest::header::{HeaderMap, HeaderValue};
use serde_json::{Value, json};
use tokio::sync::oneshot;
use tokio_util::sync::CancellationToken;
use tseeder::TseederConfig;
use tseeder::agent::testing::{LoopbackSeeder, loopback_config, write_random_file};
use tseeder::core::domain::Role;
use tseeder::core::ports::SystemClock;
use tseeder::core::services::Tseeder;
use tseeder_storage::testing::TestDb;

/// Runs each scenario against SQLite, and against PostgreSQL when it is configured. With
/// `downloading:` first, the app also runs a dispatcher on a loopback-only librqbit engine, and
/// a seeder on 127.0.0.1 is ready to serve torrents.
///
/// With `configured(f):` first, `f: fn(&mut TseederConfig)` adjusts the configuration before the
/// app starts (use it in a module of its own: each use defines `mod sqlite` and `mod postgres`).
macro_rules! on_every_backend {
    (downloading: $($name:ident),* $(,)?) => {
        $crate::common::on_every_backend!(@with true, |_| {}; $($name),*);
    };
    (configured($configure:expr): $($name:ident),* $(,)?) => {
        $crate::common::on_every_backend!(@with false, $configure; $($name),*);
    };
    ($($name:ident),* $(,)?) => {
        $crate::common::on_every_backend!(@with false, |_| {}; $($name),*);
    };
    (@with $engine:expr, $configure:expr; $($name:ident),*) => {
        mod sqlite {
            $(#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn $name() {
                let app = $crate::common::TestApp::start_configured($crate::common::Backend::Sqlite, $engine, None, $configure)
                    .await
                    .expect("sqlite");
                super::$name(&app).await;
                app.stop().await;
            })*
        }
        mod postgres {
            $(#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn $name() {
                let Some(app) =
                    $crate::common::TestApp::start_configured($crate::common::Backend::Postgres, $engine, None, $configure).await
                else {
                    eprintln!("TSEEDER_TEST_DATABASE_URL is not set: PostgreSQL variant not run");
                    return;
                };
                super::$name(&app).await;
                app.stop().await;
            })*
        }
    };
}
pub(crate) use on_every_backend;

/// Which database a test runs on.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Backend {
    Sqlite,
    Postgres,
}

/// A running server and handles on its internals.
pub(crate) struct TestApp {
    pub(crate) base: String,
    pub(crate) core: Tseeder,
    pub(crate) config: TseederConfig,
    /// A seeding librqbit session on 127.0.0.1 (downloading apps only).
    pub(crate) seeder: Option<LoopbackSeeder>,
    /// Scratch space for payloads, the object store and the engine.
    pub(crate) dir: tempfile::TempDir,
    /// The database, dropped when the app stops; `None` for [`TestApp::another_host`], which
    /// uses its first host's.
    db: Option<TestDb>,
    stop: oneshot::Sender<()>,
    server: tokio::task::JoinHandle<()>,
    dispatcher: Option<(CancellationToken, tokio::task::JoinHandle<()>)>,
    /// Job notices to and from the other hosts on the database (PostgreSQL only).
    relay: (CancellationToken, Option<tokio::task::JoinHandle<()>>),
}

pub(crate) const PASSWORD: &str = "correct horse 9";

/// The secret every test app shares with its (simulated) remote agents.
pub(crate) const AGENT_SECRET: &str = "e2e agent secret: at least 32 bytes long";

impl TestApp {
    pub(crate) async fn start(backend: Backend, downloading: bool) -> Option<Self> {
        Self::start_with_store(backend, downloading, None).await
    }

    /// [`TestApp::start`] with files in the given object store instead of a local directory.
    pub(crate) async fn start_with_store(
        backend: Backend,
        downloading: bool,
        store: Option<tseeder_storage::FileStoreConfig>,
    ) -> Option<Self> {
        Self::start_configured(backend, downloading, store, |_| {}).await
    }

    /// [`TestApp::start_with_store`], with `configure` adjusting the configuration last.
    pub(crate) async fn start_configured(
        backend: Backend,
        downloading: bool,
        store: Option<tseeder_storage::FileStoreConfig>,
        configure: impl FnOnce(&mut TseederConfig),
    ) -> Option<Self> {
        let db = match backend {
            Backend::Sqlite => TestDb::sqlite().await,
            Backend::Postgres => TestDb::postgres().await?,
        };
        let dir = tempfile::tempdir().expect("tempdir");
        let seeder = if downloading { Some(LoopbackSeeder::start().await.expect("seeder")) } else { None };
        let mut config = TseederConfig::default();
        config.database.url = db.url.clone();
        config.data_dir = dir.path().join("data");
        // Rate limits stay on, generous enough for the suite except where a test checks them.
        config.http.login_per_minute = 20;
        config.dispatch.enabled = downloading;
        config.dispatch.poll_interval_ms = 50;
        config.dispatch.lease_secs = 5;
        config.dispatch.stall_timeout_secs = 30;
        config.dispatch.progress_write_interval_ms = 100;
        if let Some(seeder) = &seeder {
            config.engine = loopback_config(config.data_dir.join("scratch"), seeder.addr());
        }
        if let Some(store) = store {
            config.store = store;
        }
        config.agents.secret = AGENT_SECRET.into();
        configure(&mut config);
        Some(Self::launch(config, Some(db), dir, seeder).await)
    }

    /// Another API host on this app's database, data directory and object store, as a second
    /// process of the same installation: its own services, relay and HTTP server, with this
    /// app's configuration adjusted by `configure`. Stop it before this app.
    pub(crate) async fn another_host(&self, configure: impl FnOnce(&mut TseederConfig)) -> Self {
        let mut config = self.config.clone();
        configure(&mut config);
        let dir = tempfile::tempdir().expect("tempdir");
        config.engine.scratch_dir = dir.path().join("scratch");
        Self::launch(config, None, dir, None).await
    }

    /// Starts the server (and the dispatcher, when enabled) for `config`, as `run` does.
    pub(crate) async fn launch(
        config: TseederConfig,
        db: Option<TestDb>,
        dir: tempfile::TempDir,
        seeder: Option<LoopbackSeeder>,
    ) -> Self {
        let mut core = tseeder::build_core_with_clock(&config, Arc::new(SystemClock)).await.expect("core builds");
        let relay_stop = CancellationToken::new();
        let relay = core.relay_events(relay_stop.clone()).await.expect("relay job events");
        let dispatcher = if config.dispatch.enabled {
            let (engine, metadata) = tseeder::build_engine_parts(&config, &core).await.expect("engine");
            if let Some(metadata) = metadata {
                core = core.with_metadata_source(metadata);
            }
            let token = CancellationToken::new();
            Some((token.clone(), core.dispatcher(engine).spawn(token)))
        } else {
            None
        };
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let base = format!("http://{}", listener.local_addr().expect("addr"));
        let (stop, stopped) = oneshot::channel::<()>();
        let state = tseeder::http::AppState::new(core.clone(), config.http.clone());
        let server = tokio::spawn(async move {
            tseeder::web::serve(listener, state, async {
                let _ = stopped.await;
            })
            .await
            .expect("server runs");
        });
        Self { base, core, config, seeder, dir, db, stop, server, dispatcher, relay: (relay_stop, relay) }
    }

    pub(crate) async fn stop(self) {
        let _ = self.stop.send(());
        let _ = self.server.await;
        if let Some((token, handle)) = self.dispatcher {
            token.cancel();
            let _ = handle.await;
        }
        self.relay.0.cancel();
        if let Some(handle) = self.relay.1 {
            let _ = handle.await;
        }
        if let Some(db) = self.db {
            db.cleanup().await;
        }
    }

    /// Kills the server and its dispatcher mid-flight (no graceful shutdown, leases left as
    /// they are), then starts a new one over the same database, object store and seeder.
    pub(crate) async fn crash_and_restart(self) -> Self {
        self.server.abort();
        if let Some(handle) = &self.relay.1 {
            handle.abort();
        }
        if let Some((_, handle)) = &self.dispatcher {
            handle.abort();
        }
        let _ = self.server.await;
        if let Some((_, handle)) = self.dispatcher {
            let _ = handle.await;
        }
        drop(self.core);
        let mut config = self.config;
        // The new process's engine uses its own scratch space, as a fresh machine would.
        config.engine.scratch_dir = config.data_dir.join("scratch-after-restart");
        Self::launch(config, self.db, self.dir, self.seeder).await
    }

    /// The seeder (downloading apps only).
    pub(crate) fn seeder(&self) -> &LoopbackSeeder {
        self.seeder.as_ref().expect("this app was started with downloading:")
    }

    /// Writes a deterministic pseudo-random payload file of `size` bytes under the app's
    /// scratch space and returns its path.
    pub(crate) fn payload(&self, rel: &str, size: u64, seed: u64) -> std::path::PathBuf {
        let path = self.dir.path().join("payloads").join(rel);
        std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        write_random_file(&path, size, seed).expect("payload");
        path
    }

    pub(crate) fn url(&self, path: &str) -> String {
        format!("{}/api/v1{}", self.base, path)
    }

    /// One column of every row of a table, read straight from the database.
    async fn column(&self, sql: &str, column: &str) -> Vec<String> {
        use sea_orm::{ConnectionTrait, Statement};
        let db = &self.db.as_ref().expect("the first host holds the database").db;
        let rows = db.query_all_raw(Statement::from_string(db.get_database_backend(), sql)).await.expect("a query");
        rows.iter().map(|r| r.try_get::<String>("", column).expect("a text column")).collect()
    }

    /// Every stored password reset's token hash.
    pub(crate) async fn stored_reset_hashes(&self) -> Vec<String> {
        self.column("SELECT token_hash FROM password_resets", "token_hash").await
    }

    /// Every stored organization invite's token hash.
    pub(crate) async fn stored_invite_hashes(&self) -> Vec<String> {
        self.column("SELECT token_hash FROM org_invites", "token_hash").await
    }

    /// The action of every audit entry.
    pub(crate) async fn audit_actions(&self) -> Vec<String> {
        self.column("SELECT action FROM audit_logs", "action").await
    }

    /// A fresh cookie-holding client (a browser).
    pub(crate) fn browser(&self) -> reqwest::Client {
        reqwest::Client::builder().cookie_store(true).build().expect("client")
    }

    /// Registers and logs in a user through the API; returns the browser and its CSRF token.
    pub(crate) async fn register_and_login(&self, email: &str) -> Session {
        let browser = self.browser();
        let res = browser
            .post(self.url("/auth/register"))
            .json(&json!({ "email": email, "password": PASSWORD }))
            .send()
            .await
            .expect("register");
        assert_eq!(res.status(), 201, "register: {}", res.text().await.unwrap_or_default());
        self.login(browser, email).await
    }

    pub(crate) async fn login(&self, browser: reqwest::Client, email: &str) -> Session {
        let res = browser
            .post(self.url("/auth/login"))
            .json(&json!({ "email": email, "password": PASSWORD }))
            .send()
            .await
            .expect("login");
        assert_eq!(res.status(), 200, "login");
        let body: Value = res.json().await.expect("json");
        let csrf = body["csrfToken"].as_str().expect("csrfToken").to_owned();
        Session { app_base: self.base.clone(), client: browser, csrf }
    }

    /// Creates a user with a role directly through the core (as the CLI does) and logs in.
    pub(crate) async fn staff(&self, email: &str, role: Role) -> Session {
        self.core.accounts.create_user(email, PASSWORD, role).await.expect("create staff");
        self.login(self.browser(), email).await
    }

    /// A client authenticating with an API key.
    pub(crate) fn key_client(&self, secret: &str) -> KeyClient {
        let mut headers = HeaderMap::new();
        headers.insert(
            reqwest::header::AUTHORIZATION,
            HeaderValue::from_str(&format!("Bearer {secret}")).expect("header"),
        );
        KeyClient {
            app_base: self.base.clone(),
            client: reqwest::Client::builder().default_headers(headers).build().expect("client"),
        }
    }
}

/// A logged-in browser: cookie jar plus CSRF token.
pub(crate) struct Session {
    app_base: String,
    pub(crate) client: reqwest::Client,
    pub(crate) csrf: String,
}

impl Session {
    pub(crate) fn url(&self, path: &str) -> String {
        format!("{}/api/v1{}", self.app_base, path)
    }

    pub(crate) fn get(&self, path: &str) -> reqwest::RequestBuilder {
        self.client.get(self.url(path))
    }

    /// A state-changing request with the CSRF header, as the web page sends it.
    pub(crate) fn send(&self, method: reqwest::Method, path: &str) -> reqwest::RequestBuilder {
        self.client.request(method, self.url(path)).header("X-CSRF-Token", &self.csrf)
    }

    pub(crate) fn post(&self, path: &str) -> reqwest::RequestBuilder {
        self.send(reqwest::Method::POST, path)
    }

    /// Creates an API key with the given scopes and returns its secret.
    pub(crate) async fn api_key(&self, scopes: &[&str]) -> String {
        let res = self
            .post("/auth/api-keys")
            .json(&json!({ "name": "test key", "scopes": scopes }))
            .send()
            .await
            .expect("create key");
        assert_eq!(res.status(), 201);
        let body: Value = res.json().await.expect("json");
        body["secret"].as_str().expect("secret").to_owned()
    }
}

/// A script or SDK using an API key.
pub(crate) struct KeyClient {
    app_base: String,
    pub(crate) client: reqwest::Client,
}

impl KeyClient {
    pub(crate) fn url(&self, path: &str) -> String {
        format!("{}/api/v1{}", self.app_base, path)
    }

    pub(crate) fn get(&self, path: &str) -> reqwest::RequestBuilder {
        self.client.get(self.url(path))
    }

    pub(crate) fn post(&self, path: &str) -> reqwest::RequestBuilder {
        self.client.post(self.url(path))
    }
}

/// Asserts an error response: status and stable code, with the one error body shape.
pub(crate) async fn expect_error(res: reqwest::Response, status: u16, code: &str) -> Value {
    let got = res.status().as_u16();
    let request_id = res.headers().get("x-request-id").map(|v| v.to_str().unwrap_or_default().to_owned());
    let body: Value = res.json().await.unwrap_or(Value::Null);
    assert_eq!((got, body["error"]["code"].as_str()), (status, Some(code)), "body: {body}");
    assert!(body["error"]["message"].as_str().is_some_and(|m| !m.is_empty()), "message: {body}");
    assert_eq!(body["error"]["requestId"].as_str().map(str::to_owned), request_id, "requestId matches X-Request-Id");
    body
}

/// A `.torrent` file built by hand: `files` is a list of (path components, size). One entry with
/// no components makes a single-file torrent.
pub(crate) fn torrent(name: &str, files: &[(&[&str], u64)]) -> Vec<u8> {
    fn s(out: &mut Vec<u8>, x: &str) {
        out.extend_from_slice(format!("{}:{}", x.len(), x).as_bytes());
    }
    let mut info = b"d".to_vec();
    if files.len() == 1 && files[0].0.is_empty() {
        info.extend_from_slice(format!("6:lengthi{}e", files[0].1).as_bytes());
    } else {
        info.extend_from_slice(b"5:filesl");
        for (path, len) in files {
            info.extend_from_slice(format!("d6:lengthi{len}e4:pathl").as_bytes());
            for p in *path {
                s(&mut info, p);
            }
            info.extend_from_slice(b"ee");
        }
        info.push(b'e');
    }
    s(&mut info, "name");
    s(&mut info, name);
    // One 20-byte hash per 4 MiB piece, as a real torrent has; random binary bytes (never valid
    // UTF-8) give every torrent built here its own infohash.
    const PIECE: u64 = 4 << 20;
    let total: u64 = files.iter().map(|f| f.1).sum();
    let pieces = total.div_ceil(PIECE).max(1);
    info.extend_from_slice(format!("12:piece lengthi{PIECE}e6:pieces{}:", pieces * 20).as_bytes());
    for _ in 0..pieces {
        info.extend_from_slice(&[0xff, 0xfe, 0xff, 0xfe]);
        info.extend_from_slice(uuid::Uuid::new_v4().as_bytes());
    }
    info.push(b'e');
    let mut out = b"d".to_vec();
    s(&mut out, "info");
    out.extend_from_slice(&info);
    out.push(b'e');
    out
}

/// A random valid magnet link.
pub(crate) fn magnet(name: &str) -> String {
    let hash = format!("{}{}", uuid::Uuid::new_v4().simple(), &uuid::Uuid::new_v4().simple().to_string()[..8]);
    format!("magnet:?xt=urn:btih:{hash}&dn={name}&tr=udp%3A%2F%2Ftracker.invalid%3A80")
}

/// One SMTP server on loopback for the whole test binary, on a thread and runtime of its own
/// (each test has its own runtime, which ends with it). Tests tell their messages apart by
/// recipient.
pub(crate) fn smtp_sink() -> &'static tseeder::mail::testing::SmtpSink {
    static SINK: std::sync::OnceLock<tseeder::mail::testing::SmtpSink> = std::sync::OnceLock::new();
    SINK.get_or_init(|| {
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("a runtime");
            runtime.block_on(async move {
                let _ = tx.send(tseeder::mail::testing::SmtpSink::start().await);
                std::future::pending::<()>().await;
            });
        });
        rx.recv().expect("the SMTP sink starts")
    })
}

/// The messages the sink received for `to` with this subject, waiting up to 10 s for at least
/// `count` (registration also emails a verification link, which this leaves out).
pub(crate) async fn mail_about(to: &str, subject: &str, count: usize) -> Vec<tseeder::mail::testing::Received> {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    loop {
        let mine: Vec<_> = smtp_sink()
            .messages()
            .into_iter()
            .filter(|m| m.to.iter().any(|t| t == to) && m.subject().as_deref() == Some(subject))
            .collect();
        if mine.len() >= count || std::time::Instant::now() > deadline {
            return mine;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
}

/// The messages the sink received for `to`, waiting up to 10 s for at least `count`.
pub(crate) async fn mail_to(to: &str, count: usize) -> Vec<tseeder::mail::testing::Received> {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    loop {
        let mine: Vec<_> = smtp_sink().messages().into_iter().filter(|m| m.to.iter().any(|t| t == to)).collect();
        if mine.len() >= count || std::time::Instant::now() > deadline {
            return mine;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
}
