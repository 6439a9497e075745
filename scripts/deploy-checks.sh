#!/usr/bin/env bash
# Checks every deployment file offline: Helm chart (lint, render, kubernetes-validate, pitfall
# tests), checkov, hadolint, actionlint + shellcheck, yamllint, compose structure, Terraform
# (init with a local provider directory, validate, test with a mock provider) and a real
# backup/restore round trip. Works on a fresh Debian 12 machine as root (CI starts from a clone).
#
#   scripts/deploy-checks.sh [pytest arguments]     e.g. -k chart, -x
#
# Exits non-zero on any failure; the last line is pytest's summary.
# shellcheck source=scripts/lib.sh
source "$(dirname "$0")/lib.sh"
cd "$REDLINE_ROOT" || exit 1
start=$(date +%s)

# Debian packages: shellcheck (actionlint uses it too) and a PostgreSQL server + client for the
# backup/restore test (Debian 12's default is 15, the major version the backup image uses).
debian=(shellcheck)
if ! command -v pg_dump >/dev/null || ! command -v pg_restore >/dev/null || ! command -v psql >/dev/null; then
  debian+=(postgresql-client)
fi
if ! command -v initdb >/dev/null && ! compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null; then
  debian+=(postgresql)
fi
apt_install "${debian[@]}"

# Python tools, pinned, binary wheels only (each ships its binary: no download at run time).
venv="$REDLINE_ROOT/.venv-deploy"
requirements="tests/deploy/requirements.txt"
stamp="$venv/.requirements.sha256"
want="$(sha256sum "$requirements" | cut -d' ' -f1)"
if [ ! -x "$venv/bin/python" ] || [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
  log "installing deployment check tools into .venv-deploy (first run: about a minute)"
  t0=$(date +%s)
  python3 -m venv "$venv"
  retry "$venv/bin/pip" install -q --disable-pip-version-check --only-binary=:all: -r "$requirements"
  echo "$want" >"$stamp"
  log "tools installed in $(( $(date +%s) - t0 )) s"
fi

log "pytest tests/deploy"
export PATH="$venv/bin:$PATH"
export CHECKOV_RUN_SCA_PACKAGE_SCAN_V2=false BC_SKIP_MAPPING=TRUE
status=0
"$venv/bin/python" -m pytest tests/deploy -p no:cacheprovider -q -rs --durations=8 "$@" || status=$?
log "deployment checks finished in $(( $(date +%s) - start )) s (exit $status)"
exit "$status"
