//! The authorization walk: every operation of the OpenAPI document, called by every kind of
//! caller, checked against one table ([`expected`]). The operations come from the spec the
//! server serves, so a new route cannot be forgotten: it is walked under the rule of its path and
//! method ([`kind`]: admin routes are staff-only, routes naming an object are the owner's).

use std::collections::BTreeMap;

use reqwest::Method;
use serde_json::{Value, json};
use tseeder::core::domain::{
    AuditEntry, FileId, JobId, JobSource, MagnetLink, NewJob, NewQueueMessage, NewStoredFile, OrgId, OrgRole,
    QueueMessageId, RelPath, Role, UserId,
};

use crate::common::{PASSWORD, Session, TestApp, on_every_backend};

on_every_backend!(configured(|config| {
    config.http.login_per_minute = 0;
    config.http.register_per_minute = 0;
    config.http.jobs_per_minute = 0;
    config.http.password_resets_per_hour = 0;
    // The owner gets a fresh organization for every cell that names one.
    config.orgs.max_orgs_per_user = 10_000;
    // Billing on, so its operations reach their rules. Stripe is never called: the walk buys a
    // plan that is not for sale and opens no portal for an organization without a customer.
    config.stripe = tseeder_stripe::StripeConfig {
        secret_key: "sk_test_walk".into(),
        webhook_secret: "whsec_walk".into(),
        api_base: "http://127.0.0.1:9".into(),
        prices: [("pro".to_owned(), "price_walk_pro".to_owned())].into(),
        ..Default::default()
    };
}): every_operation_refuses_every_caller_without_the_right);

/// Who calls.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Caller {
    Anonymous,
    /// The owner's session cookie without the CSRF header.
    CookieWithoutCsrf,
    /// The owner's API key with `jobs:read` and `account:read` only.
    ReadOnlyKey,
    /// Another user, by session.
    OtherUser,
    /// An admin's API key without the `admin` scope.
    StaffKeyWithoutAdmin,
    Support,
    Superadmin,
    Admin,
    /// The owner of the objects in the paths, by session.
    Owner,
}

const CALLERS: [Caller; 9] = [
    Caller::Anonymous,
    Caller::CookieWithoutCsrf,
    Caller::ReadOnlyKey,
    Caller::OtherUser,
    Caller::StaffKeyWithoutAdmin,
    Caller::Support,
    Caller::Superadmin,
    Caller::Admin,
    Caller::Owner,
];

/// What an operation is about, for the table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// No credentials needed.
    Public,
    /// Signed by an agent's secret only: every caller here is refused.
    Agent,
    /// Opened by a signed link only: without one, every caller is refused.
    SignedLink,
    /// The caller's own account or list (`/auth/*`, `/jobs` lists and submissions, usage).
    Own,
    /// One of the owner's objects, named in the path.
    Owners,
    /// Needs a login session (an API key may not do it).
    SessionOnly,
    /// Needs a login session, on one of the owner's objects (their API key). Others, staff
    /// included, find nothing (a change to an organization is its own members' business).
    SessionOnlyOwners,
    /// One of the owner's objects that only its owner reads: staff find nothing either (an
    /// organization's invites).
    MembersOnly,
    /// An admin view (support and above).
    StaffRead,
    /// An admin action, or a view for admins only (admin and above).
    AdminAct,
    /// A superadmin action (runtime settings).
    SuperAct,
}

fn kind(op: &str, method: &Method, path: &str) -> Kind {
    match op {
        "health" | "register" | "login" | "listPlans" => Kind::Public,
        "requestPasswordReset" | "resetPassword" => Kind::Public,
        "getStatus" | "getStatusHistory" | "getStatusSummary" | "getStatusIndicator" => Kind::Public,
        // Stripe's webhook takes no credentials: an unsigned delivery is refused (400) whoever sends it.
        "stripeWebhook" => Kind::Public,
        // Buying and managing the plan of the organization the caller acts in: owners and admins
        // (everyone walks in their personal organization here), by session.
        "createCheckout" | "createPortal" => Kind::SessionOnly,
        // The billing of the organization the caller acts in (members read it; tests/e2e/billing.rs
        // walks the roles inside one organization).
        "getBilling" => Kind::Own,
        "agentHeartbeat" => Kind::Agent,
        "streamFile" => Kind::SignedLink,
        "logout" | "createApiKey" | "changePassword" => Kind::SessionOnly,
        "verifyEmail" => Kind::Public,
        "createOrg" | "acceptOrgInvite" | "resendVerificationEmail" => Kind::SessionOnly,
        // Changes to an organization: its members', by session.
        "renameOrg" | "deleteOrg" | "setOrgMemberRole" | "removeOrgMember" | "leaveOrg" => Kind::SessionOnlyOwners,
        "transferOrgOwnership" | "createOrgInvite" | "revokeOrgInvite" | "resendOrgInvite" => Kind::SessionOnlyOwners,
        "listOrgInvites" => Kind::MembersOnly,
        // The organization the caller's own request acts in.
        "getCurrentOrg" => Kind::Own,
        // Security events are for admins, not support.
        "adminSecurityEvents" => Kind::AdminAct,
        // Runtime settings change for superadmins only.
        "adminSetConfig" => Kind::SuperAct,
        "revokeApiKey" | "revokeSession" => Kind::SessionOnlyOwners,
        _ if path.starts_with("/api/v1/admin/") => {
            if *method == Method::GET {
                Kind::StaffRead
            } else {
                Kind::AdminAct
            }
        }
        _ if path.contains('{') => Kind::Owners,
        _ => Kind::Own,
    }
}

