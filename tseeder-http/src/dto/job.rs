//! Jobs and their history.

use chrono::{DateTime, Utc};
use poem_openapi::types::multipart::Upload;
use poem_openapi::{Enum, Multipart, Object};
use tseeder_core::domain::{Job, JobEvent, JobSource, JobStatus};
use tseeder_core::ports::JobSort;
use uuid::Uuid;

use crate::dto::text::Text;

/// Where a job is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Enum)]
#[oai(rename = "JobStatus", rename_all = "snake_case")]
pub(crate) enum JobStatusDto {
    /// Waiting for a compute engine.
    Queued,
    /// Resolving the torrent's metadata.
    FetchingMetadata,
    /// Pieces are downloading.
    Downloading,
    /// Files are being stored.
    Uploading,
    /// Every file is stored. Terminal.
    Completed,
    /// Stopped by the user; resume puts it back in the queue.
    Paused,
    /// Gave up. Terminal (an admin may replay it).
    Failed,
    /// Cancelled. Terminal.
    Cancelled,
}

impl From<JobStatus> for JobStatusDto {
    fn from(status: JobStatus) -> Self {
        match status {
            JobStatus::Queued => Self::Queued,
            JobStatus::FetchingMetadata => Self::FetchingMetadata,
            JobStatus::Downloading => Self::Downloading,
            JobStatus::Uploading => Self::Uploading,
            JobStatus::Completed => Self::Completed,
            JobStatus::Paused => Self::Paused,
            JobStatus::Failed => Self::Failed,
            JobStatus::Cancelled => Self::Cancelled,
        }
    }
}

impl From<JobStatusDto> for JobStatus {
    fn from(status: JobStatusDto) -> Self {
        match status {
            JobStatusDto::Queued => Self::Queued,
            JobStatusDto::FetchingMetadata => Self::FetchingMetadata,
            JobStatusDto::Downloading => Self::Downloading,
            JobStatusDto::Uploading => Self::Uploading,
            JobStatusDto::Completed => Self::Completed,
            JobStatusDto::Paused => Self::Paused,
            JobStatusDto::Failed => Self::Failed,
            JobStatusDto::Cancelled => Self::Cancelled,
        }
    }
}

/// What a job was submitted from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Enum)]
#[oai(rename_all = "lowercase")]
pub(crate) enum SourceKind {
    /// A magnet link.
    Magnet,
    /// An uploaded `.torrent` file.
    Torrent,
}

impl From<&JobSource> for SourceKind {
    fn from(source: &JobSource) -> Self {
        match source {
            JobSource::Magnet(_) => Self::Magnet,
            JobSource::Torrent(_) => Self::Torrent,
        }
    }
}

/// A download job. The magnet URI (trackers may carry passkeys) and the torrent bytes are never
/// sent back.
#[derive(Debug, Clone, Object)]
#[oai(rename = "Job", rename_all = "camelCase", skip_serializing_if_is_none)]
pub(crate) struct JobView {
    /// The id.
    pub(crate) id: Uuid,
    /// The owner (who submitted it, or the member it was handed to).
    pub(crate) user_id: Uuid,
    /// The organization it belongs to: its quota pays for it, its owners and admins see it.
    pub(crate) org_id: Uuid,
    /// Display name.
    pub(crate) name: String,
    /// Current status.
    pub(crate) status: JobStatusDto,
    /// The torrent's infohash, 40 lowercase hex characters.
    pub(crate) infohash: String,
    /// `magnet` or `torrent`.
    pub(crate) source_kind: SourceKind,
    /// Total payload size, once known.
    pub(crate) total_bytes: Option<u64>,
    /// Bytes downloaded so far.
    pub(crate) done_bytes: u64,
    /// Progress from 0 to 100; absent while the size is unknown.
    pub(crate) progress_pct: Option<f64>,
    /// Why the job failed.
    pub(crate) error: Option<String>,
    /// The compute worker running the job.
    pub(crate) worker_id: Option<String>,
    /// The region the job prefers to run in, if one was asked for.
    pub(crate) region_hint: Option<String>,
    /// Submission time.
    pub(crate) created_at: DateTime<Utc>,
    /// Last change.
    pub(crate) updated_at: DateTime<Utc>,
    /// Completion time.
    pub(crate) completed_at: Option<DateTime<Utc>>,
}

