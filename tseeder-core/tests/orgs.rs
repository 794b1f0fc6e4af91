//! The organization rules over the in-memory ports, with a clock the tests move: roles, the
//! last-owner rule, invites (expiry, single use, resend, revocation, the verified-email and
//! exact-organization checks) and email verification. The same rules run against SQLite and
//! PostgreSQL through the HTTP API in the end-to-end tests.

#![allow(clippy::unwrap_used, reason = "tests: a panic is a test failure")]

use std::sync::Arc;

use chrono::{DateTime, Duration, Utc};
use tseeder_core::auth::{Credential, Principal};
use tseeder_core::domain::{OrgRole, Role, SessionId, User};
use tseeder_core::error::ServiceError;
use tseeder_core::services::job::{ListJobs, SubmitJob, SubmitSource};
use tseeder_core::services::{CoreConfig, RequestMeta, Tseeder};
use tseeder_core::testing::{InMemoryDb, ManualClock, RecordingMailer};

fn start() -> DateTime<Utc> {
    "2026-12-06T12:00:00Z".parse().unwrap()
}

struct World {
    core: Tseeder,
    clock: Arc<ManualClock>,
    mail: Arc<RecordingMailer>,
}

fn world() -> World {
    let clock = Arc::new(ManualClock::new(start()));
    let mail = Arc::new(RecordingMailer::default());
    let mut ports = InMemoryDb::new().ports(Arc::<ManualClock>::clone(&clock));
    ports.mailer = Arc::<RecordingMailer>::clone(&mail);
    World { core: Tseeder::new(ports, CoreConfig::default()), clock, mail }
}

fn meta() -> RequestMeta {
    RequestMeta::default()
}

fn session(user: &User) -> Principal {
    Principal::new(user, Credential::Session(SessionId::new()))
}

fn code(e: ServiceError) -> &'static str {
    e.code().as_str()
}

/// The token of the last link to `path` emailed to `to`.
fn token_in_mail(mail: &RecordingMailer, to: &str, path: &str) -> String {
    let sent = mail.sent();
    let email = sent.iter().rev().find(|e| e.to == to && e.text.contains(path)).expect("an email with the link");
    let start = email.text.find(&format!("{path}?token=")).unwrap() + path.len() + "?token=".len();
    email.text[start..].chars().take_while(char::is_ascii_hexdigit).collect()
}

impl World {
    /// Registers a user (as the web form does) and, when `verified`, follows the emailed link.
    async fn user(&self, email: &str, verified: bool) -> User {
        let user = self.core.accounts.register(email, "password123", &meta()).await.unwrap();
        assert!(user.email_verified_at.is_none(), "registration leaves the address unconfirmed");
        if !verified {
            return user;
        }
        tokio::task::yield_now().await;
        self.mail.wait_for(email).await;
        let token = token_in_mail(&self.mail, email, "/verify");
        let verified = self.core.accounts.verify_email(&token, &meta()).await.unwrap();
        assert!(verified.email_verified_at.is_some());
        verified
    }

    /// Invites `email` to `slug` as `role`, returning the emailed token.
    async fn invite(&self, by: &User, slug: &str, email: &str, role: OrgRole) -> String {
        let sent = self.core.orgs.invite(&session(by), slug, email, role, &meta()).await.unwrap();
        assert!(sent.emailed);
        token_in_mail(&self.mail, &email.to_lowercase(), "/invite")
    }
}

#[tokio::test]
async fn every_account_owns_a_personal_organization_that_takes_no_members() {
    let w = world();
    let alice = w.user("alice@example.com", true).await;
    let mine = w.core.orgs.list_mine(&session(&alice)).await.unwrap();
    assert_eq!(mine.len(), 1);
    let personal = &mine[0];
    assert!(personal.org.personal);
    assert_eq!(personal.role, OrgRole::Owner);
    assert_eq!(personal.org.id.0, alice.id.0);
    let slug = personal.org.slug.to_string();

    let e = w.core.orgs.invite(&session(&alice), &slug, "bob@example.com", OrgRole::Member, &meta()).await;
    assert_eq!(code(e.unwrap_err()), "personal_org");
    let e = w.core.orgs.leave(&session(&alice), &slug, &meta()).await;
    assert_eq!(code(e.unwrap_err()), "personal_org");
    let e = w.core.orgs.delete(&session(&alice), &slug, &slug, &meta()).await;
    assert_eq!(code(e.unwrap_err()), "personal_org");
}

