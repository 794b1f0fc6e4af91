//! The suite of the [`BillingRepository`]: an organization's customer read both ways and
//! replaced, subscriptions stored and read back with every status, an older provider event
//! never overriding a newer one (equal and newer ones do), and processed events recorded once.
//!
//! Customers and subscriptions belong to organizations, which must exist: the suite makes users
//! through the [`AccountRepository`] and uses their personal organizations.

use chrono::{DateTime, Duration, Utc};

use super::{new_user, secs, t0};
use crate::domain::{OrgId, Organization, Subscription, SubscriptionStatus};
use crate::ports::{AccountRepository, BillingRepository};

/// Emails, customer, subscription and event ids unique to one run of the suite, so that runs
/// may share a database.
struct Run(String);

impl Run {
    fn new() -> Self {
        Self(uuid::Uuid::new_v4().simple().to_string()[..12].to_owned())
    }

    /// The personal organization of a new user.
    async fn org(&self, accounts: &dyn AccountRepository, who: &str) -> OrgId {
        let email = format!("billing-{who}-{}@example.com", self.0);
        let user = accounts.insert_user(&new_user(&email)).await.unwrap();
        Organization::personal_id(user.id)
    }

    fn customer(&self, name: &str) -> String {
        format!("cus_{name}_{}", self.0)
    }

    fn event(&self, name: &str) -> String {
        format!("evt_{name}_{}", self.0)
    }

    /// An active subscription of `org` to `pro`, from an event `at` seconds after `t0` (with a
    /// sub-second part, in whole microseconds as the databases keep them).
    fn subscription(&self, org: OrgId, at: i64) -> Subscription {
        let event_at = t0() + secs(at) + Duration::microseconds(123_456);
        Subscription {
            org_id: org,
            customer_id: self.customer("subscriber"),
            subscription_id: format!("sub_{}", self.0),
            plan_id: "pro".into(),
            status: SubscriptionStatus::Active,
            current_period_end: Some(event_at + Duration::days(30)),
            grace_until: None,
            event_at,
        }
    }
}

/// Runs every [`BillingRepository`] behaviour test. The suite makes its own users (on the free
/// plan), customers, subscriptions (to the built-in plans `pro` and `business`) and events, with
/// ids of its own, so it may share the database with other suites and with other runs of itself.
pub async fn billing_repository(accounts: &dyn AccountRepository, billing: &dyn BillingRepository) {
    let run = Run::new();
    customers(accounts, billing, &run).await;
    subscriptions(accounts, billing, &run).await;
    event_order(accounts, billing, &run).await;
    events(billing, &run).await;
}

async fn customers(accounts: &dyn AccountRepository, billing: &dyn BillingRepository, run: &Run) {
    let (ada, grace) = (run.org(accounts, "ada").await, run.org(accounts, "grace").await);
    let (first, second, other) = (run.customer("first"), run.customer("second"), run.customer("other"));
    assert_eq!(billing.customer_of(ada).await.unwrap(), None, "no customer yet");
    assert_eq!(billing.org_of_customer(&first).await.unwrap(), None, "an unknown customer");

    billing.set_customer(ada, &first).await.unwrap();
    billing.set_customer(grace, &other).await.unwrap();
    assert_eq!(billing.customer_of(ada).await.unwrap(), Some(first.clone()));
    assert_eq!(billing.org_of_customer(&first).await.unwrap(), Some(ada));
    assert_eq!(billing.customer_of(grace).await.unwrap(), Some(other.clone()));
    assert_eq!(billing.org_of_customer(&other).await.unwrap(), Some(grace));

    // Storing the same customer again changes nothing.
    billing.set_customer(ada, &first).await.unwrap();
    assert_eq!(billing.customer_of(ada).await.unwrap(), Some(first.clone()));

    // A new customer replaces the old one, both ways; other organizations keep theirs.
    billing.set_customer(ada, &second).await.unwrap();
    assert_eq!(billing.customer_of(ada).await.unwrap(), Some(second.clone()), "replaced");
    assert_eq!(billing.org_of_customer(&second).await.unwrap(), Some(ada));
    assert_eq!(billing.org_of_customer(&first).await.unwrap(), None, "the old customer is no one's");
    assert_eq!(billing.customer_of(grace).await.unwrap(), Some(other.clone()));
    assert_eq!(billing.org_of_customer(&other).await.unwrap(), Some(grace));
}