/// The same bytes as its `ToJSON` (see [`crate::dto::JsonBody`]): the keys in sorted order,
/// absent values left out, times in RFC 3339 with `+00:00`, ids hyphenated.
impl serde::Serialize for JobView {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use poem_openapi::types::ToJSON as _;
        use serde::ser::SerializeMap as _;
        let mut map = serializer.serialize_map(None)?;
        if let Some(at) = &self.completed_at {
            map.serialize_entry("completedAt", &at.to_rfc3339())?;
        }
        map.serialize_entry("createdAt", &self.created_at.to_rfc3339())?;
        map.serialize_entry("doneBytes", &self.done_bytes)?;
        if let Some(error) = &self.error {
            map.serialize_entry("error", error)?;
        }
        map.serialize_entry("id", &self.id)?;
        map.serialize_entry("infohash", &self.infohash)?;
        map.serialize_entry("name", &self.name)?;
        map.serialize_entry("orgId", &self.org_id)?;
        if let Some(pct) = self.progress_pct.and_then(serde_json::Number::from_f64) {
            map.serialize_entry("progressPct", &pct)?;
        }
        if let Some(region) = &self.region_hint {
            map.serialize_entry("regionHint", region)?;
        }
        map.serialize_entry("sourceKind", &self.source_kind.to_json())?;
        map.serialize_entry("status", &self.status.to_json())?;
        if let Some(total) = &self.total_bytes {
            map.serialize_entry("totalBytes", total)?;
        }
        map.serialize_entry("updatedAt", &self.updated_at.to_rfc3339())?;
        map.serialize_entry("userId", &self.user_id)?;
        if let Some(worker) = &self.worker_id {
            map.serialize_entry("workerId", worker)?;
        }
        map.end()
    }
}

/// Progress in percent, rounded to two decimals: 100 once completed, None while the size is
/// unknown.
fn progress_pct(status: JobStatus, total_bytes: Option<u64>, done_bytes: u64) -> Option<f64> {
    if status == JobStatus::Completed {
        return Some(100.0);
    }
    let total = total_bytes?;
    if total == 0 {
        return Some(0.0);
    }
    let pct = done_bytes.min(total) as f64 * 100.0 / total as f64;
    Some((pct * 100.0).round() / 100.0)
}

impl From<Job> for JobView {
    fn from(job: Job) -> Self {
        Self {
            id: job.id.0,
            user_id: job.user_id.0,
            org_id: job.org_id.0,
            progress_pct: progress_pct(job.status, job.total_bytes, job.done_bytes),
            name: job.name,
            status: job.status.into(),
            infohash: job.infohash.to_hex(),
            source_kind: SourceKind::from(&job.source),
            total_bytes: job.total_bytes,
            done_bytes: job.done_bytes,
            error: job.error,
            worker_id: job.worker_id,
            region_hint: job.region_hint.map(String::from),
            created_at: job.created_at,
            updated_at: job.updated_at,
            completed_at: job.completed_at,
        }
    }
}

/// Submit a magnet link.
#[derive(Debug, Clone, Object)]
#[oai(rename_all = "camelCase", skip_serializing_if_is_none)]
pub(crate) struct CreateJobRequest {
    /// `magnet:?xt=urn:btih:<infohash>`: one `xt=urn:btih:` with 40 hex or 32 base32
    /// characters, other parameters in any order around it, in printable ASCII (percent-encode
    /// the rest); at most 8192 characters.
    #[oai(validator(
        max_length = 8192,
        pattern = r#"^magnet:\?(?:(?:[A-Za-wyz0-9._~-][A-Za-z0-9._~-]*|x|x[A-Za-su-z0-9._~-][A-Za-z0-9._~-]*|xt[A-Za-z0-9._~-]+)(?:=[!"$%'-~]*)?&)*xt=urn:btih:(?:[0-9a-fA-F]{40}|[2-7A-Za-z]{32})(?:&(?:[A-Za-wyz0-9._~-][A-Za-z0-9._~-]*|x|x[A-Za-su-z0-9._~-][A-Za-z0-9._~-]*|xt[A-Za-z0-9._~-]+)(?:=[!"$%'-~]*)?)*$"#
    ))]
    pub(crate) magnet_uri: Text,
    /// Display name overriding the magnet's `dn=`: 1 to 255 characters, no control characters,
    /// not blank.
    #[oai(
        nullable,
        validator(
            min_length = 1,
            max_length = 255,
            pattern = r#"^[^\x00-\x1f\x7f-\x9f]*[^\x00-\x1f\x7f-\x9f \u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000][^\x00-\x1f\x7f-\x9f]*$"#
        )
    )]
    pub(crate) name: Option<Text>,
    /// Download only these files: indexes in the torrent's order, from 0. Checked when the
    /// metadata arrives (a bad index then fails the job with `invalid_selection`). Absent: every
    /// file.
    #[oai(nullable, validator(min_items = 1, unique_items = true))]
    pub(crate) files: Option<Vec<u32>>,
    /// Prefer agents of this region (1 to 32 of `a-z`, `0-9`, `-`; 400 `invalid_region`
    /// otherwise); other regions are used when it has no capacity. Absent: any region.
    #[oai(nullable, validator(min_length = 1, max_length = 32, pattern = r#"^[a-z0-9-]{1,32}$"#))]
    pub(crate) region_hint: Option<Text>,
}

