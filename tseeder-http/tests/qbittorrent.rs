//! The qBittorrent-compatible API's shapes over the core's fakes: logins (`Ok.`, `Fails.`, the
//! `SID` cookie, API keys), 403 before login, 404 for unknown hashes, 409 for unknown
//! categories, form and multipart parameters, categories and tags, and the paths it reports.
//! The root crate's end-to-end test and CI's `qbittorrent-api` flow run it over a real engine.

use std::sync::Arc;

use chrono::Utc;
use poem::http::{StatusCode, header};
use poem::test::{TestClient, TestForm, TestFormField};
use poem::{Endpoint, Response};
use serde_json::{Value, json};
use tseeder_core::Tseeder;
use tseeder_core::domain::{Plan, PlanLimit, TorrentMeta};
use tseeder_core::ports::Clock;
use tseeder_core::services::CoreConfig;
use tseeder_core::testing::{InMemoryDb, ManualClock};
use tseeder_http::{AppState, HttpConfig};

const PASSWORD: &str = "correct horse 1";
const EMAIL: &str = "sonarr@example.com";

fn plan() -> Plan {
    Plan {
        id: "free".into(),
        max_jobs: PlanLimit::Max(10),
        max_storage_bytes: PlanLimit::Max(1 << 40),
        max_file_size_bytes: PlanLimit::Unlimited,
        bandwidth_bytes: PlanLimit::Unlimited,
        retention_days: PlanLimit::Max(7),
        price_cents: 0,
    }
}

/// The app over fresh fakes, with its completed-files location in `dir`.
fn app(dir: &std::path::Path) -> (TestClient<impl Endpoint<Output = Response> + use<>>, Tseeder) {
    let db = InMemoryDb::with_plans([plan()]);
    let clock = Arc::new(ManualClock::new(Utc::now()));
    let mut config = CoreConfig::default();
    config.files.completed_dir = dir.display().to_string();
    let core = Tseeder::new(db.ports(clock as Arc<dyn Clock>), config);
    let http = HttpConfig::default();
    (TestClient::new(tseeder_http::app(AppState::new(core.clone(), http))), core)
}

/// Registers the user through `/api/v1`.
async fn register<E: Endpoint>(cli: &TestClient<E>, email: &str) {
    let resp = cli.post("/api/v1/auth/register").body_json(&json!({"email": email, "password": PASSWORD})).send().await;
    resp.assert_status(StatusCode::CREATED);
}

/// Logs in through `auth/login`; returns the `SID` cookie header value.
async fn login<E: Endpoint>(cli: &TestClient<E>, email: &str) -> String {
    let resp = cli.post("/api/v2/auth/login").form(&[("username", email), ("password", PASSWORD)]).send().await;
    resp.assert_status_is_ok();
    let cookie = resp.0.headers()[header::SET_COOKIE].to_str().expect("ASCII").to_owned();
    assert!(
        cookie.starts_with("SID=") && cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"),
        "{cookie}"
    );
    let sid = cookie.split(';').next().expect("a pair").to_owned();
    let body = resp.0.into_body().into_string().await.expect("text");
    assert_eq!(body, "Ok.");
    sid
}

async fn text_of(resp: poem::test::TestResponse) -> (StatusCode, String) {
    let status = resp.0.status();
    (status, resp.0.into_body().into_string().await.expect("a text body"))
}

async fn json_of(resp: poem::test::TestResponse) -> Value {
    resp.assert_status_is_ok();
    let (_, body) = text_of(resp).await;
    serde_json::from_str(&body).expect("a JSON body")
}

/// A one-file `.torrent` (its pieces are not real: the tests never download it).
fn torrent(name: &str, size: u64) -> Vec<u8> {
    let pieces = vec![0u8; 20];
    let mut out = Vec::new();
    out.extend_from_slice(b"d4:infod6:lengthi");
    out.extend_from_slice(size.to_string().as_bytes());
    out.extend_from_slice(format!("e4:name{}:{name}12:piece lengthi16384e6:pieces20:", name.len()).as_bytes());
    out.extend_from_slice(&pieces);
    out.extend_from_slice(b"ee");
    out
}

