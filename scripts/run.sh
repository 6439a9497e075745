#!/usr/bin/env bash
# Sets everything up and runs Redline on its embedded default (SQLite + local disk, all roles in one process).
source "$(dirname "$0")/lib.sh"
"$REDLINE_ROOT/scripts/setup.sh" release
bin="$REDLINE_ROOT/.build/release/redline"
data="${REDLINE_DATA_DIR:-$REDLINE_ROOT/redline-data}"
"$bin" migrate --data-dir "$data" >/dev/null
cat >&2 <<MSG

Redline is starting on http://${REDLINE_HOST:-127.0.0.1}:${REDLINE_PORT:-8080} (data in $data).
Open it in a browser: the first visit creates the first administrator.
For API access, the administration page shows the account id and issues its token, or in another terminal:

    $bin accounts create --name "My team" --data-dir "$data"

API docs: http://${REDLINE_HOST:-127.0.0.1}:${REDLINE_PORT:-8080}/docs
MSG
exec "$bin" serve --data-dir "$data"
