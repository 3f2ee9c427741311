"""Known law titles: the e-Gov list of 2013 (data/egov-law-titles-2013.tsv, 8,011 titles with numbers).

Decides which printed name is a known law's full title — the longest title ending where a name
ends, so 国民健康保険法 is not read as 健康保険法 — and the number a title printed without one has.
Loaded on first use (about 10 ms), never at import: texts without a law name never pay for it.
Laws enacted after 2013 are missing; lawnames still finds them by grammar.
"""
from __future__ import annotations

from functools import lru_cache
from importlib import resources


class Titles:
    """Title → printed law number, with the title lengths per final two characters for lookups."""

    def __init__(self, rows: dict[str, str]):
        self.numbers = rows
        lengths: dict[str, set[int]] = {}
        for title in rows:
            lengths.setdefault(title[-2:], set()).add(len(title))
        self._lengths = {k: sorted(v, reverse=True) for k, v in lengths.items()}

    def ending_at(self, text: str, end: int, floor: int = 0) -> int | None:
        """Start of the longest known title that ends at text[end] and starts at or after `floor`."""
        for length in self._lengths.get(text[end - 2:end], ()):
            start = end - length
            if start >= floor and text[start:end] in self.numbers:
                return start
        return None


@lru_cache(maxsize=1)
def titles() -> Titles:
    rows: dict[str, str] = {}
    data = resources.files(__package__).joinpath("data/egov-law-titles-2013.tsv").read_text(encoding="utf-8")
    for line in data.splitlines()[1:]:
        title, number, *_ = line.split("\t")
        title = title.split("\u3000")[0]                   # …政令　抄: an excerpt mark, not the title
        rows.setdefault(title, number)
    return Titles(rows)
