"""Morphological tokens (UniDic via fugashi + unidic-lite), and tagger checks for the parser.

Nothing here imports fugashi at module import time: the tagger is created on the first call that
needs it, once per process, so a parse without tokens never loads the dictionary.

Why the tagger's text output instead of fugashi's nodes: iterating fugashi nodes builds a Python
node object per token; reading `node.feature` is 3-4x slower still. MeCab's own lattice format
prints each token as "surface<TAB>feature CSV" and "EOS" after the last, one string per sentence,
and the CSV is split only when a token is first read. The built-in lattice writer beats a format
string (--node-format=%m\\t%H\\n, same text) by 2 of 31 ms on the five seeds: it does not interpret
the format at every token. Asking for only the six fields we keep (%f[0]…%f[17]) is slower still:
MeCab then splits every token's CSV in C whether anyone reads it or not. A surface never holds a
tab: MeCab splits tokens at spaces and tabs.

Why MeCab is called directly (`_direct_tagger`): fugashi's `parse` decodes the whole output to str,
and the feature text is 5.7 MB for the five seeds: decoding it is 7 of the 37 ms tagging takes,
paid even by a parse that only keeps or counts the tokens. Called through ctypes, the same library
fugashi loaded returns the output as bytes, decoded per sentence when its tokens are first read.

Token dict: {"surface", "lemma", "pos": [pos1, pos2, pos3, pos4], "reading", "span": [start, end]}
- pos fields that UniDic leaves unset ("*") are "*" as in UniDic;
- lemma is UniDic's lemma field as is (e.g. "サービス-service", "円-助数詞");
- unknown words (not in the dictionary) have lemma == surface and reading None;
- span is [start, end) in the text given to `tokenize`, so text[start:end] == surface; whitespace
  (ASCII or ideographic space) never becomes a token.
"""
from __future__ import annotations

import csv
import gc
import os
import re
import shlex
from collections.abc import Callable, Sequence

_TAGGER_ARGV = ("-O", "")          # the lattice format: "surface\tfeature\n" per token, then "EOS\n"
_EOS = b"EOS\n"
_TAGGED_WHITESPACE = re.compile(r"[^\S \t\v]")     # whitespace MeCab prints as a token (see TokenList)
# UniDic feature fields kept: pos1-4, lemma, kana reading (unknown words carry only the first six)
_POS_FIELDS, _LEMMA, _READING = 4, 7, 17
_UNSET = (None, "", "*")        # no reading: symbols print "", an unset UniDic field "*"


Tagger = Callable[[str], bytes]
_tagger: Tagger | None = None


def tagger() -> Tagger:
    """The process-wide tagger, created on first use: a sentence → MeCab's output as UTF-8 bytes,
    one "surface<TAB>feature\\n" line per token, then "EOS\\n"."""
    global _tagger
    if _tagger is None:
        _tagger = _direct_tagger() or _fugashi_tagger()
    return _tagger


def _fugashi_tagger() -> Tagger:
    """fugashi's own parse (it decodes, we encode again): used where fugashi's copy of libmecab
    cannot be found. Same tokens as the direct call, only slower."""
    import fugashi
    parse = fugashi.Tagger(shlex.join(_TAGGER_ARGV)).parse

    def tag(sentence: str) -> bytes:
        return (parse(sentence) + "\n").encode()        # fugashi strips the last newline
    return tag


