//! Engine configuration, and its translation into librqbit's [`SessionOptions`].
//!
//! The translation is a pure function ([`session_options`]) so a unit test can prove what the
//! offline switch does: with `peer_discovery = false` nothing in the session may reach beyond the
//! peers it is explicitly given (no DHT, no trackers, no local service discovery multicast, no UPnP).

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::num::NonZeroU32;
use std::path::PathBuf;

use librqbit::limits::LimitsConfig;
use librqbit::{DhtSessionConfig, ListenerMode, ListenerOptions, SessionOptions};
use serde::Deserialize;
use tseeder_core::ports::ComputeError;

/// Configuration of the in-process librqbit engine ([`crate::LibrqbitEngine`]).
///
/// In the server's configuration file this is the `[engine]` section; environment variables are
/// `TSEEDER_ENGINE__<KEY>` (the root crate maps them), for example
/// `TSEEDER_ENGINE__PEER_DISCOVERY=false` to run the engine offline.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct EngineConfig {
    /// Where downloads are written while they run. Each job downloads into
    /// `<scratch_dir>/<job_id>/`, which is deleted when the run is stopped. Default `data/scratch`.
    pub scratch_dir: PathBuf,
    /// Find peers on the public network: the BitTorrent DHT, the torrent's trackers, local service
    /// discovery (LSD multicast) and UPnP port forwarding. Default `true`. `false` turns **all** of
    /// them off: the engine then talks only to [`extra_peers`](Self::extra_peers) and to peers that
    /// connect to [`listen_addr`](Self::listen_addr) (tests and private setups;
    /// `TSEEDER_ENGINE__PEER_DISCOVERY=false`).
    pub peer_discovery: bool,
    /// Where to accept incoming peer connections (TCP). `None` accepts none (download-only).
    /// Default `0.0.0.0:4240`. An IPv4 address (or `None`) makes the whole session IPv4-only;
    /// use `[::]:4240` for IPv4 and IPv6. Port `0` picks a free port.
    pub listen_addr: Option<SocketAddr>,
    /// Peers added to every torrent as initial peers, for example a seedbox on the LAN. With peer
    /// discovery off they are the only way to find anyone. (librqbit ignores a magnet's `x.pe`.)
    pub extra_peers: Vec<SocketAddr>,
    /// Download rate limit in bytes per second, shared by all jobs; `None` for unlimited. At least
    /// 16384 (one BitTorrent block).
    pub download_bps: Option<u32>,
    /// Upload rate limit in bytes per second, shared by all jobs; `None` for unlimited. At least
    /// 16384 (one BitTorrent block).
    pub upload_bps: Option<u32>,
    /// Most files a torrent may list; a run of a larger torrent fails before anything is written.
    /// Default 10000 (the same limit the API applies to uploaded `.torrent` files).
    pub max_files: usize,
    /// How often a run reports progress, in milliseconds. Default 500; values under 10 count as 10.
    pub progress_interval_ms: u64,
}

impl Default for EngineConfig {
    fn default() -> Self {
        Self {
            scratch_dir: PathBuf::from("data/scratch"),
            peer_discovery: true,
            listen_addr: Some(SocketAddr::from((Ipv4Addr::UNSPECIFIED, Self::DEFAULT_PORT))),
            extra_peers: Vec::new(),
            download_bps: None,
            upload_bps: None,
            max_files: 10_000,
            progress_interval_ms: 500,
        }
    }
}

impl EngineConfig {
    /// The default listening port (the one rqbit uses).
    pub const DEFAULT_PORT: u16 = 4240;
    /// The smallest accepted rate limit: one 16 KiB block. librqbit's limiter cannot pass a block
    /// larger than its per-second budget, so a lower limit would stall every transfer.
    pub const MIN_RATE_BPS: u32 = 16 * 1024;

