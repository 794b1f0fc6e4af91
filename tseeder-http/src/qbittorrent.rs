//! The qBittorrent-compatible API: the part of qBittorrent's Web API v2 that download managers
//! (Sonarr, Radarr, Lidarr, Prowlarr) call when tseeder is set up as their "qBittorrent"
//! download client, answered from the same core services as `/api/v1` (the same quotas,
//! blocklist, visibility rules and audit entries).
//!
//! It speaks qBittorrent's dialect, not the rest of the API's: form-encoded parameters (in the
//! query or the body), plain-text answers (`Ok.`, `Fails.`), qBittorrent's status codes (403
//! before login, 404 for an unknown hash, 409 for an unknown category) and its JSON shapes.
//!
//! - **Version.** `app/webapiVersion` answers `2.9.3` and `app/version` `v4.6.7`: the qBittorrent
//!   release whose API this implements. Clients pick endpoint names by version (from API 2.11,
//!   qBittorrent 5, `pause`/`resume` became `stop`/`start`); 2.9.3 keeps them on the names
//!   implemented here. `stop` and `start` are answered too.
//! - **Login.** `auth/login` takes the tseeder account's email as `username` and its password,
//!   and sets the `SID` cookie (a tseeder session). `Authorization: Bearer <API key>` works
//!   without logging in. Cookie requests whose `Origin` or `Referer` names another host are
//!   refused, as qBittorrent does.
//! - **Torrents** are the caller's own jobs, one per infohash (the newest). The `hash` is the v1
//!   infohash. Adding takes magnet links in `urls` and `.torrent` uploads in `torrents`; other
//!   URLs are refused (fetching them would let clients make the server call any address).
//! - **Paths.** `save_path` is the caller's folder of the completed-files location (with the
//!   category's subfolder) and `content_path` the job's content in it, where finished jobs are
//!   placed ([`tseeder_core::services::CompletedFiles`]).
//! - **What does not apply.** tseeder does not seed: ratio and seeding-time limits read as 0
//!   (reached at completion), and `setShareLimits` changes nothing. It has no client-controlled
//!   queue: `queueing_enabled` is false and the priority calls answer 409, as qBittorrent does
//!   with queueing off. `setForceStart` changes nothing: jobs start as soon as an engine is free.

mod state;

use std::collections::HashSet;
use std::sync::Arc;

use chrono::{DateTime, Utc};
use poem::http::{HeaderValue, StatusCode, header};
use poem::web::Multipart;
use poem::{Body, Endpoint, FromRequest, Request, RequestBody, Response};
use serde_json::{Value, json};
use tseeder_core::auth::Principal;
use tseeder_core::domain::{Job, JobLabels, JobStatus, LabelKind, PageRequest, StoredFile, check_label};
use tseeder_core::error::{ErrorCode, ServiceError};
use tseeder_core::ports::JobSort;
use tseeder_core::services::job::{ListJobs, SubmitJob, SubmitSource};
use tseeder_core::services::{CompletedFiles, RequestMeta};

use crate::auth::{clear_cookie_named, session_cookie_named};
use crate::error::ApiError;
use crate::request::RequestContext;
use crate::state::Shared;
use state::{Facts, qbt_state};

/// The qBittorrent release whose Web API this implements (see the module docs).
pub(crate) const APP_VERSION: &str = "v4.6.7";
/// Its Web API version.
pub(crate) const WEB_API_VERSION: &str = "2.9.3";
/// The session cookie's name, as qBittorrent names it.
pub(crate) const SID_COOKIE: &str = "SID";
/// qBittorrent's "no estimate" for `eta`: 100 days.
const ETA_UNKNOWN: u64 = 8_640_000;
/// The most jobs a listing reads.
const MAX_LISTED: u64 = 10_000;

/// Marks a response the outer layer passes as it is (qBittorrent's plain-text errors).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Verbatim;

/// The endpoint answering every path under the configured prefix (nested, so it sees
/// `/torrents/info`).
#[derive(Debug, Clone, Copy)]
pub(crate) struct QbittorrentApi;

impl Endpoint for QbittorrentApi {
    type Output = Response;

