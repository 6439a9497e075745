"""Redline as the seed deployments run it: separate roles over PostgreSQL, Redis and S3, driven by
the official Draftable client, with faults injected (killed worker, replicated scheduler, storage
outage). Tests run in file order and share one stack."""

from __future__ import annotations

import re
import time
from datetime import datetime, timedelta, timezone
from urllib.parse import parse_qs, urlparse

import requests
from draftable import make_side
from draftable.endpoints.comparisons.sides import side_from_file

from conftest import wait_ready
from redline_pdf import make_pdf

CONTRACT = [f"{n}. The Supplier shall deliver {n * 7} units of item {n} by day {n + 3} under clause {n}." for n in range(1, 40)]


def claims(log: str, identifier: str):
    """The worker's "job claimed" log lines for a comparison (metadata order is the log handler's)."""
    return [line for line in log.splitlines() if "job claimed" in line and f"identifier={identifier} " in line]


def pdf_file(tmp_path, name, lines_per_page, pages):
    path = tmp_path / name
    path.write_bytes(make_pdf([lines_per_page] * pages))
    return path


def test_official_client_flow_across_roles(stack, client, tmp_path):
    left = pdf_file(tmp_path, "left.pdf", CONTRACT[:30], 3)
    changed = list(CONTRACT[:30])
    changed[4] = changed[4].replace("35 units", "36 units")
    right = pdf_file(tmp_path, "right.pdf", changed, 3)
    rtf_left = tmp_path / "left.rtf"
    rtf_right = tmp_path / "right.rtf"
    rtf_left.write_text(r"{\rtf1\ansi{\fonttbl{\f0 Carlito;}}\f0\fs24 Payment is due within 30 days.\par}")
    rtf_right.write_text(r"{\rtf1\ansi{\fonttbl{\f0 Carlito;}}\f0\fs24 Payment is due within 45 days.\par}")

    pdf_comparison = client.comparisons.create(make_side(str(left)), make_side(str(right)))
    rtf_comparison = client.comparisons.create(make_side(str(rtf_left)), make_side(str(rtf_right)))
    for created in (pdf_comparison, rtf_comparison):
        done = wait_ready(client, created.identifier)
        assert done.failed is False, done.error_message
    details = client.comparisons.change_details(pdf_comparison.identifier)
    kinds = [c.kind for c in details.changes if c.kind != "match"]
    assert kinds == ["replace"] * len(kinds) and len(kinds) == 3  # one amount, once per page
    rtf_changes = [c for c in client.comparisons.change_details(rtf_comparison.identifier).changes if c.kind != "match"]
    assert [(c.leftText, c.rightText) for c in rtf_changes] == [("30", "45")]

    viewer_url = client.comparisons.signed_viewer_url(pdf_comparison.identifier)
    viewer = requests.get(viewer_url, timeout=30)
    assert viewer.status_code == 200 and "viewer-data" in viewer.text
    # Page images: rendered once by the API, then served from S3 by pre-signed URL (allowed by the CSP).
    assert f"img-src 'self' data: {stack.s3.endpoint};" in viewer.headers["Content-Security-Policy"]
    page = urlparse(viewer_url)
    page_url = f"{page.scheme}://{page.netloc}{page.path}/pages/left/0.png?{page.query}"
    rendered = requests.get(page_url, timeout=30, allow_redirects=False)
    assert rendered.status_code == 200 and rendered.content.startswith(b"\x89PNG")
    cached = requests.get(page_url, timeout=30, allow_redirects=False)
    assert cached.status_code == 302 and cached.headers["Location"].startswith(stack.s3.endpoint + "/")
    from_s3 = requests.get(cached.headers["Location"], timeout=30)
    assert from_s3.status_code == 200 and from_s3.content == rendered.content
    assert requests.get(page_url.replace("signature=", "signature=0"), timeout=30, allow_redirects=False).status_code != 302
    export = client.exports.create(pdf_comparison.identifier, kind="right")
    deadline = time.monotonic() + 60
    while not export.ready and time.monotonic() < deadline:
        time.sleep(0.3)
        export = client.exports.get(export.identifier)
    assert export.ready and not export.failed
    # In S3 mode the signed Redline link redirects to a short-lived pre-signed S3 GET: the file
    # comes from object storage, not through the API process.
    link = requests.get(export.url, timeout=30, allow_redirects=False)
    assert link.status_code == 302, link.text
    presigned = urlparse(link.headers["Location"])
    assert f"{presigned.scheme}://{presigned.netloc}" == stack.s3.endpoint
    signed = parse_qs(presigned.query)
    assert "X-Amz-Signature" in signed and 0 < int(signed["X-Amz-Expires"][0]) <= 300
    download = requests.get(link.headers["Location"], timeout=30)
    assert download.status_code == 200 and download.content.startswith(b"%PDF-")
    assert download.headers["Content-Disposition"] == f'attachment; filename="{pdf_comparison.identifier}-right.pdf"'
    tampered = export.url.replace("signature=", "signature=0")
    assert requests.get(tampered, timeout=30, allow_redirects=False).status_code == 403
    # Every role answers its probes and exposes metrics.
    for role in stack.roles.values():
        assert requests.get(f"http://127.0.0.1:{role.port}/healthz", timeout=5).status_code == 200
        assert requests.get(f"http://127.0.0.1:{role.port}/metrics", timeout=5).status_code == 200
    worker_metrics = "".join(requests.get(f"http://127.0.0.1:{stack.roles[n].port}/metrics", timeout=5).text for n in ("worker-1", "worker-2"))
    assert "redline_comparisons_total" in worker_metrics


