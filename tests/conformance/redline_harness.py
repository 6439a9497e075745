"""Starts and stops real `redline` processes for the conformance suite."""

from __future__ import annotations

import atexit
import json
import os
import shutil
import signal
import socket
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, List, Optional

import requests

DEFAULT_BIN = "/work/main/.build/debug/redline"
STARTUP_TIMEOUT = float(os.environ.get("REDLINE_STARTUP_TIMEOUT", "60"))
SHUTDOWN_TIMEOUT = 20.0


_BIN_COPY: Optional[str] = None


def redline_bin() -> str:
    return _BIN_COPY or os.environ.get("REDLINE_BIN", DEFAULT_BIN)


def snapshot_binary(dest_dir: Path) -> str:
    """Copy the executable and its SwiftPM resource bundles (`*.resources` beside it) to
    dest_dir and use the copy from now on, so a rebuild during the run cannot change or
    lock the binary under the running servers. REDLINE_NO_BINARY_COPY=1 disables this."""
    global _BIN_COPY
    if os.environ.get("REDLINE_NO_BINARY_COPY") == "1":
        return redline_bin()
    src = Path(shutil.which(redline_bin()) or redline_bin()).resolve()
    dest_dir.mkdir(parents=True, exist_ok=True)
    for bundle in src.parent.glob("*.resources"):
        shutil.copytree(bundle, dest_dir / bundle.name, symlinks=True)
    target = dest_dir / src.name
    shutil.copy2(src, target)
    _BIN_COPY = str(target)
    atexit.register(shutil.rmtree, dest_dir, True)  # ~150 MB; the servers are stopped by then
    return _BIN_COPY


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Account:
    account_id: str
    auth_token: str
    name: str


def _parse_json_line(text: str) -> dict:
    """The JSON object printed by a `--json` command (tolerates log lines around it)."""
    text = text.strip()
    try:
        return json.loads(text)
    except ValueError:
        pass
    for line in reversed(text.splitlines()):
        line = line.strip()
        if line.startswith("{"):
            try:
                return json.loads(line)
            except ValueError:
                continue
    raise ValueError(f"no JSON object in output: {text!r}")


def run_cli(args: List[str], env: Optional[Dict[str, str]] = None, timeout: float = 60) -> subprocess.CompletedProcess:
    return subprocess.run(
        [redline_bin(), *args], capture_output=True, text=True, timeout=timeout,
        env={**os.environ, **(env or {})},
    )


def create_account(data_dir: Path, name: str) -> Account:
    proc = run_cli(["accounts", "create", "--name", name, "--data-dir", str(data_dir), "--json"])
    if proc.returncode != 0:
        raise RuntimeError(
            f"`redline accounts create --name {name}` exited {proc.returncode}\n"
            f"stdout: {proc.stdout}\nstderr: {proc.stderr}"
        )
    data = _parse_json_line(proc.stdout)
    assert set(data) >= {"account_id", "auth_token"}, data
    assert isinstance(data["account_id"], str) and data["account_id"], data
    assert isinstance(data["auth_token"], str) and data["auth_token"], data
    return Account(data["account_id"], data["auth_token"], name)


@dataclass
class RedlineServer:
    name: str
    data_dir: Path
    log_path: Path
    env: Dict[str, str] = field(default_factory=dict)
    port: int = 0
    proc: Optional[subprocess.Popen] = None
    accounts: Dict[str, Account] = field(default_factory=dict)
    exit_code: Optional[int] = None

    @property
    def origin(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def api(self) -> str:
        return f"{self.origin}/api/v1"

    def log_tail(self, lines: int = 80) -> str:
        try:
            text = self.log_path.read_text(errors="replace")
        except OSError:
            return "(no log)"
        return "\n".join(text.splitlines()[-lines:])

    def _environ(self) -> Dict[str, str]:
        env = dict(os.environ)
        for key, value in self.env.items():
            if value is None:
                env.pop(key, None)
            else:
                env[key] = value
        return env

    def start(self) -> None:
        last_error = ""
        for _attempt in range(3):
            self.port = free_port()
            log = open(self.log_path, "ab")
            log.write(f"\n=== starting {self.name} on port {self.port} ===\n".encode())
            log.flush()
            self.proc = subprocess.Popen(
                [redline_bin(), "serve", "--host", "127.0.0.1", "--port", str(self.port), "--data-dir", str(self.data_dir)],
                stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                env=self._environ(),
            )
            log.close()
            deadline = time.monotonic() + STARTUP_TIMEOUT
            while time.monotonic() < deadline:
                if self.proc.poll() is not None:
                    last_error = f"exited with {self.proc.returncode} during startup"
                    break
                try:
                    r = requests.get(self.origin + "/healthz", timeout=2)
                    if r.status_code == 200:
                        return
                    last_error = f"/healthz answered {r.status_code}"
                except requests.RequestException as ex:
                    last_error = f"/healthz: {ex.__class__.__name__}"
                time.sleep(0.2)
            else:
                self.kill()
                raise RuntimeError(
                    f"redline server {self.name} did not become healthy within {STARTUP_TIMEOUT}s ({last_error})\n"
                    f"--- log ---\n{self.log_tail()}"
                )
            # exited early: maybe the port was taken in between; retry on a new port
        raise RuntimeError(f"redline server {self.name} failed to start: {last_error}\n--- log ---\n{self.log_tail()}")

    def healthy(self) -> bool:
        try:
            return requests.get(self.origin + "/healthz", timeout=5).status_code == 200
        except requests.RequestException:
            return False

    def stop(self) -> Optional[int]:
        """SIGTERM and wait up to 20 s; returns the exit code (None if it had to be killed)."""
        if self.proc is None:
            return self.exit_code
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.exit_code = self.proc.wait(timeout=SHUTDOWN_TIMEOUT)
            except subprocess.TimeoutExpired:
                self.kill()
                self.exit_code = None
        else:
            self.exit_code = self.proc.returncode
        return self.exit_code

    def kill(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.kill()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                pass


def binary_available() -> bool:
    path = redline_bin()
    return os.path.isfile(path) and os.access(path, os.X_OK) or shutil.which(path) is not None
