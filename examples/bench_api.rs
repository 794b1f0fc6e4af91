//! List throughput: `wrk` on `GET /api/v1/jobs?limit=20` with an API key over 1,000 jobs, beside
//! `GET /api/v1/health` on the same server in the same run (the reference: what the HTTP stack
//! does without auth or the database). SQLite, and PostgreSQL too when `TSEEDER_TEST_DATABASE_URL`
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

use anyhow::{Context as _, bail};
use tseeder_core::domain::Scope;
use tseeder_core::services::{CoreConfig, Tseeder};

/// `wrk -t2 -c32`, as in the issue's reference figures.
const CONNECTIONS: u32 = 32;
const THREADS: u32 = 2;
const JOBS: u32 = 1_000;

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

/// A core over `db` (fresh, migrated), with 1,000 queued jobs of one user and an API key that
/// reads them.
async fn prepare(db: sea_orm::DatabaseConnection, dir: &std::path::Path) -> anyhow::Result<(Tseeder, String)> {
    let core = Tseeder::new(bench_common::ports(db, dir).await?, CoreConfig::default());
    let key =
        bench_common::user_with_key(&core, "bench@example.com", "enterprise", JOBS, vec![Scope::JobsRead]).await?;
    Ok((core, key))
}

async fn bench(name: &str, db: sea_orm::DatabaseConnection, rounds: usize, seconds: u32) -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let (core, key) = prepare(db, dir.path()).await?;
    let base = bench_common::serve(core).await?;
    let (health, list) = (format!("{base}/api/v1/health"), format!("{base}/api/v1/jobs?limit=20"));
    wrk(&health, None, 2)?; // warm-up of both
    wrk(&list, Some(&key), 2)?;
    let (mut h, mut l) = (Vec::new(), Vec::new());
    for _ in 0..rounds {
        h.push(wrk(&health, None, seconds)?);
        l.push(wrk(&list, Some(&key), seconds)?);
    }
    let summary = |rounds: &[Round]| {
        let pick = |f: fn(&Round) -> f64| median(&mut rounds.iter().map(f).collect::<Vec<_>>());
        (pick(|r| r.rps), pick(|r| r.p50_ms), pick(|r| r.p99_ms))
    };
    let ((h_rps, h_p50, h_p99), (l_rps, l_p50, l_p99)) = (summary(&h), summary(&l));
    println!("{name}:");
    println!("  GET /api/v1/health                    {h_rps:>9.0} req/s   p50 {h_p50:>6.2} ms   p99 {h_p99:>6.2} ms");
    println!("  GET /api/v1/jobs?limit=20 (API key)   {l_rps:>9.0} req/s   p50 {l_p50:>6.2} ms   p99 {l_p99:>6.2} ms");
    println!("  the list at {:.0} % of /health (goal: >= 20,000 req/s)", l_rps / h_rps * 100.0);
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
