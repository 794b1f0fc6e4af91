//! The suite of the [`OrgRepository`], with the personal organizations
//! [`AccountRepository::insert_user`] creates: organizations and their slugs, memberships and
//! their order, the last-owner rule, ownership transfer, the plan holder, invites from sending
//! to acceptance, deletion, and the operators' list; and the organization's side of the
//! [`JobRepository`]: jobs listed, counted and kept unique per organization, handed over when a
//! member is removed, and keeping their organization from being deleted.

use super::{audit, message, new_job, new_user, secs, t0};
use crate::domain::{
    ApiKey, ApiKeyId, Infohash, Invite, InviteId, JobId, JobStatus, Member, Membership, NewJob, NewOrganization,
    NewUser, OrgId, OrgRole, OrgSlug, OrgSummary, Organization, PERSONAL_ORG_NAME, PageRequest, Scope, User, UserId,
};
use crate::error::RepoError;
use crate::ports::{AccountRepository, JobChange, JobFilter, JobRepository, OrgRepository, UsageOf};

/// Emails and slugs unique to one run of the suite, so that runs may share a database.
struct Run(String);

impl Run {
    fn new() -> Self {
        Self(uuid::Uuid::new_v4().simple().to_string()[..12].to_owned())
    }

    fn email(&self, who: &str) -> String {
        format!("org-{who}-{}@example.com", self.0)
    }

    fn slug(&self, name: &str) -> OrgSlug {
        OrgSlug::parse(&format!("{name}-{}", self.0)).unwrap()
    }

    /// A new user (unverified, created at `t0`).
    async fn user(&self, accounts: &dyn AccountRepository, who: &str) -> User {
        accounts.insert_user(&new_user(&self.email(who))).await.unwrap()
    }

    /// An organization named `name` with the slug `<slug>-<run>`, created `at` seconds after `t0`.
    fn org(&self, name: &str, slug: &str, owner: UserId, at: i64) -> NewOrganization {
        let created_at = t0() + secs(at);
        NewOrganization { id: OrgId::new(), name: name.to_owned(), slug: self.slug(slug), owner, created_at }
    }
}

fn token() -> String {
    format!("{:064x}", uuid::Uuid::new_v4().as_u128())
}

/// Whether `result` is the last-owner refusal.
fn is_last_owner(result: Result<(), RepoError>) -> bool {
    matches!(result, Err(RepoError::Conflict(c)) if c == "last_owner")
}

fn not_found<T>(result: Result<T, RepoError>) -> bool {
    matches!(result, Err(RepoError::NotFound))
}

fn conflict<T>(result: Result<T, RepoError>) -> bool {
    matches!(result, Err(RepoError::Conflict(_)))
}

/// Runs every [`OrgRepository`] behaviour test, and the organization-scoped behaviour of the
/// [`JobRepository`] over the same database. The suite makes its own users, organizations,
/// invites, jobs and keys, with names of its own, so it may share the database with other suites
/// and with other runs of itself.
pub async fn org_repository(accounts: &dyn AccountRepository, orgs: &dyn OrgRepository, jobs: &dyn JobRepository) {
    let run = Run::new();
    personal_organizations(accounts, orgs, &run).await;
    organizations(accounts, orgs, &run).await;
    members(accounts, orgs, &run).await;
    plan_holders(accounts, orgs, &run).await;
    invites(accounts, orgs, &run).await;
    operators_list(accounts, orgs, &run).await;
    org_jobs(accounts, orgs, jobs, &run).await;
    handing_over_jobs(accounts, orgs, jobs, &run).await;
    deleting_with_jobs_and_keys(accounts, orgs, jobs, &run).await;
}

/// A queued magnet job of `user` in `org` for the infohash `hash` (40 hex digits).
fn job_in(org: OrgId, user: UserId, hash: &str) -> NewJob {
    NewJob { org_id: org, ..new_job(user, hash) }
}

/// Creates `job` (with a queue message and an audit entry of its own).
async fn create(jobs: &dyn JobRepository, job: &NewJob) -> JobId {
    jobs.create_job(job, &message("q-orgs", None, 5, t0()), &audit("job.created")).await.unwrap().id
}

/// The ids of the jobs `filter` lists (every page at once).
async fn listed_jobs(jobs: &dyn JobRepository, filter: JobFilter) -> Vec<JobId> {
    let page = jobs.list_jobs(&filter, PageRequest::new(1, 100)).await.unwrap();
    assert_eq!(page.total, page.items.len() as u64);
    page.items.into_iter().map(|j| j.id).collect()
}

/// `(active_jobs, total_jobs)` of [`JobRepository::usage`].
async fn counts(jobs: &dyn JobRepository, of: UsageOf) -> (u64, u64) {
    let usage = jobs.usage(of).await.unwrap();
    (usage.active_jobs, usage.total_jobs)
}

fn infohash(hash: &str) -> Infohash {
    hash.parse().unwrap()
}

/// An API key of `user` acting in `org`.
fn api_key(user: UserId, org: OrgId) -> ApiKey {
    ApiKey {
        id: ApiKeyId::new(),
        user_id: user,
        org_id: org,
        name: "org key".into(),
        prefix: "tsk_org".into(),
        key_hash: token(),
        scopes: vec![Scope::JobsRead],
        created_at: t0(),
        last_used_at: None,
        expires_at: None,
        revoked_at: None,
    }
}

