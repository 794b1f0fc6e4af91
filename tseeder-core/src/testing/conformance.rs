//! Conformance suites: the behaviour every adapter of a port must show. Adapter crates call these
//! against each backend (SQLite, PostgreSQL) so the backends cannot drift apart.
//!
//! The suites panic on the first violated expectation, like ordinary test assertions.
#![expect(clippy::unwrap_used, reason = "conformance suites are test code")]

use std::collections::HashSet;
use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, TimeZone, Utc};
use serde_json::json;

use crate::config::RetryConfig;
use crate::domain::{
    AuditEntry, Infohash, JobId, JobSource, JobStatus, MagnetLink, NewJob, NewQueueMessage, NewUser, QueueMessageId,
    QueueState, Role, SecurityEvent, Severity, UserId,
};
use crate::error::{QueueError, RepoError};
use crate::ports::{AccountRepository, AuditLog, JobChange, JobQueue, JobRepository, NewJobEvent, QueueOp};
use crate::services::queue::{FailOutcome, fail_delivery};

fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).single().unwrap()
}

fn secs(s: i64) -> chrono::Duration {
    chrono::Duration::seconds(s)
}

fn message(queue: &str, job: Option<JobId>, max_attempts: u32, at: DateTime<Utc>) -> NewQueueMessage {
    NewQueueMessage {
        id: QueueMessageId::new(),
        queue: queue.to_owned(),
        job_id: job,
        payload: json!({ "n": 1 }),
        max_attempts,
        visible_at: at,
        created_at: at,
    }
}

/// Runs every queue behaviour test. `queue` must be empty. Uses its own queue names, so it may
/// share a database with other suites.
pub async fn job_queue(queue: Arc<dyn JobQueue>) {
    lease_hides_message_until_ack(&*queue).await;
    crash_between_lease_and_ack_redelivers(&*queue).await;
    failures_back_off_then_dead_letter_and_replay(&*queue).await;
    expired_lease_on_last_attempt_dead_letters(&*queue).await;
    extend_keeps_the_lease(&*queue).await;
    postpone_gives_the_delivery_back_uncounted(&*queue).await;
    oldest_first_and_queues_are_isolated(&*queue).await;
    concurrent_leases_never_share_a_message(queue).await;
}

async fn lease_hides_message_until_ack(q: &dyn JobQueue) {
    let job = JobId::new();
    let m = message("q-basic", Some(job), 5, t0());
    q.enqueue(&m).await.unwrap();
    assert!(
        q.lease("q-basic", "w", Duration::from_secs(30), t0() - secs(1)).await.unwrap().is_none(),
        "not visible before visible_at"
    );
    let lease = q.lease("q-basic", "w", Duration::from_secs(30), t0()).await.unwrap().expect("message is leased");
    assert_eq!(lease.message.id, m.id);
    assert_eq!(lease.message.attempts, 1);
    assert_eq!(lease.message.job_id, Some(job));
    assert_eq!(lease.message.payload, json!({ "n": 1 }));
    assert_eq!(lease.message.lease_owner.as_deref(), Some("w"));
    assert!(
        q.lease("q-basic", "w2", Duration::from_secs(30), t0() + secs(5)).await.unwrap().is_none(),
        "leased message is invisible"
    );
    assert_eq!(q.find_for_job(job).await.unwrap().map(|m| m.id), Some(m.id));
    q.ack(&lease).await.unwrap();
    assert!(matches!(q.get(m.id).await, Err(QueueError::NotFound)), "ack removes the message");
    assert!(matches!(q.ack(&lease).await, Err(QueueError::LeaseLost)), "double ack is refused");
    assert!(q.lease("q-basic", "w", Duration::from_secs(30), t0() + secs(100)).await.unwrap().is_none());
}

async fn postpone_gives_the_delivery_back_uncounted(q: &dyn JobQueue) {
    let m = message("q-postpone", None, 2, t0());
    q.enqueue(&m).await.unwrap();
    // Waiting many times for capacity spends no attempt and records nothing.
    let mut now = t0();
    for _ in 0..5 {
        let lease = q.lease("q-postpone", "w", Duration::from_secs(30), now).await.unwrap().expect("deliverable");
        assert_eq!(lease.message.attempts, 1, "postponed deliveries are not counted");
        q.postpone(&lease, now + secs(10)).await.unwrap();
        assert!(matches!(q.postpone(&lease, now + secs(10)).await, Err(QueueError::LeaseLost)), "the lease ended");
        assert!(q.lease("q-postpone", "w", Duration::from_secs(30), now + secs(9)).await.unwrap().is_none());
        now += secs(10);
    }
    let lease = q.lease("q-postpone", "w", Duration::from_secs(30), now).await.unwrap().unwrap();
    let stored = q.get(m.id).await.unwrap();
    assert_eq!((stored.attempts, stored.last_error.as_deref()), (1, None), "{stored:?}");
    q.ack(&lease).await.unwrap();
}

async fn crash_between_lease_and_ack_redelivers(q: &dyn JobQueue) {
    let m = message("q-crash", None, 5, t0());
    q.enqueue(&m).await.unwrap();
    let first = q.lease("q-crash", "dies", Duration::from_secs(30), t0()).await.unwrap().unwrap();
    // The holder crashes: no ack, no retry. Before the timeout nothing is delivered...
    assert!(q.lease("q-crash", "other", Duration::from_secs(30), t0() + secs(29)).await.unwrap().is_none());
    // ...after it, the same message comes back with a new token.
    let second =
        q.lease("q-crash", "other", Duration::from_secs(30), t0() + secs(31)).await.unwrap().expect("redelivered");
    assert_eq!(second.message.id, m.id);
    assert_eq!(second.message.attempts, 2);
    assert_ne!(first.token, second.token);
    assert!(matches!(q.ack(&first).await, Err(QueueError::LeaseLost)), "a stale holder cannot ack");
    assert!(matches!(q.retry(&first, "late", t0() + secs(32), t0() + secs(40)).await, Err(QueueError::LeaseLost)));
    q.ack(&second).await.unwrap();
    assert!(matches!(q.get(m.id).await, Err(QueueError::NotFound)));
}

