"""Render every document of the bundled set ROUNDS times in this one process, one way or the other:

    python bench/render_only.py direct 10      # from prototypes (render.Prototype), the default way
    python bench/render_only.py libraries 10   # docxtpl's render, python-docx's save, docxcompose

Inputs are loaded and planned once, before the rounds; `bench/run.py` times the two as whole
commands, alternately, so the ratio is mostly the render's.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    way, rounds = sys.argv[1], int(sys.argv[2])
    from pipeline.paths import templates_dir
    from pipeline.plan.documents import plan_build
    from pipeline.inputs.validate import load_inputs
    from pipeline.render.group import groups, render_group, task_of

    inputs = load_inputs(ROOT / "inputs")
    plan = plan_build(inputs)
    tasks = [task_of(plan, g) for g in groups(plan, list(range(len(plan))))]
    templates = templates_dir(inputs.root)
    for _ in range(rounds):
        made = [m for task in tasks for m in render_group(templates, task, direct=(way == "direct"))]
        assert len(made) == len(plan)


if __name__ == "__main__":
    main()
