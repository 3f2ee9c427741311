"""`jobun build --format egov-xml`: one e-Gov XML document per input beside its JSON, valid against
the XSD, staged and committed with the rest of the corpus, left alone by --incremental."""
import dataclasses
import hashlib
import json
import time
from pathlib import Path

import pytest
from lxml import etree

import jobun
from jobun import corpus
from jobun.cli import main as cli_main
from jobun.errors import JobunError

ROOT = Path(__file__).resolve().parent.parent
EGOV = ROOT / "tests" / "data" / "egov"
SEEDS = sorted((ROOT / "corpus" / "raw").glob("*.txt"))[:3]
XML_INPUTS = [EGOV / "small_law.xml", EGOV / "405AC0000000088_20240401_504AC0100000052.xml"]
# input path under the build root → its JSON output
INPUTS = {**{f"seeds/{p.name}": (p, f"seeds/{p.stem}.json") for p in SEEDS},
          **{f"egov/{p.name}": (p, f"egov/{p.stem}.json") for p in XML_INPUTS}}


def build(*args) -> int:
    return cli_main(["build", *map(str, args), "-q"])


def make_inputs(folder: Path) -> Path:
    for rel, (source, _) in INPUTS.items():
        (folder / rel).parent.mkdir(parents=True, exist_ok=True)
        (folder / rel).write_bytes(source.read_bytes())
    return folder


def corpus_files(outdir: Path) -> dict:
    """inode and mtime of every file of the corpus: unchanged when a build leaves the file alone."""
    return {p.relative_to(outdir).as_posix(): (p.stat().st_ino, p.stat().st_mtime_ns)
            for p in sorted(outdir.rglob("*")) if p.is_file()}


def documents(outdir: Path, suffix: str) -> set:
    return {p.relative_to(outdir).as_posix() for p in outdir.rglob(f"*{suffix}")
            if not p.relative_to(outdir).parts[0].startswith(("_", "."))}


def xml_name(output: str) -> str:
    return output[: -len(".json")] + ".xml"


@pytest.fixture(scope="module")
def schema():
    return etree.XMLSchema(etree.parse(str(EGOV / "egov-law-v3.xsd")))


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    tmp = tmp_path_factory.mktemp("xmlbuild")
    out = tmp / "out"
    assert build(make_inputs(tmp / "raw"), "-o", out, "-j", "2", "--format", "json,egov-xml") == 0
    return out


def test_every_input_gets_a_json_and_an_xml_document_and_load_sees_the_json(built):
    outputs = {output for _, output in INPUTS.values()}
    assert documents(built, ".json") == outputs
    assert documents(built, ".xml") == {xml_name(o) for o in outputs}
    assert sorted(d.source.name for d in jobun.load(built)) == sorted(Path(rel).name for rel in INPUTS)


@pytest.mark.parametrize("rel", list(INPUTS), ids=lambda rel: Path(rel).stem[:12])
def test_xml_document_is_valid_and_parses_back_to_the_json_tree(built, schema, rel):
    output = INPUTS[rel][1]
    data = (built / xml_name(output)).read_bytes()
    schema.assertValid(etree.fromstring(data))
    from_json = next(jobun.load(built / output))
    from_xml = jobun.parse_egov_xml(data)
    key = [(n.id, n.kind, n.num) for n in from_json.walk()]
    assert len(key) > 3
    assert [(n.id, n.kind, n.num) for n in from_xml.walk()] == key
    assert (from_xml.title, from_xml.law_number) == (from_json.title, from_json.law_number)


@pytest.mark.parametrize("formats", ["json,egov-xml", "egov-xml", "egov-xml,jsonl", "egov-xml,jsonl-tables"])
def test_incremental_rebuild_rewrites_nothing(tmp_path, formats):
    raw, out = make_inputs(tmp_path / "raw"), tmp_path / "out"
    assert build(raw, "-o", out, "--format", formats) == 0
    before = corpus_files(out)
    kept = {name: ident for name, ident in before.items() if name.endswith((".json", ".xml"))
            and not name.startswith("_")}
    time.sleep(0.01)
    assert build(raw, "-o", out, "--format", formats, "--incremental") == 0
    after = corpus_files(out)
    assert {name: after[name] for name in kept} == kept
    assert after.keys() == before.keys()
    entries = json.loads((out / "_jobun" / "manifest.json").read_text(encoding="utf-8"))["files"]
    assert [e["status"] for e in entries] == ["ok"] * len(INPUTS)


@pytest.mark.parametrize("formats, parses", [("egov-xml", False), ("json,egov-xml", False),
                                              ("egov-xml,jsonl", True), ("egov-xml,jsonl-tables", True)])
