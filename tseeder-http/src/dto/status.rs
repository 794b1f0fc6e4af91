//! The public status page and its operators' incidents and maintenance windows.

use chrono::{DateTime, NaiveDate, Utc};
use poem_openapi::{Enum, Object};
use tseeder_core::domain::{
    ComponentState, Incident, IncidentImpact, IncidentStatus, IncidentUpdate, Maintenance, StatusIndicator,
};
use tseeder_core::services::status::{ComponentOverview, DayBar, StatusOverview, UptimeFigures};
use uuid::Uuid;

use crate::dto::text::Text;

/// A component's state.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Enum)]
#[oai(rename = "ComponentState", rename_all = "snake_case")]
pub(crate) enum ComponentStateDto {
    /// Working as it should.
    Operational,
    /// Working, slower or less capable.
    Degraded,
    /// Partly down.
    PartialOutage,
    /// Down.
    MajorOutage,
    /// In a maintenance window.
    Maintenance,
}

impl From<ComponentState> for ComponentStateDto {
    fn from(s: ComponentState) -> Self {
        match s {
            ComponentState::Operational => Self::Operational,
            ComponentState::Degraded => Self::Degraded,
            ComponentState::PartialOutage => Self::PartialOutage,
            ComponentState::MajorOutage => Self::MajorOutage,
            ComponentState::Maintenance => Self::Maintenance,
        }
    }
}

/// The overall indicator.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Enum)]
#[oai(rename = "StatusIndicator", rename_all = "snake_case")]
pub(crate) enum IndicatorDto {
    /// Everything operational.
    None,
    /// Something degraded.
    Minor,
    /// A partial outage.
    Major,
    /// A major outage.
    Critical,
}

impl From<StatusIndicator> for IndicatorDto {
    fn from(i: StatusIndicator) -> Self {
        match i {
            StatusIndicator::None => Self::None,
            StatusIndicator::Minor => Self::Minor,
            StatusIndicator::Major => Self::Major,
            StatusIndicator::Critical => Self::Critical,
        }
    }
}

/// An incident's impact.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Enum)]
#[oai(rename = "IncidentImpact", rename_all = "snake_case")]
pub(crate) enum ImpactDto {
    /// Nothing users notice.
    None,
    /// A little.
    Minor,
    /// A lot.
    Major,
    /// The service is down.
    Critical,
}

impl From<IncidentImpact> for ImpactDto {
    fn from(i: IncidentImpact) -> Self {
        match i {
            IncidentImpact::None => Self::None,
            IncidentImpact::Minor => Self::Minor,
            IncidentImpact::Major => Self::Major,
            IncidentImpact::Critical => Self::Critical,
        }
    }
}

impl From<ImpactDto> for IncidentImpact {
    fn from(i: ImpactDto) -> Self {
        match i {
            ImpactDto::None => Self::None,
            ImpactDto::Minor => Self::Minor,
            ImpactDto::Major => Self::Major,
            ImpactDto::Critical => Self::Critical,
        }
    }
}

/// Where an incident stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Enum)]
#[oai(rename = "IncidentStatus", rename_all = "snake_case")]
pub(crate) enum IncidentStatusDto {
    /// Looking into it.
    Investigating,
    /// The cause is known.
    Identified,
    /// Fixed, watching.
    Monitoring,
    /// Over.
    Resolved,
}

impl From<IncidentStatus> for IncidentStatusDto {
    fn from(s: IncidentStatus) -> Self {
        match s {
            IncidentStatus::Investigating => Self::Investigating,
            IncidentStatus::Identified => Self::Identified,
            IncidentStatus::Monitoring => Self::Monitoring,
            IncidentStatus::Resolved => Self::Resolved,
        }
    }
}

impl From<IncidentStatusDto> for IncidentStatus {
    fn from(s: IncidentStatusDto) -> Self {
        match s {
            IncidentStatusDto::Investigating => Self::Investigating,
            IncidentStatusDto::Identified => Self::Identified,
            IncidentStatusDto::Monitoring => Self::Monitoring,
            IncidentStatusDto::Resolved => Self::Resolved,
        }
    }
}

