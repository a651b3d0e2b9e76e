"""The input schema: what office staff may write in ``inputs/``. Import it from here.

``from pipeline.inputs import model as m`` gives every model and type (``m.Task``,
``m.Plan`` …). They are written in modules by what they describe, each importing
only those before it (none imports this one):

- ``fields``: ids, text, the base model (every model forbids unknown keys; ``HasObsolete``
  drops the keys it no longer reads, see ``obsolete.py``), the dates;
- ``commune``: commune.yaml — the commune, its issuing body, leaders and units;
- ``document``: what every document has (its body items, signature, recipients) and the plan;
- ``tasks``: deadlines, tasks, appendices and the sub-plans that tasks order;
- ``criteria``: the self-assessment criteria sets;
- ``reporting``: report kinds and progress records.

Every build loads these models, so they are written to be built once, when the
class is made: annotations are real objects (no ``from __future__ import
annotations``, which would make pydantic evaluate every one from a string), and
each model is declared after the models it holds, so none has to be built twice
(``model_rebuild``).
"""

from pipeline.inputs.commune import Agency, Commune, Leader, Unit, UnitGroup
from pipeline.inputs.document import (
    ITEM_TAG,
    Bullet,
    Clause,
    DocumentSpec,
    Fill,
    Generated,
    Item,
    Note,
    Numbered,
    Para,
    Period,
    Plan,
    Point,
    Recipients,
    Section,
    Signature,
    Target,
    TaskTable,
)
from pipeline.inputs.fields import (
    FIRST_YEAR,
    LAST_YEAR,
    YM,
    Base,
    Day,
    FileStem,
    HasObsolete,
    Id,
    IDate,
    IdList,
    IssueDate,
    Q,
    Quarter,
    Text,
    YearMonth,
)
from pipeline.inputs.criteria import CriteriaArea, CriteriaSet, Criterion, CriterionPart, Decision
from pipeline.inputs.reporting import (
    Progress,
    ReportKind,
    TaskProgress,
    TaskStatus,
)
from pipeline.inputs.tasks import Appendices, Appendix, Deadline, DeadlinePart, Recurrence, SubPlan, Task

__all__ = [
    "FIRST_YEAR", "LAST_YEAR", "Day", "Id", "Text", "Base", "HasObsolete", "YearMonth", "YM", "Quarter", "Q", "IssueDate", "IDate", "FileStem", "IdList",
    "Agency", "Leader", "Unit", "UnitGroup", "Commune",
    "Signature", "Recipients", "Para", "Bullet", "Point", "Numbered", "Note", "Fill", "TaskTable", "Generated",
    "ITEM_TAG", "Item", "Clause", "Section", "Period", "Target", "DocumentSpec", "Plan",
    "Recurrence", "DeadlinePart", "Deadline", "Task", "Appendix", "Appendices", "SubPlan",
    "ReportKind", "Decision", "CriterionPart", "Criterion", "CriteriaArea", "CriteriaSet", "TaskStatus", "TaskProgress", "Progress",
]
