"""One small real-looking case per construct and per quirk of the line-start grammar."""
import pytest

import jobun
from jobun.structure import furniture, tree
from jobun.structure.classify import classify_lines
from jobun.text.lines import split_lines

from tree_helpers import ids, node


# ---------------------------------------------------------------- articles and captions
@pytest.mark.parametrize("text, caption, first_text", [
    ("（利用規約の適用）\n第１条 当社は本規約を定める。\n", "利用規約の適用", "当社は本規約を定める。"),
    ("第 1条 （利用規約の適用）\n当社は本規約を定める。\n", "利用規約の適用", "当社は本規約を定める。"),
    ("第１条（契約約款の適用）\n当社は本約款を定める。\n", "契約約款の適用", "当社は本約款を定める。"),
    ("第１条  （約款の適用）\n1.  本約款は当社が定める。\n", "約款の適用", "本約款は当社が定める。"),
    ("第 6 条 株式会社は本規約を定める。\n", None, "株式会社は本規約を定める。"),
    ("第 6 条 目的\n本規約は、当社の提供する本サービスの利用条件を定める。\n", "目的",
     "本規約は、当社の提供する本サービスの利用条件を定める。"),
    ("第 6 条【目的】\n本規約は、利用条件を定める。\n", "目的", "本規約は、利用条件を定める。"),
    ("第 6 条　目的　本規約は、利用条件を定める。\n", "目的", "本規約は、利用条件を定める。"),
    ("【目的】\n第 6 条 本規約は、利用条件を定める。\n", "目的", "本規約は、利用条件を定める。"),
    ("（定義）\n第一条　この法律において「電子署名」とは、次の措置をいう。\n", "定義",
     "この法律において「電子署名」とは、次の措置をいう。"),
    ("第１条（セキュアマネージメントサーバｆoｒ Ｗｉｎｄｏｗｓサービ\nス利用規則の趣旨）\n当社は定める。\n",
     "セキュアマネージメントサーバｆoｒ Ｗｉｎｄｏｗｓサービス利用規則の趣旨", "当社は定める。"),
])
def test_article_caption_positions(text, caption, first_text):
    doc = jobun.parse(text)
    art = node(doc, "art_1" if "第 6 条" not in text else "art_6")
    assert art.caption == caption
    assert art.children[0].text == first_text
    assert art.children[0].num == "1"


def test_caption_on_the_line_after_a_bare_article_number():
    doc = jobun.parse("第１条\n（目的）\n本規約は、利用条件を定める。\n")
    assert node(doc, "art_1").caption == "目的"
    assert node(doc, "art_1/para_1").text == "本規約は、利用条件を定める。"


@pytest.mark.parametrize("line, text", [
    ("第五条及び第六条　削除", "削除"), ("第五条から第六条まで　削除", "削除"), ("第五条乃至第六条　削除", "削除"),
    ("第５条～第６条　削除", "削除"), ("第５条ないし第６条（削除）", "（削除）"), ("第５条から第６条まで【削除】", "【削除】"),
])
def test_deleted_article_ranges(line, text):
    doc = jobun.parse(f"第四条　国は、施策を実施する。\n{line}\n第七条　政府は、定める。\n")
    assert ids(doc, {"article"}) == ["art_4", "art_5", "art_6", "art_7"]
    assert node(doc, "art_6/para_1").text == text
    assert [w.code for w in doc.warnings] == ["numbering-start"]      # the excerpt starts at 第四条


def test_deleted_article_in_brackets_is_its_text_not_a_caption():
    doc = jobun.parse("規約\n第１条（目的）\n甲。\n第２条（削除）\n第３条（禁止）\n乙。\n")
    assert node(doc, "art_2").caption is None
    assert node(doc, "art_2/para_1").text == "（削除）"


def test_bracket_closing_mid_line_is_no_caption():
    # '（昭和２' | '５年法律第２２６号）に基づく…': a wrapped sentence, however the next heading looks
    doc = jobun.parse("規約\n第１条（定義）\n消費税等とは、地方税法\n（昭和２\n５年法律第２２６号）に基づく地方消費税をいう。\n"
                      "第２条　削除\n")
    assert node(doc, "art_1/para_1").text == "消費税等とは、地方税法（昭和２５年法律第２２６号）に基づく地方消費税をいう。"
    assert node(doc, "art_2").caption is None


def test_branch_articles_and_chapters():
    doc = jobun.parse("第七章 雑則\n第２条 甲。\n第２条の２ 乙。\n第七章の二 補則\n第三条 丙。\n")
    assert ids(doc, {"article", "chapter"}) == ["chap_7", "art_2", "art_2_2", "chap_7_2", "art_3"]
    assert node(doc, "art_2_2").num == "2_2"
    assert node(doc, "chap_7_2").title == "補則"


@pytest.mark.parametrize("heading", ["第１章 総則", "第 1 章 総則", "第一章　総則", " 第1章  総則 "])
def test_chapter_numeral_styles(heading):
    doc = jobun.parse(f"{heading}\n第１条 当社は定める。\n")
    chap = node(doc, "chap_1")
    assert (chap.kind, chap.num, chap.title) == ("chapter", "1", "総則")
    assert node(doc, "art_1").parent is chap


def test_all_five_container_levels():
    doc = jobun.parse("第一編 総則\n第一章 通則\n第一節 目的\n第一款 趣旨\n第一目 定義\n第一条 甲。\n第二目 適用\n第二条 乙。\n"
                      "第二編 各則\n第一章 契約\n第三条 丙。\n")
    assert ids(doc, {"part", "chapter", "section", "subsection", "division"}) == [
        "part_1", "part_1/chap_1", "part_1/chap_1/sec_1", "part_1/chap_1/sec_1/subsec_1",
        "part_1/chap_1/sec_1/subsec_1/div_1", "part_1/chap_1/sec_1/subsec_1/div_2", "part_2", "part_2/chap_1"]
    assert node(doc, "art_2").parent.id == "part_1/chap_1/sec_1/subsec_1/div_2"
    assert node(doc, "art_3").parent.id == "part_2/chap_1"


def test_container_title_on_the_line_after_its_number():
    doc = jobun.parse("第１章\n総則\n第１条 当社は定める。\n第２章\n第２条 契約者は守る。\n")
    assert [(n.id, n.title) for n in doc.walk() if n.kind == "chapter"] == [("chap_1", "総則"), ("chap_2", None)]
    assert node(doc, "art_1/para_1").text == "当社は定める。"


