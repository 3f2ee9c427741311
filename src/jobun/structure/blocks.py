"""Blocks inside a node's text: bullet lists, 説明 notes and tables.

Decides which lines a block takes once opened — a bullet line opens or extends a list and an
unmarked line continues its last bullet only when that bullet was wrapped (inside brackets, inside a
Latin word, or run to the document's wrap width mid-sentence); a table (opened by a header row such
as 用語 用語の意味) splits its lines into cells by trailing whitespace or finished sentences and its
cells into (term, definition) rows — and lays each block out in its owner's text when it closes.
"""
from __future__ import annotations

import re
from typing import TYPE_CHECKING, Callable

from .classify import LineStart
from .lineshape import BLOCK_END, display_width, ends_open, plain
from ..model import BulletList, Node, Note, Table
from ..text.lines import Line, TextBuilder
from ..text.numerals import folds_to_ascii

if TYPE_CHECKING:
    from .tree import Builder

_HIRAGANA = re.compile(r"[\u3041-\u309f]")
# (= [\u3000\t]+| {2,}, spelled so that every branch starts with a literal: the engine then skips
# to the next space, tab or ideographic space instead of trying both branches at every character)
_WIDE_GAP = re.compile(r"\u3000[\u3000\t]*|\t[\u3000\t]*|  +")
# A sentence that announces a table: 次の表, 次の甲表, 左の表, 下表, 以下の表, 表の上欄, 同表の下欄.
_TABLE_ANNOUNCED = re.compile(r"(?:次|左|下|上|以下)の?(?:[甲乙丙丁]|第[一二三四五六七八九十]{1,3})?表|表の(?:上|中|下|左|右)欄")
_HEADER_CELL = 25
_TABLE_LABEL = re.compile(r".{1,4}表")             # 甲表, 第一表 above the header row


class BlockRules:
    """Builder part that opens and closes blocks (see structure/tree.py for the state)."""

    __slots__ = ()

    def add_bullet(self, line: Line, ls: LineStart) -> None:
        if not isinstance(self.block, BulletBlock) or self.block.marker != ls.bullet:
            self.open_block(BulletBlock(self.sink, ls.bullet, self.wrap_width))
        self.block.add_item(line, ls.bullet_col)

    def wrap_width(self) -> float:
        """The width at which the source wraps its lines (display columns, the 90th percentile)."""
        if self._wrap_width is None:
            widths = sorted(map(display_width, self.lines))
            self._wrap_width = widths[int(len(widths) * 0.9)] if widths else 0
        return self._wrap_width

    def wrap_width_floor(self) -> int:
        """A lower bound of wrap_width() at a tenth of its cost: the same percentile of the lines'
        lengths in characters (each takes one column or more). A line narrow against it is narrow
        against the wrap width: the short lines asked about (headings) need no line measured."""
        if self._wrap_floor is None:
            lengths = sorted([line.end for line in self.lines])   # the length of what display_width measures
            self._wrap_floor = lengths[int(len(lengths) * 0.9)] if lengths else 0
        return self._wrap_floor

    def trailing_signal(self) -> bool:
        """Whether this extraction marks block ends by trailing whitespace (some lines carry it,
        not nearly all): tables then end cells there. Counted when a table first asks."""
        if self._trailing_signal is None:
            trailing = sum([line.trailing for line in self.lines])     # (a list: no generator frame per line)
            self._trailing_signal = 0.05 < trailing / max(len(self.lines), 1) < 0.95
        return self._trailing_signal

    def announced_table(self, i: int, line: Line, ls: LineStart) -> TableBlock | None:
        """A table right after a sentence that announces it (…次の表に掲げる… / …表の上欄…。): a
        header row of two or more short cells set apart by wide spaces, or, without a header, a
        row of two or more cells (maybe wrapped onto the next line) that does not end a sentence."""
        node = self.sink
        if node is None or node.kind not in ("paragraph", "item", "subitem") or line.norm.endswith("。"):
            return None
        tb = self.texts.get(node)
        if tb is None or tb.last_char != "。" or not _announces_table(tb):
            return None
        cells = _WIDE_GAP.split(line.body)
        if ls.items:
            if len(cells) + self.cells_wrapped(i) < 3:
                return None
            table = TableBlock(node, line, announced=True, headed=False)
            table.row_num = ls.items[0].num
            return table
        if _TABLE_LABEL.fullmatch(line.norm) or len(cells) >= 2 and all(
                len(cell) <= _HEADER_CELL and not cell.endswith("。") for cell in cells):
            return TableBlock(node, line, announced=True)       # a header row, or 甲表 above one
        if len(cells) + self.cells_wrapped(i) >= 2:
            return TableBlock(node, line, announced=True, headed=False)
        return None

    def in_announced_table(self) -> bool:
        """Rows of an announced table are no sentences: a cell ending in が does not hold the next line."""
        return isinstance(self.block, TableBlock) and self.block.announced

    def cells_wrapped(self, i: int) -> int:
        """Cells the line after line i adds to its row when the row was wrapped (a plain line)."""
        j = self.next_content(i)
        if j >= len(self.lines) or not plain(self.starts[j]):
            return 0
        return len(_WIDE_GAP.split(self.lines[j].body)) - 1

    def table_takes_markers(self, markers: tuple) -> bool:
        """Inside an announced table a numbered line is a row, not an item, unless it continues the
        list the table stands in (一 … 次の表 … | 二 …) rather than the table's own numbered rows."""
        if not self.in_announced_table():
            return False
        table = self.block
        for m in markers:
            if m.num == 1 or table.row_num is not None and m.num == table.row_num + 1:
                table.row_num = m.num
                return True
        return not self.items_continue(markers)

    def open_block(self, block: Block) -> None:
        self.close_block()
        self.block = block

    def close_block(self) -> None:
        if self.block is not None:
            block, self.block = self.block, None
            block.close(self)


