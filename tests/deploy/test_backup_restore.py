"""deploy/scripts/backup.sh and restore.sh against a real PostgreSQL and a real S3 API (moto
server): back up, destroy the data, restore, and check every row is back."""
from __future__ import annotations

import os
import pwd
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import ROOT, tool

BACKUP = ROOT / "deploy" / "scripts" / "backup.sh"
RESTORE = ROOT / "deploy" / "scripts" / "restore.sh"
TEST_USER = "redline-pgtest"


def pg_bin(name: str) -> str:
    import glob
    candidates = [shutil.which(name)] + sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"), reverse=True)
    for candidate in candidates:
        if candidate and Path(candidate).exists():
            return candidate
    pytest.fail(f"PostgreSQL's {name} is missing: scripts/deploy-checks.sh installs Debian's postgresql")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def as_server_user(cmd: list[str], **kw) -> subprocess.CompletedProcess:
    """initdb refuses to run as root: run the server as an unprivileged user made for the test."""
    if os.geteuid() == 0:
        cmd = ["runuser", "-u", TEST_USER, "--", *cmd]
    return subprocess.run(cmd, check=True, capture_output=True, text=True, **kw)


@pytest.fixture(scope="module")
def postgres():
    # Not under pytest's tmp dir: that is private to root, and the server runs as another user.
    import tempfile
    base = Path(tempfile.mkdtemp(prefix="redline-pg-"))
    if os.geteuid() == 0:
        try:
            pwd.getpwnam(TEST_USER)
        except KeyError:
            subprocess.run(["useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin", TEST_USER], check=True)
        shutil.chown(base, TEST_USER)
        base.chmod(0o755)
    data, sock = base / "data", base / "sock"
    as_server_user(["mkdir", "-p", str(sock)])
    as_server_user([pg_bin("initdb"), "-D", str(data), "-U", "redline", "--auth=trust", "-E", "UTF8", "--no-sync"])
    port = free_port()
    as_server_user([pg_bin("pg_ctl"), "-D", str(data), "-l", str(base / "log"), "-w", "-t", "60", "start",
                    "-o", f"-p {port} -k {sock} -c listen_addresses=127.0.0.1 -c fsync=off"])
    url = f"postgres://redline@127.0.0.1:{port}/postgres"
    subprocess.run(["psql", url, "-q", "-c", "CREATE DATABASE redline"], check=True)
    yield f"postgres://redline@127.0.0.1:{port}/redline"
    as_server_user([pg_bin("pg_ctl"), "-D", str(data), "-m", "immediate", "stop"])
    shutil.rmtree(base, ignore_errors=True)


@pytest.fixture(scope="module")
def s3(tmp_path_factory):
    port = free_port()
    log = open(tmp_path_factory.mktemp("moto") / "moto.log", "w")
    proc = subprocess.Popen([tool("moto_server"), "-H", "127.0.0.1", "-p", str(port)], stdout=log, stderr=log)
    endpoint = f"http://127.0.0.1:{port}"
    env = {"AWS_ACCESS_KEY_ID": "test", "AWS_SECRET_ACCESS_KEY": "test", "AWS_REGION": "us-east-1",
           "AWS_DEFAULT_REGION": "us-east-1", "AWS_ENDPOINT_URL_S3": endpoint}
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.1)
        subprocess.run([tool("aws"), "--endpoint-url", endpoint, "s3", "mb", "s3://redline-backups"],
                       check=True, env={**os.environ, **env}, capture_output=True)
        yield env
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def psql(url: str, sql: str) -> str:
    return subprocess.run(["psql", url, "-X", "-At", "-v", "ON_ERROR_STOP=1", "-c", sql],
                          check=True, capture_output=True, text=True).stdout.strip()


