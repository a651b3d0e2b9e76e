"""What was built from what: ``outputs/.vanban-manifest.json``.

For every output the manifest records the hash of what it was built from
(``source``: the document's key — the template files, contexts and core
properties it is made from, and the vanban version; see ``render/keys.py``)
and the hash of the bytes written (``output``). ``sources`` lists the hash of
every input and template file of the build; an input's hash is taken with its
line endings as LF (``text_sha256``), so a YAML file saved with CRLF (Notepad, or
git's ``core.autocrlf``, Git for Windows' default) is the same source as before.
It is written with sorted keys and no timestamps, so the same build always gives
the same manifest, and it is committed with the outputs; ``build --check`` compares
it by content (``same_output``), so a copy of it checked out with CRLF still matches.

Its job is to protect hand edits: an output whose bytes on disk no longer
match the recorded ``output`` hash was changed by someone after vanban wrote
it. A build then refuses to overwrite it (``RefusedOverwrite``) unless forced,
and a forced build first copies it to ``outputs/.backup/``. An output that
exists on disk but is not in the manifest (no manifest yet) is treated the same
way when the build would change it: vanban cannot tell who wrote it.

A document's key covers exactly what its context is built from, so an edit
changes the keys of the documents that show it and no others; a build renders
only those (``render/keys.py``, ``build/reuse.py``). A document whose key changed but whose bytes
did not is not rewritten (only the manifest records the new key).

Each output also records the vanban version that made it (the version of the
last build, which gives these very bytes: the record stays reproducible, the
same build always writes the same manifest). After an upgrade,
``why_changed`` tells the office which documents change because vanban changed
(its version, its templates, its code) while their inputs stayed the same.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path, PurePosixPath

MANIFEST_NAME = ".vanban-manifest.json"
BACKUP_DIR = ".backup"
FORMAT = 1


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def text_sha256(data: bytes) -> str:
    """The hash of a text file with every line ending (CRLF, or a lone CR) as LF: the same for a file
    saved on Windows or checked out there with CRLF as for the LF original. YAML reads both alike."""
    return sha256(data.replace(b"\r\n", b"\n").replace(b"\r", b"\n"))


def _files_under(root: Path, patterns: tuple[str, ...]) -> list[Path]:
    found: set[Path] = set()
    for pattern in patterns:
        found.update(p for p in root.rglob(pattern) if p.is_file() and not p.name.startswith(("~$", ".")))
    return sorted(found)


def source_hashes(inputs_dir: Path, templates: Path) -> dict[str, str]:
    """Hash of every input (YAML) and template file, keyed by a machine-independent name."""
    out = {}
    for p in _files_under(Path(inputs_dir), ("*.yaml", "*.yml")):
        out["inputs/" + p.relative_to(inputs_dir).as_posix()] = text_sha256(p.read_bytes())
    for p in _files_under(Path(templates), ("*.docx",)):
        out["templates/" + p.relative_to(templates).as_posix()] = sha256(p.read_bytes())
    return out


def source_digest(hashes: dict[str, str], version: str) -> str:
    text = json.dumps({"files": hashes, "vanban": version}, sort_keys=True, ensure_ascii=False)
    return sha256(text.encode("utf-8"))


def sources_for(inputs_dir: Path, templates: Path | None = None) -> dict:
    """Everything the manifest needs to know about the build's sources."""
    from pipeline import __version__
    from pipeline.paths import templates_dir

    templates = Path(templates) if templates else templates_dir(Path(inputs_dir))
    hashes = source_hashes(Path(inputs_dir), templates)
    return {"files": hashes, "vanban": __version__, "digest": source_digest(hashes, __version__)}


def render(built, sources: dict | None, issued: dict | None = None) -> bytes:
    """The manifest's bytes for a list of ``Built``; each output names the vanban version that made it.

    A document the build held (issued, or edited by hand: see ``issued.freeze`` and ``commit``) brings
    its own entry (``entry``); ``issued`` is the record of issued documents (left out when empty)."""
    digest = (sources or {}).get("digest", "")
    version = (sources or {}).get("vanban", "")
    doc = {
        "format": FORMAT,
        "outputs": {b.path: getattr(b, "entry", None) or {
            "output": sha256(b.data), "source": getattr(b, "source", "") or digest, "title": b.title,
            "vanban": version} for b in built},
        "sources": (sources or {}).get("files", {}),
        "vanban": (sources or {}).get("vanban", ""),
    }
    if issued:
        doc["issued"] = issued
    return (json.dumps(doc, sort_keys=True, indent=2, ensure_ascii=False) + "\n").encode("utf-8")


