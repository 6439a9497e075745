"""Terraform: fmt, init against a local provider directory, validate, and `terraform test` with a
mock provider. Skips with a notice where no Terraform or local AWS provider is available (and
REDLINE_TERRAFORM_ONLINE=1 is not set to allow a normal registry init, as on GitHub runners)."""
from __future__ import annotations

import glob
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import ROOT

MODULES = ["aws", "ecs"]


def plugin_dir() -> str | None:
    for pattern in ("/opt/tf-plugins", "/usr/share/terraform/plugins", str(Path.home() / ".terraform.d" / "plugins")):
        for d in glob.glob(pattern):
            if glob.glob(f"{d}/registry.terraform.io/hashicorp/aws/*/*/terraform-provider-aws*"):
                return d
    return None


@pytest.fixture(scope="module")
def terraform():
    binary = shutil.which("terraform")
    online = os.environ.get("REDLINE_TERRAFORM_ONLINE") == "1"
    if not binary:
        pytest.skip("NOTICE: terraform is not installed; Terraform checks skipped")
    plugins = plugin_dir()
    if not plugins and not online:
        pytest.skip("NOTICE: no local AWS provider plugin directory; Terraform init/validate/test skipped")
    return binary, plugins


def tf(binary: str, workdir: Path, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "TF_IN_AUTOMATION": "1", "TF_INPUT": "0", "CHECKPOINT_DISABLE": "1",
           "TF_DATA_DIR": str(workdir / ".terraform")}
    if not Path(env.get("TF_CLI_CONFIG_FILE", "/dev/null")).exists():
        env["TF_CLI_CONFIG_FILE"] = "/dev/null"
    return subprocess.run([binary, *args], cwd=workdir, env=env, capture_output=True, text=True, timeout=600)


@pytest.mark.parametrize("module", MODULES)
def test_terraform_fmt(module, terraform):
    proc = tf(terraform[0], ROOT / "deploy" / "terraform" / module, "fmt", "-check", "-recursive", "-diff")
    assert proc.returncode == 0, proc.stdout + proc.stderr


@pytest.mark.parametrize("module", MODULES)
def test_terraform_init_validate_test(module, terraform, tmp_path):
    binary, plugins = terraform
    work = tmp_path / module
    shutil.copytree(ROOT / "deploy" / "terraform" / module, work,
                    ignore=shutil.ignore_patterns(".terraform", ".terraform.lock.hcl", "*.tfstate*"))
    init = ["init", "-backend=false", "-no-color"] + ([f"-plugin-dir={plugins}"] if plugins else [])
    for args in (init, ["validate", "-no-color"], ["test", "-no-color"]):
        proc = tf(binary, work, *args)
        assert proc.returncode == 0, f"terraform {args[0]}:\n{proc.stdout}\n{proc.stderr}"
    assert "0 failed" in proc.stdout
