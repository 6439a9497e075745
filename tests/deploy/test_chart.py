"""The Helm chart: lint with the schema, render every scenario, validate against two Kubernetes
versions, and assert the pitfalls from the deployment guides in shared/seeds cannot happen."""
from __future__ import annotations

import re
import subprocess

import pytest
import yaml

from conftest import (AWS_VARIABLES, CHART, KUBE_VERSIONS, NAMESPACE, RELEASE, SCENARIOS, app_environment_variables,
                      by_kind, hook_events, pod_spec, render_docs, scenario_values, tool, workloads)

PROBE_PATHS = {"/healthz", "/readyz", "/livez", "/startupz"}
APP_COMPONENTS = {"api", "worker", "scheduler", "converter"}
CRD_GROUPS = ("monitoring.coreos.com/",)


def component(doc: dict) -> str:
    return doc["metadata"].get("labels", {}).get("app.kubernetes.io/component", "")


# ---------------------------------------------------------------- lint, schema, render

@pytest.mark.parametrize("scenario", SCENARIOS)
def test_helm_lint_with_schema(scenario):
    import helm_python as helm
    for kube in KUBE_VERSIONS:
        report = helm.lint(CHART, scenario_values(scenario), strict=True, namespace=NAMESPACE,
                           kube_version=f"v{kube}")
        problems = [m for m in report["messages"] if m["severity"] >= 2] + report.get("errors", [])
        assert not problems, f"helm lint --strict ({scenario}, {kube}): {problems}"


def test_default_values_refuse_to_render_without_required_settings():
    """No insecure defaults: with no values the chart names what is missing instead of
    installing a server with a made-up database URL or secret key."""
    import helm_python as helm
    with helm.Chart.load(CHART) as chart:
        chart.validate_schema({})  # the defaults themselves satisfy the schema
        with pytest.raises(helm.HelmError) as err:
            chart.render(values={}, name=RELEASE, namespace=NAMESPACE, is_install=True)
    assert "secrets.secretKey" in str(err.value) or "config.storageUrl" in str(err.value)


@pytest.mark.parametrize("bad, message", [
    ({"converter": {"startupProbe": {"periodSeconds": 10, "failureThreshold": 6}}}, "at least 180"),
    ({"devBundled": {"enabled": True}}, "initContainer"),
    ({"ingress": {"enabled": True, "host": "x.example.com"}}, "certificateArn"),
    ({"config": {"extraEnv": {"REDLINE_SECRET_KEY": "x" * 40}}}, "Secret"),
    ({"backup": {"enabled": True}}, "backup.target"),
])
def test_guards_fail_the_install(bad, message):
    import helm_python as helm
    values = scenario_values("minimal")
    for key, val in bad.items():
        values[key] = {**values.get(key, {}), **val} if isinstance(val, dict) else val
    with helm.Chart.load(CHART) as chart, pytest.raises(helm.HelmError) as err:
        chart.validate_schema(values)
        chart.render(values=values, name=RELEASE, namespace=NAMESPACE, is_install=True)
    assert message in str(err.value)


@pytest.mark.parametrize("bad", [
    {"secrets": {"secretKey": "too-short"}},
    {"containerSecurityContext": {"runAsNonRoot": True, "allowPrivilegeEscalation": True,
                                  "readOnlyRootFilesystem": True, "capabilities": {"drop": ["ALL"]}}},
    {"config": {"extraEnv": {"REDIS_PORT": "6379"}}},
    {"migrations": {"strategy": "manual"}},
    {"unknownKey": 1},
])
def test_schema_rejects(bad):
    import helm_python as helm
    values = {**scenario_values("minimal"), **bad}
    with helm.Chart.load(CHART) as chart, pytest.raises(helm.HelmValuesError):
        chart.validate_schema(values)


@pytest.mark.parametrize("scenario", SCENARIOS)
@pytest.mark.parametrize("kube", KUBE_VERSIONS)
def test_kubernetes_validate_strict(scenario, kube, rendered_dir):
    files = [str(p) for p in sorted((rendered_dir / scenario).glob("*.yaml"))
             if not yaml.safe_load(p.read_text())["apiVersion"].startswith(CRD_GROUPS)]
    assert files
    run = subprocess.run([tool("kubernetes-validate"), "--strict", "--quiet", "-k", kube, *files],
                         capture_output=True, text=True)
    assert run.returncode == 0, run.stdout + run.stderr


