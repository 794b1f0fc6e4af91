//! The suite of the [`ConfigRepository`], and of the [`AccountRepository`] calls operators use
//! (suspension, forced logout, the session list), that end sessions (password changes and
//! resets) or that verify email addresses.

use serde_json::json;

use super::{audit, new_user, secs, t0};
use crate::domain::{
    ConfigChange, ConfigWrite, EmailVerification, FeatureFlag, NewUser, PageRequest, PasswordReset, PlanLimit, Session,
    SessionId, UserId,
};
use crate::error::RepoError;
use crate::ports::{AccountRepository, AuditFilter, AuditLog, ConfigRepository, PlanRepository};

fn change(key: &str, old: serde_json::Value, new: serde_json::Value, at: i64) -> ConfigChange {
    ConfigChange {
        id: uuid::Uuid::new_v4(),
        key: key.to_owned(),
        old_value: old,
        new_value: new,
        changed_by: None,
        reason: format!("because {key}"),
        ticket: (at % 2 == 0).then(|| format!("OPS-{at}")),
        created_at: t0() + secs(at),
    }
}

/// Runs every [`ConfigRepository`] behaviour test over a database with the built-in plans and
/// no flag set: flags are stored with their history and audit entry; plan limits are written
/// in place; history lists newest first, by key, with true totals; a failed change stores
/// nothing.
pub async fn config(
    accounts: &dyn AccountRepository,
    config: &dyn ConfigRepository,
    plans: &dyn PlanRepository,
    audit_log: &dyn AuditLog,
) {
    // A fresh database may hold flags seeded at their defaults, and nothing else.
    for stored in config.list_flags().await.unwrap() {
        assert_eq!(stored.enabled, stored.flag.default_on(), "{} seeded at its default", stored.flag);
    }
    assert_ne!(config.get_flag(FeatureFlag::MagnetLinks).await.unwrap(), Some(false));

    let actor = accounts.insert_user(&new_user("config@example.com")).await.unwrap().id;
    let mut first = change("magnet_links", json!(true), json!(false), 0);
    first.changed_by = Some(actor);
    let write = ConfigWrite::Flag { flag: FeatureFlag::MagnetLinks, enabled: false };
    config.apply_config(&write, &first, &audit("config.changed")).await.unwrap();
    assert_eq!(config.get_flag(FeatureFlag::MagnetLinks).await.unwrap(), Some(false));
    let flags = config.list_flags().await.unwrap();
    let magnets = flags.iter().find(|f| f.flag == FeatureFlag::MagnetLinks).unwrap();
    assert_eq!((magnets.enabled, magnets.updated_by, magnets.updated_at), (false, Some(actor), t0()));

    // A second flag and a second change of the first; the list follows FeatureFlag::ALL.
    let second = change("registration_open", json!(true), json!(false), 1);
    let on = ConfigWrite::Flag { flag: FeatureFlag::RegistrationOpen, enabled: false };
    config.apply_config(&on, &second, &audit("config.changed")).await.unwrap();
    let third = change("magnet_links", json!(false), json!(true), 2);
    let back = ConfigWrite::Flag { flag: FeatureFlag::MagnetLinks, enabled: true };
    config.apply_config(&back, &third, &audit("config.changed")).await.unwrap();
    let order: Vec<FeatureFlag> = config.list_flags().await.unwrap().iter().map(|f| f.flag).collect();
    assert!(order.is_sorted(), "in FeatureFlag::ALL order: {order:?}");
    assert!(order.contains(&FeatureFlag::RegistrationOpen) && order.contains(&FeatureFlag::MagnetLinks));
    assert_eq!(config.get_flag(FeatureFlag::RegistrationOpen).await.unwrap(), Some(false));
    assert_eq!(config.get_flag(FeatureFlag::MagnetLinks).await.unwrap(), Some(true));

    // A plan limit is written in place.
    let mut free = plans.get_plan("free").await.unwrap();
    free.max_jobs = PlanLimit::Max(7);
    free.retention_days = PlanLimit::Unlimited;
    let fourth = change("plans.free.max_jobs", json!(2), json!(7), 3);
    config.apply_config(&ConfigWrite::Plan(free.clone()), &fourth, &audit("config.changed")).await.unwrap();
    assert_eq!(plans.get_plan("free").await.unwrap(), free);

    // Unknown plan, reused id: refused, nothing stored.
    let mut ghost = free.clone();
    ghost.id = "platinum".into();
    let refused = change("plans.platinum.max_jobs", json!(null), json!(1), 4);
    assert!(matches!(
        config.apply_config(&ConfigWrite::Plan(ghost), &refused, &audit("config.refused")).await,
        Err(RepoError::NotFound)
    ));
    assert!(matches!(config.apply_config(&write, &first, &audit("config.refused")).await, Err(RepoError::Conflict(_))));
    assert_eq!(config.get_flag(FeatureFlag::MagnetLinks).await.unwrap(), Some(true), "the refused write left nothing");
    let refused_audit = AuditFilter { action: Some("config.refused".into()), ..AuditFilter::default() };
    assert_eq!(audit_log.list_audit(&refused_audit, PageRequest::default()).await.unwrap().total, 0);
    let changed = AuditFilter { action: Some("config.changed".into()), ..AuditFilter::default() };
    assert_eq!(audit_log.list_audit(&changed, PageRequest::default()).await.unwrap().total, 4);

    // History: newest first, values and tickets round-trip, filter by key, true totals.
    let all = config.config_history(None, PageRequest::default()).await.unwrap();
    assert_eq!(all.total, 4);
    assert_eq!(all.items, vec![fourth.clone(), third.clone(), second.clone(), first.clone()]);
    let page = config.config_history(None, PageRequest::new(2, 3)).await.unwrap();
    assert_eq!((page.total, page.items), (4, vec![first.clone()]));
    let magnets = config.config_history(Some("magnet_links"), PageRequest::new(1, 1)).await.unwrap();
    assert_eq!((magnets.total, magnets.items), (2, vec![third.clone()]));
    assert_eq!(config.config_history(Some("nope"), PageRequest::default()).await.unwrap().total, 0);

    // Changes at the same time are both listed (in either order).
    let (a, b) = (
        change("maintenance_mode", json!(false), json!(true), 9),
        change("maintenance_mode", json!(true), json!(false), 9),
    );
    for c in [&a, &b] {
        let w = ConfigWrite::Flag { flag: FeatureFlag::MaintenanceMode, enabled: c.new_value == json!(true) };
        config.apply_config(&w, c, &audit("config.changed")).await.unwrap();
    }
    let tied = config.config_history(Some("maintenance_mode"), PageRequest::default()).await.unwrap();
    assert_eq!(tied.total, 2);
    assert!(tied.items.contains(&a) && tied.items.contains(&b));
    assert_eq!(config.get_flag(FeatureFlag::MaintenanceMode).await.unwrap(), Some(false));
}

