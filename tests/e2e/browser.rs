//! The web console in a real browser: headless Chromium driven over WebDriver (chromedriver on a
//! free loopback port), against the real server, database, engine and a loopback seeder.
//!
//! Every page visited is saved as a screenshot at desktop (1280x800) and phone (390x844) width
//! under `$CARGO_TARGET_TMPDIR/screenshots` (the path is printed). Without
//! `/usr/bin/chromedriver` (or `CHROMEDRIVER`), the browser tests say so and pass without running.

use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};
use tseeder::core::domain::{Heartbeat, RegionCode, Role};

use crate::common::{Backend, PASSWORD, TestApp, mail_about, smtp_sink};

const MIB: u64 = 1024 * 1024;

/// A chromedriver process and a browser session; both end when dropped.
struct Browser {
    client: Client,
    driver: Child,
    _profile: tempfile::TempDir,
    shots: PathBuf,
    base: String,
}

impl Drop for Browser {
    fn drop(&mut self) {
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}

fn chromedriver() -> Option<PathBuf> {
    let path = std::env::var_os("CHROMEDRIVER").map_or_else(|| PathBuf::from("/usr/bin/chromedriver"), PathBuf::from);
    path.exists().then_some(path)
}

fn free_port() -> u16 {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    listener.local_addr().expect("addr").port()
}

impl Browser {
    /// Starts chromedriver and a headless Chromium session on `app`; `None` (with a message)
    /// when chromedriver is not installed.
    async fn start(app: &TestApp) -> Option<Self> {
        let Some(driver_path) = chromedriver() else {
            eprintln!("chromedriver not found at /usr/bin/chromedriver (or $CHROMEDRIVER): browser test skipped");
            return None;
        };
        // reqwest and fantoccini bring different rustls back-ends; name one (no TLS is used).
        let _ = rustls::crypto::ring::default_provider().install_default();
        let port = free_port();
        let driver = Command::new(driver_path)
            .arg(format!("--port={port}"))
            .arg("--allowed-ips=127.0.0.1")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("chromedriver starts");
        let profile = tempfile::tempdir().expect("profile dir");
        let mut caps = serde_json::Map::new();
        caps.insert(
            "goog:chromeOptions".into(),
            json!({
                "binary": "/usr/bin/chromium",
                "args": [
                    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                    "--disable-background-networking", "--disable-component-update", "--disable-sync",
                    "--disable-dev-shm-usage", "--window-size=1280,800",
                    format!("--user-data-dir={}", profile.path().display()),
                ]
            }),
        );
        let url = format!("http://127.0.0.1:{port}");
        let deadline = tokio::time::Instant::now() + Duration::from_secs(20);
        let client = loop {
            match ClientBuilder::rustls().expect("tls").capabilities(caps.clone()).connect(&url).await {
                Ok(client) => break client,
                Err(e) => {
                    assert!(tokio::time::Instant::now() < deadline, "chromedriver did not start: {e}");
                    tokio::time::sleep(Duration::from_millis(100)).await;
                }
            }
        };
        let shots = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("screenshots");
        std::fs::create_dir_all(&shots).expect("screenshot dir");
        eprintln!("browser screenshots: {}", shots.display());
        Some(Self { client, driver, _profile: profile, shots, base: app.base.clone() })
    }

    async fn goto(&self, path: &str) {
        self.client.goto(&format!("{}{path}", self.base)).await.expect("goto");
    }

    async fn find(&self, css: &str) -> fantoccini::elements::Element {
        self.client
            .wait()
            .at_most(Duration::from_secs(10))
            .for_element(Locator::Css(css))
            .await
            .unwrap_or_else(|e| panic!("no {css} on the page: {e}"))
    }

    async fn text(&self, css: &str) -> String {
        self.find(css).await.text().await.expect("text")
    }

    async fn fill(&self, css: &str, value: &str) {
        let field = self.find(css).await;
        field.clear().await.expect("clear");
        field.send_keys(value).await.expect("type");
    }

    async fn click(&self, css: &str) {
        self.find(css).await.click().await.expect("click");
    }

    async fn body(&self) -> String {
        self.text("body").await
    }

    async fn path(&self) -> String {
        self.client.current_url().await.expect("url").path().to_owned()
    }

