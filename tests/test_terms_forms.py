"""Terms of service as web pages and PDFs print them, beyond the seeds' forms (own short examples)."""
import pytest

import jobun

from tree_helpers import ids, node


@pytest.mark.parametrize("first, second", [("1条（目的）", "2条（定義）"), ("1 条 (目的)", "2 条 (定義)"),
                                           ("１条（目的）", "２条（定義）")])
def test_article_heading_without_dai(first, second):
    doc = jobun.parse(f"サンプル規約\n{first}\n本規約は当社に適用します。\n{second}\n用語は次のとおりです。\n")
    assert [(n.id, n.caption) for n in doc.walk() if n.kind == "article"] == [("art_1", "目的"), ("art_2", "定義")]


@pytest.mark.parametrize("opener, closer", [("「", "」"), ("『", "』"), ("〔", "〕"), ("＜", "＞"), ("《", "》"), ("〈", "〉")])
def test_caption_in_any_bracket_after_the_number(opener, closer):
    doc = jobun.parse(f"サンプル規約\n第1条{opener}目的{closer}\n本規約は当社に適用します。\n")
    assert node(doc, "art_1").caption == "目的"
    assert node(doc, "art_1/para_1").text == "本規約は当社に適用します。"


@pytest.mark.parametrize("break_after", ["第", "第1"])
def test_article_number_wrapped_after_dai_is_text(break_after):
    sentence = "解除する場合は、第15条に従うものとします。"
    cut = sentence.index("第") + len(break_after)
    text = f"サンプル規約\n第14条（解約）\n{sentence[:cut]}\n{sentence[cut:]}\n第15条（解除）\n解除できます。\n"
    doc = jobun.parse(text)
    assert node(doc, "art_14/para_1").text == sentence
    assert ids(doc, {"article"}) == ["art_14", "art_15"]


def test_quoted_article_is_a_reference_not_a_caption():
    doc = jobun.parse("サンプル規約\n第1条（目的）\n次の規定を置く。\n第2条「甲」とあるのは「乙」と読み替える。\n")
    assert ids(doc, {"article"}) == ["art_1"]


@pytest.mark.parametrize("dot", [".", "．"])
def test_decimal_numbering_reads_as_article_paragraph_item(dot):
    text = (f"サンプル規約\n1{dot} 総則\n1{dot}1 本規約は当社に適用します。\n1{dot}2 当社は本規約を変更できます。\n"
            f"2{dot} 料金\n2{dot}1 料金は次のとおりです。\n2{dot}1{dot}1 月額千円\n2{dot}1{dot}2 年額一万円\n")
    doc = jobun.parse(text)
    assert [(n.id, n.caption) for n in doc.walk() if n.kind == "article"] == [("art_1", "総則"), ("art_2", "料金")]
    assert ids(doc, {"paragraph", "item"}) == ["art_1/para_1", "art_1/para_2", "art_2/para_1",
                                               "art_2/para_1/item_1", "art_2/para_1/item_2"]
    assert node(doc, "art_2/para_1/item_2").text == "年額一万円"


def test_numbered_headings_without_decimals_stay_paragraphs():
    text = "サンプルポリシー\n1. 取得する情報\n当社は氏名を取得します。\n2. 利用目的\n当社はサービスの提供に利用します。\n"
    doc = jobun.parse(text)
    assert ids(doc, {"article", "paragraph"}) == ["para_1", "para_2"]


@pytest.mark.parametrize("marker", ["{}.", "({})", "{})"])
def test_list_restarting_under_a_lead_in_is_a_new_paragraph(marker):
    m1, m2 = marker.format(1), marker.format(2)
    text = (f"サンプル規約\n第1条（禁止事項）\n利用者は次の行為をしてはなりません。\n{m1} 法令違反\n{m2} 迷惑行為\n"
            f"当社は次の場合に利用を停止できます。\n{m1} 料金の未払い\n{m2} 虚偽の申告\n")
    doc = jobun.parse(text)
    assert ids(doc, {"paragraph", "item"}) == [
        "art_1/para_1", "art_1/para_1/item_1", "art_1/para_1/item_2",
        "art_1/para_2", "art_1/para_2/item_1", "art_1/para_2/item_2"]
    assert node(doc, "art_1/para_2").text == "当社は次の場合に利用を停止できます。"


def test_sentence_after_a_list_without_a_new_list_continues_the_last_item():
    text = "サンプル規約\n第1条（禁止事項）\n次の行為を禁じます。\n(1) 法令違反\n(2) 迷惑行為\n前各号の行為には罰則があります。\n"
    doc = jobun.parse(text)
    assert ids(doc, {"paragraph"}) == ["art_1/para_1"]


def test_numbered_rows_of_a_table_inside_an_item_do_not_continue_the_items():
    text = ("港湾規則\n第一条　手数料は、次の各号に定める額とする。\n一　登録　千円\n二　更新　次の甲表による額とする。\n"
            "甲表\n区分　金額\n一　小型　百円\n二　中型　二百円\n三　大型　三百円\n２　前項の手数料は、現金で納める。\n")
    doc = jobun.parse(text)
    assert ids(doc, {"item"}) == ["art_1/para_1/item_1", "art_1/para_1/item_2"]
    assert node(doc, "art_1/para_1/item_2").text.endswith("三百円")


@pytest.mark.parametrize("crumb", ["ホーム > 規約一覧 > 利用規約", "トップ ＞ ヘルプ ＞ サンプル利用規約", "Home » Legal » Terms"])
def test_breadcrumb_above_the_title_belongs_to_no_node(crumb):
    doc = jobun.parse(f"{crumb}\nサンプル利用規約\n第1条（目的）\n本規約は当社に適用します。\n")
    assert doc.title == "サンプル利用規約"
    assert doc.get("preamble") is None


@pytest.mark.parametrize("m1, m2", [("1項", "2項"), ("１項", "２項")])
def test_paragraph_numbered_with_kou(m1, m2):
    doc = jobun.parse(f"サンプル規約\n第1条（目的）\n{m1} 本規約は当社に適用します。\n{m2} 当社は本規約を変更できます。\n")
    assert [n.text for n in node(doc, "art_1").children] == ["本規約は当社に適用します。", "当社は本規約を変更できます。"]


def test_roman_items_with_a_dot():
    doc = jobun.parse("サンプル規約\n第1条（雑則）\n当社は次のとおり定めます。\ni. 準拠法\nii. 管轄\niii. 言語\n")
    assert [n.text for n in node(doc, "art_1/para_1").children] == ["準拠法", "管轄", "言語"]


@pytest.mark.parametrize("line", ["2条件を満たす場合に限ります。", "2条項の適用を除きます。"])
def test_number_glued_to_a_word_starting_with_jou_is_text(line):
    doc = jobun.parse(f"サンプル規約\n1条（目的）\n本規約は当社に適用します。\n{line}\n")
    assert ids(doc, {"article"}) == ["art_1"]
