"""Text widths read from a real TrueType font file, independently of vanban's own metrics table.

Liberation Serif (or Tinos) has the advance widths of Times New Roman, glyph for glyph; the file is
found with fontconfig (``fc-match``). Only what a width needs is read: ``head`` (units per em),
``hhea`` + ``hmtx`` (advances), ``cmap`` format 4 (characters → glyphs).
"""

from __future__ import annotations

import struct
import subprocess
import unicodedata
from functools import lru_cache
from pathlib import Path


def font_file(bold: bool = False, italic: bool = False) -> Path:
    style = ":bold" if bold else ""
    style += ":italic" if italic else ""
    out = subprocess.run(["fc-match", "-f", "%{file}", f"Liberation Serif{style}"], capture_output=True, text=True)
    return Path(out.stdout.strip())


@lru_cache(maxsize=4)
def _tables(path: Path) -> tuple[int, dict[int, int], list[int]]:
    data = path.read_bytes()
    count = struct.unpack(">H", data[4:6])[0]
    tables = {}
    for i in range(count):
        tag, _, offset, length = struct.unpack(">4sIII", data[12 + 16 * i: 28 + 16 * i])
        tables[tag.decode("latin-1")] = data[offset: offset + length]
    units = struct.unpack(">H", tables["head"][18:20])[0]
    metrics = struct.unpack(">H", tables["hhea"][34:36])[0]
    advances = [struct.unpack(">H", tables["hmtx"][4 * i: 4 * i + 2])[0] for i in range(metrics)]
    return units, _cmap4(tables["cmap"]), advances


def _cmap4(cmap: bytes) -> dict[int, int]:
    """Unicode BMP code point → glyph id, from the Windows Unicode (3, 1) format 4 subtable."""
    n = struct.unpack(">H", cmap[2:4])[0]
    for i in range(n):
        platform, encoding, offset = struct.unpack(">HHI", cmap[4 + 8 * i: 12 + 8 * i])
        if (platform, encoding) == (3, 1):
            break
    sub = cmap[offset:]
    segs = struct.unpack(">H", sub[6:8])[0] // 2
    ends = struct.unpack(f">{segs}H", sub[14: 14 + 2 * segs])
    base = 16 + 2 * segs
    starts = struct.unpack(f">{segs}H", sub[base: base + 2 * segs])
    deltas = struct.unpack(f">{segs}h", sub[base + 2 * segs: base + 4 * segs])
    ranges_at = base + 4 * segs
    range_offsets = struct.unpack(f">{segs}H", sub[ranges_at: ranges_at + 2 * segs])
    out = {}
    for k in range(segs):
        for code in range(starts[k], ends[k] + 1):
            if code == 0xFFFF:
                continue
            if range_offsets[k] == 0:
                glyph = (code + deltas[k]) & 0xFFFF
            else:
                at = ranges_at + 2 * k + range_offsets[k] + 2 * (code - starts[k])
                glyph = struct.unpack(">H", sub[at: at + 2])[0]
                glyph = (glyph + deltas[k]) & 0xFFFF if glyph else 0
            out[code] = glyph
    return out


def text_width_twips(text: str, size_pt: float, bold: bool = False, italic: bool = False) -> float:
    """The advance width of ``text`` set at ``size_pt`` (a twip is 1/20 pt)."""
    units, cmap, advances = _tables(font_file(bold, italic))
    total = 0
    for ch in unicodedata.normalize("NFC", text):
        glyph = cmap.get(ord(ch), 0)
        total += advances[min(glyph, len(advances) - 1)]
    return total / units * size_pt * 20
