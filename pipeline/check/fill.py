"""Places still to fill: a document that holds the ``CẦN ĐIỀN`` marker (``decree.labels.PLACEHOLDER``) is not
ready to sign, whatever its layout. ``vanban init`` and ``vanban import`` leave the marker where only the office
knows what to write (a leader's name, the province's plan); the lint warns of it in the inputs, the PDF step
refuses to print it without ``--draft``, and ``vanban check`` reports each document that still holds it as an
error, located by table, row, cell and paragraph.

The registry's blanks of a draft ("Số:      /KH-UBND", the day left empty) are a different thing: the decree
wants them left for the clerk who registers the document (``header.draft``, a note)."""

from __future__ import annotations

from pipeline.check.checker import Checker
from pipeline.decree.labels import PLACEHOLDER

RULE = "text.placeholder"
PLACES_NAMED = 5  # places a finding names; the count covers them all
CONTEXT = 30  # characters of text shown after the marker


def snippet(text: str) -> str:
    """The marker and the words after it, on one line: “CẦN ĐIỀN họ và tên Chủ tịch”."""
    at = text.index(PLACEHOLDER)
    tail = " ".join(text[at:].split())
    return tail if len(tail) <= len(PLACEHOLDER) + CONTEXT else tail[:len(PLACEHOLDER) + CONTEXT].rstrip() + "…"


def check_placeholders(c: Checker) -> None:
    """One error for a document holding the marker: how many paragraphs, and where the first ones are."""
    found = [p for p in c.doc.paragraphs if PLACEHOLDER in p.text]
    if not found:
        return
    places = "; ".join(f"{p.place.words()}: “{snippet(p.text)}”" for p in found[:PLACES_NAMED])
    more = f"; và {len(found) - PLACES_NAMED} chỗ khác" if len(found) > PLACES_NAMED else ""
    c.fail(RULE, found[0], f"còn {len(found)} chỗ đánh dấu “{PLACEHOLDER}” chưa điền ({places}{more}) — "
           "điền nội dung thật vào dữ liệu đầu vào rồi tạo lại văn bản trước khi trình ký",
           measured=f"{len(found)} chỗ", allowed="0 chỗ")
