//! Set-up the benchmarks share: the ports over a migrated database and a local store, and a
//! user on a chosen plan. Each benchmark uses part of it.
#![allow(dead_code, reason = "each benchmark uses part of this module")]

use std::path::Path;
use std::sync::Arc;

use tseeder_core::auth::Principal;
use tseeder_core::domain::{Role, User};
use tseeder_core::ports::SystemClock;
use tseeder_core::services::{Justification, Ports, RequestMeta, Tseeder};

/// The password of [`user_on_plan`]'s users.
pub(crate) const PASSWORD: &str = "bench password 1";

/// Every port over `db` (migrated) and a local file store in `dir/files`, on the system clock.
pub(crate) async fn ports(db: sea_orm::DatabaseConnection, dir: &Path) -> anyhow::Result<Ports> {
    let config =
        tseeder_storage::FileStoreConfig { url: dir.join("files").display().to_string(), ..Default::default() };
    let store = tseeder_storage::file_store(&config).await.map_err(|e| anyhow::anyhow!("{e}"))?;
    Ok(tseeder_storage::ports(db, store, Arc::new(SystemClock)))
}

/// A new user `email` on `plan`, given by an admin made for it.
pub(crate) async fn user_on_plan(core: &Tseeder, email: &str, plan: &str) -> anyhow::Result<User> {
    let meta = RequestMeta::default();
    let user = core.accounts.create_user(email, PASSWORD, Role::User).await?;
    let ops = core.accounts.create_user(&format!("ops-{email}"), PASSWORD, Role::Admin).await?;
    let why = Justification { reason: "a benchmark's user", ticket: None };
    core.users.assign_plan(&Principal::internal(&ops), user.id, plan, why, &meta).await?;
    Ok(user)
}