    async fn js(&self, script: &str) -> Value {
        self.client.execute(script, vec![]).await.expect("script")
    }

    /// Saves the page at desktop and phone width as `<name>-desktop.png` and `<name>-phone.png`.
    async fn shot(&self, name: &str) {
        for (suffix, w, h) in [("desktop", 1280, 800), ("phone", 390, 844)] {
            self.client.set_window_size(w, h).await.expect("resize");
            tokio::time::sleep(Duration::from_millis(150)).await;
            let png = self.client.screenshot().await.expect("screenshot");
            std::fs::write(self.shots.join(format!("{name}-{suffix}.png")), png).expect("write screenshot");
        }
        self.client.set_window_size(1280, 800).await.expect("resize");
    }

    /// Waits until `check` returns true, up to `secs`.
    async fn until(&self, secs: u64, what: &str, check: &str) {
        let deadline = tokio::time::Instant::now() + Duration::from_secs(secs);
        loop {
            if self.js(&format!("return ({check});")).await == Value::Bool(true) {
                return;
            }
            assert!(tokio::time::Instant::now() < deadline, "timed out waiting for {what}");
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
    }

    /// Waits until the element at `css` contains `needle` (after a form post, the old page may
    /// still be the one shown for a moment).
    async fn until_text(&self, css: &str, needle: &str) {
        let check =
            format!("(document.querySelector({css:?}) || {{textContent: ''}}).textContent.includes({needle:?})");
        self.until(10, &format!("{css} to say {needle:?}"), &check).await;
    }

    async fn register(&self, email: &str) {
        self.goto("/register").await;
        self.fill("input[name=email]", email).await;
        self.fill("input[name=password]", PASSWORD).await;
        self.click("form button[type=submit]").await;
        self.find(".notice").await;
    }

    async fn login(&self, email: &str, password: &str) {
        self.goto("/login").await;
        self.fill("input[name=email]", email).await;
        self.fill("input[name=password]", password).await;
        self.click("main form button[type=submit]").await;
    }

    /// Logs in and waits for the signed-in page, so the next navigation does not cut the
    /// login request short.
    async fn login_ok(&self, email: &str) {
        self.login(email, PASSWORD).await;
        self.find("header form button").await;
    }

    async fn logout(&self) {
        self.click("header form button").await;
        self.find("input[name=email]").await;
    }

    async fn close(mut self) {
        let client = self.client.clone();
        let _ = client.close().await;
        let _ = self.driver.kill();
    }
}

fn sha256(bytes: &[u8]) -> String {
    Sha256::digest(bytes).iter().map(|b| format!("{b:02x}")).collect()
}

/// A user signs up, logs in, adds a download by uploading a `.torrent` with a file left out,
/// watches it complete without reloading, downloads a file and compares its bytes, creates an
/// API key (seen once), and is kept away from another user's job and the admin console.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_user_adds_a_download_and_gets_its_files_in_the_browser() {
    let app = TestApp::start(Backend::Sqlite, true).await.expect("sqlite");
    let Some(browser) = Browser::start(&app).await else {
        app.stop().await;
        return;
    };

    // The payload: a directory with a video and a file the user leaves out.
    let video = app.payload("holiday/clip.mp4", 2 * MIB + 123, 11);
    app.payload("holiday/readme.txt", 4000, 12);
    let video_bytes = std::fs::read(&video).unwrap();
    let seeded = app.seeder().seed(video.parent().unwrap()).await.unwrap();
    let torrent_path = app.dir.path().join("holiday.torrent");
    std::fs::write(&torrent_path, &seeded.torrent_bytes).unwrap();

    // Signed out, the console sends visitors to log in.
    browser.goto("/").await;
    assert_eq!(browser.path().await, "/login");
    browser.shot("login").await;

    // Wrong input is shown on the form, not as JSON.
    browser.goto("/register").await;
    browser.fill("input[name=email]", "web@example.com").await;
    browser.fill("input[name=password]", "short").await;
    browser.js("document.querySelector('input[name=password]').removeAttribute('minlength')").await;
    browser.click("form button[type=submit]").await;
    assert!(browser.text(".form-error").await.contains("8 to 128"), "weak password shown on the form");
    browser.shot("register-error").await;

