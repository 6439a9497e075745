"""Shared fixtures for the deployment checks (tests/deploy).

Everything runs offline: the chart is rendered with helm-python-sdk (Helm's Go SDK in a wheel),
and the linters are the binaries shipped inside their PyPI wheels (installed by
scripts/deploy-checks.sh into .venv-deploy).
"""
from __future__ import annotations

import functools
import os
import re
import shutil
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
CHART = ROOT / "deploy" / "helm" / "redline"
SCENARIOS = sorted(p.stem.removesuffix("-values") for p in (CHART / "ci").glob("*-values.yaml"))
RELEASE = "redline"  # the release name most likely to collide with REDLINE_* variables
NAMESPACE = "redline"
# Two Kubernetes versions: the chart's minimum and a current EKS version.
KUBE_VERSIONS = ["1.30.0", "1.33.0"]


def tool(name: str) -> str:
    """A tool from this venv's bin directory (where the wheels put their binaries) or PATH."""
    candidate = Path(sys.prefix) / "bin" / name
    if candidate.exists():
        return str(candidate)
    found = shutil.which(name)
    if not found:
        pytest.fail(f"{name} is not installed: run scripts/deploy-checks.sh")
    return found


def scenario_values(scenario: str | None) -> dict:
    if scenario is None:
        return {}
    return yaml.safe_load((CHART / "ci" / f"{scenario}-values.yaml").read_text()) or {}


@functools.lru_cache(maxsize=None)
def render_raw(scenario: str | None, release: str = RELEASE) -> tuple[tuple[str, str], ...]:
    import helm_python as helm

    with helm.Chart.load(CHART) as chart:
        out = chart.render(values=scenario_values(scenario), name=release, namespace=NAMESPACE,
                           is_install=True)
    return tuple(sorted((k, v) for k, v in out.items() if not k.endswith("NOTES.txt") and v.strip()))


@functools.lru_cache(maxsize=None)
def _render_docs(scenario: str | None, release: str = RELEASE) -> tuple:
    docs = []
    for source, text in render_raw(scenario, release):
        for doc in yaml.safe_load_all(text):
            if doc:
                doc.setdefault("metadata", {}).setdefault("annotations", {})
                docs.append((source, doc))
    return tuple(docs)


def render_docs(scenario: str | None, release: str = RELEASE) -> list[dict]:
    import copy
    return [copy.deepcopy(d) for _, d in _render_docs(scenario, release)]


def by_kind(docs: list[dict], kind: str) -> list[dict]:
    return [d for d in docs if d.get("kind") == kind]


def pod_spec(doc: dict) -> dict | None:
    kind = doc.get("kind")
    if kind in ("Deployment", "StatefulSet", "DaemonSet", "Job"):
        return doc["spec"]["template"]["spec"]
    if kind == "CronJob":
        return doc["spec"]["jobTemplate"]["spec"]["template"]["spec"]
    return None


def workloads(docs: list[dict]) -> list[dict]:
    return [d for d in docs if pod_spec(d) is not None]


def hook_events(doc: dict) -> set[str]:
    raw = doc["metadata"].get("annotations", {}).get("helm.sh/hook", "")
    return {e.strip() for e in raw.split(",") if e.strip()}


@functools.lru_cache(maxsize=None)
def app_environment_variables() -> frozenset[str]:
    """Every REDLINE_* name Redline's sources mention, plus the runtime contract's list."""
    names = set()
    for path in (ROOT / "Sources").rglob("*.swift"):
        names.update(re.findall(r'"(REDLINE_[A-Z0-9_]+)"', path.read_text(errors="replace")))
    names.update(CONTRACT_VARIABLES)
    return frozenset(names)


# The runtime contract of the `redline` binary (issue 7 / docs/operations.md).
CONTRACT_VARIABLES = {
    "REDLINE_DATABASE_URL", "REDLINE_STORAGE_URL", "REDLINE_REDIS_URL", "REDLINE_CONVERTER_URL",
    "REDLINE_SECRET_KEY", "REDLINE_HOST", "REDLINE_PORT", "REDLINE_DATA_DIR", "REDLINE_MAX_FILE_BYTES",
    "REDLINE_MAX_PAGES", "REDLINE_FETCH_ALLOWLIST", "REDLINE_FRAME_ANCESTORS",
    "REDLINE_WORKER_CONCURRENCY", "REDLINE_CONVERTER_POOL_SIZE", "REDLINE_CONVERTER_TIMEOUT_SECONDS",
    "REDLINE_LOG_LEVEL", "REDLINE_LOG_FORMAT", "REDLINE_CORS_ORIGINS",
    "REDLINE_OTEL_EXPORTER_OTLP_ENDPOINT",
}
AWS_VARIABLES = {
    "AWS_REGION", "AWS_ENDPOINT_URL_S3", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY",
    "AWS_WEB_IDENTITY_TOKEN_FILE", "AWS_ROLE_ARN", "AWS_CONTAINER_CREDENTIALS_FULL_URI",
}


@pytest.fixture(scope="session")
def rendered_dir(tmp_path_factory) -> Path:
    """Every scenario rendered to <dir>/<scenario>/<kind>-<name>.yaml (one object per file)."""
    base = tmp_path_factory.mktemp("rendered")
    for scenario in SCENARIOS:
        target = base / scenario
        target.mkdir()
        for i, doc in enumerate(render_docs(scenario)):
            name = f"{i:03d}-{doc['kind'].lower()}-{doc['metadata']['name']}.yaml"
            (target / name).write_text(yaml.safe_dump(doc, sort_keys=False))
    return base


def pytest_report_header(config):
    return [f"deploy checks: chart scenarios {', '.join(SCENARIOS)}; Kubernetes {', '.join(KUBE_VERSIONS)}"]


os.environ.setdefault("CHECKOV_RUN_SCA_PACKAGE_SCAN_V2", "false")
