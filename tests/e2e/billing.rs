//! Billing over HTTP, with Stripe played by `tseeder_stripe::testing::FakeStripe` (a real HTTP
//! server on 127.0.0.1 that the server's Stripe adapter talks to): an owner buys `pro` for a shared
//! organization through a checkout whose metadata names it, signed webhooks make it the
//! organization's plan (and its quotas the ones new jobs meet), members may look but not buy;
//! forged, stale, malformed and unsigned deliveries are refused and recorded; each event applies
//! once and in the order Stripe made them; a failed payment keeps the plan for the grace period,
//! then the organization falls back to its owner's plan, its jobs kept. The billing page is read
//! as HTML. Without Stripe configured, billing does not exist.

use chrono::{DateTime, Utc};
use serde_json::{Value, json};
use tseeder::core::domain::{OrgId, OrgRole, Role, UserId};
use tseeder_stripe::StripeConfig;
use tseeder_stripe::testing::{FakeStripe, event, sign, subscription_object};

use crate::common::{Backend, Session, TestApp, expect_error, magnet, on_every_backend};

/// Runs each scenario with billing on (`billing.grace_days` = `$grace`) and Stripe played by a
/// fake, against SQLite, and against PostgreSQL when it is configured. Scenarios take the app and
/// the fake.
macro_rules! with_stripe {
    ($grace:expr; $($name:ident),* $(,)?) => {
        mod sqlite {
            $(#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn $name() {
                let (app, stripe) = super::start($crate::common::Backend::Sqlite, $grace).await.expect("sqlite");
                super::$name(&app, &stripe).await;
                app.stop().await;
            })*
        }
        mod postgres {
            $(#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn $name() {
                let Some((app, stripe)) = super::start($crate::common::Backend::Postgres, $grace).await else {
                    eprintln!("TSEEDER_TEST_DATABASE_URL is not set: PostgreSQL variant not run");
                    return;
                };
                super::$name(&app, &stripe).await;
                app.stop().await;
            })*
        }
    };
}

with_stripe!(7;
    an_owner_buys_pro_for_a_shared_org_and_its_quotas_follow,
    forged_stale_malformed_and_unsigned_deliveries_are_refused_and_recorded,
    events_apply_once_and_in_the_order_stripe_made_them_and_a_failed_payment_keeps_the_plan,
);

/// A server without Stripe.
mod off {
    use super::*;

    on_every_backend!(configured(|config| {
        config.http.login_per_minute = 0;
        config.http.register_per_minute = 0;
    }): without_stripe_billing_does_not_exist);

    pub(super) async fn without_stripe_billing_does_not_exist(app: &TestApp) {
        let owner = app.register_and_login("nobill-owner@example.com").await;
        expect_error(owner.get("/billing").send().await.unwrap(), 404, "billing_disabled").await;
        let checkout = owner.post("/billing/checkout").json(&json!({ "plan": "pro" })).send().await.unwrap();
        expect_error(checkout, 404, "billing_disabled").await;
        expect_error(owner.post("/billing/portal").send().await.unwrap(), 404, "billing_disabled").await;
        let payload = event("evt_off", "customer.subscription.updated", Utc::now().timestamp(), json!({}));
        let signature = sign(payload.as_bytes(), WEBHOOK_SECRET, Utc::now().timestamp());
        expect_error(deliver(app, &payload, Some(signature.as_str())).await, 404, "billing_disabled").await;
        expect_error(deliver(app, &payload, None).await, 404, "billing_disabled").await;

        // Submissions and plans are as they always were: the owner's plan.
        let job = owner.post("/jobs").json(&json!({ "magnetUri": magnet("nobill") })).send().await.unwrap();
        assert_eq!(job.status(), 201);
        let usage: Value = owner.get("/usage").send().await.unwrap().json().await.unwrap();
        assert_eq!(usage["plan"]["id"], "free", "{usage}");
        let admin = app.staff("nobill-admin@example.com", Role::Admin).await;
        assert_eq!(refusals_recorded(&admin).await, 0, "a 404 is not a refused delivery");

        // No page, and no link to one.
        let (status, html) = page(app, &owner, "/billing").await;
        assert_eq!(status, 404);
        assert!(html.contains("Page not found"), "{html}");
        for path in ["/", "/settings", "/usage"] {
            let (status, html) = page(app, &owner, path).await;
            assert_eq!(status, 200, "{path}");
            assert!(!html.contains("nav-billing") && !html.contains("/billing\""), "{path}: {html}");
        }
        let (_, html) = page(app, &owner, "/settings").await;
        assert!(!html.contains("billing-settings"), "{html}");
    }
}