    async fn call(&self, req: Request) -> poem::Result<Response> {
        let Some(shared) = req.data::<Arc<Shared>>().cloned() else {
            tracing::error!("the application state is missing from the request");
            return Ok(text(StatusCode::INTERNAL_SERVER_ERROR, "internal error"));
        };
        let meta = req.extensions().get::<RequestContext>().map(|c| c.meta.clone()).unwrap_or_default();
        let path = req.uri().path().trim_matches('/').to_owned();
        let (req, mut body) = req.split();
        let params = match Params::read(&req, body.take().unwrap_or_default()).await {
            Ok(params) => params,
            Err(resp) => return Ok(resp),
        };
        let call = Call { shared: &shared, req: &req, params, meta };
        Ok(call.answer(&path).await.unwrap_or_else(failure))
    }
}

/// A plain-text response with qBittorrent's content type.
fn text(status: StatusCode, body: impl Into<String>) -> Response {
    let mut resp = Response::builder().status(status).content_type("text/plain; charset=UTF-8").body(body.into());
    resp.extensions_mut().insert(Verbatim);
    resp
}

fn ok_text(body: &str) -> Response {
    text(StatusCode::OK, body)
}

fn json_response(value: &Value) -> Response {
    let mut resp = Response::builder().content_type("application/json").body(value.to_string());
    resp.extensions_mut().insert(Verbatim);
    resp
}

fn forbidden() -> Response {
    text(StatusCode::FORBIDDEN, "Forbidden")
}

fn not_found() -> Response {
    text(StatusCode::NOT_FOUND, "Not Found")
}

/// A service refusal in qBittorrent's dialect: its status (404, 409, 400...) and message as
/// text; internal failures are logged and say only "internal error".
fn failure(err: ServiceError) -> Response {
    let api = ApiError::from(err);
    let status = api.status_code();
    match status {
        StatusCode::UNAUTHORIZED | StatusCode::FORBIDDEN => forbidden(),
        StatusCode::NOT_FOUND => not_found(),
        _ => text(status, api.message()),
    }
}

/// The request's parameters: the query's, then the form body's (URL-encoded or multipart), and
/// the `.torrent` files uploaded.
#[derive(Debug, Default)]
struct Params {
    fields: Vec<(String, String)>,
    torrents: Vec<Vec<u8>>,
}

impl Params {
    async fn read(req: &Request, body: Body) -> Result<Self, Response> {
        let bad = || text(StatusCode::BAD_REQUEST, "Bad Request");
        let mut params = Self::default();
        if let Some(query) = req.uri().query() {
            params.fields = serde_urlencoded::from_str(query).map_err(|_| bad())?;
        }
        let content_type = req.content_type().unwrap_or_default().to_ascii_lowercase();
        if content_type.starts_with("application/x-www-form-urlencoded") {
            let bytes = body.into_vec().await.map_err(|_| bad())?;
            let fields: Vec<(String, String)> = serde_urlencoded::from_bytes(&bytes).map_err(|_| bad())?;
            params.fields.extend(fields);
        } else if content_type.starts_with("multipart/form-data") {
            let mut body = RequestBody::new(body);
            let mut multipart = Multipart::from_request(req, &mut body).await.map_err(|_| bad())?;
            while let Some(field) = multipart.next_field().await.map_err(|_| bad())? {
                let name = field.name().unwrap_or_default().to_owned();
                let is_file = field.file_name().is_some();
                let bytes = field.bytes().await.map_err(|_| bad())?;
                // qBittorrent takes every uploaded file as a torrent, whatever its field's name
                // (`torrents` in its docs; `torrent__0`, `torrent__1`... from some clients).
                if is_file {
                    params.torrents.push(bytes);
                } else {
                    params.fields.push((name, String::from_utf8(bytes).map_err(|_| bad())?));
                }
            }
        }
        Ok(params)
    }

    /// The last value of `name`.
    fn get(&self, name: &str) -> Option<&str> {
        self.fields.iter().rev().find(|(n, _)| n == name).map(|(_, v)| v.as_str())
    }

    /// `name` is `true`.
    fn flag(&self, name: &str) -> bool {
        self.get(name).is_some_and(|v| v.eq_ignore_ascii_case("true"))
    }

    /// The torrents `hashes` names: `all`, or `|`-separated infohashes (lowercased).
    fn hashes(&self) -> Hashes {
        match self.get("hashes").or_else(|| self.get("hash")).map(str::trim) {
            Some("all") => Hashes::All,
            Some(list) => {
                Hashes::Some(list.split('|').map(|h| h.trim().to_ascii_lowercase()).filter(|h| !h.is_empty()).collect())
            }
            None => Hashes::Some(HashSet::new()),
        }
    }

