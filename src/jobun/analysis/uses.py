"""Uses of defined terms: in which nodes each term of the glossary is printed, and how many times.

A use is a printing of the term in a node's text outside the definitions' own spans, within the
instrument that defines the term (main document or doc_N): each instrument has its own glossary.
Uses are kept once per term and instrument (Document.term_uses: node ids in document order and a
count per node); a definition with a node as its scope sees only the uses inside that node
(Definition.uses), the others share the instrument's list.

Matching, in one left-to-right scan of each node's matching view whatever the number of terms:
- the view is the text folded (full-width ASCII as ASCII) with whitespace removed, so a space
  inside a term matches any run of whitespace or none, and ＳＩＭ カード is SIMカード;
- from each position a trie of all the terms is walked as far as the text follows it: the longest
  term that starts there wins and the scan resumes after it, so 契約者 is not counted inside 契約者等
  when 契約者等 is a term (longest match over the term set, not a tokenizer). The work per character
  is bounded by the longest term, not by the number of terms (a regex of all the terms tried them
  one after another at every position: text × terms on a long statute);
- checks on the printed text around a match: a one-character kanji term (法) only counts with no
  kanji on either side; a term that starts/ends with a Latin letter or digit does not count inside a
  longer Latin word. When the longest term fails its check, the next shorter one is tried.
"""
from __future__ import annotations

import functools
import re
from collections import Counter
from typing import Callable, Iterable, NamedTuple

from ..model import Definition, Node, TermUses
from ..text.numerals import squash

_END = ""                                     # trie key of a term's end (no text character is "")
_ALNUM = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
                   "ＡＢＣＤＥＦＧＨＩＪＫＬＭＮＯＰＱＲＳＴＵＶＷＸＹＺａｂｃｄｅｆｇｈｉｊｋｌｍｎｏｐｑｒｓｔｕｖｗｘｙｚ０１２３４５６７８９")

_ALNUM_CLASS = "A-Za-z0-9Ａ-Ｚａ-ｚ０-９"
_KANJI_CLASS = "\u4e00-\u9fff々"
_REGEX_FIRST_CHARS = 200        # see _finder

# boundary checks a term needs (bit flags; most terms need none)
_LONE_KANJI, _ALNUM_START, _ALNUM_END = 1, 2, 4


def index(nodes: list[Node], defs: list[Definition]) -> list[TermUses]:
    """Term uses per (term, instrument) of `defs`, in order of first definition; fills
    Definition.uses. `nodes` in document order."""
    groups: dict[tuple[str, str], list[Definition]] = {}
    for d in defs:
        key = squash(d.term)
        if key:
            groups.setdefault((key, instrument_of(d.node)), []).append(d)
    if not groups:
        return []
    finder = _finder(tuple(sorted({key for key, _ in groups}, key=len, reverse=True)))
    hits = _scan(nodes, finder, set(groups), {(d.node, d.span[0]) for d in defs})
    found = [TermUses(group[0].term, instrument or None, *hits.get((key, instrument), ([], [])))
             for (key, instrument), group in groups.items()]
    attach(defs, found)
    return found


def attach(defs: list[Definition], term_uses: list[TermUses]) -> None:
    """Definition.uses from the term uses: its instrument's list, or the part inside its scope."""
    by_term = {(squash(u.term), u.instrument or ""): u.nodes for u in term_uses}
    for d in defs:
        node_ids = by_term.get((squash(d.term), instrument_of(d.node)), [])
        d.uses = node_ids if _unscoped(d.scope) else [i for i in node_ids if _in_scope(i, d.scope)]


def _scan(nodes, finder: _Finder, wanted, excluded) -> dict[tuple[str, str], tuple[list[str], list[int]]]:
    hits: dict[tuple[str, str], tuple[list[str], list[int]]] = {}
    defining = {node_id for node_id, _ in excluded}
    counts_in, uses_in = finder
    for node in nodes:
        text = node.text
        if not text:
            continue
        node_id = node.id
        if node_id in defining:                 # without the definitions' own printings
            counts = Counter(key for start, key in uses_in(text) if (node_id, start) not in excluded)
        else:
            counts = counts_in(text)
        if not counts:
            continue
        instrument = instrument_of(node_id)
        for key, count in counts.items():
            entry = hits.get((key, instrument))
            if entry is not None:
                entry[0].append(node_id)
                entry[1].append(count)
            elif (key, instrument) in wanted:
                hits[key, instrument] = ([node_id], [count])
    return hits


class _Finder(NamedTuple):
    counts_in: Callable[[str], dict[str, int]]                  # how many uses of each term
    uses_in: Callable[[str], Iterable[tuple[int, str]]]         # (printed start, term) of each use


@functools.lru_cache(maxsize=64)
def _finder(keys: tuple[str, ...]) -> _Finder:
    """The uses of `keys` in a text, left to right. The regex is faster while the terms start with
    few distinct characters (the engine tries one alternative per first character at each position
    that holds one of them); the trie beyond that (measured crossover on statutes)."""
    if len({key[0] for key in keys}) <= _REGEX_FIRST_CHARS:
        return _regex_finder(keys)
    checks = {key: _checks_of(key) for key in keys}
    trie = _trie(keys)

    def uses_in(text: str):
        return _trie_matches(text, trie, checks)
    return _Finder(lambda text: Counter(key for _, key in uses_in(text)), uses_in)


