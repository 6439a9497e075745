"""The HTML viewer: public and signed URLs, both signature serialisations, `wait`."""

import time
from datetime import timedelta

import pytest
import requests
from draftable.endpoints.comparisons.sides import make_side

import redline_docs as docs
from redline_signing import sign_array, sign_object
from redline_support import file_side_path, new_id, wait_ready


@pytest.fixture(scope="module")
def sides(tmp_path_factory):
    d = tmp_path_factory.mktemp("viewer")
    return file_side_path(d, "left.txt", docs.LEFT_TEXT.encode()), file_side_path(d, "right.txt", docs.RIGHT_TEXT.encode())


@pytest.fixture(scope="module")
def private_comparison(client_a, sides):
    c = client_a.comparisons.create(make_side(str(sides[0])), make_side(str(sides[1])))
    return wait_ready(client_a, c.identifier)


@pytest.fixture(scope="module")
def public_comparison(client_a, sides):
    c = client_a.comparisons.create(make_side(str(sides[0])), make_side(str(sides[1])), public=True)
    return wait_ready(client_a, c.identifier)


def view(url: str) -> requests.Response:
    # a browser: no Authorization header
    return requests.get(url, timeout=30, headers={"Accept": "text/html"})


def assert_html(r: requests.Response, status: int):
    assert r.status_code == status, (r.url, r.status_code, r.text[:300])
    assert r.headers.get("Content-Type", "").split(";")[0].strip() == "text/html", r.headers.get("Content-Type")


def viewer_url(server, account_id, identifier, **params):
    from urllib.parse import urlencode
    base = f"{server.api}/comparisons/viewer/{account_id}/{identifier}"
    return base + ("?" + urlencode(params) if params else "")


def test_signed_url_from_official_client_opens(client_a, account_a, private_comparison):
    r = view(client_a.comparisons.signed_viewer_url(private_comparison.identifier))
    assert_html(r, 200)
    assert len(r.text) > 100
    assert account_a.auth_token not in r.text, "the viewer page leaks the account's auth token"


def test_signed_url_with_wait_opens(client_a, private_comparison):
    assert_html(view(client_a.comparisons.signed_viewer_url(private_comparison.identifier, valid_until=timedelta(hours=2), wait=True)), 200)


def test_public_viewer_of_private_comparison_refused(client_a, private_comparison):
    r = view(client_a.comparisons.public_viewer_url(private_comparison.identifier))
    assert r.status_code != 200
    assert_html(r, 403)


def test_public_viewer_of_public_comparison_opens(client_a, account_a, public_comparison):
    assert public_comparison.public is True
    r = view(client_a.comparisons.public_viewer_url(public_comparison.identifier))
    assert_html(r, 200)
    assert account_a.auth_token not in r.text, "the viewer page leaks the account's auth token"


def test_both_signature_forms_open(main_server, account_a, private_comparison):
    valid_until = int(time.time()) + 600
    ident = private_comparison.identifier
    for sign in (sign_object, sign_array):
        sig = sign(account_a.account_id, account_a.auth_token, ident, valid_until)
        assert_html(view(viewer_url(main_server, account_a.account_id, ident, valid_until=valid_until, signature=sig)), 200)


def test_tampered_signature_refused(main_server, account_a, private_comparison):
    valid_until = int(time.time()) + 600
    ident = private_comparison.identifier
    sig = sign_object(account_a.account_id, account_a.auth_token, ident, valid_until)
    tampered = sig[:-1] + ("0" if sig[-1] != "0" else "1")
    assert_html(view(viewer_url(main_server, account_a.account_id, ident, valid_until=valid_until, signature=tampered)), 403)
    # signature valid for another valid_until
    assert_html(view(viewer_url(main_server, account_a.account_id, ident, valid_until=valid_until + 1, signature=sig)), 403)
    # signature for another identifier
    other = sign_object(account_a.account_id, account_a.auth_token, ident + "x", valid_until)
    assert_html(view(viewer_url(main_server, account_a.account_id, ident, valid_until=valid_until, signature=other)), 403)
    # garbage
    assert_html(view(viewer_url(main_server, account_a.account_id, ident, valid_until=valid_until, signature="zz")), 403)
    assert_html(view(viewer_url(main_server, account_a.account_id, ident, valid_until="soon", signature=sig)), 403)


def test_expired_signature_refused(main_server, account_a, private_comparison):
    valid_until = int(time.time()) - 60
    ident = private_comparison.identifier
    for sign in (sign_object, sign_array):
        sig = sign(account_a.account_id, account_a.auth_token, ident, valid_until)
        assert_html(view(viewer_url(main_server, account_a.account_id, ident, valid_until=valid_until, signature=sig)), 403)


def test_other_accounts_token_cannot_sign(main_server, account_a, account_b, private_comparison):
    valid_until = int(time.time()) + 600
    ident = private_comparison.identifier
    # A's account id in the URL, signed with B's token
    sig = sign_object(account_a.account_id, account_b.auth_token, ident, valid_until)
    assert_html(view(viewer_url(main_server, account_a.account_id, ident, valid_until=valid_until, signature=sig)), 403)
    # B's own valid URL for A's identifier: B has no such comparison
    sig = sign_object(account_b.account_id, account_b.auth_token, ident, valid_until)
    r = view(viewer_url(main_server, account_b.account_id, ident, valid_until=valid_until, signature=sig))
    assert r.status_code in (403, 404), r.status_code


def test_wait_on_not_yet_existing_comparison(client_a):
    identifier = new_id("later")
    assert_html(view(client_a.comparisons.signed_viewer_url(identifier, wait=True)), 200)


def test_unknown_comparison_without_wait_is_404(client_a):
    assert_html(view(client_a.comparisons.signed_viewer_url(new_id("never"))), 404)


def test_unknown_account_refused(main_server, private_comparison):
    r = view(viewer_url(main_server, "no-such-account", private_comparison.identifier))
    assert r.status_code in (403, 404)
    assert r.headers.get("Content-Type", "").startswith("text/html")


def test_viewer_is_frameable_by_default(client_a, private_comparison):
    """Customers embed the viewer in iframes: no X-Frame-Options DENY/SAMEORIGIN by default."""
    r = view(client_a.comparisons.signed_viewer_url(private_comparison.identifier))
    assert r.headers.get("X-Frame-Options", "").upper() not in ("DENY", "SAMEORIGIN")
    csp = r.headers.get("Content-Security-Policy", "")
    assert "frame-ancestors 'none'" not in csp
