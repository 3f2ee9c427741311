"""Lines stage: physical lines with their layout facts, and the un-wrapping of lines into text.

PDF extractions of Japanese terms wrap lines at a fixed width, often mid-word (サ|ーバ), put an empty
line between every line and leave trailing spaces where a block ended. Un-wrapping drops the line
break and the layout whitespace around it; a space is kept only where the source had one between two
non-Japanese characters (Smart Data | Platform), so Japanese words wrapped mid-word join up again.
"""
from __future__ import annotations

import re
from array import array
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from itertools import accumulate, compress, count, islice, repeat
from operator import add

from ..model import Segment
from .numerals import fold

_NEWLINE = re.compile(r"\r\n|\r|\n")
_WS = " \t\u3000\f\v\u00a0\ufeff"


@dataclass(slots=True)
class Line:
    no: int            # 1-based line number in the source
    text: str          # the line as printed, without its newline
    start: int         # column of the first non-space character
    end: int           # column after the last non-space character
    norm: str          # folded view of text[start:end] (same length): matching only
    trailing: bool     # whitespace after the last character: many extractions mark a block end so
    gap: int           # whitespace-only (not empty) lines since the previous text line
    page_start: bool = False    # a form feed (a page break in PDF extractions) since the previous text line

    @property
    def body(self) -> str:
        return self.text[self.start:self.end]


def line_starts(text: str) -> array:
    """The offset in `text` of the first character of every line, numbered as split_lines numbers
    them (line n starts at [n - 1]); line ends \r\n, \r and \n, as in the file."""
    if "\r" in text:
        return array("q", [0, *(m.end() for m in _NEWLINE.finditer(text))])
    # A block of the text at a time: split and accumulate count its lines in C, and only one
    # block's lines exist at once (the list of every line was a transient copy of the whole text,
    # the peak of a large document's parse: +5 MB on 3.5 MB of statutes).
    starts, find, pos = array("q"), text.find, 0
    while True:
        end = find("\n", pos + _STARTS_BLOCK) + 1          # just after a newline; 0: none left
        pieces = text[pos:end - 1 if end else len(text)].split("\n")
        # line k + 1 starts after line k and its newline; after the last line: len(text) + 1
        after = accumulate(map(add, map(len, pieces), repeat(1)), initial=pos)
        if not end:
            starts.extend(after)
            return starts
        starts.extend(islice(after, len(pieces)))      # the block's end is the next block's start
        pos = end


_STARTS_BLOCK = 1 << 16


def split_lines(text: str) -> list[Line]:
    """The non-blank lines of `text`, numbered as an editor numbers them."""
    out: list[Line] = []
    append = out.append
    gap = 0
    form_feeds, page_break = "\f" in text, False
    if "\r" in text:
        text = _NEWLINE.sub("\n", text)          # columns within a line do not change
    folded_text = fold(text)
    # Lines are tried for cuts only in a text that has one somewhere (one scan of the text each,
    # instead of tests on every line), and there only where such a cut can fall: a cut after a '。'
    # (a heading glued after it, a number after '。 ', a list opened after its lead-in sentence) in a
    # line with a '。'; items side by side (a spaced (2) or ②) in a line that starts with an item number.
    sentence_cuts = _SENTENCE_CUT.search(folded_text) is not None
    spaced_marker = _SPACED_MARKER.search(folded_text) is not None
    raw_lines = text.split("\n")
    # Empty lines (half the lines of double-spaced extractions) are passed over in C (compress)
    numbered = zip(count(1), raw_lines, folded_text.split("\n"))
    for no, raw, folded_line in compress(numbered, raw_lines):
        if form_feeds and "\f" in raw:
            page_break = True
        # Stripped on the folded line (folding keeps a space a space and any other character not
        # one): its body is the norm, with the columns of the raw line.
        norm = folded_line.rstrip(_WS)
        if not norm:
            gap += 1
            continue
        end = len(norm)
        norm = norm.lstrip(_WS)
        start = end - len(norm)
        line = Line(no, raw, start, end, norm, end < len(raw), gap, page_break)
        page_break, gap = False, 0
        if (sentence_cuts and "。" in norm or spaced_marker and norm[0] in _LIST_FIRST) \
                and (cuts := _cuts(norm, sentence_cuts, spaced_marker)):
            out.extend(_split_at(line, cuts))
        else:
            append(line)
    return out


# An article heading with its caption glued to the sentence before it ('…とする。第５条（禁止事項）'),
# where an extraction lost the line break: the heading starts a line of its own. Whether it is a
# heading is still decided by the tree (numbering continuity, shape): split as a reference
# (…。第５条（禁止事項）の規定により…) the two pieces join up again into the same text.
_GLUED_HEADING = re.compile(r"。[ \t]*(?=第[ \t]*[0-9一二三四五六七八九十百]+[ \t]*条(?:[ \t]*の[ \t]*[0-9一二三四五六七八九十]+)*[ \t]*[(【])")