def seed(url: str) -> str:
    psql(url, """
        DROP TABLE IF EXISTS comparisons, accounts CASCADE;
        CREATE TABLE accounts (id text PRIMARY KEY, name text NOT NULL);
        CREATE TABLE comparisons (id text PRIMARY KEY, account_id text REFERENCES accounts(id),
                                  payload jsonb, created_at timestamptz DEFAULT now());
        CREATE INDEX comparisons_account ON comparisons(account_id);
        INSERT INTO accounts VALUES ('acc1', 'Team ä ✓'), ('acc2', 'Other');
        INSERT INTO comparisons (id, account_id, payload)
          SELECT 'cmp' || g, CASE WHEN g % 2 = 0 THEN 'acc1' ELSE 'acc2' END, jsonb_build_object('n', g)
          FROM generate_series(1, 500) g;
    """)
    return fingerprint(url)


def fingerprint(url: str) -> str:
    return psql(url, "SELECT (SELECT string_agg(id || name, ',' ORDER BY id) FROM accounts) || '|' || "
                     "(SELECT md5(string_agg(id || account_id || payload::text, ',' ORDER BY id)) FROM comparisons) || '|' || "
                     "(SELECT count(*) FROM pg_indexes WHERE indexname = 'comparisons_account')")


def run(script: Path, env: dict, *args: str, check: bool = True) -> subprocess.CompletedProcess:
    path = f"{Path(sys.prefix) / 'bin'}:{os.environ['PATH']}"
    proc = subprocess.run(["bash", str(script), *args], env={**os.environ, "PATH": path, **env},
                          capture_output=True, text=True, timeout=300)
    if check:
        assert proc.returncode == 0, proc.stderr
    return proc


def test_backup_drop_restore_via_s3(postgres, s3):
    before = seed(postgres)
    env = {**s3, "REDLINE_DATABASE_URL": postgres, "REDLINE_BACKUP_TARGET": "s3://redline-backups/postgres"}
    first = run(BACKUP, {**env, "REDLINE_BACKUP_NAME": "redline-20260101T000000Z.dump"}).stdout.strip()
    newest = run(BACKUP, env).stdout.strip()
    assert first == "s3://redline-backups/postgres/redline-20260101T000000Z.dump"
    assert newest.startswith("s3://redline-backups/postgres/redline-") and newest != first

    psql(postgres, "DROP TABLE comparisons; DELETE FROM accounts WHERE id = 'acc2'; CREATE TABLE junk (x int)")
    assert psql(postgres, "SELECT to_regclass('comparisons') IS NULL") == "t"

    restored = run(RESTORE, env, "--yes").stdout.strip()
    assert restored == newest.rsplit("/", 1)[1], "latest = the newest dump"
    assert fingerprint(postgres) == before


def test_backup_restore_local_directory(postgres, tmp_path):
    before = seed(postgres)
    env = {"REDLINE_DATABASE_URL": postgres, "REDLINE_BACKUP_TARGET": f"file://{tmp_path}"}
    written = Path(run(BACKUP, env).stdout.strip())
    assert written.parent == tmp_path and written.stat().st_size > 0
    psql(postgres, "TRUNCATE comparisons")
    run(RESTORE, env, "--yes", written.name)
    assert fingerprint(postgres) == before


def test_restore_needs_confirmation(postgres, tmp_path):
    proc = run(RESTORE, {"REDLINE_DATABASE_URL": postgres, "REDLINE_BACKUP_TARGET": str(tmp_path)}, check=False)
    assert proc.returncode != 0 and "--yes" in proc.stderr


def test_backup_refuses_embedded_mode(tmp_path):
    proc = run(BACKUP, {"REDLINE_DATABASE_URL": "", "REDLINE_BACKUP_TARGET": str(tmp_path)}, check=False)
    assert proc.returncode != 0 and "REDLINE_DATABASE_URL" in proc.stderr


def test_backup_fails_loudly_when_the_database_is_unreachable(tmp_path):
    env = {"REDLINE_DATABASE_URL": f"postgres://x@127.0.0.1:{free_port()}/x?connect_timeout=2",
           "REDLINE_BACKUP_TARGET": str(tmp_path)}
    proc = run(BACKUP, env, check=False)
    assert proc.returncode != 0 and "cannot connect" in proc.stderr
    assert not list(tmp_path.iterdir()), "no partial dump left behind"
