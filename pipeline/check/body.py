"""§4 the body: running text (alignment, indent, spacing, size), and its numbering — parts, chapters, articles,
sections, clauses and points in sequence; §9 the "Kính gửi" block of the decree's models."""

from __future__ import annotations

from collections.abc import Callable

from pipeline.check.checker import R, Checker
from pipeline.decree.labels import VIET_LETTERS, roman
from pipeline.docread.document import Document, Para

INDENT_TOLERANCE = 28  # twips (0.5 mm)
SINGLE_LINE = 1.15  # Times New Roman's single line is 1.15 × the font size (ascent + descent)


def body_paragraphs(doc: Document) -> list[Para]:
    """Running text: paragraphs of the body long enough to be more than a heading, not centred."""
    return [p for p in doc.body if len(p.stripped) >= 60 and p.align != "center"
            and not p.stripped.startswith("Kính gửi") and not placeholder(p.stripped)
            and p.stripped != p.stripped.upper()]


def placeholder(text: str) -> bool:
    """A line of a model form, mostly dots to be filled in ("Căn cứ ......................")."""
    return text.count(".") + text.count("…") + text.count("_") >= 0.3 * len(text)


def line_spacing(p: Para) -> float:
    """Line spacing in lines (1.0 = single): 'auto' in 240ths, 'exact'/'atLeast' against the font's line."""
    if p.line is None:
        return 1.0
    if p.line_rule == "auto":
        return p.line / 240
    single = max(p.sizes(), default=R["size.body"].lo) * 20 * SINGLE_LINE
    return p.line / single if p.line_rule == "exact" else max(1.0, p.line / single)


def model_forms(doc: Document) -> bool:
    """The file is a set of the decree's model forms (“Mẫu 1.1 …”), with blanks to fill in."""
    return sum(it.level == "form" for it in doc.items) >= 2


def body_tests() -> list[tuple[str, Callable[[Para], bool], str, str]]:
    """The §4 rules of running text: (rule, does a paragraph follow it, what it asks, what it allows); ``check``
    reports the paragraphs that do not, ``fix`` mends the same ones."""
    ind, sp, ln = R["indent.first_line"], R["spacing.after"], R["spacing.line"]
    return [
        ("body.align", lambda p: p.align == "both", "đoạn văn phải căn đều hai bên", "căn đều"),
        ("body.indent", lambda p: ind.admits(p.indent_left + p.indent_first, INDENT_TOLERANCE),
         f"{ind.what} phải {ind.words()}", ind.words()),
        ("body.spacing", lambda p: sp.admits(max(p.space_before, p.space_after)),
         f"{sp.what} tối thiểu {sp.lo / 20:g} pt", f"≥ {sp.lo / 20:g} pt"),
        ("body.line-spacing", lambda p: ln.admits(line_spacing(p) * 240, 12), f"{ln.what} {ln.words()}", ln.words()),
        ("body.size", lambda p: all(R["size.body"].admits(s) for s in p.sizes()),
         f"{R['size.body'].what} {R['size.body'].words()}", R["size.body"].words()),
    ]


def check_body(c: Checker) -> None:
    paras = body_paragraphs(c.doc)
    if model_forms(c.doc):
        c.skip("body", "tệp là tập mẫu văn bản có chỗ trống để điền: không đánh giá định dạng phần nội dung")
        return
    if not paras:
        c.skip("body", "không có đoạn văn nội dung đủ dài (từ 60 ký tự) để đánh giá")
        return
    checks = body_tests()
    measure = {
        "body.align": lambda p: p.align,
        "body.indent": lambda p: f"{(p.indent_left + p.indent_first) / 567:.2f} cm",
        "body.spacing": lambda p: f"trước {p.space_before / 20:g} pt, sau {p.space_after / 20:g} pt",
        "body.line-spacing": lambda p: f"{line_spacing(p):.2f} dòng",
        "body.size": lambda p: ", ".join(f"{s:g}" for s in sorted(p.sizes())),
    }
    for rule, ok, message, allowed in checks:
        bad = [p for p in paras if not ok(p)]
        if bad:
            got = measure[rule](bad[0])
            c.fail(rule, bad[0], f"{message}; đoạn đầu tiên sai: {got} — §4", measured=got, allowed=allowed,
                   section="§4", count=(len(bad), len(paras)))