def test_prometheus_operator_objects_are_well_formed():
    docs = render_docs("production-aws")
    monitor, = by_kind(docs, "ServiceMonitor")
    assert monitor["spec"]["endpoints"][0]["path"] == "/metrics"
    rule, = by_kind(docs, "PrometheusRule")
    alerts = {r["alert"]: r for g in rule["spec"]["groups"] for r in g["rules"]}
    assert {"RedlineQueueBacklog", "RedlineComparisonFailureRate", "RedlineHTTP5xxRate",
            "RedlineConverterRestarts"} <= set(alerts)
    for name, r in alerts.items():
        assert r["expr"] and r["labels"]["severity"] in {"warning", "critical"}
        assert "operations.md" in r["annotations"]["description"], name
    # Every alert is explained in the operations guide.
    ops = (CHART.parents[2] / "docs" / "operations.md").read_text()
    for name in alerts:
        assert f"#### {name}" in ops, f"docs/operations.md does not explain {name}"


# ---------------------------------------------------------------- the seeds' pitfalls

@pytest.mark.parametrize("scenario", SCENARIOS)
def test_every_app_deployment_probes_real_endpoints(scenario):
    """Seed: the converter sat in CrashLoopBackOff (400+ restarts) because its HTTP probes hit
    URLs that 404. Every probe here targets an endpoint each role serves, on a declared port."""
    for dep in by_kind(render_docs(scenario), "Deployment"):
        for c in dep["spec"]["template"]["spec"]["containers"]:
            assert "livenessProbe" in c and "readinessProbe" in c, (dep["metadata"]["name"], c["name"])
            ports = {p.get("name") for p in c.get("ports", [])} | {p["containerPort"] for p in c.get("ports", [])}
            for kind in ("livenessProbe", "readinessProbe", "startupProbe"):
                probe = c.get(kind)
                if probe is None:
                    continue
                if component(dep) in APP_COMPONENTS:
                    assert "httpGet" in probe, (dep["metadata"]["name"], kind)
                    assert probe["httpGet"]["path"] in PROBE_PATHS, (dep["metadata"]["name"], kind)
                    assert probe["httpGet"]["port"] in ports, (dep["metadata"]["name"], kind)
                else:  # dev-only bundled services (postgres/valkey/moto)
                    assert component(dep).startswith("dev-")
                    target = probe.get("httpGet") or probe.get("tcpSocket")
                    assert target is None or target["port"] in ports


def test_probe_paths_exist_in_the_sources():
    """The probe paths are routes Redline really registers (not a guess like the seeds')."""
    sources = "\n".join(p.read_text() for p in (CHART.parents[2] / "Sources").rglob("*.swift"))
    for path in PROBE_PATHS:
        assert f'"{path.strip("/")}"' in sources, f"no route {path} in Sources/"


@pytest.mark.parametrize("scenario", SCENARIOS)
def test_converter_startup_probe_allows_libreoffice_first_start(scenario):
    dep, = [d for d in by_kind(render_docs(scenario), "Deployment") if component(d) == "converter"]
    c, = dep["spec"]["template"]["spec"]["containers"]
    s = c["startupProbe"]
    assert s["httpGet"]["path"] == "/startupz"
    assert s["periodSeconds"] * s["failureThreshold"] >= 180
    assert c["livenessProbe"]["httpGet"]["path"] == "/livez"
    assert c["readinessProbe"]["httpGet"]["path"] == "/readyz"


def service_link_variables(service: dict) -> set[str]:
    """The variables Kubernetes injects for a Service when service links are on."""
    prefix = service["metadata"]["name"].upper().replace("-", "_")
    names = {f"{prefix}_SERVICE_HOST", f"{prefix}_SERVICE_PORT", f"{prefix}_PORT"}
    for p in service["spec"]["ports"]:
        proto = p.get("protocol", "TCP")
        base = f"{prefix}_PORT_{p['port']}_{proto}"
        names |= {base, f"{base}_PROTO", f"{base}_PORT", f"{base}_ADDR"}
        if p.get("name"):
            names.add(f"{prefix}_SERVICE_PORT_{p['name'].upper().replace('-', '_')}")
    return names


COLLIDING_PREFIXES = ("REDIS_", "POSTGRES_", "POSTGRESQL_", "PG", "RABBITMQ_", "MINIO_", "VALKEY_", "AWS_", "S3_")


