"""Reading a built corpus back: JSON → Document objects, and Document → flat rows for analysis.

    for doc in jobun.load("corpus/json"):            # a folder, .json, .jsonl(.gz|.zst), or tables
        rows = jobun.to_records(doc, level="paragraph")      # → pandas.DataFrame(rows)

Everything streams: one document is in memory at a time, however large the corpus.
A corpus folder is read as `jobun build` writes it: its document JSON files; when there are none,
its JSON Lines files; when there are none either, its `_tables`. The folders jobun keeps for
itself at the top (`_jobun`, `_tables`) and hidden ones are never read as documents.
"""
from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Iterator

from ..analysis import uses
from ..errors import JobunError
from .compression import is_jsonl, open_text
from .tables import documents_from_tables, tables_folder
from ..model import (BulletList, Definition, Document, Fragment, Law, Node, Note, Range, Reference, Segment,
                    ParseWarning, Sentence, Source, Table, TermUses)

LEVELS = ("article", "paragraph", "item")
_NOT_DOCUMENT_FOLDERS = {"_jobun", "_tables"}     # kept by `jobun build` beside the documents
_LEGACY_MANIFEST = "manifest.json"               # where builds before _jobun put the manifest


# ---------------------------------------------------------------- dict → Document

def _pair(value) -> tuple[int, int]:
    return (int(value[0]), int(value[1]))


def _node_from_dict(d: dict, parent: Node | None) -> Node:
    node = Node(
        kind=d["kind"], id=d["id"], num=d.get("num"), label=d.get("label"), caption=d.get("caption"),
        title=d.get("title"), text=d.get("text", ""), lines=_pair(d.get("lines", (0, 0))), parent=parent,
        sentences=[Sentence(_pair(s["span"]), s.get("tokens")) for s in d.get("sentences", [])],
        tables=[Table(t["header"], t["rows"], _pair(t["span"]), _pair(t["lines"])) for t in d.get("tables", [])],
        lists=[BulletList(b["marker"], b["items"], _pair(b["span"]), _pair(b["lines"])) for b in d.get("lists", [])],
        notes=[Note(n["label"], _pair(n["span"]), _pair(n["lines"])) for n in d.get("notes", [])],
        segments=[Segment(*s) for s in d.get("segments", [])],
    )
    node.children = [_node_from_dict(child, node) for child in d.get("children", [])]
    return node


def _fragments(items) -> list[Fragment]:
    return [Fragment(f["kind"], f.get("num"), f.get("relative"), f.get("count")) for f in items]


def _reference_from_dict(d: dict) -> Reference:
    ranges = [Range(_fragments(r["from"]), None if r.get("to") is None else _fragments(r["to"]))
              for r in d.get("ranges", [])]
    return Reference(source=d["from"], text=d["text"], span=_pair(d["span"]), kind=d["kind"],
                     targets=list(d.get("targets", [])), law=d.get("law"), ranges=ranges,
                     caption=d.get("caption"), law_number=d.get("law_number"), law_id=d.get("law_id"))


def _definition_from_dict(d: dict) -> Definition:
    return Definition(term=d["term"], definition=d["definition"], node=d["node"], span=_pair(d["span"]),
                      form=d["form"], scope=d.get("scope"), uses=list(d.get("uses", [])))   # "uses": before term_uses


def _term_uses_from_dict(d: dict) -> TermUses:
    return TermUses(d["term"], d.get("instrument"), list(d["nodes"]), list(d["counts"]))


def document_from_dict(d: dict) -> Document:
    """Inverse of export.document_to_dict: Document with Node/Reference/Definition objects and parents.

    The tree builder's scratch fields (Node.ordinal, Node.printed_num) are not exported and stay unset.
    """
    if not isinstance(d, dict) or "children" not in d or "parser_version" not in d:
        raise JobunError("not a jobun document (expected an object with parser_version and children)")
    source = d.get("source") or {}
    doc = Document(
        title=d.get("title", ""),
        source=Source(source.get("name"), source.get("sha256"), source.get("encoding")),
        warnings=[ParseWarning(w["line"], w["code"], w["message"]) for w in d.get("warnings", [])],
        references=[_reference_from_dict(r) for r in d.get("references", [])],
        definitions=[_definition_from_dict(x) for x in d.get("definitions", [])],
        laws=[Law(x["name"], x.get("number"), x.get("id"), list(x.get("aliases", [])), x.get("count", 0))
              for x in d.get("laws", [])],
        term_uses=[_term_uses_from_dict(x) for x in d.get("term_uses", [])],
        law_number=d.get("law_number"),
        toc=list(d.get("toc", [])),
    )
    doc.children = [_node_from_dict(child, None) for child in d["children"]]
    if "term_uses" in d:
        uses.attach(doc.definitions, doc.term_uses)
    return doc.adopt()


# ---------------------------------------------------------------- files → Documents

def _documents_in_jsonl(path: Path) -> Iterator[Document]:
    with open_text(path) as lines:
        for number, line in enumerate(lines, 1):
            if not line.strip():
                continue
            try:
                yield document_from_dict(json.loads(line))
            except (ValueError, KeyError, TypeError, JobunError) as e:
                raise JobunError(f"{path}:{number}: {_reason(e)}") from e


def _document_in_json(path: Path) -> Document:
    try:
        return document_from_dict(json.loads(path.read_text(encoding="utf-8")))
    except (ValueError, KeyError, TypeError, JobunError) as e:
        raise JobunError(f"{path}: {_reason(e)}") from e


