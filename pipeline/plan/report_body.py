"""What a report says: its Báo cáo spec, the parts vanban writes, its annex (issue 15).

``w`` resolves references for the context stage: ``w.inputs``; ``w.text``
resolves {ct:…}, {dv:…} references; ``w.citation`` cites a document;
``w.unit_names`` prints unit ids. Kinds may write these words in their YAML texts, replaced here per report:
{period} "quý III năm 2025", {next_period} "quý IV năm 2025", {next_year} "2026",
{cutoff} "14/9/2025".
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from pipeline.inputs import deadlines
from pipeline.decree import forms as nd30
from pipeline.plan import selfassess
from pipeline.decree import wml
from pipeline.inputs import model as m
from pipeline.plan import report_kinds as rk
from pipeline.plan import report_stats
from pipeline.inputs.reporting import DONE
from pipeline.plan.reports import BLANK, STATUS_WORDS, default_sections, is_report_part
from pipeline.decree.vietnamese import lower_first, upper

STATUS_COLUMNS = [
    wml.Column("TT", 12, "center"),
    wml.Column("Nhiệm vụ", 88, "left"),
    wml.Column("Cơ quan chủ trì", 36, "center"),
    wml.Column("Thời hạn", 36, "left"),
    wml.Column("Tình trạng", 32, "center"),
    wml.Column("Kết quả", 48, "left"),
]


def tokens(rep: rk.Report) -> dict[str, str]:
    nxt = rk.next_period(rep.recurrence, rep.period)
    return {"{period}": rep.period.words, "{next_period}": nxt.words if nxt else "kỳ tới",
            "{next_year}": str(rep.period.end.year + 1), "{cutoff}": nd30.short_date(rep.cutoff)}


def fill(text: str, rep: rk.Report) -> str:
    for token, words in tokens(rep).items():
        text = text.replace(token, words)
    return text


def _walk(data: Any, rep: rk.Report) -> Any:
    """A copy of ``data`` (text, list or input model) with the report's words filled in."""
    if isinstance(data, str):
        return fill(data, rep)
    if isinstance(data, list):
        return [_walk(v, rep) for v in data]
    if isinstance(data, m.Base):
        return data.model_copy(update={k: _walk(getattr(data, k), rep) for k in type(data).model_fields})
    return data


def _lists_indicators(item: Any) -> bool:
    if isinstance(item, m.Generated):
        return item.generated == "indicators"
    if isinstance(item, m.Clause):
        return bool(item.items) and all(_lists_indicators(i) for i in item.items)
    return False


def sections(rep: rk.Report) -> list[m.Section]:
    """The kind's sections (or the conventional skeleton), its words filled in, without indicators it does not list."""
    out = []
    for sec in report_stats.filled(rep, rep.kind.sections or default_sections()):
        sec = _walk(sec, rep)
        if not rep.kind.indicators:
            sec = sec.model_copy(update={"items": [i for i in sec.items if not _lists_indicators(i)]})
        out.append(sec)
    return out


def cited(w, rep: rk.Report) -> m.DocumentSpec:
    """The document the report answers to: the plan for a report on the whole plan; else the sub-plan
    its first task belongs to or orders, else the plan."""
    if rep.kind.scope == "plan":
        return w.inputs.plan
    ref = w.inputs.task_refs[rep.kind.tasks[0]]
    if ref.subplan is not None:
        return ref.subplan
    return next((sp for sp in w.inputs.subplans if sp.ordered_by == ref.task.id), w.inputs.plan)


def window_words(rep: rk.Report, commune: m.Commune | None = None) -> str:
    """'số liệu từ ngày 15/6/2025 đến ngày 14/9/2025' (+ the estimated rest; + that the figures of
    a period begun before the commune was established belong to the former units)."""
    text = f"số liệu tính từ ngày {nd30.short_date(rep.data_from)} đến ngày {nd30.short_date(rep.cutoff)}"
    if rep.estimated_to:
        text += (f"; số liệu từ ngày {nd30.short_date(rep.cutoff + dt.timedelta(days=1))} đến ngày "
                 f"{nd30.short_date(rep.estimated_to)} là số ước thực hiện")
    formed = commune.established if commune is not None else None
    if commune is not None and formed is not None and rep.period.start < formed <= rep.cutoff:
        text += (f"; {commune.unit_word} được thành lập từ ngày {nd30.short_date(formed)}, số liệu "
                 "trước ngày này thuộc các đơn vị hành chính trước sắp xếp")
    return text


