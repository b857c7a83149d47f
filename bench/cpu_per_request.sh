#!/usr/bin/env bash
# CPU time and context switches per request of one server under wrk -c32 (the "probe" rows of
# bench/RESULTS.md): starts BINARY on a free loopback port with the given VAR=value environment,
# warms it up, counts task-clock and context switches with `perf stat -p` over 10 s of load.
#   bench/cpu_per_request.sh BINARY [VAR=value...]      BARGS="--threads 4" adds server flags
# Needs perf (software events only) and wrk. Stops the server it started, by pid.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
binary="$1"
shift
work="$(mktemp -d)"
port="$(node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')"
# shellcheck disable=SC2086  # BARGS is a list of words
env "$@" "$binary" --port "$port" --host 127.0.0.1 ${BARGS:-} >"$work/out" 2>"$work/err" &
pid=$!
trap 'kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; rm -rf "$work"' EXIT
for _ in $(seq 100); do grep -q listening "$work/out" && break; sleep 0.1; done
grep -q listening "$work/out" || { echo "server did not start" >&2; cat "$work/err" >&2; exit 1; }

export BODY_FILE="${BODY:-$root/bench/data/order_select_realistic.json}"
url="http://127.0.0.1:$port/cds-services/steroid-advisor-order-select"
timeout 30 wrk -t2 -c8 -d2s -s "$root/bench/post.lua" "$url" >/dev/null
perf stat -e task-clock,context-switches -p "$pid" -o "$work/perf" -- sleep 10 &
perf_pid=$!
timeout 40 wrk -t2 -c32 -d10s -s "$root/bench/post.lua" "$url" >"$work/wrk"
wait "$perf_pid"
requests="$(awk '/requests in/ {print $1}' "$work/wrk")"
echo "$(basename "$binary") $*: $requests requests, $(awk '/Requests\/sec/ {print $2}' "$work/wrk") req/s, $(awk '/Non-2xx or 3xx/ {n = $NF} END {print n + 0}' "$work/wrk") non-2xx"
awk -v n="$requests" '
  /task-clock/ { gsub(",", "", $1); printf "  CPU per request: %.1f us\n", $1 * 1000 / n }
  /context-switches/ { gsub(",", "", $1); printf "  context switches per request: %.2f\n", $1 / n }' "$work/perf"
