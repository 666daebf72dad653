#!/usr/bin/env bash
# The size guard: fails when the console's first load (brotli 11 of every file of dist/
# the page loads, as benches/console/sizes.mjs counts it) or the embed's (dist/lean)
# is more than 5 % over the figure recorded in BENCHMARKS.md ("size-guard: console N
# bytes", "size-guard: embed N bytes"), so that a change that costs size is a decision
# (record the new figure there, with why) and not an accident. Run after both
# `trunk build --release` of scripts/test.sh.
set -euo pipefail
cd "$(dirname "$0")/.."

check() {
  local what="$1" dir="$2" recorded now limit
  recorded="$(grep -oE "size-guard: $what [0-9]+ bytes" BENCHMARKS.md | grep -oE '[0-9]+' || true)"
  if [[ -z "$recorded" ]]; then
    echo "size-guard: BENCHMARKS.md records no 'size-guard: $what N bytes' figure" >&2
    return 1
  fi
  if [[ ! -f "$dir/index.html" ]]; then
    echo "size-guard: $dir/index.html is missing: build the $what first" >&2
    return 1
  fi
  now="$(node benches/console/sizes.mjs "$dir" --total)"
  limit=$((recorded * 105 / 100))
  echo "size-guard: $what first load $now bytes brotli (recorded $recorded, limit $limit)"
  if ((now > limit)); then
    echo "size-guard: the $what grew more than 5 % over BENCHMARKS.md; shrink it, or record the new size there with the reason" >&2
    return 1
  fi
}

failed=0
check console dist || failed=1
check embed dist/lean || failed=1
exit "$failed"
