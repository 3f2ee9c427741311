"""Export stage: Document → plain dicts / JSON (the published schema in schemas/).

JSON text: compact output (a corpus's lines, `jobun parse --compact`) goes through orjson, which
writes the very bytes of json.dumps(separators=(",", ":"), ensure_ascii=False) 4.6x faster on the
development set's statutes (tests/test_export.py holds the two byte for byte); without orjson
installed, through the stdlib's C encoder. Indented output (the default of `jobun parse`, one space
per level) is written a node or a reference at a time (write_document): orjson's two-space output
with its indentation halved, which is json.dumps(indent=1, ensure_ascii=False) byte for byte where no
string holds two spaces in a row (0.36 → 0.21 s for the 21 MB of a 3.5 MB statute); elsewhere, and
for `dumps`, by the printer below, about 3x faster than the stdlib's, whose indented encoder is pure
Python (a generator and a type dispatch per value).
"""
from __future__ import annotations

import io
import json
from functools import lru_cache
from typing import BinaryIO
from json.encoder import encode_basestring as _quoted        # the C function when available

from ..analysis.tokens import gc_paused
from ..model import Document, Law, Node, Reference, Definition, Range, Fragment, TermUses

PARSER_VERSION = "0.1.0"
_TITLED = {"part", "chapter", "section", "subsection", "division", "supplementary", "appendix", "document"}


def node_to_dict(node: Node, *, segments: bool = False) -> dict:
    d = _node_fields(node, segments)
    d["children"] = [node_to_dict(c, segments=segments) for c in node.children]
    return d


def _node_fields(node: Node, segments: bool = False) -> dict:
    """node_to_dict(node) up to its children (whose key comes last)."""
    kind = node.kind
    d: dict = {"id": node.id, "kind": kind, "num": node.num, "label": node.label}
    if kind == "article" or node.caption is not None:
        d["caption"] = node.caption
    elif kind in _TITLED:
        d["title"] = node.title
    d["text"] = node.text
    d["lines"] = [*node.lines]
    d["sentences"] = [{"span": [*s.span]} if s.tokens is None else _sentence(s) for s in node.sentences]
    if node.tables:
        d["tables"] = [{"header": t.header, "rows": t.rows, "span": list(t.span), "lines": list(t.lines)}
                       for t in node.tables]
    if node.lists:
        d["lists"] = [{"marker": b.marker, "items": b.items, "span": list(b.span), "lines": list(b.lines)}
                      for b in node.lists]
    if node.notes:
        d["notes"] = [{"label": n.label, "span": list(n.span), "lines": list(n.lines)} for n in node.notes]
    if segments:
        d["segments"] = [[s.start, s.end, s.line, s.col] for s in node.segments]
    return d


def _sentence(s) -> dict:
    return {"span": list(s.span), "tokens": list(s.tokens)}


def fragment_to_dict(f: Fragment) -> dict:
    return {"kind": f.kind, "num": f.num, "relative": f.relative, "count": f.count}


def range_to_dict(r: Range) -> dict:
    return {"from": [fragment_to_dict(f) for f in r.start],
            "to": None if r.end is None else [fragment_to_dict(f) for f in r.end]}


def reference_to_dict(r: Reference, ranges: bool = True) -> dict:
    d = {"from": r.source, "text": r.text, "span": list(r.span), "kind": r.kind, "targets": list(r.targets)}
    if ranges:
        d["ranges"] = [range_to_dict(x) for x in r.ranges]
    if r.law is not None:
        d["law"] = r.law
    if r.law_number is not None:
        d["law_number"] = r.law_number
    if r.law_id is not None:
        d["law_id"] = r.law_id
    if r.caption is not None:
        d["caption"] = r.caption
    return d


def law_to_dict(law: Law) -> dict:
    return {"name": law.name, "number": law.number, "id": law.id, "aliases": list(law.aliases), "count": law.count}


def definition_to_dict(d: Definition) -> dict:
    return {"term": d.term, "definition": d.definition, "node": d.node, "span": list(d.span),
            "form": d.form, "scope": d.scope}


def term_uses_to_dict(u: TermUses) -> dict:
    return {"term": u.term, "instrument": u.instrument, "nodes": list(u.nodes), "counts": list(u.counts)}


def document_to_dict(doc: Document, *, segments: bool = False, ranges: bool = True) -> dict:
    """The document as the schema describes it; ranges=False leaves out each reference's parsed
    pointer fragments (a corpus keeps the targets they resolved to)."""
    # The new dicts hold no cycles: a collection triggered by their number would only rescan the
    # whole parsed tree, again and again (half of the time of to_dict on a 2 MB statute).
    with gc_paused():
        return {key: list(value) if isinstance(value, _Items) else value
                for key, value in _document_fields(doc, segments, ranges)}


