"""Runs last (alphabetical order): after everything above the servers still work."""

from draftable.endpoints.comparisons.sides import make_side

import redline_docs as docs
from redline_support import file_side_path, wait_ready


def test_main_server_still_healthy_and_working(main_server, client_a, tmp_path):
    assert main_server.healthy()
    left = file_side_path(tmp_path, "l.txt", docs.LEFT_TEXT.encode())
    right = file_side_path(tmp_path, "r.txt", docs.RIGHT_TEXT.encode())
    c = client_a.comparisons.create(make_side(str(left)), make_side(str(right)))
    assert wait_ready(client_a, c.identifier).failed is False


def test_readyz(main_server):
    import requests
    r = requests.get(main_server.origin + "/readyz", timeout=10)
    assert r.status_code == 200
