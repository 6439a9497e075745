"""The served OpenAPI document is the checked-in one, valid, and public."""

import json
from pathlib import Path

import requests
from openapi_spec_validator import validate as validate_spec

SPEC_FILE = Path(__file__).resolve().parents[2] / "Sources" / "RedlineOpenAPI" / "openapi.json"


def test_openapi_served_without_auth(main_server):
    r = requests.get(main_server.api + "/openapi.json", timeout=10)
    assert r.status_code == 200, r.text[:300]
    assert r.headers.get("Content-Type", "").split(";")[0] == "application/json"
    spec = r.json()
    validate_spec(spec)
    assert spec == json.loads(SPEC_FILE.read_text()), "the served document differs from Sources/RedlineOpenAPI/openapi.json"


def test_healthz(main_server):
    r = requests.get(main_server.origin + "/healthz", timeout=10)
    assert r.status_code == 200


def test_unknown_api_route_is_json_404(api_a):
    r = api_a.get("/no-such-route")
    assert r.status_code == 404
    assert r.headers.get("Content-Type", "").startswith("application/json"), r.headers
    assert isinstance(r.json().get("detail"), str)
