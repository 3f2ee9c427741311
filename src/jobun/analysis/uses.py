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

Two finders give the same uses (tests/test_uses.py): one regex of all the terms, shaped as their
trie, while they start with at most _REGEX_FIRST_CHARS distinct characters; beyond that the trie
of the terms walked from each position (work per character bounded by the longest term, not by the
number of terms: the regex tries one alternative per first character at every position that holds
one, text × terms on a long statute). On the dev statutes (339 first characters) the trie takes
0.07 s/MB, the regex 0.14; on a few dozen terms the regex is the faster.
"""
from __future__ import annotations

import bisect
import functools
import re
from typing import Callable, Iterable, NamedTuple

from ..model import Definition, Node, TermUses
from ..text.numerals import squash

_END = ""                                     # trie key of a term's end (no text character is "")
_ALNUM = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
                   "ＡＢＣＤＥＦＧＨＩＪＫＬＭＮＯＰＱＲＳＴＵＶＷＸＹＺａｂｃｄｅｆｇｈｉｊｋｌｍｎｏｐｑｒｓｔｕｖｗｘｙｚ０１２３４５６７８９")

_REGEX_FIRST_CHARS = 200        # see _finder
_FULL_WIDTH_ASCII = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)}     # as _both_widths pairs them

# boundary checks a term needs (bit flags; most terms need none)
_LONE_KANJI, _ALNUM_START, _ALNUM_END = 1, 2, 4


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


def _scan(nodes, finder: _Finder, wanted, excluded) -> dict[tuple[str, str], tuple[list[str], list[int]]]:
    """(term, instrument) → (ids of the nodes that use it, uses in each), for the wanted pairs."""
    tallies = _tallies(nodes, finder, excluded)
    forms_of: dict[str, list[str]] = {}                 # ＳＩＭ and SIM are one term
    for form in tallies:
        forms_of.setdefault(squash(form), []).append(form)
    several = any(node.id.startswith("doc_") for node in nodes)      # instruments in the document
    instruments = [instrument_of(node.id) for node in nodes] if several else None
    hits = {}
    for key, forms in forms_of.items():
        node_indices, counts = tallies[forms[0]] if len(forms) == 1 else _merged([tallies[f] for f in forms])
        if instruments is None:
            runs = [("", (node_indices, counts))]
        else:
            runs = _by_instrument(node_indices, counts, instruments)
        for instrument, (indices, instrument_counts) in runs:
            if (key, instrument) in wanted:
                hits[key, instrument] = ([nodes[at].id for at in indices], instrument_counts)
    return hits


def _tallies(nodes, finder: _Finder, excluded) -> dict[str, tuple[list[int], list[int]]]:
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


class _Finder(NamedTuple):
    # a use's term: as printed (ＳＩＭ for the key SIM) by the regex, as its key by the trie
    forms_in: Callable[[str], list[str]]                        # the term of each use, in order
    uses_in: Callable[[str], Iterable[tuple[int, str]]]         # (start, term) of each use


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
    return _Finder(lambda text: [key for _, key in uses_in(text)], uses_in)


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
        ends = None                                    # (end, key), shortest first
        j = i + 1
        while True:
            key = node.get(_END)
            if key is not None:
                if ends is None:
                    ends = [(j, key)]
                else:
                    ends.append((j, key))
            if j == n:
                break
            child = node.get(text[j])
            if child is None:                          # whitespace inside a term is stepped over
                if not text[j].isspace():
                    break
                k = j + 1
                while k < n and text[k].isspace():
                    k += 1
                child = node.get(text[k]) if k < n else None
                if child is None:
                    break
                j = k
            node = child
            j += 1
        if ends is None:
            i += 1
            continue
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
    """One regex for all `keys`, shaped as their trie, run on each text's view without whitespace
    (_SpacelessView): every top-level alternative opens with a literal (a first character), so the
    engine scans for those characters in C and tries the pattern only there; terms sharing a
    beginning share its part of the pattern. It is compiled once per document, at a cost that grows
    with the pattern's length: neither whitespace between characters nor the checks are in it
    (whitespace is not in the view; the checks, on the printed text, are rare and made per match).
    """
    pattern = _trie_pattern(keys)
    findall, finditer = pattern.findall, pattern.finditer
    checks = {key: _checks_of(key) for key in keys}
    key_set = frozenset(keys)
    unchecked = {key for key in keys if not checks[key]}    # printed forms of terms that need no check
    candidates_of: dict[str, tuple[str, ...]] = {}          # a checked term's printed form → the keys
                                                            # of it and of the terms it begins with

    def fitting_length(view: _SpacelessView, start: int, form: str) -> int:
        """How much of the match `form` at view offset `start` counts: all of it, the longest term
        it begins with that passes its checks on the printed text, or none (0)."""
        candidates = candidates_of.get(form)
        if candidates is None:
            key = form.translate(_FULL_WIDTH_ASCII)
            if not checks[key]:
                unchecked.add(form)
                return len(form)
            candidates = candidates_of[form] = (key, *_shorter_keys(key, key_set))
        printed_start = view.printed(start)
        for key in candidates:
            end = view.printed(start + len(key) - 1) + 1
            if not checks[key] or _fits(view.printed_text, printed_start, end, checks[key]):
                return len(key)
        return 0

    def uses_from(view: _SpacelessView, pos: int, found: list[tuple[int, str]]) -> int | None:
        """The uses from view offset `pos` on, appended to `found` up to the first longest match
        its check refuses; where the scan goes on after that one (None: at the text's end)."""
        for m in finditer(view.text, pos):
            start, form = m.start(), m.group()
            if form not in unchecked:
                fitting = fitting_length(view, start, form)
                if fitting < len(form):
                    if fitting:
                        found.append((start, form[:fitting]))
                    return start + (fitting or 1)     # a term may start inside the one refused
            found.append((start, form))
        return None

    def uses_in(text: str) -> list[tuple[int, str]]:
        view = _SpacelessView(text)
        found, resume = [], 0               # (view offset, form) of each use; where to go on
        while resume is not None:
            resume = uses_from(view, resume, found)
        return [(view.printed(start), form) for start, form in found] if view.shifted else found

    lone = _lone_kanji_apart(keys, checks)
    if lone:
        lone_uses, lone_beside_space = _lone_kanji_finders("".join(sorted(lone)))

    def forms_in(text: str) -> list[str]:
        view = "".join(text.split())
        forms = findall(view)
        if unchecked.issuperset(forms):         # most texts: no term to check, no new printing
            return forms
        if lone:
            others = [form for form in forms if form not in lone]
            if unchecked.issuperset(others) and (len(view) == len(text) or lone_beside_space(text) is None):
                return others + lone_uses(view)     # the one-kanji terms were the only ones to check
        return [form for _, form in uses_in(text)]
    return _Finder(forms_in, uses_in)


def _lone_kanji_apart(keys: tuple[str, ...], checks: dict[str, int]) -> frozenset[str]:
    """The one-kanji terms (法) whose uses in a text printed without whitespace are its printings
    with no kanji on either side, to be found by a regex of their own. The scan goes on after such
    a term's match whether its check passes or not (it is one character long), so its verdict
    changes no other match; and a printing between non-kanji is never inside another term's match
    when every longer term holding the kanji has a kanji beside it (改正法, 法律 but not Ａ法)."""
    lone = []
    for key in keys:
        if checks[key] == _LONE_KANJI and all(
                _kanji_beside_each(key, other) for other in keys if key in other and other != key):
            lone.append(key)
    return frozenset(lone)


@functools.lru_cache(maxsize=64)
def _lone_kanji_finders(kanji: str) -> tuple[Callable, Callable]:
    """findall of the printings of these one-kanji terms with no kanji on either side, and search
    for one printed beside whitespace. Kept across documents (a statute's one-kanji terms are
    mostly 法 or 令): the kanji class alone takes 1.6 ms to compile."""
    return (re.compile(f"[{kanji}](?<!{_KANJI_CLASS}.)(?!{_KANJI_CLASS})").findall,  # the class
            re.compile(f"\\s[{kanji}]|[{kanji}]\\s").search)                       # first: scanned for


def _kanji_beside_each(kanji: str, term: str) -> bool:
    at = term.find(kanji)
    while at >= 0:
        if not (at and _is_kanji(term[at - 1]) or at + 1 < len(term) and _is_kanji(term[at + 1])):
            return False
        at = term.find(kanji, at + 1)
    return True


def _trie_pattern(keys: tuple[str, ...]) -> re.Pattern:
    """The regex of `keys`, shaped as their trie. Each top-level alternative opens with a literal
    first character, in each width: a class there would hide the first characters from the
    engine's scan (twice the time on the seeds)."""
    return re.compile("|".join(re.escape(width) + _tails_pattern(tails)
                               for ch, tails in _by_first_character(keys).items() for width in _both_widths(ch)))


def _shorter_keys(key: str, keys: frozenset[str]) -> list[str]:
    """The `keys` that `key` begins with, longest first (where the text holds a term, it holds
    these too, and one of them counts when the longer term fails its check)."""
    return [key[:n] for n in range(len(key) - 1, 0, -1) if key[:n] in keys]


class _SpacelessView:
    """A text without its whitespace, and where each of its characters is printed: a term printed
    across a space or a line break (ＳＩＭ カード) is one run of characters here."""

    __slots__ = ("printed_text", "text", "_piece_starts", "_shifts")

    def __init__(self, text: str):
        pieces = text.split()                   # str.isspace() is the regex's \s
        self.printed_text = text
        self.text = "".join(pieces)
        self._piece_starts: list[int] = []      # view offset of each piece between whitespace
        self._shifts: list[int] = []            # whitespace printed before that piece
        if len(self.text) != len(text):
            view_at = printed_at = 0
            for piece in pieces:
                printed_at = text.find(piece, printed_at)
                self._piece_starts.append(view_at)
                self._shifts.append(printed_at - view_at)
                view_at += len(piece)
                printed_at += len(piece)

    @property
    def shifted(self) -> bool:
        """Whether the text had whitespace (view offsets are not printed offsets)."""
        return bool(self._shifts)

    def printed(self, at: int) -> int:
        """The offset in the printed text of the view's character at `at`."""
        if not self._shifts:
            return at
        return at + self._shifts[bisect.bisect_right(self._piece_starts, at) - 1]


def _tails_pattern(tails: list[str]) -> str:
    """The regex of what may follow a trie node, from the rest of each term that passes through it
    ("" for a term ending there): the longer terms first (each next character in either width),
    then the end of the term ending there. At most one next character matches the text, so trying
    the continuations before the end is longest first. Built from the terms rather than from a
    trie of dicts: only where terms part is there anything to group."""
    if len(tails) == 1:
        return tails[0].translate(_EITHER_WIDTH)
    alternatives = [ch.translate(_EITHER_WIDTH) + _tails_pattern(rest)
                    for ch, rest in _by_first_character(tails).items()]
    if "" in tails:
        alternatives.append("")
    return alternatives[0] if len(alternatives) == 1 else f"(?:{'|'.join(alternatives)})"


def _by_first_character(tails: list[str]) -> dict[str, list[str]]:
    """The non-empty `tails` by their first character, each without it, in order of appearance."""
    groups: dict[str, list[str]] = {}
    for tail in tails:
        if tail:
            group = groups.get(tail[0])
            if group is None:
                groups[tail[0]] = [tail[1:]]
            else:
                group.append(tail[1:])
    return groups


def _both_widths(ch: str) -> tuple[str, ...]:
    return (ch, chr(ord(ch) + 0xFEE0)) if "!" <= ch <= "~" else (ch,)


# each ASCII character → a class of its two widths; no other character of a term needs escaping
# (re.escape leaves non-ASCII as is, and a term holds no whitespace)
_EITHER_WIDTH = {code: f"[{re.escape(chr(code))}{chr(code + 0xFEE0)}]" for code in range(ord("!"), ord("~") + 1)}


_KANJI_CLASS = "[\u4e00-\u9fff々]"          # the characters _is_kanji accepts


def _is_kanji(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff" or ch == "々"


def instrument_of(node_id: str) -> str:
    """'doc_2' for ids inside a second instrument, '' for the main one."""
    return node_id.split("/", 1)[0] if node_id.startswith("doc_") else ""


def _unscoped(scope: str | None) -> bool:
    return scope is None or "/" not in scope and not scope.split("_")[-1].isdigit()


def _in_scope(node_id: str, scope: str) -> bool:
    return node_id == scope or node_id.startswith(scope + "/")