#[tokio::test]
async fn every_call_but_login_is_forbidden_before_login() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let (cli, _) = app(dir.path());
    for path in ["app/version", "app/webapiVersion", "app/preferences", "torrents/info", "torrents/categories"] {
        let (status, body) = text_of(cli.get(format!("/api/v2/{path}")).send().await).await;
        assert_eq!((status, body.as_str()), (StatusCode::FORBIDDEN, "Forbidden"), "{path}");
    }
    let (status, body) = text_of(cli.post("/api/v2/torrents/add").form(&[("urls", "magnet:?x")]).send().await).await;
    assert_eq!((status, body.as_str()), (StatusCode::FORBIDDEN, "Forbidden"));
    let (status, _) =
        text_of(cli.get("/api/v2/torrents/info").header("Cookie", "SID=not-a-session").send().await).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "an unknown session");
    let (status, _) =
        text_of(cli.get("/api/v2/torrents/info").header("Authorization", "Bearer tsk_wrong").send().await).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "an unknown key");
}

#[tokio::test]
async fn a_wrong_password_fails_and_the_right_one_logs_in() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let (cli, _) = app(dir.path());
    register(&cli, EMAIL).await;
    let resp = cli.post("/api/v2/auth/login").form(&[("username", EMAIL), ("password", "wrong")]).send().await;
    assert!(resp.0.headers().get(header::SET_COOKIE).is_none());
    assert_eq!(text_of(resp).await, (StatusCode::OK, "Fails.".to_owned()));
    let resp =
        cli.post("/api/v2/auth/login").form(&[("username", "nobody@example.com"), ("password", PASSWORD)]).send();
    assert_eq!(text_of(resp.await).await, (StatusCode::OK, "Fails.".to_owned()));

    let sid = login(&cli, EMAIL).await;
    let (status, version) = text_of(cli.get("/api/v2/app/webapiVersion").header("Cookie", &sid).send().await).await;
    assert_eq!((status, version.as_str()), (StatusCode::OK, "2.9.3"));
    let (_, version) = text_of(cli.get("/api/v2/app/version").header("Cookie", &sid).send().await).await;
    assert_eq!(version, "v4.6.7");

    // A page of another site cannot use the cookie.
    let resp = cli.get("/api/v2/torrents/info").header("Cookie", &sid).header("Origin", "https://evil.example").send();
    assert_eq!(text_of(resp.await).await.0, StatusCode::FORBIDDEN);

    // Logging out ends the session.
    cli.post("/api/v2/auth/logout").header("Cookie", &sid).send().await.assert_status_is_ok();
    let (status, _) = text_of(cli.get("/api/v2/torrents/info").header("Cookie", &sid).send().await).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn an_api_key_works_without_login_within_its_scopes() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let (cli, _) = app(dir.path());
    register(&cli, EMAIL).await;
    // The session `auth/login` made is a tseeder session: it makes keys through `/api/v1`.
    let sid = login(&cli, EMAIL).await;
    let session = format!("Bearer {}", sid.trim_start_matches("SID="));
    let created = cli
        .post("/api/v1/auth/api-keys")
        .header("Authorization", &session)
        .body_json(&json!({"name": "read", "scopes": ["jobs:read"]}))
        .send()
        .await;
    created.assert_status(StatusCode::CREATED);
    let created: Value = serde_json::from_str(&created.0.into_body().into_string().await.expect("text")).expect("JSON");
    let secret = created["secret"].as_str().expect("a secret").to_owned();
    let bearer = format!("Bearer {secret}");
    let listed = json_of(cli.get("/api/v2/torrents/info").header("Authorization", &bearer).send().await).await;
    assert_eq!(listed, json!([]));
    // Reading is allowed; adding needs `jobs:write`.
    let resp = cli.post("/api/v2/torrents/createCategory").header("Authorization", &bearer).form(&[("category", "tv")]);
    assert_eq!(text_of(resp.send().await).await, (StatusCode::FORBIDDEN, "Forbidden".to_owned()));
}

