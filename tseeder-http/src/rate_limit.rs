//! In-memory rate limits (GCRA, from `governor`): logins and registrations per client address,
//! job submissions per user.
//!
//! The original counted in a KV store with read-then-write (not atomic), failed open, and
//! counted some requests twice under a shared key. These limiters are atomic, never fail open,
//! and each request is counted once. They are per process: several API hosts behind one load
//! balancer each enforce the limit on their own.

use std::fmt;
use std::hash::Hash;
use std::num::NonZeroU32;

use governor::clock::Clock;
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};
use tseeder_core::domain::UserId;

use crate::config::HttpConfig;
use crate::error::ApiError;

/// Above this many tracked keys, a check first forgets keys whose limit has fully recovered,
/// so the maps cannot grow without bound.
const MAX_TRACKED_KEYS: usize = 10_000;

/// The key for requests whose client address is unknown (they share one bucket).
const UNKNOWN_CLIENT: &str = "unknown";

/// One keyed limiter, or none when its rate is configured as 0.
struct Limiter<K: Hash + Eq + Clone>(Option<DefaultKeyedRateLimiter<K>>);

impl<K: Hash + Eq + Clone> Limiter<K> {
    fn per_minute(rate: u32) -> Self {
        Self(NonZeroU32::new(rate).map(|rate| RateLimiter::keyed(Quota::per_minute(rate))))
    }

    fn check(&self, key: K) -> Result<(), ApiError> {
        let Some(limiter) = &self.0 else { return Ok(()) };
        if limiter.len() > MAX_TRACKED_KEYS {
            limiter.retain_recent();
        }
        limiter.check_key(&key).map_err(|not_until| {
            let wait = not_until.wait_time_from(limiter.clock().now());
            // Round up: retrying after a rounded-down delay would be refused again.
            let secs = wait.as_secs() + u64::from(wait.subsec_nanos() > 0);
            ApiError::rate_limited(secs.max(1))
        })
    }
}

/// The limiters of one running API.
pub(crate) struct RateLimits {
    login: Limiter<String>,
    register: Limiter<String>,
    /// Emails asked for (password resets, verification links): keyed by `ip:<address>`, by
    /// `to:<email>` and by `user:<id>`.
    password_reset: Limiter<String>,
    jobs: Limiter<UserId>,
}

impl fmt::Debug for RateLimits {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RateLimits")
            .field("login", &self.login.0.is_some())
            .field("register", &self.register.0.is_some())
            .field("password_reset", &self.password_reset.0.is_some())
            .field("jobs", &self.jobs.0.is_some())
            .finish()
    }
}

impl RateLimits {
    /// Limiters with the configured rates.
    pub(crate) fn new(config: &HttpConfig) -> Self {
        Self {
            login: Limiter::per_minute(config.login_per_minute),
            register: Limiter::per_minute(config.register_per_minute),
            password_reset: Limiter(
                NonZeroU32::new(config.password_resets_per_hour).map(|rate| RateLimiter::keyed(Quota::per_hour(rate))),
            ),
            jobs: Limiter::per_minute(config.jobs_per_minute),
        }
    }

    /// Counts a login attempt from `ip`.
    pub(crate) fn login(&self, ip: Option<&str>) -> Result<(), ApiError> {
        self.login.check(ip.unwrap_or(UNKNOWN_CLIENT).to_owned())
    }

    /// Counts a registration from `ip`.
    pub(crate) fn register(&self, ip: Option<&str>) -> Result<(), ApiError> {
        self.register.check(ip.unwrap_or(UNKNOWN_CLIENT).to_owned())
    }

    /// Counts a password reset request from `ip` for `email`: both the address asking and the
    /// account asked for have their own budget, so nobody floods an inbox from many addresses.
    pub(crate) fn password_reset(&self, ip: Option<&str>, email: &str) -> Result<(), ApiError> {
        self.password_reset.check(format!("ip:{}", ip.unwrap_or(UNKNOWN_CLIENT)))?;
        self.password_reset.check(format!("to:{}", email.trim().to_lowercase()))
    }