/// A server whose failed payments have no grace period.
mod no_grace {
    use super::*;

    with_stripe!(0; a_failed_payment_without_grace_falls_back_to_the_owners_plan_and_keeps_the_jobs);

    pub(super) async fn a_failed_payment_without_grace_falls_back_to_the_owners_plan_and_keeps_the_jobs(
        app: &TestApp,
        _stripe: &FakeStripe,
    ) {
        let (owner, _) = person(app, "nograce-owner@example.com").await;
        let (_, member_id) = person(app, "nograce-member@example.com").await;
        let org = shared_org(app, &owner, member_id, "nograce").await;
        let job: Value = in_org(owner.post("/jobs"), &org)
            .json(&json!({ "magnetUri": magnet("kept") }))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let job = job["id"].as_str().unwrap_or_else(|| panic!("a job: {job}")).to_owned();
        subscribe(app, &org, Utc::now().timestamp() - 600).await;
        assert_eq!(billing(&owner, &org).await["plan"]["id"], "pro");

        let failed_at = Utc::now().timestamp() - 60;
        assert!(!send_event(app, &payment_failed("evt_fail", failed_at)).await);
        let fell = billing(&owner, &org).await;
        assert_eq!(fell["subscription"]["status"], "past_due", "{fell}");
        assert_eq!(fell["subscription"]["plan"], "pro", "{fell}");
        assert_eq!(time_of(&fell["subscription"]["graceUntil"]), failed_at, "no grace: {fell}");
        assert_eq!(fell["plan"]["id"], "free", "back on the owner's plan: {fell}");
        let usage: Value = in_org(owner.get("/usage"), &org).send().await.unwrap().json().await.unwrap();
        assert_eq!(usage["plan"]["id"], "free", "{usage}");
        // Nothing is deleted: the job is still there.
        let res = in_org(owner.get(&format!("/jobs/{job}")), &org).send().await.unwrap();
        assert_eq!(res.status(), 200);

        let pages = pages_in(app, "nograce-owner@example.com", &org).await;
        let (status, html) = page(app, &pages, "/billing").await;
        assert_eq!(status, 200, "{html}");
        assert!(html.contains("id=\"grace-over\""), "{html}");
        assert!(html.contains("id=\"current-plan\">free</span>"), "{html}");
        assert!(html.contains("data-status=\"past_due\""), "{html}");
    }
}

const SECRET_KEY: &str = "sk_test_123";
const WEBHOOK_SECRET: &str = "whsec_test";
const PRICE_PRO: &str = "price_pro";
const CUSTOMER: &str = "cus_1";
const SUBSCRIPTION: &str = "sub_1";
/// The end of every subscription's paid period here: 2100-01-01T00:00:00Z.
const PERIOD_END: i64 = 4_102_444_800;

/// A server with billing on, its Stripe played by a fresh fake selling `pro`.
async fn start(backend: Backend, grace_days: u32) -> Option<(TestApp, FakeStripe)> {
    let stripe = FakeStripe::start_with_key(SECRET_KEY).await;
    let api_base = stripe.base_url();
    let app = TestApp::start_configured(backend, false, None, move |config| {
        config.stripe = StripeConfig {
            secret_key: SECRET_KEY.into(),
            webhook_secret: WEBHOOK_SECRET.into(),
            api_base,
            prices: [("pro".to_owned(), PRICE_PRO.to_owned())].into(),
            ..Default::default()
        };
        config.billing.grace_days = grace_days;
        config.http.login_per_minute = 0;
        config.http.register_per_minute = 0;
    })
    .await?;
    Some((app, stripe))
}

/// Registers and logs in `email`; returns the session and the user's id.
async fn person(app: &TestApp, email: &str) -> (Session, UserId) {
    let session = app.register_and_login(email).await;
    let me: Value = session.get("/auth/me").send().await.unwrap().json().await.unwrap();
    let id = me["user"]["id"].as_str().unwrap_or_else(|| panic!("me: {me}")).parse().unwrap();
    (session, id)
}

