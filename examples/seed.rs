//! Seeds files on 127.0.0.1 so tseeder can be tried by hand with peer discovery off: prints
//! each file's magnet link, writes its `.torrent` next to it (`<name>.torrent`), and prints the peer address to
//! give the engine (`engine.extra_peers`, `TSEEDER_ENGINE__EXTRA_PEERS='["<addr>"]'`). Runs until
//! Ctrl-C.
//!
//! ```sh
//! cargo run --example seed -- some-file.bin another.iso
//! ```

#![allow(clippy::print_stdout, reason = "an example that reports to the terminal")]

use anyhow::Context as _;
use tseeder_agent::testing::LoopbackSeeder;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let files: Vec<std::path::PathBuf> = std::env::args_os().skip(1).map(Into::into).collect();
    anyhow::ensure!(!files.is_empty(), "usage: seed FILE...");
    let seeder = LoopbackSeeder::start().await.map_err(|e| anyhow::anyhow!("cannot start the seeder: {e}"))?;
    println!("peer: {}", seeder.addr());
    for file in &files {
        let seeded = seeder.seed(file).await.map_err(|e| anyhow::anyhow!("cannot seed {}: {e}", file.display()))?;
        // `name.torrent` beside it: the whole name, dots and all (`Show.S01` -> `Show.S01.torrent`).
        let mut torrent = file.clone().into_os_string();
        torrent.push(".torrent");
        let torrent = std::path::PathBuf::from(torrent);
        std::fs::write(&torrent, &seeded.torrent_bytes)
            .with_context(|| format!("cannot write {}", torrent.display()))?;
        println!("{}: {} ({})", file.display(), seeded.magnet, torrent.display());
    }
    println!("seeding; Ctrl-C stops");
    tokio::signal::ctrl_c().await?;
    Ok(())
}
