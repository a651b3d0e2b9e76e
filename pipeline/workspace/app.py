"""The workspace's application: one commune folder, its pages, and the state they share.

``make_app`` wires the routes (``routes``) behind the ``safety.Guard`` and serves the vendored htmx
and the style sheet from ``pipeline/data/workspace``. ``Workspace`` is the state: the folder, the
session's token, one lock for every write, and the ``preview.Previewer``.
"""

from __future__ import annotations

import secrets
import tempfile
import threading
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.workspace.editing import Shadow
from pipeline.workspace.preview import Previewer

DATA = Path(__file__).resolve().parent.parent / "data" / "workspace"
HTMX_VERSION = "2.0.4"  # pipeline/data/workspace/htmx.min.js, from the htmx.org npm package of this version
HTMX_SHA256 = "e209dda5c8235479f3166defc7750e1dbcd5a5c1808b7792fc2e6733768fb447"


@dataclass
class Workspace:
    root: Path
    token: str = field(default_factory=lambda: secrets.token_urlsafe(24))
    write_lock: threading.Lock = field(default_factory=threading.Lock)
    images: tempfile.TemporaryDirectory = field(
        default_factory=lambda: tempfile.TemporaryDirectory(prefix="vanban-serve-"))
    preview_for: dict[str, str] = field(default_factory=dict)  # input file -> the document last changed by it

    def __post_init__(self):
        self.root = Path(self.root).resolve()
        self.previewer = Previewer(self.inputs, self.outputs, Path(self.images.name) / "pages")
        self.shadow = Shadow(self.inputs, Path(self.images.name) / "inputs")

    @property
    def inputs(self) -> Path:
        return self.root / "inputs"

    @property
    def outputs(self) -> Path:
        return self.root / "outputs"


def make_app(root: Path, port: int, password: str | None = None, token: str | None = None):
    from jinja2 import Environment, FileSystemLoader, select_autoescape
    from starlette.applications import Starlette
    from starlette.staticfiles import StaticFiles
    from starlette.routing import Mount

    from pipeline.workspace import routes
    from pipeline.workspace.safety import Guard, Refused

    from pipeline.inputs.load import remember_parses

    remember_parses()  # each keystroke checks every input file again; one of them changed
    ws = Workspace(root) if token is None else Workspace(root, token=token)
    env = Environment(loader=FileSystemLoader(str(DATA)), autoescape=select_autoescape(["html"]))
    app = Starlette(routes=[*routes.routes(ws, env), Mount("/static", StaticFiles(directory=str(DATA)))],
                    exception_handlers={Refused: _refused})
    app.state.workspace = ws
    hosts = {f"127.0.0.1:{port}", f"localhost:{port}"}
    return Guard(app, hosts, ws.token, password)


async def _refused(request, exc):
    from starlette.responses import PlainTextResponse

    return PlainTextResponse(f"vanban từ chối: {exc}.", status_code=404)
