//! The public status page's model: components and their states, per-minute samples rolled up by
//! hour and by day, the uptime formula, incidents with their updates, and maintenance windows.

use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, Duration, DurationRound, Utc};

/// The state of a component, best first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ComponentState {
    /// Working as it should.
    Operational,
    /// Working, slower or less capable than it should.
    Degraded,
    /// Partly down.
    PartialOutage,
    /// Down.
    MajorOutage,
    /// Down or limited on purpose, in a maintenance window.
    Maintenance,
}

impl ComponentState {
    /// Every state.
    pub const ALL: [Self; 5] =
        [Self::Operational, Self::Degraded, Self::PartialOutage, Self::MajorOutage, Self::Maintenance];

    /// The stored and API name (`operational`, `degraded`, `partial_outage`, `major_outage`,
    /// `maintenance`).
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Operational => "operational",
            Self::Degraded => "degraded",
            Self::PartialOutage => "partial_outage",
            Self::MajorOutage => "major_outage",
            Self::Maintenance => "maintenance",
        }
    }

    /// How it reads on the page.
    pub const fn label(self) -> &'static str {
        match self {
            Self::Operational => "Operational",
            Self::Degraded => "Degraded performance",
            Self::PartialOutage => "Partial outage",
            Self::MajorOutage => "Major outage",
            Self::Maintenance => "Under maintenance",
        }
    }

    /// How bad it is for the overall indicator: maintenance counts as nothing wrong.
    const fn badness(self) -> u8 {
        match self {
            Self::Operational | Self::Maintenance => 0,
            Self::Degraded => 1,
            Self::PartialOutage => 2,
            Self::MajorOutage => 3,
        }
    }
}

impl fmt::Display for ComponentState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for ComponentState {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::ALL.into_iter().find(|c| c.as_str() == s).ok_or_else(|| format!("unknown component state {s:?}"))
    }
}

/// Minutes spent in each state over a period. Minutes with no sample are not here: they are
/// "no data" (no process was up to look).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct StateMinutes {
    /// Minutes operational.
    pub operational: u32,
    /// Minutes degraded.
    pub degraded: u32,
    /// Minutes in partial outage.
    pub partial_outage: u32,
    /// Minutes in major outage.
    pub major_outage: u32,
    /// Minutes in maintenance.
    pub maintenance: u32,
}

impl StateMinutes {
    /// One minute in `state`.
    pub fn one(state: ComponentState) -> Self {
        let mut m = Self::default();
        m.add(state, 1);
        m
    }

    /// Adds `minutes` in `state`.
    pub fn add(&mut self, state: ComponentState, minutes: u32) {
        let slot = match state {
            ComponentState::Operational => &mut self.operational,
            ComponentState::Degraded => &mut self.degraded,
            ComponentState::PartialOutage => &mut self.partial_outage,
            ComponentState::MajorOutage => &mut self.major_outage,
            ComponentState::Maintenance => &mut self.maintenance,
        };
        *slot = slot.saturating_add(minutes);
    }

    /// The sum of two periods.
    #[must_use]
    pub fn plus(self, other: Self) -> Self {
        Self {
            operational: self.operational.saturating_add(other.operational),
            degraded: self.degraded.saturating_add(other.degraded),
            partial_outage: self.partial_outage.saturating_add(other.partial_outage),
            major_outage: self.major_outage.saturating_add(other.major_outage),
            maintenance: self.maintenance.saturating_add(other.maintenance),
        }
    }

    /// Minutes with a sample.
    pub fn sampled(&self) -> u32 {
        self.operational
            .saturating_add(self.degraded)
            .saturating_add(self.partial_outage)
            .saturating_add(self.major_outage)
            .saturating_add(self.maintenance)
    }

    /// Minutes counted as down, weighted: major outage fully, partial outage at
    /// `partial_weight`.
    pub fn downtime(&self, partial_weight: f64) -> f64 {
        f64::from(self.major_outage) + partial_weight * f64::from(self.partial_outage)
    }

    /// The worst state seen in the period, if any minute was sampled (maintenance ranks below
    /// every outage and above operational).
    pub fn worst(&self) -> Option<ComponentState> {
        [
            (self.major_outage, ComponentState::MajorOutage),
            (self.partial_outage, ComponentState::PartialOutage),
            (self.degraded, ComponentState::Degraded),
            (self.maintenance, ComponentState::Maintenance),
            (self.operational, ComponentState::Operational),
        ]
        .into_iter()
        .find(|(m, _)| *m > 0)
        .map(|(_, s)| s)
    }
}

