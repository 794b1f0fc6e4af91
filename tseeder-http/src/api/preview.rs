//! `POST /api/v1/jobs/preview`: what a submission would download and cost, without a job.

use std::sync::Arc;

use poem::web::Data;
use poem_openapi::payload::Json;
use poem_openapi::{ApiRequest, OpenApi};
use tseeder_core::domain::TorrentMeta;
use tseeder_core::services::job::{PREVIEW_METADATA_TIMEOUT, SubmitSource};

use super::ApiTag;
use crate::auth::Auth;
use crate::dto::preview::{JobPreviewView, PreviewMagnetRequest, PreviewUpload};
use crate::error::{ApiError, ApiResult};
use crate::state::Shared;

/// What to preview: a magnet link as JSON, or a `.torrent` file as multipart/form-data.
#[derive(Debug, ApiRequest)]
pub(crate) enum PreviewBody {
    /// `{"magnetUri": "magnet:?xt=urn:btih:..."}`
    Magnet(Json<PreviewMagnetRequest>),
    /// Form field `torrent` (the file, at most 10 MiB).
    Torrent(PreviewUpload),
}

/// Reads an uploaded `.torrent` into memory, refusing one over the size limit.
pub(crate) async fn read_torrent(upload: poem_openapi::types::multipart::Upload) -> ApiResult<Vec<u8>> {
    if upload.size() > TorrentMeta::MAX_BYTES {
        return Err(ApiError::payload_too_large(format!(
            "the .torrent file is larger than {} bytes",
            TorrentMeta::MAX_BYTES
        )));
    }
    upload.into_vec().await.map_err(|e| {
        tracing::error!(error = %e, "reading an uploaded torrent failed");
        ApiError::internal()
    })
}

/// Job previews.
#[derive(Debug)]
pub(crate) struct PreviewApi;

#[OpenApi(prefix_path = "/api/v1/jobs", tag = "ApiTag::Jobs")]
impl PreviewApi {
    /// Preview a job
    ///
    /// What submitting this magnet link (JSON) or `.torrent` file (multipart) would download:
    /// name, infohash, total size and every file with its index, path and size; and what it would
    /// cost against the caller's plan (storage used and left, whether the whole torrent fits).
    /// Nothing is created. For a magnet the server asks peers for the metadata, waiting up to
    /// 20 s (504 `metadata_timeout` when none answered); a server whose downloads run on remote
    /// agents cannot do that (503 `preview_unavailable`). Bad input is 400 `invalid_magnet` or
    /// `invalid_torrent`; a blocked torrent 403 `blocked`. Needs `jobs:write`; counts against the
    /// per-user submission rate.
    #[oai(path = "/preview", method = "post", operation_id = "previewJob")]
    async fn preview(&self, auth: Auth, app: Data<&Arc<Shared>>, body: PreviewBody) -> ApiResult<Json<JobPreviewView>> {
        app.limits.submit_job(auth.principal.user_id)?;
        let source = match body {
            PreviewBody::Magnet(Json(request)) => SubmitSource::Magnet(request.magnet_uri),
            PreviewBody::Torrent(upload) => SubmitSource::Torrent(read_torrent(upload.torrent).await?),
        };
        let preview = app.core.jobs.preview(&auth.principal, source, PREVIEW_METADATA_TIMEOUT).await?;
        Ok(Json(preview.into()))
    }
}
