from enum import StrEnum

class JobStatus(StrEnum):
    CANCELLED = "cancelled"
    COMPLETED = "completed"
    DOWNLOADING = "downloading"
    FAILED = "failed"
    FETCHING_METADATA = "fetching_metadata"
    PAUSED = "paused"
    QUEUED = "queued"
    UPLOADING = "uploading"

    def __str__(self) -> str:
        return str(self.value)
