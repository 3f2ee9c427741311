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

import jobun
from jobun import corpus
from jobun.io import schema
from jobun.cli import main as cli_main

ROOT = Path(__file__).resolve().parent.parent
SEEDS = sorted((ROOT / "corpus" / "raw").glob("*.txt"))
FIRST_SEED = SEEDS[0]
PNG_HEADER = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4


FAILED = 3      # exit status of a build in which some files failed


def build(*args) -> int:
    return cli_main(["build", *map(str, args), "-q"])


def manifest(outdir: Path) -> dict:
    return json.loads((outdir / "_jobun" / "manifest.json").read_text(encoding="utf-8"))


def entries_by_name(outdir: Path) -> dict:
    return {Path(e["source"]).name: e for e in manifest(outdir)["files"]}


def document(outdir: Path, output: str) -> dict:
    return json.loads((outdir / output).read_text(encoding="utf-8"))


def without_source(doc: dict) -> dict:
    return {k: v for k, v in doc.items() if k != "source"}


def file_identities(outdir: Path) -> dict:
    """inode and mtime of every document JSON: unchanged when a build leaves the file alone."""
    return {p.relative_to(outdir).as_posix(): (p.stat().st_ino, p.stat().st_mtime_ns)
            for p in outdir.rglob("*.json") if not p.relative_to(outdir).parts[0].startswith("_")}


def leftovers(outdir: Path) -> list:
    """Anything but the corpus: temporary files, the stage of a run, a lock file."""
    return [p for p in outdir.rglob("*") if p.name.startswith(".") or p.suffix == ".tmp"]


def seeds_folder(folder: Path) -> Path:
    """A new folder holding a copy of each seed."""
    folder.mkdir()
    for seed in SEEDS:
        (folder / seed.name).write_bytes(seed.read_bytes())
    return folder


@pytest.fixture
def mixed_folder(tmp_path) -> Path:
    """The acceptance folder: five seeds, CP932 and UTF-16 copies of one, an empty and a binary file."""
    folder = seeds_folder(tmp_path / "raw")
    text = FIRST_SEED.read_text(encoding="utf-8")
    (folder / "copy_cp932.txt").write_bytes(text.encode("cp932"))
    (folder / "copy_utf16.txt").write_bytes(text.encode("utf-16"))
    (folder / "empty.txt").write_bytes(b"")
    (folder / "image.png").write_bytes(PNG_HEADER)
    return folder


def test_acceptance_mixed_folder_then_incremental(mixed_folder, tmp_path):
    out = tmp_path / "json"
    assert build(mixed_folder, "-o", out, "-j", "2", "--format", "json,jsonl") == FAILED

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
    assert build(mixed_folder, "-o", out, "--incremental", "--format", "json,jsonl") == FAILED
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
        assert set(entry) == {"source", "doc_id", "output", "sha256", "bytes", "encoding", "status",
                              "error", "counts", "warnings"}
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
    assert build(big, "-o", out, "-j", "1", "--format", "json,jsonl") == 0
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


def test_colliding_outputs_get_the_content_hash_and_missing_inputs_are_error_entries(tmp_path):
    for folder, seed in (("a", FIRST_SEED), ("b", SEEDS[1])):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "terms.txt").write_bytes(seed.read_bytes())
    (tmp_path / "a" / "terms.md").write_bytes(SEEDS[2].read_bytes())
    out = tmp_path / "json"
    assert build(tmp_path / "a", tmp_path / "b", tmp_path / "nope.txt", "-o", out) == FAILED
    entries = {e["source"]: e for e in manifest(out)["files"]}
    assert "no such file" in entries[(tmp_path / "nope.txt").as_posix()]["error"]
    built = [e for e in entries.values() if e["status"] == "ok"]
    assert len(built) == 3
    assert len({e["doc_id"] for e in built}) == len({e["output"] for e in built}) == 3
    for e in built:
        assert (out / e["output"]).is_file()
        if e["doc_id"].startswith("terms.txt"):        # the same relative path under two roots
            assert e["doc_id"] == f"terms.txt@{e['sha256'][:12]}"
        assert "@" in e["output"]                       # terms.json three times otherwise


