"""Lint findings of the reference stage: what a reader of the document should check.

unresolved-reference: a pointer (or one part of a listed chain) that names nothing in this document;
caption-mismatch: 第１６条（caption） printed with a caption other than the cited article's own.
"""
from __future__ import annotations

from ..model import Document, Fragment, Node, Range
from .grammar import Found, squash
from .resolve import Context, Resolver

def line_of(node: Node, offset: int) -> int:
    pos = node.source_position(offset)
    if pos is not None:
        return pos[0]
    return node.lines[0] if node.lines else 0


def describe(ranges: list[Range]) -> str:
    """Readable form of normalized ranges for messages: article 9, paragraph prev×2 …"""
    def frag(f: Fragment) -> str:
        label = f.kind + (f" {f.num}" if f.num else "") + (f" {f.relative}" if f.relative else "")
        return label + (f"×{f.count}" if f.count and f.count > 1 else "")
    parts = []
    for r in ranges:
        text = " / ".join(frag(f) for f in r.start)
        if r.end:
            text += " … " + " / ".join(frag(f) for f in r.end)
        parts.append(text)
    return "; ".join(parts)


def check_captions(doc: Document, resolver: Resolver, node: Node, f: Found, ctx: Context) -> None:
    """第 16 条（ソフトウェア等の著作権等） while art_16 is captioned ソフトウェアの著作権等 → a finding."""
    for rng, caption in zip(f.ranges, f.captions):
        if caption is None:
            continue
        article_frags = []
        for frag in rng.start:
            article_frags.append(frag)
            if frag.kind == "article":
                break
        targets = resolver.resolve(article_frags, ctx.without_memory(), f.scope)
        article = targets[0] if targets and targets[0].kind == "article" else None
        if article is None or article.caption is None:
            continue
        if squash(article.caption) != squash(caption):
            doc.warn(line_of(node, f.start), "caption-mismatch",
                     f"{node.id}: 「{node.text[f.start:f.end].strip()}」 cites the caption （{caption.strip()}）"
                     f" but {article.id} is captioned （{article.caption}）")
