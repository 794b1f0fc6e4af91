//! Billing: buying a plan for an organization through the payment provider, and applying the
//! provider's webhook events to its subscription.
//!
//! - Billing is off unless a provider is configured: then every endpoint answers
//!   `billing_disabled` and every organization runs on its owner's plan, as an operator set it.
//! - Owners and admins of an organization buy and manage its plan; members cannot.
//! - A webhook delivery is believed only after its signature is checked (by the provider
//!   adapter); a refused delivery is a 400 and a security event.
//! - Each event id is processed once. Events are applied in the order the provider created them,
//!   whatever order they arrive in: an older subscription update never overrides a newer one.
//! - A failed payment keeps the plan for `billing.grace_days`; then the organization falls back
//!   to its owner's plan. Files stay; the plan's quotas apply to new jobs.

use std::sync::Arc;

use chrono::{DateTime, Duration, Utc};
use serde_json::json;

use super::{Ports, RequestMeta, audit_entry};
use crate::auth::Principal;
use crate::config::BillingConfig;
use crate::domain::{
    BillingEvent, BillingEventKind, OrgId, OrgRole, Organization, Plan, Scope, SecurityEvent, Severity, Subscription,
    SubscriptionStatus,
};
use crate::error::{ErrorCode, RepoError, ServiceError};
use crate::ports::{BillingError, CheckoutRequest, WebhookError};

/// An organization's billing, as its members see it.
#[derive(Debug, Clone, PartialEq)]
pub struct BillingStatus {
    /// Whether this server takes payments.
    pub enabled: bool,
    /// The organization.
    pub org: Organization,
    /// The plan it runs on now.
    pub plan: Option<Plan>,
    /// Its subscription, if it ever had one.
    pub subscription: Option<Subscription>,
    /// Whether the caller may buy or manage its plan (owners and admins).
    pub can_manage: bool,
    /// The plans that can be bought.
    pub plans_for_sale: Vec<String>,
}

/// What became of a webhook delivery.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WebhookOutcome {
    /// The event was applied (or had nothing to change).
    Processed,
    /// The event id was seen before: nothing was done again.
    Duplicate,
}

/// Billing operations.
#[derive(Debug, Clone)]
pub struct BillingService {
    ports: Ports,
    config: Arc<BillingConfig>,
    public_url: Arc<str>,
}

impl BillingService {
    /// Builds the service; `public_url` is where the provider sends payers back to.
    pub fn new(ports: Ports, config: BillingConfig, public_url: String) -> Self {
        Self { ports, config: Arc::new(config), public_url: public_url.into() }
    }

    fn now(&self) -> DateTime<Utc> {
        self.ports.clock.now()
    }

    fn require_enabled(&self) -> Result<(), ServiceError> {
        if self.ports.payments.enabled() { Ok(()) } else { Err(disabled()) }
    }

    /// The billing of the organization the caller acts in: its plan, its subscription, whether
    /// the caller may change it. `billing_disabled` when this server takes no payments.
    pub async fn status(&self, principal: &Principal) -> Result<BillingStatus, ServiceError> {
        self.require_enabled()?;
        principal.require_scope(Scope::AccountRead)?;
        let org = self.ports.orgs.get_org(principal.org.id).await?;
        let plan = match super::job::org_plan(&self.ports, org.id).await {
            Err(RepoError::NotFound) => None,
            other => Some(other?),
        };
        Ok(BillingStatus {
            enabled: true,
            subscription: self.ports.billing.subscription(org.id).await?,
            org,
            plan,
            can_manage: principal.org.role >= OrgRole::Admin,
            plans_for_sale: self.ports.payments.priced_plans(),
        })
    }

    /// Opens a checkout for `plan_id` for the organization the caller acts in (its owners and
    /// admins, with a session) and returns the provider's page. `plan_not_for_sale` for a plan
    /// without a price.
    pub async fn checkout(
        &self,
        principal: &Principal,
        plan_id: &str,
        meta: &RequestMeta,
    ) -> Result<String, ServiceError> {
        self.require_enabled()?;
        principal.require_session()?;
        self.require_manager(principal)?;
        if !self.ports.payments.priced_plans().iter().any(|p| p == plan_id) {
            return Err(ServiceError::invalid(
                ErrorCode::PlanNotForSale,
                format!("the plan {plan_id:?} cannot be bought"),
            ));
        }
        let user = self.ports.accounts.get_user(principal.user_id).await?;
        let request = CheckoutRequest {
            org_id: principal.org.id,
            plan_id: plan_id.to_owned(),
            customer_id: self.ports.billing.customer_of(principal.org.id).await?,
            email: user.email,
            success_url: super::mail::page_link(&self.public_url, "/billing?checkout=success"),
            cancel_url: super::mail::page_link(&self.public_url, "/billing?checkout=cancelled"),
        };
        let url = self.ports.payments.checkout(&request).await.map_err(provider_error)?;
        self.audit(principal, "billing.checkout_created", json!({ "plan": plan_id }), meta).await?;
        Ok(url)
    }

