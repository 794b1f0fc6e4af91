//! Bandwidth metered per organization and calendar month: a real download counts its size once
//! when it completes, every byte served from its files counts (whole files, ranges, zip archives,
//! signed links), `/usage` and the organization show the month's figures, and once the plan's
//! `bandwidth_bytes` is used up new jobs and downloads get 429 `quota_bandwidth` with
//! `Retry-After` and the reset time, while other organizations are unaffected. The month's
//! rollover is tested over the in-memory ports with a clock the test moves
//! (`tseeder-core/tests/bandwidth.rs`).

use std::time::Duration;

use chrono::{DateTime, Datelike, TimeZone, Utc};
use reqwest::Method;
use serde_json::{Value, json};
use tseeder::core::domain::Role;

use crate::common::{Session, TestApp, expect_error, on_every_backend};
use crate::downloads::{files_of, torrent_form, wait_for_status};

on_every_backend!(downloading:
    downloads_and_served_bytes_count_against_the_months_bandwidth_until_it_is_used_up,
);

const MIB: u64 = 1024 * 1024;
const REASON: &str = "bandwidth test: a small monthly limit";

/// Sets a plan limit live, as a superadmin in the console would.
async fn set_limit(root: &Session, key: &str, value: u64) {
    let res = root
        .send(Method::PUT, &format!("/admin/config/{key}"))
        .json(&json!({ "value": value, "reason": REASON }))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
}

async fn bandwidth(user: &Session) -> Value {
    let usage: Value = user.get("/usage").send().await.unwrap().json().await.unwrap();
    usage["bandwidth"].clone()
}

