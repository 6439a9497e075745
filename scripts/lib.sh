# Shared helpers for Redline's scripts. Source it; do not run it.
set -euo pipefail

REDLINE_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

log() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }

# Runs a command up to 5 times with a growing pause (package mirrors hiccup).
retry() {
  local attempt=1
  until "$@"; do
    if [ "$attempt" -ge 5 ]; then return 1; fi
    log "retrying ($attempt): $*"
    sleep $((attempt * 5))
    attempt=$((attempt + 1))
  done
}

# Installs the Debian packages that are not installed yet.
apt_install() {
  local missing=()
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
  done
  [ "${#missing[@]}" -eq 0 ] && return 0
  log "installing ${missing[*]}"
  local sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  retry $sudo apt-get -o DPkg::Lock::Timeout=300 update -qq
  DEBIAN_FRONTEND=noninteractive retry $sudo apt-get -o DPkg::Lock::Timeout=300 install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

# What building and running Redline needs: poppler-glib and cairo (C interop), PDF tools, fonts.
RUNTIME_PACKAGES=(pkg-config libpoppler-glib-dev libcairo2-dev poppler-utils qpdf
  fonts-dejavu-core fonts-liberation2 fonts-crosextra-carlito fonts-crosextra-caladea)

# Office conversion: LibreOffice without a GUI, and the Python UNO bridge the warm pool drives it with.
OFFICE_PACKAGES=(libreoffice-writer-nogui libreoffice-impress-nogui python3-uno)

# What the tests use besides: servers started on loopback and the browser for viewer checks.
TEST_PACKAGES=(redis-server chromium chromium-driver)
