//! Mapping database errors to the core's port errors.
//!
//! The orphan rule forbids `impl From<DbErr> for RepoError` here, and core must not learn about
//! sea-orm (STYLE.md §4.6), so the mapping is a pair of functions every adapter calls at its
//! boundary.

use sea_orm::{DbErr, SqlErr};
use tseeder_core::error::{QueueError, RepoError};

/// Maps a sea-orm error to a repository error: a missing record is [`RepoError::NotFound`], a
/// unique violation is [`RepoError::Conflict`] carrying the driver's message (PostgreSQL names
/// the constraint, SQLite the columns), anything else is [`RepoError::Backend`].
pub(crate) fn repo_err(e: DbErr) -> RepoError {
    if let DbErr::RecordNotFound(_) = e {
        return RepoError::NotFound;
    }
    match e.sql_err() {
        Some(SqlErr::UniqueConstraintViolation(message)) => RepoError::Conflict(message),
        _ => RepoError::Backend(Box::new(e)),
    }
}

/// Maps a sea-orm error to a queue error: a missing record is [`QueueError::NotFound`], anything
/// else is [`QueueError::Backend`].
pub(crate) fn queue_err(e: DbErr) -> QueueError {
    match e {
        DbErr::RecordNotFound(_) => QueueError::NotFound,
        e => QueueError::Backend(Box::new(e)),
    }
}

/// A row that the database accepted but the domain cannot represent (an unknown status, a
/// malformed id or JSON text). Reported as a backend error: the data is corrupt, the caller did
/// nothing wrong.
#[derive(Debug, thiserror::Error)]
#[error("invalid {column} in {table}: {reason}")]
pub(crate) struct InvalidRow {
    /// The table the row came from.
    pub(crate) table: &'static str,
    /// The offending column.
    pub(crate) column: &'static str,
    /// What is wrong with it.
    pub(crate) reason: String,
}

impl InvalidRow {
    pub(crate) fn new(table: &'static str, column: &'static str, reason: impl ToString) -> Self {
        Self { table, column, reason: reason.to_string() }
    }
}

impl From<InvalidRow> for RepoError {
    fn from(e: InvalidRow) -> Self {
        RepoError::Backend(Box::new(e))
    }
}

impl From<InvalidRow> for QueueError {
    fn from(e: InvalidRow) -> Self {
        QueueError::Backend(Box::new(e))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn record_not_found_maps_to_not_found() {
        assert!(matches!(repo_err(DbErr::RecordNotFound("x".into())), RepoError::NotFound));
        assert!(matches!(queue_err(DbErr::RecordNotFound("x".into())), QueueError::NotFound));
    }

    #[test]
    fn other_errors_map_to_backend() {
        assert!(matches!(repo_err(DbErr::Custom("boom".into())), RepoError::Backend(_)));
        assert!(matches!(queue_err(DbErr::Custom("boom".into())), QueueError::Backend(_)));
    }
}