/// What a call must get.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Expect {
    /// Let through: anything but 401, 403 and 5xx.
    Allowed,
    /// Refused with exactly this status.
    Refused(u16),
    /// Refused with some 4xx (the status depends on the request, not only the caller).
    Refused4xx,
}

/// The one table: what `caller` gets for an operation of `kind` with `method`.
fn expected(kind: Kind, op: &str, method: &Method, caller: Caller) -> Expect {
    use Caller as C;
    use Expect::{Allowed, Refused, Refused4xx};
    // A cookie needs the CSRF header on every method but GET.
    let safe = *method == Method::GET;
    // Minting a signed link reads the file: it is allowed to whoever may read it. Previewing an
    // invite only reads it.
    let read = safe || op == "createSignedUrl" || op == "previewOrgInvite";
    match (kind, caller) {
        (Kind::Public, _) => Allowed,
        (Kind::Agent, _) => Refused(401),
        (Kind::SignedLink, _) => Refused4xx,
        (_, C::Anonymous) => Refused(401),
        (_, C::CookieWithoutCsrf) if !safe => Refused(403),
        (
            Kind::StaffRead | Kind::AdminAct | Kind::SuperAct,
            C::CookieWithoutCsrf | C::ReadOnlyKey | C::OtherUser | C::Owner,
        ) => Refused(403),
        (Kind::StaffRead | Kind::AdminAct | Kind::SuperAct, C::StaffKeyWithoutAdmin) => Refused(403),
        (Kind::SuperAct, C::Support | C::Admin) => Refused(403),
        (Kind::SuperAct, C::Superadmin) => Allowed,
        (Kind::StaffRead, C::Support | C::Admin | C::Superadmin) => Allowed,
        (Kind::AdminAct, C::Support) => Refused(403),
        (Kind::AdminAct, C::Admin | C::Superadmin) => Allowed,
        (Kind::SessionOnly | Kind::SessionOnlyOwners, C::ReadOnlyKey | C::StaffKeyWithoutAdmin) => Refused(403),
        (Kind::SessionOnlyOwners, C::Owner) => Allowed,
        (Kind::SessionOnlyOwners, _) => Refused(404),
        (Kind::Own, C::ReadOnlyKey) if !read => Refused(403),
        (Kind::Own | Kind::SessionOnly, _) => Allowed,
        (Kind::MembersOnly, C::OtherUser | C::StaffKeyWithoutAdmin | C::Support | C::Admin | C::Superadmin) => {
            Refused(404)
        }
        (Kind::MembersOnly, _) => Allowed,
        // Someone else's object looks missing, unless staff read it with the right.
        (Kind::Owners, C::OtherUser | C::StaffKeyWithoutAdmin) => Refused(404),
        (Kind::Owners, C::Support | C::Admin | C::Superadmin) if !read => Refused(404),
        (Kind::Owners, C::ReadOnlyKey) if !read => Refused(403),
        (Kind::Owners, _) => Allowed,
    }
}

/// The objects the paths name: the owner's job, file, key, session, organization (with the
/// target user as a member) and its invite, and the admin-side objects.
struct Fixtures {
    job: JobId,
    file: FileId,
    key: String,
    session: String,
    target_user: String,
    org: String,
    invite: String,
}

