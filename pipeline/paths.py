"""Where vanban finds its templates: beside a commune's inputs, else the bundled ones."""

from __future__ import annotations

from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
PLAN_TEMPLATE = "kh_ubnd.docx"
APPENDIX_TEMPLATE = "phu_luc/phu_luc.docx"


def templates_dir(inputs_dir: Path) -> Path:
    """``templates/`` beside the inputs when a commune has its own, else the bundled one."""
    own = Path(inputs_dir).resolve().parent / "templates"
    return own if (own / PLAN_TEMPLATE).exists() else PROJECT_ROOT / "templates"