/// A shared organization.
struct Org {
    slug: String,
    id: String,
}

/// Creates an organization of `owner`'s with `member` in it as a member.
async fn shared_org(app: &TestApp, owner: &Session, member: UserId, slug: &str) -> Org {
    let res = owner.post("/orgs").json(&json!({ "name": "Acme", "slug": slug })).send().await.unwrap();
    assert_eq!(res.status(), 201, "create: {}", res.text().await.unwrap_or_default());
    let created: Value = res.json().await.unwrap();
    let id = created["org"]["id"].as_str().unwrap_or_else(|| panic!("org: {created}")).to_owned();
    let org: OrgId = id.parse().unwrap();
    app.core.ports.orgs.add_member(org, member, OrgRole::Member, app.core.ports.clock.now()).await.unwrap();
    Org { slug: slug.to_owned(), id }
}

/// The request, acting in `org`.
fn in_org(request: reqwest::RequestBuilder, org: &Org) -> reqwest::RequestBuilder {
    request.header("X-Org-Slug", &org.slug)
}

/// `GET /billing` in `org`, which must answer 200.
async fn billing(session: &Session, org: &Org) -> Value {
    let res = in_org(session.get("/billing"), org).send().await.unwrap();
    let status = res.status();
    let body: Value = res.json().await.unwrap();
    assert_eq!(status, 200, "{body}");
    body
}

/// A JSON time as unix seconds.
fn time_of(value: &Value) -> i64 {
    let text = value.as_str().unwrap_or_else(|| panic!("a time: {value}"));
    text.parse::<DateTime<Utc>>().unwrap_or_else(|e| panic!("{text}: {e}")).timestamp()
}

/// `POST /billing/webhook` with `payload` and the `Stripe-Signature` header `signature` (none:
/// no header), without credentials.
async fn deliver(app: &TestApp, payload: &str, signature: Option<&str>) -> reqwest::Response {
    let request = reqwest::Client::new()
        .post(app.url("/billing/webhook"))
        .header("content-type", "application/json; charset=utf-8")
        .body(payload.to_owned());
    let request = match signature {
        Some(signature) => request.header("Stripe-Signature", signature),
        None => request,
    };
    request.send().await.unwrap()
}

/// Delivers `payload` signed now with the webhook secret, as Stripe would; it must be accepted.
/// Returns whether it was a duplicate.
async fn send_event(app: &TestApp, payload: &str) -> bool {
    let signature = sign(payload.as_bytes(), WEBHOOK_SECRET, Utc::now().timestamp());
    let res = deliver(app, payload, Some(signature.as_str())).await;
    let status = res.status();
    let body: Value = res.json().await.unwrap();
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["received"], true, "{body}");
    body["duplicate"].as_bool().unwrap_or_else(|| panic!("duplicate: {body}"))
}

/// `checkout.session.completed` for `org`: the organization now has the customer [`CUSTOMER`].
fn checkout_completed(id: &str, created: i64, org: &Org) -> String {
    let session = json!({
        "id": format!("cs_test_{id}"),
        "object": "checkout.session",
        "mode": "subscription",
        "status": "complete",
        "customer": CUSTOMER,
        "subscription": SUBSCRIPTION,
        "client_reference_id": org.id,
        "metadata": { "org_id": org.id },
    });
    event(id, "checkout.session.completed", created, session)
}

/// `customer.subscription.updated` of [`SUBSCRIPTION`] to `pro`, in `status`.
fn subscription_updated(id: &str, created: i64, status: &str, org: &Org) -> String {
    let subscription =
        subscription_object(SUBSCRIPTION, CUSTOMER, PRICE_PRO, status, PERIOD_END, Some(org.id.as_str()));
    event(id, "customer.subscription.updated", created, subscription)
}

/// `invoice.payment_failed` of [`CUSTOMER`].
fn payment_failed(id: &str, created: i64) -> String {
    let invoice = json!({
        "id": format!("in_{id}"),
        "object": "invoice",
        "customer": CUSTOMER,
        "subscription": SUBSCRIPTION,
        "status": "open",
    });
    event(id, "invoice.payment_failed", created, invoice)
}