/// One post on an incident.
#[derive(Debug, Clone, Object)]
#[oai(rename = "IncidentUpdate", rename_all = "camelCase")]
pub(crate) struct IncidentUpdateView {
    /// Its id.
    pub(crate) id: Uuid,
    /// The status it announces.
    pub(crate) status: IncidentStatusDto,
    /// What it says.
    pub(crate) body: String,
    /// When it was posted.
    pub(crate) created_at: DateTime<Utc>,
}

impl From<IncidentUpdate> for IncidentUpdateView {
    fn from(u: IncidentUpdate) -> Self {
        Self { id: u.id, status: u.status.into(), body: u.body, created_at: u.created_at }
    }
}

/// An incident with its updates.
#[derive(Debug, Clone, Object)]
#[oai(rename = "Incident", rename_all = "camelCase", skip_serializing_if_is_none)]
pub(crate) struct IncidentView {
    /// Its id.
    pub(crate) id: Uuid,
    /// The title.
    pub(crate) title: String,
    /// How much it affects users.
    pub(crate) impact: ImpactDto,
    /// Its latest status.
    pub(crate) status: IncidentStatusDto,
    /// The components it affects.
    pub(crate) components: Vec<String>,
    /// When it was opened.
    pub(crate) created_at: DateTime<Utc>,
    /// When it was resolved; absent while open.
    pub(crate) resolved_at: Option<DateTime<Utc>>,
    /// Its updates, oldest first.
    pub(crate) updates: Vec<IncidentUpdateView>,
}

impl From<Incident> for IncidentView {
    fn from(i: Incident) -> Self {
        Self {
            id: i.id,
            title: i.title,
            impact: i.impact.into(),
            status: i.status.into(),
            components: i.components,
            created_at: i.created_at,
            resolved_at: i.resolved_at,
            updates: i.updates.into_iter().map(Into::into).collect(),
        }
    }
}

/// A maintenance window.
#[derive(Debug, Clone, Object)]
#[oai(rename = "Maintenance", rename_all = "camelCase")]
pub(crate) struct MaintenanceView {
    /// Its id.
    pub(crate) id: Uuid,
    /// The title.
    pub(crate) title: String,
    /// What is done (may be empty).
    pub(crate) body: String,
    /// The components under maintenance.
    pub(crate) components: Vec<String>,
    /// When it starts.
    pub(crate) starts_at: DateTime<Utc>,
    /// When it ends.
    pub(crate) ends_at: DateTime<Utc>,
}

impl From<Maintenance> for MaintenanceView {
    fn from(m: Maintenance) -> Self {
        Self {
            id: m.id,
            title: m.title,
            body: m.body,
            components: m.components,
            starts_at: m.starts_at,
            ends_at: m.ends_at,
        }
    }
}

/// A component now.
#[derive(Debug, Clone, Object)]
#[oai(rename = "ComponentNow", rename_all = "camelCase", skip_serializing_if_is_none)]
pub(crate) struct ComponentNowView {
    /// Its id (`api`, `database`, `object_store`, `queue`, `agents.<region>`).
    pub(crate) id: String,
    /// Its public name.
    pub(crate) name: String,
    /// Its state; absent before its first sample.
    pub(crate) state: Option<ComponentStateDto>,
    /// Why, in public words.
    pub(crate) reason: Option<String>,
    /// Since when it is in this state.
    pub(crate) since: Option<DateTime<Utc>>,
    /// When it was last sampled.
    pub(crate) checked_at: Option<DateTime<Utc>>,
}

impl From<&ComponentOverview> for ComponentNowView {
    fn from(c: &ComponentOverview) -> Self {
        Self {
            id: c.id.clone(),
            name: c.name.clone(),
            state: c.status.as_ref().map(|s| s.state.into()),
            reason: c.status.as_ref().map(|s| s.reason.clone()),
            since: c.status.as_ref().map(|s| s.since),
            checked_at: c.status.as_ref().map(|s| s.checked_at),
        }
    }
}