def test_killed_worker_job_is_finished_by_another(stack, client, tmp_path):
    stack.roles["worker-2"].stop()
    worker = stack.roles["worker-1"]
    big = pdf_file(tmp_path, "big-left.pdf", CONTRACT, 250)
    lines = list(CONTRACT)
    lines[10] = lines[10].replace("77 units", "78 units")
    big_right = pdf_file(tmp_path, "big-right.pdf", lines, 250)
    created = client.comparisons.create(make_side(str(big)), make_side(str(big_right)))
    deadline = time.monotonic() + 30
    while not claims(worker.text(), created.identifier) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert claims(worker.text(), created.identifier), "worker-1 never claimed the job"
    assert not client.comparisons.get(created.identifier).ready, "finished before it could be killed: make the document bigger"
    worker.kill9()

    rescuer = stack.role("worker-3", "worker").start()
    done = wait_ready(client, created.identifier, timeout=180)
    assert done.failed is False, done.error_message
    assert any("attempt=2" in line for line in claims(rescuer.text(), created.identifier))
    changes = [c for c in client.comparisons.change_details(created.identifier).changes if c.kind != "match"]
    assert len(changes) == 250  # one changed amount per page, reported once each: no duplicate results


def test_replicated_schedulers_expire_once(stack, client, tmp_path):
    second = stack.role("scheduler-2", "scheduler").start()
    first = stack.roles["scheduler-1"]
    left = pdf_file(tmp_path, "l.pdf", CONTRACT[:5], 1)
    right = pdf_file(tmp_path, "r.pdf", CONTRACT[1:6], 1)
    # (It may expire before or after it is ready on a busy machine: the scheduler deletes either way,
    # so the test only waits for it to be gone — waiting for `ready` first raced the expiry.)
    expires = datetime.now(timezone.utc) + timedelta(seconds=4)
    created = client.comparisons.create(make_side(str(left)), make_side(str(right)), expires=expires)
    deadline = time.monotonic() + 30
    gone = False
    while time.monotonic() < deadline and not gone:
        time.sleep(0.5)
        gone = requests.get(
            f"http://127.0.0.1:{stack.roles['api'].port}/api/v1/comparisons/{created.identifier}",
            headers={"Authorization": f"Token {client.comparisons.auth_token}"}, timeout=10).status_code == 404
    assert gone, "the expired comparison was not deleted"

    def deletions():
        return [line for log in (first.text(), second.text()) for line in log.splitlines() if "expired comparisons deleted" in line]

    # The row goes before the blobs; the sweep logs once both are gone, so the 404 can come first.
    deadline = time.monotonic() + 15
    while not deletions() and time.monotonic() < deadline:
        time.sleep(0.2)
    leaders = [log for log in (first.text(), second.text()) if "scheduler is the leader" in log]
    assert len(leaders) == 1, "exactly one scheduler must lead"
    assert len(deletions()) == 1 and "count=1 " in deletions()[0], deletions()
    # The leader dies: the other takes over.
    leader = first if "scheduler is the leader" in first.text() else second
    other = second if leader is first else first
    leader.kill9()
    deadline = time.monotonic() + 30
    while "scheduler is the leader" not in other.text() and time.monotonic() < deadline:
        time.sleep(0.3)
    assert "scheduler is the leader" in other.text(), "no scheduler took over after the leader died"


def test_storage_outage_retries_then_fails_with_message(stack, client, tmp_path):
    for name, role in stack.roles.items():
        if name.startswith("worker"):
            role.stop()
    left = pdf_file(tmp_path, "s-l.pdf", CONTRACT[:5], 1)
    right = pdf_file(tmp_path, "s-r.pdf", CONTRACT[2:7], 1)
    created = client.comparisons.create(make_side(str(left)), make_side(str(right)))
    stack.s3.stop()
    worker = stack.role("worker-4", "worker").start(probe="/healthz")  # not ready: its storage is down
    assert requests.get(f"http://127.0.0.1:{worker.port}/readyz", timeout=30).status_code == 503
    # Each attempt spends the S3 client's retries and time-outs before giving up; two attempts, then failed.
    done = wait_ready(client, created.identifier, timeout=300)
    assert done.failed is True
    assert "attempts" in done.error_message and done.error_message.strip()
    assert len(claims(worker.text(), created.identifier)) == 2
