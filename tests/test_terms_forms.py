"""Terms of service as web pages and PDFs print them, beyond the seeds' forms (own short examples)."""
import pytest

import jobun


def ids(doc, kinds=None):
    return [n.id for n in doc.walk() if kinds is None or n.kind in kinds]


def node(doc, node_id):
    n = doc.get(node_id)
    assert n is not None, f"{node_id} missing; have {ids(doc)}"
    return n


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
