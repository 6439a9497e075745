#!/usr/bin/env bash
# Restores a dump written by backup.sh into Redline's PostgreSQL database.
#
#   restore.sh --yes [NAME|latest]
#
# NAME is an object name under REDLINE_BACKUP_TARGET (default: latest, the newest redline-*.dump).
# Objects Redline owns are dropped and recreated (pg_restore --clean --if-exists) in one transaction:
# on any error nothing changes. Stop the api/worker/scheduler first (see docs/operations.md).
# Environment: as backup.sh (REDLINE_DATABASE_URL, REDLINE_BACKUP_TARGET, AWS_*).
set -euo pipefail

log() { printf '%s restore: %s\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

confirmed=no
name=latest
for arg in "$@"; do
  case "$arg" in
    --yes) confirmed=yes ;;
    -h|--help) sed -n '2,10p' "$0"; exit 0 ;;
    -*) die "unknown option $arg" ;;
    *) name="$arg" ;;
  esac
done
[ "$confirmed" = yes ] || die "restoring replaces the database's contents: pass --yes to confirm"
: "${REDLINE_DATABASE_URL:?REDLINE_DATABASE_URL must be set (postgres://...)}"
: "${REDLINE_BACKUP_TARGET:?REDLINE_BACKUP_TARGET must be set (s3://bucket/prefix or a directory)}"

work="$(mktemp -d "${TMPDIR:-/tmp}/redline-restore.XXXXXX")"
trap 'rm -rf "$work"' EXIT
target="${REDLINE_BACKUP_TARGET%/}"

case "$target" in
  s3://*)
    endpoint=()
    [ -n "${AWS_ENDPOINT_URL_S3:-}" ] && endpoint=(--endpoint-url "$AWS_ENDPOINT_URL_S3")
    if [ "$name" = latest ]; then
      # Names carry a sortable UTC timestamp, so the lexically greatest is the newest.
      name="$(aws "${endpoint[@]}" s3 ls "$target/" | awk '{print $4}' | grep -E '^redline-.*\.dump$' | sort | tail -n 1 || true)"
      [ -n "$name" ] || die "no redline-*.dump under $target/"
    fi
    log "downloading $target/$name"
    aws "${endpoint[@]}" s3 cp --only-show-errors "$target/$name" "$work/restore.dump"
    ;;
  *)
    dir="${target#file://}"
    if [ "$name" = latest ]; then
      name="$(find "$dir" -maxdepth 1 -type f -name 'redline-*.dump' -printf '%f\n' | sort | tail -n 1)"
      [ -n "$name" ] || die "no redline-*.dump in $dir"
    fi
    cp "$dir/$name" "$work/restore.dump"
    ;;
esac

pg_restore --list "$work/restore.dump" >/dev/null || die "$name is not a readable pg_dump archive"
log "restoring $name"
pg_restore --dbname="$REDLINE_DATABASE_URL" --clean --if-exists --no-owner --no-privileges \
  --single-transaction --exit-on-error "$work/restore.dump"
log "restored $name; run 'redline migrate' if the dump is older than the running release"
echo "$name"
