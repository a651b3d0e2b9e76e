"""``vanban register``: the register of issued documents (Sổ đăng ký văn bản đi), from the manifest.

Every document ``vanban issue`` recorded (``output.issued``) is one line: number and symbol, date,
type and summary, file. ``--xlsx FILE`` writes the register in the form of Nghị định 30/2020/NĐ-CP,
Phụ lục IV (Sổ đăng ký văn bản đi), with its ten columns; "Ngày chuyển" and "Ký nhận" are left
for the clerk's hand, as on the paper register.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from pipeline import errors as E
from pipeline.paths import near_option

COLUMNS = ("Số, ký hiệu văn bản", "Ngày tháng văn bản", "Tên loại và trích yếu nội dung", "Người ký",
           "Nơi nhận văn bản", "Đơn vị, người nhận bản lưu", "Số lượng bản", "Ngày chuyển", "Ký nhận", "Ghi chú")
WIDTHS = (16, 12, 48, 20, 36, 20, 9, 12, 12, 30)  # characters: the long texts wrap in their cells


@click.command("register")
@click.option("--out", "out_dir", type=click.Path(path_type=Path), default=Path("outputs"), show_default=True,
              callback=near_option, help="Thư mục kết quả (nơi có tệp ghi nhận của vanban).")
@click.option("--year", type=int, default=None, help="Chỉ các văn bản ban hành trong năm này.")
@click.option("--xlsx", "xlsx_path", type=click.Path(path_type=Path), default=None,
              help="Ghi sổ ra tệp Excel theo mẫu Sổ đăng ký văn bản đi (Phụ lục IV, Nghị định 30/2020/NĐ-CP).")
def register_command(out_dir: Path, year: int | None, xlsx_path: Path | None) -> None:
    """Sổ đăng ký văn bản đi: các văn bản đã ban hành (số, ngày, trích yếu, tệp); xuất ra Excel."""
    rows = register_rows(out_dir, year)
    if not rows:
        click.echo(f"Chưa có văn bản nào ban hành trong {out_dir} (ghi nhận bằng 'vanban issue').")
    else:
        _print(rows, out_dir)
    if xlsx_path is not None:
        write_xlsx(rows, xlsx_path, year)
        click.echo(f"Đã ghi sổ ({len(rows)} văn bản) vào {xlsx_path}.")


def register_rows(out_dir: Path, year: int | None = None) -> list[dict]:
    """The issued records, each with its output ``file``, by date then number."""
    from pipeline.output import issued as iss
    from pipeline.output import manifest as mf

    manifest, problem = mf.read_checked(out_dir)
    if problem:
        raise E.EnvironmentFault(Path(out_dir) / mf.MANIFEST_NAME, problem)
    rows = []
    for rel, record in iss.registered(iss.records(manifest, out_dir)).items():
        date = iss.parse_date(str(record.get("date", "")))
        if date is None or (year is not None and date.year != year):
            continue
        rows.append({**record, "file": rel, "day": date})
    return sorted(rows, key=lambda r: (r["day"], iss.parse_number(str(r.get("number", ""))) or (0, ""), r["file"]))


def _day(date: dt.date) -> str:
    return f"{date.day:02d}/{date.month:02d}/{date.year}"


def _print(rows: list[dict], out_dir: Path) -> None:
    from rich.table import Table

    table = Table(title="Sổ đăng ký văn bản đi")
    for col in ("Số, ký hiệu", "Ngày", "Tên loại và trích yếu", "Tệp"):
        table.add_column(col)
    for r in rows:
        table.add_row(_text(r.get("number")), _day(r["day"]), _text(r.get("title")), str(Path(out_dir) / r["file"]))
    E.console().print(table)


def _note(row: dict) -> str:
    note = f"Tệp: {row['file']}"
    scan = row.get("scan")
    if isinstance(scan, dict) and isinstance(scan.get("path"), str):
        note += f"; bản scan đã ký: {scan['path']}"
    if row.get("output") != row.get("rendered"):
        note += "; bản ban hành do văn phòng hoàn thiện"
    return note


def _text(value) -> str:
    return value if isinstance(value, str) else ""


def _lines(value) -> list[str]:
    return [v for v in value if isinstance(v, str)] if isinstance(value, list) else []


def _cells(row: dict) -> list:
    """One line of the register; whatever a hand-edited manifest holds, only texts and a count get in."""
    copies = row.get("copies")
    return [_text(row.get("number")), _day(row["day"]), _text(row.get("title")), _text(row.get("signer")),
            "; ".join(_lines(row.get("recipients"))), ", ".join(_lines(row.get("archive"))),
            copies if isinstance(copies, int) and not isinstance(copies, bool) else "", "", "", _note(row)]


def write_xlsx(rows: list[dict], path: Path, year: int | None) -> None:
    """The register as an .xlsx in the decree's form: title, year, the ten numbered columns, one row each."""
    import io

    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, Side
    from openpyxl.utils import get_column_letter

    from pipeline.ooxml.package import atomic_write

    wb = Workbook()
    ws = wb.active
    ws.title = "So dang ky van ban di"
    font, bold, thin = Font(name="Times New Roman", size=12), Font(name="Times New Roman", size=12, bold=True), Side(style="thin")
    box, wrap = Border(left=thin, right=thin, top=thin, bottom=thin), Alignment(wrap_text=True, vertical="top")
    years = sorted({r["day"].year for r in rows})
    ws.append(["SỔ ĐĂNG KÝ VĂN BẢN ĐI"])
    ws.append([f"Năm {year or ', '.join(map(str, years)) or dt.date.today().year}"])
    ws.append(list(COLUMNS))
    ws.append([f"({i})" for i in range(1, len(COLUMNS) + 1)])
    for r in rows:
        ws.append(_cells(r))
    last = get_column_letter(len(COLUMNS))
    for line in (1, 2):
        ws.merge_cells(f"A{line}:{last}{line}")
        ws[f"A{line}"].font, ws[f"A{line}"].alignment = bold, Alignment(horizontal="center")
    for row in ws.iter_rows(min_row=3, max_row=ws.max_row):
        for cell in row:
            cell.font = bold if cell.row == 3 else font
            cell.border, cell.alignment = box, Alignment(wrap_text=True, vertical="top",
                                                          horizontal="center" if cell.row <= 4 else None)
            if cell.row > 4:
                cell.alignment = wrap
    for i, width in enumerate(WIDTHS, start=1):
        ws.column_dimensions[get_column_letter(i)].width = width
    ws.print_title_rows = "3:4"
    ws.page_setup.orientation = "landscape"
    stamp = dt.datetime.combine(max((r["day"] for r in rows), default=dt.date(2000, 1, 1)), dt.time())
    wb.properties.creator, wb.properties.created, wb.properties.modified = "vanban", stamp, stamp
    buf = io.BytesIO()
    wb.save(buf)
    try:
        atomic_write(Path(path), buf.getvalue())
    except OSError as exc:
        raise E.environment_fault(path, exc) from None
