#!/usr/bin/env bash
# Load test, in one run on loopback with wrk: cds_server (order-select with prefetch) against
# bare_beast_listener (the Beast ceiling: 2 threads answering {"cards":[]}) and bare_listener
# (the cpprestsdk ceiling). Builds Release into $BUILD_DIR (default <repo>/build-bench), warms
# each server up, runs 32 and 8 connections on 2 threads for $DURATION seconds each, and prints
# markdown tables: requests/s, p50/p99 latency, each server's own CPU time per request, peak RSS
# (VmHWM) and the ratios to the targets.
# Then the isolation scenario (issue 12): a FHIR server that takes 1.2 s per search, 64 hook calls
# without prefetch waiting on it (bench/slow_calls.js), and prefetched order-select traffic at
# the same time, whose p99 must stay low. ISOLATION=0 skips it.
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
cmake --build "$build_dir" -j2 --target cds_server bare_listener bare_beast_listener >/dev/null

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
  # cds_server records shown cards: into a fresh store per run, not a data/ that grows across runs.
  if [ "$name" = cds ]; then
    extra=(--log-level error --config "$work/config.json" --data-dir "$work/data")
  fi
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

# The default config with the record cache off, so every slow call of the isolation scenario
# really waits on the FHIR server (it does not change the prefetched path measured above).
node -e '
  const c = JSON.parse(require("fs").readFileSync(process.argv[1]));
  c.fhir.cacheSeconds = 0;
  require("fs").writeFileSync(process.argv[2], JSON.stringify(c, null, 2));
' "$root/deploy/config/default.json" "$work/config.json"

cds_binary="${CDS_SERVER_BIN:-$build_dir/cds_server}"
# shellcheck disable=SC2086  # CDS_SERVER_ENV is a list of VAR=value words
start cds "$cds_binary" ${CDS_SERVER_ENV:-}
start bare "$build_dir/bare_listener"
start beast "$build_dir/bare_beast_listener"

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

# CPU time (user + system, in clock ticks) a process has used so far.
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
ticks_per_second="$(getconf CLK_TCK)"

load_before="$(cut -d" " -f1-3 /proc/loadavg)"
declare -A rps p50 p99 errors cpu_us
for connections in 32 8; do
  for name in beast bare cds; do
    url_var="${name}_url"
    pid_var="${name}_pid"
    run "${!url_var}" 8 "$warmup"
    ticks_before="$(cpu_ticks "${!pid_var}")"
    run "${!url_var}" "$connections" "$duration"
    ticks_after="$(cpu_ticks "${!pid_var}")"
    key="$name/$connections"
    # The server's own CPU per answered request, all its threads: what the handler costs,
    # whatever else (wrk, other processes) shares the cores.
    cpu_us[$key]="$(awk -v t="$(( ticks_after - ticks_before ))" -v hz="$ticks_per_second" \
      '/ requests in / {if ($1 > 0) printf "%.1f", t * 1e6 / hz / $1}' "$work/last.txt")"
    rps[$key]="$(awk '/^Requests\/sec:/ {printf "%.0f", $2}' "$work/last.txt")"
    p50[$key]="$(to_ms "$(awk '$1 == "50%" {print $2}' "$work/last.txt")")"
    p99[$key]="$(to_ms "$(awk '$1 == "99%" {print $2}' "$work/last.txt")")"
    socket_errors="$(awk '/Socket errors/ {print}' "$work/last.txt")"
    errors[$key]="$(awk '/Non-2xx or 3xx/ {n = $NF} END {print n + 0}' "$work/last.txt")${socket_errors:+; $socket_errors}"
  done
done

hwm() { awk '/^VmHWM/ {printf "%.1f", $2 / 1024}' "/proc/$1/status"; }
cds_rss="$(hwm "$cds_pid")"
bare_rss="$(hwm "$bare_pid")"
beast_rss="$(hwm "$beast_pid")"
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "n/a" }'; }

echo "## Load: order-select with prefetch vs bare Beast and bare cpprestsdk listeners"
echo
echo "$(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, $(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo), load average before: $load_before"
echo "cds_server: ${cds_binary}${CDS_SERVER_ENV:+ with $CDS_SERVER_ENV}, default threads (one per core); bare_beast_listener: 2 threads; bare_listener threads: ${BARE_THREADS:-cpprestsdk default (40)}"
echo "body: ${body#$root/} ($(wc -c <"$body") bytes), cards returned: $cards"
echo "wrk -t2 -c{32,8} -d${duration}s --latency -s bench/post.lua, after a ${warmup}s warm-up at 8 connections"
echo
echo "| server | conns | req/s | p50 ms | p99 ms | server CPU µs/req | non-2xx / socket errors |"
echo "|---|---:|---:|---:|---:|---:|---|"
label() { case "$1" in cds) echo cds_server ;; beast) echo bare_beast_listener ;; *) echo bare_listener ;; esac; }
for connections in 32 8; do
  for name in beast bare cds; do
    key="$name/$connections"
    echo "| $(label $name) | $connections | ${rps[$key]} | ${p50[$key]} | ${p99[$key]} | ${cpu_us[$key]} | ${errors[$key]:-0} |"
  done
