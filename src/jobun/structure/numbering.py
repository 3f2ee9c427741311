"""Numbering state of the tree stage: what is open and which number came last.

Decides whether a printed number continues the numbering in force (the next number, a branch such
as 第２条の２ after 第２条, or a jump small enough for the heading's shape), and holds the state that
question is asked against: per instrument (Scope: open containers, last article, 附則 and appendix
counts) and per paragraph owner (Counter: paragraphs counted and the last number printed).
"""
from __future__ import annotations

from ..model import Node

NumberKey = tuple[int, tuple[int, ...]]         # (number, branches): 第２条の３ is (2, (3,))


class Scope:
    """One instrument: the main document or a second one (doc_2) in the same file."""

    def __init__(self, node: Node | None):
        self.node = node                    # the doc_N node; None for the main instrument
        self.containers: list[tuple[int, Node]] = []     # open containers with their level (0 編 … 4 目)
        self.container_last: dict[int, NumberKey] = {}
        self.last_article: NumberKey | None = None
        self.supplementary = 0
        self.appendices = 0


class Counter:
    """Numbering state of the paragraphs of one owner (article, 附則 block, or the instrument)."""

    __slots__ = ("count", "last")

    def __init__(self) -> None:
        self.count = 0
        self.last: int | None = None


def continues(last: NumberKey, key: NumberKey, max_gap: int) -> bool:
    """Whether numbering `key` may follow `last`: the next number, a branch (第２条の２), or a small gap."""
    (n0, b0), (n1, b1) = last, key
    if not b1:
        return n0 < n1 <= n0 + max_gap
    if n1 == n0:
        return b1 > b0 and b1[0] <= (b0[0] if b0 else 1) + max_gap
    return n0 < n1 <= n0 + max_gap and b1 == (1,)
