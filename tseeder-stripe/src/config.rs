//! The `[stripe]` settings, and the errors they can hold.

use std::collections::BTreeMap;
use std::fmt;
use std::net::IpAddr;

use serde::Deserialize;
use url::{Host, Url};

/// Stripe's production API.
pub const DEFAULT_API_BASE: &str = "https://api.stripe.com";

/// How tseeder reaches Stripe and reads its webhooks.
///
/// ```toml
/// [stripe]                        # payments on
/// secret_key = "sk_live_…"
/// webhook_secret = "whsec_…"
/// prices = { pro = "price_1PqR…", team = "price_1PqS…" }
///
/// [stripe]                        # payments off (the default): every plan is set by an operator
/// secret_key = ""
/// ```
#[derive(Clone, Deserialize, PartialEq, Eq)]
#[serde(default, deny_unknown_fields)]
pub struct StripeConfig {
    /// The API key tseeder calls Stripe with (`sk_live_…`, `sk_test_…`, or a restricted key
    /// `rk_…` allowed to write Checkout Sessions and Customer Portal sessions). Empty (the
    /// default): billing is off. Never printed: `Debug` shows its prefix only.
    pub secret_key: String,
    /// The signing secret of the webhook endpoint (`whsec_…`, shown by Stripe for the endpoint
    /// `…/api/v1/billing/webhook`). Required when `secret_key` is set. Never printed.
    pub webhook_secret: String,
    /// Stripe's API address. Default: `https://api.stripe.com`. `http://` is accepted only for
    /// `127.0.0.1`, `[::1]` and `localhost` (a fake of the API in tests).
    pub api_base: String,
    /// The plans that can be bought: tseeder plan id → Stripe price id (a recurring price), such
    /// as `{ pro = "price_1PqR…" }`. At least one when `secret_key` is set; each price at most once.
    pub prices: BTreeMap<String, String>,
    /// How far a webhook's signed timestamp may be from this host's clock, either way, in
    /// seconds (at least 1). Default: 300, Stripe's own.
    pub tolerance_secs: u64,
    /// How long one call to Stripe's API may take, in seconds (at least 1). Default: 10.
    pub timeout_secs: u64,
}

impl Default for StripeConfig {
    fn default() -> Self {
        Self {
            secret_key: String::new(),
            webhook_secret: String::new(),
            api_base: DEFAULT_API_BASE.to_owned(),
            prices: BTreeMap::new(),
            tolerance_secs: 300,
            timeout_secs: 10,
        }
    }
}

impl fmt::Debug for StripeConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("StripeConfig")
            .field("secret_key", &redact_secret(&self.secret_key))
            .field("webhook_secret", &redact_secret(&self.webhook_secret))
            .field("api_base", &self.api_base)
            .field("prices", &self.prices)
            .field("tolerance_secs", &self.tolerance_secs)
            .field("timeout_secs", &self.timeout_secs)
            .finish()
    }
}

impl StripeConfig {
    /// Whether billing is on: `secret_key` is set.
    pub fn enabled(&self) -> bool {
        !self.secret_key.trim().is_empty()
    }

    /// Checks the settings of an installation that bills. Billing off (`secret_key` empty), the
    /// other settings are not used and anything goes.
    ///
    /// # Errors
    /// [`StripeSetupError`] when the secret key cannot travel in an HTTP header, the webhook
    /// secret is empty, no plan has a price (or one has an empty price, or two plans share a
    /// price), `api_base` is not an `https://` URL (or `http://` on the loopback interface), or
    /// `tolerance_secs` or `timeout_secs` is 0.
    pub fn validate(&self) -> Result<(), StripeSetupError> {
        let key = self.secret_key.trim();
        if key.is_empty() {
            return Ok(());
        }
        if !key.bytes().all(|b| b.is_ascii_graphic()) {
            return Err(StripeSetupError::InvalidSecretKey);
        }
        if self.webhook_secret.trim().is_empty() {
            return Err(StripeSetupError::MissingWebhookSecret);
        }
        check_api_base(&self.api_base)
            .map_err(|reason| StripeSetupError::InvalidApiBase { api_base: self.api_base.clone(), reason })?;
        if self.prices.is_empty() {
            return Err(StripeSetupError::NoPrices);
        }
        let mut seen = BTreeMap::new();
        for (plan, price) in &self.prices {
            if plan.trim().is_empty() || price.trim().is_empty() {
                return Err(StripeSetupError::InvalidPrice { plan: plan.clone() });
            }
            if let Some(first) = seen.insert(price.trim(), plan) {
                return Err(StripeSetupError::DuplicatePrice {
                    price: price.clone(),
                    plans: (first.clone(), plan.clone()),
                });
            }
        }
        if self.tolerance_secs == 0 {
            return Err(StripeSetupError::ZeroTolerance);
        }
        if self.timeout_secs == 0 {
            return Err(StripeSetupError::ZeroTimeout);
        }
        Ok(())
    }
}

