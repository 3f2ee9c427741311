"""Reading untrusted XML safely: which bytes are e-Gov XML, and the one lxml parser jobun uses.

Decides from the first bytes whether an input is XML (an XML declaration or a <Law> root after an
optional byte-order mark, in any encoding e-Gov has served: UTF-8, UTF-16, Shift_JIS, EUC-JP), and
parses it with no entity resolution, no network, no DTD loading and libxml2's default limits
(huge_tree off). A document type declaration is refused before parsing: e-Gov never sends one, and
it is where billion-laughs and external-entity attacks live. Size and depth are bounded before and while
building (MAX_BYTES here, MAX_DEPTH by the tree builder).
"""
from __future__ import annotations

import codecs

from ..errors import InputError

MAX_BYTES = 64 * 1024 * 1024      # the largest e-Gov law (租税特別措置法) is about 8 MB
MAX_DEPTH = 80                    # e-Gov nests about 30 deep (Law … Subitem10/Sentence/Ruby)

_DOCTYPE = tuple("<!DOCTYPE".encode(codec) for codec in ("ascii", "utf-16-le", "utf-16-be"))
_BOMS = ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"))


def looks_like_xml(data: bytes) -> bool:
    """An XML declaration or a <Law> element first (after a BOM and blanks), in any encoding."""
    head = data[:256]
    encoding = "latin-1"               # ASCII-compatible: UTF-8, Shift_JIS, EUC-JP declarations
    for bom, name in _BOMS:
        if head.startswith(bom):
            head, encoding = head[len(bom):], name
            break
    else:
        if head[:2] in (b"<\x00", b"\x00<"):          # UTF-16 without a BOM
            encoding = "utf-16-le" if head[0] == 0x3C else "utf-16-be"
    text = head.decode(encoding, errors="ignore").lstrip()
    return text.startswith("<?xml") or text.startswith("<Law")


def parse_xml(data: bytes, where: str):
    """The lxml element tree of `data`; InputError (one line, naming `where`) for anything unsafe
    or malformed."""
    from lxml import etree
    if len(data) > MAX_BYTES:
        raise InputError(f"XML larger than {MAX_BYTES // (1024 * 1024)} MB; refused", source=where)
    if any(mark in data for mark in _DOCTYPE):
        raise InputError("XML with a document type declaration (<!DOCTYPE>) refused: e-Gov XML has none, "
                         "and its entities are how billion-laughs and external-entity attacks work", source=where)
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False,
                             dtd_validation=False, remove_comments=True, remove_pis=True)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as e:
        line = getattr(e, "lineno", None)
        raise InputError(f"not well-formed XML: {_first_line(e.msg)}", source=where, line=line) from None
    return root, (root.getroottree().docinfo.encoding or "UTF-8").lower()


def _first_line(message: str | None) -> str:
    return (message or "syntax error").strip().splitlines()[0]
