"""Data classes of the document tree (modelled on e-Gov 法令標準XML: Law, Article, Paragraph, Item…).

Every stage of the pipeline reads and writes these classes and nothing else:
decode → lines → classify → tree → ids → references → analysis → export.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, Iterator, Sequence

# Node kinds, outermost first. Containers nest in this order (編 > 章 > 節 > 款 > 目).
CONTAINER_KINDS = ("part", "chapter", "section", "subsection", "division")
NODE_KINDS = CONTAINER_KINDS + (
    "document", "preamble", "article", "paragraph", "item", "subitem", "supplementary", "appendix",
)


@dataclass(slots=True)
class Table:
    """A two-or-more column table (e.g. 用語 / 用語の意味) inside a node's text."""
    header: list[str]
    rows: list[list[str]]
    span: tuple[int, int] = (0, 0)          # [start, end) in the owning node's text
    lines: tuple[int, int] = (0, 0)


@dataclass(slots=True)
class BulletList:
    """Lines marked with ・ (or ●, ○, ■ …) inside a node's text."""
    marker: str
    items: list[str]
    span: tuple[int, int] = (0, 0)
    lines: tuple[int, int] = (0, 0)


@dataclass(slots=True)
class Note:
    """An explanation block (説明, 解説, 備考 …) printed after a provision; part of its text."""
    label: str
    span: tuple[int, int] = (0, 0)
    lines: tuple[int, int] = (0, 0)


@dataclass(slots=True)
class Segment:
    """Where a run of a node's text came from: text[start:end] == source line `line` from column `col`."""
    start: int
    end: int
    line: int
    col: int


@dataclass(slots=True)
class Sentence:
    span: tuple[int, int]
    tokens: list[dict] | None = None


@dataclass(eq=False, slots=True)
class Node:
    """One provision or heading. `tables`, `lists`, `notes`, `sentences` and `segments` are one
    shared empty tuple until a stage gives the node some (most nodes have none of the first three):
    assign a list rather than append to them."""
    kind: str
    id: str = ""
    num: str | None = None            # normalized ASCII number: "17", "2_2"; kana markers → ordinal
    label: str | None = None          # the marker or heading number as printed: "第１７条", "２", "（１）"
    caption: str | None = None        # articles: caption without brackets
    title: str | None = None          # containers, supplementary provisions, appendices, documents
    text: str = ""                    # own text, un-wrapped, characters as printed
    lines: tuple[int, int] = (0, 0)   # [first, last] source line (1-based), children included
    children: list[Node] = field(default_factory=list)
    tables: Sequence[Table] = ()
    lists: Sequence[BulletList] = ()
    notes: Sequence[Note] = ()
    sentences: Sequence[Sentence] = ()
    # offset map text → source (exported on request): a read-only sequence; a parse keeps it as
    # flat numbers and makes each Segment when read (text.lines.Segments)
    segments: Sequence[Segment] = ()
    parent: Node | None = field(default=None, repr=False)
    # Set by the tree builder, read by the id stage: position among same-kind siblings (1-based)
    # and the printed number parsed to a key such as "17" or "2_2" (None when unnumbered).
    ordinal: int = 0
    printed_num: str | None = None
    # Set on top-level nodes by Document.adopt(), so that any node can reach its document.
    owner: Document | None = field(default=None, repr=False, compare=False)

    def __repr__(self) -> str:
        head = self.caption or self.title or _preview(self.text)
        return f"<Node {self.id or '?'} {self.kind} {self.label or ''} {head!r}>".replace("  ", " ")

    def _repr_html_(self) -> str:
        return _outline_html(self.walk(), base_depth=_depth(self))

    @property
    def document(self) -> Document | None:
        """The Document this node belongs to (None for a node built outside a document)."""
        root = self
        while root.parent is not None:
            root = root.parent
        return root.owner

    def sentence_texts(self) -> list[str]:
        """The text of each sentence of this node, in order."""
        return [self.text[start:end] for start, end in (s.span for s in self.sentences)]

    def walk(self) -> Iterator[Node]:
        """This node and its descendants in document order."""
        return _walk([self])

    def ancestors(self) -> Iterator[Node]:
        node = self.parent
        while node is not None:
            yield node
            node = node.parent

    def source_position(self, offset: int) -> tuple[int, int] | None:
        """(line, column) in the source of character `offset` of this node's text."""
        for seg in self.segments:
            if seg.start <= offset < seg.end:
                return seg.line, seg.col + offset - seg.start
        return None

    def source_offset(self, offset: int = 0) -> int | None:
        """Document-wide position of character `offset` of this node's text: its index in the
        decoded source text (line ends as in the file), so text[start:end] spans can be found
        there. None when unknown: the offset map is kept only for documents parsed in this process."""
        document = self.document
        position = self.source_position(offset)
        if position is None or document is None or not document.line_starts:
            return None
        line, column = position
        return document.line_starts[line - 1] + column

    def source_span(self, span: tuple[int, int]) -> tuple[int, int] | None:
        """Document-wide [start, end) of a span of this node's text (a sentence, a reference)."""
        start, end = span
        first = self.source_offset(start)
        last = self.source_offset(end - 1) if end > start else first
        return None if first is None or last is None else (first, last + (1 if end > start else 0))


