//! `verify_signature` against Stripe's documented scheme: the header is `t=<unix>,v1=<hex>[,…]`,
//! and `v1` is the hex HMAC-SHA256 of `"<t>.<payload>"` under the endpoint's signing secret.
//! The expected signatures are computed here, by hand, from `hmac` and `sha2` (and one fixed
//! vector from another implementation), never with the crate's own signer.

#![allow(clippy::unwrap_used, reason = "tests: a panic is a test failure")]

use std::time::Duration;

use chrono::{DateTime, Utc};
use hmac::{Hmac, Mac};
use sha2::Sha256;
use tseeder_core::ports::WebhookError;
use tseeder_stripe::verify_signature;

const SECRET: &str = "whsec_tseeder_vector_secret";
const T: i64 = 1_700_000_000;
const PAYLOAD: &[u8] = br#"{"id":"evt_1","object":"event"}"#;
const TOLERANCE: Duration = Duration::from_secs(300);

/// Hex HMAC-SHA256 of `"<timestamp>.<payload>"` under `secret`: Stripe's `v1`.
fn v1(secret: &str, timestamp: &str, payload: &[u8]) -> String {
    let mut signed = timestamp.as_bytes().to_vec();
    signed.push(b'.');
    signed.extend_from_slice(payload);
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(secret.as_bytes()).unwrap();
    mac.update(&signed);
    hex::encode(mac.finalize().into_bytes())
}

fn at(secs: i64) -> DateTime<Utc> {
    DateTime::from_timestamp(secs, 0).unwrap()
}

fn verify(header: &str, payload: &[u8], now: i64) -> Result<(), WebhookError> {
    verify_signature(header, payload, SECRET, at(now), TOLERANCE)
}

fn valid_header(timestamp: i64) -> String {
    format!("t={timestamp},v1={}", v1(SECRET, &timestamp.to_string(), PAYLOAD))
}

#[test]
fn the_hand_made_signature_matches_an_independent_vector() {
    // Python: hmac.new(b"whsec_tseeder_vector_secret", b'1700000000.{"id":"evt_1","object":"event"}',
    // hashlib.sha256).hexdigest()
    let expected = "35df63af388511374cc66dac5ba272bf4060ee53b0ecff1e76f5e25a36dcf655";
    assert_eq!(v1(SECRET, "1700000000", PAYLOAD), expected);
    // RFC 4231-style sanity check of the helper's HMAC itself (the widely published vector).
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(b"key").unwrap();
    mac.update(b"The quick brown fox jumps over the lazy dog");
    assert_eq!(
        hex::encode(mac.finalize().into_bytes()),
        "f7bc83f430538424b13298e6aa6fb143ef4d59a14946175997479dbc2d1a3cd8"
    );

    assert_eq!(verify(&format!("t=1700000000,v1={expected}"), PAYLOAD, T), Ok(()));
}

#[test]
fn a_valid_signature_passes() {
    assert_eq!(verify(&valid_header(T), PAYLOAD, T), Ok(()));
    // Stripe's own header shape, with a `v0` test signature after the `v1`.
    let header = format!(
        "t={T},v1={},v0=6ffbb59b2300aae63f272406069a9788598b792a944a07aba816edb039989a39",
        v1(SECRET, &T.to_string(), PAYLOAD)
    );
    assert_eq!(verify(&header, PAYLOAD, T), Ok(()));
    // Any order.
    let header = format!("v1={},t={T}", v1(SECRET, &T.to_string(), PAYLOAD));
    assert_eq!(verify(&header, PAYLOAD, T), Ok(()));
    // An empty payload is signed like any other.
    let header = format!("t={T},v1={}", v1(SECRET, &T.to_string(), b""));
    assert_eq!(verify(&header, b"", T), Ok(()));
}

#[test]
fn a_signature_under_another_secret_is_refused() {
    let header = format!("t={T},v1={}", v1("whsec_someone_else", &T.to_string(), PAYLOAD));
    assert_eq!(verify(&header, PAYLOAD, T), Err(WebhookError::BadSignature));
    // The secret is the whole `whsec_…` string: without its prefix it is another key.
    let header = format!("t={T},v1={}", v1("tseeder_vector_secret", &T.to_string(), PAYLOAD));
    assert_eq!(verify(&header, PAYLOAD, T), Err(WebhookError::BadSignature));
}

#[test]
fn timestamps_beyond_the_tolerance_are_stale_either_way() {
    // Within 300 s, either side, the edge included.
    assert_eq!(verify(&valid_header(T - 300), PAYLOAD, T), Ok(()));
    assert_eq!(verify(&valid_header(T + 300), PAYLOAD, T), Ok(()));
    // Beyond it: stale, however good the signature.
    assert_eq!(verify(&valid_header(T - 301), PAYLOAD, T), Err(WebhookError::Stale));
    assert_eq!(verify(&valid_header(T + 301), PAYLOAD, T), Err(WebhookError::Stale));
    assert_eq!(verify(&valid_header(T - 86_400), PAYLOAD, T), Err(WebhookError::Stale));
    assert_eq!(verify(&valid_header(0), PAYLOAD, T), Err(WebhookError::Stale));
    // A huge timestamp is stale, not an overflow.
    let header = format!("t={},v1={}", i64::MAX, v1(SECRET, &i64::MAX.to_string(), PAYLOAD));
    assert_eq!(verify(&header, PAYLOAD, T), Err(WebhookError::Stale));
    // The tolerance is a parameter.
    let tight = verify_signature(&valid_header(T - 10), PAYLOAD, SECRET, at(T), Duration::from_secs(5));
    assert_eq!(tight, Err(WebhookError::Stale));
}