async fn failures_back_off_then_dead_letter_and_replay(q: &dyn JobQueue) {
    let retry = RetryConfig { base_secs: 15, cap_secs: 600, max_attempts: 3 };
    let m = message("q-retry", None, 3, t0());
    q.enqueue(&m).await.unwrap();
    let mut now = t0();
    let expected_delays = [15, 30];
    for (i, delay) in expected_delays.iter().enumerate() {
        let lease = q.lease("q-retry", "w", Duration::from_secs(60), now).await.unwrap().expect("deliverable");
        assert_eq!(lease.message.attempts, i as u32 + 1);
        let outcome = fail_delivery(q, &retry, &lease, &format!("boom {}", i + 1), now).await.unwrap();
        assert_eq!(outcome, FailOutcome::Retry(now + secs(*delay)));
        assert!(
            q.lease("q-retry", "w", Duration::from_secs(60), now + secs(delay - 1)).await.unwrap().is_none(),
            "backoff respected"
        );
        now += secs(*delay);
    }
    let last = q.lease("q-retry", "w", Duration::from_secs(60), now).await.unwrap().expect("third attempt");
    assert_eq!(last.message.attempts, 3);
    assert_eq!(fail_delivery(q, &retry, &last, "boom 3", now).await.unwrap(), FailOutcome::DeadLettered);
    assert!(
        q.lease("q-retry", "w", Duration::from_secs(60), now + secs(100_000)).await.unwrap().is_none(),
        "dead messages are never delivered"
    );

    let dead = q.get(m.id).await.unwrap();
    assert_eq!(dead.state, QueueState::Dead);
    assert_eq!(dead.dead_at, Some(now));
    assert_eq!(dead.last_error.as_deref(), Some("boom 3"));
    let errors: Vec<_> = dead.errors.iter().map(|e| (e.attempt, e.error.as_str())).collect();
    assert_eq!(errors, [(1, "boom 1"), (2, "boom 2"), (3, "boom 3")]);
    let listed = q.list_dead("q-retry", crate::domain::PageRequest::default()).await.unwrap();
    assert_eq!(listed.total, 1);
    assert_eq!(listed.items[0].id, m.id);
    assert_eq!(q.stats("q-retry", now).await.unwrap().dead, 1);

    let replayed = q.replay(m.id, now + secs(5)).await.unwrap();
    assert_eq!(replayed.state, QueueState::Ready);
    assert_eq!(replayed.attempts, 0);
    assert_eq!(replayed.errors.len(), 3, "replay keeps the error history");
    assert!(matches!(q.replay(m.id, now).await, Err(QueueError::NotFound)), "only dead messages replay");
    let again = q
        .lease("q-retry", "w", Duration::from_secs(60), now + secs(5))
        .await
        .unwrap()
        .expect("replayed message is deliverable");
    assert_eq!(again.message.attempts, 1);
    q.ack(&again).await.unwrap();
    assert_eq!(q.stats("q-retry", now).await.unwrap(), crate::ports::QueueStats::default());
}

async fn expired_lease_on_last_attempt_dead_letters(q: &dyn JobQueue) {
    let m = message("q-expire", None, 1, t0());
    q.enqueue(&m).await.unwrap();
    let _lost = q.lease("q-expire", "dies", Duration::from_secs(10), t0()).await.unwrap().unwrap();
    assert!(
        q.lease("q-expire", "w", Duration::from_secs(10), t0() + secs(11)).await.unwrap().is_none(),
        "no attempts left"
    );
    let dead = q.get(m.id).await.unwrap();
    assert_eq!(dead.state, QueueState::Dead);
    assert_eq!(dead.last_error.as_deref(), Some("lease expired"));
}

async fn extend_keeps_the_lease(q: &dyn JobQueue) {
    let m = message("q-extend", None, 5, t0());
    q.enqueue(&m).await.unwrap();
    let lease = q.lease("q-extend", "w", Duration::from_secs(10), t0()).await.unwrap().unwrap();
    q.extend(&lease, Duration::from_secs(60), t0() + secs(9)).await.unwrap();
    assert!(
        q.lease("q-extend", "x", Duration::from_secs(10), t0() + secs(30)).await.unwrap().is_none(),
        "extended lease holds"
    );
    let stolen = q.lease("q-extend", "x", Duration::from_secs(10), t0() + secs(70)).await.unwrap().unwrap();
    assert!(matches!(q.extend(&lease, Duration::from_secs(60), t0() + secs(71)).await, Err(QueueError::LeaseLost)));
    q.ack(&stolen).await.unwrap();
}

async fn oldest_first_and_queues_are_isolated(q: &dyn JobQueue) {
    let older = message("q-order", None, 5, t0());
    let newer = message("q-order", None, 5, t0() + secs(1));
    let elsewhere = message("q-order-other", None, 5, t0() - secs(10));
    q.enqueue(&newer).await.unwrap();
    q.enqueue(&older).await.unwrap();
    q.enqueue(&elsewhere).await.unwrap();
    let now = t0() + secs(5);
    let a = q.lease("q-order", "w", Duration::from_secs(30), now).await.unwrap().unwrap();
    let b = q.lease("q-order", "w", Duration::from_secs(30), now).await.unwrap().unwrap();
    assert_eq!((a.message.id, b.message.id), (older.id, newer.id));
    assert!(q.lease("q-order", "w", Duration::from_secs(30), now).await.unwrap().is_none());
    let stats = q.stats("q-order", now).await.unwrap();
    assert_eq!((stats.ready, stats.delayed, stats.dead), (0, 2, 0));
    q.ack(&a).await.unwrap();
    q.ack(&b).await.unwrap();
    let c = q.lease("q-order-other", "w", Duration::from_secs(30), now).await.unwrap().unwrap();
    q.ack(&c).await.unwrap();
}