def _reason(e: Exception) -> str:
    if isinstance(e, KeyError):
        return f"not a jobun document (missing key {e})"
    return str(e)


def _is_legacy_manifest(path: Path) -> bool:
    try:
        with path.open(encoding="utf-8") as f:
            head = f.read(4096)
    except OSError:
        return False
    return head.lstrip().startswith("{") and '"parser_version"' in head and '"files"' in head \
        and '"children"' not in head


def _files_under(directory: Path) -> tuple[list[Path], list[Path], list[Path]]:
    """(document JSON files, JSON Lines files, XML files) under directory, sorted, hidden ones skipped."""
    json_files, jsonl_files, xml_files = [], [], []
    for dirpath, dirnames, filenames in os.walk(directory):
        top = Path(dirpath) == directory
        dirnames[:] = sorted(d for d in dirnames if not d.startswith(".")
                             and not (top and d in _NOT_DOCUMENT_FOLDERS))
        for name in sorted(filenames):
            if name.startswith("."):
                continue
            if name.endswith(".json"):
                if top and name == _LEGACY_MANIFEST and _is_legacy_manifest(Path(dirpath) / name):
                    continue
                json_files.append(Path(dirpath) / name)
            elif is_jsonl(name):
                jsonl_files.append(Path(dirpath) / name)
            elif name.endswith(".xml"):
                xml_files.append(Path(dirpath) / name)
    return json_files, jsonl_files, xml_files


def load(path) -> Iterator[Document]:
    """Stream Documents from a document JSON file, a JSON Lines corpus (.jsonl, .jsonl.gz,
    .jsonl.zst), the tables of a build, or a folder holding any of these.

    A folder yields its *.json documents (recursively, sorted). Only when it holds none are its
    JSON Lines files read, and only when there are none of those either its `_tables`; so the
    output folder of `jobun build` yields each document once, whatever formats it was built with.
    e-Gov XML files beside them are not read; a folder holding nothing but XML (a build with
    `--format egov-xml` alone) is refused rather than read as empty: parse those files with
    jobun.parse_file, or build with `--format json,egov-xml`.
    """
    path = Path(path)
    if not path.exists():
        raise JobunError(f"{path}: no such file or directory")
    if path.is_dir() and tables_folder(path) == path:          # given the _tables folder itself
        yield from documents_from_tables(path)
    elif path.is_dir():
        json_files, jsonl_files, xml_files = _files_under(path)
        if json_files:
            for file in json_files:
                yield _document_in_json(file)
        elif jsonl_files:
            for file in jsonl_files:
                yield from _documents_in_jsonl(file)
        elif tables_folder(path) is not None:
            yield from documents_from_tables(tables_folder(path))
        elif xml_files:
            raise JobunError(f"{path}: no jobun JSON here, only XML ({xml_files[0].name}, …) as `jobun build "
                             f"--format egov-xml` writes; read those files with jobun.parse_file, or build "
                             f"with --format json,egov-xml")
    elif is_jsonl(path.name):
        yield from _documents_in_jsonl(path)
    else:
        yield _document_in_json(path)


# ---------------------------------------------------------------- Document → rows

def _full_text(node: Node) -> str:
    """The node's text with its descendants' text, one per line, as a reader sees the provision."""
    return "\n".join(n.text for n in node.walk() if n.text)


def _context(node: Node) -> str | None:
    """Headings of the enclosing containers, outermost first: 第１章 総則 > 第２節 契約."""
    heads = []
    for ancestor in reversed(list(node.ancestors())):
        if ancestor.kind in ("article", "paragraph", "item", "subitem"):
            continue
        head = " ".join(x for x in (ancestor.label, ancestor.title) if x)
        if head:
            heads.append(head)
    return " > ".join(heads) or None


def _enclosing(node: Node, kind: str) -> Node | None:
    if node.kind == kind:
        return node
    return next((a for a in node.ancestors() if a.kind == kind), None)


def _rows_at(doc: Document, level: str) -> Iterator[Node]:
    """Nodes that make one row each. At paragraph level an article written without paragraph
    markers has no paragraph children; it becomes a row of its own so that no text is dropped."""
    for node in doc.walk():
        if node.kind == level:
            yield node
        elif level == "paragraph" and node.kind == "article" \
                and not any(c.kind == "paragraph" for c in node.children):
            yield node


def to_records(doc: Document, level: str = "article") -> list[dict]:
    """One flat dict per article, paragraph or item: ready for pandas.DataFrame or DuckDB.

    `text` holds the node's own text and that of its descendants; `own_text` only its own.
    """
    if level not in LEVELS:
        raise JobunError(f"level must be one of {', '.join(LEVELS)}, not {level!r}")
    references_from: dict[str, int] = {}
    for reference in doc.references:
        references_from[reference.source] = references_from.get(reference.source, 0) + 1
    rows = []
    for node in _rows_at(doc, level):
        article = _enclosing(node, "article")
        rows.append({
            "document": doc.title,
            "source": doc.source.name,
            "sha256": doc.source.sha256,
            "id": node.id,
            "kind": node.kind,
            "num": node.num,
            "label": node.label,
            "article": article.id if article else None,
            "caption": article.caption if article else None,
            "context": _context(node),
            "parent": node.parent.id if node.parent else None,
            "text": _full_text(node),
            "own_text": node.text,
            "line_start": node.lines[0],
            "line_end": node.lines[1],
            "references": references_from.get(node.id, 0),
        })
    return rows
