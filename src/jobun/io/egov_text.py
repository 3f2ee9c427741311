"""Writer of plain text in e-Gov layout: a Document as e-Gov 法令検索 prints a law.

Title, law number in brackets, 目次, headings indented with ideographic spaces (編 two, 章 three …),
a caption line （…） above its article, 第N条 and its first paragraph on one line, then one line per
numbered paragraph, item and sub-item (marker, ideographic space, text), 附則 headings with their
amending law and 抄, appendices with their rows one per line. The text parser reads this layout
back into the same node ids, nums and texts; it is also the way to get clean text out of e-Gov XML.
"""
from __future__ import annotations

from ..model import Document, Node
from .egov_layout import bare_law_number, printed_groups, printed_lines, suppl_heading, toc_entry

_SP = "\u3000"
_CONTAINER_INDENT = {"part": 2, "chapter": 3, "section": 4, "subsection": 5, "division": 6}


def to_egov_text(doc: Document) -> str:
    out: list[str] = [doc.title] if doc.title else []
    if doc.law_number:
        out.append(f"（{bare_law_number(doc.law_number)}）")
    if doc.toc:
        out.append("")
        entries = [toc_entry(line) for line in doc.toc]
        top = min((level for kind, level, _t, _r in entries if kind in _CONTAINER_INDENT), default=0)
        for line, (kind, level, _title, _range) in zip(doc.toc, entries):
            # 目次 flush left, the outermost headings one space in, each level one more
            indent = 0 if kind == "label" else (1 + level - top if kind in _CONTAINER_INDENT else 1)
            out.append(_SP * indent + line.strip())
    for group in printed_groups(doc.children):
        _write(group, out)
    return "\n".join(out) + "\n"


def _write(group: list[Node], out: list[str]) -> None:
    node = group[0]
    kind = node.kind
    if kind == "article":
        _article(group, out)
    elif kind in _CONTAINER_INDENT:
        out += ["", "", _SP * _CONTAINER_INDENT[kind] + _SP.join(p for p in (node.label, node.title) if p)]
    elif kind == "supplementary":
        label, extract = suppl_heading(node)
        parts = [label] + ([f"（{node.title}）"] if node.title else []) + (["抄"] if extract else [])
        out += ["", "", _SP * 3 + _SP.join(parts)]
    elif kind == "appendix":
        out += ["", _SP.join(p for p in (node.label, f"（{node.title}）" if node.title else None) if p)]
        out += printed_lines(node)
    elif kind == "document":
        out += ["", "", node.title or ""]
    elif kind == "preamble":
        out += [""] + [line for line in node.text.split("\n") if line.strip()]
    else:
        _provision(node, out)
    if kind in _CONTAINER_INDENT or kind in ("supplementary", "document"):
        for child_group in printed_groups(node.children):
            _write(child_group, out)


def _article(group: list[Node], out: list[str]) -> None:
    article = group[0]
    out.append("")
    if article.caption:
        out.append(f"（{article.caption}）")
    label = article.label or f"第{article.num}条"
    paragraphs = article.children
    if paragraphs and paragraphs[0].kind == "paragraph" and not paragraphs[0].label and not paragraphs[0].caption:
        first = paragraphs[0]
        _lines(label + _SP + first.text if first.text else label, out)
        for child in first.children:
            _provision(child, out)
        paragraphs = paragraphs[1:]
    else:
        out.append(label)
    for child in paragraphs:
        _provision(child, out)


def _provision(node: Node, out: list[str]) -> None:
    """A paragraph, item or sub-item line (marker, space, text) and its children's lines."""
    if node.caption:
        out.append(f"（{node.caption}）")
    _lines(_SP.join(p for p in (node.label, node.text) if p), out)
    for child in node.children:
        _provision(child, out)


def _lines(text: str, out: list[str]) -> None:
    out.extend(line for line in text.split("\n") if line.strip())
