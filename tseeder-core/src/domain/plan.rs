//! Plans and their limits, and the rules read from them: the quota check ([`Plan::check`]), the
//! monthly bandwidth check of a file download ([`Plan::check_download`]) and the retention window
//! ([`Plan::retention_window`]). Every caller asks the plan; no service reads a limit and decides
//! on its own.

use std::fmt;

use chrono::{DateTime, Datelike, NaiveDate, TimeDelta, Utc};
use serde::{Deserialize, Serialize};

use crate::error::QuotaKind;

/// A numeric limit that may be unlimited (stored as -1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum PlanLimit {
    /// No limit.
    Unlimited,
    /// At most this many.
    Max(u64),
}

impl PlanLimit {
    /// Decodes the stored form (-1 or any negative = unlimited).
    pub fn from_stored(v: i64) -> Self {
        u64::try_from(v).map_or(Self::Unlimited, Self::Max)
    }

    /// Encodes to the stored form.
    pub fn to_stored(self) -> i64 {
        match self {
            Self::Unlimited => -1,
            Self::Max(v) => i64::try_from(v).unwrap_or(i64::MAX),
        }
    }

    /// Whether `used + extra` would go over the limit (a sum past `u64::MAX` goes over any
    /// limit).
    pub fn exceeded_by(self, used: u64, extra: u64) -> bool {
        match self {
            Self::Unlimited => false,
            Self::Max(max) => used.checked_add(extra).is_none_or(|total| total > max),
        }
    }

    /// The limit as an option (None = unlimited).
    pub fn as_option(self) -> Option<u64> {
        match self {
            Self::Unlimited => None,
            Self::Max(v) => Some(v),
        }
    }
}

/// A subscription plan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Plan {
    /// Plan id, which is also its name: `free`, `pro`, `business`, `enterprise`.
    pub id: String,
    /// Concurrent active jobs.
    pub max_jobs: PlanLimit,
    /// Total stored bytes.
    pub max_storage_bytes: PlanLimit,
    /// Largest single file.
    pub max_file_size_bytes: PlanLimit,
    /// Monthly transfer.
    pub bandwidth_bytes: PlanLimit,
    /// Days files are kept after completion (`Unlimited` and 0 both mean forever); read it
    /// through [`Plan::retention_window`].
    pub retention_days: PlanLimit,
    /// Monthly price in cents.
    pub price_cents: u64,
}

/// A calendar month in UTC: the period bandwidth is counted over. It resets at the start of the
/// next month ([`Month::resets_at`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Month {
    year: i32,
    month: u32,
}

impl Default for Month {
    /// January 1970, the month of the Unix epoch.
    fn default() -> Self {
        Self { year: 1970, month: 1 }
    }
}

impl Month {
    /// The month `at` falls in, in UTC.
    pub fn of(at: DateTime<Utc>) -> Self {
        Self { year: at.year(), month: at.month() }
    }

    /// Parses the stored form, `YYYY-MM`.
    pub fn parse(text: &str) -> Option<Self> {
        let (year, month) = text.split_once('-')?;
        let month = Self { year: year.parse().ok()?, month: month.parse().ok()? };
        NaiveDate::from_ymd_opt(month.year, month.month, 1)?;
        Some(month)
    }

    /// The first instant of the month.
    pub fn start(self) -> DateTime<Utc> {
        NaiveDate::from_ymd_opt(self.year, self.month, 1)
            .and_then(|d| d.and_hms_opt(0, 0, 0))
            .map_or(DateTime::<Utc>::MAX_UTC, |t| t.and_utc())
    }

    /// The first instant of the next month, when this month's bandwidth resets (the latest
    /// representable time for the last month chrono can hold).
    pub fn resets_at(self) -> DateTime<Utc> {
        let (year, month) =
            if self.month == 12 { (self.year.saturating_add(1), 1) } else { (self.year, self.month + 1) };
        Self { year, month }.start()
    }
}

impl fmt::Display for Month {
    /// The stored form, `YYYY-MM`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}", self.year, self.month)
    }
}