class _Items:
    """A long list of the document (nodes, references…) made into dicts one at a time."""

    def __init__(self, to_dict, items):
        self.to_dict, self.items = to_dict, items

    def __iter__(self):
        return map(self.to_dict, self.items)


def _document_fields(doc: Document, segments: bool, ranges: bool = True):
    """The document object's (key, value) pairs in order, its long lists as _Items."""
    yield "parser_version", PARSER_VERSION
    yield "title", doc.title
    yield "source", {"name": doc.source.name, "sha256": doc.source.sha256, "encoding": doc.source.encoding}
    if doc.law_number is not None:
        yield "law_number", doc.law_number
    if doc.toc:
        yield "toc", list(doc.toc)
    yield "warnings", _Items(lambda w: {"line": w.line, "code": w.code, "message": w.message}, doc.warnings)
    yield "children", _Items(lambda n: node_to_dict(n, segments=segments), doc.children)
    yield "references", _Items(lambda r: reference_to_dict(r, ranges), doc.references)
    yield "definitions", _Items(definition_to_dict, doc.definitions)
    yield "term_uses", _Items(term_uses_to_dict, doc.term_uses)
    yield "laws", _Items(law_to_dict, doc.laws)


def document_to_json(doc: Document, *, indent: int | None = 1) -> str:
    out = io.BytesIO()
    try:
        write_document(doc, out, indent=indent)
    except UnicodeEncodeError:      # a lone surrogate, which a loaded document may hold: no UTF-8
        return dumps(document_to_dict(doc), indent=indent)
    return out.getvalue()[:-1].decode("utf-8")          # without write_document's final line break


def write_document(doc: Document, out: BinaryIO, *, indent: int | None = 1) -> None:
    """Write document_to_json(doc) + "\n" as UTF-8 to `out`, one node (one reference…) at a time:
    the dicts and text of the tree are never in memory together (they were twice the parsed tree
    on a large document, and one chapter of a statute was still 4 MB at the peak of `jobun parse`)."""
    with gc_paused():                   # see document_to_dict
        _JsonWriter(out.write, indent).document(doc)


class _JsonWriter:
    """The bytes of dumps(document_to_dict(doc), indent=indent) + "\n", written piece by piece."""

    def __init__(self, write, indent: int | None):
        self.write, self.indent = write, indent
        self.step = " " * indent if indent else ""
        self.newline = "\n" if indent else ""

    def document(self, doc: Document) -> None:
        write, newline, step = self.write, self.newline, self.step
        colon = ": " if self.indent else ":"
        write(b"{")
        for i, (key, value) in enumerate(_document_fields(doc, segments=False)):
            write((("," if i else "") + newline + step + _quoted(key) + colon).encode("utf-8"))
            if key == "children":
                self.items(doc.children, 1, self.node)
            elif isinstance(value, _Items):
                self.items(value, 1, lambda item: write(self.encoded(item, 2)))
            else:
                write(self.encoded(value, 1))
        write((newline + "}\n").encode("utf-8"))

    def items(self, items, depth: int, write_item) -> None:
        """A list printed `depth` levels down, each item written by write_item (one level deeper)."""
        inner = (self.newline + self.step * (depth + 1)).encode("utf-8")
        separator = b"," + inner
        first = True
        for item in items:
            self.write(b"[" + inner if first else separator)
            write_item(item)
            first = False
        self.write(b"[]" if first else (self.newline + self.step * depth + "]").encode("utf-8"))

    def node(self, node: Node, depth: int = 2) -> None:
        """node_to_dict(node) printed `depth` levels down: its fields, then its children one by one."""
        fields = _node_fields(node)
        fields["children"] = []
        text = self.encoded(fields, depth)
        if not node.children:
            self.write(text)
            return
        close = (self.newline + self.step * depth + "}").encode("utf-8")
        self.write(text[:-len(close) - len(b"[]")])          # the children's key comes last
        self.items(node.children, depth + 1, lambda child: self.node(child, depth + 2))
        self.write(close)

    def encoded(self, value, depth: int) -> bytes:
        if not self.indent:
            return compact_json_bytes(value)
        if self.indent == 1:
            text = _halved_orjson(value, depth)
            if text is not None:
                return text
        return _dumps_at(value, depth, self.indent).encode("utf-8")


