"""Tree stage: line starts → document tree, decided by numbering continuity.

A line that *could* start an article, paragraph or item does so only when its number continues the
numbering in force (article 18 after 17, paragraph ３ after ２, item （１） opening a list or （４） after
（３）) and its shape is that of a heading, not of a reference inside a sentence (第１５条第２項の…,
第３８条（…）に基づく). Everything else continues the text of the innermost open node, so no text is
ever lost. Gaps, repeats and misnumbered first paragraphs are accepted with a warning.

This module holds the builder's state and its loop: each line goes, in order, to page furniture
(skipped), the 目次, an open caption bracket, a container's title, a heading (headings.py,
supplementary.py), a new instrument or the front matter (front.py), a caption (headings.py), a
paragraph or item (paragraphs.py), a block (blocks.py), and otherwise to the text of the open node.
"""
from __future__ import annotations

from sys import intern

from .blocks import BlockRules, NoteBlock, TableBlock
from .classify import PLAIN, LineStart
from .front import FrontMatter, opens_numbering
from .headings import HeadingRules
from .lineshape import BLOCK_END, blank_lines_before, closing_mark, ends_open, plain, usual_blank_lines
from .numbering import Counter, NumberKey, Scope
from .paragraphs import ParagraphRules
from .sections import SectionRules
from .supplementary import SupplementRules
from ..model import Document, Node
from .furniture import Furniture
from ..text.lines import Line, Segments, TextBuilder


def build(lines: list[Line], starts: list[LineStart], furniture: Furniture) -> Document:
    return Builder(lines, starts, furniture).run()


