"""Numerals and the normalized matching view shared by every stage.

`fold(s)` maps full-width ASCII and the ideographic space to their half-width forms one character
for one character, so offsets in the folded view are offsets in the original. (NFKC is not used: it
turns ① into 1 and would change lengths.)
"""
from __future__ import annotations

import re
from functools import lru_cache

_FOLD = {cp: cp - 0xFEE0 for cp in range(0xFF01, 0xFF5F)}
_FOLD[0x3000] = 0x20            # ideographic space
_FOLD[0x2212] = 0x2D            # minus sign
_FOLD[0x2010] = 0x2D
_FOLD[0x00A0] = 0x20


_FOLD_ONE = {chr(k): chr(v) for k, v in _FOLD.items()}
# The runs between foldable characters, captured so that split() keeps them: the engine matches a
# negated class in a tight loop, twice as fast as searching for the (rare) foldable characters.
_KEPT_RUN = re.compile(f"([^{re.escape(''.join(_FOLD_ONE))}]+)")
# The foldable characters most Japanese legal text is full of (the ideographic space, brackets and
# digits: 9 in 10 of those in statutes) go first, one C-level str.replace each over a long text; the
# search then meets only the rare rest. Below ~200 characters the replaces cost more than they save.
_COMMON_FOLDS = tuple((c, _FOLD_ONE[c]) for c in "\u3000（）０１２３４５６７８９．")
_COMMON_FIRST_LENGTH = 256
# The other foldable characters outside the full-width block U+FF01..U+FF5E: str.replace each, if present.
_OTHER_FOLDS = tuple((c, n) for c, n in _FOLD_ONE.items()
                     if not "\uff01" <= c <= "\uff5e" and (c, n) not in _COMMON_FOLDS)
_FULL_WIDTH_BLOCK = 1 << 16             # characters encoded at a time: bounded extra memory
_NOT_HIGH_FF = re.compile(rb"[^\xff]")


def fold(s: str) -> str:
    """Full-width ASCII → ASCII, ideographic space → space; same length as `s`.

    str.translate looks up a dict per character: on longer text only the runs of foldable
    characters (mostly one bracket or digit) go through it, 7x faster on Japanese text. Short
    strings are translated directly."""
    if len(s) < 64:
        return s.translate(_FOLD)
    if len(s) < _COMMON_FIRST_LENGTH:
        parts = _KEPT_RUN.split(s)      # foldable runs at the even indexes, kept runs at the odd
        one = _FOLD_ONE.get
        parts[::2] = [one(run) or run.translate(_FOLD) for run in parts[::2]]
        return "".join(parts)
    for wide, narrow in _COMMON_FOLDS:
        s = s.replace(wide, narrow)
    for wide, narrow in _OTHER_FOLDS:
        if wide in s:
            s = s.replace(wide, narrow)
    return _fold_full_width(s)


def _fold_full_width(s: str) -> str:
    """`s` with its runs of full-width forms (U+FF01..U+FF5E) folded.

    The runs are found without a loop over characters in Python or in the regex engine (~4 ns a
    character): in UTF-32-BE every character is four bytes, and the third is 0xFF for U+FFxx (and
    for the rare U+1FFxx …, which translate leaves as they are), so bytes.find over every fourth
    byte finds them, a block of the text at a time."""
    parts, done = [], 0
    one = _FOLD_ONE.get
    for block_start in range(0, len(s), _FULL_WIDTH_BLOCK):
        block = s[block_start:block_start + _FULL_WIDTH_BLOCK]
        high = block.encode("utf-32-be", "surrogatepass")[2::4]      # byte 2 of each character
        at = high.find(0xFF)
        while at >= 0:
            after = _NOT_HIGH_FF.search(high, at)
            end = after.start() if after is not None else len(high)
            run = block[at:end]
            parts += (s[done:block_start + at], one(run) or run.translate(_FOLD))
            done = block_start + end
            at = high.find(0xFF, end)
    if not parts:
        return s
    parts.append(s[done:])
    return "".join(parts)


def squash(s: str) -> str:
    """Folded and without any whitespace: the key under which two printings of a word match
    (ＳＩＭ カード / SIMカード)."""
    return "".join(fold(s).split())


KANJI_DIGITS = {"〇": 0, "零": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8,
                "九": 9, "壱": 1, "弐": 2, "参": 3}
KANJI_UNITS = {"十": 10, "百": 100, "千": 1000}
KANJI_CHARS = "".join(KANJI_DIGITS) + "".join(KANJI_UNITS)
NUM_CLASS = r"(?:[0-9]+|[〇零一二三四五六七八九十百千壱弐参]+)"   # on the folded view

CIRCLED = {chr(0x2460 + i): i + 1 for i in range(20)}          # ①..⑳
CIRCLED.update({chr(0x3251 + i): 21 + i for i in range(15)})    # ㉑..㉟
CIRCLED.update({chr(0x32B1 + i): 36 + i for i in range(15)})    # ㊱..㊿

IROHA = "イロハニホヘトチリヌルヲワカヨタレソツネナラムウヰノオクヤマケフコエテアサキユメミシヱヒモセス"
AIUEO = "アイウエオカキクケコサシスセソタチツテトナニヌネノハヒフヘホマミムメモヤユヨラリルレロワヲン"


def kanji_to_int(s: str) -> int | None:
    """十二 → 12, 百二十三 → 123, 二〇 → 20 (digit-by-digit form); None if not a kanji numeral."""
    if not s:
        return None
    if all(c in KANJI_DIGITS for c in s):
        value = 0
        for c in s:
            value = value * 10 + KANJI_DIGITS[c]
        return value
    total = 0
    current = 0
    for c in s:
        if c in KANJI_DIGITS:
            current = KANJI_DIGITS[c]
        elif c in KANJI_UNITS:
            total += (current or 1) * KANJI_UNITS[c]
            current = 0
        else:
            return None
    return total + current


# A statute prints the same few hundred numerals thousands of times (一, 十四, 百二十三): each is
# read once per process.
@lru_cache(maxsize=4096)
def to_int(s: str) -> int | None:
    """'17', '１７', '十七', '①' → 17 …; None when `s` is not a numeral."""
    if s.isdigit() and s.isascii():
        return int(s)
    s = fold(s).strip()
    if not s:
        return None
    if s.isascii() and s.isdigit():
        return int(s)
    if len(s) == 1 and s in CIRCLED:
        return CIRCLED[s]
    return kanji_to_int(s)


def num_key(main: int, branches: tuple[int, ...] = ()) -> str:
    """(2, (2,)) → '2_2': the normalized `num` and id suffix of 第２条の２."""
    if not branches:
        return str(main)
    return "_".join(str(n) for n in (main, *branches))


def kana_ordinal(ch: str, order: str) -> int | None:
    """Ordinal of a kana marker in iroha or aiueo order (1-based)."""
    i = (IROHA if order == "iroha" else AIUEO).find(ch)
    return i + 1 if i >= 0 else None