@pytest.mark.parametrize("link", ["folder", "file", "loop"])
def test_outputs_cannot_escape_outdir_through_a_symlink(tmp_path, link):
    raw = tmp_path / "raw"
    (raw / "sub").mkdir(parents=True)
    (raw / "sub" / "a.txt").write_bytes(FIRST_SEED.read_bytes())
    outside = tmp_path / "outside"
    outside.mkdir()
    out = tmp_path / "json"
    out.mkdir()
    if link == "folder":
        (out / "sub").symlink_to(outside, target_is_directory=True)
    elif link == "file":        # the output file itself a link, dangling, out of OUTDIR
        (out / "sub").mkdir()
        (out / "sub" / "a.json").symlink_to(outside / "a.json")
    else:                       # a folder that links to itself: no place at all
        (out / "sub").symlink_to("sub")
    (raw / "b.txt").write_bytes(SEEDS[1].read_bytes())
    assert build(raw, "-o", out) == FAILED
    assert "outside OUTDIR" in entries_by_name(out)["a.txt"]["error"]
    assert list(outside.iterdir()) == []


def test_builds_are_deterministic_across_runs_and_worker_counts(mixed_folder, tmp_path):
    for name, jobs in (("one", "1"), ("two", "2")):
        build(mixed_folder, "-o", tmp_path / name, "-j", jobs, "--format", "json,jsonl,parquet,jsonl-tables",
              "--compress", "gz")
    tables = [f"_tables/{t}{ext}" for t in ("nodes", "references") for ext in ("/part-00000.parquet", ".jsonl.gz")]
    for name in ("corpus.jsonl.gz", "_jobun/manifest.json", "copy_cp932.json", "empty.json", *tables):
        assert (tmp_path / "one" / name).read_bytes() == (tmp_path / "two" / name).read_bytes()
    assert b"time" not in (tmp_path / "one" / "empty.json").read_bytes()[:200]


def test_changed_input_is_rebuilt_and_others_left_alone(mixed_folder, tmp_path):
    out = tmp_path / "json"
    build(mixed_folder, "-o", out)
    before = file_identities(out)
    (mixed_folder / "empty.txt").write_bytes(SEEDS[2].read_bytes())
    assert build(mixed_folder, "-o", out, "--incremental") == FAILED
    after = file_identities(out)
    assert after["empty.json"] != before["empty.json"]
    assert {k: v for k, v in after.items() if k != "empty.json"} == \
        {k: v for k, v in before.items() if k != "empty.json"}
    assert entries_by_name(out)["empty.txt"]["counts"]["articles"] > 0


def test_pretty_documents_still_give_one_line_per_document(mixed_folder, tmp_path):
    out = tmp_path / "json"
    build(mixed_folder, "-o", out, "--pretty")
    assert (out / "empty.json").read_text(encoding="utf-8").count("\n") > 1
    for path in out.glob("*.json"):         # json.dumps(indent=1)'s text, byte for byte
        text = path.read_text(encoding="utf-8")
        assert text == json.dumps(json.loads(text), ensure_ascii=False, indent=1) + "\n"
    assert build(mixed_folder, "-o", out, "--pretty", "--incremental", "--format", "json,jsonl") == FAILED
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


def snapshot(outdir: Path) -> dict:
    """Every file of the corpus with its bytes (the lock and a stopped run's stage excluded)."""
    return {p.relative_to(outdir).as_posix(): p.read_bytes() for p in sorted(outdir.rglob("*"))
            if p.is_file() and ".jobun-stage" not in p.parts}


