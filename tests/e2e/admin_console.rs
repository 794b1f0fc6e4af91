//! The admin console's API: runtime settings and feature flags that take effect at once, with
//! their history; plan limits edited live; plan assignment, suspension, forced logout, the user
//! detail and job termination, each with its reason, ticket and audit entry, and each refused
//! to the roles without the right.

use reqwest::Method;
use serde_json::{Value, json};
use tseeder::core::domain::{JobId, JobStatus, Role};
use tseeder::core::ports::JobChange;

use crate::common::{PASSWORD, Session, TestApp, expect_error, magnet, on_every_backend, torrent};
use crate::downloads::torrent_form;

on_every_backend!(
    admin_flags_take_effect_at_once_and_keep_their_history,
    admin_settings_refuse_bad_values_and_other_roles,
    admin_plan_limits_are_edited_live,
    admin_assigns_a_plan_for_the_next_submission,
    admin_suspension_stops_sessions_and_keys_and_pauses_jobs,
    admin_force_logout_revokes_every_session,
    admin_user_detail_shows_the_whole_picture,
    admin_terminates_a_job_and_its_owner_sees_why,
    admin_dead_letters_filter_and_replay_in_bulk,
    admin_search_finds_users_jobs_and_audit_entries_with_true_totals,
    admin_job_list_filters_by_user_worker_region_and_age,
);

const REASON: &str = "requested by the operations team";

async fn user_id(session: &Session) -> String {
    let me: Value = session.get("/auth/me").send().await.unwrap().json().await.unwrap();
    me["user"]["id"].as_str().unwrap().to_owned()
}

async fn set(session: &Session, key: &str, value: Value) -> reqwest::Response {
    session
        .send(Method::PUT, &format!("/admin/config/{key}"))
        .json(&json!({ "value": value, "reason": REASON, "ticketId": "OPS-42" }))
        .send()
        .await
        .unwrap()
}

async fn submit_magnet(user: &Session) -> reqwest::Response {
    user.post("/jobs").json(&json!({ "magnetUri": magnet("flagged") })).send().await.unwrap()
}

async fn register(app: &TestApp, email: &str) -> reqwest::Response {
    reqwest::Client::new()
        .post(app.url("/auth/register"))
        .json(&json!({ "email": email, "password": PASSWORD }))
        .send()
        .await
        .unwrap()
}

fn setting<'a>(list: &'a Value, key: &str) -> &'a Value {
    list["settings"].as_array().unwrap().iter().find(|s| s["key"] == key).unwrap_or_else(|| panic!("{key} in {list}"))
}

