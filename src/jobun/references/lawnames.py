"""Statute names: where a text cites a law (個人情報の保護に関する法律第二十七条, 民法第548条の2).

Decides which words are statute names and where each begins, from these signals in this order:
1. a name this document defined (an alias: 公庫法, 令, 研開炉設置許可基準規則) or cited with its number;
2. a known title (titles: the e-Gov list of 2013), the longest one ending at the name's tail;
3. grammar: a tail (…法, …法律, …政令, …省令, …府令, …施行令, …施行規則, 日本国憲法; the weaker …令
   only with a law number after it or a title-like connector inside; …規則, …規程, …基準, which
   companies title so too, only with a law number or an issuer: …に関する原子力規制委員会規則; never
   after 当社 / 弊社 / 別途定める), in front of it the kanji/katakana run, extended over title
   connectors (に関する, を定める, に係る …); a long …法律 name runs back to punctuation, a clause
   particle or the previous statute.
A generic word (政令, 省令, 厚生労働省令, 法令, 規則 …) names no law. After the name: quotes, a bracket
with the law number and/or an alias definition （平成五年法律第九十一号。以下「法」という。）, then the
pointer chain. The short forms 法第N条 / 令第N条 / 同法第N条 / 同法施行令第N条 count only with a pointer.
"""
from __future__ import annotations

import re
from functools import lru_cache
from operator import attrgetter
from typing import NamedTuple

from ..model import Fragment, Range
from .grammar import (DEFINIENDUM_BEFORE, GAP, KANJI, KATAKANA, NUM, Found, bracket_close, continuation, inherit_ranges,
                      looks_like_caption, parse_chain)
from .titles import titles

# A bracket after a name holding its law number and/or an alias definition:
# （昭和６３年法律第１０８号）, （平成十年法律第百五号。以下「法」という。）, （以下「令」という。）.
_KINDS = r"(?:法律|政令|省令|府令|規則|令|条例|告示|勅令)"
_NUMBER_IN = rf"[^（）()「」。]{{0,24}}?{_KINDS}{GAP}第{GAP}{NUM}{GAP}号"
_ALIAS_IN = r"(?:以下|次[条項号]において|単に)[^「」（）()。]{0,30}?「([^「」]{1,30})」と(?:いう|いい|いいます|する|称する)。?"
_LAW_BRACKET = re.compile(
    rf"[ \t\u3000]*[（(](?:({_NUMBER_IN})(?:[。、]{GAP}{_ALIAS_IN})?|{_ALIAS_IN})[）)]")
_LAW_NUMBER_BARE = re.compile(rf"{GAP}第{GAP}{NUM}{GAP}号")
_LAW_NUMBER_FIRST = frozenset("第 \t\u3000")            # what _LAW_NUMBER_BARE can open with
# A tail followed by these is another word: 法人, 法的, 法令, 法定 …; 令和 (an era), 基準日.
_NOT_AFTER_TAIL = {"法": "人的令定務廷規曹案則制学理", "令": "和状", "基準": "日値額"}
# Candidate ends of statute names; the stem in front is checked separately.
_LAW_TAIL = re.compile(rf"法律(?:施行令|施行規則)?|法(?:施行令|施行規則)|法(?![{_NOT_AFTER_TAIL['法']}])|憲法|施行令"
                       rf"|施行規則|省令|政令|府令|令(?![{_NOT_AFTER_TAIL['令']}])|規則|規程|基準(?![{_NOT_AFTER_TAIL['基準']}])")
