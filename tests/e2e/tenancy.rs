//! Tenancy: jobs, files, usage, quotas and API keys belong to organizations, and every request
//! acts in one: the one its `X-Org-Slug` header names, the API key's, or else the caller's
//! personal organization.
//!
//! - Another organization's objects are missing, whatever the header: one table of every route
//!   that names a job, a file, a member, an invite or an organization, called by an outsider
//!   without the header, with their own organization's slug and with the other one's.
//! - Within an organization, owners and admins see and change every job, members their own; a
//!   job shows only in the organization it was submitted in; usage and quotas are the
//!   organization's, on its owner's plan.
//! - API keys act in the organization they were made in, and stop working when their owner is
//!   removed from it; the removed member's jobs stay, or go to the member the remover names.

use std::collections::{BTreeMap, BTreeSet};

use reqwest::{Method, RequestBuilder};
use serde_json::{Value, json};
use tseeder::core::domain::{FileId, JobId, JobStatus, NewStoredFile, OrgId, OrgRole, RelPath, Role, UserId};
use tseeder::core::ports::JobChange;

use crate::common::{KeyClient, PASSWORD, Session, TestApp, expect_error, magnet, on_every_backend};

on_every_backend!(configured(|config| {
    config.http.login_per_minute = 0;
    config.http.register_per_minute = 0;
    config.http.jobs_per_minute = 0;
}):
    another_organizations_objects_are_missing_whatever_the_header,
    members_see_their_own_jobs_and_owners_every_job_of_the_organization,
    api_keys_act_in_their_organization_until_their_owner_is_removed,
);

/// The header naming the organization a request acts in.
const ORG: &str = "X-Org-Slug";

/// A registered, logged-in account.
struct Person {
    id: String,
    email: String,
    session: Session,
}

async fn person(app: &TestApp, name: &str) -> Person {
    let email = format!("tenancy-{name}@example.com");
    let session = app.register_and_login(&email).await;
    let me = read(session.get("/auth/me")).await;
    Person { id: text(&me["user"]["id"]), email, session }
}

fn text(value: &Value) -> String {
    value.as_str().unwrap_or_else(|| panic!("a string: {value}")).to_owned()
}

/// `req` acting in the organization `org` names (no header for `None`).
fn acting_in(req: RequestBuilder, org: Option<&str>) -> RequestBuilder {
    match org {
        Some(slug) => req.header(ORG, slug),
        None => req,
    }
}

/// Sends `req` and returns its JSON body, which must come with 200.
async fn read(req: RequestBuilder) -> Value {
    let res = req.send().await.unwrap();
    let status = res.status();
    let body: Value = res.json().await.unwrap_or(Value::Null);
    assert_eq!(status, 200, "{body}");
    body
}

/// Creates the organization `slug`, owned by `owner`; returns its id.
async fn create_org(owner: &Session, slug: &str) -> String {
    let res = owner.post("/orgs").json(&json!({ "name": slug.to_uppercase(), "slug": slug })).send().await.unwrap();
    assert_eq!(res.status(), 201, "create {slug}: {}", res.text().await.unwrap_or_default());
    let created: Value = res.json().await.unwrap();
    text(&created["org"]["id"])
}

/// Makes `who` a member of the organization `org_id` with `role`, as an accepted invite does.
async fn add_member(app: &TestApp, org_id: &str, who: &Person, role: OrgRole) {
    let org: OrgId = org_id.parse().unwrap();
    let user: UserId = who.id.parse().unwrap();
    app.core.ports.orgs.add_member(org, user, role, app.core.ports.clock.now()).await.unwrap();
}

/// Submits a magnet named `name` as `who`, acting in `org`; returns the job's id.
async fn submit(who: &Session, org: Option<&str>, name: &str) -> String {
    let res = acting_in(who.post("/jobs"), org).json(&json!({ "magnetUri": magnet(name) })).send().await.unwrap();
    assert_eq!(res.status(), 201, "submit {name}: {}", res.text().await.unwrap_or_default());
    let job: Value = res.json().await.unwrap();
    text(&job["id"])
}

