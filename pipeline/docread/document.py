"""The typed model of a Word document that ``read()`` returns.

Three levels, as in python-docx (API → parts → XML):

- **layout**: ``Section`` (page size, margins, header/footer page numbers), ``Para`` (text, where it
  sits, resolved formatting of every run, indents, spacing, borders, drawn lines), ``Table``;
- **elements of the decree**: ``HeaderBlock`` (agency, national name, motto, their rules, number,
  place and date), ``Title`` (type name, summary, its rule), ``Item`` (numbered parts, sections,
  articles, clauses, points), ``Signature``, ``Recipients``, ``Appendix``, ``PageNumbers``;
- **the document**: ``Document`` — which kind the file was taken for (administrative with its type,
  legal with number/year/symbol, an appendix on its own) and all of the above.

Every element keeps the ``Para`` it was read from, so a finding can say where it is. ``Para.el`` is
the lxml element, for tools that need more than the model gives.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from lxml import etree

from pipeline.docread.shapes import LineShape, line_shapes


@dataclass(frozen=True, slots=True)
class Place:
    index: int  # paragraph number in reading order (1-based), table cells included
    section: int  # 1-based section of the document
    table: int | None = None  # 1-based table number in the body (outer tables)
    row: int | None = None
    cell: int | None = None
    page: int | None = None  # known for the first page's header block only

    def words(self) -> str:
        """'bảng 1, hàng 2, cột 1, đoạn 9' — Vietnamese, as a finding names the place."""
        out = []
        if self.page:
            out.append(f"trang {self.page}")
        if self.table:
            out.append(f"bảng {self.table}, hàng {self.row}, cột {self.cell}")
        out.append(f"đoạn {self.index}")
        return ", ".join(out)


class Run:
    """A run with visible text. Its font and size are worked out when first asked (``resolve`` gives them):
    ``vanban check`` asks for every run, ``vanban import`` for a few."""

    __slots__ = ("text", "bold", "italic", "caps", "_resolve", "_font")

    def __init__(self, text: str, bold: bool, italic: bool, caps: bool,
                 resolve: Callable[[], tuple[str, str, str, float]]):
        self.text = text
        self.bold, self.italic = bold, italic
        self.caps = caps  # shown in capitals whatever is typed
        self._resolve = resolve  # -> (family, as written, where from, size)
        self._font: tuple[str, str, str, float] | None = None

    def _resolved(self) -> tuple[str, str, str, float]:
        if self._font is None:
            self._font = self._resolve()
        return self._font

    @property
    def font(self) -> str:
        """The family, variants removed ("Times New Roman Bold" -> "Times New Roman")."""
        return self._resolved()[0]

    @property
    def font_written(self) -> str:
        """As the file writes it (theme slots shown with what they resolve to)."""
        return self._resolved()[1]

    @property
    def font_source(self) -> str:
        """ "run", "style", "defaults", "theme", "word-default"."""
        return self._resolved()[2]

    @property
    def size(self) -> float:
        """In points."""
        return self._resolved()[3]

    def __repr__(self) -> str:
        return f"Run({self.text!r}, bold={self.bold}, italic={self.italic}, caps={self.caps})"


@dataclass(eq=False, slots=True)  # one object per paragraph of the file: compared by identity, as fast as ``is``
class Para:
    el: etree._Element = field(repr=False)
    text: str  # manual line breaks as "\n"
    place: Place
    style: str | None  # style name ("Normal", "Heading 1")
    align: str  # "left", "center", "right", "both", …
    runs: list[Run]  # runs with visible text
    indent_first: int  # twips; negative for a hanging indent
    indent_left: int
    indent_right: int
    space_before: int  # twips
    space_after: int
    line: int | None  # w:spacing/@line
    line_rule: str  # "auto" (240ths of a line), "exact", "atLeast"
    borders: set[str]  # drawn sides of the paragraph border: "top", "bottom", …
    auto_number: str | None  # Word's automatic numbering (w:numPr): its w:numFmt ("decimal", "upperRoman",
    # "lowerLetter", "bullet" …); the label itself is not in the text
    in_table: bool
    top_level: bool  # directly in the body (not in a table, text box, header)
    number_label: str = ""  # the label Word shows for ``auto_number`` ("1.", "2.1.", "a)"; "-" for a bullet)
    found_shapes: list[LineShape] | None = field(default=None, repr=False)  # ``shapes``, once looked for

    @property
    def shapes(self) -> list[LineShape]:
        """The lines drawn in (anchored to) this paragraph, looked for when first asked."""
        if self.found_shapes is None:
            self.found_shapes = line_shapes(self.el)
        return self.found_shapes

    @property
    def stripped(self) -> str:
        return self.text.strip()

    @property
    def position(self) -> int:
        """Its place in ``Document.paragraphs`` (0-based): ``paragraphs.index(p)`` in constant time."""
        return self.place.index - 1

    @property
    def lines(self) -> list[str]:
        return [x.strip() for x in self.text.split("\n") if x.strip()]

    @property
    def first_line(self) -> str:
        """``lines[0]`` ('' when there is none) without splitting every line: what scans of all paragraphs ask."""
        return self.stripped.split("\n", 1)[0].strip()

    def all(self, attr: str) -> bool:
        if attr == "bold":  # the flags every paragraph is asked for: read without getattr
            return bool(self.runs) and all(r.bold for r in self.runs)
        if attr == "italic":
            return bool(self.runs) and all(r.italic for r in self.runs)
        return bool(self.runs) and all(getattr(r, attr) for r in self.runs)

    def none(self, attr: str) -> bool:
        return not any(getattr(r, attr) for r in self.runs)

    def sizes(self) -> set[float]:
        return {r.size for r in self.runs}

    def shown_upper(self) -> bool:
        return all(r.caps or r.text == r.text.upper() for r in self.runs)


@dataclass
class Table:
    index: int
    rows: list[list[list[Para]]]  # rows → cells → paragraphs
    borders: bool  # any visible table or cell border

    def text(self) -> list[list[str]]:
        return [["\n".join(p.text for p in cell) for cell in row] for row in self.rows]


@dataclass
class Section:
    index: int
    width: int  # twips
    height: int
    margins: dict[str, int]  # "top", "bottom", "left", "right": twips
    title_page: bool  # "Different first page"
    page_start: int | None  # w:pgNumType/@start
    header_page_field: dict[str, bool]  # header type in use ("default", "first", "even") -> has a PAGE field
    footer_page_field: dict[str, bool]
    header_page_align: dict[str, str]  # header type -> alignment of the paragraph holding PAGE ("tab": by tabs)
    header_page_size: dict[str, float]


@dataclass
class Rule:
    """A horizontal rule under an element, in whichever form it was drawn."""
    shape: LineShape
    para: Para  # where it is anchored or drawn
    length: int | None  # twips; for a border: the width it spans; None when the file gives no geometry


@dataclass
class Number:
    para: Para
    text: str
    number: str  # digits, "" when blank (a draft)
    year: str | None  # legal form: "30/2020/NĐ-CP"
    symbol: str  # "KH-UBND", "NĐ-CP"
    well_formed: bool


@dataclass
class DateLine:
    para: Para
    text: str
    place_name: str
    day: str  # "" when blank (a draft)
    month: str
    year: str
    well_formed: bool


@dataclass
class HeaderBlock:
    parent: list[Para]  # the parent agency's lines (not bold)
    agency: list[Para]  # the issuing agency's lines (bold)
    agency_rule: Rule | None
    national: Para  # the block is found by it
    motto: Para | None  # may be the national name's paragraph (after a line break)
    motto_text: str
    motto_rule: Rule | None
    number: Number | None
    date: DateLine | None
    about: list[Para]  # "V/v …" of a công văn


@dataclass
class Title:
    type_para: Para
    type_name: str  # "KẾ HOẠCH"
    summary: list[Para]
    summary_rule: Rule | None
    issuer_line: Para | None  # a legal document's "CHỦ TỊCH ỦY BAN NHÂN DÂN …" under the summary


@dataclass
class Item:
    """A numbered heading or line: 'Phần I', 'Chương II', 'Mục 1', 'Điều 3.', 'I.', '1.', '2.1.', 'a)', '-', '+'."""
    para: Para
    level: str  # "part", "chapter", "section", "article", "roman", "arabic", "decimal", "letter", "dash", "plus"
    label: str  # as typed ("II", "2.1", "đ"); for Word's automatic numbering, as Word shows it ("e)")
    value: int | None  # its number (typed letters: place in the Vietnamese alphabet); None when Word counts
    depth: int = 1  # for decimals: 2 for "2.1.", 3 for "2.1.3."


@dataclass
class Signature:
    authority: Para  # "KT. CHỦ TỊCH", "TM. ỦY BAN NHÂN DÂN"
    form: str | None  # "TM", "KT", "Q", "TL", "TUQ", or None (the head signs personally)
    positions: list[Para]
    signer: Para | None
    blank_lines: int  # empty paragraphs between position and name


@dataclass
class Recipients:
    title: Para
    entries: list[tuple[str, list[Para]]]  # each recipient's text and the paragraphs it spans


@dataclass
class Appendix:
    label: Para
    title: list[Para]
    reference: Para | None  # "(Kèm theo …)"
    section: int


@dataclass
class Document:
    path: str
    kind: str  # "administrative", "legal", "appendix" (an appendix file on its own), "unknown"
    doc_type: str | None  # "Kế hoạch", "Công văn", "Nghị định" …
    type_abbr: str | None
    sections: list[Section]
    paragraphs: list[Para]  # every paragraph of the body in reading order, table cells included
    tables: list[Table]
    header: HeaderBlock | None
    title: Title | None
    body: list[Para]  # the body's own text paragraphs (top level, between title and signature)
    items: list[Item]
    signature: Signature | None
    recipients: Recipients | None
    appendices: list[Appendix]
    draft: bool  # number or day left blank for the registry
    pages: int | None = None  # page count saved by Word in docProps/app.xml
    addressees: list[str] = field(default_factory=list)  # "Kính gửi: …" — one or more recipients (§9)
    bases: list[Para] = field(default_factory=list)  # the legal bases, "Căn cứ …" (§4)
    notes: list[str] = field(default_factory=list)  # what the reader could not make out

    def kind_words(self) -> str:
        kinds = {"administrative": "văn bản hành chính", "legal": "văn bản quy phạm pháp luật",
                 "appendix": "phụ lục (tệp riêng)", "unknown": "chưa rõ loại"}
        out = kinds[self.kind]
        if self.doc_type:
            out += f" — {self.doc_type}" + (f" ({self.type_abbr})" if self.type_abbr else "")
        return out
