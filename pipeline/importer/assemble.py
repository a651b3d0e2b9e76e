"""Puts the pieces read from one document together into the inputs' files."""

from __future__ import annotations

import datetime as dt
from typing import Any

from pipeline.decree.labels import PLACEHOLDER
from pipeline.ooxml.xmlns import W
from pipeline.inputs import model as m
from pipeline.importer import header as H
from pipeline.importer import mapping as M
from pipeline.importer.blocks import dated_tables, table_item
from pipeline.importer.body import BodyBuilder, Casing, clean_empty_clauses
from pipeline.importer.shortforms import read_back
from pipeline.importer.tables import TaskMaker
from pipeline.importer.textparse import norm_space
from pipeline.importer.yamlout import REVIEW, Noted


def _id_from(stem: str) -> str:
    """'ke-hoach-cchc' -> 'ke_hoach_cchc': the document keeps its file name when built again."""
    from pipeline.decree.vietnamese import slug

    words = slug(stem).replace("-", "_")
    return ("vb_" + words if words[:1].isdigit() else words) if words else ""


def _footnotes(doc) -> list[str]:
    """Footnotes and endnotes: the inputs have no place for them; where each was, for the summary."""
    out = []
    for p in doc.paragraphs:
        for tag in ("footnoteReference", "endnoteReference"):
            for _ in p.el.iter(W + tag):
                text = norm_space(p.text)
                out.append(f"chú thích {'cuối trang' if tag[0] == 'f' else 'cuối văn bản'} ở đoạn "
                           f"'{text[:60]}{'…' if len(text) > 60 else ''}': chép tay vào lời văn nếu cần")
    return out


