#!/usr/bin/env bash
# Regenerates the API contract and the clients made from it, in one go:
#   openapi/openapi.json                       from the code (the test tseeder-http/tests/spec_file.rs)
#   openapi/clients/typescript/schema.d.ts     TypeScript types (openapi-typescript)
#   openapi/clients/python/tseeder-api-client  Python client (openapi-python-client)
# The generators are pinned in openapi/tools.sh and installed on first use.
#
#   bash openapi/generate.sh           regenerate everything in place
#   bash openapi/generate.sh --check   regenerate both clients from the checked-in spec into a
#                                      temporary directory and fail when they differ from the
#                                      checked-in ones (the spec itself is checked by the e2e test)
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT="$PWD"
check=false
[ "${1:-}" = "--check" ] && check=true

TOOLS="$(bash openapi/tools.sh)"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/tseeder-ci-target}"

if ! $check; then
  echo "regenerating openapi/openapi.json"
  TSEEDER_BLESS=1 cargo test --locked -p tseeder-http --test spec_file -- --quiet >/dev/null
fi

out="$(mktemp -d -t tseeder-clients.XXXXXX)"
trap 'rm -rf "$out"' EXIT

# TypeScript: one declaration file of types (paths, operations, components).
"$TOOLS/ts/node_modules/.bin/openapi-typescript" openapi/openapi.json -o "$out/schema.d.ts" >"$out/ts.log" 2>&1 \
  || { cat "$out/ts.log" >&2; exit 1; }
if grep -qi "warn" "$out/ts.log"; then
  cat "$out/ts.log" >&2
  echo "error: openapi-typescript warned about the spec" >&2
  exit 1
fi

# Python: a package. Any warning fails: the spec must be fully usable by the generator.
(cd "$out" && "$TOOLS/py/bin/openapi-python-client" generate --path "$ROOT/openapi/openapi.json" \
  --config "$ROOT/openapi/clients/python/generator.yaml" --output-path "$out/tseeder-api-client" >"$out/py.log" 2>&1) \
  || { cat "$out/py.log" >&2; exit 1; }
if grep -qi "warning" "$out/py.log"; then
  cat "$out/py.log" >&2
  echo "error: openapi-python-client warned about the spec" >&2
  exit 1
fi

ts_dest=openapi/clients/typescript/schema.d.ts
py_dest=openapi/clients/python/tseeder-api-client
if $check; then
  status=0
  diff -u "$ts_dest" "$out/schema.d.ts" >&2 || status=1
  diff -ru -x __pycache__ "$py_dest" "$out/tseeder-api-client" >&2 || status=1
  if [ "$status" != 0 ]; then
    echo "error: the generated clients are stale; regenerate them with: bash openapi/generate.sh" >&2
    exit 1
  fi
  echo "ok: the TypeScript and Python clients match openapi/openapi.json"
else
  cp "$out/schema.d.ts" "$ts_dest"
  rm -rf "$py_dest"
  cp -r "$out/tseeder-api-client" "$py_dest"
  echo "wrote $ts_dest and $py_dest"
fi
