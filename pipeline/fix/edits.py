"""The mends of ``vanban fix`` on the paragraphs of the body: a text style's weight, slant, size and
capitals, running text's layout (§4), the sizes of "Nơi nhận", and the few characters the decree
fixes (the motto's hyphens, leading zeros, the punctuation of "Nơi nhận").

Each mend goes to the elements the checker judged, found through the same model (``docread``) and the same
tests (``check``): a run's properties are changed only where the rule's test fails for that run, to vanban's
chosen value (``decree.rules``). Every mend is recorded as a ``Change`` (rule, place, from → to).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from pipeline.check.body import body_paragraphs, body_tests, model_forms
from pipeline.check.checker import split_first_line
from pipeline.check.closing import archive_fault
from pipeline.decree import rules
from pipeline.docread.document import Document, Para
from pipeline.docread.structure import parse_number
from pipeline.docread.xmlparts import W, run_text, runs_of
from pipeline.fix.track import Revisions, put

R, S = rules.RULES, rules.STYLES
ALIGN_WORDS = {"left": "trái", "right": "phải", "center": "giữa", "both": "đều hai bên"}
CENTRED = {"title.type", "appendix.style"}  # §3 the type name, §6 the "Phụ lục" line: centred


@dataclass
class Change:
    rule: str
    where: str
    before: str
    after: str


def run_elements(p: Para) -> list:
    """The run elements behind ``p.runs`` (runs with visible text, in the same order)."""
    return [r for r in runs_of(p.el) if run_text(r).strip()]


def half_points(size: float) -> str:
    return str(int(round(size * 2)))


def _flag(pr, name: str, on: bool) -> None:
    put(pr, name, {} if on else {"val": "0"}, drop=("val",))


# ------------------------------------------------------------------ text styles (§2, §3, §5, §9)
def style_paragraphs(doc: Document, rule: str) -> list[tuple[Para, slice]]:
    """The paragraphs (and which of their runs) the checker holds to the style of ``rule``."""
    h, t, s, rec = doc.header, doc.title, doc.signature, doc.recipients
    out: list[tuple[Para, slice]] = []
    whole = slice(None)
    if h is not None:
        head = len(split_first_line(h.national)[0])
        if rule == "header.national":
            out.append((h.national, slice(0, head or None)))
        if rule == "header.motto-style" and h.motto is not None:
            out.append((h.motto, slice(head, None) if h.motto is h.national else whole))
        if rule == "header.agency-style":
            out += [(p, whole) for p in h.agency]
        if rule == "header.parent-style":
            out += [(p, whole) for p in h.parent]
        if rule == "header.number-style" and h.number is not None:
            out.append((h.number.para, whole))
        if rule == "header.date-style" and h.date is not None:
            out.append((h.date.para, whole))
        if rule == "header.about-style":
            out += [(p, whole) for p in h.about]
    if t is not None and rule == "title.type" and not (t.summary and t.summary[0] is t.type_para):
        out.append((t.type_para, whole))
    if t is not None and rule == "title.summary":
        out += [(p, whole) for p in t.summary if p is not t.type_para]
    if s is not None and rule == "signature.style":
        out += [(p, slice(0, len(split_first_line(p)[0]) or None)) for p in ([s.authority] if s.form else []) + s.positions]
    if s is not None and rule == "signature.name" and s.signer is not None:
        out.append((s.signer, whole))
    if rec is not None and rule == "recipients.title":
        out.append((rec.title, slice(0, len(split_first_line(rec.title)[0]) or None)))
    if rule == "appendix.style":
        out += [(a.label, whole) for a in doc.appendices]
    if rule == "to.style":
        out += [(p, whole) for p in doc.body[:8] if p.stripped.startswith("Kính gửi")][:1]
    return out


def fix_style(doc: Document, rev: Revisions, rule: str, key: str) -> list[Change]:
    st, size = S[key], R[S[key].size]
    changes = []
    for p, which in style_paragraphs(doc, rule):
        done: dict[tuple[str, str], None] = {}  # (from, to), in order
        for run, el in list(zip(p.runs, run_elements(p)))[which]:
            wants = _style_wants(run, st)
            bad_size = not size.admits(run.size)
            if not wants and not bad_size:
                continue

            def change(pr, wants=wants, bad_size=bad_size):
                for name, on, _ in wants:
                    _flag(pr, name, on)
                if bad_size:
                    put(pr, "sz", {"val": half_points(size.chosen)})
            if rev.edit(el, "rPr", change):
                done |= {w: None for _, _, w in wants}
                if bad_size:
                    done[(f"cỡ {run.size:g}", f"cỡ {size.chosen:g}")] = None
        if rule in CENTRED and p.align != "center" and rev.edit(p.el, "pPr", _centred):
            done[(f"căn {ALIGN_WORDS.get(p.align, p.align)}", "căn giữa")] = None
        if done:
            changes.append(Change(rule, f"{p.place.words()} ({st.what})", ", ".join(a for a, _ in done),
                                  ", ".join(b for _, b in done)))
    return changes


def _centred(pr) -> None:
    put(pr, "jc", {"val": "center"})


def _style_wants(run, st) -> list[tuple[str, bool, tuple[str, str]]]:
    """The properties of ``run`` that break the style ``st``: (element, on, (from, to) in words)."""
    wants = []
    if run.bold != st.bold:
        wants.append(("b", st.bold, ("không đậm", "đậm") if st.bold else ("đậm", "không đậm")))
    if run.italic != st.italic:
        wants.append(("i", st.italic, ("đứng", "nghiêng") if st.italic else ("nghiêng", "đứng")))
    if st.upper and not (run.caps or run.text == run.text.upper()):
        wants.append(("caps", True, ("chữ thường", "in hoa")))
    return wants


# ------------------------------------------------------------------ running text (§4)
def fix_body(doc: Document, rev: Revisions, rule: str) -> list[Change]:
    if model_forms(doc):
        return []
    ok = next(t[1] for t in body_tests() if t[0] == rule)
    bad = [p for p in body_paragraphs(doc) if not ok(p)]
    n = 0
    for p in bad:
        if rule == "body.size":
            for run, el in zip(p.runs, run_elements(p)):
                if not R["size.body"].admits(run.size):
                    n += rev.edit(el, "rPr", lambda pr: put(pr, "sz", {"val": half_points(R["size.body"].chosen)}))
            continue
        n += rev.edit(p.el, "pPr", _para_mend(rule, p))
    if not bad or not n:
        return []
    after = {"body.align": "căn đều hai bên", "body.indent": f"lùi đầu dòng {R['indent.first_line'].chosen / 567:.2f} cm",
             "body.spacing": f"cách đoạn sau {R['spacing.after'].chosen / 20:g} pt",
             "body.line-spacing": f"cách dòng {R['spacing.line'].chosen / 240:g} dòng",
             "body.size": f"cỡ {R['size.body'].chosen:g}"}[rule]
    return [Change(rule, f"{len(bad)} đoạn, từ {bad[0].place.words()}", "ngoài khoảng Nghị định cho phép", after)]


def _para_mend(rule: str, p: Para):
    def change(pr):
        if rule == "body.align":
            put(pr, "jc", {"val": "both"})
        elif rule == "body.indent":
            first = int(R["indent.first_line"].chosen) - p.indent_left
            put(pr, "ind", {"firstLine": str(first)} if first >= 0 else {"hanging": str(-first)},
                drop=("firstLine", "hanging", "firstLineChars", "hangingChars"))
        elif rule == "body.spacing":
            put(pr, "spacing", {"after": str(int(R["spacing.after"].chosen))}, drop=("afterLines", "afterAutospacing"))
        elif rule == "body.line-spacing":
            put(pr, "spacing", {"line": str(int(R["spacing.line"].chosen)), "lineRule": "auto"})
    return change


def fix_recipient_sizes(doc: Document, rev: Revisions) -> list[Change]:
    r = doc.recipients
    if r is None:
        return []
    size = R["size.recipients"]
    n, seen = 0, set[float]()
    for p in [p for _, ps in r.entries for p in ps if p is not r.title]:
        for run, el in zip(p.runs, run_elements(p)):
            if not size.admits(run.size) and rev.edit(el, "rPr", lambda pr: put(pr, "sz", {"val": half_points(size.chosen)})):
                n, seen = n + 1, seen | {run.size}
    was = "cỡ " + ", ".join(f"{x:g}" for x in sorted(seen))
    return [Change("recipients.size", f"{n} đoạn chữ trong “Nơi nhận”", was, f"cỡ {size.chosen:g}")] if n else []


# ------------------------------------------------------------------ characters the decree fixes
def text_nodes(p: Para) -> list:
    return [t for r in runs_of(p.el) for t in r.iterchildren(W + "t")]


def replace_in(p: Para, rev: Revisions, start: int, end: int, new: str) -> bool:
    """Replace characters ``start:end`` of the paragraph's text (its ``w:t`` joined) when they sit in one node."""
    pos = 0
    for t in text_nodes(p):
        n = len(t.text or "")
        if pos <= start and end <= pos + n and (start < pos + n or end == start == pos + n):
            return rev.replace(t, start - pos, end - pos, new)
        pos += n
    return False


