//! The job state machine: one enum of states, one enum of transitions, and one pure function that
//! decides. Every status change in tseeder goes through [`JobStatus::apply`], so an adapter can
//! never write a status the core did not produce, and a late engine callback can never revive a
//! cancelled job.
//!
//! ```text
//! queued ──Dispatch──▶ fetching_metadata ──MetadataReady──▶ downloading ──DownloadFinished──▶ uploading ──Stored──▶ completed
//!    ▲                        │ │                              │ │                            │ │
//!    └──────── Requeue ───────┴─────────────── (lease lost, retry) ───────────────────────────┘ │
//! any active ──Pause──▶ paused ──Resume──▶ queued
//! any non-terminal ──Cancel──▶ cancelled        any non-terminal ──Fail──▶ failed ──Replay──▶ queued
//! ```

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// Where a job is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum JobStatus {
    /// Waiting in the queue for a compute engine.
    Queued,
    /// An engine has the job and is resolving the torrent's metadata.
    FetchingMetadata,
    /// Pieces are downloading.
    Downloading,
    /// The download finished; files are being written to object storage.
    Uploading,
    /// Every file is stored and downloadable. Terminal.
    Completed,
    /// Stopped by the user; resuming puts it back in the queue.
    Paused,
    /// Gave up (engine error, or retries exhausted). Terminal, but an admin may replay it.
    Failed,
    /// Cancelled by the user or an admin. Terminal.
    Cancelled,
}

/// Something that happened to a job.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum JobTransition {
    /// A dispatcher leased the job's queue message and handed it to an engine.
    Dispatch,
    /// The engine knows the torrent's name and files.
    MetadataReady,
    /// All pieces are downloaded.
    DownloadFinished,
    /// Every file is in object storage.
    Stored,
    /// The attempt failed but will be retried: back to the queue.
    Requeue,
    /// The user paused the job.
    Pause,
    /// The user resumed a paused job.
    Resume,
    /// The user or an admin cancelled the job.
    Cancel,
    /// The job failed for good.
    Fail,
    /// An admin replayed a failed job from the dead-letter queue.
    Replay,
    /// The torrent was already stored (by any user): the job completes at once, sharing the
    /// stored files.
    Deduplicated,
}

/// A transition that is not allowed from the current status.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("cannot {transition:?} a job that is {from}")]
pub struct InvalidTransition {
    /// The status the job was in.
    pub from: JobStatus,
    /// What was attempted.
    pub transition: JobTransition,
}

impl JobStatus {
    /// Every status, for round-trip tests and CHECK lists.
    pub const ALL: [JobStatus; 8] = [
        Self::Queued,
        Self::FetchingMetadata,
        Self::Downloading,
        Self::Uploading,
        Self::Completed,
        Self::Paused,
        Self::Failed,
        Self::Cancelled,
    ];

    /// The statuses that count towards the active-jobs quota.
    pub const ACTIVE: [JobStatus; 5] =
        [Self::Queued, Self::FetchingMetadata, Self::Downloading, Self::Uploading, Self::Paused];

    /// Completed, failed and cancelled jobs never change again (except an admin replay of a
    /// failed one).
    pub fn is_terminal(self) -> bool {
        matches!(self, Self::Completed | Self::Failed | Self::Cancelled)
    }

    /// Whether an engine is (or should be) working on the job.
    pub fn is_running(self) -> bool {
        matches!(self, Self::FetchingMetadata | Self::Downloading | Self::Uploading)
    }

    /// The state machine: the status after `transition`, or why it is not allowed.
    pub fn apply(self, transition: JobTransition) -> Result<JobStatus, InvalidTransition> {
        use JobStatus as S;
        use JobTransition as T;
        let next = match (self, transition) {
            (S::Queued, T::Dispatch) => S::FetchingMetadata,
            (S::FetchingMetadata, T::MetadataReady) => S::Downloading,
            (S::Downloading, T::DownloadFinished) => S::Uploading,
            (S::Uploading, T::Stored) => S::Completed,
            (s, T::Requeue) if s.is_running() => S::Queued,
            (S::Queued, T::Pause) => S::Paused,
            (s, T::Pause) if s.is_running() => S::Paused,
            (S::Paused, T::Resume) => S::Queued,
            (s, T::Cancel) if !s.is_terminal() => S::Cancelled,
            (s, T::Fail) if !s.is_terminal() => S::Failed,
            (S::Failed, T::Replay) => S::Queued,
            (S::Queued, T::Deduplicated) => S::Completed,
            (from, transition) => return Err(InvalidTransition { from, transition }),
        };
        Ok(next)
    }

