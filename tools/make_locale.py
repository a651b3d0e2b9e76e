"""Compile the Vietnamese catalogue of click's messages (``.po`` → ``.mo``) with Babel.

    python tools/make_locale.py

``tests/test_cli_i18n.py`` fails when the committed ``.mo`` differs from a fresh compile.
"""

from __future__ import annotations

import io
import sys
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

CATALOGUE = Path(__file__).resolve().parent.parent / "pipeline" / "data" / "locale" / "vi" / "LC_MESSAGES"


def compiled(po: Path) -> bytes:
    with po.open("rb") as f:
        catalog = read_po(f, locale="vi")
    out = io.BytesIO()
    write_mo(out, catalog)
    return out.getvalue()


def main() -> int:
    po = CATALOGUE / "vanban.po"
    (CATALOGUE / "vanban.mo").write_bytes(compiled(po))
    print(f"wrote {CATALOGUE / 'vanban.mo'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
