//! Jobs: submission by magnet and `.torrent`, listing, control, quotas, blocklist, isolation.

use reqwest::Method;
use reqwest::multipart::{Form, Part};
use serde_json::{Value, json};
use tseeder::core::domain::Role;

use crate::common::{TestApp, expect_error, magnet, on_every_backend, torrent};

on_every_backend!(
    api_key_submits_magnet_and_torrent_then_lists_and_reads,
    resubmission_returns_the_same_job,
    quotas_refuse_with_stable_codes,
    blocklisted_torrents_are_refused_and_live_jobs_cancelled,
    bad_input_is_refused_with_clear_codes,
    hostile_input_is_refused_and_the_server_keeps_serving,
    other_users_cannot_see_or_touch_a_job,
    pause_resume_cancel_delete_follow_the_state_machine,
);

fn torrent_form(bytes: Vec<u8>) -> Form {
    Form::new()
        .part("torrent", Part::bytes(bytes).file_name("upload.torrent").mime_str("application/x-bittorrent").unwrap())
}

async fn api_key_submits_magnet_and_torrent_then_lists_and_reads(app: &TestApp) {
    let owner = app.register_and_login("owner@example.com").await;
    let key = app.key_client(&owner.api_key(&["jobs:read", "jobs:write"]).await);

    let link = magnet("Big%20Buck%20Bunny");
    let res = key.post("/jobs").json(&json!({ "magnetUri": link })).send().await.unwrap();
    assert_eq!(res.status(), 201);
    let location = res.headers()["location"].to_str().unwrap().to_owned();
    let by_magnet: Value = res.json().await.unwrap();
    assert_eq!(location, format!("/api/v1/jobs/{}", by_magnet["id"].as_str().unwrap()));
    assert_eq!(by_magnet["status"], "queued");
    assert_eq!(by_magnet["name"], "Big Buck Bunny");
    assert_eq!(by_magnet["sourceKind"], "magnet");
    assert_eq!(by_magnet["infohash"].as_str().unwrap().len(), 40);
    assert!(!by_magnet.to_string().contains("tracker.invalid"), "tracker URLs never leave the server");

    let bytes = torrent("show", &[(&["s1", "e1.mkv"], 1000), (&["e2.mkv"], 2000)]);
    let res = key.post("/jobs").multipart(torrent_form(bytes)).send().await.unwrap();
    assert_eq!(res.status(), 201);
    let by_torrent: Value = res.json().await.unwrap();
    assert_eq!(by_torrent["name"], "show");
    assert_eq!(by_torrent["sourceKind"], "torrent");
    assert_eq!(by_torrent["totalBytes"], 3000);
    assert_eq!(by_torrent["infohash"].as_str().unwrap().len(), 40, "the infohash of an upload is known at once");

    let list: Value =
        key.get("/jobs?limit=1&sortBy=created_at&sortDir=desc").send().await.unwrap().json().await.unwrap();
    assert_eq!(list["meta"]["total"], 2);
    assert_eq!(list["meta"]["totalPages"], 2);
    assert_eq!(list["data"].as_array().unwrap().len(), 1);
    let filtered: Value = key.get("/jobs?status=queued").send().await.unwrap().json().await.unwrap();
    assert_eq!(filtered["meta"]["total"], 2);
    let none: Value = key.get("/jobs?status=completed").send().await.unwrap().json().await.unwrap();
    assert_eq!(none["meta"]["total"], 0);

    let id = by_torrent["id"].as_str().unwrap();
    let read: Value = key.get(&format!("/jobs/{id}")).send().await.unwrap().json().await.unwrap();
    assert_eq!(read["id"], by_torrent["id"]);
    let events: Value = key.get(&format!("/jobs/{id}/history")).send().await.unwrap().json().await.unwrap();
    assert_eq!(events["events"][0]["kind"], "job_created");
    assert_eq!(events["events"][0]["seq"], 1);

    // The cookie session sees the same jobs.
    let list: Value = owner.get("/jobs").send().await.unwrap().json().await.unwrap();
    assert_eq!(list["meta"]["total"], 2);
}

