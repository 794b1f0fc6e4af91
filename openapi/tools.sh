#!/usr/bin/env bash
# Installs the pinned API tools when they are missing, into a cache directory kept between runs
# (TSEEDER_API_TOOLS, ~/.cache/tseeder-api-tools by default), and prints that directory:
#   ts/   npm: openapi-typescript (spec -> TypeScript types), typescript (tsc), openapi-fetch,
#         @types/node (for the live flow)
#   py/   PyPI: openapi-python-client (spec -> Python client), and what the generated client needs
#   st/   PyPI: schemathesis (property-based API testing against a live server)
#   qbt/  PyPI: qbittorrent-api (the qBittorrent Web API client, for the compatible API's flow)
# Everything comes from the npm registry and PyPI; a failed install fails the script.
set -euo pipefail
TOOLS="${TSEEDER_API_TOOLS:-$HOME/.cache/tseeder-api-tools}"
OPENAPI_TYPESCRIPT_VERSION=7.13.0
TYPESCRIPT_VERSION=5.9.3
OPENAPI_FETCH_VERSION=0.17.0
TYPES_NODE_VERSION=20.19.43
OPENAPI_PYTHON_CLIENT_VERSION=0.29.1
SCHEMATHESIS_VERSION=4.32.5
QBITTORRENT_API_VERSION=2026.10.1

mkdir -p "$TOOLS"
stamp() { echo "$TOOLS/$1/.installed-$2"; }

want="openapi-typescript@$OPENAPI_TYPESCRIPT_VERSION typescript@$TYPESCRIPT_VERSION openapi-fetch@$OPENAPI_FETCH_VERSION @types/node@$TYPES_NODE_VERSION"
if [ ! -e "$(stamp ts "$(echo "$want" | tr " /@" "___")")" ]; then
  echo "installing $want into $TOOLS/ts" >&2
  rm -rf "$TOOLS/ts" && mkdir -p "$TOOLS/ts"
  (cd "$TOOLS/ts" && echo '{"private":true}' >package.json \
    && npm install --silent --no-audit --no-fund --save-exact $want >&2)
  touch "$(stamp ts "$(echo "$want" | tr " /@" "___")")"
fi

venv() { # dir, pip requirement...
  local dir=$1 key
  shift
  key="$(echo "$*" | tr ' =<>' '____')"
  if [ ! -e "$(stamp "$dir" "$key")" ]; then
    echo "installing $* into $TOOLS/$dir" >&2
    rm -rf "${TOOLS:?}/$dir"
    python3 -m venv "$TOOLS/$dir"
    "$TOOLS/$dir/bin/pip" install --quiet --disable-pip-version-check "$@" >&2
    touch "$(stamp "$dir" "$key")"
  fi
}
# The generated client's own dependencies (httpx, attrs, python-dateutil) come with the
# generator, so the live flow runs in the same virtualenv.
venv py "openapi-python-client==$OPENAPI_PYTHON_CLIENT_VERSION"
venv st "schemathesis==$SCHEMATHESIS_VERSION"
venv qbt "qbittorrent-api==$QBITTORRENT_API_VERSION"
echo "$TOOLS"
