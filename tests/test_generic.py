"""The code, data and templates serve any commune: none names the bundled one (issue 9)."""

from __future__ import annotations

import zipfile

import yaml

from tests.conftest import INPUTS, ROOT


def _bundled_names() -> list[str]:
    commune = yaml.safe_load((INPUTS / "commune.yaml").read_text(encoding="utf-8"))
    names = [commune["name"], commune["name"].upper(), commune["place"]]
    names += [le["name"] for le in commune["leaders"] if le.get("name")]
    return sorted(set(names))


def _texts():
    for folder in ("pipeline", "tools", "bench"):
        for path in sorted((ROOT / folder).rglob("*")):
            if path.is_file() and path.suffix in (".py", ".yaml", ".json", ".txt", ".md"):
                yield path.relative_to(ROOT).as_posix(), path.read_text(encoding="utf-8")
    for path in sorted((ROOT / "templates").rglob("*.docx")):
        with zipfile.ZipFile(path) as z:
            for name in z.namelist():
                if name.endswith((".xml", ".rels")):
                    yield f"{path.relative_to(ROOT).as_posix()}:{name}", z.read(name).decode("utf-8")


def test_no_commune_is_named_in_code_data_or_templates():
    names = _bundled_names()
    assert names, "the bundled commune has a name"
    seen = 0
    found = []
    for where, text in _texts():
        seen += 1
        found += [f"{where}: {n}" for n in names if n in text]
    assert seen > 20, "the scan read the code and the templates"
    assert found == [], "commune-specific names belong in inputs/ (or tests), not here:\n" + "\n".join(found)