/// Every account comes with its personal organization, in the same transaction.
async fn personal_organizations(accounts: &dyn AccountRepository, orgs: &dyn OrgRepository, run: &Run) {
    let vouched = NewUser { email_verified: true, ..new_user(&run.email("personal")) };
    let user = accounts.insert_user(&vouched).await.unwrap();
    assert_eq!(user.email_verified_at, Some(t0()), "an account made verified is verified at its creation");
    assert_eq!(accounts.get_user(user.id).await.unwrap().email_verified_at, Some(t0()));
    let plain = run.user(accounts, "unverified").await;
    assert_eq!(plain.email_verified_at, None);
    assert_eq!(accounts.get_user(plain.id).await.unwrap().email_verified_at, None);

    let personal = Organization {
        id: Organization::personal_id(user.id),
        name: PERSONAL_ORG_NAME.to_owned(),
        slug: OrgSlug::personal(user.id),
        personal: true,
        created_at: t0(),
    };
    assert_eq!(orgs.get_org(personal.id).await.unwrap(), personal);
    assert_eq!(orgs.find_org_by_slug(&personal.slug).await.unwrap(), Some(personal.clone()));
    assert_eq!(orgs.membership(personal.id, user.id).await.unwrap(), Some(OrgRole::Owner));
    assert_eq!(orgs.membership(personal.id, plain.id).await.unwrap(), None, "only its own user");
    assert_eq!(
        orgs.memberships(user.id).await.unwrap(),
        vec![Membership { org: personal.clone(), role: OrgRole::Owner, joined_at: t0() }]
    );
    assert_eq!(
        orgs.list_members(personal.id).await.unwrap(),
        vec![Member { user_id: user.id, email: user.email.clone(), role: OrgRole::Owner, joined_at: t0() }]
    );
    // Its only owner can neither step down nor leave.
    assert!(is_last_owner(orgs.set_member_role(personal.id, user.id, OrgRole::Admin).await));
    assert!(is_last_owner(orgs.remove_member(personal.id, user.id, None).await));
    assert_eq!(orgs.membership(personal.id, user.id).await.unwrap(), Some(OrgRole::Owner));

    // A refused account leaves no organization behind.
    let duplicate = new_user(&user.email);
    assert!(conflict(accounts.insert_user(&duplicate).await));
    assert!(not_found(orgs.get_org(Organization::personal_id(duplicate.id)).await));
    assert_eq!(orgs.find_org_by_slug(&OrgSlug::personal(duplicate.id)).await.unwrap(), None);

    // Unknown organizations.
    assert!(not_found(orgs.get_org(OrgId::new()).await));
    assert_eq!(orgs.find_org_by_slug(&run.slug("nowhere")).await.unwrap(), None);
    assert_eq!(orgs.membership(OrgId::new(), user.id).await.unwrap(), None);
    assert!(orgs.list_members(OrgId::new()).await.unwrap().is_empty());
}

/// Creating (with the slug unique), listing a user's organizations, renaming, deleting.
async fn organizations(accounts: &dyn AccountRepository, orgs: &dyn OrgRepository, run: &Run) {
    let owner = run.user(accounts, "founder").await;
    let other = run.user(accounts, "rival").await;
    let personal = orgs.get_org(Organization::personal_id(owner.id)).await.unwrap();
    let others_personal = orgs.get_org(Organization::personal_id(other.id)).await.unwrap();

    let acme = run.org("Acme", "acme", owner.id, 10);
    let expected = Organization {
        id: acme.id,
        name: "Acme".into(),
        slug: acme.slug.clone(),
        personal: false,
        created_at: t0() + secs(10),
    };
    assert_eq!(orgs.create_org(&acme).await.unwrap(), expected);
    assert_eq!(orgs.get_org(acme.id).await.unwrap(), expected);
    assert_eq!(orgs.find_org_by_slug(&acme.slug).await.unwrap(), Some(expected.clone()));
    let creator =
        Member { user_id: owner.id, email: owner.email.clone(), role: OrgRole::Owner, joined_at: expected.created_at };
    assert_eq!(orgs.list_members(acme.id).await.unwrap(), vec![creator], "its creator owns it since its creation");

    // A taken slug (of any organization, personal ones too): refused, and nothing is written.
    let clash = NewOrganization { slug: acme.slug.clone(), ..run.org("Clash", "clash", other.id, 11) };
    assert!(conflict(orgs.create_org(&clash).await));
    let squat = NewOrganization { slug: others_personal.slug.clone(), ..run.org("Squat", "squat", owner.id, 12) };
    assert!(conflict(orgs.create_org(&squat).await));
    for refused in [&clash, &squat] {
        assert!(not_found(orgs.get_org(refused.id).await));
        assert_eq!(orgs.membership(refused.id, refused.owner).await.unwrap(), None);
    }
    assert_eq!(orgs.get_org(acme.id).await.unwrap(), expected, "the first keeps its slug");
    assert_eq!(orgs.get_org(others_personal.id).await.unwrap(), others_personal);
    assert_eq!(
        orgs.memberships(other.id).await.unwrap(),
        vec![Membership { org: others_personal.clone(), role: OrgRole::Owner, joined_at: t0() }],
        "no membership of a refused organization"
    );

    // A user's organizations: the personal one first, then by name ignoring case, then by id.
    let charlie = orgs.create_org(&run.org("Charlie", "charlie", owner.id, 20)).await.unwrap();
    let bravo = orgs.create_org(&run.org("bravo", "bravo", owner.id, 30)).await.unwrap();
    let twin_a = orgs.create_org(&run.org("Twin", "twin-a", owner.id, 40)).await.unwrap();
    let twin_b = orgs.create_org(&run.org("Twin", "twin-b", owner.id, 50)).await.unwrap();
    let twins = if twin_a.id < twin_b.id { [twin_a.id, twin_b.id] } else { [twin_b.id, twin_a.id] };
    let listed: Vec<OrgId> = orgs.memberships(owner.id).await.unwrap().into_iter().map(|m| m.org.id).collect();
    assert_eq!(listed, vec![personal.id, acme.id, bravo.id, charlie.id, twins[0], twins[1]]);
    orgs.add_member(charlie.id, other.id, OrgRole::Admin, t0() + secs(60)).await.unwrap();
    assert_eq!(
        orgs.memberships(other.id).await.unwrap(),
        vec![
            Membership { org: others_personal.clone(), role: OrgRole::Owner, joined_at: t0() },
            Membership { org: charlie.clone(), role: OrgRole::Admin, joined_at: t0() + secs(60) },
        ]
    );

    // Renaming changes the name only.
    orgs.rename_org(acme.id, "Acme Renamed").await.unwrap();
    assert_eq!(orgs.get_org(acme.id).await.unwrap(), Organization { name: "Acme Renamed".into(), ..expected.clone() });
    assert!(not_found(orgs.rename_org(OrgId::new(), "Nobody").await));

    // Deleting takes the memberships with it.
    orgs.delete_org(charlie.id).await.unwrap();
    assert!(not_found(orgs.get_org(charlie.id).await));
    assert_eq!(orgs.find_org_by_slug(&charlie.slug).await.unwrap(), None);
    assert_eq!(orgs.membership(charlie.id, owner.id).await.unwrap(), None);
    assert_eq!(orgs.membership(charlie.id, other.id).await.unwrap(), None);
    assert!(orgs.list_members(charlie.id).await.unwrap().is_empty());
    assert_eq!(orgs.memberships(other.id).await.unwrap().len(), 1, "only the personal one is left");
    assert!(!orgs.memberships(owner.id).await.unwrap().iter().any(|m| m.org.id == charlie.id));
    assert!(not_found(orgs.delete_org(charlie.id).await));
    assert!(not_found(orgs.delete_org(OrgId::new()).await));
    assert_eq!(orgs.get_org(bravo.id).await.unwrap(), bravo, "the others stay");
}

