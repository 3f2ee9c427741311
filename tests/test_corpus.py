"""`jobun build` on inputs as users have them: mixed encodings, CRLF, empty and binary files, big files,
interruptions and worker failures, followed by --incremental rebuilds."""
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import jsonschema
import pytest

from jobun import corpus
from jobun.io import schema
from jobun.cli import main as cli_main

ROOT = Path(__file__).resolve().parent.parent
SEEDS = sorted((ROOT / "corpus" / "raw").glob("*.txt"))
FIRST_SEED = SEEDS[0]
PNG_HEADER = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4


def build(*args) -> int:
    return cli_main(["build", *map(str, args), "-q"])


def manifest(outdir: Path) -> dict:
    return json.loads((outdir / "manifest.json").read_text(encoding="utf-8"))


def entries_by_name(outdir: Path) -> dict:
    return {Path(e["source"]).name: e for e in manifest(outdir)["files"]}


def document(outdir: Path, output: str) -> dict:
    return json.loads((outdir / output).read_text(encoding="utf-8"))


def without_source(doc: dict) -> dict:
    return {k: v for k, v in doc.items() if k != "source"}


def file_identities(outdir: Path) -> dict:
    """inode and mtime of every document JSON: unchanged when a build leaves the file alone."""
    return {p.relative_to(outdir).as_posix(): (p.stat().st_ino, p.stat().st_mtime_ns)
            for p in outdir.rglob("*.json") if p.name != "manifest.json"}


def leftovers(outdir: Path) -> list:
    return [p for p in outdir.rglob("*") if p.name.startswith(".") or p.suffix == ".tmp"]


@pytest.fixture
def mixed_folder(tmp_path) -> Path:
    """The acceptance folder: five seeds, CP932 and UTF-16 copies of one, an empty and a binary file."""
    folder = tmp_path / "raw"
    folder.mkdir()
    for seed in SEEDS:
        (folder / seed.name).write_bytes(seed.read_bytes())
    text = FIRST_SEED.read_text(encoding="utf-8")
    (folder / "copy_cp932.txt").write_bytes(text.encode("cp932"))
    (folder / "copy_utf16.txt").write_bytes(text.encode("utf-16"))
    (folder / "empty.txt").write_bytes(b"")
    (folder / "image.png").write_bytes(PNG_HEADER)
    return folder


def test_acceptance_mixed_folder_then_incremental(mixed_folder, tmp_path):
    out = tmp_path / "json"
    assert build(mixed_folder, "-o", out, "-j", "2") == 1

    entries = entries_by_name(out)
    assert len(entries) == 9
    assert {n for n, e in entries.items() if e["status"] == "error"} == {"image.png"}
    assert "binary file" in entries["image.png"]["error"] and entries["image.png"]["output"] == "image.json"
    assert not (out / "image.json").exists()
    assert manifest(out)["totals"]["ok"] == 8 and manifest(out)["complete"] is True

    original = document(out, FIRST_SEED.with_suffix(".json").name)
    for copy, encoding in (("copy_cp932", "cp932"), ("copy_utf16", "utf-16")):
        converted = document(out, f"{copy}.json")
        assert entries[f"{copy}.txt"]["encoding"] == converted["source"]["encoding"] == encoding
        assert without_source(converted) == without_source(original)
        assert converted["source"]["sha256"] == entries[f"{copy}.txt"]["sha256"] != original["source"]["sha256"]

    jsonl = (out / "corpus.jsonl").read_text(encoding="utf-8").splitlines()
    assert len(jsonl) == 8
    assert [json.loads(line)["source"]["name"] for line in jsonl] == sorted(
        n for n, e in entries.items() if e["status"] == "ok")

    before = file_identities(out)
    time.sleep(0.01)
    assert build(mixed_folder, "-o", out, "--incremental") == 1
    assert file_identities(out) == before
    assert entries_by_name(out) == entries
    assert (out / "corpus.jsonl").read_text(encoding="utf-8").splitlines() == jsonl
    assert leftovers(out) == []


def test_every_written_document_is_valid(mixed_folder, tmp_path):
    out = tmp_path / "json"
    build(mixed_folder, "-o", out)
    reference = jsonschema.Draft202012Validator(schema.schema())
    for entry in manifest(out)["files"]:
        if entry["status"] == "ok":
            reference.validate(document(out, entry["output"]))


