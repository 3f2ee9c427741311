"""Terms of service and privacy policies as companies publish them on the web (own short examples).

Each document in tests/data/terms_web has an outline written by hand from FORMAT.md (ids, captions,
first words of each node); the parse must give exactly those nodes.
"""
import pytest

import jobun
from terms_web_outline import differences, names


@pytest.mark.parametrize("name", names())
def test_document_reads_as_its_outline(name):
    total, wrong, extra = differences(name)
    assert total and not wrong and not extra, wrong + extra


@pytest.mark.parametrize("open_, close", [("【", "】"), ("［", "］"), ("[", "]"), ("〔", "〕")])
def test_number_in_heavy_brackets_heads_a_section(open_, close):
    text = (f"サンプルガイドライン\n{open_}1{close}基本方針\n互いを尊重してください。\n"
            f"{open_}2{close}禁止事項\n次の投稿を禁止します。\n(a) 誹謗中傷\n(b) 宣伝\n")
    doc = jobun.parse(text)
    assert [n.id for n in doc.walk()] == ["para_1", "para_2", "para_2/item_1", "para_2/item_2"]
    assert doc.get("para_2").label == f"{open_}2{close}"


@pytest.mark.parametrize("mark", ["■", "◆", "●", "□"])
def test_marked_heading_over_prose_is_a_section_of_a_policy(mark):
    text = (f"個人情報保護方針\n当社は次の方針を定めます。\n{mark}取得について\n当社は適法に取得します。\n"
            f"{mark}利用目的\n当社は次の目的で利用します。\n・商品の発送\n・お問い合わせへの回答\n"
            f"{mark}お問い合わせ\n窓口までご連絡ください。\n")
    doc = jobun.parse(text)
    assert [n.id for n in doc.walk()] == ["preamble", "para_1", "para_2", "para_3"]
    assert "".join(doc.get("para_2").text.split()).startswith("利用目的当社は")
    assert doc.get("para_2").lists[0].items == ["商品の発送", "お問い合わせへの回答"]


@pytest.mark.parametrize("text, kept_as", [
    ("個人情報保護方針\n当社は次の情報を取得します。\n1. 取得する情報\n当社は次の情報を取得します。\n■氏名\n■住所\n"
     "取得した情報は適切に管理します。\n", "para_1"),
    ("サンプル規約\n第1条（目的）\n本規約は当社に適用します。\n■注意事項\n必ずお読みください。\n", "art_1/para_1"),
])
def test_marks_of_a_list_or_inside_an_article_stay_text(text, kept_as):
    doc = jobun.parse(text)
    assert [n.id for n in doc.walk() if n.kind == "paragraph"] == [kept_as]
    assert doc.get(kept_as).text.endswith("ください。") or doc.get(kept_as).text.endswith("管理します。")


@pytest.mark.parametrize("menu", [["ホーム", "サービス一覧", "会社概要", "お問い合わせ"],
                                  ["TOP", "製品情報", "サポート", "採用情報", "ニュース"]])
def test_site_menu_above_the_title_belongs_to_no_node(menu):
    text = "\n".join(menu) + "\nプライバシーポリシー\n最終更新日：2024年3月1日\n当社は次のとおり定めます。\n1. 利用目的\n当社はサービスの提供に利用します。\n"
    doc = jobun.parse(text)
    assert doc.title == "プライバシーポリシー"
    assert doc.get("preamble").text.startswith("最終更新日")
    assert not any(word in doc.get("preamble").text for word in menu)


@pytest.mark.parametrize("caption", ["予約の取消し", "申込み", "お問い合わせ", "料金の支払い"])
def test_plain_caption_ending_in_okurigana(caption):
    doc = jobun.parse(f"サンプル規約\n第1条　{caption}\n利用者は所定の方法により手続を行うものとします。\n")
    assert doc.get("art_1").caption == caption
    assert doc.get("art_1/para_1").text == "利用者は所定の方法により手続を行うものとします。"


@pytest.mark.parametrize("caption", ["次のとおり定める", "甲は"])
def test_line_ending_in_a_verb_or_particle_is_no_caption(caption):
    doc = jobun.parse(f"サンプル規約\n第1条　{caption}\n利用者は所定の方法により手続を行うものとします。\n")
    assert doc.get("art_1").caption is None


