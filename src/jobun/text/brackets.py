"""Bracket pairs: where the bracket opened at one offset closes, or where the one closed opens.

Nested pairs of the same kinds are counted; the search gives up past `limit` characters, and at a
line break when asked (a declaration or a caption never spans lines of the printed text). The walk
steps from bracket to bracket (the engine finds them in C), not through every character between.
"""
from __future__ import annotations

import functools
import re
from typing import Iterable

ROUND_OPEN, ROUND_CLOSE = "（(", "）)"


def matching_close(text: str, open_pos: int, limit: int, *, within_line: bool = False,
                   openers: str = ROUND_OPEN, closers: str = ROUND_CLOSE) -> int | None:
    """The offset of the bracket closing the one at `open_pos`, or None."""
    stop = min(len(text), open_pos + limit)
    if within_line:
        line_end = text.find("\n", open_pos, stop)
        stop = stop if line_end < 0 else line_end
    found = (m.start() for m in _bracket_class(openers + closers).finditer(text, open_pos, stop))
    return _partner(text, found, openers, closers)


def matching_open(text: str, close_pos: int, limit: int, *, within_line: bool = False,
                  openers: str = ROUND_OPEN, closers: str = ROUND_CLOSE) -> int | None:
    """The offset of the bracket opening the one closed at `close_pos`, or None."""
    start = max(0, close_pos - limit + 1)
    if within_line:
        start = max(start, text.rfind("\n", start, close_pos + 1) + 1)
    found = [m.start() for m in _bracket_class(openers + closers).finditer(text, start, close_pos + 1)]
    return _partner(text, reversed(found), closers, openers)


@functools.lru_cache(maxsize=None)
def _bracket_class(brackets: str) -> re.Pattern:
    return re.compile(f"[{re.escape(brackets)}]")


def _partner(text: str, positions: Iterable[int], deeper: str, shallower: str) -> int | None:
    """Walking the brackets at `positions` from one of `deeper`, where the depth comes back to zero."""
    depth = 0
    for i in positions:
        if text[i] in deeper:
            depth += 1
        else:
            depth -= 1
            if depth == 0:
                return i
    return None
