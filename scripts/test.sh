#!/usr/bin/env bash
# Every check CI runs: formatting, lints (native and wasm), unit and integration tests,
# and the browser end-to-end tests against real Prometheus, demo and proxy processes.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/setup.sh

run() { printf '\n==> %s\n' "$*"; "$@"; }

run cargo fmt --all --check
# The proxy embeds dist/, so the app is built before anything that compiles the proxy.
run trunk build --release --offline
# The lean bundle for /embed/*, into dist/lean (after the console's build empties dist/).
run trunk build app/embed.html --release --offline --dist dist/lean --public-url /lean/
# Neither bundle may grow more than 5 % over the sizes recorded in BENCHMARKS.md.
run scripts/size-guard.sh
run cargo clippy --workspace --all-targets -- -D warnings
run cargo clippy -p vantage-app -p vantage-components --target wasm32-unknown-unknown --all-targets -- -D warnings
# Widgets in headless Chromium (components/webdriver.json holds the browser flags).
run env CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner CHROMEDRIVER=/usr/bin/chromedriver \
  cargo test -p vantage-components --target wasm32-unknown-unknown --test browser --test editor
# End-to-end tests start these binaries themselves.
run cargo build --workspace --bins
run cargo test --workspace --no-fail-fast
