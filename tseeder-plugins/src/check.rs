//! `tseeder plugins check`: load a plugin file as the host would, run timed smoke decisions,
//! and report what it is.

use std::time::{Duration, Instant};

use chrono::Utc;
use tseeder_core::config::PluginConfig;
use tseeder_core::ports::PolicyKind;
use wasmtime::component::Component;

use crate::engine::PluginEngine;
use crate::error::PluginError;
use crate::plugin::{Loaded, World, load_bytes, read_plugin, sha256_hex};
use crate::retention::RetentionWorld;
use crate::router::RouterWorld;

/// Decisions timed by [`check`].
pub const CHECK_DECISIONS: usize = 200;

/// What [`check`] found out about a plugin file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckReport {
    /// The policy it implements, from its exports.
    pub kind: PolicyKind,
    /// Its lowercase hex SHA-256, to pin in the configuration.
    pub sha256: String,
    /// Its size in bytes.
    pub bytes: u64,
    /// What it imports besides the types-only interface (empty for a plugin that needs no
    /// grant).
    pub imports: Vec<String>,
    /// How long loading took: compile (or cache hit), checks and the first smoke decision.
    pub load_time: Duration,
    /// Median time of one smoke decision, fresh store included.
    pub decision_p50: Duration,
    /// 99th percentile of the same.
    pub decision_p99: Duration,
}

/// The policy a component implements, from the function it exports.
pub fn detect_kind(engine: &PluginEngine, bytes: &[u8]) -> Result<PolicyKind, PluginError> {
    let component = Component::new(engine.engine(), bytes)
        .map_err(|e| PluginError::Refused(format!("not a valid WebAssembly component: {e}")))?;
    let exports: Vec<String> = component.component_type().exports(engine.engine()).map(|(n, _)| n.to_owned()).collect();
    if exports.iter().any(|e| e == "rank") {
        Ok(PolicyKind::Router)
    } else if exports.iter().any(|e| e == "select-expired") {
        Ok(PolicyKind::Retention)
    } else {
        Err(PluginError::Refused(format!(
            "exports neither `rank` (router) nor `select-expired` (retention); it exports: {}",
            if exports.is_empty() { "nothing".to_owned() } else { exports.join(", ") }
        )))
    }
}

/// Loads the file `config.path` as the host would (with `config`'s limits and grants; its own
/// hash is accepted, since the point is to learn it), then times [`CHECK_DECISIONS`] smoke
/// decisions.
pub fn check(engine: &PluginEngine, config: &PluginConfig) -> Result<CheckReport, PluginError> {
    let bytes = read_plugin(&config.path)?;
    let sha256 = sha256_hex(&bytes);
    let kind = detect_kind(engine, &bytes)?;
    let imports = Component::new(engine.engine(), &bytes)
        .map(|c| {
            let component_type = c.component_type();
            let imports = component_type.imports(engine.engine()).map(|(n, _)| n.to_owned());
            imports.filter(|n| n != crate::bindings::TYPES_INTERFACE).collect()
        })
        .unwrap_or_default();
    let started = Instant::now();
    let samples = match kind {
        PolicyKind::Router => time::<RouterWorld>(load_bytes(engine, config, &bytes, sha256.clone(), Utc::now())?)?,
        PolicyKind::Retention => {
            time::<RetentionWorld>(load_bytes(engine, config, &bytes, sha256.clone(), Utc::now())?)?
        }
    };
    let load_time = started.elapsed().saturating_sub(samples.iter().sum());
    Ok(CheckReport {
        kind,
        sha256,
        bytes: bytes.len() as u64,
        imports,
        load_time,
        decision_p50: percentile(&samples, 50),
        decision_p99: percentile(&samples, 99),
    })
}

fn time<W: World>(plugin: Loaded<W>) -> Result<Vec<Duration>, PluginError> {
    let mut samples = Vec::with_capacity(CHECK_DECISIONS);
    for _ in 0..CHECK_DECISIONS {
        let started = Instant::now();
        W::smoke(&plugin).map_err(|f| {
            PluginError::Refused(format!("smoke decision failed: {}", f.describe(plugin.limits.timeout)))
        })?;
        samples.push(started.elapsed());
    }
    Ok(samples)
}

/// The `p`th percentile (0 to 100) of `samples` by the nearest-rank method; zero when empty.
pub fn percentile(samples: &[Duration], p: u32) -> Duration {
    if samples.is_empty() {
        return Duration::ZERO;
    }
    let mut sorted = samples.to_vec();
    sorted.sort_unstable();
    let rank = (u64::from(p.min(100)) * sorted.len() as u64).div_ceil(100).max(1);
    sorted[usize::try_from(rank).unwrap_or(usize::MAX).min(sorted.len()) - 1]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentiles_use_the_nearest_rank() {
        let ms = |n| Duration::from_millis(n);
        let samples: Vec<Duration> = (1..=100).rev().map(ms).collect();
        assert_eq!(percentile(&samples, 50), ms(50));
        assert_eq!(percentile(&samples, 99), ms(99));
        assert_eq!(percentile(&samples, 100), ms(100));
        assert_eq!(percentile(&[ms(7)], 99), ms(7));
        assert_eq!(percentile(&[], 50), Duration::ZERO);
    }
}
