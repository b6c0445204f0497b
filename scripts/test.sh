#!/usr/bin/env bash
# Command two: set up, then format check, clippy with warnings denied, unit and integration tests
# (SQLite and PostgreSQL), and Playwright tests of the release build in Chromium.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh --with-browser
step() { printf '\n==> %s\n' "$*"; }

step "format"
cargo fmt --all --check

step "clippy (server with ssr, browser bundle with hydrate, app and domain alone, simulator)"
cargo clippy -p server -p registry-sim --all-targets --locked -- -D warnings
cargo clippy -p frontend --target wasm32-unknown-unknown --locked -- -D warnings
cargo clippy -p app -p domain --all-targets --locked -- -D warnings

step "unit and integration tests"
cargo test -p app -p domain --locked
cargo test -p server -p registry-sim --locked

step "release build (server + optimised, precompressed WASM bundle)"
scripts/build-release.sh

step "end-to-end tests in Chromium (360x800 and 1280x800)"
(cd end2end && npx playwright test)
