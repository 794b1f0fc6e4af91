//! Plans and plan assignments.

use std::fmt::Debug;

use async_trait::async_trait;
use chrono::{DateTime, Utc};

use crate::domain::{Plan, UserId};
use crate::error::RepoError;

/// Persistent store of plans.
///
/// # Contract
/// - `list_plans` orders by price, then id.
/// - `current_plan` is the assignment with the latest `started_at` that has started and not
///   expired at `now`; `NotFound` when the user has none.
/// - `get_plan` fails with `NotFound` for unknown ids.
#[async_trait]
pub trait PlanRepository: Send + Sync + Debug {
    /// Every plan.
    async fn list_plans(&self) -> Result<Vec<Plan>, RepoError>;
    /// One plan.
    async fn get_plan(&self, id: &str) -> Result<Plan, RepoError>;
    /// The user's plan in force at `now`.
    async fn current_plan(&self, user: UserId, now: DateTime<Utc>) -> Result<Plan, RepoError>;
    /// Assigns a plan from `started_at`, until `expires_at` if given.
    async fn assign_plan(
        &self,
        user: UserId,
        plan_id: &str,
        started_at: DateTime<Utc>,
        expires_at: Option<DateTime<Utc>>,
    ) -> Result<(), RepoError>;
}
