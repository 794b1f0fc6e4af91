//! [`SeaOrmPlanRepository`]: plans and plan assignments.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder, SqlErr,
};
use tseeder_core::domain::{Plan, UserId};
use tseeder_core::error::RepoError;
use tseeder_core::ports::PlanRepository;

use crate::convert::{self, db_time};
use crate::entity::{plan_assignments, plans};
use crate::error::{InvalidRow, repo_err};

/// [`PlanRepository`] over sea-orm (SQLite or PostgreSQL).
///
/// A user's plan history is a list of assignments; the one in force is the latest that has
/// started and not expired, so upgrades, trials and downgrades are plain inserts.
#[derive(Debug, Clone)]
pub struct SeaOrmPlanRepository {
    db: DatabaseConnection,
}

impl SeaOrmPlanRepository {
    /// An adapter over a migrated database.
    pub fn new(db: DatabaseConnection) -> Self {
        Self { db }
    }
}

#[async_trait]
impl PlanRepository for SeaOrmPlanRepository {
    async fn list_plans(&self) -> Result<Vec<Plan>, RepoError> {
        let rows = plans::Entity::find()
            .order_by_asc(plans::Column::PriceCents)
            .order_by_asc(plans::Column::Id)
            .all(&self.db)
            .await
            .map_err(repo_err)?;
        Ok(rows.into_iter().map(Plan::try_from).collect::<Result<_, _>>()?)
    }

    async fn get_plan(&self, id: &str) -> Result<Plan, RepoError> {
        let row = plans::Entity::find_by_id(id.to_owned()).one(&self.db).await.map_err(repo_err)?;
        Ok(Plan::try_from(row.ok_or(RepoError::NotFound)?)?)
    }

    async fn current_plan(&self, user: UserId, now: DateTime<Utc>) -> Result<Plan, RepoError> {
        let now = db_time(now);
        let row = plan_assignments::Entity::find()
            .find_also_related(plans::Entity)
            .filter(plan_assignments::Column::UserId.eq(user.to_string()))
            .filter(plan_assignments::Column::StartedAt.lte(now))
            .filter(
                Condition::any()
                    .add(plan_assignments::Column::ExpiresAt.is_null())
                    .add(plan_assignments::Column::ExpiresAt.gt(now)),
            )
            .order_by_desc(plan_assignments::Column::StartedAt)
            .order_by_desc(plan_assignments::Column::Id)
            .one(&self.db)
            .await
            .map_err(repo_err)?;
        let (_, plan) = row.ok_or(RepoError::NotFound)?;
        let plan = plan.ok_or_else(|| InvalidRow::new("plan_assignments", "plan_id", "the plan does not exist"))?;
        Ok(Plan::try_from(plan)?)
    }

    async fn assign_plan(
        &self,
        user: UserId,
        plan_id: &str,
        started_at: DateTime<Utc>,
        expires_at: Option<DateTime<Utc>>,
    ) -> Result<(), RepoError> {
        // An unknown user or plan violates a foreign key: report it as the missing row it is.
        convert::plan_assignment_model(user, plan_id, started_at, expires_at).insert(&self.db).await.map_err(|e| {
            match e.sql_err() {
                Some(SqlErr::ForeignKeyConstraintViolation(_)) => RepoError::NotFound,
                _ => repo_err(e),
            }
        })?;
        Ok(())
    }
}
