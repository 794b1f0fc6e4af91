// A retention policy for tseeder in C: the `retention` world of tseeder:policy@0.1.0
// (tseeder-plugins/wit/policy.wit), with the same rule as tseeder's native policy
// (tseeder-core/src/services/retention.rs): a file expires when its job has completed, its plan
// keeps files a limited number of days (retention-days > 0; 0 is forever), and more than that
// many days have passed since completion:
//
//   completed-at is set, retention-days > 0, now - completed-at > retention-days * 86400.
//
// Build with -DGRACE_DAYS=N (`GRACE_DAYS=3 bash plugins/build.sh`) to keep every file N days
// longer than its plan says.
#include "gen/retention.h"
#include "../c-common/policy.h"

#ifndef GRACE_DAYS
#define GRACE_DAYS 0
#endif

void exports_retention_select_expired(retention_list_file_info_t *files, uint64_t now, retention_list_string_t *ret) {
  ret->ptr = malloc(sizeof(retention_string_t) * (files->len ? files->len : 1));
  ret->len = 0;
  for (size_t i = 0; i < files->len; i++) {
    tseeder_policy_types_file_info_t *f = &files->ptr[i];
    if (!f->completed_at.is_some || f->retention_days == 0 || now <= f->completed_at.val) continue;
    uint64_t keep = ((uint64_t)f->retention_days + GRACE_DAYS) * 86400u;
    if (now - f->completed_at.val > keep) {
      ret->ptr[ret->len].ptr = policy_copy(f->id.ptr, f->id.len);
      ret->ptr[ret->len].len = f->id.len;
      ret->len++;
    }
  }
}
