"""Documents in git: ``vanban git-setup`` and ``vanban diff``.

``git-setup`` makes git show .docx changes as text: ``.gitattributes`` gets
``*.docx diff=vanban`` and the repository's config gets the ``vanban`` diff
driver (``textconv`` = this package's ``textconv.py``, ``cachetextconv``, and a
hunk header that names the document section). Running it again changes nothing.

``diff`` compares two sets of documents, each side a file, a folder or a git
revision of the output folder, and prints which documents were added, removed
or changed and their text differences (``textconv`` lines; changed words are
highlighted in a terminal). ``--redline`` writes the new version of a changed
document with Word tracked changes against the old one (``redline.py``).
"""

from __future__ import annotations

import difflib
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

import click

from pipeline import errors as E
from pipeline.vcs.pairing import pair_most_similar
from pipeline.paths import near_option

DRIVER = "vanban"
ATTRIBUTE_LINE = "*.docx diff=vanban"
HUNK_HEADER = "^=== .*"  # hunks are titled with their section line
SKIP_DIRS = {".backup", ".git"}


# ------------------------------------------------------------------ git plumbing


def git(args: list[str], cwd: Path | str = ".", check: bool = True) -> subprocess.CompletedProcess:
    try:
        proc = subprocess.run(["git", *args], cwd=str(cwd), capture_output=True)
    except FileNotFoundError as exc:
        raise E.ExternalToolError("không tìm thấy chương trình git; hãy cài Git rồi chạy lại") from exc
    if check and proc.returncode != 0:
        msg = proc.stderr.decode("utf-8", "replace").strip()
        raise E.ExternalToolError(f"lệnh 'git {' '.join(args)}' thất bại: {msg}")
    return proc


def repo_root(cwd: Path | str = ".") -> Path:
    proc = git(["rev-parse", "--show-toplevel"], cwd, check=False)
    if proc.returncode != 0:
        raise E.ExternalToolError(
            f"thư mục {Path(cwd).resolve()} không nằm trong một kho git; hãy chạy 'git init' (hoặc mở đúng thư mục) trước")
    return Path(proc.stdout.decode("utf-8").strip())


def is_revision(rev: str, cwd: Path | str = ".") -> bool:
    return git(["rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}"], cwd, check=False).returncode == 0


def textconv_command() -> str:
    """The command git runs: this Python running textconv.py directly (no click, starts fast)."""
    script = Path(__file__).resolve().with_name("textconv.py")
    return f'"{Path(sys.executable).as_posix()}" "{script.as_posix()}"'


# ------------------------------------------------------------------ git-setup


@click.command("git-setup")
@click.option("--command", "command", default=None,
              help="Lệnh textconv cho git (mặc định: Python này chạy pipeline/vcs/textconv.py).")
def git_setup(command: str | None) -> None:
    """Cho git hiển thị thay đổi trong văn bản Word (.docx) dưới dạng chữ (git diff, git log -p, git show)."""
    from rich.console import Console

    out = Console(highlight=False, soft_wrap=True)
    root = repo_root()
    attributes = root / ".gitattributes"
    text = attributes.read_text(encoding="utf-8") if attributes.exists() else ""
    if ATTRIBUTE_LINE in [line.strip() for line in text.splitlines()]:
        out.print(f"  [dim]đã có[/]   {attributes}: {ATTRIBUTE_LINE}")
    else:
        if text and not text.endswith("\n"):
            text += "\n"
        attributes.write_text(text + ATTRIBUTE_LINE + "\n", encoding="utf-8", newline="\n")
        out.print(f"  [yellow]thêm[/]     {attributes}: {ATTRIBUTE_LINE}")
    settings = {
        f"diff.{DRIVER}.textconv": command or textconv_command(),
        f"diff.{DRIVER}.cachetextconv": "true",
        f"diff.{DRIVER}.xfuncname": HUNK_HEADER,
    }
    for key, value in settings.items():
        current = git(["config", "--local", "--get", key], root, check=False).stdout.decode("utf-8").strip()
        if current == value:
            out.print(f"  [dim]đã có[/]   git config {key} = {value}", markup=True)
            continue
        git(["config", "--local", key, value], root)
        out.print(f"  [yellow]đặt[/]      git config {key} = {value}", markup=True)
    out.print("[green]Xong:[/] 'git diff', 'git log -p' và 'git show' sẽ in nội dung văn bản .docx dưới dạng chữ "
              "(thêm '--word-diff' để thấy từng chữ thay đổi). Hãy commit tệp .gitattributes.")


# ------------------------------------------------------------------ sides of a diff


@dataclass
class Side:
    label: str
    docs: dict[str, bytes]  # relative path -> bytes


def _docx_files(folder: Path) -> dict[str, bytes]:
    docs = {}
    for p in sorted(folder.rglob("*.docx")):
        rel = p.relative_to(folder)
        if any(part in SKIP_DIRS for part in rel.parts[:-1]) or p.name.startswith("~$"):
            continue
        docs[rel.as_posix()] = p.read_bytes()
    return docs


