"""The glossary: the defined terms of a document (Document.definitions), each with its definition,
node, span, form and scope; where each is used is uses.py's.

Forms (Definition.form):
- "inline": a declaration in a bracket — （以下「当社」といいます。）（以下、「本サービス」という。）
  （以下『本約款』とします）(以下本条において「X」といいます。) （以下、運営元という）（以下単に「命令」
  という。）（次条において「X」という。）… — verbs いう/いい/言い/とし/とする/と称/と総称/と呼;
  併せて/あわせて/総称して may precede the quote, and a second quote in the same bracket is a second
  term (（以下「申込メール」といい、申込書と併せて「申込書等」…）). The declaration is the clause after
  the bracket's last 。 (（…を含む。以下「規則」という。） defines 規則 for the phrase before the bracket).
- "table": a two-or-more column table of the node (Node.tables): first cell = term, rest = definition.
- "article" / "item": in an article whose caption contains 定義, or under a lead-in that speaks of
  用語の意義/意味/定義 (次の各号に掲げる用語の意義は…), a paragraph "term：definition" (form "article") or
  an item "term definition" / "term：definition" (form "item"). A sentence 「X」とは、…をいう (or
  X とは … をいいます) anywhere is "article", or "item" when it sits in an item; ＸとはＡを、ＹとはＢをいう
  defines both.
- "law": a name defined for a statute (会社法（…。以下「法」という。）), found by the reference stage.

The definition of an inline term is the phrase the bracket abbreviates, found by this rule:
1. if the bracket directly follows a quotation 「…」/『…』, the quoted text;
2. otherwise walk back from the bracket, stepping over balanced （…） groups, to the nearest 。 、 ，
   or bracket/quote character or the start of the line;
3. then drop everything up to the last topic/adverbial particle in that phrase (は, では, には,
   において, に基づき, により, によって, として): "本利用規約に基づきＸ" → "Ｘ". Case particles が/を/の
   are kept because they usually sit inside a relative clause ("当社が提供するサービス").
4. for 併せて/総称して declarations the phrase extends back over 、-separated items (an enumeration)
   until a segment holds such a particle; a second term introduced by "Ｙと併せて「Ｚ」" is defined as
   "<phrase of the first term>及びＹ".

Scope (Definition.scope): the id of the node a stated scope covers, when it can be resolved —
本条/この条 → the enclosing article, 本項/この項 → paragraph, 本号/この号 → item, 本章 → chapter,
本節 → section (この条及び次条において: the first unit named); "document" for 以下同じ and for
本規約/本約款/本利用規約/この法律/この政令…において; the kind word
("article", "paragraph", …) when no such enclosing node exists; None when no scope is stated (a
plain 以下「X」 runs to the end of the document).
"""
from __future__ import annotations

import re

from . import listed
from ..model import Definition, Node
from ..text.brackets import matching_close, matching_open

# --- inline ------------------------------------------------------------------------------------

# 以下, or a quoted term followed by a declaring verb, inside a bracket: where a declaration is.
# Each alternative opens with a literal, not a class ([」』]): the engine then scans for the three
# first characters in C instead of trying the pattern at every position (half the time).
_DECLARING_VERB = r"[ \u3000]*と[ \u3000]*(?:いい|いう|言い|言う|し|す|称|総称|呼)"
_DECLARATION_SIGN = re.compile(f"以下|」{_DECLARING_VERB}|』{_DECLARING_VERB}")
# 「term」という / といいます / とします / と称する …, or 「term」 closing the bracket: （以下「甲」）
_QUOTED_TERM = re.compile(
    r"[「『][ \u3000]*([^「」『』\n]+?)[ \u3000]*[」』][ \u3000]*"
    r"(?=と[ \u3000]*(?:いい|いう|言い|言う|し|す|称|総称|呼)|[。．]?[ \u3000]*$)")