@pytest.mark.parametrize("scenario", SCENARIOS)
@pytest.mark.parametrize("release", [RELEASE, "redis", "postgres", "prod"])
def test_no_service_link_variable_collides(scenario, release):
    """Seed: a Service named `redis` made Kubernetes inject REDIS_PORT=tcp://ip:port, which the
    app parsed as an int. Here every pod sets enableServiceLinks: false, and even if it did not,
    no Service of any release name produces a variable Redline (or a bundled dev image) reads."""
    docs = render_docs(scenario, release)
    for w in workloads(docs):
        assert pod_spec(w).get("enableServiceLinks") is False, w["metadata"]["name"]
    app_vars = app_environment_variables() | AWS_VARIABLES
    for svc in by_kind(docs, "Service"):
        name = svc["metadata"]["name"]
        assert name not in {"redis", "postgres", "postgresql", "valkey", "redline", "minio", "s3"}, name
        injected = service_link_variables(svc)
        assert not injected & app_vars, (name, injected & app_vars)
        if release == RELEASE:
            assert not any(v.startswith(COLLIDING_PREFIXES) for v in injected), (name, injected)


@pytest.mark.parametrize("scenario", [s for s in SCENARIOS if s != "dev-bundled"])
def test_migration_job_is_a_pre_install_pre_upgrade_hook(scenario):
    docs = render_docs(scenario)
    job, = by_kind(docs, "Job")
    assert hook_events(job) == {"pre-install", "pre-upgrade"}
    assert job["spec"]["template"]["spec"]["containers"][0]["args"] == ["migrate"]
    # App pods do not migrate themselves: the hook has already run.
    for dep in by_kind(docs, "Deployment"):
        assert not dep["spec"]["template"]["spec"].get("initContainers")


@pytest.mark.parametrize("scenario", [s for s in SCENARIOS if s != "dev-bundled"])
def test_migration_hook_only_uses_what_exists_at_hook_time(scenario):
    """Classic pitfall: hook Jobs run before the release's regular resources exist. Every Secret,
    ConfigMap and ServiceAccount the Job references is itself a hook of the same events with a
    lower weight, or is the user's pre-existing secrets.existingSecret."""
    docs = render_docs(scenario)
    job, = by_kind(docs, "Job")
    weight = int(job["metadata"]["annotations"]["helm.sh/hook-weight"])
    existing = scenario_values(scenario).get("secrets", {}).get("existingSecret")
    hooks = {(d["kind"], d["metadata"]["name"]): d for d in docs if hook_events(d)}

    def available(kind: str, name: str) -> bool:
        if kind == "Secret" and name == existing:
            return True
        d = hooks.get((kind, name))
        return bool(d) and hook_events(d) >= hook_events(job) and \
            int(d["metadata"]["annotations"]["helm.sh/hook-weight"]) < weight

    spec = pod_spec(job)
    assert available("ServiceAccount", spec["serviceAccountName"])
    for c in spec["containers"]:
        for env in c.get("env", []):
            ref = env.get("valueFrom", {})
            if "secretKeyRef" in ref:
                assert available("Secret", ref["secretKeyRef"]["name"]), env
            assert "configMapKeyRef" not in ref
        for src in c.get("envFrom", []):
            if "secretRef" in src:
                assert available("Secret", src["secretRef"]["name"])
            assert "configMapRef" not in src, "the ConfigMap does not exist yet at pre-install"


def test_dev_bundled_migrates_in_init_containers():
    docs = render_docs("dev-bundled")
    assert not by_kind(docs, "Job")
    for dep in by_kind(docs, "Deployment"):
        if component(dep) in {"api", "worker", "scheduler"}:
            init, = dep["spec"]["template"]["spec"]["initContainers"]
            assert init["args"] == ["migrate"]


@pytest.mark.parametrize("scenario", SCENARIOS)
def test_hpa_managed_deployments_have_no_replicas(scenario):
    docs = render_docs(scenario)
    targets = {h["spec"]["scaleTargetRef"]["name"] for h in by_kind(docs, "HorizontalPodAutoscaler")}
    for dep in by_kind(docs, "Deployment"):
        if dep["metadata"]["name"] in targets:
            assert "replicas" not in dep["spec"], dep["metadata"]["name"]
        else:
            assert dep["spec"].get("replicas", 0) >= 1, dep["metadata"]["name"]
    if scenario == "no-hpa":
        assert not targets
    elif scenario != "dev-bundled":
        assert {t.rsplit("-", 1)[1] for t in targets} == {"api", "worker", "converter"}


