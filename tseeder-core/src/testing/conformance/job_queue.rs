//! The suite of the [`JobQueue`]: leases, redelivery, retries with backoff, dead letters and
//! replay, ordering, and concurrent leasers.

use std::collections::HashSet;
use std::sync::Arc;
use std::time::Duration;

use serde_json::json;

use super::{message, secs, t0};
use crate::config::RetryConfig;
use crate::domain::{JobId, QueueState};
use crate::error::QueueError;
use crate::ports::JobQueue;
use crate::services::retry::{FailOutcome, fail_delivery};

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
