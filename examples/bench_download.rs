//! Benchmark: time-to-available through tseeder (submit -> every file in the object store and
//! downloadable) against a bare librqbit download of the same payload from the same loopback
//! seeder, measured in the same run. Prints both, and their ratio (goal: <= 1.0x).
//!
//! ```sh
//! cargo run --release --example bench_download            # 512 MiB, 3 rounds
//! BENCH_MIB=64 BENCH_ROUNDS=1 cargo run --release --example bench_download
//! ```
//! Everything stays on 127.0.0.1: peer discovery (DHT, trackers, LSD, UPnP) is off.

#![allow(clippy::print_stdout, reason = "an example that reports to the terminal")]

use std::net::SocketAddr;
use std::num::NonZeroU32;
use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{Context as _, anyhow};
use librqbit::{AddTorrent, AddTorrentOptions, ListenerMode, ListenerOptions, Session, SessionOptions};
use tokio_util::sync::CancellationToken;
use tseeder_agent::LibrqbitEngine;
use tseeder_agent::testing::{LoopbackSeeder, loopback_config, write_random_file};
use tseeder_core::auth::Principal;
use tseeder_core::domain::{JobStatus, Role};
use tseeder_core::ports::SystemClock;
use tseeder_core::services::job::{SubmitJob, SubmitSource};
use tseeder_core::services::{CoreConfig, RequestMeta, Tseeder};