def _cuts(norm: str, sentence_cuts: bool, spaced_marker: bool) -> list[int]:
    """Where a line holds the starts of more lines (sorted offsets): an article heading glued to the
    sentence before it, a paragraph printed on the line of the one before, items side by side.
    The flags say whether the whole text has a cut after a '。' (_SENTENCE_CUT) or a spaced item
    number somewhere. Every cut falls after a '。' of the line, or in a line that starts with an
    item number (_LIST_FIRST): split_lines tries no other line."""
    sentence = sentence_cuts and "。" in norm
    cuts = [m.end() for m in _GLUED_HEADING.finditer(norm)] if sentence and "第" in norm else []
    if sentence:
        cuts += [m.end() for m in _MERGED_PARAGRAPH.finditer(norm)]
    if spaced_marker and (norm[0] in _CIRCLED_INDEX or norm[0] == "(" and " (" in norm
                          or sentence and _LEAD_IN_LIST.search(norm) is not None):
        cuts += _merged_item_cuts(norm)
    return sorted(set(cuts)) if cuts else cuts


# Items of a list printed side by side ('（１）氏名　（２）住所', a two-column layout) come out of the
# extraction on one line: each next number of the first marker's style, after a space, starts a line
# of its own. Whether it is an item is still decided by the tree.
_PAREN_NUMBER = re.compile(r"\((\d{1,2})\)")
_SPACED_PAREN_NUMBER = re.compile(r"\s\((\d{1,2})\)")
_CIRCLED_INDEX = {chr(0x2460 + k): k + 1 for k in range(20)}        # ①..⑳
_LIST_FIRST = frozenset(["(", *_CIRCLED_INDEX])
_SPACED_CIRCLED = re.compile(r"\s([\u2460-\u2473])")
_SPACED_MARKER = re.compile(r" (?:\(\d|[\u2461-\u2473])")      # on the folded text: spaces are plain
# …and a paragraph number after a sentence on the same line ('…とする。 ２ 前項の…'): the tree keeps it
# only where the numbering continues, else the two pieces join up again.
# …and a list opened right after its lead-in sentence on the same line, when its second item follows
# there too ('…次のとおりです。（１）氏名　（２）住所').
_LEAD_IN_LIST = re.compile(r"。 *(\(1\)|\u2460)(?=.*\s(?:\(2\)|\u2461))")
_MERGED_PARAGRAPH = re.compile(r"。 +(?=\d{1,2}(?:\. *| +)[^\s\d])")
# Any of the three cuts after a '。', in one scan: a text without a match has no line with one (the
# reverse need not hold: _LEAD_IN_LIST's lookahead may reach into the next line, which only lets
# more texts through to the per-line test). None of the three has flags of its own to lose.
_SENTENCE_CUT = re.compile("|".join(p.pattern for p in (_GLUED_HEADING, _MERGED_PARAGRAPH, _LEAD_IN_LIST)))


def _merged_item_cuts(norm: str) -> list[int]:
    lead_in = _LEAD_IN_LIST.search(norm) if norm[0] != "(" and norm[0] not in _CIRCLED_INDEX else None
    if lead_in is not None:             # '…次の書類を提示します。（１）免許証　（２）保険証'
        cut = lead_in.start(1)
        return [cut, *(cut + at for at in _merged_item_cuts(norm[cut:]))]
    if norm[0] == "(":
        first = _PAREN_NUMBER.match(norm)
        if first is None:
            return []
        number = int(first.group(1))
        markers = ((m.start() + 1, int(m.group(1))) for m in _SPACED_PAREN_NUMBER.finditer(norm))
    else:
        number = _CIRCLED_INDEX[norm[0]]
        markers = ((m.start() + 1, _CIRCLED_INDEX[m.group(1)]) for m in _SPACED_CIRCLED.finditer(norm))
    cuts = []
    for at, marked in markers:
        if marked == number + 1:
            cuts.append(at)
            number = marked
    return cuts


def _split_at(line: Line, cuts: list[int]) -> list[Line]:
    """`line` cut at offsets of its norm into lines of their own (same number, whitespace trimmed)."""
    pieces = []
    bounds = [0, *cuts, len(line.norm)]
    for k, (a, b) in enumerate(zip(bounds, bounds[1:])):
        last = k == len(bounds) - 2
        end = line.start + len(line.norm[:b].rstrip(_WS))
        pieces.append(Line(line.no, line.text, line.start + a, end, line.norm[a:end - line.start],
                           line.trailing if last else False, line.gap if k == 0 else 0,
                           line.page_start and k == 0))
    return pieces


