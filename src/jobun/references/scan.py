"""The extractor: every reference of one text, in document order, before resolution.

Runs the readers over a text — statute names (lawnames), other documents (documents), then the
pointer chains (grammar) outside the spans those took — after cheap one-character prefilters that
skip the many texts holding none. Decides only what a chain is scoped to when a self-name precedes
it (本約款第８条 → the instrument called 約款) and that 法律第１０８号 is a law number, not an item.
"""
from __future__ import annotations

import re

from ..model import Reference
from .documents import find_documents, may_name_documents
from .grammar import CHAIN_START, SELF_PREFIX, Found, parse_chain
from .lawnames import find_laws, is_law_number

# Cheap prefilters (single character classes are scanned fastest): most node texts hold no
# reference, and each scanner needs one of its characters to find anything.
_HAS_INTERNAL = re.compile(r"[条項号章節款編紙表記式]")
_HAS_LAW = re.compile(r"[法令則]")


def scan(text: str, own_titles: str = "") -> list[Found]:
    """Every reference in `text` (document order), internal ones not yet resolved."""
    has_internal = _HAS_INTERNAL.search(text) is not None
    has_law = _HAS_LAW.search(text) is not None
    has_document = may_name_documents(text)
    if not (has_internal or has_law or has_document):
        return []
    folded = text                 # the grammar reads both widths (see the module docstring)
    laws = find_laws(folded) if has_law else []
    docs = find_documents(text, folded, laws, own_titles) if has_document else []
    found: list[Found] = laws + docs
    if not has_internal:
        found.sort(key=lambda f: f.start)
        return found
    taken = sorted([(f.start, f.end) for f in found])
    pos = 0
    n = len(folded)
    while pos < n:
        m = CHAIN_START.search(folded, pos)
        if m is None:
            break
        start = m.start()
        blocked = next((e for s, e in taken if s <= start < e), None)
        if blocked is not None:
            pos = blocked
            continue
        if is_law_number(folded, start):
            pos = start + 1
            continue
        scope = None
        p = None
        before = folded[max(0, start - 2):start].rstrip(" \t\u3000")[-1:]
        if before and before in "款約則程契律令等":          # 本約款第８条: the instrument it points into
            p = SELF_PREFIX.search(folded, max(0, start - 8), start + 1)
            if p and p.end() == start:
                scope = p.group(1)
        chain = parse_chain(folded, start)
        if chain is None:
            pos = start + 1
            continue
        ranges, captions, end = chain
        # Scoping phrases 以下本条において / 以下この号において are references to the own node.
        cap = next((c for c in captions if c), None)
        found.append(Found(start if scope is None else p.start(), end, "internal", ranges,
                            caption=cap, scope=scope, captions=captions))
        pos = end
    found.sort(key=lambda f: f.start)
    return found


def find_references(sentence: str) -> list[Reference]:
    """References in a standalone sentence: spans, printed text and normalized ranges (no targets)."""
    refs = []
    for f in scan(sentence):
        refs.append(Reference(source="", text=sentence[f.start:f.end], span=(f.start, f.end), kind=f.kind,
                              targets=[], law=f.law,
                              ranges=f.ranges, caption=f.caption))
    return refs