/// Stores a three-byte file at `path` for the job and marks the job completed, as a finished
/// download leaves it; returns the file's id.
async fn complete_with_file(app: &TestApp, job: &str, path: &str) -> String {
    let job: JobId = job.parse().unwrap();
    let ports = &app.core.ports;
    let now = ports.clock.now();
    let key = format!("blobs/tenancy/{}", FileId::new());
    ports.store.put(&key, Box::new(std::io::Cursor::new(b"abc".to_vec()))).await.unwrap();
    let file = NewStoredFile {
        id: FileId::new(),
        job_id: job,
        path: RelPath::parse(path).unwrap(),
        size: 3,
        blob_key: key,
        mime_type: None,
        created_at: now,
    };
    ports.files.add_file(&file).await.unwrap();
    ports.jobs.update_job(job, &JobChange::unchecked(JobStatus::Queued, JobStatus::Completed, now)).await.unwrap();
    file.id.to_string()
}

/// The ids of the jobs of a `GET /jobs` page.
fn job_ids(page: &Value) -> BTreeSet<String> {
    page["data"].as_array().unwrap_or_else(|| panic!("a page: {page}")).iter().map(|job| text(&job["id"])).collect()
}

/// The jobs `GET /jobs` lists for `who` acting in `org`.
async fn listed(who: &Session, org: Option<&str>) -> BTreeSet<String> {
    job_ids(&read(acting_in(who.get("/jobs"), org)).await)
}

/// The jobs `GET /jobs` lists for an API key, naming `org` or not.
async fn key_listed(key: &KeyClient, org: Option<&str>) -> BTreeSet<String> {
    job_ids(&read(acting_in(key.get("/jobs"), org)).await)
}

fn ids<S: AsRef<str>>(list: &[S]) -> BTreeSet<String> {
    list.iter().map(|id| id.as_ref().to_owned()).collect()
}

/// `GET /jobs/{job}` as `who` acting in `org`.
async fn get_job(who: &Session, org: Option<&str>, job: &str) -> reqwest::Response {
    acting_in(who.get(&format!("/jobs/{job}")), org).send().await.unwrap()
}

