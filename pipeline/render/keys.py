"""Per-document dependencies: which outputs a build must render, which it may keep.

Each planned document (``plan.DocPlan``) is a pure function of what the plan
hands the render loop: the template and context of its body, the template and
context of every appended part, its path, title, label, date and author. Its
*key* is the sha256 of exactly those, as canonical JSON, with the bytes of
each template file and the vanban version. The context already holds
everything the document says that comes from the YAML (commune names, the
plan's number and date cited by others, report progress, criteria …), so an
input that can change a document's bytes changes its key, and an input the
document does not read leaves it alone. Computing keys needs the plan, not the
render: it costs a few milliseconds.

The manifest records each output's key (``source``). A build keeps an output
instead of rendering it when all of these hold:

- its recorded key equals the key of the document planned now;
- the file on disk still has the bytes the manifest recorded (not edited);
- the outputs folder is the one this machine's last build wrote (the manifest's
  bytes are those it wrote), by this very code and these libraries
  (``code_digest``): a key does not cover vanban's code, which can change bytes
  without a new version number during development.

That state lives in the user's cache folder beside the repeat-build key
(``build.key_file``), never in ``outputs/``. Without it every document is
rendered, so the worst case is a full build, never a stale file.
``build --check`` always renders everything.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from markupsafe import Markup

if TYPE_CHECKING:
    from pipeline.plan.documents import DocPlan

# The libraries whose versions change output bytes (pinned in pyproject.toml).
OUTPUT_LIBRARIES = ("docxtpl", "docxcompose", "python-docx", "lxml", "jinja2", "markupsafe")
_MODULES = {"python-docx": "docx"}  # a distribution whose package is named otherwise


_AS_IS = frozenset({str, bool, int, float, type(None)})  # exactly these types (a Markup is a str, not as is)


def _plain(value: Any) -> Any:
    """``value`` as JSON-ready data that keeps every distinction a template can see."""
    kind = type(value)  # the common exact types first; every other value takes the checks below
    if kind in _AS_IS:
        return value
    if kind is list:
        return [_plain(v) for v in value]
    if kind is dict:
        return {"$dict": [[_plain(k), _plain(v)] for k, v in value.items()]}
    if isinstance(value, Markup):  # rendered as is, where a plain str is escaped
        return {"$markup": str(value)}
    if value is None or isinstance(value, (str, bool, int, float)):
        return value
    if isinstance(value, dict):
        return {"$dict": [[_plain(k), _plain(v)] for k, v in value.items()]}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, tuple):  # printed differently from a list
        return {"$tuple": [_plain(v) for v in value]}
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        fields = {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
        return {"$type": type(value).__qualname__, "fields": fields}
    if hasattr(value, "model_dump"):  # a pydantic model: its validated fields
        return {"$type": type(value).__qualname__, "fields": _plain(value.model_dump(mode="python"))}
    if isinstance(value, (dt.date, dt.datetime)):
        return {"$date": value.isoformat()}
    raise TypeError(f"cannot key a document on a {type(value).__qualname__}: teach incremental._plain about it")


def canonical(value: Any) -> bytes:
    """Canonical JSON of ``value`` (order of dict items kept: a template may loop over them)."""
    return json.dumps(_plain(value), ensure_ascii=False, separators=(",", ":"), allow_nan=False).encode("utf-8")


def document_keys(plan: list[DocPlan], templates: Path, version: str) -> list[str]:
    """The key of each planned document, in plan order ("" for one that must always be rendered)."""
    template_hash: dict[str, str] = {}

    def template(name: str) -> str:
        if name not in template_hash:
            try:
                template_hash[name] = hashlib.sha256((Path(templates) / name).read_bytes()).hexdigest()
            except OSError:
                template_hash[name] = "missing"  # the render reports it, in Vietnamese
        return template_hash[name]

    keys = []
    for doc in plan:
        parts = [doc.body, *doc.appended]
        record = {
            "vanban": version,
            "path": doc.path, "title": doc.title, "label": doc.label, "author": doc.author, "date": doc.date,
            "parts": [{"template": p.template, "bytes": template(p.template), "context": p.context} for p in parts],
        }
        try:
            keys.append(hashlib.sha256(canonical(record)).hexdigest())
        except (TypeError, ValueError):  # a value _plain cannot key: no key, so it is always rendered
            keys.append("")
    return keys


@lru_cache(maxsize=1)
def code_digest() -> str:
    """vanban's own code and data files, and the versions of the libraries that shape the bytes
    (once per process: a batch's workers build many communes with the same code)."""
    h = hashlib.sha256()
    package = Path(__file__).resolve().parent.parent
    for path in sorted(package.rglob("*")):
        if path.is_file() and path.suffix in (".py", ".json", ".yaml", ".txt"):
            h.update(path.relative_to(package).as_posix().encode())
            h.update(path.read_bytes())
    for name in OUTPUT_LIBRARIES:
        h.update(f"{name}: {installed(name)}\n".encode())
    return h.hexdigest()


def installed(distribution: str) -> str:
    """What is installed of a library, found without importing it or ``importlib.metadata`` (≈ 35 ms
    of a repeat build): its metadata folder beside the package (``docxtpl-0.20.2.dist-info``: the
    version), and the size and time of the package's ``__init__.py`` (a reinstall writes it anew)."""
    import importlib.util
    import os

    module = _MODULES.get(distribution, distribution)
    try:
        spec = importlib.util.find_spec(module)
        origin = Path(spec.origin) if spec and spec.origin else None
        if origin is None:
            return "?"
        stat = origin.stat()
        prefix = distribution.replace("-", "_").lower() + "-"
        folder = origin.parent.parent
        infos = sorted(n for n in os.listdir(folder)
                       if n.lower().startswith(prefix) and n.endswith((".dist-info", ".egg-info")))
    except (ImportError, OSError, ValueError):
        return "?"
    return f"{' '.join(infos)} {origin.name} {stat.st_size} {stat.st_mtime_ns}"



