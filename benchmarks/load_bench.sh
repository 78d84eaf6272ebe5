#!/usr/bin/env bash
# Load benchmark: the API on loopback under mixed reads and writes (wrk, Debian package `wrk`).
#   benchmarks/load_bench.sh [SECONDS=30] [CONNECTIONS=50] [THREADS=4]
# Serves a fresh SQLite store with the demo data (waitress, THREADS worker threads) on a free
# loopback port, drives it with wrk for SECONDS with CONNECTIONS concurrent clients, and prints
# requests/s, p50/p90/p99 latency and the error count. Stops by itself.
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_RUN="${1:-30}" CONNECTIONS="${2:-50}" THREADS="${3:-4}"
BIN=.venv/bin
command -v wrk >/dev/null || { echo "load_bench: needs wrk (apt-get install wrk)" >&2; exit 2; }
TMP=$(mktemp -d)
export GRAPH_SERVICE_DB="$TMP/load.sqlite3" GRAPH_SERVICE_SECURE_COOKIES=false
PORT=$($BIN/python -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
$BIN/graph-service demo >/dev/null
export TOKEN=$($BIN/graph-service create-token load-bench 2>/dev/null)
$BIN/graph-service serve --port "$PORT" --threads "$THREADS" >"$TMP/serve.log" 2>&1 &
SERVER=$!
trap 'kill $SERVER 2>/dev/null || true; wait $SERVER 2>/dev/null || true; rm -rf "$TMP"' EXIT
for _ in $(seq 50); do curl -fs "http://127.0.0.1:$PORT/healthz" >/dev/null && break; sleep 0.2; done
echo "machine: $(uname -m), $(nproc) cores; store: SQLite (demo data); ${CONNECTIONS} connections, ${SECONDS_RUN} s, ${THREADS} server threads"
wrk -t2 -c"$CONNECTIONS" -d"${SECONDS_RUN}s" --timeout 10s -s benchmarks/load.lua "http://127.0.0.1:$PORT" | grep -E "^(requests|latency|errors):"