@pytest.mark.parametrize("title", ["〇〇サービス利用規約 第１版", "会員規約（2024年4月1日改定）", "サービス約款 Ver.2.0",
                                   "プライバシーポリシー"])
def test_title_forms(title):
    doc = jobun.parse(f"{title}\n本規約は当社のサービスに適用します。\n第１条 甲。\n")
    assert doc.title == title
    assert node(doc, "preamble").text == "本規約は当社のサービスに適用します。"


@pytest.mark.parametrize("front, title, preamble", [
    ("株式会社サンプル\nサンプルサービス利用規約\n", "サンプルサービス利用規約", "株式会社サンプル"),
    ("2024年4月1日改定\nサンプル会員規約\n", "サンプル会員規約", "2024年4月1日改定"),
    ("サンプルクラウド\nサービス約款\n制定日 2020年1月1日\n", "サンプルクラウドサービス約款", "制定日 2020年1月1日"),
])
def test_title_among_company_and_date_lines(front, title, preamble):
    doc = jobun.parse(front + "第１条 甲。\n")
    assert doc.title == title
    assert node(doc, "preamble").text == preamble


def test_containers_nest_where_the_source_nests_them():
    doc = jobun.parse("第一章 総則\n第一節 通則\n第一条 甲。\n第二節 補則\n第二条 乙。\n第二章 雑則\n第一節 細則\n第三条 丙。\n")
    assert ids(doc, {"chapter", "section"}) == ["chap_1", "chap_1/sec_1", "chap_1/sec_2", "chap_2", "chap_2/sec_1"]
    assert node(doc, "art_3").parent.id == "chap_2/sec_1"


# ---------------------------------------------------------------- paragraphs
@pytest.mark.parametrize("markers", [
    ("２ ", "３ "), ("2 ", "3 "), ("2.", "3."), ("2．", "3．"), ("２．", "３．"), ("2. ", "  3."), ("２　", "３　"),
])
def test_paragraph_marker_styles(markers):
    m2, m3 = markers
    doc = jobun.parse(f"第５条 当社は定める。\n{m2}契約者は守る。\n{m3}前項の定めは準用する。\n")
    paras = node(doc, "art_5").children
    assert [p.num for p in paras] == ["1", "2", "3"]
    assert paras[1].text == "契約者は守る。" and paras[1].label == m2.strip()


@pytest.mark.parametrize("heading", ["第１条 １ 当社は定める。", "第１条（目的）1. 当社は定める。"])
def test_first_paragraph_number_on_the_heading_line(heading):
    doc = jobun.parse(f"{heading}\n２ 契約者は守る。\n")
    assert [(p.num, p.label, p.text) for p in node(doc, "art_1").children] == [
        ("1", heading.split()[-2] if "（" not in heading else "1.", "当社は定める。"), ("2", "２", "契約者は守る。")]


def test_first_paragraph_numbered():
    doc = jobun.parse("第３条（用語の定義）\n１．ドメイン：論理名称\n２．接続方式：接続すること\n")
    assert [(p.id, p.num, p.label) for p in node(doc, "art_3").children] == [
        ("art_3/para_1", "1", "１．"), ("art_3/para_2", "2", "２．")]


def test_unmarked_block_after_numbered_paragraph_continues_it():
    doc = jobun.parse("第５条 甲は定める。\n2 乙は守る。\n本サービスは付随して提供します。\n3 丙とする。\n")
    art = node(doc, "art_5")
    assert len(art.children) == 3
    assert art.children[1].text == "乙は守る。本サービスは付随して提供します。"


def test_misnumbered_first_paragraph_is_a_warning_not_a_loss():
    doc = jobun.parse("第１条  （約款の適用）\n2.  本約款は定めます。\n")
    para = node(doc, "art_1/para_1")
    assert (para.num, para.text) == ("2", "本約款は定めます。")
    assert [(w.line, w.code) for w in doc.warnings] == [(2, "misnumbered-first")]


def test_repeated_marker_is_one_marker():
    doc = jobun.parse("第１５条 甲は定める。\n2.  ２ 前項による承継があったときは届け出ます。\n")
    para = node(doc, "art_15/para_2")
    assert para.text == "前項による承継があったときは届け出ます。"
    assert any(w.code == "duplicate-marker" for w in doc.warnings)


@pytest.mark.parametrize("continuation", ["14.6％の利率で計算します。", "2 年間とします。", "１ヶ月毎の費用とします。",
                                          "108 号）の規定による。"])
def test_number_at_line_start_that_is_not_a_marker(continuation):
    doc = jobun.parse(f"第１条 料金は年\n{continuation}\n")
    assert ids(doc) == ["art_1", "art_1/para_1"]
    assert node(doc, "art_1/para_1").text == "料金は年" + continuation


# ---------------------------------------------------------------- items
@pytest.mark.parametrize("m1, m2, num2", [
    ("（１） ", "（２） ", "2"), ("(1) ", "(2) ", "2"), ("(1)", "(2)", "2"), ("1) ", "2) ", "2"),
    ("一　", "二　", "2"), ("① ", "② ", "2"), ("イ ", "ロ ", "2"), ("ア ", "イ ", "2"), ("（1）  ", "(2）", "2"),
    ("a) ", "b) ", "2"), ("（ｉ） ", "（ｉｉ） ", "2"), ("(i) ", "(ii) ", "2"), ("a. ", "b. ", "2"),
    ("一、", "二、", "2"), ("イ．", "ロ．", "2"), ("ⅰ ", "ⅱ ", "2"), ("Ⅰ．", "Ⅱ．", "2"),
])
def test_item_marker_styles(m1, m2, num2):
    doc = jobun.parse(f"第７条 当社は、次の場合には承諾しない。\n{m1}虚偽の事実を申し述べた場合\n{m2}その他の場合\n")
    items = node(doc, "art_7/para_1").children
    assert [(i.id, i.num, i.label) for i in items] == [
        ("art_7/para_1/item_1", "1", m1.strip()), ("art_7/para_1/item_2", num2, m2.strip())]
    assert items[0].text == "虚偽の事実を申し述べた場合"


def test_sub_items_nest_under_items():
    doc = jobun.parse("第一条　次に掲げる措置をいう。\n一　甲\n二　乙\nイ　丙\nロ　丁\n（１）　戊\n三　己\n三の二　庚\n")
    assert ids(doc, {"item", "subitem"}) == [
        "art_1/para_1/item_1", "art_1/para_1/item_2", "art_1/para_1/item_2/sub_1", "art_1/para_1/item_2/sub_2",
        "art_1/para_1/item_2/sub_2/sub_1", "art_1/para_1/item_3", "art_1/para_1/item_4"]
    assert node(doc, "art_1/para_1/item_4").num == "3_2"
    assert node(doc, "art_1/para_1/item_2/sub_2").num == "2"
    assert not doc.warnings


