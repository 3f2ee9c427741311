"""The command line as a user runs it: outputs, exit codes and messages."""
import json
import sys
from pathlib import Path

import pytest

from jobun.cli import main

RAW = Path(__file__).resolve().parent.parent / "corpus" / "raw"
SEED_002 = RAW / "002_125b29d274b3c27b.txt"
SEED_004 = RAW / "004_714f0646c96aa16f.txt"


def test_parse_writes_valid_json(tmp_path, capsys):
    out = tmp_path / "x.json"
    assert main(["parse", str(SEED_002), "-o", str(out), "--validate"]) == 0
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["source"] == {"name": SEED_002.name, "sha256": data["source"]["sha256"], "encoding": "utf-8"}
    assert data["children"][0]["id"] == "chap_1"
    assert list(tmp_path.iterdir()) == [out]                     # no temporary file left behind


def test_strict_makes_warnings_exit_1(tmp_path, capsys):
    assert main(["parse", str(SEED_004), "-o", str(tmp_path / "y.json"), "--strict"]) == 1
    assert f"{SEED_004}:7: misnumbered-first" in capsys.readouterr().err


@pytest.mark.parametrize("content", [None, b"\x7fELF\x00\x01\x02\x00binary"])
def test_bad_input_exits_2_with_a_one_line_message(tmp_path, capsys, content):
    path = tmp_path / "in.txt"
    if content is not None:
        path.write_bytes(content)
    assert main(["parse", str(path)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and str(path) in err


def test_outline_lists_ids_with_captions(capsys):
    assert main(["outline", str(SEED_002)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "Master’sONE モバイル 制御サービス利用規約"
    assert "chap_1  総則" in lines and "  art_1  利用規約の適用" in lines


def test_lint_reports_the_caption_mismatch_of_seed_002(capsys):
    assert main(["lint", str(SEED_002)]) == 1
    out = capsys.readouterr().out
    assert f"{SEED_002}:309: caption-mismatch" in out


@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_refs_exports_the_citation_graph(capsys, fmt):
    assert main(["refs", str(RAW / "000_30d030d3b9d0000f.txt"), "--format", fmt]) == 0
    out = capsys.readouterr().out
    if fmt == "csv":
        assert out.splitlines()[0] == "from,to,text,kind,law_number,law_id"
        assert "art_7/para_2/item_3,art_17/para_1,第１７条（提供停止）第１項各号,internal,," in out
    else:
        edges = json.loads(out)
        assert {"from": "art_4/para_2", "to": "art_4/para_1", "text": "前項", "kind": "internal"} in edges


def test_no_command_prints_help_and_exits_2(capsys):
    assert main([]) == 2
    assert "jobun build" in capsys.readouterr().err


# ---------------------------------------------------------------- -o targets that are not files

def char_device(tmp_path) -> Path:
    """A null device of our own where we may make one (root in a container), else /dev/null."""
    import os
    import stat
    own = tmp_path / "null"
    try:
        os.mknod(own, 0o666 | stat.S_IFCHR, os.makedev(1, 3))
        return own
    except (PermissionError, OSError, AttributeError):
        return Path("/dev/null")


def test_output_to_a_fifo_is_streamed(tmp_path):
    import os
    import threading
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    received = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()))
    reader.start()
    assert main(["parse", str(SEED_002), "-o", str(fifo), "--compact"]) == 0
    reader.join(timeout=30)
    assert json.loads(received[0])["source"]["name"] == SEED_002.name
    assert fifo.is_fifo()


def test_output_to_a_character_device_writes_without_replacing_it(tmp_path):
    device = char_device(tmp_path)
    before = device.stat()
    assert main(["parse", str(SEED_002), "-o", str(device)]) == 0
    after = device.stat()
    assert device.is_char_device() and (after.st_ino, after.st_rdev) == (before.st_ino, before.st_rdev)
    assert not [p for p in device.parent.iterdir() if p.name.startswith(f".{device.name}.")]


@pytest.mark.parametrize("make, phrase", [
    (lambda tmp: tmp, "is a folder"),
    (lambda tmp: (tmp / "link").symlink_to(tmp / "protected.txt") or tmp / "link", "symbolic link"),
    (lambda tmp: tmp / "missing-folder" / "deeper" / "x.json" if (tmp / "missing-folder").write_text("file")
     else None, "cannot write"),
])
def test_unusable_outputs_are_one_line_errors_and_nothing_is_replaced(tmp_path, capsys, make, phrase):
    protected = tmp_path / "protected.txt"
    protected.write_text("keep me")
    target = make(tmp_path)
    assert main(["parse", str(SEED_002), "-o", str(target)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and phrase in err and str(target) in err and "Traceback" not in err
    assert protected.read_text() == "keep me"


def test_dash_reads_standard_input(monkeypatch, capsys):
    import io
    import sys
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(SEED_002.read_bytes())))
    assert main(["outline", "-"]) == 0
    assert "chap_1  総則" in capsys.readouterr().out.splitlines()


def test_build_into_a_file_is_a_one_line_error(tmp_path, capsys):
    not_a_folder = tmp_path / "file"
    not_a_folder.write_text("x")
    assert main(["build", str(SEED_002), "-o", str(not_a_folder), "-q"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "not a folder" in err


def test_parse_does_not_load_the_build_machinery(tmp_path):
    """`jobun parse` builds the parser of every command, `jobun build` included, but imports what a
    build runs on (worker pools, multiprocessing) only when it needs them."""
    import subprocess
    import sys
    code = ("import sys, jobun.cli; jobun.cli.main(['parse', sys.argv[1], '-o', sys.argv[2]]); "
            "print(sorted(m for m in ('multiprocessing', 'concurrent.futures', 'jobun.corpus.run', 'html')"
            " if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code, str(SEED_002), str(tmp_path / "x.json")],
                         capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
    assert json.loads((tmp_path / "x.json").read_text(encoding="utf-8"))["children"]


def test_build_where_multiprocessing_cannot_load_is_a_one_line_error(tmp_path, capsys, monkeypatch):
    # as where sem_open is missing (some sandboxes): the build's modules fail to import
    monkeypatch.setitem(sys.modules, "jobun.corpus.run", None)
    (tmp_path / "a.txt").write_text("第1条 この規約は、本サービスに適用する。\n", encoding="utf-8")
    assert main(["build", str(tmp_path), "-o", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err
    assert err.startswith("jobun build: not available on this platform") and err.count("\n") == 1
    assert not (tmp_path / "out").exists()