/// The uptime of a period, in percent: the sampled minutes outside maintenance, less the
/// weighted downtime, over the sampled minutes outside maintenance.
///
/// ```text
/// counted = sampled - maintenance
/// uptime  = 100 * (counted - major - partial_weight * partial) / counted
/// ```
///
/// Degraded minutes count as up (Statuspage's rule); minutes with no sample count neither way.
/// `None` when no minute counts (no data, or maintenance throughout). This is the one place the
/// formula lives.
pub fn uptime_pct(minutes: &StateMinutes, partial_weight: f64) -> Option<f64> {
    let counted = minutes.sampled().saturating_sub(minutes.maintenance);
    if counted == 0 {
        return None;
    }
    let counted = f64::from(counted);
    Some((100.0 * (counted - minutes.downtime(partial_weight)) / counted).clamp(0.0, 100.0))
}

/// The overall indicator of a set of component states, in Statuspage's terms.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum StatusIndicator {
    /// Everything operational.
    None,
    /// Something degraded.
    Minor,
    /// A partial outage.
    Major,
    /// A major outage.
    Critical,
}

impl StatusIndicator {
    /// The indicator of the worst of `states`.
    pub fn of(states: impl IntoIterator<Item = ComponentState>) -> Self {
        match states.into_iter().map(ComponentState::badness).max().unwrap_or(0) {
            0 => Self::None,
            1 => Self::Minor,
            2 => Self::Major,
            _ => Self::Critical,
        }
    }

    /// `none`, `minor`, `major` or `critical`.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::None => "none",
            Self::Minor => "minor",
            Self::Major => "major",
            Self::Critical => "critical",
        }
    }

    /// The sentence the page shows.
    pub const fn description(self) -> &'static str {
        match self {
            Self::None => "All Systems Operational",
            Self::Minor => "Minor Service Outage",
            Self::Major => "Partial System Outage",
            Self::Critical => "Major Service Outage",
        }
    }
}

/// The length of a roll-up.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RollupPeriod {
    /// An hour (UTC).
    Hour,
    /// A day (UTC).
    Day,
}

impl RollupPeriod {
    /// The stored name: `hour` or `day`.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Hour => "hour",
            Self::Day => "day",
        }
    }

    /// The start (UTC) of the period holding `at`.
    pub fn start_of(self, at: DateTime<Utc>) -> DateTime<Utc> {
        let step = match self {
            Self::Hour => Duration::hours(1),
            Self::Day => Duration::days(1),
        };
        at.duration_trunc(step).unwrap_or(at)
    }
}

impl FromStr for RollupPeriod {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "hour" => Ok(Self::Hour),
            "day" => Ok(Self::Day),
            other => Err(format!("unknown roll-up period {other:?}")),
        }
    }
}

/// One component's minutes in one hour or day.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UptimeSnapshot {
    /// The component's id.
    pub component: String,
    /// Hour or day.
    pub period: RollupPeriod,
    /// Its start (UTC).
    pub start: DateTime<Utc>,
    /// Minutes per state.
    pub minutes: StateMinutes,
}

/// A component's latest sample.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ComponentStatus {
    /// The component's id (`api`, `database`, `object_store`, `queue`, `agents.<region>`).
    pub component: String,
    /// Its state.
    pub state: ComponentState,
    /// Why, in words safe to publish (no addresses, no internal errors).
    pub reason: String,
    /// Since when it has been in this state.
    pub since: DateTime<Utc>,
    /// When it was last sampled.
    pub checked_at: DateTime<Utc>,
}

/// How much an incident affects users.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum IncidentImpact {
    /// Nothing users notice.
    None,
    /// A little.
    Minor,
    /// A lot.
    Major,
    /// The service is down.
    Critical,
}

impl IncidentImpact {
    /// Every impact.
    pub const ALL: [Self; 4] = [Self::None, Self::Minor, Self::Major, Self::Critical];

    /// `none`, `minor`, `major` or `critical`.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::None => "none",
            Self::Minor => "minor",
            Self::Major => "major",
            Self::Critical => "critical",
        }
    }
}

impl FromStr for IncidentImpact {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::ALL.into_iter().find(|i| i.as_str() == s).ok_or_else(|| format!("unknown impact {s:?}"))
    }
}

