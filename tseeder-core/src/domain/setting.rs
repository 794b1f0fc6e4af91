//! Runtime settings an operator changes without a restart: feature flags and plan limits, each
//! change kept with who, when, why and the old and new values.
//!
//! A setting is named by a key: a flag by its name (`registration_open`), a plan limit by
//! `plans.<plan id>.<limit>` (`plans.free.max_jobs`). [`SettingKey::parse`] is the one place a
//! key is understood and [`SettingKey::parse_value`] the one place its value is checked.

use std::fmt;

use chrono::{DateTime, Utc};
use serde_json::Value;

use super::{Plan, PlanLimit, UserId};

/// A feature flag: a switch read at the moment it matters, through
/// `services::config::flag_on`, so a change takes effect at once on every host.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum FeatureFlag {
    /// Self-registration is open (`POST /auth/register`).
    RegistrationOpen,
    /// New accounts must verify their email. Stored only: tseeder sends no email yet.
    EmailVerification,
    /// Jobs may be created from an uploaded `.torrent`.
    TorrentUpload,
    /// Jobs may be created from a magnet link.
    MagnetLinks,
    /// The free plan takes new accounts (registration puts every new account on it).
    FreePlanActive,
    /// Maintenance: no new job is accepted (running ones go on).
    MaintenanceMode,
}

impl FeatureFlag {
    /// Every flag, in display order.
    pub const ALL: [FeatureFlag; 6] = [
        Self::RegistrationOpen,
        Self::EmailVerification,
        Self::TorrentUpload,
        Self::MagnetLinks,
        Self::FreePlanActive,
        Self::MaintenanceMode,
    ];

    /// The key, e.g. `registration_open`.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::RegistrationOpen => "registration_open",
            Self::EmailVerification => "email_verification",
            Self::TorrentUpload => "torrent_upload",
            Self::MagnetLinks => "magnet_links",
            Self::FreePlanActive => "free_plan_active",
            Self::MaintenanceMode => "maintenance_mode",
        }
    }

    /// The flag named `key`, if any.
    pub fn from_key(key: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|f| f.as_str() == key)
    }

    /// Its value until an operator sets one.
    pub const fn default_on(self) -> bool {
        !matches!(self, Self::EmailVerification | Self::MaintenanceMode)
    }

    /// What it does, for operators.
    pub const fn description(self) -> &'static str {
        match self {
            Self::RegistrationOpen => "Off: POST /auth/register is refused with 403 registration_closed.",
            Self::EmailVerification => "Stored only: takes effect with email sending, which tseeder does not have yet.",
            Self::TorrentUpload => "Off: .torrent submissions are refused with 403 torrent_upload_disabled.",
            Self::MagnetLinks => "Off: magnet submissions are refused with 403 magnet_links_disabled.",
            Self::FreePlanActive => {
                "Off: registration (which starts on the free plan) is refused with 403 free_plan_inactive."
            }
            Self::MaintenanceMode => "On: new jobs are refused with 503 maintenance_mode; running jobs go on.",
        }
    }
}

impl fmt::Display for FeatureFlag {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A limit of a plan that operators may change live.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum PlanField {
    /// Concurrent active jobs.
    MaxJobs,
    /// Total stored bytes.
    MaxStorageBytes,
    /// Largest single file.
    MaxFileSizeBytes,
    /// Monthly transfer.
    BandwidthBytes,
    /// Days files are kept after completion (0: forever).
    RetentionDays,
}

impl PlanField {
    /// Every field.
    pub const ALL: [PlanField; 5] =
        [Self::MaxJobs, Self::MaxStorageBytes, Self::MaxFileSizeBytes, Self::BandwidthBytes, Self::RetentionDays];

    /// The last part of the key, e.g. `max_jobs`.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::MaxJobs => "max_jobs",
            Self::MaxStorageBytes => "max_storage_bytes",
            Self::MaxFileSizeBytes => "max_file_size_bytes",
            Self::BandwidthBytes => "bandwidth_bytes",
            Self::RetentionDays => "retention_days",
        }
    }

    /// The largest value it takes: 2^31 - 1 for counts of jobs and days, 2^53 for bytes.
    pub const fn max_value(self) -> u64 {
        match self {
            Self::MaxJobs | Self::RetentionDays => i32::MAX as u64,
            Self::MaxStorageBytes | Self::MaxFileSizeBytes | Self::BandwidthBytes => 1 << 53,
        }
    }

    /// The field's value in `plan`.
    pub fn get(self, plan: &Plan) -> PlanLimit {
        match self {
            Self::MaxJobs => plan.max_jobs,
            Self::MaxStorageBytes => plan.max_storage_bytes,
            Self::MaxFileSizeBytes => plan.max_file_size_bytes,
            Self::BandwidthBytes => plan.bandwidth_bytes,
            Self::RetentionDays => plan.retention_days,
        }
    }

    /// Sets the field in `plan`.
    pub fn set(self, plan: &mut Plan, value: PlanLimit) {
        match self {
            Self::MaxJobs => plan.max_jobs = value,
            Self::MaxStorageBytes => plan.max_storage_bytes = value,
            Self::MaxFileSizeBytes => plan.max_file_size_bytes = value,
            Self::BandwidthBytes => plan.bandwidth_bytes = value,
            Self::RetentionDays => plan.retention_days = value,
        }
    }
}

/// The key of a runtime setting.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum SettingKey {
    /// A feature flag.
    Flag(FeatureFlag),
    /// A limit of a plan.
    PlanLimit {
        /// The plan id.
        plan: String,
        /// Which limit.
        field: PlanField,
    },
}

