"""Tree stage: line starts → document tree, decided by numbering continuity.

A line that *could* start an article, paragraph or item does so only when its number continues the
numbering in force (article 18 after 17, paragraph ３ after ２, item （１） opening a list or （４） after
（３）) and its shape is that of a heading, not of a reference inside a sentence (第１５条第２項の…,
第３８条（…）に基づく). Everything else continues the text of the innermost open node, so no text is
ever lost. Gaps, repeats and misnumbered first paragraphs are accepted with a warning.
"""
from __future__ import annotations

import bisect
import itertools
import operator
import re

from .classify import CONTAINER_KIND, Heading, LineStart, Marker, leading_number
from ..text.lines import Line, TextBuilder
from ..model import BulletList, Document, Node, Note, Table
from ..text.numerals import fold, num_key, squash

_DOC_TYPE_END = re.compile(
    r"(?:規約|約款|規則|規程|規定|細則|条件|契約書|特約|要綱|要領|方針|ポリシー|法律|法|政令|省令|府令|令|条例|基準"
    r"|約定書|覚書|同意書|ガイドライン|約定|Terms(?: of (?:Service|Use))?)$")
# What may follow the document-type word of a title: brackets, a version (第１版, Ver.2.0, 2024年4月改定).
_TRAILING_BRACKETS = re.compile(
    r"(?:\s*\([^()]*\)|\s*(?:第\s*)?[0-9.]+\s*版|\s*(?i:ver\.?|version)\s*[0-9.]+|\s*[0-9]{4}\s*年.*(?:改定|改訂|制定|版))+\s*$")
_DOC_TYPE_REACH = len("Terms of Service")         # the longest document word
# The last character a version or bracket tail (_TRAILING_BRACKETS) can end with.
_TRAILING_LAST = frozenset(")版0123456789.定訂")
_LAW_NUMBER = re.compile(r"\([^()]*(?:法律|政令|府令|省令|規則|条例|告示|訓令)第[^()]*号\)")
_BLOCK_END = tuple("。)」』】.")
_HIRAGANA = re.compile(r"[\u3041-\u309f]")
# A version or bracket printed on the line after the title ('…利用規約' | '（1.1 版）').
_TITLE_SUFFIX_LINE = re.compile(r"\([^()]*\)|(?:第\s*)?[0-9.]+\s*版|(?i:ver\.?|version)\s*[0-9.]+")
# A company name or a date line printed above the title is not part of it.
_NOT_IN_TITLE = re.compile(r"株式会社|有限会社|合同会社|社団法人|財団法人|Inc\.|Co\.|Ltd|[0-9]{4}\s*年|令和|平成"
                           r"|制定|改定|改訂|施行|更新")
# A lead-in that may open a '1.' list ends a sentence or announces (…次のとおり。 / …以下の通り：).
_LEAD_IN_END = frozenset("。：:)）」』")
# A line ending in a particle or comma stops mid-sentence; こと / もの end items and definitions.
_OPEN_END = re.compile(r"(?:[、,がをにはでへや(「『【\[〔]|(?<!こ)と|(?<!も)の|から|まで|より|及び|又は|並びに|若しくは|および|または|もしくは)$")
_OPEN_END_REACH = 4              # its longest alternative: search only the line's last characters
_OPEN_END_LAST = frozenset("、,がをにはでへや(「『【[〔とのびらり")      # the last characters it can end with

_FIRST_PARA = re.compile(r"1(?:\.(?!\d)\s*|\s+)(?=\S)")
_WIDE_GAP = re.compile(r"[\u3000\t]+| {2,}")
# Captions are noun phrases (利用規約の適用, 第三者との紛争): no clause particles, no punctuation.
# '第１条　目的　本規約は…': a short noun phrase set off by a wide gap before the text.
_CAPTION_BEFORE_GAP = re.compile(r"([^\s]{1,20})(?:[\u3000\t]| {2,})\s*(?=\S)")
_NOT_A_BARE_CAPTION = re.compile(r"[。、「」()はがを]|^削除$|[ぁ-ん]$")
_CAPTION_ONLY = re.compile(r"\([^()]*\)")
_PAGE_MARK = re.compile(r"\s+(?:[-—–ー]\s*)?(?:\d{1,4}\s*/\s*\d{1,4}|(?i:p\.|page)?\s*\d{1,4})(?:\s*[-—–ー])?$")
_PAGE_MARK_LAST = "-—–ー"
_TOC_LEADER = re.compile(r"…|‥|・・|\.\.\.|･･|\s\d{1,3}$")
_TOC_ENTRY = re.compile(r".*\(第.*条.*\)$|.{1,30}$|.*(?:…|‥|・・|\.\.\.|･･).*")

# How far a heading may jump ahead and still be taken for the next article (by shape strength).
_MAX_ARTICLE_GAP = {"bare": 20, "caption": 20, "text": 3, "glued": 1}
_ITEM_FAMILIES_NEEDING_LIST = frozenset({"num-dot", "num-space", "decimal"})


class _Scope:
    """One instrument: the main document or a second one (doc_2) in the same file."""

    def __init__(self, node: Node | None):
        self.node = node                    # the doc_N node; None for the main instrument
        self.containers: list[tuple[int, Node]] = []     # open containers with their level (0 編 … 4 目)
        self.container_last: dict[int, tuple[int, tuple[int, ...]]] = {}
        self.last_article: tuple[int, tuple[int, ...]] | None = None
        self.supplementary = 0
        self.appendices = 0


class _Counter:
    """Numbering state of the paragraphs of one owner (article, 附則 block, or the instrument)."""

    __slots__ = ("count", "last")

    def __init__(self) -> None:
        self.count = 0
        self.last: int | None = None


def build(lines: list[Line], starts: list[LineStart]) -> Document:
    return _Builder(lines, starts).run()


