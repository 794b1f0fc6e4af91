//! `[stripe]` settings: defaults, what makes billing on or off, which settings are refused, and
//! that no secret is ever printed.

#![allow(clippy::unwrap_used, reason = "tests: a panic is a test failure")]

use std::collections::BTreeMap;

use serde_json::json;
use tseeder_stripe::{DEFAULT_API_BASE, StripeBilling, StripeConfig, StripeSetupError, provider};

const KEY: &str = "sk_live_51Hx9bSecretPartThatMustNotLeak";
const WEBHOOK: &str = "whsec_SigningSecretThatMustNotLeak";

fn on() -> StripeConfig {
    StripeConfig {
        secret_key: KEY.to_owned(),
        webhook_secret: WEBHOOK.to_owned(),
        prices: BTreeMap::from([("pro".to_owned(), "price_1Pro".to_owned())]),
        ..StripeConfig::default()
    }
}

#[test]
fn defaults_leave_billing_off() {
    let config = StripeConfig::default();
    assert_eq!(config.secret_key, "");
    assert_eq!(config.webhook_secret, "");
    assert_eq!(config.api_base, "https://api.stripe.com");
    assert_eq!(config.api_base, DEFAULT_API_BASE);
    assert!(config.prices.is_empty());
    assert_eq!(config.tolerance_secs, 300);
    assert_eq!(config.timeout_secs, 10);
    assert!(!config.enabled());
    assert_eq!(config.validate(), Ok(()));
    assert!(!provider(&config).unwrap().enabled());
    assert_eq!(StripeBilling::new(&config).unwrap_err(), StripeSetupError::MissingSecretKey);

    // Off, the other settings are not looked at.
    let half = StripeConfig { secret_key: "  ".to_owned(), api_base: "nonsense".to_owned(), ..StripeConfig::default() };
    assert!(!half.enabled());
    assert!(!provider(&half).unwrap().enabled());
}

#[test]
fn a_complete_configuration_turns_billing_on() {
    assert_eq!(on().validate(), Ok(()));
    let payments = provider(&on()).unwrap();
    assert!(payments.enabled());
    assert_eq!(payments.priced_plans(), ["pro"]);
    // http:// on the loopback interface, for a fake of the API.
    for api_base in
        ["http://127.0.0.1:12111", "http://localhost:12111/", "http://[::1]:12111", "https://stripe.proxy.internal/x"]
    {
        let config = StripeConfig { api_base: api_base.to_owned(), ..on() };
        assert_eq!(config.validate(), Ok(()), "{api_base}");
        assert!(StripeBilling::new(&config).is_ok(), "{api_base}");
    }
}

#[test]
fn a_secret_key_needs_a_webhook_secret() {
    for webhook_secret in ["", "   "] {
        let config = StripeConfig { webhook_secret: webhook_secret.to_owned(), ..on() };
        assert_eq!(config.validate(), Err(StripeSetupError::MissingWebhookSecret));
        assert_eq!(provider(&config).unwrap_err(), StripeSetupError::MissingWebhookSecret);
    }
}

#[test]
fn a_secret_key_needs_prices() {
    let config = StripeConfig { prices: BTreeMap::new(), ..on() };
    assert_eq!(config.validate(), Err(StripeSetupError::NoPrices));

    let empty_price = StripeConfig { prices: BTreeMap::from([("pro".to_owned(), " ".to_owned())]), ..on() };
    assert_eq!(empty_price.validate(), Err(StripeSetupError::InvalidPrice { plan: "pro".into() }));

    let shared = StripeConfig {
        prices: BTreeMap::from([("pro".to_owned(), "price_1".to_owned()), ("team".to_owned(), "price_1".to_owned())]),
        ..on()
    };
    assert!(matches!(shared.validate(), Err(StripeSetupError::DuplicatePrice { .. })));
}

