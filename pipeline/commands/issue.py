"""``vanban issue``: a document signed and registered (number, date) is issued, and kept as issued.

For the plan or a sub-plan the number and date go into its YAML file (through the comment-keeping
``inputs.yamlpatch``: exactly those lines change), so the document itself and every document citing
it say "Kế hoạch số 12/KH-UBND ngày 14 tháng 7 năm 2025 …". The set is then built, and the document
is recorded as issued in the manifest in the same commit (``output.issued``): later builds never
change it. A report has no number in the inputs (one file makes the reports of every period): its
number and date go into the record (the register) only. ``--file`` adopts the office's own
hand-finished .docx or the signed scan (.pdf) as the issued version.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import click

from pipeline import errors as E
from pipeline.paths import near_option

if TYPE_CHECKING:
    from pipeline.inputs.document import DocumentSpec

MAX_ADOPTED = 100 * 1024 * 1024  # a signed scan of a long plan stays well under it


@dataclass
class Target:
    """The document being issued: its output, the spec saying its symbol and signer, its YAML file."""

    path: str  # inside the outputs folder
    title: str
    spec: DocumentSpec
    yaml_file: Path | None  # None: a report (its number lives in the register only)
    key: str = ""  # its file key in the inputs
    parts: tuple[str, ...] = ()  # the appendices issued with the plan (each also a file of its own)


@click.command("issue")
@click.argument("document")
@click.option("--number", required=True, help="Số và ký hiệu đã vào sổ, ví dụ 12/KH-UBND.")
@click.option("--date", "issued_on", required=True, help="Ngày ký ban hành: 2025-07-14 hoặc 14/7/2025.")
@click.option("--file", "adopted", type=click.Path(path_type=Path), default=None,
              help="Nhận tệp này làm bản ban hành: bản Word đã hoàn thiện (.docx) hoặc bản scan đã ký (.pdf).")
@click.option("--pdf", "make_pdf", is_flag=True,
              help="Chuyển bản ban hành sang PDF (thư mục <--out>/pdf) và ghi nhận PDF đó cùng bản ban hành.")
@click.option("--inputs", "inputs_dir", type=click.Path(path_type=Path), default=Path("inputs"), show_default=True,
              callback=near_option, help="Thư mục dữ liệu đầu vào (YAML).")
@click.option("--out", "out_dir", type=click.Path(path_type=Path), default=Path("outputs"), show_default=True,
              callback=near_option, help="Thư mục kết quả.")
def issue_command(document: str, number: str, issued_on: str, adopted: Path | None, make_pdf: bool,
                  inputs_dir: Path, out_dir: Path) -> None:
    """Ghi nhận văn bản đã ký, vào sổ (số, ngày) và ban hành; từ đó vanban giữ nguyên văn bản này."""
    rel = issue_document(inputs_dir, out_dir, document, number, issued_on, adopted)
    if make_pdf:
        issued_pdf(out_dir, rel)


def issued_pdf(out_dir: Path, rel: str) -> None:
    """The issued .docx to PDF (``outputs/pdf``, as ``vanban pdf`` makes it), its hash added to the record
    under the folder's lock: later builds keep both, as they never change the .docx."""
    import json

    from pipeline.commands.pdf import convert_and_report
    from pipeline.ooxml.package import atomic_write
    from pipeline.output import issued as iss
    from pipeline.output import manifest as mf
    from pipeline.output.commit import Lock

    pdfs = convert_and_report([Path(out_dir) / rel], out_dir, Path(out_dir) / "pdf", "auto", 600)
    root = Path(out_dir).resolve()
    pdf_rel = pdfs[0].resolve().relative_to(root).as_posix()
    with Lock(root):
        manifest = mf.read(root)
        if manifest is None or rel not in iss.records(manifest, root):
            raise E.EnvironmentFault(root / mf.MANIFEST_NAME, "tệp ghi nhận đã đổi trong lúc chuyển PDF; chạy lại lệnh")
        manifest[iss.ISSUED_KEY][rel]["pdf"] = {"path": pdf_rel, "sha256": mf.file_sha256(root / pdf_rel)}
        text = json.dumps(manifest, sort_keys=True, indent=2, ensure_ascii=False) + "\n"
        atomic_write(root / mf.MANIFEST_NAME, text.encode("utf-8"))
    click.echo(f"  PDF của bản ban hành: {Path(out_dir) / pdf_rel} (đã ghi nhận).")


