//! Opening the database and applying the schema.
//!
//! [`connect`] accepts `sqlite:` and `postgres:` URLs (each behind its cargo feature) and applies
//! the per-backend settings tseeder relies on; [`migrate`] brings the schema up to date.

use std::time::Duration;

use sea_orm::{ConnectOptions, Database, DatabaseConnection, DbErr};
use tseeder_migrations::{Migrator, MigratorTrait};

/// Pool size for PostgreSQL.
const POSTGRES_MAX_CONNECTIONS: u32 = 10;
/// Pool size for a SQLite file: WAL allows concurrent readers, writers queue on `busy_timeout`.
const SQLITE_FILE_MAX_CONNECTIONS: u32 = 4;
/// How long a SQLite connection waits for another writer's lock before failing with `BUSY`.
#[cfg(feature = "sqlite")]
const SQLITE_BUSY_TIMEOUT: Duration = Duration::from_secs(5);
/// How long to wait for a free pooled connection.
const ACQUIRE_TIMEOUT: Duration = Duration::from_secs(30);

/// Opens a connection pool for `url`.
///
/// - **SQLite** (`sqlite://path/to/db.sqlite`, `sqlite::memory:`): a file database is created if
///   missing (`mode=rwc` is appended unless the URL already has a `mode`). Every pooled
///   connection runs with `foreign_keys = ON` and `busy_timeout = 5s`, and file databases use
///   `journal_mode = WAL` with `synchronous = NORMAL`. An in-memory database lives inside a
///   single connection, so its pool holds exactly one connection that is never recycled.
/// - **PostgreSQL** (`postgres://…`): a pool of ten connections.
///
/// # Errors
///
/// Returns [`DbErr::Conn`] when the URL is not supported by the enabled features or the database
/// cannot be reached.
pub async fn connect(url: &str) -> Result<DatabaseConnection, DbErr> {
    let mut options = if is_sqlite(url) {
        sqlite_options(url)
    } else {
        let mut options = ConnectOptions::new(url);
        options.max_connections(POSTGRES_MAX_CONNECTIONS);
        options
    };
    options
        .acquire_timeout(ACQUIRE_TIMEOUT)
        // sqlx logs every statement at INFO through `log`; sea-orm's own tracing is enough.
        .sqlx_logging(false);
    Database::connect(options).await
}

/// Applies every pending migration (`Migrator::up(db, None)`).
///
/// # Errors
///
/// Returns the first migration error; the failed migration is rolled back.
pub async fn migrate(db: &DatabaseConnection) -> Result<(), DbErr> {
    Migrator::up(db, None).await
}

fn is_sqlite(url: &str) -> bool {
    url.starts_with("sqlite:")
}

fn is_sqlite_memory(url: &str) -> bool {
    url.starts_with("sqlite::memory:") || url.contains("mode=memory")
}

/// Adds `mode=rwc` to a file SQLite URL that does not choose a mode itself.
fn with_create_mode(url: &str) -> String {
    if is_sqlite_memory(url) || url.contains("mode=") {
        url.to_owned()
    } else if url.contains('?') {
        format!("{url}&mode=rwc")
    } else {
        format!("{url}?mode=rwc")
    }
}

fn sqlite_options(url: &str) -> ConnectOptions {
    let memory = is_sqlite_memory(url);
    let mut options = ConnectOptions::new(with_create_mode(url));
    if memory {
        // Each connection would otherwise see its own empty database.
        options.max_connections(1).min_connections(1).idle_timeout(None).max_lifetime(None);
    } else {
        options.max_connections(SQLITE_FILE_MAX_CONNECTIONS);
    }
    #[cfg(feature = "sqlite")]
    options.map_sqlx_sqlite_opts(move |opts| {
        use sea_orm::sqlx::sqlite::{SqliteJournalMode, SqliteSynchronous};
        // These are applied by sqlx on every new connection of the pool.
        let opts = opts.foreign_keys(true).busy_timeout(SQLITE_BUSY_TIMEOUT);
        if memory { opts } else { opts.journal_mode(SqliteJournalMode::Wal).synchronous(SqliteSynchronous::Normal) }
    });
    options
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn with_create_mode_appends_rwc_when_url_has_no_mode() {
        assert_eq!(with_create_mode("sqlite://a.db"), "sqlite://a.db?mode=rwc");
        assert_eq!(with_create_mode("sqlite://a.db?cache=shared"), "sqlite://a.db?cache=shared&mode=rwc");
    }

    #[test]
    fn with_create_mode_keeps_url_when_mode_is_given_or_in_memory() {
        assert_eq!(with_create_mode("sqlite://a.db?mode=ro"), "sqlite://a.db?mode=ro");
        assert_eq!(with_create_mode("sqlite::memory:"), "sqlite::memory:");
    }
}
