//! Runtime settings: feature flags and plan limits, changed live by operators with a reason and
//! kept in a history. [`flag_on`] is the one place a flag is read.

use serde_json::{Value, json};

use super::account::{check_ticket, justified, require_reason};
use super::{Ports, RequestMeta, audit_entry};
use crate::auth::Principal;
use crate::domain::{
    ConfigChange, ConfigWrite, FeatureFlag, Page, PageRequest, Plan, PlanField, Role, SettingKey, SettingValue, UserId,
};
use crate::error::{ErrorCode, Missing, RepoError, ServiceError};

/// Whether `flag` is on now: its stored state, or its default when it was never set. Every
/// rule that depends on a flag asks here, at the moment it decides.
pub async fn flag_on(ports: &Ports, flag: FeatureFlag) -> Result<bool, RepoError> {
    Ok(ports.config.get_flag(flag).await?.unwrap_or(flag.default_on()))
}

/// Refuses with `code` when `flag` is off.
pub(crate) async fn require_flag(
    ports: &Ports,
    flag: FeatureFlag,
    code: ErrorCode,
    message: &str,
) -> Result<(), ServiceError> {
    if flag_on(ports, flag).await? { Ok(()) } else { Err(ServiceError::forbidden(code, message)) }
}

/// One runtime setting as operators see it.
#[derive(Debug, Clone, PartialEq)]
pub struct Setting {
    /// The key.
    pub key: SettingKey,
    /// The value in force.
    pub value: SettingValue,
    /// The value before any change (flags only: plan limits start as seeded).
    pub default: Option<SettingValue>,
    /// What it does.
    pub description: String,
    /// Who changed it last (flags only).
    pub updated_by: Option<UserId>,
    /// When (flags only).
    pub updated_at: Option<chrono::DateTime<chrono::Utc>>,
}

/// A change to make.
#[derive(Debug, Clone)]
pub struct SettingUpdate<'a> {
    /// The new value, as JSON (checked against the key).
    pub value: &'a Value,
    /// Why (10 to 1000 characters).
    pub reason: &'a str,
    /// The ticket, if any.
    pub ticket: Option<&'a str>,
}

/// Reads and changes runtime settings. Support and above read; only a superadmin changes them.
#[derive(Debug, Clone)]
pub struct ConfigService {
    ports: Ports,
}

impl ConfigService {
    /// Builds the service.
    pub fn new(ports: Ports) -> Self {
        Self { ports }
    }

    /// Whether `flag` is on (see [`flag_on`]).
    pub async fn flag(&self, flag: FeatureFlag) -> Result<bool, ServiceError> {
        Ok(flag_on(&self.ports, flag).await?)
    }

    /// Every setting: the flags, then each plan's limits (support and above).
    pub async fn settings(&self, principal: &Principal) -> Result<Vec<Setting>, ServiceError> {
        principal.require_staff(Role::Support)?;
        let stored = self.ports.config.list_flags().await?;
        let mut settings = Vec::new();
        for flag in FeatureFlag::ALL {
            let state = stored.iter().find(|s| s.flag == flag);
            settings.push(Setting {
                key: SettingKey::Flag(flag),
                value: SettingValue::Flag(state.map_or(flag.default_on(), |s| s.enabled)),
                default: Some(SettingValue::Flag(flag.default_on())),
                description: flag.description().to_owned(),
                updated_by: state.and_then(|s| s.updated_by),
                updated_at: state.map(|s| s.updated_at),
            });
        }
        for plan in self.ports.plans.list_plans().await? {
            for field in PlanField::ALL {
                settings.push(Setting {
                    key: SettingKey::PlanLimit { plan: plan.id.clone(), field },
                    value: SettingValue::Limit(field.get(&plan)),
                    default: None,
                    description: format!(
                        "Plan {}: {} (null: unlimited); the next submission is checked against it.",
                        plan.id,
                        field.as_str()
                    ),
                    updated_by: None,
                    updated_at: None,
                });
            }
        }
        Ok(settings)
    }

