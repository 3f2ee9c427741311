"""The pipeline, one stage per module:

decode → lines (un-wrap) → classify line starts → page furniture → build tree → ids → references →
analysis → export. Page furniture runs on the line starts (it must know headings and markers), so it
lives in structure/ beside the classifier it reads.
"""
from __future__ import annotations

import hashlib
from pathlib import Path

from .model import Document, Source


def parse(text: str, source: str | None = None, *, tokens: bool = False,
          references: bool = True) -> Document:
    """Parse already-decoded text into a Document (bytes: use parse_bytes, which detects the encoding)."""
    if isinstance(text, (bytes, bytearray, memoryview)):
        raise TypeError("jobun.parse takes text (str); for bytes use jobun.parse_bytes(data), "
                        "which detects the encoding (UTF-8, UTF-16, CP932, EUC-JP)")
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    return _parse([text], Source(name=source, sha256=digest, encoding=None), tokens=tokens, references=references)


def _parse(owned: list[str], source: Source, *, tokens: bool, references: bool = True) -> Document:
    """Parse the text that `owned` holds, and empty it: the text is freed as soon as the tree holds
    what it needs, unless the caller keeps it (it was kept to the end of the parse: 1 MB at the
    peak of `jobun parse` on 1.5 MB of statutes)."""
    from .structure import classify, furniture, tree
    from .text import lines
    from .analysis.tokens import gc_paused
    # The tree (parent links make it cyclic) stays alive, so collections during the parse find
    # nothing to free but rescan every node built so far: pausing them keeps parsing linear in size.
    with gc_paused():
        text = owned.pop()
        raw_lines = lines.split_lines(text)
        starts = classify.classify_lines(raw_lines, _sentence_judge(tokens))
        doc = tree.build(raw_lines, starts, furniture.find(raw_lines, starts))
        doc.line_starts = lines.line_starts(text)
        # The tree has copied what it needs: the lines were a third of the memory kept to the end.
        del raw_lines, starts, text
        annotate(doc, tokens=tokens, references=references)
    doc.source = source
    return doc


def annotate(doc: Document, *, tokens: bool = False, references: bool = True) -> Document:
    """The stages after the tree, on a Document built by any reader (text or e-Gov XML):
    ids → references → analysis (sentences, tokens, definitions)."""
    from . import analysis
    from . import references as refs
    from .structure import ids
    ids.assign(doc)
    if references:
        refs.annotate(doc)
    analysis.annotate(doc, tokens=tokens)
    return doc.adopt()


def _sentence_judge(tokens: bool):
    """With tokens requested the tagger is loaded anyway, so it also judges whether a line-start
    第N条 continues a sentence (a particle after it). Without tokens the parser's own particle
    pattern decides alone, and the dictionary is never loaded. Measured on the five seeds: both ways
    score 1.000 against the gold."""
    if not tokens:
        return None
    from .analysis.tokens import particle_at_start
    return particle_at_start


def parse_bytes(data: bytes, source: str | None = None, *, tokens: bool = False,
                _where: str | None = None, _sha256_hex: str | None = None) -> Document:
    """Decode (UTF-8 ± BOM, UTF-16 with BOM, CP932, EUC-JP) and parse; e-Gov XML is recognized by
    its content and read by parse_egov_xml. (_sha256_hex: the caller's digest of `data`.)"""
    from .io.egov_safe import looks_like_xml
    if looks_like_xml(data):
        return parse_egov_xml(data, source, tokens=tokens, _where=_where, _sha256_hex=_sha256_hex)
    owned, encoding, sha256 = _decoded(data, _where or source, _sha256_hex)
    return _parse(owned, Source(name=source, sha256=sha256, encoding=encoding), tokens=tokens)


def parse_egov_xml(data: bytes, source: str | None = None, *, tokens: bool = False,
                   references: bool = True, _where: str | None = None,
                   _sha256_hex: str | None = None) -> Document:
    """e-Gov 法令標準XML (bytes, any declared encoding) → the Document a text parse of the law gives."""
    from .analysis.tokens import gc_paused
    from .io.egov_safe import parse_xml
    from .io.egov_xml_in import build_document
    where = _where or source or "<input>"
    root, encoding = parse_xml(data, where)
    with gc_paused():
        doc = annotate(build_document(root, where), tokens=tokens, references=references)
    doc.source = Source(name=source, sha256=_sha256_hex or hashlib.sha256(data).hexdigest(), encoding=encoding)
    return doc


def parse_file(path, *, tokens: bool = False) -> Document:
    """Read, decode and parse one file; `source.name` is the file name, errors name the path."""
    from .errors import InputError
    p = Path(path)
    try:
        data = p.read_bytes()
    except OSError as e:
        raise InputError(f"cannot read file: {e.strerror or e}", source=str(p)) from e
    from .io.egov_safe import looks_like_xml
    if looks_like_xml(data):
        return parse_egov_xml(data, p.name, tokens=tokens, _where=str(p))
    owned, encoding, sha256 = _decoded(data, str(p))
    del data                            # the raw bytes are not kept while parsing
    return _parse(owned, Source(name=p.name, sha256=sha256, encoding=encoding), tokens=tokens)


def _decoded(data: bytes, where: str | None, sha256_hex: str | None = None) -> tuple[list[str], str, str]:
    """([text] for _parse to empty, encoding, sha256 of the bytes)."""
    from .text import decode
    text, encoding = decode.decode_bytes(data, where)
    return [text], encoding, sha256_hex or hashlib.sha256(data).hexdigest()
