"""Import stage for e-Gov 法令標準XML: an element tree → the tree a text parse of the same law gives.

Each element maps to the node the text parser builds from the line e-Gov prints for it (the layout
`jobun export --to text` writes): Part…Division → containers (title split into label and title),
Article → article (ArticleCaption without brackets, ArticleTitle as label; Num="5:6" → one article
per number, as 第五条及び第六条　削除 gives), Paragraph/Item/Subitem1…10 → paragraph/item/subitem,
SupplProvision → supplementary (AmendLawNum → title, Extract → 抄 in the label), Appdx* → appendix,
EnactStatement and Preamble → preamble, TOC → doc.toc lines. Only the tree is built here: ids,
references and analysis run afterwards, exactly as on text (pipeline.annotate).

Text: Sentence elements joined as printed, Columns joined by an ideographic space (e-Gov's layout),
Ruby as its base text (Rt dropped); tables, lists and remarks as lines un-wrapped the way the lines
stage un-wraps a source (rows: cells joined by an ideographic space). Numbers: the printed title
decides, read by the classify stage's own marker grammar; the Num attribute breaks ties between
readings (イ in iroha or aiueo order, (i) Latin or Roman) and stands in when a title is missing.
Line numbers are the element's line in the XML source (e-Gov often serves a law on one line).
"""
from __future__ import annotations

from functools import lru_cache

from lxml import etree

from ..errors import InputError
from ..model import Document, Node
from ..structure.classify import classify
from ..text.lines import Line, Segments, TextBuilder
from ..text.numerals import fold, num_key
from .egov_safe import MAX_DEPTH

CONTAINERS = {"Part": "part", "Chapter": "chapter", "Section": "section", "Subsection": "subsection",
              "Division": "division"}
APPENDICES = ("AppdxTable", "AppdxNote", "AppdxStyle", "AppdxFormat", "Appdx", "AppdxFig",
              "SupplProvisionAppdxTable", "SupplProvisionAppdxStyle", "SupplProvisionAppdx")
_STRUCTURE = {"ParagraphCaption", "ParagraphNum", "ParagraphSentence", "ItemTitle", "ItemSentence",
              "ArticleCaption", "ArticleTitle", "SupplNote"}
_BRACKETS = ("（", "）")


def build_document(root, where: str) -> Document:
    if root.tag != "Law":
        raise InputError(f"XML root element is <{root.tag}>, not e-Gov's <Law>", source=where)
    body = root.find("LawBody")
    if body is None:
        raise InputError("e-Gov XML without a <LawBody>", source=where)
    etree.strip_elements(root, "Rt", with_tail=False)     # Ruby readings: the text keeps the base
    return _Builder(where).law(root, body)