def _direct_tagger() -> Tagger | None:
    """MeCab through ctypes: the libmecab fugashi loaded, its dictionary (UniDic Lite), our arguments.
    PyDLL keeps the GIL during the call, so threads share the tagger as safely as fugashi's."""
    import ctypes

    import fugashi  # noqa: F401 -- loads libmecab into the process
    try:
        from fugashi.fugashi import try_import_unidic   # how fugashi.Tagger() finds its dictionary
    except ImportError:
        return None
    path, dicdir = _loaded_library("libmecab"), try_import_unidic()
    if path is None or dicdir is None:
        return None
    try:
        lib = ctypes.PyDLL(path)
        new, tostr = lib.mecab_new, lib.mecab_sparse_tostr
    except (OSError, AttributeError):
        return None
    argv = ["jobun", "-d", dicdir, "-r", os.path.join(dicdir, "mecabrc"), *_TAGGER_ARGV]
    new.argtypes, new.restype = (ctypes.c_int, ctypes.POINTER(ctypes.c_char_p)), ctypes.c_void_p
    handle = new(len(argv), (ctypes.c_char_p * len(argv))(*(a.encode() for a in argv)))
    if not handle:
        return None
    handle = ctypes.c_void_p(handle)
    tostr.argtypes, tostr.restype = (ctypes.c_void_p, ctypes.c_char_p), ctypes.c_char_p

    def tag(sentence: str) -> bytes:       # NUL-free (see _taggable)
        out = tostr(handle, sentence.encode())
        if out is None:
            raise RuntimeError(f"MeCab failed on {sentence[:40]!r}")
        return out
    return tag


def _loaded_library(stem: str) -> str | None:
    """Path of the shared library `stem` already mapped into this process (Linux; fugashi's own
    copy first, should another package have loaded a second one), else of the copy a fugashi wheel
    ships beside its package (fugashi.libs, fugashi/.dylibs)."""
    try:
        with open("/proc/self/maps", encoding="utf-8", errors="replace") as maps:
            mapped = {"/" + line.rstrip("\n").partition("/")[2] for line in maps if stem in line}
        mapped = sorted(p for p in mapped if stem in os.path.basename(p))
        if mapped:
            return next((p for p in mapped if "fugashi" in p), mapped[0])
    except OSError:
        pass
    import glob

    import fugashi
    package = os.path.dirname(fugashi.__file__)
    for pattern in ("../fugashi.libs", ".dylibs", ""):
        found = sorted(glob.glob(os.path.join(package, pattern, stem + "*")))
        if found:
            return found[0]
    return None


def tokenize(text: str, start: int = 0, end: int | None = None) -> TokenList:
    """Tokens of text[start:end]; spans are offsets into `text`."""
    if end is None:
        end = len(text)
    chunk = _taggable(text[start:end])
    # One call for the whole sentence: MeCab itself steps over ASCII spaces and tabs and prints an
    # ideographic space as a 空白 token, which is dropped (cheaper than one call per spaced chunk,
    # and the tokens are those fugashi gives for the sentence).
    return TokenList(start, chunk, tagger()(chunk) if chunk.strip() else _EOS)


class TokenList(Sequence):
    """The tokens of one sentence, kept as the tagger printed them and turned into dicts when first
    read: a parse that never looks at a token (or only counts them) pays for the tagger alone.

    The count is taken when the output arrives, while it is still in the CPU caches: counting it
    later, after the rest of the parse, costs twice as much (measured on the seeds: 1.7 against
    3.5 ms). MeCab prints whitespace other than spaces and tabs (ideographic space, NBSP, em
    space…) as tokens of its own, which are dropped: with such characters the count comes from
    the dicts."""

    __slots__ = ("_start", "_text", "_out", "_tokens", "_count")

    def __init__(self, start: int, text: str, out: bytes):
        self._start = start             # offset of `text` in the node's text
        self._text = text               # the sentence as tagged
        self._out = out                 # tagger output: b"surface<TAB>feature\n" per token, b"EOS\n"
        self._tokens: list[dict] | None = None
        # isprintable() (no separators or controls) settles most sentences without the regex
        tagged_space = not text.isprintable() and _TAGGED_WHITESPACE.search(text) is not None
        self._count = None if tagged_space else out.count(b"\n") - 1

    def __len__(self) -> int:
        if self._tokens is None and self._count is not None:
            return self._count
        return len(self.materialize())

    def __getitem__(self, index):
        return self.materialize()[index]

    def __iter__(self):
        return iter(self.materialize())

    def __eq__(self, other) -> bool:
        return list(self) == list(other)

    def __repr__(self) -> str:
        return f"TokenList({self.materialize()!r})"

    def materialize(self) -> list[dict]:
        if self._tokens is None:
            self._tokens = _token_dicts(self._start, self._text, self._out)
            self._text, self._out = "", _EOS
        return self._tokens


