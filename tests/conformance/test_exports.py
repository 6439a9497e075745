"""Exports: the routes exist. Until exports are implemented the server may answer 501 with
an Error body; once it does, the Export object must follow the contract."""

import time

import pytest

import redline_docs as docs


@pytest.fixture(scope="module")
def ready_comparison(api_a):
    files = {"left.file": ("l.pdf", docs.LEFT_PDF), "right.file": ("r.pdf", docs.RIGHT_PDF)}
    r = api_a.post("/comparisons", data={"left.file_type": "pdf", "right.file_type": "pdf"}, files=files)
    assert r.status_code == 201, r.text
    return api_a.wait_ready(r.json()["identifier"])["identifier"]


@pytest.mark.parametrize("kind", ["single_page", "combined", "left", "right"])
def test_create_export_json(api_a, ready_comparison, kind):
    r = api_a.post("/exports", json={"comparison": ready_comparison, "kind": kind, "include_cover_page": False})
    assert r.status_code in (201, 501), (r.status_code, r.text[:300])
    body = r.json()
    if r.status_code == 501:
        assert body["detail"]
        return
    assert body["comparison"] == ready_comparison and body["kind"] == kind
    assert isinstance(body["failed"], bool) and isinstance(body["url"], str)
    deadline = time.monotonic() + 60
    while not body["ready"] and time.monotonic() < deadline:
        time.sleep(0.5)
        g = api_a.get(f"/exports/{body['identifier']}")
        assert g.status_code == 200
        body = g.json()
    assert body["ready"] and body["failed"] is False, body
    import requests
    pdf = requests.get(body["url"] if body["url"].startswith("http") else api_a.server.origin + body["url"], timeout=30)
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")


def test_create_export_dotnet_form(api_a, ready_comparison):
    r = api_a.post("/exports", data={"comparison": ready_comparison, "kind": "combined", "include_cover_page": "True"})
    assert r.status_code in (201, 501), (r.status_code, r.text[:300])
    if r.status_code == 201:
        assert r.json()["include_cover_page"] is True


def test_export_of_unknown_comparison(api_a):
    r = api_a.post("/exports", json={"comparison": "no-such-comparison", "kind": "left"})
    assert r.status_code in (400, 404, 501), (r.status_code, r.text[:300])
    assert r.json()["detail"]


def test_unknown_export(api_a):
    r = api_a.get("/exports/no-such-export")
    assert r.status_code in (404, 501), r.status_code
    assert r.json()["detail"]


def test_official_client_export(client_a, ready_comparison):
    from draftable.endpoints.exceptions import BadRequest
    try:
        export = client_a.exports.create(ready_comparison, kind="single_page")
    except BadRequest as ex:
        assert ex.status_code == 501, ex
        return
    assert export.comparison_identifier == ready_comparison
    assert client_a.exports.get(export.identifier).identifier == export.identifier
