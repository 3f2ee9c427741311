"""Bracket pairs: where the bracket opened at one offset closes, or where the one closed opens.

Nested pairs of the same kinds are counted; the search gives up past `limit` characters, and at a
line break when asked (a declaration or a caption never spans lines of the printed text).
"""
from __future__ import annotations

ROUND_OPEN, ROUND_CLOSE = "（(", "）)"


def matching_close(text: str, open_pos: int, limit: int, *, within_line: bool = False,
                   openers: str = ROUND_OPEN, closers: str = ROUND_CLOSE) -> int | None:
    """The offset of the bracket closing the one at `open_pos`, or None."""
    stop = min(len(text), open_pos + limit)
    return _partner(text, range(open_pos, stop), openers, closers, within_line)


def matching_open(text: str, close_pos: int, limit: int, *, within_line: bool = False,
                  openers: str = ROUND_OPEN, closers: str = ROUND_CLOSE) -> int | None:
    """The offset of the bracket opening the one closed at `close_pos`, or None."""
    stop = max(-1, close_pos - limit)
    return _partner(text, range(close_pos, stop, -1), closers, openers, within_line)


def _partner(text: str, positions: range, deeper: str, shallower: str, within_line: bool) -> int | None:
    """Walking `positions` from a bracket of `deeper`, where the depth comes back to zero."""
    depth = 0
    for i in positions:
        ch = text[i]
        if ch in deeper:
            depth += 1
        elif ch in shallower:
            depth -= 1
            if depth == 0:
                return i
        elif within_line and ch == "\n":
            return None
    return None
