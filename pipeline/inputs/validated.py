"""The validated inputs of one commune, and the lookups every later stage uses."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pipeline.errors import InputIssue
from pipeline.inputs import model as m
from pipeline.inputs.kinds import TaskRef, task_index
from pipeline.inputs.load import SourceMap


@dataclass(slots=True)
class Inputs:
    """Everything the documents are built from, validated.

    The lookups (``units``, ``tasks`` …) are derived once from the lists at
    construction; nothing can be added to an ``Inputs`` afterwards (slots).
    """

    root: Path
    commune: m.Commune
    plan: m.Plan
    appendices: list[m.Appendix]
    subplans: list[m.SubPlan] = field(default_factory=list)
    report_kinds: list[m.ReportKind] = field(default_factory=list)
    progress: list[m.Progress] = field(default_factory=list)
    criteria: list[m.CriteriaSet] = field(default_factory=list)  # self-assessment criteria sets
    sources: dict[str, SourceMap] = field(default_factory=dict)  # file key -> positions
    raw: dict[str, Any] = field(default_factory=dict)  # file key -> data as loaded
    files: dict[str, Path] = field(default_factory=dict)  # file key -> path
    subplan_keys: list[str] = field(default_factory=list)  # file key of each sub-plan, in order
    report_keys: list[str] = field(default_factory=list)  # file key of each report kind
    progress_keys: list[str] = field(default_factory=list)  # file key of each progress file
    criteria_keys: list[str] = field(default_factory=list)  # file key of each criteria set
    notes: list[InputIssue] = field(default_factory=list)  # warnings met while finding the files (files.discover)

    units: dict[str, m.Unit] = field(init=False)
    groups: dict[str, m.UnitGroup] = field(init=False)
    leaders: dict[str, m.Leader] = field(init=False)
    targets: dict[str, m.Target] = field(init=False)
    appendix_index: dict[str, int] = field(init=False)
    tasks: dict[str, tuple[m.Appendix, m.Task]] = field(init=False)
    task_refs: dict[str, TaskRef] = field(init=False)  # every task, the sub-plans' too (kinds.task_index)

    def __post_init__(self) -> None:
        self.units = {u.id: u for u in self.commune.units}
        self.groups = {g.id: g for g in self.commune.groups}
        self.leaders = {l.id: l for l in self.commune.leaders}
        self.targets = {t.id: t for t in self.plan.targets}
        self.appendix_index = {a.id: i for i, a in enumerate(self.appendices)}
        self.tasks = {t.id: (a, t) for a in self.appendices for t in a.tasks}
        self.task_refs = task_index(self)
