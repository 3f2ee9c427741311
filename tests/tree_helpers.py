"""Helpers the structure tests share: node ids of a parsed document, and a node that must exist."""


def ids(doc, kinds=None):
    return [n.id for n in doc.walk() if kinds is None or n.kind in kinds]


def node(doc, node_id):
    n = doc.get(node_id)
    assert n is not None, f"{node_id} missing; have {ids(doc)}"
    return n
