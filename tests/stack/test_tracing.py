"""OpenTelemetry across the roles: one comparison is one trace, from the API request through the
job queue to the worker's stages and the converter role, exported over OTLP/HTTP to a receiver
in this test, flushed when the roles shut down, and joined to the JSON logs by trace id."""

from __future__ import annotations

import json

import pytest
import requests
from draftable import Client, make_side

from conftest import Stack, wait_ready
from otlp_receiver import OTLPReceiver

INTERNAL, SERVER, CLIENT, CONSUMER = 1, 2, 3, 5  # OTLP span kinds


@pytest.fixture(scope="module")
def traced():
    receiver = OTLPReceiver().start()
    stack = Stack(extra_env={
        # The Helm chart's variable (config.otelExporterOtlpEndpoint) for most roles…
        "REDLINE_OTEL_EXPORTER_OTLP_ENDPOINT": receiver.endpoint,
        # Nothing is exported on a timer during the test: every span arrives through the flush on shutdown.
        "OTEL_BSP_SCHEDULE_DELAY": "600000",
        "REDLINE_LOG_FORMAT": "json",
    })
    converter = stack.role("converter", "converter", port=stack.converter_port)
    # …and the standard OpenTelemetry one for the converter: both must lead to the same receiver.
    converter.env = {k: v for k, v in stack.env.items() if k != "REDLINE_OTEL_EXPORTER_OTLP_ENDPOINT"}
    converter.env["OTEL_EXPORTER_OTLP_ENDPOINT"] = receiver.endpoint
    converter.start()
    stack.role("api", "serve", "--api-only").start()
    stack.role("worker-1", "worker").start()
    yield stack, receiver
    stack.close()
    receiver.stop()


def test_one_trace_covers_api_worker_and_converter(traced, tmp_path):
    stack, receiver = traced
    account = stack.account()
    client = Client(account["account_id"], account["auth_token"], f"http://127.0.0.1:{stack.roles['api'].port}/api/v1")
    left, right = tmp_path / "left.rtf", tmp_path / "right.rtf"
    left.write_text(r"{\rtf1\ansi{\fonttbl{\f0 Carlito;}}\f0\fs24 Delivery within 10 days.\par}")
    right.write_text(r"{\rtf1\ansi{\fonttbl{\f0 Carlito;}}\f0\fs24 Delivery within 12 days.\par}")
    created = client.comparisons.create(make_side(str(left)), make_side(str(right)))
    done = wait_ready(client, created.identifier)
    assert done.failed is False, done.error_message
    assert not [s for s in receiver.snapshot() if s.name == "job.compare"], "spans were exported before shutdown: the flush is not tested"

    codes = {name: role.stop() for name, role in stack.roles.items()}
    assert codes == {name: 0 for name in codes}, f"roles did not shut down cleanly: {codes}"

    spans = receiver.snapshot()
    creates = [s for s in spans if s.name == "comparison.create" and s.attributes.get("redline.comparison.identifier") == created.identifier]
    assert len(creates) == 1, f"no comparison.create span for {created.identifier}: {[s.name for s in spans]}"
    trace = [s for s in spans if s.trace_id == creates[0].trace_id]
    by_id = {s.span_id: s for s in trace}
    assert {s.service for s in trace} == {"redline-api", "redline-worker", "redline-converter"}

    # API: the request's server span is the parent of create.
    request = by_id[creates[0].parent_span_id]
    assert request.service == "redline-api" and request.kind == SERVER and request.name.endswith("/comparisons")
    # Queue: the worker's job span continues from create (the traceparent stored with the job).
    jobs = [s for s in trace if s.name == "job.compare"]
    assert len(jobs) == 1 and jobs[0].kind == CONSUMER and jobs[0].parent_span_id == creates[0].span_id
    # Worker stages, each a child of the job span.
    stages = [s for s in trace if s.service == "redline-worker" and s.parent_span_id == jobs[0].span_id and s.kind == INTERNAL]
    assert sorted(s.name for s in stages) == ["convert", "convert", "diff", "extract", "render"]
    assert sorted(s.attributes["redline.side"] for s in stages if s.name == "convert") == ["left", "right"]
    # Converter: its server spans continue the worker's convert spans through the HTTP client's span
    # (async-http-client sends the traceparent of its client span).
    converted = [s for s in trace if s.service == "redline-converter"]
    assert len(converted) == 2 and all(s.kind == SERVER and s.name == "/convert" for s in converted)
    calls = [by_id[s.parent_span_id] for s in converted]
    assert all(call.kind == CLIENT and call.name == "POST" for call in calls)
    assert sorted(by_id[call.parent_span_id].attributes["redline.side"] for call in calls) == ["left", "right"]

    # JSON logs written inside a span carry its ids.
    ready = [json.loads(line) for line in stack.roles["worker-1"].text().splitlines()
             if line.startswith("{") and '"comparison ready"' in line and created.identifier in line]
    assert ready and ready[0]["trace_id"] == creates[0].trace_id and ready[0]["span_id"] == jobs[0].span_id


def test_standard_opt_out_exports_nothing(tmp_path):
    """OTEL_TRACES_EXPORTER=none wins over a configured endpoint: no spans, no trace ids in logs."""
    receiver = OTLPReceiver().start()
    stack = Stack(extra_env={
        "REDLINE_LOG_FORMAT": "json", "OTEL_EXPORTER_OTLP_ENDPOINT": receiver.endpoint,
        "OTEL_TRACES_EXPORTER": "none", "OTEL_BSP_SCHEDULE_DELAY": "100",
    })
    try:
        api = stack.role("api", "serve", "--api-only").start()
        account = stack.account()
        listed = requests.get(f"http://127.0.0.1:{api.port}/api/v1/comparisons",
                              headers={"Authorization": f"Token {account['auth_token']}"}, timeout=10)
        assert listed.status_code == 200
        assert api.stop() == 0
        assert receiver.requests == 0 and receiver.snapshot() == []
        assert "trace_id" not in api.text()
    finally:
        stack.close()
        receiver.stop()