async fn fixture_job(app: &TestApp, owner: UserId) -> JobId {
    let hash = hex_id();
    let magnet = MagnetLink::parse(&format!("magnet:?xt=urn:btih:{hash}&dn=walk")).unwrap();
    let now = app.core.ports.clock.now();
    let job = NewJob {
        id: JobId::new(),
        user_id: owner,
        // The owner's personal organization, the one their requests act in without a header.
        org_id: OrgId(owner.0),
        name: "walk".into(),
        infohash: magnet.infohash(),
        source: JobSource::Magnet(magnet),
        idempotency_key: None,
        selected_files: None,
        region_hint: None,
        total_bytes: None,
        created_at: now,
    };
    let message = NewQueueMessage {
        id: QueueMessageId::new(),
        queue: "walk".into(),
        job_id: Some(job.id),
        payload: json!({}),
        max_attempts: 1,
        visible_at: now,
        created_at: now,
    };
    let audit = AuditEntry {
        actor_id: Some(owner),
        action: "job.created".into(),
        target_type: "job".into(),
        target_id: Some(job.id.to_string()),
        metadata: json!({}),
        ip: None,
        created_at: now,
    };
    app.core.ports.jobs.create_job(&job, &message, &audit).await.unwrap();
    job.id
}

async fn fixture_file(app: &TestApp, job: JobId) -> FileId {
    let key = format!("blobs/walk/{}", FileId::new());
    app.core.ports.store.put(&key, Box::new(std::io::Cursor::new(b"abc".to_vec()))).await.unwrap();
    let file = NewStoredFile {
        id: FileId::new(),
        job_id: job,
        path: RelPath::parse("walk.bin").unwrap(),
        size: 3,
        blob_key: key,
        mime_type: None,
        created_at: app.core.ports.clock.now(),
    };
    app.core.ports.files.add_file(&file).await.unwrap();
    file.id
}

/// A fresh organization of the owner's with `member` in it and a pending invite: its slug and
/// the invite's id.
async fn fixture_org(app: &TestApp, owner: &Session, member: UserId) -> (String, String) {
    let slug = walk_slug();
    let created: Value =
        owner.post("/orgs").json(&json!({ "name": "walk", "slug": slug })).send().await.unwrap().json().await.unwrap();
    let org: OrgId = created["org"]["id"].as_str().unwrap_or_else(|| panic!("org: {created}")).parse().unwrap();
    app.core.ports.orgs.add_member(org, member, OrgRole::Member, app.core.ports.clock.now()).await.unwrap();
    let email = format!("walk-invitee-{}@example.com", uuid::Uuid::new_v4().simple());
    let invited: Value = owner
        .post(&format!("/orgs/{slug}/invites"))
        .json(&json!({ "email": email }))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let invite = invited["invite"]["id"].as_str().unwrap_or_else(|| panic!("invite: {invited}")).to_owned();
    (slug, invite)
}

/// A new organization slug.
fn walk_slug() -> String {
    format!("walk-{}", &uuid::Uuid::new_v4().simple().to_string()[..12])
}

fn hex_id() -> String {
    uuid::Uuid::new_v4().simple().to_string()[..32].to_owned() + &uuid::Uuid::new_v4().simple().to_string()[..8]
}

