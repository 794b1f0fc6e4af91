//! The suite of the [`StatusRepository`]: samples and their hourly and daily roll-ups, incidents
//! with their updates, maintenance windows, and the audit entries written with them.

use chrono::{DateTime, Duration, SubsecRound, Utc};
use serde_json::json;

use crate::domain::{
    AuditEntry, ComponentState, ComponentStatus, Incident, IncidentImpact, IncidentStatus, IncidentUpdate, Maintenance,
    PageRequest, RollupPeriod, StateMinutes, UptimeSnapshot,
};
use crate::error::RepoError;
use crate::ports::{AuditFilter, AuditLog, StatusRepository};

fn t(s: &str) -> DateTime<Utc> {
    s.parse().unwrap()
}

fn entry(action: &str, target: uuid::Uuid) -> AuditEntry {
    AuditEntry {
        actor_id: None,
        action: action.into(),
        target_type: "status".into(),
        target_id: Some(target.to_string()),
        metadata: json!({ "suite": "status" }),
        ip: None,
        created_at: t("2090-01-01T00:00:00Z"),
    }
}

/// How many audit entries `action` on `target` has.
async fn audited(audit: &dyn AuditLog, action: &str, target: uuid::Uuid) -> u64 {
    let filter =
        AuditFilter { action: Some(action.into()), target_id: Some(target.to_string()), ..AuditFilter::default() };
    audit.list_audit(&filter, PageRequest::default()).await.unwrap().total
}

fn minutes(operational: u32, degraded: u32, partial_outage: u32, major_outage: u32, maintenance: u32) -> StateMinutes {
    StateMinutes { operational, degraded, partial_outage, major_outage, maintenance }
}

fn snapshot(component: &str, period: RollupPeriod, start: &str, minutes: StateMinutes) -> UptimeSnapshot {
    UptimeSnapshot { component: component.to_owned(), period, start: t(start), minutes }
}

fn component_status(
    component: &str,
    state: ComponentState,
    reason: &str,
    since: DateTime<Utc>,
    checked_at: DateTime<Utc>,
) -> ComponentStatus {
    ComponentStatus { component: component.to_owned(), state, reason: reason.to_owned(), since, checked_at }
}

/// The latest status of `component`.
async fn current(status: &dyn StatusRepository, component: &str) -> ComponentStatus {
    status.statuses().await.unwrap().into_iter().find(|s| s.component == component).unwrap()
}

/// The roll-ups of `period` from `from` of the components named `prefix...`.
async fn rollups(status: &dyn StatusRepository, prefix: &str, period: RollupPeriod, from: &str) -> Vec<UptimeSnapshot> {
    let all = status.snapshots(period, t(from)).await.unwrap();
    all.into_iter().filter(|s| s.component.starts_with(prefix)).collect()
}

/// The incidents of `ids` that `incidents(from, max)` lists.
async fn listed_incidents(
    status: &dyn StatusRepository,
    ids: &[uuid::Uuid],
    from: DateTime<Utc>,
    max: u64,
) -> Vec<Incident> {
    let all = status.incidents(from, max).await.unwrap();
    all.into_iter().filter(|i| ids.contains(&i.id)).collect()
}

/// The windows of `ids` that `maintenances(from)` lists.
async fn listed_windows(status: &dyn StatusRepository, ids: &[uuid::Uuid], from: &str) -> Vec<Maintenance> {
    let all = status.maintenances(t(from)).await.unwrap();
    all.into_iter().filter(|m| ids.contains(&m.id)).collect()
}

fn update(status: IncidentStatus, body: &str, at: DateTime<Utc>) -> IncidentUpdate {
    IncidentUpdate { id: uuid::Uuid::new_v4(), status, body: body.to_owned(), created_at: at }
}

/// An incident opened at `created_at` by `updates` (the first one opens it); its status is the
/// last update's, resolved at that update's time when it resolves.
fn incident(title: &str, impact: IncidentImpact, components: &[&str], updates: Vec<IncidentUpdate>) -> Incident {
    let created_at = updates.first().unwrap().created_at;
    let last = updates.last().unwrap();
    let (status, last_at) = (last.status, last.created_at);
    Incident {
        id: uuid::Uuid::new_v4(),
        title: title.to_owned(),
        impact,
        status,
        components: components.iter().map(|c| (*c).to_owned()).collect(),
        created_at,
        resolved_at: (status == IncidentStatus::Resolved).then_some(last_at),
        updates,
    }
}

fn window(title: &str, components: &[&str], starts_at: &str, ends_at: &str) -> Maintenance {
    Maintenance {
        id: uuid::Uuid::new_v4(),
        title: title.to_owned(),
        body: format!("{title}: details"),
        components: components.iter().map(|c| (*c).to_owned()).collect(),
        starts_at: t(starts_at),
        ends_at: t(ends_at),
        created_at: t("2090-05-15T12:00:00Z"),
    }
}