#[test]
fn one_valid_v1_among_several_is_enough_in_either_position() {
    let good = v1(SECRET, &T.to_string(), PAYLOAD);
    let old_secret = v1("whsec_rolled_secret", &T.to_string(), PAYLOAD);
    for header in [
        format!("t={T},v1={good},v1={old_secret}"),
        format!("t={T},v1={old_secret},v1={good}"),
        format!("t={T},v1={old_secret},v1=zz-not-hex,v1={good},v0={old_secret}"),
        format!("v1={old_secret},v1={good},t={T}"),
    ] {
        assert_eq!(verify(&header, PAYLOAD, T), Ok(()), "{header}");
    }
    let none = format!("t={T},v1={old_secret},v1={}", v1("whsec_third", &T.to_string(), PAYLOAD));
    assert_eq!(verify(&none, PAYLOAD, T), Err(WebhookError::BadSignature));
}

#[test]
fn a_v0_signature_alone_is_not_trusted() {
    let good = v1(SECRET, &T.to_string(), PAYLOAD);
    assert_eq!(verify(&format!("t={T},v0={good}"), PAYLOAD, T), Err(WebhookError::Malformed));
    assert_eq!(verify(&format!("t={T},v2={good}"), PAYLOAD, T), Err(WebhookError::Malformed));
}

#[test]
fn malformed_headers_are_refused() {
    let good = v1(SECRET, &T.to_string(), PAYLOAD);
    for header in [
        String::new(),
        "   ".to_owned(),
        "garbage".to_owned(),
        format!("v1={good}"),
        format!("t={T}"),
        format!("t={T},v1"),
        format!("t=,v1={good}"),
        format!("t=abc,v1={good}"),
        format!("t=17e8,v1={good}"),
        format!("t=1700000000.5,v1={good}"),
        format!("t=-{T},v1={good}"),
        format!("t=+{T},v1={good}"),
        format!("t=99999999999999999999,v1={good}"),
        format!("t={T},t={T},v1={good}"),
        format!("t={T};v1={good}"),
        // Spaces around `=` are not Stripe's format: `t ` is not `t`.
        format!("t ={T},v1={good}"),
        format!("t= {T},v1={good}"),
        format!("T={T},V1={good}"),
    ] {
        assert_eq!(verify(&header, PAYLOAD, T), Err(WebhookError::Malformed), "{header:?}");
    }
}

#[test]
fn whitespace_around_pairs_is_tolerated_but_not_inside_values() {
    let good = v1(SECRET, &T.to_string(), PAYLOAD);
    assert_eq!(verify(&format!("  t={T} , v1={good}  "), PAYLOAD, T), Ok(()));
    assert_eq!(verify(&format!("t={T},\tv1={good}"), PAYLOAD, T), Ok(()));
    // A space inside the signature value: it no longer matches.
    assert_eq!(verify(&format!("t={T},v1= {good}"), PAYLOAD, T), Err(WebhookError::BadSignature));
}

#[test]
fn a_payload_changed_after_signing_is_refused() {
    let header = valid_header(T);
    assert_eq!(verify(&header, br#"{"id":"evt_2","object":"event"}"#, T), Err(WebhookError::BadSignature));
    // Same JSON, other bytes: the signature covers the exact bytes.
    assert_eq!(verify(&header, br#"{"id": "evt_1", "object": "event"}"#, T), Err(WebhookError::BadSignature));
    let with_newline = [PAYLOAD, b"\n".as_slice()].concat();
    assert_eq!(verify(&header, &with_newline, T), Err(WebhookError::BadSignature));
    assert_eq!(verify(&header, b"", T), Err(WebhookError::BadSignature));
    // The timestamp is signed too: moving it to now invalidates the signature.
    let replayed = format!("t={},v1={}", T + 600, v1(SECRET, &T.to_string(), PAYLOAD));
    assert_eq!(verify(&replayed, PAYLOAD, T + 600), Err(WebhookError::BadSignature));
}

#[test]
fn broken_signature_values_match_nothing() {
    let good = v1(SECRET, &T.to_string(), PAYLOAD);
    for value in [String::new(), good[..63].to_owned(), good[..62].to_owned(), format!("{good}00"), "g".repeat(64)] {
        let header = format!("t={T},v1={value}");
        assert_eq!(verify(&header, PAYLOAD, T), Err(WebhookError::BadSignature), "{header}");
    }
}
