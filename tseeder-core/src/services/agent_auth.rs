//! Signed requests between the API and its remote agents, in both directions.
//!
//! Both sides hold the same secret; it never travels in a request. The sender signs
//!
//! ```text
//! tseeder-agent-v1\n{METHOD}\n{path and query}\n{timestamp}\n{hex sha256(body)}
//! ```
//!
//! with HMAC-SHA256 and sends three headers: [`TIMESTAMP_HEADER`] (unix seconds, decimal),
//! [`SIGNATURE_HEADER`] (64 lowercase hex characters) and [`AGENT_HEADER`] (the agent's id).
//! The receiver recomputes the signature over the request it actually got ([`verify`]: constant
//! time, and the timestamp within [`DEFAULT_WINDOW`] of its own clock, either way), then asks its
//! [`ReplayGuard`] whether that signature was already accepted.
//!
//! Notes for both sides:
//! - The path is the request target exactly as sent on the wire (path plus `?query`, no scheme or
//!   host); the method is compared uppercase.
//! - Two identical requests in the same second have the same signature, so the second is refused
//!   as a replay. A sender that must repeat a request within a second adds something that
//!   differs (a nonce query parameter or body field).
//! - [`AGENT_HEADER`] is not part of the signed text. With one shared secret it is a label for
//!   logs only; anything the receiver trusts about the sender (the worker id of a heartbeat, the
//!   job of a callback) must come from the signed body or path. With a secret per agent, the
//!   header selects the secret, and a valid signature then authenticates it.
//! - **Several API hosts.** The replay guard is in memory and per host: a request captured in
//!   flight could be replayed once against each *other* host, within the timestamp window and
//!   no later. The window bounds the rest, which is why it is short (60 s by default) and why
//!   handlers of agent requests are idempotent (heartbeats upsert, job callbacks go through the
//!   job state machine's compare-and-set).

use std::collections::{BTreeSet, HashMap};
use std::sync::Mutex;
use std::time::Duration;

use chrono::{DateTime, Utc};
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

use crate::error::AgentAuthError;

/// Header carrying the request's unix timestamp in seconds.
pub const TIMESTAMP_HEADER: &str = "X-Tseeder-Timestamp";
/// Header carrying the hex HMAC-SHA256 signature.
pub const SIGNATURE_HEADER: &str = "X-Tseeder-Signature";
/// Header carrying the agent's id (not signed; see the module docs).
pub const AGENT_HEADER: &str = "X-Tseeder-Agent";
/// First line of the signed text; a new scheme gets a new version.
pub const SIGNATURE_VERSION: &str = "tseeder-agent-v1";
/// How far a request's timestamp may be from the receiver's clock, either way.
pub const DEFAULT_WINDOW: Duration = Duration::from_secs(60);

/// The text that is signed for a request.
pub fn canonical_string(method: &str, path_and_query: &str, timestamp_secs: i64, body: &[u8]) -> String {
    let body_hash = hex::encode(Sha256::digest(body));
    format!("{SIGNATURE_VERSION}\n{}\n{path_and_query}\n{timestamp_secs}\n{body_hash}", method.to_ascii_uppercase())
}

fn mac(secret: &[u8], method: &str, path_and_query: &str, timestamp_secs: i64, body: &[u8]) -> [u8; 32] {
    crate::auth::hmac_sha256(secret, canonical_string(method, path_and_query, timestamp_secs, body).as_bytes())
}

/// Signs a request: the value of [`SIGNATURE_HEADER`], 64 lowercase hex characters. `secret`
/// should be at least 32 random bytes.
pub fn sign(secret: &[u8], method: &str, path_and_query: &str, timestamp_secs: i64, body: &[u8]) -> String {
    hex::encode(mac(secret, method, path_and_query, timestamp_secs, body))
}

/// Parses the value of [`TIMESTAMP_HEADER`]: decimal digits only (no sign, no spaces).
pub fn parse_timestamp(header: &str) -> Result<i64, AgentAuthError> {
    if header.is_empty() || header.len() > 18 || !header.bytes().all(|b| b.is_ascii_digit()) {
        return Err(AgentAuthError::Malformed);
    }
    header.parse().map_err(|_| AgentAuthError::Malformed)
}

/// Decodes a signature header: exactly 64 hex characters (either case).
fn decode_signature(signature: &str) -> Result<[u8; 32], AgentAuthError> {
    let mut out = [0u8; 32];
    hex::decode_to_slice(signature, &mut out).map_err(|_| AgentAuthError::Malformed)?;
    Ok(out)
}

