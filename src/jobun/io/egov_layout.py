"""Facts of e-Gov's presentation shared by the two writers (XML and plain text in e-Gov layout).

Decides, from a Document alone: the parts of a law number (era, year, promulgation date, type,
number) for the Law attributes; which consecutive articles were printed as one (第五条及び第六条
削除: same label, same text); a 附則 heading's label, amending-law number and 抄; the printed lines
of a text that the source printed on several lines (table rows: its segments' source lines); and the
level of each 目次 line (by the heading grammar of the classify stage).
"""
from __future__ import annotations

import re

from ..model import Document, Node
from ..structure.classify import CONTAINER_KIND, classify
from ..text.lines import Line
from ..text.numerals import fold, kanji_to_int, to_int

ERAS = {"明治": "Meiji", "大正": "Taisho", "昭和": "Showa", "平成": "Heisei", "令和": "Reiwa"}
_LAW_TYPES = (("法律", "Act"), ("政令", "CabinetOrder"), ("勅令", "ImperialOrder"), ("省令", "MinisterialOrdinance"),
              ("府令", "MinisterialOrdinance"), ("規則", "Rule"))
_N = r"[0-9〇一二三四五六七八九十百千元]+"
_LAW_NUMBER = re.compile(rf"({'|'.join(ERAS)})({_N})年(?:({_N})月({_N})日)?(\S*?)第({_N})号")
_ARTICLE_RANGE = re.compile(r"[（(][^（()）]*条[^（()）]*[）)]$")
EXTRACT = "抄"


def law_number_parts(law_number: str | None) -> dict | None:
    """平成五年十一月十二日法律第八十八号 → Era, Year, PromulgateMonth/Day, LawType, Num (strings, as
    e-Gov writes them: year two digits, number three); None when it is not a law number."""
    if not law_number:
        return None
    m = _LAW_NUMBER.search(fold(law_number))
    if not m:
        return None
    era, year, month, day, kind, num = m.groups()
    law_type = next((t for word, t in _LAW_TYPES if word in kind), "Misc")
    parts = {"Era": ERAS[era], "Year": f"{_number(year):02d}", "Num": f"{_number(num):03d}", "LawType": law_type}
    if month and day:
        parts["PromulgateMonth"], parts["PromulgateDay"] = f"{_number(month):02d}", f"{_number(day):02d}"
    return parts


def _number(s: str) -> int:
    return 1 if s == "元" else (to_int(s) or kanji_to_int(s) or 0)


def bare_law_number(law_number: str | None) -> str:
    """The law number without the brackets the e-Gov text layout prints around it."""
    s = (law_number or "").strip()
    if s[:1] in "（(" and s[-1:] in "）)":
        s = s[1:-1].strip()
    return s


def printed_groups(children: list[Node]) -> list[list[Node]]:
    """Siblings grouped as printed: consecutive articles with the same label and the same text
    (第五条及び第六条　削除, split into art_5 and art_6 by the parser) form one group."""
    groups: list[list[Node]] = []
    for node in children:
        last = groups[-1][-1] if groups else None
        if last is not None and node.kind == "article" == last.kind and node.label and node.label == last.label \
                and _body(node) == _body(last):
            groups[-1].append(node)
        else:
            groups.append([node])
    return groups


def _body(article: Node) -> tuple[str, ...]:
    return tuple(n.text for n in article.walk())


def suppl_heading(node: Node) -> tuple[str, bool]:
    """附則 label without 抄, and whether it is an extract (抄)."""
    label = (node.label or "附則").strip()
    if label.endswith(EXTRACT) and len(label) > 1:
        return label[:-1].rstrip(" \u3000"), True
    return label, False


def printed_lines(node: Node) -> list[str]:
    """The node's text cut where the source started a new line (its segments' lines): the rows of
    a table printed one per line. A line break in the text stays at the end of its row, so that
    joining the rows as printed gives the text back."""
    text = node.text
    if not node.segments:
        return [text] if text else []
    lines: list[str] = []
    start = 0
    for prev, seg in zip(node.segments, node.segments[1:]):
        if seg.line != prev.line:
            lines.append(text[start:seg.start])
            start = seg.start
    lines.append(text[start:])
    return [line for line in lines if line.strip()]


def toc_entry(line: str) -> tuple[str, int, str, str]:
    """(kind, level, title, article range) of one 目次 line; kind is a container kind,
    "supplementary", "label" (目次 itself), "preamble" (前文) or "other"."""
    body = line.strip()
    m = _ARTICLE_RANGE.search(body)
    title, article_range = (body[:m.start()].rstrip(), m.group(0)) if m else (body, "")
    ls = classify(Line(0, title, 0, len(title), fold(title), False, 0)) if title else None
    h = ls.heading if ls else None
    if h is not None and h.kind == "container":
        return CONTAINER_KIND[h.level], h.level, title, article_range
    if h is not None and h.kind == "supplementary":
        return "supplementary", 0, title, article_range
    if re.fullmatch(r"目\s*次", fold(body)):
        return "label", 0, body, ""
    if re.fullmatch(r"前\s*文", fold(body)):
        return "preamble", 0, body, ""
    return "other", 0, title, article_range


def main_provision(doc: Document) -> tuple[list[Node], list[Node], list[Node]]:
    """(preamble nodes, main provision nodes, the rest from the first 附則, 別表 or second
    instrument on, in document order)."""
    preamble, main, tail = [], [], []
    for node in doc.children:
        if node.kind == "preamble" and not main and not tail:
            preamble.append(node)
        elif node.kind in ("supplementary", "appendix", "document") or tail:
            tail.append(node)
        else:
            main.append(node)
    return preamble, main, tail


def enacting_formula(text: str) -> bool:
    """…を制定する。/ …次のように定める。: the enacting formula of a law or order, not a 前文."""
    return text.rstrip().endswith(("制定する。", "定める。"))
