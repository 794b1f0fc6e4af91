//! Test databases and file stores for this crate's tests and for downstream crates (feature
//! `test-util`).
//!
//! [`TestDb::sqlite`] always works. [`TestDb::postgres`] returns `Some` only when the
//! environment variable [`TEST_DATABASE_URL_ENV`] points at a PostgreSQL server the tests may
//! create databases on, for example `postgres://postgres@127.0.0.1:5432/test`; each call then
//! gets a fresh database of its own, so tests can run in parallel.
//!
//! ```no_run
//! # async fn demo() {
//! for test_db in tseeder_storage::testing::TestDb::all().await {
//!     // ... exercise `test_db.db`; use `test_db.backend_name` in assertion messages ...
//!     test_db.cleanup().await;
//! }
//! # }
//! ```
//!
//! **Cleanup.** Call [`TestDb::cleanup`] at the end of a test: it closes the pool and drops the
//! PostgreSQL database (or deletes the SQLite temp directory). If a `TestDb` is dropped without
//! it (for example because the test panicked), `Drop` still removes the SQLite directory, and for
//! PostgreSQL it runs `DROP DATABASE … WITH (FORCE)` on a short-lived thread with its own tokio
//! runtime and waits for it. Both are best effort: failures are reported on stderr, never
//! panicked on.
//!
//! **S3.** [`s3_file_store_config`] returns a config for a fresh prefix of a test bucket when
//! [`TEST_S3_ENDPOINT_ENV`] points at an S3-compatible server (`.ci/run` starts moto for it).

use sea_orm::{ConnectOptions, ConnectionTrait, Database, DatabaseConnection, DbErr};

use crate::db::{connect, migrate};
use crate::object_store::FileStoreConfig;

/// Environment variable holding the URL of a PostgreSQL server for tests.
pub const TEST_DATABASE_URL_ENV: &str = "TSEEDER_TEST_DATABASE_URL";

/// A migrated, throw-away database.
#[derive(Debug)]
pub struct TestDb {
    /// The connection pool (already migrated).
    pub db: DatabaseConnection,
    /// `"sqlite"` or `"postgres"`, for assertion messages.
    pub backend_name: &'static str,
    /// The URL `db` was opened with, to open more pools on the same database.
    pub url: String,
    guard: Guard,
}

/// What has to be removed when the test database goes away.
#[derive(Debug)]
enum Guard {
    /// The temp directory holding the SQLite file.
    #[cfg_attr(not(feature = "sqlite"), expect(dead_code, reason = "built only with sqlite"))]
    Sqlite(Option<tempfile::TempDir>),
    /// A database on the server behind `admin_url`.
    #[cfg_attr(not(feature = "postgres"), expect(dead_code, reason = "built only with postgres"))]
    Postgres { admin_url: String, name: String, dropped: bool },
}

impl TestDb {
    /// A migrated SQLite database in a new temp directory (opened with [`connect`], so it has the
    /// production pragmas). Panics if it cannot be created.
    #[cfg(feature = "sqlite")]
    pub async fn sqlite() -> TestDb {
        let dir = tempfile::Builder::new()
            .prefix("tseeder-test-db-")
            .tempdir()
            .expect("create a temp dir for the SQLite test database");
        let url = format!("sqlite://{}?mode=rwc", dir.path().join("tseeder.sqlite").display());
        let db = connect(&url).await.expect("open the SQLite test database");
        migrate(&db).await.expect("migrate the SQLite test database");
        TestDb { db, backend_name: "sqlite", url, guard: Guard::Sqlite(Some(dir)) }
    }

    /// A migrated, freshly created PostgreSQL database named `tseeder_t_<random>`, or `None` when
    /// [`TEST_DATABASE_URL_ENV`] is unset or empty (or the `postgres` feature is off, which is
    /// reported on stderr). Panics if the server is configured but unusable.
    pub async fn postgres() -> Option<TestDb> {
        let admin_url = std::env::var(TEST_DATABASE_URL_ENV).ok().filter(|url| !url.trim().is_empty())?;
        #[cfg(feature = "postgres")]
        {
            Some(Self::create_postgres(admin_url).await)
        }
        #[cfg(not(feature = "postgres"))]
        {
            eprintln!(
                "{TEST_DATABASE_URL_ENV} is set to {admin_url} but tseeder-storage was built \
                 without the `postgres` feature; skipping PostgreSQL"
            );
            None
        }
    }

