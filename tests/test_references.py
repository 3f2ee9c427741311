"""Cross-references: grammar on real sentences from the seeds, resolution on small hand-built trees,
lint findings, the Python API, and the acceptance score of the seeds against ../shared/gold."""
import importlib.util
import json
import re
from pathlib import Path

import pytest

import jobun
from jobun.model import Document, Node
from jobun.references import annotate, citation_edges, find_references, grammar, resolve_text

ROOT = Path(__file__).resolve().parent.parent
RAW = ROOT / "corpus" / "raw"
GOLD = ROOT.parent / "shared" / "gold"
SCORER = ROOT.parent / "shared" / "eval" / "score.py"


def frags(ref, i=0, end=False):
    rng = ref.ranges[i]
    return [(f.kind, f.num, f.relative, f.count) for f in (rng.end if end else rng.start)]


# --- grammar ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("sentence, printed, expected", [
    # absolute, with captions and stray spaces (seeds 000, 001, 004)
    ("第１７条（提供停止）第１項各号に該当する", "第１７条（提供停止）第１項各号",
     [("article", "17", None, None), ("paragraph", "1", None, None), ("item", None, "each", None)]),
    ("第 8 条第 2項により", "第 8 条第 2項", [("article", "8", None, None), ("paragraph", "2", None, None)]),
    ("第３３条 （責任の範囲）第 3 項第 1 号の規定", "第３３条 （責任の範囲）第 3 項第 1 号",
     [("article", "33", None, None), ("paragraph", "3", None, None), ("item", "1", None, None)]),
    ("第 4 章契約者の義務に違反", "第 4 章", [("chapter", "4", None, None)]),
    ("別紙１利用料金表", "別紙１", [("appendix", "1", None, None)]),
    # e-Gov style kanji numerals and branch numbers
    ("前条第一項第三号の規定", "前条第一項第三号",
     [("article", None, "prev", 1), ("paragraph", "1", None, None), ("item", "3", None, None)]),
    ("第十七条第二項に規定する", "第十七条第二項", [("article", "17", None, None), ("paragraph", "2", None, None)]),
    ("第二条の二第一項", "第二条の二第一項", [("article", "2_2", None, None), ("paragraph", "1", None, None)]),
    ("第三号の二に掲げる", "第三号の二", [("item", "3_2", None, None)]),
    # relative forms
    ("前 2 項の規定にかかわらず", "前 2 項", [("paragraph", None, "prev", 2)]),
    ("前各号のいずれか", "前各号", [("item", None, "prev", None)]),
    ("前各項の規定", "前各項", [("paragraph", None, "prev", None)]),
    ("次の各号のいずれかに該当する", "次の各号", [("item", None, "each", None)]),
    ("以下の各号に定める", "以下の各号", [("item", None, "each", None)]),
    ("前項各号に定める", "前項各号", [("paragraph", None, "prev", 1), ("item", None, "each", None)]),
    ("同条第２項の規定", "同条第２項", [("article", None, "same", None), ("paragraph", "2", None, None)]),
    ("（以下本条において「障害時連絡先」といいます。）", "本条", [("article", None, "this", None)]),
    ("以下この号において「不正アクセス行為」", "この号", [("item", None, "this", None)]),
    ("前条（遅延損害金）", "前条（遅延損害金）", [("article", None, "prev", 1)]),
])
def test_grammar_single_reference(sentence, printed, expected):
    refs = [r for r in find_references(sentence) if r.kind == "internal"]
    assert len(refs) == 1, refs
    ref = refs[0]
    assert ref.text == printed
    assert sentence[ref.span[0]:ref.span[1]] == printed
    assert ref.source == "" and ref.targets == []
    assert frags(ref) == expected


def test_ranges_and_lists_are_normalized():
    """Each listed element is a reference of its own; a range stays one."""
    refs = find_references("第３１条 乃至第３３条 、第４３条 乃至第４８条 及び第５３条 乃至第５６条 は有効")
    assert [r.text for r in refs] == ["第３１条 乃至第３３条", "第４３条 乃至第４８条", "第５３条 乃至第５６条"]
    assert [(frags(r)[0][1], frags(r, end=True)[0][1]) for r in refs] == [("31", "33"), ("43", "48"), ("53", "56")]
    ref, = find_references("第２条の２から第５条までの規定")
    assert ref.text == "第２条の２から第５条まで"
    assert frags(ref) == [("article", "2_2", None, None)] and frags(ref, end=True) == [("article", "5", None, None)]


