"""Sentence splitting of a node's own text.

A sentence ends at 。 outside brackets (「」『』（）()【】［］〔〕), at a newline (table rows and list
items are separated by "\\n" in Node.text) and at the end of the text. Spans are [start, end) offsets
into the text, each trimmed of surrounding whitespace; blank pieces yield no sentence.

Bracket depth is computed per line with a stack in which any closer closes the innermost open
bracket, so mixed pairs printed in the seeds such as （…) still balance. An opener that is never
closed on its line is ignored: a stray （ must not swallow the rest of the paragraph.
"""
from __future__ import annotations

import re

from ..model import Sentence

OPENERS = "「『（(【［〔"
CLOSERS = "」』）)】］〕"
_BRACKET = re.compile(f"[{re.escape(OPENERS + CLOSERS)}]")
_BRACKET_OR_STOP = re.compile(f"[{re.escape(OPENERS + CLOSERS)}。]")
_LINE = re.compile(r"[^\n]+")
# a piece of a line without brackets, cut after each 。 and trimmed of whitespace (\S is exactly
# what str.isspace() calls not whitespace, as _trim reads it): from its first printed character to its 。 or, in the last piece, to its last
# printed character. Each match starts on a printed character, so the scan steps over whitespace
# at once (no backtracking into it).
_PIECE = re.compile(r"。|\S[^。]*。|\S(?:[^。]*\S)?")


def split(text: str) -> list[Sentence]:
    """The sentences of `text`, in order: each Sentence made once, straight from its span."""
    if "\n" not in text:
        stops = text.count("。")
        # One sentence at most: no 。 (a heading, an item), or one 。 that ends the text (most
        # paragraphs), wherever the brackets are.
        if stops == 0 or stops == 1 and text.rstrip().endswith("。"):
            trimmed = _trim(text, 0, len(text))
            return [Sentence(trimmed)] if trimmed else []
        lines = [(0, len(text))]
    else:
        lines = [m.span() for m in _LINE.finditer(text)]
    sentences = []
    for start, end in lines:
        if _BRACKET.search(text, start, end) is None:       # most lines: every 。 ends a sentence
            sentences += [Sentence(m.span()) for m in _PIECE.finditer(text, start, end)]
            continue
        piece_start = start
        for piece_end in _piece_ends(text, start, end):
            trimmed = _trim(text, piece_start, piece_end)
            if trimmed is not None:
                sentences.append(Sentence(trimmed))
            piece_start = piece_end
    return sentences


def split_spans(text: str) -> list[tuple[int, int]]:
    """[start, end) spans of the sentences of `text`, whitespace-trimmed, in order."""
    return [sentence.span for sentence in split(text)]


def _piece_ends(text: str, start: int, end: int) -> list[int]:
    """Where the pieces of one line end: after each 。 that no matched bracket pair encloses, and
    at the line's end. A 。 is enclosed when the innermost bracket open before it closes later on
    the line: brackets above one that never closes would have to close before it, so they never
    close either."""
    marks = _BRACKET_OR_STOP.findall(text, start, end)     # the brackets and 。 of the line, in order
    innermost: list[int] = []       # for each 。: index in `marks` of the innermost opener open there, or -1
    open_stack: list[int] = []      # indices in `marks` of the openers still open
    for at, ch in enumerate(marks):
        if ch == "。":
            innermost.append(open_stack[-1] if open_stack else -1)
        elif ch in OPENERS:
            open_stack.append(at)
        elif open_stack:                    # a closer closes the innermost opener, whatever its kind
            open_stack.pop()
        # a closer with nothing open is a typo in the source; ignore it
    unclosed = set(open_stack)
    ends = []
    stop = start - 1
    for opener in innermost:
        stop = text.find("。", stop + 1, end)
        if opener < 0 or opener in unclosed:
            ends.append(stop + 1)
    ends.append(end)
    return ends


def _trim(text: str, start: int, end: int) -> tuple[int, int] | None:
    if start < end and not text[start].isspace() and not text[end - 1].isspace():
        return start, end                   # the common case, without a loop
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return (start, end) if start < end else None