def start_build(folder: Path, out: Path, *extra) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "jobun.cli", "build", str(folder), "-o", str(out), *extra],
                            stderr=subprocess.PIPE, text=True)


def wait_for_staged_documents(out: Path, proc: subprocess.Popen) -> None:
    deadline = time.monotonic() + 60
    while not list((out / ".jobun-stage").glob("doc_*.json")):
        assert proc.poll() is None and time.monotonic() < deadline, "the build never staged a document"
        time.sleep(0.02)


@pytest.mark.parametrize("hard_kill", [False, True], ids=["sigint", "sigint-then-sigkill"])
def test_interrupted_build_leaves_the_previous_corpus_whole(many_files, tmp_path, hard_kill):
    out = tmp_path / "json"
    assert build(many_files, "-o", out, "--format", "json,jsonl,jsonl-tables") == 0
    before = snapshot(out)
    for path in many_files.glob("doc_0*.txt"):          # the next run would change ten documents
        path.write_bytes(SEEDS[0].read_bytes() * 3)
    proc = start_build(many_files, out, "-j", "1", "--format", "json,jsonl,jsonl-tables")
    wait_for_staged_documents(out, proc)
    proc.send_signal(signal.SIGINT)
    if hard_kill:
        time.sleep(0.05)
        proc.kill()
    _, stderr = proc.communicate(timeout=60)
    assert proc.returncode in ((-signal.SIGKILL, 130) if hard_kill else (130,)), stderr
    if proc.returncode == 130:
        assert "interrupted" in stderr and "previous corpus" in stderr and "--incremental" in stderr
    assert snapshot(out) == before
    assert [d.source.name for d in jobun.load(out)] == sorted(p.name for p in many_files.iterdir())

    partial = out / ".jobun-stage" / "_jobun" / "partial.json"     # absent if killed before it was written
    finished = json.loads(partial.read_text(encoding="utf-8")) if partial.exists() else {"files": []}
    assert partial.exists() or hard_kill
    stats = tmp_path / "stats.json"
    assert build(many_files, "-o", out, "--incremental", "--format", "json,jsonl", "--stats", stats) == 0
    assert leftovers(out) == []
    assert manifest(out)["totals"]["ok"] == 24
    assert snapshot(out)["doc_00.json"] != before["doc_00.json"]
    # what the interrupted run finished is not parsed again (the other unchanged files are not either)
    changed = {f"doc_0{i}.txt" for i in range(10)}
    reused = {Path(e["source"]).name for e in finished["files"]} & changed
    assert json.loads(stats.read_text())["documents_parsed"] == len(changed - reused)
    assert json.loads((out / "doc_00.json").read_text(encoding="utf-8"))["source"]["sha256"] == \
        entries_by_name(out)["doc_00.txt"]["sha256"]


@pytest.mark.parametrize("output", ["a.json", "sub/b.json", "x.y/doc@abc.json", "a.b.json", "..json",
                                    "sub/...json", ".a.json", "x..json", "a.", "sub.d/b"])
def test_document_files_follow_pathlibs_suffix_rule(output):
    """An input named on the command line may start with dots (`..txt` → `..json`)."""
    from pathlib import PurePosixPath
    from jobun.corpus.layout import DOCUMENT_FILE_SUFFIXES, document_files
    assert document_files(output) == {fmt: PurePosixPath(output).with_suffix(suffix).as_posix()
                                      for fmt, suffix in DOCUMENT_FILE_SUFFIXES.items()}