def test_list_members_inherit_the_article_or_paragraph_named_first():
    refs = find_references("本条第１項、第２項、第３項の場合を除いて")
    assert [r.text for r in refs] == ["本条第１項", "第２項", "第３項"]
    assert [frags(r) for r in refs] == [
        [("article", None, "this", None), ("paragraph", str(k), None, None)] for k in (1, 2, 3)]
    refs = find_references("前項第 3号及び第 4号に定める")
    assert refs[1].text == "第 4号"
    assert frags(refs[1]) == [("paragraph", None, "prev", 1), ("item", "4", None, None)]


@pytest.mark.parametrize("sentence", [
    "第三者に開示し、第一審の専属的合意管轄裁判所とします。",
    "第１種電気通信事業者の設備",
    "この利用規約(第 1.0 版)は、平成 28 年 12 月 1 日より施行します。",
    "次の場合には、同意を得て、同様とし、以下同じとします。",
    "本サービスは同条件にて更新します。",
    "次の項目を通知します。",
])
def test_non_references(sentence):
    assert [r for r in find_references(sentence) if r.kind == "internal"] == []


@pytest.mark.parametrize("sentence, law, pointer", [
    ("当社は、電気通信事業法第８条の規定に基づき", "電気通信事業法", "8"),
    ("消費税法（昭和 63 年法律第 108 号）に基づき", "消費税法", None),
    ("特定電気通信役務提供者の損害賠償責任の制限及び発信者情報の開示に関する法律（平成 13年法律第 137 号）第４条に基づく",
     "特定電気通信役務提供者の損害賠償責任の制限及び発信者情報の開示に関する法律", "4"),
    ("「個人情報の保護に関する法律」（以下「法」といいます。）第 2 条に定める", "個人情報の保護に関する法律", "2"),
    ("当社は、児童買春、児童ポルノに係る行為等の処罰及び児童の保護等に関する法律（平成 11 年法律第 52 号）において",
     "児童買春、児童ポルノに係る行為等の処罰及び児童の保護等に関する法律", None),
    ("（２）前号に定める他、個人情報保護法に関連する法令等", "個人情報保護法", None),
    ("公知である等不正競争防止法上の「営業秘密」", "不正競争防止法", None),
    ("端末設備等規則（昭和 60 年郵政省令第 31 号）に適合", "端末設備等規則", None),
    ("個人情報の保護に関する法律施行令（改正された場合には改正後のものを含む）", "個人情報の保護に関する法律施行令", None),
])
def test_statutes_are_external_and_their_articles_never_internal(sentence, law, pointer):
    refs = find_references(sentence)
    external = [r for r in refs if r.kind == "external"]
    assert [r.law for r in external] == [law]
    # 法律第１０８号 is no item, 法第８条 no article of this document
    assert [r.text for r in refs if r.kind == "internal"] in ([], ["前号"])
    if pointer:
        assert ("article", pointer) in [(f.kind, f.num) for f in external[0].ranges[0].start]


def test_statute_lists_and_same_law():
    refs = find_references("法令等（刑事訴訟法、弁護士法、特定電気通信役務提供者の損害賠償責任の制限および発信者情報の開示に関する法律を含む）")
    assert [r.law for r in refs] == ["刑事訴訟法", "弁護士法",
                                    "特定電気通信役務提供者の損害賠償責任の制限および発信者情報の開示に関する法律"]
    refs = find_references("風俗営業等の規制及び業務の適正化等に関する法律又はインターネット異性紹介事業を利用して児童を誘引する行為の規制等に関する法律の定め")
    assert [r.law for r in refs] == ["風俗営業等の規制及び業務の適正化等に関する法律",
                                    "インターネット異性紹介事業を利用して児童を誘引する行為の規制等に関する法律"]
    same = [r for r in find_references("同法第五条の規定") if r.kind == "external"]
    assert len(same) == 1 and same[0].text == "同法第五条"


