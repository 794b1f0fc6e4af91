//! `JobService::preview` over the in-memory ports: a `.torrent` and a magnet (through the
//! in-memory metadata source) described with their cost, and the refusals.

#![allow(clippy::unwrap_used, reason = "test code: a panic is a test failure")]

use std::sync::Arc;
use std::time::Duration;

use tseeder_core::Tseeder;
use tseeder_core::auth::Principal;
use tseeder_core::domain::{Role, TorrentMeta};
use tseeder_core::error::ErrorCode;
use tseeder_core::services::CoreConfig;
use tseeder_core::services::job::SubmitSource;
use tseeder_core::testing::{InMemoryMetadataSource, ManualClock, in_memory_ports};

/// A single-file `.torrent` of `size` bytes named `name`.
fn torrent(name: &str, size: u64) -> Vec<u8> {
    let pieces = size.div_ceil(16384).max(1);
    let mut out =
        format!("d4:infod6:lengthi{size}e4:name{}:{name}12:piece lengthi16384e6:pieces{}:", name.len(), pieces * 20)
            .into_bytes();
    out.extend(std::iter::repeat_n(b'x', (pieces * 20) as usize));
    out.extend_from_slice(b"ee");
    out
}

async fn setup() -> (Tseeder, Principal) {
    let core = Tseeder::new(in_memory_ports(Arc::new(ManualClock::fixed())), CoreConfig::default());
    let user = core.accounts.create_user("p@example.com", "preview pass 1", Role::User).await.unwrap();
    (core, Principal::internal(&user))
}

const WAIT: Duration = Duration::from_secs(1);

#[tokio::test]
async fn a_torrent_preview_lists_its_files_and_fits_the_plan() {
    let (core, principal) = setup().await;
    let preview = core.jobs.preview(&principal, SubmitSource::Torrent(torrent("a.bin", 100_000)), WAIT).await.unwrap();
    assert_eq!(preview.name, "a.bin");
    assert_eq!(preview.source_kind, "torrent");
    assert_eq!(preview.total_bytes, 100_000);
    assert_eq!(preview.files.len(), 1);
    assert!(preview.cost.fits, "{:?}", preview.cost);
    assert_eq!(preview.cost.plan, "free");
    assert_eq!(preview.cost.storage_left_bytes, preview.cost.storage_limit_bytes);
    let limit = preview.cost.storage_limit_bytes.unwrap();
    let big = core.jobs.preview(&principal, SubmitSource::Torrent(torrent("b.bin", limit + 1)), WAIT).await.unwrap();
    assert!(!big.cost.fits);
    assert!(big.cost.refusal.is_some());
}

#[tokio::test]
async fn a_magnet_is_looked_up_through_the_metadata_source() {
    let (core, principal) = setup().await;
    let source = Arc::new(InMemoryMetadataSource::default());
    let bytes = torrent("m.bin", 5000);
    let infohash = TorrentMeta::parse(&bytes).unwrap().infohash;
    source.add(bytes);
    let magnet = format!("magnet:?xt=urn:btih:{}", infohash.to_hex());

    // Without a source, a magnet cannot be previewed.
    let err = core.jobs.preview(&principal, SubmitSource::Magnet(magnet.clone()), WAIT).await.unwrap_err();
    assert_eq!(err.code(), ErrorCode::PreviewUnavailable);

    let core = core.with_metadata_source(source);
    let preview = core.jobs.preview(&principal, SubmitSource::Magnet(magnet), WAIT).await.unwrap();
    assert_eq!((preview.name.as_str(), preview.source_kind, preview.infohash), ("m.bin", "magnet", infohash));

    // A magnet no peer answers for times out; a malformed one is refused before any lookup.
    let unknown = format!("magnet:?xt=urn:btih:{}", "ab".repeat(20));
    let err = core.jobs.preview(&principal, SubmitSource::Magnet(unknown), WAIT).await.unwrap_err();
    assert_eq!(err.code(), ErrorCode::MetadataTimeout);
    let err = core.jobs.preview(&principal, SubmitSource::Magnet("magnet:?dn=x".into()), WAIT).await.unwrap_err();
    assert_eq!(err.code(), ErrorCode::InvalidMagnet);
    let err = core.jobs.preview(&principal, SubmitSource::Torrent(b"junk".to_vec()), WAIT).await.unwrap_err();
    assert_eq!(err.code(), ErrorCode::InvalidTorrent);
}
