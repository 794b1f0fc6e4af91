//! Adding a download: paste a magnet or upload a `.torrent`, see its files and what it costs
//! against the plan (the core's preview, as `POST /api/v1/jobs/preview`), pick files, submit
//! (the core's submission, as `POST /api/v1/jobs`).

use askama::Template;
use data_encoding::BASE64;
use poem::http::StatusCode;
use poem::web::Multipart;
use poem::{Body, Request, Response, handler};
use tseeder_core::domain::TorrentMeta;
use tseeder_core::services::account::verify_csrf;
use tseeder_core::services::job::{JobPreview, PREVIEW_METADATA_TIMEOUT, SubmitJob, SubmitSource};
use tseeder_http::console::{Console, PublicError, request_meta};

use crate::page::{Chrome, FormData, csrf_refused, human_size, redirect_notice, render, to_login, viewer};

#[derive(Template)]
#[template(path = "add.html")]
struct AddPage {
    chrome: Chrome,
    magnet: String,
    error: String,
    /// Set when a magnet could not be previewed here: it can still be submitted as is.
    magnet_fallback: bool,
}

/// A file of a preview as listed.
#[derive(Debug, Clone)]
struct PreviewRow {
    index: usize,
    path: String,
    size: String,
    bytes: u64,
}

#[derive(Template)]
#[template(path = "preview.html")]
struct PreviewPage {
    chrome: Chrome,
    name: String,
    infohash: String,
    kind: &'static str,
    magnet: String,
    torrent_b64: String,
    total: String,
    files: Vec<PreviewRow>,
    plan: String,
    storage_used: String,
    storage_left: String,
    /// Bytes left, for the script that re-checks the selection; empty for unlimited.
    left_bytes: String,
    fits: bool,
    /// Whether the refusal is only about storage (the script then re-checks the selection).
    storage_refusal: bool,
    refusal: String,
    active_jobs: u64,
    max_jobs: String,
}

fn add_view(chrome: Chrome, magnet: String, error: String, magnet_fallback: bool) -> AddPage {
    AddPage { chrome, magnet, error, magnet_fallback }
}

/// `GET /add`.
#[handler]
pub(crate) async fn add_page(console: Console, req: &Request) -> Response {
    let Some(viewer) = viewer(&console, req).await else { return to_login(&console, req) };
    let chrome = Chrome::new(&console, Some(&viewer), "Add a download", "add").with_notice(req);
    render(StatusCode::OK, &add_view(chrome, String::new(), String::new(), false))
}

/// What the add form sent.
#[derive(Debug, Default)]
struct AddForm {
    csrf: String,
    magnet: String,
    torrent: Vec<u8>,
}

async fn read_add_form(mut multipart: Multipart) -> Result<AddForm, String> {
    let mut form = AddForm::default();
    loop {
        let field = match multipart.next_field().await {
            Ok(Some(field)) => field,
            Ok(None) => break,
            Err(e) => return Err(format!("the form could not be read: {e}")),
        };
        match field.name() {
            Some("csrf") => form.csrf = field.text().await.unwrap_or_default(),
            Some("magnet") => form.magnet = field.text().await.unwrap_or_default().trim().to_owned(),
            Some("torrent") => {
                let bytes = field.bytes().await.map_err(|e| format!("the file could not be read: {e}"))?;
                if bytes.len() > TorrentMeta::MAX_BYTES {
                    return Err(format!(
                        "the .torrent file is larger than {}",
                        human_size(TorrentMeta::MAX_BYTES as u64)
                    ));
                }
                form.torrent = bytes;
            }
            _ => {}
        }
    }
    Ok(form)
}

fn preview_page(chrome: Chrome, preview: JobPreview, magnet: String, torrent: &[u8]) -> PreviewPage {
    let cost = &preview.cost;
    PreviewPage {
        name: preview.name.clone(),
        infohash: preview.infohash.to_hex(),
        kind: preview.source_kind,
        magnet,
        torrent_b64: if torrent.is_empty() { String::new() } else { BASE64.encode(torrent) },
        total: human_size(preview.total_bytes),
        files: preview
            .files
            .iter()
            .enumerate()
            .map(|(index, f)| PreviewRow {
                index,
                path: f.path.as_str().to_owned(),
                size: human_size(f.size),
                bytes: f.size,
            })
            .collect(),
        plan: cost.plan.clone(),
        storage_used: human_size(cost.storage_used_bytes),
        storage_left: cost.storage_left_bytes.map_or_else(|| "unlimited".into(), human_size),
        left_bytes: cost.storage_left_bytes.map(|b| b.to_string()).unwrap_or_default(),
        fits: cost.fits,
        storage_refusal: !cost.fits && cost.storage_left_bytes.is_some_and(|left| preview.total_bytes > left),
        refusal: cost.refusal.clone().unwrap_or_default(),
        active_jobs: cost.active_jobs,
        max_jobs: cost.max_active_jobs.map_or_else(|| "unlimited".into(), |n| n.to_string()),
        chrome,
    }
}