async fn concurrent_leases_never_share_a_message(q: Arc<dyn JobQueue>) {
    const N: usize = 40;
    for _ in 0..N {
        q.enqueue(&message("q-race", None, 5, t0())).await.unwrap();
    }
    let mut tasks = Vec::new();
    for w in 0..4 {
        let q = Arc::clone(&q);
        tasks.push(tokio::spawn(async move {
            let mut got = Vec::new();
            while let Some(lease) = q.lease("q-race", &format!("w{w}"), Duration::from_secs(300), t0()).await.unwrap() {
                got.push(lease.message.id);
                q.ack(&lease).await.unwrap();
            }
            got
        }));
    }
    let mut seen = HashSet::new();
    for task in tasks {
        for id in task.await.unwrap() {
            assert!(seen.insert(id), "message {id} delivered twice");
        }
    }
    assert_eq!(seen.len(), N, "every message delivered exactly once");
}

fn new_user(email: &str) -> NewUser {
    NewUser {
        id: UserId::new(),
        email: email.to_owned(),
        password_hash: "$argon2id$fake".into(),
        role: Role::User,
        plan_id: "free".into(),
        created_at: t0(),
    }
}

fn new_job(user: UserId, hash: &str) -> NewJob {
    let magnet = MagnetLink::parse(&format!("magnet:?xt=urn:btih:{hash}&dn=x")).unwrap();
    NewJob {
        id: JobId::new(),
        user_id: user,
        name: "x".into(),
        infohash: magnet.infohash(),
        source: JobSource::Magnet(magnet),
        idempotency_key: None,
        selected_files: None,
        region_hint: None,
        total_bytes: None,
        created_at: t0(),
    }
}

fn audit(action: &str) -> AuditEntry {
    AuditEntry {
        actor_id: None,
        action: action.into(),
        target_type: "test".into(),
        target_id: None,
        metadata: json!({}),
        ip: None,
        created_at: t0(),
    }
}

/// Storage round-trips for accounts, jobs and the audit log, including every enum variant the
/// core has (the original's database refused a status its code used). The database must be
/// freshly migrated.
pub async fn repositories(
    accounts: &dyn AccountRepository,
    jobs: &dyn JobRepository,
    queue: &dyn JobQueue,
    audit_log: &dyn AuditLog,
) {
    // Every role round-trips; duplicate emails conflict.
    let user = accounts.insert_user(&new_user("conformance@example.com")).await.unwrap();
    assert!(matches!(accounts.insert_user(&new_user("conformance@example.com")).await, Err(RepoError::Conflict(_))));
    for role in Role::ALL {
        accounts.set_user_role(user.id, role).await.unwrap();
        assert_eq!(accounts.get_user(user.id).await.unwrap().role, role);
    }
    assert!(matches!(accounts.get_user(UserId::new()).await, Err(RepoError::NotFound)));

    // The default region starts unset, round-trips, and clears; unknown users are not found.
    assert_eq!(accounts.get_user(user.id).await.unwrap().default_region, None);
    let eu = crate::domain::RegionCode::parse("eu-west-2").unwrap();
    accounts.set_user_default_region(user.id, Some(&eu)).await.unwrap();
    assert_eq!(accounts.get_user(user.id).await.unwrap().default_region, Some(eu.clone()));
    let (by_email, _) = accounts.find_user_by_email("conformance@example.com").await.unwrap().unwrap();
    assert_eq!(by_email.default_region, Some(eu.clone()), "every read returns the default region");
    accounts.set_user_default_region(user.id, None).await.unwrap();
    assert_eq!(accounts.get_user(user.id).await.unwrap().default_region, None);
    assert!(matches!(accounts.set_user_default_region(UserId::new(), Some(&eu)).await, Err(RepoError::NotFound)));

    // Every job status round-trips through a compare-and-set change.
    let job = jobs
        .create_job(&new_job(user.id, &"a".repeat(40)), &message("q-jobs", None, 5, t0()), &audit("job.created"))
        .await
        .unwrap();
    assert_eq!(job.status, JobStatus::Queued);
    let mut current = JobStatus::Queued;
    for status in JobStatus::ALL {
        let mut change = JobChange::unchecked(current, status, t0() + secs(1));
        change.event =
            Some(NewJobEvent { kind: crate::domain::JobEventKind::StatusChanged, payload: json!({ "to": status }) });
        let updated = jobs.update_job(job.id, &change).await.unwrap();
        assert_eq!(updated.status, status);
        assert_eq!(jobs.get_job(job.id).await.unwrap().status, status);
        current = status;
    }
    // A stale compare-and-set writes nothing.
    let stale = JobChange::unchecked(JobStatus::Queued, JobStatus::Downloading, t0());
    assert!(matches!(jobs.update_job(job.id, &stale).await, Err(RepoError::Conflict(_))));
    assert_eq!(jobs.get_job(job.id).await.unwrap().status, current);
    // History is numbered from 1 without gaps.
    let events = jobs.list_job_events(job.id, 0, 100).await.unwrap();
    let seqs: Vec<u64> = events.iter().map(|e| e.seq).collect();
    assert_eq!(seqs, (1..=JobStatus::ALL.len() as u64 + 1).collect::<Vec<_>>());
    assert_eq!(events[0].kind, crate::domain::JobEventKind::JobCreated);
    assert_eq!(jobs.list_job_events(job.id, 3, 2).await.unwrap().iter().map(|e| e.seq).collect::<Vec<_>>(), [4, 5]);

    // One live job per user and infohash; failed or cancelled ones do not count.
    let live = jobs
        .create_job(&new_job(user.id, &"b".repeat(40)), &message("q-jobs", None, 5, t0()), &audit("job.created"))
        .await
        .unwrap();
    let dup = new_job(user.id, &"b".repeat(40));
    assert!(matches!(
        jobs.create_job(&dup, &message("q-jobs", None, 5, t0()), &audit("x")).await,
        Err(RepoError::Conflict(_))
    ));
    assert!(matches!(jobs.get_job(dup.id).await, Err(RepoError::NotFound)), "a refused create writes nothing");
    let hash: Infohash = "b".repeat(40).parse().unwrap();
    assert_eq!(jobs.find_live_job_by_infohash(user.id, hash).await.unwrap().map(|j| j.id), Some(live.id));
    jobs.update_job(live.id, &JobChange::unchecked(JobStatus::Queued, JobStatus::Failed, t0())).await.unwrap();
    assert!(jobs.find_live_job_by_infohash(user.id, hash).await.unwrap().is_none());
    jobs.create_job(&dup, &message("q-jobs", None, 5, t0()), &audit("x")).await.unwrap();

    // A queue operation commits with the job change, and not without it: while `dup` is live,
    // bringing `live` back to a live status would make two live jobs for one infohash.
    let msg = message("q-jobs-op", Some(live.id), 5, t0());
    let mut change = JobChange::unchecked(JobStatus::Failed, JobStatus::Queued, t0());
    change.queue = Some(QueueOp::Enqueue(msg.clone()));
    change.audit = Some(audit("job.resumed"));
    assert!(matches!(jobs.update_job(live.id, &change).await, Err(RepoError::Conflict(_))));
    assert!(matches!(queue.get(msg.id).await, Err(QueueError::NotFound)), "a refused change enqueues nothing");
    jobs.update_job(dup.id, &JobChange::unchecked(JobStatus::Queued, JobStatus::Cancelled, t0())).await.unwrap();
    jobs.update_job(live.id, &change).await.unwrap();
    assert_eq!(queue.get(msg.id).await.unwrap().job_id, Some(live.id));

    // Every severity round-trips.
    for severity in Severity::ALL {
        let event = SecurityEvent {
            kind: "conformance".into(),
            severity,
            actor_id: Some(user.id),
            ip: None,
            payload: json!({}),
            created_at: t0(),
        };
        audit_log.record_security_event(&event).await.unwrap();
    }
    let listed =
        audit_log.list_security_events(Some("conformance"), crate::domain::PageRequest::default()).await.unwrap();
    let mut got: Vec<_> = listed.items.iter().map(|e| e.severity.as_str()).collect();
    got.sort_unstable();
    assert_eq!(got, ["critical", "info", "warn"]);
}