class _Builder:
    def __init__(self, where: str):
        self.where = where
        self.doc = Document()
        self.appendices = 0
        self.supplementaries = 0
        self.instruments = 0

    # ------------------------------------------------------------------ law and its top level
    def law(self, root, body) -> Document:
        doc = self.doc
        doc.law_number = _inline(root.find("LawNum")) or None
        preamble: list[str] = []
        preamble_line = 0
        for el in body:
            tag = el.tag
            if tag == "LawTitle":
                doc.title = _inline(el).strip()
            elif tag == "TOC":
                doc.toc = toc_lines(el)
            elif tag == "EnactStatement":
                preamble_line = preamble_line or el.sourceline
                preamble.append(_inline(el))
            elif tag == "Preamble":
                preamble_line = preamble_line or el.sourceline
                preamble.extend(_sentence_text(p.find("ParagraphSentence")) for p in el.iter("Paragraph"))
            elif tag == "MainProvision":
                if preamble:
                    node = Node("preamble", lines=(preamble_line, preamble_line))
                    doc.children.append(self.text_node(node, preamble))
                    preamble = []
                self.provisions(el, None, 2)
            elif tag == "SupplProvision":
                self.supplementary(el)
            elif tag in APPENDICES:
                self.appendix(el)
        return doc

    def supplementary(self, el) -> None:
        label = _inline(el.find("SupplProvisionLabel")) or "附則"
        if el.get("Extract") == "true":
            label += "\u3000抄"
        node = Node("supplementary", label=label, title=el.get("AmendLawNum"))
        self.supplementaries += 1
        node.ordinal = self.supplementaries
        self.attach(None, node, el)
        self.provisions(el, node, 3)

    def appendix(self, el) -> None:
        note = el.find("NoteStruct/Note") if el.tag == "AppdxNote" else None
        if note is not None and len(note) and note[0].tag == "Law" and note[0].find("LawBody") is not None:
            self.instrument(note[0])
            return
        if note is not None and len(note) and (note[0].tag in CONTAINERS or note[0].tag in ("Article", "Paragraph")):
            self.provisions(note, None, 3)          # the writer's carrier of top-level provisions
            return
        label = related = None
        lines: list[str] = []
        for child in el:
            if child.tag.endswith("Title"):
                label = _inline(child).strip()
            elif child.tag == "RelatedArticleNum":
                related = _strip_brackets(_inline(child).strip())
            else:
                lines.extend(block_lines(child))
        self.appendices += 1
        node = Node("appendix", label=label, title=related)
        node.ordinal = self.appendices       # num is the ordinal, as the text parser gives it
        self.attach(None, node, el)
        self.text_node(node, lines)

    def instrument(self, law) -> None:
        """A second instrument (the writer's AppdxNote holding a whole Law): a document node."""
        sub = _Builder(self.where).law(law, law.find("LawBody"))
        self.instruments += 1
        node = Node("document", title=sub.title or None)
        node.ordinal = self.instruments + 1
        self.attach(None, node, law)
        for child in sub.children:
            child.parent = node
            node.children.append(child)
            node.lines = (node.lines[0], max(node.lines[1], child.lines[1]))

    # ------------------------------------------------------------------ provisions
    def provisions(self, el, parent: Node | None, depth: int) -> None:
        """The containers, articles and paragraphs directly inside `el`."""
        if depth > MAX_DEPTH:
            raise InputError(f"XML nested deeper than {MAX_DEPTH} levels; refused", source=self.where)
        for child in el:
            tag = child.tag
            if tag in CONTAINERS:
                self.container(child, CONTAINERS[tag], parent, depth)
            elif tag == "Article":
                self.article(child, parent, depth)
            elif tag == "Paragraph":
                siblings = parent.children if parent is not None else self.doc.children
                ordinal = siblings[-1].ordinal + 1 if siblings and siblings[-1].kind == "paragraph" else \
                    sum(1 for n in siblings if n.kind == "paragraph") + 1
                self.paragraph(child, parent, ordinal, depth)
            elif tag in APPENDICES:
                self.appendix(child)

    def container(self, el, kind: str, parent: Node | None, depth: int) -> None:
        title = _inline(_child(el, el.tag + "Title")).strip()
        heading = _heading(title)
        node = Node(kind, label=title, title=None)
        if heading is not None and heading.kind == "container":
            node.label, node.title = heading.label, heading.title
            node.printed_num = num_key(heading.num, heading.branches)
        else:
            node.printed_num = el.get("Num")
        self.attach(parent, node, el)
        self.provisions(el, node, depth + 1)

    def article(self, el, parent: Node | None, depth: int) -> None:
        label, caption, paragraphs = "", None, []
        for child in el:
            tag = child.tag
            if tag == "Paragraph":
                paragraphs.append(child)
            elif tag == "ArticleTitle":
                label = _inline(child).strip()
            elif tag == "ArticleCaption":
                caption = _strip_brackets(_inline(child).strip())
        if not label and caption is None:
            return          # the writer's placeholder where the schema needs an article and there is none
        for num in _article_nums(label, el.get("Num") or ""):
            node = Node("article", label=label, caption=caption, printed_num=num)
            self.attach(parent, node, el)
            for k, child in enumerate(paragraphs, 1):
                self.paragraph(child, node, k, depth + 1)

    def paragraph(self, el, parent: Node | None, ordinal: int, depth: int) -> None:
        self.provision(el, parent, "paragraph", ordinal, depth, ("ParagraphNum", "ParagraphSentence", "Item"))

    def item(self, el, parent: Node, ordinal: int, depth: int) -> None:
        tag = el.tag
        level = 0 if tag == "Item" else int(tag[len("Subitem"):])
        self.provision(el, parent, "item" if level == 0 else "subitem", ordinal, depth,
                       (tag + "Title", tag + "Sentence", f"Subitem{level + 1}"))

    def provision(self, el, parent: Node | None, kind: str, ordinal: int, depth: int, tags: tuple) -> None:
        """A paragraph, item or sub-item: marker, caption and sentence; then blocks other than its
        items (tables, lists: part of its text, even when printed after the items); then its items."""
        if depth > MAX_DEPTH:
            raise InputError(f"XML nested deeper than {MAX_DEPTH} levels; refused", source=self.where)
        title_tag, sentence_tag, child_tag = tags
        label = caption = None
        lines = [""]
        children = []
        for child in el:                        # one pass: find() goes through ElementPath each time
            tag = child.tag
            if tag == child_tag:
                children.append(child)
            elif tag == sentence_tag:
                lines[0] = _sentence_text(child)
            elif tag == title_tag:
                label = _inline(child).strip() or None
            elif tag == "ParagraphCaption":
                caption = _strip_brackets(_inline(child).strip())
            elif tag not in _STRUCTURE and not tag.endswith("Title"):
                lines.extend(block_lines(child))
        if label is None and caption is None and not children and not "".join(lines).strip():
            return          # the writer's placeholder where the schema needs a paragraph and there is none
        node = Node(kind, label=label, caption=caption, ordinal=ordinal,
                    printed_num=_marker_num(label, el.get("Num")) if label else None)
        self.attach(parent, node, el)
        self.text_node(node, lines)
        for k, child in enumerate(children, 1):
            self.item(child, node, k, depth + 1)

    # ------------------------------------------------------------------ helpers
    def attach(self, parent: Node | None, node: Node, el) -> None:
        """Add the node under its parent; its lines are its element's lines in the XML source."""
        node.parent = parent
        (parent.children if parent is not None else self.doc.children).append(node)
        line = el.sourceline or 0
        node.lines = (line, line)
        for ancestor in node.ancestors():
            if ancestor.lines[1] >= line:
                break
            ancestor.lines = (ancestor.lines[0], line)

    @staticmethod
    def text_node(node: Node, lines: list[str]) -> Node:
        """Set the node's text from its layout lines, un-wrapped as the lines stage un-wraps."""
        if len(lines) == 1:                     # most nodes: one sentence line, nothing to un-wrap
            node.text = lines[0]
            node.segments = Segments([0, len(lines[0]), node.lines[0], 0]) if lines[0] else ()
            return node
        builder = TextBuilder()
        for k, text in enumerate(lines):
            if text:
                builder.add(Line(node.lines[0] + k, text, 0, len(text), fold(text), False, 0))
        node.text, node.segments = builder.text(), builder.segments
        return node