/// Adding members, their order, role changes, the last-owner rule and ownership transfer.
async fn members(accounts: &dyn AccountRepository, orgs: &dyn OrgRepository, run: &Run) {
    let owner = run.user(accounts, "boss").await;
    let admin = run.user(accounts, "deputy").await;
    let member = run.user(accounts, "staff").await;
    let co = run.user(accounts, "partner").await;
    let outsider = run.user(accounts, "outsider").await;
    let org = orgs.create_org(&run.org("Members", "members", owner.id, 100)).await.unwrap();
    let role_of = |user: UserId| async move { orgs.membership(org.id, user).await.unwrap() };

    orgs.add_member(org.id, admin.id, OrgRole::Admin, t0() + secs(110)).await.unwrap();
    orgs.add_member(org.id, member.id, OrgRole::Member, t0() + secs(120)).await.unwrap();
    orgs.add_member(org.id, co.id, OrgRole::Owner, t0() + secs(130)).await.unwrap();
    // Twice: refused, and the first role stays.
    assert!(conflict(orgs.add_member(org.id, member.id, OrgRole::Admin, t0() + secs(140)).await));
    assert_eq!(role_of(member.id).await, Some(OrgRole::Member));
    assert_eq!(role_of(outsider.id).await, None);

    // Owners first, then by join time.
    let listed = |user: &User, role: OrgRole, joined: i64| Member {
        user_id: user.id,
        email: user.email.clone(),
        role,
        joined_at: t0() + secs(joined),
    };
    assert_eq!(
        orgs.list_members(org.id).await.unwrap(),
        vec![
            listed(&owner, OrgRole::Owner, 100),
            listed(&co, OrgRole::Owner, 130),
            listed(&admin, OrgRole::Admin, 110),
            listed(&member, OrgRole::Member, 120),
        ]
    );

    // Roles change; non-members and unknown organizations are NotFound, and nobody is added.
    orgs.set_member_role(org.id, member.id, OrgRole::Admin).await.unwrap();
    assert_eq!(role_of(member.id).await, Some(OrgRole::Admin));
    orgs.set_member_role(org.id, member.id, OrgRole::Member).await.unwrap();
    assert_eq!(role_of(member.id).await, Some(OrgRole::Member));
    assert!(not_found(orgs.set_member_role(org.id, outsider.id, OrgRole::Admin).await));
    assert!(not_found(orgs.set_member_role(OrgId::new(), member.id, OrgRole::Admin).await));
    assert!(not_found(orgs.remove_member(org.id, outsider.id, None).await));
    assert!(not_found(orgs.remove_member(OrgId::new(), member.id, None).await));
    assert!(not_found(orgs.remove_member(org.id, outsider.id, Some(owner.id)).await));
    assert_eq!(role_of(outsider.id).await, None);

    // The last-owner rule: one of two owners may step down; the last may neither step down
    // nor leave, and a refused change changes nothing.
    orgs.set_member_role(org.id, co.id, OrgRole::Admin).await.unwrap();
    assert_eq!(role_of(co.id).await, Some(OrgRole::Admin));
    assert!(is_last_owner(orgs.set_member_role(org.id, owner.id, OrgRole::Admin).await));
    assert!(is_last_owner(orgs.set_member_role(org.id, owner.id, OrgRole::Member).await));
    assert!(is_last_owner(orgs.remove_member(org.id, owner.id, None).await));
    assert!(is_last_owner(orgs.remove_member(org.id, owner.id, Some(admin.id)).await));
    assert_eq!(role_of(owner.id).await, Some(OrgRole::Owner));
    assert_eq!(orgs.list_members(org.id).await.unwrap().len(), 4);
    orgs.set_member_role(org.id, owner.id, OrgRole::Owner).await.unwrap();
    assert_eq!(role_of(owner.id).await, Some(OrgRole::Owner), "keeping the role is no change");

    // Removing: the member goes, once.
    orgs.remove_member(org.id, member.id, None).await.unwrap();
    assert_eq!(role_of(member.id).await, None);
    assert!(not_found(orgs.remove_member(org.id, member.id, None).await));
    assert!(!orgs.memberships(member.id).await.unwrap().iter().any(|m| m.org.id == org.id));

    // Transfer: `to` must be a member (NotFound), `from` an owner (Conflict); nothing changes
    // when refused.
    assert!(not_found(orgs.transfer_ownership(org.id, owner.id, outsider.id).await));
    assert!(not_found(orgs.transfer_ownership(OrgId::new(), owner.id, admin.id).await));
    assert!(conflict(orgs.transfer_ownership(org.id, admin.id, co.id).await));
    assert_eq!(
        (role_of(owner.id).await, role_of(admin.id).await, role_of(co.id).await, role_of(outsider.id).await),
        (Some(OrgRole::Owner), Some(OrgRole::Admin), Some(OrgRole::Admin), None)
    );
    orgs.transfer_ownership(org.id, owner.id, admin.id).await.unwrap();
    assert_eq!((role_of(admin.id).await, role_of(owner.id).await), (Some(OrgRole::Owner), Some(OrgRole::Admin)));
    assert!(conflict(orgs.transfer_ownership(org.id, owner.id, co.id).await), "no longer an owner");
    assert!(is_last_owner(orgs.remove_member(org.id, admin.id, None).await), "the new owner is the only one");
    // Handing it to an owner leaves that owner in place.
    orgs.set_member_role(org.id, co.id, OrgRole::Owner).await.unwrap();
    orgs.transfer_ownership(org.id, admin.id, co.id).await.unwrap();
    assert_eq!((role_of(co.id).await, role_of(admin.id).await), (Some(OrgRole::Owner), Some(OrgRole::Admin)));
}

