"""Small Vietnamese text helpers shared by the stages."""

from __future__ import annotations

import re
import unicodedata


def lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


def upper(text: str) -> str:
    """Upper case that stays NFC ('mục đích' -> 'MỤC ĐÍCH')."""
    return unicodedata.normalize("NFC", text.upper())


def slug(text: str) -> str:
    """An ASCII file-name stem: 'Phụ lục Đặc biệt' -> 'phu-luc-dac-biet'."""
    text = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).lower()
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")
