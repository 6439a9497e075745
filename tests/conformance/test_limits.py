"""File size limit (REDLINE_MAX_FILE_BYTES=2000000 on the strict server)."""

import requests

import redline_docs as docs
from redline_pdf import make_pdf
from redline_support import detail_of

LIMIT = 2_000_000


def _post(api, left: bytes, right: bytes, file_type: str):
    files = {"left.file": (f"left.{file_type}", left, "application/octet-stream"),
             "right.file": (f"right.{file_type}", right, "application/octet-stream")}
    try:
        return api.post("/comparisons", data={"left.file_type": file_type, "right.file_type": file_type}, files=files)
    except requests.ConnectionError as ex:
        raise AssertionError(f"the server dropped the connection instead of answering 413: {ex}")


def test_pdf_over_limit_is_413(api_s):
    big = make_pdf([docs.LEFT_LINES], padding_bytes=LIMIT + 200_000)
    assert len(big) > LIMIT
    r = _post(api_s, big, docs.RIGHT_PDF, "pdf")
    assert r.status_code == 413, (r.status_code, r.text[:300])
    detail_of(r)


def test_txt_over_limit_on_right_is_413(api_s):
    r = _post(api_s, docs.LEFT_TEXT.encode(), b"word " * (LIMIT // 5 + 1000), "txt")
    assert r.status_code == 413, (r.status_code, r.text[:300])
    detail_of(r)


def test_file_under_limit_accepted(api_s):
    ok = make_pdf([docs.LEFT_LINES], padding_bytes=LIMIT // 2)
    r = _post(api_s, ok, docs.RIGHT_PDF, "pdf")
    assert r.status_code == 201, (r.status_code, r.text[:300])
    done = api_s.wait_ready(r.json()["identifier"])
    assert done["failed"] is False, done


def test_strict_server_healthy_after_oversized_uploads(strict_server, api_s):
    assert strict_server.healthy()
    assert api_s.get("/comparisons").status_code == 200
