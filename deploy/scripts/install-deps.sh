#!/usr/bin/env bash
# Installs what steroid-advisor needs on Debian 12, skipping what is already there.
#   install-deps.sh          build + run dependencies (compiler, cmake, cpprestsdk, RapidJSON, OpenSSL,
#                            SQLite and libpq for the feedback stores, cjose for client JWTs)
#   install-deps.sh --test   also GoogleTest, Google Benchmark, Node.js/npm, Chromium, PostgreSQL
#                            (the feedback tests start a throwaway server) and the npm packages of
#                            the test tools (FHIR test server, validators, browser test)
set -euo pipefail
cd "$(dirname "$0")/../.."

with_tests=0
[[ "${1:-}" == "--test" ]] && with_tests=1

packages=(build-essential cmake pkg-config libcpprest-dev rapidjson-dev libssl-dev libcjose-dev
          ca-certificates libsqlite3-dev libpq-dev)
if (( with_tests )); then
  packages+=(libgtest-dev libgmock-dev libbenchmark-dev chromium prometheus postgresql)
  # The ASan/UBSan build and the libFuzzer targets of tests/fuzz/ are built with clang.
  packages+=(clang-14 libfuzzer-14-dev libclang-rt-14-dev)
  command -v node >/dev/null 2>&1 || packages+=(nodejs)
  command -v npm >/dev/null 2>&1 || packages+=(npm)
fi

missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" ||
    missing+=("$package")
done
if (( ${#missing[@]} )); then
  echo "installing: ${missing[*]}"
  sudo_cmd=()
  (( EUID != 0 )) && sudo_cmd=(sudo)
  "${sudo_cmd[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends \
    "${missing[@]}" >/dev/null
fi

if (( with_tests )); then
  # Lock files pin every npm package; `npm ci` installs exactly those.
  for dir in tests/fhir_server tests/conformance/validator tests/conformance/client tests/browser \
             tests/deploy; do
    if [[ -f "$dir/package-lock.json" && ! -d "$dir/node_modules" ]]; then
      echo "npm ci in $dir"
      (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error)
    fi
  done
fi
