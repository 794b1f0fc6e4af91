//! The generated Rust client, `tseeder-client`, against the real server and engine: one user's
//! whole way from signing up to downloading files, every request but one through the client
//! (the `.torrent` upload is multipart, which the generated client cannot send).

use std::time::Duration;

use futures::StreamExt as _;
use serde_json::Value;
use tokio::time::Instant;
use tseeder_client::types::{self, JobStatus, Scope, SourceKind};
use tseeder_client::{ByteStream, Client, ConnectError, ResponseValue};
use uuid::Uuid;

use crate::common::{PASSWORD, TestApp, on_every_backend};
use crate::downloads::{sha256, torrent_form};

on_every_backend!(downloading: generated_client_signs_up_submits_follows_and_downloads);

const MIB: u64 = 1024 * 1024;

async fn generated_client_signs_up_submits_follows_and_downloads(app: &TestApp) {
    let email = "client@example.com";

    // Sign up, then log in: a cookie session whose client sends the CSRF token.
    let anonymous = Client::new(&app.base);
    let registered = anonymous.register().body_map(|form| form.email(email).password(PASSWORD)).send().await.unwrap();
    assert_eq!(registered.status(), 201);
    let user = registered.into_inner().user;
    assert_eq!(user.email, email);
    match Client::log_in(&app.base, email, "not the password 1").await.map(|(_, login)| login) {
        Err(ConnectError::Login(refused)) => match *refused {
            tseeder_client::Error::ErrorResponse(refused) => {
                assert_eq!((refused.status().as_u16(), refused.error.code.as_str()), (401, "bad_credentials"));
            }
            other => panic!("a wrong password is refused with the error body: {other:?}"),
        },
        other => panic!("a wrong password is refused: {other:?}"),
    }
    let (session, login) = Client::log_in(&app.base, email, PASSWORD).await.unwrap();
    assert_eq!(login.user.id, user.id);

    // Minting a key is a state-changing cookie request: it passes only with the CSRF header.
    let key = session
        .create_api_key()
        .body_map(|key| {
            key.name("client e2e")
                .scopes(vec![Scope::JobsRead, Scope::JobsWrite, Scope::AccountRead])
                .expires_in_days(std::num::NonZeroU32::new(1))
        })
        .send()
        .await
        .unwrap();
    assert_eq!(key.status(), 201);
    assert!(key.secret.starts_with("tsk_"), "{:?}", key.key);
    let api = Client::with_api_key(&app.base, &key.secret).unwrap();
    let me = api.me().send().await.unwrap();
    assert_eq!(me.user.id, user.id);
    assert_eq!(me.csrf_token, None, "a bearer caller needs no CSRF token");

    // Documented errors arrive typed, with their stable code.
    match api.get_job().id(Uuid::new_v4()).send().await {
        Err(tseeder_client::Error::ErrorResponse(missing)) => {
            assert_eq!((missing.status().as_u16(), missing.error.code.as_str()), (404, "job_not_found"));
        }
        other => panic!("an unknown job is a 404: {other:?}"),
    }

    // A `.torrent` from the seeder, uploaded as multipart (outside the generated client).
    let movie_path = app.payload("client/movie.mkv", 2 * MIB + 11, 31);
    let movie = std::fs::read(&movie_path).unwrap();
    let seeded_movie = app.seeder().seed(&movie_path).await.unwrap();
    let res = reqwest::Client::new()
        .post(app.url("/jobs"))
        .bearer_auth(&key.secret)
        .multipart(torrent_form(seeded_movie.torrent_bytes.clone()))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 201);
    let uploaded: types::Job = res.json().await.unwrap();
    assert_eq!(
        (uploaded.source_kind, uploaded.infohash.as_str()),
        (SourceKind::Torrent, seeded_movie.infohash_hex.as_str())
    );

    // A magnet of a folder, through the generated client, with an idempotency key.
    let tracks = [("client-album/01.flac", MIB + 3), ("client-album/02.flac", 70_001)];
    let track_bytes: Vec<Vec<u8>> = tracks
        .iter()
        .zip(40..)
        .map(|((path, size), seed)| std::fs::read(app.payload(path, *size, seed)).unwrap())
        .collect();
    let seeded_album = app.seeder().seed(&app.dir.path().join("payloads/client-album")).await.unwrap();
    let submit = || {
        api.create_job()
            .idempotency_key("client-e2e-album")
            .body_map(|job| job.magnet_uri(seeded_album.magnet.as_str()))
            .send()
    };
    let created = submit().await.unwrap();
    assert_eq!(created.status(), 201);
    assert_eq!(created.source_kind, SourceKind::Magnet);
    assert_eq!(created.total_bytes, None, "a magnet's size is unknown until its metadata arrives");
    let album = created.into_inner();
    let again = submit().await.unwrap();
    assert_eq!((again.status().as_u16(), again.id), (200, album.id), "the same key returns the first job");
    assert_eq!(again.headers()["x-deduplicated"], "true");

    // Follow the magnet job on its live stream, and the upload by polling.
    let events = follow_events(&api, album.id).await;
    let statuses: Vec<&str> = events
        .iter()
        .filter(|(event, _)| event == "status_changed")
        .filter_map(|(_, data)| data["payload"]["to"].as_str())
        .collect();
    assert_eq!(statuses.last(), Some(&"completed"), "{events:?}");
    let (last, end) = events.last().unwrap();
    assert_eq!((last.as_str(), &end["status"]), ("end", &Value::from("completed")), "{events:?}");
    let album = wait_until_completed(&api, album.id).await;
    assert_eq!(album.name, "client-album", "the torrent's name replaces the bare infohash");
    assert_eq!(album.total_bytes, Some(tracks.iter().map(|t| t.1).sum::<u64>()));
    let movie_job = wait_until_completed(&api, uploaded.id).await;
    assert_eq!(movie_job.progress_pct, Some(100.0));

    // Both are listed, newest first by default; the status filter goes through as a query.
    let listed = api.list_jobs().status(JobStatus::Completed).send().await.unwrap();
    let ids: Vec<Uuid> = listed.data.iter().map(|job| job.id).collect();
    assert_eq!(listed.meta.total, 2, "{ids:?}");
    assert!(ids.contains(&album.id) && ids.contains(&movie_job.id), "{ids:?}");
    let queued = api.list_jobs().status(JobStatus::Queued).send().await.unwrap();
    assert_eq!(queued.meta.total, 0);

    // Every file downloads whole, byte for byte; a range comes back as 206 with just those bytes.
    let files = api.list_job_files().id(album.id).send().await.unwrap().into_inner().files;
    let got: Vec<(&str, u64)> = files.iter().map(|f| (f.path.as_str(), f.size_bytes)).collect();
    assert_eq!(got, tracks, "every file, ordered by path");
    for (file, want) in files.iter().zip(&track_bytes) {
        let whole = api.download_file().id(file.id).send().await.unwrap();
        assert_eq!(whole.status(), 200);
        assert_eq!(sha256(&body_of(whole).await), sha256(want), "{}", file.path);
    }
    let movie_files = api.list_job_files().id(movie_job.id).send().await.unwrap().into_inner().files;
    assert_eq!(movie_files.len(), 1);
    let whole = api.download_file().id(movie_files[0].id).send().await.unwrap();
    assert_eq!(sha256(&body_of(whole).await), sha256(&movie));
    let part = api.download_file().id(movie_files[0].id).range("bytes=1000-1999").send().await.unwrap();
    assert_eq!(part.status(), 206);
    assert_eq!(body_of(part).await, &movie[1000..2000]);
}

