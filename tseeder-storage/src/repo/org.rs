//! [`SeaOrmOrgRepository`]: organizations, their members and their invites.

use std::collections::HashMap;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Expr, ExprTrait, Func, LikeExpr};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, DatabaseConnection, DatabaseTransaction, EntityTrait,
    JoinType, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, RelationTrait,
};
use tseeder_core::domain::{
    Invite, InviteId, Member, Membership, NewOrganization, OrgId, OrgRole, OrgSlug, OrgSummary, Organization, Page,
    PageRequest, UserId,
};
use tseeder_core::error::RepoError;
use tseeder_core::ports::OrgRepository;

use super::{begin_write, contains_pattern, fetch_page};
use crate::convert::{self, db_time, to_u64};
use crate::entity::{api_keys, jobs, org_invites, org_members, organizations, users};
use crate::error::{InvalidRow, repo_err};

/// What the last-owner rule refuses with.
const LAST_OWNER: &str = "last_owner";
/// What deleting an organization that still has jobs refuses with.
const HAS_JOBS: &str = "org_has_jobs";
/// What handing a removed member's jobs to a non-member refuses with.
const NOT_A_MEMBER: &str = "not_a_member";

/// [`OrgRepository`] over sea-orm (SQLite or PostgreSQL).
///
/// The last-owner rule is checked after the change, inside the change's write transaction:
/// the change is made, the organization's owners are counted, and when none is left the
/// transaction is dropped, which rolls the change back. Two changes of one organization's
/// owners must not both count the other's owner and both leave (write skew), so each first
/// locks the organization's row (`SELECT … FOR UPDATE`): on PostgreSQL the second then waits
/// for the first to commit and counts what is left after it. On SQLite `BEGIN IMMEDIATE`
/// already serialises writers (and the query builder renders no lock clause).
#[derive(Debug, Clone)]
pub struct SeaOrmOrgRepository {
    db: DatabaseConnection,
}

impl SeaOrmOrgRepository {
    /// An adapter over a migrated database.
    pub fn new(db: DatabaseConnection) -> Self {
        Self { db }
    }
}

/// Locks the organization's row until the transaction ends (PostgreSQL); `NotFound` when there
/// is no such organization.
async fn lock_org(conn: &impl ConnectionTrait, org: OrgId) -> Result<(), RepoError> {
    let locked: Option<String> = organizations::Entity::find_by_id(org.to_string())
        .select_only()
        .column(organizations::Column::Id)
        .lock_exclusive()
        .into_tuple()
        .one(conn)
        .await
        .map_err(repo_err)?;
    if locked.is_none() {
        return Err(RepoError::NotFound);
    }
    Ok(())
}

/// The user's role in the organization, `None` when not a member.
async fn role_of(conn: &impl ConnectionTrait, org: OrgId, user: UserId) -> Result<Option<OrgRole>, RepoError> {
    let role: Option<String> = org_members::Entity::find()
        .select_only()
        .column(org_members::Column::Role)
        .filter(org_members::Column::OrgId.eq(org.to_string()))
        .filter(org_members::Column::UserId.eq(user.to_string()))
        .into_tuple()
        .one(conn)
        .await
        .map_err(repo_err)?;
    Ok(role.map(|r| convert::parse("org_members", "role", &r)).transpose()?)
}

/// Sets a member's role; `NotFound` when the user is not a member.
async fn update_role(conn: &impl ConnectionTrait, org: OrgId, user: UserId, role: OrgRole) -> Result<(), RepoError> {
    let result = org_members::Entity::update_many()
        .col_expr(org_members::Column::Role, Expr::val(role.as_str()))
        .filter(org_members::Column::OrgId.eq(org.to_string()))
        .filter(org_members::Column::UserId.eq(user.to_string()))
        .exec(conn)
        .await
        .map_err(repo_err)?;
    if result.rows_affected == 0 {
        return Err(RepoError::NotFound);
    }
    Ok(())
}

