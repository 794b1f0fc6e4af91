//! `StripeBilling::verify_webhook`: signed Stripe events read into the core's `BillingEvent`,
//! one test per event type tseeder acts on, and the payloads it refuses. (The signature itself
//! is tested on its own in `signature.rs`; here `testing::sign` makes valid headers.)

#![allow(clippy::unwrap_used, reason = "tests: a panic is a test failure")]

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde_json::{Value, json};
use tseeder_core::domain::{BillingEvent, BillingEventKind, OrgId, SubscriptionStatus};
use tseeder_core::ports::{BillingProvider, WebhookError};
use tseeder_stripe::testing::{
    TEST_WEBHOOK_SECRET, checkout_session_object, event, invoice_object, sign, subscription_object,
};
use tseeder_stripe::{StripeBilling, StripeConfig, provider};

const NOW: i64 = 1_780_000_000;
const PERIOD_END: i64 = NOW + 30 * 86_400;

fn billing() -> StripeBilling {
    let prices = BTreeMap::from([
        ("pro".to_owned(), "price_pro_monthly".to_owned()),
        ("team".to_owned(), "price_team_monthly".to_owned()),
    ]);
    let config = StripeConfig {
        secret_key: "sk_test_events".to_owned(),
        webhook_secret: TEST_WEBHOOK_SECRET.to_owned(),
        prices,
        ..StripeConfig::default()
    };
    StripeBilling::new(&config).unwrap()
}

fn now() -> DateTime<Utc> {
    DateTime::from_timestamp(NOW, 0).unwrap()
}

/// Signs `payload` as Stripe would and gives it to `verify_webhook`.
fn deliver(payload: &str) -> Result<BillingEvent, WebhookError> {
    billing().verify_webhook(payload.as_bytes(), &sign(payload.as_bytes(), TEST_WEBHOOK_SECRET, NOW), now())
}

fn deliver_object(kind: &str, object: Value) -> Result<BillingEvent, WebhookError> {
    deliver(&event("evt_test_1", kind, NOW - 5, object))
}

fn payload_error(result: Result<BillingEvent, WebhookError>) -> String {
    match result {
        Err(WebhookError::Payload(reason)) => reason,
        other => panic!("expected a payload error, got {other:?}"),
    }
}

#[test]
fn the_envelope_gives_id_type_and_creation_time() {
    let event = deliver_object("customer.created", json!({ "id": "cus_1", "object": "customer" })).unwrap();
    assert_eq!(event.id, "evt_test_1");
    assert_eq!(event.kind_name, "customer.created");
    assert_eq!(event.created, DateTime::from_timestamp(NOW - 5, 0).unwrap());
    assert_eq!(event.kind, BillingEventKind::Other);
}

#[test]
fn a_completed_checkout_names_the_organization_and_its_customer() {
    let org = OrgId::new();
    let event =
        deliver_object("checkout.session.completed", checkout_session_object("cs_test_1", "cus_new", &org.to_string()))
            .unwrap();
    assert_eq!(event.kind, BillingEventKind::CheckoutCompleted { org_id: org, customer_id: "cus_new".into() });
}

#[test]
fn a_checkout_without_metadata_falls_back_to_the_client_reference_id() {
    let org = OrgId::new();
    let mut session = checkout_session_object("cs_test_1", "cus_new", &org.to_string());
    session["metadata"] = json!({});
    let event = deliver_object("checkout.session.completed", session).unwrap();
    assert_eq!(event.kind, BillingEventKind::CheckoutCompleted { org_id: org, customer_id: "cus_new".into() });

    // The metadata wins over the reference when both are there.
    let other = OrgId::new();
    let mut session = checkout_session_object("cs_test_2", "cus_new", &org.to_string());
    session["client_reference_id"] = json!(other.to_string());
    let event = deliver_object("checkout.session.completed", session).unwrap();
    assert_eq!(event.kind, BillingEventKind::CheckoutCompleted { org_id: org, customer_id: "cus_new".into() });
}

#[test]
fn a_checkout_without_a_readable_organization_or_customer_is_a_payload_error() {
    let org = OrgId::new().to_string();
    let mut nameless = checkout_session_object("cs_test_1", "cus_1", &org);
    nameless["metadata"] = json!({});
    nameless["client_reference_id"] = Value::Null;
    assert!(payload_error(deliver_object("checkout.session.completed", nameless)).contains("organization"));

    let invalid = checkout_session_object("cs_test_1", "cus_1", "not-a-uuid");
    assert!(payload_error(deliver_object("checkout.session.completed", invalid)).contains("not-a-uuid"));

    let mut customerless = checkout_session_object("cs_test_1", "cus_1", &org);
    customerless["customer"] = Value::Null;
    assert!(payload_error(deliver_object("checkout.session.completed", customerless)).contains("customer"));
}

