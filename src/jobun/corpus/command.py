"""`jobun build` on the command line: options, help text, and one-line errors."""
from __future__ import annotations

import argparse
import contextlib
import json
import os
import sys
from pathlib import Path

from .work import FORMATS

DESCRIPTION = """\
Convert raw legal texts into a corpus: one JSON document per input file (OUTDIR/x/y.json), and on
request corpus.jsonl (every document on one line), e-Gov XML documents and flat tables (Parquet or
JSON Lines).
OUTDIR/_jobun/manifest.json records for each input its sha256, size, detected encoding (UTF-8,
UTF-16 with BOM, CP932, EUC-JP), status and error, and counts of articles, paragraphs, items,
references and warnings. Every document is checked against the published JSON Schema first.

INPUT may be a file, a directory (read recursively; hidden files and OUTDIR itself are skipped)
or a quoted glob such as 'raw/**/*.txt'. Output paths mirror the input's path relative to the
directory or glob base given (its build root): raw/x/y.txt built from raw → OUTDIR/x/y.json,
doc_id "x/y.txt". Inputs whose paths collide get their content hash appended (x/y@3f2a….json)."""

EPILOG = """\
formats (--format, comma-separated; default json):
  json          OUTDIR/x/y.json, one per input (OUTDIR/*.json and jobun.load(OUTDIR) see documents only)
  jsonl         OUTDIR/corpus.jsonl: every document on one line, in input order
  egov-xml      OUTDIR/x/y.xml beside x/y.json: e-Gov 法令標準XML (XSD v3), a statute or any text (as
                LawType Misc); jobun.load(OUTDIR) reads only the JSON, and refuses a folder of XML alone
  parquet       OUTDIR/_tables/<table>/part-00000.parquet for documents, nodes, references,
                definitions, sentences, warnings (fixed schema; needs pyarrow: pip install 'jobun[parquet]')
  jsonl-tables  the same tables as JSON Lines: OUTDIR/_tables/<table>.jsonl
  --compress gz|zst compresses the JSON Lines outputs (.jsonl.gz, .jsonl.zst).

a build never loses data:
  Outputs are written beside the old ones (OUTDIR/.jobun-stage) and replace them only when the run
  has finished; Ctrl-C, SIGTERM, a crash or SIGKILL leave the previous corpus as it was, and the
  next build removes what the stopped run left (after Ctrl-C or SIGTERM, a build with
  --incremental reuses the documents it had finished). An input set that matches nothing is an
  error (exit 2) and touches nothing. Outputs of inputs that are gone are reported and kept;
  --prune removes them. An input that fails now loses its old output, so the manifest and files
  agree.
  OUTDIR may be an fsspec URL (memory://, s3://bucket/corpus with s3fs installed, …): the run is
  staged on this machine and then published, each object uploaded to URL/.jobun-stage and moved
  into place, the manifest last; a publish cut short is finished by the next build.

failures and exit status:
  A file that cannot be read, decoded or parsed becomes a manifest entry with status "error" and a
  message; the build goes on. A worker that dies only fails the file it was parsing (the others
  are run again). Exit status: 0 all files ok, 1 warnings under --strict (nothing failed), 2 usage
  error or nothing to build, 3 some files failed (listed at the end), 130 interrupted.

engines (--engine):
  local         worker processes on this machine (-j N), the default
  dask          a Dask cluster: without --scheduler a LocalCluster of --workers processes is started
                (its dashboard link is printed); with --scheduler tcp://HOST:8786 the build runs on
                the workers of that scheduler, which must read the inputs (same paths, or fsspec
                URLs such as s3://bucket/raw) and have the same jobun installed. This process
                writes every output, so the corpus is byte-identical to a local build.

--incremental:
  Skips every input whose sha256, parser version and options match its manifest entry and whose
  JSON (and XML) files still exist; those files are not touched (same inode, same mtime). Files that
  failed before are retried. corpus.jsonl is always rewritten in full; tables need every document
  parsed again (their JSON files are still left alone).

output is deterministic:
  The same inputs give byte-identical documents, corpus.jsonl and tables (no timestamps; sorted
  inputs). Each document file holds the same JSON as `jobun parse --compact FILE`, less each
  reference's `ranges` unless --ranges is given.

examples:
  jobun build corpus/raw -o corpus/json                 every file under corpus/raw, all cores
  jobun build 'terms/**/*.txt' law.txt -o out -j 2      a glob and a file, two workers
  jobun build corpus/raw -o corpus/json --incremental   only what changed since the last build
  jobun build corpus/raw -o out --format json,parquet   documents and Parquet tables
  duckdb -c "select kind, count(*) from 'out/_tables/nodes/*.parquet' group by kind"
"""


def _formats(text: str) -> tuple[str, ...]:
    """--format json,parquet → ("json", "parquet"); BuildOptions says which names are unknown."""
    return tuple(dict.fromkeys(f.strip() for f in text.split(",") if f.strip()))


