# Shared by the scripts that start servers: free loopback ports, waiting for a server to
# answer, and stopping everything started (by PID) on exit. Source it after setting
# `work` (a temp dir for logs).

pids=()

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

port_is_free() {
  python3 -c 'import socket,sys; s=socket.socket(); s.bind(("127.0.0.1", int(sys.argv[1])))' "$1" 2>/dev/null
}

# wait_ready URL NAME: waits up to 30 s for URL to answer, else shows NAME's log and exits.
wait_ready() {
  for _ in $(seq 1 150); do
    curl -fsS -o /dev/null "$1" 2>/dev/null && return 0
    sleep 0.2
  done
  echo "$2 did not start; its log: $work/$2.log" >&2
  tail -n 20 "$work/$2.log" >&2
  exit 1
}

# kill_tree PID: stops PID and every process it started, children first, by pid.
kill_tree() {
  local child
  for child in $(ps -o pid= --ppid "$1" 2>/dev/null); do kill_tree "$child"; done
  kill "$1" 2>/dev/null || true
}

stop_all() {
  trap - EXIT INT TERM
  for pid in "${pids[@]}"; do [ -n "$pid" ] && kill_tree "$pid"; done
  for pid in "${pids[@]}"; do [ -n "$pid" ] && { wait "$pid" 2>/dev/null || true; }; done
  rm -rf "$work"
}
