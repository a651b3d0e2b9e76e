"""``vanban serve``: the office's workspace in its own browser (``pipeline.workspace``)."""

from __future__ import annotations

from pathlib import Path

import click

DEFAULT_PORT = 8630


@click.command("serve", epilog=(
    "Chỉ máy này mở được (127.0.0.1). Dùng --lan để một máy khác trong mạng cơ quan cùng làm: khi đó phải đặt "
    "mật khẩu bằng --password (hoặc biến môi trường VANBAN_PASSWORD). Dừng: Ctrl+C hoặc đóng cửa sổ này."))
@click.argument("folder", type=click.Path(path_type=Path), default=Path("."), required=False)
@click.option("--port", type=click.IntRange(1, 65535), default=DEFAULT_PORT, show_default=True,
              help="Cổng trên máy này.")
@click.option("--no-browser", is_flag=True, help="Không tự mở trình duyệt.")
@click.option("--lan", is_flag=True, help="Cho các máy khác trong mạng cơ quan mở (cần --password).")
@click.option("--password", envvar="VANBAN_PASSWORD", default=None, help="Mật khẩu khi dùng --lan.")
def serve_command(folder: Path, port: int, no_browser: bool, lan: bool, password: str | None) -> None:
    """Mở bàn làm việc của xã trong trình duyệt: sửa dữ liệu bằng biểu mẫu, xem văn bản, lưu phiên bản."""
    import os

    from pipeline.errors import BadUsage, InputIssue, NotACommuneFolder
    from pipeline.paths import commune_folder

    root = commune_folder(folder)
    if root is None:
        raise NotACommuneFolder([InputIssue(str(folder), 1, 1, "", (
            f"{folder.resolve()} không phải thư mục của một xã: ở đó và các thư mục cha không có inputs/commune.yaml. "
            "Mở thư mục của xã (ví dụ: vanban serve D:\\VanBan\\xa-hoa-son) hoặc tạo một xã bằng vanban init"),
            rule="not-a-commune")])
    if lan and not password:
        raise BadUsage("--lan cần mật khẩu: thêm --password MẬT_KHẨU (hoặc đặt biến VANBAN_PASSWORD)")
    _installed()
    os.chdir(root)  # git and the diff read revisions relative to the commune's folder
    _run(root, port, no_browser, password if lan else None)


def _installed() -> None:
    """The workspace's libraries are an optional part of vanban: said how to add them, not a crash."""
    import importlib.util

    from pipeline.errors import ExternalToolError

    missing = [m for m in ("starlette", "uvicorn", "multipart") if importlib.util.find_spec(m) is None]
    if missing:
        fault = ExternalToolError("máy này chưa cài phần bàn làm việc của vanban (thiếu " + ", ".join(missing) +
                                  "); cài bằng: pip install \"vanban[workspace]\"")
        fault.heading = "Không mở được bàn làm việc"
        raise fault


def _free(host: str, port: int) -> None:
    """Refuse a port another program (or another `vanban serve`) holds, in Vietnamese, before uvicorn
    would stop the process on its own."""
    import socket

    from pipeline.errors import ExternalToolError

    with socket.socket() as s:
        try:
            s.bind((host, port))
        except OSError:
            busy = ExternalToolError(f"cổng {port} đang được chương trình khác dùng (có thể bàn làm việc đã mở: "
                                     f"http://127.0.0.1:{port}/); chọn cổng khác: vanban serve --port {port + 1}")
            busy.heading = "Không mở được bàn làm việc"
            raise busy from None


def _run(root: Path, port: int, no_browser: bool, password: str | None) -> None:
    import threading
    import webbrowser

    import uvicorn

    from pipeline.workspace.app import make_app

    host = "0.0.0.0" if password else "127.0.0.1"
    _free(host, port)
    url = f"http://127.0.0.1:{port}/"
    click.echo(f"Bàn làm việc của xã: {url}  (Ctrl+C để dừng)")
    if not no_browser:
        threading.Timer(1.0, lambda: webbrowser.open(url)).start()
    uvicorn.run(make_app(root, port, password), host=host, port=port, log_level="warning")