/// The path with its parameters filled in, and a well-formed body for the operation.
fn request_for(op: &str, path: &str, f: &Fixtures) -> (String, Option<Value>) {
    let id = match op {
        "revokeApiKey" => f.key.clone(),
        "revokeSession" => f.session.clone(),
        "adminSetRole" | "adminGetUser" | "adminSuspendUser" | "adminUnsuspendUser" | "adminForceLogout"
        | "adminAssignPlan" => f.target_user.clone(),
        "adminReplay" => uuid::Uuid::new_v4().to_string(),
        _ if path.starts_with("/api/v1/files/") => f.file.to_string(),
        _ if path.starts_with("/api/v1/admin/workers/") => "walk-agent".into(),
        _ => f.job.to_string(),
    };
    let path = path
        .replace("{id}", &id)
        .replace("{infohash}", &hex_id())
        .replace("{kind}", "router")
        .replace("{key}", "magnet_links")
        .replace("{slug}", &f.org)
        .replace("{userId}", &f.target_user)
        .replace("{inviteId}", &f.invite)
        .trim_start_matches("/api/v1")
        .to_owned();
    // The search needs its text.
    let path = if op == "adminSearch" { format!("{path}?q=walk") } else { path };
    let reason = "checked by the authorization walk";
    let body = match op {
        "register" => {
            Some(json!({ "email": format!("walk-{}@example.com", uuid::Uuid::new_v4()), "password": PASSWORD }))
        }
        "login" => Some(json!({ "email": "walk-owner@example.com", "password": PASSWORD })),
        "requestPasswordReset" => Some(json!({ "email": "walk-nobody@example.com" })),
        "resetPassword" => Some(json!({ "token": "walk-unknown-token", "password": PASSWORD })),
        "updateMe" => Some(json!({ "defaultRegion": null })),
        // Each caller changes its own password to the same one: every caller stays logged in.
        "changePassword" => Some(json!({ "currentPassword": PASSWORD, "newPassword": PASSWORD })),
        "createApiKey" => Some(json!({ "name": "walk", "scopes": ["jobs:read"] })),
        "createJob" => Some(json!({ "magnetUri": format!("magnet:?xt=urn:btih:{}", hex_id()) })),
        // This app has no engine to look a magnet up with: a malformed one is refused (400)
        // after the caller's rights are checked, which is what the walk looks at.
        "previewJob" => Some(json!({ "magnetUri": "magnet:?xt=urn:btih:not-a-hash" })),
        "renameJob" => Some(json!({ "name": "walked" })),
        "createSignedUrl" => Some(json!({ "expiresIn": 600 })),
        "adminSetRole" => Some(json!({ "role": "user", "reason": reason })),
        "adminBlock" => Some(json!({ "infohash": hex_id(), "reason": reason })),
        "adminSwapPlugin" => Some(json!({ "sha256": "0".repeat(64), "reason": reason })),
        "adminSetConfig" => Some(json!({ "value": true, "reason": reason, "ticketId": "WALK-1" })),
        "adminAssignPlan" => Some(json!({ "planId": "free", "reason": reason })),
        // A plan without a price: refused (400) after the caller's rights are checked, without
        // calling Stripe.
        "createCheckout" => Some(json!({ "plan": "free" })),
        "agentHeartbeat" => Some(json!({})),
        "verifyEmail" => Some(json!({ "token": "walk-unknown-token" })),
        "createOrg" => Some(json!({ "name": "walk", "slug": walk_slug() })),
        "renameOrg" => Some(json!({ "name": "walked" })),
        "deleteOrg" => Some(json!({ "confirm": f.org })),
        "setOrgMemberRole" => Some(json!({ "role": "admin" })),
        "transferOrgOwnership" => Some(json!({ "userId": f.target_user, "password": PASSWORD })),
        "createOrgInvite" => {
            Some(json!({ "email": format!("walk-invite-{}@example.com", uuid::Uuid::new_v4().simple()) }))
        }
        // Unknown tokens: refused (400) after the caller's rights are checked.
        "previewOrgInvite" => Some(json!({ "token": "walk-unknown-token" })),
        "acceptOrgInvite" => Some(json!({ "token": "walk-unknown-token", "orgId": uuid::Uuid::new_v4() })),
        "adminCreateIncident" => Some(json!({
            "title": "walk", "impact": "none", "components": ["api"], "status": "investigating", "body": reason
        })),
        "adminUpdateIncident" => Some(json!({ "status": "monitoring", "body": reason })),
        "adminScheduleMaintenance" => {
            let start = chrono::Utc::now() + chrono::Duration::hours(1);
            Some(json!({
                "title": "walk", "components": ["api"], "startsAt": start, "endsAt": start + chrono::Duration::hours(1)
            }))
        }
        _ if op.starts_with("admin") => Some(json!({ "reason": reason })),
        _ => None,
    };
    (path, body)
}

