"""`jobun build --engine dask` on a LocalCluster of two worker processes: the corpus of the local
engine byte for byte, workers killed mid-build, --incremental, and Ctrl-C."""
import logging
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import cloudpickle
import dask
import pytest
from distributed import LocalCluster, WorkerPlugin

from jobun.cli import main as cli_main
from jobun.corpus.dask_engine import KEY_PREFIX
from test_corpus import FAILED, PNG_HEADER, SEEDS, file_identities, leftovers, manifest, snapshot

ROOT = Path(__file__).resolve().parent.parent
FORMATS = "json,jsonl,parquet"


class KillWorker(WorkerPlugin):
    """Test-only fault: the worker exits (like a kill -9 or the OOM killer) when it starts a task
    that holds input number `index`, at most `times` times over the whole cluster (counted in files
    under `marks`, since a worker restarted by its nanny is a new process)."""

    def __init__(self, index: int, times: int, marks: Path):
        self.index, self.times, self.marks = index, times, marks

    def transition(self, key, start, finish, **kwargs):
        if finish != "executing" or not str(key).startswith(KEY_PREFIX):
            return
        first, last = map(int, str(key)[len(KEY_PREFIX) + 1:].split("-")[:2])
        if first <= self.index <= last and self._take_a_life():
            os._exit(1)

    def _take_a_life(self) -> bool:
        for n in range(self.times):
            try:
                os.close(os.open(self.marks / f"kill-{n}", os.O_CREAT | os.O_EXCL))
                return True
            except FileExistsError:
                continue
        return False


cloudpickle.register_pickle_by_value(sys.modules[__name__])     # workers cannot import tests/


@pytest.fixture(scope="module")
def cluster():
    # Dask gives up on a task after its second worker death (default: fourth), to keep tests short.
    with dask.config.set({"distributed.scheduler.allowed-failures": 1}):
        with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None,
                          silence_logs=logging.ERROR) as cluster:
            yield cluster


@pytest.fixture
def killer(cluster, tmp_path):
    """Install a KillWorker on the cluster: killer(index, times) → the folder of its marks."""
    from distributed import Client
    client = Client(cluster)
    marks = tmp_path / "marks"
    marks.mkdir()

    def install(index: int, times: int) -> Path:
        client.register_plugin(KillWorker(index, times, marks), name="kill-worker")
        return marks

    yield install
    client.unregister_worker_plugin("kill-worker")
    client.close()


@pytest.fixture(scope="module")
def inputs(tmp_path_factory) -> Path:
    """The seeds, tests/data, longer documents, other encodings, an empty and a binary file."""
    folder = tmp_path_factory.mktemp("dask") / "raw"
    folder.mkdir()
    for path in SEEDS + sorted((ROOT / "tests" / "data").glob("*.txt")):
        (folder / path.name).write_bytes(path.read_bytes())
    for i in range(12):
        (folder / "long" / f"doc_{i:02d}.txt").parent.mkdir(exist_ok=True)
        (folder / "long" / f"doc_{i:02d}.txt").write_bytes(SEEDS[i % len(SEEDS)].read_bytes() * 4)
    (folder / "copy_cp932.txt").write_bytes(SEEDS[0].read_text(encoding="utf-8").encode("cp932"))
    (folder / "empty.txt").write_bytes(b"")
    (folder / "image.png").write_bytes(PNG_HEADER)
    return folder


@pytest.fixture(scope="module")
def local_corpus(inputs) -> dict:
    out = inputs.parent / "local"
    assert build(inputs, out, "-j", "2") == FAILED          # image.png cannot be decoded
    return snapshot(out)


def build(folder: Path, out: Path, *extra) -> int:
    return cli_main(["build", str(folder), "-o", str(out), "--format", FORMATS, "-q", *map(str, extra)])


def on(cluster) -> tuple:
    return "--engine", "dask", "--scheduler", cluster.scheduler_address


def test_dask_build_equals_the_local_build_byte_for_byte(cluster, inputs, local_corpus, tmp_path):
    out = tmp_path / "dask"
    assert build(inputs, out, *on(cluster)) == FAILED
    assert snapshot(out) == local_corpus
    assert leftovers(out) == []