done
echo
echo "| measure | cds_server | bare Beast | bare cpprestsdk | cds / Beast | cds / cpprestsdk | target |"
echo "|---|---:|---:|---:|---:|---:|---|"
for connections in 32 8; do
  echo "| req/s at $connections conns | ${rps[cds/$connections]} | ${rps[beast/$connections]} | ${rps[bare/$connections]} | $(ratio "${rps[cds/$connections]}" "${rps[beast/$connections]}") | $(ratio "${rps[cds/$connections]}" "${rps[bare/$connections]}") | >= 0.50 of Beast, >= 1.5 x cpprestsdk |"
done
echo "| p99 at 32 conns (ms) | ${p99[cds/32]} | ${p99[beast/32]} | ${p99[bare/32]} | $(ratio "${p99[cds/32]}" "${p99[beast/32]}") | $(ratio "${p99[cds/32]}" "${p99[bare/32]}") | <= 3 x Beast |"
echo "| server CPU per request at 32 conns (µs) | ${cpu_us[cds/32]} | ${cpu_us[beast/32]} | ${cpu_us[bare/32]} | $(ratio "${cpu_us[cds/32]}" "${cpu_us[beast/32]}") | $(ratio "${cpu_us[cds/32]}" "${cpu_us[bare/32]}") | |"
echo "| peak RSS (MB, VmHWM) | $cds_rss | $beast_rss | $bare_rss | | | cds < 40 MB |"

[ "${ISOLATION:-1}" = 0 ] && exit 0

# Isolation: a slow FHIR server must not stall prefetched calls. The record comes from
# bench/slow_fhir_server.js (canned searchsets after SLOW_MS); bench/slow_calls.js reads the
# expected cards from the same server as prefetch.
fhir_port="$(free_port)"
slow_ms="${SLOW_MS:-1200}"
node "$root/bench/slow_fhir_server.js" "$fhir_port" "$slow_ms" pat-alem-4mo \
  >"$work/fhir.out" 2>"$work/fhir.err" &
pids+=("$!")
for _ in $(seq 100); do grep -q SLOW_FHIR_LISTENING "$work/fhir.out" 2>/dev/null && break; sleep 0.1; done
fhir_base="http://127.0.0.1:$fhir_port/fhir"
cds_base="${cds_url%$service_path}"
iso_seconds="${ISOLATION_SECONDS:-10}"
# 64 calls at a time for the whole window, each needing the record from the slow server.
timeout $(( iso_seconds + 60 )) node "$root/bench/slow_calls.js" "$cds_base" "$fhir_base" 64 \
  "$iso_seconds" >"$work/slow.json" 2>"$work/slow.err" &
slow_pid=$!
sleep 2  # let the 64 calls be in flight before measuring
run "$cds_url" 8 $(( iso_seconds - 4 ))
wait "$slow_pid" || { echo "load.sh: slow_calls.js failed" >&2; cat "$work/slow.err" >&2; exit 1; }
iso_rps="$(awk '/^Requests\/sec:/ {printf "%.0f", $2}' "$work/last.txt")"
iso_p50="$(to_ms "$(awk '$1 == "50%" {print $2}' "$work/last.txt")")"
iso_p99="$(to_ms "$(awk '$1 == "99%" {print $2}' "$work/last.txt")")"
iso_errors="$(awk '/Non-2xx or 3xx/ {n = $NF} END {print n + 0}' "$work/last.txt")"
echo
echo "## Isolation: prefetched order-select while 64 calls wait on a ${slow_ms} ms FHIR server"
echo
echo "prefetched: wrk -t2 -c8 -d$(( iso_seconds - 4 ))s --latency; slow: bench/slow_calls.js, 64 concurrent order-sign calls without prefetch for ${iso_seconds}s"
echo
echo "| measure | value | target |"
echo "|---|---:|---|"
echo "| prefetched req/s | $iso_rps | |"
echo "| prefetched p50 / p99 (ms) | $iso_p50 / $iso_p99 | p99 < 20 ms |"
echo "| prefetched non-2xx | ${iso_errors:-0} | 0 |"
node -e '
  const r = JSON.parse(require("fs").readFileSync(process.argv[1]));
  console.log(`| slow calls answered | ${r.calls} | all 200 |`);
  console.log(`| slow calls not 200 | ${r.not200} | 0 |`);
  console.log(`| slow calls with other cards than with prefetch | ${r.differentCards} | 0 |`);
  console.log(`| slow call latency p50 / max (ms) | ${r.p50Ms} / ${r.maxMs} | max <= deadline (2000) + evaluation |`);
' "$work/slow.json"
