"""Shared helpers of the Redline conformance suite (imported by conftest.py and the tests)."""

from __future__ import annotations

import contextlib
import os
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Dict, List, Optional, Tuple

import requests
from draftable import Client

import redline_harness as harness
from redline_contract import Contract

READY_TIMEOUT = float(os.environ.get("REDLINE_READY_TIMEOUT", "60"))

# --------------------------------------------------------------------------------------
# Contract checking of every response (patched into requests' HTTPAdapter)
# --------------------------------------------------------------------------------------


class _ContractState:
    contract: Optional[Contract] = None
    origins: List[str] = []
    checked = 0
    disabled = 0
    lock = threading.Lock()


STATE = _ContractState()
_orig_send = requests.adapters.HTTPAdapter.send


def _checked_send(self, request, *args, **kwargs):
    response = _orig_send(self, request, *args, **kwargs)
    contract = STATE.contract
    if contract is not None and STATE.disabled == 0 and any(request.url.startswith(o + "/") for o in STATE.origins):
        contract.check(request.method, request.url, response.status_code, response.headers, response.content)
        with STATE.lock:
            STATE.checked += 1
    return response


requests.adapters.HTTPAdapter.send = _checked_send


@contextlib.contextmanager
def contract_unchecked():
    """For requests whose responses are checked by hand (e.g. to report a clearer error)."""
    with STATE.lock:
        STATE.disabled += 1
    try:
        yield
    finally:
        with STATE.lock:
            STATE.disabled -= 1


def make_client(server: harness.RedlineServer, account: harness.Account) -> Client:
    return Client(account.account_id, account.auth_token, base_url=server.api)


class Api:
    """Raw HTTP access with `Authorization: Token ...` (responses still contract-checked)."""

    def __init__(self, server: harness.RedlineServer, account: Optional[harness.Account]):
        self.server = server
        self.account = account
        self.base = server.api

    def headers(self, extra=None):
        h = {"Accept": "application/json"}
        if self.account is not None:
            h["Authorization"] = f"Token {self.account.auth_token}"
        h.update(extra or {})
        return h

    def url(self, path: str) -> str:
        return self.base + path

    def get(self, path, **kw):
        kw["headers"] = self.headers(kw.get("headers"))
        return requests.get(self.url(path), timeout=30, **kw)

    def post(self, path, **kw):
        kw["headers"] = self.headers(kw.get("headers"))
        return requests.post(self.url(path), timeout=60, **kw)

    def delete(self, path, **kw):
        kw["headers"] = self.headers(kw.get("headers"))
        return requests.delete(self.url(path), timeout=30, **kw)

    def wait_ready(self, identifier: str, timeout: float = READY_TIMEOUT) -> dict:
        deadline = time.monotonic() + timeout
        while True:
            r = self.get(f"/comparisons/{identifier}")
            assert r.status_code == 200, (r.status_code, r.text)
            body = r.json()
            if body.get("ready") is True:
                return body
            if time.monotonic() > deadline:
                raise AssertionError(f"comparison {identifier} not ready after {timeout}s: {body}")
            time.sleep(0.25)

def wait_ready(client: Client, identifier: str, timeout: float = READY_TIMEOUT):
    """Poll with the official client, as its users do."""
    deadline = time.monotonic() + timeout
    while True:
        comparison = client.comparisons.get(identifier)
        if comparison.ready:
            return comparison
        if time.monotonic() > deadline:
            raise AssertionError(f"comparison {identifier} not ready after {timeout}s: {comparison!r}")
        time.sleep(0.25)

def new_id(prefix: str = "conf") -> str:
    return f"{prefix}-{uuid.uuid4().hex[:16]}"

def detail_of(response) -> str:
    """The `detail` message of a JSON error response (asserting there is one)."""
    assert response.headers.get("Content-Type", "").split(";")[0].strip() == "application/json", (
        response.status_code, response.headers.get("Content-Type"), response.text[:300])
    body = response.json()
    assert isinstance(body, dict) and isinstance(body.get("detail"), str) and body["detail"].strip(), body
    return body["detail"]



class FileServer:
    """A loopback HTTP server serving registered bytes and recording every request path."""

    def __init__(self, host: str = "127.0.0.1"):
        self.files: Dict[str, Tuple[int, Dict[str, str], bytes]] = {}
        self.hits: List[str] = []
        self.lock = threading.Lock()
        outer = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self):  # noqa: N802
                path = self.path.split("?", 1)[0]
                with outer.lock:
                    outer.hits.append(path)
                    entry = outer.files.get(path)
                if entry is None:
                    status, headers, body = 404, {"Content-Type": "text/plain"}, b"not found"
                else:
                    status, headers, body = entry
                self.send_response(status)
                for k, v in headers.items():
                    self.send_header(k, v)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            do_HEAD = do_GET  # noqa: N815

            def log_message(self, *args):
                pass

        self.httpd = ThreadingHTTPServer((host, 0), Handler)
        self.httpd.daemon_threads = True
        self.host = host
        self.port = self.httpd.server_address[1]
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def url(self, path: str) -> str:
        return f"http://{self.host}:{self.port}{path}"

    def add(self, path: str, body: bytes, content_type: str = "application/octet-stream") -> str:
        with self.lock:
            self.files[path] = (200, {"Content-Type": content_type}, body)
        return self.url(path)

    def add_redirect(self, path: str, location: str) -> str:
        with self.lock:
            self.files[path] = (302, {"Location": location}, b"")
        return self.url(path)

    def hits_for(self, path: str) -> int:
        with self.lock:
            return sum(1 for h in self.hits if h == path)

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


# --------------------------------------------------------------------------------------
# Change-details helpers
# --------------------------------------------------------------------------------------


def norm(text) -> str:
    """Collapse whitespace (engines may join lines with spaces or newlines)."""
    return " ".join((text or "").split())


def segment_texts(change: dict) -> str:
    return " | ".join(norm(change.get(k)) for k in ("text", "leftText", "rightText") if change.get(k))


def describe_changes(changes) -> str:
    return "\n".join(f"  {c.get('kind')}: left={norm(c.get('leftText'))!r} right={norm(c.get('rightText'))!r} text={norm(c.get('text'))!r}" for c in changes)


def file_side_path(tmp_dir, name: str, data: bytes):
    path = tmp_dir / name
    path.write_bytes(data)
    return path
