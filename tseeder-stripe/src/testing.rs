//! Stripe without the network, for tests.
//!
//! - [`FakeStripe`]: a real HTTP server on the loopback interface answering the two endpoints
//!   [`StripeBilling`](crate::StripeBilling) calls (`POST /v1/checkout/sessions`,
//!   `POST /v1/billing_portal/sessions`) the way Stripe does, checking the bearer key, and keeping
//!   every request it receives;
//! - [`sign`]: a valid `Stripe-Signature` header for a payload;
//! - [`event`] and the `*_object` helpers: event payloads shaped like Stripe's (API version
//!   `2024-06-20`).
//!
//! ```rust,ignore
//! let stripe = FakeStripe::start().await;
//! let billing = StripeBilling::new(&stripe.config(&[("pro", "price_pro")]))?;
//! let url = billing.checkout(&request).await?;          // "<base>/c/pay/cs_test_1"
//! assert_eq!(stripe.requests()[0].field("line_items[0][price]"), Some("price_pro"));
//!
//! let payload = event("evt_1", "customer.subscription.updated", now.timestamp(),
//!     subscription_object("sub_1", "cus_1", "price_pro", "active", period_end, Some(&org)));
//! let header = sign(payload.as_bytes(), TEST_WEBHOOK_SECRET, now.timestamp());
//! let event = billing.verify_webhook(payload.as_bytes(), &header, now)?;
//! ```

use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError};

use poem::http::StatusCode;
use poem::listener::TcpAcceptor;
use poem::{Request, Response, Server};
use serde_json::{Value, json};
use tokio::task::JoinHandle;

use crate::client::STRIPE_VERSION;
use crate::config::StripeConfig;
use crate::signature::signature;

/// The API key [`FakeStripe::start`] accepts.
pub const TEST_SECRET_KEY: &str = "sk_test_tseeder0fake0key0000000000000000";

/// A webhook signing secret for tests (any string works; this one looks like Stripe's).
pub const TEST_WEBHOOK_SECRET: &str = "whsec_tseeder0fake0secret00000000000000";

/// A valid `Stripe-Signature` header for `payload` signed with `secret` at `timestamp` (Unix
/// seconds): `t=<timestamp>,v1=<hex HMAC-SHA256 of "<timestamp>.<payload>">`.
pub fn sign(payload: &[u8], secret: &str, timestamp: i64) -> String {
    let timestamp = timestamp.to_string();
    format!("t={timestamp},v1={}", hex::encode(signature(&timestamp, payload, secret)))
}

/// An event payload as Stripe sends it to a webhook endpoint:
/// `{"id", "object": "event", "type", "created", "data": {"object"}, "livemode": false,
/// "api_version": "2024-06-20", …}`.
pub fn event(id: &str, kind: &str, created: i64, object: Value) -> String {
    json!({
        "id": id,
        "object": "event",
        "api_version": STRIPE_VERSION,
        "created": created,
        "data": { "object": object },
        "livemode": false,
        "pending_webhooks": 1,
        "request": { "id": null, "idempotency_key": null },
        "type": kind,
    })
    .to_string()
}

/// A Subscription object (API version `2024-06-20`: `current_period_end` on the subscription)
/// with one item for `price`, and `org_id` in its metadata when given.
pub fn subscription_object(
    id: &str,
    customer: &str,
    price: &str,
    status: &str,
    period_end: i64,
    org_id: Option<&str>,
) -> Value {
    let period_start = period_end - 30 * 86_400;
    let metadata = match org_id {
        Some(org) => json!({ "org_id": org }),
        None => json!({}),
    };
    json!({
        "id": id,
        "object": "subscription",
        "customer": customer,
        "status": status,
        "cancel_at_period_end": false,
        "collection_method": "charge_automatically",
        "created": period_start,
        "current_period_start": period_start,
        "current_period_end": period_end,
        "items": {
            "object": "list",
            "data": [{
                "id": format!("si_{id}"),
                "object": "subscription_item",
                "price": {
                    "id": price,
                    "object": "price",
                    "active": true,
                    "currency": "usd",
                    "recurring": { "interval": "month", "interval_count": 1 },
                    "type": "recurring",
                },
                "quantity": 1,
                "subscription": id,
            }],
            "has_more": false,
            "total_count": 1,
            "url": format!("/v1/subscription_items?subscription={id}"),
        },
        "livemode": false,
        "metadata": metadata,
    })
}