/// Which way metered bytes went.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TransferKind {
    /// Downloaded from peers by the organization's jobs.
    Downloaded,
    /// Served to clients from its stored files.
    Served,
}

/// An organization's metered transfer in one month.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Bandwidth {
    /// The month counted.
    pub month: Month,
    /// Bytes its jobs downloaded (a job counts its size once, when it completes).
    pub downloaded_bytes: u64,
    /// Bytes served from its files (downloads, streams, archives, signed links).
    pub served_bytes: u64,
}

impl Bandwidth {
    /// Both directions together: what the plan's `bandwidth_bytes` limits.
    pub fn used(&self) -> u64 {
        self.downloaded_bytes.saturating_add(self.served_bytes)
    }
}

/// An organization's consumption, for quota checks and `/usage`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Usage {
    /// Jobs in an active status.
    pub active_jobs: u64,
    /// All jobs ever kept.
    pub total_jobs: u64,
    /// Bytes of stored files.
    pub storage_bytes: u64,
    /// This month's transfer. [`JobRepository::usage`](crate::ports::JobRepository::usage)
    /// counts jobs and storage only and leaves it empty; the services fill it from the
    /// [`BandwidthMeter`](crate::ports::BandwidthMeter).
    pub bandwidth: Bandwidth,
}

/// What a quota check is asked about: a submission, or the files of a job whose metadata just
/// arrived.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct QuotaRequest {
    /// Whether the request adds an active job. A submission does; the check when a job's
    /// metadata arrives is for a job already counted, and does not.
    pub new_job: bool,
    /// Bytes the request would store, when known (a magnet's size is unknown until its
    /// metadata arrives).
    pub incoming_bytes: Option<u64>,
    /// The largest single file, when known.
    pub largest_file: Option<u64>,
}

impl QuotaRequest {
    /// A new job of `total_bytes` whose largest file is `largest_file` (both unknown for a
    /// magnet).
    pub fn submission(total_bytes: Option<u64>, largest_file: Option<u64>) -> Self {
        Self { new_job: true, incoming_bytes: total_bytes, largest_file }
    }

    /// Storing files of these sizes for a job that is already counted.
    pub fn files(sizes: impl IntoIterator<Item = u64>) -> Self {
        let (total, largest) = sizes.into_iter().fold((0u64, None::<u64>), |(total, largest), size| {
            (total.saturating_add(size), Some(largest.map_or(size, |l| l.max(size))))
        });
        Self { new_job: false, incoming_bytes: Some(total), largest_file: largest }
    }
}

/// A plan limit a request would break: which one, and a message safe to show to the user.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct QuotaError {
    /// Which limit.
    pub kind: QuotaKind,
    /// Human-readable message naming the plan.
    pub message: String,
    /// When the limit lifts by itself: the next month's start for [`QuotaKind::Bandwidth`],
    /// `None` for the others.
    pub resets_at: Option<DateTime<Utc>>,
}

impl QuotaError {
    /// The error text a job keeps when this refusal ends it: the stable code, then the message
    /// (`quota_storage: this would exceed ...`), which is how users tell the limits apart.
    pub fn job_error(&self) -> String {
        format!("{}: {}", self.kind.code(), self.message)
    }
}

/// [`Plan::retention_window`] for a bare day count, as a retention policy receives it.
pub fn retention_window(days: PlanLimit) -> Option<TimeDelta> {
    match days {
        PlanLimit::Unlimited | PlanLimit::Max(0) => None,
        PlanLimit::Max(days) => Some(i64::try_from(days).ok().and_then(TimeDelta::try_days).unwrap_or(TimeDelta::MAX)),
    }
}