    /// The change history, newest first, optionally of one key (support and above).
    pub async fn history(
        &self,
        principal: &Principal,
        key: Option<&str>,
        page: PageRequest,
    ) -> Result<Page<ConfigChange>, ServiceError> {
        principal.require_staff(Role::Support)?;
        Ok(self.ports.config.config_history(key, page).await?)
    }

    /// Changes one setting (superadmin). The new value, the history entry (old and new value,
    /// reason, ticket) and the audit entry `config.changed` are written together; the change
    /// takes effect for the next request that reads it. An unknown key is 404
    /// `setting_not_found`, a value that does not suit the key 400 `invalid_setting_value`.
    pub async fn set(
        &self,
        principal: &Principal,
        key: &str,
        update: SettingUpdate<'_>,
        meta: &RequestMeta,
    ) -> Result<Setting, ServiceError> {
        principal.require_staff(Role::Superadmin)?;
        let parsed = SettingKey::parse(key).ok_or(ServiceError::NotFound { what: Missing::Setting })?;
        let value = parsed
            .parse_value(update.value)
            .map_err(|e| ServiceError::invalid(ErrorCode::InvalidSettingValue, e.to_string()))?;
        let reason = require_reason(update.reason)?;
        let ticket = check_ticket(update.ticket)?.map(str::to_owned);
        let (write, old) = match (&parsed, value) {
            (SettingKey::Flag(flag), SettingValue::Flag(enabled)) => {
                let old = self.flag(*flag).await?;
                (ConfigWrite::Flag { flag: *flag, enabled }, SettingValue::Flag(old))
            }
            (SettingKey::PlanLimit { plan, field }, SettingValue::Limit(limit)) => {
                let mut plan: Plan = match self.ports.plans.get_plan(plan).await {
                    Err(RepoError::NotFound) => return Err(ServiceError::NotFound { what: Missing::Setting }),
                    other => other?,
                };
                let old = SettingValue::Limit(field.get(&plan));
                field.set(&mut plan, limit);
                (ConfigWrite::Plan(plan), old)
            }
            _ => return Err(ServiceError::invalid(ErrorCode::InvalidSettingValue, "the value does not suit the key")),
        };
        let change = ConfigChange {
            id: uuid::Uuid::new_v4(),
            key: parsed.to_string(),
            old_value: old.to_json(),
            new_value: value.to_json(),
            changed_by: Some(principal.user_id),
            reason: reason.to_owned(),
            ticket: ticket.clone(),
            created_at: self.ports.clock.now(),
        };
        let audit = audit_entry(
            &self.ports,
            Some(principal.user_id),
            "config.changed",
            "config",
            Some(change.key.clone()),
            justified(json!({ "old": change.old_value, "new": change.new_value }), reason, ticket.as_deref()),
            meta,
        );
        match self.ports.config.apply_config(&write, &change, &audit).await {
            Err(RepoError::NotFound) => return Err(ServiceError::NotFound { what: Missing::Setting }),
            other => other?,
        }
        let description = match &parsed {
            SettingKey::Flag(flag) => flag.description().to_owned(),
            SettingKey::PlanLimit { plan, field } => format!("Plan {plan}: {}", field.as_str()),
        };
        Ok(Setting {
            default: match parsed {
                SettingKey::Flag(flag) => Some(SettingValue::Flag(flag.default_on())),
                SettingKey::PlanLimit { .. } => None,
            },
            key: parsed,
            value,
            description,
            updated_by: Some(principal.user_id),
            updated_at: Some(change.created_at),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tickets_are_optional_and_printable() {
        assert_eq!(check_ticket(None).unwrap(), None);
        assert_eq!(check_ticket(Some("  ")).unwrap(), None, "blank is none");
        assert_eq!(check_ticket(Some(" OPS-12 ")).unwrap(), Some("OPS-12"));
        assert_eq!(check_ticket(Some(&"x".repeat(64))).unwrap().map(str::len), Some(64));
        for bad in ["a\nb", "a\u{7f}b", &"x".repeat(65)] {
            assert_eq!(check_ticket(Some(bad)).unwrap_err().code(), ErrorCode::InvalidTicket, "{bad:?}");
        }
    }
}