def test_manifest_entry_fields(mixed_folder, tmp_path):
    out = tmp_path / "json"
    build(mixed_folder, "-o", out)
    data = manifest(out)
    assert data["parser_version"] == corpus.PARSER_VERSION
    for entry in data["files"]:
        assert set(entry) == {"source", "output", "sha256", "bytes", "encoding", "status", "error",
                              "counts", "warnings"}
        assert entry["bytes"] == Path(entry["source"]).stat().st_size
    seed = entries_by_name(out)[FIRST_SEED.name]
    assert seed["counts"]["articles"] > 10 and seed["counts"]["paragraphs"] >= seed["counts"]["articles"]
    assert data["totals"]["articles"] == sum(e["counts"]["articles"] for e in data["files"] if e["counts"])


@pytest.mark.parametrize("name, content", [
    ("empty.txt", b""),
    ("blank.txt", b"\r\n  \r\n\n"),
    ("prose.txt", "これは条文の構造を持たない、ただの文章です。\n".encode("cp932")),
])
def test_unstructured_files_are_documents_with_warnings(tmp_path, name, content):
    (tmp_path / name).write_bytes(content)
    out = tmp_path / "json"
    assert build(tmp_path / name, "-o", out) == 0
    entry = manifest(out)["files"][0]
    assert entry["status"] == "ok" and entry["warnings"] >= 1
    assert document(out, entry["output"])["warnings"]


@pytest.mark.parametrize("codec", ["utf-8", "utf-8-sig", "cp932", "euc_jp", "utf-16"])
def test_crlf_and_encodings_parse_like_the_lf_utf8_original(tmp_path, codec):
    text = FIRST_SEED.read_text(encoding="utf-8")
    (tmp_path / "lf.txt").write_bytes(text.encode("utf-8"))
    (tmp_path / "crlf.txt").write_bytes(text.replace("\n", "\r\n").encode(codec))
    out = tmp_path / "json"
    assert build(tmp_path / "lf.txt", tmp_path / "crlf.txt", "-o", out, "-j", "2") == 0
    assert without_source(document(out, "crlf.json")) == without_source(document(out, "lf.json"))
    assert entries_by_name(out)["crlf.txt"]["encoding"] == codec.replace("_", "-")


# A 50 MB single document; JOBUN_LARGE_TESTS=0 drops it to 5 MB for quick local runs.
LARGE_SIZES = [5_000_000 if os.environ.get("JOBUN_LARGE_TESTS") == "0" else 50_000_000]


