"""Resolution: the node ids a normalized reference names.

Decides, for each fragment list, the node it reaches from the citing node (the context): absolute
numbers in the citing instrument's namespace (main text, doc_2/, a 附則 block), relative forms
(前条, 次項, 前２項, 前各号, 本条) among the siblings of the enclosing node, 同条 / 同項 / 同号 as what
a reference named last, containers within the chain's parents, ranges (第３１条乃至第３３条)
expanded over the siblings, and a self-name scope (本約款第８条) to the instrument whose title holds it.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from itertools import repeat

from ..model import Document, Fragment, Node, Range
from .grammar import Found
from .scan import scan


@dataclass(slots=True)
class Context:
    """Where a reference sits, and what 同条 / 同項 / 同号 currently mean."""
    node: Node | None
    namespace: str = ""                           # "" for the main instrument, "doc_2/" …
    # what the references so far named, oldest first: (range, the last node it reached). Read back
    # only when 同条 / 同項 / 同号 is cited (_named_last): most articles cite none.
    named: list[tuple[Range, Node]] = field(default_factory=list)
    # kind → the innermost node of that kind from `node` up (itself included): every reference of
    # the node asks for its article or paragraph, so the parents are walked once per node.
    within: dict = field(default_factory=dict)

    def enclosing(self, kind: str) -> Node | None:
        return self.within.get(kind)

    def without_memory(self) -> Context:
        """The same place with nothing named yet (同条 is the enclosing article)."""
        return Context(self.node, self.namespace, [], self.within)

    def supplementary_block(self) -> Node | None:
        """The 附則 block the node sits in (not the node itself), from the walk up context_for made."""
        if self.node is None:
            return None
        if self.node.kind == "supplementary":          # `within` holds the node itself for its kind
            return next((a for a in self.node.ancestors() if a.kind == "supplementary"), None)
        return self.within.get("supplementary")

    def doc_namespace(self) -> str:
        """The namespace of the document holding the node ("" for the main instrument's)."""
        doc = self.within.get("document")
        return doc.id + "/" if doc is not None else ""


class _Index:
    """Per-document lookups built once: articles in order per namespace, containers by number."""

    def __init__(self, doc: Document):
        self.doc = doc
        self.articles: dict[str, list[Node]] = {}
        # an article's place in its namespace's list: 前条 / 次条 and ranges look it up in constant
        # time (a scan per reference was quadratic in a long statute's articles)
        self.article_position: dict[int, int] = {}
        # 第N条 by id (art_17, doc_2/art_3): the document's own index would walk every node
        self.article_by_id: dict[str, Node] = {}
        # (namespace, kind) → the containers of that kind in document order: a reference to 第２章
        # looks among the chapters only (a long statute has hundreds of containers)
        self.containers: dict[tuple[str, str], list[Node]] = {}
        self.titles = {"": doc.title or ""}
        # One pass, carrying the namespace down: documents and supplementary blocks open one.
        stack = [(node, "") for node in reversed(doc.children)]
        while stack:
            node, ns = stack.pop()
            kind = node.kind
            if kind == "article":
                same_namespace = self.articles.setdefault(ns, [])
                self.article_position[id(node)] = len(same_namespace)
                same_namespace.append(node)
                self.article_by_id[node.id] = node
                continue                     # no articles or containers below an article,
            if kind in ("paragraph", "item", "subitem"):
                continue                     # nor below these
            if kind in ("part", "chapter", "section", "subsection", "division", "appendix", "supplementary"):
                self.containers.setdefault((ns, kind), []).append(node)
            elif kind == "document":
                self.titles[node.id + "/"] = node.title or ""
            inner = node.id + "/" if kind in ("document", "supplementary") else ns
            stack.extend(zip(reversed(node.children), repeat(inner)))


def namespace_of(node: Node) -> str:
    """The instrument an article belongs to: "" (main), "doc_2/", "suppl_1/", "doc_2/suppl_1/"."""
    for anc in node.ancestors():                 # the innermost one: its id holds the outer ones
        if anc.kind in ("document", "supplementary"):
            return anc.id + "/"
    return ""


def _children(node: Node, kind: str) -> list[Node]:
    return [c for c in node.children if c.kind == kind]


def _child_by_num(node: Node, kind: str, key: str | None) -> Node | None:
    if key is None:
        return None
    kids = _children(node, kind)
    for c in kids:
        if c.num is not None and c.num == key:
            return c
    suffix = {"paragraph": "para_", "item": "item_", "subitem": "sub_"}.get(kind, "")
    for c in kids:
        if c.id.rsplit("/", 1)[-1] == suffix + key:
            return c
    if kind == "paragraph" and key == "1" and kids and kids[0].num in (None, ""):
        return kids[0]
    return None


def _siblings(node: Node, doc: Document) -> list[Node]:
    parent_children = node.parent.children if node.parent is not None else doc.children
    return [c for c in parent_children if c.kind == node.kind]


class Resolver:
    def __init__(self, doc: Document):
        self.doc = doc
        self.index = _Index(doc)

    # -- one fragment list → nodes ------------------------------------------------------------
    def resolve(self, frags: list[Fragment], ctx: Context, scope: str | None = None) -> list[Node]:
        current: list[Node] | None = None             # None: not anchored yet
        ns = ctx.namespace if scope is None else self._scope_namespace(ctx, scope)
        pinned = False                                # 附則 named: no falling back to the main text
        for i, frag in enumerate(frags):
            if frag.kind == "law":
                return []
            if frag.kind == "supplementary":
                # 附則第二条 inside a 附則 block means that block's article; from the main text, the
                # original 附則 (the first block).
                own = ctx.supplementary_block()
                current = [own] if own is not None else \
                    self.index.containers.get((ctx.doc_namespace(), "supplementary"), [])
                if not current:
                    return []
                ns = current[0].id + "/"
                # 附則第二項: a 附則 of bare paragraphs holds them itself; 附則第二条 goes by namespace.
                current = current[:1] if frags[i + 1:i + 2] and frags[i + 1].kind == "paragraph" else None
                pinned = True
                continue
            step = self._step(frag, current, ctx, ns, pinned)
            if not step:
                return []
            current = step
        return current or []

    def _scope_namespace(self, ctx: Context, scope: str) -> str:
        doc_ns = ctx.doc_namespace()
        if scope in self.index.titles.get(doc_ns, ""):
            return doc_ns
        for ns, title in self.index.titles.items():
            if scope in title:
                return ns
        return doc_ns

    def _step(self, frag: Fragment, current: list[Node] | None, ctx: Context, ns: str,
              pinned: bool = False) -> list[Node]:
        kind = frag.kind
        if kind == "article":                     # the frequent kinds first
            return self._article(frag, current, ctx, ns, pinned)
        if kind == "paragraph":
            return self._paragraph(frag, current, ctx)
        if kind == "item":
            return self._item(frag, current, ctx)
        if kind in ("part", "chapter", "section", "subsection", "division", "appendix"):
            return self._container(frag, current, ctx, ns)
        if kind == "subitem":
            parents = current or ([ctx.enclosing("item")] if ctx.enclosing("item") else [])
            out = [c for p in parents for c in [_child_by_num(p, "subitem", frag.num)] if c]
            return out
        return []

    def _container(self, frag, current, ctx, ns) -> list[Node]:
        if ns.startswith("suppl") or "/suppl_" in ns:
            ns = ctx.doc_namespace()
        candidates = self.index.containers.get((ns, frag.kind), [])
        if current:
            inside = [c for c in candidates if any(c.parent is p for p in current)]
            candidates = inside
        elif frag.kind in ("chapter", "section", "subsection", "division"):
            # 第２節 inside chapter 3 means chapter 3's second section (sections restart per chapter,
            # chapters per part).
            enclosing = {id(a) for a in ctx.node.ancestors()} if ctx.node is not None else set()
            own = [c for c in candidates if c.parent is not None and id(c.parent) in enclosing]
            if own:
                candidates = own
        if frag.num is None:
            return candidates[:1] if len(candidates) == 1 else []
        return [c for c in candidates if c.num == frag.num][:1]

    def _article(self, frag, current, ctx, ns, pinned: bool = False) -> list[Node]:
        own = ctx.enclosing("article")
        if frag.relative is None:
            # 第４章第１８条: article ids are unique per instrument; the container only qualifies.
            hit = self.index.article_by_id.get(f"{ns}art_{frag.num}")
            # 第二条 inside a 附則 without articles of its own means the main text's; 附則第二条 does not.
            if hit is None and ns != ctx.doc_namespace() and not pinned:
                hit = self.index.article_by_id.get(f"{ctx.doc_namespace()}art_{frag.num}")
            return [hit] if hit else []
        if frag.relative in ("this", "same"):
            return _this_or_same(frag, ctx, "article", own)
        if own is None:
            return []
        articles = self.index.articles.get(namespace_of(own), [])
        return _relative_siblings(articles, own, frag, self.index.article_position.get(id(own)))

    def _paragraph(self, frag, current, ctx) -> list[Node]:
        if current:
            if frag.relative is None:
                return [c for a in current for c in [_child_by_num(a, "paragraph", frag.num)] if c]
            if frag.relative == "each":
                return current
        own_para = ctx.enclosing("paragraph")
        own_art = ctx.enclosing("article")
        if frag.relative is None:
            base = own_art or (own_para.parent if own_para else None)
            if base is None:
                return []
            hit = _child_by_num(base, "paragraph", frag.num)
            return [hit] if hit else []
        if frag.relative in ("this", "same"):
            return _this_or_same(frag, ctx, "paragraph", own_para)
        if own_para is None:
            return []
        return _relative_siblings(_siblings(own_para, self.doc), own_para, frag)

    def _item(self, frag, current, ctx) -> list[Node]:
        if frag.relative == "each":
            if current:
                # 第１項各号 → the paragraph holding the items; 第２条各号 / 前条各号 → the article
                return current
            target = ctx.enclosing("paragraph")
            return [target] if target else []
        if current:
            parents = []
            for c in current:
                if c.kind == "article":             # 第五条第三号: the article's first paragraph
                    paras = _children(c, "paragraph")
                    if paras:
                        parents.append(paras[0])
                else:
                    parents.append(c)
            if frag.relative is None:
                return [h for p in parents for h in [_child_by_num(p, "item", frag.num)] if h]
        own_item = ctx.enclosing("item")
        own_para = ctx.enclosing("paragraph")
        if frag.relative is None:
            if own_para is None:
                return []
            hit = _child_by_num(own_para, "item", frag.num)
            return [hit] if hit else []
        if frag.relative in ("this", "same"):
            return _this_or_same(frag, ctx, "item", own_item)
        if own_item is None:
            if frag.relative == "prev" and frag.count is None and own_para is not None:
                # 前各号 in a paragraph: the items of this paragraph, else of the previous one
                items = _children(own_para, "item")
                if not items:
                    prev = _relative_siblings(_siblings(own_para, self.doc), own_para, Fragment("paragraph", None, "prev", 1))
                    items = _children(prev[0], "item") if prev else []
                return items
            return []
        return _relative_siblings(_siblings(own_item, self.doc), own_item, frag)


def _this_or_same(frag: Fragment, ctx, kind: str, own: Node | None) -> list[Node]:
    """この条 / 本項 → the enclosing node of `kind`; 同条 / 同項 → the one of that kind named last,
    else the enclosing one."""
    node = own if frag.relative == "this" else _named_last(ctx, kind) or own
    return [node] if node else []


def _named_last(ctx: Context, kind: str) -> Node | None:
    """The article, paragraph or item (`kind`) that 同条 / 同項 / 同号 means: the one the last
    reference naming that kind reached (the outermost of that kind from where it reached up)."""
    for rng, node in reversed(ctx.named):
        if any(f.kind == kind for f in rng.start) or rng.end and any(f.kind == kind for f in rng.end):
            outermost = None
            while node is not None:
                if node.kind == kind:
                    outermost = node
                node = node.parent
            if outermost is not None:
                return outermost
    return None


def _relative_siblings(siblings: list[Node], own: Node, frag: Fragment, i: int | None = None) -> list[Node]:
    """前条 / 次項 / 前２項 / 前各号 among `siblings` relative to `own` (at `i` when known)."""
    if i is None:
        i = _position(siblings, own)
        if i is None:
            return []
    if frag.relative == "prev":
        n = i if frag.count is None else frag.count
        return siblings[max(0, i - n):i]
    if frag.relative == "next":
        n = frag.count or 1
        return siblings[i + 1:i + 1 + n]
    return []


def _expand(start: list[Node], end: list[Node], doc: Document, index: _Index) -> list[Node]:
    """第３１条乃至第３３条 → every sibling from the first to the last."""
    if not start or not end:
        return start + end
    a, b = start[0], end[-1]
    if a.kind != b.kind:
        return start + end
    if a.kind == "article":
        pool = index.articles.get(namespace_of(a), [])
        i, j = index.article_position.get(id(a)), index.article_position.get(id(b))
        if j is not None and (j >= len(pool) or pool[j] is not b):
            j = None                          # b in another namespace than a
    else:
        pool = _siblings(a, doc)
        i, j = _position(pool, a), _position(pool, b)
    if i is None or j is None or j < i:
        return start + end
    return pool[i:j + 1]


def _position(nodes: list[Node], node: Node) -> int | None:
    """Where `node` is in `nodes` (list.index finds it by identity: nodes compare so, eq=False)."""
    try:
        return nodes.index(node)
    except ValueError:
        return None


def context_for(node: Node | None) -> Context:
    """The context of a reference in `node`: its namespace and enclosing nodes, from one walk up."""
    if node is None:
        return Context(None)
    within = {}
    namespace = ""
    anc = node.parent                            # (a loop, not ancestors(): once per node with references)
    while anc is not None:
        within.setdefault(anc.kind, anc)
        if not namespace and anc.kind in ("document", "supplementary"):
            namespace = anc.id + "/"             # the innermost one: its id holds the outer ones
        anc = anc.parent
    within[node.kind] = node
    return Context(node, namespace, [], within)


def resolve_found(resolver: Resolver, f: Found, ctx: Context,
                   missing: list[Range] | None = None) -> list[Node]:
    """Targets of every listed part and range; parts that name nothing go to `missing`."""
    missing = [] if missing is None else missing
    nodes: list[Node] = []
    for r in f.ranges:
        start = resolver.resolve(r.start, ctx, f.scope)
        if r.end is not None:
            end = resolver.resolve(r.end, ctx, f.scope)
            got = _expand(start, end, resolver.doc, resolver.index)
        else:
            got = start
        if not got:
            missing.append(r)                   # reported by the caller; the other parts still count
            continue
        nodes.extend(got)
        _remember(ctx, r, got)
    if len(nodes) < 2:
        return nodes
    seen = set()
    unique = []
    for n in nodes:
        if n.id not in seen:
            seen.add(n.id)
            unique.append(n)
    return unique


def _remember(ctx: Context, rng: Range, got: list[Node]) -> None:
    """同条 / 同項 / 同号 mean the article, paragraph or item that a reference NAMED last: kept as
    named, read back only when one is cited (_named_last)."""
    ctx.named.append((rng, got[-1]))


def resolve_text(doc: Document, text: str, context: str | None = None) -> Node | None:
    """The node that `text` (第１７条第１項, 前条第２項 …) names; relative forms need `context`."""
    node = doc.get(context) if context else None
    found = [f for f in scan(text) if f.kind == "internal"]
    if not found:
        return None
    ctx = context_for(node)
    nodes = resolve_found(Resolver(doc), found[0], ctx)
    return nodes[0] if nodes else None


