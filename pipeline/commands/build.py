"""``vanban build``: every document of one commune (or of many, in parallel), or ``--check``."""

from __future__ import annotations

import functools
import re
import time
from pathlib import Path

import click

from pipeline import errors as E
from pipeline.paths import SOFFICE_HELP
from pipeline.pdf.draft import DRAFT_HELP

DEFAULT_INPUTS = Path("inputs")
DEFAULT_OUT = Path("outputs")


@click.command()
@click.option("--inputs", "inputs_dirs", type=click.Path(path_type=Path), multiple=True,
              help="Thư mục dữ liệu đầu vào (YAML); mặc định 'inputs'. Nhiều xã: nhắc lại --inputs, "
                   "hoặc --inputs 'communes/*/inputs'.")
@click.option("--out", "out_dir", type=click.Path(path_type=Path), default=None,
              help="Thư mục ghi văn bản; mặc định 'outputs' (nhiều xã: 'outputs' cạnh mỗi thư mục inputs).")
@click.option("--check", is_flag=True, help="Không ghi gì; báo lỗi nếu văn bản trong --out khác bản dựng mới.")
@click.option("--force", is_flag=True,
              help="Ghi đè cả văn bản đã bị sửa tay (bản sửa tay được lưu vào <--out>/.backup/ trước).")
@click.option("--strict", is_flag=True, help="Dừng cả khi soát lỗi (lint) chỉ có cảnh báo.")
@click.option("--pdf", "make_pdf", is_flag=True, help="Chuyển thêm mọi văn bản sang PDF (thư mục <--out>/pdf).")
@click.option("--pdf-backend", type=click.Choice(["auto", "libreoffice", "word"]), default="auto", show_default=True,
              help="Công cụ tạo PDF: LibreOffice, hoặc Word (Windows/macOS).")
@click.option("--draft", is_flag=True, help="Với --pdf: " + DRAFT_HELP[0].lower() + DRAFT_HELP[1:])
@click.option("--soffice", type=click.Path(exists=True, path_type=str), default=None, help="Với --pdf: " + SOFFICE_HELP)
@click.option("--jobs", type=click.IntRange(min=0), default=0,
              help="Số tiến trình song song (mặc định: số lõi CPU); 1: dựng trong một tiến trình.")
@click.pass_context
def build(ctx: click.Context, inputs_dirs: tuple[Path, ...], out_dir: Path | None, check: bool, force: bool,
          strict: bool, make_pdf: bool, pdf_backend: str, draft: bool, soffice: str | None, jobs: int) -> None:
    """Tạo lại toàn bộ văn bản từ dữ liệu đầu vào (một xã, hoặc nhiều xã song song)."""
    from pipeline.paths import near

    dirs = expand_inputs(inputs_dirs) or [near(DEFAULT_INPUTS, "inputs")]
    if len(dirs) > 1:
        from pipeline.build.batch import batch_build

        if check or make_pdf:
            raise click.UsageError("--check và --pdf dùng cho từng xã một")
        ctx.exit(batch_build(dirs, out_dir, strict=strict, force=force, jobs=jobs or None))
    inputs_dir, out_dir = dirs[0], out_dir or (DEFAULT_OUT if inputs_dirs else near(DEFAULT_OUT, "outputs"))
    started = time.perf_counter()
    if check:
        check_outputs(inputs_dir, out_dir, strict)
        return
    from pipeline.output import manifest as mf
    from pipeline.build.run import run_build

    edited_before = mf.hand_edited_on_disk(out_dir) if force else []
    before = files_in(out_dir)
    result = run_build(inputs_dir, out_dir, strict=strict, force=force, jobs=jobs or None)
    report_build(result, out_dir, time.perf_counter() - started, edited_before, before)
    report_placeholders(result, out_dir, listed=not make_pdf or draft)  # else the PDF step's refusal lists them
    if make_pdf:
        from pipeline.commands.pdf import convert_and_report

        pdfs = convert_and_report([out_dir / p for p, _ in result.built], out_dir, out_dir / "pdf", pdf_backend, 600,
                                  soffice=soffice, draft=draft)
        click.echo(f"PDF: {len(pdfs)} tệp trong {out_dir / 'pdf'}.")
    if result.kept:  # the others are written; exit 5 so that a script or hook sees the set is not as built
        raise E.RefusedOverwrite([out_dir.resolve() / p for p in result.kept])


def files_in(out_dir: Path) -> set[str]:
    """The files in the outputs folder before a build ('/'-paths inside it): its report tells the
    documents it created from those it updated."""
    import os

    found: set[str] = set()
    for folder, _, names in os.walk(out_dir):
        rel = Path(folder).relative_to(out_dir)
        found.update((rel / name).as_posix() for name in names)
    return found