impl Plan {
    /// The quota rule: whether `request` fits the plan given the user's `usage` (which must not
    /// count the request itself). Limits are checked in this order, and the first one broken is
    /// the error:
    /// 1. [`QuotaKind::Jobs`]: a new job would make more active jobs than the plan allows;
    /// 2. [`QuotaKind::FileSize`]: the largest file is larger than the plan allows;
    /// 3. [`QuotaKind::Storage`]: the storage is already full, or the incoming bytes would
    ///    take it over the limit;
    /// 4. [`QuotaKind::Bandwidth`], for a new job only: this month's bandwidth is used up, or
    ///    the job's known size would take it over the limit.
    pub fn check(&self, usage: &Usage, request: &QuotaRequest) -> Result<(), QuotaError> {
        if request.new_job && self.max_jobs.exceeded_by(usage.active_jobs, 1) {
            return Err(QuotaError {
                kind: QuotaKind::Jobs,
                message: format!(
                    "the {} plan allows {} active jobs; wait for one to finish or upgrade",
                    self.id,
                    self.max_jobs.as_option().unwrap_or(0)
                ),
                resets_at: None,
            });
        }
        if let Some(largest) = request.largest_file
            && self.max_file_size_bytes.exceeded_by(0, largest)
        {
            return Err(QuotaError {
                kind: QuotaKind::FileSize,
                message: format!("a file in this torrent ({largest} bytes) is larger than the {} plan allows", self.id),
                resets_at: None,
            });
        }
        let full = self.max_storage_bytes.as_option().is_some_and(|max| usage.storage_bytes >= max);
        if full || self.max_storage_bytes.exceeded_by(usage.storage_bytes, request.incoming_bytes.unwrap_or(0)) {
            return Err(QuotaError {
                kind: QuotaKind::Storage,
                message: format!("this would exceed the {} plan's storage; delete files or upgrade", self.id),
                resets_at: None,
            });
        }
        if request.new_job {
            let incoming = request.incoming_bytes.unwrap_or(0);
            self.bandwidth_refusal(&usage.bandwidth, incoming, "downloading this torrent would exceed")?;
        }
        Ok(())
    }

    /// The bandwidth rule of a file download: refused with [`QuotaKind::Bandwidth`] once this
    /// month's bandwidth (downloaded plus served) has reached the plan's limit. A download that
    /// starts below the limit is served whole.
    pub fn check_download(&self, used: &Bandwidth) -> Result<(), QuotaError> {
        self.bandwidth_refusal(used, 0, "this download would exceed")
    }

    /// The one bandwidth rule: used up (at or past the limit), or `incoming` more would go over.
    fn bandwidth_refusal(&self, used: &Bandwidth, incoming: u64, what: &str) -> Result<(), QuotaError> {
        let Some(max) = self.bandwidth_bytes.as_option() else { return Ok(()) };
        if used.used() >= max || self.bandwidth_bytes.exceeded_by(used.used(), incoming) {
            let resets_at = used.month.resets_at();
            return Err(QuotaError {
                kind: QuotaKind::Bandwidth,
                message: format!(
                    "{what} the {} plan's monthly bandwidth of {max} bytes ({} used in {}); it resets at {}",
                    self.id,
                    used.used(),
                    used.month,
                    resets_at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
                ),
                resets_at: Some(resets_at),
            });
        }
        Ok(())
    }

    /// How long files are kept after their job completes; `None` keeps them forever. The one
    /// reading of `retention_days`: `Unlimited` and 0 days both mean forever (as the plans
    /// table and the README say), and a window longer than a [`TimeDelta`] holds is the
    /// longest one.
    pub fn retention_window(&self) -> Option<TimeDelta> {
        retention_window(self.retention_days)
    }

    /// The oldest completion time still inside the retention window at `now`; `None` when
    /// nothing is old enough to be out of it (files are kept forever, or the window reaches
    /// back before the Unix epoch, before any job completed). Never a time a database cannot
    /// store.
    pub fn retention_cutoff(&self, now: DateTime<Utc>) -> Option<DateTime<Utc>> {
        let window = self.retention_window()?;
        now.checked_sub_signed(window).filter(|cutoff| *cutoff > DateTime::UNIX_EPOCH)
    }
}

#[cfg(test)]
mod tests {
    use rand::rngs::StdRng;
    use rand::{Rng, SeedableRng};

    use super::*;
    use crate::ports::RetentionCandidate;
    use crate::services::NativeRetentionPolicy;