/// The overall indicator and its sentence.
#[derive(Debug, Clone, Object)]
#[oai(rename = "OverallStatus")]
pub(crate) struct OverallView {
    /// `none`, `minor`, `major` or `critical`.
    pub(crate) indicator: IndicatorDto,
    /// E.g. "All Systems Operational".
    pub(crate) description: String,
}

/// The service's state now.
#[derive(Debug, Clone, Object)]
#[oai(rename = "StatusNow", rename_all = "camelCase")]
pub(crate) struct StatusNowView {
    /// The overall indicator.
    pub(crate) status: OverallView,
    /// Every component.
    pub(crate) components: Vec<ComponentNowView>,
    /// Incidents still open.
    pub(crate) incidents: Vec<IncidentView>,
    /// Maintenance windows in progress or to come.
    pub(crate) maintenances: Vec<MaintenanceView>,
}

impl From<StatusOverview> for StatusNowView {
    fn from(o: StatusOverview) -> Self {
        let now = o.at;
        Self {
            status: OverallView { indicator: o.indicator.into(), description: o.indicator.description().into() },
            components: o.components.iter().map(ComponentNowView::from).collect(),
            incidents: o.incidents.into_iter().filter(|i| i.resolved_at.is_none()).map(Into::into).collect(),
            maintenances: o.maintenances.into_iter().filter(|m| m.ends_at > now).map(Into::into).collect(),
        }
    }
}

/// Uptime in percent over four windows; a window with no data is absent.
#[derive(Debug, Clone, Copy, Object)]
#[oai(rename = "Uptime", skip_serializing_if_is_none)]
pub(crate) struct UptimeView {
    /// The last 24 hours.
    pub(crate) h24: Option<f64>,
    /// The last 7 days.
    pub(crate) d7: Option<f64>,
    /// The last 30 days.
    pub(crate) d30: Option<f64>,
    /// The last 90 days.
    pub(crate) d90: Option<f64>,
}

/// Rounds a percentage to 3 decimals.
fn round(pct: Option<f64>) -> Option<f64> {
    pct.map(|p| (p * 1000.0).round() / 1000.0)
}

impl From<UptimeFigures> for UptimeView {
    fn from(u: UptimeFigures) -> Self {
        Self { h24: round(u.h24), d7: round(u.d7), d30: round(u.d30), d90: round(u.d90) }
    }
}

/// One component's day.
#[derive(Debug, Clone, Object)]
#[oai(rename = "StatusDay", rename_all = "camelCase", skip_serializing_if_is_none)]
pub(crate) struct DayView {
    /// The UTC day.
    pub(crate) date: NaiveDate,
    /// Minutes operational.
    pub(crate) operational: u32,
    /// Minutes degraded.
    pub(crate) degraded: u32,
    /// Minutes in partial outage.
    pub(crate) partial_outage: u32,
    /// Minutes in major outage.
    pub(crate) major_outage: u32,
    /// Minutes in maintenance.
    pub(crate) maintenance: u32,
    /// Minutes (so far, today) with no sample: no process was up to look.
    pub(crate) no_data: u32,
    /// The day's uptime in percent; absent with no data.
    pub(crate) uptime: Option<f64>,
    /// Incidents affecting the component that day.
    pub(crate) incidents: Vec<Uuid>,
    /// Maintenance windows of the component that day.
    pub(crate) maintenances: Vec<Uuid>,
}

impl From<&DayBar> for DayView {
    fn from(d: &DayBar) -> Self {
        Self {
            date: d.date,
            operational: d.minutes.operational,
            degraded: d.minutes.degraded,
            partial_outage: d.minutes.partial_outage,
            major_outage: d.minutes.major_outage,
            maintenance: d.minutes.maintenance,
            no_data: d.no_data,
            uptime: round(d.uptime),
            incidents: d.incidents.clone(),
            maintenances: d.maintenances.clone(),
        }
    }
}

