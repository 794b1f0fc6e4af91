//! [`InMemoryAdminSearch`].

use async_trait::async_trait;

use super::handle;
use crate::error::RepoError;
use crate::ports::{AdminSearch, SearchHits, SearchResults};

handle!(
    /// An [`AdminSearch`] over an [`InMemoryDb`](crate::testing::InMemoryDb): a scan of every
    /// row (the database adapters use indexes).
    InMemoryAdminSearch
);

/// The first `limit` of `rows` sorted newest first by `at`, and their count.
fn hits<T: Clone, K: Ord>(mut rows: Vec<T>, limit: u64, at: impl Fn(&T) -> K) -> SearchHits<T> {
    rows.sort_by_key(|r| std::cmp::Reverse(at(r)));
    let total = rows.len() as u64;
    rows.truncate(usize::try_from(limit).unwrap_or(usize::MAX));
    SearchHits { total, items: rows }
}

#[async_trait]
impl AdminSearch for InMemoryAdminSearch {
    async fn search(&self, text: &str, limit: u64) -> Result<SearchResults, RepoError> {
        let needle = text.to_lowercase();
        let hex_prefix = (6..=40).contains(&needle.len()) && needle.bytes().all(|b| b.is_ascii_hexdigit());
        let state = self.state();
        let users: Vec<_> = state
            .users
            .iter()
            .map(|row| row.user.clone())
            .filter(|u| u.email.to_lowercase().contains(&needle) || u.id.to_string() == text)
            .collect();
        let jobs: Vec<_> = state
            .jobs
            .iter()
            .filter(|j| {
                j.name.to_lowercase().contains(&needle)
                    || (hex_prefix && j.infohash.to_string().starts_with(&needle))
                    || j.id.to_string() == text
            })
            .cloned()
            .collect();
        let audit: Vec<_> = state
            .audit
            .iter()
            .filter(|r| {
                let e = &r.entry;
                let actor_email = e.actor_id.and_then(|a| state.user(a)).map(|u| u.email.to_lowercase());
                e.action.to_lowercase().contains(&needle)
                    || e.target_id.as_ref().is_some_and(|t| t.to_lowercase().contains(&needle))
                    || e.actor_id.is_some_and(|a| a.to_string() == text)
                    || actor_email.is_some_and(|m| m.contains(&needle))
            })
            .cloned()
            .collect();
        Ok(SearchResults {
            users: hits(users, limit, |u| (u.created_at, u.id)),
            jobs: hits(jobs, limit, |j| (j.created_at, j.id)),
            audit: hits(audit, limit, |r| r.entry.created_at),
        })
    }
}
