"""`jobun build -o URL`: a corpus published to an fsspec store (memory://; file:// is the local
path it names) is the local build byte for byte, a publish cut short leaves every object under a
final name whole (old or new, the old manifest) and is finished by the next build, and
--incremental reads the published manifest and rewrites no document."""
from pathlib import Path

import fsspec
import pytest
from fsspec.implementations.memory import MemoryFileSystem

from jobun.cli import main as cli_main
from test_corpus import FAILED, PNG_HEADER, SEEDS, snapshot

FORMATS = "json,jsonl,egov-xml,parquet"
MEMORY = fsspec.filesystem("memory")


class FlakyMemory(MemoryFileSystem):
    """Test-only store (flaky://, the same objects as memory://) whose `fail_on`-th call of the
    method `failing` raises; a failing put_file first leaves half the object, as a cut upload."""
    protocol = "flaky"
    failing, fail_on, calls = None, 0, 0

    @classmethod
    def _strip_protocol(cls, path):
        return super()._strip_protocol(str(path).replace("flaky://", "memory://", 1))

    def _count(self, method: str) -> bool:
        if method != FlakyMemory.failing:
            return False
        FlakyMemory.calls += 1
        return FlakyMemory.calls == FlakyMemory.fail_on

    def put_file(self, lpath, rpath, **kwargs):
        if self._count("put_file"):
            self.pipe_file(rpath, Path(lpath).read_bytes()[:100])
            raise OSError(5, "connection reset", rpath)
        return super().put_file(lpath, rpath, **kwargs)

    def mv(self, path1, path2, **kwargs):
        if self._count("mv"):
            raise OSError(5, "connection reset", path2)
        return super().mv(path1, path2, **kwargs)


fsspec.register_implementation("flaky", FlakyMemory, clobber=True)


@pytest.fixture(autouse=True)
def isolated(tmp_path, monkeypatch):
    """Local stages under tmp_path; the memory store emptied after each test."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    yield
    if MEMORY.exists("/out"):
        MEMORY.rm("/out", recursive=True)


def make_inputs(folder: Path, version: int) -> Path:
    """The seeds and an undecodable file; version 2 changes one seed and drops another."""
    folder.mkdir(parents=True, exist_ok=True)
    for i, seed in enumerate(SEEDS):
        if version == 2 and i == 1:
            continue
        data = seed.read_bytes() + ("\n附則\nこの規約は、公布の日から施行する。\n".encode() if version == 2 and i == 0 else b"")
        (folder / seed.name).write_bytes(data)
    (folder / "image.png").write_bytes(PNG_HEADER)
    return folder


def build(inputs: Path, out: str, *extra) -> int:
    return cli_main(["build", str(inputs), "-o", out, "--format", FORMATS, "-j", "1", "-q", *extra])


def published(url: str) -> dict:
    """{path: bytes} of every object under a memory:// or file:// URL, the hidden stage excluded."""
    if url.startswith("file://"):
        return snapshot(Path(url[len("file://"):]))
    root = url[len("memory://"):].rstrip("/")
    return {path[len(root) + 2:]: MEMORY.cat_file(path) for path in sorted(MEMORY.find("/" + root))
            if "/.jobun-stage/" not in path}


def url_of(scheme: str, tmp_path: Path) -> str:
    return "memory://out" if scheme == "memory" else (tmp_path / "out").as_uri()


@pytest.mark.parametrize("scheme", ["memory", "file"])
def test_a_build_to_a_url_is_the_local_build_byte_for_byte(scheme, tmp_path):
    inputs = make_inputs(tmp_path / "raw", 1)
    assert build(inputs, str(tmp_path / "local")) == FAILED
    url = url_of(scheme, tmp_path)
    assert build(inputs, url) == FAILED
    local = snapshot(tmp_path / "local")
    assert {"_jobun/manifest.json", "corpus.jsonl", "_tables/nodes/part-00000.parquet"} <= set(local)
    assert any(name.endswith(".xml") for name in local)
    assert published(url) == local


@pytest.mark.parametrize("failing, fail_on, journal_written", [
    ("put_file", 3, False),         # an upload cut short: the stage only, the old corpus stands
    ("mv", 1, False),               # the journal never reaches its name
    ("mv", 4, True),                # some objects moved into place, not the manifest
])
def test_a_publish_cut_short_leaves_only_whole_objects_and_is_finished_next(
        failing, fail_on, journal_written, tmp_path, monkeypatch, capsys):
    old_inputs, new_inputs = make_inputs(tmp_path / "v1", 1), make_inputs(tmp_path / "v2", 2)
    assert build(old_inputs, "memory://out") == FAILED
    old = published("memory://out")
    assert build(new_inputs, str(tmp_path / "local"), "--prune") == FAILED
    new = snapshot(tmp_path / "local")
    capsys.readouterr()

    monkeypatch.setattr(FlakyMemory, "failing", failing)
    monkeypatch.setattr(FlakyMemory, "fail_on", fail_on)
    monkeypatch.setattr(FlakyMemory, "calls", 0)
    assert build(new_inputs, "flaky://out", "--prune") == 2
    err = capsys.readouterr().err
    assert "connection reset" in err and len(err.strip().splitlines()) == 1
    now = published("memory://out")
    assert all(data in (old.get(name), new.get(name)) for name, data in now.items())
    assert now["_jobun/manifest.json"] == old["_jobun/manifest.json"]      # the commit point
    assert (now != old) == journal_written
    assert MEMORY.exists("/out/.jobun-stage/COMMIT") == journal_written

    monkeypatch.setattr(FlakyMemory, "failing", None)
    assert build(new_inputs, "memory://out", "--prune") == FAILED
    assert published("memory://out") == new
    assert not MEMORY.exists("/out/.jobun-stage")


def document_objects(url: str, tmp_path: Path) -> dict:
    """Identity of every published document: the same when a build leaves it alone."""
    def is_document(path: str) -> bool:
        return path.endswith((".json", ".xml")) and "/_jobun/" not in path
    if url.startswith("file://"):
        return {p: (p.stat().st_ino, p.stat().st_mtime_ns) for p in (tmp_path / "out").rglob("*")
                if is_document(p.as_posix())}
    return {path: id(MEMORY.store[path]) for path in MEMORY.find("/out") if is_document(path)}


@pytest.mark.parametrize("scheme", ["memory", "file"])
def test_incremental_against_a_url_rewrites_no_document(scheme, tmp_path, capsys):
    inputs = make_inputs(tmp_path / "raw", 1)
    url = url_of(scheme, tmp_path)
    assert build(inputs, url) == FAILED
    before, corpus = document_objects(url, tmp_path), published(url)
    capsys.readouterr()
    assert build(inputs, url, "--incremental") == FAILED
    assert f"({len(SEEDS)} unchanged)" in capsys.readouterr().err
    assert len(before) == 2 * len(SEEDS) and document_objects(url, tmp_path) == before
    assert published(url) == corpus
