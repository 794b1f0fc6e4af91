//! The dispatcher on its own: a scripted engine (no BitTorrent) reports exactly what each test
//! says, over a real database and object store. Every status change goes through the state
//! machine, whatever the engine reports and whenever it reports it.

use std::sync::Arc;
use std::time::{Duration, Instant};

use reqwest::Method;
use reqwest::multipart::{Form, Part};
use serde_json::Value;
use tokio_util::sync::CancellationToken;
use tseeder::core::domain::{TorrentFile, TorrentMeta};
use tseeder::core::ports::{EngineEvent, EngineProgress};
use tseeder::core::testing::{ScriptedEngine, ScriptedRun};

use crate::common::{Session, TestApp, on_every_backend, torrent};

on_every_backend!(
    ready_files_are_stored_and_the_job_completes,
    a_late_report_after_cancel_changes_nothing,
    a_short_upload_fails_the_attempt_and_requeues,
    a_rejected_torrent_fails_without_retrying,
    metadata_over_the_plan_fails_without_retrying,
    shutdown_hands_the_running_job_back_to_the_queue,
);

/// A dispatcher over `app`'s core on a scripted engine.
struct Scripted {
    engine: Arc<ScriptedEngine>,
    token: CancellationToken,
    handle: tokio::task::JoinHandle<()>,
}

impl Scripted {
    fn start(app: &TestApp) -> Self {
        let engine = Arc::new(ScriptedEngine::new());
        let token = CancellationToken::new();
        let handle = app.core.dispatcher(Arc::clone(&engine) as _).spawn(token.clone());
        Self { engine, token, handle }
    }

    async fn stop(self) {
        self.token.cancel();
        self.handle.await.unwrap();
    }
}

/// Submits a two-file torrent (3 and 5 bytes); returns the job id and its files.
async fn submit(user: &Session) -> (String, Vec<TorrentFile>) {
    let bytes = torrent("pair", &[(&["a.bin"], 3), (&["b.bin"], 5)]);
    let files = TorrentMeta::parse(&bytes).unwrap().files;
    let form = Form::new().part("torrent", Part::bytes(bytes).file_name("pair.torrent"));
    let job: Value = user.post("/jobs").multipart(form).send().await.unwrap().json().await.unwrap();
    (job["id"].as_str().unwrap().to_owned(), files)
}

async fn job(user: &Session, id: &str) -> Value {
    user.get(&format!("/jobs/{id}")).send().await.unwrap().json().await.unwrap()
}

/// Waits until the job's status is `status`.
async fn wait_status(user: &Session, id: &str, status: &str) -> Value {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let job = job(user, id).await;
        if job["status"] == status {
            return job;
        }
        assert!(Instant::now() < deadline, "job never became {status}: {job}");
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
}

