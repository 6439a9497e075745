"""Checks of the suite's own building blocks and of the checked-in OpenAPI document.
These need no server."""

import copy
import json
import shutil
import subprocess
from pathlib import Path

import pytest
from draftable.endpoints.comparisons import signing as client_signing
from openapi_spec_validator import validate as validate_spec

import redline_pdf
import redline_signing
import redline_wire
from redline_contract import Contract, ContractViolation

SPEC_FILE = Path(__file__).resolve().parents[2] / "Sources" / "RedlineOpenAPI" / "openapi.json"

OBJECT_VECTOR = "33fdeb6f95e3ae8014a8f8a1795ee7b3d6b682ad8ced9f7487914352bfb7f8e1"
ARRAY_VECTOR = "4eb15dfbd0c7f05af42739404a6986788f9be127216c78c50bf037d10fdbfa29"


# ---- signatures ------------------------------------------------------------------


def test_signature_policies_are_compact():
    assert redline_signing.object_policy("aa", "abc", 1700000000) == '{"account_id":"aa","identifier":"abc","valid_until":1700000000}'
    assert redline_signing.array_policy("aa", "abc", 1700000000) == '["aa","abc",1700000000]'


def test_signature_vectors():
    assert redline_signing.sign_object("aa", "bb", "abc", 1700000000) == OBJECT_VECTOR
    assert redline_signing.sign_array("aa", "bb", "abc", 1700000000) == ARRAY_VECTOR


def test_official_python_client_uses_object_form():
    assert client_signing.get_viewer_url_signature("aa", "bb", "abc", 1700000000) == OBJECT_VECTOR


# ---- PDF generator -------------------------------------------------------------------


def _pdf(tmp_path, data: bytes) -> Path:
    p = tmp_path / "doc.pdf"
    p.write_bytes(data)
    return p


def test_pdf_structure_and_xref(tmp_path):
    data = redline_pdf.make_pdf([["Hello (world) \\ back"], ["Second page"]])
    assert data.startswith(b"%PDF-1.4\n") and data.rstrip().endswith(b"%%EOF")
    # every xref offset points at "N 0 obj"
    xref_at = int(data.rsplit(b"startxref\n", 1)[1].split(b"\n")[0])
    assert data[xref_at:].startswith(b"xref\n")
    lines = data[xref_at:].split(b"\n")
    count = int(lines[1].split()[1])
    for n in range(1, count):
        off = int(lines[2 + n][:10])
        assert data[off:].startswith(b"%d 0 obj" % n)
    if shutil.which("qpdf"):
        r = subprocess.run(["qpdf", "--check", str(_pdf(tmp_path, data))], capture_output=True, text=True)
        assert r.returncode == 0, r.stdout + r.stderr


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="pdftotext not installed")
def test_pdf_text_and_layout(tmp_path):
    data = redline_pdf.make_pdf([["Alpha beta", [("Bold ", "F1"), ("word", "F2")]], ["Page two"]], padding_bytes=5000)
    assert len(data) > 5000
    path = _pdf(tmp_path, data)
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    assert text.split("\f")[0].split() == ["Alpha", "beta", "Bold", "word"]
    assert text.split("\f")[1].split() == ["Page", "two"]
    bbox = subprocess.run(["pdftotext", "-bbox", str(path), "-"], capture_output=True, text=True, check=True).stdout
    # "Bold" sits on line 1: its box straddles the baseline the helper predicts
    import re
    m = re.search(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)">Bold<', bbox)
    assert m, bbox
    x, ymin, ymax = map(float, m.groups())
    base = redline_pdf.baseline_top_left(1)
    assert abs(x - redline_pdf.LEFT_MARGIN) < 0.5
    assert ymin < base < ymax + 0.01


# ---- wire builders -------------------------------------------------------------------


def test_dotnet_form_encoding():
    body, ctype = redline_wire.dotnet_form([("public", "true"), ("expiry_time", "2099-01-01T00:00:00.0000000Z"), ("left.display_name", "a b/c")])
    assert ctype == "application/x-www-form-urlencoded"
    assert body == b"public=true&expiry_time=2099-01-01T00%3A00%3A00.0000000Z&left.display_name=a+b%2Fc"


