"""Numerals and the normalized matching view shared by every stage.

`fold(s)` maps full-width ASCII and the ideographic space to their half-width forms one character
for one character, so offsets in the folded view are offsets in the original. (NFKC is not used: it
turns ① into 1 and would change lengths.)
"""
from __future__ import annotations

import re

_FOLD = {cp: cp - 0xFEE0 for cp in range(0xFF01, 0xFF5F)}
_FOLD[0x3000] = 0x20            # ideographic space
_FOLD[0x2212] = 0x2D            # minus sign
_FOLD[0x2010] = 0x2D
_FOLD[0x00A0] = 0x20


_FOLDABLE_RUN = re.compile("[\uff01-\uff5e\u3000\u2212\u2010\u00a0]+")


def _fold_run(m: re.Match) -> str:
    return m.group().translate(_FOLD)


def fold(s: str) -> str:
    """Full-width ASCII → ASCII, ideographic space → space; same length as `s`.

    On long text only runs of foldable characters go through str.translate (a dict lookup per
    character): about 4x faster on Japanese text. Short strings are translated directly."""
    if len(s) < 64:
        return s.translate(_FOLD)
    return _FOLDABLE_RUN.sub(_fold_run, s)


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