/// Runs the behaviour tests of suspension, forced logout, the session list, password changes,
/// password resets and email verification. The suite uses its own users, so it may share the
/// database.
pub async fn account_admin(accounts: &dyn AccountRepository) {
    let user = accounts.insert_user(&new_user("suspend@example.com")).await.unwrap().id;
    let other = accounts.insert_user(&new_user("bystander@example.com")).await.unwrap().id;
    let session = |user: UserId, n: i64, expires: i64| Session {
        id: SessionId::new(),
        user_id: user,
        token_hash: format!("{:064x}", uuid::Uuid::new_v4().as_u128()),
        ip: None,
        user_agent: Some(format!("agent {n}")),
        created_at: t0() + secs(n),
        expires_at: t0() + secs(expires),
    };
    let (old, new, expired, theirs) =
        (session(user, 1, 1000), session(user, 2, 1000), session(user, 0, 5), session(other, 1, 1000));
    for s in [&old, &new, &expired, &theirs] {
        accounts.insert_session(s).await.unwrap();
    }
    let listed = accounts.list_sessions(user, t0() + secs(10)).await.unwrap();
    assert_eq!(listed, vec![new.clone(), old.clone()], "live ones, newest first");

    assert_eq!(accounts.delete_user_sessions(user).await.unwrap(), 3);
    assert!(accounts.list_sessions(user, t0()).await.unwrap().is_empty());
    assert_eq!(accounts.delete_user_sessions(UserId::new()).await.unwrap(), 0);
    assert_eq!(accounts.list_sessions(other, t0()).await.unwrap(), vec![theirs.clone()], "others' kept");

    accounts.insert_session(&session(user, 3, 1000)).await.unwrap();
    assert_eq!(accounts.set_user_suspended(user, true).await.unwrap(), 1);
    assert!(accounts.get_user(user).await.unwrap().suspended);
    assert!(accounts.list_sessions(user, t0()).await.unwrap().is_empty());
    assert!(!accounts.get_user(other).await.unwrap().suspended);
    assert_eq!(accounts.list_sessions(other, t0()).await.unwrap().len(), 1);
    assert_eq!(accounts.set_user_suspended(user, false).await.unwrap(), 0);
    assert!(!accounts.get_user(user).await.unwrap().suspended);
    assert!(matches!(accounts.set_user_suspended(UserId::new(), true).await, Err(RepoError::NotFound)));

    // Revoking one device: only the owner's own session goes.
    let (mine, kept) = (session(user, 4, 1000), session(user, 5, 1000));
    for s in [&mine, &kept] {
        accounts.insert_session(s).await.unwrap();
    }
    assert!(matches!(accounts.delete_user_session(other, mine.id).await, Err(RepoError::NotFound)));
    accounts.delete_user_session(user, mine.id).await.unwrap();
    assert!(matches!(accounts.delete_user_session(user, mine.id).await, Err(RepoError::NotFound)));
    assert_eq!(accounts.list_sessions(user, t0()).await.unwrap(), vec![kept.clone()]);

    // A new password ends every session but the one kept, and nobody else's.
    let third = session(user, 6, 1000);
    accounts.insert_session(&third).await.unwrap();
    assert_eq!(accounts.set_password_hash(user, "$argon2id$new", Some(kept.id)).await.unwrap(), 1);
    assert_eq!(accounts.list_sessions(user, t0()).await.unwrap(), vec![kept.clone()]);
    let (_, hash) = accounts.find_user_by_email("suspend@example.com").await.unwrap().unwrap();
    assert_eq!(hash, "$argon2id$new");
    assert_eq!(accounts.list_sessions(other, t0()).await.unwrap().len(), 1, "others' kept");
    assert_eq!(accounts.set_password_hash(user, "$argon2id$newer", None).await.unwrap(), 1);
    assert!(accounts.list_sessions(user, t0()).await.unwrap().is_empty());
    assert!(matches!(accounts.set_password_hash(UserId::new(), "x", None).await, Err(RepoError::NotFound)));

    password_resets(accounts).await;
    email_verifications(accounts).await;
}

