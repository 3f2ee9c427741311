"""jobun (条文): raw Japanese legal text → structured, schema-validated document tree.

    >>> import jobun
    >>> doc = jobun.parse("第１条 この規約は、本サービスに適用する。\\n２ 前項の規定は…")
    >>> doc.get("art_1/para_2").text
"""
from .errors import InputError, JobunError
from .model import Document, Node, Reference, Definition, Warning
from .pipeline import parse, parse_file, parse_bytes
from .io.export import PARSER_VERSION
from . import facade  # noqa: F401  plugs the stages into Document.resolve, to_dict and to_json


__version__ = PARSER_VERSION

__all__ = [
    "parse", "parse_file", "parse_bytes", "find_references", "load", "to_records",
    "Document", "Node", "Reference", "Definition", "Warning", "InputError", "JobunError",
    "PARSER_VERSION", "__version__",
]


def find_references(sentence: str):
    """References in a standalone sentence: spans, printed text and normalized `ranges` (no targets)."""
    from .references import find_references as _find
    return _find(sentence)


def load(path):
    """Stream Document objects from a document JSON, a JSON Lines corpus or a directory of them."""
    from .io.reader import load as _load
    return _load(path)


def to_records(doc, level: str = "article"):
    """Flat rows (document, id, kind, num, caption, text, …) for pandas or DuckDB."""
    from .io.reader import to_records as _to_records
    return _to_records(doc, level=level)
