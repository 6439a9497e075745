"""The web app on two API replicas over PostgreSQL and Redis: a session made on one is honoured by
the other (sessions live in Redis, not in a replica's memory or the database), and signing out on
one ends it everywhere."""

from __future__ import annotations

import re
import subprocess

import requests

from conftest import Stack

PASSWORD = "stack web password"


def csrf(html: str) -> str:
    return re.search(r'name="csrf" value="([^"]*)"', html).group(1)


def test_sessions_are_shared_by_replicas_through_redis():
    stack = Stack()
    try:
        a = stack.role("api-a", "serve", "--api-only").start()
        b = stack.role("api-b", "serve", "--api-only").start()
        created = subprocess.run(
            [stack.bin, "users", "create", "--admin", "--email", "ops@example.com", "--account-name", "stack", "--password-stdin"],
            input=PASSWORD + "\n", env=stack.env, capture_output=True, text=True)
        assert created.returncode == 0, created.stderr

        session = requests.Session()
        login = session.get(f"http://127.0.0.1:{a.port}/login", timeout=30)
        signed_in = session.post(
            f"http://127.0.0.1:{a.port}/login", data={"csrf": csrf(login.text), "email": "ops@example.com", "password": PASSWORD},
            allow_redirects=False, timeout=30)
        assert signed_in.status_code == 303 and signed_in.headers["Location"] == "/app"
        cookie = session.cookies.get("redline_session")

        # The other replica knows the session (cookies are host-only per port, so send it by hand).
        other = requests.get(f"http://127.0.0.1:{b.port}/app/history", cookies={"redline_session": cookie}, allow_redirects=False, timeout=30)
        assert other.status_code == 200 and "History" in other.text
        rows = subprocess.run(["psql", stack.env["REDLINE_DATABASE_URL"], "-tAc", "SELECT COUNT(*) FROM web_sessions"],
                              capture_output=True, text=True, check=True)
        assert rows.stdout.strip() == "0", "with Redis configured, sessions are not written to the database"

        # Signing out on replica B ends the session on replica A.
        page = requests.get(f"http://127.0.0.1:{b.port}/app", cookies={"redline_session": cookie}, timeout=30)
        out = requests.post(f"http://127.0.0.1:{b.port}/logout", data={"csrf": csrf(page.text)}, cookies={"redline_session": cookie},
                            allow_redirects=False, timeout=30)
        assert out.status_code == 303
        after = requests.get(f"http://127.0.0.1:{a.port}/app", cookies={"redline_session": cookie}, allow_redirects=False, timeout=30)
        assert after.status_code == 303 and after.headers["Location"].startswith("/login")
    finally:
        stack.close()