/// A reset works once, before it expires, for its own user only; using it spends the user's
/// other resets and ends every session of theirs. Emails are unique per run.
async fn password_resets(accounts: &dyn AccountRepository) {
    let run = uuid::Uuid::new_v4().simple();
    let (email_a, email_b) = (format!("reset-a-{run}@example.com"), format!("reset-b-{run}@example.com"));
    let a = accounts.insert_user(&new_user(&email_a)).await.unwrap().id;
    let b = accounts.insert_user(&new_user(&email_b)).await.unwrap().id;
    let (_, original) = accounts.find_user_by_email(&email_a).await.unwrap().unwrap();
    let token = || format!("{:064x}", uuid::Uuid::new_v4().as_u128());
    let session = |user: UserId, n: i64| Session {
        id: SessionId::new(),
        user_id: user,
        token_hash: token(),
        ip: None,
        user_agent: Some(format!("agent {n}")),
        created_at: t0() + secs(n),
        expires_at: t0() + secs(1000),
    };
    let reset = |user: UserId, expires: i64| PasswordReset {
        token_hash: token(),
        user_id: user,
        created_at: t0(),
        expires_at: t0() + secs(expires),
    };
    let now = t0() + secs(100);
    let (a1, a2, b1) = (session(a, 1), session(a, 2), session(b, 3));
    for s in [&a1, &a2, &b1] {
        accounts.insert_session(s).await.unwrap();
    }
    // `expired` expires exactly at `now`, which is too late.
    let (first, second, expired, theirs) = (reset(a, 1000), reset(a, 1000), reset(a, 100), reset(b, 1000));
    for r in [&first, &second, &expired, &theirs] {
        accounts.insert_password_reset(r).await.unwrap();
    }

    // Expired or unknown: refused, and nothing changes.
    assert!(matches!(
        accounts.reset_password(&expired.token_hash, "$argon2id$expired", now).await,
        Err(RepoError::NotFound)
    ));
    assert!(matches!(accounts.reset_password(&token(), "$argon2id$unknown", now).await, Err(RepoError::NotFound)));
    let (_, hash) = accounts.find_user_by_email(&email_a).await.unwrap().unwrap();
    assert_eq!(hash, original, "a refused reset keeps the password");
    assert_eq!(accounts.list_sessions(a, now).await.unwrap().len(), 2, "a refused reset keeps the sessions");

    // The right token before expiry: the new hash, every session of the user ended.
    assert_eq!(accounts.reset_password(&first.token_hash, "$argon2id$reset", now).await.unwrap(), (a, 2));
    let (_, hash) = accounts.find_user_by_email(&email_a).await.unwrap().unwrap();
    assert_eq!(hash, "$argon2id$reset");
    for s in [&a1, &a2] {
        assert!(accounts.find_session(&s.token_hash, now).await.unwrap().is_none(), "the user's sessions ended");
    }
    let (found, _) = accounts.find_session(&b1.token_hash, now).await.unwrap().unwrap();
    assert_eq!(found.id, b1.id, "another user's session survives");

    // Single use, and the user's other unused reset was spent with it.
    for r in [&first, &second] {
        assert!(matches!(
            accounts.reset_password(&r.token_hash, "$argon2id$again", now).await,
            Err(RepoError::NotFound)
        ));
    }
    let (_, hash) = accounts.find_user_by_email(&email_a).await.unwrap().unwrap();
    assert_eq!(hash, "$argon2id$reset", "a spent reset changes nothing");

    // The other user's reset still works, and only for them.
    assert_eq!(accounts.reset_password(&theirs.token_hash, "$argon2id$theirs", now).await.unwrap(), (b, 1));
    let (_, hash) = accounts.find_user_by_email(&email_b).await.unwrap().unwrap();
    assert_eq!(hash, "$argon2id$theirs");
    let (_, hash) = accounts.find_user_by_email(&email_a).await.unwrap().unwrap();
    assert_eq!(hash, "$argon2id$reset", "another user's reset leaves the password alone");
}

