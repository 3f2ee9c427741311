"""Writer of e-Gov 法令標準XML (XSD v3): any Document, statute or terms of service, as a <Law>.

Decides the element of every node and the attributes e-Gov sets: Law Era/Year/Num/LawType and the
promulgation date from the law number (LawType "Misc" for a private document; the schema requires
Era, Year and Num, so a document without a law number gets the placeholder Reiwa 1 No. 1 and an empty
LawNum, which is how a reader tells it apart); Num attributes from the normalized nums (第五条及び
第六条 → Num="5:6", 一から四まで → Num="1:4"); Sentence elements cut where the sentence stage cuts
(after 。 outside brackets), a later sentence opening with ただし marked Function="proviso"; an item's
text holding ideographic spaces as Columns (e-Gov's 用語　定義 layout); appendix rows as a TableStruct.

References are not written: the schema has no place for them inside Sentence, and importing the
XML recomputes the same references from the same text. Nor are tokens, definitions, warnings or
the JSON-only fields (lines, segments, label of a numbered paragraph is kept as ParagraphNum).
"""
from __future__ import annotations

import re

from lxml import etree

from ..analysis.sentences import split_spans
from ..model import Document, Node
from ..text.numerals import fold, kana_ordinal, to_int
from .egov_layout import (bare_law_number, enacting_formula, law_number_parts, main_provision,
                          printed_groups, printed_lines, suppl_heading, toc_entry)

_CONTAINER_TAGS = {"part": "Part", "chapter": "Chapter", "section": "Section", "subsection": "Subsection",
                   "division": "Division"}
_TOC_TAGS = {"part": "TOCPart", "chapter": "TOCChapter", "section": "TOCSection",
             "subsection": "TOCSubsection", "division": "TOCDivision"}
_APPENDIX_TAGS = (("様式", "AppdxStyle", "StyleStruct", "Style"), ("書式", "AppdxFormat", "FormatStruct", "Format"),
                  ("別記", "AppdxNote", "NoteStruct", "Note"))
_RANGE = re.compile(r"(.+?)(?:から|乃至|ないし)(.+?)まで$")
_SP = "\u3000"
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_MAIN_KINDS = ("part", "chapter", "section", "article", "paragraph")
PLACEHOLDER = {"Era": "Reiwa", "Year": "1", "Num": "1"}
# Where the schema needs a paragraph and the document has none (an article-less, empty main
# provision): a paragraph without number, text or items, which the importer drops again.
PLACEHOLDER_PARAGRAPH = Node("paragraph")
PLACEHOLDER_ARTICLE = Node("article", num="0")


def to_egov_xml(doc: Document) -> bytes:
    """The document as UTF-8 e-Gov XML with an XML declaration."""
    return etree.tostring(law_element(doc), encoding="utf-8", xml_declaration=True)


def law_element(doc: Document):
    parts = law_number_parts(doc.law_number)
    attrs = dict(parts) if parts else {**PLACEHOLDER, "LawType": "Misc"}
    attrs["Lang"] = "ja"
    law = etree.Element("Law", attrs)
    _sub(law, "LawNum", text=bare_law_number(doc.law_number))
    body = etree.SubElement(law, "LawBody")
    _sub(body, "LawTitle", text=doc.title)
    preamble, main, tail = main_provision(doc)
    text = "\n".join(n.text for n in preamble)
    if text and enacting_formula(text):
        _sub(body, "EnactStatement", text=text)
    toc = etree.Element("TOC")
    if doc.toc and _toc(toc, doc.toc):
        body.append(toc)
    if text and not enacting_formula(text):
        _paragraph_element(etree.SubElement(body, "Preamble"), 1, None, None, text)
    runs = _uniform_runs(main) or [[PLACEHOLDER_PARAGRAPH]]
    _provisions(etree.SubElement(body, "MainProvision"), runs[0])
    for run in runs[1:]:
        _carrier(body, run)
    for node in tail:
        if node.kind == "supplementary":
            _supplementary(body, node)
        elif node.kind == "appendix":
            _appendix(body, node)
        elif node.kind == "document":
            _instrument(body, node)
        else:
            _carrier(body, [node])
    return law


def _uniform_runs(nodes: list[Node]) -> list[list[Node]]:
    """The main provision cut into runs of one kind (the schema allows parts, chapters, sections,
    articles or paragraphs, one kind only); a subsection or division alone is its own run."""
    runs: list[list[Node]] = []
    for node in nodes:
        if runs and runs[-1][-1].kind == node.kind and node.kind in _MAIN_KINDS:
            runs[-1].append(node)
        else:
            runs.append([node])
    return runs


