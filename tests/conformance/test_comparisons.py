"""Creating, reading, listing, deleting comparisons and reading change details, through
the official Python client (`draftable-compare-api`) exactly as its users call it."""

from datetime import datetime, timedelta, timezone

import pytest
from draftable.endpoints.comparisons.sides import make_side, side_from_file
from draftable.endpoints.exceptions import NotFound

import redline_docs as docs
import redline_pdf
from redline_support import describe_changes, file_side_path, new_id, norm, segment_texts, wait_ready

PAGE_W, PAGE_H = redline_pdf.PAGE_WIDTH, redline_pdf.PAGE_HEIGHT


@pytest.fixture(scope="module")
def tmp_docs(tmp_path_factory):
    d = tmp_path_factory.mktemp("docs")
    return {
        "left.txt": file_side_path(d, "left.txt", docs.LEFT_TEXT.encode()),
        "right.txt": file_side_path(d, "right.txt", docs.RIGHT_TEXT.encode()),
        "left.pdf": file_side_path(d, "left.pdf", docs.LEFT_PDF),
        "right.pdf": file_side_path(d, "right.pdf", docs.RIGHT_PDF),
        "left2.pdf": file_side_path(d, "left2.pdf", docs.LEFT_PDF_2P),
        "right2.pdf": file_side_path(d, "right2.pdf", docs.RIGHT_PDF_2P),
        "style-left.pdf": file_side_path(d, "style-left.pdf", docs.STYLE_LEFT_PDF),
        "style-right.pdf": file_side_path(d, "style-right.pdf", docs.STYLE_RIGHT_PDF),
        "move-left.pdf": file_side_path(d, "move-left.pdf", docs.MOVE_LEFT_PDF),
        "move-right.pdf": file_side_path(d, "move-right.pdf", docs.MOVE_RIGHT_PDF),
    }


def _create_ready(client, left_path, right_path, **kw):
    c = client.comparisons.create(make_side(str(left_path)), make_side(str(right_path)), **kw)
    return wait_ready(client, c.identifier)


@pytest.fixture(scope="module")
def txt_comparison(client_a, tmp_docs):
    return _create_ready(client_a, tmp_docs["left.txt"], tmp_docs["right.txt"])


@pytest.fixture(scope="module")
def pdf_comparison(client_a, tmp_docs):
    identifier = new_id("pdf")
    c = client_a.comparisons.create(
        side_from_file(open(tmp_docs["left.pdf"], "rb"), "pdf", "Left contract.pdf"),
        side_from_file(open(tmp_docs["right.pdf"], "rb"), "pdf", "Right contract.pdf"),
        identifier=identifier,
    )
    assert c.identifier == identifier
    return wait_ready(client_a, identifier)


def _details(api, identifier):
    r = api.get(f"/comparisons/{identifier}/change-details")
    assert r.status_code == 200, r.text[:500]
    return r.json()


# ---- create / get / list ------------------------------------------------------------


def test_create_txt_returns_comparison_at_once(client_a, tmp_docs):
    before = datetime.now(timezone.utc) - timedelta(seconds=5)
    c = client_a.comparisons.create(make_side(str(tmp_docs["left.txt"])), make_side(str(tmp_docs["right.txt"])))
    assert isinstance(c.identifier, str) and c.identifier
    assert c.left.file_type == "txt" and c.right.file_type == "txt"
    assert c.left.display_name == "left.txt" and c.right.display_name == "right.txt"
    assert c.left.source_url is None
    assert c.public is False
    assert c.expiry_time is None
    assert before <= c.creation_time <= datetime.now(timezone.utc) + timedelta(seconds=5)
    if not c.ready:
        assert c.failed is None and c.ready_time is None
    done = wait_ready(client_a, c.identifier)
    assert done.failed is False, done.error_message
    assert done.error_message is None
    assert done.ready_time >= done.creation_time


def test_txt_comparison_ready_and_not_failed(txt_comparison):
    assert txt_comparison.ready is True
    assert txt_comparison.failed is False, txt_comparison.error_message


