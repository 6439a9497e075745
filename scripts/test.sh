#!/usr/bin/env bash
# Sets up and runs every test on a fresh machine: Swift unit and HTTP tests against real SQLite,
# PostgreSQL, Redis, an S3-compatible server and LibreOffice; the conformance suite that drives a
# real `redline serve` with Draftable's official Python client; and the deployment checks.
source "$(dirname "$0")/lib.sh"
cd "$REDLINE_ROOT"
start=$(date +%s)
apt_install "${RUNTIME_PACKAGES[@]}" "${OFFICE_PACKAGES[@]}" "${TEST_PACKAGES[@]}"

log "building redline and its tests (debug)"
swift build --build-tests
build_done=$(date +%s)

log "starting PostgreSQL, Redis and an S3-compatible server on loopback"
services_env="$(mktemp)"
"$REDLINE_ROOT/scripts/services.sh" start > "$services_env"
trap '"$REDLINE_ROOT/scripts/services.sh" stop >/dev/null 2>&1 || true; rm -f "$services_env"' EXIT
# shellcheck disable=SC1090
source "$services_env"

log "swift tests"
swift test --skip-build

log "conformance suite (official Draftable Python client against a live server)"
venv="$REDLINE_ROOT/.venv"
if [ ! -x "$venv/bin/python" ]; then python3 -m venv "$venv"; fi
retry "$venv/bin/pip" install -q -r tests/conformance/requirements.txt
REDLINE_BIN="$REDLINE_ROOT/.build/debug/redline" "$venv/bin/python" -m pytest tests/conformance -q -p no:cacheprovider

log "multi-process stack (PostgreSQL, Redis, S3; 1 API, 2 workers, scheduler, converter) with fault injection"
REDLINE_BIN="$REDLINE_ROOT/.build/debug/redline" "$venv/bin/python" -m pytest tests/stack -q -p no:cacheprovider

if [ -x "$REDLINE_ROOT/scripts/deploy-checks.sh" ]; then
  log "deployment checks (Dockerfile, compose, Helm chart, Terraform, workflows)"
  "$REDLINE_ROOT/scripts/deploy-checks.sh"
fi

log "all tests passed in $(( $(date +%s) - start )) s (build $(( build_done - start )) s)"