    /// Checks the values, naming the offending key.
    ///
    /// # Errors
    /// [`ComputeError::Invalid`] for a rate limit below [`Self::MIN_RATE_BPS`] or a scratch
    /// directory that is not valid UTF-8 (librqbit takes output folders as strings).
    pub fn validate(&self) -> Result<(), ComputeError> {
        for (key, value) in [("download_bps", self.download_bps), ("upload_bps", self.upload_bps)] {
            if let Some(bps) = value
                && bps < Self::MIN_RATE_BPS
            {
                return Err(ComputeError::Invalid(format!(
                    "engine.{key}: {bps} is below the minimum of {} bytes per second",
                    Self::MIN_RATE_BPS
                )));
            }
        }
        if self.scratch_dir.to_str().is_none() {
            return Err(ComputeError::Invalid("engine.scratch_dir: the path is not valid UTF-8".into()));
        }
        Ok(())
    }

    /// The progress interval as a duration (at least 10 ms).
    pub(crate) fn progress_interval(&self) -> std::time::Duration {
        std::time::Duration::from_millis(self.progress_interval_ms.max(10))
    }
}

/// The librqbit session options for `config`. Every network-reaching feature hangs off
/// [`EngineConfig::peer_discovery`]; nothing is persisted (no session or DHT state files), and
/// no block or allow list is fetched over HTTP.
///
/// With discovery off and a listener on one address, every socket of the session is tied to the
/// network interface holding that address ([`listen_device`]): librqbit always opens a UDP socket
/// for tracker announces on `[::]:0`, and tying it to the interface keeps it from receiving
/// anything from any other network.
///
/// # Errors
/// [`ComputeError::Invalid`] when no interface holds the listen address (see [`listen_device`]).
pub(crate) fn session_options(config: &EngineConfig) -> Result<SessionOptions, ComputeError> {
    let discovery = config.peer_discovery;
    let bind_device_name = if discovery { None } else { listen_device(config)? };
    // An IPv4 listener (or none) keeps every socket IPv4, so a host without IPv6 still starts.
    let ipv4_only = config.listen_addr.is_none_or(|a| a.is_ipv4());
    Ok(SessionOptions {
        // DHT without persistence: the routing table is rebuilt from the bootstrap nodes at each
        // start instead of being written to the user's configuration directory.
        dht: discovery.then(|| DhtSessionConfig { persistence: None, ..Default::default() }),
        disable_trackers: !discovery,
        disable_local_service_discovery: !discovery,
        persistence: None,
        fastresume: false,
        listen: config.listen_addr.map(|listen_addr| ListenerOptions {
            // librqbit itself keeps uTP off by default ("once uTP is stable").
            mode: ListenerMode::TcpOnly,
            listen_addr,
            enable_upnp_port_forwarding: discovery,
            ipv4_only,
            ..Default::default()
        }),
        ipv4_only,
        ratelimits: LimitsConfig {
            download_bps: config.download_bps.and_then(NonZeroU32::new),
            upload_bps: config.upload_bps.and_then(NonZeroU32::new),
        },
        blocklist_url: None,
        allowlist_url: None,
        trackers: Default::default(),
        bind_device_name,
        ..Default::default()
    })
}

/// The name of the network interface that holds [`EngineConfig::listen_addr`]'s IP address, or
/// `None` when there is no listener or it listens on every address (`0.0.0.0`, `[::]`).
///
/// # Errors
/// [`ComputeError::Invalid`] naming `engine.listen_addr` when no interface has that address, and
/// [`ComputeError::Backend`] when the interfaces cannot be listed.
pub(crate) fn listen_device(config: &EngineConfig) -> Result<Option<String>, ComputeError> {
    let Some(ip) = config.listen_addr.map(|a| a.ip()).filter(|ip| !ip.is_unspecified()) else {
        return Ok(None);
    };
    use network_interface::NetworkInterfaceConfig;
    let interfaces = network_interface::NetworkInterface::show()
        .map_err(|e| ComputeError::Backend(format!("cannot list the network interfaces: {e}").into()))?;
    let holds = |addr: &network_interface::Addr| -> bool { same_ip(addr.ip(), ip) };
    match interfaces.into_iter().find(|i| i.addr.iter().any(holds)) {
        Some(interface) => Ok(Some(interface.name)),
        None => Err(ComputeError::Invalid(format!("engine.listen_addr: no network interface has the address {ip}"))),
    }
}