def _part(files: dict, prefix: str) -> dict:
    return {k: v for k, v in (files or {}).items() if k.startswith(prefix)}


def _vanban_change(old: list[str], new: str, templates: list[str]) -> str:
    """'phiên bản 0.1.0 → 0.2.0; mẫu văn bản mới: kh_ubnd.docx' and the like."""
    what = f"phiên bản {', '.join(old)} → {new}" if old != [new] else f"cùng phiên bản {new}"
    if templates:
        return what + "; mẫu văn bản mới: " + ", ".join(templates)
    return what if old != [new] else what + ": mã chương trình hoặc thư viện khác"


def why_changed(previous: dict | None, sources: dict, changed: list[str], own_templates: bool) -> str | None:
    """Why the ``changed`` outputs differ from the build recorded in ``previous`` (Vietnamese), when
    vanban is the reason: a new version, its templates, its code. None when the commune's own
    sources (inputs, and its templates if it has its own) explain it, or nothing changed.
    """
    if not previous:
        return None
    before, now = previous.get("sources") or {}, sources["files"]
    mine = ("inputs/", "templates/") if own_templates else ("inputs/",)
    commune_changed = any(_part(before, p) != _part(now, p) for p in mine)
    templates = [] if own_templates else sorted(
        k.removeprefix("templates/") for k in set(_part(before, "templates/")) | set(_part(now, "templates/"))
        if before.get(k) != now.get(k))
    docs = [rel for rel in changed if rel != MANIFEST_NAME]
    entries = previous.get("outputs") or {}
    fallback = str(previous.get("vanban") or "?")
    old = sorted({str((entries.get(rel) or {}).get("vanban") or fallback) for rel in docs} or {fallback})
    new = sources["vanban"]
    what = _vanban_change(old, new, templates)
    if commune_changed:
        if docs and (old != [new] or templates):
            return f"Dữ liệu đầu vào và vanban ({what}) cùng thay đổi: {len(docs)} văn bản khác đi có thể do cả hai."
        return None
    if docs:
        return (f"{len(docs)} văn bản thay đổi vì vanban thay đổi ({what}), không phải vì dữ liệu đầu vào: "
                "dữ liệu vẫn như lần tạo trước.")
    if old != [new]:
        return f"vanban đã đổi ({what}); không văn bản nào khác đi, chỉ tệp {MANIFEST_NAME} ghi lại phiên bản mới."
    return None


def same_output(rel: str, target: Path, data: bytes) -> bool:
    """Whether the file ``target`` holds what a build makes of output ``rel`` (``data``): the same bytes,
    and for the manifest, which is text, the same content (a checkout with CRLF line endings matches)."""
    if rel != MANIFEST_NAME:
        return file_sha256(target) == sha256(data)
    try:
        on_disk = target.read_bytes()
        return on_disk == data or json.loads(on_disk.decode("utf-8")) == json.loads(data.decode("utf-8"))
    except (OSError, UnicodeDecodeError, ValueError):
        return False


STAGING_DIR = ".vanban-staging"  # a commit in progress (see commit.py); never committed to git


def file_sha256(path: Path) -> str:
    """The hash of a file, read in chunks (an output on disk may be any size)."""
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def read_checked(out_dir: Path) -> tuple[dict | None, str | None]:
    """(the manifest, None), (None, None) when there is none, or (None, why it cannot be read)."""
    path = Path(out_dir) / MANIFEST_NAME
    if not path.exists():
        return None, None
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        return None, f"không đọc được tệp ({exc.strerror or exc})"
    except UnicodeDecodeError:
        return None, "tệp không phải văn bản UTF-8"
    except ValueError as exc:
        return None, f"nội dung không phải JSON hợp lệ ({exc})"
    if not isinstance(data, dict) or not isinstance(data.get("outputs"), dict):
        return None, "thiếu mục 'outputs' (không phải tệp ghi nhận của vanban)"
    return data, None


def read(out_dir: Path) -> dict | None:
    """The manifest, or None when missing, unreadable, or a commit is still pending (then build in full)."""
    if (Path(out_dir) / STAGING_DIR).exists():
        return None
    return read_checked(out_dir)[0]


