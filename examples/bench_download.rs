//! Benchmark: time-to-available through tseeder (submit -> every file in the object store and
//! downloadable) against a bare librqbit download of the same payload from the same loopback
//! seeder, measured in the same run. Prints both, and their ratio (goal: <= 1.0x).
//!
//! With `TSEEDER_TEST_S3_ENDPOINT` set (an S3-compatible server, such as moto on loopback), each
//! round also stores the file in S3 twice: uploaded while it downloads (the default) and
//! uploaded once finished (`store.upload_when_finished`).
//!
//! ```sh
//! cargo run --release --example bench_download            # 512 MiB, 3 rounds
//! BENCH_MIB=64 BENCH_ROUNDS=1 cargo run --release --example bench_download
//! TSEEDER_TEST_S3_ENDPOINT=http://127.0.0.1:5000 cargo run --release --example bench_download
//! BENCH_LIMIT_MIBPS=100 ...   # both downloads limited to 100 MiB/s
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
use tseeder_storage::FileStoreConfig;

fn env_u64(name: &str, default: u64) -> u64 {
    std::env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

/// The download rate limit of both sides, from `BENCH_LIMIT_MIBPS` (MiB/s; none by default).
fn download_limit() -> Option<u32> {
    let mibps = env_u64("BENCH_LIMIT_MIBPS", 0);
    (mibps > 0).then(|| u32::try_from(mibps * 1024 * 1024).unwrap_or(u32::MAX))
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
        ratelimits: librqbit::limits::LimitsConfig {
            download_bps: download_limit().and_then(NonZeroU32::new),
            upload_bps: None,
        },
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

/// One run through tseeder: submit to completed, and the part of it after the last piece was
/// verified (the job's `uploading` status, to `completed`).
#[derive(Debug, Clone, Copy)]
struct Timing {
    total: Duration,
    tail: Duration,
}

/// Through tseeder: submit, then wait until the job is completed and its file is in the store
/// (`store`, or a local directory under `dir`).
async fn through_tseeder(
    dir: &Path,
    torrent: &[u8],
    seeder: SocketAddr,
    size: u64,
    store: Option<FileStoreConfig>,
) -> anyhow::Result<Timing> {
    std::fs::create_dir_all(dir)?;
    let db = tseeder_storage::connect(&format!("sqlite://{}?mode=rwc", dir.join("tseeder.db").display())).await?;
    tseeder_storage::migrate(&db).await?;
    let store_config = store.unwrap_or_else(|| FileStoreConfig::local(dir.join("files")));
    let store = tseeder_storage::file_store(&store_config).await.map_err(|e| anyhow!("{e}"))?;
    let mut config = CoreConfig::default();
    config.dispatch.poll_interval_ms = 20;
    let core = Tseeder::new(tseeder_storage::ports(db, store, Arc::new(SystemClock)), config);
    let engine_config =
        tseeder_agent::EngineConfig { download_bps: download_limit(), ..loopback_config(dir.join("scratch"), seeder) };
    let engine = LibrqbitEngine::new(engine_config).await.map_err(|e| anyhow!("{e}"))?;
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
    let history = core.jobs.events(&me, job.id, 0, 1000).await?;
    let entered = |status: &str| history.iter().find(|e| e.payload["to"] == status).map(|e| e.created_at);
    let tail = match (entered("uploading"), entered("completed")) {
        (Some(from), Some(to)) => (to - from).to_std().unwrap_or_default(),
        _ => Duration::ZERO,
    };
    stop.cancel();
    dispatcher.await?;
    Ok(Timing { total: elapsed, tail })
}

/// The reference for S3: the same file sent to the same server by itself, in parts of the size
/// and concurrency tseeder uses. Returns how long the parts took, and then the completion (the
/// server assembling the object).
async fn s3_upload_alone(config: &FileStoreConfig, payload: &Path) -> anyhow::Result<(Duration, Duration)> {
    use object_store::ObjectStoreExt as _;
    let (store, path) = tseeder_storage::object_store::ObjectStoreFileStore::from_config(config)
        .await
        .map_err(|e| anyhow!("{e}"))?
        .object("blobs/bench/alone.bin")
        .map_err(|e| anyhow!("{e}"))?;
    let started = Instant::now();
    let mut upload = store.put_multipart(&path).await?;
    let mut file = tokio::fs::File::open(payload).await?;
    let mut parts = tokio::task::JoinSet::new();
    loop {
        let mut part = vec![0; tseeder_storage::object_store::PART_SIZE];
        let mut filled = 0;
        while filled < part.len() {
            match tokio::io::AsyncReadExt::read(&mut file, &mut part[filled..]).await? {
                0 => break,
                n => filled += n,
            }
        }
        if filled == 0 {
            break;
        }
        part.truncate(filled);
        while parts.len() >= tseeder_storage::object_store::UPLOAD_CONCURRENCY {
            parts.join_next().await.context("a part")???;
        }
        parts.spawn(upload.put_part(object_store::PutPayload::from(part)));
    }
    while let Some(done) = parts.join_next().await {
        done??;
    }
    let sent = started.elapsed();
    upload.complete().await?;
    Ok((sent, started.elapsed() - sent))
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

/// The median total and the median tail of `runs`.
fn medians(runs: &[Timing]) -> (Duration, Duration) {
    (median(runs.iter().map(|t| t.total).collect()), median(runs.iter().map(|t| t.tail).collect()))
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
    if let Some(bps) = download_limit() {
        println!("downloads limited to {} MiB/s", bps / (1024 * 1024));
    }

    let s3 = tseeder_storage::testing::s3_file_store_config().await.is_some();
    let (mut bare, mut full) = (Vec::new(), Vec::new());
    let (mut s3_parts, mut s3_completion) = (Vec::new(), Vec::new());
    let (mut s3_streamed, mut s3_after) = (Vec::new(), Vec::new());
    for round in 0..rounds {
        let dir = tempfile::tempdir_in(work.path())?;
        let torrent = &seeded.torrent_bytes;
        let local_dir = dir.path().join("tseeder");
        let local = || through_tseeder(&local_dir, torrent, seeder.addr(), size, None);
        // Alternate the order so neither side always gets a warm page cache.
        if round % 2 == 0 {
            bare.push(bare_librqbit(&dir.path().join("bare"), torrent, seeder.addr()).await?);
            full.push(local().await?);
        } else {
            full.push(local().await?);
            bare.push(bare_librqbit(&dir.path().join("bare"), torrent, seeder.addr()).await?);
        }
        let mut line = format!(
            "round {}: bare librqbit {:.3} s, tseeder time-to-available {:.3} s",
            round + 1,
            bare[bare.len() - 1].as_secs_f64(),
            full[full.len() - 1].total.as_secs_f64()
        );
        if s3 {
            // Each run stores under its own prefix (a fresh job, a fresh store).
            let fresh = || async {
                tseeder_storage::testing::s3_file_store_config().await.context("TSEEDER_TEST_S3_ENDPOINT is set")
            };
            let (parts, completion) = s3_upload_alone(&fresh().await?, &payload).await?;
            s3_parts.push(parts);
            s3_completion.push(completion);
            let streamed = fresh().await?;
            s3_streamed
                .push(through_tseeder(&dir.path().join("s3"), torrent, seeder.addr(), size, Some(streamed)).await?);
            let after = FileStoreConfig { upload_when_finished: true, ..fresh().await? };
            s3_after
                .push(through_tseeder(&dir.path().join("s3-after"), torrent, seeder.addr(), size, Some(after)).await?);
            let (streamed, after) = (s3_streamed[s3_streamed.len() - 1], s3_after[s3_after.len() - 1]);
            line.push_str(&format!(
                "; S3: upload alone {:.3} s + completion {:.3} s, uploaded while downloading {:.3} s (after the last \
                 piece {:.3} s), uploaded once finished {:.3} s (after the last piece {:.3} s)",
                parts.as_secs_f64(),
                completion.as_secs_f64(),
                streamed.total.as_secs_f64(),
                streamed.tail.as_secs_f64(),
                after.total.as_secs_f64(),
                after.tail.as_secs_f64(),
            ));
        }
        println!("{line}");
    }
    let (b, (f, tail)) = (median(bare), medians(&full));
    let mbps = |d: Duration| size as f64 / d.as_secs_f64() / (1024.0 * 1024.0);
    println!("median bare librqbit download: {:.3} s ({:.0} MiB/s)", b.as_secs_f64(), mbps(b));
    println!(
        "median tseeder time-to-available: {:.3} s ({:.0} MiB/s), {:.3} s of it after the last piece",
        f.as_secs_f64(),
        mbps(f),
        tail.as_secs_f64()
    );
    println!("ratio (goal <= 1.0): {:.2}", f.as_secs_f64() / b.as_secs_f64());
    if !s3_streamed.is_empty() {
        let (parts, completion) = (median(s3_parts), median(s3_completion));
        println!(
            "median S3 upload alone (the same file from disk): parts {:.3} s ({:.0} MiB/s), then the server's completion \
             {:.3} s",
            parts.as_secs_f64(),
            mbps(parts),
            completion.as_secs_f64()
        );
        for (what, runs) in [("uploaded while downloading", &s3_streamed), ("uploaded once finished", &s3_after)] {
            let (total, tail) = medians(runs);
            println!(
                "median tseeder time-to-available, S3 {what}: {:.3} s ({:.2}x bare librqbit), {:.3} s of it after the \
                 last piece",
                total.as_secs_f64(),
                total.as_secs_f64() / b.as_secs_f64(),
                tail.as_secs_f64()
            );
        }
    }
    Ok(())
}
