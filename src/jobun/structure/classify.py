"""Classify stage: the grammar of line starts.

Each line gets the interpretations its beginning allows — a container heading (第N章), an article
heading (第N条), a paragraph marker (２ / 2. / １． / 3.2 under article 3), an item marker
(（１） (1) 1) ① 一 イ ア a) …), a caption line (（定義）), 附則, 別紙/別表, a bullet, a table header,
説明, 目次 — or plain text. It does not decide: the tree stage picks the interpretation that
numbering continuity allows. All matching runs on the folded view (full-width → ASCII, one character
for one), so columns are those of the source.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from .pagemarks import bounds_page_number, is_copyright_notice, is_page_number
from ..text.lines import Line
from ..text.numerals import AIUEO, CIRCLED, IROHA, NUM_CLASS, to_int

CONTAINER_LEVELS = {"編": 0, "章": 1, "節": 2, "款": 3, "目": 4}
CONTAINER_KIND = ("part", "chapter", "section", "subsection", "division")

_N = NUM_CLASS
_BRANCHES = rf"((?:\s*の\s*{_N})*)"
_CONTAINER = re.compile(rf"第\s*({_N})\s*([編章節款目]){_BRANCHES}")
_ARTICLE = re.compile(rf"第\s*({_N})\s*条{_BRANCHES}")
# 1条（目的）: web terms often drop the 第 before an arabic number.
_ARTICLE_WITHOUT_DAI = re.compile(rf"(\d{{1,3}})\s*条{_BRANCHES}")
# Deleted articles printed as one line: 第五条及び第六条　削除, 第五条から第七条まで　削除 (statutes),
# 第５条～第７条（削除）, 第５条乃至第７条　削除.
_DELETED_RANGE = re.compile(rf"\s*(?:及び|から|乃至|ないし|[~〜\-－―ー])\s*第\s*({_N})\s*条\s*(?:まで)?\s*([(【]?削除[)】]?)$")
_SUPPL = re.compile(r"(?:[【\[]\s*)?[附付]\s*則(?:\s*[】\]])?")
_SUPPL_REST = re.compile(r"\s*(?:\(([^()]*)\))?\s*(?:抄)?\s*$")
_SUPPL_OPEN = re.compile(r"\s*\(([^()]{2,})$")
# The words that open an appendix; references/grammar reads the same words as pointers to one.
APPENDIX_WORDS = "別紙様式|別記様式|別紙|別表|別記|様式|付録|附録"
_APPENDIX = re.compile(rf"[【\[(]?\s*({APPENDIX_WORDS})\s*(?:第?\s*({_N})\s*号?(?:\s*の\s*{_N})*)?")
# 第1項 取得する情報: a numbered heading of a policy or guideline (a 第２項の… at a line start is a
# wrapped reference: the number must stand apart from its text).
_KOU_PARA = re.compile(rf"第\s*({_N})\s*項\s+(?=\S)")
_NUMBERED_FORM = re.compile(rf"第\s*({_N})\s*号\s*(様式|書式)")
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
_BULLET_CHARS = "・•●○■□◆◇▪◦"
_BULLET = re.compile(rf"([{_BULLET_CHARS}])\s*")
_CAPTION_LINE = re.compile(r"[(【\[]([^()【】\[\]]{1,60})[)】\]]")
_CAPTION_OPEN = re.compile(r"[(【]([^()【】]{1,60})$")
# Brackets a caption may stand in after 第N条 (on the folded view: ＜ is <, ［ is [).
_CLOSER = {"(": ")", "【": "】", "[": "]", "「": "」", "『": "』", "〔": "〕", "<": ">", "《": "》", "〈": "〉"}
# Brackets a whole heading line may be printed in (on the folded view: ＜ is <, ［ is [)
_HEADING_BRACKETS = {"【": "】", "[": "]", "<": ">", "《": "》", "〔": "〕", "〈": "〉", "≪": "≫"}
_DECORATIONS = frozenset("■□◆◇●○▼▽▲△★☆◎※#")       # '#': a markdown heading (## 第1条（目的）)
# Markdown list marks: '- ' / '* ' then the entry (a '-' without the space is a dash or a page number).
_ASCII_BULLET = re.compile(r"([-*])\s+(?=\S)")
_NOTE = re.compile(r"[【\[(]?(説明|解説|備考|注記|留意事項)[】\])]?")
_TOC = re.compile(r"目\s*次")
_TABLE_TERM = r"(?:用語|項目|機能|名称|区分|種類|種別|事項|語句|品目|サービス名|対象|番号)"
_TABLE_DESC = r"(?:用語の意味|意味|定義|内容|説明|概要|備考|料金|金額|条件|摘要|詳細|解説)"
_TABLE_HEADER = re.compile(rf"{_TABLE_TERM}{_TABLE_DESC}+")
_TABLE_HEADER_FIRST = frozenset("用項機名区種事語品サ対番")
_KANJI_ITEM_FIRST = frozenset("一二三四五六七八九十")
# What may follow 第N条 when it is a reference inside a sentence rather than a heading.
_REFERENCE_TAIL = re.compile(
    r"(?:の(?![0-9一二三四五六七八九十])|に|を|が|は|で|と|へ|や|も|より|から|まで|及び|および|並びに|ならびに"
    r"|又は|または|若しくは|もしくは|乃至|ないし|[～〜~―—、,・)]|各号|各項|前段|後段|本文|ただし書|但書|所定|規定"
    r"|記載|定め|において|にて|等)")

_START_CHARS = frozenset("第附付別様【[(-*—–ー－Pp0123456789・•●○■□◆◇▪◦説解備注目用項機名区種事語品サ対番一二三四五六七八九十"
                         + "".join(_ROMAN_CHAR) + "".join(_HEADING_BRACKETS) + "".join(_DECORATIONS)
                         + "".join(CIRCLED) + "abcdefghijklmnopqrstuvwxyz"
                         + "".join(chr(c) for c in range(0x30A2, 0x30F4)))

_PAGE_NUMBER_START = frozenset(filter(bounds_page_number, _START_CHARS))      # most lines start none


@dataclass(slots=True)
class Heading:
    """第N章 / 第N条 / 附則 / 別紙 at a line start."""
    kind: str                  # container|article|supplementary|appendix
    num: int | None
    branches: tuple[int, ...]
    label: str                 # as printed, e.g. "第 1条"
    title: str | None          # container title / caption / bracket content (None if absent)
    body_col: int              # column where the text after the heading starts
    shape: str                 # bare|caption|text|glued|reference|open
    level: int = 0             # container level (0 編 … 4 目); appendix label in `title`
    last: int | None = None    # 第五条及び第六条　削除 / 第五条から第七条まで　削除: the last number


@dataclass(slots=True)
class Marker:
    """A paragraph or item marker: `family` tells the numbering style, `num` its value."""
    family: str
    num: int
    label: str
    body_col: int
    branches: tuple[int, ...] = ()
    within: int | None = None       # decimal numbers: 3.2 is paragraph 2 of article 3 (within=3)


@dataclass(slots=True)
class LineStart:
    heading: Heading | None = None
    para: Marker | None = None
    items: tuple[Marker, ...] = ()
    bullet: str | None = None
    bullet_col: int = 0
    caption: str | None = None        # the whole line is a bracketed caption （定義）
    caption_open: bool = False        # the line opens a bracket that closes on a later line
    note: str | None = None           # 説明 / 解説 … alone on the line
    toc: bool = False
    table_header: bool = False
    page_number: bool = False         # '- 3 -': page furniture, not text


# The shared result for a line that no interpretation starts (most lines; never changed after
# classification): the tree stage reads it by identity (tree.read_plain)
PLAIN = LineStart()
PAGE_MARK = LineStart(page_number=True)


def classify_lines(lines: list[Line], continues_sentence=None) -> list[LineStart]:
    """`continues_sentence(text) -> bool` optionally adds a judgement (the tokenizer's, when tokens
    are requested anyway) on whether the text after a line-start 第N条 continues a sentence."""
    starts = [classify(line) for line in lines]
    if continues_sentence is not None:
        for line, ls in zip(lines, starts):
            h = ls.heading
            if h is not None and h.kind == "article" and h.shape in ("text", "glued") \
                    and continues_sentence(line.text[h.body_col:line.end]):
                h.shape = "reference"
    return starts


def classify(line: Line) -> LineStart:
    norm = line.norm
    c = norm[0]
    if c not in _START_CHARS:
        if is_copyright_notice(norm):         # a page number starts with a start character
            return PAGE_MARK
        return PLAIN
    off = line.start
    body = line.text[off:line.end]
    heading = para = note = None
    # Each check runs only for the first characters it can start with: most lines need one or two.
    if c == "第":
        # an article first (most 第 lines): after 第N comes 条 or a container's word, never both
        heading = _article(norm, body, off) or _container(norm, body, off) or _numbered_form(norm, body, off)
        if heading is None:
            para = _kou_paragraph(norm, body, off)
    elif c in "附付【[":
        heading = _supplementary(norm, body, off) or _bracketed_heading(norm, body, off)
    elif c in _HEADING_BRACKETS:
        heading = _bracketed_heading(norm, body, off)
    elif c in _DECORATIONS and norm.lstrip(c).lstrip()[:1] == "第":
        heading = _decorated_heading(norm, body, off)
    bracketed = c in "(【["
    if heading is None and (c in "別様付附" or bracketed and norm[1:].lstrip()[:1] in "別様付附"):
        heading = _appendix(norm, body, off)
    if c in "【[〔" and heading is None and norm[1:].lstrip()[:1].isdigit():
        m = _BRACKETED_PARA.match(norm)
        para = Marker("para", int(m.group(1)), body[:m.end()].rstrip(), off + m.end()) if m else None
    if "0" <= c <= "9":
        para = _paragraph(norm, body, off)
        if para is None and "条" in norm[1:6]:
            heading = _article(norm, body, off)
    elif c == "○" and "0" <= norm[1:2] <= "9":
        para = _marked_paragraph(norm, body, off)
    read_items = _ITEM_READERS.get(c)
    items = _items(read_items, norm, body, off, para) if read_items is not None else ()
    bullet, bullet_col = _bullet(norm, off) if c in _BULLET_CHARS and para is None or c in "-*" else (None, 0)
    caption, caption_open = None, False
    if bracketed and heading is None and para is None:
        m = _CAPTION_LINE.fullmatch(norm) if norm[-1] in ")】]" else None
        if m and "。" not in m.group(1):
            caption = body[1:-1].strip()
        elif "。" not in norm and len(norm) <= 40 and _CAPTION_OPEN.match(norm):
            caption_open = True
    if c in "説解備注" or bracketed and norm[1:2] in "説解備注留":
        m = _NOTE.fullmatch(norm)
        note = m.group(1) if m else None
    toc = c == "目" and bool(_TOC.fullmatch(norm))
    page_number = c in _PAGE_NUMBER_START and is_page_number(norm) \
        or para is None and heading is None and is_copyright_notice(norm)
    table_header = c in _TABLE_HEADER_FIRST and " " in norm and bool(_TABLE_HEADER.fullmatch(norm.replace(" ", "")))
    if heading is None and para is None and not items and bullet is None and caption is None \
            and not caption_open and note is None and not toc and not table_header and not page_number:
        return PLAIN                    # a start character that started nothing ('第三者', '2024年')
    return LineStart(heading, para, items, bullet, bullet_col, caption, caption_open, note, toc, table_header,
                     page_number)


def _bullet(norm: str, off: int) -> tuple[str | None, int]:
    """(the bullet mark, where the text after it starts) of a line starting with a bullet
    character (・ ● ■ …) or an ASCII - / * that is not a page number ('- 3 -')."""
    if norm[0] in "-*":
        m = _ASCII_BULLET.match(norm)
        return (m.group(1), off + m.end()) if m and not is_page_number(norm) else (None, 0)
    m = _BULLET.match(norm)
    return m.group(1), off + m.end()


def _branches(s: str) -> tuple[int, ...]:
    if not s:
        return ()
    return tuple(to_int(p) or 0 for p in re.split(r"\s*の\s*", s.strip())[1:])


def _container(norm: str, body: str, off: int) -> Heading | None:
    m = _CONTAINER.match(norm)
    if not m:
        return None
    rest = norm[m.end():]
    title = rest.strip()
    if "。" in title or len(title) > 40 or (title and _REFERENCE_TAIL.match(rest.lstrip()) and not rest[:1].isspace()):
        shape = "reference"
    else:
        shape = "bare" if not title else "text"
    col = m.end() + len(rest) - len(rest.lstrip())
    return Heading("container", to_int(m.group(1)), _branches(m.group(3)), body[:m.end()],
                   body[col:].strip() or None, off + col, shape, CONTAINER_LEVELS[m.group(2)])


def _bracketed_heading(norm: str, body: str, off: int) -> Heading | None:
    """A heading printed as a whole line in brackets: 【第１条 目的】, 【第１条（目的）】, 【第２章 契約】,
    ＜第１条 目的＞, 《第１条（目的）》. What follows the number inside is the caption or the title."""
    if norm[-1:] != _HEADING_BRACKETS.get(norm[0]) or norm[1:].lstrip()[:1] != "第":
        return None
    inner, inner_body = norm[1:-1], body[1:-1]
    lead = len(inner) - len(inner.lstrip())
    inner, inner_body = inner[lead:].rstrip(), inner_body[lead:].rstrip()
    h = _container(inner, inner_body, off + 1 + lead) or _article(inner, inner_body, off + 1 + lead)
    if h is None or h.shape == "reference" or any(ch in inner for ch in "。【】[]"):
        return None
    if h.kind == "article" and h.shape in ("text", "glued"):
        h.title, h.shape = inner_body[h.body_col - off - 1 - lead:].strip(), "caption"
    elif h.kind == "article" and h.shape == "open":
        return None
    h.body_col = off + len(norm)            # nothing after the closing bracket
    return h


def _decorated_heading(norm: str, body: str, off: int) -> Heading | None:
    """A heading after a decorative mark: ■第１条（目的）, ◆ 第２章 契約 (web pages copied as text).
    Only a heading: ■ before anything else is a bullet."""
    rest = norm.lstrip(norm[0]).lstrip()         # ■■ 第１条, ## 第１条
    lead = len(norm) - len(rest)
    h = _container(rest, body[lead:], off + lead) or _article(rest, body[lead:], off + lead)
    return h if h is not None and h.shape != "reference" else None


def _article(norm: str, printed: str, off: int) -> Heading | None:
    m = _ARTICLE.match(norm) if norm[0] == "第" else _ARTICLE_WITHOUT_DAI.match(norm)
    if not m:
        return None
    deleted = _DELETED_RANGE.match(norm, m.end()) if norm.rstrip(")】").endswith("削除") else None
    if deleted and not m.group(2):
        return Heading("article", to_int(m.group(1)), (), printed[:deleted.start(2)].strip(), None,
                       off + deleted.start(2), "bare", last=to_int(deleted.group(1)))
    rest = norm[m.end():]
    body = rest.lstrip()
    spaced = len(body) < len(rest)
    col = m.end() + len(rest) - len(body)          # column (in the line body) of what follows the number
    caption = None
    if not body:
        shape = "bare"
    elif body[0] in _CLOSER:
        close = body.find(_CLOSER[body[0]])
        if close < 0:
            caption, shape = printed[col + 1:].strip(), "open"
            col = len(norm)
        else:
            caption = printed[col + 1:col + close].strip()
            after = body[close + 1:]
            tail = after.lstrip()
            if caption == "削除" and not tail:
                # 第２条（削除）: the article's text, as 第２条　削除 prints it, not a caption
                return Heading("article", to_int(m.group(1)), _branches(m.group(2)), printed[:m.end()], None,
                               off + col, "text")
            col += close + 1 + len(after) - len(tail)
            glued_article_part = tail.startswith("第") and tail == after     # 第１７条（提供停止）第１項
            shape = "reference" if tail and (_REFERENCE_TAIL.match(tail) or glued_article_part) else "caption"
    elif _REFERENCE_TAIL.match(body) or (not spaced and body[0] == "第"):
        shape = "reference"
    elif spaced:
        shape = "text"
    elif norm[0] == "第":
        shape = "glued"
    else:
        return None                     # 3条件を満たす: without 第, only a spaced or captioned heading
    return Heading("article", to_int(m.group(1)), _branches(m.group(2)), printed[:m.end()], caption,
                   off + col, shape)


def _supplementary(norm: str, body: str, off: int) -> Heading | None:
    m = _SUPPL.match(norm)
    if not m:
        return None
    r = _SUPPL_REST.match(norm, m.end())
    if r:
        title = body[r.start(1):r.end(1)].strip() if r.group(1) else None
        label = body[:m.end()] + ("　抄" if "抄" in norm[r.end(1) if r.group(1) else m.end():] else "")
        return Heading("supplementary", None, (), label, title, off + len(norm), "bare")
    r = _SUPPL_OPEN.match(norm, m.end())          # 附　則　（平成十五年七月十六日法律第百 | 十九号）　抄
    if r:
        return Heading("supplementary", None, (), body[:m.end()], body[r.start(1):].strip(), off + len(norm), "open")
    return None


def _appendix(norm: str, body: str, off: int) -> Heading | None:
    m = _APPENDIX.match(norm)
    if not m:
        return None
    rest = norm[m.end():].strip(" 】]")
    if "。" in rest or len(rest) > 40 or (rest and _REFERENCE_TAIL.match(rest)):
        return None
    if not m.group(2) and norm[m.end(1):m.end(1) + 1] not in " ()【】[]":
        return None                     # 別表大阪地方裁判所の項, （別記事業の特例）: a noun compound
    num = to_int(m.group(2)) if m.group(2) else None
    return Heading("appendix", num, (), body[:m.end()].strip(), m.group(1), off + len(norm), "bare")


def _numbered_form(norm: str, body: str, off: int) -> Heading | None:
    """第一号様式（第五条関係） / 第三号書式（その二）: a form appendix numbered before its word."""
    m = _NUMBERED_FORM.match(norm)
    if not m:
        return None
    rest = norm[m.end():].strip()
    if "。" in rest or len(rest) > 40 or (rest and _REFERENCE_TAIL.match(rest)):
        return None
    return Heading("appendix", to_int(m.group(1)), (), body[:m.end()].strip(), m.group(2), off + len(norm), "bare")


def _paragraph(norm: str, body: str, off: int) -> Marker | None:
    m = _PARA.match(norm)
    if not m:
        return _decimal_paragraph(norm, body, off)
    if "." not in m.group(0) and _COUNTER_QUANTITY.match(norm, m.end()):
        return None
    return Marker("para", int(m.group(1)), body[:m.end()].rstrip(), off + m.end())


def _kou_paragraph(norm: str, body: str, off: int) -> Marker | None:
    m = _KOU_PARA.match(norm)
    if not m or _REFERENCE_TAIL.match(norm, m.end()):
        return None
    return Marker("para", to_int(m.group(1)) or 0, body[:m.end()].rstrip(), off + m.end())


def _marked_paragraph(norm: str, body: str, off: int) -> Marker | None:
    """○２　…: older statutes mark each paragraph after the first with a circle before its number."""
    m = _PARA.match(norm, 1)
    if not m or m.end() == len(norm) or "." in m.group(0):
        return None
    return Marker("para", int(m.group(1)), body[:m.end()].rstrip(), off + m.end())


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


def _items(read_items, norm: str, body: str, off: int, para: Marker | None) -> tuple[Marker, ...]:
    """Item markers at the line start as `read_items` reads them; '(1)に定める…' is a reference."""
    markers = read_items(norm, body, off, para)
    if not markers:
        return ()
    if len(markers) == 1:               # most lines: one reading, no list to build
        at = markers[0].body_col - off
        return (markers[0],) if norm[at - 1].isspace() or not _REFERENCE_TAIL.match(norm, at) else ()
    return tuple([m for m in markers
                  if norm[m.body_col - off - 1].isspace() or not _REFERENCE_TAIL.match(norm, m.body_col - off)])


def _circled_marker(norm: str, body: str, off: int, para: Marker | None = None) -> list[Marker]:
    return [Marker("circled", CIRCLED[norm[0]], norm[0], off + _CIRCLED.match(norm).end())]


def _roman_char_marker(norm: str, body: str, off: int, para: Marker | None = None) -> list[Marker]:
    family, value = _ROMAN_CHAR[norm[0]]
    end = _ROMAN_CHAR_ITEM.match(norm).end()
    return [Marker(family, value, body[:end].rstrip(), off + end)]


def _kanji_marker(norm: str, body: str, off: int, para: Marker | None = None) -> list[Marker]:
    m = _KANJI_ITEM.match(norm)
    return [Marker("kanji", to_int(m.group(1)) or 0, body[:m.end()].rstrip(), off + m.end(), _branches(m.group(2)))] if m else []


def _kana_item(norm: str, body: str, off: int, para: Marker | None = None) -> list[Marker]:
    m = _KANA_ITEM.match(norm)
    return _kana_markers(m, "", body, off) if m else []


def _paren_markers(norm: str, body: str, off: int, para: Marker | None = None) -> list[Marker]:
    # Each pattern only where the first character inside the bracket can start its number.
    inner = norm[1:].lstrip()[:1]
    if inner.isdigit():
        m = _PAREN_NUM.match(norm)
        return [Marker("paren-num", int(m.group(1)), body[:m.end()].rstrip(), off + m.end(),
                       _branches(m.group(2)))] if m else []
    if inner in _KANJI_ITEM_FIRST:
        m = _PAREN_KANJI.match(norm)
        return [Marker("paren-kanji", to_int(m.group(1)) or 0, body[:m.end()].rstrip(), off + m.end())] if m else []
    if "\u30a2" <= inner <= "\u30f3":
        m = _PAREN_KANA.match(norm)
        return _kana_markers(m, "paren-", body, off) if m else []
    if "a" <= inner <= "z":
        return _latin_markers(norm, body, off)
    return []


def _number_markers(norm: str, body: str, off: int, para: Marker | None) -> list[Marker]:
    """`para` is the line's reading as a paragraph (_paragraph): '2.' and '2 ' number an item alike."""
    out = []
    m = _HALF_PAREN_NUM.match(norm) if ")" in norm[1:4] else None
    if m:
        out.append(Marker("num-paren", int(m.group(1)), body[:m.end()].rstrip(), off + m.end()))
    if para is not None and para.within is None:
        end = para.body_col - off
        dotted = "." in norm[:end]
        if dotted or end < len(norm):   # a bare number: a paragraph number or a page number, never an item
            out.append(Marker("num-dot" if dotted else "num-space", para.num, para.label, para.body_col))
    m = _DECIMAL_ITEM.match(norm) if not out else None
    if m:                               # 1.2.3: item 3 of paragraph 2 of article 1
        return [Marker("decimal-item", int(m.group(4)), body[:m.end()].rstrip(), off + m.end(), within=int(m.group(3)))]
    decimal = _decimal_paragraph(norm, body, off, "decimal") if not out else None
    if decimal is not None:
        out.append(decimal)             # 1.1 under a paragraph numbered 1 (no article 1 above)
    return out


