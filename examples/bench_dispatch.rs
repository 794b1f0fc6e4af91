//! Submit to engine start: the time from `POST /jobs`'s service call returning to the engine
//! being asked to start the job, with the dispatcher idle and waiting (its default 500 ms poll),
//! on SQLite and, when `TSEEDER_TEST_DATABASE_URL` names a server, PostgreSQL. The engine is a
//! scripted one that rejects each torrent as soon as it starts, so only the queue and the
//! dispatcher are measured.
//!
//! Two ways in, in the same run: a job submitted through this process's services (which wake its
//! dispatcher at once), and a job submitted by another process on the same database (another API
//! host: on PostgreSQL its notice wakes the dispatcher over `LISTEN/NOTIFY`; on SQLite, with no
//! other process to tell, the dispatcher finds the job by polling). The submission itself is the
//! reference.
//!
//! ```sh
//! cargo run --release --example bench_dispatch            # 200 jobs each way
//! cargo run --release --example bench_dispatch -- 50
//! ```

#![allow(clippy::print_stdout, reason = "a benchmark that reports to the terminal")]

mod bench_common;

use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::Context as _;
use tokio_util::sync::CancellationToken;
use tseeder_core::auth::Principal;

use tseeder_core::ports::EngineEvent;
use tseeder_core::services::{CoreConfig, RequestMeta, Tseeder};
use tseeder_core::testing::ScriptedEngine;

/// Submits `count` magnets through `submitter` and times each submission and its start on
/// `engine`, which the dispatcher of another core drives.
async fn measure(
    submitter: &Tseeder,
    principal: &Principal,
    engine: &ScriptedEngine,
    count: u32,
    seed: u32,
) -> anyhow::Result<(Vec<Duration>, Vec<Duration>)> {
    let (mut submits, mut starts) = (Vec::new(), Vec::new());
    for i in 0..count {
        let job = bench_common::magnet_job(u128::from(seed) << 32 | u128::from(i), i);
        let begun = Instant::now();
        submitter.jobs.submit(principal, job, &RequestMeta::default()).await?;
        let submitted = Instant::now();
        let run =
            tokio::time::timeout(Duration::from_secs(10), engine.next_run()).await.context("the job never started")?;
        starts.push(submitted.elapsed());
        submits.push(submitted - begun);
        run.send(EngineEvent::Rejected("benchmark".into()));
    }
    Ok((submits, starts))
}

async fn bench(name: &str, db: sea_orm::DatabaseConnection, count: u32) -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let ports = bench_common::ports(db, dir.path()).await?;
    // This host, with its dispatcher; and another host on the same database, without one.
    let here = Tseeder::new(ports.clone(), CoreConfig::default());
    let elsewhere = Tseeder::new(ports, CoreConfig::default());
    let user = bench_common::user_on_plan(&here, "bench@example.com", "enterprise").await?;
    let principal = Principal::internal(&user);

    let engine = Arc::new(ScriptedEngine::new());
    let stop = CancellationToken::new();
    let relayed = here.relay_events(stop.clone()).await?.is_some();
    elsewhere.relay_events(stop.clone()).await?;
    let dispatcher = here.dispatcher(Arc::clone(&engine) as _).spawn(stop.clone());
    measure(&here, &principal, &engine, 5, 1).await?; // warm-up
    let (mut submit, mut local) = measure(&here, &principal, &engine, count, 2).await?;
    let (_, mut remote) = measure(&elsewhere, &principal, &engine, count.min(40), 3).await?;
    stop.cancel();
    dispatcher.await?;

    let (s50, s99) = bench_common::percentiles(&mut submit);
    let (l50, l99) = bench_common::percentiles(&mut local);
    let (r50, r99) = bench_common::percentiles(&mut remote);
    let another = if relayed { "another host (LISTEN/NOTIFY)" } else { "another host (polling)" };
    let line = |what: &str, p50: f64, p99: f64, goal: &str| {
        println!("  {what:<45} p50 {p50:>8.2} ms   p99 {p99:>8.2} ms{goal}");
    };
    println!("{name}:");
    line("submission (reference)", s50, s99, "");
    line("submit -> engine start, this host", l50, l99, "   (goal: < 5 / < 50)");
    line(&format!("submit -> engine start, {another}"), r50, r99, "");
    Ok(())
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let count: u32 = std::env::args().nth(1).map_or(Ok(200), |a| a.parse()).context("jobs")?;
    println!("{count} jobs submitted one at a time to an idle dispatcher (poll every 500 ms)");
    for test_db in tseeder_storage::testing::TestDb::all().await {
        let name = if test_db.backend_name == "sqlite" { "SQLite" } else { "PostgreSQL" };
        bench(name, test_db.db.clone(), count).await?;
        test_db.cleanup().await;
    }
    Ok(())
}
