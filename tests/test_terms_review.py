"""Structure of ordinary web terms of service that an outside review found misparsed (own short
examples): copyright mentions in sentences, spaced paragraph numbers before words that start with a
counter kanji, navigation lines above the title, lists restarting after a plain sentence, and the
statute enacting formula on terms."""
import pytest

import jobun
from jobun.structure.classify import classify
from jobun.text.lines import split_lines
from tree_helpers import ids, node


# ---------------------------------------------------------------- 1. copyright mentions are text

@pytest.mark.parametrize("sentence", [
    "会員は、掲載物の著作権表示（©表示を含む）を消去してはなりません。",
    "会員は、Copyright表示を書き換えないものとします。",
    "コンテンツに付された(C)2025の表記は当社が管理します。",
    "当社は© マークを付した画像の転載を認めません",          # wrapped: no full stop on the line
])
def test_a_sentence_naming_the_copyright_mark_is_text(sentence):
    doc = jobun.parse(f"サンプル規約\n第1条（権利）\n{sentence}\n２　{sentence}\n第2条（雑則）\n細目は当社が定めます。\n")
    assert node(doc, "art_1/para_1").text.startswith(sentence)
    assert node(doc, "art_1/para_2").text.startswith(sentence)


@pytest.mark.parametrize("notice", [
    "© 2025 Example Works Inc. All Rights Reserved.",
    "Copyright (C) 2019-2025 サンプル商事株式会社",
    "(C) 2025 Example Works",
    "©サンプル商事株式会社",
    "ALL RIGHTS RESERVED.",
])
def test_a_copyright_notice_line_is_no_text(notice):
    doc = jobun.parse(f"サンプル規約\n第1条（目的）\n本規約は会員に適用します。\n{notice}\n第2条（雑則）\n細目は当社が定めます。\n")
    assert node(doc, "art_1/para_1").text == "本規約は会員に適用します。"
    assert notice not in "".join(n.text or "" for n in doc.walk())


# ---------------------------------------------------------------- 2. a spaced number before a word

@pytest.mark.parametrize("word", ["条件", "項目", "号外", "名前", "年度", "時間外", "条例", "人数", "日本", "個人情報",
                                  "月額", "回答", "分野", "円滑", "営業時間"])
def test_spaced_paragraph_number_before_a_word_starting_with_a_counter_kanji(word):
    doc = jobun.parse(f"サンプル規約\n第1条（目的）\n本規約は当社の役務に適用します。\n２　{word}については当社が別に定めます。\n")
    assert node(doc, "art_1/para_2").text == f"{word}については当社が別に定めます。"


@pytest.mark.parametrize("line", ["2 名以上の連帯保証人を要します。", "3 年間とします。", "5 件以内とします。",
                                  "1 ヶ月前までに通知します。", "2 日前までとします。", "3 人目からは有料です。",
                                  "108 号）の規定による。", "2 条第1項に定めるとおりです。", "1 項各号の場合を除きます。",
                                  "3 営業日以内に返金します。", "2 週間後に失効します。"])
def test_spaced_number_then_a_quantity_is_a_wrapped_number(line):
    [start] = [classify(ln) for ln in split_lines(line)]
    assert start.para is None


# ---------------------------------------------------------------- 3. page labels above the title

@pytest.mark.parametrize("labels", [["ご利用方法"], ["よくある質問"], ["お支払い方法"], ["ログイン", "新規登録"],
                                    ["マイページ", "ヘルプ", "閉じる"]])
def test_page_labels_above_the_title_are_no_title_and_no_node(labels):
    doc = jobun.parse("\n".join(labels) + "\n見本会員規約\n第1条（目的）\n本規約は会員に適用します。\n")
    assert doc.title == "見本会員規約"
    assert ids(doc) == ["art_1", "art_1/para_1"]


