// A "prefer region" router for tseeder in JavaScript, built into a component with
// componentize-js (SpiderMonkey). It implements the `router` world of tseeder:policy@0.1.0
// (tseeder-plugins/wit/policy.wit) with the same rule as tseeder's native router
// (tseeder-core/src/services/routing.rs):
//
// * eligible: healthy, heartbeat-age-ms <= stale-after-ms, active-jobs < max-jobs;
// * ranked: workers in the job's region hint first (all together without a hint), then by load
//   factor active/max (compared exactly, by cross-multiplying), then the freshest heartbeat,
//   then by id.
//
// Portable across JS component backends: componentize-js passes u64 as BigInt and a missing
// option as `undefined`, componentize-qjs as Number and `null`; so options are tested with
// `== null` and u64 values go through BigInt().
//
// Set PREFERRED_REGION to a region (e.g. "eu-west") to prefer it instead of the job's hint.
const PREFERRED_REGION = null;

// Byte-wise comparison of two strings' UTF-8 forms, as Rust's `str` ordering does.
const encoder = new TextEncoder();
function compareIds(a, b) {
  if (a === b) return 0;
  const x = encoder.encode(a);
  const y = encoder.encode(b);
  const n = Math.min(x.length, y.length);
  for (let i = 0; i < n; i++) {
    if (x[i] !== y[i]) return x[i] < y[i] ? -1 : 1;
  }
  return x.length - y.length;
}

function compareBig(a, b) {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function rank(job, workers, staleAfterMs) {
  const stale = BigInt(staleAfterMs);
  const preferred = PREFERRED_REGION != null ? PREFERRED_REGION : job.regionHint;
  const elsewhere = (w) => (preferred == null ? 0 : w.region === preferred ? 0 : 1);
  const eligible = workers.filter(
    (w) => w.healthy && BigInt(w.heartbeatAgeMs) <= stale && w.activeJobs < w.maxJobs,
  );
  eligible.sort(
    (a, b) =>
      elsewhere(a) - elsewhere(b) ||
      // u32 * u32 can exceed 2^53: compare the cross products as BigInt.
      compareBig(BigInt(a.activeJobs) * BigInt(b.maxJobs), BigInt(b.activeJobs) * BigInt(a.maxJobs)) ||
      compareBig(BigInt(a.heartbeatAgeMs), BigInt(b.heartbeatAgeMs)) ||
      compareIds(a.id, b.id),
  );
  // The contract wants each id at most once.
  const seen = new Set();
  const ranking = [];
  for (const w of eligible) {
    if (!seen.has(w.id)) {
      seen.add(w.id);
      ranking.push(w.id);
    }
  }
  return ranking;
}