def _halved_orjson(value, depth: int) -> bytes | None:
    """dumps(value, indent=1) as printed `depth` levels down, from orjson's two-space indentation
    with every two spaces made one; None where that would not be the same bytes (a string holding
    two spaces in a row, which the compact form shows; a value orjson does not take; no orjson).
    Outside strings the only spaces are the indentation and the one after each colon, and no
    string holds a raw line break: the runs of two spaces are the indentation, nothing else.
    For a document's dicts, which hold no float (orjson prints those otherwise than the stdlib)."""
    orjson = _orjson()
    if orjson is None:
        return None
    try:
        if b"  " in orjson.dumps(value):
            return None
        text = orjson.dumps(value, option=orjson.OPT_INDENT_2).replace(b"  ", b" ")
    except TypeError:
        return None
    return text.replace(b"\n", b"\n" + b" " * depth) if depth else text


def _dumps_at(value, depth: int, indent: int | None) -> str:
    """The JSON of `value` as it is printed `depth` levels down in an indented document."""
    if not indent:
        return compact_json(value)
    parts: list[str] = []
    _write(value, "\n" + " " * (indent * depth), " " * indent, parts.append)
    return "".join(parts)


def dumps(data, *, indent: int | None = 1) -> str:
    """json.dumps(data, ensure_ascii=False, indent=indent), byte for byte; without an indent, the
    compact form (compact_json)."""
    return _dumps_at(data, 0, indent)


def indented_document_bytes(tree: dict) -> bytes:
    """dumps(tree, indent=1) + "\n" as UTF-8, for a document's dicts (document_to_dict: no floats,
    which orjson would print otherwise than the stdlib)."""
    text = _halved_orjson(tree, 0)
    return (dumps(tree, indent=1) + "\n").encode("utf-8") if text is None else text + b"\n"


def compact_json(data) -> str:
    """One-line JSON without the blanks after , and : (a tenth of a corpus's bytes): what
    `jobun parse --compact` prints and a corpus stores."""
    return compact_json_bytes(data).decode("utf-8")


def compact_json_bytes(data) -> bytes:
    """compact_json(data) encoded as UTF-8, without the detour through a str."""
    return _compact_encoder()(data)


@lru_cache(maxsize=1)
def _compact_encoder():
    orjson = _orjson()
    if orjson is None:              # a platform without its wheel: the stdlib gives the same bytes
        return lambda data: _stdlib_compact(data).encode("utf-8")
    return orjson.dumps


@lru_cache(maxsize=1)
def _orjson():
    """The orjson module, imported on first use (it loads uuid, datetime, platform …: 0.8 MB of
    memory); None where it is not installed."""
    try:
        import orjson
    except ImportError:
        return None
    return orjson


def _stdlib_compact(data) -> str:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


def _write(value, newline: str, step: str, append) -> None:
    """Append the JSON of `value` whose line breaks are followed by `newline` (indent included)."""
    kind = type(value)
    if kind is str:
        append(_quoted(value))
    elif kind is dict or kind is list or kind is tuple:
        if not value:
            append("{}" if kind is dict else "[]")
            return
        inner = newline + step
        separator = "," + inner
        # The common leaves inline, each with the text before it in one piece: a call per field,
        # span number or id cost more than its text.
        if kind is dict:
            before = "{" + inner
            for key, item in value.items():
                leaf = type(item)
                if leaf is str:
                    append(before + _quoted(key) + ": " + _quoted(item))
                elif item is None:
                    append(before + _quoted(key) + ": null")
                elif leaf is int:
                    append(before + _quoted(key) + ": " + int.__repr__(item))
                else:
                    append(before + _quoted(key) + ": ")
                    _write(item, inner, step, append)
                before = separator
            append(newline + "}")
        elif len(value) == 2 and type(value[0]) is int and type(value[1]) is int:     # a span
            append("[" + inner + int.__repr__(value[0]) + separator + int.__repr__(value[1]) + newline + "]")
        else:
            before = "[" + inner
            for item in value:
                leaf = type(item)
                if leaf is int:
                    append(before + int.__repr__(item))
                elif leaf is str:
                    append(before + _quoted(item))
                else:
                    append(before)
                    _write(item, inner, step, append)
                before = separator
            append(newline + "]")
    elif value is None:
        append("null")
    elif value is True:
        append("true")
    elif value is False:
        append("false")
    elif kind is int:
        append(int.__repr__(value))
    else:                                           # floats and the rest: the stdlib's own text
        append(json.dumps(value))
