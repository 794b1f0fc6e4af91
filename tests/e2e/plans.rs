//! Every built-in plan downloads: a user of each plan gets a real download, and a second user of
//! the same plan gets the stored copy at once. Both go through the plan's rules (the quota check
//! when the metadata arrives, the retention window of the dedup lookup); an unlimited window
//! sets no cutoff at all, on either database. A magnet that turns out too big for the plan when
//! its metadata arrives fails with the quota's code in its error text.

use chrono::Utc;
use serde_json::{Value, json};
use tseeder::core::domain::{FileId, JobId, NewStoredFile, RelPath, UserId};

use crate::common::{Session, TestApp, on_every_backend};
use crate::downloads::{files_of, torrent_form, wait_for_status};

on_every_backend!(downloading:
    a_user_of_every_built_in_plan_downloads_and_shares_stored_copies,
    a_magnet_that_outgrows_the_plan_when_its_metadata_arrives_fails_with_the_quota_code,
);

const MIB: u64 = 1024 * 1024;

async fn user_id(session: &Session) -> UserId {
    let me: Value = session.get("/auth/me").send().await.unwrap().json().await.unwrap();
    me["user"]["id"].as_str().unwrap().parse().unwrap()
}

/// Registers a user on `plan`.
async fn user_on(app: &TestApp, email: &str, plan: &str) -> Session {
    let session = app.register_and_login(email).await;
    app.core.ports.plans.assign_plan(user_id(&session).await, plan, Utc::now(), None).await.unwrap();
    session
}

/// Submits `torrent` for `user`, waits for it to complete and returns the finished job.
async fn download(user: &Session, torrent: &[u8]) -> Value {
    let job: Value =
        user.post("/jobs").multipart(torrent_form(torrent.to_vec())).send().await.unwrap().json().await.unwrap();
    let id = job["id"].as_str().unwrap_or_else(|| panic!("job created: {job}")).to_owned();
    wait_for_status(user, &id, "completed").await
}

/// The statuses a job went through, from its history.
async fn path(user: &Session, job: &str) -> Vec<String> {
    let history: Value = user.get(&format!("/jobs/{job}/history")).send().await.unwrap().json().await.unwrap();
    history["events"]
        .as_array()
        .unwrap_or_else(|| panic!("{history}"))
        .iter()
        .filter_map(|e| e["payload"]["to"].as_str().map(str::to_owned))
        .collect()
}

async fn a_user_of_every_built_in_plan_downloads_and_shares_stored_copies(app: &TestApp) {
    let plans = app.core.ports.plans.list_plans().await.unwrap();
    let mut ids: Vec<&str> = plans.iter().map(|p| p.id.as_str()).collect();
    ids.sort_unstable();
    assert_eq!(ids, ["business", "enterprise", "free", "pro"], "the built-in plans");
    let mut users = Vec::new();
    let mut seeded = Vec::new();
    for (n, plan) in (0u64..).zip(&plans) {
        let id = plan.id.as_str();
        users.push(user_on(app, &format!("plan-{id}@example.com"), id).await);
        let size = MIB + 7 * n;
        seeded.push((size, app.seeder().seed(&app.payload(&format!("{id}.bin"), size, 70 + n)).await.unwrap()));
    }

    // A real download through the engine for each plan's user.
    for ((plan, user), (size, torrent)) in plans.iter().zip(&users).zip(&seeded) {
        let job = download(user, &torrent.torrent_bytes).await;
        assert_eq!(job["totalBytes"], *size, "{}: {job}", plan.id);
        let job_id = job["id"].as_str().unwrap();
        let files = files_of(user, job_id).await;
        assert_eq!(files.len(), 1, "{}: {files:?}", plan.id);
        assert_eq!(files[0]["sizeBytes"], *size, "{}: {files:?}", plan.id);
        assert!(path(user, job_id).await.contains(&"downloading".to_owned()), "{}: downloaded by the engine", plan.id);
    }

    // Then each user asks for the next user's torrent: the stored copy is inside every plan's
    // window (and an unlimited window has no cutoff), so it completes at once.
    for (n, (plan, user)) in plans.iter().zip(&users).enumerate() {
        let (size, torrent) = &seeded[(n + 1) % seeded.len()];
        let job = download(user, &torrent.torrent_bytes).await;
        let job_id = job["id"].as_str().unwrap();
        assert_eq!(path(user, job_id).await, ["completed"], "{}: completed from the stored copy", plan.id);
        assert_eq!(job["totalBytes"], *size, "{}: {job}", plan.id);
        assert_eq!(files_of(user, job_id).await.len(), 1, "{}", plan.id);
    }
}

async fn a_magnet_that_outgrows_the_plan_when_its_metadata_arrives_fails_with_the_quota_code(app: &TestApp) {
    // A free user (5 GB of storage) with one real download...
    let user = user_on(app, "plan-almost-full@example.com", "free").await;
    let first = app.seeder().seed(&app.payload("first.bin", MIB, 90)).await.unwrap();
    let job = download(&user, &first.torrent_bytes).await;
    // ...and a stored file that leaves 10 bytes of room.
    let usage: Value = user.get("/usage").send().await.unwrap().json().await.unwrap();
    let used = usage["storageUsedBytes"].as_u64().unwrap_or_else(|| panic!("{usage}"));
    let padding = NewStoredFile {
        id: FileId::new(),
        job_id: job["id"].as_str().unwrap().parse::<JobId>().unwrap(),
        path: RelPath::parse("padding.bin").unwrap(),
        size: 5_000_000_000 - used - 10,
        blob_key: "blobs/padding".into(),
        mime_type: None,
        created_at: Utc::now(),
    };
    app.core.ports.files.add_file(&padding).await.unwrap();

    // A magnet's size is unknown when it is submitted, so the submission is accepted...
    let second = app.seeder().seed(&app.payload("second.bin", MIB, 91)).await.unwrap();
    let res = user.post("/jobs").json(&json!({ "magnetUri": second.magnet })).send().await.unwrap();
    assert_eq!(res.status(), 201);
    let created: Value = res.json().await.unwrap();
    // ...and refused for good once its metadata says how big it is.
    let failed = wait_for_status(&user, created["id"].as_str().unwrap(), "failed").await;
    let error = failed["error"].as_str().unwrap_or_else(|| panic!("{failed}"));
    assert!(error.starts_with("quota_storage: "), "{failed}");
    assert!(error.contains("free plan"), "{failed}");
}
