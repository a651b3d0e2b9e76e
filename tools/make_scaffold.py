"""Make pipeline/data/scaffold/ (what `vanban init` writes) from the bundled inputs.

The scaffold is the bundled commune's whole set made generic: the plan, its appendices,
the four sub-plans, every report kind, the criteria set and an empty progress file, for the
bundled plan's period (`vanban init` carries it to the period asked for with
`pipeline/inputs/carry.py`). What belongs to the bundled commune alone goes:

- its names become tokens that `vanban init` fills in: the commune's name, the province's,
  the unit word ("xã", "phường", "đặc khu") and the word for its villages ("thôn",
  "tổ dân phố");
- its people become places to fill ("CẦN ĐIỀN"), as does the province's own CCHC plan among
  the legal bases;
- the province's own programmes named in the text give way to national ones or to "the
  province's rules", and the notes on the bundled plan's hand-made original (comments
  saying "bản gốc") are left out;
- the commune gets its establishment date (01/7/2025, when the communes of the 2025
  reorganisation were formed) with a comment saying when to remove it.

Each of these edits must find what it replaces (else the bundled inputs changed and this
tool must follow), and the result must hold nothing of the bundled commune. Re-run after
changing the bundled inputs:

    python tools/make_scaffold.py
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pipeline.commands.init import (  # noqa: E402
    COMMUNE, COMMUNE_UPPER, PROVINCE, SCAFFOLD, UNIT, UNIT_UPPER, VILLAGES)
from pipeline.decree.labels import PLACEHOLDER  # noqa: E402
from pipeline.inputs.carry import first_report_code, fresh_progress  # noqa: E402

SKIPPED = ("progress",)  # the bundled commune's own progress: the scaffold has an empty file instead
ESTABLISHED = ("established: 2025-07-01   # ngày thành lập khi sắp xếp đơn vị hành chính cấp xã; "
               "đơn vị không sắp xếp lại thì xóa dòng này")
UNIT_WORD = re.compile(r"(?<![\w«])(?<!cấp )(?<!hợp tác )xã(?![\w»])(?! hội)")
UNIT_WORD_UPPER = re.compile(r"(?<![\w«])XÃ(?![\w»])(?! HỘI)")
VILLAGE = re.compile(r"(?<![\w«])thôn(?![\w»])")


def replace_once(text: str, pattern: str, repl, what: str) -> str:
    """``text`` with ``pattern`` replaced by ``repl`` (a text, or a function of the match); it must be found."""
    new, n = re.subn(pattern, repl if callable(repl) else lambda _: repl, text)
    if n == 0:
        sys.exit(f"make_scaffold: '{what}' is no longer in the bundled inputs; update tools/make_scaffold.py")
    return new


def without_original_notes(text: str) -> str:
    """The text without the comments on the bundled plan's hand-made original ("bản gốc")."""
    lines, out, i = text.split("\n"), [], 0
    while i < len(lines):
        stripped = lines[i].lstrip()
        if stripped.startswith("#") and not stripped.startswith("# ---"):
            indent, j = len(lines[i]) - len(stripped), i
            while (j < len(lines) and lines[j].lstrip().startswith("#") and not lines[j].lstrip().startswith("# ---")
                   and len(lines[j]) - len(lines[j].lstrip()) == indent):
                j += 1
            if not any("bản gốc" in line.lower() for line in lines[i:j]):
                out += lines[i:j]
            i = j
            continue
        out.append(re.sub(r"\s+#[^\"\n]*bản gốc.*$", "", lines[i], flags=re.IGNORECASE))
        i += 1
    return "\n".join(out)


