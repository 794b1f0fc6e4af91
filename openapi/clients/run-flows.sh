#!/usr/bin/env bash
# Runs the live client flows against a running server: the TypeScript one (type-checked with
# tsc against the generated types, then run with node) and the Python one (the generated
# client). Both register a fresh user, so they can run against any server that allows
# registration. Usage: bash openapi/clients/run-flows.sh http://127.0.0.1:PORT
set -euo pipefail
base="${1:?usage: run-flows.sh <base url>}"
here="$(cd "$(dirname "$0")" && pwd)"
TOOLS="$(bash "$here/../tools.sh")"

work="$(mktemp -d -t tseeder-flows.XXXXXX)"
trap 'rm -rf "$work"' EXIT

echo "TypeScript flow (tsc $("$TOOLS/ts/node_modules/.bin/tsc" --version | cut -d' ' -f2), node $(node --version))"
cp "$here/typescript/flow.mts" "$here/typescript/schema.d.ts" "$here/typescript/tsconfig.json" "$work/"
ln -s "$TOOLS/ts/node_modules" "$work/node_modules"
# Type-check alone first, as a user of the types would, then compile and run.
"$TOOLS/ts/node_modules/.bin/tsc" -p "$work/tsconfig.json" --noEmit
"$TOOLS/ts/node_modules/.bin/tsc" -p "$work/tsconfig.json" --outDir "$work/out"
ln -s "$TOOLS/ts/node_modules" "$work/out/node_modules"
node "$work/out/flow.mjs" "$base"

echo "Python flow ($("$TOOLS/py/bin/python" --version))"
PYTHONDONTWRITEBYTECODE=1 PYTHONPATH="$here/python/tseeder-api-client" "$TOOLS/py/bin/python" "$here/python/flow.py" "$base"
