"""Law numbers (法令番号) and the e-Gov law ids that follow from them.

Decides the normalized form of a printed number — 平成十五年五月三十日法律第五十七号, （平成15年法律第57号）
→ 平成15年法律第57号 (promulgation day dropped, Arabic digits) — and, for the kinds whose e-Gov id
needs no ministry code, the id: era digit (明治 1 … 令和 5), two-digit year, kind (法律 AC, 政令 CO,
勅令 IO), ten-digit number: 平成5年法律第88号 → 405AC0000000088. 元年 stays 元年 in the number and is year 01 in the id; 日本国憲法 is 321CONSTITUTION.
"""
from __future__ import annotations

import re
from functools import lru_cache

from ..text.numerals import to_int

_NUM = r"[0-9０-９〇零一二三四五六七八九十百千]+"
_SPACE = r"[ \t\u3000]*"
NUMBER = re.compile(
    rf"(明治|大正|昭和|平成|令和){_SPACE}({_NUM}|元){_SPACE}年{_SPACE}(?:{_NUM}{_SPACE}月{_SPACE}{_NUM}{_SPACE}日{_SPACE})?"
    rf"([^\s第（）()。、]{{1,12}}?){_SPACE}(?:第{_SPACE}({_NUM}){_SPACE}号)?(?![^\s（）()。、])")
_ERA_DIGIT = {"明治": 1, "大正": 2, "昭和": 3, "平成": 4, "令和": 5}
_KIND_CODE = {"法律": "AC", "政令": "CO", "勅令": "IO"}
_NORMALIZED = re.compile(r"(明治|大正|昭和|平成|令和)(\d+|元)年(法律|政令|勅令)第(\d+)号")


@lru_cache(maxsize=1024)
def normalize(printed: str | None) -> str | None:
    """平成十五年五月三十日法律第五十七号 → 平成15年法律第57号; None when `printed` holds no law number."""
    m = NUMBER.search(printed or "")
    if m is None:
        return None
    era, year, kind, number = m.groups()
    year_n = "元" if year == "元" else to_int(year)
    if year_n is None:
        return None
    if number is None:
        return f"{era}{year_n}年{kind}"                    # 昭和二十一年十一月三日憲法: no serial number
    return f"{era}{year_n}年{kind}第{to_int(number)}号"


def law_id(number: str | None) -> str | None:
    """The e-Gov law id of a normalized number, for 法律 / 政令 / 勅令 (others need a ministry code)."""
    if number == "昭和21年憲法":
        return "321CONSTITUTION"                            # 日本国憲法, the one law without a serial
    m = _NORMALIZED.fullmatch(number or "")
    if m is None:
        return None
    era, year, kind, serial = m.groups()
    year_n = 1 if year == "元" else int(year)
    return f"{_ERA_DIGIT[era]}{year_n:02d}{_KIND_CODE[kind]}{int(serial):010d}"