def test_pdf_comparison_ready_and_not_failed(pdf_comparison):
    assert pdf_comparison.ready is True
    assert pdf_comparison.failed is False, pdf_comparison.error_message
    assert pdf_comparison.left.file_type == "pdf"
    assert pdf_comparison.left.display_name == "Left contract.pdf"
    assert pdf_comparison.right.display_name == "Right contract.pdf"


def test_get_returns_the_same_comparison(client_a, pdf_comparison):
    again = client_a.comparisons.get(pdf_comparison.identifier)
    assert repr(again) == repr(pdf_comparison)


def test_list_contains_created(client_a, pdf_comparison, txt_comparison):
    ids = [c.identifier for c in client_a.comparisons.all()]
    assert pdf_comparison.identifier in ids and txt_comparison.identifier in ids
    assert len(ids) == len(set(ids))


def test_create_public_with_expiry(client_a, tmp_docs):
    c = client_a.comparisons.create(make_side(str(tmp_docs["left.txt"])), make_side(str(tmp_docs["right.txt"])),
                                    public=True, expires=timedelta(days=2))
    assert c.public is True
    assert c.expiry_time is not None
    expected = datetime.now(timezone.utc) + timedelta(days=2)
    assert abs((c.expiry_time - expected).total_seconds()) < 120
    assert client_a.comparisons.get(c.identifier).expiry_time == c.expiry_time


def test_unicode_display_name_round_trips(client_a, tmp_docs):
    name = "Résumé «v2» – 合同.txt"
    c = client_a.comparisons.create(side_from_file(open(tmp_docs["left.txt"], "rb"), "txt", name),
                                    make_side(str(tmp_docs["right.txt"])))
    assert c.left.display_name == name
    assert client_a.comparisons.get(c.identifier).left.display_name == name


# ---- change details -----------------------------------------------------------------------


def _kinds(changes, *kinds):
    return [c for c in changes if c["kind"] in kinds]


def _assert_expected_text_changes(changes):
    listing = describe_changes(changes)
    deleted = "This clause will be deleted entirely."
    inserted = "A brand new closing sentence."
    assert any(deleted in norm(c["leftText"]) for c in _kinds(changes, "delete")), f"no delete of {deleted!r}:\n{listing}"
    assert any(inserted in norm(c["rightText"]) for c in _kinds(changes, "insert")), f"no insert of {inserted!r}:\n{listing}"
    replaced = any("twelve" in norm(c["leftText"]) and "twenty four" in norm(c["rightText"]) for c in _kinds(changes, "replace"))
    split = (any("twelve" in norm(c["leftText"]) for c in _kinds(changes, "delete"))
             and any("twenty four" in norm(c["rightText"]) for c in _kinds(changes, "insert")))
    assert replaced or split, f"'twelve' -> 'twenty four' not reported:\n{listing}"
    for c in changes:
        # unchanged text must never be reported as changed
        if c["kind"] in ("insert", "delete", "replace"):
            for word in ("Alpha", "epsilon", "Final", "contract"):
                assert word not in segment_texts(c), f"unchanged word {word!r} inside a {c['kind']}:\n{listing}"
    assert _kinds(changes, "match"), f"no match segments:\n{listing}"


def _assert_regions_well_formed(changes):
    for c in changes:
        kind = c["kind"]
        need_left = kind in ("match", "delete", "replace", "style", "move")
        need_right = kind in ("match", "insert", "replace", "style", "move")
        for side, needed in (("leftRegion", need_left), ("rightRegion", need_right)):
            region = c[side]
            if not needed:
                assert region is None, f"{kind} with a {side}: {c}"
                continue
            assert region is not None, f"{kind} without {side}: {c}"
            assert isinstance(region["pageIndex"], int) and region["pageIndex"] >= 0
            assert region["rectangles"], f"{kind} {side} without rectangles: {c}"
            for r in region["rectangles"]:
                assert 0 <= r["left"] < r["right"] <= PAGE_W + 0.5, r
                assert 0 <= r["top"] < r["bottom"] <= PAGE_H + 0.5, r


