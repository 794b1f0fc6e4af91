//! Billing (`/billing`): every plan with its price and limits and the one the organization the
//! viewer acts in runs on; its subscription (status, renewal date, a warning while a failed
//! payment's grace period runs); and, for its owners and admins, the buttons that lead to the
//! payment provider: a checkout for a plan (`POST /billing/checkout`), the customer portal
//! (`POST /billing/portal`). Both redirect (303) to the provider's page. Every rule is the core's
//! `BillingService`, as for the API. When this server takes no payments the page does not exist
//! (404) and no link leads to it.

use askama::Template;
use chrono::{DateTime, Utc};
use poem::http::StatusCode;
use poem::{Body, Request, Response, handler};
use tseeder_core::domain::{Plan, SubscriptionStatus};
use tseeder_http::console::{Console, PublicError, request_meta};

use crate::page::{
    Chrome, FormData, csrf_refused, error_page, exact, human_size, query_param, redirect, redirect_notice,
    render_to_provider, service_error, to_login, viewer,
};

/// A plan as offered on the page.
#[derive(Debug, Clone)]
struct PlanCard {
    id: String,
    /// The monthly price, or "No charge".
    price: String,
    paid: bool,
    max_jobs: String,
    storage: String,
    max_file: String,
    bandwidth: String,
    retention: String,
    /// Whether the organization runs on it now.
    current: bool,
    /// The checkout button's label; empty: none offered.
    offer: String,
}

#[derive(Template)]
#[template(path = "billing.html")]
struct BillingPage {
    chrome: Chrome,
    /// The organization's name, or "your personal organization".
    org: String,
    /// The plan it runs on now; empty when it has none.
    plan: String,
    /// Owners and admins: checkout and portal.
    can_manage: bool,
    plans: Vec<PlanCard>,
    has_subscription: bool,
    sub_plan: String,
    /// The provider's name of the status (`past_due`), for the badge's class.
    sub_status: &'static str,
    /// The status in words.
    sub_status_text: &'static str,
    renew_label: &'static str,
    /// The end of the paid period (empty: unknown).
    renews: String,
    /// A payment failed and the plan stays until `grace_until`.
    grace: bool,
    grace_until: String,
    /// A payment failed and the grace period is over.
    grace_over: bool,
    /// The subscription gives its plan now: plans change in the portal, not by a new checkout.
    subscribed: bool,
}

/// A monthly price of `cents` (plans are priced in US dollars), for people.
fn price(cents: u64) -> String {
    if cents == 0 { "No charge".into() } else { format!("${}.{:02}", cents / 100, cents % 100) }
}

/// The plan every account starts on.
const STARTING_PLAN: &str = "free";

/// Whether a plan is arranged with the operator rather than bought: no price, and not the plan
/// accounts start on (such as enterprise).
fn arranged(plan: &Plan) -> bool {
    plan.price_cents == 0 && plan.id != STARTING_PLAN
}

/// A day, for people: `2026-01-02`.
fn day(time: DateTime<Utc>) -> String {
    time.format("%Y-%m-%d").to_string()
}

fn status_text(status: SubscriptionStatus) -> &'static str {
    match status {
        SubscriptionStatus::Active => "active",
        SubscriptionStatus::Trialing => "in its trial",
        SubscriptionStatus::PastDue => "payment failed",
        SubscriptionStatus::Unpaid => "unpaid",
        SubscriptionStatus::Canceled => "canceled",
        SubscriptionStatus::Incomplete => "waiting for the first payment",
        SubscriptionStatus::IncompleteExpired => "first payment missed",
        SubscriptionStatus::Paused => "paused",
    }
}

fn card(plan: &Plan, current: Option<&Plan>, offered: bool) -> PlanCard {
    let limit = |bytes: Option<u64>, none: &str| bytes.map_or_else(|| none.to_owned(), human_size);
    let is_current = current.is_some_and(|c| c.id == plan.id);
    let offer = if !offered || is_current {
        String::new()
    } else if current.is_none_or(|c| plan.price_cents > c.price_cents) {
        format!("Upgrade to {}", plan.id)
    } else {
        format!("Switch to {}", plan.id)
    };
    PlanCard {
        id: plan.id.clone(),
        price: if arranged(plan) { "Arranged with us".into() } else { price(plan.price_cents) },
        paid: plan.price_cents > 0,
        max_jobs: plan.max_jobs.as_option().map_or_else(|| "unlimited".into(), |n| n.to_string()),
        storage: limit(plan.max_storage_bytes.as_option(), "unlimited"),
        max_file: limit(plan.max_file_size_bytes.as_option(), "no limit"),
        bandwidth: match plan.bandwidth_bytes.as_option() {
            Some(bytes) => format!("{} a month", human_size(bytes)),
            None => "unlimited".into(),
        },
        retention: match plan.retention_window() {
            Some(window) => format!("{} days after completion", window.num_days()),
            None => "forever".into(),
        },
        current: is_current,
        offer,
    }
}

/// The page of an address that does not exist, as for any unknown route: billing is off.
fn not_found(chrome: Chrome) -> Response {
    error_page(
        chrome,
        StatusCode::NOT_FOUND,
        "Page not found",
        "There is no page at this address. Check the link, or go back to your downloads.",
    )
}