pub use self::file_suites::{file_repository, file_store};

/// The suites of the download side: [`FileStore`](crate::ports::FileStore) and
/// [`FileRepository`](crate::ports::FileRepository).
mod file_suites {
    use std::collections::BTreeSet;
    use std::io;
    use std::ops::Range;
    use std::pin::Pin;
    use std::sync::Arc;
    use std::task::{Context, Poll};
    use std::time::Duration;

    use futures::StreamExt;
    use tokio::io::{AsyncRead, ReadBuf};

    use super::{audit, message, new_job, new_user, secs, t0};
    use crate::domain::file::guess_mime;
    use crate::domain::{FileId, Infohash, JobId, JobStatus, NewStoredFile, RelPath, StoredFile, UserId, blob_key};
    use crate::error::RepoError;
    use crate::ports::{AccountRepository, FileRepository, FileStore, FileStoreError, JobChange, JobRepository};

    const MIB: u64 = 1024 * 1024;

    /// Byte `i` of the test pattern: consecutive little-endian `u32` counters, so no two 4-byte
    /// words of the first 16 GiB are equal and a misplaced chunk is always noticed.
    fn pattern(i: u64) -> u8 {
        ((i / 4) >> (8 * (i % 4))) as u8
    }

    /// Yields `len` bytes of [`pattern`] in odd-sized reads, or fails once `fail_at` bytes are
    /// read. Nothing is held in memory.
    struct PatternReader {
        pos: u64,
        len: u64,
        fail_at: Option<u64>,
    }

    impl PatternReader {
        fn new(len: u64) -> Box<Self> {
            Box::new(Self { pos: 0, len, fail_at: None })
        }

        fn failing_at(len: u64, fail_at: u64) -> Box<Self> {
            Box::new(Self { pos: 0, len, fail_at: Some(fail_at) })
        }
    }

    impl AsyncRead for PatternReader {
        fn poll_read(mut self: Pin<&mut Self>, _cx: &mut Context<'_>, buf: &mut ReadBuf<'_>) -> Poll<io::Result<()>> {
            let end = self.len.min(self.fail_at.unwrap_or(u64::MAX));
            if self.pos >= end && self.fail_at.is_some_and(|f| self.pos >= f) {
                return Poll::Ready(Err(io::Error::other("the upload source failed")));
            }
            let n = (end - self.pos).min(buf.remaining() as u64).min(7919);
            let chunk: Vec<u8> = (self.pos..self.pos + n).map(pattern).collect();
            buf.put_slice(&chunk);
            self.pos += n;
            Poll::Ready(Ok(()))
        }
    }

    async fn read(store: &dyn FileStore, key: &str, range: Option<Range<u64>>) -> Result<Vec<u8>, FileStoreError> {
        let mut stream = store.get(key, range).await?;
        let mut out = Vec::new();
        while let Some(chunk) = stream.next().await {
            out.extend_from_slice(&chunk?);
        }
        Ok(out)
    }

    /// Asserts that `bytes` are the pattern's bytes from `start`, without printing megabytes.
    fn assert_pattern(bytes: &[u8], start: u64, len: u64, what: &str) {
        assert_eq!(bytes.len() as u64, len, "{what}: length");
        if let Some(i) = (0..bytes.len()).find(|&i| bytes[i] != pattern(start + i as u64)) {
            panic!("{what}: byte {} differs from the uploaded one", start + i as u64);
        }
    }