@pytest.mark.parametrize("sentence", ["算定方法は別途定めます", "電磁的方法により", "法人である契約者", "法令に基づく",
                                      "日本法を適用", "法律上の責任", "日本国の諸法令、諸規則に準拠し、同法に基づいて"])
def test_generic_words_are_not_statutes(sentence):
    assert [r for r in find_references(sentence) if r.kind == "external"] == []


def test_other_documents():
    refs = find_references("本サービスには通信サービスの利用規約が適用されます。")
    assert [(r.kind, r.law) for r in refs] == [("document", "通信サービスの利用規約")]
    refs = find_references("「スマートコネクト マネージドサーバＤＮＳサービス契約」を管理します")
    assert [(r.kind, r.law) for r in refs] == [("document", "スマートコネクト マネージドサーバＤＮＳサービス契約")]
    assert find_references("本利用規約及び他利用規約等に定める") == []


@pytest.mark.parametrize("text", [
    "第十条の規定", "第２条の２第１項第３号に", "前条第二項の", "同項第一号に", "この条において", "前２項の",
    "前各項の", "第五条第三号イ", "第二条の二、第三条", "第十条及び第十一条", "第十八条（見出し）第二項",
    "第三条から第五条まで", "前項第二項", "当該条項", "第一項各号", "第三条約", "第十条 第二項", "第7条2項",
    "第一号の二から", "第二条", "前項", "第四章第十八条の", "第三条第一項、前条第二項又は第五条の",
    "同条第二項及び第三項（", "第一条第二項から第四項まで", "次条各号"])
def test_one_match_reads_a_chain_as_the_general_path_does(text, monkeypatch):
    """The common elements are read in one match (_SIMPLE_ELEMENT); every chain, its elements read
    so or not, must come out as the step-by-step reading has it."""
    quick = grammar.parse_chain(text, 0)
    monkeypatch.setattr(grammar, "_SIMPLE_ELEMENT", re.compile("(?!)"))      # matches nowhere
    assert repr(quick) == repr(grammar.parse_chain(text, 0))


# --- resolution on hand-built trees ------------------------------------------------------------------

def build(spec, title="テスト規約"):
    """spec: {article num: [paragraph text or (paragraph text, [item texts])]} → Document with ids."""
    doc = Document(title=title)
    for num, paras in spec.items():
        art = Node("article", id=f"art_{num}", num=str(num), caption=f"見出し{num}")
        doc.children.append(art)
        for k, para in enumerate(paras, 1):
            text, items = para if isinstance(para, tuple) else (para, [])
            p = Node("paragraph", id=f"{art.id}/para_{k}", num=str(k), text=text, parent=art, lines=(k, k))
            art.children.append(p)
            for j, item_text in enumerate(items, 1):
                p.children.append(Node("item", id=f"{p.id}/item_{j}", num=str(j), text=item_text, parent=p,
                                       lines=(k, k)))
    return doc


@pytest.fixture
def small():
    return build({
        1: ["第３条第２項の規定による。"],
        2: [("次の各号のいずれかに該当するとき", ["一", "前号に準ずるとき", "前各号のほか、本項第１号に掲げる場合"]),
            "前項各号に定めるほか、前項第１号及び第２号の場合",
            "前２項の規定は、前条及び次条に準用し、同条第１項も同様とする。"],
        3: ["第１条から前条までの規定", "前項に定める。本条は有効。第 1 項各号に準ずる。", "前各項の規定は第９条による。"],
    })


