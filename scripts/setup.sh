#!/usr/bin/env bash
# Installs everything the build (and, with --with-browser, the tests: Chromium, an SMTP sink) need.
# Idempotent: each tool is skipped when it is already there at the right version, so a second run
# takes seconds.
set -euo pipefail
cd "$(dirname "$0")/.."

WITH_BROWSER=0
[ "${1:-}" = "--with-browser" ] && WITH_BROWSER=1

CARGO_LEPTOS_VERSION=0.3.10
# The CLI must be exactly the wasm-bindgen crate version in Cargo.lock (pinned with `=`).
WASM_BINDGEN_VERSION=$(grep -A1 '^name = "wasm-bindgen"$' Cargo.lock | sed -n 's/^version = "\(.*\)"$/\1/p')

say() { printf '==> %s\n' "$*"; }

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else
    echo "error: '$*' needs root; install it by hand" >&2; exit 1
  fi
}

APT_UPDATED=0
apt_install() {
  if [ "$APT_UPDATED" = 0 ]; then as_root apt-get update -qq; APT_UPDATED=1; fi
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@"
}

# Rust: the WASM target and the lint tools.
rustup target list --installed | grep -qx wasm32-unknown-unknown || { say "adding wasm32-unknown-unknown"; rustup target add wasm32-unknown-unknown; }
for component in clippy rustfmt; do
  rustup component list --installed | grep -q "^$component" || rustup component add "$component"
done

# The benefits registry's SOAP envelopes are checked against an XSD by libxml2 (the `libxml`
# crate links it and generates its bindings with libclang). First, before the long tool builds:
# a cargo build started meanwhile needs them.
missing=""
for package in libxml2-dev libclang-dev pkg-config; do
  dpkg -s "$package" >/dev/null 2>&1 || missing+=" $package"
done
[ -z "$missing" ] || { say "installing$missing"; apt_install $missing; }

# cargo-leptos: newer releases need a newer rustc; downloads of its helper tools cannot work
# offline, hence no_downloads (wasm-bindgen and wasm-opt come from below). ~20 min the first time.
if [ "$(cargo leptos --version 2>/dev/null)" != "cargo-leptos $CARGO_LEPTOS_VERSION" ]; then
  say "installing cargo-leptos $CARGO_LEPTOS_VERSION (about 20 minutes on 2 cores, once)"
  cargo install cargo-leptos --version "$CARGO_LEPTOS_VERSION" --locked --features no_downloads
fi

# wasm-bindgen-cli: `--locked` fails for this version (a locked dependency was yanked).
if [ "$(wasm-bindgen --version 2>/dev/null)" != "wasm-bindgen $WASM_BINDGEN_VERSION" ]; then
  say "installing wasm-bindgen-cli $WASM_BINDGEN_VERSION (about 4 minutes, once)"
  cargo install wasm-bindgen-cli --version "=$WASM_BINDGEN_VERSION" --force
fi

# Node.js runs the npm tools (wasm-opt from npm's binaryen, Playwright).
command -v npm >/dev/null || { say "installing Node.js"; apt_install nodejs npm; }

# npm packages from the committed lock files; skipped while the lock file is unchanged.
npm_ci() {
  local dir=$1 stamp="$1/node_modules/.lock-sha"
  local sha; sha=$(sha256sum "$dir/package-lock.json" | cut -d' ' -f1)
  if [ "$(cat "$stamp" 2>/dev/null)" != "$sha" ]; then
    say "installing npm packages in $dir"
    (cd "$dir" && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error)
    echo "$sha" > "$stamp"
  fi
}
npm_ci .

if [ "$WITH_BROWSER" = 1 ]; then
  npm_ci end2end
  # Playwright drives Debian's Chromium; its own browser download cannot work offline.
  [ -x "${CHROMIUM_PATH:-/usr/bin/chromium}" ] || { say "installing Chromium"; apt_install chromium fonts-dejavu-core; }
  # A real SMTP server for the e-mail delivery tests (server/tests/smtp_sink.py).
  command -v python3 >/dev/null || { say "installing Python"; apt_install python3 python3-pip; }
  python3 -c 'import aiosmtpd' 2>/dev/null || {
    say "installing aiosmtpd"
    python3 -m pip install --quiet --disable-pip-version-check --root-user-action=ignore aiosmtpd==1.4.6 \
      || python3 -m pip install --quiet --disable-pip-version-check --break-system-packages aiosmtpd==1.4.6
  }
fi
say "tools ready"