/// The checkout and first subscription events of `org`, made at `at` and 100 s later: it is on
/// `pro`.
async fn subscribe(app: &TestApp, org: &Org, at: i64) {
    assert!(!send_event(app, &checkout_completed("evt_checkout", at, org)).await);
    assert!(!send_event(app, &subscription_updated("evt_active", at + 100, "active", org)).await);
}

/// How many refused deliveries were recorded as security events.
async fn refusals_recorded(admin: &Session) -> u64 {
    let events: Value = admin
        .get("/admin/security-events?kind=billing.webhook_refused&limit=100")
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    events["meta"]["total"].as_u64().unwrap_or_else(|| panic!("{events}"))
}

/// How many subscription changes were applied (and audited).
async fn changes(app: &TestApp) -> usize {
    app.audit_actions().await.into_iter().filter(|a| a == "billing.subscription_changed").count()
}

/// A browser for the pages that does not follow redirects (so they can be read), logged in as
/// `email` and working in `org` (chosen with the header's switcher).
async fn pages_in(app: &TestApp, email: &str, org: &Org) -> Session {
    let client =
        reqwest::Client::builder().cookie_store(true).redirect(reqwest::redirect::Policy::none()).build().unwrap();
    let session = app.login(client, email).await;
    let switch = [("csrf", session.csrf.as_str()), ("slug", org.slug.as_str()), ("next", "/billing")];
    let res = session.client.post(format!("{}/orgs/switch", app.base)).form(&switch).send().await.unwrap();
    assert_eq!(res.status(), 303, "switch: {}", res.text().await.unwrap_or_default());
    session
}

/// A page of the console: its status and HTML.
async fn page(app: &TestApp, session: &Session, path: &str) -> (u16, String) {
    let res = session.client.get(format!("{}{path}", app.base)).send().await.unwrap();
    (res.status().as_u16(), res.text().await.unwrap())
}

/// A form post of the console, with the session's CSRF token unless `csrf` is false: its status
/// and `Location`.
async fn post_form(app: &TestApp, session: &Session, path: &str, form: &[(&str, &str)], csrf: bool) -> (u16, String) {
    let mut fields: Vec<(&str, &str)> = form.to_vec();
    if csrf {
        fields.push(("csrf", session.csrf.as_str()));
    }
    let res = session.client.post(format!("{}{path}", app.base)).form(&fields).send().await.unwrap();
    let location = res.headers().get("location").map(|l| l.to_str().unwrap().to_owned()).unwrap_or_default();
    (res.status().as_u16(), location)
}

/// The form fields the fake recorded for each request to `path`, oldest first.
fn sent_to(stripe: &FakeStripe, path: &str) -> Vec<Vec<(String, String)>> {
    stripe.requests().into_iter().filter(|r| r.path == path).map(|r| r.form).collect()
}

fn has_field(form: &[(String, String)], key: &str, value: &str) -> bool {
    form.iter().any(|(k, v)| k == key && v == value)
}