    browser.register("web@example.com").await;
    browser.login("web@example.com", "wrong password 1").await;
    assert!(browser.text(".form-error").await.contains("Wrong email or password"));
    browser.shot("login-error").await;
    browser.login_ok("web@example.com").await;
    assert!(browser.client.find(Locator::Css("#nav-admin")).await.is_err(), "a user has no admin link");
    assert!(browser.body().await.contains("No downloads yet"), "the empty state says what to do");
    browser.shot("dashboard-empty").await;

    // Add: upload the .torrent, see its files and cost, leave the text file out.
    browser.click("a[href='/add']").await;
    browser.shot("add").await;
    browser.find("#torrent-file").await.send_keys(torrent_path.to_str().unwrap()).await.unwrap();
    browser.click("#add-form button[type=submit]").await;
    browser.find("#pick-form").await;
    let body = browser.body().await;
    assert!(body.contains("holiday/clip.mp4") && body.contains("holiday/readme.txt"), "{body}");
    assert!(body.contains("Fits in your plan"), "{body}");
    browser.shot("preview").await;
    let readme = browser
        .js("return [...document.querySelectorAll('.pick-list li')].find(li => li.textContent.includes('readme.txt')).querySelector('input').value")
        .await;
    browser.click(&format!("input[name=files][value='{}']", readme.as_str().unwrap())).await;
    assert_eq!(browser.text("#selected-size").await, "2.0 MiB", "the total follows the selection");
    browser.click("#start-download").await;

    // The job page follows the download live, with no reload.
    browser.find("#job-live").await;
    let job_path = browser.path().await;
    assert!(job_path.starts_with("/jobs/"), "{job_path}");
    browser.js("window.__stayed = true").await;
    browser
        .until(120, "the job to complete", "document.querySelector('#job-status').textContent === 'Completed'")
        .await;
    browser.until(10, "the files to appear", "document.querySelectorAll('.file-link').length === 1").await;
    assert_eq!(browser.js("return window.__stayed === true").await, Value::Bool(true), "the page was not reloaded");
    assert_eq!(browser.text("#job-pct").await, "100%");
    let files = browser.text("#files").await;
    assert!(files.contains("clip.mp4") && !files.contains("readme.txt"), "only the picked file: {files}");
    browser.shot("job-completed").await;

