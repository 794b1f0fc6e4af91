//! The storage layer under the engine ([`StoringEngine`]) on a scripted engine and the in-memory
//! store: when large files go up while they download, and when they wait to be finished.

#![allow(clippy::unwrap_used, reason = "tests: a panic is a test failure")]

use std::sync::Arc;
use std::time::Duration;

use futures::StreamExt as _;
use tokio::io::AsyncWriteExt as _;
use tokio::sync::mpsc;
use tseeder_core::domain::{JobId, JobSource, RelPath, TorrentFile};
use tseeder_core::ports::{ComputeEngine, EngineEvent, EngineProgress, EngineTask, FileStore};
use tseeder_core::services::StoringEngine;
use tseeder_core::services::storing::STREAM_MIN_BYTES;
use tseeder_core::testing::{InMemoryFileStore, ScriptedEngine, ScriptedRun};

/// A two-file torrent; only its infohash matters here (the run's `Metadata` names the files).
fn torrent() -> Vec<u8> {
    let mut out = b"d4:infod5:filesld6:lengthi3e4:pathl5:a.bineed6:lengthi5e4:pathl5:b.bineee".to_vec();
    out.extend_from_slice(b"4:name4:pair12:piece lengthi16384e6:pieces20:");
    out.extend_from_slice(&[7; 20]);
    out.extend_from_slice(b"ee");
    out
}

fn payload(len: u64, seed: u8) -> Vec<u8> {
    (0..len).map(|i| (i as u8).wrapping_mul(31).wrapping_add(seed)).collect()
}

fn file(path: &str, size: u64) -> TorrentFile {
    TorrentFile { path: RelPath::parse(path).unwrap(), size }
}

/// A storing run over a scripted one: the test's side of the run, and the events the storing
/// run reports, as they come.
async fn start(
    store: Arc<InMemoryFileStore>,
    only_files: Option<Vec<usize>>,
) -> (ScriptedRun, mpsc::UnboundedReceiver<EngineEvent>) {
    let engine = Arc::new(ScriptedEngine::new());
    let storing = StoringEngine::new(Arc::clone(&engine) as _, store);
    let task = EngineTask {
        job_id: JobId::new(),
        source: JobSource::Torrent(torrent().into()),
        only_files,
        region_hint: None,
    };
    let mut run = storing.start(task).await.unwrap();
    let scripted = engine.next_run().await;
    let (tx, rx) = mpsc::unbounded_channel();
    tokio::spawn(async move {
        while let Some(event) = run.next_event().await {
            let _ = tx.send(event);
        }
    });
    (scripted, rx)
}

/// Events until (and with) the first that `last` accepts.
async fn events_until(
    events: &mut mpsc::UnboundedReceiver<EngineEvent>,
    last: impl Fn(&EngineEvent) -> bool,
) -> Vec<EngineEvent> {
    let mut seen = Vec::new();
    loop {
        let event = tokio::time::timeout(Duration::from_secs(20), events.recv()).await.unwrap().unwrap();
        let done = last(&event);
        seen.push(event);
        if done {
            return seen;
        }
    }
}

async fn stored(store: &InMemoryFileStore) -> Vec<(String, Vec<u8>)> {
    let keys: Vec<String> = store.list().map(|o| o.unwrap().key).collect().await;
    let mut out = Vec::new();
    for key in keys {
        let mut bytes = Vec::new();
        let mut body = store.get(&key, None).await.unwrap();
        while let Some(chunk) = body.next().await {
            bytes.extend_from_slice(&chunk.unwrap());
        }
        out.push((key, bytes));
    }
    out
}

fn progress() -> EngineEvent {
    EngineEvent::Progress(EngineProgress::default())
}

