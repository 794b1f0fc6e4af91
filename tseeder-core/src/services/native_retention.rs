//! The native retention policy: the plan's rule for which stored files to delete.
//!
//! A file is **expired** when its job has completed, its owner's plan keeps files for a limited
//! window ([`Plan::retention_window`]: `retention_days` is `Some(d)` with `d > 0`), and more
//! than the window (`d * 86400` seconds) has passed since completion. Times are compared in
//! whole seconds, the unit the plugin contract (`tseeder:policy`) uses, so a plugin written to
//! the same rule agrees exactly.
//!
//! [`Plan::retention_window`]: crate::domain::Plan::retention_window

use chrono::{DateTime, Utc};

use crate::domain::plan::retention_window;
use crate::domain::{FileId, PlanLimit};
use crate::error::PolicyError;
use crate::ports::{RetentionCandidate, RetentionPolicy};

/// The default [`RetentionPolicy`]; see the [module docs](self) for the rule.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct NativeRetentionPolicy;

impl NativeRetentionPolicy {
    /// Whether `file` has outlived its plan's retention at `now`.
    pub fn is_expired(file: &RetentionCandidate, now: DateTime<Utc>) -> bool {
        let window = file.retention_days.and_then(|days| retention_window(PlanLimit::Max(days.into())));
        match (file.completed_at, window) {
            (Some(completed), Some(window)) => {
                now.timestamp().saturating_sub(completed.timestamp()) > window.num_seconds()
            }
            _ => false,
        }
    }
}

impl RetentionPolicy for NativeRetentionPolicy {
    fn select_expired(&self, files: &[RetentionCandidate], now: DateTime<Utc>) -> Result<Vec<FileId>, PolicyError> {
        Ok(files.iter().filter(|f| Self::is_expired(f, now)).map(|f| f.file_id).collect())
    }
}

#[cfg(test)]
mod tests {
    use chrono::TimeDelta;

    use super::*;
    use crate::ports::check_selection;

    fn file(completed_days_ago: Option<i64>, retention_days: Option<u32>, now: DateTime<Utc>) -> RetentionCandidate {
        RetentionCandidate {
            file_id: FileId::new(),
            size: 10,
            completed_at: completed_days_ago.map(|d| now - TimeDelta::days(d)),
            retention_days,
            plan: "free".into(),
        }
    }

    #[test]
    fn only_completed_files_past_a_limited_retention_expire() {
        let now = Utc::now();
        let old = file(Some(8), Some(7), now);
        let young = file(Some(6), Some(7), now);
        let forever = file(Some(1000), None, now);
        let zero_days = file(Some(1000), Some(0), now);
        let running = file(None, Some(1), now);
        let files = vec![old.clone(), young, forever, zero_days, running];
        let chosen = NativeRetentionPolicy.select_expired(&files, now).unwrap();
        assert_eq!(chosen, vec![old.file_id]);
        check_selection(&chosen, &files).unwrap();
    }

    #[test]
    fn exactly_the_retention_window_is_kept_one_second_more_is_not() {
        let now = Utc::now();
        let mut f = file(None, Some(1), now);
        f.completed_at = Some(now - TimeDelta::seconds(86_400));
        assert!(!NativeRetentionPolicy::is_expired(&f, now));
        f.completed_at = Some(now - TimeDelta::seconds(86_401));
        assert!(NativeRetentionPolicy::is_expired(&f, now));
    }

    #[test]
    fn selections_naming_unknown_or_repeated_files_are_refused() {
        let now = Utc::now();
        let files = vec![file(Some(9), Some(1), now)];
        assert!(matches!(check_selection(&[FileId::new()], &files), Err(PolicyError::InvalidOutput(_))));
        let id = files[0].file_id;
        assert!(matches!(check_selection(&[id, id], &files), Err(PolicyError::InvalidOutput(_))));
    }
}