    /// A limit near the interesting edges: unlimited, 0, small, or huge.
    fn limit(rng: &mut StdRng) -> PlanLimit {
        match rng.random_range(0..6) {
            0 => PlanLimit::Unlimited,
            1 => PlanLimit::Max(0),
            2 => PlanLimit::Max(rng.random_range(1..5)),
            3 => PlanLimit::Max(u64::MAX - rng.random_range(0..3)),
            _ => PlanLimit::Max(rng.random_range(0..1_000)),
        }
    }

    fn amount(rng: &mut StdRng) -> u64 {
        match rng.random_range(0..4) {
            0 => rng.random_range(0..5),
            1 => u64::MAX - rng.random_range(0..3),
            _ => rng.random_range(0..1_200),
        }
    }

    fn plan(rng: &mut StdRng) -> Plan {
        Plan {
            id: ["free", "pro", "business", "enterprise"][rng.random_range(0..4)].into(),
            max_jobs: limit(rng),
            max_storage_bytes: limit(rng),
            max_file_size_bytes: limit(rng),
            bandwidth_bytes: limit(rng),
            retention_days: limit(rng),
            price_cents: 0,
        }
    }

    fn usage(rng: &mut StdRng) -> Usage {
        let active_jobs = amount(rng);
        Usage {
            active_jobs,
            total_jobs: active_jobs.saturating_add(amount(rng)),
            storage_bytes: amount(rng),
            bandwidth: Bandwidth { month: Month::default(), downloaded_bytes: amount(rng), served_bytes: amount(rng) },
        }
    }

    fn request(rng: &mut StdRng) -> QuotaRequest {
        if rng.random_bool(0.5) {
            let sizes: Vec<u64> = (0..rng.random_range(0..4)).map(|_| amount(rng)).collect();
            QuotaRequest::files(sizes)
        } else {
            let largest = rng.random_bool(0.7).then(|| amount(rng));
            let total = largest.map(|l| l.saturating_add(amount(rng)));
            QuotaRequest::submission(total, largest)
        }
    }

    /// The rule written out limit by limit, in the documented order.
    fn expected(plan: &Plan, usage: &Usage, request: &QuotaRequest) -> Option<QuotaKind> {
        let over = |limit: PlanLimit, value: u128| limit.as_option().is_some_and(|max| value > u128::from(max));
        if request.new_job && over(plan.max_jobs, u128::from(usage.active_jobs) + 1) {
            return Some(QuotaKind::Jobs);
        }
        if request.largest_file.is_some_and(|largest| over(plan.max_file_size_bytes, u128::from(largest))) {
            return Some(QuotaKind::FileSize);
        }
        let used = u128::from(usage.storage_bytes);
        let incoming = u128::from(request.incoming_bytes.unwrap_or(0));
        let full = plan.max_storage_bytes.as_option().is_some_and(|max| used >= u128::from(max));
        if full || over(plan.max_storage_bytes, used + incoming) {
            return Some(QuotaKind::Storage);
        }
        let moved = u128::from(usage.bandwidth.downloaded_bytes) + u128::from(usage.bandwidth.served_bytes);
        let used_up = plan.bandwidth_bytes.as_option().is_some_and(|max| moved >= u128::from(max));
        (request.new_job && (used_up || over(plan.bandwidth_bytes, moved + incoming))).then_some(QuotaKind::Bandwidth)
    }

    #[test]
    fn the_quota_check_refuses_exactly_the_first_limit_broken() {
        let mut rng = StdRng::seed_from_u64(0x9a07_a2026);
        for _ in 0..20_000 {
            let (plan, usage, request) = (plan(&mut rng), usage(&mut rng), request(&mut rng));
            let got = plan.check(&usage, &request);
            let want = expected(&plan, &usage, &request);
            assert_eq!(got.as_ref().err().map(|e| e.kind), want, "{plan:?} {usage:?} {request:?}");
            if let Err(e) = got {
                assert!(e.message.contains(&plan.id), "the message names the plan: {e}");
            }
        }
    }

