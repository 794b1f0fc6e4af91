//! Benchmark: the admin search on 100,000 jobs, 100,000 audit entries and 5,000 users, through
//! its indexes (FTS5 trigram tables on SQLite, `pg_trgm` GIN indexes on PostgreSQL), against the
//! same matches found by a scan of the table, measured in the same run on the same rows. Prints
//! the median of each and their ratio.
//!
//! ```sh
//! cargo run --release -p tseeder-storage --features test-util --example bench_search
//! TSEEDER_TEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432/test \
//!   cargo run --release -p tseeder-storage --features test-util,postgres --example bench_search
//! BENCH_JOBS=20000 cargo run --release -p tseeder-storage --features test-util --example bench_search
//! ```

#![allow(clippy::print_stdout, clippy::unwrap_used, reason = "a benchmark that reports to the terminal")]

use std::time::{Duration, Instant};

use sea_orm::{ConnectionTrait, DatabaseConnection, DbBackend, Statement};
use tseeder_core::ports::AdminSearch;
use tseeder_storage::SeaOrmAdminSearch;
use tseeder_storage::testing::TestDb;

const WORDS: [&str; 24] = [
    "ocean", "planet", "winter", "harbor", "signal", "copper", "meadow", "lantern", "river", "falcon", "desert",
    "orbit", "canyon", "velvet", "thunder", "garden", "silver", "ember", "glacier", "forest", "cobalt", "prairie",
    "summit", "tundra",
];

fn env_u64(name: &str, default: u64) -> u64 {
    std::env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

/// A small deterministic generator (xorshift), so every run has the same rows.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn word(&mut self) -> &'static str {
        WORDS[(self.next() % WORDS.len() as u64) as usize]
    }
}

fn quote(s: &str) -> String {
    format!("'{}'", s.replace('\'', "''"))
}

/// Fills the tables with multi-row inserts in one transaction per table.
async fn fill(db: &DatabaseConnection, jobs: u64, users: u64) -> anyhow::Result<()> {
    let mut rng = Rng(0x5eed_1234_abcd_ef01);
    let now = "2026-12-01 12:00:00+00:00";
    let mut user_ids = Vec::new();
    for chunk in 0..users.div_ceil(500) {
        let mut rows = Vec::new();
        for i in chunk * 500..((chunk + 1) * 500).min(users) {
            let id = uuid::Uuid::from_u64_pair(1, i).to_string();
            let email = format!("{}.{}{i}@example.com", rng.word(), rng.word());
            rows.push(format!(
                "({}, {}, 'x', 'user', false, {}, {})",
                quote(&id),
                quote(&email),
                quote(now),
                quote(now)
            ));
            user_ids.push(id);
        }
        let sql = format!(
            "INSERT INTO users (id, email, password_hash, role, suspended, created_at, updated_at) VALUES {}",
            rows.join(", ")
        );
        db.execute_unprepared(&sql).await?;
    }
    for chunk in 0..jobs.div_ceil(1000) {
        let (mut job_rows, mut audit_rows) = (Vec::new(), Vec::new());
        for i in chunk * 1000..((chunk + 1) * 1000).min(jobs) {
            let id = uuid::Uuid::from_u64_pair(2, i).to_string();
            let user = &user_ids[(rng.next() % users) as usize];
            let name = format!(
                "{} {} S{:02}E{:02} 1080p {}",
                rng.word(),
                rng.word(),
                rng.next() % 10,
                rng.next() % 24,
                if i % 1000 == 7 { "kestrel" } else { rng.word() }
            );
            let infohash = format!("{:016x}{:016x}{:08x}", rng.next(), rng.next(), rng.next() as u32);
            job_rows.push(format!(
                "({}, {}, {}, 'completed', 'magnet', {}, {}, 0, {}, {})",
                quote(&id),
                quote(user),
                quote(&name),
                quote(&format!("magnet:?xt=urn:btih:{infohash}")),
                quote(&infohash),
                quote(now),
                quote(now)
            ));
            audit_rows.push(format!(
                "({}, {}, 'job.created', 'job', {}, '{{}}', {})",
                quote(&uuid::Uuid::from_u64_pair(3, i).to_string()),
                quote(user),
                quote(&id),
                quote(now)
            ));
        }
        let sql = format!(
            "INSERT INTO jobs (id, user_id, name, status, source_kind, magnet_uri, infohash, done_bytes, created_at, \
             updated_at) \
             VALUES {}",
            job_rows.join(", ")
        );
        db.execute_unprepared(&sql).await?;
        let sql = format!(
            "INSERT INTO audit_logs (id, actor_id, action, target_type, target_id, metadata, created_at) VALUES {}",
            audit_rows.join(", ")
        );
        db.execute_unprepared(&sql).await?;
    }
    if db.get_database_backend() == DbBackend::Postgres {
        db.execute_unprepared("ANALYZE").await?;
    }
    Ok(())
}

