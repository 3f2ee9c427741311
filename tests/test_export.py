"""The JSON writer: the very bytes of the stdlib's json.dumps(ensure_ascii=False, indent=…)."""
import io
import json
from pathlib import Path

import pytest

import jobun
from jobun.io.export import compact_json_bytes, dumps, indented_document_bytes, write_document

ROOT = Path(__file__).resolve().parent.parent
TEXTS = sorted((ROOT / "corpus" / "raw").glob("*.txt")) + sorted((ROOT / "tests" / "data").glob("*.txt"))


@pytest.mark.parametrize("path", TEXTS, ids=lambda p: p.name)
@pytest.mark.parametrize("indent", [None, 1, 2])
def test_document_json_is_the_stdlib_text(path, indent):
    data = jobun.parse_file(path).to_dict()
    assert dumps(data, indent=indent) == stdlib(data, indent)


def stdlib(data, indent):
    """The stdlib's text: indented as asked, or compact without the blanks after , and :"""
    separators = (",", ":") if indent is None else None
    return json.dumps(data, ensure_ascii=False, indent=indent, separators=separators)


@pytest.mark.parametrize("value", [
    {}, [], "", {"a": [], "b": {}, "c": [True, False, None, 0, -3, 2.5, float("nan")]},
    ["改行\n", "制御\x01\x1f", "引用\"\\", "\u2028\u2029", "é", "\ud800"], [[1, [2, [3, []]]]],
    {"a": (1, 2), "b": ("x", (3,), ())},
])
def test_edge_values(value):
    assert dumps(value) == json.dumps(value, ensure_ascii=False, indent=1)


def test_tokens_are_written_alike():
    data = jobun.parse("第１条（目的）\n本規約は、当社のサービスに適用されます。\n", tokens=True).to_dict()
    assert dumps(data) == json.dumps(data, ensure_ascii=False, indent=1)


@pytest.mark.parametrize("path", TEXTS[:3] + TEXTS[-2:], ids=lambda p: p.name)
@pytest.mark.parametrize("indent", [None, 1])
def test_written_document_is_the_stdlib_text(path, indent):
    doc = jobun.parse_file(path)
    out = io.BytesIO()
    write_document(doc, out, indent=indent)
    expected = stdlib(doc.to_dict(), indent) + "\n"
    assert out.getvalue().decode("utf-8") == expected


# Indented output comes from orjson's, its two-space indentation halved, wherever no string holds
# two spaces in a row; the rest (and everything without orjson) from the writer's own printer.
SPACED = "第１条（目的  範囲）\n本規約は、当社の  サービス  に適用されます。\n第２条\n利用者は、本規約に従う。\n"


@pytest.mark.parametrize("orjson", [True, False], ids=["orjson", "no-orjson"])
@pytest.mark.parametrize("text, tokens", [(SPACED, False), (SPACED, True), (TEXTS[0].read_text(encoding="utf-8"), False)],
                         ids=["two-spaces", "two-spaces-tokens", "seed"])
def test_both_printers_write_the_stdlib_text(text, tokens, orjson, monkeypatch):
    if not orjson:
        monkeypatch.setattr("jobun.io.export._orjson", lambda: None)
    doc = jobun.parse(text, tokens=tokens)
    out = io.BytesIO()
    write_document(doc, out)
    expected = json.dumps(doc.to_dict(), ensure_ascii=False, indent=1)
    assert out.getvalue().decode("utf-8") == expected + "\n"
    assert indented_document_bytes(doc.to_dict()) == out.getvalue()
    assert (b"  " in compact_json_bytes(doc.to_dict())) == (text is SPACED)    # which printer it took


@pytest.mark.parametrize("indent", [None, 1, 2])
def test_to_json_is_the_stdlib_text(indent):
    doc = jobun.parse(SPACED + TEXTS[1].read_text(encoding="utf-8"))
    assert doc.to_json(indent=indent) == stdlib(doc.to_dict(), indent)


def test_to_json_of_a_loaded_document_with_a_lone_surrogate_is_the_stdlib_text():
    from jobun.io.reader import document_from_dict
    data = jobun.parse("第１条（目的）\n本規約は、当社のサービスに適用されます。\n").to_dict()
    data["title"] = "規約\udc80"                 # json.loads of "\udc80" gives one
    doc = document_from_dict(data)
    assert doc.to_json() == stdlib(doc.to_dict(), 1)


def test_written_empty_document():
    out = io.BytesIO()
    doc = jobun.parse("")
    write_document(doc, out)
    assert out.getvalue().decode("utf-8") == json.dumps(doc.to_dict(), ensure_ascii=False, indent=1) + "\n"


STATUTES = sorted((ROOT.parent / "shared" / "dev" / "egov").glob("*/*.txt"))[::9]


@pytest.mark.parametrize("path", TEXTS[:2] + STATUTES, ids=lambda p: p.name)
def test_corpus_line_is_the_stdlib_text(path):
    """A corpus line (orjson when installed) is the stdlib's compact JSON byte for byte, tokens too."""
    data = jobun.parse_file(path, tokens=path in TEXTS).to_dict()
    assert compact_json_bytes(data) == stdlib(data, None).encode("utf-8")


@pytest.mark.parametrize("value", [
    {}, [], "", {"a": [], "b": {}, "c": [True, False, None, 0, -3, 2**62]},
    ["改行\n", "制御\x01\x1f\x7f", "引用\"\\/", "\u2028\u2029", "é", "𠮷", "\ufeff"],
])
def test_compact_edge_values(value):
    assert compact_json_bytes(value) == stdlib(value, None).encode("utf-8")
