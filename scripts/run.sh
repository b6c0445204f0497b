#!/usr/bin/env bash
# Command one: set up, build and serve the portal on http://127.0.0.1:3000 in development mode.
# SQLite in ./data/ unless DATABASE_URL says otherwise (e.g. postgres://user@host/db).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
export PATH="$PWD/node_modules/.bin:$PATH"
export LEPTOS_ENV="${LEPTOS_ENV:-DEV}"

# The registries (ЕГР ЗАГС, СФР, МВД): the simulator with the repository's data set, answering
# in a few seconds so the statuses can be watched. REGISTRY_URL pointing elsewhere skips it.
if [ -z "${REGISTRY_URL:-}" ]; then
  cargo build --locked -p registry-sim
  target/debug/registry-sim serve --addr 127.0.0.1:3300 --data registry-sim/data/people.json \
    --latency-ms "${REGISTRY_SIM_LATENCY_MS:-3000}" --jitter-ms 1000 &
  SIMULATOR=$!
  trap 'kill $SIMULATOR 2>/dev/null' EXIT
  export REGISTRY_URL=http://127.0.0.1:3300
fi
# --split: the lazy pages are separate WASM chunks, and the bundle only loads when split.
cargo leptos serve --split "$@"