def _assert_summary_consistent(details):
    changes, summary = details["changes"], details["summary"]
    cs = summary["changeSummary"]
    counts = {k: len(_kinds(changes, kind)) for k, kind in [
        ("matches", "match"), ("deletions", "delete"), ("insertions", "insert"),
        ("replacements", "replace"), ("styleChanges", "style"), ("moves", "move")]}
    for key, n in counts.items():
        assert cs[key] == n, f"changeSummary.{key}={cs[key]} but changes has {n}"
    assert summary["anyChanges"] == any(c["kind"] != "match" for c in changes)
    assert summary["anyMatches"] == (counts["matches"] > 0)
    if counts["deletions"]:
        assert cs["deletedLeftWords"] > 0
    if counts["insertions"]:
        assert cs["insertedRightWords"] > 0
    if counts["replacements"]:
        assert cs["replacedLeftWords"] > 0 and cs["replacedRightWords"] > 0
    if counts["matches"]:
        assert cs["matchingWords"] > 0


def test_pdf_change_details_texts(api_a, pdf_comparison):
    details = _details(api_a, pdf_comparison.identifier)
    _assert_expected_text_changes(details["changes"])


def test_txt_change_details_texts(api_a, txt_comparison):
    details = _details(api_a, txt_comparison.identifier)
    _assert_expected_text_changes(details["changes"])
    _assert_regions_well_formed(details["changes"])
    _assert_summary_consistent(details)
    s = details["summary"]
    assert s["leftDocumentSummary"]["pageCount"] >= 1 and s["leftDocumentSummary"]["wordCount"] > 0


def test_pdf_regions_and_summary(api_a, pdf_comparison):
    details = _details(api_a, pdf_comparison.identifier)
    _assert_regions_well_formed(details["changes"])
    _assert_summary_consistent(details)
    s = details["summary"]
    cs = s["changeSummary"]
    assert s["anyChanges"] is True and s["anyMatches"] is True
    assert cs["deletions"] >= 1 and cs["insertions"] >= 1
    # matched words: "Alpha beta gamma delta epsilon." + "The contract term is" + "months." + "Final words stay the same."
    assert abs(cs["matchingWords"] - 15) <= 2, cs
    assert cs["deletedLeftWords"] >= 6 and cs["insertedRightWords"] >= 5, cs
    for side in ("leftDocumentSummary", "rightDocumentSummary"):
        ds = s[side]
        assert ds["pageCount"] == 1, ds
        assert abs(ds["wordCount"] - 22) <= 2, ds
        assert 100 <= ds["characterCount"] <= 140, ds


def _centre_y(rects):
    return sum((r["top"] + r["bottom"]) / 2 for r in rects) / len(rects)


def test_pdf_region_geometry_is_top_left_points(api_a, pdf_comparison):
    """Rectangles are PDF points with the origin at the top-left: the deleted line (line 2
    of the left PDF) and the inserted line (line 3 of the right PDF) sit where we drew them."""
    changes = _details(api_a, pdf_comparison.identifier)["changes"]
    deletion = next(c for c in changes if c["kind"] == "delete" and "deleted entirely" in norm(c["leftText"]))
    insertion = next(c for c in changes if c["kind"] == "insert" and "closing sentence" in norm(c["rightText"]))
    for region, line in ((deletion["leftRegion"], docs.DELETED_LINE), (insertion["rightRegion"], docs.INSERTED_LINE)):
        assert region["pageIndex"] == 0
        baseline = redline_pdf.baseline_top_left(line)
        centre = _centre_y(region["rectangles"])
        assert baseline - 10 <= centre <= baseline + 2, (
            f"rectangles {region['rectangles']} are not on line {line} (baseline y={baseline} from the top); "
            f"bottom-left origin would put it near {PAGE_H - baseline}")
        assert abs(min(r["left"] for r in region["rectangles"]) - redline_pdf.LEFT_MARGIN) <= 3, region
        height = max(r["bottom"] for r in region["rectangles"]) - min(r["top"] for r in region["rectangles"])
        assert 6 <= height <= 30, region