def _carrier(body, nodes: list[Node]) -> None:
    """Top-level provisions that cannot follow what comes before them in the schema (articles
    after chapters, a section after 附則 …: a heading the parser did not nest). They go, in order,
    into a note (Note takes any element the schema declares); the importer puts them back at the
    top level, so their ids do not change."""
    note = etree.SubElement(etree.SubElement(etree.SubElement(body, "AppdxNote"), "NoteStruct"), "Note")
    _provisions(note, nodes, _top_paragraphs(body))


def _top_paragraphs(body) -> int:
    """Top-level paragraphs written so far (a carrier's paragraphs continue their numbering)."""
    return sum(1 for p in body.iterfind("MainProvision/Paragraph")) \
        + sum(1 for p in body.iterfind("AppdxNote/NoteStruct/Note/Paragraph"))


def _instrument(body, node: Node) -> None:
    """A second instrument in the same file: the schema's only place for a whole law is inside a
    note (AppdxNote/NoteStruct/Note takes any element the schema declares), so it goes there."""
    note = etree.SubElement(etree.SubElement(etree.SubElement(body, "AppdxNote"), "NoteStruct"), "Note")
    note.append(law_element(Document(title=node.title or "", children=node.children)))


def _toc(toc, lines: list[str]) -> bool:
    """TOC entries for the 目次 lines that are headings; False when there is none (the schema
    wants at least one entry, so a 目次 of other lines is not written)."""
    stack: list[tuple[int, object]] = []          # (level, TOC element) of the open entries
    for line in lines:
        kind, level, title, article_range = toc_entry(line)
        if kind in ("label", "preamble"):
            if not any(c.tag != "TOCLabel" for c in toc):        # the schema puts both first
                _sub(toc, "TOCLabel" if kind == "label" else "TOCPreambleLabel", text=title)
            continue
        if kind == "supplementary":
            entry = etree.SubElement(toc, "TOCSupplProvision")
            _sub(entry, "SupplProvisionLabel", text=title)
        elif kind in _TOC_TAGS:
            while stack and stack[-1][0] >= level:
                stack.pop()
            parent = stack[-1][1] if stack else toc
            entry = etree.SubElement(parent, _TOC_TAGS[kind], Num=_toc_num(title))
            _sub(entry, _CONTAINER_TAGS[kind] + "Title", text=title)
            stack.append((level, entry))
        else:
            continue
        if article_range:
            _sub(entry, "ArticleRange", text=article_range)
    return any(child.tag != "TOCLabel" for child in toc)


def _toc_num(title: str) -> str:
    m = re.match(r"第(\S+?)[編章節款目]((?:の\S+?)*)(?:\s|$)", fold(title) + " ")
    if not m:
        return "1"
    nums = [m.group(1)] + [b for b in m.group(2).split("の") if b]
    return "_".join(str(to_int(n) or 1) for n in nums)


def _provisions(parent, nodes: list[Node], paragraphs: int = 0) -> None:
    for group in printed_groups(nodes):
        node = group[0]
        if node.kind in _CONTAINER_TAGS:
            tag = _CONTAINER_TAGS[node.kind]
            el = etree.SubElement(parent, tag, Num=node.num or "1")
            _sub(el, tag + "Title", text=_SP.join(p for p in (node.label, node.title) if p))
            _provisions(el, node.children or [PLACEHOLDER_ARTICLE])
        elif node.kind == "article":
            _article(parent, group)
        elif node.kind == "paragraph":
            paragraphs += 1
            _paragraph(parent, node, paragraphs)


def _article(parent, group: list[Node]) -> None:
    first, last = group[0], group[-1]
    num = first.num if len(group) == 1 else f"{first.num}:{last.num}"
    el = etree.SubElement(parent, "Article", Num=num or "1")
    if first.caption:
        _sub(el, "ArticleCaption", text=f"（{first.caption}）")
    title = first.label if first.label or first is PLACEHOLDER_ARTICLE else f"第{first.num}条"
    _sub(el, "ArticleTitle", text=title)
    paragraphs = [c for c in first.children if c.kind == "paragraph"] or [PLACEHOLDER_PARAGRAPH]
    for k, para in enumerate(paragraphs, 1):
        _paragraph(el, para, k)


