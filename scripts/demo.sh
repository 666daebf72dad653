#!/usr/bin/env bash
# Starts the whole console on loopback: the demo backend, a real Prometheus scraping it
# every 5 s with the seed alert rules, and the proxy serving the console. Ctrl-C stops
# everything this script started.
#
# It also serves a small "portal" page on a second loopback origin that embeds panels
# with signed embed links, to show embedding across origins.
#
# Ports: VANTAGE_PORT (console, default 8080 if free), VANTAGE_DEMO_PORT,
# VANTAGE_PROMETHEUS_PORT and VANTAGE_PORTAL_PORT (default: free ports).
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/setup.sh
. scripts/processes.sh

console_port="${VANTAGE_PORT:-8080}"
port_is_free "$console_port" || console_port="$(free_port)"
demo_port="${VANTAGE_DEMO_PORT:-$(free_port)}"
prom_port="${VANTAGE_PROMETHEUS_PORT:-$(free_port)}"
portal_port="${VANTAGE_PORTAL_PORT:-$(free_port)}"

echo "==> building the console and the servers"
trunk build --release --offline
cargo build --profile server -p vantage-proxy -p vantage-demo
bin="$PWD/target/server"

work="$(mktemp -d -t vantage-demo.XXXXXX)"
cleanup() {
  stop_all
  echo "stopped"
}
# Each server runs in its own session (setsid), so Ctrl-C reaches only this script,
# which then stops them by pid; a server that stops on its own is a crash.
trap cleanup EXIT
trap 'exit 130' INT TERM

setsid "$bin/vantage-demo" --listen "127.0.0.1:$demo_port" >"$work/demo.log" 2>&1 &
pids+=($!)
wait_ready "http://127.0.0.1:$demo_port/metrics" demo

sed -e "s|{{TARGET}}|127.0.0.1:$demo_port|" -e "s|{{RULES}}|$PWD/demo/prometheus/alerts.yml|" \
  demo/prometheus/prometheus.yml.template >"$work/prometheus.yml"
setsid prometheus --config.file="$work/prometheus.yml" --storage.tsdb.path="$work/tsdb" \
  --web.listen-address="127.0.0.1:$prom_port" --log.level=warn >"$work/prometheus.log" 2>&1 &
pids+=($!)
wait_ready "http://127.0.0.1:$prom_port/-/ready" prometheus

# A fresh secret per run signs the embed links; the portal's origin may frame panels.
export VANTAGE_EMBED_SECRET="$(head -c 32 /dev/urandom | base64 | tr -d '=+/' | head -c 43)"
portal_origin="http://127.0.0.1:$portal_port"
setsid "$bin/vantage-proxy" --listen "127.0.0.1:$console_port" \
  --upstream "http://127.0.0.1:$prom_port" --backend "http://127.0.0.1:$demo_port" \
  --frame-ancestors "$portal_origin" >"$work/proxy.log" 2>&1 &
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
  Prometheus   http://127.0.0.1:$prom_port/   (scrapes the demo every 5 s, seed alert rules loaded)
  demo backend http://127.0.0.1:$demo_port/metrics
  logs         $work/

Press Ctrl-C to stop everything.
MSG
wait -n "${pids[@]}" || true
echo "a process stopped unexpectedly; the end of each log:" >&2
for log in "$work"/*.log; do
  echo "--- $(basename "$log")" >&2
  tail -n 5 "$log" >&2
done
exit 1
