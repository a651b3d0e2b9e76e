"""The least any one-file edit rebuild must do in a fresh process, and nothing more:

    python bench/edit_floor.py inputs/appendices.yaml

Python starts, click and PyYAML are imported (the CLI and the reader), pydantic is imported, the input
models are made without building their validators (pydantic's ``defer_build``) so that only the models
the edited file needs are built, and that one file is read and validated. Nothing else is read, linted,
planned, rendered or written. `bench/run.py` times it against a cold build: a lower bound for a
one-task edit rebuild of any design that validates the edited input with pydantic in a fresh process.
"""

from __future__ import annotations

import sys

import click  # noqa: F401  (every command starts with the CLI)
import pydantic
import yaml

pydantic.BaseModel.model_config["defer_build"] = True  # inherited by every model made after this line

from pipeline.inputs.model import Appendices, Commune  # noqa: E402  (made deferred: nothing built yet)


def main() -> None:
    with open(sys.argv[1], "rb") as f:
        data = yaml.load(f, Loader=yaml.CSafeLoader)
    Appendices.model_validate(data)  # builds Appendices and the models it holds, then validates
    assert Appendices.__pydantic_complete__ and not Commune.__pydantic_complete__  # only what it needed


if __name__ == "__main__":
    main()