class _Builder:
    # Slots: past 30 attributes an instance dict stops sharing its keys and every self.x lookup in
    # the builder gets slower (measured: +0.7 ms on the seeds' tree stage at the 31st attribute).
    __slots__ = ("lines", "starts", "doc", "scope", "texts", "counters", "article", "suppl",
                 "appendix", "para", "items", "sink", "open_caption", "pending_caption", "pending_caption_lines",
                 "block", "front", "started", "toc_mode", "toc_first", "toc_leaders", "_wrap_width",
                 "_suppl_articles", "pending_container_title", "heading_line", "running_lines",
                 "bare_page_numbers", "first_headings", "has_articles", "trailing_signal")

    def __init__(self, lines: list[Line], starts: list[LineStart]):
        self.lines = lines
        self.starts = starts
        self.doc = Document()
        self.scope = _Scope(None)
        self.texts: dict[Node, TextBuilder] = {}
        self.counters: dict[Node | None, _Counter] = {}
        self.article: Node | None = None
        self.suppl: Node | None = None
        self.appendix: Node | None = None
        self.para: Node | None = None
        self.items: list[list] = []            # [family, node, last number]
        self.sink: Node | None = None          # node that receives continuation text
        self.open_caption: Node | None = None  # article whose caption bracket is still open
        self.pending_caption: tuple[str, Line] | None = None     # caption text, its first line
        self.pending_caption_lines: list[Line] = []
        self.block: _Block | None = None
        self.front: list[Line] = []
        self.started = False
        self.toc_mode = False
        self.toc_first: tuple[str, int, int | None] | None = None
        self.toc_leaders = False
        self._wrap_width: float | None = None
        self._suppl_articles: dict[Node, tuple[int, tuple[int, ...]]] = {}
        self.pending_container_title: Node | None = None
        self.heading_line: tuple[Node, Line] | None = None     # see add_first_line
        headings = [k for k, ls in enumerate(starts) if ls.heading is not None]
        running, page_numbers = _running_lines(lines, starts)
        self.running_lines = running | _running_headings(lines, starts, headings)
        page_starts = list(itertools.compress(range(len(lines)), map(_PAGE_START, lines)))     # form feeds
        self.bare_page_numbers = _bare_page_numbers(lines, page_starts)
        self.running_lines |= _page_edge_lines(lines, starts, page_numbers + sorted(self.bare_page_numbers),
                                               page_starts)
        self.first_headings = [k for k in headings if _opens_numbering(starts[k].heading)]
        self.has_articles = any(starts[k].heading.kind == "article" and starts[k].heading.shape != "reference"
                                for k in headings)
        trailing = sum(1 for ln in lines if ln.trailing)
        self.trailing_signal = 0.05 < trailing / max(len(lines), 1) < 0.95

    # ------------------------------------------------------------------ driver
    def run(self) -> Document:
        i = 0
        n = len(self.lines)
        while i < n:
            nxt = self.step(i)
            if self.pending_caption is not None and self.pending_caption_lines[-1] is not self.lines[nxt - 1] \
                    and not self.is_furniture(nxt - 1):
                for caption_line in self.pending_caption_lines:
                    self.add_text(caption_line)            # the heading it announced did not come
                self.pending_caption = None
            i = nxt
        self.close_block()
        if not self.started:
            self.finish_front()
        self.finalize()
        return self.doc

    def is_furniture(self, k: int) -> bool:
        """Line k is page furniture: a page number, a running header or footer, the title again."""
        return self.starts[k].page_number or (self.started and k in self.running_lines) or k in self.bare_page_numbers

    def prev_content(self, i: int) -> int:
        """The line before line i, stepping over page furniture (-1 when there is none): a page
        break between two lines must not change how they read."""
        k = i - 1
        while k >= 0 and self.is_furniture(k):
            k -= 1
        return k

    def next_content(self, i: int) -> int:
        k = i + 1
        while k < len(self.lines) and self.is_furniture(k):
            k += 1
        return k

    def step(self, i: int) -> int:
        line, ls = self.lines[i], self.starts[i]
        if self.is_furniture(i) and (ls.page_number or self.instrument_title_end(i) is None):
            return i + 1                    # page furniture: '- 3 -', '© 2024 …', a running header
        if self.toc_mode and self.toc_line(line, ls):
            return i + 1
        if self.open_caption is not None:
            self.continue_caption(line)
            return i + 1
        h = ls.heading
        title_of, self.pending_container_title = self.pending_container_title, None
        if title_of is not None and h is None and (
                (title_of.title is None and _is_container_title(line, ls))
                or (title_of.title is not None and _continues_title(line, ls) and self.heading_follows(self.next_content(i)))):
            # '第１章' with '総則' on the next line, or a long title wrapped before the next heading
            title_of.title = (title_of.title or "") + line.body
            return i + 1
        if h is not None and self.try_heading(i, line, h):
            return i + 1
        j = self.instrument_title_end(i) if h is None and _titleish(line) else None
        if j is not None:
            self.open_instrument(i, j)
            return j
        if ls.toc and not self.started_articles():
            self.start_toc(line)
            return i + 1
        if (ls.caption or ls.caption_open) and self.caption_before_article(i):
            if ls.caption_open:
                return self.caption_lines(i)
            self.set_pending_caption(ls.caption, [line])
            return i + 1
        if line.norm == "抄" and self.sink is self.suppl is not None and not self.suppl.children:
            self.suppl.label += "　抄"          # '附　則　（…号）' | '抄': the excerpt mark of the heading
            return i + 1
        if ls.caption and self.sink is self.article is not None and self.article.caption is None \
                and not self.article.children:
            self.article.caption = ls.caption       # '第１条' alone, '（目的）' on the next line
            return i + 1
        if ls.caption and self.caption_before_paragraph(i):
            self.set_pending_caption(ls.caption, [line])
            return i + 1
        if ls.para is not None and not self.mid_sentence(i) and self.try_paragraph(i, line, ls.para, ls.items):
            return i + 1
        if ls.items and self.try_item(i, line, ls.items):
            return i + 1
        if ls.table_header and self.sink is not None and self.sink.kind != "preamble":
            self.open_block(_Table(self.sink, line))
            return i + 1
        if ls.note and self.sink is not None:
            self.open_block(_Note(self.sink, ls.note, line))
            return i + 1
        if ls.bullet and self.sink is not None and not isinstance(self.block, _Table):
            self.add_bullet(line, ls)
            return i + 1
        self.add_text(line)
        return i + 1

    # ------------------------------------------------------------------ headings
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
        if last is not None and not _continues(last, key, 2):
            if not (h.num == 1 and not h.branches and self.scope.last_article is not None):
                return False
            self.open_instrument_without_title(line)
        self.start()
        self.close_block()
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
        last = self.suppl_last if in_suppl else self.scope.last_article
        strength = "caption" if (self.pending_caption and h.shape in ("text", "glued", "bare")) else h.shape
        if strength == "open":
            strength = "caption"
        if last is None:
            ok = strength in ("bare", "caption", "text") or (strength == "glued" and h.num == 1)
        else:
            # A jump ahead is believed from a heading-shaped line after a finished sentence.
            max_gap = _MAX_ARTICLE_GAP[strength] if not self.ends_block(self.prev_content(i)) else max(_MAX_ARTICLE_GAP[strength], 20)
            ok = _continues(last, key, max_gap)
            repeat = not ok and key == last and strength in ("bare", "caption") and self.ends_block(self.prev_content(i))
            if repeat:                          # the same number printed twice: a typo, kept with a warning
                self.doc.warn(line.no, "numbering-repeat", f"{h.label}: article {h.num} again")
                ok = True
            if not ok and not in_suppl and h.num == 1 and not h.branches and strength in ("bare", "caption") \
                    and last[0] >= 2:
                self.open_instrument_without_title(line)
                ok, last = True, None
        if not ok:
            return False
        self.start()
        self.close_block()
        if last is not None and key[0] > last[0] + 1 and not key[1]:
            self.doc.warn(line.no, "numbering-gap", f"{h.label}: expected article {last[0] + 1}")
        elif last is None and h.num != 1 and not in_suppl:
            self.doc.warn(line.no, "numbering-start", f"{h.label}: first article is not number 1")
        if in_suppl:
            self.suppl_last = key
        else:
            self.scope.last_article = key
        node = Node("article", label=h.label, caption=h.title, lines=(line.no, line.no))
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
        self.counters[node] = _Counter()
        self.sink = node
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
        return True

    def first_marker_after_heading(self, line: Line, col: int) -> Marker | None:
        """'第１条 １ 当社は…': the first paragraph's number printed on the heading line."""
        m = _FIRST_PARA.match(line.norm, col - line.start)
        if m is None:
            return None
        return Marker("para", 1, line.text[col:line.start + m.end()].strip(), line.start + m.end())

    def ends_item_line(self, i: int) -> bool:
        """Line i is a whole one-line item of a list of nouns ('（２）クレジットカード'): it starts
        with a marker and does not stop mid-sentence, so a marker may follow it."""
        return i >= 0 and bool(self.starts[i].items) and not _ends_open(self.lines[i].norm)

    def ends_block(self, i: int) -> bool:
        """Line i finishes a sentence or a heading (…とします。 / （目的））: a marker may follow."""
        return i >= 0 and (self.lines[i].norm.endswith(_BLOCK_END) or self.starts[i].caption is not None)

    def mid_sentence(self, i: int) -> bool:
        """The previous line stops on a particle or a comma (…希望者が | 第１７条…): what follows
        continues its sentence, whatever it looks like."""
        k = self.prev_content(i)
        if k < 0 or self.pending_caption is not None:
            return False
        prev = self.lines[k]
        before = self.prev_content(k)
        tail = prev.norm if len(prev.norm) > 2 or before < 0 else self.lines[before].norm[-3:] + prev.norm
        return _ends_open(tail)

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
            self.counters[node] = _Counter()
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
        if _display_width(line) >= 0.8 * self.wrap_width():
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
        return last is None or _continues(last, (h.num, h.branches), 20) or h.num == 1

    def caption_before_paragraph(self, i: int) -> bool:
        """'（施行期日）' above '１　この法律は…': a paragraph caption (common in 附則)."""
        j = self.next_content(i)
        if j >= len(self.lines) or self.starts[j].para is None:
            return False
        owner = self.para_owner()
        counter = self.counters.get(owner) or _Counter()
        return owner is not None and self.accepts_paragraph(counter, self.starts[j].para.num) \
            and not self.items_continue(self.starts[j].items)

    @property
    def suppl_last(self) -> tuple[int, tuple[int, ...]] | None:
        """Last article number inside the current 附則 block (its articles restart at 1)."""
        return self._suppl_articles.get(self.suppl) if self.suppl is not None else None

    @suppl_last.setter
    def suppl_last(self, value: tuple[int, tuple[int, ...]]) -> None:
        self._suppl_articles[self.suppl] = value

    def open_supplementary(self, line: Line, h: Heading) -> bool:
        if not self.started_articles() and not self.started:
            return False
        self.start()
        self.close_block()
        self.scope.supplementary += 1
        node = Node("supplementary", label=h.label, title=h.title, lines=(line.no, line.no))
        node.ordinal = self.scope.supplementary
        self.attach(self.scope.node, node)
        self.scope.containers = []
        self.suppl, self.article, self.para, self.items, self.appendix = node, None, None, [], None
        self.counters[node] = _Counter()
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
        if self.mid_sentence(i) or _ends_open(rest):
            return False                # '…算定方法等は、' | '別紙１利用料金表に'
        prev_heading = self.starts[k].heading if k >= 0 else None
        if prev is not None and self.appendix is None and not (
                prev.norm.endswith(_BLOCK_END) or prev.trailing
                or (prev_heading is not None and prev_heading.body_col >= prev.end)
                or line.norm.startswith(("【", "[")) or not rest or _CAPTION_ONLY.fullmatch(rest)):
            return False
        self.start()
        self.close_block()
        self.scope.appendices += 1
        node = Node("appendix", label=h.label, title=None, lines=(line.no, line.no))
        node.ordinal = self.scope.appendices
        node.printed_num = str(h.num) if h.num is not None else None
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

    # ------------------------------------------------------------------ instruments
    def instrument_title_end(self, i: int) -> int | None:
        """If lines i.. are the title of a second instrument (ends in 規約/規則…, then 第１条 or 第１章),
        the index of that heading line."""
        if self.scope.last_article is None:
            return None
        if self.suppl is not None and not self.suppl.children:
            return None                 # 附則 then 第一条: the 附則's own first article
        if bisect.bisect_right(self.first_headings, i) == len(self.first_headings):
            return None                 # no 第１条 / 第１章 below: no instrument can start here
        k = self.prev_content(i)
        if k >= 0 and not (self.lines[k].norm.endswith(_BLOCK_END) or self.starts[k].heading is not None):
            return None
        j, title_lines, last = i, 0, i
        while j < len(self.lines) and title_lines < 3:
            if j > i and self.is_furniture(j):
                j += 1                  # a page break inside the title
                continue
            if self.starts[j].heading is not None or self.starts[j].caption:
                break
            if not _titleish(self.lines[j]):
                return None
            title_lines, last, j = title_lines + 1, j, j + 1
            if self.is_furniture(i):
                break                   # a running title starts an instrument only as its whole title
        if title_lines == 0 or j >= len(self.lines):
            return None
        if not _ends_in_document_word(self.lines[last].norm):
            return None
        caption = j if self.starts[j].caption else None
        if caption is not None:
            j = self.next_content(j)    # （目的） above the first article of the new instrument
            if j >= len(self.lines):
                return None
        h = self.starts[j].heading
        if h is None:
            return None
        if _opens_numbering(h):
            return caption if caption is not None else j
        return None

    def open_instrument(self, i: int, j: int) -> None:
        tb = TextBuilder()
        for k in range(i, j):
            if k == i or not self.is_furniture(k):
                tb.add(self.lines[k])
        self._new_instrument(tb.text(), self.lines[i].no)

    def open_instrument_without_title(self, line: Line) -> None:
        self.doc.warn(line.no, "instrument-restart",
                      "article numbering restarts at 1 without a title: read as a second instrument")
        self._new_instrument(None, line.no)

    def _new_instrument(self, title: str | None, line_no: int) -> None:
        self.close_block()
        number = sum(1 for c in self.doc.children if c.kind == "document") + 2
        node = Node("document", title=title, lines=(line_no, line_no))
        node.ordinal = number
        self.doc.children.append(node)
        node.parent = None
        self.scope = _Scope(node)
        self.article = self.para = self.suppl = self.appendix = None
        self.items = []
        self.sink = None

    # ------------------------------------------------------------------ paragraphs and items
    def para_owner(self) -> Node | None:
        if self.article is not None:
            return self.article
        if self.suppl is not None:
            return self.suppl
        if not self.has_articles and self.appendix is None:
            return self.scope.node      # numbered paragraphs directly under the instrument
        return None

    def try_paragraph(self, i: int, line: Line, m: Marker, items: tuple[Marker, ...]) -> bool:
        owner = self.para_owner()
        if owner is None and (self.has_articles or self.appendix is not None):
            return False
        if m.within is not None and (owner is None or owner.kind != "article" or owner.printed_num != str(m.within)):
            return False                # 3.2 belongs to article 3 only
        counter = self.counters.setdefault(owner, _Counter())
        after_sentence = self.ends_block(self.prev_content(i))
        if m.body_col >= line.end and m.label.isdigit() and not (after_sentence and self.text_follows(i)):
            return False                # a bare number ('２' | text) opens a paragraph only between sentences
        expected = (counter.last or counter.count) + 1
        repeat = bool(counter.count) and m.num == counter.last and after_sentence
        small_gap = bool(counter.count) and expected < m.num <= expected + 2 and after_sentence
        if not self.accepts_paragraph(counter, m.num) and not repeat and not small_gap:
            return False
        if self.items_continue(items):
            return False                # "2." after item "1." of a 1./2. list is an item
        if owner is None and not self.started:
            if m.num != 1:
                return False
        self.start()
        self.close_block()
        if counter.count == 0 and m.num != 1:
            self.doc.warn(line.no, "misnumbered-first", f"first paragraph printed as {m.label}")
        elif repeat and not self.accepts_paragraph(counter, m.num):
            self.doc.warn(line.no, "numbering-repeat", f"paragraph {m.label} printed twice")
        elif counter.count and m.num != (counter.last or counter.count) + 1:
            self.doc.warn(line.no, "numbering-gap", f"paragraph {m.label}: expected {counter.count + 1}")
        self.open_paragraph(line, m, m.body_col)
        return True

    def text_follows(self, i: int) -> bool:
        """The next line is plain text: no heading, marker, caption or furniture."""
        j = self.next_content(i)
        return j < len(self.lines) and _plain(self.starts[j])

    @staticmethod
    def accepts_paragraph(counter: _Counter, n: int) -> bool:
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
        if m is not None:
            col = max(col, m.body_col)
        owner = self.para_owner()
        counter = self.counters.setdefault(owner, _Counter())
        counter.count += 1
        node = Node("paragraph", label=m.label if m else None, lines=(line.no, line.no))
        node.ordinal = counter.count
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
        ('1. 取得する情報', '（１） 会員') heads what follows: add_text starts a new sentence after it."""
        self.text_of(node).add(line, col)
        # col is past the marker's spaces, line.end before trailing ones
        noun_phrase = line.end - col <= 20 and _noun_phrase(line.text[col:line.end].strip())
        self.heading_line = (node, line) if noun_phrase else None

    def ends_heading_line(self, node: Node) -> bool:
        """Whether the text added to `node` so far is a heading line (add_first_line): decided when a
        line follows, against the wrap width, which most documents then never need to measure."""
        if self.heading_line is None or self.heading_line[0] is not node:
            return False
        line, self.heading_line = self.heading_line[1], None
        return _display_width(line) <= 0.6 * self.wrap_width()

    def strip_repeated_marker(self, line: Line, m: Marker, col: int, node: Node) -> int:
        """'2.  ２ 前項による…': the same number printed twice is one marker."""
        again = leading_number(line.norm, col - line.start)
        if again is not None and again[0] == m.num:
            self.doc.warn(line.no, "duplicate-marker", f"paragraph marker {m.label} printed twice")
            node.label = line.text[line.start:line.start + again[1]].strip()
            return line.start + again[1]
        return col

    def try_item(self, i: int, line: Line, markers: tuple[Marker, ...]) -> bool:
        prev = self.prev_content(i)
        choice = self.choose_item(markers, self.ends_block(prev) or self.ends_item_line(prev))
        if choice is None:
            return False
        depth, marker = choice
        self.start()
        self.close_block()
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
            elif marker.num != last + 1 and not marker.branches:
                self.doc.warn(line.no, "numbering-gap", f"item {marker.label}: expected {last + 1}")
            del self.items[depth:]
        ordinal = len(parent.children) + 1      # a paragraph holds only items, an item only sub-items
        node = Node("item" if depth == 0 else "subitem", label=marker.label, lines=(line.no, line.no))
        node.ordinal = ordinal
        node.printed_num = num_key(marker.num, marker.branches)
        self.attach(parent, node)
        self.items.append([marker.family, node, marker.num])
        self.sink = node
        if line.end > marker.body_col:
            self.add_first_line(node, line, marker.body_col)
        return True

    def choose_item(self, markers: tuple[Marker, ...], after_sentence: bool) -> tuple[int, Marker] | None:
        """(depth, marker) for the interpretation that numbering continuity allows, else None."""
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
                if m.family in _ITEM_FAMILIES_NEEDING_LIST and not self.para_invites_list():
                    continue
                if m.within is not None and (self.items or self.para is None
                                             or self.para.printed_num != str(m.within)):
                    continue            # 2.1 opens a list only under the paragraph numbered 2
                return len(self.items), m
        # As for paragraphs: a number printed twice or a small gap is a misnumbered item, but only
        # where a sentence has just ended; elsewhere the line continues the text.
        if after_sentence:
            for depth in range(len(self.items) - 1, -1, -1):
                family, _node, last = self.items[depth]
                for m in markers:
                    if m.family == family and not m.branches and last <= m.num <= last + 3:
                        return depth, m
        return None

    def para_invites_list(self) -> bool:
        """'1.' / '1 ' open a list only after a finished lead-in (…次のとおりとする。 / …以下の通り：),
        not after '…別紙' | '1 利用料金表'."""
        tb = self.texts.get(self.para) if self.para is not None else None
        return tb is not None and tb.length > 0 and tb.parts[-1][-1] in _LEAD_IN_END

    # ------------------------------------------------------------------ text and blocks
    def add_text(self, line: Line) -> None:
        if not self.started:
            self.front.append(line)
            return
        if self.block is not None and self.block.takes(line):
            self.block.add(line)
            return
        if isinstance(self.block, _List):
            self.close_block()
        node = self.sink
        if node is None or node.kind in CONTAINER_KIND or node.kind == "document":
            node = self.implicit_text_node(line)
        elif node.kind in ("article", "supplementary"):
            self.open_paragraph(line, None, line.start)
            return
        self.add_prose(node, line)
        self.extend(node, line.no)

    def add_prose(self, node: Node, line: Line) -> None:
        """Append a text line to `node`. A short noun phrase on a line of its own after a sentence
        (個人情報の利用目的, an unnumbered heading) ends its own sentence: the next line starts anew."""
        tb = self.text_of(node)
        after_heading = self.ends_heading_line(node)
        if after_heading:
            tb.hard_break()
        starts_anew = after_heading or tb.last_char == "。"     # a list of names: each line on its own
        tb.add(line)
        if starts_anew and line.end - line.start <= 20 and _noun_phrase(line.body):
            self.heading_line = (node, line)

    def implicit_text_node(self, line: Line) -> Node:
        """Text with no open provision (e.g. after a chapter heading): keep it on the container."""
        node = self.sink
        if node is None:
            node = Node("preamble", lines=(line.no, line.no))
            self.attach(self.scope.node, node)
            self.sink = node
        return node

    def add_bullet(self, line: Line, ls: LineStart) -> None:
        if not isinstance(self.block, _List) or self.block.marker != ls.bullet:
            self.open_block(_List(self.sink, ls.bullet, self.wrap_width()))
        self.block.add_item(line, ls.bullet_col)

    def wrap_width(self) -> float:
        """The width at which the source wraps its lines (display columns, the 90th percentile)."""
        if self._wrap_width is None:
            widths = sorted(_display_width(line) for line in self.lines)
            self._wrap_width = widths[int(len(widths) * 0.9)] if widths else 0
        return self._wrap_width

    def open_block(self, block: _Block) -> None:
        self.close_block()
        self.block = block

    def close_block(self) -> None:
        if self.block is not None:
            block, self.block = self.block, None
            block.close(self)

    def text_of(self, node: Node) -> TextBuilder:
        tb = self.texts.get(node)
        if tb is None:
            tb = self.texts[node] = TextBuilder()
        return tb

    def extend(self, node: Node, line_no: int) -> None:
        if line_no > node.lines[1]:
            node.lines = (node.lines[0], line_no)

    # ------------------------------------------------------------------ front matter, TOC
    def started_articles(self) -> bool:
        return self.scope.last_article is not None

    def start(self) -> None:
        if not self.started:
            self.started = True
            self.finish_front()

    def finish_front(self) -> None:
        front = self.front
        self.front = []
        start, end = _title_span(front)
        if end:
            tb = TextBuilder()
            for line in front[start:end]:
                tb.add(line)
            self.doc.title = tb.text()
            title = squash(self.doc.title)
            if _ends_in_document_word(title):
                self.running_lines |= self.title_repeats(title, front[end - 1])
        rest = front[:start] + front[end:]
        if end < len(front) and _LAW_NUMBER.fullmatch(front[end].norm):
            self.doc.law_number = front[end].body
            rest.remove(front[end])
        repeats = {id(self.lines[k]) for k in self.running_lines}
        rest = [line for line in rest if id(line) not in repeats]     # a page header in the preamble
        if rest:
            node = Node("preamble", lines=(rest[0].no, rest[-1].no))
            self.doc.children.insert(0, node)
            for line in rest:
                self.add_prose(node, line)

    def title_repeats(self, title: str, last_title_line: Line) -> set[int]:
        """Indexes of the lines after the title that print the whole title again (wrapped or not, any
        width or spacing): a running header atop each page."""
        after = next((k for k, ln in enumerate(self.lines) if ln is last_title_line), len(self.lines)) + 1
        first, longest = title[0], 2 * len(title) + 4      # room for spaces between the words
        return {k for k in range(after, len(self.lines))
                if self.lines[k].norm[0] == first and len(title) <= len(self.lines[k].norm) <= longest
                and squash(self.lines[k].norm) == title}

    def start_toc(self, line: Line) -> None:
        self.start()
        self.toc_mode = True
        self.doc.toc.append(line.body)

    def toc_line(self, line: Line, ls: LineStart) -> bool:
        """True when `line` belongs to the table of contents (目次)."""
        h = ls.heading
        if h is not None and h.kind in ("container", "article") and h.shape != "reference":
            # The TOC ends where its first entry comes again as the real heading (第一章, or
            # 第１条 in a TOC of articles), at the first article of a TOC of chapters, and at the
            # first heading without the dot leaders its entries had.
            key = (h.kind, h.level, h.num)
            leader = bool(_TOC_LEADER.search(line.norm))
            if self.toc_first is None and "。" not in line.norm:
                self.toc_first = key
                self.toc_leaders = leader
            elif self.toc_first is None or key == self.toc_first \
                    or (h.kind == "article" and self.toc_first[0] == "container") \
                    or (self.toc_leaders and not leader):
                self.toc_mode = False
                return False
        elif h is None and not _TOC_ENTRY.fullmatch(line.norm) or "。" in line.norm:
            self.toc_mode = False
            return False
        self.doc.toc.append(line.body)
        return True

    # ------------------------------------------------------------------ assembly
    def attach(self, parent: Node | None, node: Node) -> None:
        node.parent = parent
        (parent.children if parent is not None else self.doc.children).append(node)

    def finalize(self) -> None:
        for node, tb in self.texts.items():
            node.text = tb.text()
            node.segments = tb.segments
            if tb.segments:
                self.extend(node, self.lines_end(tb))
        for top in self.doc.children:
            _spread_lines(top)
        if not self.lines:
            self.doc.warn(0, "empty-document", "the input has no text")
        elif not any(n.kind in ("article", "paragraph") for n in self.doc.walk()):
            self.doc.warn(self.lines[0].no, "no-structure",
                          "no article, paragraph or heading found: the text is kept as the preamble")

    @staticmethod
    def lines_end(tb: TextBuilder) -> int:
        return max(seg.line for seg in tb.segments)


def _continues(last: tuple[int, tuple[int, ...]], key: tuple[int, tuple[int, ...]], max_gap: int) -> bool:
    """Whether numbering `key` may follow `last`: the next number, a branch (第２条の２), or a small gap."""
    (n0, b0), (n1, b1) = last, key
    if not b1:
        return n0 < n1 <= n0 + max_gap
    if n1 == n0:
        return b1 > b0 and b1[0] <= (b0[0] if b0 else 1) + max_gap
    return n0 < n1 <= n0 + max_gap and b1 == (1,)


def _opens_numbering(h: Heading | None) -> bool:
    """第１条 / 第１章 as a heading: what a second instrument's title is followed by."""
    return h is not None and h.kind in ("article", "container") and h.num == 1 and not h.branches \
        and h.shape != "reference"


