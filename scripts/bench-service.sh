#!/usr/bin/env bash
# Service benchmark: create -> ready through the API (PDF and DOCX pairs), Redline vs LibreOffice's
# own Compare Document on a ~300-page DOCX pair, a ~2,000-page DOCX against the page limit, the
# converter pool's memory and throughput, and a wrk load test of GET and create. Starts its own
# `redline serve` / `redline converter` on free loopback ports with temporary data dirs, stops them,
# and prints Markdown tables (~9 minutes).
#
# Usage: scripts/bench-service.sh [--quick]        (--quick: fewer runs, 5 s wrk runs; to try it)
# Environment:
#   REDLINE_BIN      binary to measure (default: .build-release/release/redline, else
#                    .build/release/redline, else built with `scripts/setup.sh release`)
#   BENCH_VENV       Python venv to use/create (default ~/.cache/redline-bench-service-venv)
#   BENCH_JSON       also write the raw numbers there as JSON
#   BENCH_BUSY_NOTE  a sentence about what else the machine was doing, put in the output
#   BENCH_DOC        replace the "## Service" section of this Markdown file (e.g. docs/benchmarks.md)
#   BENCH_KEEP=1     keep the work dir (server logs, raw wrk output, generated documents)
source "$(dirname "$0")/lib.sh"
cd "$REDLINE_ROOT"

apt_install "${RUNTIME_PACKAGES[@]}" "${OFFICE_PACKAGES[@]}" wrk

if [ -z "${REDLINE_BIN:-}" ]; then
  for candidate in .build-release/release/redline .build/release/redline; do
    if [ -x "$candidate" ]; then REDLINE_BIN="$REDLINE_ROOT/$candidate"; break; fi
  done
fi
if [ -z "${REDLINE_BIN:-}" ]; then
  log "no release build found: building one"
  "$REDLINE_ROOT/scripts/setup.sh" release
  REDLINE_BIN="$REDLINE_ROOT/.build/release/redline"
fi

venv="${BENCH_VENV:-${XDG_CACHE_HOME:-$HOME/.cache}/redline-bench-service-venv}"
if [ ! -x "$venv/bin/python" ]; then
  log "creating the benchmark venv in $venv"
  python3 -m venv "$venv" 2>/dev/null || { apt_install python3-venv; rm -rf "$venv"; /usr/bin/python3 -m venv "$venv"; }
fi
retry "$venv/bin/pip" install -q --disable-pip-version-check -r tests/benchmark/service/requirements.txt

work="$(mktemp -d "${TMPDIR:-/tmp}/redline-bench-service.XXXXXX")"
cleanup() {
  if [ "${BENCH_KEEP:-0}" = 1 ]; then rm -rf "$work/bin"; log "kept $work"; else rm -rf "$work"; log "removed $work (BENCH_KEEP=1 keeps it)"; fi
}
trap cleanup EXIT

args=(--bin "$REDLINE_BIN" --work "$work" --busy-note "${BENCH_BUSY_NOTE:-}")
[ -n "${BENCH_JSON:-}" ] && args+=(--json "$BENCH_JSON")
[ -n "${BENCH_DOC:-}" ] && args+=(--doc "$BENCH_DOC")
log "measuring $REDLINE_BIN (work dir $work)"
"$venv/bin/python" tests/benchmark/service/bench.py "${args[@]}" "$@"
