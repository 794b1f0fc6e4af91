//! The read cache: the repositories it wraps pass their conformance suites through it (so no
//! read after a write sees what was there before), a read is served from memory until a write or
//! its max age, and a write in one process makes the other processes' entries stale.

#![allow(clippy::unwrap_used, reason = "tests: a panic is a test failure")]

use std::sync::Arc;
use std::time::Duration;

use chrono::Utc;
use tokio_util::sync::CancellationToken;
use tseeder_core::auth::{Credential, Principal};
use tseeder_core::domain::{JobId, JobStatus, PageRequest, Role, Scope, SessionId};
use tseeder_core::error::ServiceError;
use tseeder_core::ports::{JobChange, JobFilter, JobRepository as _};
use tseeder_core::read_cache::ReadCache;
use tseeder_core::services::job::{SubmitJob, SubmitSource};
use tseeder_core::services::relay::relay;
use tseeder_core::services::{EventBus, Ports, RequestMeta};
use tseeder_core::testing::{InMemoryBroadcast, InMemoryDb, ManualClock, conformance};

/// Long enough that no entry ages out while a test runs: only writes make them stale.
const LONG: Duration = Duration::from_secs(3_600);

/// A liveness bound, not a speed requirement.
const WAIT: Duration = Duration::from_secs(10);

fn cached(db: &InMemoryDb, max_age: Duration) -> (ReadCache, Ports) {
    let cache = ReadCache::new(max_age);
    let ports = cache.wrap(db.ports(Arc::new(ManualClock::new(Utc::now()))));
    (cache, ports)
}

#[tokio::test]
async fn the_cached_repositories_pass_the_conformance_suites() {
    let db = InMemoryDb::new();
    let (_, p) = cached(&db, LONG);
    conformance::repositories(&*p.accounts, &*p.jobs, &*p.queue, &*p.audit).await;
    conformance::account_admin(&*p.accounts).await;
    conformance::file_repository(&*p.accounts, &*p.jobs, &*p.files).await;
    conformance::org_repository(&*p.accounts, &*p.orgs, &*p.jobs).await;
    conformance::label_repository(&*p.accounts, &*p.jobs, &*p.labels).await;
    conformance::job_filters(&*p.accounts, &*p.jobs).await;
    conformance::dead_letters(&*p.accounts, &*p.jobs, &*p.queue).await;
    conformance::billing_repository(&*p.accounts, &*p.billing).await;
}

/// A user with a job, and the filter that lists that user's jobs.
async fn user_with_a_job(ports: &Ports) -> (JobId, JobFilter) {
    let core = tseeder_core::Tseeder::new(ports.clone(), Default::default());
    let user = core.accounts.create_user("cache@example.com", "a long password 1", Role::User).await.unwrap();
    let magnet = format!("magnet:?xt=urn:btih:{}&dn=cached", "cd".repeat(20));
    let principal = Principal::internal(&user);
    let request = SubmitJob {
        source: SubmitSource::Magnet(magnet),
        name: None,
        idempotency_key: None,
        files: None,
        region_hint: None,
    };
    let submitted = core.jobs.submit(&principal, request, &RequestMeta::default()).await.unwrap();
    (submitted.job.id, JobFilter { user_id: Some(user.id), ..JobFilter::default() })
}

fn failed() -> JobChange {
    let mut change = JobChange::unchecked(JobStatus::Queued, JobStatus::Failed, Utc::now());
    change.error = Some(Some("stopped by the test".into()));
    change
}

#[tokio::test]
async fn a_page_is_served_from_memory_until_a_write_through_the_cache() {
    let db = InMemoryDb::new();
    let (_, ports) = cached(&db, LONG);
    let (job, mine) = user_with_a_job(&ports).await;
    let status = |page: tseeder_core::domain::Page<tseeder_core::domain::Job>| page.items[0].status;
    assert_eq!(status(ports.jobs.list_jobs(&mine, PageRequest::default()).await.unwrap()), JobStatus::Queued);

    // Changed behind the cache's back (as another process would): the page is still the cached one.
    db.jobs().update_job(job, &failed()).await.unwrap();
    assert_eq!(status(ports.jobs.list_jobs(&mine, PageRequest::default()).await.unwrap()), JobStatus::Queued);

    // Any write through the cache makes it stale: the next read goes to the repository.
    ports.jobs.update_job(job, &JobChange::unchecked(JobStatus::Failed, JobStatus::Failed, Utc::now())).await.unwrap();
    assert_eq!(status(ports.jobs.list_jobs(&mine, PageRequest::default()).await.unwrap()), JobStatus::Failed);
}