_ORDERS_OF = ("施行令", "施行規則")
_TITLE_VERBS = ("を定める", "に関する")          # …区分等を定める命令: a title after all
_NOT_A_NAME_START = ("同", "本", "この", "当", "諸", "各")
_POINTER_START = re.compile(rf"第{GAP}{NUM}{GAP}[条項号章節]")
_ENDS_IN_TAIL = re.compile(r"(?:法|令|規則|規程|基準)$")
_WEAK_TAILS = frozenset(("令", "規則", "規程", "基準"))
# Companies write …規則 / …規程 / …基準 too, titled like laws (会員情報の管理に関する規則): such a name
# is a law only with its law number, as a known title, or with the issuer of a real ordinance
# (…委員会規則, 人事院規則, …庁規程); 当社 / 弊社 / 別途定める before it names a private rule.
RULE_TAILS = ("規則", "規程", "基準")
_ISSUER = re.compile(r"(?:委員会|院|庁|裁判所)(?:規則|規程)$")
_PRIVATE_ISSUER_BEFORE = re.compile(r"(?:(?:当社|弊社)(?:が|の)?(?:別途|別に)?|(?:別途|別に))(?:定める|定めた)?$")
_ORDER_TAILS = frozenset(("政令", "省令", "府令", "規則"))
_GENERIC_HEADS = frozenset(("命令", "法令", "勅令", "訓令", "指令", "基準", "条例"))
_NAME_CHAR = re.compile(rf"[{KANJI}{KATAKANA}A-Za-z0-9Ａ-Ｚａ-ｚ０-９・]")
_KANJI_CHAR = re.compile(rf"[{KANJI}]")
_HIRAGANA = re.compile(r"[\u3041-\u309f]")
# Words inside long titles between name runs; の alone does not make a title (当該事業者の個人情報保護法).
_CONNECTORS = ("に関する", "を定める", "に係る", "のための", "に基づく", "に伴う", "における", "による",
               "に対する", "についての", "の", "及び", "および", "並びに", "ならびに")
_WEAK_CONNECTORS = frozenset(("の", "及び", "および", "並びに", "ならびに"))
# The connectors by their last character, in the order above: most runs follow no connector at all.
_CONNECTORS_ENDING = {c[-1]: tuple(x for x in _CONNECTORS if x.endswith(c[-1])) for c in _CONNECTORS}
# Where a long …法律 name cannot extend backwards.
_NAME_STOP = set("、。，,「」『』（）()［］[]【】〈〉《》:：;；!?！？\n")
_LEADING_CONJ = re.compile(r"^(?:及び|および|並びに|ならびに|又は|または|若しくは|もしくは|その他の|その他|等の|や)")
# Clause particles and disjunctions end whatever precedes a long statute name.
_CLAUSE_STOP = re.compile(r"[はがもで]|又は|または|若しくは|もしくは|、及び|、並びに")
# Words ending in a tail that name no particular law, one rule per kind (see _is_name): a word of
# two characters (法律, 規則, 司法, 政令 …) or after 本/この/同/当/各/諸; a common noun in 法 (_GENERIC_HO,
# by its last two characters, so 支払方法 and 暗号化手法 too); the law of a place (_PLACE_LAW); a
# generic order (_GENERIC_ORDER); and these classes of laws.
_LAW_CLASS = {"国内法", "関係法", "関連法", "現行法", "実定法", "実体法", "手続法", "特別法", "一般法", "関係政令"}
_GENERIC_ORDER = re.compile(
    r"(?:(?:内閣|厚生労働|国土交通|経済産業|文部科学|農林水産|財務|総務|法務|外務|環境|防衛|主務|関係|大蔵|通商産業"
    r"|運輸|建設|郵政|厚生|労働|自治|文部|農林|各)(?:省|府)(?:令)?[・、]?)+令|(?:人事院|[^\s]{1,6}委員会)規則")
_GENERIC_HO = {"方法", "手法", "違法", "適法", "合法", "不法", "用法", "製法", "文法", "技法", "工法", "寸法",
               "作法", "論法", "算法", "療法", "便法", "無法", "説法", "話法", "加法", "減法", "乗法", "除法",
               "筆法", "兵法", "戦法", "魔法", "拠法"}