_UNQUOTED_TERM = re.compile(
    r"^以下[、,，]?[ \u3000]*(?:本(?:条|項|号|章|節)?において|この(?:条|項|号|章|節)において)?[、,，]?"
    r"(?:併せて|あわせて|総称して)?[、,，]?[ \u3000]*"
    r"([^「」『』、。()（）\n]{1,40}?)[ \u3000]*と(?:いい|いう|言い|言う|し|す|称|総称|呼)")
_COMBINED = re.compile(r"(?:併せて|あわせて|総称して)")
_SECOND_TERM_CLAUSE = re.compile(r"([^、，,]+?)(?:と|を)(?:併せて|あわせて|総称して)[、，,]?[ \u3000]*$")
# 本条において / この章において / この条及び次条において: the first unit named is the scope
_SCOPE_WORD = re.compile(r"(?:本|この)(条|項|号|章|節)(?:[^、。「」『』\n]{0,20}?)において")
_DOCUMENT_SCOPE = re.compile(
    r"以下同じ|(?:本|この)[^、。「」（）\n]{0,12}(?:規約|約款|規則|規程|法律|政令|省令|府令|命令|条例)(?:等)?において"
    r"|(?:^|[、。\s])[^、。「」（）\n]{0,12}(?:規約|約款|規則|規程)(?:等)?において")
# は of 又は/または/もしくは/若しくは is a conjunction, not the topic particle.
_PHRASE_CUT = re.compile(r"(?:において|に基づき|に基づいて|によって|により|では|には|(?<![又まく])は)")
_EARLIER_DECLARATION = re.compile(
    r"[（(][^（）()\n]*(?:以下|[」』][ \u3000]*と[ \u3000]*(?:いい|いう|言い|言う|し|す))[^（）()\n]*[）)]")
_LEADING_PARTICLE = re.compile(r"^(?:の|を|が|に|と|へ|で)")
_LEADING_CONJUNCTION = re.compile(r"^(?:及び|および|又は|または|並びに|ならびに|若しくは|もしくは)[ \u3000]*")
# hiragana allowed inside a listed noun of an enumeration (及び, 又は, 並びに, 若しくは, の)
_ENUMERATION_KANA = {"の", "び", "は", "びに", "しくは", "および", "または", "もしくは", "ならびに"}
_HIRAGANA_RUN = re.compile(r"[\u3041-\u309f]+")
_STOP_CHARS = "。、，,「」『』（(\n"
# the last stop character or closing bracket before a position: `.*` takes the whole text at once
# and steps back in C, a character at a time, to the nearest one
_LAST_BOUND = re.compile(f"(?s:.*)[{re.escape(_STOP_CHARS)}）)]")
_LAST_ROUND_OR_BREAK = re.compile("(?s:.*)[（()）\n]")          # the same for round brackets
_SCOPE_KINDS = {"条": "article", "項": "paragraph", "号": "item", "章": "chapter", "節": "section"}

# --- X とは …をいう ----------------------------------------------------------------------------

# the body may hold brackets with their own 。 (…規則（平成十二年総理府令第百二十二号。以下「規則」という。）…)
_TOWA_TAIL_TEXT = (r"とは[、，]?[ \u3000]*(?P<body>(?:[^。\n（(]|[（(](?:[^（）()\n]|[（(][^（）()\n]*[）)])*[）)])*?"
                   r"(?:をいう|をいいます|を意味する|を意味します|のことをいう))")
_TOWA = re.compile(
    r"(?:(?P<scope>(?:本|この)[^、。「」（）\n]{0,12}において)(?:は)?[、，]?[ \u3000]*)?"
    r"(?:[「『](?P<quoted>[^「」『』\n]{1,40})[」』]|(?P<bare>[^、。「」『』（）()\s]{1,30}?))"
    + _TOWA_TAIL_TEXT)
_TOWA_TAIL = re.compile(_TOWA_TAIL_TEXT)
_NEXT_TOWA = re.compile(r"を[、，][ \u3000]*(?=[^、。「」『』（）()\n]{1,30}?とは)")
_TOWA_REACH = 100       # scope (≤ 20) + quoted term (≤ 42), with room for stray spaces


