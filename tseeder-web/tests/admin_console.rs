//! The admin console in a real browser: headless Chromium driven over WebDriver
//! (`/usr/bin/chromedriver`) against a real server on 127.0.0.1 with a fresh SQLite database.
//! Role changes and dead-letter replays go through the confirmation dialog and reach the
//! services and the audit log; support reads every section but gets no action and is refused
//! when it posts anyway; a user gets the 403 page on every admin address. Organizations too:
//! created, joined by an emailed invite (read from a loopback SMTP server), managed, switched to
//! from the header to work in (downloads added through the add page belong to the organization;
//! owners see everyone's, members their own). The dashboard shows each download's categories
//! and tags and filters by them. The settings tell a download manager (Sonarr, Radarr) what to
//! enter in its qBittorrent form and where finished downloads appear. Screenshots of every admin
//! page, at desktop and phone widths, go to the folder the screenshot test prints.

#![allow(clippy::unwrap_used, reason = "test scenarios: a panic is a test failure")]

use std::path::PathBuf;
use std::process::Stdio;
use std::sync::Arc;
use std::time::{Duration, Instant};

use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::{Value, json};
use tokio::process::{Child, Command};
use tokio::sync::oneshot;
use tseeder_core::Tseeder;
use tseeder_core::domain::{JobId, JobStatus, LabelKind, OrgRole, PageRequest, Role};
use tseeder_core::ports::{AuditFilter, JobChange, SystemClock};
use tseeder_core::services::CoreConfig;
use tseeder_core::services::job::{SubmitJob, SubmitSource};
use tseeder_core::services::retry::{FailOutcome, fail_delivery};
use tseeder_core::services::{RequestMeta, SettingUpdate};
use tseeder_mail::testing::SmtpSink;
use tseeder_storage::testing::TestDb;

const CHROMEDRIVER: &str = "/usr/bin/chromedriver";
const PASSWORD: &str = "correct horse 9";

/// Every admin page's address, for the refusal walk and the screenshots.
const PAGES: [&str; 13] = [
    "/admin/search",
    "/admin/users",
    "/admin/orgs",
    "/admin/jobs",
    "/admin/workers",
    "/admin/observability",
    "/admin/storage",
    "/admin/plugins",
    "/admin/dlq",
    "/admin/incidents",
    "/admin/config",
    "/admin/audit",
    "/admin/security",
];

/// A running server over a fresh database.
struct Site {
    base: String,
    core: Tseeder,
    stop: Option<oneshot::Sender<()>>,
    _db: TestDb,
}

impl Site {
    async fn start() -> Self {
        Self::start_with_mailer(None).await
    }

    /// A site whose emails go to the SMTP server at `smtp_url` (a test's loopback sink).
    async fn start_mailing(smtp_url: &str) -> Self {
        let config = tseeder_mail::MailConfig { smtp_url: smtp_url.to_owned(), ..tseeder_mail::MailConfig::default() };
        Self::start_with_mailer(Some(tseeder_mail::mailer(&config).expect("an SMTP mailer"))).await
    }

    /// A site over a fresh database; emails go to `mailer`, or to the log.
    async fn start_with_mailer(mailer: Option<Arc<dyn tseeder_core::ports::Mailer>>) -> Self {
        Self::start_with(mailer, CoreConfig::default(), tseeder_http::HttpConfig::default()).await
    }

    /// A site over a fresh database with these settings (request metrics flushed every second);
    /// emails go to `mailer`, or to the log.
    async fn start_with(
        mailer: Option<Arc<dyn tseeder_core::ports::Mailer>>,
        mut config: CoreConfig,
        http: tseeder_http::HttpConfig,
    ) -> Self {
        let db = TestDb::sqlite().await;
        let store = tseeder_storage::file_store(&tseeder_storage::FileStoreConfig {
            url: "memory://".into(),
            ..Default::default()
        })
        .await
        .expect("memory store");
        let mut ports = tseeder_storage::ports(db.db.clone(), store, Arc::new(SystemClock));
        if let Some(mailer) = mailer {
            ports.mailer = mailer;
        }
        // Request metrics reach the dashboard a second after the requests, not a minute.
        config.observability.flush_secs = 1;
        let core = Tseeder::new(ports, config);
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let base = format!("http://{}", listener.local_addr().expect("addr"));
        let state = tseeder_http::AppState::new(core.clone(), http);
        let (stop, stopped) = oneshot::channel::<()>();
        tokio::spawn(async move {
            tseeder_web::serve(listener, state, async {
                let _ = stopped.await;
            })
            .await
            .expect("server runs");
        });
        Self { base, core, stop: Some(stop), _db: db }
    }

    async fn user(&self, email: &str, role: Role) {
        self.core.accounts.create_user(email, PASSWORD, role).await.expect("create user");
    }

    /// A job of `email`'s whose every delivery failed: failed, its message dead-lettered.
    async fn dead_letter(&self, email: &str, name: &str) -> JobId {
        let login = self.core.accounts.login(email, PASSWORD, &RequestMeta::default()).await.expect("login");
        let principal = self.core.accounts.authenticate_session(&login.session_token).await.expect("session");
        let hash = format!("{}{}", uuid_hex(), &uuid_hex()[..8]);
        let submit = SubmitJob {
            source: SubmitSource::Magnet(format!("magnet:?xt=urn:btih:{hash}&dn={name}")),
            name: Some(name.into()),
            idempotency_key: None,
            files: None,
            region_hint: None,
        };
        let job = self.core.jobs.submit(&principal, submit, &RequestMeta::default()).await.expect("submit").job;
        let ports = &self.core.ports;
        let retry = self.core.config.jobs.retry.clone();
        let mut now = ports.clock.now();
        loop {
            let lease =
                ports.queue.lease("jobs", "test-engine", Duration::from_secs(60), now).await.unwrap().expect("message");
            let error = format!("tracker unreachable (attempt {})", lease.message.attempts);
            match fail_delivery(&*ports.queue, &retry, &lease, &error, now).await.unwrap() {
                FailOutcome::Retry(at) => now = at,
                FailOutcome::DeadLettered => break,
            }
        }
        ports.jobs.update_job(job.id, &JobChange::unchecked(JobStatus::Queued, JobStatus::Failed, now)).await.unwrap();
        job.id
    }
}

impl Drop for Site {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }
}

