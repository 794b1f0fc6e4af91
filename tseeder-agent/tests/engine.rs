//! End-to-end runs of the librqbit engine against a seeder session in the same process.
//! Everything stays on 127.0.0.1: both sessions have peer discovery off.

#![allow(clippy::unwrap_used, reason = "test helpers: a panic is a test failure")]

use std::collections::HashMap;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use sha2::{Digest, Sha256};
use tokio::io::AsyncReadExt;
use tseeder_agent::testing::{LoopbackSeeder, MetadataPeer, SeededTorrent, loopback_config, write_random_file};
use tseeder_agent::{EngineConfig, LibrqbitEngine};
use tseeder_core::domain::{JobId, JobSource, MagnetLink, TorrentMeta};
use tseeder_core::ports::{ComputeEngine, ComputeError, EngineEvent, EngineProgress, EngineRun, EngineTask};

const TEST_TIMEOUT: Duration = Duration::from_secs(60);
const MIB: u64 = 1024 * 1024;

/// Temporary directories for the payload (seeded) and the engine's scratch space.
struct Dirs {
    _root: tempfile::TempDir,
    payload: PathBuf,
    scratch: PathBuf,
}

fn dirs() -> Dirs {
    let root = tempfile::tempdir().unwrap();
    let payload = root.path().join("payload");
    let scratch = root.path().join("scratch");
    std::fs::create_dir_all(&payload).unwrap();
    Dirs { payload, scratch, _root: root }
}

async fn write_payload(path: PathBuf, size: u64, seed: u64) {
    tokio::task::spawn_blocking(move || {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        write_random_file(&path, size, seed).unwrap();
    })
    .await
    .unwrap();
}

async fn sha256_file(path: &Path) -> Vec<u8> {
    Sha256::digest(tokio::fs::read(path).await.unwrap()).to_vec()
}

async fn seeded(seeder: &LoopbackSeeder, path: &Path) -> SeededTorrent {
    seeder.seed(path).await.unwrap()
}

async fn engine(config: EngineConfig) -> LibrqbitEngine {
    LibrqbitEngine::new(config).await.unwrap()
}

async fn start(
    engine: &LibrqbitEngine,
    job_id: JobId,
    source: JobSource,
    only: Option<Vec<usize>>,
) -> Box<dyn EngineRun> {
    engine.start(EngineTask { job_id, source, only_files: only, region_hint: None }).await.unwrap()
}

/// Everything a run reported, with the SHA-256 of each file read right after its `FileReady`.
struct Outcome {
    events: Vec<EngineEvent>,
    files: Vec<tseeder_core::domain::TorrentFile>,
    read: HashMap<usize, Vec<u8>>,
}

async fn drive(run: &mut Box<dyn EngineRun>) -> Outcome {
    let mut outcome = Outcome { events: Vec::new(), files: Vec::new(), read: HashMap::new() };
    while let Some(event) = run.next_event().await {
        match &event {
            EngineEvent::Metadata { files, .. } => outcome.files = files.clone(),
            EngineEvent::FileReady { index } => {
                let mut bytes = Vec::new();
                run.open_file(*index).await.unwrap().read_to_end(&mut bytes).await.unwrap();
                assert_eq!(bytes.len() as u64, outcome.files[*index].size, "file {index} is complete");
                outcome.read.insert(*index, Sha256::digest(&bytes).to_vec());
            }
            _ => {}
        }
        outcome.events.push(event);
    }
    outcome
}

fn progress(events: &[EngineEvent]) -> Vec<EngineProgress> {
    events
        .iter()
        .filter_map(|e| match e {
            EngineEvent::Progress(p) => Some(*p),
            _ => None,
        })
        .collect()
}

