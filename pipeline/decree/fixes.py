"""Which of ``vanban check``'s rules ``vanban fix`` may mend, declared as data beside ``rules.py``.

A rule is fixable when the decree fixes the value outright (a size, a weight, a margin inside a range, a
dash, a leading zero, the closing "." of "Lưu: VT") so that the mend changes no wording a person chose. Each
entry names how it is mended (``how``) and, for a text style, the ``rules.STYLES`` key whose weight, slant,
size and case are set; the value written is always vanban's chosen value (``RULES[…].chosen``) and only
where the checker's own test says the element is outside the decree's range.

``how``:

- ``section``: the section's properties (page size, margins, "different first page", page numbering);
- ``header``: the paragraph of the page header that holds the PAGE field (size, alignment);
- ``style``: the runs of the element the checker judged (weight, slant, size, capitals);
- ``body``: a paragraph of running text (alignment, indent, spacing, line spacing, size);
- ``font``: the typeface of runs not in Times New Roman;
- ``size``: the size of the lines of "Nơi nhận";
- ``chars``: a few characters the decree fixes (a dash, a hyphen in the number's symbol, a leading zero, ";"
  and "." of "Nơi nhận").

A rule that also covers faults of content is marked ``partly`` (``title.type``: the type name's weight, but
also the type and the summary typed on one line; ``header.number``: an en dash in the symbol, but also a
missing number line or a symbol without its drafting unit; ``title.summary``: its weight, but also no summary;
``recipients.archive``: its closing ".", but also a line that is not "- Lưu: …"): it is mended only in what
``how`` can reach, and ``check`` on the result reports the rest, for a person.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Fixable:
    rule: str
    how: str
    style: str | None = None  # rules.STYLES key for ``how == "style"``
    what: str = ""  # Vietnamese: what is mended
    partly: bool = False  # the rule id also covers faults of content, which stay for a person


def _f(rule: str, how: str, what: str, style: str | None = None, partly: bool = False) -> Fixable:
    return Fixable(rule, how, style, what, partly)


FIXABLE: dict[str, Fixable] = {f.rule: f for f in [
    _f("page.size", "section", "khổ giấy A4"),
    _f("page.margins", "section", "lề trang"),
    _f("pagenum.first-page", "section", "trang đầu không hiện số trang"),
    _f("pagenum.appendix", "section", "số trang phụ lục bắt đầu từ 1"),
    _f("pagenum.size", "header", "cỡ chữ số trang"),
    _f("pagenum.align", "header", "số trang căn giữa"),
    _f("font.family", "font", "phông Times New Roman"),
    _f("header.national", "style", "định dạng quốc hiệu", "national_name", partly=True),
    _f("header.motto-style", "style", "định dạng tiêu ngữ", "motto"),
    _f("header.agency-style", "style", "định dạng tên cơ quan ban hành", "agency"),
    _f("header.parent-style", "style", "định dạng tên cơ quan chủ quản", "parent_agency"),
    _f("header.number-style", "style", "định dạng dòng số, ký hiệu", "number"),
    _f("header.date-style", "style", "định dạng dòng địa danh, ngày tháng", "place_date"),
    _f("header.about-style", "style", "định dạng trích yếu công văn", "about"),
    _f("title.type", "style", "định dạng tên loại văn bản", "type_name", partly=True),
    _f("title.summary", "style", "định dạng trích yếu", "summary", partly=True),
    _f("signature.style", "style", "định dạng quyền hạn, chức vụ người ký", "authority"),
    _f("signature.name", "style", "định dạng họ tên người ký", "signer", partly=True),
    _f("recipients.title", "style", "định dạng “Nơi nhận”", "recipients_title", partly=True),
    _f("to.style", "style", "định dạng “Kính gửi”", "to"),
    _f("appendix.style", "style", "định dạng dòng “Phụ lục”", "appendix_label"),
    _f("body.align", "body", "căn đều hai bên"),
    _f("body.indent", "body", "lùi đầu dòng"),
    _f("body.spacing", "body", "khoảng cách giữa các đoạn"),
    _f("body.line-spacing", "body", "khoảng cách dòng"),
    _f("body.size", "body", "cỡ chữ nội dung"),
    _f("recipients.size", "size", "cỡ chữ nơi nhận"),
    _f("header.motto-dash", "chars", "gạch nối trong tiêu ngữ"),
    _f("header.date-zero", "chars", "số 0 của ngày, tháng"),
    _f("header.number", "chars", "gạch nối trong ký hiệu văn bản", partly=True),
    _f("header.number-zero", "chars", "số 0 của số văn bản"),
    _f("recipients.entry", "chars", "dấu “;” cuối mỗi nơi nhận", partly=True),
    _f("recipients.archive", "chars", "dấu “.” cuối dòng “Lưu”", partly=True),
]}
