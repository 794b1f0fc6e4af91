//! Job statuses as qBittorrent's torrent states: the one mapping.

use tseeder_core::domain::JobStatus;
use tseeder_core::services::Placement;

/// How long a download may go without progress before it reads as `stalledDL`.
pub(crate) const STALL_SECS: i64 = 60;

/// What the state of a job depends on besides its status.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Facts {
    /// Bytes arrive now (an engine of this process reports a speed above zero).
    pub(crate) receiving: bool,
    /// Seconds since the job last changed (its progress included).
    pub(crate) idle_secs: i64,
    /// Where its files stand in the completed-files location.
    pub(crate) placement: Placement,
}

/// The qBittorrent state string of a job, for apps that branch on it (Sonarr and Radarr import
/// from `pausedUP` and `stalledUP`, wait on the downloading states and `moving`, and report
/// `error`).
///
/// | tseeder | qBittorrent |
/// |---|---|
/// | queued | `queuedDL` |
/// | fetching_metadata | `metaDL` |
/// | downloading, bytes arriving or changed in the last minute | `downloading` |
/// | downloading, no progress for a minute | `stalledDL` |
/// | uploading (into object storage) | `moving` |
/// | completed, files being placed in the completed-files location | `moving` |
/// | completed, placed (or no location configured) | `pausedUP`: tseeder does not seed, so a finished job has stopped uploading |
/// | paused | `pausedDL` |
/// | failed | `error` |
/// | cancelled | `error` (listed only until it is deleted) |
pub(crate) fn qbt_state(status: JobStatus, facts: Facts) -> &'static str {
    match status {
        JobStatus::Queued => "queuedDL",
        JobStatus::FetchingMetadata => "metaDL",
        JobStatus::Downloading if facts.receiving || facts.idle_secs < STALL_SECS => "downloading",
        JobStatus::Downloading => "stalledDL",
        JobStatus::Uploading => "moving",
        JobStatus::Completed => match facts.placement {
            Placement::Moving | Placement::NotFinished => "moving",
            Placement::Ready | Placement::Off => "pausedUP",
        },
        JobStatus::Paused => "pausedDL",
        JobStatus::Failed | JobStatus::Cancelled => "error",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn facts() -> Facts {
        Facts { receiving: false, idle_secs: 0, placement: Placement::NotFinished }
    }

    #[test]
    fn a_queued_job_is_queued_for_download() {
        assert_eq!(qbt_state(JobStatus::Queued, facts()), "queuedDL");
    }

    #[test]
    fn fetching_metadata_is_meta_dl() {
        assert_eq!(qbt_state(JobStatus::FetchingMetadata, facts()), "metaDL");
    }

    #[test]
    fn a_download_with_progress_is_downloading() {
        assert_eq!(qbt_state(JobStatus::Downloading, facts()), "downloading");
        let receiving = Facts { receiving: true, idle_secs: STALL_SECS * 10, ..facts() };
        assert_eq!(qbt_state(JobStatus::Downloading, receiving), "downloading");
    }

    #[test]
    fn a_download_without_progress_for_a_minute_is_stalled() {
        let idle = Facts { idle_secs: STALL_SECS, ..facts() };
        assert_eq!(qbt_state(JobStatus::Downloading, idle), "stalledDL");
        let almost = Facts { idle_secs: STALL_SECS - 1, ..facts() };
        assert_eq!(qbt_state(JobStatus::Downloading, almost), "downloading");
    }

    #[test]
    fn storing_the_files_is_moving() {
        assert_eq!(qbt_state(JobStatus::Uploading, facts()), "moving");
    }

    #[test]
    fn a_completed_job_is_moving_until_its_files_are_placed() {
        let moving = Facts { placement: Placement::Moving, ..facts() };
        assert_eq!(qbt_state(JobStatus::Completed, moving), "moving");
        let ready = Facts { placement: Placement::Ready, ..facts() };
        assert_eq!(qbt_state(JobStatus::Completed, ready), "pausedUP");
        let off = Facts { placement: Placement::Off, ..facts() };
        assert_eq!(qbt_state(JobStatus::Completed, off), "pausedUP");
    }

    #[test]
    fn a_paused_job_is_paused_for_download() {
        assert_eq!(qbt_state(JobStatus::Paused, facts()), "pausedDL");
    }

    #[test]
    fn failed_and_cancelled_jobs_are_errors() {
        assert_eq!(qbt_state(JobStatus::Failed, facts()), "error");
        assert_eq!(qbt_state(JobStatus::Cancelled, facts()), "error");
    }
}