/// Polls `getJob` until the job completes; fails at once if it fails or is cancelled.
async fn wait_until_completed(api: &Client, id: Uuid) -> types::Job {
    let deadline = Instant::now() + Duration::from_secs(120);
    loop {
        let job = api.get_job().id(id).send().await.unwrap().into_inner();
        match job.status {
            JobStatus::Completed => return job,
            JobStatus::Failed | JobStatus::Cancelled => panic!("the job ended as {job:?}"),
            _ => {}
        }
        assert!(Instant::now() < deadline, "the job never completed: {job:?}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Reads `streamJobEvents` (Server-Sent Events) until the server's `end` event: each event's
/// name and its data as JSON.
async fn follow_events(api: &Client, id: Uuid) -> Vec<(String, Value)> {
    let res = api.stream_job_events().id(id).send().await.unwrap();
    assert_eq!(res.status(), 200);
    assert!(res.headers()["content-type"].to_str().unwrap().starts_with("text/event-stream"));
    let mut body = res.into_inner_stream();
    let mut buf = String::new();
    let mut events = Vec::new();
    let deadline = Instant::now() + Duration::from_secs(120);
    while let Some(chunk) = tokio::time::timeout_at(deadline, body.next()).await.expect("the stream ends in time") {
        buf.push_str(&String::from_utf8_lossy(&chunk.unwrap()));
        while let Some(end) = buf.find("\n\n") {
            let block: String = buf.drain(..end + 2).collect();
            let (mut event, mut data) = (String::new(), String::new());
            for line in block.lines() {
                if let Some(v) = line.strip_prefix("event:") {
                    event = v.trim().to_owned();
                } else if let Some(v) = line.strip_prefix("data:") {
                    data.push_str(v.trim_start());
                }
            }
            if event.is_empty() && data.is_empty() {
                continue; // a keep-alive comment
            }
            let done = event == "end";
            events.push((event, serde_json::from_str(&data).unwrap_or(Value::String(data))));
            if done {
                return events;
            }
        }
    }
    panic!("the stream closed before its end event: {events:?}");
}

/// The whole body of a download.
async fn body_of(res: ResponseValue<ByteStream>) -> Vec<u8> {
    let mut body = res.into_inner_stream();
    let mut bytes = Vec::new();
    while let Some(chunk) = body.next().await {
        bytes.extend_from_slice(&chunk.unwrap());
    }
    bytes
}