/// Where an incident stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IncidentStatus {
    /// Looking into it.
    Investigating,
    /// The cause is known.
    Identified,
    /// Fixed, watching.
    Monitoring,
    /// Over.
    Resolved,
}

impl IncidentStatus {
    /// Every status, in order.
    pub const ALL: [Self; 4] = [Self::Investigating, Self::Identified, Self::Monitoring, Self::Resolved];

    /// `investigating`, `identified`, `monitoring` or `resolved`.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Investigating => "investigating",
            Self::Identified => "identified",
            Self::Monitoring => "monitoring",
            Self::Resolved => "resolved",
        }
    }

    /// How it reads on the page.
    pub const fn label(self) -> &'static str {
        match self {
            Self::Investigating => "Investigating",
            Self::Identified => "Identified",
            Self::Monitoring => "Monitoring",
            Self::Resolved => "Resolved",
        }
    }
}

impl FromStr for IncidentStatus {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::ALL.into_iter().find(|i| i.as_str() == s).ok_or_else(|| format!("unknown incident status {s:?}"))
    }
}

/// One post on an incident.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IncidentUpdate {
    /// Its id.
    pub id: uuid::Uuid,
    /// The incident's status it announces.
    pub status: IncidentStatus,
    /// What it says.
    pub body: String,
    /// When it was posted.
    pub created_at: DateTime<Utc>,
}

/// An incident, with its updates (oldest first).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Incident {
    /// Its id.
    pub id: uuid::Uuid,
    /// A short title.
    pub title: String,
    /// How much it affects users.
    pub impact: IncidentImpact,
    /// Its latest status.
    pub status: IncidentStatus,
    /// The components it affects (their ids).
    pub components: Vec<String>,
    /// When it was opened.
    pub created_at: DateTime<Utc>,
    /// When it was resolved, if it is.
    pub resolved_at: Option<DateTime<Utc>>,
    /// Its updates, oldest first (the first one opens it).
    pub updates: Vec<IncidentUpdate>,
}

impl Incident {
    /// Whether it was open at some time during the UTC day starting at `day`.
    pub fn touches_day(&self, day: DateTime<Utc>) -> bool {
        let end = day + Duration::days(1);
        self.created_at < end && self.resolved_at.is_none_or(|r| r >= day)
    }
}

/// A planned maintenance window.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Maintenance {
    /// Its id.
    pub id: uuid::Uuid,
    /// A short title.
    pub title: String,
    /// What is done, for the page.
    pub body: String,
    /// The components under maintenance (their ids).
    pub components: Vec<String>,
    /// When it starts.
    pub starts_at: DateTime<Utc>,
    /// When it ends.
    pub ends_at: DateTime<Utc>,
    /// When it was scheduled.
    pub created_at: DateTime<Utc>,
}

impl Maintenance {
    /// Whether `at` is inside the window.
    pub fn covers(&self, at: DateTime<Utc>) -> bool {
        self.starts_at <= at && at < self.ends_at
    }