def closing(w, rep: rk.Report) -> str:
    if rep.kind.closing:
        return w.text(fill(rep.kind.closing, rep))
    who = w.inputs.units[rep.kind.issuer].name if rep.kind.issuer else w.inputs.commune.agency.full_name
    text = f"Trên đây là báo cáo {lower_first(w.text(rep.summary))} của {who}"
    return text + (", trân trọng báo cáo./." if rep.kind.to else "./.")


def recipients(w, rep: rk.Report, lead_unit: m.Unit) -> m.Recipients:
    """The kind's Nơi nhận; with a Kính gửi it begins "Như trên"."""
    from pipeline.inputs.ordering import archive_code

    kind = rep.kind
    rec = kind.recipients or m.Recipients(to=w.inputs.plan.recipients.to[:1], archive=["VT", archive_code(lead_unit)])
    if kind.to and (not rec.to or rec.to[0] != "Như trên"):
        rec = rec.model_copy(update={"to": ["Như trên", *rec.to]})
    return rec


def report_document(w, rep: rk.Report) -> m.DocumentSpec:
    """The Báo cáo a report becomes: a draft dated in its due month, never after its deadline."""
    kind = rep.kind
    lead = w.inputs.units[w.inputs.task_refs[kind.tasks[0]].leads[0]]
    commune = w.inputs.commune
    who = (w.inputs.units[kind.issuer].name if kind.issuer else f"{commune.agency.short_name} {commune.name}")
    intro = (f"Thực hiện {w.citation(cited(w, rep), with_summary=True)}; căn cứ thời gian chốt số liệu báo cáo "
             f"theo {rk.DECREE_09}, {who} báo cáo {lower_first(w.text(kind.name))} {rep.period.words} "
             f"({window_words(rep, commune)}) như sau:")
    spec = m.DocumentSpec(
        id=rep.id, kind="BC", issuer=kind.issuer,
        date=m.IssueDate(year=rep.due.year, month=rep.due.month, day=None),
        summary=w.text(rep.summary), to=kind.to, intro=intro, sections=sections(rep),
        signature=kind.signature or w.inputs.plan.signature, recipients=recipients(w, rep, lead),
    )
    return spec.model_copy(update={"closing": closing(w, rep)})


# ------------------------------------------------------------------ generated parts


def _sentence_on(text: str) -> str:
    """A sentence continued after ';': its first letter lower case unless it starts a short form ('UBND')."""
    text = text.rstrip(". ")
    return text if text[1:2].isupper() else lower_first(text)


def _status_words(w, rep: rk.Report, ref, tp: m.TaskProgress) -> str:
    """'Hoàn thành trễ hạn (ngày 22/7/2025)', 'Đang thực hiện (quá hạn)': a task's status at the cut-off."""
    words = STATUS_WORDS[tp.status]
    if tp.done_on:
        words += f" (ngày {nd30.short_date(tp.done_on)})"
    if rk.is_overdue(w.inputs, ref, tp.status, rep.cutoff):
        words += " (quá hạn)"
    return words


def _result(w, rep: rk.Report, ref, tp: m.TaskProgress | None) -> str | None:
    """The result as entered; else, for a task whose sub-plan is issued, that document's citation."""
    if tp is not None and tp.result:
        return w.text(tp.result)
    sp = rk.issued_subplan(w.inputs, ref.task.id, rep.cutoff)
    if sp is None or tp is None or tp.status not in DONE:
        return None
    return f"Đã ban hành {w.citation(sp, with_summary=True)}"


def _status(w, rep: rk.Report, ref) -> str:
    tp = rk.progress_of(w.inputs, rep, ref)
    status = lower_first(_status_words(w, rep, ref, tp)) if tp else BLANK
    said = _result(w, rep, ref, tp)
    result = f"; {_sentence_on(said)}" if said else ""
    end = "" if status == BLANK else "."  # a placeholder takes no full stop after it
    return f"- {w.text(ref.task.content)}: {status}{result}{end}"


