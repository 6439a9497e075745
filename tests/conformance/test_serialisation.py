"""Serialisation rules checked on raw JSON (what the Python/Java/.NET clients parse)."""

import re
import time
from datetime import datetime, timezone

import pytest

import redline_docs as docs

TS = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,6})?Z$")


def parse_ts(s: str) -> datetime:
    fmt = "%Y-%m-%dT%H:%M:%S.%fZ" if "." in s else "%Y-%m-%dT%H:%M:%SZ"
    return datetime.strptime(s, fmt).replace(tzinfo=timezone.utc)


def assert_no_nulls_for_omitted(body: dict):
    for key in ("expiry_time", "ready_time", "error_message"):
        assert key not in body or body[key] is not None, f"{key} is null (must be omitted): {body}"
    for side in ("left", "right"):
        assert isinstance(body[side].get("file_type"), str), body
        for key, value in body[side].items():
            assert value is not None, f"{side}.{key} is null: {body}"


def assert_times(body: dict):
    for key in ("creation_time", "ready_time", "expiry_time"):
        if key in body:
            assert TS.match(body[key]), f"{key}={body[key]!r} is not UTC with Z and <= 6 fractional digits"
            parse_ts(body[key])  # what the Python client does


def upload(api, left=docs.LEFT_TEXT.encode(), right=docs.RIGHT_TEXT.encode(), file_type="txt", data=None):
    files = {
        "left.file": (f"left.{file_type}", left, "application/octet-stream"),
        "right.file": (f"right.{file_type}", right, "application/octet-stream"),
    }
    form = {"left.file_type": file_type, "right.file_type": file_type, **(data or {})}
    return api.post("/comparisons", data=form, files=files)


def test_created_and_pending_serialisation(api_a):
    r = upload(api_a)
    assert r.status_code == 201, r.text
    body = r.json()
    assert_no_nulls_for_omitted(body)
    assert_times(body)
    assert "expiry_time" not in body
    if body["ready"] is False:
        assert body.get("failed") is None, f"failed must be absent or null while not ready: {body}"
        assert "ready_time" not in body and "error_message" not in body
    done = api_a.wait_ready(body["identifier"])
    assert_no_nulls_for_omitted(done)
    assert_times(done)
    assert done["failed"] is False
    assert "error_message" not in done
    assert parse_ts(done["ready_time"]) >= parse_ts(done["creation_time"])
    assert done["creation_time"] == body["creation_time"]


def test_creation_time_is_now(api_a):
    before = datetime.now(timezone.utc).timestamp()
    r = upload(api_a)
    after = datetime.now(timezone.utc).timestamp()
    created = parse_ts(r.json()["creation_time"]).timestamp()
    assert before - 2 <= created <= after + 2


@pytest.mark.parametrize("sent,expected", [
    ("2099-01-01T00:00:00.123456+00:00", "2099-01-01T00:00:00.123456"),
    ("2099-01-01T00:00:00.0000000Z", "2099-01-01T00:00:00"),
    ("2099-01-01T00:00:00Z", "2099-01-01T00:00:00"),
    ("2099-01-01T00:00:00.000Z", "2099-01-01T00:00:00"),
], ids=["python", "dotnet-7-digits", "java", "node"])
def test_expiry_time_formats_round_trip(api_a, sent, expected):
    r = upload(api_a, data={"expiry_time": sent})
    assert r.status_code == 201, r.text
    body = r.json()
    assert_times(body)
    want = datetime.fromisoformat(expected).replace(tzinfo=timezone.utc)
    got = parse_ts(body["expiry_time"])
    assert abs((got - want).total_seconds()) <= 0.001, (sent, body["expiry_time"])


def test_failed_comparison_serialisation(api_a):
    r = upload(api_a, left=docs.truncated_pdf(), right=docs.RIGHT_PDF, file_type="pdf")
    assert r.status_code == 201, r.text
    done = api_a.wait_ready(r.json()["identifier"])
    assert done["failed"] is True
    assert isinstance(done.get("error_message"), str) and done["error_message"].strip()
    assert_no_nulls_for_omitted(done)
    assert_times(done)


# ---- listing -----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def listing(api_c):
    """Account C holds exactly these comparisons, created in this order."""
    created = []
    for _ in range(4):
        r = upload(api_c)
        assert r.status_code == 201, r.text
        created.append(r.json()["identifier"])
        time.sleep(0.05)
    return created


def test_list_without_paging(api_c, listing):
    r = api_c.get("/comparisons")
    assert r.status_code == 200
    body = r.json()
    assert set(body) == {"count", "limit", "offset", "results"}
    assert body["limit"] is None and body["offset"] is None
    assert body["count"] == len(body["results"]) == len(listing)
    ids = [c["identifier"] for c in body["results"]]
    assert ids == list(reversed(listing)), "results must be newest first"
    times = [parse_ts(c["creation_time"]) for c in body["results"]]
    assert times == sorted(times, reverse=True)
    for c in body["results"]:
        assert_no_nulls_for_omitted(c)
        assert_times(c)


def test_list_with_limit_and_offset(api_c, listing):
    newest_first = list(reversed(listing))
    r = api_c.get("/comparisons", params={"limit": 2, "offset": 1})
    assert r.status_code == 200
    body = r.json()
    assert body["count"] == len(listing)
    assert body["limit"] == 2 and body["offset"] == 1
    assert [c["identifier"] for c in body["results"]] == newest_first[1:3]


def test_list_with_limit_only(api_c, listing):
    body = api_c.get("/comparisons", params={"limit": 3}).json()
    assert body["limit"] == 3 and body["offset"] in (None, 0)
    assert body["count"] == len(listing)
    assert [c["identifier"] for c in body["results"]] == list(reversed(listing))[:3]


def test_list_offset_past_end(api_c, listing):
    body = api_c.get("/comparisons", params={"limit": 10, "offset": 100}).json()
    assert body["results"] == [] and body["count"] == len(listing)


@pytest.mark.parametrize("params", [{"limit": "-1"}, {"limit": "abc"}, {"offset": "-5"}, {"offset": "x", "limit": "1"}])
def test_list_bad_paging_is_400(api_c, params):
    r = api_c.get("/comparisons", params=params)
    assert r.status_code == 400, (params, r.status_code, r.text[:200])
    assert r.json()["detail"]
