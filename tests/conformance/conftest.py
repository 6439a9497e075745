"""Fixtures for the Redline conformance suite.

The suite runs against real `redline` processes:
  * `main_server`: default limits, REDLINE_FETCH_ALLOWLIST=127.0.0.1/32 so comparisons can
    fetch from the suite's loopback file server; accounts A, B (isolation) and C (listing).
  * `strict_server`: no fetch allow-list, REDLINE_MAX_FILE_BYTES=2000000; account S.
Every response of either server under /api/v1 that goes through `requests` (the official
Python client included) is checked against the OpenAPI document the server serves at
/api/v1/openapi.json (see redline_contract.py).

Environment: REDLINE_BIN (default /work/main/.build/debug/redline).
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Dict, List, Optional

import pytest
import requests

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import redline_harness as harness  # noqa: E402
from redline_contract import Contract  # noqa: E402
from redline_support import STATE, Api, FileServer, make_client  # noqa: E402

SPEC_FILE = Path(__file__).resolve().parents[2] / "Sources" / "RedlineOpenAPI" / "openapi.json"


def pytest_terminal_summary(terminalreporter):
    if STATE.checked:
        terminalreporter.write_line(f"redline conformance: {STATE.checked} responses checked against the served OpenAPI document")


# --------------------------------------------------------------------------------------
# Servers
# --------------------------------------------------------------------------------------

_SERVERS: List[harness.RedlineServer] = []


def _require_binary():
    if not harness.binary_available():
        msg = f"redline binary not found at {harness.redline_bin()} (set REDLINE_BIN)"
        if "REDLINE_BIN" in os.environ:
            pytest.fail(msg)
        pytest.skip(msg)


def _start_server(tmp_path_factory, name: str, env: Dict[str, Optional[str]], account_names) -> harness.RedlineServer:
    _require_binary()
    if harness._BIN_COPY is None:
        harness.snapshot_binary(tmp_path_factory.mktemp("redline-bin"))
    base = tmp_path_factory.mktemp(f"redline-{name}")
    server = harness.RedlineServer(name=name, data_dir=base / "data", log_path=base / "server.log", env=env)
    server.data_dir.mkdir()
    for acct in account_names:
        server.accounts[acct] = harness.create_account(server.data_dir, f"conformance-{name}-{acct}")
    _SERVERS.append(server)
    server.start()
    STATE.origins.append(server.origin)
    return server


def _stop_server(server: harness.RedlineServer):
    code = server.stop()
    if code != 0:
        pytest.fail(
            f"redline server {server.name} did not shut down gracefully on SIGTERM within "
            f"{harness.SHUTDOWN_TIMEOUT:.0f}s (exit code {code!r})\n--- log ---\n{server.log_tail()}"
        )


def _load_contract(server: harness.RedlineServer) -> Contract:
    """The served document when it is usable, else the checked-in file (test_openapi.py
    reports the served document's problems)."""
    try:
        r = requests.get(server.api + "/openapi.json", timeout=10)
        if r.status_code == 200:
            spec = r.json()
            if isinstance(spec, dict) and "paths" in spec and "components" in spec:
                return Contract(spec)
    except (requests.RequestException, ValueError):
        pass
    return Contract(json.loads(SPEC_FILE.read_text()))


@pytest.fixture(scope="session")
def main_server(tmp_path_factory):
    server = _start_server(
        tmp_path_factory, "main",
        {"REDLINE_FETCH_ALLOWLIST": "127.0.0.1/32", "REDLINE_MAX_FILE_BYTES": None},
        ["A", "B", "C"],
    )
    if STATE.contract is None:
        STATE.contract = _load_contract(server)
    yield server
    _stop_server(server)


@pytest.fixture(scope="session")
def strict_server(tmp_path_factory, main_server):
    server = _start_server(
        tmp_path_factory, "strict",
        {"REDLINE_FETCH_ALLOWLIST": None, "REDLINE_MAX_FILE_BYTES": "2000000"},
        ["S"],
    )
    yield server
    _stop_server(server)


@pytest.fixture(scope="session")
def web_server(tmp_path_factory):
    """A fresh server with no users yet, for the web app's first-run journey (cheap bcrypt: tests only)."""
    server = _start_server(tmp_path_factory, "web", {"REDLINE_BCRYPT_COST": "4", "REDLINE_CONVERTER_POOL_SIZE": "1"}, [])
    yield server
    _stop_server(server)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    rep = outcome.get_result()
    if rep.failed and _SERVERS:
        for server in _SERVERS:
            if server.proc is not None and server.proc.poll() is not None and server.exit_code is None:
                rep.sections.append((f"redline {server.name} server", f"EXITED UNEXPECTEDLY with code {server.proc.returncode} during the run"))
            rep.sections.append((f"redline {server.name} server log (last 60 lines)", server.log_tail(60)))


# --------------------------------------------------------------------------------------
# Accounts, clients, raw API access
# --------------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def account_a(main_server):
    return main_server.accounts["A"]


@pytest.fixture(scope="session")
def account_b(main_server):
    return main_server.accounts["B"]


@pytest.fixture(scope="session")
def account_c(main_server):
    return main_server.accounts["C"]


@pytest.fixture(scope="session")
def client_a(main_server, account_a):
    return make_client(main_server, account_a)


@pytest.fixture(scope="session")
def client_b(main_server, account_b):
    return make_client(main_server, account_b)


@pytest.fixture(scope="session")
def api_a(main_server, account_a):
    return Api(main_server, account_a)


@pytest.fixture(scope="session")
def api_b(main_server, account_b):
    return Api(main_server, account_b)


@pytest.fixture(scope="session")
def api_c(main_server, account_c):
    return Api(main_server, account_c)


@pytest.fixture(scope="session")
def api_s(strict_server):
    return Api(strict_server, strict_server.accounts["S"])


# --------------------------------------------------------------------------------------
# Loopback file servers for source_url
# --------------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def file_server():
    fs = FileServer("127.0.0.1")
    yield fs
    fs.close()


@pytest.fixture(scope="session")
def other_loopback_file_server():
    """On 127.0.0.2: a loopback address outside the main server's allow-list."""
    try:
        fs = FileServer("127.0.0.2")
    except OSError as ex:
        pytest.skip(f"cannot bind 127.0.0.2: {ex}")
    yield fs
    fs.close()

