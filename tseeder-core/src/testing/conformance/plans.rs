//! The suite of the [`PlanRepository`] and the [`BlocklistRepository`].

use super::{new_user, secs, t0};
use crate::domain::{Infohash, PageRequest, UserId};
use crate::error::RepoError;
use crate::ports::{AccountRepository, BlocklistEntry, BlocklistRepository, PlanRepository};

/// Runs every [`PlanRepository`] behaviour test over the built-in plans (`free`, `pro`,
/// `business`, `enterprise`). The suite uses its own users, so it may share the database.
pub async fn plans(accounts: &dyn AccountRepository, plans: &dyn PlanRepository) {
    let listed = plans.list_plans().await.unwrap();
    let mut ids: Vec<&str> = listed.iter().map(|p| p.id.as_str()).collect();
    let order: Vec<(u64, &str)> = listed.iter().map(|p| (p.price_cents, p.id.as_str())).collect();
    assert!(order.is_sorted(), "by price, then id: {order:?}");
    ids.sort_unstable();
    assert_eq!(ids, ["business", "enterprise", "free", "pro"]);
    assert_eq!(plans.get_plan("pro").await.unwrap().id, "pro");
    assert!(matches!(plans.get_plan("platinum").await, Err(RepoError::NotFound)));

    // Registration assigns the user's plan from their creation; later assignments win while
    // they last.
    let user = accounts.insert_user(&new_user("plans@example.com")).await.unwrap().id;
    assert!(matches!(plans.current_plan(user, t0() - secs(1)).await, Err(RepoError::NotFound)), "not yet");
    assert_eq!(plans.current_plan(user, t0()).await.unwrap().id, "free");
    plans.assign_plan(user, "pro", t0() + secs(10), Some(t0() + secs(20))).await.unwrap();
    plans.assign_plan(user, "business", t0() + secs(30), None).await.unwrap();
    for (at, plan) in [(5, "free"), (10, "pro"), (19, "pro"), (20, "free"), (30, "business"), (10_000, "business")] {
        assert_eq!(plans.current_plan(user, t0() + secs(at)).await.unwrap().id, plan, "at {at} s");
    }
    assert!(matches!(plans.current_plan(UserId::new(), t0()).await, Err(RepoError::NotFound)));
    assert!(matches!(plans.assign_plan(user, "platinum", t0(), None).await, Err(RepoError::NotFound)));
    assert!(matches!(plans.assign_plan(UserId::new(), "pro", t0(), None).await, Err(RepoError::NotFound)));
}

/// Runs every [`BlocklistRepository`] behaviour test. The blocklist must be empty.
pub async fn blocklist(blocklist: &dyn BlocklistRepository) {
    let entry = |c: char, at: i64| BlocklistEntry {
        infohash: c.to_string().repeat(40).parse::<Infohash>().unwrap(),
        reason: format!("reason {c}"),
        added_by: None,
        created_at: t0() + secs(at),
    };
    let (older, newer, tied) = (entry('a', 0), entry('b', 1), entry('c', 0));
    assert!(!blocklist.is_blocked(older.infohash).await.unwrap());
    for e in [&older, &newer, &tied] {
        blocklist.add(e).await.unwrap();
    }
    assert!(matches!(blocklist.add(&older).await, Err(RepoError::Conflict(_))), "listed once");
    assert!(blocklist.is_blocked(older.infohash).await.unwrap());
    let listed = blocklist.list(PageRequest::default()).await.unwrap();
    assert_eq!((listed.total, listed.items), (3, vec![newer.clone(), tied.clone(), older.clone()]), "newest first");
    let second = blocklist.list(PageRequest::new(2, 2)).await.unwrap();
    assert_eq!((second.total, second.items), (3, vec![older.clone()]));
    blocklist.remove(older.infohash).await.unwrap();
    assert!(!blocklist.is_blocked(older.infohash).await.unwrap());
    assert!(matches!(blocklist.remove(older.infohash).await, Err(RepoError::NotFound)), "removed once");
}
