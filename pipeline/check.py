"""``vanban check``: does a Word file follow Nghị định 30/2020/NĐ-CP?

Works on any .docx — ours or hand-made. Formatting is resolved as Word does:
run properties, then the paragraph style and its ``basedOn`` chain, then the
document defaults; a theme font (Cambria, Calibri) counts as not Times New
Roman. Each rule gives at most one finding, naming where it first fails
(paragraph number, table cell, section) and how many places fail.
Rule numbers refer to ``shared/spec/nd30-format.md``.
"""

from __future__ import annotations

import json
import re
import sys
from dataclasses import asdict, dataclass
from pathlib import Path

import click

from pipeline import nd30

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
TYPE_NAMES = {"KẾ HOẠCH", "BÁO CÁO", "CHƯƠNG TRÌNH", "QUYẾT ĐỊNH", "NGHỊ QUYẾT", "CHỈ THỊ", "THÔNG BÁO",
              "HƯỚNG DẪN", "TỜ TRÌNH", "QUY CHẾ", "QUY ĐỊNH", "ĐỀ ÁN", "PHƯƠNG ÁN", "BIÊN BẢN"}
TIMES = ("Times New Roman",)
NUMBER_RE = re.compile(r"^Số:\s*(?P<num>\d*)/(?P<sym>\S+)$")  # the draft blank is spaces before "/"
SYMBOL_RE = re.compile(r"^[A-ZĐa-z]+(?:-[A-ZĐa-z0-9]+)+$")
DATE_RE = re.compile(r"^(?P<place>[^,]+), ngày (?P<d>\d{1,2}|\s*) tháng (?P<m>\d{1,2}) năm (?P<y>\d{4})$")
AUTHORITY_RE = re.compile(r"^(TM|KT|Q|TL|TUQ)\.\s+\S")
# slips: "T/M", "K/T", "T.M", "KT CHỦ TỊCH" (no full stop), "KT.CHỦ TỊCH" (no space)
AUTHORITY_SLIP_RE = re.compile(r"^(T/M|K/T|T\.M\.?|K\.T\.?|T/L|TM|KT|TL|TUQ)(\s|\.(?=\S))", re.IGNORECASE)
APPENDIX_RE = re.compile(r"^ph[ụu] l[ụu]c(\s+(số\s+)?[0-9IVXLC]+)?\s*$", re.IGNORECASE)


@dataclass
class Finding:
    rule: str
    where: str
    message: str
    severity: str = "error"

    def format(self, file: str) -> str:
        sev = "lỗi" if self.severity == "error" else "cảnh báo"
        return f"{file}: {sev} {self.rule} [{self.where}]: {self.message}"


