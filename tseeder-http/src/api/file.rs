//! Stored files: a job's file list and zip, downloads with ranges, signed links, deletion.

use std::sync::Arc;

use poem::Request;
use poem::web::Data;
use poem_openapi::OpenApi;
use poem_openapi::param::{Header, Path, Query};
use poem_openapi::payload::Json;
use tseeder_core::domain::{FileId, JobId};
use uuid::Uuid;

use super::{ApiTag, NoContent, OptionalJson};
use crate::archive::zip_body;
use crate::auth::Auth;
use crate::download::{
    Disposition, FileBody, ZipBody, absolute_link, basename, open_ranged, request_host, request_scheme,
    requested_ranges,
};
use crate::dto::file::{FileView, JobFiles, SignedUrlRequest, SignedUrlView, file_tree};
use crate::error::ApiResult;
use crate::request::Meta;
use crate::state::Shared;

/// Lifetime of a signed link when the request does not say.
const DEFAULT_LINK_SECS: u64 = 3600;

/// Stored files.
#[derive(Debug)]
pub(crate) struct FileApi;

#[OpenApi(prefix_path = "/api/v1", tag = "ApiTag::Files")]
impl FileApi {
    /// A job's files
    ///
    /// The files stored so far (all of them once the job is completed), as a list ordered by path
    /// and as a folder tree. Owner or staff.
    #[oai(path = "/jobs/:id/files", method = "get", operation_id = "listJobFiles")]
    async fn job_files(&self, auth: Auth, app: Data<&Arc<Shared>>, id: Path<Uuid>) -> ApiResult<Json<JobFiles>> {
        let (job, files) = app.core.files.list(&auth.principal, JobId(id.0)).await?;
        let files: Vec<FileView> = files.into_iter().map(FileView::from).collect();
        let tree = file_tree(&files);
        Ok(Json(JobFiles { job_id: job.id.0, files, tree }))
    }

    /// A job's files as a zip
    ///
    /// Every stored file of the job at its path, uncompressed, streamed as it is built (no
    /// `Content-Length`; zip64 where needed). Owner or staff. Metered like a download (429
    /// `quota_bandwidth` once the month's bandwidth is used up).
    #[oai(path = "/jobs/:id/zip", method = "get", operation_id = "downloadJobZip")]
    async fn job_zip(&self, auth: Auth, app: Data<&Arc<Shared>>, id: Path<Uuid>) -> ApiResult<ZipBody> {
        let (job, files) = app.core.files.archive(&auth.principal, JobId(id.0)).await?;
        let name = job.name.clone();
        Ok(ZipBody::new(&name, zip_body(app.core.files.clone(), job, files)))
    }

    /// Download a file
    ///
    /// The file as an attachment. `Range: bytes=a-b`, `bytes=a-` or `bytes=-n` gets 206 with that
    /// range (`bytes=0-1` is exactly two bytes); a range past the end gets 416
    /// `range_not_satisfiable` with `Content-Range: bytes */<size>`. Several ranges in one header
    /// get the whole file with 200; a malformed header, or an `If-Range` that is not the current
    /// `ETag`, is ignored. Owner or staff; others get 404 `file_not_found`. The bytes sent count
    /// towards the organization's monthly bandwidth; once it is used up, 429 `quota_bandwidth`
    /// with `Retry-After` (seconds until the next month) and the reset time in the message.
    #[oai(path = "/files/:id/download", method = "get", operation_id = "downloadFile")]
    async fn download(
        &self,
        auth: Auth,
        app: Data<&Arc<Shared>>,
        id: Path<Uuid>,
        /// `bytes=a-b`, `bytes=a-` or `bytes=-n`.
        #[oai(name = "Range")]
        range: Header<Option<String>>,
        /// Only honour `Range` if the file still has this `ETag`.
        #[oai(name = "If-Range")]
        if_range: Header<Option<String>>,
    ) -> ApiResult<FileBody> {
        let id = FileId(id.0);
        let specs = requested_ranges(range.as_deref(), if_range.as_deref(), id);
        let principal = &auth.principal;
        let served = open_ranged(specs, |r| app.core.files.open(principal, id, r)).await?;
        Ok(FileBody::new(served, Disposition::Attachment))
    }

    /// Create a signed link
    ///
    /// A URL that downloads the file without credentials (for media players and download
    /// managers) until it expires: `expiresIn` seconds, 60 to 86400, default 3600. The URL is
    /// absolute, built from the request's `Host` (and `X-Forwarded-Proto` when proxy headers are
    /// trusted). Owner or staff. Refused with 429 `quota_bandwidth` once the month's bandwidth is
    /// used up; a link the object store presigns (and serves itself) counts the whole file now.
    #[oai(path = "/files/:id/signed-url", method = "post", operation_id = "createSignedUrl")]
    async fn signed_url(
        &self,
        auth: Auth,
        app: Data<&Arc<Shared>>,
        meta: Meta,
        req: &Request,
        id: Path<Uuid>,
        body: OptionalJson<SignedUrlRequest>,
    ) -> ApiResult<Json<SignedUrlView>> {
        let id = FileId(id.0);
        let expires_in = body.0.and_then(|b| b.expires_in).unwrap_or(DEFAULT_LINK_SECS);
        let (_, file) = app.core.files.get(&auth.principal, id).await?;
        let link = app.core.files.sign(&auth.principal, id, expires_in, &meta.0).await?;
        let scheme = request_scheme(req, app.config.trust_proxy_headers);
        let url = absolute_link(&link.url, scheme, request_host(req).as_deref(), &app.config.base_path());
        let filename = basename(file.path.as_str()).to_owned();
        Ok(Json(SignedUrlView { file_id: id.0, url, expires_at: link.expires_at, filename }))
    }

    /// Stream a file through a signed link
    ///
    /// No credentials: the link's `expires` and `token` are the credential. Same bytes, ranges and
    /// headers as the download, with `Content-Disposition: inline`. An expired link gets 403
    /// `link_expired`, a forged one 403 `invalid_link`. Metered like the download (429
    /// `quota_bandwidth` once the owner's monthly bandwidth is used up).
    #[oai(path = "/files/:id/stream", method = "get", operation_id = "streamFile")]
    async fn stream(
        &self,
        app: Data<&Arc<Shared>>,
        id: Path<Uuid>,
        /// Unix time the link expires at.
        expires: Query<i64>,
        /// The link's signature.
        token: Query<String>,
        /// `bytes=a-b`, `bytes=a-` or `bytes=-n`.
        #[oai(name = "Range")]
        range: Header<Option<String>>,
        /// Only honour `Range` if the file still has this `ETag`.
        #[oai(name = "If-Range")]
        if_range: Header<Option<String>>,
    ) -> ApiResult<FileBody> {
        let id = FileId(id.0);
        let specs = requested_ranges(range.as_deref(), if_range.as_deref(), id);
        let token = token.0.as_str();
        let served = open_ranged(specs, |r| app.core.files.open_signed(id, expires.0, token, r)).await?;
        Ok(FileBody::new(served, Disposition::Inline))
    }

    /// Delete a file
    ///
    /// Removes one file of your job; its bytes go when no other job shares them. Owner only
    /// (others, staff included, get 404 `file_not_found`).
    #[oai(path = "/files/:id", method = "delete", operation_id = "deleteFile")]
    async fn delete(&self, auth: Auth, app: Data<&Arc<Shared>>, meta: Meta, id: Path<Uuid>) -> ApiResult<NoContent> {
        app.core.files.delete(&auth.principal, FileId(id.0), &meta.0).await?;
        Ok(NoContent::Done)
    }
}
