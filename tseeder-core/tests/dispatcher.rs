//! The dispatcher alone, on paused time: the core's in-memory ports, a scripted engine and a
//! clock that follows tokio's, so stalls, backoffs and leases take no real time.

#![allow(clippy::unwrap_used, reason = "tests: a panic is a test failure")]

use std::ops::Range;
use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;
use chrono::{DateTime, TimeZone, Utc};
use tokio_util::sync::CancellationToken;
use tseeder_core::auth::Principal;
use tseeder_core::domain::{
    Job, JobEventKind, JobId, JobStatus, Lease, Month, NewQueueMessage, NewUser, Page, PageRequest, QueueMessage,
    QueueMessageId, Role, TorrentFile, TorrentMeta, UserId,
};
use tseeder_core::error::QueueError;
use tseeder_core::ports::{
    ByteStream, EngineEvent, EngineProgress, FileStore, FileStoreError, JobQueue, ObjectStream, QueueStats,
    UploadReader,
};
use tseeder_core::services::job::{SubmitJob, SubmitSource};
use tseeder_core::services::{CoreConfig, Ports, RequestMeta, Tseeder};
use tseeder_core::testing::{InMemoryDb, ScriptedEngine, ScriptedRun, TokioClock};

fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 12, 1, 12, 0, 0).unwrap()
}

/// A two-file torrent (3 and 5 bytes) named `pair`, with its own infohash per `seed`.
fn torrent(seed: u8) -> Vec<u8> {
    let mut out = b"d4:infod5:filesld6:lengthi3e4:pathl5:a.bineed6:lengthi5e4:pathl5:b.bineee".to_vec();
    out.extend_from_slice(b"4:name4:pair12:piece lengthi16384e6:pieces20:");
    out.extend_from_slice(&[seed; 20]);
    out.extend_from_slice(b"ee");
    out
}

/// One user, the services over in-memory ports, and a dispatcher on a scripted engine.
struct World {
    core: Tseeder,
    engine: Arc<ScriptedEngine>,
    principal: Principal,
    dispatcher: Option<(CancellationToken, tokio::task::JoinHandle<()>)>,
}

impl World {
    async fn new(configure: impl FnOnce(&mut CoreConfig)) -> Self {
        Self::with_ports(InMemoryDb::new().ports(Arc::new(TokioClock::new(t0()))), configure).await
    }

    async fn with_ports(ports: Ports, configure: impl FnOnce(&mut CoreConfig)) -> Self {
        let mut config = CoreConfig::default();
        config.dispatch.poll_interval_ms = 100;
        config.dispatch.lease_secs = 30;
        config.dispatch.stall_timeout_secs = 60;
        config.jobs.retry.base_secs = 15;
        config.jobs.retry.max_attempts = 3;
        configure(&mut config);
        let core = Tseeder::new(ports, config);
        let user = NewUser {
            id: UserId::new(),
            email: "user@example.com".into(),
            password_hash: "$argon2id$unused".into(),
            role: Role::User,
            plan_id: "free".into(),
            email_verified: false,
            created_at: t0(),
        };
        let user = core.ports.accounts.insert_user(&user).await.unwrap();
        let mut world = Self {
            engine: Arc::new(ScriptedEngine::new()),
            principal: Principal::internal(&user),
            core,
            dispatcher: None,
        };
        world.start_dispatcher();
        world
    }

    fn start_dispatcher(&mut self) {
        let token = CancellationToken::new();
        let handle = self.core.dispatcher(Arc::clone(&self.engine) as _).spawn(token.clone());
        self.dispatcher = Some((token, handle));
    }

    async fn stop_dispatcher(&mut self) {
        if let Some((token, handle)) = self.dispatcher.take() {
            token.cancel();
            handle.await.unwrap();
        }
    }

    async fn submit(&self, seed: u8) -> (JobId, Vec<TorrentFile>) {
        let bytes = torrent(seed);
        let files = TorrentMeta::parse(&bytes).unwrap().files;
        let request = SubmitJob {
            source: SubmitSource::Torrent(bytes),
            name: None,
            idempotency_key: None,
            files: None,
            region_hint: None,
        };
        let outcome = self.core.jobs.submit(&self.principal, request, &RequestMeta::default()).await.unwrap();
        (outcome.job.id, files)
    }

    async fn job(&self, id: JobId) -> Job {
        self.core.ports.jobs.get_job(id).await.unwrap()
    }

