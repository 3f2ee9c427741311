"""Reference stage: find cross-references in every node's own text, normalize and resolve them.

    grammar    pointer chains (第N条…, 前項, 同条, 各号, 別表, ranges, lists) → model.Range / Fragment
    lawnames   statute names before a pointer (…法, …に関する法律, 法第N条, 同法第N条)
    documents  other private instruments cited by name (「…契約」, SDPF 利用規約等)
    scan       the extractor: every reference of one text, before resolution (find_references)
    resolve    the node ids a reference names from where it sits (resolve_text)
    lint       unresolved-reference and caption-mismatch findings
    annotate   the stage entry (annotate) and the citation graph (citation_edges)
"""
from .annotate import annotate, citation_edges
from .resolve import resolve_text
from .scan import find_references

__all__ = ["annotate", "citation_edges", "find_references", "resolve_text"]
