"""One run of `jobun build`: inputs → tasks → workers → staged corpus → commit.

The order of the steps is what keeps the corpus whole:
1. find the inputs; none at all is a usage error and nothing is touched (not even OUTDIR created);
2. take the lock on OUTDIR, finish or drop whatever an earlier run left (layout.recover);
3. parse in workers, writing only into the stage;
4. only a run that finished commits: the stage replaces the previous outputs. Ctrl-C, SIGTERM or
   a crash before that leave the previous corpus as it was.
"""
from __future__ import annotations

import contextlib
import signal
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from .discover import discover
from .layout import BuildLocked, commit, locked, recover, stage_path
from .manifest import read_manifest, reusable_entries
from .pool import Scheduler
from .progress import Progress
from .work import FORMATS, TABLE_FORMATS, WorkItem, WorkOptions
from .writer import RunWriter

EXIT_OK, EXIT_STRICT, EXIT_USAGE, EXIT_FAILED, EXIT_INTERRUPTED = 0, 1, 2, 3, 130


class BuildError(Exception):
    """A build that cannot start (no inputs, OUTDIR unusable); the message is one line."""


@dataclass
class BuildOptions:
    jobs: int = 1
    incremental: bool = False
    tokens: bool = False
    pretty: bool = False
    quiet: bool = False
    formats: tuple[str, ...] = ("json",)
    compression: str = "none"         # of JSON Lines outputs: none, gz, zst
    prune: bool = False
    strict: bool = False
    engine: str = "local"             # local (the process pool) or dask
    scheduler: str | None = None      # --engine dask: address of a running scheduler
    workers: int | None = None        # --engine dask: LocalCluster size, or workers to wait for

    def __post_init__(self):
        unknown = [f for f in self.formats if f not in FORMATS]
        if unknown or not self.formats:
            raise BuildError(f"unknown format {', '.join(unknown) or '(none)'}; "
                             f"choose from {', '.join(FORMATS)}")

    @property
    def tables(self) -> tuple[str, ...]:
        return tuple(f for f in self.formats if f in TABLE_FORMATS)

    def recorded(self) -> dict:
        """The options that change document bytes; a change invalidates --incremental skips."""
        return {"tokens": self.tokens, "pretty": self.pretty}

    def work(self) -> WorkOptions:
        return WorkOptions(self.tokens, self.pretty, tuple(self.formats))


@dataclass
class LocalEngine:
    """The built-in engine: worker processes on this machine (pool.Scheduler)."""
    workers: int

    def scheduler(self, item_for, accept, tick) -> Scheduler:
        return Scheduler(self.workers, item_for, accept, tick)


@contextlib.contextmanager
def engine_for(options: BuildOptions):
    """The engine that runs the per-file work; started before the run touches OUTDIR's stage, so
    a cluster that cannot be reached is a usage error with nothing written."""
    if options.engine != "dask":
        yield LocalEngine(options.jobs)
        return
    from .dask_engine import dask_engine
    workers = options.workers or (1 if options.scheduler else options.jobs)
    with dask_engine(options.scheduler, workers, quiet=options.quiet) as engine:
        yield engine


@dataclass
class BuildResult:
    exit_code: int
    entries: list[dict]
    stats: dict = field(default_factory=dict)
    orphans: list[dict] = field(default_factory=list)


class _Interrupted(Exception):
    """SIGTERM, turned into the same clean stop as Ctrl-C."""


def _raise_interrupted(signum, frame):
    raise _Interrupted()


def _check_outdir(outdir: Path) -> None:
    if outdir.exists() and not outdir.is_dir():
        raise BuildError(f"{outdir}: exists and is not a folder")


def build(inputs: list[str], outdir: Path, options: BuildOptions | None = None) -> BuildResult:
    """Build OUTDIR from inputs; see the `jobun build --help` text for the contract.
    Raises BuildError (nothing touched) when there is nothing to build or OUTDIR is unusable."""
    options = options or BuildOptions()
    outdir = Path(outdir)
    _check_outdir(outdir)
    tasks, early_errors = discover(inputs, outdir)
    if not tasks:
        reason = early_errors[0]["error"] if early_errors else "no files"
        raise BuildError(f"nothing to build: {' '.join(inputs)}: {reason} (run from the right folder?)")
    outdir.mkdir(parents=True, exist_ok=True)
    outdir = outdir.resolve()
    try:
        with locked(outdir):
            recover(outdir)
            with engine_for(options) as engine:
                return _run(tasks, early_errors, outdir, options, engine)
    except BuildLocked as e:
        raise BuildError(str(e)) from None


