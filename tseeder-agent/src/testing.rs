//! Loopback test support (feature `test-util`): a second librqbit session that seeds local files
//! on `127.0.0.1`, an engine configuration that talks only to it, and a payload generator.
//!
//! Everything here keeps to the loopback interface: the seeder listens on `127.0.0.1:0` with
//! peer discovery off, and [`loopback_config`] turns discovery off and names the seeder as the
//! only peer.

use std::fmt;
use std::io::Write;
use std::net::{Ipv4Addr, SocketAddr};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use librqbit::{CreateTorrentOptions, Session};
use tseeder_core::ports::ComputeError;

use crate::EngineConfig;
use crate::config::session_options;

/// The smallest piece length [`LoopbackSeeder::seed`] uses.
const MIN_PIECE_LENGTH: u32 = 256 * 1024;

/// An engine configuration for tests: peer discovery off, listening on `127.0.0.1:0`, `seeder` as
/// the one extra peer, progress every 100 ms.
pub fn loopback_config(scratch: PathBuf, seeder: SocketAddr) -> EngineConfig {
    EngineConfig {
        scratch_dir: scratch,
        peer_discovery: false,
        listen_addr: Some(SocketAddr::from((Ipv4Addr::LOCALHOST, 0))),
        extra_peers: vec![seeder],
        progress_interval_ms: 100,
        ..EngineConfig::default()
    }
}

/// A librqbit session that seeds local files on `127.0.0.1`, with every discovery mechanism off.
pub struct LoopbackSeeder {
    session: Arc<Session>,
    addr: SocketAddr,
}

impl fmt::Debug for LoopbackSeeder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("LoopbackSeeder").field("addr", &self.addr).finish_non_exhaustive()
    }
}

/// A torrent the seeder serves.
#[derive(Debug, Clone)]
pub struct SeededTorrent {
    /// The `.torrent` file.
    pub torrent_bytes: Vec<u8>,
    /// A magnet link for it (`magnet:?xt=urn:btih:<hex>`, no trackers).
    pub magnet: String,
    /// The infohash, 40 lowercase hex characters.
    pub infohash_hex: String,
}

impl LoopbackSeeder {
    /// Starts the seeding session on `127.0.0.1:0`.
    ///
    /// # Errors
    /// [`ComputeError::Backend`] when the session cannot start.
    pub async fn start() -> Result<Self, ComputeError> {
        let config = EngineConfig {
            peer_discovery: false,
            listen_addr: Some(SocketAddr::from((Ipv4Addr::LOCALHOST, 0))),
            ..EngineConfig::default()
        };
        // The default output folder is never used: seeded torrents are served from where they are.
        let session = Session::new_with_opts(std::env::temp_dir(), session_options(&config)?)
            .await
            .map_err(|e| ComputeError::Backend(e.into()))?;
        let addr = session.listen_addr().ok_or_else(|| ComputeError::Backend("the seeder is not listening".into()))?;
        Ok(Self { session, addr })
    }

    /// Where the seeder accepts peers.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Creates a torrent of `path` (a file, or a directory with its files under the directory's
    /// name) and seeds it until the seeder is dropped.
    ///
    /// librqbit 9.1's torrent creator adds a bogus trailing piece when the total size is an exact
    /// multiple of the piece length, and drops the last piece when the last file is empty. So the
    /// piece length is chosen to not divide the total size, and empty files are refused.
    ///
    /// # Errors
    /// [`ComputeError::Invalid`] for a missing or empty payload or an empty file,
    /// [`ComputeError::Backend`] when librqbit fails.
    pub async fn seed(&self, path: &Path) -> Result<SeededTorrent, ComputeError> {
        let owned = path.to_owned();
        let total = tokio::task::spawn_blocking(move || payload_size(&owned))
            .await
            .map_err(|e| ComputeError::Backend(Box::new(e)))??;
        let piece_length = piece_length_for(total)?;
        let opts = CreateTorrentOptions { piece_length: Some(piece_length), ..Default::default() };
        let (created, handle) =
            self.session.create_and_serve_torrent(path, opts).await.map_err(|e| ComputeError::Backend(Box::new(e)))?;
        // Peers that connect before the hash check ends are held for up to 5 s; wait it out here.
        tokio::time::timeout(Duration::from_secs(60), handle.wait_until_initialized())
            .await
            .map_err(|_| ComputeError::Backend("the seeder's hash check timed out".into()))?
            .map_err(|e| ComputeError::Backend(e.into()))?;
        let torrent_bytes = created.as_bytes().map_err(|e| ComputeError::Backend(e.into()))?.to_vec();
        Ok(SeededTorrent {
            torrent_bytes,
            magnet: created.as_magnet().to_string(),
            infohash_hex: created.info_hash().as_string(),
        })
    }
}

