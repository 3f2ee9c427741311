"""The work done for one input file, in whatever process runs it: read, decode, parse, validate and
serialize into the bytes of every requested output. Never raises for a bad input.

This function and the writer (`writer.RunWriter.accept`) are the whole contract between a build's
workers and its main process: any engine that can call `process_file(path, ...)` somewhere and
hand the returned dict to the writer in the main process (a process pool here; Dask or Ray
elsewhere) builds the same corpus. The bytes come back in the result, except the document files
of an item that names where they go (`WorkItem.write_to`: a worker on the build's own machine
writes them into the stage itself, and the result says so); nothing else is ever written.
"""
from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass, field
from pathlib import Path

from ..io.export import PARSER_VERSION, compact_json_bytes, indented_document_bytes
from .locations import read_input

DOCUMENT_FORMATS = ("json", "jsonl")         # the JSON document, as a file or a corpus.jsonl line
XML_FORMAT = "egov-xml"
TABLE_FORMATS = ("parquet", "jsonl-tables")
FORMATS = DOCUMENT_FORMATS + (XML_FORMAT,) + TABLE_FORMATS


@dataclass(frozen=True)
class WorkOptions:
    tokens: bool = False
    pretty: bool = False
    formats: tuple[str, ...] = ("json",)
    ranges: bool = False              # keep each reference's parsed pointer fragments

    @property
    def documents(self) -> bool:
        return any(f in self.formats for f in DOCUMENT_FORMATS)

    @property
    def tables(self) -> tuple[str, ...]:
        return tuple(f for f in self.formats if f in TABLE_FORMATS)

    @property
    def unchanged_needs_nothing(self) -> bool:
        """An unchanged input needs no parse when its document files are still there (the build
        checked) and nothing else needs the tree: tables do, and a corpus.jsonl line unless it can
        be taken from the JSON file."""
        return not self.tables and ("json" in self.formats or "jsonl" not in self.formats)


@dataclass
class WorkItem:
    """What a worker is told about one file (picklable)."""
    path: str
    doc_id: str = ""
    source: str = ""
    known_sha256: str | None = None
    options: WorkOptions = field(default_factory=WorkOptions)
    # (format, path in the stage) of each document file the worker writes itself, when it shares
    # the build's disk: the main process, the only other writer, then neither receives nor writes
    # those bytes (at -j 2 on two cores its writing took a tenth of the CPU from the workers)
    write_to: tuple[tuple[str, str], ...] = ()


def _release(doc) -> None:
    """The worker is done with the tree: without its parent links reference counting frees it at
    once, so a worker's memory is back to its floor before the next file. (It saves no time: in a
    parse loop of the seeds freeing costs the same whether refcounting or the cyclic GC does it.)"""
    for node in doc.children:
        node.owner = None
    for node in doc.walk():
        node.parent = None


def _count_nodes(doc) -> dict:
    counts = {"articles": 0, "paragraphs": 0, "items": 0, "references": len(doc.references)}
    plural = {"article": "articles", "paragraph": "paragraphs", "item": "items"}
    for node in doc.walk():
        key = plural.get(node.kind)
        if key:
            counts[key] += 1
    return counts


def _table_payloads(doc, item: WorkItem, size: int) -> dict:
    """{format: {table: bytes}}: Arrow buffers made without pyarrow for Parquet (the main process
    gathers many documents into one row group; workers need no pyarrow), JSON Lines for jsonl-tables."""
    from ..io.tables import document_columns, rows
    columns = document_columns(doc, item.doc_id, item.source, size, PARSER_VERSION)
    payloads = {}
    if "parquet" in item.options.formats:
        from ..io.arrow_buffers import encode_table
        payloads["parquet"] = {table: encode_table(table, data) for table, data in columns.items()}
    if "jsonl-tables" in item.options.formats:
        payloads["jsonl-tables"] = {
            table: "".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows(data)).encode("utf-8")
            for table, data in columns.items()}
    return payloads


def error_result(message: str | None) -> dict:
    """The result of a file that could not be built, in the shape process_file returns."""
    return {"status": "error", "error": message, "sha256": None, "bytes": None, "encoding": None,
            "counts": None, "warnings": None}