def issue_document(inputs_dir: Path, out_dir: Path, document: str, number: str, issued_on: str,
                   adopted: Path | None = None) -> str:
    """What ``vanban issue`` does (tests call it too): check, write the number and date into the
    inputs, build and record, all or nothing (the inputs are put back if the build fails)."""
    from pipeline.inputs.validate import load_inputs
    from pipeline.output import issued as iss
    from pipeline.output import manifest as mf

    inputs = load_inputs(inputs_dir)
    target = find_target(inputs, document, out_dir)
    num, date = _checked_number(inputs, target, number), _checked_date(issued_on)
    previous = mf.read(out_dir)
    records = iss.records(previous, out_dir)
    if _already(records, target, num, date, adopted):
        return target.path
    _refuse_duplicate(iss.registered(records), target, num, date)
    content = _adopted_bytes(adopted, target) if adopted else None
    if content is None:
        _refuse_hand_edited(out_dir, target, previous)
    details = _details(inputs, target, num, date)
    is_pdf = adopted is not None and adopted.suffix.lower() == ".pdf"
    issue = iss.Issue(target.path, details, adopted=None if is_pdf else content, scan=content if is_pdf else None,
                      parts=target.parts)
    original = target.yaml_file.read_bytes() if target.yaml_file else None
    if target.yaml_file is not None:
        _write_number(target, num[0], date)
    try:
        result = _build(inputs_dir, out_dir, issue)
    except BaseException:
        if target.yaml_file is not None and original is not None:
            from pipeline.ooxml.package import atomic_write

            atomic_write(target.yaml_file, original)
        raise
    _report(result, out_dir, target, details, issue)
    return target.path


def _build(inputs_dir: Path, out_dir: Path, issue):
    import time

    from pipeline.build.run import run_build
    from pipeline.commands.build import files_in, report_build

    started, before = time.perf_counter(), files_in(out_dir)
    result = run_build(inputs_dir, out_dir, issue=issue)
    if issue.path not in {p for p, _ in result.built}:
        raise E.Bug(RuntimeError(f"{issue.path} is not an output of the build"))
    report_build(result, out_dir, time.perf_counter() - started, [], before, only_changed=True)
    return result


def find_target(inputs, document: str, out_dir: Path) -> Target:
    """The plan or a sub-plan by its id, or any document by its file (inside the outputs folder or not)."""
    from pipeline.inputs.outnames import file_stem
    from pipeline.plan.documents import SUBPLAN_DIR, plan_build
    from pipeline.plan.report_context import report_document
    from pipeline.plan.report_kinds import plan_reports
    from pipeline.inputs.textrefs import Refs

    planned = plan_build(inputs)
    appendices = tuple(d.path for d in planned[1:1 + len(inputs.appendices)])
    by_id = {inputs.plan.id: Target(f"{file_stem(inputs.plan)}.docx", planned[0].title, inputs.plan,
                                    inputs.files["plan"], "plan", appendices)}
    for key, sp in zip(inputs.subplan_keys, inputs.subplans):
        path = f"{SUBPLAN_DIR}/{file_stem(sp)}.docx"
        by_id[sp.id] = Target(path, next(d.title for d in planned if d.path == path), sp, inputs.files[key], key)
    wanted = _as_output(document, out_dir)
    for t in by_id.values():
        if document == t.path or wanted == t.path:
            return t
    if document in by_id:
        return by_id[document]
    refs, reports = Refs(inputs), plan_reports(inputs)
    for doc, rep in zip(planned[len(planned) - len(reports):], reports):
        if wanted == doc.path:
            return Target(doc.path, doc.title, report_document(refs, rep), None)
    if wanted in {d.path for d in planned}:
        raise E.BadUsage(f"'{document}' là phụ lục, ban hành kèm theo Kế hoạch: hãy ban hành Kế hoạch "
                         f"({inputs.plan.id}).")
    names = ", ".join(sorted(by_id))
    raise E.BadUsage(f"không có văn bản '{document}': ghi mã của kế hoạch hoặc kế hoạch triển khai ({names}), "
                     "hoặc đường dẫn tệp của văn bản trong thư mục kết quả (ví dụ outputs/bao-cao/….docx).")


