#!/usr/bin/env bash
# Command two: set up, then format check, clippy with warnings denied, unit and integration tests
# (SQLite and PostgreSQL), and Playwright tests of the release build in Chromium.
set -euo pipefail
cd "$(dirname "$0")/.."
started=$SECONDS
step_started=$SECONDS
step_name="setup"
# Prints how long the step before took, then the next step's name.
step() {
  printf '==> %s took %ds\n' "$step_name" $((SECONDS - step_started))
  step_name="$*"
  step_started=$SECONDS
  printf '\n==> %s\n' "$step_name"
}
trap 'printf "==> %s took %ds\n==> total %ds\n" "$step_name" $((SECONDS - step_started)) $((SECONDS - started))' EXIT
printf "==> setup (tools, browser)\n"
scripts/setup.sh --with-browser

step "format, and no import circle between the app's modules"
cargo fmt --all --check
python3 scripts/module-cycles.py app --max 0

step "clippy (server with ssr, browser bundle with hydrate, app and domain alone, simulator)"
cargo clippy -p server -p registry-sim --all-targets --locked -- -D warnings
cargo clippy -p frontend --target wasm32-unknown-unknown --locked -- -D warnings
cargo clippy -p app -p domain --all-targets --locked -- -D warnings

step "unit and integration tests"
cargo test -p app -p domain --locked
cargo test -p server -p registry-sim --locked

step "release build (server + optimised, precompressed WASM bundle)"
scripts/build-release.sh
# The product's budget for the first page: 250 KB brotli (shell, home page, JS glue, CSS).
python3 scripts/bundle-budget.py target/site-release --budget 250000

step "end-to-end tests in Chromium (360x800 and 1280x800)"
(cd end2end && npx playwright test)