/// Submit a `.torrent` file (multipart/form-data).
#[derive(Debug, Multipart)]
pub(crate) struct CreateJobUpload {
    /// The `.torrent` file, at most 10 MiB.
    pub(crate) torrent: Upload,
    /// Display name overriding the torrent's: 1 to 255 characters, no control characters, not
    /// blank.
    #[oai(validator(
        min_length = 1,
        max_length = 255,
        pattern = r#"^[^\x00-\x1f\x7f-\x9f]*[^\x00-\x1f\x7f-\x9f \u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000][^\x00-\x1f\x7f-\x9f]*$"#
    ))]
    pub(crate) name: Option<String>,
    /// Download only these files: comma-separated indexes in the torrent's order, from 0 (`0,2`),
    /// each once. Absent or blank: every file. An index the torrent does not have is 400
    /// `invalid_selection`.
    #[oai(validator(max_length = 65536, pattern = r"^ *(?:[0-9]{1,9} *(?:, *[0-9]{1,9} *)*)?$"))]
    pub(crate) files: Option<String>,
    /// Prefer agents of this region (1 to 32 of `a-z`, `0-9`, `-`); other regions are used when
    /// it has no capacity. Absent: any region.
    #[oai(rename = "regionHint", validator(min_length = 1, max_length = 32, pattern = "^[a-z0-9-]{1,32}$"))]
    pub(crate) region_hint: Option<String>,
}

/// Parses the multipart `files` field: comma-separated indexes, blanks around them allowed.
/// `Ok(None)` when the field is blank.
pub(crate) fn parse_file_selection(field: &str) -> Result<Option<Vec<u32>>, String> {
    if field.trim().is_empty() {
        return Ok(None);
    }
    field
        .split(',')
        .map(|part| part.trim().parse::<u32>().map_err(|_| format!("`{}` is not a file index", part.trim())))
        .collect::<Result<Vec<_>, _>>()
        .map(Some)
}

/// Rename a job.
#[derive(Debug, Clone, Object)]
pub(crate) struct RenameJobRequest {
    /// The new name: 1 to 255 characters, no control characters, not blank (surrounding blanks
    /// are trimmed).
    #[oai(validator(
        min_length = 1,
        max_length = 255,
        pattern = r#"^[^\x00-\x1f\x7f-\x9f]*[^\x00-\x1f\x7f-\x9f \u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000][^\x00-\x1f\x7f-\x9f]*$"#
    ))]
    pub(crate) name: Text,
}

/// Sort key of job lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Enum)]
#[oai(rename_all = "snake_case")]
pub(crate) enum JobSortBy {
    /// Submission time.
    CreatedAt,
    /// Last change.
    UpdatedAt,
    /// Name.
    Name,
}

impl From<JobSortBy> for JobSort {
    fn from(sort: JobSortBy) -> Self {
        match sort {
            JobSortBy::CreatedAt => Self::CreatedAt,
            JobSortBy::UpdatedAt => Self::UpdatedAt,
            JobSortBy::Name => Self::Name,
        }
    }
}

/// Sort direction.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Enum)]
#[oai(rename_all = "lowercase")]
pub(crate) enum SortDir {
    /// Smallest first.
    Asc,
    /// Largest (newest) first.
    Desc,
}

/// One entry of a job's history.
#[derive(Debug, Clone, Object)]
#[oai(rename = "JobEvent", rename_all = "camelCase")]
pub(crate) struct JobEventView {
    /// Position in the history, from 1, without gaps.
    pub(crate) seq: u64,
    /// What happened: `job_created`, `status_changed`, `job_renamed`...
    pub(crate) kind: String,
    /// Details.
    pub(crate) payload: serde_json::Value,
    /// When.
    pub(crate) created_at: DateTime<Utc>,
}

impl From<JobEvent> for JobEventView {
    fn from(event: JobEvent) -> Self {
        Self {
            seq: event.seq,
            kind: event.kind.as_str().to_owned(),
            payload: event.payload,
            created_at: event.created_at,
        }
    }
}

