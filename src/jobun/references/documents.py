"""Other private instruments cited by name: 「…サービス契約」, SDPF 利用規約等, 通信サービスの利用規約.

Decides which quoted names (ending in 規約, 約款, 契約, 規程 …) and which unquoted 利用規約 / 約款
names are citations of another document: a name-like run (katakana or Latin letters) before the
anchor, not a definiendum （以下「…」）, not a self-name (本, この, 当 …) and not one of this file's
own titles.
"""
from __future__ import annotations

import re

from .grammar import DEFINIENDUM_BEFORE, KANJI, KATAKANA, Found, squash

_DOC_QUOTED = re.compile(r"「([^「」]{3,60}?(?:規約|約款|契約|規程|規定|約定|別冊)等?)」")
# 「SDPF 利用規約等」-style names: an anchor, then the name run is read backwards from it.
# The anchor's optional lead (の, サービス) is read backwards from the core: a pattern starting with
# an optional の is tried at every の of the text (measured 3x slower).
_DOC_ANCHOR = re.compile(r"(?:利用規約|契約約款|約款|規約)(?:等)?")
_DOC_NAME_CHAR = re.compile(rf"[{KANJI}{KATAKANA}A-Za-z0-9Ａ-Ｚａ-ｚ０-９ ・’'&\-]")
_NAME_LIKE = re.compile(rf"[{KATAKANA}A-Za-zＡ-Ｚａ-ｚ]")
_QUOTED_DOCUMENT_WORDS = ("契約", "規程", "規定", "約定", "別冊")


def may_name_documents(text: str) -> bool:
    """Whether find_documents can find anything: a 規約/約款 name, or a quoted name ending in one
    of the other instrument words (substring tests are much faster than a regex alternation)."""
    if "規約" in text or "約款" in text:
        return True
    return "「" in text and any(w in text for w in _QUOTED_DOCUMENT_WORDS)


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
        if own and (squash(full) in own or squash(full).rstrip("等") in own):
            continue
        if folded[start - 1: start] == "「" or not free(start, m.end()):
            continue
        found.append(Found(start, m.end(), "document", [], law=text[start:m.end()]))
        taken.append((start, m.end()))
    return found


