"""Flat tables of a corpus: one row per document, node, reference, definition, sentence, warning.

The schema is fixed here, not inferred from the data, so every corpus has the same columns and
two corpora built apart can be concatenated. Column names avoid SQL keywords (`references`,
`from`, `end` …) so that DuckDB or Spark take them unquoted. Spans are [span_start, span_end)
offsets into the text of the node named on the row; lines are 1-based source lines.

`document_columns` turns a Document into these tables (columns of Python lists, no dependency);
`read_tables` reads them back from the Parquet or JSON Lines files a build wrote.
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Iterator

from ..model import Document
from .compression import SUFFIXES, open_text

STRING, INT, STRINGS = "string", "int64", "list<string>"

SCHEMA: dict[str, tuple[tuple[str, str], ...]] = {
    "documents": (("doc_id", STRING), ("source_path", STRING), ("sha256", STRING), ("encoding", STRING),
                  ("title", STRING), ("law_number", STRING), ("parser_version", STRING),
                  ("input_bytes", INT), ("node_count", INT), ("article_count", INT),
                  ("paragraph_count", INT), ("item_count", INT), ("reference_count", INT),
                  ("definition_count", INT), ("sentence_count", INT), ("warning_count", INT)),
    "nodes": (("doc_id", STRING), ("node_id", STRING), ("parent_id", STRING), ("kind", STRING),
              ("num", STRING), ("label", STRING), ("caption", STRING), ("title", STRING),
              ("text", STRING), ("depth", INT), ("ordinal", INT), ("line_first", INT), ("line_last", INT)),
    "references": (("doc_id", STRING), ("from_node", STRING), ("text", STRING), ("span_start", INT),
                   ("span_end", INT), ("kind", STRING), ("targets", STRINGS), ("law", STRING),
                   ("law_number", STRING), ("law_id", STRING), ("caption", STRING)),
    "definitions": (("doc_id", STRING), ("node_id", STRING), ("term", STRING), ("definition", STRING),
                    ("span_start", INT), ("span_end", INT), ("form", STRING), ("scope", STRING),
                    ("use_nodes", STRINGS)),
    "sentences": (("doc_id", STRING), ("node_id", STRING), ("span_start", INT), ("span_end", INT),
                  ("text", STRING)),
    "warnings": (("doc_id", STRING), ("line", INT), ("code", STRING), ("message", STRING)),
}
TABLE_NAMES = tuple(SCHEMA)
_COUNTED_KINDS = {"article": "article_count", "paragraph": "paragraph_count", "item": "item_count"}


def _use_nodes(uses) -> list[str]:
    """Node ids where a term is used, whether uses are stored as ids, (id, count) pairs or a map."""
    if isinstance(uses, dict):
        return [str(node) for node in uses]
    return [str(u if isinstance(u, str) else (u.get("node") if isinstance(u, dict) else u[0]))
            for u in uses or ()]


def document_columns(doc: Document, doc_id: str, source_path: str | None = None,
                     input_bytes: int | None = None, parser_version: str | None = None) -> dict:
    """The rows of one document in every table, as {table: {column: [values]}} (built column by
    column: a comprehension per column is several times faster than a dict per row)."""
    nodes = list(doc.walk())
    depth_of: dict[int, int] = {}
    for node in nodes:                       # parents come before their children
        depth_of[id(node)] = depth_of[id(node.parent)] + 1 if node.parent is not None else 0
    owners = [(node, s.span) for node in nodes for s in node.sentences]
    counts = {column: 0 for column in _COUNTED_KINDS.values()}
    for node in nodes:
        if node.kind in _COUNTED_KINDS:
            counts[_COUNTED_KINDS[node.kind]] += 1
    refs, defs, warns = doc.references, doc.definitions, doc.warnings
    tables = {
        "nodes": {
            "doc_id": [doc_id] * len(nodes), "node_id": [n.id for n in nodes],
            "parent_id": [n.parent.id if n.parent is not None else None for n in nodes],
            "kind": [n.kind for n in nodes], "num": [n.num for n in nodes], "label": [n.label for n in nodes],
            "caption": [n.caption for n in nodes], "title": [n.title for n in nodes],
            "text": [n.text for n in nodes], "depth": [depth_of[id(n)] for n in nodes],
            "ordinal": list(range(len(nodes))), "line_first": [n.lines[0] for n in nodes],
            "line_last": [n.lines[1] for n in nodes]},
        "references": {
            "doc_id": [doc_id] * len(refs), "from_node": [r.source for r in refs], "text": [r.text for r in refs],
            "span_start": [r.span[0] for r in refs], "span_end": [r.span[1] for r in refs],
            "kind": [r.kind for r in refs], "targets": [list(r.targets) for r in refs],
            "law": [getattr(r, "law", None) for r in refs],
            "law_number": [getattr(r, "law_number", None) for r in refs],
            "law_id": [getattr(r, "law_id", None) for r in refs], "caption": [r.caption for r in refs]},
        "definitions": {
            "doc_id": [doc_id] * len(defs), "node_id": [d.node for d in defs], "term": [d.term for d in defs],
            "definition": [d.definition for d in defs], "span_start": [d.span[0] for d in defs],
            "span_end": [d.span[1] for d in defs], "form": [d.form for d in defs],
            "scope": [d.scope for d in defs], "use_nodes": [_use_nodes(getattr(d, "uses", None)) for d in defs]},
        "sentences": {
            "doc_id": [doc_id] * len(owners), "node_id": [n.id for n, _ in owners],
            "span_start": [span[0] for _, span in owners], "span_end": [span[1] for _, span in owners],
            "text": [n.text[span[0]:span[1]] for n, span in owners]},
        "warnings": {
            "doc_id": [doc_id] * len(warns), "line": [w.line for w in warns], "code": [w.code for w in warns],
            "message": [w.message for w in warns]},
    }
    document = dict(doc_id=doc_id, source_path=source_path, sha256=doc.source.sha256,
                    encoding=doc.source.encoding, title=doc.title, law_number=doc.law_number,
                    parser_version=parser_version, input_bytes=input_bytes, node_count=len(nodes),
                    reference_count=len(refs), definition_count=len(defs), sentence_count=len(owners),
                    warning_count=len(warns), **counts)
    tables["documents"] = {column: [document[column]] for column, _ in SCHEMA["documents"]}
    return {table: tables[table] for table in TABLE_NAMES}


def rows(columns: dict) -> Iterator[dict]:
    """The rows of one table given as columns."""
    names = list(columns)
    return (dict(zip(names, values)) for values in zip(*columns.values()))


def arrow_schema(table: str):
    import pyarrow as pa
    types = {STRING: pa.string(), INT: pa.int64(), STRINGS: pa.list_(pa.string())}
    return pa.schema([(column, types[kind]) for column, kind in SCHEMA[table]])


# ---------------------------------------------------------------- reading tables back

def table_files(folder: Path, table: str) -> list[Path]:
    """The files of one table in a `_tables` folder: the parts of its Parquet dataset
    (`<table>/part-*.parquet`), or else its JSON Lines file (`<table>.jsonl`, `.jsonl.gz`, `.jsonl.zst`)."""
    folder = Path(folder)
    directory = folder / table
    if directory.is_dir():
        parquet = sorted(p for p in directory.iterdir() if p.suffix == ".parquet" and not p.name.startswith("."))
        if parquet:
            return parquet
    return [folder / f"{table}.jsonl{suffix}" for suffix in SUFFIXES.values()
            if (folder / f"{table}.jsonl{suffix}").is_file()][:1]


def iter_table_rows(folder: Path, table: str) -> Iterator[dict]:
    """Rows of one table as dicts, streamed part by part (Parquet one row group at a time)."""
    for path in table_files(folder, table):
        if path.suffix == ".parquet":
            import pyarrow.parquet as pq
            parquet = pq.ParquetFile(path)
            for group in range(parquet.num_row_groups):
                yield from parquet.read_row_group(group).to_pylist()
        else:
            with open_text(path) as lines:
                yield from (json.loads(line) for line in lines if line.strip())


def read_table(folder: Path, table: str):
    """One table as a pyarrow.Table with the fixed schema (empty when the corpus has no rows)."""
    import pyarrow as pa
    import pyarrow.parquet as pq
    schema = arrow_schema(table)
    parts = []
    for path in table_files(folder, table):
        if path.suffix == ".parquet":
            parts.append(pq.read_table(path, schema=schema))
        else:
            with open_text(path) as lines:
                parts.append(pa.Table.from_pylist([json.loads(line) for line in lines if line.strip()],
                                                  schema=schema))
    return pa.concat_tables(parts) if parts else schema.empty_table()


def tables_folder(path: Path) -> Path | None:
    """The `_tables` folder of a built corpus (given the corpus folder or the `_tables` folder)."""
    path = Path(path)
    for candidate in (path / "_tables", path):
        if candidate.is_dir() and table_files(candidate, "documents"):
            return candidate
    return None


def read_tables(path) -> dict:
    """{table: pyarrow.Table} of a corpus: the tables a build wrote, or, for a corpus of JSON
    documents (a folder, .json or .jsonl), the same tables computed from its documents."""
    folder = tables_folder(Path(path))
    if folder is not None:
        return {table: read_table(folder, table) for table in TABLE_NAMES}
    import pyarrow as pa
    from ..io.export import PARSER_VERSION
    from .reader import load
    columns = {table: {column: [] for column, _ in SCHEMA[table]} for table in TABLE_NAMES}
    for doc in load(path):
        name = doc.source.name or ""
        for table, data in document_columns(doc, name, name, None, PARSER_VERSION).items():
            for column, values in data.items():
                columns[table][column] += values
    return {table: pa.Table.from_pydict(columns[table], schema=arrow_schema(table)) for table in TABLE_NAMES}


# ---------------------------------------------------------------- tables → Documents

class _Rows:
    """Rows of one table, taken document by document (every table is written in document order)."""

    def __init__(self, folder: Path, table: str):
        self.rows = iter_table_rows(folder, table)
        self.head = next(self.rows, None)

    def take(self, doc_id: str) -> list[dict]:
        taken = []
        while self.head is not None and self.head["doc_id"] == doc_id:
            taken.append(self.head)
            self.head = next(self.rows, None)
        return taken


def documents_from_tables(folder: Path) -> Iterator[Document]:
    """Documents rebuilt from the tables: tree, sentences, references, definitions, warnings.
    Node tables, lists and notes, sentence tokens, reference ranges, term-use counts and the list
    of cited laws are not in the tables and come back empty (Definition.uses is restored)."""
    from ..model import Definition, Node, ParseWarning, Reference, Sentence, Source
    from dataclasses import fields
    reference_fields = {f.name for f in fields(Reference)}
    streams = {table: _Rows(folder, table) for table in TABLE_NAMES if table != "documents"}
    for row in iter_table_rows(folder, "documents"):
        doc_id = row["doc_id"]
        doc = Document(title=row["title"] or "", law_number=row["law_number"],
                       source=Source(Path(row["source_path"] or doc_id).name, row["sha256"], row["encoding"]))
        by_id: dict[str, Node] = {}
        for n in streams["nodes"].take(doc_id):
            parent = by_id.get(n["parent_id"]) if n["parent_id"] is not None else None
            node = Node(kind=n["kind"], id=n["node_id"], num=n["num"], label=n["label"], caption=n["caption"],
                        title=n["title"], text=n["text"] or "", lines=(n["line_first"], n["line_last"]),
                        parent=parent)
            (parent.children if parent is not None else doc.children).append(node)
            by_id[node.id] = node
        for s in streams["sentences"].take(doc_id):
            node = by_id[s["node_id"]]
            if not node.sentences:          # the model's shared empty default is not a list
                node.sentences = []
            node.sentences.append(Sentence((s["span_start"], s["span_end"])))
        for r in streams["references"].take(doc_id):
            extra = {k: r[k] for k in ("law_number", "law_id") if k in reference_fields}
            doc.references.append(Reference(source=r["from_node"], text=r["text"], kind=r["kind"],
                                            span=(r["span_start"], r["span_end"]), targets=list(r["targets"] or []),
                                            law=r["law"], caption=r["caption"], **extra))
        for d in streams["definitions"].take(doc_id):
            doc.definitions.append(Definition(term=d["term"], definition=d["definition"], node=d["node_id"],
                                              span=(d["span_start"], d["span_end"]), form=d["form"],
                                              scope=d["scope"], uses=list(d["use_nodes"] or [])))
        doc.warnings = [ParseWarning(w["line"], w["code"], w["message"]) for w in streams["warnings"].take(doc_id)]
        yield doc.adopt()
