"""Paragraphs, items and the running text: numbered markers inside a provision.

Decides whether a marker line opens a paragraph (２ after １ under the same article, 附則 block or
instrument; a bare number alone on its line only between sentences; a number printed twice or a
small jump only after a finished sentence), an item or a sub-item (the innermost open list whose
family and next number match wins; a new list opens at number 1 — '1.' and '1 ' lists only after a
lead-in that ends a sentence or announces one; paragraphs numbered '1.' '2.' that start again at 1
after an ordinary sentence go on as paragraphs), or is text. Unmarked lines join the text of the
innermost open node; a short noun phrase alone on its line (an unnumbered heading) ends its sentence.
(Section headings of documents without articles: sections.py.)
"""
from __future__ import annotations

import re

from .blocks import BulletBlock
from .classify import CONTAINER_KIND
from .lineshape import display_width, noun_phrase, plain
from .markers import Marker, leading_number
from .numbering import Counter
from ..model import Node
from ..text.lines import Line, TextBuilder
from ..text.numerals import fold, num_key

# A lead-in that may open a '1.' list ends a sentence or announces (…次のとおり。 / …以下の通り：).
_LEAD_IN_END = frozenset("。：:)）」』")
_ITEM_FAMILIES_NEEDING_LIST = frozenset({"num-dot", "num-space", "decimal"})
_LEAD_IN_REACH = 4
# A sentence that announces an enumeration: …次のとおりとする。 / 以下の事項 / 下記に定める / 各号 / …：
_ANNOUNCES_LIST = re.compile(r"(?:次|以下|下記|左記)(?:の|に|を)|とおり|通り|各号|掲げる|[：:]$")
_SENTENCE_END = frozenset("。：:")
# Nodes whose text is no provision's: a line there goes on the container (implicit_text_node).
_ABOVE_PROVISIONS = frozenset(CONTAINER_KIND) | {"document"}