#[tokio::test]
async fn creating_an_organization_makes_the_creator_its_owner_and_slugs_are_unique() {
    let w = world();
    let alice = w.user("alice@example.com", false).await;
    let bob = w.user("bob@example.com", false).await;
    let acme = w.core.orgs.create(&session(&alice), "Acme Corp", None, &meta()).await.unwrap();
    assert_eq!(acme.org.slug.as_str(), "acme-corp");
    assert_eq!(acme.role, OrgRole::Owner);
    let e = w.core.orgs.create(&session(&bob), "Other", Some("acme-corp"), &meta()).await.unwrap_err();
    assert_eq!(code(e), "slug_taken");
    for bad in ["u-reserved", "A!", "ab"] {
        let e = w.core.orgs.create(&session(&bob), "Other", Some(bad), &meta()).await.unwrap_err();
        assert_eq!(code(e), "invalid_slug", "{bad}");
    }
    // A key cannot manage organizations.
    let key = Principal {
        credential: Credential::ApiKey { id: Default::default(), scopes: tseeder_core::domain::Scope::ALL.to_vec() },
        ..session(&bob)
    };
    assert_eq!(code(w.core.orgs.create(&key, "Keyed", None, &meta()).await.unwrap_err()), "session_required");
    // Someone else's organization does not exist for bob.
    assert_eq!(code(w.core.orgs.get(&session(&bob), "acme-corp").await.unwrap_err()), "org_not_found");
}

#[tokio::test]
async fn an_invite_is_accepted_once_by_the_verified_invitee_into_exactly_its_organization() {
    let w = world();
    let alice = w.user("alice@example.com", true).await;
    let bob = w.user("bob@example.com", false).await;
    let carol = w.user("carol@example.com", true).await;
    let acme = w.core.orgs.create(&session(&alice), "Acme", None, &meta()).await.unwrap().org;
    let other = w.core.orgs.create(&session(&alice), "Other", None, &meta()).await.unwrap().org;
    let token = w.invite(&alice, "acme", "Bob@Example.com", OrgRole::Member).await;

    // The preview names the organization the invite joins.
    let preview = w.core.orgs.preview_invite(&session(&bob), &token).await.unwrap();
    assert_eq!(preview.org.id, acme.id);
    assert_eq!(preview.inviter_email, "alice@example.com");
    assert_eq!(preview.invite.email, "bob@example.com");

    // Not before bob confirms his address.
    let e = w.core.orgs.accept_invite(&session(&bob), &token, acme.id, &meta()).await.unwrap_err();
    assert_eq!(code(e), "email_unverified");
    // Never by another account, verified or not.
    let e = w.core.orgs.accept_invite(&session(&carol), &token, acme.id, &meta()).await.unwrap_err();
    assert_eq!(code(e), "invite_email_mismatch");

    w.core.accounts.request_email_verification(&session(&bob)).await.unwrap();
    w.mail.wait_for_count("bob@example.com", 2).await;
    let verify = token_in_mail(&w.mail, "bob@example.com", "/verify");
    w.core.accounts.verify_email(&verify, &meta()).await.unwrap();
    let e = w.core.accounts.verify_email(&verify, &meta()).await.unwrap_err();
    assert_eq!(code(e), "invalid_verification_token", "a confirmation link works once");

    // The page showed Acme: the invite cannot join another organization.
    let e = w.core.orgs.accept_invite(&session(&bob), &token, other.id, &meta()).await.unwrap_err();
    assert_eq!(code(e), "invalid_invite");
    assert_eq!(code(w.core.orgs.get(&session(&bob), "other").await.unwrap_err()), "org_not_found");

    let joined = w.core.orgs.accept_invite(&session(&bob), &token, acme.id, &meta()).await.unwrap();
    assert_eq!((joined.org.id, joined.role), (acme.id, OrgRole::Member));
    let e = w.core.orgs.accept_invite(&session(&bob), &token, acme.id, &meta()).await.unwrap_err();
    assert_eq!(code(e), "invalid_invite", "an invite works once");
    let members = w.core.orgs.members(&session(&bob), "acme").await.unwrap();
    assert_eq!(
        members.iter().map(|m| (m.email.as_str(), m.role)).collect::<Vec<_>>(),
        [("alice@example.com", OrgRole::Owner), ("bob@example.com", OrgRole::Member)]
    );
    let e = w.core.orgs.invite(&session(&alice), "acme", "bob@example.com", OrgRole::Member, &meta()).await;
    assert_eq!(code(e.unwrap_err()), "already_member");
}

