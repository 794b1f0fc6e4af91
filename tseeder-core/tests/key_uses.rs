//! An API key's last use, kept in memory between writes: a read request writes nothing when the
//! stored time is less than [`LAST_USE_PRECISION`] old, the flush writes the latest use, and the
//! stored time is never more than that stale or moved back.

#![allow(clippy::unwrap_used, reason = "tests: a panic is a test failure")]

use std::sync::Arc;

use chrono::{DateTime, Duration, Utc};
use tseeder_core::auth::{Credential, Principal};
use tseeder_core::domain::{ApiKey, Role, Scope, SessionId};
use tseeder_core::ports::AccountRepository;
use tseeder_core::services::account::LAST_USE_PRECISION;
use tseeder_core::services::{CoreConfig, RequestMeta, Tseeder};
use tseeder_core::testing::{InMemoryDb, ManualClock};

fn start() -> DateTime<Utc> {
    "2026-12-06T12:00:00Z".parse().unwrap()
}

async fn stored(db: &InMemoryDb, secret: &str) -> ApiKey {
    let hash = tseeder_core::services::account::hash_token(secret);
    db.accounts().find_api_key(&hash).await.unwrap().unwrap().0
}

#[tokio::test]
async fn key_uses_are_written_at_most_once_a_minute_and_flushed_with_the_latest() {
    let db = InMemoryDb::new();
    let clock = Arc::new(ManualClock::new(start()));
    let core = Tseeder::new(db.ports(Arc::<ManualClock>::clone(&clock)), CoreConfig::default());
    let user = core.accounts.create_user("keys@example.com", "a long password 1", Role::User).await.unwrap();
    let session = Principal::new(&user, Credential::Session(SessionId::new()));
    let created = core
        .accounts
        .create_api_key(&session, "ci", vec![Scope::JobsRead], None, &RequestMeta::default())
        .await
        .unwrap();
    let secret = created.secret;

    // The first use is written at once.
    core.accounts.authenticate_api_key(&secret).await.unwrap();
    assert_eq!(stored(&db, &secret).await.last_used_at, Some(start()));

    // Uses within the minute wait in memory; the flush writes the latest one.
    clock.advance(Duration::seconds(20));
    core.accounts.authenticate_api_key(&secret).await.unwrap();
    clock.advance(Duration::seconds(20));
    core.accounts.authenticate_api_key(&secret).await.unwrap();
    assert_eq!(stored(&db, &secret).await.last_used_at, Some(start()), "nothing written per request");
    assert_eq!(core.accounts.flush_key_uses().await, 1);
    assert_eq!(stored(&db, &secret).await.last_used_at, Some(start() + Duration::seconds(40)));
    assert_eq!(core.accounts.flush_key_uses().await, 0, "nothing left to write");

    // A use a minute after the stored one is written at once again.
    clock.advance(LAST_USE_PRECISION);
    core.accounts.authenticate_api_key(&secret).await.unwrap();
    let now = start() + Duration::seconds(40) + LAST_USE_PRECISION;
    assert_eq!(stored(&db, &secret).await.last_used_at, Some(now));

    // A key revoked with a use still pending: the flush records it, and the key stays refused.
    clock.advance(Duration::seconds(5));
    core.accounts.authenticate_api_key(&secret).await.unwrap();
    core.ports.accounts.revoke_api_key(user.id, created.key.id, clock_now(&clock)).await.unwrap();
    core.accounts.flush_key_uses().await;
    assert!(core.accounts.authenticate_api_key(&secret).await.is_err(), "revoked keys stay refused");
}

fn clock_now(clock: &ManualClock) -> DateTime<Utc> {
    tseeder_core::ports::Clock::now(clock)
}
