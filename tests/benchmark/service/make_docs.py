"""Generates contract-like DOCX pairs (and, through LibreOffice, PDF pairs) for the service benchmark.

Each pair is a left document and a right document with a few edits (a changed word, an inserted
sentence, a deleted sentence) spread through it, about one edit per five pages. Every variant
carries its own tag in the title, so no two runs upload identical bytes (the converter caches
conversions by content hash, and a benchmark must not measure the cache).

    python make_docs.py OUT_DIR --pages 5 --variants 5 --prefix docx5
"""

from __future__ import annotations

import argparse
import random
from pathlib import Path

from docx import Document
from docx.shared import Pt

# About 450 words a page with 11 pt Carlito on Letter paper and the default margins.
WORDS_PER_PAGE = 430

PARTIES = ["the Supplier", "the Customer", "the Licensor", "the Licensee", "each Party", "the Contractor"]
VERBS = ["shall provide", "shall maintain", "may terminate", "shall indemnify", "shall notify",
         "shall not disclose", "shall deliver", "may assign", "shall pay", "shall procure"]
OBJECTS = ["the Services", "all Confidential Information", "the Deliverables", "the Fees",
           "any Personal Data", "the Equipment", "the Software", "written notice", "the Reports",
           "reasonable assistance"]
TAILS = ["in accordance with Schedule {n}", "within {n} business days of the request",
         "subject to clause {n}.{m}", "at its own cost and expense", "to the reasonable satisfaction of the other Party",
         "unless otherwise agreed in writing", "during the Term and for {n} years thereafter",
         "as set out in the Statement of Work", "without undue delay", "in compliance with Applicable Law"]
HEADINGS = ["Definitions", "Services", "Fees and Payment", "Term and Termination", "Confidentiality",
            "Data Protection", "Intellectual Property", "Warranties", "Liability", "Insurance",
            "Force Majeure", "Assignment", "Notices", "Dispute Resolution", "Governing Law"]


def sentence(rng: random.Random) -> str:
    tail = rng.choice(TAILS).format(n=rng.randint(2, 30), m=rng.randint(1, 9))
    return f"{rng.choice(PARTIES)} {rng.choice(VERBS)} {rng.choice(OBJECTS)} {tail}."


def contract(pages: int, seed: int = 7) -> list[tuple[str, str]]:
    """The document as (style, text) paragraphs: headings and numbered clauses."""
    rng = random.Random(seed)
    target = pages * WORDS_PER_PAGE
    out: list[tuple[str, str]] = []
    words = 0
    article = 0
    while words < target:
        article += 1
        heading = f"{article}. {HEADINGS[(article - 1) % len(HEADINGS)]}"
        out.append(("heading", heading))
        words += len(heading.split())
        for clause in range(1, rng.randint(4, 7) + 1):
            text = f"{article}.{clause} " + " ".join(sentence(rng) for _ in range(rng.randint(3, 6)))
            out.append(("body", text))
            words += len(text.split())
            if words >= target:
                break
    return out


def edited(paragraphs: list[tuple[str, str]], pages: int, seed: int = 11) -> list[tuple[str, str]]:
    """A copy with max(3, pages // 5) edits: replaced words, inserted and deleted sentences."""
    rng = random.Random(seed)
    out = list(paragraphs)
    body = [i for i, (style, _) in enumerate(out) if style == "body"]
    count = max(3, pages // 5)
    step = max(1, len(body) // count)
    for k in range(count):
        i = body[min(len(body) - 1, k * step + step // 2)]
        style, text = out[i]
        kind = k % 3
        if kind == 0:  # replace a word
            text = text.replace(" shall ", " must ", 1) if " shall " in text else text + " (amended)"
        elif kind == 1:  # insert a sentence
            text = text + " " + "Notwithstanding the foregoing, " + sentence(rng)[0].lower() + sentence(rng)[1:]
        else:  # delete the last sentence
            parts = text.rsplit(". ", 1)
            text = parts[0] + "." if len(parts) == 2 else text
        out[i] = (style, text)
    return out


def write_docx(path: Path, title: str, paragraphs: list[tuple[str, str]]) -> None:
    doc = Document()
    style = doc.styles["Normal"]
    style.font.name = "Calibri"
    style.font.size = Pt(11)
    doc.add_heading(title, level=0)
    for kind, text in paragraphs:
        if kind == "heading":
            doc.add_heading(text, level=1)
        else:
            doc.add_paragraph(text)
    doc.save(str(path))


def make_pairs(out_dir: Path, pages: int, variants: int, prefix: str) -> list[tuple[Path, Path]]:
    out_dir.mkdir(parents=True, exist_ok=True)
    left = contract(pages)
    right = edited(left, pages)
    pairs = []
    for v in range(variants):
        lp = out_dir / f"{prefix}-{v}-left.docx"
        rp = out_dir / f"{prefix}-{v}-right.docx"
        title = f"Master Services Agreement (benchmark {prefix} variant {v})"
        write_docx(lp, title, left)
        write_docx(rp, title, right)
        pairs.append((lp, rp))
    return pairs


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("out_dir", type=Path)
    parser.add_argument("--pages", type=int, required=True)
    parser.add_argument("--variants", type=int, default=1)
    parser.add_argument("--prefix", default="doc")
    args = parser.parse_args()
    for lp, rp in make_pairs(args.out_dir, args.pages, args.variants, args.prefix):
        print(lp, rp)


if __name__ == "__main__":
    main()