def extract(nodes: list[Node], law_aliases: list[Definition] = ()) -> list[Definition]:
    """All definitions found in `nodes` (a document's nodes in document order), in that order,
    with the `law_aliases` the reference stage found (form "law")."""
    found: list[Definition] = list(law_aliases)
    for node in nodes:
        # Each form is tried only where its sign is (most nodes have none): a function call per form
        # and node cost more than the forms themselves. A search for one character (memchr) is a
        # third of one for two: the rarer first.
        text = node.text
        if text:
            if "以" in text and "以下" in text or "」" in text and "」と" in text or "』" in text and "』と" in text:
                found.extend(_inline(node))
            if "とは" in text:
                found.extend(_towa(node))
        if node.tables:
            found.extend(listed.table_entries(node, _scope_of(text[:200], node)))
        if node.kind == "article" and node.caption and "定義" in node.caption:
            found.extend(listed.article_entries(node, _article_scope(node)))
        elif node.kind == "paragraph" and node.children and "用語" in text and listed.GLOSSARY_LEAD.search(text):
            found.extend(listed.item_entries(node, _scope_of(text[:200], node)))
    found = _dedupe(found)
    order = {n.id: i for i, n in enumerate(nodes)}
    found.sort(key=lambda d: (order.get(d.node, 0), d.span[0]))
    return found


def _dedupe(defs: list[Definition]) -> list[Definition]:
    seen: set[tuple] = set()
    kept = []
    for d in defs:
        key = (d.node, d.span, d.term)
        if key not in seen:
            seen.add(key)
            kept.append(d)
    return kept


# --- inline declarations -----------------------------------------------------------------------

def _inline(node: Node) -> list[Definition]:
    text = node.text
    defs = []
    for opening, inner_start, close in _declaring_brackets(text):
        content = text[inner_start:close]
        scope = _scope_of(content, node)
        quoted = list(_QUOTED_TERM.finditer(content))
        # 併せて/総称して, or a first term ending in 等: the phrase may be an enumeration
        combined = _COMBINED.search(content) is not None or bool(quoted) and quoted[0].group(1).endswith("等")
        phrase = _abbreviated_phrase(text, opening, combined)
        if quoted:
            previous_end = 0
            for i, q in enumerate(quoted):
                term = q.group(1)
                span = (inner_start + q.start(1), inner_start + q.end(1))
                definition = phrase
                if i > 0:
                    clause = content[previous_end:q.start()].lstrip("、，, \u3000")
                    joined = _SECOND_TERM_CLAUSE.search(clause)
                    if joined:
                        definition = f"{phrase}及び{joined.group(1).strip()}"
                defs.append(Definition(term, definition, node.id, span, "inline", scope))
                previous_end = q.end()
            continue
        bare = _UNQUOTED_TERM.match(content.strip())
        if bare:
            offset = inner_start + (len(content) - len(content.lstrip()))
            span = (offset + bare.start(1), offset + bare.end(1))
            defs.append(Definition(bare.group(1), phrase, node.id, span, "inline", scope))
    return defs


def _declaring_brackets(text: str) -> list[tuple[int, int, int]]:
    """(opening bracket, start of the declaring clause, closing bracket) of each bracket that holds
    a declaration sign at its own depth. The clause starts after the bracket's last 。 before the
    sign: （…を含む。以下「規則」という。） declares 規則 for the phrase before the bracket."""
    found = []
    seen: set[int] = set()
    opening = close = -1
    for sign in _DECLARATION_SIGN.finditer(text):
        at = sign.start()
        if at < close and at - opening < 400 and _opens_none(text, opening + 1, at):
            continue                    # a second sign in the bracket just found (以下「X」という)
        opening = _enclosing_open(text, at)
        if opening is None or opening in seen:
            opening = close = -1
            continue
        close = matching_close(text, opening, 400, within_line=True)
        if close is None or close < sign.end():
            opening = close = -1
            continue
        seen.add(opening)
        stop = text.rfind("。", opening, at)
        # the clause starts after that 。, unless it sits in a nested bracket
        clause = stop + 1 if stop >= 0 and _enclosing_open(text, stop + 1) == opening else opening + 1
        found.append((opening, clause, close))
    return found


