"""``vanban lint``: the slips of hand-made paperwork, caught in the inputs.

Schema and reference errors are found when the inputs load (``validate.py``);
this module looks at what the text says (the spelling engine is ``spelling.py``;
the command, ``pipeline/commands/lint.py``). Every finding is an ``InputIssue``
with a rule id, a severity, the file:line:column of the slip and a suggested
fix. Errors stop a build; warnings do not, unless ``--strict``.

Rules:
  spelling            a word of the administrative vocabulary with a wrong or
                      missing tone mark ("Kê hoạch" for "Kế hoạch"); data/glossary.txt,
                      matched on the toneless form; the i/y spelling ("tỉ lệ") is not a slip
  spelling-old-tone   old-style tone placement ("hoá", "uỷ") — warning
  nfc                 text that was not Unicode NFC (normalised on load) — warning
  citation-year       "Nghị định số 150 của Chính phủ": number without year and symbol
  citation-hyphen     "117/2013/NĐCP": the symbol's groups without their hyphen
  citation-type       the symbol's type disagrees with the named type, or is unknown
  citation-so         "Nghị định 118/2025/NĐ-CP": the word "số" missing — warning
  date-malformed      a typed date that is not a date ("15/7/225", "31/6/2025",
                      "ngày 31 tháng 6 năm 2025", "tháng 13/2025")
  date-month-for-day  "tháng 15/7/2025": a month word before a full date
  date-format         "5/07/2025", "tháng 07/2025": leading zeros against the decree's form — warning
  deadline-period     a deadline outside the plan's period; a sub-plan due after it
  date-year           a date field whose year is far from the plan's period (2205 for 2025; ``years``)
  period-ended        the plan's period ended before today (``clock.today``): time for the next
                      period's inputs (``vanban init --from``) — warning
  target-conflict     a literal figure that contradicts a defined target (the target whose
                      keyword stands nearest to the figure in its clause)
  target-literal      a literal figure equal to a target: cite it as {ct:id} — warning
  numbering-typed     a hand-typed section number ("2.5. …") at the start of a text
  unit-variant        a unit written in another spelling than its name or short name
  dash                an en dash where a hyphen belongs ("Văn hóa – Xã hội") — warning
  placeholder         a place still to fill ("CẦN ĐIỀN") — warning
  score-empty, report-field-empty, report-figure-empty
                      what a report still lacks before its deadline: a criterion's score (``scores``),
                      a named field or statistics figures of a begun report (``report_fields``) — warning
  obsolete-field      a key an older vanban read and this one does not (``leaders[].also``):
                      the file still loads — warning
  bidi-control        a character that reorders text as shown (U+202A–U+202E, U+2066–U+2069; ``chars``)
  invisible-char      a zero-width character (U+200B–U+200D, U+2060, U+FEFF inside text …) — warning
  …                   the faults between documents of the set: short forms, recipients, periods,
                      deadlines, progress, numbering (``consistency``)
  input-file-name     a file that looks meant for vanban but is not read (``plan.yaml.txt``,
                      ``X.YAML``, a YAML file outside the folders read; ``inputs.files``) — warning
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Iterator

from pipeline.inputs import deadlines
from pipeline.inputs import model as im
from pipeline.inputs.blocks import schedule_rows
from pipeline.decree import forms as nd30
from pipeline.decree import rules
from pipeline.decree.labels import PLACEHOLDER  # what `vanban init` leaves where the office must write
from pipeline.errors import InputIssue
from pipeline.inputs.crossfile import walk_strings
from pipeline.inputs.obsolete import obsolete_fields
from pipeline.inputs.validated import Inputs
from pipeline.lint.chars import hidden_chars
from pipeline.lint.report_fields import empty_fields
from pipeline.lint.consistency import Consistency
from pipeline.lint.spelling import spelling_slips, toneless
from pipeline.lint import scores
from pipeline.lint.years import far_years

# the types whose citations are checked, with their abbreviations from the one table (§8)
DOC_WORDS = {name: rules.TYPE_BY_NAME[name].abbr for name in (
    "Nghị định", "Quyết định", "Thông tư", "Nghị quyết", "Chỉ thị", "Luật", "Kế hoạch", "Công văn",
    "Thông báo", "Hướng dẫn")}
TYPE_CODES = set(rules.TYPE_BY_ABBR)
CITATION_RE = re.compile(
    r"(?P<type>" + "|".join(DOC_WORDS) + r")\s+(?P<so>số\s+)?(?P<num>\d+)"
    r"(?:/(?P<year>\d{2,4}))?(?:/(?P<sym>[A-ZĐa-zđ0-9\-]+))?(?:-(?P<sym2>[A-ZĐ]+/[A-Z]+))?")
DATE_RE = re.compile(r"(?<![\d/])(\d{1,2})/(\d{1,2})/(\d{1,4})(?![\d/])")
WORD_DATE_RE = re.compile(r"\bngày\s+(\d{1,2})\s+tháng\s+(\d{1,2})\s+năm\s+(\d{1,4})(?!\d)", re.IGNORECASE)
MONTH_RE = re.compile(r"\btháng\s+(\d{1,2})(?:/|\s+năm\s+)(\d{1,4})(?![\d/])", re.IGNORECASE)
NUMBERING_RE = re.compile(r"^\s*(?:[IVX]+|\d+(?:\.\d+)*)\.\s+\S|^\s*[a-zđ]\)\s+\S")
DASH_RE = re.compile(r"\S\s+–\s+\S")
DIGIT_RE = re.compile(r"\d")
PERCENT_RE = re.compile(r"(?<![\d,.])(\d+(?:[.,]\d+)?)\s?%")
# fields whose text is printed as body text (numbering-typed applies to these)
BODY_FIELDS = {"p", "bullet", "point", "numbered", "note", "fill", "clause", "title", "content", "intro", "closing"}


class SourceFindings:
    """Findings placed where a clerk sees them: file, line and column of the YAML source,
    down to the word inside a text written over several lines."""

    def __init__(self, inputs: Inputs):
        self.inputs = inputs
        self.findings: list[InputIssue] = []
        self._lines: dict[str, list[str]] = {}  # file key -> its lines (read only for texts over several lines)

    def add(self, key: str, path: tuple, offset: int | None, rule: str, message: str, fix: str = "",
            severity: str = "error") -> None:
        from pipeline.inputs.load import format_path

        src = self.inputs.sources[key]
        line, col = src.locate_in(path, offset) if offset is not None else src.locate(path)
        if offset is not None and path not in src.inline and path in src.positions:
            line, col = self._in_block(key, path, offset, (line, col))
        self.findings.append(InputIssue(src.file, line, col, format_path(path), message,
                                        severity=severity, rule=rule, fix=fix))

    def _in_block(self, key: str, path: tuple, offset: int, start: tuple[int, int]) -> tuple[int, int]:
        """The line of ``offset`` inside a text written over several lines (``|``, ``>`` or wrapped).

        Line breaks of such text are not kept as typed (``>`` folds them into spaces), so the
        word at ``offset`` is looked for in the file's lines: its n-th occurrence in the text
        is its n-th occurrence from where the text starts.
        """
        value = self._raw(key, path)
        word = re.split(r"\s", value[offset:] if isinstance(value, str) else "", maxsplit=1)[0][:24]
        path_ = self.inputs.files.get(key)
        if not word or path_ is None:
            return start
        if key not in self._lines:
            from pipeline.inputs.files import read_input

            self._lines[key] = read_input(path_, self.inputs.sources[key].file).split("\n")
        nth = value[:offset].count(word)
        for i in range(start[0] - 1, len(self._lines[key])):
            row = self._lines[key][i]
            at = row.find(word, start[1] - 1 if i == start[0] - 1 else 0)
            while at >= 0:
                if nth == 0:
                    return i + 1, at + 1
                nth -= 1
                at = row.find(word, at + 1)
        return start

    def texts(self) -> Iterator[tuple[str, tuple, str]]:
        for key, data in self.inputs.raw.items():
            for path, text in walk_strings(data):
                yield key, path, text

    def _raw(self, key, path):
        cur = self.inputs.raw[key]
        for p in path:
            try:
                cur = cur[p]
            except (KeyError, IndexError, TypeError):
                return None
        return cur


class Linter(SourceFindings):
    """The rule families; each method reads one text (or the whole inputs) and adds its findings."""

    def __init__(self, inputs: Inputs):
        super().__init__(inputs)
        # what every text is compared with, gathered once
        self._named = [(t, k.lower()) for t in self.inputs.plan.targets for k in t.keywords]
        self._variants = [(unit, variant, re.compile(re.escape(variant) + r"(?![^\W\d_])"))
                          for unit in self.inputs.commune.units for variant in unit.variants]
        self._any_variant = re.compile("|".join(re.escape(v) for _, v, _ in self._variants)) if self._variants else None

    def run(self) -> list[InputIssue]:
        for key, src in self.inputs.sources.items():
            for path in src.non_nfc:
                self.add(key, path, None, "nfc", "văn bản không ở dạng Unicode dựng sẵn (NFC); đã chuẩn hóa khi đọc",
                         fix="lưu lại tệp với bộ gõ Unicode dựng sẵn", severity="warning")
        for key, path, text in self.texts():
            if "variants" in path:
                continue  # known wrong spellings, listed so that the lint can recognise them
            if not _person_name(key, path):  # "Nguyễn Nhân" is a name, not a slip for "nguyên nhân"
                self.spelling(key, path, text)
            self.citations(key, path, text)
            self.dates(key, path, text)
            self.targets(key, path, text)
            self.numbering(key, path, text)
            self.variants(key, path, text)
            self.marks(key, path, text)
            for offset, rule, message, fix, severity in hidden_chars(text):
                self.add(key, path, offset, rule, message, fix=fix, severity=severity)
        self.deadline_periods()
        Consistency(self).run()
        self.years()
        self.period_ended()
        for key, path, message in scores.empty_scores(self.inputs):
            self.add(key, path, None, scores.RULE, message, fix=scores.FIX, severity="warning")
        for key, path, rule, message, fix in empty_fields(self.inputs):
            self.add(key, path, None, rule, message, fix=fix, severity="warning")
        self.findings += obsolete_fields(self.inputs) + self.inputs.notes
        return sorted(set(self.findings))

    def years(self):
        """Years far from the plan's period (``years``); such a deadline is told once, as that."""
        far = set()
        for key, path, message, fix in far_years(self.inputs):
            self.add(key, path, None, "date-year", message, fix=fix)
            far.add((self.findings[-1].file, self.findings[-1].line))
        self.findings = [f for f in self.findings if not (f.rule == "deadline-period" and (f.file, f.line) in far)]

    def spelling(self, key, path, text):
        for offset, rule, message, fix, severity in spelling_slips(text):
            self.add(key, path, offset, rule, message, fix=fix, severity=severity)

    def citations(self, key, path, text):
        if not DIGIT_RE.search(text):
            return  # a citation has a number
        for m in CITATION_RE.finditer(text):
            kind, num, year, sym = m.group("type"), m.group("num"), m.group("year"), m.group("sym")
            if m.group("sym2"):  # "57-NQ/TW": a Party document, number-type/issuer
                continue
            code = DOC_WORDS[kind]
            after = text[m.end():m.end() + 1]
            # "76/NQ-CP" (an individual document: no year) is right; a decree always has its year
            if year is None and (sym is None or kind == "Nghị định") and kind not in (
                    "Luật", "Công văn", "Kế hoạch", "Thông báo", "Hướng dẫn"):
                if after == "-" or not m.group("so") and after not in ("", " ", ",", ";", ".", ")"):
                    continue
                self.add(key, path, m.start(), "citation-year",
                         f"'{m.group(0)}' thiếu năm ban hành và ký hiệu",
                         fix=f"viết đủ: {kind} số {num}/<năm>/{code or 'ký hiệu'}-<cơ quan> ngày … của …")
                continue
            if year is not None and (len(year) != 4 or not 1945 <= int(year) <= dt.date.today().year + 1):
                self.add(key, path, m.start(), "citation-year", f"'{m.group(0)}': năm '{year}' không hợp lệ",
                         fix="năm ban hành viết đủ 4 chữ số")
            if sym:
                if re.fullmatch(r"QH\d{1,2}|UBTVQH\d{1,2}", sym):
                    pass
                elif kind == "Công văn":  # §8: no type abbreviation; the agency, then the drafting unit
                    if "-" not in sym:
                        self.add(key, path, m.start(), "citation-hyphen",
                                 f"ký hiệu công văn '{sym}' thiếu chữ viết tắt đơn vị soạn thảo hoặc lĩnh vực",
                                 fix="kiểm tra lại: dạng CƠQUAN-ĐƠNVỊ, ví dụ UBND-VP; nếu công văn được ban hành "
                                     "đúng như vậy thì giữ nguyên", severity="warning")  # cited as issued
                elif "-" not in sym:
                    fixed = next((f"{t}-{sym[len(t):]}" for t in sorted(TYPE_CODES, key=len, reverse=True)
                                  if sym.startswith(t) and len(sym) > len(t)), None)
                    self.add(key, path, m.start(), "citation-hyphen",
                             f"ký hiệu '{sym}' thiếu dấu gạch nối giữa loại văn bản và cơ quan ban hành",
                             fix=f"viết '{fixed}'" if fixed else "viết dạng LOẠI-CƠQUAN, ví dụ NĐ-CP")
                else:
                    head = sym.split("-")[0]
                    if head not in TYPE_CODES:
                        near = _nearest_code(head, code)
                        self.add(key, path, m.start(), "citation-type",
                                 f"ký hiệu '{sym}': '{head}' không phải chữ viết tắt loại văn bản",
                                 fix=(f"có phải là '{near}{sym[len(head):]}'? " if near else "")
                                 + "(chữ viết tắt theo Phụ lục III Nghị định 30/2020/NĐ-CP)")
                    elif code and head != code:
                        self.add(key, path, m.start(), "citation-type",
                                 f"'{kind}' nhưng ký hiệu là '{sym}' (loại {head})",
                                 fix=f"kiểm tra lại: {kind} có ký hiệu {code}-…")
            if year is not None and not m.group("so") and kind != "Luật":
                self.add(key, path, m.start(), "citation-so", f"'{m.group(0)}': thiếu chữ 'số'",
                         fix=f"viết '{kind} số {m.group(0)[len(kind):].strip()}'", severity="warning")

    def dates(self, key, path, text):
        if not DIGIT_RE.search(text):
            return  # every date form has digits
        for m in DATE_RE.finditer(text):
            d, mo, y = m.groups()
            before = text[:m.start()].rstrip().lower()
            if len(y) != 4:
                self.add(key, path, m.start(), "date-malformed", f"ngày '{m.group(0)}': năm '{y}' không đủ 4 chữ số",
                         fix="viết năm đủ 4 chữ số, ví dụ 15/7/2025")
                continue
            try:
                when = dt.date(int(y), int(mo), int(d))
            except ValueError:
                self.add(key, path, m.start(), "date-malformed", f"ngày '{m.group(0)}' không tồn tại",
                         fix="kiểm tra lại ngày và tháng")
                continue
            if before.endswith("tháng"):
                self.add(key, path, m.start(), "date-month-for-day",
                         f"'tháng {m.group(0)}': chữ 'tháng' đứng trước một ngày đầy đủ",
                         fix=f"viết 'ngày {nd30.short_date(when)}' hoặc 'tháng {nd30.short_month(when.year, when.month)}'")
            elif m.group(0) != nd30.short_date(when):
                self.add(key, path, m.start(), "date-format", f"ngày '{m.group(0)}' viết chưa đúng thể thức",
                         fix=f"viết '{nd30.short_date(when)}' (ngày 2 chữ số; tháng 1, 2 có số 0)", severity="warning")
        in_words = []  # spans of "ngày … tháng … năm …": their month is checked with the day
        for m in WORD_DATE_RE.finditer(text):
            in_words.append(m.span())
            d, mo, y = m.groups()
            if len(y) != 4:
                self.add(key, path, m.start(), "date-malformed", f"'{m.group(0)}': năm '{y}' không đủ 4 chữ số",
                         fix="viết năm đủ 4 chữ số")
                continue
            try:
                dt.date(int(y), int(mo), int(d))
            except ValueError:
                self.add(key, path, m.start(), "date-malformed", f"'{m.group(0)}': ngày này không tồn tại",
                         fix="kiểm tra lại ngày và tháng")
        for m in MONTH_RE.finditer(text):
            mo, y = m.groups()
            if any(a <= m.start() < b for a, b in in_words):
                continue
            if len(y) != 4 or not 1 <= int(mo) <= 12:
                what = f"năm '{y}' không đủ 4 chữ số" if len(y) != 4 else f"tháng {int(mo)} không tồn tại"
                self.add(key, path, m.start(), "date-malformed", f"'{m.group(0)}': {what}",
                         fix="kiểm tra lại tháng và năm, ví dụ 'tháng 11/2025'")
            elif "/" in m.group(0) and mo != nd30.month_str(int(mo)):
                self.add(key, path, m.start(), "date-format", f"'{m.group(0)}' viết chưa đúng thể thức",
                         fix=f"viết 'tháng {nd30.short_month(int(y), int(mo))}' (tháng 1, 2 có số 0, "
                             "các tháng khác không)", severity="warning")

    def targets(self, key, path, text):
        """A figure is compared with the target whose keyword stands nearest to it in its clause."""
        named = self._named
        if not named or "%" not in text:
            return  # only a percentage is compared with a target
        for clause in re.finditer(r"[^.;]+", text):
            part = clause.group(0).lower()
            spots = [(t, i, i + len(k)) for t, k in named for i in _find_all(part, k)]
            if not spots:
                continue
            for m in PERCENT_RE.finditer(clause.group(0)):
                t = min(spots, key=lambda s: max(s[1] - m.end(), m.start() - s[2], 0))[0]
                value = float(m.group(1).replace(",", "."))
                offset = clause.start() + m.start()
                if value == t.value:
                    self.add(key, path, offset, "target-literal",
                             f"'{m.group(0)}' là chỉ tiêu '{t.id}' gõ tay", fix=f"viết {{ct:{t.id}}}",
                             severity="warning")
                else:
                    self.add(key, path, offset, "target-conflict",
                             f"'{m.group(0)}' khác chỉ tiêu '{t.name}' đã khai báo ({t.value:g}{t.unit})",
                             fix=f"dùng {{ct:{t.id}}} để lấy đúng giá trị")

    def numbering(self, key, path, text):
        field = next((p for p in reversed(path) if isinstance(p, str)), "")
        if field in BODY_FIELDS and NUMBERING_RE.match(text):
            found = text.strip().split()[0]
            self.add(key, path, 0, "numbering-typed", f"số mục '{found}' gõ tay ở đầu đoạn",
                     fix="bỏ số mục: vanban tự đánh số (I., 1., 2.1., a))")

    def variants(self, key, path, text):
        if key == "commune" or self._any_variant is None or not self._any_variant.search(text):
            return
        for unit, variant, pattern in self._variants:
            if variant in text:
                for m in pattern.finditer(text):
                    right = unit.short or unit.name
                    self.add(key, path, m.start(), "unit-variant",
                             f"'{variant}' là cách viết khác của '{unit.name}'",
                             fix=f"viết '{right}' hoặc {{dv:{unit.id}}}")

    def marks(self, key, path, text):
        for m in DASH_RE.finditer(text) if "–" in text else ():
            self.add(key, path, m.start() + 1, "dash", "dấu gạch ngang dài '–' dùng như dấu gạch nối",
                     fix="dùng dấu gạch nối '-' có cách hai bên", severity="warning")
        if PLACEHOLDER in text:
            self.add(key, path, text.index(PLACEHOLDER), "placeholder", "còn chỗ cần điền",
                     fix="thay chỗ đánh dấu 'CẦN ĐIỀN' bằng nội dung thật", severity="warning")

    def deadline_periods(self):
        period = self.inputs.plan.period
        for key, where, parts in _dated(self.inputs):
            raw = self._raw(key, where)
            for pi, part in enumerate(parts):
                due = deadlines.due_date(part, period)
                first = {"month": part.month.first_day if part.month else None,
                         "quarter": part.quarter.first_day if part.quarter else None}.get(part.when) or due
                # "chậm nhất là ngày 31/12/2025" in a plan for 2026: work to finish before it starts
                at_latest = (part.wording or "").lower().startswith("chậm nhất") or \
                    "chậm nhất" in (part.text or "").lower()
                early = first and first < period.start and due < period.start and not at_latest
                if due and (due > period.end or early):
                    path = where + ((pi,) if isinstance(raw, list) else ())
                    self.add(key, path, None, "deadline-period",
                             f"thời hạn '{deadlines.lines([part], period)[0]}' nằm ngoài kỳ kế hoạch "
                             f"({nd30.short_date(period.start)}–{nd30.short_date(period.end)})",
                             fix="kiểm tra lại năm, tháng của thời hạn")
        for key, sp in zip(self.inputs.subplan_keys, self.inputs.subplans):
            raw_date = self.inputs.raw[key].get("date")
            if raw_date is None:
                continue
            d = sp.date
            if (d.year, d.month) > (period.end.year, period.end.month):
                self.add(key, ("date",), None, "deadline-period",
                         f"văn bản đề ngày sau kỳ kế hoạch mà nó phục vụ ({period.label})",
                         fix="văn bản triển khai phải ban hành trong kỳ kế hoạch")
            app, order = self.inputs.tasks[sp.ordered_by]
            due = deadlines.task_due(order.deadline, period)
            if due and (d.year, d.month) > (due.year, due.month):
                self.add(key, ("date",), None, "deadline-period",
                         f"văn bản đề tháng {d.month}/{d.year}, sau thời hạn {nd30.short_date(due)} của nhiệm vụ '{order.id}'",
                         fix="đề ngày trong thời hạn của nhiệm vụ, hoặc sửa thời hạn trong appendices.yaml",
                         severity="warning")

    def period_ended(self, today: dt.date | None = None):
        """The plan's period ended before today: its deadlines are all past (a new period needs new inputs)."""
        from pipeline.inputs.clock import today as clock_today

        period, day = self.inputs.plan.period, today or clock_today()
        if day > period.end:
            self.add("plan", ("period", "end"), None, "period-ended",
                     f"kỳ kế hoạch {period.label} đã kết thúc ngày {nd30.short_date(period.end)} (hôm nay là "
                     f"{nd30.short_date(day)}): mọi thời hạn của kế hoạch đã qua",
                     fix="lập dữ liệu kỳ mới từ kỳ này: vanban init <thư mục mới> --from <thư mục này> "
                         "(--year, --period để chọn kỳ)", severity="warning")


