#!/usr/bin/env bash
# The release build: server binary (target/release/server, hash.txt beside it), the registry
# simulator (target/release/registry-sim) and the optimised,
# content-hashed, precompressed browser bundle in target/site-release/ — apart from the run
# command's target/site/, which a development build rewrites with other file names.
set -euo pipefail
cd "$(dirname "$0")/.."
# npm's binaryen first on PATH: cargo-leptos picks its wasm-opt up for the release bundle.
export PATH="$PWD/node_modules/.bin:$PATH"
# Panic messages in the bundle name their source file: name dependencies as `crates/…`, not by
# where this machine keeps them. cargo-leptos adds its own flags to these.
remap=""
for dir in "${CARGO_HOME:-$HOME/.cargo}"/registry/src/*/; do
  remap+=" --remap-path-prefix=${dir%/}=crates"
done
export CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS="${CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS:-}$remap"
# --split: each lazy page (app/src/lazy_pages.rs) becomes its own WASM chunk.
LEPTOS_SITE_ROOT=target/site-release cargo leptos build --release --split
# The registry simulator the e2e tests (and a demo) run beside the server.
cargo build --release --locked -p registry-sim
node scripts/shorten-chunk-names.mjs target/site-release
node scripts/strip-split-comments.mjs target/site-release
node scripts/precompress.mjs target/site-release
