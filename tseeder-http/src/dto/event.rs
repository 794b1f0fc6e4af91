//! Messages of the live job stream (`GET /jobs/{id}/events`, Server-Sent Events).
//!
//! Each message becomes one SSE event; [`JobStreamMessage::to_sse`] decides its `event:` name and
//! `id:`. Only history entries carry an id (their `seq`), so a client that reconnects with
//! `Last-Event-ID` resumes after the last stored entry it saw; progress snapshots are not stored
//! and have none.

use chrono::{DateTime, Utc};
use poem::web::sse::Event;
use poem_openapi::types::ToJSON;
use poem_openapi::{Object, Union};
use tseeder_core::domain::JobEvent;
use tseeder_core::ports::EngineProgress;

use super::job::{JobStatusDto, JobView};

/// `event: <kind>`, `id: <seq>`: an entry of the job's history.
#[derive(Debug, Clone, Object)]
#[oai(rename_all = "camelCase")]
pub(crate) struct JobStreamEntry {
    /// Position in the history; also the SSE `id`.
    pub(crate) seq: u64,
    /// What happened (`job_created`, `status_changed`, `attempt_failed`...); also the SSE `event`.
    pub(crate) kind: String,
    /// Details.
    pub(crate) payload: serde_json::Value,
    /// When it happened.
    pub(crate) created_at: DateTime<Utc>,
    /// The job as it was when this message was sent.
    pub(crate) job: JobView,
}

impl JobStreamEntry {
    /// The entry, sent along with the job's current state.
    pub(crate) fn new(event: JobEvent, job: JobView) -> Self {
        Self {
            seq: event.seq,
            kind: event.kind.as_str().to_owned(),
            payload: event.payload,
            created_at: event.created_at,
            job,
        }
    }
}

/// `event: progress` (no id): a live snapshot from the engine, not stored.
#[derive(Debug, Clone, Object)]
#[oai(rename = "JobProgress", rename_all = "camelCase", skip_serializing_if_is_none)]
pub(crate) struct JobProgressView {
    /// Bytes of the selected files downloaded and verified.
    pub(crate) done_bytes: u64,
    /// Bytes of the selected files in total.
    pub(crate) total_bytes: u64,
    /// Download speed, bytes per second.
    pub(crate) download_bps: u64,
    /// Upload speed, bytes per second.
    pub(crate) upload_bps: u64,
    /// Connected peers.
    pub(crate) peers: u32,
    /// Estimated seconds to completion; absent when unknown.
    pub(crate) eta_secs: Option<u64>,
    /// 0 to 100, two decimals; absent while the total is unknown (zero).
    pub(crate) progress_pct: Option<f64>,
}

impl From<EngineProgress> for JobProgressView {
    fn from(p: EngineProgress) -> Self {
        let progress_pct = (p.total_bytes > 0).then(|| {
            let pct = p.done_bytes.min(p.total_bytes) as f64 * 100.0 / p.total_bytes as f64;
            (pct * 100.0).round() / 100.0
        });
        Self {
            done_bytes: p.done_bytes,
            total_bytes: p.total_bytes,
            download_bps: p.download_bps,
            upload_bps: p.upload_bps,
            peers: p.peers,
            eta_secs: p.eta_secs,
            progress_pct,
        }
    }
}

/// `event: end` (no id): the job reached a terminal status; the server closes the stream.
#[derive(Debug, Clone, Object)]
#[oai(rename = "JobStreamEnd")]
pub(crate) struct JobStreamEnd {
    /// `completed`, `failed` or `cancelled`.
    pub(crate) status: JobStatusDto,
}

/// One message of the live stream; the SSE `event:` field says which.
#[derive(Debug, Clone, Union)]
#[oai(rename = "JobStreamMessage")]
#[expect(clippy::large_enum_variant, reason = "history entries are most messages; boxing them would save nothing")]
pub(crate) enum JobStreamMessage {
    /// A history entry (`event: <kind>`, `id: <seq>`).
    Entry(JobStreamEntry),
    /// A progress snapshot (`event: progress`).
    Progress(JobProgressView),
    /// The last message (`event: end`).
    End(JobStreamEnd),
}

impl JobStreamMessage {
    /// The SSE event: `id` and `event` fields, and the JSON `data`.
    pub(crate) fn to_sse(&self) -> Event {
        match self {
            Self::Entry(entry) => {
                Event::message(entry.to_json_string()).id(entry.seq.to_string()).event_type(entry.kind.clone())
            }
            Self::Progress(progress) => Event::message(progress.to_json_string()).event_type("progress"),
            Self::End(end) => Event::message(end.to_json_string()).event_type("end"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn progress_has_a_percentage_once_the_total_is_known() {
        let p = EngineProgress { done_bytes: 1, total_bytes: 3, ..EngineProgress::default() };
        assert_eq!(JobProgressView::from(p).progress_pct, Some(33.33));
        assert_eq!(JobProgressView::from(EngineProgress::default()).progress_pct, None);
    }

    #[test]
    fn progress_and_end_events_have_no_id() {
        let progress = JobStreamMessage::Progress(EngineProgress { peers: 3, ..EngineProgress::default() }.into());
        let text = progress.to_sse().to_string();
        let data = text.strip_prefix("event: progress\ndata: ").and_then(|d| d.strip_suffix("\n\n")).unwrap();
        assert_eq!(
            serde_json::from_str::<serde_json::Value>(data).unwrap(),
            serde_json::json!({"doneBytes": 0, "totalBytes": 0, "downloadBps": 0, "uploadBps": 0, "peers": 3}),
            "unknown values are left out, never null"
        );
        let end = JobStreamMessage::End(JobStreamEnd { status: JobStatusDto::Completed });
        assert_eq!(end.to_sse().to_string(), "event: end\ndata: {\"status\":\"completed\"}\n\n");
    }
}