/// A value that does not suit its setting; the text says what is expected.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct InvalidSettingValue(pub String);

impl SettingKey {
    /// Parses `registration_open` or `plans.<plan>.<limit>`; `None` for anything else. (Whether
    /// the plan exists is for the caller to find out.)
    pub fn parse(key: &str) -> Option<Self> {
        if let Some(flag) = FeatureFlag::from_key(key) {
            return Some(Self::Flag(flag));
        }
        let rest = key.strip_prefix("plans.")?;
        let (plan, field) = rest.rsplit_once('.')?;
        let field = PlanField::ALL.into_iter().find(|f| f.as_str() == field)?;
        let plain = |c: char| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_';
        if plan.is_empty() || plan.len() > 36 || !plan.chars().all(plain) {
            return None;
        }
        Some(Self::PlanLimit { plan: plan.to_owned(), field })
    }

    /// Checks `value` for this key: a flag takes `true` or `false`; a plan limit a whole
    /// number from 0 to its [`PlanField::max_value`], or `null` for unlimited.
    pub fn parse_value(&self, value: &Value) -> Result<SettingValue, InvalidSettingValue> {
        match self {
            Self::Flag(flag) => value
                .as_bool()
                .map(SettingValue::Flag)
                .ok_or_else(|| InvalidSettingValue(format!("{flag} takes true or false"))),
            Self::PlanLimit { field, .. } => {
                let max = field.max_value();
                match value {
                    Value::Null => Ok(SettingValue::Limit(PlanLimit::Unlimited)),
                    Value::Number(n) if n.as_u64().is_some_and(|v| v <= max) => {
                        Ok(SettingValue::Limit(PlanLimit::Max(n.as_u64().unwrap_or_default())))
                    }
                    _ => Err(InvalidSettingValue(format!("{self} takes a whole number from 0 to {max}, or null"))),
                }
            }
        }
    }
}

impl fmt::Display for SettingKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Flag(flag) => f.write_str(flag.as_str()),
            Self::PlanLimit { plan, field } => write!(f, "plans.{plan}.{}", field.as_str()),
        }
    }
}

/// A checked setting value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SettingValue {
    /// A flag's state.
    Flag(bool),
    /// A plan limit.
    Limit(PlanLimit),
}

impl SettingValue {
    /// As JSON: a boolean, a number, or `null` for unlimited.
    pub fn to_json(self) -> Value {
        match self {
            Self::Flag(on) => Value::Bool(on),
            Self::Limit(PlanLimit::Unlimited) => Value::Null,
            Self::Limit(PlanLimit::Max(v)) => Value::from(v),
        }
    }
}

/// A flag as stored: set by whom and when. Flags never set are not stored and take their
/// [`FeatureFlag::default_on`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FlagState {
    /// Which flag.
    pub flag: FeatureFlag,
    /// Whether it is on.
    pub enabled: bool,
    /// Who set it last.
    pub updated_by: Option<UserId>,
    /// When.
    pub updated_at: DateTime<Utc>,
}

/// What a settings change writes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ConfigWrite {
    /// A flag's new state.
    Flag {
        /// Which flag.
        flag: FeatureFlag,
        /// Its new state.
        enabled: bool,
    },
    /// A plan with a changed limit (stored in place of the plan of the same id).
    Plan(Plan),
}

/// One entry of the settings history.
#[derive(Debug, Clone, PartialEq)]
pub struct ConfigChange {
    /// Unique id.
    pub id: uuid::Uuid,
    /// The setting's key.
    pub key: String,
    /// The value before the change (the default when it was never set).
    pub old_value: Value,
    /// The value after it.
    pub new_value: Value,
    /// Who changed it (None: the system).
    pub changed_by: Option<UserId>,
    /// Why.
    pub reason: String,
    /// The ticket of the change, if any.
    pub ticket: Option<String>,
    /// When.
    pub created_at: DateTime<Utc>,
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn keys_parse_and_print_back() {
        for key in ["registration_open", "maintenance_mode", "plans.free.max_jobs", "plans.pro-2.retention_days"] {
            assert_eq!(SettingKey::parse(key).unwrap().to_string(), key);
        }
        for key in ["", "nope", "plans.free", "plans..max_jobs", "plans.free.price_cents", "plans.Free.max_jobs"] {
            assert_eq!(SettingKey::parse(key), None, "{key}");
        }
    }

    #[test]
    fn values_are_checked_per_key() {
        let flag = SettingKey::parse("magnet_links").unwrap();
        assert_eq!(flag.parse_value(&json!(false)), Ok(SettingValue::Flag(false)));
        assert!(flag.parse_value(&json!("false")).is_err());
        assert!(flag.parse_value(&json!(0)).is_err());
        let limit = SettingKey::parse("plans.free.max_jobs").unwrap();
        assert_eq!(limit.parse_value(&json!(3)), Ok(SettingValue::Limit(PlanLimit::Max(3))));
        assert_eq!(limit.parse_value(&json!(null)), Ok(SettingValue::Limit(PlanLimit::Unlimited)));
        for bad in [json!(-1), json!(1.5), json!("3"), json!(true), json!(u64::MAX), json!(1u64 << 31)] {
            assert!(limit.parse_value(&bad).is_err(), "{bad}");
        }
        assert_eq!(SettingValue::Limit(PlanLimit::Max(3)).to_json(), json!(3));
    }
}
