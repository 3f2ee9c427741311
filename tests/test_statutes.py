"""Statute forms beyond articles: main provisions without articles, 附則 blocks, 目次, appendices.

Every example is a short statute written for the test, in the e-Gov layout (one paragraph a line)
and, where the layout matters, as a PDF-like extraction (wrapped lines with trailing spaces).
"""
import pytest

import jobun

from tree_helpers import ids, node


# ---------------------------------------------------------------- main provision without articles
_NO_ARTICLES = [
    # e-Gov layout: title, law number, formula, one paragraph a line
    ("港湾料金の特例を定める政令\n（令和元年五月一日政令第一号）\n\n"
     "内閣は、港湾法第九条の規定に基づき、この政令を制定する。\n\n"
     "港湾法第九条の政令で定める料金は、次のとおりとする。\n一　入港料\n二　係留料\n"
     "２　前項の料金の額は、国土交通大臣が定める。\n\n　　　附　則\n\nこの政令は、公布の日から施行する。\n"),
    # PDF-like layout: the formula wrapped before its last word, no law number
    ("港湾料金の特例を定める政令 \n内閣は、港湾法第九条の規定に基づき、この政令を制定 \nする。 \n"
     "港湾法第九条の政令で定める料金は、次のとおりとする。 \n一　入港料 \n二　係留料 \n"
     "２　前項の料金の額は、国土交通大臣が定める。 \n附　則\nこの政令は、公布の日から施行する。 \n"),
]


@pytest.mark.parametrize("text", _NO_ARTICLES)
def test_main_provision_without_articles_has_top_level_paragraphs(text):
    doc = jobun.parse(text)
    assert node(doc, "preamble").text.endswith("この政令を制定する。")
    assert node(doc, "para_1").text.startswith("港湾法第九条の政令で定める料金は")
    assert [n.text for n in node(doc, "para_1").children] == ["入港料", "係留料"]
    assert node(doc, "para_2").text == "前項の料金の額は、国土交通大臣が定める。"
    assert node(doc, "suppl_1/para_1").text == "この政令は、公布の日から施行する。"


@pytest.mark.parametrize("formula", ["…の規定に基づき、この省令を次のように定める。", "…の全部を改正する。"])
def test_enacting_formula_forms_end_the_preamble(formula):
    text = f"港湾規則\n{formula}\n規則の本文である。\n附　則\nこの規則は、公布の日から施行する。\n"
    doc = jobun.parse(text)
    assert node(doc, "preamble").text == formula
    assert node(doc, "para_1").text == "規則の本文である。"


def test_polite_lead_in_of_terms_is_not_an_enacting_formula():
    text = "サンプルポリシー\n当社は、次のとおり定めます。\nお客様の情報を守ります。\n1. 取得する情報\n氏名を取得します。\n"
    doc = jobun.parse(text)
    assert node(doc, "preamble").text.endswith("お客様の情報を守ります。")
    assert node(doc, "para_1").printed_num == "1"


def test_articles_only_in_a_supplementary_block_leave_the_main_provision_without_articles():
    text = ("港湾料金の特例を定める政令\n内閣は、この政令を制定する。\n料金は、別に定める。\n"
            "附　則　（令和二年政令第二号）\n（施行期日）\n第一条　この政令は、公布の日から施行する。\n"
            "（経過措置）\n第二条　従前の例による。\n")
    doc = jobun.parse(text)
    assert ids(doc, {"paragraph", "article", "supplementary"}) == [
        "para_1", "suppl_1", "suppl_1/art_1", "suppl_1/art_1/para_1", "suppl_1/art_2", "suppl_1/art_2/para_1"]


# ---------------------------------------------------------------- 目次
def test_toc_with_branch_chapters_is_not_read_as_headings():
    text = ("港湾法施行令\n目次\n　第一章　総則（第一条）\n　第一章の二　港湾計画（第一条の二）\n　第二章　雑則（第二条）\n　附則\n"
            "第一章　総則\n第一条　この政令は港湾について定める。\n第一章の二　港湾計画\n第一条の二　計画を定める。\n"
            "第二章　雑則\n第二条　雑則を定める。\n")
    doc = jobun.parse(text)
    assert len(doc.toc) == 5
    assert ids(doc, {"chapter", "article"}) == ["chap_1", "art_1", "chap_1_2", "art_1_2", "chap_2", "art_2"]


# ---------------------------------------------------------------- 附則 blocks
_SUPPL_HEAD = "港湾法\n第一条　この法律は港湾について定める。\n第二条　港湾管理者を置く。\n"


