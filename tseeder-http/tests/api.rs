//! The HTTP layer over stub ports, without a socket or a database: error shapes, credentials,
//! CSRF, rate limits, headers, downloads, signed links, zip archives and live events. The
//! end-to-end tests of the root crate cover the same API over real storage.

use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use futures::StreamExt as _;
use poem::http::{HeaderMap, Method, StatusCode, header};
use poem::test::{TestClient, TestForm, TestFormField};
use poem::{Endpoint, Response};
use serde_json::{Value, json};
use tseeder_core::Tseeder;
use tseeder_core::domain::{
    AuditEntry, BillingEvent, BillingEventKind, FileId, Infohash, Job, JobEvent, JobEventKind, JobId, JobSource,
    JobStatus, MagnetLink, NewJob, NewQueueMessage, NewStoredFile, OrgId, Page, PageRequest, Plan, PlanLimit, RelPath,
    Role, Usage, UserId,
};
use tseeder_core::error::RepoError;
use tseeder_core::ports::{
    BillingError, BillingProvider, CheckoutRequest, Clock, EngineProgress, FileStore, JobChange, JobFilter,
    JobRepository, NewJobEvent, UsageOf, WebhookError,
};
use tseeder_core::services::CoreConfig;
use tseeder_core::services::agent_auth;
use tseeder_core::services::events::JobNotice;
use tseeder_core::testing::{InMemoryDb, InMemoryFileStore, InMemoryJobRepository, ManualClock};
use tseeder_http::{AppState, HttpConfig};

const LEAKED_SECRET: &str = "postgres://admin:hunter2@db.internal";

/// One free plan, the only one.
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

/// The jobs of the core's fakes, except that listing fails with a backend error whose text must
/// never reach a client. It stays here because the core's fakes never fail on purpose.
#[derive(Debug)]
struct ListingFails(InMemoryJobRepository);

#[async_trait]
impl JobRepository for ListingFails {
    async fn create_job(&self, job: &NewJob, message: &NewQueueMessage, audit: &AuditEntry) -> Result<Job, RepoError> {
        self.0.create_job(job, message, audit).await
    }
    async fn get_job(&self, id: JobId) -> Result<Job, RepoError> {
        self.0.get_job(id).await
    }
    async fn find_job_by_idempotency_key(&self, user: UserId, key: &str) -> Result<Option<Job>, RepoError> {
        self.0.find_job_by_idempotency_key(user, key).await
    }
    async fn find_live_job_by_infohash(
        &self,
        org: OrgId,
        user: UserId,
        infohash: Infohash,
    ) -> Result<Option<Job>, RepoError> {
        self.0.find_live_job_by_infohash(org, user, infohash).await
    }
    async fn list_live_jobs_by_infohash(&self, infohash: Infohash) -> Result<Vec<Job>, RepoError> {
        self.0.list_live_jobs_by_infohash(infohash).await
    }
    async fn list_jobs(&self, _: &JobFilter, _: PageRequest) -> Result<Page<Job>, RepoError> {
        Err(RepoError::Backend(LEAKED_SECRET.into()))
    }
    async fn update_job(&self, id: JobId, change: &JobChange) -> Result<Job, RepoError> {
        self.0.update_job(id, change).await
    }
    async fn delete_job(&self, id: JobId, audit: &AuditEntry) -> Result<(), RepoError> {
        self.0.delete_job(id, audit).await
    }
    async fn list_job_events(&self, id: JobId, after_seq: u64, limit: u64) -> Result<Vec<JobEvent>, RepoError> {
        self.0.list_job_events(id, after_seq, limit).await
    }
    async fn usage(&self, of: UsageOf) -> Result<Usage, RepoError> {
        self.0.usage(of).await
    }
}

/// The core's in-memory fakes behind one app, for tests that arrange data or move time.
struct World {
    core: Tseeder,
    db: InMemoryDb,
    clock: Arc<ManualClock>,
}

impl World {
    fn new() -> Self {
        Self::with_config(CoreConfig::default())
    }