/// Checks a received request: `signature` must be the HMAC of exactly this method, path, timestamp
/// and body under `secret` (compared in constant time), and `timestamp_secs` must be within
/// `window` of `now` (`|now - timestamp| <= window`). The signature is checked first, so an
/// attacker learns nothing from the timestamp checks. Does not check replays: follow with
/// [`ReplayGuard::check`].
#[expect(clippy::too_many_arguments, reason = "every part of the request is signed")]
pub fn verify(
    secret: &[u8],
    method: &str,
    path_and_query: &str,
    timestamp_secs: i64,
    body: &[u8],
    signature: &str,
    now: DateTime<Utc>,
    window: Duration,
) -> Result<(), AgentAuthError> {
    let presented = decode_signature(signature)?;
    let expected = mac(secret, method, path_and_query, timestamp_secs, body);
    if !bool::from(expected.ct_eq(&presented)) {
        return Err(AgentAuthError::BadSignature);
    }
    let now_secs = now.timestamp();
    if now_secs.abs_diff(timestamp_secs) > window.as_secs() {
        return Err(if timestamp_secs < now_secs { AgentAuthError::Expired } else { AgentAuthError::FutureDated });
    }
    Ok(())
}

/// Remembers the signatures of accepted requests until their timestamp leaves the window, and
/// refuses a second request with the same signature. In memory and per process: see the module
/// docs for several API hosts.
///
/// Bounded: when `capacity` unexpired signatures are remembered, new requests are refused with
/// [`AgentAuthError::ReplayGuardFull`] rather than forgetting one early (which would reopen it to
/// replay). Only requests that passed [`verify`] are remembered, so only holders of the secret
/// can fill it.
#[derive(Debug)]
pub struct ReplayGuard {
    window: Duration,
    capacity: usize,
    seen: Mutex<Seen>,
}

/// Signatures with the unix second after which they are forgotten, indexed both ways.
#[derive(Debug, Default)]
struct Seen {
    by_signature: HashMap<[u8; 32], i64>,
    by_expiry: BTreeSet<(i64, [u8; 32])>,
}

impl ReplayGuard {
    /// Default capacity: about 1,600 agent requests per second sustained over a 60 s window.
    pub const DEFAULT_CAPACITY: usize = 100_000;

    /// A guard for requests verified with `window`, remembering at most `capacity` signatures.
    pub fn new(window: Duration, capacity: usize) -> Self {
        Self { window, capacity, seen: Mutex::new(Seen::default()) }
    }

    /// Accepts `signature` (of a request stamped `timestamp_secs`, already [`verify`]-ed) once:
    /// a repeat within the window fails with [`AgentAuthError::Replayed`]. Expired entries are
    /// pruned first. A timestamp outside the window is refused here too (`Expired` or
    /// `FutureDated`), so nothing is remembered for longer than twice the window.
    pub fn check(&self, signature: &str, timestamp_secs: i64, now: DateTime<Utc>) -> Result<(), AgentAuthError> {
        let key = decode_signature(signature)?;
        let now_secs = now.timestamp();
        // Past this second `verify` refuses the request anyway, so the entry can go.
        let window = i64::try_from(self.window.as_secs()).unwrap_or(i64::MAX);
        let forget_after = timestamp_secs.saturating_add(window);
        let mut seen = self.seen.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        seen.prune(now_secs);
        if seen.by_signature.contains_key(&key) {
            return Err(AgentAuthError::Replayed);
        }
        // Outside the window `verify` refuses the request; so does the guard, rather than
        // remembering it forever or not at all.
        if forget_after < now_secs {
            return Err(AgentAuthError::Expired);
        }
        if timestamp_secs.saturating_sub(window) > now_secs {
            return Err(AgentAuthError::FutureDated);
        }
        if seen.by_signature.len() >= self.capacity {
            return Err(AgentAuthError::ReplayGuardFull);
        }
        seen.by_signature.insert(key, forget_after);
        seen.by_expiry.insert((forget_after, key));
        Ok(())
    }

    /// How many signatures are remembered now (including ones not pruned yet).
    pub fn len(&self) -> usize {
        self.seen.lock().unwrap_or_else(std::sync::PoisonError::into_inner).by_signature.len()
    }

    /// Whether no signature is remembered.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

impl Default for ReplayGuard {
    fn default() -> Self {
        Self::new(DEFAULT_WINDOW, Self::DEFAULT_CAPACITY)
    }
}

impl Seen {
    /// Forgets every signature whose time is up at `now_secs`.
    fn prune(&mut self, now_secs: i64) {
        while let Some(&(forget_after, key)) = self.by_expiry.first() {
            if forget_after >= now_secs {
                break;
            }
            self.by_expiry.pop_first();
            self.by_signature.remove(&key);
        }
    }
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;
    use hmac::{Hmac, Mac};

    use super::*;

