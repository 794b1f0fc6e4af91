//! List throughput: `wrk` on `GET /api/v1/jobs?limit=20` with an API key over 1,000 jobs, beside
//! `GET /api/v1/health` on the same server in the same run (the reference: what the HTTP stack
//! does without auth or the database), the same list on a second server over the same database
//! with the read cache off, and the list again while a job is renamed ten times a second (each
//! rename makes the cached pages stale). SQLite, and PostgreSQL too when `TSEEDER_TEST_DATABASE_URL`
//! names a server it may create a throw-away database on (as for the tests). Prints requests per
//! second and the p50 / p99 latency of each.
//!
//! ```sh
//! apt-get install wrk
//! cargo run --release --example bench_api              # 3 rounds of 10 s each
//! cargo run --release --example bench_api -- 1 5       # 1 round of 5 s
//! ```

#![allow(clippy::print_stdout, reason = "a benchmark that reports to the terminal")]

mod bench_common;

use std::process::Command;
use std::time::Duration;

use anyhow::{Context as _, bail};
use tokio_util::sync::CancellationToken;
use tseeder_core::auth::Principal;
use tseeder_core::config::CacheConfig;
use tseeder_core::domain::{PageRequest, Scope};
use tseeder_core::services::job::ListJobs;
use tseeder_core::services::{CoreConfig, RequestMeta, Tseeder};

/// `wrk -t2 -c32`, as in the issue's reference figures.
const CONNECTIONS: u32 = 32;
const THREADS: u32 = 2;
const JOBS: u32 = 1_000;
/// How often a job changes in the round with writes.
const WRITE_EVERY: Duration = Duration::from_millis(100);

/// One `wrk` round: requests per second, p50 and p99 in milliseconds.
struct Round {
    rps: f64,
    p50_ms: f64,
    p99_ms: f64,
}

/// A latency as `wrk --latency` prints it (`812.00us`, `21.50ms`, `1.02s`), in milliseconds.
fn millis(text: &str) -> Option<f64> {
    let (number, factor) = if let Some(n) = text.strip_suffix("us") {
        (n, 0.001)
    } else if let Some(n) = text.strip_suffix("ms") {
        (n, 1.0)
    } else if let Some(n) = text.strip_suffix('s') {
        (n, 1000.0)
    } else {
        return None;
    };
    number.parse::<f64>().ok().map(|n| n * factor)
}

fn wrk(url: &str, key: Option<&str>, seconds: u32) -> anyhow::Result<Round> {
    let mut command = Command::new("wrk");
    command.args([
        "-t",
        &THREADS.to_string(),
        "-c",
        &CONNECTIONS.to_string(),
        "-d",
        &format!("{seconds}s"),
        "--latency",
    ]);
    if let Some(key) = key {
        command.args(["-H", &format!("Authorization: Bearer {key}")]);
    }
    let out = command.arg(url).output().context("run wrk (apt-get install wrk)")?;
    let text = String::from_utf8_lossy(&out.stdout);
    if text.contains("Non-2xx") {
        bail!("wrk saw errors:\n{text}");
    }
    let field = |prefix: &str| text.lines().find_map(|l| l.trim().strip_prefix(prefix).map(str::trim));
    let rps = field("Requests/sec:").and_then(|v| v.parse().ok());
    let p50 = field("50%").and_then(millis);
    let p99 = field("99%").and_then(millis);
    match (rps, p50, p99) {
        (Some(rps), Some(p50_ms), Some(p99_ms)) => Ok(Round { rps, p50_ms, p99_ms }),
        _ => bail!("unexpected wrk output:\n{text}"),
    }
}

fn median(values: &mut [f64]) -> f64 {
    values.sort_by(f64::total_cmp);
    values[values.len() / 2]
}

/// Cores over `db` (fresh, migrated) with 1,000 queued jobs of one user and an API key that
/// reads them: one with the read cache (the default) and one without, as two processes of one
/// installation would be.
async fn prepare(db: sea_orm::DatabaseConnection, dir: &std::path::Path) -> anyhow::Result<(Tseeder, Tseeder, String)> {
    let ports = bench_common::ports(db, dir).await?;
    let cached = Tseeder::new(ports.clone(), CoreConfig::default());
    let uncached = Tseeder::new(ports, CoreConfig { cache: CacheConfig { max_age_ms: 0 }, ..CoreConfig::default() });
    let key =
        bench_common::user_with_key(&cached, "bench@example.com", "enterprise", JOBS, vec![Scope::JobsRead]).await?;
    Ok((cached, uncached, key))
}