#[tokio::test]
async fn invites_expire_and_a_resend_or_revocation_kills_the_old_link() {
    let w = world();
    let alice = w.user("alice@example.com", true).await;
    let bob = w.user("bob@example.com", true).await;
    let acme = w.core.orgs.create(&session(&alice), "Acme", None, &meta()).await.unwrap().org;

    let first = w.invite(&alice, "acme", "bob@example.com", OrgRole::Admin).await;
    let e = w.core.orgs.invite(&session(&alice), "acme", "bob@example.com", OrgRole::Member, &meta()).await;
    assert_eq!(code(e.unwrap_err()), "invite_pending");
    let invite = w.core.orgs.invites(&session(&alice), "acme").await.unwrap().remove(0);
    w.core.orgs.resend_invite(&session(&alice), "acme", invite.id, &meta()).await.unwrap();
    let second = token_in_mail(&w.mail, "bob@example.com", "/invite");
    assert_ne!(first, second);
    let e = w.core.orgs.accept_invite(&session(&bob), &first, acme.id, &meta()).await.unwrap_err();
    assert_eq!(code(e), "invalid_invite", "a resend replaces the token");

    // Seven days later the resent link has expired too.
    w.clock.advance(Duration::days(7) + Duration::seconds(1));
    let e = w.core.orgs.accept_invite(&session(&bob), &second, acme.id, &meta()).await.unwrap_err();
    assert_eq!(code(e), "invalid_invite", "expired");

    // A fresh one, revoked before use.
    w.core.orgs.resend_invite(&session(&alice), "acme", invite.id, &meta()).await.unwrap();
    let third = token_in_mail(&w.mail, "bob@example.com", "/invite");
    w.core.orgs.revoke_invite(&session(&alice), "acme", invite.id, &meta()).await.unwrap();
    let e = w.core.orgs.accept_invite(&session(&bob), &third, acme.id, &meta()).await.unwrap_err();
    assert_eq!(code(e), "invalid_invite", "revoked");
    let e = w.core.orgs.revoke_invite(&session(&alice), "acme", invite.id, &meta()).await.unwrap_err();
    assert_eq!(code(e), "invite_not_found");
    assert!(w.core.orgs.invites(&session(&alice), "acme").await.unwrap().is_empty());
}

