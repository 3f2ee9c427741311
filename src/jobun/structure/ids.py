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
    if kind == "preamble":
        node.id = scope + "preamble"
    elif kind in ("part", "chapter", "section", "subsection", "division"):
        node.num = node.printed_num
        node.id = f"{container_path or scope}{_PREFIX[kind]}_{node.num}"
    elif kind == "article":
        node.num = node.printed_num
        node.id = f"{scope}art_{node.num}"
    elif kind in ("paragraph", "item", "subitem"):
        node.num = node.printed_num or str(node.ordinal)
        node.id = f"{node.parent.id}/{_PREFIX[kind]}_{node.ordinal}" if node.parent else f"{scope}para_{node.ordinal}"
    elif kind in ("supplementary", "appendix"):
        node.num = node.printed_num or str(node.ordinal)
        node.id = f"{scope}{_PREFIX[kind]}_{node.ordinal}"
    elif kind == "document":
        node.num = str(node.ordinal)
        node.id = f"doc_{node.ordinal}"
    node.id = _unique(doc, node, seen)
    child_scope = scope
    child_containers = container_path
    if kind == "document":
        child_scope = child_containers = node.id + "/"
    elif kind in ("supplementary", "appendix"):
        child_scope = child_containers = node.id + "/"
    elif kind in ("part", "chapter", "section", "subsection", "division"):
        child_containers = node.id + "/"
    for child in node.children:
        _assign(doc, child, child_containers, child_scope, seen)


def _unique(doc: Document, node: Node, seen: set[str]) -> str:
    node_id = node.id
    if node_id in seen:
        k = 2
        while f"{node_id}__{k}" in seen:
            k += 1
        doc.warn(node.lines[0], "duplicate-id", f"{node_id} appears twice; the second is {node_id}__{k}")
        node_id = f"{node_id}__{k}"
    seen.add(node_id)
    return node_id
