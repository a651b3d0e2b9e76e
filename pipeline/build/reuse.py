"""What a build may skip: the whole build when nothing changed, or single documents when theirs didn't.

Two records live in the user's cache folder, never in ``outputs/`` (local state, not documents):

- the *repeat key* (``key_file``): the digest of the sources and of vanban's own code of the last full
  build into an outputs folder, with that build's lint warnings. When the manifest shows those very
  outputs, untouched, nothing is loaded or rendered (``up_to_date``);
- the *document state* (``state_file``): the code digest and manifest hash the last build left. With
  it, a document whose key (``render.keys.document_keys``) is the one the manifest recorded, and whose
  bytes on disk are the recorded ones, is kept instead of rendered (``reuser``).

Without either record every document is rendered: the worst case is a full build, never a stale file.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Callable

from pipeline.output import manifest as mf
from pipeline.render.keys import code_digest
from pipeline.ooxml.package import atomic_write

Keep = Callable[[str, str], "bytes | None"]  # (path, key) → bytes to keep instead of rendering, or None


def key_file(out_dir: Path) -> Path:
    """Where this machine remembers what the last full build into ``out_dir`` was made from.

    Kept in the user's cache folder, not in ``outputs/``: it is local state, not a document.
    """
    from pipeline.paths import cache_folder

    name = hashlib.sha256(str(Path(out_dir).resolve()).encode()).hexdigest()[:24]
    return cache_folder() / f"{name}.key"


def build_key(sources: dict, code: str | None = None) -> str:
    """The sources' digest together with a digest of vanban's own code and data files (and libraries)."""
    return hashlib.sha256(f"{sources['digest']}\n{code or code_digest()}".encode()).hexdigest()


def up_to_date(inputs_dir: Path, out_dir: Path, sources: dict,
               code: str | None = None) -> tuple[list[tuple[str, str]], list[str]] | None:
    """(outputs, the lint warnings of that build) when this very code built them from exactly
    these sources and nobody touched them; None otherwise."""
    key = key_file(out_dir)
    lines = key.read_text(encoding="utf-8").splitlines() if key.is_file() else []
    if not lines or lines[0].strip() != build_key(sources, code):
        return None
    recorded = mf.read(out_dir)
    if not recorded or recorded.get("sources") != sources["files"] or recorded.get("vanban") != sources["vanban"]:
        return None
    outs = recorded["outputs"]
    if any(isinstance(e, dict) and (e.get("held") == "edited" or e.get("stale")) for e in outs.values()):
        return None  # a build names what it kept each time: it runs again (rendering only those)
    for rel, entry in outs.items():
        target = mf.inside(out_dir, rel)  # None: an entry leaving the folder (a full build warns of it)
        if target is None or not isinstance(entry, dict) or not target.is_file() \
                or mf.file_sha256(target) != entry.get("output"):
            return None
    return [(rel, entry.get("title", "")) for rel, entry in outs.items()], lines[1:]


def state_file(key_file: Path) -> Path:
    """Where the last build into an outputs folder left its code digest and manifest hash."""
    return key_file.with_suffix(".docs")


def forget(key_file: Path) -> None:
    """Before a commit: the folder is about to change, the remembered state no longer holds."""
    try:
        state_file(key_file).unlink(missing_ok=True)
    except OSError:
        pass


def remember(key_file: Path, sources: dict, code: str, findings: list, out_dir: Path) -> None:
    """After a commit: the repeat key with the build's lint warnings, and the code digest and manifest
    hash of the outputs this code wrote. Without a cache folder the next build simply renders again."""
    remembered = [build_key(sources, code)] + [f.format().replace("\n", " ") for f in findings]
    try:
        atomic_write(key_file, ("\n".join(remembered) + "\n").encode("utf-8"))
        manifest_bytes = (Path(out_dir) / mf.MANIFEST_NAME).read_bytes()
        state = {"code": code, "manifest": hashlib.sha256(manifest_bytes).hexdigest()}
        atomic_write(state_file(key_file), (json.dumps(state) + "\n").encode("utf-8"))
    except OSError:
        pass


def reuser(out_dir: Path, key_file: Path, code: str) -> Keep | None:
    """A function (path, key) → the bytes on disk to keep, or None to render; None when nothing may be kept."""
    try:
        state = json.loads(state_file(key_file).read_text(encoding="utf-8"))
        manifest_bytes = (Path(out_dir) / mf.MANIFEST_NAME).read_bytes()
    except (OSError, ValueError):
        return None
    if not isinstance(state, dict) or state.get("code") != code \
            or state.get("manifest") != hashlib.sha256(manifest_bytes).hexdigest():
        return None
    recorded = mf.read(out_dir)
    outputs = (recorded or {}).get("outputs") or {}

    def keep(path: str, key: str) -> bytes | None:
        entry = outputs.get(path)
        target = mf.inside(out_dir, path)
        if not isinstance(entry, dict) or entry.get("source") != key or target is None or not target.is_file():
            return None
        try:
            data = target.read_bytes()
        except OSError:
            return None
        return data if mf.sha256(data) == entry.get("output") else None

    return keep