    const SECRET: &[u8] = b"0123456789abcdef0123456789abcdef";
    const BODY: &[u8] = br#"{"workerId":"agent-1","activeJobs":1}"#;
    const PATH: &str = "/api/v1/agent/heartbeat?x=1";

    fn now() -> DateTime<Utc> {
        Utc.timestamp_opt(1_800_000_000, 500_000_000).unwrap()
    }

    fn ts() -> i64 {
        now().timestamp()
    }

    fn check(method: &str, path: &str, timestamp: i64, body: &[u8], signature: &str) -> Result<(), AgentAuthError> {
        verify(SECRET, method, path, timestamp, body, signature, now(), DEFAULT_WINDOW)
    }

    #[test]
    fn canonical_string_has_the_documented_layout() {
        let text = canonical_string("post", "/p?q=1", 42, b"");
        assert_eq!(
            text,
            "tseeder-agent-v1\nPOST\n/p?q=1\n42\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
    }

    #[test]
    fn sign_is_hex_hmac_sha256_of_the_canonical_string() {
        let signature = sign(SECRET, "POST", PATH, ts(), BODY);
        assert_eq!(signature.len(), 64);
        assert!(signature.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b)));
        let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(SECRET).unwrap();
        mac.update(canonical_string("POST", PATH, ts(), BODY).as_bytes());
        assert_eq!(signature, hex::encode(mac.finalize().into_bytes()));
        assert_eq!(sign(SECRET, "post", PATH, ts(), BODY), signature, "the method is compared uppercase");
    }

    #[test]
    fn verify_accepts_a_valid_request() {
        let signature = sign(SECRET, "POST", PATH, ts(), BODY);
        assert_eq!(check("POST", PATH, ts(), BODY, &signature), Ok(()));
        assert_eq!(check("POST", PATH, ts(), BODY, &signature.to_uppercase()), Ok(()), "hex is case-insensitive");
        let empty = sign(SECRET, "GET", "/health", ts(), b"");
        assert_eq!(check("GET", "/health", ts(), b"", &empty), Ok(()));
    }

    #[test]
    fn verify_rejects_a_tampered_body_method_path_or_timestamp() {
        let signature = sign(SECRET, "POST", PATH, ts(), BODY);
        let tampered = br#"{"workerId":"agent-2","activeJobs":1}"#;
        assert_eq!(check("POST", PATH, ts(), tampered, &signature), Err(AgentAuthError::BadSignature));
        assert_eq!(check("PUT", PATH, ts(), BODY, &signature), Err(AgentAuthError::BadSignature));
        assert_eq!(
            check("POST", "/api/v1/agent/heartbeat?x=2", ts(), BODY, &signature),
            Err(AgentAuthError::BadSignature)
        );
        assert_eq!(check("POST", "/api/v1/agent/heartbeat", ts(), BODY, &signature), Err(AgentAuthError::BadSignature));
        assert_eq!(check("POST", PATH, ts() - 1, BODY, &signature), Err(AgentAuthError::BadSignature));
    }

    #[test]
    fn verify_rejects_a_signature_made_with_another_secret() {
        let signature = sign(b"another secret, also 32 bytes!!!", "POST", PATH, ts(), BODY);
        assert_eq!(check("POST", PATH, ts(), BODY, &signature), Err(AgentAuthError::BadSignature));
    }

    #[test]
    fn verify_rejects_malformed_signatures() {
        let signature = sign(SECRET, "POST", PATH, ts(), BODY);
        for bad in ["", "zz", &signature[..62], &format!("{signature}00"), &signature.replace('a', "g")] {
            if bad == signature {
                continue;
            }
            assert_eq!(check("POST", PATH, ts(), BODY, bad), Err(AgentAuthError::Malformed), "{bad:?}");
        }
    }

    #[test]
    fn verify_rejects_expired_requests_outside_the_window() {
        let old = ts() - 60;
        assert_eq!(check("POST", PATH, old, BODY, &sign(SECRET, "POST", PATH, old, BODY)), Ok(()), "60 s is inside");
        let older = ts() - 61;
        assert_eq!(
            check("POST", PATH, older, BODY, &sign(SECRET, "POST", PATH, older, BODY)),
            Err(AgentAuthError::Expired)
        );
        let ancient = i64::MIN;
        assert_eq!(
            check("POST", PATH, ancient, BODY, &sign(SECRET, "POST", PATH, ancient, BODY)),
            Err(AgentAuthError::Expired)
        );
    }