/// Settings that cannot make a payment provider, or an HTTP client that cannot be built. No
/// secret ever appears in one.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum StripeSetupError {
    /// `secret_key` is empty where a key is required ([`StripeBilling::new`](crate::StripeBilling::new)).
    #[error("stripe secret_key is empty: no key to call Stripe with")]
    MissingSecretKey,
    /// `secret_key` holds spaces or characters that an HTTP header cannot carry.
    #[error("stripe secret_key holds characters an API key cannot have (spaces, control or non-ASCII characters)")]
    InvalidSecretKey,
    /// `secret_key` is set but `webhook_secret` is empty: webhooks could not be verified.
    #[error(
        "stripe webhook_secret is empty: set the signing secret (whsec_…) of the webhook endpoint, or no webhook can be verified"
    )]
    MissingWebhookSecret,
    /// `secret_key` is set but `prices` is empty: nothing could be bought.
    #[error(
        "stripe prices is empty: map at least one plan to a Stripe price, such as prices = {{ pro = \"price_…\" }}"
    )]
    NoPrices,
    /// A plan id or its price id is empty.
    #[error("stripe prices: the plan {plan:?} has an empty plan or price id")]
    InvalidPrice {
        /// The plan.
        plan: String,
    },
    /// Two plans have the same price, so a subscription to it could not be told apart.
    #[error("stripe prices: the plans {:?} and {:?} have the same price {price:?}", .plans.0, .plans.1)]
    DuplicatePrice {
        /// The price.
        price: String,
        /// The two plans.
        plans: (String, String),
    },
    /// `api_base` is not an `https://` URL, or `http://` on the loopback interface.
    #[error("stripe api_base {api_base:?}: {reason}")]
    InvalidApiBase {
        /// The configured address.
        api_base: String,
        /// What is wrong with it.
        reason: String,
    },
    /// `tolerance_secs` is 0.
    #[error("stripe tolerance_secs must be at least 1")]
    ZeroTolerance,
    /// `timeout_secs` is 0.
    #[error("stripe timeout_secs must be at least 1")]
    ZeroTimeout,
    /// The HTTP client cannot be built (no TLS back-end, for one).
    #[error("the HTTP client for Stripe cannot be built: {0}")]
    Client(String),
}

/// `https://` anywhere, `http://` only on the loopback interface; no credentials, query or
/// fragment.
fn check_api_base(api_base: &str) -> Result<(), String> {
    let url = Url::parse(api_base.trim()).map_err(|e| e.to_string())?;
    if !url.username().is_empty() || url.password().is_some() {
        return Err("credentials do not belong in the address: the key goes in secret_key".to_owned());
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err("a query or fragment cannot be followed by an API path".to_owned());
    }
    match url.scheme() {
        "https" if url.has_host() => Ok(()),
        "http" if is_loopback(&url) => Ok(()),
        "http" => Err("http:// would send the secret key unencrypted: use https:// (http:// only for 127.0.0.1, [::1] or localhost, in tests)".to_owned()),
        _ => Err("not an https:// address".to_owned()),
    }
}

/// Whether `url`'s host is the loopback interface.
pub(crate) fn is_loopback(url: &Url) -> bool {
    match url.host() {
        Some(Host::Domain(name)) => {
            name.eq_ignore_ascii_case("localhost") || name.parse::<IpAddr>().is_ok_and(|ip| ip.is_loopback())
        }
        Some(Host::Ipv4(ip)) => ip.is_loopback(),
        Some(Host::Ipv6(ip)) => ip.is_loopback(),
        None => false,
    }
}

/// A secret for `Debug`: empty stays empty; otherwise Stripe's prefix (`sk_live_`, `sk_test_`,
/// `rk_live_`, `rk_test_`, `whsec_`), which tells the mode and kind and carries nothing secret,
/// then `***`.
pub(crate) fn redact_secret(secret: &str) -> String {
    const PREFIXES: [&str; 5] = ["sk_live_", "sk_test_", "rk_live_", "rk_test_", "whsec_"];
    if secret.is_empty() {
        return String::new();
    }
    let prefix = PREFIXES.iter().find(|p| secret.starts_with(**p) && secret.len() > p.len()).copied().unwrap_or("");
    format!("{prefix}***")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_keep_only_their_prefix() {
        assert_eq!(redact_secret(""), "");
        assert_eq!(redact_secret("sk_test_51AbCdEf"), "sk_test_***");
        assert_eq!(redact_secret("whsec_abc"), "whsec_***");
        assert_eq!(redact_secret("sk_test_"), "***");
        assert_eq!(redact_secret("hunter2"), "***");
    }

    #[test]
    fn only_https_or_loopback_http() {
        assert!(check_api_base("https://api.stripe.com").is_ok());
        assert!(check_api_base("https://proxy.internal/stripe/").is_ok());
        assert!(check_api_base("http://127.0.0.1:12111").is_ok());
        assert!(check_api_base("http://[::1]:12111").is_ok());
        assert!(check_api_base("http://localhost:12111").is_ok());
        assert!(check_api_base("http://api.stripe.com").is_err());
        assert!(check_api_base("http://10.0.0.1").is_err());
        assert!(check_api_base("ftp://api.stripe.com").is_err());
        assert!(check_api_base("api.stripe.com").is_err());
        assert!(check_api_base("").is_err());
        assert!(check_api_base("https://user:pw@api.stripe.com").is_err());
        assert!(check_api_base("https://api.stripe.com/?x=1").is_err());
    }
}
