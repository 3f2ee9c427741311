"""Sections of documents without articles (privacy policies, guidelines) and bullet-only articles.

Decides, in a document without articles, whether a heading opens a top-level paragraph whatever
marks it: a heavy mark (■ 利用目的), a bracketed line (【利用目的】), or an item-style number
(（１）利用目的) before a short noun phrase with prose below — an entry followed by another entry is
a list item instead. In an article whose whole body is bullets, each bullet is a paragraph.
"""
from __future__ import annotations

from .markers import Marker
from .lineshape import ends_open, plain
from ..text.lines import Line
from ..text.numerals import CIRCLED

# Marks that head a section of a web page (■ 利用目的); ・ • ○ ◦ ▪ only ever bullet a list.
_SECTION_MARKS = frozenset("■□◆◇●")


class SectionRules:
    """Mixin of the tree builder (see tree.Builder): section headings and bullet paragraphs."""
    __slots__ = ()

    def marked_section_heading(self, i: int, ls) -> bool:
        """'■個人情報の利用目的' | prose: in a document without articles, a heavy mark before a short
        noun phrase that prose follows heads a section, a top-level paragraph like '1. 利用目的'.
        Not '・' (a list bullet), not an entry of a list of the same marks, not inside an article."""
        if self.has_articles or ls.bullet not in _SECTION_MARKS or self.suppl is not None \
                or self.appendix is not None:
            return False
        line = self.lines[i]
        words = line.text[ls.bullet_col:line.end].strip()      # 'お問い合わせ', '個人情報の取得について'
        if not words or len(words) > 30 or "。" in words or "、" in words or ends_open(words):
            return False
        k, j = self.prev_content(i), self.next_content(i)
        if k >= 0 and (self.starts[k].bullet == ls.bullet or ends_open(self.lines[k].norm)):
            return False
        return j < len(self.lines) and plain(self.starts[j])

    def open_section(self, line: Line, col: int, end: int, label: str) -> None:
        """A section heading without a number (■ 利用目的, 【利用目的】) opens the next top-level
        paragraph: its text is the heading's words, then the prose below as a sentence of its own."""
        self.begin_node()
        self.open_paragraph(line, None, line.end)
        self.para.label = label
        self.text_of(self.para).add(line, col, end)
        self.heading_line = (self.para, line)

    def bracketed_section_heading(self, i: int) -> bool:
        """'【個人情報の利用目的】' | prose, in a document without articles: no article for it to caption,
        so it heads a section as '1. 利用目的' would."""
        return not self.has_articles and self.suppl is None and self.appendix is None \
            and self.lines[i].norm[0] in "【[" and self.text_follows(i)

    def item_marked_section(self, i: int, markers: tuple[Marker, ...]) -> Marker | None:
        """'（１）取得する情報' | prose | '（２）利用目的' | prose, in a document without articles nor
        '1.' sections: the markers number its top-level sections (as '1. 取得する情報' would), not
        items of a list; an entry followed by another entry is a list item, one after a line that stops
        mid-sentence is text."""
        if self.has_articles or self.suppl is not None or self.appendix is not None or self.mid_sentence(i):
            return None
        top = self.para if self.para is not None and self.para.parent is None else None
        line = self.lines[i]
        open_families = {family for family, _node, _last in self.items}
        for m in markers:
            if m.family in open_families:
                continue                # it goes on with a list of the section
            expected = 1 if top is None else int(top.printed_num or 0) + 1
            if m.num != expected or top is not None and _style(top.label) != _style(m.label):
                continue
            if top is None and self.counters.get(self.scope.node) is not None:
                continue                # after '1.' sections, '(1)' are their items
            words = line.text[m.body_col:line.end].strip()
            if words and len(words) <= 30 and "。" not in words and not ends_open(words) and self.text_follows(i):
                return m
        return None

    def bullet_paragraph(self, ls) -> bool:
        """An article whose whole body is bullets (第3条（取消し） | ・… | ・…): each entry is a
        paragraph, numbered by position. Bullets after a lead-in sentence stay its list."""
        if self.article is None or self.sink is None or self.items:
            return False
        if self.para is None:
            return self.sink is self.article and self.article.children == []
        return self.para.parent is self.article and self.para.label == ls.bullet


def _style(label: str | None) -> str:
    """What a marker's printed form opens with, circled numbers all alike: '（', '(', '①'."""
    first = (label or "")[:1]
    return "①" if first in CIRCLED else first