/// Whether two addresses are the same, counting an IPv4-mapped IPv6 address as its IPv4 one.
fn same_ip(a: IpAddr, b: IpAddr) -> bool {
    a.to_canonical() == b.to_canonical()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_config_has_peer_discovery_on() {
        let config = EngineConfig::default();
        assert!(config.peer_discovery);
        let opts = session_options(&config).expect("options");
        assert!(opts.dht.is_some(), "DHT on");
        assert_eq!(opts.bind_device_name, None, "bound to no interface");
        assert!(!opts.disable_trackers, "trackers on");
        assert!(!opts.disable_local_service_discovery, "LSD on");
        let listen = opts.listen.expect("listens by default");
        assert!(listen.enable_upnp_port_forwarding, "UPnP on");
        assert_eq!(listen.listen_addr.port(), EngineConfig::DEFAULT_PORT);
    }

    #[test]
    fn session_options_turn_off_every_discovery_when_peer_discovery_is_false() {
        let config = EngineConfig {
            peer_discovery: false,
            listen_addr: Some(SocketAddr::from((Ipv4Addr::LOCALHOST, 0))),
            ..EngineConfig::default()
        };
        let opts = session_options(&config).expect("options");
        assert!(opts.dht.is_none(), "DHT off");
        assert!(opts.disable_trackers, "trackers off");
        assert!(opts.disable_local_service_discovery, "LSD off");
        assert!(opts.trackers.is_empty(), "no session-wide trackers");
        assert!(opts.persistence.is_none());
        assert!(opts.blocklist_url.is_none() && opts.allowlist_url.is_none(), "no HTTP fetches");
        let listen = opts.listen.expect("still listens for the peers it is given");
        assert!(!listen.enable_upnp_port_forwarding, "UPnP off");
        assert_eq!(listen.listen_addr, SocketAddr::from((Ipv4Addr::LOCALHOST, 0)));
        assert!(opts.ipv4_only && listen.ipv4_only);
        #[cfg(target_os = "linux")]
        assert_eq!(opts.bind_device_name.as_deref(), Some("lo"), "every socket tied to the loopback interface");
    }

    #[test]
    fn a_listen_address_no_interface_holds_is_refused_when_discovery_is_off() {
        // 192.0.2.0/24 is reserved for documentation (RFC 5737); no host has it.
        let config = EngineConfig {
            peer_discovery: false,
            listen_addr: Some(SocketAddr::from(([192, 0, 2, 1], 0))),
            ..EngineConfig::default()
        };
        let Err(err) = session_options(&config) else { panic!("no interface has 192.0.2.1") };
        let err = err.to_string();
        assert!(err.contains("engine.listen_addr") && err.contains("192.0.2.1"), "{err}");
        let everywhere = EngineConfig { listen_addr: Some(SocketAddr::from((Ipv4Addr::UNSPECIFIED, 0))), ..config };
        assert_eq!(session_options(&everywhere).expect("options").bind_device_name, None);
    }

    #[test]
    fn rate_limits_are_passed_through_and_too_small_ones_are_refused() {
        let config = EngineConfig { download_bps: Some(1 << 20), upload_bps: None, ..EngineConfig::default() };
        assert!(config.validate().is_ok());
        let opts = session_options(&config).expect("options");
        assert_eq!(opts.ratelimits.download_bps.map(NonZeroU32::get), Some(1 << 20));
        assert_eq!(opts.ratelimits.upload_bps, None);

        let too_small = EngineConfig { upload_bps: Some(1000), ..EngineConfig::default() };
        let err = too_small.validate().unwrap_err().to_string();
        assert!(err.contains("engine.upload_bps"), "{err}");
    }

    #[test]
    fn config_deserializes_with_defaults_and_refuses_unknown_keys() {
        let config: EngineConfig =
            serde_json::from_str(r#"{"peer_discovery": false, "extra_peers": ["127.0.0.1:6881"]}"#)
                .expect("valid config");
        assert!(!config.peer_discovery);
        assert_eq!(config.extra_peers, vec![SocketAddr::from((Ipv4Addr::LOCALHOST, 6881))]);
        assert_eq!(config.progress_interval_ms, 500);
        assert!(serde_json::from_str::<EngineConfig>(r#"{"peer_discovry": false}"#).is_err());
    }
}
