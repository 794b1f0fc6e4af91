//! With peer discovery off, nothing the engine opens is reachable beyond its listen address.
//!
//! The test runs alone in its own process, so every socket the process holds belongs to the
//! engine or to the loopback seeder under test. It lists them with `ss` (iproute2) while a
//! magnet download from the seeder is under way, and checks each one's local address: on
//! 127.0.0.1, or tied to the loopback interface (`*%lo:port`, `SO_BINDTODEVICE`).

#![cfg(target_os = "linux")]
#![allow(clippy::unwrap_used, reason = "test: a panic is a test failure")]

use std::process::Command;
use std::time::Duration;

use tokio::io::AsyncReadExt;
use tseeder_agent::LibrqbitEngine;
use tseeder_agent::testing::{LoopbackSeeder, loopback_config, write_random_file};
use tseeder_core::domain::{JobId, JobSource, MagnetLink};
use tseeder_core::ports::{ComputeEngine, EngineEvent, EngineTask};

/// This process's TCP and UDP sockets as `ss` prints them: (protocol, state, local address).
fn own_sockets() -> Vec<(String, String, String)> {
    let output = Command::new("ss").args(["-H", "-a", "-n", "-p", "-t", "-u"]).output().expect("run ss (iproute2)");
    assert!(output.status.success(), "ss failed: {}", String::from_utf8_lossy(&output.stderr));
    let marker = format!("pid={},", std::process::id());
    String::from_utf8(output.stdout)
        .unwrap()
        .lines()
        .filter(|line| line.contains(&marker))
        .map(|line| {
            let cols: Vec<&str> = line.split_whitespace().collect();
            (cols[0].to_owned(), cols[1].to_owned(), cols[4].to_owned())
        })
        .collect()
}

/// Whether a local address as `ss` prints it is on loopback only.
fn on_loopback(local: &str) -> bool {
    local.starts_with("127.0.0.1:") || local.starts_with("[::ffff:127.0.0.1]:") || local.contains("%lo:")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_socket_stays_on_the_listen_address_when_discovery_is_off() {
    tokio::time::timeout(Duration::from_secs(60), async {
        let root = tempfile::tempdir().unwrap();
        let payload = root.path().join("payload.bin");
        write_random_file(&payload, 8 * 1024 * 1024, 7).unwrap();
        let seeder = LoopbackSeeder::start().await.unwrap();
        let seeded = seeder.seed(&payload).await.unwrap();
        let mut config = loopback_config(root.path().join("scratch"), seeder.addr());
        // Slow enough that the download is still running when the sockets are listed.
        config.download_bps = Some(2 * 1024 * 1024);
        let engine = LibrqbitEngine::new(config).await.unwrap();

        let magnet = MagnetLink::parse(&seeded.magnet).unwrap();
        let task =
            EngineTask { job_id: JobId::new(), source: JobSource::Magnet(magnet), only_files: None, region_hint: None };
        let mut run = engine.start(task).await.unwrap();
        // Listed at every progress report, so sockets that come and go are seen too.
        let mut sockets = std::collections::BTreeSet::new();
        while let Some(event) = run.next_event().await {
            match event {
                EngineEvent::Progress(_) => sockets.extend(own_sockets()),
                EngineEvent::FileReady { index } => {
                    let mut bytes = Vec::new();
                    run.open_file(index).await.unwrap().read_to_end(&mut bytes).await.unwrap();
                    assert_eq!(bytes, std::fs::read(&payload).unwrap());
                }
                EngineEvent::Finished => break,
                EngineEvent::Failed(e) | EngineEvent::Rejected(e) => panic!("the run failed: {e}"),
                _ => {}
            }
        }
        assert!(
            sockets.iter().any(|(proto, state, _)| proto == "tcp" && state == "ESTAB"),
            "the download's peer connections are among them: {sockets:?}"
        );
        assert!(sockets.iter().any(|(proto, _, _)| proto == "udp"), "the tracker socket is among them: {sockets:?}");
        let outside: Vec<_> = sockets.iter().filter(|(_, _, local)| !on_loopback(local)).collect();
        assert!(outside.is_empty(), "sockets reachable beyond 127.0.0.1: {outside:?} (all: {sockets:?})");
        run.stop().await.unwrap();
    })
    .await
    .expect("test timed out");
}
