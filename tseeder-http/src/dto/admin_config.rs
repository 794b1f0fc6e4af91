//! Runtime settings: feature flags, plan limits and their change history.

use std::borrow::Cow;

use chrono::{DateTime, Utc};
use poem_openapi::Object;
use poem_openapi::registry::MetaSchemaRef;
use poem_openapi::types::{ParseError, ParseFromJSON, ParseResult, ToJSON, Type};
use tseeder_core::domain::ConfigChange;
use tseeder_core::services::Setting;
use uuid::Uuid;

use super::text::Text;

/// One runtime setting.
#[derive(Debug, Clone, Object)]
#[oai(rename = "Setting", rename_all = "camelCase")]
pub(crate) struct SettingView {
    /// `registration_open`, ... for flags; `plans.<plan>.<limit>` for plan limits.
    pub(crate) key: String,
    /// `flag` or `planLimit`.
    pub(crate) kind: String,
    /// The value in force: a boolean for a flag; a whole number, or null for unlimited, for a
    /// plan limit.
    pub(crate) value: serde_json::Value,
    /// A flag's value before any change (absent for plan limits).
    #[oai(skip_serializing_if_is_none)]
    pub(crate) default: Option<serde_json::Value>,
    /// What it does, and what happens when it changes.
    pub(crate) description: String,
    /// Who changed it last (absent when never changed, and for plan limits: see the history).
    #[oai(skip_serializing_if_is_none)]
    pub(crate) updated_by: Option<Uuid>,
    /// When.
    #[oai(skip_serializing_if_is_none)]
    pub(crate) updated_at: Option<DateTime<Utc>>,
}

impl From<Setting> for SettingView {
    fn from(s: Setting) -> Self {
        let kind = match s.key {
            tseeder_core::domain::SettingKey::Flag(_) => "flag",
            tseeder_core::domain::SettingKey::PlanLimit { .. } => "planLimit",
        };
        Self {
            key: s.key.to_string(),
            kind: kind.to_owned(),
            value: s.value.to_json(),
            default: s.default.map(|d| d.to_json()),
            description: s.description,
            updated_by: s.updated_by.map(|u| u.0),
            updated_at: s.updated_at,
        }
    }
}

/// `{settings}`.
#[derive(Debug, Clone, Object)]
#[oai(rename = "SettingList")]
pub(crate) struct SettingList {
    /// Every flag, then every plan's limits.
    pub(crate) settings: Vec<SettingView>,
}

/// Any JSON value, null included, that must be present: a request that leaves it out is refused
/// (poem-openapi's own `serde_json::Value` reads a missing field as null).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Present(pub(crate) serde_json::Value);

impl Type for Present {
    const IS_REQUIRED: bool = true;

    type RawValueType = serde_json::Value;

    type RawElementValueType = serde_json::Value;

    fn name() -> Cow<'static, str> {
        serde_json::Value::name()
    }

    fn schema_ref() -> MetaSchemaRef {
        serde_json::Value::schema_ref()
    }

    fn as_raw_value(&self) -> Option<&Self::RawValueType> {
        Some(&self.0)
    }

    fn raw_element_iter<'a>(&'a self) -> Box<dyn Iterator<Item = &'a Self::RawElementValueType> + 'a> {
        Box::new(self.as_raw_value().into_iter())
    }
}

impl ParseFromJSON for Present {
    fn parse_from_json(value: Option<serde_json::Value>) -> ParseResult<Self> {
        value.map(Self).ok_or_else(ParseError::expected_input)
    }
}

impl ToJSON for Present {
    fn to_json(&self) -> Option<serde_json::Value> {
        Some(self.0.clone())
    }
}

/// A new value for a setting, with why.
#[derive(Debug, Clone, Object)]
#[oai(rename = "SetSettingRequest", rename_all = "camelCase")]
pub(crate) struct SetSettingRequest {
    /// A boolean for a flag; a whole number, or null for unlimited, for a plan limit. Required:
    /// null must be sent, not left out.
    pub(crate) value: Present,
    /// Why, 10 to 1000 characters once surrounding blanks are trimmed (kept in the audit log).
    #[oai(validator(
        min_length = 10,
        max_length = 1000,
        pattern = r#"^[\t\n\x0b\x0c\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*[^\t\n\x0b\x0c\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000](?:[^\t\n\x0b\x0c\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]|[\t\n\x0b\x0c\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]){8,}[^\t\n\x0b\x0c\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000][\t\n\x0b\x0c\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*$"#
    ))]
    pub(crate) reason: Text,
    /// A support ticket id, up to 64 printable characters, kept in the audit log beside the
    /// reason.
    #[oai(nullable, validator(max_length = 64, pattern = r"^[^\u0000-\u001f\u007f-\u009f]*$"))]
    pub(crate) ticket_id: Option<Text>,
}

/// One change of a setting.
#[derive(Debug, Clone, Object)]
#[oai(rename = "ConfigChange", rename_all = "camelCase")]
pub(crate) struct ConfigChangeView {
    /// The id.
    pub(crate) id: Uuid,
    /// The setting.
    pub(crate) key: String,
    /// The value before, as JSON.
    pub(crate) old_value: serde_json::Value,
    /// The value after, as JSON.
    pub(crate) new_value: serde_json::Value,
    /// Who changed it (absent: the system).
    #[oai(skip_serializing_if_is_none)]
    pub(crate) changed_by: Option<Uuid>,
    /// Why.
    pub(crate) reason: String,
    /// The ticket, if one was given.
    #[oai(skip_serializing_if_is_none)]
    pub(crate) ticket_id: Option<String>,
    /// When.
    pub(crate) created_at: DateTime<Utc>,
}

impl From<ConfigChange> for ConfigChangeView {
    fn from(c: ConfigChange) -> Self {
        Self {
            id: c.id,
            key: c.key,
            old_value: c.old_value,
            new_value: c.new_value,
            changed_by: c.changed_by.map(|u| u.0),
            reason: c.reason,
            ticket_id: c.ticket,
            created_at: c.created_at,
        }
    }
}
