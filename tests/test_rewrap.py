"""Hard wrapping must not change the tree: every document re-wrapped at many widths, with and
without an empty line between lines, parses to the same nodes with the same text.

Re-wrapping puts the grammar's traps at line starts at random places: 第１７条（提供停止）第１項 after
'…希望者が', '1 項各号' after '…第', '別紙１利用料金表に' after '…等は、', titles split as '利用規' | '約'."""
import re
from pathlib import Path

import pytest

import jobun

ROOT = Path(__file__).resolve().parent
DOCUMENTS = sorted((ROOT.parent / "corpus" / "raw").glob("*.txt")) + sorted((ROOT / "data").glob("*.txt"))
_WS = re.compile(r"\s")


def signature(doc):
    return [(n.id, _WS.sub("", n.text), _WS.sub("", n.title or n.caption or "")) for n in doc.walk()]


def rewrap(text: str, width: int, blank_between: bool) -> str:
    out = []
    for line in text.split("\n"):
        pieces = [line[k:k + width] for k in range(0, len(line), width)] or [""]
        pieces[-1] += " "                 # a block end keeps its trailing space, as extractions do
        out.extend(pieces)
    return ("\n\n" if blank_between else "\n").join(out)


@pytest.mark.parametrize("path", DOCUMENTS, ids=lambda p: p.stem[:12])
def test_rewrapping_keeps_the_tree(path):
    text = path.read_text(encoding="utf-8")
    expected = signature(jobun.parse(text))
    for width in range(14, 50):
        for blank in (False, True):
            got = signature(jobun.parse(rewrap(text, width, blank)))
            assert got == expected, f"width {width}, blank lines {blank}: " + \
                str(next((a, b) for a, b in zip(expected, got) if a != b) if len(got) == len(expected) else len(got))


def paginate(text: str, title: str, every: int = 37, page_number: str = "- {} -") -> str:
    """A page break every `every` lines, as PDF extractions print it: the page number, a form feed,
    the document title as a running header."""
    out = []
    for k, line in enumerate(text.split("\n"), 1):
        out.append(line)
        if k % every == 0:
            out += ["", page_number.format(k // every), "\f" + title if title else "\f", ""]
    return "\n".join(out)


@pytest.mark.parametrize("path", DOCUMENTS, ids=lambda p: p.stem[:12])
def test_page_breaks_keep_the_tree(path):
    # A page break between a caption and its article, inside a title or a sentence must not change
    # how the lines around it read: page numbers and running titles are stepped over.
    text = path.read_text(encoding="utf-8")
    doc = jobun.parse(text)
    expected = signature(doc)
    for width in (None, 19, 29, 37):
        for page_number in ("- {} -", "{}"):            # '- 3 -', or a bare '3'
            wrapped = rewrap(text, width, False) if width else text
            got = signature(jobun.parse(paginate(wrapped, doc.title, page_number=page_number)))
            assert got == expected, f"width {width}, page number {page_number!r}: " + \
                str(next((a, b) for a, b in zip(expected, got) if a != b) if len(got) == len(expected) else len(got))


@pytest.mark.parametrize("path", DOCUMENTS, ids=lambda p: p.stem[:12])
def test_headers_and_footers_without_page_numbers_keep_the_tree(path):
    # a company name or a confidentiality mark at every page break, beside the page number or after
    # a form feed; three pages at least, so that it repeats
    text = path.read_text(encoding="utf-8")
    expected = signature(jobun.parse(text))
    for width in (None, 29):
        wrapped = rewrap(text, width, False) if width else text
        every = len(wrapped.split("\n")) // 3 + 1
        for header, page_number in (("株式会社サンプル　社外秘", "- {} -"), ("Confidential", "{}")):
            got = signature(jobun.parse(paginate(wrapped, header, every, page_number)))
            assert got == expected, f"width {width}, {header}: " + \
                str(next((a, b) for a, b in zip(expected, got) if a != b) if len(got) == len(expected) else len(got))


_CHAPTER_HEADING = re.compile(r"\s*第[0-9０-９一二三四五六七八九十]+章\s+[^\s（(]+\s*")


def paginate_with_chapter_headers(text: str, every: int = 23) -> str:
    """A page break every `every` lines, the heading of the chapter in force printed at the top of
    the next page, as many PDFs of terms do."""
    out, chapter = [], None
    for k, line in enumerate(text.split("\n"), 1):
        out.append(line)
        if _CHAPTER_HEADING.fullmatch(line):
            chapter = line.strip()
        if k % every == 0 and chapter:
            out += [f"- {k // every} -", chapter]
    return "\n".join(out)


WITH_CHAPTERS = [p for p in DOCUMENTS
                 if any(_CHAPTER_HEADING.fullmatch(line) for line in p.read_text(encoding="utf-8").split("\n"))]


@pytest.mark.parametrize("path", WITH_CHAPTERS, ids=lambda p: p.stem[:12])
def test_running_chapter_headers_keep_the_tree(path):
    text = path.read_text(encoding="utf-8")
    expected = signature(jobun.parse(text))
    for width in (None, 29, 41):
        wrapped = rewrap(text, width, False) if width else text
        got = signature(jobun.parse(paginate_with_chapter_headers(wrapped)))
        assert got == expected, f"width {width}: " + \
            str(next((a, b) for a, b in zip(expected, got) if a != b) if len(got) == len(expected) else len(got))
