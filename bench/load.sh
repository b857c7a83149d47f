#!/usr/bin/env bash
# Load test: cds_server (order-select with prefetch) against bare_listener (the cpprestsdk
# ceiling), with wrk on loopback. Builds Release into $BUILD_DIR (default <repo>/build-bench),
# warms each server up, runs 32 and 8 connections on 2 threads for $DURATION seconds each, and
# prints a markdown table: requests/s, p50/p99 latency, peak RSS (VmHWM) and the ratios.
#   bench/load.sh                 DURATION=12 BODY=bench/data/order_select_realistic.json
# Experiments: CDS_SERVER_BIN=<another cds_server build> and CDS_SERVER_ENV="MALLOC_ARENA_MAX=2"
# (environment for cds_server only) compare a change without editing this script;
# BARE_THREADS=N sizes bare_listener's cpprestsdk pool (default: cpprestsdk's 40 threads).
# Bounded: every wrk run has a timeout, both servers are stopped on exit (by their pids).
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
build_dir="${BUILD_DIR:-$root/build-bench}"
duration="${DURATION:-12}"
warmup="${WARMUP:-3}"
body="${BODY:-$root/bench/data/order_select_realistic.json}"
service_path="/cds-services/steroid-advisor-order-select"

command -v wrk >/dev/null || { echo "load.sh: wrk is missing (apt-get install wrk)" >&2; exit 2; }

cmake -S "$root" -B "$build_dir" -DCMAKE_BUILD_TYPE=Release -DSTEROID_ADVISOR_BUILD_BENCH=ON \
  -DSTEROID_ADVISOR_BUILD_TESTS=OFF >/dev/null
cmake --build "$build_dir" -j2 --target cds_server bare_listener >/dev/null

work="$(mktemp -d)"
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT

free_port() {
  node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'
}

# start NAME BINARY [VAR=value...]: starts it on a free loopback port with those environment
# variables, waits for its "listening" line.
start() {
  local name="$1" binary="$2" port extra=()
  shift 2
  port="$(free_port)"
  if [ "$name" = bare ] && [ -n "${BARE_THREADS:-}" ]; then extra=(--threads "$BARE_THREADS"); fi
  env "$@" "$binary" --port "$port" --host 127.0.0.1 "${extra[@]}" >"$work/$name.out" 2>"$work/$name.err" &
  pids+=("$!")
  eval "${name}_pid=$!"
  eval "${name}_url=http://127.0.0.1:$port$service_path"
  for _ in $(seq 100); do
    grep -q "listening" "$work/$name.out" 2>/dev/null && return 0
    sleep 0.1
  done
  echo "load.sh: $name did not start" >&2
  cat "$work/$name.err" >&2
  exit 1
}

cds_binary="${CDS_SERVER_BIN:-$build_dir/cds_server}"
# shellcheck disable=SC2086  # CDS_SERVER_ENV is a list of VAR=value words
start cds "$cds_binary" ${CDS_SERVER_ENV:-}
start bare "$build_dir/bare_listener"

status="$(curl -s -o "$work/check.json" -w '%{http_code}' -H 'Content-Type: application/json' \
  --data-binary "@$body" "$cds_url")"
if [ "$status" != 200 ]; then
  echo "load.sh: cds_server answered $status to the load body" >&2
  cat "$work/check.json" >&2
  exit 1
fi
cards="$(node -e 'const b=JSON.parse(require("fs").readFileSync(process.argv[1]));
  console.log(b.cards.map(c=>c.source.topic.code+"/"+c.indicator).join(", ")||"none")' \
  "$work/check.json")"

export BODY_FILE="$body"
# run URL CONNECTIONS SECONDS -> wrk output in $work/last.txt
run() {
  timeout $(( $3 + 30 )) wrk -t2 -c"$2" -d"$3"s --latency -s "$root/bench/post.lua" "$1" \
    >"$work/last.txt" 2>&1
}

# to_ms "1.23ms" -> 1.230 (wrk prints us, ms or s)
to_ms() {
  awk -v v="$1" 'BEGIN {
    n = v + 0
    if (v ~ /us$/) n /= 1000; else if (v ~ /ms$/) n += 0; else if (v ~ /s$/) n *= 1000
    printf "%.3f", n }'
}

load_before="$(cut -d" " -f1-3 /proc/loadavg)"
declare -A rps p50 p99 errors
for connections in 32 8; do
  for name in bare cds; do
    url_var="${name}_url"
    run "${!url_var}" 8 "$warmup"
    run "${!url_var}" "$connections" "$duration"
    key="$name/$connections"
    rps[$key]="$(awk '/^Requests\/sec:/ {printf "%.0f", $2}' "$work/last.txt")"
    p50[$key]="$(to_ms "$(awk '$1 == "50%" {print $2}' "$work/last.txt")")"
    p99[$key]="$(to_ms "$(awk '$1 == "99%" {print $2}' "$work/last.txt")")"
    socket_errors="$(awk '/Socket errors/ {print}' "$work/last.txt")"
    errors[$key]="$(awk '/^NOT_200/ {print $2}' "$work/last.txt")${socket_errors:+; $socket_errors}"
  done
done

hwm() { awk '/^VmHWM/ {printf "%.1f", $2 / 1024}' "/proc/$1/status"; }
cds_rss="$(hwm "$cds_pid")"
bare_rss="$(hwm "$bare_pid")"
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "n/a" }'; }

echo "## Load: order-select with prefetch vs bare cpprestsdk listener"
echo
echo "$(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, $(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo), load average before: $load_before"
echo "cds_server: ${cds_binary}${CDS_SERVER_ENV:+ with $CDS_SERVER_ENV}; bare_listener threads: ${BARE_THREADS:-cpprestsdk default (40)}"
echo "body: ${body#$root/} ($(wc -c <"$body") bytes), cards returned: $cards"
echo "wrk -t2 -c{32,8} -d${duration}s --latency -s bench/post.lua, after a ${warmup}s warm-up at 8 connections"
echo
echo "| server | conns | req/s | p50 ms | p99 ms | non-200 / socket errors |"
echo "|---|---:|---:|---:|---:|---|"
for connections in 32 8; do
  for name in bare cds; do
    key="$name/$connections"
    echo "| $([ $name = cds ] && echo cds_server || echo bare_listener) | $connections | ${rps[$key]} | ${p50[$key]} | ${p99[$key]} | ${errors[$key]:-0} |"
  done
done
echo
echo "| measure | cds_server | bare_listener | ratio | target |"
echo "|---|---:|---:|---:|---|"
echo "| req/s at 32 conns | ${rps[cds/32]} | ${rps[bare/32]} | $(ratio "${rps[cds/32]}" "${rps[bare/32]}") | >= 0.60 |"
echo "| p99 at 32 conns (ms) | ${p99[cds/32]} | ${p99[bare/32]} | $(ratio "${p99[cds/32]}" "${p99[bare/32]}") | <= 1.5 |"
echo "| p99 at 8 conns (ms) | ${p99[cds/8]} | ${p99[bare/8]} | $(ratio "${p99[cds/8]}" "${p99[bare/8]}") | cds < 5 ms |"
echo "| peak RSS (MB, VmHWM) | $cds_rss | $bare_rss | $(ratio "$cds_rss" "$bare_rss") | cds < 40 MB |"
