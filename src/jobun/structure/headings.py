"""Headings: containers (第N章 …), articles (第N条) and their captions.

Decides whether a heading-shaped line opens a container or an article — its number continues the
numbering in force, by how far its shape lets it jump (a caption above it or a bare heading line may
skip ahead, a heading glued to its text only by one) and it does not continue a sentence — and where
a caption stands: in brackets on the heading line, on the line above (（目的） | 第１条), on the line
below a bare heading, before a wide gap (第１条　目的　本規約は…), or wrapped over two lines.
"""
from __future__ import annotations

import re

from .classify import CONTAINER_KIND, Heading, LineStart
from .lineshape import continues_title, display_width, plain
from .markers import Marker
from .numbering import Counter, NumberKey, continues
from ..model import Node
from ..text.lines import Line
from ..text.numerals import num_key

_FIRST_PARA = re.compile(r"1(?:\.(?!\d)\s*|\s+)(?=\S)")
# Captions are noun phrases (利用規約の適用, 第三者との紛争): no clause particles, no punctuation.
# '第１条　目的　本規約は…': a short noun phrase set off by a wide gap before the text.
_CAPTION_BEFORE_GAP = re.compile(r"([^\s]{1,20})(?:[\u3000\t]| {2,})\s*(?=\S)")
# …nor one ending in kana, unless it is the okurigana of a noun (予約の取消し, 申込み, 問い合わせ).
_NOT_A_BARE_CAPTION = re.compile(r"[。、「」()はがを]|^削除$|(?:(?<![\u4e00-\u9fff])(?<![\u4e00-\u9fff][ぁ-ん])[ぁ-ん]|(?![しみせけえりいちめれ])[ぁ-ん])$")
# How far a heading may jump ahead and still be taken for the next article (by shape strength).
_MAX_ARTICLE_GAP = {"bare": 20, "caption": 20, "text": 3, "glued": 1}


