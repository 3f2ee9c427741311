"""Finders of the uses of a set of terms in a text, by the matching rules of uses.py: terms folded
and compared without their spaces, the longest term at each position first, checks on the printed
text around a match (a one-kanji term between non-kanji, a Latin term not inside a Latin word).

Two finders give the same uses (tests/test_uses.py), uses.py choosing: RegexFinder, one regex of
all the terms grouped by first character, run over each text's view without whitespace; trie_finder, the
trie of the terms walked from each position of the printed text (work per character bounded by the
longest term, not by the number of terms: the regex tries one alternative per first character at
every position that holds one, text × terms on a long statute).
"""
from __future__ import annotations

import bisect
import functools
import re
from typing import Callable, Iterable, NamedTuple

_END = ""                                     # trie key of a term's end (no text character is "")
_ALNUM = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
                   "ＡＢＣＤＥＦＧＨＩＪＫＬＭＮＯＰＱＲＳＴＵＶＷＸＹＺａｂｃｄｅｆｇｈｉｊｋｌｍｎｏｐｑｒｓｔｕｖｗｘｙｚ０１２３４５６７８９")
_FULL_WIDTH_ASCII = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)}     # as _both_widths pairs them

# boundary checks a term needs (bit flags; most terms need none)
_LONE_KANJI, _ALNUM_START, _ALNUM_END = 1, 2, 4


class Finder(NamedTuple):
    # a use's term: as printed (ＳＩＭ for the key SIM) by the regex, as its key by the trie
    forms_in: Callable[[str], list[str]]                        # the term of each use, in no set order
    uses_in: Callable[[str], Iterable[tuple[int, str]]]         # (start, term) of each use


def trie_finder(keys: tuple[str, ...]) -> Finder:
    checks = {key: _checks_of(key) for key in keys}
    trie = _trie(keys)

    def uses_in(text: str):
        return _trie_matches(text, trie, checks)

    def forms_in(text: str) -> list[str]:
        return [key for _, key in uses_in(text)]

    return Finder(forms_in, uses_in)


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


class RegexFinder:
    """One regex for all `keys`, grouped by first character (_terms_pattern), run on each text's
    view without whitespace (_SpacelessView): every top-level alternative opens with a literal (a
    first character), so the engine scans for those characters in C and tries the pattern only
    there. It is compiled once per document, at a cost that grows with the pattern: neither
    whitespace between characters nor the checks are in it (whitespace is not in the view; the
    checks, on the printed text, are rare and made per match).
    """

    __slots__ = ("_findall", "_finditer", "_checks", "_keys", "_unchecked", "_candidates_of",
                 "_lone", "_lone_uses")

    def __init__(self, keys: tuple[str, ...]):
        pattern = _terms_pattern(keys)
        self._findall, self._finditer = pattern.findall, pattern.finditer
        self._checks = checks = {key: _checks_of(key) for key in keys}
        self._keys = frozenset(keys)
        self._unchecked = {key for key in keys if not checks[key]}     # printed forms of terms that
                                                                        # need no check
        self._candidates_of: dict[str, tuple[str, ...]] = {}    # a checked term's printed form →
                                                                # the keys of it and of the terms
                                                                # it begins with
        self._lone = _lone_kanji_apart(keys, checks)
        self._lone_uses = _lone_kanji_uses("".join(sorted(self._lone))) if self._lone else None

    def finder(self) -> Finder:
        return Finder(self.forms_in, self.uses_in)

    def uses_in(self, text: str) -> list[tuple[int, str]]:
        view = _SpacelessView(text)
        found, resume = [], 0               # (view offset, form) of each use; where to go on
        while resume is not None:
            resume = self._uses_from(view, resume, found)
        return [(view.printed(start), form) for start, form in found] if view.shifted else found

    def forms_in(self, text: str) -> list[str]:
        view = "".join(text.split())
        forms = self._findall(view)
        if self._unchecked.issuperset(forms):       # most texts: no term to check, no new printing
            return forms
        return self._checked_forms(text, view, forms)

    def _checked_forms(self, text: str, view: str, forms: list[str]) -> list[str]:
        """forms_in of a text whose matches `forms` (on its `view`) hold a term to check."""
        lone = self._lone
        if lone:
            others = [form for form in forms if form not in lone]
            if self._unchecked.issuperset(others):      # the one-kanji terms were the only ones to check
                lone_forms = self._lone_uses(view)
                # as printed, whitespace may part one from a kanji: then the scan must tell whether
                # it was a match of its own or inside a longer term's
                if len(view) == len(text) or len(self._lone_uses(text)) == len(lone_forms):
                    return others + lone_forms
        return [form for _, form in self.uses_in(text)]

    def _uses_from(self, view: _SpacelessView, pos: int, found: list[tuple[int, str]]) -> int | None:
        """The uses from view offset `pos` on, appended to `found` up to the first longest match
        its check refuses; where the scan goes on after that one (None: at the text's end)."""
        for m in self._finditer(view.text, pos):
            start, form = m.start(), m.group()
            if form not in self._unchecked:
                fitting = self._fitting_length(view, start, form)
                if fitting < len(form):
                    if fitting:
                        found.append((start, form[:fitting]))
                    elif len(form) == 1:            # refused (法 in 方法): the scan goes on after it
                        continue                    # as it would from start + 1
                    return start + (fitting or 1)     # a term may start inside the one refused
            found.append((start, form))
        return None

    def _fitting_length(self, view: _SpacelessView, start: int, form: str) -> int:
        """How much of the match `form` at view offset `start` counts: all of it, the longest term
        it begins with that passes its checks on the printed text, or none (0)."""
        checks = self._checks
        candidates = self._candidates_of.get(form)
        if candidates is None:
            key = form.translate(_FULL_WIDTH_ASCII)
            if not checks[key]:
                self._unchecked.add(form)
                return len(form)
            candidates = self._candidates_of[form] = (key, *_shorter_keys(key, self._keys))
        printed_start = view.printed(start)
        for key in candidates:
            end = view.printed(start + len(key) - 1) + 1
            if not checks[key] or _fits(view.printed_text, printed_start, end, checks[key]):
                return len(key)
        return 0