def summary_text(rep: rk.Report, f: rk.Figures) -> str:
    """Counts that add up; placeholders, never zeros, when no progress was entered."""
    n = (lambda v: str(v)) if f.entered else (lambda v: BLANK)
    text = f"Tổng số nhiệm vụ trong kỳ báo cáo: {f.total}"
    if f.entered and f.unknown:  # the others are written by the office in each area's own words
        text += f", trong đó có số liệu đến ngày {nd30.short_date(rep.cutoff)}: {f.total - f.unknown} nhiệm vụ"
    text += (f"; đã hoàn thành: {n(f.done)} (đúng hạn: {n(f.on_time)}, trễ hạn: {n(f.late)}); đang thực hiện: "
             f"{n(f.in_progress)}, trong đó quá hạn: {n(f.in_progress_overdue)}; chưa thực hiện: "
             f"{n(f.not_started)}, trong đó quá hạn: {n(f.not_started_overdue)}")
    return text + f" (tính đến ngày {nd30.short_date(rep.cutoff)})."


def _indicators(w, rep: rk.Report, blocks: list) -> None:
    wanted = rep.kind.indicators
    targets = w.inputs.plan.targets if wanted == "all" else [w.inputs.targets[i] for i in wanted]
    blocks += [{"kind": "para", "text": indicator_line(w, rep, t)} for t in targets]


def indicator_line(w, rep: rk.Report, t: m.Target) -> str:
    """'- Tỷ lệ …: 99,2%, đạt (chỉ tiêu: trên 98%).'; a blank when the progress file holds no value."""
    values = rep.progress.indicators if rep.progress else {}
    phrase = w.text(f"{{ct:{t.id}}}")
    if t.id not in values:
        return f"- {t.name}: {BLANK} (chỉ tiêu: {phrase})."
    v = values[t.id]
    met = {">=": v >= t.value, ">": v > t.value, "=": v == t.value}[t.op]
    shown = selfassess.points(v) + (t.unit if t.unit == "%" else f" {t.unit}")
    return f"- {t.name}: {shown}, {'đạt' if met else 'chưa đạt'} (chỉ tiêu: {phrase})."


def _results_by_area(w, rep: rk.Report, refs, prefix: str, clause_no: int, blocks: list) -> int:
    groups: dict[str, list] = {}
    titles: dict[str, str] = {}
    for ref in refs:
        key = ref.appendix.id if ref.appendix else ref.subplan.id
        titles[key] = w.text(ref.appendix.title) if ref.appendix else (
            f"Nhiệm vụ của {nd30.type_name(ref.subplan.kind)} {lower_first(w.text(ref.subplan.summary))}")
        groups.setdefault(key, []).append(ref)
    for key, mine in groups.items():
        clause_no += 1
        blocks.append({"kind": "clause", "text": f"{prefix}{clause_no}. {titles[key]}"})
        blocks += [{"kind": "para", "text": _status(w, rep, ref)} for ref in mine]
        blocks.append({"kind": "fill", "text": "[Cán bộ soạn thảo viết: kết quả nổi bật của lĩnh vực.]"})
    return clause_no


def _results(w, rep: rk.Report, item: m.Generated, scope, blocks: list) -> None:
    """An area's results as the progress file gives them, then the figures of its statistics form:
    written as prose; a task with no progress entered is not listed (the field after it is for that)."""
    for ref in scope:
        in_area = (not item.areas and not item.tasks and item.form is None) or ref.task.id in item.tasks or (
            ref.appendix is not None and ref.appendix.id in item.areas)
        tp = rk.progress_of(w.inputs, rep, ref)
        if not in_area or tp is None:
            continue
        if said := _result(w, rep, ref, tp):
            blocks.append({"kind": "para", "text": f"- {said.rstrip('. ')}."})
        else:
            status = lower_first(_status_words(w, rep, ref, tp))
            blocks.append({"kind": "para", "text": f"- {w.text(ref.task.content)}: {status}."})
    for row, value in report_stats.form_rows(w, rep, item.form):
        if row.indicator:  # a target of the plan: its value against the target, or a blank
            blocks.append({"kind": "para", "text": indicator_line(w, rep, w.inputs.targets[row.indicator])})
        elif value is not None:
            blocks.append({"kind": "para", "text": f"- {w.text(row.name)}: {report_stats.with_unit(value, row.unit)}."})


