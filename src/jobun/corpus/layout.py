"""The output folder: where each output lives, and how one run's outputs replace the last run's.

    OUTDIR/x/y.json            documents: directly in OUTDIR, so `OUTDIR/*.json` and jobun.load(OUTDIR)
                               see documents only
    OUTDIR/x/y.xml             the same document as e-Gov XML (--format egov-xml), named after its JSON
    OUTDIR/corpus.jsonl[.gz]   every document on one line (--format jsonl)
    OUTDIR/_jobun/manifest.json
    OUTDIR/_tables/            flat tables: <table>/part-00000.parquet, <table>.jsonl
    OUTDIR/.jobun-stage/       the run in progress, same layout (hidden: no reader sees it)

A run writes only into the stage. When it has finished, a journal (`COMMIT` in the stage) lists
what moves into OUTDIR and what is removed; the journal is written atomically and then carried
out, the manifest last. A run that stops before the journal leaves OUTDIR as it was; one that stops
while carrying it out is rolled forward by the next build. Either way the next build removes the
stage and every temporary file an earlier run left behind — but an interrupted run (Ctrl-C,
SIGTERM) first lists the documents it finished, and a next build with --incremental keeps those
and does not parse their inputs again.
"""
from __future__ import annotations

import contextlib
import json
import os
import shutil
from pathlib import Path

from .atomic import sync_files, write_bytes_atomic

META_DIR = "_jobun"
TABLES_DIR = "_tables"
RESERVED_NAMES = (META_DIR, TABLES_DIR)      # top-level folders no document may be written to
MANIFEST = f"{META_DIR}/manifest.json"
LEGACY_MANIFEST = "manifest.json"            # where builds before the _jobun folder put it
STAGE_DIR = ".jobun-stage"
JOURNAL = "COMMIT"
PARTIAL = f"{META_DIR}/partial.json"         # in the stage: what an interrupted run finished
# The files one input may have in OUTDIR, by format: its JSON (the manifest's `output`) and the e-Gov
# XML beside it. JSON outputs are unique and all end in .json, so the XML names are unique too.
DOCUMENT_FILE_SUFFIXES = {"json": ".json", "egov-xml": ".xml"}


class BuildLocked(Exception):
    """Another build holds OUTDIR."""


@contextlib.contextmanager
def locked(outdir: Path):
    """Hold OUTDIR for one build (an advisory lock on the folder itself, so no file is left
    behind): two builds writing the same stage would corrupt each other."""
    try:
        import fcntl
    except ImportError:             # Windows: no advisory locks; one build at a time is on the user
        yield
        return
    fd = os.open(outdir, os.O_RDONLY)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise BuildLocked(f"{outdir}: another jobun build is writing this folder") from None
        _held_locks.add(fd)
        yield
    finally:
        _held_locks.discard(fd)
        os.close(fd)


# A forked worker shares the lock's open file (flock locks belong to it, not to a process): until
# every copy is closed, a killed build's workers would keep OUTDIR locked against the next build.
_held_locks: set[int] = set()


def close_inherited_locks() -> None:
    """In a forked worker: close its copies of the build locks (never unlock: that would free the
    main process's lock too)."""
    for fd in list(_held_locks):
        with contextlib.suppress(OSError):
            os.close(fd)
    _held_locks.clear()


def document_files(output: str, formats=tuple(DOCUMENT_FILE_SUFFIXES)) -> dict[str, str]:
    """{format: path relative to OUTDIR} of the per-document files, among `formats`, of the input
    whose JSON output is `output`."""
    # pathlib's with_suffix by string operations (a build asks this four times per document): the
    # suffix is the name's last dot on, unless that dot starts or ends the name
    name_at = output.rfind("/") + 1
    dot = output.rfind(".", name_at)
    stem = output[:dot] if name_at < dot < len(output) - 1 else output
    return {fmt: stem + suffix for fmt, suffix in DOCUMENT_FILE_SUFFIXES.items() if fmt in formats}


def stage_path(outdir: Path) -> Path:
    return outdir / STAGE_DIR


