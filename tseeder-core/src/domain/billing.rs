//! Billing: an organization's subscription to a paid plan, and the payment provider's events
//! that change it.

use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, Utc};

use super::OrgId;

/// A subscription's state at the payment provider (Stripe's names).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SubscriptionStatus {
    /// Paid and running.
    Active,
    /// In a free trial.
    Trialing,
    /// A payment failed; the plan stays for the grace period.
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

impl SubscriptionStatus {
    /// Every status.
    pub const ALL: [SubscriptionStatus; 8] = [
        Self::Active,
        Self::Trialing,
        Self::PastDue,
        Self::Unpaid,
        Self::Canceled,
        Self::Incomplete,
        Self::IncompleteExpired,
        Self::Paused,
    ];

    /// The stored and provider name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Active => "active",
            Self::Trialing => "trialing",
            Self::PastDue => "past_due",
            Self::Unpaid => "unpaid",
            Self::Canceled => "canceled",
            Self::Incomplete => "incomplete",
            Self::IncompleteExpired => "incomplete_expired",
            Self::Paused => "paused",
        }
    }
}

impl fmt::Display for SubscriptionStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for SubscriptionStatus {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::ALL.into_iter().find(|x| x.as_str() == s).ok_or_else(|| format!("unknown subscription status {s:?}"))
    }
}

/// An organization's subscription, as the newest provider event applied left it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Subscription {
    /// Whose.
    pub org_id: OrgId,
    /// The provider's customer id.
    pub customer_id: String,
    /// The provider's subscription id.
    pub subscription_id: String,
    /// The tseeder plan it pays for.
    pub plan_id: String,
    /// Its state.
    pub status: SubscriptionStatus,
    /// When the paid period ends (the renewal date).
    pub current_period_end: Option<DateTime<Utc>>,
    /// After a failed payment: until when the plan stays despite it.
    pub grace_until: Option<DateTime<Utc>>,
    /// When the provider created the newest event applied: an older event never overrides it.
    pub event_at: DateTime<Utc>,
}

impl Subscription {
    /// Whether the subscription gives its plan at `now`: active or trialing, or past due within
    /// the grace period. Otherwise the organization falls back to its owner's plan; its files
    /// stay, and the plan's quotas apply to new jobs.
    pub fn grants_plan(&self, now: DateTime<Utc>) -> bool {
        match self.status {
            SubscriptionStatus::Active | SubscriptionStatus::Trialing => true,
            SubscriptionStatus::PastDue => self.grace_until.is_none_or(|until| now < until),
            _ => false,
        }
    }
}

/// What a verified provider event says, in tseeder's terms.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BillingEventKind {
    /// A checkout finished: the organization now has this customer.
    CheckoutCompleted {
        /// The organization the checkout was for (from its metadata).
        org_id: OrgId,
        /// The customer the provider made or reused.
        customer_id: String,
    },
    /// A subscription was created or changed.
    SubscriptionChanged {
        /// The customer.
        customer_id: String,
        /// The subscription.
        subscription_id: String,
        /// The price it is for (mapped to a plan by the provider's configuration).
        plan_id: Option<String>,
        /// Its state.
        status: SubscriptionStatus,
        /// The end of the paid period.
        current_period_end: Option<DateTime<Utc>>,
        /// The organization, when the subscription's metadata names it.
        org_id: Option<OrgId>,
    },
    /// A subscription ended.
    SubscriptionDeleted {
        /// The customer.
        customer_id: String,
        /// The subscription.
        subscription_id: String,
    },
    /// An invoice could not be paid.
    PaymentFailed {
        /// The customer.
        customer_id: String,
    },
    /// An event tseeder does not act on (acknowledged, recorded, ignored).
    Other,
}

/// A verified event from the payment provider.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BillingEvent {
    /// The provider's event id: each is processed once.
    pub id: String,
    /// The provider's event type, such as `customer.subscription.updated`.
    pub kind_name: String,
    /// When the provider created it: events are applied in this order, whatever order they
    /// arrive in.
    pub created: DateTime<Utc>,
    /// What it says.
    pub kind: BillingEventKind,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sub(status: SubscriptionStatus, grace_until: Option<DateTime<Utc>>) -> Subscription {
        Subscription {
            org_id: OrgId::new(),
            customer_id: "cus_1".into(),
            subscription_id: "sub_1".into(),
            plan_id: "pro".into(),
            status,
            current_period_end: None,
            grace_until,
            event_at: Utc::now(),
        }
    }

    #[test]
    fn a_plan_is_granted_while_paid_and_during_the_grace_period() {
        let now: DateTime<Utc> = "2026-12-06T12:00:00Z".parse().unwrap();
        assert!(sub(SubscriptionStatus::Active, None).grants_plan(now));
        assert!(sub(SubscriptionStatus::Trialing, None).grants_plan(now));
        assert!(sub(SubscriptionStatus::PastDue, Some(now + chrono::Duration::seconds(1))).grants_plan(now));
        assert!(!sub(SubscriptionStatus::PastDue, Some(now)).grants_plan(now));
        for ended in [
            SubscriptionStatus::Canceled,
            SubscriptionStatus::Unpaid,
            SubscriptionStatus::Incomplete,
            SubscriptionStatus::IncompleteExpired,
            SubscriptionStatus::Paused,
        ] {
            assert!(!sub(ended, None).grants_plan(now), "{ended}");
        }
    }

    #[test]
    fn statuses_round_trip() {
        for status in SubscriptionStatus::ALL {
            assert_eq!(status.as_str().parse::<SubscriptionStatus>().unwrap(), status);
        }
        assert!("bogus".parse::<SubscriptionStatus>().is_err());
    }
}
