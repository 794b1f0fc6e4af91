//! `/api/v1/billing`: the plan of the organization a request acts in, bought and managed at the
//! payment provider (Stripe), and the provider's webhook.
//!
//! The organization is the one the request acts in (`X-Org-Slug`, the API key's, or the
//! personal one), as for jobs and usage. Every rule is the core's ([`BillingService`]): billing is
//! off unless a provider is configured (404 `billing_disabled` on every operation), owners and
//! admins buy and manage the plan, and webhook events are believed only once their signature
//! checks out.
//!
//! The webhook takes no credentials and no CSRF token: the `Stripe-Signature` header is the
//! proof, and it covers the exact body bytes. So the body is read raw ([`WebhookPayload`], at
//! most [`MAX_WEBHOOK_BODY_BYTES`]) and handed to the core untouched; nothing is parsed before
//! the signature is verified.
//!
//! [`BillingService`]: tseeder_core::services::BillingService

use std::sync::Arc;

use poem::web::Data;
use poem::{Request, RequestBody};
use poem_openapi::param::Header;
use poem_openapi::payload::Json;
use poem_openapi::registry::{MetaMediaType, MetaRequest, MetaSchema, MetaSchemaRef};
use poem_openapi::types::Type;
use poem_openapi::{ApiExtractor, ApiExtractorType, ExtractParamOptions, OpenApi};
use tseeder_core::services::billing::WebhookOutcome;

use super::ApiTag;
use crate::auth::Auth;
use crate::dto::billing::{BillingRedirectView, BillingView, CreateCheckoutRequest, WebhookReceivedView};
use crate::error::{ApiError, ApiResult};
use crate::request::Meta;
use crate::state::Shared;

/// Largest accepted webhook body. Stripe's events are a few kilobytes.
pub(crate) const MAX_WEBHOOK_BODY_BYTES: usize = 1024 * 1024;

/// The exact bytes of a webhook delivery's body, whatever its `Content-Type`. Documented as the
/// JSON event Stripe sends; read raw, because the signature covers the bytes as sent.
#[derive(Debug)]
pub(crate) struct WebhookPayload(pub(crate) Vec<u8>);

/// The schema of a Stripe event, as far as the server reads it.
fn event_schema() -> MetaSchemaRef {
    let data = MetaSchema {
        description: Some("`object`: the checkout session, subscription or invoice the event is about."),
        ..MetaSchema::new("object")
    };
    MetaSchemaRef::Inline(Box::new(MetaSchema {
        description: Some(
            "A Stripe event, exactly as Stripe sends it. Read: `checkout.session.completed`, \
             `customer.subscription.created`, `.updated` and `.deleted`, and \
             `invoice.payment_failed`; other types are acknowledged and ignored.",
        ),
        required: vec!["id", "type", "created", "data"],
        properties: vec![
            ("id", String::schema_ref()),
            ("type", String::schema_ref()),
            ("created", i64::schema_ref()),
            ("data", MetaSchemaRef::Inline(Box::new(data))),
        ],
        ..MetaSchema::new("object")
    }))
}

impl<'a> ApiExtractor<'a> for WebhookPayload {
    const TYPES: &'static [ApiExtractorType] = &[ApiExtractorType::RequestObject];

    type ParamType = ();
    type ParamRawType = ();

    fn request_meta() -> Option<MetaRequest> {
        Some(MetaRequest {
            description: Some("The event, at most 1 MiB, signed by `Stripe-Signature` over these exact bytes."),
            content: vec![MetaMediaType { content_type: "application/json", schema: event_schema() }],
            required: true,
        })
    }

    async fn from_request(
        req: &'a Request,
        body: &mut RequestBody,
        _param_opts: ExtractParamOptions<Self::ParamType>,
    ) -> poem::Result<Self> {
        let too_large =
            || ApiError::payload_too_large(format!("a webhook body is at most {MAX_WEBHOOK_BODY_BYTES} bytes"));
        let declared = req.header(poem::http::header::CONTENT_LENGTH).and_then(|v| v.parse::<u64>().ok());
        if declared.is_some_and(|len| len > MAX_WEBHOOK_BODY_BYTES as u64) {
            return Err(too_large().into());
        }
        let bytes = body.take()?.into_bytes_limit(MAX_WEBHOOK_BODY_BYTES).await.map_err(|e| match e {
            poem::error::ReadBodyError::PayloadTooLarge => poem::Error::from(too_large()),
            other => poem::Error::from(other),
        })?;
        Ok(Self(bytes.to_vec()))
    }
}

/// Billing.
#[derive(Debug)]
pub(crate) struct BillingApi;