    #[cfg(feature = "postgres")]
    async fn create_postgres(admin_url: String) -> TestDb {
        let name = format!("tseeder_t_{}", uuid::Uuid::new_v4().simple());
        let admin = admin_connection(&admin_url).await.expect("connect to TSEEDER_TEST_DATABASE_URL");
        admin
            .execute_unprepared(&format!("CREATE DATABASE \"{name}\""))
            .await
            .expect("create the PostgreSQL test database");
        // Ignore close errors: the pool is gone either way.
        let _ = admin.close().await;

        let mut url = url::Url::parse(&admin_url).expect("TSEEDER_TEST_DATABASE_URL is a URL");
        url.set_path(&format!("/{name}"));
        let url = url.to_string();
        // From here on the guard drops the database if anything below panics.
        let mut guard = Guard::Postgres { admin_url, name, dropped: false };
        let db = match connect(&url).await {
            Ok(db) => db,
            Err(e) => {
                guard.release();
                panic!("open the PostgreSQL test database: {e}");
            }
        };
        if let Err(e) = migrate(&db).await {
            let _ = db.close().await;
            guard.release();
            panic!("migrate the PostgreSQL test database: {e}");
        }
        TestDb { db, backend_name: "postgres", url, guard }
    }

    /// SQLite (when the `sqlite` feature is on), followed by PostgreSQL when configured.
    pub async fn all() -> Vec<TestDb> {
        let mut dbs = Vec::new();
        #[cfg(feature = "sqlite")]
        dbs.push(Self::sqlite().await);
        dbs.extend(Self::postgres().await);
        dbs
    }

    /// Closes the pool and removes the database (drops the PostgreSQL database, deletes the
    /// SQLite directory). Errors are reported on stderr, not returned.
    pub async fn cleanup(mut self) {
        // Close our pool first so that the database has no sessions left.
        if let Err(e) = self.db.clone().close().await {
            eprintln!("closing the {} test database: {e}", self.backend_name);
        }
        match &mut self.guard {
            Guard::Sqlite(dir) => {
                if let Some(dir) = dir.take()
                    && let Err(e) = dir.close()
                {
                    eprintln!("removing the SQLite test directory: {e}");
                }
            }
            Guard::Postgres { admin_url, name, dropped } => {
                if let Err(e) = drop_database(admin_url, name).await {
                    eprintln!("dropping test database {name}: {e}");
                }
                *dropped = true;
            }
        }
    }
}

impl Guard {
    /// Drops the PostgreSQL database now, from a helper thread (usable from sync and async code).
    fn release(&mut self) {
        let Guard::Postgres { admin_url, name, dropped } = self else {
            return;
        };
        if *dropped {
            return;
        }
        *dropped = true;
        let (admin_url, name) = (admin_url.clone(), name.clone());
        // A fresh runtime on a fresh thread: the test's runtime may be shutting down, and
        // blocking on it from inside itself would deadlock.
        let worker = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build();
            match runtime {
                Ok(runtime) => {
                    if let Err(e) = runtime.block_on(drop_database(&admin_url, &name)) {
                        eprintln!("dropping test database {name}: {e}");
                    }
                }
                Err(e) => eprintln!("dropping test database {name}: no runtime: {e}"),
            }
        });
        if worker.join().is_err() {
            eprintln!("the thread dropping a test database panicked");
        }
    }
}

impl Drop for Guard {
    fn drop(&mut self) {
        // The SQLite `TempDir` removes itself when dropped.
        self.release();
    }
}

/// A single-connection pool on the admin database, outside the production settings.
async fn admin_connection(admin_url: &str) -> Result<DatabaseConnection, DbErr> {
    let mut options = ConnectOptions::new(admin_url);
    options.max_connections(1).sqlx_logging(false);
    Database::connect(options).await
}

/// `DROP DATABASE … WITH (FORCE)` (PostgreSQL 13+) also ends sessions we failed to close.
async fn drop_database(admin_url: &str, name: &str) -> Result<(), DbErr> {
    let admin = admin_connection(admin_url).await?;
    let result =
        admin.execute_unprepared(&format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)")).await.map(|_| ());
    let _ = admin.close().await;
    result
}

// ---------------------------------------------------------------------------------------------
// S3

/// Environment variable holding the endpoint of an S3-compatible server for tests, for example
/// `http://127.0.0.1:PORT` of the `moto_server` that `.ci/run` starts.
pub const TEST_S3_ENDPOINT_ENV: &str = "TSEEDER_TEST_S3_ENDPOINT";

/// Environment variable naming the test bucket (default [`DEFAULT_TEST_S3_BUCKET`]).
pub const TEST_S3_BUCKET_ENV: &str = "TSEEDER_TEST_S3_BUCKET";

/// The test bucket when [`TEST_S3_BUCKET_ENV`] is unset.
pub const DEFAULT_TEST_S3_BUCKET: &str = "tseeder-test";

