"""Structural facts of the sample documents in tests/data, written from reading them: an e-Gov
statute, three terms of service in other layouts than the seeds, and a contract numbered 1.1, 1.2."""
from pathlib import Path

import pytest

import jobun

DATA = Path(__file__).resolve().parent / "data"


@pytest.fixture(scope="module")
def parsed():
    return {p.stem: jobun.parse_file(p) for p in DATA.glob("*.txt")}


def ids(doc, kinds):
    return [n.id for n in doc.walk() if n.kind in kinds]


def test_egov_statute(parsed):
    doc = parsed["statute_egov"]
    assert (doc.title, doc.law_number) == ("個人情報の保護に関する法律", "（平成十五年法律第五十七号）")
    assert len(doc.toc) == 7 and doc.toc[0] == "目次" and doc.toc[-1] == "附則"
    assert ids(doc, {"chapter", "section"}) == ["chap_1", "chap_2", "chap_3", "chap_3/sec_1", "chap_3/sec_2"]
    assert ids(doc, {"article"})[:8] == ["art_1", "art_2", "art_3", "art_3_2", "art_4", "art_5", "art_6", "art_7"]
    assert doc.get("art_2/para_2/item_2/sub_2/sub_1").label == "（１）"
    assert [(n.id, n.title) for n in doc.walk() if n.kind == "supplementary"] == [
        ("suppl_1", None), ("suppl_2", "平成十五年七月十六日法律第百十九号")]
    assert doc.get("suppl_2/art_6").caption == "その他の経過措置の政令への委任"
    assert doc.get("appx_1").title == "第二条関係"


def test_terms_with_many_marker_styles(parsed):
    doc = parsed["terms_markers"]
    assert doc.title == "サンプルクラウド利用規約（第2.0版）"
    assert doc.toc[1:] == ["第１条 目的 ………………… 1", "第２条 定義 ………………… 1", "第３条 禁止事項 …………… 2"]
    assert ids(doc, {"chapter"}) == ["chap_1", "chap_2"]
    assert [i.label for i in doc.get("art_3/para_1").children] == ["(a)", "(b)", "(c)"]   # (c) is no copyright
    assert [i.label for i in doc.get("art_3/para_1/item_2").children] == ["(i)", "(ii)"]
    assert [r[0] for r in doc.get("art_2/para_1").tables[0].rows] == ["会員", "ID", "Smart Data Platform"]
    assert doc.get("art_4/para_1").lists[0].items == ["オンラインストレージ（容量 100 GB まで）", "バックアップ機能"]
    assert doc.get("art_4/para_1").text.endswith("なお、内容は予告なく変更されることがあります。")
    assert [i.label for i in doc.get("art_5/para_1/item_2").children] == ["ア", "イ"]
    assert doc.get("suppl_1/para_1").caption == "施行期日"
    assert not doc.warnings


def test_terms_in_full_width_layout(parsed):
    doc = parsed["terms_fullwidth"]
    assert doc.title == "ＡＢＣクラウドサービス利用約款"
    assert doc.get("preamble").text == "２０２３年４月１日制定"
    assert ids(doc, {"article"}) == ["art_1", "art_2", "art_3", "art_4", "art_5", "art_5_2", "art_6"]
    assert doc.get("art_4/para_3").text == "契約者は、前２項に異議がある場合、第１５条に定める手続により解約できる。"
    assert doc.get("appx_1").tables[0].rows == [["基本料金", "月額１０，０００円"], ["オプション", "月額２，０００円"]]


def test_web_style_terms(parsed):
    doc = parsed["terms_web"]
    assert doc.title == "〇〇サービス利用規約"
    assert [p.label for p in doc.get("art_1").children] == ["1.", "2."]
    assert [i.label for i in doc.get("art_3/para_1").children] == ["1.", "2.", "3."]
    assert doc.get("suppl_1/para_1").text.startswith("2020年1月1日 制定")


def test_contract_with_decimal_numbers(parsed):
    doc = parsed["contract_decimal"]
    assert doc.title == "クラウドサービス利用契約書"
    assert [(n.id, n.label) for n in doc.walk() if n.kind == "paragraph" and n.id.startswith("art_")] == [
        ("art_1/para_1", "1.1"), ("art_1/para_2", "1.2"), ("art_2/para_1", "2.1"), ("art_2/para_2", "2.2"),
        ("art_2/para_3", "2.3"), ("art_3/para_1", "3.1"), ("art_3/para_2", "3.2"), ("art_4/para_1", None)]
    assert doc.get("art_2/para_1").text.endswith("最大1.5 倍を超える月は、この限りでない。")
    # (2) printed twice in a list of nouns: the third item, with a warning
    assert [(n.num, n.text) for n in doc.get("art_2/para_2").children] == [
        ("1", "口座振替"), ("2", "クレジットカード"), ("2", "請求書払い")]
    assert ("numbering-repeat", 14) in [(w.code, w.line) for w in doc.warnings]
    refs = {(r.source, r.text): (r.kind, r.targets) for r in doc.references}
    assert refs[("art_2/para_3", "前項第3号")] == ("internal", ["art_2/para_2/item_3"])
    assert refs[("art_3/para_1/item_2", "前号イからハまで")][1] == [
        f"art_3/para_1/item_1/sub_{k}" for k in (1, 2, 3)]
    assert refs[("art_3/para_2", "同項")] == ("external", [])
    assert refs[("art_4/para_1", "附則第2条")] == ("internal", ["suppl_1/art_2"])
    assert refs[("art_4/para_1", "第3条")] == ("internal", ["suppl_1/art_3"])     # listed: still the 附則's
