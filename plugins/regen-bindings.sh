#!/usr/bin/env bash
# Regenerates the committed C bindings (router-c/gen, retention-c/gen) from
# tseeder-plugins/wit/policy.wit after the contract changes. Needs wit-bindgen 0.63.0:
#   cargo install wit-bindgen-cli@0.63.0 --no-default-features --features c --root ~/.cache/tseeder-plugin-tools
set -euo pipefail
cd "$(dirname "$0")"
WIT_BINDGEN="${WIT_BINDGEN:-$HOME/.cache/tseeder-plugin-tools/bin/wit-bindgen}"
"$WIT_BINDGEN" c ../tseeder-plugins/wit --world router --out-dir router-c/gen
"$WIT_BINDGEN" c ../tseeder-plugins/wit --world retention --out-dir retention-c/gen