def _from_path(path: Path) -> Side:
    if path.is_dir():
        return Side(str(path), _docx_files(path))
    return Side(str(path), {path.name: path.read_bytes()})


def _from_git(rev: str, scope: Path) -> Side:
    """The .docx files under ``scope`` (file or folder of the working tree) at revision ``rev``."""
    root = repo_root(scope if scope.is_dir() else scope.parent if scope.parent.exists() else ".")
    try:
        rel = scope.resolve().relative_to(root.resolve()).as_posix()
    except ValueError as exc:
        raise E.ExternalToolError(f"{scope} không nằm trong kho git {root}") from exc
    listing = git(["ls-tree", "-r", "-z", "--name-only", rev, "--", rel if rel != "." else ""], root).stdout
    names = [n for n in listing.decode("utf-8").split("\0") if n.endswith(".docx")]
    docs = {}
    for name in names:
        inner = PurePosixPath(name)
        if scope.is_file() or (not scope.exists() and rel == name):
            key = inner.name
        else:
            key = inner.relative_to(rel).as_posix() if rel != "." else name
        if any(part in SKIP_DIRS for part in PurePosixPath(key).parts[:-1]):
            continue
        docs[key] = git(["cat-file", "blob", f"{rev}:{name}"], root).stdout
    return Side(f"{rev}:{rel}", docs)


def resolve_sides(old: str | None, new: str | None, out_dir: Path) -> tuple[Side, Side]:
    """OLD and NEW are paths or git revisions; the folder/file a revision is read at is the
    first path given, else ``out_dir``. No NEW: the working tree; no OLD either: HEAD."""
    args = [a for a in (old, new) if a is not None]
    paths = [Path(a) for a in args if Path(a).exists()]
    for a in args:
        if not Path(a).exists() and not is_revision(a):
            raise click.BadParameter(f"'{a}' không phải tệp, thư mục hay phiên bản git (commit) nào", param_hint="OLD/NEW")
    if len(args) == 1 and paths:  # `vanban diff FILE_OR_FOLDER`: last commit vs the working tree
        args = ["HEAD", args[0]]
    elif len(args) == 0:
        args = ["HEAD"]
    if len(args) == 1:
        args.append(str(out_dir))
    scope = paths[0] if paths else Path(out_dir)
    sides = []
    for a in args:
        p = Path(a)
        sides.append(_from_path(p) if p.exists() else _from_git(a, scope))
    old_side, new_side = sides
    if len(old_side.docs) == 1 and len(new_side.docs) == 1 and set(old_side.docs) != set(new_side.docs):
        # two single files with different names: compare them with each other
        (od,) = old_side.docs.values()
        (nk,) = new_side.docs
        old_side = Side(old_side.label, {nk: od})
    return old_side, new_side


# ------------------------------------------------------------------ comparing


@dataclass
class Change:
    path: str
    status: str  # "added" | "removed" | "changed"
    old: bytes | None
    new: bytes | None
    old_lines: list[str]
    new_lines: list[str]


STATUS_VI = {"added": "thêm mới", "removed": "bị xóa", "changed": "thay đổi"}


def compare(old: Side, new: Side) -> list[Change]:
    from pipeline.vcs.textconv import docx_lines

    changes = []
    for path in sorted(set(old.docs) | set(new.docs)):
        a, b = old.docs.get(path), new.docs.get(path)
        if a == b:
            continue
        la = docx_lines(a, f"{old.label} ({path})") if a is not None else []
        lb = docx_lines(b, f"{new.label} ({path})") if b is not None else []
        # "changed" with equal lines: the bytes differ but not the text (formatting, metadata)
        status = "added" if a is None else "removed" if b is None else "changed"
        changes.append(Change(path, status, a, b, la, lb))
    return changes


def unified(change: Change, old_label: str, new_label: str, context: int = 2) -> list[str]:
    return list(difflib.unified_diff(change.old_lines, change.new_lines, f"{old_label}/{change.path}",
                                     f"{new_label}/{change.path}", n=context, lineterm=""))


def _word_pair(a: str, b: str):
    """rich Texts of an old and a new line with the changed words highlighted."""
    import re

    from rich.text import Text

    ta, tb = re.findall(r"\S+|\s+", a), re.findall(r"\S+|\s+", b)
    old, new = Text("- ", style="red"), Text("+ ", style="green")
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, ta, tb, autojunk=False).get_opcodes():
        if op == "equal":
            old.append("".join(ta[i1:i2]), style="red")
            new.append("".join(tb[j1:j2]), style="green")
        else:
            old.append("".join(ta[i1:i2]), style="bold white on red")
            new.append("".join(tb[j1:j2]), style="bold white on green")
    return old, new


def _changed_lines(olds: list[str], news: list[str]):
    """rich Texts of a changed run: similar lines paired word by word, the rest removed or added."""
    from rich.text import Text

    for a, b in pair_most_similar(olds, news):
        if a is not None and b is not None:
            yield from _word_pair(a, b)
        elif a is not None:
            yield Text("- " + a, style="red")
        else:
            yield Text("+ " + b, style="green")


