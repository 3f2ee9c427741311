"""Random documents assembled from real lines and marker fragments: the parser never crashes, the
output is always valid, and no character of the input is lost."""
import random
import re
from collections import Counter
from pathlib import Path

import pytest

import jobun
from jobun.structure.classify import classify
from jobun.text.lines import split_lines
from jobun.io.schema import validate

ROOT = Path(__file__).resolve().parent
REAL_LINES = [line for p in sorted((ROOT.parent / "corpus" / "raw").glob("*.txt")) + sorted((ROOT / "data").glob("*.txt"))
              for line in p.read_text(encoding="utf-8").split("\n")]
FRAGMENTS = ["第１条", "第 条", "第条", "（", "）", "（（（", "第一章", "附則（", "別表", "・", "1.", "(1)", "一　", "イ　",
             "説明", "目次", "用語 意味", "第１条（", "）に基づく", "第９９９９９９９条 甲", "第０条", "２", "", "　",
             "\t", "ー", "①", "a.", "(c)", "第１条の２の３ 甲", "第一条から第三条まで　削除", "附　則　（",
             "第１章", "第１条 甲。", "２ 乙。", "（目的）"]


def random_document(rnd: random.Random) -> str:
    lines = [rnd.choice(REAL_LINES) if rnd.random() < 0.7 else rnd.choice(FRAGMENTS)
             for _ in range(rnd.randint(0, 60))]
    text = "\n".join(lines)
    if rnd.random() < 0.2:
        text = "".join(rnd.sample(text, len(text)))
    return text


_IGNORED = re.compile(r"[\s（）()【】\[\]]")     # captions and 附則 titles are kept without their brackets


def input_characters(text: str) -> Counter:
    """What must come out again: every line but page numbers ('- 1 -'), which are page furniture.
    A source line split in pieces (a glued heading, items side by side) counts once."""
    lines = {line.no: line.text for line in split_lines(text) if not classify(line).page_number}
    return Counter(_IGNORED.sub("", "".join(lines.values())))


def printed_characters(doc) -> Counter:
    parts = [doc.title, doc.law_number or "", *doc.toc]
    for n in doc.walk():
        parts += [n.text, n.title or "", n.caption or "", n.label or "", *(note.label for note in n.notes)]
    return Counter(_IGNORED.sub("", "".join(parts)))


@pytest.mark.parametrize("seed", range(12))
def test_random_documents_parse_validly_without_losing_text(seed):
    rnd = random.Random(seed)
    for _ in range(40):
        text = random_document(rnd)
        doc = jobun.parse(text)
        validate(doc.to_dict())
        missing = input_characters(text) - printed_characters(doc)
        assert not missing, f"lost {dict(missing)} from {text[:200]!r}"
