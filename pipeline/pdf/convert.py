"""The documents to PDF through a pool of LibreOffice processes (or through Word).

``convert`` converts only the documents whose .docx changed since their PDF (``index``: the
sha256 of the .docx each PDF was made from and of the PDF itself, so a PDF is never stale and a
second run with nothing changed converts nothing), through ``pool.libreoffice`` (one ``soffice``
process per core, each on its own profile: ``soffice``) or ``word.word`` (docx2pdf). PDFs are
written under ``outputs/pdf/`` mirroring the outputs tree; git ignores them (LibreOffice's PDFs
are not byte-reproducible). After converting, the fonts each PDF embeds are checked and recorded
(``fonts``): a font other than Times New Roman or a metric-compatible face (Liberation Serif,
Tinos) means LibreOffice fell back to a face without Vietnamese glyphs.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

from pipeline.errors import environment_fault
from pipeline.paths import find_soffice
from pipeline.pdf.disk import confine
from pipeline.pdf.draft import draft_sources
from pipeline.pdf.index import index_key, read_index, record, stale
from pipeline.pdf.pool import libreoffice
from pipeline.pdf.word import word

if TYPE_CHECKING:
    from rich.progress import Progress, TaskID


def pdf_path(docx: Path, out_root: Path, pdf_root: Path) -> Path:
    """outputs/bao-cao/x.docx -> outputs/pdf/bao-cao/x.pdf"""
    try:
        rel = Path(docx).resolve().relative_to(Path(out_root).resolve())
    except ValueError:
        rel = Path(Path(docx).name)
    return Path(pdf_root) / rel.with_suffix(".pdf")


def convert(files: list[Path], out_root: Path, pdf_root: Path, backend: str = "auto",
            timeout: float = 600, show_progress: bool = True, jobs: int | None = None,
            before=None, soffice: str | None = None, drafts: frozenset[Path] = frozenset()) -> tuple[list[Path], int]:
    """Convert the ``files`` (under ``out_root``) whose PDF under ``pdf_root`` is missing or stale.

    Returns (every file's PDF path, how many were converted). A PDF whose .docx
    changed is removed before converting, so a failed conversion leaves no stale PDF.
    ``before(backend)`` is called when there is something to convert, once LibreOffice has started.
    ``soffice``: the LibreOffice program a ``--soffice`` option named. Nothing is written through a
    symlink leading out of the folders (``disk.confine``); the disk refusing (full, read-only) is an
    ``EnvironmentFault`` naming the path, and the PDFs made before it are kept and recorded.
    ``drafts``: files whose PDF is made from a temporary copy marked "DỰ THẢO" (``draft.draft_copy``); the
    index records which PDFs are drafts, so a draft and a final PDF never stand for each other.
    """
    files = [Path(f) for f in files]
    targets = [pdf_path(f, out_root, pdf_root) for f in files]
    confine(out_root, pdf_root, targets)
    index = read_index(pdf_root)
    todo, digests = stale(files, targets, pdf_root, index, drafts)
    if not todo:
        return targets, 0
    if backend == "auto":
        backend = "libreoffice" if find_soffice(soffice) or sys.platform not in ("win32", "darwin") else "word"
    some, some_targets = [files[i] for i in todo], [targets[i] for i in todo]
    started = (lambda: before(backend)) if before else None
    if backend == "word" and started:
        started()
    bar = ProgressLine(len(todo)) if show_progress else None
    error: BaseException | None = None
    cleared = False  # every stale PDF removed: a PDF there afterwards was made now
    with draft_sources(some, drafts) as sources:
        try:
            for i in todo:
                index.pop(index_key(targets[i], pdf_root), None)
                Path(targets[i]).unlink(missing_ok=True)
            cleared = True
            if backend == "libreoffice":
                libreoffice(sources, some_targets, timeout, bar, jobs, started, soffice)
            else:
                word(sources, some_targets, bar)
        except BaseException as exc:  # the PDFs made before it are recorded all the same
            error = exc
        finally:
            if bar:
                bar.close()
    try:
        record(files, targets, todo if cleared else [], digests, pdf_root, index, drafts)
    except OSError as exc:
        error = error or exc
    if isinstance(error, OSError):
        raise environment_fault(pdf_root, error) from None
    if error is not None:
        raise error
    return targets, len(todo)


class ProgressLine:
    """One line of progress (rich), made at its first update: rich loads while LibreOffice starts."""

    def __init__(self, total: int):
        self.total = total
        self.bar: Progress | None = None
        self.task: TaskID | None = None  # made with the bar

    def __call__(self, done: int) -> None:
        if self.bar is None or self.task is None:
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

            self.bar = Progress(TextColumn("Chuyển sang PDF"), BarColumn(), MofNCompleteColumn(),
                                TimeElapsedColumn(), transient=False)
            self.bar.start()
            self.task = self.bar.add_task("pdf", total=self.total)
        self.bar.update(self.task, completed=done)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.stop()
