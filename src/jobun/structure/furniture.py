"""Furniture stage: the lines a printed page adds around the text, found before the tree is built.

Decides which lines are page furniture — page numbers ('- 3 -', a bare '12' at a page break),
running headers and footers ('サンプル利用規約　2/15', '株式会社サンプル' at every page break) and
container headings printed again atop a page ('第１章 総則' inside chapter 1), a web page's footer
menu below the text (利用規約 | サイトマップ, after 以上 or by the copyright line) — from repetition
across the document: the same short plain line with a page number that counts up, the same text on
either side of the page breaks (form feeds or page-number lines), the same heading with no new
article numbering after it. It runs on the line starts (it must know headings and markers), between
classification and the tree; the tree skips these lines wherever they fall (see structure/tree.py).
"""
from __future__ import annotations

import bisect
import re

from .classify import Heading, LineStart
from .lineshape import closing_mark, continues_title, menu_label, plain
from ..text.lines import Line
from ..text.numerals import squash

_PAGE_MARK = re.compile(r"\s+(?:[-—–ー]\s*)?(?:\d{1,4}\s*/\s*\d{1,4}|(?i:p\.|page)?\s*\d{1,4})(?:\s*[-—–ー])?$")
_PAGE_MARK_LAST = "-—–ー"


class Furniture:
    """The furniture of one document, by line index. `running` lines count as furniture only once
    the text has started (a title printed again atop each page; before that, the title itself)."""

    __slots__ = ("running", "bare_page_numbers", "headings")

    def __init__(self, running: set[int], bare_page_numbers: set[int], headings: list[int]):
        self.running = running
        self.bare_page_numbers = bare_page_numbers
        self.headings = headings            # the lines with a heading (any shape), which the tree reads too


def find(lines: list[Line], starts: list[LineStart]) -> Furniture:
    headings = [k for k, ls in enumerate(starts) if ls.heading is not None]
    running, page_numbers, numbers = _running_lines(lines, starts)
    running |= _running_headings(lines, starts, headings)
    page_starts = [k for k, line in enumerate(lines) if line.page_start]     # form feeds
    bare_page_numbers = _bare_page_numbers(numbers, page_starts)
    running |= _page_edge_lines(lines, starts, page_numbers + sorted(bare_page_numbers), page_starts)
    running |= _footer_menu(lines, starts)
    return Furniture(running, bare_page_numbers, headings)


def _footer_menu(lines: list[Line], starts: list[LineStart]) -> set[int]:
    """A web page's footer copied below the document: three or more menu labels at the end (利用規約 |
    サイトマップ | ページトップへ), after the closing 以上 or next to the copyright line."""
    first, labels, copyright = len(lines), 0, False
    while first:
        ls, norm = starts[first - 1], lines[first - 1].norm
        if ls.page_number:
            copyright = True            # the copyright line ('© 2024 …') or a page number
        elif plain(ls) and menu_label(norm) and not closing_mark(norm):
            labels += 1
        else:
            break
        first -= 1
    if labels < 3 or not (copyright or first and closing_mark(lines[first - 1].norm)):
        return set()
    return set(range(first, len(lines)))


def _running_lines(lines: list[Line], starts: list[LineStart]) -> tuple[set[int], list[int], list[tuple[int, int]]]:
    """Indexes of running headers and footers: a short plain line ending in a page number, printed
    three or more times with different numbers ('サンプル利用規約　2/15', 'サンプル利用規約　3/15'),
    or twice when the number is page-of-total with the same total ('会社名　1/9', '会社名　2/9'): a
    short document has few pages, and a prose line does not repeat its text with a new fraction.
    Also, found on the way, the page-number lines ('- 3 -') and the lines that are a bare number of
    at most four digits, with its value (for _bare_page_numbers)."""
    seen: dict[str, list[tuple[int, str]]] = {}
    page_numbers: list[int] = []
    numbers: list[tuple[int, int]] = []
    for i, line in enumerate(lines):        # (its line start is read only past the first test)
        norm = line.norm
        last = norm[-1]
        if not (last.isdigit() or last in _PAGE_MARK_LAST) or len(norm) > 40 or "。" in norm:
            continue                    # a page mark ends in a digit or a dash, and so does a number
        if len(norm) <= 4 and norm.isascii() and norm.isdigit():
            numbers.append((i, int(norm)))
        ls = starts[i]
        if ls.page_number:
            page_numbers.append(i)
            continue
        if not plain(ls):
            continue
        mark = _PAGE_MARK.search(norm)
        if mark and mark.start() > 0:
            seen.setdefault(norm[:mark.start()], []).append((i, mark.group()))
    running: set[int] = set()
    for where in seen.values():
        marks = [mark for _i, mark in where]
        if len(set(marks)) == len(marks) and (len(marks) >= 3 or len(marks) == 2 and _pages_of_one_total(marks)):
            running.update(i for i, _mark in where)
    return running, page_numbers, numbers


