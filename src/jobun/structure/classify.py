"""Classify stage: the grammar of line starts.

Each line gets the interpretations its beginning allows — a container heading (第N章), an article
heading (第N条), a paragraph marker (２ / 2. / １． / 3.2 under article 3), an item marker
(（１） (1) 1) ① 一 イ ア a) …), a caption line (（定義）), 附則, 別紙/別表, a bullet, a table header,
説明, 目次 — or plain text. It does not decide: the tree stage picks the interpretation that
numbering continuity allows. All matching runs on the folded view (full-width → ASCII, one character
for one), so columns are those of the source. A line's first character decides which rules it is
tried against (one reader per kind of first character); markers.py reads paragraph and item numbers.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from .markers import ITEM_READERS, REFERENCE_TAIL, Marker, branches, not_references, number_markers, \
    paren_markers, read_bracketed_paragraph, read_kou_paragraph, read_marked_paragraph, read_paragraph
from .pagemarks import bounds_page_number, is_copyright_notice, is_page_number
from ..text.lines import Line
from ..text.numerals import NUM_CLASS, to_int

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
_NUMBERED_FORM = re.compile(rf"第\s*({_N})\s*号\s*(様式|書式)")
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
    """The LineStart of each line. `continues_sentence(text) -> bool` optionally adds a judgement
    (the tokenizer's, when tokens are requested anyway) on whether the text after a line-start
    第N条 continues a sentence."""
    starts: list[LineStart] = []
    append, reader_of = starts.append, _LINE_READERS.get
    # the loop does what classify() does for one line, without a call per line
    for line in lines:
        norm = line.norm
        read = reader_of(norm[0])
        if read is None:                # most lines: no rule starts with their first character
            append(PAGE_MARK if is_copyright_notice(norm) else PLAIN)
        else:
            append(read(norm, line.text[line.start:line.end], line.start))
    if continues_sentence is not None:
        for line, ls in zip(lines, starts):
            h = ls.heading
            if h is not None and h.kind == "article" and h.shape in ("text", "glued") \
                    and continues_sentence(line.text[h.body_col:line.end]):
                h.shape = "reference"
    return starts


def classify(line: Line) -> LineStart:
    """The LineStart of one line (as classify_lines reads it)."""
    return classify_lines([line])[0]


# One reader per kind of first character: each applies the rules that can start with it, in the
# order they take precedence, and the line is plain (PLAIN) when none of them reads anything.
# A page mark may stand in any line that no heading or paragraph number starts.

def _read_dai(norm: str, body: str, off: int) -> LineStart:
    """第: an article first (most 第 lines; after 第N comes 条 or a container's word, never both),
    a container, a numbered form, a 第N項 paragraph."""
    heading = _article(norm, body, off) or _container(norm, body, off) or _numbered_form(norm, body, off)
    if heading is not None:
        return LineStart(heading)
    para = read_kou_paragraph(norm, body, off)
    if para is not None:
        return LineStart(None, para)
    return PAGE_MARK if is_copyright_notice(norm) else PLAIN


def _read_number(norm: str, body: str, off: int) -> LineStart:
    """0-9: a paragraph number, an article without 第 (1条（目的）), item numbers, a page number."""
    para = read_paragraph(norm, body, off)
    heading = _article(norm, body, off) if para is None and "条" in norm[1:6] else None
    items = not_references(number_markers(norm, body, off, para), norm, off)
    page_number = is_page_number(norm) or para is None and heading is None and is_copyright_notice(norm)
    if para is None and heading is None and not items and not page_number:
        return PLAIN                    # '2024年', '3 ヶ月': a number that starts nothing
    return LineStart(heading, para, items, None, 0, None, False, None, False, False, page_number)


def _read_paren(norm: str, body: str, off: int) -> LineStart:
    """(: an appendix in brackets, an item number, a caption line, a note."""
    inner = norm[1:2]                   # the first character inside the bracket
    if inner.isspace():
        inner = norm[1:].lstrip()[:1]
    heading = _appendix(norm, body, off) if inner in "別様付附" else None
    items = not_references(paren_markers(norm, body, off, inner), norm, off)
    caption, caption_open = _caption(norm, body) if heading is None else _NO_CAPTION
    note = _note(norm) if norm[1:2] in "説解備注留" else None
    page_number = heading is None and is_copyright_notice(norm)
    if heading is None and not items and caption is None and not caption_open and note is None \
            and not page_number:
        return PLAIN
    return LineStart(heading, None, items, None, 0, caption, caption_open, note, False, False, page_number)


def _read_bracket(norm: str, body: str, off: int) -> LineStart:
    """【 [ 〔 < 《 〈 ≪: a heading in brackets (【第１条 目的】, 【附則】), and after 【 or [ an appendix,
    a bracketed number (【1】, also 〔3〕), a caption line or a note."""
    c = norm[0]
    bracketed = c in "【["
    if bracketed:
        heading = _supplementary(norm, body, off) or _bracketed_heading(norm, body, off)
    else:
        heading = _bracketed_heading(norm, body, off)
    inner = norm[1:].lstrip()[:1]
    if heading is None and bracketed and inner in "別様付附":
        heading = _appendix(norm, body, off)
    para = read_bracketed_paragraph(norm, body, off) if heading is None and c in "【[〔" and inner.isdigit() \
        else None
    caption, caption_open = _caption(norm, body) if bracketed and heading is None and para is None \
        else _NO_CAPTION
    note = _note(norm) if bracketed and norm[1:2] in "説解備注留" else None
    page_number = para is None and heading is None and is_copyright_notice(norm)
    if heading is None and para is None and caption is None and not caption_open and note is None \
            and not page_number:
        return PLAIN
    return LineStart(heading, para, (), None, 0, caption, caption_open, note, False, False, page_number)


def _read_appendix_word(norm: str, body: str, off: int) -> LineStart:
    """附 付 別 様: 附則, or an appendix (別表, 様式, 付録)."""
    heading = (_supplementary(norm, body, off) if norm[0] in "附付" else None) or _appendix(norm, body, off)
    if heading is not None:
        return LineStart(heading)
    return PAGE_MARK if is_copyright_notice(norm) else PLAIN


def _read_mark(norm: str, body: str, off: int) -> LineStart:
    """■ ● ○ ・ …: a heading after a decoration (■第１条（目的）), ○２ (an older statute's paragraph), a bullet."""
    c = norm[0]
    heading = _decorated_heading(norm, body, off) if c in _DECORATIONS and norm.lstrip(c).lstrip()[:1] == "第" \
        else None
    para = read_marked_paragraph(norm, body, off) if c == "○" and "0" <= norm[1:2] <= "9" else None
    bullet, bullet_col = _bullet(norm, off) if c in _BULLET_CHARS and para is None else (None, 0)
    page_number = para is None and heading is None and is_copyright_notice(norm)
    if heading is None and para is None and bullet is None and not page_number:
        return PLAIN
    return LineStart(heading, para, (), bullet, bullet_col, None, False, None, False, False, page_number)


def _read_item(norm: str, body: str, off: int) -> LineStart:
    """① ⅰ 一 イ a …: an item number of the other families; サ may start a table header, p a page number."""
    c = norm[0]
    items = not_references(ITEM_READERS[c](norm, body, off), norm, off)
    table_header = c in _TABLE_HEADER_FIRST and _table_header(norm)
    page_number = c in _PAGE_NUMBER_START and is_page_number(norm) or is_copyright_notice(norm)
    if not items and not table_header and not page_number:
        return PLAIN
    return LineStart(None, None, items, None, 0, None, False, None, False, table_header, page_number)


def _read_other(norm: str, body: str, off: int) -> LineStart:
    """- * (a markdown bullet), a page number ('- 3 -', 'Page 3'), a note (説明), 目次, a table header."""
    c = norm[0]
    bullet, bullet_col = _bullet(norm, off) if c in "-*" else (None, 0)
    note = _note(norm) if c in "説解備注" else None
    toc = c == "目" and _TOC.fullmatch(norm) is not None
    table_header = c in _TABLE_HEADER_FIRST and _table_header(norm)
    page_number = c in _PAGE_NUMBER_START and is_page_number(norm) or is_copyright_notice(norm)
    if bullet is None and note is None and not toc and not table_header and not page_number:
        return PLAIN
    return LineStart(None, None, (), bullet, bullet_col, None, False, note, toc, table_header, page_number)


_NO_CAPTION = (None, False)


def _caption(norm: str, body: str) -> tuple[str | None, bool]:
    """(the caption, whether one opens): a whole line in brackets is a caption （定義）; a short line
    that opens a bracket it does not close opens one."""
    m = _CAPTION_LINE.fullmatch(norm) if norm[-1] in ")】]" else None
    if m and "。" not in m.group(1):
        return body[1:-1].strip(), False
    if "。" not in norm and len(norm) <= 40 and _CAPTION_OPEN.match(norm):
        return None, True
    return _NO_CAPTION


def _note(norm: str) -> str | None:
    """説明 / 解説 / 備考 … alone on the line (bracketed or not)."""
    m = _NOTE.fullmatch(norm)
    return m.group(1) if m else None


def _table_header(norm: str) -> bool:
    """用語　意味 / 項目 内容: the header row of a two-column table (spaced apart)."""
    return " " in norm and _TABLE_HEADER.fullmatch(norm.replace(" ", "")) is not None


def _bullet(norm: str, off: int) -> tuple[str | None, int]:
    """(the bullet mark, where the text after it starts) of a line starting with a bullet
    character (・ ● ■ …) or an ASCII - / * that is not a page number ('- 3 -')."""
    if norm[0] in "-*":
        m = _ASCII_BULLET.match(norm)
        return (m.group(1), off + m.end()) if m and not is_page_number(norm) else (None, 0)
    m = _BULLET.match(norm)
    return m.group(1), off + m.end()


def _container(norm: str, body: str, off: int) -> Heading | None:
    m = _CONTAINER.match(norm)
    if not m:
        return None
    rest = norm[m.end():]
    title = rest.strip()
    if "。" in title or len(title) > 40 or (title and REFERENCE_TAIL.match(rest.lstrip()) and not rest[:1].isspace()):
        shape = "reference"
    else:
        shape = "bare" if not title else "text"
    col = m.end() + len(rest) - len(rest.lstrip())
    return Heading("container", to_int(m.group(1)), branches(m.group(3)), body[:m.end()],
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
    number, branched = m.groups()
    head = m.end()
    deleted = _DELETED_RANGE.match(norm, head) if norm.rstrip(")】").endswith("削除") else None
    if deleted and not branched:
        return Heading("article", to_int(number), (), printed[:deleted.start(2)].strip(), None,
                       off + deleted.start(2), "bare", last=to_int(deleted.group(1)))
    rest = norm[head:]
    body = rest.lstrip()
    spaced = len(body) < len(rest)
    col = head + len(rest) - len(body)          # column (in the line body) of what follows the number
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
                return Heading("article", to_int(number), branches(branched), printed[:head], None,
                               off + col, "text")
            col += close + 1 + len(after) - len(tail)
            glued_article_part = tail.startswith("第") and tail == after     # 第１７条（提供停止）第１項
            shape = "reference" if tail and (REFERENCE_TAIL.match(tail) or glued_article_part) else "caption"
    elif REFERENCE_TAIL.match(body) or (not spaced and body[0] == "第"):
        shape = "reference"
    elif spaced:
        shape = "text"
    elif norm[0] == "第":
        shape = "glued"
    else:
        return None                     # 3条件を満たす: without 第, only a spaced or captioned heading
    return Heading("article", to_int(number), branches(branched) if branched else (), printed[:head], caption,
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
    if "。" in rest or len(rest) > 40 or (rest and REFERENCE_TAIL.match(rest)):
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
    if "。" in rest or len(rest) > 40 or (rest and REFERENCE_TAIL.match(rest)):
        return None
    return Heading("appendix", to_int(m.group(1)), (), body[:m.end()].strip(), m.group(2), off + len(norm), "bare")


# The reader of each character a rule starts with (any other line is plain or a page mark). Later
# entries win: p and サ start items too, and _read_item reads their page numbers and table headers.
_LINE_READERS = {**dict.fromkeys("-*—–ー－Pp説解備注目" + "".join(_TABLE_HEADER_FIRST), _read_other),
                 **dict.fromkeys(ITEM_READERS, _read_item),
                 **dict.fromkeys(_DECORATIONS | frozenset(_BULLET_CHARS), _read_mark),
                 **dict.fromkeys("附付別様", _read_appendix_word),
                 **dict.fromkeys(_HEADING_BRACKETS, _read_bracket),
                 **dict.fromkeys("0123456789", _read_number),
                 "(": _read_paren, "第": _read_dai}
_PAGE_NUMBER_START = frozenset(filter(bounds_page_number, _LINE_READERS))      # most lines start none
