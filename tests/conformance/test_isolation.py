"""Accounts cannot see or touch each other's comparisons."""

import pytest
from draftable.endpoints.exceptions import NotFound

import redline_docs as docs
from redline_support import new_id


@pytest.fixture(scope="module")
def a_comparison(api_a):
    ident = new_id("iso")
    files = {"left.file": ("l.txt", docs.LEFT_TEXT.encode()), "right.file": ("r.txt", docs.RIGHT_TEXT.encode())}
    r = api_a.post("/comparisons", data={"identifier": ident, "left.file_type": "txt", "right.file_type": "txt"}, files=files)
    assert r.status_code == 201, r.text
    api_a.wait_ready(ident)
    return ident


def test_b_cannot_get(api_b, client_b, a_comparison):
    assert api_b.get(f"/comparisons/{a_comparison}").status_code == 404
    with pytest.raises(NotFound):
        client_b.comparisons.get(a_comparison)


def test_b_cannot_read_change_details(api_b, a_comparison):
    assert api_b.get(f"/comparisons/{a_comparison}/change-details").status_code == 404


def test_b_cannot_list(api_b, client_b, a_comparison):
    body = api_b.get("/comparisons").json()
    assert a_comparison not in [c["identifier"] for c in body["results"]]
    assert a_comparison not in [c.identifier for c in client_b.comparisons.all()]


def test_b_cannot_delete(api_a, api_b, client_b, a_comparison):
    assert api_b.delete(f"/comparisons/{a_comparison}").status_code == 404
    with pytest.raises(NotFound):
        client_b.comparisons.delete(a_comparison)
    assert api_a.get(f"/comparisons/{a_comparison}").status_code == 200


def test_identifiers_are_per_account(api_a, api_b, a_comparison):
    files = {"left.file": ("l.txt", b"other account"), "right.file": ("r.txt", b"other account text")}
    r = api_b.post("/comparisons", data={"identifier": a_comparison, "left.file_type": "txt", "right.file_type": "txt",
                                         "left.display_name": "B's document"}, files=files)
    assert r.status_code == 201, r.text
    api_b.wait_ready(a_comparison)
    # each account sees its own
    assert api_b.get(f"/comparisons/{a_comparison}").json()["left"].get("display_name") == "B's document"
    assert api_a.get(f"/comparisons/{a_comparison}").json()["left"].get("display_name") != "B's document"
    assert api_b.delete(f"/comparisons/{a_comparison}").status_code == 204
    assert api_a.get(f"/comparisons/{a_comparison}").status_code == 200


def test_b_cannot_export_a(api_b, a_comparison):
    r = api_b.post("/exports", json={"comparison": a_comparison, "kind": "single_page", "include_cover_page": False})
    assert r.status_code in (404, 400, 501), (r.status_code, r.text[:200])
    assert r.status_code != 201
