"""Letters of lists, as a person sees them: Word's automatic letters are Latin (a, b, c, d, e, f, …, z,
aa, bb), typed sub-points the decree's Vietnamese alphabet (a, b, c, d, đ, e, …). The three readers of a
Word file — docread (for ``vanban check`` and ``vanban import``), the importer's reading of the body,
and textconv (``git diff``) — must all show Word's letters as Word shows them.

The expected values are what Word shows for these files (ECMA-376 Part 1, §17.18.59 ``lowerLetter``;
LibreOffice's text export of the same files agrees), and what the decree prescribes for typed points.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from pipeline.cli import main
from pipeline.decree.labels import point_letter, point_value, roman, roman_value, word_number
from pipeline.docread import read
from pipeline.importer.mapping import body_lines
from pipeline.importer.textparse import token
from pipeline.vcs.textconv import docx_lines
from tests.helpers.word_lists import PATH as WORD_LIST

CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpus"
needs_corpus = pytest.mark.skipif(not CORPUS.is_dir(), reason="../shared/corpus is absent")

# what Word shows before the six paragraphs of its automatic list, and their text
SHOWN = ["a)", "b)", "c)", "d)", "e)", "f)"]
AUTOMATIC = ["Rà soát thủ tục hành chính", "Công khai thủ tục trên Cổng dịch vụ công", "Tiếp nhận hồ sơ trực tuyến",
             "Số hóa hồ sơ, kết quả giải quyết", "Đo lường sự hài lòng của người dân", "Báo cáo kết quả hằng quý"]
# the list typed by hand under it, in the decree's alphabet
TYPED = ["a) Kiện toàn bộ phận một cửa.", "b) Bố trí công chức tiếp nhận.", "c) Niêm yết thủ tục.",
         "d) Trả kết quả đúng hạn.", "đ) Xin lỗi khi trễ hạn.", "e) Tổng hợp kiến nghị."]


def test_textconv_shows_words_letters_as_word_does():
    lines = docx_lines(WORD_LIST)
    assert [f"{label} {text}" for label, text in zip(SHOWN, AUTOMATIC)] == [
        line for line in lines if line.endswith(tuple(AUTOMATIC))]
    assert [line for line in lines if line.endswith(".") and ") " in line] == TYPED


def test_docread_for_check_reads_words_letters_as_word_does():
    doc = read(WORD_LIST)
    numbered = [p for p in doc.paragraphs if p.auto_number]
    assert [(p.number_label, p.stripped) for p in numbered] == list(zip(SHOWN, AUTOMATIC))
    letters = [it for it in doc.items if it.level == "letter"]
    assert [it.label for it in letters[:6]] == SHOWN  # Word counts these: no value of their own
    assert [it.value for it in letters[:6]] == [None] * 6
    # the typed ones keep the decree's alphabet: đ is the fifth letter, e the sixth
    assert [(it.label, it.value) for it in letters[6:]] == [("a", 1), ("b", 2), ("c", 3), ("d", 4), ("đ", 5),
                                                            ("e", 6)]


def test_check_finds_both_lists_in_sequence():
    result = CliRunner().invoke(main, ["check", "--no-schema", "--format", "json", str(WORD_LIST)])
    assert "body.numbering" not in result.output


def test_import_reads_words_letters_as_word_does():
    doc = read(WORD_LIST)
    tokens = [token(line.text, line.auto_label) for line in body_lines(doc, len(doc.paragraphs))]
    points = [(t.label, t.text) for t in tokens if t.kind == "point"]
    assert points[:6] == list(zip(SHOWN, AUTOMATIC))
    assert [f"{label} {text}" for label, text in points[6:]] == TYPED


def test_words_letters_after_z_and_the_decrees_letters():
    """Word: a … z, then the letter doubled (aa, bb); upperLetter the same in capitals. The decree's
    points: a, b, c, d, đ, e, g, h, i, k — no f, j, w, z."""
    assert [word_number(n, "lowerLetter") for n in (1, 5, 6, 26, 27, 28, 53)] == \
        ["a", "e", "f", "z", "aa", "bb", "aaa"]
    assert [word_number(n, "upperLetter") for n in (4, 5, 27)] == ["D", "E", "AA"]
    assert [word_number(n, "upperRoman") for n in (1, 4, 9, 14)] == ["I", "IV", "IX", "XIV"]
    assert [word_number(n, "lowerRoman") for n in (3, 40)] == ["iii", "xl"]
    assert [word_number(n, "decimalZero") for n in (1, 10)] == ["01", "10"]
    assert word_number(3, "bullet") == "" and word_number(3, "decimal") == "3"
    assert [point_letter(i) for i in range(10)] == ["a", "b", "c", "d", "đ", "e", "g", "h", "i", "k"]
    assert [point_value(x) for x in ("a", "đ", "e", "g", "f")] == [1, 5, 6, 7, None]
    assert [roman(n) for n in (1, 4, 1990)] == ["I", "IV", "MCMXC"]
    assert [roman_value(s) for s in ("I", "IV", "XIV", "MCMXC", "IIII", "")] == [1, 4, 14, 1990, None, None]
    # the importer takes Word's doubled letters for points too
    assert token("Nội dung", "aa)").kind == "point"


# The Lâm Đồng CCHC plan 2026 (shared corpus): in its part on organisation, points typed by hand a) … đ) e) g),
# then two lists lettered by Word (numFmt lowerLetter, lvlText "%1)"): three points, then two.
BY_HAND = ["a) Các cơ quan, đơn vị, địa phương tổ chức quán triệt", "b) Quan tâm bố trí đủ nguồn lực",
           "c) Thủ trưởng các sở, ban, ngành và Chủ tịch", "d) Đẩy mạnh tuyên truyền",
           "đ) Thường xuyên kiểm tra, giám sát", "e) Chủ động đề xuất áp dụng", "g) Đối với các cơ quan Trung ương"]
BY_WORD = ["a) Các sở, ban, ngành và Ủy ban nhân dân các xã", "b) Cơ quan, đơn vị được giao nhiệm vụ",
           "c) Sở Nội vụ có trách nhiệm", "a) Kinh phí thực hiện Kế hoạch", "b) Các cơ quan, đơn vị, địa phương căn cứ"]


@needs_corpus
def test_a_real_plan_lettered_by_hand_and_by_word():
    (path,) = [p for p in CORPUS.iterdir() if "Ke_hoach_CCHC_2026_cua_tinh" in p.name]
    lines = docx_lines(path)
    assert [next(line[:len(x)] for line in lines if line.startswith(x)) for x in BY_HAND + BY_WORD] == BY_HAND + BY_WORD
    doc = read(path)
    by_word = [f"{p.number_label} {p.stripped}" for p in doc.paragraphs if p.auto_number == "lowerLetter"]
    assert [line[:len(x)] for line, x in zip(by_word, BY_WORD)] == BY_WORD and len(by_word) == len(BY_WORD)
    by_hand = [(it.label, it.value) for it in doc.items if it.level == "letter" and it.value is not None]
    assert by_hand[-7:] == [("a", 1), ("b", 2), ("c", 3), ("d", 4), ("đ", 5), ("e", 6), ("g", 7)]