def test_item_title_line_followed_by_body_line():
    doc = jobun.parse("第 20 条 提供条件は、以下の各号のとおりとします。\n（1）  サービスの種類、内容\n"
                      "本サービスの種類は、仕様書に定めます。\n（2）  提供条件\n契約者は設備を維持します。\n")
    assert node(doc, "art_20/para_1/item_1").text == "サービスの種類、内容本サービスの種類は、仕様書に定めます。"
    # a noun phrase alone on the marker line heads the item: the body starts a sentence of its own
    item_2 = node(doc, "art_20/para_1/item_2")
    assert item_2.text == "提供条件\n契約者は設備を維持します。"
    assert [item_2.text[a:b] for a, b in (s.span for s in item_2.sentences)] == ["提供条件", "契約者は設備を維持します。"]


@pytest.mark.parametrize("first, second, text", [
    # a noun phrase alone on a short marker line heads the paragraph: the body is a new sentence
    ("1. 取得する情報", "当社は次の情報を取得します。", "取得する情報\n当社は次の情報を取得します。"),
    # a line that stops on a particle, or as wide as the document's lines, is wrapped prose
    ("1. 当社は次の情報を", "取得します。", "当社は次の情報を取得します。"),
    ("1. 当社が取得する情報の項目及びその取得方法", "は次のとおりです。", "当社が取得する情報の項目及びその取得方法は次のとおりです。"),
])
def test_short_noun_phrase_after_a_marker_is_a_heading_line(first, second, text):
    doc = jobun.parse("プライバシーポリシー\n株式会社サンプルは、お客様の個人情報を適切に取り扱います。\n" + first + "\n" + second
                      + "\n2. 当社は、取得した情報を、次の目的で利用します。\n")
    assert node(doc, "para_1").text == text


def test_wrapped_line_starting_with_a_marker_and_a_particle_is_text():
    doc = jobun.parse("第５条 当社は、第４条第１項\n(1)に定める場合、解除できる。\n")
    assert ids(doc) == ["art_5", "art_5/para_1"]
    assert node(doc, "art_5/para_1").text == "当社は、第４条第１項(1)に定める場合、解除できる。"


def test_paragraph_after_items_closes_the_list():
    doc = jobun.parse("第１２条 次の場合は解約する。\n（１） 甲の場合\n（２） 乙の場合\n２ 前項の規定は準用する。\n")
    assert ids(doc) == ["art_12", "art_12/para_1", "art_12/para_1/item_1", "art_12/para_1/item_2", "art_12/para_2"]


def test_numbered_items_after_a_lead_in():
    doc = jobun.parse("第３条（定義）用語の意味は次のとおり。\n1. 甲：乙\n2. 丙：丁\n")
    assert ids(doc) == ["art_3", "art_3/para_1", "art_3/para_1/item_1", "art_3/para_1/item_2"]


# ---------------------------------------------------------------- numbering continuity
@pytest.mark.parametrize("trap", [
    "第 15条第 2項及び第 3項の規定を準用するものとします。",
    "第３８条 （サービスの廃止）に基づく本サービスの提供の終了",
    "第 26 条（責任の制限）の規定は、適用しないものとします。",
    "第１２条（当サービスのオプションサービス）規定のオプションサービス",
    "第 8条により申込者が登録した情報",
])
def test_line_starting_with_a_reference_is_not_an_article(trap):
    text = f"第１６条 甲は定める。\n第１７条 当社は、\n{trap}\n２ 前項のとおりとする。\n第１８条 乙は定める。\n"
    doc = jobun.parse(text)
    assert ids(doc, {"article"}) == ["art_16", "art_17", "art_18"]
    assert node(doc, "art_17/para_1").text == "当社は、" + trap
    assert node(doc, "art_17/para_2").text == "前項のとおりとする。"


@pytest.mark.parametrize("before, trap", [
    ("（３） 利用契約締結希望者が", "第１７条（提供停止）第１項各号のいずれかに該当する場合"),
    ("当社は、前条の規定にかかわらず、", "第２０条 当社が定める方法により通知する。"),
    ("契約者は、本サービスの利用に際し、", "2 年以内に限り利用できる。"),
])
def test_line_after_a_line_stopping_mid_sentence_continues_it(before, trap):
    doc = jobun.parse(f"第７条 甲は定める。\n２ 当社は、次の場合には承諾しない。\n{before}\n{trap}\n")
    assert ids(doc, {"article"}) == ["art_7"]
    assert (before.split(" ")[-1] + trap) in "".join(n.text for n in doc.walk())


def test_repeated_numbers_are_kept_with_a_warning():
    doc = jobun.parse("第１条 甲は定める。\n２ 乙は守る。\n２ 丙は守る。\n（丁）\n第１条 丁とする。\n第２条 戊。\n")
    assert [(p.id, p.num) for p in node(doc, "art_1").children] == [
        ("art_1/para_1", "1"), ("art_1/para_2", "2"), ("art_1/para_3", "2")]
    assert ids(doc, {"article"}) == ["art_1", "art_1__2", "art_2"]
    assert node(doc, "art_1__2").caption == "丁"
    assert [(w.line, w.code) for w in doc.warnings] == [(3, "numbering-repeat"), (5, "numbering-repeat"),
                                                       (4, "duplicate-id")]


def test_paragraph_number_gap_after_a_finished_sentence():
    doc = jobun.parse("第１条 甲は定める。\n２ 乙は守る。\n４ 丙とする。\n")
    assert [(p.id, p.num) for p in node(doc, "art_1").children] == [
        ("art_1/para_1", "1"), ("art_1/para_2", "2"), ("art_1/para_3", "4")]
    assert [(w.line, w.code) for w in doc.warnings] == [(3, "numbering-gap")]


@pytest.mark.parametrize("third, nums, warning", [
    ("（２）丙をすること。", ["1", "2", "2", "3"], "numbering-repeat"),
    ("（４）丙をすること。", ["1", "2", "4", "5"], "numbering-gap"),
])
def test_misnumbered_item_after_a_finished_sentence(third, nums, warning):
    doc = jobun.parse("第１条 次の行為を禁止する。\n（１）甲をすること。\n（２）乙をすること。\n"
                      f"{third}\n（{int(nums[2]) + 1}）丁をすること。\n")
    items = node(doc, "art_1/para_1").children
    assert [(n.id, n.num, n.text) for n in items] == [
        (f"art_1/para_1/item_{k}", num, text) for k, (num, text) in
        enumerate(zip(nums, ["甲をすること。", "乙をすること。", third[3:], "丁をすること。"]), 1)]
    assert [(w.line, w.code) for w in doc.warnings] == [(4, warning)]


