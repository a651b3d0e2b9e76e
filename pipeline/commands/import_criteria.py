"""``vanban import --criteria ANNEX.docx|.xlsx --out DIR``: the province's criteria into DIR/inputs/criteria.

The annex is read (a Word file by ``pipeline.docread``; a workbook by openpyxl once ``ooxml.safezip`` has
checked the package and every XML part in it) and mapped by ``importer.criteria``. It is written to
``DIR/inputs/criteria/<id>.yaml`` (id ``chi_so_cchc``, the set the self-assessment report uses, unless
``--id``): a file that is vanban's draft (``sample: true``) is replaced; any other file there is left
alone (exit 5). When DIR holds a commune's inputs, they are then read back and linted, as ``vanban
import`` does, so the annex's slips come back as a to-do list with file and line.
Exit codes: 0, or 1 when the to-do list holds errors; 3 when the annex is missing, unreadable or holds no
criteria table; 4 when LibreOffice could not convert a .doc; 5 when a set the office wrote is in the way.
"""

from __future__ import annotations

import os
import re
import tempfile
from pathlib import Path

import click

from pipeline import errors as E

WORD = (".docx", ".doc", ".docm")
EXCEL = (".xlsx", ".xlsm")
DEFAULT_ID = "chi_so_cchc"
ID_RE = re.compile(r"[a-z][a-z0-9_]*")  # an input id (inputs/fields.py Id)


def read_workbook(path: Path):
    """The ``importer.criteria.Annex`` of an .xlsx, or the error that ends the command."""
    import xml.etree.ElementTree as ET
    import zipfile

    from pipeline.docread import limits
    from pipeline.importer.criteria import from_workbook
    from pipeline.ooxml import safezip

    label = f"tệp Excel {path.name}"
    try:
        data = safezip.read_verified(path, label)
        zf = safezip.open_zip(data, label)
        for name in zf.namelist():  # no DTD, no broken XML in any part (openpyxl would parse them)
            if name.endswith((".xml", ".rels", ".vml")):
                safezip.parse_et(safezip.read_member(zf, name, label), label)
        return from_workbook(data)
    except (safezip.unreadable_errors() + (zipfile.BadZipFile, ET.ParseError, TypeError, IndexError)) as exc:
        raise E.UnreadableDocx(f"{path}: {limits.why(exc, str(path), label)} — hãy mở bằng Excel và lưu lại dạng .xlsx") \
            from None


def read_annex(path: Path, read_document):
    """The annex at ``path``; a Word file through ``read_document`` (``import_``'s, with its error messages)."""
    from pipeline.importer.criteria import from_document

    if not path.is_file():
        raise E.UnreadableDocx(f"không có tệp '{path}'")
    suffix = path.suffix.lower()
    if suffix in EXCEL:
        return read_workbook(path)
    if suffix in WORD:
        return from_document(read_document(path))
    raise E.UnreadableDocx(f"'{path.name}' không phải tệp Word (.docx, .doc) hay Excel (.xlsx)")


def _is_draft(path: Path) -> bool:
    import yaml

    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return False
    return isinstance(data, dict) and data.get("sample") is True


def import_criteria(source: Path, out_dir: Path, set_id: str | None, read_document) -> None:
    from pipeline.docread import limits
    from pipeline.importer.criteria import criteria_set
    from pipeline.importer.summary import todo_list
    from pipeline.importer.write import HEADER
    from pipeline.importer.yamlout import dump

    set_id = set_id or DEFAULT_ID
    if not ID_RE.fullmatch(set_id):
        raise E.BadUsage(f"mã bộ tiêu chí '{set_id}' không hợp lệ: chỉ dùng chữ thường không dấu, số và '_'")
    target = out_dir / "inputs"
    path = target / "criteria" / f"{set_id}.yaml"
    if path.exists() and not _is_draft(path):
        raise E.FolderNotEmpty(f"đã có bộ tiêu chí {path} (không phải bản dự thảo của chương trình). Chọn --id "
                               "khác, hoặc tự xóa tệp đó nếu chắc chắn không cần.")
    with limits.budget(str(source), limits.budget_s(source)):
        annex = read_annex(source, read_document)
        try:
            imported = criteria_set(annex, set_id)
        except LookupError as exc:
            raise E.UnreadableDocx(f"{source}: {exc}") from None
    text, notes = dump(imported.data, HEADER.format(src=source.name))
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".vanban-import-", suffix=".yaml", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as f:
            f.write(text)
        os.replace(tmp, path)  # whole or not at all
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    areas = imported.data["areas"]
    click.echo(f"Đã nhập bộ tiêu chí từ {source.name} vào {path}: {len(areas)} lĩnh vực, {imported.rows} dòng, "
               f"tổng điểm tối đa {imported.data['max']:g}.")
    rel = path.relative_to(target).as_posix()
    if (target / "plan.yaml").is_file() and todo_list(target, {rel: notes}, {rel: imported.data}):
        raise E.Findings()
    if not (target / "plan.yaml").is_file():
        for line, note in notes:
            click.echo(f"  {path}:{line}: {note}")
