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
        node.sentences = sentences.split(node.text)
    if tokens:
        from . import tokens as tokenizer       # imports fugashi lazily, only on this path
        with tokenizer.gc_paused():
            for node in nodes:
                if node.sentences:
                    tokenizer.tokenize_sentences(node.text, node.sentences)
    doc.definitions = definitions.extract(nodes, [d for d in doc.definitions if d.form == "law"])
    doc.term_uses = uses.index(nodes, doc.definitions)
