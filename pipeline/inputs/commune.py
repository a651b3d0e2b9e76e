"""commune.yaml: the commune, its issuing body, its leaders and its units."""

import datetime as dt
from typing import Annotated, Any

from pydantic import AfterValidator, ConfigDict, Field, StringConstraints, model_validator

from pipeline.decree.vietnamese import upper
from pipeline.inputs.fields import Base, HasObsolete, Id, Text

BODY = "Ủy ban nhân dân"  # the issuing body of every commune, ward and special zone
MADE_NAMES = ("name_lines", "full_name", "short_name")  # the agency's names a file may leave to unit_word


def _names_optional(schema: dict[str, Any]) -> None:
    schema["required"] = [name for name in schema.get("required", []) if name not in MADE_NAMES]


class Agency(Base):
    """The issuing body as printed in the header block."""

    # A file may leave out its three names: the commune makes them from unit_word and name before the
    # agency is validated (Commune._agency_names), so every Agency has them and the schema asks for none.
    # (The docstring above is the schema's description.)
    model_config = ConfigDict(json_schema_extra=_names_optional)

    name_lines: list[Text] = Field(min_length=1, max_length=3, description=(
        "Tên cơ quan ở góc trái phía trên văn bản, mỗi phần tử một dòng. Không ghi thì là 'ỦY BAN NHÂN DÂN' "
        "và unit_word cùng name viết hoa, ví dụ ['ỦY BAN NHÂN DÂN', 'PHƯỜNG HÒA SƠN']."))
    full_name: Text = Field(description=(
        "Tên đầy đủ của cơ quan khi trích dẫn văn bản ('… của Ủy ban nhân dân phường Hòa Sơn'). "
        "Không ghi thì là 'Ủy ban nhân dân' rồi unit_word và name."))
    short_name: Text = Field(description=(
        "Tên ngắn của cơ quan, đứng trước name trong câu ('UBND phường Hòa Sơn ban hành …'). "
        "Không ghi thì là 'UBND' rồi unit_word."))
    symbol: Text  # "UBND": the agency part of the number symbol
    collective: Text  # "ỦY BAN NHÂN DÂN": the TM. line
    head_position: Text  # "Chủ tịch"
    parent_line: Text | None = None  # for the committee itself: none


class Leader(HasObsolete):
    OBSOLETE = {"also": "chức vụ kiêm nhiệm không được in ở văn bản nào; khi cần, hãy viết nó trong nội dung "
                        "văn bản (ví dụ 'Phó Chủ tịch UBND xã kiêm Giám đốc Trung tâm Phục vụ hành chính công')"}

    id: Id
    name: Text | None = None
    position: Text  # "Phó Chủ tịch"


class Unit(Base):
    id: Id
    name: Text  # "Trung tâm Phục vụ hành chính công"
    short: Text | None = None  # "TTPVHCC"
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


# a short form: capitals (Vietnamese ones too) and digits, at least two characters: "CCHC", "TTPVHCC"
ShortForm = Annotated[str, StringConstraints(pattern=r"^[A-ZĐ][A-ZĐ0-9]+$")]


class Commune(Base):
    province: Text  # the province's name
    name: Text  # the commune's name, without its unit word ("Hòa Sơn")
    unit_word: Annotated[Text, AfterValidator(str.lower)] = Field(
        default="xã", examples=["xã", "phường", "đặc khu"], description=(
        "Chữ chỉ đơn vị hành chính: xã, phường hoặc đặc khu. Ghép với name thành tên cơ quan ban "
        "hành khi agency không ghi: 'ỦY BAN NHÂN DÂN / PHƯỜNG HÒA SƠN' ở đầu văn bản, 'Ủy ban nhân dân phường "
        "Hòa Sơn' khi trích dẫn, 'UBND phường Hòa Sơn' trong câu."))
    place: Text  # the place name on the date line (the commune's official name)
    established: dt.date | None = Field(default=None, examples=["2025-07-01"], description=(
        "Ngày thành lập (YYYY-MM-DD), ví dụ 2025-07-01 với xã, phường hình thành khi sắp xếp đơn vị hành chính "
        "cấp xã. Số liệu báo cáo không tính từ trước ngày này; báo cáo có kỳ bắt đầu trước ngày này ghi rõ số "
        "liệu trước đó thuộc các đơn vị hành chính trước sắp xếp. Không ghi nếu đơn vị không sắp xếp lại."))
    agency: Agency
    leaders: list[Leader] = Field(min_length=1)
    units: list[Unit] = Field(min_length=1)
    groups: list[UnitGroup] = []
    abbreviations: dict[ShortForm, Text] = Field(default={}, examples=[{"CCHC": "cải cách hành chính"}], description=(
        "Chữ viết tắt dùng trong các văn bản và nghĩa đầy đủ của nó, mỗi chữ một dòng (CCHC: cải cách hành "
        "chính). Khai một lần ở đây: ở lần dùng đầu tiên trong mỗi văn bản (cả phụ lục, kế hoạch triển khai "
        "đứng riêng), chương trình viết nghĩa đầy đủ rồi chữ viết tắt trong ngoặc, 'cải cách hành chính (CCHC)'; "
        "các lần sau giữ chữ viết tắt. Chữ viết tắt chưa khai báo được vanban lint nhắc."))

    @model_validator(mode="before")
    @classmethod
    def _agency_names(cls, data: Any) -> Any:
        """The agency's names the file leaves out, made from the unit word and the commune's name."""
        agency = data.get("agency") if isinstance(data, dict) else None
        if not isinstance(agency, dict) or all(key in agency for key in MADE_NAMES):
            return data
        word, name = data.get("unit_word", "xã"), data.get("name")
        word = word.strip().lower() if isinstance(word, str) else "xã"  # a wrong one is reported as itself
        name = name.strip() if isinstance(name, str) else "…"
        made = {"name_lines": [upper(BODY), upper(f"{word} {name}")], "full_name": f"{BODY} {word} {name}",
                "short_name": f"UBND {word}"}
        return {**data, "agency": {**made, **agency}}
