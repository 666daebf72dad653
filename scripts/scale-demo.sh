#!/usr/bin/env bash
# The console scaled out on loopback, as docs/deploy.md describes it: the demo backend,
# a Prometheus and a VictoriaMetrics both scraping it every 5 s, one Redis shared by
# every replica, and two consoles, each two proxy replicas behind HAProxy:
#   console on Prometheus       -> HAProxy -> replicas p1, p2 -> Prometheus
#   console on VictoriaMetrics  -> HAProxy -> replicas v1, v2 -> VictoriaMetrics
# Kill a replica (its pid is printed) and the console keeps answering; stop Redis and
# it keeps answering from the upstream. Ctrl-C stops everything this script started.
#
# Ports: VANTAGE_PORT (the Prometheus console, default 8080 if free) and
# VANTAGE_VM_PORT (the VictoriaMetrics console); everything else on free ports.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/setup.sh
. scripts/processes.sh

console_port="${VANTAGE_PORT:-8080}"
port_is_free "$console_port" || console_port="$(free_port)"
vm_console_port="${VANTAGE_VM_PORT:-$(free_port)}"
demo_port="$(free_port)"; prom_port="$(free_port)"; vm_port="$(free_port)"; redis_port="$(free_port)"

echo "==> building the console and the servers"
trunk build --release --offline
trunk build app/embed.html --release --offline --dist dist/lean --public-url /lean/
cargo build --profile server -p vantage-proxy -p vantage-demo
bin="${CARGO_TARGET_DIR:-$PWD/target}/server"

work="$(mktemp -d -t vantage-scale.XXXXXX)"
trap 'stop_all; echo stopped' EXIT
trap 'exit 130' INT TERM

# start NAME CMD...: runs CMD in its own session (so Ctrl-C reaches only this script,
# which stops it by pid), output to $work/NAME.log.
start() {
  local name="$1"; shift
  setsid "$@" >"$work/$name.log" 2>&1 &
  pids+=($!)
  echo "  $name: pid $!"
}

echo "==> starting"
start demo "$bin/vantage-demo" --listen "127.0.0.1:$demo_port"
wait_ready "http://127.0.0.1:$demo_port/metrics" demo

sed -e "s|{{TARGET}}|127.0.0.1:$demo_port|" -e "s|{{RULES}}|$PWD/demo/prometheus/alerts.yml|" \
  demo/prometheus/prometheus.yml.template >"$work/prometheus.yml"
start prometheus prometheus --config.file="$work/prometheus.yml" --storage.tsdb.path="$work/tsdb" \
  --web.listen-address="127.0.0.1:$prom_port" --log.level=warn
wait_ready "http://127.0.0.1:$prom_port/-/ready" prometheus

cat >"$work/victoria-scrape.yml" <<YML
global:
  scrape_interval: 5s
scrape_configs:
  - job_name: vantage-demo
    static_configs:
      - targets: ['127.0.0.1:$demo_port']
YML
start victoria victoria-metrics -httpListenAddr="127.0.0.1:$vm_port" \
  -storageDataPath="$work/victoria" -promscrape.config="$work/victoria-scrape.yml" -loggerLevel=ERROR
wait_ready "http://127.0.0.1:$vm_port/-/ready" victoria

start redis redis-server --port "$redis_port" --bind 127.0.0.1 --save '' --appendonly no --dir "$work"
for _ in $(seq 1 100); do
  [ "$(redis-cli -p "$redis_port" ping 2>/dev/null)" = PONG ] && break
  sleep 0.1
done

# Every replica of one console has the same configuration but its port; the embed
# secret is shared, so links minted by one replica work on all.
export VANTAGE_EMBED_SECRET="$(head -c 32 /dev/urandom | base64 | tr -d '=+/' | head -c 43)"
# replica NAME UPSTREAM: starts one replica; its host:port is left in $addr.
replica() {
  local name="$1" upstream="$2" port
  port="$(free_port)"
  cat >"$work/$name.toml" <<TOML
listen = "127.0.0.1:$port"
upstream = "$upstream"
backend = "http://127.0.0.1:$demo_port"
cache_backend = "redis"
redis_url = "redis://127.0.0.1:$redis_port/0"
TOML
  start "$name" env RUST_LOG=warn "$bin/vantage-proxy" --config "$work/$name.toml"
  wait_ready "http://127.0.0.1:$port/healthz" "$name"
  addr="127.0.0.1:$port"
}
replica proxy-p1 "http://127.0.0.1:$prom_port"; p1="$addr"
replica proxy-p2 "http://127.0.0.1:$prom_port"; p2="$addr"
replica proxy-v1 "http://127.0.0.1:$vm_port"; v1="$addr"
replica proxy-v2 "http://127.0.0.1:$vm_port"; v2="$addr"

# The tested HAProxy configuration (docs/deploy.md): round robin, health checks on
# /healthz, idempotent requests retried on the other replica when one fails to answer.
cat >"$work/haproxy.cfg" <<CFG
global
  maxconn 2000
defaults
  mode http
  timeout connect 1s
  timeout client 30s
  timeout server 30s
  timeout tunnel 1h
  retries 3
  option redispatch 1
  retry-on all-retryable-errors
frontend console-prometheus
  bind 127.0.0.1:$console_port
  default_backend prometheus-replicas
frontend console-victoriametrics
  bind 127.0.0.1:$vm_console_port
  default_backend victoriametrics-replicas
backend prometheus-replicas
  balance roundrobin
  option httpchk GET /healthz
  default-server inter 500ms fall 2 rise 2
  server p1 $p1 check
  server p2 $p2 check
backend victoriametrics-replicas
  balance roundrobin
  option httpchk GET /healthz
  default-server inter 500ms fall 2 rise 2
  server v1 $v1 check
  server v2 $v2 check
CFG
start haproxy haproxy -f "$work/haproxy.cfg" -db
wait_ready "http://127.0.0.1:$console_port/healthz" haproxy
wait_ready "http://127.0.0.1:$vm_console_port/healthz" haproxy

cat <<MSG

Vantage is running as two consoles of two replicas each, sharing one Redis:

    http://127.0.0.1:$console_port/      on Prometheus       (replicas $p1, $p2)
    http://127.0.0.1:$vm_console_port/      on VictoriaMetrics  (replicas $v1, $v2)

  Each replica's /metrics shows its cache: vantage_proxy_range_requests_total,
  vantage_proxy_shared_cache_requests_total, vantage_proxy_shared_cache_up.
  Redis        127.0.0.1:$redis_port   (redis-cli -p $redis_port)
  logs and configuration: $work/

Press Ctrl-C to stop everything.
MSG
wait -n "${pids[@]}" || true
echo "a process stopped unexpectedly; the end of each log:" >&2
for log in "$work"/*.log; do
  echo "--- $(basename "$log")" >&2
  tail -n 5 "$log" >&2
done
exit 1
