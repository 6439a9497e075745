"""Checks HTTP responses against the OpenAPI document the server serves.

`Contract(spec).check(method, url, status, headers, body)` finds the operation for the
request path (relative to the `/api/v1` server URL), requires the status code to be
documented for it, the Content-Type to be one documented for that response, and a JSON
body to validate against the response schema (JSON Schema 2020-12 via
openapi-schema-validator's OAS31Validator, `$ref`s resolved inside the document).
"""

from __future__ import annotations

import json
import re
from typing import Any, Dict, Optional, Tuple
from urllib.parse import urlsplit

from jsonschema import Draft202012Validator
from openapi_schema_validator import OAS31Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

SPEC_URI = "urn:redline:openapi"
API_PREFIX = "/api/v1"
HTTP_METHODS = {"get", "put", "post", "delete", "options", "head", "patch", "trace"}


class ContractViolation(AssertionError):
    """A response that the OpenAPI document does not allow."""


def _pointer_escape(token: str) -> str:
    return token.replace("~", "~0").replace("/", "~1")


class Contract:
    def __init__(self, spec: Dict[str, Any]):
        self.spec = spec
        resource = Resource.from_contents(spec, default_specification=DRAFT202012)
        self.registry = Registry().with_resource(SPEC_URI, resource)
        self._routes = []
        for template in spec.get("paths", {}):
            names = re.findall(r"{([^}/]+)}", template)
            pattern = "^" + re.sub(r"\\{[^}/]+\\}", "([^/]+)", re.escape(template)) + "$"
            self._routes.append((len(names), template, re.compile(pattern)))
        # Literal routes win over templated ones.
        self._routes.sort(key=lambda r: r[0])
        self._validators: Dict[str, Any] = {}

    # -- schema validation -------------------------------------------------------

    def validator_for_pointer(self, pointer: str):
        v = self._validators.get(pointer)
        if v is None:
            v = OAS31Validator(
                {"$ref": SPEC_URI + "#" + pointer},
                registry=self.registry,
                format_checker=Draft202012Validator.FORMAT_CHECKER,
            )
            self._validators[pointer] = v
        return v

    def schema_errors(self, instance: Any, pointer: str):
        v = self.validator_for_pointer(pointer)
        return sorted(v.iter_errors(instance), key=lambda e: list(e.absolute_path))

    def validate_component(self, instance: Any, name: str) -> None:
        """Validate against #/components/schemas/<name>; raise ContractViolation."""
        errors = self.schema_errors(instance, "/components/schemas/" + _pointer_escape(name))
        if errors:
            raise ContractViolation(self._format_errors(f"schema {name}", instance, errors))

    @staticmethod
    def _format_errors(what: str, instance: Any, errors) -> str:
        lines = [f"{what}: {len(errors)} schema violation(s):"]
        for e in errors[:10]:
            where = "/".join(str(p) for p in e.absolute_path) or "(root)"
            lines.append(f"  at {where}: {e.message[:400]}")
        body = json.dumps(instance, ensure_ascii=False)
        lines.append("  body: " + (body if len(body) < 3000 else body[:3000] + "..."))
        return "\n".join(lines)

    # -- operation lookup --------------------------------------------------------------

    def match_path(self, api_path: str) -> Optional[str]:
        for _, template, rx in self._routes:
            if rx.match(api_path):
                return template
        return None

    def _resolve_local(self, obj: Dict[str, Any], pointer: str) -> Tuple[Dict[str, Any], str]:
        seen = 0
        while isinstance(obj, dict) and "$ref" in obj:
            ref = obj["$ref"]
            if not ref.startswith("#/"):
                raise ContractViolation(f"non-local $ref {ref!r} in the OpenAPI document")
            pointer = ref[1:]
            obj = self.spec
            for tok in pointer.lstrip("/").split("/"):
                obj = obj[tok.replace("~1", "/").replace("~0", "~")]
            seen += 1
            if seen > 20:
                raise ContractViolation("$ref loop in the OpenAPI document")
        return obj, pointer

    def check(self, method: str, url: str, status: int, headers, body: bytes) -> Optional[str]:
        """Check one response. Returns the matched path template (None when the path is
        not an API path the document lists). Raises ContractViolation."""
        path = urlsplit(url).path
        if not (path == API_PREFIX or path.startswith(API_PREFIX + "/")):
            return None
        api_path = path[len(API_PREFIX):] or "/"
        template = self.match_path(api_path)
        if template is None:
            return None
        method_l = method.lower()
        item = self.spec["paths"][template]
        op = item.get(method_l)
        if op is None:
            return None
        where = f"{method.upper()} {path} -> {status}"
        responses = op.get("responses", {})
        key = str(status)
        if key not in responses:
            key = f"{str(status)[0]}XX"
            if key not in responses:
                key = "default"
        if key not in responses:
            snippet = body[:500].decode("utf-8", "replace")
            raise ContractViolation(
                f"{where}: status {status} is not documented for this operation "
                f"(documented: {', '.join(sorted(responses))}); body: {snippet!r}"
            )
        base_pointer = "/paths/" + _pointer_escape(template) + "/" + method_l + "/responses/" + _pointer_escape(key)
        response, pointer = self._resolve_local(responses[key], base_pointer)
        content = response.get("content")
        if not content:
            if body and body.strip() and method_l != "head":
                raise ContractViolation(f"{where}: documented without a body, got {body[:200]!r}")
            return template
        ctype = (headers.get("Content-Type") or "").split(";")[0].strip().lower()
        if ctype not in content:
            raise ContractViolation(
                f"{where}: Content-Type {headers.get('Content-Type')!r} is not documented "
                f"(documented: {', '.join(content)}); body: {body[:300]!r}"
            )
        if ctype == "application/json" or ctype.endswith("+json"):
            try:
                instance = json.loads(body.decode("utf-8"))
            except (UnicodeDecodeError, ValueError) as ex:
                raise ContractViolation(f"{where}: body is not valid UTF-8 JSON ({ex}): {body[:300]!r}")
            schema_pointer = pointer + "/content/" + _pointer_escape(ctype) + "/schema"
            errors = self.schema_errors(instance, schema_pointer)
            if errors:
                raise ContractViolation(self._format_errors(where, instance, errors))
        return template