def test_misnumbered_item_mid_sentence_stays_text():
    doc = jobun.parse("第１条 次の行為を禁止する。\n（１）甲をすること。\n（２）乙及び\n（２）丙をすること。\n")
    assert node(doc, "art_1/para_1/item_2").text == "乙及び（２）丙をすること。"
    assert len(node(doc, "art_1/para_1").children) == 2


def test_decimal_paragraph_numbers_belong_to_their_article():
    doc = jobun.parse("第1条（定義）\n1.1 「甲」とは、当社をいう。\n1.2 「乙」とは、利用者をいう。\n"
                      "第2条（料金）\n2.1 利用者は料金を支払う。ただし、容量が最大\n1.5 倍を超える場合を除く。\n"
                      "3.1 この号は第2条のものではない。\n2.2. 料金は月額とする。\n")
    assert [(n.id, n.num, n.label) for n in doc.walk() if n.kind == "paragraph"] == [
        ("art_1/para_1", "1", "1.1"), ("art_1/para_2", "2", "1.2"),
        ("art_2/para_1", "1", "2.1"), ("art_2/para_2", "2", "2.2.")]
    assert node(doc, "art_2/para_1").text == ("利用者は料金を支払う。ただし、容量が最大1.5 倍を超える場合を除く。"
                                              "3.1 この号は第2条のものではない。")


def test_decimal_numbers_under_numbered_paragraphs_are_items():
    doc = jobun.parse("ポリシー\n\n1. 取得する情報\n当社は、次の情報を取得します。\n1.1 氏名\n1.2 利用履歴\n"
                      "2. 利用目的\n当社は、次の目的で利用します。\n1.3 これは項目ではない。\n2.1 サービスの提供\n")
    assert [(n.id, n.label) for n in doc.walk() if n.kind == "item"] == [
        ("para_1/item_1", "1.1"), ("para_1/item_2", "1.2"), ("para_2/item_1", "2.1")]
    assert node(doc, "para_2").text.endswith("1.3 これは項目ではない。")


def test_article_heading_glued_to_the_sentence_before_it():
    # An extraction that lost the line break: '…とする。第３条（禁止事項）…' starts article 3, but
    # '…準用する。第１条（目的）の規定により…' is a reference and stays in the sentence.
    doc = jobun.parse("第１条（目的）本規約は定める。\n第２条（定義）用語は次のとおりとする。第３条（禁止事項）"
                      "会員は、次の行為をしてはならない。\n２　前項の規定は、準用する。第１条（目的）の規定により定める。\n")
    assert [(n.id, n.caption) for n in doc.walk() if n.kind == "article"] == [
        ("art_1", "目的"), ("art_2", "定義"), ("art_3", "禁止事項")]
    assert node(doc, "art_2/para_1").text == "用語は次のとおりとする。"
    assert node(doc, "art_3/para_2").text == "前項の規定は、準用する。第１条（目的）の規定により定める。"
    assert node(doc, "art_3").lines == (2, 3)


def test_large_gap_after_a_finished_sentence_is_an_article():
    doc = jobun.parse("第一条　甲は定める。\n第二条　乙は定める。\n第十条　丙は定める。\n第十条の二　丁は定める。\n")
    assert ids(doc, {"article"}) == ["art_1", "art_2", "art_10", "art_10_2"]
    assert [(w.line, w.code) for w in doc.warnings] == [(3, "numbering-gap")]


def test_gap_in_article_numbers_is_accepted_with_a_warning():
    doc = jobun.parse("第１条 甲。\n第２条 乙。\n（丙）\n第４条 丙。\n")
    assert ids(doc, {"article"}) == ["art_1", "art_2", "art_4"]
    assert [(w.line, w.code) for w in doc.warnings] == [(4, "numbering-gap")]


# ---------------------------------------------------------------- layout quirks
def test_blank_line_between_every_line_and_mid_word_wraps():
    text = ("第１条 当社はスマートコネクト マネージドサ\n\nーバコントロールパネル を提供する。 \n\n"
            "２ 契約者は本利用規約を遵守して、 \n\n")
    doc = jobun.parse(text)
    assert node(doc, "art_1/para_1").text == "当社はスマートコネクト マネージドサーバコントロールパネル を提供する。"
    assert node(doc, "art_1/para_1").lines == (1, 3)
    assert node(doc, "art_1/para_2").lines == (5, 5)


@pytest.mark.parametrize("first, second, joined", [
    ("Smart Data ", "Platform を提供する", "Smart Data Platform を提供する"),
    ("NGN-VPN セキュ", "アアクセス", "NGN-VPN セキュアアクセス"),
    ("年率１４．", "６％の割合", "年率１４．６％の割合"),
    ("Ｗ", "ｉｎｄｏｗｓサーバ", "Ｗｉｎｄｏｗｓサーバ"),
])
def test_unwrapping_keeps_meaningful_spaces_only(first, second, joined):
    doc = jobun.parse(f"第１条 当社は{first}\n{second}\n")
    assert node(doc, "art_1/para_1").text == "当社は" + joined


def test_text_keeps_characters_as_printed_and_maps_back_to_the_source():
    doc = jobun.parse("第１７条 当社は①を\n　　ｈｔｔｐ：／／ｅｘ．ｊｐ に掲載する。\n")
    para = node(doc, "art_17/para_1")
    assert para.text == "当社は①をｈｔｔｐ：／／ｅｘ．ｊｐ に掲載する。"
    offset = para.text.index("ｈｔｔｐ")
    assert para.source_position(offset) == (2, 2)


@pytest.mark.parametrize("text", [
    "利用規約\n第１条 当社は、本規約に定めるところにより本サービスを提供します。\n２ 契約者は守る。\n",
    "ＡＢＣ　ｘｙｚ\nSmart Data Platform の利用\nﾊﾝｶｸｶﾀｶﾅ の行 \n\t字下げ\n①②③\n",
    "a\n",
])
def test_wrap_width_floor_is_never_above_the_wrap_width(text):
    # narrow lines are decided against the floor alone (a heading line, a bare caption): it must bound
    lines = split_lines(text)
    starts = classify_lines(lines)
    builder = tree.Builder(lines, starts, furniture.find(lines, starts))
    assert builder.wrap_width_floor() <= builder.wrap_width()


