"""e-Gov 法令標準XML in and out: the sample law's tree, round trips XML → Document → XML and
text → Document → XML → Document, validity against the XSD, safe parsing and the command line."""
import json
import subprocess
import sys
from pathlib import Path

import pytest
from lxml import etree

import jobun
from jobun.cli import main
from jobun.errors import InputError
from jobun.io import egov_safe

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data"
EGOV = DATA / "egov"
SAMPLE = EGOV / "405AC0000000088_20240401_504AC0100000052.xml"
SMALL = EGOV / "small_law.xml"
DEV_TEXT = ROOT.parent / "shared" / "dev" / "egov" / "text"
TEXT_INPUTS = sorted((ROOT / "corpus" / "raw").glob("*.txt")) + sorted(DATA.glob("*.txt")) \
    + sorted(DEV_TEXT.glob("*.txt"))

# What the Document does not keep, so an XML → Document → XML round trip cannot give it back:
# the promulgation date the law number does not print, the title's reading and abbreviation,
# and Ruby readings (the text keeps the base characters as printed).
LOST_ATTRIBUTES = {"Law": {"PromulgateMonth", "PromulgateDay"}, "LawTitle": {"Kana", "Abbrev", "AbbrevKana"}}
LOST_ELEMENTS = {"Rt"}
UNWRAPPED_ELEMENTS = {"Ruby"}


@pytest.fixture(scope="module")
def schema():
    return etree.XMLSchema(etree.parse(str(EGOV / "egov-law-v3.xsd")))


@pytest.fixture(scope="module")
def sample():
    return jobun.parse_file(SAMPLE)


def key(doc):
    return [(n.id, n.kind, n.num, n.text) for n in doc.walk()]


def test_sample_main_provision_and_supplementary_blocks(sample):
    main_nodes = [n for n in sample.walk() if not n.id.startswith("suppl_")]
    counts = {kind: sum(1 for n in main_nodes if n.kind == kind) for kind in ("article", "paragraph", "item")}
    assert counts == {"article": 48, "paragraph": 105, "item": 92}
    assert sum(1 for n in main_nodes if n.kind == "subitem" and n.parent.kind == "item") == 14
    suppl = [n for n in sample.children if n.kind == "supplementary"]
    assert [n.id for n in suppl] == [f"suppl_{k}" for k in range(1, 15)]
    assert (sample.title, sample.law_number) == ("行政手続法", "平成五年法律第八十八号")
    assert sample.get("chap_4_2").title == "処分等の求め"
    assert sample.get("chap_3/sec_2").title == "聴聞"
    art = sample.get("art_36_3")
    assert (art.num, art.label, art.parent.id) == ("36_3", "第三十六条の三", "chap_4_2")
    item = sample.get("art_2/para_1/item_4")
    assert item.text.startswith("不利益処分\u3000行政庁が") and item.text.endswith("ものを除く。")
    assert [c.label for c in item.children] == ["イ", "ロ", "ハ", "ニ"]
    assert suppl[1].title == "平成一一年一二月八日法律第一五一号" and suppl[1].label == "附\u3000則\u3000抄"
    assert sample.get("suppl_1/para_1").caption == "施行期日"


def test_references_sentences_and_glossary_run_on_imported_xml(sample):
    refs = sample.references_from("art_2/para_1/item_8/sub_1")
    assert [(r.text, r.kind, r.targets) for r in refs] == [("次条第二項", "internal", ["art_3/para_2"])]
    assert all(n.sentences for n in sample.walk() if n.text)
    assert "法令" in {d.term for d in sample.definitions}


def _canonical(el):
    """Element tree after whitespace normalisation, without what the Document does not keep."""
    tag = el.tag
    attrs = {k: v for k, v in el.attrib.items() if k not in LOST_ATTRIBUTES.get(tag, ())}
    text = "".join(el.text.split()) if el.text else ""
    children = []
    for child in el:
        if child.tag in LOST_ELEMENTS:
            text_tail = child.tail
        elif child.tag in UNWRAPPED_ELEMENTS:
            inner = _canonical(child)
            text += inner[2] + "".join(c[2] for c in inner[3])
            text_tail = child.tail
        else:
            children.append(_canonical(child))
            text_tail = child.tail
        if text_tail:
            if children:
                children[-1] = children[-1][:4] + (children[-1][4] + "".join(text_tail.split()),)
            else:
                text += "".join(text_tail.split())
    return (tag, attrs, text, children, "")