/// Renames one of the user's jobs every `every` through `core` (each rename a write that makes
/// the cached pages stale) until `stop` fires.
async fn keep_writing(core: Tseeder, every: Duration, stop: CancellationToken) -> anyhow::Result<u64> {
    let meta = RequestMeta::default();
    let (user, _) = core.ports.accounts.find_user_by_email("bench@example.com").await?.context("the bench user")?;
    let me = Principal::internal(&user);
    let page = core.jobs.list(&me, ListJobs::default(), PageRequest::new(1, 1)).await?;
    let job = page.items.first().context("the bench user has jobs")?.id;
    let mut writes = 0;
    let mut tick = tokio::time::interval(every);
    while !stop.is_cancelled() {
        tick.tick().await;
        core.jobs.rename(&me, job, &format!("bench-renamed-{writes}"), &meta).await?;
        writes += 1;
    }
    Ok(writes)
}

/// Medians of `rounds`: requests per second, p50, p99.
fn summary(rounds: &[Round]) -> (f64, f64, f64) {
    let pick = |f: fn(&Round) -> f64| median(&mut rounds.iter().map(f).collect::<Vec<_>>());
    (pick(|r| r.rps), pick(|r| r.p50_ms), pick(|r| r.p99_ms))
}

fn print_row(what: &str, rounds: &[Round]) {
    let (rps, p50, p99) = summary(rounds);
    println!("  {what:<52} {rps:>9.0} req/s   p50 {p50:>6.2} ms   p99 {p99:>6.2} ms");
}

async fn bench(name: &str, db: sea_orm::DatabaseConnection, rounds: usize, seconds: u32) -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let (cached, uncached, key) = prepare(db, dir.path()).await?;
    let writer = cached.clone();
    let (base, uncached_base) = (bench_common::serve(cached).await?, bench_common::serve(uncached).await?);
    let health = format!("{base}/api/v1/health");
    let list = format!("{base}/api/v1/jobs?limit=20");
    let uncached_list = format!("{uncached_base}/api/v1/jobs?limit=20");
    wrk(&health, None, 2)?; // warm-up of each
    wrk(&list, Some(&key), 2)?;
    wrk(&uncached_list, Some(&key), 2)?;
    let (mut h, mut l, mut u, mut w) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    let mut writes = 0;
    for _ in 0..rounds {
        h.push(wrk(&health, None, seconds)?);
        l.push(wrk(&list, Some(&key), seconds)?);
        u.push(wrk(&uncached_list, Some(&key), seconds)?);
        let stop = CancellationToken::new();
        let writing = tokio::spawn(keep_writing(writer.clone(), WRITE_EVERY, stop.clone()));
        w.push(
            tokio::task::spawn_blocking({
                let list = list.clone();
                let key = key.clone();
                move || wrk(&list, Some(&key), seconds)
            })
            .await??,
        );
        stop.cancel();
        writes += writing.await??;
    }
    println!("{name}:");
    print_row("GET /api/v1/health", &h);
    print_row("GET /api/v1/jobs?limit=20 (API key)", &l);
    print_row("  the same, no read cache (cache.max_age_ms = 0)", &u);
    print_row(&format!("  the same, a job renamed every {} ms meanwhile", WRITE_EVERY.as_millis()), &w);
    let (l_rps, u_rps) = (summary(&l).0, summary(&u).0);
    println!(
        "  the list at {:.0} % of /health, {:.1}x without the cache; {writes} renames (goal: >= 20,000 req/s)",
        l_rps / summary(&h).0 * 100.0,
        l_rps / u_rps
    );
    Ok(())
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let mut args = std::env::args().skip(1);
    let rounds: usize = args.next().map_or(Ok(3), |a| a.parse()).context("rounds")?;
    let seconds: u32 = args.next().map_or(Ok(10), |a| a.parse()).context("seconds")?;
    println!("wrk -t{THREADS} -c{CONNECTIONS}, {rounds} rounds of {seconds} s, {JOBS} jobs, medians");
    for test_db in tseeder_storage::testing::TestDb::all().await {
        let name = if test_db.backend_name == "sqlite" { "SQLite" } else { "PostgreSQL" };
        bench(name, test_db.db.clone(), rounds, seconds).await?;
        test_db.cleanup().await;
    }
    Ok(())
}