async fn admin_flags_take_effect_at_once_and_keep_their_history(app: &TestApp) {
    let root = app.staff("flags-root@example.com", Role::Superadmin).await;
    let support = app.staff("flags-support@example.com", Role::Support).await;
    let user = app.register_and_login("flags-user@example.com").await;

    let config: Value = support.get("/admin/config").send().await.unwrap().json().await.unwrap();
    for (key, on) in [
        ("registration_open", true),
        ("email_verification", false),
        ("torrent_upload", true),
        ("magnet_links", true),
        ("free_plan_active", true),
        ("maintenance_mode", false),
    ] {
        let s = setting(&config, key);
        assert_eq!(
            (s["kind"].as_str(), s["value"].as_bool(), s["default"].as_bool()),
            (Some("flag"), Some(on), Some(on))
        );
        assert!(s.get("updatedBy").is_none(), "never changed: absent, not null: {s}");
    }
    assert_eq!(setting(&config, "plans.free.max_jobs")["value"], json!(2));
    assert_eq!(setting(&config, "plans.enterprise.max_jobs")["value"], Value::Null, "unlimited");

    // Magnets off: magnets refused with their own code, uploads still accepted.
    let res = set(&root, "magnet_links", json!(false)).await;
    assert_eq!(res.status(), 200);
    let body: Value = res.json().await.unwrap();
    assert_eq!((body["key"].as_str(), body["value"].as_bool()), (Some("magnet_links"), Some(false)));
    expect_error(submit_magnet(&user).await, 403, "magnet_links_disabled").await;
    let upload = user.post("/jobs").multipart(torrent_form(torrent("ok.bin", &[(&[], 1000)]))).send().await.unwrap();
    assert_eq!(upload.status(), 201);

    // Uploads off too; magnets back on.
    assert_eq!(set(&root, "torrent_upload", json!(false)).await.status(), 200);
    let upload = user.post("/jobs").multipart(torrent_form(torrent("no.bin", &[(&[], 1000)]))).send().await.unwrap();
    expect_error(upload, 403, "torrent_upload_disabled").await;
    assert_eq!(set(&root, "magnet_links", json!(true)).await.status(), 200);
    assert_eq!(submit_magnet(&user).await.status(), 201);

    // Maintenance refuses every new job.
    assert_eq!(set(&root, "maintenance_mode", json!(true)).await.status(), 200);
    expect_error(submit_magnet(&user).await, 503, "maintenance_mode").await;
    assert_eq!(set(&root, "maintenance_mode", json!(false)).await.status(), 200);

    // Registration closed, then open but with the free plan inactive.
    assert_eq!(set(&root, "registration_open", json!(false)).await.status(), 200);
    expect_error(register(app, "flags-late@example.com").await, 403, "registration_closed").await;
    assert_eq!(set(&root, "registration_open", json!(true)).await.status(), 200);
    assert_eq!(set(&root, "free_plan_active", json!(false)).await.status(), 200);
    expect_error(register(app, "flags-late@example.com").await, 403, "free_plan_inactive").await;
    assert_eq!(set(&root, "free_plan_active", json!(true)).await.status(), 200);
    assert_eq!(register(app, "flags-late@example.com").await.status(), 201);

    // Stored only: email verification.
    assert_eq!(set(&root, "email_verification", json!(true)).await.status(), 200);
    let config: Value = support.get("/admin/config").send().await.unwrap().json().await.unwrap();
    let s = setting(&config, "email_verification");
    assert_eq!((s["value"].as_bool(), s["updatedBy"].as_str()), (Some(true), Some(user_id(&root).await.as_str())));

    // The history: every change, newest first, with who, why, the ticket and both values.
    let history: Value = support.get("/admin/config/history?limit=3").send().await.unwrap().json().await.unwrap();
    assert_eq!(history["meta"]["total"], 10, "{history}");
    assert_eq!(history["data"].as_array().unwrap().len(), 3);
    let latest = &history["data"][0];
    assert_eq!(latest["key"], "email_verification");
    assert_eq!((&latest["oldValue"], &latest["newValue"]), (&json!(false), &json!(true)));
    assert_eq!((latest["reason"].as_str(), latest["ticketId"].as_str()), (Some(REASON), Some("OPS-42")));
    assert_eq!(latest["changedBy"].as_str(), Some(user_id(&root).await.as_str()));
    let magnets: Value =
        support.get("/admin/config/history?key=magnet_links").send().await.unwrap().json().await.unwrap();
    assert_eq!(magnets["meta"]["total"], 2);
    let values: Vec<&Value> = magnets["data"].as_array().unwrap().iter().map(|c| &c["newValue"]).collect();
    assert_eq!(values, [&json!(true), &json!(false)]);

    // Audited too.
    let audit: Value =
        support.get("/admin/audit?action=config.changed&limit=1").send().await.unwrap().json().await.unwrap();
    assert_eq!(audit["meta"]["total"], 10);
    assert_eq!(audit["data"][0]["metadata"]["ticketId"], "OPS-42");
}

async fn admin_settings_refuse_bad_values_and_other_roles(app: &TestApp) {
    let root = app.staff("bad-root@example.com", Role::Superadmin).await;
    let admin = app.staff("bad-admin@example.com", Role::Admin).await;
    let support = app.staff("bad-support@example.com", Role::Support).await;
    let user = app.register_and_login("bad-user@example.com").await;

    expect_error(set(&admin, "magnet_links", json!(false)).await, 403, "insufficient_role").await;
    expect_error(set(&support, "magnet_links", json!(false)).await, 403, "insufficient_role").await;
    expect_error(user.get("/admin/config").send().await.unwrap(), 403, "insufficient_role").await;
    expect_error(user.get("/admin/config/history").send().await.unwrap(), 403, "insufficient_role").await;
    let key = root.api_key(&["jobs:read"]).await;
    expect_error(app.key_client(&key).get("/admin/config").send().await.unwrap(), 403, "missing_scope").await;

    for bad in [json!("false"), json!(0), json!(null)] {
        expect_error(set(&root, "magnet_links", bad).await, 400, "invalid_setting_value").await;
    }
    for bad in [json!(-1), json!(1.5), json!("3"), json!(true), json!(1u64 << 40)] {
        expect_error(set(&root, "plans.free.max_jobs", bad).await, 400, "invalid_setting_value").await;
    }
    expect_error(set(&root, "no_such_flag", json!(true)).await, 404, "setting_not_found").await;
    expect_error(set(&root, "plans.platinum.max_jobs", json!(1)).await, 404, "setting_not_found").await;
    let short = root
        .send(Method::PUT, "/admin/config/magnet_links")
        .json(&json!({ "value": false, "reason": "short" }))
        .send()
        .await
        .unwrap();
    expect_error(short, 400, "reason_required").await;
    let ticket = root
        .send(Method::PUT, "/admin/config/magnet_links")
        .json(&json!({ "value": false, "reason": REASON, "ticketId": "x".repeat(65) }))
        .send()
        .await
        .unwrap();
    expect_error(ticket, 400, "invalid_ticket").await;
    // Null means unlimited, so a value left out is refused rather than read as null.
    let missing = root
        .send(Method::PUT, "/admin/config/plans.free.max_jobs")
        .json(&json!({ "reason": REASON }))
        .send()
        .await
        .unwrap();
    expect_error(missing, 400, "invalid_request").await;

    // Nothing refused was applied or recorded.
    let history: Value = support.get("/admin/config/history").send().await.unwrap().json().await.unwrap();
    assert_eq!(history["meta"]["total"], 0, "{history}");
    assert_eq!(submit_magnet(&user).await.status(), 201);
}