#[tokio::test]
async fn a_large_file_goes_to_the_store_while_it_downloads() {
    let store = Arc::new(InMemoryFileStore::new());
    let (run, mut events) = start(Arc::clone(&store), None).await;
    let size = STREAM_MIN_BYTES + 4 * 1024 * 1024 + 3;
    let bytes = payload(size, 1);
    let mut growing = run.grow_file(0, 64 * 1024);
    run.send(EngineEvent::Metadata { name: "big".into(), files: vec![file("big.bin", size)] });
    run.send(progress());
    // The writes complete only if the upload reads them as they come: at most 64 KiB wait.
    tokio::time::timeout(Duration::from_secs(20), growing.write_all(&bytes)).await.unwrap().unwrap();
    assert!(!run.growing_unopened(0), "the file was opened as it downloaded");
    assert!(stored(&store).await.is_empty(), "nothing is visible before the upload completes");
    drop(growing);
    // The finished file is not read again: its bytes through `open_file` differ.
    run.file_ready(0, payload(size, 2));
    run.send(EngineEvent::Finished);
    let seen = events_until(&mut events, |e| matches!(e, EngineEvent::Finished | EngineEvent::Failed(_))).await;
    assert!(
        seen.iter().any(|e| matches!(e, EngineEvent::FileStored { index: 0, size: s, .. } if *s == size)),
        "{seen:?}"
    );
    assert_eq!(seen.last(), Some(&EngineEvent::Finished));
    let objects = stored(&store).await;
    assert_eq!(objects.len(), 1);
    assert!(objects[0].1 == bytes, "the object holds the bytes streamed while downloading");
}

#[tokio::test]
async fn a_store_that_links_finished_files_gets_them_once_finished() {
    let store = Arc::new(InMemoryFileStore::new().with_streaming(false));
    let (run, mut events) = start(Arc::clone(&store), None).await;
    let size = STREAM_MIN_BYTES * 2;
    let _growing = run.grow_file(0, 64 * 1024);
    run.send(EngineEvent::Metadata { name: "big".into(), files: vec![file("big.bin", size)] });
    for _ in 0..3 {
        run.send(progress());
    }
    events_until(&mut events, |e| matches!(e, EngineEvent::Progress(_))).await;
    events_until(&mut events, |e| matches!(e, EngineEvent::Progress(_))).await;
    assert!(run.growing_unopened(0), "a store that links finished files is not sent a growing one");
    let bytes = payload(size, 3);
    run.file_ready(0, bytes.clone());
    run.send(EngineEvent::Finished);
    let seen = events_until(&mut events, |e| matches!(e, EngineEvent::Finished | EngineEvent::Failed(_))).await;
    assert_eq!(seen.last(), Some(&EngineEvent::Finished), "{seen:?}");
    assert!(stored(&store).await[0].1 == bytes);
}

#[tokio::test]
async fn only_selected_files_of_the_minimum_size_are_streamed() {
    let store = Arc::new(InMemoryFileStore::new());
    let (run, mut events) = start(Arc::clone(&store), Some(vec![1, 2])).await;
    let big = STREAM_MIN_BYTES;
    let files = vec![file("pair/unselected.bin", big), file("pair/selected.bin", big), file("pair/small.bin", big - 1)];
    let growing: Vec<_> = (0..3).map(|i| run.grow_file(i, 64 * 1024)).collect();
    run.send(EngineEvent::Metadata { name: "pair".into(), files });
    run.send(progress());
    run.send(progress());
    events_until(&mut events, |e| matches!(e, EngineEvent::Progress(_))).await;
    events_until(&mut events, |e| matches!(e, EngineEvent::Progress(_))).await;
    assert_eq!(
        (0..3).map(|i| run.growing_unopened(i)).collect::<Vec<_>>(),
        [true, false, true],
        "only the selected file of at least {STREAM_MIN_BYTES} bytes is streamed"
    );
    drop(growing);
}

#[tokio::test]
async fn a_growing_file_that_ends_short_fails_the_run() {
    let store = Arc::new(InMemoryFileStore::new());
    let (run, mut events) = start(Arc::clone(&store), None).await;
    let size = STREAM_MIN_BYTES + 1;
    let mut growing = run.grow_file(0, 64 * 1024);
    run.send(EngineEvent::Metadata { name: "big".into(), files: vec![file("big.bin", size)] });
    run.send(progress());
    tokio::time::timeout(Duration::from_secs(20), growing.write_all(&payload(size - 1, 4))).await.unwrap().unwrap();
    drop(growing);
    let seen = events_until(&mut events, |e| matches!(e, EngineEvent::Finished | EngineEvent::Failed(_))).await;
    assert!(
        matches!(seen.last(), Some(EngineEvent::Failed(reason)) if reason.contains("stored")),
        "a short upload fails the run: {seen:?}"
    );
}