/// A hostile peer on `127.0.0.1`: it speaks just enough of the peer protocol (the handshake, the
/// extension handshake and `ut_metadata`, BEP 9/10) to serve the `info` dictionary it was given
/// for its infohash, whatever that dictionary holds. Tests use it to send a magnet link's engine
/// metadata no honest seeder would.
#[derive(Debug)]
pub struct MetadataPeer {
    addr: SocketAddr,
    infohash: [u8; 20],
    pieces_served: Arc<AtomicUsize>,
    task: tokio::task::JoinHandle<()>,
}

/// Size of a `ut_metadata` piece.
const METADATA_PIECE: usize = 16 * 1024;
/// The id this peer gives `ut_metadata` in its extension handshake.
const OUR_UT_METADATA: u8 = 3;

impl MetadataPeer {
    /// Starts serving `info` (the bencoded `info` dictionary) on `127.0.0.1:0`.
    ///
    /// # Errors
    /// When the listener cannot be bound.
    pub async fn start(info: Vec<u8>) -> std::io::Result<Self> {
        use sha1::Digest;
        let infohash: [u8; 20] = sha1::Sha1::digest(&info).into();
        let listener = tokio::net::TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).await?;
        let addr = listener.local_addr()?;
        let pieces_served = Arc::new(AtomicUsize::new(0));
        let info = Arc::new(info);
        let served = Arc::clone(&pieces_served);
        let task = tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                let (info, served) = (Arc::clone(&info), Arc::clone(&served));
                tokio::spawn(async move {
                    // A peer that hangs up is no concern of the test.
                    let _ = serve_metadata(stream, infohash, &info, &served).await;
                });
            }
        });
        Ok(Self { addr, infohash, pieces_served, task })
    }

    /// Where it listens.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// A magnet link for its infohash.
    pub fn magnet(&self) -> String {
        format!("magnet:?xt=urn:btih:{}", hex::encode(self.infohash))
    }

    /// How many metadata pieces it has sent.
    pub fn pieces_served(&self) -> usize {
        self.pieces_served.load(Ordering::Relaxed)
    }
}

impl Drop for MetadataPeer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// One connection of a [`MetadataPeer`].
async fn serve_metadata(
    mut stream: tokio::net::TcpStream,
    infohash: [u8; 20],
    info: &[u8],
    served: &AtomicUsize,
) -> std::io::Result<()> {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let mut handshake = [0u8; 68];
    stream.read_exact(&mut handshake).await?;
    if handshake[28..48] != infohash {
        return Ok(());
    }
    let mut reply = Vec::with_capacity(68);
    reply.push(19);
    reply.extend_from_slice(b"BitTorrent protocol");
    // Reserved bytes: bit 20 (0x10 in byte 5) announces the extension protocol.
    reply.extend_from_slice(&[0, 0, 0, 0, 0, 0x10, 0, 0]);
    reply.extend_from_slice(&infohash);
    reply.extend_from_slice(b"-TS0001-hostilepeer!");
    stream.write_all(&reply).await?;
    let ours = format!("d1:md11:ut_metadatai{OUR_UT_METADATA}ee13:metadata_sizei{}ee", info.len());
    stream.write_all(&extended(0, ours.as_bytes())).await?;
    let mut theirs = None;
    loop {
        let len = stream.read_u32().await? as usize;
        if len > 1 << 20 {
            return Ok(());
        }
        let mut body = vec![0u8; len];
        stream.read_exact(&mut body).await?;
        // Only extension messages (id 20) matter here.
        let [20, ext, payload @ ..] = &body[..] else { continue };
        if *ext == 0 {
            theirs = int_after(payload, b"11:ut_metadatai").and_then(|id| u8::try_from(id).ok());
        } else if *ext == OUR_UT_METADATA
            && int_after(payload, b"8:msg_typei") == Some(0)
            && let (Some(piece), Some(id)) = (int_after(payload, b"5:piecei"), theirs)
        {
            let start = piece as usize * METADATA_PIECE;
            let chunk = info.get(start..(start + METADATA_PIECE).min(info.len())).unwrap_or_default();
            let mut msg = format!("d8:msg_typei1e5:piecei{piece}e10:total_sizei{}ee", info.len()).into_bytes();
            msg.extend_from_slice(chunk);
            stream.write_all(&extended(id, &msg)).await?;
            served.fetch_add(1, Ordering::Relaxed);
        }
    }
}

