"""Markers: the grammar of paragraph and item numbers at a line start (part of the classify stage).

A paragraph marker (２ / 2. / １． / 2項 / 3.2 under article 3 / 【1】 / ○２ / 第1項 …) or an item marker
((１) (1) 1) ① 一 イ ア a) i) ⅰ …) is read from the folded view of a line's beginning: its numbering
style (`family`), its value and where the text after it starts. A marker followed by what continues
a sentence ('(1)に定める…') is a reference, not a marker. Nothing here decides: the tree stage keeps
the reading that numbering continuity allows.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from ..text.numerals import AIUEO, CIRCLED, IROHA, NUM_CLASS, to_int

_N = NUM_CLASS
# 第1項 取得する情報: a numbered heading of a policy or guideline (a 第２項の… at a line start is a
# wrapped reference: the number must stand apart from its text).
_KOU_PARA = re.compile(rf"第\s*({_N})\s*項\s+(?=\S)")
# A number alone on its line is a marker too: PDFs often print a paragraph number apart from its text
_PARA = re.compile(r"(\d{1,3})(?:\.(?!\d)\s*|項\s+|\s+|$)")             # 2 / 2. / 2項 then the text
_DECIMAL_ITEM = re.compile(r"(\d{1,3})([.-])(\d{1,3})\2(\d{1,3})\.?\s+")
# 3.2 / 3.2. / 3-2. then a space: paragraph 2 of article 3 (contracts numbered in the English manner;
# Japanese guidelines print the same numbers with a hyphen).
_DECIMAL_PARA = re.compile(r"(\d{1,3})[.-](\d{1,3})\.?\s+")
# "2 年間", "3 ヶ月", "108 号）", "5 件以内" at a line start: a number wrapped from the line above,
# a counter and what a quantity goes on with (以内, 前, 目, a particle, a bracket, the line end).
# A counter kanji that starts a word ('２　年度について', '２　条件', '２　名前', '２　日本銀行は')
# leaves the number a marker: numbering continuity decides, as for any other.
_COUNTER_QUANTITY = re.compile(
    r"(?:(?:[年月日時分秒週]|[ヶケかカヵ箇]月)間?[前後末]?|営業日|[歳名人件個回度倍割円%]|[ヶケかカヵ箇][所国年条日回件])"
    r"(?:以上|以下|以内|以降|以前|未満|超|まで|程度|相当|ごと|毎|当た?り|目|分|[^\u4e00-\u9fff々]|$)"
    # '1 項', '108 号）', '2 条の', '1 項各号', '2 条第1項': a wrapped reference
    r"|[条項号](?:第|各[号項]|及び|又は|並びに|若しくは|乃至|前段|後段|本文|[^\u4e00-\u9fff々]|$)")
# 【1】基本的な考え方 / ［2］ / 〔3〕: a number in heavy brackets heads a section, as a paragraph marker does.
_BRACKETED_PARA = re.compile(r"[【\[〔]\s*(\d{1,3})\s*[】\]〕]\s*")
_PAREN_NUM = re.compile(r"\(\s*(\d{1,3})((?:\s*の\s*\d{1,3})*)\s*\)\s*")     # (７の２): a branch item
_HALF_PAREN_NUM = re.compile(r"(\d{1,3})\)\s*")
_CIRCLED = re.compile(r"([\u2460-\u2473\u3251-\u325f\u32b1-\u32bf])\s*")
# 一　… (statutes), 一、… and 一．… (older terms): a kanji numeral then a space, comma or period.
_KANJI_ITEM = re.compile(r"([一二三四五六七八九十]+)((?:の[一二三四五六七八九十]+)*)(?:\s+|[、.]\s*)")
_PAREN_KANJI = re.compile(r"\(\s*([一二三四五六七八九十]+)\s*\)\s*")
_KANA_ITEM = re.compile(r"([\u30a2-\u30f3])(?:\s+|\.\s*)")     # not 'ア、': a wrapped ミドルウェ|ア、
_PAREN_KANA = re.compile(r"\(\s*([\u30a2-\u30f3])\s*\)\s*")
_LATIN_ITEM = re.compile(r"\(?([a-z])\)\s*|([a-z])\.\s+")
_ROMAN_ITEM = re.compile(r"\(?\s*([ivx]{1,5})\s*\)\s*|([ivx]{1,5})\.\s+")      # (i) / i) / i.
_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "v": 5, "vi": 6, "vii": 7, "viii": 8, "ix": 9, "x": 10,
          "xi": 11, "xii": 12, "xiii": 13, "xiv": 14, "xv": 15}
# Roman numerals printed as one character: ⅰ ⅱ ⅲ … (small) and Ⅰ Ⅱ Ⅲ … (capital), 1 to 12
_ROMAN_CHAR = {chr(0x2170 + k): ("roman-small", k + 1) for k in range(12)}
_ROMAN_CHAR.update({chr(0x2160 + k): ("roman-capital", k + 1) for k in range(12)})
_ROMAN_CHAR_ITEM = re.compile(r".[.)]?\s*")
_KANJI_ITEM_FIRST = frozenset("一二三四五六七八九十")
_BRANCH_SEPARATOR = re.compile(r"\s*の\s*")
# What may follow a number (第N条, (1), 第２項 …) when it is a reference inside a sentence rather than
# a heading or a marker.
REFERENCE_TAIL = re.compile(
    r"(?:の(?![0-9一二三四五六七八九十])|に|を|が|は|で|と|へ|や|も|より|から|まで|及び|および|並びに|ならびに"
    r"|又は|または|若しくは|もしくは|乃至|ないし|[～〜~―—、,・)]|各号|各項|前段|後段|本文|ただし書|但書|所定|規定"
    r"|記載|定め|において|にて|等)")


@dataclass(slots=True)
class Marker:
    """A paragraph or item marker: `family` tells the numbering style, `num` its value."""
    family: str
    num: int
    label: str
    body_col: int
    branches: tuple[int, ...] = ()
    within: int | None = None       # decimal numbers: 3.2 is paragraph 2 of article 3 (within=3)


def branches(s: str) -> tuple[int, ...]:
    """'の二の三' (as a pattern's branch group holds it) → (2, 3)."""
    if not s:
        return ()
    return tuple(to_int(p) or 0 for p in _BRANCH_SEPARATOR.split(s.strip())[1:])


def read_paragraph(norm: str, body: str, off: int) -> Marker | None:
    """２ / 2. / 2項 / 3.2 at the start of a line that starts with a digit."""
    m = _PARA.match(norm)
    if not m:
        return _decimal_paragraph(norm, body, off)
    end = m.end()
    if "." not in m.group(0) and _COUNTER_QUANTITY.match(norm, end):
        return None
    return Marker("para", int(m.group(1)), body[:end].rstrip(), off + end)


def read_kou_paragraph(norm: str, body: str, off: int) -> Marker | None:
    m = _KOU_PARA.match(norm)
    if not m or REFERENCE_TAIL.match(norm, m.end()):
        return None
    return Marker("para", to_int(m.group(1)) or 0, body[:m.end()].rstrip(), off + m.end())


def read_marked_paragraph(norm: str, body: str, off: int) -> Marker | None:
    """○２　…: older statutes mark each paragraph after the first with a circle before its number."""
    m = _PARA.match(norm, 1)
    if not m or m.end() == len(norm) or "." in m.group(0):
        return None
    return Marker("para", int(m.group(1)), body[:m.end()].rstrip(), off + m.end())


def read_bracketed_paragraph(norm: str, body: str, off: int) -> Marker | None:
    """【1】 / ［2］ / 〔3〕 then the text."""
    m = _BRACKETED_PARA.match(norm)
    return Marker("para", int(m.group(1)), body[:m.end()].rstrip(), off + m.end()) if m else None


def leading_number(norm: str, pos: int = 0) -> tuple[int, int] | None:
    """The paragraph-style number ('2.' / '2 ') that `norm` has at `pos`: (value, end), else None."""
    if not norm[pos:pos + 1].isdigit():
        return None
    m = _PARA.match(norm, pos)
    return (int(m.group(1)), m.end()) if m else None


def _decimal_paragraph(norm: str, body: str, off: int, family: str = "para") -> Marker | None:
    m = _DECIMAL_PARA.match(norm)
    if not m or int(m.group(2)) == 0 or _COUNTER_QUANTITY.match(norm, m.end()):
        return None                     # 1.5 倍, 14.6 %: a wrapped number
    return Marker(family, int(m.group(2)), body[:m.end()].rstrip(), off + m.end(), within=int(m.group(1)))


def not_references(markers: list[Marker], norm: str, off: int) -> tuple[Marker, ...]:
    """The item markers a reader found, but for those glued to what continues a sentence
    ('(1)に定める…' is a reference)."""
    if not markers:
        return ()
    if len(markers) == 1:               # most lines: one reading, no list to build
        at = markers[0].body_col - off
        return (markers[0],) if norm[at - 1].isspace() or not REFERENCE_TAIL.match(norm, at) else ()
    return tuple([m for m in markers
                  if norm[m.body_col - off - 1].isspace() or not REFERENCE_TAIL.match(norm, m.body_col - off)])


def paren_markers(norm: str, body: str, off: int, inner: str) -> list[Marker]:
    """(1) (７の２) (一) (イ) (a) (iv): a number in round brackets; `inner` is the first character
    inside the bracket (norm[1:].lstrip()[:1])."""
    # Each pattern only where the first character inside the bracket can start its number.
    if inner.isdigit():
        m = _PAREN_NUM.match(norm)
        if m is None:
            return []
        end = m.end()
        number, branched = m.groups()
        return [Marker("paren-num", int(number), body[:end].rstrip(), off + end,
                       branches(branched) if branched else ())]
    if inner in _KANJI_ITEM_FIRST:
        m = _PAREN_KANJI.match(norm)
        return [Marker("paren-kanji", to_int(m.group(1)) or 0, body[:m.end()].rstrip(), off + m.end())] if m else []
    if "\u30a2" <= inner <= "\u30f3":
        m = _PAREN_KANA.match(norm)
        return _kana_markers(m, "paren-", body, off) if m else []
    if "a" <= inner <= "z":
        return _latin_markers(norm, body, off)
    return []


def number_markers(norm: str, body: str, off: int, para: Marker | None) -> list[Marker]:
    """1) / 2. / 2 / 1.2.3 / 1.1: an item numbered in digits. `para` is the line's reading as a
    paragraph (read_paragraph): '2.' and '2 ' number an item alike."""
    out = []
    m = _HALF_PAREN_NUM.match(norm) if ")" in norm[1:4] else None
    if m:
        out.append(Marker("num-paren", int(m.group(1)), body[:m.end()].rstrip(), off + m.end()))
    if para is not None and para.within is None:
        end = para.body_col - off
        dotted = "." in norm[:end]
        if dotted or end < len(norm):   # a bare number: a paragraph number or a page number, never an item
            out.append(Marker("num-dot" if dotted else "num-space", para.num, para.label, para.body_col))
    if out:
        return out
    m = _DECIMAL_ITEM.match(norm)
    if m:                               # 1.2.3: item 3 of paragraph 2 of article 1
        return [Marker("decimal-item", int(m.group(4)), body[:m.end()].rstrip(), off + m.end(), within=int(m.group(3)))]
    decimal = _decimal_paragraph(norm, body, off, "decimal")
    return [decimal] if decimal is not None else out     # 1.1 under a paragraph numbered 1 (no article 1 above)


def _circled_marker(norm: str, body: str, off: int) -> list[Marker]:
    return [Marker("circled", CIRCLED[norm[0]], norm[0], off + _CIRCLED.match(norm).end())]


def _roman_char_marker(norm: str, body: str, off: int) -> list[Marker]:
    family, value = _ROMAN_CHAR[norm[0]]
    end = _ROMAN_CHAR_ITEM.match(norm).end()
    return [Marker(family, value, body[:end].rstrip(), off + end)]


def _kanji_marker(norm: str, body: str, off: int) -> list[Marker]:
    m = _KANJI_ITEM.match(norm)
    return [Marker("kanji", to_int(m.group(1)) or 0, body[:m.end()].rstrip(), off + m.end(), branches(m.group(2)))] if m else []


def _kana_item(norm: str, body: str, off: int) -> list[Marker]:
    m = _KANA_ITEM.match(norm)
    return _kana_markers(m, "", body, off) if m else []


def _kana_markers(m: re.Match, prefix: str, body: str, off: int) -> list[Marker]:
    """イ is first in iroha order and second in aiueo order: both readings, continuity decides."""
    ch, end = m.group(1), m.end()
    label = body[:end].rstrip()
    i, k = IROHA.find(ch), AIUEO.find(ch)           # a loop or comprehension over both: slower
    out = [Marker(prefix + "iroha", i + 1, label, off + end)] if i >= 0 else []
    if k >= 0:
        out.append(Marker(prefix + "aiueo", k + 1, label, off + end))
    return out


def _latin_markers(norm: str, body: str, off: int) -> list[Marker]:
    out = []
    m = _LATIN_ITEM.match(norm)
    if m:
        out.append(Marker("latin", ord(m.group(1) or m.group(2)) - 96, body[:m.end()].rstrip(), off + m.end()))
    m = _ROMAN_ITEM.match(norm)
    if m and (m.group(1) or m.group(2)) in _ROMAN:
        out.append(Marker("roman", _ROMAN[m.group(1) or m.group(2)], body[:m.end()].rstrip(), off + m.end()))
    return out


# The item reader for each character an item marker of the other families starts with: circled
# numbers, roman numeral characters, kanji numerals, katakana and latin letters ('(' and digits have
# paren_markers and number_markers, which classify reads together with their other rules).
ITEM_READERS = {**dict.fromkeys(CIRCLED, _circled_marker), **dict.fromkeys(_ROMAN_CHAR, _roman_char_marker),
                **dict.fromkeys(_KANJI_ITEM_FIRST, _kanji_marker),
                **dict.fromkeys(map(chr, range(0x30A2, 0x30F4)), _kana_item),
                **dict.fromkeys("abcdefghijklmnopqrstuvwxyz", _latin_markers)}