/// Waits until the month's served bytes reach `bytes` (a body is metered when it ends, just
/// after the client has read it).
async fn served_reaches(user: &Session, bytes: u64) -> Value {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    loop {
        let now = bandwidth(user).await;
        if now["servedBytes"].as_u64() == Some(bytes) {
            return now;
        }
        assert!(tokio::time::Instant::now() < deadline, "served bytes never reached {bytes}: {now}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// The first instant of the month after `now`'s.
fn next_month(now: DateTime<Utc>) -> DateTime<Utc> {
    let (year, month) = if now.month() == 12 { (now.year() + 1, 1) } else { (now.year(), now.month() + 1) };
    Utc.with_ymd_and_hms(year, month, 1, 0, 0, 0).unwrap()
}

/// A 429 `quota_bandwidth` that says when the month resets, in `Retry-After` and the message.
async fn expect_used_up(res: reqwest::Response) {
    let retry_after: i64 = res.headers()["retry-after"].to_str().unwrap().parse().unwrap();
    let wait = (next_month(Utc::now()) - Utc::now()).num_seconds();
    assert!((wait - 60..=wait + 1).contains(&retry_after), "Retry-After {retry_after}, {wait}s to the reset");
    let body = expect_error(res, 429, "quota_bandwidth").await;
    let reset = next_month(Utc::now()).to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    let message = body["error"]["message"].as_str().unwrap();
    assert!(message.contains(&reset) && message.contains("free plan"), "{message}");
}

async fn downloads_and_served_bytes_count_against_the_months_bandwidth_until_it_is_used_up(app: &TestApp) {
    let root = app.staff("bw-root@example.com", Role::Superadmin).await;
    let user = app.register_and_login("bw-user@example.com").await;
    let neighbour = app.register_and_login("bw-neighbour@example.com").await;
    // 2.5 MiB a month on the free plan.
    let limit = 5 * MIB / 2;
    set_limit(&root, "plans.free.bandwidth_bytes", limit).await;

    let fresh = bandwidth(&user).await;
    let month = Utc::now().format("%Y-%m").to_string();
    assert_eq!(fresh["month"], month.as_str(), "{fresh}");
    assert_eq!((fresh["usedBytes"].as_u64(), fresh["limitBytes"].as_u64()), (Some(0), Some(limit)), "{fresh}");
    let resets_at: DateTime<Utc> = fresh["resetsAt"].as_str().unwrap().parse().unwrap();
    assert_eq!(resets_at, next_month(Utc::now()), "{fresh}");

    // A real download counts its size once, when it completes.
    let source = app.payload("metered.bin", MIB, 301);
    let bytes = std::fs::read(&source).unwrap();
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
    let job_id = job["id"].as_str().unwrap_or_else(|| panic!("{job}")).to_owned();
    wait_for_status(&user, &job_id, "completed").await;
    let after_job = bandwidth(&user).await;
    assert_eq!((after_job["downloadedBytes"].as_u64(), after_job["servedBytes"].as_u64()), (Some(MIB), Some(0)));

    // Bytes served count: the whole file, then a range of 100 bytes.
    let file_id = files_of(&user, &job_id).await[0]["id"].as_str().unwrap().to_owned();
    let url = user.url(&format!("/files/{file_id}/download"));
    let whole = user.client.get(&url).send().await.unwrap();
    assert_eq!(whole.status(), 200);
    assert_eq!(whole.bytes().await.unwrap().as_ref(), bytes.as_slice());
    served_reaches(&user, MIB).await;
    let part = user.client.get(&url).header("Range", "bytes=100-199").send().await.unwrap();
    assert_eq!(part.status(), 206);
    assert_eq!(part.bytes().await.unwrap().len(), 100);
    let now = served_reaches(&user, MIB + 100).await;
    assert_eq!(now["usedBytes"].as_u64(), Some(2 * MIB + 100), "{now}");

    // A torrent whose known size would go past the limit is refused at submission.
    let second = app.seeder().seed(&app.payload("too-much.bin", MIB, 302)).await.unwrap();
    expect_used_up(user.post("/jobs").multipart(torrent_form(second.torrent_bytes.clone())).send().await.unwrap())
        .await;

    // Still under the limit: a signed link made now streams, and a download is served whole
    // even though it goes past the limit.
    let signed: Value = user
        .post(&format!("/files/{file_id}/signed-url"))
        .json(&json!({ "expiresIn": 600 }))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let link = signed["url"].as_str().unwrap_or_else(|| panic!("{signed}")).to_owned();
    let again = user.client.get(&url).send().await.unwrap();
    assert_eq!(again.status(), 200);
    assert_eq!(again.bytes().await.unwrap().len() as u64, MIB);
    let used_up = served_reaches(&user, 2 * MIB + 100).await;
    assert!(used_up["usedBytes"].as_u64().unwrap() >= limit, "{used_up}");

    // Used up: every way of reading the files, and new jobs, wait for the next month.
    expect_used_up(user.client.get(&url).send().await.unwrap()).await;
    expect_used_up(user.client.get(&url).header("Range", "bytes=0-9").send().await.unwrap()).await;
    expect_used_up(reqwest::Client::new().get(&link).send().await.unwrap()).await;
    expect_used_up(user.get(&format!("/jobs/{job_id}/zip")).send().await.unwrap()).await;
    expect_used_up(
        user.post(&format!("/files/{file_id}/signed-url")).json(&json!({ "expiresIn": 600 })).send().await.unwrap(),
    )
    .await;
    expect_used_up(user.post("/jobs").json(&json!({ "magnetUri": second.magnet })).send().await.unwrap()).await;
    assert_eq!(bandwidth(&user).await["servedBytes"].as_u64(), Some(2 * MIB + 100), "refusals move nothing");

    // The organization shows the same month, and the usage page says it is used up.
    let me: Value = user.get("/orgs/current").send().await.unwrap().json().await.unwrap();
    let slug = me["org"]["slug"].as_str().unwrap_or_else(|| panic!("{me}"));
    let org: Value = user.get(&format!("/orgs/{slug}")).send().await.unwrap().json().await.unwrap();
    assert_eq!(org["bandwidth"]["usedBytes"], used_up["usedBytes"], "{org}");
    let page = user.client.get(format!("{}/usage", app.base)).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("id=\"bandwidth-out\""), "the usage page says the bandwidth is used up");

    // Another organization on the same plan is not affected, and raising the limit lifts it.
    assert_eq!(bandwidth(&neighbour).await["usedBytes"].as_u64(), Some(0));
    let theirs = neighbour.post("/jobs").multipart(torrent_form(second.torrent_bytes.clone())).send().await.unwrap();
    assert_eq!(theirs.status(), 201, "{}", theirs.text().await.unwrap());
    set_limit(&root, "plans.free.bandwidth_bytes", 100 * MIB).await;
    assert_eq!(user.client.get(&url).send().await.unwrap().status(), 200);
}