#[tokio::test]
async fn an_organization_always_keeps_an_owner_and_admins_never_touch_owners() {
    let w = world();
    let alice = w.user("alice@example.com", true).await;
    let bob = w.user("bob@example.com", true).await;
    let carol = w.user("carol@example.com", true).await;
    let acme = w.core.orgs.create(&session(&alice), "Acme", None, &meta()).await.unwrap().org;
    for (who, role) in [(&bob, OrgRole::Admin), (&carol, OrgRole::Member)] {
        let token = w.invite(&alice, "acme", &who.email, role).await;
        w.core.orgs.accept_invite(&session(who), &token, acme.id, &meta()).await.unwrap();
    }

    // The last owner cannot step down, be removed or leave.
    let e = w.core.orgs.set_role(&session(&alice), "acme", alice.id, OrgRole::Admin, &meta()).await;
    assert_eq!(code(e.unwrap_err()), "last_owner");
    let e = w.core.orgs.leave(&session(&alice), "acme", &meta()).await;
    assert_eq!(code(e.unwrap_err()), "last_owner");
    let e = w.core.orgs.remove_member(&session(&alice), "acme", alice.id, None, &meta()).await;
    assert_eq!(code(e.unwrap_err()), "last_owner");

    // An admin manages members but never owners.
    let e = w.core.orgs.set_role(&session(&bob), "acme", carol.id, OrgRole::Owner, &meta()).await;
    assert_eq!(code(e.unwrap_err()), "insufficient_role");
    let e = w.core.orgs.set_role(&session(&bob), "acme", alice.id, OrgRole::Member, &meta()).await;
    assert_eq!(code(e.unwrap_err()), "insufficient_role");
    let e = w.core.orgs.remove_member(&session(&bob), "acme", alice.id, None, &meta()).await;
    assert_eq!(code(e.unwrap_err()), "insufficient_role");
    let e = w.core.orgs.invite(&session(&bob), "acme", "dave@example.com", OrgRole::Owner, &meta()).await;
    assert_eq!(code(e.unwrap_err()), "insufficient_role");
    // A member manages nothing.
    let e = w.core.orgs.invite(&session(&carol), "acme", "dave@example.com", OrgRole::Member, &meta()).await;
    assert_eq!(code(e.unwrap_err()), "insufficient_role");
    let e = w.core.orgs.rename(&session(&carol), "acme", "Mine now", &meta()).await;
    assert_eq!(code(e.unwrap_err()), "insufficient_role");

    // Ownership moves only with the password, in one step.
    let e = w.core.orgs.transfer_ownership(&session(&alice), "acme", bob.id, "wrong-password1", &meta()).await;
    assert_eq!(code(e.unwrap_err()), "wrong_password");
    w.core.orgs.transfer_ownership(&session(&alice), "acme", bob.id, "password123", &meta()).await.unwrap();
    let roles: Vec<_> =
        w.core.orgs.members(&session(&alice), "acme").await.unwrap().into_iter().map(|m| (m.email, m.role)).collect();
    assert!(roles.contains(&("bob@example.com".into(), OrgRole::Owner)));
    assert!(roles.contains(&("alice@example.com".into(), OrgRole::Admin)));

    // Removing a member ends their access at once.
    w.core.orgs.remove_member(&session(&bob), "acme", carol.id, None, &meta()).await.unwrap();
    assert_eq!(code(w.core.orgs.get(&session(&carol), "acme").await.unwrap_err()), "org_not_found");

    // Deleting needs the owner and the slug typed again.
    let e = w.core.orgs.delete(&session(&alice), "acme", "acme", &meta()).await;
    assert_eq!(code(e.unwrap_err()), "insufficient_role");
    let e = w.core.orgs.delete(&session(&bob), "acme", "acm", &meta()).await;
    assert_eq!(code(e.unwrap_err()), "confirmation_mismatch");
    w.core.orgs.delete(&session(&bob), "acme", "acme", &meta()).await.unwrap();
    assert_eq!(code(w.core.orgs.get(&session(&bob), "acme").await.unwrap_err()), "org_not_found");
}

#[tokio::test]
async fn an_organization_sends_a_limited_number_of_invites_an_hour() {
    let w = world();
    let alice = w.user("alice@example.com", true).await;
    w.core.orgs.create(&session(&alice), "Acme", None, &meta()).await.unwrap();
    for i in 0..20 {
        w.core
            .orgs
            .invite(&session(&alice), "acme", &format!("p{i}@example.com"), OrgRole::Member, &meta())
            .await
            .unwrap();
    }
    let e = w.core.orgs.invite(&session(&alice), "acme", "late@example.com", OrgRole::Member, &meta()).await;
    assert_eq!(code(e.unwrap_err()), "rate_limited");
    w.clock.advance(Duration::minutes(61));
    w.core.orgs.invite(&session(&alice), "acme", "late@example.com", OrgRole::Member, &meta()).await.unwrap();
}