class Block:
    """Lines collected inside a node's text (a 説明 block, a table), laid out when the block ends."""

    def __init__(self, owner: Node):
        self.owner = owner
        self.lines: list[Line] = []

    def takes(self, line: Line) -> bool:
        return True

    def add(self, line: Line) -> None:
        self.lines.append(line)

    def close(self, builder: Builder) -> None:
        pass


class NoteBlock(Block):
    """説明 and similar explanation blocks: their text stays in the owner's text, in reading order."""

    def __init__(self, owner: Node, label: str, line: Line):
        super().__init__(owner)
        self.label = label
        self.first = line.no

    def close(self, builder: Builder) -> None:
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
        self.owner.notes = [*self.owner.notes, Note(self.label, (start, tb.length), (self.first, last))]
        builder.extend(self.owner, last)


class BulletBlock(Block):
    """Consecutive bullet lines (・…) inside a node."""

    def __init__(self, owner: Node, marker: str, measure_wrap_width: Callable[[], float]):
        super().__init__(owner)
        self.marker = marker
        self.measure_wrap_width = measure_wrap_width       # measured only if a line gets that far in takes()
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
        return not last_line.norm.endswith(BLOCK_END) and display_width(last_line) >= 0.8 * self.measure_wrap_width()

    def add(self, line: Line) -> None:
        self.entries[-1].append((line, line.start))

    def close(self, builder: Builder) -> None:
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
        self.owner.lists = [*self.owner.lists, BulletList(self.marker, items, (start or 0, tb.length), (first, last))]
        builder.extend(self.owner, last)


def _announces_table(tb: TextBuilder) -> bool:
    """Whether the last lines added to a text announce a table (…次の表による額とする。ただし、…。).
    Every form of the announcement names 表: a tail without one is not searched."""
    tail = "".join(tb.parts[-8:])
    return "表" in tail and _TABLE_ANNOUNCED.search(tail) is not None


def _inside_brackets(entry: list[tuple[Line, int]]) -> bool:
    """Whether a bullet's text so far leaves a bracket open: '・Smart Data Platform（以下「SD'."""
    text = "".join(line.norm for line, _col in entry)
    return any(text.count(opener) > text.count(closer) for opener, closer in _BRACKET_PAIRS)


_BRACKET_PAIRS = (("(", ")"), ("「", "」"), ("『", "』"), ("【", "】"))


def _splits_a_latin_word(left: str, right: str) -> bool:
    """'・Smart Data Platf' | 'orm（以下…': letters on both sides of the break."""
    return left[-1:].isascii() and left[-1:].isalpha() and right[:1].isascii() and right[:1].isalpha()


