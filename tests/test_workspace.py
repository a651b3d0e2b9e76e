"""`vanban serve` in a real headless Chromium (Playwright driving Debian's /usr/bin/chromium).

The server is the real command, started as a process on a free port, on a copy of a commune folder
that is a git repository. The flows are a clerk's: open, edit a task, see the lint at the field,
fix it, save, see the page change, save a version, see it in history; and each safety rule refused.
VANBAN_SCREENSHOTS=FOLDER also writes the README's screenshots there.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
import yaml

from tests.conftest import INPUTS, IN_CI, OUTPUTS, ROOT

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
TASK = "the_che_luat_ban_hanh_vb"
OLD = "Triển khai Luật sửa đổi, bổ sung một số điều của Luật Ban hành văn bản quy phạm pháp luật"
SLIP = "Triẻn khai Luật sửa đổi, bổ sung một số điều của Luật Ban hành văn bản quy phạm pháp luật"
NEW = "Triển khai Luật sửa đổi, bổ sung một số điều của Luật Ban hành văn bản quy phạm pháp luật năm 2025"
SHOTS = os.environ.get("VANBAN_SCREENSHOTS")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def git(args, cwd):
    return subprocess.run(["git", "-c", "user.name=Kiểm thử", "-c", "user.email=t@example.org", *args], cwd=cwd,
                          check=True, capture_output=True)


def commune(tmp: Path) -> Path:
    root = tmp / "xa"
    shutil.copytree(INPUTS, root / "inputs")
    shutil.copytree(OUTPUTS, root / "outputs")
    git(["init", "-q"], root)
    git(["config", "user.name", "Nguyễn Thị Lan"], root)  # the office's clerk, as the history shows her
    git(["config", "user.email", "vanthu@xuanbinh.example"], root)
    git(["add", "-A"], root)
    subprocess.run(["git", "commit", "-qm", "Bản đầu"], cwd=root, check=True, capture_output=True)
    return root


class Server:
    def __init__(self, root: Path, *extra: str):
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        env = dict(os.environ, PYTHONPATH=str(ROOT))
        self.proc = subprocess.Popen([sys.executable, "-m", "pipeline", "serve", str(root), "--no-browser",
                                      "--port", str(self.port), *extra], env=env, stdout=subprocess.PIPE,
                                     stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(self.url + "/static/style.css", timeout=2)
                return
            except (urllib.error.URLError, ConnectionError):
                if self.proc.poll() is not None:
                    raise AssertionError(self.proc.stdout.read().decode()) from None  # type: ignore[union-attr]
                time.sleep(0.2)
        raise AssertionError("the workspace did not start")

    def stop(self):
        self.proc.terminate()
        self.proc.wait(10)


@pytest.fixture
def served(tmp_path):
    root = commune(tmp_path)
    server = Server(root)
    yield root, server
    server.stop()


@pytest.fixture(scope="module")
def browser():
    if not Path(CHROMIUM).exists():
        if IN_CI:
            pytest.fail("Chromium is missing: .ci/run installs the Debian package chromium")
        pytest.skip("no chromium on this machine")
    sync_api = pytest.importorskip("playwright.sync_api") if not IN_CI else __import__(
        "playwright.sync_api", fromlist=["sync_playwright"])
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        yield b
        b.close()


def _shot(page, name: str) -> None:
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(SHOTS) / f"workspace-{name}.png"), full_page=False)


def _task_box(page):
    return page.locator(f"tr[data-id={TASK}]").get_by_role("textbox", name="Nội dung")


def test_edit_lint_save_preview_version_history(served, browser):
    root, server = served
    before = (root / "inputs/appendices.yaml").read_text(encoding="utf-8")
    page = browser.new_page(viewport={"width": 1400, "height": 900})
    page.goto(server.url + "/")
    assert page.get_by_role("link", name="Lịch sử").is_visible()
    _shot(page, "start")
    page.get_by_role("link", name="Phụ lục (bảng nhiệm vụ)").click()
    box = _task_box(page)
    assert box.input_value() == OLD
    box.fill(SLIP)  # lint as you type: the spelling slip and its suggestion appear at the field
    message = page.locator("#m-appendices_0-tasks_1-content")  # the message beside this task's content
    message.get_by_text("'Triẻn khai' sai dấu").wait_for(timeout=10_000)
    assert "viết 'Triển khai'" in message.inner_text()
    box.evaluate("e => e.scrollIntoView({block: 'center'})")
    _shot(page, "lint")
    box.fill(NEW)
    page.wait_for_function("() => !document.querySelector('#m-appendices_0-tasks_1-content').innerText.includes('sai')")
    preview = page.get_by_role("region", name="Xem trước")
    old_pages = preview.get_by_role("img").first.get_attribute("src")
    page.get_by_role("button", name="Lưu").first.click()
    page.wait_for_load_state()
    # exactly the one line changed in the YAML, comments kept
    after = (root / "inputs/appendices.yaml").read_text(encoding="utf-8")
    changed = [(a, b) for a, b in zip(before.splitlines(), after.splitlines()) if a != b]
    assert len(before.splitlines()) == len(after.splitlines())
    assert changed == [(f"        content: {OLD}", f"        content: {NEW}")]
    # the preview shows the rebuilt document: a new page image, of a document holding the new text
    preview = page.get_by_role("region", name="Xem trước")
    src = preview.get_by_role("img").first.get_attribute("src")
    assert src != old_pages
    shown = page.locator("#doc option[selected]").get_attribute("value")
    from pipeline.vcs.textconv import docx_lines

    assert any(NEW in line for line in docx_lines((root / "outputs" / shown).read_bytes(), shown))
    image = page.request.get(server.url + src)
    assert image.ok and image.body()[:8] == b"\x89PNG\r\n\x1a\n"
    for link, magic in (("Tải .docx", b"PK\x03\x04"), ("Tải PDF", b"%PDF")):  # the document to take away
        got = page.request.get(server.url + preview.get_by_role("link", name=link).get_attribute("href"))
        assert got.ok and got.body()[:len(magic)] == magic and "attachment" in got.headers["content-disposition"]
    _shot(page, "preview")
    # a version, then the history lists it with what changed in the documents' text
    page.get_by_role("link", name="Lịch sử").click()
    page.get_by_role("textbox", name="Ghi chú phiên bản").fill("Sửa nhiệm vụ Luật Ban hành văn bản")
    page.get_by_role("button", name="Lưu phiên bản").click()
    page.get_by_role("link", name="Sửa nhiệm vụ Luật Ban hành văn bản").click()
    assert any(NEW in t for t in page.locator("pre.diff").all_inner_texts())
    log = git(["log", "-1", "--format=%s"], root).stdout.decode().strip()
    assert log == "Sửa nhiệm vụ Luật Ban hành văn bản"
    assert not git(["status", "--porcelain", "--", "inputs", "outputs"], root).stdout.strip()
    redline = page.get_by_role("link", name="Tải bản có đánh dấu thay đổi (.docx)").first
    data = page.request.get(server.url + redline.get_attribute("href")).body()
    assert b"PK" == data[:2]
    page.get_by_role("link", name="Lịch sử").click()
    _shot(page, "history")
    page.close()


def test_two_tabs_do_not_lose_edits(served, browser):
    root, server = served
    one, two = browser.new_page(), browser.new_page()
    for p in (one, two):
        p.goto(server.url + "/edit/appendices.yaml")
    _task_box(one).fill(NEW)
    one.get_by_role("button", name="Lưu").first.click()
    one.wait_for_load_state()
    _task_box(two).fill("Bản của thẻ thứ hai")
    two.get_by_role("button", name="Lưu").first.click()
    two.get_by_text("Tệp đã được sửa ở nơi khác").wait_for()
    assert "Bản của thẻ thứ hai" in two.locator(".conflict").inner_text()  # both shown
    assert NEW in two.locator(".conflict pre").inner_text()
    text = (root / "inputs/appendices.yaml").read_text(encoding="utf-8")
    assert NEW in text and "Bản của thẻ thứ hai" not in text
    assert _task_box(two).input_value() == NEW  # the form reloaded from the disk
    one.close()
    two.close()


def _request(url: str, method: str = "GET", headers: dict | None = None, data: bytes | None = None) -> int:
    req = urllib.request.Request(url, method=method, headers=headers or {}, data=data)
    try:
        return urllib.request.urlopen(req, timeout=30).status
    except urllib.error.HTTPError as exc:
        return exc.code


def test_safety_rules_refuse(served, browser):
    root, server = served
    page = browser.new_page()
    page.goto(server.url + "/edit/plan.yaml")
    token = page.locator("body").get_attribute("hx-headers").split('"')[3]
    plan = (root / "inputs/plan.yaml").read_bytes()
    form = b"summary=x&_hash=0"
    assert _request(server.url + "/", headers={"Host": "attacker.example:%d" % server.port}) == 403  # DNS rebinding
    assert _request(server.url + "/build", "POST") == 403  # no token
    assert _request(server.url + "/build", "POST", {"Origin": "http://attacker.example",
                                                    "x-vanban-token": token}) == 403  # cross-site form
    assert _request(server.url + "/edit/plan.yaml?token=wrong", "POST", data=form) == 403
    assert _request(server.url + "/download/%2e%2e/inputs/plan.yaml") == 404  # outside the outputs
    assert _request(server.url + "/edit/%2e%2e/%2e%2e/etc/passwd") == 404
    assert _request(server.url + "/page/%2e%2e/%2e%2e/etc/passwd") == 404
    assert (root / "inputs/plan.yaml").read_bytes() == plan
    # an edit the schema cannot read is shown at its field and not written
    page.get_by_role("textbox", name="Ngày").first.fill("ngày mai")
    page.get_by_role("button", name="Lưu").first.click()
    page.get_by_text("Chưa lưu").wait_for()
    assert (root / "inputs/plan.yaml").read_bytes() == plan
    page.close()
    busy = subprocess.run([sys.executable, "-m", "pipeline", "serve", str(root), "--no-browser", "--port",
                           str(server.port)], env=dict(os.environ, PYTHONPATH=str(ROOT)), capture_output=True,
                          timeout=60)
    assert busy.returncode == 4 and f"cổng {server.port} đang được chương trình khác dùng" in busy.stderr.decode()
    lan = subprocess.run([sys.executable, "-m", "pipeline", "serve", str(root), "--lan", "--no-browser"],
                         env=dict(os.environ, PYTHONPATH=str(ROOT)), capture_output=True, timeout=60)
    assert lan.returncode == 2 and "mật khẩu" in lan.stderr.decode()


def test_fresh_commune_every_page_reachable(tmp_path, browser):
    root = tmp_path / "xa-moi"
    subprocess.run([sys.executable, "-m", "pipeline", "init", str(root), "--commune", "Hòa Sơn", "--province",
                    "Nghệ An"], env=dict(os.environ, PYTHONPATH=str(ROOT)), check=True, capture_output=True)
    server = Server(root)
    try:
        page = browser.new_page()
        seen, todo = set(), ["/"]
        while todo:
            path = todo.pop()
            if path in seen:
                continue
            seen.add(path)
            response = page.goto(server.url + path)
            assert response is not None and response.ok, path
            if "text/html" not in response.headers.get("content-type", ""):
                continue
            for href in page.eval_on_selector_all("a[href^='/']", "els => els.map(e => e.getAttribute('href'))"):
                href = href.split("#")[0]
                if not href.startswith(("/download/", "/pdf/", "/redline/")) and "?doc=" not in href:
                    todo.append(href)
        assert {"/", "/history", "/documents", "/edit/commune.yaml", "/edit/appendices.yaml"} <= seen
        page.goto(server.url + "/edit/commune.yaml")
        assert page.get_by_role("textbox", name="Tên").first.input_value() == "Hòa Sơn"
        # the clerk's first day: make the documents, then edit the first task, lint, save, version
        page.goto(server.url + "/")
        page.get_by_role("button", name="Tạo văn bản").click()
        page.get_by_role("region", name="Xem trước").get_by_role("img").first.wait_for()
        page.goto(server.url + "/edit/appendices.yaml")
        box = page.get_by_role("textbox", name="Nội dung").first
        box.fill("Triẻn khai kế hoạch cải cách hành chính")
        message = page.locator("#m-appendices_0-tasks_0-content")
        message.get_by_text("'Triẻn khai' sai dấu").wait_for(timeout=10_000)
        box.fill("Triển khai kế hoạch cải cách hành chính của xã Hòa Sơn")
        page.get_by_role("button", name="Lưu").first.click()
        page.wait_for_load_state()
        tasks = yaml.safe_load((root / "inputs/appendices.yaml").read_text(encoding="utf-8"))
        assert tasks["appendices"][0]["tasks"][0]["content"] == "Triển khai kế hoạch cải cách hành chính của xã Hòa Sơn"
        shown = page.locator("#doc option[selected]").get_attribute("value")
        from pipeline.vcs.textconv import docx_lines

        lines = docx_lines((root / "outputs" / shown).read_bytes(), shown)
        assert any("Triển khai kế hoạch cải cách hành chính của xã Hòa Sơn" in line for line in lines)
        page.get_by_role("link", name="Lịch sử").click()
        page.get_by_role("textbox", name="Ghi chú phiên bản").fill("Nhiệm vụ đầu tiên")
        page.get_by_role("button", name="Lưu phiên bản").click()
        assert page.get_by_role("link", name="Nhiệm vụ đầu tiên").is_visible()
        page.close()
    finally:
        server.stop()


def test_a_file_broken_by_hand_is_shown_not_overwritten(served):
    import re

    root, server = served
    broken = "summary: [Kế hoạch chưa đóng ngoặc\n".encode()
    (root / "inputs/plan.yaml").write_bytes(broken)
    page = urllib.request.urlopen(server.url + "/edit/plan.yaml", timeout=60).read().decode()
    assert "Chưa sửa được tệp này ở đây" in page and "plan.yaml" in page
    token = re.search(r'"x-vanban-token": "([^"]+)"', page).group(1)
    hash_ = re.search(r'name="_hash" value="([^"]+)"', page).group(1)
    assert _request(f"{server.url}/edit/plan.yaml?token={token}", "POST",
                    data=f"summary=x&_hash={hash_}".encode(),
                    headers={"Content-Type": "application/x-www-form-urlencoded"}) == 200
    assert (root / "inputs/plan.yaml").read_bytes() == broken


def test_task_table_rows_added_moved_and_removed(served, browser):
    root, server = served

    def ids():
        data = yaml.safe_load((root / "inputs/appendices.yaml").read_text(encoding="utf-8"))
        return [t["id"] for t in data["appendices"][0]["tasks"]]

    before = ids()
    page = browser.new_page()
    page.goto(server.url + "/edit/appendices.yaml")
    page.get_by_role("button", name="Thêm dòng").first.click()
    new = f"nhiem_vu_moi_{len(before) + 1}"
    page.locator(f"tr[data-id={new}]").wait_for()
    assert ids() == [*before, new]
    assert page.locator(f"tr[data-id={new}]").get_by_role("textbox", name="Nội dung").input_value() == "CẦN ĐIỀN"
    page.get_by_role("button", name=f"Lên: {before[1]}").click()
    page.wait_for_load_state()
    assert ids() == [before[1], before[0], *before[2:], new]
    page.get_by_role("button", name=f"Xóa dòng: {new}").click()
    page.wait_for_load_state()
    assert ids() == [before[1], before[0], *before[2:]]
    page.close()
