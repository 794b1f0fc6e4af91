//! The HTTP layer over stub ports, without a socket or a database: error shapes, credentials,
//! CSRF, rate limits, headers, downloads, signed links, zip archives and live events. The
//! end-to-end tests of the root crate cover the same API over real storage.

use std::collections::HashMap;
use std::ops::Range;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use poem::http::{HeaderMap, Method, StatusCode, header};
use poem::test::{TestClient, TestForm, TestFormField};
use poem::{Endpoint, Response};
use serde_json::{Value, json};
use tseeder_core::Tseeder;
use tseeder_core::domain::{
    ApiKey, ApiKeyId, AuditEntry, FileId, Infohash, Job, JobEvent, JobId, JobSource, JobStatus, Lease, MagnetLink,
    NewJob, NewQueueMessage, NewStoredFile, NewUser, Page, PageRequest, Plan, PlanLimit, QueueMessage, QueueMessageId,
    RegionCode, RelPath, Role, SecurityEvent, Session, SessionId, StoredFile, Usage, User, UserId,
};
use tseeder_core::error::{QueueError, RepoError};
use tseeder_core::ports::{
    AccountRepository, AuditFilter, AuditLog, AuditRecord, BlocklistEntry, BlocklistRepository, ByteStream, Clock,
    EngineProgress, FileRepository, FileStore, FileStoreError, JobChange, JobFilter, JobQueue, JobRepository,
    PlanRepository, QueueStats, UploadReader,
};
use tseeder_core::services::agent_auth;
use tseeder_core::services::events::JobNotice;
use tseeder_core::services::{CoreConfig, Ports};
use tseeder_core::testing::ManualClock;
use tseeder_http::{AppState, HttpConfig};

const LEAKED_SECRET: &str = "postgres://admin:hunter2@db.internal";

