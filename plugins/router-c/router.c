// A region router for tseeder in C: the `router` world of tseeder:policy@0.1.0
// (tseeder-plugins/wit/policy.wit), with the same rule as tseeder's native router
// (tseeder-core/src/services/routing.rs):
//
//   eligible: healthy, heartbeat-age-ms <= stale-after-ms, active-jobs < max-jobs;
//   ranked:   workers in the preferred region first, then by load factor active/max (compared
//             exactly, by cross-multiplying), then the freshest heartbeat, then by id.
//
// The preferred region is the job's hint, unless the plugin is built with
// -DPREFERRED_REGION='"eu-west"' (`PREFERRED_REGION=eu-west bash plugins/build.sh`): then that
// region is preferred for every job, whatever its hint, which keeps work in one region when it
// has room.
#include "gen/router.h"
#include "../c-common/policy.h"

typedef struct {
  const uint8_t *ptr;
  size_t len;
  int set;
} preferred_t;

static preferred_t preferred;

// 0 when `w` is in the preferred region (or nothing is preferred), 1 otherwise.
static int elsewhere(const router_worker_t *w) {
  if (!preferred.set) return 0;
  return policy_compare_bytes(w->region.ptr, w->region.len, preferred.ptr, preferred.len) != 0;
}

static int compare_workers(const void *pa, const void *pb) {
  const router_worker_t *a = *(router_worker_t *const *)pa;
  const router_worker_t *b = *(router_worker_t *const *)pb;
  int ea = elsewhere(a), eb = elsewhere(b);
  if (ea != eb) return ea - eb;
  // active_a / max_a against active_b / max_b; both maxima are > 0 for eligible workers.
  uint64_t la = (uint64_t)a->active_jobs * b->max_jobs, lb = (uint64_t)b->active_jobs * a->max_jobs;
  if (la != lb) return la < lb ? -1 : 1;
  if (a->heartbeat_age_ms != b->heartbeat_age_ms) return a->heartbeat_age_ms < b->heartbeat_age_ms ? -1 : 1;
  return policy_compare_bytes(a->id.ptr, a->id.len, b->id.ptr, b->id.len);
}

void exports_router_rank(router_job_t *job, router_list_worker_t *workers, uint64_t stale_after_ms,
                         router_list_string_t *ret) {
#ifdef PREFERRED_REGION
  (void)job;
  preferred.ptr = (const uint8_t *)PREFERRED_REGION;
  preferred.len = strlen(PREFERRED_REGION);
  preferred.set = 1;
#else
  preferred.set = job->region_hint.is_some;
  preferred.ptr = job->region_hint.val.ptr;
  preferred.len = job->region_hint.val.len;
#endif
  router_worker_t **eligible = malloc(sizeof(*eligible) * (workers->len ? workers->len : 1));
  size_t n = 0;
  for (size_t i = 0; i < workers->len; i++) {
    router_worker_t *w = &workers->ptr[i];
    if (w->healthy && w->heartbeat_age_ms <= stale_after_ms && w->active_jobs < w->max_jobs) eligible[n++] = w;
  }
  qsort(eligible, n, sizeof(*eligible), compare_workers);
  ret->ptr = malloc(sizeof(router_string_t) * (n ? n : 1));
  ret->len = 0;
  for (size_t i = 0; i < n; i++) {
    // Each id at most once (a registry never lists one twice, but the contract says so).
    int repeated = 0;
    for (size_t j = 0; j < ret->len && !repeated; j++) {
      repeated = policy_compare_bytes(ret->ptr[j].ptr, ret->ptr[j].len, eligible[i]->id.ptr, eligible[i]->id.len) == 0;
    }
    if (repeated) continue;
    ret->ptr[ret->len].ptr = policy_copy(eligible[i]->id.ptr, eligible[i]->id.len);
    ret->ptr[ret->len].len = eligible[i]->id.len;
    ret->len++;
  }
}
