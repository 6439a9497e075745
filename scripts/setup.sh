#!/usr/bin/env bash
# Installs what Redline needs on a fresh Debian machine and builds it.
# Usage: scripts/setup.sh [debug|release]
source "$(dirname "$0")/lib.sh"
configuration="${1:-debug}"
apt_install "${RUNTIME_PACKAGES[@]}" "${OFFICE_PACKAGES[@]}"
cd "$REDLINE_ROOT"
log "building redline ($configuration)"
swift build -c "$configuration" --product redline
