"""Files the workspace hands to the browser: documents, their PDFs, page images, redlines.

Each path a request names is resolved inside its own folder (``safety.inside``): the outputs for
documents, the workspace's image folder for pages; nothing else of the machine is served.
"""

from __future__ import annotations

from urllib.parse import quote

from pipeline.workspace import versions
from pipeline.workspace.safety import Refused, inside

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _attachment(name: str) -> dict[str, str]:
    return {"content-disposition": f"attachment; filename*=UTF-8''{quote(name)}"}


class Downloads:
    def __init__(self, ws):
        self.ws = ws

    def _output(self, rel: str, suffix: str):
        path = inside(self.ws.outputs, rel)
        if path.suffix != suffix or not path.is_file() or path.name.startswith("."):
            raise Refused(f"không có văn bản {rel!r}")
        return path

    async def docx(self, request):
        from starlette.responses import FileResponse

        path = self._output(request.path_params["rel"], ".docx")
        return FileResponse(path, media_type=DOCX_TYPE, headers=_attachment(path.name))

    async def pdf(self, request):
        from starlette.concurrency import run_in_threadpool
        from starlette.responses import FileResponse

        rel = request.path_params["rel"]
        self._output(rel, ".docx")
        pdf = await run_in_threadpool(self.ws.previewer.pdf_of, rel)
        return FileResponse(pdf, media_type="application/pdf", headers=_attachment(pdf.name))

    async def image(self, request):
        from starlette.responses import FileResponse

        path = inside(self.ws.previewer.images, request.path_params["rel"])
        if path.suffix != ".png" or not path.is_file():
            raise Refused("không có trang này")
        return FileResponse(path, media_type="image/png")

    async def redline(self, request):
        from starlette.responses import Response

        from pipeline.vcs.redline import redline

        sha, rel = request.path_params["sha"], request.path_params["rel"]
        if not versions.known(self.ws.root, sha):
            raise Refused("không có phiên bản này")
        change = next((c for c in versions.changes(self.ws.root, sha) if c.path == rel and c.old and c.new), None)
        if change is None:
            raise Refused("văn bản này không thay đổi trong phiên bản đó")
        data, _ = redline(change.old, change.new, "bản trước", "bản này")
        name = rel.rsplit("/", 1)[-1].replace(".docx", f"-thay-doi-{sha[:7]}.docx")
        return Response(data, media_type=DOCX_TYPE, headers=_attachment(name))
