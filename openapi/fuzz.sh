#!/usr/bin/env bash
# Runs schemathesis against a live server, with every check on, twice: as a user (an API key with
# every user scope) and as a superadmin (an API key with the admin scope as well). Fails on any
# finding, or when fewer than MIN_CASES test cases were generated in total.
#
#   bash openapi/fuzz.sh BASE_URL USER_KEY ADMIN_KEY
#
# Environment: FUZZ_EXAMPLES (examples per operation and phase, default 25), FUZZ_SEED (a fixed
# seed; random by default, printed either way), MIN_CASES (default 5000).
# Settings and their reasons: openapi/schemathesis.toml. Nothing is excluded: every operation
# runs under both keys. The keys survive the run: API keys cannot create, revoke or log out
# other credentials, and the admin cannot demote or suspend itself.
set -euo pipefail
base="${1:?usage: fuzz.sh BASE_URL USER_KEY ADMIN_KEY}"
user_key="${2:?}"
admin_key="${3:?}"
here="$(cd "$(dirname "$0")" && pwd)"
TOOLS="$(bash "$here/tools.sh")"
examples="${FUZZ_EXAMPLES:-25}"
min_cases="${MIN_CASES:-5000}"
seed="${FUZZ_SEED:-$RANDOM$RANDOM}"

# schemathesis keeps its state in ./.schemathesis; keep it out of the work tree.
work="$(mktemp -d -t tseeder-fuzz.XXXXXX)"
trap 'rm -rf "$work"' EXIT
cd "$work"

total=0
run() { # label, key
  local label=$1 key=$2 log
  log="$work/$label.log"
  echo "schemathesis as $label (seed $seed, $examples examples per operation)"
  set +e
  "$TOOLS/st/bin/st" --config-file "$here/schemathesis.toml" run "$base/api/v1/openapi.json" \
    --url "$base" -H "Authorization: Bearer $key" --checks all --max-examples "$examples" \
    --seed "$seed" --workers 2 --no-color --warnings off >"$log" 2>&1
  local status=$?
  set -e
  # The summary, and every failure in full when there are any.
  if [ "$status" != 0 ]; then cat "$log"; else sed -n '/= SUMMARY =/,$p' "$log"; fi
  local cases
  cases="$(sed -n 's/^ *\([0-9][0-9]*\) generated.*/\1/p' "$log" | tail -n1)"
  if [ "$status" != 0 ]; then
    echo "error: schemathesis found failures as $label (exit $status)" >&2
    exit 1
  fi
  total=$((total + ${cases:-0}))
}
run "a user" "$user_key"
run "a superadmin" "$admin_key"
if [ "$total" -lt "$min_cases" ]; then
  echo "error: only $total test cases were generated; at least $min_cases are wanted" >&2
  exit 1
fi
echo "schemathesis: $total test cases, 0 failures"