/// One component's history.
#[derive(Debug, Clone, Object)]
#[oai(rename = "ComponentHistory")]
pub(crate) struct ComponentHistoryView {
    /// Its id.
    pub(crate) id: String,
    /// Its public name.
    pub(crate) name: String,
    /// Its uptime over the four windows.
    pub(crate) uptime: UptimeView,
    /// One entry per day, oldest first.
    pub(crate) days: Vec<DayView>,
}

/// The daily history of every component.
#[derive(Debug, Clone, Object)]
#[oai(rename = "StatusHistory", rename_all = "camelCase")]
pub(crate) struct StatusHistoryView {
    /// The uptime formula: `100 * (counted - majorOutage - w * partialOutage) / counted`, where
    /// `counted` is the sampled minutes less maintenance, and `w` this weight.
    pub(crate) partial_outage_weight: f64,
    /// Every component together.
    pub(crate) overall: UptimeView,
    /// Each component.
    pub(crate) components: Vec<ComponentHistoryView>,
    /// The incidents of those days, newest first.
    pub(crate) incidents: Vec<IncidentView>,
    /// The maintenance windows of those days and to come.
    pub(crate) maintenances: Vec<MaintenanceView>,
}

impl From<StatusOverview> for StatusHistoryView {
    fn from(o: StatusOverview) -> Self {
        Self {
            partial_outage_weight: o.partial_weight,
            overall: o.overall.into(),
            components: o
                .components
                .iter()
                .map(|c| ComponentHistoryView {
                    id: c.id.clone(),
                    name: c.name.clone(),
                    uptime: c.uptime.into(),
                    days: c.days.iter().map(DayView::from).collect(),
                })
                .collect(),
            incidents: o.incidents.into_iter().map(Into::into).collect(),
            maintenances: o.maintenances.into_iter().map(Into::into).collect(),
        }
    }
}

/// Opens an incident.
#[derive(Debug, Clone, Object)]
#[oai(rename_all = "camelCase")]
pub(crate) struct NewIncidentRequest {
    /// A short title, 1 to 200 characters.
    #[oai(validator(min_length = 1, max_length = 200))]
    pub(crate) title: Text,
    /// How much it affects users.
    pub(crate) impact: ImpactDto,
    /// The affected components' ids (see `GET /api/v1/status`).
    #[oai(validator(max_items = 50))]
    pub(crate) components: Vec<Text>,
    /// The first status: investigating, identified or monitoring.
    pub(crate) status: IncidentStatusDto,
    /// The first update, 1 to 5000 characters, published as written.
    #[oai(validator(min_length = 1, max_length = 5000))]
    pub(crate) body: Text,
}

/// Posts an update on an incident.
#[derive(Debug, Clone, Object)]
#[oai(rename_all = "camelCase")]
pub(crate) struct IncidentUpdateRequest {
    /// The incident's new status (`resolved` closes it).
    pub(crate) status: IncidentStatusDto,
    /// The update, 1 to 5000 characters, published as written.
    #[oai(validator(min_length = 1, max_length = 5000))]
    pub(crate) body: Text,
}

/// Schedules a maintenance window.
#[derive(Debug, Clone, Object)]
#[oai(rename_all = "camelCase")]
pub(crate) struct NewMaintenanceRequest {
    /// A short title, 1 to 200 characters.
    #[oai(validator(min_length = 1, max_length = 200))]
    pub(crate) title: Text,
    /// What is done, up to 5000 characters.
    #[oai(nullable, validator(max_length = 5000))]
    pub(crate) body: Option<Text>,
    /// The components under maintenance (at least one).
    #[oai(validator(min_items = 1, max_items = 50))]
    pub(crate) components: Vec<Text>,
    /// When it starts.
    pub(crate) starts_at: DateTime<Utc>,
    /// When it ends: after the start, in the future, at most 7 days after the start.
    pub(crate) ends_at: DateTime<Utc>,
}

/// `{incidents}`.
#[derive(Debug, Clone, Object)]
pub(crate) struct IncidentList {
    /// Newest first.
    pub(crate) incidents: Vec<IncidentView>,
}

/// `{maintenances}`.
#[derive(Debug, Clone, Object)]
pub(crate) struct MaintenanceList {
    /// By start time.
    pub(crate) maintenances: Vec<MaintenanceView>,
}