    // Download the file from the page's link and compare the bytes.
    let digest = browser
        .client
        .execute_async(
            "const done = arguments[arguments.length - 1];
             fetch(document.querySelector('.file-link').href).then(r => r.arrayBuffer())
               .then(b => crypto.subtle.digest('SHA-256', b))
               .then(h => done(Array.from(new Uint8Array(h)).map(x => x.toString(16).padStart(2, '0')).join('')))
               .catch(e => done('error: ' + e));",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(digest, Value::String(sha256(&video_bytes)), "the downloaded bytes are the seeded file's");
    // The player plays it from the same Range-capable URL.
    browser.click("button[data-play]").await;
    browser.until(10, "the player to show", "!document.querySelector('#player').hidden").await;
    assert!(
        browser.js("return document.querySelector('#player-video').src").await.as_str().unwrap().contains("/download")
    );
    // The playlist lists it with a signed link.
    let playlist = browser
        .client
        .execute_async(
            &format!(
                "const done = arguments[arguments.length - 1];
                 fetch('{job_path}/playlist.m3u').then(r => r.text().then(t => done([r.headers.get('content-type'), t])));"
            ),
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(playlist[0], "audio/x-mpegurl");
    assert!(playlist[1].as_str().unwrap().contains("/stream?expires="), "{playlist}");

    // The dashboard lists it.
    browser.goto("/").await;
    assert!(browser.text("#jobs-table").await.contains("holiday"));
    browser.shot("dashboard").await;
    browser.goto("/usage").await;
    browser.shot("usage").await;

    // An API key: created with scopes, its secret shown once.
    browser.goto("/settings").await;
    browser.shot("settings").await;
    browser.fill(".key-form input[name=name]", "laptop").await;
    browser.click(".key-form button[type=submit]").await;
    let secret = browser.find("#new-secret").await.prop("value").await.unwrap().unwrap();
    assert!(secret.starts_with("tsk_"), "{secret}");
    browser.shot("settings-key-created").await;
    let res = app.key_client(&secret).get("/auth/me").send().await.unwrap();
    assert_eq!(res.status(), 200, "the key works");
    browser.goto("/settings").await;
    let page = browser.client.source().await.unwrap();
    assert!(page.contains("laptop") && !page.contains(&secret), "the secret is never shown again");

    // Another user gets a 404 page for this job, and a normal user a 403 page for admin URLs.
    browser.logout().await;
    browser.register("other@example.com").await;
    browser.login_ok("other@example.com").await;
    browser.goto(&job_path).await;
    assert!(browser.text("h1").await.contains("Download not found"));
    browser.shot("job-not-found").await;
    browser.goto("/admin/workers").await;
    assert!(browser.text("h1").await.contains("Not allowed"));
    assert!(browser.client.find(Locator::Css(".admin-nav")).await.is_err(), "no admin navigation");
    browser.shot("admin-forbidden").await;
    browser.goto("/no/such/page").await;
    assert!(browser.text("h1").await.contains("Page not found"));
    browser.shot("not-found").await;

    browser.close().await;
    app.stop().await;
}

/// An admin cordons a worker through the confirmation dialog; the audit log shows the reason and
/// the ticket.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_admin_cordons_a_worker_through_the_confirmation_dialog() {
    let app = TestApp::start(Backend::Sqlite, false).await.expect("sqlite");
    let Some(browser) = Browser::start(&app).await else {
        app.stop().await;
        return;
    };
    for (id, region, active) in [("eu-1", "eu-west", 1), ("us-1", "us-east", 3)] {
        let heartbeat = Heartbeat {
            worker_id: id.into(),
            region: RegionCode::parse(region).unwrap(),
            base_url: format!("http://10.0.0.{active}:8090").parse().unwrap(),
            version: "0.1.0".into(),
            active_jobs: active,
            max_jobs: 4,
            disk_free_bytes: 50 << 30,
            disk_total_bytes: 100 << 30,
            cpu_pct: 12.5,
            bandwidth_bps: 3 << 20,
        };
        app.core.fleet.record_heartbeat(heartbeat).await.unwrap();
    }
    app.core.accounts.create_user("ops@example.com", PASSWORD, Role::Admin).await.unwrap();
    browser.login_ok("ops@example.com").await;
    browser.click("#nav-admin").await;
    assert_eq!(browser.path().await, "/admin/workers");
    let table = browser.text("table.workers").await;
    assert!(table.contains("eu-1") && table.contains("eu-west") && table.contains("us-1"), "{table}");
    browser.shot("admin-workers").await;

    browser.click("a[data-dialog=cordon][data-worker=eu-1]").await;
    browser.until(5, "the dialog to open", "document.querySelector('#fleet-dialog').open").await;
    browser.shot("admin-cordon-dialog").await;
    // A reason under 10 characters is refused by the form itself...
    browser.fill("#fleet-form input[name=reason]", "too short").await;
    browser.click("#fleet-confirm").await;
    assert_eq!(browser.js("return document.querySelector('#fleet-dialog').open").await, Value::Bool(true));
    // ...and by the server when the form's own check is bypassed.
    browser.js("document.querySelector('#fleet-form input[name=reason]').removeAttribute('minlength')").await;
    browser.click("#fleet-confirm").await;
    assert!(browser.text(".form-error").await.contains("10"), "the server refuses a short reason");
    browser.fill("input[name=reason]", "disk errors on the scratch volume").await;
    browser.fill("input[name=ticket]", "OPS-4411").await;
    browser.click("main form button[type=submit]").await;
    browser.find(".notice").await;
    let row = browser.text("tr[data-worker=eu-1]").await;
    assert!(row.contains("cordoned"), "{row}");
    assert!(browser.body().await.contains("disk errors on the scratch volume"), "recent fleet actions list it");

    browser.click(".admin-nav a[href='/admin/audit']").await;
    let audit = browser.text("table.audit").await;
    assert!(audit.contains("worker.cordoned") && audit.contains("disk errors on the scratch volume"), "{audit}");
    assert!(audit.contains("OPS-4411"), "{audit}");
    browser.shot("admin-audit").await;

    // Through the dialog this time, the uncordon goes straight through.
    browser.goto("/admin/workers").await;
    browser.click("a[data-dialog=uncordon][data-worker=eu-1]").await;
    browser.until(5, "the dialog to open", "document.querySelector('#fleet-dialog').open").await;
    browser.fill("#fleet-form input[name=reason]", "volume replaced and checked").await;
    browser.click("#fleet-confirm").await;
    browser.find(".notice").await;
    assert!(browser.text("tr[data-worker=eu-1]").await.contains("healthy"));

    for section in ["users", "jobs", "storage", "plugins", "dlq", "security"] {
        browser.goto(&format!("/admin/{section}")).await;
        assert!(browser.client.find(Locator::Css(".admin-nav a[aria-current=page]")).await.is_ok(), "{section}");
    }
    browser.shot("admin-section").await;
    browser.close().await;
    app.stop().await;
}

/// An admin replays a dead-lettered job through the dialog, and the engine runs it again: the
/// job's page follows it from queued to completed, and its file matches the seeded bytes.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_admin_replays_a_dead_letter_and_watches_the_job_run_again() {
    use tseeder::core::domain::{JobId, JobStatus};
    use tseeder::core::ports::JobChange;
    // First without a dispatcher, so the job can be made to fail every attempt.
    let mut app =
        TestApp::start_configured(Backend::Sqlite, true, None, |c| c.dispatch.enabled = false).await.expect("sqlite");
    let payload = app.payload("replayed/episode.mkv", MIB + 4321, 21);
    let bytes = std::fs::read(&payload).unwrap();
    let seeded = app.seeder().seed(&payload).await.unwrap();
    let owner = app.register_and_login("viewer@example.com").await;
    let res = owner.post("/jobs").json(&json!({ "magnetUri": seeded.magnet })).send().await.unwrap();
    assert_eq!(res.status(), 201);
    let job: Value = res.json().await.unwrap();
    let id: JobId = job["id"].as_str().unwrap().parse().unwrap();
    let ports = &app.core.ports;
    let now = ports.clock.now();
    let lease = ports.queue.lease("jobs", "e2e", Duration::from_secs(60), now).await.unwrap().unwrap();
    ports.queue.dead_letter(&lease, "engine: the tracker did not answer", now).await.unwrap();
    ports.jobs.update_job(id, &JobChange::unchecked(JobStatus::Queued, JobStatus::Failed, now)).await.unwrap();
    app.core.accounts.create_user("ops@example.com", PASSWORD, Role::Admin).await.unwrap();

