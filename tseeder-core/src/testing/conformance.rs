//! Conformance suites: the behaviour every adapter of a port must show, one module per port.
//! Adapter crates call these against each backend (SQLite, PostgreSQL, object stores), and
//! `tseeder-core`'s own tests call them against the in-memory fakes, so no implementation can
//! drift from the others.
//!
//! The suites panic on the first violated expectation, like ordinary test assertions. The
//! helpers here build the rows several suites need.
#![expect(clippy::unwrap_used, reason = "conformance suites are test code")]

mod billing;
mod broadcast;
mod config;
mod dead_letters;
mod file_repository;
mod file_store;
mod job_queue;
mod label;
mod maintenance;
mod meter;
mod metrics;
mod orgs;
mod plans;
mod repositories;
mod search;
mod status;
mod worker_registry;

use chrono::{DateTime, TimeZone, Utc};
use serde_json::json;

pub use self::billing::billing_repository;
pub use self::broadcast::broadcast;
pub use self::config::{account_admin, config};
pub use self::dead_letters::dead_letters;
pub use self::file_repository::file_repository;
pub use self::file_store::file_store;
pub use self::job_queue::job_queue;
pub use self::label::label_repository;
pub use self::maintenance::maintenance;
pub use self::meter::bandwidth_meter;
pub use self::metrics::metrics_repository;
pub use self::orgs::org_repository;
pub use self::plans::{blocklist, plans};
pub use self::repositories::repositories;
pub use self::search::{admin_search, job_filters};
pub use self::status::status_repository;
pub use self::worker_registry::worker_registry;
use crate::domain::{
    AuditEntry, JobId, JobSource, MagnetLink, NewJob, NewQueueMessage, NewUser, Organization, QueueMessageId, Role,
    UserId,
};

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

fn new_user(email: &str) -> NewUser {
    NewUser {
        id: UserId::new(),
        email: email.to_owned(),
        password_hash: "$argon2id$fake".into(),
        role: Role::User,
        plan_id: "free".into(),
        email_verified: false,
        created_at: t0(),
    }
}

/// A magnet job of `user` in their personal organization.
fn new_job(user: UserId, hash: &str) -> NewJob {
    let magnet = MagnetLink::parse(&format!("magnet:?xt=urn:btih:{hash}&dn=x")).unwrap();
    NewJob {
        id: JobId::new(),
        user_id: user,
        org_id: Organization::personal_id(user),
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