# Each first character goes to one reader that applies every rule the character can start: a
# character two rules share (サ: an item and a table header; p: an item and a page number; ■: a
# decorated heading and a bullet) must keep both readings.
@pytest.mark.parametrize("line, readings", [
    ("サービス名\u3000内容", {"table_header": True}),
    ("用語\u3000意味", {"table_header": True}),
    ("ア\u3000契約者の氏名", {"items": ["iroha", "aiueo"]}),
    ("サ\u3000契約者の住所", {"items": ["iroha", "aiueo"]}),
    ("p. 3", {"items": ["latin"], "page_number": True}),
    ("Page 3", {"page_number": True}),
    ("- 3 -", {"page_number": True}),
    ("- 会員の氏名", {"bullet": "-"}),
    ("■第１条（目的）", {"heading": "article", "bullet": "■"}),
    ("・会員の氏名", {"bullet": "・"}),
    ("○２\u3000前項の規定は", {"para": 2}),
    ("【1】基本方針", {"para": 1}),
    ("3.2 料金", {"para": 2, "items": ["decimal"]}),
    ("1条（目的）", {"heading": "article"}),
    ("（定義）", {"caption": "定義"}),
    ("(1) 氏名", {"items": ["paren-num"]}),
    ("① 氏名", {"items": ["circled"]}),
    ("ⅱ 住所", {"items": ["roman-small"]}),
    ("一\u3000契約者", {"items": ["kanji"]}),
    ("目次", {"toc": True}),
    ("説明", {"note": "説明"}),
    ("別表第一", {"heading": "appendix"}),
    ("附則", {"heading": "supplementary"}),
    ("第２章\u3000会員", {"heading": "container"}),
    ("[第１条 目的]", {"heading": "article"}),
    ("© 2024 Sample Inc.", {"page_number": True}),
    ("第三者に提供します。", {}),
])
def test_a_line_start_gets_every_reading_its_first_character_allows(line, readings):
    ls = classify_lines(split_lines(line))[0]
    got = {"heading": ls.heading.kind if ls.heading else None, "para": ls.para.num if ls.para else None,
           "items": [m.family for m in ls.items] or None, "bullet": ls.bullet, "caption": ls.caption,
           "note": ls.note, "toc": ls.toc or None, "table_header": ls.table_header or None,
           "page_number": ls.page_number or None}
    assert {k: v for k, v in got.items() if v is not None} == readings


def test_crlf_and_tabs():
    doc = jobun.parse("第１条\t当社は定める。\r\n２\t契約者は守る。\r\n")
    assert [p.text for p in node(doc, "art_1").children] == ["当社は定める。", "契約者は守る。"]


# ---------------------------------------------------------------- blocks inside text
def test_definition_table_rows_with_cells_spanning_lines():
    text = ("第２条 次の用語はそれぞれ次の意味で使用する。 \n用 語 用語の意味 \n契約者 利用契約を締結した者。 \n"
            "認証情報 \nＩＤ、パスワードその他の利用者を識別す\nるための符号 \nプライベート IP サービス\nNGN-VPN \n"
            "当社が提供するサービスの名称 \nチップ SIM 在庫引当 IMEI 登録が完了したチップ SIM を引当てます。 \n"
            "（利用規約の変更） \n第３条 変更する。 \n")
    doc = jobun.parse(text)
    para = node(doc, "art_2/para_1")
    table = para.tables[0]
    assert table.header == ["用語", "用語の意味"]
    assert [r[0] for r in table.rows] == ["契約者", "認証情報", "プライベート IP サービス NGN-VPN", "チップ SIM 在庫引当"]
    assert table.rows[1][1] == "ＩＤ、パスワードその他の利用者を識別するための符号"
    assert para.text[table.span[0]:table.span[1]].startswith("用 語 用語の意味\n契約者")
    assert para.text.endswith("引当てます。")
    assert node(doc, "art_3").caption == "利用規約の変更"


def test_table_columns_separated_by_wide_gaps():
    doc = jobun.parse("第６条 料金は別表のとおりとする。\n別表　料金表\n区分　料金\n基本料金　月額１０，０００円\n"
                      "オプション　月額２，０００円\n")
    table = node(doc, "appx_1").tables[0]
    assert table.header == ["区分", "料金"]
    assert table.rows == [["基本料金", "月額１０，０００円"], ["オプション", "月額２，０００円"]]


def test_bullet_list_inside_an_item():
    text = ("第２条 次の意味で使用します。\n（1） 本サービス 以下に記載する各サービスをいいます。\n"
            "    ・Smart Data Platform（以下「SDPF」といいます。） \n    ・SDPF サポートサービス \n（2） SDPF 基盤\n")
    doc = jobun.parse(text)
    item = node(doc, "art_2/para_1/item_1")
    assert item.lists[0].items == ["Smart Data Platform（以下「SDPF」といいます。）", "SDPF サポートサービス"]
    assert item.text.endswith("・SDPF サポートサービス")
    assert node(doc, "art_2/para_1/item_2").text == "SDPF 基盤"


@pytest.mark.parametrize("first, second", [
    ("    ・Smart Data Platform（以下「SDPF」", "といいます。） "),     # stops inside brackets
    ("    ・Smart Data Platf", "orm（以下「SDPF」といいます。） "),     # stops inside a Latin word
])
def test_bullet_wrapped_inside_brackets_or_a_word_continues(first, second):
    text = ("第２条 次の意味で使用します。\n（1） 本サービス 以下に記載する各サービスをいいます。\n"
            f"{first}\n{second}\n    ・SDPF サポートサービス \n（2） SDPF 基盤\n")
    item = node(jobun.parse(text), "art_2/para_1/item_1")
    assert item.lists[0].items == ["Smart Data Platform（以下「SDPF」といいます。）", "SDPF サポートサービス"]


def test_table_row_ended_by_a_whitespace_only_line():
    # trailing spaces end the cells of this table; a row wrapped before its end leaves the space on
    # a line of its own
    text = ("第２条 次の用語はそれぞれ次の意味で使用する。 \n用 語 用語の意味 \n契約者 利用契約を締結した者。 \n"
            "利用契約 当社と契約者との間に締結される\n本サービスの提供に関する契約。\n  \n認証情報 \n"
            "ＩＤ、パスワードその他の符号 \n第３条 変更する。 \n")
    table = node(jobun.parse(text), "art_2/para_1").tables[0]
    assert [r[0] for r in table.rows] == ["契約者", "利用契約", "認証情報"]