class Styles:
    """Effective run and paragraph properties, through the style chain and the document defaults."""

    def __init__(self, doc):
        self.doc = doc
        root = doc.styles.element
        self.by_id = {s.get(W + "styleId"): s for s in root.findall(W + "style")}
        defaults = root.find(f"{W}docDefaults")
        self.rpr_default = defaults.find(f"{W}rPrDefault/{W}rPr") if defaults is not None else None
        self.ppr_default = defaults.find(f"{W}pPrDefault/{W}pPr") if defaults is not None else None
        self.default_para = next((s for s in root.findall(W + "style")
                                  if s.get(W + "type") == "paragraph" and s.get(W + "default") == "1"), None)
        self._theme: dict | None = None

    def _chain(self, style_id):
        seen = set()
        style = self.by_id.get(style_id) if style_id else self.default_para
        while style is not None and id(style) not in seen:
            seen.add(id(style))
            yield style
            based = style.find(W + "basedOn")
            style = self.by_id.get(based.get(W + "val")) if based is not None else None

    def _para_style_id(self, p_el):
        ps = p_el.find(f"{W}pPr/{W}pStyle")
        return ps.get(W + "val") if ps is not None else None

    def _rpr_places(self, p_el, r_el):
        """Where a run's properties may come from, nearest first (Word's order)."""
        places = [r_el.find(W + "rPr")]
        rs = r_el.find(f"{W}rPr/{W}rStyle")
        if rs is not None:
            places += [s.find(W + "rPr") for s in self._chain(rs.get(W + "val"))]
        places += [s.find(W + "rPr") for s in self._chain(self._para_style_id(p_el))]
        places.append(self.rpr_default)
        return [rpr for rpr in places if rpr is not None]

    def run_prop(self, p_el, r_el, tag: str):
        """The element ``tag`` (e.g. 'b', 'sz') that applies to run ``r_el``."""
        for rpr in self._rpr_places(p_el, r_el):
            el = rpr.find(W + tag)
            if el is not None:
                return el
        return None

    def flag(self, p_el, r_el, tag: str) -> bool:
        el = self.run_prop(p_el, r_el, tag)
        return el is not None and el.get(W + "val") not in ("0", "false", "off")

    def size(self, p_el, r_el) -> float | None:
        el = self.run_prop(p_el, r_el, "sz")
        return int(el.get(W + "val")) / 2 if el is not None else 10.0  # Word's own default: 10 pt

    def font(self, p_el, r_el) -> str:
        """The Latin font of a run, resolved slot by slot: a nearer level may set only eastAsia.

        A theme attribute wins over a font name on the same element (as in Word).
        """
        for rpr in self._rpr_places(p_el, r_el):
            rf = rpr.find(W + "rFonts")
            if rf is None:
                continue
            theme = rf.get(W + "asciiTheme") or rf.get(W + "hAnsiTheme")
            if theme:
                return f"{self.theme_font(theme)} (phông chủ đề)"
            name = rf.get(W + "ascii") or rf.get(W + "hAnsi")
            if name:
                return name
        return "(mặc định của Word, không ghi rõ phông)"

    def theme_font(self, theme: str) -> str:
        """'minorHAnsi' -> the theme's body font (Calibri in Word's default theme)."""
        if self._theme is None:
            self._theme = {}
            for rel in self.doc.part.rels.values():
                if rel.reltype.endswith("/theme") and not rel.is_external:
                    from pipeline import safezip

                    root = safezip.parse_xml(rel.target_part.blob)
                    a = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
                    for kind in ("major", "minor"):
                        latin = root.find(f".//{a}{kind}Font/{a}latin")
                        if latin is not None:
                            self._theme[kind] = latin.get("typeface")
        kind = "major" if theme.startswith("major") else "minor"
        return self._theme.get(kind) or theme

    def para_prop(self, p_el, tag: str):
        """``tag`` of the paragraph's pPr (e.g. 'jc', 'ind', 'spacing'): direct, style chain, defaults."""
        places = [p_el.find(W + "pPr")] + [s.find(W + "pPr") for s in self._chain(self._para_style_id(p_el))]
        places.append(self.ppr_default)
        found = {}
        for ppr in places:  # attributes merge: the nearest definition of each wins
            el = ppr.find(W + tag) if ppr is not None else None
            if el is not None:
                for k, v in el.attrib.items():
                    found.setdefault(k.replace(W, ""), v)
        return found


def text_of(p_el) -> str:
    """The paragraph's text; a manual line break (Shift+Enter) becomes a newline."""
    out = []
    for el in p_el.iter(W + "t", W + "br", W + "cr"):
        out.append(el.text or "" if el.tag == W + "t" else "\n")
    return "".join(out)


V = "{urn:schemas-microsoft-com:vml}"
PIC = "{http://schemas.openxmlformats.org/drawingml/2006/picture}"


def has_line_shape(el) -> bool:
    """A drawn line under ``el``: VML (v:line, a connector, a flat v:shape/v:rect) or DrawingML
    (a 'line' or connector geometry, or a shape at most 3 pt high). Pictures and text boxes are not lines."""
    for d in el.iter(W + "drawing", W + "pict"):
        for x in d.iter():
            if not isinstance(x.tag, str):
                continue
            if x.tag == V + "line" or x.tag.endswith("}cxnSp"):
                return True
            if x.tag.endswith("}prstGeom") and (x.get("prst") in ("line", "straightConnector1")):
                return True
            if x.tag.endswith("}extent") and x.get("cy") is not None and int(x.get("cy")) <= 38100 \
                    and not any(y.tag == PIC + "pic" for y in d.iter()):
                return True  # 38100 EMU = 3 pt
            if x.tag in (V + "shape", V + "rect") and ("_x0000_t32" in (x.get("type") or "")
                                                       or _flat(x.get("style", ""))):
                return True
    return False


def _flat(style: str) -> bool:
    """A VML shape no more than 3 pt high: a line drawn as a rectangle or a straight shape."""
    m = re.search(r"height:\s*([\d.]+)(pt|px|in|mm|cm)?", style)
    if not m:
        return False
    to_pt = {"pt": 1, "px": 0.75, "in": 72, "mm": 72 / 25.4, "cm": 72 / 2.54, None: 1}
    return float(m.group(1)) * to_pt[m.group(2)] <= 3


