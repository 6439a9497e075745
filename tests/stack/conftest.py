"""The production topology on one machine: PostgreSQL, Redis, an S3-compatible server and Redline
as separate processes (1 API, 2 workers, 1 scheduler, 1 converter), for the integration and fault
tests. PostgreSQL and Redis come from scripts/services.sh (REDLINE_TEST_* variables); each test
session gets its own database and its own S3 server so faults stay contained."""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Dict, List, Optional

import pytest
import requests

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tests" / "conformance"))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_http(url: str, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if requests.get(url, timeout=2).status_code == 200:
                return
        except requests.RequestException:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"{url} did not answer 200 within {timeout}s")


class S3Server:
    """A moto S3 server of our own, so a test can stop and restart it."""

    def __init__(self, workdir: Path) -> None:
        self.port = free_port()
        self.log = workdir / "moto.log"
        self.proc: Optional[subprocess.Popen] = None
        moto = ROOT / ".venv-services" / "bin" / "moto_server"
        self.command = [str(moto), "-H", "127.0.0.1", "-p", str(self.port)]

    @property
    def endpoint(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        self.proc = subprocess.Popen(self.command, stdout=open(self.log, "ab"), stderr=subprocess.STDOUT)
        wait_http(self.endpoint + "/moto-api/", 60)

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait(10)

    def create_bucket(self, name: str) -> None:
        requests.put(f"{self.endpoint}/{name}", timeout=10).raise_for_status()


class Role:
    def __init__(self, name: str, args: List[str], env: Dict[str, str], workdir: Path, port: int) -> None:
        self.name, self.args, self.env, self.port = name, args, env, port
        self.log = workdir / f"{name}.log"
        self.proc: Optional[subprocess.Popen] = None

    def start(self, probe: str = "/readyz") -> "Role":
        self.proc = subprocess.Popen(
            [os.environ.get("REDLINE_BIN", str(ROOT / ".build" / "debug" / "redline")), *self.args],
            env=self.env, stdout=open(self.log, "ab"), stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
        wait_http(f"http://127.0.0.1:{self.port}{probe}")
        return self

    def kill9(self) -> None:
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(10)

    def stop(self) -> Optional[int]:
        if self.proc is None or self.proc.poll() is not None:
            return None if self.proc is None else self.proc.returncode
        self.proc.send_signal(signal.SIGTERM)
        try:
            return self.proc.wait(30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            return None

    def text(self) -> str:
        return self.log.read_text(errors="replace") if self.log.exists() else ""


class PostgresServer:
    """A PostgreSQL server of our own (initdb + pg_ctl in a temp dir), so a test can stop and restart
    it without disturbing the shared one from scripts/services.sh."""

    def __init__(self) -> None:
        self.bin = Path(os.path.realpath(shutil.which("pg_ctl") or "/usr/lib/postgresql/15/bin/pg_ctl")).parent
        # initdb refuses to run as root: use the account scripts/services.sh runs PostgreSQL as.
        self.user = None
        if os.getuid() == 0:
            import pwd
            for name in ("postgres", "redline-pg"):
                try:
                    pwd.getpwnam(name)
                    self.user = name
                    break
                except KeyError:
                    continue
            if self.user is None:
                pytest.skip("running as root without a postgres account: run scripts/services.sh start first")
        self.dir = Path(tempfile.mkdtemp(prefix="redline-pg-restart-"))
        os.chmod(self.dir, 0o755)
        if self.user:
            shutil.chown(self.dir, self.user)
        self.port = free_port()
        self._run("initdb", "-D", str(self.dir / "data"), "-U", "redline", "--auth=trust", "-E", "UTF8", "--no-locale", "--no-sync")

    def _run(self, tool: str, *args: str) -> None:
        command = [str(self.bin / tool), *args]
        if self.user:
            command = ["runuser", "-u", self.user, "--", *command]
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    @property
    def url(self) -> str:
        return f"postgres://redline@127.0.0.1:{self.port}/postgres"

    def start(self) -> None:
        options = f"-c listen_addresses=127.0.0.1 -p {self.port} -k {self.dir} -c max_connections=200 -c fsync=off"
        self._run("pg_ctl", "-D", str(self.dir / "data"), "-l", str(self.dir / "postgres.log"), "-w", "-t", "60", "-o", options, "start")

    def stop(self, mode: str = "fast") -> None:
        self._run("pg_ctl", "-D", str(self.dir / "data"), "-m", mode, "-w", "stop")

    def close(self) -> None:
        try:
            self.stop("immediate")
        except subprocess.CalledProcessError:
            pass
        shutil.rmtree(self.dir, ignore_errors=True)


class Stack:
    def __init__(self, extra_env: Optional[Dict[str, str]] = None, postgres_url: Optional[str] = None) -> None:
        for var in ("REDLINE_TEST_POSTGRES_URL", "REDLINE_TEST_REDIS_URL"):
            if not os.environ.get(var):
                pytest.skip(f"{var} is not set: run scripts/services.sh start first (scripts/test.sh does)")
        self.workdir = Path(tempfile.mkdtemp(prefix="redline-stack-"))
        admin = postgres_url or os.environ["REDLINE_TEST_POSTGRES_URL"]
        self.admin = admin
        self.database = "redline_stack_" + uuid.uuid4().hex[:10]
        subprocess.run(["psql", admin, "-q", "-c", f"CREATE DATABASE {self.database}"], check=True)
        self.s3 = S3Server(self.workdir)
        self.s3.start()
        self.s3.create_bucket("redline")
        self.converter_port = free_port()
        self.env = {
            **os.environ,
            "REDLINE_DATABASE_URL": admin.rsplit("/", 1)[0] + "/" + self.database,
            "REDLINE_SECRET_KEY": "stack-secret-" + "x" * 32,
            "REDLINE_STORAGE_URL": "s3://redline/documents",
            "AWS_ENDPOINT_URL_S3": self.s3.endpoint,
            "AWS_ACCESS_KEY_ID": "test", "AWS_SECRET_ACCESS_KEY": "test", "AWS_REGION": "us-east-1",
            "REDLINE_REDIS_URL": os.environ["REDLINE_TEST_REDIS_URL"],
            "REDLINE_CONVERTER_URL": f"http://127.0.0.1:{self.converter_port}",
            "REDLINE_JOB_LEASE_SECONDS": "6",
            "REDLINE_SCHEDULER_INTERVAL_SECONDS": "1",
            "REDLINE_WORKER_CONCURRENCY": "1",
            "REDLINE_JOB_MAX_ATTEMPTS": "2",
            # moto on loopback is reachable from the tests: hand out pre-signed URLs as with Amazon S3.
            "REDLINE_STORAGE_DIRECT_URLS": "on",
            **(extra_env or {}),
        }
        migrate = subprocess.run([self.bin, "migrate"], env=self.env, capture_output=True, text=True)
        assert migrate.returncode == 0, migrate.stderr
        self.roles: Dict[str, Role] = {}

    @property
    def bin(self) -> str:
        return os.environ.get("REDLINE_BIN", str(ROOT / ".build" / "debug" / "redline"))

    def role(self, name: str, *args: str, port: Optional[int] = None) -> Role:
        port = port or free_port()
        extra = ["--port", str(port)]
        role = Role(name, [*args, *extra], self.env, self.workdir, port)
        self.roles[name] = role
        return role

    def account(self) -> Dict[str, str]:
        out = subprocess.run([self.bin, "accounts", "create", "--name", "stack", "--json"], env=self.env, capture_output=True, text=True)
        assert out.returncode == 0, out.stderr
        return json.loads(out.stdout.strip().splitlines()[-1])

    def close(self) -> Dict[str, Optional[int]]:
        codes = {name: role.stop() for name, role in self.roles.items()}
        self.s3.stop()
        subprocess.run(["psql", self.admin, "-q", "-c", f"DROP DATABASE IF EXISTS {self.database} WITH (FORCE)"])
        shutil.rmtree(self.workdir, ignore_errors=True)
        return codes


@pytest.fixture(scope="module")
def stack():
    s = Stack()
    s.role("converter", "converter", port=s.converter_port).start()
    s.role("api", "serve", "--api-only").start()
    s.role("worker-1", "worker").start()
    s.role("worker-2", "worker").start()
    s.role("scheduler-1", "scheduler").start()
    yield s
    codes = s.close()
    bad = {name: code for name, code in codes.items() if code not in (0, None, -9)}
    assert not bad, f"roles did not shut down cleanly on SIGTERM: {bad}"


@pytest.fixture(scope="module")
def client(stack):
    from draftable import Client

    account = stack.account()
    return Client(account["account_id"], account["auth_token"], f"http://127.0.0.1:{stack.roles['api'].port}/api/v1")


def wait_ready(client, identifier: str, timeout: float = 120):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        comparison = client.comparisons.get(identifier)
        if comparison.ready:
            return comparison
        time.sleep(0.25)
    raise AssertionError(f"comparison {identifier} not ready within {timeout}s")