    /// Whether the window overlaps the UTC day starting at `day`.
    pub fn touches_day(&self, day: DateTime<Utc>) -> bool {
        self.starts_at < day + Duration::days(1) && self.ends_at > day
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn minutes(op: u32, deg: u32, partial: u32, major: u32, maint: u32) -> StateMinutes {
        StateMinutes {
            operational: op,
            degraded: deg,
            partial_outage: partial,
            major_outage: major,
            maintenance: maint,
        }
    }

    #[test]
    fn the_uptime_formula_weighs_outages_and_leaves_out_maintenance_and_gaps() {
        // A full day up.
        assert_eq!(uptime_pct(&minutes(1440, 0, 0, 0, 0), 0.3), Some(100.0));
        // Degraded counts as up.
        assert_eq!(uptime_pct(&minutes(1000, 440, 0, 0, 0), 0.3), Some(100.0));
        // 144 minutes of major outage: 90 %.
        assert_eq!(uptime_pct(&minutes(1296, 0, 0, 144, 0), 0.3), Some(90.0));
        // 100 minutes of partial outage at 0.3 weigh as 30 minutes down.
        let pct = uptime_pct(&minutes(900, 0, 100, 0, 0), 0.3).unwrap();
        assert!((pct - 97.0).abs() < 1e-9, "{pct}");
        // ...and at weight 1 as 100 minutes.
        assert!((uptime_pct(&minutes(900, 0, 100, 0, 0), 1.0).unwrap() - 90.0).abs() < 1e-9);
        // Maintenance is left out of the count: 60 of 600 counted minutes down.
        assert_eq!(uptime_pct(&minutes(540, 0, 0, 60, 840), 0.3), Some(90.0));
        // A half day with no data counts only the sampled half.
        assert_eq!(uptime_pct(&minutes(720, 0, 0, 0, 0), 0.3), Some(100.0));
        // No data at all, or maintenance throughout: no figure, not 100 %.
        assert_eq!(uptime_pct(&StateMinutes::default(), 0.3), None);
        assert_eq!(uptime_pct(&minutes(0, 0, 0, 0, 1440), 0.3), None);
        // A percentage, never multiplied twice: at most 100.
        assert!(uptime_pct(&minutes(1, 0, 0, 0, 0), 0.3).unwrap() <= 100.0);
    }

    #[test]
    fn minutes_add_up_and_know_their_worst_state() {
        let mut m = StateMinutes::one(ComponentState::Operational);
        m.add(ComponentState::Maintenance, 3);
        assert_eq!((m.sampled(), m.worst()), (4, Some(ComponentState::Maintenance)));
        m.add(ComponentState::Degraded, 1);
        assert_eq!(m.worst(), Some(ComponentState::Degraded));
        let both = m.plus(StateMinutes::one(ComponentState::MajorOutage));
        assert_eq!((both.sampled(), both.worst()), (6, Some(ComponentState::MajorOutage)));
        assert_eq!(StateMinutes::default().worst(), None);
    }

    #[test]
    fn periods_start_on_the_utc_hour_and_day() {
        let at: DateTime<Utc> = "2026-12-06T23:59:59.5Z".parse().unwrap();
        assert_eq!(RollupPeriod::Hour.start_of(at), "2026-12-06T23:00:00Z".parse::<DateTime<Utc>>().unwrap());
        assert_eq!(RollupPeriod::Day.start_of(at), "2026-12-06T00:00:00Z".parse::<DateTime<Utc>>().unwrap());
        let midnight: DateTime<Utc> = "2026-12-07T00:00:00Z".parse().unwrap();
        assert_eq!(RollupPeriod::Day.start_of(midnight), midnight, "midnight starts the new day");
    }

    #[test]
    fn the_indicator_is_the_worst_state_with_maintenance_as_nothing_wrong() {
        use ComponentState as S;
        assert_eq!(StatusIndicator::of([S::Operational, S::Maintenance]), StatusIndicator::None);
        assert_eq!(StatusIndicator::of([S::Operational, S::Degraded]), StatusIndicator::Minor);
        assert_eq!(StatusIndicator::of([S::PartialOutage, S::Degraded]), StatusIndicator::Major);
        assert_eq!(StatusIndicator::of([S::MajorOutage, S::Operational]), StatusIndicator::Critical);
        assert_eq!(StatusIndicator::of([]), StatusIndicator::None);
    }

    #[test]
    fn incidents_and_maintenance_touch_the_days_they_span() {
        let day: DateTime<Utc> = "2026-12-05T00:00:00Z".parse().unwrap();
        let mut incident = Incident {
            id: uuid::Uuid::nil(),
            title: "x".into(),
            impact: IncidentImpact::Minor,
            status: IncidentStatus::Resolved,
            components: vec![],
            created_at: "2026-12-04T23:30:00Z".parse().unwrap(),
            resolved_at: Some("2026-12-05T00:10:00Z".parse().unwrap()),
            updates: vec![],
        };
        assert!(incident.touches_day(day), "it ran past midnight");
        assert!(incident.touches_day(day - Duration::days(1)));
        assert!(!incident.touches_day(day + Duration::days(1)));
        incident.resolved_at = None;
        assert!(incident.touches_day(day + Duration::days(5)), "open: every day since");
        let window = Maintenance {
            id: uuid::Uuid::nil(),
            title: "x".into(),
            body: String::new(),
            components: vec![],
            starts_at: "2026-12-05T22:00:00Z".parse().unwrap(),
            ends_at: "2026-12-06T00:00:00Z".parse().unwrap(),
            created_at: day,
        };
        assert!(window.touches_day(day) && !window.touches_day(day + Duration::days(1)), "ends at midnight");
        assert!(window.covers("2026-12-05T23:00:00Z".parse().unwrap()));
        assert!(!window.covers(window.ends_at));
    }
}