/// Refuses (`Conflict("last_owner")`) when the organization has no owner left. Called after a
/// change, inside its transaction: the caller's early return rolls the change back.
async fn require_owner(conn: &DatabaseTransaction, org: OrgId) -> Result<(), RepoError> {
    let owners = org_members::Entity::find()
        .filter(org_members::Column::OrgId.eq(org.to_string()))
        .filter(org_members::Column::Role.eq(OrgRole::Owner.as_str()))
        .count(conn)
        .await
        .map_err(repo_err)?;
    if owners == 0 {
        return Err(RepoError::Conflict(LAST_OWNER.into()));
    }
    Ok(())
}

/// Members who own the organization, longest-standing first (ties by user id): the first one is
/// its plan holder.
fn owners_in_order() -> sea_orm::Select<org_members::Entity> {
    org_members::Entity::find()
        .filter(org_members::Column::Role.eq(OrgRole::Owner.as_str()))
        .order_by_asc(org_members::Column::JoinedAt)
        .order_by_asc(org_members::Column::UserId)
}

/// Invites neither accepted nor revoked (expired ones included).
fn open_invites() -> Condition {
    Condition::all().add(org_invites::Column::AcceptedAt.is_null()).add(org_invites::Column::RevokedAt.is_null())
}

fn invites(rows: Vec<org_invites::Model>) -> Result<Vec<Invite>, RepoError> {
    Ok(rows.into_iter().map(Invite::try_from).collect::<Result<_, _>>()?)
}

#[async_trait]
impl OrgRepository for SeaOrmOrgRepository {
    async fn create_org(&self, org: &NewOrganization) -> Result<Organization, RepoError> {
        let tx = begin_write(&self.db).await.map_err(repo_err)?;
        // A taken slug is a unique violation: dropping `tx` rolls everything back.
        let row = convert::new_org_model(org).insert(&tx).await.map_err(repo_err)?;
        convert::org_member_model(org.id, org.owner, OrgRole::Owner, org.created_at)
            .insert(&tx)
            .await
            .map_err(repo_err)?;
        tx.commit().await.map_err(repo_err)?;
        Ok(Organization::try_from(row)?)
    }

    async fn get_org(&self, id: OrgId) -> Result<Organization, RepoError> {
        let row = organizations::Entity::find_by_id(id.to_string()).one(&self.db).await.map_err(repo_err)?;
        Ok(Organization::try_from(row.ok_or(RepoError::NotFound)?)?)
    }

    async fn find_org_by_slug(&self, slug: &OrgSlug) -> Result<Option<Organization>, RepoError> {
        let row = organizations::Entity::find()
            .filter(organizations::Column::Slug.eq(slug.as_str()))
            .one(&self.db)
            .await
            .map_err(repo_err)?;
        Ok(row.map(Organization::try_from).transpose()?)
    }

    async fn memberships(&self, user: UserId) -> Result<Vec<Membership>, RepoError> {
        let rows = org_members::Entity::find()
            .find_also_related(organizations::Entity)
            .filter(org_members::Column::UserId.eq(user.to_string()))
            .all(&self.db)
            .await
            .map_err(repo_err)?;
        let mut memberships =
            rows.into_iter().map(|(m, org)| convert::membership_from(m, org)).collect::<Result<Vec<_>, _>>()?;
        // Sorted here: a user has few organizations, and both backends (and the fake) then
        // agree on what "by name, ignoring case" means.
        memberships.sort_by_cached_key(|m| (!m.org.personal, m.org.name.to_lowercase(), m.org.id));
        Ok(memberships)
    }

    async fn membership(&self, org: OrgId, user: UserId) -> Result<Option<OrgRole>, RepoError> {
        role_of(&self.db, org, user).await
    }

