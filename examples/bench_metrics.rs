//! What request metrics cost: `wrk` on `GET /api/v1/jobs` (an API key, 20 jobs listed) against
//! two servers over one SQLite database, one recording request metrics and one not, in
//! alternating rounds of the same run. Prints each round and the medians; the metrics' cost is
//! the drop in requests per second.
//!
//! ```sh
//! apt-get install wrk
//! cargo run --release --example bench_metrics            # 5 rounds of 10 s each way
//! cargo run --release --example bench_metrics -- 3 5     # 3 rounds of 5 s
//! ```

#![allow(clippy::print_stdout, reason = "a benchmark that reports to the terminal")]

mod bench_common;

use std::process::Command;

use anyhow::{Context as _, bail};
use tseeder_core::domain::Scope;
use tseeder_core::services::{CoreConfig, Tseeder};

/// Connections and threads of `wrk`: enough to keep both cores busy.
const CONNECTIONS: u32 = 16;
const THREADS: u32 = 2;

/// Requests per second of one `wrk` round.
fn wrk(url: &str, key: &str, seconds: u32) -> anyhow::Result<f64> {
    let out = Command::new("wrk")
        .args(["-t", &THREADS.to_string(), "-c", &CONNECTIONS.to_string(), "-d", &format!("{seconds}s")])
        .args(["-H", &format!("Authorization: Bearer {key}"), url])
        .output()
        .context("run wrk (apt-get install wrk)")?;
    let text = String::from_utf8_lossy(&out.stdout);
    if text.contains("Non-2xx") {
        bail!("wrk saw errors:\n{text}");
    }
    text.lines()
        .find_map(|l| l.strip_prefix("Requests/sec:"))
        .and_then(|v| v.trim().parse().ok())
        .with_context(|| format!("no Requests/sec in wrk's output:\n{text}"))
}

fn median(values: &mut [f64]) -> f64 {
    values.sort_by(f64::total_cmp);
    values[values.len() / 2]
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let mut args = std::env::args().skip(1);
    let rounds: usize = args.next().map_or(Ok(5), |a| a.parse()).context("rounds")?;
    let seconds: u32 = args.next().map_or(Ok(10), |a| a.parse()).context("seconds")?;

    let dir = tempfile::tempdir()?;
    let db =
        tseeder_storage::connect(&format!("sqlite://{}?mode=rwc", dir.path().join("tseeder.db").display())).await?;
    tseeder_storage::migrate(&db).await?;
    let ports = bench_common::ports(db, dir.path()).await?;
    let with = Tseeder::new(ports.clone(), CoreConfig::default());
    let mut off = CoreConfig::default();
    off.observability.request_metrics = false;
    let without = Tseeder::new(ports, off);

    // A user on the Business plan (50 active jobs) with 20 queued jobs and an API key.
    let key = bench_common::user_with_key(&with, "bench@example.com", "business", 20, vec![Scope::JobsRead]).await?;

    let on_url = format!("{}/api/v1/jobs", bench_common::serve(with).await?);
    let off_url = format!("{}/api/v1/jobs", bench_common::serve(without).await?);
    println!("wrk -t{THREADS} -c{CONNECTIONS}, {rounds} rounds of {seconds} s each way, alternating");
    wrk(&on_url, &key, 2)?; // warm-up of both
    wrk(&off_url, &key, 2)?;
    let (mut on, mut off) = (Vec::new(), Vec::new());
    for round in 1..=rounds {
        // Alternate which goes first, so drift (heat, caches) falls on both sides.
        let order = if round % 2 == 1 { [true, false] } else { [false, true] };
        for metrics in order {
            let rps = wrk(if metrics { &on_url } else { &off_url }, &key, seconds)?;
            if metrics { on.push(rps) } else { off.push(rps) }
        }
        println!("round {round}: metrics on {:>8.0} req/s   off {:>8.0} req/s", on[round - 1], off[round - 1]);
    }
    let (on, off) = (median(&mut on), median(&mut off));
    println!("median:  metrics on {on:>8.0} req/s   off {off:>8.0} req/s");
    println!("cost of request metrics: {:.1} % of throughput (target: at most 3 %)", (off - on) / off * 100.0);
    Ok(())
}
