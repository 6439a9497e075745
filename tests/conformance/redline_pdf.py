"""A tiny, dependency-free PDF 1.4 writer for test documents.

Produces real, valid PDFs (correct xref table and offsets) with text in the standard
Helvetica and Helvetica-Bold fonts, so the server's PDF text extraction sees exactly
the words we put in. Layout is fixed and known, which lets tests check the regions
(rectangles) the server reports.

Layout (PDF user space, origin bottom-left, US Letter 612 x 792 pt):
  line i of a page has its baseline at x = LEFT_MARGIN, y = FIRST_BASELINE - i * LEADING.
In the API's coordinate system (origin top-left, y down) that baseline is at
  y = PAGE_HEIGHT - (FIRST_BASELINE - i * LEADING), see `baseline_top_left`.
"""

from __future__ import annotations

from typing import Iterable, List, Sequence, Tuple, Union

PAGE_WIDTH = 612
PAGE_HEIGHT = 792
LEFT_MARGIN = 72
FIRST_BASELINE = 720
LEADING = 20
FONT_SIZE = 12

FONTS = {"F1": "Helvetica", "F2": "Helvetica-Bold"}

# A run is (text, font resource name); a line is a str (all F1) or a list of runs.
Run = Tuple[str, str]
Line = Union[str, Sequence[Run]]


def baseline_top_left(line_index: int) -> float:
    """The baseline's y coordinate of a line in top-left-origin page coordinates."""
    return PAGE_HEIGHT - (FIRST_BASELINE - line_index * LEADING)


def _escape(text: str) -> bytes:
    raw = text.encode("latin-1")
    out = bytearray()
    for b in raw:
        if b in (0x28, 0x29, 0x5C):  # ( ) \
            out += b"\\" + bytes([b])
        elif b < 0x20 or b > 0x7E:
            out += b"\\%03o" % b
        else:
            out.append(b)
    return bytes(out)


def _runs(line: Line) -> List[Run]:
    if isinstance(line, str):
        return [(line, "F1")]
    return [(t, f) for t, f in line]


def _content_stream(lines: Sequence[Line], font_size: float) -> bytes:
    parts = []
    for i, line in enumerate(lines):
        y = FIRST_BASELINE - i * LEADING
        ops = [b"BT", b"%d %d Td" % (LEFT_MARGIN, y)]
        current = None
        for text, font in _runs(line):
            if font not in FONTS:
                raise ValueError(f"unknown font resource {font!r}")
            if font != current:
                ops.append(b"/%s %s Tf" % (font.encode(), ("%g" % font_size).encode()))
                current = font
            ops.append(b"(" + _escape(text) + b") Tj")
        ops.append(b"ET")
        parts.append(b"\n".join(ops))
    return b"\n".join(parts) + b"\n"


def make_pdf(pages: Iterable[Sequence[Line]], font_size: float = FONT_SIZE, padding_bytes: int = 0) -> bytes:
    """Build a PDF. `pages` is a list of pages, each a list of lines.

    `padding_bytes` adds a comment block of about that size after the header (to make
    large but still valid files for size-limit tests).
    """
    pages = [list(p) for p in pages]
    if not pages:
        raise ValueError("a PDF needs at least one page")

    objects: List[bytes] = []  # objects[n-1] is object n's body

    def add(body: bytes) -> int:
        objects.append(body)
        return len(objects)

    catalog = add(b"")  # placeholder, filled below
    pages_obj = add(b"")
    font_ids = {}
    for res, base in FONTS.items():
        font_ids[res] = add(
            b"<< /Type /Font /Subtype /Type1 /BaseFont /%s /Encoding /WinAnsiEncoding >>" % base.encode()
        )
    font_dict = b" ".join(b"/%s %d 0 R" % (res.encode(), oid) for res, oid in font_ids.items())

    page_ids = []
    for lines in pages:
        stream = _content_stream(lines, font_size)
        content_id = add(b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"endstream")
        page_id = add(
            b"<< /Type /Page /Parent %d 0 R /MediaBox [0 0 %d %d] /Resources << /Font << %s >> >> /Contents %d 0 R >>"
            % (pages_obj, PAGE_WIDTH, PAGE_HEIGHT, font_dict, content_id)
        )
        page_ids.append(page_id)

    objects[catalog - 1] = b"<< /Type /Catalog /Pages %d 0 R >>" % pages_obj
    kids = b" ".join(b"%d 0 R" % pid for pid in page_ids)
    objects[pages_obj - 1] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, len(page_ids))

    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    if padding_bytes > 0:
        line = b"%" + b"p" * 78 + b"\n"
        out += line * (padding_bytes // len(line) + 1)
    offsets = []
    for n, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % n + body + b"\nendobj\n"
    xref_at = len(out)
    out += b"xref\n0 %d\n" % (len(objects) + 1)
    out += b"0000000000 65535 f \n"
    for off in offsets:
        out += b"%010d 00000 n \n" % off
    out += b"trailer\n<< /Size %d /Root %d 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, catalog, xref_at)
    return bytes(out)


def make_text_pdf(text: str, **kwargs) -> bytes:
    """One page per form feed, one line per newline."""
    return make_pdf([page.split("\n") for page in text.split("\f")], **kwargs)