# The law of a place, as governing-law clauses name it (日本法に準拠, 米国法, ニューヨーク州法): a country
# or state by its form (…国, …州, 日本) or, in a sentence about the governing law (準拠), a place name in
# katakana alone (シンガポール法; マイナンバー法 elsewhere is a statute's short name).
_PLACE_LAW = re.compile(r"(?:国|州|日本)法$")
_KATAKANA_LAW = re.compile(rf"[{KATAKANA}・]+法")
_LAW_ONE_CHAR = {"民法", "刑法", "商法", "憲法"}
_SAME_LAW = re.compile(r"同(法|令|規則)(施行令|施行規則)?")
# 法 / 令 / 規則 alone; 規則 after a title connector ends a longer name (…の管理に関する規則第2条).
# (Each word checks the character before it in a lookbehind after it: a pattern opening with a
# literal is searched for that literal in C.)
_WORD_CHAR = rf"[{KANJI}{KATAKANA}A-Za-z0-9Ａ-Ｚａ-ｚ０-９]"
_BARE_LAW = re.compile(rf"(法(?<!{_WORD_CHAR}法)|令(?<!{_WORD_CHAR}令)"
                       rf"|規則(?<!{_WORD_CHAR}規則)(?<!関する規則)(?<!係る規則)(?<!定める規則))[ \t\u3000]*(?=第)")
_LAW_NUMBER_BEFORE = re.compile(r"(法律|政令|省令|府令|規則|令|条例|告示|年)$")
_LAW_NUMBER_LAST = frozenset("律令則例示年")
_LAW_NUMBER_LAST_OR_SPACE = _LAW_NUMBER_LAST | frozenset(" \t\u3000")     # what may stand right before 第
_BRACKET = re.compile(r"[ \t\u3000]*[（(][^（）()]{0,60}[）)]")
_BRACKET_FIRST = frozenset(" \t\u3000（(")
_ARTICLE_NEXT = re.compile(rf"{GAP}第")
# The first fragment of a statute's pointer (a value, shared): the law, or the law named last (同法).
_LAW = Fragment("law")
_SAME_LAW_CITED = Fragment("law", None, "same")
_START = attrgetter("start")


def find_laws(folded: str, aliases: dict | None = None) -> list[Found]:
    """Statutes cited by name (with optional law number, alias definition and pointer chain),
    names this document defined, and 法第N条 / 同法第N条."""
    aliases = aliases or {}
    defined = _defined_names(tuple(aliases))
    found: list[Found] = []
    floor = hard = 0          # where the last name's citation ends; the last one with a pointer
    for m in _LAW_TAIL.finditer(folded):
        if m.start() < floor:
            continue
        start = _name_start(folded, m, (floor, hard), defined.by_last_character)
        if start is None:
            continue
        while found and found[-1].start >= start:
            found.pop()                                     # 健康保険法施行令等の臨時特例に関する政令: inside the name
        citation, floor = _citation(folded, start, m.end())
        if len(citation.ranges[0].start) > 1 or citation.number:
            hard = floor
        found.append(citation)
        if citation.alias:
            aliases = {**aliases, citation.alias: None}     # used later in this same text
            defined = _defined_names(tuple(aliases))
    if "第" not in folded:
        return found                                        # the short forms below need a pointer
    for alias, pointed in defined.untailed:
        _add_pointed(folded, found, pointed, _LAW, alias)
    _add_pointed(folded, found, _BARE_LAW, _LAW, None)
    if "同" in folded:
        _add_pointed(folded, found, _SAME_LAW, _SAME_LAW_CITED, None)
    found.sort(key=_START)
    return found


def _citation(folded: str, start: int, name_end: int) -> tuple[Found, int]:
    """The name at folded[start:name_end], its brackets and the pointer chain after them; and where
    the next name may start. Without a pointer the reference is the name alone (its number is read)."""
    ref_start, end, number, alias, alias_at, after_brackets = _printed_extent(folded, start, name_end)
    chain = _chain_after(folded, end)
    if chain:
        ranges, end = chain
        for r in ranges:
            r.start.insert(0, _LAW)
    else:
        ranges = [Range([_LAW])]
        end = name_end + (1 if ref_start < start else 0)   # 「個人情報の保護に関する法律」
    found = Found(ref_start, end, "external", ranges, law=folded[start:name_end], number=number, alias=alias,
                  alias_at=alias_at)
    return found, max(end, after_brackets)


