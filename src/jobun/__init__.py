"""jobun (条文): raw Japanese legal text → structured, schema-validated document tree.

    >>> import jobun
    >>> doc = jobun.parse("第１条 この規約は、本サービスに適用する。\\n２ 前項の規定は…")
    >>> doc.get("art_1/para_2").text
"""
from .errors import InputError, JobunError
from .model import Document, Node, Reference, Definition, ParseWarning
from .pipeline import parse, parse_file, parse_bytes, parse_egov_xml
from .io.export import PARSER_VERSION
from . import facade  # noqa: F401  plugs the stages into Document.resolve, to_dict and to_json


__version__ = PARSER_VERSION

__all__ = [
    "parse", "parse_file", "parse_bytes", "parse_egov_xml", "to_egov_xml", "to_egov_text",
    "find_references", "load", "tables", "to_records",
    "Document", "Node", "Reference", "Definition", "ParseWarning", "InputError", "JobunError",
    "build", "process_file",
    "PARSER_VERSION", "__version__",
]


def find_references(sentence: str):
    """References in a standalone sentence: spans, printed text and normalized `ranges` (no targets)."""
    from .references import find_references as _find
    return _find(sentence)


def to_egov_xml(doc) -> bytes:
    """The document as e-Gov 法令標準XML (UTF-8 bytes, valid against the XSD v3)."""
    from .io.egov_xml_out import to_egov_xml as _to_xml
    return _to_xml(doc)


def to_egov_text(doc) -> str:
    """The document as plain text in e-Gov layout (the text parser reads it back)."""
    from .io.egov_text import to_egov_text as _to_text
    return _to_text(doc)


def load(path):
    """Stream Document objects from a document JSON, a JSON Lines corpus or a directory of them."""
    from .io.reader import load as _load
    return _load(path)


def tables(path):
    """{name: pyarrow.Table} for documents, nodes, references, definitions, sentences, warnings:
    the tables a build wrote (`--format parquet` / `jsonl-tables`), or computed from a corpus of
    JSON documents. Needs pyarrow (pip install 'jobun[parquet]')."""
    from .io.tables import read_tables
    return read_tables(path)


def to_records(doc, level: str = "article"):
    """Flat rows (document, id, kind, num, caption, text, …) for pandas or DuckDB."""
    from .io.reader import to_records as _to_records
    return _to_records(doc, level=level)


def build(inputs, output, **options):
    """Build a corpus folder from files, folders or globs, as `jobun build` does; options are
    those of jobun.corpus.BuildOptions (jobs, formats, compression, incremental, prune, tokens …).
    Returns a BuildResult (exit_code, manifest entries, stats); raises corpus.BuildError when there
    is nothing to build or the output folder cannot be used."""
    from pathlib import Path
    from .corpus import BuildOptions, build as _build
    return _build([str(i) for i in ([inputs] if isinstance(inputs, (str, bytes)) or hasattr(inputs, "__fspath__")
                                    else inputs)], Path(output), BuildOptions(**options))


def process_file(path, **options):
    """The work `jobun build` does for one file, in this process: a dict with status, sha256,
    encoding, counts and the serialized outputs; never raises for a bad input. See
    jobun.corpus.process_file and WorkItem."""
    from .corpus import process_file as _process_file
    return _process_file(path, **options)


def __getattr__(name: str):
    if name == "Warning":
        from . import model
        return model.Warning
    raise AttributeError(f"module 'jobun' has no attribute {name!r}")