    /// A comma-separated list (tags).
    fn list(&self, name: &str) -> Vec<String> {
        self.get(name)
            .map(|v| v.split(',').map(|t| t.trim().to_owned()).filter(|t| !t.is_empty()).collect())
            .unwrap_or_default()
    }
}

/// Which torrents a request names.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Hashes {
    All,
    Some(HashSet<String>),
}

impl Hashes {
    fn names(&self, job: &Job) -> bool {
        match self {
            Self::All => true,
            Self::Some(set) => set.contains(&job.infohash.to_hex()),
        }
    }
}

/// One request being answered.
struct Call<'a> {
    shared: &'a Shared,
    req: &'a Request,
    params: Params,
    meta: RequestMeta,
}

type Answer = Result<Response, ServiceError>;

impl Call<'_> {
    async fn answer(&self, path: &str) -> Answer {
        if path == "auth/login" {
            return self.login().await;
        }
        let Some(principal) = self.authenticate().await else { return Ok(forbidden()) };
        let p = &principal;
        match path {
            "auth/logout" => self.logout(p).await,
            "app/version" => Ok(ok_text(APP_VERSION)),
            "app/webapiVersion" => Ok(ok_text(WEB_API_VERSION)),
            "app/preferences" => Ok(json_response(&self.preferences(p))),
            "app/defaultSavePath" => Ok(ok_text(&self.save_path(p, None))),
            "torrents/info" => self.info(p).await,
            "torrents/properties" => self.properties(p).await,
            "torrents/files" => self.files(p).await,
            "torrents/add" => self.add(p).await,
            "torrents/delete" => self.delete(p).await,
            "torrents/pause" | "torrents/stop" => self.each(p, Change::Pause).await,
            "torrents/resume" | "torrents/start" => self.each(p, Change::Resume).await,
            "torrents/setCategory" => self.set_category(p).await,
            "torrents/categories" => self.categories(p).await,
            "torrents/createCategory" => self.create_category(p).await,
            "torrents/editCategory" => self.edit_category(p).await,
            "torrents/removeCategories" => self.remove_categories(p).await,
            "torrents/tags" => Ok(json_response(&json!(self.shared.core.labels.list(p, LabelKind::Tag).await?))),
            "torrents/createTags" => self.create_tags(p).await,
            "torrents/deleteTags" => {
                self.shared.core.labels.delete(p, LabelKind::Tag, &self.params.list("tags")).await?;
                Ok(ok_text(""))
            }
            "torrents/addTags" => self.each(p, Change::AddTags(self.params.list("tags"))).await,
            "torrents/removeTags" => self.each(p, Change::RemoveTags(self.params.list("tags"))).await,
            "torrents/setShareLimits" | "torrents/setForceStart" | "torrents/setSuperSeeding" => Ok(ok_text("")),
            "torrents/topPrio" | "torrents/bottomPrio" | "torrents/increasePrio" | "torrents/decreasePrio" => {
                Ok(text(StatusCode::CONFLICT, "Torrent queueing must be enabled"))
            }
            _ => Ok(not_found()),
        }
    }

    /// The caller: a bearer API key or session, or the `SID` cookie (from this site only).
    async fn authenticate(&self) -> Option<Principal> {
        let accounts = &self.shared.core.accounts;
        if let Some(value) = self.req.header(header::AUTHORIZATION) {
            let token = value.strip_prefix("Bearer ").or_else(|| value.strip_prefix("bearer "))?;
            return accounts.authenticate_bearer(token.trim()).await.ok();
        }
        let sid = crate::console::cookie(self.req, SID_COOKIE)?;
        if !same_origin(self.req) {
            return None;
        }
        accounts.authenticate_session(&sid).await.ok()
    }

    async fn login(&self) -> Answer {
        if let Err(limited) = self.shared.limits.login(self.meta.ip.as_deref()) {
            let wait = limited.retry_after_secs().unwrap_or(60);
            return Ok(text(StatusCode::FORBIDDEN, format!("Too many failed login attempts; try again in {wait} s.")));
        }
        if !same_origin(self.req) {
            return Ok(forbidden());
        }
        let (username, password) =
            (self.params.get("username").unwrap_or(""), self.params.get("password").unwrap_or(""));
        let outcome = match self.shared.core.accounts.login(username, password, &self.meta).await {
            Ok(outcome) => outcome,
            Err(e @ (ServiceError::Repo(_) | ServiceError::Queue(_) | ServiceError::Internal(_))) => return Err(e),
            Err(_) => return Ok(ok_text("Fails.")),
        };
        let now = self.shared.core.ports.clock.now();
        let mut resp = ok_text("Ok.");
        let secure = self.shared.config.secure_cookies;
        let cookie = session_cookie_named(SID_COOKIE, &outcome.session_token, now, outcome.expires_at, secure);
        if let Ok(value) = HeaderValue::from_str(&cookie) {
            resp.headers_mut().insert(header::SET_COOKIE, value);
        }
        Ok(resp)
    }

    async fn logout(&self, principal: &Principal) -> Answer {
        // An API key has no session to end.
        if principal.require_session().is_ok() {
            self.shared.core.accounts.logout(principal).await?;
        }
        let mut resp = ok_text("");
        let cookie = clear_cookie_named(SID_COOKIE, self.shared.config.secure_cookies);
        if let Ok(value) = HeaderValue::from_str(&cookie) {
            resp.headers_mut().insert(header::SET_COOKIE, value);
        }
        Ok(resp)
    }

    /// The folder of the caller's jobs in `category`, as a string (empty: no completed-files
    /// location).
    fn save_path(&self, principal: &Principal, category: Option<&str>) -> String {
        self.shared
            .core
            .completed
            .save_path(principal.user_id, category)
            .map(|p| p.display().to_string())
            .unwrap_or_default()
    }

    fn preferences(&self, principal: &Principal) -> Value {
        let discovery = self.shared.config.qbittorrent.peer_discovery;
        json!({
            "save_path": self.save_path(principal, None),
            "temp_path_enabled": false,
            "temp_path": "",
            "auto_tmm_enabled": true,
            "category_changed_tmm_enabled": true,
            "save_path_changed_tmm_enabled": true,
            "max_ratio_enabled": true,
            "max_ratio": 0,
            "max_ratio_act": 0,
            "max_seeding_time_enabled": true,
            "max_seeding_time": 0,
            "max_inactive_seeding_time_enabled": false,
            "max_inactive_seeding_time": -1,
            "queueing_enabled": false,
            "max_active_downloads": -1,
            "max_active_torrents": -1,
            "max_active_uploads": -1,
            "dht": discovery,
            "pex": discovery,
            "lsd": discovery,
            "upnp": false,
            "start_paused_enabled": false,
            "create_subfolder_enabled": true,
            "torrent_content_layout": "Original",
            "web_ui_username": "",
            "locale": "en",
        })
    }

    /// The caller's own jobs (newest first, one per infohash), carrying `label` when given.
    async fn jobs(&self, principal: &Principal, label: Option<(LabelKind, String)>) -> Result<Vec<Job>, ServiceError> {
        let mut jobs: Vec<Job> = Vec::new();
        let mut seen = HashSet::new();
        let limit = PageRequest::MAX_LIMIT;
        for page in 1..=MAX_LISTED.div_ceil(limit) {
            let query =
                ListJobs { label: label.clone(), sort: JobSort::CreatedAt, descending: true, ..ListJobs::default() };
            let listed = self.shared.core.jobs.list(principal, query, PageRequest { page, limit }).await?;
            let done = listed.items.len() < usize::try_from(limit).unwrap_or(usize::MAX);
            for job in listed.items {
                if job.user_id == principal.user_id && seen.insert(job.infohash) {
                    jobs.push(job);
                }
            }
            if done {
                break;
            }
        }
        Ok(jobs)
    }

    /// The caller's jobs `hashes` names.
    async fn named(&self, principal: &Principal) -> Result<Vec<Job>, ServiceError> {
        let hashes = self.params.hashes();
        if hashes == Hashes::Some(HashSet::new()) {
            return Ok(Vec::new());
        }
        Ok(self.jobs(principal, None).await?.into_iter().filter(|job| hashes.names(job)).collect())
    }

    /// The one job `hash` names, or `None` (404).
    async fn one(&self, principal: &Principal) -> Result<Option<Job>, ServiceError> {
        let Some(hash) = self.params.get("hash").map(|h| h.trim().to_ascii_lowercase()) else { return Ok(None) };
        Ok(self.jobs(principal, None).await?.into_iter().find(|job| job.infohash.to_hex() == hash))
    }

    /// What `torrents/info` and `torrents/properties` say of a job.
    async fn describe(&self, principal: &Principal, job: &Job, labels: &JobLabels) -> Result<Described, ServiceError> {
        let core = &self.shared.core;
        let category = labels.category.as_deref();
        let placement = core.completed.place(job, category).await?;
        let files =
            if job.status == JobStatus::Completed { core.files.list(principal, job.id).await?.1 } else { Vec::new() };
        let save_path = core.completed.save_path(job.user_id, category);
        let content_path =
            save_path.as_deref().map(|s| CompletedFiles::content_path(s, job, &files).display().to_string());
        let progress = core.events.progress(job.id);
        let now = core.ports.clock.now();
        let facts = Facts {
            receiving: progress.as_ref().is_some_and(|p| p.download_bps > 0),
            idle_secs: (now - job.updated_at).num_seconds(),
            placement,
        };
        Ok(Described {
            state: qbt_state(job.status, facts),
            save_path: save_path.map(|p| p.display().to_string()).unwrap_or_default(),
            content_path: content_path.unwrap_or_default(),
            speed: progress.as_ref().map_or(0, |p| p.download_bps),
            peers: progress.as_ref().map_or(0, |p| p.peers),
            eta: match job.status {
                JobStatus::Completed => 0,
                _ => progress.and_then(|p| p.eta_secs).unwrap_or(ETA_UNKNOWN),
            },
            files,
        })
    }

    async fn info(&self, principal: &Principal) -> Answer {
        let core = &self.shared.core;
        let label = match self.params.get("category") {
            // qBittorrent: an empty `category` lists the torrents without one.
            Some("") => None,
            Some(c) => match check_label(LabelKind::Category, c) {
                Ok(c) => Some((LabelKind::Category, c)),
                Err(_) => return Ok(json_response(&json!([]))),
            },
            None => None,
        };
        let label = match (label, self.params.get("tag")) {
            (None, Some(t)) if !t.is_empty() => match check_label(LabelKind::Tag, t) {
                Ok(t) => Some((LabelKind::Tag, t)),
                Err(_) => return Ok(json_response(&json!([]))),
            },
            (label, _) => label,
        };
        let uncategorised = self.params.get("category") == Some("");
        let hashes = self.params.get("hashes").map(|_| self.params.hashes()).unwrap_or(Hashes::All);
        let jobs: Vec<Job> = self.jobs(principal, label).await?.into_iter().filter(|job| hashes.names(job)).collect();
        let ids: Vec<_> = jobs.iter().map(|j| j.id).collect();
        let labels = core.labels.of_jobs(principal, &ids).await?;
        let none = JobLabels::default();
        let mut out = Vec::with_capacity(jobs.len());
        for job in &jobs {
            let labels = labels.get(&job.id).unwrap_or(&none);
            if uncategorised && labels.category.is_some() {
                continue;
            }
            let d = self.describe(principal, job, labels).await?;
            out.push(torrent_info(job, labels, &d));
        }
        Ok(json_response(&Value::Array(out)))
    }

    async fn properties(&self, principal: &Principal) -> Answer {
        let Some(job) = self.one(principal).await? else { return Ok(not_found()) };
        let labels = self.shared.core.labels.of_jobs(principal, &[job.id]).await?.remove(&job.id).unwrap_or_default();
        let d = self.describe(principal, &job, &labels).await?;
        let (total, done) = sizes(&job);
        let elapsed = (job.completed_at.unwrap_or_else(Utc::now) - job.created_at).num_seconds().max(0);
        Ok(json_response(&json!({
            "hash": job.infohash.to_hex(),
            "infohash_v1": job.infohash.to_hex(),
            "infohash_v2": "",
            "name": job.name,
            "save_path": d.save_path,
            "download_path": "",
            "creation_date": -1,
            "piece_size": -1,
            "comment": "",
            "created_by": "",
            "is_private": false,
            "total_wasted": 0,
            "total_uploaded": 0,
            "total_uploaded_session": 0,
            "total_downloaded": done,
            "total_downloaded_session": done,
            "up_limit": -1,
            "dl_limit": -1,
            "time_elapsed": elapsed,
            "seeding_time": 0,
            "nb_connections": d.peers,
            "nb_connections_limit": -1,
            "share_ratio": 0,
            "addition_date": job.created_at.timestamp(),
            "completion_date": unix_or_unknown(job.completed_at),
            "last_seen": unix_or_unknown(job.completed_at),
            "dl_speed": d.speed,
            "dl_speed_avg": if elapsed > 0 { done / elapsed.unsigned_abs() } else { 0 },
            "up_speed": 0,
            "up_speed_avg": 0,
            "eta": d.eta,
            "peers": d.peers,
            "peers_total": d.peers,
            "seeds": d.peers,
            "seeds_total": d.peers,
            "pieces_have": -1,
            "pieces_num": -1,
            "reannounce": 0,
            "total_size": total,
        })))
    }

    async fn files(&self, principal: &Principal) -> Answer {
        let Some(job) = self.one(principal).await? else { return Ok(not_found()) };
        let progress = progress_of(&job);
        let files: Vec<Value> = if job.status == JobStatus::Completed {
            let (_, files) = self.shared.core.files.list(principal, job.id).await?;
            files.iter().enumerate().map(|(index, f)| file_view(index, f.path.as_str(), f.size, 1.0)).collect()
        } else if let tseeder_core::domain::JobSource::Torrent(bytes) = &job.source {
            // The torrent's own list, until the files are stored.
            let meta = tseeder_core::domain::TorrentMeta::parse(bytes).ok();
            meta.map(|m| m.files)
                .unwrap_or_default()
                .iter()
                .enumerate()
                .filter(|(index, _)| {
                    job.selected_files.as_ref().is_none_or(|s| u32::try_from(*index).is_ok_and(|i| s.contains(&i)))
                })
                .map(|(index, f)| file_view(index, f.path.as_str(), f.size, progress))
                .collect()
        } else {
            Vec::new()
        };
        Ok(json_response(&Value::Array(files)))
    }

    async fn add(&self, principal: &Principal) -> Answer {
        let core = &self.shared.core;
        let category = match self.params.get("category").map(str::trim).filter(|c| !c.is_empty()) {
            Some(c) => {
                let c = tseeder_core::services::label::checked(LabelKind::Category, c)?;
                // qBittorrent creates a category a new torrent names.
                core.labels.create(principal, LabelKind::Category, &c).await?;
                Some(c)
            }
            None => None,
        };
        let tags = self.params.list("tags");
        let paused = self.params.flag("paused") || self.params.flag("stopped");
        let name = self.params.get("rename").map(str::trim).filter(|n| !n.is_empty()).map(str::to_owned);
        let mut sources: Vec<SubmitSource> = Vec::new();
        let mut refused = 0usize;
        for url in self.params.get("urls").unwrap_or("").lines().map(str::trim).filter(|u| !u.is_empty()) {
            if url.get(..7).is_some_and(|s| s.eq_ignore_ascii_case("magnet:")) {
                sources.push(SubmitSource::Magnet(url.to_owned()));
            } else {
                tracing::info!("refused a torrent URL: only magnet links and .torrent uploads are taken");
                refused += 1;
            }
        }
        sources.extend(self.params.torrents.iter().cloned().map(SubmitSource::Torrent));
        let mut added = 0usize;
        let mut invalid_files = 0usize;
        for source in sources {
            let is_file = matches!(source, SubmitSource::Torrent(_));
            if let Err(limited) = self.shared.limits.submit_job(principal.user_id) {
                tracing::info!(code = limited.code_str(), "a submission was refused");
                continue;
            }
            let request =
                SubmitJob { source, name: name.clone(), idempotency_key: None, files: None, region_hint: None };
            let job = match core.jobs.submit(principal, request, &self.meta).await {
                Ok(outcome) => outcome.job,
                Err(e @ (ServiceError::Repo(_) | ServiceError::Queue(_) | ServiceError::Internal(_))) => return Err(e),
                Err(e) => {
                    if is_file && e.code() == ErrorCode::InvalidTorrent {
                        invalid_files += 1;
                    }
                    tracing::info!(code = e.code().as_str(), reason = %e, "a submission was refused");
                    continue;
                }
            };
            added += 1;
            if category.is_some() {
                core.labels.set_category(principal, job.id, category.as_deref()).await?;
            }
            core.labels.add_tags(principal, job.id, &tags).await?;
            if paused {
                // A job an engine finished meanwhile cannot be paused; that is no failure.
                let _ = core.jobs.pause(principal, job.id, &self.meta).await;
            }
        }
        Ok(match added {
            0 if invalid_files > 0 && refused == 0 => {
                text(StatusCode::UNSUPPORTED_MEDIA_TYPE, "Torrent file is not valid")
            }
            0 => ok_text("Fails."),
            _ => ok_text("Ok."),
        })
    }

    async fn delete(&self, principal: &Principal) -> Answer {
        let core = &self.shared.core;
        let delete_files = self.params.flag("deleteFiles");
        for job in self.named(principal).await? {
            if !job.status.is_terminal() {
                match core.jobs.cancel(principal, job.id, &self.meta).await {
                    Ok(_) | Err(ServiceError::Conflict { .. } | ServiceError::NotFound { .. }) => {}
                    Err(e) => return Err(e),
                }
            }
            if delete_files {
                core.completed.remove(&job).await?;
            } else {
                core.completed.forget(job.id).await;
            }
            match core.jobs.delete(principal, job.id, &self.meta).await {
                Ok(()) | Err(ServiceError::NotFound { .. }) => {}
                Err(ServiceError::Conflict { .. }) => {
                    // Finished between the cancel and the delete: delete what it became.
                    core.jobs.delete(principal, job.id, &self.meta).await?;
                }
                Err(e) => return Err(e),
            }
        }
        Ok(ok_text(""))
    }

    /// Applies `change` to every job `hashes` names (qBittorrent skips torrents a change does
    /// not apply to, and answers 200).
    async fn each(&self, principal: &Principal, change: Change) -> Answer {
        let core = &self.shared.core;
        for job in self.named(principal).await? {
            let done = match &change {
                Change::Pause => core.jobs.pause(principal, job.id, &self.meta).await.map(drop),
                Change::Resume => core.jobs.resume(principal, job.id, &self.meta).await.map(drop),
                Change::AddTags(tags) => core.labels.add_tags(principal, job.id, tags).await,
                Change::RemoveTags(tags) => core.labels.remove_tags(principal, job.id, tags).await,
            };
            match done {
                Ok(()) | Err(ServiceError::Conflict { .. }) => {}
                Err(e) => return Err(e),
            }
        }
        Ok(ok_text(""))
    }

    async fn set_category(&self, principal: &Principal) -> Answer {
        let core = &self.shared.core;
        let category = match self.params.get("category").map(str::trim) {
            None | Some("") => None,
            Some(c) => {
                let known = core.labels.list(principal, LabelKind::Category).await?;
                match check_label(LabelKind::Category, c) {
                    Ok(c) if known.contains(&c) => Some(c),
                    _ => return Ok(text(StatusCode::CONFLICT, "Incorrect category name")),
                }
            }
        };
        for job in self.named(principal).await? {
            core.labels.set_category(principal, job.id, category.as_deref()).await?;
        }
        Ok(ok_text(""))
    }

    async fn categories(&self, principal: &Principal) -> Answer {
        let names = self.shared.core.labels.list(principal, LabelKind::Category).await?;
        let mut out = serde_json::Map::new();
        for name in names {
            let save_path = self.save_path(principal, Some(&name));
            out.insert(name.clone(), json!({ "name": name, "savePath": save_path }));
        }
        Ok(json_response(&Value::Object(out)))
    }

    async fn create_category(&self, principal: &Principal) -> Answer {
        let name = self.params.get("category").map(str::trim).unwrap_or("");
        if name.is_empty() {
            return Ok(text(StatusCode::BAD_REQUEST, "Category cannot be empty"));
        }
        if check_label(LabelKind::Category, name).is_err() {
            return Ok(text(StatusCode::CONFLICT, "Incorrect category name"));
        }
        // The folder is the completed-files location's; a `savePath` sent along is not used.
        if self.shared.core.labels.create(principal, LabelKind::Category, name).await? {
            Ok(ok_text(""))
        } else {
            Ok(text(StatusCode::CONFLICT, "Unable to create category"))
        }
    }

    async fn edit_category(&self, principal: &Principal) -> Answer {
        let name = self.params.get("category").map(str::trim).unwrap_or("");
        if name.is_empty() {
            return Ok(text(StatusCode::BAD_REQUEST, "Category cannot be empty"));
        }
        let known = self.shared.core.labels.list(principal, LabelKind::Category).await?;
        // Only the save path could change, and it is the completed-files location's.
        if known.iter().any(|k| k == name) {
            Ok(ok_text(""))
        } else {
            Ok(text(StatusCode::CONFLICT, "Unable to edit category"))
        }
    }

    async fn remove_categories(&self, principal: &Principal) -> Answer {
        let names: Vec<String> = self
            .params
            .get("categories")
            .unwrap_or("")
            .lines()
            .map(|c| c.trim().to_owned())
            .filter(|c| !c.is_empty())
            .collect();
        self.shared.core.labels.delete(principal, LabelKind::Category, &names).await?;
        Ok(ok_text(""))
    }

    async fn create_tags(&self, principal: &Principal) -> Answer {
        for tag in self.params.list("tags") {
            self.shared.core.labels.create(principal, LabelKind::Tag, &tag).await?;
        }
        Ok(ok_text(""))
    }
}