def test_an_interrupted_runs_documents_are_offered_to_one_run_only(tmp_path):
    """recover(keep_partial=True) hands the partial manifest to the next run and removes it: that
    run may overwrite the kept files (built with other options), and if it is killed before it
    writes its own partial manifest, the one after it must start from an empty stage."""
    from jobun.corpus import layout
    out = tmp_path / "out"
    stage = layout.stage_path(out)
    (stage / "sub").mkdir(parents=True)
    (stage / "sub" / "kept.json").write_text("{}")
    (stage / "sub" / "unfinished.json").write_text("{")
    listed = {"files": [{"source": "sub/kept.txt", "output": "sub/kept.json", "status": "ok"}]}
    layout.keep_partial(out, json.dumps(listed).encode(), {"sub/kept.json"})
    assert layout.recover(out, keep_partial=True) == listed
    assert sorted(p.relative_to(stage).as_posix() for p in stage.rglob("*")) == ["sub", "sub/kept.json"]
    assert layout.recover(out, keep_partial=True) is None and not stage.exists()


def test_a_stop_that_a_callback_dropped_still_stops_the_build():
    """Ctrl-C can land inside a weakref callback (Dask has them), where Python prints the
    KeyboardInterrupt as 'Exception ignored' and goes on: the build remembers it, says nothing of
    it, and the next progress tick stops the build."""
    import weakref
    from jobun.corpus.run import _StopRequest
    stop, unraisable = _StopRequest(), []

    class Watched:
        pass

    watched = Watched()
    ref = weakref.ref(watched, lambda _: stop(signal.SIGINT, None))
    previous, sys.unraisablehook = sys.unraisablehook, stop.quiet(unraisable.append)
    try:
        del watched                     # the callback raises; Python drops the exception
    finally:
        sys.unraisablehook = previous
    assert ref() is None and stop.seen and unraisable == []
    with pytest.raises(Exception) as raised:
        stop.check()
    assert type(raised.value).__name__ == "_Interrupted"


def worker_pids(parent: int) -> list[int]:
    pids = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == parent:
            pids.append(int(stat.parent.name))
    return pids


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads worker processes from /proc")
def test_sigkill_of_the_main_process_takes_the_workers_and_the_next_run_cleans_up(many_files, tmp_path):
    out = tmp_path / "json"
    proc = start_build(many_files, out, "-j", "2", "--format", "json,jsonl")
    wait_for_staged_documents(out, proc)
    workers = worker_pids(proc.pid)
    assert len(workers) >= 2                     # the two workers (and any helper process)
    proc.kill()
    proc.wait()
    deadline = time.monotonic() + 5
    while any(alive(pid) for pid in workers) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not any(alive(pid) for pid in workers)
    assert (out / ".jobun-stage").exists()         # what the killed run left behind …
    assert not (out / "_jobun").exists()           # … and it never became the corpus
    assert build(many_files, "-o", out, "--format", "json,jsonl") == 0
    assert leftovers(out) == []


@pytest.fixture
def flaky_parser(monkeypatch):
    """doc_05 raises like a parser bug; doc_11 kills its worker (like the OOM killer)."""
    from jobun import pipeline
    real_parse_bytes = pipeline.parse_bytes

    def flaky(data, source=None, **kw):
        if source == "doc_05.txt":
            raise RuntimeError("simulated parser bug")
        if source == "doc_11.txt":
            os.kill(os.getpid(), signal.SIGKILL)
        return real_parse_bytes(data, source, **kw)

    monkeypatch.setattr(pipeline, "parse_bytes", flaky)    # forked workers inherit the patch
    yield
    monkeypatch.setattr(pipeline, "parse_bytes", real_parse_bytes)


def test_a_killed_worker_fails_only_its_own_file(many_files, tmp_path, flaky_parser):
    out = tmp_path / "json"
    assert build(many_files, "-o", out, "-j", "2") == FAILED
    entries = entries_by_name(out)
    assert "simulated parser bug" in entries["doc_05.txt"]["error"]
    assert "worker process died" in entries["doc_11.txt"]["error"]
    assert {n for n, e in entries.items() if e["status"] == "error"} == {"doc_05.txt", "doc_11.txt"}
    assert len(list(out.glob("doc_*.json"))) == 22
    assert leftovers(out) == []


