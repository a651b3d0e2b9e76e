"""Pair the most similar items of two changed runs (difflib.Differ's "fancy replace").

Used by ``vcs.diff`` and ``commands.diff`` (lines of text) and ``redline`` (paragraphs and tables):
the most similar old/new pair above ``cutoff`` is matched, then the runs
before and after it are paired the same way; what finds no partner is
returned alone, the old ones first.
"""

from __future__ import annotations

import difflib
from typing import Any, Callable, Sequence, TypeVar

T = TypeVar("T")
PAIR_RATIO = 0.45  # below this, a changed item is shown as removed + added


def pair_most_similar(olds: Sequence[T], news: Sequence[T], key: Callable[[T], Any] = lambda x: x,
                      can_pair: Callable[[T, T], bool] = lambda a, b: True,
                      cutoff: float = PAIR_RATIO) -> list[tuple[T | None, T | None]]:
    """(old, new) pairs in order; an unpaired old item comes as (old, None), a new one as (None, new)."""
    old_keys, new_keys = [key(o) for o in olds], [key(n) for n in news]

    def pair(i0: int, i1: int, j0: int, j1: int) -> list[tuple[T | None, T | None]]:
        best, bi, bj = cutoff, -1, -1
        for j in range(j0, j1):
            for i in range(i0, i1):
                if not can_pair(olds[i], news[j]):
                    continue
                sm = difflib.SequenceMatcher(None, old_keys[i], new_keys[j], autojunk=False)
                if sm.real_quick_ratio() > best and sm.quick_ratio() > best and sm.ratio() > best:
                    best, bi, bj = sm.ratio(), i, j
        if bi < 0:
            return [(olds[i], None) for i in range(i0, i1)] + [(None, news[j]) for j in range(j0, j1)]
        return pair(i0, bi, j0, bj) + [(olds[bi], news[bj])] + pair(bi + 1, i1, bj + 1, j1)

    return pair(0, len(olds), 0, len(news))
