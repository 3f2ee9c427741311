"""Front matter, tables of contents and instruments: what stands before and between the texts.

Decides the document title (the first lines up to one ending in a document word — 規約, 約款, 規則,
法律 … — maybe wrapped, with a version after it, not a company name or date line above it, nor a
page label: ご利用方法, よくある質問, ログイン | 新規登録, which belong to no node), the law
number printed below it, the preamble (the rest of the front matter; in a statute without
articles it ends at the enacting formula, …この政令を制定する。), the 目次 block (its entries,
until its first entry comes again as the real heading), and where a second instrument starts in
the same file (a title line ending in a document word, then its 第１条 or 第１章; or article
numbering restarting at 1 without a title).
"""
from __future__ import annotations

import re

from .classify import Heading, LineStart
from .lineshape import BLOCK_END, ends_open, menu_label
from .numbering import Scope
from ..model import Node
from ..text.lines import Line, TextBuilder
from ..text.numerals import squash

# 法 ends a law's name (著作権法, 特別措置法), not a common word (ご利用方法, 手法, 作法, 違法): a page label.
_DOC_TYPE_END = re.compile(
    r"(?:規約|約款|規則|規程|規定|細則|条件|契約書|特約|要綱|要領|方針|ポリシー|法律|(?<![方手用作療技文違合適不寸製工])法"
    r"|政令|省令|府令|令|条例|基準"
    r"|約定書|覚書|同意書|ガイドライン|約定|Terms(?: of (?:Service|Use))?)$")
# What may follow the document-type word of a title: brackets, a version (第１版, Ver.2.0, 2024年4月改定).
_TRAILING_BRACKETS = re.compile(
    r"(?:\s*\([^()]*\)|\s*(?:第\s*)?[0-9.]+\s*版|\s*(?i:ver\.?|version)\s*[0-9.]+|\s*[0-9]{4}\s*年.*(?:改定|改訂|制定|版))+\s*$")
_DOC_TYPE_REACH = len("Terms of Service")         # the longest document word
# The last character a version or bracket tail (_TRAILING_BRACKETS) can end with.
_TRAILING_LAST = frozenset(")版0123456789.定訂")
# The law number below a statute's title: （平成十五年四月一日政令第十号）, （…人事院規則一―三八）.
_LAW_NUMBER = re.compile(r"\([^()]*(?:法律|政令|府令|省令|規則|条例|告示|訓令)(?:第[^()]*号|[一二三四五六七八九十〇]+―[一二三四五六七八九十〇]+)\)")
# A version or bracket printed on the line after the title ('…利用規約' | '（1.1 版）').
_TITLE_SUFFIX_LINE = re.compile(r"\([^()]*\)|(?:第\s*)?[0-9.]+\s*版|(?i:ver\.?|version)\s*[0-9.]+")
# A company name or a date line printed above the title is not part of it.
_NOT_IN_TITLE = re.compile(r"株式会社|有限会社|合同会社|社団法人|財団法人|Inc\.|Co\.|Ltd|[0-9]{4}\s*年|令和|平成"
                           r"|制定|改定|改訂|施行|更新")
# The enacting formula of a statute ends its front matter, in a statute's own words: …この政令を制定
# する。 / …施行規則を次のように定める。 / …（…）の全部を改正する。 / 次の人事院規則を制定する。
# Terms that state their purpose plainly (本条件は、…利用条件を定める。) have none.
_ENACTING_FORMULA = re.compile(r"(?:この(?:法律|政令|省令|府令|規則|命令|条例)|次の\S{0,12}?(?:規則|省令|府令|政令|命令))を"
                               r"(?:制定|改正)する。$|次のように(?:定める|制定する|改正する)。$|の全部を改正する。$")
# …and in the plain form under a law number (a statute for sure): …を定める。
_ENACTING_END = re.compile(r"(?:定める|制定する|改正する)。$")
_ENACTING_REACH = 24            # characters of the formula's end the line before may hold
# Web-page navigation copied above a document: two or more breadcrumb separators (ホーム > 規約一覧 > 利用規約).
_NAVIGATION = re.compile(r"[^>»›]+(?:[>»›][^>»›]+){2,}")
# '# サンプル利用規約': the title as a markdown page marks it.
_MARKDOWN_HEADING = re.compile(r"^#{1,6}\s+")
_TITLE_LINES = 3                # the lines a second instrument's title may take
_TOC_LEADER = re.compile(r"…|‥|・・|\.\.\.|･･|\s\d{1,3}$")
_TOC_ENTRY = re.compile(r".*\(第.*条.*\)$|.{1,30}$|.*(?:…|‥|・・|\.\.\.|･･).*")


