//! The admin search ([`AdminSearch`]) and the admin job filters ([`JobFilter`]'s worker and
//! age conditions).

use chrono::{DateTime, Utc};

use super::{audit, message, new_job, new_user, secs, t0};
use crate::domain::{AuditEntry, JobId, JobStatus, PageRequest, UserId};
use crate::ports::{AccountRepository, AdminSearch, AuditLog, JobChange, JobFilter, JobRepository};

/// A marker unique to one run, so the suites may share a database with others.
fn marker() -> String {
    format!("zq{}", &uuid::Uuid::new_v4().simple().to_string()[..10])
}

async fn job_named(jobs: &dyn JobRepository, user: UserId, name: &str, hash: &str, created_at: DateTime<Utc>) -> JobId {
    let mut job = new_job(user, hash);
    job.name = name.to_owned();
    job.created_at = created_at;
    jobs.create_job(&job, &message("q-search", None, 5, created_at), &audit("job.created")).await.unwrap();
    job.id
}

fn hex(seed: &str) -> String {
    use sha2::{Digest, Sha256};
    Sha256::digest(seed.as_bytes()).iter().take(20).map(|b| format!("{b:02x}")).collect()
}

/// Runs the behaviour tests of the admin search. It writes its own rows under a random marker,
/// so it may share the database.
pub async fn admin_search(
    accounts: &dyn AccountRepository,
    jobs: &dyn JobRepository,
    audit_log: &dyn AuditLog,
    search: &dyn AdminSearch,
) {
    let m = marker();
    let mut alice = new_user(&format!("alice.{m}@example.com"));
    alice.created_at = t0() + secs(1);
    let alice = accounts.insert_user(&alice).await.unwrap();
    let mut bob = new_user(&format!("bob.{m}@example.org"));
    bob.created_at = t0() + secs(2);
    let bob = accounts.insert_user(&bob).await.unwrap();

    // Users: by a part of the email (any case), by id.
    let found = search.search(&m.to_uppercase(), 10).await.unwrap();
    assert_eq!(found.users.total, 2);
    assert_eq!(found.users.items.iter().map(|u| u.id).collect::<Vec<_>>(), [bob.id, alice.id], "newest first");
    let found = search.search(&format!("alice.{m}"), 10).await.unwrap();
    assert_eq!(found.users.items.iter().map(|u| u.id).collect::<Vec<_>>(), [alice.id]);
    let found = search.search(&bob.id.to_string(), 10).await.unwrap();
    assert_eq!(found.users.items.iter().map(|u| u.id).collect::<Vec<_>>(), [bob.id], "by id");

    // Jobs: by a part of the name, by the start of the infohash, by id; totals beyond the limit.
    let mut ids = Vec::new();
    for i in 0..5 {
        let name = format!("Holiday {m} part {i}");
        ids.push(job_named(jobs, alice.id, &name, &hex(&format!("{m}{i}")), t0() + secs(10 + i)).await);
    }
    let other = job_named(jobs, bob.id, "something else", &hex(&m), t0() + secs(20)).await;
    let found = search.search(&format!("holiday {m}"), 3).await.unwrap();
    assert_eq!(found.jobs.total, 5, "the true total, not the page");
    assert_eq!(found.jobs.items.iter().map(|j| j.id).collect::<Vec<_>>(), [ids[4], ids[3], ids[2]]);
    let found = search.search(&hex(&m)[..12].to_uppercase(), 10).await.unwrap();
    assert_eq!(found.jobs.items.iter().map(|j| j.id).collect::<Vec<_>>(), [other], "infohash prefix");
    let found = search.search(&ids[1].to_string(), 10).await.unwrap();
    assert_eq!(found.jobs.items.iter().map(|j| j.id).collect::<Vec<_>>(), [ids[1]], "by id");
    // A rename is found at once.
    let mut renamed = JobChange::unchecked(JobStatus::Queued, JobStatus::Queued, t0());
    renamed.name = Some(format!("Renamed {m} cut"));
    jobs.update_job(ids[0], &renamed).await.unwrap();
    let found = search.search(&format!("{m} cut"), 10).await.unwrap();
    assert_eq!(found.jobs.items.iter().map(|j| j.id).collect::<Vec<_>>(), [ids[0]]);
    assert_eq!(search.search(&format!("holiday {m}"), 10).await.unwrap().jobs.total, 4);

    // Wildcards are plain characters; short texts work too.
    let found = search.search(&format!("{m}%"), 10).await.unwrap();
    assert_eq!((found.users.total, found.jobs.total), (0, 0));
    job_named(jobs, bob.id, &format!("50%_off {m}"), &hex(&format!("{m}w")), t0() + secs(30)).await;
    let found = search.search(&format!("50%_off {m}"), 10).await.unwrap();
    assert_eq!(found.jobs.total, 1);
    assert_eq!(search.search("%", 10).await.unwrap().jobs.items.iter().filter(|j| j.name.contains(&m)).count(), 1);
    assert!(search.search("Ho", 100).await.unwrap().jobs.items.iter().any(|j| j.name.contains(&m)), "two letters");
    let quoted = search.search(&format!("\"{m}"), 10).await.unwrap();
    assert_eq!(quoted.jobs.total, 0, "a quote is a character, not syntax");

    // Audit entries: by action, target id, actor id and actor email.
    let entry = |action: String, actor: Option<UserId>, target: Option<String>, at: i64| AuditEntry {
        actor_id: actor,
        action,
        target_type: "user".into(),
        target_id: target,
        metadata: serde_json::json!({}),
        ip: None,
        created_at: t0() + secs(at),
    };
    audit_log.record(&entry(format!("user.{m}_changed"), None, None, 40)).await.unwrap();
    audit_log.record(&entry("user.suspended".into(), Some(alice.id), Some(bob.id.to_string()), 41)).await.unwrap();
    let found = search.search(&format!("{m}_changed"), 10).await.unwrap();
    assert_eq!(found.audit.total, 1);
    assert_eq!(found.audit.items[0].entry.action, format!("user.{m}_changed"));
    let by_target = search.search(&bob.id.to_string(), 10).await.unwrap();
    assert_eq!(by_target.audit.items.iter().map(|r| r.entry.action.as_str()).collect::<Vec<_>>(), ["user.suspended"]);
    let by_actor = search.search(&alice.id.to_string(), 10).await.unwrap();
    assert_eq!(by_actor.audit.total, 1);
    let by_email = search.search(&format!("alice.{m}@"), 10).await.unwrap();
    assert_eq!(by_email.audit.total, 1, "the actor's email");
    assert_eq!(by_email.users.total, 1);
    let nothing = search.search(&marker(), 10).await.unwrap();
    assert_eq!((nothing.users.total, nothing.jobs.total, nothing.audit.total), (0, 0, 0));
}