@pytest.mark.parametrize("heading", ["附　則　（令和二年法律第三号）　抄", "附　則　（令和二年法律第三号）\n抄", "附則　抄"])
@pytest.mark.parametrize("jump", ["第五十九条", "第百五十九条", "第五十九条の二"])
def test_article_numbers_jump_in_an_excerpt(heading, jump):
    text = (_SUPPL_HEAD + f"{heading}\n（施行期日）\n第一条　この法律は、公布の日から施行する。\n"
            f"（経過措置）\n{jump}　従前の例による。\n")
    doc = jobun.parse(text)
    arts = ids(doc, {"article"})
    assert arts[:3] == ["art_1", "art_2", "suppl_1/art_1"] and len(arts) == 4
    assert not [w for w in doc.warnings if w.code.startswith("numbering")]


def test_jump_outside_an_excerpt_is_still_text():
    text = _SUPPL_HEAD + "附　則\n第一条　この法律は、公布の日から施行する。\n第百五十九条　従前の例による。\n"
    doc = jobun.parse(text)
    assert ids(doc, {"article"}) == ["art_1", "art_2", "suppl_1/art_1"]


def test_every_supplementary_block_is_numbered_in_order():
    text = (_SUPPL_HEAD + "附　則\nこの法律は、公布の日から施行する。\n附　則　（令和二年法律第三号）\n"
            "１　この法律は、令和三年から施行する。\n２　従前の例による。\n附　則　（令和四年法律第五号）　抄\n"
            "（施行期日）\n第一条　この法律は、公布の日から施行する。\n")
    doc = jobun.parse(text)
    assert ids(doc, {"supplementary", "paragraph"})[2:8] == [
        "suppl_1", "suppl_1/para_1", "suppl_2", "suppl_2/para_1", "suppl_2/para_2", "suppl_3"]
    assert node(doc, "suppl_3").label.endswith("抄")


# ---------------------------------------------------------------- tables inside provisions
@pytest.mark.parametrize("lead_in", ["次の表の上欄に掲げる者は、同表の下欄に定める額を納める。", "手数料の額は、次の表による額とする。"])
@pytest.mark.parametrize("header", ["納める者　金額", "納める者　区分（大型のもの。）　金額"])
def test_rows_of_an_announced_table_are_paragraph_text_not_items(lead_in, header):
    text = (f"港湾規則\n（手数料）\n第一条　{lead_in}\n{header}\n一　登録を受ける者　千円\n二　更新を受ける者　五百円\n"
            "２　前項の手数料は、現金で納める。\n")
    doc = jobun.parse(text)
    para = node(doc, "art_1/para_1")
    assert not para.children and para.text.endswith("五百円")
    assert para.tables[0].rows[1] == ["二", "更新を受ける者", "五百円"]
    assert node(doc, "art_1/para_2").text == "前項の手数料は、現金で納める。"


def test_item_after_a_table_announced_in_an_item_closes_the_table():
    text = ("港湾規則\n第一条　次に掲げる基準に適合すること。\n一　次の表に掲げる科目について試験を行うこと。\n"
            "科目　時間\n港湾に関する法令　二時間\n二　試験の結果を公表すること。\n")
    doc = jobun.parse(text)
    assert ids(doc, {"item"}) == ["art_1/para_1/item_1", "art_1/para_1/item_2"]
    assert node(doc, "art_1/para_1/item_1").text.endswith("二時間")


def test_a_two_cell_line_without_an_announcing_sentence_stays_an_item():
    text = "港湾規則\n第一条　港湾管理者は、次に掲げる者とする。\n一　東京港　東京都\n二　大阪港　大阪市\n"
    doc = jobun.parse(text)
    assert ids(doc, {"item"}) == ["art_1/para_1/item_1", "art_1/para_1/item_2"]


# ---------------------------------------------------------------- paragraph markers
@pytest.mark.parametrize("mark", ["○２", "○2"])
def test_circle_before_a_paragraph_number(mark):
    text = f"港湾法\n第一条　港湾管理者を置く。\n{mark}　前項の管理者は、港湾を管理する。\n"
    doc = jobun.parse(text)
    assert node(doc, "art_1/para_2").printed_num == "2"
    assert node(doc, "art_1/para_2").text == "前項の管理者は、港湾を管理する。"


def test_circle_bullet_without_a_number_stays_a_bullet():
    doc = jobun.parse("港湾規約\n第１条　次のものを置く。\n○ 管理者\n○ 委員会\n")
    assert node(doc, "art_1/para_1").lists[0].items == ["管理者", "委員会"]


# ---------------------------------------------------------------- appendices
@pytest.mark.parametrize("form", ["第一号様式（第三条関係）", "第１号様式", "第二号書式（その一）"])
def test_form_numbered_before_its_word_is_an_appendix(form):
    text = f"港湾規則\n第一条　申請書は、別に定める。\n{form}\n"
    doc = jobun.parse(text)
    assert node(doc, "appx_1").label == form.split("（")[0]


