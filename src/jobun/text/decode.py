"""Decode stage: raw bytes → text, detecting the encodings Japanese legal text actually comes in.

Order of evidence, strongest first:
1. a byte-order mark (UTF-8, UTF-16 LE/BE) is trusted;
2. NUL bytes without a UTF-16 BOM mean the file is not text;
3. bytes that decode as strict UTF-8 are UTF-8 (legacy encodings almost never do by accident);
4. CP932 (Shift_JIS as Windows writes it) versus EUC-JP: whichever decodes strictly; when both do,
   the one whose text looks more like Japanese prose wins (see `_plausibility`).

Newlines are returned untouched: the lines stage owns CRLF/CR handling.
"""
from __future__ import annotations

import codecs
import re

from ..errors import InputError

EXPECTED = "expected text in UTF-8, UTF-16 with BOM, CP932 or EUC-JP"

_UTF32_BOMS = (codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)
_UTF16_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)

# Share of suspicious characters above which a strict decode is still rejected as "not text".
_MAX_SUSPICIOUS_SHARE = 0.05


def decode_bytes(data: bytes, name: str | None = None) -> tuple[str, str]:
    """Return (text, encoding); encoding is utf-8, utf-8-sig, utf-16, cp932 or euc-jp.

    Raises InputError for binary data or bytes that no supported encoding decodes.
    """
    if not data:
        return "", "utf-8"
    if data.startswith(codecs.BOM_UTF8):
        return _strict(data, "utf-8-sig", name), "utf-8-sig"
    # UTF-32 LE's BOM begins with UTF-16 LE's, so it must be ruled out first.
    if data.startswith(_UTF32_BOMS):
        raise InputError(f"UTF-32 text is not supported; {EXPECTED}", source=name)
    if data.startswith(_UTF16_BOMS):
        return _strict(data, "utf-16", name), "utf-16"
    nul = data.find(b"\x00")
    if nul >= 0:
        raise InputError(f"binary file (NUL bytes at offset {nul}), {EXPECTED}", source=name)
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as utf8_error:
        first_bad = utf8_error.start
    return _decode_legacy(data, name, first_bad)


def _strict(data: bytes, encoding: str, name: str | None) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as e:
        raise InputError(f"invalid {encoding.upper()} at byte offset {e.start}; {EXPECTED}",
                         source=name) from e


def _decode_legacy(data: bytes, name: str | None, utf8_offset: int) -> tuple[str, str]:
    candidates = []
    for encoding, codec in (("cp932", "cp932"), ("euc-jp", "euc_jp")):
        try:
            candidates.append((encoding, data.decode(codec)))
        except UnicodeDecodeError:
            continue
    if not candidates:
        raise InputError(f"undecodable bytes (not UTF-8 from byte offset {utf8_offset}, "
                         f"nor CP932 or EUC-JP); {EXPECTED}", source=name)
    # max() keeps the first of equal scores, so ties go to CP932, the more common legacy encoding.
    encoding, text = max(candidates, key=lambda c: _plausibility(c[1]))
    if _suspicious_share(text) > _MAX_SUSPICIOUS_SHARE:
        raise InputError(f"binary or garbled data (decodes as {encoding.upper()} only into control "
                         f"and private-use characters); {EXPECTED}", source=name)
    return text, encoding


# Character classes used to judge a candidate decoding; counted with re.sub so large files stay fast.
_JAPANESE = re.compile("[\u3040-\u30ff\u4e00-\u9fff\u3000-\u303f\uff01-\uff5e]")
_HALFWIDTH_KANA = re.compile("[\uff61-\uff9f]")
# Characters a legal text almost never contains but a wrong legacy decode produces often:
# C0 controls other than whitespace, DEL and C1 controls, private use (CP932's user-defined area).
_SUSPICIOUS = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x9f\ue000-\uf8ff]")
_NON_ASCII = re.compile("[^\x00-\x7f]")


def _count(pattern: re.Pattern, text: str) -> int:
    return len(text) - len(pattern.sub("", text))


def _plausibility(text: str) -> float:
    """Share of Japanese characters among non-ASCII ones, penalising half-width katakana and junk.

    EUC-JP bytes read as CP932 turn into runs of half-width katakana (ｱ-ﾝ) mixed with odd kanji;
    CP932 bytes rarely decode as EUC-JP at all. Weighting the half-width share makes that decisive.
    """
    non_ascii = _count(_NON_ASCII, text)
    if non_ascii == 0:
        return 0.0
    good = _count(_JAPANESE, text)
    bad = _count(_HALFWIDTH_KANA, text) + _count(_SUSPICIOUS, text)
    return (good - 2 * bad) / non_ascii


def _suspicious_share(text: str) -> float:
    if not text:
        return 0.0
    return _count(_SUSPICIOUS, text) / len(text)