def test_dotnet_multipart_shape():
    body, ctype = redline_wire.dotnet_multipart([("left.file_type", "pdf")], [("left.file", b"%PDF-")])
    boundary = ctype.split('boundary="', 1)[1].rstrip('"')
    assert body.startswith(f"--{boundary}\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Disposition: form-data; name=left.file_type\r\n\r\npdf\r\n".encode())
    assert b"Content-Disposition: form-data; name=left.file; filename=left.file; filename*=utf-8''left.file\r\n\r\n%PDF-\r\n" in body
    assert body.endswith(f"--{boundary}--\r\n".encode())


def test_java_multipart_shape():
    body, ctype = redline_wire.java_multipart([("public", "true")], [("right.file", b"x")])
    assert ctype.startswith("multipart/form-data; boundary=") and ctype.endswith("; charset=UTF-8")
    assert b'Content-Disposition: form-data; name="public"\r\n\r\ntrue\r\n' in body
    assert b'name="right.file"; filename="filename"\r\nContent-Type: application/octet-stream\r\n\r\nx\r\n' in body


# ---- the OpenAPI document -------------------------------------------------------------------


@pytest.fixture(scope="module")
def spec():
    return json.loads(SPEC_FILE.read_text())


@pytest.fixture(scope="module")
def contract(spec):
    return Contract(spec)


def test_spec_file_is_valid_openapi_31(spec):
    assert spec["openapi"].startswith("3.1")
    validate_spec(spec)
    assert spec["servers"] == [{"url": "/api/v1"}]


def test_spec_lists_every_route(spec):
    expected = {
        "/comparisons": {"get", "post"},
        "/comparisons/{identifier}": {"get", "delete"},
        "/comparisons/{identifier}/change-details": {"get"},
        "/exports": {"post"},
        "/exports/{identifier}": {"get"},
        "/comparisons/viewer/{account_id}/{identifier}": {"get"},
    }
    for path, methods in expected.items():
        assert path in spec["paths"], path
        assert methods <= set(spec["paths"][path]), (path, set(spec["paths"][path]))
    create = spec["paths"]["/comparisons"]["post"]
    assert set(create["requestBody"]["content"]) == {"application/json", "multipart/form-data", "application/x-www-form-urlencoded"}
    assert "201" in create["responses"] and "204" in spec["paths"]["/comparisons/{identifier}"]["delete"]["responses"]
    assert {"201", "501"} <= set(spec["paths"]["/exports"]["post"]["responses"])


READY = {
    "identifier": "PCiIEXzW",
    "left": {"file_type": "rtf", "source_url": "https://example.com/left.rtf", "display_name": "left.rtf"},
    "right": {"file_type": "pdf", "display_name": "right.pdf"},
    "public": False,
    "creation_time": "2025-01-23T13:18:59.123456Z",
    "ready": True,
    "ready_time": "2025-01-23T13:19:04.001Z",
    "failed": False,
}


def test_comparison_schema_accepts_good_objects(contract):
    contract.validate_component(READY, "Comparison")
    pending = {k: v for k, v in READY.items() if k not in ("ready_time", "failed")}
    pending["ready"] = False
    contract.validate_component(pending, "Comparison")
    contract.validate_component({**pending, "failed": None}, "Comparison")
    contract.validate_component({**READY, "failed": True, "error_message": "boom"}, "Comparison")
    contract.validate_component({**READY, "creation_time": "2025-01-23T13:18:59Z", "expiry_time": "2099-01-01T00:00:00Z"}, "Comparison")


@pytest.mark.parametrize("mutate", [
    lambda c: c.update(expiry_time=None),
    lambda c: c.update(error_message=None),
    lambda c: c.update(ready_time=None),
    lambda c: c.update(creation_time="2025-01-23T13:18:59.1234567Z"),
    lambda c: c.update(creation_time="2025-01-23T13:18:59+00:00"),
    lambda c: c.update(creation_time="2025-01-23 13:18:59Z"),
    lambda c: c.pop("ready_time"),
    lambda c: c.update(failed=None),
    lambda c: c.update(failed=True),
    lambda c: c.update(ready=False),
    lambda c: c["left"].pop("file_type"),
    lambda c: c["left"].update(display_name=None),
    lambda c: c.update(extra=1),
    lambda c: c.update(public="false"),
], ids=["null-expiry", "null-error", "null-ready_time", "7-digits", "offset", "space", "ready-no-ready_time",
        "ready-failed-null", "failed-no-message", "pending-with-failed-false", "no-file_type", "null-display_name",
        "extra-key", "string-bool"])