/// A completed Checkout Session in `subscription` mode, with `org_id` as its
/// `client_reference_id` and in its metadata (as [`StripeBilling`](crate::StripeBilling) opens
/// them).
pub fn checkout_session_object(id: &str, customer: &str, org_id: &str) -> Value {
    json!({
        "id": id,
        "object": "checkout.session",
        "mode": "subscription",
        "status": "complete",
        "payment_status": "paid",
        "customer": customer,
        "client_reference_id": org_id,
        "metadata": { "org_id": org_id },
        "livemode": false,
    })
}

/// An open Invoice of `subscription` whose payment failed.
pub fn invoice_object(id: &str, customer: &str, subscription: &str) -> Value {
    json!({
        "id": id,
        "object": "invoice",
        "customer": customer,
        "subscription": subscription,
        "status": "open",
        "attempt_count": 1,
        "billing_reason": "subscription_cycle",
        "livemode": false,
    })
}

/// A fake of Stripe's API on `127.0.0.1`. It stops when dropped.
///
/// Every request is recorded, then answered:
/// - a bearer key other than the one given at start: `401` and Stripe's
///   `{"error": {"type": "invalid_request_error", "message": "Invalid API Key provided"}}`;
/// - `POST /v1/checkout/sessions`: `{"id": "cs_test_<n>", "object": "checkout.session",
///   "url": "<base>/c/pay/cs_test_<n>", "customer": null}` (`400` without `mode` or
///   `line_items[0][price]`, or with both `customer` and `customer_email`, as Stripe);
/// - `POST /v1/billing_portal/sessions`: `{"id": "bps_<n>", "object": "billing_portal.session",
///   "url": "<base>/p/session/bps_<n>"}` (`400` without `customer`);
/// - anything else: `404`, Stripe's "Unrecognized request URL".
///
/// `<n>` counts the sessions made, from 1.
#[derive(Debug)]
pub struct FakeStripe {
    addr: SocketAddr,
    shared: Arc<Shared>,
    server: JoinHandle<()>,
}

#[derive(Debug)]
struct Shared {
    key: String,
    base: String,
    requests: Mutex<Vec<Recorded>>,
    sessions: AtomicU64,
}

/// One request as the fake received it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recorded {
    /// `POST`, …
    pub method: String,
    /// The path, such as `/v1/checkout/sessions`.
    pub path: String,
    /// The form-encoded body's fields, decoded, in order.
    pub form: Vec<(String, String)>,
    /// The `Stripe-Version` header.
    pub stripe_version: Option<String>,
}

impl Recorded {
    /// The first value of the form field `name` (such as `metadata[org_id]`).
    pub fn field(&self, name: &str) -> Option<&str> {
        self.form.iter().find(|(key, _)| key == name).map(|(_, value)| value.as_str())
    }
}

impl FakeStripe {
    /// Starts a fake on `127.0.0.1` on a free port, accepting [`TEST_SECRET_KEY`].
    pub async fn start() -> Self {
        Self::start_with_key(TEST_SECRET_KEY).await
    }

    /// Starts a fake accepting only the bearer key `key`.
    pub async fn start_with_key(key: &str) -> Self {
        let listener =
            tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind a loopback port for the fake Stripe");
        let addr = listener.local_addr().expect("the fake Stripe's address");
        let shared = Arc::new(Shared {
            key: key.to_owned(),
            base: format!("http://{addr}"),
            requests: Mutex::new(Vec::new()),
            sessions: AtomicU64::new(0),
        });
        let state = Arc::clone(&shared);
        let app = poem::endpoint::make(move |request| answer(Arc::clone(&state), request));
        let acceptor = TcpAcceptor::from_tokio(listener).expect("the fake Stripe's listener");
        let server = tokio::spawn(async move {
            let _ = Server::new_with_acceptor(acceptor).run(app).await;
        });
        Self { addr, shared, server }
    }

    /// The fake's address, `http://127.0.0.1:PORT`, for [`StripeConfig::api_base`].
    pub fn base_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The bearer key the fake accepts.
    pub fn key(&self) -> &str {
        &self.shared.key
    }

    /// Settings that reach this fake: its key and address, [`TEST_WEBHOOK_SECRET`], and
    /// `prices` (plan id, price id).
    pub fn config(&self, prices: &[(&str, &str)]) -> StripeConfig {
        StripeConfig {
            secret_key: self.shared.key.clone(),
            webhook_secret: TEST_WEBHOOK_SECRET.to_owned(),
            api_base: self.base_url(),
            prices: prices.iter().map(|(plan, price)| ((*plan).to_owned(), (*price).to_owned())).collect(),
            ..StripeConfig::default()
        }
    }

