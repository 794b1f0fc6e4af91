//! The JSON the API and an agent exchange for remote dispatch (`/v1/jobs`).

use serde::{Deserialize, Serialize};
use tseeder_core::domain::{JobId, RelPath, TorrentFile};
use tseeder_core::ports::{EngineEvent, EngineProgress};

/// Where the agent's jobs API lives, relative to its base URL.
pub const JOBS_PATH: &str = "v1/jobs";

/// What to download, as sent to `POST /v1/jobs`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum WireSource {
    /// A magnet link.
    #[serde(rename_all = "camelCase")]
    Magnet {
        /// The link.
        magnet_uri: String,
    },
    /// A `.torrent` file.
    #[serde(rename_all = "camelCase")]
    Torrent {
        /// Its bytes, standard base64 with padding.
        torrent_base64: String,
    },
}

/// The body of `POST /v1/jobs`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct StartJob {
    /// The API's job id.
    pub job_id: JobId,
    /// The torrent's infohash, 40 hex characters (names the files in the object store).
    pub infohash: String,
    /// What to download.
    pub source: WireSource,
    /// Only these file indexes; all when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub only_files: Option<Vec<usize>>,
}

/// A file in a [`WireEvent::Metadata`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WireFile {
    /// Safe relative path.
    pub path: RelPath,
    /// Bytes.
    pub size: u64,
}

/// An engine event on the wire. `FileReady` never travels: the agent's runs store each file and
/// send `fileStored`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "camelCase", rename_all_fields = "camelCase")]
pub enum WireEvent {
    /// [`EngineEvent::Metadata`].
    Metadata {
        /// The torrent's name.
        name: String,
        /// Its files.
        files: Vec<WireFile>,
    },
    /// [`EngineEvent::Progress`].
    Progress {
        /// The snapshot.
        progress: EngineProgress,
    },
    /// [`EngineEvent::FileStored`].
    FileStored {
        /// The file's index.
        index: usize,
        /// Its key in the object store.
        blob_key: String,
        /// Bytes stored.
        size: u64,
    },
    /// [`EngineEvent::Downloaded`].
    Downloaded,
    /// [`EngineEvent::Finished`].
    Finished,
    /// [`EngineEvent::Failed`].
    Failed {
        /// Why.
        message: String,
    },
    /// [`EngineEvent::Rejected`].
    Rejected {
        /// Why.
        message: String,
    },
}

impl WireEvent {
    /// The wire form of `event`; `None` for `FileReady` (the agent stores the file first).
    pub fn from_engine(event: &EngineEvent) -> Option<Self> {
        Some(match event {
            EngineEvent::Metadata { name, files } => Self::Metadata {
                name: name.clone(),
                files: files.iter().map(|f| WireFile { path: f.path.clone(), size: f.size }).collect(),
            },
            EngineEvent::Progress(p) => Self::Progress { progress: *p },
            EngineEvent::FileReady { .. } => return None,
            EngineEvent::FileStored { index, blob_key, size } => {
                Self::FileStored { index: *index, blob_key: blob_key.clone(), size: *size }
            }
            EngineEvent::Downloaded => Self::Downloaded,
            EngineEvent::Finished => Self::Finished,
            EngineEvent::Failed(m) => Self::Failed { message: m.clone() },
            EngineEvent::Rejected(m) => Self::Rejected { message: m.clone() },
        })
    }

    /// Back to an engine event.
    pub fn into_engine(self) -> EngineEvent {
        match self {
            Self::Metadata { name, files } => EngineEvent::Metadata {
                name,
                files: files.into_iter().map(|f| TorrentFile { path: f.path, size: f.size }).collect(),
            },
            Self::Progress { progress } => EngineEvent::Progress(progress),
            Self::FileStored { index, blob_key, size } => EngineEvent::FileStored { index, blob_key, size },
            Self::Downloaded => EngineEvent::Downloaded,
            Self::Finished => EngineEvent::Finished,
            Self::Failed { message } => EngineEvent::Failed(message),
            Self::Rejected { message } => EngineEvent::Rejected(message),
        }
    }

    /// Whether the run ends with this event.
    pub fn is_terminal(&self) -> bool {
        matches!(self, Self::Finished | Self::Failed { .. } | Self::Rejected { .. })
    }
}

/// One numbered event in [`EventsPage`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SeqEvent {
    /// 1, 2, 3... per job.
    pub seq: u64,
    /// The event.
    pub event: WireEvent,
}

/// The body of `GET /v1/jobs/{id}/events?after=N`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EventsPage {
    /// Events with `seq > after`, in order.
    pub events: Vec<SeqEvent>,
    /// Whether the run has ended (no events will follow these).
    pub ended: bool,
}