class TableBlock(Block):
    """A table introduced by a header row such as 用語 用語の意味; rows are split into cells.

    An announced table (…次の表の上欄に掲げる者は…。 | 区分　金額) prints a row a line, its cells
    set apart by wide spaces; a row may start with a number (一　…), which is no item there."""

    def __init__(self, owner: Node, header: Line, announced: bool = False, headed: bool = True):
        super().__init__(owner)
        self.header = header            # the first line: the header row, or the first row when not headed
        self.announced = announced
        self.headed = headed
        self.row_num: int | None = None     # the number of the last numbered row (一　…, 二　…)

    def close(self, builder: Builder) -> None:
        tb = builder.text_of(self.owner)
        tb.hard_break()
        tb.add(self.header)
        start = tb.segments[-1].start
        if self.announced:
            rows = [_WIDE_GAP.split(line.body) for line in ([] if self.headed else [self.header]) + self.lines]
            row_starts = set(range(len(self.lines)))
        else:
            rows, row_starts = _table_rows(self.lines, builder.trailing_signal())
        for k, line in enumerate(self.lines):
            if k in row_starts:
                tb.hard_break()
            tb.add(line)
        tb.hard_break()
        header = self.header.body.split() if not self.announced else \
            _WIDE_GAP.split(self.header.body) if self.headed else []
        if len(header) > 2 and len("".join(header[:-1])) <= 3:        # '用 語 用語の意味'
            header = ["".join(header[:-1]), header[-1]]
        last = self.lines[-1].no if self.lines else self.header.no
        self.owner.tables = [*self.owner.tables, Table(header, rows, (start, tb.length), (self.header.no, last))]
        builder.extend(self.owner, last)


def _table_rows(lines: list[Line], trailing_signal: bool) -> tuple[list[list[str]], set[int]]:
    """Group table lines into cells and cells into (term, definition) rows.

    A cell ends at a line with trailing whitespace (or before a whitespace-only line) when the
    extraction marks block ends that way; a line that splits into a term and a definition starts a
    new row, unless the line before left its cell open (_wrapped_on)."""
    splits: dict[str, tuple[str, str] | None] = {}      # a one-line cell splits as its line did

    def split_term(text: str) -> tuple[str, str] | None:
        if text not in splits:
            splits[text] = _split_term(text)
        return splits[text]

    cells: list[list[int]] = []
    for k, line in enumerate(lines):
        if not cells:
            new_cell = True
        elif trailing_signal and _wrapped_on(lines[k - 1], line):
            new_cell = False
        else:
            new_cell = split_term(line.body) is not None
        if not new_cell and trailing_signal:
            new_cell = lines[k - 1].trailing or line.gap > 0       # a whitespace-only line ends a block too
        elif not new_cell:
            new_cell = lines[k - 1].norm.endswith(BLOCK_END)
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
        split = split_term(text)
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
    return not previous.trailing and line.gap == 0 and not previous.norm.endswith(BLOCK_END) \
        and (not _can_start_term(line.norm[:1]) or ends_open(previous.norm))


def _can_start_term(ch: str) -> bool:
    """Terms are nouns: kanji, katakana, Latin, digits, brackets; of hiragana only the honorific
    お and ご (お客様, ご契約者)."""
    if "\u3041" <= ch <= "\u309f":
        return ch in "おご"
    return ch not in _NO_TERM_START


_NO_TERM_START = frozenset("ー、。，．）」』】ァィゥェォッャュョヮヵヶ")


def _termish(text: str) -> bool:
    return len(text) <= 30 and not any(c in text for c in "。、") and not _HIRAGANA.search(text)


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
    spaces = _spaces_before(text, limit)
    candidates = []
    for p in spaces:
        after = text.find(" ", p + 1)
        left, right = text[text.rfind(" ", 0, p) + 1:p], text[p + 1:after if after >= 0 else len(text)]
        if left and right and not folds_to_ascii(left) and not folds_to_ascii(right):
            candidates.append(p)
            break
    if not candidates:
        glued = [p for p in spaces if text[p - 1:p] and not text[p - 1].isascii()
                 and text[p + 1:p + 2].isascii() and not folds_to_ascii(text[:p].split(" ")[-1])]
        # 'Smart Data Platform 当社が…': a term of ASCII words ends where the Japanese begins
        ascii_run = [p for p in spaces if folds_to_ascii(text[:p]) and not folds_to_ascii(text[p + 1:p + 2])]
        candidates = glued[-1:] or ascii_run[:1] or spaces[:1]
    for p in candidates:
        term, definition = text[:p].strip(), text[p + 1:].strip()
        if _termish_term(term) and _definitionish(definition):
            return term, definition
    return None


def _spaces_before(text: str, limit: int) -> list[int]:
    """Offsets of the spaces in text[:limit] (str.find, not a loop over every character)."""
    spaces = []
    p = text.find(" ", 0, limit)
    while p >= 0:
        spaces.append(p)
        p = text.find(" ", p + 1, limit)
    return spaces


def _termish_term(term: str) -> bool:
    return 0 < len(term) <= 30 and not any(c in term for c in "。、")


def _definitionish(text: str) -> bool:
    return bool(text) and text[0] not in "のをにがはでと" and bool(_HIRAGANA.search(text) or "。" in text)