@pytest.mark.parametrize("size", LARGE_SIZES, ids=lambda s: f"{s // 1_000_000}MB")
def test_large_single_document(tmp_path, size):
    """A statute-sized file made by replicating a seed: parsed, validated and written in one piece."""
    seed = FIRST_SEED.read_bytes()
    big = tmp_path / "big.txt"
    with big.open("wb") as f:
        for _ in range(size // len(seed) + 1):
            f.write(seed)
    out = tmp_path / "json"
    assert build(big, "-o", out, "-j", "1") == 0
    entry = manifest(out)["files"][0]
    assert entry["status"] == "ok" and entry["bytes"] >= size
    assert entry["counts"]["articles"] >= 30 * (size // len(seed))
    assert (out / "corpus.jsonl").stat().st_size == (out / "big.json").stat().st_size


def test_outputs_mirror_input_paths_and_globs(tmp_path):
    raw = tmp_path / "raw"
    for rel in ("a/x.txt", "a/b/y.txt", "z.md", ".hidden/secret.txt", ".DS_Store"):
        (raw / rel).parent.mkdir(parents=True, exist_ok=True)
        (raw / rel).write_text(FIRST_SEED.read_text(encoding="utf-8")[:1500], encoding="utf-8")
    out = tmp_path / "json"
    assert build(raw, "-o", out) == 0
    assert sorted(e["output"] for e in manifest(out)["files"]) == ["a/b/y.json", "a/x.json", "z.json"]

    out_glob = tmp_path / "json_glob"
    assert build(f"{raw}/**/*.txt", "-o", out_glob) == 0
    assert sorted(e["output"] for e in manifest(out_glob)["files"]) == ["a/b/y.json", "a/x.json"]


def test_output_folder_inside_the_input_is_not_read_back(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "a.txt").write_bytes(FIRST_SEED.read_bytes())
    for _ in range(2):
        assert build(raw, "-o", raw / "json") == 0
        assert [e["output"] for e in manifest(raw / "json")["files"]] == ["a.json"]


def test_colliding_outputs_and_missing_inputs_are_error_entries(tmp_path):
    (tmp_path / "terms.txt").write_bytes(FIRST_SEED.read_bytes())
    (tmp_path / "terms.md").write_bytes(SEEDS[1].read_bytes())
    out = tmp_path / "json"
    assert build(tmp_path / "terms.txt", tmp_path / "terms.md", tmp_path / "nope.txt", "-o", out) == 1
    entries = entries_by_name(out)
    assert entries["terms.md"]["status"] == entries["terms.txt"]["status"] == "ok" or \
        sum(e["status"] == "error" for e in entries.values()) == 2
    errors = {n: e["error"] for n, e in entries.items() if e["status"] == "error"}
    assert "nope.txt" in errors and "no such file" in errors["nope.txt"]
    assert any("already built from" in message for message in errors.values())


def test_outputs_cannot_escape_outdir_through_a_symlink(tmp_path):
    raw = tmp_path / "raw"
    (raw / "sub").mkdir(parents=True)
    (raw / "sub" / "a.txt").write_bytes(FIRST_SEED.read_bytes())
    outside = tmp_path / "outside"
    outside.mkdir()
    out = tmp_path / "json"
    out.mkdir()
    (out / "sub").symlink_to(outside, target_is_directory=True)
    assert build(raw, "-o", out) == 1
    assert "outside OUTDIR" in manifest(out)["files"][0]["error"]
    assert list(outside.iterdir()) == []


def test_builds_are_deterministic_across_runs_and_worker_counts(mixed_folder, tmp_path):
    build(mixed_folder, "-o", tmp_path / "one", "-j", "1")
    build(mixed_folder, "-o", tmp_path / "two", "-j", "2")
    for name in ("corpus.jsonl", "manifest.json", "copy_cp932.json", "empty.json"):
        assert (tmp_path / "one" / name).read_bytes() == (tmp_path / "two" / name).read_bytes()
    assert b"time" not in (tmp_path / "one" / "corpus.jsonl").read_bytes()[:200]


def test_changed_input_is_rebuilt_and_others_left_alone(mixed_folder, tmp_path):
    out = tmp_path / "json"
    build(mixed_folder, "-o", out)
    before = file_identities(out)
    (mixed_folder / "empty.txt").write_bytes(SEEDS[2].read_bytes())
    assert build(mixed_folder, "-o", out, "--incremental") == 1
    after = file_identities(out)
    assert after["empty.json"] != before["empty.json"]
    assert {k: v for k, v in after.items() if k != "empty.json"} == \
        {k: v for k, v in before.items() if k != "empty.json"}
    assert entries_by_name(out)["empty.txt"]["counts"]["articles"] > 0


def test_pretty_documents_still_give_one_line_per_document(mixed_folder, tmp_path):
    out = tmp_path / "json"
    build(mixed_folder, "-o", out, "--pretty")
    assert (out / "empty.json").read_text(encoding="utf-8").count("\n") > 1
    assert build(mixed_folder, "-o", out, "--pretty", "--incremental") == 1
    lines = (out / "corpus.jsonl").read_text(encoding="utf-8").splitlines()
    assert len(lines) == 8 and all(json.loads(line)["parser_version"] for line in lines)


# ---------------------------------------------------------------- failures midway

@pytest.fixture
def many_files(tmp_path) -> Path:
    folder = tmp_path / "many"
    folder.mkdir()
    for i in range(24):
        (folder / f"doc_{i:02d}.txt").write_bytes(SEEDS[i % len(SEEDS)].read_bytes() * 6)
    return folder


def test_interrupted_build_then_incremental(many_files, tmp_path):
    out = tmp_path / "json"
    proc = subprocess.Popen([sys.executable, "-m", "jobun.cli", "build", str(many_files), "-o", str(out), "-j", "1"],
                            stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 60
    while not list(out.glob("doc_*.json")) and time.monotonic() < deadline:
        time.sleep(0.02)
    proc.send_signal(signal.SIGINT)
    _, stderr = proc.communicate(timeout=60)
    assert proc.returncode == 130, stderr
    assert "interrupted" in stderr and "--incremental" in stderr

    finished = manifest(out)
    assert finished["complete"] is False
    done = [e for e in finished["files"] if e["status"] == "ok"]
    assert 1 <= len(done) < 24
    assert leftovers(out) == []
    assert len((out / "corpus.jsonl").read_text(encoding="utf-8").splitlines()) == len(done)
    survivors = {e["output"]: file_identities(out)[e["output"]] for e in done}

    assert build(many_files, "-o", out, "--incremental") == 0
    assert manifest(out)["totals"]["ok"] == 24 and manifest(out)["complete"] is True
    after = file_identities(out)
    assert all(after[name] == identity for name, identity in survivors.items())


def test_worker_crash_and_parser_bug_cost_only_their_files(many_files, tmp_path, monkeypatch):
    """A parser exception is one error entry; a worker that dies takes only the files it held."""
    from jobun import pipeline
    real_parse_bytes = pipeline.parse_bytes

    def flaky(data, source=None, **kw):
        if source == "doc_05.txt":
            raise RuntimeError("simulated parser bug")
        if source == "doc_11.txt":
            os._exit(9)                      # the worker process dies (like an OOM kill)
        return real_parse_bytes(data, source, **kw)

    monkeypatch.setattr(pipeline, "parse_bytes", flaky)    # forked workers inherit the patch
    out = tmp_path / "json"
    assert build(many_files, "-o", out, "-j", "2") == 1
    entries = entries_by_name(out)
    assert "simulated parser bug" in entries["doc_05.txt"]["error"]
    assert "worker process died" in entries["doc_11.txt"]["error"]
    failed = {n for n, e in entries.items() if e["status"] == "error"}
    assert len(failed) <= 2 + 2 * 2 and len(entries) == 24       # at most the files in flight
    assert leftovers(out) == []

    monkeypatch.setattr(pipeline, "parse_bytes", real_parse_bytes)
    kept = {n: i for n, i in file_identities(out).items()}
    assert build(many_files, "-o", out, "--incremental") == 0
    assert all(file_identities(out)[n] == i for n, i in kept.items())


def test_help_teaches_the_contract(capsys):
    with pytest.raises(SystemExit):
        cli_main(["build", "--help"])
    text = capsys.readouterr().out
    for phrase in ("--incremental", "manifest.json", "corpus.jsonl", "Ctrl-C", "Exit status", "-j"):
        assert phrase in text


def test_checkpoints_space_out_when_the_manifest_is_slow_to_write(tmp_path, monkeypatch):
    # A manifest listing a million files takes seconds to write: rewriting it every 5 s would
    # leave no time for parsing, so the interval grows to 20 times the last write.
    builder = corpus._Builder([], tmp_path, corpus.BuildOptions(), {})
    real = corpus._manifest_bytes

    def slow_manifest(*args):
        time.sleep(0.4)
        return real(*args)

    monkeypatch.setattr(corpus, "_manifest_bytes", slow_manifest)
    builder.checkpoint([], force=True)
    assert builder.checkpoint_every >= 8.0
    written = (tmp_path / "manifest.json").stat().st_mtime_ns
    builder.last_checkpoint -= corpus.CHECKPOINT_SECONDS + 1     # 6 s later: not yet due
    builder.checkpoint([])
    assert (tmp_path / "manifest.json").stat().st_mtime_ns == written
    builder.close()


def test_worker_leaves_no_cyclic_garbage():
    # A finished tree is freed by reference counting, not left for the cyclic collector to trace.
    import gc
    corpus.process_file(str(SEEDS[1]))            # warm imports and caches
    gc.collect()
    gc.disable()
    try:
        assert corpus.process_file(str(SEEDS[1]))["status"] == "ok"
        assert gc.collect() == 0
    finally:
        gc.enable()
