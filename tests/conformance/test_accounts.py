"""Account administration through the CLI while the server runs."""

import time

import redline_harness as harness
from redline_support import Api


def test_deleted_account_loses_access(main_server):
    account = harness.create_account(main_server.data_dir, "conformance-main-doomed")
    api = Api(main_server, account)
    assert api.get("/comparisons").status_code == 200, "an account created while the server runs must work at once"
    files = {"left.file": ("l.txt", b"one two"), "right.file": ("r.txt", b"one three")}
    r = api.post("/comparisons", data={"left.file_type": "txt", "right.file_type": "txt"}, files=files)
    assert r.status_code == 201, r.text
    proc = harness.run_cli(["accounts", "delete", account.account_id, "--data-dir", str(main_server.data_dir)])
    assert proc.returncode == 0, proc.stdout + proc.stderr
    deadline = time.monotonic() + 5
    status = None
    while time.monotonic() < deadline:
        status = api.get("/comparisons").status_code
        if status == 401:
            break
        time.sleep(0.25)
    assert status == 401, "a deleted account's token still works"


def test_deleting_unknown_account_fails(main_server):
    proc = harness.run_cli(["accounts", "delete", "no-such-account", "--data-dir", str(main_server.data_dir)])
    assert proc.returncode != 0
