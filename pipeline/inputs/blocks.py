"""Body blocks besides paragraphs: a table, a schedule and a nested outline (docs/body-blocks.md).

A table (``table:``) has its columns (a title, or a mapping with the title, a width in
millimetres, an alignment and the merged header cell it stands under), and its rows: a list
of cells, or a heading row across the table (``heading:``). An outline (``outline:``) is a
list of entries, each a line of text or a mapping with its text and the entries under it; its
``labels`` say how each level is numbered (I., 1., 1.1., a), -, +, or nothing). A schedule
(``schedule:``) is a table whose last column is a deadline per row, held as data (``when``: the
deadline of a task), so that the lint checks it against the plan's period.
"""

from typing import Annotated, Any, Iterator, Literal, Union

from pydantic import BeforeValidator, Field, model_validator

from pipeline.inputs.fields import Base, Text
from pipeline.inputs.when import Deadline

MAX_COLUMNS = 20  # a landscape page holds about 20 narrow columns (statistics tables)
MAX_DEPTH = 4  # I. → 1. → a) → -: the deepest outline the decree's documents use


def _cell_text(value: Any) -> Any:
    """A cell typed as a number (``1``, ``2.5``) is its text; a missing cell (``~``) is empty."""
    if value is None:
        return ""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return f"{value:g}" if isinstance(value, float) else str(value)
    return value


Cell = Annotated[str, BeforeValidator(_cell_text)]


class Column(Base):
    title: Text
    width: float | None = Field(default=None, gt=0, le=300)  # mm; shares of the width when absent
    align: Literal["left", "center", "right", "both"] = "left"
    group: Text | None = None  # a merged header cell above this and the next columns of the same group


def _column(value: Any) -> Any:
    return {"title": value} if isinstance(value, (str, int)) and not isinstance(value, bool) else value


class Heading(Base):
    """A row across the table: a group's number and title, bold ("I | Cơ quan chuyên môn cấp tỉnh")."""

    heading: Text
    number: Cell = ""


Row = Union[list[Cell], Heading]


class TableSpec(Base):
    columns: list[Annotated[Column, BeforeValidator(_column)]] = Field(min_length=1, max_length=MAX_COLUMNS)
    rows: list[Row] = Field(min_length=1)
    landscape: bool = False  # sized for a landscape page (appendices are)

    @model_validator(mode="after")
    def _widths(self) -> "TableSpec":
        n = len(self.columns)
        for i, row in enumerate(self.rows, 1):
            if isinstance(row, list) and len(row) != n:
                raise ValueError(f"hàng {i} của bảng có {len(row)} ô, bảng có {n} cột: mỗi hàng ghi đủ {n} ô "
                                 "(ô trống ghi \"\")")
        groups = [c.group for c in self.columns]
        for g in set(x for x in groups if x):
            at = [i for i, x in enumerate(groups) if x == g]
            if at != list(range(at[0], at[-1] + 1)):
                raise ValueError(f"các cột của nhóm '{g}' phải đứng liền nhau")
        return self


class Table(Base):
    table: TableSpec


class Dated(Base):
    """A row of a schedule: its cells, then its deadline."""

    cells: list[Cell] = Field(min_length=1)
    when: Deadline


class ScheduleSpec(Base):
    columns: list[Annotated[Column, BeforeValidator(_column)]] = Field(min_length=1, max_length=MAX_COLUMNS - 1)
    when: Text = "Thời gian"  # the title of the last column, where each row's deadline is printed
    rows: list[Union[Dated, Heading]] = Field(min_length=1)

    @model_validator(mode="after")
    def _widths(self) -> "ScheduleSpec":
        n = len(self.columns)
        for i, row in enumerate(self.rows, 1):
            if isinstance(row, Dated) and len(row.cells) != n:
                raise ValueError(f"hàng {i} của lịch có {len(row.cells)} ô, lịch có {n} cột trước cột thời gian: "
                                 f"mỗi hàng ghi đủ {n} ô (ô trống ghi \"\") và thời gian ở 'when'")
        return self


class Schedule(Base):
    schedule: ScheduleSpec


Label = Literal["roman", "number", "decimal", "letter", "dash", "plus", "none"]


class Entry(Base):
    text: Text
    items: list["EntryItem"] = []


EntryItem = Union[Text, Entry]


class OutlineSpec(Base):
    labels: list[Label] = Field(default=["roman", "number", "letter", "dash"], min_length=1, max_length=MAX_DEPTH)
    items: list[EntryItem] = Field(min_length=1)

    @model_validator(mode="after")
    def _depth(self) -> "OutlineSpec":
        def depth(items: list) -> int:
            return 1 + max((depth(e.items) for e in items if isinstance(e, Entry) and e.items), default=0)
        if depth(self.items) > len(self.labels):
            raise ValueError(f"dàn ý sâu {depth(self.items)} cấp mà 'labels' chỉ ghi cách đánh số "
                             f"{len(self.labels)} cấp: thêm cách đánh số cho cấp dưới (number, letter, dash …)")
        return self


class Outline(Base):
    outline: OutlineSpec


Entry.model_rebuild()


def schedule_rows(key: str, base: tuple, items: list) -> Iterator[tuple[str, tuple, Any]]:
    """(file key, path of its ``when``, deadline parts) of each dated row of the schedules among a
    section's ``items`` (``base``: their path), those inside clauses too."""
    for ii, item in enumerate(items):
        if isinstance(item, Schedule):
            for ri, row in enumerate(item.schedule.rows):
                if isinstance(row, Dated):
                    yield key, base + (ii, "schedule", "rows", ri, "when"), row.when
        elif hasattr(item, "clause"):  # a Clause (document.py, which imports this module)
            yield from schedule_rows(key, base + (ii, "items"), item.items)


def dated_rows(items: list) -> Iterator[Dated]:
    """The dated rows of the schedules among ``items``, those inside clauses too."""
    for item in items:
        if isinstance(item, Schedule):
            yield from (r for r in item.schedule.rows if isinstance(r, Dated))
        elif hasattr(item, "clause"):
            yield from dated_rows(item.items)
