"""The extractor: every reference of one text, in document order, before resolution.

Runs the readers over a text — statute names (lawnames), other documents (documents), then the
pointer chains (grammar) outside the spans those took — after cheap one-character prefilters that
skip the many texts holding none. Decides what a chain is scoped to when a self-name precedes it
(本約款第８条 → the instrument called 約款), that 法律第１０８号 is a law number, not an item, that
quoted 読替え wording (「…」とあるのは) holds no reference, and that a bracket right after a chain
continues it (第十八条（第一項第五号を除く。）, …（…）若しくは第五項). One reference per listed element.
"""
from __future__ import annotations

import re
from operator import attrgetter

from ..model import Fragment, Law, Reference
from .attribution import Statutes
from .documents import find_documents, may_name_documents
from .grammar import CHAIN_START, SELF_PREFIX, Found, bracket_close, continuation, inherit_ranges, parse_chain
from .lawnames import find_laws, is_law_number

# Cheap prefilters: most node texts hold no reference, and each scanner needs one of its characters
# to find anything. (A character class is the fastest regex scan, yet five times slower than five
# substring tests: those serve the statute names, which need one of five characters.)
_HAS_INTERNAL = re.compile(r"[条項号章節款編紙表記式録]")
_START = attrgetter("start")
_QUOTE = re.compile(r"「[^「」]*」")
# The last character of a self-name (本約款, この規則 …) or a space after one: only then is one looked for.
_BEFORE_SELF_NAME = frozenset("款約則程定針ー件項綱準契律令等 \t\u3000")


def scan(text: str, own_titles: str = "", aliases: dict | None = None) -> list[Found]:
    """Every reference in `text` (document order), internal ones not yet resolved; `aliases`: the
    law names the document defined so far (a pointer after one is that law's)."""
    # where the first chain may start (the unit characters are searched first: faster)
    first = CHAIN_START.search(text) if _HAS_INTERNAL.search(text) is not None else None
    has_law = "法" in text or "令" in text or "則" in text or "準" in text or "程" in text
    has_document = may_name_documents(text)
    if not (first or has_law or has_document):
        return []
    folded = text                 # the grammar reads both widths (see the module docstring)
    laws = find_laws(folded, aliases) if has_law else []
    docs = find_documents(text, folded, laws, own_titles) if has_document else []
    found: list[Found] = laws + docs
    if first is None:
        found.sort(key=_START)
        return found
    taken = _replaced_wording(folded)          # the spans the chains skip, sorted (these come so)
    if found:
        taken = sorted([(f.start, f.end) for f in found] + taken)
    found.extend(_chains(folded, first.start(), len(folded), taken, None, first))
    found.sort(key=_START)
    return found


def _chains(folded: str, pos: int, stop: int, taken: list, outer: list[Fragment] | None,
            first_start: re.Match | None = None) -> list[Found]:
    """The internal chains of folded[pos:stop] outside the `taken` spans. A bracket right after a
    chain holds chains that continue it (第十八条（第一項第五号を除く。） → article 18's), and a
    chain listed after that bracket continues it too (第七十六条第四項（…）若しくは第五項).
    `first_start`: the first chain start, when the caller searched for it already."""
    found: list[Found] = []
    carry: list[Fragment] | None = None        # what the chain listed after a bracket inherits
    bounded = folded if stop == len(folded) else folded[:stop]     # copied only inside a bracket
    live = 0                        # starts only grow: the spans before taken[live] end before them
    m = first_start
    while pos < stop:
        if m is None or m.start() < pos:        # else m, searched for earlier, is still the next start
            m = CHAIN_START.search(folded, pos, stop)
            if m is None:
                break
        start = m.start()
        while live < len(taken) and taken[live][1] <= start:
            live += 1
        if live < len(taken) and taken[live][0] <= start:
            pos = taken[live][1]                # the first span holding start (sorted: no later one starts before)
            continue
        chain = None if is_law_number(folded, start) else parse_chain(bounded, start)
        if chain is None:
            pos = start + 1
            continue
        ranges, captions, end, spans = chain
        scope, first = _self_scope(folded, start) if folded[start - 1:start] in _BEFORE_SELF_NAME else (None, start)
        base = carry or outer
        if base is not None:
            ranges = inherit_ranges(base, ranges)
        # One reference per listed element, as printed (第３条第２項及び第３項 → 第３条第２項, 第３項);
        # its ranges hold what it inherits. Scoping phrases 以下本条において are references too.
        if len(ranges) == 1:                    # most chains: the lists read are the reference's own
            found.append(Found(first, end, "internal", ranges, None, captions[0], scope, captions))
        else:
            spans[0] = (first, spans[0][1])
            for rng, caption, (a, b) in zip(ranges, captions, spans):
                found.append(Found(a, b, "internal", [rng], None, caption, scope, [caption]))
        pos, carry = end, None
        if folded[end:end + 1] in "（(":
            pos, carry = _after_bracket(folded, end, stop, taken, ranges[-1].start, found)
    return found


def _after_bracket(folded: str, end: int, stop: int, taken: list, last: list[Fragment],
                   found: list[Found]) -> tuple[int, list[Fragment] | None]:
    """Chains inside a bracket that follows a chain; where scanning goes on, and the fragments the
    next chain inherits when one is listed right after the bracket."""
    close = bracket_close(folded, end)
    if close is None or close > stop:
        return end, None
    found.extend(_chains(folded, end + 1, close - 1, taken, last))
    nxt = continuation(folded, close)
    return (nxt, last) if nxt is not None else (close, None)


def _replaced_wording(folded: str) -> list[tuple[int, int]]:
    """The quoted wording of a 読替え (前項中「第九十一条の三第一項」とあるのは「…」と): words of
    another provision, not references of this one."""
    if "とあるのは" not in folded:
        return []
    spans = []
    for m in _QUOTE.finditer(folded):
        before, after = folded[max(0, m.start() - 5):m.start()], folded[m.end():m.end() + 5]
        if after.startswith("とあるのは") or before.endswith(("とあるのは", "中")):
            spans.append((m.start(), m.end()))
    return spans


def _self_scope(folded: str, start: int) -> tuple[str | None, int]:
    """本約款第８条: the instrument the chain points into, and where the reference then starts."""
    before = folded[max(0, start - 2):start].rstrip(" \t\u3000")[-1:]
    if before and before in _BEFORE_SELF_NAME:
        p = SELF_PREFIX.search(folded, max(0, start - 24), start)
        if p:
            return p.group(1), p.start()
    return None, start


def find_references(sentence: str) -> list[Reference]:
    """References in a standalone sentence: spans, printed text and normalized ranges (no targets);
    statutes attributed as in a document (aliases and 同法 defined in the sentence itself)."""
    refs = []
    statutes = None
    for f in scan(sentence):
        ref = Reference(source="", text=sentence[f.start:f.end], span=(f.start, f.end), kind=f.kind,
                        targets=[], law=f.law, ranges=f.ranges, caption=f.caption)
        if f.kind == "external":
            statutes = statutes or Statutes()
            cite(ref, statutes.attribute(f))
        refs.append(ref)
    return refs


def cite(ref: Reference, law: Law | None) -> None:
    """Name the law an external reference cites (its printed word stays when nothing says which)."""
    if law is not None:
        ref.law, ref.law_number, ref.law_id = law.name, law.number, law.id
