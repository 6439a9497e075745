"""The viewer in a real browser (headless Chromium through Selenium): the highlights on the page
match the change details, navigation moves the selection, waiting shows progress, and a page
screenshot is kept for the README (docs/screenshots/)."""

from __future__ import annotations

import time

import pytest
from draftable.endpoints.comparisons.sides import side_from_file

from redline_browser import SCREENSHOTS, chromium, skip_without_chromium, wait_for
from redline_pdf import make_pdf
from redline_support import wait_ready

pytestmark = skip_without_chromium
LINES = [f"{n}. The Licensee shall pay {n * 100} EUR within {n + 10} days of the invoice." for n in range(1, 30)]


@pytest.fixture(scope="module")
def browser():
    driver = chromium(1400, 900)
    yield driver
    driver.quit()


def comparison(client, tmp_path):
    right_lines = list(LINES)
    right_lines[2] = right_lines[2].replace("300 EUR", "350 EUR")
    right_lines.insert(10, "10a. The Licensor may audit the Licensee once a year.")
    del right_lines[20]
    (tmp_path / "l.pdf").write_bytes(make_pdf([LINES[:15], LINES[15:]]))
    (tmp_path / "r.pdf").write_bytes(make_pdf([right_lines[:15], right_lines[15:]]))
    with open(tmp_path / "l.pdf", "rb") as left, open(tmp_path / "r.pdf", "rb") as right:
        created = client.comparisons.create(side_from_file(left, "pdf", "Licence v1.pdf"), side_from_file(right, "pdf", "Licence v2.pdf"))
    wait_ready(client, created.identifier)
    return created.identifier


def test_viewer_shows_every_change_and_navigates(browser, client_a, api_a, tmp_path):
    from selenium.webdriver.common.by import By

    identifier = comparison(client_a, tmp_path)
    details = api_a.get(f"/comparisons/{identifier}/change-details").json()
    edits = [c for c in details["changes"] if c["kind"] != "match"]
    rectangles = sum(len((c.get(side) or {}).get("rectangles", [])) for c in edits for side in ("leftRegion", "rightRegion"))
    assert edits, "the comparison must have changes"

    browser.get(client_a.comparisons.signed_viewer_url(identifier))
    wait_for(lambda: browser.find_element(By.ID, "app").get_attribute("data-status") == "ready")
    highlights = browser.find_elements(By.CSS_SELECTOR, "[data-testid=highlight]")
    assert len(highlights) == rectangles
    items = browser.find_elements(By.CSS_SELECTOR, "[data-testid=change-item]")
    assert len(items) == len(edits)
    counter = browser.find_element(By.CSS_SELECTOR, "[data-testid=change-counter]")
    browser.find_element(By.CSS_SELECTOR, "[data-testid=next-change]").click()
    wait_for(lambda: counter.text.startswith("1 /"))
    assert items[0].get_attribute("aria-current") == "true"
    browser.find_element(By.CSS_SELECTOR, "[data-testid=next-change]").click()
    wait_for(lambda: counter.text.startswith("2 /"))
    assert items[1].get_attribute("aria-current") == "true"
    # Page images are real renderings served by Redline.
    wait_for(lambda: browser.execute_script(
        "return Array.from(document.images).every(i => i.complete && i.naturalWidth > 0) && document.images.length >= 4"))
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    browser.save_screenshot(str(SCREENSHOTS / "viewer.png"))
    browser.set_window_size(390, 844)
    time.sleep(0.5)
    browser.save_screenshot(str(SCREENSHOTS / "viewer-phone.png"))
    browser.set_window_size(1400, 900)


def test_waiting_viewer_shows_progress_then_the_comparison(browser, client_a, account_a, main_server):
    from selenium.webdriver.common.by import By

    url = f"{main_server.api}/comparisons/viewer/{account_a.account_id}/not-yet-{int(time.time())}?wait"
    browser.get(url)
    status = wait_for(lambda: browser.find_element(By.ID, "app").get_attribute("data-status"))
    assert status == "missing"
    assert "Waiting" in browser.find_element(By.CSS_SELECTOR, "[data-testid=status]").text