PERSON_NAMES = (("commune", "leaders", "name"),)  # (file key, list, field): a person's name, never spell-checked


def _dated(inputs: Inputs) -> Iterator[tuple[str, tuple, list]]:
    """(file key, path, deadline parts) of every task and every schedule row."""
    for ai, a in enumerate(inputs.appendices):
        for ti, task in enumerate(a.tasks):
            yield "appendices", ("appendices", ai, "tasks", ti, "deadline"), task.deadline
        yield from schedule_rows("appendices", ("appendices", ai, "body"), a.body)
    for key, sp in zip(inputs.subplan_keys, inputs.subplans):
        for ti, task in enumerate(sp.tasks):
            yield key, ("tasks", ti, "deadline"), task.deadline
    docs: list[tuple[str, list[im.Section] | None]] = [("plan", inputs.plan.sections)]
    docs += [(k, sp.sections) for k, sp in zip(inputs.subplan_keys, inputs.subplans)]
    docs += [(k, r.sections) for k, r in zip(inputs.report_keys, inputs.report_kinds)]
    for key, sections in docs:
        for si, sec in enumerate(sections or []):
            yield from schedule_rows(key, ("sections", si, "items"), sec.items)


def _person_name(key: str, path: tuple) -> bool:
    return any(key == k and path[:1] == (group,) and path[-1:] == (field,) for k, group, field in PERSON_NAMES)


def _find_all(text: str, word: str) -> Iterator[int]:
    i = text.find(word)
    while i >= 0:
        yield i
        i = text.find(word, i + 1)


def _nearest_code(head: str, expected: str | None) -> str | None:
    """'QD' -> 'QĐ' (typed without the letter Đ), else the code the named type takes."""
    plain = {toneless(c).upper(): c for c in TYPE_CODES}
    return plain.get(toneless(head).upper()) or expected


def lint(inputs: Inputs) -> list[InputIssue]:
    return Linter(inputs).run()


def lint_gate(inputs: Inputs, strict: bool = False) -> list[InputIssue]:
    """What every build does first: raise ``InputErrors`` on an error (or, strict, on any finding);
    return the warnings that let it go on."""
    from pipeline.errors import InputErrors

    findings = lint(inputs)
    if any(f.severity == "error" or strict for f in findings):
        raise InputErrors(findings)
    return findings
