//! Settings of the HTTP host. The binaries load them (with the rest of the configuration); this
//! crate only receives the typed struct.

use serde::Deserialize;

/// How the HTTP API listens, sets cookies, finds client addresses and limits request rates.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct HttpConfig {
    /// The address the binaries bind (`host:port`). [`serve`](crate::serve) itself takes an
    /// already bound listener, so tests can bind port 0.
    pub listen: String,
    /// Mark the session cookie `Secure` (browsers then only send it over HTTPS). Turn this on
    /// whenever the site is served over HTTPS, directly or behind a proxy.
    pub secure_cookies: bool,
    /// Take the client address from the last entry of `X-Forwarded-For` (the one your reverse
    /// proxy appended) instead of the socket's peer address. Only enable this behind a proxy that
    /// sets the header: otherwise clients can pick their own address and dodge rate limits.
    pub trust_proxy_headers: bool,
    /// Login attempts per minute per client address (0 disables the limit).
    pub login_per_minute: u32,
    /// Registrations per minute per client address (0 disables the limit).
    pub register_per_minute: u32,
    /// Job submissions per minute per user (0 disables the limit).
    pub jobs_per_minute: u32,
    /// Password reset emails asked for per hour, per client address and per account (0
    /// disables the limit).
    pub password_resets_per_hour: u32,
    /// Seconds in-flight requests get to finish after the shutdown signal.
    pub shutdown_grace_secs: u64,
    /// The path prefix the site is served under behind a reverse proxy (`/tseeder`), or empty
    /// for the root. Requests are answered with or without it (so the proxy may strip it or
    /// not), and every link the console and the API make starts with it. Read it through
    /// [`base_path`](Self::base_path).
    pub base_path: String,
    /// The bearer token `GET /metrics` asks for. Empty (the default): no token, and `/metrics`
    /// answers only clients on the loopback interface (404 to others), so a public listener
    /// publishes nothing by default.
    pub metrics_token: String,
    /// The qBittorrent-compatible API, for download managers such as Sonarr and Radarr.
    pub qbittorrent: QbittorrentConfig,
}

/// The qBittorrent-compatible API (Web API v2, as qBittorrent 4.6 serves it).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct QbittorrentConfig {
    /// Where it answers: `/api/v2` (the path the apps call), under `base_path` like the rest.
    /// Empty: it is off.
    pub path: String,
    /// Whether the engines look for peers on the public network (DHT, trackers, local
    /// discovery): what `app/preferences` reports as `dht`, `pex` and `lsd`. Not read from the
    /// settings: the binaries copy `engine.peer_discovery` here.
    #[serde(skip)]
    pub peer_discovery: bool,
}

impl QbittorrentConfig {
    /// [`path`](Self::path) normalised like [`HttpConfig::base_path`]; `None` when it is off.
    pub fn path(&self) -> Option<String> {
        let trimmed = self.path.trim().trim_matches('/');
        (!trimmed.is_empty()).then(|| format!("/{trimmed}"))
    }
}

impl Default for QbittorrentConfig {
    fn default() -> Self {
        Self { path: "/api/v2".into(), peer_discovery: true }
    }
}

impl HttpConfig {
    /// [`base_path`](Self::base_path) normalised: empty, or a leading `/` and no trailing one
    /// (`tseeder/` and `/tseeder/` become `/tseeder`; `/` becomes empty).
    pub fn base_path(&self) -> String {
        let trimmed = self.base_path.trim().trim_matches('/');
        if trimmed.is_empty() { String::new() } else { format!("/{trimmed}") }
    }
}
impl Default for HttpConfig {
    fn default() -> Self {
        Self {
            listen: "127.0.0.1:8080".into(),
            secure_cookies: false,
            trust_proxy_headers: false,
            login_per_minute: 10,
            register_per_minute: 5,
            jobs_per_minute: 60,
            password_resets_per_hour: 5,
            shutdown_grace_secs: 10,
            base_path: String::new(),
            metrics_token: String::new(),
            qbittorrent: QbittorrentConfig::default(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn missing_keys_take_their_defaults() {
        let config: HttpConfig = serde_json::from_str(r#"{"secure_cookies": true}"#).unwrap();
        assert_eq!(config, HttpConfig { secure_cookies: true, ..HttpConfig::default() });
    }

    #[test]
    fn the_base_path_is_normalised() {
        for (given, expected) in [("", ""), ("/", ""), ("tseeder", "/tseeder"), ("/a/b/", "/a/b"), (" /x ", "/x")] {
            let config = HttpConfig { base_path: given.into(), ..HttpConfig::default() };
            assert_eq!(config.base_path(), expected, "{given:?}");
        }
    }

    #[test]
    fn unknown_keys_are_rejected() {
        assert!(serde_json::from_str::<HttpConfig>(r#"{"secure_cookie": true}"#).is_err());
    }
}