/// The median of `rounds` timings of `f`, and its last result.
async fn median<T, F: AsyncFnMut() -> T>(rounds: usize, mut f: F) -> (Duration, T) {
    let mut times = Vec::with_capacity(rounds);
    let mut last = None;
    for _ in 0..rounds {
        let started = Instant::now();
        last = Some(f().await);
        times.push(started.elapsed());
    }
    times.sort();
    (times[rounds / 2], last.unwrap())
}

/// How many jobs a scan of the table finds whose name contains `text`: the reference. On
/// PostgreSQL the expression is one its trigram index does not serve.
fn scan_sql(backend: DbBackend, text: &str) -> String {
    let pattern = quote(&format!("%{}%", text.to_lowercase()));
    match backend {
        DbBackend::Postgres => format!("SELECT count(*) AS n FROM jobs WHERE (lower(name) || '') LIKE {pattern}"),
        _ => format!("SELECT count(*) AS n FROM jobs WHERE lower(name) LIKE {pattern}"),
    }
}

async fn bench(test_db: &TestDb, jobs: u64, users: u64, rounds: usize) -> anyhow::Result<()> {
    let db = &test_db.db;
    let started = Instant::now();
    fill(db, jobs, users).await?;
    println!(
        "\n{}: {jobs} jobs, {jobs} audit entries, {users} users written in {:.1?}",
        test_db.backend_name,
        started.elapsed()
    );
    let search = SeaOrmAdminSearch::new(db.clone());
    let backend = db.get_database_backend();
    println!("| search | matches | indexed search p50 | scan p50 | scan / indexed |");
    println!("|---|---|---|---|---|");
    for text in ["kestrel", "glacier summit", "S03E17"] {
        let (indexed, found) = median(rounds, async || search.search(text, 20).await.unwrap()).await;
        let (scanned, count) = median(rounds, async || {
            let row =
                db.query_one_raw(Statement::from_string(backend, scan_sql(backend, text))).await.unwrap().unwrap();
            row.try_get::<i64>("", "n").unwrap()
        })
        .await;
        assert_eq!(found.jobs.total, u64::try_from(count)?, "the index and the scan agree on {text:?}");
        println!(
            "| `{text}` (jobs {}, users {}, audit {}) | {} | {:.2?} | {:.2?} | {:.1}x |",
            found.jobs.total,
            found.users.total,
            found.audit.total,
            found.jobs.total,
            indexed,
            scanned,
            scanned.as_secs_f64() / indexed.as_secs_f64()
        );
    }
    if backend == DbBackend::Postgres {
        let sql = "EXPLAIN SELECT count(*) FROM jobs WHERE lower(name) LIKE '%kestrel%' OR id = 'kestrel'";
        for row in db.query_all_raw(Statement::from_string(backend, sql)).await? {
            println!("    {}", row.try_get::<String>("", "QUERY PLAN")?);
        }
    }
    let (by_id, found) =
        median(rounds, async || search.search(&uuid::Uuid::from_u64_pair(2, jobs / 2).to_string(), 20).await.unwrap())
            .await;
    println!("| a job's id (every group searched) | {} | {:.2?} | | |", found.jobs.total, by_id);
    Ok(())
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let jobs = env_u64("BENCH_JOBS", 100_000);
    let users = env_u64("BENCH_USERS", 5_000);
    let rounds = env_u64("BENCH_ROUNDS", 21) as usize;
    for test_db in TestDb::all().await {
        let outcome = bench(&test_db, jobs, users, rounds).await;
        test_db.cleanup().await;
        outcome?;
    }
    Ok(())
}
