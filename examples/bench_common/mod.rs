//! Set-up the benchmarks share: the ports over a migrated database and a local store, and a
//! user on a chosen plan. Each benchmark uses part of it.
#![allow(dead_code, reason = "each benchmark uses part of this module")]

use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use tseeder_core::auth::Principal;
use tseeder_core::domain::{Role, Scope, User};
use tseeder_core::ports::SystemClock;
use tseeder_core::services::job::{SubmitJob, SubmitSource};
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

/// [`user_on_plan`], then `count` of their magnet jobs queued (nothing downloads them without an
/// engine) and an API key of theirs with `scopes`, made from a login session as a person would.
pub(crate) async fn user_with_key(
    core: &Tseeder,
    email: &str,
    plan: &str,
    count: u32,
    scopes: Vec<Scope>,
) -> anyhow::Result<String> {
    let meta = RequestMeta::default();
    user_on_plan(core, email, plan).await?;
    let login = core.accounts.login(email, PASSWORD, &meta).await?;
    let me = core.accounts.authenticate_session(&login.session_token).await?;
    for i in 0..count {
        core.jobs.submit(&me, magnet_job(u128::from(i) + 1, i), &meta).await?;
    }
    Ok(core.accounts.create_api_key(&me, "bench", scopes, None, &meta).await?.secret)
}

/// A submission of a magnet link with infohash `infohash` (as 40 hex digits), named `bench-<n>`.
pub(crate) fn magnet_job(infohash: u128, n: u32) -> SubmitJob {
    SubmitJob {
        source: SubmitSource::Magnet(format!("magnet:?xt=urn:btih:{infohash:040x}&dn=bench-{n}")),
        name: None,
        idempotency_key: None,
        files: None,
        region_hint: None,
    }
}

/// Starts an HTTP server (the API, with the default settings) over `core` on a free loopback
/// port; returns its base URL.
pub(crate) async fn serve(core: Tseeder) -> anyhow::Result<String> {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let base = format!("http://{}", listener.local_addr()?);
    let state = tseeder_http::AppState::new(core, tseeder_http::HttpConfig::default());
    tokio::spawn(async move {
        let _ = tseeder_http::serve(listener, state, std::future::pending()).await;
    });
    Ok(base)
}

/// p50 and p99 of `samples`, in milliseconds.
pub(crate) fn percentiles(samples: &mut [Duration]) -> (f64, f64) {
    samples.sort_unstable();
    let at = |q: f64| samples[((samples.len() - 1) as f64 * q).round() as usize].as_secs_f64() * 1000.0;
    (at(0.50), at(0.99))
}
