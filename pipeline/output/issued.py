"""Issued documents: signed, registered and kept as issued (``vanban issue``, ``vanban register``).

The record lives in the manifest (``outputs/.vanban-manifest.json``, committed with the outputs, so it
is visible in git and survives every rebuild), under ``issued``, one entry per output path:

    "ke-hoach-cchc.docx": {"number": "12/KH-UBND", "date": "2025-07-14", "title": …,
                           "output": sha256 of the issued .docx, "rendered": sha256 of what vanban
                           rendered at issue time, "source": the document's key then,
                           "signer": …, "recipients": […], "copies": …, "scan": {"path", "sha256"}}

``output`` and ``rendered`` differ when a hand-finished .docx was adopted (``--file``). A build
never changes an issued document (``freeze``): its bytes stay the issued ones, and when the inputs
now render it differently (its ``rendered`` hash, or its key, no longer matches) it is reported as
``stale`` — "đã ban hành — sửa bằng văn bản mới" — while every other document is written.

This module reads and decides; ``commit.py`` writes (the record enters the manifest in the same
all-or-nothing commit as the outputs).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from pathlib import Path

from pipeline.output import manifest as mf

ISSUED_KEY = "issued"
SCAN_DIR = "ban-hanh"  # signed scans adopted as the issued version: outputs/ban-hanh/<name>.pdf
MAX_ADOPTED_BYTES = 100 * 1024 * 1024  # a signed scan of a long plan stays well under it

NUMBER_RE = re.compile(r"^\s*(?:số\s*:?\s*)?0*(\d{1,6})\s*/\s*([A-Za-zĐđ0-9.]+(?:-[A-Za-zĐđ0-9.]+)+)\s*$",
                       re.IGNORECASE)


def parse_number(text: str) -> tuple[int, str] | None:
    """'12/KH-UBND' → (12, 'KH-UBND'); 'Số: 05/BC-UBND' too; None when it is not a number and symbol."""
    match = NUMBER_RE.match(text or "")
    if not match or int(match.group(1)) < 1:
        return None
    return int(match.group(1)), match.group(2)


def parse_date(text: str) -> dt.date | None:
    """'2025-07-14' or '14/7/2025' (as the office writes it); None when it is neither or no such day."""
    text = (text or "").strip()
    iso = re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})", text)
    vn = re.fullmatch(r"(\d{1,2})[/.](\d{1,2})[/.](\d{4})", text)
    try:
        if iso:
            return dt.date(int(iso.group(1)), int(iso.group(2)), int(iso.group(3)))
        if vn:
            return dt.date(int(vn.group(3)), int(vn.group(2)), int(vn.group(1)))
    except ValueError:
        return None
    return None


def registered(records: dict[str, dict]) -> dict[str, dict]:
    """The records the register lists: each issued document once, without the appendices issued with it."""
    return {rel: r for rel, r in records.items() if not r.get("part_of")}


def records(manifest: dict | None, out_dir: Path) -> dict[str, dict]:
    """The issued records of ``manifest`` whose path is a safe name inside ``out_dir`` and whose entry
    is well formed (others are ignored: never trusted, never used to keep or delete a file)."""
    found = {}
    for rel, entry in ((manifest or {}).get(ISSUED_KEY) or {}).items():
        if mf.inside(out_dir, rel) is not None and isinstance(entry, dict) and isinstance(entry.get("output"), str):
            found[rel] = entry
    return found


def freeze(built: list, out_dir: Path, manifest: dict | None) -> tuple[list, list[str], list[str]]:
    """``built`` with every issued document held at its issued bytes.

    Returns (built, stale, missing): ``stale`` are the issued documents the inputs now render
    differently (kept as issued, to be reported), ``missing`` those whose issued file is gone or was
    changed on disk (never written over: the issued version is in git). A deleted issued file that
    this build makes byte for byte again is simply written back. A held document carries the
    manifest entry to record (``entry``) and ``held='issued'``; ``commit`` writes none of them.
    """
    issued = records(manifest, out_dir)
    previous = (manifest or {}).get("outputs") or {}
    out, stale, missing = [], [], []
    for b in built:
        record = issued.get(b.path)
        if record is None:
            out.append(b)
            continue
        same_render = b.source == record.get("source") or (b.rendered and mf.sha256(b.data) == record.get("rendered"))
        if not same_render:
            stale.append(b.path)
        target = Path(out_dir) / b.path
        on_disk = target.read_bytes() if target.is_file() and not target.is_symlink() else None
        restore = on_disk is None and not target.is_symlink() and mf.sha256(b.data) == record["output"]
        if restore:  # deleted, and this build makes the very bytes issued: written back
            on_disk = b.data
        elif on_disk is None or mf.sha256(on_disk) != record["output"]:
            missing.append(b.path)
        old = previous.get(b.path)
        old = old if isinstance(old, dict) else {}
        entry = {"output": record["output"], "source": record.get("source", ""), "title": b.title,
                 "vanban": old.get("vanban", ""), "held": "issued"}
        if not same_render:
            entry["stale"] = True
        out.append(dataclasses.replace(b, data=on_disk if on_disk is not None else b.data, entry=entry,
                                       held="" if restore else "issued"))
    return out, stale, missing


def new_record(b, adopted: bytes | None, details: dict) -> dict:
    """The issued record of output ``b`` (a ``Built`` just rendered), ``adopted`` the office's own .docx."""
    data = adopted if adopted is not None else b.data
    record = {"output": mf.sha256(data), "rendered": mf.sha256(b.data), "source": b.source, "title": b.title}
    record.update(details)
    return record


def scan_path(rel: str) -> str:
    """Where a signed scan of output ``rel`` is kept: 'ban-hanh/<folder>/<name>.pdf'."""
    return f"{SCAN_DIR}/{rel.rsplit('.', 1)[0]}.pdf"


@dataclasses.dataclass
class Issue:
    """What ``vanban issue`` asks the commit to record: output ``path`` as issued with ``details``
    (number, date, signer …), optionally the office's own .docx (``adopted``) or signed scan (``scan``)."""

    path: str
    details: dict
    adopted: bytes | None = None
    scan: bytes | None = None
    parts: tuple[str, ...] = ()  # outputs issued with it: the plan's appendices, each also a file of its own


def apply(built: list, issue: Issue | None, manifest: dict | None, out_dir: Path,
          version: str = "") -> tuple[list, dict[str, bytes], dict]:
    """The commit's view of an issue: ``built`` with the issued document's bytes (adopted or rendered)
    and manifest entry, the extra files to write (a signed scan), and the record of every issued
    document (the manifest's ``issued``)."""
    issued = records(manifest, out_dir)
    if issue is None:
        return built, {}, issued
    extra: dict[str, bytes] = {}
    out = []
    for b in built:
        if b.path != issue.path and b.path not in issue.parts:
            out.append(b)
            continue
        details = dict(issue.details)
        if b.path in issue.parts:
            details.update(title=b.title, part_of=issue.path)
        elif issue.scan is not None:
            details["scan"] = {"path": scan_path(b.path), "sha256": mf.sha256(issue.scan)}
            extra[scan_path(b.path)] = issue.scan
        adopted = issue.adopted if b.path == issue.path else None
        record = new_record(b, adopted, details)
        issued[b.path] = record
        entry = {"output": record["output"], "source": record["source"], "title": b.title,
                 "vanban": version, "held": "issued"}
        out.append(dataclasses.replace(b, data=adopted if adopted is not None else b.data, entry=entry, held=""))
    return out, extra, dict(sorted(issued.items()))