#[test]
fn subscription_created_and_updated_map_price_status_period_and_organization() {
    let org = OrgId::new();
    let org_text = org.to_string();
    for kind in ["customer.subscription.created", "customer.subscription.updated"] {
        let object =
            subscription_object("sub_1", "cus_1", "price_team_monthly", "active", PERIOD_END, Some(org_text.as_str()));
        let event = deliver_object(kind, object).unwrap();
        assert_eq!(event.kind_name, kind);
        assert_eq!(
            event.kind,
            BillingEventKind::SubscriptionChanged {
                customer_id: "cus_1".into(),
                subscription_id: "sub_1".into(),
                plan_id: Some("team".into()),
                status: SubscriptionStatus::Active,
                current_period_end: DateTime::from_timestamp(PERIOD_END, 0),
                org_id: Some(org),
            },
            "{kind}"
        );
    }
}

#[test]
fn every_stripe_status_is_read() {
    for status in SubscriptionStatus::ALL {
        let object = subscription_object("sub_1", "cus_1", "price_pro_monthly", status.as_str(), PERIOD_END, None);
        let event = deliver_object("customer.subscription.updated", object).unwrap();
        match event.kind {
            BillingEventKind::SubscriptionChanged { status: read, .. } => assert_eq!(read, status),
            other => panic!("{other:?}"),
        }
    }
}