class HeadingRules:
    """Builder part for containers, articles and captions (see structure/tree.py for the state)."""

    __slots__ = ()

    def try_heading(self, i: int, line: Line, h: Heading) -> bool:
        if h.kind == "container":
            return self.try_container(line, h)
        if h.kind == "article":
            return self.try_article(i, line, h)
        if h.kind == "supplementary":
            return self.open_supplementary(line, h)
        if h.kind == "appendix":
            return self.try_appendix(i, line, h)
        return False

    def try_container(self, line: Line, h: Heading) -> bool:
        if h.shape == "reference" or h.num is None:
            return False
        last = self.scope.container_last.get(h.level)
        key = (h.num, h.branches)
        if last is not None and not continues(last, key, 2):
            if not (h.num == 1 and not h.branches and self.scope.last_article is not None):
                return False
            self.open_instrument_without_title(line)
        self.begin_node()
        if last is not None and key[0] > last[0] + 1:
            self.doc.warn(line.no, "numbering-gap", f"{h.label}: expected {CONTAINER_KIND[h.level]} {last[0] + 1}")
        stack = self.scope.containers
        while stack and stack[-1][0] >= h.level:
            stack.pop()
        for deeper in [lvl for lvl in self.scope.container_last if lvl > h.level]:
            del self.scope.container_last[deeper]
        self.scope.container_last[h.level] = key
        node = Node(CONTAINER_KIND[h.level], label=h.label, title=h.title, lines=(line.no, line.no))
        node.printed_num = num_key(h.num, h.branches)
        self.attach(stack[-1][1] if stack else self.scope.node, node)
        stack.append((h.level, node))
        self.pending_container_title = node
        self.article = self.para = self.suppl = self.appendix = None
        self.items = []
        self.sink = node
        return True

    def try_article(self, i: int, line: Line, h: Heading) -> bool:
        if h.shape == "reference" or h.num is None or self.mid_sentence(i):
            return False
        key = (h.num, h.branches)
        in_suppl = self.suppl is not None
        ok, last = self.article_continues(i, line, h, self.suppl_last if in_suppl else self.scope.last_article)
        if not ok:
            return False
        self.begin_node()
        if last is not None and key[0] > last[0] + 1 and not key[1] and not self.in_excerpt():
            self.doc.warn(line.no, "numbering-gap", f"{h.label}: expected article {last[0] + 1}")
        elif last is None and h.num != 1 and not in_suppl:
            self.doc.warn(line.no, "numbering-start", f"{h.label}: first article is not number 1")
        if in_suppl:
            self.suppl_last = key
        else:
            self.scope.last_article = key
        node = Node("article")          # (fields set after it: see ParagraphRules.open_paragraph)
        node.label, node.caption, node.lines = h.label, h.title, (line.no, line.no)
        node.printed_num = num_key(h.num, h.branches)
        if self.pending_caption is not None and not h.title:
            caption, cline = self.pending_caption
            node.caption = caption
            node.lines = (cline.no, line.no)
        elif self.pending_caption is not None:
            for caption_line in self.pending_caption_lines:     # the heading prints its own caption
                self.add_text(caption_line)
        self.pending_caption = None
        parent = self.suppl if in_suppl else (self.scope.containers[-1][1] if self.scope.containers
                                               else self.scope.node)
        self.attach(parent, node)
        self.article, self.para, self.items, self.appendix = node, None, [], None
        self.counters[node] = Counter()
        self.sink = node
        self.read_article_line(i, line, h, node, parent)
        return True

    def article_continues(self, i: int, line: Line, h: Heading,
                          last: NumberKey | None) -> tuple[bool, NumberKey | None]:
        """Whether article heading `h` continues the article numbering `last`, and the numbering it
        then continues (None after a restart read as a second instrument)."""
        key = (h.num, h.branches)
        strength = "caption" if (self.pending_caption and h.shape in ("text", "glued", "bare")) else h.shape
        if strength == "open":
            strength = "caption"
        if last is None:
            return strength in ("bare", "caption", "text") or (strength == "glued" and h.num == 1), last
        # A jump ahead is believed from a heading-shaped line after a finished sentence; in an
        # excerpt (附則 … 抄) any jump is: 第一条 then 第百五十九条 prints only some of the articles.
        # (Most headings continue within their shape's gap: only the others ask about the sentence
        # before them. Both wider readings accept whatever the shape's gap accepts.)
        max_gap = _MAX_ARTICLE_GAP[strength]
        ok, after_block = continues(last, key, max_gap), False
        if not ok:
            after_block = self.ends_block(self.prev_content(i))
            if after_block and strength != "glued" and self.in_excerpt():
                ok = key > last             # 第四十六条の二 after 第一条 too
            elif after_block:
                ok = continues(last, key, max(max_gap, 20))
        repeat = not ok and key == last and strength in ("bare", "caption") and after_block
        if repeat:                          # the same number printed twice: a typo, kept with a warning
            self.doc.warn(line.no, "numbering-repeat", f"{h.label}: article {h.num} again")
            ok = True
        if not ok and self.suppl is None and h.num == 1 and not h.branches and strength in ("bare", "caption") \
                and last[0] >= 2:
            self.open_instrument_without_title(line)
            ok, last = True, None
        return ok, last

    def read_article_line(self, i: int, line: Line, h: Heading, node: Node, parent: Node | None) -> None:
        """What the heading line holds after 第N条: more deleted articles, a caption (in brackets,
        bare, or before a wide gap) or the first paragraph's text."""
        if h.last is not None and h.last > h.num:
            self.add_deleted_articles(line, h, parent)
        elif h.shape == "open":
            self.open_caption = node
        elif h.shape == "text" and node.caption is None and self.bare_caption(i, line, h):
            node.caption = line.text[h.body_col:line.end]
        elif line.end > h.body_col:
            col = h.body_col
            gap = _CAPTION_BEFORE_GAP.match(line.text, col) if h.shape == "text" and not node.caption else None
            if gap and not _NOT_A_BARE_CAPTION.search(gap.group(1)):
                node.caption = gap.group(1)                 # '第１条　目的　本規約は…'
                col = gap.end()
            self.open_paragraph(line, self.first_marker_after_heading(line, col), col)

    def decimal_article(self, i: int, line: Line, m: Marker) -> bool:
        """'1. 総則' above '1.1 本規約は…': in decimal numbering the top number heads an article (its
        text a caption), the second numbers its paragraphs and the third their items."""
        j = i + 1
        if j < len(self.lines) and self.starts[j].para is None and not self.furniture[j]:
            return False                # most paragraph lines: no decimal number below
        top = self.counters.get(self.scope.node)
        if self.article is None and top is not None and top.count:
            return False                # '1. 目的' was a top-level paragraph: '2.' is one too, 2.1 its item
        j = self.next_content(i)
        nxt = self.starts[j].para if j < len(self.lines) else None
        if nxt is None or nxt.within != m.num or nxt.num != 1:
            return False
        caption = line.text[m.body_col:line.end].strip()
        if len(caption) > 30 or "。" in caption:
            return False
        h = Heading("article", m.num, (), m.label, caption or None, line.end, "caption" if caption else "bare")
        return self.try_article(i, line, h)

    def first_marker_after_heading(self, line: Line, col: int) -> Marker | None:
        """'第１条 １ 当社は…': the first paragraph's number printed on the heading line."""
        m = _FIRST_PARA.match(line.norm, col - line.start)
        if m is None:
            return None
        return Marker("para", 1, line.text[col:line.start + m.end()].strip(), line.start + m.end())

    def heading_follows(self, j: int) -> bool:
        if j >= len(self.lines):
            return False
        ls = self.starts[j]
        return ls.heading is not None or bool(ls.caption)

    def add_deleted_articles(self, line: Line, h: Heading, parent: Node | None) -> None:
        """第五条及び第六条　削除: one article per number, each with the text 削除."""
        self.open_paragraph(line, None, h.body_col)
        for num in range(h.num + 1, h.last + 1):
            node = Node("article", label=h.label, lines=(line.no, line.no))
            node.printed_num = str(num)
            self.attach(parent, node)
            self.article, self.para, self.items = node, None, []
            self.counters[node] = Counter()
            self.open_paragraph(line, None, h.body_col)
        if self.suppl is not None:
            self.suppl_last = (h.last, ())
        else:
            self.scope.last_article = (h.last, ())

    def bare_caption(self, i: int, line: Line, h: Heading) -> bool:
        """'第１条 目的' with the text on the next line: a caption printed without brackets."""
        rest = line.norm[h.body_col - line.start:]
        j = self.next_content(i)
        if len(rest) > 20 or _NOT_A_BARE_CAPTION.search(rest) or j >= len(self.lines):
            return False
        width = display_width(line)     # (below 0.8 of the floor it is below 0.8 of the wrap width)
        if width >= 0.8 * self.wrap_width_floor() and width >= 0.8 * self.wrap_width():
            return False                # the line runs to the wrap width: wrapped text, not a caption
        nxt = self.starts[j]
        return nxt.heading is None and not nxt.caption and len(self.lines[j].norm) > len(rest)

    def continue_caption(self, line: Line) -> None:
        """The bracket of the current article's caption (or 附則's title) closes on this line; the
        rest is its text."""
        node = self.open_caption
        field = "caption" if node.kind == "article" else "title"
        close = line.norm.find(")")
        if close < 0:
            setattr(node, field, (getattr(node, field) or "") + line.body)
            return
        setattr(node, field, (getattr(node, field) or "") + line.body[:close])
        self.open_caption = None
        if node.kind == "supplementary":
            return                              # what follows the bracket is 抄 or nothing
        col = line.start + close + 1
        if line.end > col and line.text[col:line.end].strip():
            if node.kind == "appendix":
                self.text_of(node).add(line, col)
            else:
                self.open_paragraph(line, None, col)

    def caption_lines(self, i: int) -> int:
        """A caption line whose bracket closes on the next line: join both into the pending caption."""
        first = self.lines[i]
        j = self.next_content(i)        # a page break may fall inside the bracket
        if j < len(self.lines):
            second = self.lines[j]
            close = second.norm.find(")")
            if close == len(second.norm) - 1:       # text after the bracket: a wrapped sentence, no caption
                self.set_pending_caption(first.body[1:] + second.body[:close], [first, second])
                return j + 1
        self.add_text(first)
        return i + 1

    def set_pending_caption(self, caption: str, lines: list[Line]) -> None:
        self.pending_caption = (caption, lines[0])
        self.pending_caption_lines = lines

    def caption_before_article(self, i: int) -> bool:
        j = self.next_content(i)
        if self.starts[i].caption_open:
            j = self.next_content(j)
        if j >= len(self.lines):
            return False
        h = self.starts[j].heading
        if h is None or h.kind != "article" or h.shape == "reference" or h.num is None:
            return False
        last = self.suppl_last if self.suppl is not None else self.scope.last_article
        key = (h.num, h.branches)
        return last is None or continues(last, key, 20) or h.num == 1 or (self.in_excerpt() and key > last)

    def caption_before_paragraph(self, i: int) -> bool:
        """'（施行期日）' above '１　この法律は…': a paragraph caption (common in 附則)."""
        j = self.next_content(i)
        if j >= len(self.lines) or self.starts[j].para is None:
            return False
        owner = self.para_owner()
        counter = self.counters.get(owner) or Counter()
        return owner is not None and self.accepts_paragraph(counter, self.starts[j].para.num) \
            and not self.items_continue(self.starts[j].items)


    def titles_container(self, i: int, line: Line, ls: LineStart, container: Node) -> bool:
        """'第１章' with '総則' on the next line, or a long title wrapped before the next heading:
        the line is the title (or the rest of it) of the container just opened."""
        if (container.title is None and _is_container_title(line, ls)) or (
                container.title is not None and continues_title(line, ls)
                and self.heading_follows(self.next_content(i))):
            container.title = (container.title or "") + line.body
            return True
        return False

    def bare_caption_below(self, i: int, line: Line) -> bool:
        """'第１条' alone, then '目的' alone, then the text: a caption printed without brackets on
        the line below its number (a short noun phrase with no marker, shorter than the line after it)."""
        article = self.article
        if article is None or self.sink is not article or article.caption is not None or article.children \
                or not plain(self.starts[i]):
            return False
        j = self.next_content(i)
        if len(line.norm) > 20 or _NOT_A_BARE_CAPTION.search(line.norm) or j >= len(self.lines):
            return False
        nxt = self.starts[j]
        if nxt.heading is not None or nxt.caption or len(self.lines[j].norm) <= len(line.norm):
            return False
        article.caption = line.body
        return True

    def read_caption(self, i: int, line: Line, ls: LineStart) -> int | None:
        """A caption line (（目的）, maybe its bracket closing on the next line): above the next
        article, below a bare 第N条, or above a numbered paragraph. The index of the line after it,
        or None when it is none of these (then it is text)."""
        if self.caption_before_article(i):
            if ls.caption_open:
                return self.caption_lines(i)
            self.set_pending_caption(ls.caption, [line])
            return i + 1
        if not ls.caption:
            return None
        if self.sink is self.article is not None and self.article.caption is None and not self.article.children:
            self.article.caption = ls.caption       # '第１条' alone, '（目的）' on the next line
            return i + 1
        if self.caption_before_paragraph(i):
            self.set_pending_caption(ls.caption, [line])
            return i + 1
        if self.bracketed_section_heading(i):
            self.open_section(line, line.start + 1, line.end - 1, line.body[0] + line.body[-1])
            return i + 1
        return None


def _is_container_title(line: Line, ls: LineStart) -> bool:
    return (len(line.norm) <= 20 and not _NOT_A_BARE_CAPTION.search(line.norm) and ls.para is None
            and not ls.items and not ls.caption and not ls.table_header)
