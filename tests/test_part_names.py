"""Readers find a .docx's parts by relationship, as Word does, not by their usual names.

Word for the web saves the main part as ``word/document2.xml``; other programs name the core
properties ``docProps/core1.xml``. Such a file is a valid Word document (Word opens it), so
``git diff`` (textconv), the redline, the PDF step's weights and its "not written yet" warning
must read it as they read any other. Each test renames the parts of a committed document and
expects what the unrenamed document gives.
"""

from __future__ import annotations

import io
import re
import zipfile

import pytest

from pipeline.ooxml import safezip
from pipeline.pdf.notes import warn_drafter_notes
from pipeline.pdf.pool import PER_FILE_WEIGHT, work_weight
from pipeline.vcs.redline import FALLBACK_DATE, redline
from pipeline.vcs.textconv import docx_lines
from tests.conftest import OUTPUTS
from tests.docx_read import zip_parts, zipped

PLAN = OUTPUTS / "ke-hoach-cchc.docx"
RENAMES = {"word/document.xml": "word/document2.xml", "docProps/core.xml": "docProps/core1.xml",
           "word/styles.xml": "word/styles9.xml", "word/numbering.xml": "word/numbering3.xml"}


def renamed(data: bytes, renames: dict[str, str] = RENAMES) -> bytes:
    """``data`` with parts under other names (by default its main, core, styles and numbering parts),
    every reference mended."""
    parts = zip_parts(data)
    for old, new in renames.items():
        if old not in parts:
            continue
        parts[new] = parts.pop(old)
        folder, _, name = old.rpartition("/")
        if f"{folder}/_rels/{name}.rels" in parts:
            parts[f"{folder}/_rels/{new.rpartition('/')[2]}.rels"] = parts.pop(f"{folder}/_rels/{name}.rels")
        for rels in [n for n in parts if n.endswith(".rels")] + ["[Content_Types].xml"]:
            # targets are written relative to the source part's folder, or absolute in [Content_Types]
            parts[rels] = parts[rels].replace(f'"{name}"'.encode(), f'"{new.rpartition("/")[2]}"'.encode()) \
                .replace(f'"/{old}"'.encode(), f'"/{new}"'.encode()).replace(f'"{old}"'.encode(), f'"{new}"'.encode())
    assert not set(renames) & set(parts), "a part kept its usual name"
    return zipped(parts)


def with_text(data: bytes, old: str, new: str) -> bytes:
    parts = zip_parts(data)
    main = next(n for n in ("word/document.xml", "word/document2.xml") if n in parts)
    assert old.encode() in parts[main]
    parts[main] = parts[main].replace(old.encode(), new.encode(), 1)
    return zipped(parts)


@pytest.fixture(scope="module")
def plan() -> bytes:
    return PLAN.read_bytes()


def test_the_renamed_copy_is_found_by_relationship(plan):
    with safezip.open_zip(renamed(plan)) as z:
        assert safezip.main_part(z) == "word/document2.xml"
        assert safezip.related(z, "core-properties") == "docProps/core1.xml"
        assert safezip.related(z, "styles", "word/document2.xml") == "word/styles9.xml"
    with safezip.open_zip(plan) as z:
        assert safezip.main_part(z) == "word/document.xml"


def test_git_diff_reads_the_renamed_document_as_the_original(plan):
    lines = docx_lines(plan)
    assert any("Xuân Bình" in line for line in lines)
    assert any(re.match(r"^1\. ", line) for line in lines)  # numbering labels come from numbering.xml
    assert docx_lines(renamed(plan)) == lines


def test_the_redline_of_a_renamed_document_marks_the_change_in_its_own_main_part(plan):
    new = renamed(with_text(plan, "Xuân Bình", "Xuân Bình Mới"))
    out, counts = redline(plan, new)
    assert counts["ins"] >= 1 and counts["del"] >= 1
    parts = zip_parts(out)
    assert "word/document.xml" not in parts
    xml = parts["word/document2.xml"].decode("utf-8")
    dates = set(re.findall(r'w:date="([^"]+)"', xml))
    core = parts["docProps/core1.xml"].decode("utf-8")
    modified = re.search(r"<dcterms:modified[^>]*>([^<]+)<", core).group(1)
    assert dates == {modified} != {FALLBACK_DATE}  # the revision date is the new document's own


def test_the_pdf_step_weighs_and_warns_on_a_renamed_document(plan, tmp_path):
    original, copy = tmp_path / "a.docx", tmp_path / "b.docx"
    note = "[Cán bộ soạn thảo viết: kết quả.]"
    original.write_bytes(with_text(plan, "Xuân Bình", f"Xuân Bình {note} {note}"))
    copy.write_bytes(renamed(original.read_bytes()))
    assert work_weight(copy) == len(zip_parts(original)["word/document.xml"]) + PER_FILE_WEIGHT

    class Err:
        said: list[str] = []

        def print(self, text: str) -> None:
            self.said.append(text)

    err = Err()
    assert warn_drafter_notes([original, copy], err) == [(original, 2), (copy, 2)]
    assert all("Chưa viết xong" in s and "2 chỗ" in s for s in err.said)


def test_a_relationships_part_beyond_the_limit_is_refused_not_read(plan, monkeypatch):
    parts = zip_parts(plan)
    parts["_rels/.rels"] = parts["_rels/.rels"].replace(b"</Relationships>", b" " * 5000 + b"</Relationships>")
    monkeypatch.setattr(safezip, "MEMBER_LIMIT", 4000)
    with zipfile.ZipFile(io.BytesIO(zipped(parts))) as z, pytest.raises(safezip.BadDocx, match="giới hạn"):
        safezip.main_part(z)
