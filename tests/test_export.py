"""The JSON writer: the very bytes of the stdlib's json.dumps(ensure_ascii=False, indent=…)."""
import json
from pathlib import Path

import pytest

import jobun
from jobun.io.export import dumps

ROOT = Path(__file__).resolve().parent.parent
TEXTS = sorted((ROOT / "corpus" / "raw").glob("*.txt")) + sorted((ROOT / "tests" / "data").glob("*.txt"))


@pytest.mark.parametrize("path", TEXTS, ids=lambda p: p.name)
@pytest.mark.parametrize("indent", [None, 1, 2])
def test_document_json_is_the_stdlib_text(path, indent):
    data = jobun.parse_file(path).to_dict()
    assert dumps(data, indent=indent) == json.dumps(data, ensure_ascii=False, indent=indent)


@pytest.mark.parametrize("value", [
    {}, [], "", {"a": [], "b": {}, "c": [True, False, None, 0, -3, 2.5, float("nan")]},
    ["改行\n", "制御\x01\x1f", "引用\"\\", "\u2028\u2029", "é", "\ud800"], [[1, [2, [3, []]]]],
])
def test_edge_values(value):
    assert dumps(value) == json.dumps(value, ensure_ascii=False, indent=1)


def test_tokens_are_written_alike():
    data = jobun.parse("第１条（目的）\n本規約は、当社のサービスに適用されます。\n", tokens=True).to_dict()
    assert dumps(data) == json.dumps(data, ensure_ascii=False, indent=1)