def _is_container_title(line: Line, ls: LineStart) -> bool:
    return (len(line.norm) <= 20 and not _NOT_A_BARE_CAPTION.search(line.norm) and ls.para is None
            and not ls.items and not ls.caption and not ls.table_header)


def _running_lines(lines: list[Line], starts: list[LineStart]) -> tuple[set[int], list[int]]:
    """Indexes of running headers and footers: a short plain line ending in a page number, printed
    three or more times with different numbers ('サンプル利用規約　2/15', 'サンプル利用規約　3/15'),
    or twice when the number is page-of-total with the same total ('会社名　1/9', '会社名　2/9'): a
    short document has few pages, and a prose line does not repeat its text with a new fraction.
    Also the page-number lines ('- 3 -'), found on the way."""
    seen: dict[str, list[tuple[int, str]]] = {}
    page_numbers: list[int] = []
    for i, (line, ls) in enumerate(zip(lines, starts)):
        last = line.norm[-1]
        if not (last.isdigit() or last in _PAGE_MARK_LAST) or len(line.norm) > 40 or "。" in line.norm:
            continue                    # a page mark ends in a digit or a dash
        if ls.page_number:
            page_numbers.append(i)
            continue
        if not _plain(ls):
            continue
        mark = _PAGE_MARK.search(line.norm)
        if mark and mark.start() > 0:
            seen.setdefault(line.norm[:mark.start()], []).append((i, mark.group()))
    running: set[int] = set()
    for where in seen.values():
        marks = [mark for _i, mark in where]
        if len(set(marks)) == len(marks) and (len(marks) >= 3 or len(marks) == 2 and _pages_of_one_total(marks)):
            running.update(i for i, _mark in where)
    return running, page_numbers


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
                    and "。" not in lines[k].norm and _plain(starts[k]) and not starts[k].page_number:
                edges.setdefault(squash(lines[k].norm), set()).add(k)
    # at two breaks at least, and at half of them: a short line ending a paragraph ('契約') may sit
    # at two breaks by chance, a header or footer sits at every one
    enough = max(2, len(breaks) // 2)
    return {k for where in edges.values() if len(where) >= enough for k in where}


def _bare_page_numbers(lines: list[Line], page_starts: list[int]) -> set[int]:
    """Indexes of page numbers printed as a bare number on a line of their own ('12'): next to a
    page break (a form feed, which PDF extractions print between pages) and about the number of the
    page there, or when the bare numbers of the document count up one by one at least a page apart
    (a paragraph number printed alone, ２ | 当社は…, starts again in every article)."""
    numbers = [(i, int(line.norm)) for i, line in enumerate(lines)
               if len(line.norm) <= 4 and line.norm.isascii() and line.norm.isdigit()]
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
_PAGE_START = operator.attrgetter("page_start")


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
    if h.title is None and k < len(lines) and _plain(starts[k]) and _continues_title(lines[k], starts[k]):
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


def _noun_phrase(text: str) -> bool:
    """At most 20 characters with no punctuation, quotation or clause particle, not stopping on an
    open ending: what a heading line holds ('取得する情報', '個人情報の利用目的', 'モバイル（MVNO）制御システム')."""
    return len(text) <= 20 and not _CLAUSE_SIGN.search(text) and not _ends_open(text)


_CLAUSE_SIGN = re.compile(r"[。、，,「」『』はがを]|[ぁ-ん]$")


def _plain(ls: LineStart) -> bool:
    return ls.heading is None and ls.para is None and not ls.items and not ls.bullet and not ls.caption \
        and not ls.caption_open and not ls.note and not ls.toc and not ls.table_header


def _display_width(line: Line) -> int:
    """Columns the line takes when printed: full-width characters count two."""
    text = line.text[:line.end]
    # UTF-8 takes 1 byte for ASCII and 3 for Japanese: (characters + bytes) / 2 counts wide ones twice.
    return (len(text) + len(text.encode("utf-8"))) // 2


def _continues_title(line: Line, ls: LineStart) -> bool:
    return len(line.norm) <= 20 and not any(c in line.norm for c in "。、") and ls.para is None \
        and not ls.items and not ls.caption


def _ends_open(text: str) -> bool:
    last = text[-2:-1] if text.endswith("\n") else text[-1:]     # $ also matches before a final newline
    return last in _OPEN_END_LAST and _OPEN_END.search(text, max(0, len(text) - _OPEN_END_REACH)) is not None


def _ends_in_document_word(text: str) -> bool:
    """'…利用規約', '…約款（2024年4月1日改定）', '…規則 第２版': a document word, maybe a version after it.
    Both patterns end in $: each is tried only where it can match, not at every position."""
    if text.rstrip()[-1:] in _TRAILING_LAST:
        text = _TRAILING_BRACKETS.sub("", text)
    return _DOC_TYPE_END.search(text, max(0, len(text) - _DOC_TYPE_REACH)) is not None


def _titleish(line: Line) -> bool:
    return len(line.norm) <= 60 and "。" not in line.norm and not line.norm.startswith(("(", "・"))


def _title_span(front: list[Line]) -> tuple[int, int]:
    """Which of the first lines form the document title: up to the line where the title so far ends
    in a document word (規約, 約款, 規則, 法律 …, maybe wrapped: 利用規 | 約), back over lines wrapped
    into it, but not over a company name or a date line printed above it. Without a document word,
    a short first line."""
    joined = ""
    for k, line in enumerate(front[:4]):
        if not _titleish(line):
            break
        joined += line.norm
        if _ends_in_document_word(joined):
            start, end = k, k + 1
            while start > 0 and not _NOT_IN_TITLE.search(front[start - 1].norm):
                start -= 1
            if end < len(front) and _TITLE_SUFFIX_LINE.fullmatch(front[end].norm) \
                    and not _LAW_NUMBER.fullmatch(front[end].norm):
                end += 1                # '…利用規約' | '（1.1 版）'
            return start, end
    if front and _titleish(front[0]) and len(front[0].norm) <= 40 and "、" not in front[0].norm \
            and not _NOT_IN_TITLE.search(front[0].norm):
        return 0, 1
    return 0, 0


def _spread_lines(node: Node) -> tuple[int, int]:
    first, last = node.lines
    for child in node.children:
        a, b = _spread_lines(child)
        if first == 0 or a < first:
            first = a
        if b > last:
            last = b
    node.lines = (first, last)
    return node.lines


# ---------------------------------------------------------------------- blocks inside a node's text
class _Block:
    """Lines collected inside a node's text (a 説明 block, a table), laid out when the block ends."""

    def __init__(self, owner: Node):
        self.owner = owner
        self.lines: list[Line] = []

    def takes(self, line: Line) -> bool:
        return True

    def add(self, line: Line) -> None:
        self.lines.append(line)

    def close(self, builder: _Builder) -> None:
        pass


class _Note(_Block):
    """説明 and similar explanation blocks: their text stays in the owner's text, in reading order."""

    def __init__(self, owner: Node, label: str, line: Line):
        super().__init__(owner)
        self.label = label
        self.first = line.no

    def close(self, builder: _Builder) -> None:
        tb = builder.text_of(self.owner)
        tb.hard_break()
        start = None
        for line in self.lines:
            tb.add(line)
            if start is None and tb.segments:
                start = tb.segments[-1].start
        if start is None:
            start = tb.length
        last = self.lines[-1].no if self.lines else self.first
        self.owner.notes.append(Note(self.label, (start, tb.length), (self.first, last)))
        builder.extend(self.owner, last)


class _List(_Block):
    """Consecutive bullet lines (・…) inside a node."""

    def __init__(self, owner: Node, marker: str, wrap_width: float):
        super().__init__(owner)
        self.marker = marker
        self.wrap_width = wrap_width
        self.entries: list[list[tuple[Line, int]]] = []

    def add_item(self, line: Line, col: int) -> None:
        self.entries.append([(line, col)])

    def takes(self, line: Line) -> bool:
        # An unmarked line continues the last bullet only when that bullet was wrapped: it stops
        # inside brackets or inside a Latin word, or it runs to the wrap width of the document and
        # stops mid-sentence.
        last_line = self.entries[-1][-1][0]
        if last_line.trailing:
            return False
        if _inside_brackets(self.entries[-1]) or _splits_a_latin_word(last_line.norm, line.norm):
            return True
        return not last_line.norm.endswith(_BLOCK_END) and _display_width(last_line) >= 0.8 * self.wrap_width

    def add(self, line: Line) -> None:
        self.entries[-1].append((line, line.start))

    def close(self, builder: _Builder) -> None:
        tb = builder.text_of(self.owner)
        items = []
        start = None
        for entry in self.entries:
            tb.hard_break()
            item_tb = TextBuilder()
            for k, (line, col) in enumerate(entry):
                tb.add(line, line.start if k == 0 else col)
                item_tb.add(line, col)
                if start is None:
                    start = tb.segments[-1].start
            items.append(item_tb.text())
        tb.hard_break()
        first, last = self.entries[0][0][0].no, self.entries[-1][-1][0].no
        self.owner.lists.append(BulletList(self.marker, items, (start or 0, tb.length), (first, last)))
        builder.extend(self.owner, last)


def _inside_brackets(entry: list[tuple[Line, int]]) -> bool:
    """Whether a bullet's text so far leaves a bracket open: '・Smart Data Platform（以下「SD'."""
    text = "".join(line.norm for line, _col in entry)
    return any(text.count(opener) > text.count(closer) for opener, closer in _BRACKET_PAIRS)


_BRACKET_PAIRS = (("(", ")"), ("「", "」"), ("『", "』"), ("【", "】"))


def _splits_a_latin_word(left: str, right: str) -> bool:
    """'・Smart Data Platf' | 'orm（以下…': letters on both sides of the break."""
    return left[-1:].isascii() and left[-1:].isalpha() and right[:1].isascii() and right[:1].isalpha()


class _Table(_Block):
    """A table introduced by a header row such as 用語 用語の意味; rows are split into cells."""

    def __init__(self, owner: Node, header: Line):
        super().__init__(owner)
        self.header = header

    def close(self, builder: _Builder) -> None:
        tb = builder.text_of(self.owner)
        tb.hard_break()
        tb.add(self.header)
        start = tb.segments[-1].start
        rows, row_starts = _table_rows(self.lines, builder.trailing_signal)
        for k, line in enumerate(self.lines):
            if k in row_starts:
                tb.hard_break()
            tb.add(line)
        tb.hard_break()
        header = self.header.body.split()
        if len(header) > 2 and len("".join(header[:-1])) <= 3:        # '用 語 用語の意味'
            header = ["".join(header[:-1]), header[-1]]
        last = self.lines[-1].no if self.lines else self.header.no
        self.owner.tables.append(Table(header, rows, (start, tb.length), (self.header.no, last)))
        builder.extend(self.owner, last)


def _table_rows(lines: list[Line], trailing_signal: bool) -> tuple[list[list[str]], set[int]]:
    """Group table lines into cells and cells into (term, definition) rows.

    A cell ends at a line with trailing whitespace (or before a whitespace-only line) when the
    extraction marks block ends that way; a line that splits into a term and a definition starts a
    new row, unless the line before left its cell open (_wrapped_on)."""
    cells: list[list[int]] = []
    for k, line in enumerate(lines):
        if not cells:
            new_cell = True
        elif trailing_signal and _wrapped_on(lines[k - 1], line):
            new_cell = False
        else:
            new_cell = _split_term(line.body) is not None
        if not new_cell and trailing_signal:
            new_cell = lines[k - 1].trailing or line.gap > 0       # a whitespace-only line ends a block too
        elif not new_cell:
            new_cell = lines[k - 1].norm.endswith(_BLOCK_END)
        if new_cell:
            cells.append([k])
        else:
            cells[-1].append(k)
    rows: list[list[str]] = []
    row_starts: set[int] = set()
    pending: tuple[str, int] | None = None
    for cell in cells:
        tb = TextBuilder(spaced_latin=True)
        for k in cell:
            tb.add(lines[k])
        text = tb.text()
        split = _split_term(text)
        if pending is not None:
            rows.append([pending[0], text])
            row_starts.add(pending[1])
            pending = None
        elif split is not None:
            rows.append(list(split))
            row_starts.add(cell[0])
        elif _termish(text):
            pending = (text, cell[0])
        elif rows:
            rows[-1][1] += text
        else:
            rows.append(["", text])
            row_starts.add(cell[0])
    if pending is not None:
        rows.append([pending[0], ""])
        row_starts.add(pending[1])
    return rows, row_starts


def _wrapped_on(previous: Line, line: Line) -> bool:
    """Where block ends are marked by trailing whitespace: `line` continues the cell that `previous`
    left open: it stops on a particle or a comma (…在庫の中から | 利用開始するチップ SIM を…), or the
    line starts with what no term starts with (…利用開始す | るチップ SIM を指定して…), even if it could
    be read as a term and its definition."""
    return not previous.trailing and line.gap == 0 and not previous.norm.endswith(_BLOCK_END) \
        and (not _can_start_term(line.norm[:1]) or _ends_open(previous.norm))


def _can_start_term(ch: str) -> bool:
    """Terms are nouns: kanji, katakana, Latin, digits, brackets; of hiragana only the honorific
    お and ご (お客様, ご契約者)."""
    if "\u3041" <= ch <= "\u309f":
        return ch in "おご"
    return ch not in _NO_TERM_START


_NO_TERM_START = frozenset("ー、。，．）」』】ァィゥェォッャュョヮヵヶ")


def _termish(text: str) -> bool:
    return len(text) <= 30 and not any(c in text for c in "。、") and not _HIRAGANA.search(text)


def _is_ascii_chunk(chunk: str) -> bool:
    return chunk.isascii() or fold(chunk).isascii()


def _split_term(text: str) -> tuple[str, str] | None:
    """'契約者 本利用規約に基づく…' → ('契約者', '本利用規約に基づく…').

    Terms may contain spaces ('SIM カード一覧'); an ASCII word binds to its neighbours (SIM カード,
    IMEI 登録), so the split is preferably at a space between two non-ASCII words, before the first
    hiragana of the definition."""
    wide = _WIDE_GAP.search(text)
    if wide:                            # an ideographic space, a tab or a run of spaces: a column gap
        term, definition = text[:wide.start()].strip(), text[wide.end():].strip()
        return (term, definition) if _termish_term(term) and definition else None
    chunks = text.split(" ")
    if len(chunks) < 2:
        return None
    first_hira = _HIRAGANA.search(text, len(chunks[0]))
    limit = first_hira.start() if first_hira else len(text)
    spaces = [p for p, c in enumerate(text) if c == " " and p < limit]
    candidates = []
    for p in spaces:
        left, right = text[:p].split(" ")[-1], text[p + 1:].split(" ")[0]
        if left and right and not _is_ascii_chunk(left) and not _is_ascii_chunk(right):
            candidates.append(p)
            break
    if not candidates:
        glued = [p for p in spaces if text[p - 1:p] and not text[p - 1].isascii()
                 and text[p + 1:p + 2].isascii() and not _is_ascii_chunk(text[:p].split(" ")[-1])]
        # 'Smart Data Platform 当社が…': a term of ASCII words ends where the Japanese begins
        ascii_run = [p for p in spaces if _is_ascii_chunk(text[:p]) and not _is_ascii_chunk(text[p + 1:p + 2])]
        candidates = glued[-1:] or ascii_run[:1] or spaces[:1]
    for p in candidates:
        term, definition = text[:p].strip(), text[p + 1:].strip()
        if _termish_term(term) and _definitionish(definition):
            return term, definition
    return None


def _termish_term(term: str) -> bool:
    return 0 < len(term) <= 30 and not any(c in term for c in "。、")


def _definitionish(text: str) -> bool:
    return bool(text) and text[0] not in "のをにがはでと" and bool(_HIRAGANA.search(text) or "。" in text)