async fn admin_plan_limits_are_edited_live(app: &TestApp) {
    let root = app.staff("limits-root@example.com", Role::Superadmin).await;
    let user = app.register_and_login("limits-user@example.com").await;

    assert_eq!(set(&root, "plans.free.max_jobs", json!(1)).await.status(), 200);
    assert_eq!(submit_magnet(&user).await.status(), 201);
    expect_error(submit_magnet(&user).await, 429, "quota_jobs").await;
    let plans: Value = reqwest::get(app.url("/plans")).await.unwrap().json().await.unwrap();
    let free = plans["plans"].as_array().unwrap().iter().find(|p| p["id"] == "free").unwrap().clone();
    assert_eq!(free["maxJobs"], 1, "the public plan list shows the new limit");

    let res = set(&root, "plans.free.max_jobs", Value::Null).await;
    assert_eq!(res.status(), 200);
    assert_eq!(res.json::<Value>().await.unwrap()["value"], Value::Null);
    for _ in 0..3 {
        assert_eq!(submit_magnet(&user).await.status(), 201, "unlimited now");
    }
    let history: Value =
        root.get("/admin/config/history?key=plans.free.max_jobs").send().await.unwrap().json().await.unwrap();
    let changes: Vec<(Value, Value)> =
        history["data"].as_array().unwrap().iter().map(|c| (c["oldValue"].clone(), c["newValue"].clone())).collect();
    assert_eq!(changes, [(json!(1), Value::Null), (json!(2), json!(1))]);
}