ORDINALS = {"nhất": 1, "hai": 2, "ba": 3, "tư": 4, "năm": 5, "sáu": 6, "bảy": 7, "tám": 8, "chín": 9, "mười": 10}
LEVELS = ["form", "part", "chapter", "section", "article", "roman", "arabic", "decimal", "letter"]


def _value(item) -> int | None:
    if item.level == "part" and item.label.startswith("thứ"):
        return ORDINALS.get(item.label.split()[-1].lower())
    return item.value


def check_numbering(c: Checker) -> None:
    """§4: parts, chapters, articles, sections, clauses and points in sequence, no gaps or repeats; clauses
    restart in each Điều (and each Roman section), points in each clause."""
    if model_forms(c.doc):
        c.skip("body.numbering", "tệp là tập mẫu văn bản: mỗi mẫu đánh số riêng")
        return
    # (level, depth) -> the number expected next, by the label's parent ("2.1" for "2.1.3."; "" for others):
    # a handful of keys whatever the file, so each item costs the same
    expected: dict[tuple[str, int], dict[str, int]] = {}
    slips = []
    for item in c.doc.items:
        if item.level in ("dash", "plus"):
            continue
        rank = LEVELS.index(item.level)
        for k in [k for k in expected if LEVELS.index(k[0]) > rank or (k[0] == item.level == "decimal"
                                                                         and k[1] > item.depth)]:
            if k[0] == "article" and item.level in ("part", "chapter", "section"):
                continue  # articles run on through chapters
            del expected[k]
        counts = expected.setdefault((item.level, item.depth), {})
        parent = item.label.rsplit(".", 1)[0] if item.level == "decimal" else ""
        want, got = counts.get(parent, 1), _value(item)
        if got is not None and got != want:
            slips.append((item, want, got))
        counts[parent] = (got if got is not None else want) + 1
    if slips:
        item, want, got = slips[0]
        what = "trùng" if got < want else "bỏ cách"
        label = _label(item, want)
        more = f"; còn {len(slips) - 1} chỗ khác: " + ", ".join(f"“{s[0].label}” ({s[0].para.place.words()})"
                                                                for s in slips[1:4]) if len(slips) > 1 else ""
        c.fail("body.numbering", item.para, f"số thứ tự “{item.label}” {what}: cần “{label}” — đánh số liên tục, "
               f"không trùng, không bỏ cách{more} — §4", measured=item.label, allowed=label, section="§4")


def _label(item, want: int) -> str:
    if item.level in ("roman",) or (item.level in ("part", "chapter") and not item.label.isdigit()
                                    and not item.label.startswith("thứ")):
        return roman(want)
    if item.level == "letter":
        return VIET_LETTERS[want - 1] + ")" if want <= len(VIET_LETTERS) else "?"
    if item.level == "decimal":
        return item.label.rsplit(".", 1)[0] + f".{want}"
    return str(want)


# ------------------------------------------------------------------ §9 "Kính gửi" (convention of the decree's models)
def check_addressees(c: Checker) -> None:
    names = c.doc.addressees
    head = next((p for p in c.doc.body[:8] if p.stripped.startswith("Kính gửi")), None)
    if head is None or not names:
        return
    c.style_rule("to.style", head, "to", "warning")
    if len(names) == 1 and not names[0].endswith("."):
        c.fail("to.form", head, f"“Kính gửi: {names[0]}”: một nơi nhận viết cùng dòng, kết thúc bằng dấu chấm — §9",
               "warning", measured=names[0], allowed="Kính gửi: ….", section="§9")
    elif len(names) > 1 and not (all(n.endswith(";") for n in names[:-1]) and names[-1].endswith(".")):
        c.fail("to.form", head, "nhiều nơi nhận: mỗi dòng bắt đầu bằng “-”, kết thúc bằng “;”, dòng cuối bằng "
               "“.” — §9", "warning", section="§9")
