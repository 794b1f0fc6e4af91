//! The billing rules over the in-memory ports, with a payment provider that takes its events
//! from the test and a clock the test moves: who may buy, each event applied once and in the
//! order the provider created them, the grace period after a failed payment, and the plan an
//! organization's quotas follow. The Stripe adapter's own checks (signatures, event shapes) are
//! tested in `tseeder-stripe`, and the whole path over HTTP in the end-to-end tests.

#![allow(clippy::unwrap_used, reason = "tests: a panic is a test failure")]

use std::sync::{Arc, Mutex};

use async_trait::async_trait;
use chrono::{DateTime, Duration, Utc};
use tseeder_core::auth::{Credential, Principal};
use tseeder_core::domain::{
    BillingEvent, BillingEventKind, NewUser, OrgId, OrgRole, Role, SessionId, SubscriptionStatus, User, UserId,
};
use tseeder_core::error::ServiceError;
use tseeder_core::ports::{BillingError, BillingProvider, CheckoutRequest, WebhookError};
use tseeder_core::services::billing::WebhookOutcome;
use tseeder_core::services::{CoreConfig, RequestMeta, Tseeder};
use tseeder_core::testing::{InMemoryDb, ManualClock};

fn start() -> DateTime<Utc> {
    "2026-12-06T12:00:00Z".parse().unwrap()
}

/// A provider whose "signature" is the event's index in a list the test fills: `sig-<n>`.
#[derive(Debug, Default)]
struct Provider {
    events: Mutex<Vec<BillingEvent>>,
    checkouts: Mutex<Vec<CheckoutRequest>>,
}

#[async_trait]
impl BillingProvider for Provider {
    fn enabled(&self) -> bool {
        true
    }

    fn priced_plans(&self) -> Vec<String> {
        vec!["pro".into()]
    }

    async fn checkout(&self, request: &CheckoutRequest) -> Result<String, BillingError> {
        self.checkouts.lock().unwrap().push(request.clone());
        Ok("https://pay.example/c/1".into())
    }

    async fn portal(&self, customer_id: &str, _return_url: &str) -> Result<String, BillingError> {
        Ok(format!("https://pay.example/p/{customer_id}"))
    }

    fn verify_webhook(
        &self,
        _payload: &[u8],
        signature: &str,
        _now: DateTime<Utc>,
    ) -> Result<BillingEvent, WebhookError> {
        let index: usize =
            signature.strip_prefix("sig-").and_then(|n| n.parse().ok()).ok_or(WebhookError::BadSignature)?;
        self.events.lock().unwrap().get(index).cloned().ok_or(WebhookError::BadSignature)
    }
}

struct World {
    core: Tseeder,
    clock: Arc<ManualClock>,
    provider: Arc<Provider>,
}

fn world(enabled: bool) -> World {
    let clock = Arc::new(ManualClock::new(start()));
    let provider = Arc::new(Provider::default());
    let mut ports = InMemoryDb::new().ports(Arc::<ManualClock>::clone(&clock));
    if enabled {
        ports.payments = Arc::<Provider>::clone(&provider);
    }
    World { core: Tseeder::new(ports, CoreConfig::default()), clock, provider }
}

fn meta() -> RequestMeta {
    RequestMeta::default()
}

fn code(e: ServiceError) -> &'static str {
    e.code().as_str()
}

impl World {
    async fn user(&self, email: &str) -> User {
        let user = NewUser {
            id: UserId::new(),
            email: email.into(),
            password_hash: "$argon2id$unused".into(),
            role: Role::User,
            plan_id: "free".into(),
            email_verified: true,
            created_at: start(),
        };
        self.core.ports.accounts.insert_user(&user).await.unwrap()
    }

    /// `user` with a session, acting in `org` with `role`.
    fn acting(user: &User, org: OrgId, role: OrgRole) -> Principal {
        let mut principal = Principal::new(user, Credential::Session(SessionId::new()));
        principal.org = tseeder_core::auth::OrgContext { id: org, role };
        principal
    }

    /// Delivers `kind` as created at `created`; returns the outcome.
    async fn deliver(&self, id: &str, created: DateTime<Utc>, kind: BillingEventKind) -> WebhookOutcome {
        let index = {
            let mut events = self.provider.events.lock().unwrap();
            events.push(BillingEvent { id: id.into(), kind_name: "test".into(), created, kind });
            events.len() - 1
        };
        self.core.billing.handle_webhook(b"{}", &format!("sig-{index}"), &meta()).await.unwrap()
    }

    async fn plan_of(&self, who: &Principal) -> String {
        self.core.jobs.usage(who).await.unwrap().0.id
    }
}

fn changed(status: SubscriptionStatus, org: Option<OrgId>) -> BillingEventKind {
    BillingEventKind::SubscriptionChanged {
        customer_id: "cus_1".into(),
        subscription_id: "sub_1".into(),
        plan_id: Some("pro".into()),
        status,
        current_period_end: Some(start() + Duration::days(30)),
        org_id: org,
    }
}