async fn admin_assigns_a_plan_for_the_next_submission(app: &TestApp) {
    let admin = app.staff("plan-admin@example.com", Role::Admin).await;
    let support = app.staff("plan-support@example.com", Role::Support).await;
    let user = app.register_and_login("plan-user@example.com").await;
    let id = user_id(&user).await;
    for _ in 0..2 {
        assert_eq!(submit_magnet(&user).await.status(), 201);
    }
    expect_error(submit_magnet(&user).await, 429, "quota_jobs").await;

    let path = format!("/admin/users/{id}/plan");
    let assign = |session: &Session, plan: &str, reason: &str| {
        session
            .send(Method::PATCH, &path)
            .json(&json!({ "planId": plan, "reason": reason, "ticketId": "SUP-7" }))
            .send()
    };
    expect_error(assign(&support, "pro", REASON).await.unwrap(), 403, "insufficient_role").await;
    expect_error(assign(&user, "pro", REASON).await.unwrap(), 403, "insufficient_role").await;
    expect_error(assign(&admin, "platinum", REASON).await.unwrap(), 404, "plan_not_found").await;
    expect_error(assign(&admin, "pro", "short").await.unwrap(), 400, "reason_required").await;
    let missing = admin
        .send(Method::PATCH, &format!("/admin/users/{}/plan", uuid::Uuid::new_v4()))
        .json(&json!({ "planId": "pro", "reason": REASON }))
        .send()
        .await
        .unwrap();
    expect_error(missing, 404, "user_not_found").await;

    let res = assign(&admin, "pro", REASON).await.unwrap();
    assert_eq!(res.status(), 200);
    assert_eq!(res.json::<Value>().await.unwrap()["plan"]["id"], "pro");
    let usage: Value = user.get("/usage").send().await.unwrap().json().await.unwrap();
    assert_eq!(usage["plan"]["id"], "pro", "{usage}");
    assert_eq!(submit_magnet(&user).await.status(), 201, "the next submission is checked against pro");

    let audit: Value = support
        .get(&format!("/admin/audit?action=user.plan_changed&targetId={id}"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(audit["meta"]["total"], 1);
    let metadata = &audit["data"][0]["metadata"];
    assert_eq!(
        (&metadata["from"], &metadata["to"], &metadata["ticketId"]),
        (&json!("free"), &json!("pro"), &json!("SUP-7"))
    );
}

async fn admin_suspension_stops_sessions_and_keys_and_pauses_jobs(app: &TestApp) {
    let admin = app.staff("suspend-admin@example.com", Role::Admin).await;
    let root = app.staff("suspend-root@example.com", Role::Superadmin).await;
    let support = app.staff("suspend-support@example.com", Role::Support).await;
    let user = app.register_and_login("suspend-user@example.com").await;
    let id = user_id(&user).await;
    let key = user.api_key(&["jobs:read", "jobs:write"]).await;
    let job: Value = submit_magnet(&user).await.json().await.unwrap();
    let job_id = job["id"].as_str().unwrap().to_owned();

    let action = |session: &Session, what: &str, target: &str, reason: &str| {
        session
            .post(&format!("/admin/users/{target}/{what}"))
            .json(&json!({ "reason": reason, "ticketId": "SEC-1" }))
            .send()
    };
    expect_error(action(&support, "suspend", &id, REASON).await.unwrap(), 403, "insufficient_role").await;
    expect_error(action(&user, "suspend", &id, REASON).await.unwrap(), 403, "insufficient_role").await;
    expect_error(action(&admin, "suspend", &id, "short").await.unwrap(), 400, "reason_required").await;
    let admin_id = user_id(&admin).await;
    expect_error(action(&admin, "suspend", &admin_id, REASON).await.unwrap(), 403, "own_account").await;
    let root_id = user_id(&root).await;
    expect_error(action(&admin, "suspend", &root_id, REASON).await.unwrap(), 403, "insufficient_role").await;
    expect_error(action(&admin, "unsuspend", &id, REASON).await.unwrap(), 409, "not_suspended").await;

    let res = action(&admin, "suspend", &id, REASON).await.unwrap();
    assert_eq!(res.status(), 200);
    let done: Value = res.json().await.unwrap();
    assert_eq!(
        (done["user"]["suspended"].as_bool(), done["sessionsRevoked"].as_u64(), done["jobsPaused"].as_u64()),
        (Some(true), Some(1), Some(1))
    );
    expect_error(user.get("/auth/me").send().await.unwrap(), 401, "unauthenticated").await;
    expect_error(app.key_client(&key).get("/jobs").send().await.unwrap(), 403, "account_suspended").await;
    let login = app
        .browser()
        .post(app.url("/auth/login"))
        .json(&json!({ "email": "suspend-user@example.com", "password": PASSWORD }))
        .send()
        .await
        .unwrap();
    expect_error(login, 403, "account_suspended").await;
    let job: Value = support.get(&format!("/jobs/{job_id}")).send().await.unwrap().json().await.unwrap();
    assert_eq!(job["status"], "paused");
    expect_error(action(&admin, "suspend", &id, REASON).await.unwrap(), 409, "already_suspended").await;

    let res = action(&admin, "unsuspend", &id, REASON).await.unwrap();
    assert_eq!(res.status(), 200);
    assert_eq!(res.json::<Value>().await.unwrap()["user"]["suspended"], false);
    assert_eq!(app.key_client(&key).get("/jobs").send().await.unwrap().status(), 200);
    let again = app.login(app.browser(), "suspend-user@example.com").await;
    let job: Value = again.get(&format!("/jobs/{job_id}")).send().await.unwrap().json().await.unwrap();
    assert_eq!(job["status"], "paused", "stays paused for the user to resume");

    let audit: Value =
        support.get(&format!("/admin/audit?targetId={id}&targetType=user")).send().await.unwrap().json().await.unwrap();
    let actions: Vec<&Value> = audit["data"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["action"].as_str().unwrap().contains("suspend"))
        .collect();
    assert_eq!(
        actions.iter().map(|e| e["action"].as_str().unwrap()).collect::<Vec<_>>(),
        ["user.unsuspended", "user.suspended"]
    );
    assert_eq!(actions[1]["metadata"]["reason"], REASON);
    assert_eq!(actions[1]["metadata"]["ticketId"], "SEC-1");
}

async fn admin_force_logout_revokes_every_session(app: &TestApp) {
    let admin = app.staff("logout-admin@example.com", Role::Admin).await;
    let support = app.staff("logout-support@example.com", Role::Support).await;
    let user = app.register_and_login("logout-user@example.com").await;
    let second = app.login(app.browser(), "logout-user@example.com").await;
    let key = user.api_key(&["jobs:read"]).await;
    let id = user_id(&user).await;
    let path = format!("/admin/users/{id}/force-logout");

    expect_error(
        support.post(&path).json(&json!({ "reason": REASON })).send().await.unwrap(),
        403,
        "insufficient_role",
    )
    .await;
    expect_error(admin.post(&path).json(&json!({ "reason": "" })).send().await.unwrap(), 400, "reason_required").await;
    let res = admin.post(&path).json(&json!({ "reason": REASON })).send().await.unwrap();
    assert_eq!(res.status(), 200);
    assert_eq!(res.json::<Value>().await.unwrap()["sessionsRevoked"], 2);
    for session in [&user, &second] {
        expect_error(session.get("/auth/me").send().await.unwrap(), 401, "unauthenticated").await;
    }
    assert_eq!(app.key_client(&key).get("/jobs").send().await.unwrap().status(), 200, "keys keep working");
    let audit: Value = support.get("/admin/audit?action=user.force_logout").send().await.unwrap().json().await.unwrap();
    assert_eq!((audit["meta"]["total"].as_u64(), audit["data"][0]["targetId"].as_str()), (Some(1), Some(id.as_str())));
    assert!(audit["data"][0]["metadata"]["ticketId"].is_null());
}

async fn admin_user_detail_shows_the_whole_picture(app: &TestApp) {
    let admin = app.staff("detail-admin@example.com", Role::Admin).await;
    let support = app.staff("detail-support@example.com", Role::Support).await;
    let user = app.register_and_login("detail-user@example.com").await;
    let other = app.register_and_login("detail-other@example.com").await;
    let id = user_id(&user).await;
    user.api_key(&["jobs:read"]).await;
    let job: Value = submit_magnet(&user).await.json().await.unwrap();
    admin
        .send(Method::PATCH, &format!("/admin/users/{id}/plan"))
        .json(&json!({ "planId": "business", "reason": REASON }))
        .send()
        .await
        .unwrap();

    let detail: Value = support.get(&format!("/admin/users/{id}")).send().await.unwrap().json().await.unwrap();
    assert_eq!(detail["user"]["email"], "detail-user@example.com");
    assert_eq!(detail["plan"]["id"], "business");
    assert_eq!(detail["usage"]["activeJobs"], 1);
    assert_eq!(detail["apiKeys"].as_array().unwrap().len(), 1);
    assert_eq!(detail["sessions"].as_array().unwrap().len(), 1);
    assert!(detail["sessions"][0].get("tokenHash").is_none(), "no token material");
    assert_eq!(
        (detail["jobs"]["meta"]["total"].as_u64(), detail["jobs"]["data"][0]["id"].as_str()),
        (Some(1), job["id"].as_str())
    );
    assert_eq!(detail["audit"]["data"][0]["action"], "user.plan_changed");

    expect_error(other.get(&format!("/admin/users/{id}")).send().await.unwrap(), 403, "insufficient_role").await;
    expect_error(
        support.get(&format!("/admin/users/{}", uuid::Uuid::new_v4())).send().await.unwrap(),
        404,
        "user_not_found",
    )
    .await;
    let bad = support.get("/admin/users/not-a-uuid").send().await.unwrap();
    assert_eq!(bad.status(), 400);
}

async fn admin_terminates_a_job_and_its_owner_sees_why(app: &TestApp) {
    let admin = app.staff("term-admin@example.com", Role::Admin).await;
    let support = app.staff("term-support@example.com", Role::Support).await;
    let user = app.register_and_login("term-user@example.com").await;
    let job: Value = submit_magnet(&user).await.json().await.unwrap();
    let path = format!("/admin/jobs/{}/terminate", job["id"].as_str().unwrap());
    let body = json!({ "reason": "copyright complaint received", "ticketId": "DMCA-9" });

    expect_error(support.post(&path).json(&body).send().await.unwrap(), 403, "insufficient_role").await;
    expect_error(user.post(&path).json(&body).send().await.unwrap(), 403, "insufficient_role").await;
    expect_error(admin.post(&path).json(&json!({ "reason": "x" })).send().await.unwrap(), 400, "reason_required").await;
    let res = admin.post(&path).json(&body).send().await.unwrap();
    assert_eq!(res.status(), 200);
    assert_eq!(res.json::<Value>().await.unwrap()["status"], "cancelled");
    expect_error(admin.post(&path).json(&body).send().await.unwrap(), 409, "invalid_transition").await;
    let missing = format!("/admin/jobs/{}/terminate", uuid::Uuid::new_v4());
    expect_error(admin.post(&missing).json(&body).send().await.unwrap(), 404, "job_not_found").await;

    let history: Value =
        user.get(&format!("/jobs/{}/history", job["id"].as_str().unwrap())).send().await.unwrap().json().await.unwrap();
    let last = history["events"].as_array().unwrap().last().unwrap().clone();
    assert_eq!((&last["payload"]["to"], &last["payload"]["byAdmin"]), (&json!("cancelled"), &json!(true)), "{last}");
    assert_eq!(
        (&last["payload"]["reason"], &last["payload"]["ticketId"]),
        (&json!("copyright complaint received"), &json!("DMCA-9"))
    );
    let audit: Value = support.get("/admin/audit?action=job.terminated").send().await.unwrap().json().await.unwrap();
    assert_eq!(audit["meta"]["total"], 1);
}

/// Submits a magnet for `user` and dead-letters its job with `error`.
async fn dead_job(app: &TestApp, user: &Session, error: &str) -> String {
    let job: Value = submit_magnet(user).await.json().await.unwrap();
    let id: JobId = job["id"].as_str().unwrap().parse().unwrap();
    let ports = &app.core.ports;
    let now = ports.clock.now();
    let lease =
        ports.queue.lease("jobs", "test-engine", std::time::Duration::from_secs(60), now).await.unwrap().unwrap();
    assert_eq!(lease.message.job_id, Some(id));
    ports.queue.dead_letter(&lease, error, now).await.unwrap();
    ports.jobs.update_job(id, &JobChange::unchecked(JobStatus::Queued, JobStatus::Failed, now)).await.unwrap();
    id.to_string()
}

async fn admin_dead_letters_filter_and_replay_in_bulk(app: &TestApp) {
    let admin = app.staff("dlq-admin@example.com", Role::Admin).await;
    let support = app.staff("dlq-support@example.com", Role::Support).await;
    let alice = app.register_and_login("dlq-alice@example.com").await;
    let bob = app.register_and_login("dlq-bob@example.com").await;
    let a1 = dead_job(app, &alice, "quota_storage: this would exceed the plan").await;
    let a2 = dead_job(app, &alice, "engine exploded").await;
    let b1 = dead_job(app, &bob, "QUOTA_STORAGE: also too big").await;
    let bob_id = user_id(&bob).await;

    let ids = |page: Value| -> Vec<String> {
        page["data"].as_array().unwrap().iter().map(|m| m["jobId"].as_str().unwrap().to_owned()).collect()
    };
    let get = |path: String| {
        let req = support.get(&path);
        async move { req.send().await.unwrap().json::<Value>().await.unwrap() }
    };
    let all = get("/admin/dlq".into()).await;
    assert_eq!(all["meta"]["total"], 3);
    assert_eq!(all["data"][0]["errors"].as_array().unwrap().len(), 1, "each with its error history");
    assert_eq!(ids(get("/admin/dlq?errorContains=quota_storage".into()).await), [b1.clone(), a1.clone()]);
    assert_eq!(ids(get(format!("/admin/dlq?userId={bob_id}")).await), std::slice::from_ref(&b1));
    assert_eq!(get("/admin/dlq?olderThanSecs=3600".into()).await["meta"]["total"], 0);
    assert_eq!(get("/admin/dlq?newerThanSecs=3600&limit=1".into()).await["meta"]["total"], 3, "true totals");
    let bad = support.get("/admin/dlq?olderThanSecs=-5").send().await.unwrap();
    assert_eq!(bad.status(), 400);

    let bulk = |session: &Session, body: Value| session.post("/admin/dlq/replay").json(&body).send();
    let filter = json!({ "errorContains": "quota_storage", "reason": REASON, "ticketId": "OPS-77" });
    expect_error(bulk(&support, filter.clone()).await.unwrap(), 403, "insufficient_role").await;
    expect_error(bulk(&admin, json!({ "reason": "short" })).await.unwrap(), 400, "reason_required").await;

    let mut dry = filter.clone();
    dry["dryRun"] = json!(true);
    let res: Value = bulk(&admin, dry).await.unwrap().json().await.unwrap();
    assert_eq!(
        (res["dryRun"].as_bool(), res["matched"].as_u64(), res["replayed"].as_u64()),
        (Some(true), Some(2), Some(0))
    );
    assert_eq!(get("/admin/dlq".into()).await["meta"]["total"], 3, "a dry run changes nothing");

    let res: Value = bulk(&admin, filter).await.unwrap().json().await.unwrap();
    assert_eq!(
        (res["matched"].as_u64(), res["replayed"].as_u64(), res["remaining"].as_u64()),
        (Some(2), Some(2), Some(0)),
        "{res}"
    );
    for (session, job, status) in [(&alice, &a1, "queued"), (&bob, &b1, "queued"), (&alice, &a2, "failed")] {
        let got: Value = session.get(&format!("/jobs/{job}")).send().await.unwrap().json().await.unwrap();
        assert_eq!(got["status"], status, "{job}");
    }
    assert_eq!(ids(get("/admin/dlq".into()).await), [a2]);
    let audit = get("/admin/audit?action=dlq.bulk_replayed".into()).await;
    assert_eq!(audit["meta"]["total"], 1, "one entry for the batch");
    let metadata = &audit["data"][0]["metadata"];
    assert_eq!(
        (&metadata["matched"], &metadata["replayed"], &metadata["ticketId"]),
        (&json!(2), &json!(2), &json!("OPS-77"))
    );
    assert_eq!(metadata["filter"]["errorContains"], "quota_storage");
    assert_eq!(get("/admin/audit?action=dlq.replayed".into()).await["meta"]["total"], 0, "no entry per message");
}

async fn admin_search_finds_users_jobs_and_audit_entries_with_true_totals(app: &TestApp) {
    let support = app.staff("search-support@example.com", Role::Support).await;
    let admin = app.staff("search-admin@example.com", Role::Admin).await;
    let user = app.register_and_login("kestrel.owner@example.com").await;
    let owner = user_id(&user).await;
    let res = admin
        .send(Method::PATCH, &format!("/admin/users/{owner}/plan"))
        .json(&json!({ "planId": "enterprise", "reason": "room for the kestrel footage" }))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    let mut first = String::new();
    for i in 0..8 {
        let res = user
            .post("/jobs")
            .json(&json!({ "magnetUri": magnet(&format!("Kestrel%20Footage%20{i}")) }))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 201, "{}", res.text().await.unwrap());
        let job: Value = res.json().await.unwrap();
        if i == 0 {
            first = job["id"].as_str().unwrap().to_owned();
        }
    }
    let res = admin
        .post(&format!("/admin/users/{owner}/force-logout"))
        .json(&json!({ "reason": "kestrel account check", "ticketId": "SEC-7" }))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);

    let found: Value = support.get("/admin/search?q=kestrel&limit=5").send().await.unwrap().json().await.unwrap();
    assert_eq!(found["query"], "kestrel");
    assert_eq!(found["users"]["total"], 1, "{found}");
    assert_eq!(found["users"]["items"][0]["email"], "kestrel.owner@example.com");
    assert_eq!(found["jobs"]["total"], 8, "the true total: {found}");
    assert_eq!(found["jobs"]["items"].as_array().unwrap().len(), 5, "the page");
    assert_eq!(found["jobs"]["items"][0]["name"], "Kestrel Footage 7", "newest first");
    // The owner's own entries (job.created, by the owner's email) and the admin's force-logout
    // (whose target is the owner's id: not "kestrel"), so: every entry by the owner.
    let audit_total = found["audit"]["total"].as_u64().unwrap();
    assert!(audit_total >= 8, "{found}");
    let by_job_id: Value = support.get(&format!("/admin/search?q={first}")).send().await.unwrap().json().await.unwrap();
    assert_eq!(by_job_id["jobs"]["total"], 1);
    assert_eq!(by_job_id["jobs"]["items"][0]["id"], first.as_str());
    let by_owner: Value = support.get(&format!("/admin/search?q={owner}")).send().await.unwrap().json().await.unwrap();
    assert_eq!(by_owner["users"]["total"], 1);
    let actions: Vec<&str> =
        by_owner["audit"]["items"].as_array().unwrap().iter().map(|e| e["action"].as_str().unwrap()).collect();
    assert!(actions.contains(&"user.force_logout") && actions.contains(&"job.created"), "{actions:?}");
    let by_action: Value = support.get("/admin/search?q=force").send().await.unwrap().json().await.unwrap();
    assert!(by_action["audit"]["total"].as_u64().unwrap() >= 1, "{by_action}");
    let none: Value = support.get("/admin/search?q=osprey").send().await.unwrap().json().await.unwrap();
    assert_eq!(
        (&none["users"]["total"], &none["jobs"]["total"], &none["audit"]["total"]),
        (&json!(0), &json!(0), &json!(0))
    );

    // Refused without the right, and bad input is a clear 400.
    let outsider = app.register_and_login("search-outsider@example.com").await;
    expect_error(outsider.get("/admin/search?q=kestrel").send().await.unwrap(), 403, "insufficient_role").await;
    let staff_key = app.key_client(&admin.api_key(&["jobs:read", "account:read"]).await);
    expect_error(staff_key.get("/admin/search?q=kestrel").send().await.unwrap(), 403, "missing_scope").await;
    expect_error(support.get("/admin/search?q=").send().await.unwrap(), 400, "invalid_query").await;
    expect_error(support.get("/admin/search?q=%20%20").send().await.unwrap(), 400, "invalid_query").await;
    let long = "k".repeat(201);
    expect_error(support.get(&format!("/admin/search?q={long}")).send().await.unwrap(), 400, "invalid_query").await;
    expect_error(support.get("/admin/search").send().await.unwrap(), 400, "invalid_query").await;
    expect_error(support.get("/admin/search?q=kestrel&limit=0").send().await.unwrap(), 400, "invalid_request").await;
}

