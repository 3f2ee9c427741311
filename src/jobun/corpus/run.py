"""One run of `jobun build`: inputs → tasks → workers → staged corpus → commit.

The order of the steps is what keeps the corpus whole:
1. find the inputs; none at all is a usage error and nothing is touched (not even OUTDIR created);
2. take the lock on OUTDIR, finish or drop whatever an earlier run left (layout.recover);
3. parse in workers, writing only into the stage;
4. only a run that finished commits: the stage replaces the previous outputs. Ctrl-C, SIGTERM or
   a crash before that leave the previous corpus as it was.
An OUTDIR given as an fsspec URL is staged in a local folder of its own, and its commit publishes
the stage to the URL (publish.py); the previous corpus is read from the URL.
"""
from __future__ import annotations

import shutil
import signal
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from .inputs import discover
from .locations import is_url
from .layout import BuildLocked, commit, document_files, keep_partial, locked, recover, stage_path
from .manifest import read_manifest, reusable_entries
from .pool import Scheduler
from .progress import Progress
from .publish import Published
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
    ranges: bool = False              # keep each reference's `ranges` in the documents

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
        return {"tokens": self.tokens, "pretty": self.pretty, "ranges": self.ranges}

    def work(self) -> WorkOptions:
        return WorkOptions(self.tokens, self.pretty, tuple(self.formats), self.ranges)


@dataclass
class BuildResult:
    exit_code: int
    entries: list[dict]
    stats: dict = field(default_factory=dict)
    orphans: list[dict] = field(default_factory=list)


class _Interrupted(Exception):
    """SIGTERM, turned into the same clean stop as Ctrl-C."""


class _StopRequest:
    """Ctrl-C or SIGTERM: raised at once, and remembered. An exception raised inside a callback
    (a weakref callback of Dask's, a __del__) is printed and dropped by Python, and the build went
    on to the end; the progress tick, called from the build loop, raises the stop again."""

    def __init__(self) -> None:
        self.seen = False

    def __call__(self, signum, frame):
        self.seen = True
        raise KeyboardInterrupt() if signum == signal.SIGINT else _Interrupted()

    def check(self) -> None:
        if self.seen:
            raise _Interrupted()

    def install(self) -> None:
        """Take SIGINT and SIGTERM for the run, and the unraisable hook (see quiet)."""
        self._previous = (signal.signal(signal.SIGINT, self), signal.signal(signal.SIGTERM, self),
                          sys.unraisablehook)
        sys.unraisablehook = self.quiet(sys.unraisablehook)

    def restore(self) -> None:
        sigint, sigterm, sys.unraisablehook = self._previous
        signal.signal(signal.SIGINT, sigint)
        signal.signal(signal.SIGTERM, sigterm)

    def quiet(self, hook):
        """sys.unraisablehook that leaves out the stops a callback dropped (they would print
        'Exception ignored … Traceback … KeyboardInterrupt'): check() raises them again."""
        def unraisable(info):
            if not isinstance(info.exc_value, (KeyboardInterrupt, _Interrupted)):
                hook(info)
        return unraisable


def _check_outdir(outdir: Path) -> None:
    if outdir.exists() and not outdir.is_dir():
        raise BuildError(f"{outdir}: exists and is not a folder")


def build(inputs: list[str], outdir: Path | str, options: BuildOptions | None = None, *,
          engine=Scheduler) -> BuildResult:
    """Build OUTDIR (a local path, or an fsspec URL) from inputs; see the `jobun build --help` text
    for the contract. Raises BuildError (nothing touched) when there is nothing to build or OUTDIR
    is unusable.

    `engine(jobs, item_for, accept, tick)` returns what runs the per-file work: its `run(tasks)`
    must call `work.process_file(item_for(task))` somewhere (a process pool here; a Dask or Ray
    cluster elsewhere) and `accept(task, result)` here, in the main process, for every task;
    `tick([(task, started), ...])` lets it report the files in flight to the progress line. An
    engine whose workers share this machine's disk says so with `shares_disk = True`: they are then
    told where to write the document files (WorkItem.write_to) instead of sending their bytes."""
    options = options or BuildOptions()
    published = Published(str(outdir)) if is_url(str(outdir)) else None
    outdir = published.local_root() if published else Path(outdir)
    _check_outdir(outdir)
    tasks, early_errors = discover(inputs, outdir)
    if not tasks:
        reason = early_errors[0]["error"] if early_errors else "no files"
        raise BuildError(f"nothing to build: {' '.join(inputs)}: {reason} (run from the right folder?)")
    outdir.mkdir(parents=True, exist_ok=True)
    outdir = outdir.resolve()
    try:
        with locked(outdir):
            if published:
                published.recover()
            partial = recover(outdir, keep_partial=options.incremental)
            return _run(tasks, early_errors, outdir, options, engine, partial, published)
    except BuildLocked as e:
        raise BuildError(str(e)) from None


