//! A submitted job waits in the durable queue, ready for a compute engine, and dead-letter replay
//! through the admin API brings a failed job back.

use std::time::Duration;

use serde_json::{Value, json};
use tseeder::core::domain::{JobId, JobStatus, Role};
use tseeder::core::ports::JobChange;
use tseeder::core::services::retry::{FailOutcome, fail_delivery};

use crate::common::{TestApp, expect_error, magnet, on_every_backend};

on_every_backend!(submitted_job_waits_in_the_queue_and_dead_letters_replay);

async fn submitted_job_waits_in_the_queue_and_dead_letters_replay(app: &TestApp) {
    let user = app.register_and_login("queued@example.com").await;
    let admin = app.staff("dlqadmin@example.com", Role::Admin).await;
    let job: Value =
        user.post("/jobs").json(&json!({ "magnetUri": magnet("q") })).send().await.unwrap().json().await.unwrap();
    let job_id: JobId = job["id"].as_str().unwrap().parse().unwrap();

    let stats: Value = admin.get("/admin/queue").send().await.unwrap().json().await.unwrap();
    assert_eq!(stats["ready"], 1, "{stats}");

    // A compute engine leases it; every attempt fails until the message is dead-lettered.
    let ports = &app.core.ports;
    let retry = tseeder::core::config::RetryConfig { base_secs: 15, cap_secs: 600, max_attempts: 5 };
    let mut now = ports.clock.now();
    loop {
        let lease =
            ports.queue.lease("jobs", "test-engine", Duration::from_secs(60), now).await.unwrap().expect("job message");
        assert_eq!(lease.message.job_id, Some(job_id));
        match fail_delivery(&*ports.queue, &retry, &lease, "engine exploded", now).await.unwrap() {
            FailOutcome::Retry(at) => now = at,
            FailOutcome::DeadLettered => break,
        }
    }
    ports.jobs.update_job(job_id, &JobChange::unchecked(JobStatus::Queued, JobStatus::Failed, now)).await.unwrap();

    let dlq: Value = admin.get("/admin/dlq").send().await.unwrap().json().await.unwrap();
    let entry = &dlq["data"][0];
    assert_eq!(entry["jobId"], job["id"]);
    assert_eq!(entry["attempts"], 5);
    assert_eq!(entry["errors"].as_array().unwrap().len(), 5);
    let message_id = entry["id"].as_str().unwrap();

    let support = app.staff("dlqsupport@example.com", Role::Support).await;
    let res = support
        .post(&format!("/admin/dlq/{message_id}/replay"))
        .json(&json!({ "reason": "engine fixed, retrying" }))
        .send()
        .await
        .unwrap();
    expect_error(res, 403, "insufficient_role").await;
    let res = admin
        .post(&format!("/admin/dlq/{message_id}/replay"))
        .json(&json!({ "reason": "engine fixed, retrying", "ticketId": "OPS\u{7}5" }))
        .send()
        .await
        .unwrap();
    expect_error(res, 400, "invalid_ticket").await;
    let res = admin
        .post(&format!("/admin/dlq/{message_id}/replay"))
        .json(&json!({ "reason": "engine fixed, retrying", "ticketId": "OPS-5" }))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let audit: Value = admin.get("/admin/audit?action=dlq.replayed").send().await.unwrap().json().await.unwrap();
    assert_eq!(audit["meta"]["total"], 1);
    let metadata = &audit["data"][0]["metadata"];
    assert_eq!((&metadata["reason"], &metadata["ticketId"]), (&json!("engine fixed, retrying"), &json!("OPS-5")));
    let again: Value = user.get(&format!("/jobs/{job_id}")).send().await.unwrap().json().await.unwrap();
    assert_eq!(again["status"], "queued");
    let lease = ports.queue.lease("jobs", "test-engine", Duration::from_secs(60), ports.clock.now()).await.unwrap();
    assert_eq!(lease.map(|l| l.message.job_id), Some(Some(job_id)), "the replayed job is deliverable again");
    let res = admin
        .post(&format!("/admin/dlq/{message_id}/replay"))
        .json(&json!({ "reason": "engine fixed, retrying" }))
        .send()
        .await
        .unwrap();
    expect_error(res, 409, "not_dead_lettered").await;
}