def _as_output(document: str, out_dir: Path) -> str:
    """``document`` as a '/'-path inside the outputs folder: 'outputs/x.docx', an absolute path, 'x.docx'."""
    given = Path(document)
    for base in (Path(out_dir), Path(out_dir).resolve()):
        try:
            return (given if given.is_absolute() else Path.cwd() / given).resolve().relative_to(base.resolve()).as_posix()
        except ValueError:
            continue
    return given.as_posix()


def _checked_number(inputs, target: Target, number: str) -> tuple[int, str]:
    from pipeline.inputs.textrefs import Refs
    from pipeline.output.issued import parse_number

    parsed = parse_number(number)
    if parsed is None:
        raise E.BadUsage(f"--number '{number}': cần số và ký hiệu như trong sổ, ví dụ 12/KH-UBND.")
    expected = Refs(inputs).symbol(target.spec)
    if parsed[1].upper() != expected.upper():
        raise E.BadUsage(f"--number '{number}': ký hiệu '{parsed[1]}' khác ký hiệu của văn bản này ('{expected}', "
                         f"{target.title}); kiểm tra lại số trong sổ đăng ký văn bản đi.")
    return parsed[0], expected


def _checked_date(text: str) -> dt.date:
    from pipeline.output.issued import parse_date

    from pipeline.inputs.clock import today

    date = parse_date(text)
    if date is None:
        raise E.BadUsage(f"--date '{text}': cần ngày ký như 2025-07-14 hoặc 14/7/2025.")
    if date > today():
        raise E.BadUsage(f"--date '{text}': ngày ký {date.day}/{date.month}/{date.year} còn sau hôm nay "
                         f"({today().day}/{today().month}/{today().year}); văn bản chỉ ghi nhận sau khi đã ký.")
    return date


def _number_text(num: tuple[int, str]) -> str:
    return f"{num[0]:02d}/{num[1]}"  # the decree's leading zero, as the number line prints it


def _already(records: dict, target: Target, num: tuple[int, str], date: dt.date, adopted: Path | None) -> bool:
    """True (said) when this very issue was recorded; refuses another number or date for an issued one."""
    record = records.get(target.path)
    if record is None:
        return False
    same = record.get("number") == _number_text(num) and record.get("date") == date.isoformat()
    if same and adopted is None:
        click.echo(f"{target.path} đã ban hành số {record['number']} ngày {_vn_date(record['date'])}; không có gì "
                   "thay đổi.")
        return True
    raise E.BadUsage(f"{target.path} đã ban hành (số {record.get('number')} ngày {_vn_date(record.get('date'))}): "
                     "văn bản đã ban hành không sửa lại — sửa bằng văn bản mới.")


def _vn_date(iso) -> str:
    from pipeline.output.issued import parse_date

    day = parse_date(str(iso or ""))
    return f"{day.day}/{day.month}/{day.year}" if day else str(iso)


def _refuse_duplicate(records: dict, target: Target, num: tuple[int, str], date: dt.date) -> None:
    """A number is given once a year for one symbol (the register starts again on 1 January)."""
    text = _number_text(num)
    for rel, record in records.items():
        if rel != target.path and record.get("number") == text and str(record.get("date", ""))[:4] == str(date.year):
            raise E.BadUsage(f"số {text} năm {date.year} đã dùng cho {rel} ({record.get('title', '')}); "
                             "kiểm tra lại số trong sổ đăng ký văn bản đi.")


