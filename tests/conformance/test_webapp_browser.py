"""The web app for people, in a real browser (headless Chromium through Selenium): first admin,
sign in, upload two PDFs and two DOCX files, watch progress, see the viewer, find them in history,
share a link that works signed-out, revoke it, administer, sign out. Screenshots of each page go
to docs/screenshots/ with REDLINE_UPDATE_SCREENSHOTS=1 (the README shows them)."""

from __future__ import annotations

from pathlib import Path

import pytest
import requests

from redline_browser import SCREENSHOTS, chromium, skip_without_chromium, wait_for
from redline_pdf import make_pdf

pytestmark = skip_without_chromium
EMAIL, PASSWORD = "ada@example.com", "a long test password"
CLAUSES = [f"{n}. The Supplier shall deliver the Goods within {n * 5} days of the Purchase Order." for n in range(1, 25)]


@pytest.fixture(scope="module")
def browser():
    driver = chromium(1280, 900)
    yield driver
    driver.quit()


def shot(browser, name):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    browser.save_screenshot(str(SCREENSHOTS / f"web-{name}.png"))


def by_testid(browser, testid):
    from selenium.webdriver.common.by import By

    return browser.find_element(By.CSS_SELECTOR, f"[data-testid={testid}]")


def assert_labelled(browser):
    """Every visible form control has a label a screen reader announces."""
    unlabelled = browser.execute_script("""
        return Array.from(document.querySelectorAll('input, select, textarea'))
          .filter(e => e.type !== 'hidden' && !(e.labels && e.labels.length) && !e.getAttribute('aria-label'))
          .map(e => e.name || e.id);
    """)
    assert unlabelled == [], f"controls without labels on {browser.current_url}: {unlabelled}"


def docx_file(path: Path, clauses):
    from docx import Document

    document = Document()
    document.add_heading("Supply Agreement", level=1)
    for clause in clauses:
        document.add_paragraph(clause)
    document.save(str(path))


def upload(browser, origin, left: Path, right: Path):
    browser.get(origin + "/app")
    assert_labelled(browser)
    by_testid(browser, "left-file").send_keys(str(left))
    by_testid(browser, "right-file").send_keys(str(right))
    assert left.name in by_testid(browser, "left-name").text
    by_testid(browser, "compare-submit").click()
    # The upload turns into the live progress page, which turns into the viewer.
    wait_for(lambda: "/app/comparisons/" in browser.current_url or "/comparisons/viewer/" in browser.current_url, 60, "progress page")
    identifier = browser.current_url.split("/app/comparisons/")[-1].split("?")[0] if "/app/comparisons/" in browser.current_url else None
    wait_for(lambda: "/comparisons/viewer/" in browser.current_url, 240, "viewer after progress")
    from selenium.webdriver.common.by import By

    wait_for(lambda: browser.find_element(By.ID, "app").get_attribute("data-status") == "ready", 60, "viewer ready")
    return identifier or browser.current_url.split("/comparisons/viewer/")[1].split("/")[1].split("?")[0]


