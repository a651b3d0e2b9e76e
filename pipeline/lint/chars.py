"""Characters no reader sees, which reach the documents all the same (issue 33).

  bidi-control    U+202A–U+202E (embeddings and overrides) and U+2066–U+2069 (isolates): the
                  text is shown in another order than it is stored, so what the clerk reads in
                  the editor is not what the document says — error
  invisible-char  U+200B–U+200D (zero-width space, non-joiner, joiner), U+2060 (word joiner),
                  U+FEFF inside a text (a byte-order mark), U+200E, U+200F, U+061C (direction
                  marks): pasted from a web page or a chat, they split words for search and for
                  the spelling rule, and Word keeps them — warning

Each is located to its column (``SourceFindings.add``); a run of the same character is one finding.
"""

from __future__ import annotations

import re
from typing import Iterator

BIDI = {"\u202a": "nhúng hướng trái sang phải", "\u202b": "nhúng hướng phải sang trái",
        "\u202c": "kết thúc nhúng hướng", "\u202d": "ép hướng trái sang phải", "\u202e": "ép hướng phải sang trái",
        "\u2066": "cô lập hướng trái sang phải", "\u2067": "cô lập hướng phải sang trái",
        "\u2068": "cô lập hướng theo chữ đầu", "\u2069": "kết thúc cô lập hướng"}
INVISIBLE = {"\u200b": "dấu cách độ rộng 0", "\u200c": "ký tự không nối, độ rộng 0", "\u200d": "ký tự nối, độ rộng 0",
             "\u2060": "ký tự nối từ, độ rộng 0", "\ufeff": "dấu BOM, độ rộng 0", "\u200e": "dấu hướng trái sang phải",
             "\u200f": "dấu hướng phải sang trái", "\u061c": "dấu hướng chữ Ả Rập"}
_ANY = re.compile("([" + "".join(BIDI) + "".join(INVISIBLE) + r"])\1*")


def hidden_chars(text: str) -> Iterator[tuple[int, str, str, str, str]]:
    """(offset, rule, message, fix, severity) for each run of one hidden character in ``text``."""
    for found in _ANY.finditer(text):
        ch = found.group(1)
        count = f"{len(found.group())} ký tự " if len(found.group()) > 1 else "ký tự "
        if ch in BIDI:
            yield (found.start(), "bidi-control",
                   f"có {count}U+{ord(ch):04X} ({BIDI[ch]}) không hiện ra: nó đảo thứ tự hiển thị của chữ, nên "
                   "chữ đọc được trong trình soạn thảo khác với chữ in trong văn bản",
                   "xóa ký tự này (VS Code tô khung các ký tự không hiện); gõ lại đoạn chữ quanh nó", "error")
        else:
            yield (found.start(), "invisible-char",
                   f"có {count}U+{ord(ch):04X} ({INVISIBLE[ch]}) không hiện ra nhưng vẫn nằm trong văn bản Word "
                   "(thường do sao chép từ trang web hay tin nhắn)",
                   "xóa ký tự này: đặt con trỏ ngay sau nó và bấm Backspace (VS Code tô khung các ký tự không hiện)",
                   "warning")