/// Runs every [`StatusRepository`] behaviour test: a sample sets the component's latest status
/// (keeping `since` while the state is unchanged) and adds one minute to its hour and day rows,
/// across hour and day boundaries; statuses and roll-ups come back in order; incidents keep
/// their updates oldest first and `resolved_at` follows the latest update; incidents and
/// maintenance windows are listed by their time windows; unknown ids are `NotFound`; every
/// incident and maintenance write has its audit entry, and a refused one none.
///
/// The suite's components carry a random prefix and its incidents and windows random ids, dated
/// in 2090 so they are the newest, so it may share the database with the other suites.
pub async fn status_repository(status: &dyn StatusRepository, audit: &dyn AuditLog) {
    samples_roll_up(status).await;
    incidents(status, audit).await;
    maintenance_windows(status, audit).await;
}

async fn samples_roll_up(status: &dyn StatusRepository) {
    use ComponentState::{Degraded, Maintenance as InMaintenance, MajorOutage, Operational, PartialOutage};
    use RollupPeriod::{Day, Hour};

    // Component ids that sort the same in every collation: one random prefix, then lowercase
    // words in alphabetical order.
    let prefix = format!("st{}.", &uuid::Uuid::new_v4().simple().to_string()[..8]);
    let agents = format!("{prefix}agents.eu-west");
    let api = format!("{prefix}api");
    let database = format!("{prefix}database");

    // The last nanosecond of the 22:00 hour: stored in whole microseconds, still in that hour.
    let t1 = t("2026-03-01T22:59:59.999999999Z");
    let t1_stored = t1.trunc_subsecs(6);
    // The first instant of the 23:00 hour, the last second of the day, and midnight (the first
    // instant of the next day).
    let (t2, t3, t4, t5) =
        (t("2026-03-01T23:00:00Z"), t("2026-03-01T23:59:59Z"), t("2026-03-02T00:00:00Z"), t("2026-03-02T00:01:00Z"));

    let expect = component_status;
    status.record_sample(&api, Operational, "ok", t1).await.unwrap();
    assert_eq!(current(status, &api).await, expect(&api, Operational, "ok", t1_stored, t1_stored), "first sample");
    status.record_sample(&api, Operational, "ok", t2).await.unwrap();
    assert_eq!(current(status, &api).await, expect(&api, Operational, "ok", t1_stored, t2), "same state: since kept");
    status.record_sample(&api, Degraded, "slow", t3).await.unwrap();
    assert_eq!(current(status, &api).await, expect(&api, Degraded, "slow", t3, t3), "new state: since reset");
    status.record_sample(&api, Degraded, "slower", t4).await.unwrap();
    assert_eq!(current(status, &api).await, expect(&api, Degraded, "slower", t3, t4), "kept over midnight, new reason");
    status.record_sample(&api, MajorOutage, "down", t5).await.unwrap();
    assert_eq!(current(status, &api).await, expect(&api, MajorOutage, "down", t5, t5));

    status.record_sample(&agents, PartialOutage, "1 of 2 agents offline", t1).await.unwrap();
    status.record_sample(&database, InMaintenance, "upgrade", t2).await.unwrap();
    status.record_sample(&database, InMaintenance, "upgrade", t2 + Duration::minutes(1)).await.unwrap();
    let t6 = t2 + Duration::minutes(2);
    status.record_sample(&database, Operational, "ok", t6).await.unwrap();

    // Every component's latest status, ordered by component id.
    let mine: Vec<ComponentStatus> =
        status.statuses().await.unwrap().into_iter().filter(|s| s.component.starts_with(&prefix)).collect();
    assert_eq!(
        mine,
        vec![
            expect(&agents, PartialOutage, "1 of 2 agents offline", t1_stored, t1_stored),
            expect(&api, MajorOutage, "down", t5, t5),
            expect(&database, Operational, "ok", t6, t6),
        ]
    );

    // Hours, by component then start: one row per component and hour, one minute per sample.
    let hours = vec![
        snapshot(&agents, Hour, "2026-03-01T22:00:00Z", minutes(0, 0, 1, 0, 0)),
        snapshot(&api, Hour, "2026-03-01T22:00:00Z", minutes(1, 0, 0, 0, 0)),
        snapshot(&api, Hour, "2026-03-01T23:00:00Z", minutes(1, 1, 0, 0, 0)),
        snapshot(&api, Hour, "2026-03-02T00:00:00Z", minutes(0, 1, 0, 1, 0)),
        snapshot(&database, Hour, "2026-03-01T23:00:00Z", minutes(1, 0, 0, 0, 2)),
    ];
    assert_eq!(rollups(status, &prefix, Hour, "2026-03-01T22:00:00Z").await, hours);
    assert_eq!(rollups(status, &prefix, Hour, "2026-03-01T00:00:00Z").await, hours, "no earlier rows");
    // Rows start at or after `from`: the 22:00 rows are not listed from 22:30.
    let from_23: Vec<UptimeSnapshot> = hours.iter().filter(|s| s.start >= t2).cloned().collect();
    assert_eq!(from_23.len(), 3);
    assert_eq!(rollups(status, &prefix, Hour, "2026-03-01T22:30:00Z").await, from_23);
    assert_eq!(rollups(status, &prefix, Hour, "2026-03-01T23:00:00Z").await, from_23, "a row starting at `from`");
    assert_eq!(rollups(status, &prefix, Hour, "2026-03-02T01:00:00Z").await, Vec::<UptimeSnapshot>::new());

    // Days: midnight starts the next day's row.
    let days = vec![
        snapshot(&agents, Day, "2026-03-01T00:00:00Z", minutes(0, 0, 1, 0, 0)),
        snapshot(&api, Day, "2026-03-01T00:00:00Z", minutes(2, 1, 0, 0, 0)),
        snapshot(&api, Day, "2026-03-02T00:00:00Z", minutes(0, 1, 0, 1, 0)),
        snapshot(&database, Day, "2026-03-01T00:00:00Z", minutes(1, 0, 0, 0, 2)),
    ];
    assert_eq!(rollups(status, &prefix, Day, "2026-03-01T00:00:00Z").await, days);
    assert_eq!(rollups(status, &prefix, Day, "2026-03-01T00:00:00.000001Z").await, vec![days[2].clone()]);
    assert_eq!(rollups(status, &prefix, Day, "2026-03-02T00:00:00Z").await, vec![days[2].clone()]);
}

