//! [`StripeBilling`]: the core's `BillingProvider` over Stripe's API (Checkout Sessions, the
//! Customer Portal) and its signed webhooks.

use std::collections::BTreeMap;
use std::error::Error as StdError;
use std::fmt;
use std::time::Duration;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use serde::Deserialize;
use serde::de::DeserializeOwned;
use tracing::debug;
use tseeder_core::domain::BillingEvent;
use tseeder_core::ports::{BillingError, BillingProvider, CheckoutRequest, WebhookError};
use url::Url;

use crate::config::{StripeConfig, StripeSetupError, is_loopback, redact_secret};
use crate::event::read_event;
use crate::signature::verify_signature;

/// The API version every request asks for (`Stripe-Version`), whatever the account's default.
pub const STRIPE_VERSION: &str = "2024-06-20";

/// The longest error text kept from an answer of Stripe's, in characters.
const MAX_ERROR_TEXT: usize = 500;

/// Takes payments through Stripe (see [`StripeConfig`]).
///
/// - [`checkout`](BillingProvider::checkout) creates a Checkout Session in `subscription` mode
///   for the plan's price, with the organization in `client_reference_id` and in the metadata
///   of the session and of the subscription it makes (`org_id`, `plan_id`);
/// - [`portal`](BillingProvider::portal) creates a Customer Portal session;
/// - [`verify_webhook`](BillingProvider::verify_webhook) checks the `Stripe-Signature` header
///   with [`verify_signature`](crate::verify_signature), then reads the event.
///
/// Requests are form-encoded POSTs with `Authorization: Bearer <secret_key>` and
/// `Stripe-Version: 2024-06-20`, each bounded by `timeout_secs`. The keys never appear in
/// `Debug` output, logs or errors.
pub struct StripeBilling {
    http: reqwest::Client,
    /// `api_base` without a trailing `/`.
    api_base: String,
    secret_key: String,
    webhook_secret: String,
    prices: BTreeMap<String, String>,
    tolerance: Duration,
}

impl fmt::Debug for StripeBilling {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("StripeBilling")
            .field("api_base", &self.api_base)
            .field("secret_key", &redact_secret(&self.secret_key))
            .field("webhook_secret", &redact_secret(&self.webhook_secret))
            .field("prices", &self.prices)
            .field("tolerance", &self.tolerance)
            .finish_non_exhaustive()
    }
}

/// The part of a Checkout Session or a Customer Portal session tseeder reads.
#[derive(Debug, Deserialize)]
struct Session {
    /// The page to send the payer to. (A Checkout Session's is null once it is complete or
    /// expired; a new one always has it.)
    #[serde(default)]
    url: Option<String>,
}

/// Stripe's error body: `{"error": {"type", "message", "code", "param"}}`.
#[derive(Debug, Deserialize)]
struct ErrorBody {
    error: ApiError,
}

#[derive(Debug, Deserialize)]
struct ApiError {
    #[serde(default, rename = "type")]
    kind: Option<String>,
    #[serde(default)]
    code: Option<String>,
    #[serde(default)]
    message: Option<String>,
}

impl StripeBilling {
    /// A provider for `config`. Nothing is sent until the first checkout or portal session.
    ///
    /// # Errors
    /// [`StripeSetupError::MissingSecretKey`] when `secret_key` is empty, the errors of
    /// [`StripeConfig::validate`], and [`StripeSetupError::Client`] when the HTTP client cannot
    /// be built.
    pub fn new(config: &StripeConfig) -> Result<Self, StripeSetupError> {
        if !config.enabled() {
            return Err(StripeSetupError::MissingSecretKey);
        }
        config.validate()?;
        let api_base = config.api_base.trim().trim_end_matches('/').to_owned();
        let mut builder = reqwest::Client::builder()
            .timeout(Duration::from_secs(config.timeout_secs))
            .redirect(reqwest::redirect::Policy::none())
            .user_agent(concat!("tseeder/", env!("CARGO_PKG_VERSION")));
        // A fake of the API on this host is never reached through a proxy.
        if Url::parse(&api_base).is_ok_and(|url| is_loopback(&url)) {
            builder = builder.no_proxy();
        }
        let http = builder.build().map_err(|e| StripeSetupError::Client(describe(&e)))?;
        Ok(Self {
            http,
            api_base,
            secret_key: config.secret_key.trim().to_owned(),
            webhook_secret: config.webhook_secret.trim().to_owned(),
            prices: config.prices.iter().map(|(plan, price)| (plan.clone(), price.trim().to_owned())).collect(),
            tolerance: Duration::from_secs(config.tolerance_secs),
        })
    }