def test_form_mentioned_at_a_line_start_is_text():
    text = "港湾規則\n第一条　申請書は、\n第一号様式による。\n"
    doc = jobun.parse(text)
    assert ids(doc, {"appendix"}) == [] and node(doc, "art_1/para_1").text.endswith("第一号様式による。")


def test_appendix_num_is_its_ordinal_the_label_keeps_the_printed_number():
    text = "港湾規則\n第一条　別表に定める。\n別表第一（第一条関係）\n甲\n別表第一の二（第一条関係）\n乙\n別表第二\n丙\n"
    doc = jobun.parse(text)
    assert [(n.num, n.label) for n in doc.walk() if n.kind == "appendix"] == [
        ("1", "別表第一"), ("2", "別表第一の二"), ("3", "別表第二")]


# A run of form titles printed as one block (the forms themselves are images) is one appendix, the
# later titles its text; a break between blocks starts the next one: an empty line, or in an
# extraction that double-spaces every line, a whitespace-only line.
_FORMS_LEAD = ("港湾規則\n第一条　申請書は、様式第一から様式第四までによる。\n第二条　申請書には、次に掲げる事項を記載する。\n"
               "一　氏名\n二　住所\n三　船舶の名称\n第三条　この規則は、公布の日から施行する。\n")
_FORMS = ["様式第一（第一条関係）", "様式第二（第一条関係）", "様式第三（第一条関係）", "様式第四（第一条関係）"]


def _single_spaced(blocks: list[list[str]]) -> str:
    return _FORMS_LEAD + "\n" + "\n\n".join("\n".join(block) for block in blocks) + "\n"


def _double_spaced(blocks: list[list[str]]) -> str:
    return "\n\n".join(_FORMS_LEAD.splitlines()) + "\n\n \n\n" + "\n\n \n\n".join(
        "\n\n".join(block) for block in blocks) + "\n"


@pytest.mark.parametrize("layout", [_single_spaced, _double_spaced], ids=["single-spaced", "double-spaced"])
@pytest.mark.parametrize("blocks, appendices", [
    ([_FORMS[:1], _FORMS[1:]], ["様式第一", "様式第二"]),
    ([[form] for form in _FORMS], ["様式第一", "様式第二", "様式第三", "様式第四"]),
], ids=["run", "blocks"])
def test_a_run_of_form_titles_in_one_block_is_one_appendix(layout, blocks, appendices):
    doc = jobun.parse(layout(blocks))
    assert [n.label for n in doc.walk() if n.kind == "appendix"] == appendices
    last = [n for n in doc.walk() if n.kind == "appendix"][-1]
    assert all(form in last.title + last.text for form in blocks[-1][1:])


# Terms of service name their appendices: 別紙2 手数料 is an appendix of its own, in web copy with an
# empty line after every paragraph, in a single-spaced or double-spaced extraction, after a page break.
_TERMS_LEAD = ("ご利用規約\n\n第1条（適用）\n\n本規約は、当社のサービスに適用されます。\n\n"
               "第2条（料金）\n\n料金は別紙1及び別紙2のとおりとします。\n\n")


@pytest.mark.parametrize("tail", [
    "別紙1 料金表\n\n別紙2 手数料\n\n別紙3 個人情報の取扱い\n",
    "【別紙1】料金表\n\n【別紙2】手数料\n\n【別紙3】個人情報の取扱い\n",
    "別紙1 料金表\n別紙2 手数料\n別紙3 個人情報の取扱い\n",
    "別紙1 料金表\n\f別紙2 手数料\n\f別紙3 個人情報の取扱い\n",
], ids=["web-copy", "bracketed", "single-spaced", "page-breaks"])
def test_appendices_that_name_their_content_stay_apart(tail):
    doc = jobun.parse(_TERMS_LEAD + tail)
    assert [n.title for n in doc.walk() if n.kind == "appendix"] == ["料金表", "手数料", "個人情報の取扱い"]


def test_table_announced_without_a_header_row():
    text = ("港湾規則\n第一条　次の表上欄に掲げる権限は、下欄に掲げる者に委任する。\n"
            "一　登録に関する権限　地方運輸局長\n二　届出に関する権限　運輸支局長\n")
    doc = jobun.parse(text)
    para = node(doc, "art_1/para_1")
    assert not para.children and para.tables[0].header == [] and len(para.tables[0].rows) == 2


def test_rows_after_a_table_label_and_cells_ending_in_a_particle():
    text = ("港湾規則\n第一条　手数料の額は、次の甲表による額とする。\n甲表\n区分　金額\n一　登録　千円\n"
            "二　港湾管理者が定める場合において　管理者が\n２　前項の手数料は、現金で納める。\n")
    doc = jobun.parse(text)
    assert not node(doc, "art_1/para_1").children
    assert node(doc, "art_1/para_2").text == "前項の手数料は、現金で納める。"