#[tokio::test]
async fn torrents_are_added_listed_labelled_and_deleted() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let (cli, core) = app(dir.path());
    register(&cli, EMAIL).await;
    let sid = login(&cli, EMAIL).await;
    let bytes = torrent("show.s01e01.mkv", 1000);
    let hash = TorrentMeta::parse(&bytes).expect("a torrent").infohash.to_hex();

    // Multipart, as the apps upload `.torrent` files, with a new category and two tags.
    let form = TestForm::new()
        .field(TestFormField::bytes(bytes.clone()).name("torrents").filename("a.torrent"))
        .text("category", "tv")
        .text("tags", "hd, sonarr");
    let resp = cli.post("/api/v2/torrents/add").header("Cookie", &sid).multipart(form).send().await;
    assert_eq!(text_of(resp).await, (StatusCode::OK, "Ok.".to_owned()));
    // Something that is not a torrent fails as qBittorrent says.
    let form = TestForm::new().field(TestFormField::bytes(b"nope".to_vec()).name("torrents").filename("b.torrent"));
    let resp = cli.post("/api/v2/torrents/add").header("Cookie", &sid).multipart(form).send().await;
    assert_eq!(text_of(resp).await.0, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    // URLs other than magnets are not fetched.
    let resp =
        cli.post("/api/v2/torrents/add").header("Cookie", &sid).form(&[("urls", "http://127.0.0.1:1/x.torrent")]);
    assert_eq!(text_of(resp.send().await).await, (StatusCode::OK, "Fails.".to_owned()));

    let listed = json_of(cli.get("/api/v2/torrents/info?category=tv").header("Cookie", &sid).send().await).await;
    let listed = listed.as_array().expect("a list");
    assert_eq!(listed.len(), 1, "{listed:?}");
    let t = &listed[0];
    assert_eq!(t["hash"], hash.as_str());
    assert_eq!(t["name"], "show.s01e01.mkv");
    assert_eq!(t["size"], 1000);
    assert_eq!(t["state"], "queuedDL");
    assert_eq!(t["category"], "tv");
    assert_eq!(t["tags"], "hd, sonarr");
    assert_eq!(t["progress"], 0.0);
    let (user, _) = core.ports.accounts.find_user_by_email(EMAIL).await.expect("lookup").expect("the user");
    let save_path = dir.path().join(user.id.to_string()).join("tv");
    assert_eq!(t["save_path"], save_path.display().to_string());
    assert_eq!(t["content_path"], save_path.join("show.s01e01.mkv").display().to_string());
    assert_ne!(t["save_path"], t["content_path"]);
    // Other filters.
    let empty = json_of(cli.get("/api/v2/torrents/info?category=movies").header("Cookie", &sid).send().await).await;
    assert_eq!(empty, json!([]));
    let uncategorised = json_of(cli.get("/api/v2/torrents/info?category=").header("Cookie", &sid).send().await).await;
    assert_eq!(uncategorised, json!([]));
    let by_hash = json_of(cli.get(format!("/api/v2/torrents/info?hashes={hash}")).header("Cookie", &sid).send().await);
    assert_eq!(by_hash.await.as_array().map(Vec::len), Some(1));

    // The same filter in `/api/v1`, for the session the login made.
    let session = format!("Bearer {}", sid.trim_start_matches("SID="));
    let v1 = json_of(cli.get("/api/v1/jobs?category=tv").header("Authorization", &session).send().await).await;
    assert_eq!(v1["data"][0]["infohash"], hash.as_str(), "{v1}");
    let v1 = json_of(cli.get("/api/v1/jobs?tag=nope").header("Authorization", &session).send().await).await;
    assert_eq!(v1["data"], json!([]));
    let resp = cli.get("/api/v1/jobs?category=..").header("Authorization", &session).send().await;
    let (status, body) = text_of(resp).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(body.contains("invalid_label"), "{body}");
    let resp = cli.get("/api/v1/jobs?category=tv&tag=hd").header("Authorization", &session).send().await;
    assert_eq!(text_of(resp).await.0, StatusCode::BAD_REQUEST, "one of them");

    // The files of a `.torrent` are known before they download.
    let files = json_of(cli.get(format!("/api/v2/torrents/files?hash={hash}")).header("Cookie", &sid).send().await);
    let files = files.await;
    assert_eq!(files[0]["name"], "show.s01e01.mkv");
    assert_eq!(files[0]["size"], 1000);
    let props =
        json_of(cli.get(format!("/api/v2/torrents/properties?hash={hash}")).header("Cookie", &sid).send().await);
    let props = props.await;
    assert_eq!(props["save_path"], save_path.display().to_string());
    assert_eq!(props["total_size"], 1000);

    // Unknown hashes are 404; categories must exist to be set.
    let unknown = "0".repeat(40);
    for path in ["properties", "files"] {
        let resp = cli.get(format!("/api/v2/torrents/{path}?hash={unknown}")).header("Cookie", &sid).send().await;
        assert_eq!(text_of(resp).await, (StatusCode::NOT_FOUND, "Not Found".to_owned()), "{path}");
    }
    let resp = cli
        .post("/api/v2/torrents/setCategory")
        .header("Cookie", &sid)
        .form(&[("hashes", hash.as_str()), ("category", "movies")]);
    assert_eq!(text_of(resp.send().await).await.0, StatusCode::CONFLICT);
    let resp = cli.post("/api/v2/torrents/createCategory").header("Cookie", &sid).form(&[("category", "movies")]);
    assert_eq!(text_of(resp.send().await).await, (StatusCode::OK, String::new()));
    let resp = cli.post("/api/v2/torrents/createCategory").header("Cookie", &sid).form(&[("category", "movies")]);
    assert_eq!(text_of(resp.send().await).await.0, StatusCode::CONFLICT, "it exists");
    let resp = cli.post("/api/v2/torrents/createCategory").header("Cookie", &sid).form(&[("category", "../etc")]);
    assert_eq!(text_of(resp.send().await).await.0, StatusCode::CONFLICT, "not a folder name");
    let resp = cli
        .post("/api/v2/torrents/setCategory")
        .header("Cookie", &sid)
        .form(&[("hashes", hash.as_str()), ("category", "movies")]);
    resp.send().await.assert_status_is_ok();
    let categories = json_of(cli.get("/api/v2/torrents/categories").header("Cookie", &sid).send().await).await;
    assert_eq!(categories["movies"]["name"], "movies");
    assert_eq!(
        categories["movies"]["savePath"],
        dir.path().join(user.id.to_string()).join("movies").display().to_string()
    );
    assert!(categories.get("tv").is_some());

    let resp = cli
        .post("/api/v2/torrents/removeTags")
        .header("Cookie", &sid)
        .form(&[("hashes", hash.as_str()), ("tags", "hd")]);
    resp.send().await.assert_status_is_ok();
    let tags = json_of(cli.get("/api/v2/torrents/tags").header("Cookie", &sid).send().await).await;
    assert_eq!(tags, json!(["hd", "sonarr"]), "the catalogue keeps removed tags");
    let t = json_of(cli.get("/api/v2/torrents/info").header("Cookie", &sid).send().await).await;
    assert_eq!((t[0]["category"].clone(), t[0]["tags"].clone()), (json!("movies"), json!("sonarr")));

    // Pause and resume (GET-style parameters in the body, as the apps send them).
    let resp = cli.post("/api/v2/torrents/pause").header("Cookie", &sid).form(&[("hashes", "all")]).send().await;
    resp.assert_status_is_ok();
    let t = json_of(cli.get("/api/v2/torrents/info").header("Cookie", &sid).send().await).await;
    assert_eq!(t[0]["state"], "pausedDL");
    cli.post("/api/v2/torrents/resume")
        .header("Cookie", &sid)
        .form(&[("hashes", hash.as_str())])
        .send()
        .await
        .assert_status_is_ok();
    let t = json_of(cli.get("/api/v2/torrents/info").header("Cookie", &sid).send().await).await;
    assert_eq!(t[0]["state"], "queuedDL");

    // Priorities do not apply: queueing is off.
    let resp = cli.post("/api/v2/torrents/topPrio").header("Cookie", &sid).form(&[("hashes", hash.as_str())]);
    assert_eq!(text_of(resp.send().await).await.0, StatusCode::CONFLICT);

    // Another user sees none of it.
    register(&cli, "radarr@example.com").await;
    let other = login(&cli, "radarr@example.com").await;
    assert_eq!(json_of(cli.get("/api/v2/torrents/info").header("Cookie", &other).send().await).await, json!([]));
    assert_eq!(json_of(cli.get("/api/v2/torrents/categories").header("Cookie", &other).send().await).await, json!({}));
    let resp = cli
        .post("/api/v2/torrents/delete")
        .header("Cookie", &other)
        .form(&[("hashes", hash.as_str()), ("deleteFiles", "true")]);
    resp.send().await.assert_status_is_ok();
    assert_eq!(
        json_of(cli.get("/api/v2/torrents/info").header("Cookie", &sid).send().await).await.as_array().map(Vec::len),
        Some(1)
    );

    // Deleting cancels and removes the job.
    let resp = cli
        .post("/api/v2/torrents/delete")
        .header("Cookie", &sid)
        .form(&[("hashes", hash.as_str()), ("deleteFiles", "true")]);
    resp.send().await.assert_status_is_ok();
    assert_eq!(json_of(cli.get("/api/v2/torrents/info").header("Cookie", &sid).send().await).await, json!([]));
    assert!(
        core.ports.audit.list_audit(&Default::default(), tseeder_core::domain::PageRequest::new(1, 100)).await.is_ok()
    );
}