/// Statuspage's `page` object.
#[derive(Debug, Clone, Object)]
#[oai(rename = "SpPage")]
pub(crate) struct SpPage {
    /// Always `tseeder`.
    pub(crate) id: String,
    /// The page's name (`status.page_name`).
    pub(crate) name: String,
    /// The page's address, relative to this host.
    pub(crate) url: String,
    /// When this was computed.
    pub(crate) updated_at: DateTime<Utc>,
}

/// Statuspage's `status` object.
#[derive(Debug, Clone, Object)]
#[oai(rename = "SpStatus")]
pub(crate) struct SpStatus {
    /// `none`, `minor`, `major` or `critical`.
    pub(crate) indicator: IndicatorDto,
    /// E.g. "All Systems Operational".
    pub(crate) description: String,
}

/// A component's state in Statuspage's words.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Enum)]
#[oai(rename = "SpComponentStatus", rename_all = "snake_case")]
pub(crate) enum SpComponentStatus {
    /// Operational (also before the first sample).
    Operational,
    /// Degraded.
    DegradedPerformance,
    /// Partly down.
    PartialOutage,
    /// Down.
    MajorOutage,
    /// In maintenance.
    UnderMaintenance,
}

impl From<ComponentState> for SpComponentStatus {
    fn from(s: ComponentState) -> Self {
        match s {
            ComponentState::Operational => Self::Operational,
            ComponentState::Degraded => Self::DegradedPerformance,
            ComponentState::PartialOutage => Self::PartialOutage,
            ComponentState::MajorOutage => Self::MajorOutage,
            ComponentState::Maintenance => Self::UnderMaintenance,
        }
    }
}

/// Statuspage's component.
#[derive(Debug, Clone, Object)]
#[oai(rename = "SpComponent")]
pub(crate) struct SpComponent {
    /// The component's id.
    pub(crate) id: String,
    /// Its name.
    pub(crate) name: String,
    /// Its state.
    pub(crate) status: SpComponentStatus,
    /// Its place on the page, from 1.
    pub(crate) position: u32,
    /// Why it is in this state.
    pub(crate) description: String,
    /// When it was last sampled (the page's time before the first sample).
    pub(crate) updated_at: DateTime<Utc>,
}

/// Statuspage's incident update.
#[derive(Debug, Clone, Object)]
#[oai(rename = "SpIncidentUpdate")]
pub(crate) struct SpIncidentUpdate {
    /// Its id.
    pub(crate) id: Uuid,
    /// The status it announces.
    pub(crate) status: IncidentStatusDto,
    /// What it says.
    pub(crate) body: String,
    /// When it was posted.
    pub(crate) created_at: DateTime<Utc>,
    /// The same as `created_at` (updates are not edited).
    pub(crate) updated_at: DateTime<Utc>,
}

/// Statuspage's incident.
#[derive(Debug, Clone, Object)]
#[oai(rename = "SpIncident", skip_serializing_if_is_none)]
pub(crate) struct SpIncident {
    /// Its id.
    pub(crate) id: Uuid,
    /// The title.
    pub(crate) name: String,
    /// Its latest status.
    pub(crate) status: IncidentStatusDto,
    /// Its impact.
    pub(crate) impact: ImpactDto,
    /// When it was opened.
    pub(crate) created_at: DateTime<Utc>,
    /// When it last changed.
    pub(crate) updated_at: DateTime<Utc>,
    /// When it was resolved; absent while open.
    pub(crate) resolved_at: Option<DateTime<Utc>>,
    /// Its updates, newest first (Statuspage's order).
    pub(crate) incident_updates: Vec<SpIncidentUpdate>,
}

impl From<Incident> for SpIncident {
    fn from(i: Incident) -> Self {
        let updated_at = i.updates.last().map_or(i.created_at, |u| u.created_at);
        Self {
            id: i.id,
            name: i.title,
            status: i.status.into(),
            impact: i.impact.into(),
            created_at: i.created_at,
            updated_at,
            resolved_at: i.resolved_at,
            incident_updates: i
                .updates
                .into_iter()
                .rev()
                .map(|u| SpIncidentUpdate {
                    id: u.id,
                    status: u.status.into(),
                    body: u.body,
                    created_at: u.created_at,
                    updated_at: u.created_at,
                })
                .collect(),
        }
    }
}

