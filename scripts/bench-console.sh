#!/usr/bin/env bash
# Benchmarks the console in headless Chromium; prints Markdown tables (BENCHMARKS.md,
# "Console", records a run):
#  1. initial download: dist/ as `trunk build --release --offline` leaves it, raw, gzip
#     and brotli; and where the wasm bytes go (code bytes per crate, largest functions);
#  2. drawing 10k, 100k and 1M points per series (1 and 10 series, device pixel ratio 1
#     and 2) with the console's path (M4 + plotters on canvas) against uPlot, same page,
#     same 1200x300 CSS px canvas, plus where the console's time goes;
#  3. decoding a 10 MB query_range matrix in wasm against JSON.parse;
#  4. navigation start to every panel painted on the cost dashboard, against the demo
#     stack (demo, Prometheus, proxy), cold and warm cache;
#  5. navigation start to every section painted on the cost page, with 30 days of the
#     demo's past and demo/proxy.toml, at the catalog's cardinality and at seed 000's
#     limits (500 repositories, 1,000 users); the first run writes both pasts (about
#     4 and 7 minutes on 2 cores), later runs reuse them.
# Every server listens on 127.0.0.1 on a free port; every process started is stopped by
# its pid (the driver, target/debug/bench-console, owns the browser and the stack).
#
# Arguments go to the driver, e.g. `--only draw,decode`, `--reps 15`, `--loads 5`,
# `--sizes 10000,100000`, `--series 1,10`, `--dpr 1,2`, `--cost-days 30`,
# `--cost-shapes default,wide` (see benches/console/).
# BENCH_SKIP_BUILD=1 reuses the last build (dist/ and target/bench-console/page).
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/setup.sh >&2

WASM_FEATURES=(--enable-reference-types --enable-bulk-memory --enable-nontrapping-float-to-int
  --enable-sign-ext --enable-mutable-globals --enable-multivalue)
target="${CARGO_TARGET_DIR:-target}"
out="$target/bench-console"
page="$out/page"

if [ ! -f scripts/npm/node_modules/uplot/dist/uPlot.esm.js ]; then
  (cd scripts/npm && npm ci --no-audit --no-fund --silent)
fi

if [ "${BENCH_SKIP_BUILD:-0}" != 1 ]; then
  echo "==> building the console (trunk build --release --offline)" >&2
  trunk build --release --offline >&2
  trunk build app/embed.html --release --offline --dist dist/lean --public-url /lean/ >&2
  echo "==> building the bench page's wasm (release profile, wasm-opt -Oz as Trunk does)" >&2
  cargo build --quiet --release --target wasm32-unknown-unknown -p vantage-bench-console --lib
  rm -rf "$page" && mkdir -p "$page/pkg" "$page/uplot"
  cp benches/console/page/index.html benches/console/page/bench.js "$page/"
  cp scripts/npm/node_modules/uplot/dist/uPlot.esm.js scripts/npm/node_modules/uplot/dist/uPlot.min.css "$page/uplot/"
  wasm-bindgen --target web --no-typescript --out-dir "$page/pkg" \
    "$target/wasm32-unknown-unknown/release/vantage_bench_console.wasm"
  wasm-opt -Oz "${WASM_FEATURES[@]}" "$page/pkg/vantage_bench_console_bg.wasm" \
    -o "$page/pkg/vantage_bench_console_bg.wasm"
  echo "==> building the driver, demo and proxy (debug, as the e2e harness runs them)" >&2
  cargo build --quiet -p vantage-bench-console -p vantage-demo -p vantage-proxy --bins
fi

# The console's module again, with its function names kept (wasm-bindgen --keep-debug,
# wasm-opt -Oz -g): same code as dist/, so its code bytes can be put to crates.
names="$out/names"
rm -rf "$names" && mkdir -p "$names"
wasm-bindgen --target web --no-typescript --keep-debug --out-dir "$names" \
  "$target/wasm32-unknown-unknown/release/vantage-app.wasm"
wasm-opt -Oz -g "${WASM_FEATURES[@]}" "$names/vantage-app_bg.wasm" -o "$names/named.wasm"

echo "## Console benchmarks"
echo
echo "- date: $(date -u '+%Y-%m-%d %H:%M UTC')"
echo "- machine: $(nproc) cores, Linux $(uname -r), $(chromium --version 2>/dev/null | head -1)"
echo "- commit: $(git rev-parse --short HEAD)$(git diff --quiet HEAD -- app components api || echo ' (with uncommitted changes in app/, components/ or api/)')"
echo "- command: \`./scripts/bench-console.sh $*\`"
echo
node benches/console/sizes.mjs dist 150
node benches/console/sizes.mjs dist/lean 150
python3 benches/console/wasm_sizes.py "$names/named.wasm" 20 --functions 12
"$target/debug/bench-console" --page "$page" --json "$out/results.json" "$@"
