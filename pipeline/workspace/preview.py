"""The documents rebuilt after a save, and the pages of one shown as images.

``rebuild`` is ``build.run.run_build`` itself (the same lint gate, the same keys and commit, so the
same bytes as ``vanban build``; only the documents whose sources changed are rendered again). A
document's pages are its PDF from ``pdf.convert.convert`` (LibreOffice's pool; its profile is kept
between conversions, and only a document whose .docx changed is converted again) drawn as PNG by
``pdftoppm`` (poppler). Without LibreOffice or Word, or without ``pdftoppm``, the document's text
(``vcs.textconv``) is shown with a sentence saying what is missing.
"""

from __future__ import annotations

import shutil
import subprocess
import threading
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.workspace.safety import digest

RESOLUTION = 96  # dots per inch of a page image: an A4 page ≈ 790 × 1120 pixels, drawn down sharp beside the form
PDFTOPPM_TIMEOUT = 60


@dataclass
class Pages:
    doc: str  # the document, relative to the outputs folder
    images: list[str] = field(default_factory=list)  # names under the image folder
    text: list[str] = field(default_factory=list)  # the document as lines, when there are no images
    missing: str = ""  # what the machine lacks to draw pages (Vietnamese)
    error: str = ""


class Previewer:
    """One commune's outputs, rebuilt and drawn; one build or conversion at a time."""

    def __init__(self, inputs_dir: Path, out_dir: Path, images: Path):
        self.inputs_dir, self.out_dir, self.images = Path(inputs_dir), Path(out_dir), Path(images)
        self.lock = threading.Lock()
        self.last_changed: list[str] = []

    def rebuild(self) -> tuple[list[str], str]:
        """Build; return the outputs that changed and, when the build stopped, why (Vietnamese)."""
        from pipeline.build.run import run_build
        from pipeline.errors import InputErrors, RefusedOverwrite

        with self.lock:
            try:
                result = run_build(self.inputs_dir, self.out_dir, jobs=1)
            except InputErrors as exc:
                errors = [i for i in exc.issues if i.severity == "error"]
                return [], (f"Chưa tạo lại văn bản: dữ liệu còn {len(errors)} lỗi "
                            "(xem mục Lỗi và cảnh báo).")
            except RefusedOverwrite as exc:
                return [], f"Chưa tạo lại văn bản: {exc.format_message()}"
        changed = [p for p in result.changed if p.endswith(".docx") and (self.out_dir / p).is_file()]
        # the smallest first: the most particular document a save changed (an appendix, not the plan with all of them)
        self.last_changed = sorted(changed, key=lambda p: (self.out_dir / p).stat().st_size)
        return self.last_changed, ""

    def documents(self) -> list[tuple[str, str]]:
        """(path, title) of every output the manifest records, in its order."""
        from pipeline.output import manifest as mf

        recorded = mf.read(self.out_dir) or {}
        outputs = recorded.get("outputs", {}) if isinstance(recorded, dict) else {}
        return [(p, str(v.get("title", p)) if isinstance(v, dict) else p) for p, v in outputs.items()
                if p.endswith(".docx") and (self.out_dir / p).is_file()]

    def pages(self, doc: str) -> Pages:
        from pipeline.paths import find_soffice

        docx = self.out_dir / doc
        if not docx.is_file():
            return Pages(doc, error="Văn bản này chưa được tạo.")
        if find_soffice() is None:
            return self._text(doc, "Máy này chưa có LibreOffice (hoặc Word) nên chưa xem được trang văn bản; "
                                   "dưới đây là nội dung chữ. Cài LibreOffice để xem trang như khi in.")
        if shutil.which("pdftoppm") is None:
            return self._text(doc, "Máy này chưa có pdftoppm (gói poppler-utils) để vẽ trang; dưới đây là nội "
                                   "dung chữ, bản PDF tải ở liên kết bên trên.")
        with self.lock:
            try:
                pdf = self.pdf(doc)
            except Exception as exc:  # ExternalToolError / EnvironmentFault: said on the page
                message = exc.format_message() if hasattr(exc, "format_message") else str(exc)
                return self._text(doc, f"Không chuyển được sang PDF: {message}")
            return Pages(doc, images=self._draw(pdf))

    def pdf_of(self, doc: str) -> Path:
        """The document's PDF for a download, made (or taken as made) while no other conversion runs."""
        with self.lock:
            return self.pdf(doc)

    def pdf(self, doc: str) -> Path:
        from pipeline.pdf.convert import convert

        targets, _ = convert([self.out_dir / doc], self.out_dir, self.out_dir / "pdf", show_progress=False, jobs=1)
        return targets[0]

    def _draw(self, pdf: Path) -> list[str]:
        key = digest(pdf.read_bytes())[:16]
        folder = self.images / key
        if not folder.is_dir():
            tmp = self.images / f".{key}.tmp"
            shutil.rmtree(tmp, ignore_errors=True)
            tmp.mkdir(parents=True)
            subprocess.run(["pdftoppm", "-r", str(RESOLUTION), "-png", str(pdf), str(tmp / "trang")],
                           check=True, capture_output=True, timeout=PDFTOPPM_TIMEOUT)
            tmp.rename(folder)
        return [f"{key}/{p.name}" for p in sorted(folder.glob("trang*.png"))]

    def _text(self, doc: str, missing: str) -> Pages:
        from pipeline.vcs.textconv import docx_lines

        return Pages(doc, text=docx_lines((self.out_dir / doc).read_bytes(), doc), missing=missing)