/// Invites: lookups, the open list, pending ones, the send count, revoking, rotating,
/// accepting, and deletion with their organization.
async fn invites(accounts: &dyn AccountRepository, orgs: &dyn OrgRepository, run: &Run) {
    let owner = run.user(accounts, "host").await;
    let joiner = run.user(accounts, "guest").await;
    let late = run.user(accounts, "latecomer").await;
    let org = orgs.create_org(&run.org("Invites", "invites", owner.id, 0)).await.unwrap();
    let elsewhere = orgs.create_org(&run.org("Elsewhere", "elsewhere", owner.id, 0)).await.unwrap();
    let invite = |org: OrgId, email: &str, role: OrgRole, created: i64, expires: i64| Invite {
        id: InviteId::new(),
        org_id: org,
        email: email.to_owned(),
        role,
        token_hash: token(),
        invited_by: owner.id,
        created_at: t0() + secs(created),
        sent_at: t0() + secs(created),
        expires_at: t0() + secs(expires),
        accepted_at: None,
        revoked_at: None,
    };
    let a = invite(org.id, &joiner.email, OrgRole::Member, 100, 10_000);
    let b = invite(org.id, &run.email("second"), OrgRole::Admin, 200, 10_000);
    let expired = invite(org.id, &run.email("slow"), OrgRole::Member, 50, 150);
    let theirs = invite(elsewhere.id, &joiner.email, OrgRole::Admin, 300, 10_000);
    for i in [&a, &b, &expired, &theirs] {
        orgs.insert_invite(i).await.unwrap();
    }

    // By id only within its organization; by token whatever its state, with its organization.
    assert_eq!(orgs.get_invite(org.id, a.id).await.unwrap(), a);
    assert!(not_found(orgs.get_invite(elsewhere.id, a.id).await));
    assert!(not_found(orgs.get_invite(org.id, InviteId::new()).await));
    assert_eq!(orgs.find_invite(&a.token_hash).await.unwrap(), Some((a.clone(), org.clone())));
    assert_eq!(orgs.find_invite(&expired.token_hash).await.unwrap(), Some((expired.clone(), org.clone())));
    assert_eq!(orgs.find_invite(&theirs.token_hash).await.unwrap(), Some((theirs.clone(), elsewhere.clone())));
    assert_eq!(orgs.find_invite(&token()).await.unwrap(), None);

    // Open invites, newest first, the expired one included.
    assert_eq!(orgs.list_invites(org.id).await.unwrap(), vec![b.clone(), a.clone(), expired.clone()]);
    assert_eq!(orgs.list_invites(elsewhere.id).await.unwrap(), vec![theirs.clone()]);

    let now = t0() + secs(1000);
    assert_eq!(orgs.pending_invite_for(org.id, &a.email, now).await.unwrap(), Some(a.clone()));
    assert_eq!(orgs.pending_invite_for(org.id, &expired.email, now).await.unwrap(), None, "expired");
    assert_eq!(orgs.pending_invite_for(org.id, &expired.email, t0() + secs(100)).await.unwrap(), Some(expired.clone()));
    assert_eq!(orgs.pending_invite_for(org.id, &run.email("nobody"), now).await.unwrap(), None);
    assert_eq!(orgs.pending_invite_for(elsewhere.id, &b.email, now).await.unwrap(), None, "another organization's");

    // Sends after `since` (strictly).
    assert_eq!(orgs.invites_sent_since(org.id, t0()).await.unwrap(), 3);
    assert_eq!(orgs.invites_sent_since(org.id, t0() + secs(100)).await.unwrap(), 1);
    assert_eq!(orgs.invites_sent_since(org.id, t0() + secs(200)).await.unwrap(), 0);
    assert_eq!(orgs.invites_sent_since(elsewhere.id, t0()).await.unwrap(), 1);

    // Revoking: the organization's own open invites only, once; expired ones too.
    assert!(not_found(orgs.revoke_invite(elsewhere.id, b.id, now).await));
    orgs.revoke_invite(org.id, b.id, now).await.unwrap();
    assert!(not_found(orgs.revoke_invite(org.id, b.id, now).await), "already revoked");
    assert!(not_found(orgs.revoke_invite(org.id, InviteId::new(), now).await));
    let revoked = Invite { revoked_at: Some(now), ..b.clone() };
    assert_eq!(orgs.get_invite(org.id, b.id).await.unwrap(), revoked);
    assert_eq!(orgs.find_invite(&b.token_hash).await.unwrap(), Some((revoked.clone(), org.clone())));
    assert_eq!(orgs.pending_invite_for(org.id, &b.email, now).await.unwrap(), None);
    orgs.revoke_invite(org.id, expired.id, now).await.unwrap();
    assert_eq!(orgs.list_invites(org.id).await.unwrap(), vec![a.clone()]);

    // Rotating: a new token, send time and expiry; the old token stops working at once.
    let (sent, expires, rotated_token) = (t0() + secs(1100), t0() + secs(20_000), token());
    orgs.rotate_invite(org.id, a.id, &rotated_token, sent, expires).await.unwrap();
    let rotated = Invite { token_hash: rotated_token.clone(), sent_at: sent, expires_at: expires, ..a.clone() };
    assert_eq!(orgs.find_invite(&a.token_hash).await.unwrap(), None);
    assert_eq!(orgs.find_invite(&rotated_token).await.unwrap(), Some((rotated.clone(), org.clone())));
    assert_eq!(orgs.get_invite(org.id, a.id).await.unwrap(), rotated);
    assert_eq!(orgs.invites_sent_since(org.id, now).await.unwrap(), 1);
    assert!(not_found(orgs.rotate_invite(org.id, b.id, &token(), sent, expires).await), "revoked");
    assert!(not_found(orgs.rotate_invite(elsewhere.id, a.id, &token(), sent, expires).await));
    assert!(not_found(orgs.rotate_invite(org.id, InviteId::new(), &token(), sent, expires).await));
    assert_eq!(orgs.get_invite(org.id, a.id).await.unwrap(), rotated, "refused rotations change nothing");

    // Accepting: refused for expired, revoked, replaced and unknown tokens, changing nothing;
    // refused for a member, leaving the invite pending.
    let later = t0() + secs(1200);
    let stale = invite(org.id, &late.email, OrgRole::Member, 300, 400);
    let to_member = invite(org.id, &owner.email, OrgRole::Admin, 500, 10_000);
    for i in [&stale, &to_member] {
        orgs.insert_invite(i).await.unwrap();
    }
    for refused in [&stale.token_hash, &b.token_hash, &a.token_hash, &token()] {
        assert!(not_found(orgs.accept_invite(refused, late.id, later).await));
    }
    assert_eq!(orgs.membership(org.id, late.id).await.unwrap(), None);
    assert_eq!(orgs.get_invite(org.id, stale.id).await.unwrap(), stale);
    assert!(conflict(orgs.accept_invite(&to_member.token_hash, owner.id, later).await));
    assert_eq!(orgs.pending_invite_for(org.id, &owner.email, later).await.unwrap(), Some(to_member.clone()));
    assert_eq!(orgs.membership(org.id, owner.id).await.unwrap(), Some(OrgRole::Owner), "the role is kept");

    // Accepted: the member is added with the invite's role, the invite is accepted, once.
    let accepted = Invite { accepted_at: Some(later), ..rotated.clone() };
    assert_eq!(orgs.accept_invite(&rotated_token, joiner.id, later).await.unwrap(), accepted);
    assert_eq!(orgs.membership(org.id, joiner.id).await.unwrap(), Some(OrgRole::Member));
    let joined = Member { user_id: joiner.id, email: joiner.email.clone(), role: OrgRole::Member, joined_at: later };
    assert!(orgs.list_members(org.id).await.unwrap().contains(&joined));
    assert_eq!(orgs.find_invite(&rotated_token).await.unwrap(), Some((accepted.clone(), org.clone())));
    assert_eq!(orgs.list_invites(org.id).await.unwrap(), vec![to_member.clone(), stale.clone()]);
    assert_eq!(orgs.pending_invite_for(org.id, &joiner.email, later).await.unwrap(), None);
    assert!(not_found(orgs.accept_invite(&rotated_token, late.id, later).await), "once only");
    assert_eq!(orgs.membership(org.id, late.id).await.unwrap(), None);
    assert!(not_found(orgs.revoke_invite(org.id, a.id, later).await), "accepted");
    assert!(not_found(orgs.rotate_invite(org.id, a.id, &token(), sent, expires).await), "accepted");
    assert_eq!(orgs.pending_invite_for(elsewhere.id, &joiner.email, later).await.unwrap(), Some(theirs.clone()));

    // Deleting the organization deletes its memberships and invites, and only its own.
    orgs.delete_org(org.id).await.unwrap();
    assert!(not_found(orgs.get_org(org.id).await));
    for gone in [&rotated_token, &to_member.token_hash, &stale.token_hash, &b.token_hash] {
        assert_eq!(orgs.find_invite(gone).await.unwrap(), None);
    }
    assert!(orgs.list_invites(org.id).await.unwrap().is_empty());
    assert!(orgs.list_members(org.id).await.unwrap().is_empty());
    assert_eq!(orgs.membership(org.id, joiner.id).await.unwrap(), None);
    assert!(!orgs.memberships(joiner.id).await.unwrap().iter().any(|m| m.org.id == org.id));
    assert_eq!(orgs.find_invite(&theirs.token_hash).await.unwrap(), Some((theirs.clone(), elsewhere.clone())));
    assert_eq!(orgs.membership(elsewhere.id, owner.id).await.unwrap(), Some(OrgRole::Owner));
}