def process_file(path: str | WorkItem, known_sha256: str | None = None, *, tokens: bool = False,
                 pretty: bool = False) -> dict:
    """Read, decode, parse, validate and serialize one file; never raises for a bad input.

    Returns a summary: status "ok" or "unchanged" (sha256 == known_sha256) or "error" with
    `error`; sha256, bytes, encoding, counts, warnings; the outputs asked for: `line` (compact
    JSON), `file` (the indented JSON with --pretty), `xml` (e-Gov XML), `tables` ({format: {table:
    bytes}}).
    """
    item = path if isinstance(path, WorkItem) else WorkItem(
        str(path), Path(path).name, str(path), known_sha256, WorkOptions(tokens, pretty))
    from ..errors import JobunError
    from ..analysis.tokens import gc_paused
    from ..pipeline import parse_bytes
    import resource

    result = error_result(None)
    try:
        data = read_input(item.path)
    except OSError as e:
        result["error"] = f"cannot read file: {e.strerror or e}"
        return _with_memory(result, resource)
    result["bytes"] = size = len(data)
    result["sha256"] = hashlib.sha256(data).hexdigest()
    unchanged = item.known_sha256 is not None and item.known_sha256 == result["sha256"]
    if unchanged and item.options.unchanged_needs_nothing:
        result["status"] = "unchanged"
        return _with_memory(result, resource)
    try:
        # The cyclic GC paused for the whole file, not just inside each step: a collection between
        # two steps found nothing to free but scanned every node of the tree (2.5% of a statute
        # build). The tree, released before it resumes, is freed by reference counting.
        with gc_paused():
            doc = parse_bytes(data, Path(item.path).name, tokens=item.options.tokens, _sha256_hex=result["sha256"])
            del data
            _outputs(doc, item, size, result)
            if item.write_to and not unchanged:
                _write_documents(item, result)
            result["status"] = "unchanged" if unchanged else "ok"
            _release(doc)
            del doc
    except JobunError as e:
        result["error"] = getattr(e, "reason", None) or str(e)
    except Exception as e:          # a parser bug must cost one file, not the whole build
        result["error"] = f"internal error ({type(e).__name__}: {e}); please report it"
    return _with_memory(result, resource)


def _outputs(doc, item: WorkItem, size: int, result: dict) -> None:
    """The outputs asked for, the counts and the warnings of a parsed document, into `result`."""
    from ..io.schema import validator
    result["encoding"] = doc.source.encoding
    # A corpus keeps each reference's targets, not the pointer fragments they were resolved
    # from (a fifth of a statute corpus's bytes; jobun.find_references gives them again).
    tree = doc.to_dict(ranges=item.options.ranges)
    validator().validate(tree)
    if item.options.documents:
        result["line"] = compact_json_bytes(tree) + b"\n"
        if item.options.pretty:
            result["file"] = indented_document_bytes(tree)
    del tree
    if XML_FORMAT in item.options.formats:
        from ..io.egov_xml_out import to_egov_xml
        result["xml"] = to_egov_xml(doc)
    if item.options.tables:
        result["tables"] = _table_payloads(doc, item, size)
    result["counts"] = _count_nodes(doc)
    result["warnings"] = len(doc.warnings)


def document_payloads(result: dict) -> dict[str, bytes | None]:
    """{format: bytes} of a result's document files: the indented JSON (--pretty) or else the
    compact line, and the e-Gov XML."""
    return {"json": result.get("file") or result.get("line"), XML_FORMAT: result.get("xml")}


def _write_documents(item: WorkItem, result: dict) -> None:
    """The item's document files into the stage (atomically: an interrupted write leaves a temp
    file the stage's trim removes); their bytes leave the result, the corpus.jsonl line stays.
    A write that fails (a full disk) leaves the bytes in the result: the main process writes them
    and stops the build as it would have."""
    from .atomic import write_bytes_atomic
    payloads = document_payloads(result)
    try:
        for fmt, path in item.write_to:
            write_bytes_atomic(Path(path), payloads[fmt], durable=False)
    except OSError:
        return
    result.pop("file", None)
    result.pop("xml", None)
    if "jsonl" not in item.options.formats:
        result.pop("line", None)
    result["written"] = True


def _with_memory(result: dict, resource) -> dict:
    result["pid"] = os.getpid()
    result["maxrss_kb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return result