async fn an_owner_buys_pro_for_a_shared_org_and_its_quotas_follow(app: &TestApp, stripe: &FakeStripe) {
    let (owner, _) = person(app, "buyer@example.com").await;
    let (member, member_id) = person(app, "member@example.com").await;
    let org = shared_org(app, &owner, member_id, "acme-buys").await;

    // Before: the owner's free plan, nothing bought.
    let before = billing(&owner, &org).await;
    assert_eq!((&before["enabled"], &before["canManage"]), (&json!(true), &json!(true)), "{before}");
    assert_eq!((&before["org"]["slug"], &before["org"]["id"]), (&json!(org.slug), &json!(org.id)), "{before}");
    assert_eq!(before["plan"]["id"], "free", "{before}");
    assert_eq!(before["plansForSale"], json!(["pro"]), "{before}");
    assert!(before.get("subscription").is_none(), "absent, not null: {before}");
    let usage: Value = in_org(owner.get("/usage"), &org).send().await.unwrap().json().await.unwrap();
    let free_jobs = usage["plan"]["maxJobs"].as_u64().unwrap_or_else(|| panic!("{usage}"));
    let submit = |name: &str| in_org(owner.post("/jobs"), &org).json(&json!({ "magnetUri": magnet(name) })).send();
    for n in 0..free_jobs {
        assert_eq!(submit(&format!("fill-{n}")).await.unwrap().status(), 201);
    }
    expect_error(submit("one-too-many").await.unwrap(), 429, "quota_jobs").await;

    // Members see the billing but may not buy or manage it; API keys may not either.
    let seen = billing(&member, &org).await;
    assert_eq!(seen["canManage"], false, "{seen}");
    let buy = in_org(member.post("/billing/checkout"), &org).json(&json!({ "plan": "pro" })).send().await.unwrap();
    expect_error(buy, 403, "insufficient_role").await;
    expect_error(in_org(member.post("/billing/portal"), &org).send().await.unwrap(), 403, "insufficient_role").await;
    let key = app.key_client(&owner.api_key(&["jobs:read", "jobs:write", "account:read"]).await);
    let buy = key.post("/billing/checkout").json(&json!({ "plan": "pro" })).send().await.unwrap();
    expect_error(buy, 403, "session_required").await;
    let buy = in_org(owner.post("/billing/checkout"), &org).json(&json!({ "plan": "business" })).send().await.unwrap();
    expect_error(buy, 400, "plan_not_for_sale").await;
    // No customer before the first checkout completes.
    let portal = in_org(owner.post("/billing/portal"), &org).send().await.unwrap();
    expect_error(portal, 409, "no_billing_customer").await;
    assert!(sent_to(stripe, "/v1/checkout/sessions").is_empty(), "nothing reached Stripe yet");

    // The owner's checkout: Stripe's page, for this organization and pro's price.
    let res = in_org(owner.post("/billing/checkout"), &org).json(&json!({ "plan": "pro" })).send().await.unwrap();
    assert_eq!(res.status(), 200);
    let checkout: Value = res.json().await.unwrap();
    let url = checkout["url"].as_str().unwrap_or_else(|| panic!("{checkout}"));
    assert!(url.starts_with(&format!("{}/c/pay/cs_test_", stripe.base_url())), "{url}");
    let sessions = sent_to(stripe, "/v1/checkout/sessions");
    assert_eq!(sessions.len(), 1, "{sessions:?}");
    assert!(has_field(&sessions[0], "metadata[org_id]", &org.id), "{sessions:?}");
    assert!(sessions[0].iter().any(|(_, v)| v == PRICE_PRO), "{sessions:?}");
    assert!(app.audit_actions().await.iter().any(|a| a == "billing.checkout_created"));

    // The page, before Stripe confirms anything: free is current, pro is for sale.
    let pages = pages_in(app, "buyer@example.com", &org).await;
    let res = pages.client.get(format!("{}/billing", app.base)).send().await.unwrap();
    assert_eq!(res.status(), 200);
    let csp = res.headers()["content-security-policy"].to_str().unwrap().to_owned();
    assert!(csp.contains("form-action 'self' https:"), "the redirect to Stripe is allowed: {csp}");
    let html = res.text().await.unwrap();
    for part in [
        "id=\"nav-billing\"",
        "id=\"current-plan\">free</span>",
        "id=\"no-subscription\"",
        "name=\"plan\" value=\"pro\"",
        "Upgrade to pro",
        "data-plan=\"business\"",
    ] {
        assert!(html.contains(part), "{part}: {html}");
    }
    assert!(!html.contains("name=\"plan\" value=\"business\""), "not for sale: {html}");
    let (status, location) = post_form(app, &pages, "/billing/checkout", &[("plan", "pro")], true).await;
    assert_eq!(status, 303);
    assert!(location.starts_with(&format!("{}/c/pay/cs_test_", stripe.base_url())), "{location}");
    let (status, _) = post_form(app, &pages, "/billing/checkout", &[("plan", "pro")], false).await;
    assert_eq!(status, 403, "a form without the CSRF token");
    assert_eq!(sent_to(stripe, "/v1/checkout/sessions").len(), 2);
    let (_, html) = page(app, &pages, "/billing?checkout=success").await;
    assert!(html.contains("the payment went through"), "{html}");
    let (_, html) = page(app, &pages, "/billing?checkout=cancelled").await;
    assert!(html.contains("nothing was charged"), "{html}");
    let member_pages = pages_in(app, "member@example.com", &org).await;
    let (status, html) = page(app, &member_pages, "/billing").await;
    assert_eq!(status, 200);
    assert!(html.contains("id=\"members-note\"") && !html.contains("/billing/checkout"), "{html}");

    // Stripe confirms: the organization is on pro.
    subscribe(app, &org, Utc::now().timestamp() - 600).await;
    let after = billing(&owner, &org).await;
    assert_eq!(after["plan"]["id"], "pro", "{after}");
    let subscription = &after["subscription"];
    assert_eq!((&subscription["plan"], &subscription["status"]), (&json!("pro"), &json!("active")), "{after}");
    assert_eq!(time_of(&subscription["currentPeriodEnd"]), PERIOD_END, "the renewal date: {after}");
    assert!(subscription.get("graceUntil").is_none(), "{after}");
    assert!(app.audit_actions().await.iter().any(|a| a == "billing.subscription_changed"));
    // Its next submission meets pro's limits: the job the free plan refused now fits.
    let usage: Value = in_org(owner.get("/usage"), &org).send().await.unwrap().json().await.unwrap();
    assert_eq!(usage["plan"]["id"], "pro", "{usage}");
    assert!(usage["plan"]["maxJobs"].as_u64().is_none_or(|max| max > free_jobs), "{usage}");
    assert_eq!(submit("one-more").await.unwrap().status(), 201);
    // The owner's personal organization is not affected.
    let personal: Value = owner.get("/usage").send().await.unwrap().json().await.unwrap();
    assert_eq!(personal["plan"]["id"], "free", "{personal}");

    // Now there is a customer: the portal.
    let res = in_org(owner.post("/billing/portal"), &org).send().await.unwrap();
    assert_eq!(res.status(), 200);
    let portal: Value = res.json().await.unwrap();
    let url = portal["url"].as_str().unwrap_or_else(|| panic!("{portal}"));
    assert!(url.starts_with(&format!("{}/p/session/bps_", stripe.base_url())), "{url}");
    let portals = sent_to(stripe, "/v1/billing_portal/sessions");
    assert_eq!(portals.len(), 1, "{portals:?}");
    assert!(has_field(&portals[0], "customer", CUSTOMER), "{portals:?}");

    // The page says so, and leads to the portal; plans change there now.
    let (_, html) = page(app, &pages, "/billing").await;
    for part in [
        "id=\"current-plan\">pro</span>",
        "data-status=\"active\"",
        "id=\"sub-renews\">2100-01-01</dd>",
        "id=\"portal-form\"",
        "id=\"change-note\"",
    ] {
        assert!(html.contains(part), "{part}: {html}");
    }
    assert!(!html.contains("Upgrade to"), "{html}");
    let (status, location) = post_form(app, &pages, "/billing/portal", &[], true).await;
    assert_eq!(status, 303);
    assert!(location.starts_with(&format!("{}/p/session/bps_", stripe.base_url())), "{location}");
    // The organization's page and the settings link to it.
    let (_, html) = page(app, &pages, &format!("/orgs/{}", org.slug)).await;
    assert!(html.contains("id=\"billing-card\""), "{html}");
    let (_, html) = page(app, &pages, "/settings").await;
    assert!(html.contains("id=\"billing-settings\""), "{html}");
}