def test_table_cell_wrapped_where_its_next_line_reads_as_a_row():
    # cells end at trailing spaces; a line left open on a particle, or continued by one starting
    # with hiragana, goes on even when the next line splits like 'term definition'
    text = ("第３条 次の機能を提供します。 \n機能 説明 \nチップ SIM 利用開始登録 システム番号の在庫の中から\n"
            "利用開始するチップ SIM を指定して利\nる SIM を指定して開始します。 \nチップ SIM 一覧 チップ SIM を表示します。 \n"
            "第４条 変更する。 \n")
    table = node(jobun.parse(text), "art_3/para_1").tables[0]
    assert [r[0] for r in table.rows] == ["チップ SIM 利用開始登録", "チップ SIM 一覧"]


def test_explanation_block_is_part_of_the_paragraph():
    text = "第２条（アカウントの追加） \n追加をご希望の場合はお申し出ください。 \n \n説明 \n \n追加は有料です。 \n \n変更は自由です。 \n第３条（管理） \n甲。\n"
    doc = jobun.parse(text)
    para = node(doc, "art_2/para_1")
    assert para.text.endswith("変更は自由です。")
    assert [n.label for n in para.notes] == ["説明"]
    assert para.text[para.notes[0].span[0]:].startswith("追加は有料です。")


# ---------------------------------------------------------------- supplementary provisions, appendices, instruments
def test_several_dated_supplementary_provisions():
    text = ("第１条 甲。\n付則（２００５年９月１日作定）\n付則（２０１７年６月１日改定）\n \n"
            "本約款は、２０１７年６月１日に改定し、即日実施します。\n附則\nこの規約は令和6年から施行します。\n")
    doc = jobun.parse(text)
    assert [(n.id, n.title) for n in doc.walk() if n.kind == "supplementary"] == [
        ("suppl_1", "２００５年９月１日作定"), ("suppl_2", "２０１７年６月１日改定"), ("suppl_3", None)]
    assert node(doc, "suppl_2/para_1").text == "本約款は、２０１７年６月１日に改定し、即日実施します。"
    assert node(doc, "suppl_3/para_1").num == "1"


@pytest.mark.parametrize("heading", ["附則", "附　則", "付則", "【附則】", "附則（2020年4月1日施行）", "附　則　抄"])
def test_supplementary_heading_forms(heading):
    doc = jobun.parse(f"第１条 甲。\n{heading}\n2020年1月1日 制定\n")
    assert node(doc, "suppl_1/para_1").text == "2020年1月1日 制定"


def test_caption_above_a_paragraph_of_supplementary_provisions():
    doc = jobun.parse("第一条 甲。\n附　則\n（施行期日）\n１　この約款は、公布の日から施行する。\n"
                      "２　この約款の施行前の契約は、なお従前の例による。\n")
    para = node(doc, "suppl_1/para_1")
    assert (para.caption, para.num, para.text) == ("施行期日", "1", "この約款は、公布の日から施行する。")
    assert node(doc, "suppl_1/para_2").caption is None
    from jobun.io.schema import validate
    validate(doc.to_dict())


def test_supplementary_articles_restart_numbering():
    doc = jobun.parse("第一条 甲。\n第二条 乙。\n附　則　（平成十六年三月二十四日政令第五十七号）　抄\n（施行期日）\n"
                      "第一条　この政令は、平成十六年四月一日から施行する。\n")
    assert node(doc, "suppl_1").title == "平成十六年三月二十四日政令第五十七号"
    assert node(doc, "suppl_1/art_1").caption == "施行期日"


def test_appendices_in_order():
    doc = jobun.parse("第１条 別紙１に定める。\n別紙１ 料金表\n月額 1,000 円\n別表第二（第三条関係）\n一　定款\n")
    assert [(n.id, n.num, n.title) for n in doc.walk() if n.kind == "appendix"] == [
        ("appx_1", "1", "料金表"), ("appx_2", "2", "第三条関係")]
    assert node(doc, "appx_1").text == "月額 1,000 円"


def test_second_instrument_in_one_file():
    text = ("本約款 \n第１条 甲。\n第２条 乙。\n付則（２００５年９月１日作定） \n本約款は実施します。 \n \n"
            "セキュアマネージメントサーバ ｆoｒ Ｗｉｎｄｏｗｓ \nサービス利用規則 \n第１条（趣旨） \n当社は定めます。 \n"
            "付則（２００６年４月１２日作定） \n本規則は実施します。 \n")
    doc = jobun.parse(text)
    doc2 = node(doc, "doc_2")
    assert doc2.title == "セキュアマネージメントサーバ ｆoｒ Ｗｉｎｄｏｗｓサービス利用規則"
    assert ids(doc, {"article", "supplementary", "paragraph"}) == [
        "art_1", "art_1/para_1", "art_2", "art_2/para_1", "suppl_1", "suppl_1/para_1",
        "doc_2/art_1", "doc_2/art_1/para_1", "doc_2/suppl_1", "doc_2/suppl_1/para_1"]
    assert node(doc, "suppl_1/para_1").text == "本約款は実施します。"


# ---------------------------------------------------------------- front matter and statutes
def test_title_wrapped_over_two_lines_and_preamble():
    doc = jobun.parse(" セキュアマネージメントサーバサービス \n\n契約約款 \n \nこの約款は当社が定めます。 \n\n第１節 総則\n第１条 甲。\n")
    assert doc.title == "セキュアマネージメントサーバサービス契約約款"
    assert node(doc, "preamble").text == "この約款は当社が定めます。"
    assert node(doc, "sec_1").kind == "section"


def test_statute_layout():
    text = ("電子署名及び認証業務に関する法律施行令\n（平成十三年三月二十八日政令第四十一号）\n目次\n"
            "　第一章　総則（第一条・第二条）\n　第二章　雑則（第三条）\n　附則\n\n"
            "　　　第一章　総則\n（定義）\n第一条　この政令において「電子署名」とは、次に掲げる措置をいう。\n"
            "一　当該情報の作成に係るもの\n二　改変が行われていないもの\n２　前項の規定は、準用する。\n第二条　削除\n"
            "　　　第二章　雑則\n第三条　必要な事項は、主務省令で定める。\n　　　附　則\nこの政令は、公布の日から施行する。\n")
    doc = jobun.parse(text)
    assert doc.title == "電子署名及び認証業務に関する法律施行令"
    assert doc.law_number == "（平成十三年三月二十八日政令第四十一号）"
    assert doc.toc[0] == "目次" and len(doc.toc) == 4
    assert ids(doc, {"chapter", "article", "supplementary"}) == ["chap_1", "art_1", "art_2", "chap_2", "art_3", "suppl_1"]
    assert [i.label for i in node(doc, "art_1/para_1").children] == ["一", "二"]
    assert node(doc, "art_1/para_2").text == "前項の規定は、準用する。"


