//! The retention sweep over real downloads: expired files go (a shared blob only with its last
//! row), files still in their window stay, orphans on both sides are cleaned, and the sweep is
//! recorded, audited and snapshotted; staff see it and only admins run it; the scheduler runs
//! each slot once across processes; a wasm retention policy decides, and a hot swap through the
//! admin API changes what the next sweep deletes.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use chrono::{DateTime, TimeDelta, Utc};
use reqwest::Method;
use serde_json::{Value, json};
use tseeder::TseederConfig;
use tseeder::core::config::PluginConfig;
use tseeder::core::domain::{Role, UserId};
use tseeder::core::services::{Schedule, ScheduledTask, Scheduler, SweepTrigger};
use tseeder::core::testing::ManualClock;

use crate::common::{Backend, Session, TestApp, expect_error, on_every_backend};
use crate::downloads::{files_of, sha256, torrent_form, wait_for_status};

on_every_backend!(only_admins_sweep_or_dry_run_and_support_reads, the_scheduler_runs_each_slot_once_across_processes);

/// The tests that download.
mod downloading {
    use super::a_sweep_deletes_expired_files_keeps_the_rest_and_cleans_orphans;
    use crate::common::on_every_backend;

    on_every_backend!(downloading: a_sweep_deletes_expired_files_keeps_the_rest_and_cleans_orphans);
}

const MIB: u64 = 1024 * 1024;

/// Submits a seeded `.torrent` for `user` and waits for it to complete; returns the job id.
async fn download(user: &Session, torrent: &[u8]) -> String {
    let job: Value =
        user.post("/jobs").multipart(torrent_form(torrent.to_vec())).send().await.unwrap().json().await.unwrap();
    let id = job["id"].as_str().unwrap_or_else(|| panic!("job created: {job}")).to_owned();
    wait_for_status(user, &id, "completed").await;
    id
}

async fn user_id(session: &Session) -> UserId {
    let me: Value = session.get("/auth/me").send().await.unwrap().json().await.unwrap();
    me["user"]["id"].as_str().unwrap().parse().unwrap()
}

/// The same service `days` from now: another process over the same database and store.
async fn later(app: &TestApp, days: i64) -> tseeder::core::Tseeder {
    let clock = ManualClock::new(Utc::now() + TimeDelta::days(days));
    tseeder::build_core_with_clock(&app.config, Arc::new(clock)).await.unwrap()
}

