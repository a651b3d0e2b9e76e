"""``vanban diff``: two sets of documents compared as text, changed words highlighted in a terminal;
``--redline`` writes the new version with Word tracked changes against the old one."""

from __future__ import annotations

import difflib
import sys
from pathlib import Path

import click

from pipeline import errors as E
from pipeline.paths import near_option
from pipeline.vcs.diff import STATUS_VI, Change, Side, compare, resolve_sides, unified
from pipeline.vcs.pairing import pair_most_similar


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
    from rich.table import Table

    console = E.console()  # paths and the documents' text as they are: no markup, no emoji
    old_side, new_side = sides(old, new, out_dir, console)
    changes = compare(old_side, new_side)
    if doc_filter:
        changes = [c for c in changes if doc_filter in c.path]
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


NO_COMMIT_YET = "HEAD (chưa có commit nào)"


def sides(old: str | None, new: str | None, out_dir: Path, console) -> tuple[Side, Side]:
    """What ``vanban diff OLD NEW`` compares. Before the repository's first commit, the last commit
    (HEAD, the default) is an empty side: every document is new, as the first commit will record it."""
    target = _compared_with_head(old, new, out_dir)
    if target is None or not _no_commit_yet(target):
        return resolve_sides(old, new, out_dir)
    console.print(E.styled(("Kho git chưa có lần commit nào:", "yellow"), f" chưa có phiên bản cũ để so với {target}. "
                           "Dưới đây là những văn bản mà lần commit đầu tiên sẽ ghi lại (đều là thêm mới). Lưu "
                           "phiên bản: 'git add -A' rồi 'git commit -m \"nội dung thay đổi\"'."))
    _, now = resolve_sides(str(target), str(target), out_dir)  # the folder (or file) as it is on disk
    return Side(NO_COMMIT_YET, {}), now


def _compared_with_head(old: str | None, new: str | None, out_dir: Path) -> Path | None:
    """The folder or file that ``vanban diff``, ``vanban diff PATH``, ``vanban diff HEAD`` or
    ``vanban diff HEAD PATH`` compares with the last commit; None for any other comparison."""
    if old is not None and old != "HEAD":
        if new is not None:
            return None  # two paths, or a path and a revision
        target = Path(old)
    else:
        target = Path(new) if new is not None else Path(out_dir)
    return target if target.exists() else None


def _no_commit_yet(target: Path) -> bool:
    """``target`` lies in a git repository that has no commit yet (HEAD names none)."""
    from pipeline.vcs.git import git, is_revision

    where = target if target.is_dir() else target.parent
    inside = git(["rev-parse", "--show-toplevel"], where, check=False).returncode == 0
    return inside and not is_revision("HEAD", where)


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
        if c.old is None or c.new is None:  # a changed document has both sides
            continue
        data, counts = redline(c.old, c.new)
        atomic_write(path, data)
        console.print(E.styled(("Đã ghi", "green"), f" {path}: {counts['ins']} chỗ thêm, {counts['del']} chỗ xóa "
                               "(mở bằng Word/LibreOffice, mục Review/Theo dõi thay đổi để chấp nhận hoặc từ chối)."))


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


def _changed_lines(olds: list[str], news: list[str]):
    """rich Texts of a changed run: similar lines paired word by word, the rest removed or added."""
    from rich.text import Text

    for a, b in pair_most_similar(olds, news):
        if a is not None and b is not None:
            yield from _word_pair(a, b)
        elif a is not None:
            yield Text("- " + a, style="red")
        else:
            yield Text("+ " + (b or ""), style="green")


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
