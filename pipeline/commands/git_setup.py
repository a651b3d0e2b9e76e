"""``vanban git-setup``: git shows .docx changes as text (``vcs/git.py``'s diff driver)."""

from __future__ import annotations

import click

from pipeline.vcs.git import ATTRIBUTE_LINE, driver_settings, git, repo_root


@click.command("git-setup")
@click.option("--command", "command", default=None,
              help="Lệnh textconv cho git (mặc định: Python này chạy pipeline/vcs/textconv.py).")
def git_setup(command: str | None) -> None:
    """Cho git hiển thị thay đổi trong văn bản Word (.docx) dưới dạng chữ (git diff, git log -p, git show)."""
    from pipeline.errors import console, styled

    out = console()
    root = repo_root()
    attributes = root / ".gitattributes"
    text = attributes.read_text(encoding="utf-8") if attributes.exists() else ""
    if ATTRIBUTE_LINE in [line.strip() for line in text.splitlines()]:
        out.print(styled("  ", ("đã có", "dim"), f"   {attributes}: {ATTRIBUTE_LINE}"))
    else:
        if text and not text.endswith("\n"):
            text += "\n"
        attributes.write_text(text + ATTRIBUTE_LINE + "\n", encoding="utf-8", newline="\n")
        out.print(styled("  ", ("thêm", "yellow"), f"     {attributes}: {ATTRIBUTE_LINE}"))
    for key, value in driver_settings(command).items():
        current = git(["config", "--local", "--get", key], root, check=False).stdout.decode("utf-8").strip()
        if current == value:
            out.print(styled("  ", ("đã có", "dim"), f"   git config {key} = {value}"))
            continue
        git(["config", "--local", key, value], root)
        out.print(styled("  ", ("đặt", "yellow"), f"      git config {key} = {value}"))
    out.print(styled(("Xong:", "green"), " 'git diff', 'git log -p' và 'git show' sẽ in nội dung văn bản .docx dưới "
                     "dạng chữ (thêm '--word-diff' để thấy từng chữ thay đổi). Hãy commit tệp .gitattributes."))