def test_table_of_contents_listing_articles():
    text = ("サンプル利用規約\n目次\n第１条 目的 ………………… 1\n第２条 定義 ………………… 1\n"
            "第１条（目的）\n本規約は、利用条件を定める。\n第２条（定義）\n用語の意味は次のとおり。\n")
    doc = jobun.parse(text)
    assert doc.toc == ["目次", "第１条 目的 ………………… 1", "第２条 定義 ………………… 1"]
    assert ids(doc, {"article", "document"}) == ["art_1", "art_2"]
    assert node(doc, "art_1").caption == "目的"


def test_no_title_when_the_file_starts_with_a_heading():
    doc = jobun.parse(" 第１章  総則\n第１条  （約款の適用）\n1.  本約款は定めます。\n")
    assert doc.title == ""
    assert ids(doc) == ["chap_1", "art_1", "art_1/para_1"]


def test_numbered_paragraphs_without_articles():
    doc = jobun.parse("プライバシーポリシー\n1. 当社は個人情報を取得します。\n(1) 氏名\n2. 当社は利用します。\n")
    assert doc.title == "プライバシーポリシー"
    assert ids(doc) == ["para_1", "para_1/item_1", "para_2"]


@pytest.mark.parametrize("text, code", [("", "empty-document"), ("ただの文章です。\n改行もあります。\n", "no-structure")])
def test_document_without_structure_gives_a_warning(text, code):
    doc = jobun.parse(text)
    assert [w.code for w in doc.warnings] == [code]
    assert "".join(n.text for n in doc.walk()) == text.replace("\n", "")


def test_page_numbers_are_not_text():
    doc = jobun.parse("第１条 当社は本規約を\n- 1 -\n定める。\n２ 契約者は守る。\n2/10\n")
    assert [p.text for p in node(doc, "art_1").children] == ["当社は本規約を定める。", "契約者は守る。"]


def test_running_headers_and_footers_are_not_text():
    text = ("サンプル利用規約\n第１条 当社は本規約を\nサンプル利用規約\n定める。\n© 2024 Sample Inc. All Rights Reserved.\n"
            "２ 契約者は守る。\n")
    doc = jobun.parse(text)
    assert doc.title == "サンプル利用規約"
    assert [p.text for p in node(doc, "art_1").children] == ["当社は本規約を定める。", "契約者は守る。"]


def test_running_header_with_page_numbers_is_not_text():
    page = "サンプル利用規約　　{}/3\n"
    text = ("サンプル利用規約\n第１条 当社は本規約を\n" + page.format(1) + "定める。\n第２条 契約者は\n" + page.format(2)
            + "守る。\n第３条 丙。\n" + page.format(3))
    doc = jobun.parse(text)
    assert [node(doc, f"art_{k}/para_1").text for k in (1, 2, 3)] == ["当社は本規約を定める。", "契約者は守る。", "丙。"]


@pytest.mark.parametrize("first, second, running", [
    ("1/9", "2/9", True),               # page of total, twice: a footer
    ("1/2", "1/3", False),              # fractions of different totals: text
    ("3", "4", False),                  # bare numbers need a third printing
])
def test_footer_printed_twice_is_furniture_only_as_page_of_total(first, second, running):
    text = ("第１条 当社は本規約を\n株式会社サンプル　" + first + "\n定める。\n第２条 契約者は\n株式会社サンプル　" + second
            + "\n守る。\n")
    doc = jobun.parse(text)
    joined = [node(doc, f"art_{k}/para_1").text for k in (1, 2)]
    if running:
        assert joined == ["当社は本規約を定める。", "契約者は守る。"]
    else:
        assert all("株式会社サンプル" in t for t in joined)


@pytest.mark.parametrize("heading", ["第１章 総則\n", "第１章\n総則\n"])
def test_chapter_heading_printed_again_on_a_page_is_furniture(heading):
    text = ("サービス約款\n" + heading + "第１条（適用）\n本約款は\n" + heading + "適用される。\n第２条（変更）\n変更できる。\n"
            "第２章 契約\n第３条（申込）\n申込む。\n")
    doc = jobun.parse(text)
    assert [(n.id, n.title) for n in doc.walk() if n.kind == "chapter"] == [("chap_1", "総則"), ("chap_2", "契約")]
    assert node(doc, "art_1/para_1").text == "本約款は適用される。"
    assert not doc.warnings


def test_chapter_heading_again_before_article_one_is_a_second_instrument():
    doc = jobun.parse("A規約\n第１章 総則\n第１条 甲。\n第２条 乙。\n第１章 総則\n第１条 丙。\n")
    assert [n.id for n in doc.walk() if n.kind in ("chapter", "document")] == ["chap_1", "doc_2", "doc_2/chap_1"]


@pytest.mark.parametrize("first, second", [
    ("【第１条 目的】", "【第２条 定義】"),
    ("【第１条（目的）】", "【第２条（定義）】"),
    ("[第1条 目的]", "[第2条 定義]"),
    ("＜第１条 目的＞", "＜第２条 定義＞"), ("《第１条（目的）》", "《第２条（定義）》"), ("〔第1条 目的〕", "〔第2条 定義〕"),
    ("■第１条（目的）", "■第２条（定義）"),                                    # a decorative mark before
])
def test_heading_printed_in_brackets(first, second):
    doc = jobun.parse(f"サービス利用規約\n{first}\n甲は【第２条 定義】に従う。\n{second}\n乙。\n")
    assert [(n.id, n.caption) for n in doc.walk() if n.kind == "article"] == [("art_1", "目的"), ("art_2", "定義")]
    assert node(doc, "art_1/para_1").text == "甲は【第２条 定義】に従う。"     # in a sentence: a reference


def test_mark_before_something_else_is_still_a_bullet():
    doc = jobun.parse("規約\n第１条（禁止）\n次の行為を禁止する。\n■第三者の権利の侵害\n■第２条に違反する行為\n")
    assert node(doc, "art_1/para_1").lists[0].items == ["第三者の権利の侵害", "第２条に違反する行為"]


