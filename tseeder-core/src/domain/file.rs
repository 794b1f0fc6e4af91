//! Stored files and the object keys of their blobs.

use chrono::{DateTime, Utc};

use super::{FileId, Infohash, JobId, RelPath};

/// A file of a job, stored in object storage.
///
/// The bytes live in a *blob* whose key depends only on the torrent's infohash and the file's
/// path, so two jobs for the same torrent share blobs. A blob is referenced by every files row
/// with its key; it is deleted from the store only when the last row referencing it goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredFile {
    /// The id.
    pub id: FileId,
    /// The job it belongs to.
    pub job_id: JobId,
    /// Path inside the job (`name/...` for multi-file torrents).
    pub path: RelPath,
    /// Size in bytes.
    pub size: u64,
    /// Object-store key of the blob.
    pub blob_key: String,
    /// Guessed MIME type, from the extension.
    pub mime_type: Option<String>,
    /// When it was stored.
    pub created_at: DateTime<Utc>,
}

/// A file to record for a job.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewStoredFile {
    /// The id.
    pub id: FileId,
    /// The job.
    pub job_id: JobId,
    /// Path inside the job.
    pub path: RelPath,
    /// Size.
    pub size: u64,
    /// Blob key ([`blob_key`]).
    pub blob_key: String,
    /// MIME type.
    pub mime_type: Option<String>,
    /// Creation time.
    pub created_at: DateTime<Utc>,
}

/// The object key of a torrent file's blob: `blobs/<infohash>/<path>`. The path is a [`RelPath`],
/// so the key always stays under the torrent's prefix.
pub fn blob_key(infohash: Infohash, path: &RelPath) -> String {
    format!("blobs/{}/{}", infohash.to_hex(), path.as_str())
}

/// A MIME type guessed from a file name's extension (for `Content-Type` on downloads).
pub fn guess_mime(path: &RelPath) -> Option<&'static str> {
    let ext = path.as_str().rsplit_once('.')?.1.to_ascii_lowercase();
    Some(match ext.as_str() {
        "mp4" | "m4v" => "video/mp4",
        "mkv" => "video/x-matroska",
        "webm" => "video/webm",
        "avi" => "video/x-msvideo",
        "mov" => "video/quicktime",
        "mp3" => "audio/mpeg",
        "flac" => "audio/flac",
        "ogg" => "audio/ogg",
        "wav" => "audio/wav",
        "m4a" => "audio/mp4",
        "jpg" | "jpeg" => "image/jpeg",
        "png" => "image/png",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "txt" | "nfo" => "text/plain",
        "srt" => "application/x-subrip",
        "vtt" => "text/vtt",
        "pdf" => "application/pdf",
        "epub" => "application/epub+zip",
        "zip" => "application/zip",
        "iso" => "application/x-iso9660-image",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blob_keys_stay_under_the_infohash_prefix() {
        let h: Infohash = "a".repeat(40).parse().unwrap();
        let key = blob_key(h, &RelPath::parse("show/e1.mkv").unwrap());
        assert_eq!(key, format!("blobs/{}/show/e1.mkv", "a".repeat(40)));
    }

    #[test]
    fn mime_types_come_from_the_extension() {
        assert_eq!(guess_mime(&RelPath::parse("a/B.MKV").unwrap()), Some("video/x-matroska"));
        assert_eq!(guess_mime(&RelPath::parse("noext").unwrap()), None);
    }
}
