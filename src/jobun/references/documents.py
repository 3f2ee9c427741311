"""Other private instruments cited by name: 「…サービス契約」, SDPF 利用規約等, 通信サービスの利用規約.

Decides which quoted names (ending in 規約, 約款, 契約, 規程 …) and which unquoted 利用規約 / 約款
names are citations of another document: a name-like run (katakana or Latin letters) before the
anchor, not a definiendum （以下「…」）, not a self-name (本, この, 当 …) and not one of this file's
own titles. A pointer chain right after an instrument's name points into that instrument:
利用規則第2条, 当社の個人情報保護方針第2条, 「会員規約」第5条 are citations of those documents (the
name read back from its final word, 規則 / 方針 / ポリシー / ガイドライン …), while 本規約第2条 and a
name within this file's title stay this document's.
"""
from __future__ import annotations

import re

from .grammar import DEFINIENDUM_BEFORE, GAP, INSTRUMENT_WORD, INSTRUMENT_WORDS, KANJI, KATAKANA, NUM, SPACES, Found, \
    parse_chain, squash

_DOC_QUOTED = re.compile(r"「([^「」]{3,60}?(?:規約|約款|契約|規程|規定|約定|別冊)等?)」")
# 「SDPF 利用規約等」-style names: an anchor, then the name run is read backwards from it.
# The anchor's optional lead (の, サービス) is read backwards from the core: a pattern starting with
# an optional の is tried at every の of the text (measured 3x slower).
_DOC_ANCHOR = re.compile(r"(?:利用規約|契約約款|約款|規約)(?:等)?")
_DOC_NAME_CHAR = re.compile(rf"[{KANJI}{KATAKANA}A-Za-z0-9Ａ-Ｚａ-ｚ０-９ ・’'&\-]")
_NAME_LIKE = re.compile(rf"[{KATAKANA}A-Za-zＡ-Ｚａ-ｚ]")
# What a quoted name other than 規約 / 約款 must end with (_DOC_QUOTED): 規定 alone is everywhere in statutes.
_QUOTED_DOCUMENT_END = re.compile(r"(?:契約|規程|規定|約定|別冊)等?」")
# A pointer into another instrument opens with its article or container (規則第三十五号 is a law number).
_POINTER = re.compile(rf"第{GAP}{NUM}{GAP}[編章節款条]")
_INSTRUMENT_BEFORE = re.compile(rf"{INSTRUMENT_WORD}等?」?{GAP}$")
# What _INSTRUMENT_BEFORE needs before a pointer, anywhere in a text ($ also matches before a final \n).
_INSTRUMENT_THEN_POINTER = re.compile(rf"{INSTRUMENT_WORD}等?」?{GAP}\n?第")
# What that needs right before its 第 (one line break between them aside): a word's last character,
# 等, 」 or a space. Looked behind each 第 (a literal: found in C), this rules out most texts before
# the text is scanned for the words' first characters (約 of every 契約, 条 of every 条件 …).
_WORD_END = "[" + "".join(sorted({w[-1] for w in INSTRUMENT_WORDS})) + "等」" + SPACES + "]"
_POINTER_AFTER_WORD_END = re.compile(rf"第(?:(?<={_WORD_END}第)|(?<={_WORD_END}\n第))")
_NAME_RUN_CHAR = re.compile(rf"[{KANJI}{KATAKANA}A-Za-zＡ-Ｚａ-ｚ0-9０-９・]")
# Names that are no other document: this one (本, この, 当 but not 当社) or a version of it (新, 旧),
# the one named before (同, 上記), or a class (各, 諸).
_NOT_ANOTHER = re.compile(r"(?:本|この|当(?!社)|新|旧|同|各|諸|前記|上記|下記)")
# A bare word before a pointer names a document only when it is a name by itself (ガイドライン第3条);
# 規則第2条 and 規約第2条 alone are generic.
_NAME_BY_ITSELF = ("ポリシー", "ガイドライン")
# Title connectors inside a document's name: 会員情報の管理に関する規則 (の only once the name is
# titled: 当社の規則 is not one name).
_TITLE_CONNECTORS = ("に関する", "に係る", "における", "のための", "についての", "に基づく", "を定める")


def may_name_documents(text: str) -> bool:
    """Whether find_documents can find anything: a 規約/約款 name (substring tests are much faster
    than a regex alternation), a quoted name ending in one of the other instrument words, or a
    pointer right after an instrument word (前項の規定 and 第N条の規定 alone name no document)."""
    if "規約" in text or "約款" in text:
        return True
    if "」" in text and _QUOTED_DOCUMENT_END.search(text) is not None:
        return True
    return ("第" in text and _POINTER_AFTER_WORD_END.search(text) is not None
            and _INSTRUMENT_THEN_POINTER.search(text) is not None)


