"""Statute names: where a text cites a law (個人情報の保護に関する法律第二十七条, 民法第548条の2).

Decides which words ending in 法 / 法律 / 令 / 規則 … are statute names, where the name begins
(short names: the kanji/katakana run before the tail; long names: back to punctuation, a clause
particle or the previous statute), which law numbers and brackets belong to the citation, and the
short forms 法第N条 / 同法第N条 that count only with a pointer after them.
"""
from __future__ import annotations

import re

from ..model import Fragment, Range
from .grammar import DEFINIENDUM_BEFORE, GAP, KANJI, KATAKANA, NUM, Found, looks_like_caption, parse_chain

# A law number in brackets after a name: （昭和６３年法律第１０８号）, （平成 11 年法律第 52 号）.
_LAW_NUMBER = re.compile(rf"[ \t\u3000]*[（(][^（）()]{{0,20}}?(?:法律|政令|省令|府令|規則|令|条例|告示){GAP}第{GAP}{NUM}{GAP}号[）)]")
# Candidate ends of statute names; the stem in front is checked separately.
_LAW_TAIL = re.compile(r"(?:法律|法)(?:施行令|施行規則)?|施行令|施行規則|省令|政令|府令|規則")
_NAME_CHAR = re.compile(rf"[{KANJI}{KATAKANA}A-Za-z0-9Ａ-Ｚａ-ｚ０-９・]")
_HIRAGANA = re.compile(r"[\u3041-\u309f]")
# Where a statute name cannot extend backwards.
_NAME_STOP = set("、。，,「」『』（）()［］[]【】〈〉《》:：;；!?！？\n・") - {"・"}
_LEADING_CONJ = re.compile(r"^(?:及び|および|並びに|ならびに|又は|または|若しくは|もしくは|その他の|その他|等の|や)")
# Clause particles and disjunctions end whatever precedes a long statute name.
_CLAUSE_STOP = re.compile(r"[はがもで]|又は|または|若しくは|もしくは|、及び|、並びに")
# Words ending in 法 that are not statute names.
_NOT_LAW = {"方法", "手法", "違法", "適法", "合法", "不法", "日本法", "準拠法", "国内法", "外国法", "司法", "立法",
            "用法", "製法", "文法", "技法", "工法", "寸法", "作法", "論法", "算法", "療法", "便法", "無法",
            "諸法", "諸規則", "本規則", "本法", "同法", "この法", "新法", "旧法", "当該法", "各法", "関係法",
            "関連法", "現行法", "実定法", "特別法", "一般法", "手続法", "実体法", "法律", "規則", "施行規則",
            "施行令", "省令", "政令", "府令", "各省令", "関係省令", "関係政令", "社内規則", "当社規則",
            "就業規則", "下記規則", "上記規則", "送信方法", "解決方法", "支払方法", "利用方法", "通知方法"}
_GENERIC_HO = {"方法", "手法", "違法", "適法", "合法", "不法", "用法", "製法", "文法", "技法", "工法", "寸法",
               "作法", "論法", "算法", "療法", "便法", "無法", "説法", "話法", "加法", "減法", "乗法", "除法",
               "筆法", "兵法", "戦法", "魔法", "拠法"}
_LAW_ONE_CHAR = {"民法", "刑法", "商法", "憲法"}
# 法 followed by these is another word: 法人, 法的, 法令, 法定 …
_NOT_AFTER_LAW = set("人的令定務廷規曹案則制学理")
_SAME_LAW = re.compile(r"同(法|令|規則)")
_BARE_LAW = re.compile(r"(?=[法令規])(?<![\u3005\u4e00-\u9fff\u30a1-\u30fa\u30fcA-Za-z0-9Ａ-Ｚａ-ｚ０-９])(法|令|規則)[ \t\u3000]*(?=第)")
_KANJI_CHAR = re.compile(rf"[{KANJI}]")
_LAW_NUMBER_BARE = re.compile(rf"{GAP}第{GAP}{NUM}{GAP}号")
_LAW_NUMBER_BEFORE = re.compile(r"(法律|政令|省令|府令|規則|令|条例|告示|年)$")
_LAW_NUMBER_LAST = frozenset("律令則例示年")
_BRACKET = re.compile(r"[ \t\u3000]*[（(][^（）()]{0,60}[）)]")
_ARTICLE_NEXT = re.compile(rf"{GAP}第")


def _law_start(folded: str, tail_start: int, floor: int, long_form: bool) -> int | None:
    """Where the statute name ending at `tail_start` begins, or None when there is no name.

    Short names (…法, …規則) are the kanji/katakana run before the tail. Long names (…に関する法律)
    may hold kana, so they run back to punctuation, a clause particle or the previous statute.
    """
    if not long_form:
        j = tail_start
        while j > floor and _NAME_CHAR.match(folded[j - 1]):
            j -= 1
        while j < tail_start and folded[j] in "等・":
            j += 1                           # 公知である等不正競争防止法: 等 closes the word before
        return j if j < tail_start else None
    i = tail_start
    while i > floor:
        ch = folded[i - 1]
        if ch in _NAME_STOP:
            break
        if ch in " \t\u3000":
            # A page-break space before kana sits inside a name; otherwise it separates words.
            if not _HIRAGANA.match(folded[i:i + 1] or "x"):
                break
        i -= 1
    stem = folded[i:tail_start]
    cut = None
    for m in _CLAUSE_STOP.finditer(stem):
        cut = m
    if cut is not None:
        i += cut.end()
        stem = folded[i:tail_start]
    m = _LEADING_CONJ.match(stem)
    while m and m.end() > 0:
        i += m.end()
        stem = folded[i:tail_start]
        m = _LEADING_CONJ.match(stem)
    i += len(stem) - len(stem.lstrip(" \t\u3000"))
    stem = folded[i:tail_start]
    if not stem or _HIRAGANA.match(stem[0]):
        return None
    # 児童買春、児童ポルノに係る…法律: a short kanji head before a comma belongs to the name.
    if i - 1 > floor and folded[i - 1] in "、," and _HIRAGANA.search(stem):
        j = i - 1
        while j > floor and _KANJI_CHAR.match(folded[j - 1]):
            j -= 1
        if 2 <= i - 1 - j <= 6 and (j == 0 or folded[j - 1] in "、「（(") and j >= floor:
            return j
    return i