fn backend() -> RepoError {
    RepoError::Backend(LEAKED_SECRET.into())
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

/// Users and sessions in memory; enough for register, login, logout and `/auth/me`.
#[derive(Debug, Default)]
struct Accounts {
    users: Mutex<Vec<(User, String)>>,
    sessions: Mutex<Vec<Session>>,
}

#[async_trait]
impl AccountRepository for Accounts {
    async fn insert_user(&self, user: &NewUser) -> Result<User, RepoError> {
        let mut users = lock(&self.users);
        if users.iter().any(|(u, _)| u.email == user.email) {
            return Err(RepoError::Conflict("email".into()));
        }
        let stored = User {
            id: user.id,
            email: user.email.clone(),
            role: user.role,
            suspended: false,
            default_region: None,
            created_at: user.created_at,
        };
        users.push((stored.clone(), user.password_hash.clone()));
        Ok(stored)
    }
    async fn get_user(&self, id: UserId) -> Result<User, RepoError> {
        let users = lock(&self.users);
        users.iter().find(|(u, _)| u.id == id).map(|(u, _)| u.clone()).ok_or(RepoError::NotFound)
    }
    async fn find_user_by_email(&self, email: &str) -> Result<Option<(User, String)>, RepoError> {
        Ok(lock(&self.users).iter().find(|(u, _)| u.email == email).cloned())
    }
    async fn list_users(&self, _: Option<&str>, _: PageRequest) -> Result<Page<User>, RepoError> {
        Err(backend())
    }
    async fn set_user_role(&self, _: UserId, _: Role) -> Result<(), RepoError> {
        Err(backend())
    }
    async fn set_user_default_region(&self, _: UserId, _: Option<&RegionCode>) -> Result<(), RepoError> {
        Err(backend())
    }
    async fn insert_session(&self, session: &Session) -> Result<(), RepoError> {
        lock(&self.sessions).push(session.clone());
        Ok(())
    }
    async fn find_session(&self, token_hash: &str, now: DateTime<Utc>) -> Result<Option<(Session, User)>, RepoError> {
        let session = lock(&self.sessions).iter().find(|s| s.token_hash == token_hash && s.expires_at > now).cloned();
        match session {
            Some(session) => {
                let user = self.get_user(session.user_id).await?;
                Ok(Some((session, user)))
            }
            None => Ok(None),
        }
    }
    async fn delete_session(&self, id: SessionId) -> Result<(), RepoError> {
        lock(&self.sessions).retain(|s| s.id != id);
        Ok(())
    }
    async fn insert_api_key(&self, _: &ApiKey) -> Result<(), RepoError> {
        Err(backend())
    }
    async fn list_api_keys(&self, _: UserId) -> Result<Vec<ApiKey>, RepoError> {
        Ok(Vec::new())
    }
    async fn revoke_api_key(&self, _: UserId, _: ApiKeyId, _: DateTime<Utc>) -> Result<(), RepoError> {
        Err(RepoError::NotFound)
    }
    async fn find_api_key(&self, _: &str) -> Result<Option<(ApiKey, User)>, RepoError> {
        Ok(None)
    }
    async fn touch_api_key(&self, _: ApiKeyId, _: DateTime<Utc>) -> Result<(), RepoError> {
        Ok(())
    }
}

/// One free plan.
#[derive(Debug)]
struct Plans;

fn free_plan() -> Plan {
    Plan {
        id: "free".into(),
        max_jobs: PlanLimit::Max(2),
        max_storage_bytes: PlanLimit::Max(1 << 30),
        max_file_size_bytes: PlanLimit::Unlimited,
        bandwidth_bytes: PlanLimit::Unlimited,
        retention_days: PlanLimit::Max(7),
        price_cents: 0,
    }
}

#[async_trait]
impl PlanRepository for Plans {
    async fn list_plans(&self) -> Result<Vec<Plan>, RepoError> {
        Ok(vec![free_plan()])
    }
    async fn get_plan(&self, _: &str) -> Result<Plan, RepoError> {
        Ok(free_plan())
    }
    async fn current_plan(&self, _: UserId, _: DateTime<Utc>) -> Result<Plan, RepoError> {
        Ok(free_plan())
    }
    async fn assign_plan(
        &self,
        _: UserId,
        _: &str,
        _: DateTime<Utc>,
        _: Option<DateTime<Utc>>,
    ) -> Result<(), RepoError> {
        Ok(())
    }
}

/// Jobs and history the tests put in; submissions are kept as they arrive. Listing fails with a
/// backend error whose text must never reach a client.
#[derive(Debug, Default)]
struct Jobs {
    jobs: Mutex<Vec<Job>>,
    events: Mutex<Vec<JobEvent>>,
    submitted: Mutex<Vec<NewJob>>,
}

#[async_trait]
impl JobRepository for Jobs {
    async fn create_job(&self, job: &NewJob, _: &NewQueueMessage, _: &AuditEntry) -> Result<Job, RepoError> {
        lock(&self.submitted).push(job.clone());
        let stored = job.clone().into_job();
        lock(&self.jobs).push(stored.clone());
        Ok(stored)
    }
    async fn get_job(&self, id: JobId) -> Result<Job, RepoError> {
        lock(&self.jobs).iter().find(|j| j.id == id).cloned().ok_or(RepoError::NotFound)
    }
    async fn find_job_by_idempotency_key(&self, _: UserId, _: &str) -> Result<Option<Job>, RepoError> {
        Ok(None)
    }
    async fn find_live_job_by_infohash(&self, _: UserId, _: Infohash) -> Result<Option<Job>, RepoError> {
        Ok(None)
    }
    async fn list_live_jobs_by_infohash(&self, _: Infohash) -> Result<Vec<Job>, RepoError> {
        Ok(Vec::new())
    }
    async fn list_jobs(&self, _: &JobFilter, _: PageRequest) -> Result<Page<Job>, RepoError> {
        Err(backend())
    }
    async fn update_job(&self, id: JobId, change: &JobChange) -> Result<Job, RepoError> {
        let mut jobs = lock(&self.jobs);
        let job = jobs.iter_mut().find(|j| j.id == id).ok_or(RepoError::NotFound)?;
        if job.status != change.expected() {
            return Err(RepoError::Conflict("status".into()));
        }
        job.status = change.status();
        job.updated_at = change.at;
        if let Some(name) = &change.name {
            job.name = name.clone();
        }
        if let Some(event) = &change.event {
            let mut events = lock(&self.events);
            let seq = events.iter().filter(|e| e.job_id == id).count() as u64 + 1;
            events.push(JobEvent {
                job_id: id,
                seq,
                kind: event.kind,
                payload: event.payload.clone(),
                created_at: change.at,
            });
        }
        Ok(job.clone())
    }
    async fn delete_job(&self, _: JobId, _: &AuditEntry) -> Result<(), RepoError> {
        Err(RepoError::NotFound)
    }
    async fn list_job_events(&self, job: JobId, after: u64, limit: u64) -> Result<Vec<JobEvent>, RepoError> {
        let events = lock(&self.events);
        let limit = usize::try_from(limit).unwrap_or(usize::MAX);
        Ok(events.iter().filter(|e| e.job_id == job && e.seq > after).take(limit).cloned().collect())
    }
    async fn usage(&self, _: UserId) -> Result<Usage, RepoError> {
        Ok(Usage::default())
    }
}

/// Accepts audit entries and security events, lists nothing.
#[derive(Debug)]
struct Audit;

#[async_trait]
impl AuditLog for Audit {
    async fn record(&self, _: &AuditEntry) -> Result<(), RepoError> {
        Ok(())
    }
    async fn list_audit(&self, _: &AuditFilter, _: PageRequest) -> Result<Page<AuditRecord>, RepoError> {
        Err(backend())
    }
    async fn record_security_event(&self, _: &SecurityEvent) -> Result<(), RepoError> {
        Ok(())
    }
    async fn list_security_events(&self, _: Option<&str>, _: PageRequest) -> Result<Page<SecurityEvent>, RepoError> {
        Err(backend())
    }
}

/// Nothing is blocked.
#[derive(Debug)]
struct Blocklist;

#[async_trait]
impl BlocklistRepository for Blocklist {
    async fn is_blocked(&self, _: Infohash) -> Result<bool, RepoError> {
        Ok(false)
    }
    async fn add(&self, _: &BlocklistEntry) -> Result<(), RepoError> {
        Err(backend())
    }
    async fn remove(&self, _: Infohash) -> Result<(), RepoError> {
        Err(RepoError::NotFound)
    }
    async fn list(&self, _: PageRequest) -> Result<Page<BlocklistEntry>, RepoError> {
        Err(backend())
    }
}

/// Every call fails.
#[derive(Debug)]
struct Queue;

fn queue_down() -> QueueError {
    QueueError::Backend(LEAKED_SECRET.into())
}

#[async_trait]
impl JobQueue for Queue {
    async fn enqueue(&self, _: &NewQueueMessage) -> Result<(), QueueError> {
        Err(queue_down())
    }
    async fn lease(
        &self,
        _: &str,
        _: &str,
        _: std::time::Duration,
        _: DateTime<Utc>,
    ) -> Result<Option<Lease>, QueueError> {
        Err(queue_down())
    }
    async fn extend(&self, _: &Lease, _: std::time::Duration, _: DateTime<Utc>) -> Result<(), QueueError> {
        Err(queue_down())
    }
    async fn ack(&self, _: &Lease) -> Result<(), QueueError> {
        Err(queue_down())
    }
    async fn retry(&self, _: &Lease, _: &str, _: DateTime<Utc>, _: DateTime<Utc>) -> Result<(), QueueError> {
        Err(queue_down())
    }
    async fn postpone(&self, _: &Lease, _: DateTime<Utc>) -> Result<(), QueueError> {
        Err(queue_down())
    }
    async fn dead_letter(&self, _: &Lease, _: &str, _: DateTime<Utc>) -> Result<(), QueueError> {
        Err(queue_down())
    }
    async fn get(&self, _: QueueMessageId) -> Result<QueueMessage, QueueError> {
        Err(QueueError::NotFound)
    }
    async fn find_for_job(&self, _: JobId) -> Result<Option<QueueMessage>, QueueError> {
        Ok(None)
    }
    async fn list_dead(&self, _: &str, _: PageRequest) -> Result<Page<QueueMessage>, QueueError> {
        Err(queue_down())
    }
    async fn replay(&self, _: QueueMessageId, _: DateTime<Utc>) -> Result<QueueMessage, QueueError> {
        Err(queue_down())
    }
    async fn stats(&self, _: &str, _: DateTime<Utc>) -> Result<QueueStats, QueueError> {
        Ok(QueueStats::default())
    }
}

/// File rows in memory.
#[derive(Debug, Default)]
struct Files(Mutex<Vec<StoredFile>>);

#[async_trait]
impl FileRepository for Files {
    async fn add_file(&self, file: &NewStoredFile) -> Result<StoredFile, RepoError> {
        let stored = StoredFile {
            id: file.id,
            job_id: file.job_id,
            path: file.path.clone(),
            size: file.size,
            blob_key: file.blob_key.clone(),
            mime_type: file.mime_type.clone(),
            created_at: file.created_at,
        };
        lock(&self.0).push(stored.clone());
        Ok(stored)
    }
    async fn list_files(&self, job: JobId) -> Result<Vec<StoredFile>, RepoError> {
        let mut files: Vec<StoredFile> = lock(&self.0).iter().filter(|f| f.job_id == job).cloned().collect();
        files.sort_by(|a, b| a.path.as_str().cmp(b.path.as_str()));
        Ok(files)
    }
    async fn get_file(&self, id: FileId) -> Result<StoredFile, RepoError> {
        lock(&self.0).iter().find(|f| f.id == id).cloned().ok_or(RepoError::NotFound)
    }
    async fn delete_file(&self, id: FileId) -> Result<Option<String>, RepoError> {
        let mut files = lock(&self.0);
        let index = files.iter().position(|f| f.id == id).ok_or(RepoError::NotFound)?;
        let removed = files.remove(index);
        Ok((!files.iter().any(|f| f.blob_key == removed.blob_key)).then_some(removed.blob_key))
    }
    async fn delete_job_files(&self, job: JobId) -> Result<Vec<String>, RepoError> {
        let mut files = lock(&self.0);
        let keys: Vec<String> = files.iter().filter(|f| f.job_id == job).map(|f| f.blob_key.clone()).collect();
        files.retain(|f| f.job_id != job);
        Ok(keys.into_iter().filter(|k| !files.iter().any(|f| &f.blob_key == k)).collect())
    }
    async fn find_completed_source(
        &self,
        _: Infohash,
        _: Option<DateTime<Utc>>,
    ) -> Result<Option<Vec<StoredFile>>, RepoError> {
        Ok(None)
    }
}

/// Blobs in memory, read back in 3-byte chunks so bodies really are streams of several chunks.
/// Cannot presign, so the API signs its own links.
#[derive(Debug, Default)]
struct Store(Mutex<HashMap<String, Vec<u8>>>);

#[async_trait]
impl FileStore for Store {
    async fn put(&self, key: &str, mut data: UploadReader) -> Result<u64, FileStoreError> {
        use tokio::io::AsyncReadExt;
        let mut bytes = Vec::new();
        data.read_to_end(&mut bytes).await.map_err(|e| FileStoreError::Backend(e.into()))?;
        let len = bytes.len() as u64;
        lock(&self.0).insert(key.to_owned(), bytes);
        Ok(len)
    }
    async fn get(&self, key: &str, range: Option<Range<u64>>) -> Result<ByteStream, FileStoreError> {
        let bytes = lock(&self.0).get(key).cloned().ok_or(FileStoreError::NotFound)?;
        let len = bytes.len() as u64;
        let range = range.unwrap_or(0..len);
        if range.start >= len && !(range.start == 0 && len == 0) {
            return Err(FileStoreError::InvalidRange);
        }
        let slice = bytes[range.start as usize..range.end.min(len) as usize].to_vec();
        let chunks: Vec<Result<bytes::Bytes, FileStoreError>> =
            slice.chunks(3).map(|c| Ok(bytes::Bytes::copy_from_slice(c))).collect();
        Ok(Box::pin(futures::stream::iter(chunks)))
    }
    async fn size(&self, key: &str) -> Result<u64, FileStoreError> {
        lock(&self.0).get(key).map(|b| b.len() as u64).ok_or(FileStoreError::NotFound)
    }
    async fn delete(&self, key: &str) -> Result<(), FileStoreError> {
        lock(&self.0).remove(key);
        Ok(())
    }
    async fn presigned_get(&self, _: &str, _: Duration) -> Result<Option<String>, FileStoreError> {
        Ok(None)
    }
    fn list(&self) -> tseeder_core::ports::ObjectStream {
        let objects: Vec<_> = lock(&self.0)
            .iter()
            .map(|(key, bytes)| {
                Ok(tseeder_core::ports::StoredObject {
                    key: key.clone(),
                    size: bytes.len() as u64,
                    last_modified: Utc::now(),
                })
            })
            .collect();
        Box::pin(futures::stream::iter(objects))
    }
}

/// Maintenance state with nothing recorded: these tests cover the HTTP layer; the sweeper and
/// the scheduler are tested over the real repositories.
#[derive(Debug)]
struct Maintenance;

#[async_trait]
impl tseeder_core::ports::MaintenanceRepository for Maintenance {
    async fn retention_page(
        &self,
        _: Option<tseeder_core::domain::FileId>,
        _: u64,
    ) -> Result<Vec<tseeder_core::ports::RetentionRow>, RepoError> {
        Ok(Vec::new())
    }
    async fn blob_keys_page(&self, _: Option<&str>, _: u64) -> Result<Vec<String>, RepoError> {
        Ok(Vec::new())
    }
    async fn delete_rows_for_blob(&self, _: &str) -> Result<u64, RepoError> {
        Ok(0)
    }
    async fn storage_totals(&self) -> Result<tseeder_core::ports::StorageTotals, RepoError> {
        Ok(Default::default())
    }
    async fn add_snapshot(&self, _: &tseeder_core::ports::StorageSnapshot) -> Result<(), RepoError> {
        Ok(())
    }
    async fn latest_snapshot(&self) -> Result<Option<tseeder_core::ports::StorageSnapshot>, RepoError> {
        Ok(None)
    }
    async fn record_sweep(&self, _: &tseeder_core::ports::SweepRecord) -> Result<(), RepoError> {
        Ok(())
    }
    async fn recent_sweeps(&self, _: u64) -> Result<Vec<tseeder_core::ports::SweepRecord>, RepoError> {
        Ok(Vec::new())
    }
    async fn sweep_totals(&self) -> Result<tseeder_core::ports::SweepTotals, RepoError> {
        Ok(Default::default())
    }
    async fn try_lease(
        &self,
        _: &str,
        _: DateTime<Utc>,
        _: &str,
        _: DateTime<Utc>,
        _: DateTime<Utc>,
    ) -> Result<bool, RepoError> {
        Ok(false)
    }
    async fn finish_task(
        &self,
        _: &str,
        _: DateTime<Utc>,
        _: &str,
        _: DateTime<Utc>,
        _: &str,
    ) -> Result<(), RepoError> {
        Ok(())
    }
    async fn task_states(&self) -> Result<Vec<tseeder_core::ports::TaskState>, RepoError> {
        Ok(Vec::new())
    }
}

/// The stubs behind one app, for tests that arrange data or move time.
struct World {
    core: Tseeder,
    accounts: Arc<Accounts>,
    jobs: Arc<Jobs>,
    files: Arc<Files>,
    store: Arc<Store>,
    clock: Arc<ManualClock>,
}

impl World {
    fn new() -> Self {
        Self::with_config(CoreConfig::default())
    }

    fn with_config(config: CoreConfig) -> Self {
        let accounts = Arc::new(Accounts::default());
        let jobs = Arc::new(Jobs::default());
        let files = Arc::new(Files::default());
        let store = Arc::new(Store::default());
        let clock = Arc::new(ManualClock::new(Utc::now()));
        let ports = Ports {
            accounts: Arc::clone(&accounts) as Arc<dyn AccountRepository>,
            plans: Arc::new(Plans),
            jobs: Arc::clone(&jobs) as Arc<dyn JobRepository>,
            queue: Arc::new(Queue),
            audit: Arc::new(Audit),
            blocklist: Arc::new(Blocklist),
            files: Arc::clone(&files) as Arc<dyn FileRepository>,
            store: Arc::clone(&store) as Arc<dyn FileStore>,
            maintenance: Arc::new(Maintenance),
            workers: Arc::new(tseeder_core::testing::InMemoryWorkerRegistry::default()),
            clock: Arc::clone(&clock) as Arc<dyn Clock>,
        };
        let core = Tseeder::new(ports, config);
        Self { core, accounts, jobs, files, store, clock }
    }

    fn client(&self, config: HttpConfig) -> TestClient<impl Endpoint<Output = Response> + use<>> {
        TestClient::new(tseeder_http::app(AppState { core: self.core.clone(), config }))
    }

    /// Gives the user with this email another role.
    fn set_role(&self, email: &str, role: Role) {
        let mut users = lock(&self.accounts.users);
        let (user, _) = users.iter_mut().find(|(u, _)| u.email == email).expect("a registered user");
        user.role = role;
    }

    /// A job of `owner` in `status`.
    fn add_job(&self, owner: UserId, name: &str, status: JobStatus) -> JobId {
        let magnet = MagnetLink::parse(&format!("magnet:?xt=urn:btih:{}", "ab".repeat(20))).expect("a magnet");
        let mut job = NewJob {
            id: JobId::new(),
            user_id: owner,
            name: name.to_owned(),
            infohash: magnet.infohash(),
            source: JobSource::Magnet(magnet),
            idempotency_key: None,
            selected_files: None,
            region_hint: None,
            total_bytes: Some(100),
            created_at: self.clock.now(),
        }
        .into_job();
        job.status = status;
        let id = job.id;
        lock(&self.jobs.jobs).push(job);
        id
    }

    fn set_status(&self, job: JobId, status: JobStatus) {
        let mut jobs = lock(&self.jobs.jobs);
        jobs.iter_mut().find(|j| j.id == job).expect("the job").status = status;
    }

    /// Appends an entry to a job's history.
    fn add_event(&self, job: JobId, kind: &str, payload: Value) -> u64 {
        let mut events = lock(&self.jobs.events);
        let seq = events.iter().filter(|e| e.job_id == job).count() as u64 + 1;
        events.push(JobEvent {
            job_id: job,
            seq,
            kind: kind.parse().expect("a known kind"),
            payload,
            created_at: self.clock.now(),
        });
        seq
    }

    /// Stores a file of a job with these bytes.
    fn add_file(&self, job: JobId, path: &str, bytes: &[u8], mime: Option<&str>) -> FileId {
        let id = FileId::new();
        let blob_key = format!("blobs/{}/{path}", "ab".repeat(20));
        lock(&self.store.0).insert(blob_key.clone(), bytes.to_vec());
        lock(&self.files.0).push(StoredFile {
            id,
            job_id: job,
            path: RelPath::parse(path).expect("a safe path"),
            size: bytes.len() as u64,
            blob_key,
            mime_type: mime.map(str::to_owned),
            created_at: self.clock.now(),
        });
        id
    }
}

fn state(config: HttpConfig) -> AppState {
    AppState { core: World::new().core, config }
}

fn client_with(config: HttpConfig) -> TestClient<impl Endpoint<Output = Response>> {
    TestClient::new(tseeder_http::app(state(config)))
}

fn client() -> TestClient<impl Endpoint<Output = Response>> {
    client_with(HttpConfig::default())
}

/// Status, headers and JSON body of a response.
async fn parts(resp: poem::test::TestResponse) -> (StatusCode, HeaderMap, Value) {
    let resp = resp.0;
    let status = resp.status();
    let headers = resp.headers().clone();
    let bytes = resp.into_body().into_bytes().await.expect("the body is readable");
    let body = if bytes.is_empty() { Value::Null } else { serde_json::from_slice(&bytes).expect("the body is JSON") };
    (status, headers, body)
}

/// Asserts the error shape and that the body's request id is the header's; returns the code.
fn error_code(headers: &HeaderMap, body: &Value) -> String {
    let error = &body["error"];
    assert!(error["message"].is_string(), "{body}");
    assert_eq!(error["requestId"], headers["x-request-id"].to_str().expect("ASCII request id"), "{body}");
    error["code"].as_str().expect("a string code").to_owned()
}

struct LoggedIn {
    id: UserId,
    token: String,
    csrf: String,
}

impl LoggedIn {
    fn bearer(&self) -> String {
        format!("Bearer {}", self.token)
    }
}

async fn register_and_login<E: Endpoint>(cli: &TestClient<E>, email: &str) -> LoggedIn {
    let creds = json!({"email": email, "password": "correct horse 1"});
    let (status, _, body) = parts(cli.post("/api/v1/auth/register").body_json(&creds).send().await).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    assert_eq!(body["user"]["email"], email);
    let id = UserId(body["user"]["id"].as_str().and_then(|id| id.parse().ok()).expect("a user id"));
    let (status, headers, body) = parts(cli.post("/api/v1/auth/login").body_json(&creds).send().await).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let cookie = headers[header::SET_COOKIE].to_str().expect("an ASCII cookie");
    let token = cookie.strip_prefix("session=").and_then(|c| c.split(';').next()).expect("the session cookie");
    let token = token.to_owned();
    let csrf = body["csrfToken"].as_str().expect("a CSRF token").to_owned();
    assert_eq!(headers["x-csrf-token"], csrf.as_str());
    assert_eq!(body["user"]["role"], "user");
    assert!(body["expiresAt"].is_string());
    LoggedIn { id, token, csrf }
}

#[tokio::test]
async fn health_answers_with_the_version_and_the_common_headers() {
    let (status, headers, body) = parts(client().get("/api/v1/health").send().await).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body, json!({"status": "ok", "version": env!("CARGO_PKG_VERSION")}));
    assert!(headers.contains_key("x-request-id"));
    assert_eq!(headers["x-content-type-options"], "nosniff");
    assert_eq!(headers["x-frame-options"], "DENY");
    assert_eq!(headers["referrer-policy"], "no-referrer");
}

