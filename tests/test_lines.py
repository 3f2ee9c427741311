"""The lines stage's views of a text: the folded matching view, the offset of every line, and a
node's offset map (segments), each against the plain definition it must agree with."""
import pytest

import jobun
from jobun.model import Segment
from jobun.text import lines, numerals

_SAMPLE = "第１２条（利用料金）　契約者は、別表（Ａ）に定める料金を支払うものとします。\n２　前項の料金は、ｗｅｂ明細で通知します。\n"


def _fold_by_character(s: str) -> str:
    return "".join(numerals._FOLD_ONE.get(c, c) for c in s)


@pytest.mark.parametrize("length", [10, 63, 64, 255, 256, 257, 4000])
@pytest.mark.parametrize("text", [_SAMPLE, "ＡＢＣ　ｘｙｚ！？－−‐\u00a0", "利用規約\n", "（１）"])
def test_fold_is_one_character_for_one(text, length):
    s = (text * (length // len(text) + 1))[:length]
    folded = numerals.fold(s)
    assert folded == _fold_by_character(s)
    assert len(folded) == len(s)


@pytest.mark.parametrize("block", [1, 5, 1 << 16])
@pytest.mark.parametrize("text", [_SAMPLE, "ＡＢＣ　ｘｙｚ！？－−‐\u00a0",
                                  # U+FFxx that are not full-width ASCII, and characters whose UTF-32
                                  # has an 0xFF byte elsewhere: left as they are
                                  "ｱｲｳ\uff00\uff5f｛｝～\U0001ff01\U0001f600\ud800ａ\u30ff\u4eff"])
def test_fold_finds_full_width_runs_a_block_at_a_time(text, block, monkeypatch):
    monkeypatch.setattr(numerals, "_FULL_WIDTH_BLOCK", block)
    s = (text * (600 // len(text) + 1))[:600]       # long enough for the block search
    assert numerals.fold(s) == _fold_by_character(s)


@pytest.mark.parametrize("edge", [" ", "\t", "\u3000", "\u00a0", "\ufeff", " \u3000\t"])
def test_line_body_and_norm_are_the_raw_line_stripped(edge):
    raw = f"{edge}（１）　ＡＢＣ　は{edge}"
    line, = lines.split_lines(f"前文\n{raw}\n")[1:]
    assert line.text == raw
    assert line.body == raw.strip(lines._WS)
    assert line.norm == _fold_by_character(line.body)
    assert line.trailing


def _starts_by_scan(text: str) -> list[int]:
    return [0] + [k + 1 for k, c in enumerate(text) if c == "\n"] + [len(text) + 1]


@pytest.mark.parametrize("block", [1, 3, 7, 1 << 16])
@pytest.mark.parametrize("text", ["", "\n", "a", "a\n", "\n\n\nb", _SAMPLE, _SAMPLE * 5 + "末尾",
                                  "一\n\n\n二\n" * 9])
def test_line_starts_counted_a_block_at_a_time(text, block, monkeypatch):
    monkeypatch.setattr(lines, "_STARTS_BLOCK", block)
    assert list(lines.line_starts(text)) == _starts_by_scan(text)


def test_segments_read_as_a_list_of_segment():
    doc = jobun.parse("第１条（目的）\nこの規約は、当社のサービスの利用\nについて定めるものです。\n")
    paragraph = next(n for n in doc.walk() if n.kind == "paragraph")
    segments = paragraph.segments
    as_list = list(segments)
    assert len(segments) == len(as_list) == 2
    assert all(isinstance(s, Segment) for s in as_list)
    assert segments[-1] == as_list[1] and segments[0:1] == as_list[:1] and segments == as_list
    assert [s.line for s in segments] == [2, 3]
    assert paragraph.text[segments[1].start:segments[1].end] == "について定めるものです。"
    with pytest.raises(IndexError):
        segments[2]
