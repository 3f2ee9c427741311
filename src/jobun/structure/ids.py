"""Ids stage: normalized `num` and stable ids (FORMAT.md; Akoma Ntoso-like eIds such as art_17/para_1/item_3).

Containers and articles are named by their printed number (art_17, chap_7_2); paragraphs, items and
sub-items by their ordinal among siblings, which equals the printed number when the source numbers
correctly. Articles are not prefixed by their containers (they are unique per instrument); everything
inside a second instrument or a 附則 block is prefixed by it (doc_2/art_1, suppl_1/para_1).
"""
from __future__ import annotations

from ..model import Document, Node

_PREFIX = {"part": "part", "chapter": "chap", "section": "sec", "subsection": "subsec", "division": "div",
           "article": "art", "paragraph": "para", "item": "item", "subitem": "sub",
           "supplementary": "suppl", "appendix": "appx", "document": "doc"}


def assign(doc: Document) -> None:
    seen: set[str] = set()
    for node in doc.children:
        _assign(doc, node, "", "", seen)
    doc.reindex()


def _assign(doc: Document, node: Node, container_path: str, scope: str, seen: set[str]) -> None:
    kind = node.kind
    if kind in _NUMBERED_BY_POSITION:              # the most nodes: paragraphs, items, sub-items
        ordinal, parent = node.ordinal, node.parent
        node.num = node.printed_num or str(ordinal)
        node.id = f"{parent.id}/{_PREFIX[kind]}_{ordinal}" if parent is not None else f"{scope}para_{ordinal}"
    elif kind == "article":
        node.num = node.printed_num
        node.id = f"{scope}art_{node.num}"
    elif kind in _CONTAINERS:
        node.num = node.printed_num
        node.id = f"{container_path or scope}{_PREFIX[kind]}_{node.num}"
    elif kind == "preamble":
        node.id = scope + "preamble"
    elif kind in ("supplementary", "appendix"):
        node.num = node.printed_num or str(node.ordinal)
        node.id = f"{scope}{_PREFIX[kind]}_{node.ordinal}"
    elif kind == "document":
        node.num = str(node.ordinal)
        node.id = f"doc_{node.ordinal}"
    if node.id in seen:
        node.id = _unique(doc, node, seen)
    seen.add(node.id)
    if not node.children:
        return
    child_scope, child_containers = scope, container_path
    if kind in ("document", "supplementary", "appendix"):
        child_scope = child_containers = node.id + "/"
    elif kind in _CONTAINERS:
        child_containers = node.id + "/"
    for child in node.children:
        _assign(doc, child, child_containers, child_scope, seen)


_NUMBERED_BY_POSITION = frozenset(("paragraph", "item", "subitem"))
_CONTAINERS = frozenset(("part", "chapter", "section", "subsection", "division"))


def _unique(doc: Document, node: Node, seen: set[str]) -> str:
    """The id a node gets when its own is taken: the first free `id__k`, with a warning."""
    node_id = node.id
    k = 2
    while f"{node_id}__{k}" in seen:
        k += 1
    doc.warn(node.lines[0], "duplicate-id", f"{node_id} appears twice; the second is {node_id}__{k}")
    return f"{node_id}__{k}"
