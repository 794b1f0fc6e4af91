//! Benchmark: the status page's 90-day history (every component's 90 daily bars, uptime over 24
//! hours to 90 days, incidents and maintenance) for 10 components with 90 days of roll-ups in a
//! SQLite database, through the service the page and `GET /api/v1/status/history` use. Prints
//! p50 and p99 beside the plain read of the same roll-up rows measured in the same run.
//! Target: p99 under 5 ms.
//!
//! ```sh
//! cargo run --release -p tseeder-storage --features test-util --example bench_status
//! BENCH_ROUNDS=200 cargo run --release -p tseeder-storage --features test-util --example bench_status
//! ```

#![allow(clippy::print_stdout, clippy::unwrap_used, reason = "a benchmark that reports to the terminal")]

use std::sync::Arc;
use std::time::{Duration as StdDuration, Instant};

use chrono::{Duration, Utc};
use sea_orm::{ConnectionTrait, Statement, TransactionTrait, Value};
use tseeder_core::domain::RollupPeriod;
use tseeder_core::ports::SystemClock;
use tseeder_core::services::{CoreConfig, Tseeder};
use tseeder_storage::testing::TestDb;

const COMPONENTS: [&str; 10] = [
    "api",
    "database",
    "object_store",
    "queue",
    "agents.eu-west",
    "agents.eu-north",
    "agents.us-east",
    "agents.us-west",
    "agents.ap-south",
    "agents.ap-east",
];

fn percentile(sorted: &[StdDuration], p: f64) -> StdDuration {
    sorted[((sorted.len() as f64 - 1.0) * p).round() as usize]
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let rounds: usize = std::env::var("BENCH_ROUNDS").ok().and_then(|v| v.parse().ok()).unwrap_or(1000);
    let test_db = TestDb::sqlite().await;
    let db = test_db.db.clone();
    let backend = db.get_database_backend();
    let now = Utc::now();
    let today = RollupPeriod::Day.start_of(now);
    let this_hour = RollupPeriod::Hour.start_of(now);
    let insert = "INSERT INTO uptime_snapshots (component, period, start, operational, degraded, partial_outage, \
                  major_outage, maintenance) VALUES (?, ?, ?, ?, ?, ?, ?, ?)";
    let started = Instant::now();
    let tx = db.begin().await?;
    for (n, component) in COMPONENTS.iter().enumerate() {
        let rows = (0..90)
            .map(|d| ("day", today - Duration::days(d), 1440, d))
            .chain((0..24).map(|h| ("hour", this_hour - Duration::hours(h), 60, h)));
        for (period, start, minutes, i) in rows {
            // Some downtime now and then, a maintenance hour once a month.
            let major: i32 = if (i + n as i64) % 17 == 0 { 12 } else { 0 };
            let partial: i32 = if (i + n as i64) % 11 == 0 { 30 } else { 0 };
            let maintenance: i32 = if period == "day" && i % 30 == 5 { 60 } else { 0 };
            let operational = minutes - major - partial - maintenance;
            let values: Vec<Value> = vec![
                (*component).into(),
                period.into(),
                start.into(),
                operational.into(),
                0i32.into(),
                partial.into(),
                major.into(),
                maintenance.into(),
            ];
            tx.execute_raw(Statement::from_sql_and_values(backend, insert, values)).await?;
        }
        let status =
            "INSERT INTO status_components (component, state, reason, since, checked_at) VALUES (?, ?, ?, ?, ?)";
        let values: Vec<Value> =
            vec![(*component).into(), "operational".into(), "Answering.".into(), today.into(), now.into()];
        tx.execute_raw(Statement::from_sql_and_values(backend, status, values)).await?;
    }
    tx.commit().await?;
    println!(
        "{} components, 90 daily and 24 hourly roll-ups each, written in {:.1?}",
        COMPONENTS.len(),
        started.elapsed()
    );

    let store = tseeder_storage::file_store(&tseeder_storage::FileStoreConfig {
        url: "memory://".into(),
        ..Default::default()
    })
    .await?;
    let core = Tseeder::new(tseeder_storage::ports(db.clone(), store, Arc::new(SystemClock)), CoreConfig::default());
    let check = core.status.overview(90).await?;
    assert_eq!(check.components.len(), COMPONENTS.len(), "every component is on the page");
    assert!(check.components.iter().all(|c| c.days.len() == 90 && c.uptime.d90.is_some()));

    let mut history = Vec::with_capacity(rounds);
    let mut rows_only = Vec::with_capacity(rounds);
    let from = today - Duration::days(89);
    let read = "SELECT * FROM uptime_snapshots WHERE period = ? AND start >= ?";
    // Warm up, then each measurement on its own so one does not disturb the other.
    for _ in 0..50 {
        core.status.overview(90).await?;
    }
    for _ in 0..rounds {
        let t = Instant::now();
        let overview = core.status.overview(90).await?;
        history.push(t.elapsed());
        assert_eq!(overview.components.len(), COMPONENTS.len());
    }
    for _ in 0..rounds {
        let t = Instant::now();
        let values: Vec<Value> = vec!["day".into(), from.into()];
        let rows = db.query_all_raw(Statement::from_sql_and_values(backend, read, values)).await?;
        rows_only.push(t.elapsed());
        assert_eq!(rows.len(), 900);
    }
    history.sort();
    rows_only.sort();
    println!("| {rounds} rounds | p50 | p99 |");
    println!("|---|---|---|");
    println!(
        "| the 90-day history of 10 components | {:.2?} | {:.2?} |",
        percentile(&history, 0.5),
        percentile(&history, 0.99)
    );
    println!(
        "| reference: reading the 900 daily rows alone | {:.2?} | {:.2?} |",
        percentile(&rows_only, 0.5),
        percentile(&rows_only, 0.99)
    );
    let p99 = percentile(&history, 0.99);
    println!("target: p99 under 5 ms: {}", if p99 < StdDuration::from_millis(5) { "met" } else { "NOT met" });
    test_db.cleanup().await;
    Ok(())
}
