"""A sub-plan imported on its own: its file in ``subplans/``, and a parent plan with what the
sub-plan's opening sentence says of it (number, date, summary) and one task that orders it."""

from __future__ import annotations

from pipeline.decree import forms as nd30
from pipeline.decree.labels import PLACEHOLDER
from pipeline.importer import mapping as M
from pipeline.importer.yamlout import REVIEW, Noted


def subplan_files(asm, doc_data: dict, body, parent, commune: dict) -> dict:
    """plan.yaml (the parent, as far as it is known), appendices.yaml (its ordering task), subplans/…"""
    kind = doc_data["kind"] if isinstance(doc_data["kind"], str) else "KH"
    sp_id = asm.doc_id or "ke_hoach_trien_khai"
    tasks: list[dict] = []
    for _, _, table in body.tables:
        raw = M.read_table(table)
        assert raw is not None  # the body keeps only tables read as task tables (mapping.body_lines)
        asm.sum.tables += 1
        asm.sum.rows += raw.rows
        for i, row in enumerate(raw.tasks, len(tasks) + 1):
            tasks.append(asm.maker.task(row, f"{sp_id}_{i:02d}", None, extra_columns=False))
        if raw.extra_titles:  # a sub-plan's own table has vanban's columns only
            asm.sum.dropped.append(f"cột '{', '.join(raw.extra_titles)}' của bảng nhiệm vụ: chỉ ghi chú "
                                   "'CẦN KIỂM TRA' trong tệp kế hoạch, không in ra")
    asm.sum.tasks += len(tasks)
    leads = [t.get("lead") for t in tasks if isinstance(t.get("lead"), str)]
    lead = max(set(leads), key=leads.count) if leads else commune["units"][0]["id"]
    sub = {"id": sp_id, "ordered_by": "nv_ban_hanh", "kind": kind, "date": doc_data["date"]}
    if doc_data.get("number") is not None:
        sub["number"] = doc_data["number"]
    sub |= {k: v for k, v in doc_data.items() if k not in ("id", "kind", "date", "number", "period")}
    own = sub.get("intro") if isinstance(sub.get("intro"), str) else ""
    if own and M.upper_eq(M.subplan_intro(parent, kind, doc_data["summary"]), own):
        del sub["intro"]  # vanban writes the same sentence from the parent plan
    if tasks:
        for t in tasks:  # each own task names its lead: the ordering task's lead is not this table's
            t.setdefault("lead", lead)
        sub["tasks"] = tasks
    plan = parent_plan(parent, doc_data, kind)
    order = {"id": "nv_ban_hanh",
             "content": f"Ban hành {nd30.type_name(kind)} {doc_data['summary'][:1].lower()}"
                        f"{doc_data['summary'][1:]}",
             "products": [nd30.type_name(kind)], "lead": lead, "deadline": {"as_planned": True}}
    apps = {"appendices": [Noted({"id": "phu_luc", "title": PLACEHOLDER, "lead": lead, "tasks": [order]},
                                 f"{REVIEW}: phụ lục của kế hoạch cấp trên chưa có: chỉ có nhiệm vụ giao "
                                 "ban hành văn bản này")]}
    return {"plan.yaml": plan, "appendices.yaml": apps, f"subplans/{sp_id}.yaml": sub}


def parent_plan(parent, doc_data: dict, kind: str) -> dict:
    sym = parent["sym"]
    about = parent["about"]
    note = (f"{REVIEW}: kế hoạch cấp trên — chỉ biết số, ngày, trích yếu từ câu 'Thực hiện …' của văn bản; "
            "nhập tệp Word của kế hoạch đó để có đủ nội dung")
    date = f"{parent['y']}-{int(parent['m']):02d}" + (f"-{int(parent['d']):02d}" if parent["d"] else "")
    plan = {
        "id": "ke_hoach_cap_tren",
        "kind": Noted(sym.split("-")[0], note),
        "number": int(parent["num"]) if parent["num"] else None,
        "date": date,
        "summary": about[:1].upper() + about[1:],
        "period": doc_data["period"],
        "sections": [{"title": PLACEHOLDER, "items": [f"{PLACEHOLDER} nội dung kế hoạch"]}],
        "signature": doc_data["signature"],
        "recipients": doc_data["recipients"],
    }
    return plan
