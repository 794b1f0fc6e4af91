//! [`SeaOrmAccountRepository`]: users (with their personal organization), sessions, password
//! resets, email verifications and API keys.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Expr, ExprTrait, Func, LikeExpr};
use sea_orm::{ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder};
use tseeder_core::domain::{
    ApiKey, ApiKeyId, EmailVerification, NewUser, OrgRole, Organization, Page, PageRequest, PasswordReset, RegionCode,
    Role, Session, SessionId, User, UserId,
};
use tseeder_core::error::RepoError;
use tseeder_core::ports::AccountRepository;

use super::{begin_write, contains_pattern, fetch_page, try_map_page};
use crate::convert::{self, db_time};
use crate::entity::{api_keys, email_verifications, password_resets, sessions, users};
use crate::error::{InvalidRow, repo_err};

/// [`AccountRepository`] over sea-orm (SQLite or PostgreSQL).
///
/// Emails are compared exactly: the core lowercases them before they get here, and the unique
/// index on `users.email` enforces one account per address.
#[derive(Debug, Clone)]
pub struct SeaOrmAccountRepository {
    db: DatabaseConnection,
}

impl SeaOrmAccountRepository {
    /// An adapter over a migrated database.
    pub fn new(db: DatabaseConnection) -> Self {
        Self { db }
    }
}

/// A joined row whose user is missing: impossible with the foreign keys on, so it is corrupt data.
fn missing_user(table: &'static str) -> InvalidRow {
    InvalidRow::new(table, "user_id", "the user does not exist")
}

#[async_trait]
impl AccountRepository for SeaOrmAccountRepository {
    async fn insert_user(&self, user: &NewUser) -> Result<User, RepoError> {
        let tx = begin_write(&self.db).await.map_err(repo_err)?;
        let row = convert::new_user_model(user).insert(&tx).await.map_err(repo_err)?;
        convert::plan_assignment_model(user.id, &user.plan_id, user.created_at, None)
            .insert(&tx)
            .await
            .map_err(repo_err)?;
        // The personal organization: the user's id, owned by the user since registration.
        convert::personal_org_model(user.id, user.created_at).insert(&tx).await.map_err(repo_err)?;
        convert::org_member_model(Organization::personal_id(user.id), user.id, OrgRole::Owner, user.created_at)
            .insert(&tx)
            .await
            .map_err(repo_err)?;
        tx.commit().await.map_err(repo_err)?;
        Ok(User::try_from(row)?)
    }

    async fn get_user(&self, id: UserId) -> Result<User, RepoError> {
        let row = users::Entity::find_by_id(id.to_string()).one(&self.db).await.map_err(repo_err)?;
        Ok(User::try_from(row.ok_or(RepoError::NotFound)?)?)
    }

    async fn find_user_by_email(&self, email: &str) -> Result<Option<(User, String)>, RepoError> {
        let row = users::Entity::find().filter(users::Column::Email.eq(email)).one(&self.db).await.map_err(repo_err)?;
        Ok(row.map(convert::user_with_hash).transpose()?)
    }

    async fn list_users(&self, email_contains: Option<&str>, page: PageRequest) -> Result<Page<User>, RepoError> {
        let mut select = users::Entity::find();
        if let Some(needle) = email_contains.filter(|s| !s.is_empty()) {
            // Emails are stored lowercased; lowercasing the needle keeps the match
            // case-insensitive on both backends (SQLite's LIKE ignores ASCII case, PostgreSQL's
            // does not).
            let pattern = contains_pattern(needle);
            select = select.filter(Expr::col(users::Column::Email).like(LikeExpr::new(pattern).escape('\\')));
        }
        let select = select.order_by_asc(users::Column::CreatedAt).order_by_asc(users::Column::Id);
        let rows = fetch_page(&self.db, select, page).await.map_err(repo_err)?;
        try_map_page(rows)
    }

    async fn set_user_role(&self, id: UserId, role: Role) -> Result<(), RepoError> {
        let result = users::Entity::update_many()
            .col_expr(users::Column::Role, Expr::val(role.as_str()))
            .filter(users::Column::Id.eq(id.to_string()))
            .exec(&self.db)
            .await
            .map_err(repo_err)?;
        if result.rows_affected == 0 {
            return Err(RepoError::NotFound);
        }
        Ok(())
    }