    // Now with the engine running, as after a fix.
    app.config.dispatch.enabled = true;
    let app = app.crash_and_restart().await;
    let Some(browser) = Browser::start(&app).await else {
        app.stop().await;
        return;
    };
    browser.login_ok("ops@example.com").await;
    browser.goto("/admin/dlq").await;
    assert!(browser.text("li.dead").await.contains("the tracker did not answer"));
    browser.click("li.dead a[data-act]").await;
    browser.until(5, "the dialog to open", "document.querySelector('#act-dialog').open").await;
    browser.fill("#act-form input[name=reason]", "the tracker is reachable again").await;
    browser.fill("#act-form input[name=ticket]", "INC-31").await;
    browser.fill("#act-form input[name=confirm]", "replay").await;
    browser.click("#act-confirm").await;
    browser.until_text(".notice", "queued again").await;

    // The job's page follows it to the end, live.
    browser.goto(&format!("/jobs/{id}")).await;
    browser.until(60, "the job to complete", "document.body.textContent.includes('Completed')").await;
    browser.shot("job-replayed").await;
    let files: Value = owner.get(&format!("/jobs/{id}/files")).send().await.unwrap().json().await.unwrap();
    let file_id = files["files"][0]["id"].as_str().unwrap();
    let got = owner.get(&format!("/files/{file_id}/download")).send().await.unwrap().bytes().await.unwrap();
    assert_eq!(sha256(&got), sha256(&bytes), "the replayed job delivered the seeded bytes");
    browser.close().await;
    app.stop().await;
}

/// A user sees where they are logged in, logs another device out, and changes the password:
/// a wrong current password and a mismatched confirmation are shown on the form, and the change
/// logs every other device out while this one stays in.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_user_changes_the_password_and_logs_other_devices_out() {
    const NEW: &str = "a new secret 42";
    let app = TestApp::start(Backend::Sqlite, false).await.expect("sqlite");
    let Some(browser) = Browser::start(&app).await else {
        app.stop().await;
        return;
    };
    browser.register("mover@example.com").await;
    browser.login_ok("mover@example.com").await;
    let laptop = app.login(app.browser(), "mover@example.com").await;
    let phone = app.login(app.browser(), "mover@example.com").await;