def _run(tasks, early_errors, outdir: Path, options: BuildOptions, engine, partial,
         published: Published | None) -> BuildResult:
    corpus = published or outdir                # where the previous corpus is read
    previous = read_manifest(corpus)
    reusable = (reusable_entries(previous, options.recorded(), corpus, options.formats)
                if options.incremental else {})
    # documents an interrupted run finished, waiting in the stage
    staged = reusable_entries(partial, options.recorded(), stage_path(outdir), options.formats)
    for task in tasks:
        entry = staged.get((task.source, task.output)) or reusable.get((task.source, task.output))
        task.known_sha256 = entry["sha256"] if entry else None
    work = options.work()

    # Workers that share this machine's disk write the document files into the stage themselves
    stage = stage_path(outdir) if getattr(engine, "shares_disk", False) else None

    def item_for(task) -> WorkItem:
        write_to = () if stage is None else tuple(
            (fmt, str(stage / rel)) for fmt, rel in document_files(task.output, options.formats).items())
        return WorkItem(task.path, task.doc_id, task.source, task.known_sha256, work, write_to)

    progress = Progress(len(tasks), sum(t.size for t in tasks), jobs=options.jobs, quiet=options.quiet)
    writer = RunWriter(outdir, tasks, options, reusable, previous, staged, published)
    done = {"files": 0, "bytes": 0}

    def accept(task, result):
        writer.accept(task, result)
        done["files"] += 1
        done["bytes"] += task.size

    stop = _StopRequest()

    def tick(running):
        stop.check()
        progress.update(done["files"], done["bytes"], [(t.size, s) for t, s in running])

    started = time.monotonic()
    interrupted = finished = False
    stop.install()
    try:
        engine(options.jobs, item_for, accept, tick).run(tasks)
        finished = not stop.seen            # a stop that a callback dropped still stops
    except (KeyboardInterrupt, _Interrupted):
        interrupted = True
    finally:
        # The commit must not be cut short by a second Ctrl-C: it is what keeps the corpus whole.
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        try:
            interrupted = interrupted or stop.seen
            entries, orphans = _conclude(writer, outdir, published, options, early_errors, finished, interrupted)
        finally:
            stop.restore()
    progress.update(done["files"], done["bytes"], final=True)
    elapsed = time.monotonic() - started
    stats = _stats(writer, elapsed, options)
    exit_code = _report(entries, writer, tasks, orphans, interrupted, elapsed, stats, options)
    return BuildResult(exit_code, entries, stats, orphans)


def _conclude(writer: RunWriter, outdir: Path, published: Published | None, options: BuildOptions,
              early_errors, finished: bool, interrupted: bool) -> tuple[list, list]:
    """Commit a finished run; after a stop keep what it finished for the next run; after an error
    (a full disk …) drop the stage. The previous corpus stays whole unless the run finished.
    Returns (manifest entries, orphans)."""
    if finished:
        moves, removals, entries, orphans = writer.finish(early_errors, options.prune)
        writer.close()
        _commit(outdir, published, moves, removals)
        return entries, orphans
    writer.close()
    if interrupted:
        keep_partial(outdir, writer.partial_manifest(),
                     {rel for files in writer.staged.values() for rel in files})
    else:
        recover(outdir)
    return writer.entries_in_order(early_errors), []


def _commit(outdir: Path, published: Published | None, moves: list[str], removals: list[str]) -> None:
    if published is None:
        commit(outdir, moves, removals)
        return
    published.publish(stage_path(outdir), moves, removals)
    shutil.rmtree(stage_path(outdir), ignore_errors=True)


def _stats(writer: RunWriter, elapsed: float, options: BuildOptions) -> dict:
    parsed = len(writer.entries) - writer.unchanged
    return {"jobs": options.jobs, "elapsed_s": round(elapsed, 3), "documents_parsed": parsed,
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
        print(f"jobun build: interrupted after {len(writer.entries)} of {len(tasks)} file(s); the previous "
              f"corpus in the output folder is unchanged; rerun with --incremental to go on from "
              f"the {len(writer.staged)} document(s) finished.", file=out)
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
