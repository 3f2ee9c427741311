"""Known law titles: the e-Gov list of 2013 (data/egov-law-titles-2013.tsv, 8,011 titles with numbers).

Decides which printed name is a known law's full title — the longest title ending where a name
ends, so 国民健康保険法 is not read as 健康保険法 — and the number a title printed without one has.
Loaded on first use (some tens of ms), never at import: texts without a law name never pay for it.
Laws enacted after 2013 are missing; lawnames still finds them by grammar.
"""
from __future__ import annotations

from bisect import bisect_right
from functools import lru_cache
from importlib import resources

_NO_CANDIDATES: tuple[list, list] = ([], [])


class Titles:
    """Title → printed law number, with the title lengths per final four characters for lookups."""

    def __init__(self, rows: dict[str, str]):
        self.numbers = rows
        # final four characters → (lengths ascending, first characters of the titles of each length):
        # most tails end no title of four characters or more, and a candidate is sliced and looked
        # up only when it fits the room and its first character fits. The first characters are a
        # str (one character `in` it): a frozenset each was a fifth of the table's memory.
        by_end: dict[str, dict[int, str]] = {}
        for title in rows:
            if len(title) >= 4:
                firsts = by_end.setdefault(title[-4:], {})
                if title[0] not in firsts.get(len(title), ""):
                    firsts[len(title)] = firsts.get(len(title), "") + title[0]
        self._candidates = {k: (sorted(v), [v[n] for n in sorted(v)]) for k, v in by_end.items()}

    def ending_at(self, text: str, end: int, floor: int = 0) -> int | None:
        """Start of the longest known title that ends at text[end] and starts at or after `floor`."""
        room = end - floor
        lengths, firsts = self._candidates.get(text[end - 4:end], _NO_CANDIDATES) if room >= 4 else _NO_CANDIDATES
        for i in range(bisect_right(lengths, room) - 1, -1, -1):
            start = end - lengths[i]
            if text[start] in firsts[i] and text[start:end] in self.numbers:
                return start
        if room >= 3 and text[end - 3:end] in self.numbers:
            return end - 3                                  # 会社法
        if room >= 2 and text[end - 2:end] in self.numbers:
            return end - 2                                  # 民法
        return None


@lru_cache(maxsize=1)
def titles() -> Titles:
    rows: dict[str, str] = {}
    # Read line by line: the whole file as one text and its list of lines were 2 MB more at the peak.
    with resources.files(__package__).joinpath("data/egov-law-titles-2013.tsv").open(encoding="utf-8") as data:
        next(data)                                          # the header
        for line in data:
            title, number, *_ = line.split("\t")
            title = title.split("\u3000")[0]               # …政令　抄: an excerpt mark, not the title
            rows.setdefault(title, number)
    return Titles(rows)
