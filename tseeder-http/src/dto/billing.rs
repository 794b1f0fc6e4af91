//! Billing: an organization's plan bought through the payment provider, its subscription, and
//! the provider's pages and webhook answers. The provider's customer and subscription ids stay
//! out of responses.

use chrono::{DateTime, Utc};
use poem_openapi::{Enum, Object};
use tseeder_core::domain::{Subscription, SubscriptionStatus};
use tseeder_core::services::billing::BillingStatus;

use crate::dto::org::OrgView;
use crate::dto::plan::PlanView;

/// A subscription's state at the payment provider (Stripe's names).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Enum)]
#[oai(rename = "SubscriptionStatus", rename_all = "snake_case")]
pub(crate) enum SubscriptionStatusDto {
    /// Paid and running.
    Active,
    /// In a free trial.
    Trialing,
    /// A payment failed: the plan stays until `graceUntil`.
    PastDue,
    /// Payments failed for good.
    Unpaid,
    /// Ended.
    Canceled,
    /// Waiting for the first payment.
    Incomplete,
    /// The first payment never came.
    IncompleteExpired,
    /// Paused by the customer.
    Paused,
}

impl From<SubscriptionStatus> for SubscriptionStatusDto {
    fn from(status: SubscriptionStatus) -> Self {
        match status {
            SubscriptionStatus::Active => Self::Active,
            SubscriptionStatus::Trialing => Self::Trialing,
            SubscriptionStatus::PastDue => Self::PastDue,
            SubscriptionStatus::Unpaid => Self::Unpaid,
            SubscriptionStatus::Canceled => Self::Canceled,
            SubscriptionStatus::Incomplete => Self::Incomplete,
            SubscriptionStatus::IncompleteExpired => Self::IncompleteExpired,
            SubscriptionStatus::Paused => Self::Paused,
        }
    }
}

/// An organization's subscription, as the newest provider event left it.
#[derive(Debug, Clone, Object)]
#[oai(rename = "Subscription", rename_all = "camelCase", skip_serializing_if_is_none)]
pub(crate) struct SubscriptionView {
    /// The plan it pays for.
    pub(crate) plan: String,
    /// Its state. The organization runs on `plan` while it is `active` or `trialing`, or
    /// `past_due` until `graceUntil`; otherwise on its owner's plan.
    pub(crate) status: SubscriptionStatusDto,
    /// When the paid period ends: the renewal date.
    pub(crate) current_period_end: Option<DateTime<Utc>>,
    /// After a failed payment: until when the plan stays despite it (`billing.grace_days`).
    pub(crate) grace_until: Option<DateTime<Utc>>,
}

impl From<Subscription> for SubscriptionView {
    fn from(s: Subscription) -> Self {
        Self {
            plan: s.plan_id,
            status: s.status.into(),
            current_period_end: s.current_period_end,
            grace_until: s.grace_until,
        }
    }
}

/// The billing of the organization a request acts in.
#[derive(Debug, Clone, Object)]
#[oai(rename = "Billing", rename_all = "camelCase", skip_serializing_if_is_none)]
pub(crate) struct BillingView {
    /// Whether this server takes payments (always `true`: otherwise the answer is 404
    /// `billing_disabled`).
    pub(crate) enabled: bool,
    /// The organization.
    pub(crate) org: OrgView,
    /// The plan it runs on now: its subscription's while that grants it, else its owner's.
    /// Absent when it has none (then nobody can submit jobs in it).
    pub(crate) plan: Option<PlanView>,
    /// Its subscription, if it ever had one.
    pub(crate) subscription: Option<SubscriptionView>,
    /// Whether the caller may buy or manage its plan (owners and admins).
    pub(crate) can_manage: bool,
    /// The plans that can be bought (`POST /billing/checkout`).
    pub(crate) plans_for_sale: Vec<String>,
}

impl From<BillingStatus> for BillingView {
    fn from(s: BillingStatus) -> Self {
        Self {
            enabled: s.enabled,
            org: s.org.into(),
            plan: s.plan.map(PlanView::from),
            subscription: s.subscription.map(SubscriptionView::from),
            can_manage: s.can_manage,
            plans_for_sale: s.plans_for_sale,
        }
    }
}

/// A plan to buy.
#[derive(Debug, Clone, Object)]
#[oai(rename = "CreateCheckoutRequest", rename_all = "camelCase")]
pub(crate) struct CreateCheckoutRequest {
    /// The plan's id, one of `plansForSale`.
    #[oai(validator(min_length = 1, max_length = 64))]
    pub(crate) plan: String,
}

/// A page of the payment provider to send the payer to.
#[derive(Debug, Clone, Object)]
#[oai(rename = "BillingRedirect")]
pub(crate) struct BillingRedirectView {
    /// The provider's page (Stripe Checkout or the customer portal): open it in the browser.
    pub(crate) url: String,
}

/// The answer to a webhook delivery the server accepted.
#[derive(Debug, Clone, Object)]
#[oai(rename = "WebhookReceived")]
pub(crate) struct WebhookReceivedView {
    /// Always `true`.
    pub(crate) received: bool,
    /// Whether the event id was processed before: then nothing was done again.
    pub(crate) duplicate: bool,
}