#[tokio::test]
async fn staff_list_every_shared_organization_and_users_may_not() {
    let w = world();
    let alice = w.user("alice@example.com", true).await;
    w.core.orgs.create(&session(&alice), "Acme", None, &meta()).await.unwrap();
    let admin = w.core.accounts.create_user("ops@example.com", "password123", Role::Admin).await.unwrap();
    assert!(admin.email_verified_at.is_some(), "operator-made accounts count as confirmed");
    let page = w.core.orgs.list_all(&session(&admin), None, Default::default()).await.unwrap();
    assert_eq!(page.items.len(), 1, "personal organizations are not listed");
    let row = &page.items[0].summary;
    assert_eq!((row.members, row.owner_email.as_str()), (1, "alice@example.com"));
    let e = w.core.orgs.list_all(&session(&alice), None, Default::default()).await.unwrap_err();
    assert_eq!(code(e), "insufficient_role");
}

/// A two-file torrent with its own infohash per `seed`.
fn torrent(seed: u8) -> Vec<u8> {
    let mut out = b"d4:infod5:filesld6:lengthi3e4:pathl5:a.bineed6:lengthi5e4:pathl5:b.bineee".to_vec();
    out.extend_from_slice(b"4:name4:pair12:piece lengthi16384e6:pieces20:");
    out.extend_from_slice(&[seed; 20]);
    out.extend_from_slice(b"ee");
    out
}

impl World {
    async fn submit(&self, who: &Principal, seed: u8) -> tseeder_core::domain::Job {
        let request = SubmitJob {
            source: SubmitSource::Torrent(torrent(seed)),
            name: None,
            idempotency_key: None,
            files: None,
            region_hint: None,
        };
        self.core.jobs.submit(who, request, &meta()).await.unwrap().job
    }

    async fn listed(&self, who: &Principal) -> Vec<tseeder_core::domain::JobId> {
        let page = self.core.jobs.list(who, ListJobs::default(), Default::default()).await.unwrap();
        let mut ids: Vec<_> = page.items.into_iter().map(|j| j.id).collect();
        ids.sort();
        ids
    }

    /// Alice owns Acme, Bob is a member of it.
    async fn acme(&self) -> (User, User, tseeder_core::domain::OrgId) {
        let alice = self.user("alice@example.com", true).await;
        let bob = self.user("bob@example.com", true).await;
        let acme = self.core.orgs.create(&session(&alice), "Acme", None, &meta()).await.unwrap().org;
        let token = self.invite(&alice, "acme", "bob@example.com", OrgRole::Member).await;
        self.core.orgs.accept_invite(&session(&bob), &token, acme.id, &meta()).await.unwrap();
        (alice, bob, acme.id)
    }
}

