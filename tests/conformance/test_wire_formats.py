"""Create requests byte-for-byte as each official client sends them (see redline_wire.py)."""

from datetime import datetime, timezone

import pytest
import requests

import redline_docs as docs
import redline_wire as wire
from redline_support import new_id

EXPIRY = datetime(2099, 1, 1, tzinfo=timezone.utc)


def _post_raw(api, body: bytes, content_type: str, accept="application/json"):
    return requests.post(api.url("/comparisons"), data=body, timeout=60, headers={
        "Authorization": f"Token {api.account.auth_token}", "Content-Type": content_type, "Accept": accept})


def _expiry(body):
    s = body["expiry_time"]
    fmt = "%Y-%m-%dT%H:%M:%S.%fZ" if "." in s else "%Y-%m-%dT%H:%M:%SZ"
    return datetime.strptime(s, fmt).replace(tzinfo=timezone.utc)


def _check_done(api, created, expect_public, expect_expiry):
    assert created["public"] is expect_public, created
    if expect_expiry is None:
        assert "expiry_time" not in created
    else:
        assert abs((_expiry(created) - expect_expiry).total_seconds()) <= 0.001, created
    done = api.wait_ready(created["identifier"])
    assert done["failed"] is False, done.get("error_message")
    return done


def test_dotnet_urlencoded_url_sides(api_a, file_server):
    tag = new_id("dotnet-form")
    left = file_server.add(f"/{tag}/left.pdf", docs.LEFT_PDF)
    right = file_server.add(f"/{tag}/right.pdf", docs.RIGHT_PDF)
    body, ctype = wire.dotnet_form([
        ("public", "true"),
        ("expiry_time", "2099-01-01T00:00:00.0000000Z"),
        ("left.source_url", left), ("left.file_type", "pdf"), ("left.display_name", "Left (old).pdf"),
        ("right.source_url", right), ("right.file_type", "pdf"),
    ])
    r = _post_raw(api_a, body, ctype)
    assert r.status_code == 201, r.text
    created = r.json()
    assert created["left"] == {"file_type": "pdf", "source_url": left, "display_name": "Left (old).pdf"}
    assert created["right"]["source_url"] == right and created["right"]["file_type"] == "pdf"
    _check_done(api_a, created, True, EXPIRY)


def test_dotnet_urlencoded_with_identifier_and_private(api_a, file_server):
    tag = new_id("dotnet-form2")
    url = file_server.add(f"/{tag}/doc.txt", docs.LEFT_TEXT.encode())
    body, ctype = wire.dotnet_form([
        ("identifier", tag),
        ("left.source_url", url), ("left.file_type", "txt"),
        ("right.source_url", url), ("right.file_type", "txt"),
    ])
    r = _post_raw(api_a, body, ctype)
    assert r.status_code == 201, r.text
    assert r.json()["identifier"] == tag
    _check_done(api_a, r.json(), False, None)


def test_dotnet_multipart_files(api_a):
    tag = new_id("dotnet-mp")
    body, ctype = wire.dotnet_multipart(
        [("identifier", tag), ("public", "true"), ("expiry_time", "2099-01-01T00:00:00.0000000Z"),
         ("left.file_type", "pdf"), ("left.display_name", "Left.pdf"), ("right.file_type", "pdf")],
        [("left.file", docs.LEFT_PDF), ("right.file", docs.RIGHT_PDF)],
    )
    r = _post_raw(api_a, body, ctype)
    assert r.status_code == 201, r.text
    created = r.json()
    assert created["identifier"] == tag
    assert created["left"]["display_name"] == "Left.pdf"
    _check_done(api_a, created, True, EXPIRY)
    changes = api_a.get(f"/comparisons/{tag}/change-details").json()["changes"]
    assert any(c["kind"] == "delete" for c in changes), "uploaded bytes were not the documents"


def test_java_multipart_files(api_a):
    body, ctype = wire.java_multipart(
        [("public", "true"), ("expiry_time", "2099-01-01T00:00:00Z"),
         ("left.file_type", "txt"), ("left.display_name", "left.txt"), ("right.file_type", "txt")],
        [("left.file", docs.LEFT_TEXT.encode()), ("right.file", docs.RIGHT_TEXT.encode())],
    )
    r = _post_raw(api_a, body, ctype)
    assert r.status_code == 201, r.text
    _check_done(api_a, r.json(), True, EXPIRY)