    async fn put_bytes(store: &dyn FileStore, key: &str, bytes: &'static [u8]) -> u64 {
        store.put(key, Box::new(bytes)).await.unwrap()
    }

    /// Runs every [`FileStore`] behaviour test: streaming multipart uploads, whole and ranged
    /// reads, sizes, overwrites, failed uploads, deletes. Uses keys under `conformance/`.
    pub async fn file_store(store: Arc<dyn FileStore>) {
        let s = &*store;
        let big = "conformance/blobs/Season 1/big file \u{e4}.bin";
        // Larger than one multipart part of any reasonable adapter (S3's minimum is 5 MiB,
        // object_store's default 10 MiB), and not a multiple of anything.
        let len = 12 * MIB + 123;

        // Missing objects.
        assert!(matches!(s.get(big, None).await, Err(FileStoreError::NotFound)), "get of a missing key");
        assert!(matches!(s.get(big, Some(0..2)).await, Err(FileStoreError::NotFound)), "ranged get of a missing key");
        assert!(matches!(s.size(big).await, Err(FileStoreError::NotFound)), "size of a missing key");

        // A streamed upload, read back whole and by ranges.
        assert_eq!(s.put(big, PatternReader::new(len)).await.unwrap(), len, "put returns the bytes written");
        assert_eq!(s.size(big).await.unwrap(), len);
        assert_pattern(&read(s, big, None).await.unwrap(), 0, len, "whole object");
        assert_eq!(read(s, big, Some(0..2)).await.unwrap(), [pattern(0), pattern(1)], "range 0..2");
        for range in [10 * MIB - 3..10 * MIB + 5, 5 * MIB..5 * MIB + 1, 1..len - 1, len - 1..len] {
            let what = format!("range {range:?}");
            assert_pattern(
                &read(s, big, Some(range.clone())).await.unwrap(),
                range.start,
                range.end - range.start,
                &what,
            );
        }
        assert_pattern(
            &read(s, big, Some(len - 10..len + 100)).await.unwrap(),
            len - 10,
            10,
            "range ending past the end",
        );
        for range in [len..len + 10, len + 1..len + 10, u64::MAX - 1..u64::MAX] {
            assert!(
                matches!(s.get(big, Some(range.clone())).await, Err(FileStoreError::InvalidRange)),
                "range {range:?} starts at or past the end"
            );
        }

        // A URL, if the backend signs them; it does not need the object to be read first.
        if let Some(url) = s.presigned_get(big, Duration::from_secs(60)).await.unwrap() {
            assert!(url.contains("://"), "a presigned URL is absolute: {url}");
        }

        // Overwrite replaces the object; a failed upload changes nothing and leaves nothing.
        assert_eq!(put_bytes(s, big, b"hello").await, 5);
        assert_eq!(s.size(big).await.unwrap(), 5);
        assert_eq!(read(s, big, None).await.unwrap(), b"hello");
        assert_eq!(read(s, big, Some(3..100)).await.unwrap(), b"lo");
        assert!(s.put(big, PatternReader::failing_at(len, 11 * MIB)).await.is_err(), "a failing reader fails put");
        assert_eq!(read(s, big, None).await.unwrap(), b"hello", "a failed overwrite keeps the old object");
        let failed = "conformance/failed.bin";
        assert!(s.put(failed, PatternReader::failing_at(len, 11 * MIB)).await.is_err());
        assert!(matches!(s.size(failed).await, Err(FileStoreError::NotFound)), "a failed upload leaves no object");
        assert!(s.put(failed, PatternReader::failing_at(len, 100)).await.is_err());
        assert!(matches!(s.size(failed).await, Err(FileStoreError::NotFound)), "nor does a small one");

        // Empty objects exist, and have no satisfiable range.
        let empty = "conformance/empty";
        assert_eq!(s.put(empty, PatternReader::new(0)).await.unwrap(), 0);
        assert_eq!(s.size(empty).await.unwrap(), 0);
        assert_eq!(read(s, empty, None).await.unwrap(), b"");
        assert!(matches!(s.get(empty, Some(0..1)).await, Err(FileStoreError::InvalidRange)));

        // Deletes, including of missing keys.
        s.delete(big).await.unwrap();
        assert!(matches!(s.size(big).await, Err(FileStoreError::NotFound)), "deleted");
        assert!(matches!(s.get(big, None).await, Err(FileStoreError::NotFound)), "deleted");
        s.delete(big).await.unwrap();
        s.delete("conformance/never/existed").await.unwrap();
        s.delete(empty).await.unwrap();
        assert!(matches!(s.size(empty).await, Err(FileStoreError::NotFound)));
    }

    fn new_file(job: JobId, infohash: Infohash, path: &str, size: u64) -> NewStoredFile {
        let path = RelPath::parse(path).unwrap();
        NewStoredFile {
            id: FileId::new(),
            job_id: job,
            blob_key: blob_key(infohash, &path),
            mime_type: guess_mime(&path).map(str::to_owned),
            path,
            size,
            created_at: t0(),
        }
    }

    fn stored(f: &NewStoredFile) -> StoredFile {
        StoredFile {
            id: f.id,
            job_id: f.job_id,
            path: f.path.clone(),
            size: f.size,
            blob_key: f.blob_key.clone(),
            mime_type: f.mime_type.clone(),
            created_at: f.created_at,
        }
    }

    fn ids(files: &[StoredFile]) -> Vec<FileId> {
        files.iter().map(|f| f.id).collect()
    }

    fn set(keys: Vec<String>) -> BTreeSet<String> {
        let n = keys.len();
        let set: BTreeSet<String> = keys.into_iter().collect();
        assert_eq!(set.len(), n, "keys are returned once each");
        set
    }