/// A change applied to each named job.
enum Change {
    Pause,
    Resume,
    AddTags(Vec<String>),
    RemoveTags(Vec<String>),
}

/// A job's state, paths and live figures.
struct Described {
    state: &'static str,
    save_path: String,
    content_path: String,
    speed: u64,
    peers: u32,
    eta: u64,
    files: Vec<StoredFile>,
}

/// A job's size and downloaded bytes (a completed job has all of it).
fn sizes(job: &Job) -> (u64, u64) {
    let total = job.total_bytes.unwrap_or(0);
    let done = if job.status == JobStatus::Completed { total.max(job.done_bytes) } else { job.done_bytes.min(total) };
    (total.max(done), done)
}

/// The fraction downloaded, 0 to 1.
fn progress_of(job: &Job) -> f64 {
    let (total, done) = sizes(job);
    if job.status == JobStatus::Completed {
        1.0
    } else if total == 0 {
        0.0
    } else {
        #[expect(clippy::cast_precision_loss, reason = "a fraction for display")]
        let fraction = done as f64 / total as f64;
        fraction.clamp(0.0, 1.0)
    }
}

/// A time as Unix seconds, or qBittorrent's -1 for "not yet".
fn unix_or_unknown(at: Option<DateTime<Utc>>) -> i64 {
    at.map_or(-1, |at| at.timestamp())
}