def recover(outdir: Path, *, keep_partial: bool = False) -> dict | None:
    """Finish a commit an earlier run was carrying out, then drop whatever else it left behind —
    except, with keep_partial (--incremental), the documents an interrupted run had finished,
    which are returned as its partial manifest so that this run need not parse them again."""
    stage = stage_path(outdir)
    journal = stage / JOURNAL
    partial = None
    if journal.is_file():
        _apply(outdir, json.loads(journal.read_text(encoding="utf-8")))
    elif keep_partial and (stage / PARTIAL).is_file():
        try:
            partial = json.loads((stage / PARTIAL).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            partial = None
    if partial is None:
        shutil.rmtree(stage, ignore_errors=True)
    else:
        finished = {rel for entry in partial.get("files", [])
                    for rel in document_files(entry["output"]).values()}
        # Read once: this run may overwrite those files (other options, changed inputs), and a
        # run killed before writing its own partial manifest must not leave this one to vouch for them
        _trim_stage(stage, finished)
    _remove_stale_temporaries(outdir)
    return partial


def keep_partial(outdir: Path, manifest: bytes, outputs: set[str]) -> None:
    """An interrupted run keeps its finished documents (`outputs`) in the stage, listed in a
    partial manifest, for the next --incremental build; OUTDIR itself is not touched."""
    stage = stage_path(outdir)
    write_bytes_atomic(stage / PARTIAL, manifest)
    _trim_stage(stage, outputs | {PARTIAL})


def _trim_stage(stage: Path, keep: set[str]) -> None:
    for path in sorted(stage.rglob("*"), reverse=True):          # children before their folders
        rel = path.relative_to(stage).as_posix()
        if path.is_dir() and not path.is_symlink():
            with contextlib.suppress(OSError):
                path.rmdir()                                       # only once empty
        elif rel not in keep:
            path.unlink()


def _remove_stale_temporaries(outdir: Path) -> None:
    """Temporary files of the atomic writer (`.NAME.XXXX.tmp`) and spools of earlier versions."""
    for dirpath, dirnames, filenames in os.walk(outdir):
        dirnames[:] = [d for d in dirnames if not d.startswith(".")]
        for name in filenames:
            if name.startswith(".") and (name.endswith(".tmp") or name.startswith(".corpus-spool-")):
                with contextlib.suppress(FileNotFoundError):
                    os.unlink(os.path.join(dirpath, name))


def commit(outdir: Path, moves: list[str], removals: list[str]) -> None:
    """Make the staged run the corpus: `moves` (paths relative to the stage, taken to the same
    place in OUTDIR, in order) and `removals` (paths in OUTDIR), then drop the stage."""
    stage = stage_path(outdir)
    sync_files([stage])             # the staged files are durable before the journal names them
    plan = {"remove": removals, "move": moves}
    write_bytes_atomic(stage / JOURNAL, json.dumps(plan, ensure_ascii=False).encode("utf-8"))
    _apply(outdir, plan)
    shutil.rmtree(stage, ignore_errors=True)


def _apply(outdir: Path, plan: dict) -> None:
    """Carry out a journal; every step can be repeated, so a second run after a crash finishes it."""
    stage = stage_path(outdir)
    for rel in plan["remove"]:
        _remove(outdir / rel)
        _remove_empty_parents(outdir / rel, outdir)
    for rel in plan["move"]:
        staged, target = stage / rel, outdir / rel
        if not os.path.lexists(staged):
            continue                # moved by the run that crashed
        target.parent.mkdir(parents=True, exist_ok=True)
        if staged.is_dir() and not staged.is_symlink():
            old = stage / f".old-{rel.replace('/', '-')}"
            if os.path.lexists(target):
                os.replace(target, old)
            os.replace(staged, target)
            _remove(old)
        else:
            os.replace(staged, target)


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    else:
        with contextlib.suppress(FileNotFoundError):
            path.unlink()


def _remove_empty_parents(path: Path, outdir: Path) -> None:
    parent = path.parent
    while parent != outdir and outdir in parent.parents:
        try:
            parent.rmdir()
        except OSError:             # not empty, or already gone
            return
        parent = parent.parent