    fn with_config(config: CoreConfig) -> Self {
        Self::with_payments(config, None)
    }

    /// [`World::with_config`], taking payments through `payments` (none: billing is off).
    fn with_payments(config: CoreConfig, payments: Option<Arc<dyn BillingProvider>>) -> Self {
        let db = InMemoryDb::with_plans([free_plan()]);
        let clock = Arc::new(ManualClock::new(Utc::now()));
        // Blobs come back in 3-byte chunks, so bodies really are streams of several chunks. The
        // store cannot presign, so the API signs its own links.
        let store = InMemoryFileStore::with_clock(Arc::clone(&clock) as Arc<dyn Clock>).with_chunk_size(3);
        // Every fake over `db`, except the jobs (whose listing fails) and the store above.
        let mut ports = db.ports(Arc::clone(&clock) as Arc<dyn Clock>);
        ports.jobs = Arc::new(ListingFails(db.jobs()));
        ports.store = Arc::new(store);
        if let Some(payments) = payments {
            ports.payments = payments;
        }
        let core = Tseeder::new(ports, config);
        Self { core, db, clock }
    }

    fn client(&self, config: HttpConfig) -> TestClient<impl Endpoint<Output = Response> + use<>> {
        TestClient::new(tseeder_http::app(AppState { core: self.core.clone(), config }))
    }

    fn store(&self) -> &dyn FileStore {
        &*self.core.ports.store
    }

    /// Gives the user with this email another role.
    async fn set_role(&self, email: &str, role: Role) {
        let accounts = &self.core.ports.accounts;
        let (user, _) = accounts.find_user_by_email(email).await.expect("a lookup").expect("a registered user");
        accounts.set_user_role(user.id, role).await.expect("the role is set");
    }