fn file_view(index: usize, name: &str, size: u64, progress: f64) -> Value {
    json!({
        "index": index,
        "name": name,
        "size": size,
        "progress": progress,
        "priority": 1,
        "is_seed": progress >= 1.0,
        "piece_range": [0, 0],
        "availability": if progress >= 1.0 { 1.0 } else { -1.0 },
    })
}

/// One entry of `torrents/info`.
fn torrent_info(job: &Job, labels: &JobLabels, d: &Described) -> Value {
    let (total, done) = sizes(job);
    let hash = job.infohash.to_hex();
    let last_activity = job.completed_at.unwrap_or(job.updated_at).timestamp();
    json!({
        "hash": hash,
        "infohash_v1": hash,
        "infohash_v2": "",
        "name": job.name,
        "size": total,
        "total_size": total,
        "progress": progress_of(job),
        "eta": d.eta,
        "state": d.state,
        "category": labels.category.clone().unwrap_or_default(),
        "tags": labels.tags.join(", "),
        "save_path": d.save_path,
        "content_path": d.content_path,
        "download_path": "",
        "root_path": d.content_path,
        "ratio": 0,
        "ratio_limit": 0,
        "max_ratio": 0,
        "seeding_time": 0,
        "seeding_time_limit": 0,
        "max_seeding_time": 0,
        "inactive_seeding_time_limit": -2,
        "last_activity": last_activity,
        "added_on": job.created_at.timestamp(),
        "completion_on": unix_or_unknown(job.completed_at),
        "seen_complete": unix_or_unknown(job.completed_at),
        "dlspeed": d.speed,
        "upspeed": 0,
        "downloaded": done,
        "downloaded_session": done,
        "completed": done,
        "amount_left": total.saturating_sub(done),
        "uploaded": 0,
        "uploaded_session": 0,
        "dl_limit": -1,
        "up_limit": -1,
        "num_seeds": d.peers,
        "num_complete": d.peers,
        "num_leechs": 0,
        "num_incomplete": 0,
        "availability": if job.status == JobStatus::Completed { 1.0 } else { -1.0 },
        "priority": 0,
        "auto_tmm": true,
        "force_start": false,
        "seq_dl": false,
        "f_l_piece_prio": false,
        "super_seeding": false,
        "private": false,
        "tracker": "",
        "trackers_count": 0,
        "magnet_uri": format!("magnet:?xt=urn:btih:{hash}"),
        "time_active": (job.completed_at.unwrap_or(job.updated_at) - job.created_at).num_seconds().max(0),
        "files_count": d.files.len(),
    })
}

/// A cookie request came from this site, or from no browser page at all: its `Origin` (or,
/// without one, its `Referer`) names the host it was sent to. qBittorrent's CSRF rule.
fn same_origin(req: &Request) -> bool {
    let Some(source) = req.header(header::ORIGIN).or_else(|| req.header(header::REFERER)) else { return true };
    let Some(host) = req.header(header::HOST) else { return false };
    let authority = source.split_once("://").map_or("", |(_, rest)| rest).split(['/', '?', '#']).next().unwrap_or("");
    authority.eq_ignore_ascii_case(host)
}