/// The operators' list: organizations that are not personal, with their member count and
/// longest-standing owner, oldest first, filtered by name or slug ignoring case.
async fn operators_list(accounts: &dyn AccountRepository, orgs: &dyn OrgRepository, run: &Run) {
    let marker = format!("lst{}", run.0);
    let first = run.user(accounts, "creator").await;
    let second = run.user(accounts, "co-owner").await;
    let third = run.user(accounts, "heir").await;
    // Matched by its name only, then by its slug only.
    let zeta = orgs
        .create_org(&NewOrganization { name: format!("Zeta {marker}"), ..run.org("x", "zeta", first.id, 1) })
        .await
        .unwrap();
    let eta_slug = OrgSlug::parse(&format!("eta-{marker}")).unwrap();
    let eta = orgs.create_org(&NewOrganization { slug: eta_slug, ..run.org("Eta", "x", second.id, 2) }).await.unwrap();
    let other = orgs.create_org(&run.org("Other", "other", first.id, 3)).await.unwrap();
    orgs.add_member(zeta.id, second.id, OrgRole::Owner, t0() + secs(5)).await.unwrap();
    orgs.add_member(zeta.id, third.id, OrgRole::Member, t0() + secs(6)).await.unwrap();
    // The creator hands over: the longest-standing owner is now `second`.
    orgs.transfer_ownership(zeta.id, first.id, third.id).await.unwrap();
    assert_eq!(orgs.plan_holder(zeta.id).await.unwrap(), second.id, "as the list picks it");

    let listed = orgs.list_orgs(Some(&marker.to_uppercase()), PageRequest::new(1, 10)).await.unwrap();
    assert_eq!(listed.total, 2);
    assert_eq!(
        listed.items,
        vec![
            OrgSummary { org: zeta.clone(), members: 3, owner_id: second.id, owner_email: second.email.clone() },
            OrgSummary { org: eta.clone(), members: 1, owner_id: second.id, owner_email: second.email.clone() },
        ]
    );
    let paged = orgs.list_orgs(Some(&marker), PageRequest::new(2, 1)).await.unwrap();
    assert_eq!((paged.page, paged.limit, paged.total), (2, 1, 2));
    assert_eq!(paged.items.iter().map(|s| s.org.id).collect::<Vec<_>>(), vec![eta.id]);
    let by_slug = orgs.list_orgs(Some(other.slug.as_str()), PageRequest::new(1, 10)).await.unwrap();
    let owned_by_first =
        OrgSummary { org: other.clone(), members: 1, owner_id: first.id, owner_email: first.email.clone() };
    assert_eq!(by_slug.items, vec![owned_by_first]);

    // Personal organizations are never listed, not even by their slug; `%` and `_` match
    // themselves.
    let personal = OrgSlug::personal(first.id);
    assert_eq!(orgs.list_orgs(Some(personal.as_str()), PageRequest::new(1, 10)).await.unwrap().total, 0);
    assert_eq!(orgs.list_orgs(Some(&format!("{marker}%_")), PageRequest::new(1, 10)).await.unwrap().total, 0);
    let all = orgs.list_orgs(None, PageRequest::new(1, 100)).await.unwrap();
    assert!(all.total >= 3);
    assert!(all.items.iter().all(|s| !s.org.personal));
    assert_eq!(orgs.list_orgs(Some(""), PageRequest::new(1, 100)).await.unwrap().total, all.total, "empty: no filter");
}