async fn subscriptions(accounts: &dyn AccountRepository, billing: &dyn BillingRepository, run: &Run) {
    let (org, bystander) = (run.org(accounts, "subscriber").await, run.org(accounts, "bystander").await);
    assert_eq!(billing.subscription(org).await.unwrap(), None, "never subscribed");

    // Every status, each event newer than the last: each one is stored and read back as it was.
    let mut at = 0;
    for (i, status) in SubscriptionStatus::ALL.into_iter().enumerate() {
        at += 10;
        let base = run.subscription(org, at);
        let plan = if i % 2 == 0 { "pro" } else { "business" };
        let subscription = Subscription {
            status,
            plan_id: plan.into(),
            current_period_end: (i % 2 == 0).then_some(base.event_at + Duration::days(30)),
            grace_until: (status == SubscriptionStatus::PastDue).then_some(base.event_at + Duration::days(7)),
            ..base
        };
        assert!(billing.apply_subscription(&subscription).await.unwrap(), "{status}: stored");
        assert_eq!(billing.subscription(org).await.unwrap(), Some(subscription), "{status}: read back");
    }
    assert_eq!(billing.subscription(bystander).await.unwrap(), None, "another organization's is its own");
}

async fn event_order(accounts: &dyn AccountRepository, billing: &dyn BillingRepository, run: &Run) {
    let org = run.org(accounts, "ordered").await;
    let current = run.subscription(org, 100);
    assert!(billing.apply_subscription(&current).await.unwrap(), "the first event is stored");

    // An older event (delivered late) is refused and changes nothing.
    let older = Subscription {
        status: SubscriptionStatus::Canceled,
        plan_id: "business".into(),
        current_period_end: None,
        ..run.subscription(org, 50)
    };
    assert!(!billing.apply_subscription(&older).await.unwrap(), "an older event is refused");
    assert_eq!(billing.subscription(org).await.unwrap(), Some(current.clone()), "unchanged");
    let just_older = Subscription {
        status: SubscriptionStatus::Canceled,
        event_at: current.event_at - Duration::microseconds(1),
        ..current.clone()
    };
    assert!(!billing.apply_subscription(&just_older).await.unwrap(), "older by a microsecond");
    assert_eq!(billing.subscription(org).await.unwrap(), Some(current.clone()), "unchanged");

    // An event of the same time is applied (a redelivery, or another event of that instant).
    let same_time = Subscription {
        status: SubscriptionStatus::PastDue,
        grace_until: Some(current.event_at + Duration::days(7)),
        ..current.clone()
    };
    assert!(billing.apply_subscription(&same_time).await.unwrap(), "an event of the same time is applied");
    assert_eq!(billing.subscription(org).await.unwrap(), Some(same_time.clone()));
    assert!(billing.apply_subscription(&same_time).await.unwrap(), "a redelivery is applied");
    assert_eq!(billing.subscription(org).await.unwrap(), Some(same_time.clone()), "and changes nothing");

    // A newer one replaces it; then one between the two is too old.
    let newer = Subscription { plan_id: "business".into(), ..run.subscription(org, 200) };
    assert!(billing.apply_subscription(&newer).await.unwrap(), "a newer event is applied");
    assert_eq!(billing.subscription(org).await.unwrap(), Some(newer.clone()));
    let between = Subscription { status: SubscriptionStatus::Unpaid, ..run.subscription(org, 150) };
    assert!(!billing.apply_subscription(&between).await.unwrap(), "older than the newest");
    assert_eq!(billing.subscription(org).await.unwrap(), Some(newer), "the newest stays");
}

async fn events(billing: &dyn BillingRepository, run: &Run) {
    let (first, second) = (run.event("first"), run.event("second"));
    let at: DateTime<Utc> = t0() + secs(300);
    assert!(!billing.event_seen(&first).await.unwrap(), "not recorded yet");

    billing.record_event(&first, "customer.subscription.updated", at).await.unwrap();
    assert!(billing.event_seen(&first).await.unwrap(), "recorded");
    assert!(!billing.event_seen(&second).await.unwrap(), "another event is not");

    // Recording an id twice is not an error, and it stays seen.
    billing.record_event(&first, "customer.subscription.updated", at + secs(1)).await.unwrap();
    billing.record_event(&first, "invoice.payment_failed", at).await.unwrap();
    assert!(billing.event_seen(&first).await.unwrap(), "still recorded");

    billing.record_event(&second, "checkout.session.completed", at).await.unwrap();
    assert!(billing.event_seen(&second).await.unwrap());
}