    /// Runs every [`FileRepository`] behaviour test: rows, conflicts, blob sharing between jobs
    /// (a blob is orphaned only when its last row goes) and finding a completed job to share
    /// with. Also checks that `NewJob::selected_files` and `NewJob::region_hint` round-trip. The database must be migrated;
    /// the suite uses its own users and infohashes, so it may share it with other suites.
    pub async fn file_repository(
        accounts: &dyn AccountRepository,
        jobs: &dyn JobRepository,
        files: &dyn FileRepository,
    ) {
        let hash = "c".repeat(40);
        let h: Infohash = hash.parse().unwrap();
        let mut users: Vec<UserId> = Vec::new();
        for name in ["files-a", "files-b", "files-c"] {
            users.push(accounts.insert_user(&new_user(&format!("{name}@example.com"))).await.unwrap().id);
        }
        let mut created = Vec::new();
        for (i, user) in users.iter().enumerate() {
            let mut job = new_job(*user, &hash);
            job.selected_files = (i == 1).then(|| vec![2, 0, 4_000_000_000]);
            job.region_hint = (i == 1).then(|| crate::domain::RegionCode::parse("us-east").unwrap());
            created.push(
                jobs.create_job(&job, &message("q-files", Some(job.id), 5, t0()), &audit("job.created")).await.unwrap(),
            );
        }
        let (a, b, c) = (created[0].id, created[1].id, created[2].id);
        assert_eq!(jobs.get_job(a).await.unwrap().selected_files, None, "no selection");
        assert_eq!(jobs.get_job(b).await.unwrap().selected_files, Some(vec![2, 0, 4_000_000_000]), "a selection");
        assert_eq!(jobs.get_job(a).await.unwrap().region_hint, None, "no region hint");
        assert_eq!(jobs.get_job(b).await.unwrap().region_hint.as_ref().map(|r| r.as_str()), Some("us-east"), "a hint");

        // Rows round-trip and are listed by path (byte order: upper case first).
        let mut a_e2 = new_file(a, h, "show/e2.mkv", 5_000_000_000);
        a_e2.created_at = t0() + secs(1);
        let a_e1 = new_file(a, h, "show/e1.mkv", 10);
        let mut a_txt = new_file(a, h, "show/B.txt", 0);
        a_txt.mime_type = None;
        for f in [&a_e2, &a_e1, &a_txt] {
            assert_eq!(files.add_file(f).await.unwrap(), stored(f));
        }
        let dup = NewStoredFile { id: FileId::new(), ..a_e1.clone() };
        assert!(matches!(files.add_file(&dup).await, Err(RepoError::Conflict(_))), "same path twice in a job");
        let listed = files.list_files(a).await.unwrap();
        assert_eq!(listed, vec![stored(&a_txt), stored(&a_e1), stored(&a_e2)]);
        assert_eq!(files.get_file(a_e2.id).await.unwrap(), stored(&a_e2));
        assert!(matches!(files.get_file(FileId::new()).await, Err(RepoError::NotFound)));
        assert!(files.list_files(JobId::new()).await.unwrap().is_empty());

        // B shares A's blob for e1; C (which will fail) has a blob of its own.
        let b_e1 = new_file(b, h, "show/e1.mkv", 10);
        assert_eq!(b_e1.blob_key, a_e1.blob_key);
        files.add_file(&b_e1).await.unwrap();
        let c_other = new_file(c, h, "other.bin", 1);
        files.add_file(&c_other).await.unwrap();

        // Only completed jobs completed at or after `since` are sources, the latest first.
        assert!(files.find_completed_source(h, Some(t0())).await.unwrap().is_none(), "nothing completed yet");
        assert!(files.find_completed_source(h, None).await.unwrap().is_none(), "nothing completed yet, ever");
        let finish = |id: JobId, status: JobStatus, at_secs: i64| async move {
            let mut change = JobChange::unchecked(JobStatus::Queued, status, t0() + secs(at_secs));
            change.completed_at = Some(t0() + secs(at_secs));
            jobs.update_job(id, &change).await.unwrap();
        };
        finish(a, JobStatus::Completed, 10).await;
        let source = |since_secs: i64| async move {
            files.find_completed_source(h, Some(t0() + secs(since_secs))).await.unwrap().map(|f| ids(&f))
        };
        assert_eq!(source(0).await, Some(ids(&listed)), "A's files, by path");
        assert_eq!(source(10).await, Some(ids(&listed)), "`since` is inclusive");
        assert_eq!(source(11).await, None, "completed before `since`");
        let any_time = files.find_completed_source(h, None).await.unwrap().map(|f| ids(&f));
        assert_eq!(any_time, Some(ids(&listed)), "no cutoff: completed at any time");
        let other: Infohash = "d".repeat(40).parse().unwrap();
        assert!(files.find_completed_source(other, Some(t0())).await.unwrap().is_none(), "another torrent");
        assert!(files.find_completed_source(other, None).await.unwrap().is_none(), "another torrent, no cutoff");
        finish(c, JobStatus::Failed, 20).await;
        assert_eq!(source(0).await, Some(ids(&listed)), "a failed job is no source");
        finish(b, JobStatus::Completed, 30).await;
        assert_eq!(source(0).await, Some(vec![b_e1.id]), "the most recently completed job");

        // A blob is orphaned only when its last row goes.
        assert_eq!(files.delete_job_files(b).await.unwrap(), Vec::<String>::new(), "A still uses e1's blob");
        assert!(files.list_files(b).await.unwrap().is_empty());
        assert_eq!(source(0).await, Some(ids(&listed)), "B has no files left: A is the source again");
        let b_again = new_file(b, h, "show/e1.mkv", 10);
        files.add_file(&b_again).await.unwrap();
        assert_eq!(files.delete_file(b_again.id).await.unwrap(), None, "A still uses e1's blob");
        assert_eq!(files.delete_file(a_e2.id).await.unwrap(), Some(a_e2.blob_key.clone()), "the only user");
        assert!(matches!(files.delete_file(a_e2.id).await, Err(RepoError::NotFound)), "already deleted");
        assert_eq!(
            set(files.delete_job_files(a).await.unwrap()),
            BTreeSet::from([a_e1.blob_key.clone(), a_txt.blob_key.clone()]),
            "the last users of their blobs"
        );
        assert!(files.list_files(a).await.unwrap().is_empty());
        assert_eq!(source(0).await, None, "no completed job has files left");
        assert!(files.delete_job_files(a).await.unwrap().is_empty(), "nothing left to delete");
        assert!(files.delete_job_files(JobId::new()).await.unwrap().is_empty(), "unknown job");
        assert_eq!(files.delete_job_files(c).await.unwrap(), vec![c_other.blob_key.clone()]);
    }
}

