//! The operators' global search.

use poem_openapi::Object;
use tseeder_core::ports::SearchResults;

use super::account::UserView;
use super::admin::AuditEntryView;
use super::job::JobView;

/// Users found.
#[derive(Debug, Clone, Object)]
#[oai(rename = "UserHits")]
pub(crate) struct UserHits {
    /// Every matching user, not only those listed.
    pub(crate) total: u64,
    /// The newest matches; each one's console page is `/admin/users/{id}`.
    pub(crate) items: Vec<UserView>,
}

/// Jobs found.
#[derive(Debug, Clone, Object)]
#[oai(rename = "JobHits")]
pub(crate) struct JobHits {
    /// Every matching job, not only those listed.
    pub(crate) total: u64,
    /// The newest matches; each one's console page is `/jobs/{id}`.
    pub(crate) items: Vec<JobView>,
}

/// Audit entries found.
#[derive(Debug, Clone, Object)]
#[oai(rename = "AuditHits")]
pub(crate) struct AuditHits {
    /// Every matching entry, not only those listed.
    pub(crate) total: u64,
    /// The newest matches; the console shows them in `/admin/audit`.
    pub(crate) items: Vec<AuditEntryView>,
}

/// What a search found, grouped.
#[derive(Debug, Clone, Object)]
#[oai(rename = "SearchResults")]
pub(crate) struct SearchView {
    /// The text searched for, trimmed.
    pub(crate) query: String,
    /// Users whose email contains the text, or whose id it is.
    pub(crate) users: UserHits,
    /// Jobs whose name contains the text, whose infohash starts with it (six or more
    /// hexadecimal characters), or whose id it is.
    pub(crate) jobs: JobHits,
    /// Audit entries whose action or target id contains the text, or whose actor's id is it or
    /// whose actor's email contains it.
    pub(crate) audit: AuditHits,
}

impl SearchView {
    pub(crate) fn new(query: &str, found: SearchResults) -> Self {
        Self {
            query: query.trim().to_owned(),
            users: UserHits {
                total: found.users.total,
                items: found.users.items.into_iter().map(Into::into).collect(),
            },
            jobs: JobHits { total: found.jobs.total, items: found.jobs.items.into_iter().map(Into::into).collect() },
            audit: AuditHits {
                total: found.audit.total,
                items: found.audit.items.into_iter().map(Into::into).collect(),
            },
        }
    }
}