def _refuse_hand_edited(out_dir: Path, target: Target, previous: dict | None) -> None:
    from pipeline.output import manifest as mf

    on_disk = Path(out_dir) / target.path
    recorded = mf.entries(previous, out_dir).get(target.path)
    if on_disk.is_file() and recorded is not None and mf.file_sha256(on_disk) != recorded:
        raise E.BadUsage(
            f"{on_disk} đã bị sửa tay: nếu đó là bản đã ký, nhận nó làm bản ban hành bằng --file {on_disk}; "
            "muốn ban hành bản vanban tạo thì chạy 'vanban build --force' trước.")


def _adopted_bytes(path: Path, target: Target) -> bytes:
    """The office's file, read whole and checked: a Word file that opens, or a PDF."""
    from pipeline.ooxml import safezip

    suffix = path.suffix.lower()
    if suffix not in (".docx", ".pdf"):
        raise E.BadUsage(f"--file {path}: chỉ nhận bản Word (.docx) hoặc bản scan (.pdf).")
    if not path.is_file():
        raise E.MissingInput(f"không có tệp {path}")
    if path.stat().st_size > MAX_ADOPTED:
        raise E.BadUsage(f"--file {path}: tệp lớn hơn {MAX_ADOPTED // (1024 * 1024)} MB.")
    data = path.read_bytes()
    if suffix == ".pdf":
        if not data.startswith(b"%PDF-"):
            raise E.BadUsage(f"--file {path}: không phải tệp PDF.")
        return data
    try:
        safezip.open_docx(data, str(path))
    except safezip.unreadable_errors() as exc:
        raise E.UnreadableDocx(f"{path}: {exc}") from None
    return data


def _details(inputs, target: Target, num: tuple[int, str], date: dt.date) -> dict:
    """What the register shows: number, date, type and summary, signer, recipients, copies."""
    spec = target.spec
    sig = getattr(spec, "signature", None)
    leader = inputs.leaders.get(sig.signer) if sig else None
    recipients = getattr(spec, "recipients", None)
    details = {"number": _number_text(num), "date": date.isoformat(), "title": target.title,
               "signer": (leader.name or leader.position) if leader else "",
               "recipients": list(recipients.to) if recipients else [],
               "archive": list(recipients.archive) if recipients else []}
    if recipients and recipients.copies:
        details["copies"] = recipients.copies
    return details


def _write_number(target: Target, number: int, date: dt.date) -> None:
    """The number and date into the document's YAML file: those two values change (or, absent, get a
    line each below its id), comments and everything else stay as typed (``inputs.yamlpatch``)."""
    from pipeline.inputs.yamlpatch import set_keys
    from pipeline.ooxml.package import atomic_write

    assert target.yaml_file is not None
    text = target.yaml_file.read_bytes().decode("utf-8")
    patched = set_keys(text, {"number": number, "date": date.isoformat()}, after=("id", "ordered_by", "kind"))
    atomic_write(target.yaml_file, patched.encode("utf-8"))


def _report(result, out_dir: Path, target: Target, details: dict, issue) -> None:
    say = click.echo
    when = dt.date.fromisoformat(details["date"])
    say(f"{click.style('Đã ban hành:', fg='green')} {out_dir / target.path} — {target.title}, số {details['number']} "
        f"ngày {when.day}/{when.month}/{when.year}.")
    if target.yaml_file is None:
        say("  Báo cáo: số và ngày được ghi vào sổ (vanban register); nội dung văn bản giữ như bản ban hành.")
    else:
        say(f"  Số và ngày đã ghi vào {target.yaml_file}; mọi văn bản trích dẫn văn bản này đã được cập nhật.")
    if issue.adopted is not None:
        say(f"  Bản ban hành là tệp Word của văn phòng: {out_dir / target.path}.")
    if issue.scan is not None:
        from pipeline.output.issued import scan_path

        say(f"  Bản scan đã ký: {out_dir / scan_path(target.path)}.")
    say("  Từ nay 'vanban build' giữ nguyên văn bản này; thay đổi nội dung thì ban hành văn bản mới.")