def runs(p_el):
    return [r for r in p_el.iter(W + "r") if "".join(t.text or "" for t in r.iter(W + "t")).strip()]


class Checker:
    def __init__(self, path: Path):
        from pipeline import safezip

        self.path = Path(path)
        self.doc = safezip.open_docx(path)
        self.st = Styles(self.doc)
        self.body = self.doc.element.body
        self.paras = list(self.body.iter(W + "p"))  # in order, table cells included
        self.index = {id(p): i for i, p in enumerate(self.paras)}
        self.tables = list(self.body.iter(W + "tbl"))
        self.findings: list[Finding] = []
        self.section_of = self._sections()

    def _sections(self) -> dict[int, int]:
        """Paragraph (by id) -> its section number (1-based): a section ends at a paragraph carrying sectPr."""
        out, n = {}, 1
        for child in self.body:
            if child.tag == W + "sectPr":
                continue
            for p in ([child] if child.tag == W + "p" else child.iter(W + "p")):
                out[id(p)] = n
            if child.tag == W + "p" and child.find(f"{W}pPr/{W}sectPr") is not None:
                n += 1
        return out

    def where(self, p_el) -> str:
        """'đoạn 12' or 'bảng 1, hàng 2, cột 1, đoạn 9', with the start of the text."""
        i = self.index[id(p_el)] + 1
        place = ""
        tc = p_el.getparent()
        if tc.tag == W + "tc":
            tr = tc.getparent()
            tbl = tr.getparent()
            t = next((k for k, x in enumerate(self.tables, 1) if x is tbl), 0)
            r = tbl.findall(W + "tr").index(tr) + 1
            c = tr.findall(W + "tc").index(tc) + 1
            place = f"bảng {t}, hàng {r}, cột {c}, "
        text = " / ".join(l.strip() for l in text_of(p_el).split("\n") if l.strip())
        return f"{place}đoạn {i}: “{text[:40]}”"

    def fail(self, rule: str, where: str, message: str, severity: str = "error") -> None:
        """Record a finding; a rule that already failed gets the new message added (one finding per rule)."""
        for f in self.findings:
            if f.rule == rule:
                if message not in f.message:
                    f.message += "; " + message
                return
        self.findings.append(Finding(rule, where, message, severity))

    def find(self, pred):
        return next((p for p in self.paras if pred(text_of(p).strip())), None)

    # -------------------------------------------------------------- helpers
    def all_runs(self, p, **expect) -> bool:
        rs = runs(p)
        return bool(rs) and all(self._run_is(p, r, k, v) for r in rs for k, v in expect.items())

    def _run_is(self, p, r, key, value):
        if key in ("b", "i"):
            return self.st.flag(p, r, key) == value
        if key == "size":
            lo, hi = value
            return lo <= self.st.size(p, r) <= hi
        raise KeyError(key)

    def align(self, p) -> str:
        return self.st.para_prop(p, "jc").get("val", "left")

    # -------------------------------------------------------------- rules
    def run(self) -> list[Finding]:
        self.page()
        self.fonts()
        first = next((text_of(p).strip() for p in self.paras if text_of(p).strip()), "")
        if re.match(r"^Phụ lục(\s|$)", first, re.IGNORECASE):
            # an appendix on its own: signed with its document, so no header block or Nơi nhận (§6)
            self.appendices()
            return self.findings
        self.header()
        self.title()
        self.body_text()
        self.numbering()
        self.signature()
        self.recipients()
        self.appendices()
        self.page_numbers()
        return self.findings

    def page(self):
        for i, sec in enumerate(self.doc.sections, 1):
            w, h = sec.page_width.twips if sec.page_width else 0, sec.page_height.twips if sec.page_height else 0
            if sorted((w, h)) != sorted((nd30.A4_W, nd30.A4_H)) and not (abs(w - nd30.A4_W) < 20 or abs(w - nd30.A4_H) < 20):
                self.fail("page.size", f"phần {i}", f"khổ giấy {w / 56.7:.0f}×{h / 56.7:.0f} mm, không phải A4 (210×297 mm) — §1")
                break
        for i, sec in enumerate(self.doc.sections, 1):
            mm = {k: getattr(sec, f"{k}_margin").twips / 56.7 if getattr(sec, f"{k}_margin") is not None else 0
                  for k in ("top", "bottom", "left", "right")}
            bad = [f"{k} {v:.1f} mm" for k, v, lo, hi in (
                ("trên", mm["top"], 20, 25), ("dưới", mm["bottom"], 20, 25),
                ("trái", mm["left"], 30, 35), ("phải", mm["right"], 15, 20)) if not lo - 0.2 <= v <= hi + 0.2]
            if bad:
                self.fail("page.margins", f"phần {i}", "lề không đúng: " + ", ".join(bad)
                          + " (trên, dưới 20–25; trái 30–35; phải 15–20 mm) — §1")
                break

    def fonts(self):
        bad = {}
        for p in self.paras:
            for r in runs(p):
                f = self.st.font(p, r)
                if f not in TIMES:
                    bad.setdefault(f, p)
        if bad:
            name, p = next(iter(bad.items()))
            self.fail("font.family", self.where(p), "phông chữ không phải Times New Roman: "
                      + ", ".join(sorted(bad)) + " — §1")

    def header(self):
        nation = self.find(lambda t: t.split("\n")[0].strip() == nd30.NATIONAL_NAME)
        if nation is None:
            self.fail("header.national", "đầu văn bản", f"không có dòng quốc hiệu “{nd30.NATIONAL_NAME}” — §2")
            return
        if not self.all_runs(nation, b=True, size=(12, 13)):
            self.fail("header.national", self.where(nation), "quốc hiệu phải in hoa, đứng, đậm, cỡ 12–13 — §2")
        lines = [l.strip() for l in text_of(nation).split("\n") if l.strip()]
        if len(lines) > 1:  # the motto typed after a line break in the same paragraph
            motto, mtext = nation, lines[1]
        else:
            idx = self.index[id(nation)]
            motto = next((p for p in self.paras[idx + 1:idx + 4] if text_of(p).strip()), None)
            mtext = text_of(motto).strip() if motto is not None else ""
        if "–" in mtext or "—" in mtext:
            self.fail("header.motto-dash", self.where(motto), "tiêu ngữ dùng dấu gạch ngang dài; phải là “-” có cách hai bên — §2")
        elif mtext != nd30.MOTTO:
            self.fail("header.motto", self.where(motto) if motto is not None else "đầu văn bản",
                      f"tiêu ngữ phải là “{nd30.MOTTO}” — §2")
        if motto is not None and not self.all_runs(motto, b=True, size=(13, 14)):
            self.fail("header.motto-style", self.where(motto), "tiêu ngữ phải đậm, cỡ 13–14 — §2")
        if motto is not None and not self._rule_after(motto):
            self.fail("header.motto-rule", self.where(motto), "thiếu đường kẻ ngang liền dưới tiêu ngữ — §2")
        elif motto is not None and mtext == nd30.MOTTO:
            length = self._border_rule_length(motto)
            text_w = nd30.text_width_twips(nd30.MOTTO, self._size_of(motto), bold=True)
            if length is not None and not 0.85 * text_w <= length <= 1.15 * text_w:
                self.fail("header.motto-rule", self.where(motto),
                          f"đường kẻ dưới tiêu ngữ dài {length / 56.7:.0f} mm, phải bằng độ dài dòng chữ "
                          f"(khoảng {text_w / 56.7:.0f} mm) — §2")
        # the issuing agency: bold lines in the cell (or lines) before the national name
        agency = self._agency_lines(nation)
        if not agency:
            self.fail("header.agency", "đầu văn bản", "không tìm thấy tên cơ quan ban hành (in hoa, đậm) — §2")
        else:
            bad = next((p for p in agency if not self.all_runs(p, size=(12, 13))), None)
            if bad is not None:
                self.fail("header.agency-style", self.where(bad), "tên cơ quan ban hành phải in hoa, đậm, cỡ 12–13 — §2")
        if agency and not self._rule_after(agency[-1]):
            self.fail("header.agency-rule", self.where(agency[-1]), "thiếu đường kẻ ngang dưới tên cơ quan ban hành — §2")
        elif agency:
            length = self._border_rule_length(agency[-1])
            text_w = max(nd30.text_width_twips(line, self._size_of(p), bold=True)
                         for p in agency for line in text_of(p).split("\n") if line.strip())
            if length is not None and not text_w / 3 * 0.95 <= length <= text_w / 2 * 1.05:
                self.fail("header.agency-rule", self.where(agency[-1]),
                          f"đường kẻ dưới tên cơ quan dài {length / 56.7:.0f} mm, phải từ 1/3 đến 1/2 độ dài "
                          f"tên (khoảng {text_w / 3 / 56.7:.0f}–{text_w / 2 / 56.7:.0f} mm) — §2")
        number = self.find(lambda t: t.startswith("Số") and "/" in t and len(t) < 40)
        if number is None:
            self.fail("header.number", "đầu văn bản", "không có dòng “Số: …/…” — §2")
        else:
            t = re.sub(r"\s+", " ", text_of(number).strip())
            m = NUMBER_RE.match(text_of(number).strip())
            if not m or not SYMBOL_RE.match(m.group("sym")):
                self.fail("header.number", self.where(number), f"“{t}” sai dạng “Số: 05/KH-UBND” (dấu hai chấm, “/”, “-”, không cách) — §2")
            elif m.group("num") and int(m.group("num")) < 10 and len(m.group("num")) < 2:
                self.fail("header.number-zero", self.where(number), f"số {m.group('num')} nhỏ hơn 10 phải có số 0 phía trước — §2")
            if any(self.st.flag(number, r, "b") for r in runs(number)):
                self.fail("header.number-style", self.where(number), "dòng “Số” không được in đậm — §2")
            elif not self.all_runs(number, size=(13, 13)):
                self.fail("header.number-style", self.where(number), "dòng “Số” phải cỡ chữ 13, đứng — §2")
        date = self.find(lambda t: DATE_RE.match(t) is not None)
        if date is None:
            date = self.find(lambda t: ", ngày" in t and "năm" in t)
        if date is None:
            self.fail("header.date", "đầu văn bản", "không có dòng địa danh, ngày tháng năm — §2")
            return
        m = DATE_RE.match(text_of(date).strip())
        if not m:
            self.fail("header.date", self.where(date), "địa danh, ngày tháng phải dạng “Xã A, ngày 05 tháng 01 năm 2026” — §2")
        else:
            d, mo = m.group("d").strip(), m.group("m")
            if d and len(d) != 2:
                self.fail("header.date-zero", self.where(date), f"ngày {d} nhỏ hơn 10 phải có số 0 phía trước — §2")
            if int(mo) <= 2 and len(mo) != 2 or int(mo) > 2 and mo.startswith("0"):
                self.fail("header.date-zero", self.where(date),
                          f"“tháng {mo}”: tháng 1, 2 có số 0 phía trước, các tháng khác không (“tháng 7”) — §2")
        if not self.all_runs(date, i=True, size=(13, 14)):
            self.fail("header.date-style", self.where(date), "dòng địa danh, ngày tháng phải in nghiêng, cỡ 13–14 — §2")

    def _agency_lines(self, nation):
        cell = nation.getparent()
        if cell.tag == W + "tc":
            row = cell.getparent()
            cells = row.findall(W + "tc")
            left = cells[0] if cells[0] is not cell else None
            candidates = list(left.iter(W + "p")) if left is not None else []
        else:
            candidates = self.paras[:self.index[id(nation)]]
        return [p for p in candidates if text_of(p).strip() and text_of(p).strip() == text_of(p).strip().upper()
                and self.all_runs(p, b=True)]

    def _rule_after(self, p) -> bool:
        """A rule under ``p``: a paragraph border (its bottom, or the top/bottom of one of the next two
        paragraphs), or a line drawn as a shape — as hand-made documents usually have it — anchored in
        ``p``, in the next two paragraphs, or anywhere in the same table cell."""
        near = [p] + self._next_paras(p, 2)
        for el in near:
            bdr = el.find(f"{W}pPr/{W}pBdr")
            if bdr is None:
                continue
            if bdr.find(W + "bottom") is not None or (el is not p and bdr.find(W + "top") is not None):
                return True
        cell = p.getparent()
        scope = [cell] if cell.tag == W + "tc" else near
        return any(has_line_shape(el) for el in scope)

    def _size_of(self, p) -> float:
        rs = runs(p)
        return self.st.size(p, rs[0]) if rs else 13.0

    def _border_rule_length(self, p) -> int | None:
        """Length (twips) of a rule drawn as the paragraph border under ``p`` in a table cell:
        the cell's width less its margins and the paragraph's indents. None when it is not such a rule."""
        cell = p.getparent()
        if cell.tag != W + "tc":
            return None
        for el in [p] + self._next_paras(p, 2):
            bdr = el.find(f"{W}pPr/{W}pBdr")
            if bdr is None or not (bdr.find(W + "bottom") is not None or (el is not p and bdr.find(W + "top") is not None)):
                continue
            tcw = cell.find(f"{W}tcPr/{W}tcW")
            if tcw is None or tcw.get(W + "type", "dxa") != "dxa":
                return None
            tbl = cell.getparent().getparent()
            mar = tbl.find(f"{W}tblPr/{W}tblCellMar")
            margin = 0
            for side in ("left", "right"):
                m = mar.find(W + side) if mar is not None else None
                margin += int(m.get(W + "w")) if m is not None else 108
            ind = self.st.para_prop(el, "ind")
            indent = int(ind.get("left", ind.get("start", 0)) or 0) + int(ind.get("right", ind.get("end", 0)) or 0)
            return int(tcw.get(W + "w")) - margin - indent
        return None

    def _next_paras(self, p, n):
        """The next ``n`` paragraphs in the same container (table cell or body)."""
        i = self.index[id(p)]
        parent = p.getparent()
        return [q for q in self.paras[i + 1:i + 1 + n] if q.getparent() is parent]

    def title(self):
        type_p = self.find(lambda t: t in TYPE_NAMES)
        if type_p is None:
            return  # a công văn has no type name (§3)
        if not self.all_runs(type_p, b=True, size=(13, 14)) or self.align(type_p) != "center":
            self.fail("title.type", self.where(type_p), "tên loại văn bản phải in hoa, đậm, cỡ 13–14, căn giữa — §3")
        summary = next((p for p in self._next_paras(type_p, 3) if text_of(p).strip()), None)
        if summary is None or not self.all_runs(summary, b=True, size=(13, 14)) or self.align(summary) != "center":
            self.fail("title.summary", self.where(summary) if summary is not None else self.where(type_p),
                      "trích yếu phải đậm, cỡ 13–14, căn giữa ngay dưới tên loại — §3")
        elif not self._rule_after(summary):
            self.fail("title.summary-rule", self.where(summary), "thiếu đường kẻ ngang dưới trích yếu — §3", "warning")

    def body_paragraphs(self):
        out = []
        for p in self.body.findall(W + "p"):  # top level only: not tables, not the header block
            t = text_of(p).strip()
            if len(t) < 60 or self.align(p) == "center":
                continue
            out.append(p)
        return out

    def body_text(self):
        paras = self.body_paragraphs()
        if not paras:
            return
        checks = [
            ("body.align", lambda p: self.align(p) == "both", "đoạn văn phải căn đều hai bên — §4"),
            ("body.indent", lambda p: any(abs(int(self.st.para_prop(p, "ind").get(k, 0) or 0) - v) <= 30
                                          for k in ("firstLine",) for v in (567, 720)),
             "thụt đầu dòng phải 1 cm hoặc 1,27 cm — §4"),
            ("body.spacing", lambda p: max(int(self.st.para_prop(p, "spacing").get("after", 0) or 0),
                                           int(self.st.para_prop(p, "spacing").get("before", 0) or 0)) >= 120,
             "khoảng cách giữa các đoạn tối thiểu 6 pt — §4"),
            ("body.line-spacing", self._line_ok, "giãn dòng từ một dòng đến 1,5 dòng — §4"),
            ("body.size", lambda p: all(13 <= self.st.size(p, r) <= 14 for r in runs(p)), "chữ phần nội dung cỡ 13–14 — §4"),
        ]
        for rule, ok, message in checks:
            bad = [p for p in paras if not ok(p)]
            if bad:
                self.fail(rule, self.where(bad[0]), f"{message} ({len(bad)}/{len(paras)} đoạn)")

    def numbering(self):
        """§4: parts, sections, clauses and sub-clauses numbered in sequence, without gaps or repeats."""
        from pipeline.nd30 import roman

        expected: dict[int, int] = {}  # depth -> the next number expected there (0: Roman sections)
        for p in self.body.findall(W + "p"):  # top level: the body, not tables
            t = text_of(p).strip()
            m = re.match(r"^([IVX]+)\.\s", t)
            if m:
                n = next((i for i in range(1, 40) if roman(i) == m.group(1)), None)
                depth, label = 0, m.group(1)
            else:
                m = re.match(r"^(\d{1,2}(?:\.\d{1,2}){0,2})\.\s+\S", t)
                if not m:
                    continue
                parts = [int(x) for x in m.group(1).split(".")]
                depth, n, label = len(parts), parts[-1], m.group(1)
            want = expected.get(depth, 1)
            if n != want:
                what = "trùng" if n is not None and n < want else "bỏ cách"
                self.fail("body.numbering", self.where(p),
                          f"số mục “{label}.” {what}: cần “{roman(want) if depth == 0 else want}” "
                          f"— đánh số liên tục, không trùng, không bỏ cách — §4")
                return
            expected[depth] = want + 1
            for deeper in [d for d in expected if d > depth]:
                del expected[deeper]  # a new section or clause restarts the levels under it

    def _line_ok(self, p) -> bool:
        sp = self.st.para_prop(p, "spacing")
        line, rule = int(sp.get("line", 240) or 240), sp.get("lineRule", "auto")
        if rule == "auto":
            return 240 <= line <= 360
        return True  # exact / at least: judged by eye, not here

    def signature(self):
        slips = [p for p in self.paras if len(text_of(p).strip()) < 60
                 and AUTHORITY_SLIP_RE.match(text_of(p).strip()) and not AUTHORITY_RE.match(text_of(p).strip())]
        if slips:
            t = text_of(slips[0]).strip()
            self.fail("signature.form", self.where(slips[0]),
                      f"“{t}”: thẩm quyền ký viết “TM.”, “KT.”, “Q.”, “TL.”, “TUQ.” (chữ in hoa, dấu chấm, "
                      "một dấu cách), ví dụ “KT. CHỦ TỊCH” — §5")
        auth = [p for p in self.paras if AUTHORITY_RE.match(text_of(p).strip())]
        for p in auth:
            if not self.all_runs(p, b=True, size=(13, 14)):
                self.fail("signature.style", self.where(p), "thẩm quyền ký phải in hoa, đậm, cỡ 13–14 — §5")
                break
        for p in auth:
            t = text_of(p).strip()
            if t != t.upper():
                self.fail("signature.form", self.where(p), f"“{t}” phải in hoa — §5")
                break
            if t.startswith(("KT.", "TL.", "TUQ.")) and not any(text_of(n).strip() for n in self._next_paras(p, 1)):
                self.fail("signature.form", self.where(p), f"sau “{t.split()[0]} …” phải có chức vụ người ký — §5")
                break
        if auth:  # the signer's name: the first line after the blank space for signature and seal
            after = self._next_paras(auth[-1], 12)
            gap = False
            for q in after:
                if not text_of(q).strip():
                    gap = True
                elif gap:
                    if not self.all_runs(q, b=True, size=(13, 14)):
                        self.fail("signature.name", self.where(q), "họ tên người ký phải đậm, cỡ 13–14, căn giữa — §5")
                    break

    def recipients(self):
        title = self.find(lambda t: t.rstrip(":").strip().lower() == "nơi nhận")
        if title is None:
            self.fail("recipients.missing", "cuối văn bản", "không có phần “Nơi nhận:” — §5", "warning")
            return
        if text_of(title).strip() != "Nơi nhận:" or not self.all_runs(title, b=True, i=True, size=(12, 12)):
            self.fail("recipients.title", self.where(title), "“Nơi nhận:” phải in nghiêng, đậm, cỡ 12, có dấu hai chấm — §5")
        cell = title.getparent()
        entries = [p for p in (cell.iter(W + "p") if cell.tag == W + "tc" else self._next_paras(title, 12))
                   if p is not title and text_of(p).strip()]
        entries = entries[:entries.index(next((e for e in entries if text_of(e).strip().startswith("- Lưu")), entries[-1])) + 1] if entries else []
        if not entries:
            return
        if not all(self.all_runs(p, size=(11, 11)) for p in entries):
            self.fail("recipients.size", self.where(entries[0]), "các dòng nơi nhận phải cỡ 11 — §5")
        texts = [re.sub(r"\s+", " ", text_of(p).strip()) for p in entries]
        bad = [p for p, t in zip(entries[:-1], texts[:-1]) if not (t.startswith("-") and t.endswith(";"))]
        if bad:
            self.fail("recipients.entry", self.where(bad[0]), "mỗi nơi nhận bắt đầu bằng “-” và kết thúc bằng “;” — §5")
        if not re.fullmatch(r"- Lưu: VT(, [^.;]+)?( \(\d+ bản\))?\.", texts[-1]):
            self.fail("recipients.archive", self.where(entries[-1]),
                      f"dòng cuối phải là “- Lưu: VT, <đơn vị soạn thảo>.”, gặp “{texts[-1]}” — §5")

    def appendix_labels(self):
        return [p for p in self.paras if APPENDIX_RE.match(text_of(p).strip())]

    def appendices(self):
        labels = self.appendix_labels()
        for p in labels:
            t = text_of(p).strip()
            if not t.startswith("Phụ lục"):
                self.fail("appendix.case", self.where(p), f"“{t[:30]}”: viết “Phụ lục”, không in hoa cả — §6")
                break
        numbered = [p for p in labels if re.match(r"^ph[ụu] l[ụu]c\s+(số\s+)?\d", text_of(p).strip(), re.IGNORECASE)]
        if len(labels) > 1 and numbered:
            self.fail("appendix.numbering", self.where(numbered[0]),
                      "có từ hai phụ lục trở lên phải đánh số La Mã: “Phụ lục I”, “Phụ lục II” — §6")
        for p in labels:
            if not self.all_runs(p, b=True, size=(14, 14)) or self.align(p) != "center":
                self.fail("appendix.style", self.where(p), "dòng “Phụ lục …” phải đậm, cỡ 14, căn giữa — §6")
                break
        refs = [p for p in self.paras if text_of(p).strip().startswith("(Kèm theo")]
        for p in refs:
            if not self.all_runs(p, i=True) or self.align(p) != "center":
                self.fail("appendix.reference", self.where(p), "dòng “(Kèm theo …)” phải in nghiêng, căn giữa — §6")
                break

    def page_numbers(self):
        secs = self.doc.sections
        first = secs[0]

        def has_page(part) -> bool:
            return part is not None and part._has_definition and re.search(r"\bPAGE\b", part._element.xml) is not None

        header_ok = has_page(first.header)
        if not header_ok:
            self.fail("pagenum.missing", "phần 1", "không có số trang ở đầu trang (trường PAGE) — §1")
        if any(has_page(s.footer) or (s.different_first_page_header_footer and has_page(s.first_page_footer))
               for s in secs):
            self.fail("pagenum.footer", "chân trang", "số trang đặt ở chân trang; phải ở giữa lề trên — §1")
        if header_ok and (not first.different_first_page_header_footer or has_page(first.first_page_header)):
            self.fail("pagenum.first-page", "phần 1",
                      "trang 1 không được hiện số trang (chọn “Trang đầu khác” — Different First Page) — §1")
        if header_ok:
            p = next((p for p in first.header.paragraphs if re.search(r"\bPAGE\b", p._p.xml)), None)
            if p is not None and self.align(p._p) != "center":
                self.fail("pagenum.align", "đầu trang", "số trang phải căn giữa lề trên — §1")
        # §6: each appendix in the same file starts a section whose numbering restarts at 1
        first_text = next((p for p in self.paras if text_of(p).strip()), None)
        seen = set()
        for p in self.appendix_labels():
            n = self.section_of.get(id(p), 1)
            if n in seen:
                continue
            seen.add(n)
            if first_text is not None and self.section_of.get(id(first_text), 1) == n:
                self.fail("pagenum.appendix", self.where(p), "phụ lục phải bắt đầu một phần (section) mới, "
                          "đánh số trang lại từ 1 — §6")
                break
            pg = secs[n - 1]._sectPr.find(W + "pgNumType") if n <= len(secs) else None
            if pg is None or pg.get(W + "start") != "1":
                self.fail("pagenum.appendix", f"phần {n}, {self.where(p)}",
                          "số trang của phụ lục phải bắt đầu lại từ 1 (Page Number Format → Start at 1) — §6")
                break


