//! `/api/v1/jobs`: submit, list, inspect and control download jobs.

use std::sync::Arc;
use std::time::Duration;

use futures::StreamExt as _;
use futures::stream::BoxStream;
use poem::web::Data;
use poem_openapi::param::{Header, Path, Query};
use poem_openapi::payload::{EventStream, Json};
use poem_openapi::{ApiRequest, ApiResponse, OpenApi};
use tseeder_core::domain::{JobId, LabelKind, PageRequest, TorrentMeta};
use tseeder_core::services::job::{ListJobs, SubmitJob, SubmitSource};
use uuid::Uuid;

use super::{ApiTag, NoContent, default_limit, default_page};
use crate::auth::Auth;
use crate::dto::JsonBody;
use crate::dto::event::JobStreamMessage;
use crate::dto::job::{
    CreateJobRequest, CreateJobUpload, JobEventList, JobEventView, JobSortBy, JobStatusDto, JobView, RenameJobRequest,
    SortDir, parse_file_selection,
};
use crate::dto::page::Page;
use crate::error::{ApiError, ApiResult};
use crate::live::Follower;
use crate::request::Meta;
use crate::state::Shared;
use tseeder_core::error::ErrorCode;

/// What to download: a magnet link as JSON, or a `.torrent` file as multipart/form-data.
#[derive(Debug, ApiRequest)]
pub(crate) enum CreateJobBody {
    /// `{"magnetUri": "magnet:?xt=urn:btih:...", "name": "optional", "files": [0, 2]}`
    Magnet(Json<CreateJobRequest>),
    /// Form field `torrent` (the file, at most 10 MiB), optional fields `name` and `files`
    /// (comma-separated indexes, `0,2`).
    Torrent(CreateJobUpload),
}

/// The outcome of a submission.
#[derive(Debug, ApiResponse)]
pub(crate) enum JobSubmitted {
    /// A new job was queued.
    #[oai(status = 201)]
    Created(
        Json<JobView>,
        /// `/api/v1/jobs/{id}`
        #[oai(header = "Location")]
        String,
    ),
    /// An existing job was returned: same `Idempotency-Key`, or a live job of yours for the same
    /// torrent.
    #[oai(status = 200)]
    Existing(
        Json<JobView>,
        /// Always `true`.
        #[oai(header = "X-Deduplicated")]
        String,
    ),
}

fn default_sort_by() -> JobSortBy {
    JobSortBy::CreatedAt
}

fn default_sort_dir() -> SortDir {
    SortDir::Desc
}

fn default_event_limit() -> u64 {
    100
}

/// The header that makes job submission idempotent.
const IDEMPOTENCY_KEY: &str = "Idempotency-Key";

/// Keep-alive comments on the live stream, so proxies do not close an idle connection.
const KEEP_ALIVE: Duration = Duration::from_secs(15);

/// The live stream of a job.
type JobStream = EventStream<BoxStream<'static, JobStreamMessage>>;

/// A submission as the core takes it, read from either body.
struct Submission {
    source: SubmitSource,
    name: Option<String>,
    files: Option<Vec<u32>>,
    region_hint: Option<String>,
}

/// Turns the request body into a submission, reading an uploaded file into memory.
async fn submission(body: CreateJobBody) -> ApiResult<Submission> {
    match body {
        CreateJobBody::Magnet(Json(request)) => Ok(Submission {
            source: SubmitSource::Magnet(request.magnet_uri.0),
            name: request.name.map(String::from),
            files: request.files,
            region_hint: request.region_hint.map(String::from),
        }),
        CreateJobBody::Torrent(upload) => {
            let files = match upload.files.as_deref().map(parse_file_selection).transpose() {
                Ok(files) => files.flatten(),
                Err(message) => {
                    return Err(ApiError::new(ErrorCode::InvalidSelection, message));
                }
            };
            if upload.torrent.size() > TorrentMeta::MAX_BYTES {
                return Err(ApiError::payload_too_large(format!(
                    "the .torrent file is larger than {} bytes",
                    TorrentMeta::MAX_BYTES
                )));
            }
            let bytes = upload.torrent.into_vec().await.map_err(|e| {
                tracing::error!(error = %e, "reading an uploaded torrent failed");
                ApiError::internal()
            })?;
            Ok(Submission {
                source: SubmitSource::Torrent(bytes),
                name: upload.name,
                files,
                region_hint: upload.region_hint,
            })
        }
    }
}

/// Download jobs.
#[derive(Debug)]
pub(crate) struct JobApi;