def _kana_markers(m: re.Match, prefix: str, body: str, off: int) -> list[Marker]:
    """イ is first in iroha order and second in aiueo order: both readings, continuity decides."""
    ch, end = m.group(1), m.end()
    label = body[:end].rstrip()
    i, k = IROHA.find(ch), AIUEO.find(ch)           # a loop or comprehension over both: slower
    out = [Marker(prefix + "iroha", i + 1, label, off + end)] if i >= 0 else []
    if k >= 0:
        out.append(Marker(prefix + "aiueo", k + 1, label, off + end))
    return out


def _latin_markers(norm: str, body: str, off: int, para: Marker | None = None) -> list[Marker]:
    out = []
    m = _LATIN_ITEM.match(norm)
    if m:
        out.append(Marker("latin", ord(m.group(1) or m.group(2)) - 96, body[:m.end()].rstrip(), off + m.end()))
    m = _ROMAN_ITEM.match(norm)
    if m and (m.group(1) or m.group(2)) in _ROMAN:
        out.append(Marker("roman", _ROMAN[m.group(1) or m.group(2)], body[:m.end()].rstrip(), off + m.end()))
    return out


# The item reader for each character an item marker can start with (any other starts no item)
_ITEM_READERS = {"(": _paren_markers, **dict.fromkeys("0123456789", _number_markers),
                 **dict.fromkeys(CIRCLED, _circled_marker), **dict.fromkeys(_ROMAN_CHAR, _roman_char_marker),
                 **dict.fromkeys(_KANJI_ITEM_FIRST, _kanji_marker),
                 **dict.fromkeys(map(chr, range(0x30A2, 0x30F4)), _kana_item),
                 **dict.fromkeys("abcdefghijklmnopqrstuvwxyz", _latin_markers)}