def print_rich(console, change: Change, context: int = 2) -> None:
    from rich.text import Text

    sm = difflib.SequenceMatcher(None, change.old_lines, change.new_lines, autojunk=False)
    for group in sm.get_grouped_opcodes(context):
        console.print(Text(f"@@ dòng {group[0][1] + 1} → {group[0][3] + 1} @@", style="cyan"))
        for op, i1, i2, j1, j2 in group:
            if op == "equal":
                texts = [Text("  " + line, style="dim") for line in change.old_lines[i1:i2]]
            else:
                texts = _changed_lines(change.old_lines[i1:i2], change.new_lines[j1:j2])
            for t in texts:
                console.print(t)


# ------------------------------------------------------------------ the command


@click.command("diff")
@click.argument("old", required=False)
@click.argument("new", required=False)
@click.option("--out", "out_dir", type=click.Path(path_type=Path), default=Path("outputs"), show_default=True,
              callback=near_option, help="Thư mục văn bản dùng khi so với một phiên bản git.")
@click.option("--redline", "redline_path", type=click.Path(path_type=Path), default=None,
              help="Ghi tệp Word có đánh dấu thay đổi (Track Changes) của văn bản đã thay đổi; "
                   "nhiều văn bản: cho một thư mục.")
@click.option("--doc", "doc_filter", default=None, help="Chỉ so các văn bản có đường dẫn chứa chuỗi này.")
@click.option("-U", "--context", "context", type=int, default=2, show_default=True, help="Số dòng ngữ cảnh.")
@click.option("--stat", is_flag=True, help="Chỉ liệt kê văn bản thay đổi, không in nội dung.")
@click.option("--exit-code", "exit_code", is_flag=True, help="Trả mã 1 nếu có khác biệt.")
def diff_command(old, new, out_dir, redline_path, doc_filter, context, stat, exit_code) -> None:
    """So sánh văn bản: hai tệp, hai thư mục, hoặc hai phiên bản git của thư mục kết quả.

    \b
    vanban diff                 lần commit gần nhất (HEAD) với thư mục outputs hiện tại
    vanban diff HEAD~1          phiên bản HEAD~1 với thư mục outputs hiện tại
    vanban diff HEAD~1 HEAD     hai phiên bản git
    vanban diff cu.docx moi.docx
    vanban diff HEAD --redline thay-doi.docx
    """
    from rich.console import Console
    from rich.table import Table

    old_side, new_side = resolve_sides(old, new, out_dir)
    changes = compare(old_side, new_side)
    if doc_filter:
        changes = [c for c in changes if doc_filter in c.path]
    console = Console(highlight=False, soft_wrap=True)
    tty = console.is_terminal
    if not changes:
        console.print(f"Không có văn bản nào khác nhau giữa {old_side.label} và {new_side.label}.")
    else:
        table = Table(title=f"{old_side.label} → {new_side.label}", title_justify="left")
        table.add_column("Văn bản")
        table.add_column("Trạng thái")
        table.add_column("Dòng", justify="right")
        for c in changes:
            sm = difflib.SequenceMatcher(None, c.old_lines, c.new_lines, autojunk=False)
            removed = sum(i2 - i1 for op, i1, i2, _, _ in sm.get_opcodes() if op in ("delete", "replace"))
            added = sum(j2 - j1 for op, _, _, j1, j2 in sm.get_opcodes() if op in ("insert", "replace"))
            stats = f"+{added} -{removed}" if (added or removed) else "chỉ khác định dạng"
            table.add_row(c.path, STATUS_VI[c.status], stats)
        if tty:
            console.print(table)
        else:
            for c in changes:
                print(f"{STATUS_VI[c.status]}: {c.path}")
        if not stat:
            for c in changes:
                if tty:
                    console.rule(f"{c.path} ({STATUS_VI[c.status]})")
                    print_rich(console, c, context)
                else:
                    sys.stdout.write("\n".join(unified(c, "a", "b", context)) + "\n")
    if redline_path is not None:
        write_redlines(console, changes, redline_path)
    if exit_code and changes:
        raise E.Findings()


def write_redlines(console, changes: list[Change], target: Path) -> None:
    from pipeline.vcs.redline import redline
    from pipeline.ooxml.package import atomic_write

    changed = [c for c in changes if c.status == "changed"]
    if not changed:
        console.print("Không có văn bản nào bị sửa (chỉ thêm hoặc xóa) nên không tạo bản đánh dấu thay đổi.")
        return
    if target.suffix.lower() == ".docx":
        if len(changed) > 1:
            names = ", ".join(c.path for c in changed)
            raise click.UsageError(
                f"có {len(changed)} văn bản thay đổi ({names}); chọn một bằng --doc, "
                "hoặc cho --redline một thư mục để ghi tất cả")
        plan = [(changed[0], target)]
    else:
        plan = [(c, target / c.path) for c in changed]
    for c, path in plan:
        data, counts = redline(c.old, c.new)
        atomic_write(path, data)
        console.print(f"[green]Đã ghi[/] {path}: {counts['ins']} chỗ thêm, {counts['del']} chỗ xóa "
                      "(mở bằng Word/LibreOffice, mục Review/Theo dõi thay đổi để chấp nhận hoặc từ chối).")
