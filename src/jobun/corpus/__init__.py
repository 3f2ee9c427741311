"""`jobun build`: convert many raw text files into a JSON corpus, in parallel, safely and repeatably.

Layout of OUTDIR after a build:
    x/y.json        one document per input (x/y.txt → x/y.json), one line of JSON
    corpus.jsonl    every successful document, one per line, in sorted input order
    manifest.json   what was built from what: sha256, encoding, status, error, counts

Design notes
- Workers parse, validate and serialize; they return JSON bytes plus a small summary, and the main
  process does all writing (atomically), so a killed worker can never leave a half-written file.
- At most 2 × jobs files are in flight, so memory does not grow with the size of the corpus.
- The manifest is the commit point: document files are renamed into place as they arrive and
  synced to disk together just before a checkpoint lists them (not one fsync per file); checkpoints
  are spaced so that rewriting a large manifest takes at most a twentieth of the run.
- corpus.jsonl must come out in input order although results arrive in completion order: each
  line is appended to an anonymous spool file as it arrives and copied out in order at the end.
"""
from __future__ import annotations

import argparse
import glob
import hashlib
import json
import os
import signal
import sys
import tempfile
import time
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from .atomic import atomic_writer, sync_files, write_bytes_atomic
from ..io.export import PARSER_VERSION

MANIFEST = "manifest.json"
CORPUS_JSONL = "corpus.jsonl"
CHECKPOINT_SECONDS = 5.0        # manifest rewritten this often (less on huge runs), so a hard kill loses little
LOG_SECONDS = 10.0              # progress line interval when stderr is not a terminal
EXIT_OK, EXIT_FAILED, EXIT_INTERRUPTED = 0, 1, 130

DESCRIPTION = """\
Convert raw legal texts into a JSON corpus: one JSON document per input file, corpus.jsonl with
every document on one line, and manifest.json recording for each input its sha256, size, detected
encoding (UTF-8, UTF-16 with BOM, CP932, EUC-JP), status and error, and counts of articles,
paragraphs, items, references and warnings. Every document is checked against the published
JSON Schema before it is written; files are written atomically (never half-written).

INPUT may be a file, a directory (read recursively; hidden files and OUTDIR itself are skipped)
or a quoted glob such as 'raw/**/*.txt'. Output paths mirror the input's path relative to the
directory or glob base given: raw/x/y.txt built from raw → OUTDIR/x/y.json."""

EPILOG = """\
failures:
  A file that cannot be read, decoded or parsed becomes a manifest entry with status "error" and a
  message; the build goes on. Exit status: 0 all files ok, 1 some failed (they are listed at the
  end), 2 usage error, 130 interrupted.

interrupting and resuming:
  Ctrl-C (or SIGTERM) stops the workers, keeps every document already written, and writes
  manifest.json and corpus.jsonl for what finished. Run the same command again with --incremental
  to finish the job.

--incremental:
  Skips every input whose sha256, parser version and options match its manifest entry and whose
  JSON file still exists; those JSON files are not touched (same inode, same mtime). Files that
  failed before are retried. corpus.jsonl is always rebuilt: lines of skipped documents are copied
  from their existing per-document JSON files, so it stays complete and in input order.

output is deterministic:
  The same inputs give byte-identical document JSON (no timestamps; sorted inputs). Each
  document file holds the same JSON as `jobun parse --compact FILE`.

examples:
  jobun build corpus/raw -o corpus/json                 every file under corpus/raw, all cores
  jobun build 'terms/**/*.txt' law.txt -o out -j 2      a glob and a file, two workers
  jobun build corpus/raw -o corpus/json --incremental   only what changed since the last build
  python -c "import jobun; print(sum(1 for d in jobun.load('corpus/json/corpus.jsonl')))"
"""


# ---------------------------------------------------------------- command line

