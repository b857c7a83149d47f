#!/usr/bin/env bash
# Builds the libFuzzer targets with clang into build-fuzz (or $FUZZ_BUILD_DIR) and runs each for
# FUZZ_SECONDS (default 60) on a seed corpus from tests/data. Fails if any target crashes, leaks
# or trips a sanitizer; the input that did it is kept in build-fuzz/artifacts/ (turn it into a
# regression test, then fix). New coverage found is kept in build-fuzz/corpus/<target>/.
set -euo pipefail
cd "$(dirname "$0")/../.."
seconds="${FUZZ_SECONDS:-60}"
build_dir="${FUZZ_BUILD_DIR:-build-fuzz}"
targets=(hook_request_fuzzer jwt_fuzzer config_fuzzer http_request_fuzzer)

CC=clang-14 CXX=clang++-14 cmake -S . -B "$build_dir" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DSTEROID_ADVISOR_BUILD_FUZZERS=ON -DSTEROID_ADVISOR_BUILD_TESTS=OFF >/dev/null
cmake --build "$build_dir" -j"${JOBS:-2}" --target "${targets[@]}"

# Seeds: what each input really looks like, from tests/data (copied: libFuzzer may add to the
# first corpus directory, and tests/data stays as it is).
seeds="$build_dir/seeds"
rm -rf "$seeds"
mkdir -p "$seeds"/{hook_request_fuzzer,jwt_fuzzer,config_fuzzer,http_request_fuzzer}
find tests/data/cases tests/data/examples -name '*.json' -exec cp -t "$seeds/hook_request_fuzzer" {} +
cp tests/data/fuzz/jwt/* "$seeds/jwt_fuzzer/"
cp tests/data/config/*.json deploy/config/default.json "$seeds/config_fuzzer/"
cp tests/data/fuzz/http/* "$seeds/http_request_fuzzer/"

failed=0
for target in "${targets[@]}"; do
  corpus="$build_dir/corpus/$target"
  artifacts="$build_dir/artifacts/$target"
  mkdir -p "$corpus" "$artifacts"
  echo "== $target (${seconds}s)"
  if ! "$build_dir/tests/fuzz/$target" -max_total_time="$seconds" -print_final_stats=1 \
      -artifact_prefix="$artifacts/" -max_len=65536 -timeout=10 -rss_limit_mb=2048 \
      "$corpus" "$seeds/$target" >"$build_dir/$target.log" 2>&1; then
    echo "FAILED: $target (log: $build_dir/$target.log; input: $artifacts/)"
    tail -n 40 "$build_dir/$target.log"
    failed=1
  fi
  grep -E '^stat::number_of_executed_units|^stat::new_units_added' "$build_dir/$target.log" || true
done
exit "$failed"
