#!/usr/bin/env bash
# Benchmarks the query frontend (BENCHMARKS.md, "Query frontend", records a run): viewers
# refreshing the seed 000 cost dashboard (dashboards/cost-attribution.toml, planned as
# the console plans it) over real HTTP, three ways in turn against the same Prometheus:
#   direct  straight at Prometheus;
#   off     through the proxy with the frontend off (split_interval = 0,
#           extent_cache_max_bytes = 0: the proxy as it was before the frontend);
#   on      through the proxy with the defaults (24h split, extent cache).
# For each: view and request latency, range answers by cache result, and Prometheus'
# own work from its query log (samples loaded) and its inner evaluation time.
#
# By default it starts the demo and a Prometheus 2.42 scraping it every 5 s (with a
# query log), after backfilling BENCH_HISTORY hours (24; 0 for none) of the cost metric
# with promtool (bench-frontend --mode history: the demo's current cost series,
# BENCH_HISTORY_EVERY seconds apart (15), until a minute before the start), waits
# BENCH_WARMUP seconds, and stops everything by pid at the end.
# Against an existing Prometheus (e.g. one backfilled with a month of history):
#   BENCH_PROMETHEUS=http://127.0.0.1:9090 BENCH_QUERY_LOG=/path/to/query.log
# Knobs: BENCH_VIEWERS (20), BENCH_REFRESH (30s), BENCH_DURATION (5m), BENCH_RANGE (24h),
# BENCH_WARMUP (60), BENCH_PHASES ("direct off on"), BENCH_MODE (load, or views: one
# viewer, BENCH_VIEWS views BENCH_PAUSE apart, each reported, e.g. a 30-day range:
#   BENCH_MODE=views BENCH_RANGE=30d BENCH_PHASES="off nosplit on" against a Prometheus
#   holding a month, or with BENCH_HISTORY=720 BENCH_HISTORY_EVERY=60 for a synthetic one).
# The phase "nosplit" is the extent cache without splitting (split_interval = 0).
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/setup.sh >&2
. scripts/processes.sh

viewers="${BENCH_VIEWERS:-20}"
refresh="${BENCH_REFRESH:-30s}"
duration="${BENCH_DURATION:-5m}"
range="${BENCH_RANGE:-24h}"
warmup="${BENCH_WARMUP:-60}"
phases="${BENCH_PHASES:-direct off on}"
mode="${BENCH_MODE:-load}"

echo "==> building (release, --profile server)"
cargo build --quiet --profile server -p vantage-proxy -p vantage-demo -p vantage-bench-frontend
bin="${CARGO_TARGET_DIR:-$PWD/target}/server"

work="$(mktemp -d -t vantage-bench-frontend.XXXXXX)"
trap stop_all EXIT INT TERM

if [ -n "${BENCH_PROMETHEUS:-}" ]; then
  prometheus="$BENCH_PROMETHEUS"
  query_log="${BENCH_QUERY_LOG:-}"
else
  demo_port="$(free_port)"; prom_port="$(free_port)"
  "$bin/vantage-demo" --listen "127.0.0.1:$demo_port" --seed 42 >"$work/demo.log" 2>&1 &
  pids+=($!)
  wait_ready "http://127.0.0.1:$demo_port/metrics" demo
  query_log="$work/query.log"
  history="${BENCH_HISTORY:-24}"
  if [ "$history" != 0 ]; then
    echo "==> backfilling $history h of the cost metric"
    "$bin/bench-frontend" --mode history --target "http://127.0.0.1:$demo_port" \
      --instance "127.0.0.1:$demo_port" --hours "$history" --every "${BENCH_HISTORY_EVERY:-15}" \
      --out "$work/history.om" | sed 's/^/  /'
    for day in "$work"/history.om.*; do
      promtool tsdb create-blocks-from openmetrics "$day" "$work/tsdb" >>"$work/promtool.log" 2>&1
      rm -f "$day"
    done
  fi
  cat >"$work/prometheus.yml" <<YML
global:
  scrape_interval: 5s
  query_log_file: $query_log
scrape_configs:
  - job_name: demo
    static_configs:
      - targets: ['127.0.0.1:$demo_port']
YML
  prometheus --config.file="$work/prometheus.yml" --storage.tsdb.path="$work/tsdb" \
    --web.listen-address="127.0.0.1:$prom_port" --log.level=warn >"$work/prometheus.log" 2>&1 &
  pids+=($!)
  wait_ready "http://127.0.0.1:$prom_port/-/ready" prometheus
  prometheus="http://127.0.0.1:$prom_port"
  echo "==> letting Prometheus collect ${warmup} s of samples"
  sleep "$warmup"
fi

client_args=(--prometheus "$prometheus" --range "$range" --mode "$mode"
  --viewers "$viewers" --refresh "$refresh" --duration "$duration"
  --views "${BENCH_VIEWS:-3}" --pause "${BENCH_PAUSE:-30s}")
[ -n "$query_log" ] && client_args+=(--query-log "$query_log")

for phase in $phases; do
  case "$phase" in
    direct) target="$prometheus" ;;
    off|on|nosplit)
      proxy_port="$(free_port)"
      {
        echo "listen = \"127.0.0.1:$proxy_port\""
        echo "upstream = \"$prometheus\""
        case "$phase" in
          off) printf 'split_interval = "0"\nextent_cache_max_bytes = 0\n' ;;
          nosplit) printf 'split_interval = "0"\n' ;;
        esac
        printf '[rate_limit]\nper_second = 0\n'
      } >"$work/proxy-$phase.toml"
      RUST_LOG=warn "$bin/vantage-proxy" --config "$work/proxy-$phase.toml" >"$work/proxy-$phase.log" 2>&1 &
      proxy_pid=$!
      pids+=($proxy_pid)
      wait_ready "http://127.0.0.1:$proxy_port/healthz" "proxy-$phase"
      target="http://127.0.0.1:$proxy_port"
      ;;
    *) echo "unknown phase $phase" >&2; exit 2 ;;
  esac
  echo "==> $phase: $mode, $viewers viewers, refresh $refresh, $duration, range $range (load $(cut -d' ' -f1 /proc/loadavg))"
  "$bin/bench-frontend" --target "$target" --label "$phase" "${client_args[@]}" | sed 's/^/  /'
  if [ "$phase" != direct ]; then
    curl -fsS "$target/metrics" | grep -E '^vantage_proxy_(range_requests|range_bypassed|extent_samples_saved|extent_bytes_saved|upstream_subqueries|split_pieces)' | sed 's/^/  proxy: /' || true
    kill "$proxy_pid" 2>/dev/null || true
    wait "$proxy_pid" 2>/dev/null || true
  fi
done
echo "==> machine: $(nproc) cores, kernel $(uname -r), $(date -u +%Y-%m-%d)"
