"""The commune's name as typed on ``vanban init``'s command line: "Hòa Lộc", "xã Hòa Lộc", "phường Hòa Lộc".

The unit word in front of the name ("xã", "phường", "đặc khu", in any case) becomes the
commune's ``unit_word`` (which makes its agency's names: "ỦY BAN NHÂN DÂN / PHƯỜNG HÒA LỘC"),
never a second word of its name ("XÃ XÃ HÒA LỘC"). What is not a commune-level unit since
the reorganisation of 01/7/2025 (a town, a district, a city, the committee's own name) is
refused with the form to type.
"""

from __future__ import annotations

import unicodedata

import click

UNIT_WORDS = ("đặc khu", "phường", "xã")  # the commune-level units since 01/7/2025
VILLAGES = {"xã": "thôn", "phường": "tổ dân phố", "đặc khu": "thôn, tổ dân phố"}  # what a unit is made of
FORM = ('hãy ghi tên đơn vị hành chính cấp xã, ví dụ --commune "Hòa Lộc", --commune "xã Hòa Lộc", '
        '--commune "phường Hòa Lộc" hoặc --commune "đặc khu Hòa Lộc"')
NOT_A_COMMUNE = {
    "thị trấn": "thị trấn không còn là đơn vị hành chính từ ngày 01/7/2025 (cấp xã chỉ còn xã, phường, đặc khu)",
    "thị xã": "thị xã là đơn vị cấp huyện, không còn từ ngày 01/7/2025",
    "huyện": "huyện không còn là đơn vị hành chính từ ngày 01/7/2025",
    "quận": "quận không còn là đơn vị hành chính từ ngày 01/7/2025",
    "thành phố": "thành phố là đơn vị hành chính cấp tỉnh (ghi ở --province), không phải cấp xã",
    "tỉnh": "tỉnh ghi ở --province, không ghi ở --commune",
    "ủy ban nhân dân": "chỉ ghi tên đơn vị, tên cơ quan 'Ủy ban nhân dân …' do vanban ghép",
    "uỷ ban nhân dân": "chỉ ghi tên đơn vị, tên cơ quan 'Ủy ban nhân dân …' do vanban ghép",
    "ubnd": "chỉ ghi tên đơn vị, tên cơ quan 'UBND …' do vanban ghép",
}


def _starts(text: str, word: str) -> bool:
    low = text.lower()
    return low == word or low.startswith(word + " ")


def _title(name: str) -> str:
    """A name as place names are written: each syllable capitalised ("hòa lộc", "HÒA LỘC" -> "Hòa Lộc")."""
    if name.upper() == name and sum(ch.isalpha() for ch in name) > 1:
        name = name.lower()
    return " ".join(w[:1].upper() + w[1:] for w in name.split())


def commune_name(value: str) -> tuple[str, str]:
    """(unit word, name) of ``--commune``: "xã Hòa Lộc" -> ("xã", "Hòa Lộc"); a bare name is a xã."""
    text = " ".join(unicodedata.normalize("NFC", value).split())
    for words, why in NOT_A_COMMUNE.items():
        if _starts(text, words):
            raise click.BadParameter(f"'{text}': {why}; {FORM}", param_hint="--commune")
    word = next((w for w in UNIT_WORDS if _starts(text, w)), None)
    name = text[len(word):].strip() if word else text
    if not name:
        raise click.BadParameter(f"'{text}' chưa có tên; {FORM}", param_hint="--commune")
    if word and _starts(name, word):
        raise click.BadParameter(f"'{text}': chữ '{word}' được ghi hai lần; {FORM}", param_hint="--commune")
    return word or "xã", _title(name)


def province_name(value: str) -> str:
    """``--province`` without a leading "tỉnh" (the documents write "tỉnh Nghệ An" themselves)."""
    text = " ".join(unicodedata.normalize("NFC", value).split())
    return _title(text[len("tỉnh"):].strip()) if _starts(text, "tỉnh") and len(text) > len("tỉnh") else _title(text)