/// The order core's contract promises: Metadata once (only zero progress before it), FileReady
/// once per selected file, progress never going back, Finished last and nothing after.
fn assert_contract_order(events: &[EngineEvent], selected: &[usize]) {
    let meta_at = events.iter().position(|e| matches!(e, EngineEvent::Metadata { .. })).expect("metadata");
    assert!(
        events[..meta_at].iter().all(|e| matches!(e, EngineEvent::Progress(p) if *p == EngineProgress::default())),
        "only empty progress may precede metadata: {events:?}"
    );
    assert_eq!(events.iter().filter(|e| matches!(e, EngineEvent::Metadata { .. })).count(), 1);
    assert_eq!(events.last(), Some(&EngineEvent::Finished), "{events:?}");
    assert_eq!(
        events
            .iter()
            .filter(|e| matches!(e, EngineEvent::Finished | EngineEvent::Failed(_) | EngineEvent::Rejected(_)))
            .count(),
        1
    );
    let mut ready: Vec<usize> = events
        .iter()
        .filter_map(|e| match e {
            EngineEvent::FileReady { index } => Some(*index),
            _ => None,
        })
        .collect();
    ready.sort_unstable();
    assert_eq!(ready, selected, "one FileReady per selected file");
    let progress = progress(&events[meta_at..]);
    assert!(progress.windows(2).all(|w| w[0].done_bytes <= w[1].done_bytes), "progress never goes back");
    let last = progress.last().expect("some progress");
    assert_eq!(last.done_bytes, last.total_bytes, "complete at the end");
}

async fn assert_stopped_and_cleaned(run: Box<dyn EngineRun>, job_dir: &Path) {
    let started = Instant::now();
    run.stop().await.unwrap();
    assert!(started.elapsed() < Duration::from_secs(5), "stop took {:?}", started.elapsed());
    assert!(!job_dir.exists(), "{} is removed", job_dir.display());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn torrent_file_download_reports_events_in_order_when_single_file() {
    tokio::time::timeout(TEST_TIMEOUT, async {
        let t0 = Instant::now();
        let dirs = dirs();
        let source = dirs.payload.join("movie.bin");
        write_payload(source.clone(), 3 * MIB + 7, 1).await;
        let seeder = LoopbackSeeder::start().await.unwrap();
        let seeded = seeded(&seeder, &source).await;
        let engine = engine(loopback_config(dirs.scratch.clone(), seeder.addr())).await;
        let job_id = JobId::new();

        let mut run = start(&engine, job_id, JobSource::Torrent(seeded.torrent_bytes.clone().into()), None).await;
        let outcome = drive(&mut run).await;

        assert!(
            matches!(outcome.events.first(), Some(EngineEvent::Metadata { .. })),
            "a .torrent gives metadata first"
        );
        assert_contract_order(&outcome.events, &[0]);
        let EngineEvent::Metadata { name, files } = &outcome.events[0] else { unreachable!() };
        assert_eq!(name, "movie.bin");
        assert_eq!(files.len(), 1);
        assert_eq!((files[0].path.as_str(), files[0].size), ("movie.bin", 3 * MIB + 7));
        assert_eq!(outcome.read[&0], sha256_file(&source).await);
        assert_stopped_and_cleaned(run, &dirs.scratch.join(job_id.to_string())).await;
        eprintln!("single-file .torrent download: {:?}", t0.elapsed());
    })
    .await
    .expect("test timed out");
}

/// Progress is paced by the interval, but completion is not: the last file is reported as soon
/// as librqbit has verified its last piece, even with an interval of an hour.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn completion_is_reported_at_once_whatever_the_progress_interval() {
    tokio::time::timeout(TEST_TIMEOUT, async {
        let dirs = dirs();
        let source = dirs.payload.join("big.bin");
        write_payload(source.clone(), 24 * MIB + 3, 5).await;
        let seeder = LoopbackSeeder::start().await.unwrap();
        let seeded = seeded(&seeder, &source).await;
        let config =
            EngineConfig { progress_interval_ms: 3_600_000, ..loopback_config(dirs.scratch.clone(), seeder.addr()) };
        let engine = engine(config).await;
        let job_id = JobId::new();

        let mut run = start(&engine, job_id, JobSource::Torrent(seeded.torrent_bytes.clone().into()), None).await;
        let outcome = drive(&mut run).await;
        assert_contract_order(&outcome.events, &[0]);
        assert_eq!(outcome.read[&0], sha256_file(&source).await);
        assert_stopped_and_cleaned(run, &dirs.scratch.join(job_id.to_string())).await;
    })
    .await
    .expect("completion waited for the next progress tick");
}

