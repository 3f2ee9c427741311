"""The Python API as a notebook or a tool uses it: short reprs, an HTML outline, len and iteration,
node.document, sentence texts, positions in the source file, and the names it exports."""
import warnings
from pathlib import Path

import pytest

import jobun
from jobun.io.reader import document_from_dict

RAW = Path(__file__).resolve().parent.parent / "corpus" / "raw"
TERMS = "利用規約\n第１条（目的）\r\nこの規約は、本サービスに適用する。利用者は同意する。\r\n" \
        "２ 前項の規定は、全ての利用者に適用する。\r\n第２条（定義）\r\n  本規約において「会員」とは、登録した者をいう。\r\n"


@pytest.fixture(scope="module")
def doc():
    return jobun.parse(TERMS, "terms.txt")


def test_reprs_are_one_short_line(doc):
    text = repr(doc)
    assert "\n" not in text and len(text) < 200 and "2 articles" in text and "'terms.txt'" in text
    assert repr(doc.get("art_1")) == "<Node art_1 article 第１条 '目的'>"       # the caption
    long = next(n for n in jobun.parse("第１条 " + "長い本文。" * 40) if n.text)
    assert f" '長い本文。" in repr(long) and repr(long).endswith("…'>") and len(repr(long)) < 70


def test_html_outline_shows_ids_and_captions(doc):
    page = doc._repr_html_()
    assert "<code>art_1</code> 第１条 目的" in page and "<code>art_2</code> 第２条 定義" in page
    assert page.index("art_1/para_2") < page.index("art_2")


def test_len_and_iteration_are_the_nodes_in_order(doc):
    assert [n.id for n in doc] == [n.id for n in doc.walk()]
    assert len(doc) == len(list(doc.walk())) >= 4
    assert bool(jobun.parse("")) is True


@pytest.mark.parametrize("how", ["parsed", "loaded"])
def test_every_node_knows_its_document(doc, how):
    document = doc if how == "parsed" else document_from_dict(doc.to_dict())
    assert all(node.document is document for node in document)


def test_sentence_texts(doc):
    assert doc.get("art_1/para_1").sentence_texts() == ["この規約は、本サービスに適用する。", "利用者は同意する。"]


@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r"])
def test_source_spans_find_the_text_in_the_decoded_file(newline):
    text = TERMS.replace("\r\n", "\n").replace("\n", newline)
    doc = jobun.parse(text)
    for node in doc:
        for sentence in node.sentences:
            start, end = node.source_span(sentence.span)
            assert text[start:end] == node.text[sentence.span[0]:sentence.span[1]]
    definition = doc.definitions[0]
    start, end = doc.get(definition.node).source_span(definition.span)
    assert "会員" in text[start:end]


def test_source_offsets_on_a_seed():
    path = RAW / "000_30d030d3b9d0000f.txt"
    text = path.read_text(encoding="utf-8")
    doc = jobun.parse_file(path)
    for reference in doc.references[:50]:
        start, end = doc.get(reference.source).source_span(reference.span)
        assert text[start:end].replace("\n", "") == reference.text


def test_parse_refuses_bytes_naming_parse_bytes():
    with pytest.raises(TypeError, match="parse_bytes"):
        jobun.parse(TERMS.encode("utf-8"))


def test_no_public_name_shadows_a_builtin():
    import builtins
    assert not set(jobun.__all__) & set(dir(builtins))
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        assert jobun.Warning is jobun.ParseWarning
    assert any(issubclass(w.category, DeprecationWarning) for w in caught)


def test_build_and_process_file_are_public(tmp_path):
    source = tmp_path / "in" / "terms.txt"
    source.parent.mkdir()
    source.write_text(TERMS, encoding="utf-8")
    assert jobun.process_file(str(source))["status"] == "ok"
    result = jobun.build(source.parent, tmp_path / "out", formats=("json",), quiet=True)
    assert result.exit_code == 0 and [d.source.name for d in jobun.load(tmp_path / "out")] == ["terms.txt"]


def test_package_is_typed():
    assert (Path(jobun.__file__).parent / "py.typed").is_file()
