#!/usr/bin/env bash
# Quick start: installs what is missing, builds, and starts the service on its built-in defaults
# (http://127.0.0.1:8080/cds-services). Arguments go to cds_server (e.g. --port 9000).
set -euo pipefail
cd "$(dirname "$0")/../.."
deploy/scripts/install-deps.sh
STEROID_ADVISOR_BUILD_TESTS=OFF deploy/scripts/build.sh -DSTEROID_ADVISOR_BUILD_TESTS=OFF
exec build/cds_server "$@"
