//! A short-lived cache of the reads nearly every request makes: whom a credential belongs to (an
//! API key, a session, a membership of an organization) and pages of the jobs list.
//!
//! [`ReadCache::wrap`] puts it between the services and four repositories (accounts,
//! organizations, jobs, labels), as a layer that forwards every call. Reads of the four kinds
//! above are answered from memory when a fresh answer is there. Every write through the layer,
//! whatever it changes and whether or not it succeeds, makes what was cached before it unusable:
//!
//! - writes to accounts or organizations drop the cached credentials and memberships, and
//!   writes to organizations, jobs or labels drop the cached pages;
//! - a read that raced a write is not kept, because each entry carries the generation it was
//!   read in and is used only while that generation is current;
//! - the other processes of the installation hear of the write over the [`Broadcast`](crate::ports::Broadcast) port
//!   (PostgreSQL `NOTIFY`) once the [relay](crate::services::relay::relay) runs, and drop theirs
//!   (a dropped connection drops everything);
//! - whatever happens, an entry is used for at most `cache.max_age_ms` (1 s by default), so a
//!   process that cannot hear the others (several processes on one SQLite file, or a lost
//!   notice) is at most that much behind them.
//!
//! Within one process a read therefore always sees the writes made before it. Expiry and
//! revocation times are still checked on every use: a session is only served from the cache
//! while it has not expired, and an API key's expiry and revocation are checked by
//! [`AccountService`](crate::services::AccountService) on every request.

use std::collections::HashMap;
use std::hash::Hash;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use async_trait::async_trait;
use chrono::{DateTime, Utc};

use crate::domain::{
    ApiKey, ApiKeyId, AuditEntry, EmailVerification, Infohash, Invite, InviteId, Job, JobEvent, JobId, JobLabels,
    LabelKind, Member, Membership, NewJob, NewOrganization, NewQueueMessage, NewUser, OrgId, OrgRole, OrgSlug,
    OrgSummary, Organization, Page, PageRequest, PasswordReset, RegionCode, Role, Session, SessionId, Usage, User,
    UserId,
};
use crate::error::RepoError;
use crate::ports::{AccountRepository, JobChange, JobFilter, JobRepository, LabelRepository, OrgRepository, UsageOf};
use crate::services::Ports;
use crate::services::relay::{Outbox, Outgoing};

/// The most credentials (API keys, sessions, memberships) kept of each kind. When a kind is
/// full, its stale entries are dropped, and all of them if none is stale.
const MAX_CREDENTIALS: usize = 4_096;

/// The most pages of the jobs list kept: at most 100 jobs each, so a few megabytes at most.
const MAX_PAGES: usize = 256;

/// What a write makes stale (and what the relay tells the other processes).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) enum Kind {
    /// Credentials and memberships.
    Auth,
    /// Pages of the jobs list.
    Jobs,
}

impl Kind {
    const ALL: [Self; 2] = [Self::Auth, Self::Jobs];
}

/// The read cache of one process (cheap to clone; clones share it). See the module docs.
#[derive(Debug, Clone)]
pub struct ReadCache {
    inner: Arc<Inner>,
}

#[derive(Debug)]
struct Inner {
    max_age: Duration,
    auth: AtomicU64,
    jobs: AtomicU64,
    keys: Shelf<String, Option<(ApiKey, User)>>,
    sessions: Shelf<String, Option<(Session, User)>>,
    memberships: Shelf<(OrgId, UserId), Option<OrgRole>>,
    pages: Shelf<(JobFilter, PageRequest), Page<Job>>,
    /// Set once the relay runs: wakes its sending task.
    outbox: Outbox,
    /// Written here since the relay last sent.
    unsent_auth: AtomicBool,
    unsent_jobs: AtomicBool,
}

/// One kind of cached read.
#[derive(Debug)]
struct Shelf<K, T> {
    entries: Mutex<HashMap<K, Entry<T>>>,
    capacity: usize,
}