def _token_dicts(start: int, text: str, out: bytes) -> list[dict]:
    tokens: list[dict] = []
    append = tokens.append
    spaced = any(ch.isspace() for ch in text)
    at = 0                              # offset in `text`
    rows = out.decode().split("\n")
    del rows[-2:]                       # "EOS" and the empty string after its newline
    for row in rows:
        surface, _tab, feature = row.partition("\t")
        if spaced:
            found = text.find(surface, at)     # MeCab stepped over any spaces before it
            at = found if found >= 0 else at
            if surface.isspace():
                at += len(surface)      # an ideographic space: never a token
                continue
        f = _feature_fields(feature)
        after = at + len(surface)
        known = len(f) > _READING
        reading = f[_READING] if known else None
        append({"surface": surface, "lemma": f[_LEMMA] if known else surface,
                "pos": f[:_POS_FIELDS],
                "reading": None if reading in _UNSET else reading, "span": [start + at, start + after]})
        at = after
    return tokens


def _feature_fields(feature: str) -> list[str]:
    """The fields up to the reading of a UniDic feature CSV. Quoted fields (holding commas) occur
    in UniDic only after the reading, so a plain split serves unless a quote comes earlier."""
    f = feature.split(",", _READING + 1)
    if '"' in feature and any('"' in field for field in f[:_READING + 1]):
        f = next(csv.reader([feature]))
    return f


def tokenize_nodes(nodes) -> None:
    """Fill `tokens` of each model.Sentence of each node (one tagger call per sentence; one call
    of this function per document, not per node)."""
    tag = tagger()
    for node in nodes:
        if node.sentences:
            text = _taggable(node.text)         # once per text, not per sentence
            for sentence in node.sentences:
                start, end = sentence.span      # trimmed and never empty (sentences.split)
                chunk = text[start:end]
                sentence.tokens = TokenList(start, chunk, tag(chunk))


def _taggable(chunk: str) -> str:
    """MeCab reads C strings: a NUL would end the sentence there and drop every token after it.
    A space in its place keeps the offsets and is stepped over like any space."""
    return chunk.replace("\0", " ") if "\0" in chunk else chunk


class _GcPaused:
    """Pause the cyclic GC while building many small dicts: they hold no cycles, and the collector
    would otherwise rescan the growing token lists over and over (measured ~30% of tokenizing)."""

    def __enter__(self):
        self.was_enabled = gc.isenabled()
        gc.disable()

    def __exit__(self, *exc):
        if self.was_enabled:
            gc.enable()


gc_paused = _GcPaused


# --- helpers for the parser (cheap, no tagger) -------------------------------------------------

def _char_class(ch: str) -> str:
    """Coarse script class: kanji, hiragana, katakana, latin (half/full-width letters), digit, other."""
    o = ord(ch)
    if 0x3041 <= o <= 0x309F:
        return "hira"
    if 0x30A1 <= o <= 0x30FA or o in (0x30FC, 0x30FD, 0x30FE) or 0xFF66 <= o <= 0xFF9F:
        return "kata"
    if 0x4E00 <= o <= 0x9FFF or 0x3400 <= o <= 0x4DBF or o in (0x3005, 0x3006, 0x30F6, 0x30F5):
        return "kanji"
    if ch.isascii():
        if ch.isalpha():
            return "latin"
        if ch.isdigit():
            return "digit"
        return "other"
    if 0xFF21 <= o <= 0xFF3A or 0xFF41 <= o <= 0xFF5A:
        return "latin"
    if 0xFF10 <= o <= 0xFF19:
        return "digit"
    return "other"


