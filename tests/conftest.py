"""Shared fixtures: the bundled inputs, one in-memory build per session, docx readers."""

from __future__ import annotations

import io
import os
import shutil
from pathlib import Path

import pytest
from docx import Document

ROOT = Path(__file__).resolve().parent.parent
INPUTS = ROOT / "inputs"
OUTPUTS = ROOT / "outputs"
DATA = Path(__file__).resolve().parent / "data"
IN_CI = os.environ.get("CI") == "true"
# The bundled inputs plan the second half of 2025: the suite runs as on a day inside that period
# (pipeline/inputs/clock.py), so no test depends on the machine's date (the lint's period-ended,
# init's default year); subprocesses inherit it. A test about the day sets its own.
os.environ.setdefault("VANBAN_TODAY", "2025-10-01")


def open_docx(data: bytes | Path):
    """A python-docx Document from bytes or a path."""
    if isinstance(data, (str, Path)):
        return Document(str(data))
    return Document(io.BytesIO(data))


@pytest.fixture(scope="session")
def inputs():
    from pipeline.inputs.validate import load_inputs

    return load_inputs(INPUTS)


@pytest.fixture(scope="session")
def built(inputs):
    """Every document of the bundled inputs, built once: {relative path: Built}."""
    from pipeline.build.run import build_documents

    return {b.path: b for b in build_documents(inputs)}


@pytest.fixture(scope="session")
def plan_doc(built, inputs):
    from pipeline.plan.documents import file_stem

    return open_docx(built[f"{file_stem(inputs.plan)}.docx"].data)


@pytest.fixture
def inputs_copy(tmp_path):
    """A writable copy of the bundled inputs (and an empty output folder beside it)."""
    dst = tmp_path / "inputs"
    shutil.copytree(INPUTS, dst)
    (tmp_path / "outputs").mkdir()
    return dst


def soffice_or_skip() -> str:
    """The LibreOffice binary; in CI its absence is a failure, elsewhere a skip."""
    exe = shutil.which("soffice") or shutil.which("libreoffice")
    if exe:
        return exe
    if IN_CI:
        pytest.fail("LibreOffice (soffice) is required in CI; .ci/run installs it")
    pytest.skip("LibreOffice (soffice) is not installed")
