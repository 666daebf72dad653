#!/usr/bin/env bash
# Benchmarks the proxy on loopback against a real Prometheus scraping the demo:
#  1. added latency: the same range query straight to Prometheus and through the proxy,
#     interleaved in one run, over persistent connections;
#  2. cached-hit throughput: a bounded wrk run on a settled, step-aligned range;
#  3. the proxy's resident memory idle, under that load and at its peak.
# Starts and stops its own demo, Prometheus and proxy (release build, --profile server),
# each by its pid. Prints the numbers; BENCHMARKS.md records a run.
#
# Knobs: BENCH_PAIRS (latency pairs, default 2000), BENCH_SECONDS (wrk duration,
# default 10), BENCH_CONNECTIONS (wrk connections, default 32), BENCH_THREADS (wrk
# threads, default 2).
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/setup.sh
. scripts/processes.sh

pairs="${BENCH_PAIRS:-2000}"
seconds="${BENCH_SECONDS:-10}"
connections="${BENCH_CONNECTIONS:-32}"
threads="${BENCH_THREADS:-2}"

rss_kb() { awk '/^VmRSS:/ {print $2}' "/proc/$1/status"; }
hwm_kb() { awk '/^VmHWM:/ {print $2}' "/proc/$1/status"; }

echo "==> building (release, --profile server)"
cargo build --quiet --profile server -p vantage-proxy -p vantage-demo
bin="$PWD/target/server"

work="$(mktemp -d -t vantage-bench.XXXXXX)"
trap stop_all EXIT INT TERM

demo_port="$(free_port)"; prom_port="$(free_port)"; proxy_port="$(free_port)"
"$bin/vantage-demo" --listen "127.0.0.1:$demo_port" --seed 42 >"$work/demo.log" 2>&1 &
pids+=($!)
wait_ready "http://127.0.0.1:$demo_port/metrics" demo

cat >"$work/prometheus.yml" <<YML
global:
  scrape_interval: 2s
scrape_configs:
  - job_name: demo
    static_configs:
      - targets: ['127.0.0.1:$demo_port']
YML
prometheus --config.file="$work/prometheus.yml" --storage.tsdb.path="$work/tsdb" \
  --web.listen-address="127.0.0.1:$prom_port" --log.level=warn >"$work/prometheus.log" 2>&1 &
pids+=($!)
wait_ready "http://127.0.0.1:$prom_port/-/ready" prometheus

cat >"$work/proxy.toml" <<TOML
listen = "127.0.0.1:$proxy_port"
upstream = "http://127.0.0.1:$prom_port"
backend = "http://127.0.0.1:$demo_port"
cache_freshness = "2s"
[rate_limit]
per_second = 0
TOML
RUST_LOG=warn "$bin/vantage-proxy" --config "$work/proxy.toml" >"$work/proxy.log" 2>&1 &
proxy_pid=$!
pids+=($proxy_pid)
wait_ready "http://127.0.0.1:$proxy_port/healthz" proxy

echo "==> letting Prometheus collect 20 s of samples"
sleep 20
idle_kb="$(rss_kb "$proxy_pid")"

echo "==> added latency: $pairs interleaved pairs"
python3 - "$prom_port" "$proxy_port" "$pairs" <<'PY'
import http.client, random, statistics, sys, time, urllib.parse
prom, proxy, pairs = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
conns = {"direct": http.client.HTTPConnection("127.0.0.1", prom),
         "proxy": http.client.HTTPConnection("127.0.0.1", proxy)}
query = "sum by (repository) (rate(orchestrator_cost_attribution[1m]))"
def ask(name, path):
    c = conns[name]
    t0 = time.perf_counter_ns()
    c.request("GET", path)
    r = c.getresponse()
    body = r.read()
    t1 = time.perf_counter_ns()
    assert r.status == 200, (name, r.status, body[:200])
    return (t1 - t0) / 1e6, body
times = {"direct": [], "proxy": []}
same = 0
for i in range(pairs + 200):
    end = int(time.time())
    # A range over the last 5 minutes ending now: inside the freshness window, never
    # cached, so every proxied request goes to Prometheus, as a live dashboard's do.
    path = "/api/v1/query_range?" + urllib.parse.urlencode(
        {"query": query, "start": end - 300, "end": end, "step": 15})
    order = ["direct", "proxy"]
    random.shuffle(order)
    got = {}
    for name in order:
        got[name] = ask(name, path)
    if i >= 200:
        for name in order:
            times[name].append(got[name][0])
        same += got["direct"][1] == got["proxy"][1]
def pct(xs, p):
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(round(p / 100 * (len(xs) - 1))))]
for p in (50, 90, 99):
    d, x = pct(times["direct"], p), pct(times["proxy"], p)
    print(f"  p{p}: direct {d:.3f} ms, through the proxy {x:.3f} ms, added {x - d:+.3f} ms")
print(f"  identical bodies: {same} of {pairs}")
PY

echo "==> cached-hit throughput: wrk -t$threads -c$connections -d${seconds}s"
# The last 30 s of a dashboard panel (ten series), settled: outside the 2 s freshness
# window and aligned to the step, so every request after the first is a cache hit.
end=$(( ($(date +%s) - 6) / 2 * 2 ))
url="http://127.0.0.1:$proxy_port/api/v1/query_range?query=sum%20by%20(repository)%20(orchestrator_cost_attribution)&start=$((end - 30))&end=$end&step=2"
curl -fsS -o /dev/null "$url"
curl -fsS -o /dev/null "$url"
bytes="$(curl -fsS "$url" | wc -c)"
peak_load_kb=0
(
  while kill -0 "$proxy_pid" 2>/dev/null; do
    rss_kb "$proxy_pid"
    sleep 0.5
  done
) >"$work/rss.samples" &
sampler=$!
wrk -t"$threads" -c"$connections" -d"${seconds}s" --latency "$url" | sed 's/^/  /'
kill "$sampler" 2>/dev/null || true
wait "$sampler" 2>/dev/null || true
peak_load_kb="$(sort -n "$work/rss.samples" | tail -1)"
hits="$(curl -fsS "http://127.0.0.1:$proxy_port/metrics" | awk '/^vantage_proxy_cache_requests_total\{result="hit"\}/ {print $2}')"
upstream="$(curl -fsS "http://127.0.0.1:$proxy_port/metrics" | awk '/^vantage_proxy_upstream_requests_total\{target="upstream"\}/ {print $2}')"
echo "  answer size ${bytes} bytes; cache hits ${hits}; upstream requests in the whole run ${upstream}"

echo "==> proxy memory (RSS)"
echo "  idle after start:       $((idle_kb / 1024)) MB (${idle_kb} kB)"
echo "  under the wrk load:     $((peak_load_kb / 1024)) MB (${peak_load_kb} kB, highest sample)"
echo "  peak over the whole run: $(( $(hwm_kb "$proxy_pid") / 1024 )) MB"
echo "==> machine: $(nproc) cores, kernel $(uname -r), $(date -u +%Y-%m-%d)"
