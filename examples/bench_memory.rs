//! Benchmark: the memory of a tseeder server (the `tseeder` binary, its own process) idle and
//! while it downloads several torrents at once from a loopback seeder, through the API, into its
//! local object store. Prints the server's resident memory (RSS) idle, at its peak (the kernel's
//! high-water mark, `VmHWM`) and after the downloads, and the peak's growth per torrent.
//!
//! ```sh
//! cargo build --release --example tseeder --example bench_memory
//! target/release/examples/bench_memory                       # 20 torrents of 32 MiB at once
//! BENCH_TORRENTS=1 BENCH_MIB=512 target/release/examples/bench_memory   # one 512 MiB torrent
//! ```
//! The server is the `tseeder` example next to this binary, with this process's environment (so
//! `TSEEDER_STORE__URL=/dev/shm/x` puts its store on another filesystem, where finished files are
//! copied rather than linked); peer discovery is off and every socket is on 127.0.0.1. Linux
//! only (it reads `/proc/<pid>/status`).

#![allow(clippy::print_stdout, reason = "an example that reports to the terminal")]

mod bench_common;

use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context as _, anyhow};
use tseeder_agent::testing::{LoopbackSeeder, write_random_file};
use tseeder_core::domain::Scope;
use tseeder_core::services::{CoreConfig, Tseeder};

fn env_u64(name: &str, default: u64) -> u64 {
    std::env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

/// A field of `/proc/<pid>/status` in kB (`VmRSS`, `VmHWM`), as MiB.
fn status_mib(pid: u32, field: &str) -> anyhow::Result<f64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status"))?;
    let line = status.lines().find(|l| l.starts_with(field)).with_context(|| format!("no {field}"))?;
    let kb: f64 = line.split_whitespace().nth(1).context("no value")?.parse()?;
    Ok(kb / 1024.0)
}

/// Kills the server when the benchmark ends, however it ends.
struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// A user on the unlimited plan and an API key of theirs, made in the server's database before
/// it starts.
async fn account(data_dir: &std::path::Path) -> anyhow::Result<String> {
    std::fs::create_dir_all(data_dir)?;
    let url = format!("sqlite://{}?mode=rwc", data_dir.join("tseeder.db").display());
    let db = tseeder_storage::connect(&url).await?;
    tseeder_storage::migrate(&db).await?;
    let core = Tseeder::new(bench_common::ports(db.clone(), data_dir).await?, CoreConfig::default());
    let scopes = vec![Scope::JobsRead, Scope::JobsWrite];
    let key = bench_common::user_with_key(&core, "bench@example.com", "enterprise", 0, scopes).await?;
    db.close().await?;
    Ok(key)
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let torrents = env_u64("BENCH_TORRENTS", 20).max(1);
    let mib = env_u64("BENCH_MIB", 32);
    let binary = std::env::current_exe()?.with_file_name("tseeder");
    anyhow::ensure!(binary.exists(), "build the server first: cargo build --release --example tseeder");
    let work = tempfile::tempdir()?;

    // The seeder runs in this process; the server in its own.
    let seeder = LoopbackSeeder::start().await.map_err(|e| anyhow!("{e}"))?;
    let mut files = Vec::new();
    for i in 0..torrents {
        // An odd size: librqbit's torrent creator adds a spurious piece at exact multiples.
        let path = work.path().join(format!("payload-{i:02}.bin"));
        write_random_file(&path, mib * 1024 * 1024 + 7, i + 1)?;
        files.push(seeder.seed(&path).await.map_err(|e| anyhow!("{e}"))?.torrent_bytes);
    }
    let data_dir = work.path().join("data");
    let key = account(&data_dir).await?;
    let port = std::net::TcpListener::bind("127.0.0.1:0")?.local_addr()?.port();
    let base = format!("http://127.0.0.1:{port}");
    let child = Command::new(&binary)
        .args(["serve", "--listen", &format!("127.0.0.1:{port}"), "--data-dir"])
        .arg(&data_dir)
        .env("TSEEDER_ENGINE__PEER_DISCOVERY", "false")
        .env("TSEEDER_ENGINE__LISTEN_ADDR", "127.0.0.1:0")
        .env("TSEEDER_ENGINE__EXTRA_PEERS", format!("[\"{}\"]", seeder.addr()))
        .env("TSEEDER_DISPATCH__CONCURRENCY", torrents.to_string())
        .env("TSEEDER_HTTP__JOBS_PER_MINUTE", "0")
        .env("RUST_LOG", "warn")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .with_context(|| format!("cannot start {}", binary.display()))?;
    let server = Server(child);
    let pid = server.0.id();
    let http = reqwest::Client::new();
    let started = Instant::now();
    while http.get(format!("{base}/api/v1/health")).send().await.is_err() {
        anyhow::ensure!(started.elapsed() < Duration::from_secs(60), "the server did not start");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    // Idle: started, migrated, engine up, nothing to do for a few seconds.
    tokio::time::sleep(Duration::from_secs(3)).await;
    let idle = status_mib(pid, "VmRSS:")?;
    println!("server: {} (pid {pid}), {torrents} torrent(s) of {mib} MiB + 7 B at once", binary.display());
    println!("idle RSS: {idle:.1} MiB (goal < 50 MiB)");

    let bearer = format!("Bearer {key}");
    let submitted = Instant::now();
    for (i, torrent) in files.iter().enumerate() {
        let part = reqwest::multipart::Part::bytes(torrent.clone()).file_name(format!("payload-{i:02}.torrent"));
        let form = reqwest::multipart::Form::new().part("torrent", part);
        let resp = http.post(format!("{base}/api/v1/jobs")).header("Authorization", &bearer).multipart(form).send();
        let resp = resp.await?;
        anyhow::ensure!(resp.status().is_success(), "submission {i}: {}", resp.text().await?);
    }
    let mut sampled_peak: f64 = 0.0;
    loop {
        sampled_peak = sampled_peak.max(status_mib(pid, "VmRSS:")?);
        let page: serde_json::Value = http
            .get(format!("{base}/api/v1/jobs?status=completed&limit=100"))
            .header("Authorization", &bearer)
            .send()
            .await?
            .json()
            .await?;
        let done = page["meta"]["total"].as_u64().unwrap_or(0);
        if done >= torrents {
            break;
        }
        anyhow::ensure!(submitted.elapsed() < Duration::from_secs(900), "only {done} of {torrents} completed");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let took = submitted.elapsed();
    let peak = status_mib(pid, "VmHWM:")?;
    tokio::time::sleep(Duration::from_secs(3)).await;
    let after = status_mib(pid, "VmRSS:")?;
    #[expect(clippy::cast_precision_loss, reason = "a count of torrents")]
    let per_torrent = (peak - idle) / torrents as f64;
    println!("all {torrents} completed in {:.1} s", took.as_secs_f64());
    println!("peak RSS: {peak:.1} MiB (sampled every 100 ms: {sampled_peak:.1} MiB)");
    println!("per active torrent: {per_torrent:.1} MiB above idle (goal < 16 MiB)");
    println!("RSS 3 s after the last completed: {after:.1} MiB");
    Ok(())
}