async fn resubmission_returns_the_same_job(app: &TestApp) {
    let user = app.register_and_login("again@example.com").await;
    let link = magnet("dup");
    let first: Value =
        user.post("/jobs").json(&json!({ "magnetUri": link })).send().await.unwrap().json().await.unwrap();
    let res = user.post("/jobs").json(&json!({ "magnetUri": link })).send().await.unwrap();
    assert_eq!(res.status(), 200, "a live job for the same infohash is returned");
    assert_eq!(res.headers()["x-deduplicated"], "true");
    assert_eq!(res.json::<Value>().await.unwrap()["id"], first["id"]);

    let bytes = torrent("idem", &[(&[], 10)]);
    let send = |key: &'static str| {
        user.post("/jobs").header("Idempotency-Key", key).multipart(torrent_form(bytes.clone())).send()
    };
    let a: Value = send("k-1").await.unwrap().json().await.unwrap();
    let res = send("k-1").await.unwrap();
    assert_eq!(res.status(), 200);
    assert_eq!(res.json::<Value>().await.unwrap()["id"], a["id"]);

    // After a cancel, the same torrent can be submitted again as a new job.
    let id = first["id"].as_str().unwrap();
    assert_eq!(user.post(&format!("/jobs/{id}/cancel")).send().await.unwrap().status(), 200);
    let res = user.post("/jobs").json(&json!({ "magnetUri": link })).send().await.unwrap();
    assert_eq!(res.status(), 201);
    assert_ne!(res.json::<Value>().await.unwrap()["id"], first["id"]);
}

async fn quotas_refuse_with_stable_codes(app: &TestApp) {
    let user = app.register_and_login("quota@example.com").await;
    // The free plan allows 2 active jobs and 500 MB files.
    let usage: Value = user.get("/usage").send().await.unwrap().json().await.unwrap();
    assert_eq!(usage["plan"]["id"], "free");
    assert_eq!(usage["plan"]["maxJobs"], 2);
    let huge = torrent("huge.iso", &[(&[], 600_000_000)]);
    let res = user.post("/jobs").multipart(torrent_form(huge)).send().await.unwrap();
    expect_error(res, 413, "quota_file_size").await;
    let too_much = torrent(
        "many",
        &[
            (&["a"], 400_000_000),
            (&["b"], 400_000_000),
            (&["c"], 400_000_000),
            (&["d"], 400_000_000),
            (&["e"], 400_000_000),
            (&["f"], 400_000_000),
            (&["g"], 400_000_000),
            (&["h"], 400_000_000),
            (&["i"], 400_000_000),
            (&["j"], 400_000_000),
            (&["k"], 400_000_000),
            (&["l"], 400_000_000),
            (&["m"], 400_000_000),
        ],
    );
    let res = user.post("/jobs").multipart(torrent_form(too_much)).send().await.unwrap();
    expect_error(res, 429, "quota_storage").await;

    for n in 0..2 {
        let res = user.post("/jobs").json(&json!({ "magnetUri": magnet(&format!("q{n}")) })).send().await.unwrap();
        assert_eq!(res.status(), 201);
    }
    let res = user.post("/jobs").json(&json!({ "magnetUri": magnet("q3") })).send().await.unwrap();
    expect_error(res, 429, "quota_jobs").await;
    let usage: Value = user.get("/usage").send().await.unwrap().json().await.unwrap();
    assert_eq!(usage["activeJobs"], 2);
    let plans: Value = app.browser().get(app.url("/plans")).send().await.unwrap().json().await.unwrap();
    let ids: Vec<&str> = plans["plans"].as_array().unwrap().iter().map(|p| p["id"].as_str().unwrap()).collect();
    for id in ["free", "pro", "business", "enterprise"] {
        assert!(ids.contains(&id), "{ids:?}");
    }
}

async fn blocklisted_torrents_are_refused_and_live_jobs_cancelled(app: &TestApp) {
    let admin = app.staff("blockadmin@example.com", Role::Admin).await;
    let user = app.register_and_login("blocked@example.com").await;
    let bytes = torrent("bad", &[(&[], 10)]);
    let job: Value =
        user.post("/jobs").multipart(torrent_form(bytes.clone())).send().await.unwrap().json().await.unwrap();
    let hash = job["infohash"].as_str().unwrap();

    let res = admin
        .post("/admin/blocklist")
        .json(&json!({ "infohash": hash, "reason": "reported as malware" }))
        .send()
        .await
        .unwrap();
    assert!(res.status().is_success());
    assert_eq!(res.json::<Value>().await.unwrap()["cancelledJobs"], 1);
    let id = job["id"].as_str().unwrap();
    let now: Value = user.get(&format!("/jobs/{id}")).send().await.unwrap().json().await.unwrap();
    assert_eq!(now["status"], "cancelled");

    // Both kinds of source are checked: the upload and a magnet for the same hash.
    let res = user.post("/jobs").multipart(torrent_form(bytes)).send().await.unwrap();
    expect_error(res, 403, "blocked").await;
    let res =
        user.post("/jobs").json(&json!({ "magnetUri": format!("magnet:?xt=urn:btih:{hash}") })).send().await.unwrap();
    expect_error(res, 403, "blocked").await;
    let events: Value =
        admin.get("/admin/security-events?kind=job.blocked_submission").send().await.unwrap().json().await.unwrap();
    assert_eq!(events["meta"]["total"], 2, "{events}");
}

