//! Fetching a magnet link's metadata from peers, without downloading anything: what a preview of
//! a magnet needs before a job exists.

use std::fmt::Debug;
use std::time::Duration;

use async_trait::async_trait;

use crate::domain::MagnetLink;
use crate::ports::ComputeError;

/// Something that can ask BitTorrent peers for a torrent's metadata (the in-process engine).
///
/// # Contract
/// - `fetch_metadata` returns the bytes of a `.torrent` file (a bencoded dictionary with an
///   `info` key) whose infohash is the magnet's; the caller parses and checks them as it checks
///   an upload, so nothing here needs to be trusted.
/// - It downloads no piece, creates no job and leaves nothing behind (no scratch data, no run).
/// - It gives up after `timeout` with [`ComputeError::Busy`] saying that no peer answered in
///   time; it never waits longer.
/// - It may be called concurrently, also for the same magnet.
///
/// # Errors
/// [`ComputeError::Busy`] when no peer answered within `timeout`; [`ComputeError::Invalid`] when
/// this source cannot look up magnets at all (no peer discovery and no known peers);
/// [`ComputeError::Backend`] for anything else.
#[async_trait]
pub trait MetadataSource: Send + Sync + Debug {
    /// The `.torrent` bytes of `magnet`'s torrent, fetched from peers within `timeout`.
    async fn fetch_metadata(&self, magnet: &MagnetLink, timeout: Duration) -> Result<Vec<u8>, ComputeError>;
}