def test_java_multipart_url_sides(api_a, file_server):
    tag = new_id("java-url")
    url_l = file_server.add(f"/{tag}/l.txt", docs.LEFT_TEXT.encode())
    url_r = file_server.add(f"/{tag}/r.txt", docs.RIGHT_TEXT.encode())
    body, ctype = wire.java_multipart(
        [("identifier", tag), ("left.source_url", url_l), ("left.file_type", "txt"),
         ("right.source_url", url_r), ("right.file_type", "txt")], [])
    r = _post_raw(api_a, body, ctype)
    assert r.status_code == 201, r.text
    created = r.json()
    assert created["left"]["source_url"] == url_l
    _check_done(api_a, created, False, None)


@pytest.mark.parametrize("public_value,expected", [("True", True), ("False", False), ("true", True), ("false", False)])
def test_python_multipart_booleans(api_a, public_value, expected):
    files = {
        "left.file": ("left.txt", docs.LEFT_TEXT.encode(), "application/octet-stream"),
        "right.file": ("right.txt", docs.RIGHT_TEXT.encode(), "application/octet-stream"),
    }
    data = {"public": public_value, "left.file_type": "txt", "right.file_type": "txt",
            "expiry_time": "2099-01-01T00:00:00.123456+00:00"}
    r = requests.post(api_a.url("/comparisons"), data=data, files=files, timeout=60,
                      headers={"Authorization": f"Token {api_a.account.auth_token}", "Accept": "application/json"})
    assert r.status_code == 201, r.text
    created = r.json()
    assert created["public"] is expected
    assert created["expiry_time"].startswith("2099-01-01T00:00:00.123") and created["expiry_time"].endswith("Z")


def test_node_multipart_expiry_millis(api_a):
    files = {"left.file": ("left.txt", docs.LEFT_TEXT.encode()), "right.file": ("right.txt", docs.RIGHT_TEXT.encode())}
    data = {"public": "false", "left.file_type": "txt", "right.file_type": "txt", "expiry_time": "2099-01-01T00:00:00.000Z"}
    r = requests.post(api_a.url("/comparisons"), data=data, files=files, timeout=60,
                      headers={"Authorization": f"Token {api_a.account.auth_token}"})
    assert r.status_code == 201, r.text
    _check_done(api_a, r.json(), False, EXPIRY)


def test_json_nested_with_nulls(api_a, file_server):
    tag = new_id("json")
    body = {
        "identifier": None,
        "left": {"file_type": "txt", "source_url": file_server.add(f"/{tag}/l.txt", docs.LEFT_TEXT.encode()), "display_name": "L"},
        "right": {"file_type": "txt", "source_url": file_server.add(f"/{tag}/r.txt", docs.RIGHT_TEXT.encode())},
        "public": False,
        "expiry_time": None,
    }
    r = api_a.post("/comparisons", json=body)
    assert r.status_code == 201, r.text
    created = r.json()
    assert created["identifier"] and created["left"]["display_name"] == "L"
    _check_done(api_a, created, False, None)


def test_json_minimal(api_a, file_server):
    tag = new_id("json-min")
    url = file_server.add(f"/{tag}/l.txt", docs.LEFT_TEXT.encode())
    r = api_a.post("/comparisons", json={"left": {"file_type": "txt", "source_url": url},
                                         "right": {"file_type": "txt", "source_url": url}})
    assert r.status_code == 201, r.text
    _check_done(api_a, r.json(), False, None)


def test_file_type_is_case_insensitive_or_rejected_cleanly(api_a):
    files = {"left.file": ("l.txt", b"hello"), "right.file": ("r.txt", b"hello world")}
    r = requests.post(api_a.url("/comparisons"), data={"left.file_type": "TXT", "right.file_type": "txt"}, files=files,
                      timeout=60, headers={"Authorization": f"Token {api_a.account.auth_token}"})
    assert r.status_code in (201, 400), r.text
    if r.status_code == 201:
        assert r.json()["left"]["file_type"] == "txt"
