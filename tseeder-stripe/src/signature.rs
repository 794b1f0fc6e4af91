//! Stripe's webhook signatures: the `Stripe-Signature` header, checked against the exact bytes
//! of the delivery.
//!
//! Stripe signs `"{t}.{payload}"` with HMAC-SHA256 under the endpoint's signing secret (the whole
//! `whsec_…` string, as bytes) and sends `t=<unix seconds>,v1=<hex>` — with more than one `v1`
//! while a secret is being rolled, and sometimes a `v0` (a test scheme, never trusted).

use std::time::Duration;

use chrono::{DateTime, Utc};
use hmac::{Hmac, Mac};
use sha2::Sha256;
use subtle::{Choice, ConstantTimeEq};
use tseeder_core::ports::WebhookError;

/// The signature scheme tseeder trusts; every other one (`v0`) is ignored.
const SCHEME: &str = "v1";

/// The longest header read; Stripe's are about 150 bytes (a few hundred while rolling secrets).
const MAX_HEADER_LEN: usize = 4096;

/// Checks the `Stripe-Signature` header of one webhook delivery against its exact `payload`:
///
/// 1. the header is `key=value` pairs separated by commas, in any order, with whitespace
///    allowed around each pair (not around `=`); it must hold exactly one `t` (decimal Unix
///    seconds) and at least one `v1`; other keys (`v0`, future schemes) are ignored. Otherwise
///    [`WebhookError::Malformed`];
/// 2. `t` must be within `tolerance` of `now`, either way, or [`WebhookError::Stale`];
/// 3. HMAC-SHA256 of `"{t}.{payload}"` under `secret` must equal one of the `v1` values (hex),
///    each compared in constant time, all of them compared; otherwise
///    [`WebhookError::BadSignature`].
///
/// `secret` is the endpoint's signing secret, `whsec_` prefix included.
///
/// # Errors
/// As above; the payload is not read at all.
pub fn verify_signature(
    header: &str,
    payload: &[u8],
    secret: &str,
    now: DateTime<Utc>,
    tolerance: Duration,
) -> Result<(), WebhookError> {
    let parsed = parse_header(header)?;
    let skew = (i128::from(now.timestamp()) - i128::from(parsed.timestamp)).unsigned_abs();
    if skew > u128::from(tolerance.as_secs()) {
        return Err(WebhookError::Stale);
    }
    let expected = signature(parsed.timestamp_text, payload, secret);
    let mut matched = Choice::from(0);
    for candidate in &parsed.signatures {
        // A value that is not hex (or not 32 bytes) matches nothing; the others are all compared.
        if let Ok(bytes) = hex::decode(candidate) {
            matched |= expected.as_slice().ct_eq(&bytes);
        }
    }
    if bool::from(matched) { Ok(()) } else { Err(WebhookError::BadSignature) }
}

/// The parts of a `Stripe-Signature` header.
#[derive(Debug)]
struct SignatureHeader<'a> {
    /// `t` as sent: the signed text is built from it, not from a re-printed number.
    timestamp_text: &'a str,
    timestamp: i64,
    /// Every `v1` value.
    signatures: Vec<&'a str>,
}

fn parse_header(header: &str) -> Result<SignatureHeader<'_>, WebhookError> {
    if header.len() > MAX_HEADER_LEN {
        return Err(WebhookError::Malformed);
    }
    let mut timestamp = None;
    let mut signatures = Vec::new();
    for pair in header.split(',') {
        let pair = pair.trim_matches([' ', '\t']);
        let Some((key, value)) = pair.split_once('=') else {
            continue;
        };
        match key {
            "t" => {
                if timestamp.is_some() {
                    // Two timestamps: which one was signed is anyone's guess.
                    return Err(WebhookError::Malformed);
                }
                timestamp = Some(value);
            }
            SCHEME => signatures.push(value),
            _ => {}
        }
    }
    let timestamp_text = timestamp.ok_or(WebhookError::Malformed)?;
    if timestamp_text.is_empty() || !timestamp_text.bytes().all(|b| b.is_ascii_digit()) {
        return Err(WebhookError::Malformed);
    }
    let timestamp = timestamp_text.parse::<i64>().map_err(|_| WebhookError::Malformed)?;
    if signatures.is_empty() {
        return Err(WebhookError::Malformed);
    }
    Ok(SignatureHeader { timestamp_text, timestamp, signatures })
}

/// HMAC-SHA256 of `"{timestamp}.{payload}"` under `secret`.
pub(crate) fn signature(timestamp: &str, payload: &[u8], secret: &str) -> Vec<u8> {
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(secret.as_bytes()).expect("HMAC takes any key length");
    mac.update(timestamp.as_bytes());
    mac.update(b".");
    mac.update(payload);
    mac.finalize().into_bytes().to_vec()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_parse_in_any_order_and_ignore_other_schemes() {
        let parsed = parse_header("v0=zz,v1=aa, t=12 ,foo=bar,v1=bb").unwrap();
        assert_eq!(parsed.timestamp, 12);
        assert_eq!(parsed.timestamp_text, "12");
        assert_eq!(parsed.signatures, ["aa", "bb"]);
    }

    #[test]
    fn broken_headers_are_malformed() {
        for header in ["", "t=1", "v1=aa", "t=,v1=aa", "t=-1,v1=aa", "t=+1,v1=aa", "t=1,t=1,v1=aa", "t = 1,v1=aa"] {
            assert!(matches!(parse_header(header), Err(WebhookError::Malformed)), "{header:?}");
        }
        let long = format!("t=1,v1={}", "a".repeat(MAX_HEADER_LEN));
        assert!(matches!(parse_header(&long), Err(WebhookError::Malformed)));
    }
}