fn uuid_hex() -> String {
    let bytes: [u8; 16] = std::array::from_fn(|_| rand_byte());
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn rand_byte() -> u8 {
    use std::hash::{BuildHasher, Hasher};
    let mut h = std::collections::hash_map::RandomState::new().build_hasher();
    h.write_u128(Instant::now().elapsed().as_nanos());
    (h.finish() & 0xff) as u8
}

/// chromedriver on a free loopback port, and one headless Chromium session with a fresh
/// profile.
struct Browser {
    client: Client,
    driver: Child,
    _profile: tempfile::TempDir,
}

impl Browser {
    /// `None` (reported) when chromedriver is not installed.
    async fn start(width: u32, height: u32) -> Option<Self> {
        if !std::path::Path::new(CHROMEDRIVER).exists() {
            eprintln!("{CHROMEDRIVER} is missing: browser test not run (apt-get install chromium-driver)");
            return None;
        }
        let port = {
            let probe = std::net::TcpListener::bind("127.0.0.1:0").expect("free port");
            probe.local_addr().expect("addr").port()
        };
        let driver = Command::new(CHROMEDRIVER)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .kill_on_drop(true)
            .spawn()
            .expect("start chromedriver");
        let deadline = Instant::now() + Duration::from_secs(20);
        while tokio::net::TcpStream::connect(("127.0.0.1", port)).await.is_err() {
            assert!(Instant::now() < deadline, "chromedriver did not start");
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        let profile = tempfile::tempdir().expect("profile dir");
        let args = [
            "--headless".to_owned(),
            "--no-sandbox".into(),
            "--disable-gpu".into(),
            "--disable-quic".into(),
            "--no-first-run".into(),
            "--disable-background-networking".into(),
            "--disable-component-update".into(),
            "--disable-sync".into(),
            "--disable-dev-shm-usage".into(),
            format!("--window-size={width},{height}"),
            format!("--user-data-dir={}", profile.path().display()),
        ];
        let mut caps = serde_json::Map::new();
        caps.insert("browserName".into(), json!("chrome"));
        caps.insert("goog:chromeOptions".into(), json!({ "args": args }));
        let connector = hyper_util::client::legacy::connect::HttpConnector::new();
        let client = ClientBuilder::new(connector)
            .capabilities(caps)
            .connect(&format!("http://127.0.0.1:{port}"))
            .await
            .expect("a Chromium session");
        client.set_window_size(width, height).await.expect("window size");
        Some(Self { client, driver, _profile: profile })
    }

    async fn stop(mut self) {
        let _ = self.client.close().await;
        let _ = self.driver.kill().await;
    }

    async fn login(&self, site: &Site, email: &str) {
        let c = &self.client;
        c.goto(&format!("{}/login", site.base)).await.unwrap();
        c.find(Locator::Css("input[name=email]")).await.unwrap().send_keys(email).await.unwrap();
        c.find(Locator::Css("input[name=password]")).await.unwrap().send_keys(PASSWORD).await.unwrap();
        c.find(Locator::Css("form button[type=submit]")).await.unwrap().click().await.unwrap();
        self.wait_for(|url| !url.contains("/login")).await;
    }

    /// Waits until the current URL satisfies `ok`.
    async fn wait_for(&self, ok: impl Fn(&str) -> bool) {
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            let url = self.client.current_url().await.unwrap().to_string();
            if ok(&url) {
                return;
            }
            assert!(Instant::now() < deadline, "still at {url}");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    async fn text(&self, css: &str) -> String {
        self.client.find(Locator::Css(css)).await.unwrap().text().await.unwrap()
    }

    async fn count(&self, css: &str) -> usize {
        self.client.find_all(Locator::Css(css)).await.unwrap().len()
    }

    /// The status of a request made by the page (with its cookies): `GET` when `form` is
    /// `None`, else a form post of `form` plus the page's CSRF token.
    async fn fetch_status(&self, url: &str, form: Option<Value>) -> u64 {
        let script = r#"
            const [url, form, done] = arguments;
            const init = { credentials: "same-origin", redirect: "manual" };
            if (form) {
                const body = new URLSearchParams(form);
                body.set("csrf", document.body.getAttribute("data-csrf"));
                init.method = "POST";
                init.body = body;
            }
            fetch(url, init).then(r => done(r.status), () => done(0));
        "#;
        let form = form.unwrap_or(Value::Null);
        let status = self.client.execute_async(script, vec![json!(url), form]).await.unwrap();
        status.as_u64().expect("a status")
    }
}

/// Opens the dialog with `trigger`, fills it and confirms.
async fn confirm_in_dialog(b: &Browser, trigger: &str, reason: &str, ticket: &str, word: Option<&str>) {
    let c = &b.client;
    c.find(Locator::Css(trigger)).await.unwrap().click().await.unwrap();
    let dialog = c.find(Locator::Css("#act-dialog[open]")).await.expect("the dialog opens");
    dialog.find(Locator::Css("input[name=reason]")).await.unwrap().send_keys(reason).await.unwrap();
    dialog.find(Locator::Css("input[name=ticket]")).await.unwrap().send_keys(ticket).await.unwrap();
    if let Some(word) = word {
        let typed = dialog.find(Locator::Css("input[name=confirm]")).await.unwrap();
        assert!(typed.is_displayed().await.unwrap(), "the typed confirmation is asked for");
        typed.send_keys(word).await.unwrap();
    }
    dialog.find(Locator::Css("#act-confirm")).await.unwrap().click().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_admin_changes_a_role_through_the_dialog_and_the_audit_log_keeps_the_reason() {
    let site = Site::start().await;
    site.user("root@example.com", Role::Admin).await;
    site.user("nina@example.com", Role::User).await;
    let Some(b) = Browser::start(1280, 800).await else { return };
    b.login(&site, "root@example.com").await;
    b.client.goto(&format!("{}/admin/users?q=nina", site.base)).await.unwrap();
    let row = "tr[data-user='nina@example.com']";
    let select = b.client.find(Locator::Css(&format!("{row} select[name=role]"))).await.unwrap();
    // An admin may not grant superadmin: it is not offered.
    let offered: Vec<String> = {
        let mut v = Vec::new();
        for o in select.find_all(Locator::Css("option")).await.unwrap() {
            v.push(o.attr("value").await.unwrap().unwrap_or_default());
        }
        v
    };
    assert_eq!(offered, ["support", "admin"]);
    select.select_by_value("support").await.unwrap();

    // A reason that is too short is refused by the page and nothing changes.
    confirm_in_dialog(&b, &format!("{row} button[type=submit]"), "short", "", None).await;
    assert!(b.client.find(Locator::Css("#act-dialog[open]")).await.is_ok(), "the dialog stays open");
    b.client.find(Locator::Css("#act-cancel")).await.unwrap().click().await.unwrap();

    confirm_in_dialog(&b, &format!("{row} button[type=submit]"), "covers the night support shift", "OPS-42", None)
        .await;
    b.wait_for(|url| url.contains("notice=")).await;
    assert!(b.text(".notice").await.contains("nina@example.com is now support"));
    assert!(b.text(&format!("{row} .badge")).await.contains("support"));

    let nina = site.core.ports.accounts.find_user_by_email("nina@example.com").await.unwrap().expect("nina").0;
    assert_eq!(nina.role, Role::Support);

    b.client.goto(&format!("{}/admin/audit?action=user.role_changed", site.base)).await.unwrap();
    let table = b.text("table.audit").await;
    assert!(table.contains("covers the night support shift"), "{table}");
    let filter = AuditFilter { action: Some("user.role_changed".into()), ..AuditFilter::default() };
    let login = site.core.accounts.login("root@example.com", PASSWORD, &RequestMeta::default()).await.unwrap();
    let admin = site.core.accounts.authenticate_session(&login.session_token).await.unwrap();
    let entries = site.core.admin.audit_log(&admin, &filter, PageRequest::new(1, 10)).await.unwrap();
    let meta = &entries.items[0].entry.metadata;
    assert_eq!(
        (meta["reason"].as_str(), meta["ticketId"].as_str()),
        (Some("covers the night support shift"), Some("OPS-42"))
    );
    assert_eq!(entries.items[0].entry.actor_id, Some(admin.user_id));
    b.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_admin_replays_a_dead_letter_through_the_dialog_and_the_job_is_queued_again() {
    let site = Site::start().await;
    site.user("root@example.com", Role::Admin).await;
    site.user("owner@example.com", Role::User).await;
    let job = site.dead_letter("owner@example.com", "ubuntu-24.04.iso").await;
    let Some(b) = Browser::start(1280, 800).await else { return };
    b.login(&site, "root@example.com").await;
    b.client.goto(&format!("{}/admin/dlq", site.base)).await.unwrap();
    let card = b.text("li.dead").await;
    assert!(card.contains("ubuntu-24.04.iso") && card.contains("owner@example.com"), "{card}");
    assert!(card.contains("5 of 5 attempts"), "{card}");

    // The full error history unfolds.
    b.client.find(Locator::Css("li.dead details summary")).await.unwrap().click().await.unwrap();
    assert_eq!(b.count("li.dead details[open] ul.attempts li").await, 5);
    assert!(b.text("li.dead ul.attempts").await.contains("tracker unreachable (attempt 1)"));

    confirm_in_dialog(&b, "li.dead a[data-act]", "tracker is back online", "INC-7", Some("replay")).await;
    b.wait_for(|url| url.contains("notice=")).await;
    assert!(b.text(".notice").await.contains("queued again"));
    assert_eq!(b.count("li.dead").await, 0, "the dead letter is gone");

    let stored = site.core.ports.jobs.get_job(job).await.unwrap();
    assert_eq!(stored.status, JobStatus::Queued);
    let filter = AuditFilter { action: Some("dlq.replayed".into()), ..AuditFilter::default() };
    let records = site.core.ports.audit.list_audit(&filter, PageRequest::new(1, 10)).await.unwrap();
    assert_eq!(records.items[0].entry.metadata["ticketId"], "INC-7");
    // The queue shows it ready again.
    b.client.goto(&format!("{}/admin/jobs", site.base)).await.unwrap();
    assert_eq!(b.text("#queue-ready").await, "1");
    assert_eq!(b.text("#queue-dead").await, "0");
    b.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn support_reads_every_section_without_actions_and_a_forced_post_is_refused() {
    let site = Site::start().await;
    site.user("help@example.com", Role::Support).await;
    site.user("nina@example.com", Role::User).await;
    site.dead_letter("nina@example.com", "debian.iso").await;
    let Some(b) = Browser::start(1280, 800).await else { return };
    b.login(&site, "help@example.com").await;
    let nav: Vec<String> = {
        let mut v = Vec::new();
        for a in b.client.find_all(Locator::Css(".admin-nav a")).await.unwrap() {
            v.push(a.text().await.unwrap());
        }
        v
    };
    assert!(!nav.iter().any(|l| l == "Security events"), "{nav:?}");
    for path in PAGES.iter().filter(|p| **p != "/admin/security") {
        b.client.goto(&format!("{}{path}", site.base)).await.unwrap();
        assert_eq!(b.fetch_status(&format!("{}{path}", site.base), None).await, 200, "{path}");
        assert!(!b.text("h1").await.contains("Not allowed"), "{path}");
        assert_eq!(b.count("[data-act], [data-dialog], #act-dialog").await, 0, "no actions on {path}");
    }
    b.client.goto(&format!("{}/admin/dlq", site.base)).await.unwrap();
    assert_eq!(b.count("li.dead").await, 1, "support sees the dead letter");
    let message = site.core.ports.queue.list_dead("jobs", PageRequest::new(1, 10)).await.unwrap().items[0].id;
    let nina = site.core.ports.accounts.find_user_by_email("nina@example.com").await.unwrap().unwrap().0;

    let why = "I would like to do this anyway";
    let forced = [
        (format!("/admin/users/{}/role", nina.id), json!({ "role": "admin", "reason": why })),
        (format!("/admin/dlq/{message}/replay"), json!({ "reason": why, "confirm": "replay" })),
        ("/admin/storage/sweep".to_owned(), json!({ "reason": why })),
        ("/admin/plugins/router/swap".to_owned(), json!({ "reason": why, "sha256": "a".repeat(64) })),
        ("/admin/workers/w1/cordon".to_owned(), json!({ "reason": why })),
        (format!("/admin/users/{}/suspend", nina.id), json!({ "reason": why })),
        (format!("/admin/users/{}/plan", nina.id), json!({ "reason": why, "plan": "pro" })),
        ("/admin/dlq/bulk".to_owned(), json!({ "reason": why, "confirm": "replay" })),
        ("/admin/config/maintenance_mode".to_owned(), json!({ "reason": why, "value": "true" })),
    ];
    for (path, form) in forced {
        let status = b.fetch_status(&format!("{}{path}", site.base), Some(form)).await;
        assert!(status == 403 || (path.contains("workers") && status == 404), "{path}: {status}");
    }
    let nina = site.core.ports.accounts.find_user_by_email("nina@example.com").await.unwrap().unwrap().0;
    assert_eq!(nina.role, Role::User);
    assert!(!nina.suspended);
    assert_eq!(site.core.ports.queue.get(message).await.unwrap().state, tseeder_core::domain::QueueState::Dead);
    b.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_user_gets_the_403_page_on_every_admin_address() {
    let site = Site::start().await;
    site.user("nina@example.com", Role::User).await;
    let Some(b) = Browser::start(1280, 800).await else { return };
    b.login(&site, "nina@example.com").await;
    assert_eq!(b.count("#nav-admin").await, 0, "no admin link");
    let id = uuid_hex();
    let id = format!("{}-{}-{}-{}-{}", &id[..8], &id[8..12], &id[12..16], &id[16..20], &id[20..]);
    let mut addresses: Vec<String> = PAGES.iter().map(|p| (*p).to_owned()).collect();
    addresses.extend([
        "/admin".to_owned(),
        format!("/admin/users/{id}/confirm?role=admin"),
        "/admin/storage/dry-run".into(),
        "/admin/storage/confirm".into(),
        "/admin/plugins/router/confirm".into(),
        format!("/admin/dlq/{id}/confirm"),
        format!("/admin/users/{id}"),
        format!("/admin/users/{id}/suspend"),
        "/admin/dlq/bulk".into(),
        "/admin/config/maintenance_mode?value=true".into(),
        "/admin/search?q=nina".into(),
    ]);
    for path in &addresses {
        let url = format!("{}{path}", site.base);
        assert_eq!(b.fetch_status(&url, None).await, 403, "{path}");
        b.client.goto(&url).await.unwrap();
        let page = b.client.source().await.unwrap();
        assert!(page.contains("<h1>Not allowed</h1>"), "{path}: {page}");
        assert_eq!(b.text(".status-code").await, "403", "{path}");
    }
    let posts = [
        format!("/admin/users/{id}/role"),
        format!("/admin/dlq/{id}/replay"),
        "/admin/storage/sweep".into(),
        format!("/admin/users/{id}/suspend"),
        "/admin/config/maintenance_mode".into(),
        "/admin/dlq/bulk".into(),
    ];
    for path in posts {
        let status = b.fetch_status(&format!("{}{path}", site.base), Some(json!({ "reason": "0123456789ab" }))).await;
        assert_eq!(status, 403, "{path}");
    }
    b.stop().await;
}

/// Where screenshots go: `TSEEDER_SCREENSHOTS`, else a folder under the system's temp dir.
fn screenshot_dir() -> PathBuf {
    let dir = std::env::var_os("TSEEDER_SCREENSHOTS")
        .map_or_else(|| std::env::temp_dir().join("tseeder-admin-screenshots"), PathBuf::from);
    std::fs::create_dir_all(&dir).expect("screenshot dir");
    dir
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn screenshots_of_every_admin_page_at_desktop_and_phone_width() {
    let site = Site::start().await;
    site.user("root@example.com", Role::Superadmin).await;
    for (email, role) in [("ops@example.com", Role::Admin), ("help@example.com", Role::Support)] {
        site.user(email, role).await;
    }
    for n in 0..6 {
        site.user(&format!("customer{n}@example.com"), Role::User).await;
    }
    site.dead_letter("customer1@example.com", "Big Buck Bunny 1080p").await;
    site.dead_letter("customer2@example.com", "archlinux-2026.12.01-x86_64.iso").await;
    // A failed login, for the security events.
    let _ = site.core.accounts.login("root@example.com", "wrong password 1", &RequestMeta::default()).await;
    // A settings change, for the history.
    let login = site.core.accounts.login("root@example.com", PASSWORD, &RequestMeta::default()).await.unwrap();
    let root = site.core.accounts.authenticate_session(&login.session_token).await.unwrap();
    let update = SettingUpdate { value: &json!(3), reason: "more room for free accounts", ticket: Some("OPS-9") };
    site.core.settings.set(&root, "plans.free.max_jobs", update, &RequestMeta::default()).await.unwrap();
    // Organizations, for their list.
    for (email, name) in [("customer1@example.com", "Big Buck Studio"), ("customer2@example.com", "Arch Mirror Team")] {
        let owner = principal(&site, email).await;
        site.core.orgs.create(&owner, name, None, &RequestMeta::default()).await.unwrap();
    }
    {
        // The severity filter reaches the service: the failed login is `info`, not `critical`.
        let Some(b) = Browser::start(1280, 800).await else { return };
        b.login(&site, "root@example.com").await;
        b.client.goto(&format!("{}/admin/security?severity=info", site.base)).await.unwrap();
        assert!(b.text("table.security").await.contains("auth.login_failed"));
        b.client.goto(&format!("{}/admin/security?severity=critical", site.base)).await.unwrap();
        assert_eq!(b.text(".empty h2").await, "No event matches");
        b.stop().await;
    }
    let dir = screenshot_dir();
    println!("screenshots: {}", dir.display());
    for (label, width, height) in [("desktop", 1280, 800), ("phone", 390, 844)] {
        let Some(b) = Browser::start(width, height).await else { return };
        b.login(&site, "root@example.com").await;
        for path in PAGES {
            b.client.goto(&format!("{}{path}", site.base)).await.unwrap();
            let name = path.trim_start_matches("/admin/");
            let png = b.client.screenshot().await.unwrap();
            std::fs::write(dir.join(format!("{name}-{label}.png")), png).unwrap();
        }
        b.client.goto(&format!("{}/admin/storage/dry-run", site.base)).await.unwrap();
        std::fs::write(dir.join(format!("storage-dry-run-{label}.png")), b.client.screenshot().await.unwrap()).unwrap();
        b.client.goto(&format!("{}/admin/search?q=customer", site.base)).await.unwrap();
        std::fs::write(dir.join(format!("search-results-{label}.png")), b.client.screenshot().await.unwrap()).unwrap();
        let customer = site.core.ports.accounts.find_user_by_email("customer1@example.com").await.unwrap().unwrap().0;
        b.client.goto(&format!("{}/admin/users/{}", site.base, customer.id)).await.unwrap();
        std::fs::write(dir.join(format!("user-detail-{label}.png")), b.client.screenshot().await.unwrap()).unwrap();
        b.client.goto(&format!("{}/admin/config#history", site.base)).await.unwrap();
        std::fs::write(dir.join(format!("config-history-{label}.png")), b.client.screenshot().await.unwrap()).unwrap();
        b.client.goto(&format!("{}/admin/users", site.base)).await.unwrap();
        b.client
            .find(Locator::Css("tr[data-user='customer3@example.com'] button"))
            .await
            .unwrap()
            .click()
            .await
            .unwrap();
        std::fs::write(dir.join(format!("users-dialog-{label}.png")), b.client.screenshot().await.unwrap()).unwrap();
        b.client.goto(&format!("{}/admin/dlq", site.base)).await.unwrap();
        b.client.find(Locator::Css("li.dead details summary")).await.unwrap().click().await.unwrap();
        std::fs::write(dir.join(format!("dlq-open-{label}.png")), b.client.screenshot().await.unwrap()).unwrap();
        b.client.find(Locator::Css("#alerts summary")).await.unwrap().click().await.unwrap();
        std::fs::write(dir.join(format!("alerts-{label}.png")), b.client.screenshot().await.unwrap()).unwrap();
        b.stop().await;
    }
}

/// The principal of `email`'s new session, for arranging data through the services.
async fn principal(site: &Site, email: &str) -> tseeder_core::auth::Principal {
    let login = site.core.accounts.login(email, PASSWORD, &RequestMeta::default()).await.unwrap();
    site.core.accounts.authenticate_session(&login.session_token).await.unwrap()
}

/// The bulk replay's dry-run count on the dead-letter page.
async fn bulk_count(b: &Browser) -> String {
    let element = b.client.find(Locator::Css("#bulk-count")).await.unwrap();
    element.attr("data-count").await.unwrap().unwrap_or_default()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_bulk_replay_shows_its_dry_run_count_first_then_replays_the_matches() {
    let site = Site::start().await;
    site.user("root@example.com", Role::Admin).await;
    site.user("owner@example.com", Role::User).await;
    site.user("other@example.com", Role::User).await;
    let mine = [
        site.dead_letter("owner@example.com", "first.iso").await,
        site.dead_letter("owner@example.com", "second.iso").await,
    ];
    let theirs = site.dead_letter("other@example.com", "third.iso").await;
    let Some(b) = Browser::start(1280, 800).await else { return };
    b.login(&site, "root@example.com").await;
    b.client.goto(&format!("{}/admin/dlq", site.base)).await.unwrap();
    assert_eq!(bulk_count(&b).await, "3", "the dry run counts every dead letter");
    assert_eq!(b.text("#bulk-count").await, "3 dead letters");

    // Filter by owner: the list and the dry run follow.
    let owner = b.client.find(Locator::Css("form.filters input[name=user]")).await.unwrap();
    owner.send_keys("owner@example.com").await.unwrap();
    b.client.find(Locator::Css("form.filters button[type=submit]")).await.unwrap().click().await.unwrap();
    b.wait_for(|url| url.contains("user=owner")).await;
    assert_eq!(b.count("li.dead").await, 2);
    assert_eq!(bulk_count(&b).await, "2");
    assert_eq!(b.text("#bulk-count").await, "2 dead letters of owner@example.com");

    // The dialog says what a dry run found before anything happens.
    b.client.find(Locator::Css("#bulk a[data-act]")).await.unwrap().click().await.unwrap();
    let dialog = b.client.find(Locator::Css("#act-dialog[open]")).await.expect("the dialog opens");
    let text = dialog.find(Locator::Css("#act-text")).await.unwrap().text().await.unwrap();
    assert!(text.contains("A dry run finds 2 dead letters of owner@example.com."), "{text}");
    let screenshot = b.client.screenshot().await.unwrap();
    std::fs::write(screenshot_dir().join("dlq-bulk-dialog-desktop.png"), screenshot).unwrap();
    b.client.find(Locator::Css("#act-cancel")).await.unwrap().click().await.unwrap();
    for job in mine.iter().chain([&theirs]) {
        assert_eq!(site.core.ports.jobs.get_job(*job).await.unwrap().status, JobStatus::Failed, "nothing yet");
    }

    confirm_in_dialog(&b, "#bulk a[data-act]", "the tracker outage is over", "INC-12", Some("replay")).await;
    b.wait_for(|url| url.contains("notice=")).await;
    assert!(b.text(".notice").await.contains("Replayed 2 dead letters."), "{}", b.text(".notice").await);
    for job in mine {
        assert_eq!(site.core.ports.jobs.get_job(job).await.unwrap().status, JobStatus::Queued);
    }
    assert_eq!(site.core.ports.jobs.get_job(theirs).await.unwrap().status, JobStatus::Failed, "not matched");
    let filter = AuditFilter { action: Some("dlq.bulk_replayed".into()), ..AuditFilter::default() };
    let records = site.core.ports.audit.list_audit(&filter, PageRequest::new(1, 10)).await.unwrap();
    assert_eq!(records.total, 1, "one entry for the batch");
    let meta = &records.items[0].entry.metadata;
    assert_eq!((meta["matched"].as_u64(), meta["replayed"].as_u64()), (Some(2), Some(2)), "{meta}");
    assert_eq!(meta["ticketId"], "INC-12");
    b.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_search_finds_a_user_a_job_and_an_audit_entry_with_their_totals() {
    let site = Site::start().await;
    site.user("root@example.com", Role::Support).await;
    site.user("marlin.owner@example.com", Role::User).await;
    site.user("someone@example.com", Role::User).await;
    for name in ["Marlin season 1", "Marlin season 2", "Marlin season 3"] {
        site.dead_letter("marlin.owner@example.com", name).await;
    }
    site.dead_letter("someone@example.com", "Unrelated").await;
    let Some(b) = Browser::start(1280, 800).await else { return };
    b.login(&site, "root@example.com").await;
    b.client.goto(&format!("{}/admin/users", site.base)).await.unwrap();
    b.client
        .find(Locator::Css(".admin-nav a[href='/admin/search']"))
        .await
        .expect("Search in the navigation")
        .click()
        .await
        .unwrap();
    b.wait_for(|url| url.ends_with("/admin/search")).await;

    // Results follow the typing, without a submit.
    let box_ = b.client.find(Locator::Css("#search-q")).await.unwrap();
    box_.send_keys("marlin").await.unwrap();
    let deadline = Instant::now() + Duration::from_secs(10);
    while b.count("#total-jobs").await == 0 {
        assert!(Instant::now() < deadline, "no results appeared");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(b.text("#total-users").await, "1");
    assert_eq!(b.text("#total-jobs").await, "3");
    // What the owner did, found by the owner's email: three logins and three submissions.
    assert_eq!(b.text("#total-audit").await, "6");
    assert!(b.text("#group-users").await.contains("marlin.owner@example.com"));
    assert!(b.text("#group-jobs").await.contains("Marlin season 3"));
    assert!(b.client.current_url().await.unwrap().as_str().contains("q=marlin"), "the URL keeps the search");
    std::fs::write(screenshot_dir().join("search-live-desktop.png"), b.client.screenshot().await.unwrap()).unwrap();

    // The keyboard moves into the results; Enter opens one.
    box_.send_keys("\u{E015}").await.unwrap(); // ArrowDown
    let focused = b.client.execute("return document.activeElement.textContent", vec![]).await.unwrap();
    assert_eq!(focused, json!("marlin.owner@example.com"));
    b.client.execute("document.activeElement.click()", vec![]).await.unwrap();
    b.wait_for(|url| url.contains("/admin/users/")).await;
    assert_eq!(b.text("h1").await, "marlin.owner@example.com");

    // A job by its name, and an audit entry by its action.
    b.client.goto(&format!("{}/admin/search?q=season%202", site.base)).await.unwrap();
    assert_eq!(b.text("#total-jobs").await, "1");
    b.client.goto(&format!("{}/admin/search?q=job.created", site.base)).await.unwrap();
    assert_eq!(b.text("#total-audit").await, "4");
    b.client.goto(&format!("{}/admin/search?q=nothing-like-this", site.base)).await.unwrap();
    assert!(b.text("#search-none").await.contains("Nothing matches"));
    b.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_plan_limit_change_shows_in_the_history_with_its_diff_and_applies_to_the_next_submission() {
    let site = Site::start().await;
    site.user("root@example.com", Role::Superadmin).await;
    site.user("nina@example.com", Role::User).await;
    let nina = principal(&site, "nina@example.com").await;
    let submit = |n: u32| SubmitJob {
        source: SubmitSource::Magnet(format!("magnet:?xt=urn:btih:{}{}&dn=n{n}", uuid_hex(), &uuid_hex()[..8])),
        name: None,
        idempotency_key: None,
        files: None,
        region_hint: None,
    };
    // The free plan allows 2 active jobs: a third is refused.
    for n in 0..2 {
        site.core.jobs.submit(&nina, submit(n), &RequestMeta::default()).await.unwrap();
    }
    let refused = site.core.jobs.submit(&nina, submit(2), &RequestMeta::default()).await.unwrap_err();
    assert_eq!(refused.code().as_str(), "quota_jobs");

    let Some(b) = Browser::start(1280, 800).await else { return };
    b.login(&site, "root@example.com").await;
    b.client.goto(&format!("{}/admin/config", site.base)).await.unwrap();
    let field = "dd[data-key='plans.free.max_jobs'] input[name=value]";
    assert_eq!(b.client.find(Locator::Css(field)).await.unwrap().prop("value").await.unwrap().as_deref(), Some("2"));
    let input = b.client.find(Locator::Css(field)).await.unwrap();
    input.clear().await.unwrap();
    input.send_keys("3").await.unwrap();
    confirm_in_dialog(
        &b,
        "dd[data-key='plans.free.max_jobs'] button[type=submit]",
        "free accounts get a third slot",
        "PLAN-3",
        None,
    )
    .await;
    b.wait_for(|url| url.contains("notice=")).await;
    assert!(b.text(".notice").await.contains("plans.free.max_jobs is now 3"));
    // The history, filtered to the key, shows the change side by side.
    let change = b.text("li.change[data-key='plans.free.max_jobs']").await;
    assert!(change.contains("free accounts get a third slot") && change.contains("PLAN-3"), "{change}");
    assert_eq!(b.text("li.change tr.changed td.old").await, "2");
    assert_eq!(b.text("li.change tr.changed td.new").await, "3");
    std::fs::write(screenshot_dir().join("config-diff-desktop.png"), b.client.screenshot().await.unwrap()).unwrap();

    // The next submission gets the new limit; the one after it the limit again.
    site.core.jobs.submit(&nina, submit(3), &RequestMeta::default()).await.expect("the third slot");
    let refused = site.core.jobs.submit(&nina, submit(4), &RequestMeta::default()).await.unwrap_err();
    assert_eq!(refused.code().as_str(), "quota_jobs");

    // A flag, too: turned on through the dialog, in force at once.
    confirm_in_dialog(&b, "tr[data-key='maintenance_mode'] button[type=submit]", "planned database upgrade", "", None)
        .await;
    b.wait_for(|url| url.contains("key=maintenance_mode")).await;
    assert!(b.text("tr[data-key='maintenance_mode']").await.contains("on"));
    let refused = site.core.jobs.submit(&nina, submit(5), &RequestMeta::default()).await.unwrap_err();
    assert_eq!(refused.code().as_str(), "maintenance_mode");
    b.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn suspending_a_user_logs_them_out_and_refuses_their_api_key() {
    let site = Site::start().await;
    site.user("root@example.com", Role::Admin).await;
    site.user("nina@example.com", Role::User).await;
    let nina = principal(&site, "nina@example.com").await;
    let key = site
        .core
        .accounts
        .create_api_key(
            &nina,
            "home server",
            vec![tseeder_core::domain::Scope::JobsRead, tseeder_core::domain::Scope::AccountRead],
            None,
            &RequestMeta::default(),
        )
        .await
        .unwrap()
        .secret;
    let http = reqwest::Client::new();
    let me = |auth: String| http.get(format!("{}/api/v1/auth/me", site.base)).header("authorization", auth).send();
    assert_eq!(me(format!("Bearer {key}")).await.unwrap().status(), 200);
    // Nina is logged in in her own browser.
    let nina_browser = Browser::start(1280, 800).await;
    let Some(nina_browser) = nina_browser else { return };
    nina_browser.login(&site, "nina@example.com").await;

    let Some(b) = Browser::start(1280, 800).await else { return };
    b.login(&site, "root@example.com").await;
    b.client.goto(&format!("{}/admin/users?q=nina", site.base)).await.unwrap();
    b.client.find(Locator::Css("tr[data-user='nina@example.com'] a")).await.unwrap().click().await.unwrap();
    b.wait_for(|url| url.contains("/admin/users/")).await;
    assert_eq!(b.count("#user-sessions li").await, 2, "her browser and the session made above");
    std::fs::write(screenshot_dir().join("user-detail-actions-desktop.png"), b.client.screenshot().await.unwrap())
        .unwrap();
    confirm_in_dialog(&b, "#act-suspend", "chargeback under review", "RISK-5", None).await;
    b.wait_for(|url| url.contains("notice=")).await;
    assert!(b.text(".notice").await.contains("nina@example.com is suspended: 2 session(s) ended"));
    assert!(b.text("#suspended-badge").await.contains("suspended"));
    assert_eq!(b.count("#no-sessions").await, 1);

    // Her browser is out, and her key is refused.
    nina_browser.client.goto(&format!("{}/settings", site.base)).await.unwrap();
    nina_browser.wait_for(|url| url.contains("/login")).await;
    let res = me(format!("Bearer {key}")).await.unwrap();
    assert_eq!(res.status(), 403);
    assert_eq!(res.json::<Value>().await.unwrap()["error"]["code"], "account_suspended");
    // And she cannot log back in.
    let login = site.core.accounts.login("nina@example.com", PASSWORD, &RequestMeta::default()).await.unwrap_err();
    assert_eq!(login.code().as_str(), "account_suspended");

    // Reinstated, the key works again.
    confirm_in_dialog(&b, "#act-unsuspend", "chargeback resolved in her favour", "RISK-5", None).await;
    b.wait_for(|url| url.contains("reinstated")).await;
    assert_eq!(me(format!("Bearer {key}")).await.unwrap().status(), 200);
    nina_browser.stop().await;
    b.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_status_page_shows_90_bars_per_component_and_each_days_note() {
    use fantoccini::actions::{InputSource, MouseActions, PointerAction};
    use tseeder_core::domain::{IncidentImpact, IncidentStatus};
    use tseeder_core::services::status::NewIncident;

    let site = Site::start().await;
    site.user("root@example.com", Role::Admin).await;
    let now = site.core.ports.clock.now();
    site.core.status.sample(now).await.unwrap();
    let root = principal(&site, "root@example.com").await;
    let new = NewIncident {
        title: "Slow file downloads",
        impact: IncidentImpact::Minor,
        components: &["object_store".to_owned()],
        status: IncidentStatus::Identified,
        body: "A full disk slowed the file store; space is being freed.",
    };
    site.core.status.open_incident(&root, new, &RequestMeta::default()).await.unwrap();

    let Some(b) = Browser::start(1280, 800).await else { return };
    // No login: the page is public.
    b.client.goto(&format!("{}/status", site.base)).await.unwrap();
    assert_eq!(b.text("#status-banner").await, "All Systems Operational");
    for component in ["api", "database", "object_store", "queue"] {
        let bars = format!(".component[data-component='{component}'] .bar");
        assert_eq!(b.count(&bars).await, 90, "{component}");
        let line = b.text(&format!(".component[data-component='{component}'] .uptime-line")).await;
        assert!(line.contains("100% (24 h)") && line.contains("100% (90 days)"), "{component}: {line}");
    }
    assert_eq!(b.count(".component[data-component='api'] .bar-nodata").await, 89, "only today has data");
    assert!(b.text("#overall-uptime").await.contains("100%"));
    assert!(b.text("#incidents").await.contains("Slow file downloads"));

    // Hovering today's bar of the file store shows the day's note with its incident.
    let bar = b.client.find(Locator::Css(".component[data-component='object_store'] .bar:last-child")).await.unwrap();
    let hover = MouseActions::new("mouse".into()).then(PointerAction::MoveToElement {
        element: bar,
        duration: None,
        x: 0.0,
        y: 0.0,
    });
    b.client.perform_actions(hover).await.unwrap();
    let tip =
        b.client.find(Locator::Css("#bar-tip:not([hidden])")).await.expect("the note shows").text().await.unwrap();
    assert!(tip.contains("no downtime") && tip.contains("Incident: Slow file downloads"), "{tip}");
    let dir = screenshot_dir();
    std::fs::write(dir.join("status-desktop.png"), b.client.screenshot().await.unwrap()).unwrap();
    b.client.set_window_size(390, 844).await.unwrap();
    b.client.goto(&format!("{}/status", site.base)).await.unwrap();
    std::fs::write(dir.join("status-phone.png"), b.client.screenshot().await.unwrap()).unwrap();
    b.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_admin_publishes_an_incident_and_resolves_it_on_the_status_page() {
    let site = Site::start().await;
    site.user("root@example.com", Role::Admin).await;
    site.core.status.sample(site.core.ports.clock.now()).await.unwrap();
    let Some(b) = Browser::start(1280, 800).await else { return };
    b.login(&site, "root@example.com").await;
    b.client.goto(&format!("{}/admin/incidents", site.base)).await.unwrap();
    let form = b.client.find(Locator::Css("#new-incident form")).await.unwrap();
    form.find(Locator::Css("input[name=title]")).await.unwrap().send_keys("Uploads to storage fail").await.unwrap();
    form.find(Locator::Css("select[name=impact]")).await.unwrap().select_by_value("major").await.unwrap();
    form.find(Locator::Css("input[value=object_store]")).await.unwrap().click().await.unwrap();
    form.find(Locator::Css("textarea[name=body]"))
        .await
        .unwrap()
        .send_keys("Finished downloads cannot be stored; we are on it.")
        .await
        .unwrap();
    form.find(Locator::Css("button[type=submit]")).await.unwrap().click().await.unwrap();
    b.wait_for(|url| url.contains("notice=")).await;
    assert!(b.text("#open-incidents").await.contains("Uploads to storage fail"));
    std::fs::write(screenshot_dir().join("incidents-desktop.png"), b.client.screenshot().await.unwrap()).unwrap();

    // Public at once, on the page and in the feed.
    b.client.goto(&format!("{}/status", site.base)).await.unwrap();
    assert!(b.text("#incidents").await.contains("Finished downloads cannot be stored"));
    let feed = reqwest::get(format!("{}/status/incidents.atom", site.base)).await.unwrap();
    assert_eq!(feed.headers()["content-type"], "application/atom+xml; charset=utf-8");
    assert!(feed.text().await.unwrap().contains("<title>Uploads to storage fail [Investigating]</title>"));
    let badge = reqwest::get(format!("{}/status/badge/object_store.svg", site.base)).await.unwrap();
    assert_eq!(badge.headers()["content-type"], "image/svg+xml; charset=utf-8");
    assert!(badge.text().await.unwrap().contains("file storage: operational"));
    let badge = reqwest::get(format!("{}/status/badge/object_store.svg?metric=uptime-24h", site.base)).await.unwrap();
    assert!(badge.text().await.unwrap().contains("100%"));
    let missing = reqwest::get(format!("{}/status/badge/nothing.svg", site.base)).await.unwrap();
    assert_eq!(missing.status(), 404);

    // Resolved through the update form.
    b.client.goto(&format!("{}/admin/incidents", site.base)).await.unwrap();
    let update = b.client.find(Locator::Css(".update-form")).await.unwrap();
    update.find(Locator::Css("select[name=status]")).await.unwrap().select_by_value("resolved").await.unwrap();
    update
        .find(Locator::Css("textarea[name=body]"))
        .await
        .unwrap()
        .send_keys("Space was freed; uploads work again.")
        .await
        .unwrap();
    update.find(Locator::Css("button[type=submit]")).await.unwrap().click().await.unwrap();
    b.wait_for(|url| url.contains("notice=")).await;
    assert!(b.text(".notice").await.contains("is now resolved"));
    assert!(b.text("#open-incidents").await.contains("No open incident"));
    let filter = AuditFilter { action: Some("incident.updated".into()), ..AuditFilter::default() };
    assert_eq!(site.core.ports.audit.list_audit(&filter, PageRequest::new(1, 10)).await.unwrap().total, 1);
    b.stop().await;
}

/// Rows for the hour before now from another API host: `requests` per minute, a slow tail and a
/// few errors, so the screenshots show what a day of traffic looks like.
fn an_hour_from_another_host(now: chrono::DateTime<chrono::Utc>) -> Vec<tseeder_core::domain::ApiMetrics> {
    use tseeder_core::domain::{ApiMetrics, LatencyBuckets};
    (1..60)
        .map(|ago| {
            let minute = tseeder_core::services::observability::minute_of(now - chrono::Duration::minutes(ago));
            let busy = 40 + (ago * 7 % 23) as u64;
            let mut latency = LatencyBuckets::default();
            latency.record_n(1_800 + (ago as u64 % 5) * 150, busy - 4);
            latency.record_n(9_000 + (ago as u64 % 7) * 1_500, 4);
            ApiMetrics {
                minute,
                host: "api-2:4177".into(),
                route: "/api/v1/jobs".into(),
                method: "GET".into(),
                requests: busy,
                client_errors: u64::from(ago % 9 == 0) * 3,
                server_errors: u64::from(ago % 17 == 0),
                p50_us: 1_900,
                p95_us: 12_000,
                p99_us: 15_000,
                total_us: busy * 2_300,
                latency,
            }
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_observability_page_charts_the_traffic_it_just_served() {
    let site = Site::start().await;
    site.user("ops@example.com", Role::Admin).await;
    site.user("customer@example.com", Role::User).await;
    site.dead_letter("customer@example.com", "ubuntu-26.04-desktop-amd64.iso").await;
    let Some(b) = Browser::start(1280, 800).await else { return };
    b.login(&site, "ops@example.com").await;
    // Traffic: pages, API reads, and refusals (401 without credentials).
    let http = reqwest::Client::new();
    for _ in 0..5 {
        assert_eq!(http.get(format!("{}/api/v1/health", site.base)).send().await.unwrap().status(), 200);
        assert_eq!(http.get(format!("{}/api/v1/jobs", site.base)).send().await.unwrap().status(), 401);
    }
    b.client.goto(&format!("{}/admin/workers", site.base)).await.unwrap();
    site.core.observability.snapshot(site.core.ports.clock.now()).await.unwrap();
    // The flush runs every second; the page shows the requests once it did.
    let deadline = Instant::now() + Duration::from_secs(15);
    loop {
        b.client.goto(&format!("{}/admin/observability?window=1h", site.base)).await.unwrap();
        if b.count("#routes").await > 0 {
            let routes = b.text("#routes").await;
            if routes.contains("/api/v1/health") && routes.contains("/api/v1/jobs") {
                break;
            }
        }
        assert!(Instant::now() < deadline, "no request reached the dashboard");
        tokio::time::sleep(Duration::from_millis(300)).await;
    }
    assert_eq!(b.text(".segmented a[aria-current=page]").await, "1h");
    let p50 = b.client.find(Locator::Css("#latency-chart path[data-series=p50]")).await.unwrap();
    assert!(p50.attr("d").await.unwrap().is_some_and(|d| d.starts_with('M')), "the latency line is drawn");
    assert!(b.count("#errors-chart g[data-series='4xx'] rect").await >= 1, "the 401s show as error bars");
    assert!(b.count("#queue-chart path.series").await >= 1, "the snapshot draws the queue");
    assert_eq!(b.text("#obs-dead").await, "1", "the dead letter counts");
    let requests: u64 = b.text("#obs-requests").await.parse().unwrap();
    assert!(requests >= 10, "{requests}");
    // The window selector, and a user cannot look.
    b.client.find(Locator::Css(".segmented a[href$='window=7d']")).await.unwrap().click().await.unwrap();
    b.wait_for(|url| url.ends_with("window=7d")).await;
    assert!(b.count("#latency-chart").await == 1);
    assert_eq!(b.fetch_status(&format!("{}/api/v1/admin/observability?window=bogus", site.base), None).await, 400);
    b.stop().await;

    // Screenshots with an hour of another host's traffic besides.
    site.core.observability.store_requests(&an_hour_from_another_host(site.core.ports.clock.now())).await.unwrap();
    let dir = screenshot_dir();
    for (label, width, height) in [("desktop", 1280, 1000), ("phone", 390, 844)] {
        let Some(b) = Browser::start(width, height).await else { return };
        b.login(&site, "ops@example.com").await;
        b.client.goto(&format!("{}/admin/observability?window=1h", site.base)).await.unwrap();
        assert!(b.text("#obs-requests").await.parse::<u64>().unwrap() > 2_000);
        std::fs::write(dir.join(format!("observability-1h-{label}.png")), b.client.screenshot().await.unwrap())
            .unwrap();
        b.stop().await;
    }
    let Some(b) = Browser::start(1280, 800).await else { return };
    b.login(&site, "customer@example.com").await;
    assert_eq!(b.fetch_status(&format!("{}/admin/observability", site.base), None).await, 403);
    assert_eq!(b.fetch_status(&format!("{}/api/v1/admin/observability", site.base), None).await, 403);
    b.stop().await;
}

/// Types `text` into the field `css` of the current page (emptied first).
async fn fill(b: &Browser, css: &str, text: &str) {
    let field = b.client.find(Locator::Css(css)).await.unwrap();
    field.clear().await.unwrap();
    field.send_keys(text).await.unwrap();
}

async fn click(b: &Browser, css: &str) {
    b.client.find(Locator::Css(css)).await.unwrap().click().await.unwrap();
}

/// Sends the login or registration form of the current page for `email` (keeping the `next`
/// the page carries) and waits to leave `from`.
async fn send_account_form(b: &Browser, email: &str, from: &str) {
    fill(b, "main input[name=email]", email).await;
    fill(b, "main input[name=password]", PASSWORD).await;
    click(b, "main form button[type=submit]").await;
    b.wait_for(|url| !url.contains(from)).await;
}

/// The token of the link in the email to `to` whose subject starts with `subject`, waiting up to
/// 10 s for it to arrive at the sink.
async fn token_in_mail(sink: &SmtpSink, to: &str, subject: &str) -> String {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let found = sink
            .messages()
            .into_iter()
            .find(|m| m.to.iter().any(|t| t == to) && m.subject().is_some_and(|s| s.starts_with(subject)));
        if let Some(mail) = found {
            let link = mail.first_link("http").expect("a link in the email");
            return link.split("token=").nth(1).expect("a token in the link").to_owned();
        }
        assert!(Instant::now() < deadline, "no email “{subject}…” to {to}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_invited_user_confirms_their_address_joins_the_organization_and_is_made_admin() {
    let sink = SmtpSink::start().await;
    let site = Site::start_mailing(&sink.url()).await;
    site.user("root@example.com", Role::Support).await;
    site.user("stranger@example.com", Role::User).await;
    let dir = screenshot_dir();
    let Some(owner) = Browser::start(1280, 900).await else { return };

    // The owner registers, then creates an organization from the navigation's Organizations.
    owner.client.goto(&format!("{}/register", site.base)).await.unwrap();
    send_account_form(&owner, "owner@example.com", "/register").await;
    send_account_form(&owner, "owner@example.com", "/login").await;
    click(&owner, "#nav-orgs").await;
    owner.wait_for(|url| url.ends_with("/orgs")).await;
    assert!(owner.text("table.orgs").await.contains("personal"), "the personal organization is listed");
    fill(&owner, "#new-org input[name=name]", "Acme Corp").await;
    click(&owner, "#new-org button[type=submit]").await;
    owner.wait_for(|url| url.contains("/orgs/acme-corp")).await;
    assert_eq!(owner.text("#org-name").await, "Acme Corp");
    assert_eq!(owner.text("#org-slug").await, "acme-corp");
    assert!(owner.text("#my-role").await.contains("owner"));
    assert_eq!(owner.count("#danger-zone").await, 1, "owners get the danger zone");

    // They invite nina by email; the page says it went out.
    let org_url = format!("{}/orgs/acme-corp", site.base);
    owner.client.goto(&org_url).await.unwrap();
    fill(&owner, "#invite-form input[name=email]", "nina@example.com").await;
    click(&owner, "#invite-form button[type=submit]").await;
    owner.wait_for(|url| url.contains("notice=")).await;
    let notice = owner.text(".notice").await;
    assert!(notice.contains("Invite sent to nina@example.com"), "{notice}");
    assert!(owner.text("tr[data-invite='nina@example.com']").await.contains("member"));
    let invite = token_in_mail(&sink, "nina@example.com", "Join Acme Corp").await;
    let invite_url = format!("{}/invite?token={invite}", site.base);

    // Nina opens the link without an account: log in, or register, then back to the invitation.
    let Some(nina) = Browser::start(1280, 900).await else { return };
    nina.client.goto(&invite_url).await.unwrap();
    nina.wait_for(|url| url.contains("/login?next=")).await;
    assert!(nina.text(".notice").await.contains("Log in to see your invitation"));
    click(&nina, "#register-link").await;
    nina.wait_for(|url| url.contains("/register?next=")).await;
    send_account_form(&nina, "nina@example.com", "/register").await;
    assert!(nina.text(".notice").await.contains("Account created for nina@example.com"));
    send_account_form(&nina, "nina@example.com", "/login").await;
    nina.wait_for(|url| url.contains("/invite?token=")).await;
    let org = nina.text("#invite-org").await;
    assert!(org.contains("Acme Corp") && org.contains("acme-corp"), "{org}");
    assert_eq!(nina.text("#invite-role").await, "member");
    assert_eq!(nina.text("#invite-by").await, "owner@example.com");
    assert_eq!(nina.text("#invite-email").await, "nina@example.com");

    // Her address is not confirmed yet: the page says so, offers no Accept, and the service
    // refuses a forced post anyway.
    assert!(nina.text("#invite-unverified").await.contains("Confirm your email address first"));
    assert_eq!(nina.count("#accept-invite").await, 0);
    let org_id = nina.client.find(Locator::Css("#invite")).await.unwrap().attr("data-org").await.unwrap();
    let forced = json!({ "token": invite, "org": org_id.expect("the organization's id") });
    assert_eq!(nina.fetch_status(&format!("{}/invite", site.base), Some(forced)).await, 403);
    std::fs::write(dir.join("invite-desktop.png"), nina.client.screenshot().await.unwrap()).unwrap();
    nina.client.set_window_size(390, 844).await.unwrap();
    nina.client.goto(&invite_url).await.unwrap();
    std::fs::write(dir.join("invite-phone.png"), nina.client.screenshot().await.unwrap()).unwrap();
    nina.client.set_window_size(1280, 900).await.unwrap();

    // The confirmation email's link shows a button; opening it alone changes nothing.
    let verify = token_in_mail(&sink, "nina@example.com", "Confirm your email address").await;
    nina.client.goto(&format!("{}/verify?token={verify}", site.base)).await.unwrap();
    let stored = site.core.ports.accounts.find_user_by_email("nina@example.com").await.unwrap().unwrap().0;
    assert!(stored.email_verified_at.is_none(), "a visit does not confirm");
    click(&nina, "#confirm-email").await;
    nina.wait_for(|url| !url.contains("token=")).await;
    assert!(nina.text("#verified").await.contains("nina@example.com"));

    // Now she accepts, and lands on the organization as a member.
    nina.client.goto(&invite_url).await.unwrap();
    assert_eq!(nina.count("#invite-unverified").await, 0);
    click(&nina, "#accept-invite").await;
    nina.wait_for(|url| url.contains("/orgs/acme-corp")).await;
    let notice = nina.text(".notice").await;
    assert!(notice.contains("Welcome to Acme Corp: you joined as member"), "{notice}");
    assert!(nina.text("#my-role").await.contains("member"));
    assert_eq!(nina.count("#invite-form").await, 0, "members do not invite");
    assert_eq!(nina.count("#danger-zone").await, 0);
    // The link worked once.
    nina.client.goto(&invite_url).await.unwrap();
    assert!(nina.text("#invite-error").await.contains("already used"));

    // The owner sees her as a member, and makes her an admin.
    owner.client.goto(&org_url).await.unwrap();
    let row = "tr[data-member='nina@example.com']";
    assert!(owner.text(&format!("{row} .badge")).await.contains("member"));
    assert_eq!(owner.count("#no-invites").await, 1, "the invite was used");
    let select = owner.client.find(Locator::Css(&format!("{row} select[name=role]"))).await.unwrap();
    let mut offered = Vec::new();
    for o in select.find_all(Locator::Css("option")).await.unwrap() {
        offered.push(o.attr("value").await.unwrap().unwrap_or_default());
    }
    assert_eq!(offered, ["admin", "owner"]);
    select.select_by_value("admin").await.unwrap();
    click(&owner, &format!("{row} .role-form button[type=submit]")).await;
    owner.wait_for(|url| url.contains("notice=")).await;
    assert!(owner.text(".notice").await.contains("nina@example.com is now admin"));
    assert!(owner.text(&format!("{row} .badge")).await.contains("admin"));
    std::fs::write(dir.join("org-settings-desktop.png"), owner.client.screenshot().await.unwrap()).unwrap();
    owner.client.set_window_size(390, 844).await.unwrap();
    owner.client.goto(&org_url).await.unwrap();
    std::fs::write(dir.join("org-settings-phone.png"), owner.client.screenshot().await.unwrap()).unwrap();
    owner.client.set_window_size(1280, 900).await.unwrap();

    // As an admin, nina invites too, and leaves the owner alone.
    nina.client.goto(&org_url).await.unwrap();
    assert!(nina.text("#my-role").await.contains("admin"));
    assert_eq!(nina.count("#invite-form").await, 1, "admins invite");
    assert!(nina.text("tr[data-member='owner@example.com']").await.contains("owners only"));
    assert_eq!(nina.count("#danger-zone").await, 0);
    nina.stop().await;

    // Someone outside gets the 404 page (nothing about the organization), and the 403 page of the
    // admin list; an invite meant for another address says so.
    owner.client.goto(&org_url).await.unwrap();
    fill(&owner, "#invite-form input[name=email]", "third@example.com").await;
    click(&owner, "#invite-form button[type=submit]").await;
    owner.wait_for(|url| url.contains("notice=")).await;
    let third = token_in_mail(&sink, "third@example.com", "Join Acme Corp").await;
    let Some(stranger) = Browser::start(1280, 800).await else { return };
    stranger.login(&site, "stranger@example.com").await;
    assert_eq!(stranger.fetch_status(&org_url, None).await, 404);
    stranger.client.goto(&org_url).await.unwrap();
    assert_eq!(stranger.text(".status-code").await, "404");
    assert!(!stranger.client.source().await.unwrap().contains("nina@example.com"), "no member leaks");
    assert_eq!(stranger.fetch_status(&format!("{}/orgs/no-such-org", site.base), None).await, 404);
    assert_eq!(stranger.fetch_status(&format!("{}/admin/orgs", site.base), None).await, 403);
    stranger.client.goto(&format!("{}/admin/orgs", site.base)).await.unwrap();
    assert_eq!(stranger.text(".status-code").await, "403");
    stranger.client.goto(&format!("{}/invite?token={third}", site.base)).await.unwrap();
    assert!(stranger.text("#invite-other-address").await.contains("third@example.com"));
    assert_eq!(stranger.count("#accept-invite").await, 0);
    stranger.client.goto(&format!("{}/invite?token=0123abcd", site.base)).await.unwrap();
    assert!(stranger.text("#invite-error").await.contains("unknown"), "a bad link is a clear page");
    stranger.stop().await;

    // Support finds it in the admin list, with its size and owner; personal ones are left out.
    let Some(support) = Browser::start(1280, 800).await else { return };
    support.login(&site, "root@example.com").await;
    support.client.goto(&format!("{}/admin/orgs?q=acme", site.base)).await.unwrap();
    let line = support.text("tr[data-org='acme-corp']").await;
    assert!(line.contains("Acme Corp") && line.contains("owner@example.com"), "{line}");
    assert_eq!(support.text("tr[data-org='acme-corp'] td.num").await, "2", "the owner and nina");
    support.client.goto(&format!("{}/admin/orgs", site.base)).await.unwrap();
    assert_eq!(support.count("tr[data-org^='u-']").await, 0, "no personal organization");
    support.stop().await;
    owner.stop().await;
}

/// A single-file `.torrent` of 1 MiB named `name`, written into `dir` for the add page's upload.
fn torrent_file(dir: &std::path::Path, name: &str) -> PathBuf {
    let size: u64 = 1024 * 1024;
    let pieces = size.div_ceil(16384);
    let mut bytes =
        format!("d4:infod6:lengthi{size}e4:name{}:{name}12:piece lengthi16384e6:pieces{}:", name.len(), pieces * 20)
            .into_bytes();
    bytes.extend(std::iter::repeat_n(b'x', usize::try_from(pieces * 20).unwrap()));
    bytes.extend_from_slice(b"ee");
    let path = dir.join(format!("{name}.torrent"));
    std::fs::write(&path, bytes).unwrap();
    path
}

/// Adds a download through the add page (uploads the `.torrent` at `torrent`, keeps its file,
/// starts it) in the organization the browser works in; the new job's id. Nothing downloads it:
/// it stays queued.
async fn add_download(b: &Browser, site: &Site, torrent: &std::path::Path) -> JobId {
    b.client.goto(&format!("{}/add", site.base)).await.unwrap();
    b.client.find(Locator::Css("#torrent-file")).await.unwrap().send_keys(torrent.to_str().unwrap()).await.unwrap();
    click(b, "#add-form button[type=submit]").await;
    b.wait_for(|url| url.contains("/add/preview")).await;
    click(b, "#start-download").await;
    b.wait_for(|url| url.contains("/jobs/")).await;
    assert!(b.text(".notice").await.contains("Download added"), "{}", b.text("main").await);
    let url = b.client.current_url().await.unwrap();
    url.path().trim_start_matches("/jobs/").parse().expect("a job id in the address")
}

/// Chooses `value` (a slug; empty for the personal organization) in the header's switcher, from
/// the dashboard, and waits for the dashboard to come back.
async fn switch_org(b: &Browser, site: &Site, value: &str) {
    b.client.goto(&format!("{}/", site.base)).await.unwrap();
    let select = b.client.find(Locator::Css("#org-switch select[name=slug]")).await.expect("the header's switcher");
    select.select_by_value(value).await.unwrap();
    b.wait_for(|url| url.contains("notice=")).await;
}

/// The text of each row of the dashboard's list.
async fn listed_jobs(b: &Browser) -> Vec<String> {
    let mut rows = Vec::new();
    for row in b.client.find_all(Locator::Css("#jobs-table tbody tr")).await.unwrap() {
        rows.push(row.text().await.unwrap());
    }
    rows
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn members_work_in_an_organization_switched_to_in_the_header_and_see_its_downloads_by_their_role() {
    let sink = SmtpSink::start().await;
    let site = Site::start_mailing(&sink.url()).await;
    site.user("owner@example.com", Role::User).await;
    site.user("nina@example.com", Role::User).await;
    let meta = RequestMeta::default();
    let owner = principal(&site, "owner@example.com").await;
    site.core.orgs.create(&owner, "Acme Corp", None, &meta).await.unwrap();
    site.core.orgs.invite(&owner, "acme-corp", "nina@example.com", OrgRole::Member, &meta).await.unwrap();
    let invite = token_in_mail(&sink, "nina@example.com", "Join Acme Corp").await;
    let files = tempfile::tempdir().unwrap();
    let dir = screenshot_dir();
    let org_url = format!("{}/orgs/acme-corp", site.base);

    // Nina has one organization: no switcher. She adds a download there, then joins Acme with
    // the emailed link; the header now offers the switcher, still in her personal organization.
    let Some(nina) = Browser::start(1280, 900).await else { return };
    nina.login(&site, "nina@example.com").await;
    assert_eq!(nina.count("#org-switch").await, 0, "nothing to switch to yet");
    let personal_job = add_download(&nina, &site, &torrent_file(files.path(), "nina-personal.iso")).await;
    nina.client.goto(&format!("{}/invite?token={invite}", site.base)).await.unwrap();
    click(&nina, "#accept-invite").await;
    nina.wait_for(|url| url.contains("/orgs/acme-corp")).await;
    assert!(nina.text("#my-role").await.contains("member"));
    nina.client.goto(&format!("{}/", site.base)).await.unwrap();
    assert_eq!(nina.count("#org-switch option").await, 2);
    let current = nina.client.find(Locator::Css("#org-switch option[selected]")).await.unwrap();
    assert_eq!(current.text().await.unwrap(), "Personal");

    // She switches to Acme in the header: the dashboard says so and lists none of her personal
    // downloads; what she adds now is Acme's.
    switch_org(&nina, &site, "acme-corp").await;
    assert!(nina.text(".notice").await.contains("You are working in Acme Corp"));
    let context = nina.text("#org-context").await;
    assert!(context.contains("Acme Corp") && context.contains("your downloads here"), "{context}");
    assert_eq!(nina.count("#jobs-table tbody tr").await, 0, "the personal download stays personal");
    let ninas_job = add_download(&nina, &site, &torrent_file(files.path(), "nina-acme.iso")).await;
    assert_eq!(site.core.ports.jobs.get_job(ninas_job).await.unwrap().status, JobStatus::Queued);
    nina.client.goto(&format!("{}/", site.base)).await.unwrap();
    let rows = listed_jobs(&nina).await;
    assert_eq!(rows.len(), 1, "{rows:?}");
    assert!(rows[0].contains("nina-acme.iso"), "{rows:?}");
    assert_eq!(nina.count(".job-by").await, 0, "a member's list is her own: no submitter shown");
    // New API keys are made here.
    nina.client.goto(&format!("{}/settings", site.base)).await.unwrap();
    assert!(nina.text("#key-org-note").await.contains("Acme Corp"));

    // The owner switches to Acme too, adds one, and sees both, each with who submitted it.
    let Some(boss) = Browser::start(1280, 900).await else { return };
    boss.login(&site, "owner@example.com").await;
    switch_org(&boss, &site, "acme-corp").await;
    let owners_job = add_download(&boss, &site, &torrent_file(files.path(), "owner-acme.iso")).await;
    boss.client.goto(&format!("{}/", site.base)).await.unwrap();
    let rows = listed_jobs(&boss).await;
    assert_eq!(rows.len(), 2, "{rows:?}");
    assert!(rows.iter().any(|r| r.contains("nina-acme.iso") && r.contains("by nina@example.com")), "{rows:?}");
    assert!(rows.iter().any(|r| r.contains("owner-acme.iso") && r.contains("by you")), "{rows:?}");
    assert!(boss.text("#org-context").await.contains("every member's downloads"));
    std::fs::write(dir.join("org-dashboard-desktop.png"), boss.client.screenshot().await.unwrap()).unwrap();
    boss.client.set_window_size(390, 844).await.unwrap();
    boss.client.goto(&format!("{}/", site.base)).await.unwrap();
    std::fs::write(dir.join("org-dashboard-phone.png"), boss.client.screenshot().await.unwrap()).unwrap();
    boss.client.set_window_size(1280, 900).await.unwrap();

    // The organization's page: its plan and usage, and each member's.
    boss.client.goto(&org_url).await.unwrap();
    assert_eq!(boss.text("#org-plan").await, "free");
    assert!(boss.text("#org-active").await.starts_with("2 of 2"), "{}", boss.text("#org-active").await);
    for email in ["nina@example.com", "owner@example.com"] {
        let active = boss.text(&format!("tr[data-member='{email}'] [data-usage=active]")).await;
        assert_eq!(active, "1", "{email}");
    }
    std::fs::write(dir.join("org-usage-desktop.png"), boss.client.screenshot().await.unwrap()).unwrap();
    boss.client.set_window_size(390, 844).await.unwrap();
    boss.client.goto(&org_url).await.unwrap();
    std::fs::write(dir.join("org-usage-phone.png"), boss.client.screenshot().await.unwrap()).unwrap();
    boss.client.set_window_size(1280, 900).await.unwrap();
    // Back in the owner's personal organization, none of Acme's downloads.
    switch_org(&boss, &site, "").await;
    assert!(boss.text(".notice").await.contains("personal organization"));
    assert_eq!(boss.count("#jobs-table tbody tr").await, 0);
    switch_org(&boss, &site, "acme-corp").await;

    // Nina does not see the owner's download, in the list or at its address; her share of the
    // usage is hers alone.
    nina.client.goto(&format!("{}/", site.base)).await.unwrap();
    let rows = listed_jobs(&nina).await;
    assert!(rows.len() == 1 && !rows[0].contains("owner-acme.iso"), "{rows:?}");
    assert_eq!(nina.fetch_status(&format!("{}/jobs/{owners_job}", site.base), None).await, 404);
    nina.client.goto(&org_url).await.unwrap();
    assert!(nina.text("#my-usage").await.contains("1 active download"));
    assert_eq!(nina.count("[data-usage]").await, 0, "members see no one else's usage");
    assert!(nina.text("#org-active").await.starts_with("2 of 2"), "the organization's total");

    // The owner removes her, handing her downloads over: her access ends at once, her pages
    // are back in her personal organization and the cookie is gone.
    let owner_id = site.core.ports.accounts.find_user_by_email("owner@example.com").await.unwrap().unwrap().0.id;
    boss.client.goto(&org_url).await.unwrap();
    let row = "tr[data-member='nina@example.com']";
    let heir = boss.client.find(Locator::Css(&format!("{row} select[name=reassign_to]"))).await.unwrap();
    heir.select_by_value(&owner_id.to_string()).await.unwrap();
    click(&boss, &format!("{row} .remove-form button[type=submit]")).await;
    boss.client.accept_alert().await.unwrap();
    boss.wait_for(|url| url.contains("notice=")).await;
    assert!(boss.text(".notice").await.contains("handed over"), "{}", boss.text(".notice").await);
    assert_eq!(site.core.ports.jobs.get_job(ninas_job).await.unwrap().user_id, owner_id);
    boss.client.goto(&format!("{}/", site.base)).await.unwrap();
    let rows = listed_jobs(&boss).await;
    assert!(rows.iter().all(|r| r.contains("by you")) && rows.len() == 2, "{rows:?}");

    nina.client.goto(&format!("{}/", site.base)).await.unwrap();
    assert_eq!(nina.count("#org-switch").await, 0, "no organization left to switch to");
    assert_eq!(nina.count("#org-context").await, 0, "the personal organization");
    let rows = listed_jobs(&nina).await;
    assert!(rows.len() == 1 && rows[0].contains("nina-personal.iso"), "{rows:?}");
    let cookies = nina.client.get_all_cookies().await.unwrap();
    assert!(!cookies.iter().any(|c| c.name() == "tseeder_org"), "the stale cookie was cleared");
    assert_eq!(nina.fetch_status(&format!("{}/jobs/{ninas_job}", site.base), None).await, 404);
    let nina_id = site.core.ports.accounts.find_user_by_email("nina@example.com").await.unwrap().unwrap().0.id;
    assert_eq!(site.core.ports.jobs.get_job(personal_job).await.unwrap().user_id, nina_id, "her own stay hers");
    nina.stop().await;
    boss.stop().await;
}

/// A queued download of `owner`'s named `name`, submitted through the service (nothing
/// downloads it).
async fn queued_job(site: &Site, owner: &tseeder_core::auth::Principal, name: &str) -> JobId {
    let hash = format!("{}{}", uuid_hex(), &uuid_hex()[..8]);
    let submit = SubmitJob {
        source: SubmitSource::Magnet(format!("magnet:?xt=urn:btih:{hash}&dn={name}")),
        name: Some(name.into()),
        idempotency_key: None,
        files: None,
        region_hint: None,
    };
    site.core.jobs.submit(owner, submit, &RequestMeta::default()).await.expect("submit").job.id
}

/// The `href` of each element matching `css`.
async fn hrefs(b: &Browser, css: &str) -> Vec<String> {
    let mut out = Vec::new();
    for link in b.client.find_all(Locator::Css(css)).await.unwrap() {
        out.push(link.attr("href").await.unwrap().unwrap_or_default());
    }
    out
}

/// The text of the selected choice of the select `name` of the dashboard's search form.
async fn selected(b: &Browser, name: &str) -> String {
    b.text(&format!("#search-form select[name={name}] option[selected]")).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_dashboard_shows_categories_and_tags_and_filters_by_them() {
    let site = Site::start().await;
    site.user("sonarr@example.com", Role::User).await;
    site.user("other@example.com", Role::User).await;
    // As a download manager would have it through the qBittorrent API: one download in the
    // category `tv` with two tags (one that looks like markup, one too long for a phone's row),
    // one without labels, and an empty category `movies`.
    let owner = principal(&site, "sonarr@example.com").await;
    let labelled = queued_job(&site, &owner, "Show.S01E01.1080p").await;
    queued_job(&site, &owner, "unlabelled.iso").await;
    let other = principal(&site, "other@example.com").await;
    queued_job(&site, &other, "others-download.iso").await;
    let labels = &site.core.ports.labels;
    let now = site.core.ports.clock.now();
    for category in ["tv", "movies"] {
        assert!(labels.create_label(owner.user_id, LabelKind::Category, category, now).await.unwrap());
    }
    labels.set_job_category(owner.user_id, labelled, Some("tv"), now).await.unwrap();
    let long_tag = "a-long-tag-from-a-download-manager-that-has-to-wrap-on-a-phone";
    let tags = ["<b>hd</b>".to_owned(), long_tag.to_owned()];
    labels.add_job_tags(owner.user_id, labelled, &tags, now).await.unwrap();

    let Some(b) = Browser::start(1280, 900).await else { return };
    b.login(&site, "sonarr@example.com").await;

    // In the category `tv`: the labelled download alone, with its category and tags as badges
    // (the markup shown as text), the filter showing `tv`, and the status tabs keeping it.
    b.client.goto(&format!("{}/?category=tv", site.base)).await.unwrap();
    let rows = listed_jobs(&b).await;
    assert!(rows.len() == 1 && rows[0].contains("Show.S01E01.1080p"), "{rows:?}");
    assert!(!rows[0].contains("unlabelled.iso"), "{rows:?}");
    assert!(b.text(".job-labels .label-category").await.ends_with("tv"));
    let mut tag_texts = Vec::new();
    for badge in b.client.find_all(Locator::Css(".job-labels .label-tag")).await.unwrap() {
        tag_texts.push(badge.text().await.unwrap());
    }
    assert_eq!(tag_texts.len(), 2, "{tag_texts:?}");
    assert!(tag_texts[0].ends_with("<b>hd</b>") && tag_texts[1].ends_with(long_tag), "{tag_texts:?}");
    assert_eq!(b.count(".job-labels b").await, 0, "names are escaped, never markup");
    assert_eq!(selected(&b, "category").await, "tv");
    assert_eq!(b.count("#search-form select[name=category] option").await, 3, "All, movies, tv");
    assert_eq!(selected(&b, "tag").await, "All");
    assert_eq!(b.count("#search-form select[name=tag] option").await, 3, "All and the two tags");
    let tabs = hrefs(&b, "nav.tabs a").await;
    assert!(tabs.len() == 7 && tabs.iter().all(|h| h.contains("category=tv")), "{tabs:?}");
    let columns = hrefs(&b, "#jobs-table thead th a").await;
    assert!(!columns.is_empty() && columns.iter().all(|h| h.contains("category=tv")), "{columns:?}");

    // Every download again; a tag chosen in its filter applies at once, on its own.
    b.client.goto(&format!("{}/", site.base)).await.unwrap();
    assert_eq!(listed_jobs(&b).await.len(), 2);
    assert_eq!(selected(&b, "category").await, "All");
    let select = b.client.find(Locator::Css("#search-form select[name=tag]")).await.unwrap();
    select.select_by_value("<b>hd</b>").await.unwrap();
    b.wait_for(|url| url.contains("tag=")).await;
    let rows = listed_jobs(&b).await;
    assert!(rows.len() == 1 && rows[0].contains("Show.S01E01.1080p"), "{rows:?}");
    assert_eq!(selected(&b, "tag").await, "<b>hd</b>");
    // A badge filters by its label, instead of the tag.
    click(&b, ".job-labels .label-category").await;
    b.wait_for(|url| url.contains("category=tv")).await;
    assert!(!b.client.current_url().await.unwrap().as_str().contains("tag="));
    assert_eq!(listed_jobs(&b).await.len(), 1);
    assert_eq!(selected(&b, "category").await, "tv");
    assert_eq!(selected(&b, "tag").await, "All");

    // A category with no download: an empty list, the filter showing it (and winning over a
    // tag asked for too). A name that cannot be a category filters nothing, like a bad status.
    b.client.goto(&format!("{}/?category=movies&tag=hd", site.base)).await.unwrap();
    assert_eq!(b.text(".empty h2").await, "No downloads match");
    assert!(b.text(".empty p").await.contains("is in the category “movies”"));
    assert_eq!(selected(&b, "category").await, "movies");
    assert_eq!(selected(&b, "tag").await, "All");
    b.client.goto(&format!("{}/?category=..", site.base)).await.unwrap();
    assert_eq!(listed_jobs(&b).await.len(), 2);
    assert_eq!(selected(&b, "category").await, "All");

    // At phone width the filters and badges wrap inside the page.
    let dir = screenshot_dir();
    b.client.set_window_size(390, 844).await.unwrap();
    b.client.goto(&format!("{}/", site.base)).await.unwrap();
    let fits = b
        .client
        .execute(
            "const right = Array.from(document.querySelectorAll('#search-form, .label-filter, .job-labels .badge'))
                 .map(e => e.getBoundingClientRect().right);
             return right.length > 0 && Math.max(...right) <= document.documentElement.clientWidth;",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(fits, json!(true), "a filter or badge runs off the phone's screen");
    std::fs::write(dir.join("labels-dashboard-phone.png"), b.client.screenshot().await.unwrap()).unwrap();
    b.stop().await;

    // Someone else has no categories or tags: no filter, no badges, and `tv` names none of theirs.
    let Some(o) = Browser::start(1280, 900).await else { return };
    o.login(&site, "other@example.com").await;
    o.client.goto(&format!("{}/", site.base)).await.unwrap();
    let rows = listed_jobs(&o).await;
    assert!(rows.len() == 1 && rows[0].contains("others-download.iso"), "{rows:?}");
    assert_eq!(o.count("#search-form select").await, 0, "no empty filters");
    assert_eq!(o.count("#search-form.with-labels").await, 0);
    assert_eq!(o.count(".job-labels").await, 0);
    o.client.goto(&format!("{}/?category=tv", site.base)).await.unwrap();
    assert_eq!(o.text(".empty h2").await, "No downloads match");
    o.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_settings_tell_a_download_manager_where_the_server_is_and_where_finished_downloads_appear() {
    // A server at a public HTTPS address, with a completed-files location whose path is too long
    // for a phone's row.
    let completed = tempfile::tempdir().unwrap();
    let completed_dir = completed.path().join("completed-files-for-sonarr-and-radarr-on-a-long-path");
    let mut config = CoreConfig::default();
    config.files.completed_dir = completed_dir.display().to_string();
    config.auth.public_url = "https://tseeder.example.com".into();
    let site = Site::start_with(None, config, tseeder_http::HttpConfig::default()).await;
    site.user("sonarr@example.com", Role::User).await;
    let user = principal(&site, "sonarr@example.com").await.user_id;

    let Some(b) = Browser::start(1280, 900).await else { return };
    b.login(&site, "sonarr@example.com").await;
    b.client.goto(&format!("{}/settings", site.base)).await.unwrap();
    assert_eq!(b.text("#download-managers h2").await, "Download managers (Sonarr, Radarr)");
    assert_eq!(b.text("#qbt-host").await, "tseeder.example.com");
    assert_eq!(b.text("#qbt-port").await, "443");
    assert_eq!(b.text("#qbt-ssl").await, "Yes");
    assert_eq!(b.text("#qbt-url-base").await, "(empty)");
    assert_eq!(b.text("#qbt-username").await, "sonarr@example.com");
    // The password row points at the API keys, on the same page.
    assert_eq!(hrefs(&b, "#qbt-form a").await, ["#api-keys"]);
    assert_eq!(b.count("#api-keys").await, 1);
    // Finished downloads appear in the user's own folder of the completed-files location.
    let save_path = b.text("#save-path").await;
    assert!(save_path.contains(&user.to_string()), "{save_path}");
    assert_eq!(save_path, completed_dir.join(user.to_string()).display().to_string());
    assert_eq!(b.count("#no-save-path").await, 0);

    // At phone width the section, its values and the long path wrap inside the page.
    b.client.set_window_size(390, 844).await.unwrap();
    b.client.goto(&format!("{}/settings", site.base)).await.unwrap();
    let fits = b
        .client
        .execute(
            "const right = Array.from(document.querySelectorAll('#download-managers, #download-managers dd, #save-path'))
                 .map(e => e.getBoundingClientRect().right);
             return right.length > 0 && Math.max(...right) <= document.documentElement.clientWidth;",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(fits, json!(true), "the download managers' section runs off the phone's screen");
    let section = b.client.find(Locator::Css("#download-managers")).await.unwrap();
    std::fs::write(screenshot_dir().join("settings-download-managers-phone.png"), section.screenshot().await.unwrap())
        .unwrap();
    b.client.set_window_size(1280, 900).await.unwrap();

    // A server without a public address or a completed-files location: the site's defaults, and
    // a word that finished downloads are not placed anywhere.
    let bare = Site::start().await;
    bare.user("sonarr@example.com", Role::User).await;
    b.login(&bare, "sonarr@example.com").await;
    b.client.goto(&format!("{}/settings", bare.base)).await.unwrap();
    assert_eq!(b.text("#qbt-host").await, "localhost");
    assert_eq!(b.text("#qbt-port").await, "80");
    assert_eq!(b.text("#qbt-ssl").await, "No");
    assert_eq!(b.text("#qbt-username").await, "sonarr@example.com");
    assert_eq!(b.count("#save-path").await, 0);
    assert!(b.text("#no-save-path").await.contains("files.completed_dir"));

    // With the qBittorrent-compatible API off, the section is not shown.
    let off = tseeder_http::HttpConfig {
        qbittorrent: tseeder_http::QbittorrentConfig { path: String::new(), ..Default::default() },
        ..Default::default()
    };
    let off = Site::start_with(None, CoreConfig::default(), off).await;
    off.user("sonarr@example.com", Role::User).await;
    b.login(&off, "sonarr@example.com").await;
    b.client.goto(&format!("{}/settings", off.base)).await.unwrap();
    assert_eq!(b.count("#api-keys").await, 1);
    assert_eq!(b.count("#download-managers").await, 0);
    b.stop().await;
}