def add_parser(subparsers) -> None:
    p = subparsers.add_parser(
        "build", help="convert files or folders into a JSON corpus (parallel, incremental)",
        description=DESCRIPTION, epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("inputs", nargs="+", metavar="INPUT", help="file, directory or glob ('raw/**/*.txt')")
    p.add_argument("-o", "--output", required=True, metavar="OUTDIR", help="output folder (created if missing)")
    p.add_argument("-j", "--jobs", type=int, default=os.cpu_count() or 1, metavar="N",
                   help=f"worker processes (default: all cores, here {os.cpu_count()})")
    p.add_argument("--incremental", action="store_true",
                   help="skip inputs unchanged since the manifest was written (see below)")
    p.add_argument("--tokens", action="store_true",
                   help="add tokens (surface, lemma, pos, reading) to every sentence (much slower)")
    p.add_argument("--pretty", action="store_true",
                   help="indent the per-document JSON files (like `jobun parse`); slower to write")
    p.add_argument("-q", "--quiet", action="store_true", help="no progress output, only the summary")
    p.add_argument("--stats", metavar="FILE",
                   help="write timing and worker memory figures as JSON to FILE (not deterministic, "
                        "so kept out of the manifest)")
    p.set_defaults(func=cmd_build)


def cmd_build(args) -> int:
    if args.jobs < 1:
        print("jobun build: -j/--jobs must be at least 1", file=sys.stderr)
        return 2
    options = BuildOptions(jobs=args.jobs, incremental=args.incremental, tokens=args.tokens,
                           pretty=args.pretty, quiet=args.quiet)
    result = build(args.inputs, Path(args.output), options)
    if args.stats:
        write_bytes_atomic(Path(args.stats), (json.dumps(result.stats, indent=1) + "\n").encode())
    return result.exit_code


# ---------------------------------------------------------------- finding the inputs

@dataclass
class Task:
    index: int
    path: str                   # path to read
    source: str                 # as recorded in the manifest (the path as the user's shell sees it)
    output: str | None          # POSIX path relative to OUTDIR
    size: int = 0
    known_sha256: str | None = None   # --incremental: skip when the file still hashes to this


@dataclass
class BuildOptions:
    jobs: int = 1
    incremental: bool = False
    tokens: bool = False
    pretty: bool = False
    quiet: bool = False

    def recorded(self) -> dict:
        """The options that change output bytes; a change invalidates --incremental skips."""
        return {"tokens": self.tokens, "pretty": self.pretty}


def _has_magic(text: str) -> bool:
    return any(ch in text for ch in "*?[")


def _glob_base(pattern: str) -> Path:
    """The leading directories of a glob pattern that contain no wildcard."""
    parts = []
    for part in Path(pattern).parts:
        if _has_magic(part):
            break
        parts.append(part)
    return Path(*parts) if parts else Path(".")


def _is_hidden(rel: Path) -> bool:
    return any(part.startswith(".") for part in rel.parts)


def _walk(root: Path, outdir: Path):
    """Regular files under root, sorted, skipping hidden ones and anything inside OUTDIR."""
    for dirpath, dirnames, filenames in os.walk(root):
        here = Path(dirpath)
        dirnames[:] = sorted(d for d in dirnames
                             if not d.startswith(".") and (here / d).resolve() != outdir)
        for name in sorted(filenames):
            if not name.startswith("."):
                yield here / name


def _expand(inputs: list[str], outdir: Path):
    """(path, path relative to its base) for every input file; (input, None) for missing ones."""
    for given in inputs:
        path = Path(given)
        if path.is_dir():
            for file in _walk(path, outdir):
                yield file, file.relative_to(path)
        elif path.exists():
            yield path, Path(path.name)
        elif _has_magic(given):
            base = _glob_base(given)
            for match in sorted(glob.glob(given, recursive=True)):
                match_path = Path(match)
                if match_path.is_dir():
                    for file in _walk(match_path, outdir):
                        yield file, file.relative_to(base)
                elif match_path.is_file() and not _is_hidden(match_path.relative_to(base)):
                    yield match_path, match_path.relative_to(base)
        else:
            yield path, None


def _safe_output(rel: Path, outdir: Path) -> str | None:
    """The output path for rel (suffix → .json), or None when it would land outside OUTDIR."""
    stem = rel.name[: -len(rel.suffix)] if rel.suffix else rel.name
    out = PurePosixPath(*rel.parts[:-1], stem + ".json")
    if out.is_absolute() or ".." in out.parts or out.name in (MANIFEST, CORPUS_JSONL):
        return None
    resolved = (outdir / out).resolve()
    if outdir != resolved and outdir not in resolved.parents:
        return None
    return out.as_posix()


def discover(inputs: list[str], outdir: Path) -> tuple[list[Task], list[dict]]:
    """Sorted, de-duplicated tasks, plus manifest error entries for inputs that cannot be built."""
    outdir = outdir.resolve()
    tasks: dict[str, Task] = {}
    errors: list[dict] = []
    seen_files: set[Path] = set()
    for path, rel in _expand(inputs, outdir):
        source = path.as_posix()
        if rel is None:
            errors.append(_error_entry(source, None, "no such file, directory or matching glob"))
            continue
        real = path.resolve()
        if real in seen_files or outdir in real.parents:
            continue
        seen_files.add(real)
        output = _safe_output(rel, outdir)
        if output is None:
            errors.append(_error_entry(source, None, "output path would be outside OUTDIR or clash "
                                                     "with manifest.json/corpus.jsonl"))
        elif output in tasks:
            errors.append(_error_entry(source, output, f"output {output} is already built from "
                                                       f"{tasks[output].source}; rename one of them"))
        else:
            tasks[output] = Task(0, str(path), source, output, size=path.stat().st_size)
    ordered = sorted(tasks.values(), key=lambda t: (t.output, t.source))
    for index, task in enumerate(ordered):
        task.index = index
    return ordered, errors


# ---------------------------------------------------------------- worker side

_WORKER_OPTIONS: dict = {}


def _init_worker(tokens: bool, pretty: bool) -> None:
    # Ctrl-C reaches the whole process group; only the main process decides how to stop.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    # Forked workers inherit the main process's SIGTERM handler; they should simply die on SIGTERM.
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    _WORKER_OPTIONS.update(tokens=tokens, pretty=pretty)


def _release(doc) -> None:
    """The worker is done with the tree: without its parent links reference counting frees it at
    once, instead of the cyclic collector tracing every tree (measured 4-5 % of a parse loop)."""
    for node in doc.walk():
        node.parent = None


def _count_nodes(doc) -> dict:
    counts = {"articles": 0, "paragraphs": 0, "items": 0, "references": len(doc.references)}
    plural = {"article": "articles", "paragraph": "paragraphs", "item": "items"}
    for node in doc.walk():
        key = plural.get(node.kind)
        if key:
            counts[key] += 1
    return counts


def process_file(path: str, known_sha256: str | None = None, *, tokens: bool | None = None,
                 pretty: bool | None = None) -> dict:
    """Read, decode, parse, validate and serialize one file; never raises for a bad input.

    Returns a summary with status "ok" (with `line`: compact JSON bytes, and `file` when the
    per-document file differs from the line), "unchanged" (sha256 == known_sha256) or "error".
    """
    from ..errors import JobunError
    from ..pipeline import parse_bytes
    from ..io.schema import validator
    import resource

    tokens = _WORKER_OPTIONS.get("tokens", False) if tokens is None else tokens
    pretty = _WORKER_OPTIONS.get("pretty", False) if pretty is None else pretty
    result: dict = {"status": "error", "error": None, "sha256": None, "bytes": None,
                    "encoding": None, "counts": None, "warnings": None}
    try:
        data = Path(path).read_bytes()
    except OSError as e:
        result["error"] = f"cannot read file: {e.strerror or e}"
        return _with_memory(result, resource)
    result["bytes"] = len(data)
    result["sha256"] = hashlib.sha256(data).hexdigest()
    if known_sha256 is not None and known_sha256 == result["sha256"]:
        result["status"] = "unchanged"
        return _with_memory(result, resource)
    try:
        doc = parse_bytes(data, Path(path).name, tokens=tokens)
        del data
        result["encoding"] = doc.source.encoding
        tree = doc.to_dict()
        validator().validate(tree)
        result["line"] = json.dumps(tree, ensure_ascii=False).encode("utf-8") + b"\n"
        if pretty:
            result["file"] = (json.dumps(tree, ensure_ascii=False, indent=1) + "\n").encode("utf-8")
        result["counts"] = _count_nodes(doc)
        result["warnings"] = len(doc.warnings)
        result["status"] = "ok"
        _release(doc)
    except JobunError as e:
        result["error"] = getattr(e, "reason", None) or str(e)
    except Exception as e:          # a parser bug must cost one file, not the whole build
        result["error"] = f"internal error ({type(e).__name__}: {e}); please report it"
    return _with_memory(result, resource)


def _with_memory(result: dict, resource) -> dict:
    result["pid"] = os.getpid()
    result["maxrss_kb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return result


def _process_task(path: str, known_sha256: str | None) -> dict:
    return process_file(path, known_sha256)


# ---------------------------------------------------------------- manifest

def _error_entry(source: str, output: str | None, message: str, **known) -> dict:
    entry = {"source": source, "output": output, "sha256": None, "bytes": None, "encoding": None,
             "status": "error", "error": message, "counts": None, "warnings": None}
    entry.update({k: v for k, v in known.items() if k in entry})
    return entry


def _ok_entry(task: Task, result: dict) -> dict:
    return {"source": task.source, "output": task.output, "sha256": result["sha256"],
            "bytes": result["bytes"], "encoding": result["encoding"], "status": "ok", "error": None,
            "counts": result["counts"], "warnings": result["warnings"]}


def read_manifest(outdir: Path) -> dict | None:
    try:
        return json.loads((outdir / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def _reusable_entries(outdir: Path, options: BuildOptions) -> dict[tuple[str, str], dict]:
    """Manifest entries an --incremental build may keep, keyed by (source, output)."""
    manifest = read_manifest(outdir)
    if not manifest or manifest.get("parser_version") != PARSER_VERSION \
            or manifest.get("options") != options.recorded():
        return {}
    reusable = {}
    for entry in manifest.get("files", []):
        output = entry.get("output")
        if entry.get("status") == "ok" and output and entry.get("sha256") \
                and (outdir / output).is_file():
            reusable[(entry["source"], output)] = entry
    return reusable


def _totals(entries: list[dict]) -> dict:
    totals = {"files": len(entries), "ok": 0, "error": 0, "bytes": 0, "articles": 0,
              "paragraphs": 0, "items": 0, "references": 0, "warnings": 0}
    for entry in entries:
        totals[entry["status"]] += 1
        totals["bytes"] += entry["bytes"] or 0
        totals["warnings"] += entry["warnings"] or 0
        for key, value in (entry["counts"] or {}).items():
            totals[key] += value
    return totals


def _manifest_bytes(entries: list[dict], options: BuildOptions, complete: bool) -> bytes:
    """The manifest with one file entry per line: readable, and each line goes through the C
    encoder (json.dumps with indent= runs the pure-Python one, about 5x slower)."""
    head = {"parser_version": PARSER_VERSION, "options": options.recorded(), "complete": complete,
            "totals": _totals(entries)}
    lines = [f' "{key}": {json.dumps(value, ensure_ascii=False)},' for key, value in head.items()]
    files = ",\n".join("  " + json.dumps(entry, ensure_ascii=False) for entry in entries)
    return ("{\n" + "\n".join(lines) + '\n "files": [\n' + files + "\n ]\n}\n").encode("utf-8")


# ---------------------------------------------------------------- progress

class Progress:
    """A redrawn bar on a terminal; a plain line every LOG_SECONDS otherwise (logs, CI)."""

    def __init__(self, total_files: int, total_bytes: int, *, quiet: bool, stream=sys.stderr):
        self.total_files, self.total_bytes = total_files, max(total_bytes, 1)
        self.stream, self.quiet = stream, quiet
        self.tty = stream.isatty()
        self.started = time.monotonic()
        # Wait one interval before the first line so quick builds print only the final one.
        self.last_shown = self.started

    def update(self, done_files: int, done_bytes: int, *, final: bool = False) -> None:
        if self.quiet:
            return
        now = time.monotonic()
        interval = 0.2 if self.tty else LOG_SECONDS
        if not final and now - self.last_shown < interval:
            return
        self.last_shown = now
        elapsed = max(now - self.started, 1e-6)
        rate_bytes = done_bytes / elapsed
        eta = (self.total_bytes - done_bytes) / rate_bytes if rate_bytes > 0 else None
        figures = (f"{done_files}/{self.total_files} files  {done_files / elapsed:.1f} files/s  "
                   f"{rate_bytes / 1e6:.2f} MB/s  ETA {_clock(eta)}")
        if self.tty:
            width = 24
            filled = int(width * done_bytes / self.total_bytes)
            end = "\n" if final else ""
            self.stream.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {figures}\x1b[K{end}")
        else:
            self.stream.write(f"jobun build: {figures}\n")
        self.stream.flush()


def _clock(seconds: float | None) -> str:
    if seconds is None:
        return "--:--"
    seconds = int(seconds)
    return f"{seconds // 3600}:{seconds % 3600 // 60:02d}:{seconds % 60:02d}"


# ---------------------------------------------------------------- the build

@dataclass
class BuildResult:
    exit_code: int
    entries: list[dict]
    stats: dict = field(default_factory=dict)


class _Interrupted(Exception):
    """SIGTERM, turned into the same clean stop as Ctrl-C."""


def _raise_interrupted(signum, frame):
    raise _Interrupted()


class _Builder:
    """One run of `jobun build`: schedules tasks, writes results as they arrive."""

    def __init__(self, tasks: list[Task], outdir: Path, options: BuildOptions, reusable: dict):
        self.tasks, self.outdir, self.options, self.reusable = tasks, outdir, options, reusable
        self.entries: dict[int, dict] = {}           # task index → manifest entry (finished tasks)
        self.spooled: dict[int, tuple[int, int]] = {}  # task index → (offset, length) in spool
        self.unchanged = 0
        self.worker_rss_kb: dict[int, int] = {}
        self.done_bytes = 0
        self.spool = tempfile.TemporaryFile(dir=outdir, prefix=".corpus-spool-")
        self.unsynced: list[Path] = []      # document files written since the last checkpoint
        self.last_checkpoint = time.monotonic()
        self.checkpoint_every = CHECKPOINT_SECONDS

    # -- results
    def accept(self, task: Task, result: dict) -> None:
        pid = result.get("pid")
        if pid is not None:
            self.worker_rss_kb[pid] = max(self.worker_rss_kb.get(pid, 0), result["maxrss_kb"])
        self.done_bytes += task.size
        if result["status"] == "unchanged":
            self.unchanged += 1
            self.entries[task.index] = self.reusable[(task.source, task.output)]
            return
        if result["status"] == "error":
            self.entries[task.index] = _error_entry(task.source, task.output, result["error"], **{
                k: result[k] for k in ("sha256", "bytes", "encoding")})
            return
        line = result["line"]
        target = self.outdir / task.output
        write_bytes_atomic(target, result.get("file") or line, durable=False)
        self.unsynced.append(target)        # synced before the manifest records it (checkpoint)
        self.spool.seek(0, os.SEEK_END)
        self.spooled[task.index] = (self.spool.tell(), len(line))
        self.spool.write(line)
        self.entries[task.index] = _ok_entry(task, result)

    def worker_died(self, task: Task) -> None:
        self.done_bytes += task.size
        self.entries[task.index] = _error_entry(
            task.source, task.output, "the worker process died while parsing this file (crash or out of "
            "memory); rerun with --incremental to retry")

    # -- outputs
    def manifest_entries(self, early_errors: list[dict]) -> list[dict]:
        """Finished entries in input order; unfinished tasks keep their old entry if any."""
        entries = []
        for task in self.tasks:
            entry = self.entries.get(task.index) or self.reusable.get((task.source, task.output))
            if entry is not None:
                entries.append(entry)
        return entries + early_errors

    def checkpoint(self, early_errors: list[dict], *, force: bool = False, complete: bool = False) -> None:
        now = time.monotonic()
        if force or now - self.last_checkpoint >= self.checkpoint_every:
            sync_files(self.unsynced)
            self.unsynced = []
            write_bytes_atomic(self.outdir / MANIFEST,
                               _manifest_bytes(self.manifest_entries(early_errors), self.options, complete))
            # The manifest grows with the corpus: checkpoints are spaced so that rewriting it takes
            # at most a twentieth of the time (a million files must not spend the run in checkpoints).
            self.last_checkpoint = time.monotonic()
            self.checkpoint_every = max(CHECKPOINT_SECONDS, 20 * (self.last_checkpoint - now))

    def write_corpus_jsonl(self, entries: list[dict]) -> None:
        """corpus.jsonl in input order: fresh lines from the spool, older ones from their JSON files."""
        by_output = {task.output: task.index for task in self.tasks}
        with atomic_writer(self.outdir / CORPUS_JSONL) as out:
            for entry in entries:
                if entry["status"] == "ok":
                    out.write(self._line_for(entry, by_output.get(entry["output"])))

    def _line_for(self, entry: dict, index: int | None) -> bytes:
        if index in self.spooled:
            offset, length = self.spooled[index]
            self.spool.seek(offset)
            return self.spool.read(length)
        data = (self.outdir / entry["output"]).read_bytes()
        if data.count(b"\n") == 1 and data.endswith(b"\n"):
            return data
        # an indented (--pretty) document: re-serialize on one line
        return json.dumps(json.loads(data), ensure_ascii=False).encode("utf-8") + b"\n"

    def close(self) -> None:
        self.spool.close()


def _terminate_workers(executor: ProcessPoolExecutor) -> None:
    """Stop workers at once; they write nothing, so killing them cannot corrupt output."""
    # ProcessPoolExecutor has no public terminate(); _processes has been stable since Python 3.2.
    processes = list((getattr(executor, "_processes", None) or {}).values())
    executor.shutdown(wait=False, cancel_futures=True)
    for process in processes:
        if process.is_alive():
            process.terminate()
    for process in processes:
        process.join(timeout=5)


def _run_pool(builder: _Builder, todo: list[Task], jobs: int, progress: Progress, early_errors) -> None:
    """Feed tasks to worker processes, at most 2 × jobs in flight; a dead worker costs its files."""
    pending = list(reversed(todo))
    fruitless_pools = 0
    while pending:
        if fruitless_pools >= 3:   # workers die before doing anything: give up rather than loop
            while pending:
                builder.worker_died(pending.pop())
            break
        finished_before = len(builder.entries)
        executor = ProcessPoolExecutor(max_workers=jobs, initializer=_init_worker,
                                       initargs=(builder.options.tokens, builder.options.pretty))
        in_flight: dict = {}
        try:
            broken = False
            while (pending or in_flight) and not broken:
                while pending and len(in_flight) < 2 * jobs:
                    try:
                        future = executor.submit(_process_task, pending[-1].path, pending[-1].known_sha256)
                    except BrokenProcessPool:   # a worker died before its future told us
                        break
                    in_flight[future] = pending.pop()
                if not in_flight:
                    broken = True
                    continue
                done, _ = wait(in_flight, timeout=0.5, return_when=FIRST_COMPLETED)
                for future in done:
                    task = in_flight.pop(future)
                    try:
                        builder.accept(task, future.result())
                    except BrokenProcessPool:
                        builder.worker_died(task)
                        broken = True
                progress.update(len(builder.entries), builder.done_bytes)
                builder.checkpoint(early_errors)
            if broken:
                # Every file in flight when the pool broke is charged; the rest get a new pool.
                for task in in_flight.values():
                    builder.worker_died(task)
                in_flight.clear()
            fruitless_pools = 0 if len(builder.entries) > finished_before else fruitless_pools + 1
        except BaseException:
            _terminate_workers(executor)
            raise
        executor.shutdown(wait=True)


def build(inputs: list[str], outdir: Path, options: BuildOptions | None = None) -> BuildResult:
    """Build OUTDIR from inputs; see the `jobun build --help` text for the contract."""
    options = options or BuildOptions()
    outdir = Path(outdir)
    outdir.mkdir(parents=True, exist_ok=True)
    outdir = outdir.resolve()
    tasks, early_errors = discover(inputs, outdir)
    reusable = _reusable_entries(outdir, options) if options.incremental else {}
    for task in tasks:
        previous = reusable.get((task.source, task.output))
        task.known_sha256 = previous["sha256"] if previous else None

    progress = Progress(len(tasks), sum(t.size for t in tasks), quiet=options.quiet)
    builder = _Builder(tasks, outdir, options, reusable)
    started = time.monotonic()
    interrupted = False
    previous_sigterm = signal.signal(signal.SIGTERM, _raise_interrupted)
    try:
        _run_pool(builder, tasks, options.jobs, progress, early_errors)
    except (KeyboardInterrupt, _Interrupted):
        interrupted = True
    finally:
        # Finishing touches must not be cut short by a second Ctrl-C: they are what makes the stop clean.
        previous_sigint = signal.signal(signal.SIGINT, signal.SIG_IGN)
        try:
            entries = builder.manifest_entries(early_errors)
            builder.write_corpus_jsonl(entries)
            builder.checkpoint(early_errors, force=True, complete=not interrupted)
            builder.close()
        finally:
            signal.signal(signal.SIGINT, previous_sigint)
            signal.signal(signal.SIGTERM, previous_sigterm)
    progress.update(len(builder.entries), builder.done_bytes, final=True)
    elapsed = time.monotonic() - started
    stats = _stats(builder, elapsed, options)
    exit_code = _report(entries, builder, tasks, interrupted, elapsed, stats, options)
    return BuildResult(exit_code, entries, stats)


def _stats(builder: _Builder, elapsed: float, options: BuildOptions) -> dict:
    parsed = [e for i, e in builder.entries.items() if i in builder.spooled]
    parsed_bytes = sum(e["bytes"] or 0 for e in parsed)
    return {"jobs": options.jobs, "elapsed_s": round(elapsed, 3), "documents_parsed": len(parsed),
            "unchanged": builder.unchanged, "bytes_parsed": parsed_bytes,
            "documents_per_s": round(len(parsed) / elapsed, 2) if elapsed else None,
            "mb_per_s": round(parsed_bytes / 1e6 / elapsed, 3) if elapsed else None,
            "worker_peak_rss_mb": sorted(round(kb / 1024, 1) for kb in builder.worker_rss_kb.values())}


def _report(entries, builder, tasks, interrupted, elapsed, stats, options) -> int:
    failed = [e for e in entries if e["status"] == "error"]
    ok = sum(1 for e in entries if e["status"] == "ok")
    out = sys.stderr
    peak = max(stats["worker_peak_rss_mb"], default=0)
    print(f"jobun build: {ok} ok ({builder.unchanged} unchanged), {len(failed)} failed, "
          f"{stats['documents_parsed']} parsed in {elapsed:.1f} s "
          f"({stats['mb_per_s'] or 0:.2f} MB/s, peak worker memory {peak:.0f} MB)", file=out)
    for entry in failed:
        print(f"  failed: {entry['source']}: {entry['error']}", file=out)
    if interrupted:
        missing = len(tasks) - len(builder.entries)
        print(f"jobun build: interrupted; {missing} file(s) not built. Manifest and corpus.jsonl list "
              f"what finished; rerun with --incremental to continue.", file=out)
        return EXIT_INTERRUPTED
    return EXIT_FAILED if failed else EXIT_OK