    async fn set_user_default_region(&self, id: UserId, region: Option<&RegionCode>) -> Result<(), RepoError> {
        let result = users::Entity::update_many()
            .col_expr(users::Column::DefaultRegion, Expr::val(region.map(|r| r.as_str().to_owned())))
            .filter(users::Column::Id.eq(id.to_string()))
            .exec(&self.db)
            .await
            .map_err(repo_err)?;
        if result.rows_affected == 0 {
            return Err(RepoError::NotFound);
        }
        Ok(())
    }

    async fn set_user_suspended(&self, id: UserId, suspended: bool) -> Result<u64, RepoError> {
        let tx = begin_write(&self.db).await.map_err(repo_err)?;
        let result = users::Entity::update_many()
            .col_expr(users::Column::Suspended, Expr::val(suspended))
            .filter(users::Column::Id.eq(id.to_string()))
            .exec(&tx)
            .await
            .map_err(repo_err)?;
        if result.rows_affected == 0 {
            return Err(RepoError::NotFound);
        }
        let deleted = if suspended {
            sessions::Entity::delete_many()
                .filter(sessions::Column::UserId.eq(id.to_string()))
                .exec(&tx)
                .await
                .map_err(repo_err)?
                .rows_affected
        } else {
            0
        };
        tx.commit().await.map_err(repo_err)?;
        Ok(deleted)
    }

    async fn delete_user_sessions(&self, id: UserId) -> Result<u64, RepoError> {
        let result = sessions::Entity::delete_many()
            .filter(sessions::Column::UserId.eq(id.to_string()))
            .exec(&self.db)
            .await
            .map_err(repo_err)?;
        Ok(result.rows_affected)
    }

    async fn list_sessions(&self, user: UserId, now: DateTime<Utc>) -> Result<Vec<Session>, RepoError> {
        let rows = sessions::Entity::find()
            .filter(sessions::Column::UserId.eq(user.to_string()))
            .filter(sessions::Column::ExpiresAt.gt(db_time(now)))
            .order_by_desc(sessions::Column::CreatedAt)
            .order_by_desc(sessions::Column::Id)
            .all(&self.db)
            .await
            .map_err(repo_err)?;
        Ok(rows.into_iter().map(Session::try_from).collect::<Result<_, _>>()?)
    }

    async fn delete_user_session(&self, user: UserId, id: SessionId) -> Result<(), RepoError> {
        let result = sessions::Entity::delete_many()
            .filter(sessions::Column::Id.eq(id.to_string()))
            .filter(sessions::Column::UserId.eq(user.to_string()))
            .exec(&self.db)
            .await
            .map_err(repo_err)?;
        if result.rows_affected == 0 {
            return Err(RepoError::NotFound);
        }
        Ok(())
    }

    async fn set_password_hash(
        &self,
        id: UserId,
        password_hash: &str,
        keep: Option<SessionId>,
    ) -> Result<u64, RepoError> {
        let tx = begin_write(&self.db).await.map_err(repo_err)?;
        let result = users::Entity::update_many()
            .col_expr(users::Column::PasswordHash, Expr::val(password_hash))
            .filter(users::Column::Id.eq(id.to_string()))
            .exec(&tx)
            .await
            .map_err(repo_err)?;
        if result.rows_affected == 0 {
            return Err(RepoError::NotFound);
        }
        let mut others = sessions::Entity::delete_many().filter(sessions::Column::UserId.eq(id.to_string()));
        if let Some(keep) = keep {
            others = others.filter(sessions::Column::Id.ne(keep.to_string()));
        }
        let deleted = others.exec(&tx).await.map_err(repo_err)?.rows_affected;
        tx.commit().await.map_err(repo_err)?;
        Ok(deleted)
    }

    async fn insert_password_reset(&self, reset: &PasswordReset) -> Result<(), RepoError> {
        password_resets::Entity::insert(convert::password_reset_model(reset))
            .exec_without_returning(&self.db)
            .await
            .map_err(repo_err)?;
        Ok(())
    }

