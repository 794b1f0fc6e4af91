//! Billing: the payment provider (checkout, customer portal, verified webhook events) and the
//! store of customers, subscriptions and processed events.

use std::fmt::Debug;

use async_trait::async_trait;
use chrono::{DateTime, Utc};

use crate::domain::{BillingEvent, OrgId, Subscription};
use crate::error::RepoError;

/// A checkout to open: the organization, the plan, who pays.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckoutRequest {
    /// The organization the subscription is for (carried in the provider's metadata, so the
    /// webhook knows whose it is).
    pub org_id: OrgId,
    /// The tseeder plan to subscribe to.
    pub plan_id: String,
    /// The organization's customer at the provider, when it has one already.
    pub customer_id: Option<String>,
    /// The payer's email, for a new customer.
    pub email: String,
    /// Where the provider sends the payer after paying.
    pub success_url: String,
    /// Where the provider sends the payer after giving up.
    pub cancel_url: String,
}

/// Why the provider could not do something.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BillingError {
    /// No payment provider is configured.
    #[error("billing is not enabled on this server")]
    Disabled,
    /// The plan has no price at the provider.
    #[error("the plan {0:?} cannot be bought")]
    UnknownPlan(String),
    /// The provider failed or refused; the text says how (safe to log, not shown to users).
    #[error("the payment provider failed: {0}")]
    Provider(String),
}

/// Why a webhook delivery was refused. Each refusal is a 400 and a security event.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum WebhookError {
    /// No payment provider is configured.
    #[error("billing is not enabled on this server")]
    Disabled,
    /// The signature header is missing or cannot be parsed.
    #[error("the signature header is missing or malformed")]
    Malformed,
    /// The signed timestamp is outside the tolerance.
    #[error("the signature's timestamp is too old or in the future")]
    Stale,
    /// No signature matches the payload under the webhook secret.
    #[error("no signature matches")]
    BadSignature,
    /// The payload is signed but not an event this server can read.
    #[error("the event cannot be read: {0}")]
    Payload(String),
}

/// The payment provider.
///
/// # Contract
/// - `enabled` is false for the no-billing default, whose every call fails with `Disabled`.
/// - `checkout` opens a subscription checkout for `plan_id` and returns the page to send the
///   payer to; a plan without a price is `UnknownPlan`. The organization's id travels in the
///   checkout's and the subscription's metadata.
/// - `portal` returns the customer portal page of `customer_id`, coming back to `return_url`.
/// - `verify_webhook` checks the signature header of one delivery against the exact payload
///   bytes and `now`, then reads the event. It never trusts the payload before the signature.
/// - `priced_plans` lists the plans that can be bought.
#[async_trait]
pub trait BillingProvider: Send + Sync + Debug {
    /// Whether payments are on.
    fn enabled(&self) -> bool;
    /// The plans that can be bought.
    fn priced_plans(&self) -> Vec<String>;
    /// Opens a checkout.
    async fn checkout(&self, request: &CheckoutRequest) -> Result<String, BillingError>;
    /// Opens the customer portal.
    async fn portal(&self, customer_id: &str, return_url: &str) -> Result<String, BillingError>;
    /// Verifies and reads one webhook delivery.
    fn verify_webhook(&self, payload: &[u8], signature: &str, now: DateTime<Utc>)
    -> Result<BillingEvent, WebhookError>;
}

/// The provider of an installation that does not bill: every user keeps the plan an operator
/// gives them.
#[derive(Debug, Clone, Copy, Default)]
pub struct NoBilling;

#[async_trait]
impl BillingProvider for NoBilling {
    fn enabled(&self) -> bool {
        false
    }

    fn priced_plans(&self) -> Vec<String> {
        Vec::new()
    }

    async fn checkout(&self, _request: &CheckoutRequest) -> Result<String, BillingError> {
        Err(BillingError::Disabled)
    }

    async fn portal(&self, _customer_id: &str, _return_url: &str) -> Result<String, BillingError> {
        Err(BillingError::Disabled)
    }

    fn verify_webhook(
        &self,
        _payload: &[u8],
        _signature: &str,
        _now: DateTime<Utc>,
    ) -> Result<BillingEvent, WebhookError> {
        Err(WebhookError::Disabled)
    }
}

/// Persistent store of billing state.
///
/// # Contract
/// - `set_customer(org, customer)` stores the organization's customer (replacing any);
///   `customer_of` and `org_of_customer` read it both ways (`None` when unknown).
/// - `subscription(org)` is the organization's subscription, if it ever had one.
/// - `apply_subscription(sub)` stores `sub` as the organization's subscription unless the
///   stored one has a newer `event_at` (an older event never overrides a newer one); returns
///   whether it was stored. Equal times are applied (a redelivery changes nothing).
/// - `event_seen(id)` says whether an event id was recorded; `record_event(id, kind, at)`
///   records it (recording an id twice is not an error).
#[async_trait]
pub trait BillingRepository: Send + Sync + Debug {
    /// Stores the organization's customer.
    async fn set_customer(&self, org: OrgId, customer_id: &str) -> Result<(), RepoError>;
    /// The organization's customer.
    async fn customer_of(&self, org: OrgId) -> Result<Option<String>, RepoError>;
    /// The organization of a customer.
    async fn org_of_customer(&self, customer_id: &str) -> Result<Option<OrgId>, RepoError>;
    /// The organization's subscription.
    async fn subscription(&self, org: OrgId) -> Result<Option<Subscription>, RepoError>;
    /// Stores a subscription unless a newer event already did.
    async fn apply_subscription(&self, subscription: &Subscription) -> Result<bool, RepoError>;
    /// Whether an event was processed.
    async fn event_seen(&self, id: &str) -> Result<bool, RepoError>;
    /// Records a processed event.
    async fn record_event(&self, id: &str, kind: &str, at: DateTime<Utc>) -> Result<(), RepoError>;
}
