"""References in ordinary web terms of service: what is a pointer, a statute or another document
(own short examples)."""
import pytest

import jobun


def refs_of(text):
    doc = jobun.parse(text)
    return [(r.source, r.text, r.kind, r.targets) for r in doc.references]


def terms(*paragraphs, tail=""):
    """A small 利用規約 whose article 1 holds `paragraphs`; article 2 exists to be pointed at."""
    lines = ["サンプル利用規約", "第1条（総則）", paragraphs[0]]
    lines += [f"{k}　{p}" for k, p in enumerate(paragraphs[1:], start=2)]
    lines += ["第2条（変更）", "当社は本規約を変更できます。"]
    return "\n".join(lines) + "\n" + tail


def cited_laws(sentence: str) -> list[str | None]:
    """The law of each statute citation the parser finds in `sentence`, as a small 利用規約's text."""
    return [r.law for r in jobun.parse(terms(sentence)).references if r.kind == "external"]


# --- appendix words ---------------------------------------------------------------------------------

@pytest.mark.parametrize("sentence", [
    "申込みは当社所定の様式によるものとします。",
    "届出の様式は当社が定めます。",
    "会員は、別記のとおり届け出るものとします。",
    "料金は別紙のとおりとします。",
    "詳細は別表に掲げます。",
    "付録として資料を配布します。",
])
def test_bare_appendix_word_naming_nothing_is_prose(sentence):
    doc = jobun.parse(terms(sentence))
    assert [r.text for r in doc.references] == []
    assert not [w for w in doc.warnings if w.code == "unresolved-reference"]


@pytest.mark.parametrize("sentence, printed", [
    ("料金は別紙２のとおりとします。", "別紙２"),
    ("料金は別紙（料金表）のとおりとします。", "別紙（料金表）"),
    ("様式第３に記入します。", "様式第３"),
])
def test_numbered_or_captioned_appendix_without_appendix_is_unresolved(sentence, printed):
    assert refs_of(terms(sentence)) == [("art_1/para_1", printed, "unresolved", [])]


@pytest.mark.parametrize("sentence, heading, printed", [
    ("手順は付録１に従います。", "付録１", "付録１"),
    ("手順は附録第１に従います。", "附録第１", "附録第１"),
    ("料金は別表のとおりとします。", "別表", "別表"),
    ("書式は別記様式第１号によります。", "別記様式第１号", "別記様式第１"),
])
def test_appendix_pointer_resolves_to_the_documents_appendix(sentence, heading, printed):
    text = terms(sentence, tail=f"{heading}\n一覧の内容\n")
    assert refs_of(text) == [("art_1/para_1", printed, "internal", ["appx_1"])]


# --- company rules and real ordinances --------------------------------------------------------------

@pytest.mark.parametrize("sentence", [
    "会員は、当社が定める会員情報の管理に関する規則に従います。",
    "会員は、会員情報の管理に係る規則に従います。",
    "会員は、ポイントの付与に関する基準を遵守します。",
    "会員は、当社の定める情報取扱規程に従います。",
    "当社の接続料規則により算定します。",
    "会員は、別途定める送金手続規則に従います。",
])
def test_company_rules_are_not_statutes(sentence):
    assert cited_laws(sentence) == []


@pytest.mark.parametrize("sentence, law", [
    ("不動産登記規則第五条の定めによる。", "不動産登記規則"),
    ("特定情報の管理に関する規則（令和二年個人情報保護委員会規則第一号）に従う。", "特定情報の管理に関する規則"),
    ("研究施設の運用に関する原子力規制委員会規則第三条による。", "研究施設の運用に関する原子力規制委員会規則"),
])
def test_ordinances_by_number_title_or_issuer_stay_statutes(sentence, law):
    assert cited_laws(sentence) == [law]


def test_rule_cited_with_its_number_is_that_law_when_named_again():
    first = "特定情報の管理に関する規則（令和二年個人情報保護委員会規則第一号）に従う。"
    again = "特定情報の管理に関する規則第三条の届出をする。"
    refs = [r for r in jobun.parse(terms(first, again)).references if r.kind == "external"]
    assert [(r.source, r.law, r.law_number) for r in refs] == [
        ("art_1/para_1", "特定情報の管理に関する規則", "令和2年個人情報保護委員会規則第1号"),
        ("art_1/para_2", "特定情報の管理に関する規則", "令和2年個人情報保護委員会規則第1号")]


# --- governing law ------------------------------------------------------------------------------------

@pytest.mark.parametrize("sentence", [
    "本規約は日本法に準拠します。",
    "本規約は日本国法を準拠法とします。",
    "本規約には米国法及び英国法は適用されません。",
    "本契約はカリフォルニア州法に準拠します。",
    "本規約は日本の法令に準拠し、シンガポール法は適用しません。",
    "外国法の適用がある場合でも、準拠法は日本法とします。",
    "国内法及び関係法に従います。",
    "会員は、当社の定める支払方法及び暗号化手法に従います。",
])
def test_governing_law_and_generic_law_words_are_not_statutes(sentence):
    assert cited_laws(sentence) == []


@pytest.mark.parametrize("sentence, law", [
    ("本規約は日本法に準拠し、消費者契約法第10条に反する条項は無効とします。", "消費者契約法"),
    ("個人番号はマイナンバー法第19条の場合に限り提供します。", "マイナンバー法"),
    ("行政手続法第5条による。", "行政手続法"),
])
def test_statutes_beside_governing_law_words_stay(sentence, law):
    assert cited_laws(sentence) == [law]


# --- pointers into other documents ---------------------------------------------------------------------

@pytest.mark.parametrize("sentence, printed, name", [
    ("会員は、利用規則第2条に従います。", "利用規則第2条", "利用規則"),
    ("会員は、当社の個人情報保護方針第2条に従います。", "個人情報保護方針第2条", "個人情報保護方針"),
    ("ポイントはポイント規程第2条により付与します。", "ポイント規程第2条", "ポイント規程"),
    ("取得した情報はプライバシーポリシー第1条のとおり扱います。", "プライバシーポリシー第1条", "プライバシーポリシー"),
    ("投稿はコミュニティガイドライン第3条に従います。", "コミュニティガイドライン第3条", "コミュニティガイドライン"),
    ("会員は、会員規約第5条及び第6条に従います。", "会員規約第5条及び第6条", "会員規約"),
    ("会員は、「配送特約」第2条に従います。", "「配送特約」第2条", "配送特約"),
    ("会員は、当社が別途定めるポイント規則第３条に従います。", "ポイント規則第３条", "ポイント規則"),
    ("会員は、当社の会員情報の管理に関する規則第2条に従います。", "会員情報の管理に関する規則第2条",
     "会員情報の管理に関する規則"),
])
def test_pointer_after_another_documents_name_is_a_document_reference(sentence, printed, name):
    assert refs_of(terms(sentence)) == [("art_1/para_1", printed, "document", [])]
    assert [r.law for r in jobun.parse(terms(sentence)).references] == [name]


@pytest.mark.parametrize("sentence, printed", [
    ("会員は、本規約第2条に従います。", "本規約第2条"),
    ("会員は、この規約第2条に従います。", "この規約第2条"),
    ("会員は、本ポリシー第2条に従います。", "本ポリシー第2条"),
    ("会員は、本方針第2条に従います。", "本方針第2条"),
    ("会員は、サンプル利用規約第2条に従います。", "第2条"),
    ("会員は、規約第2条に従います。", "第2条"),
])
def test_pointer_into_this_document_stays_internal(sentence, printed):
    assert refs_of(terms(sentence)) == [("art_1/para_1", printed, "internal", ["art_2"])]