#[OpenApi(prefix_path = "/api/v1/billing", tag = "ApiTag::Billing")]
impl BillingApi {
    /// The organization's billing
    ///
    /// For the organization the request acts in (`X-Org-Slug`, the API key's, or the personal
    /// one): the plan it runs on (its subscription's while that is active or trialing, or past
    /// due within the grace period; else its owner's), its subscription with the renewal date
    /// (`currentPeriodEnd`) and, after a failed payment, `graceUntil`; whether the caller may
    /// buy or manage its plan (`canManage`: owners and admins) and the plans for sale. Any
    /// member; API keys need `account:read`. 404 `billing_disabled` when this server takes no
    /// payments.
    #[oai(path = "/", method = "get", operation_id = "getBilling")]
    async fn get(&self, auth: Auth, app: Data<&Arc<Shared>>) -> ApiResult<Json<BillingView>> {
        let status = app.core.billing.status(&auth.principal).await?;
        Ok(Json(status.into()))
    }

    /// Buy a plan
    ///
    /// Opens a Stripe Checkout for `plan` for the organization the request acts in, and answers
    /// 200 with its `url`: send the payer there. Stripe sends them back to the console's
    /// `/billing?checkout=success` (or `cancelled`); the plan applies once Stripe's webhook
    /// confirms the subscription. Owners and admins (403 `insufficient_role`), with a session
    /// (403 `session_required`); 400 `plan_not_for_sale` for a plan without a price; 503
    /// `billing_unavailable` when Stripe does not answer; 404 `billing_disabled`. Audited as
    /// `billing.checkout_created`.
    #[oai(path = "/checkout", method = "post", operation_id = "createCheckout")]
    async fn checkout(
        &self,
        auth: Auth,
        app: Data<&Arc<Shared>>,
        meta: Meta,
        body: Json<CreateCheckoutRequest>,
    ) -> ApiResult<Json<BillingRedirectView>> {
        let url = app.core.billing.checkout(&auth.principal, &body.plan, &meta.0).await?;
        Ok(Json(BillingRedirectView { url }))
    }

    /// Manage the subscription
    ///
    /// Opens the Stripe customer portal of the organization the request acts in (payment method,
    /// invoices, plan changes, cancellation) and answers 200 with its `url`; the portal comes
    /// back to the console's `/billing`. Owners and admins (403 `insufficient_role`), with a
    /// session (403 `session_required`); 409 `no_billing_customer` before its first checkout;
    /// 503 `billing_unavailable`; 404 `billing_disabled`. Audited as `billing.portal_opened`.
    #[oai(path = "/portal", method = "post", operation_id = "createPortal")]
    async fn portal(&self, auth: Auth, app: Data<&Arc<Shared>>, meta: Meta) -> ApiResult<Json<BillingRedirectView>> {
        let url = app.core.billing.portal(&auth.principal, &meta.0).await?;
        Ok(Json(BillingRedirectView { url }))
    }

    /// Stripe's webhook
    ///
    /// Where Stripe delivers its events. No credentials and no CSRF token: the
    /// `Stripe-Signature` header (`t=<unix time>,v1=<hex HMAC-SHA256 of "<t>.<body>">` under the
    /// endpoint's signing secret; several `v1` entries are allowed, one must match) proves the
    /// delivery, over the exact body bytes (at most 1 MiB, 413 `payload_too_large`). A missing
    /// or malformed header, a wrong signature or a timestamp outside the tolerance is 400
    /// `invalid_webhook` and a `billing.webhook_refused` security event. Each event id is
    /// processed once (again: 200 with `duplicate: true`), and subscription changes are applied
    /// in the order Stripe created them: an older event never overrides a newer one. 404
    /// `billing_disabled` when this server takes no payments.
    #[oai(path = "/webhook", method = "post", operation_id = "stripeWebhook")]
    async fn webhook(
        &self,
        app: Data<&Arc<Shared>>,
        meta: Meta,
        /// Stripe's signature of the delivery: `t=<unix time>,v1=<signature>[,v1=...]`.
        #[oai(name = "Stripe-Signature")]
        signature: Header<Option<String>>,
        body: WebhookPayload,
    ) -> ApiResult<Json<WebhookReceivedView>> {
        // Without the header the core refuses the delivery (and records it) like any bad one.
        let signature = signature.0.unwrap_or_default();
        let outcome = app.core.billing.handle_webhook(&body.0, &signature, &meta.0).await?;
        Ok(Json(WebhookReceivedView { received: true, duplicate: outcome == WebhookOutcome::Duplicate }))
    }
}