#[tokio::test]
async fn unknown_routes_and_methods_get_the_error_body() {
    let cli = client();
    let (status, headers, body) = parts(cli.get("/api/v1/nope").send().await).await;
    assert_eq!((status, error_code(&headers, &body).as_str()), (StatusCode::NOT_FOUND, "not_found"));
    let (status, headers, body) = parts(cli.request(Method::PUT, "/api/v1/health").send().await).await;
    assert_eq!((status, error_code(&headers, &body).as_str()), (StatusCode::METHOD_NOT_ALLOWED, "method_not_allowed"));
    assert_eq!(headers["allow"], "GET, HEAD", "a 405 says what the path answers");
    let id = uuid::Uuid::new_v4();
    let (status, headers, _) = parts(cli.request(Method::PUT, format!("/api/v1/jobs/{id}")).send().await).await;
    assert_eq!(
        (status, &headers["allow"]),
        (StatusCode::METHOD_NOT_ALLOWED, &"DELETE, GET, PATCH, HEAD".parse().unwrap())
    );
}

#[tokio::test]
async fn malformed_requests_are_invalid_request() {
    let cli = client();
    let bad_json = cli.post("/api/v1/auth/login").content_type("application/json").body("{").send().await;
    let (status, headers, body) = parts(bad_json).await;
    assert_eq!((status, error_code(&headers, &body).as_str()), (StatusCode::BAD_REQUEST, "invalid_request"));
    let missing = cli.post("/api/v1/auth/register").body_json(&json!({"email": "a@b.co"})).send().await;
    let (status, headers, body) = parts(missing).await;
    assert_eq!((status, error_code(&headers, &body).as_str()), (StatusCode::BAD_REQUEST, "invalid_request"));
}

#[tokio::test]
async fn missing_credentials_are_unauthenticated() {
    let (status, headers, body) = parts(client().get("/api/v1/auth/me").send().await).await;
    assert_eq!((status, error_code(&headers, &body).as_str()), (StatusCode::UNAUTHORIZED, "unauthenticated"));
}