@pytest.mark.parametrize("scenario", SCENARIOS)
def test_pod_disruption_budgets(scenario):
    docs = render_docs(scenario)
    pdbs = {p["metadata"]["name"]: p for p in by_kind(docs, "PodDisruptionBudget")}
    for dep in by_kind(docs, "Deployment"):
        if component(dep) in APP_COMPONENTS:
            pdb = pdbs[dep["metadata"]["name"]]
            assert pdb["spec"]["maxUnavailable"] == 1
            assert pdb["spec"]["selector"]["matchLabels"] == dep["spec"]["selector"]["matchLabels"]


@pytest.mark.parametrize("scenario", SCENARIOS)
def test_security_context_everywhere(scenario):
    for w in workloads(render_docs(scenario)):
        spec = pod_spec(w)
        name = w["metadata"]["name"]
        assert spec["automountServiceAccountToken"] is False, name
        assert spec["securityContext"]["runAsNonRoot"] is True, name
        assert spec["securityContext"]["seccompProfile"]["type"] == "RuntimeDefault", name
        for c in spec["containers"] + spec.get("initContainers", []):
            sc = c["securityContext"]
            assert sc["readOnlyRootFilesystem"] is True, (name, c["name"])
            assert sc["allowPrivilegeEscalation"] is False, (name, c["name"])
            assert sc["capabilities"]["drop"] == ["ALL"] and not sc["capabilities"].get("add"), (name, c["name"])
            assert sc.get("privileged", False) is False
            assert c["resources"]["requests"] and c["resources"]["limits"]["memory"], (name, c["name"])
            mounts = {m["mountPath"] for m in c.get("volumeMounts", [])}
            assert "/tmp" in mounts, (name, c["name"], "read-only root needs a writable /tmp")


@pytest.mark.parametrize("scenario", SCENARIOS)
def test_no_persistent_volume_claims(scenario):
    """Seed: pods Pending because PVCs did not bind (gp2 vs gp3 StorageClass). The chart is
    stateless: state lives in RDS/ElastiCache/S3, and dev-bundled services use emptyDir."""
    docs = render_docs(scenario)
    assert not by_kind(docs, "PersistentVolumeClaim") and not by_kind(docs, "StatefulSet")
    for w in workloads(docs):
        for v in pod_spec(w).get("volumes", []):
            assert "persistentVolumeClaim" not in v


SECRETISH = re.compile(r"(SECRET|PASSWORD|TOKEN|DATABASE_URL|REDIS_URL|ACCESS_KEY)", re.I)


@pytest.mark.parametrize("scenario", SCENARIOS)
def test_no_secrets_in_config_maps(scenario):
    for cm in by_kind(render_docs(scenario), "ConfigMap"):
        for key, value in cm.get("data", {}).items():
            assert not SECRETISH.search(key), key
            assert not re.search(r"://[^/\s]*:[^@/\s]+@", str(value)), f"credentials in {key}"


@pytest.mark.parametrize("scenario", SCENARIOS)
def test_chart_sets_only_variables_redline_reads(scenario):
    """Typos in variable names would be silently ignored; every REDLINE_* the chart sets is one
    the binary reads (its sources or the runtime contract)."""
    known = app_environment_variables() | AWS_VARIABLES | {"REDLINE_BACKUP_TARGET"}
    docs = render_docs(scenario)
    names = set()
    for cm in by_kind(docs, "ConfigMap"):
        names |= set(cm.get("data", {}))
    for sec in by_kind(docs, "Secret"):
        names |= set(sec.get("stringData", {}))
    for w in workloads(docs):
        for c in pod_spec(w)["containers"] + pod_spec(w).get("initContainers", []):
            names |= {e["name"] for e in c.get("env", [])}
    redline_names = {n for n in names if n.startswith(("REDLINE_", "AWS_"))}
    assert redline_names <= known, redline_names - known