@pytest.mark.parametrize("node_id, printed, targets", [
    ("art_1/para_1", "第３条第２項", ["art_3/para_2"]),
    ("art_2/para_1", "次の各号", ["art_2/para_1"]),
    ("art_2/para_1/item_2", "前号", ["art_2/para_1/item_1"]),
    ("art_2/para_1/item_3", "前各号", ["art_2/para_1/item_1", "art_2/para_1/item_2"]),
    ("art_2/para_1/item_3", "本項第１号", ["art_2/para_1/item_1"]),
    ("art_2/para_2", "前項各号", ["art_2/para_1"]),
    ("art_2/para_2", "前項第１号", ["art_2/para_1/item_1"]),
    ("art_2/para_2", "第２号", ["art_2/para_1/item_2"]),     # 前項 inherited from the element before
    ("art_2/para_3", "前２項", ["art_2/para_1", "art_2/para_2"]),
    ("art_2/para_3", "前条", ["art_1"]),                       # each relative word is a reference
    ("art_2/para_3", "次条", ["art_3"]),
    ("art_2/para_3", "同条第１項", ["art_3/para_1"]),          # 同条 = the article named last (次条)
    ("art_3/para_1", "第１条から前条まで", ["art_1", "art_2"]),
    ("art_3/para_2", "前項", ["art_3/para_1"]),
    ("art_3/para_2", "本条", ["art_3"]),
    ("art_3/para_2", "第 1 項各号", ["art_3/para_1"]),
    ("art_3/para_3", "前各項", ["art_3/para_1", "art_3/para_2"]),
])
def test_resolution(small, node_id, printed, targets):
    annotate(small)
    refs = [r for r in small.references_from(node_id) if r.text == printed]
    assert refs, [r.text for r in small.references_from(node_id)]
    assert refs[0].targets == targets and refs[0].kind == "internal"


@pytest.mark.parametrize("node_id, printed, targets", [
    ("art_2/para_1", "同項", ["art_1/para_2"]),       # the paragraph 第１条第２項 named
    ("art_2/para_2", "同条", ["art_1"]),              # 前項 names no article: 第１条 (paragraph 1) still holds
    ("art_2/para_3", "同項", ["art_2/para_1"]),       # 前条 names no paragraph: 前項 (paragraph 2) still holds
    ("art_3/para_1", "同条", ["art_3"]),              # a new article: nothing named yet, this one
])
def test_same_means_what_was_named_last(node_id, printed, targets):
    doc = build({
        1: ["第一項", "第二項"],
        2: ["第１条第２項の規定により、同項の定めるところによる。", "前項の規定は、同条の規定に従う。",
            "前条の規定は、同項による。"],
        3: ["同条の規定による。"],
    })
    annotate(doc)
    refs = [r for r in doc.references_from(node_id) if r.text == printed]
    assert refs and refs[0].targets == targets, [(r.text, r.targets) for r in doc.references_from(node_id)]


def test_unresolved_reference_is_reported(small):
    annotate(small)
    ref, = [r for r in small.references_from("art_3/para_3") if r.text == "第９条"]
    assert ref.kind == "unresolved" and ref.targets == []
    assert any(w.code == "unresolved-reference" and "第９条" in w.message and w.line == 3 for w in small.warnings)


def test_appendix_without_appendix_is_unresolved():
    doc = build({1: ["別紙（料金表）に定める料金"]})
    annotate(doc)
    ref, = doc.references
    assert ref.kind == "unresolved" and ref.text.startswith("別紙")


def test_caption_mismatch_is_reported_whitespace_insensitively():
    doc = build({1: ["第２条（見出し 2）及び第３条（別の見出し）の規定"], 2: ["x"], 3: ["y"]})
    annotate(doc)
    mismatches = [w for w in doc.warnings if w.code == "caption-mismatch"]
    assert len(mismatches) == 1 and "別の見出し" in mismatches[0].message and "art_3" in mismatches[0].message


def test_second_instrument_and_its_reference_to_the_main_one():
    doc = build({8: ["x", ("次の各号の事由", ["a", "b"])]}, title="サービス契約約款")
    second = Node("document", id="doc_2", title="サービス利用規則")
    doc.children.append(second)
    for k, text in ((4, "特別アカウント"), (5, "前条に定めるほか、本約款第 8 条第 2 項各号に掲げる事由")):
        art = Node("article", id=f"doc_2/art_{k}", num=str(k), parent=second)
        art.children.append(Node("paragraph", id=f"{art.id}/para_1", num="1", text=text, parent=art))
        second.children.append(art)
    annotate(doc)
    got = {r.text: r.targets for r in doc.references_from("doc_2/art_5/para_1")}
    assert got == {"前条": ["doc_2/art_4"], "本約款第 8 条第 2 項各号": ["art_8/para_2"]}


def test_statute_article_does_not_resolve_internally():
    doc = build({8: ["電気通信事業法第８条の規定に基づき"]})
    annotate(doc)
    ref, = doc.references
    assert (ref.kind, ref.law, ref.targets) == ("external", "電気通信事業法", [])



