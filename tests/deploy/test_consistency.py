"""Facts stated in several deployment files agree, and the operations guide covers every pitfall
of the field guides in shared/seeds (and every alert)."""
from __future__ import annotations

import re

import pytest
import yaml

from conftest import CHART, ROOT

OPS = (ROOT / "docs" / "operations.md").read_text()


def test_postgres_major_versions_agree():
    """pg_dump refuses a server of a newer major version: RDS, compose, the dev-bundled database
    and the backup image's client must move together."""
    dockerfile = re.search(r"postgresql-client-(\d+)", (ROOT / "Dockerfile").read_text()).group(1)
    compose = yaml.safe_load((ROOT / "compose.yaml").read_text())["services"]["postgres"]["image"]
    compose_major = re.match(r"postgres:(\d+)", compose).group(1)
    tf = (ROOT / "deploy" / "terraform" / "aws" / "variables.tf").read_text()
    rds = re.search(r'variable "postgres_engine_version".*?default\s*=\s*"(\d+)', tf, re.S).group(1)
    dev = yaml.safe_load((CHART / "values.yaml").read_text())["devBundled"]["postgresql"]["image"]
    dev_major = re.match(r"postgres:(\d+)", dev).group(1)
    assert dockerfile == compose_major == rds == dev_major, (dockerfile, compose_major, rds, dev_major)


def test_image_names_agree():
    tf = (ROOT / "deploy" / "terraform" / "aws" / "storage.tf").read_text()
    repos = set(re.search(r'toset\(\[("redline".*?)\]\)', tf).group(1).replace('"', "").replace(" ", "").split(","))
    assert repos == {"redline", "redline-converter", "redline-backup"}
    values = yaml.safe_load((CHART / "values.yaml").read_text())
    assert {values[k]["repository"] for k in ("image", "converterImage", "backupImage")} == repos
    deploy = (ROOT / ".github" / "workflows" / "deploy.yml").read_text()
    for repo in repos:
        assert f"$PREFIX/{repo}" in deploy


def test_compose_and_chart_images_of_dev_services_agree():
    compose = yaml.safe_load((ROOT / "compose.yaml").read_text())["services"]
    dev = yaml.safe_load((CHART / "values.yaml").read_text())["devBundled"]
    assert compose["postgres"]["image"] == dev["postgresql"]["image"]
    assert compose["valkey"]["image"] == dev["valkey"]["image"]
    assert compose["s3"]["image"] == dev["s3"]["image"]


# Each pitfall named in the seed guides, and the words the troubleshooting table must use for it.
PITFALLS = {
    "PVC pending / gp2 vs gp3": ["Pending", "gp2", "gp3"],
    "CreateContainerConfigError": ["CreateContainerConfigError"],
    "IRSA unsupported by one component": ["AWSSDK.SecurityToken", "IRSA"],
    "viewer CORS": ["CORS"],
    "DisallowedHost from ALB health checks": ["DisallowedHost", "/healthz"],
    "REDIS_PORT service-link clash": ["REDIS_PORT", "enableServiceLinks"],
    "converter CrashLoopBackOff, probes 404": ["CrashLoopBackOff", "404", "/startupz"],
    "LibreOffice exit code 81": ["exit code 81"],
    "hand-run migrations": ["Migrations run by hand"],
    "managed services": ["managed services", "RDS", "ElastiCache"],
    "region variable names": ["AWS_S3_REGION_NAME"],
    "mutable latest tags": ["latest", "IMMUTABLE"],
    "long-lived CI keys": ["OIDC"],
    "cert-manager vs ALB": ["cert-manager", "ACM"],
    "bastion host": ["bastion"],
    "pg_dump version mismatch": ["server version mismatch"],
}


@pytest.mark.parametrize("pitfall", PITFALLS)
def test_troubleshooting_table_covers_pitfall(pitfall):
    table = OPS.split("## Troubleshooting", 1)[1].split("## Checks", 1)[0]
    for word in PITFALLS[pitfall]:
        assert word in table, f"{pitfall}: '{word}' missing from docs/operations.md troubleshooting"


def test_guide_names_tests_that_exist():
    sources = "\n".join(p.read_text() for p in (ROOT / "tests" / "deploy").glob("test_*.py"))
    for name in set(re.findall(r"`(test_[a-z0-9_]+)`", OPS)):
        assert f"def {name}(" in sources, f"docs/operations.md cites {name}, which does not exist"


def test_guide_sections():
    for heading in ("## Install on AWS (EKS): two commands", "## Upgrade", "## Rollback", "## Backup and restore",
                    "## Scaling", "## Monitoring", "## Troubleshooting"):
        assert heading in OPS