class FrontMatter:
    """Builder part for the title, preamble, 目次 and instruments (see structure/tree.py for the state)."""

    __slots__ = ()

    def instrument_title_end(self, i: int) -> int | None:
        """If lines i.. are the title of a second instrument (ends in 規約/規則…, then 第１条 or 第１章),
        the index of that heading line."""
        if i not in self.title_starts:
            return None                 # no 第１条 / 第１章 close enough below for lines i.. to be its title
        if self.scope.last_article is None:
            return None
        if self.suppl is not None and not self.suppl.children:
            return None                 # 附則 then 第一条: the 附則's own first article
        if not titleish(self.lines[i]):
            return None
        k = self.prev_content(i)
        if k >= 0 and not (self.lines[k].norm.endswith(BLOCK_END) or self.starts[k].heading is not None):
            return None
        j, title_lines, last = i, 0, i
        while j < len(self.lines) and title_lines < _TITLE_LINES:
            if j > i and self.furniture[j]:
                j += 1                  # a page break inside the title
                continue
            if self.starts[j].heading is not None or self.starts[j].caption:
                break
            if not titleish(self.lines[j]):
                return None
            title_lines, last, j = title_lines + 1, j, j + 1
            if self.furniture[i]:
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
        if opens_numbering(h):
            return caption if caption is not None else j
        return None

    def find_title_starts(self) -> None:
        """The lines where instrument_title_end may find a title: above a 第１条 / 第１章, at most
        _TITLE_LINES - 1 more title lines and a caption, with any page furniture between them.
        Found again when more lines become furniture (start): most lines are then skipped by a
        set lookup."""
        title_starts, furniture = set(), self.furniture
        for first in self.first_headings:
            k, content = first - 1, 0       # content: lines after k, before `first`, not furniture
            while k >= 0 and content <= _TITLE_LINES:
                title_starts.add(k)
                content += not furniture[k]
                k -= 1
        self.title_starts = title_starts

    def open_instrument(self, i: int, j: int) -> None:
        tb = TextBuilder()
        for k in range(i, j):
            if k == i or not self.furniture[k]:
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
        self.scope = Scope(node)
        self.article = self.para = self.suppl = self.appendix = None
        self.items = []
        self.sink = None


    def started_articles(self) -> bool:
        return self.scope.last_article is not None

    def start(self) -> None:
        if not self.started:
            self.started = True
            self.finish_front()
            for k in self.running_lines:       # furniture from now on (Builder.furniture)
                self.furniture[k] = True
            self.find_title_starts()

    def finish_front(self) -> None:
        front = self.front
        self.front = []
        start, end = _title_span(front)
        if end:
            tb = TextBuilder()
            for line in front[start:end]:
                tb.add(line)
            self.doc.title = _MARKDOWN_HEADING.sub("", tb.text())
            title = squash(self.doc.title)
            if _ends_in_document_word(title):
                self.running_lines |= self.title_repeats(title, front[end - 1])
        # a breadcrumb (ホーム > 規約 > 利用規約) is the web page's, not the document's
        # …and so is a menu (ホーム | 会社概要 | お問い合わせ) above it
        # …and so are the page labels right above the title that are not part of it (ログイン | 新規登録)
        menu = _menu_lines(front)
        above = start - _labels_above(front, start, menu)
        rest = [line for line in front[menu:above] if not _NAVIGATION.fullmatch(line.norm)] + front[end:]
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

    def formula_ended(self) -> bool:
        """In a statute whose main provision has no articles, the text after the enacting formula
        (…この政令を制定する。) is its first paragraph, no longer front matter."""
        if self.has_articles or not self.front:
            return False
        tail = self.front[-1].norm
        if len(tail) < _ENACTING_REACH and len(self.front) > 1:
            tail = self.front[-2].norm[-_ENACTING_REACH:] + tail     # …この政令を制定 | する。
        if _ENACTING_FORMULA.search(tail, max(0, len(tail) - _ENACTING_REACH)):
            return True
        return _ENACTING_END.search(tail) is not None and any(_LAW_NUMBER.fullmatch(line.norm) for line in self.front[1:4])

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
            key = (h.kind, h.level, h.num, h.branches)      # 第一章の二 is not 第一章 again
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


