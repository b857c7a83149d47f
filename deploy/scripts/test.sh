#!/usr/bin/env bash
# Installs what is missing, builds, and runs every test: the GoogleTest suites (unit, loopback
# HTTP server, FHIR fetch against a real FHIR server, conformance), the same suites under
# AddressSanitizer + UndefinedBehaviorSanitizer, and the Node suites (FHIR test server,
# response validators, the CDS client conformance suite, admin page in headless Chromium), and
# the libFuzzer targets (tests/fuzz/run.sh, clang, FUZZ_SECONDS each).
set -euo pipefail
cd "$(dirname "$0")/../.."
deploy/scripts/install-deps.sh --test

echo "== build (RelWithDebInfo)"
BUILD_DIR=build deploy/scripts/build.sh -DSTEROID_ADVISOR_BUILD_TESTS=ON -DSTEROID_ADVISOR_BUILD_BENCH=ON
# One sanitizer build, with clang, serves both the ASan/UBSan test run and the libFuzzer targets.
echo "== build (clang, ASan + UBSan, with the libFuzzer targets)"
CC=clang-14 CXX=clang++-14 BUILD_DIR=build-asan BUILD_TYPE=RelWithDebInfo deploy/scripts/build.sh \
  -DSTEROID_ADVISOR_SANITIZE=ON -DSTEROID_ADVISOR_BUILD_FUZZERS=ON -DSTEROID_ADVISOR_BUILD_TESTS=ON

failed=0
run() {
  echo "== $*"
  if ! "$@"; then
    echo "FAILED: $*"
    failed=1
  fi
}

run node --test tests/fhir_server/test/
run node --test tests/conformance/validator/test/
# deploy/: Kubernetes manifests, compose file, Dockerfile and systemd unit, offline.
run node --test tests/deploy/
# A CDS client against the real cds_server and FHIR test server; every response schema-checked.
run env CDS_SERVER="$PWD/build/cds_server" node --test --test-concurrency=1 tests/conformance/client/test/
run env LSAN_OPTIONS="suppressions=$PWD/tests/lsan.supp:print_suppressions=0" \
  ctest --test-dir build-asan --output-on-failure -j2
if [[ -d tests/browser ]]; then
  run env CDS_SERVER="$PWD/build/cds_server" SCREENSHOT_PATH="$PWD/build/admin-page.png" \
    node --test tests/browser/
fi
# The libFuzzer targets of build-asan, FUZZ_SECONDS (default 60) each, two at a time.
run env FUZZ_BUILD_DIR=build-asan tests/fuzz/run.sh
# The main suite last, so its summary line closes the output.
run ctest --test-dir build --output-on-failure -j2
exit "$failed"
