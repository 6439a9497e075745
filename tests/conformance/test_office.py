"""Office documents end to end through the official client: DOCX, DOC, PPTX and RTF are converted by
the warm LibreOffice pool and compared; corrupt, password-protected and 2,000-page documents fail
with a message while the converter keeps serving; every export kind of a DOCX comparison downloads
as a valid PDF (or a Word redline)."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import tempfile
import zipfile

import pytest
import requests
from docx import Document
from docx.enum.text import WD_BREAK
from draftable.endpoints.comparisons.sides import side_from_file
from msoffcrypto.format.ooxml import OOXMLFile
from pptx import Presentation
from pptx.util import Inches

from redline_support import wait_ready

pytestmark = pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is installed by scripts/setup.sh")

CLAUSES = [f"{n}. The Supplier shall deliver {n * 11} units to the Customer by day {n + 2}." for n in range(1, 25)]


def docx_bytes(paragraphs, bold_word=None) -> bytes:
    document = Document()
    for text in paragraphs:
        paragraph = document.add_paragraph()
        for word in text.split(" "):
            run = paragraph.add_run(word + " ")
            run.bold = word == bold_word
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def pptx_bytes(titles) -> bytes:
    presentation = Presentation()
    for title in titles:
        slide = presentation.slides.add_slide(presentation.slide_layouts[5])
        slide.shapes.title.text = title
        box = slide.shapes.add_textbox(Inches(1), Inches(2), Inches(8), Inches(1))
        box.text_frame.text = "Quarterly revenue grew in every region."
    out = io.BytesIO()
    presentation.save(out)
    return out.getvalue()


def compare(client, left: bytes, right: bytes, file_type: str, timeout: float = 180):
    """Uploads the two documents as real files (the client insists on file objects) and waits."""
    with tempfile.TemporaryDirectory() as folder:
        paths = []
        for name, data in (("left", left), ("right", right)):
            path = os.path.join(folder, f"{name}.{file_type}")
            with open(path, "wb") as f:
                f.write(data)
            paths.append(path)
        with open(paths[0], "rb") as left_file, open(paths[1], "rb") as right_file:
            created = client.comparisons.create(side_from_file(left_file, file_type), side_from_file(right_file, file_type))
    done = wait_ready(client, created.identifier, timeout=timeout)
    return created, done


def edits(client, identifier):
    return [c for c in client.comparisons.change_details(identifier).changes if c.kind != "match"]


def test_docx_pair_compares_with_the_official_client(client_a):
    changed = list(CLAUSES)
    changed[3] = changed[3].replace("44 units", "45 units")
    created, done = compare(client_a, docx_bytes(CLAUSES), docx_bytes(changed), "docx")
    assert done.failed is False, done.error_message
    found = edits(client_a, created.identifier)
    assert [(c.kind, c.leftText, c.rightText) for c in found] == [("replace", "44", "45")]


def test_docx_bold_toggle_is_a_style_change(client_a):
    created, done = compare(client_a, docx_bytes(CLAUSES[:3]), docx_bytes(CLAUSES[:3], bold_word="Customer"), "docx")
    assert done.failed is False, done.error_message
    assert [c.kind for c in edits(client_a, created.identifier)] == ["style"] * 3


def test_pptx_pair_compares(client_a):
    created, done = compare(client_a, pptx_bytes(["Results 2025", "Outlook"]), pptx_bytes(["Results 2026", "Outlook"]), "pptx")
    assert done.failed is False, done.error_message
    found = edits(client_a, created.identifier)
    assert len(found) == 1 and found[0].leftText == "2025" and found[0].rightText == "2026"


def test_doc_and_rtf_compare(client_a, tmp_path):
    left_docx, right_docx = tmp_path / "left.docx", tmp_path / "right.docx"
    changed = list(CLAUSES[:5])
    changed[0] = changed[0].replace("Supplier", "Vendor")
    left_docx.write_bytes(docx_bytes(CLAUSES[:5]))
    right_docx.write_bytes(docx_bytes(changed))
    subprocess.run(["soffice", f"-env:UserInstallation=file://{tmp_path}/profile", "--headless", "--convert-to", "doc",
                    "--outdir", str(tmp_path), str(left_docx), str(right_docx)], check=True, capture_output=True, timeout=180)
    created, done = compare(client_a, (tmp_path / "left.doc").read_bytes(), (tmp_path / "right.doc").read_bytes(), "doc")
    assert done.failed is False, done.error_message
    assert [(c.leftText, c.rightText) for c in edits(client_a, created.identifier)] == [("Supplier", "Vendor")]

    rtf = r"{\rtf1\ansi{\fonttbl{\f0 Carlito;}}\f0\fs24 Notice period: %s days.\par}"
    created, done = compare(client_a, (rtf % "30").encode(), (rtf % "60").encode(), "rtf")
    assert done.failed is False, done.error_message
    assert [(c.leftText, c.rightText) for c in edits(client_a, created.identifier)] == [("30", "60")]


def test_corrupt_docx_fails_with_a_message(client_a):
    broken = io.BytesIO()
    with zipfile.ZipFile(broken, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types")
        archive.writestr("word/document.xml", "not xml at all <<<")
    created, done = compare(client_a, broken.getvalue(), docx_bytes(CLAUSES[:2]), "docx")
    assert done.failed is True
    assert done.error_message and "docx" in done.error_message.lower()


def test_every_export_kind_of_a_docx_comparison_downloads(client_a, api_a, tmp_path):
    changed = list(CLAUSES)
    changed[1] = changed[1].replace("22 units", "23 units")
    del changed[5]
    created, done = compare(client_a, docx_bytes(CLAUSES), docx_bytes(changed), "docx")
    assert done.failed is False, done.error_message
    for kind in ["left", "right", "combined", "single_page"]:
        export = client_a.exports.create(created.identifier, kind=kind, include_cover_page=(kind == "combined"))
        for _ in range(240):
            if export.ready:
                break
            export = client_a.exports.get(export.identifier)
        assert export.ready and export.failed is False, (kind, export.error_message)
        body = requests.get(export.url, timeout=60)
        assert body.status_code == 200 and body.content.startswith(b"%PDF-"), kind
        path = tmp_path / f"{kind}.pdf"
        path.write_bytes(body.content)
        assert subprocess.run(["qpdf", "--check", str(path)], capture_output=True).returncode == 0, kind
        objects = subprocess.run(["qpdf", "--json=2", "--json-key=qpdf", str(path)], capture_output=True, text=True).stdout
        assert objects.count('"/Subtype": "/Highlight"') >= 1, kind  # the replaced amount at least
    # Beyond Draftable: a Word document with tracked changes (raw API: the official client knows only four kinds).
    response = api_a.post("/exports", json={"comparison": created.identifier, "kind": "redline_docx"})
    assert response.status_code == 201, response.text
    export = response.json()
    for _ in range(240):
        if export["ready"]:
            break
        export = api_a.get(f"/exports/{export['identifier']}").json()
    assert export["ready"] and export["failed"] is False, export
    word = requests.get(export["url"], timeout=60)
    assert word.status_code == 200
    with zipfile.ZipFile(io.BytesIO(word.content)) as archive:
        document = archive.read("word/document.xml").decode()
    assert "<w:ins " in document and "<w:del " in document

    # Tracked changes are compared as printed with the changes accepted (REDLINE_TRACKED_CHANGES=accept):
    # the redline, accepted, reads as the right document, so comparing it with the right one finds no
    # content change.
    created, done = compare(client_a, word.content, docx_bytes(changed), "docx")
    assert done.failed is False, done.error_message
    content = [c for c in edits(client_a, created.identifier) if c.kind not in ("style",)]
    assert content == [], [(c.kind, c.leftText, c.rightText) for c in content]


def test_xml_bomb_disguised_as_docx_fails_cleanly_and_the_converter_keeps_serving(client_a):
    """A DOCX whose document part is a "billion laughs" entity bomb: the comparison ends (failed, or
    ready with nothing expanded) within its time limit, and the next Office comparison still works."""
    laughs = ['<!ENTITY lol0 "lol">'] + [f'<!ENTITY lol{i} "{("&lol%d;" % (i - 1)) * 10}">' for i in range(1, 10)]
    bomb = (
        '<?xml version="1.0"?><!DOCTYPE w:document [' + "".join(laughs) + "]>"
        '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
        "<w:body><w:p><w:r><w:t>&lol9;</w:t></w:r></w:p></w:body></w:document>"
    )
    source = zipfile.ZipFile(io.BytesIO(docx_bytes(["Harmless text."])))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for item in source.infolist():
            archive.writestr(item, bomb if item.filename == "word/document.xml" else source.read(item.filename))
    created, done = compare(client_a, out.getvalue(), docx_bytes(["Harmless text."]), "docx")
    assert done.ready
    if done.failed:
        assert done.error_message
    else:
        expanded = [c for c in edits(client_a, created.identifier) if "lollollol" in (c.leftText or "")]
        assert not expanded, "the entity bomb was expanded"
    # The converter is still serving.
    created, done = compare(client_a, docx_bytes(CLAUSES[:2]), docx_bytes(CLAUSES[:3]), "docx")
    assert done.failed is False, done.error_message


def test_password_protected_docx_and_pdf_fail_with_a_clear_message(client_a, tmp_path):
    """Word's own encryption (agile, as msoffcrypto-tool writes it) and an encrypted PDF: each comparison
    ends failed and says so, well before the 120 s conversion time limit (a conversion waiting for a
    password would end in the time-limit message instead)."""
    encrypted = io.BytesIO()
    office_file = OOXMLFile(io.BytesIO(docx_bytes(CLAUSES[:3])))
    office_file.encrypt("s3cret", encrypted)
    assert encrypted.getvalue().startswith(bytes.fromhex("d0cf11e0a1b11ae1"))  # an OLE2 container, not the ZIP package
    created, done = compare(client_a, encrypted.getvalue(), docx_bytes(CLAUSES[:3]), "docx", timeout=90)
    assert done.failed is True
    assert done.error_message == "Left document: The .docx file is password-protected; upload an unprotected copy."

    plain, locked = tmp_path / "plain.pdf", tmp_path / "locked.pdf"
    plain.write_bytes(docx_pdf(tmp_path, CLAUSES[:3]))
    subprocess.run(["qpdf", "--encrypt", "user-pw", "owner-pw", "256", "--", str(plain), str(locked)], check=True)
    created, done = compare(client_a, plain.read_bytes(), locked.read_bytes(), "pdf", timeout=90)
    assert done.failed is True
    assert "password-protected" in done.error_message and "unprotected copy" in done.error_message, done.error_message


def docx_pdf(folder, paragraphs) -> bytes:
    """A DOCX converted to PDF by LibreOffice (its own profile, so it never meets the server's)."""
    source = folder / "source.docx"
    source.write_bytes(docx_bytes(paragraphs))
    subprocess.run(["soffice", f"-env:UserInstallation=file://{folder}/profile", "--headless", "--convert-to", "pdf",
                    "--outdir", str(folder), str(source)], check=True, capture_output=True, timeout=180)
    return (folder / "source.pdf").read_bytes()


def test_two_thousand_page_docx_fails_by_the_page_limit_and_the_converter_serves_on(client_a):
    """REDLINE_MAX_PAGES is 1000 by default: a 2,000-page DOCX is refused after LibreOffice's layout,
    before any PDF is exported, within its time limit; the next Office comparison still works."""
    document = Document()
    for page in range(1, 2001):
        paragraph = document.add_paragraph(f"Page {page}: the Supplier shall deliver the goods.")
        if page < 2000:
            paragraph.add_run().add_break(WD_BREAK.PAGE)
    huge = io.BytesIO()
    document.save(huge)
    created, done = compare(client_a, docx_bytes(CLAUSES[:2]), huge.getvalue(), "docx", timeout=150)
    assert done.failed is True
    assert done.error_message == "Right document: The .docx file has 2000 pages; the limit is 1000 pages."
    created, done = compare(client_a, docx_bytes(CLAUSES[:2]), docx_bytes(CLAUSES[:3]), "docx", timeout=60)
    assert done.failed is False, done.error_message
    assert [c.kind for c in edits(client_a, created.identifier)] == ["insert"]