def _next(w, rep: rk.Report, blocks: list) -> None:
    nxt = rk.next_tasks(w.inputs, rep)
    if nxt is None:  # the next period lies beyond the plan: look ahead to the next year
        lines = [w.text(fill(t, rep)) for t in rep.kind.outlook] or [
            f"Xây dựng, ban hành kế hoạch năm {rep.period.end.year + 1}, bảo đảm kế thừa kết quả đã đạt được "
            "và khắc phục các tồn tại, hạn chế nêu tại báo cáo này."]
        blocks += [{"kind": "para", "text": f"- {t}"} for t in lines]
        return
    if not nxt:
        number = w.citation(cited(w, rep)).split(" ngày ")[0]  # "Kế hoạch số …/KH-UBND"
        blocks.append({"kind": "para", "text": f"- Tiếp tục thực hiện các nhiệm vụ thường xuyên theo {number}."})
    for ref, when, part in nxt:
        what = _what_remains(w, rep, ref, part)
        if what.startswith("Báo cáo") and when.startswith("Báo cáo: "):
            when = when.removeprefix("Báo cáo: ")  # "Báo cáo kết quả … (chậm nhất tháng 11/2025)"
        blocks.append({"kind": "para", "text": f"- {what} ({lower_first(when)})."})


def _what_remains(w, rep: rk.Report, ref, part: m.DeadlinePart) -> str:
    """The next period's task: the task itself; once it has begun and what falls due is its report,
    that report (of the sub-plan it issued, when it did)."""
    tp = rk.progress_of(w.inputs, rep, ref)
    if tp is None or tp.status == "not_started" or not is_report_part(ref.task, part):
        return w.text(ref.task.content)
    sp = rk.issued_subplan(w.inputs, ref.task.id, rep.cutoff)
    if sp is not None:
        return f"Báo cáo kết quả thực hiện {nd30.type_name(sp.kind)} {lower_first(w.text(sp.summary))}"
    return f"Báo cáo kết quả thực hiện nhiệm vụ: {lower_first(w.text(ref.task.content))}"


def generated(w, rep: rk.Report, item: m.Generated, prefix: str, clause_no: int, blocks: list) -> int:
    """Write a generated part of a report; return the clause counter after it."""
    refs = rk.in_scope(w.inputs, rep)
    what = item.generated
    if what == "results":
        _results(w, rep, item, refs, blocks)
    elif what == "documents":
        blocks += [{"kind": "para", "text": f"- Ban hành {w.citation(d, with_summary=True)}."}
                   for d in rk.issued_documents(w.inputs, rep.data_from, rep.cutoff)]
    elif what == "summary":
        blocks.append({"kind": "para", "text": summary_text(rep, rk.figures(w.inputs, rep, refs))})
    elif what == "results_by_area":
        clause_no = _results_by_area(w, rep, refs, prefix, clause_no, blocks)
    elif what == "task_list":
        blocks += [{"kind": "para", "text": _status(w, rep, ref)} for ref in refs]
    elif what == "indicators":
        _indicators(w, rep, blocks)
    elif what == "next_tasks":
        _next(w, rep, blocks)
    return clause_no


# ------------------------------------------------------------------ annex


def annexes(w, rep: rk.Report, spec: m.DocumentSpec) -> list[dict[str, Any]]:
    """The report's statistics forms (when its outline has them), then its tasks and their status
    (a self-assessment's annex: ``report_selfassess``)."""
    reference = f"(Kèm theo {w.citation(spec)})"
    out = [report_stats.annex(w, rep, reference)] if rep.kind.statistics else []
    out.append(annex(w, rep, reference))
    if len(out) > 1:
        for i, part in enumerate(out, 1):
            part["app"]["label"] = nd30.appendix_label(i, len(out))
    return out


def annex(w, rep: rk.Report, reference: str) -> dict[str, Any]:
    """The report's annex: the tasks in its scope and their status."""
    rows = []
    for i, ref in enumerate(rk.in_scope(w.inputs, rep), 1):
        tp = rk.progress_of(w.inputs, rep, ref)
        status = _status_words(w, rep, ref, tp) if tp else ""
        leads = nd30.list_lines([nd30.held_name(n) for n in w.unit_names(list(ref.leads))])
        rows.append([[str(i)], [w.text(ref.task.content)], leads,
                     deadlines.lines(ref.task.deadline, w.inputs.plan.period), [status],
                     [_result(w, rep, ref, tp) or ""]])
    title = f"Tình hình thực hiện các nhiệm vụ đến ngày {nd30.short_date(rep.cutoff)}"
    return {"app": {"label": "Phụ lục", "title": nd30.title(upper(title), True, "appendix_title"),
                    "reference": reference,
                    "table": wml.table(STATUS_COLUMNS, rows, nd30.text_width(landscape=True), nd30.SIZE_TABLE)}}
