"""The warning about places the drafter has not written yet ("[Cán bộ soạn thảo viết: …]")."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

from pipeline.errors import styled
from pipeline.ooxml import safezip


def warn_drafter_notes(files: list[Path], err) -> list[tuple[Path, int]]:
    """Warn about each document that still holds "[Cán bộ soạn thảo viết: …]" places; return them."""
    found = []
    for f in files:
        try:  # the main part as the package names it (Word for the web: word/document2.xml), bounded
            with zipfile.ZipFile(f) as z, z.open(safezip.main_part(z)) as part:
                xml = part.read(safezip.MEMBER_LIMIT).decode("utf-8", "replace")
        except (OSError, KeyError, EOFError, zipfile.BadZipFile, safezip.BadDocx):
            continue  # the conversion reports a file it cannot read
        n = re.sub(r"<[^>]+>", "", xml).count("[Cán bộ soạn thảo viết:")
        if n:
            found.append((f, n))
            err.print(styled(("Chưa viết xong:", "yellow"), f" {f} còn {n} chỗ “[Cán bộ soạn thảo viết: …]” — "
                             "hãy viết nội dung vào các chỗ đó trước khi in, gửi."))
    return found