def _child(el, tag: str):
    """The child `tag` of `el`, looked at first where e-Gov puts it (first), then anywhere."""
    if len(el) and el[0].tag == tag:
        return el[0]
    return el.find(tag)


def toc_lines(toc) -> list[str]:
    """目次, then one line per entry (title and article range), nested entries in order."""
    out = []
    for el in toc.iter():
        tag = el.tag
        if tag in ("TOCLabel", "TOCPreambleLabel", "TOCAppdxTableLabel"):
            out.append(_inline(el).strip())
        elif tag.startswith("TOC") and tag != "TOC":
            parts = [_inline(c).strip() for c in el
                     if c.tag.endswith("Title") or c.tag in ("ArticleRange", "SupplProvisionLabel")]
            if any(parts):
                out.append("".join(parts))
    return out


def block_lines(el) -> list[str]:
    """Layout lines of a block inside a provision: table rows (cells joined by an ideographic
    space), remarks, lists, nested items ('イ　…'), anything else as one line of its text."""
    tag = el.tag
    if tag == "TableRow":
        return ["\u3000".join(_cell_text(c) for c in el.iterchildren("TableColumn"))]
    if tag in ("TableStruct", "Table", "Remarks", "List", "Sublist1", "Sublist2", "Sublist3",
               "FigStruct", "StyleStruct", "NoteStruct", "FormatStruct", "Class") \
            or tag == "Item" or tag.startswith("Subitem"):
        return _compound_lines(el)
    text = _inline(el)
    return [text] if text.strip() else []