#[tokio::test]
async fn an_entry_is_used_for_at_most_its_max_age() {
    let db = InMemoryDb::new();
    let (_, ports) = cached(&db, Duration::from_millis(200));
    let (job, mine) = user_with_a_job(&ports).await;
    ports.jobs.list_jobs(&mine, PageRequest::default()).await.unwrap();
    db.jobs().update_job(job, &failed()).await.unwrap();
    tokio::time::sleep(Duration::from_millis(300)).await;
    let page = ports.jobs.list_jobs(&mine, PageRequest::default()).await.unwrap();
    assert_eq!(page.items[0].status, JobStatus::Failed, "read again once older than its max age");
}

#[tokio::test]
async fn a_zero_max_age_turns_the_cache_off() {
    let db = InMemoryDb::new();
    let (_, ports) = cached(&db, Duration::ZERO);
    let (job, mine) = user_with_a_job(&ports).await;
    ports.jobs.list_jobs(&mine, PageRequest::default()).await.unwrap();
    db.jobs().update_job(job, &failed()).await.unwrap();
    let page = ports.jobs.list_jobs(&mine, PageRequest::default()).await.unwrap();
    assert_eq!(page.items[0].status, JobStatus::Failed);
}

/// Two processes of one installation: each its own cache over the shared database, relaying
/// over one channel.
#[tokio::test]
async fn a_write_in_one_process_makes_the_others_entries_stale() {
    let db = InMemoryDb::new();
    let channel = InMemoryBroadcast::default();
    let cancel = CancellationToken::new();
    let (cache_a, a) = cached(&db, LONG);
    let (cache_b, b) = cached(&db, LONG);
    relay(&EventBus::default(), &cache_a, Arc::new(channel.clone()), cancel.clone()).await.unwrap();
    relay(&EventBus::default(), &cache_b, Arc::new(channel.clone()), cancel.clone()).await.unwrap();
    let core_a = tseeder_core::Tseeder::new(a.clone(), Default::default());
    let core_b = tseeder_core::Tseeder::new(b.clone(), Default::default());

    // A key made on A, used on B (B caches it), revoked on A: refused on B.
    let user = core_a.accounts.create_user("hosts@example.com", "a long password 1", Role::User).await.unwrap();
    let session = Principal::new(&user, Credential::Session(SessionId::new()));
    let key = core_a
        .accounts
        .create_api_key(&session, "ci", vec![Scope::JobsRead], None, &RequestMeta::default())
        .await
        .unwrap();
    core_b.accounts.authenticate_api_key(&key.secret).await.unwrap();
    core_b.accounts.authenticate_api_key(&key.secret).await.unwrap();
    core_a.accounts.revoke_api_key(&session, key.key.id, &RequestMeta::default()).await.unwrap();
    let deadline = tokio::time::Instant::now() + WAIT;
    loop {
        match core_b.accounts.authenticate_api_key(&key.secret).await {
            Err(ServiceError::Unauthenticated) => break,
            other => assert!(tokio::time::Instant::now() < deadline, "B still takes the revoked key: {other:?}"),
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }

    // A page cached on B shows a job A changed.
    let (job, mine) = user_with_a_job(&a).await;
    assert_eq!(b.jobs.list_jobs(&mine, PageRequest::default()).await.unwrap().items[0].status, JobStatus::Queued);
    a.jobs.update_job(job, &failed()).await.unwrap();
    let deadline = tokio::time::Instant::now() + WAIT;
    while b.jobs.list_jobs(&mine, PageRequest::default()).await.unwrap().items[0].status != JobStatus::Failed {
        assert!(tokio::time::Instant::now() < deadline, "B still lists the job as A had it");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }

    // Without the relay, B would have kept both for an hour: the same reads on a cache that does
    // not relay still see what they cached.
    let (_, c) = cached(&db, LONG);
    let page = c.jobs.list_jobs(&mine, PageRequest::default()).await.unwrap();
    a.jobs.update_job(job, &JobChange::unchecked(JobStatus::Failed, JobStatus::Failed, Utc::now())).await.unwrap();
    db.jobs().update_job(job, &JobChange::unchecked(JobStatus::Failed, JobStatus::Queued, Utc::now())).await.unwrap();
    tokio::time::sleep(Duration::from_millis(50)).await;
    assert_eq!(c.jobs.list_jobs(&mine, PageRequest::default()).await.unwrap(), page, "no relay, no news");
    cancel.cancel();
}