_CLOSING_PUNCT = set("。、，．）」』】〕］)]}：:；;！？!?")
_OPENING_PUNCT = set("（「『(【〔［")
_URL_PUNCT = set("/:.-_~%#?=&@")
_NO_WORD_START = set("ーぁぃぅぇぉっゃゅょゎんァィゥェォッャュョヮヵヶ゛゜")
_PARTICLE_CHARS = set("のにをがはでとへもや")


def wrap_inside_word(left: str, right: str, *, use_tagger: bool = False) -> bool:
    """Whether a line break between `left` (end of a line) and `right` (start of the next) falls
    inside a word: 'マネージドサ' | 'ーバ' → True, 'Ｗ' | 'ｉｎｄｏｗｓ' → True, '。' | '次' → False.

    Script rules on the two characters at the break (no tagger, so parsing without tokens never
    loads the dictionary):
    - a long-vowel mark, small kana or ん cannot start a word → inside;
    - punctuation or brackets on either side → not inside, except URL punctuation (/ : . …) next to
      latin letters or digits (full-width URLs wrap as 'ｃｏｍ' | '／）');
    - katakana|katakana, latin|latin, digit|digit and kanji|kanji → inside (one run or compound);
    - kanji|hiragana → inside unless the hiragana is a particle (負|う okurigana, 契約|を not);
    - hiragana|hiragana → inside unless a particle sits at the break (しま|せん, およ|び; もの|とする not).
    With use_tagger=True (only when the tagger is wanted anyway) kana/kanji joins are decided by
    tokenizing a window of four characters each side: inside when a token spans the break.
    """
    left = left.rstrip()
    right = right.lstrip()
    if not left or not right:
        return False
    last, first = fold_char(left[-1]), fold_char(right[0])
    if first in _NO_WORD_START:
        return True
    last_class, first_class = _char_class(last), _char_class(first)
    if last in _URL_PUNCT or first in _URL_PUNCT:
        return _url_join(last, first, last_class, first_class)
    if last in _CLOSING_PUNCT or first in _CLOSING_PUNCT or last in _OPENING_PUNCT or first in _OPENING_PUNCT:
        return False
    if last_class == first_class and last_class in ("kata", "latin", "digit", "kanji"):
        return True
    if "other" in (last_class, first_class):
        return False
    if use_tagger:
        return _token_spans_break(left[-4:], right[:4])
    if first_class == "hira" and last_class == "kanji":
        return first not in _PARTICLE_CHARS
    if first_class == "hira" and last_class == "hira":
        return first not in _PARTICLE_CHARS and last not in _PARTICLE_CHARS
    return False


def fold_char(ch: str) -> str:
    """Full-width ASCII → ASCII for one character (the rules above are written on ASCII)."""
    o = ord(ch)
    return chr(o - 0xFEE0) if 0xFF01 <= o <= 0xFF5E else ch


def _url_join(last: str, first: str, last_class: str, first_class: str) -> bool:
    def urlish(ch, cls):
        return cls in ("latin", "digit") or ch in _URL_PUNCT
    if last == ":" and first != "/":
        return False                    # 用語：定義 — a colon ends the term unless a URL follows
    return urlish(last, last_class) and urlish(first, first_class)


def _token_spans_break(left: str, right: str) -> bool:
    window = left + right
    cut = len(left)
    for token in tokenize(window):
        start, end = token["span"]
        if start < cut < end:
            return True
        if start >= cut:
            break
    return False


def particle_at_start(text: str) -> bool:
    """Tagger check used by the parser when tokens were requested: whether `text` (what follows a
    第N条 at a line start) begins with a particle or conjunction (助詞 の/に/を…, 接続詞 及び/又は…),
    i.e. the number is a reference continuing a sentence rather than a heading. The tagger knows
    every particle; the parser's own pattern lists only the common ones."""
    window = text.lstrip()[:8]
    if not window:
        return False
    _surface, _tab, feature = tagger()(_taggable(window)).partition(b"\n")[0].decode().partition("\t")
    return feature.split(",", 1)[0] in ("助詞", "接続詞")