#[tokio::test]
async fn jobs_belong_to_the_organization_they_were_submitted_in() {
    let w = world();
    let (alice, bob, acme) = w.acme().await;
    let alice_acme = w.core.orgs.enter(&session(&alice), "acme").await.unwrap();
    let bob_acme = w.core.orgs.enter(&session(&bob), "acme").await.unwrap();
    assert_eq!((bob_acme.org.id, bob_acme.org.role), (acme, OrgRole::Member));

    let owners = w.submit(&alice_acme, 1).await;
    let members = w.submit(&bob_acme, 2).await;
    let personal = w.submit(&session(&bob), 3).await;
    assert_eq!((owners.org_id, members.org_id), (acme, acme));
    assert_eq!(personal.org_id.0, bob.id.0);

    // The quota is the organization's (Alice's free plan: two active jobs), apart from Bob's
    // personal one.
    let third = SubmitJob {
        source: SubmitSource::Torrent(torrent(4)),
        name: None,
        idempotency_key: None,
        files: None,
        region_hint: None,
    };
    assert_eq!(code(w.core.jobs.submit(&bob_acme, third, &meta()).await.unwrap_err()), "quota_jobs");

    // The owner sees every job of the organization; a member only their own; neither sees the
    // other's personal jobs, and the organization's jobs are not in anyone's personal list.
    let mut both = vec![owners.id, members.id];
    both.sort();
    assert_eq!(w.listed(&alice_acme).await, both);
    assert_eq!(w.listed(&bob_acme).await, vec![members.id]);
    assert_eq!(w.listed(&session(&bob)).await, vec![personal.id]);
    assert!(w.listed(&session(&alice)).await.is_empty());
    assert!(w.core.jobs.get(&alice_acme, members.id).await.is_ok(), "an owner reads a member's job");
    for (who, job) in [(&bob_acme, owners.id), (&bob_acme, personal.id), (&alice_acme, personal.id)] {
        assert_eq!(code(w.core.jobs.get(who, job).await.unwrap_err()), "job_not_found");
    }
    // An owner controls a member's job; a member not the owner's.
    w.core.jobs.pause(&alice_acme, members.id, &meta()).await.unwrap();
    assert_eq!(code(w.core.jobs.cancel(&bob_acme, owners.id, &meta()).await.unwrap_err()), "job_not_found");

    // Usage is the organization's, per member in its detail.
    let (_, usage) = w.core.jobs.usage(&bob_acme).await.unwrap();
    assert_eq!(usage.total_jobs, 2);
    let detail = w.core.orgs.get(&session(&alice), "acme").await.unwrap();
    assert_eq!(detail.usage.total_jobs, 2);
    assert_eq!(detail.member_usage.len(), 2);
    let mine = w.core.orgs.get(&session(&bob), "acme").await.unwrap();
    assert_eq!(mine.member_usage.iter().map(|(u, us)| (*u, us.total_jobs)).collect::<Vec<_>>(), [(bob.id, 1)]);

    // Someone outside cannot act in Acme.
    let carol = w.user("carol@example.com", true).await;
    assert_eq!(code(w.core.orgs.enter(&session(&carol), "acme").await.unwrap_err()), "org_not_found");
}

#[tokio::test]
async fn an_api_key_works_in_its_organization_until_its_owner_leaves_it() {
    let w = world();
    let (alice, bob, acme) = w.acme().await;
    let bob_acme = w.core.orgs.enter(&session(&bob), "acme").await.unwrap();
    let key = w
        .core
        .accounts
        .create_api_key(&bob_acme, "ci", vec![tseeder_core::domain::Scope::JobsRead], None, &meta())
        .await
        .unwrap();
    assert_eq!(key.key.org_id, acme);
    let keyed = w.core.accounts.authenticate_api_key(&key.secret).await.unwrap();
    assert_eq!((keyed.org.id, keyed.org.role), (acme, OrgRole::Member));
    assert!(w.core.orgs.enter(&keyed, "acme").await.is_ok());
    let bobs_personal = w.core.orgs.list_mine(&session(&bob)).await.unwrap().remove(0).org.slug;
    let e = w.core.orgs.enter(&keyed, bobs_personal.as_str()).await.unwrap_err();
    assert_eq!(code(e), "org_mismatch");

    // Bob's job goes to Alice when she removes him; his key stops working at once.
    let job = w.submit(&bob_acme, 7).await;
    w.core.orgs.remove_member(&session(&alice), "acme", bob.id, Some(alice.id), &meta()).await.unwrap();
    assert_eq!(code(w.core.accounts.authenticate_api_key(&key.secret).await.unwrap_err()), "unauthenticated");
    let alice_acme = w.core.orgs.enter(&session(&alice), "acme").await.unwrap();
    assert_eq!(w.core.jobs.get(&alice_acme, job.id).await.unwrap().user_id, alice.id);
    assert_eq!(code(w.core.orgs.enter(&session(&bob), "acme").await.unwrap_err()), "org_not_found");
}