/// `GET /billing`: the plans and the subscription of the organization the viewer acts in.
/// `?checkout=success|cancelled` (where the provider sends payers back) shows a notice.
#[handler]
pub(crate) async fn billing_page(console: Console, req: &Request) -> Response {
    let viewer = viewer(&console, req).await;
    if !console.core().ports.payments.enabled() {
        return not_found(Chrome::new(&console, viewer.as_ref(), "Not found", ""));
    }
    let Some(viewer) = viewer else { return to_login(&console, req) };
    let mut chrome = Chrome::new(&console, Some(&viewer), "Billing", "billing").with_notice(req);
    if chrome.notice.is_empty() {
        let notice = match query_param(req, "checkout").as_deref() {
            Some("success") => {
                "Thank you: the payment went through. The new plan applies as soon as the payment provider \
                 confirms it, usually within a minute."
            }
            Some("cancelled") => "Checkout cancelled: nothing was charged.",
            _ => "",
        };
        chrome.notice = notice.to_owned();
    }
    let core = console.core();
    let status = match core.billing.status(&viewer.principal).await {
        Ok(status) => status,
        Err(e) => return service_error(chrome, PublicError::from(e)),
    };
    let plans = match core.jobs.plans().await {
        Ok(plans) => plans,
        Err(e) => return service_error(chrome, PublicError::from(e)),
    };
    let now = core.ports.clock.now();
    let subscription = status.subscription.as_ref();
    let subscribed = subscription.is_some_and(|s| s.grants_plan(now));
    // The starting plan, then the plans for sale by price, then those arranged with the operator.
    let mut plans = plans;
    plans.sort_by_key(|p| (arranged(p), p.price_cents));
    let cards = plans
        .iter()
        .map(|p| {
            let offered = status.can_manage && !subscribed && status.plans_for_sale.contains(&p.id);
            card(p, status.plan.as_ref(), offered)
        })
        .collect();
    let past_due = subscription.filter(|s| s.status == SubscriptionStatus::PastDue);
    let grace_until = past_due.and_then(|s| s.grace_until);
    let org = if status.org.personal { "your personal organization".to_owned() } else { status.org.name.clone() };
    let page = BillingPage {
        chrome,
        org,
        plan: status.plan.as_ref().map(|p| p.id.clone()).unwrap_or_default(),
        can_manage: status.can_manage,
        plans: cards,
        has_subscription: subscription.is_some(),
        sub_plan: subscription.map(|s| s.plan_id.clone()).unwrap_or_default(),
        sub_status: subscription.map_or("", |s| s.status.as_str()),
        sub_status_text: subscription.map_or("", |s| status_text(s.status)),
        renew_label: match subscription.map(|s| s.status) {
            Some(SubscriptionStatus::Active | SubscriptionStatus::Trialing) => "Renews on",
            _ => "Paid until",
        },
        renews: subscription.and_then(|s| s.current_period_end).map(day).unwrap_or_default(),
        grace: past_due.is_some() && subscribed,
        grace_until: grace_until.map(exact).unwrap_or_default(),
        grace_over: past_due.is_some() && !subscribed,
        subscribed,
    };
    render_to_provider(StatusCode::OK, &page)
}

/// Where a refused checkout or portal goes: the 404 page when billing is off, else back to the
/// billing page saying why.
fn refused(chrome: Chrome, what: &str, error: PublicError) -> Response {
    if error.code == "billing_disabled" {
        return not_found(chrome);
    }
    if error.status.is_server_error() && error.code == "internal" {
        return service_error(chrome, error);
    }
    redirect_notice(&format!("{}/billing", chrome.base), &format!("Could not {what}: {}", error.message))
}

/// `POST /billing/checkout`: opens the provider's checkout for the plan `plan` (owners and
/// admins) and sends the viewer there (303).
#[handler]
pub(crate) async fn checkout(console: Console, req: &Request, body: Body) -> Response {
    let Some(viewer) = viewer(&console, req).await else { return to_login(&console, req) };
    let form = FormData::parse(&body.into_vec().await.unwrap_or_default());
    let chrome = Chrome::new(&console, Some(&viewer), "Billing", "billing");
    if !form.csrf_ok(&viewer) {
        return csrf_refused(chrome);
    }
    let plan = form.get("plan").unwrap_or_default();
    match console.core().billing.checkout(&viewer.principal, plan, &request_meta(req)).await {
        Ok(url) => redirect(&url),
        Err(e) => refused(chrome, "open the checkout", PublicError::from(e)),
    }
}

/// `POST /billing/portal`: opens the provider's customer portal of the organization (owners and
/// admins) and sends the viewer there (303).
#[handler]
pub(crate) async fn portal(console: Console, req: &Request, body: Body) -> Response {
    let Some(viewer) = viewer(&console, req).await else { return to_login(&console, req) };
    let form = FormData::parse(&body.into_vec().await.unwrap_or_default());
    let chrome = Chrome::new(&console, Some(&viewer), "Billing", "billing");
    if !form.csrf_ok(&viewer) {
        return csrf_refused(chrome);
    }
    match console.core().billing.portal(&viewer.principal, &request_meta(req)).await {
        Ok(url) => redirect(&url),
        Err(e) => refused(chrome, "open the billing portal", PublicError::from(e)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prices_read_as_amounts_a_month() {
        assert_eq!(price(0), "No charge");
        assert_eq!(price(900), "$9.00");
        assert_eq!(price(2905), "$29.05");
    }
}