async fn forged_stale_malformed_and_unsigned_deliveries_are_refused_and_recorded(app: &TestApp, _stripe: &FakeStripe) {
    let admin = app.staff("billing-admin@example.com", Role::Admin).await;
    let now = Utc::now().timestamp();
    let payload = event("evt_probe", "customer.created", now, json!({ "id": "cus_probe", "object": "customer" }));
    let signed = sign(payload.as_bytes(), WEBHOOK_SECRET, now);
    let refused: [(&str, &str, Option<String>); 6] = [
        ("wrong secret", payload.as_str(), Some(sign(payload.as_bytes(), "whsec_not_ours", now))),
        ("stale timestamp", payload.as_str(), Some(sign(payload.as_bytes(), WEBHOOK_SECRET, now - 3600))),
        ("malformed header", payload.as_str(), Some("this is not a signature".to_owned())),
        ("no v1", payload.as_str(), Some(format!("t={now}"))),
        ("missing header", payload.as_str(), None),
        ("another body", "{\"id\": \"evt_probe\"}", Some(signed.clone())),
    ];
    for (n, (what, body, signature)) in refused.iter().enumerate() {
        let res = deliver(app, body, signature.as_deref()).await;
        let error = expect_error(res, 400, "invalid_webhook").await;
        assert!(!error["error"]["message"].as_str().unwrap().is_empty(), "{what}");
        assert_eq!(refusals_recorded(&admin).await, n as u64 + 1, "{what} is recorded");
    }
    let events: Value = admin
        .get("/admin/security-events?kind=billing.webhook_refused&limit=100")
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    for recorded in events["data"].as_array().unwrap() {
        assert_eq!(recorded["severity"], "warn", "{recorded}");
        assert_eq!(recorded["ip"], "127.0.0.1", "{recorded}");
        assert!(recorded["payload"]["reason"].as_str().is_some_and(|r| !r.is_empty()), "{recorded}");
    }

    // Several `v1` signatures (as during a secret rotation): one that matches is enough.
    let v1 = signed.split(',').find_map(|part| part.strip_prefix("v1=")).unwrap_or_else(|| panic!("{signed}"));
    let rotated = format!("t={now},v1={},v1={v1}", "0".repeat(v1.len()));
    let res = deliver(app, &payload, Some(rotated.as_str())).await;
    let status = res.status();
    let body: Value = res.json().await.unwrap();
    assert_eq!(status, 200, "{body}");
    assert_eq!(body, json!({ "received": true, "duplicate": false }));
    assert_eq!(refusals_recorded(&admin).await, refused.len() as u64, "nothing more recorded");
    // The same event, delivered again: acknowledged, not processed again.
    assert!(send_event(app, &payload).await, "a duplicate");
}

