//! Reading a verified Stripe event into the core's [`BillingEvent`].
//!
//! Only the fields tseeder needs are read, so events of any API version parse; where a field
//! moved between versions (a subscription's `current_period_end`, onto its items in
//! `2025-03-31`), both places are looked at.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde::Deserialize;
use serde::de::DeserializeOwned;
use tseeder_core::domain::{BillingEvent, BillingEventKind, OrgId, SubscriptionStatus};
use tseeder_core::ports::WebhookError;

/// The metadata key carrying the organization (set on the checkout session and its
/// subscription by [`StripeBilling`](crate::StripeBilling)'s checkout).
const ORG_KEY: &str = "org_id";

/// `{"id", "type", "created", "data": {"object"}}`: the envelope of every event.
#[derive(Debug, Deserialize)]
struct Envelope {
    id: String,
    #[serde(rename = "type")]
    kind: String,
    created: i64,
    data: EventData,
}

#[derive(Debug, Deserialize)]
struct EventData {
    object: serde_json::Value,
}

/// A reference to another object: its id, or the object itself when expanded.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum Expandable {
    Id(String),
    Object { id: String },
}

impl Expandable {
    fn id(self) -> String {
        match self {
            Self::Id(id) | Self::Object { id } => id,
        }
    }
}

/// A Checkout Session (`checkout.session.*` events).
#[derive(Debug, Deserialize)]
struct CheckoutSession {
    #[serde(default)]
    customer: Option<Expandable>,
    #[serde(default)]
    client_reference_id: Option<String>,
    #[serde(default)]
    metadata: Option<BTreeMap<String, String>>,
}

/// A Subscription (`customer.subscription.*` events).
#[derive(Debug, Deserialize)]
struct StripeSubscription {
    id: String,
    customer: Expandable,
    status: String,
    /// On the subscription up to API version `2025-02-24`.
    #[serde(default)]
    current_period_end: Option<i64>,
    #[serde(default)]
    items: Option<List<SubscriptionItem>>,
    #[serde(default)]
    metadata: Option<BTreeMap<String, String>>,
}

#[derive(Debug, Deserialize)]
struct List<T> {
    data: Vec<T>,
}

#[derive(Debug, Deserialize)]
struct SubscriptionItem {
    price: Price,
    /// On the item from API version `2025-03-31`.
    #[serde(default)]
    current_period_end: Option<i64>,
}

#[derive(Debug, Deserialize)]
struct Price {
    id: String,
}

/// An Invoice (`invoice.*` events).
#[derive(Debug, Deserialize)]
struct Invoice {
    customer: Expandable,
}

/// Reads a verified payload. `prices` maps tseeder plans to Stripe prices.
pub(crate) fn read_event(payload: &[u8], prices: &BTreeMap<String, String>) -> Result<BillingEvent, WebhookError> {
    let envelope: Envelope =
        serde_json::from_slice(payload).map_err(|e| payload_error(format!("not a Stripe event: {e}")))?;
    let created = timestamp(envelope.created, "created")?;
    let object = envelope.data.object;
    let kind = match envelope.kind.as_str() {
        "checkout.session.completed" => {
            let session: CheckoutSession = object_as(object, "checkout session")?;
            let metadata = session.metadata.unwrap_or_default();
            let org = metadata.get(ORG_KEY).cloned().or(session.client_reference_id).ok_or_else(|| {
                payload_error("the checkout session names no organization (metadata.org_id, client_reference_id)")
            })?;
            let org_id = org
                .parse::<OrgId>()
                .map_err(|_| payload_error(format!("the checkout session's organization {org:?} is not an id")))?;
            let customer_id = session
                .customer
                .map(Expandable::id)
                .ok_or_else(|| payload_error("the checkout session has no customer"))?;
            BillingEventKind::CheckoutCompleted { org_id, customer_id }
        }
        "customer.subscription.created" | "customer.subscription.updated" => {
            let subscription: StripeSubscription = object_as(object, "subscription")?;
            let status = subscription.status.parse::<SubscriptionStatus>().map_err(payload_error)?;
            let item = subscription.items.and_then(|items| items.data.into_iter().next());
            let plan_id = item
                .as_ref()
                .and_then(|item| prices.iter().find(|(_, price)| price.trim() == item.price.id))
                .map(|(plan, _)| plan.clone());
            let period_end = subscription.current_period_end.or_else(|| item.and_then(|i| i.current_period_end));
            let current_period_end = period_end.map(|secs| timestamp(secs, "current_period_end")).transpose()?;
            // Metadata that does not name an organization of this server (another application
            // on the same Stripe account) is not an error: the customer then tells whose it is.
            let org_id = subscription.metadata.and_then(|m| m.get(ORG_KEY).and_then(|org| org.parse::<OrgId>().ok()));
            BillingEventKind::SubscriptionChanged {
                customer_id: subscription.customer.id(),
                subscription_id: subscription.id,
                plan_id,
                status,
                current_period_end,
                org_id,
            }
        }
        "customer.subscription.deleted" => {
            let subscription: StripeSubscription = object_as(object, "subscription")?;
            BillingEventKind::SubscriptionDeleted {
                customer_id: subscription.customer.id(),
                subscription_id: subscription.id,
            }
        }
        "invoice.payment_failed" => {
            let invoice: Invoice = object_as(object, "invoice")?;
            BillingEventKind::PaymentFailed { customer_id: invoice.customer.id() }
        }
        _ => BillingEventKind::Other,
    };
    Ok(BillingEvent { id: envelope.id, kind_name: envelope.kind, created, kind })
}

fn object_as<T: DeserializeOwned>(object: serde_json::Value, what: &str) -> Result<T, WebhookError> {
    serde_json::from_value(object).map_err(|e| payload_error(format!("the event's {what} cannot be read: {e}")))
}

fn timestamp(secs: i64, field: &str) -> Result<DateTime<Utc>, WebhookError> {
    DateTime::from_timestamp(secs, 0).ok_or_else(|| payload_error(format!("{field} {secs} is not a time")))
}

fn payload_error(reason: impl Into<String>) -> WebhookError {
    WebhookError::Payload(reason.into())
}
