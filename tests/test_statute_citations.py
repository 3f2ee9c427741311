"""Statute citations: law names by grammar and known titles, law numbers and e-Gov ids, aliases,
同法, 施行令/施行規則 defaults, self-citations; internal chains on statute text; lint on statutes.
Sentences are written for these tests (not taken from the development set)."""
import pytest

import jobun
from jobun.cli import main
from jobun.references import find_references
from jobun.references.lawnumbers import law_id, normalize


def externals(sentence):
    return [(r.text, r.law) for r in find_references(sentence) if r.kind == "external"]


# --- law names ----------------------------------------------------------------------------------------

@pytest.mark.parametrize("text, floor, start", [
    ("国民健康保険法第五条", 0, 0),          # the longest known title ending there
    ("国民健康保険法第五条", 2, 2),          # 健康保険法, when the name may not reach back further
    ("国民健康保険法第五条", 3, 4),          # 康保険法 is none, 保険法 is
    ("国民健康保険法第五条", 5, None),       # nor is 険法
    ("旧民法第一条", 0, 1),                  # a title of two characters
    ("会社法第二条", 0, 0),                  # and of three
    ("架空資源循環促進法第三条", 0, None),   # after 2013 or never: the grammar's to find
])
def test_known_title_ending_at_a_name(text, floor, start):
    from jobun.references.titles import titles
    end = text.index("第")
    assert titles().ending_at(text, end, floor) == start


@pytest.mark.parametrize("sentence, printed, law", [
    # short names, with and without a pointer (known titles and names after 2013 alike)
    ("この場合は、道路交通法第九十条に定めるところによる。", "道路交通法第九十条", "道路交通法"),
    ("甲は、架空資源循環促進法第３条第２項の届出をする。", "架空資源循環促進法第３条第２項", "架空資源循環促進法"),
    ("民法第５４８条の２の規定を適用する。", "民法第５４８条の２", "民法"),
    # a long name holding kana; a known title wins over the clause in front of it
    ("組合員に対する投資事業有限責任組合契約に関する法律第七条の規定", "投資事業有限責任組合契約に関する法律第七条",
     "投資事業有限責任組合契約に関する法律"),
    # the law number in brackets belongs to the citation
    ("環境基本法（平成五年法律第九十一号）第二条第三項に規定する公害", "環境基本法（平成五年法律第九十一号）第二条第三項",
     "環境基本法"),
    # orders: …に関する…を定める省令, …施行令, a 令 known by title
    ("架空設備に関する技術基準を定める省令（平成九年通商産業省令第五十二号）第四条の基準",
     "架空設備に関する技術基準を定める省令（平成九年通商産業省令第五十二号）第四条", "架空設備に関する技術基準を定める省令"),
    ("特別調達資金設置令施行令（昭和二十六年政令第二百七十一号）第三条の会計官",
     "特別調達資金設置令施行令（昭和二十六年政令第二百七十一号）第三条", "特別調達資金設置令施行令"),
    ("土地改良登記令第五条の規定による登記", "土地改良登記令第五条", "土地改良登記令"),
    # a title that holds another law's name is one name
    ("健康保険法施行令等の臨時特例に関する政令（平成二十三年政令第九号）第一条の特例",
     "健康保険法施行令等の臨時特例に関する政令（平成二十三年政令第九号）第一条", "健康保険法施行令等の臨時特例に関する政令"),
    # a 法 inside a longer word is no 方法; 土地収用法 is a law although it ends in 用法
    ("起業者は、土地収用法第三条の事業を行う。", "土地収用法第三条", "土地収用法"),
])
def test_law_name_and_pointer_are_one_reference(sentence, printed, law):
    assert (printed, law) in externals(sentence)


@pytest.mark.parametrize("sentence", [
    "政令で定める基準に従う。",
    "厚生労働省令で定めるところにより届け出る。",
    "国土交通省令・環境省令で定める書類",
    "法令に違反する行為をしてはならない。",
    "条例の定めるところによる。",
    "公権力による命令に従う。",
    "支払方法は当社の定める方法による。",
    "当社の就業規則第３条による。",
])
def test_generic_words_are_not_statutes(sentence):
    assert externals(sentence) == []