class _DefinedNames(NamedTuple):
    """The names a document defined, as the readers look them up."""
    by_last_character: dict[str, tuple[str, ...]]   # two characters or more, in the order defined:
                                                    # only those can end where a tail ends
    untailed: tuple[tuple[str, re.Pattern], ...]     # 「特例」-like names the tails miss, and the
                                                    # pattern of the name before a pointer


@lru_cache(maxsize=64)
def _defined_names(aliases: tuple[str, ...]) -> _DefinedNames:
    by_last: dict[str, tuple[str, ...]] = {}
    for alias in aliases:
        if len(alias) > 1:
            by_last[alias[-1]] = by_last.get(alias[-1], ()) + (alias,)
    untailed = tuple((alias, re.compile(re.escape(alias) + rf"{GAP}(?=第)")) for alias in aliases
                     if not _ENDS_IN_TAIL.search(alias))
    return _DefinedNames(by_last, untailed)


def _name_start(folded: str, m: re.Match, floors: tuple[int, int], defined: dict[str, tuple[str, ...]]) -> int | None:
    """Where the statute name ending in the tail `m` begins, or None when the word is no statute.
    `floors`: the end of the previous name's citation, and of the previous one with a pointer or
    number (a longer title may hold a bare name: 健康保険法施行令等の臨時特例に関する政令);
    `defined`: the names the document defined, by their last character."""
    floor = floors[0]
    tail_start, tail_end = m.start(), m.end()
    word = m.group()
    names = defined.get(folded[tail_end - 1]) if defined else None
    if names:
        for alias in names:                               # the first one defined that ends here
            if tail_end - len(alias) >= floor and folded.startswith(alias, tail_end - len(alias)):
                return tail_end - len(alias)
    if folded.endswith("この", 0, tail_start):
        return None                                       # この法律, この省令: the text's own instrument
    word2 = folded[tail_start - 1:tail_end]
    if word2 in _GENERIC_HEADS and not folded.endswith(_TITLE_VERBS, 0, tail_start - 1):
        return None                                       # 法令, 命令 (checked first: they are frequent)
    if word2 in _GENERIC_HO and not _NAME_CHAR.match(folded[tail_start - 2:tail_start - 1] or "、"):
        return None                                       # の方法, 違法: no name can end here
    if word in _WEAK_TAILS and folded.startswith(_CONNECTORS, tail_end) or folded.startswith(_ORDERS_OF, tail_end):
        return None                                       # 技術基準を定める省令, 設置令施行令: the name goes on
    if folded[tail_end:tail_end + 1] in _LAW_NUMBER_FIRST and _LAW_NUMBER_BARE.match(folded, tail_end):
        return None                                       # 法律第１０８号, 郵政省令第３１号: a law number
    start = _known_or_grammar_start(folded, m, floors)
    if start is None or not _is_name(folded, start, m):
        return None
    return start


def _known_or_grammar_start(folded: str, m: re.Match, floors: tuple[int, int]) -> int | None:
    """A known title ending at the tail wins; else the grammar's start (weak tails need more)."""
    floor, hard = floors
    known = titles().ending_at(folded, m.end(), hard)
    if known is not None and not (known > 0 and folded[known - 1] in "同本当各諸"):
        return known
    word = m.group()
    if word == "法" and folded[m.start() - 1:m.end()] in _GENERIC_HO:
        return None                                       # 算定方法, 電磁的方法 (but 土地収用法 is known)
    if word.startswith("法律"):
        return _long_name_start(folded, m.start(), floor)
    start, titled = _short_name_start(folded, m, hard)
    if word in _WEAK_TAILS:
        bracket = _LAW_BRACKET.match(folded, m.end())
        if word in RULE_TAILS:
            if start is None or not (bracket and bracket.group(1) or titled and _ISSUER.search(folded, start, m.end())):
                return None                               # …に関する規則 without number or issuer: a company's
        elif not titled and not bracket:
            return None                                   # 令 alone: a word
    return start