    /// Every request received so far, oldest first.
    pub fn requests(&self) -> Vec<Recorded> {
        self.shared.requests.lock().unwrap_or_else(PoisonError::into_inner).clone()
    }
}

impl Drop for FakeStripe {
    fn drop(&mut self) {
        self.server.abort();
    }
}

/// Records one request and answers it.
async fn answer(shared: Arc<Shared>, mut request: Request) -> Response {
    let body = request.take_body().into_vec().await.unwrap_or_default();
    let form: Vec<(String, String)> = url::form_urlencoded::parse(&body).into_owned().collect();
    let method = request.method().to_string();
    let path = request.uri().path().to_owned();
    let authorized = request
        .header("authorization")
        .and_then(|value| value.strip_prefix("Bearer "))
        .is_some_and(|presented| presented == shared.key);
    let recorded = Recorded { method, path, form, stripe_version: request.header("stripe-version").map(str::to_owned) };
    shared.requests.lock().unwrap_or_else(PoisonError::into_inner).push(recorded.clone());
    if !authorized {
        return error(StatusCode::UNAUTHORIZED, "Invalid API Key provided", None);
    }
    let missing = |names: &[&'static str]| names.iter().copied().find(|name| recorded.field(name).is_none());
    match (recorded.method.as_str(), recorded.path.as_str()) {
        ("POST", "/v1/checkout/sessions") => {
            if let Some(name) = missing(&["mode", "line_items[0][price]"]) {
                return error(StatusCode::BAD_REQUEST, &format!("Missing required param: {name}."), Some(name));
            }
            if recorded.field("customer").is_some() && recorded.field("customer_email").is_some() {
                let message = "You may only specify one of these parameters: customer, customer_email.";
                return error(StatusCode::BAD_REQUEST, message, Some("customer"));
            }
            let id = format!("cs_test_{}", shared.sessions.fetch_add(1, Ordering::Relaxed) + 1);
            let url = format!("{}/c/pay/{id}", shared.base);
            json_response(
                StatusCode::OK,
                &json!({ "id": id, "object": "checkout.session", "url": url, "customer": null }),
            )
        }
        ("POST", "/v1/billing_portal/sessions") => {
            if let Some(name) = missing(&["customer"]) {
                return error(StatusCode::BAD_REQUEST, &format!("Missing required param: {name}."), Some(name));
            }
            let id = format!("bps_{}", shared.sessions.fetch_add(1, Ordering::Relaxed) + 1);
            let url = format!("{}/p/session/{id}", shared.base);
            json_response(StatusCode::OK, &json!({ "id": id, "object": "billing_portal.session", "url": url }))
        }
        (method, path) => {
            let message = format!(
                "Unrecognized request URL ({method}: {path}). Please see https://stripe.com/docs or we can help at https://support.stripe.com/."
            );
            error(StatusCode::NOT_FOUND, &message, None)
        }
    }
}

/// Stripe's error body.
fn error(status: StatusCode, message: &str, param: Option<&str>) -> Response {
    let mut error = json!({ "type": "invalid_request_error", "message": message });
    if let Some(param) = param {
        error["param"] = json!(param);
    }
    json_response(status, &json!({ "error": error }))
}

fn json_response(status: StatusCode, body: &Value) -> Response {
    Response::builder().status(status).content_type("application/json").body(body.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_signed_header_names_its_timestamp() {
        let header = sign(b"{}", "whsec_x", 1_700_000_000);
        let (t, v1) = header.split_once(',').unwrap();
        assert_eq!(t, "t=1700000000");
        assert_eq!(v1.strip_prefix("v1=").unwrap().len(), 64);
    }

    #[test]
    fn events_carry_their_object() {
        let payload: Value =
            serde_json::from_str(&event("evt_1", "invoice.payment_failed", 5, json!({"id": "in_1"}))).unwrap();
        assert_eq!(payload["object"], "event");
        assert_eq!(payload["type"], "invoice.payment_failed");
        assert_eq!(payload["created"], 5);
        assert_eq!(payload["data"]["object"]["id"], "in_1");
        assert_eq!(payload["api_version"], STRIPE_VERSION);
    }

    #[tokio::test]
    async fn unknown_paths_are_recorded_and_refused() {
        let stripe = FakeStripe::start().await;
        let request = Request::builder().method(poem::http::Method::GET).uri_str("/v1/customers").finish();
        let response = answer(Arc::clone(&stripe.shared), request).await;
        assert_eq!(response.status(), StatusCode::UNAUTHORIZED, "no key");
        assert_eq!(stripe.requests().len(), 1);
        assert_eq!(stripe.requests()[0].path, "/v1/customers");
    }
}