async fn every_operation_refuses_every_caller_without_the_right(app: &TestApp) {
    let owner = app.register_and_login("walk-owner@example.com").await;
    let other = app.register_and_login("walk-other@example.com").await;
    let target = app.register_and_login("walk-target@example.com").await;
    let support = app.staff("walk-support@example.com", Role::Support).await;
    let admin = app.staff("walk-admin@example.com", Role::Admin).await;
    let superadmin = app.staff("walk-superadmin@example.com", Role::Superadmin).await;
    let read_key = owner.api_key(&["jobs:read", "account:read"]).await;
    let staff_key = admin.api_key(&["jobs:read", "jobs:write", "account:read"]).await;
    let me = |s: &Session| {
        let get = s.get("/auth/me");
        async move { get.send().await.unwrap().json::<Value>().await.unwrap()["user"]["id"].as_str().unwrap().to_owned() }
    };
    let owner_id: UserId = me(&owner).await.parse().unwrap();
    let target_user = me(&target).await;
    let target_id: UserId = target_user.parse().unwrap();

    let spec: Value = reqwest::get(app.url("/openapi.json")).await.unwrap().json().await.unwrap();
    let mut operations: Vec<(String, Method, String)> = Vec::new();
    for (path, ops) in spec["paths"].as_object().unwrap() {
        for (method, op) in ops.as_object().unwrap() {
            let method = Method::from_bytes(method.to_ascii_uppercase().as_bytes()).unwrap();
            operations.push((op["operationId"].as_str().unwrap().to_owned(), method, path.clone()));
        }
    }
    // Ending sessions last keeps every caller logged in for the rest of the walk.
    operations.sort_by_key(|(op, _, _)| op == "logout");
    assert!(operations.len() >= 50, "{} operations", operations.len());

    let mut failures = Vec::new();
    let mut cells = 0;
    for (op, method, template) in &operations {
        let kind = kind(op, method, template);
        for caller in CALLERS {
            // Fresh objects for each call, so an allowed change (a delete) cannot hide the next.
            let job = fixture_job(app, owner_id).await;
            let file = fixture_file(app, job).await;
            // A key of the owner's to revoke; other operations name none (at most 10 are live).
            let key = if op == "revokeApiKey" {
                let created: Value = owner
                    .post("/auth/api-keys")
                    .json(&json!({ "name": "walk", "scopes": ["jobs:read"] }))
                    .send()
                    .await
                    .unwrap()
                    .json()
                    .await
                    .unwrap();
                created["key"]["id"].as_str().unwrap_or_else(|| panic!("key: {created}")).to_owned()
            } else {
                uuid::Uuid::new_v4().to_string()
            };
            // Another session of the owner's (a second device) to end.
            let session = if op == "revokeSession" {
                app.login(app.browser(), "walk-owner@example.com").await;
                let listed: Value = owner.get("/auth/sessions").send().await.unwrap().json().await.unwrap();
                listed["sessions"][0]["id"].as_str().unwrap_or_else(|| panic!("sessions: {listed}")).to_owned()
            } else {
                uuid::Uuid::new_v4().to_string()
            };
            // A fresh organization of the owner's, for the routes that name one.
            let (org, invite) = if template.starts_with("/api/v1/orgs/{slug}") {
                fixture_org(app, &owner, target_id).await
            } else {
                ("walk-none".to_owned(), uuid::Uuid::new_v4().to_string())
            };
            let fixtures =
                Fixtures { job, file, key: key.clone(), session, target_user: target_user.clone(), org, invite };
            let (path, body) = request_for(op, template, &fixtures);
            let url = app.url(&path);
            let request = match caller {
                // Logging in or registering from a caller's own browser would replace its session.
                _ if kind == Kind::Public => reqwest::Client::new().request(method.clone(), &url),
                Caller::Anonymous => reqwest::Client::new().request(method.clone(), &url),
                Caller::CookieWithoutCsrf => owner.client.request(method.clone(), &url),
                Caller::ReadOnlyKey => app.key_client(&read_key).client.request(method.clone(), &url),
                Caller::StaffKeyWithoutAdmin => app.key_client(&staff_key).client.request(method.clone(), &url),
                Caller::OtherUser => other.send(method.clone(), &path),
                Caller::Support => support.send(method.clone(), &path),
                Caller::Admin => admin.send(method.clone(), &path),
                Caller::Superadmin => superadmin.send(method.clone(), &path),
                Caller::Owner => owner.send(method.clone(), &path),
            };
            let request = match &body {
                Some(body) if *method != Method::GET => request.json(body),
                _ => request,
            };
            let status = request.send().await.unwrap().status().as_u16();
            if op == "revokeApiKey" {
                // Whoever was refused, the key goes, so the next cell can make one.
                let _ = owner.send(Method::DELETE, &format!("/auth/api-keys/{key}")).send().await;
            }
            let want = expected(kind, op, method, caller);
            let ok = match want {
                Expect::Allowed => status != 401 && status != 403 && status < 500,
                Expect::Refused(code) => status == code,
                Expect::Refused4xx => (400..500).contains(&status),
            };
            cells += 1;
            if !ok {
                failures.push(format!("{method} {path} ({op}, {kind:?}) as {caller:?}: got {status}, want {want:?}"));
            }
        }
    }
    assert!(failures.is_empty(), "{} of {cells} cells wrong:\n{}", failures.len(), failures.join("\n"));
    let by_kind: BTreeMap<String, usize> = operations.iter().fold(BTreeMap::new(), |mut m, (op, method, path)| {
        *m.entry(format!("{:?}", kind(op, method, path))).or_default() += 1;
        m
    });
    eprintln!("authorization walk: {cells} cells over {} operations {by_kind:?}", operations.len());
}