    async fn list_members(&self, org: OrgId) -> Result<Vec<Member>, RepoError> {
        let rows = org_members::Entity::find()
            .find_also_related(users::Entity)
            .filter(org_members::Column::OrgId.eq(org.to_string()))
            .all(&self.db)
            .await
            .map_err(repo_err)?;
        let mut members =
            rows.into_iter().map(|(m, user)| convert::member_from(m, user)).collect::<Result<Vec<_>, _>>()?;
        members.sort_by_key(|m| (m.role != OrgRole::Owner, m.joined_at, m.user_id));
        Ok(members)
    }

    async fn rename_org(&self, id: OrgId, name: &str) -> Result<(), RepoError> {
        let result = organizations::Entity::update_many()
            .col_expr(organizations::Column::Name, Expr::val(name))
            .filter(organizations::Column::Id.eq(id.to_string()))
            .exec(&self.db)
            .await
            .map_err(repo_err)?;
        if result.rows_affected == 0 {
            return Err(RepoError::NotFound);
        }
        Ok(())
    }

    async fn delete_org(&self, id: OrgId) -> Result<(), RepoError> {
        let org = id.to_string();
        let tx = begin_write(&self.db).await.map_err(repo_err)?;
        // Locked first: on PostgreSQL a job being inserted into the organization waits for this
        // transaction (its foreign key check locks the row too), then fails.
        lock_org(&tx, id).await?;
        // Jobs are never deleted with their organization: their files need the job service's
        // cleanup, so the organization must be emptied first.
        let a_job: Option<String> = jobs::Entity::find()
            .select_only()
            .column(jobs::Column::Id)
            .filter(jobs::Column::OrgId.eq(org.as_str()))
            .into_tuple()
            .one(&tx)
            .await
            .map_err(repo_err)?;
        if a_job.is_some() {
            return Err(RepoError::Conflict(HAS_JOBS.into()));
        }
        // Its API keys would work nowhere: deleted here explicitly, since SQLite has no foreign
        // key from them to the organization. Memberships and invites go with it (ON DELETE
        // CASCADE).
        api_keys::Entity::delete_many()
            .filter(api_keys::Column::OrgId.eq(org.as_str()))
            .exec(&tx)
            .await
            .map_err(repo_err)?;
        let result = organizations::Entity::delete_by_id(org.as_str()).exec(&tx).await.map_err(repo_err)?;
        if result.rows_affected == 0 {
            return Err(RepoError::NotFound);
        }
        tx.commit().await.map_err(repo_err)?;
        Ok(())
    }

    async fn add_member(&self, org: OrgId, user: UserId, role: OrgRole, at: DateTime<Utc>) -> Result<(), RepoError> {
        // A second membership is a primary-key violation, which `repo_err` maps to Conflict.
        org_members::Entity::insert(convert::org_member_model(org, user, role, at))
            .exec_without_returning(&self.db)
            .await
            .map_err(repo_err)?;
        Ok(())
    }

    async fn set_member_role(&self, org: OrgId, user: UserId, role: OrgRole) -> Result<(), RepoError> {
        let tx = begin_write(&self.db).await.map_err(repo_err)?;
        lock_org(&tx, org).await?;
        update_role(&tx, org, user, role).await?;
        require_owner(&tx, org).await?;
        tx.commit().await.map_err(repo_err)?;
        Ok(())
    }