# A worker killed half-way through sending its result (the OOM killer may strike then): half a
# message stays in the result pipe and the result queue's lock stays taken, so the executor never
# hears of that worker again. `die` exits there; `hang` stays there until it is terminated.
DIES_MID_SEND = r"""
import os, struct, sys, time
from multiprocessing import connection
import jobun.cli
main_pid = os.getpid()
real_send_bytes = connection.Connection._send_bytes

def send_half(self, buf):
    if os.getpid() == main_pid or len(buf) < 3_000_000:
        return real_send_bytes(self, buf)
    self._send(struct.pack("!i", len(buf)))
    self._send(bytes(buf[:len(buf) // 2]))
    if sys.argv[1] == "die":
        os._exit(1)
    open(sys.argv[2], "w").close()
    time.sleep(600)

connection.Connection._send_bytes = send_half
sys.exit(jobun.cli.main(sys.argv[3:]))
"""


@pytest.fixture
def with_a_large_document(tmp_path) -> Path:
    """Five seeds and one document whose result (its corpus.jsonl line) is several MB."""
    folder = seeds_folder(tmp_path / "raw")
    (folder / "large.txt").write_bytes(SEEDS[1].read_bytes() * 40)
    return folder


@pytest.fixture
def build_dying_mid_send(with_a_large_document, tmp_path):
    """build_dying_mid_send(how) → the running build of with_a_large_document into tmp_path/out;
    killed at the end if it hangs."""
    procs = []

    def start(how: str) -> subprocess.Popen:
        procs.append(subprocess.Popen(
            [sys.executable, "-c", DIES_MID_SEND, how, str(tmp_path / "mid-send"), "build",
             str(with_a_large_document), "-o", str(tmp_path / "out"), "-j", "2", "--format", "json,jsonl"],
            stderr=subprocess.PIPE, text=True))
        return procs[-1]

    yield start
    for proc in procs:
        proc.kill()                 # its workers die with it
        proc.wait()


def test_a_worker_killed_while_sending_its_result_fails_only_its_file(build_dying_mid_send, tmp_path):
    out = tmp_path / "out"
    proc = build_dying_mid_send("die")
    _, stderr = proc.communicate(timeout=120)          # it had waited for the rest of the message forever
    assert proc.returncode == FAILED, stderr
    entries = entries_by_name(out)
    assert "worker process died" in entries["large.txt"]["error"]
    assert [name for name, e in entries.items() if e["status"] != "ok"] == ["large.txt"]
    assert len((out / "corpus.jsonl").read_text(encoding="utf-8").splitlines()) == len(SEEDS)


def test_ctrl_c_while_a_worker_is_sending_its_result_stops_the_build(build_dying_mid_send, tmp_path):
    proc = build_dying_mid_send("hang")
    deadline = time.monotonic() + 60
    while not (tmp_path / "mid-send").exists():
        assert proc.poll() is None and time.monotonic() < deadline, proc.stderr.read()
        time.sleep(0.05)
    proc.send_signal(signal.SIGINT)
    _, stderr = proc.communicate(timeout=60)           # it had hung at exit, joining the executor's thread
    assert proc.returncode == 130, stderr
    assert "interrupted" in stderr and "Traceback" not in stderr


def test_empty_input_set_exits_2_and_touches_nothing(many_files, tmp_path, capsys):
    out = tmp_path / "json"
    assert build(many_files, "-o", out, "--format", "json,jsonl,parquet") == 0
    before = snapshot(out)
    identities = file_identities(out)
    capsys.readouterr()
    assert build(tmp_path / "elsewhere" / "*.txt", "-o", out) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "nothing to build" in err and "matches nothing" in err
    assert snapshot(out) == before and file_identities(out) == identities
    assert build(tmp_path / "empty-folder-that-is-missing", "-o", tmp_path / "new") == 2
    assert not (tmp_path / "new").exists()