async fn a_sweep_deletes_expired_files_keeps_the_rest_and_cleans_orphans(app: &TestApp) {
    let admin = app.staff("sweep-admin@example.com", Role::Admin).await;
    // Free keeps files 7 days, pro 30.
    let (free, pro) =
        (app.register_and_login("sweep-free@example.com").await, app.register_and_login("sweep-pro@example.com").await);
    let (also_free, missing) = (
        app.register_and_login("sweep-free-2@example.com").await,
        app.register_and_login("sweep-missing@example.com").await,
    );
    for session in [&pro] {
        app.core.ports.plans.assign_plan(user_id(session).await, "pro", Utc::now(), None).await.unwrap();
    }

    // `shared`: the free and the pro user both hold it (one blob, two rows).
    let shared = app.payload("shared.bin", MIB + 3, 41);
    let shared_bytes = std::fs::read(&shared).unwrap();
    let shared = app.seeder().seed(&shared).await.unwrap();
    let free_shared = download(&free, &shared.torrent_bytes).await;
    let pro_shared = download(&pro, &shared.torrent_bytes).await;
    // `own`: only the other free user's.
    let own = app.seeder().seed(&app.payload("own.bin", MIB / 2, 42)).await.unwrap();
    let free_own = download(&also_free, &own.torrent_bytes).await;
    // `gone`: its object disappears from the store behind the service's back.
    let gone = app.seeder().seed(&app.payload("gone.bin", 4096, 43)).await.unwrap();
    let gone_job = download(&missing, &gone.torrent_bytes).await;
    app.core.ports.store.delete(&format!("blobs/{}/gone.bin", gone.infohash_hex)).await.unwrap();
    // An object no row references (a crashed upload).
    let stray = format!("blobs/{}/stray.bin", "ee".repeat(20));
    let stray_path = app.config.data_dir.join("files").join(&stray);
    std::fs::create_dir_all(stray_path.parent().unwrap()).unwrap();
    std::fs::write(&stray_path, b"left behind").unwrap();

    // Today nothing has expired, and the stray object is within its grace period.
    let now = app.core.retention.run(SweepTrigger::Schedule, None, &Default::default()).await.unwrap();
    assert_eq!((now.files_deleted, now.orphan_blobs), (0, 0), "{now:?}");
    assert_eq!(now.orphan_rows, 1, "the row whose object vanished is cleaned at once: {now:?}");
    assert!(stray_path.exists());
    assert!(files_of(&missing, &gone_job).await.is_empty(), "the row with no object is gone");

    // Ten days on: the free users' files are past 7 days, the pro user's within 30.
    let later = later(app, 10).await;
    let dry = later.retention.dry_run_with(later.policies.host().retention_policy().as_ref()).await.unwrap();
    assert_eq!(dry.files.len(), 2, "{dry:?}");
    assert_eq!(dry.bytes, MIB + 3 + MIB / 2);
    assert!(files_of(&free, &free_shared).await.len() == 1, "a dry run deletes nothing");

    let sweep = later.retention.run(SweepTrigger::Schedule, None, &Default::default()).await.unwrap();
    assert_eq!((sweep.files_deleted, sweep.bytes_deleted), (2, MIB + 3 + MIB / 2), "{sweep:?}");
    assert_eq!(sweep.blobs_deleted, 1, "the shared blob stays for the pro user: {sweep:?}");
    assert_eq!((sweep.orphan_blobs, sweep.orphan_rows, sweep.kept_on_error), (1, 0, 0), "{sweep:?}");
    assert_eq!(sweep.policy, "native");
    assert!(!stray_path.exists(), "the stray object went");
    assert!(files_of(&free, &free_shared).await.is_empty());
    assert!(files_of(&also_free, &free_own).await.is_empty());
    assert!(!app.config.data_dir.join("files/blobs").join(&own.infohash_hex).exists(), "the unshared blob went");
    let kept = files_of(&pro, &pro_shared).await;
    assert_eq!(kept.len(), 1, "the pro user's file is within its window");
    let url = pro.url(&format!("/files/{}/download", kept[0]["id"].as_str().unwrap()));
    let body = pro.client.get(url).send().await.unwrap().bytes().await.unwrap();
    assert_eq!(sha256(&body), sha256(&shared_bytes), "and still downloads");

    // Recorded: the admin view, the audit log, the snapshot.
    let view: Value = admin.get("/admin/retention").send().await.unwrap().json().await.unwrap();
    assert_eq!(view["lastSweep"]["filesDeleted"], 2, "{view}");
    assert_eq!(view["lastSweep"]["bytesDeleted"], MIB + 3 + MIB / 2, "{view}");
    assert_eq!(view["totalSweeps"], 2, "{view}");
    assert_eq!(view["totalFilesDeleted"], 2, "{view}");
    assert_eq!(view["snapshot"]["totalFiles"], 1, "{view}");
    assert_eq!(view["snapshot"]["totalBytes"], MIB + 3, "{view}");
    assert_eq!(view["schedule"], "0 3 * * *");
    let windows: Vec<(String, Value)> = view["plans"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| (p["plan"].as_str().unwrap().to_owned(), p["retentionDays"].clone()))
        .collect();
    assert!(windows.contains(&("free".into(), json!(7))), "{windows:?}");
    assert!(windows.contains(&("enterprise".into(), Value::Null)), "{windows:?}");
    let audit: Value = admin.get("/admin/audit?action=retention.sweep").send().await.unwrap().json().await.unwrap();
    let entries = audit["data"].as_array().unwrap_or_else(|| panic!("{audit}"));
    assert_eq!(entries.len(), 2, "one entry per sweep: {audit}");
    assert!(
        entries
            .iter()
            .any(|e| e["metadata"]["deletedFiles"] == 2 && e["metadata"]["bytesReclaimed"] == MIB + 3 + MIB / 2),
        "{audit}"
    );
}

