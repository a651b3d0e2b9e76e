"""The layout rules of Nghị định 30/2020/NĐ-CP, declared once, as data.

Each rule carries the decree's allowed range (its own words, e.g. 12–13 pt,
20–25 mm) and the value vanban chooses inside that range:

- the generator and the template styles use ``rule.chosen``;
- ``vanban check`` judges any document against ``rule.lo`` … ``rule.hi``;
- a test asserts ``rule.lo <= rule.chosen <= rule.hi`` for every rule.

Section numbers (§) refer to ``docs/nd30.md`` (the decree's Phụ lục I and III,
restated in our words). Lengths are twips (1/20 pt; 1 mm = 56.7 twips), sizes
are points, line spacing is in 240ths of a line (240 = single).

This module imports nothing of vanban: every stage may read it.
"""

from __future__ import annotations

from dataclasses import dataclass

TWIPS_PER_MM = 56.7
TWIPS_PER_PT = 20


def mm(value: float) -> int:
    """Millimetres to twips, rounded up so a minimum is never undershot."""
    import math

    return math.ceil(value * TWIPS_PER_MM - 1e-9)


@dataclass(frozen=True)
class Rule:
    """One measurable rule: the decree's range, the value vanban uses, where the decree says it."""

    key: str
    section: str  # "§2" … in docs/nd30.md
    what: str  # Vietnamese, as a finding names it ("cỡ chữ quốc hiệu")
    lo: float
    hi: float
    chosen: float
    unit: str  # "pt", "twips", "line240", "lines", "fraction"
    allowed: tuple[float, ...] = ()  # when the decree lists values rather than a range (1 cm or 1.27 cm)
    generated: bool = True  # False: an element vanban never makes (a công văn's "V/v"): only checked

    def admits(self, value: float, tolerance: float = 0.0) -> bool:
        if self.allowed:
            return any(abs(value - a) <= tolerance for a in self.allowed)
        return self.lo - tolerance <= value <= self.hi + tolerance

    def words(self) -> str:
        """The decree's range in words, for messages: '12–13 pt', '20–25 mm'."""
        if self.unit == "twips":
            lo, hi = round(self.lo / TWIPS_PER_MM, 1), round(self.hi / TWIPS_PER_MM, 1)
            if self.allowed:
                return " hoặc ".join(f"{a / TWIPS_PER_MM / 10:g} cm" for a in self.allowed)
            return f"{lo:g}–{hi:g} mm" if lo != hi else f"{lo:g} mm"
        if self.unit == "pt":
            return f"{self.lo:g}–{self.hi:g} pt" if self.lo != self.hi else f"{self.lo:g} pt"
        if self.unit == "line240":
            return f"từ {self.lo / 240:g} đến {self.hi / 240:g} dòng"
        if self.unit == "fraction":
            return f"{self.lo:.2f}–{self.hi:.2f}"
        return f"{self.lo:g}–{self.hi:g}"


@dataclass(frozen=True)
class TextStyle:
    """How an element of the decree is set: case, weight, slant (§2–§6)."""

    key: str
    section: str
    what: str
    size: str  # the key of its size rule
    bold: bool
    italic: bool
    upper: bool | None  # True upper case, False normal case, None either


def _r(key, section, what, lo, hi, chosen, unit, allowed=(), generated=True):
    return Rule(key, section, what, lo, hi, chosen, unit, tuple(allowed), generated)


# ---------------------------------------------------------------- §1 page
A4_W, A4_H = 11906, 16838  # 210 × 297 mm

