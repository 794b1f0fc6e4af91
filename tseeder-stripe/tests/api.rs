//! `StripeBilling`'s checkout and portal against the loopback `FakeStripe`: the form fields and
//! headers Stripe receives, the pages returned, and how failures (a refused key, no server, no
//! answer) become `BillingError::Provider` without the key in them.

#![allow(clippy::unwrap_used, reason = "tests: a panic is a test failure")]

use std::time::{Duration, Instant};

use tseeder_core::domain::OrgId;
use tseeder_core::ports::{BillingError, BillingProvider, CheckoutRequest};
use tseeder_stripe::testing::{FakeStripe, TEST_SECRET_KEY};
use tseeder_stripe::{STRIPE_VERSION, StripeBilling, StripeConfig, provider};

fn request(org_id: OrgId, plan_id: &str, customer_id: Option<&str>) -> CheckoutRequest {
    CheckoutRequest {
        org_id,
        plan_id: plan_id.to_owned(),
        customer_id: customer_id.map(str::to_owned),
        email: "owner@example.com".to_owned(),
        success_url: "https://tseeder.example/billing?checkout=success".to_owned(),
        cancel_url: "https://tseeder.example/billing?checkout=cancelled".to_owned(),
    }
}

/// A port on the loopback interface where nothing listens.
fn closed_port() -> u16 {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    listener.local_addr().unwrap().port()
}

#[tokio::test]
async fn a_checkout_for_a_new_customer_sends_the_price_the_organization_and_the_email() {
    let stripe = FakeStripe::start().await;
    let billing = StripeBilling::new(&stripe.config(&[("pro", "price_pro_m"), ("team", "price_team_m")])).unwrap();
    let org = OrgId::new();

    let url = billing.checkout(&request(org, "team", None)).await.unwrap();

    assert_eq!(url, format!("{}/c/pay/cs_test_1", stripe.base_url()));
    let requests = stripe.requests();
    assert_eq!(requests.len(), 1);
    let sent = &requests[0];
    assert_eq!(sent.method, "POST");
    assert_eq!(sent.path, "/v1/checkout/sessions");
    assert_eq!(sent.stripe_version.as_deref(), Some(STRIPE_VERSION));
    assert_eq!(sent.stripe_version.as_deref(), Some("2024-06-20"));
    let org = org.to_string();
    let expected = [
        ("mode", "subscription"),
        ("line_items[0][price]", "price_team_m"),
        ("line_items[0][quantity]", "1"),
        ("success_url", "https://tseeder.example/billing?checkout=success"),
        ("cancel_url", "https://tseeder.example/billing?checkout=cancelled"),
        ("customer_email", "owner@example.com"),
        ("client_reference_id", org.as_str()),
        ("metadata[org_id]", org.as_str()),
        ("metadata[plan_id]", "team"),
        ("subscription_data[metadata][org_id]", org.as_str()),
        ("subscription_data[metadata][plan_id]", "team"),
    ];
    for (name, value) in expected {
        assert_eq!(sent.field(name), Some(value), "{name} in {:?}", sent.form);
    }
    assert_eq!(sent.field("customer"), None, "{:?}", sent.form);
    assert_eq!(sent.form.len(), expected.len(), "no other field: {:?}", sent.form);
}

#[tokio::test]
async fn a_checkout_for_a_known_customer_names_it_instead_of_the_email() {
    let stripe = FakeStripe::start().await;
    let billing = StripeBilling::new(&stripe.config(&[("pro", "price_pro_m")])).unwrap();
    let org = OrgId::new();

    let first = billing.checkout(&request(org, "pro", Some("cus_known"))).await.unwrap();
    let second = billing.checkout(&request(org, "pro", Some("cus_known"))).await.unwrap();

    assert_eq!(first, format!("{}/c/pay/cs_test_1", stripe.base_url()));
    assert_eq!(second, format!("{}/c/pay/cs_test_2", stripe.base_url()));
    let sent = &stripe.requests()[0];
    assert_eq!(sent.field("customer"), Some("cus_known"));
    assert_eq!(sent.field("customer_email"), None, "Stripe refuses both: {:?}", sent.form);
    assert_eq!(sent.field("line_items[0][price]"), Some("price_pro_m"));
    assert_eq!(sent.field("metadata[org_id]"), Some(org.to_string().as_str()));
}

#[tokio::test]
async fn a_plan_without_a_price_is_refused_before_calling_stripe() {
    let stripe = FakeStripe::start().await;
    let billing = StripeBilling::new(&stripe.config(&[("pro", "price_pro_m")])).unwrap();

    let refused = billing.checkout(&request(OrgId::new(), "enterprise", None)).await;

    assert_eq!(refused, Err(BillingError::UnknownPlan("enterprise".into())));
    assert!(stripe.requests().is_empty());
}