@pytest.mark.parametrize("sentence, internal", [
    ("会社法第二条及び第五条第二項の規定は、第三条に準用する。", ["第三条"]),     # 第五条第二項 is 会社法's
    ("民法第九十条（第二号を除く。）又は第九十一条の規定による。", []),          # through the bracket too
    ("前項中「第九十一条の三第一項」とあるのは「第九十二条」と読み替える。", ["前項"]),   # 読替え wording
])
def test_pointers_after_a_law_name_are_never_internal(sentence, internal):
    assert [r.text for r in find_references(sentence) if r.kind == "internal"] == internal


# --- numbers and ids ------------------------------------------------------------------------------------

@pytest.mark.parametrize("printed, number, egov_id", [
    ("平成五年法律第八十八号", "平成5年法律第88号", "405AC0000000088"),
    ("（平成15年法律第57号）", "平成15年法律第57号", "415AC0000000057"),
    ("昭和五十九年八月十日法律第六十八号", "昭和59年法律第68号", "359AC0000000068"),
    ("平成 11 年法律第 52 号", "平成11年法律第52号", "411AC0000000052"),
    ("昭和二十二年勅令第百六十五号", "昭和22年勅令第165号", "322IO0000000165"),
    ("令和元年政令第一号", "令和元年政令第1号", "501CO0000000001"),
    ("昭和二十一年十一月三日憲法", "昭和21年憲法", "321CONSTITUTION"),
    ("平成二十四年経済産業省令第七十号", "平成24年経済産業省令第70号", None),   # 省令 ids need the ministry
    ("第三条に定める", None, None),
])
def test_law_number_normalized_and_egov_id(printed, number, egov_id):
    assert normalize(printed) == number
    assert law_id(number) == egov_id


def test_number_and_id_come_from_the_bracket_or_the_known_title():
    refs = {r.law: r for r in find_references("消費税法第二条及び架空振興法（令和二年法律第十号）第三条")
            if r.kind == "external"}
    assert (refs["消費税法"].law_number, refs["消費税法"].law_id) == ("昭和63年法律第108号", "363AC0000000108")
    assert (refs["架空振興法"].law_number, refs["架空振興法"].law_id) == ("令和2年法律第10号", "502AC0000000010")


# --- aliases, 同法, defaults, this document -----------------------------------------------------------

ALIAS_DOC = ("第一条　この省令は、漁船損害等補償法（昭和二十七年法律第二十八号。以下「法」という。）第八条及び"
             "架空整備促進法（以下「整備法」という。）の施行に関し必要な事項を定める。\n"
             "第二条　法第九条の申請は、整備法第四条の書面でする。\n"
             "第三条　道路法第十八条の管理者は、同法第二十条の協議をする。\n"
             "第四条　前条の規定は、この省令第一条の場合に準用する。\n")


@pytest.mark.parametrize("node_id, printed, law", [
    ("art_1/para_1", "漁船損害等補償法（昭和二十七年法律第二十八号。以下「法」という。）第八条", "漁船損害等補償法"),
    ("art_2/para_1", "法第九条", "漁船損害等補償法"),           # an alias stands for its law
    ("art_2/para_1", "整備法第四条", "架空整備促進法"),
    ("art_3/para_1", "同法第二十条", "道路法"),                 # 同法: the law named last
])
def test_aliases_and_same_law(node_id, printed, law):
    doc = jobun.parse(ALIAS_DOC)
    ref, = [r for r in doc.references_from(node_id) if r.text == printed]
    assert (ref.kind, ref.law) == ("external", law)


def test_laws_list_and_alias_definitions():
    doc = jobun.parse(ALIAS_DOC)
    laws = {law.name: law for law in doc.laws}
    assert laws["漁船損害等補償法"].aliases == ["法"] and laws["漁船損害等補償法"].count == 2
    assert laws["漁船損害等補償法"].id == "327AC0000000028"
    assert laws["道路法"].count == 2
    assert {(d.term, d.definition, d.form) for d in doc.definitions if d.form == "law"} == {
        ("法", "漁船損害等補償法", "law"), ("整備法", "架空整備促進法", "law")}
    # この省令第一条 is this document
    ref, = [r for r in doc.references_from("art_4/para_1") if "第一条" in r.text]
    assert (ref.kind, ref.targets) == ("internal", ["art_1"])