    /// POSTs `form` to `path` (such as `/v1/checkout/sessions`) and reads the answer as `T`.
    async fn post<T: DeserializeOwned>(&self, path: &str, form: &[(&str, &str)]) -> Result<T, BillingError> {
        let url = format!("{}{path}", self.api_base);
        let response = self
            .http
            .post(url)
            .bearer_auth(&self.secret_key)
            .header("Stripe-Version", STRIPE_VERSION)
            .form(form)
            .send()
            .await
            .map_err(|e| self.provider_error(format!("POST {path}: {}", describe(&e))))?;
        let status = response.status();
        let request_id = response
            .headers()
            .get("request-id")
            .and_then(|v| v.to_str().ok())
            .map(|id| format!(" (request {id})"))
            .unwrap_or_default();
        let body = response
            .bytes()
            .await
            .map_err(|e| self.provider_error(format!("POST {path}: reading the answer: {}", describe(&e))))?;
        if !status.is_success() {
            let reason = match serde_json::from_slice::<ErrorBody>(&body) {
                Ok(ErrorBody { error }) => {
                    let kind = error.kind.unwrap_or_else(|| "error".to_owned());
                    let code = error.code.map(|c| format!(" ({c})")).unwrap_or_default();
                    format!("{kind}{code}: {}", error.message.unwrap_or_default())
                }
                Err(_) => "an answer that is not a Stripe error".to_owned(),
            };
            return Err(self.provider_error(format!("POST {path}: Stripe answered {status}{request_id}: {reason}")));
        }
        serde_json::from_slice(&body)
            .map_err(|e| self.provider_error(format!("POST {path}: unreadable answer{request_id}: {e}")))
    }

    /// [`BillingError::Provider`] with `text`, any secret in it replaced by `***` and cut to a
    /// readable length.
    fn provider_error(&self, text: String) -> BillingError {
        let mut text = text;
        for secret in [&self.secret_key, &self.webhook_secret] {
            if !secret.is_empty() {
                text = text.replace(secret.as_str(), "***");
            }
        }
        if text.chars().count() > MAX_ERROR_TEXT {
            text = text.chars().take(MAX_ERROR_TEXT).chain("…".chars()).collect();
        }
        debug!(target: "tseeder::billing", error = %text, "a call to Stripe failed");
        BillingError::Provider(text)
    }

    fn session_url(&self, session: Session, what: &str) -> Result<String, BillingError> {
        session.url.filter(|url| !url.is_empty()).ok_or_else(|| self.provider_error(format!("the {what} has no url")))
    }
}

#[async_trait]
impl BillingProvider for StripeBilling {
    fn enabled(&self) -> bool {
        true
    }

    fn priced_plans(&self) -> Vec<String> {
        self.prices.keys().cloned().collect()
    }

    async fn checkout(&self, request: &CheckoutRequest) -> Result<String, BillingError> {
        let price =
            self.prices.get(&request.plan_id).ok_or_else(|| BillingError::UnknownPlan(request.plan_id.clone()))?;
        let org = request.org_id.to_string();
        let plan = request.plan_id.as_str();
        let mut form: Vec<(&str, &str)> = vec![
            ("mode", "subscription"),
            ("line_items[0][price]", price.as_str()),
            ("line_items[0][quantity]", "1"),
            ("success_url", request.success_url.as_str()),
            ("cancel_url", request.cancel_url.as_str()),
        ];
        // A known customer keeps its cards and invoices; otherwise Stripe makes one for the email.
        match request.customer_id.as_deref().filter(|c| !c.is_empty()) {
            Some(customer) => form.push(("customer", customer)),
            None if !request.email.is_empty() => form.push(("customer_email", request.email.as_str())),
            None => {}
        }
        // The organization travels with the session and with the subscription it makes, so that
        // every webhook about either says whose it is (see `event.rs`).
        form.extend([
            ("client_reference_id", org.as_str()),
            ("metadata[org_id]", org.as_str()),
            ("metadata[plan_id]", plan),
            ("subscription_data[metadata][org_id]", org.as_str()),
            ("subscription_data[metadata][plan_id]", plan),
        ]);
        let session: Session = self.post("/v1/checkout/sessions", &form).await?;
        self.session_url(session, "checkout session")
    }

    async fn portal(&self, customer_id: &str, return_url: &str) -> Result<String, BillingError> {
        let form = [("customer", customer_id), ("return_url", return_url)];
        let session: Session = self.post("/v1/billing_portal/sessions", &form).await?;
        self.session_url(session, "portal session")
    }

    fn verify_webhook(
        &self,
        payload: &[u8],
        signature: &str,
        now: DateTime<Utc>,
    ) -> Result<BillingEvent, WebhookError> {
        verify_signature(signature, payload, &self.webhook_secret, now, self.tolerance)?;
        read_event(payload, &self.prices)
    }
}

/// An error with its chain of causes, `outer: inner: …` (reqwest's own text hides the cause,
/// such as a refused connection or a timeout).
fn describe(error: &dyn StdError) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        let cause_text = cause.to_string();
        if !text.contains(&cause_text) {
            text.push_str(": ");
            text.push_str(&cause_text);
        }
        source = cause.source();
    }
    text
}