/// The plan holder: the longest-standing owner (by join time, then user id), whoever created
/// the organization; the user of a personal organization.
async fn plan_holders(accounts: &dyn AccountRepository, orgs: &dyn OrgRepository, run: &Run) {
    let founder = run.user(accounts, "holder-founder").await;
    let early = run.user(accounts, "holder-early").await;
    let late = run.user(accounts, "holder-late").await;
    assert_eq!(orgs.plan_holder(Organization::personal_id(founder.id)).await.unwrap(), founder.id);
    assert!(not_found(orgs.plan_holder(OrgId::new()).await));

    let org = orgs.create_org(&run.org("Holders", "holders", founder.id, 100)).await.unwrap();
    assert_eq!(orgs.plan_holder(org.id).await.unwrap(), founder.id, "its creator");
    orgs.add_member(org.id, early.id, OrgRole::Member, t0() + secs(110)).await.unwrap();
    orgs.add_member(org.id, late.id, OrgRole::Owner, t0() + secs(120)).await.unwrap();
    assert_eq!(orgs.plan_holder(org.id).await.unwrap(), founder.id, "owners who joined later do not take over");
    // The founder hands over to a member who joined before the other owner: that member is now
    // the longest-standing owner.
    orgs.transfer_ownership(org.id, founder.id, early.id).await.unwrap();
    assert_eq!(orgs.plan_holder(org.id).await.unwrap(), early.id);
    orgs.set_member_role(org.id, early.id, OrgRole::Admin).await.unwrap();
    assert_eq!(orgs.plan_holder(org.id).await.unwrap(), late.id, "only owners hold the plan");

    // Owners who joined at the same time: the smaller user id.
    let twin = run.user(accounts, "holder-twin").await;
    let shared = orgs.create_org(&run.org("Shared", "shared", founder.id, 200)).await.unwrap();
    orgs.add_member(shared.id, twin.id, OrgRole::Owner, t0() + secs(200)).await.unwrap();
    assert_eq!(orgs.plan_holder(shared.id).await.unwrap(), founder.id.min(twin.id));
}

