"""The workspace's figures (``python bench/run.py --workspace``), each a ratio taken in one run.

- save → preview updated: in a running ``vanban serve``, one task's text changed and "Lưu" posted, until
  the page after the save (with the rebuilt document's page images) and its first image are in;
  against a cold ``vanban build`` into an empty folder plus one LibreOffice conversion of that same
  document (``soffice --convert-to pdf`` on a profile made beforehand, so the baseline is not inflated
  by LibreOffice making its profile);
- a field's lint message: the request htmx sends as a clerk types (the whole form, the field named),
  until its message is back; against a cold ``vanban lint`` process on the same inputs.
"""

from __future__ import annotations

import html.parser
import itertools
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable
FIELD = "appendices[0].tasks[1].content"
TEXT = "Triển khai Luật sửa đổi, bổ sung một số điều của Luật Ban hành văn bản quy phạm pháp luật"


class _Form(html.parser.HTMLParser):
    """The fields of the page's form as the browser would send them (inputs, text boxes, selects)."""

    def __init__(self):
        super().__init__()
        self.values: list[tuple[str, str]] = []
        self._area: str | None = None
        self._select: str | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "input" and a.get("name") and a.get("type") in ("text", "hidden"):
            self.values.append((a["name"], a.get("value") or ""))
        elif tag == "textarea" and a.get("name"):
            self._area = a["name"]
            self.values.append((self._area, ""))
        elif tag == "select" and a.get("name"):
            self._select = a["name"]
        elif tag == "option" and self._select and "selected" in a:
            self.values.append((self._select, a.get("value") or ""))

    def handle_endtag(self, tag):
        if tag == "textarea":
            self._area = None
        elif tag == "select":
            self._select = None

    def handle_data(self, data):
        if self._area:
            name, value = self.values[-1]
            self.values[-1] = (name, value + data)


def _page(url: str) -> tuple[str, str, list[tuple[str, str]]]:
    text = urllib.request.urlopen(url, timeout=120).read().decode("utf-8")
    token = re.search(r'"x-vanban-token": "([^"]+)"', text).group(1)  # type: ignore[union-attr]
    form = _Form()
    form.feed(text[text.index("<form method=\"post\" action=\"/edit/"):])
    return text, token, form.values


def _post(url: str, values: list[tuple[str, str]], headers: dict) -> str:
    data = urllib.parse.urlencode(values).encode()
    req = urllib.request.Request(url, data=data, headers={"Content-Type": "application/x-www-form-urlencoded",
                                                          **headers})
    return urllib.request.urlopen(req, timeout=300).read().decode("utf-8")


def _start(root: Path, env: dict) -> tuple[subprocess.Popen, str]:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen([PY, "-m", "pipeline", "serve", str(root), "--no-browser", "--port", str(port)],
                            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    for _ in range(150):
        try:
            urllib.request.urlopen(url + "/static/style.css", timeout=2)
            return proc, url
        except OSError:
            time.sleep(0.2)
    proc.kill()
    raise SystemExit("vanban serve did not start")


def workspace_figures(work: Path, env: dict, runs: int, ab, run) -> list:
    root = work / "ws"
    shutil.copytree(ROOT / "inputs", root / "inputs")
    run([PY, "-m", "pipeline", "build", "--inputs", str(root / "inputs"), "--out", str(root / "outputs")], env)
    proc, url = _start(root, env)
    texts = itertools.cycle([TEXT + " năm 2025", TEXT])
    edit = url + "/edit/appendices.yaml"
    try:
        _page(edit)  # the first preview: the plan's PDF made once, as when the clerk opens the page
        shown: dict[str, str] = {}

        def save() -> tuple[float, float]:
            _, token, values = _page(edit)
            values = [(k, next(texts) if k == FIELD else v) for k, v in values]
            start = time.perf_counter()
            after = _post(f"{edit}?token={token}", [*values, ("_op", "save")], {})
            image = re.search(r'<img src="(/page/[^"]+)"', after)
            assert image, "no page image after the save"
            urllib.request.urlopen(url + image.group(1), timeout=60).read()
            shown["doc"] = re.search(r'<option value="([^"]+)" selected', after).group(1)  # type: ignore[union-attr]
            return time.perf_counter() - start, 0.0

        save()  # which document the save shows: the baseline converts that one
        cold = work / "ws-cold"
        profile = work / "ws-profile"
        soffice = shutil.which("soffice") or "soffice"
        convert = [soffice, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--convert-to", "pdf",
                   "--outdir", str(work / "ws-pdf"), str(cold / shown["doc"])]
        run([PY, "-m", "pipeline", "build", "--inputs", str(root / "inputs"), "--out", str(cold)], env)
        run(convert, env)  # the profile made once

        def baseline() -> tuple[float, float]:
            shutil.rmtree(cold, ignore_errors=True)
            start = time.perf_counter()
            run([PY, "-m", "pipeline", "build", "--inputs", str(root / "inputs"), "--out", str(cold)], env)
            run(convert, env)
            return time.perf_counter() - start, 0.0

        saved = ab(save, baseline, runs)
        _, token, values = _page(edit)
        slip = [(k, "Triẻn khai" + v[len("Triển khai"):] if k == FIELD else v) for k, v in values]

        def lint_field() -> tuple[float, float]:
            start = time.perf_counter()
            answer = _post(url + "/check/appendices.yaml", slip, {"x-vanban-token": token, "hx-trigger-name": FIELD})
            assert "sai dấu" in answer, answer
            return time.perf_counter() - start, 0.0

        linted = ab(lint_field, [PY, "-m", "pipeline", "lint", "--inputs", str(root / "inputs")], runs, env)
    finally:
        proc.terminate()
        proc.wait(10)
    return [("workspace: a task's text saved → the preview's page image updated (`vanban serve`)", saved,
             "cold `vanban build` + one LibreOffice conversion of that document", "≤ 0.5×"),
            ("workspace: a field's lint message as the clerk types", linted, "cold `vanban lint` process", "≤ 0.2×")]
