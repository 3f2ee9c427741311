"""Uses of defined terms: in which nodes each term of the glossary is printed, and how many times.

A use is a printing of the term in a node's text outside the definitions' own spans, within the
instrument that defines the term (main document or doc_N): each instrument has its own glossary.
Uses are kept once per term and instrument (Document.term_uses: node ids in document order and a
count per node); a definition with a node as its scope sees only the uses inside that node
(Definition.uses), the others share the instrument's list.

Matching, in one left-to-right scan of each node's printed text:
- terms are compared folded (ＳＩＭ is SIM: an ASCII character also matches its full-width form)
  and without their spaces: whitespace inside a printed term (a wrapped line, ＳＩＭ カード) is
  stepped over;
- at each position the longest term that starts there wins and the scan resumes after it, so 契約者
  is not counted inside 契約者等 when 契約者等 is a term (longest match over the term set, not a
  tokenizer);
- checks on the printed text around a match: a one-character kanji term (法) only counts with no
  kanji on either side; a term that starts/ends with a Latin letter or digit does not count inside a
  longer Latin word. When the longest term fails its check, the next shorter one is tried.

Two finders give the same uses (term_finders.py): one regex of all the terms, grouped by first
character, while they start with at most _REGEX_FIRST_CHARS distinct characters; beyond that the trie
of the terms walked from each position. On the dev statutes (339 first characters) the trie takes
0.07 s/MB, the regex 0.14; on a few dozen terms the regex is the faster.
"""
from __future__ import annotations

import functools

from .term_finders import Finder, RegexFinder, trie_finder
from ..model import Definition, Node, TermUses
from ..text.numerals import squash

_REGEX_FIRST_CHARS = 200        # see _finder


def index(nodes: list[Node], defs: list[Definition]) -> list[TermUses]:
    """Term uses per (term, instrument) of `defs`, in order of first definition; fills
    Definition.uses. `nodes` in document order."""
    groups = _groups(defs)
    if not groups:
        return []
    finder = _finder(tuple(sorted({key for key, _ in groups}, key=len, reverse=True)))
    hits = _scan(nodes, finder, groups, {(d.node, d.span[0]) for d in defs})
    found = []
    for (key, instrument), group in groups.items():
        node_ids, counts = hits.get((key, instrument), ([], []))
        found.append(TermUses(group[0].term, instrument or None, node_ids, counts))
        _set_uses(group, node_ids)
    return found


def attach(defs: list[Definition], term_uses: list[TermUses]) -> None:
    """Definition.uses from the term uses (a document read back from JSON)."""
    by_term = {(squash(u.term), u.instrument or ""): u.nodes for u in term_uses}
    for term, group in _groups(defs).items():
        _set_uses(group, by_term.get(term, []))


def _groups(defs: list[Definition]) -> dict[tuple[str, str], list[Definition]]:
    """The definitions by (term key, instrument); a term of spaces only has no uses."""
    groups: dict[tuple[str, str], list[Definition]] = {}
    for d in defs:
        key = squash(d.term)
        if key:
            groups.setdefault((key, instrument_of(d.node)), []).append(d)
        else:
            d.uses = []
    return groups


def _set_uses(group: list[Definition], node_ids: list[str]) -> None:
    """Each definition's uses: its term's list, or the part inside its scope."""
    for d in group:
        d.uses = node_ids if _unscoped(d.scope) else [i for i in node_ids if _in_scope(i, d.scope)]


def _scan(nodes, finder: Finder, wanted, excluded) -> dict[tuple[str, str], tuple[list[str], list[int]]]:
    """(term, instrument) → (ids of the nodes that use it, uses in each), for the wanted pairs."""
    tallies = _tallies(nodes, finder, excluded)
    forms_of: dict[str, list[str]] = {}                 # ＳＩＭ and SIM are one term
    for form in tallies:
        forms_of.setdefault(squash(form), []).append(form)
    ids = [node.id for node in nodes]
    several = ("\n" + "\n".join(ids)).find("\ndoc_") >= 0          # instruments in the document
    instruments = [instrument_of(node_id) for node_id in ids] if several else None
    hits = {}
    for key, forms in forms_of.items():
        node_indices, counts = tallies[forms[0]] if len(forms) == 1 else _merged([tallies[f] for f in forms])
        if instruments is None:
            runs = [("", (node_indices, counts))]
        else:
            runs = _by_instrument(node_indices, counts, instruments)
        for instrument, (indices, instrument_counts) in runs:
            if (key, instrument) in wanted:
                hits[key, instrument] = ([ids[at] for at in indices], instrument_counts)
    return hits


def _tallies(nodes, finder: Finder, excluded) -> dict[str, tuple[list[int], list[int]]]:
    """Term as printed → (indices of the nodes that print it, in order; uses in each), one pass of
    the finder over each text; the definitions' own printings are left out."""
    defining = {node_id for node_id, _ in excluded}
    forms_in, uses_in = finder
    tallies: dict[str, tuple[list[int], list[int]]] = {}
    for at, node in enumerate(nodes):
        text = node.text
        if not text:
            continue
        node_id = node.id
        if node_id in defining:
            forms = [form for start, form in uses_in(text) if (node_id, start) not in excluded]
        else:
            forms = forms_in(text)
        for form in forms:
            tally = tallies.get(form)
            if tally is None:
                tallies[form] = ([at], [1])
            elif tally[0][-1] == at:
                tally[1][-1] += 1
            else:
                tally[0].append(at)
                tally[1].append(1)
    return tallies


def _merged(tallies: list[tuple[list[int], list[int]]]) -> tuple[list[int], list[int]]:
    """The tallies of several printings of one term as one, in node order."""
    total: dict[int, int] = {}
    for node_indices, counts in tallies:
        for at, count in zip(node_indices, counts):
            total[at] = total.get(at, 0) + count
    node_indices = sorted(total)
    return node_indices, [total[at] for at in node_indices]


def _by_instrument(node_indices: list[int], counts: list[int], instruments: list[str]):
    """(instrument, (node indices, counts)) of each instrument of the nodes, in node order."""
    uses: dict[str, tuple[list[int], list[int]]] = {}
    for at, count in zip(node_indices, counts):
        indices, instrument_counts = uses.setdefault(instruments[at], ([], []))
        indices.append(at)
        instrument_counts.append(count)
    return uses.items()


@functools.lru_cache(maxsize=64)
def _finder(keys: tuple[str, ...]) -> Finder:
    """The uses of `keys` in a text, left to right. The regex is faster while the terms start with
    few distinct characters (the engine tries one alternative per first character at each position
    that holds one of them); the trie beyond that (measured crossover on statutes)."""
    if len({key[0] for key in keys}) <= _REGEX_FIRST_CHARS:
        return RegexFinder(keys).finder()
    return trie_finder(keys)


def instrument_of(node_id: str) -> str:
    """'doc_2' for ids inside a second instrument, '' for the main one."""
    return node_id.split("/", 1)[0] if node_id.startswith("doc_") else ""


def _unscoped(scope: str | None) -> bool:
    return scope is None or "/" not in scope and not scope.split("_")[-1].isdigit()


def _in_scope(node_id: str, scope: str) -> bool:
    return node_id == scope or node_id.startswith(scope + "/")
