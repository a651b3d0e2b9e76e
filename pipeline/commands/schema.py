"""``vanban schema``: write the JSON Schemas of the input files (made in ``inputs/schema.py``)."""

from __future__ import annotations

from pathlib import Path

import click

DEFAULT_DIR = Path("schema")


@click.command("schema")
@click.option("--out", type=click.Path(path_type=Path), default=DEFAULT_DIR, show_default=True,
              help="Thư mục ghi các tệp JSON Schema.")
def schema_command(out: Path) -> None:
    """Ghi JSON Schema của các tệp đầu vào (để VS Code gợi ý và gạch chân lỗi)."""
    from pipeline.inputs.schema import write_schemas

    for path in write_schemas(out):
        click.echo(f"đã ghi {path}")
