"""``vanban pdf``: the documents to PDF, only those that changed; also the PDF step of ``vanban build --pdf``.

The conversion is ``pipeline.pdf.convert``; this module says what it did: documents with places the
drafter has not written yet, a machine without a Vietnamese Times-metric font, PDFs that fell back
to another font, and how many documents were converted.
"""

from __future__ import annotations

import math
from pathlib import Path

import click

from pipeline import errors as E
from pipeline.paths import SOFFICE_HELP, near_option, word_documents
from pipeline.pdf.convert import convert
from pipeline.pdf.draft import DRAFT_HELP, unfilled
from pipeline.pdf.fonts import FONT_HINT, vietnamese_times_faces
from pipeline.pdf.index import fallback_fonts
from pipeline.pdf.notes import warn_drafter_notes


class _Stderr:
    """rich's console on stderr, made at the first message: a run with nothing to say loads no rich.
    It prints paths as they are (``errors.console``: no markup, no emoji)."""

    def __init__(self):
        self.console = None

    def print(self, *args, **kwargs) -> None:
        if self.console is None:
            self.console = E.console(stderr=True)
        self.console.print(*args, **kwargs)


def convert_and_report(files: list[Path], out_root: Path, pdf_root: Path, backend: str, timeout: float,
                       jobs: int | None = None, soffice: str | None = None, draft: bool = False) -> list[Path]:
    """Shared by `vanban pdf` and `vanban build --pdf`: convert what changed, then report font fallbacks.

    Documents still holding "CẦN ĐIỀN" are not printed: the others are converted, then those are named
    (``errors.PlaceholdersLeft``, exit 3) — or, with ``draft``, made into PDFs marked "DỰ THẢO" (``pdf.draft``)."""
    err = _Stderr()
    warned = []
    left = unfilled(files)
    refused = [] if draft else left
    if refused:
        held = {u.path for u in refused}
        files = [f for f in files if Path(f) not in held]
        if not files:
            raise E.PlaceholdersLeft(refused)
        left = []
    if left:
        err.print(E.styled(("Bản dự thảo:", "yellow"), f" {len(left)} văn bản còn chỗ 'CẦN ĐIỀN' chưa điền; PDF của "
                           "chúng ghi “DỰ THẢO” ở đầu trang 1 và trong tiêu đề (tệp .docx giữ nguyên)."))

    def warn_before_converting(backend: str) -> None:  # while LibreOffice starts
        warned.append(warn_drafter_notes(files, err))
        _warn_missing_fonts(backend, err)

    targets, converted = convert(files, out_root, pdf_root, backend, timeout, jobs=jobs, before=warn_before_converting,
                                 soffice=soffice, drafts=frozenset(u.path for u in left))
    if not warned:
        warn_drafter_notes(files, err)
    for t, bad in fallback_fonts(targets, pdf_root):
        err.print(E.styled(("Cảnh báo phông chữ:", "yellow"), f" {t} dùng {', '.join(bad)} thay cho Times New Roman "
                           f"— chữ tiếng Việt có thể sai. Hãy {FONT_HINT}."))
    if converted == 0:
        click.echo(f"Không có văn bản nào thay đổi: {len(targets)} tệp PDF trong {pdf_root} đã khớp với văn bản, "
                   "không chuyển lại tệp nào.")
    else:
        click.echo(f"Đã chuyển {converted} văn bản sang PDF"
                   + (f" ({len(targets) - converted} tệp khác không đổi, giữ nguyên)." if converted < len(targets)
                      else "."))
    if refused:
        raise E.PlaceholdersLeft(refused, others=len(targets))
    return targets


def _warn_missing_fonts(backend: str, err: _Stderr) -> None:
    if backend != "word" and vietnamese_times_faces() == []:
        err.print(E.styled(("Cảnh báo phông chữ:", "yellow"), " máy này không có Times New Roman hay phông cùng cỡ chữ "
                           f"có dấu tiếng Việt (Liberation Serif 2.x, Tinos); PDF sẽ dùng phông khác. Hãy {FONT_HINT}."))


def positive_seconds(ctx, param, value: float) -> float:
    """A click callback: a time limit is a finite number of seconds above zero (nan, inf, 0 and below
    would mean no limit at all)."""
    if not (math.isfinite(value) and value > 0):
        raise click.BadParameter(f"cần một số giây lớn hơn 0 (ví dụ 600), không phải '{value}'", ctx, param)
    return value


def documents_to_convert(out_root: Path) -> list[Path]:
    """The Word documents under ``out_root`` (not under its pdf/ nor hidden folders); files named .docx
    that are no documents (Word's ``~$`` lock files, empty files, not a .docx) are skipped with a note."""
    docs, skipped = word_documents(out_root, leave_out=("pdf",))
    for path, why in skipped:
        click.echo(f"Bỏ qua {path}: {why}.", err=True)
    return docs


@click.command("pdf")
@click.argument("files", nargs=-1, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--out", "out_root", type=click.Path(path_type=Path), default=Path("outputs"), show_default=True,
              callback=near_option, help="Thư mục văn bản (mặc định chuyển mọi .docx trong đó).")
@click.option("--pdf-dir", type=click.Path(path_type=Path), default=None, help="Nơi ghi PDF (mặc định <--out>/pdf).")
@click.option("--pdf-backend", "backend", type=click.Choice(["auto", "libreoffice", "word"]), default="auto",
              show_default=True, help="LibreOffice, hoặc Word (Windows/macOS, qua docx2pdf).")
@click.option("--soffice", type=click.Path(exists=True, path_type=str), default=None, help=SOFFICE_HELP)
@click.option("--timeout", type=float, default=600, show_default=True, callback=positive_seconds,
              help="Thời gian tối đa của mỗi lần gọi LibreOffice (giây; mỗi lần tối đa 245 tệp).")
@click.option("--jobs", type=click.IntRange(min=0), default=0,
              help="Số tiến trình LibreOffice chạy song song (mặc định: số lõi CPU).")
@click.option("--draft", is_flag=True, help=DRAFT_HELP)
def pdf_command(files, out_root: Path, pdf_dir: Path | None, backend: str, soffice: str | None, timeout: float,
                jobs: int, draft: bool) -> None:
    """Chuyển văn bản Word sang PDF: chỉ những văn bản đã thay đổi, mỗi lõi CPU một tiến trình LibreOffice."""
    files = list(files) or documents_to_convert(Path(out_root))
    if not files:
        raise E.MissingInput("không có tệp .docx nào để chuyển")
    pdf_root = pdf_dir or Path(out_root) / "pdf"
    targets = convert_and_report(files, out_root, pdf_root, backend, timeout, jobs or None, soffice, draft)
    click.echo(f"PDF: {len(targets)} tệp trong {pdf_root}.")
