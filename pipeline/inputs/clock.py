"""Today's date, as vanban sees it: the machine's, or ``VANBAN_TODAY`` (YYYY-MM-DD) when set.

Whatever depends on the day (the lint's ``period-ended``, ``vanban init``'s default year)
asks here, so a test, a demonstration or a rebuild of an old year can fix the day.
"""

from __future__ import annotations

import datetime as dt
import os

ENV = "VANBAN_TODAY"


def today() -> dt.date:
    """``VANBAN_TODAY`` when set (a wrong one is a usage error, exit 2), else the machine's date."""
    value = os.environ.get(ENV, "").strip()
    if not value:
        return dt.date.today()
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        import click

        raise click.UsageError(f"biến môi trường {ENV}='{value}' không phải một ngày dạng YYYY-MM-DD "
                               "(ví dụ 2026-01-15); hãy sửa hoặc bỏ biến này") from None
