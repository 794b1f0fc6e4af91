//! The suite of [`JobQueue::list_dead_matching`]: the dead-letter filters by error text, user
//! and age.

use std::time::Duration;

use super::{audit, message, new_job, new_user, secs, t0};
use crate::domain::{PageRequest, QueueMessageId, UserId};
use crate::ports::{AccountRepository, DeadLetterFilter, JobQueue, JobRepository};

/// Dead-letters the one ready message of `queue` at `t0() + at` with `error`.
async fn kill(queue: &dyn JobQueue, name: &str, error: &str, at: i64) -> QueueMessageId {
    let now = t0() + secs(at);
    let lease = queue.lease(name, "suite", Duration::from_secs(60), now).await.unwrap().unwrap();
    queue.dead_letter(&lease, error, now).await.unwrap();
    lease.message.id
}

/// Runs the dead-letter filter tests on a queue named `dead-letters` that must be empty.
pub async fn dead_letters(accounts: &dyn AccountRepository, jobs: &dyn JobRepository, queue: &dyn JobQueue) {
    const Q: &str = "dead-letters";
    let alice = accounts.insert_user(&new_user("dlq-alice@example.com")).await.unwrap().id;
    let bob = accounts.insert_user(&new_user("dlq-bob@example.com")).await.unwrap().id;
    let mut ids: Vec<QueueMessageId> = Vec::new();
    for (n, (user, error, at)) in
        [(alice, "quota_storage: too big", 10), (bob, "Lease Expired", 20), (alice, "engine exploded", 30)]
            .into_iter()
            .enumerate()
    {
        let job = new_job(user, &format!("{:040x}", 0xd1e0 + n));
        let mut msg = message(Q, Some(job.id), 1, t0());
        msg.id = QueueMessageId::new();
        jobs.create_job(&job, &msg, &audit("job.created")).await.unwrap();
        ids.push(kill(queue, Q, error, at).await);
    }
    // One without a job.
    queue.enqueue(&message(Q, None, 1, t0())).await.unwrap();
    let orphan = kill(queue, Q, "quota_storage: no job", 40).await;

    let list = |filter: DeadLetterFilter| async move {
        let page = queue.list_dead_matching(Q, &filter, PageRequest::default()).await.unwrap();
        assert_eq!(page.total, page.items.len() as u64);
        page.items.into_iter().map(|m| m.id).collect::<Vec<_>>()
    };
    let id = |n: usize| ids[n];
    assert_eq!(list(DeadLetterFilter::default()).await, vec![orphan, id(2), id(1), id(0)], "newest first");
    let by_error = DeadLetterFilter { error_contains: Some("QUOTA_storage".into()), ..DeadLetterFilter::default() };
    assert_eq!(list(by_error).await, vec![orphan, id(0)], "case-insensitive");
    let literal = DeadLetterFilter { error_contains: Some("lease_expired".into()), ..DeadLetterFilter::default() };
    assert_eq!(list(literal).await, Vec::<QueueMessageId>::new(), "`_` is literal");
    let by_user = DeadLetterFilter { user_id: Some(alice), ..DeadLetterFilter::default() };
    assert_eq!(list(by_user).await, vec![id(2), id(0)]);
    let nobody = DeadLetterFilter { user_id: Some(UserId::new()), ..DeadLetterFilter::default() };
    assert!(list(nobody).await.is_empty());
    let older = DeadLetterFilter { dead_before: Some(t0() + secs(20)), ..DeadLetterFilter::default() };
    assert_eq!(list(older).await, vec![id(1), id(0)], "at or before");
    let window = DeadLetterFilter {
        dead_after: Some(t0() + secs(20)),
        dead_before: Some(t0() + secs(35)),
        user_id: Some(alice),
        ..DeadLetterFilter::default()
    };
    assert_eq!(list(window).await, vec![id(2)]);
    let paged = queue.list_dead_matching(Q, &DeadLetterFilter::default(), PageRequest::new(2, 3)).await.unwrap();
    assert_eq!((paged.total, paged.items.len()), (4, 1));
}