    browser.goto("/settings").await;
    let rows = browser.js("return document.querySelectorAll('table.sessions tbody tr').length").await;
    assert_eq!(rows, json!(3), "this browser and two other devices");
    let current = browser.text("table.sessions tr.current").await;
    assert!(current.contains("this device") && current.contains("Chrome"), "{current}");
    browser.js("document.querySelector('#password').scrollIntoView()").await;
    browser.shot("settings-sessions").await;

    // Log the newest other device (the phone) out, through the confirmation.
    browser.click("table.sessions tbody tr:not(.current) button").await;
    browser.client.accept_alert().await.expect("the confirmation");
    browser.until_text(".notice", "That device is logged out").await;
    assert_eq!(phone.get("/auth/me").send().await.unwrap().status(), 401, "the phone is out");
    assert_eq!(laptop.get("/auth/me").send().await.unwrap().status(), 200, "the laptop is not");
    let rows = browser.js("return document.querySelectorAll('table.sessions tbody tr').length").await;
    assert_eq!(rows, json!(2));

    // Mistakes are shown on the form.
    browser.fill(".password-form input[name=current]", "not my password 1").await;
    browser.fill(".password-form input[name=new]", NEW).await;
    browser.fill(".password-form input[name=confirm]", NEW).await;
    browser.click(".password-form button[type=submit]").await;
    browser.until_text("#password .form-error", "current password is wrong").await;
    browser.shot("settings-password-wrong").await;
    browser.fill(".password-form input[name=current]", PASSWORD).await;
    browser.fill(".password-form input[name=new]", NEW).await;
    browser.fill(".password-form input[name=confirm]", "a new secret 43").await;
    browser.click(".password-form button[type=submit]").await;
    browser.until_text("#password .form-error", "differ").await;

    browser.fill(".password-form input[name=current]", PASSWORD).await;
    browser.fill(".password-form input[name=new]", NEW).await;
    browser.fill(".password-form input[name=confirm]", NEW).await;
    browser.click(".password-form button[type=submit]").await;
    browser.until_text(".notice", "Password changed. Your other device was logged out.").await;
    assert_eq!(laptop.get("/auth/me").send().await.unwrap().status(), 401, "every other device is out");
    let rows = browser.js("return document.querySelectorAll('table.sessions tbody tr').length").await;
    assert_eq!(rows, json!(1), "only this browser is left");

    // The new password is the one that works.
    browser.logout().await;
    browser.login("mover@example.com", PASSWORD).await;
    browser.until_text(".form-error", "Wrong email or password").await;
    browser.login("mover@example.com", NEW).await;
    browser.find("header form button").await;
    browser.close().await;
    app.stop().await;
}