async fn incidents(status: &dyn StatusRepository, audit: &dyn AuditLog) {
    use IncidentStatus::{Identified, Investigating, Monitoring, Resolved};

    let at = |time: &str| t(&format!("2090-06-01T{time}Z"));
    // Listed newest first: a (10:00, open), b (09:00, resolved 09:30), c (08:00, open), and d
    // (a month earlier, resolved then).
    let mut a = incident(
        "Slow downloads",
        IncidentImpact::Major,
        &["api", "database"],
        vec![update(Investigating, "We are looking into it.", at("10:00:00"))],
    );
    let b = incident(
        "Login errors",
        IncidentImpact::Minor,
        &["api"],
        vec![update(Investigating, "Looking.", at("09:00:00")), update(Resolved, "Fixed.", at("09:30:00"))],
    );
    let c = incident(
        "Agent restarts",
        IncidentImpact::None,
        &[],
        vec![update(Investigating, "Watching the agents.", at("08:00:00"))],
    );
    let d = incident(
        "Outage",
        IncidentImpact::Critical,
        &["api", "database", "queue"],
        vec![
            update(Investigating, "Down.", t("2090-05-01T00:00:00Z")),
            update(Resolved, "Up again.", t("2090-05-01T01:00:00Z")),
        ],
    );
    assert_eq!((b.resolved_at, d.status), (Some(at("09:30:00")), Resolved));
    for incident in [&d, &c, &b, &a] {
        status.create_incident(incident, &entry("status.incident_created", incident.id)).await.unwrap();
        assert_eq!(&status.incident(incident.id).await.unwrap(), incident, "stored as given");
        assert_eq!(audited(audit, "status.incident_created", incident.id).await, 1);
    }

    // Updates: the incident takes the update's status; resolving sets `resolved_at` to the
    // update's time, any later update clears it; updates come back oldest first.
    let steps = [
        (update(Identified, "A disk is full.", at("10:20:00")), None),
        (update(Resolved, "Space freed.", at("11:00:00")), Some(at("11:00:00"))),
        (update(Monitoring, "Reopened: watching.", at("11:30:00")), None),
        // Stored in whole microseconds.
        (update(Resolved, "Done.", at("12:00:00.123456789")), Some(at("12:00:00.123456"))),
    ];
    for (step, (mut posted, resolved_at)) in steps.into_iter().enumerate() {
        let updated = status.add_incident_update(a.id, &posted, &entry("status.incident_updated", a.id)).await.unwrap();
        posted.created_at = posted.created_at.trunc_subsecs(6);
        a.status = posted.status;
        a.resolved_at = resolved_at;
        a.updates.push(posted);
        assert_eq!(updated, a, "step {step}: the incident as stored");
        assert_eq!(status.incident(a.id).await.unwrap(), a, "step {step}");
    }
    assert_eq!(a.updates.len(), 5);
    assert_eq!(audited(audit, "status.incident_updated", a.id).await, 4, "one entry per update");

    // Unknown incidents: not found, and nothing written.
    let ghost = uuid::Uuid::new_v4();
    assert!(matches!(status.incident(ghost).await, Err(RepoError::NotFound)));
    let orphan = update(Identified, "Nobody reads this.", at("13:00:00"));
    assert!(matches!(
        status.add_incident_update(ghost, &orphan, &entry("status.incident_updated", ghost)).await,
        Err(RepoError::NotFound)
    ));
    assert_eq!(audited(audit, "status.incident_updated", ghost).await, 0, "a refused update writes no entry");
    assert!(matches!(status.incident(ghost).await, Err(RepoError::NotFound)));

    // Open ones, and those resolved at or after `from`; newest first, each with its updates.
    let resolved_a = a.resolved_at.unwrap();
    let ids = [a.id, b.id, c.id, d.id];
    let (month, day) = (t("2090-04-01T00:00:00Z"), at("00:00:00"));
    let listed = |from, max| listed_incidents(status, &ids, from, max);
    assert_eq!(listed(month, 100).await, vec![a.clone(), b.clone(), c.clone(), d.clone()]);
    assert_eq!(listed(day, 100).await, vec![a.clone(), b.clone(), c.clone()], "d was resolved before");
    assert_eq!(listed(at("09:30:00"), 100).await, vec![a.clone(), b.clone(), c.clone()], "resolved at `from`");
    assert_eq!(listed(at("09:30:01"), 100).await, vec![a.clone(), c.clone()]);
    assert_eq!(listed(resolved_a, 100).await, vec![a.clone(), c.clone()], "resolved at `from`, in microseconds");
    assert_eq!(listed(resolved_a + Duration::microseconds(1), 100).await, vec![c.clone()], "c is still open");
    // At most `limit`: the suite's incidents are the newest there are.
    assert_eq!(status.incidents(month, 2).await.unwrap(), vec![a.clone(), b.clone()]);
    assert_eq!(status.incidents(day, 0).await.unwrap(), Vec::<Incident>::new());
}