def test_headerless_two_cell_rows_in_the_e_gov_reading_table():
    text = ("港湾規則\n第一条　次の表の上欄に掲げる規定中同表の中欄に掲げる字句は、同表の下欄に掲げる字句とする。\n"
            "港湾法第二条第一項　港湾管理者が\n港湾法第三条　国が\n２　前項の規定は、準用する。\n")
    doc = jobun.parse(text)
    assert node(doc, "art_1/para_1").text.endswith("国が")
    assert node(doc, "art_1/para_2").printed_num == "2"


@pytest.mark.parametrize("branch, num", [("（１の２）", "1_2"), ("(1の2)", "1_2"), ("（１の２の３）", "1_2_3")])
def test_branch_numbers_in_parenthesized_items(branch, num):
    doc = jobun.parse(f"港湾規約\n第１条　次のものとする。\n（１）甲\n{branch}乙\n（２）丙\n")
    assert [n.num for n in node(doc, "art_1/para_1").children] == ["1", num, "2"]


@pytest.mark.parametrize("first, second", [("二", "五"), ("三", "四")])
def test_excerpt_items_start_and_jump_anywhere(first, second):
    text = (_SUPPL_HEAD + "附　則　（令和二年法律第三号）　抄\n（施行期日）\n"
            "第一条　この法律は、令和三年から施行する。ただし、次の各号に掲げる規定は、当該各号に定める日から施行する。\n"
            f"{first}　第一条の規定　公布の日\n{second}　第二条の規定　令和四年\n")
    doc = jobun.parse(text)
    items = node(doc, "suppl_1/art_1/para_1").children
    assert [n.printed_num for n in items] == [str("一二三四五".index(first) + 1), str("一二三四五".index(second) + 1)]
    assert not [w for w in doc.warnings if w.code.startswith("numbering")]


def test_item_list_outside_an_excerpt_still_opens_at_one():
    text = (_SUPPL_HEAD + "附　則\n第一条　この法律は、令和三年から施行する。\n二　第一条の規定　公布の日\n")
    doc = jobun.parse(text)
    assert not node(doc, "suppl_1/art_1/para_1").children


@pytest.mark.parametrize("line, is_paragraph", [("２　カバーガスは、安定でなければならない。", True),
                                                ("２　ケース記録を保存する。", True),
                                                ("２か月以内に届け出る。", False), ("３か所に置く。", False)])
def test_katakana_after_a_paragraph_number_is_text_not_a_counter(line, is_paragraph):
    doc = jobun.parse(f"港湾規則\n第一条　ガスは、安定でなければならない。\n{line}\n")
    assert (doc.get("art_1/para_2") is not None) == is_paragraph


@pytest.mark.parametrize("title, number", [
    ("港湾規則一―三（港湾の管理に関する手続等における情報通信の技術の利用）", "（令和元年五月一日港湾規則一―三）"),
    ("港湾の管理に関する法律施行令", "（令和元年五月一日政令第十号）")])
def test_title_is_what_stands_above_the_law_number(title, number):
    doc = jobun.parse(f"{title}\n{number}\n\n港湾管理者は、次のように定める。\n\n第一条　港湾を管理する。\n")
    assert doc.title == title and doc.law_number == number
    assert node(doc, "preamble").text == "港湾管理者は、次のように定める。"


def test_caption_above_a_jumping_article_in_an_excerpt():
    text = (_SUPPL_HEAD + "附　則　（令和二年法律第三号）　抄\n（施行期日）\n第一条　この法律は、公布の日から施行する。\n"
            "（国の事務）\n第百五十九条　従前の例による。\n")
    assert node(jobun.parse(text), "suppl_1/art_159").caption == "国の事務"


@pytest.mark.parametrize("line, appendix", [("別表　料金表（第二条関係）", True), ("別表（第二条関係）", True),
                                            ("別紙様式第一（第三条関係）", True), ("別記様式第二", True),
                                            ("別表大阪港の項の改正規定　令和五年四月一日", False)])
def test_appendix_word_glued_to_a_noun_is_no_heading(line, appendix):
    doc = jobun.parse(f"港湾規則\n第一条　料金は、別に定める。\n{line}\n")
    assert (doc.get("appx_1") is not None) == appendix


def test_bracketed_caption_starting_with_an_appendix_word_is_a_caption():
    doc = jobun.parse("港湾規則\n第一条　甲とする。\n（別記事業の特例）\n第二条　乙とする。\n")
    assert node(doc, "art_2").caption == "別記事業の特例"