    async fn remove_member(&self, org: OrgId, user: UserId, reassign_to: Option<UserId>) -> Result<(), RepoError> {
        let tx = begin_write(&self.db).await.map_err(repo_err)?;
        lock_org(&tx, org).await?;
        let result = org_members::Entity::delete_many()
            .filter(org_members::Column::OrgId.eq(org.to_string()))
            .filter(org_members::Column::UserId.eq(user.to_string()))
            .exec(&tx)
            .await
            .map_err(repo_err)?;
        if result.rows_affected == 0 {
            return Err(RepoError::NotFound);
        }
        require_owner(&tx, org).await?;
        if let Some(to) = reassign_to {
            // Another member: the removed one no longer is, so `to == user` is refused too.
            if role_of(&tx, org, to).await?.is_none() {
                return Err(RepoError::Conflict(NOT_A_MEMBER.into()));
            }
            // The jobs change hands with their idempotency keys cleared (a key is its
            // submitter's). A live job of `to` for the same torrent breaks
            // `jobs_org_user_infohash_live`: a Conflict, and the rollback undoes the removal.
            jobs::Entity::update_many()
                .col_expr(jobs::Column::UserId, Expr::val(to.to_string()))
                .col_expr(jobs::Column::IdempotencyKey, Expr::val(Option::<String>::None))
                .filter(jobs::Column::OrgId.eq(org.to_string()))
                .filter(jobs::Column::UserId.eq(user.to_string()))
                .exec(&tx)
                .await
                .map_err(repo_err)?;
        }
        tx.commit().await.map_err(repo_err)?;
        Ok(())
    }

    async fn plan_holder(&self, org: OrgId) -> Result<UserId, RepoError> {
        // Every organization has an owner (the last-owner rule), so none means no organization.
        let holder: Option<String> = owners_in_order()
            .select_only()
            .column(org_members::Column::UserId)
            .filter(org_members::Column::OrgId.eq(org.to_string()))
            .into_tuple()
            .one(&self.db)
            .await
            .map_err(repo_err)?;
        let holder = holder.ok_or(RepoError::NotFound)?;
        Ok(convert::parse("org_members", "user_id", &holder)?)
    }

    async fn transfer_ownership(&self, org: OrgId, from: UserId, to: UserId) -> Result<(), RepoError> {
        let tx = begin_write(&self.db).await.map_err(repo_err)?;
        lock_org(&tx, org).await?;
        if role_of(&tx, org, to).await?.is_none() {
            return Err(RepoError::NotFound);
        }
        if role_of(&tx, org, from).await? != Some(OrgRole::Owner) {
            return Err(RepoError::Conflict("not_owner".into()));
        }
        update_role(&tx, org, to, OrgRole::Owner).await?;
        update_role(&tx, org, from, OrgRole::Admin).await?;
        // Only `from == to` can get here with no owner left.
        require_owner(&tx, org).await?;
        tx.commit().await.map_err(repo_err)?;
        Ok(())
    }

    async fn insert_invite(&self, invite: &Invite) -> Result<(), RepoError> {
        org_invites::Entity::insert(convert::invite_model(invite))
            .exec_without_returning(&self.db)
            .await
            .map_err(repo_err)?;
        Ok(())
    }

    async fn get_invite(&self, org: OrgId, id: InviteId) -> Result<Invite, RepoError> {
        let row = org_invites::Entity::find()
            .filter(org_invites::Column::Id.eq(id.to_string()))
            .filter(org_invites::Column::OrgId.eq(org.to_string()))
            .one(&self.db)
            .await
            .map_err(repo_err)?;
        Ok(Invite::try_from(row.ok_or(RepoError::NotFound)?)?)
    }

    async fn find_invite(&self, token_hash: &str) -> Result<Option<(Invite, Organization)>, RepoError> {
        let row = org_invites::Entity::find()
            .find_also_related(organizations::Entity)
            .filter(org_invites::Column::TokenHash.eq(token_hash))
            .one(&self.db)
            .await
            .map_err(repo_err)?;
        let Some((invite, org)) = row else { return Ok(None) };
        let org = org.ok_or_else(|| InvalidRow::new("org_invites", "org_id", "the organization does not exist"))?;
        Ok(Some((Invite::try_from(invite)?, Organization::try_from(org)?)))
    }

    async fn list_invites(&self, org: OrgId) -> Result<Vec<Invite>, RepoError> {
        let rows = org_invites::Entity::find()
            .filter(org_invites::Column::OrgId.eq(org.to_string()))
            .filter(open_invites())
            .order_by_desc(org_invites::Column::CreatedAt)
            .order_by_desc(org_invites::Column::Id)
            .all(&self.db)
            .await
            .map_err(repo_err)?;
        invites(rows)
    }