/// `{events}`.
#[derive(Debug, Clone, Object)]
pub(crate) struct JobEventList {
    /// Oldest first.
    pub(crate) events: Vec<JobEventView>,
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Fuzz target (budget `TSEEDER_FUZZ_MS`, 2 s by default): the multipart `files` field never
    /// panics, and what parses is exactly the listed indexes.
    #[test]
    fn file_selections_never_panic() {
        arbtest::arbtest(|u| {
            let field: String = if u.arbitrary()? {
                u.arbitrary()?
            } else {
                let picks: Vec<u32> = u.arbitrary()?;
                picks.iter().map(u32::to_string).collect::<Vec<_>>().join(" , ")
            };
            if let Ok(Some(files)) = parse_file_selection(&field) {
                let listed = field.split(',').filter(|p| !p.trim().is_empty()).count();
                assert_eq!(files.len(), listed, "{field:?}");
            }
            Ok(())
        })
        .budget_ms(crate::fuzz_budget_ms());
    }

    #[test]
    fn progress_is_a_percentage_of_the_known_size() {
        assert_eq!(progress_pct(JobStatus::Downloading, Some(200), 50), Some(25.0));
        assert_eq!(progress_pct(JobStatus::Downloading, Some(3), 1), Some(33.33));
        assert_eq!(progress_pct(JobStatus::Downloading, Some(10), 20), Some(100.0));
        assert_eq!(progress_pct(JobStatus::Queued, Some(0), 0), Some(0.0));
    }

    #[test]
    fn file_selections_are_comma_separated_indexes() {
        assert_eq!(parse_file_selection("0,2"), Ok(Some(vec![0, 2])));
        assert_eq!(parse_file_selection(" 3 , 1 "), Ok(Some(vec![3, 1])));
        assert_eq!(parse_file_selection("  "), Ok(None));
        assert!(parse_file_selection("0,,1").is_err());
        assert!(parse_file_selection("-1").is_err());
        assert!(parse_file_selection("a").is_err());
    }

    /// Fuzz target: a page of jobs written by `Serialize` (the list's [`crate::dto::JsonBody`])
    /// is the same bytes as through `ToJSON` (poem-openapi's `Json`, which the spec describes),
    /// whatever the fields hold.
    #[test]
    fn a_page_of_jobs_serializes_to_the_same_bytes_both_ways() {
        use poem_openapi::types::ToJSON as _;

        use crate::dto::page::{Page, PageMeta};
        const STATUSES: [JobStatusDto; 8] = [
            JobStatusDto::Queued,
            JobStatusDto::FetchingMetadata,
            JobStatusDto::Downloading,
            JobStatusDto::Uploading,
            JobStatusDto::Completed,
            JobStatusDto::Paused,
            JobStatusDto::Failed,
            JobStatusDto::Cancelled,
        ];
        fn time(u: &mut arbtest::arbitrary::Unstructured<'_>) -> arbtest::arbitrary::Result<DateTime<Utc>> {
            let nanos = u.int_in_range(0..=999_999_999)?;
            Ok(DateTime::from_timestamp(u.int_in_range(0..=4_102_444_800)?, nanos).unwrap_or_default())
        }
        arbtest::arbtest(|u| {
            let mut data = Vec::new();
            for _ in 0..u.int_in_range(0..=4)? {
                let completed_at = if u.arbitrary()? { Some(time(u)?) } else { None };
                data.push(JobView {
                    id: Uuid::from_u128(u.arbitrary()?),
                    user_id: Uuid::from_u128(u.arbitrary()?),
                    org_id: Uuid::from_u128(u.arbitrary()?),
                    name: u.arbitrary()?,
                    status: *u.choose(&STATUSES)?,
                    infohash: u.arbitrary()?,
                    source_kind: *u.choose(&[SourceKind::Magnet, SourceKind::Torrent])?,
                    total_bytes: u.arbitrary()?,
                    done_bytes: u.arbitrary()?,
                    progress_pct: u.arbitrary()?,
                    error: u.arbitrary()?,
                    worker_id: u.arbitrary()?,
                    region_hint: u.arbitrary()?,
                    created_at: time(u)?,
                    updated_at: time(u)?,
                    completed_at,
                });
            }
            let meta = PageMeta {
                page: u.arbitrary()?,
                limit: u.arbitrary()?,
                total: u.arbitrary()?,
                total_pages: u.arbitrary()?,
            };
            let page = Page { data, meta };
            let direct = serde_json::to_string(&page).unwrap_or_default();
            let through_value = serde_json::to_string(&page.to_json()).unwrap_or_default();
            assert_eq!(direct, through_value);
            Ok(())
        })
        .budget_ms(crate::fuzz_budget_ms());
    }

    #[test]
    fn progress_is_unknown_without_a_size_until_completion() {
        assert_eq!(progress_pct(JobStatus::FetchingMetadata, None, 0), None);
        assert_eq!(progress_pct(JobStatus::Completed, None, 0), Some(100.0));
    }
}
