//! The suite of the job, account and audit repositories together: round-trips of every enum
//! variant, compare-and-set job changes, history numbering, one live job per user and infohash
//! (in one organization: see the organization suite for several), and queue operations committed
//! with job changes.

use serde_json::json;

use super::{audit, message, new_job, new_user, secs, t0};
use crate::domain::{Infohash, JobStatus, Role, SecurityEvent, Severity, UserId};
use crate::error::{QueueError, RepoError};
use crate::ports::{AccountRepository, AuditLog, JobChange, JobQueue, JobRepository, NewJobEvent, QueueOp};

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

    // One live job per user and infohash (in their personal organization); failed or cancelled
    // ones do not count.
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
    assert_eq!(live.org_id, dup.org_id);
    assert_eq!(jobs.find_live_job_by_infohash(live.org_id, user.id, hash).await.unwrap().map(|j| j.id), Some(live.id));
    jobs.update_job(live.id, &JobChange::unchecked(JobStatus::Queued, JobStatus::Failed, t0())).await.unwrap();
    assert!(jobs.find_live_job_by_infohash(live.org_id, user.id, hash).await.unwrap().is_none());
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
    let conformance = crate::ports::SecurityEventFilter { kind: Some("conformance".into()), severity: None };
    let listed = audit_log.list_security_events(&conformance, crate::domain::PageRequest::default()).await.unwrap();
    let mut got: Vec<_> = listed.items.iter().map(|e| e.severity.as_str()).collect();
    got.sort_unstable();
    assert_eq!(got, ["critical", "info", "warn"]);
    // The severity filter combines with the kind's.
    let warn_only = crate::ports::SecurityEventFilter { severity: Some(Severity::Warn), ..conformance };
    let listed = audit_log.list_security_events(&warn_only, crate::domain::PageRequest::default()).await.unwrap();
    assert_eq!(listed.items.iter().map(|e| e.severity.as_str()).collect::<Vec<_>>(), ["warn"]);
    assert_eq!(listed.total, 1);
}
