//! `POST /api/v1/jobs/preview`: a `.torrent` or a magnet link (its metadata fetched from a
//! loopback seeder) described with its files and its cost against the plan, with no job created.

use reqwest::multipart::{Form, Part};
use serde_json::{Value, json};

use crate::common::{TestApp, expect_error, on_every_backend, torrent};

mod downloading {
    use super::*;
    on_every_backend!(downloading: a_magnet_is_previewed_from_its_peers_without_a_job);
}

on_every_backend!(
    a_torrent_is_previewed_with_its_files_and_cost_and_no_job,
    bad_input_is_refused_and_magnets_need_an_engine,
);

const MIB: u64 = 1024 * 1024;

fn upload(bytes: Vec<u8>) -> Form {
    Form::new().part("torrent", Part::bytes(bytes).file_name("x.torrent").mime_str("application/x-bittorrent").unwrap())
}

async fn job_count(user: &crate::common::Session) -> u64 {
    let page: Value = user.get("/jobs").send().await.unwrap().json().await.unwrap();
    page["total"].as_u64().unwrap()
}

async fn a_torrent_is_previewed_with_its_files_and_cost_and_no_job(app: &TestApp) {
    let user = app.register_and_login("preview@example.com").await;
    let bytes = torrent("album", &[(&["cd1", "01.flac"], 3 * MIB), (&["cover.jpg"], 1000)]);
    let res = user.post("/jobs/preview").multipart(upload(bytes)).send().await.unwrap();
    assert_eq!(res.status(), 200);
    let preview: Value = res.json().await.unwrap();
    assert_eq!(preview["name"], "album");
    assert_eq!(preview["sourceKind"], "torrent");
    assert_eq!(preview["infohash"].as_str().unwrap().len(), 40);
    assert_eq!(preview["totalBytes"], 3 * MIB + 1000);
    assert_eq!(
        preview["files"],
        json!([
            { "index": 0, "path": "album/cd1/01.flac", "sizeBytes": 3 * MIB },
            { "index": 1, "path": "album/cover.jpg", "sizeBytes": 1000 },
        ])
    );
    let cost = &preview["cost"];
    assert_eq!(cost["plan"], "free");
    assert_eq!(cost["storageUsedBytes"], 0);
    assert_eq!(cost["activeJobs"], 0);
    assert_eq!(cost["fits"], true, "{cost}");
    assert!(cost["refusal"].is_null());
    assert_eq!(cost["storageLeftBytes"], cost["storageLimitBytes"]);
    assert_eq!(job_count(&user).await, 0, "a preview creates no job");

    // A torrent larger than the plan's storage is described, with the reason it would not fit.
    let limit = cost["storageLimitBytes"].as_u64().expect("the free plan has a storage limit");
    let big = torrent("huge", &[(&[], limit + 1)]);
    let preview: Value = user.post("/jobs/preview").multipart(upload(big)).send().await.unwrap().json().await.unwrap();
    assert_eq!(preview["cost"]["fits"], false, "{preview}");
    assert!(preview["cost"]["refusal"].as_str().is_some_and(|r| !r.is_empty()), "{preview}");
    assert_eq!(job_count(&user).await, 0);
}

async fn bad_input_is_refused_and_magnets_need_an_engine(app: &TestApp) {
    let user = app.register_and_login("preview-bad@example.com").await;
    let res = user.post("/jobs/preview").json(&json!({ "magnetUri": "magnet:?dn=nothing" })).send().await.unwrap();
    expect_error(res, 400, "invalid_magnet").await;
    let res = user.post("/jobs/preview").multipart(upload(b"not bencode".to_vec())).send().await.unwrap();
    expect_error(res, 400, "invalid_torrent").await;
    let res = user.post("/jobs/preview").json(&json!({ "nothing": true })).send().await.unwrap();
    assert_eq!(res.status(), 400);
    // Without the cookie's CSRF token, or without credentials, nothing is looked at.
    let res = user.client.post(user.url("/jobs/preview")).json(&json!({ "magnetUri": "x" })).send().await.unwrap();
    expect_error(res, 403, "csrf_failed").await;
    let res =
        reqwest::Client::new().post(app.url("/jobs/preview")).json(&json!({ "magnetUri": "x" })).send().await.unwrap();
    expect_error(res, 401, "unauthenticated").await;
    // This app runs no engine (as with remote agents): a valid magnet cannot be looked up.
    let magnet = crate::common::magnet("nope");
    let res = user.post("/jobs/preview").json(&json!({ "magnetUri": magnet })).send().await.unwrap();
    expect_error(res, 503, "preview_unavailable").await;
}

async fn a_magnet_is_previewed_from_its_peers_without_a_job(app: &TestApp) {
    let user = app.register_and_login("preview-magnet@example.com").await;
    let dir = app.payload("show/e01.mkv", MIB + 5, 7);
    app.payload("show/notes.txt", 300, 8);
    let seeded = app.seeder().seed(dir.parent().unwrap()).await.unwrap();
    let res = user.post("/jobs/preview").json(&json!({ "magnetUri": seeded.magnet })).send().await.unwrap();
    assert_eq!(res.status(), 200);
    let preview: Value = res.json().await.unwrap();
    assert_eq!(preview["sourceKind"], "magnet");
    assert_eq!(preview["infohash"], seeded.infohash_hex.as_str());
    assert_eq!(preview["name"], "show");
    assert_eq!(preview["totalBytes"], MIB + 5 + 300);
    let paths: Vec<&str> = preview["files"].as_array().unwrap().iter().map(|f| f["path"].as_str().unwrap()).collect();
    assert_eq!(paths, ["show/e01.mkv", "show/notes.txt"]);
    assert_eq!(preview["cost"]["fits"], true);
    assert_eq!(job_count(&user).await, 0, "a preview creates no job");
}
