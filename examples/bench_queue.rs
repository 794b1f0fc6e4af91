//! The durable queue under a burst: 100,000 messages enqueued by 8 concurrent writers, then
//! drained by 8 dispatchers (the real `Dispatcher` loop: lease, run, ack) whose engine has
//! nothing to do, on SQLite and, when `TSEEDER_TEST_DATABASE_URL` names a server, PostgreSQL.
//! Prints enqueues per second (the reference: one insert per message) and lease+ack round
//! trips per second (two writes per message, plus the dispatcher's work) in the same run.
//!
//! ```sh
//! cargo run --release --example bench_queue            # 100,000 messages
//! cargo run --release --example bench_queue -- 20000
//! ```

#![allow(clippy::print_stdout, reason = "a benchmark that reports to the terminal")]

mod bench_common;

use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::Context as _;
use chrono::Utc;
use tokio_util::sync::CancellationToken;
use tseeder_core::domain::{NewQueueMessage, QueueMessageId};
use tseeder_core::ports::JobQueue;
use tseeder_core::services::{CoreConfig, Dispatcher, Tseeder};
use tseeder_core::testing::ScriptedEngine;

const WRITERS: usize = 8;
const DISPATCHERS: usize = 8;

fn message(queue: &str) -> NewQueueMessage {
    let now = Utc::now();
    NewQueueMessage {
        id: QueueMessageId::new(),
        queue: queue.to_owned(),
        // No job: a dispatcher acknowledges it at once, so only the queue is measured.
        job_id: None,
        payload: serde_json::json!({}),
        max_attempts: 5,
        visible_at: now,
        created_at: now,
    }
}

/// Enqueues `count` messages on `queue` from [`WRITERS`] tasks; returns the time taken.
async fn enqueue(queue: &Arc<dyn JobQueue>, name: &str, count: usize) -> anyhow::Result<Duration> {
    let started = Instant::now();
    let mut writers = tokio::task::JoinSet::new();
    for w in 0..WRITERS {
        let (queue, name) = (Arc::clone(queue), name.to_owned());
        let share = count / WRITERS + usize::from(w < count % WRITERS);
        writers.spawn(async move {
            for _ in 0..share {
                queue.enqueue(&message(&name)).await?;
            }
            anyhow::Ok(())
        });
    }
    while let Some(done) = writers.join_next().await {
        done??;
    }
    Ok(started.elapsed())
}

async fn bench(name: &str, db: sea_orm::DatabaseConnection, count: usize) -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let ports = bench_common::ports(db, dir.path()).await?;
    let core = Tseeder::new(ports.clone(), CoreConfig::default());

    let enqueued = enqueue(&ports.queue, &core.config.jobs.queue, count).await?;

    let engine = Arc::new(ScriptedEngine::new());
    let stop = CancellationToken::new();
    let started = Instant::now();
    let mut dispatchers = Vec::new();
    for d in 0..DISPATCHERS {
        let mut config = core.config.dispatch.clone();
        config.worker_id = format!("bench-{d}");
        let dispatcher = Dispatcher::new(ports.clone(), core.jobs.clone(), Arc::clone(&engine) as _, config);
        dispatchers.push(dispatcher.spawn(stop.clone()));
    }
    loop {
        let stats = ports.queue.stats(&core.config.jobs.queue, Utc::now()).await?;
        if stats.ready == 0 && stats.delayed == 0 {
            break;
        }
        anyhow::ensure!(started.elapsed() < Duration::from_secs(3600), "the queue did not drain: {stats:?}");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let drained = started.elapsed();
    stop.cancel();
    for dispatcher in dispatchers {
        dispatcher.await?;
    }

    let rate = |d: Duration| count as f64 / d.as_secs_f64();
    println!("{name}:");
    println!("  enqueue, {WRITERS} writers (reference) {:>9.0} /s   ({:.2} s)", rate(enqueued), enqueued.as_secs_f64());
    println!(
        "  lease + ack, {DISPATCHERS} dispatchers      {:>9.0} /s   ({:.2} s to drain)",
        rate(drained),
        drained.as_secs_f64()
    );
    Ok(())
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let count: usize = std::env::args().nth(1).map_or(Ok(100_000), |a| a.parse()).context("messages")?;
    println!("{count} messages, {WRITERS} writers, {DISPATCHERS} dispatchers with an idle engine");
    for test_db in tseeder_storage::testing::TestDb::all().await {
        let name = if test_db.backend_name == "sqlite" { "SQLite" } else { "PostgreSQL" };
        bench(name, test_db.db.clone(), count).await?;
        test_db.cleanup().await;
    }
    Ok(())
}
