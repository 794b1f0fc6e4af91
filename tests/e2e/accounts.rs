//! Accounts: register, login with cookie + CSRF, API keys, roles, rate limits.

use reqwest::Method;
use serde_json::{Value, json};
use tseeder::core::domain::Role;

use crate::common::{PASSWORD, Session, TestApp, expect_error, magnet, on_every_backend, torrent};

on_every_backend!(
    cookie_session_needs_csrf_on_state_changes,
    api_keys_authenticate_with_their_scopes_only,
    registration_and_login_refuse_bad_input,
    admins_cannot_grant_superadmin,
    users_are_refused_admin_endpoints,
    login_is_rate_limited_per_ip,
    users_set_their_default_region_and_unhinted_jobs_take_it,
    users_see_and_end_their_sessions,
    changing_the_password_ends_the_other_sessions,
);

async fn cookie_session_needs_csrf_on_state_changes(app: &TestApp) {
    let alice = app.register_and_login("alice@example.com").await;
    let me: Value = alice.get("/auth/me").send().await.unwrap().json().await.unwrap();
    assert_eq!(me["user"]["email"], "alice@example.com");
    assert_eq!(me["user"]["role"], "user");
    assert_eq!(me["csrfToken"], alice.csrf.as_str(), "/auth/me restores the CSRF token");

    // A cross-site form post carries the cookie but cannot know the token.
    let forged = alice.client.post(alice.url("/auth/api-keys")).json(&json!({ "name": "x", "scopes": ["jobs:read"] }));
    expect_error(forged.send().await.unwrap(), 403, "csrf_failed").await;
    let wrong = alice
        .client
        .post(alice.url("/auth/api-keys"))
        .header("X-CSRF-Token", "0".repeat(64))
        .json(&json!({ "name": "x", "scopes": ["jobs:read"] }));
    expect_error(wrong.send().await.unwrap(), 403, "csrf_failed").await;
    assert!(alice.api_key(&["jobs:read"]).await.starts_with("tsk_"));

    // Logout ends the session: the cookie no longer works.
    let res = alice.post("/auth/logout").send().await.unwrap();
    assert!(res.status().is_success());
    expect_error(alice.get("/auth/me").send().await.unwrap(), 401, "unauthenticated").await;
}

async fn api_keys_authenticate_with_their_scopes_only(app: &TestApp) {
    let bob = app.register_and_login("bob@example.com").await;
    let read_only = bob.api_key(&["jobs:read"]).await;
    let keys: Value = bob.get("/auth/api-keys").send().await.unwrap().json().await.unwrap();
    let listed = &keys["keys"][0];
    assert_eq!(listed["scopes"], json!(["jobs:read"]));
    assert!(read_only.starts_with(listed["prefix"].as_str().unwrap()), "the prefix identifies the key");
    assert!(!keys.to_string().contains(&read_only), "the secret is never shown again");

    let key = app.key_client(&read_only);
    let res = key.get("/jobs").send().await.unwrap();
    assert_eq!(res.status(), 200, "a key with jobs:read lists jobs");
    let res = key.post("/jobs").json(&json!({ "magnetUri": crate::common::magnet("x") })).send().await.unwrap();
    expect_error(res, 403, "missing_scope").await;
    let res = key.post("/auth/api-keys").json(&json!({ "name": "y", "scopes": ["jobs:read"] })).send().await.unwrap();
    expect_error(res, 403, "session_required").await;

    // Revoked and made-up keys are refused.
    let id = listed["id"].as_str().unwrap();
    let res = bob.send(Method::DELETE, &format!("/auth/api-keys/{id}")).send().await.unwrap();
    assert_eq!(res.status(), 204);
    expect_error(key.get("/jobs").send().await.unwrap(), 401, "unauthenticated").await;
    let fake = app.key_client(&format!("tsk_{}", "a".repeat(64)));
    expect_error(fake.get("/jobs").send().await.unwrap(), 401, "unauthenticated").await;
    expect_error(app.browser().get(app.url("/jobs")).send().await.unwrap(), 401, "unauthenticated").await;

    // Another user cannot revoke bob's keys.
    let writer = bob.api_key(&["jobs:read", "jobs:write"]).await;
    let keys: Value = bob.get("/auth/api-keys").send().await.unwrap().json().await.unwrap();
    let id = keys["keys"][0]["id"].as_str().unwrap().to_owned();
    let eve = app.register_and_login("eve@example.com").await;
    let res = eve.send(Method::DELETE, &format!("/auth/api-keys/{id}")).send().await.unwrap();
    expect_error(res, 404, "api_key_not_found").await;
    assert_eq!(app.key_client(&writer).get("/jobs").send().await.unwrap().status(), 200);
}