def test_pdf_style_info(api_a, pdf_comparison):
    changes = _details(api_a, pdf_comparison.identifier)["changes"]
    for c in changes:
        si = c["stylesInfo"]
        if si is None:
            continue
        for side in ("left", "right"):
            styles, smap = si[f"{side}Styles"], si[f"{side}StyleMap"]
            if smap is not None:
                assert len(smap) == len(styles), si
            for st in styles:
                assert st["font"] and "helvetica" in st["font"].lower(), st
                assert abs(st["size"] - redline_pdf.FONT_SIZE) < 0.6, st
                assert st["color"] == "#000000", st


def test_two_page_documents_page_indexes(client_a, api_a, tmp_docs):
    c = _create_ready(client_a, tmp_docs["left2.pdf"], tmp_docs["right2.pdf"])
    assert c.failed is False, c.error_message
    details = _details(api_a, c.identifier)
    changes = details["changes"]
    deletion = next(c for c in changes if c["kind"] == "delete" and "deleted entirely" in norm(c["leftText"]))
    insertion = next(c for c in changes if c["kind"] == "insert" and "closing sentence" in norm(c["rightText"]))
    assert deletion["leftRegion"]["pageIndex"] == 1
    assert insertion["rightRegion"]["pageIndex"] == 1
    assert abs(_centre_y(deletion["leftRegion"]["rectangles"]) - (redline_pdf.baseline_top_left(0) - 4)) <= 6
    assert details["summary"]["leftDocumentSummary"]["pageCount"] == 2
    _assert_regions_well_formed(changes)
    _assert_summary_consistent(details)


def test_identical_documents_have_no_changes(client_a, api_a, tmp_docs):
    c = _create_ready(client_a, tmp_docs["left.pdf"], tmp_docs["left.pdf"])
    assert c.failed is False, c.error_message
    details = _details(api_a, c.identifier)
    assert details["summary"]["anyChanges"] is False
    assert all(ch["kind"] == "match" for ch in details["changes"]), describe_changes(details["changes"])
    _assert_summary_consistent(details)


def test_official_client_parses_change_details(client_a, pdf_comparison):
    cd = client_a.comparisons.change_details(pdf_comparison.identifier)
    assert cd is not None
    kinds = {ch.kind for ch in cd.changes}
    assert {"match", "delete", "insert"} <= kinds
    assert cd.summary.anyChanges is True
    assert cd.summary.changeSummary.insertions >= 1
    assert cd.summary.leftDocumentSummary.pageCount == 1
    for ch in cd.changes:
        region = ch.leftRegion or ch.rightRegion
        assert region is not None and region.pageIndex == 0 and region.rectangles


def test_style_change_extension(client_a, api_a, tmp_docs):
    """Redline extension: the same words with different emphasis are a `style` change."""
    c = _create_ready(client_a, tmp_docs["style-left.pdf"], tmp_docs["style-right.pdf"])
    assert c.failed is False, c.error_message
    details = _details(api_a, c.identifier)
    changes = details["changes"]
    listing = describe_changes(changes)
    assert not _kinds(changes, "insert", "delete", "replace"), f"restyled text reported as a text change:\n{listing}"
    styled = _kinds(changes, "style")
    assert styled, f"no style change:\n{listing}"
    assert any("brown" in segment_texts(s) for s in styled), listing
    s = styled[0]
    assert s["leftRegion"] and s["rightRegion"]
    right_emph = {st["emphasis"] for st in s["stylesInfo"]["rightStyles"]}
    assert any("bold" in e for e in right_emph), s["stylesInfo"]
    assert details["summary"]["changeSummary"]["styleChanges"] == len(styled)
    _assert_summary_consistent(details)


