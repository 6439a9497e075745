"""Linters on the deployment files: hadolint (Dockerfile), actionlint + shellcheck (workflows),
shellcheck (scripts), yamllint (YAML), checkov (rendered manifests, Dockerfile, Terraform,
workflows; offline, every failed check must be fixed or skipped in place with a reason)."""
from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import CHART, ROOT, tool

WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.yml"))
SHELL_SCRIPTS = sorted((ROOT / "deploy" / "scripts").glob("*.sh")) + [ROOT / "scripts" / "deploy-checks.sh"]
YAML_FILES = [ROOT / "compose.yaml", CHART / "values.yaml", CHART / "Chart.yaml",
              *sorted((CHART / "ci").glob("*.yaml")), *WORKFLOWS]


def run(cmd: list[str], **kw) -> subprocess.CompletedProcess:
    return subprocess.run([str(c) for c in cmd], capture_output=True, text=True, cwd=ROOT, **kw)


def shellcheck() -> str:
    found = shutil.which("shellcheck")
    if not found:
        pytest.fail("shellcheck is missing (apt-get install shellcheck; scripts/deploy-checks.sh does it)")
    return found


def test_hadolint_dockerfile():
    proc = run([tool("hadolint"), "--failure-threshold", "info", "Dockerfile"])
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_hadolint_ignores_are_explained():
    """Every `# hadolint ignore=` is preceded by a comment block that says why."""
    text = (ROOT / "Dockerfile").read_text()
    assert "DL3008" in text and "security update" in text
    assert set(re.findall(r"hadolint ignore=(\S+)", text)) <= {"DL3008"}


def test_actionlint_with_shellcheck():
    proc = run([tool("actionlint"), "-shellcheck", shellcheck(), *WORKFLOWS])
    assert proc.returncode == 0, proc.stdout + proc.stderr


@pytest.mark.parametrize("script", SHELL_SCRIPTS, ids=lambda p: p.name)
def test_shellcheck(script):
    proc = run([shellcheck(), "-x", script])
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_yamllint():
    proc = run([tool("yamllint"), "--strict", "-c", ROOT / "tests" / "deploy" / "yamllint.yaml", *YAML_FILES])
    assert proc.returncode == 0, proc.stdout + proc.stderr


def checkov(args: list, tmp_path: Path) -> dict:
    proc = run([tool("checkov"), "--skip-download", "--quiet", "--compact", "-o", "json",
                "--output-file-path", tmp_path, *args], timeout=600)
    report_file = tmp_path / "results_json.json"
    assert report_file.exists(), proc.stdout + proc.stderr
    reports = json.loads(report_file.read_text())
    return {r["check_type"]: r for r in (reports if isinstance(reports, list) else [reports])}


def failures(reports: dict) -> list[str]:
    out = []
    for kind, r in reports.items():
        for f in r.get("results", {}).get("failed_checks", []):
            out.append(f"{kind}: {f['check_id']} {f['check_name']} — {f['resource']} ({f.get('file_path')})")
    return out


def test_checkov_rendered_manifests(rendered_dir, tmp_path):
    reports = checkov(["-d", rendered_dir, "--framework", "kubernetes"], tmp_path)
    assert reports["kubernetes"]["summary"]["passed"] > 100
    assert not failures(reports), "\n".join(failures(reports))
    skipped = reports["kubernetes"]["results"].get("skipped_checks", [])
    assert all(s.get("suppress_comment") for s in skipped), "every skip carries a reason"


def test_checkov_dockerfile_terraform_workflows(tmp_path):
    # checkov ignores -f next to -d: give the Dockerfile a directory of its own.
    docker_dir = tmp_path / "docker"
    docker_dir.mkdir()
    shutil.copy(ROOT / "Dockerfile", docker_dir / "Dockerfile")
    reports = checkov(["-d", ROOT / "deploy" / "terraform", "-d", docker_dir,
                       "-d", ROOT / ".github" / "workflows",
                       "--framework", "terraform", "dockerfile", "github_actions"], tmp_path)
    assert set(reports) >= {"terraform", "dockerfile", "github_actions"}, set(reports)
    assert not failures(reports), "\n".join(failures(reports))
    for r in reports.values():
        for s in r["results"].get("skipped_checks", []):
            assert len(s.get("suppress_comment") or "") > 15, f"{s['check_id']} skipped without a reason"
