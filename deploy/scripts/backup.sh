#!/usr/bin/env bash
# Backs up Redline's PostgreSQL database: a compressed pg_dump (custom format) written to S3 or to a
# directory. Runs in the `backup` image target (nightly Kubernetes CronJob, ECS scheduled task).
#
# Environment:
#   REDLINE_DATABASE_URL   postgres://user:password@host:5432/db?sslmode=require   (required)
#   REDLINE_BACKUP_TARGET  s3://bucket/prefix  or  /a/directory  or  file:///a/directory  (required)
#   REDLINE_BACKUP_NAME    object name (default redline-<UTC timestamp>.dump)
#   AWS_REGION, AWS_ENDPOINT_URL_S3 and the standard AWS credential chain (IRSA, Pod Identity,
#   ECS task role, static keys) for S3 targets.
# Prints the written location on the last line of stdout. Exits non-zero on any failure.
set -euo pipefail

log() { printf '%s backup: %s\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

: "${REDLINE_DATABASE_URL:?REDLINE_DATABASE_URL must be set (postgres://...)}"
: "${REDLINE_BACKUP_TARGET:?REDLINE_BACKUP_TARGET must be set (s3://bucket/prefix or a directory)}"
case "$REDLINE_DATABASE_URL" in
  postgres://*|postgresql://*) ;;
  *) die "REDLINE_DATABASE_URL must start with postgres:// (the embedded SQLite mode has no server to dump)" ;;
esac

name="${REDLINE_BACKUP_NAME:-redline-$(date -u +%Y%m%dT%H%M%SZ).dump}"
work="$(mktemp -d "${TMPDIR:-/tmp}/redline-backup.XXXXXX")"
trap 'rm -rf "$work"' EXIT
dump="$work/$name"

# pg_dump refuses servers of a newer major version; say so plainly instead of failing half-way.
server_num="$(psql --dbname="$REDLINE_DATABASE_URL" --no-psqlrc -At -c 'SHOW server_version_num')" \
  || die "cannot connect to the database (check REDLINE_DATABASE_URL, security groups, NetworkPolicy egress)"
client_major="$(pg_dump --version | sed -E 's/.* ([0-9]+)(\.[0-9]+)*.*/\1/')"
server_major=$(( server_num / 10000 ))
if [ "$server_major" -gt "$client_major" ]; then
  die "server is PostgreSQL $server_major but this image's pg_dump is $client_major: rebuild the backup image with postgresql-client-$server_major"
fi

log "dumping PostgreSQL $server_major database to $name"
pg_dump --dbname="$REDLINE_DATABASE_URL" --format=custom --compress=6 --no-owner --no-privileges --file="$dump"
# A dump that pg_restore cannot list is not a backup.
pg_restore --list "$dump" >/dev/null || die "the dump just written is unreadable"
size="$(wc -c <"$dump")"

target="${REDLINE_BACKUP_TARGET%/}"
case "$target" in
  s3://*)
    endpoint=()
    [ -n "${AWS_ENDPOINT_URL_S3:-}" ] && endpoint=(--endpoint-url "$AWS_ENDPOINT_URL_S3")
    location="$target/$name"
    aws "${endpoint[@]}" s3 cp --only-show-errors "$dump" "$location"
    # Read it back: the object must exist with the size we wrote.
    remote_size="$(aws "${endpoint[@]}" s3 ls "$location" | awk '{print $3}')"
    [ "$remote_size" = "$size" ] || die "uploaded object $location has size '$remote_size', expected $size"
    ;;
  *)
    dir="${target#file://}"
    mkdir -p "$dir"
    location="$dir/$name"
    cp "$dump" "$location.partial"
    mv "$location.partial" "$location"
    ;;
esac
log "wrote $size bytes to $location"
echo "$location"