def _opens_none(text: str, start: int, end: int) -> bool:
    return text.find("（", start, end) < 0 and text.find("(", start, end) < 0


def _enclosing_open(text: str, pos: int, limit: int = 400) -> int | None:
    """The innermost （ or ( still open at `pos` on its line, within `limit` characters."""
    start = max(0, pos - limit + 1)
    depth = 0
    while True:
        found = _LAST_ROUND_OR_BREAK.match(text, start, pos)
        if found is None:
            return None
        pos = found.end() - 1
        ch = text[pos]
        if ch == "\n":
            return None
        if ch in "）)":
            depth += 1
        elif depth == 0:
            return pos
        else:
            depth -= 1


def _abbreviated_phrase(text: str, bracket: int, combined: bool) -> str:
    end = bracket
    while end > 0 and text[end - 1] in " \u3000":
        end -= 1
    if end > 0 and text[end - 1] in "」』":
        quote_open = matching_open(text, end - 1, 400, within_line=True, openers="「『", closers="」』")
        if quote_open is not None:
            return text[quote_open + 1:end - 1].strip()
    start = _phrase_start(text, end)
    if combined:
        start = _enumeration_start(text, start, end)
    phrase = text[start:end]
    cut = _last_cut(phrase)
    if cut is not None and phrase[cut:].strip():
        phrase = phrase[cut:]
    phrase = listed.LEADING_MARKER.sub("", phrase).lstrip("・●○■◆ \u3000")
    phrase = _LEADING_CONJUNCTION.sub("", phrase)
    if _LEADING_PARTICLE.match(phrase):
        # the phrase continues an earlier declaration: （以下『当サービス』とします）の利用者 → 当サービスの利用者
        earlier = _declared_term_before(text, start)
        phrase = earlier + phrase if earlier else _LEADING_PARTICLE.sub("", phrase)
    return phrase.strip(" \u3000")


def _declared_term_before(text: str, start: int) -> str | None:
    i = start
    while i > 0 and text[i - 1] in " \u3000":
        i -= 1
    if i == 0 or text[i - 1] not in "）)":
        return None
    opened = matching_open(text, i - 1, 400, within_line=True)
    if opened is None:
        return None
    content = text[opened + 1:i - 1]
    quoted = _QUOTED_TERM.search(content)
    if quoted:
        return quoted.group(1)
    bare = _UNQUOTED_TERM.match(content.strip())
    return bare.group(1) if bare else None


def _enumeration_start(text: str, start: int, end: int) -> int:
    """For 併せて/総称して and 〜等 terms: extend back over 、-separated nouns (暴力団、暴力団員、…).
    A segment with hiragana is a clause, not a listed noun: only its tail after the last hiragana
    joins (当社から付与された ID、パスワード → ID、パスワード), and the walk stops there."""
    if _last_cut(text[start:end]) is not None:
        return start
    while start > 0 and text[start - 1] in "、，,":
        previous = _phrase_start(text, start - 1)
        segment = text[previous:start - 1]
        if not segment.strip() or _EARLIER_DECLARATION.search(segment):
            return start
        clause = _last_cut(segment) is not None or any(
            r.group() not in _ENUMERATION_KANA for r in _HIRAGANA_RUN.finditer(segment))
        if clause:
            tail = _tail_after_hiragana(segment)
            return start - 1 - len(tail) if len(tail.strip()) >= 2 else start
        start = previous
    return start


def _tail_after_hiragana(segment: str) -> str:
    runs = list(_HIRAGANA_RUN.finditer(segment))
    tail = segment[runs[-1].end():] if runs else segment
    return tail if tail.strip() else ""