/// A [`FileStoreConfig`] for a fresh prefix (`run-<random>`) of the test bucket on the server at
/// [`TEST_S3_ENDPOINT_ENV`], or `None` when that is unset or empty (or the `s3` feature is off,
/// which is reported on stderr).
///
/// The credentials are fixed test values and the region is `us-east-1`, which test servers such
/// as moto accept. Over plain `http://` the bucket is created if missing, with an unsigned
/// `PUT /<bucket>` (moto does not check signatures); over `https://` it must already exist.
/// Panics if the server is configured but does not answer.
pub async fn s3_file_store_config() -> Option<FileStoreConfig> {
    let endpoint = std::env::var(TEST_S3_ENDPOINT_ENV).ok().map(|e| e.trim().trim_end_matches('/').to_owned());
    let endpoint = endpoint.filter(|e| !e.is_empty())?;
    if cfg!(not(feature = "s3")) {
        eprintln!(
            "{TEST_S3_ENDPOINT_ENV} is set to {endpoint} but tseeder-storage was built without the \
             `s3` feature; skipping S3"
        );
        return None;
    }
    let bucket = std::env::var(TEST_S3_BUCKET_ENV)
        .ok()
        .filter(|b| !b.trim().is_empty())
        .unwrap_or_else(|| DEFAULT_TEST_S3_BUCKET.to_owned());
    if endpoint.starts_with("http://") {
        let (status, body) = http_request("PUT", &format!("{endpoint}/{bucket}"))
            .await
            .unwrap_or_else(|e| panic!("{TEST_S3_ENDPOINT_ENV}={endpoint} does not answer: {e}"));
        // 409: BucketAlreadyOwnedByYou / BucketAlreadyExists, from an earlier run.
        assert!(
            (200..300).contains(&status) || status == 409,
            "creating bucket {bucket} on {endpoint}: HTTP {status}: {}",
            String::from_utf8_lossy(&body)
        );
    }
    Some(FileStoreConfig {
        url: format!("s3://{bucket}/run-{}", uuid::Uuid::new_v4().simple()),
        endpoint: Some(endpoint.clone()),
        region: Some("us-east-1".into()),
        access_key_id: Some("test".into()),
        secret_access_key: Some("test".into()),
        allow_http: endpoint.starts_with("http://"),
        upload_when_finished: false,
    })
}

/// A minimal HTTP/1.1 client for tests: sends `method url` with no body over plain `http://` and
/// returns the status and the body (`Content-Length`, chunked or until close). Enough to create
/// a bucket or fetch a presigned URL from a loopback test server, with no HTTP client crate.
pub async fn http_request(method: &str, url: &str) -> std::io::Result<(u16, Vec<u8>)> {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};

    let invalid = |what: &str| std::io::Error::new(std::io::ErrorKind::InvalidInput, format!("{what}: {url}"));
    let parsed = url::Url::parse(url).map_err(|_| invalid("not a URL"))?;
    if parsed.scheme() != "http" {
        return Err(invalid("only http:// is supported"));
    }
    let host = parsed.host_str().ok_or_else(|| invalid("no host"))?;
    let port = parsed.port_or_known_default().ok_or_else(|| invalid("no port"))?;
    let target = match parsed.query() {
        Some(query) => format!("{}?{query}", parsed.path()),
        None => parsed.path().to_owned(),
    };
    let host_header = match parsed.port() {
        Some(port) => format!("{host}:{port}"),
        None => host.to_owned(),
    };
    let mut stream = tokio::net::TcpStream::connect((host, port)).await?;
    let request =
        format!("{method} {target} HTTP/1.1\r\nHost: {host_header}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
    stream.write_all(request.as_bytes()).await?;
    let mut response = Vec::new();
    stream.read_to_end(&mut response).await?;

    let bad = |what: &str| std::io::Error::new(std::io::ErrorKind::InvalidData, format!("bad response: {what}"));
    let split = response.windows(4).position(|w| w == b"\r\n\r\n").ok_or_else(|| bad("no end of headers"))?;
    let head = String::from_utf8_lossy(&response[..split]).into_owned();
    let mut body = response[split + 4..].to_vec();
    let mut lines = head.split("\r\n");
    let status = lines
        .next()
        .and_then(|line| line.split_whitespace().nth(1))
        .and_then(|code| code.parse().ok())
        .ok_or_else(|| bad("no status line"))?;
    let header = |name: &str| {
        head.split("\r\n").skip(1).find_map(|line| {
            let (key, value) = line.split_once(':')?;
            key.trim().eq_ignore_ascii_case(name).then(|| value.trim().to_owned())
        })
    };
    if header("transfer-encoding").is_some_and(|v| v.eq_ignore_ascii_case("chunked")) {
        body = dechunk(&body).ok_or_else(|| bad("broken chunked body"))?;
    } else if let Some(len) = header("content-length").and_then(|v| v.parse::<usize>().ok()) {
        body.truncate(len);
    }
    Ok((status, body))
}

/// Decodes a chunked transfer-encoded body.
fn dechunk(mut raw: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::new();
    loop {
        let line_end = raw.windows(2).position(|w| w == b"\r\n")?;
        let size_text = std::str::from_utf8(&raw[..line_end]).ok()?;
        let size = usize::from_str_radix(size_text.split(';').next()?.trim(), 16).ok()?;
        raw = &raw[line_end + 2..];
        if size == 0 {
            return Some(out);
        }
        out.extend_from_slice(raw.get(..size)?);
        raw = raw.get(size + 2..)?;
    }
}
