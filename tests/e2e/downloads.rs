//! Real downloads end to end: a librqbit seeder on 127.0.0.1, the dispatcher with the in-process
//! engine, files in the object store, downloads with Range, signed links, zip and live progress.

use std::time::Duration;

use futures::StreamExt as _;
use reqwest::Method;
use reqwest::multipart::{Form, Part};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

use tseeder::core::domain::TorrentMeta;

use crate::common::{Session, TestApp, expect_error, on_every_backend};

on_every_backend!(downloading:
    torrent_upload_downloads_with_live_progress_and_serves_every_file,
    magnet_fetches_metadata_from_the_peer_and_downloads_a_directory,
    file_selection_downloads_only_the_chosen_files,
    a_stored_torrent_completes_at_once_for_another_user_and_blobs_are_shared,
);

const MIB: u64 = 1024 * 1024;

pub(crate) fn sha256(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

pub(crate) fn torrent_form(bytes: Vec<u8>) -> Form {
    Form::new().part("torrent", Part::bytes(bytes).file_name("x.torrent").mime_str("application/x-bittorrent").unwrap())
}

/// One Server-Sent Event.
#[derive(Debug, Default, Clone)]
pub(crate) struct Sse {
    pub(crate) id: Option<String>,
    pub(crate) event: String,
    pub(crate) data: Value,
}

/// Follows `/jobs/{id}/events` until the server sends `end` (or the deadline passes).
pub(crate) async fn follow_events(user: &Session, job: &str, last_event_id: Option<&str>) -> Vec<Sse> {
    let mut req = user.get(&format!("/jobs/{job}/events"));
    if let Some(id) = last_event_id {
        req = req.header("Last-Event-ID", id);
    }
    let res = req.send().await.unwrap();
    assert_eq!(res.status(), 200);
    assert!(res.headers()["content-type"].to_str().unwrap().starts_with("text/event-stream"));
    let mut body = res.bytes_stream();
    let mut buf = String::new();
    let mut events = Vec::new();
    let deadline = tokio::time::Instant::now() + Duration::from_secs(120);
    loop {
        let chunk = tokio::time::timeout_at(deadline, body.next()).await.expect("SSE stream ended in time");
        let Some(chunk) = chunk else { break };
        buf.push_str(&String::from_utf8_lossy(&chunk.unwrap()));
        while let Some(end) = buf.find("\n\n") {
            let block: String = buf.drain(..end + 2).collect();
            let mut ev = Sse::default();
            let mut data = String::new();
            for line in block.lines() {
                if let Some(v) = line.strip_prefix("id:") {
                    ev.id = Some(v.trim().to_owned());
                } else if let Some(v) = line.strip_prefix("event:") {
                    ev.event = v.trim().to_owned();
                } else if let Some(v) = line.strip_prefix("data:") {
                    data.push_str(v.trim_start());
                }
            }
            if ev.event.is_empty() && data.is_empty() {
                continue; // keep-alive comment
            }
            ev.data = serde_json::from_str(&data).unwrap_or(Value::String(data));
            let end = ev.event == "end";
            events.push(ev);
            if end {
                return events;
            }
        }
    }
    events
}

pub(crate) async fn wait_for_status(user: &Session, job: &str, status: &str) -> Value {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(120);
    loop {
        let now: Value = user.get(&format!("/jobs/{job}")).send().await.unwrap().json().await.unwrap();
        if now["status"] == status {
            return now;
        }
        assert!(
            !["failed", "cancelled"].contains(&now["status"].as_str().unwrap_or("")) || status == now["status"],
            "job ended as {now}"
        );
        assert!(tokio::time::Instant::now() < deadline, "job never reached {status}: {now}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

pub(crate) async fn files_of(user: &Session, job: &str) -> Vec<Value> {
    let listed: Value = user.get(&format!("/jobs/{job}/files")).send().await.unwrap().json().await.unwrap();
    listed["files"].as_array().expect("files").clone()
}

async fn download(client: &reqwest::Client, url: &str, range: Option<&str>) -> reqwest::Response {
    let mut req = client.get(url);
    if let Some(r) = range {
        req = req.header("Range", r);
    }
    req.send().await.unwrap()
}

async fn torrent_upload_downloads_with_live_progress_and_serves_every_file(app: &TestApp) {
    let user = app.register_and_login("dl@example.com").await;
    let source = app.payload("movie.mkv", 3 * MIB + 17, 1);
    let source_bytes = std::fs::read(&source).unwrap();
    let seeded = app.seeder().seed(&source).await.unwrap();

    let job: Value = user
        .post("/jobs")
        .multipart(torrent_form(seeded.torrent_bytes.clone()))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let id = job["id"].as_str().unwrap().to_owned();
    assert_eq!(job["infohash"], seeded.infohash_hex.as_str());

    // Live progress: the stream replays history, reports progress and ends at completion.
    let events = follow_events(&user, &id, None).await;
    let kinds: Vec<&str> = events.iter().map(|e| e.event.as_str()).collect();
    assert_eq!(kinds.first(), Some(&"job_created"), "{kinds:?}");
    assert_eq!(kinds.last(), Some(&"end"), "{kinds:?}");
    let statuses: Vec<&str> = events
        .iter()
        .filter(|e| e.event == "status_changed")
        .filter_map(|e| e.data["payload"]["to"].as_str())
        .collect();
    assert_eq!(statuses, ["fetching_metadata", "downloading", "uploading", "completed"], "{kinds:?}");
    let ids: Vec<u64> = events.iter().filter_map(|e| e.id.as_deref()?.parse().ok()).collect();
    assert!(ids.windows(2).all(|w| w[0] < w[1]), "event ids increase: {ids:?}");
    // Reconnecting with Last-Event-ID resumes after that event: nothing is replayed twice.
    let resumed = follow_events(&user, &id, Some(&ids[1].to_string())).await;
    let resumed_ids: Vec<u64> = resumed.iter().filter_map(|e| e.id.as_deref()?.parse().ok()).collect();
    assert_eq!(resumed_ids, ids[2..].to_vec());

    let done: Value = user.get(&format!("/jobs/{id}")).send().await.unwrap().json().await.unwrap();
    assert_eq!(done["status"], "completed");
    assert_eq!(done["progressPct"], 100.0);
    let files = files_of(&user, &id).await;
    assert_eq!(files.len(), 1);
    assert_eq!(files[0]["path"], "movie.mkv");
    assert_eq!(files[0]["sizeBytes"], source_bytes.len());
    let file_id = files[0]["id"].as_str().unwrap();

    // Whole file and ranges, with the session.
    let url = user.url(&format!("/files/{file_id}/download"));
    let whole = download(&user.client, &url, None).await;
    assert_eq!(whole.status(), 200);
    assert_eq!(whole.headers()["accept-ranges"], "bytes");
    assert_eq!(sha256(&whole.bytes().await.unwrap()), sha256(&source_bytes));
    for (range, slice) in [
        ("bytes=0-1", 0..2),
        ("bytes=1000-1999", 1000..2000),
        ("bytes=-10", source_bytes.len() - 10..source_bytes.len()),
    ] {
        let res = download(&user.client, &url, Some(range)).await;
        assert_eq!(res.status(), 206, "{range}");
        assert!(res.headers()["content-range"].to_str().unwrap().ends_with(&format!("/{}", source_bytes.len())));
        assert_eq!(res.bytes().await.unwrap().as_ref(), &source_bytes[slice], "{range}");
    }
    let res = download(&user.client, &url, Some("bytes=999999999-")).await;
    assert_eq!(res.status(), 416);

    // A signed link works without a session, until it is tampered with.
    let signed: Value = user
        .post(&format!("/files/{file_id}/signed-url"))
        .json(&json!({ "expiresIn": 120 }))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let link = signed["url"].as_str().unwrap();
    let anonymous = reqwest::Client::new();
    let res = download(&anonymous, link, Some("bytes=0-1")).await;
    assert_eq!(res.status(), 206);
    assert_eq!(res.bytes().await.unwrap().as_ref(), &source_bytes[0..2]);
    let forged = link.replace("token=", "token=00");
    expect_error(download(&anonymous, &forged, None).await, 403, "invalid_link").await;
    expect_error(download(&anonymous, &url, None).await, 401, "unauthenticated").await;

    // Another user sees nothing.
    let other = app.register_and_login("other-dl@example.com").await;
    expect_error(download(&other.client, &url, None).await, 404, "file_not_found").await;
    expect_error(other.get(&format!("/jobs/{id}/events")).send().await.unwrap(), 404, "job_not_found").await;
    expect_error(other.get(&format!("/jobs/{id}/files")).send().await.unwrap(), 404, "job_not_found").await;

    // The whole job as a zip.
    let zip = user.get(&format!("/jobs/{id}/zip")).send().await.unwrap();
    assert_eq!(zip.status(), 200);
    assert_eq!(zip.headers()["content-type"], "application/zip");
    let body = zip.bytes().await.unwrap();
    assert!(body.starts_with(b"PK"));
    assert!(body.len() as u64 > 3 * MIB);
}

async fn magnet_fetches_metadata_from_the_peer_and_downloads_a_directory(app: &TestApp) {
    let user = app.register_and_login("magnet@example.com").await;
    let sizes = [("album/01.flac", MIB + 3), ("album/02.flac", 2 * MIB + 5), ("album/art/cover.jpg", 70_001)];
    let mut sources = Vec::new();
    for (i, (path, size)) in sizes.iter().enumerate() {
        sources.push(std::fs::read(app.payload(path, *size, 10 + i as u64)).unwrap());
    }
    let seeded = app.seeder().seed(&app.dir.path().join("payloads/album")).await.unwrap();
    let res = user.post("/jobs").json(&json!({ "magnetUri": seeded.magnet })).send().await.unwrap();
    assert_eq!(res.status(), 201);
    let job: Value = res.json().await.unwrap();
    let id = job["id"].as_str().unwrap();
    assert_eq!(job["totalBytes"], Value::Null, "a magnet's size is unknown until metadata arrives");
    let done = wait_for_status(&user, id, "completed").await;
    assert_eq!(done["name"], "album", "the torrent's name replaces the bare infohash");
    assert_eq!(done["totalBytes"], sizes.iter().map(|s| s.1).sum::<u64>());

    let files = files_of(&user, id).await;
    let mut got: Vec<(String, String)> = Vec::new();
    for f in &files {
        let body = download(&user.client, &user.url(&format!("/files/{}/download", f["id"].as_str().unwrap())), None)
            .await
            .bytes()
            .await
            .unwrap();
        got.push((f["path"].as_str().unwrap().to_owned(), sha256(&body)));
    }
    got.sort();
    let mut want: Vec<(String, String)> =
        sizes.iter().zip(&sources).map(|((p, _), b)| (p.to_string(), sha256(b))).collect();
    want.sort();
    assert_eq!(got, want);
    let tree: Value = user.get(&format!("/jobs/{id}/files")).send().await.unwrap().json().await.unwrap();
    assert_eq!(tree["tree"][0]["type"], "folder");
    assert_eq!(tree["tree"][0]["name"], "album");
}

async fn file_selection_downloads_only_the_chosen_files(app: &TestApp) {
    let user = app.register_and_login("select@example.com").await;
    let names = [("show/e1.mkv", MIB + 1), ("show/e2.mkv", MIB + 2), ("show/e3.mkv", MIB + 3)];
    let mut sources = Vec::new();
    for (i, (path, size)) in names.iter().enumerate() {
        sources.push(std::fs::read(app.payload(path, *size, 20 + i as u64)).unwrap());
    }
    let seeded = app.seeder().seed(&app.dir.path().join("payloads/show")).await.unwrap();
    let res = user.post("/jobs").json(&json!({ "magnetUri": seeded.magnet, "files": [9] })).send().await.unwrap();
    assert_eq!(res.status(), 201, "a magnet's selection is checked when metadata arrives");
    let bad = res.json::<Value>().await.unwrap();
    let failed = wait_for_status(&user, bad["id"].as_str().unwrap(), "failed").await;
    assert!(failed["error"].as_str().unwrap().contains("out of range"), "{failed}");
    let res = user
        .post("/jobs")
        .multipart(torrent_form(seeded.torrent_bytes.clone()).text("files", "7"))
        .send()
        .await
        .unwrap();
    expect_error(res, 400, "invalid_selection").await;

    // The seeder lists files in directory-walk order; pick by path.
    let meta = TorrentMeta::parse(&seeded.torrent_bytes).unwrap();
    let index_of = |path: &str| meta.files.iter().position(|f| f.path.as_str() == path).unwrap();
    let res = user
        .post("/jobs")
        .multipart(
            torrent_form(seeded.torrent_bytes.clone())
                .text("files", format!("{},{}", index_of("show/e1.mkv"), index_of("show/e3.mkv"))),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 201);
    let job: Value = res.json().await.unwrap();
    let id = job["id"].as_str().unwrap();
    assert_eq!(job["totalBytes"], names[0].1 + names[2].1);
    wait_for_status(&user, id, "completed").await;
    let files = files_of(&user, id).await;
    let paths: Vec<&str> = files.iter().map(|f| f["path"].as_str().unwrap()).collect();
    assert_eq!(paths, ["show/e1.mkv", "show/e3.mkv"]);
    for (f, src) in files.iter().zip([&sources[0], &sources[2]]) {
        let body = download(&user.client, &user.url(&format!("/files/{}/download", f["id"].as_str().unwrap())), None)
            .await
            .bytes()
            .await
            .unwrap();
        assert_eq!(sha256(&body), sha256(src));
    }
}

async fn a_stored_torrent_completes_at_once_for_another_user_and_blobs_are_shared(app: &TestApp) {
    let first = app.register_and_login("first@example.com").await;
    let second = app.register_and_login("second@example.com").await;
    let source = app.payload("shared.iso", 2 * MIB + 9, 30);
    let source_bytes = std::fs::read(&source).unwrap();
    let seeded = app.seeder().seed(&source).await.unwrap();

    let a: Value = first
        .post("/jobs")
        .multipart(torrent_form(seeded.torrent_bytes.clone()))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let a_id = a["id"].as_str().unwrap().to_owned();
    wait_for_status(&first, &a_id, "completed").await;

    let res = second.post("/jobs").json(&json!({ "magnetUri": seeded.magnet })).send().await.unwrap();
    assert_eq!(res.status(), 201, "the response never reveals that someone else had the torrent");
    assert!(res.headers().get("x-deduplicated").is_none());
    let b: Value = res.json().await.unwrap();
    let b_id = b["id"].as_str().unwrap().to_owned();
    let done = wait_for_status(&second, &b_id, "completed").await;
    assert_eq!(done["totalBytes"], source_bytes.len());
    let history: Value = second.get(&format!("/jobs/{b_id}/history")).send().await.unwrap().json().await.unwrap();
    let tos: Vec<&str> =
        history["events"].as_array().unwrap().iter().filter_map(|e| e["payload"]["to"].as_str()).collect();
    assert_eq!(tos, ["completed"], "completed straight from the queue, no download: {history}");

    // Deleting the first job keeps the blob the second job still uses.
    assert_eq!(
        first.post(&format!("/jobs/{a_id}/cancel")).send().await.unwrap().status(),
        409,
        "completed jobs cannot be cancelled"
    );
    assert_eq!(first.send(Method::DELETE, &format!("/jobs/{a_id}")).send().await.unwrap().status(), 204);
    let files = files_of(&second, &b_id).await;
    let url = second.url(&format!("/files/{}/download", files[0]["id"].as_str().unwrap()));
    let body = download(&second.client, &url, None).await.bytes().await.unwrap();
    assert_eq!(sha256(&body), sha256(&source_bytes));
    let usage: Value = second.get("/usage").send().await.unwrap().json().await.unwrap();
    assert_eq!(usage["storageUsedBytes"], source_bytes.len(), "a shared copy counts against each user's storage");

    // Deleting the last reference removes the blob from the store.
    let file_id = files[0]["id"].as_str().unwrap();
    assert_eq!(second.send(Method::DELETE, &format!("/files/{file_id}")).send().await.unwrap().status(), 204);
    let blob = app.config.data_dir.join("files/blobs").join(&seeded.infohash_hex).join("shared.iso");
    assert!(!blob.exists(), "the last reference took the blob with it");
}

/// The same flow with files in a real S3-compatible server on loopback (moto, started by
/// `.ci/run`; set `TSEEDER_TEST_S3_ENDPOINT` to run it by hand): a file of several parts uploaded
/// while it downloads (it is over `STREAM_MIN_BYTES`), ranged downloads through the API, and a
/// presigned link served by the store.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn s3_store_holds_the_files_and_presigns_links() {
    let Some(store) = tseeder_storage::testing::s3_file_store_config().await else {
        eprintln!("TSEEDER_TEST_S3_ENDPOINT is not set: S3 variant not run");
        return;
    };
    let app = TestApp::start_with_store(crate::common::Backend::Sqlite, true, Some(store)).await.expect("app");
    let user = app.register_and_login("s3@example.com").await;
    let source = app.payload("s3/big.bin", 24 * MIB + 5, 50);
    let source_bytes = std::fs::read(&source).unwrap();
    let seeded = app.seeder().seed(&source).await.unwrap();
    let job: Value = user
        .post("/jobs")
        .multipart(torrent_form(seeded.torrent_bytes.clone()))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let id = job["id"].as_str().unwrap().to_owned();
    wait_for_status(&user, &id, "completed").await;
    let files = files_of(&user, &id).await;
    let file_id = files[0]["id"].as_str().unwrap();
    let url = user.url(&format!("/files/{file_id}/download"));
    let whole = download(&user.client, &url, None).await.bytes().await.unwrap();
    assert_eq!(sha256(&whole), sha256(&source_bytes));
    let res = download(&user.client, &url, Some("bytes=0-1")).await;
    assert_eq!(res.status(), 206);
    assert_eq!(res.bytes().await.unwrap().as_ref(), &source_bytes[0..2]);

    let signed: Value = user
        .post(&format!("/files/{file_id}/signed-url"))
        .json(&json!({ "expiresIn": 300 }))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let link = signed["url"].as_str().unwrap();
    assert!(!link.contains("/api/v1/"), "S3 presigns its own link: {link}");
    let body = reqwest::Client::new().get(link).send().await.unwrap().bytes().await.unwrap();
    assert_eq!(sha256(&body), sha256(&source_bytes));
    app.stop().await;
}