async fn registration_and_login_refuse_bad_input(app: &TestApp) {
    let web = app.browser();
    let cases = [
        (json!({ "email": "not-an-email", "password": PASSWORD }), 400, "invalid_email"),
        (json!({ "email": "carol@example.com", "password": "short1" }), 400, "weak_password"),
        (json!({ "email": "carol@example.com", "password": "nodigitsatall" }), 400, "weak_password"),
        (json!({ "email": "carol@example.com" }), 400, "invalid_request"),
    ];
    for (body, status, code) in cases {
        let res = web.post(app.url("/auth/register")).json(&body).send().await.unwrap();
        expect_error(res, status, code).await;
    }
    let res = web
        .post(app.url("/auth/register"))
        .body("{not json")
        .header("content-type", "application/json")
        .send()
        .await
        .unwrap();
    expect_error(res, 400, "invalid_request").await;

    app.register_and_login("carol@example.com").await;
    let res = web
        .post(app.url("/auth/register"))
        .json(&json!({ "email": "CAROL@example.com", "password": PASSWORD }))
        .send()
        .await
        .unwrap();
    expect_error(res, 409, "email_taken").await;
    let res = web
        .post(app.url("/auth/login"))
        .json(&json!({ "email": "carol@example.com", "password": "wrong pass 1" }))
        .send()
        .await
        .unwrap();
    expect_error(res, 401, "bad_credentials").await;
    let res = web
        .post(app.url("/auth/login"))
        .json(&json!({ "email": "nobody@example.com", "password": PASSWORD }))
        .send()
        .await
        .unwrap();
    expect_error(res, 401, "bad_credentials").await;
}