@dataclass(slots=True)
class ParseWarning:
    """Something the parser noticed in the source (a numbering gap, an unresolved reference …)
    at a source line; not a Python warning."""
    line: int
    code: str
    message: str


def __getattr__(name: str):
    """`Warning`, the old name of ParseWarning (it shadowed the builtin), still imports, with a
    DeprecationWarning."""
    if name == "Warning":
        import warnings
        warnings.warn("jobun's Warning class is now ParseWarning", DeprecationWarning, stacklevel=2)
        return ParseWarning
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


@dataclass(slots=True)
class Source:
    name: str | None = None
    sha256: str | None = None
    encoding: str | None = None


@dataclass(slots=True)
class Fragment:
    """One step of a normalized reference: 第１７条第１項 → article 17, then paragraph 1."""
    kind: str                      # article|paragraph|item|subitem|chapter|section|appendix|supplementary|law
    num: str | None = None
    relative: str | None = None    # None|"prev"|"next"|"this"|"same"|"each"
    count: int | None = None


@dataclass(slots=True)
class Range:
    start: list[Fragment]
    end: list[Fragment] | None = None


@dataclass(slots=True)
class Reference:
    source: str                    # id of the node whose text holds the reference ("from")
    text: str
    span: tuple[int, int]
    kind: str                      # internal|external|document|unresolved
    targets: list[str] = field(default_factory=list)
    law: str | None = None
    ranges: list[Range] = field(default_factory=list)
    caption: str | None = None     # bracketed caption printed after the article number, if any
    law_number: str | None = None  # external: the cited law's number, normalized (平成15年法律第57号)
    law_id: str | None = None      # external: its e-Gov law id where the number gives it (415AC0000000057)


@dataclass(slots=True)
class Law:
    """A statute this document cites: its full name as printed, number, e-Gov id, the names the
    document defined for it (法, 令, 個人情報保護法 …) and how many references cite it."""
    name: str
    number: str | None = None
    id: str | None = None
    aliases: list[str] = field(default_factory=list)
    count: int = 0


@dataclass(slots=True)
class Definition:
    term: str
    definition: str
    node: str
    span: tuple[int, int]
    form: str                      # inline|table|article|item|law (a law alias, from the reference stage)
    scope: str | None = None
    uses: list[str] = field(default_factory=list)   # ids of the nodes using the term within the scope


@dataclass(slots=True)
class TermUses:
    """Where one term is used in one instrument: node ids in document order, a count for each."""
    term: str
    instrument: str | None         # None for the main document, else the doc_N id
    nodes: list[str] = field(default_factory=list)
    counts: list[int] = field(default_factory=list)


