//! Killing the server mid-download loses nothing: the queue delivers the job again after the
//! lease expires and it completes exactly once.

use std::time::Duration;

use reqwest::multipart::{Form, Part};
use serde_json::Value;
use sha2::{Digest, Sha256};

use crate::common::{Backend, TestApp};

async fn crash_mid_download_then_restart_finishes_the_job_once(backend: Backend) {
    let Some(mut app) = TestApp::start(backend, true).await else { return };
    // Slow the engine down so the crash lands mid-download.
    app.config.engine.download_bps = Some(4 * 1024 * 1024);
    let app = app.crash_and_restart().await;
    let user = app.register_and_login("crash@example.com").await;
    let source = app.payload("big.bin", 24 * 1024 * 1024 + 11, 40);
    let source_bytes = std::fs::read(&source).unwrap();
    let seeded = app.seeder().seed(&source).await.unwrap();
    let form = Form::new().part("torrent", Part::bytes(seeded.torrent_bytes.clone()).file_name("x.torrent"));
    let job: Value = user.post("/jobs").multipart(form).send().await.unwrap().json().await.unwrap();
    let id = job["id"].as_str().unwrap().to_owned();

    let deadline = tokio::time::Instant::now() + Duration::from_secs(60);
    loop {
        let now: Value = user.get(&format!("/jobs/{id}")).send().await.unwrap().json().await.unwrap();
        if now["status"] == "downloading" && now["doneBytes"].as_u64().unwrap_or(0) > 0 {
            break;
        }
        assert_ne!(now["status"], "completed", "the download finished before the crash; slow it down");
        assert!(tokio::time::Instant::now() < deadline, "never started downloading: {now}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }

    let mut app = app.crash_and_restart().await;
    app.config.engine.download_bps = None;
    let user = app.login(app.browser(), "crash@example.com").await;
    let deadline = tokio::time::Instant::now() + Duration::from_secs(90);
    let done = loop {
        let now: Value = user.get(&format!("/jobs/{id}")).send().await.unwrap().json().await.unwrap();
        if now["status"] == "completed" {
            break now;
        }
        assert!(tokio::time::Instant::now() < deadline, "never completed after the restart: {now}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    assert_eq!(done["doneBytes"], source_bytes.len());
    let history: Value = user.get(&format!("/jobs/{id}/history")).send().await.unwrap().json().await.unwrap();
    let kinds: Vec<&str> = history["events"].as_array().unwrap().iter().map(|e| e["kind"].as_str().unwrap()).collect();
    assert!(kinds.contains(&"attempt_abandoned"), "the history shows the lost attempt: {kinds:?}");
    let completions =
        history["events"].as_array().unwrap().iter().filter(|e| e["payload"]["to"] == "completed").count();
    assert_eq!(completions, 1, "completed exactly once: {kinds:?}");
    let listed: Value = user.get(&format!("/jobs/{id}/files")).send().await.unwrap().json().await.unwrap();
    let file_id = listed["files"][0]["id"].as_str().unwrap();
    let body = user.get(&format!("/files/{file_id}/download")).send().await.unwrap().bytes().await.unwrap();
    assert_eq!(Sha256::digest(&body), Sha256::digest(&source_bytes));
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_crash_mid_download_then_restart_finishes_the_job_once() {
    crash_mid_download_then_restart_finishes_the_job_once(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_crash_mid_download_then_restart_finishes_the_job_once() {
    crash_mid_download_then_restart_finishes_the_job_once(Backend::Postgres).await;
}