def test_comparison_schema_rejects_serialisation_bugs(contract, mutate):
    bad = copy.deepcopy(READY)
    mutate(bad)
    with pytest.raises(ContractViolation):
        contract.validate_component(bad, "Comparison")


def test_error_and_export_schemas(contract):
    contract.validate_component({"detail": "Invalid request.", "identifier": ["A comparison with this identifier already exists."]}, "Error")
    with pytest.raises(ContractViolation):
        contract.validate_component({"identifier": ["x"]}, "Error")
    with pytest.raises(ContractViolation):
        contract.validate_component({"detail": "x", "identifier": "not a list"}, "Error")
    export = {"identifier": "e1", "comparison": "c1", "kind": "combined", "ready": False, "failed": False, "include_cover_page": True, "url": ""}
    contract.validate_component(export, "Export")
    for key in ("url", "failed"):
        with pytest.raises(ContractViolation):
            contract.validate_component({k: v for k, v in export.items() if k != key}, "Export")


def test_change_details_example_from_reference(contract):
    region = {"pageIndex": 0, "rectangles": [{"left": 69.62, "top": 70.06, "right": 207.66, "bottom": 86.25}]}
    style = {"color": "#000000", "font": "Arial", "emphasis": "", "size": 12.0}
    details = {
        "changes": [
            {"kind": "match", "leftText": None, "rightText": None, "leftRegion": region, "rightRegion": region,
             "stylesInfo": {"leftStyles": [style], "rightStyles": [style], "leftStyleMap": ["0-18"], "rightStyleMap": ["0-18"]},
             "deletionMark": None},
            {"kind": "delete", "leftText": "x", "rightText": None, "leftRegion": region, "rightRegion": None,
             "stylesInfo": {"leftStyles": [style], "rightStyles": [], "leftStyleMap": ["0-0"], "rightStyleMap": None},
             "deletionMark": {"pageIndex": 0, "point": [10.5, 20]}},
        ],
        "summary": {"anyChanges": True, "anyMatches": True,
                    "changeSummary": {k: 1 for k in ["matches", "deletions", "insertions", "replacements", "styleChanges", "moves",
                                                     "matchingWords", "deletedLeftWords", "replacedLeftWords", "insertedRightWords", "replacedRightWords"]},
                    "leftDocumentSummary": {"pageCount": 1, "characterCount": 3, "wordCount": 1},
                    "rightDocumentSummary": {"pageCount": 1, "characterCount": 3, "wordCount": 1}},
    }
    contract.validate_component(details, "ChangeDetails")
    bad = copy.deepcopy(details)
    bad["changes"][0]["stylesInfo"]["leftStyles"][0]["color"] = "#FFFFFF"
    with pytest.raises(ContractViolation):
        contract.validate_component(bad, "ChangeDetails")


def test_contract_checks_status_and_content_type(contract):
    ok = json.dumps(READY).encode()
    assert contract.check("GET", "http://h/api/v1/comparisons/abc", 200, {"Content-Type": "application/json"}, ok) == "/comparisons/{identifier}"
    with pytest.raises(ContractViolation, match="not documented"):
        contract.check("GET", "http://h/api/v1/comparisons/abc", 500, {"Content-Type": "application/json"}, b'{"detail":"x"}')
    with pytest.raises(ContractViolation, match="Content-Type"):
        contract.check("GET", "http://h/api/v1/comparisons/abc", 404, {"Content-Type": "text/plain"}, b"nope")
    with pytest.raises(ContractViolation):
        contract.check("DELETE", "http://h/api/v1/comparisons/abc", 204, {}, b"{}")
    assert contract.check("GET", "http://h/api/v1/comparisons/viewer/acct/abc", 403, {"Content-Type": "text/html; charset=utf-8"}, b"<html>") is not None
    assert contract.check("GET", "http://h/healthz", 200, {}, b"ok") is None