#[OpenApi(prefix_path = "/api/v1/jobs", tag = "ApiTag::Jobs")]
impl JobApi {
    /// Submit a job
    ///
    /// Queues a download from a magnet link (JSON) or a `.torrent` file (multipart), optionally
    /// of some of its files only (`files`: indexes in the torrent's order; 400
    /// `invalid_selection` for a bad list, or an index a `.torrent` does not have). Submitting
    /// again with the same `Idempotency-Key`, or while a live job for the same torrent exists,
    /// returns that job with status 200 and `X-Deduplicated: true`. `regionHint` (JSON or
    /// multipart field) prefers agents of that region, falling back to others when it is full
    /// (400 `invalid_region` for a bad code). The job belongs to the organization the request
    /// acts in (`X-Org-Slug`, the API key's, or the personal one) and counts against its plan:
    /// 429 `quota_jobs` or `quota_storage`, 413 `quota_file_size`, and 429 `quota_bandwidth`
    /// (with `Retry-After`) once the month's bandwidth is used up or the torrent's size would go
    /// past it. Rate-limited per user.
    #[oai(path = "/", method = "post", operation_id = "createJob")]
    async fn create(
        &self,
        auth: Auth,
        app: Data<&Arc<Shared>>,
        meta: Meta,
        /// Makes retries safe: a resubmission with the same key returns the first job. 1 to 255
        /// visible ASCII characters.
        #[oai(name = "Idempotency-Key", validator(min_length = 1, max_length = 255, pattern = "^[!-~]+$"))]
        idempotency_key: Header<Option<String>>,
        body: CreateJobBody,
        req: &poem::Request,
    ) -> ApiResult<JobSubmitted> {
        // poem-openapi reads a header that is not visible ASCII as absent; a key that was sent
        // but cannot be read must not silently turn off idempotency.
        if idempotency_key.0.is_none() && req.headers().contains_key(IDEMPOTENCY_KEY) {
            return Err(ApiError::new(
                ErrorCode::InvalidIdempotencyKey,
                "Idempotency-Key must be 1 to 255 visible ASCII characters",
            ));
        }
        app.limits.submit_job(auth.principal.user_id)?;
        let Submission { source, name, files, region_hint } = submission(body).await?;
        let request = SubmitJob { source, name, idempotency_key: idempotency_key.0, files, region_hint };
        let outcome = app.core.jobs.submit(&auth.principal, request, &meta.0).await?;
        let view = JobView::from(outcome.job);
        Ok(if outcome.created {
            let location = format!("/api/v1/jobs/{}", view.id);
            JobSubmitted::Created(Json(view), location)
        } else {
            JobSubmitted::Existing(Json(view), "true".into())
        })
    }

    /// List jobs
    ///
    /// The jobs of the organization the request acts in (`X-Org-Slug`, the API key's, or the
    /// personal one): all of them for its owners and admins, the caller's own for members. With
    /// `all=true`, every user's in every organization (support role and above).
    #[oai(path = "/", method = "get", operation_id = "listJobs")]
    #[expect(clippy::too_many_arguments, reason = "one argument per query parameter")]
    async fn list(
        &self,
        auth: Auth,
        app: Data<&Arc<Shared>>,
        /// Only jobs in this status.
        status: Query<Option<JobStatusDto>>,
        /// Page number, from 1.
        #[oai(default = "default_page", validator(minimum(value = "1"), maximum(value = "1000000")))]
        page: Query<u64>,
        /// Page size, 1 to 100.
        #[oai(default = "default_limit", validator(minimum(value = "1"), maximum(value = "100")))]
        limit: Query<u64>,
        /// Sort key.
        #[oai(name = "sortBy", default = "default_sort_by")]
        sort_by: Query<JobSortBy>,
        /// Sort direction.
        #[oai(name = "sortDir", default = "default_sort_dir")]
        sort_dir: Query<SortDir>,
        /// Every user's jobs (support role and above).
        #[oai(default)]
        all: Query<bool>,
        /// Only jobs in this category of the caller's (as download managers set them through
        /// the qBittorrent-compatible API). Not with `tag`.
        #[oai(validator(min_length = 1, max_length = 256))]
        category: Query<Option<String>>,
        /// Only jobs carrying this tag of the caller's. Not with `category`.
        #[oai(validator(min_length = 1, max_length = 256))]
        tag: Query<Option<String>>,
    ) -> ApiResult<JsonBody<Page<JobView>>> {
        let label = match (category.0, tag.0) {
            (Some(_), Some(_)) => {
                return Err(ApiError::new(ErrorCode::InvalidRequest, "filter by a category or a tag, not both"));
            }
            (Some(category), None) => Some((LabelKind::Category, category)),
            (None, Some(tag)) => Some((LabelKind::Tag, tag)),
            (None, None) => None,
        };
        let query = ListJobs {
            status: status.0.map(Into::into),
            sort: sort_by.0.into(),
            descending: sort_dir.0 == SortDir::Desc,
            all_users: all.0,
            label,
            ..ListJobs::default()
        };
        let jobs = app.core.jobs.list(&auth.principal, query, PageRequest::new(page.0, limit.0)).await?;
        Ok(JsonBody(jobs.into()))
    }

    /// Get a job
    #[oai(path = "/:id", method = "get", operation_id = "getJob")]
    async fn get(&self, auth: Auth, app: Data<&Arc<Shared>>, id: Path<Uuid>) -> ApiResult<Json<JobView>> {
        let job = app.core.jobs.get(&auth.principal, JobId(id.0)).await?;
        Ok(Json(job.into()))
    }

