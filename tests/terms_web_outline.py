"""Compares a parse with a hand-written expected outline (tests/data/terms_web/NAME.outline).

An outline line is `id<TAB>first words`: for an article the caption, for a container or 附則 its title
(empty: none), for `title` the document title, for any other node the start of its own text
(whitespace ignored). Run as a script to print the table of nodes right per document.
"""
import re
import sys
from pathlib import Path

import jobun

DATA = Path(__file__).parent / "data" / "terms_web"


def expected(name):
    rows = []
    for line in (DATA / f"{name}.outline").read_text(encoding="utf-8").splitlines():
        node_id, _, words = line.partition("\t")
        rows.append((node_id, words))
    return rows


def squeeze(text):
    return re.sub(r"\s+", "", text or "")


def node_matches(doc, node_id, words):
    if node_id == "title":
        return squeeze(doc.title) == squeeze(words)
    node = doc.get(node_id)
    if node is None:
        return False
    if node.kind == "article":
        return squeeze(node.caption) == squeeze(words)
    if node.kind in ("part", "chapter", "section", "subsection", "division", "supplementary", "appendix"):
        return not words or squeeze(node.title).startswith(squeeze(words))
    return squeeze(node.text).startswith(squeeze(words))


def differences(name):
    """Expected nodes that the parse misses or reads differently, and nodes it adds."""
    doc = jobun.parse((DATA / f"{name}.txt").read_text(encoding="utf-8"))
    rows = expected(name)
    wrong = [f"{i} ≠ {w!r}" for i, w in rows if not node_matches(doc, i, w)]
    want = {i for i, _ in rows}
    extra = [f"extra {n.id}" for n in doc.walk() if n.id not in want and n.kind != "document"]
    return len(rows), wrong, extra


def names():
    return sorted(p.stem for p in DATA.glob("*.outline"))


if __name__ == "__main__":
    right_all = total_all = 0
    for name in sys.argv[1:] or names():
        total, wrong, extra = differences(name)
        right = total - len(wrong)
        right_all += right; total_all += total
        print(f"{name:32s} {right:3d}/{total:3d}  extra {len(extra)}")
        for d in wrong + extra:
            print("     ", d)
    print(f"{'ALL':32s} {right_all:3d}/{total_all:3d}")