/// Jobs belong to an organization: listed and counted by organization, by user and by member,
/// and one live job per organization, user and infohash (the same user may have one in each of
/// their organizations).
async fn org_jobs(accounts: &dyn AccountRepository, orgs: &dyn OrgRepository, jobs: &dyn JobRepository, run: &Run) {
    let owner = run.user(accounts, "jobs-owner").await;
    let member = run.user(accounts, "jobs-member").await;
    let org = orgs.create_org(&run.org("Jobs", "jobs", owner.id, 0)).await.unwrap();
    orgs.add_member(org.id, member.id, OrgRole::Member, t0()).await.unwrap();
    let (owners_own, members_own) = (Organization::personal_id(owner.id), Organization::personal_id(member.id));
    let (a, b) = ("a".repeat(40), "b".repeat(40));

    // One torrent, live in two organizations of one user, and for two users of one organization.
    let personal_a = create(jobs, &job_in(owners_own, owner.id, &a)).await;
    let owner_a = create(jobs, &job_in(org.id, owner.id, &a)).await;
    let member_a = create(jobs, &job_in(org.id, member.id, &a)).await;
    let member_b = create(jobs, &job_in(org.id, member.id, &b)).await;
    let members_own_b = create(jobs, &job_in(members_own, member.id, &b)).await;
    assert_eq!(jobs.get_job(owner_a).await.unwrap().org_id, org.id, "the organization round-trips");
    assert_eq!(jobs.get_job(personal_a).await.unwrap().org_id, owners_own);

    // A second live job of one user in one organization is refused and writes nothing.
    let duplicate = job_in(org.id, owner.id, &a);
    assert!(conflict(jobs.create_job(&duplicate, &message("q-orgs", None, 5, t0()), &audit("x")).await));
    assert!(not_found(jobs.get_job(duplicate.id).await));
    let find = |org: OrgId, user: UserId, hash: &str| {
        let hash = infohash(hash);
        async move { jobs.find_live_job_by_infohash(org, user, hash).await.unwrap().map(|j| j.id) }
    };
    assert_eq!(find(org.id, owner.id, &a).await, Some(owner_a));
    assert_eq!(find(owners_own, owner.id, &a).await, Some(personal_a));
    assert_eq!(find(org.id, member.id, &a).await, Some(member_a));
    assert_eq!(find(members_own, member.id, &a).await, None, "not in that organization");
    assert_eq!(find(owners_own, owner.id, &b).await, None);

    // Bringing a job back to life is refused only by a live job of the same user in the same
    // organization.
    let at = t0() + secs(1);
    jobs.update_job(owner_a, &JobChange::unchecked(JobStatus::Queued, JobStatus::Failed, at)).await.unwrap();
    assert_eq!(find(org.id, owner.id, &a).await, None, "a failed job is not live");
    assert_eq!(find(owners_own, owner.id, &a).await, Some(personal_a), "the other organization's job is");
    let retry = create(jobs, &job_in(org.id, owner.id, &a)).await;
    let revive = JobChange::unchecked(JobStatus::Failed, JobStatus::Queued, at);
    assert!(conflict(jobs.update_job(owner_a, &revive).await));
    assert_eq!(jobs.get_job(owner_a).await.unwrap().status, JobStatus::Failed, "a refused change writes nothing");
    jobs.update_job(retry, &JobChange::unchecked(JobStatus::Queued, JobStatus::Cancelled, at)).await.unwrap();
    jobs.update_job(owner_a, &revive).await.unwrap();

    // Listing by organization, alone or with a user.
    let by_org = |org: OrgId| JobFilter { org_id: Some(org), ..JobFilter::default() };
    let mut expected = vec![owner_a, member_a, member_b, retry];
    expected.sort();
    let mut got = listed_jobs(jobs, by_org(org.id)).await;
    got.sort();
    assert_eq!(got, expected, "every job of the organization, whoever submitted it");
    let mut expected = vec![member_a, member_b];
    expected.sort();
    let mut got = listed_jobs(jobs, JobFilter { user_id: Some(member.id), ..by_org(org.id) }).await;
    got.sort();
    assert_eq!(got, expected, "one member's jobs there");
    assert_eq!(listed_jobs(jobs, by_org(owners_own)).await, vec![personal_a]);
    assert_eq!(listed_jobs(jobs, by_org(members_own)).await, vec![members_own_b]);
    assert!(listed_jobs(jobs, by_org(OrgId::new())).await.is_empty());

    // Usage by organization, by user everywhere, and by member within an organization
    // (`retry` is cancelled: counted, but not active).
    assert_eq!(counts(jobs, UsageOf::org(org.id)).await, (3, 4));
    assert_eq!(counts(jobs, UsageOf::user(member.id)).await, (3, 3));
    assert_eq!(counts(jobs, UsageOf::user(owner.id)).await, (2, 3));
    assert_eq!(counts(jobs, UsageOf::member(org.id, member.id)).await, (2, 2));
    assert_eq!(counts(jobs, UsageOf::member(org.id, owner.id)).await, (1, 2));
    assert_eq!(counts(jobs, UsageOf::member(members_own, owner.id)).await, (0, 0));
    assert_eq!(counts(jobs, UsageOf::org(owners_own)).await, (1, 1));
    assert_eq!(counts(jobs, UsageOf::org(OrgId::new())).await, (0, 0));
}