def test_a_worker_killed_mid_build_loses_and_duplicates_nothing(cluster, inputs, local_corpus,
                                                                killer, tmp_path):
    marks = killer(index=len(list(inputs.rglob("*.txt"))) // 2, times=1)
    out = tmp_path / "dask"
    assert build(inputs, out, *on(cluster)) == FAILED
    assert list(marks.iterdir())                            # a worker did die
    assert snapshot(out) == local_corpus


def test_a_file_that_kills_every_worker_is_one_error_entry(cluster, inputs, local_corpus, killer,
                                                           tmp_path):
    marks = killer(index=3, times=99)
    out = tmp_path / "dask"
    assert build(inputs, out, *on(cluster)) == FAILED
    entries = manifest(out)["files"]
    deadly = entries[3]
    assert "worker process died" in deadly["error"]
    assert len(list(marks.iterdir())) >= 2                  # in its task, then alone
    failed = {e["source"] for e in entries if e["status"] == "error"}
    assert failed == {deadly["source"], str(inputs / "image.png")}
    corpus = snapshot(out)
    assert {name: data for name, data in local_corpus.items() if name.endswith(".json")
            and name != deadly["output"] and not name.startswith("_")} == \
           {name: data for name, data in corpus.items() if name.endswith(".json") and not name.startswith("_")}


def test_incremental_rebuild_on_dask_rewrites_nothing(cluster, inputs, tmp_path):
    out = tmp_path / "dask"
    assert cli_main(["build", str(inputs), "-o", str(out), "-q", *on(cluster)]) == FAILED
    before, identities = snapshot(out), file_identities(out)
    assert cli_main(["build", str(inputs), "-o", str(out), "-q", "--incremental", *on(cluster)]) == FAILED
    assert file_identities(out) == identities
    assert snapshot(out) == before
    totals = manifest(out)["totals"]
    assert totals["ok"] == totals["files"] - 1


def test_ctrl_c_cancels_the_cluster_and_leaves_the_previous_corpus(inputs, local_corpus, tmp_path):
    """Without --scheduler the build starts its own LocalCluster (dashboard link printed); a
    Ctrl-C reaches the whole process group, as from a terminal."""
    out = tmp_path / "corpus"
    (out / "_jobun").mkdir(parents=True)
    for name, data in local_corpus.items():
        (out / name).parent.mkdir(parents=True, exist_ok=True)
        (out / name).write_bytes(data)
    changed = tmp_path / "raw"
    changed.mkdir()
    for i in range(64):             # far more work than the instant between staging and the signal
        (changed / f"doc_{i:02d}.txt").write_bytes(SEEDS[i % len(SEEDS)].read_bytes() * 12)
    proc = subprocess.Popen([sys.executable, "-m", "jobun.cli", "build", str(changed), "-o", str(out),
                             "--format", FORMATS, "--engine", "dask", "--workers", "2"],
                            stderr=subprocess.PIPE, text=True, start_new_session=True)
    deadline = time.monotonic() + 120
    while not list((out / ".jobun-stage").glob("doc_*.json")):
        assert proc.poll() is None and time.monotonic() < deadline, proc.stderr.read()
        time.sleep(0.05)
    os.killpg(proc.pid, signal.SIGINT)
    _, stderr = proc.communicate(timeout=60)
    assert proc.returncode == 130, stderr
    assert "dashboard http" in stderr and "previous corpus" in stderr
    assert "Traceback" not in stderr
    assert snapshot(out) == local_corpus


def test_a_ctrl_c_before_a_dask_call_started_prints_no_traceback(caplog):
    """distributed's sync() answers a Ctrl-C with a callback that cancels the call it waits for;
    when the call had not started yet, that callback fails (NameError) and tornado logged the
    traceback on the build's stderr (the Ctrl-C test above, one run in ten under load). Here the
    loop is kept busy so that the interrupt always comes first."""
    from distributed.utils import LoopRunner, sync
    from jobun.corpus.dask_engine import _unstarted_cancel_left_out

    async def call():
        return 1

    def interrupt(signum, frame):
        raise KeyboardInterrupt

    runner = LoopRunner(asynchronous=False)
    runner.start()
    previous = signal.signal(signal.SIGALRM, interrupt)
    try:
        runner.loop.add_callback(time.sleep, 0.3)        # the loop busy: `call` cannot start yet
        with _unstarted_cancel_left_out(), caplog.at_level(logging.ERROR):
            signal.setitimer(signal.ITIMER_REAL, 0.1)
            with pytest.raises(KeyboardInterrupt):
                sync(runner.loop, call)
            time.sleep(0.5)                                # the loop runs the cancel callback
    finally:
        signal.signal(signal.SIGALRM, previous)
        runner.stop()
    assert not caplog.records, [record.getMessage() for record in caplog.records]


def test_the_engine_leaves_out_that_error_while_it_runs(cluster):
    """dask_engine installs the filter above for the build's whole run, and removes it after."""
    from jobun.corpus.dask_engine import _UnstartedCancel, dask_engine

    def installed():
        return [f for f in logging.getLogger("tornado.application").filters if isinstance(f, _UnstartedCancel)]

    with dask_engine(cluster.scheduler_address, 2, quiet=True):
        assert len(installed()) == 1
    assert installed() == []


def test_inputs_given_as_urls_build_like_paths(cluster, inputs, local_corpus, tmp_path):
    """memory:// (read by the forked local workers, which share the parent's memory filesystem)
    and file:// (read by the Dask workers) give the documents and corpus.jsonl of the path build."""
    import fsspec
    memory = fsspec.filesystem("memory")
    for path in inputs.rglob("*"):
        if path.is_file():
            memory.pipe(f"/jobun-test/{path.relative_to(inputs).as_posix()}", path.read_bytes())
    documents = {name: data for name, data in local_corpus.items() if not name.startswith("_")}
    cases = (("memory://jobun-test", ("-j", "2"), "memory:///jobun-test/"),
             (inputs.as_uri(), on(cluster), f"{inputs}/"))     # file:// is read as the path it names
    for url, engine, source_root in cases:
        out = tmp_path / url.split(":")[0]
        assert build(url, out, *engine) == FAILED
        built = snapshot(out)
        assert {name: data for name, data in built.items() if not name.startswith("_")} == documents
        assert [e["source"] for e in manifest(out)["files"]] == \
               [source_root + e["doc_id"] for e in manifest(out)["files"]]
    memory.rm("/jobun-test", recursive=True)


@pytest.mark.parametrize("extra, message", [
    (("-o", "{tmp}/out", "--scheduler", "tcp://127.0.0.1:8786"), "go with --engine dask"),
    (("-o", "{tmp}/out", "--engine", "dask", "--workers", "0"), "at least 1"),
])
def test_engine_options_misused_are_one_line_errors(tmp_path, capsys, extra, message):
    args = [arg.replace("{tmp}", str(tmp_path)) for arg in extra]
    assert cli_main(["build", str(SEEDS[0]), *args]) == 2
    err = capsys.readouterr().err
    assert message in err and len(err.strip().splitlines()) == 1
    assert not (tmp_path / "out").exists()