#[tokio::test]
async fn cookie_sessions_need_the_csrf_token_to_change_state() {
    let cli = client();
    let session = register_and_login(&cli, "alice@example.com").await;
    let cookie = format!("session={}", session.token);

    let (status, _, body) = parts(cli.get("/api/v1/auth/me").header(header::COOKIE, &cookie).send().await).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["csrfToken"], session.csrf.as_str());

    let no_csrf = cli.post("/api/v1/auth/logout").header(header::COOKIE, &cookie).send().await;
    let (status, headers, body) = parts(no_csrf).await;
    assert_eq!((status, error_code(&headers, &body).as_str()), (StatusCode::FORBIDDEN, "csrf_failed"));
    let wrong =
        cli.post("/api/v1/auth/logout").header(header::COOKIE, &cookie).header("x-csrf-token", "0").send().await;
    assert_eq!(parts(wrong).await.0, StatusCode::FORBIDDEN);

    let ok = cli.post("/api/v1/auth/logout").header(header::COOKIE, &cookie).header("x-csrf-token", &session.csrf);
    let (status, headers, body) = parts(ok.send().await).await;
    assert_eq!(status, StatusCode::NO_CONTENT, "{body}");
    assert!(headers[header::SET_COOKIE].to_str().unwrap().contains("Max-Age=0"));

    let after = cli.get("/api/v1/auth/me").header(header::COOKIE, &cookie).send().await;
    assert_eq!(parts(after).await.0, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn bearer_sessions_need_no_csrf_token_and_get_none() {
    let cli = client();
    let session = register_and_login(&cli, "bob@example.com").await;
    let bearer = format!("Bearer {}", session.token);

    let (status, _, body) = parts(cli.get("/api/v1/auth/me").header(header::AUTHORIZATION, &bearer).send().await).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["csrfToken"], Value::Null);

    let logout = cli.post("/api/v1/auth/logout").header(header::AUTHORIZATION, &bearer).send().await;
    assert_eq!(parts(logout).await.0, StatusCode::NO_CONTENT);
    let after = cli.get("/api/v1/auth/me").header(header::AUTHORIZATION, &bearer).send().await;
    assert_eq!(parts(after).await.0, StatusCode::UNAUTHORIZED, "logout revoked the bearer session");
}

#[tokio::test]
async fn a_bad_bearer_token_is_refused_even_with_a_good_cookie() {
    let cli = client();
    let session = register_and_login(&cli, "carol@example.com").await;
    let req = cli
        .get("/api/v1/auth/me")
        .header(header::COOKIE, format!("session={}", session.token))
        .header(header::AUTHORIZATION, "Bearer tsk_wrong");
    assert_eq!(parts(req.send().await).await.0, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn internal_errors_say_internal_error_and_nothing_more() {
    let cli = client();
    let session = register_and_login(&cli, "dave@example.com").await;
    let req = cli.get("/api/v1/jobs").header(header::AUTHORIZATION, format!("Bearer {}", session.token));
    let (status, headers, body) = parts(req.send().await).await;
    assert_eq!((status, error_code(&headers, &body).as_str()), (StatusCode::INTERNAL_SERVER_ERROR, "internal"));
    assert_eq!(body["error"]["message"], "internal error");
    assert!(!body.to_string().contains("hunter2"), "{body}");
}

#[tokio::test]
async fn service_errors_keep_their_codes() {
    let cli = client();
    let session = register_and_login(&cli, "erin@example.com").await;
    let bearer = format!("Bearer {}", session.token);

    let missing = cli.get(format!("/api/v1/jobs/{}", uuid::Uuid::new_v4())).header(header::AUTHORIZATION, &bearer);
    let (status, headers, body) = parts(missing.send().await).await;
    assert_eq!((status, error_code(&headers, &body).as_str()), (StatusCode::NOT_FOUND, "job_not_found"));

    let bad_id = cli.get("/api/v1/jobs/not-a-uuid").header(header::AUTHORIZATION, &bearer);
    let (status, headers, body) = parts(bad_id.send().await).await;
    assert_eq!((status, error_code(&headers, &body).as_str()), (StatusCode::BAD_REQUEST, "invalid_request"));

    let big_limit = cli.get("/api/v1/jobs").query("limit", &101).header(header::AUTHORIZATION, &bearer);
    assert_eq!(parts(big_limit.send().await).await.0, StatusCode::BAD_REQUEST);

    let magnet = cli.post("/api/v1/jobs").header(header::AUTHORIZATION, &bearer).body_json(&json!({"magnetUri": "x"}));
    let (status, headers, body) = parts(magnet.send().await).await;
    assert_eq!((status, error_code(&headers, &body).as_str()), (StatusCode::BAD_REQUEST, "invalid_magnet"));

    let form =
        TestForm::new().field(TestFormField::bytes(b"not bencode".to_vec()).name("torrent").filename("x.torrent"));
    let torrent = cli.post("/api/v1/jobs").header(header::AUTHORIZATION, &bearer).multipart(form);
    let (status, headers, body) = parts(torrent.send().await).await;
    assert_eq!((status, error_code(&headers, &body).as_str()), (StatusCode::BAD_REQUEST, "invalid_torrent"));
}

#[tokio::test]
async fn logins_are_rate_limited_per_address() {
    let cli = client_with(HttpConfig { login_per_minute: 2, ..HttpConfig::default() });
    let wrong = json!({"email": "nobody@example.com", "password": "wrong password 1"});
    for _ in 0..2 {
        let (status, headers, body) = parts(cli.post("/api/v1/auth/login").body_json(&wrong).send().await).await;
        assert_eq!((status, error_code(&headers, &body).as_str()), (StatusCode::UNAUTHORIZED, "bad_credentials"));
    }
    let (status, headers, body) = parts(cli.post("/api/v1/auth/login").body_json(&wrong).send().await).await;
    assert_eq!((status, error_code(&headers, &body).as_str()), (StatusCode::TOO_MANY_REQUESTS, "rate_limited"));
    assert!(headers.contains_key(header::RETRY_AFTER));
}

#[tokio::test]
async fn plans_are_public_and_unlimited_is_null() {
    let (status, _, body) = parts(client().get("/api/v1/plans").send().await).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        body["plans"][0],
        json!({
            "id": "free", "name": "free", "maxJobs": 2, "maxStorageBytes": 1u64 << 30,
            "maxFileSizeBytes": null, "bandwidthBytes": null, "retentionDays": 7, "priceCents": 0
        })
    );
}

#[tokio::test]
async fn oversized_bodies_are_payload_too_large() {
    let cli = client();
    let req = cli.post("/api/v1/jobs").header(header::CONTENT_LENGTH, "999999999").body(poem::Body::empty());
    let (status, headers, body) = parts(req.send().await).await;
    assert_eq!((status, error_code(&headers, &body).as_str()), (StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large"));
}

#[tokio::test]
async fn the_spec_and_the_explorer_are_served() {
    let cli = client();
    let (status, _, spec) = parts(cli.get("/api/v1/openapi.json").send().await).await;
    assert_eq!(status, StatusCode::OK);
    assert!(spec["paths"]["/api/v1/jobs"].is_object());
    #[cfg(feature = "swagger-ui")]
    {
        let docs = cli.get("/api/v1/docs").send().await;
        docs.assert_status_is_ok();
        docs.assert_header("x-frame-options", "DENY");
    }
}

#[tokio::test]
async fn serve_answers_on_a_bound_port_and_stops_on_shutdown() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};

    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let config = HttpConfig { shutdown_grace_secs: 1, ..HttpConfig::default() };
    let server = tokio::spawn(tseeder_http::serve(listener, state(config), async {
        let _ = stopped.await;
    }));

    let mut stream = tokio::net::TcpStream::connect(addr).await.unwrap();
    stream.write_all(b"GET /api/v1/health HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n").await.unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).await.unwrap();
    assert!(response.starts_with("HTTP/1.1 200"), "{response}");
    assert!(response.to_ascii_lowercase().contains("x-request-id:"), "{response}");

    stop.send(()).unwrap();
    server.await.unwrap().unwrap();
}

/// The raw bytes and headers of a response.
async fn raw(resp: poem::test::TestResponse) -> (StatusCode, HeaderMap, Vec<u8>) {
    let resp = resp.0;
    let status = resp.status();
    let headers = resp.headers().clone();
    let bytes = resp.into_body().into_vec().await.expect("the body is readable");
    (status, headers, bytes)
}

fn header_str(headers: &HeaderMap, name: impl poem::http::header::AsHeaderName) -> &str {
    headers.get(name).map(|v| v.to_str().expect("ASCII header")).unwrap_or_default()
}

const MOVIE: &[u8] = b"0123456789abcdefghij";

/// A world with one user owning one completed job with one file.
struct Downloads {
    world: World,
    owner: LoggedIn,
    job: JobId,
    file: FileId,
}

async fn downloads<E: Endpoint>(world: World, cli: &TestClient<E>) -> Downloads {
    let owner = register_and_login(cli, "owner@example.com").await;
    let job = world.add_job(owner.id, "Holiday \"2024\"", JobStatus::Completed);
    let file = world.add_file(job, "Holiday/Amélie.mkv", MOVIE, Some("video/x-matroska"));
    Downloads { world, owner, job, file }
}

#[tokio::test]
async fn downloads_stream_the_file_with_its_headers() {
    let world = World::new();
    let cli = world.client(HttpConfig::default());
    let d = downloads(world, &cli).await;
    let url = format!("/api/v1/files/{}/download", d.file);

    let (status, headers, body) = raw(cli.get(&url).header(header::AUTHORIZATION, d.owner.bearer()).send().await).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body, MOVIE);
    assert_eq!(header_str(&headers, header::CONTENT_TYPE), "video/x-matroska");
    assert_eq!(header_str(&headers, header::CONTENT_LENGTH), MOVIE.len().to_string());
    assert_eq!(header_str(&headers, header::ACCEPT_RANGES), "bytes");
    assert_eq!(
        header_str(&headers, header::CONTENT_DISPOSITION),
        "attachment; filename=\"Am_lie.mkv\"; filename*=UTF-8''Am%C3%A9lie.mkv"
    );
    assert_eq!(header_str(&headers, header::ETAG), format!("\"{}\"", d.file));
    assert_eq!(headers["x-content-type-options"], "nosniff");
}