    async fn reset_password(
        &self,
        token_hash: &str,
        password_hash: &str,
        now: DateTime<Utc>,
    ) -> Result<(UserId, u64), RepoError> {
        let now = db_time(now);
        let tx = begin_write(&self.db).await.map_err(repo_err)?;
        // Every early return drops `tx`, which rolls it back: a refused reset changes nothing.
        let row = password_resets::Entity::find()
            .filter(password_resets::Column::TokenHash.eq(token_hash))
            .filter(password_resets::Column::UsedAt.is_null())
            .filter(password_resets::Column::ExpiresAt.gt(now))
            .one(&tx)
            .await
            .map_err(repo_err)?;
        let Some(row) = row else { return Err(RepoError::NotFound) };
        let user = PasswordReset::try_from(row)?.user_id;
        // The user's row is written first: two resets of one user (two links used at once) then
        // queue on it instead of each locking its own token and waiting for the other's.
        let updated = users::Entity::update_many()
            .col_expr(users::Column::PasswordHash, Expr::val(password_hash))
            .filter(users::Column::Id.eq(user.to_string()))
            .exec(&tx)
            .await
            .map_err(repo_err)?;
        if updated.rows_affected == 0 {
            return Err(missing_user("password_resets").into());
        }
        // The take is a compare-and-set: of two resets racing with one token, only the first to
        // write finds it unused (PostgreSQL re-checks the condition after waiting for the row
        // lock; SQLite's write transactions run one at a time).
        let taken = password_resets::Entity::update_many()
            .col_expr(password_resets::Column::UsedAt, Expr::val(now))
            .filter(password_resets::Column::TokenHash.eq(token_hash))
            .filter(password_resets::Column::UsedAt.is_null())
            .filter(password_resets::Column::ExpiresAt.gt(now))
            .exec(&tx)
            .await
            .map_err(repo_err)?;
        if taken.rows_affected != 1 {
            return Err(RepoError::NotFound);
        }
        // Every other unused reset of the user is spent with it.
        password_resets::Entity::update_many()
            .col_expr(password_resets::Column::UsedAt, Expr::val(now))
            .filter(password_resets::Column::UserId.eq(user.to_string()))
            .filter(password_resets::Column::UsedAt.is_null())
            .exec(&tx)
            .await
            .map_err(repo_err)?;
        let deleted = sessions::Entity::delete_many()
            .filter(sessions::Column::UserId.eq(user.to_string()))
            .exec(&tx)
            .await
            .map_err(repo_err)?
            .rows_affected;
        tx.commit().await.map_err(repo_err)?;
        Ok((user, deleted))
    }

    async fn insert_email_verification(&self, verification: &EmailVerification) -> Result<(), RepoError> {
        email_verifications::Entity::insert(convert::email_verification_model(verification))
            .exec_without_returning(&self.db)
            .await
            .map_err(repo_err)?;
        Ok(())
    }

    async fn verify_email(&self, token_hash: &str, now: DateTime<Utc>) -> Result<UserId, RepoError> {
        let now = db_time(now);
        let tx = begin_write(&self.db).await.map_err(repo_err)?;
        // Every early return drops `tx`, which rolls it back: a refused verification changes
        // nothing.
        let row = email_verifications::Entity::find()
            .filter(email_verifications::Column::TokenHash.eq(token_hash))
            .filter(email_verifications::Column::UsedAt.is_null())
            .filter(email_verifications::Column::ExpiresAt.gt(now))
            .one(&tx)
            .await
            .map_err(repo_err)?;
        let Some(row) = row else { return Err(RepoError::NotFound) };
        let verification = EmailVerification::try_from(row)?;
        let user = verification.user_id;
        // The user's row is written first (as in `reset_password`), and only while the account
        // still has the verified address; a time already set is kept.
        let verified_at = Func::coalesce([Expr::col(users::Column::EmailVerifiedAt), Expr::val(now)]);
        let updated = users::Entity::update_many()
            .col_expr(users::Column::EmailVerifiedAt, Expr::expr(verified_at))
            .filter(users::Column::Id.eq(user.to_string()))
            .filter(users::Column::Email.eq(verification.email.as_str()))
            .exec(&tx)
            .await
            .map_err(repo_err)?;
        if updated.rows_affected == 0 {
            return Err(RepoError::NotFound);
        }
        // The take is a compare-and-set, as in `reset_password`.
        let taken = email_verifications::Entity::update_many()
            .col_expr(email_verifications::Column::UsedAt, Expr::val(now))
            .filter(email_verifications::Column::TokenHash.eq(token_hash))
            .filter(email_verifications::Column::UsedAt.is_null())
            .filter(email_verifications::Column::ExpiresAt.gt(now))
            .exec(&tx)
            .await
            .map_err(repo_err)?;
        if taken.rows_affected != 1 {
            return Err(RepoError::NotFound);
        }
        // Every other unused link of the user is spent with it.
        email_verifications::Entity::update_many()
            .col_expr(email_verifications::Column::UsedAt, Expr::val(now))
            .filter(email_verifications::Column::UserId.eq(user.to_string()))
            .filter(email_verifications::Column::UsedAt.is_null())
            .exec(&tx)
            .await
            .map_err(repo_err)?;
        tx.commit().await.map_err(repo_err)?;
        Ok(user)
    }

