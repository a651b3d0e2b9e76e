"""commune.yaml: the commune, its issuing body, its leaders and its units."""

from pydantic import Field

from pipeline.inputs.fields import Base, Id, Text


class Agency(Base):
    """The issuing body as printed in the header block."""

    name_lines: list[Text] = Field(min_length=1, max_length=3)  # ["ỦY BAN NHÂN DÂN", "XÃ A"]
    full_name: Text  # "Ủy ban nhân dân xã A"
    short_name: Text  # "UBND xã"
    symbol: Text  # "UBND": the agency part of the number symbol
    collective: Text  # "ỦY BAN NHÂN DÂN": the TM. line
    head_position: Text  # "Chủ tịch"
    parent_line: Text | None = None  # for the committee itself: none


class Leader(Base):
    id: Id
    name: Text | None = None
    position: Text  # "Phó Chủ tịch"
    also: Text | None = None  # "kiêm Giám đốc Trung tâm Phục vụ Hành chính công"


class Unit(Base):
    id: Id
    name: Text  # "Trung tâm Phục vụ Hành chính công"
    short: Text | None = None  # "Trung tâm PV HCC"
    symbol: Text | None = None  # for documents the unit issues: "KH-TTPVHCC"
    archive_code: Text | None = None  # "VP" in "Lưu: VT, VP."
    head: Text | None = None  # "Giám đốc", for documents the unit signs itself
    variants: list[Text] = []  # other spellings seen in hand-made documents (lint)

    @property
    def display_short(self) -> str:
        return self.short or self.name


class UnitGroup(Base):
    """A collective partner: 'Các phòng chuyên môn UBND xã'."""

    id: Id
    name: Text


class Commune(Base):
    province: Text  # the province's name
    name: Text  # the commune's name, without "xã"
    unit_word: Text = "xã"  # "xã" | "phường" | "đặc khu"
    place: Text  # the place name on the date line (the commune's official name)
    agency: Agency
    leaders: list[Leader] = Field(min_length=1)
    units: list[Unit] = Field(min_length=1)
    groups: list[UnitGroup] = []
    abbreviations: dict[Text, Text] = {}  # "TTHC": "thủ tục hành chính"