/// "Forgot your password?" from the login page: the email arrives at a real SMTP server, its
/// link opens the new-password form, and the new password is the one that logs in.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_forgotten_password_is_reset_from_the_emailed_link() {
    const NEW: &str = "from the email 9";
    let email = "forgetful@example.com";
    let app = TestApp::start_configured(Backend::Sqlite, false, None, |config| {
        config.mail.smtp_url = smtp_sink().url();
    })
    .await
    .expect("sqlite");
    let Some(browser) = Browser::start(&app).await else {
        app.stop().await;
        return;
    };
    browser.register(email).await;
    browser.goto("/login").await;
    browser.click("#forgot-link").await;
    browser.fill("input[name=email]", email).await;
    browser.shot("forgot").await;
    browser.click("main form button[type=submit]").await;
    browser.until_text("#reset-sent", "is on its way").await;
    browser.shot("forgot-sent").await;

    let mail = mail_about(email, "Reset your tseeder password", 1).await;
    assert_eq!(mail.len(), 1, "the email arrived");
    let link = mail[0].first_link("http").expect("a link in the email");
    let token = link.split("token=").nth(1).expect("a token").to_owned();
    // The link names the configured public address; the test server listens elsewhere.
    browser.goto(&format!("/reset?token={token}")).await;
    browser.fill("input[name=password]", NEW).await;
    browser.fill("input[name=confirm]", "from the email 8").await;
    browser.click("main form button[type=submit]").await;
    browser.until_text(".form-error", "differ").await;
    browser.fill("input[name=password]", NEW).await;
    browser.fill("input[name=confirm]", NEW).await;
    browser.shot("reset").await;
    browser.click("main form button[type=submit]").await;
    browser.until_text(".notice", "Your password is changed").await;

    browser.login(email, PASSWORD).await;
    browser.until_text(".form-error", "Wrong email or password").await;
    browser.login(email, NEW).await;
    browser.find("header form button").await;
    // The link was used: opening it again fails on the form.
    browser.logout().await;
    browser.goto(&format!("/reset?token={token}")).await;
    browser.fill("input[name=password]", "third time 3x").await;
    browser.fill("input[name=confirm]", "third time 3x").await;
    browser.click("main form button[type=submit]").await;
    browser.until_text(".form-error", "already used or expired").await;
    browser.close().await;
    app.stop().await;
}

/// A form post with the session cookie but without the form's CSRF token is refused with a 403
/// page, and changes nothing; the same post with the token works.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_form_post_without_the_csrf_token_is_refused() {
    let app = TestApp::start(Backend::Sqlite, false).await.expect("sqlite");
    let user = app.register_and_login("csrf@example.com").await;
    let form = [("name", "sneaky"), ("scopes", "jobs:read")];
    let res = user.client.post(format!("{}/settings/keys", app.base)).form(&form).send().await.unwrap();
    assert_eq!(res.status(), 403);
    assert!(res.headers()["content-type"].to_str().unwrap().starts_with("text/html"));
    assert!(res.text().await.unwrap().contains("Form expired"));
    let keys: Value = user.get("/auth/api-keys").send().await.unwrap().json().await.unwrap();
    assert_eq!(keys["keys"].as_array().map(Vec::len), Some(0), "no key was created: {keys}");

    let with_token = [("name", "fine"), ("scopes", "jobs:read"), ("csrf", &user.csrf)];
    let res = user.client.post(format!("{}/settings/keys", app.base)).form(&with_token).send().await.unwrap();
    assert_eq!(res.status(), 200);
    assert!(res.text().await.unwrap().contains("tsk_"));
    app.stop().await;
}

/// Under `http.base_path`, pages and the API answer with the prefix (and without it), and every
/// link the pages make carries it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_console_and_the_api_work_under_a_base_path() {
    let app = TestApp::start_configured(Backend::Sqlite, false, None, |c| c.http.base_path = "/seed/".into())
        .await
        .expect("sqlite");
    let client = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
    let res = client.get(format!("{}/seed/", app.base)).send().await.unwrap();
    assert_eq!(res.status(), 303);
    assert_eq!(res.headers()["location"], "/seed/login?next=%2Fseed%2F");
    let page = client.get(format!("{}/seed/login", app.base)).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("action=\"/seed/login\"") && page.contains("href=\"/seed/register\""), "{page}");
    assert!(page.contains("href=\"/seed/static/app-"), "{page}");
    let css = page.split("href=\"/seed/static/").nth(1).unwrap().split('"').next().unwrap();
    let res = client.get(format!("{}/seed/static/{css}", app.base)).send().await.unwrap();
    assert_eq!(res.status(), 200);
    assert!(res.headers()["cache-control"].to_str().unwrap().contains("immutable"));
    for path in ["/seed/api/v1/health", "/api/v1/health", "/login"] {
        assert_eq!(client.get(format!("{}{path}", app.base)).send().await.unwrap().status(), 200, "{path}");
    }
    let res = client.get(format!("{}/seed/api/v1/nope", app.base)).send().await.unwrap();
    assert_eq!(res.status(), 404);
    assert!(
        res.headers()["content-type"].to_str().unwrap().starts_with("application/json"),
        "the API keeps JSON errors"
    );
    app.stop().await;
}
