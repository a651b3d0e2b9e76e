"""§2 the number and date lines (number/symbol, leading zeros, place and date), §3 the type name and the
summary with the rule under it."""

from __future__ import annotations

from pipeline.check.checker import AGENCY_RULE_TOLERANCE, R, Checker, check_rule, text_box
from pipeline.docread.measure import text_width_twips
from pipeline.docread.document import HeaderBlock


def check_number(c: Checker, h: HeaderBlock) -> None:
    n = h.number
    if n is None:
        c.fail("header.number", "đầu văn bản", "không có dòng “Số: …/…” (số, ký hiệu văn bản) — §2", section="§2")
        return
    legal = c.doc.kind == "legal"
    form = "“Số: 30/2020/NĐ-CP” (số/năm/ký hiệu)" if legal else "“Số: 05/KH-UBND”"
    if not n.well_formed:
        c.fail("header.number", n.para, f"“{n.text}” sai dạng {form}: “Số” có dấu hai chấm, “/” giữa số và "
               "ký hiệu, “-” giữa các nhóm chữ của ký hiệu, không có dấu cách — §2", measured=n.text, allowed=form,
               section="§2")
    elif c.doc.doc_type == "Công văn" and "-" not in n.symbol:
        c.fail("header.number", n.para, f"ký hiệu công văn “{n.symbol}” thiếu chữ viết tắt đơn vị soạn thảo "
               "hoặc lĩnh vực (dạng “UBND-VP”) — §2, §8", measured=n.symbol, allowed="CQ-ĐV", section="§2")
    if len(n.number) == 1:  # one digit: below 10 (never int() a number typed by hand: it may be 5,000 digits)
        c.fail("header.number-zero", n.para, f"số {n.number} nhỏ hơn 10 phải có số 0 phía trước "
               f"(“0{n.number}”) — §2", measured=n.number, allowed=f"0{n.number}", section="§2")
    c.style_rule("header.number-style", n.para, "number")


def check_date(c: Checker, h: HeaderBlock) -> None:
    d = h.date
    if d is None:
        c.fail("header.date", "đầu văn bản", "không có dòng địa danh, ngày tháng năm — §2", section="§2")
        return
    allowed = "“Hà Nội, ngày 05 tháng 01 năm 2026”"
    if not d.well_formed:
        c.fail("header.date", d.para, f"“{d.text}” sai dạng {allowed} — §2", measured=d.text, allowed=allowed,
               section="§2")
    else:
        faults = []
        if d.day and (len(d.day) != 2 or not d.day.isdigit()):
            faults.append(f"“ngày {d.day}”: ngày nhỏ hơn 10 phải có số 0 phía trước (“ngày 0{d.day}”)")
        if d.month and d.month.isdigit():
            m = int(d.month)
            if (m <= 2 and len(d.month) != 2) or (m > 2 and d.month.startswith("0")):
                faults.append(f"“tháng {d.month}”: tháng 1, 2 viết “01”, “02”; các tháng khác không có số 0 "
                              "(“tháng 7”)")
        if faults:
            c.fail("header.date-zero", d.para, "; ".join(faults) + " — §2", measured=d.text, allowed=allowed,
                   section="§2")
    c.style_rule("header.date-style", d.para, "place_date")


# ------------------------------------------------------------------ §3 type name and summary
def check_title(c: Checker) -> None:
    t = c.doc.title
    if t is None:
        if c.doc.doc_type not in (None, "Công văn"):
            c.skip("title.type", "không tìm thấy dòng tên loại văn bản (in hoa, căn giữa) dưới phần đầu")
        return
    if t.summary and t.summary[0] is t.type_para:
        c.fail("title.type-line", t.type_para, f"tên loại “{t.type_name}” và trích yếu viết chung một dòng; "
               "Nghị định: tên loại một dòng riêng, trích yếu ngay dưới — §3", section="§3")
    else:
        c.style_rule("title.type", t.type_para, "type_name")
    if t.type_para.align != "center":
        c.fail("title.type", t.type_para, "tên loại văn bản phải căn giữa — §3", measured=t.type_para.align,
               allowed="center", section="§3")
    if not t.summary:
        c.fail("title.summary", t.type_para, "không có trích yếu ngay dưới tên loại văn bản — §3", section="§3")
        return
    for p in t.summary:
        c.style_rule("title.summary", p if p is not t.type_para else None, "summary", )
    summary_text = " ".join(line for p in t.summary for line in p.lines).strip()
    if summary_text.endswith(("…", "...")) or " … " in summary_text:
        c.fail("title.summary-cut", t.summary[-1], f"trích yếu bị cắt cụt bằng “…”: “{summary_text[-50:]}”; "
               "trích yếu phải nêu đủ nội dung chính của văn bản — §3", "warning", measured=summary_text[-50:],
               allowed="trích yếu đầy đủ", section="§3")
    size = max((s for p in t.summary for s in p.sizes()), default=R["size.summary"].lo)
    text_w = [text_width_twips(line, size, bold=True) for p in t.summary for line in p.lines]
    box = min(text_box(p, c.doc) for p in t.summary)
    check_rule(c, "title.summary-rule", t.summary_rule, t.summary[-1], "trích yếu", text_w, box, "rule.summary",
               AGENCY_RULE_TOLERANCE)