def find_laws(folded: str) -> list[Found]:
    """Statutes cited by name (with optional law number and article chain) and 同法第N条."""
    found: list[Found] = []
    floor = 0
    for m in _LAW_TAIL.finditer(folded):
        if m.start() < floor:
            continue
        start = _name_start(folded, m, floor)
        if start is None:
            continue
        tail_end = m.end()
        ref_start, end = _printed_extent(folded, start, tail_end)
        chain = _chain_after(folded, end)
        ranges: list[Range] = []
        if chain:
            ranges, end = chain
            for r in ranges:
                r.start.insert(0, Fragment("law"))
        else:
            ranges = [Range([Fragment("law")])]      # the span keeps a law number: 消費税法（昭和…号）
        found.append(Found(ref_start, end, "external", ranges, law=folded[start:tail_end]))
        floor = end
    _add_pointed(folded, found, _BARE_LAW, lambda m: Fragment("law"), lambda m: m.group(1))
    _add_pointed(folded, found, _SAME_LAW, lambda m: Fragment("law", None, "same"), lambda m: None)
    return found


def _name_start(folded: str, m: re.Match, floor: int) -> int | None:
    """Where the statute name ending in the tail `m` begins, or None when the word is no statute."""
    tail_start, tail_end = m.start(), m.end()
    word = m.group()
    if word == "法" and tail_end < len(folded) and folded[tail_end] in _NOT_AFTER_LAW:
        return None
    if _LAW_NUMBER_BARE.match(folded, tail_end):
        return None                                       # 法律第１０８号, 郵政省令第３１号: a law number
    if word == "規則" and not _LAW_NUMBER.match(folded, tail_end):
        return None                                       # 規則 names only with a law number
    if word == "法" and folded[tail_start - 1:tail_end] in _GENERIC_HO:
        return None                                       # 算定方法, 電磁的方法: not statutes
    start = _law_start(folded, tail_start, floor, long_form=word.startswith("法律"))
    if start is None:
        return None
    name = folded[start:tail_end]
    if name.startswith(("同", "本", "この", "当", "諸", "各")) or name.strip() in _NOT_LAW:
        return None
    if len(name.strip()) < 3 and name.strip() not in _LAW_ONE_CHAR:
        return None
    if word == "法律" and start > 0 and folded[start - 1] in "年第":
        return None
    # The defining 「個人情報保護法」 of （以下「個人情報保護法」という） is a definition, not a citation.
    if start > 0 and folded[start - 1] == "「" and DEFINIENDUM_BEFORE.search(folded, max(0, start - 8), start - 1):
        return None
    return start


def _printed_extent(folded: str, start: int, tail_end: int) -> tuple[int, int]:
    """The reference's span around the name: quotes, then law numbers and brackets before a pointer."""
    end = tail_end
    ref_start = start
    if start > 0 and folded[start - 1] == "「" and end < len(folded) and folded[end] == "」":
        ref_start, end = start - 1, end + 1          # 「個人情報の保護に関する法律」
    while True:                                       # （昭和６３年法律第１０８号）（以下「法」…）
        nm = _LAW_NUMBER.match(folded, end)
        if nm:
            end = nm.end()
            continue
        bm = _BRACKET.match(folded, end)
        if bm and _ARTICLE_NEXT.match(folded, bm.end()) and not looks_like_caption(bm.group().strip(" \t（()）")):
            end = bm.end()
            continue
        break
    return ref_start, end


def _add_pointed(folded: str, found: list[Found], words: re.Pattern, law_fragment, law_name) -> None:
    """法第八条 / 同法第三条: a short law word counts only with a pointer after it and outside the
    statutes already found."""
    for m in words.finditer(folded):
        chain = _chain_after(folded, m.end())
        if chain and not any(f.start <= m.start() < f.end for f in found):
            ranges, end = chain
            for r in ranges:
                r.start.insert(0, law_fragment(m))
            found.append(Found(m.start(), end, "external", ranges, law=law_name(m)))


def _chain_after(folded: str, pos: int) -> tuple[list[Range], int] | None:
    """An article chain right after a statute name (電気通信事業法第８条第２項)."""
    p = pos
    while p < len(folded) and folded[p] in " \t\u3000":
        p += 1
    if not folded.startswith("第", p):
        return None
    chain = parse_chain(folded, p)
    if chain is None:
        return None
    ranges, _captions, end = chain
    return ranges, end


def is_law_number(folded: str, start: int) -> bool:
    """第１０８号 of 法律第１０８号 / 郵政省令第３１号 is a law number, not an item."""
    before = folded[max(0, start - 6):start].rstrip(" \t\u3000")
    return before[-1:] in _LAW_NUMBER_LAST and _LAW_NUMBER_BEFORE.search(before) is not None