async fn only_admins_sweep_or_dry_run_and_support_reads(app: &TestApp) {
    let user = app.register_and_login("retention-user@example.com").await;
    let support = app.staff("retention-support@example.com", Role::Support).await;
    let admin = app.staff("retention-admin@example.com", Role::Admin).await;
    let reason = json!({ "reason": "storage is nearly full, sweeping early" });

    expect_error(user.get("/admin/retention").send().await.unwrap(), 403, "insufficient_role").await;
    expect_error(user.post("/admin/retention/sweep").json(&reason).send().await.unwrap(), 403, "insufficient_role")
        .await;
    let anonymous = app.browser().get(app.url("/admin/retention")).send().await.unwrap();
    assert_eq!(anonymous.status(), 401);

    let view = support.get("/admin/retention").send().await.unwrap();
    assert_eq!(view.status(), 200);
    let view: Value = view.json().await.unwrap();
    assert!(view["lastSweep"].is_null(), "{view}");
    assert_eq!(view["policy"], "native");
    expect_error(support.post("/admin/retention/sweep").json(&reason).send().await.unwrap(), 403, "insufficient_role")
        .await;
    expect_error(support.post("/admin/retention/dry-run").send().await.unwrap(), 403, "insufficient_role").await;

    expect_error(
        admin.post("/admin/retention/sweep").json(&json!({ "reason": "" })).send().await.unwrap(),
        400,
        "reason_required",
    )
    .await;
    let dry: Value = admin.post("/admin/retention/dry-run").send().await.unwrap().json().await.unwrap();
    assert_eq!((dry["fileCount"].as_u64(), dry["bytes"].as_u64()), (Some(0), Some(0)), "{dry}");
    let res = admin.post("/admin/retention/sweep").json(&reason).send().await.unwrap();
    assert_eq!(res.status(), 200);
    let sweep: Value = res.json().await.unwrap();
    assert_eq!(sweep["sweep"]["trigger"], "admin", "{sweep}");
    let audit: Value = admin.get("/admin/audit?action=retention.sweep").send().await.unwrap().json().await.unwrap();
    assert!(audit.to_string().contains("sweeping early"), "the reason is audited: {audit}");

    // Plugins: support reads, only admins swap; with no plugin configured a swap is a 409.
    let policies: Value = support.get("/admin/plugins").send().await.unwrap().json().await.unwrap();
    assert_eq!(policies["policies"].as_array().map(Vec::len), Some(2), "{policies}");
    assert!(policies["policies"].as_array().unwrap().iter().all(|p| p["implementation"] == "native"), "{policies}");
    let swap = json!({ "sha256": "ab".repeat(32), "reason": "rolling out the new router" });
    expect_error(user.get("/admin/plugins").send().await.unwrap(), 403, "insufficient_role").await;
    expect_error(
        support.post("/admin/plugins/router/swap").json(&swap).send().await.unwrap(),
        403,
        "insufficient_role",
    )
    .await;
    expect_error(
        admin.post("/admin/plugins/router/swap").json(&swap).send().await.unwrap(),
        409,
        "plugin_not_configured",
    )
    .await;
    let bad = json!({ "sha256": "not a hash", "reason": "rolling out the new router" });
    expect_error(admin.post("/admin/plugins/router/swap").json(&bad).send().await.unwrap(), 400, "invalid_sha256")
        .await;
    expect_error(user.get("/admin/alerts").send().await.unwrap(), 403, "insufficient_role").await;
    let alerts = support.get("/admin/alerts").send().await.unwrap();
    assert_eq!(alerts.status(), 200);
}

/// One run of a scheduled task: which scheduler ran which slot.
type Run = (String, DateTime<Utc>);

async fn the_scheduler_runs_each_slot_once_across_processes(app: &TestApp) {
    // Two schedulers over the same database, as two API hosts would run them, with a task due
    // every second.
    let runs: Arc<Mutex<Vec<Run>>> = Arc::default();
    let stop = tokio_util::sync::CancellationToken::new();
    let mut handles = Vec::new();
    for _ in 0..2 {
        let mut config = app.config.scheduler.clone();
        config.poll_interval_ms = 50;
        let mut scheduler = Scheduler::new(app.core.ports.clone(), config);
        let (runs, owner) = (Arc::clone(&runs), scheduler.owner().to_owned());
        scheduler.add(ScheduledTask {
            name: "e2e.every-second".into(),
            schedule: Schedule::parse("* * * * * *").unwrap(),
            run: Arc::new(move |slot| {
                let (runs, owner) = (Arc::clone(&runs), owner.clone());
                Box::pin(async move {
                    runs.lock().unwrap().push((owner, slot));
                    // Long enough that both schedulers see the slot while it runs.
                    tokio::time::sleep(Duration::from_millis(200)).await;
                    Ok("ran".into())
                })
            }),
        });
        handles.push(scheduler.spawn(stop.clone()));
    }
    tokio::time::sleep(Duration::from_millis(3500)).await;
    stop.cancel();
    for handle in handles {
        handle.await.unwrap();
    }
    let runs = runs.lock().unwrap().clone();
    let mut slots: Vec<DateTime<Utc>> = runs.iter().map(|(_, slot)| *slot).collect();
    slots.sort();
    let ran = slots.len();
    slots.dedup();
    assert_eq!(ran, slots.len(), "every slot ran once: {runs:?}");
    assert!(ran >= 2, "the task ran on schedule: {runs:?}");
    let states = app.core.ports.maintenance.task_states().await.unwrap();
    let state = states.iter().find(|s| s.name == "e2e.every-second").unwrap();
    assert_eq!(state.last_outcome.as_deref(), Some("ok: ran"));
    assert_eq!(state.last_slot, slots.last().copied());
    assert!(state.lease_owner.is_none(), "the lease was freed: {state:?}");
}

