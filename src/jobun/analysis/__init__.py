"""Analysis stage: sentences (always), tokens (on request) and the glossary (always).

Runs after ids and references; fills Node.sentences (and Sentence.tokens when asked) on every node,
Document.definitions and, once per term, where it is used (Document.term_uses).
"""
from __future__ import annotations

from . import definitions, sentences, uses
from ..model import Document


def annotate(doc: Document, tokens: bool = False) -> None:
    nodes = list(doc.walk())
    for node in nodes:
        if node.text:
            node.sentences = sentences.split(node.text)
        elif node.sentences:                    # annotated before: a node without text has none
            node.sentences = []
    if tokens:
        from . import tokens as tokenizer       # imports fugashi lazily, only on this path
        with tokenizer.gc_paused():
            tokenizer.tokenize_nodes(nodes)
    law_aliases = [d for d in doc.definitions if d.form == "law"]     # from the reference stage
    doc.definitions = definitions.extract(nodes, law_aliases)
    doc.term_uses = uses.index(nodes, doc.definitions)
