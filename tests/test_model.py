"""The data model stays data: model.py imports no stage, and Document's conveniences still reach the
stages (through jobun.facade) on documents built by a parse and by the reader alike."""
import ast
import json
from pathlib import Path

import pytest

import jobun
from jobun.io.reader import document_from_dict

MODEL = Path(jobun.__file__).with_name("model.py")
TEXT = "第１条 この規約は、本サービスに適用する。\n２ 前項の規定は、第２条に優先する。\n第２条 料金は別に定める。\n"


def test_model_imports_only_the_standard_library():
    tree = ast.parse(MODEL.read_text(encoding="utf-8"))
    modules = [a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names]
    modules += [("." * n.level) + (n.module or "") for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)]
    assert [m for m in modules if m.startswith(".") or m.startswith("jobun")] == []


@pytest.mark.parametrize("build", [
    lambda: jobun.parse(TEXT),
    lambda: document_from_dict(json.loads(jobun.parse(TEXT).to_json())),
], ids=["parsed", "loaded"])
@pytest.mark.parametrize("text, context, expected", [
    ("第２条", None, "art_2"),
    ("前項", "art_1/para_2", "art_1/para_1"),
    ("第１条第２項", None, "art_1/para_2"),
])
def test_document_conveniences_reach_the_stages(build, text, context, expected):
    doc = build()
    assert doc.resolve(text, context=context).id == expected
    assert json.loads(doc.to_json()) == doc.to_dict()