#[test]
fn an_unknown_price_gives_no_plan_and_missing_metadata_no_organization() {
    let object = subscription_object("sub_1", "cus_1", "price_somebody_else", "past_due", PERIOD_END, None);
    let event = deliver_object("customer.subscription.updated", object).unwrap();
    assert_eq!(
        event.kind,
        BillingEventKind::SubscriptionChanged {
            customer_id: "cus_1".into(),
            subscription_id: "sub_1".into(),
            plan_id: None,
            status: SubscriptionStatus::PastDue,
            current_period_end: DateTime::from_timestamp(PERIOD_END, 0),
            org_id: None,
        }
    );

    // Metadata that is not an organization id of this server is ignored, not refused.
    let object = subscription_object("sub_1", "cus_1", "price_pro_monthly", "active", PERIOD_END, Some("acme-42"));
    match deliver_object("customer.subscription.updated", object).unwrap().kind {
        BillingEventKind::SubscriptionChanged { org_id, plan_id, .. } => {
            assert_eq!(org_id, None);
            assert_eq!(plan_id.as_deref(), Some("pro"));
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn an_unknown_status_is_a_payload_error() {
    let object = subscription_object("sub_1", "cus_1", "price_pro_monthly", "on_vacation", PERIOD_END, None);
    let reason = payload_error(deliver_object("customer.subscription.updated", object));
    assert!(reason.contains("on_vacation"), "{reason}");
}

#[test]
fn the_period_end_is_read_from_the_item_in_newer_api_versions() {
    // From API version 2025-03-31 the period is on each item, not on the subscription.
    let mut object = subscription_object("sub_1", "cus_1", "price_pro_monthly", "trialing", PERIOD_END, None);
    object.as_object_mut().unwrap().remove("current_period_end");
    object["items"]["data"][0]["current_period_end"] = json!(PERIOD_END + 60);
    match deliver_object("customer.subscription.updated", object).unwrap().kind {
        BillingEventKind::SubscriptionChanged { current_period_end, status, .. } => {
            assert_eq!(current_period_end, DateTime::from_timestamp(PERIOD_END + 60, 0));
            assert_eq!(status, SubscriptionStatus::Trialing);
        }
        other => panic!("{other:?}"),
    }

    // Neither: no period end, not an error.
    let mut object = subscription_object("sub_1", "cus_1", "price_pro_monthly", "active", PERIOD_END, None);
    object.as_object_mut().unwrap().remove("current_period_end");
    match deliver_object("customer.subscription.created", object).unwrap().kind {
        BillingEventKind::SubscriptionChanged { current_period_end, .. } => assert_eq!(current_period_end, None),
        other => panic!("{other:?}"),
    }
}

#[test]
fn an_expanded_customer_is_read_by_its_id() {
    let mut object = subscription_object("sub_1", "cus_1", "price_pro_monthly", "active", PERIOD_END, None);
    object["customer"] = json!({ "id": "cus_expanded", "object": "customer", "email": "a@example.com" });
    match deliver_object("customer.subscription.updated", object).unwrap().kind {
        BillingEventKind::SubscriptionChanged { customer_id, .. } => assert_eq!(customer_id, "cus_expanded"),
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_deleted_subscription_names_customer_and_subscription() {
    let object = subscription_object("sub_9", "cus_9", "price_pro_monthly", "canceled", PERIOD_END, None);
    let event = deliver_object("customer.subscription.deleted", object).unwrap();
    assert_eq!(
        event.kind,
        BillingEventKind::SubscriptionDeleted { customer_id: "cus_9".into(), subscription_id: "sub_9".into() }
    );
}

#[test]
fn a_failed_invoice_payment_names_the_customer() {
    let event = deliver_object("invoice.payment_failed", invoice_object("in_1", "cus_3", "sub_3")).unwrap();
    assert_eq!(event.kind, BillingEventKind::PaymentFailed { customer_id: "cus_3".into() });

    let mut customerless = invoice_object("in_1", "cus_3", "sub_3");
    customerless["customer"] = Value::Null;
    payload_error(deliver_object("invoice.payment_failed", customerless));
}

#[test]
fn other_events_are_acknowledged_without_reading_their_object() {
    for kind in ["invoice.paid", "customer.updated", "checkout.session.expired", "payment_intent.succeeded"] {
        let event = deliver_object(kind, json!({ "id": "x", "unexpected": [1, 2, 3] })).unwrap();
        assert_eq!(event.kind, BillingEventKind::Other, "{kind}");
        assert_eq!(event.kind_name, kind);
    }
}

#[test]
fn signed_payloads_that_are_not_events_are_payload_errors() {
    for payload in
        ["", "not json", "{}", r#"{"id":"evt_1","type":"invoice.paid","created":"yesterday","data":{"object":{}}}"#]
    {
        payload_error(deliver(payload));
    }
    let missing_fields = json!({ "id": "sub_1", "object": "subscription" });
    payload_error(deliver_object("customer.subscription.updated", missing_fields));
}

#[test]
fn nothing_is_read_before_the_signature_is_checked() {
    let payload = "not json at all";
    let unsigned = billing().verify_webhook(payload.as_bytes(), &sign(payload.as_bytes(), "whsec_wrong", NOW), now());
    assert_eq!(unsigned.unwrap_err(), WebhookError::BadSignature);
    assert_eq!(billing().verify_webhook(payload.as_bytes(), "", now()).unwrap_err(), WebhookError::Malformed);
    let stale = sign(payload.as_bytes(), TEST_WEBHOOK_SECRET, NOW - 301);
    assert_eq!(billing().verify_webhook(payload.as_bytes(), &stale, now()).unwrap_err(), WebhookError::Stale);
}

#[test]
fn the_configured_tolerance_applies() {
    let config = StripeConfig {
        secret_key: "sk_test_events".to_owned(),
        webhook_secret: TEST_WEBHOOK_SECRET.to_owned(),
        prices: BTreeMap::from([("pro".to_owned(), "price_pro_monthly".to_owned())]),
        tolerance_secs: 30,
        ..StripeConfig::default()
    };
    let billing = StripeBilling::new(&config).unwrap();
    let payload = event("evt_1", "invoice.paid", NOW, json!({}));
    let header = sign(payload.as_bytes(), TEST_WEBHOOK_SECRET, NOW - 31);
    assert_eq!(billing.verify_webhook(payload.as_bytes(), &header, now()).unwrap_err(), WebhookError::Stale);
    let header = sign(payload.as_bytes(), TEST_WEBHOOK_SECRET, NOW - 30);
    assert!(billing.verify_webhook(payload.as_bytes(), &header, now()).is_ok());
}

#[test]
fn without_a_secret_key_webhooks_are_disabled() {
    let off = provider(&StripeConfig::default()).unwrap();
    assert!(!off.enabled());
    let payload = event("evt_1", "invoice.paid", NOW, json!({}));
    let header = sign(payload.as_bytes(), TEST_WEBHOOK_SECRET, NOW);
    assert_eq!(off.verify_webhook(payload.as_bytes(), &header, now()).unwrap_err(), WebhookError::Disabled);
}