#[tokio::test]
async fn downloads_answer_ranges_with_206_and_impossible_ones_with_416() {
    let world = World::new();
    let cli = world.client(HttpConfig::default());
    let d = downloads(world, &cli).await;
    let url = format!("/api/v1/files/{}/download", d.file);
    let get = |range: &str| cli.get(&url).header(header::AUTHORIZATION, d.owner.bearer()).header(header::RANGE, range);

    for (range, slice) in [
        ("bytes=0-1", 0..2),
        ("bytes=5-9", 5..10),
        ("bytes=15-", 15..20),
        ("bytes=-3", 17..20),
        ("bytes=18-99", 18..20),
        ("bytes=0-", 0..20),
    ] {
        let (status, headers, body) = raw(get(range).send().await).await;
        assert_eq!(status, StatusCode::PARTIAL_CONTENT, "{range}");
        assert_eq!(body, &MOVIE[slice.clone()], "{range}");
        assert_eq!(header_str(&headers, header::CONTENT_LENGTH), slice.len().to_string(), "{range}");
        let expected = format!("bytes {}-{}/20", slice.start, slice.end - 1);
        assert_eq!(header_str(&headers, header::CONTENT_RANGE), expected, "{range}");
    }

    for range in ["bytes=20-", "bytes=25-30", "bytes=-0", "bytes=30-40,50-"] {
        let (status, headers, body) = parts(get(range).send().await).await;
        assert_eq!(
            (status, error_code(&headers, &body).as_str()),
            (StatusCode::RANGE_NOT_SATISFIABLE, "range_not_satisfiable"),
            "{range}"
        );
        assert_eq!(header_str(&headers, header::CONTENT_RANGE), "bytes */20", "{range}");
    }

    for range in ["bytes=0-1,4-5", "bytes=abc", "lines=1-2", "bytes=5-1"] {
        let (status, headers, body) = raw(get(range).send().await).await;
        assert_eq!(status, StatusCode::OK, "{range}: several or malformed ranges get the whole file");
        assert_eq!(body, MOVIE, "{range}");
        assert!(headers.get(header::CONTENT_RANGE).is_none(), "{range}");
    }

    let stale = get("bytes=0-1").header(header::IF_RANGE, "\"not-it\"");
    assert_eq!(raw(stale.send().await).await.0, StatusCode::OK, "a stale If-Range gets the whole file");
    let fresh = get("bytes=0-1").header(header::IF_RANGE, format!("\"{}\"", d.file));
    assert_eq!(raw(fresh.send().await).await.0, StatusCode::PARTIAL_CONTENT);
}

#[tokio::test]
async fn files_are_for_their_owner_and_staff_only() {
    let world = World::new();
    let cli = world.client(HttpConfig::default());
    let d = downloads(world, &cli).await;
    let download = format!("/api/v1/files/{}/download", d.file);

    let (status, headers, body) = parts(cli.get(&download).send().await).await;
    assert_eq!((status, error_code(&headers, &body).as_str()), (StatusCode::UNAUTHORIZED, "unauthenticated"));

    let other = register_and_login(&cli, "other@example.com").await;
    let (status, headers, body) =
        parts(cli.get(&download).header(header::AUTHORIZATION, other.bearer()).send().await).await;
    assert_eq!((status, error_code(&headers, &body).as_str()), (StatusCode::NOT_FOUND, "file_not_found"));
    let signing =
        cli.post(format!("/api/v1/files/{}/signed-url", d.file)).header(header::AUTHORIZATION, other.bearer());
    let (status, headers, body) = parts(signing.send().await).await;
    assert_eq!((status, error_code(&headers, &body).as_str()), (StatusCode::NOT_FOUND, "file_not_found"));
    let listing = cli.get(format!("/api/v1/jobs/{}/files", d.job)).header(header::AUTHORIZATION, other.bearer());
    let (status, headers, body) = parts(listing.send().await).await;
    assert_eq!((status, error_code(&headers, &body).as_str()), (StatusCode::NOT_FOUND, "job_not_found"));
    let zip = cli.get(format!("/api/v1/jobs/{}/zip", d.job)).header(header::AUTHORIZATION, other.bearer());
    let (status, headers, body) = parts(zip.send().await).await;
    assert_eq!((status, error_code(&headers, &body).as_str()), (StatusCode::NOT_FOUND, "job_not_found"));
    let deleting = cli.delete(format!("/api/v1/files/{}", d.file)).header(header::AUTHORIZATION, other.bearer());
    let (status, headers, body) = parts(deleting.send().await).await;
    assert_eq!((status, error_code(&headers, &body).as_str()), (StatusCode::NOT_FOUND, "file_not_found"));

    let staff = register_and_login(&cli, "support@example.com").await;
    d.world.set_role("support@example.com", Role::Support);
    let (status, _, body) = raw(cli.get(&download).header(header::AUTHORIZATION, staff.bearer()).send().await).await;
    assert_eq!((status, body.as_slice()), (StatusCode::OK, MOVIE), "staff may read");
    let deleting = cli.delete(format!("/api/v1/files/{}", d.file)).header(header::AUTHORIZATION, staff.bearer());
    let (status, headers, body) = parts(deleting.send().await).await;
    assert_eq!(
        (status, error_code(&headers, &body).as_str()),
        (StatusCode::NOT_FOUND, "file_not_found"),
        "only the owner deletes"
    );

    let bad_id = cli.get("/api/v1/files/not-a-uuid/download").header(header::AUTHORIZATION, d.owner.bearer());
    let (status, headers, body) = parts(bad_id.send().await).await;
    assert_eq!((status, error_code(&headers, &body).as_str()), (StatusCode::BAD_REQUEST, "invalid_request"));
}

#[tokio::test]
async fn signed_links_stream_without_credentials_until_they_expire() {
    let world = World::new();
    let cli = world.client(HttpConfig::default());
    let d = downloads(world, &cli).await;
    let sign = |body: Option<Value>| {
        let req = cli
            .post(format!("/api/v1/files/{}/signed-url", d.file))
            .header(header::AUTHORIZATION, d.owner.bearer())
            .header(header::HOST, "media.example:8080");
        match body {
            Some(body) => req.body_json(&body),
            None => req,
        }
    };

    let (status, _, signed) = parts(sign(Some(json!({"expiresIn": 120}))).send().await).await;
    assert_eq!(status, StatusCode::OK, "{signed}");
    assert_eq!(signed["fileId"], d.file.to_string());
    assert_eq!(signed["filename"], "Amélie.mkv");
    let url = signed["url"].as_str().unwrap();
    let prefix = format!("http://media.example:8080/api/v1/files/{}/stream?expires=", d.file);
    assert!(url.starts_with(&prefix), "{url}");
    let expires_at: DateTime<Utc> = signed["expiresAt"].as_str().unwrap().parse().unwrap();
    assert_eq!((expires_at - d.world.clock.now()).num_seconds(), 120);
    let path = url.strip_prefix("http://media.example:8080").unwrap().to_owned();

    let (status, headers, body) = raw(cli.get(&path).send().await).await;
    assert_eq!((status, body.as_slice()), (StatusCode::OK, MOVIE));
    assert!(header_str(&headers, header::CONTENT_DISPOSITION).starts_with("inline; "));
    assert_eq!(header_str(&headers, header::ACCEPT_RANGES), "bytes");
    let (status, headers, body) = raw(cli.get(&path).header(header::RANGE, "bytes=0-1").send().await).await;
    assert_eq!((status, body.as_slice()), (StatusCode::PARTIAL_CONTENT, &MOVIE[..2]));
    assert_eq!(header_str(&headers, header::CONTENT_RANGE), "bytes 0-1/20");
    let (status, headers, body) = parts(cli.get(&path).header(header::RANGE, "bytes=-0").send().await).await;
    assert_eq!(
        (status, error_code(&headers, &body).as_str()),
        (StatusCode::RANGE_NOT_SATISFIABLE, "range_not_satisfiable")
    );

    let forged = path.replace("token=", "token=00");
    let (status, headers, body) = parts(cli.get(&forged).send().await).await;
    assert_eq!((status, error_code(&headers, &body).as_str()), (StatusCode::FORBIDDEN, "invalid_link"));
    let (status, headers, body) = parts(cli.get(&forged).header(header::RANGE, "bytes=-5").send().await).await;
    assert_eq!(
        (status, error_code(&headers, &body).as_str()),
        (StatusCode::FORBIDDEN, "invalid_link"),
        "no size leaks to a forger"
    );
    let missing = format!("/api/v1/files/{}/stream", d.file);
    assert_eq!(parts(cli.get(&missing).send().await).await.0, StatusCode::BAD_REQUEST);

    d.world.clock.advance(chrono::Duration::seconds(121));
    let (status, headers, body) = parts(cli.get(&path).send().await).await;
    assert_eq!((status, error_code(&headers, &body).as_str()), (StatusCode::FORBIDDEN, "link_expired"));

    let (status, _, signed) = parts(sign(None).send().await).await;
    assert_eq!(status, StatusCode::OK, "{signed}");
    let expires_at: DateTime<Utc> = signed["expiresAt"].as_str().unwrap().parse().unwrap();
    assert_eq!((expires_at - d.world.clock.now()).num_seconds(), 3600, "an hour by default");
    let (status, headers, body) = parts(sign(Some(json!({"expiresIn": 10}))).send().await).await;
    assert_eq!((status, error_code(&headers, &body).as_str()), (StatusCode::BAD_REQUEST, "invalid_expiry"));
}

#[tokio::test]
async fn signed_links_use_the_forwarded_scheme_only_behind_a_trusted_proxy() {
    for (trust, scheme) in [(true, "https"), (false, "http")] {
        let world = World::new();
        let cli = world.client(HttpConfig { trust_proxy_headers: trust, ..HttpConfig::default() });
        let d = downloads(world, &cli).await;
        let req = cli
            .post(format!("/api/v1/files/{}/signed-url", d.file))
            .header(header::AUTHORIZATION, d.owner.bearer())
            .header(header::HOST, "tseeder.example")
            .header("x-forwarded-proto", "https");
        let (_, _, signed) = parts(req.send().await).await;
        let url = signed["url"].as_str().unwrap();
        assert!(url.starts_with(&format!("{scheme}://tseeder.example/api/v1/files/")), "{url}");
    }
}