    /// The provider's customer portal for the organization the caller acts in (owners and
    /// admins, with a session). `no_billing_customer` before its first checkout.
    pub async fn portal(&self, principal: &Principal, meta: &RequestMeta) -> Result<String, ServiceError> {
        self.require_enabled()?;
        principal.require_session()?;
        self.require_manager(principal)?;
        let customer = self.ports.billing.customer_of(principal.org.id).await?.ok_or_else(|| {
            ServiceError::conflict(ErrorCode::NoBillingCustomer, "this organization has not subscribed yet")
        })?;
        let back = super::mail::page_link(&self.public_url, "/billing");
        let url = self.ports.payments.portal(&customer, &back).await.map_err(provider_error)?;
        self.audit(principal, "billing.portal_opened", json!({}), meta).await?;
        Ok(url)
    }

    /// Handles one webhook delivery: verified by the provider against the exact payload bytes,
    /// processed once per event id, applied in event order. A refused delivery is
    /// `invalid_webhook` (400) and a `billing.webhook_refused` security event.
    pub async fn handle_webhook(
        &self,
        payload: &[u8],
        signature: &str,
        meta: &RequestMeta,
    ) -> Result<WebhookOutcome, ServiceError> {
        let now = self.now();
        let event = match self.ports.payments.verify_webhook(payload, signature, now) {
            Ok(event) => event,
            Err(WebhookError::Disabled) => return Err(disabled()),
            Err(refusal) => {
                let security = SecurityEvent {
                    kind: "billing.webhook_refused".into(),
                    severity: Severity::Warn,
                    actor_id: None,
                    ip: meta.ip.clone(),
                    payload: json!({ "reason": refusal.to_string() }),
                    created_at: now,
                };
                self.ports.audit.record_security_event(&security).await?;
                return Err(ServiceError::invalid(ErrorCode::InvalidWebhook, refusal.to_string()));
            }
        };
        if self.ports.billing.event_seen(&event.id).await? {
            return Ok(WebhookOutcome::Duplicate);
        }
        self.apply(&event, meta).await?;
        self.ports.billing.record_event(&event.id, &event.kind_name, now).await?;
        Ok(WebhookOutcome::Processed)
    }

    /// Applies one verified event to the subscription it is about.
    async fn apply(&self, event: &BillingEvent, meta: &RequestMeta) -> Result<(), ServiceError> {
        match &event.kind {
            BillingEventKind::CheckoutCompleted { org_id, customer_id } => {
                if self.org_exists(*org_id).await? {
                    self.ports.billing.set_customer(*org_id, customer_id).await?;
                }
            }
            BillingEventKind::SubscriptionChanged {
                customer_id,
                subscription_id,
                plan_id,
                status,
                current_period_end,
                org_id,
            } => {
                let org = match org_id {
                    Some(org) if self.org_exists(*org).await? => Some(*org),
                    _ => self.ports.billing.org_of_customer(customer_id).await?,
                };
                let Some(org) = org else {
                    tracing::warn!(event = %event.id, "a subscription event for an unknown customer was ignored");
                    return Ok(());
                };
                if self.ports.billing.customer_of(org).await?.is_none() {
                    self.ports.billing.set_customer(org, customer_id).await?;
                }
                let stored = self.ports.billing.subscription(org).await?;
                let Some(plan_id) = plan_id.clone().or_else(|| stored.as_ref().map(|s| s.plan_id.clone())) else {
                    tracing::warn!(event = %event.id, "a subscription event for a price without a plan was ignored");
                    return Ok(());
                };
                let grace_until = match status {
                    SubscriptionStatus::PastDue => {
                        stored.as_ref().and_then(|s| s.grace_until).or_else(|| Some(self.grace_end(event.created)))
                    }
                    _ => None,
                };
                let subscription = Subscription {
                    org_id: org,
                    customer_id: customer_id.clone(),
                    subscription_id: subscription_id.clone(),
                    plan_id,
                    status: *status,
                    current_period_end: *current_period_end,
                    grace_until,
                    event_at: event.created,
                };
                self.store(subscription, event, meta).await?;
            }
            BillingEventKind::SubscriptionDeleted { customer_id, subscription_id } => {
                if let Some(stored) = self.stored_for(customer_id).await?
                    && stored.subscription_id == *subscription_id
                {
                    let ended = Subscription {
                        status: SubscriptionStatus::Canceled,
                        grace_until: None,
                        event_at: event.created,
                        ..stored
                    };
                    self.store(ended, event, meta).await?;
                }
            }
            BillingEventKind::PaymentFailed { customer_id } => {
                if let Some(stored) = self.stored_for(customer_id).await?
                    && matches!(stored.status, SubscriptionStatus::Active | SubscriptionStatus::PastDue)
                {
                    let grace_until = stored.grace_until.unwrap_or_else(|| self.grace_end(event.created));
                    let failing = Subscription {
                        status: SubscriptionStatus::PastDue,
                        grace_until: Some(grace_until),
                        event_at: event.created.max(stored.event_at),
                        ..stored
                    };
                    self.store(failing, event, meta).await?;
                }
            }
            BillingEventKind::Other => {}
        }
        Ok(())
    }