def own_programmes(text: str, name: str, commune: dict) -> str:
    """The bundled commune's and province's own programmes, made generic."""
    place, province = commune["name"], commune["province"]
    if name == "plan.yaml":
        text = replace_once(text, r"Kế hoạch hành động thực hiện Khâu đột phá.*?giai đoạn 2021 - 2025 của xã "
                            + re.escape(place),
                            "Chương trình tổng thể cải cách hành chính nhà nước giai đoạn 2021 - 2030 và Kế hoạch "
                            f"cải cách hành chính của tỉnh {province}", "Khâu đột phá")
        text = replace_once(text, r"và Đề án 100 của UBND tỉnh", "và quy định của UBND tỉnh", "Đề án 100")
        text = replace_once(text, r"  - Quyết định số 3740/QĐ-UBND[^\n]+",
                            f"  - \"{PLACEHOLDER} kế hoạch cải cách hành chính của UBND tỉnh {province} "
                            "(số, ngày, trích yếu)\"", "3740/QĐ-UBND")
        text = text.replace("signer: pct_tuan", "signer: pho_chu_tich")
    if name == "commune.yaml":
        text = text.replace("id: pct_tuan", "id: pho_chu_tich")
        text = replace_once(text, r"(\n  - id: pho_chu_tich\n    name: )[^\n]+",
                            f"\n  - id: pho_chu_tich\n    name: {PLACEHOLDER} họ và tên Phó Chủ tịch", "pct name")
        text = replace_once(text, r"\n  - id: chu_tich\n",
                            f"\n  - id: chu_tich\n    name: {PLACEHOLDER} họ và tên Chủ tịch\n", "chu_tich")
    return text


def tokens(text: str, name: str, commune: dict) -> str:
    """The bundled commune's names as the tokens `vanban init` fills in."""
    place, province = commune["name"], commune["province"]
    text = text.replace(place, COMMUNE).replace(place.upper(), COMMUNE_UPPER).replace(province, PROVINCE)
    lines = []
    for line in text.split("\n"):
        if name == "commune.yaml" and "xã | phường | đặc khu" in line:
            line = line.replace("unit_word: xã ", f"unit_word: {UNIT} ")  # the comment lists the words as they are
        else:
            line = VILLAGE.sub(VILLAGES, UNIT_WORD_UPPER.sub(UNIT_UPPER, UNIT_WORD.sub(UNIT, line)))
        lines.append(line)
    text = "\n".join(lines)
    if name == "commune.yaml":
        # the bundled commune's own date (formed on 01/7/2025) becomes the scaffold's, with its advice
        text = replace_once(text, r"\nestablished: [^\n]*\n", lambda found: "\n" + ESTABLISHED + "\n", "established")
    return text


def generic(text: str, name: str, commune: dict) -> str:
    text = own_programmes(without_original_notes(text), name, commune)
    text = tokens(text, name, commune)
    leftovers = [w for w in (commune["name"], commune["name"].upper(), commune["province"], "Đề án 100", "3740",
                             "Khâu đột phá", "bản gốc", "pct_tuan") if w in text]
    leftovers += [n["name"] for n in commune["leaders"] if n.get("name") and n["name"] in text]
    if leftovers:
        sys.exit(f"make_scaffold: {name} still holds {leftovers}")
    return text


def main() -> None:
    import yaml

    from pipeline.inputs.model import Period

    source = ROOT / "inputs"
    commune = yaml.safe_load((source / "commune.yaml").read_text(encoding="utf-8"))
    for old in SCAFFOLD.rglob("*.yaml"):
        old.unlink()
    files = sorted(p.relative_to(source).as_posix() for p in source.rglob("*.yaml"))
    kinds: set[str] = set()
    for rel in files:
        if rel.split("/")[0] in SKIPPED:
            continue
        text = (source / rel).read_text(encoding="utf-8")
        if rel.startswith("reports/"):
            kinds |= set(yaml.safe_load(text).get("periods") or [])
        dst = SCAFFOLD / rel
        dst.parent.mkdir(parents=True, exist_ok=True)
        dst.write_text(generic(text, rel.split("/")[-1], commune), encoding="utf-8")
        print("scaffold:", dst.relative_to(ROOT))
    period = Period.model_validate(yaml.safe_load((source / "plan.yaml").read_text(encoding="utf-8"))["period"])
    code = first_report_code(kinds, period)
    dst = SCAFFOLD / "progress" / f"{code}.yaml"
    dst.parent.mkdir(parents=True, exist_ok=True)
    dst.write_text(fresh_progress(code), encoding="utf-8")
    print("scaffold:", dst.relative_to(ROOT))


if __name__ == "__main__":
    main()