#[derive(Debug)]
struct Entry<T> {
    value: T,
    generation: u64,
    read_at: Instant,
}

impl<K: Hash + Eq, T: Clone> Shelf<K, T> {
    fn new(capacity: usize) -> Self {
        Self { entries: Mutex::new(HashMap::new()), capacity }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<K, Entry<T>>> {
        self.entries.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// The value read in `generation` less than `max_age` ago.
    fn get(&self, key: &K, generation: u64, max_age: Duration) -> Option<T> {
        let entries = self.lock();
        let entry = entries.get(key)?;
        (entry.generation == generation && entry.read_at.elapsed() < max_age).then(|| entry.value.clone())
    }

    /// Keeps `value`, read in `generation`, unless a write made that generation stale since.
    fn put(&self, key: K, value: T, generation: u64, current: &AtomicU64, max_age: Duration) {
        let mut entries = self.lock();
        if current.load(Ordering::SeqCst) != generation {
            return;
        }
        if entries.len() >= self.capacity {
            entries.retain(|_, e| e.generation == generation && e.read_at.elapsed() < max_age);
            if entries.len() >= self.capacity {
                entries.clear();
            }
        }
        entries.insert(key, Entry { value, generation, read_at: Instant::now() });
    }
}

impl ReadCache {
    /// A cache whose entries are used for at most `max_age`; zero turns it off (every read goes
    /// to the repositories).
    pub fn new(max_age: Duration) -> Self {
        Self {
            inner: Arc::new(Inner {
                max_age,
                auth: AtomicU64::new(0),
                jobs: AtomicU64::new(0),
                keys: Shelf::new(MAX_CREDENTIALS),
                sessions: Shelf::new(MAX_CREDENTIALS),
                memberships: Shelf::new(MAX_CREDENTIALS),
                pages: Shelf::new(MAX_PAGES),
                outbox: Outbox::new(),
                unsent_auth: AtomicBool::new(false),
                unsent_jobs: AtomicBool::new(false),
            }),
        }
    }

    /// How long an entry is used at most.
    pub fn max_age(&self) -> Duration {
        self.inner.max_age
    }

    /// `ports` with the accounts, organizations, jobs and labels repositories read through this
    /// cache. Every process builds its services over one wrapped set, so that every write of the
    /// process passes the cache.
    pub fn wrap(&self, mut ports: Ports) -> Ports {
        ports.accounts = Arc::new(CachedAccounts { inner: ports.accounts, cache: self.clone() });
        ports.orgs = Arc::new(CachedOrgs { inner: ports.orgs, cache: self.clone() });
        ports.jobs = Arc::new(CachedJobs { inner: ports.jobs, cache: self.clone() });
        ports.labels = Arc::new(CachedLabels { inner: ports.labels, cache: self.clone() });
        ports
    }

    /// The way out to the relay, set when it runs.
    pub(crate) fn outbox(&self) -> &Outbox {
        &self.inner.outbox
    }

    /// What was written here since the last call, for the relay to tell the others.
    pub(crate) fn take_unsent(&self) -> Vec<Kind> {
        Kind::ALL.into_iter().filter(|&kind| self.unsent(kind).swap(false, Ordering::SeqCst)).collect()
    }

    fn generation(&self, kind: Kind) -> &AtomicU64 {
        match kind {
            Kind::Auth => &self.inner.auth,
            Kind::Jobs => &self.inner.jobs,
        }
    }

    /// Whether `kind` was written here since the relay last sent.
    fn unsent(&self, kind: Kind) -> &AtomicBool {
        match kind {
            Kind::Auth => &self.inner.unsent_auth,
            Kind::Jobs => &self.inner.unsent_jobs,
        }
    }

    /// Makes the entries of `kind` stale here.
    pub(crate) fn stale(&self, kind: Kind) {
        self.generation(kind).fetch_add(1, Ordering::SeqCst);
    }

    /// Makes every entry stale here.
    pub(crate) fn stale_all(&self) {
        Kind::ALL.into_iter().for_each(|kind| self.stale(kind));
    }

    /// Called after every write of this process: stale here, and announced to the others.
    fn written(&self, kinds: &[Kind]) {
        for &kind in kinds {
            self.stale(kind);
            self.unsent(kind).store(true, Ordering::SeqCst);
        }
        if let Some(outbox) = self.inner.outbox.get() {
            // Full: the relay is behind; its next message carries these flags anyway.
            let _ = outbox.try_send(Outgoing::CacheWritten);
        }
    }

    /// The value of `key`: from `shelf` when an entry there is current and `usable`, else
    /// `load`'s, kept on the shelf when `keep` says so.
    async fn read<K: Hash + Eq, T: Clone>(
        &self,
        shelf: &Shelf<K, T>,
        kind: Kind,
        key: K,
        usable: impl Fn(&T) -> bool,
        keep: impl Fn(&T) -> bool,
        load: impl Future<Output = Result<T, RepoError>>,
    ) -> Result<T, RepoError> {
        let max_age = self.inner.max_age;
        if max_age.is_zero() {
            return load.await;
        }
        let current = self.generation(kind);
        let generation = current.load(Ordering::SeqCst);
        if let Some(value) = shelf.get(&key, generation, max_age).filter(|v| usable(v)) {
            return Ok(value);
        }
        let value = load.await?;
        if keep(&value) {
            shelf.put(key, value.clone(), generation, current, max_age);
        }
        Ok(value)
    }
}

/// Forwards to `$inner` and then marks `$kinds` written, whatever the outcome.
macro_rules! write_through {
    ($self:ident, [$($kind:ident),+], $call:expr) => {{
        let result = $call.await;
        $self.cache.written(&[$(Kind::$kind),+]);
        result
    }};
}

#[derive(Debug)]
struct CachedAccounts {
    inner: Arc<dyn AccountRepository>,
    cache: ReadCache,
}

#[async_trait]
impl AccountRepository for CachedAccounts {
    async fn insert_user(&self, user: &NewUser) -> Result<User, RepoError> {
        write_through!(self, [Auth], self.inner.insert_user(user))
    }

    async fn get_user(&self, id: UserId) -> Result<User, RepoError> {
        self.inner.get_user(id).await
    }

    async fn find_user_by_email(&self, email: &str) -> Result<Option<(User, String)>, RepoError> {
        self.inner.find_user_by_email(email).await
    }

    async fn list_users(&self, email_contains: Option<&str>, page: PageRequest) -> Result<Page<User>, RepoError> {
        self.inner.list_users(email_contains, page).await
    }

    async fn set_user_role(&self, id: UserId, role: Role) -> Result<(), RepoError> {
        write_through!(self, [Auth], self.inner.set_user_role(id, role))
    }

    async fn set_user_default_region(&self, id: UserId, region: Option<&RegionCode>) -> Result<(), RepoError> {
        write_through!(self, [Auth], self.inner.set_user_default_region(id, region))
    }

    async fn set_user_suspended(&self, id: UserId, suspended: bool) -> Result<u64, RepoError> {
        write_through!(self, [Auth], self.inner.set_user_suspended(id, suspended))
    }

    async fn delete_user_sessions(&self, id: UserId) -> Result<u64, RepoError> {
        write_through!(self, [Auth], self.inner.delete_user_sessions(id))
    }

    async fn list_sessions(&self, user: UserId, now: DateTime<Utc>) -> Result<Vec<Session>, RepoError> {
        self.inner.list_sessions(user, now).await
    }

    async fn delete_user_session(&self, user: UserId, id: SessionId) -> Result<(), RepoError> {
        write_through!(self, [Auth], self.inner.delete_user_session(user, id))
    }

    async fn set_password_hash(
        &self,
        id: UserId,
        password_hash: &str,
        keep: Option<SessionId>,
    ) -> Result<u64, RepoError> {
        write_through!(self, [Auth], self.inner.set_password_hash(id, password_hash, keep))
    }

    async fn insert_password_reset(&self, reset: &PasswordReset) -> Result<(), RepoError> {
        write_through!(self, [Auth], self.inner.insert_password_reset(reset))
    }

    async fn reset_password(
        &self,
        token_hash: &str,
        password_hash: &str,
        now: DateTime<Utc>,
    ) -> Result<(UserId, u64), RepoError> {
        write_through!(self, [Auth], self.inner.reset_password(token_hash, password_hash, now))
    }

    async fn insert_email_verification(&self, verification: &EmailVerification) -> Result<(), RepoError> {
        write_through!(self, [Auth], self.inner.insert_email_verification(verification))
    }

    async fn verify_email(&self, token_hash: &str, now: DateTime<Utc>) -> Result<UserId, RepoError> {
        write_through!(self, [Auth], self.inner.verify_email(token_hash, now))
    }

    async fn insert_session(&self, session: &Session) -> Result<(), RepoError> {
        write_through!(self, [Auth], self.inner.insert_session(session))
    }

    async fn find_session(&self, token_hash: &str, now: DateTime<Utc>) -> Result<Option<(Session, User)>, RepoError> {
        let cache = &self.cache;
        cache
            .read(
                &cache.inner.sessions,
                Kind::Auth,
                token_hash.to_owned(),
                |found| found.as_ref().is_some_and(|(session, _)| session.expires_at > now),
                Option::is_some,
                self.inner.find_session(token_hash, now),
            )
            .await
    }

    async fn delete_session(&self, id: SessionId) -> Result<(), RepoError> {
        write_through!(self, [Auth], self.inner.delete_session(id))
    }

    async fn insert_api_key(&self, key: &ApiKey) -> Result<(), RepoError> {
        write_through!(self, [Auth], self.inner.insert_api_key(key))
    }

    async fn list_api_keys(&self, user: UserId) -> Result<Vec<ApiKey>, RepoError> {
        self.inner.list_api_keys(user).await
    }

    async fn revoke_api_key(&self, user: UserId, id: ApiKeyId, now: DateTime<Utc>) -> Result<(), RepoError> {
        write_through!(self, [Auth], self.inner.revoke_api_key(user, id, now))
    }

    async fn find_api_key(&self, key_hash: &str) -> Result<Option<(ApiKey, User)>, RepoError> {
        let cache = &self.cache;
        cache
            .read(
                &cache.inner.keys,
                Kind::Auth,
                key_hash.to_owned(),
                |_| true,
                Option::is_some,
                self.inner.find_api_key(key_hash),
            )
            .await
    }

    /// A key's last use changes nothing a request decides on, so it leaves the cache usable;
    /// the cached key takes the new time, as the stored one does.
    async fn touch_api_key(&self, id: ApiKeyId, now: DateTime<Utc>) -> Result<(), RepoError> {
        self.inner.touch_api_key(id, now).await?;
        for (key, _) in self.cache.inner.keys.lock().values_mut().filter_map(|e| e.value.as_mut()) {
            if key.id == id {
                key.last_used_at = Some(key.last_used_at.map_or(now, |at| at.max(now)));
            }
        }
        Ok(())
    }
}

#[derive(Debug)]
struct CachedOrgs {
    inner: Arc<dyn OrgRepository>,
    cache: ReadCache,
}

#[async_trait]
impl OrgRepository for CachedOrgs {
    async fn create_org(&self, org: &NewOrganization) -> Result<Organization, RepoError> {
        write_through!(self, [Auth, Jobs], self.inner.create_org(org))
    }

    async fn get_org(&self, id: OrgId) -> Result<Organization, RepoError> {
        self.inner.get_org(id).await
    }

    async fn find_org_by_slug(&self, slug: &OrgSlug) -> Result<Option<Organization>, RepoError> {
        self.inner.find_org_by_slug(slug).await
    }

    async fn memberships(&self, user: UserId) -> Result<Vec<Membership>, RepoError> {
        self.inner.memberships(user).await
    }

    async fn membership(&self, org: OrgId, user: UserId) -> Result<Option<OrgRole>, RepoError> {
        let cache = &self.cache;
        let load = self.inner.membership(org, user);
        cache.read(&cache.inner.memberships, Kind::Auth, (org, user), |_| true, |_| true, load).await
    }

    async fn list_members(&self, org: OrgId) -> Result<Vec<Member>, RepoError> {
        self.inner.list_members(org).await
    }

    async fn rename_org(&self, id: OrgId, name: &str) -> Result<(), RepoError> {
        write_through!(self, [Auth, Jobs], self.inner.rename_org(id, name))
    }

    async fn delete_org(&self, id: OrgId) -> Result<(), RepoError> {
        write_through!(self, [Auth, Jobs], self.inner.delete_org(id))
    }

    async fn add_member(&self, org: OrgId, user: UserId, role: OrgRole, at: DateTime<Utc>) -> Result<(), RepoError> {
        write_through!(self, [Auth, Jobs], self.inner.add_member(org, user, role, at))
    }

    async fn set_member_role(&self, org: OrgId, user: UserId, role: OrgRole) -> Result<(), RepoError> {
        write_through!(self, [Auth, Jobs], self.inner.set_member_role(org, user, role))
    }

    async fn remove_member(&self, org: OrgId, user: UserId, reassign_to: Option<UserId>) -> Result<(), RepoError> {
        write_through!(self, [Auth, Jobs], self.inner.remove_member(org, user, reassign_to))
    }

    async fn plan_holder(&self, org: OrgId) -> Result<UserId, RepoError> {
        self.inner.plan_holder(org).await
    }

    async fn transfer_ownership(&self, org: OrgId, from: UserId, to: UserId) -> Result<(), RepoError> {
        write_through!(self, [Auth, Jobs], self.inner.transfer_ownership(org, from, to))
    }

    async fn insert_invite(&self, invite: &Invite) -> Result<(), RepoError> {
        write_through!(self, [Auth, Jobs], self.inner.insert_invite(invite))
    }

    async fn get_invite(&self, org: OrgId, id: InviteId) -> Result<Invite, RepoError> {
        self.inner.get_invite(org, id).await
    }

    async fn find_invite(&self, token_hash: &str) -> Result<Option<(Invite, Organization)>, RepoError> {
        self.inner.find_invite(token_hash).await
    }

    async fn list_invites(&self, org: OrgId) -> Result<Vec<Invite>, RepoError> {
        self.inner.list_invites(org).await
    }

    async fn pending_invite_for(
        &self,
        org: OrgId,
        email: &str,
        now: DateTime<Utc>,
    ) -> Result<Option<Invite>, RepoError> {
        self.inner.pending_invite_for(org, email, now).await
    }

    async fn invites_sent_since(&self, org: OrgId, since: DateTime<Utc>) -> Result<u64, RepoError> {
        self.inner.invites_sent_since(org, since).await
    }

    async fn revoke_invite(&self, org: OrgId, id: InviteId, now: DateTime<Utc>) -> Result<(), RepoError> {
        write_through!(self, [Auth, Jobs], self.inner.revoke_invite(org, id, now))
    }

    async fn rotate_invite(
        &self,
        org: OrgId,
        id: InviteId,
        token_hash: &str,
        sent_at: DateTime<Utc>,
        expires_at: DateTime<Utc>,
    ) -> Result<(), RepoError> {
        write_through!(self, [Auth, Jobs], self.inner.rotate_invite(org, id, token_hash, sent_at, expires_at))
    }

    async fn accept_invite(&self, token_hash: &str, user: UserId, now: DateTime<Utc>) -> Result<Invite, RepoError> {
        write_through!(self, [Auth, Jobs], self.inner.accept_invite(token_hash, user, now))
    }

    async fn list_orgs(&self, contains: Option<&str>, page: PageRequest) -> Result<Page<OrgSummary>, RepoError> {
        self.inner.list_orgs(contains, page).await
    }
}

#[derive(Debug)]
struct CachedJobs {
    inner: Arc<dyn JobRepository>,
    cache: ReadCache,
}

#[async_trait]
impl JobRepository for CachedJobs {
    async fn create_job(&self, job: &NewJob, message: &NewQueueMessage, audit: &AuditEntry) -> Result<Job, RepoError> {
        write_through!(self, [Jobs], self.inner.create_job(job, message, audit))
    }

    async fn get_job(&self, id: JobId) -> Result<Job, RepoError> {
        self.inner.get_job(id).await
    }

    async fn find_job_by_idempotency_key(&self, user: UserId, key: &str) -> Result<Option<Job>, RepoError> {
        self.inner.find_job_by_idempotency_key(user, key).await
    }

    async fn find_live_job_by_infohash(
        &self,
        org: OrgId,
        user: UserId,
        infohash: Infohash,
    ) -> Result<Option<Job>, RepoError> {
        self.inner.find_live_job_by_infohash(org, user, infohash).await
    }

    async fn list_live_jobs_by_infohash(&self, infohash: Infohash) -> Result<Vec<Job>, RepoError> {
        self.inner.list_live_jobs_by_infohash(infohash).await
    }

    async fn list_jobs(&self, filter: &JobFilter, page: PageRequest) -> Result<Page<Job>, RepoError> {
        let cache = &self.cache;
        let load = self.inner.list_jobs(filter, page);
        cache.read(&cache.inner.pages, Kind::Jobs, (filter.clone(), page), |_| true, |_| true, load).await
    }

    async fn update_job(&self, id: JobId, change: &JobChange) -> Result<Job, RepoError> {
        write_through!(self, [Jobs], self.inner.update_job(id, change))
    }

    async fn delete_job(&self, id: JobId, audit: &AuditEntry) -> Result<(), RepoError> {
        write_through!(self, [Jobs], self.inner.delete_job(id, audit))
    }

    async fn list_job_events(&self, id: JobId, after_seq: u64, limit: u64) -> Result<Vec<JobEvent>, RepoError> {
        self.inner.list_job_events(id, after_seq, limit).await
    }

    async fn usage(&self, of: UsageOf) -> Result<Usage, RepoError> {
        self.inner.usage(of).await
    }
}

#[derive(Debug)]
struct CachedLabels {
    inner: Arc<dyn LabelRepository>,
    cache: ReadCache,
}

#[async_trait]
impl LabelRepository for CachedLabels {
    async fn create_label(
        &self,
        user: UserId,
        kind: LabelKind,
        name: &str,
        now: DateTime<Utc>,
    ) -> Result<bool, RepoError> {
        write_through!(self, [Jobs], self.inner.create_label(user, kind, name, now))
    }

    async fn list_labels(&self, user: UserId, kind: LabelKind) -> Result<Vec<String>, RepoError> {
        self.inner.list_labels(user, kind).await
    }

    async fn delete_labels(&self, user: UserId, kind: LabelKind, names: &[String]) -> Result<(), RepoError> {
        write_through!(self, [Jobs], self.inner.delete_labels(user, kind, names))
    }

    async fn set_job_category(
        &self,
        user: UserId,
        job: JobId,
        category: Option<&str>,
        now: DateTime<Utc>,
    ) -> Result<(), RepoError> {
        write_through!(self, [Jobs], self.inner.set_job_category(user, job, category, now))
    }

    async fn add_job_tags(
        &self,
        user: UserId,
        job: JobId,
        tags: &[String],
        now: DateTime<Utc>,
    ) -> Result<(), RepoError> {
        write_through!(self, [Jobs], self.inner.add_job_tags(user, job, tags, now))
    }

    async fn remove_job_tags(&self, user: UserId, job: JobId, tags: &[String]) -> Result<(), RepoError> {
        write_through!(self, [Jobs], self.inner.remove_job_tags(user, job, tags))
    }

    async fn job_labels(&self, user: UserId, jobs: &[JobId]) -> Result<HashMap<JobId, JobLabels>, RepoError> {
        self.inner.job_labels(user, jobs).await
    }
}