def test_chapter_and_bare_article_in_brackets():
    doc = jobun.parse("規約\n【第１章　総則】\n【第１条】\n甲。\n")
    assert [(n.id, n.title or n.caption) for n in doc.walk()] == [("chap_1", "総則"), ("art_1", None), ("art_1/para_1", None)]


def test_bare_page_numbers_counting_up_are_furniture():
    filler = "".join(f"{k}　当社は、本規約を変更することができるものとします。\n" for k in range(2, 8))
    text = ("サービス規約\n第１条（目的）\n本規約は、当社のサービスの利用条件を定めるものであり、利用者は本サービスを利\n"
            "1\n用するものとします。\n" + filler + "第２条（禁止事項）\n利用者は次の行為をしてはならない。\n2\n（１）法令違反\n")
    doc = jobun.parse(text)
    assert node(doc, "art_1/para_1").text.endswith("本サービスを利用するものとします。")
    assert node(doc, "art_2/para_1").text == "利用者は次の行為をしてはならない。"
    assert ids(doc)[-1] == "art_2/para_1/item_1"


@pytest.mark.parametrize("text, paragraphs", [
    ("規約\n第１条 甲は乙とする。\n２\n丙は丁とする。\n", ["甲は乙とする。", "丙は丁とする。"]),   # a number apart from its text
    ("規約\n第１条 料金は月額\n2\n000円とする。\n", ["料金は月額2000円とする。"]),             # a wrapped amount
    ("規約\n第１条 甲は乙とする。\n2\n第２条 丙。\n", ["甲は乙とする。2", "丙。"]),              # no text of its own
])
def test_bare_number_line_is_a_paragraph_number_only_after_a_sentence(text, paragraphs):
    doc = jobun.parse(text)
    assert [n.text for n in doc.walk() if n.kind == "paragraph"] == paragraphs


@pytest.mark.parametrize("line, items", [
    ("（１）氏名　（２）住所　（３）電話番号", ["氏名", "住所", "電話番号"]),          # a list printed side by side
    ("①氏名 ②住所", ["氏名", "住所"]),
    ("（１）第３条 (4) に違反する行為", ["第３条 (4) に違反する行為"]),            # not the next number: text
])
def test_items_merged_onto_one_line_are_split(line, items):
    doc = jobun.parse(f"規約\n第１条（取得する情報）\n当社は次の情報を取得します。\n{line}\n")
    assert [n.text for n in doc.walk() if n.kind == "item"] == items
    assert not [w for w in doc.warnings if w.code.startswith("numbering")]


def test_short_lines_between_sentences_are_sentences_of_their_own():
    # an unnumbered heading, a list of names: each short noun phrase after a sentence stands alone
    doc = jobun.parse("プライバシーポリシー\n第１条（方針）\n当社は、個人情報を適切に取り扱います。当社の方針は次のとおりです。\n"
                      "個人情報の利用目的\n当社は、取得した個人情報を、サービスの提供のために利用します。\n"
                      "提供するソフトウェアは次のとおりです。\nモバイル（MVNO）制御システム\nカスタマーコンソール\n")
    para = node(doc, "art_1/para_1")
    sentences = [para.text[a:b] for a, b in (s.span for s in para.sentences)]
    assert sentences[2:] == ["個人情報の利用目的", "当社は、取得した個人情報を、サービスの提供のために利用します。",
                             "提供するソフトウェアは次のとおりです。", "モバイル（MVNO）制御システム", "カスタマーコンソール"]


@pytest.mark.parametrize("line, paragraphs", [
    ("甲とする。 ２ 乙とする。", ["甲とする。", "乙とする。", "丙とする。"]),
    ("甲とする。　２．乙とする。", ["甲とする。", "乙とする。", "丙とする。"]),
    ("甲とする。 2 名以上で行う。", ["甲とする。 2 名以上で行う。", "丙とする。"]),     # a number of people, as printed
])
def test_paragraph_printed_on_the_line_of_the_one_before(line, paragraphs):
    doc = jobun.parse(f"規約\n第１条（目的）\n{line}\n{len(paragraphs)} 丙とする。\n")
    assert [n.text for n in doc.walk() if n.kind == "paragraph"] == paragraphs


def test_three_instruments_in_one_file():
    one = "サービス利用規約\n（目的）\n第１条 甲。\n第２条 乙。\n附則\nこの規約は施行します。\n"
    doc = jobun.parse(one * 3)
    assert [(n.id, n.title) for n in doc.children if n.kind == "document"] == [
        ("doc_2", "サービス利用規約"), ("doc_3", "サービス利用規約")]
    assert node(doc, "doc_3/art_1").caption == "目的"
    assert node(doc, "doc_3/suppl_1/para_1").text == "この規約は施行します。"


@pytest.mark.parametrize("title_lines, titles", [
    ("クラウドサービス利用規約\n", ["クラウドサービス利用規約"]),
    ("クラウドサービス\n利用規約\n- 3 -\n", ["クラウドサービス利用規約"]),        # a page number above the caption
    ("クラウド\n- 3 -\nサービス\n利用規約\n", ["クラウドサービス利用規約"]),      # …and inside the title
    ("株式会社サンプル\nクラウド\nサービス\n利用規約\n", []),       # a title is three lines at most
])
def test_title_of_a_second_instrument_over_lines_and_page_furniture(title_lines, titles):
    one = "第１条 甲。\n第２条 乙。\n附則\nこの規約は施行します。\n"
    doc = jobun.parse("サービス規約\n" + one + title_lines + "（目的）\n" + one)
    assert [n.title for n in doc.children if n.kind == "document"] == titles


def test_every_node_records_its_source_line_range():
    doc = jobun.parse("第１章 総則\n\n（目的）\n第１条 甲は\n乙とする。\n２ 丙。\n")
    assert [(n.id, n.lines) for n in doc.walk()] == [
        ("chap_1", (1, 6)), ("art_1", (3, 6)), ("art_1/para_1", (4, 5)), ("art_1/para_2", (6, 6))]


def test_tokenizer_judges_line_start_references_when_tokens_are_requested():
    # 'など' is a particle the parser's own pattern does not list; the tagger knows it.
    text = "第１条 甲。\n第２条 当社は乙の規定に従う。ただし\n第３条 などの規定は除く。\n"
    with_tagger = jobun.parse(text, tokens=True)
    assert ids(with_tagger, {"article"}) == ["art_1", "art_2"]
    assert node(with_tagger, "art_2/para_1").text == "当社は乙の規定に従う。ただし第３条 などの規定は除く。"
    assert ids(jobun.parse(text), {"article"}) == ["art_1", "art_2", "art_3"]