@pytest.mark.parametrize("mark", ["・", "-", "•"])
def test_bullets_that_form_an_articles_whole_body_are_its_paragraphs(mark):
    text = (f"サンプル規約\n第1条（取消し）\n{mark} 前日までの取消しは無料です。\n{mark} 当日の取消しは半額を申し受けます。\n"
            f"第2条（禁止事項）\n利用者は次の行為をしてはなりません。\n{mark} 転売\n{mark} 虚偽の予約\n")
    doc = jobun.parse(text)
    assert [n.id for n in doc.walk() if n.kind == "paragraph"] == ["art_1/para_1", "art_1/para_2", "art_2/para_1"]
    assert doc.get("art_1/para_2").text == "当日の取消しは半額を申し受けます。"
    assert doc.get("art_2/para_1").lists[0].items == ["転売", "虚偽の予約"]


@pytest.mark.parametrize("heading", ["## 第1条（目的）", "### 第1条（目的）", "■■ 第1条（目的）"])
def test_markdown_or_repeated_mark_before_an_article(heading):
    doc = jobun.parse(f"# サンプル利用規約\n{heading}\n本規約は当社に適用します。\n")
    assert doc.title == "サンプル利用規約"
    assert doc.get("art_1").caption == "目的"


@pytest.mark.parametrize("items", ["（１）運転免許証　（２）健康保険証", "(1) 運転免許証 (2) 健康保険証", "①運転免許証　②健康保険証"])
def test_list_printed_on_the_line_of_its_lead_in(items):
    doc = jobun.parse(f"サンプル規約\n第1条（入会）\n入会時は次の書類を提示してください。{items}\n２　未成年者は保護者の同意を要します。\n")
    assert [n.text for n in doc.get("art_1/para_1").children] == ["運転免許証", "健康保険証"]
    assert doc.get("art_1/para_1").text == "入会時は次の書類を提示してください。"
    assert doc.get("art_1/para_2") is not None


def test_numbers_after_a_sentence_without_a_second_item_stay_text():
    doc = jobun.parse("サンプル規約\n第1条（入会）\n詳細は別途定めます。（１）の書類は不要です。\n")
    assert doc.get("art_1/para_1").text == "詳細は別途定めます。（１）の書類は不要です。"


@pytest.mark.parametrize("closing", ["以上", "以　上"])
def test_appendix_after_the_closing_mark(closing):
    doc = jobun.parse(f"サンプル規約\n第1条（店舗）\n店舗は別紙のとおりです。\n{closing}\n別紙　店舗一覧\n駅前店　千代田区\n")
    assert doc.get("appx_1").title == "店舗一覧"
    assert doc.get("appx_1").text == "駅前店　千代田区"


@pytest.mark.parametrize("sep", [".", "-", "．", "－"])
def test_sections_numbered_1_then_2_1_stay_sections_with_items(sep):
    text = (f"サンプルガイドライン\n1. 目的\n本ガイドラインは投稿の基準を定めます。\n2. 禁止事項\n"
            f"2{sep}1. 誹謗中傷する投稿\n2{sep}2. 宣伝目的の投稿\n3. 改定\n予告なく改定します。\n")
    doc = jobun.parse(text)
    assert [n.id for n in doc.walk()] == ["para_1", "para_2", "para_2/item_1", "para_2/item_2", "para_3"]
    assert doc.get("para_2/item_2").text == "宣伝目的の投稿"


def test_decimal_numbering_from_the_first_section_still_makes_articles():
    doc = jobun.parse("サンプル契約書\n1. 総則\n1-1. 本契約は当社に適用します。\n2. 料金\n2-1. 料金は月額千円とします。\n")
    assert [n.id for n in doc.walk() if n.kind == "article"] == ["art_1", "art_2"]
    assert doc.get("art_2/para_1").text == "料金は月額千円とします。"