def joined(p: Para) -> str:
    return "".join(t.text or "" for t in text_nodes(p))


def fix_chars(doc: Document, rev: Revisions, rule: str) -> list[Change]:
    edits = _char_edits(doc, rule)
    changes = []
    for p, start, end, new in sorted(edits, key=lambda e: (e[0].place.index, -e[1])):  # right to left
        old = joined(p)
        if replace_in(p, rev, start, end, new):
            changes.append(Change(rule, p.place.words(), f"“{old[max(start - 8, 0):end + 8]}”",
                                  f"“{old[max(start - 8, 0):start]}{new}{old[end:end + 8]}”"))
    return changes


Edit = tuple[Para, int, int, str]  # paragraph, start, end (in its ``joined`` text), new characters


def _char_edits(doc: Document, rule: str) -> list[Edit]:
    h = doc.header
    if rule == "header.motto-dash" and h is not None and h.motto is not None:
        text = joined(h.motto)
        at = text.find("Độc lập")
        return [(h.motto, m.start(), m.end(), "-") for m in re.finditer("[–—]", text) if 0 <= at < m.start()]
    if rule == "header.date-zero" and h is not None and h.date is not None and h.date.day:
        return _date_zeros(h.date.para)
    if rule == "header.number" and h is not None and h.number is not None and not h.number.well_formed:
        return _number_dashes(h.number.para)
    if rule == "header.number-zero" and h is not None and h.number is not None and len(h.number.number) == 1:
        found = re.search(r"(?<!\d)(\d)/", joined(h.number.para))
        return [(h.number.para, found.start(1), found.start(1), "0")] if found else []
    if rule in ("recipients.entry", "recipients.archive") and doc.recipients is not None:
        return _recipient_marks(doc, rule)
    return []


