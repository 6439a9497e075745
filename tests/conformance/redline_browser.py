"""Headless Chromium for the browser tests (Debian's chromium and chromium-driver, through Selenium)."""

from __future__ import annotations

import os
import shutil
import tempfile
import time
from pathlib import Path

import pytest

skip_without_chromium = pytest.mark.skipif(
    shutil.which("chromedriver") is None or shutil.which("chromium") is None, reason="chromium and chromium-driver come from scripts/lib.sh")

# README screenshots are refreshed only on request, so a test run leaves the working tree clean.
SCREENSHOTS = (
    Path(__file__).resolve().parents[2] / "docs" / "screenshots"
    if os.environ.get("REDLINE_UPDATE_SCREENSHOTS") == "1"
    else Path(tempfile.gettempdir()) / "redline-screenshots"
)


def chromium(width: int, height: int):
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", f"--window-size={width},{height}"):
        options.add_argument(flag)
    options.binary_location = shutil.which("chromium")
    return webdriver.Chrome(service=Service(shutil.which("chromedriver")), options=options)


def wait_for(predicate, timeout=30, what="condition"):
    """Polls `predicate` until it returns something truthy; exceptions (a page navigating) count as not yet."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            value = predicate()
        except Exception:
            value = None
        if value:
            return value
        time.sleep(0.2)
    raise AssertionError(f"{what} not met within {timeout} s")