/// A verification works once, before it expires, while its address is still the account's; using
/// it verifies the address (keeping an earlier verification time) and spends the user's other
/// links. Accounts made verified are verified at their creation. Emails are unique per run.
async fn email_verifications(accounts: &dyn AccountRepository) {
    let run = uuid::Uuid::new_v4().simple();
    let email = format!("verify-{run}@example.com");
    let user = accounts.insert_user(&new_user(&email)).await.unwrap();
    assert_eq!(user.email_verified_at, None, "registered accounts start unverified");
    let vouched = NewUser { email_verified: true, ..new_user(&format!("vouched-{run}@example.com")) };
    let vouched = accounts.insert_user(&vouched).await.unwrap();
    assert_eq!(vouched.email_verified_at, Some(t0()));
    assert_eq!(accounts.get_user(vouched.id).await.unwrap().email_verified_at, Some(t0()));

    let token = || format!("{:064x}", uuid::Uuid::new_v4().as_u128());
    let verification = |address: &str, expires: i64| EmailVerification {
        token_hash: token(),
        user_id: user.id,
        email: address.to_owned(),
        created_at: t0(),
        expires_at: t0() + secs(expires),
    };
    let now = t0() + secs(100);
    // `expired` expires exactly at `now`, which is too late; `old` is for another address.
    let (first, second, expired) = (verification(&email, 1000), verification(&email, 1000), verification(&email, 100));
    let old = verification(&format!("old-{run}@example.com"), 1000);
    for v in [&first, &second, &expired, &old] {
        accounts.insert_email_verification(v).await.unwrap();
    }

    // Expired, unknown or for another address: refused, and nothing changes.
    for refused in [&expired.token_hash, &token(), &old.token_hash] {
        assert!(matches!(accounts.verify_email(refused, now).await, Err(RepoError::NotFound)));
    }
    assert_eq!(accounts.get_user(user.id).await.unwrap().email_verified_at, None);

    // The right token before expiry verifies the address.
    assert_eq!(accounts.verify_email(&first.token_hash, now).await.unwrap(), user.id);
    assert_eq!(accounts.get_user(user.id).await.unwrap().email_verified_at, Some(now));
    assert_eq!(accounts.get_user(vouched.id).await.unwrap().email_verified_at, Some(t0()), "only that user");

    // Single use, and the user's other unused links were spent with it.
    for spent in [&first.token_hash, &second.token_hash] {
        assert!(matches!(accounts.verify_email(spent, now + secs(1)).await, Err(RepoError::NotFound)));
    }

    // A link sent later still works and keeps the first verification time.
    let again = verification(&email, 5000);
    accounts.insert_email_verification(&again).await.unwrap();
    assert_eq!(accounts.verify_email(&again.token_hash, now + secs(50)).await.unwrap(), user.id);
    assert_eq!(accounts.get_user(user.id).await.unwrap().email_verified_at, Some(now));
    assert!(matches!(accounts.verify_email(&again.token_hash, now + secs(60)).await, Err(RepoError::NotFound)));
}