def find_documents(text: str, folded: str, laws: list[Found], own: str) -> list[Found]:
    """Other private instruments cited by name: 「…サービス契約」, SDPF 利用規約等, 通信サービスの利用規約.

    `own`: the squashed titles of the instruments in this file; naming them is not a citation."""
    found = []
    taken = [(f.start, f.end) for f in laws]

    def free(a: int, b: int) -> bool:
        return all(b <= s or a >= e for s, e in taken)

    for m in _DOC_QUOTED.finditer(folded):
        inner = m.group(1)
        if DEFINIENDUM_BEFORE.search(folded, max(0, m.start() - 6), m.start()):
            continue                                      # （以下「利用契約」という）: a definition
        if inner.startswith(("本", "この", "当", "同")) or not _NAME_LIKE.search(inner):
            continue
        if own and squash(inner) in own:
            continue
        if free(m.start(), m.end()):
            found.append(Found(m.start(), m.end(), "document", [], law=text[m.start(1):m.end(1)]))
            taken.append((m.start(), m.end()))
    for m in _DOC_ANCHOR.finditer(folded):
        name_end = m.start()
        if name_end >= 4 and folded.startswith("サービス", name_end - 4):
            name_end -= 4
        after_no = name_end >= 1 and folded[name_end - 1] == "の"
        if after_no:
            name_end -= 1
        if folded[name_end - 1:name_end] in ("本", "当"):
            continue                                      # 本利用規約: a name ending in 本 / 当 is none (below)
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
        # (本 / 当 again: the name as stripped may end in one that the check above did not see)
        if not _NAME_LIKE.search(name) or name[-1:] in "本当":
            continue                                      # a service or company name, not 他利用規約
        if start == 0 and folded[m.end():m.end() + 1] in (" ", "\t", "\u3000"):
            continue                                      # （８） SDPF 利用規約等 「…」: a defined term
        full = folded[start:m.end()]
        if own and (squash(full) in own or squash(full).rstrip("等") in own):
            continue
        if folded[start - 1: start] == "「" or not free(start, m.end()):
            continue
        found.append(Found(start, m.end(), "document", [], law=text[start:m.end()]))
        taken.append((start, m.end()))
    if "第" in folded:
        _pointed_into(text, folded, found, taken, own)
    return found


def _pointed_into(text: str, folded: str, found: list[Found], taken: list, own: str) -> None:
    """Chains glued to another instrument's name: the document citation spans name and chain."""
    for m in _POINTER.finditer(folded):
        start = m.start()
        if any(s <= start < e for s, e in taken):
            continue
        before = next((f for f in found if f.end <= start and not folded[f.end:start].strip(" \t\u3000")), None)
        if before is not None:
            name_start = before.start                     # 「…サービス契約」第３条: that document's
        else:
            name_start = _instrument_name(folded, start, own)
            if name_start is None:
                continue
        chain = parse_chain(folded, start)
        if chain is None:
            continue
        ranges, _captions, end, _spans = chain
        if before is not None:
            found.remove(before)
        name = text[name_start:start].rstrip(" \t\u3000").strip("「」")
        found.append(Found(name_start, end, "document", ranges, law=before.law if before else name))
        taken.append((name_start, end))
    found.sort(key=lambda f: f.start)


def _run_start(folded: str, end: int) -> int:
    while end > 0 and _NAME_RUN_CHAR.match(folded[end - 1]):
        end -= 1
    return end


def _instrument_name(folded: str, pointer: int, own: str) -> int | None:
    """Where the name of another instrument ending right before `pointer` starts, or None when none
    does (no instrument word, a self-name, one of this file's titles, a generic bare word)."""
    word = _INSTRUMENT_BEFORE.search(folded, max(0, pointer - 12), pointer)
    if word is None:
        return None
    end = word.start() + len(folded[word.start():pointer].rstrip(" \t\u3000"))
    if folded[end - 1] == "」":
        start = folded.rfind("「", 0, end)
        if start < 0:
            return None
        name = folded[start + 1:end - 1]
    else:
        start = _run_start(folded, end)
        connectors = _TITLE_CONNECTORS
        while (conn := next((c for c in connectors if folded.endswith(c, 0, start)), None)) is not None \
                and _run_start(folded, start - len(conn)) < start - len(conn) \
                and not folded.endswith(("当社", "弊社"), 0, start - len(conn)):
            start = _run_start(folded, start - len(conn))
            connectors = _TITLE_CONNECTORS + ("の",)
        name = folded[start:end]
        if not name or (name == word.group().rstrip("等」 \t\u3000") and not name.endswith(_NAME_BY_ITSELF)):
            return None
    if _NOT_ANOTHER.match(name) or (own and squash(name) in own):
        return None
    return start


