#!/usr/bin/env bash
# Benchmarks the live hub (BENCHMARKS.md, "Live hub", records a run):
#  1. many WebSocket viewers on /api/live/websocket-connections for a while (default
#     1,000 for 60 s): backend polls per interval, the proxy's CPU and memory, and the
#     time from a change in the backend to its arrival at a viewer. The load client
#     (benches/live, target/server/bench-live) starts the proxy (release build,
#     --profile server) in front of its own seed-shaped backend, on 127.0.0.1, and stops
#     it by its pid;
#  2. the browser's main-thread cost of applying one update to a live table of 1,000
#     and 5,000 rows (components/tests/live_table_cost.rs, release build, headless
#     Chromium through wasm-bindgen-test-runner).
#
# Arguments go to the load client, e.g. `--viewers 2000 --seconds 30 --interval 1s`.
# BENCH_SKIP_BROWSER=1 runs only the first part.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/setup.sh >&2

echo "==> building the proxy and the load client (release, --profile server)"
cargo build --quiet --profile server -p vantage-proxy -p vantage-bench-live
echo "==> live hub under load"
target/server/bench-live --proxy target/server/vantage-proxy "$@" | sed 's/^/  /'

if [ "${BENCH_SKIP_BROWSER:-0}" != 1 ]; then
  echo "==> one update to a live table in Chromium (release wasm)"
  CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner CHROMEDRIVER=/usr/bin/chromedriver \
    cargo test --release -p vantage-components --target wasm32-unknown-unknown \
    --test live_table_cost -- --nocapture 2>&1 | grep 'live-table-cost:' | sed 's/^.*live-table-cost: /  /'
fi
echo "==> machine: $(nproc) cores, kernel $(uname -r), $(date -u +%Y-%m-%d)"
