"""Work dealt into groups of about equal weight: the PDF pool's files (``pdf``) and the render
pool's shares (``render.pool``). Standard library only."""

from __future__ import annotations


def balance(weights: list[int], n: int) -> list[list[int]]:
    """Indices of ``weights`` in ``n`` groups of about equal total weight, each in the given order.

    Greedy: the heaviest item goes to the lightest group first (a long plan with its
    appendices and a short report shell do not end up in the same process).
    """
    totals = [0] * n
    groups: list[list[int]] = [[] for _ in range(n)]
    for i in sorted(range(len(weights)), key=lambda i: (-weights[i], i)):
        k = min(range(n), key=lambda k: (totals[k], k))
        groups[k].append(i)
        totals[k] += weights[i]
    return [sorted(g) for g in groups if g]