#[tokio::test]
async fn preferences_tell_the_truth_about_tseeder() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let (cli, core) = app(dir.path());
    register(&cli, EMAIL).await;
    let sid = login(&cli, EMAIL).await;
    let prefs = json_of(cli.get("/api/v2/app/preferences").header("Cookie", &sid).send().await).await;
    let (user, _) = core.ports.accounts.find_user_by_email(EMAIL).await.expect("lookup").expect("the user");
    assert_eq!(prefs["save_path"], dir.path().join(user.id.to_string()).display().to_string());
    assert_eq!(prefs["queueing_enabled"], false);
    assert_eq!((prefs["max_ratio_enabled"].clone(), prefs["max_ratio"].clone()), (json!(true), json!(0)));
    assert_eq!(prefs["dht"], true, "the default engine looks for peers");
    let (status, body) = text_of(cli.get("/api/v2/app/nothing").header("Cookie", &sid).send().await).await;
    assert_eq!((status, body.as_str()), (StatusCode::NOT_FOUND, "Not Found"));
}

#[tokio::test]
async fn the_prefix_is_configurable_and_can_be_off() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let db = InMemoryDb::with_plans([plan()]);
    let core = Tseeder::new(db.ports(Arc::new(ManualClock::new(Utc::now()))), CoreConfig::default());
    let mut http = HttpConfig::default();
    http.qbittorrent.path = "/qbt/api/v2".into();
    let cli = TestClient::new(tseeder_http::app(AppState::new(core.clone(), http.clone())));
    let (status, body) = text_of(cli.get("/qbt/api/v2/app/version").send().await).await;
    assert_eq!((status, body.as_str()), (StatusCode::FORBIDDEN, "Forbidden"));
    http.qbittorrent.path = String::new();
    let cli = TestClient::new(tseeder_http::app(AppState::new(core, http)));
    let resp = cli.get("/api/v2/app/version").send().await;
    resp.assert_status(StatusCode::NOT_FOUND);
    drop(dir);
}