    /// Stores a subscription change (unless a newer event already did) and audits it.
    async fn store(
        &self,
        subscription: Subscription,
        event: &BillingEvent,
        meta: &RequestMeta,
    ) -> Result<(), ServiceError> {
        if !self.ports.billing.apply_subscription(&subscription).await? {
            tracing::info!(event = %event.id, "an older subscription event was not applied over a newer one");
            return Ok(());
        }
        let entry = audit_entry(
            &self.ports,
            None,
            "billing.subscription_changed",
            "organization",
            Some(subscription.org_id.to_string()),
            json!({
                "event": event.id,
                "type": event.kind_name,
                "plan": subscription.plan_id,
                "status": subscription.status.as_str(),
                "graceUntil": subscription.grace_until,
            }),
            meta,
        );
        Ok(self.ports.audit.record(&entry).await?)
    }

    async fn stored_for(&self, customer_id: &str) -> Result<Option<Subscription>, ServiceError> {
        let Some(org) = self.ports.billing.org_of_customer(customer_id).await? else {
            return Ok(None);
        };
        Ok(self.ports.billing.subscription(org).await?)
    }

    async fn org_exists(&self, org: OrgId) -> Result<bool, ServiceError> {
        match self.ports.orgs.get_org(org).await {
            Ok(_) => Ok(true),
            Err(RepoError::NotFound) => Ok(false),
            Err(e) => Err(e.into()),
        }
    }

    fn grace_end(&self, failed_at: DateTime<Utc>) -> DateTime<Utc> {
        failed_at + Duration::days(i64::from(self.config.grace_days))
    }

    fn require_manager(&self, principal: &Principal) -> Result<(), ServiceError> {
        if principal.org.role >= OrgRole::Admin {
            Ok(())
        } else {
            Err(ServiceError::forbidden(
                ErrorCode::InsufficientRole,
                "only the organization's owners and admins manage its plan",
            ))
        }
    }

    async fn audit(
        &self,
        principal: &Principal,
        action: &str,
        details: serde_json::Value,
        meta: &RequestMeta,
    ) -> Result<(), ServiceError> {
        let entry = audit_entry(
            &self.ports,
            Some(principal.user_id),
            action,
            "organization",
            Some(principal.org.id.to_string()),
            details,
            meta,
        );
        Ok(self.ports.audit.record(&entry).await?)
    }
}

fn disabled() -> ServiceError {
    ServiceError::Unavailable {
        code: ErrorCode::BillingDisabled,
        message: "billing is not enabled on this server".into(),
    }
}

fn provider_error(e: BillingError) -> ServiceError {
    match e {
        BillingError::Disabled => disabled(),
        BillingError::UnknownPlan(plan) => {
            ServiceError::invalid(ErrorCode::PlanNotForSale, format!("the plan {plan:?} cannot be bought"))
        }
        BillingError::Provider(reason) => {
            tracing::warn!(%reason, "the payment provider failed");
            ServiceError::Unavailable {
                code: ErrorCode::BillingUnavailable,
                message: "the payment provider did not answer; try again in a moment".into(),
            }
        }
    }
}
