"""Attribution: which law each statute citation of a document means.

Decides, in document order, from what the text said before:
- a name the document defined stands for that law: 漁船損害等補償法（以下「法」という。） makes every
  later 法第N条 a citation of 漁船損害等補償法 (the alias bracket is read by lawnames);
- 同法 / 同令 / 同規則 is the law of that kind named last (同法施行令 → that law's 施行令);
- in a 施行令 / 施行規則 whose title names its parent law (XX法施行規則), 法 is XX法 and 令 is
  XX法施行令 even without a definition;
- a …規則 / …規程 / …基準 cited once with its number is that law when named again without it (the
  grammar alone does not take such a name for a statute: companies name their rules so too);
- any other name is the law it prints. The number is the one printed in brackets after the name,
  else the known title's (titles), normalized; the e-Gov id follows from it (lawnumbers).
The laws cited, with their aliases and citation counts, become Document.laws.
"""
from __future__ import annotations

import re

from ..model import Law
from . import lawnumbers
from .grammar import Found
from .lawnames import RULE_TAILS
from .titles import titles

_PARENT_TITLE = re.compile(r"(.+?(?:法|法律))施行(令|規則)")
_SAME = re.compile(r"同(法|令|規則)(施行令|施行規則)?")


def _kind(name: str) -> str:
    """The word 同… uses for a law of this name: 法 (…法, …法律), 令 (…令) or 規則."""
    if name.endswith("規則"):
        return "規則"
    if name.endswith("令"):
        return "令"
    return "法"


class Statutes:
    """The laws one document cites, and what its aliases and 同… currently mean."""

    def __init__(self, title: str = ""):
        self.title = (title or "").strip()
        self.laws: dict[str, Law] = {}             # by full name, in order of first citation
        self.aliases: dict[str, Law] = {}
        self.last: dict[str, Law] = {}             # 法 / 令 / 規則 → the law of that kind named last
        self._defaults: dict[str, str] = {}
        parent = _PARENT_TITLE.fullmatch((title or "").strip())
        if parent:
            self._defaults = {"法": parent.group(1), "令": parent.group(1) + "施行令"}

    def attribute(self, f: Found) -> Law | None:
        """The law `f` cites (counted), or None when nothing says which (同法 before any name)."""
        printed = (f.law or "").strip()
        same = _SAME.fullmatch(printed) if printed.startswith("同") else None
        if same:
            law = self.last.get(same.group(1))
            if law is not None and same.group(2):
                law = self._law(law.name + same.group(2), None)
        elif printed in self.aliases:
            law = self.aliases[printed]
        elif printed in self._defaults:
            law = self._law(self._defaults[printed], None)
        else:
            law = self._law(printed, f.number)
        if law is None:
            return None
        if f.alias and f.alias not in self.aliases:
            self.aliases[f.alias] = law
            law.aliases.append(f.alias)
        if not same:
            self.last[_kind(law.name)] = law
        if law.number and self._unknown_rule(law.name):
            self.aliases[law.name] = law          # 被疑者留置規則第五条 after 被疑者留置規則（…規則第四号）
        law.count += 1
        return law

    def _unknown_rule(self, name: str) -> bool:
        """A …規則 / …規程 / …基準 that neither the grammar (施行規則) nor the known titles name."""
        return (name.endswith(RULE_TAILS) and not name.endswith("施行規則") and name not in self.aliases
                and name != self.title and name not in titles().numbers)

    def is_this_document(self, law: Law) -> bool:
        return bool(self.title) and law.name == self.title

    def cited(self) -> list[Law]:
        """The laws cited, in order of first citation (this document's own title excluded)."""
        return [law for law in self.laws.values() if not self.is_this_document(law)]

    def _law(self, name: str, printed_number: str | None) -> Law:
        law = self.laws.get(name)
        number = lawnumbers.normalize(printed_number)
        if law is None:
            if number is None and name not in ("法", "令", "規則"):
                number = lawnumbers.normalize(titles().numbers.get(name))
            law = self.laws[name] = Law(name, number, lawnumbers.law_id(number))
        elif law.number is None and number is not None:
            law.number, law.id = number, lawnumbers.law_id(number)
        return law
