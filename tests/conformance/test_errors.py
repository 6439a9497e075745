"""Bad input gives a 4xx JSON error with a `detail` message, never a 500."""

import json
from datetime import datetime, timedelta, timezone

import pytest
import requests
from draftable import Client
from draftable.endpoints.comparisons.sides import make_side
from draftable.endpoints.exceptions import BadRequest, NotFound

import redline_docs as docs
from redline_support import Api, detail_of, file_side_path, new_id

TXT_FILES = lambda: {  # noqa: E731
    "left.file": ("left.txt", docs.LEFT_TEXT.encode(), "application/octet-stream"),
    "right.file": ("right.txt", docs.RIGHT_TEXT.encode(), "application/octet-stream"),
}


def post_form(api, data, files=None):
    return api.post("/comparisons", data=data, files=files if files is not None else TXT_FILES())


def assert_400(r, field=None):
    assert r.status_code == 400, (r.status_code, r.text[:400])
    detail_of(r)
    if field is not None:
        body = r.json()
        assert field in body or field in body["detail"].lower() or any(field in k for k in body), body


# ---- validation -----------------------------------------------------------------------------


def test_unknown_file_type_multipart(api_a):
    assert_400(post_form(api_a, {"left.file_type": "exe", "right.file_type": "txt"}), "file_type")


def test_unknown_file_type_json(api_a):
    r = api_a.post("/comparisons", json={"left": {"file_type": "exe", "source_url": "http://127.0.0.1:9/a.exe"},
                                         "right": {"file_type": "txt", "source_url": "http://127.0.0.1:9/b.txt"}})
    assert_400(r, "file_type")


def test_missing_file_type(api_a):
    assert_400(post_form(api_a, {"right.file_type": "txt"}), "file_type")


def test_missing_side_multipart(api_a):
    files = {"left.file": ("left.txt", b"hello", "application/octet-stream")}
    assert_400(post_form(api_a, {"left.file_type": "txt"}, files), "right")


def test_missing_side_json(api_a):
    assert_400(api_a.post("/comparisons", json={"left": {"file_type": "txt", "source_url": "http://127.0.0.1:9/a.txt"}}), "right")


def test_side_without_file_or_url(api_a):
    files = {"left.file": ("left.txt", b"hello", "application/octet-stream")}
    assert_400(post_form(api_a, {"left.file_type": "txt", "right.file_type": "txt"}, files), "right")


def test_both_file_and_source_url(api_a):
    r = post_form(api_a, {"left.file_type": "txt", "right.file_type": "txt", "left.source_url": "http://127.0.0.1:9/x.txt"})
    assert_400(r)


@pytest.mark.parametrize("identifier", ["a b", "x" * 1025, "a/b", "ünï", "semi;colon"], ids=["space", "1025", "slash", "unicode", "semicolon"])
def test_malformed_identifier(api_a, identifier):
    r = post_form(api_a, {"identifier": identifier, "left.file_type": "txt", "right.file_type": "txt"})
    assert_400(r, "identifier")


def test_empty_form_identifier_is_absent_or_400(api_a):
    """An empty form field may mean "absent" (an identifier is generated) or be refused."""
    r = post_form(api_a, {"identifier": "", "left.file_type": "txt", "right.file_type": "txt"})
    if r.status_code == 201:
        assert r.json()["identifier"], r.text
    else:
        assert_400(r, "identifier")


def test_identifier_of_1024_chars_is_fine(api_a):
    identifier = ("y" * 1000 + new_id("")).replace("-", "_")[:1024].ljust(1024, "z")
    r = post_form(api_a, {"identifier": identifier, "left.file_type": "txt", "right.file_type": "txt"})
    assert r.status_code == 201, r.text[:300]
    assert r.json()["identifier"] == identifier
    assert api_a.get(f"/comparisons/{identifier}").status_code == 200


def test_duplicate_identifier(api_a, client_a, tmp_path):
    identifier = new_id("dup")
    assert post_form(api_a, {"identifier": identifier, "left.file_type": "txt", "right.file_type": "txt"}).status_code == 201
    r = post_form(api_a, {"identifier": identifier, "left.file_type": "txt", "right.file_type": "txt"})
    assert_400(r, "identifier")
    # through the official client
    left = file_side_path(tmp_path, "l.txt", b"one")
    with pytest.raises(BadRequest) as info:
        client_a.comparisons.create(make_side(str(left)), make_side(str(left)), identifier=identifier)
    assert info.value.status_code == 400 and "detail" in info.value.response


@pytest.mark.parametrize("expiry", [
    "2001-01-01T00:00:00Z",
    (datetime.now(timezone.utc) - timedelta(minutes=5)).isoformat(),
    "not a date",
    "2099-13-01T00:00:00Z",
], ids=["past", "minutes-ago", "garbage", "bad-month"])
def test_bad_expiry_time(api_a, expiry):
    r = post_form(api_a, {"expiry_time": expiry, "left.file_type": "txt", "right.file_type": "txt"})
    assert_400(r, "expiry")