    /// Counts a verification email asked for by `user` from `ip`, against the same budgets as
    /// password reset emails: the address asking, and the account.
    pub(crate) fn verification_email(&self, ip: Option<&str>, user: UserId) -> Result<(), ApiError> {
        self.password_reset.check(format!("ip:{}", ip.unwrap_or(UNKNOWN_CLIENT)))?;
        self.password_reset.check(format!("user:{user}"))
    }

    /// Counts a job submission by `user`.
    pub(crate) fn submit_job(&self, user: UserId) -> Result<(), ApiError> {
        self.jobs.check(user)
    }
}

#[cfg(test)]
mod tests {
    use poem::http::StatusCode;

    use super::*;

    fn limits(login: u32, jobs: u32) -> RateLimits {
        RateLimits::new(&HttpConfig { login_per_minute: login, jobs_per_minute: jobs, ..HttpConfig::default() })
    }

    #[test]
    fn logins_are_limited_per_address() {
        let limits = limits(2, 60);
        assert!(limits.login(Some("1.1.1.1")).is_ok());
        assert!(limits.login(Some("1.1.1.1")).is_ok());
        let refused = limits.login(Some("1.1.1.1")).unwrap_err();
        assert_eq!((refused.status(), refused.code().as_str()), (StatusCode::TOO_MANY_REQUESTS, "rate_limited"));
        assert!(limits.login(Some("2.2.2.2")).is_ok(), "another address has its own budget");
    }

    #[test]
    fn refusals_say_how_long_to_wait() {
        let limits = limits(1, 60);
        limits.login(None).unwrap();
        let resp = limits.login(None).unwrap_err().to_response(uuid::Uuid::nil());
        let secs: u64 = resp.headers()["retry-after"].to_str().unwrap().parse().unwrap();
        assert!((1..=60).contains(&secs), "{secs}");
    }

    #[test]
    fn reset_requests_are_limited_per_address_and_per_account() {
        let limits = RateLimits::new(&HttpConfig { password_resets_per_hour: 2, ..HttpConfig::default() });
        limits.password_reset(Some("1.1.1.1"), "a@example.com").unwrap();
        limits.password_reset(Some("1.1.1.1"), "b@example.com").unwrap();
        assert!(limits.password_reset(Some("1.1.1.1"), "c@example.com").is_err(), "the address's budget");
        limits.password_reset(Some("2.2.2.2"), "A@example.com").unwrap();
        assert!(limits.password_reset(Some("3.3.3.3"), "a@example.com").is_err(), "the account's budget");
    }

    #[test]
    fn verification_emails_share_the_reset_budget_per_address_and_are_limited_per_account() {
        let limits = RateLimits::new(&HttpConfig { password_resets_per_hour: 2, ..HttpConfig::default() });
        let (alice, bob) = (UserId::new(), UserId::new());
        limits.verification_email(Some("1.1.1.1"), alice).unwrap();
        limits.password_reset(Some("1.1.1.1"), "b@example.com").unwrap();
        assert!(limits.verification_email(Some("1.1.1.1"), bob).is_err(), "the address's budget");
        limits.verification_email(Some("2.2.2.2"), alice).unwrap();
        assert!(limits.verification_email(Some("3.3.3.3"), alice).is_err(), "the account's budget");
    }

    #[test]
    fn job_submissions_are_limited_per_user() {
        let limits = limits(10, 1);
        let (alice, bob) = (UserId::new(), UserId::new());
        assert!(limits.submit_job(alice).is_ok());
        assert!(limits.submit_job(alice).is_err());
        assert!(limits.submit_job(bob).is_ok());
    }

    #[test]
    fn a_zero_rate_disables_the_limit() {
        let limits = limits(0, 0);
        let user = UserId::new();
        for _ in 0..100 {
            assert!(limits.login(Some("1.1.1.1")).is_ok());
            assert!(limits.submit_job(user).is_ok());
        }
    }
}