def test_an_unchanged_input_is_parsed_again_only_when_an_output_needs_the_tree(formats, parses):
    """The build vouches that the document files are still there; corpus.jsonl without the JSON
    file and the tables need the tree."""
    seed = SEEDS[0]
    item = corpus.WorkItem(str(seed), seed.name, str(seed), hashlib.sha256(seed.read_bytes()).hexdigest(),
                           corpus.WorkOptions(formats=tuple(formats.split(","))))
    result = corpus.process_file(item)
    assert result["status"] == "unchanged"
    assert (result["encoding"] is not None, "xml" in result) == (parses, parses)


def test_xml_files_follow_the_formats_asked_for_and_failures(tmp_path):
    raw, out = make_inputs(tmp_path / "raw"), tmp_path / "out"
    all_outputs = {output for _, output in INPUTS.values()}
    assert build(raw, "-o", out, "--format", "json,egov-xml") == 0
    assert build(raw, "-o", out, "--format", "json") == 0
    assert documents(out, ".xml") == set() and documents(out, ".json") == all_outputs
    assert build(raw, "-o", out, "--format", "egov-xml", "--incremental") == 0
    assert documents(out, ".json") == set() and documents(out, ".xml") == {xml_name(o) for o in all_outputs}
    with pytest.raises(JobunError, match="no jobun JSON here, only XML"):
        list(jobun.load(out))
    broken = next(rel for rel in INPUTS if rel.endswith(".xml"))
    (raw / broken).write_bytes(b"<Law><LawBody>")            # now not even well-formed
    assert build(raw, "-o", out, "--format", "egov-xml") == 3
    assert not (out / xml_name(INPUTS[broken][1])).exists()    # the manifest says it failed
    (raw / broken).unlink()
    assert build(raw, "-o", out, "--format", "egov-xml") == 0
    (raw / "seeds" / SEEDS[0].name).unlink()
    assert build(raw, "-o", out, "--format", "egov-xml") == 0
    orphan = xml_name(INPUTS[f"seeds/{SEEDS[0].name}"][1])
    assert (out / orphan).is_file()                            # kept until --prune
    assert build(raw, "-o", out, "--format", "egov-xml", "--prune") == 0
    assert not (out / orphan).exists()


def stopping_engine(limit: int, stop: type):
    class Stopping:
        """Runs the per-file work in this process and stops after `limit` files, like a crash or Ctrl-C."""
        def __init__(self, jobs, item_for, accept, tick):
            self.item_for, self.accept = item_for, accept

        def run(self, tasks):
            for task in tasks[:limit]:
                self.accept(task, corpus.process_file(self.item_for(task)))
            raise stop("the build stopped")
    return Stopping


def corpus_bytes(outdir: Path) -> dict:
    return {p.relative_to(outdir).as_posix(): p.read_bytes() for p in outdir.rglob("*")
            if p.is_file() and ".jobun-stage" not in p.parts}


@pytest.mark.parametrize("stop", [RuntimeError, KeyboardInterrupt], ids=["crash", "ctrl-c"])
@pytest.mark.parametrize("limit", [0, 2, len(INPUTS)])
def test_a_stopped_build_leaves_the_previous_corpus_and_incremental_finishes_it(tmp_path, schema, limit, stop):
    raw, out = make_inputs(tmp_path / "raw"), tmp_path / "out"
    options = corpus.BuildOptions(formats=("json", "egov-xml"), quiet=True)
    assert corpus.build([str(raw)], out, options).exit_code == 0
    before = corpus_bytes(out)
    for seed in SEEDS:                                  # the next run would change these documents
        (raw / "seeds" / seed.name).write_bytes(SEEDS[0].read_bytes() * 2)
    if stop is KeyboardInterrupt:
        assert corpus.build([str(raw)], out, options, engine=stopping_engine(limit, stop)).exit_code == 130
    else:
        with pytest.raises(RuntimeError, match="stopped"):
            corpus.build([str(raw)], out, options, engine=stopping_engine(limit, stop))
    assert corpus_bytes(out) == before

    # only Ctrl-C keeps what the run finished, and --incremental takes it instead of parsing again
    finished = sorted(output for _, output in INPUTS.values())[:limit if stop is KeyboardInterrupt else 0]
    changed = {f"seeds/{seed.stem}.json" for seed in SEEDS}
    resumed = corpus.build([str(raw)], out, dataclasses.replace(options, incremental=True))
    assert resumed.exit_code == 0 and resumed.stats["documents_parsed"] == len(changed - set(finished))
    for output in changed:
        from_json = next(jobun.load(out / output))
        assert from_json.source.sha256 == hashlib.sha256((raw / "seeds" / Path(output).with_suffix(".txt").name)
                                                         .read_bytes()).hexdigest()
        data = (out / xml_name(output)).read_bytes()
        schema.assertValid(etree.fromstring(data))
        assert [n.id for n in jobun.parse_egov_xml(data).walk()] == [n.id for n in from_json.walk()]
