#!/usr/bin/env python3
"""Generates Tests/RedlineS3Tests/SigV4Vectors.swift: SigV4 signatures computed by botocore.

The JSON fixture is embedded in a Swift string literal so the test target needs no resources
(SwiftPM would warn about an undeclared .json file).

The Swift SigV4Signer must reproduce every Authorization header and pre-signed URL here. Inputs are
the raw bucket/key/query values; the URL is built with S3's encoding rules (RFC 3986 unreserved
characters kept, '/' kept in keys), which the Swift addressing code must also reproduce.

    python3 -m venv /tmp/v && /tmp/v/bin/pip install botocore
    /tmp/v/bin/python tests/s3sig/make_vectors.py > Tests/RedlineS3Tests/SigV4Vectors.swift
"""
import datetime
import hashlib
import json
import sys
from types import SimpleNamespace
from unittest import mock
from urllib.parse import quote

from botocore.auth import S3SigV4Auth, S3SigV4QueryAuth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

FIXED = datetime.datetime(2024, 5, 17, 9, 30, 45)  # naive UTC, as botocore expects
ACCESS_KEY = "AKIDEXAMPLE"
SECRET_KEY = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
TOKEN = "IQoJb3JpZ2luX2VjEAAaCXVzLWVhc3QtMSJGMEQCIFAKE/TOKEN+with=chars"


def url_for(vector):
    key = quote(vector["key"], safe="/~")
    if vector["style"] == "virtual":
        scheme, host = vector["endpoint"].split("://")
        base = f"{scheme}://{vector['bucket']}.{host}/{key}"
    else:
        base = f"{vector['endpoint']}/{vector['bucket']}" + (f"/{key}" if key else "")
    query = vector.get("query", [])
    if query:
        base += "?" + "&".join(f"{quote(k, safe='-_.~')}={quote(v, safe='-_.~')}" for k, v in query)
    return base


def sign(vector):
    creds = Credentials(ACCESS_KEY, SECRET_KEY, TOKEN if vector.get("session_token") else None)
    body = vector.get("body", "").encode()
    request = AWSRequest(method=vector["method"], url=url_for(vector), data=body or None, headers=dict(vector.get("headers", {})))
    signing = vector.get("payload", "signed") == "signed"
    request.context["client_config"] = SimpleNamespace(s3={"payload_signing_enabled": signing})
    with mock.patch("botocore.auth.get_current_datetime", return_value=FIXED):
        if "presign_expires" in vector:
            S3SigV4QueryAuth(creds, "s3", vector["region"], expires=vector["presign_expires"]).add_auth(request)
            vector["expected_url"] = request.url
        else:
            S3SigV4Auth(creds, "s3", vector["region"]).add_auth(request)
            vector["expected_authorization"] = request.headers["Authorization"]
            vector["expected_payload_hash"] = request.headers["X-Amz-Content-SHA256"]
    vector["url"] = url_for(vector)
    return vector


VECTORS = [
    dict(name="get virtual-host", method="GET", endpoint="https://s3.us-east-1.amazonaws.com", style="virtual",
         bucket="redline-docs", key="acct/cmp1/left.pdf", region="us-east-1"),
    dict(name="put path-style custom endpoint with spaces", method="PUT", endpoint="http://127.0.0.1:9000", style="path",
         bucket="my.bucket", key="a b/c  d.txt", region="us-east-1", body="hello world",
         headers={"Content-Type": "text/plain"}),
    dict(name="delete unicode key", method="DELETE", endpoint="https://s3.eu-west-3.amazonaws.com", style="virtual",
         bucket="redline-eu", key="résumé/日本語 ファイル.pdf", region="eu-west-3"),
    dict(name="head special characters", method="HEAD", endpoint="https://s3.us-west-2.amazonaws.com", style="virtual",
         bucket="bucket", key="weird!'()*+,;=&$@:key~_-.txt", region="us-west-2"),
    dict(name="list objects v2 with query", method="GET", endpoint="https://s3.us-east-1.amazonaws.com", style="virtual",
         bucket="redline-docs", key="", region="us-east-1",
         query=[("list-type", "2"), ("prefix", "acct/x y/"), ("continuation-token", "1ab+/c=="), ("max-keys", "1000"),
                ("encoding-type", "url")]),
    dict(name="put with session token unsigned payload", method="PUT", endpoint="https://s3.ap-southeast-2.amazonaws.com",
         style="virtual", bucket="redline-au", key="acct/blob", region="ap-southeast-2", body="payload bytes",
         payload="unsigned", session_token=True),
    dict(name="create multipart upload", method="POST", endpoint="http://minio.local:9000", style="path",
         bucket="docs", key="big/file.bin", region="us-east-1", query=[("uploads", "")]),
    dict(name="upload part", method="PUT", endpoint="http://minio.local:9000", style="path", bucket="docs",
         key="big/file.bin", region="us-east-1", query=[("partNumber", "3"), ("uploadId", "abc/def+ghi=")],
         body="part-three-data", session_token=True),
    dict(name="delete objects", method="POST", endpoint="https://s3.us-east-1.amazonaws.com", style="virtual",
         bucket="redline-docs", key="", region="us-east-1", query=[("delete", "")],
         body="<Delete><Object><Key>a</Key></Object><Quiet>true</Quiet></Delete>",
         headers={"Content-MD5": "q6Yv8y5Xg2dZt3hA7o0b2A==", "Content-Type": "application/xml"}),
    dict(name="ranged get", method="GET", endpoint="https://s3.us-east-1.amazonaws.com", style="virtual",
         bucket="redline-docs", key="acct/page 1.png", region="us-east-1", headers={"Range": "bytes=100-199"}),
    dict(name="get default https port path-style", method="GET", endpoint="https://storage.example.com", style="path",
         bucket="b", key="k/with/trailing/", region="auto"),
    dict(name="presign get virtual-host", method="GET", endpoint="https://s3.us-east-1.amazonaws.com", style="virtual",
         bucket="redline-docs", key="acct/cmp1/result.pdf", region="us-east-1", presign_expires=3600),
    dict(name="presign get path-style with token and unicode", method="GET", endpoint="http://127.0.0.1:5000", style="path",
         bucket="test-bucket", key="dossier/été 2024/plan (v2).pdf", region="eu-central-1", presign_expires=600,
         session_token=True),
    dict(name="presign get with response override", method="GET", endpoint="https://s3.us-east-1.amazonaws.com",
         style="virtual", bucket="redline-docs", key="x.pdf", region="us-east-1", presign_expires=86400,
         query=[("response-content-disposition", 'attachment; filename="a b.pdf"')]),
]

if __name__ == "__main__":
    out = {
        "timestamp": FIXED.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "access_key": ACCESS_KEY,
        "secret_key": SECRET_KEY,
        "session_token": TOKEN,
        "vectors": [sign(dict(v, query=[list(q) for q in v.get("query", [])])) for v in VECTORS],
    }
    text = json.dumps(out, indent=2, ensure_ascii=False)
    assert '"""#' not in text
    sys.stdout.write("// Generated by tests/s3sig/make_vectors.py from botocore's S3SigV4Auth / S3SigV4QueryAuth. Do not edit.\n")
    sys.stdout.write("let sigV4VectorsJSON = #\"\"\"\n" + text + "\n\"\"\"#\n")