@pytest.mark.parametrize("second, expected", [
    ("同項の規定に従い提供する。", ("external", "個人情報保護法", [])),      # the statute's paragraph
    ("同条の規定に従い提供する。", ("external", "個人情報保護法", [])),
    ("同号の場合を除く。", ("unresolved", None, [])),                      # no item was cited
])
def test_same_after_a_statute_citation_names_the_statute(second, expected):
    doc = jobun.parse("第１条　当社は定める。\n２　当社は通知する。\n"
                      f"第２条　第１条第２項に定めるほか、個人情報保護法第２３条第１項に該当するときは、{second}\n")
    refs = [(r.kind, r.law, r.targets) for r in doc.references if r.text.startswith("同")]
    assert refs == [expected]


def test_same_after_an_internal_citation_stays_internal():
    doc = jobun.parse("第１条　当社は定める。\n２　当社は通知する。\n"
                      "第２条　個人情報保護法に基づき、第１条第２項に定めるときは、同項の規定による。\n")
    refs = [(r.kind, r.targets) for r in doc.references if r.text == "同項"]
    assert refs == [("internal", ["art_1/para_2"])]



SUPPL_DOC = ("第一条　この法律は、附則第二条及び第三条の規定による。\n第二条　本則の条である。\n"
             "第三条　附則第二条から第三条までの規定を準用する。\n第四条　本則の条である。\n　　　附　則\n"
             "（施行期日）\n第一条　公布の日から施行する。\n第二条　経過措置を定める。\n"
             "第三条　附則第四条の規定を準用する。\n")


@pytest.mark.parametrize("source, printed, targets", [
    ("art_1/para_1", "第三条", ["suppl_1/art_3"]),           # 附則第二条及び第三条: the 附則 carries over
    ("art_3/para_1", "附則第二条から第三条まで", ["suppl_1/art_2", "suppl_1/art_3"]),
    ("suppl_1/art_3/para_1", "附則第四条", []),     # not the main text's article 4
])
def test_suppl_prefix_carries_over_lists_and_ranges(source, printed, targets):
    doc = jobun.parse(SUPPL_DOC)
    ref, = [r for r in doc.references if r.source == source and r.text == printed]
    assert ref.targets == targets



@pytest.mark.parametrize("sentence, printed, subitems", [
    ("前号イからハまでに掲げる者", "前号イからハまで", [("1", "3")]),
    ("前項第二号イ又はロに該当する者", "前項第二号イ|ロ", [("1", None), ("2", None)]),
    ("第二号イ、ロ及びハの場合", "第二号イ|ロ|ハ", [("1", None), ("2", None), ("3", None)]),
])
def test_bare_kana_after_a_subitem_continues_the_chain(sentence, printed, subitems):
    refs = find_references(sentence)
    assert "|".join(r.text for r in refs) == printed
    ranges = [rng for r in refs for rng in r.ranges]
    assert [(r.start[-1].num, r.end[-1].num if r.end else None) for r in ranges] == subitems
    assert all(r.start[-2].kind == "item" for r in ranges)        # each takes the item along


def test_suppl_paragraph_reference_from_the_main_text():
    doc = jobun.parse("第一条　附則第二項に定める日から適用する。\n２　当社は定める。\n　　　附　則\n"
                      "１　公布の日から施行する。\n２　前項の規定にかかわらず、別に定める。\n")
    ref, = [r for r in doc.references if r.text == "附則第二項"]
    assert ref.targets == ["suppl_1/para_2"]       # not this article's paragraph 2


# --- Python API and CLI -------------------------------------------------------------------------------

def test_public_api(small):
    annotate(small)
    assert jobun.find_references("前条第２項")[0].text == "前条第２項"
    assert small.resolve("第３条第２項").id == "art_3/para_2"
    assert small.resolve("前項", context="art_3/para_2").id == "art_3/para_1"
    assert small.resolve("第二条第一項第二号").id == "art_2/para_1/item_2"
    assert resolve_text(small, "第９条") is None
    assert {r.source for r in small.references_to("art_3/para_2")} == {"art_1/para_1", "art_3/para_3"}
    edges = citation_edges(small)
    assert {"from": "art_1/para_1", "to": "art_3/para_2", "text": "第３条第２項", "kind": "internal"} in edges