    async fn insert_session(&self, session: &Session) -> Result<(), RepoError> {
        sessions::Entity::insert(convert::session_model(session))
            .exec_without_returning(&self.db)
            .await
            .map_err(repo_err)?;
        Ok(())
    }

    async fn find_session(&self, token_hash: &str, now: DateTime<Utc>) -> Result<Option<(Session, User)>, RepoError> {
        let row = sessions::Entity::find()
            .find_also_related(users::Entity)
            .filter(sessions::Column::TokenHash.eq(token_hash))
            .filter(sessions::Column::ExpiresAt.gt(db_time(now)))
            .one(&self.db)
            .await
            .map_err(repo_err)?;
        let Some((session, user)) = row else { return Ok(None) };
        let user = user.ok_or_else(|| missing_user("sessions"))?;
        Ok(Some((Session::try_from(session)?, User::try_from(user)?)))
    }

    async fn delete_session(&self, id: SessionId) -> Result<(), RepoError> {
        sessions::Entity::delete_by_id(id.to_string()).exec(&self.db).await.map_err(repo_err)?;
        Ok(())
    }

    async fn insert_api_key(&self, key: &ApiKey) -> Result<(), RepoError> {
        api_keys::Entity::insert(convert::api_key_model(key))
            .exec_without_returning(&self.db)
            .await
            .map_err(repo_err)?;
        Ok(())
    }

    async fn list_api_keys(&self, user: UserId) -> Result<Vec<ApiKey>, RepoError> {
        let rows = api_keys::Entity::find()
            .filter(api_keys::Column::UserId.eq(user.to_string()))
            .filter(api_keys::Column::RevokedAt.is_null())
            .order_by_desc(api_keys::Column::CreatedAt)
            .order_by_desc(api_keys::Column::Id)
            .all(&self.db)
            .await
            .map_err(repo_err)?;
        Ok(rows.into_iter().map(ApiKey::try_from).collect::<Result<_, _>>()?)
    }

    async fn revoke_api_key(&self, user: UserId, id: ApiKeyId, now: DateTime<Utc>) -> Result<(), RepoError> {
        let result = api_keys::Entity::update_many()
            .col_expr(api_keys::Column::RevokedAt, Expr::val(db_time(now)))
            .filter(api_keys::Column::Id.eq(id.to_string()))
            .filter(api_keys::Column::UserId.eq(user.to_string()))
            .filter(api_keys::Column::RevokedAt.is_null())
            .exec(&self.db)
            .await
            .map_err(repo_err)?;
        if result.rows_affected == 0 {
            return Err(RepoError::NotFound);
        }
        Ok(())
    }

    async fn find_api_key(&self, key_hash: &str) -> Result<Option<(ApiKey, User)>, RepoError> {
        let row = api_keys::Entity::find()
            .find_also_related(users::Entity)
            .filter(api_keys::Column::KeyHash.eq(key_hash))
            .one(&self.db)
            .await
            .map_err(repo_err)?;
        let Some((key, user)) = row else { return Ok(None) };
        let user = user.ok_or_else(|| missing_user("api_keys"))?;
        Ok(Some((ApiKey::try_from(key)?, User::try_from(user)?)))
    }

    async fn touch_api_key(&self, id: ApiKeyId, now: DateTime<Utc>) -> Result<(), RepoError> {
        let now = db_time(now);
        // Forward only: a use older than the stored one (a late flush) changes nothing.
        let result = api_keys::Entity::update_many()
            .col_expr(api_keys::Column::LastUsedAt, Expr::val(now))
            .filter(api_keys::Column::Id.eq(id.to_string()))
            .filter(api_keys::Column::LastUsedAt.is_null().or(api_keys::Column::LastUsedAt.lt(now)))
            .exec(&self.db)
            .await
            .map_err(repo_err)?;
        if result.rows_affected == 0
            && api_keys::Entity::find_by_id(id.to_string()).one(&self.db).await.map_err(repo_err)?.is_none()
        {
            return Err(RepoError::NotFound);
        }
        Ok(())
    }
}
