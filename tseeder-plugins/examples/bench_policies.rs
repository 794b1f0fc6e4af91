//! Benchmark: per-decision latency of the routing and retention policies, native against the
//! same rule as a sandboxed WebAssembly plugin (the reference components of
//! `tseeder-plugins`), warm (compiled once, a fresh store per decision as in production).
//! Routing ranks 50 workers; retention decides over 10,000 files. Prints p50, p99 and mean
//! for each, and the wasm/native ratio (goal: router p99 within 5x native). For the router it
//! also times the same decisions on one instance kept between them, which production never
//! does: the difference is the cost of a fresh instance per decision.
//!
//! ```sh
//! cargo run --release -p tseeder-plugins --features test-util --example bench_policies
//! BENCH_DECISIONS=2000 cargo run --release -p tseeder-plugins --features test-util --example bench_policies
//! ```

#![allow(clippy::print_stdout, reason = "an example that reports to the terminal")]

use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::Context as _;
use chrono::{TimeDelta, Utc};
use hdrhistogram::Histogram;
use rand::Rng as _;
use tseeder_core::config::PluginConfig;
use tseeder_core::domain::{FileId, JobId, RegionCode, Worker, WorkerStatus};
use tseeder_core::ports::{RetentionCandidate, RetentionPolicy, RoutingPolicy, RoutingRequest, SystemClock};
use tseeder_core::services::{NativeRetentionPolicy, NativeRoutingPolicy};
use tseeder_plugins::{PluginEngine, WasmRetentionPolicy, WasmRoutingPolicy, testing};

const WORKERS: usize = 50;
const FILES: usize = 10_000;
const REGIONS: [&str; 4] = ["eu-west", "us-east", "ap-south", "sa-east"];