class Builder(HeadingRules, SupplementRules, FrontMatter, ParagraphRules, SectionRules, BlockRules):
    # Slots: past 30 attributes an instance dict stops sharing its keys and every self.x lookup in
    # the builder gets slower (measured: +0.7 ms on the seeds' tree stage at the 31st attribute).
    __slots__ = ("lines", "starts", "doc", "scope", "texts", "counters", "article", "suppl",
                 "appendix", "para", "items", "sink", "open_caption", "pending_caption", "pending_caption_lines",
                 "block", "front", "started", "toc_mode", "toc_first", "toc_leaders", "_wrap_width", "_wrap_floor",
                 "_suppl_articles", "pending_container_title", "heading_line", "running_lines",
                 "bare_page_numbers", "first_headings", "title_starts", "has_articles", "_trailing_signal",
                 "furniture", "_usual_blank")

    def __init__(self, lines: list[Line], starts: list[LineStart], furniture: Furniture):
        self.lines = lines
        self.starts = starts
        self.doc = Document()
        self.scope = Scope(None)
        self.texts: dict[Node, TextBuilder] = {}
        self.counters: dict[Node | None, Counter] = {}
        self.article: Node | None = None
        self.suppl: Node | None = None
        self.appendix: Node | None = None
        self.para: Node | None = None
        self.items: list[list] = []            # [family, node, last number]
        self.sink: Node | None = None          # node that receives continuation text
        self.open_caption: Node | None = None  # article whose caption bracket is still open
        self.pending_caption: tuple[str, Line] | None = None     # caption text, its first line
        self.pending_caption_lines: list[Line] = []
        self.block = None                      # the open bullet list, note or table (blocks.py)
        self.front: list[Line] = []
        self.started = False
        self.toc_mode = False
        self.toc_first: tuple | None = None           # (kind, level, number, branches)
        self.toc_leaders = False
        self._wrap_width: float | None = None
        self._wrap_floor: int | None = None
        self._suppl_articles: dict[Node, NumberKey] = {}
        self.pending_container_title: Node | None = None
        self.heading_line: tuple[Node, Line] | None = None     # see add_first_line
        # the title printed again atop each page joins these once the front matter is read
        self.running_lines = set(furniture.running)
        self.bare_page_numbers = furniture.bare_page_numbers
        # Whether each line is page furniture now (a page number, a running header or footer, the
        # title again), looked up several times per line: page numbers
        # from the start, running lines once the text has started (see start())
        self.furniture = [ls.page_number for ls in starts]
        for k in self.bare_page_numbers:
            self.furniture[k] = True
        headings = furniture.headings
        self.first_headings = [k for k in headings if opens_numbering(starts[k].heading)]
        self.find_title_starts()
        self.has_articles = self.main_has_articles(headings)
        self._trailing_signal: bool | None = None         # see trailing_signal()
        self._usual_blank: int | None = None              # see block_break()

    # ------------------------------------------------------------------ the loop
    def run(self) -> Document:
        """Reads the lines in order; each rule may take line i alone or with the lines after it.
        What may take any line comes first; then a plain line (most lines) goes to the few rules
        that can take one, any other line to the rules of its line start. (One loop, no call per
        line to choose the rule: 2,400 lines on the seeds.)"""
        lines, starts, furniture = self.lines, self.starts, self.furniture
        i, n = 0, len(lines)
        while i < n:
            line, ls = lines[i], starts[i]
            if furniture[i] and (ls.page_number or self.instrument_title_end(i) is None):
                nxt = i + 1                 # page furniture: '- 3 -', '© 2024 …', a running header
            elif self.toc_mode and self.toc_line(line, ls):
                nxt = i + 1
            elif self.open_caption is not None:
                self.continue_caption(line)
                nxt = i + 1
            elif self.pending_container_title is not None and self.container_title_line(i, line, ls):
                nxt = i + 1
            elif ls is PLAIN:
                nxt = self.read_plain(i, line)
            else:
                nxt = self.read_marked(i, line, ls)
            if self.pending_caption is not None and self.pending_caption_lines[-1] is not lines[nxt - 1] \
                    and not furniture[nxt - 1]:
                for caption_line in self.pending_caption_lines:
                    self.add_text(caption_line)            # the heading it announced did not come
                self.pending_caption = None
            i = nxt
        self.close_block()
        if not self.started:
            self.finish_front()
        self.finalize()
        return self.doc

    def container_title_line(self, i: int, line: Line, ls: LineStart) -> bool:
        """The line after a container heading: whether it is that container's title (it is asked
        once, for the next line read)."""
        title_of, self.pending_container_title = self.pending_container_title, None
        return ls.heading is None and self.titles_container(i, line, ls, title_of)

    def read_plain(self, i: int, line: Line) -> int:
        """Line i is classify.PLAIN: every field of its LineStart is empty. Of read_marked's rules
        only those that read a line without any start can take it, in the same order: the title of
        a second instrument (titleish lines, no heading), a caption printed without brackets below
        a bare 第N条 (it must be plain), the 抄 of an excerpt (抄 starts nothing), the first row of
        an announced table (plain rows are asked for) and a lead-in that restarts a list (any line
        after a finished item). Each rule skipped needs a field PLAIN leaves empty: try_heading a
        heading, start_toc toc, read_caption caption or caption_open, the paragraph rules para,
        the item and section rules items, a table header table_header, a note note, the bullet
        rules bullet."""
        j = self.instrument_title_end(i)
        if j is not None:
            self.open_instrument(i, j)
            return j
        if self.bare_caption_below(i, line) or line.norm == "抄" and self.excerpt_mark() \
                or self.opens_announced_table(i, line, PLAIN):
            return i + 1
        self.add_text_line(i, line)
        return i + 1

    def read_marked(self, i: int, line: Line, ls: LineStart) -> int:
        """Line i has some start (a heading, a marker, a caption, a bullet…): its rules in order."""
        h = ls.heading
        if h is not None and self.try_heading(i, line, h):
            return i + 1
        j = self.instrument_title_end(i) if h is None else None
        if j is not None:
            self.open_instrument(i, j)
            return j
        if ls.toc and not self.started_articles():
            self.start_toc(line)
            return i + 1
        if self.bare_caption_below(i, line):
            return i + 1
        if ls.caption or ls.caption_open:
            nxt = self.read_caption(i, line, ls)
            if nxt is not None:
                return nxt
        elif line.norm == "抄" and self.excerpt_mark():
            return i + 1
        if ls.para is not None and not self.mid_sentence(i) and (
                ls.para.within is None and self.decimal_article(i, line, ls.para)
                or self.try_paragraph(i, line, ls.para, ls.items)):
            return i + 1
        if (ls.items or ls.table_header or plain(ls)) and self.opens_announced_table(i, line, ls):
            return i + 1
        if ls.items:
            section = self.item_marked_section(i, ls.items)
            if section is not None:
                self.begin_node()
                self.open_paragraph(line, section, section.body_col)
                return i + 1
        if ls.items and not self.table_takes_markers(ls.items) and self.try_item(i, line, ls.items):
            return i + 1
        if ls.table_header and self.sink is not None and self.sink.kind != "preamble" and not self.in_announced_table():
            self.open_block(TableBlock(self.sink, line))
        elif ls.note and self.sink is not None:
            self.open_block(NoteBlock(self.sink, ls.note, line))
        elif ls.bullet and self.marked_section_heading(i, ls):
            self.open_section(line, ls.bullet_col, line.end, ls.bullet)
        elif ls.bullet and self.bullet_paragraph(ls):
            self.close_block()
            self.open_paragraph(line, None, ls.bullet_col)
            self.para.label = ls.bullet         # the mark as printed (numbered by position)
        elif ls.bullet and self.sink is not None and not isinstance(self.block, TableBlock):
            self.add_bullet(line, ls)
        else:
            self.add_text_line(i, line)
        return i + 1

    def opens_announced_table(self, i: int, line: Line, ls: LineStart) -> bool:
        """A table follows the sentence that announces it: the line before ends in 。 (or is
        furniture). Opens it and says so."""
        if self.block is None and i and (self.lines[i - 1].norm[-1] == "。" or self.furniture[i - 1]):
            table = self.announced_table(i, line, ls)
            if table is not None:
                self.open_block(table)
                return True
        return False

    def add_text_line(self, i: int, line: Line) -> None:
        """A line no rule took: the lead-in of a list numbered again, else text of the open node."""
        if self.items and self.block is None and self.lead_in_restarts_list(i):
            self.open_paragraph(line, None, line.start)
        else:
            self.add_text(line)

    def begin_node(self) -> None:
        """What a heading or marker that opens a node does first: the front matter ends (start) and
        an open block closes. (Both are asked here, where most calls would find nothing to do.)"""
        if not self.started:
            self.start()
        if self.block is not None:
            self.close_block()

    def main_has_articles(self, headings: list[int]) -> bool:
        """Whether the main provision is divided into articles: an article heading stands before the
        first 附則 heading, or a 目次 lists the chapters. Many 政令 and 省令 have none (their
        paragraphs are top-level), and their 附則 blocks may still hold articles."""
        for k in headings:
            h = self.starts[k].heading
            if h.kind == "supplementary":
                break
            if h.kind == "article" and h.shape != "reference":
                return True
        return any(ls.toc for ls in self.starts)

    # ------------------------------------------------------------------ furniture and line ends
    def prev_content(self, i: int) -> int:
        """The line before line i, stepping over page furniture (-1 when there is none): a page
        break between two lines must not change how they read."""
        k = i - 1
        furniture = self.furniture
        while k >= 0 and furniture[k]:
            k -= 1
        return k

    def next_content(self, i: int) -> int:
        k = i + 1
        furniture = self.furniture
        n = len(furniture)
        while k < n and furniture[k]:
            k += 1
        return k

    def ends_item_line(self, i: int) -> bool:
        """Line i is a whole one-line item of a list of nouns ('（２）クレジットカード'): it starts
        with a marker and does not stop mid-sentence, so a marker may follow it."""
        return i >= 0 and bool(self.starts[i].items) and not ends_open(self.lines[i].norm)

    def ends_block(self, i: int) -> bool:
        """Line i finishes a sentence or a heading (…とします。 / （目的））, or is the 以上 that closes
        a document's text: a marker may follow."""
        return i >= 0 and (self.lines[i].norm.endswith(BLOCK_END) or self.starts[i].caption is not None
                           or closing_mark(self.lines[i].norm))

    def block_break(self, k: int, i: int) -> bool:
        """Between lines k and i, a whitespace-only line, a page break or more empty lines than the
        document prints between the lines of one block (usual_blank_lines, counted once). Page
        furniture between them (prev_content steps over it) counts as a break too."""
        if self._usual_blank is None:
            self._usual_blank = usual_blank_lines(self.lines)
        line = self.lines[i]
        return line.gap > 0 or line.page_start or blank_lines_before(self.lines[k], line) > self._usual_blank

    def mid_sentence(self, i: int) -> bool:
        """The previous line stops on a particle or a comma (…希望者が | 第１７条…): what follows
        continues its sentence, whatever it looks like."""
        k = self.prev_content(i)
        if k < 0 or self.pending_caption is not None or self.block is not None and self.in_announced_table():
            return False
        tail = self.lines[k].norm
        if len(tail) <= 2:
            before = self.prev_content(k)
            if before >= 0:
                tail = self.lines[before].norm[-3:] + tail
        return ends_open(tail)


    # ------------------------------------------------------------------ assembly
    def attach(self, parent: Node | None, node: Node) -> None:
        node.parent = parent
        # Equal markers and numbers (第十七条, （１）, 3) share one string: a statute prints each
        # of them hundreds of times (1.7 of 35 MB kept for 3.5 MB of statutes).
        if node.label is not None:
            node.label = intern(node.label)
        if node.printed_num is not None:
            node.printed_num = intern(node.printed_num)
        (parent.children if parent is not None else self.doc.children).append(node)

    def text_of(self, node: Node) -> TextBuilder:
        tb = self.texts.get(node)
        if tb is None:
            tb = self.texts[node] = TextBuilder()
        return tb

    def extend(self, node: Node, line_no: int) -> None:
        if line_no > node.lines[1]:
            node.lines = (node.lines[0], line_no)

    def finalize(self) -> None:
        for node, tb in self.texts.items():
            node.text, node.segments = tb.text(), Segments(tb.runs)
            self.extend(node, tb.last_line)
        for top in self.doc.children:
            if top.children:
                _spread_lines(top)
        if not self.lines:
            self.doc.warn(0, "empty-document", "the input has no text")
        elif not any(n.kind in ("article", "paragraph") for n in self.doc.walk()):
            self.doc.warn(self.lines[0].no, "no-structure",
                          "no article, paragraph or heading found: the text is kept as the preamble")


def _spread_lines(node: Node) -> tuple[int, int]:
    first, last = node.lines
    for child in node.children:
        a, b = _spread_lines(child) if child.children else child.lines      # most nodes are leaves
        if first == 0 or a < first:
            first = a
        if b > last:
            last = b
    node.lines = (first, last)
    return node.lines


