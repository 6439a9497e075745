"""Web-app users from the command line (`redline users …`) against a running server, and the
sign-in flow over plain HTTP (no JavaScript): one-time links, sign-in, the API token's revocation."""

from __future__ import annotations

import re

import requests

import redline_harness as harness


def csrf(html: str) -> str:
    match = re.search(r'name="csrf" value="([^"]*)"', html)
    assert match, "the form carries a CSRF token"
    return match.group(1)


def set_password(origin: str, link: str, password: str) -> requests.Response:
    session = requests.Session()
    page = session.get(link, timeout=30)
    assert page.status_code == 200, page.text
    return session.post(
        link, data={"csrf": csrf(page.text), "password": password, "password_confirm": password}, allow_redirects=False, timeout=30)


def sign_in(origin: str, email: str, password: str) -> requests.Session:
    session = requests.Session()
    page = session.get(origin + "/login", timeout=30)
    response = session.post(
        origin + "/login", data={"csrf": csrf(page.text), "email": email, "password": password}, allow_redirects=False, timeout=30)
    assert response.status_code == 303 and response.headers["Location"] == "/app", response.text[:500]
    return session


def test_users_create_prints_a_one_time_link_that_signs_in(main_server, account_c):
    data_dir = str(main_server.data_dir)
    created = harness.run_cli(
        ["users", "create", "--email", "Carol@Example.com", "--name", "Carol", "--admin", "--account", account_c.account_id,
         "--data-dir", data_dir, "--base-url", main_server.origin, "--json"])
    assert created.returncode == 0, created.stderr
    info = harness._parse_json_line(created.stdout)
    assert info["email"] == "carol@example.com" and info["role"] == "admin" and info["account_id"] == account_c.account_id
    link = info["password_link"]
    assert link.startswith(main_server.origin + "/password/")

    assert set_password(main_server.origin, link, "carol's long password").status_code == 303
    assert requests.get(link, timeout=30).status_code == 404, "the link works once"
    session = sign_in(main_server.origin, "carol@example.com", "carol's long password")
    tokens = session.get(main_server.origin + "/app/admin/tokens", timeout=30)
    assert tokens.status_code == 200 and account_c.account_id in tokens.text

    duplicate = harness.run_cli(["users", "create", "--email", "carol@example.com", "--account", account_c.account_id, "--data-dir", data_dir])
    assert duplicate.returncode != 0 and "already exists" in duplicate.stderr

    listed = harness.run_cli(["users", "list", "--account", account_c.account_id, "--data-dir", data_dir])
    assert "carol@example.com\tadmin\tactive" in listed.stdout

    # A reset from the command line ends the sessions and prints a fresh link.
    reset = harness.run_cli(["users", "reset", "carol@example.com", "--data-dir", data_dir, "--base-url", main_server.origin])
    assert reset.returncode == 0, reset.stderr
    assert session.get(main_server.origin + "/app", allow_redirects=False, timeout=30).status_code == 303
    new_link = re.search(r"(http\S+/password/\S+)", reset.stdout).group(1)
    assert set_password(main_server.origin, new_link, "another long password").status_code == 303
    sign_in(main_server.origin, "carol@example.com", "another long password")


def test_users_create_without_account_needs_one_when_several_exist(main_server):
    proc = harness.run_cli(["users", "create", "--email", "x@example.com", "--data-dir", str(main_server.data_dir)])
    assert proc.returncode != 0 and "--account" in proc.stderr