class Segments(Sequence):
    """A node's offset map (model.Segment runs) kept as flat numbers — start, end, line, col of each
    run in turn — until read: Segment objects are made on access, and most parses never read them
    (one object per source line of every node, 49,000 on the dev statutes)."""

    __slots__ = ("_flat",)

    def __init__(self, flat: list[int]) -> None:
        self._flat = flat

    def __len__(self) -> int:
        return len(self._flat) >> 2

    def __getitem__(self, k):
        if isinstance(k, slice):
            return [self[j] for j in range(*k.indices(len(self)))]
        if k < 0:
            k += len(self)
        if not 0 <= k < len(self):
            raise IndexError("segment index out of range")
        return Segment(*self._flat[4 * k:4 * k + 4])

    def __iter__(self) -> Iterator[Segment]:
        flat = self._flat
        return map(Segment, flat[0::4], flat[1::4], flat[2::4], flat[3::4])

    def __eq__(self, other) -> bool:
        return list(self) == list(other) if isinstance(other, (Segments, list, tuple)) else NotImplemented

    def __repr__(self) -> str:
        return repr(list(self))


class TextBuilder:
    """Accumulates pieces of source lines into one un-wrapped text and its offset map."""

    __slots__ = ("parts", "runs", "length", "last_char", "last_line", "_last", "_break", "_spaced_latin")

    def __init__(self, spaced_latin: bool = False) -> None:
        # spaced_latin: also keep a space where a wrap falls between Latin and Japanese, as inside
        # short table cells ('プライベート IP サービス' | 'NGN-VPN'), where the layout spaced them.
        self._spaced_latin = spaced_latin
        self.parts: list[str] = []
        self.runs: list[int] = []           # the offset map: start, end, line, col of each piece
        self.length = 0
        self.last_char = ""
        self.last_line = 0                  # the last source line it holds (pieces may come out of order)
        self._last: Line | None = None     # the line of the last piece
        self._break = False

    @property
    def segments(self) -> Segments:
        return Segments(self.runs)

    def add(self, line: Line, col: int | None = None, end: int | None = None) -> None:
        """Append line.text[col:end] (default: the whole line body), un-wrapped onto what came before."""
        if col is None and end is None:
            col, end = line.start, line.end
            piece = line.text[col:end]          # the body: stripped already
        else:
            col = line.start if col is None else col
            end = line.end if end is None else end
            piece = line.text[col:end]
            stripped = piece.strip(_WS)
            if len(stripped) != len(piece):     # (most pieces have no space at either end)
                col += len(piece) - len(piece.lstrip(_WS))
                piece = stripped
            if not piece:
                return
        runs, no, length = self.runs, line.no, self.length
        if length:
            if self._break:
                sep = "\n"
            elif runs[-2] == no:
                # a line that the lines stage cut in two and the tree joined again: what the source
                # printed between the pieces, as printed ('…とする。 2 名以上…')
                sep = line.text[runs[-1] + runs[-3] - runs[-4]:col]
            elif self.last_char >= "\x80" and piece >= "\x80":
                # Japanese on both sides (most wraps): ASCII is below U+0080. (A string compares
                # by its first character first: piece >= "\x80" is piece[0] >= "\x80", without
                # making a one-character string of piece[0].)
                sep = ""
            else:
                sep = self._separator(piece[0])
            if sep:
                self.parts.append(sep)
                length += len(sep)
        self.parts.append(piece)
        after = length + len(piece)
        runs += (length, after, no, col)
        self.length = after
        if no > self.last_line:
            self.last_line = no
        self.last_char = piece[-1]
        self._last = line
        self._break = False

    def hard_break(self) -> None:
        """The next piece starts a new block (table row, list item): separate it with a newline."""
        self._break = True

    def _separator(self, next_char: str) -> str:
        """Between two lines not both Japanese (add joins those): a space kept from the source or
        from a table cell's layout, else nothing."""
        last = self.last_char
        left = last.isascii() and not last.isspace()
        right = next_char.isascii() and not next_char.isspace()
        if left and right and self._last_trailing():
            return " "
        if self._spaced_latin and left != right and (last.isalnum() or next_char.isalnum()):
            return " "
        return ""

    def _last_trailing(self) -> bool:
        """Whether the last piece ran to the end of its line and the line had whitespace after it."""
        line, runs = self._last, self.runs
        return line.trailing and runs[-1] + runs[-3] - runs[-4] >= line.end

    def text(self) -> str:
        return "".join(self.parts)
