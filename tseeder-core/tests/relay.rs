//! The event bus between processes: two buses relaying over one broadcast channel stand for two
//! hosts of one installation. (The read cache's side of the relay is in `read_cache.rs`.)

use std::sync::Arc;
use std::time::Duration;

use tokio::sync::broadcast::error::TryRecvError;
use tokio_util::sync::CancellationToken;
use tseeder_core::domain::JobId;
use tseeder_core::ports::{Broadcast, EngineProgress};
use tseeder_core::read_cache::ReadCache;
use tseeder_core::services::EventBus;
use tseeder_core::services::events::JobNotice;
use tseeder_core::services::relay::relay;
use tseeder_core::testing::InMemoryBroadcast;

/// Two relaying buses on one channel, and the channel.
async fn two_hosts(cancel: &CancellationToken) -> (EventBus, EventBus, InMemoryBroadcast) {
    let channel = InMemoryBroadcast::default();
    let (a, b) = (EventBus::default(), EventBus::default());
    relay(&a, &no_cache(), Arc::new(channel.clone()), cancel.clone()).await.expect("relay a");
    relay(&b, &no_cache(), Arc::new(channel.clone()), cancel.clone()).await.expect("relay b");
    (a, b, channel)
}

/// A process's read cache, off: these tests follow the bus alone.
fn no_cache() -> ReadCache {
    ReadCache::new(Duration::ZERO)
}

fn progress(done: u64) -> EngineProgress {
    EngineProgress {
        done_bytes: done,
        total_bytes: 10_000,
        download_bps: 7,
        upload_bps: 0,
        peers: 3,
        eta_secs: Some(9),
    }
}

/// A liveness bound, not a speed requirement.
const WAIT: Duration = Duration::from_secs(10);

#[tokio::test]
async fn notices_reach_the_listeners_of_the_other_host_once() {
    let cancel = CancellationToken::new();
    let (a, b, _) = two_hosts(&cancel).await;
    let job = JobId::new();
    let (mut here, mut there) = (a.subscribe(job), b.subscribe(job));

    a.publish(job, JobNotice::Progress(progress(5)));
    a.publish(job, JobNotice::Changed);
    for rx in [&mut here, &mut there] {
        assert_eq!(tokio::time::timeout(WAIT, rx.recv()).await.unwrap().unwrap(), JobNotice::Progress(progress(5)));
        assert_eq!(tokio::time::timeout(WAIT, rx.recv()).await.unwrap().unwrap(), JobNotice::Changed);
    }
    assert_eq!(b.progress(job), Some(progress(5)), "the other host knows the job's speed and time left");

    // The publisher's own message comes back over the channel and is skipped: one notice each.
    b.publish(job, JobNotice::Changed);
    assert_eq!(tokio::time::timeout(WAIT, here.recv()).await.unwrap().unwrap(), JobNotice::Changed);
    assert_eq!(tokio::time::timeout(WAIT, there.recv()).await.unwrap().unwrap(), JobNotice::Changed);
    tokio::time::sleep(Duration::from_millis(100)).await;
    assert_eq!(here.try_recv(), Err(TryRecvError::Empty));
    assert_eq!(there.try_recv(), Err(TryRecvError::Empty), "its own notice is not delivered twice");
    cancel.cancel();
}

#[tokio::test]
async fn a_job_queued_on_one_host_wakes_the_dispatchers_of_the_other() {
    let cancel = CancellationToken::new();
    let (a, b, _) = two_hosts(&cancel).await;
    let mut dispatcher = b.watch_enqueued();
    a.job_enqueued();
    tokio::time::timeout(WAIT, dispatcher.changed()).await.expect("woken").unwrap();
    cancel.cancel();
}

#[tokio::test]
async fn a_burst_larger_than_one_message_arrives_whole_and_in_order() {
    let cancel = CancellationToken::new();
    let (a, b, _) = two_hosts(&cancel).await;
    let job = JobId::new();
    let mut there = b.subscribe(job);
    // About 170 bytes each, so more than one message's worth (but within a listener's buffer
    // of 64), queued before the relay sends any.
    for done in 0..60 {
        a.publish(job, JobNotice::Progress(progress(done)));
    }
    for done in 0..60 {
        let got = tokio::time::timeout(WAIT, there.recv()).await.unwrap();
        assert_eq!(got, Ok(JobNotice::Progress(progress(done))), "notice {done}");
    }
    cancel.cancel();
}

#[tokio::test]
async fn a_gap_wakes_dispatchers_and_listeners_to_re_read() {
    let cancel = CancellationToken::new();
    let channel = InMemoryBroadcast::default();
    let bus = EventBus::default();
    relay(&bus, &no_cache(), Arc::new(channel.clone()), cancel.clone()).await.unwrap();
    let job = JobId::new();
    let mut listener = bus.subscribe(job);
    let mut dispatcher = bus.watch_enqueued();
    // Overflow the channel's buffer before the relay reads: its subscription lags, which is a gap.
    for _ in 0..5_000 {
        channel.publish("{}").await.unwrap();
    }
    tokio::time::timeout(WAIT, dispatcher.changed()).await.expect("woken").unwrap();
    assert_eq!(tokio::time::timeout(WAIT, listener.recv()).await.unwrap().unwrap(), JobNotice::Changed);
    cancel.cancel();
}

#[tokio::test]
async fn a_bus_relays_over_one_channel_only() {
    let cancel = CancellationToken::new();
    let (a, _, channel) = two_hosts(&cancel).await;
    assert!(relay(&a, &no_cache(), Arc::new(channel), cancel.clone()).await.is_err());
    cancel.cancel();
}