/// A file read while it downloads yields exactly its bytes, and its first bytes come before the
/// download ends (slowed to 8 MiB/s, so it takes about three seconds). The engine streams at
/// most `MAX_GROWING_FILES` at once, and no file once the torrent is complete.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_growing_file_is_read_whole_while_it_downloads() {
    tokio::time::timeout(TEST_TIMEOUT, async {
        let dirs = dirs();
        let source = dirs.payload.join("big.bin");
        write_payload(source.clone(), 24 * MIB + 3, 9).await;
        let seeder = LoopbackSeeder::start().await.unwrap();
        let seeded = seeded(&seeder, &source).await;
        let config =
            EngineConfig { download_bps: Some(8 * MIB as u32), ..loopback_config(dirs.scratch.clone(), seeder.addr()) };
        let engine = engine(config).await;
        let job_id = JobId::new();
        let mut run = start(&engine, job_id, JobSource::Torrent(seeded.torrent_bytes.clone().into()), None).await;
        loop {
            match run.next_event().await.unwrap() {
                EngineEvent::Metadata { .. } => break,
                EngineEvent::Progress(_) => {}
                other => panic!("{other:?} before the metadata"),
            }
        }
        let mut growing = run.open_growing_file(0).await.unwrap().expect("a downloading file can be streamed");
        let mut others = Vec::new();
        while let Some(other) = run.open_growing_file(0).await.unwrap() {
            others.push(other);
            assert!(others.len() < tseeder_agent::MAX_GROWING_FILES, "the engine limits its streams");
        }
        assert_eq!(others.len() + 1, tseeder_agent::MAX_GROWING_FILES);
        drop(others);
        let reader = tokio::spawn(async move {
            let (mut first_at, mut bytes, mut buf) = (None, Vec::new(), vec![0; 256 * 1024]);
            loop {
                let n = growing.read(&mut buf).await.unwrap();
                if n == 0 {
                    break;
                }
                first_at.get_or_insert_with(Instant::now);
                bytes.extend_from_slice(&buf[..n]);
            }
            (first_at.unwrap(), Sha256::digest(&bytes).to_vec())
        });
        let mut ready_at = None;
        while let Some(event) = run.next_event().await {
            if matches!(event, EngineEvent::FileReady { index: 0 }) {
                ready_at = Some(Instant::now());
            }
            assert!(!matches!(event, EngineEvent::Failed(_)), "{event:?}");
        }
        let (first_at, digest) = reader.await.unwrap();
        assert_eq!(digest, sha256_file(&source).await, "the stream yields exactly the file");
        assert!(first_at < ready_at.expect("the file became ready"), "the first bytes came while it downloaded");
        assert!(run.open_growing_file(0).await.unwrap().is_none(), "a complete torrent streams nothing");
        assert_stopped_and_cleaned(run, &dirs.scratch.join(job_id.to_string())).await;
    })
    .await
    .expect("test timed out");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn magnet_download_lists_paths_under_the_name_when_multi_file() {
    tokio::time::timeout(TEST_TIMEOUT, async {
        let t0 = Instant::now();
        let dirs = dirs();
        let album = dirs.payload.join("album");
        let sources = [("a.bin", MIB + 3), ("b.bin", 700_001), ("sub/c.bin", MIB + MIB / 2 + 11)];
        for (i, (path, size)) in sources.iter().enumerate() {
            write_payload(album.join(path), *size, 10 + i as u64).await;
        }
        let seeder = LoopbackSeeder::start().await.unwrap();
        let seeded = seeded(&seeder, &album).await;
        let engine = engine(loopback_config(dirs.scratch.clone(), seeder.addr())).await;
        let job_id = JobId::new();
        let magnet = MagnetLink::parse(&seeded.magnet).unwrap();
        assert_eq!(magnet.infohash().to_hex(), seeded.infohash_hex);

        let mut run = start(&engine, job_id, JobSource::Magnet(magnet), None).await;
        let outcome = drive(&mut run).await;

        assert_contract_order(&outcome.events, &[0, 1, 2]);
        let Some(EngineEvent::Metadata { name, files }) =
            outcome.events.iter().find(|e| matches!(e, EngineEvent::Metadata { .. }))
        else {
            unreachable!()
        };
        assert_eq!(name, "album");
        // The same paths the API shows for the .torrent at submit.
        let meta = TorrentMeta::parse(&seeded.torrent_bytes).unwrap();
        assert_eq!(files, &meta.files);
        let mut paths: Vec<&str> = files.iter().map(|f| f.path.as_str()).collect();
        paths.sort_unstable();
        assert_eq!(paths, ["album/a.bin", "album/b.bin", "album/sub/c.bin"]);
        for (index, file) in files.iter().enumerate() {
            let source = dirs.payload.join(file.path.as_str());
            assert_eq!(outcome.read[&index], sha256_file(&source).await, "{}", file.path);
        }
        assert_stopped_and_cleaned(run, &dirs.scratch.join(job_id.to_string())).await;
        eprintln!("multi-file magnet download: {:?}", t0.elapsed());
    })
    .await
    .expect("test timed out");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn file_selection_downloads_and_counts_only_the_selected_file() {
    tokio::time::timeout(TEST_TIMEOUT, async {
        let t0 = Instant::now();
        let dirs = dirs();
        let set = dirs.payload.join("set");
        for (i, (path, size)) in
            [("one.bin", MIB + 1), ("two.bin", 2 * MIB + 9), ("three.bin", 512 * 1024 + 5)].iter().enumerate()
        {
            write_payload(set.join(path), *size, 20 + i as u64).await;
        }
        let seeder = LoopbackSeeder::start().await.unwrap();
        let seeded = seeded(&seeder, &set).await;
        let meta = TorrentMeta::parse(&seeded.torrent_bytes).unwrap();
        let wanted = meta.files.iter().position(|f| f.path.as_str() == "set/two.bin").unwrap();
        let engine = engine(loopback_config(dirs.scratch.clone(), seeder.addr())).await;
        let job_id = JobId::new();

        let mut run =
            start(&engine, job_id, JobSource::Torrent(seeded.torrent_bytes.clone().into()), Some(vec![wanted])).await;
        let outcome = drive(&mut run).await;

        assert_contract_order(&outcome.events, &[wanted]);
        let size = meta.files[wanted].size;
        assert!(progress(&outcome.events).iter().all(|p| p.total_bytes == size), "only the selected file counts");
        assert_eq!(outcome.read[&wanted], sha256_file(&set.join("two.bin")).await);
        let other = (wanted + 1) % 3;
        assert!(
            matches!(run.open_file(other).await, Err(ComputeError::Invalid(_))),
            "an unselected file is never ready"
        );
        assert_stopped_and_cleaned(run, &dirs.scratch.join(job_id.to_string())).await;
        eprintln!("selected-file download: {:?}", t0.elapsed());
    })
    .await
    .expect("test timed out");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn stop_removes_the_job_dir_promptly_when_mid_download() {
    tokio::time::timeout(TEST_TIMEOUT, async {
        let t0 = Instant::now();
        let dirs = dirs();
        let source = dirs.payload.join("big.bin");
        write_payload(source.clone(), 8 * MIB + 5, 3).await;
        let seeder = LoopbackSeeder::start().await.unwrap();
        let seeded = seeded(&seeder, &source).await;
        // 512 KiB/s: the 8 MiB file would take about 16 s.
        let config =
            EngineConfig { download_bps: Some(512 * 1024), ..loopback_config(dirs.scratch.clone(), seeder.addr()) };
        let engine = engine(config).await;
        let job_id = JobId::new();
        let job_dir = dirs.scratch.join(job_id.to_string());

        let mut run = start(&engine, job_id, JobSource::Torrent(seeded.torrent_bytes.clone().into()), None).await;
        loop {
            match run.next_event().await.expect("the run goes on") {
                EngineEvent::Progress(p) if p.done_bytes > 0 => {
                    assert!(p.done_bytes < p.total_bytes, "still downloading: {p:?}");
                    break;
                }
                EngineEvent::Finished | EngineEvent::Failed(_) | EngineEvent::Rejected(_) => {
                    panic!("the download ended early")
                }
                _ => {}
            }
        }
        assert!(job_dir.join("big.bin").exists());
        let second = engine.start(EngineTask {
            job_id: JobId::new(),
            source: JobSource::Torrent(seeded.torrent_bytes.clone().into()),
            only_files: None,
            region_hint: None,
        });
        assert!(matches!(second.await, Err(ComputeError::Busy(_))), "one run per torrent");

        assert_stopped_and_cleaned(run, &job_dir).await;
        assert!(dirs.scratch.is_dir(), "the scratch dir itself stays");
        // The torrent left the session: it can run again. A run dropped without `stop` cleans up
        // after itself too.
        let again_id = JobId::new();
        let again = start(&engine, again_id, JobSource::Torrent(seeded.torrent_bytes.clone().into()), None).await;
        drop(again);
        let deadline = Instant::now() + Duration::from_secs(5);
        while dirs.scratch.join(again_id.to_string()).exists() {
            assert!(Instant::now() < deadline, "a dropped run removes its job dir");
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        let third = start(&engine, JobId::new(), JobSource::Torrent(seeded.torrent_bytes.clone().into()), None).await;
        third.stop().await.unwrap();
        eprintln!("stop mid-download: {:?}", t0.elapsed());
    })
    .await
    .expect("test timed out");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn magnet_keeps_reporting_progress_when_no_peer_is_reachable() {
    tokio::time::timeout(TEST_TIMEOUT, async {
        let t0 = Instant::now();
        let dirs = dirs();
        // A loopback port with nothing listening: every connection is refused at once.
        let dead: SocketAddr = {
            let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
            listener.local_addr().unwrap()
        };
        let engine = engine(loopback_config(dirs.scratch.clone(), dead)).await;
        let job_id = JobId::new();
        let magnet = MagnetLink::parse("magnet:?xt=urn:btih:0123456789abcdef0123456789abcdef01234567").unwrap();

        let mut run = start(&engine, job_id, JobSource::Magnet(magnet), None).await;
        let mut reports = 0;
        let deadline = Instant::now() + Duration::from_secs(5);
        while reports < 10 {
            assert!(Instant::now() < deadline, "progress stopped coming");
            let event = tokio::time::timeout(Duration::from_secs(2), run.next_event())
                .await
                .expect("next_event does not hang")
                .expect("the run goes on");
            match event {
                EngineEvent::Progress(p) => {
                    assert_eq!(p, EngineProgress::default(), "nothing known, no peers");
                    reports += 1;
                }
                other => panic!("unexpected event {other:?}"),
            }
        }
        assert_stopped_and_cleaned(run, &dirs.scratch.join(job_id.to_string())).await;
        eprintln!("unreachable magnet: {:?}", t0.elapsed());
    })
    .await
    .expect("test timed out");
}

/// A multi-file torrent named `..`: librqbit checks file paths for `..` but not the name, which
/// becomes a directory.
fn torrent_named_dot_dot() -> Vec<u8> {
    let mut out = b"d4:infod5:filesld6:lengthi5e4:pathl1:aeed6:lengthi5e4:pathl1:beee4:name2:..".to_vec();
    out.extend_from_slice(b"12:piece lengthi16384e6:pieces20:");
    out.extend_from_slice(&[0xab; 20]);
    out.extend_from_slice(b"ee");
    out
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn run_fails_without_writing_anything_when_a_path_would_escape() {
    tokio::time::timeout(TEST_TIMEOUT, async {
        let dirs = dirs();
        let nobody: SocketAddr = "127.0.0.1:9".parse().unwrap();
        let engine = engine(loopback_config(dirs.scratch.clone(), nobody)).await;
        let job_id = JobId::new();
        let job_dir = dirs.scratch.join(job_id.to_string());

        let mut run = start(&engine, job_id, JobSource::Torrent(torrent_named_dot_dot().into()), None).await;

        match run.next_event().await {
            Some(EngineEvent::Rejected(reason)) => assert!(reason.contains("unsafe path"), "{reason}"),
            other => panic!("expected a failure, got {other:?}"),
        }
        assert_eq!(run.next_event().await, None, "nothing after Failed");
        assert_eq!(std::fs::read_dir(&job_dir).unwrap().count(), 0, "nothing written in the job dir");
        let scratch_entries: Vec<_> = std::fs::read_dir(&dirs.scratch).unwrap().collect();
        assert_eq!(scratch_entries.len(), 1, "nothing written next to it either");
        assert_stopped_and_cleaned(run, &job_dir).await;
    })
    .await
    .expect("test timed out");
}

/// A single-file `info` dictionary carrying an extra key whose value is `depth` nested lists.
fn info_nested(depth: usize) -> Vec<u8> {
    let mut info = b"d5:extra".to_vec();
    info.extend(std::iter::repeat_n(b'l', depth));
    info.extend(std::iter::repeat_n(b'e', depth));
    info.extend_from_slice(b"6:lengthi5e4:name5:x.bin12:piece lengthi16384e6:pieces20:");
    info.extend_from_slice(&[0xab; 20]);
    info.push(b'e');
    info
}

/// Hostile peers serve magnet metadata nested 100 deep (deeper than tseeder accepts, within
/// librqbit's own limit of 128) and 100,000 deep (enough to overflow any recursive parser's stack).
/// The first run is rejected with a reason that says why; the second never gets metadata from that
/// peer; and a download beside them completes: the engine and the process keep running.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hostile_magnet_metadata_is_refused_while_other_runs_go_on() {
    tokio::time::timeout(TEST_TIMEOUT, async {
        let dirs = dirs();
        let source = dirs.payload.join("good.bin");
        write_payload(source.clone(), 3 * MIB + 11, 9).await;
        let seeder = LoopbackSeeder::start().await.unwrap();
        let seeded = seeded(&seeder, &source).await;
        let shallow = MetadataPeer::start(info_nested(100)).await.unwrap();
        let abyss_info = info_nested(100_000);
        let abyss_pieces = abyss_info.len().div_ceil(16 * 1024);
        let abyss = MetadataPeer::start(abyss_info).await.unwrap();
        let mut config = loopback_config(dirs.scratch.clone(), seeder.addr());
        config.extra_peers.extend([shallow.addr(), abyss.addr()]);
        let engine = engine(config).await;
        let magnet = |peer: &MetadataPeer| JobSource::Magnet(MagnetLink::parse(&peer.magnet()).unwrap());

        let mut deep_run = start(&engine, JobId::new(), magnet(&abyss), None).await;
        let mut shallow_run = start(&engine, JobId::new(), magnet(&shallow), None).await;
        let mut good =
            start(&engine, JobId::new(), JobSource::Torrent(seeded.torrent_bytes.clone().into()), None).await;

        loop {
            match shallow_run.next_event().await {
                Some(EngineEvent::Progress(_)) => {}
                Some(EngineEvent::Rejected(reason)) => {
                    assert!(reason.contains("nests deeper than 32 levels"), "{reason}");
                    break;
                }
                other => panic!("expected a rejection, got {other:?}"),
            }
        }
        assert!(shallow.pieces_served() >= 1);

        let outcome = drive(&mut good).await;
        assert_contract_order(&outcome.events, &[0]);
        assert_eq!(outcome.read[&0], sha256_file(&source).await);

        let deadline = Instant::now() + Duration::from_secs(20);
        while abyss.pieces_served() < abyss_pieces {
            assert!(Instant::now() < deadline, "the engine fetched the whole hostile metadata");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        // librqbit read all of it, refused it, and the run goes on waiting for a usable peer.
        for _ in 0..5 {
            match deep_run.next_event().await {
                Some(EngineEvent::Progress(p)) => assert_eq!(p, EngineProgress::default()),
                other => panic!("no metadata can come from that peer, got {other:?}"),
            }
        }
        deep_run.stop().await.unwrap();
        shallow_run.stop().await.unwrap();
        good.stop().await.unwrap();
    })
    .await
    .expect("test timed out");
}