#[test]
fn the_api_base_must_be_https_unless_on_the_loopback_interface() {
    for api_base in [
        "http://api.stripe.com",
        "http://192.168.1.10:12111",
        "ftp://api.stripe.com",
        "api.stripe.com",
        "",
        "https://u:p@api.stripe.com",
    ] {
        let config = StripeConfig { api_base: api_base.to_owned(), ..on() };
        assert!(
            matches!(config.validate(), Err(StripeSetupError::InvalidApiBase { .. })),
            "{api_base:?}: {:?}",
            config.validate()
        );
    }
}

#[test]
fn zero_timeouts_and_unusable_keys_are_refused() {
    assert_eq!(StripeConfig { timeout_secs: 0, ..on() }.validate(), Err(StripeSetupError::ZeroTimeout));
    assert_eq!(StripeConfig { tolerance_secs: 0, ..on() }.validate(), Err(StripeSetupError::ZeroTolerance));
    let spaced = StripeConfig { secret_key: "sk_test_abc def".to_owned(), ..on() };
    assert_eq!(spaced.validate(), Err(StripeSetupError::InvalidSecretKey));
    // Whitespace around a key (a newline from a secrets file) is not part of it.
    let padded = StripeConfig { secret_key: format!("{KEY}\n"), webhook_secret: format!(" {WEBHOOK}\n"), ..on() };
    assert_eq!(padded.validate(), Ok(()));
}

#[test]
fn debug_output_and_errors_never_show_the_secrets() {
    let printed = format!("{:?}", on());
    assert!(!printed.contains(KEY), "{printed}");
    assert!(!printed.contains("SecretPart"), "{printed}");
    assert!(!printed.contains("SigningSecret"), "{printed}");
    assert!(printed.contains("sk_live_***"), "the mode shows: {printed}");
    assert!(printed.contains("whsec_***"), "{printed}");
    assert!(printed.contains("price_1Pro"), "{printed}");

    let printed = format!("{:?}", StripeBilling::new(&on()).unwrap());
    assert!(!printed.contains("SecretPart") && !printed.contains("SigningSecret"), "{printed}");
    let printed = format!("{:?}", provider(&on()).unwrap());
    assert!(!printed.contains("SecretPart") && !printed.contains("SigningSecret"), "{printed}");

    let odd_key = StripeConfig { secret_key: "not-a-stripe-key".to_owned(), ..on() };
    assert!(!format!("{odd_key:?}").contains("not-a-stripe-key"));

    let errors = [
        StripeConfig { webhook_secret: String::new(), ..on() }.validate().unwrap_err(),
        StripeConfig { prices: BTreeMap::new(), ..on() }.validate().unwrap_err(),
        StripeConfig { api_base: "http://example.com".to_owned(), ..on() }.validate().unwrap_err(),
        StripeConfig { secret_key: "sk_live_has space".to_owned(), ..on() }.validate().unwrap_err(),
    ];
    for error in errors {
        let shown = format!("{error} {error:?}");
        assert!(
            !shown.contains("SecretPart") && !shown.contains("SigningSecret") && !shown.contains("has space"),
            "{shown}"
        );
    }
}

#[test]
fn settings_deserialize_with_defaults_and_refuse_unknown_keys() {
    let config: StripeConfig = serde_json::from_value(json!({
        "secret_key": KEY,
        "webhook_secret": WEBHOOK,
        "prices": { "pro": "price_1Pro", "team": "price_1Team" },
    }))
    .unwrap();
    assert_eq!(config.prices.get("team").map(String::as_str), Some("price_1Team"));
    assert_eq!(config.api_base, DEFAULT_API_BASE);
    assert_eq!(config.tolerance_secs, 300);
    assert_eq!(config.validate(), Ok(()));

    let typo = serde_json::from_value::<StripeConfig>(json!({ "secret_key": KEY, "webhook_secrets": WEBHOOK }));
    assert!(typo.is_err());
}
