#!/usr/bin/env bash
# Command one: set up, build and serve the portal on http://127.0.0.1:3000 in development mode.
# SQLite in ./data/ unless DATABASE_URL says otherwise (e.g. postgres://user@host/db).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
export PATH="$PWD/node_modules/.bin:$PATH"
export LEPTOS_ENV="${LEPTOS_ENV:-DEV}"
exec cargo leptos serve "$@"
