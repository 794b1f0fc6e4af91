//! Previews: what a submission would download and cost, before it is made.

use poem_openapi::types::multipart::Upload;
use poem_openapi::{Multipart, Object};
use tseeder_core::services::job::{JobPreview, PreviewCost};

/// Preview a magnet link.
#[derive(Debug, Clone, Object)]
#[oai(rename_all = "camelCase")]
pub(crate) struct PreviewMagnetRequest {
    /// `magnet:?xt=urn:btih:...`
    #[oai(validator(max_length = 65536))]
    pub(crate) magnet_uri: String,
}

/// Preview a `.torrent` file (multipart/form-data).
#[derive(Debug, Multipart)]
pub(crate) struct PreviewUpload {
    /// The `.torrent` file, at most 10 MiB.
    pub(crate) torrent: Upload,
}

/// One file of a previewed torrent.
#[derive(Debug, Clone, Object)]
#[oai(rename = "PreviewFile", rename_all = "camelCase")]
pub(crate) struct PreviewFileView {
    /// The index to name in a submission's `files`.
    pub(crate) index: u32,
    /// Path relative to the job's directory (`name/...` for multi-file torrents).
    pub(crate) path: String,
    /// Size in bytes.
    pub(crate) size_bytes: u64,
}

/// What the whole torrent would cost against the caller's plan.
#[derive(Debug, Clone, Object)]
#[oai(rename = "PreviewCost", rename_all = "camelCase")]
pub(crate) struct PreviewCostView {
    /// The caller's plan.
    pub(crate) plan: String,
    /// Bytes the caller stores now.
    pub(crate) storage_used_bytes: u64,
    /// The plan's storage limit; null for unlimited.
    pub(crate) storage_limit_bytes: Option<u64>,
    /// Bytes left before the limit; null for unlimited.
    pub(crate) storage_left_bytes: Option<u64>,
    /// The caller's jobs in an active status now.
    pub(crate) active_jobs: u64,
    /// The plan's limit on active jobs; null for unlimited.
    pub(crate) max_active_jobs: Option<u64>,
    /// The plan's limit on one file; null for unlimited.
    pub(crate) max_file_size_bytes: Option<u64>,
    /// Whether submitting every file now would pass the plan's checks.
    pub(crate) fits: bool,
    /// Why it would not (the message a submission would get); null when it fits.
    pub(crate) refusal: Option<String>,
}

/// What a submission would download and cost. Nothing was created.
#[derive(Debug, Clone, Object)]
#[oai(rename = "JobPreview", rename_all = "camelCase")]
pub(crate) struct JobPreviewView {
    /// The torrent's name.
    pub(crate) name: String,
    /// The torrent's infohash, 40 lowercase hex characters.
    pub(crate) infohash: String,
    /// `magnet` or `torrent`.
    pub(crate) source_kind: String,
    /// The sum of the file sizes.
    pub(crate) total_bytes: u64,
    /// Every file, in the torrent's order.
    pub(crate) files: Vec<PreviewFileView>,
    /// The cost of the whole torrent against the caller's plan.
    pub(crate) cost: PreviewCostView,
}

impl From<PreviewCost> for PreviewCostView {
    fn from(cost: PreviewCost) -> Self {
        Self {
            plan: cost.plan,
            storage_used_bytes: cost.storage_used_bytes,
            storage_limit_bytes: cost.storage_limit_bytes,
            storage_left_bytes: cost.storage_left_bytes,
            active_jobs: cost.active_jobs,
            max_active_jobs: cost.max_active_jobs,
            max_file_size_bytes: cost.max_file_size_bytes,
            fits: cost.fits,
            refusal: cost.refusal,
        }
    }
}

impl From<JobPreview> for JobPreviewView {
    fn from(preview: JobPreview) -> Self {
        Self {
            name: preview.name,
            infohash: preview.infohash.to_hex(),
            source_kind: preview.source_kind.to_owned(),
            total_bytes: preview.total_bytes,
            files: preview
                .files
                .into_iter()
                .enumerate()
                .map(|(index, f)| PreviewFileView {
                    index: u32::try_from(index).unwrap_or(u32::MAX),
                    path: f.path.as_str().to_owned(),
                    size_bytes: f.size,
                })
                .collect(),
            cost: preview.cost.into(),
        }
    }
}
