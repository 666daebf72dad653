#!/usr/bin/env bash
# The demo's past as Prometheus blocks: `vantage-demo history` writes the simulation's
# own past (same seed) in OpenMetrics text, one file per block window, and promtool
# turns each into a block, two at a time, as soon as it is written. Blocks are kept in
# a cache with a snapshot of where the past ends; a later run resumes from the
# snapshot and only writes the time since, so its blocks are ready in seconds.
#
# Sourced by scripts/demo.sh (history_start, history_wait_snapshot), or run directly to
# build everything and return once loaded (the end-to-end tests do):
#
#   scripts/history.sh SEED DAYS TSDB_DIR [JOB INSTANCE]
#
# Then start `vantage-demo --seed SEED --history-resume "$(scripts/history.sh ...)"`
# (the path it prints) and Prometheus on TSDB_DIR, scraping the demo with
# job=JOB and instance=INSTANCE (default both `vantage-demo`).

HISTORY_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

# history_start BIN SEED DAYS TSDB_DIR JOB INSTANCE LOG_DIR
# Links the cached blocks into TSDB_DIR (before Prometheus starts), then writes and
# loads what is missing in the background; new blocks are moved into TSDB_DIR as they
# are built (Prometheus picks up new blocks within a minute). Sets HISTORY_SNAPSHOT to
# the file the live demo resumes from (see history_wait_snapshot) and HISTORY_PID.
history_start() {
  local bin="$1" seed="$2" days="$3" tsdb="$4" job="$5" instance="$6" logs="$7"
  local fingerprint cache now start_args=() resumed
  fingerprint="$("$bin" history --fingerprint)"
  local cache_root="${VANTAGE_HISTORY_CACHE:-$HISTORY_ROOT/target/demo-history}"
  cache="$cache_root/$fingerprint-seed$seed"
  mkdir -p "$cache_root"
  # One writer of the cache at a time (tests and the demo may run at once); the lock
  # is held until this shell and the loader it starts have exited.
  exec 9>"$cache_root/.lock"
  if ! flock -n 9; then
    echo "history: waiting for another run that is loading the same cache"
    flock 9
  fi
  mkdir -p "$cache/blocks" "$tsdb"
  # A run that was stopped before its blocks were all built left them here.
  rm -rf "$cache"/incoming-* "$cache"/snapshot.pending
  now="$(date +%s)"
  if [ -f "$cache/snapshot" ] && [ "$(cat "$cache/days" 2>/dev/null)" -ge "$days" ] 2>/dev/null &&
    [ $((now - $(sed -n '1s/.* at=\([0-9]*\).*/\1/p' "$cache/snapshot"))) -lt $((days * 86400)) ]; then
    start_args=(--resume "$cache/snapshot")
    resumed="the time since $(date -u -d "@$(sed -n '1s/.* at=\([0-9]*\).*/\1/p' "$cache/snapshot")" '+%F %H:%M') UTC"
  else
    rm -rf "$cache/blocks" "$cache/snapshot"
    mkdir -p "$cache/blocks"
    echo "$days" >"$cache/days"
    resumed="$days days"
  fi
  # A cache written for more days than asked keeps them all (later runs may ask for more).
  prune_blocks "$cache/blocks" $((now - ($(cat "$cache/days") + 1) * 86400))
  local block
  for block in "$cache"/blocks/*/; do
    [ -d "$block" ] && cp -al "$block" "$tsdb/"
  done
  HISTORY_SNAPSHOT="$cache/snapshot.pending"
  HISTORY_LOGS="$logs"
  local incoming="$cache/incoming-$$"
  mkdir -p "$incoming/chunks"
  echo "history: writing $resumed of the demo's past (seed $seed) into Prometheus blocks"
  (
    # Ctrl-C is the script's to handle: it stops this loader by pid with the rest.
    trap '' INT
    started=$SECONDS
    export HISTORY_INCOMING="$incoming" HISTORY_TSDB="$tsdb"
    export -f load_chunk
    if "$bin" history --seed "$seed" --days "$days" "${start_args[@]}" --catch-up \
      --out-dir "$incoming/chunks" --snapshot-out "$cache/snapshot.pending" \
      --job "$job" --instance "$instance" 2>"$logs/history.log" |
      xargs -P 2 -L 1 bash -c 'load_chunk "$@"' _ &&
      [ -f "$cache/snapshot.pending" ] && [ -z "$(ls "$incoming/chunks")" ]; then
      # Everything written is in blocks: make it part of the cache.
      mv "$incoming"/blocks/*/ "$cache/blocks/" 2>/dev/null
      mv "$cache/snapshot.pending" "$cache/snapshot"
      rm -rf "$incoming"
      echo "history: loaded in $((SECONDS - started)) s (${resumed}; blocks cached in ${cache#"$HISTORY_ROOT"/})"
    else
      echo "history: loading failed; the end of $logs/history.log:" >&2
      tail -n 5 "$logs/history.log" >&2
      exit 1
    fi
  ) &
  HISTORY_PID=$!
  # The loader holds the lock from here on.
  exec 9>&-
}