#[tokio::test]
async fn the_portal_session_comes_back_to_the_return_url() {
    let stripe = FakeStripe::start().await;
    let billing = StripeBilling::new(&stripe.config(&[("pro", "price_pro_m")])).unwrap();

    let url = billing.portal("cus_42", "https://tseeder.example/billing").await.unwrap();

    assert_eq!(url, format!("{}/p/session/bps_1", stripe.base_url()));
    let sent = &stripe.requests()[0];
    assert_eq!(sent.method, "POST");
    assert_eq!(sent.path, "/v1/billing_portal/sessions");
    assert_eq!(sent.stripe_version.as_deref(), Some(STRIPE_VERSION));
    assert_eq!(
        sent.form,
        [
            ("customer".to_owned(), "cus_42".to_owned()),
            ("return_url".to_owned(), "https://tseeder.example/billing".to_owned()),
        ]
    );
}

#[tokio::test]
async fn a_refused_key_is_a_provider_error_without_the_key() {
    let stripe = FakeStripe::start_with_key("sk_test_the_right_key_000").await;
    let wrong_key = "sk_test_wrong_key_4f8a2c9e1b7d";
    let config = StripeConfig { secret_key: wrong_key.to_owned(), ..stripe.config(&[("pro", "price_pro_m")]) };
    let billing = StripeBilling::new(&config).unwrap();

    let checkout = billing.checkout(&request(OrgId::new(), "pro", None)).await;
    let portal = billing.portal("cus_1", "https://tseeder.example/billing").await;

    for result in [checkout, portal] {
        let text = match result {
            Err(BillingError::Provider(text)) => text,
            other => panic!("expected a provider error, got {other:?}"),
        };
        assert!(!text.contains(wrong_key), "{text}");
        assert!(!text.contains("wrong_key"), "{text}");
        assert!(text.contains("401"), "{text}");
        assert!(text.contains("Invalid API Key provided"), "{text}");
        let shown = BillingError::Provider(text).to_string();
        assert!(!shown.contains(wrong_key), "{shown}");
    }
    assert_eq!(stripe.requests().len(), 2, "both reached Stripe");
}

#[tokio::test]
async fn no_server_is_a_provider_error_without_the_key() {
    let config = StripeConfig {
        secret_key: TEST_SECRET_KEY.to_owned(),
        webhook_secret: "whsec_x".to_owned(),
        api_base: format!("http://127.0.0.1:{}", closed_port()),
        prices: [("pro".to_owned(), "price_pro_m".to_owned())].into(),
        ..StripeConfig::default()
    };
    let billing = StripeBilling::new(&config).unwrap();

    let Err(BillingError::Provider(text)) = billing.checkout(&request(OrgId::new(), "pro", None)).await else {
        panic!("expected a provider error");
    };

    assert!(text.contains("/v1/checkout/sessions"), "{text}");
    assert!(!text.contains(TEST_SECRET_KEY), "{text}");
}

#[tokio::test]
async fn a_silent_server_is_cut_off_at_the_timeout() {
    let silent = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = silent.local_addr().unwrap();
    // Accepts connections and never answers.
    let _holder = tokio::spawn(async move {
        let mut open = Vec::new();
        while let Ok((stream, _)) = silent.accept().await {
            open.push(stream);
        }
    });
    let config = StripeConfig {
        secret_key: TEST_SECRET_KEY.to_owned(),
        webhook_secret: "whsec_x".to_owned(),
        api_base: format!("http://{address}"),
        prices: [("pro".to_owned(), "price_pro_m".to_owned())].into(),
        timeout_secs: 1,
        ..StripeConfig::default()
    };
    let billing = StripeBilling::new(&config).unwrap();

    let started = Instant::now();
    let result = billing.portal("cus_1", "https://tseeder.example/billing").await;

    assert!(matches!(result, Err(BillingError::Provider(_))), "{result:?}");
    assert!(started.elapsed() < Duration::from_secs(10), "took {:?}", started.elapsed());
}

#[tokio::test]
async fn the_provider_from_settings_reaches_the_fake_and_lists_its_plans() {
    let stripe = FakeStripe::start().await;
    let payments = provider(&stripe.config(&[("team", "price_team_m"), ("pro", "price_pro_m")])).unwrap();

    assert!(payments.enabled());
    assert_eq!(payments.priced_plans(), ["pro", "team"]);
    let url = payments.checkout(&request(OrgId::new(), "pro", None)).await.unwrap();
    assert!(url.starts_with(&stripe.base_url()), "{url}");
    assert_eq!(stripe.requests()[0].field("line_items[0][price]"), Some("price_pro_m"));
}

#[tokio::test]
async fn without_a_secret_key_nothing_is_sold() {
    let payments = provider(&StripeConfig::default()).unwrap();

    assert!(!payments.enabled());
    assert!(payments.priced_plans().is_empty());
    assert_eq!(payments.checkout(&request(OrgId::new(), "pro", None)).await, Err(BillingError::Disabled));
    assert_eq!(payments.portal("cus_1", "https://x.example").await, Err(BillingError::Disabled));
}
