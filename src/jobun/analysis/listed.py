"""Definitions listed one per row or item: the rows of a table (用語 / 用語の意味), the paragraphs
"term：definition" of a definition article, and its items "term definition" (also under a lead-in
that speaks of 用語の意義/意味/定義 outside a 定義 article). The caller decides where these forms apply
and with which scope (definitions.py); this module reads the entries.
"""
from __future__ import annotations

import re

from ..model import Definition, Node

GLOSSARY_LEAD = re.compile(r"用語の(?:意義|意味|定義)")
LEADING_MARKER = re.compile(
    r"^[ \u3000]*(?:[（(][0-9０-９一二三四五六七八九十]+[）)]|[0-9０-９]+[.．]|[①-⑳])[ \u3000]*")
_COLON_TERM = re.compile(r"^[ \u3000]*([^、。：:「」（）()\n]{1,40}?)[ \u3000]*[：:][ \u3000]*(.+)$", re.S)
# "term definition", or the term alone on the marker line: the tree breaks the text after it
_SPACE_TERM = re.compile(r"^[ \u3000]*(\S+)(?:[ \u3000]+|[ \u3000]*\n[ \u3000]*)(\S.*)$", re.S)
_LATIN_HEAD = re.compile(r"^[A-Za-z0-9Ａ-Ｚａ-ｚ０-９＿_.\-]+$")


# --- tables ------------------------------------------------------------------------------------

def table_entries(node: Node, scope: str | None) -> list[Definition]:
    """One definition per row of the node's tables: first cell = term, the rest = definition."""
    defs = []
    for table in node.tables:
        cursor = table.span[0]
        for row in table.rows:
            cells = [c.strip() for c in row]
            if len(cells) < 2 or not cells[0]:
                continue
            term = cells[0]
            span = _find_flexible(node.text, term, cursor, table.span[1] or len(node.text))
            if span is None:
                span = (table.span[0], table.span[0])
            else:
                cursor = span[1]
            definition = " ".join(c for c in cells[1:] if c)
            defs.append(Definition(term, definition, node.id, span, "table", scope))
    return defs


def _find_flexible(text: str, term: str, start: int, end: int) -> tuple[int, int] | None:
    at = text.find(term, start, max(end, start))
    if at >= 0:
        return at, at + len(term)
    pattern = re.compile(r"\s*".join(re.escape(ch) for ch in term if not ch.isspace()))
    m = pattern.search(text, start, max(end, start)) or pattern.search(text)
    return m.span() if m else None


# --- definition articles -----------------------------------------------------------------------

def article_entries(node: Node, scope: str | None) -> list[Definition]:
    """A definition article's paragraphs "term：definition", or else their items."""
    defs = []
    for paragraph in node.children:
        entry = _colon_entry(paragraph, "article", scope)
        if entry:
            defs.append(entry)
            continue                     # its items elaborate the definition; they define nothing
        defs.extend(item_entries(paragraph, scope))
    return defs


def item_entries(paragraph: Node, scope: str | None) -> list[Definition]:
    """The items of a paragraph as "term definition" / "term：definition"."""
    defs = []
    for item in paragraph.children:
        if item.kind == "item":
            entry = _colon_entry(item, "item", scope) or _space_entry(item, scope)
            if entry:
                defs.append(entry)
    return defs


def _marker_length(text: str) -> int:
    m = LEADING_MARKER.match(text)
    return m.end() if m else 0


def _colon_entry(node: Node, form: str, scope: str | None) -> Definition | None:
    text = node.text
    skip = _marker_length(text)
    m = _COLON_TERM.match(text, skip)
    if not m:
        return None
    return Definition(m.group(1), m.group(2).strip(), node.id, m.span(1), form, scope)


def _space_entry(node: Node, scope: str | None) -> Definition | None:
    text = node.text
    skip = _marker_length(text)
    m = _SPACE_TERM.match(text, skip)
    if not m:
        return None
    term_start, term_end = m.span(1)
    definition_start = m.start(2)
    # A Latin head word followed by a short word and another space is a two-word term:
    # "SDPF 利用規約等 SDPF にかかる…" → "SDPF 利用規約等".
    if _LATIN_HEAD.match(m.group(1)):
        rest = re.match(r"(\S{1,10})[ \u3000]+\S", text[definition_start:])
        if rest and not re.search(r"[、。（(「]", rest.group(1)):
            term_end = definition_start + rest.end(1)
            definition_start = definition_start + rest.end(1)
            while definition_start < len(text) and text[definition_start] in " \u3000":
                definition_start += 1
    term = text[term_start:term_end]
    if re.search(r"[、。「」]", term):
        return None
    return Definition(term, text[definition_start:].strip(), node.id, (term_start, term_end), "item", scope)
