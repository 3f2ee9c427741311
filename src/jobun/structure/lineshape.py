"""Line shapes the tree stage and page furniture share: how a line ends and what it looks like.

Decides, from a line's last characters, its length and its line start alone: whether it stops
mid-sentence (a particle or a comma), finishes a block (。 or a closing bracket), is a short noun
phrase (what a heading line holds), is plain text (no marker of any kind), and how wide it prints.
"""
from __future__ import annotations

import re
from collections import Counter

from .classify import PLAIN, LineStart
from ..text.lines import Line

BLOCK_END = tuple("。)」』】.")
# A line ending in a particle or comma stops mid-sentence, and so does one ending in 第 or in 第 and
# digits (the number goes on, or its 条 / 項 / 号 does: …場合は、第 | 15条に従う, …第１ | ５条);
# こと / もの end items and definitions.
_OPEN_END = re.compile(r"(?:[、,がをにはでへや(「『【\[〔第]|第\d+|(?<!こ)と|(?<!も)の|から|まで|より|及び|又は|並びに|若しくは|および|または|もしくは)$")
_OPEN_END_REACH = 5              # its longest alternative (第 and digits: 4 at most, 第１２３): the last characters
_OPEN_END_LAST = frozenset("、,がをにはでへや(「『【[〔第とのびらり0123456789")      # the last characters it can end with
_MENU_LABEL_LENGTH = 10
_CLAUSE_SIGN = re.compile(r"[。、，,「」『』はがを]|[ぁ-ん]$")


def ends_open(text: str) -> bool:
    last = text[-2:-1] if text.endswith("\n") else text[-1:]     # $ also matches before a final newline
    return last in _OPEN_END_LAST and _OPEN_END.search(text, max(0, len(text) - _OPEN_END_REACH)) is not None


def closing_mark(text: str) -> bool:
    """'以上' (or '以　上') alone on its line: the mark that closes a document's text, before its
    date lines and appendices."""
    return text[:1] == "以" and text.replace(" ", "") == "以上"


def menu_label(text: str) -> bool:
    """A word or two of a web page's menu: 'ホーム', 'サービス一覧', 'よくあるご質問' (at most ten
    characters, no space, punctuation or number; 'ページトップへ' too)."""
    return len(text) <= _MENU_LABEL_LENGTH and not any(c in text for c in " 。、：:") \
        and not any(c.isdigit() for c in text)


def noun_phrase(text: str) -> bool:
    """At most 20 characters with no punctuation, quotation or clause particle, not stopping on an
    open ending: what a heading line holds ('取得する情報', '個人情報の利用目的', 'モバイル（MVNO）制御システム')."""
    return len(text) <= 20 and not _CLAUSE_SIGN.search(text) and not ends_open(text)


def plain(ls: LineStart) -> bool:
    if ls is PLAIN:
        return True                     # most lines (classify shares this result)
    return ls.heading is None and ls.para is None and not ls.items and not ls.bullet and not ls.caption \
        and not ls.caption_open and not ls.note and not ls.toc and not ls.table_header


def blank_lines_before(prev: Line, line: Line) -> int:
    """The empty lines between two text lines (the whitespace-only ones are line.gap; two pieces
    of one printed line, split by split_lines, have -1)."""
    return line.no - prev.no - 1 - line.gap


def usual_blank_lines(lines: list[Line]) -> int:
    """The empty lines a document prints between two lines of one block, the most frequent count:
    0, or 1 where an extraction double-spaced every line. More, or a whitespace-only line, is a
    break between blocks."""
    counts = Counter(min(max(blank_lines_before(a, b), 0), 2) for a, b in zip(lines, lines[1:]))
    return max(sorted(counts), key=counts.__getitem__) if counts else 0       # a tie: the fewer


def display_width(line: Line) -> int:
    """Columns the line takes when printed: full-width characters count two."""
    text = line.text[:line.end]
    # UTF-8 takes 1 byte for ASCII and 3 for Japanese: (characters + bytes) / 2 counts wide ones twice.
    return (len(text) + len(text.encode("utf-8"))) // 2


def continues_title(line: Line, ls: LineStart) -> bool:
    """A short line without punctuation or marker: the rest of a heading's title."""
    return len(line.norm) <= 20 and not any(c in line.norm for c in "。、") and ls.para is None \
        and not ls.items and not ls.caption
