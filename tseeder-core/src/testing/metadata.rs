//! [`InMemoryMetadataSource`]: magnets' metadata from a map instead of peers.

use std::collections::HashMap;
use std::sync::{Mutex, PoisonError};
use std::time::Duration;

use async_trait::async_trait;

use crate::domain::{Infohash, MagnetLink, TorrentMeta};
use crate::ports::{ComputeError, MetadataSource};

/// A [`MetadataSource`] that knows the torrents it was given: a magnet whose torrent was
/// [`add`](Self::add)ed gets its bytes at once, any other one times out at once (as if no peer
/// answered).
#[derive(Debug, Default)]
pub struct InMemoryMetadataSource {
    torrents: Mutex<HashMap<Infohash, Vec<u8>>>,
}

impl InMemoryMetadataSource {
    /// Makes `torrent` (the bytes of a `.torrent` file) known by its infohash.
    ///
    /// # Panics
    /// When `torrent` is not a valid `.torrent` file.
    pub fn add(&self, torrent: Vec<u8>) {
        #[allow(clippy::expect_used, reason = "a test helper given a broken fixture")]
        let meta = TorrentMeta::parse(&torrent).expect("a valid .torrent");
        self.torrents.lock().unwrap_or_else(PoisonError::into_inner).insert(meta.infohash, torrent);
    }
}

#[async_trait]
impl MetadataSource for InMemoryMetadataSource {
    async fn fetch_metadata(&self, magnet: &MagnetLink, timeout: Duration) -> Result<Vec<u8>, ComputeError> {
        let known = self.torrents.lock().unwrap_or_else(PoisonError::into_inner).get(&magnet.infohash()).cloned();
        known.ok_or_else(|| {
            ComputeError::Busy(format!("no peer sent the torrent's metadata within {}s", timeout.as_secs()))
        })
    }
}