async fn admin_job_list_filters_by_user_worker_region_and_age(app: &TestApp) {
    use tseeder::core::domain::{Heartbeat, RegionCode};
    let support = app.staff("filter-support@example.com", Role::Support).await;
    let alice = app.register_and_login("filter-alice@example.com").await;
    let bob = app.register_and_login("filter-bob@example.com").await;
    let mut jobs = Vec::new();
    for (user, name) in [(&alice, "a1"), (&alice, "a2"), (&bob, "b1")] {
        let job: Value =
            user.post("/jobs").json(&json!({ "magnetUri": magnet(name) })).send().await.unwrap().json().await.unwrap();
        jobs.push(job["id"].as_str().unwrap().parse::<JobId>().unwrap());
    }
    for (id, region) in [("eu-1", "eu"), ("us-1", "us")] {
        let heartbeat = Heartbeat {
            worker_id: id.into(),
            region: RegionCode::parse(region).unwrap(),
            base_url: "http://10.0.0.1:8090".parse().unwrap(),
            version: "0.1.0".into(),
            active_jobs: 0,
            max_jobs: 4,
            disk_free_bytes: 1,
            disk_total_bytes: 1,
            cpu_pct: 0.0,
            bandwidth_bps: 0,
        };
        app.core.fleet.record_heartbeat(heartbeat).await.unwrap();
    }
    let now = app.core.ports.clock.now();
    for (job, worker) in [(jobs[0], "eu-1"), (jobs[2], "us-1")] {
        let mut change = JobChange::unchecked(JobStatus::Queued, JobStatus::Queued, now);
        change.worker_id = Some(Some(worker.into()));
        app.core.ports.jobs.update_job(job, &change).await.unwrap();
    }
    let ids = |page: Value| -> Vec<String> {
        page["data"].as_array().unwrap().iter().map(|j| j["id"].as_str().unwrap().to_owned()).collect()
    };
    let list = |query: &str| support.get(&format!("/admin/jobs?sortDir=asc&{query}")).send();
    let alice_id = user_id(&alice).await;
    assert_eq!(
        ids(list(&format!("userId={alice_id}")).await.unwrap().json().await.unwrap()),
        [jobs[0].to_string(), jobs[1].to_string()]
    );
    assert_eq!(ids(list("workerId=us-1").await.unwrap().json().await.unwrap()), [jobs[2].to_string()]);
    assert_eq!(ids(list("region=eu").await.unwrap().json().await.unwrap()), [jobs[0].to_string()]);
    assert_eq!(ids(list("region=eu&workerId=us-1").await.unwrap().json().await.unwrap()), Vec::<String>::new());
    assert_eq!(ids(list("region=ap").await.unwrap().json().await.unwrap()), Vec::<String>::new(), "no agents there");
    assert_eq!(ids(list("newerThanSecs=3600").await.unwrap().json().await.unwrap()).len(), 3);
    assert_eq!(ids(list("olderThanSecs=3600").await.unwrap().json().await.unwrap()), Vec::<String>::new());

    expect_error(list("region=EU!").await.unwrap(), 400, "invalid_region").await;
    expect_error(list("olderThanSecs=-1").await.unwrap(), 400, "invalid_request").await;
    expect_error(list("userId=nobody").await.unwrap(), 400, "invalid_request").await;
    expect_error(alice.get("/admin/jobs?workerId=eu-1").send().await.unwrap(), 403, "insufficient_role").await;
}