async fn events_apply_once_and_in_the_order_stripe_made_them_and_a_failed_payment_keeps_the_plan(
    app: &TestApp,
    _stripe: &FakeStripe,
) {
    let (owner, _) = person(app, "events-owner@example.com").await;
    let (_, member_id) = person(app, "events-member@example.com").await;
    let org = shared_org(app, &owner, member_id, "acme-events").await;
    let start = Utc::now().timestamp() - 3600;
    subscribe(app, &org, start).await;
    assert_eq!(billing(&owner, &org).await["plan"]["id"], "pro");
    let applied = changes(app).await;

    // The same event again: acknowledged as a duplicate, nothing done.
    assert!(send_event(app, &subscription_updated("evt_active", start + 100, "active", &org)).await);
    assert_eq!(changes(app).await, applied, "a replay changes nothing");

    // An older update arriving late (Stripe made it before the active one) is not applied.
    assert!(!send_event(app, &subscription_updated("evt_older", start + 50, "canceled", &org)).await);
    let late = billing(&owner, &org).await;
    assert_eq!((&late["plan"]["id"], &late["subscription"]["status"]), (&json!("pro"), &json!("active")), "{late}");
    assert_eq!(changes(app).await, applied, "an older event changes nothing");

    // A failed payment: past due, and the plan stays for the grace period (7 days).
    let failed_at = start + 200;
    assert!(!send_event(app, &payment_failed("evt_failed", failed_at)).await);
    let failing = billing(&owner, &org).await;
    assert_eq!(failing["subscription"]["status"], "past_due", "{failing}");
    assert_eq!(time_of(&failing["subscription"]["graceUntil"]), failed_at + 7 * 86_400, "{failing}");
    assert_eq!(failing["plan"]["id"], "pro", "still pro during the grace period: {failing}");
    let usage: Value = in_org(owner.get("/usage"), &org).send().await.unwrap().json().await.unwrap();
    assert_eq!(usage["plan"]["id"], "pro", "{usage}");
    assert_eq!(changes(app).await, applied + 1);

    // The page warns, with the date the plan ends.
    let pages = pages_in(app, "events-owner@example.com", &org).await;
    let (status, html) = page(app, &pages, "/billing").await;
    assert_eq!(status, 200, "{html}");
    assert!(html.contains("id=\"grace-warning\"") && html.contains("id=\"grace-until\""), "{html}");
    assert!(html.contains("data-status=\"past_due\"") && html.contains("id=\"current-plan\">pro</span>"), "{html}");
}