def add_parser(subparsers) -> None:
    p = subparsers.add_parser(
        "build", help="convert files or folders into a corpus: JSON, JSON Lines, e-Gov XML, tables",
        description=DESCRIPTION, epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("inputs", nargs="+", metavar="INPUT", help="file, directory or glob ('raw/**/*.txt')")
    p.add_argument("-o", "--output", required=True, metavar="OUTDIR",
                   help="output folder (created if missing) or fsspec URL (s3://bucket/corpus)")
    p.add_argument("-j", "--jobs", type=int, default=os.cpu_count() or 1, metavar="N",
                   help=f"worker processes (default: all cores, here {os.cpu_count()})")
    p.add_argument("--engine", choices=("local", "dask"), default="local",
                   help="where files are parsed: local worker processes (default) or a Dask cluster "
                        "(see below; pip install 'jobun[dask]')")
    p.add_argument("--scheduler", metavar="ADDRESS",
                   help="--engine dask: connect to this running scheduler (tcp://host:8786) instead "
                        "of starting a LocalCluster")
    p.add_argument("--workers", type=int, metavar="N",
                   help="--engine dask: LocalCluster worker processes (default -j), or with "
                        "--scheduler the workers to wait for (default 1)")
    p.add_argument("--format", type=_formats, default=("json",), metavar="F[,F]",
                   help=f"outputs: {', '.join(FORMATS)} (default json; see below)")
    p.add_argument("--compress", choices=("none", "gz", "zst"), default="none",
                   help="compress JSON Lines outputs (corpus.jsonl, jsonl-tables)")
    p.add_argument("--incremental", action="store_true",
                   help="skip inputs unchanged since the manifest was written (see below)")
    p.add_argument("--prune", action="store_true",
                   help="remove outputs of inputs that are no longer there")
    p.add_argument("--tokens", action="store_true",
                   help="add tokens (surface, lemma, pos, reading) to every sentence (much slower)")
    p.add_argument("--pretty", action="store_true",
                   help="indent the per-document JSON files (like `jobun parse`); slower to write")
    p.add_argument("--ranges", action="store_true",
                   help="keep each reference's `ranges` (the pointer fragments its targets were resolved "
                        "from; a fifth of a statute corpus, left out by default)")
    p.add_argument("--strict", action="store_true", help="exit 1 when documents have warnings")
    p.add_argument("-q", "--quiet", action="store_true", help="no progress output, only the summary")
    p.add_argument("--stats", metavar="FILE",
                   help="write timing and worker memory figures as JSON to FILE (not deterministic, "
                        "so kept out of the manifest)")
    p.set_defaults(func=cmd_build)


def cmd_build(args) -> int:
    # Imported here: every jobun command builds the parser above, only this one runs a build.
    from .atomic import write_bytes_atomic
    from .locations import as_local, is_url
    try:
        from .run import EXIT_INTERRUPTED, EXIT_USAGE, BuildError, BuildOptions, build
    except ImportError as e:            # no multiprocessing here (no sem_open: some sandboxes)
        print(f"jobun build: not available on this platform ({e})", file=sys.stderr)
        return 2
    if args.jobs < 1 or (args.workers is not None and args.workers < 1):
        print("jobun build: -j/--jobs and --workers must be at least 1", file=sys.stderr)
        return EXIT_USAGE
    if args.engine != "dask" and (args.scheduler or args.workers):
        print("jobun build: --scheduler and --workers go with --engine dask", file=sys.stderr)
        return EXIT_USAGE
    output = as_local(args.output)
    needed = (["zstandard"] if args.compress == "zst" else []) + (["pyarrow"] if "parquet" in args.format else [])
    for missing in filter(None, map(_missing_module, needed)):
        print(f"jobun build: {missing}", file=sys.stderr)
        return EXIT_USAGE
    try:
        with _engine(args) as (jobs, engine):
            options = BuildOptions(jobs=jobs, incremental=args.incremental, tokens=args.tokens,
                                   pretty=args.pretty, ranges=args.ranges, quiet=args.quiet, formats=args.format,
                                   compression=args.compress, prune=args.prune, strict=args.strict)
            result = build(args.inputs, output if is_url(output) else Path(output), options, engine=engine)
    except BuildError as e:
        print(f"jobun build: {e}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:       # while a Dask cluster was starting, before any output
        print("jobun build: interrupted before the build started; nothing written", file=sys.stderr)
        return EXIT_INTERRUPTED
    if args.stats:
        write_bytes_atomic(Path(args.stats), (json.dumps(result.stats, indent=1) + "\n").encode())
    return result.exit_code


@contextlib.contextmanager
def _engine(args):
    """(worker count, engine for build()): the local pool, or a Dask cluster kept for the build."""
    if args.engine != "dask":
        from .pool import Scheduler
        yield args.jobs, Scheduler
        return
    from .dask_engine import dask_engine
    workers = args.workers or (1 if args.scheduler else args.jobs)
    with dask_engine(args.scheduler, workers, quiet=args.quiet) as cluster:
        yield cluster.workers, cluster.scheduler


def _missing_module(name: str) -> str | None:
    import importlib.util
    if importlib.util.find_spec(name) is None:
        extra = {"pyarrow": "parquet", "zstandard": "zstd"}[name]
        return f"this output needs the {name} package: pip install 'jobun[{extra}]'"
    return None
