"""What ``vanban import`` prints: how much was mapped, what was kept as free text, and a to-do list
(the lint's findings on the new inputs and every 'CẦN KIỂM TRA' line) with file and line."""

from __future__ import annotations

from pathlib import Path

import click

from pipeline.errors import InputErrors, InputIssue
from pipeline.importer.yamlout import Noted, plain
from pipeline.inputs.load import NODE_BUDGET


def values_in(data) -> int:
    """How many values (mappings, lists, scalars) ``data`` holds, counted as vanban's YAML reader counts them."""
    count, stack = 0, [data]
    while stack:
        item = stack.pop()
        if isinstance(item, Noted):
            stack.append(item.value)
            continue
        count += 1
        if isinstance(item, dict):
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return count


def _count_items(sections) -> tuple[int, int]:
    sections = plain(sections) if isinstance(sections, Noted) else sections
    clauses = 0
    for s in sections:
        s = s.value if isinstance(s, Noted) else s
        stack = list(s.get("items", [])) if isinstance(s, dict) else []
        while stack:
            it = stack.pop()
            it = it.value if isinstance(it, Noted) else it
            if isinstance(it, dict) and "clause" in it:
                clauses += 1
                stack += it.get("items", [])
    return len(sections), clauses


def _head_words(doc: dict, commune: dict) -> str:
    """'KH số (để trống), tháng 7/2025, ký KT. — Phó Chủ tịch Nguyễn Văn A, 6 nơi nhận'."""
    date = str(doc.get("date", ""))
    parts = date.split("-")
    when = (f"ngày {int(parts[2])}/" if len(parts) == 3 else "ngày để trống, tháng ") + \
        (f"{int(parts[1])}/{parts[0]}" if len(parts) >= 2 else date)
    number = doc.get("number") or "để trống"
    leader = (commune.get("leaders") or [{}])[0]
    sig = doc.get("signature") or {}
    signer = " ".join(x for x in (leader.get("position"), leader.get("name")) if x)
    form = f"{sig.get('authority')}. " if sig.get("authority") else ""
    rec = len((doc.get("recipients") or {}).get("to", []))
    return f"{doc.get('kind')} số {number}, {when}; ký: {form}{signer}; {rec} nơi nhận"


def print_summary(result, source: Path, target: Path) -> None:
    s = result.summary
    kind = plain((result.files.get("plan.yaml") or {}).get("kind"))
    what = ("kế hoạch triển khai (kèm kế hoạch cấp trên rút gọn)" if s.kind == "subplan" else
            "báo cáo: nội dung vào plan.yaml (loại BC), tình trạng nhiệm vụ vào progress/" if kind == "BC" else
            "kế hoạch và các phụ lục")
    echo = click.echo
    echo(f"Đã nhập {source.name} ({what}) vào {target}:")
    for rel in result.files:
        echo(f"  {target / rel}")
    doc = result.files.get("plan.yaml") if s.kind == "plan" else \
        next(v for k, v in result.files.items() if k.startswith("subplans/"))
    doc = {k: plain(v) if k != "sections" else v for k, v in doc.items()}  # the sections: counted as they are
    if result.doc_kind:
        echo(f"Lưu ý:      tệp là {result.doc_kind}; vanban soạn kế hoạch, chương trình, báo cáo — phần đọc được "
             "ghi như một văn bản loại đó, hãy xem lại các chỗ CẦN KIỂM TRA")
    echo(f"Đầu văn bản: {_head_words(doc, plain(result.files['commune.yaml']))}")
    n_sec, n_cl = _count_items(doc.get("sections", []))
    echo(f"Đoạn văn:   {s.paragraphs} đoạn của phần nội dung → {n_sec} mục, {n_cl} khoản"
         f"{', ' + str(len(doc.get('bases', []))) + ' căn cứ' if doc.get('bases') else ''}")
    echo(f"Bảng:       {s.tables} bảng, {s.rows} hàng → {s.tasks} nhiệm vụ")
    if s.body_tables:
        echo(f"            {s.body_tables} bảng khác ({s.body_table_rows} hàng) giữ thành bảng ở chỗ của nó")
    if s.schedules:
        echo(f"            {s.schedules} bảng là lịch (cột thời gian đọc thành dữ liệu: 'schedule')")
    if s.appendix_blocks:
        echo(f"Phụ lục:    {s.appendix_blocks} khối không phải bảng nhiệm vụ (bảng, dàn ý, đoạn văn) giữ trong "
             "'body' của phụ lục")
    units = [u for u in s.units if not u.group]
    groups = [u for u in s.units if u.group]
    echo(f"Đơn vị:     {len(units)} đơn vị, {len(groups)} nhóm đơn vị (commune.yaml)")
    for u in s.units:
        if u.variants:
            echo(f"            gộp làm một — xem lại: {u.full or u.name} ← " + "; ".join(u.variants))
    total = s.deadlines_exact + len(s.deadlines_loose)
    echo(f"Thời hạn:   {s.deadlines_exact}/{total} đọc chắc chắn thành dữ liệu")
    for d in s.deadlines_loose:
        echo(f"            giữ bản gốc để xem lại: {d}")
    for typed, printed, title in s.renumbered:
        echo(f"Số mục:     '{typed}' gõ tay sẽ in là '{printed}' (vanban tự đánh số) — {title}")
    if s.targets:
        echo(f"Chỉ tiêu:   {len(s.targets)} con số % có thể là chỉ tiêu — gợi ý ở đầu plan.yaml")
    for k in s.kept:
        echo(f"Đổi dạng:   {k}")
    for k in s.dropped:
        echo(f"Không mang sang: {k}")
    if not s.dropped:
        echo("Không mang sang: không có đoạn, bảng nào bị bỏ")


def todo_list(target: Path, notes: dict[str, list[tuple[int, str]]], files: dict | None = None) -> int:
    """Print the to-do list; return how many of its items stop a build (lint errors). ``files``: what was
    written (relative path -> data); a file with more values than vanban reads is said so, and the inputs are
    then not read back (vanban's reader would refuse them)."""
    too_big = [InputIssue(str(Path(target.name) / rel), 1, 1, "", f"tệp có {n:,} giá trị, nhiều hơn {NODE_BUDGET:,} "
                          "giá trị một tệp mà vanban đọc: hãy tách văn bản (chẳng hạn thành các kế hoạch triển "
                          "khai trong subplans/) hoặc rút gọn", rule="too-large")
               for rel, n in ((rel, values_in(data)) for rel, data in (files or {}).items()) if n > NODE_BUDGET]
    try:
        if too_big:
            raise InputErrors(too_big)
        from pipeline.inputs.validate import load_inputs
        from pipeline.lint.linter import lint

        inputs = load_inputs(target)
        findings = lint(inputs)
    except InputErrors as exc:
        findings = exc.issues
    todo = [(str(target / rel), line, 0, f"{text}") for rel, found in notes.items() for line, text in found]
    # the lint names files from the inputs folder's parent: print them from where the clerk is
    todo += [(str(target.parent / f.file), f.line, f.column, f.format().split(": ", 1)[1]) for f in findings]
    errors = sum(1 for f in findings if f.severity == "error")
    if not todo:
        click.echo("Việc cần làm: không có — chạy 'vanban build --inputs " + str(target) + "' để tạo văn bản.")
        return 0
    click.echo(f"Việc cần làm ({len(todo)}; {errors} lỗi làm dừng việc tạo văn bản):")
    for file, line, col, text in sorted(todo, key=lambda t: (t[0], t[1], t[2])):
        where = f"{file}:{line}" + (f":{col}" if col else "")
        click.echo(f"  {where}: {text}")
    return errors