class ParagraphRules:
    """Builder part for paragraphs, items and text lines (see structure/tree.py for the state)."""

    __slots__ = ()

    def para_owner(self) -> Node | None:
        if self.article is not None:
            return self.article
        if self.suppl is not None:
            return self.suppl
        if not self.has_articles and self.appendix is None:
            return self.scope.node      # numbered paragraphs directly under the instrument
        return None

    def counter_of(self, owner: Node | None) -> Counter:
        counter = self.counters.get(owner)
        if counter is None:
            counter = self.counters[owner] = Counter()
        return counter

    def try_paragraph(self, i: int, line: Line, m: Marker, items: tuple[Marker, ...]) -> bool:
        owner = self.para_owner()
        if owner is None and (self.has_articles or self.appendix is not None):
            return False
        if m.within is not None and (owner is None or owner.kind != "article" or owner.printed_num != str(m.within)):
            return False                # 3.2 belongs to article 3 only
        counter = self.counter_of(owner)
        accepted = self.accepts_paragraph(counter, m.num)
        bare = m.body_col >= line.end and m.label.isdigit()
        # Whether a sentence ends before the marker decides only for a bare number or a number the
        # count does not expect: most markers, continuing the count, are not asked.
        after_sentence = (bare or not accepted) and self.ends_block(self.prev_content(i))
        if bare and not (after_sentence and self.text_follows(i)):
            return False                # a bare number ('２' | text) opens a paragraph only between sentences
        expected = (counter.last or counter.count) + 1
        repeat = bool(counter.count) and m.num == counter.last and after_sentence
        small_gap = bool(counter.count) and expected < m.num <= expected + 2 and after_sentence
        restart = m.num == 1 and after_sentence and self.restarts_paragraphs(owner, m)
        if not accepted and not repeat and not small_gap and not restart:
            return False
        if self.items_continue(items):
            return False                # "2." after item "1." of a 1./2. list is an item
        if owner is None and not self.started:
            if m.num != 1:
                return False
        self.begin_node()
        if counter.count == 0 and m.num != 1:
            self.doc.warn(line.no, "misnumbered-first", f"first paragraph printed as {m.label}")
        elif repeat and not self.accepts_paragraph(counter, m.num):
            self.doc.warn(line.no, "numbering-repeat", f"paragraph {m.label} printed twice")
        elif counter.count and m.num != (counter.last or counter.count) + 1:
            self.doc.warn(line.no, "numbering-gap", f"paragraph {m.label}: expected {counter.count + 1}")
        self.open_paragraph_in(owner, counter, line, m, m.body_col)
        return True

    def restarts_paragraphs(self, owner: Node | None, m: Marker) -> bool:
        """'1. 料金は月額制とします。' | '2. 料金は末日に締め切ります。' | '1. 支払期限は…': paragraphs
        numbered in one style that start again at 1 after an ordinary sentence go on as paragraphs
        (ids by position, the printed number kept); after a sentence announcing an enumeration
        (次のとおり, 以下の事項, 各号, …：) the new numbers are its items."""
        last = self.para
        return last is not None and last.parent is owner and not self.items and last.printed_num is not None \
            and _numbering_style(last.label) == _numbering_style(m.label) and not self.para_announces_list()

    def para_announces_list(self) -> bool:
        tb = self.texts.get(self.para)
        if tb is None or not tb.length:
            return False
        tail = "".join(tb.parts[-2 * _LEAD_IN_REACH:])           # the lead-in may be wrapped
        return _ANNOUNCES_LIST.search(tail, tail.rfind("。", 0, len(tail) - 1) + 1) is not None

    def text_follows(self, i: int) -> bool:
        """The next line is plain text: no heading, marker, caption or furniture."""
        j = self.next_content(i)
        return j < len(self.lines) and plain(self.starts[j])

    @staticmethod
    def accepts_paragraph(counter: Counter, n: int) -> bool:
        if counter.count == 0:
            return 1 <= n <= 3
        return n == counter.count + 1 or n == (counter.last or counter.count) + 1

    def items_continue(self, items: tuple[Marker, ...]) -> bool:
        for m in items:
            for family, _node, last in self.items:
                if family == m.family and m.num == last + 1:
                    return True
        return False

    def open_paragraph(self, line: Line, m: Marker | None, col: int) -> None:
        owner = self.para_owner()
        self.open_paragraph_in(owner, self.counter_of(owner), line, m, col)

    def open_paragraph_in(self, owner: Node | None, counter: Counter, line: Line, m: Marker | None,
                          col: int) -> None:
        """open_paragraph where the owner and its counter are known already (try_paragraph)."""
        if m is not None:
            col = max(col, m.body_col)
        counter.count += 1
        # Fields set one by one: keyword arguments to a class cost a dict per call (0.17 us a node)
        node = Node("paragraph")
        node.label, node.lines, node.ordinal = m.label if m else None, (line.no, line.no), counter.count
        if m is not None:
            counter.last = m.num
            node.printed_num = str(m.num)
            col = self.strip_repeated_marker(line, m, col, node)
        else:
            counter.last = None                 # unnumbered: the next number continues the count
        if self.pending_caption is not None:
            node.caption, cline = self.pending_caption
            node.lines = (cline.no, line.no)
            self.pending_caption = None
        self.attach(owner, node)
        self.para, self.items = node, []
        self.sink = node
        if line.end > col:
            self.add_first_line(node, line, col)

    def add_first_line(self, node: Node, line: Line, col: int) -> None:
        """The text after a paragraph or item marker. A short noun phrase alone on its line
        ('1. 取得する情報', '（１） 会員') heads what follows: add_text starts a new sentence after it.
        `node` was just opened: its text starts here."""
        self.texts[node] = tb = TextBuilder()
        tb.add(line, col)
        # col is past the marker's spaces, line.end before trailing ones
        heads = line.end - col <= 20 and noun_phrase(line.text[col:line.end].strip())
        self.heading_line = (node, line) if heads else None

    def ends_heading_line(self, node: Node) -> bool:
        """Whether the text added to `node` so far is a heading line (add_first_line): decided when a
        line follows, against the wrap width, which most documents then never need to measure."""
        if self.heading_line is None or self.heading_line[0] is not node:
            return False
        line, self.heading_line = self.heading_line[1], None
        width = display_width(line)
        return width <= 0.6 * self.wrap_width_floor() or width <= 0.6 * self.wrap_width()

    def strip_repeated_marker(self, line: Line, m: Marker, col: int, node: Node) -> int:
        """'2.  ２ 前項による…': the same number printed twice is one marker."""
        again = leading_number(line.norm, col - line.start)
        if again is not None and again[0] == m.num:
            self.doc.warn(line.no, "duplicate-marker", f"paragraph marker {m.label} printed twice")
            node.label = line.text[line.start:line.start + again[1]].strip()
            return line.start + again[1]
        return col

    def try_item(self, i: int, line: Line, markers: tuple[Marker, ...]) -> bool:
        choice = self.choose_item(i, markers)
        if choice is None:
            return False
        depth, marker = choice
        self.begin_node()
        if self.para is None:
            owner = self.para_owner()
            if owner is None:
                return False
            self.open_paragraph(line, None, line.end)
        parent = self.para if depth == 0 else self.items[depth - 1][1]
        if depth < len(self.items):
            family, _node, last = self.items[depth]
            if marker.num == last and not marker.branches:
                self.doc.warn(line.no, "numbering-repeat", f"item {marker.label} printed twice")
            elif marker.num != last + 1 and not marker.branches and not self.in_excerpt():
                self.doc.warn(line.no, "numbering-gap", f"item {marker.label}: expected {last + 1}")
            del self.items[depth:]
        ordinal = len(parent.children) + 1      # a paragraph holds only items, an item only sub-items
        node = Node("item" if depth == 0 else "subitem")     # (fields set after it: see open_paragraph)
        node.label, node.lines, node.ordinal = marker.label, (line.no, line.no), ordinal
        node.printed_num = num_key(marker.num, marker.branches)
        self.attach(parent, node)
        self.items.append([marker.family, node, marker.num])
        self.sink = node
        if line.end > marker.body_col:
            self.add_first_line(node, line, marker.body_col)
        return True

    def choose_item(self, i: int, markers: tuple[Marker, ...]) -> tuple[int, Marker] | None:
        """(depth, marker) for the interpretation that numbering continuity allows at line i, else None."""
        if self.para is None and self.para_owner() is None:
            return None
        # A marker continuing an open list (same family, next number) wins; the innermost list first.
        for depth in range(len(self.items) - 1, -1, -1):
            family, _node, last = self.items[depth]
            for m in markers:
                if m.family == family and (m.num == last + 1 or (m.branches and m.num == last)):
                    return depth, m
        open_families = {f for f, _n, _l in self.items}
        for m in markers:
            if m.num == 1 and m.family not in open_families and not m.branches:
                if m.family in _ITEM_FAMILIES_NEEDING_LIST and m.within is None and not self.para_invites_list():
                    continue            # (2.1 names its paragraph: it needs no lead-in)
                if m.within is not None and (self.items or self.para is None
                                             or self.para.printed_num != str(m.within)):
                    continue            # 2.1 opens a list only under the paragraph numbered 2
                return len(self.items), m
        # As for paragraphs: a number printed twice or a small gap is a misnumbered item, but only
        # where a sentence has just ended; elsewhere the line continues the text.
        prev = self.prev_content(i)
        if self.ends_block(prev) or self.ends_item_line(prev):
            for depth in range(len(self.items) - 1, -1, -1):
                family, _node, last = self.items[depth]
                for m in markers:
                    if m.family == family and not m.branches and last <= m.num <= last + 3:
                        return depth, m
            if self.in_excerpt():
                return self.excerpt_item(markers)
        return None

    def excerpt_item(self, markers: tuple[Marker, ...]) -> tuple[int, Marker] | None:
        """An excerpt (附則 … 抄) prints only some items of a list: after a finished sentence, 二 may
        open the list and 五 may follow 二."""
        for depth in range(len(self.items) - 1, -1, -1):
            family, _node, last = self.items[depth]
            for m in markers:
                if m.family == family and m.num > last:
                    return depth, m
        if not self.items:
            for m in markers:
                if m.family not in _ITEM_FAMILIES_NEEDING_LIST or self.para_invites_list():
                    return 0, m
        return None

    def lead_in_restarts_list(self, i: int) -> bool:
        """'…次の行為をしてはなりません。' | 1. … | 2. … | '当社は次の場合に停止できます。' | 1. …: a
        sentence that starts after a finished item and is followed by a list numbered from 1 again
        in a family already open is a paragraph of its own, the lead-in of the new list. (The list
        after it is asked first: a line inside an open list seldom has one, and most are asked.)"""
        j = i
        for _ in range(_LEAD_IN_REACH):     # the lead-in may be wrapped over a few lines
            if self.lines[j].norm[-1] in _SENTENCE_END:
                break
            j = self.next_content(j)
            if j >= len(self.lines) or not plain(self.starts[j]):
                return False
        else:
            return False
        j = self.next_content(j)
        if j >= len(self.lines):
            return False
        open_families = {family for family, _node, _last in self.items}
        if not any(m.num == 1 and m.family in open_families for m in self.starts[j].items):
            return False
        k = self.prev_content(i)
        return self.ends_block(k) or self.ends_item_line(k)

    def para_invites_list(self) -> bool:
        """'1.' / '1 ' open a list only after a finished lead-in (…次のとおりとする。 / …以下の通り：),
        not after '…別紙' | '1 利用料金表'."""
        tb = self.texts.get(self.para) if self.para is not None else None
        return tb is not None and tb.length > 0 and tb.parts[-1][-1] in _LEAD_IN_END

    def add_text(self, line: Line) -> None:
        if not self.started:
            if not self.formula_ended():
                self.front.append(line)
                return
            self.start()                # the first paragraph of a main provision without articles
        block = self.block
        if block is not None:
            if block.takes(line):
                block.add(line)
                return
            if isinstance(block, BulletBlock):
                self.close_block()
        node = self.sink
        if node is None and not self.has_articles:
            self.open_paragraph(line, None, line.start)
            return
        if node is None or node.kind in _ABOVE_PROVISIONS:
            node = self.implicit_text_node(line)
        elif node.kind in ("article", "supplementary"):
            self.open_paragraph(line, None, line.start)
            return
        self.add_prose(node, line)          # (finalize extends node.lines to its text's last line)

    def add_prose(self, node: Node, line: Line) -> None:
        """Append a text line to `node`. A short noun phrase on a line of its own after a sentence
        (個人情報の利用目的, an unnumbered heading) ends its own sentence: the next line starts anew."""
        tb = self.texts.get(node) or self.text_of(node)
        after_heading = self.heading_line is not None and self.ends_heading_line(node)
        if after_heading:
            tb.hard_break()
        starts_anew = after_heading or tb.last_char == "。"     # a list of names: each line on its own
        tb.add(line)
        if starts_anew and line.end - line.start <= 20 and noun_phrase(line.body):
            self.heading_line = (node, line)

    def implicit_text_node(self, line: Line) -> Node:
        """Text with no open provision (e.g. after a chapter heading): keep it on the container."""
        node = self.sink
        if node is None:
            node = Node("preamble", lines=(line.no, line.no))
            self.attach(self.scope.node, node)
            self.sink = node
        return node


def _numbering_style(label: str | None) -> str:
    """A marker's printed form without its number: '2.' and '１．' are alike, '２' and '(2)' are not."""
    return _DIGITS.sub("0", fold(label or ""))


_DIGITS = re.compile(r"[0-9]+")