def check_file(path: Path) -> list[Finding]:
    return Checker(path).run()


@click.command("check")
@click.argument("files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
def check_command(files: tuple[Path, ...], fmt: str) -> None:
    """Kiểm tra thể thức văn bản Word (.docx) theo Nghị định 30/2020/NĐ-CP."""
    from pipeline.errors import EXIT_FINDINGS, EXIT_INVALID_INPUT

    results = {}
    for f in files:
        try:
            results[str(f)] = check_file(f)
        except Exception as exc:  # not a Word file, or broken beyond reading
            results[str(f)] = [Finding("file.unreadable", "tệp", f"không đọc được tệp Word: {exc}")]
    if fmt == "json":
        click.echo(json.dumps({k: [asdict(x) for x in v] for k, v in results.items()}, ensure_ascii=False, indent=2))
    else:
        for f, found in results.items():
            if not found:
                click.echo(f"{f}: đúng thể thức (không phát hiện lỗi)")
            for x in found:
                click.echo(x.format(f))
        errors = sum(x.severity == "error" for v in results.values() for x in v)
        click.echo(f"{len(results)} tệp; {errors} lỗi thể thức.")
    if any(x.rule == "file.unreadable" for v in results.values() for x in v):
        sys.exit(EXIT_INVALID_INPUT)  # a file that is not a readable Word document
    if any(x.severity == "error" for v in results.values() for x in v):
        sys.exit(EXIT_FINDINGS)