@pytest.mark.parametrize("title, printed, law", [
    ("架空振興法施行規則", "法第三条", "架空振興法"),
    ("架空振興法施行規則", "令第二条", "架空振興法施行令"),
    ("架空振興法施行令", "法第五条", "架空振興法"),
])
def test_implementing_order_defaults(title, printed, law):
    doc = jobun.parse(f"{title}\n第一条　{printed}の届出は、書面でする。\n第二条　前条の書面は保存する。\n")
    ref, = [r for r in doc.references if r.text == printed]
    assert (ref.kind, ref.law) == ("external", law)


def test_citing_the_own_title_is_internal():
    doc = jobun.parse("架空振興法施行規則\n第一条　届出は書面でする。\n第二条　架空振興法施行規則第一条の書面は保存する。\n")
    ref, = doc.references_from("art_2/para_1")
    assert (ref.kind, ref.targets) == ("internal", ["art_1"])
    assert doc.laws == []


# --- internal chains on statute text ----------------------------------------------------------------------

CHAIN_DOC = ("第一条　甲は、届け出る。\n２　乙は、届け出る。\n"
             "第二条　次の各号に掲げる者とする。\n一　甲\n二　乙\n三　丙\n"
             "２　前項の者は、届け出る。\n３　前二項の場合に限る。\n"
             "第三条　第二条第一項（第三号を除く。）若しくは第三項、第1条2項又は第二条各号の者とする。\n")


@pytest.mark.parametrize("printed, targets", [
    ("第二条第一項", ["art_2/para_1"]),
    ("第三号", ["art_2/para_1/item_3"]),        # inside the bracket: article 2, paragraph 1's item
    ("第三項", ["art_2/para_3"]),               # after the bracket: still article 2
    ("第1条2項", ["art_1/para_2"]),             # 第 left out before the paragraph
    ("第二条各号", ["art_2"]),                  # 条各号: the article
])
def test_statute_chains(printed, targets):
    doc = jobun.parse(CHAIN_DOC)
    ref, = [r for r in doc.references_from("art_3/para_1") if r.text == printed]
    assert ref.targets == targets


@pytest.mark.parametrize("sentence, printed", [
    ("第四十五条の七及び第四十五条の十中「甲」とあるのは「乙」とする。", ["第四十五条の七", "第四十五条の十"]),
    ("第三条の二「甲」の規定", ["第三条の二"]),
])
def test_branch_numbers_before_quotes_and_naka(sentence, printed):
    assert [r.text for r in find_references(sentence)] == printed


def test_chapter_inside_a_part_is_the_own_parts():
    doc = jobun.parse("第一編　総則\n第一章　通則\n第一条　甲とする。\n第二編　各則\n第一章　雑則\n"
                      "第二条　第一章の規定は、乙に適用する。\n")
    ref, = doc.references_from("art_2/para_1")
    assert ref.targets == ["part_2/chap_1"]


# --- lint ------------------------------------------------------------------------------------------------

EXCERPT = ("第一条　この法律は、公布の日から施行する。\n第二条　前条の規定は、架空法第三条の場合に適用しない。\n"
           "　　　附　則　（平成十年法律第一号）　抄\n第一条　この法律は、公布の日から施行する。\n"
           "第五条　第九条の規定は、適用しない。\n")


def test_lint_drops_excerpt_gaps_and_counts_per_code(tmp_path, capsys):
    path = tmp_path / "excerpt.txt"
    path.write_text(EXCERPT, encoding="utf-8")
    assert main(["lint", str(path)]) == 1
    out, err = capsys.readouterr()
    assert "numbering-gap" not in out                          # 第一条 → 第五条 in a 附則 抄
    assert "架空法" not in out                                 # another law's article is no finding
    assert out.count("unresolved-reference") == 1 and "第九条" in out
    assert err.strip().endswith("unresolved-reference: 1")
    assert main(["lint", str(path), "--ignore", "unresolved-reference"]) == 0
    assert capsys.readouterr().err.strip().endswith("no findings")
