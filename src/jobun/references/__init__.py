"""Reference stage: find cross-references in every node's own text, normalize and resolve them.

Three layers, each usable alone:

* grammar   — `find_references(sentence)`: spans, printed text and normalized `ranges` (model.Range of
              model.Fragment), plus statute (`external`) and other-document (`document`) mentions;
* resolver  — `resolve_text(doc, text, context)`: the node a reference names, relative forms
              (前条, 同項, 前各号 …) resolved against the node id `context`;
* annotate  — `annotate(doc)`: fills doc.references (with targets and kind) and adds lint findings
              (unresolved-reference, caption-mismatch) to doc.warnings.

The grammar accepts full-width and half-width forms alike (digits, spaces, brackets, commas), so it
runs on the printed text itself and spans need no mapping. (Folding every node text with
numerals.fold cost more than the whole grammar; numbers are still normalized with numerals.to_int.)

Relative fragments use `count`: 前項 → prev/1, 前２項 → prev/2,
前各項 → prev/None (every preceding sibling); 各号 is item/"each" (the paragraph that holds them).
同条/同項/同号 name what the text cited last: right after a statute's article or paragraph they are
that statute's (external), otherwise the document's own.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from ..model import Document, Fragment, Node, Range, Reference
from ..text.numerals import num_key, to_int, kana_ordinal

# ---------------------------------------------------------------------------------------------
# Grammar
# ---------------------------------------------------------------------------------------------

_S = r"[ \t\u3000]*"                                   # stray spaces as in 第 8 条第 2項
_NUM = r"(?:[0-9０-９]+|[〇零一二三四五六七八九十百千壱弐参]+)"   # half-, full-width, kanji
# A branch number (第２条の２) must end where a reference can end, so 第５条の一部 is not 5_1.
_BRANCH = rf"(?:{_S}の{_S}{_NUM}(?=[第及並又若乃各項号条節章、。，,）)（(をにはがのとでもまやへ～〜~ \t]|から|まで|$))"
_UNIT_LEVEL = {"編": "part", "章": "chapter", "節": "section", "款": "subsection", "目": "division",
               "条": "article", "項": "paragraph", "号": "item"}
# Words that start with a unit character but are not references: 条件, 条約, 項目, 号機 …
_NOT_AFTER_UNIT = {"条": "件約例理文", "項": "目", "号": "機館室車", "章": "程", "節": "約電度",
                   "目": "的次標録安", "編": "集成入", "款": ""}

_ABS_PART = re.compile(rf"第{_S}({_NUM}){_S}([編章節款目条項号])")
_BRANCHES = re.compile(rf"{_BRANCH}+")               # 第２条の２, 第三号の二
_KANA_SUBITEM = re.compile(r"[イロハニホヘトチリヌルヲワカヨタレソツネナラム](?![ァ-ヴー])")
_CAPTION = re.compile(r"[ \t\u3000]*[（(]([^（）()。「」\n]{1,60})[）)][ \t\u3000]*")
_REL_PART = re.compile(rf"(前|次|本|同|この|当該)(?:{_S}({_NUM}|各))?{_S}([条項号])")
_REL_FIRST = frozenset("前次本同こ当")
_RELATIVE = {"前": "prev", "次": "next", "本": "this", "この": "this", "当該": "same", "同": "same"}
_EACH_LEAD = re.compile(r"(?:次の|以下の|次に掲げる|以下に掲げる|下記の|左の|左に掲げる)?各号")
_EACH_SUFFIX = re.compile(rf"{_S}各{_S}([項号])")
_APPENDIX = re.compile(rf"(別紙|別表|別記|様式)(?:{_S}第?{_S}({_NUM}|[0-9]+))?(?:{_S}[（(]([^（）()]{{1,30}})[）)])?")
_SUPPL = re.compile(rf"(?:附則|付則){_S}(?=第)")
# Connectors between listed references and range words (half- and full-width).
_LIST_SEP = re.compile(r"[ \t\u3000]*(、|,|，|及び|および|並びに|ならびに|又は|または|若しくは|もしくは|と)[ \t\u3000]*")
_RANGE_SEP = re.compile(r"[ \t\u3000]*(乃至|ないし|から|～|〜|~)[ \t\u3000]*")
_RANGE_END = re.compile(r"[ \t\u3000]*まで")
# The characters each of these can begin with (spaces included): the others are not tried.
_SPACES = " \t\u3000"
_EACH_FIRST = frozenset(_SPACES + "各")
_RANGE_FIRST = frozenset(_SPACES + "乃なか～〜~")
_LIST_FIRST = frozenset(_SPACES + "、,，及おび並な又ま若もと")
# Where a reference chain may begin (with lookaheads, so that common words such as 本サービス or
# 次の場合 are rejected by one regex search instead of a failed parse). Every alternative opens with
# a literal, so a search scans for those characters in C and tries the alternatives only there.
_RELATIVE_AHEAD = rf"(?={_S}(?:{_NUM}|各)?{_S}[条項号])"
_START = re.compile(
    rf"第(?={_S}{_NUM}{_S}[編章節款目条項号])"
    rf"|前{_RELATIVE_AHEAD}|次{_RELATIVE_AHEAD}|本{_RELATIVE_AHEAD}|同{_RELATIVE_AHEAD}|この{_RELATIVE_AHEAD}"
    r"|次の各号|次に掲げる各号|以下の各号|以下に掲げる各号|下記の各号|左の各号|左に掲げる各号|各号"
    r"|別紙|別表|別記|様式"
    rf"|附則(?={_S}第)|付則(?={_S}第)")


# Document self-names in front of a chain (本約款第８条): which instrument the chain points into.
_SELF_PREFIX = re.compile(r"(?:本|この|当)(約款|契約約款|利用規約|規約|規則|規程|契約|法律|政令|省令|規約等)[ \t\u3000]*(?=第)")

_LEVELS = ("part", "chapter", "section", "subsection", "division", "article", "paragraph", "item", "subitem")
_LEVEL_RANK = {k: i for i, k in enumerate(_LEVELS)}

# --- statutes -----------------------------------------------------------------------------------
# A law number in brackets after a name: （昭和６３年法律第１０８号）, （平成 11 年法律第 52 号）.
_LAW_NUMBER = re.compile(rf"[ \t\u3000]*[（(][^（）()]{{0,20}}?(?:法律|政令|省令|府令|規則|令|条例|告示){_S}第{_S}{_NUM}{_S}号[）)]")
# Candidate ends of statute names; the stem in front is checked separately.
_LAW_TAIL = re.compile(r"(?:法律|法)(?:施行令|施行規則)?|施行令|施行規則|省令|政令|府令|規則")
_KANJI = r"\u3005\u4e00-\u9fff"
_KATAKANA = r"\u30a1-\u30fa\u30fc"
_NAME_CHAR = re.compile(rf"[{_KANJI}{_KATAKANA}A-Za-z0-9Ａ-Ｚａ-ｚ０-９・]")
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

# --- other private documents ------------------------------------------------------------------------
_DOC_QUOTED = re.compile(r"「([^「」]{3,60}?(?:規約|約款|契約|規程|規定|約定|別冊)等?)」")
# 「SDPF 利用規約等」-style names: an anchor, then the name run is read backwards from it.
# The anchor's optional lead (の, サービス) is read backwards from the core: a pattern starting with
# an optional の is tried at every の of the text (measured 3x slower).
_DOC_ANCHOR = re.compile(r"(?:利用規約|契約約款|約款|規約)(?:等)?")
_DOC_NAME_CHAR = re.compile(rf"[{_KANJI}{_KATAKANA}A-Za-z0-9Ａ-Ｚａ-ｚ０-９ ・’'&\-]")


_NUM_RE = re.compile(_NUM)
_REF_HEAD = re.compile(rf"第{_S}{_NUM}{_S}[条項号]")
_KANJI_CHAR = re.compile(rf"[{_KANJI}]")
_LAW_NUMBER_BARE = re.compile(rf"{_S}第{_S}{_NUM}{_S}号")
_LAW_NUMBER_BEFORE = re.compile(r"(法律|政令|省令|府令|規則|令|条例|告示|年)$")
_LAW_NUMBER_LAST = frozenset("律令則例示年")
_DEFINIENDUM_BEFORE = re.compile(r"以下[^「」]{0,4}$")
_BRACKET = re.compile(r"[ \t\u3000]*[（(][^（）()]{0,60}[）)]")
_ARTICLE_NEXT = re.compile(rf"{_S}第")
_NAME_LIKE = re.compile(rf"[{_KATAKANA}A-Za-zＡ-Ｚａ-ｚ]")
_WS = re.compile(r"\s+")
# Cheap prefilters (single character classes are scanned fastest): most node texts hold no
# reference, and each scanner needs one of its characters to find anything.
_HAS_INTERNAL = re.compile(r"[条項号章節款編紙表記式]")
_HAS_LAW = re.compile(r"[法令則]")
_QUOTED_DOCUMENT_WORDS = ("契約", "規程", "規定", "約定", "別冊")


def _may_name_documents(text: str) -> bool:
    """Whether _find_documents can find anything: a 規約/約款 name, or a quoted name ending in one
    of the other instrument words (substring tests are much faster than a regex alternation)."""
    if "規約" in text or "約款" in text:
        return True
    return "「" in text and any(w in text for w in _QUOTED_DOCUMENT_WORDS)


@dataclass(slots=True)
class _Element:
    """One listed item of a reference chain: its fragments, caption and end offset."""
    frags: list[Fragment]
    caption: str | None = None
    end: int = 0


@dataclass(slots=True)
class _Found:
    start: int
    end: int
    kind: str                       # internal (to be resolved) | external | document
    ranges: list[Range] = field(default_factory=list)
    law: str | None = None
    caption: str | None = None
    scope: str | None = None        # a self-name prefix such as 約款 (本約款第８条)
    captions: list = field(default_factory=list)   # per range: the bracketed caption or None


def _num(printed: str, branches: str = "") -> str | None:
    main = to_int(printed)
    if main is None:
        return None
    extra = tuple(to_int(b) or 0 for b in _NUM_RE.findall(branches)) if branches else ()
    return num_key(main, extra)


def _not_unit_word(folded: str, end: int, unit: str) -> bool:
    return end < len(folded) and folded[end] in _NOT_AFTER_UNIT.get(unit, "")


def _parse_part(folded: str, pos: int) -> tuple[Fragment, int, str | None] | None:
    """One step of a chain at `pos`: 第N条 / 前項 / 同条 / 前２項 … → (fragment, end, unit)."""
    m = _ABS_PART.match(folded, pos) if folded.startswith("第", pos) else None
    if m:
        unit = m.group(2)
        if _not_unit_word(folded, m.end(), unit):
            return None
        b = _BRANCHES.match(folded, m.end())
        branches, end = (b.group(), b.end()) if b else ("", m.end())
        return Fragment(_UNIT_LEVEL[unit], _num(m.group(1), branches)), end, unit
    m = _REL_PART.match(folded, pos) if folded[pos:pos + 1] in _REL_FIRST else None
    if m:
        word, count, unit = m.groups()
        if _not_unit_word(folded, m.end(), unit):
            return None
        relative = _RELATIVE[word]
        if word == "当該":
            return None                      # 当該条項 and the like are not references
        kind = _UNIT_LEVEL[unit]
        if count == "各":
            if relative != "prev":
                return None
            return Fragment(kind, None, "prev", None), m.end(), unit
        if count is not None:
            if relative not in ("prev", "next"):
                return None
            return Fragment(kind, None, relative, to_int(count)), m.end(), unit
        return Fragment(kind, None, relative, 1 if relative in ("prev", "next") else None), m.end(), unit
    return None


def _parse_element(folded: str, pos: int) -> _Element | None:
    """A descending run of parts: 第４章 第１８条（caption）第２項第３号各号."""
    frags: list[Fragment] = []
    caption = None
    end = pos
    first = folded[pos:pos + 1]
    # Dispatch on the first character: most chains start with 第, 前, 本 and need none of these.
    if first in "次以下左各":
        m = _EACH_LEAD.match(folded, pos)
        if m:
            return _Element([Fragment("item", None, "each")], None, m.end())
    elif first in "別様":
        m = _APPENDIX.match(folded, pos)
        if m:
            return _Element([Fragment("appendix", _num(m.group(2)) if m.group(2) else None)], m.group(3), m.end())
    elif first in "附付":
        m = _SUPPL.match(folded, pos)
        if m:
            frags.append(Fragment("supplementary"))
            pos = end = m.end()
    while True:
        if frags:
            while pos < len(folded) and folded[pos] in " \t\u3000":
                pos += 1                     # 第１９条 第２項
        step = _parse_part(folded, pos)
        if step is None:
            # e-Gov sub-items: 第二号イ
            if frags and frags[-1].kind in ("item", "subitem"):
                k = _KANA_SUBITEM.match(folded, pos)
                if k:
                    frags.append(Fragment("subitem", str(kana_ordinal(k.group(), "iroha"))))
                    pos = end = k.end()
                    continue
            break
        frag, step_end, unit = step
        if frags and _LEVEL_RANK.get(frag.kind, 0) <= _LEVEL_RANK.get(frags[-1].kind, 0):
            break                            # 第１８条 （違約金）第４章: a new element starts
        if frags and frag.relative not in (None,) and frag.relative != "this":
            break                            # 第１条前項 is not one chain
        frags.append(frag)
        pos = end = step_end
        if frag.kind == "article":
            c = _CAPTION.match(folded, pos)
            if c and _looks_like_caption(c.group(1)):
                caption = c.group(1)
                pos = c.end()
                end = c.end() - (len(c.group(0)) - len(c.group(0).rstrip(" \t\u3000")))
        each = _EACH_SUFFIX.match(folded, pos) if folded[pos:pos + 1] in _EACH_FIRST else None
        # 第１項各号 / 前項各号 (not 前各項各号): the each-suffix closes the element.
        if each and not (frag.relative == "prev" and frag.count != 1):
            unit_kind = _UNIT_LEVEL[each.group(1)]
            if _LEVEL_RANK[unit_kind] > _LEVEL_RANK[frag.kind]:
                frags.append(Fragment(unit_kind, None, "each"))
                end = each.end()
                break
    if not frags or (len(frags) == 1 and frags[0].kind == "supplementary"):
        return None
    return _Element(frags, caption, end)


def _kana_subitem(folded: str, pos: int) -> _Element | None:
    """A bare イ / ロ … listed after a sub-item; the chain gives it its article, paragraph and item."""
    k = _KANA_SUBITEM.match(folded, pos)
    if k is None:
        return None
    return _Element([Fragment("subitem", str(kana_ordinal(k.group(), "iroha")))], None, k.end())


def _looks_like_caption(inner: str) -> bool:
    """（提供停止） is a caption; （以下「X」という。）, （第２項を除く） are not."""
    s = inner.strip()
    if not s or s.startswith(("以下", "昭和", "平成", "令和", "大正", "明治", "注")) or "除く" in s or "において" in s:
        return False
    return not _REF_HEAD.match(s)


def _inherit(prev: list[Fragment], frags: list[Fragment]) -> list[Fragment]:
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


def _parse_chain(folded: str, pos: int) -> tuple[list[Range], list[str | None], int] | None:
    """Listed elements and ranges: 第３１条乃至第３３条、第４３条及び第５３条から第５６条まで."""
    first = _parse_element(folded, pos)
    if first is None:
        return None
    ranges: list[Range] = []
    captions: list[str | None] = []
    current = Range(first.frags)
    captions.append(first.caption)
    end = first.end
    last = first.frags
    while True:
        after = folded[end:end + 1]
        sep = _RANGE_SEP.match(folded, end) if current.end is None and after in _RANGE_FIRST else None
        is_range = sep is not None
        if sep is None and after in _LIST_FIRST:
            sep = _LIST_SEP.match(folded, end)
        if sep is None:
            break
        if _START.match(folded, sep.end()):
            nxt = _parse_element(folded, sep.end())
        elif last[-1].kind == "subitem":
            nxt = _kana_subitem(folded, sep.end())     # 第二号イからハまで, 前項第二号イ又はロ
        else:
            break
        if nxt is None or (sep.group(1) == "と" and nxt.frags[0].kind != last[0].kind):
            break
        frags = _inherit(last, nxt.frags)
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
            current = Range(frags)
            captions.append(nxt.caption)
        last = frags
        end = nxt_end
    ranges.append(current)
    return ranges, captions, end


# --- statute names --------------------------------------------------------------------------------

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


def _find_laws(folded: str) -> list[_Found]:
    """Statutes cited by name (with optional law number and article chain) and 同法第N条."""
    found: list[_Found] = []
    floor = 0
    for m in _LAW_TAIL.finditer(folded):
        tail_start, tail_end = m.start(), m.end()
        if tail_start < floor:
            continue
        word = m.group()
        if word == "法" and tail_end < len(folded) and folded[tail_end] in _NOT_AFTER_LAW:
            continue
        if _LAW_NUMBER_BARE.match(folded, tail_end):
            continue                                      # 法律第１０８号, 郵政省令第３１号: a law number
        law_number = _LAW_NUMBER.match(folded, tail_end)
        if word == "規則" and not law_number:
            continue                                      # 規則 names only with a law number
        if word == "法" and folded[tail_start - 1:tail_end] in _GENERIC_HO:
            continue                                      # 算定方法, 電磁的方法: not statutes
        start = _law_start(folded, tail_start, floor, long_form=word.startswith("法律"))
        if start is None:
            continue
        name = folded[start:tail_end]
        if name.startswith(("同", "本", "この", "当", "諸", "各")) or name.strip() in _NOT_LAW:
            continue
        if len(name.strip()) < 3 and name.strip() not in _LAW_ONE_CHAR:
            continue
        if word == "法律" and start > 0 and folded[start - 1] in "年第":
            continue
        # The defining 「個人情報保護法」 of （以下「個人情報保護法」という） is a definition, not a citation.
        if start > 0 and folded[start - 1] == "「" and _DEFINIENDUM_BEFORE.search(folded, max(0, start - 8), start - 1):
            continue
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
            if bm and _ARTICLE_NEXT.match(folded, bm.end()) and not _looks_like_caption(bm.group().strip(" \t（()）")):
                end = bm.end()
                continue
            break
        name_end = tail_end
        chain = _chain_after(folded, end)
        ranges: list[Range] = []
        if chain:
            ranges, end = chain
            for r in ranges:
                r.start.insert(0, Fragment("law"))
        else:
            ranges = [Range([Fragment("law")])]      # the span keeps a law number: 消費税法（昭和…号）
        found.append(_Found(ref_start, end, "external", ranges, law=folded[start:name_end]))
        floor = end
    for m in _BARE_LAW.finditer(folded):
        chain = _chain_after(folded, m.end())
        if chain and not any(f.start <= m.start() < f.end for f in found):
            ranges, end = chain
            for r in ranges:
                r.start.insert(0, Fragment("law"))
            found.append(_Found(m.start(), end, "external", ranges, law=m.group(1)))
    for m in _SAME_LAW.finditer(folded):
        chain = _chain_after(folded, m.end())
        if chain and not any(f.start <= m.start() < f.end for f in found):
            ranges, end = chain
            for r in ranges:
                r.start.insert(0, Fragment("law", None, "same"))
            found.append(_Found(m.start(), end, "external", ranges, law=None))
    return found


def _chain_after(folded: str, pos: int) -> tuple[list[Range], int] | None:
    """An article chain right after a statute name (電気通信事業法第８条第２項)."""
    p = pos
    while p < len(folded) and folded[p] in " \t\u3000":
        p += 1
    if not folded.startswith("第", p):
        return None
    chain = _parse_chain(folded, p)
    if chain is None:
        return None
    ranges, _captions, end = chain
    return ranges, end


def _find_documents(text: str, folded: str, laws: list[_Found], own: str) -> list[_Found]:
    """Other private instruments cited by name: 「…サービス契約」, SDPF 利用規約等, 通信サービスの利用規約.

    `own`: the squashed titles of the instruments in this file; naming them is not a citation."""
    found = []
    taken = [(f.start, f.end) for f in laws]

    def free(a: int, b: int) -> bool:
        return all(b <= s or a >= e for s, e in taken)

    for m in _DOC_QUOTED.finditer(folded):
        inner = m.group(1)
        if _DEFINIENDUM_BEFORE.search(folded, max(0, m.start() - 6), m.start()):
            continue                                      # （以下「利用契約」という）: a definition
        if inner.startswith(("本", "この", "当", "同")) or not _NAME_LIKE.search(inner):
            continue
        if own and _squash(inner) in own:
            continue
        if free(m.start(), m.end()):
            found.append(_Found(m.start(), m.end(), "document", [], law=text[m.start(1):m.end(1)]))
            taken.append((m.start(), m.end()))
    for m in _DOC_ANCHOR.finditer(folded):
        name_end = m.start()
        if name_end >= 4 and folded.startswith("サービス", name_end - 4):
            name_end -= 4
        after_no = name_end >= 1 and folded[name_end - 1] == "の"
        if after_no:
            name_end -= 1
        start = name_end
        while start > 0 and _DOC_NAME_CHAR.match(folded[start - 1]):
            start -= 1
        while start < name_end and folded[start] in " \t\u3000":
            start += 1
        if after_no and start == name_end:
            continue                                      # …との利用規約: no name before の
        name = folded[start:name_end].strip()
        if not name or name.startswith(("本", "この", "当", "新", "同", "各", "変更後", "前記", "上記")):
            continue
        if not _NAME_LIKE.search(name) or name[-1:] in "本当":
            continue                                      # a service or company name, not 他利用規約
        if start == 0 and folded[m.end():m.end() + 1] in (" ", "\t", "\u3000"):
            continue                                      # （８） SDPF 利用規約等 「…」: a defined term
        full = folded[start:m.end()]
        if own and (_squash(full) in own or _squash(full).rstrip("等") in own):
            continue
        if folded[start - 1: start] == "「" or not free(start, m.end()):
            continue
        found.append(_Found(start, m.end(), "document", [], law=text[start:m.end()]))
        taken.append((start, m.end()))
    return found


def _scan(text: str, own_titles: str = "") -> list[_Found]:
    """Every reference in `text` (document order), internal ones not yet resolved."""
    has_internal = _HAS_INTERNAL.search(text) is not None
    has_law = _HAS_LAW.search(text) is not None
    has_document = _may_name_documents(text)
    if not (has_internal or has_law or has_document):
        return []
    folded = text                 # the grammar reads both widths (see the module docstring)
    laws = _find_laws(folded) if has_law else []
    docs = _find_documents(text, folded, laws, own_titles) if has_document else []
    found: list[_Found] = laws + docs
    if not has_internal:
        found.sort(key=lambda f: f.start)
        return found
    taken = sorted([(f.start, f.end) for f in found])
    pos = 0
    n = len(folded)
    while pos < n:
        m = _START.search(folded, pos)
        if m is None:
            break
        start = m.start()
        blocked = next((e for s, e in taken if s <= start < e), None)
        if blocked is not None:
            pos = blocked
            continue
        if _is_law_number(folded, start):
            pos = start + 1
            continue
        scope = None
        p = None
        before = folded[max(0, start - 2):start].rstrip(" \t\u3000")[-1:]
        if before and before in "款約則程契律令等":          # 本約款第８条: the instrument it points into
            p = _SELF_PREFIX.search(folded, max(0, start - 8), start + 1)
            if p and p.end() == start:
                scope = p.group(1)
        chain = _parse_chain(folded, start)
        if chain is None:
            pos = start + 1
            continue
        ranges, captions, end = chain
        # Scoping phrases 以下本条において / 以下この号において are references to the own node.
        cap = next((c for c in captions if c), None)
        found.append(_Found(start if scope is None else p.start(), end, "internal", ranges,
                            caption=cap, scope=scope, captions=captions))
        pos = end
    found.sort(key=lambda f: f.start)
    return found


def _is_law_number(folded: str, start: int) -> bool:
    """第１０８号 of 法律第１０８号 / 郵政省令第３１号 is a law number, not an item."""
    before = folded[max(0, start - 6):start].rstrip(" \t\u3000")
    return before[-1:] in _LAW_NUMBER_LAST and _LAW_NUMBER_BEFORE.search(before) is not None


def _squash(s: str | None) -> str:
    return _WS.sub("", unicodedata.normalize("NFKC", s or ""))


def find_references(sentence: str) -> list[Reference]:
    """References in a standalone sentence: spans, printed text and normalized ranges (no targets)."""
    refs = []
    for f in _scan(sentence):
        refs.append(Reference(source="", text=sentence[f.start:f.end], span=(f.start, f.end), kind=f.kind,
                              targets=[], law=f.law if f.law is None else _printed(sentence, f),
                              ranges=f.ranges, caption=f.caption))
    return refs


def _printed(text: str, f: _Found) -> str | None:
    """The law name as printed (the grammar read it on the folded view)."""
    if f.law is None:
        return None
    return f.law


# ---------------------------------------------------------------------------------------------
# Resolution
# ---------------------------------------------------------------------------------------------

@dataclass
class _Context:
    """Where a reference sits, and what 同条 / 同項 / 同号 currently mean."""
    node: Node | None
    namespace: str = ""                           # "" for the main instrument, "doc_2/" …
    last: dict = field(default_factory=dict)      # kind → Node named last (for 同)

    def enclosing(self, kind: str) -> Node | None:
        node = self.node
        while node is not None and node.kind != kind:
            node = node.parent
        return node


class _Index:
    """Per-document lookups built once: articles in order per namespace, containers by number."""

    def __init__(self, doc: Document):
        self.doc = doc
        self.articles: dict[str, list[Node]] = {}
        self.containers: dict[str, list[Node]] = {}
        self.titles = {"": doc.title or ""}
        # One pass, carrying the namespace down: documents and supplementary blocks open one.
        stack = [(node, "") for node in reversed(doc.children)]
        while stack:
            node, ns = stack.pop()
            if node.kind == "article":
                self.articles.setdefault(ns, []).append(node)
            elif node.kind in ("part", "chapter", "section", "subsection", "division", "appendix", "supplementary"):
                self.containers.setdefault(ns, []).append(node)
            if node.kind == "document":
                self.titles[node.id + "/"] = node.title or ""
            inner = node.id + "/" if node.kind in ("document", "supplementary") else ns
            if node.kind in ("article", "paragraph", "item", "subitem"):
                continue                     # no articles or containers below these
            stack.extend((child, inner) for child in reversed(node.children))


def _namespace_of(node: Node) -> str:
    """The instrument an article belongs to: "" (main), "doc_2/", "suppl_1/", "doc_2/suppl_1/"."""
    for anc in node.ancestors():                 # the innermost one: its id holds the outer ones
        if anc.kind in ("document", "supplementary"):
            return anc.id + "/"
    return ""


def _doc_namespace(node: Node | None) -> str:
    if node is None:
        return ""
    for anc in [node, *node.ancestors()]:
        if anc.kind == "document":
            return anc.id + "/"
    return ""


def _children(node: Node, kind: str) -> list[Node]:
    return [c for c in node.children if c.kind == kind]


def _child_by_num(node: Node, kind: str, key: str | None) -> Node | None:
    kids = _children(node, kind)
    if key is None:
        return None
    for c in kids:
        if c.num is not None and c.num == key:
            return c
    suffix = {"paragraph": "para_", "item": "item_", "subitem": "sub_"}.get(kind, "")
    for c in kids:
        if c.id.rsplit("/", 1)[-1] == suffix + key:
            return c
    if kind == "paragraph" and key == "1" and kids and kids[0].num in (None, ""):
        return kids[0]
    return None


def _siblings(node: Node, doc: Document) -> list[Node]:
    parent_children = node.parent.children if node.parent is not None else doc.children
    return [c for c in parent_children if c.kind == node.kind]


class _Resolver:
    def __init__(self, doc: Document):
        self.doc = doc
        self.index = _Index(doc)

    # -- one fragment list → nodes ------------------------------------------------------------
    def resolve(self, frags: list[Fragment], ctx: _Context, scope: str | None = None) -> list[Node]:
        current: list[Node] | None = None             # None: not anchored yet
        ns = self._scope_namespace(ctx, scope)
        pinned = False                                # 附則 named: no falling back to the main text
        for i, frag in enumerate(frags):
            if frag.kind == "law":
                return []
            if frag.kind == "supplementary":
                # 附則第二条 inside a 附則 block means that block's article; from the main text, the
                # original 附則 (the first block).
                own = next((a for a in ctx.node.ancestors() if a.kind == "supplementary"), None) \
                    if ctx.node is not None else None
                current = [own] if own is not None else \
                    [c for c in self.index.containers.get(_doc_namespace(ctx.node), [])
                     if c.kind == "supplementary"]
                if not current:
                    return []
                ns = current[0].id + "/"
                # 附則第二項: a 附則 of bare paragraphs holds them itself; 附則第二条 goes by namespace.
                current = current[:1] if frags[i + 1:i + 2] and frags[i + 1].kind == "paragraph" else None
                pinned = True
                continue
            step = self._step(frag, current, ctx, ns, frags[i + 1:] == [], pinned)
            if not step:
                return []
            current = step
        return current or []

    def _scope_namespace(self, ctx: _Context, scope: str | None) -> str:
        own = ctx.namespace
        if scope is None:
            return own
        doc_ns = _doc_namespace(ctx.node)
        if scope in self.index.titles.get(doc_ns, ""):
            return doc_ns
        for ns, title in self.index.titles.items():
            if scope in title:
                return ns
        return doc_ns

    def _step(self, frag: Fragment, current: list[Node] | None, ctx: _Context, ns: str,
              last: bool, pinned: bool = False) -> list[Node]:
        kind = frag.kind
        if kind in ("part", "chapter", "section", "subsection", "division", "appendix"):
            return self._container(frag, current, ctx, ns)
        if kind == "article":
            return self._article(frag, current, ctx, ns, pinned)
        if kind == "paragraph":
            return self._paragraph(frag, current, ctx)
        if kind == "item":
            return self._item(frag, current, ctx)
        if kind == "subitem":
            parents = current or ([ctx.enclosing("item")] if ctx.enclosing("item") else [])
            out = [c for p in parents for c in [_child_by_num(p, "subitem", frag.num)] if c]
            return out
        return []

    def _container(self, frag, current, ctx, ns) -> list[Node]:
        pool = self.index.containers.get(_doc_namespace(ctx.node) if ns.startswith("suppl") else ns, [])
        if ns.startswith("suppl") or "/suppl_" in ns:
            pool = self.index.containers.get(_doc_namespace(ctx.node), [])
        candidates = [c for c in pool if c.kind == frag.kind]
        if current:
            inside = [c for c in candidates if any(c.parent is p for p in current)]
            candidates = inside
        elif frag.kind in ("section", "subsection", "division"):
            # 第２節 inside chapter 3 means chapter 3's second section (sections restart per chapter).
            own = [c for c in candidates if c.parent is not None and any(c.parent is a for a in ctx.node.ancestors())] \
                if ctx.node is not None else []
            if own:
                candidates = own
        if frag.num is None:
            return candidates[:1] if len(candidates) == 1 else []
        return [c for c in candidates if c.num == frag.num][:1]

    def _article(self, frag, current, ctx, ns, pinned: bool = False) -> list[Node]:
        own = ctx.enclosing("article")
        articles = self.index.articles.get(ns, [])
        if frag.relative is None:
            if current and current[0].kind not in ("article",):
                # 第４章第１８条: article ids are unique per instrument; the container only qualifies.
                pass
            hit = self.doc.get(f"{ns}art_{frag.num}")
            # 第二条 inside a 附則 without articles of its own means the main text's; 附則第二条 does not.
            if hit is None and ns != _doc_namespace(ctx.node) and not pinned:
                hit = self.doc.get(f"{_doc_namespace(ctx.node)}art_{frag.num}")
            return [hit] if hit else []
        if frag.relative == "this":
            return [own] if own else []
        if frag.relative == "same":
            same = ctx.last.get("article") or own
            return [same] if same else []
        if own is None:
            return []
        articles = self.index.articles.get(_namespace_of(own), [])
        return _relative_siblings(articles, own, frag)

    def _paragraph(self, frag, current, ctx) -> list[Node]:
        if current:
            if frag.relative is None:
                return [c for a in current for c in [_child_by_num(a, "paragraph", frag.num)] if c]
            if frag.relative == "each":
                return current
        own_para = ctx.enclosing("paragraph")
        own_art = ctx.enclosing("article")
        if frag.relative is None:
            base = own_art or (own_para.parent if own_para else None)
            if base is None:
                return []
            hit = _child_by_num(base, "paragraph", frag.num)
            return [hit] if hit else []
        if frag.relative == "this":
            return [own_para] if own_para else []
        if frag.relative == "same":
            same = ctx.last.get("paragraph") or own_para
            return [same] if same else []
        if own_para is None:
            return []
        return _relative_siblings(_siblings(own_para, self.doc), own_para, frag)

    def _item(self, frag, current, ctx) -> list[Node]:
        if frag.relative == "each":
            if current:
                # 第１項各号 → the paragraph holding the items; 第２条各号 → the article's paragraph
                # that holds them (its first one when none does)
                return [_paragraph_with_items(c) if c.kind == "article" else c for c in current]
            target = ctx.enclosing("paragraph")
            return [target] if target else []
        if current:
            parents = []
            for c in current:
                if c.kind == "article":             # 第五条第三号: the article's first paragraph
                    paras = _children(c, "paragraph")
                    if paras:
                        parents.append(paras[0])
                else:
                    parents.append(c)
            if frag.relative is None:
                return [h for p in parents for h in [_child_by_num(p, "item", frag.num)] if h]
        own_item = ctx.enclosing("item")
        own_para = ctx.enclosing("paragraph")
        if frag.relative is None:
            if own_para is None:
                return []
            hit = _child_by_num(own_para, "item", frag.num)
            return [hit] if hit else []
        if frag.relative == "this":
            return [own_item] if own_item else []
        if frag.relative == "same":
            same = ctx.last.get("item") or own_item
            return [same] if same else []
        if own_item is None:
            if frag.relative == "prev" and frag.count is None and own_para is not None:
                # 前各号 in a paragraph: the items of this paragraph, else of the previous one
                items = _children(own_para, "item")
                if not items:
                    prev = _relative_siblings(_siblings(own_para, self.doc), own_para, Fragment("paragraph", None, "prev", 1))
                    items = _children(prev[0], "item") if prev else []
                return items
            return []
        return _relative_siblings(_siblings(own_item, self.doc), own_item, frag)


def _paragraph_with_items(article: Node) -> Node:
    paras = _children(article, "paragraph")
    return next((p for p in paras if _children(p, "item")), paras[0] if paras else article)


def _relative_siblings(siblings: list[Node], own: Node, frag: Fragment) -> list[Node]:
    """前条 / 次項 / 前２項 / 前各号 among `siblings` relative to `own`."""
    try:
        i = next(k for k, s in enumerate(siblings) if s is own)
    except StopIteration:
        return []
    if frag.relative == "prev":
        n = i if frag.count is None else frag.count
        return siblings[max(0, i - n):i]
    if frag.relative == "next":
        n = frag.count or 1
        return siblings[i + 1:i + 1 + n]
    return []


def _expand(start: list[Node], end: list[Node], doc: Document, index: _Index) -> list[Node]:
    """第３１条乃至第３３条 → every sibling from the first to the last."""
    if not start or not end:
        return start + end
    a, b = start[0], end[-1]
    if a.kind != b.kind:
        return start + end
    if a.kind == "article":
        pool = index.articles.get(_namespace_of(a), [])
    else:
        pool = _siblings(a, doc)
    try:
        i, j = pool.index(a), pool.index(b)
    except ValueError:
        return start + end
    if j < i:
        return start + end
    return pool[i:j + 1]


# ---------------------------------------------------------------------------------------------
# Public API
# ---------------------------------------------------------------------------------------------

def _context_for(node: Node | None) -> _Context:
    return _Context(node, _namespace_of(node) if node is not None else "")


def _resolve_found(resolver: _Resolver, f: _Found, ctx: _Context,
                   missing: list[Range] | None = None) -> list[Node]:
    """Targets of every listed part and range; parts that name nothing go to `missing`."""
    missing = [] if missing is None else missing
    nodes: list[Node] = []
    for r in f.ranges:
        start = resolver.resolve(r.start, ctx, f.scope)
        if r.end is not None:
            end = resolver.resolve(r.end, ctx, f.scope)
            got = _expand(start, end, resolver.doc, resolver.index)
        else:
            got = start
        if not got:
            missing.append(r)                   # reported by the caller; the other parts still count
            continue
        nodes.extend(got)
        _remember(ctx, r, got)
    seen = set()
    unique = []
    for n in nodes:
        if n.id not in seen:
            seen.add(n.id)
            unique.append(n)
    return unique


def _remember(ctx: _Context, rng: Range, got: list[Node]) -> None:
    """同条 / 同項 / 同号 mean the article, paragraph or item that a reference NAMED last."""
    named = {f.kind for f in (rng.end or rng.start)} | {f.kind for f in rng.start}
    last = got[-1]
    for node in [last, *last.ancestors()]:
        if node.kind in named and node.kind in ("article", "paragraph", "item"):
            ctx.last[node.kind] = node


def resolve_text(doc: Document, text: str, context: str | None = None) -> Node | None:
    """The node that `text` (第１７条第１項, 前条第２項 …) names; relative forms need `context`."""
    node = doc.get(context) if context else None
    found = [f for f in _scan(text) if f.kind == "internal"]
    if not found:
        return None
    ctx = _context_for(node)
    nodes = _resolve_found(_Resolver(doc), found[0], ctx)
    return nodes[0] if nodes else None


def _line_of(node: Node, offset: int) -> int:
    pos = node.source_position(offset)
    if pos is not None:
        return pos[0]
    return node.lines[0] if node.lines else 0


def annotate(doc: Document) -> None:
    """Fill doc.references (document order) and report unresolved references and caption mismatches."""
    resolver = _Resolver(doc)
    refs: list[Reference] = []
    last_law: str | None = None
    current_article: Node | None = None
    state: dict = {}
    own_titles = "\n".join(_squash(t) for t in resolver.index.titles.values() if t)
    for node in doc.walk():
        if not node.text:
            continue
        found = _scan(node.text, own_titles)
        if not found:
            continue
        art = next((a for a in [node, *node.ancestors()] if a.kind == "article"), None)
        if art is not current_article:
            current_article, state = art, {}
        ctx = _context_for(node)
        ctx.last = state
        previous: _Found | None = None
        for f in found:
            printed = node.text[f.start:f.end]
            f, previous = _same_as_cited_statute(f, previous), f
            if f.kind == "external":
                law = _printed(node.text, f) if f.law else last_law
                if f.law:
                    last_law = law
                refs.append(Reference(node.id, printed, (f.start, f.end), "external", [], law or "同法",
                                      f.ranges, f.caption))
                continue
            if f.kind == "document":
                refs.append(Reference(node.id, printed, (f.start, f.end), "document", [], f.law, f.ranges))
                continue
            missing: list[Range] = []
            targets = _resolve_found(resolver, f, ctx, missing)
            kind = "internal" if targets else "unresolved"
            refs.append(Reference(node.id, printed, (f.start, f.end), kind, [t.id for t in targets], None,
                                  f.ranges, f.caption))
            if missing:
                what = "" if not targets else f" (part: {_describe(missing)})"
                doc.warn(_line_of(node, f.start), "unresolved-reference",
                         f"{node.id}: 「{printed.strip()}」{what} points at nothing in this document")
            if targets and f.caption is not None:
                _check_captions(doc, resolver, node, f)
    doc.references = refs


def _same_as_cited_statute(f: _Found, previous: _Found | None) -> _Found:
    """同条 / 同項 / 同号 name what the text mentioned last: right after 個人情報保護法第２３条第１項
    in the same text, 同項 is that statute's paragraph (external), not one of this document's."""
    if f.kind != "internal" or previous is None or previous.kind != "external" or previous.law is None:
        return f
    head = f.ranges[0].start[0]
    if head.relative != "same" or len(f.ranges) != 1:
        return f
    if head.kind not in {frag.kind for r in previous.ranges for frag in r.start}:
        return f                        # 同項 needs a paragraph cited before it, 同条 an article
    ranges = [Range([Fragment("law"), *r.start], r.end) for r in f.ranges]
    return _Found(f.start, f.end, "external", ranges, law=None, caption=f.caption)


def _describe(ranges: list[Range]) -> str:
    """Readable form of normalized ranges for messages: article 9, paragraph prev×2 …"""
    def frag(f: Fragment) -> str:
        label = f.kind + (f" {f.num}" if f.num else "") + (f" {f.relative}" if f.relative else "")
        return label + (f"×{f.count}" if f.count and f.count > 1 else "")
    parts = []
    for r in ranges:
        text = " / ".join(frag(f) for f in r.start)
        if r.end:
            text += " … " + " / ".join(frag(f) for f in r.end)
        parts.append(text)
    return "; ".join(parts)


def _check_captions(doc: Document, resolver: _Resolver, node: Node, f: _Found) -> None:
    """第 16 条（ソフトウェア等の著作権等） while art_16 is captioned ソフトウェアの著作権等 → a finding."""
    for rng, caption in zip(f.ranges, f.captions):
        if caption is None:
            continue
        article_frags = []
        for frag in rng.start:
            article_frags.append(frag)
            if frag.kind == "article":
                break
        targets = resolver.resolve(article_frags, _Context(node, _namespace_of(node)), f.scope)
        article = targets[0] if targets and targets[0].kind == "article" else None
        if article is None or article.caption is None:
            continue
        if _squash(article.caption) != _squash(caption):
            doc.warn(_line_of(node, f.start), "caption-mismatch",
                     f"{node.id}: 「{node.text[f.start:f.end].strip()}」 cites the caption （{caption.strip()}）"
                     f" but {article.id} is captioned （{article.caption}）")


def citation_edges(doc: Document) -> list[dict]:
    """The citation graph: one edge per target; external/document edges point at the name."""
    edges = []
    for r in doc.references:
        if r.kind in ("external", "document"):
            edges.append({"from": r.source, "to": r.law or "", "text": r.text, "kind": r.kind})
        elif r.kind == "unresolved":
            edges.append({"from": r.source, "to": "", "text": r.text, "kind": r.kind})
        else:
            for t in r.targets:
                edges.append({"from": r.source, "to": t, "text": r.text, "kind": r.kind})
    return edges
