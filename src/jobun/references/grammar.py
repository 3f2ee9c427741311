"""Reference grammar: the pointer chains of Japanese legal text, read left to right.

Decides where a chain starts (第N条, 前項, 同条, 各号, 別表, 附則第…) and what it says: listed elements
(、 及び 又は …), ranges (乃至, から…まで), descending parts (第４章第１８条（caption）第２項第３号各号)
and e-Gov sub-items (イ, ロ …), normalized into model.Range of model.Fragment. Signals: the unit
characters 編章節款目条項号, the number forms (half-, full-width, kanji, branch の二), relative words
(前 次 本 同 この) and the connectors. The grammar accepts both widths, so it runs on the printed
text itself and spans need no mapping. (Folding every node text with numerals.fold cost more than
the whole grammar; numbers are still normalized with numerals.to_int.)

Relative fragments use `count`: 前項 → prev/1, 前２項 → prev/2, 前各項 → prev/None (every preceding
sibling); 各号 is item/"each" (the paragraph that holds them).
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache

from ..model import Fragment, Range
from ..structure.classify import APPENDIX_WORDS
from ..text.brackets import matching_close
from ..text.numerals import num_key, to_int, kana_ordinal

SPACES = " \t\u3000"                                   # the stray spaces GAP steps over
GAP = f"[{SPACES}]*"                                     # stray spaces as in 第 8 条第 2項
NUM = r"(?:[0-9０-９]+|[〇零一二三四五六七八九十百千壱弐参]+)"   # half-, full-width, kanji
# A branch number (第２条の２) must end where a reference can end, so 第５条の一部 is not 5_1.
_BRANCH = rf"(?:{GAP}の{GAP}{NUM}(?=[第及並又若乃各項号条節章中、。，,）)（(「をにはがのとでもまやへ～〜~ \t]|から|まで|$))"
_UNIT_LEVEL = {"編": "part", "章": "chapter", "節": "section", "款": "subsection", "目": "division",
               "条": "article", "項": "paragraph", "号": "item"}
# Words that start with a unit character but are not references: 条件, 条約, 項目, 号機 …
_NOT_AFTER_UNIT = {"条": "件約例理文", "項": "目", "号": "機館室車", "章": "程", "節": "約電度",
                   "目": "的次標録安", "編": "集成入", "款": ""}


def _unit(units: str) -> str:
    """A unit character that is not the start of another word (条 but not 条件)."""
    return "(" + "|".join(f"{u}(?![{_NOT_AFTER_UNIT[u]}])" if _NOT_AFTER_UNIT[u] else u for u in units) + ")"


# One step of a chain, in one match: 第N条 with its branches (第２条の２, 第三号の二), or a relative
# part (前項, 前２項, 前各号, 同条, この条). Groups: number, unit, branches | word, count, unit.
_PART = re.compile(rf"第{GAP}({NUM}){GAP}{_unit('編章節款目条項号')}((?:{_BRANCH})*)"
                   rf"|(前|次|本|同|この|当該)(?:{GAP}({NUM}|各))?{GAP}{_unit('条項号')}")
_UNMARKED_PART = re.compile(rf"({NUM}){GAP}{_unit('項号')}")
_NUMERAL_CHARS = frozenset("0123456789０１２３４５６７８９〇零一二三四五六七八九十百千壱弐参")
_KANA = "イロハニホヘトチリヌルヲワカヨタレソツネナラム"
_KANA_SUBITEM = re.compile(rf"[{_KANA}](?![ァ-ヴー])")
_CAPTION = re.compile(r"[ \t\u3000]*[（(]([^（）()。「」\n]{1,60})[）)][ \t\u3000]*")
_RELATIVE = {"前": "prev", "次": "next", "本": "this", "この": "this", "当該": "same", "同": "same"}
_PART_FIRST = frozenset("第前次本同こ当")          # what _PART can start with: the others are not tried
_EACH_LEAD = re.compile(r"(?:次の|以下の|次に掲げる|以下に掲げる|下記の|左の|左に掲げる)?各号")
_EACH_SUFFIX = re.compile(rf"{GAP}各{GAP}([項号])")
_APPENDIX = re.compile(rf"({APPENDIX_WORDS})(?:{GAP}第?{GAP}({NUM}|[0-9]+))?(?:{GAP}[（(]([^（）()]{{1,30}})[）)])?")
_SUPPL = re.compile(rf"(?:附則|付則){GAP}(?=第)")
# Connectors between listed references and range words (half- and full-width).
_LIST_SEP = re.compile(r"[ \t\u3000]*(、|,|，|及び|および|並びに|ならびに|又は|または|若しくは|もしくは|と)[ \t\u3000]*")
_RANGE_SEP = re.compile(r"[ \t\u3000]*(乃至|ないし|から|～|〜|~)[ \t\u3000]*")
_RANGE_END = re.compile(r"[ \t\u3000]*まで")
# The characters each of these can begin with (spaces included): the others are not tried.
_SPACES = SPACES
_EACH_FIRST = frozenset(_SPACES + "各")
_CAPTION_FIRST = frozenset(_SPACES + "（(")
_RANGE_FIRST = frozenset(_SPACES + "乃なか～〜~")
_LIST_FIRST = frozenset(_SPACES + "、,，及おび並な又ま若もと")


def _absolute_step(unit: str) -> str:
    """第N条 / 第N項 / 第N号 with its branches, as _PART reads it, held once matched (atomic)."""
    not_after = f"(?![{_NOT_AFTER_UNIT[unit]}])" if _NOT_AFTER_UNIT[unit] else ""
    return rf"(?>第{GAP}({NUM}){GAP}{unit}{not_after}((?:{_BRANCH})*))"


# Most elements are a relative or absolute step, then absolute ones (前条第二項, 第二条の二第一項第三号),
# followed by a character at which _descend does not go on: not a space, a step, a numeral, a
# sub-item, a bracket or 各. One match reads those (groups: word, count, unit of the relative step;
# number and branches of 条, 項, 号); any other element takes _descend. Most chains are one such
# element with no separator after it (_SEPARATOR_FIRST): one match reads the whole chain. The steps
# are held as read (atomic): any fewer of them would end before a step, where _descend goes on, so
# when the character after them fails, the match fails at once (a caption, 各号) without retrying.
_ELEMENT_GOES_ON = "".join(sorted(set(_SPACES) | _PART_FIRST | _NUMERAL_CHARS | set(_KANA) | set("（(各")))
_SIMPLE_ELEMENT = re.compile(rf"(?>(?:(?>(前|次|本|同|この|当該)(?:{GAP}({NUM}|各))?{GAP}{_unit('条項号')})"
                             rf"|{_absolute_step('条')})?{_absolute_step('項')}?{_absolute_step('号')}?)"
                             rf"(?![{re.escape(_ELEMENT_GOES_ON)}])")
_SEPARATOR_FIRST = _RANGE_FIRST | _LIST_FIRST
_UNITS_BELOW = {"条": "項号", "項": "号", "号": ""}
# Where a reference chain may begin (with lookaheads, so that common words such as 本サービス or
# 次の場合 are rejected by one regex search instead of a failed parse). Every alternative opens with
# a literal, so a search scans for those characters in C and tries the alternatives only there.
_RELATIVE_AHEAD = rf"(?={GAP}(?:{NUM}|各)?{GAP}[条項号])"
CHAIN_START = re.compile(
    rf"第(?={GAP}{NUM}{GAP}[編章節款目条項号])"
    rf"|前{_RELATIVE_AHEAD}|次{_RELATIVE_AHEAD}|本{_RELATIVE_AHEAD}|同{_RELATIVE_AHEAD}|この{_RELATIVE_AHEAD}"
    r"|次の各号|次に掲げる各号|以下の各号|以下に掲げる各号|下記の各号|左の各号|左に掲げる各号|各号"
    rf"|{APPENDIX_WORDS}"
    rf"|附則(?={GAP}第)|付則(?={GAP}第)")


# The word that ends the name of a private instrument: 会員規約, 個人情報保護方針, 〇〇ガイドライン.
INSTRUMENT_WORDS = ("規約", "約款", "規則", "規程", "規定", "方針", "ポリシー", "ガイドライン", "細則", "特約", "条件",
                    "要項", "要綱", "基準")
INSTRUMENT_WORD = "(?:" + "|".join(INSTRUMENT_WORDS) + ")"

_LEVELS = ("part", "chapter", "section", "subsection", "division", "article", "paragraph", "item", "subitem")
_LEVEL_RANK = {k: i for i, k in enumerate(_LEVELS)}
_NUM_RE = re.compile(NUM)
_REF_HEAD = re.compile(rf"第{GAP}{NUM}{GAP}[条項号]")

# Character classes shared by the name readers (statutes, other documents).
KANJI = r"\u3005\u4e00-\u9fff"
KATAKANA = r"\u30a1-\u30fa\u30fc"
# Document self-names in front of a chain (本約款第８条, 本ポリシー第2条, この利用規約第3条): which
# instrument the chain points into (the words after 本 / この / 当, matched against the titles).
SELF_PREFIX = re.compile(rf"(?:(?<![{KANJI}{KATAKANA}])(?:本|当(?!社))|この)([{KANJI}{KATAKANA}・]{{0,20}}?(?:{INSTRUMENT_WORD}|契約|法律|政令|省令)等?)[ \t\u3000]*$")
# The quotation that a definition bracket opens (（以下「法」という。）): a definiendum, not a citation.
DEFINIENDUM_BEFORE = re.compile(r"以下[^「」]{0,4}$")
_WS = re.compile(r"\s+")


@dataclass(slots=True)
class _Element:
    """One listed item of a reference chain: its fragments, caption and end offset."""
    frags: list[Fragment]
    caption: str | None = None
    end: int = 0


@dataclass(slots=True)
class Found:
    """One reference found in a text; internal ones are resolved later."""
    start: int
    end: int
    kind: str                       # internal (to be resolved) | external | document
    ranges: list[Range] = field(default_factory=list)
    law: str | None = None
    caption: str | None = None
    scope: str | None = None        # a self-name prefix such as 約款 (本約款第８条)
    captions: list = field(default_factory=list)   # per range: the bracketed caption or None
    number: str | None = None       # statutes: the law number printed in brackets after the name
    alias: str | None = None        # statutes: the name that bracket defines （以下「法」という。）
    alias_at: int = -1              # where that name is printed


@lru_cache(maxsize=4096)
def _num(printed: str, branches: str = "") -> str | None:
    """The normalized number of 十八 / １８ / 18 with its branches (の二): few distinct ones recur."""
    main = to_int(printed)
    if main is None:
        return None
    extra = tuple(to_int(b) or 0 for b in _NUM_RE.findall(branches)) if branches else ()
    return num_key(main, extra)


def _parse_part(folded: str, pos: int) -> tuple[Fragment, int, str | None] | None:
    """One step of a chain at `pos`: 第N条 / 前項 / 同条 / 前２項 … → (fragment, end, unit)."""
    m = _PART.match(folded, pos)
    if m is None:
        return None
    part = _part(m.groups())
    return None if part is None else (part[0], m.end(), part[1])


@lru_cache(maxsize=4096)
def _part(groups: tuple[str | None, ...]) -> tuple[Fragment, str] | None:
    """The fragment and unit of one printed step (_PART's groups). Few distinct steps recur, so
    they are read once and their fragments shared: fragments are values, never changed."""
    number, unit, branches, word, count, relative_unit = groups
    if unit is not None:
        return Fragment(_UNIT_LEVEL[unit], _num(number, branches)), unit
    relative = _RELATIVE[word]
    if word == "当該":
        return None                          # 当該条項 and the like are not references
    kind = _UNIT_LEVEL[relative_unit]
    if count == "各":
        if relative != "prev":
            return None
        return Fragment(kind, None, "prev", None), relative_unit
    if count is not None:
        if relative not in ("prev", "next"):
            return None
        return Fragment(kind, None, relative, to_int(count)), relative_unit
    return Fragment(kind, None, relative, 1 if relative in ("prev", "next") else None), relative_unit


def _parse_element(folded: str, pos: int) -> _Element | None:
    """A listed element: 各号, an appendix (別表第二), or a descending run of parts after an optional
    附則: 第４章 第１８条（caption）第２項第３号各号."""
    frags: list[Fragment] = []
    first = folded[pos:pos + 1]
    # Dispatch on the first character: most chains start with 第, 前, 本 and need none of these.
    if first in "次以下左各":
        m = _EACH_LEAD.match(folded, pos)
        if m:
            return _Element([Fragment("item", None, "each")], None, m.end())
    elif first in "別様付附":
        m = _APPENDIX.match(folded, pos)
        if m:
            word, number, caption = m.groups()
            if word == "様式" and not (number or caption) and folded[pos - 1:pos] == "の":
                return None                  # 所定の様式, 申込書の様式: the common noun
            return _Element([Fragment("appendix", _num(number) if number else None)], caption, m.end())
        m = _SUPPL.match(folded, pos) if first in "附付" else None
        if m:
            frags.append(Fragment("supplementary"))
            pos = m.end()
    caption, end = _descend(folded, pos, frags)
    if not frags or (len(frags) == 1 and frags[0].kind == "supplementary"):
        return None
    return _Element(frags, caption, end)


def _descend(folded: str, pos: int, frags: list[Fragment]) -> tuple[str | None, int]:
    """The parts from `pos` on, each below the one before, appended to `frags`; the caption printed
    after the article and where the element ends."""
    caption = None
    end = pos
    while True:
        if frags:
            while pos < len(folded) and folded[pos] in " \t\u3000":
                pos += 1                     # 第１９条 第２項
        step = _parse_part(folded, pos) if folded[pos:pos + 1] in _PART_FIRST else None
        if step is None and frags and folded[pos:pos + 1] in _NUMERAL_CHARS and frags[-1].kind in ("article", "paragraph"):
            step = _unmarked_part(folded, pos)        # 第5条2項, 第３条第１項２号: 第 left out
        if step is None:
            # e-Gov sub-items: 第二号イ
            if frags and frags[-1].kind in ("item", "subitem"):
                k = _KANA_SUBITEM.match(folded, pos)
                if k:
                    frags.append(Fragment("subitem", str(kana_ordinal(k.group(), "iroha"))))
                    pos = end = k.end()
                    continue
            return caption, end
        frag, step_end, unit = step
        if frags and _LEVEL_RANK.get(frag.kind, 0) <= _LEVEL_RANK.get(frags[-1].kind, 0):
            return caption, end              # 第１８条 （違約金）第４章: a new element starts
        if frags and frag.relative not in (None,) and frag.relative != "this":
            return caption, end              # 第１条前項 is not one chain
        frags.append(frag)
        pos = end = step_end
        if frag.kind == "article" and folded[pos:pos + 1] in _CAPTION_FIRST:
            c = _CAPTION.match(folded, pos)
            if c and looks_like_caption(c.group(1)):
                caption = c.group(1)
                pos = c.end()
                end = c.end() - (len(c.group(0)) - len(c.group(0).rstrip(" \t\u3000")))
        each = _EACH_SUFFIX.match(folded, pos) if folded[pos:pos + 1] in _EACH_FIRST else None
        # 第１項各号 / 前項各号 (not 前各項各号): the each-suffix closes the element.
        if each and not (frag.relative == "prev" and frag.count != 1):
            unit_kind = _UNIT_LEVEL[each.group(1)]
            if _LEVEL_RANK[unit_kind] > _LEVEL_RANK[frag.kind]:
                frags.append(Fragment(unit_kind, None, "each"))
                return caption, each.end()


def _unmarked_part(folded: str, pos: int) -> tuple[Fragment, int, str] | None:
    """A paragraph or item number printed without 第 inside a chain (第5条2項)."""
    m = _UNMARKED_PART.match(folded, pos)
    if m is None:
        return None
    return Fragment(_UNIT_LEVEL[m.group(2)], _num(m.group(1))), m.end(), m.group(2)


def _kana_subitem(folded: str, pos: int) -> _Element | None:
    """A bare イ / ロ … listed after a sub-item; the chain gives it its article, paragraph and item."""
    k = _KANA_SUBITEM.match(folded, pos)
    if k is None:
        return None
    return _Element([Fragment("subitem", str(kana_ordinal(k.group(), "iroha")))], None, k.end())


def looks_like_caption(inner: str) -> bool:
    """（提供停止） is a caption; （以下「X」という。）, （第２項を除く） are not."""
    s = inner.strip()
    if not s or s.startswith(("以下", "昭和", "平成", "令和", "大正", "明治", "注")) or "除く" in s or "において" in s:
        return False
    return not _REF_HEAD.match(s)


def inherit(prev: list[Fragment], frags: list[Fragment]) -> list[Fragment]:
    """第１５条第２項及び第３項: the second element takes 第１５条 from the first; 附則第二条から第六条
    まで: the range end stays in the 附則 (an absolute article takes its 附則 prefix along)."""
    head = _LEVEL_RANK.get(frags[0].kind)
    if head is None or frags[0].kind == "appendix":
        return frags
    if frags[0].relative == "each":
        return frags
    suppl = [f for f in prev[:1] if f.kind == "supplementary"]
    higher = [f for f in prev if _LEVEL_RANK.get(f.kind, 99) < head and f.relative != "each"]
    if not higher or frags[0].relative is not None:
        return suppl + frags if suppl and frags[0].relative is None else frags
    return suppl + higher + frags


def _simple_element(folded: str, pos: int) -> tuple[tuple[Fragment, ...], int] | None:
    """The fragments and end of an element _SIMPLE_ELEMENT reads (as _parse_element reads it), else None."""
    m = _SIMPLE_ELEMENT.match(folded, pos)
    if m is None or m.end() == pos:
        return None
    frags = _simple_steps(m.group())
    return (frags, m.end()) if frags else None


@lru_cache(maxsize=4096)
def _simple_steps(printed: str) -> tuple[Fragment, ...]:
    """The fragments of an element _SIMPLE_ELEMENT read, by its printed text (one reading: every step
    opens with 第 or a relative word and closes with its unit); () when _descend decides."""
    word, count, unit, *absolute = _SIMPLE_ELEMENT.fullmatch(printed).groups()
    steps = [(step_unit, absolute[2 * i], absolute[2 * i + 1]) for i, step_unit in enumerate("条項号")
             if absolute[2 * i] is not None]
    frags = []
    if word is not None:
        part = _part((None, None, None, word, count, unit))
        if part is None or any(step_unit not in _UNITS_BELOW[unit] for step_unit, _, _ in steps):
            return ()                        # 当該条, 前項第二項
        frags.append(part[0])
    frags += [_part((number, step_unit, branches, None, None, None))[0] for step_unit, number, branches in steps]
    return tuple(frags)


def parse_chain(folded: str, pos: int) -> tuple[list[Range], list[str | None], int, list[tuple[int, int]]] | None:
    """Listed elements and ranges: 第３１条乃至第３３条、第４３条及び第５３条から第５６条まで → one
    range per element (later ones completed by the earlier: 第１５条第２項及び第３項), their captions,
    the chain's end and each element's span as printed."""
    simple = _simple_element(folded, pos)
    if simple is not None:
        first = None
        frags, caption, end = list(simple[0]), None, simple[1]
    else:
        first = _parse_element(folded, pos)
        if first is None:
            return None
        frags, caption, end = first.frags, first.caption, first.end
    if folded[end:end + 1] not in _SEPARATOR_FIRST:
        return [Range(frags)], [caption], end, [(pos, end)]          # most chains: one element, no list
    return _listed(folded, pos, first or _Element(frags, caption, end))


def _listed(folded: str, pos: int, first: _Element) -> tuple[list[Range], list[str | None], int, list[tuple[int, int]]]:
    """parse_chain from its first element on: the elements and ranges listed after it."""
    ranges: list[Range] = []
    captions: list[str | None] = []
    current = Range(first.frags)
    captions.append(first.caption)
    end = first.end
    last = first.frags
    spans: list[tuple[int, int]] = []
    element_start = pos
    while True:
        after = folded[end:end + 1]
        sep = _RANGE_SEP.match(folded, end) if current.end is None and after in _RANGE_FIRST else None
        is_range = sep is not None
        if sep is None and after in _LIST_FIRST:
            sep = _LIST_SEP.match(folded, end)
        if sep is None:
            break
        if CHAIN_START.match(folded, sep.end()):
            simple = _simple_element(folded, sep.end())
            nxt = _Element(list(simple[0]), None, simple[1]) if simple else _parse_element(folded, sep.end())
        elif last[-1].kind == "subitem":
            nxt = _kana_subitem(folded, sep.end())     # 第二号イからハまで, 前項第二号イ又はロ
        else:
            break
        if nxt is None or (sep.group(1) == "と" and nxt.frags[0].kind != last[0].kind):
            break
        frags = inherit(last, nxt.frags)
        if not is_range and last[0].relative not in (None, "each") and frags is nxt.frags:
            break                                  # この条及び次条: each relative word is a reference
        nxt_end = nxt.end
        if is_range:
            tail = _RANGE_END.match(folded, nxt_end)
            if tail and sep.group(1) == "から":
                nxt_end = tail.end()
            elif sep.group(1) == "から":
                break                              # 第３条から生じる: not a range
            current.end = frags
        else:
            ranges.append(current)
            spans.append((element_start, end))
            element_start = sep.end()
            current = Range(frags)
            captions.append(nxt.caption)
        last = frags
        end = nxt_end
    ranges.append(current)
    spans.append((element_start, end))
    return ranges, captions, end, spans


@lru_cache(maxsize=1024)
def squash(s: str | None) -> str:
    """NFKC without whitespace: the view in which names and captions are compared (cached: a
    document compares the same captions and titles again and again)."""
    return _WS.sub("", unicodedata.normalize("NFKC", s or ""))


def bracket_close(folded: str, pos: int, limit: int = 200) -> int | None:
    """The offset just after the bracket opened at `pos` closes (nested brackets counted)."""
    if folded[pos:pos + 1] not in "（(":
        return None
    close = matching_close(folded, pos, limit)
    return None if close is None else close + 1


def continuation(folded: str, pos: int) -> int | None:
    """Where the next listed element starts after a bracket (…（第四号を除く。）若しくは第五項)."""
    sep = _LIST_SEP.match(folded, pos) if folded[pos:pos + 1] in _LIST_FIRST else None
    if sep is None or sep.group(1) == "と" or not CHAIN_START.match(folded, sep.end()):
        return None
    return sep.end()


def inherit_ranges(outer: list[Fragment], ranges: list[Range]) -> list[Range]:
    """The ranges of a chain written inside or after a bracket, completed by the chain before it:
    第三条（第一項第一号を除く。） → article 3, paragraph 1, item 1."""
    return [Range(inherit(outer, r.start), None if r.end is None else inherit(outer, r.end)) for r in ranges]
