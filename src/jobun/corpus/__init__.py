"""`jobun build`: many raw text files → a corpus (JSON documents, JSON Lines, e-Gov XML, flat tables), in
parallel, safely and repeatably. One rule per module:

    inputs       which files, their doc_id and output path
    work         the work for one file (read, parse, validate, serialize) — runs in a worker
    pool         worker processes: bounded in-flight work, parent-death, dead-worker isolation
    writer       results → the staged corpus, in input order
    table_writer Parquet / JSON Lines tables with bounded row groups
    layout       the output folder, the stage and the commit that swaps a finished run in
    manifest     what was built from what
    progress     the progress line and its ETA
    run          the steps of one run;  command  the command line

The names below are loaded on first use: every `jobun` command builds its argument parser with
the build command's options, and importing the whole build machinery (process pools,
multiprocessing, compression, tables) for `jobun parse` cost 4.5 MB of its 26 MB floor.
"""
from importlib import import_module

_MODULE_OF = {
    "build": "run", "BuildOptions": "run", "BuildResult": "run", "BuildError": "run",
    "add_parser": "command", "cmd_build": "command",
    "discover": "inputs", "Task": "inputs",
    "MANIFEST": "layout", "read_manifest": "manifest",
    "process_file": "work", "WorkItem": "work", "WorkOptions": "work", "FORMATS": "work",
    "CORPUS_JSONL": "writer", "PARSER_VERSION": "work",
}

__all__ = list(_MODULE_OF)


def __getattr__(name: str):
    if name not in _MODULE_OF:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(f".{_MODULE_OF[name]}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_MODULE_OF))
