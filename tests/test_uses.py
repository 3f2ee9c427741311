"""Uses of defined terms: counted once per term, in one scan whatever the number of terms.

The long laws are generated here (e-Gov layout, a definition article, inline declarations, terms
used throughout), each law with its own vocabulary, so the tests need no outside data."""
import random
import time

from collections import Counter

import pytest

import jobun
from jobun.analysis import uses

_KANJI = "".join(chr(code) for code in range(0x5E00, 0x6100))      # 768 CJK ideographs
_KANJI_DIGITS = "〇一二三四五六七八九"


def _kanji_number(n: int) -> str:
    hundreds, rest = divmod(n, 100)
    tens, ones = divmod(rest, 10)
    out = ""
    if hundreds:
        out += ("" if hundreds == 1 else _KANJI_DIGITS[hundreds]) + "百"
    if tens:
        out += ("" if tens == 1 else _KANJI_DIGITS[tens]) + "十"
    if ones:
        out += _KANJI_DIGITS[ones]
    return out


def make_law(law: int, articles: int = 150, defined: int = 40) -> str:
    """A statute of `articles` articles whose `defined` terms are its own (random kanji words): the
    first `defined` - 10 in its definition article, 10 declared inline."""
    rng = random.Random(law)
    terms: list[str] = []
    while len(terms) < defined:
        term = "".join(rng.choice(_KANJI) for _ in range(rng.randint(3, 4)))
        if all(term not in t and t not in term for t in terms):
            terms.append(term)
    lines = [f"{rng.choice(_KANJI)}{rng.choice(_KANJI)}{_kanji_number(law + 1)}号法", "",
             "（定義）",
             "第一条　この法律において、次の各号に掲げる用語の意義は、当該各号に定めるところによる。"]
    for i, term in enumerate(terms[:defined - 10], 1):
        lines.append(f"{_kanji_number(i)}　{term}　{rng.choice(terms)}に関する事務をいう。")
    for k in range(2, articles + 1):
        a, b, c = rng.sample(terms, 3)
        lines.append(f"第{_kanji_number(k)}条　{a}は、{b}の定めるところにより、{c}を行うものとする。")
        if k <= 11:                      # the other ten terms are declared inline
            extra = terms[defined - 12 + k]
            lines.append(f"２　{a}が行う{b}の手続（以下「{extra}」という。）は、{c}に準ずる。")
        else:
            lines.append(f"２　{rng.choice(terms)}について前項の規定を準用する。")
    return "\n".join(lines) + "\n"


def _total_uses(doc) -> int:
    return sum(sum(u.counts) for u in doc.term_uses)


def _seconds_per_mb(texts: list[str], rounds: int = 3) -> list[float]:
    """Best CPU time per MB of each text over `rounds` rounds that take the texts in turn (CPU time:
    other processes on the machine count less; in turn: a burst of load falls on all of them)."""
    jobun.parse(texts[0])                               # lazy tables loaded before the clock runs
    best = [float("inf")] * len(texts)
    for _ in range(rounds):
        for i, text in enumerate(texts):
            best[i] = min(best[i], _cpu_time(text))
    return [seconds / (len(text.encode("utf-8")) / 1e6) for seconds, text in zip(best, texts)]


def _cpu_time(text: str) -> float:
    started = time.process_time()
    jobun.parse(text)
    return time.process_time() - started


def test_generated_law_defines_and_uses_its_terms():
    doc = jobun.parse(make_law(0))
    forms = {d.form for d in doc.definitions}
    assert len(doc.definitions) == 40 and forms == {"item", "inline"}
    assert all(u.nodes for u in doc.term_uses)
    assert all(len(u.nodes) == len(u.counts) and min(u.counts) >= 1 for u in doc.term_uses)


@pytest.mark.parametrize("copies", [2, 4, 8])
def test_uses_grow_linearly_with_copies_of_one_law(copies):
    one = jobun.parse(make_law(0))
    many = jobun.parse("\n".join([make_law(0)] * copies))
    assert len(many.definitions) == copies * len(one.definitions)
    assert _total_uses(many) == copies * _total_uses(one)
    # each term's uses are stored once per instrument, not once per definition of it
    assert len(many.term_uses) == copies * len(one.term_uses)


def test_time_per_mb_stays_flat_with_more_copies_and_more_terms():
    laws = [make_law(n) for n in range(8)]
    single, copies, different = _seconds_per_mb([laws[0], "\n".join([laws[0]] * 8), "\n".join(laws)])
    assert copies < 1.5 * single and different < 1.5 * single, (single, copies, different)


def test_many_terms_take_the_trie_and_find_the_same_uses_as_the_regex(monkeypatch):
    text = "\n".join(make_law(n, articles=40) for n in range(8))
    doc = jobun.parse(text)
    assert len({u.term[0] for u in doc.term_uses}) > uses._REGEX_FIRST_CHARS      # the trie ran
    nodes = list(doc.walk())
    monkeypatch.setattr(uses, "_REGEX_FIRST_CHARS", 10_000)
    uses._finder.cache_clear()
    assert [(u.term, u.nodes, u.counts) for u in uses.index(nodes, doc.definitions)] == \
        [(u.term, u.nodes, u.counts) for u in doc.term_uses]


def both_finders(monkeypatch):
    """Each term finder in turn (the trie, then the regex), none cached from before; yields the
    threshold that chose it, for the assertion messages."""
    for threshold in (0, 10_000):
        monkeypatch.setattr(uses, "_REGEX_FIRST_CHARS", threshold)
        uses._finder.cache_clear()
        yield threshold


