"""Page marks: a line that a printed page adds and that holds no text of the document.

Decides, from one line alone (on the folded view), whether it is a page number ('- 3 -', '３/１０',
'Page 3') or a copyright notice ('© 2024 Sample Inc. All rights reserved.', 'Copyright (C) 株式会社
サンプル'). A notice is the whole line: the mark with a year or a name, short, no sentence end and no
particle of a sentence. A sentence that names the mark (著作権表示（©表示を含む）を削除…, Copyright
表示を改変しないこと) is text. The furniture stage (furniture.py) finds what repeats.
"""
from __future__ import annotations

import re

_PAGE_NUMBER = re.compile(r"[-—–ー－]\s*\d{1,4}\s*[-—–ー－]|\d{1,4}\s*/\s*\d{1,4}|(?i:page|p\.)\s*\d{1,4}")
# …it starts and ends with one of these (a dash or a digit; P of 'Page').
_PAGE_NUMBER_FIRST = frozenset("-—–ー－0123456789Pp")
_COPYRIGHT = re.compile(r"©|\([cC]\)\s*\d{4}|[Cc](?i:opyright)|[Aa](?i:ll rights reserved)")
_NOTICE_REACH = 60              # the mark stands within this many characters of both line ends
# What a sentence has and a notice has not: a comma or full stop; a case particle glued to the word
# before it (表示を, 会員が, マークは); a paragraph number before it (２　…); a predicate at the end.
_SENTENCE_SIGN = re.compile(r"[。、]|[^\u3041-\u309f\s][をがは]|^\d{1,3}(?:\.|\s)|(?:ます|ません|する|しない|こと|もの|です)$")


def is_page_number(norm: str) -> bool:
    # the last character first: a line that starts with a digit or a dash is mostly text ('2 本規約…。')
    return bounds_page_number(norm[-1]) and bounds_page_number(norm[0]) and _PAGE_NUMBER.fullmatch(norm) is not None


def bounds_page_number(c: str) -> bool:
    """Whether a page number may start or end with `c`."""
    return c in _PAGE_NUMBER_FIRST or c.isdigit()


def is_copyright_notice(norm: str) -> bool:
    # Substring tests first (most lines have no mark at all), then a search instead of one
    # '.{0,60}mark.{0,60}' pattern: that form backtracks at every line. Every mark holds ©, a c
    # or an r: a Japanese line without them is done after one-character scans.
    if "©" not in norm:
        if "c" not in norm and "C" not in norm and "r" not in norm and "R" not in norm:
            return False
        low = norm.lower()
        if "(c)" not in low and "copyright" not in low and "rights reserved" not in low:
            return False
    for m in _COPYRIGHT.finditer(norm):
        if m.start() > _NOTICE_REACH:
            break
        if len(norm) - m.end() <= _NOTICE_REACH:
            return _SENTENCE_SIGN.search(norm) is None
    return False