fn env_u64(name: &str, default: u64) -> u64 {
    std::env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

/// Latency figures of one policy, in microseconds.
struct Figures {
    p50: f64,
    p99: f64,
    mean: f64,
}

/// Times `decisions` calls of `decide` after `warmup` untimed ones.
fn measure(warmup: u64, decisions: u64, mut decide: impl FnMut() -> usize) -> anyhow::Result<Figures> {
    let mut histogram = Histogram::<u64>::new(3).context("histogram")?;
    let mut answered = 0;
    for _ in 0..warmup {
        answered += decide();
    }
    for _ in 0..decisions {
        let started = Instant::now();
        answered += decide();
        histogram.record(u64::try_from(started.elapsed().as_nanos()).unwrap_or(u64::MAX)).context("record")?;
    }
    anyhow::ensure!(answered > 0, "the policy never chose anything: the inputs are wrong");
    let us = |ns: u64| ns as f64 / 1000.0;
    Ok(Figures {
        p50: us(histogram.value_at_quantile(0.5)),
        p99: us(histogram.value_at_quantile(0.99)),
        mean: histogram.mean() / 1000.0,
    })
}

fn report(what: &str, native: &Figures, wasm: &Figures) {
    println!("{what}");
    println!("  native  p50 {:>9.2} us   p99 {:>9.2} us   mean {:>9.2} us", native.p50, native.p99, native.mean);
    println!("  wasm    p50 {:>9.2} us   p99 {:>9.2} us   mean {:>9.2} us", wasm.p50, wasm.p99, wasm.mean);
    println!("  ratio   p50 {:>9.1}x     p99 {:>9.1}x", wasm.p50 / native.p50, wasm.p99 / native.p99);
}

fn workers(now: chrono::DateTime<Utc>) -> Vec<Worker> {
    let mut rng = rand::rng();
    (0..WORKERS)
        .map(|i| {
            let max_jobs = rng.random_range(1..=16);
            Worker {
                id: format!("agent-{i:02}"),
                region: RegionCode::parse(REGIONS[i % REGIONS.len()]).expect("valid region"),
                base_url: format!("http://agent-{i}.internal:8787/").parse().expect("valid url"),
                version: "bench".into(),
                status: if i % 10 == 9 { WorkerStatus::Cordoned } else { WorkerStatus::Healthy },
                active_jobs: rng.random_range(0..=max_jobs),
                max_jobs,
                disk_free_bytes: 1 << 40,
                disk_total_bytes: 1 << 41,
                cpu_pct: 10.0,
                bandwidth_bps: 1 << 27,
                last_heartbeat_at: now - TimeDelta::milliseconds(rng.random_range(0..40_000)),
                registered_at: now - TimeDelta::days(1),
            }
        })
        .collect()
}

fn files(now: chrono::DateTime<Utc>) -> Vec<RetentionCandidate> {
    let mut rng = rand::rng();
    let plans = [("free", Some(7)), ("pro", Some(30)), ("business", Some(90)), ("enterprise", None)];
    (0..FILES)
        .map(|_| {
            let (plan, days) = plans[rng.random_range(0..plans.len())];
            RetentionCandidate {
                file_id: FileId::new(),
                size: rng.random_range(1..1 << 32),
                completed_at: rng.random_bool(0.95).then(|| now - TimeDelta::hours(rng.random_range(0..24 * 120))),
                retention_days: days,
                plan: plan.into(),
            }
        })
        .collect()
}

fn main() -> anyhow::Result<()> {
    let decisions = env_u64("BENCH_DECISIONS", 20_000);
    let retention_decisions = env_u64("BENCH_RETENTION_DECISIONS", 200);
    let dir = tempfile::tempdir()?;
    let engine = PluginEngine::new(None).map_err(|e| anyhow::anyhow!("{e}"))?;
    let clock: Arc<dyn tseeder_core::ports::Clock> = Arc::new(SystemClock);
    let stale_after = Duration::from_secs(30);
    let now = Utc::now();

    let router_file = dir.path().join("router.wasm");
    let router = testing::router_reference();
    std::fs::write(&router_file, &router)?;
    let config = PluginConfig {
        path: router_file.display().to_string(),
        sha256: tseeder_plugins::sha256_hex(&router),
        ..PluginConfig::default()
    };
    let wasm = WasmRoutingPolicy::new(&engine, config, stale_after, None, Arc::clone(&clock));
    anyhow::ensure!(wasm.is_loaded(), "the reference router did not load: {:?}", wasm.status().last_refusal);
    let native = NativeRoutingPolicy::new(stale_after);
    let fleet = workers(now);
    let job = RoutingRequest {
        job_id: JobId::new(),
        region_hint: Some(RegionCode::parse("us-east").expect("valid region")),
        size_estimate: Some(1 << 30),
    };
    let same = wasm.rank(&job, &fleet, now).map_err(|e| anyhow::anyhow!("{e}"))?
        == native.rank(&job, &fleet, now).map_err(|e| anyhow::anyhow!("{e}"))?;
    anyhow::ensure!(same, "the wasm and native routers disagree on the benchmark input");
    let rank = |policy: &dyn RoutingPolicy| policy.rank(&job, &fleet, now).map(|r| r.len()).unwrap_or(0);
    let warmup = decisions / 10;
    let native_router = measure(warmup, decisions, || rank(&native))?;
    let wasm_router = measure(warmup, decisions, || rank(&wasm))?;
    // The same decisions on one instance kept between them: what a decision costs without its
    // fresh instance and store.
    let mut reused =
        testing::ReusedRouter::new(&wasm).map_err(anyhow::Error::msg)?.context("the reference router is loaded")?;
    let reused_router = measure(warmup, decisions, || reused.rank(&job, &fleet, now).map(|r| r.len()).unwrap_or(0))?;

    let retention_file = dir.path().join("retention.wasm");
    let retention = testing::retention_reference();
    std::fs::write(&retention_file, &retention)?;
    let config = PluginConfig {
        path: retention_file.display().to_string(),
        sha256: tseeder_plugins::sha256_hex(&retention),
        // One decision over 10,000 files (the sweeper asks 500 at a time by default).
        timeout_ms: 2_000,
        max_memory_bytes: 64 << 20,
        ..PluginConfig::default()
    };
    let wasm_retention = WasmRetentionPolicy::new(&engine, config, None, clock);
    anyhow::ensure!(wasm_retention.is_loaded(), "the reference retention policy did not load");
    let stored = files(now);
    let pick = |policy: &dyn RetentionPolicy| policy.select_expired(&stored, now).map(|r| r.len()).unwrap_or(0);
    anyhow::ensure!(pick(&wasm_retention) == pick(&NativeRetentionPolicy), "the retention policies disagree");
    let warmup = retention_decisions / 10;
    let native_retention = measure(warmup, retention_decisions, || pick(&NativeRetentionPolicy))?;
    let wasm_retention_figures = measure(warmup, retention_decisions, || pick(&wasm_retention))?;

    println!("policy decisions, warm ({} build)", if cfg!(debug_assertions) { "debug" } else { "release" });
    report(&format!("router: rank {WORKERS} workers ({decisions} decisions)"), &native_router, &wasm_router);
    println!(
        "  reused  p50 {:>9.2} us   p99 {:>9.2} us   mean {:>9.2} us   (one instance for every decision: not \
         isolated, for reference)",
        reused_router.p50, reused_router.p99, reused_router.mean
    );
    report(
        &format!("retention: select from {FILES} files ({retention_decisions} decisions)"),
        &native_retention,
        &wasm_retention_figures,
    );
    let ratio = wasm_router.p99 / native_router.p99;
    let verdict = if ratio <= 5.0 { "met" } else { "not met" };
    println!("goal router p99 <= 5x native: {verdict} ({ratio:.1}x)");
    Ok(())
}