@pytest.mark.parametrize("text, term, expected", [
    ("本法（以下「法」という。）は、法令及び消費税法に従い、法に基づき、法の例による。", "法", 2),   # lone kanji
    ("基本サービス（以下「ＳＩＭ」という。）とは別に、SIM と ＳＩＭ を使う。SIMPLE は別。", "SIM", 2),
    ("利用者（以下「契約者」という。）の契約者等、契約 者。", "契約者", 2),     # a space inside counts
    # full-width letters and digits are letters too: ｘＩＤ, ＩＤｚ, ０ＩＤ, ＩＤ９, ＺＩＤ do not count
    ("認証符号（以下「ＩＤ」という。）とは、ＩＤ、ｘＩＤ、ＩＤｚ、０ＩＤ、ＩＤ９、ＺＩＤ及びＩＤ。", "ＩＤ", 2),
])
def test_counts_and_boundaries_on_both_finders(monkeypatch, text, term, expected):
    for threshold in both_finders(monkeypatch):
        doc = jobun.parse(text)
        (entry,) = [u for u in doc.term_uses if u.term in (term, "ＳＩＭ")]
        assert sum(entry.counts) == expected, threshold


def test_printings_of_one_term_in_several_nodes_merge_in_document_order(monkeypatch):
    # ＳＩＭ and SIM are one term, whichever is printed first in a node or in the document
    text = ("第１条　本サービス（以下「ＳＩＭ」という。）を提供する。\n第２条　契約者は ＳＩＭ を使う。\n"
            "第３条　契約者は SIM を使う。\n第４条　ＳＩＭ と SIM を返す。\n")
    for threshold in both_finders(monkeypatch):
        doc = jobun.parse(text)
        (entry,) = doc.term_uses
        order = [n.id for n in doc.walk()]
        assert [i.split("/")[0] for i in entry.nodes] == ["art_2", "art_3", "art_4"], threshold
        assert entry.counts == [1, 1, 2] and entry.nodes == sorted(entry.nodes, key=order.index), threshold


@pytest.mark.parametrize("text, expected", [
    ("本法律の法に従う。", [(1, "法律"), (4, "法")]),      # the lone kanji fails inside 本法, 法律 still counts
    ("法\n法々、民法", [(0, "法")]),                      # line start counts; 法々 and 民法 do not
    ("契約法は法とする", [(0, "契約"), (4, "法")]),
    # printed across whitespace: a use starts where it is printed, its neighbours are as printed
    ("契 約は 法律、民 法\n法", [(0, "契約"), (5, "法律"), (10, "法"), (12, "法")]),
])
def test_lone_kanji_term_beside_longer_terms_on_both_finders(monkeypatch, text, expected):
    keys = ("契約", "法律", "法")
    for threshold in both_finders(monkeypatch):
        finder = uses._finder(keys)
        assert list(finder.uses_in(text)) == expected, threshold
        assert Counter(finder.forms_in(text)) == Counter(key for _, key in expected), threshold


@pytest.mark.parametrize("keys", [("契約", "契約者等", "契約者"), ("契約者", "契約", "契約者等")])
def test_longest_term_wins_whatever_the_order_of_the_keys(monkeypatch, keys):
    text = "契約者等は契約者と契約を結ぶ"
    for threshold in both_finders(monkeypatch):
        assert list(uses._finder(keys).uses_in(text)) == [(0, "契約者等"), (5, "契約者"), (9, "契約")], threshold


@pytest.mark.parametrize("keys, text, expected", [
    # 法 has a kanji beside it in every longer term: its uses are its printings between non-kanji
    (("改正法", "法"), "改正法と法、方法及び法。", [(0, "改正法"), (4, "法"), (10, "法")]),
    # not so in の法 or A法: a printing between non-kanji may be inside the longer term's use
    (("の法", "法"), "の法と法、方法。", [(0, "の法"), (3, "法")]),
    (("の法", "法"), "法と法、方法。", [(0, "法"), (2, "法")]),
    (("A法", "法"), "A法と法。", [(0, "A法"), (3, "法")]),
    # whitespace parts 法 from the kanji before it: inside 改正法 here, a use of its own there
    (("改正法", "法"), "改正 法と法", [(0, "改正法"), (5, "法")]),
    (("改正法", "法"), "民 法と法", [(2, "法"), (4, "法")]),
])
def test_one_kanji_term_counted_apart_as_the_scan_counts_it(monkeypatch, keys, text, expected):
    for threshold in both_finders(monkeypatch):
        finder = uses._finder(keys)
        assert list(finder.uses_in(text)) == expected, threshold
        assert Counter(finder.forms_in(text)) == Counter(key for _, key in expected), threshold


def test_uses_read_back_from_json_and_from_the_older_layout():
    doc = jobun.parse(make_law(1, articles=20))
    from jobun.io.reader import document_from_dict
    back = document_from_dict(doc.to_dict())
    assert [(d.term, d.uses) for d in back.definitions] == [(d.term, d.uses) for d in doc.definitions]
    older = doc.to_dict()                       # definitions carried their own "uses" before term_uses
    del older["term_uses"]
    for entry, d in zip(older["definitions"], doc.definitions):
        entry["uses"] = list(d.uses)
    assert [d.uses for d in document_from_dict(older).definitions] == [d.uses for d in doc.definitions]