pub use self::worker_suite::worker_registry;

/// The suite of the [`WorkerRegistry`](crate::ports::WorkerRegistry).
mod worker_suite {
    use chrono::{DateTime, Utc};
    use url::Url;

    use super::{secs, t0};
    use crate::domain::{Heartbeat, HeartbeatRecord, RegionCode, Worker, WorkerStatus};
    use crate::error::RepoError;
    use crate::ports::WorkerRegistry;

    /// `t0() + s` seconds, with microseconds (which every backend must keep).
    fn at(s: i64) -> DateTime<Utc> {
        t0() + secs(s) + chrono::Duration::microseconds(123_456)
    }

    fn heartbeat(id: &str, region: &str, active: u32, max: u32) -> Heartbeat {
        Heartbeat {
            worker_id: id.to_owned(),
            region: RegionCode::parse(region).unwrap(),
            base_url: Url::parse(&format!("https://{id}.agents.example.com:8787/")).unwrap(),
            version: "0.1.0".into(),
            active_jobs: active,
            max_jobs: max,
            disk_free_bytes: 1 << 40,
            disk_total_bytes: 4 << 40,
            cpu_pct: 12.5,
            bandwidth_bps: 125_000_000,
        }
    }

    fn expected(hb: &Heartbeat, status: WorkerStatus, last: DateTime<Utc>, registered: DateTime<Utc>) -> Worker {
        Worker {
            id: hb.worker_id.clone(),
            region: hb.region.clone(),
            base_url: hb.base_url.clone(),
            version: hb.version.clone(),
            status,
            active_jobs: hb.active_jobs,
            max_jobs: hb.max_jobs,
            disk_free_bytes: hb.disk_free_bytes,
            disk_total_bytes: hb.disk_total_bytes,
            cpu_pct: hb.cpu_pct,
            bandwidth_bps: hb.bandwidth_bps,
            last_heartbeat_at: last,
            registered_at: registered,
        }
    }

    fn record(hb: &Heartbeat, status: WorkerStatus, received_at: DateTime<Utc>) -> HeartbeatRecord {
        HeartbeatRecord {
            worker_id: hb.worker_id.clone(),
            status,
            active_jobs: hb.active_jobs,
            max_jobs: hb.max_jobs,
            disk_free_bytes: hb.disk_free_bytes,
            disk_total_bytes: hb.disk_total_bytes,
            cpu_pct: hb.cpu_pct,
            bandwidth_bps: hb.bandwidth_bps,
            received_at,
        }
    }

    async fn ids(r: &dyn WorkerRegistry) -> Vec<String> {
        r.list_workers().await.unwrap().into_iter().map(|w| w.id).collect()
    }

    async fn status(r: &dyn WorkerRegistry, id: &str) -> WorkerStatus {
        r.get_worker(id).await.unwrap().status
    }