class Assembler:
    def __init__(self, doc, stem: str = ""):
        self.doc = doc
        self.doc_id = _id_from(stem)
        self.sum = M.Summary()
        self.abbreviations = read_back(doc)  # "cải cách hành chính (CCHC)" read as CCHC, declared once
        self.normalised = {p.position: norm_space(p.text) for p in doc.paragraphs}
        self.texts = [t for t in self.normalised.values() if t]
        self.casing = Casing(self.texts)
        self.head = H.read_head(doc)

    # ------------------------------------------------------------ the whole
    def run(self) -> M.Result:
        doc, head = self.doc, self.head
        apps = M.appendix_parts(doc)
        end = doc.paragraphs.index(doc.appendices[0].label) if doc.appendices else len(doc.paragraphs)
        lines = M.body_lines(doc, end, self.normalised)
        opening, rest = M.split_opening(lines)
        if "to" not in opening and doc.addressees:  # "Kính gửi" laid out as a table row
            opening = {"to": [a.rstrip(";.").strip() for a in doc.addressees]} | opening
        raws = [a[2] for a in apps if a[2] is not None]
        body = BodyBuilder(self.casing).build(rest)
        raws += [raw for _, _, t in body.tables if (raw := M.read_table(t)) is not None]
        self.sum.units = M.collect_units(raws, self.texts)
        year = head.date.year if head.date else dt.date.today().year
        intro = opening.get("intro")
        parent = M.parent_citation(intro if isinstance(intro, str) else "") if not apps else None
        about = M.report_about(intro) if isinstance(intro, str) and head.kind == "BC" else None
        period_text = parent["about"] if parent else (about["about"] if about else head.summary)
        period, sure = H.period_of(period_text, year)
        self.period = m.Period.model_validate(period)
        self.maker = TaskMaker(self.sum.units, self.period)
        commune = self.commune(apps, parent)
        if parent is None:  # a plan has no tasks of its own: a task-like table of its body is kept as a table
            self._body_task_tables(body)
        doc_data = self.document(opening, body, period, sure)
        files: dict = {"commune.yaml": commune}
        if parent is not None:
            self.sum.kind = "subplan"
            from pipeline.importer.subplan import subplan_files

            files |= subplan_files(self, doc_data, body, parent, commune)
        else:
            files["plan.yaml"] = doc_data
            files["appendices.yaml"] = {"appendices": self.appendices(apps, body)}
        self.sum.paragraphs = sum(1 for line in lines if line.table is None)
        if self.maker.progress:  # a report's annex: the status and result of each task
            code = H.period_code(head.summary) or f"{year}"
            files[f"progress/{code}.yaml"] = {"period": code, "tasks": self.maker.progress}
        self.sum.renumbered, self.sum.kept = body.renumbered, body.kept + self.sum.kept
        self.sum.dropped = body.dropped + self.sum.dropped
        self.sum.body_tables = sum(1 for t in body.body_tables if t)
        self.sum.body_table_rows = sum(len(t["table"]["rows"]) + 1 for t in body.body_tables if t)
        self.sum.dropped += _footnotes(doc)
        self.sum.schedules = sum(dated_tables(data, self.period) for rel, data in files.items()
                                 if rel != "commune.yaml" and not rel.startswith("progress/"))
        self.sum.deadlines_exact = self.maker.deadlines_exact
        self.sum.deadlines_loose = self.maker.deadlines_loose
        if any("%" in t for t in self.texts):  # a target is a percentage the document writes
            self.sum.targets = M.target_hints(list(M.walk_texts(files.get("plan.yaml", {}).get("sections", []),
                                                                 "sections", "%")))
        made = doc.kind == "administrative" and doc.type_abbr in ("KH", "CTr", "BC")
        return M.Result(files, self.sum, "" if made else doc.kind_words())

    def _body_task_tables(self, body) -> None:
        """The task-like tables in a plan's body (a schedule: TT | Nội dung | Trách nhiệm thực hiện | Thời
        gian) as ``table:`` blocks in their place, row for row."""
        for items, index, table in body.tables:
            item, notes = table_item(table, f"bảng {len(body.body_tables) + 1} trong nội dung")
            body.body_tables.append(item)
            (self.sum.kept if item else self.sum.dropped).extend(notes)
            items[index] = item or None
        for items, _, _ in body.tables:
            items[:] = [it for it in items if it is not None]
        body.tables = []

    # ------------------------------------------------------------ commune.yaml
    def commune(self, apps, parent) -> dict:
        head = self.head
        word, name, place = H.commune_names(head, self.casing)
        agency_lines = head.agency_lines or ["ỦY BAN NHÂN DÂN", f"{word.upper()} {name.upper()}"]
        full = None
        for _, ref, _, _ in apps:
            if ref and " của " in ref:
                full = ref.rstrip(")").rsplit(" của ", 1)[1]
                break
        if parent is not None:
            full = parent["issuer"]
        sig = H.signature_of(self.doc)
        short = f"UBND {word}"  # how the commune names itself in a sentence: "UBND xã A"
        if parent is not None and parent["who"].endswith(" " + name):
            short = parent["who"][: -len(name) - 1]
        province = H.province_of(self.texts)
        units, groups = M.commune_units(self.sum.units)
        if not units:
            units = [{"id": "don_vi", "name": Noted(f"{PLACEHOLDER} tên đơn vị",
                                                    f"{REVIEW}: văn bản không có bảng nhiệm vụ")}]
        agency = {
            "name_lines": agency_lines,
            "full_name": full or Noted(f"Ủy ban nhân dân {word} {name}", f"{REVIEW}: suy ra từ tên cơ quan"),
            "short_name": short,
            "symbol": head.number.agency_symbol if head.number else "UBND",
            "collective": (sig.collective if sig and sig.collective else agency_lines[0]),
            "head_position": (sig.head_position if sig and sig.head_position else
                              (sig.position if sig and sig.authority in ("", "TM") else "Chủ tịch")),
        }
        if head.parent_lines:
            agency["parent_line"] = " ".join(head.parent_lines)
        out: dict[str, Any] = {"province": province or Noted(PLACEHOLDER, f"{REVIEW}: văn bản không nói tên tỉnh"),
               "name": name, "unit_word": word, "place": place, "agency": agency,
               "leaders": [self.leader(sig)], "units": units}
        if groups:
            out["groups"] = groups
        if self.abbreviations:
            out["abbreviations"] = self.abbreviations
        return out

    def leader(self, sig) -> dict:
        if sig is None:
            self.sum.dropped.append("không tìm thấy phần chữ ký: người ký để điền")
            return {"id": "lanh_dao", "position": Noted("Chủ tịch", f"{REVIEW}: không tìm thấy phần chữ ký")}
        d = {"id": H.leader_id(sig.position), "position": sig.position}
        if sig.name:
            d = {"id": d["id"], "name": sig.name, "position": sig.position}
        return d

    # ------------------------------------------------------------ the document
    def document(self, opening: dict, body, period: dict, sure: bool) -> dict:
        head = self.head
        sig = H.signature_of(self.doc)
        rec = H.recipients_of(self.doc)
        clean_empty_clauses(body.sections)
        for items, index, _ in body.tables:
            items[index] = {"tasks": "own"}
        d = head.date
        out: dict = {
            "id": self.doc_id or ("ke_hoach" if head.kind == "KH" else ("chuong_trinh" if head.kind == "CTr"
                                                                          else "bao_cao")),
            "kind": head.kind if head.kind in ("KH", "CTr", "BC") else Noted("KH", f"{REVIEW}: loại '{head.kind}'"),
            "number": head.number.number if head.number else None,
            "date": self._date(d),
            "summary": head.summary or Noted(PLACEHOLDER, f"{REVIEW}: không đọc được trích yếu"),
            "period": period if sure else Noted(period, f"{REVIEW}: trích yếu không nói thời gian thực hiện"),
        }
        out |= opening
        out["sections"] = body.sections or [{"title": PLACEHOLDER, "items": [f"{PLACEHOLDER} nội dung"]}]
        if body.closing:
            out["closing"] = body.closing
        if sig is not None:
            s: dict[str, str | bool] = {"authority": sig.authority}
            if sig.for_committee:
                s["for_committee"] = True
            out["signature"] = s | {"signer": H.leader_id(sig.position)}
        else:
            out["signature"] = {"authority": "", "signer": "lanh_dao"}
        if rec is not None and rec.to:
            r = {"to": rec.to, "archive": rec.archive}
            if rec.copies:
                r["copies"] = rec.copies
            out["recipients"] = r
        else:
            out["recipients"] = Noted({"to": [PLACEHOLDER], "archive": ["VT"]},
                                      f"{REVIEW}: không tìm thấy Nơi nhận")
        return out

    @staticmethod
    def _date(d):
        if d is None:
            return Noted(f"{dt.date.today():%Y-%m}", f"{REVIEW}: không đọc được dòng ngày tháng")
        if d.month is None:
            return Noted(f"{d.year}-01", f"{REVIEW}: bản gốc để trống cả tháng (chỉ có năm {d.year}): ghi tháng dự kiến")
        return f"{d.year}-{d.month:02d}" + (f"-{d.day:02d}" if d.day else "")

    # ------------------------------------------------------------ appendices.yaml
    def appendices(self, apps, body) -> list[dict | Noted]:
        out: list[dict | Noted] = []
        taken = M.Ids()
        clause_titles: dict[str, list[dict]] = {}
        for s in body.sections:
            for it in s["items"]:
                if isinstance(it, dict) and "clause" in it and "appendix" not in it:
                    clause_titles.setdefault(norm_space(it["clause"]).lower(), []).append(it)
        for k, (title_line, _, raw, (rest, rest_notes)) in enumerate(apps, 1):
            mt = M.APP_TITLE_RE.match(title_line)
            title = self.casing.restore(mt["title"] if mt else title_line) or f"Phụ lục {k}"
            lead_unit = self.maker.lookup(mt["lead"]) if mt else None
            aid = M.app_id(title, taken)
            tasks: list[dict | Noted] = []
            if raw is not None:
                self.sum.tables += 1
                self.sum.rows += raw.rows
                self.sum.kept += [f"Phụ lục {k}: {x}" for x in raw.kept]
                leads = [self.maker.ids(t.cells.get("lead", [])) for t in raw.tasks]
                if lead_unit is None:
                    firsts = [l[0] for l in leads if l]
                    lead_id = max(set(firsts), key=firsts.count) if firsts else self._any_unit()
                else:
                    lead_id = lead_unit.id
                own_leads = not mt and bool(leads) and all(leads)  # no lead in the title, one in every row
                for i, t in enumerate(raw.tasks, 1):
                    tasks.append(self.maker.task(t, f"{aid}_{i:02d}", None if own_leads else lead_id))
                self.sum.tasks += len(tasks)
            else:
                lead_id = lead_unit.id if lead_unit else self._any_unit()
            self.sum.kept += [n for n in rest_notes if "không mang sang" not in n]
            self.sum.dropped += [n for n in rest_notes if "không mang sang" in n]
            self.sum.appendix_blocks += len(rest)
            if not tasks and rest:  # a schedule, an outline …: the appendix's body, no task table
                out.append({"id": aid, "title": title, "body": rest})
                self._link_clause(clause_titles, title, aid)
                continue
            if not tasks:
                tasks = [Noted({"id": f"{aid}_01", "content": f"{PLACEHOLDER} nhiệm vụ", "products": [PLACEHOLDER],
                                "deadline": {"as_planned": True}}, "không đọc được bảng nhiệm vụ của phụ lục này")]
                self.sum.dropped.append(f"Phụ lục {k}: trống, không có nội dung đọc được — một nhiệm vụ để điền")
            lead_val = lead_id if mt and lead_unit else Noted(lead_id, f"{REVIEW}: tiêu đề phụ lục không ghi đơn vị chủ trì")
            app: dict = {"id": aid, "title": title}
            if not (raw is not None and not mt and tasks and all(isinstance(t, dict) and "lead" in t for t in tasks)):
                app["lead"] = lead_val  # else every task names its own lead and the title none (issue 15)
            if rest:  # what the appendix says besides its task table: printed above the table
                app["body"] = rest
            app["tasks"] = tasks
            if raw is not None and raw.extra_titles:
                app["extra_columns"] = raw.extra_titles
            out.append(app)
            self._link_clause(clause_titles, title, aid)
        if not out:  # the inputs need one appendix of tasks; the file had none
            out.append(Noted({"id": "phu_luc", "title": f"{PLACEHOLDER} tên lĩnh vực", "lead": self._any_unit(),
                              "tasks": [{"id": "nhiem_vu_01", "content": f"{PLACEHOLDER} nhiệm vụ",
                                         "products": [PLACEHOLDER], "deadline": {"as_planned": True}}]},
                             "văn bản gốc không có phụ lục nhiệm vụ; vanban cần ít nhất một: điền các nhiệm vụ"))
            self.sum.kept.append("văn bản gốc không có phụ lục nào: appendices.yaml có một phụ lục nhiệm vụ để điền "
                                 "(vanban cần ít nhất một)")
        return out

    def _any_unit(self) -> str:
        units = [u.id for u in self.sum.units if not u.group]
        return units[0] if units else "don_vi"  # the placeholder unit of commune.yaml

    @staticmethod
    def _link_clause(clauses: dict[str, list[dict]], title: str, aid: str) -> None:
        """The body clause of the same area names its appendix (as vanban's plans do); ``clauses``: the clauses
        still without an appendix, by their title, in reading order."""
        waiting = clauses.get(norm_space(title).lower())
        if waiting:
            c = waiting.pop(0)
            items = c.pop("items", None)
            c["appendix"] = aid
            if items is not None:
                c["items"] = items