async fn bad_input_is_refused_with_clear_codes(app: &TestApp) {
    let user = app.register_and_login("bad@example.com").await;
    for bad in ["http://example.com/x.torrent", "magnet:?dn=nohash", "magnet:?xt=urn:btih:1234"] {
        let res = user.post("/jobs").json(&json!({ "magnetUri": bad })).send().await.unwrap();
        expect_error(res, 400, "invalid_magnet").await;
    }
    let res = user.post("/jobs").multipart(torrent_form(b"garbage".to_vec())).send().await.unwrap();
    expect_error(res, 400, "invalid_torrent").await;
    let escape = torrent("x", &[(&["/etc", "passwd"], 10), (&["ok"], 1)]);
    let res = user.post("/jobs").multipart(torrent_form(escape)).send().await.unwrap();
    expect_error(res, 400, "invalid_torrent").await;
    let parent = torrent("x", &[(&["..", "..", "boom"], 10), (&["ok"], 1)]);
    let res = user.post("/jobs").multipart(torrent_form(parent)).send().await.unwrap();
    expect_error(res, 400, "invalid_torrent").await;
    let names: Vec<String> = (0..10_001).map(|i| format!("f{i}")).collect();
    let paths: Vec<[&str; 1]> = names.iter().map(|n| [n.as_str()]).collect();
    let many: Vec<(&[&str], u64)> = paths.iter().map(|p| (&p[..], 1)).collect();
    let res = user.post("/jobs").multipart(torrent_form(torrent("many", &many))).send().await.unwrap();
    expect_error(res, 400, "invalid_torrent").await;
    let res = user.post("/jobs").json(&json!({ "magnetUri": magnet("x"), "name": "" })).send().await.unwrap();
    expect_error(res, 400, "invalid_name").await;
    let res = user.post("/jobs").json(&json!({ "magnet": "wrong field" })).send().await.unwrap();
    expect_error(res, 400, "invalid_request").await;
    let res = user.get("/jobs/not-a-uuid").send().await.unwrap();
    expect_error(res, 400, "invalid_request").await;
    let res = user.get("/jobs?limit=100000").send().await.unwrap();
    expect_error(res, 400, "invalid_request").await;
    let res = user.get(&format!("/jobs/{}", uuid::Uuid::new_v4())).send().await.unwrap();
    expect_error(res, 404, "job_not_found").await;
    let list: Value = user.get("/jobs").send().await.unwrap().json().await.unwrap();
    assert_eq!(list["meta"]["total"], 0, "nothing was created by bad input");
}

/// Input built to crash a parser: deep nesting (a recursive parser overflows its stack and aborts
/// the process, taking every download with it) and odd paths. (Oversized bodies: the HTTP crate's
/// tests.) Each is a clear 4xx,
/// and the server, which runs in this test's process, goes on serving.
async fn hostile_input_is_refused_and_the_server_keeps_serving(app: &TestApp) {
    let user = app.register_and_login("hostile@example.com").await;
    let deep_lists = [&b"d4:info"[..], &[b'l'; 100_000], &[b'e'; 100_001]].concat();
    let deep_dicts = [&b"d4:info"[..], &b"d1:a".repeat(100_000), b"i0e", &[b'e'; 100_001]].concat();
    for bytes in [deep_lists, deep_dicts] {
        let res = user.post("/jobs").multipart(torrent_form(bytes)).send().await.unwrap();
        let body = expect_error(res, 400, "invalid_torrent").await;
        assert!(body["error"]["message"].as_str().unwrap().contains("nests deeper than 32 levels"), "{body}");
        assert_eq!(user.get("/jobs").send().await.unwrap().status(), 200, "still serving");
    }
    // A JSON body nested 100,000 deep: serde_json's recursion limit refuses it.
    let deep_json = format!("{{\"magnetUri\": {}{}}}", "[".repeat(100_000), "]".repeat(100_000));
    let res = user.post("/jobs").header("content-type", "application/json").body(deep_json).send().await.unwrap();
    expect_error(res, 400, "invalid_request").await;
    // An empty path component, a file listed twice, a file that is also a directory.
    for files in [
        &[(&["", "x"][..], 1), (&["y"][..], 1)][..],
        &[(&["a", "b"][..], 1), (&["a", "b"][..], 1)],
        &[(&["a"][..], 1), (&["a", "b"][..], 1)],
    ] {
        let res = user.post("/jobs").multipart(torrent_form(torrent("odd", files))).send().await.unwrap();
        expect_error(res, 400, "invalid_torrent").await;
    }
    let list: Value = user.get("/jobs").send().await.unwrap().json().await.unwrap();
    assert_eq!(list["meta"]["total"], 0, "nothing was created by hostile input");
    let res = user.post("/jobs").multipart(torrent_form(torrent("fine", &[(&[], 5)]))).send().await.unwrap();
    assert_eq!(res.status(), 201, "a real torrent is still accepted");
}