def _paragraph(parent, node: Node, ordinal: int) -> None:
    el = _paragraph_element(parent, ordinal, node.caption, node.label, node.text)
    _items(el, node.children, "Item")


def _paragraph_element(parent, ordinal: int, caption: str | None, label: str | None, text: str):
    el = etree.SubElement(parent, "Paragraph", Num=str(ordinal))
    if caption:
        _sub(el, "ParagraphCaption", text=f"（{caption}）")
    _sub(el, "ParagraphNum", text=label or None)
    _sentences(etree.SubElement(el, "ParagraphSentence"), text)
    return el


def _items(parent, nodes: list[Node], tag: str) -> None:
    child_tag = "Subitem1" if tag == "Item" else f"Subitem{int(tag[len('Subitem'):]) + 1}"
    for k, node in enumerate(nodes, 1):
        if node.kind not in ("item", "subitem"):
            continue
        # e-Gov numbers items as printed (一から四まで → "1:4", 五 → "5") and sub-items by position
        num = (_range_num(node.label) or node.num) if tag == "Item" else str(k)
        el = etree.SubElement(parent, tag, Num=num or str(k))
        if node.label:
            _sub(el, tag + "Title", text=node.label)
        sentence = etree.SubElement(el, tag + "Sentence")
        columns = [c for c in node.text.split(_SP)] if _SP in node.text else []
        if len(columns) > 1:
            for n, column in enumerate(columns, 1):
                _sentences(etree.SubElement(sentence, "Column", Num=str(n)), column)
        else:
            _sentences(sentence, node.text)
        if child_tag != "Subitem11":
            _items(el, node.children, child_tag)


def _range_num(label: str | None) -> str | None:
    """一から四まで → "1:4", イからハまで → "1:3" (e-Gov's Num of a range of omitted items)."""
    m = _RANGE.match(label or "")
    if not m:
        return None
    ends = [to_int(p) or kana_ordinal(p, "iroha") for p in m.groups()]
    return f"{ends[0]}:{ends[1]}" if all(ends) else None


def _sentences(parent, text: str) -> None:
    """Sentence elements whose texts concatenate to `text` exactly (whitespace between sentences
    stays with the sentence before it)."""
    starts = [s for s, _e in split_spans(text)] or [0]
    starts[0] = 0
    pieces = [text[a:b] for a, b in zip(starts, starts[1:] + [len(text)])]
    proviso = len(pieces) > 1 and any(p.startswith("ただし") for p in pieces[1:])
    for k, piece in enumerate(pieces, 1):
        el = etree.SubElement(parent, "Sentence", Num=str(k), WritingMode="vertical")
        if proviso:
            el.set("Function", "proviso" if k > 1 and piece.startswith("ただし") else "main")
        el.text = _xml_safe(piece)


def _supplementary(body, node: Node) -> None:
    label, extract = suppl_heading(node)
    el = etree.SubElement(body, "SupplProvision")
    if node.title:
        el.set("AmendLawNum", _xml_safe(node.title))
    if extract:
        el.set("Extract", "true")
    _sub(el, "SupplProvisionLabel", text=label)
    children = [c for c in node.children if c.kind in ("chapter", "article", "paragraph")]
    _provisions(el, children or [PLACEHOLDER_PARAGRAPH])


def _appendix(body, node: Node) -> None:
    label = node.label or ""
    tag, struct, inner = next(((t, s, i) for word, t, s, i in _APPENDIX_TAGS if word in label[:4]),
                              ("AppdxTable", "TableStruct", "Table"))
    el = etree.SubElement(body, tag)
    if label:
        _sub(el, tag + "Title", text=label)
    if node.title:
        _sub(el, "RelatedArticleNum", text=f"（{node.title}）")
    lines = printed_lines(node)
    if not lines:
        return
    holder = etree.SubElement(etree.SubElement(el, struct), inner)
    for line in lines:
        if inner == "Table":
            row = etree.SubElement(holder, "TableRow")
            for cell in line.split(_SP):
                _sentences(etree.SubElement(row, "TableColumn"), cell)
        else:
            _sentences(holder, line)




def _sub(parent, tag: str, text: str | None = None, **attrs):
    """A child element with `text` (characters XML cannot carry, such as control characters left
    in a PDF extraction, become U+FFFD)."""
    el = etree.SubElement(parent, tag, **attrs)
    if text is not None:
        el.text = _xml_safe(text)
    return el


def _xml_safe(text: str) -> str:
    return _NOT_XML.sub("\ufffd", text) if _NOT_XML.search(text) else text