    #[test]
    fn quota_refusals_are_monotonic_and_unlimited_plans_never_refuse() {
        let mut rng = StdRng::seed_from_u64(0x0dd_5eed);
        for _ in 0..20_000 {
            let (mut plan, usage, request) = (plan(&mut rng), usage(&mut rng), request(&mut rng));
            // Asking for less (no new job, no bytes, no file) never turns a yes into a no.
            if plan.check(&usage, &request).is_ok() {
                let less = QuotaRequest { new_job: false, ..request };
                assert!(plan.check(&usage, &less).is_ok(), "{plan:?} {usage:?} {less:?}");
                let fewer_bytes = QuotaRequest { incoming_bytes: Some(0), largest_file: None, ..request };
                assert!(plan.check(&usage, &fewer_bytes).is_ok(), "{plan:?} {usage:?} {fewer_bytes:?}");
                let bandwidth = Bandwidth {
                    downloaded_bytes: usage.bandwidth.downloaded_bytes / 2,
                    served_bytes: usage.bandwidth.served_bytes / 2,
                    ..usage.bandwidth
                };
                let less_used = Usage { storage_bytes: usage.storage_bytes / 2, active_jobs: 0, bandwidth, ..usage };
                assert!(plan.check(&less_used, &request).is_ok(), "{plan:?} {less_used:?} {request:?}");
            }
            // A job already counted is never refused for the number of jobs.
            let counted = QuotaRequest { new_job: false, ..request };
            assert_ne!(plan.check(&usage, &counted).err().map(|e| e.kind), Some(QuotaKind::Jobs));
            plan.max_jobs = PlanLimit::Unlimited;
            plan.max_storage_bytes = PlanLimit::Unlimited;
            plan.max_file_size_bytes = PlanLimit::Unlimited;
            plan.bandwidth_bytes = PlanLimit::Unlimited;
            assert_eq!(plan.check(&usage, &request), Ok(()), "{plan:?} {usage:?} {request:?}");
            assert_eq!(plan.check_download(&usage.bandwidth), Ok(()));
        }
    }

    #[test]
    fn a_refused_job_keeps_the_code_in_its_error_text() {
        let refused = QuotaError { kind: QuotaKind::Storage, message: "no room".into(), resets_at: None };
        assert_eq!(refused.job_error(), "quota_storage: no room");
        let refused = QuotaError { kind: QuotaKind::FileSize, message: "too big".into(), resets_at: None };
        assert_eq!(refused.job_error(), "quota_file_size: too big");
    }

    #[test]
    fn a_download_is_refused_once_the_months_bandwidth_is_used_up_until_the_next_month() {
        let mut rng = StdRng::seed_from_u64(0xba2d_2026);
        for _ in 0..20_000 {
            let (plan, usage) = (plan(&mut rng), usage(&mut rng));
            let got = plan.check_download(&usage.bandwidth);
            let moved = u128::from(usage.bandwidth.downloaded_bytes) + u128::from(usage.bandwidth.served_bytes);
            let want = plan.bandwidth_bytes.as_option().is_some_and(|max| moved >= u128::from(max));
            assert_eq!(got.is_err(), want, "{plan:?} {usage:?}");
            if let Err(e) = got {
                assert_eq!((e.kind, e.resets_at), (QuotaKind::Bandwidth, Some(usage.bandwidth.month.resets_at())));
                assert!(e.message.contains(&plan.id) && e.message.contains("1970-02-01T00:00:00Z"), "{e}");
            }
        }
    }