/// A length-prefixed extension message (id 20) with extension id `ext`.
fn extended(ext: u8, payload: &[u8]) -> Vec<u8> {
    let mut msg = Vec::with_capacity(payload.len() + 6);
    msg.extend_from_slice(&u32::try_from(payload.len() + 2).unwrap_or(u32::MAX).to_be_bytes());
    msg.push(20);
    msg.push(ext);
    msg.extend_from_slice(payload);
    msg
}

/// The decimal integer right after the first `key` in `bytes` (enough for the fixed messages a
/// metadata client sends).
fn int_after(bytes: &[u8], key: &[u8]) -> Option<u64> {
    let at = bytes.windows(key.len()).position(|w| w == key)? + key.len();
    let digits = bytes[at..].iter().take_while(|b| b.is_ascii_digit()).count();
    std::str::from_utf8(&bytes[at..at + digits]).ok()?.parse().ok()
}

/// The total size of a file or directory tree; refuses empty payloads and empty files.
fn payload_size(path: &Path) -> Result<u64, ComputeError> {
    let invalid = |what: &str| ComputeError::Invalid(format!("{}: {what}", path.display()));
    let meta = std::fs::metadata(path).map_err(|e| ComputeError::Backend(Box::new(e)))?;
    if meta.is_file() {
        return if meta.len() == 0 { Err(invalid("empty file")) } else { Ok(meta.len()) };
    }
    let mut total = 0;
    let entries = std::fs::read_dir(path).map_err(|e| ComputeError::Backend(Box::new(e)))?;
    for entry in entries {
        let entry = entry.map_err(|e| ComputeError::Backend(Box::new(e)))?;
        total += payload_size(&entry.path())?;
    }
    if total == 0 { Err(invalid("empty directory")) } else { Ok(total) }
}

/// A power-of-two piece length of at least 256 KiB that does not divide `total`.
fn piece_length_for(total: u64) -> Result<u32, ComputeError> {
    let mut piece_length = MIN_PIECE_LENGTH;
    while total.is_multiple_of(u64::from(piece_length)) {
        piece_length = piece_length
            .checked_mul(2)
            .filter(|&p| p <= 1 << 30)
            .ok_or_else(|| ComputeError::Invalid(format!("no usable piece length for {total} bytes")))?;
    }
    Ok(piece_length)
}

/// Writes `size` deterministic pseudo-random bytes (a function of `seed`) to `path`, creating or
/// truncating it. Streams in 64 KiB blocks, so any size is fine. Blocking: call it from
/// `spawn_blocking` (or before the runtime matters).
///
/// # Errors
/// Any I/O error.
pub fn write_random_file(path: &Path, size: u64, seed: u64) -> std::io::Result<()> {
    let mut file = std::io::BufWriter::new(std::fs::File::create(path)?);
    let mut state = seed;
    let mut block = vec![0u8; 64 * 1024];
    let mut left = size;
    while left > 0 {
        for word in block.chunks_exact_mut(8) {
            word.copy_from_slice(&splitmix64(&mut state).to_le_bytes());
        }
        let n = usize::try_from(left).map_or(block.len(), |l| l.min(block.len()));
        file.write_all(&block[..n])?;
        left -= n as u64;
    }
    file.into_inner().map_err(std::io::IntoInnerError::into_error)?.sync_all()
}

/// SplitMix64: a tiny, good-enough deterministic generator for test payloads.
fn splitmix64(state: &mut u64) -> u64 {
    *state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
    let mut z = *state;
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn piece_length_never_divides_the_total() {
        assert_eq!(piece_length_for(3 * 1024 * 1024 + 7).unwrap(), 256 * 1024);
        assert_eq!(piece_length_for(1024 * 1024).unwrap(), 2 * 1024 * 1024);
        assert_eq!(piece_length_for(10).unwrap(), 256 * 1024);
    }

    #[test]
    fn random_files_are_deterministic_and_exactly_sized() {
        let dir = tempfile::tempdir().unwrap();
        let (a, b, c) = (dir.path().join("a"), dir.path().join("b"), dir.path().join("c"));
        write_random_file(&a, 100_003, 1).unwrap();
        write_random_file(&b, 100_003, 1).unwrap();
        write_random_file(&c, 100_003, 2).unwrap();
        let (a, b, c) = (std::fs::read(a).unwrap(), std::fs::read(b).unwrap(), std::fs::read(c).unwrap());
        assert_eq!(a.len(), 100_003);
        assert!(a == b, "same seed, same bytes");
        assert!(a != c, "another seed, other bytes");
    }
}
