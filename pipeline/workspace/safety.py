"""The workspace's safety rules: its own browser, its own folder, no edit lost.

- ``Guard`` (ASGI middleware): a request whose ``Host`` is not the server's own address is refused
  (a page on another site that rebinds its DNS name to 127.0.0.1 reaches the port, not the name);
  a write (POST) needs the ``Origin`` of the workspace itself (when the browser sends one) and the
  session's token, which only the workspace's own pages carry; in LAN mode every request needs the
  password (HTTP Basic).
- ``inside``: a path a request names, resolved and kept inside the commune folder (no ``..``, no
  symbolic link leading out).
- ``write_atomic``: a file written whole through a temporary file in its folder, then replaced.
- ``digest``: the hash a form carries of the file it was loaded from; a save whose file changed
  since is refused (optimistic concurrency: two tabs, or an editor beside the browser).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import tempfile
from pathlib import Path

TOKEN_FIELD = "token"
TOKEN_HEADER = "x-vanban-token"
SAFE_METHODS = ("GET", "HEAD")


class Refused(Exception):
    """A request the workspace does not serve; its message is Vietnamese, for the page."""


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def inside(root: Path, rel: str) -> Path:
    """``root / rel``, refused when it would lead outside ``root`` (``..``, absolute, a link out)."""
    if not rel or "\0" in rel or "\\" in rel or rel.startswith("/") or ":" in rel:
        raise Refused(f"đường dẫn không hợp lệ: {rel!r}")
    base = Path(root).resolve()
    target = (base / rel).resolve()
    if target != base and base not in target.parents:
        raise Refused(f"đường dẫn ra ngoài thư mục của xã: {rel!r}")
    return target


def write_atomic(path: Path, data: bytes) -> None:
    """``data`` into ``path`` whole or not at all: a temporary file beside it, then ``os.replace``."""
    fd, tmp = tempfile.mkstemp(prefix=".vanban-", suffix=".tmp", dir=str(path.parent))
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _header(scope: dict, name: bytes) -> str | None:
    for key, value in scope.get("headers", []):
        if key == name:
            return value.decode("latin-1")
    return None


class Guard:
    """ASGI middleware applying the rules above before any route runs."""

    def __init__(self, app, hosts: set[str], token: str, password: str | None = None):
        self.app, self.hosts, self.token, self.password = app, hosts, token, password

    def problem(self, scope: dict, form_token: str | None = None) -> str | None:
        """Why this request is refused, or None."""
        host = _header(scope, b"host")
        if self.password is None and host not in self.hosts:
            return "địa chỉ (Host) không phải của vanban trên máy này"
        if self.password is not None and not self._authorised(scope):
            return "cần mật khẩu"
        if scope["method"] in SAFE_METHODS:
            return None
        origin = _header(scope, b"origin")
        if origin is not None and origin.split("://", 1)[-1] != host:
            return "yêu cầu gửi từ một trang khác (Origin) bị từ chối"
        given = _header(scope, TOKEN_HEADER.encode()) or form_token
        if not given or not hmac.compare_digest(given, self.token):
            return "thiếu mã phiên làm việc: hãy tải lại trang rồi làm lại"
        return None

    def _authorised(self, scope: dict) -> bool:
        auth = _header(scope, b"authorization") or ""
        if not auth.startswith("Basic "):
            return False
        try:
            _, _, given = base64.b64decode(auth[6:]).decode("utf-8").partition(":")
        except ValueError:
            return False
        assert self.password is not None
        return hmac.compare_digest(given.encode(), self.password.encode())

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        why = self.problem(scope, _form_token_of(scope))
        if why is None:
            return await self.app(scope, receive, send)
        status = 401 if why == "cần mật khẩu" else 403
        headers = [(b"content-type", b"text/plain; charset=utf-8")]
        if status == 401:
            headers.append((b"www-authenticate", b'Basic realm="vanban", charset="UTF-8"'))
        await send({"type": "http.response.start", "status": status, "headers": headers})
        await send({"type": "http.response.body", "body": f"vanban từ chối: {why}.".encode()})


def _form_token_of(scope: dict) -> str | None:
    """The token of a plain form post travels in the query string the form's action carries."""
    from urllib.parse import parse_qs

    values = parse_qs(scope.get("query_string", b"").decode("latin-1")).get(TOKEN_FIELD)
    return values[0] if values else None