/// The job's history as `(kind, to)` pairs.
async fn history(user: &Session, id: &str) -> Vec<(String, String)> {
    let history: Value = user.get(&format!("/jobs/{id}/history")).send().await.unwrap().json().await.unwrap();
    history["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (e["kind"].as_str().unwrap().to_owned(), e["payload"]["to"].as_str().unwrap_or("").to_owned()))
        .collect()
}

fn metadata(run: &ScriptedRun, files: &[TorrentFile]) {
    run.send(EngineEvent::Metadata { name: "pair".into(), files: files.to_vec() });
}

async fn ready_files_are_stored_and_the_job_completes(app: &TestApp) {
    let dispatcher = Scripted::start(app);
    let user = app.register_and_login("scripted@example.com").await;
    let (id, files) = submit(&user).await;
    let run = dispatcher.engine.next_run().await;
    metadata(&run, &files);
    run.send(EngineEvent::Progress(EngineProgress { done_bytes: 3, total_bytes: 8, ..Default::default() }));
    run.file_ready(0, b"abc".to_vec());
    run.file_ready(1, b"defgh".to_vec());
    run.send(EngineEvent::Finished);
    let done = wait_status(&user, &id, "completed").await;
    assert_eq!(done["doneBytes"], 8, "{done}");
    let steps: Vec<String> = history(&user, &id).await.into_iter().map(|(k, to)| format!("{k}:{to}")).collect();
    assert_eq!(
        steps,
        [
            "job_created:",
            "status_changed:fetching_metadata",
            "status_changed:downloading",
            "status_changed:uploading",
            "status_changed:completed"
        ]
    );
    // The bytes the run reported ready are what the object store serves.
    let listed: Value = user.get(&format!("/jobs/{id}/files")).send().await.unwrap().json().await.unwrap();
    for (file, expected) in listed["files"].as_array().unwrap().iter().zip([&b"abc"[..], b"defgh"]) {
        let got = user.get(&format!("/files/{}/download", file["id"].as_str().unwrap())).send().await.unwrap();
        assert_eq!(got.bytes().await.unwrap(), expected);
    }
    dispatcher.stop().await;
}

async fn a_late_report_after_cancel_changes_nothing(app: &TestApp) {
    let dispatcher = Scripted::start(app);
    let user = app.register_and_login("late@example.com").await;
    let (id, files) = submit(&user).await;
    let run = dispatcher.engine.next_run().await;
    metadata(&run, &files);
    wait_status(&user, &id, "downloading").await;
    let res = user.send(Method::POST, &format!("/jobs/{id}/cancel")).send().await.unwrap();
    assert_eq!(res.status(), 200);
    // The engine has not heard yet: it reports files and completion.
    run.file_ready(0, b"abc".to_vec());
    run.file_ready(1, b"defgh".to_vec());
    run.send(EngineEvent::Finished);
    let deadline = Instant::now() + Duration::from_secs(10);
    while !run.stopped() {
        assert!(Instant::now() < deadline, "the dispatcher stops the run of a cancelled job");
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert_eq!(job(&user, &id).await["status"], "cancelled");
    let kinds: Vec<(String, String)> = history(&user, &id).await;
    assert_eq!(kinds.last().unwrap(), &("status_changed".to_owned(), "cancelled".to_owned()), "{kinds:?}");
    dispatcher.stop().await;
}

async fn a_short_upload_fails_the_attempt_and_requeues(app: &TestApp) {
    let dispatcher = Scripted::start(app);
    let user = app.register_and_login("short@example.com").await;
    let (id, files) = submit(&user).await;
    let run = dispatcher.engine.next_run().await;
    metadata(&run, &files);
    wait_status(&user, &id, "downloading").await;
    run.file_ready(0, b"ab".to_vec());
    let job = wait_status(&user, &id, "queued").await;
    assert!(job["error"].as_str().unwrap().contains("stored 2 bytes of 3"), "{job}");
    let last = history(&user, &id).await.pop().unwrap();
    assert_eq!(last, ("attempt_failed".to_owned(), "queued".to_owned()));
    dispatcher.stop().await;
}

async fn a_rejected_torrent_fails_without_retrying(app: &TestApp) {
    let dispatcher = Scripted::start(app);
    let user = app.register_and_login("rejected@example.com").await;
    let (id, _) = submit(&user).await;
    let run = dispatcher.engine.next_run().await;
    run.send(EngineEvent::Rejected("unsafe path in the torrent".into()));
    let job = wait_status(&user, &id, "failed").await;
    assert!(job["error"].as_str().unwrap().contains("unsafe path"), "{job}");
    assert_eq!(history(&user, &id).await.pop().unwrap(), ("job_failed".to_owned(), "failed".to_owned()));
    dispatcher.stop().await;
}

async fn metadata_over_the_plan_fails_without_retrying(app: &TestApp) {
    let dispatcher = Scripted::start(app);
    let user = app.register_and_login("huge@example.com").await;
    let (id, files) = submit(&user).await;
    let run = dispatcher.engine.next_run().await;
    // The metadata a peer sends may differ from the upload's: the plan is checked again.
    let huge: Vec<TorrentFile> = files.into_iter().map(|f| TorrentFile { size: 1 << 50, ..f }).collect();
    metadata(&run, &huge);
    let job = wait_status(&user, &id, "failed").await;
    assert!(job["error"].as_str().unwrap().contains("quota"), "{job}");
    dispatcher.stop().await;
}

async fn shutdown_hands_the_running_job_back_to_the_queue(app: &TestApp) {
    let dispatcher = Scripted::start(app);
    let user = app.register_and_login("shutdown@example.com").await;
    let (id, files) = submit(&user).await;
    let run = dispatcher.engine.next_run().await;
    metadata(&run, &files);
    wait_status(&user, &id, "downloading").await;
    dispatcher.stop().await;
    assert!(run.stopped(), "the run is stopped on shutdown");
    assert_eq!(job(&user, &id).await["status"], "queued");
    // The next dispatcher picks it up at once (no lease to wait out).
    let again = Scripted::start(app);
    let run = again.engine.next_run().await;
    metadata(&run, &files);
    run.file_ready(0, b"abc".to_vec());
    run.file_ready(1, b"defgh".to_vec());
    run.send(EngineEvent::Finished);
    wait_status(&user, &id, "completed").await;
    again.stop().await;
}