def _is_name(folded: str, start: int, m: re.Match) -> bool:
    name = folded[start:m.end()].strip()
    if name.startswith(_NOT_A_NAME_START) or name in _LAW_CLASS or _GENERIC_ORDER.fullmatch(name):
        return False
    if name.endswith("法") and _is_place_law(folded, start, name):
        return False
    if name.endswith(RULE_TAILS) and _PRIVATE_ISSUER_BEFORE.search(folded, max(0, start - 12), start):
        return False                                      # 当社の供託規則: the company's own rule
    if _POINTER_START.match(name) or "この法律" in name or name.endswith("その他の法律"):
        return False                                      # 第八条第一項その他の法律: a phrase, not a title
    if len(name) < 3 and name not in _LAW_ONE_CHAR:
        return False
    if m.group().startswith("法律") and start > 0 and folded[start - 1] in "年第":
        return False
    # The defining 「個人情報保護法」 of （以下「個人情報保護法」という） is a definition, not a citation.
    return not (start > 0 and folded[start - 1] == "「"
                and DEFINIENDUM_BEFORE.search(folded, max(0, start - 8), start - 1))


def _is_place_law(folded: str, start: int, name: str) -> bool:
    if _PLACE_LAW.search(name):
        return True
    if not _KATAKANA_LAW.fullmatch(name):
        return False
    sentence_end = folded.find("。", start)
    return "準拠" in folded[folded.rfind("。", 0, start) + 1:sentence_end if sentence_end >= 0 else len(folded)]


def _short_name_start(folded: str, tail: re.Match, floor: int) -> tuple[int | None, bool]:
    """The kanji/katakana run before the tail, extended over title connectors (…に関する…を定める省令)
    when at least one of them is more than の / 及び; and whether it was so extended. An order's tail
    may follow a connector directly (…の基準を定める省令); a generic order after の stays generic
    (事業主等に係る令第二十条の厚生労働省令), and no extension crosses a pointer (第N条)."""
    tail_start = tail.start()
    start = _run_start(folded, tail_start, floor)
    head = folded[start:tail.end()]
    if head.startswith(_NOT_A_NAME_START) or head in _GENERIC_HEADS and not folded.endswith(_TITLE_VERBS, 0, start):
        return None, False                   # 公権力による命令, 各種の基準: a common noun
    if start == tail_start and tail.group() not in _ORDER_TAILS:
        return None, False
    generic = start == tail_start or head in _LAW_CLASS or _GENERIC_ORDER.fullmatch(head) is not None
    k, titled = start, False
    while True:
        conn = next((c for c in _CONNECTORS_ENDING.get(folded[k - 1:k], ())
                     if folded.startswith(c, k - len(c)) and k - len(c) > floor), None)
        if conn is None or (generic and not titled and conn in _WEAK_CONNECTORS):
            break
        run = _run_start(folded, k - len(conn), floor)
        if run == k - len(conn) or "第" in folded[run:k - len(conn)]:
            break
        k = run
        titled = titled or conn not in _WEAK_CONNECTORS
        if titled:
            start = k
    while start < tail_start and folded[start] in "等・":
        start += 1                           # 公知である等不正競争防止法: 等 closes the word before
    return (start if start < tail_start else None), titled


def _run_start(folded: str, end: int, floor: int) -> int:
    j = end
    while j > floor and _NAME_CHAR.match(folded[j - 1]):
        j -= 1
    return j


def _long_name_start(folded: str, tail_start: int, floor: int) -> int | None:
    """A …に関する法律 name may hold kana: it runs back to punctuation, a clause particle or the
    previous statute."""
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


