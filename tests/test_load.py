"""Reading documents back (JSON, JSONL, folders) and flattening them into records."""
import json
from pathlib import Path

import pytest

import jobun
from jobun.errors import JobunError
from jobun.io.reader import document_from_dict, to_records

ROOT = Path(__file__).resolve().parent.parent
SEEDS = sorted((ROOT / "corpus" / "raw").glob("*.txt"))


@pytest.fixture(scope="module")
def parsed():
    return [jobun.parse_file(p) for p in SEEDS]


@pytest.mark.parametrize("index", range(len(SEEDS)))
def test_round_trip_gives_the_same_json(parsed, index):
    original = parsed[index].to_dict(segments=True)
    assert document_from_dict(json.loads(json.dumps(original))).to_dict(segments=True) == original


@pytest.mark.parametrize("index", range(len(SEEDS)))
def test_parents_ids_and_lookup_are_restored(parsed, index):
    restored = document_from_dict(parsed[index].to_dict())
    originals = list(parsed[index].walk())
    copies = list(restored.walk())
    assert [n.id for n in copies] == [n.id for n in originals]
    for original, copy in zip(originals, copies):
        assert (copy.parent.id if copy.parent else None) == (original.parent.id if original.parent else None)
        assert restored.get(copy.id) is copy
    assert [r.targets for r in restored.references] == [r.targets for r in parsed[index].references]
    assert all(isinstance(r, jobun.Reference) for r in restored.references)


@pytest.fixture
def corpus_files(tmp_path, parsed):
    folder = tmp_path / "json"
    (folder / "sub").mkdir(parents=True)
    lines = []
    for i, doc in enumerate(parsed):
        text = json.dumps(doc.to_dict(), ensure_ascii=False)
        (folder / ("sub" if i % 2 else ".") / f"d{i}.json").write_text(text + "\n", encoding="utf-8")
        lines.append(text)
    (folder / "manifest.json").write_text('{"parser_version": "x", "files": []}', encoding="utf-8")
    (folder / "corpus.jsonl").write_text("\n".join(lines) + "\n\n", encoding="utf-8")
    return folder


def test_load_jsonl_streams_every_document_in_order(corpus_files, parsed):
    loaded = jobun.load(corpus_files / "corpus.jsonl")
    assert not isinstance(loaded, list)                       # a generator: streaming
    assert [d.source.name for d in loaded] == [d.source.name for d in parsed]


def test_load_directory_yields_each_document_once_and_skips_the_manifest(corpus_files, parsed):
    names = [d.source.name for d in jobun.load(corpus_files)]
    assert sorted(names) == sorted(d.source.name for d in parsed)


def test_load_directory_of_jsonl_only(tmp_path, corpus_files, parsed):
    only = tmp_path / "only"
    only.mkdir()
    (only / "a.jsonl").write_bytes((corpus_files / "corpus.jsonl").read_bytes())
    assert len(list(jobun.load(only))) == len(parsed)


def test_load_single_json_file(corpus_files, parsed):
    (doc,) = jobun.load(corpus_files / "d0.json")
    assert doc.title == parsed[0].title


def test_load_names_the_bad_line(tmp_path, corpus_files):
    bad = tmp_path / "bad.jsonl"
    good_line = (corpus_files / "corpus.jsonl").read_text(encoding="utf-8").splitlines()[0]
    bad.write_text(good_line + "\n" + '{"hello": 1}\n', encoding="utf-8")
    with pytest.raises(JobunError, match=r"bad\.jsonl:2: not a jobun document"):
        list(jobun.load(bad))


def test_load_missing_path():
    with pytest.raises(JobunError, match="no such file"):
        list(jobun.load("/nonexistent/corpus.jsonl"))


@pytest.mark.parametrize("level, kinds", [("article", {"article"}), ("paragraph", {"paragraph", "article"}),
                                          ("item", {"item"})])
@pytest.mark.parametrize("index", range(len(SEEDS)))
def test_records_cover_the_level(parsed, index, level, kinds):
    doc = parsed[index]
    rows = to_records(doc, level)
    assert {r["kind"] for r in rows} <= kinds
    expected = sum(1 for n in doc.walk() if n.kind == level)
    assert sum(1 for r in rows if r["kind"] == level) == expected
    for row in rows:
        node = doc.get(row["id"])
        assert row["own_text"] == node.text and node.text in row["text"]
        assert row["source"] == SEEDS[index].name
        assert row["line_start"] <= row["line_end"]
        if level != "article":
            assert row["article"] is None or doc.get(row["article"]).kind == "article"


@pytest.mark.parametrize("index", range(len(SEEDS)))
def test_paragraph_records_keep_all_article_text(parsed, index):
    """Every article's text reaches the paragraph-level table, whether or not it has paragraphs."""
    doc = parsed[index]
    joined = "\n".join(r["text"] for r in to_records(doc, "paragraph"))
    for article in (n for n in doc.walk() if n.kind == "article"):
        for node in article.walk():
            assert node.text in joined


def test_records_count_references_from_each_node(parsed):
    doc = next(d for d in parsed if d.references)
    rows = to_records(doc, "paragraph")
    assert sum(r["references"] for r in rows) == sum(
        1 for ref in doc.references if any(ref.source == r["id"] for r in rows))
    assert sum(r["references"] for r in rows) > 0


def test_unknown_level_is_refused(parsed):
    with pytest.raises(JobunError, match="level"):
        to_records(parsed[0], "sentence")
