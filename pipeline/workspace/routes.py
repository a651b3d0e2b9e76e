"""The workspace's pages: the inputs, a file's form beside its document, the documents, versions.

Every route is a thin call into ``editing``, ``preview`` and ``versions``; writes hold the
workspace's one lock, so two tabs' saves never interleave, and each carries the hash of the file
it was loaded from (``safety.digest``): a save over a file changed since is refused and both
versions shown.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from pipeline.workspace import editing, forms, versions
from pipeline.workspace.safety import Refused, digest, inside, write_atomic


def _inputs_rel(ws, rel: str) -> Path:
    path = inside(ws.inputs, rel)
    if path.suffix not in (".yaml", ".yml") or not path.is_file():
        raise Refused(f"không có tệp dữ liệu {rel!r}")
    return path


def _input_files(ws) -> list[tuple[str, str]]:
    from pipeline.inputs.validate import discover

    out = []
    for _, path, _ in discover(ws.inputs):
        rel = path.resolve().relative_to(ws.inputs).as_posix()
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
        except (yaml.YAMLError, UnicodeDecodeError):
            data = None
        out.append((rel, forms.page_title(rel, data)))
    return sorted(out, key=lambda f: forms.KIND_ORDER.index(forms.kind_of(f[0])))


def _findings(ws, checked: editing.Checked) -> list[tuple[str, Any]]:
    return [(editing.file_of(i, ws.inputs.name), i) for i in checked.issues]


def _commune_name(ws) -> str:
    try:
        data = yaml.safe_load((ws.inputs / "commune.yaml").read_text(encoding="utf-8")) or {}
        return f"{data.get('unit_word', 'xã')} {data.get('name', '')}".strip()
    except (OSError, yaml.YAMLError, AttributeError):
        return ws.root.name


def _units(ws) -> list[tuple[str, str]]:
    try:
        return forms.units_of(yaml.safe_load((ws.inputs / "commune.yaml").read_text(encoding="utf-8")) or {})
    except (OSError, yaml.YAMLError, AttributeError):
        return []


UNREADABLE = ("Chưa sửa được tệp này ở đây: tệp đang có lỗi (xem mục Lỗi và cảnh báo, có số dòng). Sửa lỗi đó "
              "trong trình soạn thảo (Notepad, VS Code) rồi tải lại trang.")


def _names(ws) -> dict[str, str]:
    """What each task and unit code of the commune means (appendices and commune files)."""
    out: dict[str, str] = {}
    for name in ("commune.yaml", "appendices.yaml"):
        try:
            forms.names_of(yaml.load((ws.inputs / name).read_text(encoding="utf-8"), Loader=editing.LOADER), out)
        except (OSError, UnicodeDecodeError, yaml.YAMLError):
            continue
    return out


class Pages:
    """The routes of one workspace, rendering its Jinja templates."""

    def __init__(self, ws, env):
        self.ws, self.env = ws, env

    def page(self, name: str, **context):
        from starlette.responses import HTMLResponse

        context.setdefault("notice", "")
        html = self.env.get_template(name).render(commune=_commune_name(self.ws), token=self.ws.token,
                                                  label_of=forms.label_of, kind_of=forms.kind_of, **context)
        return HTMLResponse(html, headers={"cache-control": "no-store", "x-frame-options": "DENY",
                                           "content-security-policy": "frame-ancestors 'none'"})

    def _preview(self, doc: str | None, fallback: str | None = None):
        docs = self.ws.previewer.documents()
        names = [p for p, _ in docs]
        main = [p for p in names if "/" not in p]  # the plan itself, at the top of the outputs folder
        chosen = doc if doc in names else fallback if fallback in names else (main or names or [None])[0]
        return (self.ws.previewer.pages(chosen) if chosen else None), docs

    # ------------------------------------------------------------------ pages

    def index(self, request):
        checked = self.ws.shadow.check()
        return self.page("index.html", title="Trang đầu", files=_input_files(self.ws),
                         findings=_findings(self.ws, checked), ndocs=len(self.ws.previewer.documents()),
                         notice=request.query_params.get("notice", ""))

    def edit(self, request):
        rel = request.path_params["rel"]
        path = _inputs_rel(self.ws, rel)
        data = path.read_bytes()
        return self._edit_page(request, rel, data.decode("utf-8", errors="replace"), digest(data),
                               notice=request.query_params.get("notice", ""),
                               checked=self.ws.shadow.check())  # the files as they are on disk

    def _edit_page(self, request, rel: str, text: str, hash_: str, notice: str = "", conflict=None,
                   disk_text: str = "", checked: editing.Checked | None = None):
        checked = checked or self.ws.shadow.check(rel, text)
        try:
            data = yaml.safe_load(text)
        except yaml.YAMLError:  # a file broken by hand: its finding is listed; the form waits for the fix
            data, notice = None, UNREADABLE
        pv, docs = self._preview(request.query_params.get("doc"), self.ws.preview_for.get(rel))
        return self.page("edit.html", title=forms.page_title(rel, data), rel=rel, hash=hash_,
                         form=forms.parts_of(data, _units(self.ws), names=_names(self.ws)) if isinstance(data, dict)
                         else [],
                         units=_units(self.ws), issues=editing.issues_of(checked, self.ws.inputs.name, rel),
                         findings=_findings(self.ws, checked), pv=pv, docs=docs, here=f"/edit/{rel}",
                         notice=notice, conflict=conflict, disk_text=disk_text)

    async def save(self, request):
        from starlette.concurrency import run_in_threadpool

        form = await request.form()
        values = {k: str(v) for k, v in form.multi_items() if not k.startswith("_")}
        return await run_in_threadpool(self._save, request, values, str(form.get("_op") or "save"),
                                       str(form.get("_hash")))

    def _save(self, request, values: dict[str, str], op: str, hash_: str):
        from starlette.responses import RedirectResponse

        rel = request.path_params["rel"]
        path = _inputs_rel(self.ws, rel)
        with self.ws.write_lock:
            disk = path.read_bytes()
            text = disk.decode("utf-8", errors="replace")
            if hash_ != digest(disk):
                return self._conflict(request, rel, text, values)
            try:
                disk.decode("utf-8")
                new, _ = editing.apply_values(text, values)
            except (UnicodeDecodeError, yaml.YAMLError):
                return self._edit_page(request, rel, text, digest(disk), notice=UNREADABLE)
            new = _row_op(new, op)
            checked = self.ws.shadow.check(rel, new)
            if not checked.readable:
                return self._edit_page(request, rel, new, digest(disk), checked=checked, notice=(
                    "Chưa lưu: dữ liệu vừa nhập có lỗi (đánh dấu đỏ ở trường). Sửa rồi bấm Lưu lại."))
            if new != text:
                write_atomic(path, new.encode("utf-8"))
        changed, why = self.ws.previewer.rebuild()
        if changed:
            self.ws.preview_for[rel] = changed[0]
        notice = why or ("Đã lưu; đã tạo lại " + ", ".join(changed) if changed else "Đã lưu.")
        if new == text:
            notice = "Không có gì thay đổi."
        return RedirectResponse(f"/edit/{_q(rel)}?notice={_q(notice)}", status_code=303)

    def _conflict(self, request, rel: str, disk_text: str, values: dict[str, str]):
        try:
            data = yaml.safe_load(disk_text)
        except yaml.YAMLError:
            data = None
        rows = []
        for name, mine in values.items():
            try:
                theirs = forms.shown_text(editing.get_at(data, editing.parse_path(name)))
            except (KeyError, IndexError, TypeError):
                theirs = "(không còn trường này)"
            if isinstance(theirs, str) and theirs != mine.replace("\r\n", "\n"):
                rows.append((name, mine, theirs))
        return self._edit_page(request, rel, disk_text, digest(disk_text.encode("utf-8")), conflict=rows or [],
                               disk_text=disk_text, notice="Chưa lưu: tệp đã thay đổi trên đĩa từ lúc bạn mở.")

    async def lint_field(self, request):
        from starlette.concurrency import run_in_threadpool

        form = await request.form()
        values = {k: str(v) for k, v in form.multi_items() if not k.startswith("_")}
        return await run_in_threadpool(self._lint_field, request, values)

    def _lint_field(self, request, values: dict[str, str]):
        from starlette.responses import HTMLResponse

        rel = request.path_params["rel"]
        path = _inputs_rel(self.ws, rel)
        name = request.headers.get("hx-trigger-name", "")
        if name in values:  # the field being typed in: the file as saved, with this one value changed
            values = {name: values[name]}
        try:
            new, _ = editing.apply_values(path.read_text(encoding="utf-8"), values)
            issues = editing.issues_of(self.ws.shadow.check(rel, new), self.ws.inputs.name, rel)
        except (AssertionError, yaml.YAMLError, UnicodeDecodeError):
            issues = {}
        macros = self.env.get_template("macros.html").make_module({"issues": issues, "rel": rel})
        return HTMLResponse(str(macros.messages(name)))

    def build(self, request):
        from starlette.responses import RedirectResponse

        changed, why = self.ws.previewer.rebuild()
        notice = why or (f"Đã tạo lại {len(changed)} văn bản." if changed else "Các văn bản đã đúng với dữ liệu.")
        return RedirectResponse(f"/documents?notice={_q(notice)}", status_code=303)

    def documents(self, request):
        pv, docs = self._preview(request.query_params.get("doc"))
        return self.page("documents.html", title="Văn bản", docs=docs, pv=pv, here="/documents",
                         notice=request.query_params.get("notice", ""))

    def history(self, request):
        ok = versions.is_repository(self.ws.root)
        notice = request.query_params.get("notice", "") or ("" if ok else
                                                            "Thư mục của xã chưa là kho git: chạy 'vanban git-setup'.")
        return self.page("history.html", title="Lịch sử", versions=versions.history(self.ws.root) if ok else [],
                         notice=notice)

    async def version(self, request):
        from starlette.responses import RedirectResponse

        message = str((await request.form()).get("message") or "").strip()
        if not message:
            return RedirectResponse(f"/history?notice={_q('Hãy ghi chú phiên bản trước khi lưu.')}", status_code=303)
        from starlette.concurrency import run_in_threadpool

        sha = await run_in_threadpool(self._commit, message)
        notice = "Đã lưu phiên bản." if sha else "Không có gì mới để lưu phiên bản."
        return RedirectResponse(f"/history?notice={_q(notice)}", status_code=303)

    def _commit(self, message: str) -> str | None:
        with self.ws.write_lock:  # no save between git add and git commit
            return versions.save_version(self.ws.root, message)

    def version_page(self, request):
        from pipeline.vcs.diff import STATUS_VI, unified

        sha = request.path_params["sha"]
        if not versions.known(self.ws.root, sha):
            raise Refused("không có phiên bản này")
        found = next(v for v in versions.history(self.ws.root) if v.sha == sha)
        shown = [{"path": c.path, "status": c.status, "lines": unified(c, "cũ", "mới")[2:]}
                 for c in versions.changes(self.ws.root, sha)]
        return self.page("version.html", title="Phiên bản", version=found, changes=shown, status=STATUS_VI)


def _q(text: str) -> str:
    from urllib.parse import quote

    return quote(text)


def _row_op(text: str, op: str) -> str:
    """The row operation a table's button asked for (``add|path|0``, ``up|path|i``, ``down``, ``del``)."""
    kind, _, rest = op.partition("|")
    table, _, index = rest.rpartition("|")
    if kind not in ("add", "up", "down", "del") or not index.isdigit():
        return text
    path, i = editing.parse_path(table), int(index)
    try:
        if kind == "add":
            taken = {str(x) for x in _ids(yaml.safe_load(text))}
            return editing.add_row(text, path, taken)
        if kind == "del":
            return editing.delete_row(text, path, i)
        return editing.move_row(text, path, i, -1 if kind == "up" else 1)
    except (ValueError, KeyError, IndexError, StopIteration):
        return text


def _ids(data: Any):
    if isinstance(data, dict):
        if "id" in data:
            yield data["id"]
        for v in data.values():
            yield from _ids(v)
    elif isinstance(data, list):
        for v in data:
            yield from _ids(v)


def routes(ws, env) -> list:
    from starlette.routing import Route

    from pipeline.workspace import downloads

    p, d = Pages(ws, env), downloads.Downloads(ws)
    return [
        Route("/", p.index), Route("/edit/{rel:path}", p.edit), Route("/edit/{rel:path}", p.save, methods=["POST"]),
        Route("/check/{rel:path}", p.lint_field, methods=["POST"]), Route("/build", p.build, methods=["POST"]),
        Route("/documents", p.documents), Route("/history", p.history),
        Route("/version", p.version, methods=["POST"]), Route("/history/{sha}", p.version_page),
        Route("/download/{rel:path}", d.docx), Route("/pdf/{rel:path}", d.pdf), Route("/page/{rel:path}", d.image),
        Route("/redline/{sha}/{rel:path}", d.redline),
    ]
