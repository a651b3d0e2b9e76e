"""Where vanban finds its templates: beside a commune's inputs, else the bundled ones."""

from __future__ import annotations

from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
PLAN_TEMPLATE = "kh_ubnd.docx"
APPENDIX_TEMPLATE = "phu_luc/phu_luc.docx"


def bundled_templates() -> Path:
    """vanban's own templates: ``pipeline/templates`` in an installed package (the wheel
    carries the repository's ``templates/`` there), else ``templates/`` of this checkout."""
    from importlib import resources

    packaged = resources.files("pipeline").joinpath("templates")
    if isinstance(packaged, Path) and (packaged / PLAN_TEMPLATE).is_file():
        return packaged
    return PROJECT_ROOT / "templates"


def templates_dir(inputs_dir: Path) -> Path:
    """``templates/`` beside the inputs when a commune has its own, else the bundled one."""
    own = Path(inputs_dir).resolve().parent / "templates"
    return own if (own / PLAN_TEMPLATE).exists() else bundled_templates()


def has_own_templates(inputs_dir: Path) -> bool:
    """Whether the commune has its own templates (a change to them is the commune's, not vanban's)."""
    return templates_dir(inputs_dir).resolve() != bundled_templates().resolve()