@pytest.mark.parametrize("open_, close", [("【", "】"), ("［", "］")])
def test_bracketed_heading_without_number_heads_a_section_of_a_policy(open_, close):
    text = (f"個人情報の取扱いについて\n当社は次のとおり取り扱います。\n{open_}利用目的{close}\n当社は次の目的で利用します。\n"
            f"１．商品の発送\n２．ご案内\n{open_}お問い合わせ窓口{close}\n総務部までご連絡ください。\n")
    doc = jobun.parse(text)
    assert [n.id for n in doc.walk()] == ["preamble", "para_1", "para_1/item_1", "para_1/item_2", "para_2"]
    assert "".join(doc.get("para_2").text.split()) == "お問い合わせ窓口総務部までご連絡ください。"


def test_bracketed_caption_above_an_article_stays_its_caption():
    doc = jobun.parse("サンプル規約\n【目的】\n第1条 本規約は当社に適用します。\n【定義】\n第2条 用語は次のとおりです。\n")
    assert [(n.id, n.caption) for n in doc.walk() if n.kind == "article"] == [("art_1", "目的"), ("art_2", "定義")]


@pytest.mark.parametrize("footer", [["以上", "利用規約", "サイトマップ", "お問い合わせ"],
                                    ["会社概要", "採用情報", "ページトップへ", "© 2024 Sample Inc."]])
def test_site_footer_below_the_text_belongs_to_no_node(footer):
    text = "サンプル利用規約\n第1条（目的）\n本規約は当社に適用します。\n" + "\n".join(footer) + "\n"
    doc = jobun.parse(text)
    assert doc.get("art_1/para_1").text.replace("\n", "") in ("本規約は当社に適用します。", "本規約は当社に適用します。以上")


def test_short_lines_at_the_end_without_closing_mark_or_copyright_stay_text():
    text = "サンプル利用規約\n第1条（連絡先）\n連絡先は次のとおりです。\n総務部\n経理部\n法務部\n"
    doc = jobun.parse(text)
    assert "".join(doc.get("art_1/para_1").text.split()) == "連絡先は次のとおりです。総務部経理部法務部"


@pytest.mark.parametrize("caption", ["目的", "利用料金", "予約の取消し"])
def test_caption_without_brackets_on_the_line_below_the_number(caption):
    doc = jobun.parse(f"サンプル規約\n第1条\n{caption}\n本規約は当社と利用者の関係に適用します。\n第2条\n削除\n")
    assert doc.get("art_1").caption == caption
    assert doc.get("art_1/para_1").text == "本規約は当社と利用者の関係に適用します。"
    assert doc.get("art_2").caption is None and doc.get("art_2/para_1").text == "削除"


@pytest.mark.parametrize("m1, m2", [("第1項", "第2項"), ("第１項", "第２項"), ("第一項", "第二項")])
def test_numbered_kou_headings_of_a_policy(m1, m2):
    doc = jobun.parse(f"サンプルポリシー\n{m1} 取得する情報\n当社は氏名を取得します。\n{m2} 利用目的\n当社は提供に利用します。\n")
    assert [(n.id, n.num) for n in doc.walk()] == [("para_1", "1"), ("para_2", "2")]


def test_kou_reference_at_a_line_start_is_text():
    text = "サンプル規約\n第1条（変更）\n当社は変更できます。\n２　前項の変更は、同条\n第２項の定めによる。\n"
    doc = jobun.parse(text)
    assert [n.id for n in doc.walk() if n.kind == "paragraph"] == ["art_1/para_1", "art_1/para_2"]


@pytest.mark.parametrize("m1, m2", [("（１）", "（２）"), ("(1)", "(2)"), ("①", "②")])
def test_item_markers_numbering_the_sections_of_a_policy(m1, m2):
    text = (f"プライバシーポリシー\n当社は次のとおり定めます。\n{m1}取得する情報\n当社は氏名及び住所を取得します。\n"
            f"{m2}利用目的\n当社は取得した情報をサービスの提供に利用します。\n")
    doc = jobun.parse(text)
    assert [n.id for n in doc.walk()] == ["preamble", "para_1", "para_2"]


def test_item_markers_of_a_list_in_a_policy_stay_items():
    text = "プライバシーポリシー\n1. 取得する情報\n当社は次の情報を取得します。\n(1) 氏名\n(2) 住所\n2. 利用目的\n提供に利用します。\n"
    doc = jobun.parse(text)
    assert [n.id for n in doc.walk()] == ["para_1", "para_1/item_1", "para_1/item_2", "para_2"]