def _page_edge_lines(lines: list[Line], starts: list[LineStart], page_numbers: list[int],
                     page_starts: list[int]) -> set[int]:
    """Indexes of headers and footers without a page number ('株式会社サンプル', 'Confidential'): a
    short plain line printed with the same text at the page breaks, beside a page number or on
    either side of a form feed."""
    breaks = [(k - 1, k + 1) for k in page_numbers] + [(k - 1, k) for k in page_starts]
    numbers = set(page_numbers)
    edges: dict[str, set[int]] = {}             # text → the lines that carry it at a page break
    for around in breaks:
        for k in around:
            if 0 <= k < len(lines) and k not in numbers and len(lines[k].norm) <= 40 \
                    and "。" not in lines[k].norm and plain(starts[k]) and not starts[k].page_number:
                edges.setdefault(squash(lines[k].norm), set()).add(k)
    # at two breaks at least, and at half of them: a short line ending a paragraph ('契約') may sit
    # at two breaks by chance, a header or footer sits at every one
    enough = max(2, len(breaks) // 2)
    return {k for where in edges.values() if len(where) >= enough for k in where}


def _bare_page_numbers(numbers: list[tuple[int, int]], page_starts: list[int]) -> set[int]:
    """Indexes of page numbers printed as a bare number on a line of their own ('12'; `numbers`: the
    lines that are one, with its value): next to a page break (a form feed, which PDF extractions
    print between pages) and about the number of the page there, or when the bare numbers of the
    document count up one by one at least a page apart (a paragraph number printed alone, ２ |
    当社は…, starts again in every article)."""
    pages = set()
    starts_page = set(page_starts)
    for i, n in numbers:
        if i in starts_page or i + 1 in starts_page:
            breaks_so_far = bisect.bisect_right(page_starts, i)
            # the number of the page it ends or starts (after k breaks: page k + 1), give or take a cover
            if abs(n - (breaks_so_far + 1)) <= 2:
                pages.add(i)
    if len(numbers) >= 2 and all(m == n + 1 and j - i >= _MIN_PAGE_LINES
                                 for (i, n), (j, m) in zip(numbers, numbers[1:])):
        pages.update(i for i, _n in numbers)
    return pages


_MIN_PAGE_LINES = 8


_PAGE_OF_TOTAL = re.compile(r"(\d{1,4})\s*/\s*(\d{1,4})")


def _pages_of_one_total(marks: list[str]) -> bool:
    """'1/9' and '2/9': page numbers within one total."""
    fractions = [_PAGE_OF_TOTAL.search(mark) for mark in marks]
    if not all(fractions):
        return False
    totals = {f.group(2) for f in fractions}
    return len(totals) == 1 and all(0 < int(f.group(1)) <= int(f.group(2)) for f in fractions)


def _running_headings(lines: list[Line], starts: list[LineStart], headings: list[int]) -> set[int]:
    """Indexes of container headings printed again at the top of a page ('第１章 総則' inside
    chapter 1), with their title line when the title stands below ('第１章' | '総則'): the same
    number and title as the last heading of that level, and no restart of the article numbering
    after it (a second instrument that opens with the same chapter starts again at 第１条). Nothing
    before the first article runs: a table of contents (目次) prints the headings that follow it. A
    heading without a title says too little."""
    running: set[int] = set()
    last_of_level: dict[int, tuple] = {}        # level → (number, branches, title) of its last heading
    article_since: dict[int, bool] = {}         # level → an article heading came after that heading
    articles = False
    restarts = _restarts_after(starts, headings)
    for i in headings:                          # the lines with a heading, in order
        h = starts[i].heading
        if h.shape == "reference" or h.num is None:
            continue
        if h.kind == "article":
            article_since = dict.fromkeys(article_since, True)
            articles = True
            continue
        if h.kind != "container":
            continue
        title_lines = _heading_title_lines(lines, starts, i, h)
        title = "".join(lines[k].norm for k in title_lines) if title_lines else h.title or ""
        key = (h.num, h.branches, squash(title))
        if key[2] and last_of_level.get(h.level) == key and articles \
                and not (article_since[h.level] and restarts[i]):
            running.add(i)
            running.update(title_lines)
            continue
        last_of_level[h.level] = key
        article_since[h.level] = False
        for deeper in [level for level in last_of_level if level > h.level]:
            del last_of_level[deeper], article_since[deeper]
    return running


def _heading_title_lines(lines: list[Line], starts: list[LineStart], i: int, h: Heading) -> list[int]:
    """The line below a container heading printed without a title, when it reads as that title."""
    k = i + 1
    if h.title is None and k < len(lines) and plain(starts[k]) and continues_title(lines[k], starts[k]):
        return [k]
    return []


def _restarts_after(starts: list[LineStart], headings: list[int]) -> dict[int, bool]:
    """For each heading line: whether the first article heading after it is an unbranched 第１条
    (one after a 附則 or 別表 heading numbers that block). One backward pass over the headings."""
    restarts: dict[int, bool] = {}
    ahead = False
    for i in reversed(headings):
        restarts[i] = ahead
        h = starts[i].heading
        if h.shape == "reference" or h.num is None and h.kind == "article":
            continue
        if h.kind in ("supplementary", "appendix"):
            ahead = False
        elif h.kind == "article":
            ahead = h.num == 1 and not h.branches
    return restarts
