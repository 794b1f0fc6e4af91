//! A job's files as one zip archive, streamed while it is written.
//!
//! Why it looks like this:
//!
//! 1. **No buffering.** A job can hold many gigabytes. A task writes the archive into one end of
//!    an in-memory pipe ([`tokio::io::duplex`], [`PIPE_BYTES`] of buffer) while the response body
//!    reads the other end, so memory stays at the pipe's size and a slow client slows the
//!    reading of the store down instead of piling data up.
//! 2. **No sizes up front.** Entries are written with async_zip's stream writer: each local
//!    header has the "data descriptor follows" flag, and the CRC and sizes come after the data
//!    and in the central directory.
//! 3. **Zip64 only when needed.** An archive that fits the classic limits (4 GiB, 65535
//!    entries), judged from the stored sizes, is written without zip64 records, so its data
//!    descriptors are the plain, universally understood kind. A larger one gets zip64 records
//!    (async_zip then writes a zip64 extra field in every local header); readers that use the
//!    central directory (unzip, 7-Zip, libarchive, Python, Windows) open it, while purely
//!    sequential readers may not, because async_zip's data descriptors keep 4-byte sizes.
//! 4. **Stored, not deflated.** Torrents are mostly media and archives, which do not compress;
//!    deflate would only burn CPU.
//! 5. **Failures are visible.** The zip format has no way to say "failed" once bytes are out, so a
//!    failure (a blob missing from the store, a store error) ends the body with an I/O error:
//!    the connection is cut without the final chunk and the client sees a broken download rather
//!    than a truncated archive that looks complete. A client that goes away makes the writer's
//!    next write fail, which ends the task.

use async_zip::base::write::ZipFileWriter;
use async_zip::{Compression, ZipDateTimeBuilder, ZipEntryBuilder};
use chrono::{Datelike as _, Timelike as _};
use futures::{AsyncWriteExt as _, StreamExt as _};
use poem::Body;
use tokio::io::DuplexStream;
use tokio_util::io::ReaderStream;
use tseeder_core::domain::{Job, StoredFile};
use tseeder_core::error::BoxError;
use tseeder_core::services::FileService;

use crate::request::current_request_id;

/// Buffer between the archive writer and the response body.
const PIPE_BYTES: usize = 256 * 1024;

/// A body streaming a zip archive of `job`'s `files` (already authorised), read through
/// `service`.
pub(crate) fn zip_body(service: FileService, job: Job, files: Vec<StoredFile>) -> Body {
    let (writer, reader) = tokio::io::duplex(PIPE_BYTES);
    let task = tokio::spawn(write_zip(service, job, files, writer));
    let request_id = current_request_id();
    // Runs once the reader has seen the end of the pipe, i.e. once the writer is gone: a writer
    // that failed turns the end of the body into an error.
    let outcome = futures::stream::once(async move {
        let failure = match task.await {
            Ok(Ok(())) => return None,
            Ok(Err(e)) => e.to_string(),
            Err(e) => e.to_string(),
        };
        tracing::error!(error = %failure, request_id = ?request_id, "building a zip archive failed");
        Some(Err(std::io::Error::other("the archive could not be completed")))
    })
    .filter_map(std::future::ready);
    Body::from_bytes_stream(ReaderStream::new(reader).chain(outcome))
}

/// Bytes per entry besides its data and name: local header (30), data descriptor (16) and
/// central directory header (46).
const ENTRY_OVERHEAD: u64 = 30 + 16 + 46;

/// Whether an archive of `files` may pass a classic zip limit: 65535 entries, or 4 GiB up to the
/// central directory. Judged from the stored sizes, with room to spare.
fn needs_zip64(files: &[StoredFile]) -> bool {
    const LIMIT: u64 = u32::MAX as u64 - 1024 * 1024;
    if files.len() >= usize::from(u16::MAX) {
        return true;
    }
    let mut total: u64 = 22;
    for file in files {
        let name = 2 * file.path.as_str().len() as u64;
        total = total.saturating_add(file.size).saturating_add(ENTRY_OVERHEAD + name);
    }
    total > LIMIT
}

/// Writes the archive into the pipe; dropping the pipe at the end tells the reader it is done.
async fn write_zip(service: FileService, job: Job, files: Vec<StoredFile>, pipe: DuplexStream) -> Result<(), BoxError> {
    let zip = ZipFileWriter::with_tokio(pipe);
    let mut zip = if needs_zip64(&files) { zip } else { zip.force_no_zip64() };
    for file in files {
        let entry = ZipEntryBuilder::new(file.path.as_str().to_owned().into(), Compression::Stored)
            .last_modification_date(
                ZipDateTimeBuilder::new()
                    .year(file.created_at.year())
                    .month(file.created_at.month())
                    .day(file.created_at.day())
                    .hour(file.created_at.hour())
                    .minute(file.created_at.minute())
                    .second(file.created_at.second())
                    .build(),
            )
            .unix_permissions(0o644);
        let mut bytes = service.open_listed(&job, file).await?;
        let mut writer = zip.write_entry_stream(entry).await?;
        while let Some(chunk) = bytes.next().await {
            writer.write_all(&chunk?).await?;
        }
        writer.close().await?;
    }
    zip.close().await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use tseeder_core::domain::{FileId, JobId, RelPath};

    use super::*;

    fn files(count: usize, size: u64) -> Vec<StoredFile> {
        let file = StoredFile {
            id: FileId::new(),
            job_id: JobId::new(),
            path: RelPath::parse("a/b.mkv").unwrap(),
            size,
            blob_key: "k".into(),
            mime_type: None,
            created_at: chrono::Utc::now(),
        };
        vec![file; count]
    }

    #[test]
    fn small_archives_are_classic_zips() {
        assert!(!needs_zip64(&[]));
        assert!(!needs_zip64(&files(3, 1 << 30)));
        assert!(!needs_zip64(&files(60_000, 10)));
    }

    #[test]
    fn big_archives_get_zip64() {
        assert!(needs_zip64(&files(1, 4 << 30)), "a file of 4 GiB");
        assert!(needs_zip64(&files(5, 1 << 30)), "5 GiB in all");
        assert!(needs_zip64(&files(65_535, 1)), "too many entries");
    }
}