#[tokio::test]
async fn with_billing_off_every_operation_is_billing_disabled() {
    let w = world(false);
    let alice = w.user("alice@example.com").await;
    let owner = World::acting(&alice, OrgId(alice.id.0), OrgRole::Owner);
    assert_eq!(code(w.core.billing.status(&owner).await.unwrap_err()), "billing_disabled");
    assert_eq!(code(w.core.billing.checkout(&owner, "pro", &meta()).await.unwrap_err()), "billing_disabled");
    assert_eq!(code(w.core.billing.portal(&owner, &meta()).await.unwrap_err()), "billing_disabled");
    let e = w.core.billing.handle_webhook(b"{}", "t=1,v1=00", &meta()).await.unwrap_err();
    assert_eq!(code(e), "billing_disabled");
    assert_eq!(w.plan_of(&owner).await, "free");
}

#[tokio::test]
async fn owners_buy_a_plan_for_their_organization_and_members_cannot() {
    let w = world(true);
    let alice = w.user("alice@example.com").await;
    let bob = w.user("bob@example.com").await;
    let org = OrgId(alice.id.0);
    let owner = World::acting(&alice, org, OrgRole::Owner);
    let member = World::acting(&bob, org, OrgRole::Member);

    assert_eq!(code(w.core.billing.checkout(&member, "pro", &meta()).await.unwrap_err()), "insufficient_role");
    assert_eq!(code(w.core.billing.checkout(&owner, "business", &meta()).await.unwrap_err()), "plan_not_for_sale");
    assert_eq!(w.core.billing.checkout(&owner, "pro", &meta()).await.unwrap(), "https://pay.example/c/1");
    let sent = w.provider.checkouts.lock().unwrap().clone();
    assert_eq!((sent[0].org_id, sent[0].plan_id.as_str(), sent[0].email.as_str()), (org, "pro", "alice@example.com"));
    assert_eq!(code(w.core.billing.portal(&owner, &meta()).await.unwrap_err()), "no_billing_customer");

    w.deliver("evt_1", start(), BillingEventKind::CheckoutCompleted { org_id: org, customer_id: "cus_1".into() }).await;
    w.deliver("evt_2", start() + Duration::seconds(1), changed(SubscriptionStatus::Active, None)).await;
    assert_eq!(w.plan_of(&owner).await, "pro", "the next submission is checked against pro");
    let status = w.core.billing.status(&member).await.unwrap();
    assert!(!status.can_manage);
    assert_eq!(status.subscription.unwrap().status, SubscriptionStatus::Active);
    assert_eq!(w.core.billing.portal(&owner, &meta()).await.unwrap(), "https://pay.example/p/cus_1");
}

#[tokio::test]
async fn each_event_counts_once_and_an_older_one_never_overrides_a_newer_one() {
    let w = world(true);
    let alice = w.user("alice@example.com").await;
    let org = OrgId(alice.id.0);
    let owner = World::acting(&alice, org, OrgRole::Owner);
    w.deliver("evt_new", start() + Duration::minutes(5), changed(SubscriptionStatus::Active, Some(org))).await;
    assert_eq!(w.plan_of(&owner).await, "pro");

    // Stripe sends an earlier "canceled" late: it is recorded but changes nothing.
    let outcome = w.deliver("evt_old", start(), changed(SubscriptionStatus::Canceled, Some(org))).await;
    assert_eq!(outcome, WebhookOutcome::Processed);
    assert_eq!(w.plan_of(&owner).await, "pro");

    // The same event id again is a duplicate, even with other contents.
    let outcome =
        w.deliver("evt_new", start() + Duration::hours(1), changed(SubscriptionStatus::Canceled, Some(org))).await;
    assert_eq!(outcome, WebhookOutcome::Duplicate);
    assert_eq!(w.plan_of(&owner).await, "pro");

    // A refused signature changes nothing and says why.
    let e = w.core.billing.handle_webhook(b"{}", "sig-99", &meta()).await.unwrap_err();
    assert_eq!(code(e), "invalid_webhook");

    w.deliver(
        "evt_end",
        start() + Duration::hours(2),
        BillingEventKind::SubscriptionDeleted { customer_id: "cus_1".into(), subscription_id: "sub_1".into() },
    )
    .await;
    assert_eq!(w.plan_of(&owner).await, "free", "back on the owner's own plan");
}

#[tokio::test]
async fn a_failed_payment_keeps_the_plan_for_the_grace_period_then_downgrades() {
    let w = world(true);
    let alice = w.user("alice@example.com").await;
    let org = OrgId(alice.id.0);
    let owner = World::acting(&alice, org, OrgRole::Owner);
    w.deliver("evt_1", start(), changed(SubscriptionStatus::Active, Some(org))).await;
    w.clock.advance(Duration::days(30));
    let failed_at = start() + Duration::days(30);
    w.deliver("evt_2", failed_at, BillingEventKind::PaymentFailed { customer_id: "cus_1".into() }).await;
    let subscription = w.core.billing.status(&owner).await.unwrap().subscription.unwrap();
    assert_eq!(subscription.status, SubscriptionStatus::PastDue);
    assert_eq!(subscription.grace_until, Some(failed_at + Duration::days(7)));
    assert_eq!(w.plan_of(&owner).await, "pro", "within the grace period");

    w.clock.advance(Duration::days(7));
    assert_eq!(w.plan_of(&owner).await, "free", "the grace period is over");

    // Paying again brings the plan back.
    w.deliver("evt_3", failed_at + Duration::days(8), changed(SubscriptionStatus::Active, Some(org))).await;
    assert_eq!(w.plan_of(&owner).await, "pro");
}
