#!/usr/bin/env bash
# Starts the whole console on loopback: the demo backend, a real Prometheus scraping it
# every 5 s with the seed alert rules, and the proxy serving the console. Ctrl-C stops
# everything this script started.
#
# Prometheus gets a month of the demo's own past first (scripts/history.sh): the first
# start writes it (a couple of minutes; the console is usable as soon as the past has
# been simulated, and older days appear while they load), later starts reuse the blocks
# and only write the time since. The live demo continues exactly where the past ends.
#
# It also serves a small "portal" page on a second loopback origin that embeds panels
# with signed embed links, to show embedding across origins.
#
# The proxy reads demo/proxy.toml (teams and budgets of the demo's repositories), and
# Prometheus evaluates the budgets' alerting rules (`vantage-proxy budget-rules`).
# VANTAGE_DEMO_REPOSITORIES and VANTAGE_DEMO_USERS (e.g. 500 and 1000) spread the
# orchestrator's cost over that many repositories and users (past and live).
#
# Ports: VANTAGE_PORT (console, default 8080 if free), VANTAGE_DEMO_PORT,
# VANTAGE_PROMETHEUS_PORT and VANTAGE_PORTAL_PORT (default: free ports).
# History: VANTAGE_DEMO_HISTORY_DAYS (default 30; 0 starts with no past) and
# VANTAGE_DEMO_SEED (default 42; the past is cached per seed).
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/setup.sh
. scripts/processes.sh
. scripts/console-build.sh
. scripts/history.sh

console_port="${VANTAGE_PORT:-8080}"
port_is_free "$console_port" || console_port="$(free_port)"
demo_port="${VANTAGE_DEMO_PORT:-$(free_port)}"
prom_port="${VANTAGE_PROMETHEUS_PORT:-$(free_port)}"
portal_port="${VANTAGE_PORTAL_PORT:-$(free_port)}"
history_days="${VANTAGE_DEMO_HISTORY_DAYS:-30}"
seed="${VANTAGE_DEMO_SEED:-42}"

echo "==> building the console and the servers (skipped when nothing changed)"
build_console
cargo build --profile server -p vantage-proxy -p vantage-demo
bin="${CARGO_TARGET_DIR:-$PWD/target}/server"

work="$(mktemp -d -t vantage-demo.XXXXXX)"
cleanup() {
  stop_all
  echo "stopped"
}
# Each server runs in its own session (setsid), so Ctrl-C reaches only this script,
# which then stops them by pid; a server that stops on its own is a crash.
trap cleanup EXIT
trap 'exit 130' INT TERM

demo_args=(--listen "127.0.0.1:$demo_port" --seed "$seed")
retention="15d"
if [ "$history_days" -gt 0 ]; then
  echo "==> the demo's past: $history_days days"
  history_start "$bin/vantage-demo" "$seed" "$history_days" "$work/tsdb" \
    vantage-demo vantage-demo "$work"
  # The loader runs until every block is built; it is stopped with the rest.
  pids+=("$HISTORY_PID")
  history_wait_snapshot
  demo_args+=(--history-resume "$HISTORY_SNAPSHOT")
  retention="$((history_days + 2))d"
fi

setsid "$bin/vantage-demo" "${demo_args[@]}" >"$work/demo.log" 2>&1 &
pids+=($!)
wait_ready "http://127.0.0.1:$demo_port/metrics" demo

# Budget rules every minute: each evaluation reads the month's hourly spend.
"$bin/vantage-proxy" budget-rules --config demo/proxy.toml --interval 1m >"$work/budget-rules.yml"
sed -e "s|{{TARGET}}|127.0.0.1:$demo_port|" -e "s|{{RULES}}|$PWD/demo/prometheus/alerts.yml|" \
  -e "s|{{BUDGET_RULES}}|$work/budget-rules.yml|" \
  demo/prometheus/prometheus.yml.template >"$work/prometheus.yml"
setsid prometheus --config.file="$work/prometheus.yml" --storage.tsdb.path="$work/tsdb" \
  --storage.tsdb.retention.time="$retention" \
  --web.listen-address="127.0.0.1:$prom_port" --log.level=warn >"$work/prometheus.log" 2>&1 &
pids+=($!)
wait_ready "http://127.0.0.1:$prom_port/-/ready" prometheus

# A fresh secret per run signs the embed links; the portal's origin may frame panels.
export VANTAGE_EMBED_SECRET="$(head -c 32 /dev/urandom | base64 | tr -d '=+/' | head -c 43)"
portal_origin="http://127.0.0.1:$portal_port"
setsid "$bin/vantage-proxy" --listen "127.0.0.1:$console_port" \
  --upstream "http://127.0.0.1:$prom_port" --backend "http://127.0.0.1:$demo_port" \
  --config demo/proxy.toml --frame-ancestors "$portal_origin" >"$work/proxy.log" 2>&1 &
pids+=($!)
wait_ready "http://127.0.0.1:$console_port/healthz" proxy

mint() { "$bin/vantage-proxy" mint-embed-token --expires-in 7d "$@"; }
mkdir -p "$work/portal"
sed -e "s|{{CONSOLE}}|http://127.0.0.1:$console_port|g" \
  -e "s|{{TOKEN_COST}}|$(mint --dashboard cost-attribution --panel cost-over-time)|" \
  -e "s|{{TOKEN_BREAKERS}}|$(mint --dashboard orchestrator-circuit-breakers --panel breaker-states)|" \
  -e "s|{{TOKEN_TOP}}|$(mint --dashboard cost-attribution --panel top-repositories)|" \
  demo/portal/index.html.template >"$work/portal/index.html"
setsid python3 -m http.server "$portal_port" --bind 127.0.0.1 --directory "$work/portal" >"$work/portal.log" 2>&1 &
pids+=($!)
wait_ready "$portal_origin/" portal

cat <<MSG

Vantage is running. Open the console:

    http://127.0.0.1:$console_port/

  Portal       $portal_origin/   (another origin embedding panels with signed links)
  Cost         http://127.0.0.1:$console_port/cost   (teams and budgets from demo/proxy.toml)
  Prometheus   http://127.0.0.1:$prom_port/   (scrapes the demo every 5 s, seed and budget alert rules loaded)
  demo backend http://127.0.0.1:$demo_port/metrics   (seed $seed)
  logs         $work/

Press Ctrl-C to stop everything.
MSG
# The history loader ends on its own once every block is built; anything else that
# stops is a crash.
while true; do
  wait -n "${pids[@]}" || true
  if [ -n "${HISTORY_PID:-}" ] && ! kill -0 "$HISTORY_PID" 2>/dev/null; then
    servers=()
    for pid in "${pids[@]}"; do [ "$pid" = "$HISTORY_PID" ] || servers+=("$pid"); done
    pids=("${servers[@]}")
    HISTORY_PID=""
    continue
  fi
  break
done
echo "a process stopped unexpectedly; the end of each log:" >&2
for log in "$work"/*.log; do
  echo "--- $(basename "$log")" >&2
  tail -n 5 "$log" >&2
done
exit 1
