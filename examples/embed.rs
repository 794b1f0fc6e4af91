//! tseeder as a library, with no HTTP: the core services over SQLite, a local object store and
//! the in-process librqbit engine. Submits one job and prints its progress until it completes.
//!
//! ```sh
//! cargo run --example embed                 # seeds a generated file on 127.0.0.1 and downloads it
//! cargo run --example embed -- 'magnet:?…'  # downloads a real torrent (peer discovery on)
//! ```

#![allow(clippy::print_stdout, reason = "an example that reports to the terminal")]

use std::sync::Arc;
use std::time::Duration;

use anyhow::Context as _;
use tokio_util::sync::CancellationToken;
use tseeder_agent::testing::{LoopbackSeeder, loopback_config, write_random_file};
use tseeder_agent::{EngineConfig, LibrqbitEngine};
use tseeder_core::auth::Principal;
use tseeder_core::domain::{JobStatus, Role};
use tseeder_core::ports::SystemClock;
use tseeder_core::services::events::JobNotice;
use tseeder_core::services::job::{SubmitJob, SubmitSource};
use tseeder_core::services::{CoreConfig, RequestMeta, Tseeder};

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let magnet = std::env::args().nth(1);

    // Storage: a SQLite file and a local object store, both in a temporary directory.
    let db =
        tseeder_storage::connect(&format!("sqlite://{}?mode=rwc", dir.path().join("tseeder.db").display())).await?;
    tseeder_storage::migrate(&db).await?;
    let store_config =
        tseeder_storage::FileStoreConfig { url: dir.path().join("files").display().to_string(), ..Default::default() };
    let store = tseeder_storage::file_store(&store_config).await.map_err(|e| anyhow::anyhow!("{e}"))?;
    let core = Tseeder::new(tseeder_storage::ports(db, store, Arc::new(SystemClock)), CoreConfig::default());

    // The engine: real network for a real magnet; otherwise a seeder on 127.0.0.1 with every
    // kind of peer discovery off.
    let scratch = dir.path().join("scratch");
    let (engine_config, source, _seeder) = match magnet {
        Some(link) => (EngineConfig { scratch_dir: scratch, ..Default::default() }, SubmitSource::Magnet(link), None),
        None => {
            let payload = dir.path().join("payload/demo.bin");
            std::fs::create_dir_all(payload.parent().context("parent")?)?;
            write_random_file(&payload, 64 * 1024 * 1024 + 3, 7)?;
            let seeder = LoopbackSeeder::start().await.map_err(|e| anyhow::anyhow!("{e}"))?;
            let seeded = seeder.seed(&payload).await.map_err(|e| anyhow::anyhow!("{e}"))?;
            (loopback_config(scratch, seeder.addr()), SubmitSource::Torrent(seeded.torrent_bytes), Some(seeder))
        }
    };
    let engine = LibrqbitEngine::new(engine_config).await.map_err(|e| anyhow::anyhow!("{e}"))?;
    let stop = CancellationToken::new();
    let dispatcher = core.dispatcher(Arc::new(engine)).spawn(stop.clone());

    // A user, acting in-process (no session, no API key).
    let user = core.accounts.create_user("embedder@example.com", "embedded 1 password", Role::User).await?;
    let me = Principal::internal(&user);
    let submitted = core
        .jobs
        .submit(
            &me,
            SubmitJob { source, name: None, idempotency_key: None, files: None, region_hint: None },
            &RequestMeta::default(),
        )
        .await?;
    let id = submitted.job.id;
    println!("job {id} queued: {}", submitted.job.name);

    let mut notices = core.events.subscribe(id);
    loop {
        match tokio::time::timeout(Duration::from_secs(1), notices.recv()).await {
            Ok(Ok(JobNotice::Progress(p))) => {
                let pct = if p.total_bytes > 0 { p.done_bytes as f64 * 100.0 / p.total_bytes as f64 } else { 0.0 };
                println!("  {pct:5.1}%  {} / {} bytes  {} peers", p.done_bytes, p.total_bytes, p.peers);
            }
            Ok(Ok(JobNotice::Changed)) | Ok(Err(_)) | Err(_) => {}
        }
        let job = core.jobs.get(&me, id).await?;
        if job.status.is_terminal() {
            println!("job {id} is {}", job.status);
            if job.status == JobStatus::Completed {
                let (_, files) = core.files.list(&me, id).await?;
                for f in files {
                    println!("  stored {} ({} bytes) at {}", f.path, f.size, f.blob_key);
                }
            } else if let Some(error) = job.error {
                println!("  error: {error}");
            }
            break;
        }
    }
    stop.cancel();
    dispatcher.await?;
    Ok(())
}
