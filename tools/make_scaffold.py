"""Make pipeline/data/scaffold/ (what `vanban init` writes) from the bundled inputs.

The bundled commune's names become tokens that `vanban init` fills in, its
people become places to fill ("CẦN ĐIỀN"), and province-specific citations are
marked to be replaced. Re-run after changing the bundled plan's structure:

    python tools/make_scaffold.py
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pipeline.commands.init import COMMUNE, COMMUNE_UPPER, PROVINCE, SCAFFOLD  # noqa: E402
from pipeline.decree.labels import PLACEHOLDER  # noqa: E402

# The kinds whose tasks are in the plan's appendices; the reports of the sub-plans (chuyển đổi số,
# tiết kiệm - chống lãng phí) need those sub-plans, which a new commune writes itself.
FILES = ["commune.yaml", "plan.yaml", "appendices.yaml", "reports/bc_cchc.yaml", "reports/bc_tu_cham_diem.yaml",
         "reports/bc_theo_doi_thpl.yaml", "reports/bc_tuyen_truyen.yaml", "reports/bc_ky_luat_ky_cuong.yaml",
         "criteria/chi_so_cchc.yaml"]


def generic(text: str, name: str, commune: dict) -> str:
    place, province = commune["name"], commune["province"]
    text = text.replace(place, COMMUNE).replace(place.upper(), COMMUNE_UPPER).replace(province, PROVINCE)
    if name == "commune.yaml":
        text = text.replace("id: pct_tuan", "id: pho_chu_tich")
        text = re.sub(r"(\n  - id: pho_chu_tich\n    name: )[^\n]+", rf"\1{PLACEHOLDER} họ và tên Phó Chủ tịch", text)
        text = re.sub(r"(\n  - id: chu_tich\n)", rf"\1    name: {PLACEHOLDER} họ và tên Chủ tịch\n", text)
    if name == "plan.yaml":
        text = text.replace("signer: pct_tuan", "signer: pho_chu_tich")
        text = re.sub(r"  - Quyết định số 3740/QĐ-UBND[^\n]+",
                      f"  - \"{PLACEHOLDER} kế hoạch cải cách hành chính của UBND tỉnh {PROVINCE} (số, ngày, trích yếu)\"",
                      text)
    return text


def main() -> None:
    import yaml

    commune = yaml.safe_load((ROOT / "inputs" / "commune.yaml").read_text(encoding="utf-8"))
    for name in FILES:
        src = ROOT / "inputs" / name
        dst = SCAFFOLD / name
        dst.parent.mkdir(parents=True, exist_ok=True)
        dst.write_text(generic(src.read_text(encoding="utf-8"), name, commune), encoding="utf-8")
        print("scaffold:", dst.relative_to(ROOT))


if __name__ == "__main__":
    main()