def test_bad_public_value(api_a):
    assert_400(post_form(api_a, {"public": "maybe", "left.file_type": "txt", "right.file_type": "txt"}), "public")


def test_wrong_json_types(api_a):
    accepted = []
    for body in ({"left": "x", "right": "y"},
                 {"left": {"file_type": 3, "source_url": "http://127.0.0.1:9/a"}, "right": {"file_type": "txt", "source_url": "http://127.0.0.1:9/a"}},
                 # DRF's BooleanField also takes yes/no/on/off/1/0, so only nonsense must be refused
                 {"public": "maybe", "left": {"file_type": "txt", "source_url": "http://127.0.0.1:9/a"}, "right": {"file_type": "txt", "source_url": "http://127.0.0.1:9/a"}},
                 {"public": [True], "left": {"file_type": "txt", "source_url": "http://127.0.0.1:9/a"}, "right": {"file_type": "txt", "source_url": "http://127.0.0.1:9/a"}},
                 {"identifier": 12, "left": {"file_type": "txt", "source_url": "http://127.0.0.1:9/a"}, "right": {"file_type": "txt", "source_url": "http://127.0.0.1:9/a"}},
                 [], "string", 42, None):
        r = api_a.post("/comparisons", data=json.dumps(body), headers={"Content-Type": "application/json"})
        if r.status_code != 400:
            accepted.append((body, r.status_code, r.text[:200]))
        else:
            detail_of(r)
    assert not accepted, f"wrongly typed JSON bodies not refused with 400: {accepted}"


# ---- malformed bodies ---------------------------------------------------------------------


@pytest.mark.parametrize("raw", [b'{"left": ', b"{not json}", b"", b"\xff\xfe\x00garbage", b'{"left": {"file_type": "txt"}}}}'],
                         ids=["truncated", "invalid", "empty", "binary", "trailing"])
def test_malformed_json(api_a, raw):
    r = api_a.post("/comparisons", data=raw, headers={"Content-Type": "application/json"})
    assert r.status_code == 400, (r.status_code, r.text[:300])
    detail_of(r)


@pytest.mark.parametrize("ctype,raw", [
    ("multipart/form-data; boundary=XyZ", b"--XyZ\r\nContent-Disposition: form-data; name=\"left.file_type\"\r\n\r\ntxt"),
    ("multipart/form-data; boundary=XyZ", b"this is not multipart at all"),
    ("multipart/form-data", b"--XyZ\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nb\r\n--XyZ--\r\n"),
    ("multipart/form-data; boundary=XyZ", b"--XyZ\r\nno headers end here" + b"x" * 5000),
    ("multipart/form-data; boundary=XyZ", b"--XyZ--\r\n"),
], ids=["truncated", "no-boundary-in-body", "no-boundary-param", "unterminated-headers", "empty"])
def test_malformed_multipart(api_a, ctype, raw):
    r = api_a.post("/comparisons", data=raw, headers={"Content-Type": ctype})
    assert r.status_code == 400, (r.status_code, r.text[:300])
    detail_of(r)