/// `POST /add/preview` (multipart: `magnet` or `torrent`, and `csrf`): the files and the cost.
#[handler]
pub(crate) async fn show_preview(console: Console, req: &Request, multipart: Multipart) -> Response {
    let Some(viewer) = viewer(&console, req).await else { return to_login(&console, req) };
    let chrome = Chrome::new(&console, Some(&viewer), "Add a download", "add");
    let form = match read_add_form(multipart).await {
        Ok(form) => form,
        Err(error) => return render(StatusCode::BAD_REQUEST, &add_view(chrome, String::new(), error, false)),
    };
    if !verify_csrf(&viewer.token, &form.csrf) {
        return csrf_refused(chrome);
    }
    let source = match (form.magnet.is_empty(), form.torrent.is_empty()) {
        (true, true) => {
            let error = "Paste a magnet link or choose a .torrent file.".to_owned();
            return render(StatusCode::BAD_REQUEST, &add_view(chrome, String::new(), error, false));
        }
        (_, false) => SubmitSource::Torrent(form.torrent.clone()),
        (false, true) => SubmitSource::Magnet(form.magnet.clone()),
    };
    if let Err(limited) = console.limit_submission(viewer.user.id) {
        let error = format!("You are adding downloads too fast. Try again in {} s.", limited.retry_after_secs);
        return render(StatusCode::TOO_MANY_REQUESTS, &add_view(chrome, form.magnet, error, false));
    }
    match console.core().jobs.preview(&viewer.principal, source, PREVIEW_METADATA_TIMEOUT).await {
        Ok(preview) => {
            let magnet = if form.torrent.is_empty() { form.magnet } else { String::new() };
            let page = preview_page(Chrome { title: "Choose files".into(), ..chrome }, preview, magnet, &form.torrent);
            render(StatusCode::OK, &page)
        }
        Err(e) => {
            let error = PublicError::from(e);
            let fallback = form.torrent.is_empty() && matches!(error.code, "preview_unavailable" | "metadata_timeout");
            let message = if fallback {
                format!("{} You can still add it: the files are then chosen for you (all of them).", error.message)
            } else {
                error.message
            };
            render(error.status, &add_view(chrome, form.magnet, message, fallback))
        }
    }
}

fn submission(form: &FormData) -> Result<SubmitJob, String> {
    let source = match form.get("kind") {
        Some("torrent") => {
            let b64 = form.get("torrent_b64").unwrap_or_default();
            SubmitSource::Torrent(
                BASE64.decode(b64.as_bytes()).map_err(|_| "the torrent was damaged on the way; upload it again")?,
            )
        }
        _ => SubmitSource::Magnet(form.get("magnet").unwrap_or_default().to_owned()),
    };
    let count: usize = form.get("file_count").and_then(|c| c.parse().ok()).unwrap_or(0);
    let picked: Vec<u32> = form.all("files").into_iter().filter_map(|f| f.parse().ok()).collect();
    let files = if form.get("kind") == Some("magnet") && count == 0 {
        None
    } else if picked.is_empty() {
        return Err("Pick at least one file.".into());
    } else if picked.len() == count {
        None
    } else {
        Some(picked)
    };
    let name = form.get("name").map(str::trim).filter(|n| !n.is_empty()).map(str::to_owned);
    Ok(SubmitJob { source, name, idempotency_key: None, files, region_hint: None })
}

/// `POST /add/submit`: queues the download with the picked files.
#[handler]
pub(crate) async fn submit(console: Console, req: &Request, body: Body) -> Response {
    let Some(viewer) = viewer(&console, req).await else { return to_login(&console, req) };
    let chrome = Chrome::new(&console, Some(&viewer), "Add a download", "add");
    let form = FormData::parse(&body.into_vec().await.unwrap_or_default());
    if !form.csrf_ok(&viewer) {
        return csrf_refused(chrome);
    }
    let magnet = form.get("magnet").unwrap_or_default().to_owned();
    let request = match submission(&form) {
        Ok(request) => request,
        Err(error) => return render(StatusCode::BAD_REQUEST, &add_view(chrome, magnet, error, false)),
    };
    if let Err(limited) = console.limit_submission(viewer.user.id) {
        let error = format!("You are adding downloads too fast. Try again in {} s.", limited.retry_after_secs);
        return render(StatusCode::TOO_MANY_REQUESTS, &add_view(chrome, magnet, error, false));
    }
    match console.core().jobs.submit(&viewer.principal, request, &request_meta(req)).await {
        Ok(outcome) => {
            let notice = if outcome.created { "Download added." } else { "You already have this download." };
            redirect_notice(&format!("{}/jobs/{}", chrome.base, outcome.job.id), notice)
        }
        Err(e) => {
            let error = PublicError::from(e);
            render(error.status, &add_view(chrome, magnet, error.message, false))
        }
    }
}
