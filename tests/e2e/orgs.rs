//! Organizations over HTTP, with email through a real SMTP server on loopback: the verification
//! link sent at registration; creating organizations and the personal one every account has;
//! invites (only the confirmed, invited address accepts, into exactly the organization named,
//! once; resends replace the link, revokes end it; only hashes are stored); who may do what to
//! members and owners; what non-members see (nothing); the operators' list. Every change lands in
//! the audit log.
//!
//! Invite expiry is not walked here: this server runs on the system clock and
//! `orgs.invite_days` is at least a day. The core's conformance suite covers expired invites with
//! a clock it moves.

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use reqwest::Method;
use serde_json::{Value, json};
use sha2::{Digest, Sha256};
use tseeder::core::domain::Role;

use crate::common::{PASSWORD, Session, TestApp, expect_error, mail_to, on_every_backend, smtp_sink};

/// Where the links in this suite's emails point.
const PUBLIC_URL: &str = "https://orgs.tseeder.test";

on_every_backend!(configured(|config| {
    config.mail.smtp_url = crate::common::smtp_sink().url();
    config.mail.from = "tseeder <noreply@tseeder.test>".into();
    config.auth.public_url = crate::orgs::PUBLIC_URL.into();
    // Each scenario registers several people from one address.
    config.http.register_per_minute = 0;
    config.http.login_per_minute = 0;
}):
    registration_emails_a_link_that_confirms_the_address_once,
    creators_own_their_orgs_and_personal_orgs_take_no_one_else,
    an_invite_joins_its_org_once_for_the_confirmed_invited_address,
    owners_admins_and_members_each_do_what_their_role_allows,
    operators_list_organizations_with_their_size,
);

/// A registered, logged-in account.
struct Person {
    email: String,
    id: String,
    session: Session,
}

/// An address no other scenario (or backend) uses: the SMTP sink is shared.
fn unique_email(name: &str) -> String {
    format!("{name}-{}@example.com", uuid::Uuid::new_v4().simple())
}

/// Eight hex digits, for names and slugs no other scenario uses.
fn short_id() -> String {
    uuid::Uuid::new_v4().simple().to_string()[..8].to_owned()
}

fn unique_slug(prefix: &str) -> String {
    format!("{prefix}-{}", short_id())
}

/// Registers and logs in someone new; their address is not confirmed yet.
async fn person(app: &TestApp, name: &str) -> Person {
    let email = unique_email(name);
    let session = app.register_and_login(&email).await;
    let id = me(&session).await["id"].as_str().expect("an id").to_owned();
    Person { email, id, session }
}

/// [`person`], with the address confirmed through the emailed link.
async fn verified(app: &TestApp, name: &str) -> Person {
    let someone = person(app, name).await;
    confirm_address(app, &someone).await;
    someone
}

/// Follows the first verification link emailed to `someone`.
async fn confirm_address(app: &TestApp, someone: &Person) {
    let token = token_of(&links_to(&someone.email, "/verify", 1).await[0]);
    let res = verify(app, &token).await;
    assert_eq!(res.status(), 200, "verify: {}", res.text().await.unwrap_or_default());
}

/// `POST /auth/verify-email`, without credentials (the token is the proof).
async fn verify(app: &TestApp, token: &str) -> reqwest::Response {
    reqwest::Client::new().post(app.url("/auth/verify-email")).json(&json!({ "token": token })).send().await.unwrap()
}

/// The caller's account, as `GET /auth/me` shows it.
async fn me(session: &Session) -> Value {
    let body: Value = session.get("/auth/me").send().await.unwrap().json().await.unwrap();
    body["user"].clone()
}

/// The links to `path` in the emails the sink received for `to` so far, oldest first.
fn links_now(to: &str, path: &str) -> Vec<String> {
    let prefix = format!("{PUBLIC_URL}{path}?token=");
    smtp_sink()
        .messages()
        .into_iter()
        .filter(|m| m.to.iter().any(|t| t == to))
        .filter_map(|m| m.first_link(&prefix))
        .collect()
}