    /// The stable snake_case name used in storage and the API.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Queued => "queued",
            Self::FetchingMetadata => "fetching_metadata",
            Self::Downloading => "downloading",
            Self::Uploading => "uploading",
            Self::Completed => "completed",
            Self::Paused => "paused",
            Self::Failed => "failed",
            Self::Cancelled => "cancelled",
        }
    }
}

impl fmt::Display for JobStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// An unknown status name.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown job status {0:?}")]
pub struct UnknownStatus(pub String);

impl FromStr for JobStatus {
    type Err = UnknownStatus;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::ALL.into_iter().find(|st| st.as_str() == s).ok_or_else(|| UnknownStatus(s.to_owned()))
    }
}

#[cfg(test)]
mod tests {
    use super::JobStatus::*;
    use super::JobTransition::*;
    use super::*;

    fn ok(from: JobStatus, t: JobTransition, to: JobStatus) {
        assert_eq!(from.apply(t), Ok(to), "{from} --{t:?}--> {to}");
    }

    fn refused(from: JobStatus, t: JobTransition) {
        assert_eq!(from.apply(t), Err(InvalidTransition { from, transition: t }), "{from} --{t:?}");
    }

    #[test]
    fn dispatch_moves_a_queued_job_to_metadata_fetch() {
        ok(Queued, Dispatch, FetchingMetadata);
        for s in [FetchingMetadata, Downloading, Uploading, Completed, Paused, Failed, Cancelled] {
            refused(s, Dispatch);
        }
    }

    #[test]
    fn metadata_ready_starts_the_download() {
        ok(FetchingMetadata, MetadataReady, Downloading);
        refused(Queued, MetadataReady);
        refused(Cancelled, MetadataReady);
    }

    #[test]
    fn late_engine_reports_never_revive_a_stopped_job() {
        for s in [Queued, Completed, Paused, Failed, Cancelled] {
            for t in [MetadataReady, DownloadFinished, Stored] {
                refused(s, t);
            }
        }
    }

    #[test]
    fn download_finished_moves_to_uploading() {
        ok(Downloading, DownloadFinished, Uploading);
        refused(FetchingMetadata, DownloadFinished);
        refused(Cancelled, DownloadFinished);
        refused(Paused, DownloadFinished);
    }

    #[test]
    fn stored_completes_the_job() {
        ok(Uploading, Stored, Completed);
        refused(Downloading, Stored);
        refused(Completed, Stored);
        refused(Cancelled, Stored);
        refused(Queued, Stored);
    }

    #[test]
    fn requeue_only_from_running_states() {
        for s in [FetchingMetadata, Downloading, Uploading] {
            ok(s, Requeue, Queued);
        }
        for s in [Queued, Completed, Paused, Failed, Cancelled] {
            refused(s, Requeue);
        }
    }

    #[test]
    fn pause_and_resume() {
        for s in [Queued, FetchingMetadata, Downloading, Uploading] {
            ok(s, Pause, Paused);
        }
        for s in [Paused, Completed, Failed, Cancelled] {
            refused(s, Pause);
        }
        ok(Paused, Resume, Queued);
        for s in [Queued, Downloading, Completed, Failed, Cancelled] {
            refused(s, Resume);
        }
    }

    #[test]
    fn cancel_and_fail_from_any_non_terminal_state() {
        for s in [Queued, FetchingMetadata, Downloading, Uploading, Paused] {
            ok(s, Cancel, Cancelled);
            ok(s, Fail, Failed);
        }
        for s in [Completed, Failed, Cancelled] {
            refused(s, Cancel);
            refused(s, Fail);
        }
    }

    #[test]
    fn replay_only_revives_failed_jobs() {
        ok(Failed, Replay, Queued);
        for s in [Queued, Downloading, Completed, Paused, Cancelled] {
            refused(s, Replay);
        }
    }

    #[test]
    fn deduplication_completes_only_a_queued_job() {
        ok(Queued, Deduplicated, Completed);
        for s in [FetchingMetadata, Downloading, Uploading, Completed, Paused, Failed, Cancelled] {
            refused(s, Deduplicated);
        }
    }

    #[test]
    fn names_round_trip() {
        for s in JobStatus::ALL {
            assert_eq!(s.as_str().parse::<JobStatus>(), Ok(s));
            assert_eq!(serde_json::to_string(&s).unwrap(), format!("\"{}\"", s.as_str()));
        }
        assert!("scanning".parse::<JobStatus>().is_err());
    }
}
