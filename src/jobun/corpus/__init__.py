"""`jobun build`: many raw text files → a corpus (JSON documents, JSON Lines, e-Gov XML, flat tables), in
parallel, safely and repeatably. One rule per module:

    discover     which files, their doc_id and output path
    work         the work for one file (read, parse, validate, serialize) — runs in a worker
    pool         worker processes: bounded in-flight work, parent-death, dead-worker isolation
    writer       results → the staged corpus, in input order
    table_writer Parquet / JSON Lines tables with bounded row groups
    layout       the output folder, the stage and the commit that swaps a finished run in
    manifest     what was built from what
    progress     the progress line and its ETA
    build        the steps of one run;  command  the command line
"""
from ..io.export import PARSER_VERSION
from .build import BuildError, BuildOptions, BuildResult, build
from .command import add_parser, cmd_build
from .discover import Task, discover
from .layout import MANIFEST
from .manifest import read_manifest
from .work import FORMATS, WorkItem, WorkOptions, process_file
from .writer import CORPUS_JSONL

__all__ = ["build", "BuildOptions", "BuildResult", "BuildError", "process_file", "WorkItem",
           "WorkOptions", "discover", "Task", "read_manifest", "add_parser", "cmd_build",
           "MANIFEST", "CORPUS_JSONL", "FORMATS", "PARSER_VERSION"]