RULES: dict[str, Rule] = {r.key: r for r in [
    _r("margin.top", "§1", "lề trên", mm(20), mm(25), mm(20), "twips"),
    _r("margin.bottom", "§1", "lề dưới", mm(20), mm(25), mm(20), "twips"),
    _r("margin.left", "§1", "lề trái", mm(30), mm(35), mm(30), "twips"),
    _r("margin.right", "§1", "lề phải", mm(15), mm(20), mm(15), "twips"),
    _r("size.page_number", "§1", "cỡ chữ số trang", 13, 14, 13, "pt"),
    # §2 header block
    _r("size.national_name", "§2", "cỡ chữ quốc hiệu", 12, 13, 13, "pt"),
    _r("size.motto", "§2", "cỡ chữ tiêu ngữ", 13, 14, 14, "pt"),
    _r("size.parent_agency", "§2", "cỡ chữ tên cơ quan chủ quản", 12, 13, 13, "pt"),
    _r("size.agency", "§2", "cỡ chữ tên cơ quan ban hành", 12, 13, 13, "pt"),
    _r("size.number", "§2", "cỡ chữ số, ký hiệu", 13, 13, 13, "pt"),
    _r("size.place_date", "§2", "cỡ chữ địa danh, ngày tháng", 13, 14, 14, "pt"),
    _r("rule.motto", "§2", "độ dài đường kẻ dưới tiêu ngữ (so với dòng chữ)", 1.0, 1.0, 1.0, "fraction"),
    _r("rule.agency", "§2", "độ dài đường kẻ dưới tên cơ quan (so với dòng chữ)", 1 / 3, 1 / 2, 0.4, "fraction"),
    # §3 type name and summary
    _r("size.type_name", "§3", "cỡ chữ tên loại văn bản", 13, 14, 14, "pt"),
    _r("size.summary", "§3", "cỡ chữ trích yếu", 13, 14, 14, "pt"),
    _r("size.about", "§3", "cỡ chữ trích yếu công văn (“V/v …”)", 12, 13, 13, "pt", generated=False),
    _r("rule.summary", "§3", "độ dài đường kẻ dưới trích yếu (so với dòng chữ)", 1 / 3, 1 / 2, 0.4, "fraction"),
    # §4 body
    _r("size.body", "§4", "cỡ chữ nội dung", 13, 14, 14, "pt"),
    _r("indent.first_line", "§4", "lùi đầu dòng", 567, 720, 720, "twips", allowed=(567, 720)),
    _r("spacing.after", "§4", "khoảng cách giữa các đoạn", 6 * TWIPS_PER_PT, 1e9, 6 * TWIPS_PER_PT, "twips"),
    _r("spacing.line", "§4", "khoảng cách dòng", 240, 360, 288, "line240"),
    # §5 signature and recipients
    _r("size.authority", "§5", "cỡ chữ quyền hạn, chức vụ người ký", 13, 14, 14, "pt"),
    _r("size.signer", "§5", "cỡ chữ họ tên người ký", 13, 14, 14, "pt"),
    _r("signature.blank_lines", "§5", "khoảng trống để ký, đóng dấu", 3, 4, 4, "lines"),
    _r("size.recipients_title", "§5", "cỡ chữ “Nơi nhận”", 12, 12, 12, "pt"),
    _r("size.recipients", "§5", "cỡ chữ danh sách nơi nhận", 11, 11, 11, "pt"),
    # §6 appendices
    _r("size.appendix_label", "§6", "cỡ chữ “Phụ lục”", 14, 14, 14, "pt"),
    _r("size.appendix_title", "§6", "cỡ chữ tên phụ lục", 13, 14, 14, "pt"),
    _r("size.appendix_ref", "§6", "cỡ chữ dòng “Kèm theo…”", 13, 14, 14, "pt"),
    # §9 Kính gửi (convention of the decree's models)
    _r("size.to", "§9", "cỡ chữ “Kính gửi”", 13, 14, 14, "pt"),
]}