def _run(tasks, early_errors, outdir: Path, options: BuildOptions, engine) -> BuildResult:
    previous = read_manifest(outdir)
    reusable = reusable_entries(previous, options.recorded(), outdir) if options.incremental else {}
    for task in tasks:
        entry = reusable.get((task.source, task.output))
        task.known_sha256 = entry["sha256"] if entry else None
    work = options.work()

    def item_for(task) -> WorkItem:
        return WorkItem(task.path, task.doc_id, task.source, task.known_sha256, work)

    progress = Progress(len(tasks), sum(t.size for t in tasks), jobs=engine.workers, quiet=options.quiet)
    writer = RunWriter(outdir, tasks, options, reusable, previous)
    done = {"files": 0, "bytes": 0}

    def accept(task, result):
        writer.accept(task, result)
        done["files"] += 1
        done["bytes"] += task.size

    def tick(running):
        progress.update(done["files"], done["bytes"], [(t.size, s) for t, s in running])

    started = time.monotonic()
    interrupted = finished = False
    previous_sigterm = signal.signal(signal.SIGTERM, _raise_interrupted)
    try:
        engine.scheduler(item_for, accept, tick).run(tasks)
        finished = True
    except (KeyboardInterrupt, _Interrupted):
        interrupted = True
    finally:
        # The commit must not be cut short by a second Ctrl-C: it is what keeps the corpus whole.
        previous_sigint = signal.signal(signal.SIGINT, signal.SIG_IGN)
        try:
            if not finished:                    # interrupted, or the engine failed: never commit
                writer.close()
                recover(outdir)                 # drop the stage; the previous corpus stays
                entries, orphans = writer.entries_in_order(early_errors), []
            else:
                moves, removals, entries, orphans = writer.finish(early_errors, options.prune)
                writer.close()
                commit(outdir, moves, removals)
        finally:
            signal.signal(signal.SIGINT, previous_sigint)
            signal.signal(signal.SIGTERM, previous_sigterm)
    progress.update(done["files"], done["bytes"], final=True)
    elapsed = time.monotonic() - started
    stats = _stats(writer, elapsed, options, engine.workers)
    exit_code = _report(entries, writer, tasks, orphans, interrupted, elapsed, stats, options)
    return BuildResult(exit_code, entries, stats, orphans)


def _stats(writer: RunWriter, elapsed: float, options: BuildOptions, workers: int) -> dict:
    parsed = len(writer.entries) - writer.unchanged
    return {"engine": options.engine, "jobs": workers, "elapsed_s": round(elapsed, 3), "documents_parsed": parsed,
            "unchanged": writer.unchanged, "bytes_parsed": writer.parsed_bytes,
            "documents_per_s": round(parsed / elapsed, 2) if elapsed else None,
            "mb_per_s": round(writer.parsed_bytes / 1e6 / elapsed, 3) if elapsed else None,
            "worker_peak_rss_mb": sorted(round(kb / 1024, 1) for kb in writer.worker_rss_kb.values())}


def _report(entries, writer, tasks, orphans, interrupted, elapsed, stats, options) -> int:
    failed = [e for e in entries if e["status"] == "error"]
    ok = sum(1 for e in entries if e["status"] == "ok")
    warned = sum(1 for e in entries if e["warnings"])
    out = sys.stderr
    peak = max(stats["worker_peak_rss_mb"], default=0)
    if interrupted:
        print(f"jobun build: interrupted after {len(writer.entries)} of {len(tasks)} file(s); nothing "
              f"written, the previous corpus in the output folder is unchanged.", file=out)
        return EXIT_INTERRUPTED
    print(f"jobun build: {ok} ok ({writer.unchanged} unchanged), {len(failed)} failed, "
          f"{stats['documents_parsed']} parsed in {elapsed:.1f} s "
          f"({stats['mb_per_s'] or 0:.2f} MB/s, peak worker memory {peak:.0f} MB)", file=out)
    for entry in failed:
        print(f"  failed: {entry['source']}: {entry['error']}", file=out)
    if orphans:
        verb = "removed (--prune)" if options.prune else "kept; --prune removes them"
        print(f"jobun build: {len(orphans)} output(s) of inputs that are gone, {verb}:", file=out)
        for orphan in orphans[:20]:
            print(f"  gone: {orphan['source']} → {orphan['output']}", file=out)
    if failed:
        return EXIT_FAILED
    return EXIT_STRICT if options.strict and warned else EXIT_OK