/// A retention plugin decides the sweep, and a swap through the admin API changes the next
/// sweep's decisions.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn sqlite_a_wasm_retention_policy_sweeps_and_a_hot_swap_changes_what_it_deletes() {
    let dir = tempfile::tempdir().unwrap();
    let keep = tseeder_plugins::testing::retention_reference();
    let expire_now = tseeder_plugins::testing::retention_with_day_length(0);
    let path = dir.path().join("retention.wasm");
    std::fs::write(&path, &keep).unwrap();
    let configure = |config: &mut TseederConfig| {
        config.plugins.retention = Some(PluginConfig {
            path: path.display().to_string(),
            sha256: tseeder_plugins::sha256_hex(&keep),
            ..PluginConfig::default()
        });
        config.plugins.watch_interval_ms = 0;
    };
    let app = TestApp::start_configured(Backend::Sqlite, true, None, configure).await.unwrap();
    let admin = app.staff("wasm-retention-admin@example.com", Role::Admin).await;
    let user = app.register_and_login("wasm-retention@example.com").await;
    let seeded = app.seeder().seed(&app.payload("kept.bin", MIB, 51)).await.unwrap();
    let job = download(&user, &seeded.torrent_bytes).await;

    let policies: Value = admin.get("/admin/plugins").send().await.unwrap().json().await.unwrap();
    let retention = policies["policies"].as_array().unwrap().iter().find(|p| p["kind"] == "retention").unwrap().clone();
    assert_eq!(retention["implementation"], "wasm", "{policies}");
    assert_eq!(retention["sha256"], tseeder_plugins::sha256_hex(&keep));

    // The reference plugin keeps a file completed a moment ago.
    let reason = json!({ "reason": "checking the retention plugin" });
    let first: Value = admin.post("/admin/retention/sweep").json(&reason).send().await.unwrap().json().await.unwrap();
    assert_eq!(first["sweep"]["filesDeleted"], 0, "{first}");
    assert_eq!(first["sweep"]["policy"], format!("plugin {}", tseeder_plugins::sha256_hex(&keep)), "{first}");
    assert_eq!(files_of(&user, &job).await.len(), 1);

    // Swap in a policy whose days last no time at all: the next sweep takes the file.
    std::fs::write(&path, &expire_now).unwrap();
    let swap =
        json!({ "sha256": tseeder_plugins::sha256_hex(&expire_now), "reason": "expire everything for the test" });
    let res = admin.post("/admin/plugins/retention/swap").json(&swap).send().await.unwrap();
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    tokio::time::sleep(Duration::from_millis(1100)).await;
    let dry: Value = admin.post("/admin/retention/dry-run").send().await.unwrap().json().await.unwrap();
    assert_eq!(dry["fileCount"], 1, "{dry}");
    let second: Value = admin.post("/admin/retention/sweep").json(&reason).send().await.unwrap().json().await.unwrap();
    assert_eq!(
        (second["sweep"]["filesDeleted"].as_u64(), second["sweep"]["bytesDeleted"].as_u64()),
        (Some(1), Some(MIB))
    );
    assert!(files_of(&user, &job).await.is_empty());
    assert!(!app.config.data_dir.join("files/blobs").join(&seeded.infohash_hex).exists());

    // A swap to a file with the wrong hash is refused and the active plugin stays.
    let wrong = json!({ "sha256": "00".repeat(32), "reason": "this hash does not match" });
    expect_error(admin.post("/admin/plugins/retention/swap").json(&wrong).send().await.unwrap(), 400, "plugin_refused")
        .await;
    let policies: Value = admin.get("/admin/plugins").send().await.unwrap().json().await.unwrap();
    let retention = policies["policies"].as_array().unwrap().iter().find(|p| p["kind"] == "retention").unwrap().clone();
    assert_eq!(retention["sha256"], tseeder_plugins::sha256_hex(&expire_now), "{policies}");
    let user_delete = user.send(Method::DELETE, &format!("/jobs/{job}")).send().await.unwrap();
    assert_eq!(user_delete.status(), 204);
    app.stop().await;
}