fn env_u64(name: &str, default: u64) -> u64 {
    std::env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

/// A bare librqbit download: a fresh loopback-only session, the torrent added from bytes with
/// the seeder as its only peer, timed until every piece is verified on disk.
async fn bare_librqbit(dir: &Path, torrent: &[u8], seeder: SocketAddr) -> anyhow::Result<Duration> {
    std::fs::create_dir_all(dir)?;
    let opts = SessionOptions {
        dht: None,
        disable_trackers: true,
        disable_local_service_discovery: true,
        persistence: None,
        fastresume: false,
        listen: Some(ListenerOptions {
            mode: ListenerMode::TcpOnly,
            listen_addr: ([127, 0, 0, 1], 0).into(),
            enable_upnp_port_forwarding: false,
            ipv4_only: true,
            ..Default::default()
        }),
        ipv4_only: true,
        ratelimits: librqbit::limits::LimitsConfig { download_bps: None::<NonZeroU32>, upload_bps: None },
        ..Default::default()
    };
    let session = Session::new_with_opts(dir.to_path_buf(), opts).await.map_err(|e| anyhow!("{e:#}"))?;
    let started = Instant::now();
    let handle = session
        .add_torrent(
            AddTorrent::from_bytes(torrent.to_vec()),
            Some(AddTorrentOptions {
                initial_peers: Some(vec![seeder]),
                output_folder: Some(dir.join("out").display().to_string()),
                overwrite: true,
                ..Default::default()
            }),
        )
        .await
        .map_err(|e| anyhow!("{e:#}"))?
        .into_handle()
        .context("torrent was not added")?;
    tokio::time::timeout(Duration::from_secs(600), handle.wait_until_completed())
        .await
        .context("bare download timed out")?
        .map_err(|e| anyhow!("{e:#}"))?;
    let elapsed = started.elapsed();
    session.stop().await;
    Ok(elapsed)
}

/// Through tseeder: submit, then wait until the job is completed and its file is in the store.
async fn through_tseeder(dir: &Path, torrent: &[u8], seeder: SocketAddr, size: u64) -> anyhow::Result<Duration> {
    std::fs::create_dir_all(dir)?;
    let db = tseeder_storage::connect(&format!("sqlite://{}?mode=rwc", dir.join("tseeder.db").display())).await?;
    tseeder_storage::migrate(&db).await?;
    let store_config = tseeder_storage::FileStoreConfig::local(dir.join("files"));
    let store = tseeder_storage::file_store(&store_config).await.map_err(|e| anyhow!("{e}"))?;
    let mut config = CoreConfig::default();
    config.dispatch.poll_interval_ms = 20;
    let core = Tseeder::new(tseeder_storage::ports(db, store, Arc::new(SystemClock)), config);
    let engine = LibrqbitEngine::new(loopback_config(dir.join("scratch"), seeder)).await.map_err(|e| anyhow!("{e}"))?;
    let stop = CancellationToken::new();
    let dispatcher = core.dispatcher(Arc::new(engine)).spawn(stop.clone());
    let user = core.accounts.create_user("bench@example.com", "bench password 1", Role::Superadmin).await?;
    // The free plan caps files at 500 MB; the benchmark's user gets the unlimited plan.
    core.ports.plans.assign_plan(user.id, "enterprise", chrono::Utc::now(), None).await?;
    let me = Principal::internal(&user);
    let mut notices = None;

    let started = Instant::now();
    let job = core
        .jobs
        .submit(
            &me,
            SubmitJob {
                source: SubmitSource::Torrent(torrent.to_vec()),
                name: None,
                idempotency_key: None,
                files: None,
                region_hint: None,
            },
            &RequestMeta::default(),
        )
        .await?
        .job;
    let rx = notices.get_or_insert_with(|| core.events.subscribe(job.id));
    loop {
        let _ = tokio::time::timeout(Duration::from_millis(50), rx.recv()).await;
        let now = core.jobs.get(&me, job.id).await?;
        match now.status {
            JobStatus::Completed => break,
            JobStatus::Failed | JobStatus::Cancelled => {
                return Err(anyhow!("job ended {}: {:?}", now.status, now.error));
            }
            _ if started.elapsed() > Duration::from_secs(600) => return Err(anyhow!("timed out in {}", now.status)),
            _ => {}
        }
    }
    let (_, files) = core.files.list(&me, job.id).await?;
    let stored: u64 = files.iter().map(|f| f.size).sum();
    let elapsed = started.elapsed();
    anyhow::ensure!(stored == size, "stored {stored} of {size} bytes");
    let body = core.files.open(&me, files[0].id, Some(0..2)).await?;
    drop(body);
    stop.cancel();
    dispatcher.await?;
    Ok(elapsed)
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let mib = env_u64("BENCH_MIB", 512);
    let rounds = env_u64("BENCH_ROUNDS", 3).max(1);
    // An odd size: librqbit's torrent creator adds a spurious piece when the size is an exact
    // multiple of the piece length.
    let size = mib * 1024 * 1024 + 7;
    let work = tempfile::tempdir()?;
    let payload = work.path().join("payload.bin");
    write_random_file(&payload, size, 42)?;
    let seeder = LoopbackSeeder::start().await.map_err(|e| anyhow!("{e}"))?;
    let seeded = seeder.seed(&payload).await.map_err(|e| anyhow!("{e}"))?;
    println!("payload: {size} bytes ({mib} MiB + 7), {rounds} round(s), loopback seeder at {}", seeder.addr());

    let (mut bare, mut full) = (Vec::new(), Vec::new());
    for round in 0..rounds {
        let dir = tempfile::tempdir_in(work.path())?;
        // Alternate the order so neither side always gets a warm page cache.
        if round % 2 == 0 {
            bare.push(bare_librqbit(&dir.path().join("bare"), &seeded.torrent_bytes, seeder.addr()).await?);
            full.push(through_tseeder(&dir.path().join("tseeder"), &seeded.torrent_bytes, seeder.addr(), size).await?);
        } else {
            full.push(through_tseeder(&dir.path().join("tseeder"), &seeded.torrent_bytes, seeder.addr(), size).await?);
            bare.push(bare_librqbit(&dir.path().join("bare"), &seeded.torrent_bytes, seeder.addr()).await?);
        }
        println!(
            "round {}: bare librqbit {:.3} s, tseeder time-to-available {:.3} s",
            round + 1,
            bare[bare.len() - 1].as_secs_f64(),
            full[full.len() - 1].as_secs_f64()
        );
    }
    let (b, f) = (median(bare), median(full));
    let mbps = |d: Duration| size as f64 / d.as_secs_f64() / (1024.0 * 1024.0);
    println!("median bare librqbit download: {:.3} s ({:.0} MiB/s)", b.as_secs_f64(), mbps(b));
    println!("median tseeder time-to-available: {:.3} s ({:.0} MiB/s)", f.as_secs_f64(), mbps(f));
    println!("ratio (goal <= 1.0): {:.2}", f.as_secs_f64() / b.as_secs_f64());
    Ok(())
}