def test_outputs_of_vanished_inputs_are_kept_until_prune(many_files, tmp_path, capsys):
    out = tmp_path / "json"
    assert build(many_files, "-o", out, "--format", "json,jsonl") == 0
    (many_files / "doc_03.txt").unlink()
    capsys.readouterr()
    assert build(many_files, "-o", out, "--format", "json,jsonl") == 0
    assert "gone: " in capsys.readouterr().err
    assert (out / "doc_03.json").is_file()
    assert manifest(out)["orphans"] == [{"source": (many_files / "doc_03.txt").as_posix(), "output": "doc_03.json"}]
    assert len((out / "corpus.jsonl").read_text(encoding="utf-8").splitlines()) == 23
    assert build(many_files, "-o", out, "--prune") == 0
    assert not (out / "doc_03.json").exists() and manifest(out)["orphans"] == []
    assert not (out / "corpus.jsonl").exists()          # not asked for this time: it would be stale


def test_manifest_and_tables_are_beside_the_documents(many_files, tmp_path):
    out = tmp_path / "json"
    assert build(many_files, "-o", out, "--format", "json,jsonl,jsonl-tables") == 0
    assert sorted(p.name for p in out.glob("*.json")) == sorted(f"doc_{i:02d}.json" for i in range(24))
    assert len(list(jobun.load(out))) == 24
    data = manifest(out)
    assert data["totals"]["output_bytes"] == sum(
        p.stat().st_size for p in out.rglob("*") if p.is_file() and "_jobun" not in p.parts)
    assert data["totals"]["output_per_input_byte"] > 1


def test_help_teaches_the_contract(capsys):
    with pytest.raises(SystemExit):
        cli_main(["build", "--help"])
    text = capsys.readouterr().out
    for phrase in ("--incremental", "manifest.json", "corpus.jsonl", "Ctrl-C", "exit status", "-j",
                   "--prune", "parquet"):
        assert phrase in text


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


def test_a_second_build_into_the_same_folder_waits_its_turn(tmp_path, capsys):
    from jobun.corpus.layout import locked
    out = tmp_path / "json"
    out.mkdir()
    with locked(out):
        assert build(FIRST_SEED, "-o", out) == 2
    assert "another jobun build" in capsys.readouterr().err
    assert list(out.iterdir()) == []


@pytest.mark.parametrize("running, expected", [
    ([], 45.0),                         # 90 MB left at 2 × 1 MB/s
    ([(90_000_000, 1.0)], 89.0),        # all of it one file, started 1 s ago: one worker, 89 MB to go
])
def test_eta_counts_a_large_file_still_in_progress(running, expected):
    from jobun.corpus.progress import Progress
    progress = Progress(10, 100_000_000, jobs=2, quiet=True)
    now = progress.started + 5.0                # 10 MB done in 5 s by 2 workers: 1 MB/s each
    eta = progress.eta(10_000_000, [(size, now - ago) for size, ago in running], now)
    assert eta == pytest.approx(expected)


def test_a_write_error_midway_is_one_line_and_leaves_the_previous_corpus(many_files, tmp_path, capsys,
                                                                           monkeypatch):
    out = tmp_path / "json"
    assert build(many_files, "-o", out) == 0
    before = snapshot(out)
    from jobun.corpus import atomic, writer
    real = writer.write_bytes_atomic
    calls = []

    def disk_full(path, data, **kw):
        # the fifth document's file, whoever writes it: the worker (which then hands the bytes
        # back) or the main process (which stops the build)
        calls.append(path)
        if Path(path).name == "doc_04.json":
            raise OSError(28, "No space left on device", str(path))
        return real(path, data, **kw)

    monkeypatch.setattr(writer, "write_bytes_atomic", disk_full)
    monkeypatch.setattr(atomic, "write_bytes_atomic", disk_full)     # the workers' (forked after this)
    capsys.readouterr()
    assert build(many_files, "-o", out, "-j", "1") == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert err[-1].endswith("No space left on device") and str(calls[-1]) in err[-1]
    assert snapshot(out) == before and leftovers(out) == []