# ---------------------------------------------------------------- how each element is set
STYLES: dict[str, TextStyle] = {s.key: s for s in [
    TextStyle("national_name", "§2", "quốc hiệu", "size.national_name", bold=True, italic=False, upper=True),
    TextStyle("motto", "§2", "tiêu ngữ", "size.motto", bold=True, italic=False, upper=False),
    TextStyle("parent_agency", "§2", "tên cơ quan chủ quản", "size.parent_agency", bold=False, italic=False, upper=True),
    TextStyle("agency", "§2", "tên cơ quan ban hành", "size.agency", bold=True, italic=False, upper=True),
    TextStyle("number", "§2", "số, ký hiệu", "size.number", bold=False, italic=False, upper=None),
    TextStyle("place_date", "§2", "địa danh, ngày tháng", "size.place_date", bold=False, italic=True, upper=None),
    TextStyle("type_name", "§3", "tên loại văn bản", "size.type_name", bold=True, italic=False, upper=True),
    TextStyle("summary", "§3", "trích yếu", "size.summary", bold=True, italic=False, upper=False),
    TextStyle("about", "§3", "trích yếu công văn (“V/v …”)", "size.about", bold=False, italic=False, upper=False),
    TextStyle("body", "§4", "nội dung", "size.body", bold=False, italic=False, upper=False),
    TextStyle("authority", "§5", "quyền hạn, chức vụ người ký", "size.authority", bold=True, italic=False, upper=True),
    TextStyle("signer", "§5", "họ tên người ký", "size.signer", bold=True, italic=False, upper=False),
    TextStyle("recipients_title", "§5", "“Nơi nhận”", "size.recipients_title", bold=True, italic=True, upper=False),
    TextStyle("recipients", "§5", "nơi nhận", "size.recipients", bold=False, italic=False, upper=None),
    TextStyle("appendix_label", "§6", "“Phụ lục”", "size.appendix_label", bold=True, italic=False, upper=False),
    TextStyle("appendix_title", "§6", "tên phụ lục", "size.appendix_title", bold=True, italic=False, upper=True),
    TextStyle("appendix_ref", "§6", "dòng “Kèm theo…”", "size.appendix_ref", bold=False, italic=True, upper=False),
    TextStyle("page_number", "§1", "số trang", "size.page_number", bold=False, italic=False, upper=None),
    TextStyle("to", "§9", "“Kính gửi”", "size.to", bold=False, italic=False, upper=False),
]}

# ---------------------------------------------------------------- fixed texts (§1, §2)
FONT = "Times New Roman"  # §1
NATIONAL_NAME = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"  # §2
MOTTO = "Độc lập - Tự do - Hạnh phúc"  # §2: hyphen-minus with a space each side, never an en dash
AS_ABOVE = "- Như trên;"  # §9: first recipient when the document has "Kính gửi"


@dataclass(frozen=True)
class DocType:
    """One document type of Phụ lục III (§8): its name, abbreviation and kind."""

    name: str  # "Kế hoạch"
    abbr: str | None  # "KH"; None for a công văn (no type abbreviation)
    legal: bool = False  # a legal document (number/year/symbol, Điều numbering)

    @property
    def upper(self) -> str:
        return self.name.upper()


# §8: the decree's Phụ lục III list, plus the legal document types cited in texts.
DOC_TYPES: tuple[DocType, ...] = (
    DocType("Nghị quyết", "NQ"), DocType("Quyết định", "QĐ"), DocType("Chỉ thị", "CT"),
    DocType("Quy chế", "QC"), DocType("Quy định", "QyĐ"), DocType("Thông cáo", "TC"),
    DocType("Thông báo", "TB"), DocType("Hướng dẫn", "HD"), DocType("Chương trình", "CTr"),
    DocType("Kế hoạch", "KH"), DocType("Phương án", "PA"), DocType("Đề án", "ĐA"),
    DocType("Dự án", "DA"), DocType("Báo cáo", "BC"), DocType("Biên bản", "BB"),
    DocType("Tờ trình", "TTr"), DocType("Hợp đồng", "HĐ"), DocType("Công điện", "CĐ"),
    DocType("Bản ghi nhớ", "BGN"), DocType("Bản thỏa thuận", "BTT"), DocType("Giấy ủy quyền", "GUQ"),
    DocType("Giấy mời", "GM"), DocType("Giấy giới thiệu", "GGT"), DocType("Giấy nghỉ phép", "GNP"),
    DocType("Phiếu gửi", "PG"), DocType("Phiếu chuyển", "PC"), DocType("Phiếu báo", "PB"),
    DocType("Công văn", None),
    # legal documents (Luật Ban hành văn bản quy phạm pháp luật): number/year/symbol
    DocType("Luật", None, legal=True), DocType("Nghị định", "NĐ", legal=True),
    DocType("Thông tư", "TT", legal=True), DocType("Thông tư liên tịch", "TTLT", legal=True),
    DocType("Nghị quyết liên tịch", "NQLT", legal=True),
)
TYPE_BY_ABBR = {t.abbr: t for t in DOC_TYPES if t.abbr}
TYPE_BY_NAME = {t.name: t for t in DOC_TYPES}


def rule(key: str) -> Rule:
    return RULES[key]


def chosen(key: str) -> float:
    return RULES[key].chosen
