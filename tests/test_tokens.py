import subprocess
import sys
from pathlib import Path

import pytest

from jobun.analysis import tokens

SEEDS = sorted((Path(__file__).resolve().parent.parent / "corpus" / "raw").glob("*.txt"))


@pytest.mark.parametrize("text", [
    "当社は、次の場合には利用契約締結希望者による本サービス利用の申込を承諾しないことがあるものとする。",
    "本サービスは、SDPF 利用規約等（以下「法」といいます。）に基づき提供します。",
    "セキュアマネージメントサーバｆoｒ Ｗｉｎｄｏｗｓサービス　利用規則",
    "年率１４．６％の遅延損害金（1,000円、\"税込\"）を支払う。",
])
def test_token_spans_round_trip(text):
    toks = tokens.tokenize(text)
    assert toks
    for t in toks:
        start, end = t["span"]
        assert text[start:end] == t["surface"]
        assert not t["surface"].isspace()
        assert len(t["pos"]) == 4 and all(t["pos"])
    # every non-space character is covered exactly once
    covered = "".join(t["surface"] for t in toks)
    assert covered == "".join(text.split())


def test_spaced_sentence_gets_the_tokens_fugashi_gives_it():
    # One tagger call per sentence: the context carries across spaces (第 8 条: 第 is a prefix),
    # ideographic spaces are dropped, spans still point at the printed characters.
    import fugashi
    text = "第 8 条の　規定により SIM カードを 14 日以内に送る。"
    toks = tokens.tokenize(text)
    expected = [w.surface for w in fugashi.Tagger()(text) if not w.surface.isspace()]
    assert len(toks) == len(expected)
    assert [t["surface"] for t in toks] == expected
    assert all(text[a:b] == t["surface"] for t in toks for a, b in [t["span"]])
    assert toks[0]["pos"][0] == "接頭辞"


def test_direct_tagger_prints_what_fugashis_parse_prints():
    # MeCab is called through ctypes for its output as bytes (see tokens.py); fugashi's own parse
    # is the fallback. Both must print the same thing for every sentence of the seeds.
    import jobun
    direct, through_fugashi = tokens._direct_tagger(), tokens._fugashi_tagger()
    assert direct is not None, "fugashi's libmecab was not found"
    checked = 0
    for path in SEEDS:
        doc = jobun.parse(path.read_text(encoding="utf-8"))
        for node in doc.walk():
            for sentence in node.sentences:
                chunk = node.text[slice(*sentence.span)]
                assert direct(chunk) == through_fugashi(chunk), chunk
                checked += 1
    assert checked > 1000


@pytest.mark.parametrize("text", ["当社は規約を定める。", "当社　は規約を定める。", "当社\u00a0は規約\u2003を定める。",
                                  "当社\x0cは規約を定める。", "Smart Data Platform を使う。"])
def test_token_count_before_reading_equals_the_tokens_read(text):
    # len() answers from the tagger output without building the dicts; whitespace that MeCab
    # prints as a token of its own (and that the dicts drop) must not be counted.
    import fugashi
    expected = sum(1 for w in fugashi.Tagger()(text) if not w.surface.isspace())
    toks = tokens.tokenize(text)
    counted = len(toks)                 # before any token is read
    assert counted == expected == len(list(toks))


def test_nul_does_not_cut_the_sentence_short():
    text = "当社\0は規約を定める。"
    toks = tokens.tokenize(text)
    assert [t["surface"] for t in toks] == ["当社", "は", "規約", "を", "定める", "。"]
    assert toks[1]["span"] == [3, 4]


def test_token_fields_are_unidic():
    toks = tokens.tokenize("契約者は利用料金を支払う。")
    by_surface = {t["surface"]: t for t in toks}
    assert by_surface["は"]["pos"] == ["助詞", "係助詞", "*", "*"]
    assert by_surface["支払う"]["lemma"] == "支払う"
    assert by_surface["支払う"]["reading"] == "シハラウ"
    assert by_surface["。"]["reading"] is None


def test_tokenize_subrange_offsets_into_whole_text():
    text = "（通知） 当社は通知します。"
    toks = tokens.tokenize(text, 5, len(text))
    assert toks[0]["surface"] == "当社" and toks[0]["span"] == [5, 7]


@pytest.mark.parametrize("left, right, inside", [
    ("スマートコネクト マネージドサ", "ーバコントロールパネル", True),
    ("セキュアマネージメントサーバｆoｒ Ｗ", "ｉｎｄｏｗｓ", True),
    ("当社に故意または重過失がある場合を除き、責任を負", "うものとし", True),
    ("その他当社が適当と認める方", "法により定める", True),
    ("ダウンロードした資料等を複製し、", "又は改変", False),
    ("利用契約はこの利用開始日に成立するものとする。", "２ 当社は", False),
    ("（ｈｔｔｐ：", "／／ｗｗｗ．ｎｔｔｓｍｃ．ｃｏｍ", True),
    ("１．セキュアマネージメントサーバ：", "当サービスにより", False),
    ("当社は、", "次の各号", False),
    ("", "当社", False),
])
def test_wrap_inside_word(left, right, inside):
    assert tokens.wrap_inside_word(left, right) is inside
    assert tokens.wrap_inside_word(left, right, use_tagger=True) is inside


def test_wrap_between_kana_words_needs_the_tagger():
    # hiragana|hiragana without a particle at the break is ambiguous for the script rules
    # (しま|せん is inside a word, された|こと is not); the tagger window decides it.
    assert tokens.wrap_inside_word("不正に使用された", "ことが判明した", use_tagger=True) is False
    assert tokens.wrap_inside_word("責任を負いま", "せん。", use_tagger=True) is True


def test_parse_without_tokens_never_loads_fugashi():
    code = ("import sys, jobun; doc = jobun.parse_file(sys.argv[1]); "
            "assert doc.definitions; print('fugashi' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code, str(SEEDS[0])], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


@pytest.mark.parametrize("seed", SEEDS, ids=lambda p: p.stem)
def test_seed_token_offsets_round_trip(seed):
    import jobun
    doc = jobun.parse_file(seed, tokens=True)
    count = 0
    for node in doc.walk():
        for sentence in node.sentences:
            assert sentence.tokens is not None
            for t in sentence.tokens:
                start, end = t["span"]
                assert node.text[start:end] == t["surface"]
                assert sentence.span[0] <= start < end <= sentence.span[1]
                count += 1
    assert count > 1000