async fn other_users_cannot_see_or_touch_a_job(app: &TestApp) {
    let owner = app.register_and_login("mine@example.com").await;
    let other = app.register_and_login("theirs@example.com").await;
    let job: Value = owner
        .post("/jobs")
        .json(&json!({ "magnetUri": magnet("private") }))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let id = job["id"].as_str().unwrap();

    expect_error(other.get(&format!("/jobs/{id}")).send().await.unwrap(), 404, "job_not_found").await;
    expect_error(other.get(&format!("/jobs/{id}/history")).send().await.unwrap(), 404, "job_not_found").await;
    for action in ["pause", "resume", "cancel"] {
        let res = other.post(&format!("/jobs/{id}/{action}")).send().await.unwrap();
        expect_error(res, 404, "job_not_found").await;
    }
    let res =
        other.send(Method::PATCH, &format!("/jobs/{id}")).json(&json!({ "name": "mine now" })).send().await.unwrap();
    expect_error(res, 404, "job_not_found").await;
    expect_error(other.send(Method::DELETE, &format!("/jobs/{id}")).send().await.unwrap(), 404, "job_not_found").await;
    let list: Value = other.get("/jobs").send().await.unwrap().json().await.unwrap();
    assert_eq!(list["meta"]["total"], 0);
    let res = other.get("/jobs?all=true").send().await.unwrap();
    expect_error(res, 403, "insufficient_role").await;

    let still: Value = owner.get(&format!("/jobs/{id}")).send().await.unwrap().json().await.unwrap();
    assert_eq!((still["status"].as_str(), still["name"].as_str()), (Some("queued"), Some("private")));
}

async fn pause_resume_cancel_delete_follow_the_state_machine(app: &TestApp) {
    let user = app.register_and_login("control@example.com").await;
    let job: Value =
        user.post("/jobs").json(&json!({ "magnetUri": magnet("ctl") })).send().await.unwrap().json().await.unwrap();
    let id = job["id"].as_str().unwrap();
    let path = |a: &str| format!("/jobs/{id}/{a}");

    let renamed: Value = user
        .send(Method::PATCH, &format!("/jobs/{id}"))
        .json(&json!({ "name": "  Renamed  " }))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(renamed["name"], "Renamed");
    let paused: Value = user.post(&path("pause")).send().await.unwrap().json().await.unwrap();
    assert_eq!(paused["status"], "paused");
    expect_error(user.post(&path("pause")).send().await.unwrap(), 409, "invalid_transition").await;
    expect_error(user.send(Method::DELETE, &format!("/jobs/{id}")).send().await.unwrap(), 409, "job_not_terminal")
        .await;
    let resumed: Value = user.post(&path("resume")).send().await.unwrap().json().await.unwrap();
    assert_eq!(resumed["status"], "queued");
    let cancelled: Value = user.post(&path("cancel")).send().await.unwrap().json().await.unwrap();
    assert_eq!(cancelled["status"], "cancelled");
    expect_error(user.post(&path("resume")).send().await.unwrap(), 409, "invalid_transition").await;

    let events: Value = user.get(&format!("/jobs/{id}/history")).send().await.unwrap().json().await.unwrap();
    let kinds: Vec<&str> = events["events"].as_array().unwrap().iter().map(|e| e["kind"].as_str().unwrap()).collect();
    assert_eq!(kinds, ["job_created", "job_renamed", "status_changed", "status_changed", "status_changed"]);

    assert_eq!(user.send(Method::DELETE, &format!("/jobs/{id}")).send().await.unwrap().status(), 204);
    expect_error(user.get(&format!("/jobs/{id}")).send().await.unwrap(), 404, "job_not_found").await;
    let admin = app.staff("ctladmin@example.com", Role::Admin).await;
    let audit: Value = admin.get(&format!("/admin/audit?targetId={id}")).send().await.unwrap().json().await.unwrap();
    let actions: Vec<&str> = audit["data"].as_array().unwrap().iter().map(|e| e["action"].as_str().unwrap()).collect();
    for action in ["job.created", "job.renamed", "job.paused", "job.resumed", "job.cancelled", "job.deleted"] {
        assert!(actions.contains(&action), "audit has {action}: {actions:?}");
    }
}