def safe_relative(rel) -> bool:
    """A manifest key vanban could have written: a relative '/'-path, no '..', no drive, no backslash."""
    if not isinstance(rel, str) or not rel or "\\" in rel or ":" in rel or rel.startswith("/"):
        return False
    if any(ord(ch) < 32 for ch in rel):
        return False
    parts = rel.split("/")
    return all(part not in ("", ".", "..") for part in parts) and not parts[0].startswith(".")


def inside(out_dir: Path, rel: str) -> Path | None:
    """``out_dir / rel`` when it is a safe name that resolves (symlinks followed) inside ``out_dir``."""
    if not safe_relative(rel):
        return None
    root = Path(out_dir).resolve()
    target = (root / rel).resolve()
    return target if target != root and target.is_relative_to(root) else None


def entries(manifest: dict | None, out_dir: Path, warn=None) -> dict[str, str]:
    """{output: recorded hash} for the manifest's well-formed entries inside ``out_dir``.

    A malformed entry, or one naming a path outside the folder, is left out (and so never
    deleted nor trusted); ``warn`` is told about it in Vietnamese.
    """
    out = {}
    for rel, entry in ((manifest or {}).get("outputs") or {}).items():
        good = isinstance(entry, dict) and isinstance(entry.get("output"), str)
        if inside(out_dir, rel) is None or not good:
            if warn:
                why = "không phải đường dẫn bên trong thư mục kết quả" if good else "mục ghi không đúng dạng"
                warn(f"{Path(out_dir) / MANIFEST_NAME}: bỏ qua mục '{rel}' ({why}); vanban không ghi, "
                     "không xóa tệp nào theo mục này")
            continue
        out[rel] = entry["output"]
    return out


def hand_edited(built, out_dir: Path, manifest: dict | None, recorded: dict[str, str] | None = None) -> list[str]:
    """Outputs a build would overwrite although vanban did not write what is on disk now."""
    recorded = entries(manifest, out_dir) if recorded is None else recorded
    edited = []
    for b in built:
        target = Path(out_dir) / b.path
        if not target.is_file():
            continue
        now = file_sha256(target)
        if now == sha256(b.data):
            continue  # nothing would be lost
        if recorded.get(b.path) != now:
            edited.append(b.path)
    return edited


def obsolete(built, out_dir: Path, manifest: dict | None,
             recorded: dict[str, str] | None = None) -> tuple[list[str], list[str]]:
    """Outputs of the previous build that this build no longer makes.

    Returns (removable, kept): files vanban wrote and nobody touched since, which a
    build deletes, and files edited by hand since, which it leaves in place.
    """
    recorded = entries(manifest, out_dir) if recorded is None else recorded
    made = {b.path for b in built}
    removable: list[str] = []
    kept: list[str] = []
    for rel, digest in sorted(recorded.items()):
        target = Path(out_dir) / rel
        if rel in made or not target.is_file() or target.is_symlink():
            continue
        (removable if file_sha256(target) == digest else kept).append(rel)
    return removable, kept


def hand_edited_on_disk(out_dir: Path) -> list[tuple[str, Path]]:
    """(output, where its backup will go) for every recorded output whose bytes no longer match."""
    out = []
    manifest = read(out_dir)
    issued = set((manifest or {}).get("issued") or {})  # never overwritten, so never backed up
    for rel, digest in sorted(entries(manifest, out_dir).items()):
        target = Path(out_dir) / rel
        if rel not in issued and target.is_file() and file_sha256(target) != digest:
            out.append((rel, backup_path(out_dir, rel, target.read_bytes())))
    return out


def backup_path(out_dir: Path, rel: str, data: bytes) -> Path:
    """``outputs/.backup/<folder>/<name>.<sha8>.docx``: opens in Word, never overwritten by a build."""
    p = PurePosixPath(rel)
    return Path(out_dir) / BACKUP_DIR / p.parent / f"{p.stem}.{sha256(data)[:8]}{p.suffix}"


def backup(out_dir: Path, rel: str) -> Path:
    from pipeline.ooxml.package import atomic_write

    data = (Path(out_dir) / rel).read_bytes()
    target = backup_path(out_dir, rel, data)
    root = Path(out_dir).resolve()
    if not target.resolve().is_relative_to(root):
        from pipeline.errors import EnvironmentFault

        raise EnvironmentFault(target, "thư mục lưu bản sửa tay dẫn ra ngoài thư mục kết quả; vanban không ghi")
    if not (target.is_file() and target.read_bytes() == data):
        atomic_write(target, data)
    return target