def test_whole_journey(browser, web_server, tmp_path):
    from selenium.webdriver.common.by import By

    origin = web_server.origin

    # First run: the only way in is to create the first administrator.
    browser.get(origin + "/")
    wait_for(lambda: browser.current_url.endswith("/setup"), 10, "first-run page")
    assert_labelled(browser)
    browser.find_element(By.ID, "organisation").send_keys("Acme Legal")
    browser.find_element(By.ID, "name").send_keys("Ada Lovelace")
    browser.find_element(By.ID, "email").send_keys(EMAIL)
    browser.find_element(By.ID, "password").send_keys(PASSWORD)
    browser.find_element(By.ID, "password_confirm").send_keys(PASSWORD)
    shot(browser, "setup")
    by_testid(browser, "create-admin").click()
    wait_for(lambda: "/login" in browser.current_url, 10, "sign-in page")
    assert "password is set" in by_testid(browser, "notice").text

    # Sign in with a wrong password first: a clear error, no session.
    browser.find_element(By.ID, "email").send_keys(EMAIL)
    browser.find_element(By.ID, "password").send_keys("not the password")
    by_testid(browser, "sign-in").click()
    assert "Wrong email or password" in wait_for(lambda: by_testid(browser, "error").text)
    browser.find_element(By.ID, "password").send_keys(PASSWORD)
    shot(browser, "sign-in")
    by_testid(browser, "sign-in").click()
    wait_for(lambda: browser.current_url.endswith("/app"), 10, "compare page")
    cookie = browser.get_cookie("redline_session")
    assert cookie and cookie["httpOnly"] and cookie["sameSite"] == "Lax"
    shot(browser, "compare")

    # Two PDFs.
    left_pdf, right_pdf = tmp_path / "Supply v1.pdf", tmp_path / "Supply v2.pdf"
    changed = list(CLAUSES)
    changed[3] = changed[3].replace("20 days", "15 days")
    changed.insert(8, "8a. The Buyer may inspect the Goods on delivery.")
    left_pdf.write_bytes(make_pdf([CLAUSES[:12], CLAUSES[12:]]))
    right_pdf.write_bytes(make_pdf([changed[:12], changed[12:]]))
    pdf_id = upload(browser, origin, left_pdf, right_pdf)
    assert browser.find_elements(By.CSS_SELECTOR, "[data-testid=change-item]"), "the viewer lists the changes"
    wait_for(lambda: browser.execute_script("return Array.from(document.images).every(i => i.complete && i.naturalWidth > 0)"), 30, "pages")
    shot(browser, "viewer")

    # Two DOCX files: converted by LibreOffice, watched through the stages.
    left_docx, right_docx = tmp_path / "Agreement v1.docx", tmp_path / "Agreement v2.docx"
    docx_file(left_docx, CLAUSES[:10])
    docx_file(right_docx, [c.replace("Goods", "Products") if i == 2 else c for i, c in enumerate(CLAUSES[:10])])
    browser.get(origin + "/app")
    by_testid(browser, "left-file").send_keys(str(left_docx))
    by_testid(browser, "right-file").send_keys(str(right_docx))
    by_testid(browser, "compare-submit").click()
    wait_for(lambda: "/app/comparisons/" in browser.current_url, 60, "progress page")
    docx_id = browser.current_url.split("/app/comparisons/")[-1].split("?")[0]
    stage = by_testid(browser, "stage-label").text
    assert stage  # queued / converting / comparing, whichever the worker is at
    shot(browser, "progress")
    wait_for(lambda: "/comparisons/viewer/" in browser.current_url, 240, "DOCX viewer")
    wait_for(lambda: browser.find_element(By.ID, "app").get_attribute("data-status") == "ready", 60, "DOCX viewer ready")
    assert browser.find_elements(By.CSS_SELECTOR, "[data-testid=change-item]")

    # History: newest first, searchable.
    browser.get(origin + "/app/history")
    rows = browser.find_elements(By.CSS_SELECTOR, "[data-testid=history-row]")
    assert [r.get_attribute("data-identifier") for r in rows] == [docx_id, pdf_id]
    assert "Agreement v1.docx" in rows[0].text and "Ready" in rows[0].text
    shot(browser, "history")
    search = by_testid(browser, "history-search")
    search.send_keys("Supply")
    search.submit()
    wait_for(lambda: "q=Supply" in browser.current_url, 10, "search")
    rows = browser.find_elements(By.CSS_SELECTOR, "[data-testid=history-row]")
    assert [r.get_attribute("data-identifier") for r in rows] == [pdf_id]

    # Share the PDF comparison: the link works signed-out until it is revoked.
    rows[0].find_element(By.TAG_NAME, "a").click()
    wait_for(lambda: browser.current_url.endswith(f"/app/comparisons/{pdf_id}"), 10, "comparison page")
    assert_labelled(browser)
    by_testid(browser, "share-create").click()
    share_url = wait_for(lambda: by_testid(browser, "share-url").get_attribute("value"), 10, "share link")
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'})", by_testid(browser, "share-url"))
    shot(browser, "share")
    signed_out = requests.get(share_url, timeout=30)
    assert signed_out.status_code == 200 and "viewer" in signed_out.text.lower()
    by_testid(browser, "share-revoke").click()
    wait_for(lambda: "Revoked" in browser.find_element(By.CSS_SELECTOR, "[data-testid=share-row]").text, 10, "revoked")
    assert requests.get(share_url, timeout=30).status_code == 403

    # Administration: invite a member, see the token page, settings and usage.
    browser.get(origin + "/app/admin/users")
    assert_labelled(browser)
    browser.find_element(By.ID, "invite-name").send_keys("Grace Hopper")
    browser.find_element(By.ID, "invite-email").send_keys("grace@example.com")
    browser.find_element(By.CSS_SELECTOR, "[data-testid=invite-form] button[type=submit]").click()
    link = wait_for(lambda: by_testid(browser, "one-time-url").get_attribute("value"), 10, "invitation link")
    assert "/password/" in link
    shot(browser, "admin-users")
    browser.get(origin + "/app/admin/tokens")
    assert by_testid(browser, "account-id").text
    shot(browser, "admin-tokens")
    browser.get(origin + "/app/admin/settings")
    assert_labelled(browser)
    shot(browser, "admin-settings")
    browser.get(origin + "/app/admin/usage")
    assert by_testid(browser, "usage-comparisons").text == "2"
    shot(browser, "admin-usage")

    # Phone width: nothing overflows sideways.
    browser.set_window_size(390, 844)
    for path in ("/app", "/app/history", f"/app/comparisons/{pdf_id}", "/app/admin/users", "/app/admin/settings"):
        browser.get(origin + path)
        overflowing = browser.execute_script("""
            const width = document.documentElement.clientWidth;
            return Array.from(document.querySelectorAll('body *'))
              .filter(e => e.getBoundingClientRect().right > width + 1 && !(e.parentElement && e.parentElement.closest('.list')))
              .map(e => e.tagName + '.' + e.className);
        """)
        assert overflowing == [], f"{path} overflows sideways at phone width: {overflowing}"
    browser.get(origin + "/app")
    shot(browser, "compare-phone")
    browser.set_window_size(1280, 900)

    # Sign out: the session ends; the revoked link shows a clear page.
    browser.get(origin + "/app")
    by_testid(browser, "sign-out").click()
    wait_for(lambda: "signedout=1" in browser.current_url, 10, "signed out")
    browser.get(origin + "/app/history")
    wait_for(lambda: "/login" in browser.current_url, 10, "sign-in required again")
    browser.get(share_url)
    assert "revoked or has expired" in browser.page_source


def test_keyboard_alone_reaches_the_compare_controls(browser, web_server):
    """Tab order on the compare page reaches both file pickers and the button (no mouse needed)."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    browser.get(web_server.origin + "/login")
    if "/login" in browser.current_url:
        browser.find_element(By.ID, "email").send_keys(EMAIL)
        browser.find_element(By.ID, "password").send_keys(PASSWORD + Keys.ENTER)
        wait_for(lambda: browser.current_url.endswith("/app"), 10, "compare page")
    browser.get(web_server.origin + "/app")
    from selenium.webdriver.common.action_chains import ActionChains

    reached = []
    for _ in range(15):
        ActionChains(browser).send_keys(Keys.TAB).perform()
        active = browser.switch_to.active_element
        reached.append(active.get_attribute("data-testid") or active.get_attribute("id") or active.tag_name)
    for control in ("left-file", "right-file", "compare-submit"):
        assert control in reached, f"{control} not reachable by keyboard: {reached}"