@pytest.mark.parametrize("path", [SAMPLE, SMALL], ids=lambda p: p.stem)
def test_xml_document_xml_gives_the_same_element_tree(path, schema):
    original = etree.parse(str(path)).getroot()
    written = etree.fromstring(jobun.to_egov_xml(jobun.parse_file(path)))
    schema.assertValid(written)
    assert _canonical(written) == _canonical(original)


@pytest.mark.parametrize("path", TEXT_INPUTS, ids=lambda p: p.stem)
def test_text_document_xml_document_keeps_ids_kinds_nums_texts(path, schema):
    doc = jobun.parse_file(path)
    data = jobun.to_egov_xml(doc)
    schema.assertValid(etree.fromstring(data))
    back = jobun.parse_egov_xml(data)
    assert [x[:3] for x in key(back)] == [x[:3] for x in key(doc)]
    for before, after in zip(doc.walk(), back.walk()):
        # the schema has no text slot in a heading: own text the parser left on a container or a
        # 附則 heading (a stray caption or TOC line) is the one thing dropped
        expected = "" if before.kind in ("part", "chapter", "section", "subsection", "division",
                                         "supplementary") else before.text
        assert (after.id, after.text) == (before.id, expected)
        assert (after.label, after.caption, after.title) == (before.label, before.caption, before.title)
    assert back.title == doc.title


@pytest.mark.parametrize("path", [SMALL, DATA / "statute_egov.txt"], ids=lambda p: p.stem)
def test_text_in_egov_layout_parses_back_to_the_same_tree(path):
    doc = jobun.parse_file(path)
    back = jobun.parse(jobun.to_egov_text(doc))
    assert key(back) == key(doc)
    assert back.title == doc.title


def test_sample_as_egov_text_parses_back_in_its_main_provision(sample):
    back = jobun.parse(jobun.to_egov_text(sample))
    main_of = lambda d: [k for k in key(d) if not k[0].startswith("suppl_")]   # noqa: E731
    assert main_of(back) == main_of(sample)
    assert len([n for n in back.children if n.kind == "supplementary"]) == 14


def test_private_document_is_misc_with_its_title(schema):
    doc = jobun.parse("サービス利用規約\n第１条（目的）\n本規約は、本サービスの利用条件を定める。\n")
    law = etree.fromstring(jobun.to_egov_xml(doc))
    schema.assertValid(law)
    assert law.get("LawType") == "Misc" and law.findtext("LawNum") == ""
    assert law.findtext("LawBody/LawTitle") == "サービス利用規約"
    assert law.find("LawBody/MainProvision/Article/ArticleCaption").text == "（目的）"


def test_characters_xml_cannot_carry_become_replacement_characters(schema):
    doc = jobun.parse("規約\n第１条 本規約は\x0bページ送りを含む。\n")
    law = etree.fromstring(jobun.to_egov_xml(doc))
    schema.assertValid(law)
    assert law.findtext(".//Sentence") == "本規約は\ufffdページ送りを含む。"


@pytest.mark.parametrize("law_number, attrs", [
    ("（平成十五年法律第五十七号）", {"Era": "Heisei", "Year": "15", "Num": "057", "LawType": "Act"}),
    ("昭和四十五年十二月十日政令第三百三十五号",
     {"Era": "Showa", "Year": "45", "Num": "335", "LawType": "CabinetOrder", "PromulgateMonth": "12",
      "PromulgateDay": "10"}),
    ("令和元年総務省令第一号", {"Era": "Reiwa", "Year": "01", "Num": "001", "LawType": "MinisterialOrdinance"}),
    ("第三号", {"Era": "Reiwa", "Year": "1", "Num": "1", "LawType": "Misc"}),
])
def test_law_attributes_come_from_the_law_number(law_number, attrs):
    doc = jobun.parse("何々法\n第一条　この法律は、何々を定める。\n")
    doc.law_number = law_number
    law = etree.fromstring(jobun.to_egov_xml(doc))
    assert {k: law.get(k) for k in attrs} == attrs
    assert law.findtext("LawNum") == law_number.strip("（）")


@pytest.mark.parametrize("encoding", ["utf-8", "shift_jis", "euc-jp", "utf-16"])
def test_any_encoding_is_read(encoding, sample):
    text = SAMPLE.read_text(encoding="utf-8").replace('encoding="utf-8"', f'encoding="{encoding}"')
    doc = jobun.parse_bytes(text.encode(encoding))
    assert key(doc) == key(sample) and doc.source.encoding == encoding


