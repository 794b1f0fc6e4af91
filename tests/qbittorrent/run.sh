#!/usr/bin/env bash
# The qBittorrent-compatible API against a client no one here wrote: starts a loopback seeder
# (the `seed` example) with a folder of two files and one single file, a tseeder server on a
# fresh data directory that finds peers only there, registers a user and mints an API key, then
# runs flow.py with qbittorrent-api from PyPI (pinned in openapi/tools.sh).
# Usage: bash tests/qbittorrent/run.sh TSEEDER_BIN SEED_BIN
set -euo pipefail
TSEEDER_BIN="${1:?usage: run.sh TSEEDER_BIN SEED_BIN}"
SEED_BIN="${2:?usage: run.sh TSEEDER_BIN SEED_BIN}"
here="$(cd "$(dirname "$0")" && pwd)"
TOOLS="$(bash "$here/../../openapi/tools.sh")"
PY="$TOOLS/qbt/bin/python"

work="$(mktemp -d -t tseeder-qbt.XXXXXX)"
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT

# Payloads: a season folder of two episodes (a .torrent) and a film (a magnet).
mkdir -p "$work/payloads/Show.S01"
"$PY" - "$work/payloads" <<'PYEOF'
import os, random, sys
root = sys.argv[1]
rng = random.Random(20)
for rel, size in [("Show.S01/Show.S01E01.mkv", 3_000_000), ("Show.S01/Show.S01E02.mkv", 1_234_567), ("Film.2026.mkv", 2_500_001)]:
    with open(os.path.join(root, rel), "wb") as f:
        f.write(rng.randbytes(size))
PYEOF

"$SEED_BIN" "$work/payloads/Show.S01" "$work/payloads/Film.2026.mkv" >"$work/seed.log" 2>&1 &
pids+=($!)
for _ in $(seq 1 120); do grep -q '^seeding' "$work/seed.log" && break; sleep 0.5; done
if ! grep -q '^seeding' "$work/seed.log"; then
  echo "error: the seeder did not start; its log:" >&2; cat "$work/seed.log" >&2; exit 1
fi
peer="$(sed -n 's/^peer: //p' "$work/seed.log")"
show_magnet="$(grep "Show.S01: magnet:" "$work/seed.log" | sed 's/^[^:]*: \(magnet:[^ ]*\) .*/\1/')"
film_magnet="$(grep "Film.2026.mkv: magnet:" "$work/seed.log" | sed 's/^[^:]*: \(magnet:[^ ]*\) .*/\1/')"
echo "seeding on $peer"

port="$("$PY" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')"
base="http://127.0.0.1:$port"
TSEEDER_ENGINE__PEER_DISCOVERY=false TSEEDER_ENGINE__LISTEN_ADDR=127.0.0.1:0 TSEEDER_ENGINE__EXTRA_PEERS="[\"$peer\"]" \
  "$TSEEDER_BIN" serve --listen "127.0.0.1:$port" --data-dir "$work/data" >"$work/serve.log" 2>&1 &
pids+=($!)
for _ in $(seq 1 120); do curl -fsS "$base/api/v1/health" >/dev/null 2>&1 && break; sleep 0.5; done
if ! curl -fsS "$base/api/v1/health" >/dev/null; then
  echo "error: tseeder did not answer on $base; its log:" >&2; cat "$work/serve.log" >&2; exit 1
fi

email=sonarr@qbt.example.com
password="qbt flow $RANDOM 1"
key="$(python3 "$here/../../openapi/mint-key.py" "$base" "$email" "$password" --register --name sonarr \
  --scopes jobs:read,jobs:write)"
echo "qbittorrent-api $("$PY" -c 'import importlib.metadata as m; print(m.version("qbittorrent-api"))') against $base"
if ! PYTHONDONTWRITEBYTECODE=1 "$PY" "$here/flow.py" "$base" "$email" "$password" "$key" \
  "$work/payloads/Show.S01.torrent" "$show_magnet" "$work/payloads/Show.S01" \
  "$film_magnet" "$work/payloads/Film.2026.mkv"; then
  echo "the server's log:" >&2; tail -n 40 "$work/serve.log" >&2; exit 1
fi
errors="$(sed 's/\x1b\[[0-9;]*m//g' "$work/serve.log" | grep -E 'Z +ERROR ' || true)"
if [ -n "$errors" ]; then
  echo "error: the server logged errors:" >&2; echo "$errors" | head -n 20 >&2; exit 1
fi
