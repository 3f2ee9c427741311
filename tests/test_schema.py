"""The published schema accepts what the parser emits and rejects what it must not."""
import copy
import json
from pathlib import Path

import jsonschema
import pytest

import jobun
from jobun.io import schema
from jobun.errors import JobunError

ROOT = Path(__file__).resolve().parent.parent
SEEDS = sorted((ROOT / "corpus" / "raw").glob("*.txt"))
BACKENDS = schema.available_backends()


@pytest.fixture(scope="module")
def seed_documents():
    return {p.name: jobun.parse_file(p).to_dict() for p in SEEDS}


def test_schema_is_a_valid_draft_2020_12_schema():
    jsonschema.Draft202012Validator.check_schema(schema.schema())


def test_schema_ships_inside_the_package():
    packaged = ROOT / "src" / "jobun" / "schemas" / schema.SCHEMA_FILE
    assert packaged.is_file()
    assert json.loads(packaged.read_text(encoding="utf-8")) == schema.schema()


def test_node_kinds_match_the_model():
    from jobun.model import NODE_KINDS
    assert schema.schema()["$defs"]["node"]["properties"]["kind"]["enum"] == list(NODE_KINDS)


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("seed", [p.name for p in SEEDS])
def test_every_seed_document_is_valid(seed_documents, seed, backend):
    schema.validator(backend).validate(seed_documents[seed])


@pytest.mark.parametrize("seed", [p.name for p in SEEDS])
def test_segments_export_is_valid_too(seed):
    jsonschema.validate(jobun.parse_file(ROOT / "corpus" / "raw" / seed).to_dict(segments=True), schema.schema())


def _first(tree: dict, kind: str) -> dict:
    stack = list(tree["children"])
    while stack:
        node = stack.pop(0)
        if node["kind"] == kind:
            return node
        stack.extend(node["children"])
    raise LookupError(kind)


def _break_kind(d):
    _first(d, "article")["kind"] = "clause"


def _drop_caption(d):
    del _first(d, "article")["caption"]


def _caption_on_item(d):
    _first(d, "item")["caption"] = "x"      # paragraphs may carry one (附則 （施行期日）), items not


def _unknown_node_key(d):
    _first(d, "paragraph")["colour"] = "red"


def _bad_lines(d):
    _first(d, "article")["lines"] = [3]


def _bad_sha(d):
    d["source"]["sha256"] = "not-a-digest"


def _bad_warning(d):
    d["warnings"].append({"line": "7", "code": "x", "message": "m"})


def _bad_reference_kind(d):
    d["references"].append({"from": "art_1", "text": "前条", "span": [0, 2], "kind": "sideways",
                            "targets": [], "ranges": []})


def _bad_fragment(d):
    d["references"].append({"from": "art_1", "text": "前条", "span": [0, 2], "kind": "internal", "targets": [],
                            "ranges": [{"from": [{"kind": "article", "num": None, "relative": "before",
                                                  "count": None}], "to": None}]})


def _missing_definitions(d):
    del d["definitions"]


BREAKAGES = [_break_kind, _drop_caption, _caption_on_item, _unknown_node_key, _bad_lines, _bad_sha,
             _bad_warning, _bad_reference_kind, _bad_fragment, _missing_definitions]


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("breakage", BREAKAGES, ids=lambda f: f.__name__.strip("_"))
def test_broken_documents_are_rejected_by_every_backend(seed_documents, breakage, backend):
    broken = copy.deepcopy(seed_documents[SEEDS[1].name])
    breakage(broken)
    assert not jsonschema.Draft202012Validator(schema.schema()).is_valid(broken)   # the reference agrees
    assert not schema.validator(backend).is_valid(broken)
    with pytest.raises(JobunError, match=r"at \$"):
        schema.validator(backend).validate(broken)


def test_error_message_names_the_json_path(seed_documents):
    broken = copy.deepcopy(seed_documents[SEEDS[1].name])
    broken["children"][0]["kind"] = "clause"
    with pytest.raises(JobunError, match=r"\$\.children\[0\]\.kind"):
        schema.validate(broken)


def test_validator_is_built_once():
    assert schema.validator() is schema.validator()


def test_importing_jobun_does_not_import_a_validator():
    import subprocess
    import sys
    code = "import sys, jobun; jobun.parse('第１条 甲'); print([m for m in ('jsonschema', 'jsonschema_rs', 'fastjsonschema') if m in sys.modules])"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def _document_with_every_optional_part():
    """What the seeds may not exercise: tables, lists, notes, tokens, law number, toc, external refs."""
    from jobun.model import (BulletList, Definition, Document, Fragment, Node, Note, Range, Reference,
                             Sentence, Source, Table)
    doc = Document(title="テスト法", source=Source("t.txt", "0" * 64, "cp932"), law_number="令和元年法律第一号",
                   toc=["第一章 総則（第一条）"])
    article = Node("article", id="art_1", num="1", label="第一条", caption="定義", text="用語の意味は次の表のとおり。",
                   lines=(2, 6), tables=[Table(["用語", "意味"], [["甲", "乙"]], (0, 5), (3, 4))],
                   lists=[BulletList("・", ["一", "二"], (5, 9), (5, 5))], notes=[Note("備考", (9, 12), (6, 6))],
                   sentences=[Sentence((0, 14), tokens=[{"surface": "用語", "lemma": "用語", "reading": "ヨウゴ",
                                                         "pos": ["名詞", "普通名詞", "一般", "*"], "span": [0, 2]}])])
    chapter = Node("chapter", id="chap_1", num="1", label="第一章", title="総則", lines=(1, 6), children=[article])
    doc.children = [chapter]
    doc.references = [Reference("art_1", "民法第九十条", (0, 6), "external", law="民法", caption="公序良俗",
                                ranges=[Range([Fragment("law"), Fragment("article", "90")],
                                              [Fragment("article", "92", count=3)])])]
    doc.definitions = [Definition("甲", "乙", "art_1", (0, 1), "table", scope="chap_1", uses=["art_1"])]
    return doc


@pytest.mark.parametrize("backend", BACKENDS)
def test_optional_parts_are_valid(backend):
    schema.validator(backend).validate(_document_with_every_optional_part().to_dict())
