"""What `jobun lint` reports: the parser's warnings a reader of the document should act on.

Decides which warnings are findings: a numbering gap inside an excerpt (a 附則 or document printed
with 抄) is the excerpt's omission, not an error, so it is dropped; codes the user asked to ignore
are dropped; the rest are counted per code for the summary line.
"""
from __future__ import annotations

from collections import Counter

from .model import Document, ParseWarning

_NUMBERING = ("numbering-gap", "numbering-start")


def findings(doc: Document, ignore: frozenset[str] = frozenset()) -> list[ParseWarning]:
    """doc.warnings without ignored codes and without numbering gaps inside an excerpt (抄)."""
    excerpts = _excerpt_lines(doc)
    return [w for w in doc.warnings if w.code not in ignore
            and not (w.code in _NUMBERING and any(a <= w.line <= b for a, b in excerpts))]


def summary(found: list[ParseWarning]) -> str:
    """One line: the count of findings per code, most frequent first (unresolved-reference: 3, …)."""
    counts = Counter(w.code for w in found)
    return ", ".join(f"{code}: {n}" for code, n in counts.most_common()) or "no findings"


def _excerpt_lines(doc: Document) -> list[tuple[int, int]]:
    """Source line ranges printed as excerpts: 附則 抄 blocks, or the whole document when its title
    or heading says 抄."""
    if doc.title.rstrip().endswith("抄"):
        return [(0, 1 << 30)]
    return [n.lines for n in doc.walk() if n.kind == "supplementary" and "抄" in (n.label or "") + (n.title or "")]