    async fn pending_invite_for(
        &self,
        org: OrgId,
        email: &str,
        now: DateTime<Utc>,
    ) -> Result<Option<Invite>, RepoError> {
        let row = org_invites::Entity::find()
            .filter(org_invites::Column::OrgId.eq(org.to_string()))
            .filter(org_invites::Column::Email.eq(email))
            .filter(open_invites())
            .filter(org_invites::Column::ExpiresAt.gt(db_time(now)))
            .order_by_desc(org_invites::Column::CreatedAt)
            .order_by_desc(org_invites::Column::Id)
            .one(&self.db)
            .await
            .map_err(repo_err)?;
        Ok(row.map(Invite::try_from).transpose()?)
    }

    async fn invites_sent_since(&self, org: OrgId, since: DateTime<Utc>) -> Result<u64, RepoError> {
        org_invites::Entity::find()
            .filter(org_invites::Column::OrgId.eq(org.to_string()))
            .filter(org_invites::Column::SentAt.gt(db_time(since)))
            .count(&self.db)
            .await
            .map_err(repo_err)
    }

    async fn revoke_invite(&self, org: OrgId, id: InviteId, now: DateTime<Utc>) -> Result<(), RepoError> {
        let result = org_invites::Entity::update_many()
            .col_expr(org_invites::Column::RevokedAt, Expr::val(db_time(now)))
            .filter(org_invites::Column::Id.eq(id.to_string()))
            .filter(org_invites::Column::OrgId.eq(org.to_string()))
            .filter(open_invites())
            .exec(&self.db)
            .await
            .map_err(repo_err)?;
        if result.rows_affected == 0 {
            return Err(RepoError::NotFound);
        }
        Ok(())
    }

    async fn rotate_invite(
        &self,
        org: OrgId,
        id: InviteId,
        token_hash: &str,
        sent_at: DateTime<Utc>,
        expires_at: DateTime<Utc>,
    ) -> Result<(), RepoError> {
        let result = org_invites::Entity::update_many()
            .col_expr(org_invites::Column::TokenHash, Expr::val(token_hash))
            .col_expr(org_invites::Column::SentAt, Expr::val(db_time(sent_at)))
            .col_expr(org_invites::Column::ExpiresAt, Expr::val(db_time(expires_at)))
            .filter(org_invites::Column::Id.eq(id.to_string()))
            .filter(org_invites::Column::OrgId.eq(org.to_string()))
            .filter(open_invites())
            .exec(&self.db)
            .await
            .map_err(repo_err)?;
        if result.rows_affected == 0 {
            return Err(RepoError::NotFound);
        }
        Ok(())
    }

    async fn accept_invite(&self, token_hash: &str, user: UserId, now: DateTime<Utc>) -> Result<Invite, RepoError> {
        let now = db_time(now);
        let tx = begin_write(&self.db).await.map_err(repo_err)?;
        // Every early return drops `tx`, which rolls it back: a refused accept changes nothing.
        let row = org_invites::Entity::find()
            .filter(org_invites::Column::TokenHash.eq(token_hash))
            .filter(open_invites())
            .filter(org_invites::Column::ExpiresAt.gt(now))
            .one(&tx)
            .await
            .map_err(repo_err)?;
        let Some(row) = row else { return Err(RepoError::NotFound) };
        let invite = Invite::try_from(row)?;
        if role_of(&tx, invite.org_id, user).await?.is_some() {
            return Err(RepoError::Conflict("already_member".into()));
        }
        // The take is a compare-and-set: of two accepts racing with one token, only the first to
        // write finds it open (PostgreSQL re-checks the condition after waiting for the row
        // lock; SQLite's write transactions run one at a time).
        let taken = org_invites::Entity::update_many()
            .col_expr(org_invites::Column::AcceptedAt, Expr::val(now))
            .col_expr(org_invites::Column::AcceptedBy, Expr::val(user.to_string()))
            .filter(org_invites::Column::Id.eq(invite.id.to_string()))
            .filter(org_invites::Column::TokenHash.eq(token_hash))
            .filter(open_invites())
            .filter(org_invites::Column::ExpiresAt.gt(now))
            .exec(&tx)
            .await
            .map_err(repo_err)?;
        if taken.rows_affected != 1 {
            return Err(RepoError::NotFound);
        }
        org_members::Entity::insert(convert::org_member_model(invite.org_id, user, invite.role, now))
            .exec_without_returning(&tx)
            .await
            .map_err(repo_err)?;
        tx.commit().await.map_err(repo_err)?;
        Ok(Invite { accepted_at: Some(now), ..invite })
    }