def _trie_matches(text: str, trie: dict, checks: dict[str, int]):
    """(printed start, key) of each use in `text`: the trie walked from each position over the raw
    text, whitespace inside a walk skipped, both widths of ASCII in the trie."""
    root_get = trie.get
    n = len(text)
    i = 0
    while i < n:
        node = root_get(text[i])
        if node is None:
            i += 1
            continue
        ends = []                                      # (end, key), shortest first
        j = i + 1
        while True:
            key = node.get(_END)
            if key is not None:
                ends.append((j, key))
            while j < n and text[j].isspace():
                j += 1
            if j == n:
                break
            node = node.get(text[j])
            if node is None:
                break
            j += 1
        for end, key in reversed(ends):
            if not checks[key] or _fits(text, i, end, checks[key]):
                yield i, key
                i = end
                break
        else:
            i += 1


def _fits(text: str, start: int, end: int, checks: int) -> bool:
    before = text[start - 1] if start else ""
    after = text[end] if end < len(text) else ""
    if checks & _LONE_KANJI:
        return not (_is_kanji(before) or _is_kanji(after))
    return not (checks & _ALNUM_START and before in _ALNUM or checks & _ALNUM_END and after in _ALNUM)


def _checks_of(key: str) -> int:
    if len(key) == 1 and _is_kanji(key):
        return _LONE_KANJI
    flags = 0
    if key[0].isascii() and key[0].isalnum():
        flags |= _ALNUM_START
    if key[-1].isascii() and key[-1].isalnum():
        flags |= _ALNUM_END
    return flags


def _trie(keys) -> dict:
    """Nested dicts char → child; _END → the key where a term ends. An ASCII character's full-width
    form is an edge to the same child (the keys are folded, the text is not)."""
    root: dict = {}
    for key in keys:
        node = root
        for ch in key:
            child = node.get(ch)
            if child is None:
                child = {}
                for width in _both_widths(ch):
                    node[width] = child
            node = child
        node[_END] = key
    return root


def _regex_finder(keys: tuple[str, ...]) -> _Finder:
    """One regex for all `keys` (longest first). Keys are grouped under their first character, so
    every top-level alternative opens with a literal: the engine scans for those characters in C and
    tries the pattern only there. Inner alternatives are non-capturing."""
    by_first: dict[str, list[str]] = {}
    for key in keys:
        first, rest = _after_first_char(key)
        by_first.setdefault(first, []).append(f"(?:{rest})")
    pattern = re.compile("|".join(f"{re.escape(width)}(?:{'|'.join(rests)})"
                                  for first, rests in by_first.items() for width in _both_widths(first)))
    key_of: dict[str, str] = {}                  # printed form → key (few distinct)

    def key(form: str) -> str:
        found = key_of.get(form)
        if found is None:
            found = key_of[form] = squash(form)
        return found

    def counts_in(text: str) -> dict[str, int]:
        forms = pattern.findall(text)
        if not forms:
            return {}
        if len(forms) == 1:
            return {key(forms[0]): 1}
        counts: dict[str, int] = {}
        for form, count in Counter(forms).items():       # ＳＩＭ and SIM are one term
            term = key(form)
            counts[term] = counts.get(term, 0) + count
        return counts

    def uses_in(text: str):
        return [(m.start(), key(m.group())) for m in pattern.finditer(text)]
    return _Finder(counts_in, uses_in)


def _after_first_char(key: str) -> tuple[str, str]:
    """`key` as (its first character; a regex for the rest on the printed text) with the checks of
    the module docstring: spaces match any whitespace run or none, each ASCII character also matches
    its full-width form. The checks on the character before the term follow the first character as
    two-character lookbehinds ((?<![A-Z].) after it = no letter before it)."""
    rest = "".join(r"\s*" + _either_width(ch) for ch in key[1:])
    if len(key) == 1 and _is_kanji(key):
        return key, rf"(?<![{_KANJI_CLASS}].)(?![{_KANJI_CLASS}])"
    if key[0].isascii() and key[0].isalnum():
        rest = rf"(?<![{_ALNUM_CLASS}].){rest}"
    if key[-1].isascii() and key[-1].isalnum():
        rest = rf"{rest}(?![{_ALNUM_CLASS}])"
    return key[0], rest


def _both_widths(ch: str) -> tuple[str, ...]:
    return (ch, chr(ord(ch) + 0xFEE0)) if "!" <= ch <= "~" else (ch,)


def _either_width(ch: str) -> str:
    if "!" <= ch <= "~":
        return f"[{re.escape(ch)}{chr(ord(ch) + 0xFEE0)}]"
    return re.escape(ch)


def _is_kanji(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff" or ch == "々"


def instrument_of(node_id: str) -> str:
    """'doc_2' for ids inside a second instrument, '' for the main one."""
    return node_id.split("/", 1)[0] if node_id.startswith("doc_") else ""


def _unscoped(scope: str | None) -> bool:
    return scope is None or "/" not in scope and not scope.split("_")[-1].isdigit()


def _in_scope(node_id: str, scope: str) -> bool:
    return node_id == scope or node_id.startswith(scope + "/")