/// Runs the behaviour tests of the admin job filters (worker, creation time). It writes its own
/// rows, so it may share the database.
pub async fn job_filters(accounts: &dyn AccountRepository, jobs: &dyn JobRepository) {
    let m = marker();
    let user = accounts.insert_user(&new_user(&format!("filters.{m}@example.com"))).await.unwrap().id;
    let mut ids = Vec::new();
    for i in 0..4 {
        ids.push(job_named(jobs, user, &format!("f{i}"), &hex(&format!("{m}f{i}")), t0() + secs(100 * i)).await);
    }
    for (id, worker) in [(ids[0], "agent-a"), (ids[1], "agent-b"), (ids[2], "agent-a")] {
        let mut change = JobChange::unchecked(JobStatus::Queued, JobStatus::Queued, t0());
        change.worker_id = Some(Some(format!("{worker}-{m}")));
        jobs.update_job(id, &change).await.unwrap();
    }
    let list = |filter: JobFilter| async move {
        let filter = JobFilter { user_id: Some(user), ..filter };
        let page = jobs.list_jobs(&filter, PageRequest::default()).await.unwrap();
        (page.total, page.items.into_iter().map(|j| j.id).collect::<Vec<_>>())
    };
    let on = |workers: &[&str]| Some(workers.iter().map(|w| format!("{w}-{m}")).collect::<Vec<_>>());
    assert_eq!(
        list(JobFilter { worker_ids: on(&["agent-a"]), ..JobFilter::default() }).await,
        (2, vec![ids[0], ids[2]])
    );
    assert_eq!(list(JobFilter { worker_ids: on(&["agent-a", "agent-b"]), ..JobFilter::default() }).await.0, 3);
    assert_eq!(list(JobFilter { worker_ids: Some(Vec::new()), ..JobFilter::default() }).await, (0, vec![]), "none");
    let older = JobFilter { created_before: Some(t0() + secs(100)), ..JobFilter::default() };
    assert_eq!(list(older).await, (2, vec![ids[0], ids[1]]), "at or before");
    let newer = JobFilter { created_after: Some(t0() + secs(200)), ..JobFilter::default() };
    assert_eq!(list(newer).await, (2, vec![ids[2], ids[3]]), "at or after");
    let both = JobFilter {
        created_after: Some(t0() + secs(100)),
        created_before: Some(t0() + secs(200)),
        worker_ids: on(&["agent-a"]),
        ..JobFilter::default()
    };
    assert_eq!(list(both).await, (1, vec![ids[2]]));

    // Every page of every size tells the same total and the rows in order: full pages, the last
    // partial one, exactly full ones, and empty pages past the end.
    let mine = JobFilter { user_id: Some(user), ..JobFilter::default() };
    for limit in 1..=5 {
        for number in 1..=6 {
            let page = jobs.list_jobs(&mine, PageRequest::new(number, limit)).await.unwrap();
            let from = usize::try_from((number - 1) * limit).unwrap().min(ids.len());
            let to = usize::try_from(number * limit).unwrap().min(ids.len());
            assert_eq!(page.total, 4, "page {number} of {limit}");
            assert_eq!(page.items.iter().map(|j| j.id).collect::<Vec<_>>(), ids[from..to], "page {number} of {limit}");
        }
    }
}