#[tokio::test]
async fn deleting_a_file_needs_csrf_with_a_cookie_and_takes_the_blob() {
    let world = World::new();
    let cli = world.client(HttpConfig::default());
    let d = downloads(world, &cli).await;
    let url = format!("/api/v1/files/{}", d.file);
    let cookie = format!("session={}", d.owner.token);

    let no_csrf = cli.delete(&url).header(header::COOKIE, &cookie).send().await;
    let (status, headers, body) = parts(no_csrf).await;
    assert_eq!((status, error_code(&headers, &body).as_str()), (StatusCode::FORBIDDEN, "csrf_failed"));
    let ok = cli.delete(&url).header(header::COOKIE, &cookie).header("x-csrf-token", &d.owner.csrf).send().await;
    assert_eq!(parts(ok).await.0, StatusCode::NO_CONTENT);
    assert!(lock(&d.world.store.0).is_empty(), "the only reference took the blob");
    let again = cli.get(format!("{url}/download")).header(header::AUTHORIZATION, d.owner.bearer()).send().await;
    let (status, headers, body) = parts(again).await;
    assert_eq!((status, error_code(&headers, &body).as_str()), (StatusCode::NOT_FOUND, "file_not_found"));
}

#[tokio::test]
async fn job_files_come_as_a_list_and_a_tree() {
    let world = World::new();
    let cli = world.client(HttpConfig::default());
    let d = downloads(world, &cli).await;
    let cover = d.world.add_file(d.job, "Holiday/art/cover.jpg", b"jpeg", Some("image/jpeg"));
    let readme = d.world.add_file(d.job, "README", b"hi", None);

    let req = cli.get(format!("/api/v1/jobs/{}/files", d.job)).header(header::AUTHORIZATION, d.owner.bearer());
    let (status, _, body) = parts(req.send().await).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["jobId"], d.job.to_string());
    assert_eq!(
        body["files"],
        json!([
            {"id": d.file.to_string(), "path": "Holiday/Amélie.mkv", "sizeBytes": 20, "mimeType": "video/x-matroska"},
            {"id": cover.to_string(), "path": "Holiday/art/cover.jpg", "sizeBytes": 4, "mimeType": "image/jpeg"},
            {"id": readme.to_string(), "path": "README", "sizeBytes": 2, "mimeType": null},
        ])
    );
    assert_eq!(
        body["tree"],
        json!([
            {"type": "folder", "name": "Holiday", "path": "Holiday", "children": [
                {"type": "folder", "name": "art", "path": "Holiday/art", "children": [
                    {"type": "file", "name": "cover.jpg", "path": "Holiday/art/cover.jpg", "id": cover.to_string(), "sizeBytes": 4},
                ]},
                {"type": "file", "name": "Amélie.mkv", "path": "Holiday/Amélie.mkv", "id": d.file.to_string(), "sizeBytes": 20},
            ]},
            {"type": "file", "name": "README", "path": "README", "id": readme.to_string(), "sizeBytes": 2},
        ])
    );
}

#[tokio::test]
#[expect(deprecated, reason = "the in-memory reader is the shortest way to read an archive back in a test")]
async fn a_job_zip_holds_every_file_at_its_path_uncompressed() {
    use futures::AsyncReadExt as _;

    let world = World::new();
    let cli = world.client(HttpConfig::default());
    let d = downloads(world, &cli).await;
    let big: Vec<u8> = (0..200_000u32).map(|i| (i % 251) as u8).collect();
    d.world.add_file(d.job, "Holiday/big.bin", &big, None);

    let req = cli.get(format!("/api/v1/jobs/{}/zip", d.job)).header(header::AUTHORIZATION, d.owner.bearer());
    let (status, headers, body) = raw(req.send().await).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(header_str(&headers, header::CONTENT_TYPE), "application/zip");
    assert_eq!(
        header_str(&headers, header::CONTENT_DISPOSITION),
        "attachment; filename=\"Holiday _2024_.zip\"; filename*=UTF-8''Holiday%20%222024%22.zip"
    );
    assert!(body.starts_with(b"PK\x03\x04"));
    assert_eq!(&body[26..30], &[19, 0, 0, 0], "a small archive has no zip64 extra field in its local headers");

    let zip = async_zip::base::read::mem::ZipFileReader::new(body).await.expect("a readable zip");
    let mut got = Vec::new();
    for (index, entry) in zip.file().entries().iter().enumerate() {
        assert_eq!(entry.compression(), async_zip::Compression::Stored);
        let name = entry.filename().as_str().unwrap().to_owned();
        let mut data = Vec::new();
        zip.reader_with_entry(index).await.unwrap().read_to_end(&mut data).await.unwrap();
        got.push((name, data));
    }
    assert_eq!(got, [("Holiday/Amélie.mkv".to_owned(), MOVIE.to_vec()), ("Holiday/big.bin".to_owned(), big)]);
}

#[tokio::test]
async fn a_zip_whose_blob_is_missing_breaks_off() {
    let world = World::new();
    let cli = world.client(HttpConfig::default());
    let d = downloads(world, &cli).await;
    lock(&d.world.store.0).clear();
    let req = cli.get(format!("/api/v1/jobs/{}/zip", d.job)).header(header::AUTHORIZATION, d.owner.bearer());
    let resp = req.send().await.0;
    assert_eq!(resp.status(), StatusCode::OK, "the status went out before the failure");
    assert!(resp.into_body().into_vec().await.is_err(), "the body ends with an error, not a truncated archive");
}

#[tokio::test]
async fn submissions_pass_the_region_hint() {
    let world = World::new();
    let cli = world.client(HttpConfig::default());
    let user = register_and_login(&cli, "regional@example.com").await;
    let magnet = format!("magnet:?xt=urn:btih:{}", "ce".repeat(20));

    let req = cli
        .post("/api/v1/jobs")
        .header(header::AUTHORIZATION, user.bearer())
        .body_json(&json!({"magnetUri": magnet, "regionHint": "Mars 1"}));
    let (status, _, body) = parts(req.send().await).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    assert_eq!(body["error"]["code"], "invalid_region", "{body}");

    let req = cli
        .post("/api/v1/jobs")
        .header(header::AUTHORIZATION, user.bearer())
        .body_json(&json!({"magnetUri": magnet, "regionHint": "eu-west"}));
    let (status, _, body) = parts(req.send().await).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    assert_eq!(body["regionHint"], "eu-west", "{body}");
    let submitted = lock(&world.jobs.submitted).last().unwrap().region_hint.clone();
    assert_eq!(submitted.as_ref().map(|r| r.as_str()), Some("eu-west"));
}

#[tokio::test]
async fn submissions_pass_the_file_selection() {
    let world = World::new();
    let cli = world.client(HttpConfig::default());
    let user = register_and_login(&cli, "picky@example.com").await;
    let magnet = format!("magnet:?xt=urn:btih:{}", "cd".repeat(20));

    let req = cli
        .post("/api/v1/jobs")
        .header(header::AUTHORIZATION, user.bearer())
        .body_json(&json!({"magnetUri": magnet, "files": [2, 0]}));
    let (status, _, body) = parts(req.send().await).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    assert_eq!(lock(&world.jobs.submitted).last().unwrap().selected_files, Some(vec![0, 2]));

    let req = cli
        .post("/api/v1/jobs")
        .header(header::AUTHORIZATION, user.bearer())
        .body_json(&json!({"magnetUri": magnet, "files": [1, 1]}));
    let (status, headers, body) = parts(req.send().await).await;
    assert_eq!((status, error_code(&headers, &body).as_str()), (StatusCode::BAD_REQUEST, "invalid_selection"));

    let form = TestForm::new()
        .field(TestFormField::bytes(b"d4:infodee".to_vec()).name("torrent").filename("x.torrent"))
        .field(TestFormField::text("0,x").name("files"));
    let req = cli.post("/api/v1/jobs").header(header::AUTHORIZATION, user.bearer()).multipart(form);
    let (status, headers, body) = parts(req.send().await).await;
    assert_eq!((status, error_code(&headers, &body).as_str()), (StatusCode::BAD_REQUEST, "invalid_selection"));
}

/// One parsed Server-Sent Event.
#[derive(Debug, Default, PartialEq)]
struct Sse {
    id: Option<String>,
    event: String,
    data: Value,
}

/// Reads SSE events from a streaming body until `count` arrived or the stream ended.
async fn read_events(
    body: &mut (impl futures::Stream<Item = Result<bytes::Bytes, std::io::Error>> + Unpin),
    buf: &mut String,
    count: usize,
) -> Vec<Sse> {
    use futures::StreamExt as _;
    let mut events = Vec::new();
    while events.len() < count {
        if let Some(end) = buf.find("\n\n") {
            let block: String = buf.drain(..end + 2).collect();
            let mut ev = Sse::default();
            let mut data = String::new();
            for line in block.lines() {
                if let Some(v) = line.strip_prefix("id: ") {
                    ev.id = Some(v.to_owned());
                } else if let Some(v) = line.strip_prefix("event: ") {
                    ev.event = v.to_owned();
                } else if let Some(v) = line.strip_prefix("data: ") {
                    data.push_str(v);
                }
            }
            if !data.is_empty() {
                ev.data = serde_json::from_str(&data).expect("JSON data");
                events.push(ev);
            }
            continue;
        }
        match tokio::time::timeout(Duration::from_secs(10), body.next()).await.expect("an event in time") {
            Some(chunk) => buf.push_str(std::str::from_utf8(&chunk.expect("a chunk")).expect("UTF-8")),
            None => break,
        }
    }
    events
}