/// What an outsider gets for a route of the table.
#[derive(Debug, Clone, Copy)]
enum Outcome {
    /// 404 with this code: the other organization's object does not exist for them.
    Missing(&'static str),
    /// 200: their own list or organization, without a trace of the other one.
    Theirs,
}

async fn another_organizations_objects_are_missing_whatever_the_header(app: &TestApp) {
    let a = person(app, "a").await;
    let m = person(app, "m").await;
    let b = person(app, "b").await;
    let b2 = person(app, "b2").await;
    let acme_id = create_org(&a.session, "acme").await;
    let bravo_id = create_org(&b.session, "bravo").await;
    add_member(app, &acme_id, &m, OrgRole::Member).await;
    add_member(app, &bravo_id, &b2, OrgRole::Member).await;

    // Acme's objects: a finished job with a file, and a pending invite.
    let job_name = "acme-secret-download";
    let job = submit(&a.session, Some("acme"), job_name).await;
    let file_path = "acme-secret.bin";
    let file = complete_with_file(app, &job, file_path).await;
    let invitee = "acme-invitee@example.com";
    let res = a.session.post("/orgs/acme/invites").json(&json!({ "email": invitee })).send().await.unwrap();
    assert_eq!(res.status(), 201, "invite: {}", res.text().await.unwrap_or_default());
    let invited: Value = res.json().await.unwrap();
    let invite = text(&invited["invite"]["id"]);
    // None of these may reach B, in any answer.
    let secrets = [
        job.as_str(),
        job_name,
        file.as_str(),
        file_path,
        "acme",
        acme_id.as_str(),
        invite.as_str(),
        invitee,
        a.email.as_str(),
        m.email.as_str(),
    ];

    use Outcome::{Missing, Theirs};
    let (a_id, m_id, b_id, b2_id) = (&a.id, &m.id, &b.id, &b2.id);
    let cases: Vec<(Method, String, Option<Value>, Outcome)> = vec![
        // Acme's job and its file, by id.
        (Method::GET, format!("/jobs/{job}"), None, Missing("job_not_found")),
        (Method::PATCH, format!("/jobs/{job}"), Some(json!({ "name": "taken over" })), Missing("job_not_found")),
        (Method::POST, format!("/jobs/{job}/pause"), None, Missing("job_not_found")),
        (Method::POST, format!("/jobs/{job}/resume"), None, Missing("job_not_found")),
        (Method::POST, format!("/jobs/{job}/cancel"), None, Missing("job_not_found")),
        (Method::GET, format!("/jobs/{job}/events"), None, Missing("job_not_found")),
        (Method::GET, format!("/jobs/{job}/history"), None, Missing("job_not_found")),
        (Method::GET, format!("/jobs/{job}/files"), None, Missing("job_not_found")),
        (Method::GET, format!("/jobs/{job}/zip"), None, Missing("job_not_found")),
        (Method::GET, format!("/files/{file}/download"), None, Missing("file_not_found")),
        (
            Method::POST,
            format!("/files/{file}/signed-url"),
            Some(json!({ "expiresIn": 600 })),
            Missing("file_not_found"),
        ),
        (Method::DELETE, format!("/files/{file}"), None, Missing("file_not_found")),
        (Method::DELETE, format!("/jobs/{job}"), None, Missing("job_not_found")),
        // Acme itself, its members and its invite.
        (Method::GET, "/orgs/acme".into(), None, Missing("org_not_found")),
        (Method::PATCH, "/orgs/acme".into(), Some(json!({ "name": "Taken over" })), Missing("org_not_found")),
        (Method::GET, "/orgs/acme/members".into(), None, Missing("org_not_found")),
        (
            Method::PATCH,
            format!("/orgs/acme/members/{m_id}"),
            Some(json!({ "role": "admin" })),
            Missing("org_not_found"),
        ),
        (Method::DELETE, format!("/orgs/acme/members/{m_id}?reassignTo={b_id}"), None, Missing("org_not_found")),
        (Method::DELETE, format!("/orgs/acme/members/{m_id}"), None, Missing("org_not_found")),
        (Method::POST, "/orgs/acme/leave".into(), None, Missing("org_not_found")),
        (
            Method::POST,
            "/orgs/acme/transfer".into(),
            Some(json!({ "userId": b_id, "password": PASSWORD })),
            Missing("org_not_found"),
        ),
        (Method::GET, "/orgs/acme/invites".into(), None, Missing("org_not_found")),
        (
            Method::POST,
            "/orgs/acme/invites".into(),
            Some(json!({ "email": "b-friend@example.com" })),
            Missing("org_not_found"),
        ),
        (Method::DELETE, format!("/orgs/acme/invites/{invite}"), None, Missing("org_not_found")),
        (Method::POST, format!("/orgs/acme/invites/{invite}/resend"), None, Missing("org_not_found")),
        (Method::DELETE, "/orgs/acme".into(), Some(json!({ "confirm": "acme" })), Missing("org_not_found")),
        // Acme's people and invite, named in B's own organization.
        (
            Method::PATCH,
            format!("/orgs/bravo/members/{a_id}"),
            Some(json!({ "role": "admin" })),
            Missing("member_not_found"),
        ),
        (Method::DELETE, format!("/orgs/bravo/members/{m_id}"), None, Missing("member_not_found")),
        (Method::DELETE, format!("/orgs/bravo/members/{b2_id}?reassignTo={a_id}"), None, Missing("member_not_found")),
        (
            Method::POST,
            "/orgs/bravo/transfer".into(),
            Some(json!({ "userId": a_id, "password": PASSWORD })),
            Missing("member_not_found"),
        ),
        (Method::DELETE, format!("/orgs/bravo/invites/{invite}"), None, Missing("invite_not_found")),
        (Method::POST, format!("/orgs/bravo/invites/{invite}/resend"), None, Missing("invite_not_found")),
        // B's own lists and organizations: nothing of acme's in them.
        (Method::GET, "/jobs".into(), None, Theirs),
        (Method::GET, "/usage".into(), None, Theirs),
        (Method::GET, "/orgs".into(), None, Theirs),
        (Method::GET, "/orgs/current".into(), None, Theirs),
        (Method::GET, "/orgs/bravo".into(), None, Theirs),
        (Method::GET, "/orgs/bravo/members".into(), None, Theirs),
        (Method::GET, "/orgs/bravo/invites".into(), None, Theirs),
    ];

    let mut failures = Vec::new();
    let mut calls = 0;
    for (method, path, body, outcome) in &cases {
        // No header, B's own organization, and acme, which B is not a member of.
        for org in [None, Some("bravo"), Some("acme")] {
            let mut request = acting_in(b.session.send(method.clone(), path), org);
            if let Some(body) = body {
                request = request.json(body);
            }
            let res = request.send().await.unwrap();
            let status = res.status().as_u16();
            let answer = res.text().await.unwrap_or_default();
            let code = serde_json::from_str::<Value>(&answer)
                .ok()
                .and_then(|v| v["error"]["code"].as_str().map(str::to_owned));
            let want = match (org, outcome) {
                (Some("acme"), _) => (404, Some("org_not_found")),
                (_, Missing(code)) => (404, Some(*code)),
                (_, Theirs) => (200, None),
            };
            calls += 1;
            let label = format!("{method} {path} with {ORG}: {org:?}");
            if (status, code.as_deref()) != want {
                failures.push(format!("{label}: got {status} {code:?}, want {want:?}: {answer}"));
            }
            for secret in secrets.iter().filter(|s| answer.contains(**s)) {
                failures.push(format!("{label}: the answer shows acme's {secret:?}: {answer}"));
            }
        }
    }
    assert!(failures.is_empty(), "{} of {calls} calls wrong:\n{}", failures.len(), failures.join("\n"));

    // Acme's objects are untouched, and there for its owner acting in acme...
    let seen = read(acting_in(a.session.get(&format!("/jobs/{job}")), Some("acme"))).await;
    assert_eq!((seen["name"].as_str(), seen["status"].as_str()), (Some(job_name), Some("completed")), "{seen}");
    assert_eq!(seen["orgId"], acme_id.as_str(), "{seen}");
    let res = acting_in(a.session.get(&format!("/files/{file}/download")), Some("acme")).send().await.unwrap();
    assert_eq!(res.status(), 200);
    assert_eq!(&res.bytes().await.unwrap()[..], b"abc");
    let detail = read(a.session.get("/orgs/acme")).await;
    assert_eq!(detail["members"].as_array().map(Vec::len), Some(2), "{detail}");
    let open = read(a.session.get("/orgs/acme/invites")).await;
    assert_eq!(open["invites"][0]["id"], invite.as_str(), "{open}");
    // ...but not for the same owner acting in their personal organization.
    expect_error(get_job(&a.session, None, &job).await, 404, "job_not_found").await;
    let res = a.session.get(&format!("/files/{file}/download")).send().await.unwrap();
    expect_error(res, 404, "file_not_found").await;
}

async fn members_see_their_own_jobs_and_owners_every_job_of_the_organization(app: &TestApp) {
    let a = person(app, "owner").await;
    let m = person(app, "member").await;
    let acme_id = create_org(&a.session, "acme").await;
    add_member(app, &acme_id, &m, OrgRole::Member).await;
    let acme = Some("acme");

    let owners = submit(&a.session, acme, "owners-job").await;
    let members = submit(&m.session, acme, "members-job").await;
    let personal = submit(&m.session, None, "members-personal-job").await;

    // Lists: the member sees their own job of acme, the owner both; each job shows only in the
    // organization it was submitted in.
    assert_eq!(listed(&m.session, acme).await, ids(&[&members]));
    assert_eq!(listed(&a.session, acme).await, ids(&[&owners, &members]));
    assert_eq!(listed(&m.session, None).await, ids(&[&personal]));
    assert!(listed(&a.session, None).await.is_empty(), "the owner's personal organization has no job");

    // One job: members read and change their own; owners anyone's of the organization.
    assert_eq!(get_job(&m.session, acme, &members).await.status(), 200);
    expect_error(get_job(&m.session, acme, &owners).await, 404, "job_not_found").await;
    expect_error(get_job(&m.session, None, &members).await, 404, "job_not_found").await;
    expect_error(get_job(&a.session, None, &members).await, 404, "job_not_found").await;
    let seen = read(acting_in(a.session.get(&format!("/jobs/{members}")), acme)).await;
    assert_eq!((seen["userId"].as_str(), seen["orgId"].as_str()), (Some(m.id.as_str()), Some(acme_id.as_str())));
    let rename = |who: &Session, job: &str| {
        acting_in(who.send(Method::PATCH, &format!("/jobs/{job}")), acme).json(&json!({ "name": "renamed" }))
    };
    assert_eq!(rename(&a.session, &members).send().await.unwrap().status(), 200);
    expect_error(rename(&m.session, &owners).send().await.unwrap(), 404, "job_not_found").await;

    // Usage is the organization's, whoever asks.
    let usage = read(acting_in(m.session.get("/usage"), acme)).await;
    assert_eq!((&usage["activeJobs"], &usage["totalJobs"]), (&json!(2), &json!(2)), "acme's: {usage}");
    assert_eq!(usage["plan"]["id"], "free", "the owner's plan: {usage}");
    let own = read(m.session.get("/usage")).await;
    assert_eq!((&own["activeJobs"], &own["totalJobs"]), (&json!(1), &json!(1)), "the personal one's: {own}");

    // The organization shows its plan and usage, and each member's to its owner...
    let detail = read(a.session.get("/orgs/acme")).await;
    assert_eq!(detail["plan"]["id"], "free", "{detail}");
    assert_eq!((&detail["usage"]["activeJobs"], &detail["usage"]["totalJobs"]), (&json!(2), &json!(2)), "{detail}");
    let per_member: BTreeMap<String, u64> = detail["memberUsage"]
        .as_array()
        .unwrap_or_else(|| panic!("{detail}"))
        .iter()
        .map(|row| (text(&row["userId"]), row["totalJobs"].as_u64().unwrap()))
        .collect();
    assert_eq!(per_member, BTreeMap::from([(a.id.clone(), 1), (m.id.clone(), 1)]), "{detail}");
    // ...and only their own to a member.
    let theirs = read(m.session.get("/orgs/acme")).await;
    let rows = theirs["memberUsage"].as_array().unwrap_or_else(|| panic!("{theirs}"));
    assert_eq!(rows.len(), 1, "{theirs}");
    assert_eq!((&rows[0]["userId"], &rows[0]["totalJobs"]), (&json!(m.id), &json!(1)), "{theirs}");

    // The organization a request acts in, and the caller's role there.
    let current = read(acting_in(m.session.get("/orgs/current"), acme)).await;
    assert_eq!((current["org"]["id"].as_str(), current["role"].as_str()), (Some(acme_id.as_str()), Some("member")));
    let home = read(m.session.get("/orgs/current")).await;
    assert_eq!((&home["org"]["personal"], &home["role"]), (&json!(true), &json!("owner")), "{home}");
    assert_eq!(home["org"]["id"], m.id.as_str(), "a personal organization's id is its owner's: {home}");
    // Naming an organization one is not in, or one that cannot exist, is naming none.
    let too_long = "a".repeat(41);
    let elsewhere = text(&home["org"]["slug"]);
    for bad in ["nowhere", "Not_A_Slug", "", too_long.as_str(), elsewhere.as_str()] {
        let res = acting_in(a.session.get("/jobs"), Some(bad)).send().await.unwrap();
        expect_error(res, 404, "org_not_found").await;
    }

    // Quotas are the organization's: acme's jobs count against acme's plan, not against the
    // personal organizations of the people who submitted them.
    let max = usage["plan"]["maxJobs"].as_u64().unwrap_or_else(|| panic!("the free plan limits jobs: {usage}"));
    for n in 2..max {
        submit(&a.session, acme, &format!("filler-{n}")).await;
    }
    let res = acting_in(m.session.post("/jobs"), acme).json(&json!({ "magnetUri": magnet("one-too-many") }));
    expect_error(res.send().await.unwrap(), 429, "quota_jobs").await;
    submit(&a.session, None, "owners-personal-job").await;
    submit(&m.session, None, "members-second-personal-job").await;

    // Operators see each organization's plan and consumption.
    let support = app.staff("tenancy-support@example.com", Role::Support).await;
    let page = read(support.get("/admin/orgs?q=acme")).await;
    let row = &page["data"][0];
    assert_eq!((row["org"]["slug"].as_str(), row["planId"].as_str()), (Some("acme"), Some("free")), "{page}");
    assert_eq!((&row["activeJobs"], &row["storageBytes"]), (&json!(max), &json!(0)), "{page}");

    // An organization with jobs is not deleted.
    let res = a.session.send(Method::DELETE, "/orgs/acme").json(&json!({ "confirm": "acme" }));
    expect_error(res.send().await.unwrap(), 409, "org_has_jobs").await;
    assert_eq!(listed(&a.session, acme).await.len() as u64, max);
}

/// Makes an API key with `who`'s session acting in `org` (`None`: no header); checks that the
/// key names `org_id` and returns its secret.
async fn key_in(who: &Session, org: Option<&str>, org_id: &str) -> String {
    let scopes = ["jobs:read", "jobs:write", "account:read"];
    let req = acting_in(who.post("/auth/api-keys"), org).json(&json!({ "name": "tenancy key", "scopes": scopes }));
    let res = req.send().await.unwrap();
    assert_eq!(res.status(), 201, "create key: {}", res.text().await.unwrap_or_default());
    let created: Value = res.json().await.unwrap();
    assert_eq!(created["key"]["orgId"], org_id, "{created}");
    text(&created["secret"])
}

async fn api_keys_act_in_their_organization_until_their_owner_is_removed(app: &TestApp) {
    let a = person(app, "key-owner").await;
    let m = person(app, "key-member").await;
    let n = person(app, "key-other-member").await;
    let b = person(app, "key-outsider").await;
    let acme_id = create_org(&a.session, "acme").await;
    create_org(&b.session, "bravo").await;
    add_member(app, &acme_id, &m, OrgRole::Member).await;
    add_member(app, &acme_id, &n, OrgRole::Member).await;
    // Acme runs on its owner's plan.
    let owner: UserId = a.id.parse().unwrap();
    app.core.ports.plans.assign_plan(owner, "pro", app.core.ports.clock.now(), None).await.unwrap();
    let acme = Some("acme");

    let owners = submit(&a.session, acme, "owners-job").await;
    let members = submit(&m.session, acme, "members-job").await;
    let others = submit(&n.session, acme, "other-members-job").await;
    let personal = submit(&m.session, None, "members-personal-job").await;

    // Keys made while acting in acme act in acme, without any header.
    let owner_key = app.key_client(&key_in(&a.session, acme, &acme_id).await);
    let member_key = app.key_client(&key_in(&m.session, acme, &acme_id).await);
    let personal_key = app.key_client(&key_in(&m.session, None, &m.id).await);
    assert_eq!(key_listed(&owner_key, None).await, ids(&[&owners, &members, &others]));
    assert_eq!(key_listed(&member_key, None).await, ids(&[&members]));
    assert_eq!(key_listed(&personal_key, None).await, ids(&[&personal]));
    let current = read(member_key.get("/orgs/current")).await;
    assert_eq!((current["org"]["slug"].as_str(), current["role"].as_str()), (Some("acme"), Some("member")));
    let usage = read(owner_key.get("/usage")).await;
    assert_eq!((&usage["plan"]["id"], &usage["totalJobs"]), (&json!("pro"), &json!(3)), "{usage}");
    // Naming the key's own organization changes nothing; naming another is refused, even one the
    // key's owner belongs to.
    assert_eq!(key_listed(&member_key, acme).await, ids(&[&members]));
    let m_home = text(&read(m.session.get("/orgs/current")).await["org"]["slug"]);
    for other in ["bravo", m_home.as_str()] {
        expect_error(member_key.get("/jobs").header(ORG, other).send().await.unwrap(), 403, "org_mismatch").await;
    }
    expect_error(personal_key.get("/jobs").header(ORG, "acme").send().await.unwrap(), 403, "org_mismatch").await;
    expect_error(member_key.get("/jobs").header(ORG, "nowhere").send().await.unwrap(), 404, "org_not_found").await;
    // What a key submits is its organization's.
    let res = member_key.post("/jobs").json(&json!({ "magnetUri": magnet("by-key") })).send().await.unwrap();
    assert_eq!(res.status(), 201, "submit by key: {}", res.text().await.unwrap_or_default());
    let by_key: Value = res.json().await.unwrap();
    assert_eq!((by_key["orgId"].as_str(), by_key["userId"].as_str()), (Some(acme_id.as_str()), Some(m.id.as_str())));
    let by_key = text(&by_key["id"]);

    // Handing the jobs over takes another member, named by a well-formed id.
    let remove = |who: &str, query: &str| a.session.send(Method::DELETE, &format!("/orgs/acme/members/{who}{query}"));
    expect_error(remove(&m.id, "?reassignTo=not-a-uuid").send().await.unwrap(), 400, "invalid_request").await;
    let res = remove(&m.id, &format!("?reassignTo={}", b.id)).send().await.unwrap();
    expect_error(res, 404, "member_not_found").await;
    let res = remove(&m.id, &format!("?reassignTo={}", m.id)).send().await.unwrap();
    expect_error(res, 400, "invalid_request").await;
    assert_eq!(key_listed(&member_key, None).await, ids(&[&members, &by_key]), "nothing changed yet");

    // Removed with their jobs handed to the owner: the member's acme key stops at once, their
    // session no longer enters acme, and their personal organization and key are untouched.
    assert_eq!(remove(&m.id, &format!("?reassignTo={}", a.id)).send().await.unwrap().status(), 204);
    expect_error(member_key.get("/jobs").send().await.unwrap(), 401, "unauthenticated").await;
    expect_error(acting_in(m.session.get("/jobs"), acme).send().await.unwrap(), 404, "org_not_found").await;
    assert_eq!(listed(&m.session, None).await, ids(&[&personal]));
    assert_eq!(key_listed(&personal_key, None).await, ids(&[&personal]));
    for job in [&members, &by_key] {
        let seen = read(owner_key.get(&format!("/jobs/{job}"))).await;
        assert_eq!((seen["userId"].as_str(), seen["orgId"].as_str()), (Some(a.id.as_str()), Some(acme_id.as_str())));
        expect_error(get_job(&m.session, None, job).await, 404, "job_not_found").await;
    }

    // Removed without handing anything over: the jobs stay in acme with their submitter, whom
    // the organization no longer lets see them.
    assert_eq!(remove(&n.id, "").send().await.unwrap().status(), 204);
    let kept = read(owner_key.get(&format!("/jobs/{others}"))).await;
    assert_eq!((kept["userId"].as_str(), kept["orgId"].as_str()), (Some(n.id.as_str()), Some(acme_id.as_str())));
    expect_error(get_job(&n.session, None, &others).await, 404, "job_not_found").await;
    assert_eq!(key_listed(&owner_key, None).await, ids(&[&owners, &members, &others, &by_key]));
}