    /// Runs every [`WorkerRegistry`] behaviour test: registration and updates by heartbeat, the
    /// history, every status round-tripping, operator statuses surviving heartbeats, offline
    /// marking, pruning and concurrent first heartbeats. `registry` must be empty.
    pub async fn worker_registry(r: &dyn WorkerRegistry) {
        let id = "conf-w1";
        assert!(r.list_workers().await.unwrap().is_empty(), "the registry starts empty");
        assert!(matches!(r.get_worker(id).await, Err(RepoError::NotFound)));
        assert!(matches!(r.set_status(id, WorkerStatus::Cordoned).await, Err(RepoError::NotFound)));
        assert!(r.heartbeat_history(id, 10).await.unwrap().is_empty(), "an unknown worker has no history");

        // A first heartbeat registers the worker as healthy; large values survive.
        let mut first = heartbeat(id, "eu-west", 1, 4);
        first.disk_free_bytes = i64::MAX as u64;
        first.disk_total_bytes = i64::MAX as u64;
        let registered = r.record_heartbeat(&first, at(0)).await.unwrap();
        assert_eq!(registered, expected(&first, WorkerStatus::Healthy, at(0), at(0)));
        assert_eq!(r.get_worker(id).await.unwrap(), registered);
        assert!(matches!(r.get_worker("conf-w1 ").await, Err(RepoError::NotFound)), "ids match exactly");

        // A later one replaces every reported field and keeps `registered_at`.
        let second = Heartbeat {
            worker_id: id.into(),
            region: RegionCode::parse("us-east-2").unwrap(),
            base_url: Url::parse("http://10.0.0.2:9000/agent/").unwrap(),
            version: "0.2.0 (abcdef)".into(),
            active_jobs: 3,
            max_jobs: 8,
            disk_free_bytes: 5,
            disk_total_bytes: 6,
            cpu_pct: 99.75,
            bandwidth_bps: 0,
        };
        let updated = r.record_heartbeat(&second, at(5)).await.unwrap();
        assert_eq!(updated, expected(&second, WorkerStatus::Healthy, at(5), at(0)));
        assert_eq!(r.get_worker(id).await.unwrap(), updated);

        // History: newest first, limited.
        let history = r.heartbeat_history(id, 10).await.unwrap();
        assert_eq!(
            history,
            [record(&second, WorkerStatus::Healthy, at(5)), record(&first, WorkerStatus::Healthy, at(0))]
        );
        assert_eq!(r.heartbeat_history(id, 1).await.unwrap(), [record(&second, WorkerStatus::Healthy, at(5))]);
        assert!(r.heartbeat_history(id, 0).await.unwrap().is_empty());

        // Every status round-trips, and setting one leaves the heartbeat time alone.
        for s in WorkerStatus::ALL {
            let w = r.set_status(id, s).await.unwrap();
            assert_eq!((w.status, w.last_heartbeat_at), (s, at(5)), "set_status({s}) returns the worker");
            assert_eq!(r.get_worker(id).await.unwrap(), w, "{s} round-trips");
        }
        assert_eq!(r.heartbeat_history(id, 10).await.unwrap().len(), 2, "set_status writes no history");

        // A heartbeat keeps operator statuses and revives an offline worker.
        let cases = [
            (WorkerStatus::Cordoned, WorkerStatus::Cordoned),
            (WorkerStatus::Draining, WorkerStatus::Draining),
            (WorkerStatus::Offline, WorkerStatus::Healthy),
            (WorkerStatus::Healthy, WorkerStatus::Healthy),
        ];
        for (i, (before, after)) in cases.into_iter().enumerate() {
            let when = at(10 + i as i64);
            r.set_status(id, before).await.unwrap();
            let w = r.record_heartbeat(&second, when).await.unwrap();
            assert_eq!(w.status, after, "a heartbeat of a {before} worker");
            assert_eq!(w.last_heartbeat_at, when);
            assert_eq!(status(r, id).await, after);
            let latest = r.heartbeat_history(id, 1).await.unwrap();
            assert_eq!(latest, [record(&second, after, when)], "history has the status after the heartbeat");
        }
        assert_eq!(r.heartbeat_history(id, 100).await.unwrap().len(), 6);

        // Workers are listed by id.
        r.record_heartbeat(&heartbeat("conf-w2", "eu-west", 0, 2), at(20)).await.unwrap();
        r.record_heartbeat(&heartbeat("conf-w0", "ap", 0, 2), at(21)).await.unwrap();
        assert_eq!(ids(r).await, ["conf-w0", "conf-w1", "conf-w2"]);

        // Offline marking: healthy workers strictly older than the cutoff, in one update.
        r.record_heartbeat(&heartbeat("conf-m-stale", "eu-west", 0, 2), at(50)).await.unwrap();
        r.record_heartbeat(&heartbeat("conf-m-cordoned", "eu-west", 0, 2), at(50)).await.unwrap();
        r.set_status("conf-m-cordoned", WorkerStatus::Cordoned).await.unwrap();
        r.record_heartbeat(&heartbeat("conf-m-edge", "eu-west", 0, 2), at(90)).await.unwrap();
        r.record_heartbeat(&heartbeat("conf-m-fresh", "eu-west", 0, 2), at(95)).await.unwrap();
        r.set_status("conf-w2", WorkerStatus::Draining).await.unwrap();
        let marked = r.mark_offline(at(90)).await.unwrap();
        assert_eq!(marked, ["conf-m-stale", "conf-w0", "conf-w1"]);
        for (worker, s) in [
            ("conf-m-stale", WorkerStatus::Offline),
            ("conf-w0", WorkerStatus::Offline),
            ("conf-w1", WorkerStatus::Offline),
            ("conf-m-cordoned", WorkerStatus::Cordoned),
            ("conf-w2", WorkerStatus::Draining),
            ("conf-m-edge", WorkerStatus::Healthy),
            ("conf-m-fresh", WorkerStatus::Healthy),
        ] {
            assert_eq!(status(r, worker).await, s, "{worker} after mark_offline");
        }
        assert_eq!(r.get_worker("conf-m-stale").await.unwrap().last_heartbeat_at, at(50), "no heartbeat is faked");
        assert!(r.mark_offline(at(90)).await.unwrap().is_empty(), "offline workers are not marked again");
        let revived = r.record_heartbeat(&heartbeat("conf-m-stale", "eu-west", 0, 2), at(100)).await.unwrap();
        assert_eq!(revived.status, WorkerStatus::Healthy);
        assert_eq!(revived.registered_at, at(50));

        // Pruning deletes history strictly before the cutoff, of every worker.
        assert_eq!(r.prune_history(at(10)).await.unwrap(), 2, "conf-w1's first two heartbeats");
        let left = r.heartbeat_history(id, 100).await.unwrap();
        assert_eq!(left.len(), 4);
        assert_eq!(left.last().map(|h| h.received_at), Some(at(10)), "the cutoff itself is kept");
        assert_eq!(r.prune_history(at(10)).await.unwrap(), 0);
        assert_eq!(r.get_worker(id).await.unwrap().registered_at, at(0), "pruning leaves the workers alone");

        // Concurrent first heartbeats of one worker all succeed: one registers, the rest update.
        let racers: Vec<Heartbeat> = (0..8).map(|i| heartbeat("conf-race", "eu-west", i, 8)).collect();
        let results = futures::future::join_all(racers.iter().map(|hb| r.record_heartbeat(hb, at(200)))).await;
        for result in results {
            assert_eq!(result.unwrap().registered_at, at(200));
        }
        let raced = r.get_worker("conf-race").await.unwrap();
        assert_eq!((raced.status, raced.max_jobs), (WorkerStatus::Healthy, 8));
        assert_eq!(r.heartbeat_history("conf-race", 100).await.unwrap().len(), 8, "one history row per heartbeat");
        assert_eq!(ids(r).await.len(), 8);
    }
}