def _compound_lines(el) -> list[str]:
    lines: list[str] = []
    head: list[str] = []
    for child in el:
        tag = child.tag
        if tag.endswith("Title") or tag.endswith("Label") or tag.endswith("Sentence"):
            text = _sentence_text(child) if tag.endswith("Sentence") else _inline(child).strip()
            if text:
                head.append(text)
        else:
            if head:
                lines.append("\u3000".join(head))
                head = []
            lines.extend(block_lines(child))
    if head:
        lines.append("\u3000".join(head))
    return lines


def _cell_text(cell) -> str:
    return "".join(_inline(c) if c.tag == "Sentence" else "\u3000".join(block_lines(c)) for c in cell) \
        or _inline(cell)


def _sentence_text(el) -> str:
    """ParagraphSentence / ItemSentence …: Sentences joined as printed, Columns by an ideographic space."""
    if el is None or not len(el):
        return ""
    first = el[0]
    if len(el) == 1 and first.tag == "Sentence":
        return "".join(first.itertext()) if len(first) else (first.text or "")
    if first.tag == "Column":
        return "\u3000".join(_sentence_text(c) for c in el if c.tag == "Column")
    return "".join(_inline(c) for c in el if c.tag == "Sentence")


def _inline(el) -> str:
    """Text of an element as printed (Rt readings were stripped from the tree first)."""
    if el is None:
        return ""
    return "".join(el.itertext()) if len(el) else (el.text or "")


def _strip_brackets(s: str) -> str:
    s = s.strip()
    if s.startswith(_BRACKETS[0]) and s.endswith(_BRACKETS[1]) or s.startswith("(") and s.endswith(")"):
        return s[1:-1].strip()
    return s


@lru_cache(maxsize=4096)
def _heading(title: str):
    """The classify stage's reading of a printed heading (第四章の二, 第三条, 別表第一)."""
    line = _layout_line(title)
    return classify(line).heading if line else None


@lru_cache(maxsize=4096)
def _marker_num(label: str, attr: str | None) -> str | None:
    """Normalized number of a paragraph or item marker as printed (２, 三の二, イ, （ｉ））."""
    line = _layout_line(label + "\u3000x")
    ls = classify(line) if line else None
    markers = (list(ls.items) + ([ls.para] if ls.para else [])) if ls else []
    wanted = (attr or "").split(":")[0].split("_")[0]
    for m in markers:
        if str(m.num) == wanted:
            return num_key(m.num, m.branches)
    if markers:
        return num_key(markers[0].num, markers[0].branches)
    return attr.split(":")[0] if attr else None


def _layout_line(text: str) -> Line | None:
    """A printed heading or marker as the lines stage would hand it to classify."""
    body = text.strip()
    return Line(0, body, 0, len(body), fold(body), False, 0) if body else None


def _article_nums(label: str, attr: str) -> list[str]:
    """The article numbers an Article element stands for: its printed title's, or a Num range."""
    if ":" in attr:
        first, last = attr.split(":", 1)
        if first.isdigit() and last.isdigit() and int(first) <= int(last):
            return [str(n) for n in range(int(first), int(last) + 1)]
        return [first, last]
    heading = _heading(label)
    if heading is not None and heading.kind == "article" and heading.num is not None:
        return [num_key(heading.num, heading.branches)]
    return [attr or "0"]