/// Where a maintenance window stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Enum)]
#[oai(rename = "SpMaintenanceStatus", rename_all = "snake_case")]
pub(crate) enum SpMaintenanceStatus {
    /// Not started.
    Scheduled,
    /// Under way.
    InProgress,
    /// Over.
    Completed,
}

/// Statuspage's scheduled maintenance.
#[derive(Debug, Clone, Object)]
#[oai(rename = "SpScheduledMaintenance")]
pub(crate) struct SpMaintenance {
    /// Its id.
    pub(crate) id: Uuid,
    /// The title.
    pub(crate) name: String,
    /// Where it stands now.
    pub(crate) status: SpMaintenanceStatus,
    /// What is done.
    pub(crate) description: String,
    /// When it starts.
    pub(crate) scheduled_for: DateTime<Utc>,
    /// When it ends.
    pub(crate) scheduled_until: DateTime<Utc>,
    /// The components under maintenance.
    pub(crate) components: Vec<String>,
}

impl SpMaintenance {
    pub(crate) fn new(m: Maintenance, now: DateTime<Utc>) -> Self {
        let status = if now < m.starts_at {
            SpMaintenanceStatus::Scheduled
        } else if now < m.ends_at {
            SpMaintenanceStatus::InProgress
        } else {
            SpMaintenanceStatus::Completed
        };
        Self {
            id: m.id,
            name: m.title,
            status,
            description: m.body,
            scheduled_for: m.starts_at,
            scheduled_until: m.ends_at,
            components: m.components,
        }
    }
}

/// Statuspage's `status.json`: the page and its indicator.
#[derive(Debug, Clone, Object)]
#[oai(rename = "SpStatusDocument")]
pub(crate) struct SpStatusDocument {
    /// The page.
    pub(crate) page: SpPage,
    /// The indicator.
    pub(crate) status: SpStatus,
}

/// Statuspage's `summary.json`: the page, its indicator, components, open incidents and
/// maintenance in progress or to come.
#[derive(Debug, Clone, Object)]
#[oai(rename = "SpSummaryDocument")]
pub(crate) struct SpSummaryDocument {
    /// The page.
    pub(crate) page: SpPage,
    /// The indicator.
    pub(crate) status: SpStatus,
    /// Every component.
    pub(crate) components: Vec<SpComponent>,
    /// Open incidents, newest first.
    pub(crate) incidents: Vec<SpIncident>,
    /// Maintenance in progress or to come.
    pub(crate) scheduled_maintenances: Vec<SpMaintenance>,
}

impl SpSummaryDocument {
    pub(crate) fn new(o: StatusOverview, url: String) -> Self {
        let now = o.at;
        Self {
            page: SpPage { id: "tseeder".into(), name: o.page_name.clone(), url, updated_at: now },
            status: SpStatus { indicator: o.indicator.into(), description: o.indicator.description().into() },
            components: o
                .components
                .iter()
                .enumerate()
                .map(|(i, c)| SpComponent {
                    id: c.id.clone(),
                    name: c.name.clone(),
                    status: c.status.as_ref().map_or(SpComponentStatus::Operational, |s| s.state.into()),
                    position: u32::try_from(i + 1).unwrap_or(u32::MAX),
                    description: c.status.as_ref().map(|s| s.reason.clone()).unwrap_or_default(),
                    updated_at: c.status.as_ref().map_or(now, |s| s.checked_at),
                })
                .collect(),
            incidents: o.incidents.into_iter().filter(|i| i.resolved_at.is_none()).map(Into::into).collect(),
            scheduled_maintenances: o
                .maintenances
                .into_iter()
                .filter(|m| m.ends_at > now)
                .map(|m| SpMaintenance::new(m, now))
                .collect(),
        }
    }
}