def test_move_change_extension(client_a, api_a, tmp_docs):
    """Redline extension: a sentence that moved is a `move` change, not delete + insert."""
    c = _create_ready(client_a, tmp_docs["move-left.pdf"], tmp_docs["move-right.pdf"])
    assert c.failed is False, c.error_message
    details = _details(api_a, c.identifier)
    changes = details["changes"]
    listing = describe_changes(changes)
    moves = [m for m in _kinds(changes, "move") if "thirty days" in segment_texts(m)]
    assert moves, f"moved sentence not reported as a move:\n{listing}"
    m = moves[0]
    assert abs(_centre_y(m["leftRegion"]["rectangles"]) - (redline_pdf.baseline_top_left(0) - 4)) <= 6, m
    assert abs(_centre_y(m["rightRegion"]["rectangles"]) - (redline_pdf.baseline_top_left(3) - 4)) <= 6, m
    _assert_summary_consistent(details)


# ---- delete ----------------------------------------------------------------------------------


def test_delete_then_not_found(client_a, api_a, tmp_docs):
    c = client_a.comparisons.create(make_side(str(tmp_docs["left.txt"])), make_side(str(tmp_docs["right.txt"])))
    wait_ready(client_a, c.identifier)
    r = api_a.delete(f"/comparisons/{c.identifier}")
    assert r.status_code == 204 and r.content == b""
    with pytest.raises(NotFound):
        client_a.comparisons.get(c.identifier)
    with pytest.raises(NotFound):
        client_a.comparisons.delete(c.identifier)
    r = api_a.get(f"/comparisons/{c.identifier}/change-details")
    assert r.status_code == 404
    assert c.identifier not in [x.identifier for x in client_a.comparisons.all()]


def test_delete_with_official_client(client_a, tmp_docs):
    c = client_a.comparisons.create(make_side(str(tmp_docs["left.txt"])), make_side(str(tmp_docs["right.txt"])))
    client_a.comparisons.delete(c.identifier)  # may still be processing
    with pytest.raises(NotFound):
        client_a.comparisons.get(c.identifier)


def test_identifier_reusable_after_delete(client_a, tmp_docs):
    identifier = new_id("reuse")
    client_a.comparisons.create(make_side(str(tmp_docs["left.txt"])), make_side(str(tmp_docs["right.txt"])), identifier=identifier)
    client_a.comparisons.delete(identifier)
    c = client_a.comparisons.create(make_side(str(tmp_docs["left.txt"])), make_side(str(tmp_docs["right.txt"])), identifier=identifier)
    assert c.identifier == identifier
    assert wait_ready(client_a, identifier).failed is False


def test_delete_while_processing_is_clean(api_a):
    """DELETE right after POST (the job may be running) must be a 204, never a 500."""
    statuses = []
    for _ in range(6):
        files = {"left.file": ("l.pdf", docs.LEFT_PDF_2P), "right.file": ("r.pdf", docs.RIGHT_PDF_2P)}
        r = api_a.post("/comparisons", data={"left.file_type": "pdf", "right.file_type": "pdf"}, files=files)
        assert r.status_code == 201, r.text
        ident = r.json()["identifier"]
        from redline_support import contract_unchecked
        with contract_unchecked():  # report the status below instead of the undocumented 500
            d = api_a.delete(f"/comparisons/{ident}")
        statuses.append(d.status_code)
        if d.status_code == 204:
            assert api_a.get(f"/comparisons/{ident}").status_code == 404
    assert statuses == [204] * len(statuses), f"DELETE during processing answered {statuses}"


def test_concurrent_creates_all_complete(client_a, api_a):
    import concurrent.futures

    def one(i):
        files = {"left.file": (f"l{i}.txt", (docs.LEFT_TEXT + f"Extra line {i}.\n").encode()),
                 "right.file": (f"r{i}.txt", docs.RIGHT_TEXT.encode())}
        r = api_a.post("/comparisons", data={"left.file_type": "txt", "right.file_type": "txt"}, files=files)
        assert r.status_code == 201, r.text
        return api_a.wait_ready(r.json()["identifier"], timeout=120)

    with concurrent.futures.ThreadPoolExecutor(max_workers=6) as pool:
        results = list(pool.map(one, range(6)))
    assert all(r["failed"] is False for r in results), results
    assert len({r["identifier"] for r in results}) == 6