async fn admins_cannot_grant_superadmin(app: &TestApp) {
    let admin = app.staff("admin@example.com", Role::Admin).await;
    let root = app.staff("root@example.com", Role::Superadmin).await;
    let dave = app.register_and_login("dave@example.com").await;
    let dave_id = dave.get("/auth/me").send().await.unwrap().json::<Value>().await.unwrap()["user"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let path = format!("/admin/users/{dave_id}/role");
    let reason = "promoting for the support rota";

    let res =
        admin.send(Method::PATCH, &path).json(&json!({ "role": "superadmin", "reason": reason })).send().await.unwrap();
    expect_error(res, 403, "insufficient_role").await;
    let res =
        admin.send(Method::PATCH, &path).json(&json!({ "role": "support", "reason": "short" })).send().await.unwrap();
    expect_error(res, 400, "reason_required").await;
    let res =
        admin.send(Method::PATCH, &path).json(&json!({ "role": "support", "reason": reason })).send().await.unwrap();
    assert_eq!(res.status(), 200);
    let res =
        root.send(Method::PATCH, &path).json(&json!({ "role": "superadmin", "reason": reason })).send().await.unwrap();
    assert_eq!(res.status(), 200, "a superadmin may grant superadmin");
    let res = admin.send(Method::PATCH, &path).json(&json!({ "role": "user", "reason": reason })).send().await.unwrap();
    expect_error(res, 403, "insufficient_role").await;

    // Every role change is in the audit log with its reason.
    let audit: Value = admin
        .get(&format!("/admin/audit?action=user.role_changed&targetId={dave_id}"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let entries = audit["data"].as_array().expect("audit entries");
    assert_eq!(entries.len(), 2, "{audit}");
    assert!(entries.iter().all(|e| e["metadata"]["reason"] == reason));
}

async fn users_are_refused_admin_endpoints(app: &TestApp) {
    let user = app.register_and_login("frank@example.com").await;
    for path in [
        "/admin/users",
        "/admin/jobs",
        "/admin/dlq",
        "/admin/audit",
        "/admin/queue",
        "/admin/blocklist",
        "/admin/security-events",
    ] {
        expect_error(user.get(path).send().await.unwrap(), 403, "insufficient_role").await;
    }
    let res = user
        .post("/admin/blocklist")
        .json(&json!({ "infohash": "a".repeat(40), "reason": "because I can" }))
        .send()
        .await
        .unwrap();
    expect_error(res, 403, "insufficient_role").await;
    // Support may read but not act.
    let support = app.staff("support@example.com", Role::Support).await;
    assert_eq!(support.get("/admin/audit").send().await.unwrap().status(), 200);
    let res = support
        .post("/admin/blocklist")
        .json(&json!({ "infohash": "a".repeat(40), "reason": "support cannot block" }))
        .send()
        .await
        .unwrap();
    expect_error(res, 403, "insufficient_role").await;
    // An admin's API key without the admin scope cannot use admin endpoints.
    let admin = app.staff("admin2@example.com", Role::Admin).await;
    let key = app.key_client(&admin.api_key(&["jobs:read"]).await);
    expect_error(key.get("/admin/users").send().await.unwrap(), 403, "missing_scope").await;
    // Nor read other users' jobs through any route: the admin job list, everyone's jobs, or one
    // job by id (which looks missing). With the admin scope, it can.
    let owner = app.register_and_login("owner-of-a-job@example.com").await;
    let form = reqwest::multipart::Form::new()
        .part("torrent", reqwest::multipart::Part::bytes(torrent("owned", &[(&[], 5)])).file_name("o.torrent"));
    let job: Value = owner.post("/jobs").multipart(form).send().await.unwrap().json().await.unwrap();
    let job_path = format!("/jobs/{}", job["id"].as_str().unwrap());
    expect_error(key.get("/admin/jobs").send().await.unwrap(), 403, "missing_scope").await;
    expect_error(key.get("/jobs?all=true").send().await.unwrap(), 403, "missing_scope").await;
    expect_error(key.get(&job_path).send().await.unwrap(), 404, "job_not_found").await;
    expect_error(key.get(&format!("{job_path}/history")).send().await.unwrap(), 404, "job_not_found").await;
    let scoped = app.key_client(&admin.api_key(&["jobs:read", "admin"]).await);
    let all: Value = scoped.get("/admin/jobs").send().await.unwrap().json().await.unwrap();
    assert_eq!(all["meta"]["total"], 1, "{all}");
    assert_eq!(scoped.get(&job_path).send().await.unwrap().status(), 200);
    assert_eq!(admin.get("/admin/jobs").send().await.unwrap().status(), 200, "a session has its role's scopes");
}

async fn login_is_rate_limited_per_ip(app: &TestApp) {
    let web = app.browser();
    let mut limited = None;
    for attempt in 1..=40 {
        let res = web
            .post(app.url("/auth/login"))
            .json(&json!({ "email": "x@example.com", "password": "wrong pass 1" }))
            .send()
            .await
            .unwrap();
        if res.status() == 429 {
            assert!(res.headers().contains_key("retry-after"));
            expect_error(res, 429, "rate_limited").await;
            limited = Some(attempt);
            break;
        }
        assert_eq!(res.status(), 401);
    }
    assert!(limited.is_some_and(|n| n > 1), "login attempts are limited: {limited:?}");
}

/// Submits a magnet job (with `regionHint` when given), checks the job's `regionHint` is
/// `expected`, and cancels it so the free plan's two active jobs never run out.
async fn submit_expecting_region(session: &Session, hint: Option<&str>, expected: Option<&str>) {
    let mut body = json!({ "magnetUri": magnet("regions") });
    if let Some(hint) = hint {
        body["regionHint"] = json!(hint);
    }
    let res = session.post("/jobs").json(&body).send().await.unwrap();
    assert_eq!(res.status(), 201, "job accepted");
    let job: Value = res.json().await.unwrap();
    assert_eq!(job["regionHint"].as_str(), expected, "hint {hint:?}: {job}");
    let res = session.post(&format!("/jobs/{}/cancel", job["id"].as_str().unwrap())).send().await.unwrap();
    assert_eq!(res.status(), 200, "cancel");
}

async fn users_set_their_default_region_and_unhinted_jobs_take_it(app: &TestApp) {
    let alice = app.register_and_login("alice-regions@example.com").await;
    let bob = app.register_and_login("bob-regions@example.com").await;
    let me: Value = alice.get("/auth/me").send().await.unwrap().json().await.unwrap();
    assert_eq!(me["user"]["defaultRegion"], Value::Null, "no default region at first: {me}");
    submit_expecting_region(&alice, None, None).await;

    // Setting it returns the updated profile; GET /auth/me shows it too.
    let res = alice.send(Method::PATCH, "/auth/me").json(&json!({ "defaultRegion": "eu" })).send().await.unwrap();
    assert_eq!(res.status(), 200);
    let updated: Value = res.json().await.unwrap();
    assert_eq!(updated["user"]["defaultRegion"], "eu", "{updated}");
    assert_eq!(updated["user"]["email"], "alice-regions@example.com");
    assert_eq!(updated["csrfToken"], alice.csrf.as_str());
    let me: Value = alice.get("/auth/me").send().await.unwrap().json().await.unwrap();
    assert_eq!(me["user"]["defaultRegion"], "eu", "{me}");

    // A job without a hint takes the default; an explicit hint wins; others are unaffected.
    submit_expecting_region(&alice, None, Some("eu")).await;
    submit_expecting_region(&alice, Some("us"), Some("us")).await;
    submit_expecting_region(&bob, None, None).await;
    let bob_me: Value = bob.get("/auth/me").send().await.unwrap().json().await.unwrap();
    assert_eq!(bob_me["user"]["defaultRegion"], Value::Null, "only the caller's account changes: {bob_me}");

    // Refusals leave the setting as it was: a malformed region, no credentials, no CSRF token.
    for bad in ["EU", "eu west", "", &"a".repeat(33)] {
        let res = alice.send(Method::PATCH, "/auth/me").json(&json!({ "defaultRegion": bad })).send().await.unwrap();
        expect_error(res, 400, "invalid_region").await;
    }
    let anonymous = app.browser().patch(app.url("/auth/me")).json(&json!({ "defaultRegion": "us" }));
    expect_error(anonymous.send().await.unwrap(), 401, "unauthenticated").await;
    let forged = alice.client.patch(alice.url("/auth/me")).json(&json!({ "defaultRegion": "us" }));
    expect_error(forged.send().await.unwrap(), 403, "csrf_failed").await;
    // Leaving the field out changes nothing.
    let res = alice.send(Method::PATCH, "/auth/me").json(&json!({})).send().await.unwrap();
    let unchanged: Value = res.json().await.unwrap();
    assert_eq!(unchanged["user"]["defaultRegion"], "eu", "{unchanged}");

    // API keys need account:read and jobs:write.
    let reader = app.key_client(&alice.api_key(&["account:read"]).await);
    let res = reader.client.patch(reader.url("/auth/me")).json(&json!({ "defaultRegion": "us" })).send().await.unwrap();
    expect_error(res, 403, "missing_scope").await;
    let writer = app.key_client(&alice.api_key(&["account:read", "jobs:write"]).await);
    let res =
        writer.client.patch(writer.url("/auth/me")).json(&json!({ "defaultRegion": "ap-1" })).send().await.unwrap();
    assert_eq!(res.status(), 200);
    let updated: Value = res.json().await.unwrap();
    assert_eq!((&updated["user"]["defaultRegion"], &updated["csrfToken"]), (&json!("ap-1"), &Value::Null));

    // Clearing it with null: jobs without a hint go anywhere again.
    let res = alice.send(Method::PATCH, "/auth/me").json(&json!({ "defaultRegion": null })).send().await.unwrap();
    assert_eq!(res.status(), 200);
    let cleared: Value = res.json().await.unwrap();
    assert_eq!(cleared["user"]["defaultRegion"], Value::Null, "{cleared}");
    assert!(cleared["user"].get("defaultRegion").is_none(), "a cleared region is left out, not null: {cleared}");
    submit_expecting_region(&alice, None, None).await;
}

async fn session_ids(session: &Session) -> (Vec<String>, Value) {
    let listed: Value = session.get("/auth/sessions").send().await.unwrap().json().await.unwrap();
    let ids = listed["sessions"].as_array().unwrap().iter().map(|s| s["id"].as_str().unwrap().to_owned()).collect();
    (ids, listed)
}

async fn users_see_and_end_their_sessions(app: &TestApp) {
    let laptop = app.register_and_login("devices@example.com").await;
    let phone = app.login(app.browser(), "devices@example.com").await;
    let (ids, listed) = session_ids(&laptop).await;
    assert_eq!(ids.len(), 2, "{listed}");
    let laptop_id = listed["currentSessionId"].as_str().unwrap().to_owned();
    let (_, from_phone) = session_ids(&phone).await;
    let phone_id = from_phone["currentSessionId"].as_str().unwrap().to_owned();
    assert_ne!(laptop_id, phone_id);
    assert_eq!(ids[0], phone_id, "newest first");
    assert!(!listed.to_string().contains("token"), "no token leaves the server: {listed}");

    // A read-only key lists but cannot end sessions; it has no current session.
    let key = app.key_client(&laptop.api_key(&["account:read"]).await);
    let by_key: Value = key.get("/auth/sessions").send().await.unwrap().json().await.unwrap();
    assert_eq!(by_key["sessions"].as_array().unwrap().len(), 2);
    assert!(by_key.get("currentSessionId").is_none(), "absent, not null: {by_key}");
    let res = key.client.delete(key.url(&format!("/auth/sessions/{phone_id}"))).send().await.unwrap();
    expect_error(res, 403, "session_required").await;

    // Someone else cannot end them, nor learn they exist.
    let eve = app.register_and_login("eve-devices@example.com").await;
    let res = eve.send(Method::DELETE, &format!("/auth/sessions/{phone_id}")).send().await.unwrap();
    expect_error(res, 404, "session_not_found").await;
    let res = laptop.send(Method::DELETE, "/auth/sessions/not-a-uuid").send().await.unwrap();
    assert_eq!(res.status(), 400);

    // The laptop logs the phone out: at once, and once.
    let res = laptop.send(Method::DELETE, &format!("/auth/sessions/{phone_id}")).send().await.unwrap();
    assert_eq!(res.status(), 204);
    expect_error(phone.get("/auth/me").send().await.unwrap(), 401, "unauthenticated").await;
    let res = laptop.send(Method::DELETE, &format!("/auth/sessions/{phone_id}")).send().await.unwrap();
    expect_error(res, 404, "session_not_found").await;
    assert_eq!(session_ids(&laptop).await.0, vec![laptop_id]);
    assert_eq!(eve.get("/auth/me").send().await.unwrap().status(), 200, "eve is untouched");
}

async fn changing_the_password_ends_the_other_sessions(app: &TestApp) {
    const NEW: &str = "another secret 2";
    let laptop = app.register_and_login("rotate@example.com").await;
    let phone = app.login(app.browser(), "rotate@example.com").await;
    let bystander = app.register_and_login("bystander-rotate@example.com").await;
    let key = laptop.api_key(&["jobs:read", "account:read"]).await;
    let change = |current: &str, new: &str| json!({ "currentPassword": current, "newPassword": new });

    let res = laptop.post("/auth/password").json(&change("wrong password 1", NEW)).send().await.unwrap();
    expect_error(res, 403, "wrong_password").await;
    let res = laptop.post("/auth/password").json(&change(PASSWORD, "short1")).send().await.unwrap();
    expect_error(res, 400, "weak_password").await;
    let res = laptop.post("/auth/password").json(&change(PASSWORD, "no digits at all")).send().await.unwrap();
    expect_error(res, 400, "weak_password").await;
    let res = app.key_client(&key).post("/auth/password").json(&change(PASSWORD, NEW)).send().await.unwrap();
    expect_error(res, 403, "session_required").await;
    assert_eq!(phone.get("/auth/me").send().await.unwrap().status(), 200, "refusals change nothing");

    let res = laptop.post("/auth/password").json(&change(PASSWORD, NEW)).send().await.unwrap();
    assert_eq!(res.status(), 200);
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["sessionsEnded"], 1, "{body}");
    assert_eq!(laptop.get("/auth/me").send().await.unwrap().status(), 200, "this device stays in");
    expect_error(phone.get("/auth/me").send().await.unwrap(), 401, "unauthenticated").await;
    assert_eq!(bystander.get("/auth/me").send().await.unwrap().status(), 200);
    assert_eq!(app.key_client(&key).get("/jobs").send().await.unwrap().status(), 200, "keys are revoked apart");

    let login = |password: &str| {
        app.browser().post(app.url("/auth/login")).json(&json!({ "email": "rotate@example.com", "password": password }))
    };
    expect_error(login(PASSWORD).send().await.unwrap(), 401, "bad_credentials").await;
    assert_eq!(login(NEW).send().await.unwrap().status(), 200);

    let audit = app.core.ports.audit.list_audit(&Default::default(), Default::default()).await.unwrap();
    assert!(audit.items.iter().any(|e| e.entry.action == "user.password_changed"), "audited");
}