async fn maintenance_windows(status: &dyn StatusRepository, audit: &dyn AuditLog) {
    let later = window("Database upgrade", &["database"], "2090-07-01T02:00:00Z", "2090-07-01T04:00:00Z");
    let earlier = window("Queue move", &["queue", "api"], "2090-07-01T01:00:00Z", "2090-07-01T01:30:00Z");
    let past = window("Old", &[], "2090-06-01T00:00:00Z", "2090-06-01T01:00:00Z");
    // Created out of start order: they are listed by start time.
    for w in [&later, &earlier, &past] {
        status.create_maintenance(w, &entry("status.maintenance_created", w.id)).await.unwrap();
        assert_eq!(audited(audit, "status.maintenance_created", w.id).await, 1);
    }
    let ids = [later.id, earlier.id, past.id];
    let listed = |from| listed_windows(status, &ids, from);
    assert_eq!(listed("2090-05-01T00:00:00Z").await, vec![past.clone(), earlier.clone(), later.clone()]);
    assert_eq!(listed("2090-06-30T00:00:00Z").await, vec![earlier.clone(), later.clone()]);
    assert_eq!(listed("2090-07-01T01:15:00Z").await, vec![earlier.clone(), later.clone()], "still running");
    assert_eq!(listed("2090-07-01T01:30:00Z").await, vec![later.clone()], "ended at `from`: not listed");
    assert_eq!(listed("2090-07-01T04:00:00Z").await, Vec::<Maintenance>::new());

    status.delete_maintenance(earlier.id, &entry("status.maintenance_deleted", earlier.id)).await.unwrap();
    assert_eq!(audited(audit, "status.maintenance_deleted", earlier.id).await, 1);
    assert_eq!(listed("2090-05-01T00:00:00Z").await, vec![past.clone(), later.clone()]);
    assert!(matches!(
        status.delete_maintenance(earlier.id, &entry("status.maintenance_deleted", earlier.id)).await,
        Err(RepoError::NotFound)
    ));
    assert_eq!(audited(audit, "status.maintenance_deleted", earlier.id).await, 1, "a refused delete writes no entry");
    let ghost = uuid::Uuid::new_v4();
    assert!(matches!(
        status.delete_maintenance(ghost, &entry("status.maintenance_deleted", ghost)).await,
        Err(RepoError::NotFound)
    ));
    assert_eq!(audited(audit, "status.maintenance_deleted", ghost).await, 0);
    assert_eq!(listed("2090-05-01T00:00:00Z").await, vec![past, later], "the others are kept");
}
