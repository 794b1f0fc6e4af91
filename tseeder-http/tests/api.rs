//! The HTTP layer over stub ports, without a socket or a database: error shapes, credentials,
//! CSRF, rate limits and headers. The end-to-end tests of the root crate cover the same API over
//! real storage.

use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use poem::http::{HeaderMap, Method, StatusCode, header};
use poem::test::{TestClient, TestForm, TestFormField};
use poem::{Endpoint, Response};
use serde_json::{Value, json};
use tseeder_core::Tseeder;
use tseeder_core::domain::{
    ApiKey, ApiKeyId, AuditEntry, Infohash, Job, JobEvent, JobId, Lease, NewJob, NewQueueMessage, NewUser, Page,
    PageRequest, Plan, PlanLimit, QueueMessage, QueueMessageId, Role, SecurityEvent, Session, SessionId, Usage, User,
    UserId,
};
use tseeder_core::error::{QueueError, RepoError};
use tseeder_core::ports::{
    AccountRepository, AuditFilter, AuditLog, AuditRecord, BlocklistEntry, BlocklistRepository, JobChange, JobFilter,
    JobQueue, JobRepository, PlanRepository, QueueStats, SystemClock,
};
use tseeder_core::services::{CoreConfig, Ports};
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

/// No jobs exist; listing fails with a backend error whose text must never reach a client.
#[derive(Debug)]
struct Jobs;

#[async_trait]
impl JobRepository for Jobs {
    async fn create_job(&self, _: &NewJob, _: &NewQueueMessage, _: &AuditEntry) -> Result<Job, RepoError> {
        Err(backend())
    }
    async fn get_job(&self, _: JobId) -> Result<Job, RepoError> {
        Err(RepoError::NotFound)
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
    async fn update_job(&self, _: JobId, _: &JobChange) -> Result<Job, RepoError> {
        Err(RepoError::NotFound)
    }
    async fn delete_job(&self, _: JobId, _: &AuditEntry) -> Result<(), RepoError> {
        Err(RepoError::NotFound)
    }
    async fn list_job_events(&self, _: JobId, _: u64, _: u64) -> Result<Vec<JobEvent>, RepoError> {
        Ok(Vec::new())
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

fn state(config: HttpConfig) -> AppState {
    let ports = Ports {
        accounts: Arc::new(Accounts::default()),
        plans: Arc::new(Plans),
        jobs: Arc::new(Jobs),
        queue: Arc::new(Queue),
        audit: Arc::new(Audit),
        blocklist: Arc::new(Blocklist),
        clock: Arc::new(SystemClock),
    };
    AppState { core: Tseeder::new(ports, CoreConfig::default()), config }
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
    token: String,
    csrf: String,
}

async fn register_and_login<E: Endpoint>(cli: &TestClient<E>, email: &str) -> LoggedIn {
    let creds = json!({"email": email, "password": "correct horse 1"});
    let (status, _, body) = parts(cli.post("/api/v1/auth/register").body_json(&creds).send().await).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    assert_eq!(body["user"]["email"], email);
    let (status, headers, body) = parts(cli.post("/api/v1/auth/login").body_json(&creds).send().await).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let cookie = headers[header::SET_COOKIE].to_str().expect("an ASCII cookie");
    let token = cookie.strip_prefix("session=").and_then(|c| c.split(';').next()).expect("the session cookie");
    let token = token.to_owned();
    let csrf = body["csrfToken"].as_str().expect("a CSRF token").to_owned();
    assert_eq!(headers["x-csrf-token"], csrf.as_str());
    assert_eq!(body["user"]["role"], "user");
    assert!(body["expiresAt"].is_string());
    LoggedIn { token, csrf }
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