/// Removing a member hands their jobs in the organization to another member, or leaves them be;
/// a refused handover changes nothing.
async fn handing_over_jobs(
    accounts: &dyn AccountRepository,
    orgs: &dyn OrgRepository,
    jobs: &dyn JobRepository,
    run: &Run,
) {
    let owner = run.user(accounts, "handover-owner").await;
    let leaver = run.user(accounts, "handover-leaver").await;
    let heir = run.user(accounts, "handover-heir").await;
    let outsider = run.user(accounts, "handover-outsider").await;
    let org = orgs.create_org(&run.org("Handover", "handover", owner.id, 0)).await.unwrap();
    orgs.add_member(org.id, leaver.id, OrgRole::Member, t0() + secs(1)).await.unwrap();
    orgs.add_member(org.id, heir.id, OrgRole::Member, t0() + secs(2)).await.unwrap();
    let (c, d) = ("c".repeat(40), "d".repeat(40));

    let keyed = NewJob { idempotency_key: Some(format!("handover-{}", run.0)), ..job_in(org.id, leaver.id, &c) };
    let leavers_c = create(jobs, &keyed).await;
    let leavers_d = create(jobs, &job_in(org.id, leaver.id, &d)).await;
    let leavers_own = create(jobs, &job_in(Organization::personal_id(leaver.id), leaver.id, &c)).await;
    let heirs_d = create(jobs, &job_in(org.id, heir.id, &d)).await;
    let owner_of = |id: JobId| async move { jobs.get_job(id).await.unwrap().user_id };
    let unchanged = || async move {
        assert_eq!(orgs.membership(org.id, leaver.id).await.unwrap(), Some(OrgRole::Member), "still a member");
        for id in [leavers_c, leavers_d, leavers_own] {
            assert_eq!(owner_of(id).await, leaver.id, "still the leaver's");
        }
        assert!(jobs.find_job_by_idempotency_key(leaver.id, &format!("handover-{}", run.0)).await.unwrap().is_some());
    };

    // To a non-member, or to the member removed: refused, nothing changes.
    assert!(conflict(orgs.remove_member(org.id, leaver.id, Some(outsider.id)).await));
    unchanged().await;
    assert!(conflict(orgs.remove_member(org.id, leaver.id, Some(leaver.id)).await));
    unchanged().await;
    // To a member who has a live job for one of the torrents: two live jobs, refused too.
    assert!(conflict(orgs.remove_member(org.id, leaver.id, Some(heir.id)).await));
    unchanged().await;
    let cancel = JobChange::unchecked(JobStatus::Queued, JobStatus::Cancelled, t0() + secs(3));
    jobs.update_job(heirs_d, &cancel).await.unwrap();

    // Handed over: the jobs in the organization change hands, without their idempotency keys;
    // the leaver's jobs elsewhere stay theirs.
    orgs.remove_member(org.id, leaver.id, Some(heir.id)).await.unwrap();
    assert_eq!(orgs.membership(org.id, leaver.id).await.unwrap(), None);
    assert_eq!((owner_of(leavers_c).await, owner_of(leavers_d).await), (heir.id, heir.id));
    let handed = jobs.get_job(leavers_c).await.unwrap();
    assert_eq!((handed.org_id, handed.idempotency_key), (org.id, None));
    assert!(jobs.find_job_by_idempotency_key(leaver.id, &format!("handover-{}", run.0)).await.unwrap().is_none());
    assert_eq!(owner_of(leavers_own).await, leaver.id);
    assert_eq!(
        jobs.find_live_job_by_infohash(org.id, heir.id, infohash(&d)).await.unwrap().map(|j| j.id),
        Some(leavers_d)
    );
    assert_eq!(counts(jobs, UsageOf::member(org.id, heir.id)).await, (2, 3));
    assert_eq!(counts(jobs, UsageOf::member(org.id, leaver.id)).await, (0, 0));
    assert_eq!(counts(jobs, UsageOf::user(leaver.id)).await, (1, 1));

    // Removed without a handover: the jobs stay in the organization, with their submitter.
    orgs.remove_member(org.id, heir.id, None).await.unwrap();
    assert_eq!(orgs.membership(org.id, heir.id).await.unwrap(), None);
    for id in [leavers_c, leavers_d, heirs_d] {
        let job = jobs.get_job(id).await.unwrap();
        assert_eq!((job.org_id, job.user_id), (org.id, heir.id));
    }
    assert_eq!(counts(jobs, UsageOf::org(org.id)).await, (2, 3));
}

/// An organization with jobs cannot be deleted (their files need the job service's cleanup);
/// once they are gone, it goes with its API keys.
async fn deleting_with_jobs_and_keys(
    accounts: &dyn AccountRepository,
    orgs: &dyn OrgRepository,
    jobs: &dyn JobRepository,
    run: &Run,
) {
    let owner = run.user(accounts, "deleter").await;
    let org = orgs.create_org(&run.org("Doomed", "doomed", owner.id, 0)).await.unwrap();
    let kept = orgs.create_org(&run.org("Kept", "kept", owner.id, 0)).await.unwrap();
    let doomed_key = api_key(owner.id, org.id);
    let kept_key = api_key(owner.id, kept.id);
    for key in [&doomed_key, &kept_key] {
        accounts.insert_api_key(key).await.unwrap();
    }
    let (found, _) = accounts.find_api_key(&doomed_key.key_hash).await.unwrap().unwrap();
    assert_eq!(found, doomed_key, "the key's organization round-trips");
    let job = create(jobs, &job_in(org.id, owner.id, &"e".repeat(40))).await;

    assert!(matches!(orgs.delete_org(org.id).await, Err(RepoError::Conflict(c)) if c == "org_has_jobs"));
    assert_eq!(orgs.get_org(org.id).await.unwrap(), org, "nothing is deleted");
    assert_eq!(orgs.membership(org.id, owner.id).await.unwrap(), Some(OrgRole::Owner));
    assert_eq!(jobs.get_job(job).await.unwrap().org_id, org.id);
    assert!(accounts.find_api_key(&doomed_key.key_hash).await.unwrap().is_some());

    jobs.delete_job(job, &audit("job.deleted")).await.unwrap();
    orgs.delete_org(org.id).await.unwrap();
    assert!(not_found(orgs.get_org(org.id).await));
    assert!(accounts.find_api_key(&doomed_key.key_hash).await.unwrap().is_none(), "its keys go with it");
    let (found, _) = accounts.find_api_key(&kept_key.key_hash).await.unwrap().unwrap();
    assert_eq!(found, kept_key, "another organization's keys stay");
    assert!(accounts.list_api_keys(owner.id).await.unwrap().iter().all(|k| k.id != doomed_key.id));

    // A key's last use moves forward only: a late write of an older use changes nothing.
    let (later, earlier) = (t0() + secs(120), t0() + secs(60));
    accounts.touch_api_key(kept_key.id, later).await.unwrap();
    accounts.touch_api_key(kept_key.id, earlier).await.unwrap();
    let (found, _) = accounts.find_api_key(&kept_key.key_hash).await.unwrap().unwrap();
    assert_eq!(found.last_used_at, Some(later));
    assert!(not_found(accounts.touch_api_key(doomed_key.id, later).await), "a deleted key is not found");
}
