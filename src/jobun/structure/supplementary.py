"""附則 blocks and appendices: the parts after the main provision.

Decides where a 附則 block opens (a 附則 heading once the main text has begun; its articles number
anew from 第一条, and its title and 抄 may stand on the lines after it) and where an appendix opens
(別表, 別紙, 別記, 様式, 付録 at a line start after a finished block, after another appendix, or alone
on its line with at most a bracketed caption — not 別紙１に定める… wrapped to a line start, which is
prose; nor a title that is its number alone right after the open appendix's title in the same
block of lines: e-Gov prints a run of form titles so, as one appendix). Each block gets its ordinal
in its instrument.
"""
from __future__ import annotations

import re

from .classify import Heading
from .lineshape import ends_open
from .numbering import Counter, NumberKey
from ..model import Node
from ..text.lines import Line
from ..text.numerals import fold

_CAPTION_ONLY = re.compile(r"\([^()]*\)")
# A title that is its number alone (様式第三, 別表第一の二, 様式第十五甲), with at most a bracketed
# caption ((第三条関係), (その二), (略)) or 削除 after it: the shape of e-Gov's form titles. One that
# names its content (別紙2 手数料) is an appendix of its own wherever it stands.
_BARE_TITLE = re.compile(r"[】\]]?\s*(?:の[一二三四五六七八九十0-9]+|[甲乙丙丁])*\s*(?:\([^()]*\))?\s*(?:削除|略)?")


class SupplementRules:
    """Builder part for 附則 blocks and appendices (see structure/tree.py for the state)."""

    __slots__ = ()

    @property
    def suppl_last(self) -> NumberKey | None:
        """Last article number inside the current 附則 block (its articles restart at 1)."""
        return self._suppl_articles.get(self.suppl) if self.suppl is not None else None

    @suppl_last.setter
    def suppl_last(self, value: NumberKey) -> None:
        self._suppl_articles[self.suppl] = value

    def open_supplementary(self, line: Line, h: Heading) -> bool:
        if not self.started_articles() and not self.started:
            return False
        self.begin_node()
        self.scope.supplementary += 1
        node = Node("supplementary", label=h.label, title=h.title, lines=(line.no, line.no))
        node.ordinal = self.scope.supplementary
        self.attach(self.scope.node, node)
        self.scope.containers = []
        self.suppl, self.article, self.para, self.items, self.appendix = node, None, None, [], None
        self.counters[node] = Counter()
        self.sink = node
        if h.shape == "open":
            self.open_caption = node            # its bracket closes on the next line
        return True

    def try_appendix(self, i: int, line: Line, h: Heading) -> bool:
        # 別紙１に定める… wrapped to a line start is prose: a heading follows a finished block, another
        # appendix, or stands alone (別表第二（第三条関係）).
        k = self.prev_content(i)
        prev = self.lines[k] if k >= 0 else None
        rest = line.norm[len(h.label):].strip()
        if self.mid_sentence(i) or ends_open(rest):
            return False                # '…算定方法等は、' | '別紙１利用料金表に'
        if self.appendix is not None and _BARE_TITLE.fullmatch(rest) and self.in_appendix_title_run(k, i):
            return False                # 様式第二 | 様式第三 | 様式第四 …: one appendix, see below
        prev_heading = self.starts[k].heading if k >= 0 else None
        if prev is not None and self.appendix is None and not (
                self.ends_block(k) or prev.trailing
                or (prev_heading is not None and prev_heading.body_col >= prev.end)
                or line.norm.startswith(("【", "[")) or not rest or _CAPTION_ONLY.fullmatch(rest)):
            return False
        self.begin_node()
        self.scope.appendices += 1
        node = Node("appendix", label=h.label, title=None, lines=(line.no, line.no))
        node.ordinal = self.scope.appendices
        # num is the ordinal: printed numbers of appendices repeat and branch (別表第一, 別表第一の二,
        # 様式第一（その二）) and many have none (別表, 別記); the label keeps the number as printed.
        rest = line.text[line.start + len(h.label):line.end].strip().strip("】]］").strip()
        if _CAPTION_ONLY.fullmatch(fold(rest)):
            rest = rest[1:-1].strip()          # 別表第一（第二条関係） → 第二条関係, as captions are kept
        elif fold(rest[:1]) == "(" and ")" not in fold(rest):
            rest = rest[1:].strip()            # 別表１（第３条の２及び第７条 | 関係）: wrapped title
            self.open_caption = node
        node.title = rest or None
        self.attach(self.scope.node, node)
        self.scope.containers = []
        self.appendix, self.article, self.para, self.items, self.suppl = node, None, None, [], None
        self.sink = node
        return True

    def in_appendix_title_run(self, k: int, i: int) -> bool:
        """Line i follows the open appendix's heading line, or only more appendix headings after it,
        with no break between blocks (block_break): a run of titles printed as one block (様式第二
        | 様式第三 | 様式第四, the forms themselves images) is one appendix, the later titles its text."""
        heading_no = self.appendix.lines[0]
        while k >= 0 and not self.block_break(k, i):
            if self.lines[k].no == heading_no:
                return True
            h = self.starts[k].heading
            if h is None or h.kind != "appendix":
                return False
            k, i = self.prev_content(k), k
        return False

    def in_excerpt(self) -> bool:
        """Inside a 附則 block printed as an excerpt (抄): its article numbers may jump."""
        return self.suppl is not None and "抄" in self.suppl.label

    def excerpt_mark(self) -> bool:
        """'附　則　（…号）' | '抄': the excerpt mark of the 附則 heading just opened, on its own line."""
        if self.sink is self.suppl is not None and not self.suppl.children:
            self.suppl.label += "　抄"
            return True
        return False