def report_build(result, out_dir: Path, secs: float, edited_before: list, before: set[str],
                 only_changed: bool = False) -> None:
    """What a build did: each output created, updated or unchanged (``only_changed``: those written;
    ``before``: the files there were, from ``files_in``), removed outputs, the lint's warnings."""
    if result.unchanged_sources:  # nothing was loaded or rendered
        if result.warnings:
            click.echo(f"Soát lỗi: {len(result.warnings)} cảnh báo (như lần tạo trước):", err=True)
            for line in result.warnings:
                click.echo(line, err=True)
        click.echo(f"Không có gì thay đổi: {len(result.built)} văn bản trong {out_dir} đã đúng với dữ liệu "
                   f"({secs:.2f} giây).")
        return
    say, Y = click.echo, _yellow
    if result.warnings:
        say(f"{Y('Soát lỗi: %d cảnh báo' % len(result.warnings))} (không dừng; thêm --strict để dừng):", err=True)
        for f in result.warnings:
            say(f.format(), err=True)
    for rel, backup in edited_before:
        say(f"  {Y('đã lưu bản sửa tay')} {out_dir / rel} → {backup}")
    for path, title in result.built:
        if only_changed and path not in result.changed:
            continue
        if path not in result.changed:
            mark = click.style("không đổi ", dim=True)
        else:
            mark = Y("cập nhật ") if path in before else Y("tạo mới  ")
        say(f"  {mark}  {out_dir / path}  {click.style(f'— {title}', dim=True)}")
    made = {p for p, _ in result.built}
    for rel in result.changed:
        if rel not in made:
            say(f"  {Y('đã xóa')}  {out_dir / rel}  {click.style('— không còn trong dữ liệu đầu vào', dim=True)}")
    report_held(result, out_dir)
    if result.reason:
        say(f"{Y('Lý do:')} {result.reason}")
    say(f"{click.style('Xong:', fg='green')} {len(result.built)} văn bản ({len(result.changed)} thay đổi) "
        f"trong {secs:.2f} giây.")


def report_held(result, out_dir: Path) -> None:
    """The documents the build did not write: issued ones the inputs now say otherwise, issued ones
    no longer on disk as issued, outputs edited by hand (kept)."""
    say, Y = click.echo, _yellow
    for rel in result.stale:
        say(f"  {Y('đã ban hành')}  {out_dir / rel}  — giữ nguyên bản đã ban hành; dữ liệu đầu vào nay khác "
            "bản này: đã ban hành — sửa bằng văn bản mới", err=True)
    for rel in result.missing:
        say(f"  {Y('đã ban hành')}  {out_dir / rel}  — tệp không còn như bản đã ban hành (bị xóa hoặc sửa); "
            "vanban không ghi lại: lấy lại bản đã ban hành từ git", err=True)
    for rel in result.kept:
        say(f"  {Y('sửa tay, giữ nguyên')}  {out_dir / rel}", err=True)


PLACEHOLDER_LINE = re.compile(r": cảnh báo placeholder\b")  # a lint warning remembered as its text
SHOWN_DOCUMENTS = 10  # documents the summary names one by one; the rest are counted


def report_placeholders(result, out_dir: Path, listed: bool = True) -> None:
    """How many "CẦN ĐIỀN" places the inputs still hold (the lint's warnings above name file, line and field)
    and which documents show them: the .docx are written for review, the PDF step refuses them without --draft.
    The documents are read only when the lint found a placeholder in the inputs; ``listed`` False: counted,
    not named one by one."""
    inputs = [w for w in result.warnings if (PLACEHOLDER_LINE.search(w) if isinstance(w, str)
                                             else w.rule == "placeholder")]
    if not inputs:
        return
    from pipeline.pdf.draft import unfilled

    left = unfilled([out_dir / p for p, _ in result.built])
    say = functools.partial(click.echo, err=True)
    say(f"{_yellow('Còn chỗ chưa điền:')} {len(inputs)} chỗ 'CẦN ĐIỀN' trong dữ liệu đầu vào (các cảnh báo "
        f"'placeholder' ở trên: tệp, dòng, trường), hiện ra ở {sum(u.count for u in left)} đoạn của {len(left)}/"
        f"{len(result.built)} văn bản" + (":" if listed and left else "."))
    for u in left[:SHOWN_DOCUMENTS if listed else 0]:
        say(f"  {u.path}: {u.count} chỗ, ví dụ “{u.first}”")
    if listed and len(left) > SHOWN_DOCUMENTS:
        say(f"  … và {len(left) - SHOWN_DOCUMENTS} văn bản khác")
    say("Các tệp .docx vẫn được ghi để xem lại; PDF (--pdf, 'vanban pdf') chỉ tạo khi đã điền hết, hoặc thêm "
        "--draft để in bản dự thảo.")


def _yellow(text: str) -> str:
    return click.style(text, fg="yellow")


def expand_inputs(given: tuple[Path, ...]) -> list[Path]:
    """--inputs values, with shell-style patterns expanded (Windows shells do not expand them)."""
    import glob

    out: list[Path] = []
    for p in given:
        text = str(p)
        matches = sorted(glob.glob(text)) if any(ch in text for ch in "*?[") else [text]
        out += [Path(m) for m in matches]
    return out


def check_outputs(inputs_dir: Path, out_dir: Path, strict: bool) -> None:
    """--check: build in memory, compare with what is on disk (outputs and manifest), write nothing."""
    from pipeline.output import manifest as mf
    from pipeline.build.run import check_build
    from pipeline.paths import has_own_templates

    built, result = check_build(inputs_dir, out_dir, strict)
    stale = result["missing"] + result["differ"]
    if stale:
        heading = click.style(f"{len(stale)} văn bản trong {out_dir} không khớp bản dựng mới", fg="red", bold=True)
        click.echo(f"{heading} (hãy chạy 'vanban build' rồi commit):", err=True)
        for p in result["missing"]:
            click.echo(f"  thiếu:  {p}", err=True)
        for p in result["differ"]:
            click.echo(f"  khác:   {p}", err=True)
        reason = mf.why_changed(mf.read(out_dir), mf.sources_for(inputs_dir), result["differ"],
                                has_own_templates(inputs_dir))
        if reason:
            click.echo(f"Lý do: {reason}", err=True)
        raise E.Findings()
    click.echo(f"{click.style('Khớp:', fg='green')} {len(built)} văn bản trong {out_dir} đúng với bản dựng mới.")