def _printed_extent(folded: str, start: int, name_end: int) -> tuple[int, int, str | None, str | None, int, int]:
    """The citation's span around the name — quotes, then brackets holding a law number or an alias
    definition, or any bracket before a pointer — with the printed number, the alias defined, where
    it is printed, and the end of the brackets read (a definition without a pointer is read, not spanned)."""
    end = name_end
    ref_start = start
    number = alias = None
    alias_at = -1
    read_end = 0
    if start > 0 and folded[start - 1] == "「" and end < len(folded) and folded[end] == "」":
        ref_start, end = start - 1, end + 1          # 「個人情報の保護に関する法律」
    while folded[end:end + 1] in _BRACKET_FIRST:     # both patterns open so: most names have no bracket
        lb = _LAW_BRACKET.match(folded, end)
        if lb:
            number = number or lb.group(1)
            if alias is None and (lb.group(2) or lb.group(3)):
                group = 2 if lb.group(2) else 3
                alias, alias_at = lb.group(group), lb.start(group)
            if lb.group(1) is None and not _ARTICLE_NEXT.match(folded, lb.end()):
                read_end = lb.end()
                break                                # （以下「法」という。） only: a definition, no pointer
            end = lb.end()
            continue
        bm = _BRACKET.match(folded, end)
        if bm and _ARTICLE_NEXT.match(folded, bm.end()) and not looks_like_caption(bm.group().strip(" \t（()）")):
            end = bm.end()
            continue
        break
    return ref_start, end, number, alias, alias_at, max(end, read_end)


def _add_pointed(folded: str, found: list[Found], words: re.Pattern, law_fragment: Fragment,
                 name: str | None) -> None:
    """法第八条 / 同法第三条 / a defined name: a short law word counts only with a pointer after it
    and outside the statutes already found."""
    for m in words.finditer(folded):
        if _within(found, m.start()):
            continue
        chain = _chain_after(folded, m.end())
        if chain:
            ranges, end = chain
            for r in ranges:
                r.start.insert(0, law_fragment)
            found.append(Found(m.start(), end, "external", ranges, law=name or m.group().strip()))


def _within(found: list[Found], pos: int) -> bool:
    """Whether `pos` lies inside a citation already found (a loop: no generator per match)."""
    for f in found:
        if f.start <= pos < f.end:
            return True
    return False


def _chain_after(folded: str, pos: int) -> tuple[list[Range], int] | None:
    """An article chain right after a statute name (電気通信事業法第８条第２項), with the brackets
    after it and what is listed after them: 法第十条（第二号を除く。）又は第十二条 is the law's too."""
    p = pos
    while p < len(folded) and folded[p] in " \t\u3000":
        p += 1
    if not folded.startswith("第", p):
        return None
    chain = parse_chain(folded, p)
    if chain is None:
        return None
    ranges, _captions, end, _spans = chain
    while (close := bracket_close(folded, end)) is not None:
        nxt = continuation(folded, close)
        more = parse_chain(folded, nxt) if nxt is not None else None
        if more is None:
            return ranges, close
        ranges = ranges + inherit_ranges(ranges[-1].start, more[0])
        end = more[2]
    return ranges, end


def is_law_number(folded: str, start: int) -> bool:
    """第１０８号 of 法律第１０８号 / 郵政省令第３１号 is a law number, not an item."""
    if not folded.startswith("第", start) or folded[start - 1:start] not in _LAW_NUMBER_LAST_OR_SPACE:
        return False                      # 前項, 各号 …: no number at all; 第 after no kind of law
    before = folded[max(0, start - 6):start].rstrip(" \t\u3000")
    return (before[-1:] in _LAW_NUMBER_LAST and _LAW_NUMBER_BEFORE.search(before) is not None
            and _LAW_NUMBER_BARE.match(folded, start) is not None)     # この省令第一条 is an article