    #[test]
    fn verify_rejects_future_dated_requests_outside_the_window() {
        let soon = ts() + 60;
        assert_eq!(check("POST", PATH, soon, BODY, &sign(SECRET, "POST", PATH, soon, BODY)), Ok(()));
        let later = ts() + 61;
        assert_eq!(
            check("POST", PATH, later, BODY, &sign(SECRET, "POST", PATH, later, BODY)),
            Err(AgentAuthError::FutureDated)
        );
        let far = i64::MAX;
        assert_eq!(
            check("POST", PATH, far, BODY, &sign(SECRET, "POST", PATH, far, BODY)),
            Err(AgentAuthError::FutureDated)
        );
    }

    #[test]
    fn parse_timestamp_accepts_only_decimal_digits() {
        assert_eq!(parse_timestamp("1800000000"), Ok(1_800_000_000));
        assert_eq!(parse_timestamp("0"), Ok(0));
        for bad in ["", "+1", "-1", " 1", "1.5", "0x10", "9999999999999999999"] {
            assert_eq!(parse_timestamp(bad), Err(AgentAuthError::Malformed), "{bad:?}");
        }
    }

    #[test]
    fn replay_guard_refuses_a_replayed_request() {
        let guard = ReplayGuard::default();
        let signature = sign(SECRET, "POST", PATH, ts(), BODY);
        assert_eq!(guard.check(&signature, ts(), now()), Ok(()));
        assert_eq!(guard.check(&signature, ts(), now()), Err(AgentAuthError::Replayed));
        assert_eq!(
            guard.check(&signature.to_uppercase(), ts(), now() + chrono::TimeDelta::seconds(59)),
            Err(AgentAuthError::Replayed),
            "another spelling of the same signature"
        );
        let other = sign(SECRET, "POST", PATH, ts() + 1, BODY);
        assert_eq!(guard.check(&other, ts() + 1, now()), Ok(()), "a new request is accepted");
        assert_eq!(guard.len(), 2);
    }

    #[test]
    fn replay_guard_forgets_signatures_once_their_window_has_passed() {
        let guard = ReplayGuard::new(Duration::from_secs(60), 10);
        let signature = sign(SECRET, "POST", PATH, ts(), BODY);
        guard.check(&signature, ts(), now()).unwrap();
        let at = |secs| now() + chrono::TimeDelta::seconds(secs);
        assert_eq!(guard.check(&signature, ts(), at(60)), Err(AgentAuthError::Replayed), "still inside the window");
        // One second later `verify` refuses the request as expired; the guard has pruned it.
        let fresh = sign(SECRET, "GET", "/x", ts() + 61, b"");
        guard.check(&fresh, ts() + 61, at(61)).unwrap();
        assert_eq!(guard.len(), 1, "the expired entry was pruned");
        assert_eq!(guard.check(&signature, ts(), at(61)), Err(AgentAuthError::Expired), "the guard refuses it too");
        let far = sign(SECRET, "POST", PATH, ts() + 200, BODY);
        assert_eq!(guard.check(&far, ts() + 200, at(61)), Err(AgentAuthError::FutureDated));
        assert_eq!(guard.len(), 1, "neither was remembered");
        assert_eq!(
            verify(SECRET, "POST", PATH, ts(), BODY, &signature, at(61), DEFAULT_WINDOW),
            Err(AgentAuthError::Expired),
            "and the request it guarded is refused by the timestamp check"
        );
    }

    #[test]
    fn replay_guard_remembers_future_dated_requests_until_their_own_window_ends() {
        let guard = ReplayGuard::new(Duration::from_secs(60), 10);
        let future = ts() + 60;
        let signature = sign(SECRET, "POST", PATH, future, BODY);
        guard.check(&signature, future, now()).unwrap();
        let at = now() + chrono::TimeDelta::seconds(119);
        assert_eq!(guard.check(&signature, future, at), Err(AgentAuthError::Replayed));
    }

    #[test]
    fn replay_guard_refuses_new_requests_when_full_of_unexpired_signatures() {
        let guard = ReplayGuard::new(Duration::from_secs(60), 2);
        for i in 0..2 {
            guard.check(&sign(SECRET, "POST", PATH, ts() - i, BODY), ts() - i, now()).unwrap();
        }
        let third = sign(SECRET, "POST", PATH, ts() - 2, BODY);
        assert_eq!(guard.check(&third, ts() - 2, now()), Err(AgentAuthError::ReplayGuardFull));
        // Once the oldest expires there is room again.
        let later = now() + chrono::TimeDelta::seconds(60);
        let fourth = sign(SECRET, "POST", PATH, ts() + 60, BODY);
        assert_eq!(guard.check(&fourth, ts() + 60, later), Ok(()));
    }

    #[test]
    fn replay_guard_rejects_malformed_signatures() {
        let guard = ReplayGuard::default();
        assert_eq!(guard.check("nope", ts(), now()), Err(AgentAuthError::Malformed));
        assert!(guard.is_empty());
    }
}