    /// Lets time pass (paused: instantly) until the job is `status`.
    async fn wait_status(&self, id: JobId, status: JobStatus) -> Job {
        for _ in 0..10_000 {
            let job = self.job(id).await;
            if job.status == status {
                return job;
            }
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        let job = self.job(id).await;
        panic!(
            "job never became {status}: {job:?}\nhistory: {:?}\nmessage: {:?}",
            self.history(id).await,
            self.core.ports.queue.find_for_job(id).await
        );
    }

    async fn history(&self, id: JobId) -> Vec<(JobEventKind, Option<String>)> {
        let events = self.core.ports.jobs.list_job_events(id, 0, 100).await.unwrap();
        events.into_iter().map(|e| (e.kind, e.payload["to"].as_str().map(str::to_owned))).collect()
    }

    async fn message(&self, id: JobId) -> QueueMessage {
        self.core.ports.queue.find_for_job(id).await.unwrap().unwrap()
    }

    async fn cancel(&self, id: JobId) {
        self.core.jobs.cancel(&self.principal, id, &RequestMeta::default()).await.unwrap();
    }
}

fn metadata(run: &ScriptedRun, files: &[TorrentFile]) {
    run.send(EngineEvent::Metadata { name: "pair".into(), files: files.to_vec() });
}

fn complete(run: &ScriptedRun) {
    run.file_ready(0, b"abc".to_vec());
    run.file_ready(1, b"defgh".to_vec());
    run.send(EngineEvent::Finished);
}

fn progress(done: u64) -> EngineEvent {
    EngineEvent::Progress(EngineProgress { done_bytes: done, total_bytes: 8, ..Default::default() })
}

#[tokio::test(start_paused = true)]
async fn ready_files_are_stored_and_recorded_then_the_job_completes() {
    let world = World::new(|_| {}).await;
    let (id, files) = world.submit(1).await;
    let run = world.engine.next_run().await;
    metadata(&run, &files);
    run.send(progress(3));
    complete(&run);
    let job = world.wait_status(id, JobStatus::Completed).await;
    assert_eq!((job.done_bytes, job.total_bytes), (8, Some(8)));
    let stored = world.core.ports.files.list_files(id).await.unwrap();
    assert_eq!(stored.iter().map(|f| f.size).collect::<Vec<_>>(), [3, 5]);
    let mut bytes = Vec::new();
    for file in &stored {
        let mut body = world.core.ports.store.get(&file.blob_key, None).await.unwrap();
        while let Some(chunk) = futures::StreamExt::next(&mut body).await {
            bytes.extend_from_slice(&chunk.unwrap());
        }
    }
    assert_eq!(bytes, b"abcdefgh", "what the run reported ready is what the store holds");
    let to: Vec<_> = world.history(id).await.into_iter().filter_map(|(_, to)| to).collect();
    assert_eq!(to, ["fetching_metadata", "downloading", "uploading", "completed"]);
    assert!(world.core.ports.queue.find_for_job(id).await.unwrap().is_none(), "the message is acked");
}

#[tokio::test(start_paused = true)]
async fn a_run_without_progress_stalls_and_is_retried_with_backoff() {
    let world = World::new(|c| c.dispatch.stall_timeout_secs = 60).await;
    let (id, files) = world.submit(2).await;
    let run = world.engine.next_run().await;
    let started = tokio::time::Instant::now();
    metadata(&run, &files);
    let job = world.wait_status(id, JobStatus::Queued).await;
    assert!(started.elapsed() >= Duration::from_secs(60), "not before the stall timeout");
    assert!(job.error.as_deref().unwrap().contains("stalled"), "{job:?}");
    assert!(run.stopped(), "the stalled run is stopped");
    assert_eq!(world.history(id).await.last().unwrap().0, JobEventKind::AttemptFailed);
    // The retry comes after the backoff, on a new run.
    let again = world.engine.next_run_within(Duration::from_secs(60)).await;
    assert!(started.elapsed() >= Duration::from_secs(60 + 15), "backoff respected");
    metadata(&again, &files);
    complete(&again);
    world.wait_status(id, JobStatus::Completed).await;
}

#[tokio::test(start_paused = true)]
async fn progress_keeps_a_slow_run_alive() {
    let world = World::new(|c| c.dispatch.stall_timeout_secs = 60).await;
    let (id, files) = world.submit(3).await;
    let run = world.engine.next_run().await;
    metadata(&run, &files);
    // Five minutes of slow but steady progress: never stalled.
    for done in 1..=5 {
        tokio::time::sleep(Duration::from_secs(50)).await;
        run.send(progress(done));
    }
    tokio::time::sleep(Duration::from_secs(10)).await;
    assert_eq!(world.job(id).await.status, JobStatus::Downloading);
    complete(&run);
    world.wait_status(id, JobStatus::Completed).await;
}

#[tokio::test(start_paused = true)]
async fn metadata_over_the_plan_fails_the_job_at_once() {
    let world = World::new(|_| {}).await;
    let (id, files) = world.submit(4).await;
    let run = world.engine.next_run().await;
    let huge: Vec<TorrentFile> = files.into_iter().map(|f| TorrentFile { size: 1 << 50, ..f }).collect();
    metadata(&run, &huge);
    let job = world.wait_status(id, JobStatus::Failed).await;
    assert!(job.error.as_deref().unwrap().starts_with("quota_"), "{job:?}");
    assert_eq!(world.history(id).await.last().unwrap().0, JobEventKind::JobFailed);
    assert!(world.message(id).await.dead_at.is_some(), "dead-lettered without retrying");
}

#[tokio::test(start_paused = true)]
async fn shutdown_hands_the_running_job_back_at_once() {
    let mut world = World::new(|_| {}).await;
    let (id, files) = world.submit(5).await;
    let run = world.engine.next_run().await;
    metadata(&run, &files);
    world.wait_status(id, JobStatus::Downloading).await;
    world.stop_dispatcher().await;
    assert!(run.stopped());
    assert_eq!(world.job(id).await.status, JobStatus::Queued);
    let message = world.message(id).await;
    assert_eq!((message.attempts, message.errors.len()), (0, 0), "stopping spends no attempt: {message:?}");
    // Visible again at once: the next dispatcher does not wait out the lease.
    let before = tokio::time::Instant::now();
    world.start_dispatcher();
    let again = world.engine.next_run().await;
    assert!(before.elapsed() < Duration::from_secs(1), "{:?}", before.elapsed());
    metadata(&again, &files);
    complete(&again);
    world.wait_status(id, JobStatus::Completed).await;
}

#[tokio::test(start_paused = true)]
async fn a_late_report_after_cancel_changes_nothing() {
    let world = World::new(|_| {}).await;
    let (id, files) = world.submit(6).await;
    let run = world.engine.next_run().await;
    metadata(&run, &files);
    world.wait_status(id, JobStatus::Downloading).await;
    world.cancel(id).await;
    complete(&run);
    for _ in 0..100 {
        if run.stopped() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert!(run.stopped(), "the run of a cancelled job is stopped");
    tokio::time::sleep(Duration::from_secs(5)).await;
    assert_eq!(world.job(id).await.status, JobStatus::Cancelled);
    assert_eq!(world.history(id).await.last().unwrap(), &(JobEventKind::StatusChanged, Some("cancelled".into())));
}

/// A file store whose uploads take a minute.
#[derive(Debug)]
struct SlowStore(Arc<dyn FileStore>);

#[async_trait]
impl FileStore for SlowStore {
    async fn put(&self, key: &str, data: UploadReader) -> Result<u64, FileStoreError> {
        tokio::time::sleep(Duration::from_secs(60)).await;
        self.0.put(key, data).await
    }
    async fn get(&self, key: &str, range: Option<Range<u64>>) -> Result<ByteStream, FileStoreError> {
        self.0.get(key, range).await
    }
    async fn size(&self, key: &str) -> Result<u64, FileStoreError> {
        self.0.size(key).await
    }
    async fn delete(&self, key: &str) -> Result<(), FileStoreError> {
        self.0.delete(key).await
    }
    fn list(&self) -> ObjectStream {
        self.0.list()
    }
    async fn presigned_get(&self, key: &str, expires_in: Duration) -> Result<Option<String>, FileStoreError> {
        self.0.presigned_get(key, expires_in).await
    }
}

#[tokio::test(start_paused = true)]
async fn a_cancel_during_upload_is_not_overridden_by_completion() {
    let mut ports = InMemoryDb::new().ports(Arc::new(TokioClock::new(t0())));
    ports.store = Arc::new(SlowStore(Arc::clone(&ports.store)));
    let world = World::with_ports(ports, |_| {}).await;
    let (id, files) = world.submit(7).await;
    let run = world.engine.next_run().await;
    metadata(&run, &files);
    complete(&run);
    // Every piece is in and the files are on their way to the store when the user cancels.
    world.wait_status(id, JobStatus::Uploading).await;
    world.cancel(id).await;
    tokio::time::sleep(Duration::from_secs(120)).await;
    assert_eq!(world.job(id).await.status, JobStatus::Cancelled);
    assert!(run.stopped());
    assert_eq!(world.history(id).await.last().unwrap(), &(JobEventKind::StatusChanged, Some("cancelled".into())));
}

#[tokio::test(start_paused = true)]
async fn a_rejected_torrent_is_dead_lettered_without_retrying() {
    let world = World::new(|_| {}).await;
    let (id, _) = world.submit(8).await;
    let run = world.engine.next_run().await;
    run.send(EngineEvent::Rejected("unsafe path in the torrent".into()));
    let job = world.wait_status(id, JobStatus::Failed).await;
    assert!(job.error.as_deref().unwrap().contains("unsafe path"));
    let message = world.message(id).await;
    assert_eq!((message.attempts, message.dead_at.is_some()), (1, true));
}

#[tokio::test(start_paused = true)]
async fn failures_retry_with_backoff_then_dead_letter() {
    let world = World::new(|c| c.jobs.retry.max_attempts = 3).await;
    let (id, _) = world.submit(9).await;
    let started = tokio::time::Instant::now();
    for attempt in 1..=3 {
        let run = world.engine.next_run_within(Duration::from_secs(120)).await;
        run.send(EngineEvent::Failed(format!("tracker said no ({attempt})")));
    }
    // 15 s then 30 s between attempts.
    assert!(started.elapsed() >= Duration::from_secs(45), "{:?}", started.elapsed());
    let job = world.wait_status(id, JobStatus::Failed).await;
    assert!(job.error.as_deref().unwrap().contains("(3)"), "{job:?}");
    let message = world.message(id).await;
    assert_eq!((message.attempts, message.errors.len()), (3, 3));
    let kinds: Vec<JobEventKind> = world.history(id).await.into_iter().map(|(k, _)| k).collect();
    assert_eq!(kinds.iter().filter(|k| **k == JobEventKind::AttemptFailed).count(), 2);
    assert_eq!(kinds.last(), Some(&JobEventKind::JobFailed));
}

#[tokio::test(start_paused = true)]
async fn waiting_for_capacity_spends_no_attempt_and_backs_off() {
    let world = World::new(|c| c.jobs.retry.max_attempts = 2).await;
    world.engine.refuse(Some("no agent available"));
    let (id, files) = world.submit(10).await;
    // An hour without capacity: many tries, backing off to a minute apart, no attempt spent.
    tokio::time::sleep(Duration::from_secs(3600)).await;
    let tries = world.engine.refused();
    assert!((60..=120).contains(&tries), "{tries} tries in an hour");
    let job = world.job(id).await;
    assert_eq!((job.status, job.error.as_deref()), (JobStatus::Queued, Some("waiting: no agent available")));
    let message = world.message(id).await;
    assert_eq!((message.attempts, message.errors.len(), message.dead_at), (0, 0, None));
    assert_eq!(world.history(id).await.len(), 1, "waiting writes no history");
    // Capacity comes back: the job runs within a minute and completes.
    world.engine.refuse(None);
    let before = tokio::time::Instant::now();
    let run = world.engine.next_run().await;
    assert!(before.elapsed() <= Duration::from_secs(61));
    metadata(&run, &files);
    complete(&run);
    let job = world.wait_status(id, JobStatus::Completed).await;
    assert_eq!(job.error, None, "the waiting note is cleared");
}

/// A queue whose lease renewals all fail as lost, as when another dispatcher took the message.
#[derive(Debug)]
struct LosingQueue(Arc<dyn JobQueue>);

#[async_trait]
impl JobQueue for LosingQueue {
    async fn enqueue(&self, message: &NewQueueMessage) -> Result<(), QueueError> {
        self.0.enqueue(message).await
    }
    async fn lease(
        &self,
        queue: &str,
        owner: &str,
        visibility: Duration,
        now: DateTime<Utc>,
    ) -> Result<Option<Lease>, QueueError> {
        self.0.lease(queue, owner, visibility, now).await
    }
    async fn extend(&self, _: &Lease, _: Duration, _: DateTime<Utc>) -> Result<(), QueueError> {
        Err(QueueError::LeaseLost)
    }
    async fn ack(&self, lease: &Lease) -> Result<(), QueueError> {
        self.0.ack(lease).await
    }
    async fn retry(&self, lease: &Lease, error: &str, now: DateTime<Utc>, at: DateTime<Utc>) -> Result<(), QueueError> {
        self.0.retry(lease, error, now, at).await
    }
    async fn postpone(&self, lease: &Lease, at: DateTime<Utc>) -> Result<(), QueueError> {
        self.0.postpone(lease, at).await
    }
    async fn dead_letter(&self, lease: &Lease, error: &str, now: DateTime<Utc>) -> Result<(), QueueError> {
        self.0.dead_letter(lease, error, now).await
    }
    async fn get(&self, id: QueueMessageId) -> Result<QueueMessage, QueueError> {
        self.0.get(id).await
    }
    async fn find_for_job(&self, job: JobId) -> Result<Option<QueueMessage>, QueueError> {
        self.0.find_for_job(job).await
    }
    async fn list_dead(&self, queue: &str, page: PageRequest) -> Result<Page<QueueMessage>, QueueError> {
        self.0.list_dead(queue, page).await
    }
    async fn list_dead_matching(
        &self,
        queue: &str,
        filter: &tseeder_core::ports::DeadLetterFilter,
        page: PageRequest,
    ) -> Result<Page<QueueMessage>, QueueError> {
        self.0.list_dead_matching(queue, filter, page).await
    }
    async fn replay(&self, id: QueueMessageId, now: DateTime<Utc>) -> Result<QueueMessage, QueueError> {
        self.0.replay(id, now).await
    }
    async fn stats(&self, queue: &str, now: DateTime<Utc>) -> Result<QueueStats, QueueError> {
        self.0.stats(queue, now).await
    }
}

#[tokio::test(start_paused = true)]
async fn a_lost_lease_stops_the_run_and_leaves_the_job_to_its_new_holder() {
    let mut ports = InMemoryDb::new().ports(Arc::new(TokioClock::new(t0())));
    ports.queue = Arc::new(LosingQueue(Arc::clone(&ports.queue)));
    let world = World::with_ports(ports, |c| c.dispatch.lease_secs = 30).await;
    let (id, files) = world.submit(11).await;
    let run = world.engine.next_run().await;
    metadata(&run, &files);
    // The first renewal (a third of the lease) finds the lease lost.
    tokio::time::sleep(Duration::from_secs(11)).await;
    assert!(run.stopped(), "the run stops when the lease is lost");
    // Nothing is acked or failed by the old holder: the message is still there, unchanged.
    let message = world.message(id).await;
    assert_eq!((message.attempts, message.errors.len()), (1, 0));
    assert_eq!(world.job(id).await.status, JobStatus::Downloading, "the new holder decides what happens next");
}

#[tokio::test(start_paused = true)]
async fn an_attempt_abandoned_by_a_crash_is_started_over() {
    let mut world = World::new(|c| c.dispatch.lease_secs = 30).await;
    let (id, files) = world.submit(12).await;
    let run = world.engine.next_run().await;
    metadata(&run, &files);
    world.wait_status(id, JobStatus::Downloading).await;
    // The process dies: no shutdown, the lease is left to expire.
    let (_, handle) = world.dispatcher.take().unwrap();
    handle.abort();
    let _ = handle.await;
    world.start_dispatcher();
    // The new dispatcher gets the message once the dead one's lease expires.
    let again = world.engine.next_run_within(Duration::from_secs(60)).await;
    metadata(&again, &files);
    complete(&again);
    world.wait_status(id, JobStatus::Completed).await;
    let kinds: Vec<JobEventKind> = world.history(id).await.into_iter().map(|(k, _)| k).collect();
    assert!(kinds.contains(&JobEventKind::AttemptAbandoned), "{kinds:?}");
}

/// Reads a download's body to the end, then lets the meter's write run.
async fn read_all(mut body: ByteStream) -> Vec<u8> {
    let mut bytes = Vec::new();
    while let Some(chunk) = futures::StreamExt::next(&mut body).await {
        bytes.extend_from_slice(&chunk.unwrap());
    }
    drop(body);
    tokio::time::sleep(Duration::from_millis(10)).await;
    bytes
}

#[tokio::test(start_paused = true)]
async fn bandwidth_counts_each_download_once_and_every_byte_served_until_the_next_month() {
    // 20 bytes a month on the free plan.
    let db = InMemoryDb::new();
    let mut free = tseeder_core::ports::PlanRepository::get_plan(&db.plans(), "free").await.unwrap();
    free.bandwidth_bytes = tseeder_core::domain::PlanLimit::Max(20);
    db.put_plan(free);
    let world = World::with_ports(db.ports(Arc::new(TokioClock::new(t0()))), |_| {}).await;
    let usage = || async { world.core.jobs.usage(&world.principal).await.unwrap().1.bandwidth };

    // A downloaded job counts its size (3 + 5 bytes) when it completes.
    let (id, files) = world.submit(40).await;
    let run = world.engine.next_run().await;
    metadata(&run, &files);
    complete(&run);
    world.wait_status(id, JobStatus::Completed).await;
    assert_eq!((usage().await.downloaded_bytes, usage().await.served_bytes), (8, 0));
    assert_eq!(usage().await.month.to_string(), "2026-12");

    // The same torrent again is the stored copy: it moves nothing (8 + 8 fits under 20).
    let (again, _) = world.submit(40).await;
    world.wait_status(again, JobStatus::Completed).await;
    assert_eq!(usage().await.downloaded_bytes, 8, "a shared copy downloads nothing");

    // Every byte served counts, ranges included.
    let stored = world.core.ports.files.list_files(id).await.unwrap();
    let files = &world.core.files;
    assert_eq!(read_all(files.open(&world.principal, stored[0].id, None).await.unwrap().body).await, b"abc");
    assert_eq!(read_all(files.open(&world.principal, stored[1].id, Some(1..3)).await.unwrap().body).await, b"ef");
    assert_eq!(usage().await.served_bytes, 5);
    // A body dropped half-read counts what it yielded.
    let mut body = files.open(&world.principal, stored[1].id, None).await.unwrap().body;
    let first = futures::StreamExt::next(&mut body).await.unwrap().unwrap();
    drop(body);
    tokio::time::sleep(Duration::from_millis(10)).await;
    assert_eq!(usage().await.served_bytes, 5 + first.len() as u64);

    // A new job whose size would go past the limit is refused; so is everything once it is
    // used up, until the first instant of the next month.
    let refused = world
        .core
        .jobs
        .submit(
            &world.principal,
            SubmitJob {
                source: SubmitSource::Torrent(torrent(41)),
                name: None,
                idempotency_key: None,
                files: None,
                region_hint: None,
            },
            &RequestMeta::default(),
        )
        .await
        .unwrap_err();
    assert_eq!(refused.code().as_str(), "quota_bandwidth", "{refused}");
    while usage().await.used() < 20 {
        read_all(files.open(&world.principal, stored[1].id, None).await.unwrap().body).await;
    }
    let next_month = Utc.with_ymd_and_hms(2027, 1, 1, 0, 0, 0).unwrap();
    match files.open(&world.principal, stored[0].id, None).await.unwrap_err() {
        tseeder_core::error::ServiceError::QuotaExceeded { resets_at, message, .. } => {
            assert_eq!(resets_at, Some(next_month));
            assert!(message.contains("2027-01-01T00:00:00Z") && message.contains("free plan"), "{message}");
        }
        other => panic!("{other:?}"),
    }
    let one_second_before = (next_month - t0()).to_std().unwrap() - Duration::from_secs(1);
    tokio::time::advance(one_second_before).await;
    assert!(files.open(&world.principal, stored[0].id, None).await.is_err(), "still December");
    tokio::time::advance(Duration::from_secs(1)).await;
    let body = files.open(&world.principal, stored[0].id, None).await.unwrap().body;
    assert_eq!(read_all(body).await, b"abc", "January starts from zero");
    let january = usage().await;
    assert_eq!((january.month.to_string(), january.downloaded_bytes, january.served_bytes), ("2027-01".into(), 0, 3));
    let december = world.core.ports.meter.bandwidth(world.principal.org.id, Month::of(t0())).await.unwrap();
    assert!(december.used() >= 20, "December keeps its count: {december:?}");
}