# load_chunk FILE BLOCK_HOURS: one window file into a block, moved into the running
# Prometheus's data directory (renamed into place, so it never sees half a block).
load_chunk() {
  local file="$1" hours="$2" out block name
  out="$HISTORY_INCOMING/blocks-$(basename "$file" .om)"
  mkdir -p "$out"
  # A larger heap target makes promtool about a quarter faster here.
  if ! GOGC=400 promtool tsdb create-blocks-from openmetrics --max-block-duration="${hours}h" \
    "$file" "$out" >"$out.log" 2>&1; then
    echo "history: promtool failed on $(basename "$file"):" >&2
    tail -n 3 "$out.log" >&2
    return 255
  fi
  rm -f "$file" "$out.log"
  mkdir -p "$HISTORY_INCOMING/blocks"
  for block in "$out"/*/; do
    name="$(basename "$block")"
    cp -al "$block" "$HISTORY_TSDB/.loading-$name" && mv "$HISTORY_TSDB/.loading-$name" "$HISTORY_TSDB/$name"
    mv "$block" "$HISTORY_INCOMING/blocks/$name"
  done
  rmdir "$out"
  local at="${file##*/}"
  echo "history: $(date -u -d "@${at%%-*}" '+%F %H:%M') UTC loaded (${hours} h block)"
}

# prune_blocks DIR BEFORE: drops cached blocks that end before unix time BEFORE.
prune_blocks() {
  local block max
  for block in "$1"/*/; do
    [ -f "$block/meta.json" ] || continue
    max="$(sed -n 's/.*"maxTime": *\([0-9]*\).*/\1/p' "$block/meta.json" | head -n 1)"
    if [ -n "$max" ] && [ $((max / 1000)) -lt "$2" ]; then rm -rf "$block"; fi
  done
}

# history_wait_snapshot: waits until the past has been simulated up to now (the live
# demo resumes from there); fails if the writer stopped first.
history_wait_snapshot() {
  while [ ! -f "$HISTORY_SNAPSHOT" ]; do
    if ! kill -0 "$HISTORY_PID" 2>/dev/null && [ ! -f "$HISTORY_SNAPSHOT" ]; then
      # The writer finished and committed the snapshot already.
      HISTORY_SNAPSHOT="${HISTORY_SNAPSHOT%.pending}"
      [ -f "$HISTORY_SNAPSHOT" ] && return 0
      echo "history: the writer stopped before reaching the present" >&2
      return 1
    fi
    sleep 0.2
  done
  # The loader renames it once every block is built: the live demo reads a copy.
  cp "$HISTORY_SNAPSHOT" "$HISTORY_LOGS/snapshot" 2>/dev/null ||
    cp "${HISTORY_SNAPSHOT%.pending}" "$HISTORY_LOGS/snapshot"
  HISTORY_SNAPSHOT="$HISTORY_LOGS/snapshot"
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
  set -euo pipefail
  seed="$1" days="$2" tsdb="$3" job="${4:-vantage-demo}" instance="${5:-vantage-demo}"
  bin="${VANTAGE_DEMO_BIN:-$HISTORY_ROOT/target/server/vantage-demo}"
  logs="$(mktemp -d)"
  history_start "$bin" "$seed" "$days" "$tsdb" "$job" "$instance" "$logs" >&2
  history_wait_snapshot
  wait "$HISTORY_PID"
  echo "$HISTORY_SNAPSHOT"
fi