def test_pretty_printed_xml_gives_the_same_tree_and_its_own_line_numbers(sample):
    pretty = etree.tostring(etree.parse(str(SAMPLE)), pretty_print=True, xml_declaration=True, encoding="utf-8")
    doc = jobun.parse_egov_xml(pretty)
    assert key(doc) == key(sample) and doc.toc == sample.toc
    lines = pretty.decode("utf-8").splitlines()
    assert lines[doc.get("art_2").lines[0] - 1].strip() == '<Article Num="2">'
    assert lines[doc.get("art_5").lines[0]].strip() == "<ArticleCaption>（審査基準）</ArticleCaption>"


BILLION_LAUGHS = ('<?xml version="1.0"?><!DOCTYPE Law [<!ENTITY a "aaaaaaaaaa">'
                  + "".join(f'<!ENTITY {c} "{("&" + p + ";") * 10}">' for p, c in zip("abcdefgh", "bcdefghi"))
                  + ']><Law><LawNum>&i;</LawNum><LawBody/></Law>')
EXTERNAL_ENTITY = ('<?xml version="1.0"?><!DOCTYPE Law [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
                   '<Law><LawNum>&x;</LawNum><LawBody><LawTitle>&x;</LawTitle></LawBody></Law>')
DEEP = "<Law><LawNum/><LawBody><MainProvision>" + "<Chapter Num=\"1\"><ChapterTitle>第一章</ChapterTitle>" * 120 \
    + "</Chapter>" * 120 + "</MainProvision></LawBody></Law>"


@pytest.mark.parametrize("content, message", [
    (BILLION_LAUGHS.encode(), "document type declaration"),
    (EXTERNAL_ENTITY.encode(), "document type declaration"),
    (EXTERNAL_ENTITY.encode("utf-16"), "document type declaration"),
    (DEEP.encode(), "nested deeper"),
    (b"<?xml version='1.0'?><Law><LawBody>", "not well-formed"),
    (b"<?xml version='1.0'?><html/>", "not e-Gov's <Law>"),
], ids=["billion-laughs", "external-entity", "external-entity-utf16", "too-deep", "truncated", "other-root"])
def test_unsafe_or_foreign_xml_is_refused_with_one_line(tmp_path, capsys, content, message):
    path = tmp_path / "law.xml"
    path.write_bytes(content)
    assert main(["parse", str(path)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and message in err and str(path) in err


def test_size_bound(monkeypatch):
    monkeypatch.setattr(egov_safe, "MAX_BYTES", 1000)
    with pytest.raises(InputError, match="larger than"):
        jobun.parse_egov_xml(SAMPLE.read_bytes())


@pytest.mark.parametrize("data, is_xml", [
    (b"<?xml version='1.0'?><Law/>", True), (b"\xef\xbb\xbf  <Law>", True), ("<Law>".encode("utf-16"), True),
    ("第１条 <Law> は".encode(), False), (b"<1> first item", False), (b"", False),
])
def test_xml_is_recognized_by_its_content(data, is_xml):
    assert egov_safe.looks_like_xml(data) is is_xml


@pytest.mark.parametrize("fmt, check", [
    ("egov-xml", lambda out: etree.fromstring(out).tag == "Law"),
    ("text", lambda out: out.decode("utf-8").startswith("行政手続法\n（平成五年法律第八十八号）\n")),
])
def test_cli_export(tmp_path, fmt, check):
    out = tmp_path / "out"
    assert main(["export", str(SAMPLE), "--to", fmt, "-o", str(out)]) == 0
    assert check(out.read_bytes())


def test_build_accepts_xml_among_text(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "law.xml").write_bytes(SMALL.read_bytes())
    (raw / "terms.txt").write_text("利用規約\n第１条（目的）\n本規約は、利用条件を定める。\n", encoding="utf-8")
    # a child process: the build's progress stream is bound when jobun.corpus is first imported
    run = subprocess.run([sys.executable, "-m", "jobun.cli", "build", str(raw), "-o", str(tmp_path / "out"),
                          "-j", "1", "-q"], capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    law = json.loads((tmp_path / "out" / "law.json").read_text(encoding="utf-8"))
    assert law["title"] == "試験用図書管理法" and law["children"][1]["id"] == "chap_1"