    async fn list_orgs(&self, contains: Option<&str>, page: PageRequest) -> Result<Page<OrgSummary>, RepoError> {
        let mut select = organizations::Entity::find().filter(organizations::Column::Personal.eq(false));
        if let Some(needle) = contains.filter(|s| !s.is_empty()) {
            // Lowercased on both sides: SQLite's LIKE ignores ASCII case, PostgreSQL's does not.
            let pattern = contains_pattern(needle);
            let like = |column: organizations::Column| {
                Expr::expr(Func::lower(Expr::col(column))).like(LikeExpr::new(pattern.clone()).escape('\\'))
            };
            select = select
                .filter(Condition::any().add(like(organizations::Column::Name)).add(like(organizations::Column::Slug)));
        }
        let select = select.order_by_asc(organizations::Column::CreatedAt).order_by_asc(organizations::Column::Id);
        let rows = fetch_page(&self.db, select, page).await.map_err(repo_err)?;
        if rows.items.is_empty() {
            return Ok(Page { items: Vec::new(), page: rows.page, limit: rows.limit, total: rows.total });
        }
        let ids: Vec<String> = rows.items.iter().map(|org| org.id.clone()).collect();

        // One grouped count and one list of owners for the whole page.
        let counts: Vec<(String, i64)> = org_members::Entity::find()
            .select_only()
            .column(org_members::Column::OrgId)
            .column_as(org_members::Column::UserId.count(), "members")
            .filter(org_members::Column::OrgId.is_in(ids.iter().map(String::as_str)))
            .group_by(org_members::Column::OrgId)
            .into_tuple()
            .all(&self.db)
            .await
            .map_err(repo_err)?;
        let counts: HashMap<String, i64> = counts.into_iter().collect();
        let owners: Vec<(String, String, String)> = owners_in_order()
            .select_only()
            .column(org_members::Column::OrgId)
            .column(org_members::Column::UserId)
            .column(users::Column::Email)
            .join(JoinType::InnerJoin, org_members::Relation::Users.def())
            .filter(org_members::Column::OrgId.is_in(ids.iter().map(String::as_str)))
            .into_tuple()
            .all(&self.db)
            .await
            .map_err(repo_err)?;
        // The longest-standing owner of each organization (its plan holder): the first one listed.
        let mut first_owner: HashMap<String, (String, String)> = HashMap::new();
        for (org, user, email) in owners {
            first_owner.entry(org).or_insert((user, email));
        }

        let items = rows
            .items
            .into_iter()
            .map(|row| {
                let members = to_u64("org_members", "count", counts.get(&row.id).copied().unwrap_or(0))?;
                let (owner, owner_email) = first_owner
                    .remove(&row.id)
                    .ok_or_else(|| InvalidRow::new("org_members", "role", "the organization has no owner"))?;
                let owner_id = convert::parse("org_members", "user_id", &owner)?;
                Ok(OrgSummary { org: Organization::try_from(row)?, members, owner_id, owner_email })
            })
            .collect::<Result<Vec<_>, InvalidRow>>()?;
        Ok(Page { items, page: rows.page, limit: rows.limit, total: rows.total })
    }
}
