//! Test guests: WAT fixtures turned into components in-process (feature `test-util`), so the
//! host's tests need no guest toolchain. Each fixture is the body of a core module; the shared
//! [`PRELUDE`] (memory, bump allocator, `cabi_realloc`) is appended, the world's metadata is
//! embedded and the module is encoded as a component with `wit-component`.

use wit_component::{ComponentEncoder, StringEncoding, embed_component_metadata};
use wit_parser::Resolve;

/// Memory, a bump allocator and `cabi_realloc`, shared by every fixture.
pub const PRELUDE: &str = include_str!("../tests/fixtures/prelude.wat");

/// WAT bodies of the test guests, one per behaviour.
pub mod fixtures {
    /// The native routing rule (with `{FORCED}`/`{FORCED_LEN}` placeholders: see
    /// [`router_reference`](super::router_reference) and
    /// [`prefer_region_router`](super::prefer_region_router)).
    pub const ROUTER_REFERENCE: &str = include_str!("../tests/fixtures/router_reference.wat");
    /// The native retention rule.
    pub const RETENTION_REFERENCE: &str = include_str!("../tests/fixtures/retention_reference.wat");
    /// A router that loops forever.
    pub const SPIN_FOREVER: &str = include_str!("../tests/fixtures/spin_forever.wat");
    /// A router that grows memory without end.
    pub const GROW_MEMORY: &str = include_str!("../tests/fixtures/grow_memory.wat");
    /// A router that recurses without end.
    pub const DEEP_RECURSION: &str = include_str!("../tests/fixtures/deep_recursion.wat");
    /// A router that traps at once.
    pub const TRAP: &str = include_str!("../tests/fixtures/trap.wat");
    /// A router that names an unknown worker.
    pub const BAD_OUTPUT: &str = include_str!("../tests/fixtures/bad_output.wat");
    /// A retention policy that names an unknown file.
    pub const BAD_RETENTION: &str = include_str!("../tests/fixtures/bad_retention.wat");
    /// A retention policy that loops forever.
    pub const SPIN_RETENTION: &str = include_str!("../tests/fixtures/spin_retention.wat");
    /// A router importing WASI (`wasi:cli/environment`); world [`TEST_WORLD_WASI`](super::TEST_WORLD_WASI).
    pub const IMPORTS_WASI: &str = include_str!("../tests/fixtures/imports_wasi.wat");
    /// A router importing an unknown host interface; world [`TEST_WORLD_SPY`](super::TEST_WORLD_SPY).
    pub const IMPORTS_UNKNOWN: &str = include_str!("../tests/fixtures/imports_unknown.wat");
    /// A router that calls the `log` host function.
    pub const IMPORTS_LOG: &str = include_str!("../tests/fixtures/imports_log.wat");
}

/// A world of the test WIT that imports WASI's environment besides exporting `rank`.
pub const TEST_WORLD_WASI: &str = "router-importing-wasi";
/// A world of the test WIT that imports an interface the host does not offer.
pub const TEST_WORLD_SPY: &str = "router-importing-spy";

/// Worlds only tests use: the real package plus two worlds with imports the host refuses.
const TEST_WORLDS: &str = r#"
interface spy {
  steal: func() -> string;
}

world router-importing-spy {
  use types.{job, worker};
  import spy;
  export rank: func(job: job, workers: list<worker>, stale-after-ms: u64) -> list<string>;
}

world router-importing-wasi {
  use types.{job, worker};
  import wasi:cli/environment@0.2.0;
  export rank: func(job: job, workers: list<worker>, stale-after-ms: u64) -> list<string>;
}
"#;

const WASI_ENVIRONMENT: &str = r#"
package wasi:cli@0.2.0;

interface environment {
  get-environment: func() -> list<tuple<string, string>>;
}
"#;

/// Builds the component of `world` (`router`, `retention`, or a test world) from a fixture
/// `body`.
pub fn component(world: &str, body: &str) -> Result<Vec<u8>, String> {
    let mut resolve = Resolve::default();
    resolve.push_str("wasi-environment.wit", WASI_ENVIRONMENT).map_err(|e| format!("{e:#}"))?;
    let package =
        resolve.push_str("policy.wit", &format!("{}\n{TEST_WORLDS}", crate::WIT)).map_err(|e| format!("{e:#}"))?;
    let world = resolve.select_world(&[package], Some(world)).map_err(|e| format!("{e:#}"))?;
    let text = format!("(module\n{body}\n{PRELUDE})");
    let mut module = wat::parse_str(&text).map_err(|e| format!("{e:#}"))?;
    embed_component_metadata(&mut module, &resolve, world, StringEncoding::UTF8).map_err(|e| format!("{e:#}"))?;
    ComponentEncoder::default()
        .module(&module)
        .and_then(|encoder| encoder.validate(true).encode())
        .map_err(|e| format!("{e:#}"))
}

/// The reference router: the native rule.
pub fn router_reference() -> Vec<u8> {
    prefer_region_router("")
}

/// The native rule, except that `region` (when not empty) is preferred instead of the job's
/// hint: a router an operator might write to keep work in one region.
#[allow(clippy::expect_used, reason = "test helper: the fixture is known to build")]
pub fn prefer_region_router(region: &str) -> Vec<u8> {
    let body =
        fixtures::ROUTER_REFERENCE.replace("{FORCED_LEN}", &region.len().to_string()).replace("{FORCED}", region);
    component("router", &body).expect("the reference router builds")
}

/// The reference retention policy: the native rule.
#[allow(clippy::expect_used, reason = "test helper: the fixture is known to build")]
pub fn retention_reference() -> Vec<u8> {
    retention_with_day_length(86_400)
}

/// The native rule with days of `day_secs` seconds: with 0, every completed file of a plan
/// that does not keep files forever expires at once (a policy to test sweeps with).
#[allow(clippy::expect_used, reason = "test helper: the fixture is known to build")]
pub fn retention_with_day_length(day_secs: u64) -> Vec<u8> {
    let body = fixtures::RETENTION_REFERENCE.replace("{DAY_SECS}", &day_secs.to_string());
    component("retention", &body).expect("the retention policy builds")
}