    /// A job of `owner` in `status`, with no history yet.
    fn add_job(&self, owner: UserId, name: &str, status: JobStatus) -> JobId {
        let magnet = MagnetLink::parse(&format!("magnet:?xt=urn:btih:{}", "ab".repeat(20))).expect("a magnet");
        let mut job = NewJob {
            id: JobId::new(),
            user_id: owner,
            org_id: OrgId(owner.0),
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
        self.db.insert_job(job);
        id
    }

    async fn set_status(&self, job: JobId, status: JobStatus) {
        let jobs = &self.core.ports.jobs;
        let current = jobs.get_job(job).await.expect("the job").status;
        jobs.update_job(job, &JobChange::unchecked(current, status, self.clock.now())).await.expect("a new status");
    }

    /// Appends an entry to a job's history; returns its number.
    async fn add_event(&self, job: JobId, kind: &str, payload: Value) -> u64 {
        let jobs = &self.core.ports.jobs;
        let status = jobs.get_job(job).await.expect("the job").status;
        let mut change = JobChange::unchecked(status, status, self.clock.now());
        let kind: JobEventKind = kind.parse().expect("a known kind");
        change.event = Some(NewJobEvent { kind, payload });
        jobs.update_job(job, &change).await.expect("the entry is appended");
        jobs.list_job_events(job, 0, u64::MAX).await.expect("the history").last().expect("an entry").seq
    }

    /// Stores a file of a job with these bytes.
    async fn add_file(&self, job: JobId, path: &str, bytes: &[u8], mime: Option<&str>) -> FileId {
        let id = FileId::new();
        let blob_key = format!("blobs/{}/{path}", "ab".repeat(20));
        self.store().put(&blob_key, Box::new(std::io::Cursor::new(bytes.to_vec()))).await.expect("the blob is stored");
        let file = NewStoredFile {
            id,
            job_id: job,
            path: RelPath::parse(path).expect("a safe path"),
            size: bytes.len() as u64,
            blob_key,
            mime_type: mime.map(str::to_owned),
            created_at: self.clock.now(),
        };
        self.core.ports.files.add_file(&file).await.expect("the file row is added");
        id
    }

    /// The job a submission's response describes, as stored.
    async fn submitted(&self, response: &Value) -> Job {
        let id: JobId = response["id"].as_str().and_then(|id| id.parse().ok()).expect("the job's id");
        self.core.ports.jobs.get_job(id).await.expect("the submitted job is stored")
    }

    /// The keys of every object in the store.
    async fn blob_keys(&self) -> Vec<String> {
        self.store().list().map(|o| o.expect("a listed object").key).collect().await
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
async fn plans_are_public_and_unlimited_is_absent() {
    let (status, _, body) = parts(client().get("/api/v1/plans").send().await).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        body["plans"][0],
        json!({
            "id": "free", "name": "free", "maxJobs": 2, "maxStorageBytes": 1u64 << 30,
            "retentionDays": 7, "priceCents": 0
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
    let file = world.add_file(job, "Holiday/Amélie.mkv", MOVIE, Some("video/x-matroska")).await;
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
    d.world.set_role("support@example.com", Role::Support).await;
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
    assert!(d.world.blob_keys().await.is_empty(), "the only reference took the blob");
    let again = cli.get(format!("{url}/download")).header(header::AUTHORIZATION, d.owner.bearer()).send().await;
    let (status, headers, body) = parts(again).await;
    assert_eq!((status, error_code(&headers, &body).as_str()), (StatusCode::NOT_FOUND, "file_not_found"));
}

#[tokio::test]
async fn job_files_come_as_a_list_and_a_tree() {
    let world = World::new();
    let cli = world.client(HttpConfig::default());
    let d = downloads(world, &cli).await;
    let cover = d.world.add_file(d.job, "Holiday/art/cover.jpg", b"jpeg", Some("image/jpeg")).await;
    let readme = d.world.add_file(d.job, "README", b"hi", None).await;

    let req = cli.get(format!("/api/v1/jobs/{}/files", d.job)).header(header::AUTHORIZATION, d.owner.bearer());
    let (status, _, body) = parts(req.send().await).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["jobId"], d.job.to_string());
    assert_eq!(
        body["files"],
        json!([
            {"id": d.file.to_string(), "path": "Holiday/Amélie.mkv", "sizeBytes": 20, "mimeType": "video/x-matroska"},
            {"id": cover.to_string(), "path": "Holiday/art/cover.jpg", "sizeBytes": 4, "mimeType": "image/jpeg"},
            {"id": readme.to_string(), "path": "README", "sizeBytes": 2},
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
    d.world.add_file(d.job, "Holiday/big.bin", &big, None).await;

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
    for key in d.world.blob_keys().await {
        d.world.store().delete(&key).await.expect("the blob is deleted");
    }
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
    let submitted = world.submitted(&body).await.region_hint;
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
    assert_eq!(world.submitted(&body).await.selected_files, Some(vec![0, 2]));

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
    world.add_event(job, "job_created", json!({})).await;
    world.add_event(job, "status_changed", json!({"from": "queued", "to": "downloading"})).await;
    world.add_event(job, "status_changed", json!({"from": "uploading", "to": "completed"})).await;
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
    world.add_event(job, "job_created", json!({})).await;

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
    world.add_event(job, "status_changed", json!({"from": "downloading", "to": "completed"})).await;
    world.set_status(job, JobStatus::Completed).await;
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
    world.add_event(job, "job_created", json!({})).await;

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
        world.add_event(job, "attempt_failed", json!({})).await;
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
    world.set_role("staff@example.com", Role::Support).await;
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
        world.add_event(job, "job_renamed", json!({})).await;
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
    d.world.add_event(d.job, "job_created", json!({})).await;
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

    world.set_role("ops@example.com", Role::Support).await;
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

/// A payment provider that believes a delivery signed exactly `good`, and keeps every payload and
/// signature it was given.
#[derive(Debug, Default)]
struct RecordingProvider {
    seen: std::sync::Mutex<Vec<(Vec<u8>, String)>>,
}

impl RecordingProvider {
    fn seen(&self) -> Vec<(Vec<u8>, String)> {
        self.seen.lock().expect("not poisoned").clone()
    }
}

#[async_trait]
impl BillingProvider for RecordingProvider {
    fn enabled(&self) -> bool {
        true
    }

    fn priced_plans(&self) -> Vec<String> {
        vec!["free".into()]
    }

    async fn checkout(&self, _request: &CheckoutRequest) -> Result<String, BillingError> {
        Ok("https://pay.example/c/1".into())
    }

    async fn portal(&self, _customer_id: &str, _return_url: &str) -> Result<String, BillingError> {
        Ok("https://pay.example/p/1".into())
    }

    fn verify_webhook(
        &self,
        payload: &[u8],
        signature: &str,
        now: DateTime<Utc>,
    ) -> Result<BillingEvent, WebhookError> {
        self.seen.lock().expect("not poisoned").push((payload.to_vec(), signature.to_owned()));
        if signature != "good" {
            return Err(if signature.is_empty() { WebhookError::Malformed } else { WebhookError::BadSignature });
        }
        Ok(BillingEvent {
            id: format!("evt_{}", payload.len()),
            kind_name: "ping".into(),
            created: now,
            kind: BillingEventKind::Other,
        })
    }
}

#[tokio::test]
async fn the_webhook_hands_the_exact_body_and_signature_to_the_provider_without_credentials() {
    let provider = Arc::new(RecordingProvider::default());
    let world = World::with_payments(CoreConfig::default(), Some(Arc::clone(&provider) as Arc<dyn BillingProvider>));
    let cli = world.client(HttpConfig::default());
    // Odd whitespace, a CRLF and bytes that are not UTF-8: the signature is over these bytes, so
    // they must arrive untouched.
    let payload: Vec<u8> = b"{ \"id\": \"evt_1\",\r\n  \"type\":\"ping\" }\n\xff\xfe".to_vec();
    let deliver = |signature: Option<&str>, body: Vec<u8>| {
        let req = cli.post("/api/v1/billing/webhook").content_type("application/json; charset=utf-8").body(body);
        match signature {
            Some(signature) => req.header("Stripe-Signature", signature),
            None => req,
        }
    };

    let (status, _, body) = parts(deliver(Some("good"), payload.clone()).send().await).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body, json!({"received": true, "duplicate": false}));
    assert_eq!(provider.seen(), [(payload.clone(), "good".to_owned())]);
    // The same event again is acknowledged and not processed twice.
    let (status, _, body) = parts(deliver(Some("good"), payload.clone()).send().await).await;
    assert_eq!((status, &body), (StatusCode::OK, &json!({"received": true, "duplicate": true})));

    // No header: the provider is asked with an empty signature and refuses; so for a bad one.
    let (status, headers, body) = parts(deliver(None, payload.clone()).send().await).await;
    assert_eq!((status, error_code(&headers, &body).as_str()), (StatusCode::BAD_REQUEST, "invalid_webhook"));
    let (status, headers, body) = parts(deliver(Some("t=1,v1=00"), payload.clone()).send().await).await;
    assert_eq!((status, error_code(&headers, &body).as_str()), (StatusCode::BAD_REQUEST, "invalid_webhook"));
    let seen = provider.seen();
    assert_eq!(seen.len(), 4, "every delivery reaches the provider");
    assert_eq!((seen[2].1.as_str(), seen[3].1.as_str()), ("", "t=1,v1=00"));

    // Over 1 MiB is refused before the provider sees anything.
    let (status, headers, body) = parts(deliver(Some("good"), vec![b' '; 1024 * 1024 + 1]).send().await).await;
    assert_eq!((status, error_code(&headers, &body).as_str()), (StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large"));
    // Exactly 1 MiB is read.
    let (status, _, body) = parts(deliver(Some("good"), vec![b' '; 1024 * 1024]).send().await).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(provider.seen().len(), 5);
}

#[tokio::test]
async fn billing_answers_billing_disabled_without_a_provider() {
    let cli = client();
    let user = register_and_login(&cli, "nobill@example.com").await;
    let (status, headers, body) =
        parts(cli.get("/api/v1/billing").header(header::AUTHORIZATION, user.bearer()).send().await).await;
    assert_eq!((status, error_code(&headers, &body).as_str()), (StatusCode::NOT_FOUND, "billing_disabled"));
    let checkout = cli
        .post("/api/v1/billing/checkout")
        .header(header::AUTHORIZATION, user.bearer())
        .body_json(&json!({"plan": "free"}))
        .send()
        .await;
    let (status, headers, body) = parts(checkout).await;
    assert_eq!((status, error_code(&headers, &body).as_str()), (StatusCode::NOT_FOUND, "billing_disabled"));
    let webhook = cli.post("/api/v1/billing/webhook").header("Stripe-Signature", "t=1,v1=00").body("{}").send().await;
    let (status, headers, body) = parts(webhook).await;
    assert_eq!((status, error_code(&headers, &body).as_str()), (StatusCode::NOT_FOUND, "billing_disabled"));
    // The others need credentials first.
    let (status, headers, body) = parts(cli.get("/api/v1/billing").send().await).await;
    assert_eq!((status, error_code(&headers, &body).as_str()), (StatusCode::UNAUTHORIZED, "unauthenticated"));
}

#[tokio::test]
async fn owners_get_the_providers_pages_and_see_their_billing() {
    let provider = Arc::new(RecordingProvider::default());
    let world = World::with_payments(CoreConfig::default(), Some(Arc::clone(&provider) as Arc<dyn BillingProvider>));
    let cli = world.client(HttpConfig::default());
    let user = register_and_login(&cli, "payer@example.com").await;
    let (status, _, body) =
        parts(cli.get("/api/v1/billing").header(header::AUTHORIZATION, user.bearer()).send().await).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!((&body["enabled"], &body["canManage"]), (&json!(true), &json!(true)), "{body}");
    assert_eq!(body["plansForSale"], json!(["free"]));
    assert_eq!(body["org"]["id"], user.id.to_string(), "the personal organization: {body}");
    assert!(body.get("subscription").is_none(), "absent, never null: {body}");
    // A cookie session buys the plan; the CSRF rule applies as everywhere.
    let cookie = format!("session={}", user.token);
    let without_csrf = cli
        .post("/api/v1/billing/checkout")
        .header(header::COOKIE, &cookie)
        .body_json(&json!({"plan": "free"}))
        .send()
        .await;
    let (status, headers, body) = parts(without_csrf).await;
    assert_eq!((status, error_code(&headers, &body).as_str()), (StatusCode::FORBIDDEN, "csrf_failed"));
    let checkout = cli
        .post("/api/v1/billing/checkout")
        .header(header::COOKIE, &cookie)
        .header("X-CSRF-Token", &user.csrf)
        .body_json(&json!({"plan": "free"}))
        .send()
        .await;
    let (status, _, body) = parts(checkout).await;
    assert_eq!((status, &body), (StatusCode::OK, &json!({"url": "https://pay.example/c/1"})));
    let other = cli
        .post("/api/v1/billing/checkout")
        .header(header::COOKIE, &cookie)
        .header("X-CSRF-Token", &user.csrf)
        .body_json(&json!({"plan": "gold"}))
        .send()
        .await;
    let (status, headers, body) = parts(other).await;
    assert_eq!((status, error_code(&headers, &body).as_str()), (StatusCode::BAD_REQUEST, "plan_not_for_sale"));
    // No customer yet: no portal.
    let portal = cli
        .post("/api/v1/billing/portal")
        .header(header::COOKIE, &cookie)
        .header("X-CSRF-Token", &user.csrf)
        .send()
        .await;
    let (status, headers, body) = parts(portal).await;
    assert_eq!((status, error_code(&headers, &body).as_str()), (StatusCode::CONFLICT, "no_billing_customer"));
}
