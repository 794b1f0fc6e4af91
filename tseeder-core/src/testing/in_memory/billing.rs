//! [`InMemoryBillingRepository`].

use async_trait::async_trait;
use chrono::{DateTime, Utc};

use super::{handle, micros};
use crate::domain::{OrgId, Subscription};
use crate::error::RepoError;
use crate::ports::BillingRepository;

handle!(
    /// A [`BillingRepository`] over an [`InMemoryDb`](crate::testing::InMemoryDb): customers and
    /// subscriptions keyed by their organization, processed events by their id. A customer id
    /// belongs to one organization, as the databases' unique index has it.
    InMemoryBillingRepository
);

/// A subscription as the databases keep it (its times in whole microseconds).
fn stored_subscription(s: &Subscription) -> Subscription {
    Subscription {
        current_period_end: s.current_period_end.map(micros),
        grace_until: s.grace_until.map(micros),
        event_at: micros(s.event_at),
        ..s.clone()
    }
}

#[async_trait]
impl BillingRepository for InMemoryBillingRepository {
    async fn set_customer(&self, org: OrgId, customer_id: &str) -> Result<(), RepoError> {
        let mut state = self.state();
        if state.billing_customers.iter().any(|(other, customer)| *other != org && customer == customer_id) {
            return Err(RepoError::Conflict("billing_customers.customer_id".into()));
        }
        state.billing_customers.insert(org, customer_id.to_owned());
        Ok(())
    }

    async fn customer_of(&self, org: OrgId) -> Result<Option<String>, RepoError> {
        Ok(self.state().billing_customers.get(&org).cloned())
    }

    async fn org_of_customer(&self, customer_id: &str) -> Result<Option<OrgId>, RepoError> {
        let state = self.state();
        Ok(state.billing_customers.iter().find(|(_, customer)| *customer == customer_id).map(|(org, _)| *org))
    }

    async fn subscription(&self, org: OrgId) -> Result<Option<Subscription>, RepoError> {
        Ok(self.state().subscriptions.get(&org).cloned())
    }

    async fn apply_subscription(&self, subscription: &Subscription) -> Result<bool, RepoError> {
        let subscription = stored_subscription(subscription);
        let mut state = self.state();
        if state.subscriptions.get(&subscription.org_id).is_some_and(|stored| stored.event_at > subscription.event_at) {
            return Ok(false);
        }
        state.subscriptions.insert(subscription.org_id, subscription);
        Ok(true)
    }

    async fn event_seen(&self, id: &str) -> Result<bool, RepoError> {
        Ok(self.state().billing_events.contains_key(id))
    }

    async fn record_event(&self, id: &str, kind: &str, at: DateTime<Utc>) -> Result<(), RepoError> {
        // A second record of the id changes nothing (the first kind and time stay).
        self.state().billing_events.entry(id.to_owned()).or_insert_with(|| (kind.to_owned(), micros(at)));
        Ok(())
    }
}
