"""``.vanban-pdf.json`` beside the PDFs: which PDFs are current, so only changed documents are converted.

For every PDF it records the sha256 of the .docx it was made from, of the PDF itself and the fallback
fonts found in it: a PDF is never stale, and a second run with nothing changed converts nothing.
"""

from __future__ import annotations

from pathlib import Path

from pipeline.pdf.fonts import foreign_fonts_of

INDEX_NAME = ".vanban-pdf.json"


def sha256_file(path: Path) -> str:
    import hashlib

    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def read_index(pdf_root: Path) -> dict:
    """``{pdf path relative to pdf_root: {"docx": sha256, "pdf": sha256, "fonts": [foreign fonts]}}``, with
    ``"draft": true`` for a PDF made from a copy marked "DỰ THẢO"."""
    import json

    try:
        data = json.loads((Path(pdf_root) / INDEX_NAME).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data.get("pdfs", {}) if isinstance(data, dict) and isinstance(data.get("pdfs"), dict) else {}


def write_index(pdf_root: Path, entries: dict) -> None:
    import json

    from pipeline.ooxml.package import atomic_write

    text = json.dumps({"format": 1, "pdfs": entries}, sort_keys=True, indent=1, ensure_ascii=False) + "\n"
    atomic_write(Path(pdf_root) / INDEX_NAME, text.encode("utf-8"))


def index_key(target: Path, pdf_root: Path) -> str:
    """The entry of PDF ``target`` in the index under ``pdf_root``: its path relative to it."""
    try:
        return Path(target).resolve().relative_to(Path(pdf_root).resolve()).as_posix()
    except ValueError:
        return Path(target).resolve().as_posix()


def stale(files: list[Path], targets: list[Path], pdf_root: Path, index: dict,
          drafts: frozenset[Path] = frozenset()) -> tuple[list[int], dict[int, str]]:
    """(indices of the files to convert, the sha256 of every file): a PDF is current only when the
    index records the sha256 of this very .docx for it, the PDF on disk is the one recorded, and it is a
    draft exactly when the file is among ``drafts``."""
    todo, digests = [], {}
    for i, (f, t) in enumerate(zip(files, targets)):
        digests[i] = sha256_file(f)
        entry = index.get(index_key(t, pdf_root))
        if not (isinstance(entry, dict) and entry.get("docx") == digests[i] and Path(t).is_file()
                and bool(entry.get("draft")) == (f in drafts) and entry.get("pdf") == sha256_file(t)):
            todo.append(i)
    return todo, digests


def record(files, targets, todo, digests, pdf_root, index, drafts: frozenset[Path] = frozenset()) -> None:
    """Index every PDF just made whose .docx did not change while it was converted (``draft``: made from a
    copy marked "DỰ THẢO")."""
    made = [i for i in todo if Path(targets[i]).is_file()]
    fonts = foreign_fonts_of([targets[i] for i in made])
    for i, bad in zip(made, fonts):
        if sha256_file(files[i]) == digests[i]:
            entry = {"docx": digests[i], "pdf": sha256_file(targets[i]), "fonts": bad}
            if files[i] in drafts:
                entry["draft"] = True
            index[index_key(targets[i], pdf_root)] = entry
    write_index(pdf_root, index)


def fallback_fonts(targets: list[Path], pdf_root: Path) -> list[tuple[Path, list[str]]]:
    """(PDF, the fallback fonts recorded for it) of every PDF among ``targets`` that uses any."""
    index = read_index(pdf_root)
    found = [(t, (index.get(index_key(t, pdf_root)) or {}).get("fonts") or []) for t in targets]
    return [(t, bad) for t, bad in found if bad]