def _lone_kanji_apart(keys: tuple[str, ...], checks: dict[str, int]) -> frozenset[str]:
    """The one-kanji terms (法) whose uses a regex of their own finds in a text's view without
    whitespace: their printings with no kanji on either side. The scan goes on after such a term's
    match whether its check passes or not (it is one character long), so its verdict changes no
    other match; a printing between non-kanji is never inside another term's match when every
    longer term holding the kanji has a kanji beside it (改正法, 法律 but not Ａ法); and the view's
    neighbours are the printed ones unless whitespace parts them (forms_in checks that)."""
    lone = []
    for key in keys:
        if checks[key] == _LONE_KANJI and all(
                _kanji_beside_each(key, other) for other in keys if key in other and other != key):
            lone.append(key)
    return frozenset(lone)


@functools.lru_cache(maxsize=64)
def _lone_kanji_uses(kanji: str) -> Callable[[str], list[str]]:
    """findall of the printings of these one-kanji terms with no kanji on either side (the class
    first, for the engine to scan for). Kept across documents (a statute's one-kanji terms are
    mostly 法 or 令): the kanji class alone takes 1.6 ms to compile."""
    return re.compile(f"[{kanji}](?<!{_KANJI_CLASS}.)(?!{_KANJI_CLASS})").findall


def _kanji_beside_each(kanji: str, term: str) -> bool:
    at = term.find(kanji)
    while at >= 0:
        if not (at and _is_kanji(term[at - 1]) or at + 1 < len(term) and _is_kanji(term[at + 1])):
            return False
        at = term.find(kanji, at + 1)
    return True


def _terms_pattern(keys: tuple[str, ...]) -> re.Pattern:
    """The regex of `keys`, shaped as the first level of their trie: one alternative per first
    character, in each width, opening with it as a literal (a class there would hide the first
    characters from the engine's scan: twice the time on the seeds); behind it, the rests of the
    terms that start with it, longest first, so the first that matches is the longest term there.
    Deeper sharing of beginnings matches no faster on the seeds and takes a third longer to
    compile (the parser's cost is per group): the pattern is compiled once per document."""
    longest_first = sorted(keys, key=len, reverse=True)
    return re.compile("|".join(re.escape(width) + _tails_pattern(tails)
                               for ch, tails in _by_first_character(longest_first).items()
                               for width in _both_widths(ch)))


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
    """The rests of the terms that start with one character, as one alternation in their order
    (longest first, as _terms_pattern sorts them); "" for the term of that character alone comes last.
    Each ASCII character matches in either width."""
    if len(tails) == 1:
        return tails[0].translate(_EITHER_WIDTH)
    return f"(?:{'|'.join(tail.translate(_EITHER_WIDTH) for tail in tails)})"


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