def test_malformed_urlencoded(api_a):
    r = api_a.post("/comparisons", data=b"left.file_type=%ZZ&&==&right", headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert r.status_code == 400, (r.status_code, r.text[:300])
    detail_of(r)


@pytest.mark.parametrize("ctype", ["text/plain", "application/xml", "image/png"])
def test_unsupported_content_type(api_a, ctype):
    r = api_a.post("/comparisons", data=b"left.file_type=txt", headers={"Content-Type": ctype})
    assert r.status_code == 415, (r.status_code, r.text[:300])
    detail_of(r)


# ---- documents that cannot be compared --------------------------------------------------------


def test_not_a_pdf(api_a):
    files = {"left.file": ("left.pdf", docs.NOT_A_PDF, "application/octet-stream"),
             "right.file": ("right.pdf", docs.RIGHT_PDF, "application/octet-stream")}
    r = post_form(api_a, {"left.file_type": "pdf", "right.file_type": "pdf"}, files)
    if r.status_code == 201:
        done = api_a.wait_ready(r.json()["identifier"])
        assert done["failed"] is True, done
        assert done["error_message"].strip()
    else:
        assert_400(r)


def test_truncated_pdf_fails_with_message(api_a):
    files = {"left.file": ("left.pdf", docs.truncated_pdf(), "application/octet-stream"),
             "right.file": ("right.pdf", docs.RIGHT_PDF, "application/octet-stream")}
    r = post_form(api_a, {"left.file_type": "pdf", "right.file_type": "pdf"}, files)
    assert r.status_code == 201, r.text
    done = api_a.wait_ready(r.json()["identifier"])
    assert done["failed"] is True, done
    assert done["error_message"].strip()
    r = api_a.get(f"/comparisons/{done['identifier']}/change-details")
    assert r.status_code in (400, 404, 200), r.status_code
    assert r.status_code != 200 or "changes" in r.json()


def test_empty_file(api_a):
    files = {"left.file": ("left.pdf", b"", "application/octet-stream"),
             "right.file": ("right.pdf", docs.RIGHT_PDF, "application/octet-stream")}
    r = post_form(api_a, {"left.file_type": "pdf", "right.file_type": "pdf"}, files)
    if r.status_code == 201:
        done = api_a.wait_ready(r.json()["identifier"])
        assert done["failed"] is True and done["error_message"].strip(), done
    else:
        assert_400(r)


# ---- authentication ------------------------------------------------------------------------------


AUTH_CASES = {
    "missing": {},
    "wrong-token": {"Authorization": "Token definitely-not-a-token"},
    "empty": {"Authorization": "Token "},
    "garbage": {"Authorization": "Basic Zm9vOmJhcg=="},
}


@pytest.mark.parametrize("case", list(AUTH_CASES))
@pytest.mark.parametrize("method,path", [("GET", "/comparisons"), ("POST", "/comparisons"), ("GET", "/comparisons/anything"),
                                         ("DELETE", "/comparisons/anything"), ("GET", "/comparisons/anything/change-details"),
                                         ("POST", "/exports"), ("GET", "/exports/anything")])
def test_unauthenticated_is_401_json(main_server, case, method, path):
    headers = AUTH_CASES[case]
    kwargs = {"headers": {"Accept": "application/json", **headers}, "timeout": 30}
    if method == "POST":
        kwargs["json"] = {"comparison": "x"} if "exports" in path else {
            "left": {"file_type": "txt", "source_url": "http://127.0.0.1:9/a.txt"},
            "right": {"file_type": "txt", "source_url": "http://127.0.0.1:9/a.txt"}}
    r = requests.request(method, main_server.api + path, **kwargs)
    assert r.status_code == 401, (case, method, path, r.status_code, r.text[:200])
    detail_of(r)


def test_account_id_is_not_a_token(main_server, account_a):
    r = requests.get(main_server.api + "/comparisons", headers={"Authorization": f"Token {account_a.account_id}"}, timeout=30)
    assert r.status_code == 401


def test_official_client_with_wrong_token(main_server, account_a):
    client = Client(account_a.account_id, "wrong-token", base_url=main_server.api)
    with pytest.raises(BadRequest) as info:
        client.comparisons.all()
    assert info.value.status_code == 401
    assert isinstance(info.value.response, dict) and info.value.response.get("detail")


def test_multipart_upload_with_wrong_token_gets_401(main_server, account_a, tmp_path):
    """The Python client notes servers that reset the connection on a rejected upload:
    the 401 must arrive as a response."""
    big = file_side_path(tmp_path, "big.txt", (docs.LEFT_TEXT * 20000).encode())
    client = Client(account_a.account_id, "wrong-token", base_url=main_server.api)
    with pytest.raises(BadRequest) as info:
        client.comparisons.create(make_side(str(big)), make_side(str(big)))
    assert info.value.status_code == 401


# ---- not found --------------------------------------------------------------------------------------


def test_unknown_comparison(api_a, client_a):
    ident = new_id("missing")
    for method, path in (("get", f"/comparisons/{ident}"), ("delete", f"/comparisons/{ident}"), ("get", f"/comparisons/{ident}/change-details")):
        r = getattr(api_a, method)(path)
        assert r.status_code == 404, (method, path, r.status_code)
        detail_of(r)
    with pytest.raises(NotFound):
        client_a.comparisons.get(ident)
    with pytest.raises(NotFound):
        client_a.comparisons.change_details(ident)


def test_invalid_identifier_in_path_is_4xx_json(api_a):
    r = api_a.get("/comparisons/" + "x" * 1100)
    assert r.status_code in (400, 404), r.status_code
    detail_of(r)


def test_server_still_healthy_after_bad_input(main_server, api_a):
    assert main_server.healthy()
    assert api_a.get("/comparisons", params={"limit": 1}).status_code == 200


def test_no_server_errors_on_odd_requests(main_server, account_a):
    api = Api(main_server, account_a)
    for method, path, kw in [
        ("get", "/comparisons/%00", {}),
        ("get", "/comparisons/..%2F..%2Fetc%2Fpasswd", {}),
        ("post", "/comparisons", {"data": b"x" * 100, "headers": {"Content-Type": "multipart/form-data; boundary="}}),
        ("post", "/comparisons", {"json": {"left": {"file_type": "txt", "source_url": "http://[::1"}, "right": {}}}),
    ]:
        r = getattr(api, method)(path, **kw)
        assert 400 <= r.status_code < 500, (method, path, r.status_code, r.text[:200])