def test_existing_secret_required_keys_are_not_optional():
    """Seed: CreateContainerConfigError from missing Secret keys. Required keys are plain
    secretKeyRefs, used by the migration hook first, so a missing key fails the install before any
    app pod exists; the chart also checks the keys itself when it can read the Secret (lookup)."""
    docs = render_docs("production-aws")
    for w in workloads(docs):
        for c in pod_spec(w)["containers"]:
            for e in c.get("env", []):
                ref = e.get("valueFrom", {}).get("secretKeyRef")
                if ref and ref["key"] in {"REDLINE_DATABASE_URL", "REDLINE_SECRET_KEY"}:
                    assert not ref.get("optional"), (w["metadata"]["name"], e["name"])
    template = (CHART / "templates" / "validate.yaml").read_text()
    assert 'lookup "v1" "Secret"' in template and "CreateContainerConfigError" in template


def test_irsa_and_pod_identity_for_every_role():
    """Seed: the Compare service could not use IRSA (missing AWSSDK.SecurityToken) and needed
    static keys on the `default` ServiceAccount. Every Redline pod uses the one ServiceAccount
    (IRSA-annotated), and the S3 client signs with whatever the standard chain provides."""
    docs = render_docs("production-aws")
    sa, = [s for s in by_kind(docs, "ServiceAccount") if not hook_events(s)]
    assert sa["metadata"]["annotations"]["eks.amazonaws.com/role-arn"].startswith("arn:aws:iam::")
    for w in workloads(docs):
        if component(w) in APP_COMPONENTS | {"backup"}:
            assert pod_spec(w)["serviceAccountName"] == sa["metadata"]["name"]
    s3_sources = "\n".join(p.read_text() for p in (CHART.parents[2] / "Sources" / "RedlineS3").glob("*.swift"))
    assert "AWS_WEB_IDENTITY_TOKEN_FILE" in s3_sources or "WebIdentity" in s3_sources, \
        "RedlineS3 should read IRSA web-identity credentials"


def test_alb_ingress():
    ing, = by_kind(render_docs("production-aws"), "Ingress")
    a = ing["metadata"]["annotations"]
    assert ing["spec"]["ingressClassName"] == "alb"
    assert a["alb.ingress.kubernetes.io/healthcheck-path"] == "/healthz"
    assert a["alb.ingress.kubernetes.io/ssl-redirect"] == "443"
    assert a["alb.ingress.kubernetes.io/certificate-arn"].startswith("arn:aws:acm:")
    assert a["alb.ingress.kubernetes.io/target-type"] == "ip"
    assert ing["spec"]["rules"][0]["http"]["paths"][0]["backend"]["service"]["name"].endswith("-api")


def test_cert_manager_ingress():
    ing, = by_kind(render_docs("cert-manager"), "Ingress")
    assert ing["metadata"]["annotations"]["cert-manager.io/cluster-issuer"] == "letsencrypt-prod"
    assert ing["spec"]["tls"][0]["hosts"] == ["redline.example.org"]
    assert ing["spec"]["ingressClassName"] == "nginx"


def test_no_host_allowlist_for_alb_health_checks_to_trip_on():
    """Seed: Django's DisallowedHost because ALB health checks send the pod IP as Host. Redline
    has no Host allowlist setting; if one is ever added, this test asks for the docs/chart to
    handle health checks."""
    sources = "\n".join(p.read_text() for p in (CHART.parents[2] / "Sources").rglob("*.swift"))
    assert "ALLOWED_HOSTS" not in sources


@pytest.mark.parametrize("scenario", SCENARIOS)
def test_network_policies(scenario):
    docs = render_docs(scenario)
    policies = {p["metadata"]["name"].removeprefix(f"{RELEASE}-"): p for p in by_kind(docs, "NetworkPolicy")}
    deny = policies["default-deny"]
    assert set(deny["spec"]["policyTypes"]) == {"Ingress", "Egress"} and "ingress" not in deny["spec"]
    conv = policies["converter-ingress"]["spec"]["ingress"][0]["from"][0]["podSelector"]
    assert conv["matchExpressions"][0]["values"] == ["api", "worker"]
    assert "converter-egress" not in policies  # LibreOffice on untrusted files gets no egress


def test_backup_cronjob():
    cron, = by_kind(render_docs("production-aws"), "CronJob")
    spec = pod_spec(cron)
    c, = spec["containers"]
    assert c["image"].split("@")[0].split(":")[0].endswith("redline-backup")
    assert {"name": "REDLINE_BACKUP_TARGET", "value": "s3://redline-prod-backups-123456789012/postgres"} in c["env"]
    assert cron["spec"]["concurrencyPolicy"] == "Forbid"