def _number_dashes(p: Para) -> list[Edit]:
    """§2: the groups of a symbol are joined by hyphens ("KH-UBND"); an en or em dash typed there is mended
    when the line, so mended, is one the reader takes as well formed (nothing else of it is wrong)."""
    mended = parse_number(replace(p, text=re.sub("[–—]", "-", p.text)))
    if mended is None or not mended.well_formed:
        return []
    return [(p, m.start(), m.end(), "-") for m in re.finditer("[–—]", joined(p))]


def _date_zeros(p: Para) -> list[Edit]:
    """§2: a day below 10 and the months 1 and 2 take a leading zero; the other months none."""
    text = joined(p)
    out: list[Edit] = []
    day = re.search(r"ngày\s+(\d{1,2})(?!\d)", text)
    month = re.search(r"tháng\s+(\d{1,2})(?!\d)", text)
    if day and len(day.group(1)) == 1:
        out.append((p, day.start(1), day.start(1), "0"))
    if month:
        n, digits = int(month.group(1)), month.group(1)
        if n <= 2 and len(digits) == 1:
            out.append((p, month.start(1), month.start(1), "0"))
        elif n > 2 and digits.startswith("0"):
            out.append((p, month.start(1), month.start(1) + 1, ""))
    return out


def _recipient_marks(doc: Document, rule: str) -> list[Edit]:
    """";" at the end of each recipient but the last, "." at the end of "- Lưu: VT, …" when only it is missing."""
    r = doc.recipients
    assert r is not None
    out = []
    entries = r.entries
    for i, (text, ps) in enumerate(entries):
        last = ps[-1]
        at = joined(last).rfind(text)  # entries may share a paragraph, one line each
        if at < 0:
            continue
        end = at + len(text)
        if rule == "recipients.entry" and i < len(entries) - 1 and text.startswith("-") and not text.endswith(";"):
            out.append((last, end - 1, end, ";") if text.endswith((".", ",", ":")) else (last, end, end, ";"))
        if rule == "recipients.archive" and i == len(entries) - 1 and archive_fault(text) \
                and archive_fault(text + ".") is None:  # only the closing "." is missing
            out.append((last, end, end, "."))
    return out

