//! The in-memory fakes of `tseeder_core::testing` against the same conformance suites as the
//! database and object-store adapters: a fake that passes them can stand in for a real adapter
//! in any test.

use std::sync::Arc;

use tseeder_core::testing::{
    InMemoryDb, InMemoryFileStore, InMemoryJobQueue, InMemoryWorkerRegistry, ManualClock, conformance, in_memory_ports,
};

// Multi-threaded, so the suite's concurrent leasers really race each other.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn the_queue_passes_the_conformance_suite() {
    conformance::job_queue(Arc::new(InMemoryJobQueue::default())).await;
}

#[tokio::test]
async fn the_repositories_pass_the_conformance_suite() {
    let db = InMemoryDb::new();
    conformance::repositories(&db.accounts(), &db.jobs(), &db.queue(), &db.audit()).await;
}

#[tokio::test]
async fn the_file_repository_passes_the_conformance_suite() {
    let db = InMemoryDb::new();
    conformance::file_repository(&db.accounts(), &db.jobs(), &db.files()).await;
}

#[tokio::test]
async fn the_file_store_passes_the_conformance_suite() {
    conformance::file_store(Arc::new(InMemoryFileStore::new())).await;
}

#[tokio::test]
async fn the_maintenance_repository_passes_the_conformance_suite() {
    let db = InMemoryDb::new();
    conformance::maintenance(&db.accounts(), &db.jobs(), &db.files(), &db.maintenance()).await;
}

#[tokio::test]
async fn plans_and_the_blocklist_pass_the_conformance_suites() {
    let db = InMemoryDb::new();
    conformance::plans(&db.accounts(), &db.plans()).await;
    conformance::blocklist(&db.blocklist()).await;
}

#[tokio::test]
async fn the_worker_registry_passes_the_conformance_suite() {
    conformance::worker_registry(&InMemoryWorkerRegistry::default()).await;
}

#[tokio::test]
async fn in_memory_ports_pass_every_suite_together() {
    let ports = in_memory_ports(Arc::new(ManualClock::fixed()));
    conformance::repositories(&*ports.accounts, &*ports.jobs, &*ports.queue, &*ports.audit).await;
    conformance::file_repository(&*ports.accounts, &*ports.jobs, &*ports.files).await;
    conformance::file_store(Arc::clone(&ports.store)).await;
    conformance::worker_registry(&*ports.workers).await;
    conformance::job_queue(Arc::clone(&ports.queue)).await;
    conformance::status_repository(&*ports.status, &*ports.audit).await;
    conformance::metrics_repository(&*ports.metrics).await;
    conformance::org_repository(&*ports.accounts, &*ports.orgs, &*ports.jobs).await;
    conformance::billing_repository(&*ports.accounts, &*ports.billing).await;
    conformance::bandwidth_meter(&*ports.accounts, &*ports.meter).await;
    conformance::label_repository(&*ports.accounts, &*ports.jobs, &*ports.labels).await;
}

#[tokio::test]
async fn settings_and_account_administration_pass_their_conformance_suites() {
    let db = InMemoryDb::new();
    conformance::config(&db.accounts(), &db.config(), &db.plans(), &db.audit()).await;
    conformance::account_admin(&db.accounts()).await;
    conformance::dead_letters(&db.accounts(), &db.jobs(), &db.queue()).await;
}

#[tokio::test]
async fn the_admin_search_and_job_filters_pass_their_conformance_suites() {
    let db = InMemoryDb::new();
    conformance::admin_search(&db.accounts(), &db.jobs(), &db.audit(), &db.search()).await;
    conformance::job_filters(&db.accounts(), &db.jobs()).await;
}

#[tokio::test]
async fn the_status_repository_passes_the_conformance_suite() {
    let db = InMemoryDb::new();
    conformance::status_repository(&db.status(), &db.audit()).await;
}

#[tokio::test]
async fn the_metrics_repository_passes_the_conformance_suite() {
    conformance::metrics_repository(&InMemoryDb::new().metrics()).await;
}

#[tokio::test]
async fn the_org_repository_passes_the_conformance_suite() {
    let db = InMemoryDb::new();
    conformance::org_repository(&db.accounts(), &db.orgs(), &db.jobs()).await;
}

#[tokio::test]
async fn the_billing_repository_passes_the_conformance_suite() {
    let db = InMemoryDb::new();
    conformance::billing_repository(&db.accounts(), &db.billing()).await;
}

#[tokio::test]
async fn the_bandwidth_meter_passes_the_conformance_suite() {
    let db = InMemoryDb::new();
    conformance::bandwidth_meter(&db.accounts(), &db.meter()).await;
}

#[tokio::test]
async fn the_label_repository_passes_the_conformance_suite() {
    let db = InMemoryDb::new();
    conformance::label_repository(&db.accounts(), &db.jobs(), &db.labels()).await;
}

#[tokio::test]
async fn the_broadcast_passes_the_conformance_suite() {
    let channel = tseeder_core::testing::InMemoryBroadcast::default();
    conformance::broadcast(&channel, &channel.clone()).await;
}