@dataclass(eq=False)
class Document:
    title: str = ""
    source: Source = field(default_factory=Source)
    children: list[Node] = field(default_factory=list)
    warnings: list[ParseWarning] = field(default_factory=list)
    references: list[Reference] = field(default_factory=list)
    definitions: list[Definition] = field(default_factory=list)
    laws: list[Law] = field(default_factory=list)
    term_uses: list[TermUses] = field(default_factory=list)
    law_number: str | None = None
    toc: list[str] = field(default_factory=list)
    _index: dict[str, Node] | None = field(default=None, repr=False)
    # Character offset in the decoded source of every line's start (line n at line_starts[n-1]);
    # set by the parser, not exported.
    line_starts: Sequence[int] = field(default_factory=list, repr=False)

    def __repr__(self) -> str:
        articles = sum(1 for n in self.walk() if n.kind == "article")
        return (f"<Document {_preview(self.title, 40)!r}: {articles} articles, {len(self)} nodes, "
                f"{len(self.references)} references, {len(self.warnings)} warnings, "
                f"source={self.source.name!r}>")

    def _repr_html_(self) -> str:
        from html import escape
        return f"<b>{escape(self.title or '(untitled)')}</b>" + _outline_html(self.walk())

    def __len__(self) -> int:
        """The number of nodes (every node at every depth, as iteration yields them)."""
        return sum(1 for _ in self.walk())

    def __iter__(self) -> Iterator[Node]:
        return self.walk()

    def __bool__(self) -> bool:         # a document without nodes is still a document
        return True

    def adopt(self) -> Document:
        """Link the top-level nodes to this document, so that `node.document` answers."""
        for node in self.children:
            node.owner = self
        return self

    def walk(self) -> Iterator[Node]:
        """Every node in document order."""
        return _walk(self.children[::-1])

    def get(self, node_id: str) -> Node | None:
        if self._index is None:
            self._index = {n.id: n for n in self.walk()}
        return self._index.get(node_id)

    def reindex(self) -> None:
        self._index = None

    def warn(self, line: int, code: str, message: str) -> None:
        self.warnings.append(ParseWarning(line, code, message))

    # Reference queries; the reference stage fills self.references.
    def references_from(self, node_id: str) -> list[Reference]:
        return [r for r in self.references if r.source == node_id]

    def references_to(self, node_id: str) -> list[Reference]:
        return [r for r in self.references if node_id in r.targets]

    def resolve(self, text: str, context: str | None = None) -> Node | None:
        """The node that a reference such as 第１７条第１項 names (relative forms need `context`)."""
        return _stage("resolve_text")(self, text, context)

    def to_dict(self, *, segments: bool = False, ranges: bool = True) -> dict:
        """The document as the published JSON Schema describes it (ranges=False: references
        without their parsed pointer fragments, as a corpus stores them)."""
        return _stage("document_to_dict")(self, segments=segments, ranges=ranges)

    def to_json(self, *, indent: int | None = 1) -> str:
        return _stage("document_to_json")(self, indent=indent)


# The stage functions behind Document's conveniences (resolution, JSON export). model.py imports no
# stage: jobun.facade plugs them in once, when the package is imported.
_STAGE_FUNCTIONS: dict[str, Callable] = {}


def provide(**functions: Callable) -> None:
    """Plug in the stage functions that Document's conveniences call (done by jobun.facade)."""
    _STAGE_FUNCTIONS.update(functions)


def _stage(name: str) -> Callable:
    try:
        return _STAGE_FUNCTIONS[name]
    except KeyError:
        raise RuntimeError(f"jobun.model: no stage provides {name} (import jobun, not jobun.model alone)") from None


def _walk(stack: list[Node]) -> Iterator[Node]:
    """Pre-order walk; `stack` holds the roots in reverse order (one generator for the whole tree)."""
    pop, extend = stack.pop, stack.extend
    while stack:
        node = pop()
        yield node
        if node.children:
            extend(node.children[::-1])


OUTLINE_HTML_NODES = 500      # a notebook cell stays readable for a statute of thousands of nodes


def _preview(text: str | None, width: int = 20) -> str:
    text = (text or "").replace("\n", " ")
    return text if len(text) <= width else text[: width - 1] + "…"


def _depth(node: Node) -> int:
    return sum(1 for _ in node.ancestors())


def _outline_html(nodes: Iterator[Node], base_depth: int = 0) -> str:
    """Nested outline: id, label and caption (or the first words) of each node, indented by depth."""
    from html import escape         # notebooks only: html.entities was 0.25 MB of every `jobun parse`
    rows = []
    for count, node in enumerate(nodes):
        if count == OUTLINE_HTML_NODES:
            rows.append("<div>…</div>")
            break
        head = " ".join(x for x in (node.label, node.caption or node.title) if x) or _preview(node.text, 30)
        indent = 1.5 * (_depth(node) - base_depth)
        rows.append(f'<div style="margin-left:{indent}em"><code>{escape(node.id)}</code> '
                    f"{escape(head)}</div>")
    return "<div>" + "".join(rows) + "</div>"
