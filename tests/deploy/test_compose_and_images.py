"""compose.yaml structure and the Dockerfile's promises (Docker itself cannot run here)."""
from __future__ import annotations

import re

import pytest
import yaml

from conftest import ROOT

COMPOSE = yaml.safe_load((ROOT / "compose.yaml").read_text())
SERVICES = COMPOSE["services"]
DOCKERFILE = (ROOT / "Dockerfile").read_text()
APP = ["api", "worker", "scheduler"]


def stages() -> dict[str, str]:
    parts = re.split(r"^FROM ", DOCKERFILE, flags=re.M)[1:]
    return {p.split("\n", 1)[0].split(" AS ")[1].strip(): "FROM " + p for p in parts}


# ------------------------------------------------------------------------- compose

def test_compose_runs_the_whole_stack():
    assert {"postgres", "valkey", "s3", "migrate", "api", "worker", "scheduler", "converter"} <= set(SERVICES)


def test_compose_migrate_completes_before_app_services():
    assert SERVICES["migrate"]["command"] == ["migrate"]
    assert SERVICES["migrate"]["restart"] == "no"
    assert SERVICES["migrate"]["depends_on"]["postgres"]["condition"] == "service_healthy"
    for name in APP:
        deps = SERVICES[name]["depends_on"]
        assert deps["migrate"]["condition"] == "service_completed_successfully", name
        assert deps["valkey"]["condition"] == "service_healthy", name
        assert deps["converter"]["condition"] == "service_healthy", name


@pytest.mark.parametrize("name", ["postgres", "valkey", "s3", "api", "worker", "scheduler", "converter"])
def test_compose_healthchecks(name):
    hc = SERVICES[name]["healthcheck"]
    assert hc["test"][0] in ("CMD", "CMD-SHELL") and hc["retries"] >= 3
    if name in APP:
        assert hc["test"][-1].endswith("/readyz")
    if name == "converter":
        assert hc["test"][-1].endswith(":8081/startupz")
        assert int(hc["start_period"].rstrip("s")) >= 180


@pytest.mark.parametrize("name", APP + ["migrate", "converter"])
def test_compose_hardening(name):
    svc = SERVICES[name]
    assert svc["read_only"] is True and svc["cap_drop"] == ["ALL"]
    assert any(t.startswith("/tmp") for t in svc["tmpfs"])
    assert svc["user"] == "10001:10001"
    assert "no-new-privileges:true" in svc["security_opt"]


def test_compose_config_uses_only_redline_and_aws_variables():
    env = SERVICES["api"]["environment"]
    assert all(k.startswith(("REDLINE_", "AWS_")) for k in env)
    assert env["REDLINE_CONVERTER_URL"] == "http://converter:8081"
    assert env["REDLINE_DATABASE_URL"].startswith("postgres://")
    assert SERVICES["api"]["ports"] == ["127.0.0.1:8080:8080"]


def test_compose_build_targets_exist():
    targets = set(stages())
    for name, svc in SERVICES.items():
        if "build" in svc:
            assert svc["build"]["target"] in targets, name


# ------------------------------------------------------------------------- Dockerfile

def test_dockerfile_targets():
    assert list(stages()) == ["build", "runtime-base", "converter", "backup", "redline"], \
        "the default image (last stage) is `redline`"


def test_base_images_pinned_by_exact_tag():
    for line in re.findall(r"^FROM (\S+)", DOCKERFILE, flags=re.M):
        if line in stages():
            continue
        image, _, tag = line.partition(":")
        assert tag and tag != "latest", line
    assert "swift:6.3-bookworm" in DOCKERFILE and "debian:bookworm-slim" in DOCKERFILE
    assert "@sha256:<digest>" in DOCKERFILE, "how to pin digests is documented in the file"


def test_runtime_images_are_non_root_with_healthchecks():
    s = stages()
    for name in ("redline", "converter"):
        assert "HEALTHCHECK" in s[name] and "/healthz" in s[name], name
    for name in ("runtime-base", "converter", "backup"):
        users = re.findall(r"^USER (\S+)", s[name], flags=re.M)
        assert users and users[-1] == "10001:10001", name
    # curl (used by HEALTHCHECK) is installed in the runtime image.
    assert re.search(r"install[^\n]*\\\n\s+ca-certificates curl", s["runtime-base"])


def test_build_stage_copies_resource_bundles_next_to_the_binary():
    build = stages()["build"]
    assert "swift build -c release --product redline" in build
    assert "*.resources" in build and "/out/" in build
    assert "COPY --from=build /out/ /app/" in stages()["runtime-base"]


def test_packages_of_the_runtime_contract():
    s = stages()
    for pkg in ("pkg-config", "libpoppler-glib-dev", "libcairo2-dev"):
        assert pkg in s["build"]
    for pkg in ("libpoppler-glib8", "libcairo2", "poppler-utils", "qpdf", "fonts-dejavu-core", "fonts-liberation2",
                "fonts-crosextra-carlito", "fonts-crosextra-caladea"):
        assert pkg in s["runtime-base"], pkg
    for pkg in ("libreoffice-writer-nogui", "libreoffice-impress-nogui", "python3-uno"):
        assert pkg in s["converter"], pkg


def test_writable_paths_are_under_tmp():
    base = stages()["runtime-base"]
    for var in ("HOME=/tmp/redline", "TMPDIR=/tmp", "REDLINE_DATA_DIR=/tmp/redline", "REDLINE_HOST=0.0.0.0"):
        assert var in base


def test_dockerignore_keeps_context_small_and_secret_free():
    ignored = (ROOT / ".dockerignore").read_text().split()
    for entry in (".git", ".build", "*.tfstate", ".env", "redline-data", "docs"):
        assert entry in ignored, entry
    assert "Sources" not in ignored and "Tests" not in ignored and "deploy/scripts" not in ignored