def test_a_worker_on_the_same_disk_writes_its_document_file_itself(tmp_path):
    """WorkItem.write_to: the file is written where the item says, byte for byte what the result
    would have carried, and the result no longer carries it; where the write fails (here: the
    folder is a file) the bytes stay in the result for the main process to write."""
    from jobun.corpus.work import WorkItem, WorkOptions, process_file
    seed = str(SEEDS[0])
    carried = process_file(WorkItem(seed, options=WorkOptions(formats=("json",))))
    target = tmp_path / "stage" / "doc.json"
    written = process_file(WorkItem(seed, options=WorkOptions(formats=("json",)), write_to=(("json", str(target)),)))
    assert written["status"] == "ok" and written.get("written") and "line" not in written
    assert target.read_bytes() == carried["line"]
    (tmp_path / "blocked").write_text("a file, not a folder")
    failed = process_file(WorkItem(seed, options=WorkOptions(formats=("json",)),
                                   write_to=(("json", str(tmp_path / "blocked" / "doc.json")),)))
    assert failed["status"] == "ok" and not failed.get("written") and failed["line"] == carried["line"]


def test_another_engine_can_run_the_per_file_work(tmp_path):
    """The seam for other schedulers (Dask, Ray): run process_file anywhere, accept here."""
    class InProcess:
        def __init__(self, jobs, item_for, accept, tick):
            self.item_for, self.accept = item_for, accept

        def run(self, tasks):
            for task in reversed(tasks):            # completion order need not be input order
                self.accept(task, corpus.process_file(self.item_for(task)))

    out_pool, out_engine = tmp_path / "pool", tmp_path / "engine"
    options = corpus.BuildOptions(formats=("json", "jsonl", "parquet"), quiet=True)
    assert corpus.build([str(p) for p in SEEDS], out_pool, options).exit_code == 0
    assert corpus.build([str(p) for p in SEEDS], out_engine, options, engine=InProcess).exit_code == 0
    assert snapshot(out_engine) == snapshot(out_pool)


@pytest.mark.parametrize("statute", [False, True], ids=["terms", "statute"])
def test_documents_leave_out_reference_ranges_unless_asked(tmp_path, statute):
    """A corpus keeps what a user needs once: each reference's targets, not the pointer fragments
    they were resolved from (--ranges keeps those); compact JSON without blanks."""
    raw = tmp_path / "raw"
    raw.mkdir()
    source = ROOT / "tests" / "data" / "statute_egov.txt" if statute else FIRST_SEED
    (raw / "a.txt").write_bytes(source.read_bytes())
    out = tmp_path / "json"
    assert build(raw, "-o", out) == 0
    full = jobun.parse_file(raw / "a.txt").to_dict()
    assert any(r["ranges"] for r in full["references"])
    data = (out / "a.json").read_bytes()
    assert b'", "' not in data and b'": ' not in data.replace(b'\\"', b"")
    lean = json.loads(data)
    assert all("ranges" not in r for r in lean["references"])
    schema.validate(lean)
    for r in full["references"]:
        del r["ranges"]
    assert lean == full

    assert build(raw, "-o", out, "--ranges", "--incremental") == 0      # another option: rebuilt
    assert document(out, "a.json") == jobun.parse_file(raw / "a.txt").to_dict()


def test_corpus_names_load_on_first_use_and_stay_the_functions():
    """jobun.corpus resolves its names lazily; a submodule imported first (run.py holds build)
    does not take the place of the function of the same name."""
    code = ("import jobun.corpus.run, jobun.corpus.inputs, jobun.corpus as c; "
            "print(callable(c.build) and c.build.__module__, c.discover.__module__, 'build' in dir(c))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["jobun.corpus.run", "jobun.corpus.inputs", "True"]