def _phrase_start(text: str, end: int) -> int:
    """Start of the phrase ending at `end`: back to a stop character, over balanced （…）."""
    i = end
    while i > 0:
        bound = _LAST_BOUND.match(text, 0, i)       # the nearest stop character or closer before i
        if bound is None:
            return 0
        at = bound.end() - 1
        if text[at] not in "）)":
            return at + 1
        opened = matching_open(text, at, 400, within_line=True)
        if opened is None or _EARLIER_DECLARATION.fullmatch(text, opened, at + 1):
            return at + 1                   # an earlier （以下…） declaration ends the phrase
        i = opened
    return i


def _last_cut(phrase: str) -> int | None:
    last = None
    for m in _PHRASE_CUT.finditer(phrase):
        last = m.end()
    return last


def _scope_of(statement: str, node: Node) -> str | None:
    m = _SCOPE_WORD.search(statement)
    if m:
        return _resolve_scope(node, _SCOPE_KINDS[m.group(1)])
    if _DOCUMENT_SCOPE.search(statement):
        return "document"
    return None


def _article_scope(article: Node) -> str | None:
    lead = article.children[0].text[:200] if article.children else article.text[:200]
    return _scope_of(lead, article) if lead else None


def _resolve_scope(node: Node, kind: str) -> str:
    for candidate in (node, *node.ancestors()):
        if candidate.kind == kind:
            return candidate.id
    # Hand-built nodes may lack parents: fall back to the id path (art_3/para_2/item_1).
    prefix = {"article": "art_", "paragraph": "para_", "item": "item_", "chapter": "chap_", "section": "sec_"}[kind]
    parts = node.id.split("/")
    for i in range(len(parts) - 1, -1, -1):
        if parts[i].startswith(prefix):
            return "/".join(parts[:i + 1])
    return kind


# --- X とは … をいう ---------------------------------------------------------------------------

def _towa(node: Node) -> list[Definition]:
    text = node.text
    if "とは" not in text:
        return []
    defs = []
    form = "item" if node.kind in ("item", "subitem") else "article"
    scope = None
    for m, body_end, continued in _towa_matches(text):
        group = "quoted" if m.group("quoted") else "bare"
        term = m.group(group)
        span = m.span(group)
        if group == "bare":
            # the bare term runs back to a particle boundary: 本規約において個人情報とは → 個人情報
            cut = _last_cut(term)
            if cut is not None:
                span = (span[0] + cut, span[1])
                term = text[span[0]:span[1]]
            if not term or len(term) > 30:
                continue
        if m.group("scope"):
            scope = _scope_of(m.group("scope"), node)
        elif not continued:             # a term after ＸとはＡを、 shares the sentence's scope
            scope = None
        body = text[m.start("body"):body_end].strip()
        defs.append(Definition(term, body, node.id, span, form, scope))
    return defs


def _towa_matches(text: str):
    """_TOWA.finditer(text), without trying the pattern at every position: most とは are not
    definitions (することはできない), and the pattern backtracks over its lazy term wherever it is
    tried. A match holds its とは within _TOWA_REACH characters of its start, and that とは is
    followed by a definition body (_TOWA_TAIL): so no match starts before the first such とは
    minus the reach, after each match.

    Yields (match, end of its body, whether it continues the previous match's sentence): several
    terms defined in one sentence (ＸとはＡを、ＹとはＢをいう) each get their own body, the next
    search starting at the next term."""
    pos = 0
    continued = False
    at = text.find("とは")
    while at >= 0:
        if at >= pos and _TOWA_TAIL.match(text, at):
            m = _TOWA.search(text, max(pos, at - _TOWA_REACH))
            if m is None:
                return
            next_term = _NEXT_TOWA.search(text, m.start("body"), m.end("body"))
            body_end = next_term.start() if next_term else m.end("body")
            yield m, body_end, continued and m.start() == pos
            continued = next_term is not None
            pos = next_term.end() if next_term else m.end()
        at = text.find("とは", at + 1)