def test_parse_end_to_end_on_statute_text():
    text = ("第一条　この法律は、目的を定める。\n"
            "第二条　この法律において、次の各号に掲げる用語の意義は、当該各号に定めるところによる。\n"
            "一　甲\n二　乙\n"
            "２　前項第一号及び第二号に規定するもののほか、民法第九十条の規定を準用する。\n"
            "第三条　第一条から前条までの規定は、同法第五条の場合に準用する。\n")
    doc = jobun.parse(text)
    got = {(r.source, r.text): (r.kind, r.targets, r.law) for r in doc.references}
    assert got[("art_2/para_1", "次の各号")] == ("internal", ["art_2/para_1"], None)
    assert got[("art_2/para_2", "前項第一号")][1] == ["art_2/para_1/item_1"]
    assert got[("art_2/para_2", "第二号")][1] == ["art_2/para_1/item_2"]
    assert got[("art_2/para_2", "民法第九十条")] == ("external", [], "民法")
    assert got[("art_3/para_1", "第一条から前条まで")][1] == ["art_1", "art_2"]
    assert got[("art_3/para_1", "同法第五条")] == ("external", [], "民法")


# --- seeds -------------------------------------------------------------------------------------------

def test_seed_002_caption_mismatch_is_linted():
    doc = jobun.parse_file(RAW / "002_125b29d274b3c27b.txt")
    found = [w for w in doc.warnings if w.code == "caption-mismatch"]
    assert len(found) == 1 and found[0].line == 309 and "ソフトウェア等の著作権等" in found[0].message


def test_seeds_without_caption_mismatch_report_none():
    for name in ("000_30d030d3b9d0000f", "001_11a274a4dd7aca4a", "003_d3890c41cd2197f5", "004_714f0646c96aa16f"):
        doc = jobun.parse_file(RAW / f"{name}.txt")
        assert not [w for w in doc.warnings if w.code == "caption-mismatch"], name


def _load_scorer():
    spec = importlib.util.spec_from_file_location("gold_score", SCORER)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def score_seeds():
    """refs_internal_f1 / refs_external_f1 per seed against ../shared/gold (the project's scorer)."""
    scorer = _load_scorer()
    rows = {}
    for gold_path in sorted(GOLD.glob("*.json")):
        gold = json.loads(gold_path.read_text(encoding="utf-8"))
        pred = jobun.parse_file(RAW / f"{gold_path.stem}.txt").to_dict()
        rows[gold_path.stem] = scorer.score(gold, pred)
    return rows


@pytest.mark.skipif(not GOLD.is_dir() or not SCORER.is_file(), reason="../shared/gold is not present")
def test_acceptance_reference_scores_on_the_seeds():
    rows = score_seeds()
    internal = sum(r["refs_internal_f1"] for r in rows.values()) / len(rows)
    external = sum(r["refs_external_f1"] for r in rows.values()) / len(rows)
    assert internal >= 0.95, {k: r["refs_internal_f1"] for k, r in rows.items()}
    assert external >= 0.85, {k: r["refs_external_f1"] for k, r in rows.items()}


def test_suppl_reference_inside_a_suppl_block_points_into_that_block():
    import jobun
    text = ("第一条 甲。\n第二条 乙。\n附　則\n第一条 この法律は、公布の日から施行する。\n"
            "附　則　（平成十六年法律第七十六号）\n第一条 この法律は、公布の日から施行する。ただし、附則第二条の規定は、翌日から施行する。\n"
            "第二条 経過措置は政令で定める。\n")
    doc = jobun.parse(text)
    assert [(r.text, r.targets) for r in doc.references] == [("附則第二条", ["suppl_2/art_2"])]


@pytest.mark.parametrize("printed", ["第２条各号", "前条各号"])
def test_article_each_items_points_at_the_article(printed):
    """第Ｎ条各号 / 前条各号 name the article (as the e-Gov development gold does); 第Ｎ条第Ｍ項各号
    names the paragraph that holds the items."""
    import jobun
    doc = jobun.parse("第２条 契約者は、次の各号の行為をしてはならない。\n（１）法令違反\n（２）その他\n"
                      f"第３条 当社は、{printed}のいずれかに該当するとき、利用を停止できる。\n")
    assert [(r.text, r.targets) for r in doc.references_from("art_3/para_1")] == [(printed, ["art_2"])]
