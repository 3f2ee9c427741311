"""Structural facts of the five seed documents, written from reading their text, and the acceptance
score against ../shared/gold when that folder is present."""
import json
import subprocess
import sys
from pathlib import Path

import pytest

import jobun

ROOT = Path(__file__).resolve().parent.parent
RAW = ROOT / "corpus" / "raw"
SHARED = ROOT.parent / "shared"
SEEDS = sorted(p.stem for p in RAW.glob("*.txt"))


@pytest.fixture(scope="module")
def docs():
    return {name: jobun.parse_file(RAW / f"{name}.txt") for name in SEEDS}


def count(doc, kind):
    return sum(1 for n in doc.walk() if n.kind == kind)


def test_all_five_seeds_are_present():
    assert len(SEEDS) == 5


def test_000_chapters_articles_table_and_supplementary(docs):
    doc = docs["000_30d030d3b9d0000f"]
    assert doc.title == "スマートコネクト マネージドサーバコントロールパネル利用規約"
    assert (count(doc, "chapter"), count(doc, "article")) == (7, 30)
    assert doc.get("art_1").caption == "利用規約の適用" and doc.get("art_1").parent.id == "chap_1"
    # line 114 continues art_7/para_1 after a wrap that falls right after 。
    assert len(doc.get("art_7").children) == 3
    table = doc.get("art_2/para_1").tables[0]
    assert [r[0] for r in table.rows] == ["契約者", "利用契約", "認証情報", "ＩＤ", "個人情報"]
    assert doc.get("suppl_1").title == "２０２０年３月３１日"
    # 責任を負|うものとし wraps over a page break (lines 384|388)
    assert "責任を負うものとし" in doc.get("art_21/para_1").text


def test_001_mixed_markers_and_mid_sentence_article_number(docs):
    doc = docs["001_11a274a4dd7aca4a"]
    assert count(doc, "article") == 44 and count(doc, "chapter") == 0
    assert len(doc.get("art_2/para_1").children) == 16
    assert len(doc.get("art_9").children) == 10            # 2． / 3.-9. / 10． in one article
    assert "第 15条第 2項及び第 3項の規定を準用" in doc.get("art_17/para_2").text   # line 425 is no heading
    assert doc.get("art_2/para_1/item_1").lists[0].items[1] == "SDPF サポートサービス"
    assert doc.get("art_26/para_1").text.count("14.6％") == 1   # line 597 is no paragraph 14
    assert [doc.get(f"suppl_{k}/para_1").num for k in (1, 2)] == ["1", "1"]


def test_002_page_break_lines_and_unmarked_block(docs):
    doc = docs["002_125b29d274b3c27b"]
    assert doc.title == "Master’sONE モバイル 制御サービス利用規約"
    assert (count(doc, "chapter"), count(doc, "article")) == (8, 33)
    assert doc.get("art_12").parent.id == "chap_2"            # ' 第 12 条' glued to the page above
    assert doc.get("art_27/para_1").text.startswith("第 26 条（責任の制限）の規定は")
    assert len(doc.get("art_5").children) == 4
    assert doc.get("art_4/para_1").text.endswith("一切保証しません。")
    assert len(doc.get("art_21/para_1").children) == 23       # '(1) ' and '(1)' styles in one list


def test_003_preamble_sections_supplementary_and_second_instrument(docs):
    doc = docs["003_d3890c41cd2197f5"]
    assert doc.title == "セキュアマネージメントサーバサービス契約約款"
    assert doc.get("preamble").text.endswith("当サービスの利用は、本約款の内容を契約者が承諾している事を前提としています。")
    assert count(doc, "section") == 9
    assert [n.id for n in doc.children if n.kind == "supplementary"] == [f"suppl_{k}" for k in range(1, 11)]
    doc2 = doc.get("doc_2")
    assert [n.id for n in doc2.children if n.kind == "article"] == [f"doc_2/art_{k}" for k in range(1, 7)]
    assert doc.get("doc_2/art_1").caption.endswith("サービス利用規則の趣旨")
    assert doc.get("doc_2/art_2/para_1").notes[0].label == "説明"
    assert "第１２条（当サービスのオプションサービス）規定" in doc.get("art_42/para_1").text


def test_004_untitled_misnumbered_and_trap_lines(docs):
    doc = docs["004_714f0646c96aa16f"]
    assert doc.title == ""
    assert (count(doc, "chapter"), count(doc, "article")) == (11, 57)
    assert doc.get("art_1/para_1").num == "2"
    assert {(w.line, w.code) for w in doc.warnings} >= {(7, "misnumbered-first"), (277, "duplicate-marker")}
    assert "第３８条 （サービスの廃止）に基づく" in doc.get("art_33/para_3/item_2").text
    assert doc.get("art_43").caption == "契約終了後の処理"
    terms = [r[0] for r in doc.get("art_3/para_1").tables[0].rows]
    assert terms[0] == "プライベート IP サービス NGN-VPN" and terms[-2:] == ["課金開始日", "解約日"]


@pytest.mark.parametrize("name", SEEDS)
def test_every_seed_document_validates_against_the_schema(docs, name):
    from jobun.io.schema import validate
    validate(docs[name].to_dict())


@pytest.mark.skipif(not (SHARED / "gold").is_dir(), reason="../shared/gold is not present")
def test_seeds_score_against_gold(tmp_path, docs):
    for name, doc in docs.items():
        (tmp_path / f"{name}.json").write_text(doc.to_json(), encoding="utf-8")
    out = subprocess.run([sys.executable, str(SHARED / "eval" / "score.py"), "--gold-dir", str(SHARED / "gold"),
                          "--pred-dir", str(tmp_path), "--json"], capture_output=True, text=True, check=True)
    result = json.loads(out.stdout)
    mean = result["mean"]
    assert mean["structure_f1"] >= 0.99 and mean["attributes"] >= 0.99 and mean["text_bounds"] >= 0.97, mean
    assert mean["refs_internal_f1"] >= 0.95 and mean["refs_external_f1"] >= 0.85, mean
    assert all(d["title_ok"] for d in result["documents"].values())


@pytest.mark.parametrize("name", SEEDS)
def test_committed_corpus_is_what_the_parser_produces_now(docs, name):
    """corpus/json is committed for use without installing; it must not fall behind the parser
    (scripts/build-corpus rebuilds it)."""
    committed = json.loads((ROOT / "corpus" / "json" / f"{name}.json").read_text(encoding="utf-8"))
    assert committed == docs[name].to_dict()