#[tokio::test]
async fn live_events_replay_history_then_end_for_a_finished_job() {
    let world = World::new();
    let cli = world.client(HttpConfig::default());
    let owner = register_and_login(&cli, "watcher@example.com").await;
    let job = world.add_job(owner.id, "done", JobStatus::Completed);
    world.add_event(job, "job_created", json!({}));
    world.add_event(job, "status_changed", json!({"from": "queued", "to": "downloading"}));
    world.add_event(job, "status_changed", json!({"from": "uploading", "to": "completed"}));
    let url = format!("/api/v1/jobs/{job}/events");

    let resp = cli.get(&url).header(header::AUTHORIZATION, owner.bearer()).send().await.0;
    assert_eq!(resp.status(), StatusCode::OK);
    assert_eq!(header_str(resp.headers(), header::CONTENT_TYPE), "text/event-stream");
    let text = resp.into_body().into_string().await.unwrap();
    let first = text.split("\n\n").next().unwrap();
    let mut lines = first.lines();
    assert_eq!(lines.next(), Some("id: 1"));
    assert_eq!(lines.next(), Some("event: job_created"));
    let data: Value = serde_json::from_str(lines.next().unwrap().strip_prefix("data: ").unwrap()).unwrap();
    assert_eq!(data["seq"], 1);
    assert_eq!(data["kind"], "job_created");
    assert_eq!(data["job"]["id"], job.to_string());
    assert_eq!(data["job"]["status"], "completed");
    assert!(data["createdAt"].is_string());
    assert!(text.ends_with("event: end\ndata: {\"status\":\"completed\"}\n\n"), "{text}");
    assert_eq!(text.matches("id: ").count(), 3, "{text}");

    let resumed =
        cli.get(&url).header(header::AUTHORIZATION, owner.bearer()).header("Last-Event-ID", "2").send().await.0;
    let text = resumed.into_body().into_string().await.unwrap();
    assert!(text.starts_with("id: 3\nevent: status_changed\n"), "{text}");
    assert_eq!(text.matches("id: ").count(), 1, "{text}");
    let after = cli.get(&url).query("after", &3).header(header::AUTHORIZATION, owner.bearer()).send().await.0;
    assert_eq!(after.into_body().into_string().await.unwrap(), "event: end\ndata: {\"status\":\"completed\"}\n\n");
}

#[tokio::test]
async fn live_events_follow_progress_and_new_history_until_the_end() {
    use futures::TryStreamExt as _;

    let world = World::new();
    let cli = world.client(HttpConfig::default());
    let owner = register_and_login(&cli, "live@example.com").await;
    let job = world.add_job(owner.id, "running", JobStatus::Downloading);
    world.add_event(job, "job_created", json!({}));

    let resp =
        cli.get(format!("/api/v1/jobs/{job}/events")).header(header::AUTHORIZATION, owner.bearer()).send().await.0;
    assert_eq!(resp.status(), StatusCode::OK);
    let mut body = resp.into_body().into_bytes_stream().map_err(std::io::Error::other);
    let mut buf = String::new();
    let first = read_events(&mut body, &mut buf, 1).await;
    assert_eq!((first[0].id.as_deref(), first[0].event.as_str()), (Some("1"), "job_created"));

    let progress = EngineProgress {
        done_bytes: 25,
        total_bytes: 100,
        download_bps: 7,
        upload_bps: 1,
        peers: 4,
        eta_secs: Some(9),
    };
    world.core.events.publish(job, JobNotice::Progress(progress));
    let got = read_events(&mut body, &mut buf, 1).await;
    assert_eq!(got[0].event, "progress");
    assert_eq!(got[0].id, None, "progress is not stored, so it has no id");
    assert_eq!(
        got[0].data,
        json!({"doneBytes": 25, "totalBytes": 100, "downloadBps": 7, "uploadBps": 1, "peers": 4, "etaSecs": 9, "progressPct": 25.0})
    );

    // A notice for history already sent sends nothing twice.
    world.core.events.publish(job, JobNotice::Changed);
    world.add_event(job, "status_changed", json!({"from": "downloading", "to": "completed"}));
    world.set_status(job, JobStatus::Completed);
    world.core.events.publish(job, JobNotice::Changed);
    let rest = read_events(&mut body, &mut buf, 10).await;
    let summary: Vec<(Option<&str>, &str)> = rest.iter().map(|e| (e.id.as_deref(), e.event.as_str())).collect();
    assert_eq!(summary, [(Some("2"), "status_changed"), (None, "end")]);
    assert_eq!(rest[0].data["job"]["status"], "completed");
}

#[tokio::test]
async fn cancelling_a_followed_job_ends_its_stream() {
    use futures::TryStreamExt as _;

    let world = World::new();
    let cli = world.client(HttpConfig::default());
    let owner = register_and_login(&cli, "cancel@example.com").await;
    let job = world.add_job(owner.id, "doomed", JobStatus::Queued);
    world.add_event(job, "job_created", json!({}));

    let resp =
        cli.get(format!("/api/v1/jobs/{job}/events")).header(header::AUTHORIZATION, owner.bearer()).send().await.0;
    let mut body = resp.into_body().into_bytes_stream().map_err(std::io::Error::other);
    let mut buf = String::new();
    assert_eq!(read_events(&mut body, &mut buf, 1).await[0].event, "job_created");

    let cancel = cli.post(format!("/api/v1/jobs/{job}/cancel")).header(header::AUTHORIZATION, owner.bearer());
    assert_eq!(parts(cancel.send().await).await.0, StatusCode::OK);
    let rest = read_events(&mut body, &mut buf, 10).await;
    let summary: Vec<(Option<&str>, &str)> = rest.iter().map(|e| (e.id.as_deref(), e.event.as_str())).collect();
    assert_eq!(summary, [(Some("2"), "status_changed"), (None, "end")]);
    assert_eq!(rest[0].data["payload"]["to"], "cancelled");
    assert_eq!(rest[1].data, json!({"status": "cancelled"}));
}

#[tokio::test]
async fn live_events_replay_long_histories_page_by_page() {
    let world = World::new();
    let cli = world.client(HttpConfig::default());
    let owner = register_and_login(&cli, "long@example.com").await;
    let job = world.add_job(owner.id, "long", JobStatus::Failed);
    for _ in 0..2500 {
        world.add_event(job, "attempt_failed", json!({}));
    }
    let resp =
        cli.get(format!("/api/v1/jobs/{job}/events")).header(header::AUTHORIZATION, owner.bearer()).send().await.0;
    let text = resp.into_body().into_string().await.unwrap();
    let ids: Vec<u64> = text.lines().filter_map(|l| l.strip_prefix("id: ")?.parse().ok()).collect();
    assert_eq!(ids, (1..=2500).collect::<Vec<_>>());
    assert!(text.ends_with("event: end\ndata: {\"status\":\"failed\"}\n\n"));
}

#[tokio::test]
async fn live_events_are_for_the_owner_and_staff_only() {
    let world = World::new();
    let cli = world.client(HttpConfig::default());
    let owner = register_and_login(&cli, "mine@example.com").await;
    let job = world.add_job(owner.id, "private", JobStatus::Completed);
    let url = format!("/api/v1/jobs/{job}/events");

    let (status, headers, body) = parts(cli.get(&url).send().await).await;
    assert_eq!((status, error_code(&headers, &body).as_str()), (StatusCode::UNAUTHORIZED, "unauthenticated"));
    let other = register_and_login(&cli, "nosy@example.com").await;
    let (status, headers, body) = parts(cli.get(&url).header(header::AUTHORIZATION, other.bearer()).send().await).await;
    assert_eq!((status, error_code(&headers, &body).as_str()), (StatusCode::NOT_FOUND, "job_not_found"));
    let staff = register_and_login(&cli, "staff@example.com").await;
    world.set_role("staff@example.com", Role::Support);
    let resp = cli.get(&url).header(header::AUTHORIZATION, staff.bearer()).send().await.0;
    assert_eq!(resp.status(), StatusCode::OK);
}

#[tokio::test]
async fn history_is_paged_json() {
    let world = World::new();
    let cli = world.client(HttpConfig::default());
    let owner = register_and_login(&cli, "history@example.com").await;
    let job = world.add_job(owner.id, "h", JobStatus::Queued);
    for _ in 0..3 {
        world.add_event(job, "job_renamed", json!({}));
    }
    let req = cli
        .get(format!("/api/v1/jobs/{job}/history"))
        .query("after", &1)
        .query("limit", &1)
        .header(header::AUTHORIZATION, owner.bearer());
    let (status, _, body) = parts(req.send().await).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let events = body["events"].as_array().unwrap();
    assert_eq!(events.len(), 1);
    assert_eq!(events[0]["seq"], 2);
}

/// Sends one raw HTTP/1.1 request to `addr` and returns the whole response, headers lowercased.
async fn raw_http(addr: std::net::SocketAddr, request: &str) -> (String, Vec<u8>) {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let mut stream = tokio::net::TcpStream::connect(addr).await.expect("the server accepts");
    stream.write_all(request.as_bytes()).await.expect("the request is sent");
    let mut response = Vec::new();
    tokio::time::timeout(Duration::from_secs(10), stream.read_to_end(&mut response))
        .await
        .expect("in time")
        .expect("the response is read");
    let split = response.windows(4).position(|w| w == b"\r\n\r\n").expect("a header block") + 4;
    let head = String::from_utf8_lossy(&response[..split]).to_ascii_lowercase();
    (head, response[split..].to_vec())
}

