//! Live progress between hosts: the delay from a progress snapshot published on one API host (as
//! its engine reports it) to a Server-Sent Events client following the job on another host of
//! the same PostgreSQL database, where it travels over `LISTEN/NOTIFY`. The reference, in the
//! same run: an SSE client following the job on the publishing host itself.
//!
//! Needs `TSEEDER_TEST_DATABASE_URL` (a server it may create a throw-away database on, as for the
//! tests).
//!
//! ```sh
//! cargo run --release --example bench_fanout            # 500 snapshots
//! cargo run --release --example bench_fanout -- 100
//! ```

#![allow(clippy::print_stdout, reason = "a benchmark that reports to the terminal")]

mod bench_common;

use std::time::{Duration, Instant};

use anyhow::{Context as _, bail};
use futures::StreamExt as _;
use tokio::sync::mpsc;
use tokio_util::sync::CancellationToken;
use tseeder_core::domain::{JobId, Scope};
use tseeder_core::ports::EngineProgress;
use tseeder_core::services::events::JobNotice;
use tseeder_core::services::{CoreConfig, Tseeder};

/// Follows the job's events on `base` and sends the `doneBytes` of each progress message, with
/// when it arrived.
async fn follow(
    base: String,
    key: String,
    job: JobId,
    out: mpsc::UnboundedSender<(u64, Instant)>,
) -> anyhow::Result<()> {
    let res = reqwest::Client::new()
        .get(format!("{base}/api/v1/jobs/{}/events", job.0))
        .bearer_auth(key)
        .send()
        .await?
        .error_for_status()?;
    let mut body = res.bytes_stream();
    let mut buf = String::new();
    while let Some(chunk) = body.next().await {
        buf.push_str(&String::from_utf8_lossy(&chunk?));
        while let Some(end) = buf.find("\n\n") {
            let block: String = buf.drain(..end + 2).collect();
            let Some(data) = block.lines().find_map(|l| l.strip_prefix("data:")) else { continue };
            let Ok(value) = serde_json::from_str::<serde_json::Value>(data.trim()) else { continue };
            if let Some(done) = value["doneBytes"].as_u64() {
                let _ = out.send((done, Instant::now()));
            }
        }
    }
    Ok(())
}

/// Waits for `done` on `rx`, skipping older values.
async fn arrival(rx: &mut mpsc::UnboundedReceiver<(u64, Instant)>, done: u64) -> anyhow::Result<Instant> {
    loop {
        let (got, at) = tokio::time::timeout(Duration::from_secs(10), rx.recv())
            .await
            .context("a snapshot never arrived")?
            .context("the stream ended")?;
        if got == done {
            return Ok(at);
        }
    }
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let count: u64 = std::env::args().nth(1).map_or(Ok(500), |a| a.parse()).context("snapshots")?;
    let Some(test_db) = tseeder_storage::testing::TestDb::postgres().await else {
        bail!("set TSEEDER_TEST_DATABASE_URL to a PostgreSQL server: hosts share progress over PostgreSQL");
    };
    let dir = tempfile::tempdir()?;
    // Two hosts, each with its own pool on the database, as two processes would have.
    let other_pool = tseeder_storage::connect(&test_db.url).await?;
    let here = Tseeder::new(bench_common::ports(test_db.db.clone(), dir.path()).await?, CoreConfig::default());
    let there = Tseeder::new(bench_common::ports(other_pool, dir.path()).await?, CoreConfig::default());
    let stop = CancellationToken::new();
    for host in [&here, &there] {
        host.relay_events(stop.clone()).await?.context("PostgreSQL relays job events")?;
    }
    let key = bench_common::user_with_key(&here, "fanout@example.com", "enterprise", 1, vec![Scope::JobsRead]).await?;
    let (base_here, base_there) = (bench_common::serve(here.clone()).await?, bench_common::serve(there.clone()).await?);
    let listed: serde_json::Value = reqwest::Client::new()
        .get(format!("{base_here}/api/v1/jobs?limit=1"))
        .bearer_auth(&key)
        .send()
        .await?
        .json()
        .await?;
    let job = JobId(listed["data"][0]["id"].as_str().context("the job")?.parse()?);

    let (tx_here, mut rx_here) = mpsc::unbounded_channel();
    let (tx_there, mut rx_there) = mpsc::unbounded_channel();
    tokio::spawn(follow(base_here, key.clone(), job, tx_here));
    tokio::spawn(follow(base_there, key, job, tx_there));
    // Both followers are subscribed once a snapshot reaches each.
    let mut warm = 0;
    loop {
        warm += 1;
        here.events.publish(job, JobNotice::Progress(EngineProgress { done_bytes: warm, ..Default::default() }));
        tokio::time::sleep(Duration::from_millis(50)).await;
        let (mut a, mut b) = (false, false);
        while let Ok((done, _)) = rx_here.try_recv() {
            a |= done == warm;
        }
        while let Ok((done, _)) = rx_there.try_recv() {
            b |= done == warm;
        }
        if a && b {
            break;
        }
        if warm > 200 {
            bail!("the followers never received a snapshot");
        }
    }

    let (mut same, mut other) = (Vec::new(), Vec::new());
    for i in 1..=count {
        let done = 1_000_000 + i;
        let progress = EngineProgress {
            done_bytes: done,
            total_bytes: 2_000_000,
            download_bps: 1 << 20,
            peers: 4,
            ..Default::default()
        };
        let sent = Instant::now();
        here.events.publish(job, JobNotice::Progress(progress));
        same.push(arrival(&mut rx_here, done).await? - sent);
        other.push(arrival(&mut rx_there, done).await? - sent);
        // Engines report once a second per job; a few hundred jobs at a time, spread out.
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    stop.cancel();

    let (s50, s99) = bench_common::percentiles(&mut same);
    let (o50, o99) = bench_common::percentiles(&mut other);
    println!("{count} progress snapshots published on host A, followed over SSE (PostgreSQL)");
    println!("  SSE client on host A (reference)          p50 {s50:>6.2} ms   p99 {s99:>6.2} ms");
    println!("  SSE client on host B (LISTEN/NOTIFY)      p50 {o50:>6.2} ms   p99 {o99:>6.2} ms   (goal: p50 < 100)");
    test_db.cleanup().await;
    Ok(())
}
