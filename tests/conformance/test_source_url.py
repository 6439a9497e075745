"""Sides given by source_url: fetched from a loopback server the suite runs, allowed only
through REDLINE_FETCH_ALLOWLIST (the main server allows 127.0.0.1/32; the strict server
allows nothing)."""

import time

import pytest
from draftable.endpoints.comparisons.sides import side_from_url

import redline_docs as docs
from redline_support import new_id, norm, wait_ready


def _refused_without_fetch(api, body, server_and_paths, settle=2.0):
    """POST a JSON create; it must be refused with 400 + detail, or end failed with an
    error_message; and none of the given paths may ever be fetched."""
    r = api.post("/comparisons", json=body)
    if r.status_code == 201:
        done = api.wait_ready(r.json()["identifier"])
        assert done["failed"] is True, f"comparison from a forbidden address succeeded: {done}"
        assert done.get("error_message"), done
    else:
        assert r.status_code == 400, (r.status_code, r.text[:300])
        assert r.json()["detail"]
    time.sleep(settle)
    for fs, path in server_and_paths:
        assert fs.hits_for(path) == 0, f"{fs.url(path)} was fetched"


def test_create_from_allowed_loopback_urls(client_a, api_a, file_server):
    tag = new_id("url")
    left_url = file_server.add(f"/{tag}/left.pdf", docs.LEFT_PDF, "application/pdf")
    right_url = file_server.add(f"/{tag}/right.pdf", docs.RIGHT_PDF, "application/pdf")
    c = client_a.comparisons.create(side_from_url(left_url, "pdf"), side_from_url(right_url, "pdf", "Right by URL"))
    assert c.left.source_url == left_url and c.right.source_url == right_url
    assert c.right.display_name == "Right by URL"
    done = wait_ready(client_a, c.identifier)
    assert done.failed is False, done.error_message
    assert file_server.hits_for(f"/{tag}/left.pdf") >= 1 and file_server.hits_for(f"/{tag}/right.pdf") >= 1
    changes = api_a.get(f"/comparisons/{c.identifier}/change-details").json()["changes"]
    assert any(ch["kind"] == "delete" and "deleted entirely" in norm(ch["leftText"]) for ch in changes)


def test_url_side_with_txt_and_json_body(api_a, file_server):
    tag = new_id("urltxt")
    body = {
        "identifier": None,
        "left": {"file_type": "txt", "source_url": file_server.add(f"/{tag}/l.txt", docs.LEFT_TEXT.encode(), "text/plain")},
        "right": {"file_type": "txt", "source_url": file_server.add(f"/{tag}/r.txt", docs.RIGHT_TEXT.encode(), "text/plain")},
        "public": False,
        "expiry_time": None,
    }
    r = api_a.post("/comparisons", json=body)
    assert r.status_code == 201, r.text
    assert api_a.wait_ready(r.json()["identifier"])["failed"] is False


def test_missing_remote_file_fails_with_message(api_a, file_server):
    tag = new_id("gone")
    body = {"left": {"file_type": "pdf", "source_url": file_server.url(f"/{tag}/missing.pdf")},
            "right": {"file_type": "pdf", "source_url": file_server.add(f"/{tag}/r.pdf", docs.RIGHT_PDF)}}
    r = api_a.post("/comparisons", json=body)
    if r.status_code == 201:
        done = api_a.wait_ready(r.json()["identifier"])
        assert done["failed"] is True and done["error_message"], done
    else:
        assert r.status_code == 400 and r.json()["detail"], r.text


def test_loopback_refused_without_allow_list(api_s, file_server):
    tag = new_id("ssrf")
    paths = [f"/{tag}/l.pdf", f"/{tag}/r.pdf"]
    for p in paths:
        file_server.add(p, docs.LEFT_PDF)
    body = {"left": {"file_type": "pdf", "source_url": file_server.url(paths[0])},
            "right": {"file_type": "pdf", "source_url": file_server.url(paths[1])}}
    _refused_without_fetch(api_s, body, [(file_server, p) for p in paths])


def test_localhost_name_refused_without_allow_list(api_s, file_server):
    tag = new_id("ssrf-name")
    path = f"/{tag}/l.pdf"
    file_server.add(path, docs.LEFT_PDF)
    body = {"left": {"file_type": "pdf", "source_url": f"http://localhost:{file_server.port}{path}"},
            "right": {"file_type": "pdf", "source_url": f"http://localhost:{file_server.port}{path}"}}
    _refused_without_fetch(api_s, body, [(file_server, path)])


def test_allow_list_is_exact(api_a, other_loopback_file_server):
    """127.0.0.2 is loopback but outside the main server's 127.0.0.1/32 allow-list."""
    fs = other_loopback_file_server
    tag = new_id("ssrf-cidr")
    path = f"/{tag}/l.pdf"
    fs.add(path, docs.LEFT_PDF)
    body = {"left": {"file_type": "pdf", "source_url": fs.url(path)},
            "right": {"file_type": "pdf", "source_url": fs.url(path)}}
    _refused_without_fetch(api_a, body, [(fs, path)])


def test_redirect_to_forbidden_address_not_followed(api_a, file_server, other_loopback_file_server):
    fs2 = other_loopback_file_server
    tag = new_id("ssrf-redirect")
    secret = f"/{tag}/secret.pdf"
    fs2.add(secret, docs.LEFT_PDF)
    hop = file_server.add_redirect(f"/{tag}/hop.pdf", fs2.url(secret))
    body = {"left": {"file_type": "pdf", "source_url": hop}, "right": {"file_type": "pdf", "source_url": hop}}
    _refused_without_fetch(api_a, body, [(fs2, secret)])


@pytest.mark.parametrize("url", ["file:///etc/passwd", "ftp://127.0.0.1/left.pdf", "gopher://127.0.0.1:70/x", "http://", "not a url"])
def test_non_http_source_url_is_400(api_a, url):
    body = {"left": {"file_type": "pdf", "source_url": url}, "right": {"file_type": "pdf", "source_url": "http://127.0.0.1:9/x.pdf"}}
    r = api_a.post("/comparisons", json=body)
    assert r.status_code == 400, (url, r.status_code, r.text[:300])
    assert r.json()["detail"]


def test_source_url_longer_than_2048_is_400(api_a, file_server):
    url = file_server.url("/" + "a" * 2100 + ".pdf")
    body = {"left": {"file_type": "pdf", "source_url": url}, "right": {"file_type": "pdf", "source_url": url}}
    r = api_a.post("/comparisons", json=body)
    assert r.status_code == 400, r.text[:300]
