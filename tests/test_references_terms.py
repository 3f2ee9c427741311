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