@pytest.mark.parametrize("lines, title", [
    (["見本ネットワークに関する", "利用規約"], "見本ネットワークに関する利用規約"),
    (["見本光", "接続サービス契約約款"], "見本光接続サービス契約約款"),
    (["見本事業の振興に関する特別措置法"], "見本事業の振興に関する特別措置法"),
    (["見本の森", "利用規約"], "見本の森利用規約"),
])
def test_a_title_wrapped_over_lines_or_ending_in_a_law_name_is_kept_whole(lines, title):
    doc = jobun.parse("\n".join(lines) + "\n第1条（目的）\n本規約は会員に適用します。\n")
    assert doc.title == title
    assert ids(doc) == ["art_1", "art_1/para_1"]


# ---------------------------------------------------------------- 4. a numbered list restarting at 1

@pytest.mark.parametrize("first, second", [("1.", "2."), ("１．", "２．"), ("1 ", "2 ")])
def test_numbers_restarting_after_an_ordinary_sentence_go_on_as_paragraphs(first, second):
    doc = jobun.parse(f"サンプル規約\n第3条（会費）\n{first}会費は年額制とします。\n{second}会費は前払いとします。\n"
                      f"{first}納付期限は毎年四月末日とします。\n{second}納付方法は口座振替とします。\n第4条（退会）\n会員は退会できます。\n")
    assert ids(doc, {"paragraph", "item"}) == ["art_3/para_1", "art_3/para_2", "art_3/para_3", "art_3/para_4",
                                               "art_4/para_1"]
    assert [node(doc, f"art_3/para_{k}").printed_num for k in (3, 4)] == ["1", "2"]


@pytest.mark.parametrize("lead_in", ["会費の納付方法は次のとおりとします。", "会員は以下の事項を守るものとします。",
                                     "当社は下記に掲げる場合に会費を返金します。", "会費の支払方法："])
def test_numbers_restarting_after_a_sentence_announcing_a_list_are_its_items(lead_in):
    doc = jobun.parse(f"サンプル規約\n第3条（会費）\n1. 会費は年額制とします。\n2. {lead_in}\n1. 口座振替\n2. 銀行振込\n"
                      "第4条（退会）\n会員は退会できます。\n")
    assert ids(doc, {"paragraph", "item"}) == ["art_3/para_1", "art_3/para_2", "art_3/para_2/item_1",
                                               "art_3/para_2/item_2", "art_4/para_1"]


def test_numbers_restarting_in_a_policy_without_articles_go_on_as_sections():
    doc = jobun.parse("サンプル方針\n1. 集める情報\n当社は連絡先を集めます。\n2. 使う目的\n当社は連絡に使います。\n"
                      "1. 本方針は改めることがあります。\n")
    assert ids(doc, {"paragraph", "item"}) == ["para_1", "para_2", "para_3"]
    assert node(doc, "para_3").text == "本方針は改めることがあります。"


# ---------------------------------------------------------------- 5. the enacting formula is a statute's

@pytest.mark.parametrize("front", ["内閣は、見本法の規定に基づき、この政令を制定する。",
                                   "見本法を実施するため、見本法施行規則を次のように定める。",
                                   "見本庁は、見本法に基づき、次の見本庁規則を制定する。",
                                   "見本規程を次のように改正する。",
                                   "（令和二年政令第五号）\n見本法に基づき、手数料の額を定める。"])
def test_a_statute_enacting_formula_ends_the_front_matter(front):
    doc = jobun.parse(f"見本法施行令\n{front}\n手数料の額は、千円とする。\n")
    assert node(doc, "para_1").text == "手数料の額は、千円とする。"
    assert node(doc, "preamble").text == front.split("\n")[-1]


@pytest.mark.parametrize("purpose", ["本条件は、当社が発行する割引券の利用条件を定める。",
                                     "当社は、割引券の利用について本条件を制定する。",
                                     "本条件は、旧条件を改正する。"])
def test_terms_stating_their_purpose_have_no_enacting_formula(purpose):
    with_purpose = jobun.parse(f"割引券利用条件\n{purpose}\n割引券の有効期限は半年とします。\n")
    without = jobun.parse("割引券利用条件\n割引券の有効期限は半年とします。\n")
    assert [n.kind for n in with_purpose.walk()] == [n.kind for n in without.walk()]
    assert node(with_purpose, "preamble").text == purpose + "割引券の有効期限は半年とします。"
