#!/usr/bin/env bash
# Runs the libFuzzer targets of tests/fuzz for FUZZ_SECONDS each (default 60) on a seed corpus
# from tests/data, two at a time (one per core). Fails if any target crashes, leaks, times out
# or trips a sanitizer; the input that did it is kept in <build>/fuzz/artifacts/<target>/ (make it
# a regression test, then fix). New coverage is kept in <build>/fuzz/corpus/<target>/.
#
# The targets live in the clang ASan/UBSan build (FUZZ_BUILD_DIR, default build-asan), the same
# build whose GoogleTest suites deploy/scripts/test.sh runs: one sanitizer build, not two. If that
# directory has not been configured yet, it is configured here with clang.
set -euo pipefail
cd "$(dirname "$0")/../.."
seconds="${FUZZ_SECONDS:-60}"
build_dir="${FUZZ_BUILD_DIR:-build-asan}"
targets=(hook_request_fuzzer jwt_fuzzer config_fuzzer http_request_fuzzer)

if [[ ! -f "$build_dir/CMakeCache.txt" ]]; then
  CC=clang-14 CXX=clang++-14 cmake -S . -B "$build_dir" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DSTEROID_ADVISOR_SANITIZE=ON -DSTEROID_ADVISOR_BUILD_FUZZERS=ON \
    -DSTEROID_ADVISOR_BUILD_TESTS=OFF >/dev/null
fi
cmake --build "$build_dir" -j"${JOBS:-2}" --target "${targets[@]}" >/dev/null

# Seeds: what each input really looks like, copied from tests/data (libFuzzer adds new inputs
# to the first corpus directory it is given, and tests/data stays as it is).
work="$build_dir/fuzz"
rm -rf "$work/seeds"
mkdir -p "$work"/seeds/{hook_request_fuzzer,jwt_fuzzer,config_fuzzer,http_request_fuzzer}
find tests/data/cases tests/data/examples -name '*.json' -exec cp -t "$work/seeds/hook_request_fuzzer" {} +
cp tests/data/fuzz/jwt/* "$work/seeds/jwt_fuzzer/"
cp tests/data/config/*.json deploy/config/default.json "$work/seeds/config_fuzzer/"
cp tests/data/fuzz/http/* "$work/seeds/http_request_fuzzer/"

# fuzz TARGET: one bounded run; its exit status is the target's.
fuzz() {
  local target="$1"
  mkdir -p "$work/corpus/$target" "$work/artifacts/$target"
  "$build_dir/tests/fuzz/$target" -max_total_time="$seconds" -print_final_stats=1 \
    -artifact_prefix="$work/artifacts/$target/" -max_len=65536 -timeout=10 -rss_limit_mb=2048 \
    "$work/corpus/$target" "$work/seeds/$target" >"$work/$target.log" 2>&1
}

# report TARGET STATUS: the executed and new-unit counts, or the end of the log on a failure.
report() {
  local target="$1" status="$2"
  if [[ "$status" != 0 ]]; then
    echo "FAILED: $target (log: $work/$target.log; input: $work/artifacts/$target/)"
    tail -n 40 "$work/$target.log"
    return 1
  fi
  echo "ok: $target ($(grep -E '^stat::number_of_executed_units' "$work/$target.log" |
    awk '{print $2}') inputs in ${seconds}s)"
}

failed=0
for ((i = 0; i < ${#targets[@]}; i += 2)); do
  pair=("${targets[@]:i:2}")
  pids=()
  for target in "${pair[@]}"; do
    fuzz "$target" &
    pids+=("$!")
  done
  for j in "${!pair[@]}"; do
    status=0
    wait "${pids[$j]}" || status=$?
    report "${pair[$j]}" "$status" || failed=1
  done
done
exit "$failed"