    #[test]
    fn months_run_in_utc_from_the_first_to_the_next_first() {
        let at = |s: &str| DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc);
        let december = Month::of(at("2026-12-31T23:59:59Z"));
        assert_eq!(december.to_string(), "2026-12");
        assert_eq!(december.start(), at("2026-12-01T00:00:00Z"));
        assert_eq!(december.resets_at(), at("2027-01-01T00:00:00Z"));
        assert_eq!(Month::of(at("2027-01-01T00:00:00Z")).to_string(), "2027-01");
        assert_eq!(Month::of(at("2027-01-01T00:30:00+01:00")).to_string(), "2026-12", "months are UTC");
        assert_eq!(Month::of(at("2028-02-29T12:00:00Z")).resets_at(), at("2028-03-01T00:00:00Z"));
        assert_eq!(Month::parse("2026-12"), Some(december));
        for bad in ["", "2026", "2026-13", "2026-00", "x-01", "2026-1x"] {
            assert_eq!(Month::parse(bad), None, "{bad:?}");
        }
        assert!(Month::of(at("2026-11-30T00:00:00Z")) < december);
    }

    #[test]
    fn a_files_request_sums_the_sizes_and_finds_the_largest() {
        assert_eq!(
            QuotaRequest::files([3, 9, 1]),
            QuotaRequest { new_job: false, incoming_bytes: Some(13), largest_file: Some(9) }
        );
        assert_eq!(
            QuotaRequest::files([]),
            QuotaRequest { new_job: false, incoming_bytes: Some(0), largest_file: None }
        );
        assert_eq!(QuotaRequest::files([u64::MAX, 2]).incoming_bytes, Some(u64::MAX));
    }

    #[test]
    fn retention_windows_keep_unlimited_and_zero_day_plans_forever() {
        let mut rng = StdRng::seed_from_u64(0x7e7e_2026);
        let now = DateTime::from_timestamp(1_800_000_000, 0).unwrap();
        for _ in 0..20_000 {
            let mut plan = plan(&mut rng);
            if rng.random_bool(0.5) {
                plan.retention_days = PlanLimit::Max(rng.random_range(0..100_000));
            }
            let window = plan.retention_window();
            match plan.retention_days {
                PlanLimit::Unlimited | PlanLimit::Max(0) => {
                    assert_eq!(window, None, "{plan:?}");
                    assert_eq!(plan.retention_cutoff(now), None, "{plan:?}");
                }
                PlanLimit::Max(days) => {
                    let window = window.unwrap_or_else(|| panic!("a limited window: {plan:?}"));
                    assert!(window > TimeDelta::zero());
                    assert_eq!(window.num_days().unsigned_abs(), days.min(TimeDelta::MAX.num_days().unsigned_abs()));
                    // The cutoff is `now - window`, or none when that is before any job ran.
                    match plan.retention_cutoff(now) {
                        Some(cutoff) => {
                            assert_eq!(now - cutoff, window, "{plan:?}");
                            assert!(cutoff > DateTime::UNIX_EPOCH);
                        }
                        None => assert!(now.timestamp() <= window.num_seconds(), "{plan:?}"),
                    }
                }
            }
            // The native policy reads the same window, in the days it receives.
            let days = window.map(|w| u32::try_from(w.num_days()).unwrap_or(u32::MAX));
            let age = TimeDelta::seconds(rng.random_range(0..200 * 86_400));
            let candidate = RetentionCandidate {
                file_id: crate::domain::FileId::new(),
                size: 1,
                completed_at: Some(now - age),
                retention_days: days,
                plan: plan.id.clone(),
            };
            let expired = NativeRetentionPolicy::is_expired(&candidate, now);
            assert_eq!(expired, window.is_some_and(|w| age > w), "{plan:?} {age:?}");
        }
    }

    #[test]
    fn the_built_in_plans_read_as_documented() {
        let with_days = |days: i64| Plan {
            id: "x".into(),
            max_jobs: PlanLimit::Unlimited,
            max_storage_bytes: PlanLimit::Unlimited,
            max_file_size_bytes: PlanLimit::Unlimited,
            bandwidth_bytes: PlanLimit::Unlimited,
            retention_days: PlanLimit::from_stored(days),
            price_cents: 0,
        };
        let now = Utc::now();
        assert_eq!(with_days(7).retention_window(), Some(TimeDelta::days(7)));
        assert_eq!(with_days(7).retention_cutoff(now), Some(now - TimeDelta::days(7)));
        assert_eq!(with_days(-1).retention_window(), None, "enterprise keeps files forever");
        assert_eq!(with_days(-1).retention_cutoff(now), None, "and its dedup lookup has no cutoff");
        assert_eq!(with_days(0).retention_window(), None, "0 days is forever too");
    }
}