def opens_numbering(h: Heading | None) -> bool:
    """第１条 / 第１章 as a heading: what a second instrument's title is followed by."""
    return h is not None and h.kind in ("article", "container") and h.num == 1 and not h.branches \
        and h.shape != "reference"


def _ends_in_document_word(text: str) -> bool:
    """'…利用規約', '…約款（2024年4月1日改定）', '…規則 第２版': a document word, maybe a version after it.
    Both patterns end in $: each is tried only where it can match, not at every position."""
    if text.rstrip()[-1:] in _TRAILING_LAST:
        text = _TRAILING_BRACKETS.sub("", text)
    return _DOC_TYPE_END.search(text, max(0, len(text) - _DOC_TYPE_REACH)) is not None


def titleish(line: Line) -> bool:
    return len(line.norm) <= 60 and "。" not in line.norm and not line.norm.startswith(("(", "・"))


def _title_span(front: list[Line]) -> tuple[int, int]:
    """Which of the first lines form the document title: up to the line where the title so far ends
    in a document word (規約, 約款, 規則, 法律 …, maybe wrapped: 利用規 | 約), back over lines wrapped
    into it, but not over a company name or a date line printed above it. Without a document word,
    a short first line. Above a statute's law number, the lines above it, however long."""
    for k, line in enumerate(front[1:4], 1):
        if _LAW_NUMBER.fullmatch(line.norm):       # a statute: its title is what stands above its number
            return (0, k) if all("。" not in above.norm for above in front[:k]) else (0, 0)
    menu = _menu_lines(front)
    joined, first = "", menu
    for k, line in enumerate(front[:4 + _navigation_lines(front) + menu]):
        if k < menu:
            continue
        if _NAVIGATION.fullmatch(line.norm):
            joined, first = "", k + 1          # a breadcrumb above the title: the title starts after it
            continue
        if not titleish(line):
            break
        joined += line.norm
        if _ends_in_document_word(joined):
            start, end = k, k + 1
            labels = _labels_above(front, start, first)
            while start > first and labels < 2 and _title_piece(front[start - 1].norm):
                start -= 1              # wrapped into the title; two page labels above it are a menu
            if end < len(front) and _TITLE_SUFFIX_LINE.fullmatch(front[end].norm) \
                    and not _LAW_NUMBER.fullmatch(front[end].norm):
                end += 1                # '…利用規約' | '（1.1 版）'
            return start, end
    if menu < len(front) and titleish(front[menu]) and not _NAVIGATION.fullmatch(front[menu].norm) \
            and len(front[menu].norm) <= 40 and "、" not in front[menu].norm and not _NOT_IN_TITLE.search(front[menu].norm):
        return menu, menu + 1
    return 0, 0


def _title_piece(text: str) -> bool:
    """A line above the title line that belongs to the title: a name or a phrase running into it
    ('サンプルクラウド' | 'サービス約款', '…に関する' | '利用規約'). Not a company name or date line, nor
    a page label addressing the reader: an honorific ご/お (ご利用方法, お問い合わせ) or a clause in
    kana that a name does not hold (よくある質問)."""
    if _NOT_IN_TITLE.search(text) or text[0] in "ごお":
        return False
    kana = {c for c in text if "ぁ" <= c <= "ゖ"}
    return not kana or kana == {"の"} or ends_open(text) or "ぁ" <= text[-1] <= "ゖ"


def _labels_above(front: list[Line], start: int, first: int) -> int:
    """How many page labels ('ログイン' | '新規登録') stand right above line `start`, down to `first`."""
    k = start
    while k > first and _menu_label(front[k - 1].norm):
        k -= 1
    return start - k


def _menu_lines(front: list[Line]) -> int:
    """How many of the first lines are a web page's menu copied above the document: three or more
    short labels in a row (ホーム | サービス一覧 | 会社概要 | お問い合わせ), no sentence, no document
    word, right above the title line (…規約, …ポリシー). A title wrapped over lines never has three
    pieces so short."""
    k = 0
    while k < len(front) and k < 12 and _menu_label(front[k].norm):
        k += 1
    if k < 3 or k == len(front) or not titleish(front[k]) or not _ends_in_document_word(front[k].norm):
        return 0
    return k


def _menu_label(text: str) -> bool:
    return menu_label(text) and not ends_open(text) and not _ends_in_document_word(text) \
        and not _NOT_IN_TITLE.search(text)


def _navigation_lines(front: list[Line]) -> int:
    return sum(1 for line in front[:8] if _NAVIGATION.fullmatch(line.norm))