    /// Rename a job
    #[oai(path = "/:id", method = "patch", operation_id = "renameJob")]
    async fn rename(
        &self,
        auth: Auth,
        app: Data<&Arc<Shared>>,
        meta: Meta,
        id: Path<Uuid>,
        body: Json<RenameJobRequest>,
    ) -> ApiResult<Json<JobView>> {
        let job = app.core.jobs.rename(&auth.principal, JobId(id.0), &body.name, &meta.0).await?;
        Ok(Json(job.into()))
    }

    /// Pause a job
    #[oai(path = "/:id/pause", method = "post", operation_id = "pauseJob")]
    async fn pause(&self, auth: Auth, app: Data<&Arc<Shared>>, meta: Meta, id: Path<Uuid>) -> ApiResult<Json<JobView>> {
        let job = app.core.jobs.pause(&auth.principal, JobId(id.0), &meta.0).await?;
        Ok(Json(job.into()))
    }

    /// Resume a paused job
    ///
    /// The job goes back to the queue with its full source (magnet or torrent).
    #[oai(path = "/:id/resume", method = "post", operation_id = "resumeJob")]
    async fn resume(
        &self,
        auth: Auth,
        app: Data<&Arc<Shared>>,
        meta: Meta,
        id: Path<Uuid>,
    ) -> ApiResult<Json<JobView>> {
        let job = app.core.jobs.resume(&auth.principal, JobId(id.0), &meta.0).await?;
        Ok(Json(job.into()))
    }

    /// Cancel a job
    #[oai(path = "/:id/cancel", method = "post", operation_id = "cancelJob")]
    async fn cancel(
        &self,
        auth: Auth,
        app: Data<&Arc<Shared>>,
        meta: Meta,
        id: Path<Uuid>,
    ) -> ApiResult<Json<JobView>> {
        let job = app.core.jobs.cancel(&auth.principal, JobId(id.0), &meta.0).await?;
        Ok(Json(job.into()))
    }

    /// Delete a finished job
    ///
    /// Only completed, failed or cancelled jobs can be deleted (409 `job_not_terminal`
    /// otherwise).
    #[oai(path = "/:id", method = "delete", operation_id = "deleteJob")]
    async fn delete(&self, auth: Auth, app: Data<&Arc<Shared>>, meta: Meta, id: Path<Uuid>) -> ApiResult<NoContent> {
        app.core.jobs.delete(&auth.principal, JobId(id.0), &meta.0).await?;
        Ok(NoContent::Done)
    }

    /// Follow a job live
    ///
    /// Server-Sent Events (`text/event-stream`). First the history after `Last-Event-ID` (or
    /// `after`), one event per entry with `id: <seq>`, `event: <kind>` and
    /// `data: {seq, kind, payload, createdAt, job}`; then each new entry the same way, and
    /// `event: progress` with `data: {doneBytes, totalBytes, downloadBps, uploadBps, peers,
    /// etaSecs, progressPct}` (no `id`, so a reconnect resumes after the last history entry).
    /// A comment line every 15 s keeps the connection open. Once the job is completed, failed or
    /// cancelled: `event: end` with `data: {status}`, and the server closes the stream. Owner or
    /// staff; others get 404 `job_not_found` before anything is streamed.
    #[oai(path = "/:id/events", method = "get", operation_id = "streamJobEvents")]
    async fn events(
        &self,
        auth: Auth,
        app: Data<&Arc<Shared>>,
        id: Path<Uuid>,
        /// Resume after this history entry (set by browsers when they reconnect); wins over
        /// `after`.
        #[oai(name = "Last-Event-ID")]
        last_event_id: Header<Option<u64>>,
        /// Replay history after this sequence number (0: all of it).
        #[oai(default)]
        after: Query<u64>,
    ) -> ApiResult<JobStream> {
        let after = last_event_id.0.unwrap_or(after.0);
        let follower = Follower::start(app.core.clone(), auth.principal, JobId(id.0), after).await?;
        Ok(EventStream::new(follower.into_stream().boxed()).keep_alive(KEEP_ALIVE).to_event(|m| m.to_sse()))
    }

    /// A job's history
    ///
    /// Entries with `seq` greater than `after`, oldest first. Poll with the last `seq` seen, or
    /// follow `GET /jobs/{id}/events` instead.
    #[oai(path = "/:id/history", method = "get", operation_id = "listJobHistory")]
    async fn history(
        &self,
        auth: Auth,
        app: Data<&Arc<Shared>>,
        id: Path<Uuid>,
        /// Only entries after this sequence number.
        #[oai(default)]
        after: Query<u64>,
        /// At most this many entries, 1 to 1000.
        #[oai(default = "default_event_limit", validator(minimum(value = "1"), maximum(value = "1000")))]
        limit: Query<u64>,
    ) -> ApiResult<Json<JobEventList>> {
        let events = app.core.jobs.events(&auth.principal, JobId(id.0), after.0, limit.0).await?;
        Ok(Json(JobEventList { events: events.into_iter().map(JobEventView::from).collect() }))
    }
}
