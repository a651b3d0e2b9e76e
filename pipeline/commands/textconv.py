"""``vanban textconv``: a Word file as lines of text, as git's diff driver shows it (``vcs/textconv.py``).

git itself runs ``vcs/textconv.py`` as a plain script, which starts faster than the command line."""

from __future__ import annotations

import click

from pipeline import errors as E
from pipeline.errors import EXIT_EXTERNAL, EXIT_INVALID_INPUT


@click.command("textconv")
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False))
def textconv_command(files: tuple[str, ...]) -> None:
    """In nội dung văn bản Word (.docx) dưới dạng chữ, mỗi đoạn một dòng (dùng cho git diff)."""
    from pipeline.vcs.textconv import emit

    codes = {emit(f) for f in files}  # every file is tried; each error was said on stderr
    if EXIT_EXTERNAL in codes:
        raise E.FilesNotRead()
    if EXIT_INVALID_INPUT in codes:
        raise E.UnreadableFiles()
