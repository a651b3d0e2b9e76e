"""A plan made by hand in Word with what is not a task table: a schedule (TT | Nội dung | Trách nhiệm
thực hiện | Thời gian, with the deadline wordings offices type), two more tables in its body (one with
a merged header cell), a three-level outline (1. → a) → -) and a closing paragraph. Built with python-docx as ``handmade.correct_plan`` is: no vanban style or template."""

from __future__ import annotations

from pathlib import Path

from docx import Document
from docx.shared import Cm, Mm, Pt

from tests.helpers.handmade import CENTER, JUSTIFY, _cell, _line, _para, signature_block

SCHEDULE = [  # TT | Nội dung | Trách nhiệm thực hiện | Thời gian
    ("TT", "Nội dung", "Trách nhiệm thực hiện", "Thời gian"),
    ("1", "Ban hành kế hoạch kiểm tra", "Văn phòng HĐND và UBND xã", "Chậm nhất là ngày 31/12/2025"),
    ("2", "Kiểm tra tại các thôn", "Tổ kiểm tra của xã", "Trong tháng 01/2026"),
    ("3", "Theo dõi việc khắc phục sau kiểm tra", "Công chức Văn phòng - Thống kê", "Thường xuyên"),
    ("4", "Báo cáo kết quả kiểm tra", "Văn phòng HĐND và UBND xã", "Hằng quý"),
    ("5", "Tổng kết công tác kiểm tra", "Văn phòng HĐND và UBND xã", "Trước ngày 15/12/2026"),
]
GROUPED_TOP = ("Đơn vị được kiểm tra", "Thời gian")  # "Thời gian" spans "Bắt đầu" and "Kết thúc"
GROUPED_ROWS = [
    ("Thôn Xuân Thành", "Tháng 3/2026", "Tháng 4/2026"),
    ("Thôn Xuân Hòa", "Tháng 5/2026", "Tháng 6/2026"),
    ("Thôn Xuân Lập", "Tháng 9/2026", "Tháng 10/2026"),
]
OUTLINE = [  # (typed label, text, bold)
    ("I.", "MỤC ĐÍCH, YÊU CẦU", True),
    ("1.", "Mục đích", True),
    ("a)", "Theo dõi, đôn đốc việc thực hiện nhiệm vụ cải cách hành chính năm 2026 của các thôn.", False),
    ("-", "Phát hiện cách làm hay để nhân rộng trong xã.", False),
    ("-", "Kịp thời chấn chỉnh những tồn tại, hạn chế.", False),
    ("b)", "Thu thập thông tin phục vụ đánh giá chỉ số cải cách hành chính của xã.", False),
    ("2.", "Yêu cầu", True),
    ("a)", "Việc kiểm tra bảo đảm chính xác, khách quan, không gây trở ngại cho hoạt động của thôn.", False),
    ("b)", "Các tồn tại được chỉ ra phải được khắc phục kịp thời.", False),
    ("II.", "NỘI DUNG VÀ THỜI GIAN KIỂM TRA", True),
    ("1.", "Lịch kiểm tra", True),
]
AFTER_SCHEDULE = [
    ("2.", "Thời gian kiểm tra tại các thôn", True),
]
TEAM = [
    ("TT", "Họ và tên", "Chức vụ", "Nhiệm vụ trong Tổ"),
    ("1", "Lê Văn Minh", "Phó Chủ tịch UBND xã", "Tổ trưởng"),
    ("2", "Nguyễn Thị Lan", "Công chức Văn phòng - Thống kê", "Thành viên, thư ký"),
    ("3", "Trần Văn Hùng", "Công chức Tư pháp - Hộ tịch", "Thành viên"),
]
CLOSING = [
    ("III.", "TỔ CHỨC THỰC HIỆN", True),
    ("1.", "Thành phần Tổ kiểm tra", True),
]
LAST = [
    ("2.", "Kinh phí", True),
    ("", "Kinh phí kiểm tra bố trí trong dự toán chi thường xuyên năm 2026 của xã.", False),
    ("", "Văn phòng HĐND và UBND xã chủ trì, phối hợp với các thôn tổ chức thực hiện Kế hoạch này./.", False),
]


def _table(doc, rows) -> None:
    t = doc.add_table(rows=len(rows), cols=len(rows[0]))
    t.style = doc.styles["Table Grid"]
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            _cell(t.cell(r, c), [(text, 13, r == 0, False)])


def _grouped_table(doc) -> None:
    """Two header rows: 'Đơn vị được kiểm tra' merged down, 'Thời gian' merged across its two columns."""
    t = doc.add_table(rows=2 + len(GROUPED_ROWS), cols=3)
    t.style = doc.styles["Table Grid"]
    unit = t.cell(0, 0).merge(t.cell(1, 0))
    _cell(unit, [(GROUPED_TOP[0], 13, True, False)])
    when = t.cell(0, 1).merge(t.cell(0, 2))
    _cell(when, [(GROUPED_TOP[1], 13, True, False)])
    _cell(t.cell(1, 1), [("Bắt đầu", 13, True, False)])
    _cell(t.cell(1, 2), [("Kết thúc", 13, True, False)])
    for r, row in enumerate(GROUPED_ROWS, 2):
        for c, text in enumerate(row):
            _cell(t.cell(r, c), [(text, 13, False, False)])


def _lines(doc, lines) -> None:
    for label, text, bold in lines:
        _para(doc, f"{label} {text}" if label else text, 14, bold, align=JUSTIFY, indent=Cm(1), after=Pt(6))


def plan_with_blocks(path: Path) -> Path:
    doc = Document()
    doc.styles["Normal"].font.name = "Times New Roman"
    doc.styles["Normal"].font.size = Pt(14)
    sec = doc.sections[0]
    sec.page_width, sec.page_height = Mm(210), Mm(297)
    sec.top_margin, sec.bottom_margin, sec.left_margin, sec.right_margin = Mm(20), Mm(20), Mm(30), Mm(15)
    t = doc.add_table(rows=2, cols=2)
    agency = _cell(t.cell(0, 0), [("ỦY BAN NHÂN DÂN", 13, True, False), ("XÃ XUÂN BÌNH", 13, True, False)])
    nation = _cell(t.cell(0, 1), [("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", 13, True, False),
                                  ("Độc lập - Tự do - Hạnh phúc", 14, True, False)])
    _line(agency[-1], "vml", 1, 18)
    _line(nation[-1], "vml", 2, 60)
    _cell(t.cell(1, 0), [("Số: 05/KH-UBND", 13, False, False)])
    _cell(t.cell(1, 1), [("Xuân Bình, ngày 05 tháng 01 năm 2026", 14, False, True)])
    _para(doc, "KẾ HOẠCH", 14, True, align=CENTER)
    summary = _para(doc, "Kiểm tra công tác cải cách hành chính năm 2026", 14, True, align=CENTER)
    _line(summary, "vml", 3, 30)
    _para(doc, "Ủy ban nhân dân xã Xuân Bình ban hành Kế hoạch kiểm tra công tác cải cách hành chính năm 2026 "
          "như sau:", 14, align=JUSTIFY, indent=Cm(1), after=Pt(6))
    _lines(doc, OUTLINE)
    _table(doc, SCHEDULE)
    _lines(doc, AFTER_SCHEDULE)
    _grouped_table(doc)
    _lines(doc, CLOSING)
    _table(doc, TEAM)
    _lines(doc, LAST)
    signature_block(doc, ["- UBND tỉnh;", "- Các thôn;", "- Lưu: VT, VP."], "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH",
                    "Lê Văn Minh")
    doc.save(path)
    return path
