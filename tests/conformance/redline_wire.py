"""Request bodies byte-for-byte as the official .NET, Java, Python and Node clients send them.

Only the Python client can be installed here, so the other clients' wire formats are
rebuilt by hand from their source:
  .NET (HttpClient): URL-only sides -> FormUrlEncodedContent (keys and values escaped like
    Uri.EscapeDataString, spaces as '+', Content-Type without charset). With files ->
    MultipartFormDataContent: quoted GUID boundary in the header; text parts carry
    `Content-Type: text/plain; charset=utf-8` and an UNQUOTED token name
    (`name=left.file_type`); file parts use the key as both name and filename:
    `name=left.file; filename=left.file; filename*=utf-8''left.file`, no Content-Type.
  Java (Apache MultipartEntityBuilder, BROWSER_COMPATIBLE, UTF-8): always multipart;
    `multipart/form-data; boundary=<30-40 chars>; charset=UTF-8`; text parts have only a
    quoted Content-Disposition; file parts `filename="filename"` and
    `Content-Type: application/octet-stream`.
  Python (requests): multipart via requests' own encoder (quoted names, filename
    `left.<type>`, `application/octet-stream`), booleans as `True`/`False`.
"""

from __future__ import annotations

import random
import string
import uuid
from typing import List, Tuple
from urllib.parse import quote

Fields = List[Tuple[str, str]]
Files = List[Tuple[str, bytes]]


def dotnet_form(fields: Fields) -> Tuple[bytes, str]:
    def esc(s: str) -> str:
        return quote(s, safe="-_.~").replace("%20", "+")

    body = "&".join(f"{esc(k)}={esc(v)}" for k, v in fields)
    return body.encode("ascii"), "application/x-www-form-urlencoded"


def dotnet_multipart(fields: Fields, files: Files) -> Tuple[bytes, str]:
    boundary = str(uuid.uuid4())
    out = bytearray()
    for key, value in fields:
        out += f"--{boundary}\r\n".encode()
        out += b"Content-Type: text/plain; charset=utf-8\r\n"
        out += f"Content-Disposition: form-data; name={key}\r\n\r\n".encode()
        out += value.encode("utf-8") + b"\r\n"
    for key, data in files:
        out += f"--{boundary}\r\n".encode()
        out += f"Content-Disposition: form-data; name={key}; filename={key}; filename*=utf-8''{key}\r\n\r\n".encode()
        out += data + b"\r\n"
    out += f"--{boundary}--\r\n".encode()
    return bytes(out), f'multipart/form-data; boundary="{boundary}"'


def java_multipart(fields: Fields, files: Files) -> Tuple[bytes, str]:
    alphabet = "-_1234567890" + string.ascii_letters
    boundary = "".join(random.choice(alphabet) for _ in range(random.randint(30, 40)))
    out = bytearray()
    for key, value in fields:
        out += f"--{boundary}\r\n".encode()
        out += f'Content-Disposition: form-data; name="{key}"\r\n\r\n'.encode()
        out += value.encode("utf-8") + b"\r\n"
    for key, data in files:
        out += f"--{boundary}\r\n".encode()
        out += f'Content-Disposition: form-data; name="{key}"; filename="filename"\r\n'.encode()
        out += b"Content-Type: application/octet-stream\r\n\r\n"
        out += data + b"\r\n"
    out += f"--{boundary}--\r\n".encode()
    return bytes(out), f"multipart/form-data; boundary={boundary}; charset=UTF-8"