#[tokio::test]
async fn a_real_server_sends_exact_ranges_and_live_events() {
    let world = World::new();
    let cli = world.client(HttpConfig::default());
    let d = downloads(world, &cli).await;
    d.world.add_event(d.job, "job_created", json!({}));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let state =
        AppState { core: d.world.core.clone(), config: HttpConfig { shutdown_grace_secs: 1, ..HttpConfig::default() } };
    let server = tokio::spawn(tseeder_http::serve(listener, state, async {
        let _ = stopped.await;
    }));
    let auth = format!("Authorization: {}\r\n", d.owner.bearer());

    let request = format!(
        "GET /api/v1/files/{}/download HTTP/1.1\r\nHost: x\r\n{auth}Range: bytes=0-1\r\nConnection: close\r\n\r\n",
        d.file
    );
    let (head, body) = raw_http(addr, &request).await;
    assert!(head.starts_with("http/1.1 206"), "{head}");
    assert!(head.contains("content-length: 2\r\n"), "{head}");
    assert!(head.contains("content-range: bytes 0-1/20\r\n"), "{head}");
    assert!(!head.contains("transfer-encoding"), "{head}");
    assert_eq!(body, b"01");

    let request = format!("GET /api/v1/jobs/{}/events HTTP/1.1\r\nHost: x\r\n{auth}Connection: close\r\n\r\n", d.job);
    let (head, body) = raw_http(addr, &request).await;
    assert!(head.starts_with("http/1.1 200"), "{head}");
    assert!(head.contains("content-type: text/event-stream\r\n"), "{head}");
    assert!(head.contains("cache-control: no-cache\r\n"), "{head}");
    let body = String::from_utf8(body).unwrap();
    assert!(body.contains("id: 1\nevent: job_created\n"), "{body}");
    assert!(body.contains("event: end"), "{body}");

    stop.send(()).unwrap();
    server.await.unwrap().unwrap();
}

const AGENT_SECRET: &str = "agent secret of at least 32 bytes, for tests";
const HEARTBEAT_PATH: &str = "/api/v1/agent/heartbeat";

fn agent_world() -> World {
    let mut config = CoreConfig::default();
    config.agents.secret = AGENT_SECRET.into();
    World::with_config(config)
}

fn heartbeat_body(worker: &str, active: u32) -> Vec<u8> {
    serde_json::to_vec(&json!({
        "workerId": worker,
        "region": "eu-west",
        "baseUrl": "https://agent.example.com:8787/",
        "version": "0.1.0",
        "activeJobs": active,
        "maxJobs": 4,
        "diskFreeBytes": 1000,
        "diskTotalBytes": 4000,
        "cpuPct": 12.5,
        "bandwidthBps": 2048,
    }))
    .expect("JSON")
}

/// Sends `body` to the heartbeat endpoint with the given timestamp and signature headers.
async fn send_heartbeat<E: Endpoint>(
    cli: &TestClient<E>,
    body: Vec<u8>,
    timestamp: Option<i64>,
    signature: Option<&str>,
) -> (StatusCode, HeaderMap, Value) {
    let mut req = cli.post(HEARTBEAT_PATH).content_type("application/json");
    if let Some(ts) = timestamp {
        req = req.header(agent_auth::TIMESTAMP_HEADER, ts.to_string());
    }
    if let Some(signature) = signature {
        req = req.header(agent_auth::SIGNATURE_HEADER, signature);
    }
    parts(req.body(body).send().await).await
}

#[tokio::test]
async fn signed_heartbeats_register_the_worker_and_replays_are_refused() {
    let world = agent_world();
    let cli = world.client(HttpConfig::default());
    let ts = world.clock.now().timestamp();
    let body = heartbeat_body("agent-1", 1);
    let signature = agent_auth::sign(AGENT_SECRET.as_bytes(), "POST", HEARTBEAT_PATH, ts, &body);

    let (status, _, json) = send_heartbeat(&cli, body.clone(), Some(ts), Some(&signature)).await;
    assert_eq!(status, StatusCode::OK, "{json}");
    let worker = &json["worker"];
    assert_eq!(worker["id"], "agent-1");
    assert_eq!(worker["region"], "eu-west");
    assert_eq!(worker["status"], "healthy");
    assert_eq!(worker["stale"], false);
    assert_eq!(worker["loadFactor"], 0.25);
    assert_eq!(worker["baseUrl"], "https://agent.example.com:8787/");
    assert!(json["serverTime"].is_string(), "{json}");

    let (status, headers, json) = send_heartbeat(&cli, body, Some(ts), Some(&signature)).await;
    assert_eq!((status, error_code(&headers, &json).as_str()), (StatusCode::UNAUTHORIZED, "agent_replayed"));
}

#[tokio::test]
async fn heartbeats_with_bad_or_missing_signatures_are_refused() {
    let world = agent_world();
    let cli = world.client(HttpConfig::default());
    let ts = world.clock.now().timestamp();
    let body = heartbeat_body("agent-1", 1);
    let signature = agent_auth::sign(AGENT_SECRET.as_bytes(), "POST", HEARTBEAT_PATH, ts, &body);
    let other_path = agent_auth::sign(AGENT_SECRET.as_bytes(), "POST", "/api/v1/agent/other", ts, &body);
    let cases: [(Vec<u8>, Option<i64>, Option<&str>); 5] = [
        (heartbeat_body("agent-1", 2), Some(ts), Some(&signature)),
        (body.clone(), Some(ts), Some(&other_path)),
        (body.clone(), Some(ts + 1), Some(&signature)),
        (body.clone(), None, Some(&signature)),
        (body.clone(), Some(ts), None),
    ];
    for (body, ts, signature) in cases {
        let (status, headers, json) = send_heartbeat(&cli, body, ts, signature).await;
        assert_eq!(
            (status, error_code(&headers, &json).as_str()),
            (StatusCode::UNAUTHORIZED, "agent_unauthenticated"),
            "{ts:?} {signature:?}"
        );
    }
    // The untouched request still goes through: refusals remember nothing.
    let (status, _, json) = send_heartbeat(&cli, body, Some(ts), Some(&signature)).await;
    assert_eq!(status, StatusCode::OK, "{json}");
}

#[tokio::test]
async fn heartbeats_are_refused_when_no_agent_secret_is_configured() {
    let world = World::new();
    let cli = world.client(HttpConfig::default());
    let ts = world.clock.now().timestamp();
    let body = heartbeat_body("agent-1", 1);
    let signature = agent_auth::sign(b"", "POST", HEARTBEAT_PATH, ts, &body);
    let (status, headers, json) = send_heartbeat(&cli, body, Some(ts), Some(&signature)).await;
    assert_eq!((status, error_code(&headers, &json).as_str()), (StatusCode::FORBIDDEN, "agents_disabled"));
}

#[tokio::test]
async fn signed_heartbeats_that_do_not_parse_or_validate_are_invalid_heartbeat() {
    let world = agent_world();
    let cli = world.client(HttpConfig::default());
    let ts = world.clock.now().timestamp();
    let mut bad_region: Value = serde_json::from_slice(&heartbeat_body("agent-1", 1)).unwrap();
    bad_region["region"] = json!("EU West");
    for body in [
        b"{not json".to_vec(),
        b"{}".to_vec(),
        heartbeat_body("agent/1", 1),
        heartbeat_body("agent-1", 100_001),
        serde_json::to_vec(&bad_region).unwrap(),
    ] {
        let signature = agent_auth::sign(AGENT_SECRET.as_bytes(), "POST", HEARTBEAT_PATH, ts, &body);
        let label = String::from_utf8_lossy(&body).into_owned();
        let (status, headers, json) = send_heartbeat(&cli, body, Some(ts), Some(&signature)).await;
        assert_eq!(
            (status, error_code(&headers, &json).as_str()),
            (StatusCode::BAD_REQUEST, "invalid_heartbeat"),
            "{label}: {json}"
        );
    }
}

#[tokio::test]
async fn the_fleet_is_for_staff_only() {
    let world = agent_world();
    let cli = world.client(HttpConfig::default());
    let ts = world.clock.now().timestamp();
    let body = heartbeat_body("agent-1", 3);
    let signature = agent_auth::sign(AGENT_SECRET.as_bytes(), "POST", HEARTBEAT_PATH, ts, &body);
    assert_eq!(send_heartbeat(&cli, body, Some(ts), Some(&signature)).await.0, StatusCode::OK);

    let (status, headers, json) = parts(cli.get("/api/v1/admin/workers").send().await).await;
    assert_eq!((status, error_code(&headers, &json).as_str()), (StatusCode::UNAUTHORIZED, "unauthenticated"));
    let user = register_and_login(&cli, "ops@example.com").await;
    let (status, headers, json) =
        parts(cli.get("/api/v1/admin/workers").header(header::AUTHORIZATION, user.bearer()).send().await).await;
    assert_eq!((status, error_code(&headers, &json).as_str()), (StatusCode::FORBIDDEN, "insufficient_role"));

    world.set_role("ops@example.com", Role::Support);
    let (status, _, json) =
        parts(cli.get("/api/v1/admin/workers").header(header::AUTHORIZATION, user.bearer()).send().await).await;
    assert_eq!(status, StatusCode::OK, "{json}");
    assert_eq!(json["workers"][0]["id"], "agent-1");
    assert_eq!(json["workers"][0]["loadFactor"], 0.75);
    let (status, _, json) =
        parts(cli.get("/api/v1/admin/workers/agent-1").header(header::AUTHORIZATION, user.bearer()).send().await).await;
    assert_eq!(status, StatusCode::OK, "{json}");
    assert_eq!(json["history"].as_array().map(Vec::len), Some(1), "{json}");
    let (status, headers, json) =
        parts(cli.get("/api/v1/admin/workers/nope").header(header::AUTHORIZATION, user.bearer()).send().await).await;
    assert_eq!((status, error_code(&headers, &json).as_str()), (StatusCode::NOT_FOUND, "worker_not_found"));
    let cordon = cli
        .post("/api/v1/admin/workers/agent-1/cordon")
        .header(header::AUTHORIZATION, user.bearer())
        .body_json(&json!({"reason": "disk is failing on this host"}))
        .send()
        .await;
    let (status, headers, json) = parts(cordon).await;
    assert_eq!((status, error_code(&headers, &json).as_str()), (StatusCode::FORBIDDEN, "insufficient_role"));
}