/// [`links_now`], waiting up to 10 s for at least `count`.
async fn links_to(to: &str, path: &str, count: usize) -> Vec<String> {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let links = links_now(to, path);
        if links.len() >= count {
            return links;
        }
        assert!(Instant::now() < deadline, "{count} emailed links to {path} for {to}; got {links:?}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

fn token_of(link: &str) -> String {
    link.split("token=").nth(1).expect("a token in the link").to_owned()
}

/// Hex SHA-256, computed here rather than by the server's own function.
fn sha256_hex(text: &str) -> String {
    data_encoding::HEXLOWER.encode(&Sha256::digest(text.as_bytes()))
}

fn text(value: &Value) -> String {
    value.as_str().unwrap_or_else(|| panic!("a string: {value}")).to_owned()
}

/// Creates an organization; returns the membership (`{org, role, joinedAt}`).
async fn create_org(owner: &Session, name: &str, slug: &str) -> Value {
    let res = owner.post("/orgs").json(&json!({ "name": name, "slug": slug })).send().await.unwrap();
    assert_eq!(res.status(), 201, "create: {}", res.text().await.unwrap_or_default());
    res.json().await.unwrap()
}

/// Invites `email` as `role`; returns `{invite, emailSent}`.
async fn invite(by: &Session, slug: &str, email: &str, role: &str) -> Value {
    let res =
        by.post(&format!("/orgs/{slug}/invites")).json(&json!({ "email": email, "role": role })).send().await.unwrap();
    assert_eq!(res.status(), 201, "invite: {}", res.text().await.unwrap_or_default());
    res.json().await.unwrap()
}

async fn preview(who: &Session, token: &str) -> reqwest::Response {
    who.post("/orgs/invites/preview").json(&json!({ "token": token })).send().await.unwrap()
}

async fn accept(who: &Session, token: &str, org_id: &str) -> reqwest::Response {
    who.post("/orgs/invites/accept").json(&json!({ "token": token, "orgId": org_id })).send().await.unwrap()
}

/// Invites `who` (whose address is confirmed) to `org` as `role`, and accepts.
async fn join(by: &Session, org: &Value, who: &Person, role: &str) {
    let earlier = links_now(&who.email, "/invite").len();
    invite(by, &text(&org["slug"]), &who.email, role).await;
    let token = token_of(&links_to(&who.email, "/invite", earlier + 1).await[earlier]);
    let res = accept(&who.session, &token, &text(&org["id"])).await;
    assert_eq!(res.status(), 200, "accept: {}", res.text().await.unwrap_or_default());
}

async fn set_role(by: &Session, slug: &str, user: &str, role: &str) -> reqwest::Response {
    by.send(Method::PATCH, &format!("/orgs/{slug}/members/{user}")).json(&json!({ "role": role })).send().await.unwrap()
}

async fn remove(by: &Session, slug: &str, user: &str) -> reqwest::Response {
    by.send(Method::DELETE, &format!("/orgs/{slug}/members/{user}")).send().await.unwrap()
}

/// Every member's role, by email.
async fn roles(by: &Session, slug: &str) -> BTreeMap<String, String> {
    let res = by.get(&format!("/orgs/{slug}/members")).send().await.unwrap();
    assert_eq!(res.status(), 200);
    let body: Value = res.json().await.unwrap();
    body["members"].as_array().unwrap().iter().map(|m| (text(&m["email"]), text(&m["role"]))).collect()
}

/// Asserts that every action was audited.
async fn assert_audited(app: &TestApp, expected: &[&str]) {
    let actions = app.audit_actions().await;
    for action in expected {
        assert!(actions.iter().any(|a| a == action), "{action} not in the audit log: {actions:?}");
    }
}

async fn registration_emails_a_link_that_confirms_the_address_once(app: &TestApp) {
    let alice = person(app, "verify").await;
    assert_eq!(me(&alice.session).await["emailVerified"], false);
    let mail = mail_to(&alice.email, 1).await;
    assert_eq!(mail[0].subject().as_deref(), Some("Confirm your email address for tseeder"));
    let token = token_of(&links_to(&alice.email, "/verify", 1).await[0]);

    // A made-up token is refused; the emailed one confirms the address, with no credentials.
    expect_error(verify(app, &"0".repeat(64)).await, 400, "invalid_verification_token").await;
    let res = verify(app, &token).await;
    assert_eq!(res.status(), 200);
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["user"]["email"], alice.email.as_str());
    assert_eq!(body["user"]["emailVerified"], true);
    assert_eq!(me(&alice.session).await["emailVerified"], true);
    // Once.
    expect_error(verify(app, &token).await, 400, "invalid_verification_token").await;

    // Another link, asked for by session: either link confirms the address and spends the other.
    let bob = person(app, "verify-again").await;
    let res = bob.session.post("/auth/verify-email/resend").send().await.unwrap();
    assert_eq!(res.status(), 200);
    assert_eq!(res.json::<Value>().await.unwrap(), json!({ "emailSent": true }));
    let links = links_to(&bob.email, "/verify", 2).await;
    let (first, second) = (token_of(&links[0]), token_of(&links[1]));
    assert_ne!(first, second);
    assert_eq!(verify(app, &second).await.status(), 200);
    expect_error(verify(app, &first).await, 400, "invalid_verification_token").await;
    assert_eq!(me(&bob.session).await["emailVerified"], true);

    // API keys cannot ask for one.
    let key = app.key_client(&bob.session.api_key(&["account:read"]).await);
    expect_error(key.post("/auth/verify-email/resend").send().await.unwrap(), 403, "session_required").await;

    assert_audited(app, &["user.email_verified"]).await;
}

async fn creators_own_their_orgs_and_personal_orgs_take_no_one_else(app: &TestApp) {
    let alice = person(app, "creator").await;
    let bob = person(app, "second").await;

    // Without a slug, one is made from the name; the creator owns the organization.
    let short = short_id();
    let name = format!("Acme Corp {short}");
    let slug = format!("acme-corp-{short}");
    let res = alice.session.post("/orgs").json(&json!({ "name": name })).send().await.unwrap();
    assert_eq!(res.status(), 201);
    let created: Value = res.json().await.unwrap();
    assert_eq!(created["role"], "owner");
    assert_eq!(created["org"]["slug"], slug.as_str());
    assert_eq!(created["org"]["name"], name.as_str());
    assert_eq!(created["org"]["personal"], false);

    // The personal organization the account came with is listed first.
    let list: Value = alice.session.get("/orgs").send().await.unwrap().json().await.unwrap();
    let orgs = list["orgs"].as_array().unwrap();
    assert_eq!(orgs.len(), 2, "{list}");
    assert_eq!((&orgs[0]["org"]["personal"], &orgs[0]["role"]), (&json!(true), &json!("owner")), "{list}");
    let personal = text(&orgs[0]["org"]["slug"]);
    assert!(personal.starts_with("u-"), "{personal}");
    assert_eq!(orgs[1]["org"]["slug"], slug.as_str());

    // Its only member is its owner.
    let detail: Value = alice.session.get(&format!("/orgs/{slug}")).send().await.unwrap().json().await.unwrap();
    assert_eq!(detail["role"], "owner");
    assert_eq!(detail["members"].as_array().unwrap().len(), 1, "{detail}");
    assert_eq!(detail["members"][0]["userId"], alice.id.as_str());
    assert_eq!(detail["members"][0]["email"], alice.email.as_str());
    assert_eq!(detail["members"][0]["role"], "owner");

    // Slugs are unique and well-formed; `u-` is kept for personal organizations, and the API's
    // own paths beside `/orgs/{slug}` are never slugs.
    let taken = bob.session.post("/orgs").json(&json!({ "name": "Another", "slug": slug })).send().await.unwrap();
    expect_error(taken, 409, "slug_taken").await;
    let reserved = format!("u-{short}");
    for bad in ["Has Caps", "a--b", "-ab", "ab", reserved.as_str(), "current", "invites"] {
        let res = bob.session.post("/orgs").json(&json!({ "name": "Another", "slug": bad })).send().await.unwrap();
        expect_error(res, 400, "invalid_slug").await;
    }
    let nameless = bob.session.post("/orgs").json(&json!({ "name": "!!" })).send().await.unwrap();
    expect_error(nameless, 400, "invalid_slug").await;
    let current = bob.session.post("/orgs").json(&json!({ "name": "Current" })).send().await.unwrap();
    expect_error(current, 400, "invalid_slug").await;

    // The personal organization takes no invites, and can be neither deleted nor left.
    let res = alice.session.post(&format!("/orgs/{personal}/invites")).json(&json!({ "email": bob.email }));
    expect_error(res.send().await.unwrap(), 409, "personal_org").await;
    let res = alice.session.send(Method::DELETE, &format!("/orgs/{personal}")).json(&json!({ "confirm": personal }));
    expect_error(res.send().await.unwrap(), 409, "personal_org").await;
    expect_error(alice.session.post(&format!("/orgs/{personal}/leave")).send().await.unwrap(), 409, "personal_org")
        .await;

    // Renaming keeps the slug.
    let res = alice.session.send(Method::PATCH, &format!("/orgs/{slug}")).json(&json!({ "name": "Acme Renamed" }));
    let res = res.send().await.unwrap();
    assert_eq!(res.status(), 200);
    let renamed: Value = res.json().await.unwrap();
    assert_eq!((renamed["name"].as_str(), renamed["slug"].as_str()), (Some("Acme Renamed"), Some(slug.as_str())));

    // Deleting takes the slug typed again.
    let res = alice.session.send(Method::DELETE, &format!("/orgs/{slug}")).json(&json!({ "confirm": "acme" }));
    expect_error(res.send().await.unwrap(), 400, "confirmation_mismatch").await;
    let res = alice.session.send(Method::DELETE, &format!("/orgs/{slug}")).json(&json!({ "confirm": slug }));
    assert_eq!(res.send().await.unwrap().status(), 204);
    expect_error(alice.session.get(&format!("/orgs/{slug}")).send().await.unwrap(), 404, "org_not_found").await;
    // A slug that cannot exist is simply not found.
    expect_error(alice.session.get("/orgs/Not_A_Slug").send().await.unwrap(), 404, "org_not_found").await;

    assert_audited(app, &["org.created", "org.renamed", "org.deleted"]).await;
}

async fn an_invite_joins_its_org_once_for_the_confirmed_invited_address(app: &TestApp) {
    let alice = person(app, "inviter").await;
    let org = create_org(&alice.session, "Invited", &unique_slug("invited")).await["org"].clone();
    let elsewhere = create_org(&alice.session, "Elsewhere", &unique_slug("elsewhere")).await["org"].clone();
    let (slug, org_id) = (text(&org["slug"]), text(&org["id"]));
    let bob = person(app, "invitee").await;

    let sent = invite(&alice.session, &slug, &bob.email, "member").await;
    assert_eq!(sent["emailSent"], true);
    assert_eq!(sent["invite"]["email"], bob.email.as_str());
    assert_eq!(sent["invite"]["role"], "member");
    assert_eq!(sent["invite"]["expired"], false);
    let token = token_of(&links_to(&bob.email, "/invite", 1).await[0]);
    assert!(!sent.to_string().contains(&token), "the token is only in the email: {sent}");
    let mail = mail_to(&bob.email, 2).await;
    assert!(mail.iter().any(|m| m.subject().as_deref() == Some("Join Invited on tseeder")), "the invite email");

    // The table keeps the token's SHA-256, never the token.
    let stored = app.stored_invite_hashes().await;
    assert!(!stored.contains(&token), "no plaintext token in org_invites");
    assert!(stored.contains(&sha256_hex(&token)), "the token's hash is stored");

    // Whoever holds the link sees what it offers.
    let res = preview(&bob.session, &token).await;
    assert_eq!(res.status(), 200);
    let offered: Value = res.json().await.unwrap();
    assert_eq!(offered["orgId"], org_id.as_str());
    assert_eq!(offered["orgSlug"], slug.as_str());
    assert_eq!(offered["orgName"], "Invited");
    assert_eq!(offered["role"], "member");
    assert_eq!(offered["email"], bob.email.as_str());
    assert_eq!(offered["inviterEmail"], alice.email.as_str());

    // Not before the invited address is confirmed...
    expect_error(accept(&bob.session, &token, &org_id).await, 403, "email_unverified").await;
    confirm_address(app, &bob).await;
    // ...never by another account, even a confirmed one...
    let carol = verified(app, "bystander").await;
    expect_error(accept(&carol.session, &token, &org_id).await, 403, "invite_email_mismatch").await;
    // ...and never into another organization than the invite's: the invitee joins neither.
    expect_error(accept(&bob.session, &token, &text(&elsewhere["id"])).await, 400, "invalid_invite").await;
    for other in [&slug, &text(&elsewhere["slug"])] {
        expect_error(bob.session.get(&format!("/orgs/{other}")).send().await.unwrap(), 404, "org_not_found").await;
    }

    // The invited, confirmed account joins with the invite's role, once.
    let res = accept(&bob.session, &token, &org_id).await;
    assert_eq!(res.status(), 200);
    let joined: Value = res.json().await.unwrap();
    assert_eq!((joined["org"]["slug"].as_str(), joined["role"].as_str()), (Some(slug.as_str()), Some("member")));
    let detail: Value = bob.session.get(&format!("/orgs/{slug}")).send().await.unwrap().json().await.unwrap();
    assert_eq!(detail["role"], "member");
    expect_error(accept(&bob.session, &token, &org_id).await, 400, "invalid_invite").await;
    expect_error(preview(&bob.session, &token).await, 400, "invalid_invite").await;
    let res = alice.session.post(&format!("/orgs/{slug}/invites")).json(&json!({ "email": bob.email }));
    expect_error(res.send().await.unwrap(), 409, "already_member").await;

    // A resend replaces the link: the old token stops working, the new one works.
    let dave = verified(app, "resent").await;
    let sent = invite(&alice.session, &slug, &dave.email, "admin").await;
    let id = text(&sent["invite"]["id"]);
    let again = alice.session.post(&format!("/orgs/{slug}/invites")).json(&json!({ "email": dave.email }));
    expect_error(again.send().await.unwrap(), 409, "invite_pending").await;
    let res = alice.session.post(&format!("/orgs/{slug}/invites/{id}/resend")).send().await.unwrap();
    assert_eq!(res.status(), 200);
    let resent: Value = res.json().await.unwrap();
    assert_eq!((resent["invite"]["id"].as_str(), &resent["emailSent"]), (Some(id.as_str()), &json!(true)));
    let links = links_to(&dave.email, "/invite", 2).await;
    let (old, new) = (token_of(&links[0]), token_of(&links[1]));
    assert_ne!(old, new);
    expect_error(preview(&dave.session, &old).await, 400, "invalid_invite").await;
    expect_error(accept(&dave.session, &old, &org_id).await, 400, "invalid_invite").await;
    let res = accept(&dave.session, &new, &org_id).await;
    assert_eq!(res.status(), 200);
    assert_eq!(res.json::<Value>().await.unwrap()["role"], "admin");

    // A revoked invite's link stops working at once.
    let erin = verified(app, "revoked").await;
    let sent = invite(&alice.session, &slug, &erin.email, "member").await;
    let id = text(&sent["invite"]["id"]);
    let token = token_of(&links_to(&erin.email, "/invite", 1).await[0]);
    let open: Value = alice.session.get(&format!("/orgs/{slug}/invites")).send().await.unwrap().json().await.unwrap();
    let invites = open["invites"].as_array().unwrap();
    assert_eq!(invites.len(), 1, "accepted invites are not open: {open}");
    assert_eq!(
        (invites[0]["id"].as_str(), invites[0]["email"].as_str()),
        (Some(id.as_str()), Some(erin.email.as_str()))
    );
    assert_eq!(invites[0]["expired"], false);
    assert!(!open.to_string().contains(&token), "{open}");
    let revoke = |invite: &str| alice.session.send(Method::DELETE, &format!("/orgs/{slug}/invites/{invite}"));
    assert_eq!(revoke(&id).send().await.unwrap().status(), 204);
    expect_error(accept(&erin.session, &token, &org_id).await, 400, "invalid_invite").await;
    let open: Value = alice.session.get(&format!("/orgs/{slug}/invites")).send().await.unwrap().json().await.unwrap();
    assert_eq!(open, json!({ "invites": [] }));
    expect_error(revoke(&id).send().await.unwrap(), 404, "invite_not_found").await;
    let res = alice.session.post(&format!("/orgs/{slug}/invites/{id}/resend")).send().await.unwrap();
    expect_error(res, 404, "invite_not_found").await;
    // Malformed invite ids are refused before anything is looked up.
    expect_error(revoke("not-a-uuid").send().await.unwrap(), 400, "invalid_request").await;

    assert_audited(app, &["org.invite_sent", "org.invite_accepted", "org.invite_resent", "org.invite_revoked"]).await;
}

async fn owners_admins_and_members_each_do_what_their_role_allows(app: &TestApp) {
    let owner = person(app, "owner").await;
    let admin = verified(app, "admin").await;
    let member = verified(app, "member").await;
    let outsider = person(app, "outsider").await;
    let org = create_org(&owner.session, "Roles", &unique_slug("roles")).await["org"].clone();
    let slug = text(&org["slug"]);
    join(&owner.session, &org, &admin, "admin").await;
    join(&owner.session, &org, &member, "member").await;
    let path = |rest: &str| format!("/orgs/{slug}{rest}");

    // The last owner can be neither demoted nor removed, and cannot leave.
    expect_error(set_role(&owner.session, &slug, &owner.id, "admin").await, 409, "last_owner").await;
    expect_error(remove(&owner.session, &slug, &owner.id).await, 409, "last_owner").await;
    expect_error(owner.session.post(&path("/leave")).send().await.unwrap(), 409, "last_owner").await;

    // Admins manage members and admins, never owners; nobody invites an owner.
    expect_error(set_role(&admin.session, &slug, &member.id, "owner").await, 403, "insufficient_role").await;
    expect_error(set_role(&admin.session, &slug, &owner.id, "member").await, 403, "insufficient_role").await;
    expect_error(remove(&admin.session, &slug, &owner.id).await, 403, "insufficient_role").await;
    let res = owner.session.post(&path("/invites")).json(&json!({ "email": unique_email("owner"), "role": "owner" }));
    expect_error(res.send().await.unwrap(), 403, "insufficient_role").await;
    let res = set_role(&admin.session, &slug, &member.id, "admin").await;
    assert_eq!(res.status(), 200);
    let promoted: Value = res.json().await.unwrap();
    assert_eq!((promoted["userId"].as_str(), promoted["role"].as_str()), (Some(member.id.as_str()), Some("admin")));
    assert_eq!(set_role(&admin.session, &slug, &member.id, "member").await.status(), 200);

    // Members read, and nothing more.
    assert_eq!(roles(&member.session, &slug).await.len(), 3);
    let res = member.session.post(&path("/invites")).json(&json!({ "email": unique_email("friend") }));
    expect_error(res.send().await.unwrap(), 403, "insufficient_role").await;
    let res = member.session.send(Method::PATCH, &path("")).json(&json!({ "name": "Mine now" }));
    expect_error(res.send().await.unwrap(), 403, "insufficient_role").await;
    expect_error(member.session.get(&path("/invites")).send().await.unwrap(), 403, "insufficient_role").await;

    // To anyone else the organization does not exist, whatever they try.
    let pending = invite(&owner.session, &slug, &unique_email("pending"), "member").await;
    let invite_id = text(&pending["invite"]["id"]);
    let o = &outsider.session;
    let attempts = [
        ("get", o.get(&path(""))),
        ("list members", o.get(&path("/members"))),
        ("rename", o.send(Method::PATCH, &path("")).json(&json!({ "name": "Taken over" }))),
        ("delete", o.send(Method::DELETE, &path("")).json(&json!({ "confirm": slug }))),
        ("list invites", o.get(&path("/invites"))),
        ("invite", o.post(&path("/invites")).json(&json!({ "email": outsider.email }))),
        (
            "set a role",
            o.send(Method::PATCH, &path(&format!("/members/{}", member.id))).json(&json!({ "role": "admin" })),
        ),
        ("remove a member", o.send(Method::DELETE, &path(&format!("/members/{}", member.id)))),
        ("leave", o.post(&path("/leave"))),
        ("transfer", o.post(&path("/transfer")).json(&json!({ "userId": outsider.id, "password": PASSWORD }))),
        ("revoke an invite", o.send(Method::DELETE, &path(&format!("/invites/{invite_id}")))),
        ("resend an invite", o.post(&path(&format!("/invites/{invite_id}/resend")))),
    ];
    for (what, request) in attempts {
        let res = request.send().await.unwrap();
        let status = res.status().as_u16();
        let body: Value = res.json().await.unwrap_or(Value::Null);
        assert_eq!((status, body["error"]["code"].as_str()), (404, Some("org_not_found")), "{what}: {body}");
    }

    // Malformed user ids are refused at the edge; unknown ones are not members.
    expect_error(set_role(&owner.session, &slug, "not-a-uuid", "admin").await, 400, "invalid_request").await;
    let nobody = uuid::Uuid::new_v4().to_string();
    expect_error(set_role(&owner.session, &slug, &nobody, "admin").await, 404, "member_not_found").await;

    // Ownership moves with the owner's password only, and swaps the two roles.
    let transfer = |password: &str| {
        owner.session.post(&path("/transfer")).json(&json!({ "userId": member.id, "password": password }))
    };
    expect_error(transfer("not the password 1").send().await.unwrap(), 403, "wrong_password").await;
    assert_eq!(roles(&owner.session, &slug).await[&owner.email], "owner");
    assert_eq!(transfer(PASSWORD).send().await.unwrap().status(), 204);
    let now = roles(&member.session, &slug).await;
    assert_eq!((now[&member.email].as_str(), now[&owner.email].as_str()), ("owner", "admin"), "{now:?}");
    // Deleting is the owners'.
    let res = owner.session.send(Method::DELETE, &path("")).json(&json!({ "confirm": slug }));
    expect_error(res.send().await.unwrap(), 403, "insufficient_role").await;

    // A removed member loses access at once.
    assert_eq!(remove(&member.session, &slug, &admin.id).await.status(), 204);
    expect_error(admin.session.get(&path("")).send().await.unwrap(), 404, "org_not_found").await;
    let theirs: Value = admin.session.get("/orgs").send().await.unwrap().json().await.unwrap();
    assert!(!theirs.to_string().contains(&slug), "{theirs}");
    // Anyone but the last owner may leave.
    assert_eq!(owner.session.post(&path("/leave")).send().await.unwrap().status(), 204);
    expect_error(owner.session.get(&path("")).send().await.unwrap(), 404, "org_not_found").await;
    assert_eq!(roles(&member.session, &slug).await.into_keys().collect::<Vec<_>>(), vec![member.email.clone()]);

    assert_audited(
        app,
        &[
            "org.created",
            "org.invite_sent",
            "org.invite_accepted",
            "org.member_role_changed",
            "org.ownership_transferred",
            "org.member_removed",
            "org.member_left",
        ],
    )
    .await;
}

async fn operators_list_organizations_with_their_size(app: &TestApp) {
    let owner = person(app, "listed").await;
    let bob = verified(app, "listed-member").await;
    let slug = unique_slug("listed");
    let org = create_org(&owner.session, "Listed", &slug).await["org"].clone();
    join(&owner.session, &org, &bob, "member").await;

    // Customers are refused.
    expect_error(owner.session.get("/admin/orgs").send().await.unwrap(), 403, "insufficient_role").await;

    for role in [Role::Support, Role::Admin] {
        let staff = app.staff(&unique_email("staff"), role).await;
        let res = staff.get(&format!("/admin/orgs?q={slug}")).send().await.unwrap();
        assert_eq!(res.status(), 200, "{role:?}");
        let page: Value = res.json().await.unwrap();
        assert_eq!(page["meta"]["total"], 1, "{page}");
        let entry = &page["data"][0];
        assert_eq!(entry["org"]["slug"], slug.as_str());
        assert_eq!(entry["members"], 2, "{entry}");
        assert_eq!(entry["ownerEmail"], owner.email.as_str());
        // Personal organizations are not listed.
        let all: Value = staff.get("/admin/orgs?limit=100").send().await.unwrap().json().await.unwrap();
        let listed = all["data"].as_array().unwrap();
        assert!(!listed.is_empty() && listed.iter().all(|e| e["org"]["personal"] == false), "{all}");

        // Staff read any organization, with no role of theirs in it (absent, not null)...
        let res = staff.get(&format!("/orgs/{slug}")).send().await.unwrap();
        assert_eq!(res.status(), 200);
        let detail: Value = res.json().await.unwrap();
        assert!(detail.get("role").is_none(), "{detail}");
        assert_eq!(detail["members"].as_array().unwrap().len(), 2, "{detail}");
        // ...and change nothing in it.
        let res = staff.send(Method::PATCH, &format!("/orgs/{slug}")).json(&json!({ "name": "Staff was here" }));
        expect_error(res.send().await.unwrap(), 404, "org_not_found").await;
    }
}
